/* ddb_eval.c - evaluation of DynamoDB expressions over items (see ddb_eval.h).
 *
 * Owns DynamoDB's run-time semantics: how a condition reads missing and
 * mistyped attributes, how a projection carves partial documents, and how an
 * update's actions rewrite an item (path copying: only the containers on a
 * written path are copied into the pool, the rest is shared with the input). */
#include "services/dynamodb/ddb_eval.h"

#include <stdlib.h>
#include <string.h>

#include "protocol/base64.h"
#include "protocol/ytree.h"
#include "services/dynamodb/ddb_value.h"
#include "services/fnv.h"

#define MSG_BAD_PATH "The document path provided in the update expression is invalid for update"
#define MSG_BAD_TYPE "An operand in the update expression has an incorrect data type"
#define MSG_LEGACY_MISMATCH "Type mismatch for attribute to update"
#define MSG_NO_ATTR "The provided expression refers to an attribute that does not exist in the item"

/* ---- reading ---- */

static yajl_val obj_get(yajl_val obj, const char *name)
{
    if (!YAJL_IS_OBJECT(obj))
        return NULL;
    for (size_t i = 0; i < obj->u.object.len; i++)
        if (strcmp(obj->u.object.keys[i], name) == 0)
            return obj->u.object.values[i];
    return NULL;
}

/* The AttributeValue under one path element of container av (an M or L value). */
static yajl_val child(yajl_val av, const ddb_path_elem_t *e)
{
    ddb_type_t t = ddb_av_type(av);
    yajl_val in = ddb_av_inner(av);
    if (e->name != NULL)
        return t == DDB_T_M ? obj_get(in, e->name) : NULL;
    return t == DDB_T_L && e->index < in->u.array.len ? in->u.array.values[e->index] : NULL;
}

/* The value under path's elements from `from` on, starting at v. */
static yajl_val path_from(yajl_val v, const ddb_path_t *path, size_t from)
{
    for (size_t i = from; v != NULL && i < path->n; i++)
        v = child(v, &path->elems[i]);
    return v;
}

yajl_val ddb_eval_path(yajl_val item, const ddb_path_t *path)
{
    return path_from(item != NULL ? obj_get(item, path->elems[0].name) : NULL, path, 1);
}

/* ---- an index of an object's member names ---- */

/* Name -> position + 1 in the object, open addressing (mask + 1 slots). For the top level of
 * items: AttributeUpdates and AttributesToGet may name 50,000 attributes, and a scan of the
 * object per name was quadratic (40,000 took 37 s). */
typedef struct {
    uint32_t *slots;
    size_t mask;
} name_ix_t;

static size_t name_hash(const char *s)
{
    return (size_t)fnv1a64_str(FNV1A64_INIT, s);
}

/* The slot of name: its entry, or the empty one where it would go. */
static uint32_t *ix_slot(const name_ix_t *ix, yajl_val obj, const char *name)
{
    size_t i = name_hash(name) & ix->mask;
    while (ix->slots[i] && strcmp(obj->u.object.keys[ix->slots[i] - 1], name) != 0)
        i = (i + 1) & ix->mask;
    return &ix->slots[i];
}

/* Indexes obj's members, with room for `room` names in all. */
static void ix_build(h2o_mem_pool_t *pool, name_ix_t *ix, yajl_val obj, size_t room)
{
    size_t cap = 16;
    while (cap < 2 * room)
        cap *= 2;
    ix->slots = h2o_mem_alloc_pool(pool, cap * sizeof(*ix->slots));
    memset(ix->slots, 0, cap * sizeof(*ix->slots));
    ix->mask = cap - 1;
    for (size_t i = 0; i < obj->u.object.len; i++)
        *ix_slot(ix, obj, obj->u.object.keys[i]) = (uint32_t)i + 1;
}

/* A one-member AttributeValue built on the stack: {"<type>": "<text>"}. */
typedef struct {
    struct yajl_val_s av, str;
    const char *key;
    yajl_val val;
} tmp_av_t;

static yajl_val tmp_av(tmp_av_t *t, const char *type, char *text)
{
    memset(t, 0, sizeof(*t));
    t->str.type = yajl_t_string;
    t->str.u.string = text;
    t->key = type;
    t->val = &t->str;
    t->av.type = yajl_t_object;
    t->av.u.object.keys = &t->key;
    t->av.u.object.values = &t->val;
    t->av.u.object.len = 1;
    return &t->av;
}

/* Decoded base64 bytes in a malloc'd buffer (caller frees); length or -1. */
static long b64_decode_alloc(const char *s, unsigned char **out)
{
    size_t len = strlen(s);
    *out = malloc(len / 4 * 3 + 1);
    if (*out == NULL)
        return -1;
    return base64_decode(s, len, *out);
}

