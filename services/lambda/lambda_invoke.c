/* lambda_invoke.c - Invoke and InvokeAsync: the invocation record (payload,
 * log tail, result), the three invocation types (RequestResponse parks the call
 * until the runtime answers, or is throttled beyond the reserved concurrency;
 * Event answers 202, then retries a failed run and
 * sends its invocation record to a destination as the event invoke config says
 * (lambda_async_config.c), or at reserved concurrency 0 goes there unrun; DryRun checks and
 * answers 204), and how results map onto the Invoke response (FunctionError,
 * LogResult, ExecutedVersion). An invocation's request id is the call's
 * x-amzn-RequestId, as in Lambda. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "../../protocol/base64.h"
#include "../../protocol/ytree.h"
#include "../clock.h"
#include "../log.h"
#include "lambda_internal.h"

#define LOG_KEEP (4 * LAMBDA_LOG_TAIL)

static lambda_inv_t *retrying; /* async invocations waiting for their next attempt */

lambda_inv_t *lambda_inv_new(const lambda_fn_t *fn, const lambda_cfg_t *cfg, const char *invoked_arn, const void *payload,
                             size_t len)
{
    lambda_inv_t *inv = calloc(1, sizeof(*inv));
    lambda_uuid(inv->request_id);
    inv->account = strdup(fn->account);
    inv->region = strdup(fn->region);
    inv->fn_name = strdup(fn->name);
    inv->version = strdup(cfg->version);
    inv->invoked_arn = strdup(invoked_arn);
    inv->payload = malloc(len + 1);
    memcpy(inv->payload, payload, len);
    inv->payload[len] = '\0';
    inv->len = len;
    return inv;
}

void lambda_inv_free(lambda_inv_t *inv)
{
    if (!inv)
        return;
    free(inv->account), free(inv->region), free(inv->fn_name), free(inv->version), free(inv->invoked_arn);
    free(inv->payload), free(inv->client_context), free(inv->log), free(inv->result), free(inv->gathered);
    free(inv->lineage);
    free(inv);
}

void lambda_inv_log(lambda_inv_t *inv, const char *s, size_t len)
{
    if (!inv->tail) /* only LogResult reads it */
        return;
    if (len >= LOG_KEEP) {
        s += len - LOG_KEEP / 2;
        len = LOG_KEEP / 2;
    }
    if (!inv->log)
        inv->log = malloc(LOG_KEEP);
    if (inv->log_len + len > LOG_KEEP) {
        size_t keep = LOG_KEEP / 2 > len ? LOG_KEEP / 2 - len : 0;
        memmove(inv->log, inv->log + inv->log_len - (keep < inv->log_len ? keep : inv->log_len),
                keep < inv->log_len ? keep : inv->log_len);
        inv->log_len = keep < inv->log_len ? keep : inv->log_len;
    }
    memcpy(inv->log + inv->log_len, s, len);
    inv->log_len += len;
}

void lambda_inv_complete(lambda_inv_t *inv, int status, const char *result, size_t len)
{
    inv->status = status;
    free(inv->result);
    inv->result = malloc(len + 1);
    memcpy(inv->result, result, len);
    inv->result[len] = '\0';
    inv->result_len = len;
    inv->done(inv);
}

void lambda_inv_submit(lambda_inv_t *inv)
{
    lambda_fn_t *fn = lambda_fn_find(inv->account, inv->region, inv->fn_name);
    if (!fn || (strcmp(inv->version, LAMBDA_LATEST) != 0 && !lambda_version_find(fn, inv->version))) {
        char msg[256];
        int n = snprintf(msg, sizeof(msg), "Function not found: arn:aws:lambda:%s:%s:function:%s", inv->region, inv->account,
                         inv->fn_name);
        lambda_inv_complete(inv, LAMBDA_INV_NOT_RUN, msg, (size_t)n);
        return;
    }
    lambda_env_submit(fn, inv);
}

/* ---- RequestResponse ---- */

/* An invocation that ends before Invoke has parked its call leaves its answer here (c->svc_data). */
static int answered_done = CALL_DONE, answered_error = CALL_ERROR;

static void sync_answer(call_t *c, lambda_inv_t *inv, int rc)
{
    int parked = c->svc_data == inv;
    lambda_inv_free(inv);
    if (parked)
        call_finish(c, rc);
    else
        c->svc_data = rc == CALL_DONE ? &answered_done : &answered_error;
}

