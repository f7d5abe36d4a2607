/* test_ytree.c - the pool JSON parser against yajl_tree_parse: the same tree
 * (types, member order, text, number flags) and the same kind of error, for
 * hand-picked documents and for deterministic mutations of them. */
#include <h2o.h>
#include <stdlib.h>

#include "check.h"
#include "protocol/ytree.h"
#include "ytree_same.h"

/* Parses text both ways; 1 when they agree (tree, or the first line of the error). */
static int agree(const char *text, size_t len)
{
    char *copy = malloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    char want_err[512] = "", got_err[512] = "";
    yajl_val want = yajl_tree_parse(copy, want_err, sizeof(want_err));
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    ytree_error_t why;
    yajl_val got = ytree_parse(&pool, text, strlen(copy), 1000, 0, &why, got_err, sizeof(got_err));
    int ok;
    if (want == NULL || got == NULL) {
        want_err[strcspn(want_err, "\n")] = '\0';
        got_err[strcspn(got_err, "\n")] = '\0';
        ok = want == NULL && got == NULL && strcmp(want_err, got_err) == 0;
        if (!ok)
            printf("  text %s: yajl \"%s\", ytree \"%s\"\n", copy, want_err, got_err);
    } else {
        ok = ytree_lone_high(text, len) || ytree_same(want, got);
        if (!ok)
            printf("  text %s: trees differ\n", copy);
    }
    yajl_tree_free(want);
    h2o_mem_clear_pool(&pool);
    free(copy);
    return ok;
}

static const char *const docs[] = {
    "{}",
    "[]",
    "{\"TableName\":\"t\",\"Limit\":10}",
    ("{\"Item\":{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"1.50\"},\"l\":{\"L\":[{\"N\":\"1\"},{\"BOOL\":true},{\"NULL\":true}]},"
     "\"m\":{\"M\":{}}}}"),
    "[5, -3, 1.5, 1e3, -0, 99999999999999999999, 9223372036854775807, -9223372036854775808, 1E400, 0.0, -1e-400]",
    /* past LLONG_MAX by one digit from just above LLONG_MAX / 10: overflowed before the bound was checked */
    "[9223372036854775810, 9223372036854775817, -9223372036854775819, 9223372036854775808, 922337203685477580]",
    "{\"a\":null,\"b\":true,\"c\":false,\"d\":[[],{},[{}]],\"e\":\"\"}",
    "{\"esc\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\",\"k\\u0041y\":1}",
    "{\"dup\":1,\"dup\":2}",
    "  {\"ws\" :\n [ 1 ,\t2 ] }  ",
    "/* comment */ {\"a\": 1 // line\n}",
    "{",
    "{\"a\":",
    "{\"a\":}",
    "{\"a\" 1}",
    "x",
    "{} x",
    "[1,]",
    "{\"a\":1,}",
    "\"abc",
    "{\"a\":\"\\x\"}",
    "{\"a\":tru}",
    "{\"a\":1}{",
    "]",
    "{\"a\":01}",
    "{\"a\":-}",
    "{\"a\":1.}",
    "{\"a\":\"\\u12\"}",
    "\"\xff\"",
    "123",
    "\"s\"",
    "",
    "{\"\xc3\xa9t\xc3\xa9\":\"\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\",\"k\\tx\":[\"\\u20ac\\u0041\\u00e9\"]}",
    "[\"\xc3(\", \"\xc0\x80\", \"\xe6\x97\"]",
    "[1e5,1E+5,-0.5e-3,0,-0,10,2.25E-2]",
    " [ ] ",
    "{\"a\":[1,2,{\"b\":null,\"c\":[true,false]}],\"d\":{\"e\":{}}}",
    "[\"tab\there\", \"\x01\"]",
    "\v{\"a\":1}\f",
    "{\"long\":\"abcdefghijklmnopqrstuvwxyz0123456789 abcdefghijklmnopqrstuvwxyz\\\"q\\\"\"}",
};

