/* poolfmt.c - printf into a memory pool, and hex (see poolfmt.h). */
#include "poolfmt.h"

#include <stdio.h>

char *pool_vsprintf(h2o_mem_pool_t *pool, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *s = h2o_mem_alloc_pool(pool, n > 0 ? (size_t)n + 1 : 1);
    vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    return s;
}

char *pool_sprintf(h2o_mem_pool_t *pool, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pool_vsprintf(pool, fmt, ap);
    va_end(ap);
    return s;
}

void hex_encode(const unsigned char *d, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[2 * n] = '\0';
}
