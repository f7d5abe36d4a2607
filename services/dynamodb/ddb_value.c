/* ddb_value.c - DynamoDB AttributeValues as yajl trees (see ddb_value.h).
 *
 * Owns what DynamoDB says about a value on its own: which type it is, whether
 * it is valid (with DynamoDB's messages), how many bytes it counts for, how two
 * values order and compare, the key bytes SQLite sorts by, and the canonical
 * JSON it is stored as. Numbers are delegated to ddb_number.c. Sets are checked
 * for duplicates by sorting (sets may hold thousands of members). */
#include "services/dynamodb/ddb_value.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/base64.h"
#include "protocol/poolfmt.h"
#include "protocol/ytree.h"

static const char *const type_names[] = {"", "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
static const unsigned char type_lens[] = {0, 1, 1, 1, 4, 4, 1, 1, 2, 2, 2};
#define NTYPES ((int)(sizeof(type_names) / sizeof(type_names[0])))

#define MSG_INVALID "One or more parameter values were invalid: "
/* A value of the wrong JSON type (normally caught earlier by the model check). */
#define MSG_BAD_JSON "Unexpected value type in payload"

/* ---- small helpers ---- */

/* The JSON type each AttributeValue type's member must have. */
static int inner_ok(ddb_type_t t, yajl_val v)
{
    switch (t) {
    case DDB_T_S:
    case DDB_T_N:
    case DDB_T_B:
        return YAJL_IS_STRING(v);
    case DDB_T_BOOL:
    case DDB_T_NULL:
        return YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v);
    case DDB_T_M:
        return YAJL_IS_OBJECT(v);
    default: /* L and the sets */
        return YAJL_IS_ARRAY(v);
    }
}

/* Decoded length of valid base64 text. */
static size_t b64_len(const char *s)
{
    size_t len = strlen(s);
    if (len < 4)
        return 0;
    return len / 4 * 3 - (s[len - 1] == '=') - (s[len - 2] == '=');
}

/* Reads decoded bytes of base64 text one at a time, without allocating. */
typedef struct {
    const char *s;
    size_t len, pos;
    unsigned char buf[3];
    int n, i;
} b64_iter_t;

static void b64_iter_init(b64_iter_t *it, const char *s)
{
    *it = (b64_iter_t){.s = s, .len = strlen(s)};
}

/* Next byte, or -1 at the end (or at invalid input). */
static int b64_iter_next(b64_iter_t *it)
{
    if (it->i == it->n) {
        if (it->pos + 4 > it->len)
            return -1;
        long n = base64_decode(it->s + it->pos, 4, it->buf);
        it->pos += 4;
        it->n = n < 0 ? 0 : (int)n;
        it->i = 0;
        if (it->n == 0)
            return -1;
    }
    return it->buf[it->i++];
}

static int b64_cmp(const char *a, const char *b)
{
    b64_iter_t ia, ib;
    b64_iter_init(&ia, a);
    b64_iter_init(&ib, b);
    for (;;) {
        int x = b64_iter_next(&ia), y = b64_iter_next(&ib);
        if (x != y || x < 0)
            return (x > y) - (x < y);
    }
}

/* ---- types ---- */

/* The type of av and its inner value (every AttributeValue read goes through here). */
static ddb_type_t av_parts(yajl_val av, yajl_val *inner)
{
    *inner = NULL;
    if (!YAJL_IS_OBJECT(av))
        return DDB_T_NONE;
    ddb_type_t found = DDB_T_NONE;
    for (size_t i = 0; i < av->u.object.len; i++) {
        yajl_val v = av->u.object.values[i];
        const char *key = av->u.object.keys[i];
        ddb_type_t t = ddb_type_from_name(key, strlen(key));
        if (t == DDB_T_NONE || YAJL_IS_NULL(v)) /* unknown members and nulls count as absent */
            continue;
        if (found != DDB_T_NONE || !inner_ok(t, v)) {
            *inner = NULL;
            return DDB_T_NONE;
        }
        found = t;
        *inner = v;
    }
    return found;
}

ddb_type_t ddb_av_type(yajl_val av)
{
    yajl_val inner;
    return av_parts(av, &inner);
}

yajl_val ddb_av_inner(yajl_val av)
{
    yajl_val inner;
    av_parts(av, &inner);
    return inner;
}

const char *ddb_type_name(ddb_type_t t)
{
    return (int)t >= 0 && (int)t < NTYPES ? type_names[t] : "";
}

