/* lambda_async_config.c - asynchronous invocation configuration, and the invocation records it routes.
 *
 * Put/Get/Update/Delete/ListFunctionEventInvokeConfigs: one configuration per function ($LATEST),
 * version or alias (MaximumRetryAttempts, MaximumEventAgeInSeconds, OnSuccess and OnFailure
 * destinations), kept in the function's stored document (fn->eic_json, an array of
 * {"Qualifier", "LastModified" (ms), "MaximumRetryAttempts", "MaximumEventAgeInSeconds", "OnSuccess",
 * "OnFailure"}, members left out when unset); they go with the function, version or alias.
 *
 * For an Event invocation (lambda_invoke.c) it gives the settings of what was invoked and sends
 * Lambda's invocation record to the destination: an SQS queue (through the SQS in-process API) or a
 * Lambda function (an Event invocation of it). SNS topics, EventBridge buses and S3 buckets are
 * accepted as destinations but get nothing. Stream mappings send their OnFailure records through
 * lambda_dest_send too. A failed event also goes to the executed version's dead-letter queue
 * (DeadLetterConfig), as the developer guide describes it: the event as the message body, and message
 * attributes RequestID, ErrorCode and ErrorMessage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/ytree.h"
#include "../clock.h"
#include "../log.h"
#include "../sqs/sqs_api.h"
#include "lambda_internal.h"

#define DEFAULT_RETRIES 2
#define DEFAULT_MAX_AGE_S 21600

/* One configuration; strings point into the request or the parsed document. */
typedef struct {
    const char *qualifier;
    int64_t last_modified;               /* ms */
    long long retries, max_age_s;        /* -1: not set */
    const char *on_success, *on_failure; /* NULL: none */
} eic_t;

static yajl_val parse_configs(const lambda_fn_t *fn)
{
    char err[64];
    yajl_val v = fn->eic_json ? ytree_parse_text(fn->eic_json, err, sizeof(err)) : NULL;
    if (v && !YAJL_IS_ARRAY(v)) {
        yajl_tree_free(v);
        v = NULL;
    }
    return v;
}

/* The stored configuration of this qualifier into out; 0, or -1 when there is none. */
static int find_config(yajl_val configs, const char *qualifier, eic_t *out)
{
    for (size_t i = 0; configs && i < configs->u.array.len; i++) {
        yajl_val e = configs->u.array.values[i];
        const char *q = in_str(e, "Qualifier");
        if (!q || strcmp(q, qualifier) != 0)
            continue;
        long long n;
        *out = (eic_t){.qualifier = q, .retries = -1, .max_age_s = -1};
        out->last_modified = in_int(e, "LastModified", &n) ? n : 0;
        if (in_int(e, "MaximumRetryAttempts", &n))
            out->retries = n;
        if (in_int(e, "MaximumEventAgeInSeconds", &n))
            out->max_age_s = n;
        out->on_success = in_str(e, "OnSuccess");
        out->on_failure = in_str(e, "OnFailure");
        return 0;
    }
    return -1;
}

static void write_stored(jw_t *w, const eic_t *s)
{
    jw_obj(w);
    jw_kstr(w, "Qualifier", s->qualifier);
    jw_kint(w, "LastModified", s->last_modified);
    if (s->retries >= 0)
        jw_kint(w, "MaximumRetryAttempts", s->retries);
    if (s->max_age_s >= 0)
        jw_kint(w, "MaximumEventAgeInSeconds", s->max_age_s);
    if (s->on_success)
        jw_kstr(w, "OnSuccess", s->on_success);
    if (s->on_failure)
        jw_kstr(w, "OnFailure", s->on_failure);
    jw_end(w);
}

