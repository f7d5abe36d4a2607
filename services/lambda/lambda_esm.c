/* lambda_esm.c - event source mappings: the one control plane (Create, Get, List,
 * Update, Delete, persistence) for SQS queues and DynamoDB streams, and the SQS
 * poller (the stream poller is lambda_esm_stream.c).
 *
 * An enabled SQS mapping polls its queue inside the event loop through the SQS
 * in-process API (services/sqs/sqs_api.h): it receives up to BatchSize messages
 * (waiting up to MaximumBatchingWindowInSeconds to fill a batch), builds the
 * event as Lambda does (Records with messageId, receiptHandle, body, attributes,
 * messageAttributes, md5OfBody, eventSource, eventSourceARN, awsRegion), invokes
 * the function, and deletes the batch on success. Messages that FilterCriteria leave
 * out are deleted without an invocation, as Lambda does. On failure the messages stay
 * in flight until their visibility timeout (and so reach the queue's dead-letter
 * queue); with FunctionResponseTypes ReportBatchItemFailures only the reported
 * items stay. Like Lambda's initial SQS scaling, up to five batches per mapping
 * run at once, or ScalingConfig.MaximumConcurrency (the function's reserved
 * concurrency still applies). State follows
 * AWS: Creating -> Enabled, Updating/Enabling/Disabling -> Enabled/Disabled, Deleting. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/ytree.h"
#include "../../storage/lambda_store.h"
#include "../clock.h"
#include "../log.h"
#include "../resync.h"
#include "../service.h"
#include "../sqs/sqs_api.h"
#include "lambda_esm.h"

#define ESM_MAX_BATCH 10000
#define ESM_MAX_INFLIGHT 5

/* One batch of SQS messages: being filled, or in flight with its invocation. */
typedef struct esm_batch {
    lambda_esm_t *esm;
    jw_t records; /* the Records array's elements, comma-separated */
    int n;
    char **handles, **ids;
    int n_dropped;
    char **dropped; /* receipt handles of messages the filters left out, deleted once received */
    int count;      /* the highest count of the function in its messages' chains of requests (lambda_recursion.c) */
    char *trace;    /* the AWSTraceHeader of that message, or NULL */
} esm_batch_t;

static lambda_esm_t *esms;
static int shutting_down; /* SQS and DynamoDB close before Lambda: no calls into them from close() */

static int sqs_available(void)
{
    return !shutting_down && service_by_name("sqs") != NULL;
}

int lambda_esm_streams_available(void)
{
    return !shutting_down && service_by_name("dynamodb") != NULL;
}

/* Stops waiting for the source (a queue's or a stream's wake-up). */
static void esm_unwait(lambda_esm_t *esm)
{
    if (esm->is_stream)
        lambda_esm_stream_stop(esm);
    else if (esm->waiting && sqs_available())
        sqs_api_wait_cancel(esm->source_arn, esm);
    esm->waiting = 0;
}

/* ---- polling ---- */

static void esm_poll(lambda_esm_t *esm);

static esm_batch_t *batch_new(lambda_esm_t *esm)
{
    esm_batch_t *b = calloc(1, sizeof(*b));
    b->esm = esm;
    jw_init(&b->records);
    return b;
}

static void batch_free(esm_batch_t *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n; i++)
        free(b->handles[i]), free(b->ids[i]);
    for (int i = 0; i < b->n_dropped; i++)
        free(b->dropped[i]);
    free(b->handles), free(b->ids), free(b->dropped), free(b->trace);
    jw_free(&b->records);
    free(b);
}

void lambda_esm_free(lambda_esm_t *esm)
{
    timer_stop(&esm->timer);
    esm_unwait(esm);
    batch_free(esm->filling);
    free(esm->account), free(esm->region), free(esm->fn_name), free(esm->qualifier), free(esm->source_arn);
    free(esm->on_failure), free(esm->tw_state);
    lambda_esm_filters_free(&esm->filters);
    free(esm);
}

static void esm_on_timer(loop_timer_t *t)
{
    esm_poll(t->data);
}

void lambda_esm_later(lambda_esm_t *esm, int64_t at_ms)
{
    timer_stop(&esm->timer);
    timer_start(&esm->timer, at_ms);
}

static void esm_wake(void *arg)
{
    lambda_esm_t *esm = arg;
    esm->waiting = 0;
    esm_poll(esm);
}

static void kv_str(jw_t *w, const char *k, const char *v)
{
    if (v)
        jw_kstr(w, k, v);
}

static void kv_num(jw_t *w, const char *k, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    jw_kstr(w, k, buf);
}