ddb_type_t ddb_type_from_name(const char *name, size_t len)
{
    static const ddb_type_t one[] = {['S'] = DDB_T_S, ['N'] = DDB_T_N, ['B'] = DDB_T_B, ['M'] = DDB_T_M, ['L'] = DDB_T_L};
    static const ddb_type_t sets[] = {['S'] = DDB_T_SS, ['N'] = DDB_T_NS, ['B'] = DDB_T_BS};
    if (len == 0)
        return DDB_T_NONE;
    unsigned char c = (unsigned char)name[0];
    if (len == 1)
        return c < sizeof(one) / sizeof(one[0]) ? one[c] : DDB_T_NONE;
    if (len == 2 && name[1] == 'S')
        return c < sizeof(sets) / sizeof(sets[0]) ? sets[c] : DDB_T_NONE;
    if (len == 4 && memcmp(name, "BOOL", 4) == 0)
        return DDB_T_BOOL;
    if (len == 4 && memcmp(name, "NULL", 4) == 0)
        return DDB_T_NULL;
    return DDB_T_NONE;
}

int ddb_type_is_scalar(ddb_type_t t)
{
    return t == DDB_T_S || t == DDB_T_N || t == DDB_T_B;
}

/* ---- validation ---- */

typedef struct {
    h2o_mem_pool_t *pool;
    ddb_layer_t layer;
    const char **msg;
} vctx_t;

static int fail(vctx_t *c, int code, const char *msg)
{
    *c->msg = msg;
    return code;
}

/* A number's text; the layers differ on an empty text (the current one keeps the colon) and on what wraps. */
static int check_number(vctx_t *c, const char *text, ddb_num_t *out)
{
    int rc = ddb_num_parse(text, strlen(text), out);
    if (rc == DDB_NUM_OK)
        return 0;
    /* the older layer reads numbers with Java's BigDecimal first, whose magnitude wraps round: 1e2147483647 underflows */
    if (c->layer == DDB_LAYER_OLDER && rc == DDB_NUM_EOVERFLOW && ddb_num_bigdecimal_check(text, strlen(text)) == DDB_NUM_EUNDERFLOW)
        rc = DDB_NUM_EUNDERFLOW;
    if (rc == DDB_NUM_EINVALID && (text[0] || c->layer == DDB_LAYER_CURRENT))
        return fail(c, DDB_VERR_VALIDATION, pool_sprintf(c->pool, "%s: %s", ddb_num_strerror(rc), text));
    return fail(c, DDB_VERR_VALIDATION, ddb_num_strerror(rc));
}

/* Strict base64, with the texts DynamoDB's JSON layer uses. */
static int check_base64(vctx_t *c, const char *s)
{
    size_t len = strlen(s);
    const char *why = NULL;
    char bad = 0;
    if (len % 4) {
        return fail(c, DDB_VERR_SERIALIZATION,
                    pool_sprintf(c->pool,
                                 "'%s' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 "
                                 "bytes but found: %zu",
                                 s, len));
    }
    for (size_t i = 0; i < len && !bad; i++) {
        char ch = s[i];
        int alpha = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
        int pad_ok = ch == '=' && i + 2 >= len && (i + 1 == len || s[i + 1] == '=');
        if (!alpha && !pad_ok)
            bad = ch;
    }
    if (bad)
        return fail(c, DDB_VERR_SERIALIZATION,
                    pool_sprintf(c->pool, "'%s' can not be converted to a Blob: Invalid Base64 character: '%c'", s, bad));
    /* the unused low bits of the last character must be zero, so one text means one value */
    if (len >= 4 && s[len - 1] == '=') {
        unsigned char tmp[3], re[4];
        long n = base64_decode(s + len - 4, 4, tmp);
        if (n < 0 || base64_encode(tmp, (size_t)n, (char *)re) != 4 || memcmp(re, s + len - 4, 4) != 0)
            why = "Invalid last non-pad Base64 character dectected";
    }
    if (why)
        return fail(c, DDB_VERR_SERIALIZATION, pool_sprintf(c->pool, "'%s' can not be converted to a Blob: %s", s, why));
    return 0;
}

/* "[a, b, c]": the members of a string array as sent, unquoted (the older layer's listing). */
static const char *join_as_sent(h2o_mem_pool_t *pool, yajl_val arr)
{
    size_t total = 3;
    for (size_t i = 0; i < arr->u.array.len; i++)
        total += strlen(arr->u.array.values[i]->u.string) + 2;
    char *buf = h2o_mem_alloc_pool(pool, total), *p = buf;
    *p++ = '[';
    for (size_t i = 0; i < arr->u.array.len; i++) {
        size_t l = strlen(arr->u.array.values[i]->u.string);
        if (i) {
            memcpy(p, ", ", 2);
            p += 2;
        }
        memcpy(p, arr->u.array.values[i]->u.string, l);
        p += l;
    }
    *p++ = ']';
    *p = '\0';
    return buf;
}

