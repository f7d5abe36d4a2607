/* base64.h - standard base64 (RFC 4648, with padding), used by blobs on the wire. */
#ifndef AWSEMU_BASE64_H
#define AWSEMU_BASE64_H

#include <stddef.h>

static inline size_t base64_encoded_len(size_t n)
{
    return (n + 2) / 3 * 4;
}
/* Writes base64_encoded_len(len) bytes (no NUL) and returns that count. */
size_t base64_encode(const void *data, size_t len, char *out);
/* Decodes into out (room for len*3/4 bytes); returns the byte count, or -1 on
 * invalid input (bad characters, bad padding, wrong length). */
long base64_decode(const char *in, size_t len, unsigned char *out);

#endif