/* messageAttributes in the Lambda event shape: camelCase, with empty list members. */
static void write_msg_attrs(jw_t *w, const char *attrs_json)
{
    char err[64];
    yajl_val a = attrs_json ? ytree_parse_text(attrs_json, err, sizeof(err)) : NULL;
    jw_key(w, "messageAttributes");
    jw_obj(w);
    for (size_t i = 0; a && YAJL_IS_OBJECT(a) && i < a->u.object.len; i++) {
        yajl_val v = a->u.object.values[i];
        jw_key(w, a->u.object.keys[i]);
        jw_obj(w);
        kv_str(w, "stringValue", in_str(v, "StringValue"));
        kv_str(w, "binaryValue", in_str(v, "BinaryValue"));
        jw_key(w, "stringListValues");
        jw_arr(w);
        jw_aend(w);
        jw_key(w, "binaryListValues");
        jw_arr(w);
        jw_aend(w);
        kv_str(w, "dataType", in_str(v, "DataType"));
        jw_end(w);
    }
    jw_end(w);
    yajl_tree_free(a);
}

/* The record of message m in Lambda's SQS event; body_json writes the body as the JSON it holds (for the filters). */
static void write_record(jw_t *w, const lambda_esm_t *esm, const sqs_api_msg_t *m, int body_json)
{
    jw_obj(w);
    jw_kstr(w, "messageId", m->message_id);
    jw_kstr(w, "receiptHandle", m->receipt_handle);
    jw_key(w, "body");
    if (body_json)
        jw_raw(w, m->body, m->body_len);
    else
        jw_strn(w, m->body, m->body_len);
    jw_key(w, "attributes");
    jw_obj(w);
    kv_num(w, "ApproximateReceiveCount", m->receive_count);
    kv_str(w, "AWSTraceHeader", m->aws_trace_header);
    kv_num(w, "SentTimestamp", m->sent_ms);
    kv_str(w, "SequenceNumber", m->sequence_number);
    kv_str(w, "MessageGroupId", m->group_id);
    kv_str(w, "SenderId", m->sender_id);
    kv_str(w, "MessageDeduplicationId", m->dedup_id);
    kv_num(w, "ApproximateFirstReceiveTimestamp", m->first_receive_ms);
    kv_str(w, "DeadLetterQueueSourceArn", m->dlq_source_arn);
    jw_end(w);
    write_msg_attrs(w, m->attrs_json);
    jw_kstr(w, "md5OfBody", m->md5_of_body);
    kv_str(w, "md5OfMessageAttributes", m->md5_of_attrs);
    jw_kstr(w, "eventSource", "aws:sqs");
    jw_kstr(w, "eventSourceARN", esm->source_arn);
    jw_kstr(w, "awsRegion", esm->region);
    jw_end(w);
}

/* 1 when m passes the mapping's FilterCriteria. As Lambda filters SQS messages, the filters see a body
 * that is JSON text as that JSON and any other body as a string. */
static int msg_passes(const lambda_esm_t *esm, const sqs_api_msg_t *m)
{
    if (!esm->filters.n)
        return 1;
    char *body = strndup(m->body, m->body_len), err[64];
    yajl_val parsed = ytree_parse_text(body, err, sizeof(err));
    free(body);
    jw_t w;
    jw_init(&w);
    write_record(&w, esm, m, parsed != NULL);
    yajl_tree_free(parsed);
    int ok = lambda_esm_filters_match(&esm->filters, w.buf, w.len);
    jw_free(&w);
    return ok;
}

/* Whether m's chain of requests (its AWSTraceHeader) has invoked the function too often: then it is left in flight,
 * and comes back after its visibility timeout, one receive more, until the queue's redrive policy takes it (the
 * developer guide: Lambda answers the mapping a RecursiveInvocationException). Else b keeps the highest count. */
static int recursion_stops(esm_batch_t *b, const sqs_api_msg_t *m)
{
    lambda_fn_t *fn = lambda_fn_find(b->esm->account, b->esm->region, b->esm->fn_name);
    int count = fn ? lambda_lineage_next(m->aws_trace_header, fn) : 0;
    if (fn && lambda_recursion_stops(fn, count))
        return 1;
    if (count >= b->count && (count > 0 || !b->trace) && m->aws_trace_header) {
        b->count = count;
        free(b->trace);
        b->trace = strdup(m->aws_trace_header);
    }
    return 0;
}