static int number_cmp_text(const char *a, const char *b);

/* Two members of a set of type t in DynamoDB's order: bytewise (SS, BS), by value (NS). */
static int member_cmp(ddb_type_t t, const char *a, const char *b)
{
    return t == DDB_T_BS ? b64_cmp(a, b) : t == DDB_T_NS ? number_cmp_text(a, b) : ddb_text_cmp(a, b);
}

static int ss_ptr_cmp(const void *a, const void *b)
{
    return member_cmp(DDB_T_SS, *(const char *const *)a, *(const char *const *)b);
}

static int ns_ptr_cmp(const void *a, const void *b)
{
    return member_cmp(DDB_T_NS, *(const char *const *)a, *(const char *const *)b);
}

static int bs_ptr_cmp(const void *a, const void *b)
{
    return member_cmp(DDB_T_BS, *(const char *const *)a, *(const char *const *)b);
}

/* A set member and its place in the request, ordered by member (DynamoDB's order) then place. */
typedef struct {
    const char *s;
    size_t at;
    ddb_type_t t;
} placed_t;

static int placed_cmp(const void *a, const void *b)
{
    const placed_t *x = a, *y = b;
    int d = member_cmp(x->t, x->s, y->s);
    return d ? d : (x->at > y->at) - (x->at < y->at);
}

/* The current layer's listing of a set with a repeated member: the members quoted, in byte order up to the
 * first repeat, then the repeat, then the rest as sent; separated by ", " for SS and "," for BS. One sort of the
 * members with their places finds the first repeat (the earliest second place among equal members) and gives
 * the members before it in order: a set of tens of thousands of members is listed in milliseconds. */
static const char *join_by_first_repeat(h2o_mem_pool_t *pool, ddb_type_t t, yajl_val arr)
{
    size_t n = arr->u.array.len, first = n, total = 3;
    placed_t *m = h2o_mem_alloc_pool(pool, n * sizeof(*m));
    for (size_t i = 0; i < n; i++) {
        m[i] = (placed_t){arr->u.array.values[i]->u.string, i, t};
        total += strlen(m[i].s) + 4;
    }
    qsort(m, n, sizeof(*m), placed_cmp);
    for (size_t i = 1; i < n; i++)
        if (member_cmp(t, m[i - 1].s, m[i].s) == 0 && m[i].at < first)
            first = m[i].at;
    const char *sep = t == DDB_T_BS ? "," : ", ";
    char *buf = h2o_mem_alloc_pool(pool, total), *p = buf;
    size_t listed = 0;
    *p++ = '[';
    for (size_t i = 0; i < n; i++) /* the members placed before the repeat, in order */
        if (m[i].at < first)
            p += sprintf(p, "%s\"%s\"", listed++ ? sep : "", m[i].s);
    for (size_t i = first; i < n; i++) /* the repeat and the rest, as sent */
        p += sprintf(p, "%s\"%s\"", listed++ ? sep : "", arr->u.array.values[i]->u.string);
    strcpy(p, "]");
    return buf;
}
int ddb_str_ptr_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int num_cmp_q(const void *a, const void *b)
{
    return ddb_num_cmp(a, b);
}

/* The texts of a set's members (SS, BS), sorted; NULL when out of memory. */
static const char **sorted_strings(yajl_val arr)
{
    size_t n = arr->u.array.len;
    const char **v = malloc((n ? n : 1) * sizeof(*v));
    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        v[i] = arr->u.array.values[i]->u.string;
    qsort(v, n, sizeof(*v), ddb_str_ptr_cmp);
    return v;
}

/* 1 if the set has two equal members (SS/BS: equal texts, which for valid
 * base64 means equal bytes; NS: equal numbers, given their parsed values). */
static int has_duplicates(yajl_val arr, ddb_num_t *nums)
{
    size_t n = arr->u.array.len;
    if (nums) {
        qsort(nums, n, sizeof(*nums), num_cmp_q);
        for (size_t i = 1; i < n; i++)
            if (ddb_num_cmp(&nums[i - 1], &nums[i]) == 0)
                return 1;
        return 0;
    }
    const char **v = sorted_strings(arr);
    if (v == NULL)
        return 0;
    int dup = 0;
    for (size_t i = 1; i < n && !dup; i++)
        dup = strcmp(v[i - 1], v[i]) == 0;
    free(v);
    return dup;
}

