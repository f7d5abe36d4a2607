/* router.c - decides, for each request on the main port, which service and wire
 * protocol it speaks, decodes its input, and hands it to call_run():
 *   X-Amz-Target "<prefix>.<Op>"        AWS JSON 1.0 (SQS, DynamoDB, DynamoDB Streams)
 *   /20xx-xx-xx/... paths               Lambda REST-JSON
 *   form body or ?Action=               SQS query protocol
 * The SigV4 credential scope's service breaks ties and picks the error format
 * when nothing else identifies the service. */
#include "router.h"

#include <string.h>
#include <strings.h>

#include "../services/service.h"
#include "auth.h"
#include "call_http.h"
#include "query.h"
#include "ytree.h"

static const service_t *service_by_target(const char *t, size_t len, size_t *dot)
{
    const char *d = memchr(t, '.', len);
    if (d == NULL)
        return NULL;
    *dot = (size_t)(d - t);
    for (const service_t *const *s = services_enabled(); *s; s++) {
        const char *prefix = (*s)->model->target_prefix;
        if (prefix && strlen(prefix) == *dot && memcmp(prefix, t, *dot) == 0)
            return *s;
    }
    return NULL;
}

static h2o_iovec_t header(h2o_req_t *req, const char *name, size_t len)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, len, -1);
    return i == -1 ? h2o_iovec_init(NULL, 0) : req->headers.entries[i].value;
}

/* "/000000000000/name" names an SQS queue (older SDKs put it in the path). */
static int sqs_path_queue(h2o_req_t *req)
{
    h2o_iovec_t p = req->path_normalized;
    if (p.len < 15 || p.base[0] != '/')
        return 0;
    for (int i = 1; i <= 12; i++)
        if (p.base[i] < '0' || p.base[i] > '9')
            return 0;
    return p.base[13] == '/' && p.len > 14 && memchr(p.base + 14, '/', p.len - 14) == NULL;
}

/* Adds QueueUrl from the request path when the input lacks it. */
static void set_queue_url_from_path(call_t *c, h2o_req_t *req)
{
    if (!sqs_path_queue(req) || in_get(c->in, "QueueUrl"))
        return;
    const char *key = "QueueUrl";
    char *url = call_sprintf(c, "http://%s%.*s", c->host, (int)req->path_normalized.len, req->path_normalized.base);
    yajl_val value = ytree_string(c->pool, url, strlen(url));
    /* A new object node: the parsed tree's own arrays stay untouched for yajl_tree_free. */
    c->in = ytree_object_extend(c->pool, c->in, &key, &value, 1);
}

static int serve_json(h2o_req_t *req, const service_t *svc, h2o_iovec_t target, size_t dot, const http_options_t *opt)
{
    call_t *c = call_new(req, svc, PROTO_JSON, opt->region);
    const char *op = target.base + dot + 1;
    size_t oplen = target.len - dot - 1;
    c->op = model_find_op(svc->model, op, oplen);
    c->op_name = c->op ? c->op->name : call_strndup(c, op, oplen);
    if (auth_check(c, req, opt) != 0)
        return 0;
    const char *msg;
    if (awsjson_parse(c->pool, req->entity.base, req->entity.len, &c->in, &msg) != 0) {
        call_error(c, "SerializationException", "%s", msg);
        call_respond(c, CALL_ERROR);
        return 0;
    }
    if (strcmp(svc->name, "sqs") == 0)
        set_queue_url_from_path(c, req);
    call_run(c);
    return 0;
}