static void on_msg(const sqs_api_msg_t *m, void *arg)
{
    esm_batch_t *b = arg;
    if (recursion_stops(b, m))
        return;
    if (!msg_passes(b->esm, m)) {
        b->dropped = realloc(b->dropped, (b->n_dropped + 1) * sizeof(char *));
        b->dropped[b->n_dropped++] = strdup(m->receipt_handle);
        return;
    }
    if (b->n)
        jw_append(&b->records, ",", 1);
    write_record(&b->records, b->esm, m, 0);
    b->handles = realloc(b->handles, (b->n + 1) * sizeof(char *));
    b->ids = realloc(b->ids, (b->n + 1) * sizeof(char *));
    b->handles[b->n] = strdup(m->receipt_handle);
    b->ids[b->n] = strdup(m->message_id);
    b->n++;
}

/* Deletes the messages the filters left out, as Lambda does. */
static void delete_dropped(esm_batch_t *b)
{
    for (int i = 0; i < b->n_dropped; i++) {
        sqs_api_delete(b->esm->source_arn, b->dropped[i]);
        free(b->dropped[i]);
    }
    b->n_dropped = 0;
}

/* Which records to keep (not delete) after a successful run with ReportBatchItemFailures;
 * NULL = delete all. A malformed report fails the whole batch, as Lambda does. */
static char *failed_items(const esm_batch_t *b, const char *result)
{
    char *keep = calloc((size_t)b->n + 1, 1);
    char err[64];
    yajl_val r = b->esm->report_failures ? ytree_parse_text(result, err, sizeof(err)) : NULL;
    yajl_val items = r && YAJL_IS_OBJECT(r) ? in_arr(r, "batchItemFailures") : NULL;
    for (size_t i = 0; items && i < items->u.array.len; i++) {
        const char *id = in_str(items->u.array.values[i], "itemIdentifier");
        int found = 0;
        for (int k = 0; id && k < b->n; k++)
            if (strcmp(b->ids[k], id) == 0)
                keep[k] = found = 1;
        if (!found) {
            memset(keep, 1, (size_t)b->n);
            break;
        }
    }
    yajl_tree_free(r);
    return keep;
}

static void esm_done(lambda_inv_t *inv)
{
    esm_batch_t *b = inv->data;
    lambda_esm_t *esm = b->esm;
    int status = inv->status;
    esm->inflight--;
    if (esm->deleted) {
        lambda_inv_free(inv);
        batch_free(b);
        if (!esm->inflight)
            lambda_esm_free(esm);
        return;
    }
    int deleted = 0;
    if (status == LAMBDA_INV_OK && sqs_available()) {
        char *keep = failed_items(b, inv->result);
        for (int i = 0; i < b->n; i++)
            if (!keep[i] && sqs_api_delete(esm->source_arn, b->handles[i]) == 0)
                deleted++;
        free(keep);
    }
    if (status != LAMBDA_INV_OK)
        LOG_INFO("lambda: mapping %s: %s failed on a batch of %d; messages stay for the visibility timeout", esm->uuid,
                 esm->fn_name, b->n);
    else if (deleted < b->n)
        LOG_INFO("lambda: mapping %s: %d of %d messages reported as failed", esm->uuid, b->n - deleted, b->n);
    batch_free(b);
    lambda_inv_free(inv);
    lambda_esm_later(esm, clock_now_ms() + (status == LAMBDA_INV_NOT_RUN ? ESM_RETRY_MS : 0));
}

lambda_cfg_t *lambda_esm_target(lambda_esm_t *esm, lambda_fn_t **fnp)
{
    lambda_fn_t *fn = lambda_fn_find(esm->account, esm->region, esm->fn_name);
    if (!fn)
        return NULL;
    *fnp = fn;
    return lambda_qualified(fn, esm->qualifier);
}

/* Hands a full (or timed-out) batch to the function; -1 when the function is missing. */
static int esm_invoke(lambda_esm_t *esm, esm_batch_t *b)
{
    lambda_fn_t *fn;
    lambda_cfg_t *cfg = lambda_esm_target(esm, &fn);
    if (!cfg) { /* the batch stays in flight; it comes back after its visibility timeout */
        lambda_esm_later(esm, clock_now_ms() + ESM_RETRY_MS);
        batch_free(b);
        return -1;
    }
    jw_t ev;
    jw_init(&ev);
    jw_append(&ev, "{\"Records\":[", 12);
    jw_append(&ev, b->records.buf, b->records.len);
    jw_append(&ev, "]}", 2);
    char *arn = lambda_arn_fmt(fn->region, fn->account, fn->name, esm->qualifier);
    lambda_inv_t *inv = lambda_inv_new(fn, cfg, arn, ev.buf, ev.len);
    free(arn);
    jw_free(&ev);
    inv->lineage = lambda_lineage_new(b->trace, fn, b->count);
    inv->done = esm_done;
    inv->data = b;
    esm->inflight++;
    lambda_inv_submit(inv);
    return 0;
}

