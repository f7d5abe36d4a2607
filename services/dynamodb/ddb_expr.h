/* ddb_expr.h - DynamoDB expression languages: lexer, parser, parse-time checks.
 *
 * Parses ConditionExpression, FilterExpression, KeyConditionExpression,
 * UpdateExpression and ProjectionExpression into ASTs that ddb_eval.h
 * evaluates, with DynamoDB's own ValidationException messages, word for word
 * (syntax errors with token/near, reserved words, undefined or unused
 * #names/:values, wrong functions, operand types, overlapping update paths,
 * the 4 KB size limit, key-condition shape rules).
 *
 * One request = one ddb_expr_ctx_t: it holds the request's
 * ExpressionAttributeNames/Values and remembers which of them the expressions
 * used, because DynamoDB's "unused" check spans all expressions of a request.
 * Parse the request's expressions in DynamoDB's order (Update, Condition,
 * KeyCondition, Filter, Projection: ddb_expr_parse_request() does it), then
 * call ddb_expr_check_unused(). Everything lives in the ctx's pool; the ASTs
 * point into the request's yajl trees (names and values are not copied), so
 * keep those alive as long as the ASTs.
 *
 * Errors: functions return NULL / -1 and set ctx->error to the complete
 * message (e.g. "Invalid UpdateExpression: Syntax error; token: \"x\", near:
 * \"SET x\""); raise it as ValidationException. */
#ifndef AWSEMU_DDB_EXPR_H
#define AWSEMU_DDB_EXPR_H

#include <h2o/memory.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "services/dynamodb/ddb_value.h"

#define DDB_EXPR_MAX_BYTES 4096 /* each expression string */
#define DDB_EXPR_MAX_KEY_BYTES 255 /* each ExpressionAttributeNames/Values key */
#define DDB_EXPR_MAX_IN 100     /* operands on the right of IN */
#define DDB_EXPR_MAX_PATH_DEPTH 32

typedef enum {
    DDB_EXPR_CONDITION,     /* ConditionExpression */
    DDB_EXPR_FILTER,        /* FilterExpression */
    DDB_EXPR_KEY_CONDITION, /* KeyConditionExpression */
    DDB_EXPR_UPDATE,        /* UpdateExpression */
    DDB_EXPR_PROJECTION,    /* ProjectionExpression */
} ddb_expr_kind_t;

/* A document path: a.b[2].#c -> {"a"}, {"b"}, {index 2}, {"<value of #c>"}. */
typedef struct {
    const char *name; /* resolved attribute name (NUL-terminated), or NULL for a list index */
    uint32_t index;   /* list index when name == NULL */
} ddb_path_elem_t;

typedef struct {
    ddb_path_elem_t *elems;
    size_t n; /* >= 1; elems[0] is always a name */
} ddb_path_t;

typedef enum {
    /* operands */
    DDB_NODE_PATH,  /* path */
    DDB_NODE_VALUE, /* value: an AttributeValue from ExpressionAttributeValues */
    /* conditions (args: operands, or conditions for AND/OR/NOT) */
    DDB_NODE_EQ,
    DDB_NODE_NE,
    DDB_NODE_LT,
    DDB_NODE_LE,
    DDB_NODE_GT,
    DDB_NODE_GE,
    DDB_NODE_BETWEEN, /* args[0] BETWEEN args[1] AND args[2] */
    DDB_NODE_IN,      /* args[0] IN (args[1..]) */
    DDB_NODE_AND,
    DDB_NODE_OR,
    DDB_NODE_NOT,
    DDB_NODE_ATTRIBUTE_EXISTS,     /* (path) */
    DDB_NODE_ATTRIBUTE_NOT_EXISTS, /* (path) */
    DDB_NODE_ATTRIBUTE_TYPE,       /* (path, :type) */
    DDB_NODE_BEGINS_WITH,          /* (operand, operand) */
    DDB_NODE_CONTAINS,             /* (operand, operand) */
    /* operand functions */
    DDB_NODE_SIZE,          /* size(path): an N operand of a comparison */
    DDB_NODE_IF_NOT_EXISTS, /* update values: if_not_exists(path, value) */
    DDB_NODE_LIST_APPEND,   /* list_append(a, b) */
    DDB_NODE_PLUS,          /* a + b */
    DDB_NODE_MINUS,         /* a - b */
} ddb_node_type_t;

