/* ddb_legacy.c - DynamoDB's pre-expression parameters as expression ASTs.
 *
 * Expected, AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter and
 * ScanFilter (with ConditionalOperator) become the same ddb_expr ASTs the
 * expression parser builds, so evaluation has one code path, after the checks
 * DynamoDB makes of them (operand types, Expected's member combinations,
 * AttributeUpdates' values and actions). Which members each operation has in
 * either style decides the messages for mixing the styles and for expression
 * attribute names or values given without expressions. */
#include <string.h>

#include "services/dynamodb/ddb_core.h"

/* The members of each operation in the two styles, in the order DynamoDB names them in its messages,
 * and what its "ExpressionAttributeValues can only be specified when using expressions" message adds about
 * the expressions that use values (NULL: values are not a member of the operation, and ignored; PutItem and
 * DeleteItem add nothing: paritysuite/dynamodb-conformance putItem and deleteItem captures, October 2026). */
typedef struct {
    const char *op;
    const char *const *exprs;  /* NULL-terminated */
    const char *const *legacy; /* NULL-terminated */
    const char *values_null;
} op_params_t;

static const char *const condition_only[] = {"ConditionExpression", NULL};
static const char *const expected_legacy[] = {"Expected", "ConditionalOperator", NULL};
static const char *const projection_only[] = {"ProjectionExpression", NULL};
static const char *const attrs_only[] = {"AttributesToGet", NULL};
static const char *const update_exprs[] = {"UpdateExpression", "ConditionExpression", NULL};
static const char *const update_legacy[] = {"AttributeUpdates", "Expected", "ConditionalOperator", NULL};
static const char *const query_exprs[] = {"ProjectionExpression", "FilterExpression", "KeyConditionExpression", NULL};
static const char *const query_legacy[] = {"AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions", NULL};
static const char *const scan_exprs[] = {"ProjectionExpression", "FilterExpression", NULL};
static const char *const scan_legacy[] = {"AttributesToGet", "ScanFilter", "ConditionalOperator", NULL};
static const char *const none[] = {NULL};

static const op_params_t op_params[] = {
    {"PutItem", condition_only, expected_legacy, ""},
    {"DeleteItem", condition_only, expected_legacy, ""},
    {"UpdateItem", update_exprs, update_legacy, ": UpdateExpression and ConditionExpression are null"},
    {"GetItem", projection_only, attrs_only, NULL},
    {"BatchGetItem", projection_only, attrs_only, NULL},
    {"Query", query_exprs, query_legacy, ": FilterExpression and KeyConditionExpression are null"},
    {"Scan", scan_exprs, scan_legacy, ": FilterExpression is null"},
    {"TransactGetItems", projection_only, none, NULL},
    /* its Update items must have an UpdateExpression */
    {"TransactWriteItems", update_exprs, none, ": ConditionExpression is null"},
};

static const char *const all_exprs[] = {"ProjectionExpression",   "UpdateExpression", "ConditionExpression",
                                        "KeyConditionExpression", "FilterExpression", NULL};
static const char *const all_legacy[] = {"AttributesToGet", "AttributeUpdates", "ConditionalOperator", "Expected",
                                         "KeyConditions",   "QueryFilter",      "ScanFilter",          NULL};
static const op_params_t any_op = {"", all_exprs, all_legacy, NULL};

static const op_params_t *params_of(const char *op)
{
    for (size_t i = 0; op && i < sizeof(op_params) / sizeof(op_params[0]); i++)
        if (strcmp(op_params[i].op, op) == 0)
            return &op_params[i];
    return &any_op;
}

static int index_in(const char *key, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (key[0] == list[i][0] && strcmp(key, list[i]) == 0)
            return i;
    return -1;
}

/* Which of an operation's members a request gives, from one pass over its members (most requests
 * give a few, and this runs on every item request). JSON null counts as absent, as DynamoDB reads
 * requests. */
