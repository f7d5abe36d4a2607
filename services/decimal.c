/* decimal.c - decimal number text scanned into sign, digits and exponent (see decimal.h). */
#include "decimal.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads "[+-]digits" after an 'e'; saturates. Returns the index after it, or 0 if malformed, or past a 64-bit integer
 * (Java's Long, which DynamoDB reads it as: 1e9223372036854775808 "cannot be converted to a numeric value",
 * paritysuite/dynamodb-conformance limits/numberExponent.test.ts, eu-west-2, October 2026). */
static size_t scan_exponent(const char *s, size_t i, size_t len, long *exp)
{
    int neg = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i >= len || !is_digit(s[i]))
        return 0;
    const unsigned long long limit = neg ? 9223372036854775808ULL : 9223372036854775807ULL;
    unsigned long long full = 0;
    long e = 0;
    for (; i < len && is_digit(s[i]); i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (full > (limit - d) / 10)
            return 0;
        full = full * 10 + d;
        if (e < DECIMAL_EXP_SATURATE)
            e = e * 10 + (long)d;
    }
    *exp = neg ? -e : e;
    return i;
}

static int saturate(long e)
{
    return e < -DECIMAL_EXP_SATURATE ? -DECIMAL_EXP_SATURATE : e > DECIMAL_EXP_SATURATE ? DECIMAL_EXP_SATURATE : (int)e;
}

int decimal_scan(const char *s, size_t len, decimal_t *out)
{
    decimal_t d = {0};
    size_t i = 0;
    int seen_dot = 0;
    long ndig = 0, intlen = 0, first = -1, last = -1; /* indexes among the mantissa digits */
    if (i < len && (s[i] == '+' || s[i] == '-'))
        d.neg = s[i++] == '-';
    for (; i < len; i++) {
        if (s[i] == '.' && !seen_dot) {
            seen_dot = 1;
            continue;
        }
        if (!is_digit(s[i]))
            break;
        if (s[i] != '0') {
            if (first < 0)
                first = ndig;
            last = ndig;
        }
        if (first >= 0 && ndig - first < DECIMAL_DIGITS_KEPT)
            d.digits[ndig - first] = (unsigned char)(s[i] - '0');
        ndig++;
        intlen += !seen_dot;
    }
    long exp10 = 0;
    if (ndig == 0)
        return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E') && (i = scan_exponent(s, i + 1, len, &exp10)) == 0)
        return -1;
    if (i != len)
        return -1;
    if (first < 0) {
        d.exp = saturate(intlen - 1 + exp10);
    } else {
        d.exp = saturate(intlen - 1 - first + exp10);
        d.ndigits = saturate(last - first + 1);
    }
    *out = d;
    return 0;
}
