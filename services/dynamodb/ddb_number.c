/* ddb_number.c - DynamoDB exact decimal numbers (see ddb_number.h).
 *
 * Owns DynamoDB's range and precision rules and their messages (the syntax is decimal.c's),
 * the canonical text, exact addition/subtraction and the order-preserving key
 * bytes, and the check Java's BigDecimal makes before those rules where DynamoDB reads
 * a number with it. Numbers are sign + up to 38 decimal digits + exponent; arithmetic is
 * done digit by digit in a window wide enough for any two valid operands, so
 * nothing is ever rounded and no double is involved. */
#include "services/dynamodb/ddb_number.h"

#include "services/decimal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Digit window for exact sums: from 10^(MAX_EXP+1) (carry) down to the last
 * digit of the smallest number, 10^(MIN_EXP-37). */
#define SUM_TOP (DDB_NUM_MAX_EXP + 1)
#define SUM_BOTTOM (DDB_NUM_MIN_EXP - DDB_NUM_MAX_DIGITS + 1)
#define SUM_WIDTH (SUM_TOP - SUM_BOTTOM + 1)
_Static_assert(DDB_NUM_MAX_DIGITS == DECIMAL_DIGITS_KEPT, "decimal_scan keeps as many digits as a number holds");

/* Checks value range and precision of a normalized number (DynamoDB's order:
 * overflow, underflow, then precision). */
static int check_range(int exp, int ndigits, int too_many)
{
    if (exp > DDB_NUM_MAX_EXP)
        return DDB_NUM_EOVERFLOW;
    if (exp < DDB_NUM_MIN_EXP)
        return DDB_NUM_EUNDERFLOW;
    return ndigits > DDB_NUM_MAX_DIGITS ? too_many : DDB_NUM_OK;
}

int ddb_num_parse(const char *s, size_t len, ddb_num_t *out)
{
    decimal_t d;
    if (decimal_scan(s, len, &d) != 0)
        return DDB_NUM_EINVALID;
    int rc = check_range(d.exp, d.ndigits, DDB_NUM_EPRECISION); /* a zero too: range-checked by the exponent it is
                                                                   written with (numberExponent.test.ts) */
    if (rc != DDB_NUM_OK)
        return rc;
    *out = (ddb_num_t){.sign = d.ndigits == 0 ? 0 : d.neg ? -1 : 1, .exp = d.ndigits == 0 ? 0 : d.exp, .ndigits = d.ndigits};
    memcpy(out->digits, d.digits, (size_t)d.ndigits);
    return DDB_NUM_OK;
}

const char *ddb_num_strerror(int rc)
{
    switch (rc) {
    case DDB_NUM_OK:
        return "";
    case DDB_NUM_EOVERFLOW:
        return "Number overflow. Attempting to store a number with magnitude larger than supported range";
    case DDB_NUM_EUNDERFLOW:
        return "Number underflow. Attempting to store a number with magnitude smaller than supported range";
    case DDB_NUM_EPRECISION:
        return "Attempting to store more than 38 significant digits in a Number";
    default:
        return "The parameter cannot be converted to a numeric value";
    }
}

char *ddb_num_errmsg(int rc, const char *text, size_t len, char *buf, size_t cap)
{
    if (rc == DDB_NUM_EINVALID && len > 0)
        snprintf(buf, cap, "%s: %.*s", ddb_num_strerror(rc), (int)len, text);
    else
        snprintf(buf, cap, "%s", ddb_num_strerror(rc));
    return buf;
}

size_t ddb_num_format(const ddb_num_t *n, char *buf)
{
    size_t o = 0;
    if (n->sign == 0) {
        memcpy(buf, "0", 2);
        return 1;
    }
    if (n->sign < 0)
        buf[o++] = '-';
    if (n->exp < 0) {
        buf[o++] = '0';
        buf[o++] = '.';
        for (int z = -n->exp - 1; z > 0; z--)
            buf[o++] = '0';
        for (int d = 0; d < n->ndigits; d++)
            buf[o++] = (char)('0' + n->digits[d]);
    } else {
        int intdigits = n->exp + 1;
        for (int d = 0; d < intdigits; d++)
            buf[o++] = d < n->ndigits ? (char)('0' + n->digits[d]) : '0';
        if (n->ndigits > intdigits) {
            buf[o++] = '.';
            for (int d = intdigits; d < n->ndigits; d++)
                buf[o++] = (char)('0' + n->digits[d]);
        }
    }
    buf[o] = '\0';
    return o;
}