#define MSG_EMPTY_SS MSG_INVALID "An string set  may not be empty"
#define MSG_EMPTY_NS MSG_INVALID "An number set  may not be empty"
#define MSG_EMPTY_BS MSG_INVALID "Binary sets should not be empty"

/* DynamoDB's message for a set with a repeated member, in the layer's words (the older one names no number set's
 * members and drops the lead and the full stop there). */
static const char *duplicates_message(vctx_t *c, ddb_type_t t, yajl_val arr)
{
    if (t == DDB_T_NS)
        return c->layer == DDB_LAYER_OLDER ? "Input collection contains duplicates"
                                           : MSG_INVALID "Input collection contains duplicates.";
    const char *list = c->layer == DDB_LAYER_OLDER ? join_as_sent(c->pool, arr) : join_by_first_repeat(c->pool, t, arr);
    return pool_sprintf(c->pool, MSG_INVALID "Input collection %s%s contains duplicates.", list, t == DDB_T_BS ? "of type BS" : "");
}

static int validate_set(vctx_t *c, ddb_type_t t, yajl_val arr)
{
    size_t n = arr->u.array.len;
    if (n == 0)
        return fail(c, DDB_VERR_EMPTY_SET, t == DDB_T_SS ? MSG_EMPTY_SS : t == DDB_T_NS ? MSG_EMPTY_NS : MSG_EMPTY_BS);
    for (size_t i = 0; i < n; i++)
        if (t == DDB_T_SS && YAJL_IS_NULL(arr->u.array.values[i])) /* ExtendDB's captures; DynamoDB Local words it so */
            return fail(c, DDB_VERR_VALIDATION, MSG_INVALID "An string set may not have a null string as a member");
        else if (!YAJL_IS_STRING(arr->u.array.values[i]))
            return fail(c, DDB_VERR_SERIALIZATION, MSG_BAD_JSON);
    ddb_num_t *nums = t == DDB_T_NS ? malloc(n * sizeof(*nums)) : NULL, tmp;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *s = arr->u.array.values[i]->u.string;
        rc = t == DDB_T_NS ? check_number(c, s, nums ? &nums[i] : &tmp) : t == DDB_T_BS ? check_base64(c, s) : 0;
    }
    if (rc == 0 && (t != DDB_T_NS || nums) && has_duplicates(arr, nums))
        rc = fail(c, DDB_VERR_VALIDATION, duplicates_message(c, t, arr));
    free(nums);
    return rc;
}

static int validate_level(vctx_t *c, yajl_val av, int level);

static int validate_member(vctx_t *c, ddb_type_t t, yajl_val v, int level)
{
    if (!inner_ok(t, v))
        return fail(c, DDB_VERR_SERIALIZATION, MSG_BAD_JSON);
    ddb_num_t n;
    switch (t) {
    case DDB_T_N:
        return check_number(c, v->u.string, &n);
    case DDB_T_B:
        return check_base64(c, v->u.string);
    case DDB_T_NULL:
        return YAJL_IS_TRUE(v) ? 0
                               : fail(c, DDB_VERR_VALIDATION, MSG_INVALID "Null attribute value types must have the value of true");
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS:
        return validate_set(c, t, v);
    case DDB_T_M:
        for (size_t i = 0; i < v->u.object.len; i++) {
            int rc = validate_level(c, v->u.object.values[i], level + 1);
            if (rc)
                return rc;
        }
        return 0;
    case DDB_T_L:
        for (size_t i = 0; i < v->u.array.len; i++) {
            int rc = validate_level(c, v->u.array.values[i], level + 1);
            if (rc)
                return rc;
        }
        return 0;
    default:
        return 0;
    }
}

/* One value at nesting level (1 = an item's attribute). Members are checked
 * in order before the member count, as DynamoDB does: {"S":"a","N":"b"} is
 * reported as a bad number. */
