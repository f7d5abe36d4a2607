/* query.h - the AWS query protocol (SQS's older wire format): form in, XML out.
 *
 * Old clients (boto3 1.26, aws CLI v2.9) POST application/x-www-form-urlencoded
 * bodies (or GET with the same parameters in the query string) such as
 *   Action=SendMessage&Version=2012-11-05&QueueUrl=...&MessageAttribute.1.Name=a&
 *   MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=x
 * and expect XML replies. Services see neither: query_decode turns the form into
 * the JSON input tree of the operation (what a JSON 1.0 client would have sent),
 * and query_render_output turns the JSON output the service wrote into the XML
 * response; query_render_error renders an <ErrorResponse>. All of it is driven
 * by the model tables (query names, flattened lists and maps, result wrappers).
 *
 * Everything here is pure: bytes, model pointers and a memory pool in, pool
 * memory out. Nothing is freed by hand; it all lives as long as the pool. */
#ifndef AWSEMU_QUERY_H
#define AWSEMU_QUERY_H

#include <h2o/memory.h>
#include <yajl/yajl_tree.h>

#include "model.h"

/* Bounds against hostile forms; beyond them query_decode fails. */
#define QUERY_MAX_PARAMS 4096     /* key=value pairs in one request */
#define QUERY_MAX_ELEMS 1000      /* elements of one list or entries of one map */
#define QUERY_MAX_INDEX 100000000 /* largest N in Name.N (indexes need not be dense) */
#define QUERY_MAX_DEPTH 32        /* dotted segments in one key */

/* The content type of query-protocol replies, success and error alike. */
#define QUERY_CONTENT_TYPE "text/xml"

typedef struct {
    const char *action;   /* the Action parameter (pool, NUL-terminated), or NULL when absent */
    const model_op_t *op; /* the operation it names */
    yajl_val in;          /* the input object in the JSON shape of op's input; never NULL on success */
    /* On failure: the AWS error code and message for query_render_error (HTTP 400):
     * MissingAction, InvalidAction, MalformedQueryString. */
    const char *err_code;
    const char *err_msg;
} query_request_t;

/* Decodes a query-protocol request of service svc. The parameters are those of
 * the URL query string followed by those of the form body (either may be empty;
 * a later duplicate key wins). Percent-escapes and '+' are decoded; Action names
 * the operation; Version and SigV4 presign parameters (X-Amz-*) are skipped;
 * parameters the input shape does not know are ignored (lenient, like the
 * JSON side; whether real SQS rejects them was not verified).
 * Values become JSON types by the member's shape: integers, longs and doubles as
 * numbers (text that is not a number stays a string, for the validator to report),
 * booleans from "true"/"false", blobs and timestamps as the strings they are
 * (blobs are base64, as in JSON 1.0). Lists (Name.N, or Name.member.N when not
 * flattened) keep the order of their indexes; maps come from Name.N.Key/Value
 * (or Name.entry.N.key/value); an entry without its key or its value is dropped.
 * A bare Name= (what botocore sends for []) is an empty list, a bare
 * Name=value a one-element list of scalars (AttributeName=All).
 * MalformedQueryString: a broken %-escape or %00, an index that is not 1..
 * QUERY_MAX_INDEX, or more than QUERY_MAX_PARAMS / QUERY_MAX_ELEMS.
 * Returns 0 with out->op and out->in set, or -1 with out->err_code/err_msg set
 * (out->action is set whenever the request named one). All memory is from pool. */
int query_decode(const model_service_t *svc, h2o_iovec_t query, h2o_iovec_t body, h2o_mem_pool_t *pool, query_request_t *out);

/* Renders the successful XML response of op from the JSON output the service
 * wrote (json, len bytes; empty means {}):
 *   <?xml version="1.0"?><{Op}Response xmlns="{svc->xml_namespace}"><{Op}Result>...</{Op}Result>
 *   <ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{Op}Response>
 * Members follow the output shape in model order; members absent or null in the
 * JSON are omitted; an op with an output shape always has its (maybe empty)
 * Result element, one without has none. Returns the document in pool memory,
 * or {NULL, 0} when json does not parse as an object (a bug in the service). */
h2o_iovec_t query_render_output(const model_service_t *svc, const model_op_t *op, const char *json, size_t len,
                                const char *request_id, h2o_mem_pool_t *pool);

/* Renders an error:
 *   <?xml version="1.0"?><ErrorResponse xmlns="{svc->xml_namespace}"><Error><Type>Sender</Type>
 *   <Code>{code}</Code><Message>{message}</Message><Detail/></Error><RequestId>{id}</RequestId></ErrorResponse>
 * code is the AWS error code as services raise it ("QueueDoesNotExist"): when the
 * model has it as an exception shape, its awsQueryError code is used
 * (AWS.SimpleQueueService.NonExistentQueue) and Type comes from its fault;
 * other codes are written as given, Type Sender except for the server-side
 * InternalFailure, InternalError and ServiceUnavailable (Receiver). A message the query
 * protocol words differently is replaced (SQS's NonExistentQueue: "The specified queue does
 * not exist for this wsdl version."). Returns the document in pool memory. */
h2o_iovec_t query_render_error(const model_service_t *svc, const char *code, const char *message, const char *request_id,
                               h2o_mem_pool_t *pool);

#endif
