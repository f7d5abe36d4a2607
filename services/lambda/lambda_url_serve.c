/* lambda_url_serve.c - the endpoint of function URLs. A request whose Host is
 * <url-id>.lambda-url.<region>.localhost[:port] (or Lambda's own .on.aws) runs its URL's
 * function ($LATEST or the alias) with Lambda's payload format 2.0 event, and the result
 * becomes the HTTP response as Lambda maps it (Lambda developer guide, "Invoking Lambda
 * function URLs"); the URL's Cors answers preflights and sets the Access-Control headers.
 * An AWS_IAM URL wants a valid signature under --auth sigv4 and takes any request without
 * it. A RESPONSE_STREAM URL streams a streaming function's bytes to its client as they come
 * (the answer starts with the first byte), the status, headers and cookies set by an
 * HttpResponseStream prelude (its JSON, then 8 NUL bytes); a handler that does not stream is
 * answered as by a BUFFERED URL, and a BUFFERED URL takes a streaming handler's whole stream
 * as its result. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../../protocol/base64.h"
#include "../../protocol/host_route.h"
#include "../../protocol/urlenc.h"
#include "../../protocol/ytree.h"
#include "../clock.h"
#include "lambda_url.h"

#define SUFFIX_LOCAL "localhost"
#define SUFFIX_AWS "on.aws"

/* Reply headers being gathered (names and values owned). */
typedef struct {
    host_header_t *v;
    size_t n, cap;
} hdrs_t;

static void hdr_add(hdrs_t *h, const char *name, const char *value, size_t len)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 8;
        h->v = realloc(h->v, h->cap * sizeof(*h->v));
    }
    h->v[h->n++] = (host_header_t){strdup(name), strndup(value, len)};
}

static void hdrs_free(hdrs_t *h)
{
    for (size_t i = 0; i < h->n; i++)
        free((char *)h->v[i].name), free((char *)h->v[i].value);
    free(h->v);
}

static void reply(host_req_t *r, int status, hdrs_t *h, const char *type, const char *body, size_t len)
{
    if (type)
        hdr_add(h, "Content-Type", type, strlen(type));
    host_reply(r, status, h->v, h->n, body, len);
    hdrs_free(h);
}

/* Lambda's refusals before any invocation: x-amzn-ErrorType and a JSON body. */
static void refuse(host_req_t *r, int status, const char *error_type, const char *body)
{
    hdrs_t h = {0};
    hdr_add(&h, "x-amzn-ErrorType", error_type, strlen(error_type));
    reply(r, status, &h, "application/json", body, strlen(body));
}

/* ---- the request: which URL, and the event ---- */