/* The configuration as Lambda shows it: the ARN qualified ($LATEST too), both destinations ({} when none). */
static void write_config(jw_t *w, const lambda_fn_t *fn, const eic_t *s)
{
    jw_obj(w);
    jw_key(w, "LastModified");
    jw_double(w, (double)s->last_modified / 1000.0);
    char *arn = lambda_arn_fmt(fn->region, fn->account, fn->name, s->qualifier);
    jw_kstr(w, "FunctionArn", arn);
    free(arn);
    if (s->retries >= 0)
        jw_kint(w, "MaximumRetryAttempts", s->retries);
    if (s->max_age_s >= 0)
        jw_kint(w, "MaximumEventAgeInSeconds", s->max_age_s);
    jw_key(w, "DestinationConfig");
    jw_obj(w);
    const char *names[2] = {"OnSuccess", "OnFailure"}, *dests[2] = {s->on_success, s->on_failure};
    for (int i = 0; i < 2; i++) {
        jw_key(w, names[i]);
        jw_obj(w);
        if (dests[i])
            jw_kstr(w, "Destination", dests[i]);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

/* fn's configurations with the one of qualifier replaced by s (added when new), or dropped when s is NULL. */
static void rewrite(lambda_fn_t *fn, yajl_val configs, const char *qualifier, const eic_t *s)
{
    jw_t w;
    jw_init(&w);
    jw_arr(&w);
    int n = 0, replaced = 0;
    for (size_t i = 0; configs && i < configs->u.array.len; i++) {
        yajl_val e = configs->u.array.values[i];
        const char *q = in_str(e, "Qualifier");
        if (q && strcmp(q, qualifier) == 0) {
            replaced = 1;
            if (!s)
                continue;
            write_stored(&w, s);
        } else
            lambda_write_json(&w, e);
        n++;
    }
    if (s && !replaced) {
        write_stored(&w, s);
        n++;
    }
    jw_aend(&w);
    size_t len;
    free(fn->eic_json);
    fn->eic_json = n ? jw_take(&w, &len) : NULL;
    jw_free(&w);
}

void lambda_async_config_drop(lambda_fn_t *fn, const char *qualifier)
{
    if (!fn->eic_json)
        return;
    yajl_val configs = parse_configs(fn);
    rewrite(fn, configs, qualifier, NULL);
    yajl_tree_free(configs);
}

/* ---- the operations ---- */

static int no_config(call_t *c, const char *name, const char *qualifier)
{
    return call_error(c, "ResourceNotFoundException",
                      "The function arn:aws:lambda:%s:%s:function:%s:%s doesn't have an EventInvokeConfig", c->region, c->account,
                      name, qualifier);
}

/* The function a request names and its qualifier ($LATEST when none), or NULL after the error: Put, Update
 * and List (must_exist) name a missing function, version or alias as "The function doesn't exist.", Get and
 * Delete say it has no configuration. */
static lambda_fn_t *target(call_t *c, int must_exist, const char **qualifier)
{
    lambda_ref_t ref;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), in_str(c->in, "Qualifier"), &ref) != CALL_DONE)
        return NULL;
    const char *q = ref.qualifier ? ref.qualifier : LAMBDA_LATEST;
    lambda_fn_t *fn = lambda_fn_find(c->account, c->region, ref.name);
    if (fn && (strcmp(q, LAMBDA_LATEST) == 0 || lambda_version_find(fn, q) || lambda_alias_find(fn, q))) {
        *qualifier = q;
        return fn;
    }
    if (must_exist)
        call_error(c, "ResourceNotFoundException", "The function doesn't exist.");
    else
        no_config(c, ref.name, q);
    return NULL;
}

/* Splits an ARN (a copy, cut up here) on ':' into at most 8 parts; how many. */
static int arn_split(char *copy, char *p[8])
{
    int n = 0;
    for (char *s = copy; n < 8 && s; n++) {
        p[n] = s;
        s = strchr(s, ':');
        if (s)
            *s++ = '\0';
    }
    return n;
}

/* How Lambda takes a destination ARN: 1 a kind it accepts, 0 one it does not (the whole configuration is then
 * refused), CALL_ERROR after the error for a Lambda function that does not exist or is fn itself. */
