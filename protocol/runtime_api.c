/* runtime_api.c - the Lambda Runtime API over HTTP (see runtime_api.h): path
 * routing, the parked /next request and its Lambda-Runtime-* headers. */
#include "runtime_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

#define API_PREFIX "/2018-06-01/runtime/"

struct runtime_api {
    http_listener_t *listener;    /* NULL while closed */
    const runtime_api_ops_t *ops; /* NULL while closed */
    void *data;
    runtime_api_next_t *parked;
    uint64_t first_conn; /* connections with a lower h2o id belong to earlier environments */
    runtime_api_t *next_free;
};

/* Closed APIs wait here for the next environment; they are freed only at
 * shutdown, because a connection of a killed runtime (or of a process it left
 * behind in another session) may still deliver a request and must find a valid
 * API. Closing also closes the port, and a reused API serves only connections
 * accepted after it opened, so such a process can neither take another
 * function's events nor answer for them. */
static runtime_api_t *free_apis;

struct runtime_api_next {
    h2o_req_t *req;
    runtime_api_t *api; /* NULL once answered or after close */
};

static void send_json(h2o_req_t *req, int status, const char *json)
{
    http_send(req, status, "application/json", json, strlen(json));
}

static void add_header(h2o_req_t *req, const char *name, const char *value)
{
    if (!value)
        return;
    size_t len = strlen(value);
    char *copy = h2o_mem_alloc_pool(&req->pool, len + 1);
    memcpy(copy, value, len + 1);
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 0, NULL, copy, len);
}

/* The request's pool is being cleared: a parked next that was never answered is gone. */
static void next_disposed(void *p)
{
    runtime_api_next_t *n = p;
    runtime_api_t *api = n->api;
    if (!api)
        return;
    n->api = NULL;
    if (api->parked == n)
        api->parked = NULL;
    api->ops->next_gone(api->data, n);
}

void runtime_api_deliver(runtime_api_next_t *n, const runtime_api_event_t *ev)
{
    runtime_api_t *api = n->api;
    if (!api)
        return;
    n->api = NULL;
    if (api->parked == n)
        api->parked = NULL;
    h2o_req_t *req = n->req;
    char deadline[32];
    snprintf(deadline, sizeof(deadline), "%lld", (long long)ev->deadline_ms);
    add_header(req, "Lambda-Runtime-Aws-Request-Id", ev->request_id);
    add_header(req, "Lambda-Runtime-Deadline-Ms", deadline);
    add_header(req, "Lambda-Runtime-Invoked-Function-Arn", ev->function_arn);
    add_header(req, "Lambda-Runtime-Trace-Id", ev->trace_id);
    add_header(req, "Lambda-Runtime-Client-Context", ev->client_context);
    add_header(req, "Lambda-Runtime-Cognito-Identity", ev->cognito_identity);
    http_send(req, 200, "application/json", ev->payload, ev->len);
}

static const char *header_value(h2o_req_t *req, const char *name, char *buf, size_t cap)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, strlen(name), -1);
    if (i < 0)
        return NULL;
    h2o_iovec_t v = req->headers.entries[i].value;
    snprintf(buf, cap, "%.*s", (int)v.len, v.base);
    return buf;
}

/* POST /invocation/{id}/response|error */
static int on_result(runtime_api_t *api, h2o_req_t *req, const char *rest, size_t len)
{
    const char *slash = memchr(rest, '/', len);
    if (!slash || slash == rest || (size_t)(slash - rest) > 64)
        return send_json(req, 404, "{\"errorMessage\":\"Not found\",\"errorType\":\"NotFound\"}"), 0;
    char id[65], type[256];
    snprintf(id, sizeof(id), "%.*s", (int)(slash - rest), rest);
    h2o_iovec_t what = h2o_iovec_init(slash + 1, len - (size_t)(slash + 1 - rest));
    const char *body = req->entity.base ? req->entity.base : "";
    size_t blen = req->entity.base ? req->entity.len : 0;
    const runtime_api_ops_t *ops = api->ops;
    void *data = api->data;
    int rc;
    if (h2o_memis(what.base, what.len, H2O_STRLIT("response")))
        rc = ops->response(data, id, body, blen);
    else if (h2o_memis(what.base, what.len, H2O_STRLIT("error")))
        rc = ops->error(data, id, header_value(req, "lambda-runtime-function-error-type", type, sizeof(type)), body, blen);
    else
        return send_json(req, 404, "{\"errorMessage\":\"Not found\",\"errorType\":\"NotFound\"}"), 0;
    if (rc != 0)
        send_json(req, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
    else
        send_json(req, 202, "{\"status\":\"OK\"}");
    return 0;
}

static int on_request(h2o_handler_t *self, h2o_req_t *req)
{
    runtime_api_t *api = http_handler_data(self);
    h2o_iovec_t path = req->path_normalized;
    if (!api->ops || req->conn->id < api->first_conn)
        return send_json(req, 410, "{\"errorMessage\":\"This execution environment is gone\",\"errorType\":\"Gone\"}"), 0;
    if (path.len < sizeof(API_PREFIX) - 1 || memcmp(path.base, API_PREFIX, sizeof(API_PREFIX) - 1) != 0)
        return send_json(req, 404, "{\"errorMessage\":\"Not found\",\"errorType\":\"NotFound\"}"), 0;
    const char *rest = path.base + sizeof(API_PREFIX) - 1;
    size_t len = path.len - (sizeof(API_PREFIX) - 1);
    int get = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET"));
    if (get && h2o_memis(rest, len, H2O_STRLIT("invocation/next"))) {
        runtime_api_next_t *n = h2o_mem_alloc_shared(&req->pool, sizeof(*n), next_disposed);
        n->req = req;
        n->api = api;
        api->parked = n;
        api->ops->next(api->data, n);
        return 0;
    }
    if (get)
        return send_json(req, 405, "{\"errorMessage\":\"Method not allowed\",\"errorType\":\"MethodNotAllowed\"}"), 0;
    if (h2o_memis(rest, len, H2O_STRLIT("init/error"))) {
        char type[256];
        const char *t = header_value(req, "lambda-runtime-function-error-type", type, sizeof(type));
        send_json(req, 202, "{\"status\":\"OK\"}");
        api->ops->init_error(api->data, t, req->entity.base ? req->entity.base : "", req->entity.base ? req->entity.len : 0);
        return 0;
    }
    if (len > 11 && memcmp(rest, "invocation/", 11) == 0)
        return on_result(api, req, rest + 11, len - 11);
    return send_json(req, 404, "{\"errorMessage\":\"Not found\",\"errorType\":\"NotFound\"}"), 0;
}

runtime_api_t *runtime_api_open(const char *host, const runtime_api_ops_t *ops, void *data)
{
    runtime_api_t *api = free_apis;
    if (api)
        free_apis = api->next_free;
    else if (!(api = calloc(1, sizeof(*api))))
        return NULL;
    api->first_conn = h2o_connection_id + 1;
    api->listener = http_listen(host, 0, on_request, api);
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
