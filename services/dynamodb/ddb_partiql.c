/* ddb_partiql.c - ExecuteStatement, BatchExecuteStatement, ExecuteTransaction.
 *
 * A parsed statement (ddb_partiql_parse.c) is bound to its request: `?`
 * parameters and literals become AttributeValues, WHERE becomes the condition
 * AST of ddb_expr.h (evaluated by ddb_eval.h, so PartiQL compares exactly as
 * condition expressions do), SET/REMOVE become an update AST applied by
 * ddb_apply_update(). A SELECT whose WHERE names the partition key by equality
 * reads that one partition (in sort key order, ORDER BY ... DESC reversed), by
 * IN or OR those partitions in turn; any other SELECT scans. Pages end after
 * Limit items read or 1 MB, and carry NextToken (and LastEvaluatedKey), across
 * the partitions too. Writes name the full primary key
 * in WHERE; the other conjuncts are the write's condition; every write goes
 * through ddb_write_item() inside the call's savepoint. A write is prepared
 * (key, stored item, condition, new image) before it is applied, so a
 * transaction checks every statement first and then applies all or none. */
#include <stdio.h>
#include <string.h>

#include "protocol/base64.h"
#include "protocol/ytree.h"
#include "services/dynamodb/ddb_core.h"
#include "services/dynamodb/ddb_eval.h"
#include "services/dynamodb/ddb_partiql.h"

#define PAGE_BYTES (1024 * 1024)
#define MSG_INCOMPLETE_KEY "Where clause does not contain a mandatory equality on all key attributes"
#define MSG_BATCH_KEY "Select statements within BatchExecuteStatement must specify the primary key in the where clause."

/* One statement bound to its request. */
typedef struct {
    call_t *c;
    pql_stmt_t st;
    yajl_val params; /* Parameters array, or NULL */
    const ddb_table_t *t;
    const ddb_index_t *ix;
    ddb_node_t *cond; /* WHERE (SELECT) or the non-key conjuncts (writes); NULL: none */
    int from_table;   /* SELECT on a local index: each entry's item is read from the table */
    ddb_kbytes_t *parts; /* SELECT: the partitions WHERE names by IN or OR, when several (nparts), read in turn */
    size_t nparts;
    yajl_val key;     /* writes, gets: the primary key from WHERE */
    ddb_kbytes_t k;
    yajl_val old, new_item;
    int64_t old_size;
    ddb_projection_t *changed;
    const char *code, *msg; /* a prepared write that must not run: ConditionalCheckFailed / DuplicateItem */
    ddb_write_info_t info;
} stmt_t;

/* ---- small builders ---- */

static yajl_val new_array(call_t *c, yajl_val *items, size_t n)
{
    yajl_val a = ytree_new(c->pool, yajl_t_array);
    a->u.array.values = call_alloc(c, sizeof(yajl_val) * (n + 1));
    memcpy(a->u.array.values, items, sizeof(yajl_val) * n);
    a->u.array.len = n;
    return a;
}

static yajl_val new_object(call_t *c, const char **keys, yajl_val *values, size_t n)
{
    yajl_val o = ytree_new(c->pool, yajl_t_object);
    o->u.object.keys = call_alloc(c, sizeof(char *) * (n + 1));
    o->u.object.values = call_alloc(c, sizeof(yajl_val) * (n + 1));
    memcpy(o->u.object.keys, keys, sizeof(char *) * n);
    memcpy(o->u.object.values, values, sizeof(yajl_val) * n);
    o->u.object.len = n;
    return o;
}

static ddb_node_t *new_node(call_t *c, ddb_node_type_t type, size_t nargs)
{
    ddb_node_t *n = call_alloc(c, sizeof(*n));
    n->type = type;
    n->nargs = nargs;
    n->args = call_alloc(c, sizeof(ddb_node_t *) * (nargs + 1));
    return n;
}

static int is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* ---- values ---- */

static int value_of(stmt_t *x, const pql_expr_t *e, const char *where, yajl_val *out);

static int is_value(const pql_expr_t *e)
{
    return e->type == PQL_STR || e->type == PQL_NUM || e->type == PQL_BOOL || e->type == PQL_NULL || e->type == PQL_PARAM ||
           e->type == PQL_LIST || e->type == PQL_BAG || e->type == PQL_TUPLE;
}

static int number_value(stmt_t *x, const char *text, const char *where, yajl_val *out)
{
    ddb_num_t n;
    int rc = ddb_num_bigdecimal_check(text, strlen(text));
    if (rc == DDB_NUM_OK)
        rc = ddb_num_parse(text, strlen(text), &n);
    if (rc != DDB_NUM_OK) {
        char buf[256];
        ddb_num_errmsg(rc, text, strlen(text), buf, sizeof(buf));
        return ddb_validation(x->c, call_sprintf(x->c, "%s under %s", buf, where ? where : "root"));
    }
    *out = ddb_av_new_n(x->c->pool, &n);
    return 0;
}

/* A parameter (validated when the statement was bound). */
static int param_value(stmt_t *x, long i, yajl_val *out)
{
    *out = x->params->u.array.values[i];
    return 0;
}

static int bag_value(stmt_t *x, const pql_expr_t *e, const char *where, yajl_val *out)
{
    call_t *c = x->c;
    if (e->nargs == 0)
        return ddb_validation(c, "Empty bags are not supported");
    yajl_val *members = call_alloc(c, sizeof(yajl_val) * e->nargs);
    ddb_type_t type = DDB_T_NONE;
    for (size_t i = 0; i < e->nargs; i++) {
        yajl_val v;
        if (value_of(x, e->args[i], where, &v) != 0)
            return -1;
        ddb_type_t t = ddb_av_type(v);
        if (!ddb_type_is_scalar(t) || (type != DDB_T_NONE && t != type))
            return ddb_validation(c, "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags");
        type = t;
        members[i] = ddb_av_inner(v);
    }
    *out = ddb_av_new(c->pool, type == DDB_T_S ? DDB_T_SS : type == DDB_T_N ? DDB_T_NS : DDB_T_BS, new_array(c, members, e->nargs));
    const char *msg;
    int rc = ddb_av_validate(c->pool, *out, &msg);
    return rc ? ddb_value_error(c, rc, msg) : 0;
}

static int tuple_value(stmt_t *x, const pql_expr_t *e, const char *where, yajl_val *out)
{
    call_t *c = x->c;
    const char **keys = call_alloc(c, sizeof(char *) * (e->nargs + 1));
    yajl_val *vals = call_alloc(c, sizeof(yajl_val) * (e->nargs + 1));
    size_t n = 0;
    for (size_t i = 0; i < e->nargs; i++) {
        yajl_val k;
        if (value_of(x, e->keys[i], where, &k) != 0)
            return -1;
        if (ddb_av_type(k) != DDB_T_S)
            return ddb_validation(c, call_sprintf(c, "Tuple keys must be of type String. Actual type: %s under %s",
                                                  ddb_type_name(ddb_av_type(k)), where ? where : "root"));
        const char *name = YAJL_GET_STRING(ddb_av_inner(k));
        for (size_t j = 0; j < n; j++)
            if (strcmp(keys[j], name) == 0)
                return ddb_validation(c,
                                      call_sprintf(c, "Duplicate keys in tuple. Key: %s under %s", name, where ? where : "root"));
        if (e->args[i]->type == PQL_MISSING)
            continue; /* an attribute whose value is MISSING is simply absent */
        keys[n] = name;
        if (value_of(x, e->args[i], where ? call_sprintf(c, "%s.%s", where, name) : "root", &vals[n]) != 0)
            return -1;
        n++;
    }
    *out = ddb_av_new(c->pool, DDB_T_M, new_object(c, keys, vals, n));
    return 0;
}

/* A literal, parameter or constructor as an AttributeValue. where names its place in messages ("root", "root.a", "root[1]");
 * NULL for an INSERT's item, whose attributes' values are each "root" as DynamoDB names them. */
static int value_of(stmt_t *x, const pql_expr_t *e, const char *where, yajl_val *out)
{
    call_t *c = x->c;
    switch (e->type) {
    case PQL_STR:
        *out = ddb_av_new(c->pool, DDB_T_S, ddb_json_str(c->pool, e->text, strlen(e->text)));
        return 0;
    case PQL_NUM:
        return number_value(x, e->text, where, out);
    case PQL_BOOL:
        *out = ddb_av_new(c->pool, DDB_T_BOOL, ytree_new(c->pool, e->ival ? yajl_t_true : yajl_t_false));
        return 0;
    case PQL_NULL:
        *out = ddb_av_new(c->pool, DDB_T_NULL, ytree_new(c->pool, yajl_t_true));
        return 0;
    case PQL_PARAM:
        return param_value(x, e->ival, out);
    case PQL_LIST: {
        yajl_val *items = call_alloc(c, sizeof(yajl_val) * (e->nargs + 1));
        for (size_t i = 0; i < e->nargs; i++)
            if (value_of(x, e->args[i], call_sprintf(c, "%s[%zu]", where, i), &items[i]) != 0)
                return -1;
        *out = ddb_av_new(c->pool, DDB_T_L, new_array(c, items, e->nargs));
        return 0;
    }
    case PQL_BAG:
        return bag_value(x, e, where, out);
    case PQL_TUPLE:
        return tuple_value(x, e, where, out);
    case PQL_MISSING:
        return ddb_validation(c, "MISSING must be compared using IS operator");
    default:
        return ddb_validation(c, pql_at(c->pool,
                                        call_sprintf(c, "Unsupported data type: %s under key %s", e->text ? e->text : "expression",
                                                     where ? where : "root"),
                                        e));
    }
}

/* ---- WHERE -> condition AST ---- */