typedef struct {
    unsigned exprs, legacy; /* bit i: p->exprs[i] / p->legacy[i] */
    int names, values;      /* ExpressionAttributeNames, ExpressionAttributeValues */
} given_t;

static given_t given_of(yajl_val in, const op_params_t *p)
{
    given_t g = {0};
    for (size_t i = 0; YAJL_IS_OBJECT(in) && i < in->u.object.len; i++) {
        const char *k = in->u.object.keys[i];
        int j;
        if (YAJL_IS_NULL(in->u.object.values[i]))
            continue;
        if ((j = index_in(k, p->exprs)) >= 0)
            g.exprs |= 1u << j;
        else if ((j = index_in(k, p->legacy)) >= 0)
            g.legacy |= 1u << j;
        else if (strcmp(k, "ExpressionAttributeNames") == 0)
            g.names = 1;
        else if (strcmp(k, "ExpressionAttributeValues") == 0)
            g.values = 1;
    }
    return g;
}

/* A member given a value (of a map inside the request). */
static int given(yajl_val in, const char *name)
{
    yajl_val v = in_get(in, name);
    return v != NULL && !YAJL_IS_NULL(v);
}

static unsigned bit_of(const char *name, const char *const *list)
{
    int i = index_in(name, list);
    return i < 0 ? 0 : 1u << i;
}

/* "{A, B}" of the members of list whose bits are set. */
static const char *names_of(call_t *c, const char *const *list, unsigned bits)
{
    const char *out = NULL;
    for (int i = 0; list[i]; i++)
        if (bits & 1u << i)
            out = out ? call_sprintf(c, "%s, %s", out, list[i]) : list[i];
    return call_sprintf(c, "{%s}", out);
}

int ddb_legacy_check(call_t *c, yajl_val in, ddb_styles_t *styles)
{
    const op_params_t *p = params_of(c->op_name);
    given_t g = given_of(in, p);
    styles->legacy = g.legacy != 0;
    styles->takes_values = p == &any_op || p->values_null != NULL;
    if (!g.exprs && !g.legacy && !g.names && !g.values)
        return 0;
    unsigned legacy = g.legacy;
    /* KeyConditions may go with the other expressions as long as KeyConditionExpression is absent */
    if (!(g.exprs & bit_of("KeyConditionExpression", p->exprs)))
        legacy &= ~bit_of("KeyConditions", p->legacy);
    if (g.exprs && legacy)
        return ddb_validation(c, call_sprintf(c,
                                              "Can not use both expression and non-expression parameters in the same request: "
                                              "Non-expression parameters: %s Expression parameters: %s",
                                              names_of(c, p->legacy, legacy), names_of(c, p->exprs, g.exprs)));
    if (!g.exprs && g.names)
        return ddb_validation(c, "ExpressionAttributeNames can only be specified when using expressions");
    if (p->values_null && g.values && !(g.exprs & ~bit_of("ProjectionExpression", p->exprs)))
        return ddb_validation(
            c, call_sprintf(c, "ExpressionAttributeValues can only be specified when using expressions%s", p->values_null));
    return 0;
}

static ddb_node_t *node(call_t *c, ddb_node_type_t type, size_t nargs)
{
    ddb_node_t *n = call_alloc(c, sizeof(*n));
    n->type = type;
    n->nargs = nargs;
    n->args = call_alloc(c, sizeof(ddb_node_t *) * (nargs + 1));
    return n;
}

static void path_of(call_t *c, ddb_path_t *p, const char *name)
{
    p->elems = call_alloc(c, sizeof(ddb_path_elem_t));
    p->elems[0].name = name;
    p->n = 1;
}

static ddb_node_t *path_node(call_t *c, const char *name)
{
    ddb_node_t *n = node(c, DDB_NODE_PATH, 0);
    path_of(c, &n->path, name);
    return n;
}

static ddb_node_t *value_node(call_t *c, yajl_val v)
{
    ddb_node_t *n = node(c, DDB_NODE_VALUE, 0);
    n->value = v;
    return n;
}