static int dest_kind_ok(call_t *c, const lambda_fn_t *fn, const char *arn, int on_failure)
{
    char *p[8];
    int n = arn_split(call_strdup(c, arn), p);
    if (n < 6 || strcmp(p[0], "arn") != 0)
        return 0;
    if (strcmp(p[2], "sqs") == 0 || strcmp(p[2], "sns") == 0 || strcmp(p[2], "events") == 0)
        return 1;
    if (strcmp(p[2], "s3") == 0) /* S3 buckets take failure records only */
        return on_failure;
    if (strcmp(p[2], "lambda") != 0)
        return 0;
    if (n < 7 || strcmp(p[5], "function") != 0 || !lambda_fn_find(p[4], p[3], p[6]))
        return call_error(c, "InvalidParameterValueException", "The destination ARN %s is invalid.", arn);
    if (strcmp(p[6], fn->name) == 0 && strcmp(p[4], fn->account) == 0 && strcmp(p[3], fn->region) == 0)
        return call_error(c, "InvalidParameterValueException", "You can't specify the function as a destination for itself.");
    return 1;
}

static const char *destination(yajl_val dc, const char *member, int *given)
{
    yajl_val o = in_obj(dc, member);
    const char *d = o ? in_str(o, "Destination") : NULL;
    *given = o != NULL;
    return d && *d ? d : NULL;
}

/* Applies the request's settings over s (Put starts from nothing, Update from the stored ones) and checks the
 * destinations, OnFailure first, as Lambda does; CALL_DONE or the error raised. */
static int apply_request(call_t *c, const lambda_fn_t *fn, eic_t *s)
{
    long long n;
    if (in_int(c->in, "MaximumRetryAttempts", &n))
        s->retries = n;
    if (in_int(c->in, "MaximumEventAgeInSeconds", &n))
        s->max_age_s = n;
    s->last_modified = clock_now_ms();
    yajl_val dc = in_obj(c->in, "DestinationConfig");
    if (!dc)
        return CALL_DONE;
    int ok_given, fail_given;
    const char *ok = destination(dc, "OnSuccess", &ok_given), *fail = destination(dc, "OnFailure", &fail_given);
    int valid = 1, rc;
    if (fail && (rc = dest_kind_ok(c, fn, fail, 1)) != 1)
        valid = rc == 0 ? 0 : -1;
    if (valid >= 0 && ok && (rc = dest_kind_ok(c, fn, ok, 0)) != 1)
        valid = rc == 0 ? 0 : -1;
    if (valid < 0)
        return CALL_ERROR;
    if (!valid)
        return call_error(c, "InvalidParameterValueException",
                          "The provided destination config DestinationConfig(onSuccess=%s%s%s, onFailure=%s%s%s) is invalid.",
                          ok ? "OnSuccess(destination=" : "null", ok ? ok : "", ok ? ")" : "",
                          fail ? "OnFailure(destination=" : "null", fail ? fail : "", fail ? ")" : "");
    if (ok_given)
        s->on_success = ok;
    if (fail_given)
        s->on_failure = fail;
    return CALL_DONE;
}

static int has_settings(call_t *c)
{
    if (in_get(c->in, "MaximumRetryAttempts") || in_get(c->in, "MaximumEventAgeInSeconds") || in_get(c->in, "DestinationConfig"))
        return CALL_DONE;
    return call_error(c, "InvalidParameterValueException",
                      "You must specify at least one of error handling or destination setting.");
}

