/* host_route.h - requests a service answers as plain HTTP, chosen by their Host header
 * (e.g. a Lambda function URL, <url-id>.lambda-url.<region>.localhost:<port>): the main
 * port hands such a request over whole (method, path, query, headers, body, peer, whether
 * it is signed) and sends back the status, headers and body the service gives, now or
 * later, whole or streamed as it comes. This file knows HTTP only; what a request means is the service's. */
#ifndef AWSEMU_HOST_ROUTE_H
#define AWSEMU_HOST_ROUTE_H

#include <stddef.h>

#include "http.h"

typedef struct {
    const char *name, *value; /* NUL-terminated; request header names are lower-case */
} host_header_t;

/* A request's SigV4 signature: not checked (no --auth sigv4), absent, wrong, or right. */
typedef enum { HOST_AUTH_OFF, HOST_AUTH_MISSING, HOST_AUTH_INVALID, HOST_AUTH_VALID } host_auth_t;

typedef struct {
    const char *method, *host; /* host: the Host header as sent (port included) */
    const char *path, *query;  /* raw, not decoded; query without its '?', "" when none */
    const char *protocol;      /* "HTTP/1.1" */
    const char *source_ip;
    int port;                     /* the port the request came to */
    const host_header_t *headers; /* as received, in order, Host included */
    size_t nheaders;
    const char *body; /* body_len bytes (not NUL-terminated) */
    size_t body_len;
    host_auth_t auth;
    const char *access_key; /* the SigV4 credential's access key, or NULL when unsigned */
} host_view_t;

/* A request handed to a service: answer it once with host_reply, now or later. */
typedef struct host_req host_req_t;
typedef void (*host_route_fn)(host_req_t *r, const host_view_t *v, void *data);

/* Requests whose Host (its port left out, case ignored) contains infix go to fn, e.g. ".lambda-url.". */
void host_route_add(const char *infix, host_route_fn fn, void *data);
/* 1 when a reply header can be written as it is: its name an HTTP token, its value free of control characters
 * (a CR or LF would end the header there and start another). */
int host_header_valid(const char *name, const char *value);
/* Answers r: the headers and body are copied; a status that takes no body (1xx, 204, 304) is sent without it. */
void host_reply(host_req_t *r, int status, const host_header_t *headers, size_t nheaders, const char *body, size_t len);
/* Or answers r as a stream: the status and headers now (copied), then the body as host_stream_send gives it
 * (copied; nothing for a status that takes no body or for HEAD), until host_stream_end. */
void host_stream_start(host_req_t *r, int status, const host_header_t *headers, size_t nheaders);
void host_stream_send(host_req_t *r, const void *bytes, size_t len);
void host_stream_end(host_req_t *r);
/* gone(data) runs if r's client goes away before r is answered (r must not be used after that). */
void host_req_on_gone(host_req_t *r, void (*gone)(void *data), void *data);

/* For http.c: 1 when req is for a host route (answered or parked by its service), else 0. */
int host_route_handle(h2o_req_t *req, const http_options_t *opt);
/* For http.c: 1 when req's Host names a host route (its reply carries only the service's headers). */
int host_route_claims(h2o_req_t *req);

#endif