/* Compares magnitudes of two non-zero numbers. */
static int cmp_abs(const ddb_num_t *a, const ddb_num_t *b)
{
    if (a->exp != b->exp)
        return a->exp < b->exp ? -1 : 1;
    int n = a->ndigits < b->ndigits ? a->ndigits : b->ndigits;
    for (int i = 0; i < n; i++)
        if (a->digits[i] != b->digits[i])
            return a->digits[i] < b->digits[i] ? -1 : 1;
    return (a->ndigits > b->ndigits) - (a->ndigits < b->ndigits);
}

int ddb_num_cmp(const ddb_num_t *a, const ddb_num_t *b)
{
    if (a->sign != b->sign)
        return a->sign < b->sign ? -1 : 1;
    if (a->sign == 0)
        return 0;
    return a->sign * cmp_abs(a, b);
}

/* Spreads |n| into a digit window indexed by exponent - SUM_BOTTOM. */
static void to_window(const ddb_num_t *n, unsigned char *w)
{
    memset(w, 0, SUM_WIDTH);
    for (int d = 0; d < n->ndigits; d++)
        w[n->exp - d - SUM_BOTTOM] = n->digits[d];
}

/* |a| + |b| (sub = 0) or |a| - |b| with |a| >= |b| (sub = 1), into w. */
static void window_op(const ddb_num_t *a, const ddb_num_t *b, int sub, unsigned char *w)
{
    unsigned char wb[SUM_WIDTH];
    to_window(a, w);
    to_window(b, wb);
    int carry = 0;
    for (int i = 0; i < SUM_WIDTH; i++) {
        int v = sub ? w[i] - wb[i] - carry : w[i] + wb[i] + carry;
        carry = sub ? v < 0 : v > 9;
        w[i] = (unsigned char)(sub ? (v < 0 ? v + 10 : v) : (v > 9 ? v - 10 : v));
    }
}

/* Reads a window back into a number of the given sign, checking DynamoDB's
 * limits. A result needing more than 38 digits fails with the overflow
 * message: that is what DynamoDB answers for e.g. 1E50 + 1. */
static int from_window(const unsigned char *w, int sign, ddb_num_t *out)
{
    int hi = SUM_WIDTH - 1, lo = 0;
    while (hi >= 0 && w[hi] == 0)
        hi--;
    if (hi < 0) {
        memset(out, 0, sizeof(*out));
        return DDB_NUM_OK;
    }
    while (w[lo] == 0)
        lo++;
    int rc = check_range(hi + SUM_BOTTOM, hi - lo + 1, DDB_NUM_EOVERFLOW);
    if (rc != DDB_NUM_OK)
        return rc;
    ddb_num_t n = {.sign = sign, .exp = hi + SUM_BOTTOM, .ndigits = hi - lo + 1};
    for (int d = 0; d < n.ndigits; d++)
        n.digits[d] = w[hi - d];
    *out = n;
    return DDB_NUM_OK;
}

/* a + sign_b * b */
static int add_signed(const ddb_num_t *a, const ddb_num_t *b, int bsign, ddb_num_t *out)
{
    unsigned char w[SUM_WIDTH];
    if (bsign == 0) {
        *out = *a;
        return DDB_NUM_OK;
    }
    if (a->sign == 0) {
        ddb_num_t r = *b;
        r.sign = bsign;
        *out = r;
        return DDB_NUM_OK;
    }
    if (a->sign == bsign) {
        window_op(a, b, 0, w);
        return from_window(w, a->sign, out);
    }
    int c = cmp_abs(a, b);
    if (c == 0) {
        memset(out, 0, sizeof(*out));
        return DDB_NUM_OK;
    }
    if (c > 0) {
        window_op(a, b, 1, w);
        return from_window(w, a->sign, out);
    }
    window_op(b, a, 1, w);
    return from_window(w, bsign, out);
}

