/* sqs_util.c - small helpers the SQS operations share: string maps, error
 * records, lenient input accessors (query-protocol numbers may arrive as text),
 * body character rules, batch entry checks and ARN parsing. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/utf8.h"
#include "../../protocol/ytree.h"
#include "sqs_int.h"

/* ---- string maps ---- */

static int kv_index(const sqs_kv_t *kv, const char *k)
{
    for (int i = 0; i < kv->n; i++)
        if (strcmp(kv->k[i], k) == 0)
            return i;
    return -1;
}

const char *sqs_kv_get(const sqs_kv_t *kv, const char *k)
{
    int i = kv_index(kv, k);
    return i < 0 ? NULL : kv->v[i];
}

void sqs_kv_set(sqs_kv_t *kv, const char *k, const char *v)
{
    int i = kv_index(kv, k);
    if (i >= 0) {
        free(kv->v[i]);
        kv->v[i] = strdup(v);
        return;
    }
    if (kv->n == kv->cap) {
        kv->cap = kv->cap ? kv->cap * 2 : 8;
        kv->k = realloc(kv->k, sizeof(char *) * (size_t)kv->cap);
        kv->v = realloc(kv->v, sizeof(char *) * (size_t)kv->cap);
    }
    kv->k[kv->n] = strdup(k);
    kv->v[kv->n++] = strdup(v);
}

void sqs_kv_del(sqs_kv_t *kv, const char *k)
{
    int i = kv_index(kv, k);
    if (i < 0)
        return;
    free(kv->k[i]);
    free(kv->v[i]);
    memmove(kv->k + i, kv->k + i + 1, sizeof(char *) * (size_t)(kv->n - i - 1));
    memmove(kv->v + i, kv->v + i + 1, sizeof(char *) * (size_t)(kv->n - i - 1));
    kv->n--;
}

void sqs_kv_free(sqs_kv_t *kv)
{
    for (int i = 0; i < kv->n; i++) {
        free(kv->k[i]);
        free(kv->v[i]);
    }
    free(kv->k);
    free(kv->v);
    memset(kv, 0, sizeof(*kv));
}

void sqs_kv_write(jw_t *w, const sqs_kv_t *kv)
{
    jw_obj(w);
    for (int i = 0; i < kv->n; i++)
        jw_kstr(w, kv->k[i], kv->v[i]);
    jw_end(w);
}

char *sqs_kv_json(const sqs_kv_t *kv)
{
    jw_t w;
    jw_init(&w);
    sqs_kv_write(&w, kv);
    jw_append(&w, "", 1); /* NUL */
    size_t len;
    return jw_take(&w, &len);
}

int sqs_kv_parse(sqs_kv_t *kv, const char *json)
{
    char errbuf[128];
    yajl_val v = ytree_parse_text(json, errbuf, sizeof(errbuf));
    if (!YAJL_IS_OBJECT(v)) {
        yajl_tree_free(v);
        return -1;
    }
    for (size_t i = 0; i < v->u.object.len; i++)
        if (YAJL_IS_STRING(v->u.object.values[i]))
            sqs_kv_set(kv, v->u.object.keys[i], YAJL_GET_STRING(v->u.object.values[i]));
    yajl_tree_free(v);
    return 0;
}

/* ---- errors ---- */

int sqs_fail(sqs_err_t *e, call_t *c, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    e->code = code;
    e->msg = call_strdup(c, buf);
    e->sender_fault = 1;
    return -1;
}

int sqs_raise(call_t *c, const sqs_err_t *e)
{
    return call_error(c, e->code, "%s", e->msg);
}

/* ---- input ---- */

const char *sqs_in_text(yajl_val v)
{
    if (YAJL_IS_STRING(v))
        return YAJL_GET_STRING(v);
    if (YAJL_IS_NUMBER(v))
        return YAJL_GET_NUMBER(v);
    return NULL;
}