/* Fills the current batch from the queue: 1 when it may be invoked now, 0 to wait (empty, or
 * its batching window is open), -1 when the queue is gone. */
static int esm_fill(lambda_esm_t *esm, esm_batch_t *b)
{
    while (b->n < esm->batch_size) {
        int want = esm->batch_size - b->n;
        int n = sqs_api_receive(esm->source_arn, want > 10 ? 10 : want, -1, on_msg, b);
        delete_dropped(b);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
    }
    if (b->n == 0)
        return 0;
    int64_t now = clock_now_ms();
    if (esm->window_s > 0 && b->n < esm->batch_size) {
        if (!esm->window_end)
            esm->window_end = now + (int64_t)esm->window_s * 1000;
        if (now < esm->window_end)
            return 0;
    }
    esm->window_end = 0;
    return 1;
}

static void esm_poll(lambda_esm_t *esm)
{
    if (esm->is_stream) {
        lambda_esm_stream_poll(esm);
        return;
    }
    if (esm->deleted || !esm->enabled || !sqs_available())
        return;
    timer_stop(&esm->timer);
    if (esm->waiting) {
        sqs_api_wait_cancel(esm->source_arn, esm);
        esm->waiting = 0;
    }
    while (esm->inflight < (esm->max_concurrency ? esm->max_concurrency : ESM_MAX_INFLIGHT)) {
        if (!esm->filling)
            esm->filling = batch_new(esm);
        int rc = esm_fill(esm, esm->filling);
        if (rc < 0) {
            lambda_esm_later(esm, clock_now_ms() + ESM_RETRY_MS);
            return;
        }
        if (rc == 0) { /* wait for messages, and for the window's end when a batch is waiting */
            if (sqs_api_wait(esm->source_arn, esm_wake, esm) == 0)
                esm->waiting = 1;
            else
                lambda_esm_later(esm, clock_now_ms() + ESM_RETRY_MS);
            if (esm->window_end)
                lambda_esm_later(esm, esm->window_end);
            return;
        }
        esm_batch_t *b = esm->filling;
        esm->filling = NULL;
        if (esm_invoke(esm, b) != 0)
            return;
    }
}

/* ---- records and persistence ---- */

/* The document esm is stored as, into w (initialized here); its stream position is stored apart. */
static void esm_doc(jw_t *w, lambda_esm_t *esm)
{
    jw_init(w);
    jw_obj(w);
    jw_kstr(w, "Account", esm->account);
    jw_kstr(w, "Region", esm->region);
    jw_kstr(w, "FunctionName", esm->fn_name);
    if (esm->qualifier)
        jw_kstr(w, "Qualifier", esm->qualifier);
    jw_kstr(w, "EventSourceArn", esm->source_arn);
    jw_kint(w, "BatchSize", esm->batch_size);
    jw_kint(w, "MaximumBatchingWindowInSeconds", esm->window_s);
    jw_kbool(w, "Enabled", esm->enabled);
    jw_kbool(w, "ReportBatchItemFailures", esm->report_failures);
    jw_kint(w, "MaximumConcurrency", esm->max_concurrency);
    jw_kint(w, "LastModifiedMs", esm->last_modified);
    jw_kjson(w, "FilterCriteria", esm->filters.json);
    if (esm->is_stream)
        lambda_esm_stream_persist(w, esm);
    jw_end(w);
}

static int esm_persist(lambda_esm_t *esm)
{
    jw_t w;
    esm_doc(&w, esm);
    int rc = lambda_store_put_esm(lambda_db, esm->uuid, w.buf, w.len);
    jw_free(&w);
    return rc;
}

static lambda_esm_t *esm_new(const char *uuid)
{
    lambda_esm_t *esm = calloc(1, sizeof(*esm));
    snprintf(esm->uuid, sizeof(esm->uuid), "%s", uuid);
    timer_init(&esm->timer, esm_on_timer, esm);
    esm->batch_size = 10;
    esm->enabled = 1;
    esm->last_result = "No records processed";
    return esm;
}

/* Takes esm out of the list and stops it; it is freed now, or by its last invocation's end. */
static void esm_drop(void *held)
{
    lambda_esm_t *esm = held;
    for (lambda_esm_t **pp = &esms; *pp; pp = &(*pp)->next)
        if (*pp == esm) {
            *pp = esm->next;
            break;
        }
    esm->deleted = 1;
    timer_stop(&esm->timer);
    esm_unwait(esm);
    if (!esm->inflight)
        lambda_esm_free(esm);
}