/* Put (replace) and Update (merge into the stored configuration, which must exist). */
static int put_or_update(call_t *c, int update)
{
    const char *qualifier;
    lambda_fn_t *fn;
    if (has_settings(c) != CALL_DONE || !(fn = target(c, 1, &qualifier)))
        return CALL_ERROR;
    yajl_val configs = parse_configs(fn);
    eic_t s = {.qualifier = qualifier, .retries = -1, .max_age_s = -1};
    int rc = CALL_ERROR;
    if (update && find_config(configs, qualifier, &s) != 0)
        no_config(c, fn->name, qualifier);
    else if (apply_request(c, fn, &s) == CALL_DONE) {
        s.qualifier = call_strdup(c, qualifier);
        s.on_success = s.on_success ? call_strdup(c, s.on_success) : NULL;
        s.on_failure = s.on_failure ? call_strdup(c, s.on_failure) : NULL;
        rewrite(fn, configs, qualifier, &s);
        rc = CALL_DONE;
    }
    yajl_tree_free(configs);
    if (rc != CALL_DONE)
        return rc;
    if (lambda_persist_fn(fn) != 0)
        return call_error(c, "ServiceException", "could not store the function");
    write_config(&c->out, fn, &s);
    return CALL_DONE;
}

int lambda_put_function_event_invoke_config(call_t *c)
{
    return put_or_update(c, 0);
}

int lambda_update_function_event_invoke_config(call_t *c)
{
    return put_or_update(c, 1);
}

int lambda_get_function_event_invoke_config(call_t *c)
{
    const char *qualifier;
    lambda_fn_t *fn = target(c, 0, &qualifier);
    if (!fn)
        return CALL_ERROR;
    yajl_val configs = parse_configs(fn);
    eic_t s;
    int rc = find_config(configs, qualifier, &s) == 0 ? CALL_DONE : no_config(c, fn->name, qualifier);
    if (rc == CALL_DONE)
        write_config(&c->out, fn, &s);
    yajl_tree_free(configs);
    return rc;
}

int lambda_delete_function_event_invoke_config(call_t *c)
{
    const char *qualifier;
    lambda_fn_t *fn = target(c, 0, &qualifier);
    if (!fn)
        return CALL_ERROR;
    yajl_val configs = parse_configs(fn);
    eic_t s;
    int found = find_config(configs, qualifier, &s) == 0;
    if (found)
        rewrite(fn, configs, qualifier, NULL);
    yajl_tree_free(configs);
    if (!found)
        return no_config(c, fn->name, qualifier);
    return lambda_persist_fn(fn) == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not store the function");
}

int lambda_list_function_event_invoke_configs(call_t *c)
{
    lambda_ref_t ref;
    long long max;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), NULL, &ref) != CALL_DONE)
        return CALL_ERROR;
    lambda_fn_t *fn = lambda_fn_find(c->account, c->region, ref.name);
    if (!fn)
        return call_error(c, "ResourceNotFoundException", "The function doesn't exist.");
    if (lambda_max_items(c, &max) != CALL_DONE)
        return CALL_ERROR;
    yajl_val configs = parse_configs(fn);
    size_t total = configs ? configs->u.array.len : 0, i = lambda_marker_index(c);
    jw_obj(&c->out);
    jw_key(&c->out, "FunctionEventInvokeConfigs");
    jw_arr(&c->out);
    for (long long n = 0; i < total && n < max; i++, n++) {
        eic_t s;
        if (find_config(configs, in_str(configs->u.array.values[i], "Qualifier"), &s) == 0)
            write_config(&c->out, fn, &s);
    }
    jw_aend(&c->out);
    lambda_write_marker(c, i, total);
    jw_end(&c->out);
    yajl_tree_free(configs);
    return CALL_DONE;
}

/* ---- asynchronous invocations ---- */

/* The qualifier of a function ARN (arn:aws:lambda:region:account:function:name:qualifier), or NULL. */
static const char *arn_qualifier(const char *arn)
{
    const char *p = arn;
    for (int colons = 0; p && colons < 7; colons++)
        if ((p = strchr(p, ':')))
            p++;
    return p;
}

