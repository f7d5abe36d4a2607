/* zreply.c - DynamoDB's compressed replies (Accept-Encoding: gzip or deflate). The choice follows what
 * DynamoDB answers to the header's odd forms: repeated, quoted, unknown names and malformed q values. */
#include "zreply.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* What one encoding gets from the header: its q, and where (if anywhere) it was named outright. */
typedef struct {
    double q;
    int named;  /* named outright (not only through *) */
    size_t pos; /* the entry that first named it */
} offer_t;

static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

static int token_is(const char *s, const char *e, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(e - s) == n && strncasecmp(s, word, n) == 0;
}

/* The q of an entry's parameters p..e (p at the ';' of ";q=0.5;..."): the first q parameter; 1 without one. */
static double entry_q(const char *p, const char *e)
{
    while (p < e) {
        const char *s = p + 1, *end = memchr(s, ';', (size_t)(e - s));
        end = end ? end : e;
        const char *eq = memchr(s, '=', (size_t)(end - s));
        p = end;
        if (eq == NULL)
            continue;
        const char *ks = s, *ke = eq, *vs = eq + 1, *ve = end;
        trim(&ks, &ke);
        trim(&vs, &ve);
        if (!token_is(ks, ke, "q"))
            continue;
        char num[32], *rest;
        size_t n = (size_t)(ve - vs);
        if (n == 0 || n >= sizeof(num))
            return 1;
        memcpy(num, vs, n);
        num[n] = '\0';
        double q = strtod(num, &rest);
        return *rest != '\0' || q > 1 ? 1 : q;
    }
    return 1;
}

/* An offer made by a later entry counts when its q is higher. */
static void offer(offer_t *o, double q, int named, size_t pos)
{
    if (named && !o->named) {
        *o = (offer_t){q, 1, pos};
        return;
    }
    if (q > o->q)
        o->q = q;
}

/* a beats b: higher q, then named over brought in by *, then named first (gzip wins what is left). */
static int beats(const offer_t *a, const offer_t *b)
{
    if (a->q != b->q)
        return a->q > b->q;
    if (a->named != b->named)
        return a->named;
    return !a->named || a->pos <= b->pos;
}

zreply_enc_t zreply_choose(const char *value, size_t len)
{
    offer_t gz = {0, 0, 0}, df = {0, 0, 0}, any = {0, 0, 0};
    const char *p = value, *end = value + len;
    for (size_t pos = 0; p < end; pos++) {
        const char *comma = memchr(p, ',', (size_t)(end - p)), *ee = comma ? comma : end;
        const char *semi = memchr(p, ';', (size_t)(ee - p)), *ns = p, *ne = semi ? semi : ee;
        trim(&ns, &ne);
        double q = semi ? entry_q(semi, ee) : 1;
        if (token_is(ns, ne, "gzip"))
            offer(&gz, q, 1, pos);
        else if (token_is(ns, ne, "deflate"))
            offer(&df, q, 1, pos);
        else if (token_is(ns, ne, "*"))
            offer(&any, q, 0, pos);
        p = comma ? comma + 1 : end;
    }
    if (!gz.named)
        gz.q = any.q;
    if (!df.named)
        df.q = any.q;
    if (!(gz.q > 0) && !(df.q > 0))
        return ZREPLY_IDENTITY;
    if (!(df.q > 0))
        return ZREPLY_GZIP;
    if (!(gz.q > 0))
        return ZREPLY_DEFLATE;
    return beats(&gz, &df) ? ZREPLY_GZIP : ZREPLY_DEFLATE;
}

const char *zreply_name(zreply_enc_t enc)
{
    return enc == ZREPLY_GZIP ? "gzip" : enc == ZREPLY_DEFLATE ? "deflate" : "identity";
}

int zreply_compress(h2o_mem_pool_t *pool, zreply_enc_t enc, h2o_iovec_t body, h2o_iovec_t *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, enc == ZREPLY_GZIP ? 16 + MAX_WBITS : MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    /* deflateBound covers the gzip header and trailer too (deflateInit2 told it the wrapper). */
    size_t cap = deflateBound(&zs, (uLong)body.len);
    char *buf = h2o_mem_alloc_pool(pool, cap);
    zs.next_in = (unsigned char *)body.base;
    zs.avail_in = (uInt)body.len;
    zs.next_out = (unsigned char *)buf;
    zs.avail_out = (uInt)cap;
    int z = deflate(&zs, Z_FINISH);
    size_t used = cap - zs.avail_out;
    deflateEnd(&zs);
    if (z != Z_STREAM_END)
        return -1;
    *out = h2o_iovec_init(buf, used);
    return 0;
}
