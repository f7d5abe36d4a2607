/* urlenc.c - percent-decoding (see urlenc.h). */
#include "urlenc.h"

#include <string.h>

int url_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *url_decode(h2o_mem_pool_t *pool, const char *s, size_t len, int plus_space, int strict, size_t *outlen)
{
    char *out = h2o_mem_alloc_pool(pool, len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '+' && plus_space) {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 2 < len ? url_hexval(s[i + 1]) : -1, lo = i + 2 < len ? url_hexval(s[i + 2]) : -1;
            if (hi >= 0 && lo >= 0 && (hi | lo) != 0) {
                c = (char)(hi << 4 | lo);
                i += 2;
            } else if (hi == 0 && lo == 0 && strict) { /* %00: see urlenc.h */
                memcpy(o, URL_NUL_AS, 2);
                o += 2;
                c = URL_NUL_AS[2];
                i += 2;
            } else if (strict) {
                return NULL;
            }
        }
        *o++ = c;
    }
    *o = '\0';
    if (outlen)
        *outlen = (size_t)(o - out);
    return out;
}