static void esm_link(lambda_esm_t *esm)
{
    lambda_esm_t **pp = &esms;
    while (*pp)
        pp = &(*pp)->next;
    *pp = esm;
}

static void load_one(void *ud, const char *uuid, const char *doc, const char *position)
{
    char err[64];
    yajl_val v = ytree_parse_text(doc, err, sizeof(err));
    if (!v || !in_str(v, "EventSourceArn") || !in_str(v, "FunctionName")) {
        LOG_ERROR("lambda: mapping %s: unreadable stored document", uuid);
        yajl_tree_free(v);
        return;
    }
    lambda_esm_t *esm = esm_new(uuid);
    esm->account = strdup(in_str(v, "Account"));
    esm->region = strdup(in_str(v, "Region"));
    esm->fn_name = strdup(in_str(v, "FunctionName"));
    esm->qualifier = in_str(v, "Qualifier") ? strdup(in_str(v, "Qualifier")) : NULL;
    esm->source_arn = strdup(in_str(v, "EventSourceArn"));
    long long n;
    if (in_int(v, "BatchSize", &n))
        esm->batch_size = (int)n;
    if (in_int(v, "MaximumBatchingWindowInSeconds", &n))
        esm->window_s = (int)n;
    if (in_int(v, "MaximumConcurrency", &n))
        esm->max_concurrency = (int)n;
    if (in_int(v, "LastModifiedMs", &n))
        esm->last_modified = n;
    in_bool(v, "Enabled", &esm->enabled);
    in_bool(v, "ReportBatchItemFailures", &esm->report_failures);
    esm->state = esm->enabled ? "Enabled" : "Disabled";
    if (lambda_esm_filters_set(&esm->filters, in_obj(v, "FilterCriteria")) != 0)
        LOG_ERROR("lambda: mapping %s: stored FilterCriteria unreadable; records are not filtered", esm->uuid);
    if (strncmp(esm->source_arn, "arn:aws:dynamodb:", 17) == 0) {
        esm->is_stream = 1;
        lambda_esm_stream_load(esm, v);
        snprintf(esm->position, sizeof(esm->position), "%s", position ? position : "");
    }
    yajl_tree_free(v);
    esm_link(esm);
    lambda_esm_later(esm, clock_now_ms());
    (*(int *)ud)++;
}

int lambda_esm_load(void)
{
    int n = 0;
    shutting_down = 0;
    return lambda_store_each_esm(lambda_db, load_one, &n);
}

void lambda_esm_shutdown(void)
{
    shutting_down = 1;
    while (esms) {
        lambda_esm_t *esm = esms;
        esms = esm->next;
        esm->deleted = 1;
        if (!esm->inflight) /* a busy one is freed when its invocations are failed by lambda_env_shutdown */
            lambda_esm_free(esm);
    }
}

static void write_esm(call_t *c, const lambda_esm_t *esm)
{
    jw_t *w = &c->out;
    jw_obj(w);
    jw_kstr(w, "UUID", esm->uuid);
    jw_kint(w, "BatchSize", esm->batch_size);
    jw_kint(w, "MaximumBatchingWindowInSeconds", esm->window_s);
    jw_kstr(w, "EventSourceArn", esm->source_arn);
    char *arn = lambda_arn_fmt(esm->region, esm->account, esm->fn_name, esm->qualifier);
    jw_kstr(w, "FunctionArn", arn);
    free(arn);
    jw_key(w, "LastModified");
    jw_double(w, (double)esm->last_modified / 1000.0);
    if (esm->is_stream) /* Lambda reports none for a queue */
        jw_kstr(w, "LastProcessingResult", esm->last_result);
    jw_kstr(w, "State", esm->state);
    jw_kstr(w, "StateTransitionReason", esm->is_stream ? "User action" : "USER_INITIATED");
    if (esm->is_stream)
        lambda_esm_stream_write(w, esm);
    jw_kjson(w, "FilterCriteria", esm->filters.json);
    jw_key(w, "FunctionResponseTypes");
    jw_arr(w);
    if (esm->report_failures)
        jw_str(w, "ReportBatchItemFailures");
    jw_aend(w);
    if (esm->max_concurrency) {
        jw_key(w, "ScalingConfig");
        jw_obj(w);
        jw_kint(w, "MaximumConcurrency", esm->max_concurrency);
        jw_end(w);
    }
    jw_kstr(w, "EventSourceMappingArn",
            call_sprintf(c, "arn:aws:lambda:%s:%s:event-source-mapping:%s", esm->region, esm->account, esm->uuid));
    jw_end(w);
}

