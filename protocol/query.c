/* query.c - query-protocol requests: form parameters -> the operation's JSON input.
 *
 * Two passes. The first splits the parameters (the form is copied once into the
 * pool and its pieces NUL-terminated in place; only pieces with a %-escape or '+'
 * are decoded into new memory) and files each one into a small tree that follows
 * the input shape (members by query name, list elements and map entries by their
 * index N, kept unordered), walking the key's dotted segments as it descends. The
 * second turns that tree into yajl values, ordering list elements and map entries
 * by index and converting scalars to the JSON type of their shape.
 * Unknown parameters are ignored; every count and depth is bounded. */
#include "query.h"

#include "swar.h"
#include "urlenc.h"
#include "ytree.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p;
    size_t len;
} qseg_t;

typedef struct qnode qnode_t;

/* A child: a structure member (idx = member index), a list element or a map
 * entry (idx = N; entries have a key node too). */
typedef struct {
    long idx;
    qnode_t *key, *val;
} qslot_t;

struct qnode {
    int shape;
    unsigned flat : 1; /* list or map serialized flattened (member- or shape-level trait) */
    const char *text;  /* scalars: the value, NULL until one arrives */
    qslot_t *slots;
    size_t n, cap;
};

typedef struct {
    const model_service_t *svc;
    h2o_mem_pool_t *pool;
    query_request_t *out;
} qctx_t;

static int q_fail(qctx_t *cx, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int q_fail(qctx_t *cx, const char *code, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(buf))
        n = sizeof(buf) - 1;
    char *msg = h2o_mem_alloc_pool(cx->pool, (size_t)n + 1);
    memcpy(msg, buf, (size_t)n + 1);
    cx->out->err_code = code;
    cx->out->err_msg = msg;
    return -1;
}

static int seg_eq(qseg_t s, const char *name)
{
    return name != NULL && s.len > 0 && name[0] == s.p[0] && strncmp(name, s.p, s.len) == 0 && name[s.len] == '\0';
}

/* ---- pass 1: parameters into the shape tree ---- */

/* A node of shape; member_flat is the member-level flattened trait, if any. */
static qnode_t *node_new(qctx_t *cx, int shape, int member_flat)
{
    qnode_t *n = h2o_mem_alloc_pool(cx->pool, sizeof(*n));
    memset(n, 0, sizeof(*n));
    n->shape = shape;
    n->flat = member_flat || cx->svc->shapes[shape].flattened;
    return n;
}

/* The child slot idx of node, created when absent; NULL (error set) when the
 * node already holds QUERY_MAX_ELEMS children. */
static qslot_t *slot_get(qctx_t *cx, qnode_t *node, long idx)
{
    if (node->n > 0 && node->slots[node->n - 1].idx == idx)
        return &node->slots[node->n - 1]; /* the usual case: a form lists an element's keys together */
    for (size_t i = 0; i < node->n; i++)
        if (node->slots[i].idx == idx)
            return &node->slots[i];
    if (node->n >= QUERY_MAX_ELEMS) {
        q_fail(cx, "MalformedQueryString", "More than %d elements in one list or map.", QUERY_MAX_ELEMS);
        return NULL;
    }
    if (node->n == node->cap) {
        size_t cap = node->cap ? node->cap * 2 : 4;
        qslot_t *ns = h2o_mem_alloc_pool(cx->pool, cap * sizeof(*ns));
        if (node->n)
            memcpy(ns, node->slots, node->n * sizeof(*ns));
        node->slots = ns;
        node->cap = cap;
    }
    qslot_t *s = &node->slots[node->n++];
    memset(s, 0, sizeof(*s));
    s->idx = idx;
    return s;
}

/* N of Name.N: decimal, 1..QUERY_MAX_INDEX, no sign or leading zero; -1 otherwise. */
static long parse_index(qseg_t s)
{
    if (s.len == 0 || s.len > 9 || s.p[0] == '0')
        return -1;
    long v = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return -1;
        v = v * 10 + (s.p[i] - '0');
    }
    return v <= QUERY_MAX_INDEX ? v : -1;
}

static int bad_index(qctx_t *cx, qseg_t s)
{
    return q_fail(cx, "MalformedQueryString", "Invalid index '%.*s' in a parameter name: expected 1 to %d.", (int)s.len, s.p,
                  QUERY_MAX_INDEX);
}

