/* fuzz.h - helpers shared by the libFuzzer targets of tests/fuzz/: splitting
 * one fuzz input into NUL-terminated fields, and parsing JSON the way the
 * server does (awsjson_parse: depth cap, NUL refused, tree tied to the pool).
 * Every target keeps all its memory in one pool cleared per input. */
#ifndef AWSEMU_FUZZ_H
#define AWSEMU_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/call_http.h"
#include "protocol/validate.h"

#define FUZZ_MAX_FIELDS 8

/* Splits data at '\n' into at most n fields (the last one takes the rest,
 * newlines included), each a NUL-terminated copy in pool; missing fields are
 * "". Returns how many fields the input had. */
static inline size_t fuzz_fields(h2o_mem_pool_t *pool, const uint8_t *data, size_t size, const char **out, size_t n)
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= size && k < n; i++) {
        if (i == size || (data[i] == '\n' && k + 1 < n)) {
            char *s = h2o_mem_alloc_pool(pool, i - start + 1);
            memcpy(s, data + start, i - start);
            s[i - start] = '\0';
            out[k++] = s;
            start = i + 1;
        }
    }
    for (size_t j = k; j < n; j++)
        out[j] = "";
    return k;
}

/* The JSON tree of text (NULL when it is empty or does not parse), read as the server reads a DynamoDB body,
 * the only service whose targets use it: a \u0000 kept as C0 80 (AWSJSON_TEXT_NUL). Raw C0 80 bytes, which the
 * lexer takes as a two-byte character (it does not look for overlong forms), are then that NUL too: the
 * canonical writer escapes them as \u0000, which must read back. */
static inline yajl_val fuzz_json(h2o_mem_pool_t *pool, const char *text)
{
    const char *msg;
    yajl_val v = NULL;
    if (*text == '\0' || awsjson_parse(pool, text, strlen(text), AWSJSON_TEXT_NUL, &v, &msg) != 0)
        return NULL;
    return v;
}

/* The JSON tree of text if it parses and passes the validation of the named
 * shape of svc (what the protocol layer guarantees a service), else NULL. */
static inline yajl_val fuzz_json_shape(h2o_mem_pool_t *pool, const model_service_t *svc, const char *shape, const char *text)
{
    yajl_val v = fuzz_json(pool, text);
    validate_error_t err;
    int s = model_find_shape(svc, shape);
    if (v == NULL || s < 0 || validate_value(svc, s, v, "x", pool, &err) != 0)
        return NULL;
    return v;
}

/* A field of text, or NULL when empty (an absent member). */
static inline const char *fuzz_opt(const char *s)
{
    return *s ? s : NULL;
}

#endif