int ddb_num_add(const ddb_num_t *a, const ddb_num_t *b, ddb_num_t *out)
{
    return add_signed(a, b, b->sign, out);
}

int ddb_num_sub(const ddb_num_t *a, const ddb_num_t *b, ddb_num_t *out)
{
    return add_signed(a, b, -b->sign, out);
}

/* Layout: class byte (0x01 negative, 0x02 zero, 0x03 positive), then for
 * non-zero numbers the exponent byte (exp + 130: 0..255) and the digits packed
 * two per byte as (digit + 1) nibbles, a missing last nibble being 0; so a
 * shorter digit string that is a prefix sorts first, as its number is smaller.
 * Negative numbers store the complement of every byte after the class byte and
 * end with 0xFF, so that larger magnitudes sort first and a prefix sorts last. */
size_t ddb_num_key(const ddb_num_t *n, unsigned char *out)
{
    size_t o = 0;
    out[o++] = (unsigned char)(n->sign + 2);
    if (n->sign == 0)
        return o;
    unsigned char mask = n->sign < 0 ? 0xFF : 0x00;
    out[o++] = (unsigned char)(n->exp - DDB_NUM_MIN_EXP) ^ mask;
    for (int d = 0; d < n->ndigits; d += 2) {
        unsigned hi = n->digits[d] + 1u, lo = d + 1 < n->ndigits ? n->digits[d + 1] + 1u : 0u;
        out[o++] = (unsigned char)(hi << 4 | lo) ^ mask;
    }
    if (n->sign < 0)
        out[o++] = 0xFF;
    return o;
}

/* floor(a / 2) for any sign. */
static int floor_half(int a)
{
    return a >= 0 ? a / 2 : -((1 - a) / 2);
}

/* DynamoDB stores base-100 digits aligned on the decimal point: one byte per
 * pair of decimal positions from the first to the last significant digit,
 * plus one byte of exponent, plus one for a negative number. Measured against
 * AWS: "3.14159" costs 5, "123456" costs 4, "-42" costs 3, "0" costs 1. */
size_t ddb_num_size(const ddb_num_t *n)
{
    if (n->sign == 0)
        return 1;
    int last = n->exp - n->ndigits + 1;
    int pairs = floor_half(n->exp) - floor_half(last) + 1;
    return (size_t)(1 + pairs + (n->sign < 0));
}

int ddb_num_bigdecimal_check(const char *s, size_t len)
{
    const char *end = s + len;
    long long exp = 0, frac = 0, prec = 0;
    int dot = 0, nonzero = 0, neg;
    s += s < end && (*s == '+' || *s == '-');
    for (; s < end && (isdigit((unsigned char)*s) || (*s == '.' && !dot)); s++) {
        dot |= *s == '.';
        if (*s == '.')
            continue;
        frac += dot;
        nonzero |= *s != '0';
        prec += nonzero;
    }
    if (s == end || (*s != 'e' && *s != 'E'))
        return DDB_NUM_OK; /* no exponent: the ordinary rules */
    s++;
    neg = s < end && *s == '-';
    s += s < end && (*s == '+' || *s == '-');
    if (s == end || !isdigit((unsigned char)*s))
        return DDB_NUM_OK;
    for (; s < end && isdigit((unsigned char)*s); s++)
        if ((exp = exp * 10 + (*s - '0')) > (long long)INT32_MAX + 1)
            return DDB_NUM_EINVALID;
    if (s != end)
        return DDB_NUM_OK;
    exp = neg ? -exp : exp;
    long long scale = frac - exp, magnitude = (prec ? prec : 1) - scale;
    if (exp > INT32_MAX || exp < INT32_MIN || scale > INT32_MAX || scale < INT32_MIN)
        return DDB_NUM_EINVALID;
    if (!nonzero || magnitude == (int32_t)magnitude) /* zero has no magnitude to check */
        return DDB_NUM_OK;
    return (int32_t)(uint32_t)magnitude < 0 ? DDB_NUM_EUNDERFLOW : DDB_NUM_EOVERFLOW;
}