static ddb_node_t *operand_of(stmt_t *x, const pql_expr_t *e)
{
    call_t *c = x->c;
    if (e->type == PQL_PATH) {
        ddb_node_t *n = new_node(c, DDB_NODE_PATH, 0);
        n->path = e->path;
        return n;
    }
    if (e->type == PQL_CALL && is(e->text, "size") && e->nargs == 1 && e->args[0]->type == PQL_PATH) {
        ddb_node_t *n = new_node(c, DDB_NODE_SIZE, 1);
        n->args[0] = operand_of(x, e->args[0]);
        return n;
    }
    if (is_value(e) || e->type == PQL_MISSING) {
        ddb_node_t *n = new_node(c, DDB_NODE_VALUE, 0);
        return value_of(x, e, "root", &n->value) == 0 ? n : NULL;
    }
    if (e->type == PQL_CALL)
        ddb_validation(c, pql_at(c->pool, call_sprintf(c, "Unrecognized function: %s", e->text), e));
    else
        ddb_validation(c, call_sprintf(c, "Unsupported operator in Condition Expression. Operator: %s", e->text));
    return NULL;
}

static ddb_node_t *cond_of(stmt_t *x, const pql_expr_t *e);

static ddb_node_t *node_of(stmt_t *x, ddb_node_type_t type, pql_expr_t *const *args, size_t n, int conditions)
{
    ddb_node_t *node = new_node(x->c, type, n);
    for (size_t i = 0; i < n; i++)
        if (!(node->args[i] = conditions ? cond_of(x, args[i]) : operand_of(x, args[i])))
            return NULL;
    return node;
}

static ddb_node_t *is_of(stmt_t *x, const pql_expr_t *e)
{
    static const struct {
        const char *name, *type;
    } types[] = {{"NULL", "NULL"}, {"BOOLEAN", "BOOL"}, {"BOOL", "BOOL"}, {"STRING", "S"},  {"VARCHAR", "S"}, {"CHAR", "S"},
                 {"NUMERIC", "N"}, {"DECIMAL", "N"},    {"INT", "N"},     {"INTEGER", "N"}, {"FLOAT", "N"},   {"REAL", "N"},
                 {"BLOB", "B"},    {"LIST", "L"},       {"STRUCT", "M"},  {"TUPLE", "M"}};
    call_t *c = x->c;
    if (e->args[0]->type != PQL_PATH)
        return ddb_validation(c, "The left hand side argument to IS must be a Variable Reference, Literal, or Path"), NULL;
    ddb_node_t *n;
    if (is(e->text, "MISSING")) {
        n = new_node(c, e->ival ? DDB_NODE_ATTRIBUTE_EXISTS : DDB_NODE_ATTRIBUTE_NOT_EXISTS, 1);
        n->args[0] = operand_of(x, e->args[0]);
        return n;
    }
    size_t i = 0;
    while (i < sizeof(types) / sizeof(types[0]) && !is(types[i].name, e->text))
        i++;
    if (i == sizeof(types) / sizeof(types[0]))
        return ddb_validation(c, call_sprintf(c,
                                              "Unsupported data type for IS operator: %s. Supported data types are [MISSING, NULL, "
                                              "BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]",
                                              e->text)),
               NULL;
    n = new_node(c, DDB_NODE_ATTRIBUTE_TYPE, 2);
    n->args[0] = operand_of(x, e->args[0]);
    n->args[1] = new_node(c, DDB_NODE_VALUE, 0);
    n->args[1]->value = ddb_av_new(c->pool, DDB_T_S, ddb_json_str(c->pool, types[i].type, strlen(types[i].type)));
    if (!e->ival)
        return n;
    ddb_node_t *not = new_node(c, DDB_NODE_NOT, 1);
    not ->args[0] = n;
    return not ;
}

static ddb_node_t *in_of(stmt_t *x, const pql_expr_t *e)
{
    const pql_expr_t *list = e->args[1];
    if (e->args[0]->type != PQL_PATH || list->type != PQL_LIST || list->nargs == 0)
        return ddb_validation(x->c, "IN operator must have a left hand argument of type Variable Reference and right hand argument "
                                    "of type Seq with at least one member"),
               NULL;
    ddb_node_t *n = new_node(x->c, DDB_NODE_IN, list->nargs + 1);
    if (!(n->args[0] = operand_of(x, e->args[0])))
        return NULL;
    for (size_t i = 0; i < list->nargs; i++)
        if (!(n->args[i + 1] = operand_of(x, list->args[i])))
            return NULL;
    return n;
}

/* attribute_exists(path) / attribute_not_exists(path). */
static ddb_node_t *exists_of(stmt_t *x, const pql_expr_t *e, ddb_node_type_t type)
{
    call_t *c = x->c;
    if (e->nargs != 1)
        return ddb_validation(c, call_sprintf(c,
                                              "Incorrect number of operands for operator or function; operator or function: %s, "
                                              "number of operands: %zu",
                                              e->text, e->nargs)),
               NULL;
    if (e->args[0]->type != PQL_PATH)
        return ddb_validation(c,
                              call_sprintf(c, "Operator or function requires a document path; operator or function: %s", e->text)),
               NULL;
    return node_of(x, type, e->args, 1, 0);
}

static ddb_node_t *call_of(stmt_t *x, const pql_expr_t *e)
{
    static const struct {
        const char *name;
        ddb_node_type_t type;
    } fns[] = {{"begins_with", DDB_NODE_BEGINS_WITH}, {"contains", DDB_NODE_CONTAINS}, {"attribute_type", DDB_NODE_ATTRIBUTE_TYPE}};
    for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
        if (is(e->text, fns[i].name)) {
            if (e->nargs != 2)
                return ddb_validation(x->c, call_sprintf(x->c, "Incorrect number of arguments for function: %s", e->text)), NULL;
            return node_of(x, fns[i].type, e->args, 2, 0);
        }
    if (is(e->text, "attribute_exists"))
        return exists_of(x, e, DDB_NODE_ATTRIBUTE_EXISTS);
    if (is(e->text, "attribute_not_exists"))
        return exists_of(x, e, DDB_NODE_ATTRIBUTE_NOT_EXISTS);
    return ddb_validation(x->c, pql_at(x->c->pool, call_sprintf(x->c, "Unrecognized function: %s", e->text), e)), NULL;
}

/* A function that is a condition (attribute_exists(a), begins_with(a, 'x'), ...), compared with true or false. */
static const pql_expr_t *condition_call(const pql_expr_t *e)
{
    return e->type == PQL_CALL && e->text[0] >= 'a' && e->text[0] <= 'z' && !is(e->text, "size") ? e : NULL;
}

/* "cond = true", "cond <> false", ...: the condition or its negation; NULL when e is not such a comparison. */
static ddb_node_t *compared_condition(stmt_t *x, const pql_expr_t *e, int *matched)
{
    *matched = 0;
    for (int i = 0; i < 2; i++) {
        const pql_expr_t *fn = condition_call(e->args[i]), *b = e->args[1 - i];
        if (!fn || b->type != PQL_BOOL)
            continue;
        *matched = 1;
        ddb_node_t *n = call_of(x, fn);
        if (!n || (b->ival != 0) == (e->type == PQL_EQ))
            return n;
        ddb_node_t *not = new_node(x->c, DDB_NODE_NOT, 1);
        not ->args[0] = n;
        return not ;
    }
    return NULL;
}

/* Whether a value of type t may be an operand of an ordering comparison (<, <=, >, >=, BETWEEN); raises if not. */
static int ordered_operand(stmt_t *x, ddb_type_t t, const char *op)
{
    if (t == DDB_T_S || t == DDB_T_N || t == DDB_T_B)
        return 1;
    ddb_validation(x->c,
                   call_sprintf(x->c, "Incorrect operand type for operator or function; operator or function: %s, operand type: %s",
                                op, ddb_type_name(t)));
    return 0;
}

/* An ordering comparison: DynamoDB refuses an operand value of a type without an order. */
static ddb_node_t *ordering_of(stmt_t *x, const pql_expr_t *e, ddb_node_type_t type, const char *op)
{
    ddb_node_t *n = node_of(x, type, e->args, e->nargs, 0);
    for (size_t i = 0; n && i < n->nargs; i++)
        if (!ordered_operand(x, n->args[i]->type == DDB_NODE_VALUE ? ddb_av_type(n->args[i]->value) : DDB_T_S, op))
            return NULL;
    return n;
}

/* The operand values of e's ordering comparisons, checked as the statement's own: DynamoDB refuses one without an
 * order before it looks the table up (nubo-db/dynamodb-conformance validation-ordering/partiql.test.ts). 0, or -1
 * after raising. */
static int orderings_check(stmt_t *x, const pql_expr_t *e)
{
    int ordering = e->type == PQL_LT || e->type == PQL_LE || e->type == PQL_GT || e->type == PQL_GE || e->type == PQL_BETWEEN;
    for (size_t i = 0; i < e->nargs; i++) {
        yajl_val v;
        if (ordering && is_value(e->args[i]) &&
            (value_of(x, e->args[i], "root", &v) != 0 ||
             !ordered_operand(x, ddb_av_type(v), e->type == PQL_BETWEEN ? "BETWEEN" : e->text)))
            return -1;
        if (orderings_check(x, e->args[i]) != 0)
            return -1;
    }
    return 0;
}

