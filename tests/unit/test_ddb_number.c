/* test_ddb_number.c - unit tests for services/dynamodb/ddb_number.c: syntax,
 * DynamoDB's limits and messages, canonical text, order, exact arithmetic,
 * key bytes and size accounting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "services/dynamodb/ddb_number.h"


static int parse(const char *s, ddb_num_t *n)
{
    return ddb_num_parse(s, strlen(s), n);
}

/* The canonical text of s, or "ERR<rc>". */
static const char *canon(const char *s)
{
    static char buf[DDB_NUM_TEXT_MAX + 16];
    ddb_num_t n;
    int rc = parse(s, &n);
    if (rc != DDB_NUM_OK)
        snprintf(buf, sizeof(buf), "ERR%d", rc);
    else
        ddb_num_format(&n, buf);
    return buf;
}

static void expect_canon(const char *in, const char *want)
{
    const char *got = canon(in);
    CHECK(strcmp(got, want) == 0, "canon(%s) = %s, want %s", in, got, want);
}

static void test_syntax(void)
{
    static const char *const bad[] = {"",  "abc",   "NaN", "Infinity", "-Infinity", " 1",  "1 ",    "1e", "e5",    ".",  "-",
                                      "+", "1.2.3", "1e+", "0x10",     "1,5",       "--1", "1e5.5", "١",  "1_000", "1d", "-.e1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ddb_num_t n;
        CHECK(parse(bad[i], &n) == DDB_NUM_EINVALID, "'%s' should be invalid", bad[i]);
    }
    expect_canon("3", "3");
    expect_canon("-7.1234", "-7.1234");
    expect_canon("-17e5", "-1700000");
    expect_canon("-17.4E37", "-174000000000000000000000000000000000000");
    expect_canon("+3", "3");
    expect_canon(".123", "0.123");
    expect_canon("5.", "5");
    expect_canon("0001.23", "1.23");
    expect_canon("1e+5", "100000");
    /* zero is range-checked by the exponent it is written with, and an exponent past a 64-bit integer is no number
     * (paritysuite/dynamodb-conformance limits/numberExponent.test.ts, real DynamoDB, eu-west-2, October 2026) */
    expect_canon("0e125", "0");
    expect_canon("0e1000", "ERR-2");
    expect_canon("0e-131", "ERR-3");
    expect_canon("0e99999999999999999999", "ERR-1");
    expect_canon("1e9223372036854775807", "ERR-2");
    expect_canon("1e9223372036854775808", "ERR-1");
    expect_canon("1e-9223372036854775808", "ERR-3");
    expect_canon("-0", "0");
    expect_canon("-0.000", "0");
    expect_canon("+0", "0");
    expect_canon("1.50", "1.5");
    expect_canon("1e3", "1000");
    expect_canon("1.5E+3", "1500");
    expect_canon("100", "100");
    expect_canon("0.001", "0.001");
    expect_canon("123.456e-5", "0.00123456");
    expect_canon("123.456e2", "12345.6");
    expect_canon("1E-3", "0.001");
    expect_canon("-1e-130",
                 "-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                 "000000000000000000000000000001");
}

static void test_limits(void)
{
    char big[200];
    /* 1e125 in plain digits */
    big[0] = '1';
    memset(big + 1, '0', 125);
    big[126] = '\0';
    expect_canon("1e125", big);
    expect_canon("9.9999999999999999999999999999999999999E+125",
                 "999999999999999999999999999999999999990000000000000000000000000000000000000000000000000000000000000000000"
                 "000000000000000000000");
    expect_canon("1e126", "ERR-2");
    expect_canon("11e125", "ERR-2");
    expect_canon("-1e126", "ERR-2");
    expect_canon("1e99999999999999", "ERR-2");
    expect_canon("1e-131", "ERR-3");
    expect_canon("0.9e-130", "ERR-3");
    expect_canon("-1e-131", "ERR-3");
    expect_canon("1e-99999999999999", "ERR-3");
    expect_canon("3.1415926535897932384626433832795028841", "3.1415926535897932384626433832795028841");
    expect_canon("314159265358979323846.26433832795028841", "314159265358979323846.26433832795028841");
    expect_canon("3.14159265358979323846264338327950288419", "ERR-4");
    expect_canon("314159265358979323846264338327950288419e30", "ERR-4");
    expect_canon("123456789012345678901234567890123456789", "ERR-4");
    expect_canon("-1.23456789012345678901234567890123456789", "ERR-4");
    /* trailing and leading zeros are not significant */
    expect_canon("1234567890123456789012345678901234567800000", "1234567890123456789012345678901234567800000");
    expect_canon("0.000000000012345678901234567890123456789012345678", "0.000000000012345678901234567890123456789012345678");
    /* overflow is reported before precision, as DynamoDB does */
    expect_canon("1234567890123456789012345678901234567890e200", "ERR-2");

    char msg[256];
    CHECK(strcmp(ddb_num_errmsg(DDB_NUM_EINVALID, "abc", 3, msg, sizeof(msg)),
                 "The parameter cannot be converted to a numeric value: abc") == 0,
          "%s", msg);
    CHECK(strcmp(ddb_num_errmsg(DDB_NUM_EINVALID, "", 0, msg, sizeof(msg)),
                 "The parameter cannot be converted to a numeric value") == 0,
          "%s", msg);
    CHECK(strcmp(ddb_num_errmsg(DDB_NUM_EOVERFLOW, "1e126", 5, msg, sizeof(msg)),
                 "Number overflow. Attempting to store a number with magnitude larger than supported range") == 0,
          "%s", msg);
    CHECK(strcmp(ddb_num_strerror(DDB_NUM_EUNDERFLOW),
                 "Number underflow. Attempting to store a number with magnitude smaller than supported range") == 0,
          "underflow message");
    CHECK(strcmp(ddb_num_strerror(DDB_NUM_EPRECISION), "Attempting to store more than 38 significant digits in a Number") == 0,
          "precision message");
}

/* An ascending list: every pair is checked by ddb_num_cmp and by memcmp of the keys. */
static const char *const ascending[] = {
    "-9.9999999999999999999999999999999999999E+125",
    "-1e125",
    "-123456",
    "-1000",
    "-999.99",
    "-100",
    "-12.35",
    "-12.345",
    "-12.34",
    "-12.3",
    "-12",
    "-1.5",
    "-1",
    "-0.5",
    "-0.05",
    "-1e-130",
    "0",
    "1e-130",
    "1.0000000000000000000000000000000000001e-130",
    "0.05",
    "0.5",
    "0.55",
    "1",
    "1.0000000000000000000000000000000000001",
    "1.5",
    "9",
    "10",
    "10.5",
    "11",
    "99",
    "100",
    "12345678901234567890123456789012345678",
    "1e125",
    "9.9999999999999999999999999999999999999E+125",
};

static int keycmp(const ddb_num_t *a, const ddb_num_t *b)
{
    unsigned char ka[DDB_NUM_KEY_MAX], kb[DDB_NUM_KEY_MAX];
    size_t la = ddb_num_key(a, ka), lb = ddb_num_key(b, kb);
    CHECK(la <= DDB_NUM_KEY_MAX && lb <= DDB_NUM_KEY_MAX, "key too long");
    int c = memcmp(ka, kb, la < lb ? la : lb);
    if (c == 0)
        c = (la > lb) - (la < lb);
    return (c > 0) - (c < 0);
}

static void test_order(void)
{
    size_t n = sizeof(ascending) / sizeof(ascending[0]);
    ddb_num_t v[sizeof(ascending) / sizeof(ascending[0])];
    for (size_t i = 0; i < n; i++)
        CHECK(parse(ascending[i], &v[i]) == DDB_NUM_OK, "parse %s", ascending[i]);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int want = (i > j) - (i < j);
            int got = ddb_num_cmp(&v[i], &v[j]);
            CHECK(((got > 0) - (got < 0)) == want, "cmp(%s, %s) = %d", ascending[i], ascending[j], got);
            CHECK(keycmp(&v[i], &v[j]) == want, "keycmp(%s, %s) wrong", ascending[i], ascending[j]);
        }
    /* equal numbers spelled differently: equal compare and identical keys */
    ddb_num_t a, b;
    parse("1.50", &a);
    parse("15e-1", &b);
    CHECK(ddb_num_cmp(&a, &b) == 0 && keycmp(&a, &b) == 0, "1.50 == 15e-1");
    parse("-0", &a);
    parse("0.000", &b);
    CHECK(ddb_num_cmp(&a, &b) == 0 && keycmp(&a, &b) == 0, "-0 == 0.000");
}

