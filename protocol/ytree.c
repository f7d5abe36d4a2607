/* ytree.c - pool-allocated yajl trees (see ytree.h). The parser drives yajl's
 * event API and builds the tree in the pool: yajl's own tree builder mallocs every
 * node and reallocs every array and object per element, which showed in the
 * instruction counts of every JSON request. yajl's own buffers come from the pool too. */
#include "ytree.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

/* ---- yajl's allocations in the pool: a size header lets realloc copy ---- */

#define ALLOC_HDR 16 /* keeps the pool's alignment */

static void *pool_malloc(void *ctx, size_t sz)
{
    char *p = h2o_mem_alloc_pool(ctx, sz + ALLOC_HDR);
    memcpy(p, &sz, sizeof(sz));
    return p + ALLOC_HDR;
}

static void *pool_realloc(void *ctx, void *ptr, size_t sz)
{
    if (ptr == NULL)
        return pool_malloc(ctx, sz);
    size_t old;
    memcpy(&old, (char *)ptr - ALLOC_HDR, sizeof(old));
    if (sz <= old)
        return ptr;
    void *p = pool_malloc(ctx, sz);
    memcpy(p, ptr, old);
    return p;
}

static void pool_free(void *ctx, void *ptr)
{
    (void)ctx;
    (void)ptr; /* the pool frees everything at once */
}

/* ---- the tree builder ---- */

typedef struct {
    yajl_val node;
    size_t start; /* where its members start on the member stack */
    char *key;    /* its key in the enclosing object */
} frame_t;

typedef struct {
    h2o_mem_pool_t *pool;
    /* Members of the open containers, innermost last: keys[i] is NULL inside arrays. */
    yajl_val *vals;
    char **keys;
    size_t n, cap;
    frame_t *open; /* the open containers, innermost last */
    size_t depth, depth_cap, max_depth;
    char *key; /* an object key whose value is still to come */
    yajl_val root;
    int refused; /* the builder stopped the parse: 1 too deep, 2 NUL in a string */
} builder_t;

/* Doubles a pool array of n elements of size sz (the old one stays in the pool). */
static void *grow(h2o_mem_pool_t *pool, void *old, size_t n, size_t sz)
{
    void *p = h2o_mem_alloc_pool(pool, 2 * n * sz);
    memcpy(p, old, n * sz);
    return p;
}

static int add_value(builder_t *b, yajl_val v)
{
    if (b->depth == 0) {
        b->root = v;
        return 1;
    }
    if (b->n == b->cap) {
        b->vals = grow(b->pool, b->vals, b->cap, sizeof(*b->vals));
        b->keys = grow(b->pool, b->keys, b->cap, sizeof(*b->keys));
        b->cap *= 2;
    }
    b->vals[b->n] = v;
    b->keys[b->n++] = b->key;
    b->key = NULL;
    return 1;
}

static char *pool_text(h2o_mem_pool_t *pool, const void *s, size_t len)
{
    char *t = h2o_mem_alloc_pool(pool, len + 1);
    memcpy(t, s, len);
    t[len] = '\0';
    return t;
}

static int on_null(void *ctx)
{
    builder_t *b = ctx;
    return add_value(b, ytree_new(b->pool, yajl_t_null));
}

static int on_boolean(void *ctx, int value)
{
    builder_t *b = ctx;
    return add_value(b, ytree_new(b->pool, value ? yajl_t_true : yajl_t_false));
}

/* A NUL can only come from the escape \u0000 (yajl refuses raw control bytes). */
static int refuse_nul(builder_t *b, const unsigned char *s, size_t len)
{
    if (memchr(s, '\0', len) == NULL)
        return 0;
    b->refused = 2;
    return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    builder_t *b = ctx;
    if (refuse_nul(b, s, len))
        return 0;
    yajl_val v = ytree_new(b->pool, yajl_t_string);
    v->u.string = pool_text(b->pool, s, len);
    return add_value(b, v);
}

static int on_key(void *ctx, const unsigned char *s, size_t len)
{
    builder_t *b = ctx;
    if (refuse_nul(b, s, len))
        return 0;
    b->key = pool_text(b->pool, s, len);
    return 1;
}

/* yajl's integer reading (errno ERANGE for anything but a whole number in
 * range), so that YAJL_IS_INTEGER agrees with yajl_tree_parse. */