static int serve_query(h2o_req_t *req, const service_t *svc, const http_options_t *opt)
{
    call_t *c = call_new(req, svc, PROTO_QUERY, opt->region);
    h2o_iovec_t q = req->query_at == SIZE_MAX ? h2o_iovec_init("", 0)
                                               : h2o_iovec_init(req->path.base + req->query_at + 1,
                                                                req->path.len - req->query_at - 1);
    query_request_t qr;
    int rc = query_decode(svc->model, q, c->body, c->pool, &qr);
    c->op_name = qr.action ? qr.action : "-";
    c->op = qr.op;
    if (auth_check(c, req, opt) != 0)
        return 0;
    if (rc != 0) {
        call_error(c, qr.err_code, "%s", qr.err_msg);
        call_respond(c, CALL_ERROR);
        return 0;
    }
    c->in = qr.in;
    set_queue_url_from_path(c, req);
    call_run(c);
    return 0;
}

static int serve_rest(h2o_req_t *req, const service_t *svc, const http_options_t *opt)
{
    call_t *c = call_new(req, svc, PROTO_REST, opt->region);
    int rc = restjson_bind(c, req);
    if (auth_check(c, req, opt) != 0)
        return 0;
    if (rc == -1) {
        c->op_name = "-";
        call_error(c, "UnknownOperationException", "Unknown operation %.*s %.*s", (int)req->method.len, req->method.base,
                   (int)req->path_normalized.len, req->path_normalized.base);
        call_respond(c, CALL_ERROR);
        return 0;
    }
    if (rc == -2) {
        call_respond(c, CALL_ERROR);
        return 0;
    }
    call_run(c);
    return 0;
}

static int is_form(h2o_req_t *req)
{
    h2o_iovec_t ct = header(req, H2O_STRLIT("content-type"));
    return ct.len >= 33 && strncasecmp(ct.base, "application/x-www-form-urlencoded", 33) == 0;
}

static int has_action_param(h2o_req_t *req)
{
    if (req->query_at == SIZE_MAX)
        return 0;
    h2o_iovec_t q = h2o_iovec_init(req->path.base + req->query_at, req->path.len - req->query_at);
    for (size_t i = 0; i + 7 <= q.len; i++)
        if ((q.base[i] == '?' || q.base[i] == '&') && memcmp(q.base + i + 1, "Action=", 7) == 0)
            return 1;
    return 0;
}

/* "/2015-03-31/..." and the other dated Lambda API roots. */
static int is_lambda_path(h2o_req_t *req)
{
    h2o_iovec_t p = req->path_normalized;
    return p.len >= 12 && p.base[0] == '/' && p.base[1] == '2' && p.base[2] == '0' && p.base[5] == '-' && p.base[8] == '-' &&
           p.base[11] == '/';
}

/* A request nothing identifies: answered in the error format of the service
 * its credential scope names, else as a generic JSON 404. */
static int serve_unknown(h2o_req_t *req, const http_options_t *opt)
{
    const service_t *svc = service_by_name(auth_scope_service(req));
    if (svc == NULL) {
        static const char body[] = "{\"__type\":\"UnknownOperationException\",\"message\":\"No AWS service or "
                                   "operation matches this request\"}";
        http_send(req, 404, "application/json", body, sizeof(body) - 1);
        return 0;
    }
    if (strcmp(svc->name, "sqs") == 0)
        return serve_query(req, svc, opt);
    if (strcmp(svc->name, "lambda") == 0)
        return serve_rest(req, svc, opt);
    return serve_json(req, svc, h2o_iovec_init(H2O_STRLIT(".")), 0, opt);
}

int router_handle(h2o_req_t *req, const http_options_t *opt)
{
    if (admin_handle(req))
        return 0;
    h2o_iovec_t target = header(req, H2O_STRLIT("x-amz-target"));
    if (target.base) {
        size_t dot = 0;
        const service_t *svc = service_by_target(target.base, target.len, &dot);
        if (svc)
            return serve_json(req, svc, target, dot, opt);
        return serve_unknown(req, opt);
    }
    const service_t *lambda = service_by_name("lambda");
    if (lambda && is_lambda_path(req))
        return serve_rest(req, lambda, opt);
    const service_t *sqs = service_by_name("sqs");
    if (sqs && (is_form(req) || has_action_param(req)))
        return serve_query(req, sqs, opt);
    return serve_unknown(req, opt);
}
