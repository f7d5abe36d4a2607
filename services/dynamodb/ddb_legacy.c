/* ddb_legacy.c - DynamoDB's pre-expression parameters as expression ASTs.
 *
 * Expected, AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter and
 * ScanFilter (with ConditionalOperator) become the same ddb_expr ASTs the
 * expression parser builds, so evaluation has one code path. Mixing the two
 * styles in a request is refused with DynamoDB's message. */
#include <string.h>

#include "services/dynamodb/ddb_core.h"

static const char *const legacy_params[] = {"AttributesToGet", "AttributeUpdates", "ConditionalOperator", "Expected",
                                            "KeyConditions",   "QueryFilter",      "ScanFilter"};
static const char *const expr_params[] = {"ProjectionExpression", "UpdateExpression", "ConditionExpression",
                                          "KeyConditionExpression", "FilterExpression"};

/* "{A, B}" of the members of list present in the request. */
static const char *present(call_t *c, yajl_val in, const char *const *list, size_t n)
{
    const char *out = NULL;
    for (size_t i = 0; i < n; i++)
        if (in_get(in, list[i]))
            out = out ? call_sprintf(c, "%s, %s", out, list[i]) : list[i];
    return out ? call_sprintf(c, "{%s}", out) : NULL;
}

static int listed(const char *key, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (key[0] == list[i][0] && strcmp(key, list[i]) == 0)
            return 1;
    return 0;
}

#define STYLE_LEGACY 1
#define STYLE_EXPR 2

/* Which parameter styles the request uses, in one pass over its members (most requests use neither). */
static int styles(yajl_val in)
{
    int found = 0;
    for (size_t i = 0; YAJL_IS_OBJECT(in) && i < in->u.object.len; i++) {
        const char *key = in->u.object.keys[i];
        if (listed(key, legacy_params, sizeof(legacy_params) / sizeof(legacy_params[0])))
            found |= STYLE_LEGACY;
        else if (listed(key, expr_params, sizeof(expr_params) / sizeof(expr_params[0])))
            found |= STYLE_EXPR;
    }
    return found;
}

int ddb_legacy_check(call_t *c, yajl_val in)
{
    int used = styles(in);
    if (used == (STYLE_LEGACY | STYLE_EXPR))
        return ddb_validation(c, call_sprintf(c,
                                              "Can not use both expression and non-expression parameters in the same request: "
                                              "Non-expression parameters: %s Expression parameters: %s",
                                              present(c, in, legacy_params, sizeof(legacy_params) / sizeof(legacy_params[0])),
                                              present(c, in, expr_params, sizeof(expr_params) / sizeof(expr_params[0]))));
    int expr = used & STYLE_EXPR;
    if (!expr && in_get(in, "ExpressionAttributeNames"))
        return ddb_validation(c, "ExpressionAttributeNames can only be specified when using expressions");
    if (!expr && in_get(in, "ExpressionAttributeValues"))
        return ddb_validation(c, "ExpressionAttributeValues can only be specified when using expressions");
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

/* One attribute's {ComparisonOperator, AttributeValueList} as a condition node (expected: from Expected, else
 * from a filter or key condition, which word the argument-count error differently); NULL after raising. */
static ddb_node_t *comparison(call_t *c, const char *attr, const char *opname, yajl_val vals, int expected)
{
    const legacy_op_t *op = NULL;
    for (size_t i = 0; i < sizeof(legacy_ops) / sizeof(legacy_ops[0]); i++)
        if (opname && strcmp(legacy_ops[i].name, opname) == 0)
            op = &legacy_ops[i];
    size_t nv = YAJL_IS_ARRAY(vals) ? vals->u.array.len : 0;
    if (!op || (op->nvals >= 0 && nv != (size_t)op->nvals) || (op->nvals < 0 && nv == 0)) {
        ddb_validation(c, call_sprintf(c,
                                       "One or more parameter values were invalid: Invalid number of argument(s) for the %s "
                                       "ComparisonOperator",
                                       opname ? opname : "null"));
        return NULL;
    }
    const char *msg;
    for (size_t i = 0; i < nv; i++) {
        int rc = ddb_av_validate(c->pool, vals->u.array.values[i], &msg);
        if (rc != 0) {
            ddb_value_error(c, rc, msg);
            return NULL;
        }
    }
    ddb_node_t *n = node(c, op->type, 1 + nv);
    n->args[0] = path_node(c, attr);
    for (size_t i = 0; i < nv; i++)
        n->args[1 + i] = value_node(c, vals->u.array.values[i]);
    if (!op->negate)
        return n;
    ddb_node_t *not = node(c, DDB_NODE_NOT, 1);
    not ->args[0] = n;
    return not ;
}

/* Expected's {Value, Exists} form. */
static ddb_node_t *expected_value(call_t *c, const char *attr, yajl_val spec)
{
    yajl_val value = in_obj(spec, "Value");
    int exists = 1;
    in_bool(spec, "Exists", &exists);
    if (exists && !value) {
        ddb_validation(c, call_sprintf(c,
                                       "One or more parameter values were invalid: Exists is set to TRUE for attribute (%s), "
                                       "Value must also be set",
                                       attr));
        return NULL;
    }
    if (!exists && value) {
        ddb_validation(c, call_sprintf(c,
                                       "One or more parameter values were invalid: Value cannot be used when Exists is set to "
                                       "FALSE for attribute (%s)",
                                       attr));
        return NULL;
    }
    if (!exists) {
        ddb_node_t *n = node(c, DDB_NODE_ATTRIBUTE_NOT_EXISTS, 1);
        n->args[0] = path_node(c, attr);
        return n;
    }
    yajl_val list = call_alloc(c, sizeof(*list));
    list->type = yajl_t_array;
    list->u.array.values = call_alloc(c, sizeof(yajl_val));
    list->u.array.values[0] = value;
    list->u.array.len = 1;
    return comparison(c, attr, "EQ", list, 1);
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
        const char *opname = in_str(spec, "ComparisonOperator");
        nodes[i] = expected && !opname ? expected_value(c, attr, spec)
                                       : comparison(c, attr, opname, in_arr(spec, "AttributeValueList"), expected);
        if (!nodes[i])
            return -1;
    }
    *out = join_balanced(c, joiner && strcmp(joiner, "OR") == 0 ? DDB_NODE_OR : DDB_NODE_AND, nodes, map->u.object.len);
    return 0;
}

