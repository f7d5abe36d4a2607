/* gunzip.h - inflating a request body sent with Content-Encoding: gzip. */
#ifndef AWSEMU_GUNZIP_H
#define AWSEMU_GUNZIP_H

#include <h2o.h>

typedef enum { GUNZIP_OK, GUNZIP_BAD, GUNZIP_TOO_LARGE } gunzip_rc_t;

/* Inflates the gzip members in[0..len) into *out (allocated in pool, NUL-terminated) when they hold at most
 * limit bytes. Members follow one another (RFC 1952); bytes after a member that do not begin another are
 * ignored, as DynamoDB's reader (java.util.zip.GZIPInputStream) ignores them. Empty or truncated input, or a
 * corrupt member, is GUNZIP_BAD. */
gunzip_rc_t gunzip(h2o_mem_pool_t *pool, const char *in, size_t len, size_t limit, h2o_iovec_t *out);

#endif