typedef struct ddb_node {
    ddb_node_type_t type;
    ddb_path_t path; /* DDB_NODE_PATH */
    yajl_val value;  /* DDB_NODE_VALUE */
    struct ddb_node **args;
    size_t nargs;
} ddb_node_t;

typedef enum { DDB_UPDATE_SET, DDB_UPDATE_REMOVE, DDB_UPDATE_ADD, DDB_UPDATE_DELETE } ddb_update_op_t;

typedef struct {
    ddb_update_op_t op;
    ddb_path_t path;
    ddb_node_t *value; /* SET: the value tree; ADD/DELETE: a DDB_NODE_VALUE; REMOVE: NULL */
} ddb_update_action_t;

/* Actions in the order written (DynamoDB applies them as if at once: every
 * operand reads the item as it was before the update). */
typedef struct {
    ddb_update_action_t *actions;
    size_t n;
    /* From AttributeUpdates: ADD appends a list, and a type clash is "Type mismatch for attribute
     * to update" rather than an expression's operand error. */
    int legacy;
} ddb_update_t;

typedef struct {
    ddb_path_t *paths;
    size_t n;
} ddb_projection_t;

typedef struct {
    h2o_mem_pool_t *pool;
    yajl_val names;  /* ExpressionAttributeNames object, or NULL */
    yajl_val values; /* ExpressionAttributeValues object, or NULL */
    unsigned char *names_used, *values_used;
    const char *error; /* set by a failing call */
} ddb_expr_ctx_t;

/* Sets up ctx for one request and validates the maps themselves, as DynamoDB
 * does before parsing: "ExpressionAttributeNames must not be empty",
 * "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"" (after a key over 255 bytes:
 * "... invalid key: The expression attribute map contains a key that is too long; size of key: 256", for values
 * without the size), the same for values, and each value through ddb_av_validate_in in the layer's
 * words (the older one wraps them: "ExpressionAttributeValues contains invalid
 * value: <msg> for key :v"). names/values may be NULL (absent). Returns 0 or -1. */
int ddb_expr_init(ddb_expr_ctx_t *ctx, h2o_mem_pool_t *pool, yajl_val names, yajl_val values, ddb_layer_t layer);

/* Parses a Condition/Filter/KeyCondition expression (kind picks the message
 * prefix and the rules). For DDB_EXPR_KEY_CONDITION only the grammar is
 * checked here; ddb_expr_key_condition() checks its shape. NULL on error. */
ddb_node_t *ddb_expr_parse_condition(ddb_expr_ctx_t *ctx, ddb_expr_kind_t kind, const char *text);
ddb_update_t *ddb_expr_parse_update(ddb_expr_ctx_t *ctx, const char *text);
ddb_projection_t *ddb_expr_parse_projection(ddb_expr_ctx_t *ctx, const char *text);

/* After all expressions of the request are parsed:
 * "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}",
 * then the same for ExpressionAttributeValues. Returns 0 or -1. */
int ddb_expr_check_unused(ddb_expr_ctx_t *ctx);

/* All of a request's expressions in DynamoDB's order, then the unused check.
 * Any text may be NULL (absent); outputs of absent expressions are set NULL.
 * Returns 0 or -1 (ctx->error). */
typedef struct {
    const char *update, *condition, *key_condition, *filter, *projection; /* inputs */
    ddb_update_t *update_ast;
    ddb_node_t *condition_ast, *key_condition_ast, *filter_ast;
    ddb_projection_t *projection_ast;
} ddb_expr_request_t;
int ddb_expr_parse_request(ddb_expr_ctx_t *ctx, ddb_expr_request_t *req);