/* The url-id and region the Host names (lowercased into id and region), 0; -1 when it names none. */
static int parse_host(const char *host, char id[LAMBDA_URL_ID_LEN + 1], char region[32])
{
    size_t len = strcspn(host, ":"), i = 0, r = 0;
    for (; i < len && host[i] != '.'; i++)
        if (i < LAMBDA_URL_ID_LEN)
            id[i] = (char)tolower((unsigned char)host[i]);
    if (i != LAMBDA_URL_ID_LEN || strncasecmp(host + i, ".lambda-url.", 12) != 0)
        return -1;
    id[i] = '\0';
    for (i += 12; i < len && host[i] != '.' && r < 31; i++)
        region[r++] = (char)tolower((unsigned char)host[i]);
    region[r] = '\0';
    const char *suffix = host + i + 1;
    size_t slen = len > i ? len - i - 1 : 0;
    if (r == 0 || i >= len ||
        !((slen == strlen(SUFFIX_LOCAL) && strncasecmp(suffix, SUFFIX_LOCAL, slen) == 0) ||
          (slen == strlen(SUFFIX_AWS) && strncasecmp(suffix, SUFFIX_AWS, slen) == 0)))
        return -1;
    for (i = 0; i < LAMBDA_URL_ID_LEN; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9')))
            return -1;
    return 0;
}

/* The request's texts as UTF-8 (lambda_utf8.c: the runtime could not parse an event of other bytes, a 502), into t
 * (a copy of v), in pool. */
static void text_view(const host_view_t *v, h2o_mem_pool_t *pool, host_view_t *t)
{
    *t = *v;
    t->method = lambda_utf8_clean(pool, v->method);
    t->host = lambda_utf8_clean(pool, v->host);
    t->path = lambda_utf8_clean(pool, v->path);
    t->query = lambda_utf8_clean(pool, v->query);
    t->access_key = v->access_key ? lambda_utf8_clean(pool, v->access_key) : NULL;
    host_header_t *h = h2o_mem_alloc_pool(pool, sizeof(*h) * (v->nheaders + 1));
    for (size_t i = 0; i < v->nheaders; i++)
        h[i] = (host_header_t){lambda_utf8_clean(pool, v->headers[i].name), lambda_utf8_clean(pool, v->headers[i].value)};
    t->headers = h;
}

/* Appends s to a comma-separated list being built, of *n items so far. */
static void join(jw_t *list, size_t *n, const char *s)
{
    if ((*n)++)
        jw_append(list, ",", 1);
    jw_append(list, s, strlen(s));
}

static const char *header(const host_view_t *v, const char *name)
{
    for (size_t i = 0; i < v->nheaders; i++)
        if (strcmp(v->headers[i].name, name) == 0)
            return v->headers[i].value;
    return NULL;
}

/* The headers object: names lower-case, the values of a repeated header joined by commas, the
 * cookies left out (they have their own member), and the X-Forwarded ones Lambda's front end sets. */
static void write_headers(jw_t *w, const host_view_t *v)
{
    jw_obj(w);
    for (size_t i = 0; i < v->nheaders; i++) {
        const char *name = v->headers[i].name;
        size_t first = 0;
        while (strcmp(v->headers[first].name, name) != 0)
            first++;
        if (first < i || strcmp(name, "cookie") == 0 || strncmp(name, "x-forwarded-", 12) == 0)
            continue;
        jw_t joined;
        size_t n = 0;
        jw_init(&joined);
        for (size_t k = i; k < v->nheaders; k++)
            if (strcmp(v->headers[k].name, name) == 0)
                join(&joined, &n, v->headers[k].value);
        jw_key(w, name);
        jw_strn(w, joined.buf ? joined.buf : "", joined.len);
        jw_free(&joined);
    }
    char port[16];
    snprintf(port, sizeof(port), "%d", v->port);
    jw_kstr(w, "x-forwarded-for", v->source_ip);
    jw_kstr(w, "x-forwarded-port", port);
    jw_kstr(w, "x-forwarded-proto", "http");
    jw_end(w);
}

/* "cookies": each cookie of the Cookie headers ("a=1; b=2"). */
static void write_cookies(jw_t *w, const host_view_t *v)
{
    if (!header(v, "cookie"))
        return;
    jw_key(w, "cookies");
    jw_arr(w);
    for (size_t i = 0; i < v->nheaders; i++) {
        if (strcmp(v->headers[i].name, "cookie") != 0)
            continue;
        for (const char *p = v->headers[i].value; *p;) {
            p += strspn(p, "; ");
            size_t n = strcspn(p, ";");
            if (n)
                jw_strn(w, p, n);
            p += n;
        }
    }
    jw_aend(w);
}

/* A query parameter, decoded. */
typedef struct {
    const char *name, *value;
} param_t;

/* "queryStringParameters" when there is a query: decoded, the values of a repeated parameter joined by commas. */
static void write_query(jw_t *w, const char *query, h2o_mem_pool_t *pool)
{
    size_t max = 1;
    for (const char *p = query; *p; p++)
        max += *p == '&';
    param_t *ps = h2o_mem_alloc_pool(pool, sizeof(*ps) * max);
    size_t n = 0;
    for (const char *p = query; *p;) {
        size_t len = strcspn(p, "&"), eq = strcspn(p, "=");
        eq = eq < len ? eq : len;
        if (len) {
            ps[n].name = lambda_utf8_clean(pool, url_decode(pool, p, eq, 1, 0, NULL));
            ps[n++].value = eq < len ? lambda_utf8_clean(pool, url_decode(pool, p + eq + 1, len - eq - 1, 1, 0, NULL)) : "";
        }
        p += len + (p[len] == '&');
    }
    if (n == 0)
        return;
    jw_key(w, "queryStringParameters");
    jw_obj(w);
    for (size_t i = 0; i < n; i++) {
        if (!ps[i].name)
            continue;
        jw_t joined;
        size_t count = 0;
        jw_init(&joined);
        for (size_t k = i; k < n; k++)
            if (ps[k].name && strcmp(ps[k].name, ps[i].name) == 0) {
                join(&joined, &count, ps[k].value);
                if (k > i)
                    ps[k].name = NULL; /* joined here */
            }
        jw_key(w, ps[i].name);
        jw_strn(w, joined.buf ? joined.buf : "", joined.len);
        jw_free(&joined);
    }
    jw_end(w);
}

/* Lambda passes a body as text when its type is text (text/..., JSON, XML, JavaScript) and base64 otherwise. */
static int text_body(const host_view_t *v)
{
    const char *type = header(v, "content-type");
    if (!type)
        return 0;
    static const char *const texts[] = {"json", "xml", "javascript"};
    int text = strncasecmp(type, "text/", 5) == 0;
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]) && !text; i++)
        text = strcasestr(type, texts[i]) != NULL;
    return text && lambda_utf8_text((const unsigned char *)v->body, v->body_len);
}