static int insert(qctx_t *cx, qnode_t *node, const qseg_t *seg, size_t nseg, const char *value);

/* The value node of slot s, created on first use. */
static qnode_t *slot_node(qctx_t *cx, qslot_t *s, int shape, int member_flat)
{
    if (s->val == NULL)
        s->val = node_new(cx, shape, member_flat);
    return s->val;
}

static int is_scalar(const model_shape_t *sh)
{
    return sh->type != SHAPE_STRUCTURE && sh->type != SHAPE_LIST && sh->type != SHAPE_MAP;
}

static int insert_structure(qctx_t *cx, qnode_t *node, const qseg_t *seg, size_t nseg, const char *value)
{
    const model_shape_t *sh = &cx->svc->shapes[node->shape];
    if (nseg == 0)
        return 0;
    for (int m = 0; m < sh->nmembers; m++) {
        const model_member_t *mem = &sh->members[m];
        const model_shape_t *msh = &cx->svc->shapes[mem->shape];
        /* A flattened list is keyed by its element name when it has one
         * (AttributeNames -> AttributeName.N); an empty one by the member's name. */
        int hit = seg_eq(seg[0], mem->location_name ? mem->location_name : mem->name) ||
                  (msh->type == SHAPE_LIST && (mem->flattened || msh->flattened) && seg_eq(seg[0], msh->member_name));
        if (!hit)
            continue;
        qslot_t *s = slot_get(cx, node, m);
        if (s == NULL)
            return -1;
        return insert(cx, slot_node(cx, s, mem->shape, mem->flattened), seg + 1, nseg - 1, value);
    }
    return 0; /* unknown parameter */
}

static int insert_list(qctx_t *cx, qnode_t *node, const qseg_t *seg, size_t nseg, const char *value)
{
    const model_shape_t *sh = &cx->svc->shapes[node->shape];
    long idx = 0; /* a bare Name=value (AttributeName=All) is a one-element list of scalars */
    if (nseg == 0) {
        if (*value == '\0' || !is_scalar(&cx->svc->shapes[sh->member]))
            return 0; /* Name= : the empty list, which the node already is */
    } else {
        if (!node->flat) {
            if (!seg_eq(seg[0], sh->member_name ? sh->member_name : "member") && !seg_eq(seg[0], "member"))
                return 0;
            seg++;
            if (--nseg == 0)
                return 0;
        }
        if ((idx = parse_index(seg[0])) < 0)
            return bad_index(cx, seg[0]);
        seg++;
        nseg--;
    }
    qslot_t *s = slot_get(cx, node, idx);
    if (s == NULL)
        return -1;
    return insert(cx, slot_node(cx, s, sh->member, 0), seg, nseg, value);
}

static int insert_map(qctx_t *cx, qnode_t *node, const qseg_t *seg, size_t nseg, const char *value)
{
    const model_shape_t *sh = &cx->svc->shapes[node->shape];
    if (!node->flat) {
        if (nseg == 0 || !seg_eq(seg[0], "entry"))
            return 0;
        seg++;
        nseg--;
    }
    if (nseg < 2)
        return 0;
    int is_key = seg_eq(seg[1], sh->key_name ? sh->key_name : "key");
    if (!is_key && !seg_eq(seg[1], sh->value_name ? sh->value_name : "value"))
        return 0;
    long idx = parse_index(seg[0]);
    if (idx < 0)
        return bad_index(cx, seg[0]);
    qslot_t *s = slot_get(cx, node, idx);
    if (s == NULL)
        return -1;
    if (!is_key)
        return insert(cx, slot_node(cx, s, sh->value, 0), seg + 2, nseg - 2, value);
    if (nseg == 2) {
        if (s->key == NULL)
            s->key = node_new(cx, sh->key, 0);
        s->key->text = value;
    }
    return 0;
}

/* Files value under the key segments seg below node. */
static int insert(qctx_t *cx, qnode_t *node, const qseg_t *seg, size_t nseg, const char *value)
{
    switch (cx->svc->shapes[node->shape].type) {
    case SHAPE_STRUCTURE:
        return insert_structure(cx, node, seg, nseg, value);
    case SHAPE_LIST:
        return insert_list(cx, node, seg, nseg, value);
    case SHAPE_MAP:
        return insert_map(cx, node, seg, nseg, value);
    default:
        if (nseg == 0)
            node->text = value;
        return 0;
    }
}