static lambda_esm_t *esm_find(call_t *c)
{
    const char *uuid = in_str(c->in, "UUID");
    for (lambda_esm_t *e = esms; uuid && e; e = e->next)
        if (strcmp(e->uuid, uuid) == 0 && strcmp(e->account, c->account) == 0 && strcmp(e->region, c->region) == 0)
            return e;
    call_error(c, "ResourceNotFoundException", "The resource you requested does not exist.");
    return NULL;
}

/* Settles a transitional state (Creating, Updating, Enabling, Disabling) on the next loop turn. */
static void esm_settle(loop_timer_t *t);

static void esm_transition(lambda_esm_t *esm, const char *state)
{
    esm->state = state;
    esm_unwait(esm); /* a wake-up would poll and stop the settling timer; the settled mapping waits again */
    timer_stop(&esm->timer);
    esm->timer.cb = esm_settle;
    timer_start(&esm->timer, clock_now_ms());
}

static void esm_settle(loop_timer_t *t)
{
    lambda_esm_t *esm = t->data;
    esm->timer.cb = esm_on_timer;
    esm->state = esm->enabled ? "Enabled" : "Disabled";
    if (esm->enabled)
        esm_poll(esm);
    else
        esm_unwait(esm);
}

/* Applies and checks BatchSize, MaximumBatchingWindowInSeconds, FunctionResponseTypes, ScalingConfig,
 * FilterCriteria and Enabled. */
static int esm_apply(call_t *c, lambda_esm_t *esm)
{
    long long n;
    int b;
    int batch = esm->batch_size, window = esm->window_s;
    if (in_int(c->in, "BatchSize", &n))
        batch = (int)n;
    if (in_int(c->in, "MaximumBatchingWindowInSeconds", &n))
        window = (int)n;
    if (batch < 1 || batch > ESM_MAX_BATCH)
        return call_error(c, "InvalidParameterValueException", "BatchSize must be between 1 and %d for %s event sources.",
                          ESM_MAX_BATCH, esm->is_stream ? "DynamoDB" : "SQS");
    if (window < 0 || window > 300)
        return call_error(c, "InvalidParameterValueException", "MaximumBatchingWindowInSeconds must be between 0 and 300.");
    if (esm->is_stream && lambda_esm_stream_apply(c, esm) != CALL_DONE)
        return CALL_ERROR;
    size_t alen = esm->source_arn ? strlen(esm->source_arn) : 0;
    int fifo = !esm->is_stream && alen > 5 && strcmp(esm->source_arn + alen - 5, ".fifo") == 0;
    if (fifo && window > 0)
        return call_error(c, "InvalidParameterValueException",
                          "Invalid request provided: Batching window is not supported for FIFO queues");
    if (fifo && batch > 10)
        return call_error(c, "InvalidParameterValueException", "BatchSize must be between 1 and 10 for SQS FIFO event sources.");
    if (!esm->is_stream && batch > 10 && window < 1)
        return call_error(c, "InvalidParameterValueException",
                          "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
    yajl_val types = in_arr(c->in, "FunctionResponseTypes");
    if (types) {
        esm->report_failures = 0;
        for (size_t i = 0; i < types->u.array.len; i++)
            esm->report_failures |= YAJL_IS_STRING(types->u.array.values[i]) &&
                                    strcmp(types->u.array.values[i]->u.string, "ReportBatchItemFailures") == 0;
    }
    yajl_val scaling = in_obj(c->in, "ScalingConfig");
    if (scaling) {
        long long mc = 0;
        if (in_int(scaling, "MaximumConcurrency", &mc) && (mc < 2 || mc > 1000))
            return call_error(c, "InvalidParameterValueException", "MaximumConcurrency must be between 2 and 1000.");
        esm->max_concurrency = (int)mc;
    }
    yajl_val fc = in_obj(c->in, "FilterCriteria");
    if (fc && lambda_esm_filters_set(&esm->filters, fc) != 0)
        return call_error(c, "InvalidParameterValueException", "Invalid filter pattern definition.");
    esm->batch_size = batch;
    esm->window_s = window;
    if (in_bool(c->in, "Enabled", &b))
        esm->enabled = b;
    esm->last_modified = clock_now_ms();
    return CALL_DONE;
}

/* FunctionName of a create/update: the function must exist (Lambda's InvalidParameterValueException, not
 * the ResourceNotFoundException of the function operations); keeps name and qualifier. */
static int esm_function(call_t *c, lambda_esm_t *esm)
{
    lambda_fn_t *fn;
    lambda_ref_t ref;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), NULL, &ref) != CALL_DONE)
        return CALL_ERROR;
    if (!lambda_fn_find(c->account, c->region, ref.name))
        return call_error(c, "InvalidParameterValueException", "Function does not exist");
    if (lambda_resolve(c, in_str(c->in, "FunctionName"), NULL, &fn, NULL, NULL) != CALL_DONE)
        return CALL_ERROR;
    free(esm->fn_name), free(esm->qualifier);
    esm->fn_name = strdup(fn->name);
    esm->qualifier = ref.qualifier ? strdup(ref.qualifier) : NULL;
    return CALL_DONE;
}