/* The members of requestContext.authorizer.iam, in the developer guide's order. awsemu has no IAM users: the caller
 * is the account's root, named as STS GetCallerIdentity names it (user id the account id, ARN ...:root). */
static void write_iam_caller(jw_t *w, const host_view_t *v, const char *account)
{
    char arn[64];
    snprintf(arn, sizeof(arn), "arn:aws:iam::%s:root", account);
    jw_kstr(w, "accessKey", v->access_key ? v->access_key : "");
    jw_kstr(w, "accountId", account);
    jw_kstr(w, "callerId", account);
    jw_key(w, "cognitoIdentity");
    jw_null(w);
    jw_key(w, "principalOrgId");
    jw_null(w);
    jw_kstr(w, "userArn", arn);
    jw_kstr(w, "userId", account);
}

static void write_request_context(jw_t *w, const host_view_t *v, const lambda_fn_t *fn, const lambda_url_t *u,
                                  const char *request_id)
{
    int64_t now = clock_now_ms();
    time_t secs = (time_t)(now / 1000);
    struct tm tm;
    char when[40];
    gmtime_r(&secs, &tm);
    strftime(when, sizeof(when), "%d/%b/%Y:%H:%M:%S +0000", &tm);
    int iam = strcmp(u->auth_type, "AWS_IAM") == 0;
    jw_key(w, "requestContext");
    jw_obj(w);
    jw_kstr(w, "accountId", iam ? fn->account : "anonymous");
    jw_kstr(w, "apiId", u->id);
    if (iam) {
        jw_key(w, "authorizer");
        jw_obj(w);
        jw_key(w, "iam");
        jw_obj(w);
        write_iam_caller(w, v, fn->account);
        jw_end(w);
        jw_end(w);
    }
    jw_key(w, "domainName");
    jw_strn(w, v->host, strcspn(v->host, ":")); /* without the port */
    jw_kstr(w, "domainPrefix", u->id);
    jw_key(w, "http");
    jw_obj(w);
    jw_kstr(w, "method", v->method);
    jw_kstr(w, "path", v->path);
    jw_kstr(w, "protocol", v->protocol);
    jw_kstr(w, "sourceIp", v->source_ip);
    jw_kstr(w, "userAgent", header(v, "user-agent") ? header(v, "user-agent") : "");
    jw_end(w);
    jw_kstr(w, "requestId", request_id);
    jw_kstr(w, "routeKey", "$default");
    jw_kstr(w, "stage", "$default");
    jw_kstr(w, "time", when);
    jw_kint(w, "timeEpoch", now);
    jw_end(w);
}

