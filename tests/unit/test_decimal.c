/* test_decimal.c - unit tests for services/decimal.c: what decimal_scan reads and what it makes of it
 * (sign, significant digits with leading and trailing zeros trimmed, the first digit's power of ten). */
#include <string.h>

#include "check.h"
#include "services/decimal.h"

static decimal_t scan_ok(const char *s)
{
    decimal_t d = {0};
    CHECK(decimal_scan(s, strlen(s), &d) == 0, "'%s' should scan", s);
    return d;
}

static void expect(const char *s, int neg, int ndigits, int exp)
{
    decimal_t d = scan_ok(s);
    CHECK(d.neg == neg && d.ndigits == ndigits && d.exp == exp, "'%s': neg %d ndigits %d exp %d, want %d %d %d", s, d.neg,
          d.ndigits, d.exp, neg, ndigits, exp);
}

static void test_refused(void)
{
    static const char *const bad[] = {"",  "abc", "NaN",   "Infinity", " 1",   "1 ",  "1e",  "e5", ".",
                                      "-", "+",   "1.2.3", "1e+",      "0x10", "1,5", "--1", "1d", "1e9223372036854775808"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        decimal_t d;
        CHECK(decimal_scan(bad[i], strlen(bad[i]), &d) == -1, "'%s' should be refused", bad[i]);
    }
}

static void test_fields(void)
{
    expect("42", 0, 2, 1);
    expect("-0.0015", 1, 2, -3);
    expect("+1.500e3", 0, 2, 3);
    expect("1000", 0, 1, 3);
    expect(".5", 0, 1, -1);
    expect("5.", 0, 1, 0);
    expect("0", 0, 0, 0);
    expect("0.000", 0, 0, 0);
    expect("000", 0, 0, 2);
    expect(".0", 0, 0, -1);
    expect("0e126", 0, 0, 126);
    expect("1e-9223372036854775808", 0, 1, -DECIMAL_EXP_SATURATE);
    expect("1e9223372036854775807", 0, 1, DECIMAL_EXP_SATURATE);
    /* 40 leading zeros after the point: one significant digit */
    expect("0.00000000000000000000000000000000000000001", 0, 1, -41);
    /* 39 significant digits: counted, the first 38 kept */
    decimal_t d = scan_ok("123456789012345678901234567890123456789");
    CHECK(d.ndigits == 39 && d.exp == 38 && d.digits[0] == 1 && d.digits[37] == 8, "39 digits: %d", d.ndigits);
}

int main(void)
{
    test_refused();
    test_fields();
    return check_summary();
}
