/* test_ddb_value.c - unit tests for services/dynamodb/ddb_value.c: types,
 * validation messages (word for word), key checks, sizes, ordering, equality,
 * key bytes, canonical JSON and value building. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ddb_testutil.h"
#include "services/dynamodb/ddb_value.h"

static void expect_valid(const char *text)
{
    const char *msg = NULL;
    int rc = ddb_av_validate(&pool, json(text), &msg);
    CHECK(rc == 0, "%s should be valid, got %d: %s", text, rc, msg ? msg : "");
}

/* In the current layer's words (PutItem, UpdateItem, DeleteItem, GetItem, BatchGetItem, Query). */
static void expect_invalid(const char *text, int code, const char *want)
{
    const char *msg = NULL;
    int rc = ddb_av_validate_in(&pool, json(text), DDB_LAYER_CURRENT, &msg);
    CHECK(rc == code && msg && strcmp(msg, want) == 0, "%s: rc %d msg [%s], want %d [%s]", text, rc, msg ? msg : "(null)", code,
          want);
}

/* The older layer's words (BatchWriteItem, the transactions, Scan, PartiQL: ddb_av_validate's): the valueLayers
 * captures. */
static void expect_older(const char *text, const char *want)
{
    const char *msg = NULL;
    int rc = ddb_av_validate(&pool, json(text), &msg);
    CHECK(rc == DDB_VERR_VALIDATION && msg && strcmp(msg, want) == 0, "older %s: rc %d msg [%s], want [%s]", text, rc,
          msg ? msg : "(null)", want);
}