/* The event Lambda gives a function for a request to its URL (payload format version 2.0); its texts are UTF-8. */
static char *event_of(const host_view_t *req, const lambda_fn_t *fn, const lambda_url_t *u, const char *request_id, size_t *len)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    host_view_t clean, *v = &clean;
    text_view(req, &pool, &clean);
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "version", "2.0");
    jw_kstr(&w, "routeKey", "$default");
    jw_kstr(&w, "rawPath", v->path);
    jw_kstr(&w, "rawQueryString", v->query);
    write_cookies(&w, v);
    jw_key(&w, "headers");
    write_headers(&w, v);
    write_query(&w, v->query, &pool);
    write_request_context(&w, v, fn, u, request_id);
    int text = text_body(v);
    if (v->body_len) {
        jw_key(&w, "body");
        if (text)
            jw_strn(&w, v->body, v->body_len);
        else
            jw_base64(&w, v->body, v->body_len);
    }
    jw_kbool(&w, "isBase64Encoded", v->body_len && !text);
    jw_end(&w);
    h2o_mem_clear_pool(&pool);
    return jw_take(&w, len);
}

/* ---- CORS ---- */

/* 1 when the URL's Cors lets origin in. */
static int origin_allowed(yajl_val cors, const char *origin)
{
    yajl_val list = in_arr(cors, "AllowOrigins");
    for (size_t i = 0; origin && i < arr_len(list); i++) {
        const char *o = YAJL_IS_STRING(list->u.array.values[i]) ? list->u.array.values[i]->u.string : "";
        if (strcmp(o, "*") == 0 || strcasecmp(o, origin) == 0)
            return 1;
    }
    return 0;
}

/* Adds header name with the strings of the Cors list key, comma-joined, when there are any. */
static void add_joined(hdrs_t *h, const char *name, yajl_val cors, const char *key)
{
    yajl_val list = in_arr(cors, key);
    jw_t joined;
    size_t n = 0;
    jw_init(&joined);
    for (size_t i = 0; i < arr_len(list); i++)
        if (YAJL_IS_STRING(list->u.array.values[i]))
            join(&joined, &n, list->u.array.values[i]->u.string);
    if (joined.len)
        hdr_add(h, name, joined.buf, joined.len);
    jw_free(&joined);
}

/* The Access-Control headers of a reply to a request from an allowed origin (a preflight's too). */
static void cors_headers(hdrs_t *h, yajl_val cors, const host_view_t *v, int preflight)
{
    const char *origin = header(v, "origin");
    if (!cors || !origin_allowed(cors, origin))
        return;
    int credentials = 0;
    in_bool(cors, "AllowCredentials", &credentials);
    /* "*" when any origin may call without credentials; the caller's origin otherwise (a browser takes no
     * "*" with credentials) */
    int star = !credentials && origin_allowed(cors, "*");
    hdr_add(h, "Access-Control-Allow-Origin", star ? "*" : origin, strlen(star ? "*" : origin));
    if (credentials)
        hdr_add(h, "Access-Control-Allow-Credentials", "true", 4);
    if (!preflight) {
        add_joined(h, "Access-Control-Expose-Headers", cors, "ExposeHeaders");
        return;
    }
    add_joined(h, "Access-Control-Allow-Methods", cors, "AllowMethods");
    add_joined(h, "Access-Control-Allow-Headers", cors, "AllowHeaders");
    long long age;
    if (in_int(cors, "MaxAge", &age)) {
        char s[24];
        snprintf(s, sizeof(s), "%lld", age);
        hdr_add(h, "Access-Control-Max-Age", s, strlen(s));
    }
}

static int is_preflight(const host_view_t *v)
{
    return strcmp(v->method, "OPTIONS") == 0 && header(v, "origin") && header(v, "access-control-request-method");
}

/* Lambda answers a CORS preflight itself when the URL has Cors: 200, no body, no invocation. */
static void answer_preflight(host_req_t *r, yajl_val cors, const host_view_t *v)
{
    hdrs_t h = {0};
    char rid[37];
    hdr_add(&h, "x-amzn-RequestId", lambda_uuid(rid), 36);
    cors_headers(&h, cors, v, 1);
    reply(r, 200, &h, NULL, "", 0);
}

