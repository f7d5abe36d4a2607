/* runtime_api.c - the Lambda Runtime API over HTTP/1.1 (see runtime_api.h): a small server on the
 * loop's sockets (a request line and headers, a Content-Length or chunked body with its trailers,
 * keep-alive, Expect: 100-continue), path routing, the parked /next request and its
 * Lambda-Runtime-* headers. h2o 2.2 reads a request's whole body before a handler runs, which
 * would hold a streamed response back until the function ended, and drops its trailers. */
#include "runtime_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base64.h"
#include "http.h"

#define API_PREFIX "/2018-06-01/runtime/"
#define MAX_HEADERS 64
#define MAX_HEAD (64 << 10) /* a request's line and headers, or its trailers */
#define MAX_BODY (64 << 20) /* a body read whole (Lambda refuses a result over 6 MB itself) */

/* picohttpparser, which h2o bundles and exports without installing its header */
struct phr_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};
int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len, const char **path, size_t *path_len,
                      int *minor_version, struct phr_header *headers, size_t *num_headers, size_t last_len);
int phr_parse_headers(const char *buf, size_t len, struct phr_header *headers, size_t *num_headers, size_t last_len);
struct phr_chunked_decoder {
    size_t bytes_left_in_chunk;
    char consume_trailer;
    char _hex_count;
    char _state;
};
ssize_t phr_decode_chunked(struct phr_chunked_decoder *decoder, char *buf, size_t *bufsz);

struct runtime_api {
    http_listener_t *listener;    /* NULL while closed */
    const runtime_api_ops_t *ops; /* NULL while closed */
    void *data;
    runtime_api_next_t *parked;
    uint64_t first_conn; /* connections with a lower number belong to earlier environments */
    runtime_api_t *next_free;
};

/* Closed APIs wait here for the next environment; they are freed only at
 * shutdown, because a connection of a killed runtime (or of a process it left
 * behind in another session) may still deliver a request and must find a valid
 * API. Closing also closes the port, and a reused API serves only connections
 * accepted after it opened, so such a process can neither take another
 * function's events nor answer for them. */
static runtime_api_t *free_apis;
static uint64_t conns_accepted;

typedef struct conn conn_t;

struct runtime_api_next {
    conn_t *conn;
    runtime_api_t *api; /* NULL once answered or after close */
};

typedef enum { READ_HEAD, READ_BODY, READ_CHUNKS, READ_TRAILERS, ANSWERING } conn_state_t;

struct conn {
    h2o_socket_t *sock;
    runtime_api_t *api;
    uint64_t number;
    conn_state_t state;
    /* the request being read: its path after API_PREFIX, method and headers that matter */
    char rest[160], error_type[256], content_type[256];
    int get, keep_alive, streaming;
    int dropping;             /* a result over MAX_BODY: read and dropped, then handed over as its length alone */
    size_t dropped;           /* its bytes so far */
    runtime_api_rc_t refused; /* a streamed response's refusal, given once it is read */
    size_t left; /* Content-Length bytes still to come */
    size_t have; /* body bytes held (decoded) at the start of sock->input */
    struct phr_chunked_decoder dec;
    runtime_api_next_t next;
    h2o_buffer_t *out, *sending;   /* answers queued, and the ones being written */
    int writing, closing, reading; /* reading: inside process() */
};

static const char not_found[] = "{\"errorMessage\":\"Not found\",\"errorType\":\"NotFound\"}";
static const char accepted[] = "{\"status\":\"OK\"}";
static const char invalid_id[] = "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}";

static int live(const conn_t *c)
{
    return c->api->ops && c->number >= c->api->first_conn;
}

/* ---- connections ---- */

static void conn_close(conn_t *c)
{
    runtime_api_t *api = c->next.api;
    if (api) { /* a parked next goes away unanswered */
        c->next.api = NULL;
        if (api->parked == &c->next)
            api->parked = NULL;
        api->ops->next_gone(api->data, &c->next);
    }
    h2o_socket_close(c->sock);
    h2o_buffer_dispose(&c->out);
    h2o_buffer_dispose(&c->sending);
    free(c);
}

static void flush(conn_t *c);
static void process(conn_t *c);

static void on_written(h2o_socket_t *sock, const char *err)
{
    conn_t *c = sock->data;
    c->writing = 0;
    h2o_buffer_consume(&c->sending, c->sending->size);
    if (err)
        conn_close(c);
    else
        flush(c);
}