static void sync_done(lambda_inv_t *inv)
{
    call_t *c = inv->data;
    if (inv->status == LAMBDA_INV_NOT_RUN) {
        call_error(c, strncmp(inv->result, "Function not found", 18) == 0 ? "ResourceNotFoundException" : "ServiceException", "%s",
                   inv->result);
        sync_answer(c, inv, CALL_ERROR);
        return;
    }
    jw_t *w = &c->out;
    jw_obj(w);
    jw_kint(w, "StatusCode", 200);
    if (inv->status == LAMBDA_INV_FUNCTION_ERROR)
        jw_kstr(w, "FunctionError", "Unhandled");
    jw_kstr(w, "ExecutedVersion", inv->version);
    if (inv->tail)
        jw_kstr(w, "LogResult", lambda_log_result(c, inv));
    jw_end(w);
    c->out_payload = h2o_iovec_init(call_strndup(c, inv->result, inv->result_len), inv->result_len);
    sync_answer(c, inv, CALL_DONE);
}

const char *lambda_log_result(call_t *c, const lambda_inv_t *inv)
{
    size_t off = inv->log_len > LAMBDA_LOG_TAIL ? inv->log_len - LAMBDA_LOG_TAIL : 0;
    char *b64 = call_alloc(c, base64_encoded_len(inv->log_len - off) + 1);
    b64[base64_encode(inv->log ? inv->log + off : "", inv->log_len - off, b64)] = '\0';
    return b64;
}

/* ---- Event: Lambda retries a failed asynchronous invocation MaximumRetryAttempts times (twice by default, after 1
 * and 2 minutes) while it is younger than MaximumEventAgeInSeconds ---- */

static int64_t retry_delay_ms(int attempt)
{
    const char *s = getenv("AWSEMU_LAMBDA_RETRY_DELAY_MS");
    int64_t base = s && *s ? atoll(s) : 60000;
    return base * attempt;
}

static void retry_unlink(lambda_inv_t *inv)
{
    for (lambda_inv_t **pp = &retrying; *pp; pp = &(*pp)->next)
        if (*pp == inv) {
            *pp = inv->next;
            break;
        }
    inv->next = NULL;
}

/* An event older than its MaximumEventAgeInSeconds: discarded, and recorded to its OnFailure destination. */
static void async_expired(lambda_inv_t *inv)
{
    lambda_async_t s;
    lambda_async_settings(inv, &s);
    LOG_WARN("lambda: asynchronous invocation %s of %s dropped after %d attempt(s): older than its maximum event age",
             inv->request_id, inv->fn_name, inv->attempt);
    lambda_async_record(inv, &s, "EventAgeExceeded", inv->attempt);
    lambda_inv_free(inv);
}

/* Queues an attempt of an event (the first, or a retry), to expire if it waits past its maximum age. */
static void async_submit(lambda_inv_t *inv)
{
    lambda_async_t s;
    lambda_async_settings(inv, &s);
    inv->expires_ms = inv->accepted_ms + s.max_age_ms;
    inv->expired = async_expired;
    lambda_inv_submit(inv);
}

static void retry_fire(loop_timer_t *t)
{
    lambda_inv_t *inv = t->data;
    retry_unlink(inv);
    free(inv->log);
    inv->log = NULL;
    inv->log_len = 0;
    async_submit(inv);
}

static void async_done(lambda_inv_t *inv)
{
    lambda_async_t s;
    lambda_async_settings(inv, &s);
    if (inv->status != LAMBDA_INV_FUNCTION_ERROR || inv->attempt >= s.max_retries) {
        if (inv->status != LAMBDA_INV_OK)
            LOG_WARN("lambda: asynchronous invocation %s of %s failed after %d attempt(s): %.*s", inv->request_id, inv->fn_name,
                     inv->attempt + 1, (int)(inv->result_len > 300 ? 300 : inv->result_len), inv->result);
        if (inv->status != LAMBDA_INV_NOT_RUN)
            lambda_async_record(inv, &s, inv->status == LAMBDA_INV_OK ? "Success" : "RetriesExhausted", inv->attempt + 1);
        lambda_inv_free(inv);
        return;
    }
    inv->attempt++;
    int64_t delay = retry_delay_ms(inv->attempt), at = clock_now_ms() + delay;
    if (at - inv->accepted_ms >= s.max_age_ms) {
        async_expired(inv); /* Lambda does not wait for a retry the age would refuse */
        return;
    }
    LOG_INFO("lambda: asynchronous invocation %s of %s failed on attempt %d; attempt %d in %lld ms", inv->request_id, inv->fn_name,
             inv->attempt, inv->attempt + 1, (long long)delay);
    timer_init(&inv->retry, retry_fire, inv);
    timer_start(&inv->retry, at);
    inv->next = retrying;
    retrying = inv;
}