static ddb_node_t *cond_of(stmt_t *x, const pql_expr_t *e)
{
    static const ddb_node_type_t cmp[] = {[PQL_EQ] = DDB_NODE_EQ, [PQL_NE] = DDB_NODE_NE, [PQL_LT] = DDB_NODE_LT,
                                          [PQL_LE] = DDB_NODE_LE, [PQL_GT] = DDB_NODE_GT, [PQL_GE] = DDB_NODE_GE};
    int matched;
    ddb_node_t *n;
    switch (e->type) {
    case PQL_EQ:
    case PQL_NE:
    case PQL_LT:
    case PQL_LE:
    case PQL_GT:
    case PQL_GE:
        if (e->args[0]->type == PQL_MISSING || e->args[1]->type == PQL_MISSING)
            return ddb_validation(x->c, "MISSING must be compared using IS operator"), NULL;
        if (e->type != PQL_EQ && e->type != PQL_NE)
            return ordering_of(x, e, cmp[e->type], e->text);
        n = compared_condition(x, e, &matched);
        return matched ? n : node_of(x, cmp[e->type], e->args, 2, 0);
    case PQL_BETWEEN:
        return ordering_of(x, e, DDB_NODE_BETWEEN, "BETWEEN");
    case PQL_IN:
        return in_of(x, e);
    case PQL_AND:
        return node_of(x, DDB_NODE_AND, e->args, 2, 1);
    case PQL_OR:
        return node_of(x, DDB_NODE_OR, e->args, 2, 1);
    case PQL_NOT:
        return node_of(x, DDB_NODE_NOT, e->args, 1, 1);
    case PQL_IS:
        return is_of(x, e);
    case PQL_CALL:
        if (e->text[0] == '_' || (e->text[0] >= 'a' && e->text[0] <= 'z'))
            return call_of(x, e);
        return ddb_validation(x->c, call_sprintf(x->c, "Unsupported operator in Condition Expression. Operator: %s", e->text)),
               NULL;
    default:
        return ddb_validation(x->c, "WHERE clause must contain an expression that resolves to a boolean"), NULL;
    }
}

/* ---- keys in WHERE ---- */

/* The operands of e's top-level chain of op (PQL_AND: its conjuncts, PQL_OR: its branches), into out (at most cap);
 * their count. */
static size_t operands(const pql_expr_t *e, pql_etype_t op, const pql_expr_t **out, size_t n, size_t cap)
{
    if (e && e->type == op) {
        n = operands(e->args[0], op, out, n, cap);
        return operands(e->args[1], op, out, n, cap);
    }
    if (e && n < cap)
        out[n++] = e;
    return n;
}

static size_t conjuncts(const pql_expr_t *e, const pql_expr_t **out, size_t n, size_t cap)
{
    return operands(e, PQL_AND, out, n, cap);
}

/* "name = value" (either way round) on a top-level attribute: the value expression, else NULL. */
static const pql_expr_t *equality_on(const pql_expr_t *e, const char *name)
{
    if (!e || e->type != PQL_EQ || !name)
        return NULL;
    for (int i = 0; i < 2; i++) {
        const pql_expr_t *a = e->args[i], *v = e->args[1 - i];
        if (a->type == PQL_PATH && a->path.n == 1 && strcmp(a->path.elems[0].name, name) == 0 && is_value(v))
            return v;
    }
    return NULL;
}

#define MAX_CONJUNCTS 256

/* Writes and single-item reads: the primary key from WHERE (x->key, x->k) and the other conjuncts as x->cond. */
static int key_split(stmt_t *x, const char *incomplete_msg)
{
    call_t *c = x->c;
    const pql_expr_t *parts[MAX_CONJUNCTS];
    size_t n = conjuncts(x->st.where, parts, 0, MAX_CONJUNCTS);
    const char *names[2] = {x->t->hash.name, x->t->range.name};
    yajl_val vals[2] = {NULL, NULL};
    ddb_node_t *rest = NULL;
    for (size_t i = 0; i < n; i++) {
        int used = 0;
        for (int j = 0; j < 2 && !used; j++) {
            const pql_expr_t *v = equality_on(parts[i], names[j]);
            if (!v)
                continue;
            if (vals[j])
                return ddb_validation(c, call_sprintf(c,
                                                      "Multiple conditions on same key %s. Only single item Update/Insert/Delete "
                                                      "are supported",
                                                      names[j]));
            if (value_of(x, v, "root", &vals[j]) != 0)
                return -1;
            used = 1;
        }
        if (used)
            continue;
        ddb_node_t *cnd = cond_of(x, parts[i]);
        if (!cnd)
            return -1;
        if (rest) {
            ddb_node_t *and = new_node(c, DDB_NODE_AND, 2);
            and->args[0] = rest;
            and->args[1] = cnd;
            cnd = and;
        }
        rest = cnd;
    }
    if (!vals[0] || (names[1] && !vals[1]))
        return ddb_validation(c, incomplete_msg);
    x->key = new_object(c, names, vals, names[1] ? 2 : 1);
    x->cond = rest;
    return ddb_key_from_request(c, x->t, x->key, &x->k);
}

/* Whether e calls a function anywhere. */
static int has_call(const pql_expr_t *e)
{
    if (e && e->type == PQL_CALL)
        return 1;
    for (size_t i = 0; e && i < e->nargs; i++)
        if (has_call(e->args[i]))
            return 1;
    return 0;
}

/* A single-item SELECT of a batch or transaction: key_split(), and DynamoDB does not read a WHERE that calls a function
 * (attribute_exists(a), ...) as naming one item. */
static int read_key_split(stmt_t *x, const char *incomplete_msg)
{
    if (has_call(x->st.where))
        return ddb_validation(x->c, incomplete_msg);
    return key_split(x, incomplete_msg);
}

/* ---- binding ---- */

static int param_number(call_t *c, yajl_val n)
{
    const char *text = YAJL_IS_STRING(n) ? YAJL_GET_STRING(n) : NULL;
    ddb_num_t num;
    int rc = text ? ddb_num_bigdecimal_check(text, strlen(text)) : DDB_NUM_OK;
    if (rc == DDB_NUM_OK && text && ddb_num_parse(text, strlen(text), &num) == DDB_NUM_EINVALID)
        rc = DDB_NUM_EINVALID;
    if (rc == DDB_NUM_OK)
        return 0; /* the range rules come later, with the value's other rules */
    char buf[256];
    return ddb_validation(c, ddb_num_errmsg(rc, text, strlen(text), buf, sizeof(buf)));
}

/* The checks DynamoDB makes on a parameter before the ordinary value rules, in document order: nesting depth and
 * numbers that cannot be converted. 0, or -1 raised. */