typedef struct {
    const char *name;
    ddb_node_type_t type;
    int nvals; /* -1: one or more (IN) */
    int negate;
} legacy_op_t;

static const legacy_op_t legacy_ops[] = {
    {"EQ", DDB_NODE_EQ, 1, 0},
    {"NE", DDB_NODE_NE, 1, 0},
    {"LE", DDB_NODE_LE, 1, 0},
    {"LT", DDB_NODE_LT, 1, 0},
    {"GE", DDB_NODE_GE, 1, 0},
    {"GT", DDB_NODE_GT, 1, 0},
    {"NOT_NULL", DDB_NODE_ATTRIBUTE_EXISTS, 0, 0},
    {"NULL", DDB_NODE_ATTRIBUTE_NOT_EXISTS, 0, 0},
    {"CONTAINS", DDB_NODE_CONTAINS, 1, 0},
    {"NOT_CONTAINS", DDB_NODE_CONTAINS, 1, 1},
    {"BEGINS_WITH", DDB_NODE_BEGINS_WITH, 1, 0},
    {"IN", DDB_NODE_IN, -1, 0},
    {"BETWEEN", DDB_NODE_BETWEEN, 2, 0},
};

#define MSG_INVALID "One or more parameter values were invalid: "

/* The operand types an operator takes (EQ and NE take every type). */
static int operand_type_ok(const legacy_op_t *op, ddb_type_t t)
{
    if (op->type == DDB_NODE_EQ || op->type == DDB_NODE_NE)
        return 1;
    if (op->type == DDB_NODE_BEGINS_WITH)
        return t == DDB_T_S || t == DDB_T_B;
    return ddb_type_is_scalar(t);
}

/* The operands' checks after their count, in DynamoDB's order: one type for all, a type the
 * operator takes, a BETWEEN range in order. 0, or -1 after raising. */