/* ---- the response ---- */

/* An invocation for a request to a URL. */
typedef struct {
    host_req_t *req; /* NULL once its client has gone */
    hdrs_t cors;     /* the Access-Control headers its reply takes */
    /* RESPONSE_STREAM: the stream's answer has started; an HttpResponseStream's prelude is being read */
    int started, in_prelude;
    char *content_type; /* the stream's, until its answer starts at its first byte */
    char *prelude;
    size_t prelude_len;
} url_call_t;

#define HTTP_INTEGRATION "application/vnd.awslambda.http-integration-response"
#define PRELUDE_DELIMITER 8 /* NUL bytes */

static void add_value(hdrs_t *h, const char *name, yajl_val v)
{
    if (YAJL_IS_STRING(v))
        hdr_add(h, name, v->u.string, strlen(v->u.string));
    else if (YAJL_IS_NUMBER(v))
        hdr_add(h, name, v->u.number.r, strlen(v->u.number.r));
    else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
        hdr_add(h, name, YAJL_IS_TRUE(v) ? "true" : "false", YAJL_IS_TRUE(v) ? 4 : 5);
}

/* The headers of a result Lambda maps: its headers, each of its cookies as a Set-Cookie header, and
 * Content-Type type unless they name one. -1 when one cannot be written as an HTTP header (a name that is no
 * token, a value with a CR or LF): Lambda's answer to that is not recorded, awsemu takes it for no response. */
static int mapped_headers(yajl_val res, hdrs_t *h, const char *type)
{
    yajl_val hs = in_obj(res, "headers"), cookies = in_arr(res, "cookies");
    int typed = 0;
    for (size_t i = 0; hs && i < hs->u.object.len; i++) {
        typed |= strcasecmp(hs->u.object.keys[i], "content-type") == 0;
        add_value(h, hs->u.object.keys[i], hs->u.object.values[i]);
    }
    for (size_t i = 0; i < arr_len(cookies); i++)
        add_value(h, "Set-Cookie", cookies->u.array.values[i]);
    if (!typed)
        hdr_add(h, "Content-Type", type, strlen(type));
    for (size_t i = 0; i < h->n; i++)
        if (!host_header_valid(h->v[i].name, h->v[i].value))
            return -1;
    return 0;
}

/* A result with a statusCode as Lambda maps it: statusCode, headers (content-type application/json
 * unless they say otherwise), each of cookies as a Set-Cookie header, and the body, decoded when
 * isBase64Encoded. 0, or -1 when Lambda would take it for no response (a 502); a 1xx status, which
 * no final response may have, is taken so too. */
static int mapped(yajl_val res, hdrs_t *h, int *status, char **body, size_t *len)
{
    long long code;
    yajl_val sc = in_get(res, "statusCode");
    char *end = NULL;
    if (YAJL_IS_STRING(sc)) /* "418" as well as 418, as Lambda takes it */
        code = strtoll(sc->u.string, &end, 10);
    if ((YAJL_IS_STRING(sc) ? !isdigit((unsigned char)*sc->u.string) || *end : !in_int(res, "statusCode", &code)) || code < 200 ||
        code > 599)
        return -1;
    *status = (int)code;
    yajl_val b = in_get(res, "body");
    int b64 = 0;
    if (mapped_headers(res, h, "application/json") != 0)
        return -1;
    in_bool(res, "isBase64Encoded", &b64);
    if (!b || YAJL_IS_NULL(b)) {
        *body = strdup("");
        *len = 0;
    } else if (YAJL_IS_STRING(b) && b64) {
        size_t n = strlen(b->u.string);
        *body = malloc(n / 4 * 3 + 4);
        long got = base64_decode(b->u.string, n, (unsigned char *)*body);
        *len = got < 0 ? 0 : (size_t)got;
        return got < 0 ? -1 : 0;
    } else {
        *body = YAJL_IS_STRING(b) ? strdup(b->u.string) : lambda_json_text(b);
        *len = strlen(*body);
    }
    return 0;
}