static ddb_update_t *attribute_updates(call_t *c, yajl_val map)
{
    ddb_update_t *u = call_alloc(c, sizeof(*u));
    u->actions = call_alloc(c, sizeof(ddb_update_action_t) * (map->u.object.len + 1));
    for (size_t i = 0; i < map->u.object.len; i++) {
        yajl_val spec = map->u.object.values[i], value = in_obj(spec, "Value");
        const char *action = in_str(spec, "Action");
        ddb_update_action_t *a = &u->actions[u->n++];
        path_of(c, &a->path, map->u.object.keys[i]);
        if (!action || strcmp(action, "PUT") == 0)
            a->op = DDB_UPDATE_SET;
        else if (strcmp(action, "ADD") == 0)
            a->op = DDB_UPDATE_ADD;
        else
            a->op = value ? DDB_UPDATE_DELETE : DDB_UPDATE_REMOVE;
        if (a->op != DDB_UPDATE_REMOVE) {
            if (!value) {
                ddb_validation(c, call_sprintf(c, "One or more parameter values were invalid: Only DELETE action is allowed when "
                                                  "no attribute value is specified"));
                return NULL;
            }
            a->value = value_node(c, value);
        }
    }
    return u;
}

static ddb_projection_t *attributes_to_get(call_t *c, yajl_val list)
{
    ddb_projection_t *p = call_alloc(c, sizeof(*p));
    p->paths = call_alloc(c, sizeof(ddb_path_t) * (list->u.array.len + 1));
    for (size_t i = 0; i < list->u.array.len; i++)
        if (YAJL_IS_STRING(list->u.array.values[i]))
            path_of(c, &p->paths[p->n++], YAJL_GET_STRING(list->u.array.values[i]));
    return p;
}

/* ConditionalOperator needs a condition map with two or more elements. */
static int conditional_operator_check(call_t *c, yajl_val in)
{
    yajl_val map = in_obj(in, "Expected")      ? in_obj(in, "Expected")
                   : in_obj(in, "QueryFilter") ? in_obj(in, "QueryFilter")
                                               : in_obj(in, "ScanFilter");
    if (!in_get(in, "ConditionalOperator"))
        return 0;
    if (!map)
        return ddb_validation(c, "ConditionalOperator cannot be used without Filter or Expected");
    if (map->u.object.len < 2)
        return ddb_validation(c, "ConditionalOperator can only be used when Filter or Expected has two or more elements");
    return 0;
}

int ddb_legacy_convert(call_t *c, yajl_val in, ddb_expr_request_t *req)
{
    if (!(styles(in) & STYLE_LEGACY))
        return 0;
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
    if (get)
        req->projection_ast = attributes_to_get(c, get);
    return 0;
}
