/* ytree.c - pool-allocated yajl trees (see ytree.h). The parser drives yajl's
 * event API and builds the tree in the pool: yajl's own tree builder mallocs every
 * node and reallocs every array and object per element, which showed in the
 * instruction counts of every JSON request. yajl's own buffers come from the pool too. */
#include "ytree.h"

#include "swar.h"
#include "urlenc.h"

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
    int refused;        /* the builder stopped the parse: 1 too deep, 2 NUL in a string */
    int lone_surrogate; /* a string holds one (YTREE_LONE_SURROGATE) */
    unsigned flags;     /* ytree_parse's */
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

/* A NUL can only come from the escape \u0000 (yajl refuses raw control bytes): refused (1), or with
 * YTREE_NUL_OVERLONG written as its two bytes (*s then points to a copy in the pool; 0). */
static int keep_or_refuse_nul(builder_t *b, const unsigned char **s, size_t *len)
{
    size_t nuls = 0;
    for (const unsigned char *p = *s; (p = memchr(p, '\0', (size_t)(*s + *len - p))) != NULL; p++)
        nuls++;
    if (nuls == 0)
        return 0;
    if (!(b->flags & YTREE_NUL_OVERLONG)) {
        b->refused = 2;
        return 1;
    }
    unsigned char *copy = h2o_mem_alloc_pool(b->pool, *len + nuls), *q = copy;
    for (size_t i = 0; i < *len; i++)
        if ((*s)[i] == '\0')
            *q++ = YTREE_NUL_LEAD, *q++ = YTREE_NUL_TRAIL;
        else
            *q++ = (*s)[i];
    *s = copy;
    *len += nuls;
    return 0;
}

/* A string value: the node and its text in one allocation. */
static int add_string(builder_t *b, const unsigned char *s, size_t len)
{
    yajl_val v = h2o_mem_alloc_pool(b->pool, sizeof(*v) + len + 1);
    memset(v, 0, sizeof(*v));
    v->type = yajl_t_string;
    v->u.string = (char *)(v + 1);
    memcpy(v->u.string, s, len);
    v->u.string[len] = '\0';
    return add_value(b, v);
}

/* yajl writes a lone low surrogate as its encoding (and a lone high one as '?'). */
static void note_surrogates(builder_t *b, const unsigned char *s, size_t len)
{
    for (const unsigned char *p = s; (p = memchr(p, 0xED, (size_t)(s + len - p))) != NULL; p++)
        b->lone_surrogate |= jw_encoded_surrogate(p, (size_t)(s + len - p));
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    builder_t *b = ctx;
    note_surrogates(b, s, len);
    return !keep_or_refuse_nul(b, &s, &len) && add_string(b, s, len);
}

static int on_key(void *ctx, const unsigned char *s, size_t len)
{
    builder_t *b = ctx;
    note_surrogates(b, s, len);
    if (keep_or_refuse_nul(b, &s, &len))
        return 0;
    b->key = pool_text(b->pool, s, len);
    return 1;
}

/* yajl's integer reading (errno ERANGE for anything but a whole number whose magnitude is at
 * most LLONG_MAX), so that YAJL_IS_INTEGER agrees with yajl_tree_parse. yajl's own bound let
 * 922337203685477581-7 through to a multiplication by 10 that overflows; here the test comes
 * before it. */