int main(void)
{
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
        CHECK(agree(docs[i], strlen(docs[i])), "doc %zu", i);
    /* Mutations: each document with one byte replaced, dropped or cut off, at every place. */
    static const char bytes[] = "{}[]\",:\\ 0-.eE/atn";
    int disagreements = 0;
    char buf[512];
    for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
        size_t len = strlen(docs[d]);
        for (size_t at = 0; at < len; at++) {
            for (size_t b = 0; b < sizeof(bytes) - 1; b++) {
                memcpy(buf, docs[d], len);
                buf[at] = bytes[b];
                disagreements += !agree(buf, len);
            }
            memcpy(buf, docs[d], at);
            memcpy(buf + at, docs[d] + at + 1, len - at - 1);
            disagreements += !agree(buf, len - 1);
            disagreements += !agree(docs[d], at);
        }
    }
    CHECK(disagreements == 0, "%d mutated documents parsed differently", disagreements);
    /* Depth: max_depth containers are fine, one more is refused. */
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    char deep[64], err[256];
    memset(deep, '[', 10);
    memset(deep + 10, ']', 10);
    ytree_error_t why;
    CHECK(ytree_parse(&pool, deep, 20, 10, 0, &why, err, sizeof(err)) != NULL);
    CHECK(ytree_parse(&pool, deep, 20, 9, 0, &why, err, sizeof(err)) == NULL && why == YTREE_TOO_DEEP);
    CHECK(ytree_parse(&pool, "{\"a\\u0000\":1}", 13, 10, 0, &why, err, sizeof(err)) == NULL && why == YTREE_NUL);
    CHECK(ytree_parse(&pool, "[\"a\\u0000b\"]", 12, 10, 0, &why, err, sizeof(err)) == NULL && why == YTREE_NUL);
    /* YTREE_NUL_OVERLONG keeps it as C0 80, in keys and values, by either parser (a comment sends it to yajl's) */
    static const char *const nul_docs[] = {"{\"a\\u0000\":\"b\\u0000\\u0000c\"}", "/**/{\"a\\u0000\":\"b\\u0000\\u0000c\"}"};
    for (int i = 0; i < 2; i++) {
        yajl_val n = ytree_parse(&pool, nul_docs[i], strlen(nul_docs[i]), 10, YTREE_NUL_OVERLONG, &why, err, sizeof(err));
        CHECK(n != NULL && strcmp(n->u.object.keys[0], "a\xc0\x80") == 0 &&
                  strcmp(n->u.object.values[0]->u.string, "b\xc0\x80\xc0\x80"
                                                          "c") == 0,
              "NUL kept as C0 80 (%s)", nul_docs[i]);
        jw_t w;
        jw_init(&w);
        ytree_write(&w, n);
        CHECK(n != NULL && strcmp(w.buf, "{\"a\\u0000\":\"b\\u0000\\u0000c\"}") == 0, "written back: %s", w.buf);
        jw_free(&w);
    }
    CHECK(ytree_parse(&pool, "[1,]", 4, 10, 0, &why, err, sizeof(err)) == NULL && why == YTREE_SYNTAX);
    CHECK(ytree_parse(&pool, "[x]", 3, 10, 0, &why, err, sizeof(err)) == NULL && why == YTREE_LEXICAL);
    /* A lone surrogate (high or low) keeps its three-byte encoding; a pair is one 4-byte character. */
    const char *sur = "[\"a\\ud800b\",\"\\udc00\",\"\\ud83d\\ude00\",\"\\ud83d\\u0041\"]";
    yajl_val s = ytree_parse(&pool, sur, strlen(sur), 10, 0, &why, err, sizeof(err));
    CHECK(s && s->u.array.len == 4 &&
          strcmp(s->u.array.values[0]->u.string, "a\xed\xa0\x80"
                                                 "b") == 0 &&
          strcmp(s->u.array.values[1]->u.string, "\xed\xb0\x80") == 0 &&
          strcmp(s->u.array.values[2]->u.string, "\xf0\x9f\x98\x80") == 0 &&
          strcmp(s->u.array.values[3]->u.string, "\xed\xa0\xbd"
                                                 "A") == 0);
    /* Large arrays grow the member stack. */
    size_t n = 5000;
    char *big = malloc(n * 16 + 16), *p = big;
    *p++ = '[';
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s{\"k\":%zu}", i ? "," : "", i);
    *p++ = ']';
    yajl_val v = ytree_parse(&pool, big, (size_t)(p - big), 10, 0, &why, err, sizeof(err));
    CHECK(v && YAJL_IS_ARRAY(v) && v->u.array.len == n && v->u.array.values[n - 1]->u.object.values[0]->u.number.i == 4999);
    free(big);
    h2o_mem_clear_pool(&pool);
    /* ytree_parse_text: yajl_tree_parse up to YTREE_TEXT_MAX_DEPTH levels; brackets inside strings
     * (after escaped quotes and backslashes too) and comments do not count. */
    size_t d = YTREE_TEXT_MAX_DEPTH;
    char *text = malloc(4 * d + 64);
    for (size_t levels = d; levels <= d + 1; levels++) {
        memset(text, '[', levels);
        memset(text + levels, ']', levels);
        text[2 * levels] = '\0';
        v = ytree_parse_text(text, err, sizeof(err));
        CHECK((v != NULL) == (levels == d), "%zu levels", levels);
        yajl_tree_free(v);
    }
    CHECK(strcmp(err, "nesting too deep") == 0, "the refusal: %s", err);
    CHECK(ytree_parse_text(text, NULL, 0) == NULL, "refused without an error buffer");
    const char *wrap[][2] = {{"[\"\\\"\\\\", "\"]"}, {"/* \" */ [1] /* ", " */"}, {"[2] // ", "\n"}};
    for (size_t i = 0; i < sizeof(wrap) / sizeof(*wrap); i++) {
        int n = sprintf(text, "%s", wrap[i][0]);
        memset(text + n, '[', d + 1);
        strcpy(text + n + d + 1, wrap[i][1]);
        v = ytree_parse_text(text, err, sizeof(err));
        CHECK(v != NULL, "%zu brackets wrapped in %s...%s: %s", d + 1, wrap[i][0], wrap[i][1], v ? "" : err);
        yajl_tree_free(v);
    }
    free(text);
    CHECK(ytree_parse_text("[1,", err, sizeof(err)) == NULL && strstr(err, "parse error") != NULL, "yajl's error: %s", err);
    return check_summary();
}