/* A new SQS mapping: no StartingPosition, the function, then the queue (it must exist), as Lambda checks
 * them; the queue's visibility timeout must cover the function's timeout. */
static int esm_sqs_check(call_t *c, lambda_esm_t *esm)
{
    if (in_str(c->in, "StartingPosition"))
        return call_error(c, "InvalidParameterValueException", "StartingPosition is not valid for SQS event sources.");
    if (!sqs_available())
        return call_error(c, "InvalidParameterValueException", "The SQS service is not enabled in this awsemu (--services).");
    if (esm_function(c, esm) != CALL_DONE)
        return CALL_ERROR;
    int vis = 30;
    if (!sqs_api_queue_info(esm->source_arn, NULL, &vis))
        return call_error(c, "InvalidParameterValueException",
                          "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error "
                          "Message: The specified queue does not exist or you do not have access to it.");
    if (esm_apply(c, esm) != CALL_DONE)
        return CALL_ERROR;
    lambda_fn_t *fn;
    lambda_cfg_t *cfg = lambda_esm_target(esm, &fn);
    if (cfg && cfg->timeout > vis)
        return call_error(c, "InvalidParameterValueException",
                          "Queue visibility timeout: %d seconds is less than Function timeout: %d seconds", vis, cfg->timeout);
    return CALL_DONE;
}

/* A new stream mapping: StartingPosition and the stream first, then the function, as Lambda checks them. */
static int esm_stream_check(call_t *c, lambda_esm_t *esm)
{
    esm->is_stream = 1;
    esm->batch_size = 100;
    esm->max_retries = -1;
    esm->max_age_s = -1;
    esm->parallelization = 1;
    if (lambda_esm_stream_create(c, esm) != CALL_DONE || esm_function(c, esm) != CALL_DONE)
        return CALL_ERROR;
    return esm_apply(c, esm);
}

/* A mapping of this function to this source exists already: Lambda's conflict. */
static int esm_conflict(call_t *c, const lambda_esm_t *esm)
{
    for (lambda_esm_t *e = esms; e; e = e->next) {
        if (strcmp(e->source_arn, esm->source_arn) != 0 || strcmp(e->fn_name, esm->fn_name) != 0 ||
            strcmp(e->account, c->account) != 0)
            continue;
        if (esm->is_stream)
            return call_error(c, "ResourceConflictException",
                              "The event source arn (\" %s \") and function (\" %s \") provided mapping already exists. Please "
                              "update or delete the existing mapping with UUID %s",
                              esm->source_arn, esm->fn_name, e->uuid);
        return call_error(
            c, "ResourceConflictException",
            "An event source mapping with SQS arn (\" %s \") and function (\" %s \") already exists. Please update or "
            "delete the existing mapping with UUID %s",
            esm->source_arn, esm->fn_name, e->uuid);
    }
    return CALL_DONE;
}

int lambda_create_event_source_mapping(call_t *c)
{
    const char *src = in_str(c->in, "EventSourceArn");
    int sqs = src && strncmp(src, "arn:aws:sqs:", 12) == 0, ddb = src && strncmp(src, "arn:aws:dynamodb:", 17) == 0;
    if (!src)
        return call_error(c, "InvalidParameterValueException", "Unrecognized event source.");
    if (!sqs && !ddb)
        return call_error(c, "InvalidParameterValueException",
                          "awsemu supports event source mappings for SQS queues and DynamoDB streams only.");
    char uuid[37];
    lambda_esm_t *esm = esm_new(lambda_uuid(uuid));
    esm->account = strdup(c->account);
    esm->region = strdup(c->region);
    esm->source_arn = strdup(src);
    if ((sqs ? esm_sqs_check(c, esm) : esm_stream_check(c, esm)) != CALL_DONE || esm_conflict(c, esm) != CALL_DONE) {
        lambda_esm_free(esm);
        return CALL_ERROR;
    }
    if (esm_persist(esm) != 0 || (esm->is_stream && lambda_store_put_esm_position(lambda_db, esm->uuid, esm->position) != 0)) {
        lambda_esm_free(esm);
        return call_error(c, "ServiceException", "could not store the event source mapping");
    }
    esm_link(esm);
    if (esm->enabled)
        esm_transition(esm, "Creating");
    else
        esm->state = "Disabled"; /* Lambda answers a disabled mapping's creation with its settled state */
    write_esm(c, esm);
    return CALL_DONE;
}