static long long parse_integer(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    long long v = 0, sign = 1;
    if (p < end && *p == '-') {
        p++;
        sign = -1;
    }
    for (; p < end; p++) {
        if (v > LLONG_MAX / 10 + LLONG_MAX % 10 || LLONG_MAX - v * 10 < *p - '0' || *p < '0' || *p > '9') {
            errno = ERANGE;
            return sign == 1 ? LLONG_MAX : LLONG_MIN;
        }
        v = v * 10 + (*p - '0');
    }
    return sign * v;
}

static int on_number(void *ctx, const char *s, size_t len)
{
    builder_t *b = ctx;
    yajl_val v = ytree_new(b->pool, yajl_t_number);
    v->u.number.r = pool_text(b->pool, s, len);
    errno = 0;
    v->u.number.i = parse_integer(s, len);
    if (errno == 0)
        v->u.number.flags |= YAJL_NUMBER_INT_VALID;
    char *end;
    errno = 0;
    v->u.number.d = strtod(v->u.number.r, &end);
    if (errno == 0 && *end == '\0')
        v->u.number.flags |= YAJL_NUMBER_DOUBLE_VALID;
    return add_value(b, v);
}

static int open_container(builder_t *b, yajl_type type)
{
    if (b->depth == b->max_depth) {
        b->refused = 1;
        return 0;
    }
    if (b->depth == b->depth_cap) {
        b->open = grow(b->pool, b->open, b->depth_cap, sizeof(*b->open));
        b->depth_cap *= 2;
    }
    /* The container joins its parent's members when it closes. */
    b->open[b->depth++] = (frame_t){ytree_new(b->pool, type), b->n, b->key};
    b->key = NULL;
    return 1;
}

static int on_start_map(void *ctx)
{
    return open_container(ctx, yajl_t_object);
}

static int on_start_array(void *ctx)
{
    return open_container(ctx, yajl_t_array);
}

/* Moves the members of the innermost container off the stack into exact-size arrays. */
static int on_end(void *ctx)
{
    builder_t *b = ctx;
    frame_t *f = &b->open[--b->depth];
    yajl_val v = f->node;
    size_t n = b->n - f->start;
    yajl_val *values = NULL;
    if (n) {
        values = h2o_mem_alloc_pool(b->pool, n * sizeof(*values));
        memcpy(values, b->vals + f->start, n * sizeof(*values));
    }
    if (v->type == yajl_t_object) {
        if (n) {
            v->u.object.keys = h2o_mem_alloc_pool(b->pool, n * sizeof(char *));
            memcpy(v->u.object.keys, b->keys + f->start, n * sizeof(char *));
        }
        v->u.object.values = values;
        v->u.object.len = n;
    } else {
        v->u.array.values = values;
        v->u.array.len = n;
    }
    b->n = f->start;
    b->key = f->key;
    return add_value(b, v);
}

yajl_val ytree_parse(h2o_mem_pool_t *pool, const char *text, size_t len, size_t max_depth, ytree_error_t *why, char *err,
                     size_t errlen)
{
    static const yajl_callbacks callbacks = {on_null,      on_boolean, NULL,   NULL,           on_number, on_string,
                                             on_start_map, on_key,     on_end, on_start_array, on_end};
    yajl_alloc_funcs funcs = {pool_malloc, pool_realloc, pool_free, pool};
    builder_t b = {.pool = pool, .cap = 16, .depth_cap = 8, .max_depth = max_depth};
    b.vals = h2o_mem_alloc_pool(pool, b.cap * sizeof(*b.vals));
    b.keys = h2o_mem_alloc_pool(pool, b.cap * sizeof(*b.keys));
    b.open = h2o_mem_alloc_pool(pool, b.depth_cap * sizeof(*b.open));
    yajl_handle h = yajl_alloc(&callbacks, &funcs, &b);
    yajl_config(h, yajl_allow_comments, 1);
    yajl_status st = yajl_parse(h, (const unsigned char *)text, len);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    if (st == yajl_status_ok)
        return b.root;
    if (b.refused) {
        *why = b.refused == 1 ? YTREE_TOO_DEEP : YTREE_NUL;
        snprintf(err, errlen, "%s", b.refused == 1 ? "nesting too deep" : "NUL in a string");
        return NULL;
    }
    unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *)text, len);
    snprintf(err, errlen, "%s", msg ? (char *)msg : "parse error");
    *why = strncmp(err, "lexical", 7) == 0 ? YTREE_LEXICAL : YTREE_SYNTAX;
    return NULL; /* the handle and its buffers are pool memory */
}