static int param_walk(call_t *c, yajl_val av, int level)
{
    if (level > DDB_MAX_DEPTH)
        return ddb_validation(c, DDB_MSG_NESTING);
    for (size_t i = 0; YAJL_IS_OBJECT(av) && i < av->u.object.len; i++) {
        const char *k = av->u.object.keys[i];
        yajl_val v = av->u.object.values[i];
        ddb_type_t t = ddb_type_from_name(k, strlen(k));
        int rc = 0;
        if (t == DDB_T_N)
            rc = param_number(c, v);
        for (size_t j = 0; rc == 0 && t == DDB_T_NS && YAJL_IS_ARRAY(v) && j < v->u.array.len; j++)
            rc = param_number(c, v->u.array.values[j]);
        for (size_t j = 0; rc == 0 && t == DDB_T_L && YAJL_IS_ARRAY(v) && j < v->u.array.len; j++)
            rc = param_walk(c, v->u.array.values[j], level + 1);
        for (size_t j = 0; rc == 0 && t == DDB_T_M && YAJL_IS_OBJECT(v) && j < v->u.object.len; j++)
            rc = param_walk(c, v->u.object.values[j], level + 1);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Validates every parameter in turn. 0, or -1 raised. */
static int params_check(call_t *c, yajl_val params)
{
    for (size_t i = 0; params && i < params->u.array.len; i++) {
        const char *msg;
        int rc;
        if (param_walk(c, params->u.array.values[i], 1) != 0)
            return -1;
        if ((rc = ddb_av_validate(c->pool, params->u.array.values[i], &msg)) != 0)
            return ddb_value_error(c, rc, msg);
    }
    return 0;
}

/* Parses the statement and checks its parameters. 0, -1 after raising, or STMT_BAD_PARAMS after raising a parameter's
 * own error (which ExecuteTransaction reports without naming the statement). */
#define STMT_BAD_PARAMS (-2)
static int stmt_parse(stmt_t *x, call_t *c, const char *text, yajl_val params)
{
    const char *err;
    memset(x, 0, sizeof(*x));
    x->c = c;
    x->params = YAJL_IS_ARRAY(params) ? params : NULL;
    if (pql_parse(c->pool, text ? text : "", &x->st, &err) != 0)
        return ddb_validation(c, err);
    if (x->st.nparams != (x->params ? x->params->u.array.len : 0))
        return ddb_validation(c, "Number of parameters in request and statement don't match.");
    return params_check(c, x->params) != 0 ? STMT_BAD_PARAMS : 0;
}

static int stmt_table(stmt_t *x)
{
    if ((x->st.where && orderings_check(x, x->st.where) != 0) || ddb_table_find(x->c, x->st.table, &x->t) != CALL_DONE)
        return -1;
    /* Unlike Query's message, PartiQL's does not name the index. */
    if (x->st.index && !(x->ix = ddb_table_index(x->t, x->st.index)))
        return ddb_validation(x->c, "The table does not have the specified index");
    if (x->ix && (x->ix->hash.next || x->ix->range.next)) /* the words say tables, the rule follows the index */
        return ddb_validation(x->c, "PartiQL statements cannot be executed on tables with multi-attribute HASH keys or "
                                    "multi-attribute RANGE keys.");
    return 0;
}

static int is_read(const pql_stmt_t *st)
{
    return st->kind == PQL_SELECT;
}

/* ---- SELECT ---- */

typedef struct {
    yajl_val *items;
    size_t n, cap;
    yajl_val last; /* the last item read when the page is full */
    long long read;
    int64_t bytes;
    int consistent;
    double table_units; /* a local index's reads of the table's items, one per entry walked */
} page_t;

static void page_add(call_t *c, page_t *pg, yajl_val item)
{
    if (pg->n == pg->cap) {
        size_t ncap = pg->cap ? pg->cap * 2 : 16;
        yajl_val *n = call_alloc(c, sizeof(yajl_val) * ncap);
        if (pg->n)
            memcpy(n, pg->items, sizeof(yajl_val) * pg->n);
        pg->items = n;
        pg->cap = ncap;
    }
    pg->items[pg->n++] = item;
}

/* The SELECT list's attributes of item. A nested path that ends in a name answers under that name, as DynamoDB does
 * ("SELECT m.nested" gives {"nested": ...}); the other paths keep their place in the item. The first of two columns
 * of one name wins. */
static yajl_val project(stmt_t *x, yajl_val item)
{
    call_t *c = x->c;
    if (!item || x->st.nproj == 0)
        return item;
    ddb_path_t *kept = call_alloc(c, sizeof(ddb_path_t) * x->st.nproj);
    const char **names = call_alloc(c, sizeof(char *) * x->st.nproj);
    yajl_val *values = call_alloc(c, sizeof(yajl_val) * x->st.nproj);
    size_t nkept = 0, n = 0;
    for (size_t i = 0; i < x->st.nproj; i++) {
        const ddb_path_t *p = &x->st.proj[i];
        const char *last = p->elems[p->n - 1].name;
        if (p->n == 1 || !last) {
            kept[nkept++] = *p;
            continue;
        }
        yajl_val v = ddb_eval_path(item, p);
        size_t j = 0;
        while (j < n && !is(names[j], last))
            j++;
        if (v && j == n)
            names[n] = last, values[n++] = v;
    }
    ddb_projection_t proj = {kept, nkept};
    yajl_val base = ddb_eval_project(c->pool, &proj, item);
    const char **keys = call_alloc(c, sizeof(char *) * (base->u.object.len + n + 1));
    yajl_val *vals = call_alloc(c, sizeof(yajl_val) * (base->u.object.len + n + 1));
    size_t m = base->u.object.len;
    memcpy(keys, base->u.object.keys, sizeof(char *) * m);
    memcpy(vals, base->u.object.values, sizeof(yajl_val) * m);
    for (size_t i = 0; i < n; i++)
        if (!in_get(base, names[i]))
            keys[m] = names[i], vals[m++] = values[i];
    return new_object(c, keys, vals, m);
}

static const void *key_bytes(call_t *c, yajl_val v, size_t *len)
{
    unsigned char *buf = call_alloc(c, DDB_MAX_HASH_KEY + 1);
    long n = ddb_key_encode(v, buf, DDB_MAX_HASH_KEY + 1);
    *len = n > 0 ? (size_t)n : 0;
    return buf;
}

/* The key schema a SELECT reads: the index's, else the table's. */
static const ddb_key_attr_t *read_hash(const stmt_t *x)
{
    return x->ix ? &x->ix->hash : &x->t->hash;
}

/* ---- sort key ranges, and OR branches that overlap on them ---- */

/* A sort key range as key bytes: NULL bounds are open. */
typedef struct {
    const unsigned char *lo, *hi;
    size_t lolen, hilen;
    int lo_incl, hi_incl;
} span_t;

static int bytes_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
    int d = memcmp(a, b, alen < blen ? alen : blen);
    return d ? d : (alen > blen) - (alen < blen);
}

/* Whether e reads the top-level attribute name anywhere. */
static int mentions(const pql_expr_t *e, const char *name)
{
    if (e && e->type == PQL_PATH && e->path.n == 1 && is(e->path.elems[0].name, name))
        return 1;
    for (size_t i = 0; e && i < e->nargs; i++)
        if (mentions(e->args[i], name))
            return 1;
    return 0;
}

/* The key part of a conjunct that bounds the sort key rg (=, <, <=, >, >=, BETWEEN, begins_with on values of its type):
 * 1 (*part set), 0 when the conjunct does not name rg, 2 when it names rg otherwise (<>, NOT, IN, ...), -1 raised. */
static int sort_part(stmt_t *x, const pql_expr_t *e, const ddb_key_attr_t *rg, ddb_key_part_t *part)
{
    static const ddb_key_op_t ops[] = {[PQL_EQ] = DDB_KEY_EQ, [PQL_LT] = DDB_KEY_LT, [PQL_LE] = DDB_KEY_LE,
                                       [PQL_GT] = DDB_KEY_GT, [PQL_GE] = DDB_KEY_GE, [PQL_BETWEEN] = DDB_KEY_BETWEEN};
    if (!mentions(e, rg->name))
        return 0;
    int fn = e->type == PQL_CALL && is(e->text, "begins_with") && e->nargs == 2;
    int cmp = e->type == PQL_EQ || e->type == PQL_LT || e->type == PQL_LE || e->type == PQL_GT || e->type == PQL_GE ||
              e->type == PQL_BETWEEN;
    if (!(fn || cmp) || e->args[0]->type != PQL_PATH || e->args[0]->path.n != 1 || !is(e->args[0]->path.elems[0].name, rg->name))
        return 2;
    part->name = rg->name;
    part->op = fn ? DDB_KEY_BEGINS_WITH : ops[e->type];
    for (size_t j = 1; j < e->nargs; j++) {
        if (!is_value(e->args[j]))
            return 2;
        if (value_of(x, e->args[j], "root", &part->values[j - 1]) != 0)
            return -1;
        if (ddb_av_type(part->values[j - 1]) != rg->type)
            return 2;
    }
    return 1;
}

/* Narrows s to the part's bounds. A prefix's upper bound is the first key past every key it begins. */
static void span_narrow(call_t *c, span_t *s, const ddb_key_part_t *part)
{
    yajl_val lo, hi;
    int lo_incl, hi_incl;
    size_t lolen = 0, hilen = 0;
    ddb_eval_key_bounds(part, &lo, &lo_incl, &hi, &hi_incl);
    const unsigned char *l = lo ? key_bytes(c, lo, &lolen) : NULL, *h = hi ? key_bytes(c, hi, &hilen) : NULL;
    if (part->op == DDB_KEY_BEGINS_WITH) {
        unsigned char *succ = call_alloc(c, lolen + 1);
        memcpy(succ, l, lolen);
        for (hilen = lolen; hilen > 0 && succ[hilen - 1] == 0xff;)
            hilen--;
        if (hilen > 0) {
            succ[hilen - 1]++;
            h = succ;
            hi_incl = 0;
        }
    }
    if (l && (!s->lo || bytes_cmp(l, lolen, s->lo, s->lolen) > 0 || (!lo_incl && !bytes_cmp(l, lolen, s->lo, s->lolen))))
        s->lo = l, s->lolen = lolen, s->lo_incl = lo_incl;
    if (h && (!s->hi || bytes_cmp(h, hilen, s->hi, s->hilen) < 0 || (!hi_incl && !bytes_cmp(h, hilen, s->hi, s->hilen))))
        s->hi = h, s->hilen = hilen, s->hi_incl = hi_incl;
}

/* Whether a ends below b's start. */
static int span_below(const span_t *a, const span_t *b)
{
    if (!a->hi || !b->lo)
        return 0;
    int d = bytes_cmp(a->hi, a->hilen, b->lo, b->lolen);
    return d < 0 || (d == 0 && !(a->hi_incl && b->lo_incl));
}

/* One OR branch: its partition (key bytes of the partition key equality, NULL: none) and sort key span. 0, 1 when a
 * sort key condition is not a range (the branches are then not compared), -1 raised. */
static int branch_span(stmt_t *x, const pql_expr_t *branch, const unsigned char **pk, size_t *pklen, span_t *s)
{
    const pql_expr_t *parts[MAX_CONJUNCTS];
    size_t n = conjuncts(branch, parts, 0, MAX_CONJUNCTS);
    const ddb_key_attr_t *rg = x->ix ? &x->ix->range : &x->t->range;
    memset(s, 0, sizeof(*s));
    *pk = NULL;
    for (size_t i = 0; i < n; i++) {
        const pql_expr_t *v = equality_on(parts[i], read_hash(x)->name);
        ddb_key_part_t part = {0};
        yajl_val av;
        if (v && !*pk) {
            if (value_of(x, v, "root", &av) != 0)
                return -1;
            *pk = key_bytes(x->c, av, pklen);
            continue;
        }
        int rc = sort_part(x, parts[i], rg, &part);
        if (rc == 1)
            span_narrow(x->c, s, &part);
        else if (rc != 0)
            return rc;
    }
    return 0;
}

/* DynamoDB refuses OR branches that read overlapping sort key ranges of one partition ("pk = 'a' AND x = 1 OR pk = 'a'
 * AND sk = 2"), unless a branch's sort key condition is not a range (negated, <>, IN): those run. 0, or -1 raised. */
static int overlap_check(stmt_t *x)
{
    const pql_expr_t *branches[MAX_CONJUNCTS];
    size_t n = operands(x->st.where, PQL_OR, branches, 0, MAX_CONJUNCTS);
    const unsigned char *pks[MAX_CONJUNCTS];
    size_t pklens[MAX_CONJUNCTS];
    span_t spans[MAX_CONJUNCTS];
    if (n < 2 || !(x->ix ? x->ix->range.name : x->t->range.name))
        return 0;
    for (size_t i = 0; i < n; i++) {
        int rc = branch_span(x, branches[i], &pks[i], &pklens[i], &spans[i]);
        if (rc != 0 || !pks[i])
            return rc < 0 ? -1 : 0;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (!bytes_cmp(pks[i], pklens[i], pks[j], pklens[j]) && !span_below(&spans[i], &spans[j]) &&
                !span_below(&spans[j], &spans[i]))
                return ddb_validation(x->c, "Overlapping conditions with range keys are not supported in where clause");
    return 0;
}

/* The sort key range the conjuncts that bound the sort key with values allow (=, <, <=, >, >=, BETWEEN, begins_with):
 * the query then reads only that key range. Every conjunct is still evaluated on each item read. */
static int sort_bounds(stmt_t *x, const pql_expr_t **parts, size_t n, const ddb_key_attr_t *rg, ddb_range_t *r)
{
    span_t s = {0};
    for (size_t i = 0; i < n; i++) {
        ddb_key_part_t part = {0};
        int rc = sort_part(x, parts[i], rg, &part);
        if (rc < 0)
            return -1;
        if (rc == 1)
            span_narrow(x->c, &s, &part);
    }
    r->lo = s.lo;
    r->lolen = s.lolen;
    r->lo_incl = s.lo_incl;
    r->hi = s.hi;
    r->hilen = s.hilen;
    r->hi_incl = s.hi_incl;
    return 0;
}

#define MAX_PARTITIONS 100 /* partitions a SELECT reads in turn by IN or OR (more: a Scan) */

/* The values a conjunct of WHERE gives the partition key `name`: "name = v", "name IN [v, ...]", or equalities on
 * name joined by OR; 0 when it names the partition some other way, or not at all. */
static size_t hash_values(const pql_expr_t *e, const char *name, const pql_expr_t **out)
{
    const pql_expr_t *v = equality_on(e, name), *branches[MAX_PARTITIONS + 1];
    if (v) {
        out[0] = v;
        return 1;
    }
    const pql_expr_t *a = e->type == PQL_IN ? e->args[0] : NULL, *list = a ? e->args[1] : NULL;
    if (a && a->type == PQL_PATH && a->path.n == 1 && is(a->path.elems[0].name, name) && list->type == PQL_LIST &&
        list->nargs <= MAX_PARTITIONS) {
        for (size_t i = 0; i < list->nargs; i++)
            if (!is_value(out[i] = list->args[i]))
                return 0;
        return list->nargs;
    }
    size_t n = e->type == PQL_OR ? operands(e, PQL_OR, branches, 0, MAX_PARTITIONS + 1) : 0;
    for (size_t i = 0; i < n && n <= MAX_PARTITIONS; i++)
        if (!(out[i] = equality_on(branches[i], name)))
            return 0;
    return n <= MAX_PARTITIONS ? n : 0;
}

/* The partitions of the n values vals of partition key h, each once, in the order written (values of another type
 * match nothing): r->part is the first, x->parts all of them when several. 1 when none can match, -1 on error. */
static int partitions(stmt_t *x, const pql_expr_t **vals, size_t n, const ddb_key_attr_t *h, ddb_range_t *r)
{
    ddb_kbytes_t *ps = call_alloc(x->c, sizeof(*ps) * n);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        yajl_val av;
        if (value_of(x, vals[i], "root", &av) != 0)
            return -1;
        if (ddb_av_type(av) != h->type)
            continue;
        ddb_kbytes_t k = {0};
        k.pk = key_bytes(x->c, av, &k.pklen);
        k.ph = ddb_store_hash(k.pk, k.pklen);
        size_t j = 0;
        while (j < m && !(ps[j].pklen == k.pklen && memcmp(ps[j].pk, k.pk, k.pklen) == 0))
            j++;
        if (j == m)
            ps[m++] = k;
    }
    if (m == 0)
        return 1; /* matches nothing: an empty query */
    r->part = ps[0];
    x->parts = m > 1 ? ps : NULL;
    x->nparts = m > 1 ? m : 0;
    return 0;
}

/* Chooses Query or Scan: a partition key given among WHERE's conjuncts (by equality, IN or OR) reads those
 * partitions alone, as DynamoDB does (ql-reference.select); indexes with multi-attribute keys were refused by
 * stmt_table(). */
static int select_range(stmt_t *x, ddb_range_t *r)
{
    call_t *c = x->c;
    const pql_expr_t *parts[MAX_CONJUNCTS], *vals[MAX_PARTITIONS];
    size_t n = conjuncts(x->st.where, parts, 0, MAX_CONJUNCTS);
    const ddb_key_attr_t *h = read_hash(x), *rg = x->ix ? &x->ix->range : &x->t->range;
    memset(r, 0, sizeof(*r));
    r->owner = x->ix ? x->ix->id : x->t->id;
    r->is_index = x->ix != NULL;
    for (size_t i = 0; i < n; i++) {
        size_t nv = hash_values(parts[i], h->name, vals);
        if (nv > 0) {
            int rc = partitions(x, vals, nv, h, r);
            if (rc != 0)
                return rc;
            break;
        }
    }
    r->scan = r->part.pk == NULL;
    if (r->scan) {
        r->ph_lo = 0;
        r->ph_hi = UINT32_MAX;
    } else if (rg->name && sort_bounds(x, parts, n, rg, r) != 0) {
        return -1;
    }
    for (size_t i = 0; i < x->st.norder; i++) {
        const char *k = x->st.order_keys[i];
        if (!is(k, h->name) && !is(k, rg->name))
            return ddb_validation(c,
                                  call_sprintf(c, "Variable reference %s in ORDER BY clause must be part of the primary key", k));
        if (r->scan || x->nparts)
            return ddb_validation(c, x->st.where ? "Must have at least one non-optional hash key condition in WHERE clause when "
                                                   "using ORDER BY clause."
                                                 : "Must have WHERE clause in the statement when using ORDER BY clause.");
        if (is(k, rg->name) || x->st.norder == 1)
            r->desc = x->st.order_desc[i];
    }
    return 0;
}

/* NextToken: base64 of {"h": statement hash, "k": last key}. */
static uint32_t text_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static yajl_val last_key(stmt_t *x, yajl_val item)
{
    call_t *c = x->c;
    yajl_val k = ddb_item_key(c, &x->t->hash, &x->t->range, item);
    if (!x->ix)
        return k;
    yajl_val ik = ddb_item_key(c, &x->ix->hash, &x->ix->range, item);
    const char *keys[2 + 2 * DDB_KEY_PARTS];
    yajl_val vals[2 + 2 * DDB_KEY_PARTS];
    size_t n = 0;
    for (size_t i = 0; i < k->u.object.len; i++)
        keys[n] = k->u.object.keys[i], vals[n++] = k->u.object.values[i];
    for (size_t i = 0; i < ik->u.object.len; i++)
        if (!in_get(k, ik->u.object.keys[i]))
            keys[n] = ik->u.object.keys[i], vals[n++] = ik->u.object.values[i];
    return new_object(c, keys, vals, n);
}

static const char *next_token(stmt_t *x, const char *text, yajl_val key)
{
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    jw_kint(&w, "h", text_hash(text));
    jw_key(&w, "k");
    ddb_item_write(&w, key);
    jw_end(&w);
    char *out = call_alloc(x->c, base64_encoded_len(w.len) + 1);
    base64_encode(w.buf, w.len, out);
    jw_free(&w);
    return out;
}

/* NextToken -> the range's start row. */
static int resume(stmt_t *x, const char *text, const char *token, ddb_range_t *r)
{
    call_t *c = x->c;
    if (!token)
        return 0;
    size_t len = strlen(token);
    unsigned char *raw = call_alloc(c, len + 1);
    long n = base64_decode(token, len, raw);
    yajl_val tree = n > 0 ? ddb_json_parse(c, call_strndup(c, (const char *)raw, (size_t)n)) : NULL;
    long long h;
    yajl_val key = in_obj(tree, "k");
    if (!key || !in_int(tree, "h", &h))
        return ddb_validation(c, "Invalid NextToken");
    if ((uint32_t)h != text_hash(text))
        return ddb_validation(c, "NextToken does not match request");
    int bad = ddb_key_bytes(c, &x->t->hash, &x->t->range, key, x->ix ? &r->start_t : &r->start) != 0;
    if (x->ix)
        bad |= ddb_key_bytes(c, &x->ix->hash, &x->ix->range, key, &r->start) != 0;
    if (bad)
        return ddb_validation(c, "Invalid NextToken");
    r->has_start = 1;
    return 0;
}

/* Attribute names an index does not project, each once, in statement order: DynamoDB's "[a, b]". */
typedef struct {
    const char *list; /* "a, b"; NULL: none */
    const char *names[64];
    size_t n;
} missing_t;

static void unprojected(stmt_t *x, const char *name, missing_t *m)
{
    if (ddb_index_projects(x->t, x->ix, name) || m->n == sizeof(m->names) / sizeof(m->names[0]))
        return;
    for (size_t i = 0; i < m->n; i++)
        if (is(m->names[i], name))
            return;
    m->names[m->n++] = name;
    m->list = m->list ? call_sprintf(x->c, "%s, %s", m->list, name) : name;
}

/* The top-level attributes WHERE reads. */
static void unprojected_filter(stmt_t *x, const pql_expr_t *e, missing_t *m)
{
    if (e && e->type == PQL_PATH)
        unprojected(x, e->path.elems[0].name, m);
    for (size_t i = 0; e && i < e->nargs; i++)
        unprojected_filter(x, e->args[i], m);
}

/* Whether WHERE keys the index: a top-level conjunct that is an equality or IN on its partition key. */
static int keys_index(stmt_t *x)
{
    const pql_expr_t *parts[MAX_CONJUNCTS];
    size_t n = conjuncts(x->st.where, parts, 0, MAX_CONJUNCTS);
    for (size_t i = 0; i < n; i++) {
        const pql_expr_t *a = parts[i]->nargs ? parts[i]->args[0] : NULL;
        if (equality_on(parts[i], x->ix->hash.name) ||
            (parts[i]->type == PQL_IN && a->type == PQL_PATH && a->path.n == 1 && is(a->path.elems[0].name, x->ix->hash.name)))
            return 1;
    }
    return 0;
}

/* The attributes a SELECT on an index reads. A GSI refuses the columns it does not project (all of them, in statement
 * order); a local index reaches them in the table's item (SELECT * answers what it projects). Either refuses a WHERE
 * that keys the index and filters on attributes it does not project; unkeyed, WHERE reads the entries as they are. 0,
 * or -1 raised. */
static int index_columns(stmt_t *x)
{
    call_t *c = x->c;
    missing_t missing = {0};
    if (x->ix->proj == DDB_PROJ_ALL)
        return 0;
    for (size_t i = 0; i < x->st.nproj; i++)
        unprojected(x, x->st.proj[i].elems[0].name, &missing);
    x->from_table = !x->ix->global && missing.list;
    if (x->ix->global && missing.list)
        return ddb_validation(c, call_sprintf(c,
                                              "One or more parameter values were invalid: Global secondary index %s does not "
                                              "project [%s]",
                                              x->ix->name, missing.list));
    memset(&missing, 0, sizeof(missing));
    if (keys_index(x))
        unprojected_filter(x, x->st.where, &missing);
    if (missing.list)
        return ddb_validation(c, call_sprintf(c,
                                              "One or more parameter values were invalid: Secondary index %s does not project "
                                              "one or more filter attributes: [%s]",
                                              x->ix->name, missing.list));
    return 0;
}

/* Reads one page of a SELECT: items that satisfy WHERE, projected. */
static int select_page(stmt_t *x, ddb_range_t *r, long long limit, page_t *pg)
{
    call_t *c = x->c;
    ddb_iter_t it;
    ddb_row_t row;
    int rc;
    if (ddb_store_iter_begin(&it, r) != 0)
        return ddb_internal_error(c);
    while ((rc = ddb_store_iter_next(&it, &row)) == 1) {
        yajl_val entry = ddb_json_parse(c, row.item), item = entry;
        int64_t size = 0;
        if (!entry)
            continue;
        if (x->from_table) { /* WHERE reads the entry; the SELECT list, the table's item */
            item = ddb_index_base_item(c, x->t, entry, &size);
            pg->table_units += ddb_cap_read_units(size, pg->consistent);
        }
        pg->read++;
        pg->bytes += row.size;
        if (!x->cond || ddb_eval_condition(x->cond, entry))
            page_add(c, pg, project(x, item));
        if ((limit && pg->read >= limit) || pg->bytes >= PAGE_BYTES) {
            pg->last = entry;
            break;
        }
    }
    ddb_store_iter_end(&it);
    if (rc < 0)
        return ddb_internal_error(c);
    return 0;
}

/* Reads the SELECT's partitions in turn (x->parts, when WHERE names several), from the one a NextToken resumes in,
 * until the page is full. */
static int select_pages(stmt_t *x, ddb_range_t *r, long long limit, page_t *pg)
{
    size_t i = 0;
    while (x->nparts && r->has_start && i < x->nparts &&
           !(x->parts[i].pklen == r->start.pklen && memcmp(x->parts[i].pk, r->start.pk, r->start.pklen) == 0))
        i++;
    for (; i < (x->nparts ? x->nparts : 1) && !pg->last; i++) {
        if (x->nparts)
            r->part = x->parts[i];
        if (select_page(x, r, limit, pg) != 0)
            return -1;
        r->has_start = 0;
    }
    return 0;
}

/* ---- writes: prepare (no change yet), then apply ---- */

static int update_value(stmt_t *x, const pql_expr_t *e, ddb_node_t **out);

static int update_call(stmt_t *x, const pql_expr_t *e, ddb_node_t **out)
{
    call_t *c = x->c;
    ddb_node_type_t type;
    if (is(e->text, "list_append") && e->nargs == 2)
        type = DDB_NODE_LIST_APPEND;
    else if (is(e->text, "if_not_exists") && e->nargs == 2 && e->args[0]->type == PQL_PATH)
        type = DDB_NODE_IF_NOT_EXISTS;
    else
        return ddb_validation(c, call_sprintf(c, "Unsupported operator in Update Expression. Operator: %s", e->text));
    ddb_node_t *n = new_node(c, type, 2);
    if (update_value(x, e->args[0], &n->args[0]) != 0 || update_value(x, e->args[1], &n->args[1]) != 0)
        return -1;
    *out = n;
    return 0;
}

static int update_value(stmt_t *x, const pql_expr_t *e, ddb_node_t **out)
{
    call_t *c = x->c;
    if (e->type == PQL_PLUS || e->type == PQL_MINUS) {
        ddb_node_t *n = new_node(c, e->type == PQL_PLUS ? DDB_NODE_PLUS : DDB_NODE_MINUS, 2);
        if (update_value(x, e->args[0], &n->args[0]) != 0 || update_value(x, e->args[1], &n->args[1]) != 0)
            return -1;
        *out = n;
        return 0;
    }
    if (e->type == PQL_CALL && e->text[0] >= 'a' && e->text[0] <= 'z' && !is(e->text, "size"))
        return update_call(x, e, out);
    if (e->type == PQL_MISSING)
        return ddb_validation(c, "MISSING must be compared using IS operator");
    if (e->type != PQL_PATH && !is_value(e))
        return ddb_validation(c,
                              call_sprintf(c, "Unsupported operator in Update Expression. Operator: %s", e->text ? e->text : ""));
    return (*out = operand_of(x, e)) ? 0 : -1;
}

static int same_path(const ddb_path_t *a, const ddb_path_t *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (!(a->elems[i].name ? is(a->elems[i].name, b->elems[i].name)
                               : !b->elems[i].name && a->elems[i].index == b->elems[i].index))
            return 0;
    return 1;
}

/* SET a = set_add(a, <<...>>) / set_delete(a, <<...>>): DynamoDB's ADD and DELETE of set members. */
static int set_action(stmt_t *x, const pql_assign_t *as, ddb_update_action_t *a, int *done)
{
    call_t *c = x->c;
    const pql_expr_t *v = as->value;
    *done = 0;
    if (!v || v->type != PQL_CALL || !(is(v->text, "set_add") || is(v->text, "set_delete")))
        return 0;
    const char *op = is(v->text, "set_add") ? "ADD" : "DELETE";
    if (v->nargs != 2)
        return ddb_validation(c, pql_at(c->pool, call_sprintf(c, "SET_%s must have exactly two arguments", op), v));
    if (v->args[0]->type != PQL_PATH || !same_path(&v->args[0]->path, &as->path))
        return ddb_validation(
            c, pql_at(c->pool, call_sprintf(c, "The first argument to SET_%s must equal the assignment value", op), v));
    a->op = op[0] == 'A' ? DDB_UPDATE_ADD : DDB_UPDATE_DELETE;
    a->value = new_node(c, DDB_NODE_VALUE, 0);
    if (value_of(x, v->args[1], "root", &a->value->value) != 0)
        return -1;
    ddb_type_t t = ddb_av_type(a->value->value);
    if (t != DDB_T_SS && t != DDB_T_NS && t != DDB_T_BS) /* DynamoDB points at the first argument */
        return ddb_validation(
            c, pql_at(c->pool, call_sprintf(c, "The second argument to SET_%s must be a value with type SET", op), v->args[0]));
    *done = 1;
    return 0;
}

static int update_ast(stmt_t *x, ddb_update_t *upd)
{
    upd->n = x->st.nassigns;
    upd->actions = call_alloc(x->c, sizeof(ddb_update_action_t) * (upd->n + 1));
    for (size_t i = 0; i < upd->n; i++) {
        const pql_assign_t *as = &x->st.assigns[i];
        ddb_update_action_t *a = &upd->actions[i];
        int done;
        a->path = as->path;
        if (set_action(x, as, a, &done) != 0)
            return -1;
        if (done)
            continue;
        a->op = as->value ? DDB_UPDATE_SET : DDB_UPDATE_REMOVE;
        if (as->value && update_value(x, as->value, &a->value) != 0)
            return -1;
    }
    return 0;
}

static int prepare_insert(stmt_t *x)
{
    call_t *c = x->c;
    yajl_val v;
    if (x->st.value->type != PQL_TUPLE && x->st.value->type != PQL_PARAM)
        return ddb_validation(c, "Unsupported format in item expression. Please use struct format {...} to express item values "
                                 "for insert statement.");
    if (value_of(x, x->st.value, NULL, &v) != 0)
        return -1;
    if (ddb_av_type(v) != DDB_T_M)
        return ddb_validation(c, "Unsupported format in item expression. Please use struct format {...} to express item values "
                                 "for insert statement.");
    x->new_item = ddb_av_inner(v);
    if (ddb_item_check(c, x->t, x->new_item, &x->k) != 0 || ddb_item_read(c, x->t, &x->k, &x->old, &x->old_size) < 0)
        return -1;
    if (x->old) {
        x->code = "DuplicateItem";
        x->msg = "Duplicate primary key exists in table";
    }
    return 0;
}

static int prepare_update(stmt_t *x)
{
    ddb_update_t upd = {0};
    if (update_ast(x, &upd) != 0 || key_split(x, MSG_INCOMPLETE_KEY) != 0 ||
        ddb_item_read(x->c, x->t, &x->k, &x->old, &x->old_size) < 0)
        return -1;
    if (!x->old || (x->cond && !ddb_eval_condition(x->cond, x->old))) {
        x->code = "ConditionalCheckFailed";
        x->msg = "The conditional request failed";
        return 0;
    }
    return ddb_apply_update(x->c, x->t, &upd, x->old, x->key, &x->new_item, &x->changed);
}

static int prepare_delete(stmt_t *x)
{
    if (key_split(x, MSG_INCOMPLETE_KEY) != 0 || ddb_item_read(x->c, x->t, &x->k, &x->old, &x->old_size) < 0)
        return -1;
    if (x->old && x->cond && !ddb_eval_condition(x->cond, x->old)) {
        x->code = "ConditionalCheckFailed";
        x->msg = "The conditional request failed";
    }
    return 0;
}

/* EXISTS(SELECT ... WHERE <full key> AND <condition>) of a transaction: fails unless the item exists and satisfies it. */
static int prepare_exists(stmt_t *x)
{
    if (x->ix)
        return ddb_validation(x->c, "Operations on indices are not supported in transactions");
    if (key_split(x, "EXISTS() must contain a single item read with additional condition") != 0)
        return -1;
    if (!x->cond)
        return ddb_validation(x->c, "EXISTS() must contain a single item read with additional condition");
    if (ddb_item_read(x->c, x->t, &x->k, &x->old, &x->old_size) < 0)
        return -1;
    if (!x->old || (x->cond && !ddb_eval_condition(x->cond, x->old))) {
        x->code = "ConditionalCheckFailed";
        x->msg = "The conditional request failed";
    }
    return 0;
}

/* Finds the table and prepares a write (or EXISTS). 0 (x->code set when it must not run), or -1 after raising. */
static int write_prepare(stmt_t *x)
{
    if (stmt_table(x) != 0)
        return -1;
    if (x->ix)
        return ddb_validation(x->c, "This operation is not supported on an index");
    switch (x->st.kind) {
    case PQL_INSERT:
        return prepare_insert(x);
    case PQL_UPDATE:
        return prepare_update(x);
    case PQL_DELETE:
        return prepare_delete(x);
    default:
        return prepare_exists(x);
    }
}

/* Applies a prepared write (nothing for EXISTS or a DELETE of no item). 0 or -1 (raised). */
static int write_apply(stmt_t *x)
{
    memset(&x->info, 0, sizeof(x->info));
    x->info.index_units = call_alloc(x->c, sizeof(double) * (x->t->nindexes + 1));
    if (x->st.kind == PQL_EXISTS || (x->st.kind == PQL_DELETE && !x->old))
        return 0;
    return ddb_write_item(x->c, x->t, &x->k, x->old, x->old_size, x->st.kind == PQL_DELETE ? NULL : x->new_item, &x->info);
}

/* What RETURNING hands back as the statement's one item (NULL: none). */
static yajl_val returned(stmt_t *x)
{
    switch (x->st.returning) {
    case PQL_RET_ALL_OLD:
        return x->old;
    case PQL_RET_ALL_NEW:
        return x->new_item;
    case PQL_RET_MODIFIED_OLD:
        return x->changed ? ddb_eval_project(x->c->pool, x->changed, x->old) : NULL;
    case PQL_RET_MODIFIED_NEW:
        return x->changed ? ddb_eval_project(x->c->pool, x->changed, x->new_item) : NULL;
    default:
        return NULL;
    }
}

/* ---- ExecuteStatement ---- */

static void items_member(call_t *c, yajl_val *items, size_t n)
{
    jw_key(&c->out, "Items");
    jw_arr(&c->out);
    for (size_t i = 0; i < n; i++)
        ddb_item_write(&c->out, items[i]);
    jw_aend(&c->out);
}

static int execute_select(stmt_t *x, const char *text)
{
    call_t *c = x->c;
    ddb_range_t r;
    page_t pg = {0};
    long long limit = 0;
    int consistent = 0, rc;
    in_int(c->in, "Limit", &limit);
    in_bool(c->in, "ConsistentRead", &consistent);
    if (stmt_table(x) != 0)
        return CALL_ERROR;
    if (x->ix && x->ix->global && consistent)
        return ddb_validation(c, "Strongly consistent read is not supported on Global Secondary Indexes");
    if (x->ix && index_columns(x) != 0)
        return CALL_ERROR;
    if (x->st.where && (!(x->cond = cond_of(x, x->st.where)) || overlap_check(x) != 0))
        return CALL_ERROR;
    if ((rc = select_range(x, &r)) < 0 || resume(x, text, in_str(c->in, "NextToken"), &r) != 0)
        return CALL_ERROR;
    pg.consistent = consistent;
    if (rc == 0 && select_pages(x, &r, limit, &pg) != 0)
        return CALL_ERROR;
    jw_obj(&c->out);
    items_member(c, pg.items, pg.n);
    if (pg.last) {
        yajl_val key = last_key(x, pg.last);
        jw_kstr(&c->out, "NextToken", next_token(x, text, key));
        jw_key(&c->out, "LastEvaluatedKey");
        ddb_item_write(&c->out, key);
    }
    ddb_cap_t cap;
    ddb_cap_init(c, &cap, x->t, 0);
    double units = ddb_cap_read_units(pg.bytes, consistent);
    if (x->ix)
        cap.index[x->ix - x->t->indexes] = units;
    cap.table = x->ix ? pg.table_units : units;
    ddb_cap_member(c, &cap, ddb_cap_mode(c->in));
    jw_end(&c->out);
    return CALL_DONE;
}

/* A prepared write that must not run, raised as ExecuteStatement's exception. */
static int write_refused(stmt_t *x)
{
    call_t *c = x->c;
    if (is(x->code, "DuplicateItem"))
        return call_error(c, "DuplicateItemException", "%s", x->msg);
    return ddb_condition_failed(c, c->in, x->old);
}

static int execute_write(stmt_t *x)
{
    call_t *c = x->c;
    if (write_prepare(x) != 0)
        return CALL_ERROR;
    if (x->st.kind == PQL_EXISTS)
        return ddb_validation(c, "EXISTS can only be used in ExecuteTransaction write requests.");
    if (x->code)
        return write_refused(x);
    ddb_write_begin();
    int rc = write_apply(x);
    ddb_write_end(rc == 0);
    if (rc != 0)
        return CALL_ERROR;
    /* A write always answers an Items array: its RETURNING item, else empty. */
    jw_obj(&c->out);
    yajl_val item = returned(x);
    items_member(c, &item, item && item->u.object.len ? 1 : 0);
    ddb_cap_t cap;
    ddb_cap_init(c, &cap, x->t, 1);
    ddb_cap_add_write(&cap, &x->info, 1);
    ddb_cap_member(c, &cap, ddb_cap_mode(c->in));
    jw_end(&c->out);
    return CALL_DONE;
}

int ddb_execute_statement(call_t *c)
{
    stmt_t x;
    const char *text = in_str(c->in, "Statement");
    if (stmt_parse(&x, c, text, in_arr(c->in, "Parameters")) != 0)
        return CALL_ERROR;
    return is_read(&x.st) ? execute_select(&x, text) : execute_write(&x);
}

/* ---- BatchExecuteStatement ---- */

/* The error code a batch response or cancellation reason shows for a raised exception. */
static const char *short_code(call_t *c, const char *code)
{
    if (is(code, "ValidationException"))
        return "ValidationError";
    size_t len = strlen(code), sfx = strlen("Exception");
    if (len > sfx && strcmp(code + len - sfx, "Exception") == 0)
        return call_strndup(c, code, len - sfx);
    return code;
}

/* Takes the raised error off the call (it becomes one statement's outcome). */
static void take_error(call_t *c, const char **code, const char **msg)
{
    *code = short_code(c, c->err_code ? c->err_code : "InternalServerError");
    *msg = c->err_msg ? c->err_msg : "Internal server error";
    c->err_code = c->err_msg = NULL;
}

/* A batch read: the one item at the full key in WHERE. */
static int batch_get(stmt_t *x)
{
    if (stmt_table(x) != 0)
        return -1;
    if (x->ix)
        return ddb_validation(x->c, MSG_BATCH_KEY);
    if (read_key_split(x, MSG_BATCH_KEY) != 0 || ddb_item_read(x->c, x->t, &x->k, &x->old, &x->old_size) < 0)
        return -1;
    if (x->old && x->cond && !ddb_eval_condition(x->cond, x->old))
        x->old = NULL;
    return 0;
}

/* One member's answer. A failed member names its table only when it ran (a conditional failure, a duplicate), not
 * when it was refused as invalid; ReturnValuesOnConditionCheckFailure returns nothing here. */
static void batch_response(call_t *c, stmt_t *x, const char *code, const char *msg)
{
    jw_obj(&c->out);
    if (code) {
        jw_key(&c->out, "Error");
        jw_obj(&c->out);
        jw_kstr(&c->out, "Code", code);
        jw_kstr(&c->out, "Message", msg);
        jw_end(&c->out);
    }
    if (x->t && !is(code, "ValidationError"))
        jw_kstr(&c->out, "TableName", x->t->name);
    /* A read's item, or a write's RETURNING item (left out when MODIFIED finds nothing changed) */
    yajl_val item = code ? NULL : is_read(&x->st) ? project(x, x->old) : returned(x);
    if (item && (is_read(&x->st) || item->u.object.len)) {
        jw_key(&c->out, "Item");
        ddb_item_write(&c->out, item);
    }
    jw_end(&c->out);
}

/* Adds one statement's units to the per-table list. */
static void cap_add(call_t *c, ddb_cap_t *caps, size_t *ncaps, stmt_t *x, double read_units, double write_factor)
{
    size_t j = 0;
    while (j < *ncaps && caps[j].t->id != x->t->id)
        j++;
    if (j == *ncaps)
        ddb_cap_init(c, &caps[(*ncaps)++], x->t, write_factor > 0);
    if (write_factor > 0)
        ddb_cap_add_write(&caps[j], &x->info, write_factor);
    else
        caps[j].table += read_units;
}

int ddb_batch_execute_statement(call_t *c)
{
    yajl_val list = in_arr(c->in, "Statements");
    size_t n = list ? list->u.array.len : 0;
    stmt_t *xs = call_alloc(c, sizeof(stmt_t) * (n + 1));
    const char **codes = call_alloc(c, sizeof(char *) * (n + 1)), **msgs = call_alloc(c, sizeof(char *) * (n + 1));
    int reads = 0, writes = 0;
    for (size_t i = 0; i < n; i++) {
        yajl_val spec = list->u.array.values[i];
        if (stmt_parse(&xs[i], c, in_str(spec, "Statement"), in_arr(spec, "Parameters")) != 0) {
            take_error(c, &codes[i], &msgs[i]);
            continue;
        }
        *(is_read(&xs[i].st) ? &reads : &writes) += 1;
    }
    if (reads && writes)
        return ddb_validation(c, "Batch must contain either all read statements or all write statements");
    ddb_cap_t *caps = call_alloc(c, sizeof(ddb_cap_t) * (n + 1));
    size_t ncaps = 0;
    jw_obj(&c->out);
    jw_key(&c->out, "Responses");
    jw_arr(&c->out);
    for (size_t i = 0; i < n; i++) {
        stmt_t *x = &xs[i];
        yajl_val spec = list->u.array.values[i];
        if (!codes[i] && is_read(&x->st)) {
            int consistent = 0;
            in_bool(spec, "ConsistentRead", &consistent);
            if (batch_get(x) != 0)
                take_error(c, &codes[i], &msgs[i]);
            else
                cap_add(c, caps, &ncaps, x, ddb_cap_read_units(x->old_size, consistent), 0);
        } else if (!codes[i]) {
            int rc = write_prepare(x);
            if (rc == 0 && x->st.kind == PQL_EXISTS)
                rc = ddb_validation(c, "EXISTS can only be used in ExecuteTransaction write requests.");
            if (rc == 0 && x->code) {
                codes[i] = x->code;
                msgs[i] = x->msg;
            } else if (rc == 0) {
                ddb_write_begin();
                rc = write_apply(x);
                ddb_write_end(rc == 0);
            }
            if (rc != 0)
                take_error(c, &codes[i], &msgs[i]);
            else if (!codes[i])
                cap_add(c, caps, &ncaps, x, 0, 1);
        }
        batch_response(c, x, codes[i], msgs[i]);
    }
    jw_aend(&c->out);
    ddb_cap_list_member(c, caps, ncaps);
    jw_end(&c->out);
    return CALL_DONE;
}

/* ---- ExecuteTransaction ---- */

static int tx_invalid(call_t *c, size_t i)
{
    const char *code, *msg;
    if (!is(c->err_code, "ValidationException"))
        return CALL_ERROR;
    take_error(c, &code, &msg);
    return ddb_validation(c, call_sprintf(c, "Validation failed in TransactStatements[%zu]: %s", i, msg));
}

static int tx_cancel(call_t *c, stmt_t *xs, yajl_val list, size_t n)
{
    const char *codes = NULL;
    jw_obj(&c->out);
    jw_key(&c->out, "CancellationReasons");
    jw_arr(&c->out);
    for (size_t i = 0; i < n; i++) {
        const char *code = xs[i].code ? xs[i].code : "None";
        codes = codes ? call_sprintf(c, "%s, %s", codes, code) : code;
        jw_obj(&c->out);
        if (xs[i].code && xs[i].old && is(in_str(list->u.array.values[i], "ReturnValuesOnConditionCheckFailure"), "ALL_OLD")) {
            jw_key(&c->out, "Item");
            ddb_item_write(&c->out, xs[i].old);
        }
        jw_kstr(&c->out, "Code", code);
        if (xs[i].msg)
            jw_kstr(&c->out, "Message", xs[i].msg);
        jw_end(&c->out);
    }
    jw_aend(&c->out);
    jw_end(&c->out);
    return call_error(c, "TransactionCanceledException",
                      "Transaction cancelled, please refer cancellation reasons for specific reasons [%s]", codes);
}

/* All reads: every SELECT names one item by its full key. */
static int tx_reads(call_t *c, stmt_t *xs, size_t n)
{
    ddb_cap_t *caps = call_alloc(c, sizeof(ddb_cap_t) * (n + 1));
    size_t ncaps = 0;
    for (size_t i = 0; i < n; i++) {
        stmt_t *x = &xs[i];
        if (stmt_table(x) != 0)
            return tx_invalid(c, i);
        if (x->ix)
            return ddb_validation(c, call_sprintf(c,
                                                  "Validation failed in TransactStatements[%zu]: Reads on indices are not "
                                                  "supported within transactions.",
                                                  i));
        if (read_key_split(x, "Select statements within ExecuteTransaction must specify the primary key in the where clause.") != 0)
            return tx_invalid(c, i);
        if (ddb_item_read(c, x->t, &x->k, &x->old, &x->old_size) < 0)
            return CALL_ERROR;
        if (x->old && x->cond && !ddb_eval_condition(x->cond, x->old))
            x->old = NULL;
        cap_add(c, caps, &ncaps, x, 2 * ddb_cap_read_units(x->old_size, 1), 0);
    }
    jw_obj(&c->out);
    jw_key(&c->out, "Responses");
    jw_arr(&c->out);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&c->out);
        if (xs[i].old) {
            jw_key(&c->out, "Item");
            ddb_item_write(&c->out, project(&xs[i], xs[i].old));
        }
        jw_end(&c->out);
    }
    jw_aend(&c->out);
    ddb_cap_list_member_txn(c, caps, ncaps);
    jw_end(&c->out);
    return CALL_DONE;
}

