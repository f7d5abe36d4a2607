/* validate.h - generic validation of a request's input tree against its model shape.
 *
 * Pure: no call, no HTTP. The input is the yajl tree the protocol decoders
 * build (numbers keep their text in u.number.r; JSON null counts as absent).
 * Two passes, as AWS's Coral front end does:
 *   1. types: the first member whose JSON type does not fit its shape fails
 *      the whole request (DynamoDB/SQS: SerializationException with Coral's
 *      texts, e.g. "NUMBER_VALUE cannot be converted to String"; Lambda:
 *      InvalidRequestContentException with Jackson's);
 *   2. constraints (DynamoDB, Lambda): required members, string/blob/list/map
 *      lengths, number ranges, enums and regex patterns, reported together in
 *      AWS's format, at most 10, in model member order:
 *      "2 validation errors detected: Value null at 'tableName' failed to
 *      satisfy constraint: Member must not be null; Value '[]' at 'keySchema'
 *      failed to satisfy constraint: Member must have length greater than or
 *      equal to 1" (ValidationException).
 *      SQS checks only required members, one at a time, in its own words:
 *      MissingParameter "The request must contain the parameter QueueName."
 *      (SQS's model has no lengths or patterns, and its enums name attributes
 *      whose errors are the service's own: InvalidAttributeName).
 * The style is chosen from the service (model_service_t.name).
 *
 * Patterns are the model's Java regexes, translated to POSIX ERE and compiled
 * once, lazily (process lifetime cache). Patterns that cannot be translated
 * (\p{..} classes, look-arounds, \u escapes above ASCII, ...) are skipped, so
 * the member is accepted as if it had no pattern. */
#ifndef AWSEMU_VALIDATE_H
#define AWSEMU_VALIDATE_H

#include <h2o/memory.h>
#include <yajl/yajl_tree.h>

#include "model.h"

typedef struct {
    const char *code;    /* AWS error code: ValidationException, SerializationException,
                          * InvalidRequestContentException, MissingParameter, InvalidParameterValue */
    const char *message; /* AWS's text, from the pool */
    int http_status;     /* always 400: every code above is a client error (errors.c maps their __type) */
} validate_error_t;

/* Validates the input tree of an operation (shape = op->input). in may be an
 * empty object; NULL counts as {}. Returns 0, or -1 with err filled. */
int validate_input(const model_service_t *svc, int shape, yajl_val in, h2o_mem_pool_t *pool, validate_error_t *err);

/* The same for any value against any shape, the path naming it in messages
 * (e.g. "tableName"): lets a service apply a model shape the operation's own
 * input does not use, e.g. DynamoDB's TableName (3..255, [a-zA-Z0-9_.-]+) to a
 * CreateTable name that is not an ARN. */
int validate_value(const model_service_t *svc, int shape, yajl_val v, const char *path, h2o_mem_pool_t *pool,
                   validate_error_t *err);

/* v as AWS renders a value of the shape in a constraint message (Java's toString:
 * "[KeySchemaElement(attributeName=k, keyType=HASH)]"), from the pool: for a rule the
 * service checks itself in the model's words. */
const char *validate_render(const model_service_t *svc, int shape, yajl_val v, h2o_mem_pool_t *pool);

/* Java 8's HashMap (and HashSet) bucket of the string s (String.hashCode, its ASCII/UTF-8 bytes standing for UTF-16
 * units), in a map of n entries made with the default capacity. */
uint32_t validate_java_bucket(const char *s, int n);

/* order: the n entries by bucket, those of one bucket in the order given, as a Java 8 HashMap iterates what was
 * added in that order (an insertion sort: n is small). */
void validate_bucket_order(const uint32_t *bucket, int n, int *order);

#endif
