/* ddb_expr.c - lexer, parser and parse-time checks of DynamoDB expressions (see ddb_expr.h). */
#include "services/dynamodb/ddb_expr.h"