/* The key a write statement names (an INSERT's from its item). 0 or -1 (raised). */
static int write_key(stmt_t *x)
{
    yajl_val v;
    if (x->st.kind != PQL_INSERT)
        return key_split(x, MSG_INCOMPLETE_KEY);
    if (value_of(x, x->st.value, "root", &v) != 0)
        return -1;
    return ddb_item_check(x->c, x->t, ddb_av_inner(v), &x->k);
}

/* A same-token replay: the stored reply, charged as a transactional read of each statement's item as it is now, as
 * TransactWriteItems' replay is (nubo-db/dynamodb-conformance executeTransaction, characterised on DynamoDB: 2 write
 * units on the first call, 2 read units on the replay). */
static int tx_replay(call_t *c, stmt_t *xs, size_t n, const char *reply)
{
    ddb_cap_t *caps = call_alloc(c, sizeof(ddb_cap_t) * (n + 1));
    size_t ncaps = 0;
    for (size_t i = 0; i < n; i++) {
        stmt_t *x = &xs[i];
        if (stmt_table(x) != 0 || write_key(x) != 0 || ddb_item_read(c, x->t, &x->k, &x->old, &x->old_size) < 0)
            return CALL_ERROR;
        cap_add(c, caps, &ncaps, x, 2 * ddb_cap_read_units(x->old_size, 1), 0);
    }
    return ddb_token_reply(c, reply, caps, ncaps);
}