/* The size() of a value, or -1 when its type has none. */
static long value_size(yajl_val av)
{
    yajl_val in = ddb_av_inner(av);
    switch (ddb_av_type(av)) {
    case DDB_T_S:
        return (long)ytree_utf16_length(in->u.string); /* size() counts a string in UTF-16 code units */
    case DDB_T_B: {
        unsigned char *buf;
        long n = b64_decode_alloc(in->u.string, &buf);
        free(buf);
        return n;
    }
    case DDB_T_M:
        return (long)in->u.object.len;
    case DDB_T_L:
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS:
        return (long)in->u.array.len;
    default:
        return -1;
    }
}

/* A condition operand's value (NULL if missing); size() results live in tmp. */
static yajl_val operand(const ddb_node_t *n, yajl_val item, tmp_av_t *tmp, char *buf, size_t cap)
{
    switch (n->type) {
    case DDB_NODE_PATH:
        return ddb_eval_path(item, &n->path);
    case DDB_NODE_VALUE:
        return n->value;
    case DDB_NODE_SIZE: {
        yajl_val v = operand(n->args[0], item, tmp, buf, cap);
        long size = v != NULL ? value_size(v) : -1;
        if (size < 0)
            return NULL;
        snprintf(buf, cap, "%ld", size);
        return tmp_av(tmp, "N", buf);
    }
    default:
        return NULL;
    }
}

static int is_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* 1 if the bytes of binary value b are a prefix of (anywhere 0) or within (anywhere 1) those of a. */
static int bytes_within(yajl_val a, yajl_val b, int anywhere)
{
    unsigned char *x, *y;
    long nx = b64_decode_alloc(ddb_av_inner(a)->u.string, &x), ny = b64_decode_alloc(ddb_av_inner(b)->u.string, &y);
    int r =
        nx >= 0 && ny >= 0 && ny <= nx && (anywhere ? memmem(x, (size_t)nx, y, (size_t)ny) != NULL : memcmp(x, y, (size_t)ny) == 0);
    free(x);
    free(y);
    return r;
}

static int begins_with(yajl_val a, yajl_val b)
{
    ddb_type_t t = ddb_av_type(a);
    if (a == NULL || b == NULL || t != ddb_av_type(b))
        return 0;
    if (t == DDB_T_S)
        return is_prefix(ddb_av_inner(a)->u.string, ddb_av_inner(b)->u.string);
    return t == DDB_T_B && bytes_within(a, b, 0);
}

/* 1 if set (an SS/NS/BS value) holds a member equal to scalar v. */
static int set_has(yajl_val set, const char *member_type, yajl_val v)
{
    yajl_val arr = ddb_av_inner(set);
    for (size_t i = 0; i < arr->u.array.len; i++) {
        tmp_av_t t;
        if (ddb_av_equal(tmp_av(&t, member_type, arr->u.array.values[i]->u.string), v))
            return 1;
    }
    return 0;
}

static int contains(yajl_val a, yajl_val b)
{
    if (a == NULL || b == NULL)
        return 0;
    ddb_type_t ta = ddb_av_type(a), tb = ddb_av_type(b);
    switch (ta) {
    case DDB_T_S:
        return tb == DDB_T_S && strstr(ddb_av_inner(a)->u.string, ddb_av_inner(b)->u.string) != NULL;
    case DDB_T_B:
        return tb == DDB_T_B && bytes_within(a, b, 1);
    case DDB_T_SS:
        return tb == DDB_T_S && set_has(a, "S", b);
    case DDB_T_NS:
        return tb == DDB_T_N && set_has(a, "N", b);
    case DDB_T_BS:
        return tb == DDB_T_B && set_has(a, "B", b);
    case DDB_T_L: {
        yajl_val arr = ddb_av_inner(a);
        for (size_t i = 0; i < arr->u.array.len; i++)
            if (ddb_av_equal(arr->u.array.values[i], b))
                return 1;
        return 0;
    }
    default:
        return 0;
    }
}

/* Order of two present scalar values of one type; 0 in *ok when not comparable. */
static int ordered(yajl_val a, yajl_val b, int *ok)
{
    ddb_type_t t = ddb_av_type(a);
    *ok = a != NULL && b != NULL && t == ddb_av_type(b) && ddb_type_is_scalar(t);
    return *ok ? ddb_av_compare(a, b) : 0;
}

static int compare_node(const ddb_node_t *n, yajl_val item)
{
    tmp_av_t ta, tb;
    char ba[32], bb[32];
    yajl_val a = operand(n->args[0], item, &ta, ba, sizeof(ba)), b = operand(n->args[1], item, &tb, bb, sizeof(bb));
    if (n->type == DDB_NODE_EQ)
        return a != NULL && b != NULL && ddb_av_equal(a, b);
    if (n->type == DDB_NODE_NE)
        return !(a != NULL && b != NULL && ddb_av_equal(a, b));
    int ok, c = ordered(a, b, &ok);
    switch (n->type) {
    case DDB_NODE_LT:
        return ok && c < 0;
    case DDB_NODE_LE:
        return ok && c <= 0;
    case DDB_NODE_GT:
        return ok && c > 0;
    default:
        return ok && c >= 0;
    }
}