/* Lambda's answer when the function failed or gave no response it can map. */
static void bad_gateway(host_req_t *r, hdrs_t *h)
{
    static const char text[] = "Internal Server Error";
    reply(r, 502, h, "text/plain", text, sizeof(text) - 1);
}

/* The function's headers fh (none when NULL) into h, then the URL's Cors headers, which take precedence. */
static void merge_cors(const url_call_t *uc, const hdrs_t *fh, hdrs_t *h)
{
    for (size_t i = 0; fh && i < fh->n; i++) {
        int overridden = 0;
        for (size_t k = 0; k < uc->cors.n; k++)
            overridden |= strcasecmp(fh->v[i].name, uc->cors.v[k].name) == 0;
        if (!overridden)
            hdr_add(h, fh->v[i].name, fh->v[i].value, strlen(fh->v[i].value));
    }
    for (size_t k = 0; k < uc->cors.n; k++)
        hdr_add(h, uc->cors.v[k].name, uc->cors.v[k].value, strlen(uc->cors.v[k].value));
}

/* The reply to a URL request from its invocation: a result with a statusCode as mapped(), any other
 * JSON as a 200 application/json body (a string's text, anything else as compact JSON, as Lambda's
 * recorded answers give "hello" for "hello" and {"hello":"world"} for {"hello": "world"}); the URL's Cors
 * headers take precedence over the function's. */
static void respond(url_call_t *uc, const lambda_inv_t *inv)
{
    hdrs_t h = {0}, fh = {0};
    hdr_add(&h, "x-amzn-RequestId", inv->request_id, strlen(inv->request_id));
    int status = 200, ok = inv->status == LAMBDA_INV_OK;
    char err[64], *body = NULL;
    size_t len = 0;
    /* a NUL within: no JSON text but a streaming handler's bytes (behind a BUFFERED URL), answered as they are */
    int text = ok && strlen(inv->result) == inv->result_len;
    yajl_val res = text ? ytree_parse_text(inv->result, err, sizeof(err)) : NULL;
    if (res && YAJL_IS_OBJECT(res) && in_get(res, "statusCode")) {
        ok = mapped(res, &fh, &status, &body, &len) == 0;
    } else if (ok) {
        hdr_add(&fh, "Content-Type", "application/json", 16);
        body = YAJL_IS_STRING(res) ? strdup(res->u.string) : res ? lambda_json_text(res) : NULL;
        len = body ? strlen(body) : inv->result_len;
        body = body ? body : memcpy(malloc(len + 1), inv->result, len);
    }
    yajl_tree_free(res);
    merge_cors(uc, ok ? &fh : NULL, &h);
    if (ok)
        reply(uc->req, status, &h, NULL, body ? body : "", len);
    else
        bad_gateway(uc->req, &h);
    hdrs_free(&fh);
    free(body);
}

/* ---- RESPONSE_STREAM ---- */

/* Starts the streamed answer: the status and the function's headers fh, with the URL's Cors. */
static void stream_begin(url_call_t *uc, const lambda_inv_t *inv, int status, const hdrs_t *fh)
{
    hdrs_t h = {0};
    hdr_add(&h, "x-amzn-RequestId", inv->request_id, strlen(inv->request_id));
    merge_cors(uc, fh, &h);
    host_stream_start(uc->req, status, h.v, h.n);
    hdrs_free(&h);
    uc->started = 1;
}

static void stream_start(lambda_inv_t *inv, const char *content_type)
{
    url_call_t *uc = inv->data;
    uc->in_prelude = strcmp(content_type, HTTP_INTEGRATION) == 0;
    uc->content_type = strdup(content_type);
}

/* A stream without a prelude: 200 and its Content-Type. */
static void plain_begin(url_call_t *uc, const lambda_inv_t *inv)
{
    hdrs_t fh = {0};
    hdr_add(&fh, "Content-Type", uc->content_type, strlen(uc->content_type));
    stream_begin(uc, inv, 200, &fh);
    hdrs_free(&fh);
}