/* Splits a decoded key at its dots; 0, or -1 when it has too many parts. */
static int split_key(const char *key, size_t len, qseg_t *seg, size_t *nseg)
{
    const char *p = key, *end = key + len;
    size_t n = 0;
    for (;;) {
        if (n == QUERY_MAX_DEPTH)
            return -1;
        const char *dot = memchr(p, '.', (size_t)(end - p));
        seg[n].p = p;
        seg[n].len = (size_t)((dot ? dot : end) - p);
        n++;
        if (dot == NULL)
            break;
        p = dot + 1;
    }
    *nseg = n;
    return 0;
}

typedef struct {
    const char *key, *value;
    size_t klen;
} qparam_t;

typedef struct {
    qparam_t *v;
    size_t n, cap;
} qparams_t;

/* Some byte of p[0..len) is '%' or '+'. */
static int has_escape(const char *p, size_t len)
{
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x = swar_load(p + i);
        if (swar_has_byte(x, '%') | swar_has_byte(x, '+'))
            return 1;
    }
    for (; i < len; i++)
        if (p[i] == '%' || p[i] == '+')
            return 1;
    return 0;
}

/* The decoded text of the piece p[0..len) of a form copy: NUL-terminated where it lies
 * (p[len] is the '=' or '&' after it, or the copy's terminating NUL) unless it needs decoding.
 * NULL on a malformed %-escape. */
static const char *piece(qctx_t *cx, char *p, size_t len, size_t *outlen)
{
    if (!has_escape(p, len)) {
        p[len] = '\0';
        *outlen = len;
        return p;
    }
    return url_decode(cx->pool, p, len, 1, 1, outlen);
}

/* Appends the decoded parameters of one form (a=b&c=d) to ps. The form is copied
 * into the pool once and its pieces terminated in place. 0, or -1 with the error set. */
static int parse_form(qctx_t *cx, h2o_iovec_t form, qparams_t *ps)
{
    if (form.len == 0)
        return 0;
    /* Pieces become C strings: a raw NUL would cut a value short or hide in a name (%00 is
     * decoded as URL_NUL_AS for the same reason). */
    if (memchr(form.base, '\0', form.len) != NULL)
        return q_fail(cx, "MalformedQueryString", "The request has a NUL byte in its form.");
    char *p = h2o_mem_alloc_pool(cx->pool, form.len + 1), *end = p + form.len;
    memcpy(p, form.base, form.len);
    *end = '\0';
    while (p < end) {
        char *amp = memchr(p, '&', (size_t)(end - p));
        char *pe = amp ? amp : end;
        if (pe > p) {
            if (ps->n == QUERY_MAX_PARAMS)
                return q_fail(cx, "MalformedQueryString", "More than %d parameters in one request.", QUERY_MAX_PARAMS);
            if (ps->n == ps->cap) {
                size_t cap = ps->cap ? ps->cap * 2 : 32;
                qparam_t *nv = h2o_mem_alloc_pool(cx->pool, cap * sizeof(*nv));
                if (ps->n)
                    memcpy(nv, ps->v, ps->n * sizeof(*nv));
                ps->v = nv;
                ps->cap = cap;
            }
            char *eq = memchr(p, '=', (size_t)(pe - p));
            char *ke = eq ? eq : pe;
            qparam_t *q = &ps->v[ps->n++];
            size_t vlen;
            q->value = eq ? piece(cx, eq + 1, (size_t)(pe - eq - 1), &vlen) : "";
            q->key = piece(cx, p, (size_t)(ke - p), &q->klen); /* after the value: it may end at the '=' */
            if (q->key == NULL || q->value == NULL)
                return q_fail(cx, "MalformedQueryString", "The request has a malformed percent-encoding.");
        }
        p = pe + 1;
    }
    return 0;
}

/* Files one parameter into the tree under root. */
static int param(qctx_t *cx, qnode_t *root, const qparam_t *q)
{
    switch (q->key[0]) { /* parameters of the protocol, not of the input */
    case 'A':
        if (strcmp(q->key, "Action") == 0)
            return 0;
        break;
    case 'V':
        if (strcmp(q->key, "Version") == 0)
            return 0;
        break;
    case 'X':
        if (strncmp(q->key, "X-Amz-", 6) == 0)
            return 0;
        break;
    }
    qseg_t seg[QUERY_MAX_DEPTH];
    size_t nseg;
    if (split_key(q->key, q->klen, seg, &nseg) != 0)
        return 0; /* deeper than any shape: unknown */
    return insert(cx, root, seg, nseg, q->value);
}

