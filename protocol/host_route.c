/* host_route.c - the requests services answer as plain HTTP, chosen by Host (see
 * host_route.h): matching the Host, the request's view, the parked request and its reply. */
#include "host_route.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"

#define MAX_HOST_ROUTES 4

typedef struct {
    const char *infix;
    size_t len;
    host_route_fn fn;
    void *data;
} host_route_t;

static host_route_t routes[MAX_HOST_ROUTES];
static size_t nroutes;

struct host_req {
    h2o_req_t *req;
    int answered; /* replied, or its stream ended */
    http_stream_t *stream;
    void (*gone)(void *data);
    void *data;
};

void host_route_add(const char *infix, host_route_fn fn, void *data)
{
    if (nroutes < MAX_HOST_ROUTES)
        routes[nroutes++] = (host_route_t){infix, strlen(infix), fn, data};
}

/* The route whose infix req's Host holds (its port left out), or -1. */
static int route_of(h2o_req_t *req)
{
    h2o_iovec_t a = req->authority;
    size_t len = a.len;
    for (size_t i = len; i > 0 && a.base[i - 1] != ']'; i--)
        if (a.base[i - 1] == ':') {
            len = i - 1;
            break;
        }
    for (size_t r = 0; r < nroutes; r++)
        for (size_t i = 0; i + routes[r].len <= len; i++)
            if (strncasecmp(a.base + i, routes[r].infix, routes[r].len) == 0)
                return (int)r;
    return -1;
}

int host_route_claims(h2o_req_t *req)
{
    return nroutes && route_of(req) >= 0;
}

static char *pool_str(h2o_req_t *req, const char *s, size_t len)
{
    return h2o_strdup(&req->pool, s ? s : "", s ? len : 0).base;
}

/* The peer's address and the local port of req's connection. */
static void peer(h2o_req_t *req, host_view_t *v)
{
    struct sockaddr_storage ss;
    char ip[INET6_ADDRSTRLEN] = "";
    socklen_t n = req->conn->callbacks->get_peername ? req->conn->callbacks->get_peername(req->conn, (void *)&ss) : 0;
    if (n && ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, ip, sizeof(ip));
    else if (n && ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, ip, sizeof(ip));
    v->source_ip = pool_str(req, ip, strlen(ip));
    n = req->conn->callbacks->get_sockname ? req->conn->callbacks->get_sockname(req->conn, (void *)&ss) : 0;
    if (n)
        v->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
}

/* The headers as received, Host (h2o's authority) and Content-Length (h2o's content_length) among them. */
static void headers(h2o_req_t *req, host_view_t *v)
{
    host_header_t *h = h2o_mem_alloc_pool(&req->pool, sizeof(*h) * (req->headers.size + 2));
    size_t n = 0;
    h[n++] = (host_header_t){"host", pool_str(req, req->authority.base, req->authority.len)};
    for (size_t i = 0; i < req->headers.size; i++) {
        const h2o_header_t *e = &req->headers.entries[i];
        h[n++] = (host_header_t){pool_str(req, e->name->base, e->name->len), pool_str(req, e->value.base, e->value.len)};
    }
    if (req->entity.base) {
        char len[24];
        snprintf(len, sizeof(len), "%zu", req->entity.len);
        h[n++] = (host_header_t){"content-length", pool_str(req, len, strlen(len))};
    }
    v->headers = h;
    v->nheaders = n;
}

static void signature(h2o_req_t *req, const http_options_t *opt, host_view_t *v)
{
    sigv4_slice_t ak, region;
    v->access_key = auth_identity(req, &ak, &region) ? pool_str(req, ak.ptr, ak.len) : NULL;
    if (!opt->auth_sigv4) {
        v->auth = HOST_AUTH_OFF;
        return;
    }
    int rc = auth_signed(req, opt);
    v->auth = rc > 0 ? HOST_AUTH_VALID : rc == 0 ? HOST_AUTH_MISSING : HOST_AUTH_INVALID;
}