static int between(const ddb_node_t *n, yajl_val item)
{
    tmp_av_t t[3];
    char buf[3][32];
    yajl_val v[3];
    for (int i = 0; i < 3; i++)
        v[i] = operand(n->args[i], item, &t[i], buf[i], sizeof(buf[i]));
    int ok1, ok2;
    int lo = ordered(v[1], v[0], &ok1), hi = ordered(v[0], v[2], &ok2);
    return ok1 && ok2 && lo <= 0 && hi <= 0;
}

static int in_list(const ddb_node_t *n, yajl_val item)
{
    tmp_av_t t0;
    char b0[32];
    yajl_val v = operand(n->args[0], item, &t0, b0, sizeof(b0));
    for (size_t i = 1; v != NULL && i < n->nargs; i++) {
        tmp_av_t t;
        char b[32];
        yajl_val w = operand(n->args[i], item, &t, b, sizeof(b));
        if (w != NULL && ddb_av_equal(v, w))
            return 1;
    }
    return 0;
}

static int function_node(const ddb_node_t *n, yajl_val item)
{
    tmp_av_t ta, tb;
    char ba[32], bb[32];
    yajl_val a = operand(n->args[0], item, &ta, ba, sizeof(ba));
    yajl_val b = n->nargs > 1 ? operand(n->args[1], item, &tb, bb, sizeof(bb)) : NULL;
    switch (n->type) {
    case DDB_NODE_ATTRIBUTE_EXISTS:
        return a != NULL;
    case DDB_NODE_ATTRIBUTE_NOT_EXISTS:
        return a == NULL;
    case DDB_NODE_ATTRIBUTE_TYPE:
        return a != NULL && b != NULL && ddb_av_type(b) == DDB_T_S &&
               strcmp(ddb_type_name(ddb_av_type(a)), ddb_av_inner(b)->u.string) == 0;
    case DDB_NODE_BEGINS_WITH:
        return begins_with(a, b);
    case DDB_NODE_CONTAINS:
        return contains(a, b);
    default:
        return 0;
    }
}

int ddb_eval_condition(const ddb_node_t *cond, yajl_val item)
{
    switch (cond->type) {
    case DDB_NODE_AND:
        return ddb_eval_condition(cond->args[0], item) && ddb_eval_condition(cond->args[1], item);
    case DDB_NODE_OR:
        return ddb_eval_condition(cond->args[0], item) || ddb_eval_condition(cond->args[1], item);
    case DDB_NODE_NOT:
        return !ddb_eval_condition(cond->args[0], item);
    case DDB_NODE_EQ:
    case DDB_NODE_NE:
    case DDB_NODE_LT:
    case DDB_NODE_LE:
    case DDB_NODE_GT:
    case DDB_NODE_GE:
        return compare_node(cond, item);
    case DDB_NODE_BETWEEN:
        return between(cond, item);
    case DDB_NODE_IN:
        return in_list(cond, item);
    default:
        return function_node(cond, item);
    }
}

/* ---- building ---- */

static yajl_val new_object(h2o_mem_pool_t *pool, size_t len)
{
    yajl_val v = h2o_mem_alloc_pool(pool, sizeof(*v));
    memset(v, 0, sizeof(*v));
    v->type = yajl_t_object;
    v->u.object.keys = h2o_mem_alloc_pool(pool, (len > 0 ? len : 1) * sizeof(*v->u.object.keys));
    v->u.object.values = h2o_mem_alloc_pool(pool, (len > 0 ? len : 1) * sizeof(*v->u.object.values));
    v->u.object.len = len;
    return v;
}

static yajl_val new_array(h2o_mem_pool_t *pool, size_t len)
{
    yajl_val v = h2o_mem_alloc_pool(pool, sizeof(*v));
    memset(v, 0, sizeof(*v));
    v->type = yajl_t_array;
    v->u.array.values = h2o_mem_alloc_pool(pool, (len > 0 ? len : 1) * sizeof(*v->u.array.values));
    v->u.array.len = len;
    return v;
}

/* Copies the elements of array arr to dst (yajl leaves values NULL when empty). */
static void copy_values(yajl_val *dst, yajl_val arr)
{
    if (arr->u.array.len > 0)
        memcpy(dst, arr->u.array.values, arr->u.array.len * sizeof(*dst));
}

