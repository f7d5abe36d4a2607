/* runtime_api.h - the Lambda Runtime API wire (2018-06-01), one loopback
 * listener per execution environment.
 *
 * A runtime (bootstrap) polls GET /2018-06-01/runtime/invocation/next, which is
 * parked until the service delivers an event; it answers with POST
 * .../invocation/{id}/response or .../invocation/{id}/error, or reports a
 * failed start with POST .../init/error. A response posted with
 * Lambda-Runtime-Function-Response-Mode: streaming is handed on piece by piece as
 * its chunks come, and a failure mid-stream arrives in its trailers
 * (Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body in
 * base64). This file knows only HTTP/1.1 (served here over the loop's sockets)
 * and the Lambda-Runtime-* headers; the Lambda service plugs in through
 * runtime_api_ops_t. */
#ifndef AWSEMU_RUNTIME_API_H
#define AWSEMU_RUNTIME_API_H

#include <stddef.h>
#include <stdint.h>

/* The largest result the Runtime API takes (Lambda's 6 MB and 100 bytes). */
#define RUNTIME_API_MAX_RESPONSE 6291556
#define RUNTIME_API_MAX_STREAM (200 << 20) /* a streamed response's limit (the developer guide: "up to 200 MB") */

typedef struct runtime_api runtime_api_t;
typedef struct runtime_api_next runtime_api_next_t; /* a parked /invocation/next request */

typedef struct {
    const char *request_id;
    int64_t deadline_ms; /* epoch ms */
    const char *function_arn;
    const char *trace_id;
    const char *client_context;   /* JSON text or NULL */
    const char *cognito_identity; /* JSON text or NULL */
    const char *payload;
    size_t len;
} runtime_api_event_t;

/* What the service makes of a result the runtime posts, answered as Lambda's Runtime API does. */
typedef enum {
    RUNTIME_API_ACCEPTED = 0,     /* 202 */
    RUNTIME_API_INVALID_ID,       /* 400 InvalidRequestID: not the running invocation's id */
    RUNTIME_API_ALREADY_ANSWERED, /* 403 InvalidStateTransition: the runtime has answered since its last /next */
    RUNTIME_API_TOO_LARGE,        /* 413 RequestEntityTooLarge: over RUNTIME_API_MAX_RESPONSE (the invocation failed) */
} runtime_api_rc_t;

typedef struct {
    /* A runtime asks for work: keep n and answer it with runtime_api_deliver(). */
    void (*next)(void *data, runtime_api_next_t *n);
    /* A parked next went away (connection closed) before it was answered. */
    void (*next_gone)(void *data, runtime_api_next_t *n);
    /* The result of an invocation. Over RUNTIME_API_MAX_RESPONSE body may be NULL: one past the Runtime API's own
     * read limit is dropped as it comes and only its length told. */
    runtime_api_rc_t (*response)(void *data, const char *request_id, const char *body, size_t len);
    runtime_api_rc_t (*error)(void *data, const char *request_id, const char *error_type, const char *body, size_t len);
    void (*init_error)(void *data, const char *error_type, const char *body, size_t len);
    /* A streamed response: stream_start once its headers are in (content_type as sent, or NULL; a refusal other than
     * RUNTIME_API_ACCEPTED is given once the rest is read), stream_data for each piece of its body as it comes (a
     * refusal drops the rest, and is given at its end), stream_end at its end: error_type NULL when it ended well,
     * else its trailers' error type and decoded body. */
    runtime_api_rc_t (*stream_start)(void *data, const char *request_id, const char *content_type);
    runtime_api_rc_t (*stream_data)(void *data, const char *bytes, size_t len);
    void (*stream_end)(void *data, const char *error_type, const char *error_body, size_t len);
} runtime_api_ops_t;

/* Listens on host:(any free port); NULL on failure. */
runtime_api_t *runtime_api_open(const char *host, const runtime_api_ops_t *ops, void *data);
int runtime_api_port(const runtime_api_t *api);
/* Detaches the API from its environment (a parked next is dropped: its runtime is
 * going away) and closes its port; the next open listens on a new one, and the
 * connections made before it get 410 Gone. */
void runtime_api_close(runtime_api_t *api);
/* Frees all closed APIs (at shutdown: a stale connection could still name them,
 * so only call it when the loop stops). */
void runtime_api_shutdown(void);
/* Answers a parked next with an event. */
void runtime_api_deliver(runtime_api_next_t *n, const runtime_api_event_t *ev);

#endif
