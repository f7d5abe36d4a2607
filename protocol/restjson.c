/* restjson.c - the REST-JSON protocol (Lambda): binds a request's method and
 * path to the operation whose requestUri template matches, builds its input
 * from URI labels, query string, headers and JSON body, and renders replies:
 * header-bound output members become headers, statusCode sets the status, a
 * blob payload member is the raw body; errors carry x-amzn-ErrorType. */
#include <string.h>
#include <strings.h>

#include "call_http.h"
#include "urlenc.h"
#include "ytree.h"

#define MAX_SEGMENTS 16
#define MAX_BOUND 32

typedef struct {
    const char *ptr;
    size_t len;
} seg_t;

static size_t split(const char *p, size_t len, seg_t *segs)
{
    size_t n = 0, i = 0;
    while (i < len && n < MAX_SEGMENTS) {
        while (i < len && p[i] == '/')
            i++;
        if (i == len)
            break;
        size_t start = i;
        while (i < len && p[i] != '/')
            i++;
        segs[n++] = (seg_t){p + start, i - start};
    }
    return n;
}

/* Number of literal segments matched, or -1. Labels are filled into labels[]. */
static int match(const char *tmpl, const seg_t *path, size_t npath, seg_t *labels, seg_t *label_names, size_t *nlabels)
{
    size_t tlen = strcspn(tmpl, "?");
    seg_t t[MAX_SEGMENTS];
    size_t nt = split(tmpl, tlen, t);
    int literals = 0;
    *nlabels = 0;
    size_t i = 0;
    for (; i < nt; i++) {
        if (t[i].len >= 2 && t[i].ptr[0] == '{') {
            int greedy = t[i].ptr[t[i].len - 2] == '+';
            seg_t name = {t[i].ptr + 1, t[i].len - 2 - (size_t)greedy};
            if (i >= npath)
                return -1;
            seg_t v = path[i];
            if (greedy) {
                v.len = (size_t)(path[npath - 1].ptr + path[npath - 1].len - v.ptr);
                i = npath;
            }
            label_names[*nlabels] = name;
            labels[(*nlabels)++] = v;
            if (greedy)
                return i == npath ? literals : -1;
            continue;
        }
        if (i >= npath || t[i].len != path[i].len || memcmp(t[i].ptr, path[i].ptr, t[i].len) != 0)
            return -1;
        literals++;
    }
    return i == npath ? literals : -1;
}

#define MAX_QUERY_VALUES 64

/* The decoded values of query parameter `name`, in order (up to max); their count. */
static size_t query_values(h2o_mem_pool_t *pool, h2o_iovec_t q, const char *name, const char **out, size_t max)
{
    size_t nlen = strlen(name), n = 0;
    for (size_t i = 0; i < q.len && n < max;) {
        size_t end = i;
        while (end < q.len && q.base[end] != '&')
            end++;
        const char *eq = memchr(q.base + i, '=', end - i);
        size_t klen = eq ? (size_t)(eq - (q.base + i)) : end - i;
        char *key = url_decode(pool, q.base + i, klen, 1, 0, NULL);
        if (strlen(key) == nlen && memcmp(key, name, nlen) == 0)
            out[n++] = eq ? url_decode(pool, eq + 1, (size_t)(q.base + end - eq - 1), 1, 0, NULL) : "";
        i = end + 1;
    }
    return n;
}

/* A query-string member: a list member takes every value (tagKeys=a&tagKeys=b), others the first. */
static yajl_val query_member(h2o_mem_pool_t *pool, const model_service_t *m, const model_member_t *mem, h2o_iovec_t q,
                             const char *where)
{
    const char *vals[MAX_QUERY_VALUES];
    size_t n = query_values(pool, q, where, vals, MAX_QUERY_VALUES);
    const model_shape_t *sh = &m->shapes[mem->shape];
    if (n == 0)
        return NULL;
    if (sh->type != SHAPE_LIST)
        return ytree_scalar(pool, sh->type, vals[0]);
    yajl_val arr = ytree_new(pool, yajl_t_array);
    arr->u.array.values = h2o_mem_alloc_pool(pool, n * sizeof(yajl_val));
    for (size_t k = 0; k < n; k++)
        arr->u.array.values[k] = ytree_scalar(pool, m->shapes[sh->member].type, vals[k]);
    arr->u.array.len = n;
    return arr;
}

