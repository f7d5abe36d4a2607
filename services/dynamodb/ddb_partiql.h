/* ddb_partiql.h - DynamoDB's PartiQL: the statement AST, its parser, and the
 * three operations (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction).
 *
 * ddb_partiql_parse.c turns statement text into a pql_stmt_t (pure: no table
 * knowledge, everything in the caller's pool) with DynamoDB's messages for
 * statements it refuses ("Statement wasn't well formed, can't be processed:
 * Unexpected term", "Aliasing is not supported", ...). ddb_partiql.c binds
 * `?` parameters, turns literals into AttributeValues, translates WHERE into
 * the condition AST of ddb_expr.h (evaluated by ddb_eval.h) and SET/REMOVE
 * into its update AST, and runs the statement through ddb_core.h: a SELECT
 * with an equality on the partition key reads one partition, any other SELECT
 * scans; writes go through ddb_write_item(). */
#ifndef AWSEMU_DDB_PARTIQL_H
#define AWSEMU_DDB_PARTIQL_H

#include <h2o/memory.h>
#include <stddef.h>

#include "protocol/call.h"
#include "services/dynamodb/ddb_expr.h"

/* Prefix of every syntax error DynamoDB reports for a statement. */
#define PQL_MSG_MALFORMED "Statement wasn't well formed, can't be processed: "

typedef enum {
    PQL_PATH,    /* path (a, a.b, a[1], "a"."b") */
    PQL_STR,     /* text: 'string' literal */
    PQL_NUM,     /* text: number literal as written (validated when bound) */
    PQL_BOOL,    /* ival: 0/1 */
    PQL_NULL,    /* null */
    PQL_MISSING, /* MISSING */
    PQL_PARAM,   /* ival: 0-based index of the `?` */
    PQL_LIST,    /* [args] */
    PQL_BAG,     /* << args >> */
    PQL_TUPLE,   /* {keys[i]: args[i]} (keys are expressions, usually strings) */
    PQL_EQ,
    PQL_NE,
    PQL_LT,
    PQL_LE,
    PQL_GT,
    PQL_GE,
    PQL_BETWEEN, /* args[0] BETWEEN args[1] AND args[2] */
    PQL_IN,      /* args[0] IN args[1] (a LIST, or the list of a parenthesised group) */
    PQL_AND,
    PQL_OR,
    PQL_NOT,
    PQL_IS,    /* args[0] IS [NOT] text (upper-case type name: MISSING, NULL, STRING, ...); ival: 1 for IS NOT */
    PQL_CALL,  /* text(args): function name in lower case */
    PQL_PLUS,  /* a + b */
    PQL_MINUS, /* a - b */
} pql_etype_t;

/* Where a token was written: line and column from 1 (characters), and its length. line 0: unknown. */
typedef struct {
    unsigned line, col, len;
} pql_pos_t;

typedef struct pql_expr {
    pql_etype_t type;
    pql_pos_t pos; /* the token it starts with (paths, literals, function names) */
    const char *text;
    long ival;
    ddb_path_t path;
    struct pql_expr **args;
    struct pql_expr **keys; /* PQL_TUPLE */
    size_t nargs;
} pql_expr_t;

typedef enum { PQL_SELECT, PQL_INSERT, PQL_UPDATE, PQL_DELETE, PQL_EXISTS } pql_kind_t;

typedef enum { PQL_RET_NONE, PQL_RET_ALL_OLD, PQL_RET_MODIFIED_OLD, PQL_RET_ALL_NEW, PQL_RET_MODIFIED_NEW } pql_returning_t;

/* One SET (value != NULL) or REMOVE (value == NULL) of an UPDATE. */
typedef struct {
    ddb_path_t path;
    pql_expr_t *value;
} pql_assign_t;

typedef struct pql_stmt {
    pql_kind_t kind;
    const char *table, *index; /* index: SELECT FROM "t"."i" (also parsed on UPDATE and DELETE, which refuse it) */
    /* SELECT: projection (nproj == 0 means *) */
    ddb_path_t *proj;
    size_t nproj;
    const char **order_keys; /* ORDER BY key [ASC|DESC], ... */
    int *order_desc;
    size_t norder;
    pql_expr_t *where;
    /* INSERT */
    pql_expr_t *value;
    /* UPDATE */
    pql_assign_t *assigns;
    size_t nassigns;
    pql_returning_t returning;
    /* EXISTS(SELECT ...) in ExecuteTransaction: the SELECT */
    struct pql_stmt *exists;
    size_t nparams; /* `?` in the statement */
} pql_stmt_t;

/* Parses one statement into *out (in pool). Returns 0, or -1 with *err set to
 * DynamoDB's ValidationException message. */
int pql_parse(h2o_mem_pool_t *pool, const char *text, pql_stmt_t *out, const char **err);


/* msg with DynamoDB's position suffix " at <line>:<column>:<length>" of e's token (msg alone when unknown). */
const char *pql_at(h2o_mem_pool_t *pool, const char *msg, const pql_expr_t *e);

/* ---- operations (ddb_partiql.c), to register in dynamodb.c's op table ---- */

int ddb_execute_statement(call_t *c);
int ddb_batch_execute_statement(call_t *c);
int ddb_execute_transaction(call_t *c);

#endif