/* The position of the prelude's delimiter in what came so far, or -1. */
static long delimiter_at(const url_call_t *uc)
{
    for (size_t i = 0, run = 0; i < uc->prelude_len; i++)
        if ((run = uc->prelude[i] ? 0 : run + 1) == PRELUDE_DELIMITER)
            return (long)(i + 1 - PRELUDE_DELIMITER);
    return -1;
}

/* The prelude (len bytes of JSON: statusCode, 200 when absent or no final status; headers; cookies) starts the
 * answer; -1 when its headers cannot be written (mapped_headers), the answer not started. */
static int prelude_begin(url_call_t *uc, const lambda_inv_t *inv, size_t len)
{
    char *text = strndup(uc->prelude ? uc->prelude : "", len), err[64]; /* none when the stream wrote nothing */
    yajl_val v = ytree_parse_text(text, err, sizeof(err));
    long long code = 200;
    if (!in_int(v, "statusCode", &code) || code < 200 || code > 599)
        code = 200;
    hdrs_t fh = {0};
    int rc = mapped_headers(v, &fh, "application/octet-stream");
    if (rc == 0)
        stream_begin(uc, inv, (int)code, &fh);
    hdrs_free(&fh);
    yajl_tree_free(v);
    free(text);
    return rc;
}

/* A stream that failed before its first byte: a 502, as a buffered result; its client gets nothing more. */
static void stream_bad_gateway(url_call_t *uc, const lambda_inv_t *inv)
{
    hdrs_t h = {0};
    hdr_add(&h, "x-amzn-RequestId", inv->request_id, strlen(inv->request_id));
    merge_cors(uc, NULL, &h);
    bad_gateway(uc->req, &h);
    uc->req = NULL;
}

static void stream_data(lambda_inv_t *inv, const char *bytes, size_t len)
{
    url_call_t *uc = inv->data;
    if (!uc->req || !len)
        return;
    if (!uc->in_prelude) {
        if (!uc->started)
            plain_begin(uc, inv);
        host_stream_send(uc->req, bytes, len);
        return;
    }
    uc->prelude = realloc(uc->prelude, uc->prelude_len + len);
    memcpy(uc->prelude + uc->prelude_len, bytes, len);
    uc->prelude_len += len;
    long at = delimiter_at(uc);
    if (at < 0)
        return;
    uc->in_prelude = 0;
    if (prelude_begin(uc, inv, (size_t)at) != 0)
        stream_bad_gateway(uc, inv);
    else
        host_stream_send(uc->req, uc->prelude + at + PRELUDE_DELIMITER, uc->prelude_len - (size_t)at - PRELUDE_DELIMITER);
}

static const lambda_stream_sink_t stream_sink = {stream_start, stream_data};

/* The end of a streamed answer. A stream that failed before its first byte is a 502 as a buffered result; an
 * empty one answers with its status, one that ended within its prelude with what the prelude says. */
static void stream_done(url_call_t *uc, const lambda_inv_t *inv)
{
    if (!uc->started && inv->status == LAMBDA_INV_OK && uc->in_prelude)
        prelude_begin(uc, inv, uc->prelude_len); /* not started when its headers cannot be written */
    else if (!uc->started && inv->status == LAMBDA_INV_OK)
        plain_begin(uc, inv);
    if (!uc->started)
        stream_bad_gateway(uc, inv);
    else
        host_stream_end(uc->req);
}

static void url_done(lambda_inv_t *inv)
{
    url_call_t *uc = inv->data;
    if (uc->req && inv->streamed && inv->sink)
        stream_done(uc, inv);
    else if (uc->req)
        respond(uc, inv);
    hdrs_free(&uc->cors);
    free(uc->prelude);
    free(uc->content_type);
    free(uc);
    lambda_inv_free(inv);
}

static void url_gone(void *data)
{
    ((url_call_t *)data)->req = NULL;
}

/* Runs the URL's function ($LATEST, or the version its alias routes to) with the request's event.
 * A full reserved concurrency throttles the request (429), as it does a synchronous Invoke; at 0 every request
 * (Lambda's way to deactivate a URL). */
