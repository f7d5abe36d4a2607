/* urlenc.h - percent-decoding for URL paths, query strings and form bodies. */
#ifndef AWSEMU_URLENC_H
#define AWSEMU_URLENC_H

#include <h2o/memory.h>
#include <stddef.h>

/* The value of one hex digit, or -1. */
int url_hexval(char c);

/* What strict decoding makes of %00: the three-byte encoding of the lone surrogate U+DC00, which is not
 * UTF-8 text, as the JSON parser keeps "\udc00" (awsjson.c turns SQS's "\u0000" into it too). A NUL would
 * cut the C string short; this reaches the service whole and fails its text checks (an SQS body's
 * InvalidMessageContents). */
#define URL_NUL_AS "\xED\xB0\x80"

/* Percent-decodes s[0..len) into a NUL-terminated string in pool; '+' becomes
 * a space when plus_space (query strings and forms, not paths). strict: NULL
 * on a broken %-escape, and %00 decoded as URL_NUL_AS; otherwise such bytes
 * stay literal. outlen (may be NULL) receives the decoded length. */
char *url_decode(h2o_mem_pool_t *pool, const char *s, size_t len, int plus_space, int strict, size_t *outlen);

#endif