static int validate_level(vctx_t *c, yajl_val av, int level)
{
    if (level > DDB_MAX_DEPTH)
        return fail(c, DDB_VERR_VALIDATION, DDB_MSG_NESTING);
    if (!YAJL_IS_OBJECT(av))
        return fail(c, DDB_VERR_SERIALIZATION, MSG_BAD_JSON);
    int ntypes = 0;
    for (size_t i = 0; i < av->u.object.len; i++) {
        const char *k = av->u.object.keys[i];
        ddb_type_t t = ddb_type_from_name(k, strlen(k));
        if (t == DDB_T_NONE || YAJL_IS_NULL(av->u.object.values[i]))
            continue;
        ntypes++;
        int rc = validate_member(c, t, av->u.object.values[i], level);
        if (rc)
            return rc;
    }
    if (ntypes == 0)
        return fail(c, DDB_VERR_VALIDATION,
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    if (ntypes > 1)
        return fail(c, DDB_VERR_VALIDATION,
                    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
    return 0;
}

int ddb_av_validate_in(h2o_mem_pool_t *pool, yajl_val av, ddb_layer_t layer, const char **msg)
{
    vctx_t c = {pool, layer, msg};
    return validate_level(&c, av, 1);
}

int ddb_av_validate(h2o_mem_pool_t *pool, yajl_val av, const char **msg)
{
    return ddb_av_validate_in(pool, av, DDB_LAYER_OLDER, msg);
}

int ddb_item_validate_in(h2o_mem_pool_t *pool, yajl_val item, ddb_layer_t layer, const char **msg)
{
    vctx_t c = {pool, layer, msg};
    if (!YAJL_IS_OBJECT(item))
        return fail(&c, DDB_VERR_SERIALIZATION, MSG_BAD_JSON);
    for (size_t i = 0; i < item->u.object.len; i++)
        if (item->u.object.keys[i][0] == '\0')
            return fail(&c, DDB_VERR_VALIDATION, "Empty attribute name");
    for (size_t i = 0; i < item->u.object.len; i++) {
        int rc = validate_level(&c, item->u.object.values[i], 1);
        if (rc)
            return rc;
    }
    return 0;
}

int ddb_key_validate(h2o_mem_pool_t *pool, const char *name, yajl_val av, ddb_type_t want, int is_hash, const char **msg)
{
    ddb_type_t t = ddb_av_type(av);
    if (t != want) {
        *msg = pool_sprintf(pool, MSG_INVALID "Type mismatch for key %s expected: %s actual: %s", name, ddb_type_name(want),
                            ddb_type_name(t));
        return DDB_VERR_VALIDATION;
    }
    if (t == DDB_T_N)
        return 0;
    const char *text = ddb_av_inner(av)->u.string;
    size_t len = t == DDB_T_S ? ddb_text_bytes(text) : b64_len(text);
    if (len == 0) {
        *msg =
            pool_sprintf(pool, DDB_MSG_NOT_VALID "The AttributeValue for a key attribute cannot contain an empty %s value. Key: %s",
                         t == DDB_T_S ? "string" : "binary", name);
        return DDB_VERR_NOT_VALID;
    }
    if (is_hash && len > DDB_MAX_HASH_KEY) {
        *msg = MSG_INVALID "Size of hashkey has exceeded the maximum size limit of2048 bytes";
        return DDB_VERR_VALIDATION;
    }
    if (!is_hash && len > DDB_MAX_RANGE_KEY) {
        *msg = MSG_INVALID "Aggregated size of all range keys has exceeded the size limit of 1024 bytes";
        return DDB_VERR_VALIDATION;
    }
    return 0;
}

/* ---- strings holding NUL ---- */

size_t ddb_text_bytes(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++)
        p += p[0] == YTREE_NUL_LEAD && p[1] == YTREE_NUL_TRAIL;
    return n;
}

/* The byte at *p that the text stands for (C0 80: 0), advancing past it. */
static unsigned text_byte(const unsigned char **p)
{
    unsigned c = **p;
    int nul = c == YTREE_NUL_LEAD && (*p)[1] == YTREE_NUL_TRAIL;
    *p += 1 + nul;
    return nul ? 0 : c;
}

int ddb_text_cmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *y) {
        unsigned cx = text_byte(&x), cy = text_byte(&y);
        if (cx != cy)
            return cx < cy ? -1 : 1;
    }
    return (*x != 0) - (*y != 0);
}

/* ---- size ---- */

static size_t number_size(const char *text)
{
    ddb_num_t n;
    return ddb_num_parse(text, strlen(text), &n) == DDB_NUM_OK ? ddb_num_size(&n) : 0;
}

size_t ddb_av_size(yajl_val av)
{
    yajl_val v;
    ddb_type_t t = av_parts(av, &v);
    size_t sum = 0;
    switch (t) {
    case DDB_T_S:
        return ddb_text_bytes(v->u.string);
    case DDB_T_N:
        return number_size(v->u.string);
    case DDB_T_B:
        return b64_len(v->u.string);
    case DDB_T_BOOL:
    case DDB_T_NULL:
        return 1;
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS:
        for (size_t i = 0; i < v->u.array.len; i++) {
            const char *s = YAJL_IS_STRING(v->u.array.values[i]) ? v->u.array.values[i]->u.string : "";
            sum += t == DDB_T_SS ? ddb_text_bytes(s) : t == DDB_T_NS ? number_size(s) : b64_len(s);
        }
        return sum;
    case DDB_T_L:
        for (size_t i = 0; i < v->u.array.len; i++)
            sum += 1 + ddb_av_size(v->u.array.values[i]);
        return 3 + sum;
    case DDB_T_M:
        return 3 + v->u.object.len + ddb_item_size(v);
    default:
        return 0;
    }
}