static void invoke(host_req_t *r, const host_view_t *v, lambda_fn_t *fn, const lambda_url_t *u)
{
    lambda_alias_t *alias = strcmp(u->qualifier, LAMBDA_LATEST) != 0 ? lambda_alias_find(fn, u->qualifier) : NULL;
    lambda_cfg_t *cfg = !alias || strcmp(alias->version, LAMBDA_LATEST) == 0 ? fn->latest : lambda_version_find(fn, alias->version);
    if (!alias && strcmp(u->qualifier, LAMBDA_LATEST) != 0) { /* the URL outlives its alias, and works again with a new one */
        refuse(r, 403, "AccessDeniedException",
               "{\"Message\":\"Forbidden. For troubleshooting Function URL authorization issues, see: "
               "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html\"}");
        return;
    }
    if (lambda_env_full(fn)) {
        refuse(r, 429, "TooManyRequestsException", "{\"Message\":\"Rate Exceeded.\"}");
        return;
    }
    if (!cfg || !lambda_runtime_supported(cfg->runtime ? cfg->runtime : "")) {
        hdrs_t h = {0};
        bad_gateway(r, &h);
        return;
    }
    char rid[37];
    size_t len;
    char *event = event_of(v, fn, u, lambda_uuid(rid), &len);
    if (len > LAMBDA_MAX_SYNC_PAYLOAD) { /* Invoke's limit and words; what Lambda answers a URL is not recorded */
        char body[128];
        snprintf(body, sizeof(body), "{\"Message\":\"Request must be smaller than %d bytes for the InvokeFunction operation\"}",
                 LAMBDA_MAX_SYNC_PAYLOAD);
        free(event);
        refuse(r, 413, "RequestEntityTooLargeException", body);
        return;
    }
    char *arn = lambda_arn_fmt(fn->region, fn->account, fn->name, alias ? alias->name : NULL);
    lambda_inv_t *inv = lambda_inv_new(fn, lambda_alias_route(fn, alias, cfg), arn, event, len);
    free(arn);
    free(event);
    memcpy(inv->request_id, rid, sizeof(rid)); /* the event's requestContext.requestId is the invocation's */
    url_call_t *uc = calloc(1, sizeof(*uc));
    uc->req = r;
    cors_headers(&uc->cors, u->cors, v, 0);
    inv->done = url_done;
    inv->data = uc;
    if (u->invoke_mode && strcmp(u->invoke_mode, "RESPONSE_STREAM") == 0)
        inv->sink = &stream_sink;
    host_req_on_gone(r, url_gone, uc);
    lambda_inv_submit(inv);
}

/* A request to a URL: one that names no URL is refused as Lambda refuses it (403), so is an unsigned
 * or wrongly signed request to an AWS_IAM URL under --auth sigv4. */
static void serve(host_req_t *r, const host_view_t *v, void *data)
{
    (void)data;
    char id[LAMBDA_URL_ID_LEN + 1], region[32];
    lambda_urls_t l;
    lambda_url_t *u = NULL;
    lambda_fn_t *fn = parse_host(v->host, id, region) == 0 ? lambda_url_by_id(id, &l, &u) : NULL;
    if (fn && strcmp(fn->region, region) != 0) {
        lambda_urls_free(&l);
        fn = NULL;
    }
    if (!fn) {
        refuse(r, 403, "AccessDeniedException", "{\"Message\":null}");
        return;
    }
    if (strcmp(u->auth_type, "AWS_IAM") == 0 && (v->auth == HOST_AUTH_MISSING || v->auth == HOST_AUTH_INVALID))
        refuse(r, 403, "AccessDeniedException", "{\"Message\":\"Forbidden\"}");
    else if (u->cors && is_preflight(v))
        answer_preflight(r, u->cors, v);
    else
        invoke(r, v, fn, u);
    lambda_urls_free(&l);
}

void lambda_url_serve_init(void)
{
    host_route_add(".lambda-url.", serve, NULL);
}
