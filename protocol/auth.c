/* auth.c - SigV4 enforcement per wire protocol (see auth.h). The key list is
 * read once: a file of ACCESS_KEY:SECRET lines, or the pairs inline, comma-separated. */
#include "auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../services/clock.h"
#include "../services/log.h"
#include "call_http.h"
#include "sigv4.h"

#define MAX_KEYS 256

typedef struct {
    char *access_key, *secret;
} key_t_;

static key_t_ keys[MAX_KEYS];
static size_t nkeys;
static int keys_loaded;

static void add_pair(char *pair)
{
    char *colon = strchr(pair, ':');
    while (*pair == ' ' || *pair == '\t')
        pair++;
    if (colon == NULL || nkeys == MAX_KEYS || colon == pair)
        return;
    *colon = '\0';
    char *secret = colon + 1;
    secret[strcspn(secret, " \t\r\n")] = '\0';
    keys[nkeys].access_key = strdup(pair);
    keys[nkeys].secret = strdup(secret);
    nkeys++;
}

static void load_keys(const char *spec)
{
    keys_loaded = 1;
    if (spec == NULL)
        return;
    FILE *f = fopen(spec, "r");
    char line[1024];
    if (f) {
        while (fgets(line, sizeof(line), f))
            if (line[0] != '#')
                add_pair(line);
        fclose(f);
    } else {
        char *copy = strdup(spec), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            add_pair(tok);
        free(copy);
    }
    LOG_INFO("auth: %zu access keys loaded", nkeys);
}

static const char *find_secret(const sigv4_slice_t *ak)
{
    for (size_t i = 0; i < nkeys; i++)
        if (strlen(keys[i].access_key) == ak->len && memcmp(keys[i].access_key, ak->ptr, ak->len) == 0)
            return keys[i].secret;
    return NULL;
}

static int has_date(h2o_req_t *req)
{
    return h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-amz-date"), -1) != -1 ||
           h2o_find_header(&req->headers, H2O_TOKEN_DATE, -1) != -1;
}

int auth_parse(h2o_req_t *req, sigv4_auth_t *auth)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    if (i != -1)
        return sigv4_parse_header(req->headers.entries[i].value.base, req->headers.entries[i].value.len, has_date(req), auth);
    if (req->query_at != SIZE_MAX)
        return sigv4_parse_query(req->path.base + req->query_at + 1, req->path.len - req->query_at - 1, auth);
    return SIGV4_NONE;
}

/* The last Authorization header that parsed, through "Signature=": SDKs sign
 * every request with the same credential scope and signed headers, so a header
 * that starts alike and ends in a bare signature has the same identity (and
 * parses the same: the checks look at the credential and signed headers only). */
static struct {
    char text[512];
    size_t len; /* 0: none yet */
    char access_key[128], region[64];
    size_t access_key_len, region_len;
} last_auth;

/* 1 when s holds no parameter separator, so that the header parse would take all of
 * it as the signature's value. */
static int bare_value(const char *s, size_t len)
{
    return sigv4_token_len(s, len) == len;
}

static void remember_auth(h2o_iovec_t header, const sigv4_auth_t *auth)
{
    size_t len = (size_t)(auth->signature.ptr - header.base);
    if (auth->presigned || auth->signature.ptr + auth->signature.len != header.base + header.len || len > sizeof(last_auth.text) ||
        auth->access_key.len > sizeof(last_auth.access_key) || auth->region.len > sizeof(last_auth.region))
        return;
    memcpy(last_auth.text, header.base, len);
    memcpy(last_auth.access_key, auth->access_key.ptr, auth->access_key.len);
    memcpy(last_auth.region, auth->region.ptr, auth->region.len);
    last_auth.len = len;
    last_auth.access_key_len = auth->access_key.len;
    last_auth.region_len = auth->region.len;
}

int auth_identity(h2o_req_t *req, sigv4_slice_t *access_key, sigv4_slice_t *region)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    h2o_iovec_t header = i == -1 ? h2o_iovec_init(NULL, 0) : req->headers.entries[i].value;
    if (last_auth.len && header.len >= last_auth.len && memcmp(header.base, last_auth.text, last_auth.len) == 0 &&
        bare_value(header.base + last_auth.len, header.len - last_auth.len) && has_date(req)) {
        *access_key = (sigv4_slice_t){last_auth.access_key, last_auth.access_key_len};
        *region = (sigv4_slice_t){last_auth.region, last_auth.region_len};
        return 1;
    }
    sigv4_auth_t auth; /* only for this parse: what the caller keeps is copied */
    if (auth_parse(req, &auth) != SIGV4_OK)
        return 0;
    if (i != -1)
        remember_auth(header, &auth);
    *access_key = auth.access_key;
    *region = auth.region;
    return 1;
}

const char *auth_scope_service(h2o_req_t *req)
{
    sigv4_auth_t *auth = h2o_mem_alloc_pool(&req->pool, sizeof(*auth));
    if (auth_parse(req, auth) != SIGV4_OK)
        return "";
    /* Credential scopes name DynamoDB Streams "dynamodb" too. */
    return h2o_strdup(&req->pool, auth->service.ptr, auth->service.len).base;
}