size_t ddb_item_size(yajl_val item)
{
    size_t sum = 0;
    if (!YAJL_IS_OBJECT(item))
        return 0;
    for (size_t i = 0; i < item->u.object.len; i++)
        sum += ddb_text_bytes(item->u.object.keys[i]) + ddb_av_size(item->u.object.values[i]);
    return sum;
}

/* ---- ordering and equality ---- */

static int number_cmp_text(const char *a, const char *b)
{
    ddb_num_t x = {0}, y = {0};
    ddb_num_parse(a, strlen(a), &x);
    ddb_num_parse(b, strlen(b), &y);
    return ddb_num_cmp(&x, &y);
}

int ddb_av_compare(yajl_val a, yajl_val b)
{
    ddb_type_t ta = ddb_av_type(a), tb = ddb_av_type(b);
    if (ta != tb)
        return ta < tb ? -1 : 1;
    if (!ddb_type_is_scalar(ta))
        return 0;
    const char *x = ddb_av_inner(a)->u.string, *y = ddb_av_inner(b)->u.string;
    int c = ta == DDB_T_S ? ddb_text_cmp(x, y) : ta == DDB_T_N ? number_cmp_text(x, y) : b64_cmp(x, y);
    return (c > 0) - (c < 0);
}

typedef struct {
    const char *key;
    yajl_val val;
} kv_t;

static int kv_cmp(const void *a, const void *b)
{
    return strcmp(((const kv_t *)a)->key, ((const kv_t *)b)->key);
}

/* Sorted (key, value) pairs of an object, or of a string array (values NULL). */
static kv_t *sorted_pairs(yajl_val v, size_t *n)
{
    int obj = YAJL_IS_OBJECT(v);
    *n = obj ? v->u.object.len : v->u.array.len;
    kv_t *kv = malloc((*n ? *n : 1) * sizeof(*kv));
    if (kv == NULL)
        return NULL;
    for (size_t i = 0; i < *n; i++) {
        yajl_val e = obj ? v->u.object.values[i] : v->u.array.values[i];
        kv[i].key = obj ? v->u.object.keys[i] : YAJL_IS_STRING(e) ? e->u.string : "";
        kv[i].val = obj ? e : NULL;
    }
    qsort(kv, *n, sizeof(*kv), kv_cmp);
    return kv;
}

/* Maps (regardless of member order) and SS/BS sets (regardless of order;
 * valid base64 texts are equal exactly when their bytes are). */
static int pairs_equal(yajl_val x, yajl_val y)
{
    size_t nx, ny;
    kv_t *a = sorted_pairs(x, &nx), *b = sorted_pairs(y, &ny);
    int eq = a && b && nx == ny;
    for (size_t i = 0; eq && i < nx; i++)
        eq = strcmp(a[i].key, b[i].key) == 0 && (a[i].val == NULL || ddb_av_equal(a[i].val, b[i].val));
    free(a);
    free(b);
    return eq;
}

static ddb_num_t *sorted_numbers(yajl_val arr)
{
    size_t n = arr->u.array.len;
    ddb_num_t *v = calloc(n ? n : 1, sizeof(*v));
    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (YAJL_IS_STRING(arr->u.array.values[i]))
            ddb_num_parse(arr->u.array.values[i]->u.string, strlen(arr->u.array.values[i]->u.string), &v[i]);
    qsort(v, n, sizeof(*v), num_cmp_q);
    return v;
}

static int number_sets_equal(yajl_val x, yajl_val y)
{
    if (x->u.array.len != y->u.array.len)
        return 0;
    ddb_num_t *a = sorted_numbers(x), *b = sorted_numbers(y);
    int eq = a && b;
    for (size_t i = 0; eq && i < x->u.array.len; i++)
        eq = ddb_num_cmp(&a[i], &b[i]) == 0;
    free(a);
    free(b);
    return eq;
}