static void flush(conn_t *c)
{
    if (c->writing)
        return;
    if (!c->out->size) {
        if (c->closing)
            conn_close(c);
        return;
    }
    h2o_buffer_t *t = c->sending;
    c->sending = c->out;
    c->out = t;
    h2o_iovec_t buf = h2o_iovec_init(c->sending->bytes, c->sending->size);
    c->writing = 1;
    h2o_socket_write(c->sock, &buf, 1, on_written);
}

static void put(conn_t *c, const char *s, size_t len)
{
    h2o_iovec_t dst = h2o_buffer_reserve(&c->out, len);
    memcpy(dst.base, s, len);
    c->out->size += len;
}

/* Queues an answer (headers: more header lines, each ending in CRLF) and goes on with the next request. */
static void respond(conn_t *c, int status, const char *headers, const char *body, size_t len)
{
    const char *reason = status == 200   ? "OK"
                         : status == 202 ? "Accepted"
                         : status == 400 ? "Bad Request"
                         : status == 403 ? "Forbidden"
                         : status == 404 ? "Not Found"
                         : status == 405 ? "Method Not Allowed"
                         : status == 410 ? "Gone"
                         : status == 413 ? "Request Entity Too Large"
                                         : "Error";
    char head[256];
    int n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s", status,
                     reason, len, c->keep_alive ? "" : "Connection: close\r\n");
    put(c, head, (size_t)n);
    if (headers)
        put(c, headers, strlen(headers));
    put(c, "\r\n", 2);
    put(c, body, len);
    c->closing |= !c->keep_alive;
    c->state = READ_HEAD;
    flush(c);
}

static void respond_json(conn_t *c, int status, const char *json)
{
    respond(c, status, NULL, json, strlen(json));
}

/* A request that cannot be read on: answered, then the connection closes. */
static void refuse(conn_t *c, int status, const char *json)
{
    c->keep_alive = 0;
    respond_json(c, status, json);
    c->state = ANSWERING; /* nothing more is read */
}

/* ---- the parked next ---- */

static void add_header(char **p, char *end, const char *name, const char *value)
{
    if (!value || *p >= end)
        return;
    int n = snprintf(*p, (size_t)(end - *p), "%s: %s\r\n", name, value);
    for (char *q = *p + strlen(name) + 2; q < *p + n - 2 && q < end; q++)
        if (*q == '\r' || *q == '\n') /* a client context's JSON may hold line breaks */
            *q = ' ';
    *p += n;
}

void runtime_api_deliver(runtime_api_next_t *n, const runtime_api_event_t *ev)
{
    runtime_api_t *api = n->api;
    if (!api)
        return;
    n->api = NULL;
    if (api->parked == n)
        api->parked = NULL;
    char deadline[32];
    snprintf(deadline, sizeof(deadline), "%lld", (long long)ev->deadline_ms);
    size_t cap = 512 + strlen(ev->request_id) + strlen(ev->function_arn) + (ev->trace_id ? strlen(ev->trace_id) : 0) +
                 (ev->client_context ? strlen(ev->client_context) : 0) + (ev->cognito_identity ? strlen(ev->cognito_identity) : 0);
    char *headers = malloc(cap), *p = headers, *end = headers + cap;
    add_header(&p, end, "Lambda-Runtime-Aws-Request-Id", ev->request_id);
    add_header(&p, end, "Lambda-Runtime-Deadline-Ms", deadline);
    add_header(&p, end, "Lambda-Runtime-Invoked-Function-Arn", ev->function_arn);
    add_header(&p, end, "Lambda-Runtime-Trace-Id", ev->trace_id);
    add_header(&p, end, "Lambda-Runtime-Client-Context", ev->client_context);
    add_header(&p, end, "Lambda-Runtime-Cognito-Identity", ev->cognito_identity);
    *p = '\0';
    respond(n->conn, 200, headers, ev->payload, ev->len);
    free(headers);
    process(n->conn); /* a request sent behind the next one */
}

/* ---- requests ---- */

static const char *trailer(const struct phr_header *h, size_t n, const char *name, char *buf, size_t cap)
{
    for (size_t i = 0; i < n; i++)
        if (h[i].name && h[i].name_len == strlen(name) && strncasecmp(h[i].name, name, h[i].name_len) == 0) {
            snprintf(buf, cap, "%.*s", (int)h[i].value_len, h[i].value);
            return buf;
        }
    return NULL;
}