yajl_val ytree_new(h2o_mem_pool_t *pool, yajl_type type)
{
    yajl_val v = h2o_mem_alloc_pool(pool, sizeof(*v));
    memset(v, 0, sizeof(*v));
    v->type = type;
    return v;
}

yajl_val ytree_string(h2o_mem_pool_t *pool, const char *s, size_t len)
{
    yajl_val v = ytree_new(pool, yajl_t_string);
    v->u.string = h2o_strdup(pool, s, len).base;
    return v;
}

/* A number from text when it is a whole decimal (integer shapes) or a finite
 * decimal (floating shapes); NULL otherwise. */
static yajl_val number(h2o_mem_pool_t *pool, const char *text, int integral)
{
    char *end;
    errno = 0;
    if (*text == '\0' || (*text != '-' && (*text < '0' || *text > '9')))
        return NULL;
    yajl_val v = ytree_new(pool, yajl_t_number);
    v->u.number.r = (char *)text;
    if (integral) {
        long long i = strtoll(text, &end, 10);
        if (*end != '\0' || errno != 0)
            return NULL;
        v->u.number.i = i;
        v->u.number.d = (double)i;
        v->u.number.flags = YAJL_NUMBER_INT_VALID | YAJL_NUMBER_DOUBLE_VALID;
    } else {
        double d = strtod(text, &end);
        if (*end != '\0' || !isfinite(d))
            return NULL;
        v->u.number.d = d;
        v->u.number.flags = YAJL_NUMBER_DOUBLE_VALID;
    }
    return v;
}

yajl_val ytree_scalar(h2o_mem_pool_t *pool, model_shape_type_t type, const char *text)
{
    yajl_val v = NULL;
    switch (type) {
    case SHAPE_INTEGER:
    case SHAPE_LONG:
        v = number(pool, text, 1);
        break;
    case SHAPE_DOUBLE:
    case SHAPE_FLOAT:
        v = number(pool, text, 0);
        break;
    case SHAPE_BOOLEAN:
        if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
            v = ytree_new(pool, text[0] == 't' ? yajl_t_true : yajl_t_false);
        break;
    default:
        break;
    }
    if (v == NULL) {
        v = ytree_new(pool, yajl_t_string);
        v->u.string = (char *)text;
    }
    return v;
}

yajl_val ytree_object_extend(h2o_mem_pool_t *pool, yajl_val obj, const char **keys, yajl_val *values, size_t n)
{
    size_t have = obj ? obj->u.object.len : 0;
    yajl_val v = ytree_new(pool, yajl_t_object);
    v->u.object.keys = h2o_mem_alloc_pool(pool, (have + n + 1) * sizeof(char *));
    v->u.object.values = h2o_mem_alloc_pool(pool, (have + n + 1) * sizeof(yajl_val));
    if (have) {
        memcpy(v->u.object.keys, obj->u.object.keys, have * sizeof(char *));
        memcpy(v->u.object.values, obj->u.object.values, have * sizeof(yajl_val));
    }
    memcpy(v->u.object.keys + have, keys, n * sizeof(char *));
    memcpy(v->u.object.values + have, values, n * sizeof(yajl_val));
    v->u.object.len = have + n;
    return v;
}

void ytree_write(jw_t *w, yajl_val v)
{
    if (v == NULL) {
        jw_null(w);
        return;
    }
    switch (v->type) {
    case yajl_t_string: jw_str(w, v->u.string); break;
    case yajl_t_number: jw_raw(w, v->u.number.r, strlen(v->u.number.r)); break;
    case yajl_t_true: jw_bool(w, 1); break;
    case yajl_t_false: jw_bool(w, 0); break;
    case yajl_t_object:
        jw_obj(w);
        for (size_t i = 0; i < v->u.object.len; i++) {
            jw_key(w, v->u.object.keys[i]);
            ytree_write(w, v->u.object.values[i]);
        }
        jw_end(w);
        break;
    case yajl_t_array:
        jw_arr(w);
        for (size_t i = 0; i < v->u.array.len; i++)
            ytree_write(w, v->u.array.values[i]);
        jw_aend(w);
        break;
    default: jw_null(w); break;
    }
}
