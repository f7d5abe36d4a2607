/* call_http.h - private to protocol/: how a call is tied to its HTTP request and
 * rendered back in the request's wire protocol. Services never include this. */
#ifndef AWSEMU_CALL_HTTP_H
#define AWSEMU_CALL_HTTP_H

#include <h2o.h>
#include <zlib.h>

#include "../services/service.h"
#include "call.h"

typedef enum { PROTO_JSON, PROTO_QUERY, PROTO_REST } proto_t;

struct call_http {
    h2o_req_t *req;
    proto_t proto;
    uint64_t start_us;
    int parked;
    struct http_stream *stream; /* a streamed answer under way */
};

/* A new call for req, served by svc over proto. Identity (account, region,
 * access key) is filled from the request's SigV4 credential scope. */
call_t *call_new(h2o_req_t *req, const service_t *svc, proto_t proto, const char *default_region);

/* Validates c->in against the op's input shape, runs the op, and answers
 * unless it parked. c->op and c->op_name must be set and c->in decoded. */
void call_run(call_t *c);

/* Answers c now in its protocol: success (c->out) or error (c->err_*). */
void call_respond(call_t *c, int rc);

/* What call_respond sends, without sending it: sets req->res (status and
 * headers), writes the request's log line, and returns the body. */
h2o_iovec_t call_render(call_t *c, int rc);

/* Adds the response's Content-Type (type must live as long as the request). */
void call_content_type(h2o_req_t *req, const char *type);

/* Adds a response header. The value is copied into the request pool; the name is
 * not: it must live as long as the request (a literal, a model string, pool memory). */
void call_add_header(h2o_req_t *req, const char *name, const char *value, size_t len);

/* The JSON error body {type_key: type, msg_key: message, ...extra members the
 * service wrote into c->out}, in the call's pool. The message is left out when empty. */
h2o_iovec_t call_error_json(call_t *c, const char *type_key, const char *type, const char *msg_key);

/* Per-protocol rendering for call_render (awsjson.c, restjson.c, query via query.h). */
h2o_iovec_t awsjson_render(call_t *c, int rc);
h2o_iovec_t restjson_render(call_t *c, int rc);

/* 1 for DynamoDB and DynamoDB Streams calls (their own headers and encodings). */
int awsjson_is_dynamodb(const call_t *c);

/* How a service takes text that a C string cannot hold as it is: */
typedef enum {
    AWSJSON_TEXT_REFUSE_NUL, /* a lone surrogate escape becomes '?', as in the Java services; a \u0000 refuses the body */
    AWSJSON_TEXT_SQS,        /* SQS refuses both as characters it does not allow: the tree keeps the surrogate's
                              * encoding (ytree.h) and takes a \u0000 escape for one too */
    AWSJSON_TEXT_NUL,        /* DynamoDB stores a NUL: kept as C0 80 (YTREE_NUL_OVERLONG); surrogates as REFUSE_NUL */
} awsjson_text_t;

/* Parses a JSON request body into a tree owned by pool (freed with it). Returns
 * 0, or -1 with a SerializationException message in *msg. Empty body = {}. */
int awsjson_parse(h2o_mem_pool_t *pool, const char *body, size_t len, awsjson_text_t text, yajl_val *out, const char **msg);

/* REST-JSON: finds the Lambda op bound to req's method and path, and builds its
 * input (labels, query string, headers, body). 0 bound; -1 no op matches; -2 bad input (error set on c). */
int restjson_bind(call_t *c, h2o_req_t *req);
/* The Lambda op bound to req's method and path, or NULL; nothing is decoded. */
const model_op_t *restjson_find_op(const model_service_t *m, h2o_req_t *req);

/* Error metadata (errors.c): one table for every protocol. */
typedef struct {
    int status;
    const char *json_type; /* full __type, e.g. com.amazonaws.sqs#QueueDoesNotExist */
    const char *query_code; /* SQS query code, e.g. AWS.SimpleQueueService.NonExistentQueue */
    int sender_fault;
    const char *message_key; /* the exception shape's message member as the model spells it
                              * ("message" or "Message"); "Message" when the model has none */
} error_info_t;
void errors_lookup(const service_t *svc, const char *code, h2o_mem_pool_t *pool, error_info_t *out);

/* CRC32 (IEEE) of a buffer, as DynamoDB's x-amz-crc32 header wants it: zlib's, which does
 * 3.2 GB/s here where the slicing-by-8 table loop it replaced did 1.8 (a 1 MB Scan page). */
static inline uint32_t crc32_of(const void *data, size_t len)
{
    return (uint32_t)crc32_z(0, data, len);
}

#endif
