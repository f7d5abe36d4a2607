/* call.c - the life of one call: creation from a request, identity, validation,
 * running the service's operation, parking, and answering in the request's own
 * wire protocol. Also the pool and input helpers services use (see call.h). */
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "../services/log.h"
#include "auth.h"
#include "call_http.h"
#include "http.h"
#include "ids.h"
#include "poolfmt.h"
#include "query.h"
#include "validate.h"

static uint64_t now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
}

static void dispose_out(void *p)
{
    jw_free(&((call_t *)p)->out);
}

static void fill_identity(call_t *c, h2o_req_t *req, const char *default_region)
{
    static const char default_account[] = "000000000000";
    c->region = default_region;
    c->access_key = "";
    c->account = default_account;
    sigv4_slice_t access_key, region;
    if (!auth_identity(req, &access_key, &region))
        return;
    if (region.len && !h2o_memis(region.ptr, region.len, default_region, strlen(default_region)))
        c->region = call_strndup(c, region.ptr, region.len);
    c->access_key = call_strndup(c, access_key.ptr, access_key.len);
    char account[13];
    sigv4_account_from_access_key(access_key.ptr, access_key.len, account);
    if (strcmp(account, default_account) != 0)
        c->account = call_strdup(c, account);
}

call_t *call_new(h2o_req_t *req, const service_t *svc, proto_t proto, const char *default_region)
{
    /* Shared allocation: the output writer's heap buffer is freed with the pool. */
    call_t *c = h2o_mem_alloc_shared(&req->pool, sizeof(*c), dispose_out);
    memset(c, 0, sizeof(*c));
    c->pool = &req->pool;
    c->svc = svc;
    c->http = h2o_mem_alloc_pool(&req->pool, sizeof(*c->http));
    memset(c->http, 0, sizeof(*c->http));
    c->http->req = req;
    c->http->proto = proto;
    c->http->start_us = now_us();
    c->body = req->entity.base ? req->entity : h2o_iovec_init("", 0);
    c->host = req->authority.len ? call_strndup(c, req->authority.base, req->authority.len) : "localhost";
    char *rid = h2o_mem_alloc_pool(&req->pool, 53);
    if (strcmp(svc->name, "dynamodb") == 0 || strcmp(svc->name, "dynamodbstreams") == 0)
        ids_ddb_request_id(rid);
    else
        ids_uuid(rid);
    c->request_id = rid;
    ssize_t trace = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-amzn-trace-id"), -1);
    if (trace != -1)
        c->trace_header = call_strndup(c, req->headers.entries[trace].value.base, req->headers.entries[trace].value.len);
    fill_identity(c, req, default_region);
    return c;
}

void call_run(call_t *c)
{
    service_op_fn fn = service_find_op(c->svc, c->op_name, strlen(c->op_name));
    if (fn == NULL || c->op == NULL) {
        const char *code = c->http->proto == PROTO_QUERY ? "InvalidAction" : "UnknownOperationException";
        if (c->http->proto == PROTO_QUERY)
            call_error(c, code, "The action %s is not valid for this endpoint.", c->op_name);
        else
            call_error(c, code, "%s", "");
        call_respond(c, CALL_ERROR);
        return;
    }
    if (c->op->input >= 0) {
        validate_error_t verr;
        if (validate_input(c->svc->model, c->op->input, c->in, c->pool, &verr) != 0) {
            call_error(c, verr.code, "%s", verr.message);
            call_respond(c, CALL_ERROR);
            return;
        }
    }
    int rc = fn(c);
    if (rc == CALL_PARKED) {
        c->http->parked = 1;
        return;
    }
    call_respond(c, rc);
}

void call_finish(call_t *c, int rc)
{
    c->http->parked = 0;
    call_respond(c, rc);
}

void call_stream_start(call_t *c, void (*gone)(void *data), void *data)
{
    call_render(c, CALL_DONE); /* the status and headers; the body is what follows */
    c->http->parked = 0;
    c->http->stream = http_stream_start(c->http->req, gone, data);
}

void call_stream_send(call_t *c, const void *bytes, size_t len)
{
    http_stream_send(c->http->stream, bytes, len);
}

void call_stream_end(call_t *c)
{
    http_stream_end(c->http->stream);
}

int call_client_gone(call_t *c)
{
    return http_peer_gone(c->http->req);
}

void call_add_header(h2o_req_t *req, const char *name, const char *value, size_t len)
{
    h2o_iovec_t v = h2o_strdup(&req->pool, value, len);
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 1, NULL, v.base, v.len);
}

static void log_call(call_t *c, int status)
{
    if (log_enabled(LOG_LEVEL_INFO))
        log_request(c->svc->name, c->op_name ? c->op_name : "-", status, now_us() - c->http->start_us, c->err_code, c->err_msg);
}