/* ---- KeyConditionExpression ---- */

typedef enum {
    DDB_KEY_EQ,
    DDB_KEY_LT,
    DDB_KEY_LE,
    DDB_KEY_GT,
    DDB_KEY_GE,
    DDB_KEY_BETWEEN,     /* values[0] <= key <= values[1] */
    DDB_KEY_BEGINS_WITH, /* values[0] is the prefix (S or B) */
    DDB_KEY_UNINDEXABLE, /* KeyConditions only: NE, IN, NULL, NOT_NULL, CONTAINS or NOT_CONTAINS */
} ddb_key_op_t;

typedef struct {
    const char *name; /* the key attribute */
    ddb_key_op_t op;  /* normalised so that the key is on the left ("5 < k" -> k > 5) */
    yajl_val values[2];
} ddb_key_part_t;

/* A key condition names at most 8 attributes: a GSI's multi-attribute key has up to 4 partition and 4 sort key
 * attributes. */
#define DDB_KEY_COND_PARTS 8

typedef struct {
    ddb_key_part_t parts[DDB_KEY_COND_PARTS];
    size_t nparts;
    int legacy; /* from KeyConditions rather than a KeyConditionExpression */
    /* filled by ddb_expr_key_resolve(), in key schema order: */
    const ddb_key_part_t *hash[DDB_KEY_COND_PARTS / 2];  /* one per partition key attribute, op == DDB_KEY_EQ */
    const ddb_key_part_t *range[DDB_KEY_COND_PARTS / 2]; /* the first nrange sort key attributes (all but the last EQ) */
    size_t nhash, nrange;
} ddb_key_cond_t;

/* A key attribute of the schema a Query reads: its name and type ("S", "N" or "B"). */
typedef struct {
    const char *name, *type;
} ddb_key_name_t;

/* Shape checks that need no table (run after ddb_expr_check_unused, before the
 * table lookup): "Invalid operator used in KeyConditionExpression: OR",
 * "KeyConditionExpressions must only contain one condition per key", ... legacy: cond was converted from
 * KeyConditions, whose operators a key cannot use become DDB_KEY_UNINDEXABLE parts
 * for ddb_expr_key_resolve() to refuse. Returns 0 or -1. */
int ddb_expr_key_condition(ddb_expr_ctx_t *ctx, const ddb_node_t *cond, int legacy, ddb_key_cond_t *out);

/* Checks against the table's (or index's) key schema: its nhash partition key attributes and nrange sort key
 * attributes (0 for a hash-only schema; more than one of either: a GSI's multi-attribute key, whose partition
 * attributes all need an equality and whose sort attributes are conditioned from the first on, equalities but
 * for the last). "Conditions can be of length 1 or 2 only" (a one-attribute schema),
 * "Query condition missed key schema element: a", "Attempted conditional constraint is not an indexable
 * operation", "Query key condition not supported", "RANGE key attributes a must have equality conditions
 * specified in the query because a condition is present on key attribute b",
 * "One or more parameter values were invalid: Condition parameter type does not match schema type".
 * Returns 0 or -1. */
int ddb_expr_key_resolve(ddb_expr_ctx_t *ctx, ddb_key_cond_t *kc, const ddb_key_name_t *hash, size_t nhash,
                         const ddb_key_name_t *range, size_t nrange);

/* ---- small helpers ---- */

/* "[a, b, [2], c]": DynamoDB's rendering of a path in messages. In ctx->pool. */
const char *ddb_path_str(ddb_expr_ctx_t *ctx, const ddb_path_t *path);
/* 1 if word (len bytes) is a DynamoDB reserved word (any case). */
int ddb_expr_is_reserved(const char *word, size_t len);

#endif
