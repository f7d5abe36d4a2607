/* http.h - the HTTP server: h2o set-up, listeners, and the loop-turn reply queue.
 *
 * One h2o context on one evloop serves the main AWS port (routed by router.c);
 * the same loop accepts on the extra loopback listeners that services ask for
 * (the Lambda Runtime API gives each execution environment a port of its own). */
#ifndef AWSEMU_HTTP_H
#define AWSEMU_HTTP_H

#include <h2o.h>

typedef struct http_listener http_listener_t;
/* A raw h2o handler: return 0 after answering (or parking) the request, -1 to decline. */
typedef int (*http_handler_fn)(h2o_handler_t *self, h2o_req_t *req);

typedef struct {
    const char *host;
    int port;
    size_t max_body;       /* largest request body accepted */
    const char *region;    /* default region when a request names none */
    int auth_sigv4;        /* verify signatures */
    const char *auth_keys; /* "AK:SECRET" list (file path or inline) */
} http_options_t;

/* Creates the loop and binds the main port. 0, or -1 with a message in err. */
int http_start(const http_options_t *opt, char *err, size_t errlen);
h2o_evloop_t *http_loop(void);
h2o_context_t *http_context(void);
/* Stops accepting new connections on every listener. */
void http_stop_accepting(void);
/* Requests received since start (any route or listener): the loop's measure of activity. */
uint64_t http_requests_seen(void);

/* Binds an extra listener on host:port (port 0 = any free port) whose every accepted
 * connection's socket is handed to fn as it is: the caller speaks HTTP on it itself (the
 * Lambda Runtime API, whose streamed responses h2o 2.2 would read whole before a handler
 * saw them). Returns the listener (its port via http_listener_port) or NULL. */
typedef void (*http_conn_fn)(h2o_socket_t *sock, void *data);
http_listener_t *http_listen(const char *host, int port, http_conn_fn fn, void *data);
int http_listener_port(const http_listener_t *l);
/* Counts a request served on an extra listener (http_requests_seen); conn identifies its connection. */
void http_count_request(const void *conn);
/* 1 while the latest requests all came over the same one or two connections: a client that waits for each
 * answer before it asks again (a test, a CLI; an invoke and its function's runtime), whose next request the
 * loop waits for by polling (main.c). */
int http_few_clients(void);
void http_listener_close(http_listener_t *l);

/* Sends requests whose path starts with prefix (on the main port) to fn
 * instead of the AWS router, e.g. "/_awsemu/lambda/code/". */
void http_route(const char *prefix, http_handler_fn fn, void *data);

/* Replies produced while a database transaction is open wait here until the
 * turn's commit; the main loop calls this right after db_commit_turn(), with
 * committed = 0 when the commit failed (the waiting replies become 500 errors). */
void http_release_replies(int committed);
/* fn ends a turn (commits, then calls http_release_replies): with it set, a loop pass
 * that leaves replies waiting calls it before it returns. */
void http_set_turn_end(void (*fn)(void));

/* Sends a complete response with a body copied into the request pool. */
void http_send(h2o_req_t *req, int status, const char *content_type, const char *body, size_t len);

/* A streamed answer: a body of unknown length (chunked), sent piece by piece as it is given. Start it
 * once req->res has its status and headers; end it once. gone(data) runs if the client goes away
 * before the end (the stream must not be used after that). */
typedef struct http_stream http_stream_t;
http_stream_t *http_stream_start(h2o_req_t *req, void (*gone)(void *data), void *data);
void http_stream_send(http_stream_t *s, const void *bytes, size_t len); /* copied */
void http_stream_end(http_stream_t *s);

/* 1 when the peer of a parked request has closed its connection. */
int http_peer_gone(h2o_req_t *req);

/* Client side of `awsemu --healthcheck`: 0 when the server at host:port answers
 * GET /_awsemu/health with 200 (a wildcard host is probed on loopback), else 1. */
int http_probe_health(const char *host, int port);

#endif
