/* poolfmt.c - printf and concatenation into a memory pool, and hex (see poolfmt.h). */
#include "poolfmt.h"

#include <stdio.h>
#include <string.h>

char *pool_vsprintf(h2o_mem_pool_t *pool, const char *fmt, va_list ap)
{
    char buf[256]; /* most strings fit: one formatting pass instead of measuring first */
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap2);
    va_end(ap2);
    size_t len = n > 0 ? (size_t)n : 0;
    char *s = h2o_mem_alloc_pool(pool, len + 1);
    if (len < sizeof(buf))
        memcpy(s, n > 0 ? buf : "", len + 1);
    else
        vsnprintf(s, len + 1, fmt, ap);
    return s;
}

char *pool_join(h2o_mem_pool_t *pool, const char *first, ...)
{
    va_list ap;
    size_t len = 0;
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *))
        len += strlen(p);
    va_end(ap);
    char *s = h2o_mem_alloc_pool(pool, len + 1), *w = s;
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *)) {
        size_t k = strlen(p);
        memcpy(w, p, k);
        w += k;
    }
    va_end(ap);
    *w = '\0';
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
