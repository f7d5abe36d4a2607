/* http.c - h2o set-up on one evloop: the main AWS listener, extra loopback
 * listeners, raw routes (by path; by Host in host_route.c), the group-commit reply queue and
 * response helpers. */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../storage/db.h"
#include "host_route.h"
#include "router.h"

struct http_listener {
    h2o_globalconf_t config;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *sock;
    http_conn_fn raw; /* extra listeners: their connections go to raw, not to h2o */
    void *data;
    int port;
    int nodelay;
    http_listener_t *next_free;
};

typedef struct {
    const char *prefix;
    size_t len;
    http_handler_fn fn;
    void *data;
} route_t;

#define MAX_ROUTES 8

static h2o_evloop_t *loop;
static h2o_context_t ctx;
static http_listener_t *main_listener;
static http_listener_t *free_listeners;
static route_t routes[MAX_ROUTES];
static size_t nroutes;
static http_options_t options;

/* Replies waiting for the turn's commit. */
typedef struct {
    h2o_req_t *req;
    h2o_iovec_t body;
} deferred_reply_t;
static deferred_reply_t *deferred;
static size_t ndeferred, deferred_cap;

h2o_evloop_t *http_loop(void)
{
    return loop;
}

h2o_context_t *http_context(void)
{
    return &ctx;
}

int http_listener_port(const http_listener_t *l)
{
    return l->port;
}

void http_route(const char *prefix, http_handler_fn fn, void *data)
{
    if (nroutes < MAX_ROUTES)
        routes[nroutes++] = (route_t){prefix, strlen(prefix), fn, data};
}

static uint64_t requests_seen;
static const void *recent_conns[2]; /* the connections of the latest requests */
static unsigned recent_run;         /* requests in a row over those two */
#define FEW_CLIENTS_RUN 4

uint64_t http_requests_seen(void)
{
    return requests_seen;
}

void http_count_request(const void *conn)
{
    requests_seen++;
    if (conn == recent_conns[0] || conn == recent_conns[1]) {
        recent_run += recent_run < FEW_CLIENTS_RUN;
        return;
    }
    recent_conns[1] = recent_conns[0];
    recent_conns[0] = conn;
    recent_run = 0;
}

int http_few_clients(void)
{
    return recent_run >= FEW_CLIENTS_RUN;
}

static int on_main_req(h2o_handler_t *self, h2o_req_t *req)
{
    http_count_request(req->conn);
    if (host_route_handle(req, &options))
        return 0;
    for (size_t i = 0; i < nroutes; i++)
        if (req->path_normalized.len >= routes[i].len &&
            memcmp(req->path_normalized.base, routes[i].prefix, routes[i].len) == 0)
            return routes[i].fn(self, req);
    return router_handle(req, &options);
}