void lambda_invoke_shutdown(void)
{
    while (retrying) {
        lambda_inv_t *inv = retrying;
        retrying = inv->next;
        timer_stop(&inv->retry);
        lambda_inv_free(inv);
    }
}

/* ---- the operations ---- */

lambda_cfg_t *lambda_alias_route(lambda_fn_t *fn, lambda_alias_t *alias, lambda_cfg_t *cfg)
{
    if (!alias || !alias->routing_json)
        return cfg;
    char err[64];
    yajl_val w = ytree_parse_text(alias->routing_json, err, sizeof(err));
    double r = (double)rand() / ((double)RAND_MAX + 1), acc = 0;
    for (size_t i = 0; w && YAJL_IS_OBJECT(w) && i < w->u.object.len; i++) {
        yajl_val v = w->u.object.values[i];
        acc += YAJL_IS_NUMBER(v) ? strtod(v->u.number.r, NULL) : 0;
        if (r < acc) {
            lambda_cfg_t *other = lambda_version_find(fn, w->u.object.keys[i]);
            cfg = other ? other : cfg;
            break;
        }
    }
    yajl_tree_free(w);
    return cfg;
}

/* Checks that text is one JSON value, without building a tree (yajl_tree_parse's settings). */
static int json_check(const char *text, size_t len, char *err, size_t errlen)
{
    yajl_handle h = yajl_alloc(NULL, NULL, NULL);
    yajl_config(h, yajl_allow_comments, 1);
    yajl_status st = yajl_parse(h, (const unsigned char *)text, len);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    if (st != yajl_status_ok) { /* the short form: the verbose one quotes the payload, which need not be UTF-8 */
        unsigned char *e = yajl_get_error(h, 0, (const unsigned char *)text, len);
        snprintf(err, errlen, "%.*s", (int)strcspn((char *)e, "\n"), (char *)e);
        yajl_free_error(h, e);
    }
    yajl_free(h);
    return st == yajl_status_ok ? 0 : -1;
}

static int check_payload(call_t *c, size_t limit, int async)
{
    if (c->body.len > limit) {
        if (async)
            return call_error(c, "RequestEntityTooLargeException",
                              "%zu byte payload is too large for the Event invocation type (limit %zu bytes)", c->body.len, limit);
        return call_error(c, "RequestEntityTooLargeException",
                          "Request must be smaller than %zu bytes for the InvokeFunction operation", limit);
    }
    char err[256];
    if (c->body.len == 0 || json_check(c->body.base, c->body.len, err, sizeof(err)) == 0)
        return CALL_DONE;
    return call_error(c, "InvalidRequestContentException",
                      "Could not parse request body into json: Could not parse payload into json: %s", err);
}

static int decode_client_context(call_t *c, lambda_inv_t *inv)
{
    const char *cc = in_str(c->in, "ClientContext");
    if (!cc || !*cc)
        return CALL_DONE;
    size_t len = strlen(cc);
    unsigned char *raw = call_alloc(c, len / 4 * 3 + 4);
    long n = base64_decode(cc, len, raw);
    char err[64];
    yajl_val v = NULL;
    if (n >= 0) {
        raw[n] = '\0';
        v = ytree_parse_text((char *)raw, err, sizeof(err));
    }
    if (!v || !YAJL_IS_OBJECT(v)) {
        yajl_tree_free(v);
        return call_error(c, "InvalidRequestContentException", "Client context must be a valid Base64-encoded JSON object.");
    }
    yajl_tree_free(v);
    inv->client_context = strdup((char *)raw);
    return CALL_DONE;
}