int sqs_in_int(yajl_val obj, const char *key, long long *out)
{
    yajl_val v = in_get(obj, key);
    if (v == NULL || YAJL_IS_NULL(v))
        return 0;
    const char *t = sqs_in_text(v);
    if (t == NULL || *t == '\0')
        return -1;
    char *end;
    long long n = strtoll(t, &end, 10);
    if (*end != '\0')
        return -1;
    *out = n;
    return 1;
}

void sqs_json_write(jw_t *w, yajl_val v)
{
    if (YAJL_IS_OBJECT(v)) {
        jw_obj(w);
        for (size_t i = 0; i < v->u.object.len; i++) {
            jw_key(w, v->u.object.keys[i]);
            sqs_json_write(w, v->u.object.values[i]);
        }
        jw_end(w);
    } else if (YAJL_IS_ARRAY(v)) {
        jw_arr(w);
        for (size_t i = 0; i < v->u.array.len; i++)
            sqs_json_write(w, v->u.array.values[i]);
        jw_aend(w);
    } else if (YAJL_IS_STRING(v)) {
        jw_str(w, YAJL_GET_STRING(v));
    } else if (YAJL_IS_NUMBER(v)) {
        jw_raw(w, YAJL_GET_NUMBER(v), strlen(YAJL_GET_NUMBER(v)));
    } else if (YAJL_IS_TRUE(v)) {
        jw_bool(w, 1);
    } else if (YAJL_IS_FALSE(v)) {
        jw_bool(w, 0);
    } else {
        jw_null(w);
    }
}

/* #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF, as well-formed UTF-8. */
int64_t sqs_utf8_bad_char(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0, n; i < len; i += n) {
        uint32_t cp;
        if (!(n = utf8_decode(p + i, len - i, &cp)))
            return p[i];
        if (!(cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) ||
              (cp >= 0x10000 && cp <= 0x10ffff)))
            return cp;
    }
    return -1;
}

int sqs_utf8_valid_body(const char *s, size_t len)
{
    return sqs_utf8_bad_char(s, len) < 0;
}

/* The checks every *Batch operation makes on Entries before touching any entry. */
int sqs_batch_check(call_t *c, yajl_val entries, const char *entry_name)
{
    size_t n = YAJL_IS_ARRAY(entries) ? entries->u.array.len : 0;
    if (n == 0)
        return call_error(c, "EmptyBatchRequest", "There should be at least one %s in the request.", entry_name);
    if (n > SQS_MAX_BATCH)
        return call_error(c, "TooManyEntriesInBatchRequest", "Maximum number of entries per request are %d. You have sent %zu.",
                          SQS_MAX_BATCH, n);
    const char *ids[SQS_MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        const char *id = ids[i] = in_str(entries->u.array.values[i], "Id");
        size_t len = id ? strlen(id) : 0;
        int ok = len > 0 && len <= 80;
        for (size_t j = 0; ok && j < len; j++)
            ok = isalnum((unsigned char)id[j]) || id[j] == '-' || id[j] == '_';
        if (!ok)
            return call_error(c, "InvalidBatchEntryId",
                              "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
                              "It can be at most 80 letters long.");
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(ids[i], ids[j]) == 0)
                return call_error(c, "BatchEntryIdsNotDistinct", "Id %s repeated.", ids[i]);
    return 0;
}

/* arn:aws:sqs:REGION:ACCOUNT:NAME -> parts; 0 or -1. */
int sqs_parse_arn(const char *arn, char *region, size_t rl, char *account, size_t al, const char **name)
{
    if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
        return -1;
    const char *p = strchr(arn + 4, ':'); /* after partition */
    if (p == NULL || strncmp(p, ":sqs:", 5) != 0)
        return -1;
    const char *r = p + 5, *re = strchr(r, ':');
    if (re == NULL)
        return -1;
    const char *a = re + 1, *ae = strchr(a, ':');
    if (ae == NULL || ae[1] == '\0')
        return -1;
    snprintf(region, rl, "%.*s", (int)(re - r), r);
    snprintf(account, al, "%.*s", (int)(ae - a), a);
    *name = ae + 1;
    return 0;
}
