/* sqs_md5.c - MD5 of bodies and of message attributes as AWS defines them, and
 * the SHA-256 used for content-based deduplication (see sqs_md5.h). */
#include "sqs_md5.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/base64.h"
#include "../../protocol/poolfmt.h"

#define SQS_MD5_MAX_ATTRS 64

/* The digests, fetched once: EVP_md5() and friends look the algorithm up again on every
 * use, which cost more than hashing a short body. One context, reused (single thread). */
static EVP_MD_CTX *digest_start(const char *alg)
{
    static EVP_MD *md5, *sha256;
    static EVP_MD_CTX *ctx;
    EVP_MD **md = strcmp(alg, "MD5") == 0 ? &md5 : &sha256;
    if (*md == NULL)
        *md = EVP_MD_fetch(NULL, alg, NULL);
    if (ctx == NULL)
        ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex2(ctx, *md, NULL);
    return ctx;
}

/* Finishes ctx into lowercase hex. */
static void digest_hex(EVP_MD_CTX *ctx, char *out)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx, d, &n);
    hex_encode(d, n, out);
}

void sqs_md5_hex(const void *data, size_t len, char out[33])
{
    EVP_MD_CTX *ctx = digest_start("MD5");
    EVP_DigestUpdate(ctx, data, len);
    digest_hex(ctx, out);
}

void sqs_sha256_hex(const void *data, size_t len, char out[65])
{
    EVP_MD_CTX *ctx = digest_start("SHA256");
    EVP_DigestUpdate(ctx, data, len);
    digest_hex(ctx, out);
}

static void update_len(EVP_MD_CTX *ctx, const void *data, size_t len)
{
    unsigned char be[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16), (unsigned char)(len >> 8), (unsigned char)len};
    EVP_DigestUpdate(ctx, be, 4);
    EVP_DigestUpdate(ctx, data, len);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *str_member(yajl_val obj, const char *key)
{
    const char *path[] = {key, NULL};
    yajl_val v = yajl_tree_get(obj, path, yajl_t_string);
    return v ? YAJL_GET_STRING(v) : NULL;
}

/* Feeds one attribute; -1 on bad base64. */
static int update_attr(EVP_MD_CTX *ctx, const char *name, yajl_val val)
{
    const char *type = str_member(val, "DataType");
    const char *s = str_member(val, "StringValue");
    const char *b = str_member(val, "BinaryValue");
    update_len(ctx, name, strlen(name));
    update_len(ctx, type ? type : "", type ? strlen(type) : 0);
    if (b != NULL && s == NULL) {
        size_t blen = strlen(b);
        unsigned char *raw = malloc(blen / 4 * 3 + 3);
        long n = base64_decode(b, blen, raw);
        if (n < 0) {
            free(raw);
            return -1;
        }
        EVP_DigestUpdate(ctx, "\2", 1);
        update_len(ctx, raw, (size_t)n);
        free(raw);
    } else {
        EVP_DigestUpdate(ctx, "\1", 1);
        update_len(ctx, s ? s : "", s ? strlen(s) : 0);
    }
    return 0;
}

int sqs_md5_attrs(yajl_val attrs, int (*only)(const char *name, void *arg), void *arg, char out[33])
{
    if (!YAJL_IS_OBJECT(attrs))
        return -1;
    const char *names[SQS_MD5_MAX_ATTRS];
    yajl_val vals[SQS_MD5_MAX_ATTRS];
    size_t n = 0;
    for (size_t i = 0; i < attrs->u.object.len && n < SQS_MD5_MAX_ATTRS; i++) {
        if (only && !only(attrs->u.object.keys[i], arg))
            continue;
        names[n] = attrs->u.object.keys[i];
        vals[n++] = attrs->u.object.values[i];
    }
    if (n == 0)
        return -1;
    /* sort names, carrying values along: sort indexes by name */
    const char *sorted[SQS_MD5_MAX_ATTRS];
    memcpy(sorted, names, n * sizeof(*names));
    qsort(sorted, n, sizeof(*sorted), by_name);
    EVP_MD_CTX *ctx = digest_start("MD5");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        for (size_t j = 0; j < n; j++)
            if (names[j] == sorted[i]) {
                rc = update_attr(ctx, names[j], vals[j]);
                break;
            }
    if (rc != 0)
        return -1; /* the next digest_start resets the context */
    digest_hex(ctx, out);
    return 0;
}
