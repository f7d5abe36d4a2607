/* ddb_eval.c - evaluation of DynamoDB expressions over items (see ddb_eval.h). */
#include "services/dynamodb/ddb_eval.h"