/* The request id of a rest "invocation/{id}/<what>", copied into id; NULL when rest is not one. */
static const char *invocation_id(const char *rest, const char *what, char id[65])
{
    if (strncmp(rest, "invocation/", 11) != 0)
        return NULL;
    const char *s = rest + 11, *slash = strchr(s, '/');
    if (!slash || slash == s || slash - s > 64 || strcmp(slash + 1, what) != 0)
        return NULL;
    snprintf(id, 65, "%.*s", (int)(slash - s), s);
    return id;
}

/* The answer to a result the service took or refused; what: the runtime state Lambda names for the post
 * (InvocationResponse, InvocationErrorResponse). The texts are those of Lambda's Runtime API. */
static void answer_result(conn_t *c, runtime_api_rc_t rc, const char *what)
{
    char msg[256];
    switch (rc) {
    case RUNTIME_API_ACCEPTED:
        return respond_json(c, 202, accepted);
    case RUNTIME_API_INVALID_ID:
        return respond_json(c, 400, invalid_id);
    case RUNTIME_API_ALREADY_ANSWERED:
        snprintf(msg, sizeof(msg),
                 "{\"errorMessage\":\"State transition from RuntimeResponseSentState to %s failed for runtime. Error: State "
                 "transition is not allowed\",\"errorType\":\"InvalidStateTransition\"}",
                 what);
        return respond_json(c, 403, msg);
    case RUNTIME_API_TOO_LARGE:
        snprintf(msg, sizeof(msg),
                 "{\"errorMessage\":\"Exceeded maximum allowed payload size (%d bytes).\",\"errorType\":\"RequestEntityTooLarge\"}",
                 RUNTIME_API_MAX_RESPONSE);
        return respond_json(c, 413, msg);
    }
}

/* A whole request is in: route it. */
static void dispatch(conn_t *c, const char *body, size_t len)
{
    runtime_api_t *api = c->api;
    char id[65];
    c->state = ANSWERING;
    if (!live(c))
        return respond_json(c, 410, "{\"errorMessage\":\"This execution environment is gone\",\"errorType\":\"Gone\"}");
    if (c->get && strcmp(c->rest, "invocation/next") == 0) {
        c->next.conn = c;
        c->next.api = api;
        api->parked = &c->next;
        api->ops->next(api->data, &c->next);
        return;
    }
    if (c->get)
        return respond_json(c, 405, "{\"errorMessage\":\"Method not allowed\",\"errorType\":\"MethodNotAllowed\"}");
    if (strcmp(c->rest, "init/error") == 0) {
        respond_json(c, 202, accepted);
        api->ops->init_error(api->data, *c->error_type ? c->error_type : NULL, body, len);
        return;
    }
    if (invocation_id(c->rest, "response", id))
        answer_result(c, api->ops->response(api->data, id, body, len), "InvocationResponse");
    else if (invocation_id(c->rest, "error", id))
        answer_result(c, api->ops->error(api->data, id, *c->error_type ? c->error_type : NULL, body, len),
                      "InvocationErrorResponse");
    else
        respond_json(c, 404, not_found);
}

/* The end of a streamed response, with its trailers. */
static void stream_end(conn_t *c, const struct phr_header *t, size_t nt)
{
    char type[256], *b64 = malloc(MAX_HEAD);
    const char *error_type = trailer(t, nt, "lambda-runtime-function-error-type", type, sizeof(type));
    const char *body = trailer(t, nt, "lambda-runtime-function-error-body", b64, MAX_HEAD);
    unsigned char *raw = NULL;
    long n = 0;
    if (error_type && body) {
        raw = malloc(strlen(body) / 4 * 3 + 4);
        n = base64_decode(body, strlen(body), raw);
    }
    c->state = ANSWERING;
    if (!c->refused && live(c))
        c->api->ops->stream_end(c->api->data, error_type, n > 0 ? (const char *)raw : "", n > 0 ? (size_t)n : 0);
    free(raw);
    free(b64);
    c->refused || live(c) ? answer_result(c, c->refused, "InvocationResponse") : refuse(c, 410, not_found);
}

static void stream_data(conn_t *c, size_t len)
{
    if (len && !c->refused && live(c))
        c->refused = c->api->ops->stream_data(c->api->data, c->sock->input->bytes, len);
    h2o_buffer_consume(&c->sock->input, len);
}

static int header_is(const struct phr_header *h, const char *name)
{
    return h->name_len == strlen(name) && strncasecmp(h->name, name, h->name_len) == 0;
}