int ddb_av_equal(yajl_val a, yajl_val b)
{
    ddb_type_t t = ddb_av_type(a);
    if (t == DDB_T_NONE || t != ddb_av_type(b))
        return 0;
    yajl_val x = ddb_av_inner(a), y = ddb_av_inner(b);
    switch (t) {
    case DDB_T_S:
    case DDB_T_N:
    case DDB_T_B:
        return ddb_av_compare(a, b) == 0;
    case DDB_T_BOOL:
    case DDB_T_NULL:
        return YAJL_IS_TRUE(x) == YAJL_IS_TRUE(y);
    case DDB_T_L:
        if (x->u.array.len != y->u.array.len)
            return 0;
        for (size_t i = 0; i < x->u.array.len; i++)
            if (!ddb_av_equal(x->u.array.values[i], y->u.array.values[i]))
                return 0;
        return 1;
    case DDB_T_NS:
        return number_sets_equal(x, y);
    default: /* M, SS, BS */
        return pairs_equal(x, y);
    }
}

struct ddb_set_index {
    size_t n;
    ddb_num_t *nums;   /* NS */
    const char **strs; /* SS, BS */
};

ddb_set_index_t *ddb_set_index_new(yajl_val arr, ddb_type_t t)
{
    ddb_set_index_t *ix = calloc(1, sizeof(*ix));
    if (ix == NULL)
        return NULL;
    ix->n = arr->u.array.len;
    if (t == DDB_T_NS)
        ix->nums = sorted_numbers(arr);
    else
        ix->strs = sorted_strings(arr);
    if (ix->nums == NULL && ix->strs == NULL) {
        free(ix);
        return NULL;
    }
    return ix;
}

int ddb_set_index_has(const ddb_set_index_t *ix, const char *member)
{
    if (ix->strs != NULL)
        return bsearch(&member, ix->strs, ix->n, sizeof(*ix->strs), ddb_str_ptr_cmp) != NULL;
    ddb_num_t key;
    return ddb_num_parse(member, strlen(member), &key) == DDB_NUM_OK &&
           bsearch(&key, ix->nums, ix->n, sizeof(*ix->nums), num_cmp_q) != NULL;
}

void ddb_set_index_free(ddb_set_index_t *ix)
{
    if (ix == NULL)
        return;
    free(ix->nums);
    free(ix->strs);
    free(ix);
}

/* ---- keys ---- */

long ddb_key_encode(yajl_val av, unsigned char *out, size_t cap)
{
    ddb_type_t t = ddb_av_type(av);
    if (!ddb_type_is_scalar(t))
        return -1;
    const char *text = ddb_av_inner(av)->u.string;
    size_t len = strlen(text);
    if (t == DDB_T_S) {
        if (len > cap && ddb_text_bytes(text) > cap)
            return -1;
        size_t n = 0;
        for (const unsigned char *p = (const unsigned char *)text; *p;)
            out[n++] = (unsigned char)text_byte(&p);
        return (long)n;
    }
    if (t == DDB_T_B) {
        if (b64_len(text) > cap)
            return -1;
        return base64_decode(text, len, out);
    }
    ddb_num_t n;
    unsigned char key[DDB_NUM_KEY_MAX];
    if (ddb_num_parse(text, len, &n) != DDB_NUM_OK)
        return -1;
    size_t klen = ddb_num_key(&n, key);
    if (klen > cap)
        return -1;
    memcpy(out, key, klen);
    return (long)klen;
}

long ddb_key_encode_component(yajl_val av, unsigned char *out, size_t cap)
{
    unsigned char raw[DDB_MAX_HASH_KEY + 1];
    long len = ddb_key_encode(av, raw, sizeof(raw));
    if (len < 0)
        return -1;
    size_t n = 0;
    for (long i = 0; i < len; i++) {
        if (n + 2 > cap)
            return -1;
        out[n++] = raw[i];
        if (raw[i] == 0x00)
            out[n++] = 0xff;
    }
    if (n + 2 > cap)
        return -1;
    out[n++] = 0x00;
    out[n++] = 0x01;
    return (long)n;
}

/* ---- canonical JSON ---- */

static void write_number(jw_t *w, const char *text)
{
    ddb_num_t n;
    char buf[DDB_NUM_TEXT_MAX];
    if (ddb_num_parse(text, strlen(text), &n) == DDB_NUM_OK) {
        size_t len = ddb_num_format(&n, buf);
        jw_strn(w, buf, len);
    } else {
        jw_str(w, text);
    }
}

static const char *member_text(yajl_val arr, size_t i)
{
    return YAJL_IS_STRING(arr->u.array.values[i]) ? arr->u.array.values[i]->u.string : "";
}

/* A set's members in DynamoDB's order, whatever order they were written in (GetItem answers so:
 * paritysuite/dynamodb-conformance tier1/updateItem/basic.test.ts, eu-west-2, 2026-10-09). A stored set was
 * written so already: only a request's own set is copied and sorted. */
