/* gunzip.c - inflating a request body sent with Content-Encoding: gzip (DynamoDB accepts such requests;
 * the signature covers the compressed body). The output grows by doubling in the request pool. */
#include "gunzip.h"

#include <string.h>
#include <zlib.h>

/* The start of a gzip member: magic bytes and the deflate method. */
static int member_starts(const unsigned char *p, size_t n)
{
    return n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

gunzip_rc_t gunzip(h2o_mem_pool_t *pool, const char *in, size_t len, size_t limit, h2o_iovec_t *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (len == 0 || inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return GUNZIP_BAD;
    size_t cap = len * 4 < 4096 ? 4096 : len * 4, used = 0;
    char *buf = h2o_mem_alloc_pool(pool, cap + 1);
    zs.next_in = (unsigned char *)in;
    zs.avail_in = (uInt)len;
    gunzip_rc_t rc = GUNZIP_BAD;
    for (;;) {
        if (used == cap) {
            if (cap > limit) {
                rc = GUNZIP_TOO_LARGE;
                break;
            }
            char *bigger = h2o_mem_alloc_pool(pool, cap * 2 + 1);
            memcpy(bigger, buf, used);
            buf = bigger;
            cap *= 2;
        }
        zs.next_out = (unsigned char *)buf + used;
        zs.avail_out = (uInt)(cap - used);
        int z = inflate(&zs, Z_NO_FLUSH);
        used = cap - zs.avail_out;
        if (z == Z_STREAM_END && !member_starts(zs.next_in, zs.avail_in)) {
            rc = used > limit ? GUNZIP_TOO_LARGE : GUNZIP_OK;
            break;
        }
        if (z == Z_STREAM_END)
            z = inflateReset(&zs);
        else if (z == Z_BUF_ERROR && zs.avail_out > 0)
            break; /* input ended inside a member */
        if (z != Z_OK && z != Z_BUF_ERROR)
            break;
    }
    inflateEnd(&zs);
    buf[used] = '\0';
    *out = h2o_iovec_init(buf, used);
    return rc;
}