/* A copy of obj with room for one more member (len unchanged). */
static yajl_val copy_object(h2o_mem_pool_t *pool, yajl_val obj)
{
    size_t n = obj != NULL ? obj->u.object.len : 0;
    yajl_val c = new_object(pool, n + 1);
    if (n > 0) {
        memcpy(c->u.object.keys, obj->u.object.keys, n * sizeof(*c->u.object.keys));
        memcpy(c->u.object.values, obj->u.object.values, n * sizeof(*c->u.object.values));
    }
    c->u.object.len = n;
    return c;
}

/* A copy of arr with room for one more element (len unchanged). */
static yajl_val copy_array(h2o_mem_pool_t *pool, yajl_val arr)
{
    size_t n = arr->u.array.len;
    yajl_val c = new_array(pool, n + 1);
    copy_values(c->u.array.values, arr);
    c->u.array.len = n;
    return c;
}

/* Sets name in obj, which must have room for one more member. */
static void object_put(yajl_val obj, const char *name, yajl_val v)
{
    for (size_t i = 0; i < obj->u.object.len; i++)
        if (strcmp(obj->u.object.keys[i], name) == 0) {
            obj->u.object.values[i] = v;
            return;
        }
    obj->u.object.keys[obj->u.object.len] = name;
    obj->u.object.values[obj->u.object.len++] = v;
}

static int object_remove(yajl_val obj, const char *name)
{
    for (size_t i = 0; i < obj->u.object.len; i++)
        if (strcmp(obj->u.object.keys[i], name) == 0) {
            memmove(&obj->u.object.keys[i], &obj->u.object.keys[i + 1], (obj->u.object.len - i - 1) * sizeof(*obj->u.object.keys));
            memmove(&obj->u.object.values[i], &obj->u.object.values[i + 1],
                    (obj->u.object.len - i - 1) * sizeof(*obj->u.object.values));
            obj->u.object.len--;
            return 1;
        }
    return 0;
}

/* ---- projection ---- */

/* A partial document under construction: a leaf value, or M/L children. */
typedef struct pnode {
    yajl_val leaf;
    int is_list;
    struct pchild *kids;
    size_t n, cap;
} pnode_t;

typedef struct pchild {
    const char *name;
    uint32_t index;
    pnode_t node;
} pchild_t;

static pnode_t *pnode_add(h2o_mem_pool_t *pool, pnode_t *parent, const ddb_path_elem_t *e)
{
    if (parent->n == parent->cap) {
        size_t cap = parent->cap == 0 ? 4 : 2 * parent->cap;
        pchild_t *kids = h2o_mem_alloc_pool(pool, cap * sizeof(*kids));
        if (parent->n > 0)
            memcpy(kids, parent->kids, parent->n * sizeof(*kids));
        parent->kids = kids;
        parent->cap = cap;
    }
    pchild_t *c = &parent->kids[parent->n++];
    memset(c, 0, sizeof(*c));
    c->name = e->name;
    c->index = e->index;
    return &c->node;
}

static pnode_t *pnode_child(h2o_mem_pool_t *pool, pnode_t *parent, const ddb_path_elem_t *e)
{
    for (size_t i = 0; i < parent->n; i++) {
        pchild_t *c = &parent->kids[i];
        if (e->name != NULL ? c->name != NULL && strcmp(c->name, e->name) == 0 : c->name == NULL && c->index == e->index)
            return &c->node;
    }
    return pnode_add(pool, parent, e);
}

static int pchild_index_cmp(const void *a, const void *b)
{
    uint32_t x = ((const pchild_t *)a)->index, y = ((const pchild_t *)b)->index;
    return x < y ? -1 : x > y;
}

/* The AttributeValue a partial node stands for. */
static yajl_val pnode_value(h2o_mem_pool_t *pool, pnode_t *n)
{
    if (n->leaf != NULL)
        return n->leaf;
    if (n->is_list) {
        qsort(n->kids, n->n, sizeof(*n->kids), pchild_index_cmp);
        yajl_val arr = new_array(pool, n->n);
        for (size_t i = 0; i < n->n; i++)
            arr->u.array.values[i] = pnode_value(pool, &n->kids[i].node);
        return ddb_av_new(pool, DDB_T_L, arr);
    }
    yajl_val obj = new_object(pool, n->n);
    for (size_t i = 0; i < n->n; i++) {
        obj->u.object.keys[i] = n->kids[i].name;
        obj->u.object.values[i] = pnode_value(pool, &n->kids[i].node);
    }
    return ddb_av_new(pool, DDB_T_M, obj);
}

/* The top level of a projection: for each of the item's attributes the result's member that holds it
 * (+ 1), and, for a projection of more than PTOP_SCAN_MAX paths, the attributes indexed by name, so that
 * thousands of top-level paths (AttributesToGet, ReturnValues after AttributeUpdates) cost no scan per
 * path while the usual few (a Query page's ProjectionExpression, item after item) build no index. */
#define PTOP_SCAN_MAX 8

typedef struct {
    yajl_val item;
    name_ix_t ix; /* slots NULL: scanned */
    uint32_t *member_of;
} ptop_t;