/* a op b as canonical text, or "ERR<rc>". */
static const char *arith(const char *as, char op, const char *bs)
{
    static char buf[DDB_NUM_TEXT_MAX + 16];
    ddb_num_t a, b, r;
    if (parse(as, &a) != DDB_NUM_OK || parse(bs, &b) != DDB_NUM_OK)
        return "BADARG";
    int rc = op == '+' ? ddb_num_add(&a, &b, &r) : ddb_num_sub(&a, &b, &r);
    if (rc != DDB_NUM_OK)
        snprintf(buf, sizeof(buf), "ERR%d", rc);
    else
        ddb_num_format(&r, buf);
    return buf;
}

static void expect_arith(const char *a, char op, const char *b, const char *want)
{
    const char *got = arith(a, op, b);
    CHECK(strcmp(got, want) == 0, "%s %c %s = %s, want %s", a, op, b, got, want);
}

static void test_arith(void)
{
    expect_arith("1", '+', "1", "2");
    expect_arith("1", '+', "10000000000000000000000", "10000000000000000000001");
    expect_arith("10000000000000000000000", '-', "1", "9999999999999999999999");
    expect_arith("0.1", '+', "0.2", "0.3");
    expect_arith("1.5", '-', "1.5", "0");
    expect_arith("1.5", '-', "2", "-0.5");
    expect_arith("-1.5", '+', "2", "0.5");
    expect_arith("-1.5", '-', "2", "-3.5");
    expect_arith("-1.5", '-', "-2", "0.5");
    expect_arith("0", '-', "5", "-5");
    expect_arith("5", '-', "0", "5");
    expect_arith("0", '+', "0", "0");
    expect_arith("99999999999999999999999999999999999999", '+', "1", "100000000000000000000000000000000000000");
    expect_arith("0.99", '+', "0.01", "1");
    expect_arith("1e-130", '+', "1e-130",
                 "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                 "000000000000000000000000000002");
    /* DynamoDB answers an inexact sum (more than 38 digits) with the overflow message */
    expect_arith("1e50", '+', "1", "ERR-2");
    expect_arith("1e50", '-', "1", "ERR-2");
    expect_arith("1", '+', "1e-40", "ERR-2");
    expect_arith("9e125", '+', "9e125", "ERR-2");
    expect_arith("9e125", '-', "-9e125", "ERR-2");
    expect_arith("-9e125", '-', "9e125", "ERR-2");
    expect_arith("1.5e-130", '-', "1.4e-130", "ERR-3");
    expect_arith("1e125", '+', "1e-130", "ERR-2");
    /* aliasing the output with an input */
    ddb_num_t a, b;
    parse("2.5", &a);
    parse("0.5", &b);
    CHECK(ddb_num_add(&a, &b, &a) == DDB_NUM_OK && ddb_num_cmp(&a, &(ddb_num_t){.sign = 1, .ndigits = 1, .digits = {3}}) == 0,
          "aliasing add");
}

static void expect_size(const char *s, size_t want)
{
    ddb_num_t n;
    CHECK(parse(s, &n) == DDB_NUM_OK, "parse %s", s);
    size_t got = ddb_num_size(&n);
    CHECK(got == want, "size(%s) = %zu, want %zu", s, got, want);
}

static void test_size(void)
{
    /* figures measured against DynamoDB (accept/reject at the 400 KB gate) */
    expect_size("0", 1);
    expect_size("1", 2);
    expect_size("12", 2);
    expect_size("123", 3);
    expect_size("1234", 3);
    expect_size("12345678901234567890123456789012345678", 20);
    expect_size("0042", 2);
    expect_size("100", 2);
    expect_size("1010", 3);
    expect_size("0.0000001", 2);
    expect_size("1E125", 2);
    expect_size("1E-100", 2);
    expect_size("1.5", 3);
    expect_size("15", 2);
    expect_size("1.2", 3);
    expect_size("1.200", 3);
    expect_size("1.234", 4);
    expect_size("3.14159", 5);
    expect_size("123456", 4);
    expect_size("100.5", 4);
    expect_size("0.15", 2);
    expect_size("-42", 3);
    expect_size("-0", 1);
}

int main(void)
{
    test_syntax();
    test_limits();
    test_order();
    test_arith();
    test_size();
    return check_summary();
}