static long long parse_integer(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    long long v = 0, sign = 1;
    if (p < end && *p == '-') {
        p++;
        sign = -1;
    }
    for (; p < end; p++) {
        int d = *p - '0';
        if (d < 0 || d > 9 || v > (LLONG_MAX - d) / 10) {
            errno = ERANGE;
            return sign == 1 ? LLONG_MAX : LLONG_MIN;
        }
        v = v * 10 + d;
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

/* ---- the fast reader: plain JSON, as clients send it ---- */

/* A recursive-descent reader for the JSON that clients send (standard white space, no comments,
 * the usual escapes, UTF-8 as yajl accepts it) that drives the builder as yajl's parser would,
 * in about half the instructions (a BatchWriteItem body: 80k instead of 144k). It gives up at
 * anything else, every error included: the document is then parsed again by yajl, which builds
 * the same tree or says what is wrong. */
typedef struct {
    const unsigned char *p, *end;
    builder_t *b;
} reader_t;

static int read_value(reader_t *r);

static void skip_ws(reader_t *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

/* The length of the UTF-8 sequence at p as yajl's lexer accepts it (a lead byte and its
 * continuation bytes, not checked further), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    size_t n = (*p >> 5) == 0x6 ? 2 : (*p >> 4) == 0xe ? 3 : (*p >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || (size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] >> 6) != 0x2)
            return 0;
    return n;
}

/* The value of the 4 hex digits at p, or -1. */
static long hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = url_hexval(p[i]);
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* The UTF-8 bytes of code point cp into out (at most 4); their count. */
static size_t utf8_encode(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

size_t ytree_unescape(const char *p, const char *end, char *out, size_t *outlen, unsigned *cp)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *e = p < end && *p != '\0' ? strchr(from, *p) : NULL;
    if (e != NULL) {
        out[0] = to[e - from];
        *cp = (unsigned char)out[0];
        *outlen = 1;
        return 1;
    }
    long hi, lo;
    if (end - p < 5 || *p != 'u' || (hi = hex4(p + 1)) < 0)
        return 0;
    size_t used = 5;
    *cp = (unsigned)hi;
    if (hi >= 0xd800 && hi < 0xdc00 && end - p >= 11 && p[5] == '\\' && p[6] == 'u' && (lo = hex4(p + 7)) >= 0xdc00 &&
        lo < 0xe000) {
        *cp = 0x10000 + (unsigned)((hi - 0xd800) << 10 | (lo - 0xdc00));
        used = 11;
    }
    *outlen = utf8_encode(*cp, out);
    return used;
}

/* The first byte at or after p that is a quote, a backslash, a control or a non-ASCII byte,
 * or end: a word at a time. */
static const unsigned char *plain_run(const unsigned char *p, const unsigned char *end)
{
    for (; end - p >= 8; p += 8) {
        uint64_t w = swar_load(p);
        uint64_t m = swar_has_byte(w, '"') | swar_has_byte(w, '\\') | swar_has_less(w, 0x20) | (w & SWAR_HIGHS);
        if (m != 0)
            return p + swar_first(m);
    }
    while (p < end && *p != '"' && *p != '\\' && *p >= 0x20 && *p < 0x80)
        p++;
    return p;
}

/* The string at r->p ('"') handed to the builder as a key or a value. The reader's strings
 * hold no NUL: raw control bytes are left to yajl, and \u0000 too unless YTREE_NUL_OVERLONG
 * makes it C0 80. */
static int read_string(reader_t *r, int is_key)
{
    const unsigned char *start = ++r->p, *q = start;
    char *decoded = NULL;
    size_t dlen = 0;
    for (;;) {
        q = plain_run(q, r->end);
        if (q >= r->end || *q < 0x20)
            return 0;
        if (*q == '"')
            break;
        if (*q >= 0x80) {
            size_t n = utf8_len(q, r->end);
            if (n == 0)
                return 0;
            q += n;
        } else if (*q == '\\') {
            if (decoded == NULL) /* the decoded text is never longer than the escaped text */
                decoded = h2o_mem_alloc_pool(r->b->pool, (size_t)(r->end - start));
            memcpy(decoded + dlen, start, (size_t)(q - start));
            dlen += (size_t)(q - start);
            size_t n, out;
            /* \u0000 is left to yajl (refused) unless kept as C0 80. A lone surrogate is kept as its
             * three-byte encoding, not UTF-8: yajl made a lone high one '?' and a lone low one those
             * bytes, where SQS refuses either (not a valid character) and DynamoDB's writer makes it
             * '?' (jsonw.c). */
            unsigned cp;
            n = ytree_unescape((const char *)q + 1, (const char *)r->end, decoded + dlen, &out, &cp);
            if (n == 0 || (cp == 0 && !(r->b->flags & YTREE_NUL_OVERLONG)))
                return 0;
            if (cp == 0) {
                decoded[dlen] = (char)YTREE_NUL_LEAD;
                decoded[dlen + 1] = (char)YTREE_NUL_TRAIL;
                out = 2;
            }
            r->b->lone_surrogate |= cp >= 0xd800 && cp < 0xe000;
            dlen += out;
            q += 1 + n;
            start = q;
        } else {
            q++;
        }
    }
    const unsigned char *text = start;
    size_t len = (size_t)(q - start);
    if (decoded != NULL) {
        memcpy(decoded + dlen, start, len);
        text = (const unsigned char *)decoded;
        len += dlen;
    }
    r->p = q + 1;
    if (!is_key)
        return add_string(r->b, text, len);
    r->b->key = pool_text(r->b->pool, text, len);
    return 1;
}

static size_t digits(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *q = p;
    while (q < end && *q >= '0' && *q <= '9')
        q++;
    return (size_t)(q - p);
}

/* A number in JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int read_number(reader_t *r)
{
    const unsigned char *start = r->p, *q = r->p;
    q += q < r->end && *q == '-';
    size_t n = digits(q, r->end);
    if (n == 0 || (n > 1 && *q == '0'))
        return 0;
    q += n;
    if (q < r->end && *q == '.') {
        if ((n = digits(q + 1, r->end)) == 0)
            return 0;
        q += 1 + n;
    }
    if (q < r->end && (*q == 'e' || *q == 'E')) {
        q++;
        q += q < r->end && (*q == '+' || *q == '-');
        if ((n = digits(q, r->end)) == 0)
            return 0;
        q += n;
    }
    r->p = q;
    return on_number(r->b, (const char *)start, (size_t)(q - start));
}

static int read_literal(reader_t *r, const char *word, size_t len)
{
    if ((size_t)(r->end - r->p) < len || memcmp(r->p, word, len) != 0)
        return 0;
    r->p += len;
    return word[0] == 'n' ? on_null(r->b) : on_boolean(r->b, word[0] == 't');
}

/* The members of an object or the elements of an array, r->p after its opening bracket. */
static int read_container(reader_t *r, int object)
{
    const unsigned char close = object ? '}' : ']';
    if (r->b->depth == r->b->max_depth || !open_container(r->b, object ? yajl_t_object : yajl_t_array))
        return 0;
    skip_ws(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return on_end(r->b);
    }
    for (;;) {
        if (object) {
            if (r->p >= r->end || *r->p != '"' || !read_string(r, 1))
                return 0;
            skip_ws(r);
            if (r->p >= r->end || *r->p != ':')
                return 0;
            r->p++;
        }
        if (!read_value(r))
            return 0;
        skip_ws(r);
        if (r->p >= r->end)
            return 0;
        if (*r->p == close) {
            r->p++;
            return on_end(r->b);
        }
        if (*r->p != ',')
            return 0;
        r->p++;
        skip_ws(r);
    }
}

static int read_value(reader_t *r)
{
    skip_ws(r);
    if (r->p >= r->end)
        return 0;
    switch (*r->p) {
    case '{':
    case '[':
        return read_container(r, *r->p++ == '{');
    case '"':
        return read_string(r, 0);
    case 't':
        return read_literal(r, "true", 4);
    case 'f':
        return read_literal(r, "false", 5);
    case 'n':
        return read_literal(r, "null", 4);
    default:
        return read_number(r);
    }
}

/* 1 with the tree in b, or 0 when the text is left to yajl (b is then reset). */
static int read_document(builder_t *b, const char *text, size_t len)
{
    reader_t r = {(const unsigned char *)text, (const unsigned char *)text + len, b};
    if (read_value(&r)) {
        skip_ws(&r);
        if (r.p == r.end)
            return 1;
    }
    b->n = b->depth = 0;
    b->key = NULL;
    b->root = NULL;
    b->refused = 0;
    b->lone_surrogate = 0;
    return 0;
}

yajl_val ytree_parse(h2o_mem_pool_t *pool, const char *text, size_t len, size_t max_depth, unsigned flags, ytree_error_t *why,
                     char *err, size_t errlen)
{
    static const yajl_callbacks callbacks = {on_null,      on_boolean, NULL,   NULL,           on_number, on_string,
                                             on_start_map, on_key,     on_end, on_start_array, on_end};
    yajl_alloc_funcs funcs = {pool_malloc, pool_realloc, pool_free, pool};
    builder_t b = {.pool = pool, .cap = 16, .depth_cap = 8, .max_depth = max_depth, .flags = flags};
    b.vals = h2o_mem_alloc_pool(pool, b.cap * sizeof(*b.vals));
    b.keys = h2o_mem_alloc_pool(pool, b.cap * sizeof(*b.keys));
    b.open = h2o_mem_alloc_pool(pool, b.depth_cap * sizeof(*b.open));
    *why = YTREE_OK;
    if (read_document(&b, text, len)) {
        if (b.lone_surrogate)
            *why = YTREE_LONE_SURROGATE;
        return b.root;
    }
    yajl_handle h = yajl_alloc(&callbacks, &funcs, &b);
    yajl_config(h, yajl_allow_comments, 1);
    yajl_status st = yajl_parse(h, (const unsigned char *)text, len);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    if (st == yajl_status_ok) {
        if (b.lone_surrogate)
            *why = YTREE_LONE_SURROGATE;
        return b.root;
    }
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

/* Whether arrays and objects nest deeper than limit in text, outside strings and the comments
 * yajl_tree_parse allows (a bracket or quote inside either does not count). */
static int nests_deeper(const char *p, size_t limit)
{
    size_t depth = 0;
    for (; *p; p++) {
        if (*p == '"') {
            while (*++p && *p != '"')
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                return 0;
        } else if (*p == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            if (e == NULL)
                return 0;
            p = e + 1;
        } else if (*p == '/' && p[1] == '/') {
            while (p[1] && p[1] != '\n')
                p++;
        } else if (*p == '[' || *p == '{') {
            if (++depth > limit)
                return 1;
        } else if ((*p == ']' || *p == '}') && depth > 0) {
            depth--;
        }
    }
    return 0;
}

yajl_val ytree_parse_text(const char *text, char *err, size_t errlen)
{
    if (nests_deeper(text, YTREE_TEXT_MAX_DEPTH)) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "nesting too deep");
        return NULL;
    }
    return yajl_tree_parse(text, err, errlen);
}

static void question_in_place(char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    char *out = s;
    while (p < end) {
        int sur = jw_encoded_surrogate(p, (size_t)(end - p));
        *out++ = sur ? '?' : (char)*p;
        p += sur ? 3 : 1;
    }
    *out = '\0';
}

void ytree_surrogates_to_question(yajl_val v)
{
    if (YAJL_IS_STRING(v))
        question_in_place(v->u.string);
    else if (YAJL_IS_ARRAY(v))
        for (size_t i = 0; i < v->u.array.len; i++)
            ytree_surrogates_to_question(v->u.array.values[i]);
    else if (YAJL_IS_OBJECT(v))
        for (size_t i = 0; i < v->u.object.len; i++) {
            question_in_place((char *)v->u.object.keys[i]);
            ytree_surrogates_to_question(v->u.object.values[i]);
        }
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

typedef struct { /* an object's member, for writing them in key order */
    const char *key;
    yajl_val value;
} member_t;

static int member_cmp(const void *a, const void *b)
{
    return strcmp(((const member_t *)a)->key, ((const member_t *)b)->key);
}

static void write_value(jw_t *w, yajl_val v, int sorted);

static void write_object(jw_t *w, yajl_val v, int sorted)
{
    size_t n = v->u.object.len;
    member_t *ms = sorted && n > 1 ? malloc(sizeof(member_t) * n) : NULL; /* NULL: in the object's order */
    for (size_t i = 0; ms && i < n; i++)
        ms[i] = (member_t){v->u.object.keys[i], v->u.object.values[i]};
    if (ms)
        qsort(ms, n, sizeof(member_t), member_cmp);
    jw_obj(w);
    for (size_t i = 0; i < n; i++) {
        jw_key(w, ms ? ms[i].key : v->u.object.keys[i]);
        write_value(w, ms ? ms[i].value : v->u.object.values[i], sorted);
    }
    jw_end(w);
    free(ms);
}

static void write_value(jw_t *w, yajl_val v, int sorted)
{
    if (v == NULL) {
        jw_null(w);
        return;
    }
    switch (v->type) {
    case yajl_t_string:
        jw_str(w, v->u.string);
        break;
    case yajl_t_number:
        jw_raw(w, v->u.number.r, strlen(v->u.number.r));
        break;
    case yajl_t_true:
        jw_bool(w, 1);
        break;
    case yajl_t_false:
        jw_bool(w, 0);
        break;
    case yajl_t_object:
        write_object(w, v, sorted);
        break;
    case yajl_t_array:
        jw_arr(w);
        for (size_t i = 0; i < v->u.array.len; i++)
            write_value(w, v->u.array.values[i], sorted);
        jw_aend(w);
        break;
    default:
        jw_null(w);
        break;
    }
}

void ytree_write(jw_t *w, yajl_val v)
{
    write_value(w, v, 0);
}

int64_t ytree_utf16_length(const char *s)
{
    int64_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n += *p >= 0xF0 ? 2 : 1;
    return n;
}

void ytree_write_sorted(jw_t *w, yajl_val v)
{
    write_value(w, v, 1);
}
