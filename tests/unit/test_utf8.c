/* test_utf8.c - the UTF-8 decoder (protocol/utf8.c): lengths and code points of well-formed
 * characters at each length and boundary, and 0 for every kind of ill-formed sequence. */
#include <stdint.h>

#include "check.h"
#include "protocol/utf8.h"

/* utf8_decode of the string s (its bytes up to the NUL, or `left` of them when left > 0). */
static size_t dec(const char *s, size_t left, uint32_t *cp)
{
    *cp = 0xffffffff;
    return utf8_decode((const unsigned char *)s, left ? left : strlen(s), cp);
}

static void test_well_formed(void)
{
    static const struct {
        const char *s;
        size_t n;
        uint32_t cp;
    } ok[] = {
        {"A", 1, 0x41},
        {"\x7f", 1, 0x7f},
        {"\xc2\x80", 2, 0x80},
        {"\xdf\xbf", 2, 0x7ff},
        {"\xe0\xa0\x80", 3, 0x800},
        {"\xef\xbf\xbd", 3, 0xfffd},
        {"\xf0\x90\x80\x80", 4, 0x10000},
        {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
        {"\xed\xa0\x80", 3, 0xd800},       /* a surrogate decodes; utf8_scalar refuses it */
        {"\xf4\x90\x80\x80", 4, 0x110000}, /* so does a code point past U+10FFFF */
        {"\xc3\xa9tail", 2, 0xe9},         /* only the first character */
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        uint32_t cp;
        size_t n = dec(ok[i].s, 0, &cp);
        CHECK(n == ok[i].n && cp == ok[i].cp, "#%zu: length %zu, cp %#x", i, n, (unsigned)cp);
    }
    uint32_t cp;
    CHECK(dec("", 1, &cp) == 1 && cp == 0, "a NUL byte is U+0000");
}

static void test_ill_formed(void)
{
    /* clang-format off */
    static const char *const bad[] = {
        "\x80", "\xbf",                                             /* a continuation byte cannot lead */
        "\xf8\x88\x80\x80", "\xff",                                 /* nor can F8-FF */
        "\xc0\x80", "\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", /* overlong forms */
        "\xc3", "\xe2\x82", "\xf0\x9f\x98",                         /* cut short */
        "\xc3\x41", "\xe2\x28\xa1", "\xf0\x9f\x98\x28",             /* a continuation byte missing */
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint32_t cp;
        CHECK(dec(bad[i], 0, &cp) == 0, "#%zu decoded", i);
    }
    uint32_t cp;
    CHECK(dec("\xe2\x82\xac", 2, &cp) == 0, "a character longer than the bytes left");
}

static void test_scalar(void)
{
    CHECK(utf8_scalar(0) && utf8_scalar(0xd7ff) && utf8_scalar(0xe000) && utf8_scalar(0x10ffff));
    CHECK(!utf8_scalar(0xd800) && !utf8_scalar(0xdfff) && !utf8_scalar(0x110000));
}

int main(void)
{
    test_well_formed();
    test_ill_formed();
    test_scalar();
    return check_summary();
}