void lambda_async_settings(const lambda_inv_t *inv, lambda_async_t *out)
{
    *out = (lambda_async_t){.max_retries = DEFAULT_RETRIES, .max_age_ms = DEFAULT_MAX_AGE_S * 1000LL};
    lambda_fn_t *fn = lambda_fn_find(inv->account, inv->region, inv->fn_name);
    lambda_cfg_t *cfg = fn ? lambda_qualified(fn, inv->version) : NULL;
    if (cfg && cfg->dlq_arn)
        snprintf(out->dlq, sizeof(out->dlq), "%s", cfg->dlq_arn);
    if (!fn || !fn->eic_json)
        return;
    yajl_val configs = parse_configs(fn);
    const char *q = arn_qualifier(inv->invoked_arn);
    eic_t s;
    if (find_config(configs, q ? q : LAMBDA_LATEST, &s) == 0) {
        out->max_retries = s.retries >= 0 ? (int)s.retries : DEFAULT_RETRIES;
        out->max_age_ms = (s.max_age_s >= 0 ? s.max_age_s : DEFAULT_MAX_AGE_S) * 1000LL;
        snprintf(out->on_success, sizeof(out->on_success), "%s", s.on_success ? s.on_success : "");
        snprintf(out->on_failure, sizeof(out->on_failure), "%s", s.on_failure ? s.on_failure : "");
    }
    yajl_tree_free(configs);
}

/* JSON text as itself, anything else (a runtime's non-JSON answer) as a string. */
static void write_payload(jw_t *w, const char *text, size_t len)
{
    char err[64];
    yajl_val v = len ? ytree_parse_text(text, err, sizeof(err)) : NULL;
    if (v)
        jw_raw(w, text, len);
    else
        jw_strn(w, text, len);
    yajl_tree_free(v);
}

static void dest_send(const char *origin, const char *dest, const char *record, size_t len, const char *attrs,
                      const lambda_inv_t *from);

/* At most 1 KB of s, not cutting a UTF-8 character. */
static size_t cut_1k(const char *s)
{
    size_t n = strlen(s);
    if (n <= 1024)
        return n;
    for (n = 1024; n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; n--)
        ;
    return n;
}

/* A failed event to the dead-letter queue: its payload as it came, the request id, the invocation's status code
 * (200: the function ran and failed; 429: it never ran, throttled) and the function's errorMessage (else its whole
 * answer), cut to 1 KB. */
static void dead_letter(const lambda_inv_t *inv, const char *dlq, int invokes)
{
    char err[64], origin[128];
    yajl_val result = inv->result ? ytree_parse_text(inv->result, err, sizeof(err)) : NULL;
    const char *message = in_str(result, "errorMessage") ? in_str(result, "errorMessage") : inv->result;
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    const char *names[3] = {"RequestID", "ErrorCode", "ErrorMessage"}, *types[3] = {"String", "Number", "String"};
    const char *values[3] = {inv->request_id, invokes > 0 ? "200" : "429", message};
    for (int i = 0; i < 3 && values[i] && *values[i]; i++) {
        jw_key(&w, names[i]);
        jw_obj(&w);
        jw_kstr(&w, "DataType", types[i]);
        jw_key(&w, "StringValue");
        jw_strn(&w, values[i], cut_1k(values[i]));
        jw_end(&w);
    }
    jw_end(&w);
    yajl_tree_free(result);
    size_t len;
    char *attrs = jw_take(&w, &len);
    snprintf(origin, sizeof(origin), "function %s", inv->fn_name);
    dest_send(origin, dlq, inv->payload, inv->len, attrs, NULL);
    free(attrs);
}