static int value_has(const struct phr_header *h, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= h->value_len; i++)
        if (strncasecmp(h->value + i, word, n) == 0)
            return 1;
    return 0;
}

/* Whether the request posts an invocation's result, which the service is told of however large it is (past
 * RUNTIME_API_MAX_RESPONSE it fails the invocation; the body is dropped past MAX_BODY). */
static int is_result(const conn_t *c)
{
    char id[65];
    return !c->get && (invocation_id(c->rest, "response", id) || invocation_id(c->rest, "error", id));
}

/* Drops the n bytes at the start of the input (more of a result being dropped). */
static void drop(conn_t *c, size_t n)
{
    c->dropped += n;
    h2o_buffer_consume(&c->sock->input, n);
}

/* Takes a request's line and headers (r bytes at the start of the input). 0, or -1 after refusing it. */
static int take_head(conn_t *c, const char *method, size_t mlen, const char *path, size_t plen, int minor,
                     const struct phr_header *h, size_t nh)
{
    c->get = mlen == 3 && memcmp(method, "GET", 3) == 0;
    c->keep_alive = minor >= 1;
    c->streaming = c->dropping = 0;
    c->refused = RUNTIME_API_ACCEPTED;
    c->left = c->have = c->dropped = 0;
    *c->error_type = *c->content_type = *c->rest = '\0';
    int chunked = 0, expect = 0, stream = 0;
    size_t prefix = sizeof(API_PREFIX) - 1;
    if (plen > prefix && plen - prefix < sizeof(c->rest) && memcmp(path, API_PREFIX, prefix) == 0)
        snprintf(c->rest, sizeof(c->rest), "%.*s", (int)(plen - prefix), path + prefix);
    for (size_t i = 0; i < nh; i++) {
        if (header_is(&h[i], "connection"))
            c->keep_alive = value_has(&h[i], "close") ? 0 : value_has(&h[i], "keep-alive") ? 1 : c->keep_alive;
        else if (header_is(&h[i], "transfer-encoding"))
            chunked = value_has(&h[i], "chunked");
        else if (header_is(&h[i], "content-length"))
            c->left = strtoull(h[i].value, NULL, 10);
        else if (header_is(&h[i], "expect"))
            expect = value_has(&h[i], "100-continue");
        else if (header_is(&h[i], "lambda-runtime-function-response-mode"))
            stream = value_has(&h[i], "streaming");
        else if (header_is(&h[i], "lambda-runtime-function-error-type"))
            snprintf(c->error_type, sizeof(c->error_type), "%.*s", (int)h[i].value_len, h[i].value);
        else if (header_is(&h[i], "content-type"))
            snprintf(c->content_type, sizeof(c->content_type), "%.*s", (int)h[i].value_len, h[i].value);
    }
    if (!chunked && c->left > MAX_BODY && !(c->dropping = is_result(c)))
        return refuse(c, 413, "{\"errorMessage\":\"Request too large\",\"errorType\":\"RequestTooLarge\"}"), -1;
    if (expect)
        put(c, "HTTP/1.1 100 Continue\r\n\r\n", 25), flush(c);
    memset(&c->dec, 0, sizeof(c->dec));
    c->state = chunked ? READ_CHUNKS : READ_BODY;
    char id[65];
    if (!c->get && stream && invocation_id(c->rest, "response", id)) {
        c->streaming = 1;
        c->refused = live(c) ? c->api->ops->stream_start(c->api->data, id, *c->content_type ? c->content_type : NULL)
                             : RUNTIME_API_INVALID_ID;
    }
    return 0;
}

static void read_on(conn_t *c);

/* Reads on as far as the input goes (once: an answer given while reading resumes the loop itself). */
static void process(conn_t *c)
{
    if (c->reading)
        return;
    c->reading = 1;
    read_on(c);
    c->reading = 0;
}