static void ptop_init(h2o_mem_pool_t *pool, ptop_t *t, yajl_val item, size_t npaths)
{
    size_t n = item->u.object.len;
    t->item = item;
    t->ix.slots = NULL;
    if (npaths > PTOP_SCAN_MAX)
        ix_build(pool, &t->ix, item, n);
    t->member_of = h2o_mem_alloc_pool(pool, (n + 1) * sizeof(*t->member_of));
    memset(t->member_of, 0, (n + 1) * sizeof(*t->member_of));
}

/* The position + 1 of the item's attribute name, or 0. */
static uint32_t ptop_pos(const ptop_t *t, const char *name)
{
    if (t->ix.slots)
        return *ix_slot(&t->ix, t->item, name);
    for (size_t i = 0; i < t->item->u.object.len; i++)
        if (strcmp(t->item->u.object.keys[i], name) == 0)
            return (uint32_t)i + 1;
    return 0;
}

/* The result's member for path's attribute, and its value at path in *v (NULL: none, no member). */
static pnode_t *ptop_member(h2o_mem_pool_t *pool, ptop_t *t, pnode_t *root, const ddb_path_t *path, yajl_val *v)
{
    uint32_t pos = ptop_pos(t, path->elems[0].name);
    *v = pos ? path_from(t->item->u.object.values[pos - 1], path, 1) : NULL;
    if (*v == NULL)
        return NULL;
    if (t->member_of[pos - 1] == 0) {
        pnode_add(pool, root, &path->elems[0]);
        t->member_of[pos - 1] = (uint32_t)root->n;
    }
    return &root->kids[t->member_of[pos - 1] - 1].node;
}

yajl_val ddb_eval_project(h2o_mem_pool_t *pool, const ddb_projection_t *proj, yajl_val item)
{
    if (item == NULL)
        return NULL;
    pnode_t root;
    memset(&root, 0, sizeof(root));
    ptop_t top;
    ptop_init(pool, &top, item, proj->n);
    for (size_t i = 0; i < proj->n; i++) {
        const ddb_path_t *path = &proj->paths[i];
        yajl_val v;
        pnode_t *n = ptop_member(pool, &top, &root, path, &v);
        if (n == NULL)
            continue;
        for (size_t j = 1; j < path->n; j++) {
            n->is_list = path->elems[j].name == NULL;
            n = pnode_child(pool, n, &path->elems[j]);
        }
        n->leaf = v;
    }
    yajl_val out = new_object(pool, root.n);
    for (size_t i = 0; i < root.n; i++) {
        out->u.object.keys[i] = root.kids[i].name;
        out->u.object.values[i] = pnode_value(pool, &root.kids[i].node);
    }
    return out;
}

/* ---- update ---- */

typedef struct {
    h2o_mem_pool_t *pool;
    yajl_val item;             /* the new item (an object we own at the top level) */
    ddb_projection_t *changed; /* its paths have room for one per action */
    /* The new item's top-level names. Top-level removals go last, as tombstones (NULL values)
     * compacted once. */
    name_ix_t top;
    int legacy; /* ddb_update_t.legacy */
    const char *err;
} upd_t;

static uint32_t *top_slot(upd_t *u, const char *name)
{
    return ix_slot(&u->top, u->item, name);
}

/* The old item's value at path, while u->item's top level is still the old one (operands). */
static yajl_val old_value(upd_t *u, const ddb_path_t *path)
{
    uint32_t pos = *top_slot(u, path->elems[0].name);
    return path_from(pos ? u->item->u.object.values[pos - 1] : NULL, path, 1);
}

static void top_put(upd_t *u, const char *name, yajl_val v)
{
    uint32_t *slot = top_slot(u, name);
    yajl_val obj = u->item;
    if (*slot == 0) {
        obj->u.object.keys[obj->u.object.len++] = name;
        *slot = (uint32_t)obj->u.object.len;
    }
    obj->u.object.values[*slot - 1] = v;
}

/* Marks name removed (a NULL value); 0 if the item has no such attribute. */
static int top_remove(upd_t *u, const char *name)
{
    uint32_t *slot = top_slot(u, name);
    if (*slot == 0 || u->item->u.object.values[*slot - 1] == NULL)
        return 0;
    u->item->u.object.values[*slot - 1] = NULL;
    return 1;
}

static void top_compact(upd_t *u)
{
    yajl_val obj = u->item;
    size_t n = 0;
    for (size_t i = 0; i < obj->u.object.len; i++)
        if (obj->u.object.values[i] != NULL) {
            obj->u.object.keys[n] = obj->u.object.keys[i];
            obj->u.object.values[n++] = obj->u.object.values[i];
        }
    obj->u.object.len = n;
}

static int upd_fail(upd_t *u, const char *msg)
{
    u->err = msg;
    return -1;
}