/* The code each protocol uses for a kind of auth failure. */
static const char *code_for(call_t *c, const char *json_code, const char *query_code)
{
    return strcmp(c->svc->name, "sqs") == 0 ? query_code : json_code;
}

static int fail(call_t *c, const char *code, const char *msg)
{
    if (c->op_name == NULL)
        c->op_name = "-";
    call_error(c, code, "%s", msg);
    call_respond(c, CALL_ERROR);
    return -1;
}

/* Checks req's signature (auth, made with secret) over payload: a SIGV4_ result, *res filled. */
static int check_signature(h2o_req_t *req, const sigv4_auth_t *auth, const char *secret, h2o_iovec_t payload, sigv4_result_t *res)
{
    sigv4_header_t *hdrs = h2o_mem_alloc_pool(&req->pool, sizeof(*hdrs) * (req->headers.size + 1));
    for (size_t i = 0; i < req->headers.size; i++) {
        h2o_header_t *h = &req->headers.entries[i];
        hdrs[i].name = (sigv4_slice_t){h->orig_name ? h->orig_name : h->name->base, h->name->len};
        hdrs[i].value = (sigv4_slice_t){h->value.base, h->value.len};
    }
    size_t npath = req->query_at == SIZE_MAX ? req->path.len : req->query_at;
    sigv4_request_t r = {
        .method = {req->method.base, req->method.len},
        .path = {req->path.base, npath},
        .query = {req->query_at == SIZE_MAX ? "" : req->path.base + req->query_at + 1,
                  req->query_at == SIZE_MAX ? 0 : req->path.len - req->query_at - 1},
        .headers = hdrs,
        .nheaders = req->headers.size,
        .payload = {payload.base, payload.len},
        .secret_key = {secret, strlen(secret)},
        .service = NULL,
        .now = clock_now_ms() / 1000,
        .max_skew = 900,
    };
    /* The Host header arrives as h2o's authority. */
    hdrs[req->headers.size] = (sigv4_header_t){{"host", 4}, {req->authority.base, req->authority.len}};
    r.nheaders++;
    memset(res, 0, sizeof(*res));
    int rc = sigv4_verify(auth, &r, res);
    if (rc == SIGV4_ERR_MISMATCH && auth->presigned) {
        /* Presigners (botocore, the JS SDK) sign URLs with an unsigned payload. */
        sigv4_result_free(res);
        r.payload_hash = "UNSIGNED-PAYLOAD";
        rc = sigv4_verify(auth, &r, res);
    }
    return rc;
}

static int verify(call_t *c, h2o_req_t *req, const sigv4_auth_t *auth, const char *secret)
{
    sigv4_result_t res;
    int rc = check_signature(req, auth, secret, c->body, &res);
    const char *msg = res.message;
    if (rc == SIGV4_ERR_MISMATCH) {
        msg = SIGV4_MSG_MISMATCH;
        /* DynamoDB's answers carry the bare sentence; SQS and Lambda add the strings they signed. */
        if (strncmp(c->svc->name, "dynamodb", 8) != 0 && res.canonical_request)
            msg = call_sprintf(c, SIGV4_MSG_MISMATCH SIGV4_MSG_MISMATCH_DETAIL, res.canonical_request, res.string_to_sign);
    }
    int out = 0;
    if (rc == SIGV4_ERR_INCOMPLETE)
        out = fail(c, code_for(c, "IncompleteSignatureException", "IncompleteSignature"), msg);
    else if (rc != SIGV4_VALID)
        out = fail(c, code_for(c, "InvalidSignatureException", "SignatureDoesNotMatch"), msg);
    sigv4_result_free(&res);
    return out;
}

int auth_check(call_t *c, h2o_req_t *req, const http_options_t *opt)
{
    if (!opt->auth_sigv4)
        return 0;
    if (!keys_loaded)
        load_keys(opt->auth_keys);
    sigv4_auth_t *auth = h2o_mem_alloc_pool(&req->pool, sizeof(*auth));
    int rc = auth_parse(req, auth);
    if (rc == SIGV4_NONE)
        return fail(c, code_for(c, "MissingAuthenticationTokenException", "MissingAuthenticationToken"),
                    "Request is missing Authentication Token");
    if (rc == SIGV4_MALFORMED)
        return fail(c, code_for(c, "IncompleteSignatureException", "IncompleteSignature"), auth->message);
    const char *secret = find_secret(&auth->access_key);
    if (secret == NULL)
        return fail(c, code_for(c, "UnrecognizedClientException", "InvalidClientTokenId"),
                    "The security token included in the request is invalid.");
    return verify(c, req, auth, secret);
}

int auth_signed(h2o_req_t *req, const http_options_t *opt)
{
    if (!keys_loaded)
        load_keys(opt->auth_keys);
    sigv4_auth_t *auth = h2o_mem_alloc_pool(&req->pool, sizeof(*auth));
    int rc = auth_parse(req, auth);
    if (rc == SIGV4_NONE)
        return 0;
    const char *secret = rc == SIGV4_OK ? find_secret(&auth->access_key) : NULL;
    if (secret == NULL)
        return -1;
    sigv4_result_t res;
    rc = check_signature(req, auth, secret, req->entity, &res);
    sigv4_result_free(&res);
    return rc == SIGV4_VALID ? 1 : -1;
}
