/* utf8.h - the UTF-8 decoder of the services' checks of text: SQS's allowed characters and Lambda's
 * text passed on in JSON are each decided on the code points it returns. (The JSON parser accepts
 * strings by the laxer rule of yajl's lexer, which it must match: protocol/ytree.c.) */
#ifndef AWSEMU_UTF8_H
#define AWSEMU_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The character that starts at s (left bytes there, at least 1): its length, 1 to 4, and *cp its
 * code point; 0 when no well-formed sequence starts there (a byte that cannot lead, a missing or
 * stray continuation byte, an overlong form). Surrogates (U+D800-DFFF, which the JSON parser keeps
 * from a lone \uD800 escape) and code points past U+10FFFF (leads F4 90 to F7) decode: the caller
 * decides whether it takes them (utf8_scalar). */
size_t utf8_decode(const unsigned char *s, size_t left, uint32_t *cp);

/* 1 when cp is a Unicode scalar value: no surrogate, not past U+10FFFF. */
static inline int utf8_scalar(uint32_t cp)
{
    return cp < 0xd800 || (cp > 0xdfff && cp <= 0x10ffff);
}

#endif