static int number_op(upd_t *u, yajl_val a, yajl_val b, int subtract, yajl_val *out)
{
    ddb_num_t x, y, r;
    if (ddb_av_type(a) != DDB_T_N || ddb_av_type(b) != DDB_T_N)
        return upd_fail(u, MSG_BAD_TYPE);
    if (ddb_av_number(a, &x) != DDB_NUM_OK || ddb_av_number(b, &y) != DDB_NUM_OK)
        return upd_fail(u, MSG_BAD_TYPE);
    int rc = subtract ? ddb_num_sub(&x, &y, &r) : ddb_num_add(&x, &y, &r);
    if (rc != DDB_NUM_OK)
        return upd_fail(u, ddb_num_strerror(rc));
    *out = ddb_av_new_n(u->pool, &r);
    return 0;
}

/* The L value of the elements of arrays x then y. */
static yajl_val list_concat(h2o_mem_pool_t *pool, yajl_val x, yajl_val y)
{
    yajl_val arr = new_array(pool, x->u.array.len + y->u.array.len);
    copy_values(arr->u.array.values, x);
    copy_values(arr->u.array.values + x->u.array.len, y);
    return ddb_av_new(pool, DDB_T_L, arr);
}

/* The value a SET action assigns. */
static int set_value(upd_t *u, const ddb_node_t *n, yajl_val *out)
{
    yajl_val a, b;
    switch (n->type) {
    case DDB_NODE_VALUE:
        *out = n->value;
        return 0;
    case DDB_NODE_PATH:
        *out = old_value(u, &n->path);
        return *out != NULL ? 0 : upd_fail(u, MSG_NO_ATTR);
    case DDB_NODE_IF_NOT_EXISTS:
        *out = old_value(u, &n->args[0]->path);
        return *out != NULL ? 0 : set_value(u, n->args[1], out);
    case DDB_NODE_LIST_APPEND: {
        if (set_value(u, n->args[0], &a) != 0 || set_value(u, n->args[1], &b) != 0)
            return -1;
        if (ddb_av_type(a) != DDB_T_L || ddb_av_type(b) != DDB_T_L)
            return upd_fail(u, MSG_BAD_TYPE);
        *out = list_concat(u->pool, ddb_av_inner(a), ddb_av_inner(b));
        return 0;
    }
    case DDB_NODE_PLUS:
    case DDB_NODE_MINUS:
        if (set_value(u, n->args[0], &a) != 0 || set_value(u, n->args[1], &b) != 0)
            return -1;
        return number_op(u, a, b, n->type == DDB_NODE_MINUS, out);
    default:
        return upd_fail(u, MSG_BAD_TYPE);
    }
}

static int is_set(ddb_type_t t)
{
    return t == DDB_T_SS || t == DDB_T_NS || t == DDB_T_BS;
}

/* ADD: number sum or set union; DELETE: set difference (NULL result: remove). */
static int add_delete_value(upd_t *u, const ddb_update_action_t *a, yajl_val cur, yajl_val *out)
{
    yajl_val v = a->value->value;
    ddb_type_t t = ddb_av_type(v);
    if (cur == NULL) {
        *out = a->op == DDB_UPDATE_ADD ? v : NULL;
        return 0;
    }
    if (u->legacy && ddb_av_type(cur) != t)
        return upd_fail(u, MSG_LEGACY_MISMATCH);
    if (a->op == DDB_UPDATE_ADD && t == DDB_T_N)
        return number_op(u, cur, v, 0, out);
    yajl_val x = ddb_av_inner(cur), y = ddb_av_inner(v);
    if (u->legacy && t == DDB_T_L) { /* AttributeUpdates' ADD of a list appends it */
        *out = list_concat(u->pool, x, y);
        return 0;
    }
    if (ddb_av_type(cur) != t || !is_set(t))
        return upd_fail(u, MSG_BAD_TYPE);
    /* ADD: x, then the members of y not in x (y itself holds no duplicates: it was validated);
     * DELETE: the members of x not in y */
    int add = a->op == DDB_UPDATE_ADD;
    ddb_set_index_t *ix = ddb_set_index_new(add ? x : y, t);
    if (ix == NULL)
        return upd_fail(u, "out of memory");
    yajl_val arr = new_array(u->pool, x->u.array.len + y->u.array.len), from = add ? y : x;
    arr->u.array.len = 0;
    if (add) {
        copy_values(arr->u.array.values, x);
        arr->u.array.len = x->u.array.len;
    }
    for (size_t i = 0; i < from->u.array.len; i++)
        if (!ddb_set_index_has(ix, from->u.array.values[i]->u.string))
            arr->u.array.values[arr->u.array.len++] = from->u.array.values[i];
    ddb_set_index_free(ix);
    *out = arr->u.array.len > 0 ? ddb_av_new(u->pool, t, arr) : NULL;
    return 0;
}