static void write_set(jw_t *w, ddb_type_t t, yajl_val arr)
{
    size_t n = arr->u.array.len;
    int sorted = 1;
    for (size_t i = 1; sorted && i < n; i++)
        sorted = member_cmp(t, member_text(arr, i - 1), member_text(arr, i)) <= 0;
    const char **m = sorted ? NULL : malloc(n * sizeof(*m));
    for (size_t i = 0; m && i < n; i++)
        m[i] = member_text(arr, i);
    if (m)
        qsort(m, n, sizeof(*m), t == DDB_T_NS ? ns_ptr_cmp : t == DDB_T_BS ? bs_ptr_cmp : ss_ptr_cmp);
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        const char *s = m ? m[i] : member_text(arr, i);
        if (t == DDB_T_NS)
            write_number(w, s);
        else
            jw_str(w, s);
    }
    jw_aend(w);
    free(m);
}

void ddb_av_write(jw_t *w, yajl_val av)
{
    yajl_val v;
    ddb_type_t t = av_parts(av, &v);
    jw_obj(w);
    if (t != DDB_T_NONE)
        jw_keyn(w, type_names[t], type_lens[t]);
    switch (t) {
    case DDB_T_S:
    case DDB_T_B:
        jw_str(w, v->u.string);
        break;
    case DDB_T_N:
        write_number(w, v->u.string);
        break;
    case DDB_T_BOOL:
    case DDB_T_NULL:
        jw_bool(w, YAJL_IS_TRUE(v));
        break;
    case DDB_T_M:
        ddb_item_write(w, v);
        break;
    case DDB_T_L:
        jw_arr(w);
        for (size_t i = 0; i < v->u.array.len; i++)
            ddb_av_write(w, v->u.array.values[i]);
        jw_aend(w);
        break;
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS:
        write_set(w, t, v);
        break;
    default:
        break;
    }
    jw_end(w);
}

void ddb_item_write(jw_t *w, yajl_val item)
{
    jw_obj(w);
    if (YAJL_IS_OBJECT(item)) {
        for (size_t i = 0; i < item->u.object.len; i++) {
            jw_key(w, item->u.object.keys[i]);
            ddb_av_write(w, item->u.object.values[i]);
        }
    }
    jw_end(w);
}

/* ---- helpers for readers ---- */

int ddb_av_number(yajl_val av, ddb_num_t *out)
{
    yajl_val s = YAJL_IS_STRING(av) ? av : ddb_av_type(av) == DDB_T_N ? ddb_av_inner(av) : NULL;
    if (s == NULL)
        return DDB_NUM_EINVALID;
    return ddb_num_parse(s->u.string, strlen(s->u.string), out);
}

long ddb_b64_bytes(h2o_mem_pool_t *pool, yajl_val str, const unsigned char **out)
{
    if (!YAJL_IS_STRING(str))
        return -1;
    size_t len = strlen(str->u.string);
    unsigned char *buf = h2o_mem_alloc_pool(pool, len / 4 * 3 + 1);
    long n = base64_decode(str->u.string, len, buf);
    *out = buf;
    return n;
}

/* ---- building values ---- */

yajl_val ddb_json_str(h2o_mem_pool_t *pool, const char *s, size_t len)
{
    yajl_val v = h2o_mem_alloc_pool(pool, sizeof(*v));
    char *copy = h2o_mem_alloc_pool(pool, len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    memset(v, 0, sizeof(*v));
    v->type = yajl_t_string;
    v->u.string = copy;
    return v;
}

yajl_val ddb_av_new(h2o_mem_pool_t *pool, ddb_type_t t, yajl_val inner)
{
    yajl_val v = h2o_mem_alloc_pool(pool, sizeof(*v));
    const char **keys = h2o_mem_alloc_pool(pool, sizeof(*keys));
    yajl_val *values = h2o_mem_alloc_pool(pool, sizeof(*values));
    keys[0] = ddb_type_name(t);
    values[0] = inner;
    memset(v, 0, sizeof(*v));
    v->type = yajl_t_object;
    v->u.object.keys = keys;
    v->u.object.values = values;
    v->u.object.len = 1;
    return v;
}

yajl_val ddb_av_new_n(h2o_mem_pool_t *pool, const ddb_num_t *n)
{
    char buf[DDB_NUM_TEXT_MAX];
    size_t len = ddb_num_format(n, buf);
    return ddb_av_new(pool, DDB_T_N, ddb_json_str(pool, buf, len));
}
