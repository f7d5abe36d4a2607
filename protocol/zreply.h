/* zreply.h - DynamoDB's compressed replies: the encoding a request's Accept-Encoding asks for, and a reply
 * body deflated in it. */
#ifndef AWSEMU_ZREPLY_H
#define AWSEMU_ZREPLY_H

#include <h2o.h>

typedef enum { ZREPLY_IDENTITY, ZREPLY_GZIP, ZREPLY_DEFLATE } zreply_enc_t;

/* DynamoDB compresses a reply body of at least this many bytes. */
#define ZREPLY_THRESHOLD 4096

/* The encoding an Accept-Encoding value picks, as DynamoDB reads it: the comma-separated entries name gzip,
 * deflate or * (any other name, identity included, counts for nothing), each with an optional q (the
 * first q parameter; over 1 counts as 1, a value that is not a number as 1, 0 or less refuses). The
 * highest q wins; on a tie an encoding named outright beats one that * brings in, the first named beats
 * a later one, and gzip beats deflate. ZREPLY_IDENTITY when nothing acceptable is asked for. */
zreply_enc_t zreply_choose(const char *value, size_t len);

/* The Content-Encoding token of enc ("gzip", "deflate"). */
const char *zreply_name(zreply_enc_t enc);

/* body compressed with enc (a gzip member, or a zlib stream for deflate as HTTP defines it), in pool.
 * 0, or -1 when zlib fails. */
int zreply_compress(h2o_mem_pool_t *pool, zreply_enc_t enc, h2o_iovec_t body, h2o_iovec_t *out);

#endif
