/* urlenc.h - percent-decoding for URL paths, query strings and form bodies. */
#ifndef AWSEMU_URLENC_H
#define AWSEMU_URLENC_H

#include <h2o/memory.h>
#include <stddef.h>

/* The value of one hex digit, or -1. */
int url_hexval(char c);

/* Percent-decodes s[0..len) into a NUL-terminated string in pool; '+' becomes
 * a space when plus_space (query strings and forms, not paths). strict: NULL
 * on a broken %-escape or an encoded NUL; otherwise such bytes stay literal.
 * outlen (may be NULL) receives the decoded length. */
char *url_decode(h2o_mem_pool_t *pool, const char *s, size_t len, int plus_space, int strict, size_t *outlen);

#endif