static const char *header_value(h2o_req_t *req, const char *name)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, strlen(name), -1);
    if (i == -1) {
        /* h2o keeps header names lower-case */
        char lc[128];
        size_t n = strlen(name);
        if (n >= sizeof(lc))
            return NULL;
        for (size_t k = 0; k <= n; k++)
            lc[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
        i = h2o_find_header_by_str(&req->headers, lc, n, -1);
    }
    return i == -1 ? NULL : h2o_strdup(&req->pool, req->headers.entries[i].value.base, req->headers.entries[i].value.len).base;
}

/* 1 when the request's query holds the template's query literal ("/layers?find=LayerVersion" takes find=LayerVersion),
 * or the template has none. */
static int query_literal_matches(const char *tmpl, h2o_req_t *req)
{
    const char *lit = strchr(tmpl, '?');
    if (!lit)
        return 1;
    size_t n = strlen(++lit);
    h2o_iovec_t q = req->query_at == SIZE_MAX
                        ? h2o_iovec_init("", 0)
                        : h2o_iovec_init(req->path.base + req->query_at + 1, req->path.len - req->query_at - 1);
    for (size_t i = 0; i + n <= q.len; i++)
        if ((i == 0 || q.base[i - 1] == '&') && memcmp(q.base + i, lit, n) == 0 && (i + n == q.len || q.base[i + n] == '&'))
            return 1;
    return 0;
}

static const model_op_t *find_op(const model_service_t *m, h2o_req_t *req, seg_t *labels, seg_t *names, size_t *nlabels)
{
    size_t plen = req->query_at == SIZE_MAX ? req->path.len : req->query_at;
    seg_t path[MAX_SEGMENTS];
    size_t npath = split(req->path.base, plen, path);
    const model_op_t *best = NULL;
    int best_literals = -1;
    seg_t l[MAX_SEGMENTS], n[MAX_SEGMENTS];
    for (int i = 0; i < m->nops; i++) {
        const model_op_t *op = &m->ops[i];
        size_t nl;
        if (op->request_uri == NULL || op->http_method == NULL ||
            !h2o_memis(req->method.base, req->method.len, op->http_method, strlen(op->http_method)))
            continue;
        int lit = match(op->request_uri, path, npath, l, n, &nl);
        if (lit >= 0 && strchr(op->request_uri, '?')) /* its query literal counts as one more literal, or fails the match */
            lit = query_literal_matches(op->request_uri, req) ? lit + 1 : -1;
        if (lit > best_literals) {
            best = op;
            best_literals = lit;
            memcpy(labels, l, nl * sizeof(seg_t));
            memcpy(names, n, nl * sizeof(seg_t));
            *nlabels = nl;
        }
    }
    return best;
}

const model_op_t *restjson_find_op(const model_service_t *m, h2o_req_t *req)
{
    seg_t labels[MAX_SEGMENTS], names[MAX_SEGMENTS];
    size_t nlabels;
    return find_op(m, req, labels, names, &nlabels);
}

int restjson_bind(call_t *c, h2o_req_t *req)
{
    const model_service_t *m = c->svc->model;
    seg_t labels[MAX_SEGMENTS], names[MAX_SEGMENTS];
    size_t nlabels = 0;
    const model_op_t *op = find_op(m, req, labels, names, &nlabels);
    if (op == NULL)
        return -1;
    c->op = op;
    c->op_name = op->name;
    const model_shape_t *in = op->input >= 0 ? &m->shapes[op->input] : NULL;
    yajl_val body = NULL;
    const char *keys[MAX_BOUND];
    yajl_val values[MAX_BOUND];
    size_t n = 0;
    h2o_iovec_t q = req->query_at == SIZE_MAX ? h2o_iovec_init("", 0)
                                               : h2o_iovec_init(req->path.base + req->query_at + 1, req->path.len - req->query_at - 1);
    int raw_payload = 0;
    for (int i = 0; in && i < in->nmembers && n < MAX_BOUND; i++) {
        const model_member_t *mem = &in->members[i];
        const char *where = mem->location_name ? mem->location_name : mem->name;
        const char *text = NULL;
        yajl_val v = NULL;
        if (mem->payload && m->shapes[mem->shape].type == SHAPE_BLOB)
            raw_payload = 1;
        if (mem->location == LOC_URI) {
            for (size_t k = 0; k < nlabels; k++)
                if (names[k].len == strlen(where) && memcmp(names[k].ptr, where, names[k].len) == 0)
                    text = url_decode(c->pool, labels[k].ptr, labels[k].len, 0, 0, NULL);
        } else if (mem->location == LOC_QUERYSTRING) {
            v = query_member(c->pool, m, mem, q, where);
        } else if (mem->location == LOC_HEADER) {
            text = header_value(req, where);
        }
        if (text != NULL)
            v = ytree_scalar(c->pool, m->shapes[mem->shape].type, text);
        if (v == NULL)
            continue;
        keys[n] = mem->name;
        values[n++] = v;
    }
    if (!raw_payload) {
        const char *msg;
        if (awsjson_parse(c->pool, c->body.base, c->body.len, AWSJSON_TEXT_REFUSE_NUL, &body, &msg) != 0) {
            call_error(c, "InvalidRequestContentException", "Could not parse request body into json: %s", msg);
            return -2;
        }
    }
    c->in = ytree_object_extend(c->pool, body, keys, values, n);
    return 0;
}

