/* decimal.h - decimal number text, scanned without a double.
 *
 * DynamoDB's N values and SQS's Number message attributes are both read by AWS as exact decimals (Java's
 * BigDecimal) and held to a precision and a range of their own. decimal_scan() reads the text once and
 * reports what both checks need: the sign, the significant digits (leading and trailing zeros trimmed)
 * and the power of ten of the first one. Each service applies its own limits (ddb_number.c, sqs_message.c). */
#ifndef AWSEMU_DECIMAL_H
#define AWSEMU_DECIMAL_H

#include <stddef.h>

#define DECIMAL_DIGITS_KEPT 38         /* the most significant digits kept: DynamoDB's and SQS's precision */
#define DECIMAL_EXP_SATURATE 100000000 /* |exp| and ndigits are capped here: beyond any limit, far from overflow */

typedef struct {
    int neg;     /* written with a leading '-' */
    int ndigits; /* significant digits, from the first nonzero one to the last (may pass DECIMAL_DIGITS_KEPT); 0: zero */
    /* The power of ten of the first significant digit; of a zero, that of its first written digit
     * ("0.0" 0, "00" 1, "0e5" 5). Saturated at +-DECIMAL_EXP_SATURATE. */
    int exp;
    unsigned char digits[DECIMAL_DIGITS_KEPT]; /* the first significant digits, each 0..9 */
} decimal_t;

/* Reads "[+-]digits[.digits][(e|E)[+-]digits]" (at least one mantissa digit, either side of the point): no
 * spaces, no "Infinity" or "NaN", no hex. An exponent past a 64-bit integer is refused, as Java's Long
 * reads it. Returns 0 and fills *out, or -1 when the text is not such a number. */
int decimal_scan(const char *text, size_t len, decimal_t *out);

#endif