static void on_accept(h2o_socket_t *listener_sock, const char *err)
{
    http_listener_t *l = listener_sock->data;
    h2o_socket_t *sock;
    if (err != NULL || (sock = h2o_evloop_socket_accept(listener_sock)) == NULL)
        return;
    if (l->nodelay) {
        int one = 1;
        setsockopt(h2o_socket_get_fd(sock), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    if (l->raw)
        l->raw(sock, l->data);
    else
        h2o_accept(&l->accept_ctx, sock);
}

static int bind_socket(const char *host, int port, int *bound_port, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *ai;
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", port);
    int gai = getaddrinfo(host, portstr, &hints, &ai);
    if (gai != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(gai));
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *bound_port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

/* A body over --max-body gets the AWS error of the service it was meant for.
 * The main port lets h2o buffer up to twice --max-body, so that the router
 * answers such a request after reading it (clients then read the answer; an
 * unread upload ends in a reset). Beyond that, h2o refuses the body itself
 * with a plain-text 413 sent through the host's fallback path: this filter
 * there swaps it for the same AWS error (the connection still closes). */
typedef struct {
    h2o_ostream_t super;
    h2o_iovec_t body;
} body_swap_t;

static void swap_body(h2o_ostream_t *self, h2o_req_t *req, h2o_iovec_t *bufs, size_t nbufs, h2o_send_state_t state)
{
    (void)bufs;
    (void)nbufs;
    body_swap_t *s = (body_swap_t *)self;
    h2o_iovec_t body = s->body;
    s->body.len = 0; /* sent once, whatever h2o's own body was cut into */
    h2o_ostream_send_next(self, req, &body, body.len ? 1 : 0, state);
}

static void on_refused_entity(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    (void)self;
    if (req->res.status == 413) {
        memset(&req->res.headers, 0, sizeof(req->res.headers));
        body_swap_t *s = (body_swap_t *)h2o_add_ostream(req, sizeof(*s), slot);
        s->super.do_send = swap_body;
        s->body = router_refuse_oversized(req, &options);
        req->res.content_length = s->body.len;
        slot = &s->super.next;
        router_cors_headers(req);
    }
    h2o_setup_next_ostream(req, slot);
}

/* Every reply of the main port carries AWS's CORS headers when the request has an Origin, but for
 * host routes, whose services choose their own. */
static void on_cors(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    (void)self;
    if (!host_route_claims(req))
        router_cors_headers(req);
    h2o_setup_next_ostream(req, slot);
}

static size_t main_entity_limit(void)
{
    size_t largest = router_largest_body(&options);
    return largest > SIZE_MAX / 2 ? SIZE_MAX : largest * 2;
}

static void configure(h2o_globalconf_t *conf)
{
    h2o_config_init(conf);
    conf->max_request_entity_size = main_entity_limit();
    conf->http1.req_timeout = 60000;
    conf->server_name = h2o_iovec_init(H2O_STRLIT("awsemu"));
    h2o_hostconf_t *host = h2o_config_register_host(conf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_create_filter(&host->fallback_path, sizeof(h2o_filter_t))->on_setup_ostream = on_refused_entity;
    h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
    h2o_create_filter(path, sizeof(h2o_filter_t))->on_setup_ostream = on_cors;
    h2o_create_handler(path, sizeof(h2o_handler_t))->on_req = on_main_req;
}

static http_listener_t *listener_new(void)
{
    http_listener_t *l = free_listeners;
    if (l) {
        free_listeners = l->next_free;
        return l;
    }
    return calloc(1, sizeof(*l));
}

static int listener_open(http_listener_t *l, const char *host, int port, char *err, size_t errlen)
{
    int fd = bind_socket(host, port, &l->port, err, errlen);
    if (fd < 0)
        return -1;
    l->accept_ctx.ctx = &ctx;
    l->accept_ctx.hosts = l->config.hosts;
    l->sock = h2o_evloop_socket_create(loop, fd, H2O_SOCKET_FLAG_DONT_READ);
    l->sock->data = l;
    h2o_socket_read_start(l->sock, on_accept);
    return 0;
}

int http_start(const http_options_t *opt, char *err, size_t errlen)
{
    options = *opt;
    admin_init();
    main_listener = calloc(1, sizeof(*main_listener));
    configure(&main_listener->config);
    loop = h2o_evloop_create();
    h2o_context_init(&ctx, loop, &main_listener->config);
    main_listener->nodelay = 1;
    return listener_open(main_listener, opt->host, opt->port, err, errlen);
}

http_listener_t *http_listen(const char *host, int port, http_conn_fn raw, void *data)
{
    char err[256];
    http_listener_t *l = listener_new();
    l->raw = raw;
    l->data = data;
    l->nodelay = 1;
    if (listener_open(l, host, port, err, sizeof(err)) != 0) {
        l->next_free = free_listeners;
        free_listeners = l;
        return NULL;
    }
    return l;
}

void http_listener_close(http_listener_t *l)
{
    if (l->sock) {
        h2o_socket_read_stop(l->sock);
        h2o_socket_close(l->sock);
        l->sock = NULL;
    }
    l->next_free = free_listeners;
    free_listeners = l;
}

void http_stop_accepting(void)
{
    if (main_listener && main_listener->sock) {
        h2o_socket_read_stop(main_listener->sock);
        h2o_socket_close(main_listener->sock);
        main_listener->sock = NULL;
    }
}

static void send_body(h2o_req_t *req, h2o_iovec_t body)
{
    static h2o_generator_t generator = {NULL, NULL};
    req->res.content_length = body.len;
    h2o_start_response(req, &generator);
    if (h2o_memis(req->input.method.base, req->input.method.len, H2O_STRLIT("HEAD")))
        body.len = 0;
    h2o_send(req, &body, body.len ? 1 : 0, H2O_SEND_STATE_FINAL);
}

static const char *reason_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 413: return "Request Entity Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    }
    return status < 300 ? "OK" : status < 500 ? "Bad Request" : "Internal Server Error";
}

/* The turn's end (commit, then the waiting replies) runs from h2o's zero timeout,
 * inside the loop pass that produced the replies: their sockets finish writing and
 * resume reading in that same pass, and h2o's next poll finds no interest changed. Run
 * from outside the pass, each waiting reply cost two epoll_ctl calls and a poll more. */
static void (*turn_end)(void);
static h2o_timeout_entry_t turn_end_entry;

static void on_turn_end(h2o_timeout_entry_t *entry)
{
    if (turn_end)
        turn_end();
}

void http_set_turn_end(void (*fn)(void))
{
    turn_end = fn;
    turn_end_entry.cb = on_turn_end;
}

void http_send(h2o_req_t *req, int status, const char *content_type, const char *body, size_t len)
{
    req->res.status = status;
    req->res.reason = reason_phrase(status);
    if (content_type)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, content_type, strlen(content_type));
    h2o_iovec_t b = h2o_iovec_init(body, len);
    if (!db_turn_pending()) {
        send_body(req, b);
        return;
    }
    /* Group commit: hold the reply until this turn's transaction commits. */
    if (ndeferred == deferred_cap) {
        deferred_cap = deferred_cap ? deferred_cap * 2 : 256;
        deferred = realloc(deferred, deferred_cap * sizeof(*deferred));
        if (deferred == NULL)
            abort();
    }
    deferred[ndeferred++] = (deferred_reply_t){req, b};
    if (turn_end && !h2o_timeout_is_linked(&turn_end_entry))
        h2o_timeout_link(ctx.loop, &ctx.zero_timeout, &turn_end_entry);
}

void http_release_replies(int committed)
{
    static const char failed[] = "{\"__type\":\"com.amazon.coral.service#InternalFailure\",\"message\":\"The request "
                                 "could not be committed to storage.\"}";
    for (size_t i = 0; i < ndeferred; i++) {
        h2o_req_t *req = deferred[i].req;
        if (!committed) {
            req->res.status = 500;
            req->res.reason = "Internal Server Error";
            send_body(req, h2o_iovec_init(failed, sizeof(failed) - 1));
            continue;
        }
        send_body(req, deferred[i].body);
    }
    ndeferred = 0;
}

int http_peer_gone(h2o_req_t *req)
{
    h2o_socket_t *sock = req->conn->callbacks->get_socket ? req->conn->callbacks->get_socket(req->conn) : NULL;
    if (sock == NULL)
        return 0;
    char b;
    ssize_t n = recv(h2o_socket_get_fd(sock), &b, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* ---- streamed answers ---- */

struct http_stream {
    h2o_generator_t super;
    h2o_req_t *req;
    h2o_buffer_t *queued, *sending; /* given and not yet handed to h2o; handed, until h2o proceeds */
    int in_flight, ended, final_sent;
    void (*gone)(void *data);
    void *data;
};

static void stream_flush(http_stream_t *s)
{
    if (s->in_flight || s->final_sent || (!s->queued->size && !s->ended))
        return;
    h2o_buffer_t *t = s->sending;
    s->sending = s->queued;
    s->queued = t;
    h2o_iovec_t b = h2o_iovec_init(s->sending->bytes, s->sending->size);
    s->in_flight = 1;
    s->final_sent = s->ended;
    h2o_send(s->req, &b, b.len ? 1 : 0, s->ended ? H2O_SEND_STATE_FINAL : H2O_SEND_STATE_IN_PROGRESS);
}

static void stream_proceed(h2o_generator_t *g, h2o_req_t *req)
{
    http_stream_t *s = (http_stream_t *)g;
    s->in_flight = 0;
    h2o_buffer_consume(&s->sending, s->sending->size);
    stream_flush(s);
}

static void stream_stop(h2o_generator_t *g, h2o_req_t *req)
{
    ((http_stream_t *)g)->final_sent = 1; /* nothing more goes out */
}

/* The request's pool is being cleared: a stream that never ended lost its client. */
static void stream_disposed(void *p)
{
    http_stream_t *s = p;
    h2o_buffer_dispose(&s->queued);
    h2o_buffer_dispose(&s->sending);
    if (!s->ended && s->gone)
        s->gone(s->data);
}

http_stream_t *http_stream_start(h2o_req_t *req, void (*gone)(void *data), void *data)
{
    http_stream_t *s = h2o_mem_alloc_shared(&req->pool, sizeof(*s), stream_disposed);
    memset(s, 0, sizeof(*s));
    s->super.proceed = stream_proceed;
    s->super.stop = stream_stop;
    s->req = req;
    s->gone = gone;
    s->data = data;
    h2o_buffer_init(&s->queued, &h2o_socket_buffer_prototype);
    h2o_buffer_init(&s->sending, &h2o_socket_buffer_prototype);
    req->res.reason = reason_phrase(req->res.status);
    h2o_start_response(req, &s->super);
    return s;
}

void http_stream_send(http_stream_t *s, const void *bytes, size_t len)
{
    if (s->final_sent || !len)
        return;
    h2o_iovec_t dst = h2o_buffer_reserve(&s->queued, len);
    memcpy(dst.base, bytes, len);
    s->queued->size += len;
    stream_flush(s);
}

void http_stream_end(http_stream_t *s)
{
    s->ended = 1;
    stream_flush(s);
}
