/* errors.c - the one error table: for an AWS error code raised by a service (or
 * by protocol/ itself), its HTTP status, JSON __type, SQS query code and fault.
 * Services raise an SQS error by its query code; the JSON __type of a few of them
 * is another name (InvalidParameterValue is InvalidParameterValueException there).
 *
 * Codes declared in the service's model take status, query code and fault from
 * the model's error trait. The rest are the codes AWS front ends raise for every
 * service (Coral's validation, serialization, auth and throttling errors) and the
 * query-protocol codes of SQS that the model does not declare. */
#include <string.h>
#include <strings.h>

#include "call_http.h"

typedef struct {
    const char *code;
    int status;
    const char *coral; /* JSON __type namespace when the code is a Coral one, else NULL */
    int sender_fault;
    const char *json_name; /* JSON __type name when not the code itself (SQS), else NULL */
} common_error_t;

static const common_error_t common[] = {
    {"ValidationException", 400, "com.amazon.coral.validate", 1},
    {"SerializationException", 400, "com.amazon.coral.service", 1},
    {"UnknownOperationException", 400, "com.amazon.coral.service", 1},
    {"IncompleteSignatureException", 400, "com.amazon.coral.service", 1},
    {"InvalidSignatureException", 400, "com.amazon.coral.service", 1},
    {"UnrecognizedClientException", 400, "com.amazon.coral.service", 1},
    {"MissingAuthenticationTokenException", 400, "com.amazon.coral.service", 1},
    {"AccessDeniedException", 400, "com.amazon.coral.service", 1},
    {"ThrottlingException", 400, "com.amazon.coral.availability", 1},
    {"RequestEntityTooLarge", 413, "com.amazon.coral.service", 1},
    {"RequestEntityTooLargeException", 413, "com.amazon.coral.service", 1},
    {"InternalFailure", 500, "com.amazon.coral.service", 0},
    {"InternalServerError", 500, NULL, 0},
    {"ServiceUnavailable", 503, "com.amazon.coral.availability", 0},
    /* SQS query-protocol codes the model does not declare */
    {"InvalidAction", 400, NULL, 1},
    {"MissingAction", 400, NULL, 1},
    {"MissingParameter", 400, NULL, 1, "MissingRequiredParameterException"},
    {"InvalidParameterValue", 400, NULL, 1, "InvalidParameterValueException"},
    {"InvalidParameterCombination", 400, NULL, 1},
    {"MalformedQueryString", 400, NULL, 1},
    {"InvalidQueryParameter", 400, NULL, 1},
    {"IncompleteSignature", 400, NULL, 1},
    {"SignatureDoesNotMatch", 403, NULL, 1},
    {"InvalidClientTokenId", 403, NULL, 1},
    {"MissingAuthenticationToken", 403, NULL, 1},
    {"AccessDenied", 403, NULL, 1},
    {"RequestExpired", 400, NULL, 1},
};

static const char *json_namespace(const service_t *svc)
{
    if (strcmp(svc->name, "sqs") == 0)
        return "com.amazonaws.sqs";
    if (strcmp(svc->name, "lambda") == 0)
        return "com.amazonaws.lambda";
    return "com.amazonaws.dynamodb.v20120810";
}

static char *concat(h2o_mem_pool_t *pool, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = h2o_mem_alloc_pool(pool, la + lb + 2);
    memcpy(s, a, la);
    s[la] = '#';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

static const common_error_t *find_common(const char *code)
{
    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        if (strcmp(common[i].code, code) == 0)
            return &common[i];
    return NULL;
}

/* REST-JSON bodies name the message as the exception shape does: Lambda's
 * InvalidParameterValueException has "message", its ResourceNotFoundException "Message". */
static const char *message_key(const model_shape_t *sh)
{
    for (int i = 0; sh && i < sh->nmembers; i++)
        if (strcasecmp(sh->members[i].name, "message") == 0)
            return sh->members[i].name;
    return "Message";
}

void errors_lookup(const service_t *svc, const char *code, h2o_mem_pool_t *pool, error_info_t *out)
{
    const common_error_t *ce = find_common(code);
    const model_service_t *m = svc->model;
    int idx = model_find_shape(m, code);
    const model_shape_t *sh = idx >= 0 && m->shapes[idx].exception ? &m->shapes[idx] : NULL;
    out->status = sh && sh->error_status ? sh->error_status : ce ? ce->status : 400;
    out->sender_fault = sh && sh->error_status ? sh->sender_fault || out->status < 500 : ce ? ce->sender_fault : 1;
    out->query_code = sh && sh->query_code ? sh->query_code : code;
    out->message_key = message_key(sh);
    /* SQS reports every error in its own namespace, with the query code beside it;
     * the others keep Coral's namespaces for Coral's errors. */
    const char *ns = ce && ce->coral && !sh && strcmp(svc->name, "sqs") != 0 ? ce->coral : json_namespace(svc);
    out->json_type = concat(pool, ns, ce && ce->json_name ? ce->json_name : code);
}
