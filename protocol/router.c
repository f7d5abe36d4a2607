/* router.c - decides, for each request on the main port, which service and wire
 * protocol it speaks, decodes its input, and hands it to call_run():
 *   X-Amz-Target "<prefix>.<Op>"        AWS JSON 1.0 (SQS, DynamoDB, DynamoDB Streams)
 *   /20xx-xx-xx/... paths               Lambda REST-JSON
 *   form body or ?Action=               SQS query protocol
 * The SigV4 credential scope's service breaks ties and picks the error format
 * when nothing else identifies the service. It also answers what AWS's front ends
 * answer before any service: CORS preflights (and the CORS headers of every reply)
 * and DynamoDB's health check, GET /. */
#include "router.h"

#include <string.h>
#include <strings.h>

#include "../services/service.h"
#include "auth.h"
#include "call_http.h"
#include "gunzip.h"
#include "ids.h"
#include "query.h"
#include "ytree.h"

static const service_t *service_by_target(const char *t, size_t len, size_t *dot)
{
    const char *d = memchr(t, '.', len);
    if (d == NULL)
        return NULL;
    size_t n = (size_t)(d - t);
    for (const service_t *const *s = services_enabled(); *s; s++) {
        const char *prefix = (*s)->model->target_prefix;
        if (prefix && strlen(prefix) == n && memcmp(prefix, t, n) == 0) {
            *dot = n; /* only for a service found: route() falls back to the "." target otherwise */
            return *s;
        }
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

/* Lambda's code uploads take bodies up to AWS's own limit (50 MB of zip, base64 in JSON), whatever --max-body says;
 * AWS refuses larger ones with this number (seen from AWS; LocalStack pull request 2999). */
#define LAMBDA_CODE_BODY 69905067

static int is_code_upload(const call_t *c)
{
    return strcmp(c->svc->name, "lambda") == 0 &&
           (strcmp(c->op_name, "CreateFunction") == 0 || strcmp(c->op_name, "UpdateFunctionCode") == 0 ||
            strcmp(c->op_name, "PublishLayerVersion") == 0);
}

/* The largest body c's operation takes and the name its refusal gives the operation: --max-body, but AWS's own
 * limit for Lambda's code uploads, and at most AWS's for Lambda's Invoke (named as AWS names it). */
static size_t body_limit(const call_t *c, size_t max_body, const char **name)
{
    *name = c->op_name;
    if (strcmp(c->svc->name, "lambda") == 0 && strcmp(c->op_name, "Invoke") == 0) {
        *name = "InvokeFunction";
        return max_body < 6291456 ? max_body : 6291456;
    }
    return is_code_upload(c) ? LAMBDA_CODE_BODY : max_body;
}

size_t router_largest_body(const http_options_t *opt)
{
    return opt->max_body > LAMBDA_CODE_BODY ? opt->max_body : LAMBDA_CODE_BODY;
}

/* A body over its operation's limit refused by the service it was meant for, rendered into req->res; returns the
 * body. SQS's front end words it like this (in plain text; here in SQS's error format, which clients can read), the
 * Coral services (DynamoDB, Lambda) like Lambda's answer to an oversized Invoke. */
static h2o_iovec_t render_oversized(call_t *c, const http_options_t *opt)
{
    const char *name;
    size_t limit = body_limit(c, opt->max_body, &name);
    if (strcmp(c->svc->name, "sqs") == 0)
        call_error(c, "RequestEntityTooLarge", "HTTP content length exceeded %zu bytes.", limit);
    else
        call_error(c, "RequestEntityTooLargeException", "Request must be smaller than %zu bytes for the %s operation", limit, name);
    return call_render(c, CALL_ERROR);
}

/* 1 when req's body is over its operation's limit (h2o takes up to twice the largest, so that the client reads
 * this answer rather than a reset): the refusal is sent. */
static int refused_oversized(call_t *c, h2o_req_t *req, const http_options_t *opt)
{
    const char *name;
    if (req->entity.len <= body_limit(c, opt->max_body, &name))
        return 0;
    h2o_iovec_t body = render_oversized(c, opt);
    http_send(req, req->res.status, NULL, body.base, body.len);
    return 1;
}

/* The body of a DynamoDB call sent with Content-Encoding: gzip, inflated (after auth_check: the signature covers
 * what was sent); a broken one, or any other encoding, is refused with a 500 as DynamoDB refuses them. 0, or -1
 * with the answer sent: an inflated body over --max-body is refused as a sent one is. */
static int decoded_body(call_t *c, h2o_req_t *req, const http_options_t *opt, h2o_iovec_t *body)
{
    h2o_iovec_t enc = header(req, H2O_STRLIT("content-encoding"));
    *body = req->entity;
    if (enc.base == NULL || !awsjson_is_dynamodb(c))
        return 0;
    gunzip_rc_t rc = enc.len == 4 && strncasecmp(enc.base, "gzip", 4) == 0
                         ? gunzip(c->pool, req->entity.base, req->entity.len, opt->max_body, body)
                         : GUNZIP_BAD;
    if (rc == GUNZIP_OK) {
        c->body = *body; /* what TransactWriteItems sizes and hashes */
        return 0;
    }
    if (rc == GUNZIP_TOO_LARGE) {
        h2o_iovec_t refusal = render_oversized(c, opt);
        http_send(req, req->res.status, NULL, refusal.base, refusal.len);
    } else {
        call_error(c, "InternalServerError", "Internal server error");
        call_respond(c, CALL_ERROR);
    }
    return -1;
}

static int serve_json(h2o_req_t *req, const service_t *svc, h2o_iovec_t target, size_t dot, const http_options_t *opt)
{
    call_t *c = call_new(req, svc, PROTO_JSON, opt->region);
    const char *op = target.base + dot + 1;
    size_t oplen = target.len - dot - 1;
    c->op = model_find_op(svc->model, op, oplen);
    c->op_name = c->op ? c->op->name : call_strndup(c, op, oplen);
    h2o_iovec_t body;
    if (refused_oversized(c, req, opt) || auth_check(c, req, opt) != 0 || decoded_body(c, req, opt, &body) != 0)
        return 0;
    const char *msg;
    int sqs = strcmp(svc->name, "sqs") == 0;
    awsjson_text_t text = sqs ? AWSJSON_TEXT_SQS : awsjson_is_dynamodb(c) ? AWSJSON_TEXT_NUL : AWSJSON_TEXT_REFUSE_NUL;
    if (awsjson_parse(c->pool, body.base, body.len, text, &c->in, &msg) != 0) {
        call_error(c, "SerializationException", "%s", msg);
        call_respond(c, CALL_ERROR);
        return 0;
    }
    if (sqs)
        set_queue_url_from_path(c, req);
    call_run(c);
    return 0;
}

static int serve_query(h2o_req_t *req, const service_t *svc, const http_options_t *opt)
{
    call_t *c = call_new(req, svc, PROTO_QUERY, opt->region);
    c->op_name = "-"; /* an oversized body is refused before it is decoded */
    if (refused_oversized(c, req, opt))
        return 0;
    h2o_iovec_t q = req->query_at == SIZE_MAX
                        ? h2o_iovec_init("", 0)
                        : h2o_iovec_init(req->path.base + req->query_at + 1, req->path.len - req->query_at - 1);
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

/* The op an oversized REST request names (its body is not decoded). */
static void oversized_rest_op(call_t *c, h2o_req_t *req)
{
    c->op = restjson_find_op(c->svc->model, req);
    c->op_name = c->op ? c->op->name : "-";
}

static int serve_rest(h2o_req_t *req, const service_t *svc, const http_options_t *opt)
{
    call_t *c = call_new(req, svc, PROTO_REST, opt->region);
    c->op_name = "-";
    if (req->entity.len > opt->max_body)
        oversized_rest_op(c, req); /* names the operation, for its limit */
    if (refused_oversized(c, req, opt))
        return 0;
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

/* A queue URL's path, /<12-digit account>/<name>: a request to it without a target is SQS's (a browser's
 * GET of a queue URL gets the query protocol's MissingAction). */
static int is_queue_path(h2o_req_t *req)
{
    h2o_iovec_t p = req->path_normalized;
    if (p.len < 15 || p.base[0] != '/' || p.base[13] != '/' || memchr(p.base + 14, '/', p.len - 14) != NULL)
        return 0;
    for (size_t i = 1; i < 13; i++)
        if (p.base[i] < '0' || p.base[i] > '9')
            return 0;
    return 1;
}

/* Where a request goes: its service (NULL when nothing names one) and wire protocol. */
typedef struct {
    const service_t *svc;
    proto_t proto;
    h2o_iovec_t target; /* JSON: the X-Amz-Target value; the op follows target.base[dot] */
    size_t dot;
} route_t;

static route_t route(h2o_req_t *req)
{
    route_t r = {NULL, PROTO_JSON, h2o_iovec_init(H2O_STRLIT(".")), 0};
    h2o_iovec_t target = header(req, H2O_STRLIT("x-amz-target"));
    if (target.base) {
        r.svc = service_by_target(target.base, target.len, &r.dot);
        if (r.svc) {
            r.target = target;
            return r;
        }
    } else {
        const service_t *lambda = service_by_name("lambda"), *sqs = service_by_name("sqs");
        if (lambda && is_lambda_path(req))
            return (route_t){lambda, PROTO_REST, r.target, 0};
        if (sqs && (is_form(req) || has_action_param(req) || is_queue_path(req)))
            return (route_t){sqs, PROTO_QUERY, r.target, 0};
    }
    /* Nothing else names it: the credential scope's service, in its own protocol
     * (a JSON 1.0 service with an empty target is an unknown operation). */
    r.svc = service_by_name(auth_scope_service(req));
    if (r.svc && strcmp(r.svc->name, "sqs") == 0)
        r.proto = PROTO_QUERY;
    else if (r.svc && strcmp(r.svc->name, "lambda") == 0)
        r.proto = PROTO_REST;
    return r;
}

/* What a browser may read of a reply: DynamoDB's and SQS's list, Lambda's with its own headers. */
static const char *cors_exposed(h2o_req_t *req)
{
    return is_lambda_path(req) ? "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date,x-amz-log-result,x-amz-function-error"
                               : "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";
}

void router_cors_headers(h2o_req_t *req)
{
    if (header(req, H2O_STRLIT("origin")).base == NULL)
        return;
    const char *exposed = cors_exposed(req);
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("Access-Control-Allow-Origin"), 0, NULL, H2O_STRLIT("*"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("Access-Control-Expose-Headers"), 0, NULL, exposed,
                          strlen(exposed));
}

/* Adds header name to the reply with the value of the request's header from, when it has one. */
static void echo_header(h2o_req_t *req, const char *from, size_t fromlen, const char *name, size_t namelen)
{
    h2o_iovec_t v = header(req, from, fromlen);
    if (v.base)
        h2o_add_header_by_str(&req->pool, &req->res.headers, name, namelen, 0, NULL, v.base, v.len);
}

/* A CORS preflight (OPTIONS with an Origin) is answered as AWS answers it for DynamoDB, SQS and Lambda
 * alike: 200, no body, every method and header asked for allowed, cacheable for two days (the
 * Allow-Origin and Expose-Headers come with every reply, router_cors_headers). 1 if answered. */
static int cors_preflight(h2o_req_t *req)
{
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("OPTIONS")) || header(req, H2O_STRLIT("origin")).base == NULL)
        return 0;
    char rid[53];
    if (is_lambda_path(req))
        ids_uuid(rid);
    else
        ids_ddb_request_id(rid);
    call_add_header(req, "x-amzn-RequestId", rid, strlen(rid));
    echo_header(req, H2O_STRLIT("access-control-request-headers"), H2O_STRLIT("Access-Control-Allow-Headers"));
    echo_header(req, H2O_STRLIT("access-control-request-method"), H2O_STRLIT("Access-Control-Allow-Methods"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("Access-Control-Max-Age"), 0, NULL, H2O_STRLIT("172800"));
    http_send(req, 200, NULL, "", 0);
    return 1;
}

/* DynamoDB's health check: GET / naming no other service is answered "healthy: <host>". 1 if answered. */
static int ddb_health(h2o_req_t *req, const route_t *r)
{
    const service_t *ddb = service_by_name("dynamodb");
    if (ddb == NULL || (r->svc != NULL && r->svc != ddb) || header(req, H2O_STRLIT("x-amz-target")).base != NULL ||
        !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) ||
        !h2o_memis(req->path.base, req->path.len, H2O_STRLIT("/")))
        return 0;
    h2o_iovec_t body = h2o_concat(&req->pool, h2o_iovec_init(H2O_STRLIT("healthy: ")), req->authority);
    http_send(req, 200, "text/plain", body.base, body.len);
    return 1;
}

h2o_iovec_t router_refuse_oversized(h2o_req_t *req, const http_options_t *opt)
{
    static const char unrouted[] = "{\"__type\":\"RequestEntityTooLargeException\",\"message\":\"Request entity too large\"}";
    route_t r = route(req);
    if (r.svc == NULL) {
        req->res.status = 413;
        call_content_type(req, "application/json");
        return h2o_iovec_init(unrouted, sizeof(unrouted) - 1);
    }
    call_t *c = call_new(req, r.svc, r.proto, opt->region);
    c->op_name = "-";
    if (r.proto == PROTO_JSON) {
        c->op = model_find_op(r.svc->model, r.target.base + r.dot + 1, r.target.len - r.dot - 1);
        c->op_name = c->op ? c->op->name : call_strndup(c, r.target.base + r.dot + 1, r.target.len - r.dot - 1);
    } else if (r.proto == PROTO_REST) {
        oversized_rest_op(c, req);
    }
    return render_oversized(c, opt);
}

int router_handle(h2o_req_t *req, const http_options_t *opt)
{
    static const char unrouted[] = "{\"__type\":\"UnknownOperationException\",\"message\":\"No AWS service or "
                                   "operation matches this request\"}";
    if (cors_preflight(req) || admin_handle(req))
        return 0;
    route_t r = route(req);
    if (ddb_health(req, &r))
        return 0;
    if (r.svc == NULL) {
        http_send(req, 404, "application/json", unrouted, sizeof(unrouted) - 1);
        return 0;
    }
    switch (r.proto) {
    case PROTO_JSON:
        return serve_json(req, r.svc, r.target, r.dot, opt);
    case PROTO_QUERY:
        return serve_query(req, r.svc, opt);
    case PROTO_REST:
        return serve_rest(req, r.svc, opt);
    }
    return 0;
}