/* ---- pass 2: the shape tree into yajl values ---- */

static int slot_cmp(const void *a, const void *b)
{
    long x = ((const qslot_t *)a)->idx, y = ((const qslot_t *)b)->idx;
    return (x > y) - (x < y);
}

static yajl_val build(qctx_t *cx, qnode_t *node)
{
    const model_shape_t *sh = &cx->svc->shapes[node->shape];
    for (size_t i = 1; i < node->n; i++) {
        if (node->slots[i - 1].idx > node->slots[i].idx) {
            qsort(node->slots, node->n, sizeof(*node->slots), slot_cmp);
            break;
        }
    }
    switch (sh->type) {
    case SHAPE_STRUCTURE:
    case SHAPE_MAP: {
        yajl_val v = ytree_new(cx->pool, yajl_t_object);
        v->u.object.keys = h2o_mem_alloc_pool(cx->pool, (node->n + 1) * sizeof(char *));
        v->u.object.values = h2o_mem_alloc_pool(cx->pool, (node->n + 1) * sizeof(yajl_val));
        for (size_t i = 0; i < node->n; i++) {
            qslot_t *s = &node->slots[i];
            const char *key = sh->type == SHAPE_STRUCTURE ? sh->members[s->idx].name : s->key ? s->key->text : NULL;
            if (key == NULL || s->val == NULL)
                continue; /* a map entry without its key or its value */
            v->u.object.keys[v->u.object.len] = key;
            v->u.object.values[v->u.object.len++] = build(cx, s->val);
        }
        return v;
    }
    case SHAPE_LIST: {
        yajl_val v = ytree_new(cx->pool, yajl_t_array);
        v->u.array.values = h2o_mem_alloc_pool(cx->pool, (node->n + 1) * sizeof(yajl_val));
        for (size_t i = 0; i < node->n; i++)
            v->u.array.values[v->u.array.len++] = build(cx, node->slots[i].val);
        return v;
    }
    default:
        return ytree_scalar(cx->pool, sh->type, node->text ? node->text : "");
    }
}

/* Removes scalars that never got a value (from a key with more parts than its
 * shape has, e.g. QueueUrl.x=1): such a member was not really sent. */
static void prune(const model_service_t *svc, qnode_t *node)
{
    size_t k = 0;
    for (size_t i = 0; i < node->n; i++) {
        qslot_t *s = &node->slots[i];
        if (s->val != NULL && is_scalar(&svc->shapes[s->val->shape]) && s->val->text == NULL)
            s->val = NULL;
        if (s->val != NULL)
            prune(svc, s->val);
        if (s->val != NULL || s->key != NULL)
            node->slots[k++] = *s;
    }
    node->n = k;
}

int query_decode(const model_service_t *svc, h2o_iovec_t query, h2o_iovec_t body, h2o_mem_pool_t *pool, query_request_t *out)
{
    memset(out, 0, sizeof(*out));
    qctx_t cx = {svc, pool, out};
    qparams_t ps = {0};
    if (parse_form(&cx, query, &ps) != 0 || parse_form(&cx, body, &ps) != 0)
        return -1;
    for (size_t i = 0; i < ps.n; i++)
        if (strcmp(ps.v[i].key, "Action") == 0)
            out->action = ps.v[i].value;
    if (out->action == NULL || out->action[0] == '\0')
        return q_fail(&cx, "MissingAction", "The request must contain the parameter Action.");
    out->op = model_find_op(svc, out->action, strlen(out->action));
    if (out->op == NULL)
        return q_fail(&cx, "InvalidAction", "The action %.128s is not valid for this endpoint.", out->action);
    if (out->op->input < 0) {
        out->in = ytree_new(cx.pool, yajl_t_object);
        return 0;
    }
    qnode_t *root = node_new(&cx, out->op->input, 0);
    for (size_t i = 0; i < ps.n; i++)
        if (param(&cx, root, &ps.v[i]) != 0)
            return -1;
    prune(svc, root);
    out->in = build(&cx, root);
    return 0;
}
