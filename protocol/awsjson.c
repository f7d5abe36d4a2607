/* awsjson.c - the AWS JSON 1.0 protocol (SQS, DynamoDB, DynamoDB Streams):
 * request bodies parsed into yajl trees in the request pool, replies and errors rendered with the
 * headers each service's clients check (x-amz-crc32, x-amzn-query-error); DynamoDB's replies
 * compressed when the client accepts it (zreply.h). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "call_http.h"
#include "ytree.h"
#include "zreply.h"

/* Deeper bodies are refused. A DynamoDB item of 32 levels takes 65, but DynamoDB answers an item nested
 * far deeper (50 levels: 105) with its own nesting error, which needs the body parsed. */
#define AWSJSON_MAX_DEPTH 512
#define AWSJSON_CONTENT_TYPE "application/x-amz-json-1.0"

/* For SQS: body with each \u0000 escape made \udc00, the lone surrogate that the query protocol's %00 also
 * becomes (URL_NUL_AS): the tree's C strings cannot hold a NUL, and SQS refuses both as characters it does
 * not allow. A copy in pool when there is one to change. */
static const char *nul_escapes_as_surrogates(h2o_mem_pool_t *pool, const char *body, size_t len)
{
    static const char esc[] = "\\u0000";
    const char *first = memmem(body, len, esc, 6);
    if (first == NULL)
        return body;
    char *copy = h2o_mem_alloc_pool(pool, len);
    memcpy(copy, body, len);
    for (char *q = copy + (first - body); q != NULL; q = memmem(q + 6, (size_t)(copy + len - q - 6), esc, 6)) {
        size_t slashes = 0; /* an escaped backslash before it makes "u0000" plain text */
        while (q - (ptrdiff_t)slashes > copy && q[-(ptrdiff_t)slashes - 1] == '\\')
            slashes++;
        if (slashes % 2 == 0)
            memcpy(q + 2, "dc00", 4);
    }
    return copy;
}

int awsjson_parse(h2o_mem_pool_t *pool, const char *body, size_t len, awsjson_text_t text, yajl_val *out, const char **msg)
{
    int keep_surrogates = text == AWSJSON_TEXT_SQS;
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
        i++;
    /* No body, or {} (the body of every call without input members): no parser needed. */
    if (i == len || (len - i == 2 && body[i] == '{' && body[i + 1] == '}')) {
        *out = ytree_new(pool, yajl_t_object);
        return 0;
    }
    /* What the tree would get wrong is refused: NUL (tree strings are NUL-terminated:
     * "a\u0000b" would reach services as "a", merging keys and truncating message
     * bodies; DynamoDB's are kept as C0 80) and nesting deeper than our walkers allow
     * (they recurse). */
    if (memchr(body, '\0', len) != NULL) {
        *msg = "Unexpected character (NUL) in request body";
        return -1;
    }
    if (keep_surrogates)
        body = nul_escapes_as_surrogates(pool, body, len);
    ytree_error_t why;
    char errbuf[256];
    yajl_val tree = ytree_parse(pool, body, len, AWSJSON_MAX_DEPTH, text == AWSJSON_TEXT_NUL ? YTREE_NUL_OVERLONG : 0, &why, errbuf,
                                sizeof(errbuf));
    if (tree == NULL) {
        static const char *const messages[] = {
            [YTREE_SYNTAX] = "Unexpected end-of-input or malformed JSON in request body",
            [YTREE_LEXICAL] = "Start of structure or map found where not expected.",
            [YTREE_TOO_DEEP] = "Request body nesting is too deep",
            [YTREE_NUL] = "Unsupported character escape \\u0000 (NUL) in request body",
        };
        *msg = messages[why];
        return -1;
    }
    if (!YAJL_IS_OBJECT(tree)) {
        *msg = "Start of list found where not expected";
        if (!YAJL_IS_ARRAY(tree))
            *msg = "Expected a JSON object as the request body";
        return -1;
    }
    if (why == YTREE_LONE_SURROGATE && !keep_surrogates)
        ytree_surrogates_to_question(tree);
    *out = tree;
    return 0;
}

int awsjson_is_dynamodb(const call_t *c)
{
    return strcmp(c->svc->name, "dynamodb") == 0 || strcmp(c->svc->name, "dynamodbstreams") == 0;
}

/* The request's Accept-Encoding: its last occurrence, as DynamoDB reads a repeated one. */
static h2o_iovec_t accept_encoding(h2o_req_t *req)
{
    ssize_t i = -1, last = -1;
    while ((i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT_ENCODING, i)) != -1)
        last = i;
    return last == -1 ? h2o_iovec_init(NULL, 0) : req->headers.entries[last].value;
}

/* A DynamoDB reply body as sent: compressed (with its Content-Encoding) when it is at least
 * ZREPLY_THRESHOLD bytes and the client accepts gzip or deflate, else as it is. */
static h2o_iovec_t ddb_encoded(call_t *c, h2o_iovec_t body)
{
    h2o_req_t *req = c->http->req;
    h2o_iovec_t accept = accept_encoding(req), z;
    if (body.len < ZREPLY_THRESHOLD || accept.base == NULL)
        return body;
    zreply_enc_t enc = zreply_choose(accept.base, accept.len);
    if (enc == ZREPLY_IDENTITY || zreply_compress(c->pool, enc, body, &z) != 0)
        return body;
    const char *name = zreply_name(enc);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_ENCODING, NULL, name, strlen(name));
    return z;
}

h2o_iovec_t awsjson_render(call_t *c, int rc)
{
    h2o_req_t *req = c->http->req;
    h2o_iovec_t body;
    int status = 200;
    if (rc == CALL_ERROR) {
        error_info_t ei;
        errors_lookup(c->svc, c->err_code, c->pool, &ei);
        status = ei.status;
        body = call_error_json(c, "__type", ei.json_type, "message");
        if (strcmp(c->svc->name, "sqs") == 0) {
            char q[256];
            int n = snprintf(q, sizeof(q), "%s;%s", ei.query_code, ei.sender_fault ? "Sender" : "Receiver");
            call_add_header(req, "x-amzn-query-error", q, (size_t)n);
        }
    } else if (c->out.len) {
        body = h2o_iovec_init(c->out.buf, c->out.len); /* the writer lives as long as the pool */
    } else if (awsjson_is_dynamodb(c) && c->op != NULL && c->op->output < 0) {
        body = h2o_iovec_init("", 0); /* TagResource, UntagResource: no output shape, no body */
    } else {
        body = h2o_iovec_init("{}", 2);
    }
    if (awsjson_is_dynamodb(c)) {
        body = ddb_encoded(c, body); /* the checksum is of the bytes sent, compressed or not */
        char crc[16], *p = crc + sizeof(crc);
        uint32_t v = crc32_of(body.base, body.len);
        do
            *--p = (char)('0' + v % 10);
        while ((v /= 10) != 0);
        call_add_header(req, "x-amz-crc32", p, (size_t)(crc + sizeof(crc) - p));
    }
    req->res.status = status;
    call_content_type(req, AWSJSON_CONTENT_TYPE);
    return body;
}