static void test_older_layer(void)
{
    expect_older("{\"N\":\"\"}", "The parameter cannot be converted to a numeric value");
    expect_older("{\"N\":\"1e2147483647\"}",
                 "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    expect_older("{\"N\":\"1e126\"}", "Number overflow. Attempting to store a number with magnitude larger than supported range");
    expect_older("{\"SS\":[\"b\",\"a\",\"b\"]}",
                 "One or more parameter values were invalid: Input collection [b, a, b] contains duplicates.");
    expect_older("{\"BS\":[\"/w==\",\"AA==\",\"AA==\"]}",
                 "One or more parameter values were invalid: Input collection [/w==, AA==, AA==]of type BS contains duplicates.");
    expect_older("{\"NS\":[\"2\",\"1\",\"2\"]}", "Input collection contains duplicates");
    expect_invalid(
        "{\"BS\":[\"/w==\",\"AA==\",\"AA==\"]}", DDB_VERR_VALIDATION,
        "One or more parameter values were invalid: Input collection [\"AA==\",\"/w==\",\"AA==\"]of type BS contains duplicates.");
}

static void test_types(void)
{
    CHECK(ddb_av_type(json("{\"S\":\"x\"}")) == DDB_T_S, "S");
    CHECK(ddb_av_type(json("{\"N\":\"1\"}")) == DDB_T_N, "N");
    CHECK(ddb_av_type(json("{\"BOOL\":false}")) == DDB_T_BOOL, "BOOL");
    CHECK(ddb_av_type(json("{\"NS\":[\"1\"]}")) == DDB_T_NS, "NS");
    CHECK(ddb_av_type(json("{\"M\":{}}")) == DDB_T_M, "M");
    CHECK(ddb_av_type(json("{\"S\":\"x\",\"N\":null}")) == DDB_T_S, "null members are absent");
    CHECK(ddb_av_type(json("{\"S\":\"x\",\"N\":\"1\"}")) == DDB_T_NONE, "two types");
    CHECK(ddb_av_type(json("{\"S\":5}")) == DDB_T_NONE, "wrong JSON type");
    CHECK(ddb_av_type(json("{}")) == DDB_T_NONE, "empty");
    CHECK(ddb_av_type(json("[1]")) == DDB_T_NONE, "array");
    CHECK(strcmp(ddb_av_inner(json("{\"S\":\"hey\"}"))->u.string, "hey") == 0, "inner");
    CHECK(ddb_type_from_name("BS", 2) == DDB_T_BS && ddb_type_from_name("X", 1) == DDB_T_NONE, "from name");
    CHECK(strcmp(ddb_type_name(DDB_T_NULL), "NULL") == 0 && strcmp(ddb_type_name(DDB_T_NONE), "") == 0, "type names");
    CHECK(ddb_type_is_scalar(DDB_T_B) && !ddb_type_is_scalar(DDB_T_BOOL), "scalar");
}

static void test_validate(void)
{
    expect_valid("{\"S\":\"\"}");
    expect_valid("{\"B\":\"\"}");
    expect_valid("{\"B\":\"YWJj\"}");
    expect_valid("{\"B\":\"Yg==\"}");
    expect_valid("{\"N\":\"-1.5e3\"}");
    expect_valid("{\"BOOL\":false}");
    expect_valid("{\"NULL\":true}");
    expect_valid("{\"SS\":[\"a\",\"\",\"b\"]}");
    expect_valid("{\"NS\":[\"1\",\"2\",\"-1\"]}");
    expect_valid("{\"BS\":[\"YQ==\",\"Yg==\"]}");
    expect_valid("{\"M\":{\"a\":{\"L\":[{\"S\":\"x\"},{\"M\":{}}]}}}");
    expect_valid("{\"L\":[]}");
    expect_valid("{\"S\":\"x\",\"N\":null}");

    expect_invalid("{}", DDB_VERR_VALIDATION,
                   "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    expect_invalid("{\"S\":null}", DDB_VERR_VALIDATION,
                   "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    expect_invalid("{\"S\":\"a\",\"BOOL\":true}", DDB_VERR_VALIDATION,
                   "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
    /* members are checked before their count */
    expect_invalid("{\"S\":\"a\",\"N\":\"b\"}", DDB_VERR_VALIDATION, "The parameter cannot be converted to a numeric value: b");
    expect_invalid("{\"N\":\"\"}", DDB_VERR_VALIDATION, "The parameter cannot be converted to a numeric value: ");
    expect_invalid("{\"N\":\"abc\"}", DDB_VERR_VALIDATION, "The parameter cannot be converted to a numeric value: abc");
    expect_invalid("{\"N\":\"1e126\"}", DDB_VERR_VALIDATION,
                   "Number overflow. Attempting to store a number with magnitude larger than supported range");
    expect_invalid("{\"N\":\"1e-131\"}", DDB_VERR_VALIDATION,
                   "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    expect_invalid("{\"N\":\"123456789012345678901234567890123456789\"}", DDB_VERR_VALIDATION,
                   "Attempting to store more than 38 significant digits in a Number");
    expect_invalid("{\"NULL\":false}", DDB_VERR_VALIDATION,
                   "One or more parameter values were invalid: Null attribute value types must have the value of true");
    expect_invalid("{\"SS\":[]}", DDB_VERR_EMPTY_SET, "One or more parameter values were invalid: An string set  may not be empty");
    expect_invalid("{\"NS\":[]}", DDB_VERR_EMPTY_SET, "One or more parameter values were invalid: An number set  may not be empty");
    expect_invalid("{\"BS\":[]}", DDB_VERR_EMPTY_SET, "One or more parameter values were invalid: Binary sets should not be empty");
    expect_invalid("{\"SS\":[\"a\",\"a\"]}", DDB_VERR_VALIDATION,
                   "One or more parameter values were invalid: Input collection [\"a\", \"a\"] contains duplicates.");
    expect_invalid("{\"SS\":[\"b\",\"a\",\"c\",\"a\"]}", DDB_VERR_VALIDATION,
                   "One or more parameter values were invalid: Input collection [\"a\", \"b\", \"c\", \"a\"] contains duplicates.");
    expect_invalid(
        "{\"BS\":[\"Yg==\",\"Yg==\"]}", DDB_VERR_VALIDATION,
        "One or more parameter values were invalid: Input collection [\"Yg==\",\"Yg==\"]of type BS contains duplicates.");
    expect_invalid("{\"BS\":[\"\",\"\"]}", DDB_VERR_VALIDATION,
                   "One or more parameter values were invalid: Input collection [\"\",\"\"]of type BS contains duplicates.");
    expect_invalid("{\"SS\":[\"\",\"x\",\"\"]}", DDB_VERR_VALIDATION,
                   "One or more parameter values were invalid: Input collection [\"\", \"x\", \"\"] contains duplicates.");
    expect_invalid("{\"NS\":[\"1\",\"1\"]}", DDB_VERR_VALIDATION,
                   "One or more parameter values were invalid: Input collection contains duplicates.");
    expect_invalid("{\"NS\":[\"1\",\"2\",\"1.0\"]}", DDB_VERR_VALIDATION,
                   "One or more parameter values were invalid: Input collection contains duplicates.");
    expect_invalid("{\"NS\":[\"1\",\"\"]}", DDB_VERR_VALIDATION, "The parameter cannot be converted to a numeric value: ");
    expect_invalid("{\"NS\":[\"1\",\"b\"]}", DDB_VERR_VALIDATION, "The parameter cannot be converted to a numeric value: b");
    expect_invalid("{\"B\":\"abc\"}", DDB_VERR_SERIALIZATION,
                   "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3");
    expect_invalid("{\"B\":\"ab!c\"}", DDB_VERR_SERIALIZATION,
                   "'ab!c' can not be converted to a Blob: Invalid Base64 character: '!'");
    expect_invalid("{\"B\":\"a=bc\"}", DDB_VERR_SERIALIZATION,
                   "'a=bc' can not be converted to a Blob: Invalid Base64 character: '='");
    expect_invalid("{\"B\":\"Yh==\"}", DDB_VERR_SERIALIZATION,
                   "'Yh==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
    expect_invalid("{\"BS\":[\"Yg==\",\"***=\"]}", DDB_VERR_SERIALIZATION,
                   "'***=' can not be converted to a Blob: Invalid Base64 character: '*'");
    expect_invalid("{\"S\":5}", DDB_VERR_SERIALIZATION, "Unexpected value type in payload");
    expect_invalid("{\"SS\":[\"a\",1]}", DDB_VERR_SERIALIZATION, "Unexpected value type in payload");
    /* nested errors surface with the same message */
    expect_invalid("{\"M\":{\"a\":{\"L\":[{\"NS\":[]}]}}}", DDB_VERR_EMPTY_SET,
                   "One or more parameter values were invalid: An number set  may not be empty");
    expect_invalid("{\"L\":[{}]}", DDB_VERR_VALIDATION,
                   "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");

    /* nesting: 31 wraps around a scalar are accepted (32 levels), 32 wraps are not */
    char deep[1024];
    for (int wraps = 31; wraps <= 32; wraps++) {
        size_t o = 0;
        for (int i = 0; i < wraps; i++)
            o += (size_t)sprintf(deep + o, "{\"M\":{\"a\":");
        o += (size_t)sprintf(deep + o, "{\"S\":\"x\"}");
        for (int i = 0; i < wraps; i++)
            o += (size_t)sprintf(deep + o, "}}");
        if (wraps == 31)
            expect_valid(deep);
        else
            expect_invalid(deep, DDB_VERR_VALIDATION,
                           "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond "
                           "supported limit");
    }

    const char *msg = NULL;
    CHECK(ddb_item_validate_in(&pool, json("{\"a\":{\"S\":\"x\"},\"b\":{\"N\":\"1\"}}"), DDB_LAYER_OLDER, &msg) == 0, "item valid");
    CHECK(ddb_item_validate_in(&pool, json("{\"a\":{\"S\":\"x\"},\"b\":{\"N\":\"x1\"}}"), DDB_LAYER_OLDER, &msg) ==
                  DDB_VERR_VALIDATION &&
              strcmp(msg, "The parameter cannot be converted to a numeric value: x1") == 0,
          "item invalid: %s", msg);
}

static void expect_key(const char *text, ddb_type_t want, int is_hash, const char *want_msg)
{
    const char *msg = NULL;
    int rc = ddb_key_validate(&pool, "id", json(text), want, is_hash, &msg);
    if (want_msg == NULL)
        CHECK(rc == 0, "key %s should be valid: %s", text, msg ? msg : "");
    else
        CHECK(rc == (strstr(want_msg, "are not valid") ? DDB_VERR_NOT_VALID : DDB_VERR_VALIDATION) && msg &&
                  strcmp(msg, want_msg) == 0,
              "key %s: %d [%s], want [%s]", text, rc, msg ? msg : "(null)", want_msg);
}

static void test_keys(void)
{
    expect_key("{\"S\":\"a\"}", DDB_T_S, 1, NULL);
    expect_key("{\"N\":\"1e125\"}", DDB_T_N, 0, NULL);
    expect_key("{\"B\":\"YQ==\"}", DDB_T_B, 1, NULL);
    expect_key("{\"N\":\"1\"}", DDB_T_S, 1,
               "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N");
    expect_key("{\"SS\":[\"a\"]}", DDB_T_B, 0,
               "One or more parameter values were invalid: Type mismatch for key id expected: B actual: SS");
    expect_key("{\"S\":\"\"}", DDB_T_S, 1,
               "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string "
               "value. Key: id");
    expect_key("{\"B\":\"\"}", DDB_T_B, 0,
               "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary "
               "value. Key: id");

    static char big[4096];
    /* 2048 bytes of hash key are fine, 2049 are not; 1024/1025 for a range key (UTF-8 bytes, not characters) */
    strcpy(big, "{\"S\":\"");
    memset(big + 6, 'a', 2048);
    strcpy(big + 6 + 2048, "\"}");
    expect_key(big, DDB_T_S, 1, NULL);
    expect_key(
        big, DDB_T_S, 0,
        "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
    strcpy(big + 6 + 2048, "a\"}");
    expect_key(big, DDB_T_S, 1,
               "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
    strcpy(big, "{\"S\":\"");
    for (int i = 0; i < 512; i++)
        memcpy(big + 6 + 2 * i, "\xc3\xa9", 2); /* 512 x U+00E9 = 1024 bytes */
    strcpy(big + 6 + 1024, "\"}");
    expect_key(big, DDB_T_S, 0, NULL);
    strcpy(big + 6 + 1024, "\xc3\xa9\"}");
    expect_key(
        big, DDB_T_S, 0,
        "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
}

static void expect_size(const char *text, size_t want)
{
    size_t got = ddb_av_size(json(text));
    CHECK(got == want, "size(%s) = %zu, want %zu", text, got, want);
}

static void test_sizes(void)
{
    expect_size("{\"S\":\"\"}", 0);
    expect_size("{\"S\":\"abc\"}", 3);
    expect_size("{\"S\":\"\xc3\xa9t\xc3\xa9\"}", 5);
    expect_size("{\"N\":\"3.14159\"}", 5);
    expect_size("{\"N\":\"-42\"}", 3);
    expect_size("{\"N\":\"0\"}", 1);
    expect_size("{\"B\":\"\"}", 0);
    expect_size("{\"B\":\"YQ==\"}", 1);
    expect_size("{\"B\":\"YWI=\"}", 2);
    expect_size("{\"B\":\"YWJj\"}", 3);
    expect_size("{\"BOOL\":true}", 1);
    expect_size("{\"NULL\":true}", 1);
    expect_size("{\"SS\":[\"ab\",\"c\"]}", 3);
    expect_size("{\"NS\":[\"1\",\"123456\"]}", 6);
    expect_size("{\"BS\":[\"YQ==\",\"YWJj\"]}", 4);
    expect_size("{\"L\":[]}", 3);
    expect_size("{\"M\":{}}", 3);
    expect_size("{\"L\":[{\"S\":\"ab\"},{\"N\":\"1\"}]}", 3 + (1 + 2) + (1 + 2));
    expect_size("{\"M\":{\"k\":{\"S\":\"ab\"},\"kk\":{\"BOOL\":true}}}", 3 + (1 + 1 + 2) + (1 + 2 + 1));
    expect_size("{\"M\":{\"x\":{\"L\":[{\"NULL\":true}]}}}", 3 + (1 + 1 + (3 + 1 + 1)));
    yajl_val item = json("{\"id\":{\"S\":\"abc\"},\"n\":{\"N\":\"12\"},\"\xc3\xa9\":{\"BOOL\":false}}");
    CHECK(ddb_item_size(item) == (2 + 3) + (1 + 2) + (2 + 1), "item size %zu", ddb_item_size(item));
}

/* Ascending values of one type: checks ddb_av_compare and memcmp of ddb_key_encode on every pair. */
static void check_ascending(const char *const *jsons, int n)
{
    yajl_val v[16];
    for (int i = 0; i < n; i++)
        v[i] = json(jsons[i]);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            yajl_val a = v[i], b = v[j];
            int want = (i > j) - (i < j);
            int got = ddb_av_compare(a, b);
            CHECK(got == want, "compare(%s, %s) = %d, want %d", jsons[i], jsons[j], got, want);
            unsigned char ka[DDB_MAX_HASH_KEY], kb[DDB_MAX_HASH_KEY];
            long la = ddb_key_encode(a, ka, sizeof(ka)), lb = ddb_key_encode(b, kb, sizeof(kb));
            CHECK(la >= 0 && lb >= 0, "key_encode %s / %s", jsons[i], jsons[j]);
            int c = memcmp(ka, kb, (size_t)(la < lb ? la : lb));
            if (c == 0)
                c = (la > lb) - (la < lb);
            CHECK(((c > 0) - (c < 0)) == want, "key order (%s, %s)", jsons[i], jsons[j]);
        }
}

static void test_order(void)
{
    static const char *const s[] = {"{\"S\":\"\"}",   "{\"S\":\"A\"}", "{\"S\":\"Z\"}",        "{\"S\":\"a\"}",
                                    "{\"S\":\"ab\"}", "{\"S\":\"b\"}", "{\"S\":\"\xc3\xa9\"}", "{\"S\":\"\xe4\xb8\xad\"}"};
    check_ascending(s, sizeof(s) / sizeof(s[0]));
    /* bytes: "" < 00 < 00 00 < 01 < 7f < 80 < ff < ff 00 */
    static const char *const b[] = {"{\"B\":\"\"}",     "{\"B\":\"AA==\"}", "{\"B\":\"AAA=\"}", "{\"B\":\"AQ==\"}",
                                    "{\"B\":\"fw==\"}", "{\"B\":\"gA==\"}", "{\"B\":\"/w==\"}", "{\"B\":\"/wA=\"}"};
    check_ascending(b, sizeof(b) / sizeof(b[0]));
    static const char *const n[] = {"{\"N\":\"-1e125\"}", "{\"N\":\"-10\"}",    "{\"N\":\"-9.5\"}", "{\"N\":\"-0.001\"}",
                                    "{\"N\":\"0\"}",      "{\"N\":\"1e-130\"}", "{\"N\":\"0.5\"}",  "{\"N\":\"2\"}",
                                    "{\"N\":\"10\"}",     "{\"N\":\"1e125\"}"};
    check_ascending(n, sizeof(n) / sizeof(n[0]));

    CHECK(ddb_av_compare(json("{\"N\":\"1.0\"}"), json("{\"N\":\"1\"}")) == 0, "1.0 == 1");
    CHECK(ddb_av_compare(json("{\"S\":\"1\"}"), json("{\"N\":\"1\"}")) != 0, "different types never equal");
    unsigned char k[8];
    CHECK(ddb_key_encode(json("{\"BOOL\":true}"), k, sizeof(k)) == -1, "BOOL is no key");
    CHECK(ddb_key_encode(json("{\"S\":\"too long\"}"), k, 4) == -1, "cap respected");
    CHECK(ddb_key_encode(json("{\"S\":\"abc\"}"), k, sizeof(k)) == 3 && memcmp(k, "abc", 3) == 0, "S key bytes");
    CHECK(ddb_key_encode(json("{\"B\":\"YWJj\"}"), k, sizeof(k)) == 3 && memcmp(k, "abc", 3) == 0, "B key bytes");
    unsigned char k1[DDB_NUM_KEY_MAX], k2[DDB_NUM_KEY_MAX];
    long l1 = ddb_key_encode(json("{\"N\":\"1.50\"}"), k1, sizeof(k1)),
         l2 = ddb_key_encode(json("{\"N\":\"15e-1\"}"), k2, sizeof(k2));
    CHECK(l1 > 0 && l1 == l2 && memcmp(k1, k2, (size_t)l1) == 0, "equal numbers, equal key bytes");
}

/* Pairs (B, N) in ascending tuple order: their concatenated ddb_key_encode_component bytes sort the same way
 * (a first component that is a prefix of another, or holds 00 bytes, must not disturb the second's order). */
static size_t pair_key(const char *b, const char *n, unsigned char *out)
{
    long lb = ddb_key_encode_component(json(b), out, DDB_KEY_COMPONENT_MAX);
    long ln = ddb_key_encode_component(json(n), out + lb, DDB_KEY_COMPONENT_MAX);
    CHECK(lb > 0 && ln > 0, "components of (%s, %s)", b, n);
    return (size_t)(lb + ln);
}

static void test_key_components(void)
{
    static const char *const pairs[][2] = {
        {"{\"B\":\"AA==\"}", "{\"N\":\"5\"}"},     {"{\"B\":\"AA==\"}", "{\"N\":\"50\"}"},
        {"{\"B\":\"AAA=\"}", "{\"N\":\"-1\"}"},    {"{\"B\":\"AAE=\"}", "{\"N\":\"-1\"}"},
        {"{\"B\":\"AQ==\"}", "{\"N\":\"-100\"}"},  {"{\"B\":\"AQA=\"}", "{\"N\":\"-100\"}"},
        {"{\"B\":\"AQE=\"}", "{\"N\":\"0\"}"},     {"{\"B\":\"/w==\"}", "{\"N\":\"1e-130\"}"},
        {"{\"B\":\"/w==\"}", "{\"N\":\"1e125\"}"}, {"{\"B\":\"/wA=\"}", "{\"N\":\"0\"}"},
    };
    size_t n = sizeof(pairs) / sizeof(pairs[0]);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            unsigned char a[2 * DDB_KEY_COMPONENT_MAX], b[2 * DDB_KEY_COMPONENT_MAX];
            size_t la = pair_key(pairs[i][0], pairs[i][1], a), lb = pair_key(pairs[j][0], pairs[j][1], b);
            int c = memcmp(a, b, la < lb ? la : lb);
            c = c ? c : (la > lb) - (la < lb);
            CHECK(((c > 0) - (c < 0)) == (i > j) - (i < j), "tuple order %zu vs %zu", i, j);
        }
    unsigned char k[DDB_KEY_COMPONENT_MAX], p[DDB_KEY_COMPONENT_MAX];
    long lk = ddb_key_encode_component(json("{\"B\":\"AAEA\"}"), k, sizeof(k)); /* 00 01 00 */
    CHECK(lk == 7 && memcmp(k, "\x00\xff\x01\x00\xff\x00\x01", 7) == 0, "escaped and ended: %ld", lk);
    long lp = ddb_key_encode_component(json("{\"B\":\"AAE=\"}"), p, sizeof(p)); /* 00 01: a prefix */
    CHECK(lp == 5 && memcmp(k, p, (size_t)lp - 2) == 0, "a prefix's component without its end is a prefix");
    CHECK(ddb_key_encode_component(json("{\"S\":\"\"}"), k, sizeof(k)) == 2, "an empty value's component: its end");
    CHECK(ddb_key_encode_component(json("{\"S\":\"abc\"}"), k, 4) == -1, "cap respected");
    CHECK(ddb_key_encode_component(json("{\"S\":\"abc\"}"), k, 5) == 5, "exact cap");
}

static void expect_equal(const char *a, const char *b, int want)
{
    int got = ddb_av_equal(json(a), json(b));
    CHECK(got == want, "equal(%s, %s) = %d, want %d", a, b, got, want);
}

static void test_equal(void)
{
    expect_equal("{\"S\":\"a\"}", "{\"S\":\"a\"}", 1);
    expect_equal("{\"S\":\"a\"}", "{\"S\":\"b\"}", 0);
    expect_equal("{\"S\":\"1\"}", "{\"N\":\"1\"}", 0);
    expect_equal("{\"N\":\"1.0\"}", "{\"N\":\"1\"}", 1);
    expect_equal("{\"N\":\"100\"}", "{\"N\":\"1e2\"}", 1);
    expect_equal("{\"N\":\"-0\"}", "{\"N\":\"0\"}", 1);
    expect_equal("{\"B\":\"YQ==\"}", "{\"B\":\"YQ==\"}", 1);
    expect_equal("{\"B\":\"YQ==\"}", "{\"B\":\"Yg==\"}", 0);
    expect_equal("{\"BOOL\":true}", "{\"BOOL\":true}", 1);
    expect_equal("{\"BOOL\":true}", "{\"BOOL\":false}", 0);
    expect_equal("{\"NULL\":true}", "{\"NULL\":true}", 1);
    expect_equal("{\"SS\":[\"a\",\"b\",\"c\"]}", "{\"SS\":[\"c\",\"a\",\"b\"]}", 1);
    expect_equal("{\"SS\":[\"a\",\"b\"]}", "{\"SS\":[\"a\",\"b\",\"c\"]}", 0);
    expect_equal("{\"SS\":[\"a\",\"b\"]}", "{\"SS\":[\"a\",\"c\"]}", 0);
    expect_equal("{\"NS\":[\"1\",\"2.50\"]}", "{\"NS\":[\"2.5\",\"1.0\"]}", 1);
    expect_equal("{\"NS\":[\"1\",\"2\"]}", "{\"NS\":[\"1\",\"3\"]}", 0);
    expect_equal("{\"BS\":[\"YQ==\",\"Yg==\"]}", "{\"BS\":[\"Yg==\",\"YQ==\"]}", 1);
    expect_equal("{\"SS\":[\"a\"]}", "{\"BS\":[\"a\"]}", 0);
    expect_equal("{\"L\":[{\"S\":\"a\"},{\"N\":\"1\"}]}", "{\"L\":[{\"S\":\"a\"},{\"N\":\"1.0\"}]}", 1);
    expect_equal("{\"L\":[{\"S\":\"a\"},{\"N\":\"1\"}]}", "{\"L\":[{\"N\":\"1\"},{\"S\":\"a\"}]}", 0);
    expect_equal("{\"L\":[]}", "{\"L\":[{\"S\":\"a\"}]}", 0);
    expect_equal("{\"M\":{\"a\":{\"S\":\"x\"},\"b\":{\"M\":{\"c\":{\"NS\":[\"1\",\"2\"]}}}}}",
                 "{\"M\":{\"b\":{\"M\":{\"c\":{\"NS\":[\"2\",\"1\"]}}},\"a\":{\"S\":\"x\"}}}", 1);
    expect_equal("{\"M\":{\"a\":{\"S\":\"x\"}}}", "{\"M\":{\"a\":{\"S\":\"y\"}}}", 0);
    expect_equal("{\"M\":{\"a\":{\"S\":\"x\"}}}", "{\"M\":{\"b\":{\"S\":\"x\"}}}", 0);
    expect_equal("{\"M\":{}}", "{\"M\":{}}", 1);
    expect_equal("{\"M\":{}}", "{\"L\":[]}", 0);
    expect_equal("{}", "{}", 0);
}

static void expect_json(const char *in, const char *want)
{
    CHECK_STR(item_json(json(in)), want);
}

static void test_write(void)
{
    expect_json("{ \"a\" : { \"N\" : \"1.50\" }, \"b\": {\"NS\": [\"1e3\", \"-0\", \"+2\"]} }",
                "{\"a\":{\"N\":\"1.5\"},\"b\":{\"NS\":[\"0\",\"2\",\"1000\"]}}"); /* sets in DynamoDB's order */
    expect_json("{\"s\":{\"S\":\"q\\\"\\n\xc3\xa9\"},\"b\":{\"B\":\"YQ==\"},\"t\":{\"BOOL\":false},\"z\":{\"NULL\":true}}",
                "{\"s\":{\"S\":\"q\\\"\\n\xc3\xa9\"},\"b\":{\"B\":\"YQ==\"},\"t\":{\"BOOL\":false},\"z\":{\"NULL\":true}}");
    expect_json("{\"m\":{\"M\":{\"x\":{\"L\":[{\"N\":\"0.10\"},{\"SS\":[\"b\",\"a\"]},{\"M\":{}}]}}}}",
                "{\"m\":{\"M\":{\"x\":{\"L\":[{\"N\":\"0.1\"},{\"SS\":[\"a\",\"b\"]},{\"M\":{}}]}}}}");
    expect_json("{\"n\":{\"S\":\"x\",\"N\":null}}", "{\"n\":{\"S\":\"x\"}}");
    expect_json("{}", "{}");
    /* a written item parses back to an equal item */
    yajl_val orig = json("{\"a\":{\"M\":{\"k\":{\"NS\":[\"1.0\",\"2\"]},\"l\":{\"L\":[{\"B\":\"YWJj\"}]}}}}");
    jw_t w;
    jw_init(&w);
    ddb_item_write(&w, orig);
    jw_append(&w, "", 1); /* NUL for the parser */
    yajl_val back = json(w.buf);
    CHECK(ddb_av_equal(orig->u.object.values[0], back->u.object.values[0]), "round trip equal: %s", w.buf);
    jw_free(&w);
}

static void test_build(void)
{
    ddb_num_t n;
    CHECK(ddb_av_number(json("{\"N\":\"2.50\"}"), &n) == DDB_NUM_OK, "av number");
    yajl_val av = ddb_av_new_n(&pool, &n);
    CHECK(ddb_av_type(av) == DDB_T_N && strcmp(ddb_av_inner(av)->u.string, "2.5") == 0, "new N");
    CHECK(ddb_av_equal(av, json("{\"N\":\"2.5\"}")), "new N equal");
    CHECK(ddb_av_number(json("\"7\""), &n) == DDB_NUM_OK && n.sign == 1, "number from a string node");
    CHECK(ddb_av_number(json("{\"S\":\"7\"}"), &n) == DDB_NUM_EINVALID, "S is no number");
    yajl_val s = ddb_av_new(&pool, DDB_T_S, ddb_json_str(&pool, "hello world", 5));
    CHECK(ddb_av_type(s) == DDB_T_S && strcmp(ddb_av_inner(s)->u.string, "hello") == 0, "new S");
    const unsigned char *bytes;
    CHECK(ddb_b64_bytes(&pool, json("\"YWJj\""), &bytes) == 3 && memcmp(bytes, "abc", 3) == 0, "b64 bytes");
    CHECK(ddb_b64_bytes(&pool, json("\"Y!Jj\""), &bytes) == -1, "bad b64");
    jw_t w;
    jw_init(&w);
    ddb_av_write(&w, s);
    CHECK(w.len == 13 && memcmp(w.buf, "{\"S\":\"hello\"}", 13) == 0, "write built value: %.*s", (int)w.len, w.buf);
    jw_free(&w);
}

int main(void)
{
    h2o_mem_init_pool(&pool);
    test_types();
    test_older_layer();
    test_validate();
    test_keys();
    test_sizes();
    test_order();
    test_key_components();
    test_equal();
    test_write();
    test_build();
    ddb_test_cleanup();
    return check_summary();
}