void call_content_type(h2o_req_t *req, const char *type)
{
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, type, strlen(type));
}

static h2o_iovec_t query_render(call_t *c, int rc)
{
    h2o_req_t *req = c->http->req;
    h2o_iovec_t body;
    if (rc == CALL_ERROR) {
        error_info_t ei;
        errors_lookup(c->svc, c->err_code, c->pool, &ei);
        req->res.status = ei.status;
        body = query_render_error(c->svc->model, c->err_code, c->err_msg, c->request_id, c->pool);
    } else {
        req->res.status = 200;
        body = query_render_output(c->svc->model, c->op, c->out.len ? c->out.buf : "{}", c->out.len ? c->out.len : 2, c->request_id,
                                   c->pool);
    }
    call_content_type(req, QUERY_CONTENT_TYPE);
    return body;
}

h2o_iovec_t call_render(call_t *c, int rc)
{
    h2o_req_t *req = c->http->req;
    call_add_header(req, "x-amzn-RequestId", c->request_id, strlen(c->request_id));
    h2o_iovec_t body = {NULL, 0};
    switch (c->http->proto) {
    case PROTO_JSON:
        body = awsjson_render(c, rc);
        break;
    case PROTO_QUERY:
        body = query_render(c, rc);
        break;
    case PROTO_REST:
        body = restjson_render(c, rc);
        break;
    }
    log_call(c, req->res.status);
    return body;
}

void call_respond(call_t *c, int rc)
{
    h2o_iovec_t body = call_render(c, rc);
    http_send(c->http->req, c->http->req->res.status, NULL, body.base, body.len);
}

h2o_iovec_t call_error_json(call_t *c, const char *type_key, const char *type, const char *msg_key)
{
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, type_key, type);
    if (c->err_msg && *c->err_msg)
        jw_kstr(&w, c->err_msg_key ? c->err_msg_key : msg_key, c->err_msg);
    jw_end(&w);
    /* Splice the members of c->out (an object) before the closing brace. */
    if (c->out.len > 2 && c->out.buf[0] == '{') {
        w.len--;
        jw_append(&w, ",", 1);
        jw_append(&w, c->out.buf + 1, c->out.len - 1);
    }
    h2o_iovec_t body = h2o_strdup(c->pool, w.buf, w.len);
    jw_free(&w);
    return body;
}

int call_error(call_t *c, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->err_msg = pool_vsprintf(c->pool, fmt, ap); /* whole: some messages quote what they refused */
    va_end(ap);
    c->err_code = code;
    return CALL_ERROR;
}

char *call_strndup(call_t *c, const char *s, size_t len)
{
    return h2o_strdup(c->pool, s, len).base;
}

char *call_strdup(call_t *c, const char *s)
{
    return call_strndup(c, s, strlen(s));
}

char *call_sprintf(call_t *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pool_vsprintf(c->pool, fmt, ap);
    va_end(ap);
    return s;
}

void *call_alloc(call_t *c, size_t size)
{
    void *p = h2o_mem_alloc_pool(c->pool, size);
    memset(p, 0, size);
    return p;
}

yajl_val in_get(yajl_val obj, const char *key)
{
    if (obj == NULL || !YAJL_IS_OBJECT(obj))
        return NULL;
    for (size_t i = 0; i < obj->u.object.len; i++)
        if (strcmp(obj->u.object.keys[i], key) == 0)
            return obj->u.object.values[i];
    return NULL;
}

const char *in_str(yajl_val obj, const char *key)
{
    yajl_val v = in_get(obj, key);
    return v && YAJL_IS_STRING(v) ? v->u.string : NULL;
}

int in_int(yajl_val obj, const char *key, long long *out)
{
    yajl_val v = in_get(obj, key);
    if (v == NULL || !YAJL_IS_INTEGER(v))
        return 0;
    *out = v->u.number.i;
    return 1;
}

int in_bool(yajl_val obj, const char *key, int *out)
{
    yajl_val v = in_get(obj, key);
    if (v == NULL || !(YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)))
        return 0;
    *out = YAJL_IS_TRUE(v);
    return 1;
}

yajl_val in_obj(yajl_val obj, const char *key)
{
    yajl_val v = in_get(obj, key);
    return v && YAJL_IS_OBJECT(v) ? v : NULL;
}

size_t arr_len(yajl_val a)
{
    return a && YAJL_IS_ARRAY(a) ? a->u.array.len : 0;
}

yajl_val in_arr(yajl_val obj, const char *key)
{
    yajl_val v = in_get(obj, key);
    return v && YAJL_IS_ARRAY(v) ? v : NULL;
}