static void read_on(conn_t *c)
{
    h2o_buffer_t **in = &c->sock->input;
    for (;;) {
        if (c->state == ANSWERING || c->closing)
            return;
        if (c->state == READ_HEAD) {
            const char *method, *path;
            size_t mlen, plen, nh = MAX_HEADERS;
            int minor;
            struct phr_header h[MAX_HEADERS];
            int r =
                (*in)->size ? phr_parse_request((*in)->bytes, (*in)->size, &method, &mlen, &path, &plen, &minor, h, &nh, 0) : -2;
            if (r == -2 && (*in)->size > MAX_HEAD)
                r = -1;
            if (r == -2)
                return;
            c->keep_alive = 0;
            if (r == -1)
                return refuse(c, 400, "{\"errorMessage\":\"Bad request\",\"errorType\":\"BadRequest\"}");
            http_count_request(c);
            if (take_head(c, method, mlen, path, plen, minor, h, nh) != 0)
                return;
            h2o_buffer_consume(in, (size_t)r);
        } else if (c->state == READ_BODY) {
            if (c->streaming || c->dropping) {
                size_t n = (*in)->size < c->left ? (*in)->size : c->left;
                c->left -= n;
                c->streaming ? stream_data(c, n) : drop(c, n);
                if (c->left)
                    return;
                c->streaming ? stream_end(c, NULL, 0) : dispatch(c, NULL, c->dropped);
                continue;
            }
            if ((*in)->size < c->left)
                return;
            dispatch(c, (*in)->bytes, c->left);
            h2o_buffer_consume(in, c->left);
        } else if (c->state == READ_CHUNKS) {
            size_t sz = (*in)->size - c->have;
            ssize_t r = phr_decode_chunked(&c->dec, (*in)->bytes + c->have, &sz);
            if (r == -1)
                return refuse(c, 400, "{\"errorMessage\":\"Broken chunked encoding\",\"errorType\":\"BadRequest\"}");
            (*in)->size = c->have + sz + (r > 0 ? (size_t)r : 0);
            if (!c->streaming && c->have + sz > MAX_BODY && !c->dropping && !(c->dropping = is_result(c)))
                return refuse(c, 413, "{\"errorMessage\":\"Request too large\",\"errorType\":\"RequestTooLarge\"}");
            if (c->streaming)
                stream_data(c, sz);
            else if (c->dropping) {
                drop(c, c->have + sz);
                c->have = 0;
            } else
                c->have += sz;
            if (r < 0)
                return;
            c->state = READ_TRAILERS;
        } else { /* READ_TRAILERS */
            struct phr_header t[MAX_HEADERS];
            size_t nt = MAX_HEADERS, held = (*in)->size - c->have;
            int r = held ? phr_parse_headers((*in)->bytes + c->have, held, t, &nt, 0) : -2;
            if (r == -2 && held <= MAX_HEAD)
                return;
            if (r < 0)
                return refuse(c, 400, "{\"errorMessage\":\"Bad trailers\",\"errorType\":\"BadRequest\"}");
            if (c->streaming)
                stream_end(c, t, nt);
            else
                dispatch(c, c->dropping ? NULL : (*in)->bytes, c->dropping ? c->dropped : c->have);
            h2o_buffer_consume(in, c->have + (size_t)r);
        }
    }
}

static void on_read(h2o_socket_t *sock, const char *err)
{
    conn_t *c = sock->data;
    if (err) {
        conn_close(c);
        return;
    }
    process(c);
}

static void on_conn(h2o_socket_t *sock, void *data)
{
    conn_t *c = calloc(1, sizeof(*c));
    c->sock = sock;
    c->api = data;
    c->number = ++conns_accepted;
    h2o_buffer_init(&c->out, &h2o_socket_buffer_prototype);
    h2o_buffer_init(&c->sending, &h2o_socket_buffer_prototype);
    sock->data = c;
    h2o_socket_read_start(sock, on_read);
}

runtime_api_t *runtime_api_open(const char *host, const runtime_api_ops_t *ops, void *data)
{
    runtime_api_t *api = free_apis;
    if (api)
        free_apis = api->next_free;
    else if (!(api = calloc(1, sizeof(*api))))
        return NULL;
    api->first_conn = conns_accepted + 1;
    api->listener = http_listen(host, 0, on_conn, api);
    if (!api->listener) {
        api->next_free = free_apis;
        free_apis = api;
        return NULL;
    }
    api->ops = ops;
    api->data = data;
    api->parked = NULL;
    api->next_free = NULL;
    return api;
}

int runtime_api_port(const runtime_api_t *api)
{
    return http_listener_port(api->listener);
}

void runtime_api_close(runtime_api_t *api)
{
    if (api->parked)
        api->parked->api = NULL;
    api->parked = NULL;
    api->ops = NULL;
    api->data = NULL;
    http_listener_close(api->listener);
    api->listener = NULL;
    api->next_free = free_apis;
    free_apis = api;
}

void runtime_api_shutdown(void)
{
    while (free_apis) {
        runtime_api_t *api = free_apis;
        free_apis = api->next_free;
        free(api);
    }
}
