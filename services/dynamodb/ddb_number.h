/* ddb_number.h - DynamoDB numbers: exact decimals, never doubles.
 *
 * DynamoDB numbers have at most 38 significant digits and a magnitude of
 * 1E-130 .. 9.9999999999999999999999999999999999999E+125 (or zero). This module
 * parses and validates number text with DynamoDB's own error messages, prints
 * the canonical text DynamoDB returns (plain decimal notation, no exponent, no
 * trailing fraction zeros, no leading zeros, "-0" -> "0"), compares, adds and
 * subtracts exactly, and encodes a number into bytes whose memcmp order is the
 * numeric order (SQLite BLOB sort keys).
 *
 * A ddb_num_t is a plain value (no heap); copy it freely. */
#ifndef AWSEMU_DDB_NUMBER_H
#define AWSEMU_DDB_NUMBER_H

#include <stddef.h>

#define DDB_NUM_MAX_DIGITS 38
#define DDB_NUM_MAX_EXP 125  /* exponent of the leading digit, largest */
#define DDB_NUM_MIN_EXP -130 /* exponent of the leading digit, smallest */
/* Room for the canonical text of any number, with its NUL: "-0." + 129 zeros + 38 digits. */
#define DDB_NUM_TEXT_MAX 176
/* Room for the key encoding of any number. */
#define DDB_NUM_KEY_MAX 24

typedef struct {
    int sign;                                 /* -1, +1, or 0 when the number is zero (then ndigits == 0) */
    int exp;                                  /* value = d[0].d[1]d[2]... x 10^exp */
    int ndigits;                              /* significant digits, 1..38; digits[0] != 0, digits[ndigits-1] != 0 */
    unsigned char digits[DDB_NUM_MAX_DIGITS]; /* each 0..9 */
} ddb_num_t;

/* Error codes; ddb_num_strerror() gives DynamoDB's message for each. */
enum {
    DDB_NUM_OK = 0,
    DDB_NUM_EINVALID = -1,   /* not a number: "The parameter cannot be converted to a numeric value"
                              * (DynamoDB appends ": <the text>" when the text is not empty;
                              * ddb_num_errmsg() does that) */
    DDB_NUM_EOVERFLOW = -2,  /* "Number overflow. Attempting to store a number with magnitude larger than supported range" */
    DDB_NUM_EUNDERFLOW = -3, /* "Number underflow. Attempting to store a number with magnitude smaller than supported range" */
    DDB_NUM_EPRECISION = -4, /* "Attempting to store more than 38 significant digits in a Number" */
};

/* Parses number text as DynamoDB accepts it: optional sign, digits with an
 * optional '.', optional exponent (e/E, optional sign, digits). Leading zeros
 * and trailing fraction zeros do not count as significant digits. No spaces,
 * no "Infinity"/"NaN", no hex. Returns DDB_NUM_OK or a DDB_NUM_E* code. */
int ddb_num_parse(const char *text, size_t len, ddb_num_t *out);

/* DynamoDB's message for a DDB_NUM_E* code (EINVALID without the text). */
const char *ddb_num_strerror(int rc);

/* The complete message for a failed ddb_num_parse(text): like strerror, but
 * EINVALID with a non-empty text reads "...numeric value: <text>". Writes at
 * most cap bytes (NUL-terminated, truncated if needed); returns buf. */
char *ddb_num_errmsg(int rc, const char *text, size_t len, char *buf, size_t cap);

/* How DynamoDB reads a number where Java's BigDecimal reads it first (PartiQL's literals and parameters, the older
 * value layer) before its own number rules: DDB_NUM_EINVALID
 * when the exponent or the scale (digits after the point less the exponent) does not fit a 32-bit integer;
 * DDB_NUM_EUNDERFLOW / DDB_NUM_EOVERFLOW when the magnitude (precision less scale), computed in 32 bits, wraps (by
 * the wrapped sign: 1e2147483647 is an underflow); DDB_NUM_OK when the ordinary rules (ddb_num_parse()) decide. */
int ddb_num_bigdecimal_check(const char *s, size_t len);

/* Canonical text (what DynamoDB returns): plain notation, e.g. "1000",
 * "-0.015", "0". buf needs DDB_NUM_TEXT_MAX bytes; returns the length (no NUL). */
size_t ddb_num_format(const ddb_num_t *n, char *buf);

/* Numeric order: <0, 0, >0. */
int ddb_num_cmp(const ddb_num_t *a, const ddb_num_t *b);

/* Exact a + b and a - b (out may alias a or b). A result that needs more than
 * 38 significant digits, or leaves the range, fails as DynamoDB fails an
 * UpdateExpression or ADD with that result (DDB_NUM_EPRECISION /
 * DDB_NUM_EOVERFLOW / DDB_NUM_EUNDERFLOW); out is then unchanged. */
int ddb_num_add(const ddb_num_t *a, const ddb_num_t *b, ddb_num_t *out);
int ddb_num_sub(const ddb_num_t *a, const ddb_num_t *b, ddb_num_t *out);

/* Order-preserving encoding: memcmp (shorter-prefix-first, as SQLite compares
 * BLOBs) of two encodings orders them as the numbers. out needs DDB_NUM_KEY_MAX
 * bytes; returns the length. Equal numbers give equal bytes. */
size_t ddb_num_key(const ddb_num_t *n, unsigned char *out);

/* The number's share of an item's size: DynamoDB's "1 byte per two
 * significant digits, plus 1 byte" (the significant digits counted from the
 * first to the last non-zero digit of the plain notation). Zero counts 1. */
size_t ddb_num_size(const ddb_num_t *n);

#endif