lambda_inv_t *lambda_invoke_prepare(call_t *c, int async, const char **invocation_type)
{
    lambda_fn_t *fn;
    lambda_cfg_t *cfg;
    lambda_alias_t *alias;
    lambda_ref_t ref;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), in_str(c->in, "Qualifier"), &ref) != CALL_DONE)
        return NULL;
    /* Invoke names the version it did not find: "Function not found: ...:function:name:$LATEST" */
    if (lambda_resolve(c, in_str(c->in, "FunctionName"), ref.qualifier ? ref.qualifier : LAMBDA_LATEST, &fn, &cfg, &alias) !=
        CALL_DONE)
        return NULL;
    if (check_payload(c, async ? LAMBDA_MAX_ASYNC_PAYLOAD : LAMBDA_MAX_SYNC_PAYLOAD, async) != CALL_DONE)
        return NULL;
    if (!lambda_runtime_supported(cfg->runtime ? cfg->runtime : "")) {
        call_error(c, "InvalidRuntimeException",
                   "The runtime %s is not supported by awsemu (Node.js, Python and provided runtimes are).",
                   cfg->runtime ? cfg->runtime : "(none)");
        return NULL;
    }
    /* Lambda throttles a synchronous call beyond the reserved concurrency at once; an event is accepted and waits (at
     * reserved concurrency 0 it is sent on unrun: lambda_inv_submit_event), and mappings' deliveries never come here */
    if (!async && lambda_env_full(fn)) {
        jw_obj(&c->out);
        jw_kstr(&c->out, "Reason", "ReservedFunctionConcurrentInvocationLimitExceeded");
        jw_end(&c->out);
        call_error(c, "TooManyRequestsException", "Rate Exceeded.");
        return NULL;
    }
    if (*invocation_type && strcmp(*invocation_type, "DryRun") == 0)
        return NULL;
    cfg = lambda_alias_route(fn, alias, cfg);
    char *arn = lambda_fn_arn(c, fn, ref.qualifier);
    lambda_inv_t *inv =
        c->body.len ? lambda_inv_new(fn, cfg, arn, c->body.base, c->body.len) : lambda_inv_new(fn, cfg, arn, "{}", 2);
    snprintf(inv->request_id, sizeof(inv->request_id), "%s", c->request_id); /* the function sees the call's x-amzn-RequestId */
    if (lambda_inv_chain(inv, fn, c->trace_header) && !async) {              /* an event is accepted, then sent on unrun */
        lambda_inv_free(inv);
        call_error(c, "RecursiveInvocationException",
                   "Lambda has detected your function being invoked in a recursive loop with other AWS resources and "
                   "stopped your function's invocation.");
        return NULL;
    }
    if (decode_client_context(c, inv) != CALL_DONE) {
        lambda_inv_free(inv);
        return NULL;
    }
    return inv;
}

/* Invoke's StatusCode header, with no payload (an empty body, as Lambda sends for Event and DryRun). */
static int answer_status(call_t *c, int status)
{
    jw_obj(&c->out);
    jw_kint(&c->out, "StatusCode", status);
    jw_end(&c->out);
    c->out_payload = h2o_iovec_init("", 0);
    return CALL_DONE;
}

/* Queues an event. With reserved concurrency 0, or stopped as a recursive loop, Lambda accepts it and sends it at
 * once, without retries, to the dead-letter queue or OnFailure destination (awsemu's record says RetriesExhausted
 * after no invocation: Lambda's condition for it is not documented). */
void lambda_inv_submit_event(lambda_inv_t *inv)
{
    lambda_fn_t *fn = lambda_fn_find(inv->account, inv->region, inv->fn_name);
    if (fn && (fn->reserved == 0 || inv->recursive)) {
        lambda_async_t s;
        lambda_async_settings(inv, &s);
        LOG_WARN("lambda: asynchronous invocation %s of %s not run: %s", inv->request_id, inv->fn_name,
                 inv->recursive ? "a recursive loop" : "the function's reserved concurrency is 0");
        lambda_async_record(inv, &s, "RetriesExhausted", 0);
        lambda_inv_free(inv);
        return;
    }
    inv->done = async_done;
    inv->accepted_ms = clock_now_ms();
    LOG_DEBUG("lambda: queued asynchronous invocation %s of %s", inv->request_id, inv->fn_name);
    async_submit(inv);
}

int lambda_invoke(call_t *c)
{
    const char *type = in_str(c->in, "InvocationType");
    int async = type && strcmp(type, "Event") == 0;
    lambda_inv_t *inv = lambda_invoke_prepare(c, async, &type);
    if (!inv)
        return c->err_code ? CALL_ERROR : answer_status(c, 204);
    if (async) {
        lambda_inv_submit_event(inv);
        return answer_status(c, 202);
    }
    const char *log_type = in_str(c->in, "LogType");
    inv->tail = log_type && strcmp(log_type, "Tail") == 0;
    inv->done = sync_done;
    inv->data = c;
    c->svc_data = NULL;
    lambda_inv_submit(inv);
    if (c->svc_data)
        return *(int *)c->svc_data;
    c->svc_data = inv;
    return CALL_PARKED;
}

int lambda_invoke_async(call_t *c)
{
    const char *type = "Event";
    lambda_inv_t *inv = lambda_invoke_prepare(c, 1, &type);
    if (!inv)
        return CALL_ERROR;
    lambda_inv_submit_event(inv);
    jw_obj(&c->out);
    jw_kint(&c->out, "Status", 202);
    jw_end(&c->out);
    return CALL_DONE;
}
