/* utf8.c - the UTF-8 decoder (see utf8.h). */
#include "utf8.h"

size_t utf8_decode(const unsigned char *s, size_t left, uint32_t *cp)
{
    static const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000}; /* below: an overlong form */
    unsigned c = s[0];
    size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0 || n > left)
        return 0;
    uint32_t v = n == 1 ? c : c & (0x7f >> n);
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[k] & 0x3f);
    }
    if (v < min_cp[n])
        return 0;
    *cp = v;
    return n;
}
