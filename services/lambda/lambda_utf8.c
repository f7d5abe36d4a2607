/* lambda_utf8.c - UTF-8 text for what Lambda passes on as JSON: a function URL request's path, query and
 * headers in its event, a runtime's error in InvokeWithResponseStream's InvokeComplete. Bytes that are not
 * UTF-8 there make the JSON unreadable to its reader (a runtime failing to parse the event, botocore raising
 * UnicodeDecodeError); each such byte becomes U+FFFD, as a Java decoder replaces it. */
#include <string.h>

#include "lambda_internal.h"

/* The length of the UTF-8 character s starts (left bytes at s), 0 when none does there (no overlong forms,
 * surrogates or code points past U+10FFFF). */
static size_t utf8_char(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || n > left || (n == 2 && c < 0xc2) || (n == 3 && c == 0xe0 && s[1] < 0xa0) ||
        (n == 3 && c == 0xed && s[1] >= 0xa0) || (n == 4 && c == 0xf0 && s[1] < 0x90) ||
        (n == 4 && (c > 0xf4 || (c == 0xf4 && s[1] >= 0x90))))
        return 0;
    for (size_t k = 1; k < n; k++)
        if ((s[k] >> 6) != 0x2)
            return 0;
    return n;
}

int lambda_utf8_text(const unsigned char *s, size_t len)
{
    for (size_t i = 0, n; i < len; i += n)
        if (!(n = utf8_char(s + i, len - i)))
            return 0;
    return 1;
}

const char *lambda_utf8_clean(h2o_mem_pool_t *pool, const char *s)
{
    size_t len = strlen(s);
    if (lambda_utf8_text((const unsigned char *)s, len))
        return s;
    char *out = h2o_mem_alloc_pool(pool, len * 3 + 1), *o = out;
    for (size_t i = 0, n; i < len; i += n ? n : 1) {
        n = utf8_char((const unsigned char *)s + i, len - i);
        memcpy(o, n ? s + i : "\xEF\xBF\xBD", n ? n : 3);
        o += n ? n : 3;
    }
    *o = '\0';
    return out;
}
