/* call.h - one AWS operation call, as a service sees it.
 *
 * protocol/ decodes a request (JSON 1.0, query form, REST-JSON) into a call:
 * the operation, the caller's account and region, and the input as a JSON tree
 * in the shape of the operation's input. The service answers by writing the
 * output object into c->out (JSON) or by raising an error with call_error();
 * protocol/ renders either in the request's own wire format. The call lives in
 * its request's memory pool until it is answered; nothing here is freed by hand.
 *
 * A service may park a call (return CALL_PARKED) and answer it later with
 * call_finish(), from a timer or an event: SQS long polls and Lambda Invoke. */
#ifndef AWSEMU_CALL_H
#define AWSEMU_CALL_H

#include <h2o/memory.h>
#include <stdarg.h>
#include <yajl/yajl_tree.h>

#include "jsonw.h"
#include "model.h"

enum { CALL_ERROR = -1, CALL_DONE = 0, CALL_PARKED = 1 };

struct service;
struct call_http; /* private to protocol/ */

typedef struct call {
    h2o_mem_pool_t *pool; /* request lifetime */
    const struct service *svc;
    const model_op_t *op;
    const char *op_name;
    const char *account;    /* 12 digits */
    const char *region;     /* e.g. us-east-1 */
    const char *access_key; /* from SigV4, or "" */
    const char *host;       /* the request's Host header (host[:port]), for URLs we hand out */
    const char *request_id; /* x-amzn-RequestId */
    const char *trace_header; /* the request's X-Amzn-Trace-Id (X-Ray), or NULL */
    yajl_val in;            /* input object; never NULL */
    h2o_iovec_t body;       /* raw request body (REST payload members, e.g. Lambda Invoke) */
    jw_t out;               /* output object; left empty means {} */
    h2o_iovec_t out_payload; /* REST: raw body for an output "payload" blob member */
    const char *out_content_type; /* with out_payload; NULL = application/json */
    const char *err_code;   /* set by call_error() */
    const char *err_msg;
    const char *err_msg_key; /* the error body's member for err_msg when the service names it otherwise; NULL = the protocol's */
    void *svc_data;         /* the service's own state for a parked call */
    struct call_http *http;
} call_t;

/* Raises an AWS error: code is the AWS error code ("QueueDoesNotExist"), the
 * message is formatted into the call's pool. Returns CALL_ERROR. On error,
 * members already written to c->out (as one object) join the error body, e.g.
 * DynamoDB's CancellationReasons. */
int call_error(call_t *c, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Answers a parked call with rc (CALL_DONE or CALL_ERROR). */
void call_finish(call_t *c, int rc);

/* Streams a parked call's answer: call_stream_start sends the status and headers that c->out (and
 * c->out_content_type) render as call_finish would, then the body goes out piece by piece as
 * call_stream_send gives it, until call_stream_end (after which c is gone). If the client goes away
 * first, gone(data) runs and c must not be used again. */
void call_stream_start(call_t *c, void (*gone)(void *data), void *data);
void call_stream_send(call_t *c, const void *bytes, size_t len);
void call_stream_end(call_t *c);

/* 1 when the client of a parked call has hung up (its answer would go nowhere). */
int call_client_gone(call_t *c);

/* Pool helpers. */
char *call_strdup(call_t *c, const char *s);
char *call_strndup(call_t *c, const char *s, size_t len);
char *call_sprintf(call_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *call_alloc(call_t *c, size_t size); /* zeroed */

/* Input accessors: the member of c->in (or of any object) named key, if of that type. */
const char *in_str(yajl_val obj, const char *key);   /* string or NULL */
int in_int(yajl_val obj, const char *key, long long *out); /* 1 if an integer number is there */
int in_bool(yajl_val obj, const char *key, int *out);
yajl_val in_obj(yajl_val obj, const char *key);      /* object or NULL */
yajl_val in_arr(yajl_val obj, const char *key);      /* array or NULL */
yajl_val in_get(yajl_val obj, const char *key);      /* any value or NULL */
size_t arr_len(yajl_val a);                          /* elements of an array, 0 for anything else (NULL too) */

#endif