static void disposed(void *p)
{
    host_req_t *r = p;
    if (!r->answered && r->gone)
        r->gone(r->data);
}

int host_route_handle(h2o_req_t *req, const http_options_t *opt)
{
    int route = nroutes ? route_of(req) : -1;
    if (route < 0)
        return 0;
    host_view_t v = {0};
    size_t npath = req->query_at == SIZE_MAX ? req->path.len : req->query_at;
    v.method = pool_str(req, req->method.base, req->method.len);
    v.host = pool_str(req, req->authority.base, req->authority.len);
    v.path = pool_str(req, req->path.base, npath);
    v.query = npath < req->path.len ? pool_str(req, req->path.base + npath + 1, req->path.len - npath - 1) : "";
    v.protocol = req->version >= 0x200 ? "HTTP/2.0" : req->version == 0x100 ? "HTTP/1.0" : "HTTP/1.1";
    v.body = req->entity.base ? req->entity.base : "";
    v.body_len = req->entity.base ? req->entity.len : 0;
    peer(req, &v);
    headers(req, &v);
    signature(req, opt, &v);
    host_req_t *r = h2o_mem_alloc_shared(&req->pool, sizeof(*r), disposed);
    *r = (host_req_t){req, 0, NULL, NULL, NULL};
    routes[route].fn(r, &v, routes[route].data);
    return 1;
}

void host_req_on_gone(host_req_t *r, void (*gone)(void *data), void *data)
{
    r->gone = gone;
    r->data = data;
}

/* Headers the server itself writes from the reply it sends. */
static int own_header(const char *name)
{
    return strcasecmp(name, "content-length") == 0 || strcasecmp(name, "transfer-encoding") == 0 ||
           strcasecmp(name, "connection") == 0;
}

static void set_headers(h2o_req_t *req, int status, const host_header_t *headers, size_t nheaders)
{
    req->res.status = status;
    for (size_t i = 0; i < nheaders; i++) {
        if (own_header(headers[i].name) || !host_header_valid(headers[i].name, headers[i].value))
            continue;
        h2o_iovec_t name = h2o_strdup(&req->pool, headers[i].name, SIZE_MAX);
        h2o_iovec_t value = h2o_strdup(&req->pool, headers[i].value, SIZE_MAX);
        h2o_add_header_by_str(&req->pool, &req->res.headers, name.base, name.len, 0, NULL, value.base, value.len);
    }
}

int host_header_valid(const char *name, const char *value)
{
    static const char tchar[] = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    if (!*name || strspn(name, tchar) != strlen(name))
        return 0;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
            return 0;
    return 1;
}

/* 1 when a response of this status has no body (RFC 9110: 1xx, 204, 304): bytes sent after its headers would be
 * read as the start of the next response on the connection. */
static int bodiless(int status)
{
    return status < 200 || status == 204 || status == 304;
}

void host_reply(host_req_t *r, int status, const host_header_t *headers, size_t nheaders, const char *body, size_t len)
{
    h2o_req_t *req = r->req;
    r->answered = 1;
    set_headers(req, status, headers, nheaders);
    h2o_iovec_t b = h2o_strdup(&req->pool, body, bodiless(status) ? 0 : len);
    http_send(req, status, NULL, b.base, b.len);
}

void host_stream_start(host_req_t *r, int status, const host_header_t *headers, size_t nheaders)
{
    set_headers(r->req, status, headers, nheaders);
    r->stream = http_stream_start(r->req, NULL, NULL); /* the client going away is r's gone() */
}

void host_stream_send(host_req_t *r, const void *bytes, size_t len)
{
    h2o_req_t *req = r->req; /* h2o leaves out a whole body for HEAD, not a streamed one */
    int head = req->method.len == 4 && memcmp(req->method.base, "HEAD", 4) == 0;
    if (!bodiless(req->res.status) && !head)
        http_stream_send(r->stream, bytes, len);
}

void host_stream_end(host_req_t *r)
{
    r->answered = 1;
    http_stream_end(r->stream);
}