static int operands_check(call_t *c, const legacy_op_t *op, yajl_val vals, size_t nv)
{
    for (size_t i = 1; i < nv; i++)
        if (ddb_av_type(vals->u.array.values[i]) != ddb_av_type(vals->u.array.values[0]))
            return ddb_validation(c, MSG_INVALID "AttributeValues inside AttributeValueList must be of same type");
    for (size_t i = 0; i < nv; i++) {
        ddb_type_t t = ddb_av_type(vals->u.array.values[i]);
        if (!operand_type_ok(op, t))
            return ddb_validation(c, call_sprintf(c, MSG_INVALID "ComparisonOperator %s is not valid for %s AttributeValue type",
                                                  op->name, ddb_type_name(t)));
    }
    if (op->type == DDB_NODE_BETWEEN && ddb_av_compare(vals->u.array.values[0], vals->u.array.values[1]) > 0)
        return ddb_validation(c,
                              "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
    return 0;
}

/* One attribute's {ComparisonOperator, AttributeValueList} as a condition node; NULL after raising. */
static ddb_node_t *comparison(call_t *c, const char *attr, const char *opname, yajl_val vals)
{
    const legacy_op_t *op = NULL;
    for (size_t i = 0; i < sizeof(legacy_ops) / sizeof(legacy_ops[0]); i++)
        if (opname && strcmp(legacy_ops[i].name, opname) == 0)
            op = &legacy_ops[i];
    size_t nv = YAJL_IS_ARRAY(vals) ? vals->u.array.len : 0;
    const char *msg;
    for (size_t i = 0; i < nv; i++) {
        int rc = ddb_av_validate_in(c->pool, vals->u.array.values[i], ddb_call_layer(c), &msg);
        if (rc != 0) {
            ddb_value_error(c, rc, msg);
            return NULL;
        }
    }
    if (!op || (op->nvals >= 0 && nv != (size_t)op->nvals) || (op->nvals < 0 && nv == 0)) {
        ddb_validation(c, call_sprintf(c, MSG_INVALID "Invalid number of argument(s) for the %s ComparisonOperator",
                                       opname ? opname : "null"));
        return NULL;
    }
    if (operands_check(c, op, vals, nv) != 0)
        return NULL;
    ddb_node_t *n = node(c, op->type, 1 + nv);
    n->args[0] = path_node(c, attr);
    for (size_t i = 0; i < nv; i++)
        n->args[1 + i] = value_node(c, vals->u.array.values[i]);
    if (!op->negate)
        return n;
    /* NOT_CONTAINS, like CONTAINS, is false for a missing attribute (NE is true there) */
    ddb_node_t *not = node(c, DDB_NODE_NOT, 1), *exists = node(c, DDB_NODE_ATTRIBUTE_EXISTS, 1), *both = node(c, DDB_NODE_AND, 2);
    not ->args[0] = n;
    exists->args[0] = path_node(c, attr);
    both->args[0] = exists;
    both->args[1] = not ;
    return both;
}

/* A one-element AttributeValueList holding value. */
static yajl_val list_of(call_t *c, yajl_val value)
{
    yajl_val list = call_alloc(c, sizeof(*list));
    list->type = yajl_t_array;
    list->u.array.values = call_alloc(c, sizeof(yajl_val));
    list->u.array.values[0] = value;
    list->u.array.len = 1;
    return list;
}

/* One attribute of Expected: {ComparisonOperator, AttributeValueList or Value} or {Value, Exists}, checked
 * in DynamoDB's order and with its messages; NULL after raising. */
static ddb_node_t *expected_one(call_t *c, const char *attr, yajl_val spec)
{
    const char *opname = in_str(spec, "ComparisonOperator");
    int has_list = given(spec, "AttributeValueList"), has_value = given(spec, "Value");
    if (has_list && has_value)
        return ddb_validation(
                   c, call_sprintf(c, MSG_INVALID "Value and AttributeValueList cannot be used together for Attribute: %s", attr)),
               NULL;
    if (opname) {
        if (given(spec, "Exists"))
            return ddb_validation(c, call_sprintf(c,
                                                  MSG_INVALID "Exists and ComparisonOperator cannot be used together for "
                                                              "Attribute: %s",
                                                  attr)),
                   NULL;
        if (!has_list && !has_value && strcmp(opname, "NULL") != 0 && strcmp(opname, "NOT_NULL") != 0)
            return ddb_validation(c, call_sprintf(c,
                                                  MSG_INVALID "Value or AttributeValueList must be used with ComparisonOperator: "
                                                              "%s for Attribute: %s",
                                                  opname, attr)),
                   NULL;
        return comparison(c, attr, opname, has_value ? list_of(c, in_get(spec, "Value")) : in_arr(spec, "AttributeValueList"));
    }
    if (has_list)
        return ddb_validation(c, call_sprintf(c,
                                              MSG_INVALID "AttributeValueList can only be used with a ComparisonOperator for "
                                                          "Attribute: %s",
                                              attr)),
               NULL;
    int exists = 1;
    in_bool(spec, "Exists", &exists);
    if (exists && !has_value)
        return ddb_validation(c, call_sprintf(c, MSG_INVALID "Value must be provided when Exists is %s for Attribute: %s",
                                              given(spec, "Exists") ? "true" : "null", attr)),
               NULL;
    if (!exists && has_value)
        return ddb_validation(c, call_sprintf(c, MSG_INVALID "Value cannot be used when Exists is false for Attribute: %s", attr)),
               NULL;
    if (exists)
        return comparison(c, attr, "EQ", list_of(c, in_get(spec, "Value")));
    ddb_node_t *n = node(c, DDB_NODE_ATTRIBUTE_NOT_EXISTS, 1);
    n->args[0] = path_node(c, attr);
    return n;
}

/* nodes[0..n) joined by op as a balanced tree, in their order: a chain one node per entry was as
 * deep as the map was long, and the evaluator's recursion overflowed the stack at 30,000 (legacy
 * maps have no length limit, unlike the 4 KB expressions). */
static ddb_node_t *join_balanced(call_t *c, ddb_node_type_t op, ddb_node_t **nodes, size_t n)
{
    if (n == 1)
        return nodes[0];
    ddb_node_t *j = node(c, op, 2);
    j->args[0] = join_balanced(c, op, nodes, n / 2);
    j->args[1] = join_balanced(c, op, nodes + n / 2, n - n / 2);
    return j;
}

/* A map of attribute -> condition, joined by ConditionalOperator (AND by default). -1 after raising. */
static int conditions(call_t *c, yajl_val in, yajl_val map, int expected, ddb_node_t **out)
{
    *out = NULL;
    if (!YAJL_IS_OBJECT(map) || map->u.object.len == 0)
        return 0;
    const char *joiner = in_str(in, "ConditionalOperator");
    ddb_node_t **nodes = call_alloc(c, map->u.object.len * sizeof(*nodes));
    for (size_t i = 0; i < map->u.object.len; i++) {
        const char *attr = map->u.object.keys[i];
        yajl_val spec = map->u.object.values[i];
        nodes[i] = expected ? expected_one(c, attr, spec)
                            : comparison(c, attr, in_str(spec, "ComparisonOperator"), in_arr(spec, "AttributeValueList"));
        if (!nodes[i])
            return -1;
    }
    *out = join_balanced(c, joiner && strcmp(joiner, "OR") == 0 ? DDB_NODE_OR : DDB_NODE_AND, nodes, map->u.object.len);
    return 0;
}

/* The checks of one AttributeUpdates entry, in DynamoDB's order: its value, then what its action
 * takes (ADD: a number, a set or a list; DELETE with a value: a set). 0, or -1 after raising. */
static int attribute_update_check(call_t *c, ddb_update_op_t op, yajl_val value)
{
    const char *msg;
    int rc = value ? ddb_av_validate_in(c->pool, value, ddb_call_layer(c), &msg) : 0;
    if (rc != 0)
        return ddb_value_error(c, rc, msg);
    ddb_type_t t = ddb_av_type(value);
    if (op != DDB_UPDATE_REMOVE && !value)
        return ddb_validation(c, MSG_INVALID "Only DELETE action is allowed when no attribute value is specified");
    if (op == DDB_UPDATE_DELETE && t != DDB_T_SS && t != DDB_T_NS && t != DDB_T_BS)
        return ddb_validation(
            c, call_sprintf(c, MSG_INVALID "DELETE action with value is not supported for the type %s", ddb_type_name(t)));
    if (op == DDB_UPDATE_ADD && t != DDB_T_N && t != DDB_T_L && t != DDB_T_SS && t != DDB_T_NS && t != DDB_T_BS)
        return ddb_validation(c, call_sprintf(c, MSG_INVALID "ADD action is not supported for the type %s", ddb_type_name(t)));
    return 0;
}

static ddb_update_t *attribute_updates(call_t *c, yajl_val map)
{
    ddb_update_t *u = call_alloc(c, sizeof(*u));
    u->actions = call_alloc(c, sizeof(ddb_update_action_t) * (map->u.object.len + 1));
    u->legacy = 1;
    for (size_t i = 0; i < map->u.object.len; i++) {
        yajl_val spec = map->u.object.values[i], value = given(spec, "Value") ? in_get(spec, "Value") : NULL;
        const char *action = in_str(spec, "Action");
        ddb_update_action_t *a = &u->actions[u->n++];
        path_of(c, &a->path, map->u.object.keys[i]);
        if (!action || strcmp(action, "PUT") == 0)
            a->op = DDB_UPDATE_SET;
        else if (strcmp(action, "ADD") == 0)
            a->op = DDB_UPDATE_ADD;
        else
            a->op = value ? DDB_UPDATE_DELETE : DDB_UPDATE_REMOVE;
        if (attribute_update_check(c, a->op, value) != 0)
            return NULL;
        if (value)
            a->value = value_node(c, value);
    }
    return u;
}

static int by_text_then_place(const void *a, const void *b)
{
    const char *const *x = *(const char *const *const *)a, *const *y = *(const char *const *const *)b;
    int d = strcmp(*x, *y);
    return d ? d : (x > y) - (x < y);
}

/* The name of list (of strings) whose repetition comes first in the list, or NULL. Sorted, not
 * scanned pairwise: AttributesToGet has no length limit. */
static const char *first_repeated(call_t *c, yajl_val list)
{
    size_t n = 0;
    const char **names = call_alloc(c, sizeof(*names) * (list->u.array.len + 1));
    for (size_t i = 0; i < list->u.array.len; i++)
        if (YAJL_IS_STRING(list->u.array.values[i]))
            names[n++] = list->u.array.values[i]->u.string;
    const char ***order = call_alloc(c, sizeof(*order) * (n + 1));
    for (size_t i = 0; i < n; i++)
        order[i] = &names[i];
    qsort(order, n, sizeof(*order), by_text_then_place);
    const char **best = NULL; /* the earliest second occurrence of a name */
    for (size_t i = 1; i < n; i++) {
        int second = strcmp(*order[i], *order[i - 1]) == 0 && (i == 1 || strcmp(*order[i], *order[i - 2]) != 0);
        if (second && (best == NULL || order[i] < best))
            best = order[i];
    }
    return best ? *best : NULL;
}

static ddb_projection_t *attributes_to_get(call_t *c, yajl_val list)
{
    const char *dup = first_repeated(c, list);
    if (dup)
        return ddb_validation(c, call_sprintf(c, MSG_INVALID "Duplicate value in attribute name: %s", dup)), NULL;
    ddb_projection_t *p = call_alloc(c, sizeof(*p));
    p->paths = call_alloc(c, sizeof(ddb_path_t) * (list->u.array.len + 1));
    for (size_t i = 0; i < list->u.array.len; i++)
        if (YAJL_IS_STRING(list->u.array.values[i]))
            path_of(c, &p->paths[p->n++], YAJL_GET_STRING(list->u.array.values[i]));
    return p;
}

/* ConditionalOperator needs a condition map with two or more elements; an empty map counts as none
 * (ExtendDB/extenddb tests/test_conditional_operator.py, run against DynamoDB: Scan with ScanFilter {}). */
static int conditional_operator_check(call_t *c, yajl_val in)
{
    yajl_val map = in_obj(in, "Expected")      ? in_obj(in, "Expected")
                   : in_obj(in, "QueryFilter") ? in_obj(in, "QueryFilter")
                                               : in_obj(in, "ScanFilter");
    if (!in_get(in, "ConditionalOperator"))
        return 0;
    if (!map || map->u.object.len == 0)
        return ddb_validation(c, "ConditionalOperator cannot be used without Filter or Expected");
    if (map->u.object.len < 2)
        return ddb_validation(c, "ConditionalOperator can only be used when Filter or Expected has two or more elements");
    return 0;
}

int ddb_legacy_convert(call_t *c, yajl_val in, ddb_expr_request_t *req)
{
    yajl_val updates = in_obj(in, "AttributeUpdates"), get = in_arr(in, "AttributesToGet");
    if (conditional_operator_check(c, in) != 0)
        return -1;
    if (in_obj(in, "Expected") && conditions(c, in, in_obj(in, "Expected"), 1, &req->condition_ast) != 0)
        return -1;
    if (in_obj(in, "KeyConditions") && conditions(c, in, in_obj(in, "KeyConditions"), 0, &req->key_condition_ast) != 0)
        return -1;
    yajl_val filter = in_obj(in, "QueryFilter") ? in_obj(in, "QueryFilter") : in_obj(in, "ScanFilter");
    if (filter && conditions(c, in, filter, 0, &req->filter_ast) != 0)
        return -1;
    if (updates && (req->update_ast = attribute_updates(c, updates)) == NULL)
        return -1;
    if (get && (req->projection_ast = attributes_to_get(c, get)) == NULL)
        return -1;
    return 0;
}
