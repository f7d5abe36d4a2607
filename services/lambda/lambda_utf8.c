/* lambda_utf8.c - UTF-8 text for what Lambda passes on as JSON: a function URL request's path, query and
 * headers in its event, a runtime's error in InvokeWithResponseStream's InvokeComplete. Bytes that are not
 * UTF-8 there make the JSON unreadable to its reader (a runtime failing to parse the event, botocore raising
 * UnicodeDecodeError); each such byte becomes U+FFFD, as a Java decoder replaces it. */
#include <string.h>

#include "../../protocol/utf8.h"
#include "lambda_internal.h"

/* The length of the UTF-8 character s starts (left bytes at s), 0 when none does there or it is no
 * Unicode scalar value (a surrogate, past U+10FFFF). */
static size_t utf8_char(const unsigned char *s, size_t left)
{
    uint32_t cp;
    size_t n = utf8_decode(s, left, &cp);
    return n && utf8_scalar(cp) ? n : 0;
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