static int has_bound_output(const model_service_t *m, const model_op_t *op)
{
    if (op->output < 0)
        return 0;
    const model_shape_t *out = &m->shapes[op->output];
    for (int i = 0; i < out->nmembers; i++)
        if (out->members[i].location == LOC_HEADER || out->members[i].location == LOC_STATUS_CODE)
            return 1;
    return 0;
}

/* Moves header/status members of the output to the response; returns the body JSON. */
static h2o_iovec_t bind_output(call_t *c, int *status)
{
    h2o_req_t *req = c->http->req;
    const model_service_t *m = c->svc->model;
    const model_shape_t *shape = &m->shapes[c->op->output];
    yajl_val out;
    const char *msg;
    if (awsjson_parse(c->pool, c->out.buf, c->out.len, AWSJSON_TEXT_REFUSE_NUL, &out, &msg) != 0)
        return h2o_iovec_init(c->out.buf, c->out.len);
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    for (size_t i = 0; i < out->u.object.len; i++) {
        const char *key = out->u.object.keys[i];
        yajl_val v = out->u.object.values[i];
        const model_member_t *mem = model_find_member(shape, key, strlen(key));
        if (mem && mem->location == LOC_STATUS_CODE && YAJL_IS_INTEGER(v)) {
            *status = (int)v->u.number.i;
        } else if (mem && mem->location == LOC_HEADER) {
            const char *text = YAJL_IS_STRING(v) ? v->u.string : YAJL_IS_NUMBER(v) ? v->u.number.r : NULL;
            if (text)
                call_add_header(req, mem->location_name ? mem->location_name : key, text, strlen(text));
        } else if (!(mem && mem->payload)) {
            jw_key(&w, key);
            ytree_write(&w, v);
        }
    }
    jw_end(&w);
    h2o_iovec_t body = h2o_strdup(c->pool, w.buf, w.len);
    jw_free(&w);
    return body;
}

static int rest_error_status(const char *code, int status)
{
    static const char *const forbidden[] = {"UnrecognizedClientException", "InvalidSignatureException",
                                            "IncompleteSignatureException", "MissingAuthenticationTokenException",
                                            "AccessDeniedException"};
    if (strcmp(code, "UnknownOperationException") == 0)
        return 404;
    for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++)
        if (strcmp(code, forbidden[i]) == 0)
            return 403;
    return status;
}

h2o_iovec_t restjson_render(call_t *c, int rc)
{
    h2o_req_t *req = c->http->req;
    if (rc == CALL_ERROR) {
        error_info_t ei;
        errors_lookup(c->svc, c->err_code, c->pool, &ei);
        call_add_header(req, "x-amzn-ErrorType", c->err_code, strlen(c->err_code));
        req->res.status = rest_error_status(c->err_code, ei.status);
        call_content_type(req, "application/json");
        return call_error_json(c, "Type", ei.sender_fault ? "User" : "Service", ei.message_key);
    }
    int status = c->op->success_status ? c->op->success_status : 200;
    h2o_iovec_t body = c->out.len ? h2o_iovec_init(c->out.buf, c->out.len) : h2o_iovec_init("{}", 2);
    if (c->out.len && has_bound_output(c->svc->model, c->op))
        body = bind_output(c, &status);
    const char *ctype = "application/json";
    if (c->out_payload.base) {
        body = c->out_payload;
        if (c->out_content_type)
            ctype = c->out_content_type;
    } else if (status == 204) {
        body = h2o_iovec_init("", 0);
    }
    req->res.status = status;
    call_content_type(req, ctype);
    return body;
}
