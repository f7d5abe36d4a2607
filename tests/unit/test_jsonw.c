/* test_jsonw.c - the JSON writer and base64: exact output text. */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "protocol/base64.h"
#include "protocol/jsonw.h"

static void test_nesting_and_commas(void)
{
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "a", "x");
    jw_key(&w, "list");
    jw_arr(&w);
    jw_int(&w, 1);
    jw_int(&w, -2);
    jw_obj(&w);
    jw_end(&w);
    jw_aend(&w);
    jw_kbool(&w, "t", 1);
    jw_key(&w, "n");
    jw_null(&w);
    jw_key(&w, "raw");
    jw_raw(&w, "{\"S\":\"v\"}", 9);
    jw_kjson(&w, "absent", NULL); /* no member at all */
    jw_kjson(&w, "j", "[1,{\"k\":null}]");
    jw_end(&w);
    CHECK_STR(w.buf, "{\"a\":\"x\",\"list\":[1,-2,{}],\"t\":true,\"n\":null,\"raw\":{\"S\":\"v\"},\"j\":[1,{\"k\":null}]}");
    jw_free(&w);
}

static void test_escaping(void)
{
    jw_t w;
    jw_init(&w);
    jw_strn(&w, "q\"b\\\n\t\x01\x1f\xc3\xa9", 10);
    CHECK_STR(w.buf, "\"q\\\"b\\\\\\n\\t\\u0001\\u001f\xc3\xa9\"");
    size_t len;
    char *s = jw_take(&w, &len);
    CHECK(len == strlen(s));
    free(s);
    CHECK(w.buf == NULL);
}

/* The escaping a byte at a time, as AWS writes it: the reference for the word-wise writer. */
static size_t reference_escape(const unsigned char *s, size_t len, char *out)
{
    static const char *const named[256] = {
        ['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t", ['\b'] = "\\b", ['\f'] = "\\f"};
    size_t n = 0;
    out[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (i + 3 <= len && s[i] == 0xED && s[i + 1] >= 0xA0 && s[i + 1] <= 0xBF) { /* an encoded surrogate */
            out[n++] = '?';
            i += 2;
        } else if (named[s[i]])
            n += (size_t)sprintf(out + n, "%s", named[s[i]]);
        else if (s[i] < 0x20)
            n += (size_t)sprintf(out + n, "\\u%04x", s[i]);
        else
            out[n++] = (char)s[i];
    }
    out[n++] = '"';
    out[n] = '\0';
    return n;
}

/* Strings of every length up to 40 with special bytes at every place, and random ones. */
static void test_escaping_words(void)
{
    static const unsigned char specials[] = {'"', '\\', 0, 1, '\n', 0x1f, 0x20, 0x7f, 0x80, 0xff, 'a', '!', '#', '[', ']'};
    unsigned char in[64];
    char want[64 * 6 + 3];
    int bad = 0;
    srand(7);
    for (size_t len = 0; len <= 40; len++)
        for (size_t at = 0; at < (len ? len : 1); at++)
            for (size_t k = 0; k < sizeof(specials) + 4; k++) {
                for (size_t i = 0; i < len; i++)
                    in[i] = k < sizeof(specials) ? 'x' : (unsigned char)(rand() & 0xff);
                if (len && k < sizeof(specials))
                    in[at] = specials[k];
                jw_t w;
                jw_init(&w);
                jw_strn(&w, (const char *)in, len);
                size_t n = reference_escape(in, len, want);
                bad += w.len != n || memcmp(w.buf, want, n) != 0;
                jw_free(&w);
            }
    CHECK(bad == 0, "%d strings escaped differently", bad);
}

static void test_numbers(void)
{
    jw_t w;
    jw_init(&w);
    jw_arr(&w);
    jw_double(&w, 1.5);
    jw_double(&w, 3.0);
    jw_double(&w, 0.1);
    jw_double(&w, 1700000000.123);
    jw_aend(&w);
    CHECK_STR(w.buf, "[1.5,3,0.1,1700000000.123]");
    jw_free(&w);
}

static void test_base64(void)
{
    char out[64];
    unsigned char back[64];
    const char *cases[][2] = {{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foobar", "Zm9vYmFy"}};
    for (size_t i = 0; i < 5; i++) {
        size_t n = base64_encode(cases[i][0], strlen(cases[i][0]), out);
        out[n] = '\0';
        CHECK_STR(out, cases[i][1]);
        long m = base64_decode(cases[i][1], strlen(cases[i][1]), back);
        CHECK(m == (long)strlen(cases[i][0]) && memcmp(back, cases[i][0], (size_t)m) == 0);
    }
    CHECK(base64_decode("Zg=", 3, back) == -1);
    CHECK(base64_decode("Z!==", 4, back) == -1);
    CHECK(base64_decode("=Zg=", 4, back) == -1);
    CHECK(base64_decode("Zm9v!m9v", 8, back) == -1, "a bad byte before the last quad");
    CHECK(base64_decode("Zg==Zm9v", 8, back) == -1, "padding before the last quad");
    CHECK(base64_decode("Zm9v\xffm9v", 8, back) == -1, "a byte above 127");
    unsigned char all[256], round[256];
    char text[344];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)(255 - i);
    size_t tn = base64_encode(all, 256, text);
    CHECK(tn == 344 && base64_decode(text, tn, round) == 256 && memcmp(round, all, 256) == 0, "every byte value");
    jw_t w;
    jw_init(&w);
    jw_base64(&w, "foob", 4);
    CHECK_STR(w.buf, "\"Zm9vYg==\"");
    jw_free(&w);
}

/* An encoded surrogate (a lone \uD800-\uDFFF of a request) is written '?', as Java's UTF-8 encoder
 * writes it; the characters around the surrogates, U+D7FF and U+E000, are written as they are. */
static void test_surrogates(void)
{
    jw_t w;
    jw_init(&w);
    jw_str(&w, "a\xed\xa0\x80"
               "b\xed\xbf\xbf\xed\x9f\xbf\xee\x80\x80 long enough for a word \xed\xb0\x80");
    CHECK(strcmp(w.buf, "\"a?b?\xed\x9f\xbf\xee\x80\x80 long enough for a word ?\"") == 0, "%s", w.buf);
    jw_free(&w);
}

int main(void)
{
    test_surrogates();
    test_nesting_and_commas();
    test_escaping();
    test_escaping_words();
    test_numbers();
    test_base64();
    return check_summary();
}