int lambda_get_event_source_mapping(call_t *c)
{
    lambda_esm_t *esm = esm_find(c);
    if (!esm)
        return CALL_ERROR;
    write_esm(c, esm);
    return CALL_DONE;
}

int lambda_list_event_source_mappings(call_t *c)
{
    long long max = 100, n;
    if (in_int(c->in, "MaxItems", &n))
        max = n;
    const char *src = in_str(c->in, "EventSourceArn"), *fname = in_str(c->in, "FunctionName"), *marker = in_str(c->in, "Marker");
    lambda_ref_t ref = {NULL, NULL};
    if (fname && lambda_parse_ref(c, fname, NULL, &ref) != CALL_DONE)
        return CALL_ERROR;
    int started = !marker || !*marker;
    long long count = 0;
    const char *next = NULL;
    jw_obj(&c->out);
    jw_key(&c->out, "EventSourceMappings");
    jw_arr(&c->out);
    for (lambda_esm_t *e = esms; e; e = e->next) {
        if (strcmp(e->account, c->account) != 0 || strcmp(e->region, c->region) != 0)
            continue;
        if ((src && strcmp(e->source_arn, src) != 0) || (ref.name && strcmp(e->fn_name, ref.name) != 0))
            continue;
        if (!started) {
            started = strcmp(e->uuid, marker) == 0;
            if (!started)
                continue;
        }
        if (count == max) {
            next = e->uuid;
            break;
        }
        count++;
        write_esm(c, e);
    }
    jw_aend(&c->out);
    if (next)
        jw_kstr(&c->out, "NextMarker", next);
    jw_end(&c->out);
    return CALL_DONE;
}

int lambda_update_event_source_mapping(call_t *c)
{
    lambda_esm_t *esm = esm_find(c);
    if (!esm)
        return CALL_ERROR;
    if (strcmp(esm->state, "Enabled") != 0 && strcmp(esm->state, "Disabled") != 0)
        return call_error(c, "ResourceInUseException",
                          "Cannot update the event source mapping because it is in use. The current state is %s.", esm->state);
    int was = esm->enabled;
    if (in_str(c->in, "FunctionName") && esm_function(c, esm) != CALL_DONE)
        return CALL_ERROR;
    if (esm_apply(c, esm) != CALL_DONE)
        return CALL_ERROR;
    if (esm_persist(esm) != 0) {
        lambda_esm_resync(); /* the mapping as stored again (this one may be gone) */
        return call_error(c, "ServiceException", "could not store the event source mapping");
    }
    esm_transition(esm, esm->enabled == was ? "Updating" : esm->enabled ? "Enabling" : "Disabling");
    write_esm(c, esm);
    return CALL_DONE;
}

int lambda_delete_event_source_mapping(call_t *c)
{
    lambda_esm_t *esm = esm_find(c);
    if (!esm)
        return CALL_ERROR;
    if (lambda_store_del_esm(lambda_db, esm->uuid) != 0)
        return call_error(c, "ServiceException", "could not delete the event source mapping");
    esm->state = "Deleting";
    write_esm(c, esm);
    esm_drop(esm);
    return CALL_DONE;
}

static int esm_is(const void *held, const void *uuid)
{
    return strcmp(((const lambda_esm_t *)held)->uuid, uuid) == 0;
}

static void resync_one(void *ud, const char *uuid, const char *doc, const char *position)
{
    lambda_esm_t *esm = resync_find(ud, esm_is, uuid);
    if (esm) {
        jw_t w;
        esm_doc(&w, esm);
        if (jw_free_matches(&w, doc))
            return;
        esm_drop(esm); /* what it holds is not what is stored: it starts again from the document */
    }
    int loaded = 0;
    load_one(&loaded, uuid, doc, position);
}

/* After the turn's commit failed: the mappings as their stored documents are again (one whose
 * CreateEventSourceMapping was rolled back stops, as DeleteEventSourceMapping stops it; one whose
 * delete was rolled back runs again; a changed one starts again from its document). */
void lambda_esm_resync(void)
{
    resync_t r;
    if (resync_begin_list(&r, esms, offsetof(lambda_esm_t, next)) == 0)
        resync_end(&r, lambda_store_each_esm(lambda_db, resync_one, &r) == 0, esm_drop);
}
