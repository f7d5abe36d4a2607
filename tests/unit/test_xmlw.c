/* test_xmlw.c - the XML writer: nesting, self-closing empty elements, escaping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/xmlw.h"

static int failures;

static void expect(const char *what, xw_t *w, const char *want)
{
    size_t len;
    char *got = xw_take(w, &len);
    if (len != strlen(want) || strcmp(got, want) != 0) {
        printf("FAIL %s\n  got:  %s\n  want: %s\n", what, got, want);
        failures++;
    }
    free(got);
}

/* The escape of one byte, written byte by byte as a reference; its length. */
static size_t ref_escape(char *o, unsigned char c)
{
    switch (c) {
    case '&':
        return (size_t)sprintf(o, "&amp;");
    case '<':
        return (size_t)sprintf(o, "&lt;");
    case '>':
        return (size_t)sprintf(o, "&gt;");
    case '"':
        return (size_t)sprintf(o, "&quot;");
    case '\'':
        return (size_t)sprintf(o, "&apos;");
    default:
        if (c < 0x20 && c != '\t' && c != '\n')
            return (size_t)sprintf(o, "&#x%X;", c);
        *o = (char)c;
        return 1;
    }
}

int main(void)
{
    xw_t w;
    xw_init(&w);

    xw_decl(&w);
    xw_open(&w, "ListQueuesResponse", "http://queue.amazonaws.com/doc/2012-11-05/");
    xw_open(&w, "ListQueuesResult", NULL);
    xw_close(&w, "ListQueuesResult");
    xw_open(&w, "ResponseMetadata", NULL);
    xw_elemz(&w, "RequestId", "725275ae-0b9b-4762-b238-436d7c65a1ac");
    xw_close(&w, "ResponseMetadata");
    xw_close(&w, "ListQueuesResponse");
    expect("nesting", &w,
           "<?xml version=\"1.0\"?><ListQueuesResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
           "<ListQueuesResult/><ResponseMetadata><RequestId>725275ae-0b9b-4762-b238-436d7c65a1ac</RequestId>"
           "</ResponseMetadata></ListQueuesResponse>");

    const char body[] = "a&b <c> \"d\" 'e'\r\n\tf\x01\x1f\x7f \xc3\xa9";
    xw_elem(&w, "Body", body, sizeof(body) - 1);
    expect("escaping", &w, "<Body>a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos;&#xD;\n\tf&#x1;&#x1F;\x7f \xc3\xa9</Body>");

    xw_elem(&w, "Body", "", 0);
    expect("empty text", &w, "<Body></Body>");

    xw_elem(&w, "Body", "\0x", 2);
    expect("NUL", &w, "<Body>&#x0;x</Body>");

    /* the word-at-a-time path: each special byte at each position of strings of many lengths */
    static const char specials[] = "&<>\"'\r\x01\t\n\xc3";
    for (size_t len = 1; len <= 40; len++) {
        for (size_t at = 0; at < len; at++) {
            for (size_t k = 0; k < sizeof(specials) - 1; k++) {
                char text[41], want[41 * 8 + 16];
                memset(text, 'a', len);
                text[at] = specials[k];
                size_t n = (size_t)sprintf(want, "<B>");
                for (size_t i = 0; i < len; i++)
                    n += ref_escape(want + n, (unsigned char)text[i]);
                strcpy(want + n, "</B>");
                xw_elem(&w, "B", text, len);
                expect("word path", &w, want);
            }
        }
    }

    /* growth across many appends */
    for (int i = 0; i < 2000; i++)
        xw_elemz(&w, "V", "<>");
    size_t len;
    char *big = xw_take(&w, &len);
    if (len != 2000 * strlen("<V>&lt;&gt;</V>")) {
        printf("FAIL growth: %zu\n", len);
        failures++;
    }
    free(big);
    xw_free(&w);

    if (failures == 0)
        printf("test_xmlw: ok\n");
    return failures != 0;
}