void lambda_async_record(const lambda_inv_t *inv, const lambda_async_t *s, const char *condition, int invokes)
{
    int success = strcmp(condition, "Success") == 0;
    const char *dest = success ? s->on_success : s->on_failure;
    if (!success && *s->dlq)
        dead_letter(inv, s->dlq, invokes);
    if (!*dest)
        return;
    char now[32];
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "version", "1.0");
    jw_kstr(&w, "timestamp", lambda_time_fmt(now, clock_now_ms(), LAMBDA_TIME_MS_Z));
    jw_key(&w, "requestContext");
    jw_obj(&w);
    jw_kstr(&w, "requestId", inv->request_id);
    char *arn = arn_qualifier(inv->invoked_arn) ? NULL : lambda_arn_fmt(inv->region, inv->account, inv->fn_name, LAMBDA_LATEST);
    jw_kstr(&w, "functionArn", arn ? arn : inv->invoked_arn);
    free(arn);
    jw_kstr(&w, "condition", condition);
    jw_kint(&w, "approximateInvokeCount", invokes);
    jw_end(&w);
    jw_key(&w, "requestPayload");
    write_payload(&w, inv->payload, inv->len);
    if (invokes > 0) { /* the last run's answer */
        jw_key(&w, "responseContext");
        jw_obj(&w);
        jw_kint(&w, "statusCode", 200);
        jw_kstr(&w, "executedVersion", inv->version);
        if (!success)
            jw_kstr(&w, "functionError", "Unhandled");
        jw_end(&w);
        jw_key(&w, "responsePayload");
        write_payload(&w, inv->result, inv->result_len);
    }
    jw_end(&w);
    char origin[128];
    snprintf(origin, sizeof(origin), "function %s", inv->fn_name);
    dest_send(origin, dest, w.buf, w.len, NULL, inv);
    jw_free(&w);
}

/* An Event invocation of the function a Lambda destination ARN names. */
static void invoke_destination(const char *origin, const char *arn, const char *record, size_t len, const lambda_inv_t *from)
{
    if (from && from->recursive) { /* its record would run the loop on, or bounce between stopped functions */
        LOG_WARN("lambda: %s: a recursive loop was stopped: invocation record not sent to %s", origin, arn);
        return;
    }
    char *copy = strdup(arn), *p[8];
    int n = arn_split(copy, p);
    lambda_fn_t *fn = n >= 7 && strcmp(p[5], "function") == 0 ? lambda_fn_find(p[4], p[3], p[6]) : NULL;
    lambda_cfg_t *cfg = fn ? lambda_qualified(fn, n == 8 ? p[7] : NULL) : NULL;
    free(copy);
    if (!cfg) {
        LOG_WARN("lambda: %s: destination function %s not found: invocation record not sent", origin, arn);
        return;
    }
    LOG_DEBUG("lambda: %s: invocation record sent to %s", origin, arn);
    lambda_inv_t *inv = lambda_inv_new(fn, cfg, arn, record, len);
    if (from && from->lineage) { /* the destination's invocation is in its source's chain of requests */
        char trace[300];
        snprintf(trace, sizeof(trace), "Lineage=%s", from->lineage);
        lambda_inv_chain(inv, fn, trace);
    }
    lambda_inv_submit_event(inv);
}

/* from: the invocation whose record it is (its chain of requests goes on in a Lambda destination), or NULL. */
static void dest_send(const char *origin, const char *dest, const char *record, size_t len, const char *attrs,
                      const lambda_inv_t *from)
{
    char id[37];
    if (strncmp(dest, "arn:aws:lambda:", 15) == 0) {
        invoke_destination(origin, dest, record, len, from);
        return;
    }
    if (strncmp(dest, "arn:aws:sqs:", 12) != 0) {
        LOG_WARN("lambda: %s: destination %s is neither an SQS queue nor a Lambda function: invocation record not sent", origin,
                 dest);
        return;
    }
    int rc = sqs_api_send_attrs(dest, record, len, attrs, id);
    if (rc == 0)
        LOG_DEBUG("lambda: %s: invocation record sent to %s (message %s)", origin, dest, id);
    else
        LOG_WARN("lambda: %s: could not send the invocation record to %s (%s)", origin, dest,
                 rc == -1 ? "no such queue" : "the queue refused it");
}

void lambda_dest_send(const char *origin, const char *dest, const char *record, size_t len)
{
    dest_send(origin, dest, record, len, NULL, NULL);
}
