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

/* ---- MD5 (RFC 1321), here rather than through EVP: a body of a few dozen bytes is one
 * block, and EVP's init, update and final calls cost more than hashing it ---- */

typedef struct {
    uint32_t h[4];
    uint64_t len; /* bytes hashed so far */
    unsigned char buf[64];
} md5_t;

/* One step: a += f(b, c, d) + m + k, rotated left by r, plus b. */
#define MD5_STEP(f, a, b, c, d, m, k, r)                                                                                           \
    do {                                                                                                                           \
        a += f(b, c, d) + (m) + (k);                                                                                               \
        a = (a << (r) | a >> (32 - (r))) + (b);                                                                                    \
    } while (0)
#define MD5_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD5_G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define MD5_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD5_I(x, y, z) ((y) ^ ((x) | ~(z)))

static void md5_block(uint32_t h[4], const unsigned char *p)
{
    uint32_t m[16], a = h[0], b = h[1], c = h[2], d = h[3];
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(m, p, sizeof(m)); /* MD5's words are little-endian */
#else
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
#endif
    MD5_STEP(MD5_F, a, b, c, d, m[0], 0xd76aa478, 7);
    MD5_STEP(MD5_F, d, a, b, c, m[1], 0xe8c7b756, 12);
    MD5_STEP(MD5_F, c, d, a, b, m[2], 0x242070db, 17);
    MD5_STEP(MD5_F, b, c, d, a, m[3], 0xc1bdceee, 22);
    MD5_STEP(MD5_F, a, b, c, d, m[4], 0xf57c0faf, 7);
    MD5_STEP(MD5_F, d, a, b, c, m[5], 0x4787c62a, 12);
    MD5_STEP(MD5_F, c, d, a, b, m[6], 0xa8304613, 17);
    MD5_STEP(MD5_F, b, c, d, a, m[7], 0xfd469501, 22);
    MD5_STEP(MD5_F, a, b, c, d, m[8], 0x698098d8, 7);
    MD5_STEP(MD5_F, d, a, b, c, m[9], 0x8b44f7af, 12);
    MD5_STEP(MD5_F, c, d, a, b, m[10], 0xffff5bb1, 17);
    MD5_STEP(MD5_F, b, c, d, a, m[11], 0x895cd7be, 22);
    MD5_STEP(MD5_F, a, b, c, d, m[12], 0x6b901122, 7);
    MD5_STEP(MD5_F, d, a, b, c, m[13], 0xfd987193, 12);
    MD5_STEP(MD5_F, c, d, a, b, m[14], 0xa679438e, 17);
    MD5_STEP(MD5_F, b, c, d, a, m[15], 0x49b40821, 22);
    MD5_STEP(MD5_G, a, b, c, d, m[1], 0xf61e2562, 5);
    MD5_STEP(MD5_G, d, a, b, c, m[6], 0xc040b340, 9);
    MD5_STEP(MD5_G, c, d, a, b, m[11], 0x265e5a51, 14);
    MD5_STEP(MD5_G, b, c, d, a, m[0], 0xe9b6c7aa, 20);
    MD5_STEP(MD5_G, a, b, c, d, m[5], 0xd62f105d, 5);
    MD5_STEP(MD5_G, d, a, b, c, m[10], 0x02441453, 9);
    MD5_STEP(MD5_G, c, d, a, b, m[15], 0xd8a1e681, 14);
    MD5_STEP(MD5_G, b, c, d, a, m[4], 0xe7d3fbc8, 20);
    MD5_STEP(MD5_G, a, b, c, d, m[9], 0x21e1cde6, 5);
    MD5_STEP(MD5_G, d, a, b, c, m[14], 0xc33707d6, 9);
    MD5_STEP(MD5_G, c, d, a, b, m[3], 0xf4d50d87, 14);
    MD5_STEP(MD5_G, b, c, d, a, m[8], 0x455a14ed, 20);
    MD5_STEP(MD5_G, a, b, c, d, m[13], 0xa9e3e905, 5);
    MD5_STEP(MD5_G, d, a, b, c, m[2], 0xfcefa3f8, 9);
    MD5_STEP(MD5_G, c, d, a, b, m[7], 0x676f02d9, 14);
    MD5_STEP(MD5_G, b, c, d, a, m[12], 0x8d2a4c8a, 20);
    MD5_STEP(MD5_H, a, b, c, d, m[5], 0xfffa3942, 4);
    MD5_STEP(MD5_H, d, a, b, c, m[8], 0x8771f681, 11);
    MD5_STEP(MD5_H, c, d, a, b, m[11], 0x6d9d6122, 16);
    MD5_STEP(MD5_H, b, c, d, a, m[14], 0xfde5380c, 23);
    MD5_STEP(MD5_H, a, b, c, d, m[1], 0xa4beea44, 4);
    MD5_STEP(MD5_H, d, a, b, c, m[4], 0x4bdecfa9, 11);
    MD5_STEP(MD5_H, c, d, a, b, m[7], 0xf6bb4b60, 16);
    MD5_STEP(MD5_H, b, c, d, a, m[10], 0xbebfbc70, 23);
    MD5_STEP(MD5_H, a, b, c, d, m[13], 0x289b7ec6, 4);
    MD5_STEP(MD5_H, d, a, b, c, m[0], 0xeaa127fa, 11);
    MD5_STEP(MD5_H, c, d, a, b, m[3], 0xd4ef3085, 16);
    MD5_STEP(MD5_H, b, c, d, a, m[6], 0x04881d05, 23);
    MD5_STEP(MD5_H, a, b, c, d, m[9], 0xd9d4d039, 4);
    MD5_STEP(MD5_H, d, a, b, c, m[12], 0xe6db99e5, 11);
    MD5_STEP(MD5_H, c, d, a, b, m[15], 0x1fa27cf8, 16);
    MD5_STEP(MD5_H, b, c, d, a, m[2], 0xc4ac5665, 23);
    MD5_STEP(MD5_I, a, b, c, d, m[0], 0xf4292244, 6);
    MD5_STEP(MD5_I, d, a, b, c, m[7], 0x432aff97, 10);
    MD5_STEP(MD5_I, c, d, a, b, m[14], 0xab9423a7, 15);
    MD5_STEP(MD5_I, b, c, d, a, m[5], 0xfc93a039, 21);
    MD5_STEP(MD5_I, a, b, c, d, m[12], 0x655b59c3, 6);
    MD5_STEP(MD5_I, d, a, b, c, m[3], 0x8f0ccc92, 10);
    MD5_STEP(MD5_I, c, d, a, b, m[10], 0xffeff47d, 15);
    MD5_STEP(MD5_I, b, c, d, a, m[1], 0x85845dd1, 21);
    MD5_STEP(MD5_I, a, b, c, d, m[8], 0x6fa87e4f, 6);
    MD5_STEP(MD5_I, d, a, b, c, m[15], 0xfe2ce6e0, 10);
    MD5_STEP(MD5_I, c, d, a, b, m[6], 0xa3014314, 15);
    MD5_STEP(MD5_I, b, c, d, a, m[13], 0x4e0811a1, 21);
    MD5_STEP(MD5_I, a, b, c, d, m[4], 0xf7537e82, 6);
    MD5_STEP(MD5_I, d, a, b, c, m[11], 0xbd3af235, 10);
    MD5_STEP(MD5_I, c, d, a, b, m[2], 0x2ad7d2bb, 15);
    MD5_STEP(MD5_I, b, c, d, a, m[9], 0xeb86d391, 21);
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

static void md5_init(md5_t *s)
{
    s->h[0] = 0x67452301;
    s->h[1] = 0xefcdab89;
    s->h[2] = 0x98badcfe;
    s->h[3] = 0x10325476;
    s->len = 0;
}

static void md5_update(md5_t *s, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t used = (size_t)(s->len & 63);
    s->len += len;
    if (used > 0) {
        size_t take = 64 - used < len ? 64 - used : len;
        memcpy(s->buf + used, p, take);
        p += take;
        len -= take;
        if (used + take < 64)
            return;
        md5_block(s->h, s->buf);
    }
    for (; len >= 64; p += 64, len -= 64)
        md5_block(s->h, p);
    memcpy(s->buf, p, len);
}

/* Pads, finishes and writes the digest as lowercase hex. */
static void md5_final_hex(md5_t *s, char out[33])
{
    uint64_t bits = s->len * 8;
    unsigned char pad[72] = {0x80}, d[16];
    size_t padlen = ((s->len & 63) < 56 ? 56 : 120) - (size_t)(s->len & 63);
    for (int i = 0; i < 8; i++)
        pad[padlen + (size_t)i] = (unsigned char)(bits >> (8 * i));
    md5_update(s, pad, padlen + 8);
    for (int i = 0; i < 16; i++)
        d[i] = (unsigned char)(s->h[i / 4] >> (8 * (i % 4)));
    hex_encode(d, 16, out);
}

void sqs_md5_hex(const void *data, size_t len, char out[33])
{
    md5_t s;
    md5_init(&s);
    md5_update(&s, data, len);
    md5_final_hex(&s, out);
}

/* SHA-256 only for content-based deduplication (FIFO sends without an id): through EVP,
 * the digest fetched once (EVP_sha256() looks it up again on every use), one context reused. */
void sqs_sha256_hex(const void *data, size_t len, char out[65])
{
    static EVP_MD *sha256;
    static EVP_MD_CTX *ctx;
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (sha256 == NULL)
        sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (ctx == NULL)
        ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex2(ctx, sha256, NULL);
    EVP_DigestUpdate(ctx, data, len);
    EVP_DigestFinal_ex(ctx, d, &n);
    hex_encode(d, n, out);
}

static void update_len(md5_t *s, const void *data, size_t len)
{
    unsigned char be[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16), (unsigned char)(len >> 8), (unsigned char)len};
    md5_update(s, be, 4);
    md5_update(s, data, len);
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
static int update_attr(md5_t *ctx, const char *name, yajl_val val)
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
        md5_update(ctx, "\2", 1);
        update_len(ctx, raw, (size_t)n);
        free(raw);
    } else {
        md5_update(ctx, "\1", 1);
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
    md5_t ctx;
    md5_init(&ctx);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        for (size_t j = 0; j < n; j++)
            if (names[j] == sorted[i]) {
                rc = update_attr(&ctx, names[j], vals[j]);
                break;
            }
    if (rc != 0)
        return -1;
    md5_final_hex(&ctx, out);
    return 0;
}