/* The slot holding member e of container inner (an object or array), or NULL. */
static yajl_val *member_slot(yajl_val inner, const ddb_path_elem_t *e)
{
    if (e->name == NULL)
        return e->index < inner->u.array.len ? &inner->u.array.values[e->index] : NULL;
    for (size_t i = 0; i < inner->u.object.len; i++)
        if (strcmp(inner->u.object.keys[i], e->name) == 0)
            return &inner->u.object.values[i];
    return NULL;
}

/* Replaces each container on path[0..depth) of the new item by our own copy
 * and returns the last one, so that its member can be written. NULL with
 * u->err set if a container is missing or of the wrong type (REMOVE too:
 * only the last element of its path may be absent). */
static yajl_val writable_parent(upd_t *u, const ddb_path_t *path, size_t depth)
{
    uint32_t top = *top_slot(u, path->elems[0].name);
    yajl_val *slot = top ? &u->item->u.object.values[top - 1] : NULL;
    for (size_t i = 0;; i++) {
        ddb_type_t want = path->elems[i + 1].name != NULL ? DDB_T_M : DDB_T_L;
        if (slot == NULL || ddb_av_type(*slot) != want) {
            upd_fail(u, MSG_BAD_PATH);
            return NULL;
        }
        yajl_val inner = ddb_av_inner(*slot);
        *slot = ddb_av_new(u->pool, want, want == DDB_T_M ? copy_object(u->pool, inner) : copy_array(u->pool, inner));
        if (i + 1 == depth)
            return *slot;
        slot = member_slot(ddb_av_inner(*slot), &path->elems[i + 1]);
    }
}

static void note_changed(upd_t *u, const ddb_path_t *path)
{
    if (u->changed == NULL)
        return;
    u->changed->paths[u->changed->n++] = *path;
}

/* Writes v at path in the new item (v NULL: removes it). */
static int write_path(upd_t *u, const ddb_path_t *path, yajl_val v)
{
    const ddb_path_elem_t *last = &path->elems[path->n - 1];
    if (path->n == 1) {
        if (v != NULL)
            top_put(u, last->name, v);
        else if (!top_remove(u, last->name))
            return 0;
        note_changed(u, path);
        return 0;
    }
    yajl_val parent = writable_parent(u, path, path->n - 1);
    if (parent == NULL)
        return -1;
    yajl_val in = ddb_av_inner(parent);
    if (last->name != NULL) {
        if (v != NULL)
            object_put(in, last->name, v);
        else if (!object_remove(in, last->name))
            return 0;
    } else if (v != NULL) {
        if (last->index < in->u.array.len)
            in->u.array.values[last->index] = v;
        else /* beyond the end: appends (and UPDATED_NEW, reading the path as written, shows nothing) */
            in->u.array.values[in->u.array.len++] = v;
    } else {
        if (last->index >= in->u.array.len)
            return 0;
        memmove(&in->u.array.values[last->index], &in->u.array.values[last->index + 1],
                (in->u.array.len - last->index - 1) * sizeof(yajl_val));
        in->u.array.len--;
    }
    note_changed(u, path);
    return 0;
}

/* One write of the update's second phase (value NULL: a removal). */
typedef struct {
    const ddb_path_t *path;
    yajl_val value;
} pending_t;

/* The list index a path ends with; 0 when it ends with a name. */
static uint32_t last_index(const ddb_path_t *p)
{
    const ddb_path_elem_t *e = &p->elems[p->n - 1];
    return e->name == NULL ? e->index : 0;
}

/* lower list indexes first, so that appends beyond a list's end land in index order (as documented for SET);
 * otherwise in the order written (paths point into the update's actions), which new attributes keep */
static int write_cmp(const void *a, const void *b)
{
    const ddb_path_t *p = ((const pending_t *)a)->path, *q = ((const pending_t *)b)->path;
    uint32_t x = last_index(p), y = last_index(q);
    if (x != y)
        return x < y ? -1 : 1;
    return p < q ? -1 : p > q;
}

/* later list indexes first, so that earlier removals do not shift them */
static int removal_cmp(const void *a, const void *b)
{
    return write_cmp(b, a);
}