static int tx_writes(call_t *c, stmt_t *xs, yajl_val list, size_t n)
{
    const char *token, *hash, *reply;
    int replayed = ddb_token_find(c, &token, &hash, &reply);
    if (replayed != 0)
        return replayed > 0 ? tx_replay(c, xs, n, reply) : CALL_ERROR;
    for (size_t i = 0; i < n; i++) {
        if (write_prepare(&xs[i]) != 0)
            return tx_invalid(c, i);
        for (size_t j = 0; j < i; j++)
            if (xs[j].t->id == xs[i].t->id && ddb_same_key(&xs[j].k, &xs[i].k))
                return ddb_validation(c, "Transaction request cannot include multiple operations on one item");
    }
    for (size_t i = 0; i < n; i++)
        if (xs[i].code)
            return tx_cancel(c, xs, list, n);
    ddb_cap_t *caps = call_alloc(c, sizeof(ddb_cap_t) * (n + 1));
    size_t ncaps = 0;
    ddb_write_begin();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if ((rc = write_apply(&xs[i])) == 0)
            cap_add(c, caps, &ncaps, &xs[i], 0, 2);
    if (rc == 0) {
        jw_obj(&c->out);
        jw_key(&c->out, "Responses"); /* DynamoDB's answer to writes too: an empty list */
        jw_arr(&c->out);
        jw_aend(&c->out);
        ddb_cap_list_member_txn(c, caps, ncaps);
        jw_end(&c->out);
        rc = ddb_token_keep(c, token, hash);
    }
    ddb_write_end(rc == 0);
    return rc == 0 ? CALL_DONE : CALL_ERROR;
}

int ddb_execute_transaction(call_t *c)
{
    yajl_val list = in_arr(c->in, "TransactStatements");
    size_t n = list ? list->u.array.len : 0, reads = 0;
    stmt_t *xs = call_alloc(c, sizeof(stmt_t) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        yajl_val spec = list->u.array.values[i];
        int rc = stmt_parse(&xs[i], c, in_str(spec, "Statement"), in_arr(spec, "Parameters"));
        if (rc != 0)
            return rc == STMT_BAD_PARAMS ? CALL_ERROR : tx_invalid(c, i);
        if (xs[i].st.returning != PQL_RET_NONE)
            return ddb_validation(c, call_sprintf(c,
                                                  "Validation failed in TransactStatements[%zu]: RETURNING clause is not "
                                                  "supported in ExecuteTransaction.",
                                                  i));
        reads += is_read(&xs[i].st);
    }
    if (reads && reads != n)
        return ddb_validation(c, "Transaction must contain either all read statements or all write statements");
    return reads ? tx_reads(c, xs, n) : tx_writes(c, xs, list, n);
}