int ddb_eval_update(h2o_mem_pool_t *pool, const ddb_update_t *upd, yajl_val item, yajl_val *out, ddb_projection_t **changed,
                    const char **err)
{
    upd_t u = {.pool = pool, .legacy = upd->legacy};
    if (changed != NULL) {
        *changed = h2o_mem_alloc_pool(pool, sizeof(**changed));
        (*changed)->n = 0;
        (*changed)->paths = h2o_mem_alloc_pool(pool, (upd->n > 0 ? upd->n : 1) * sizeof(*(*changed)->paths));
        u.changed = *changed;
    }
    /* the whole new top level is ours; room for every SET/ADD target */
    size_t n0 = item != NULL ? item->u.object.len : 0;
    u.item = new_object(pool, n0 + upd->n);
    if (n0 > 0) {
        memcpy(u.item->u.object.keys, item->u.object.keys, n0 * sizeof(*u.item->u.object.keys));
        memcpy(u.item->u.object.values, item->u.object.values, n0 * sizeof(*u.item->u.object.values));
    }
    u.item->u.object.len = n0;
    ix_build(u.pool, &u.top, u.item, n0 + upd->n);

    /* values first: every operand reads the old item */
    yajl_val *values = h2o_mem_alloc_pool(pool, (upd->n > 0 ? upd->n : 1) * sizeof(*values));
    char *absent = h2o_mem_alloc_pool(pool, upd->n + 1); /* the old item has no attribute at the path */
    for (size_t i = 0; i < upd->n; i++) {
        const ddb_update_action_t *a = &upd->actions[i];
        values[i] = NULL;
        yajl_val cur = old_value(&u, &a->path);
        absent[i] = cur == NULL;
        if (a->op == DDB_UPDATE_SET && set_value(&u, a->value, &values[i]) != 0)
            goto fail;
        if ((a->op == DDB_UPDATE_ADD || a->op == DDB_UPDATE_DELETE) && add_delete_value(&u, a, cur, &values[i]) != 0)
            goto fail;
    }
    /* then writes, removals of list elements last and from the back */
    pending_t *writes = h2o_mem_alloc_pool(pool, 2 * (upd->n > 0 ? upd->n : 1) * sizeof(*writes)), *removals = writes + upd->n;
    size_t nwrites = 0, nremovals = 0;
    for (size_t i = 0; i < upd->n; i++) {
        const ddb_update_action_t *a = &upd->actions[i];
        int is_removal = a->op == DDB_UPDATE_REMOVE || (a->op == DDB_UPDATE_DELETE && values[i] == NULL);
        if (is_removal && a->op == DDB_UPDATE_DELETE && absent[i])
            continue; /* DELETE from a missing set: nothing to do */
        if (is_removal)
            removals[nremovals++] = (pending_t){&a->path, NULL};
        else
            writes[nwrites++] = (pending_t){&a->path, values[i]};
    }
    qsort(writes, nwrites, sizeof(*writes), write_cmp);
    for (size_t i = 0; i < nwrites; i++)
        if (write_path(&u, writes[i].path, writes[i].value) != 0)
            goto fail;
    qsort(removals, nremovals, sizeof(*removals), removal_cmp);
    for (int top_level = 0; top_level < 2; top_level++) /* nested ones first: their parents are still there */
        for (size_t i = 0; i < nremovals; i++)
            if ((removals[i].path->n == 1) == top_level && write_path(&u, removals[i].path, NULL) != 0)
                goto fail;
    top_compact(&u);
    *out = u.item;
    return 0;
fail:
    *err = u.err;
    return -1;
}

/* ---- key conditions ---- */

int ddb_eval_key_part(const ddb_key_part_t *part, yajl_val v)
{
    int ok, c;
    switch (part->op) {
    case DDB_KEY_EQ:
        return v != NULL && ddb_av_equal(v, part->values[0]);
    case DDB_KEY_BEGINS_WITH:
        return begins_with(v, part->values[0]);
    case DDB_KEY_BETWEEN: {
        int ok2, lo = ordered(part->values[0], v, &ok), hi = ordered(v, part->values[1], &ok2);
        return ok && ok2 && lo <= 0 && hi <= 0;
    }
    default:
        c = ordered(v, part->values[0], &ok);
        if (!ok)
            return 0;
        return part->op == DDB_KEY_LT ? c < 0 : part->op == DDB_KEY_LE ? c <= 0 : part->op == DDB_KEY_GT ? c > 0 : c >= 0;
    }
}

void ddb_eval_key_bounds(const ddb_key_part_t *part, yajl_val *lo, int *lo_incl, yajl_val *hi, int *hi_incl)
{
    *lo = *hi = NULL;
    *lo_incl = *hi_incl = 1;
    switch (part->op) {
    case DDB_KEY_EQ:
        *lo = *hi = part->values[0];
        break;
    case DDB_KEY_LT:
    case DDB_KEY_LE:
        *hi = part->values[0];
        *hi_incl = part->op == DDB_KEY_LE;
        break;
    case DDB_KEY_GT:
    case DDB_KEY_GE:
        *lo = part->values[0];
        *lo_incl = part->op == DDB_KEY_GE;
        break;
    case DDB_KEY_BETWEEN:
        *lo = part->values[0];
        *hi = part->values[1];
        break;
    case DDB_KEY_BEGINS_WITH:
        *lo = part->values[0];
        break;
    case DDB_KEY_UNINDEXABLE: /* refused by ddb_expr_key_resolve() */
        break;
    }
}
