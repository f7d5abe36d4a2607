/* lambda_esm_stream.c - event source mappings on DynamoDB streams: the poller.
 *
 * A mapping keeps a checkpoint (the sequence number of the last record done),
 * durable in the mappings table, so a restart resumes after the last batch that
 * succeeded. It reads up to BatchSize records past the checkpoint through the
 * DynamoDB Streams in-process API (services/dynamodb/ddb_stream.h), waiting up
 * to MaximumBatchingWindowInSeconds to fill a batch, and invokes the function
 * with {"Records": [...]} as the API hands the records over (Lambda's shape,
 * eventSourceARN included), ApproximateCreationDateTime made a float as in
 * Lambda's events. One batch at a time, so records arrive in
 * order (the stream has one shard). With no records it sleeps on the API's
 * one-shot wake-up, which fires as soon as a write to the stream commits.
 *
 * A function error retries the same records (split in two first when
 * BisectBatchOnFunctionError is on; a split is not a retry) until
 * MaximumRetryAttempts or MaximumRecordAgeInSeconds (or the stream's 24-hour
 * retention) runs out; the records are then skipped and, with an OnFailure
 * destination (an SQS queue), described by an invocation record sent there
 * (lambda_dest_send). With ReportBatchItemFailures
 * the checkpoint moves to just before the lowest reported SequenceNumber and the
 * retry starts there.
 *
 * TumblingWindowInSeconds groups records by the window (of that length, counted
 * from the epoch) their ApproximateCreationDateTime falls in: a batch holds one
 * window's records, and its event adds window, state (what the function returned
 * last in the window, {} at its start), shardId, eventSourceARN and the flags.
 * An answer without "state" fails the batch. Once the window's records are done
 * and its end has passed, a final invocation without records
 * (isFinalInvokeForWindow) is retried until it succeeds; the state is then dropped.
 * A state over 1 MB ends the window early: the final invocation comes at once (and
 * isWindowTerminatedEarly), then the same window goes on from {}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../protocol/ytree.h"
#include "../../storage/lambda_store.h"
#include "../clock.h"
#include "../dynamodb/ddb_stream.h"
#include "../log.h"
#include "lambda_esm.h"

#define STREAM_BACKOFF_MAX_MS 1000
#define EVENT_OVERHEAD 16 /* {"Records":[ ... ]} */

/* Records read past the checkpoint: being collected, or being handed to the function (lo..hi). */
typedef struct esm_stream_batch {
    lambda_esm_t *esm;
    jw_t recs;   /* the records' JSON, back to back: record i is recs.buf[off[i] .. off[i + 1]) */
    size_t *off; /* n + 1 offsets */
    char (*seq)[ESM_SEQ_MAX];
    int64_t *created_ms;
    int n, cap;
    int full;                   /* another record would pass the invocation payload limit */
    char read_seq[ESM_SEQ_MAX]; /* the last record read, kept or filtered out ("" none) */
    int lo, hi;                 /* the records of the next (or running) invocation; lo == hi while collecting */
    int attempts;               /* failed invocations that began at record lo */
    /* the last invocation, for the OnFailure record */
    char request_id[37];
    char version[32];
    int function_error;
} esm_stream_batch_t;

static void batch_free(esm_stream_batch_t *b)
{
    if (!b)
        return;
    jw_free(&b->recs);
    free(b->off), free(b->seq), free(b->created_ms);
    free(b);
}

static esm_stream_batch_t *batch_new(lambda_esm_t *esm)
{
    esm_stream_batch_t *b = calloc(1, sizeof(*b));
    b->esm = esm;
    jw_init(&b->recs);
    b->off = calloc(1, sizeof(*b->off));
    return b;
}

/* Appends a record as Lambda hands it over: GetRecords' text with ApproximateCreationDateTime as a float
 * (1678831218.0), as Lambda's events carry it. The member is the first of "dynamodb", after the fixed members. */
static void append_record(jw_t *w, const char *json, size_t len)
{
    static const char key[] = "\"dynamodb\":{\"ApproximateCreationDateTime\":";
    const char *at = memmem(json, len, key, sizeof(key) - 1);
    if (!at) {
        jw_append(w, json, len);
        return;
    }
    size_t end = (size_t)(at - json) + sizeof(key) - 1;
    while (end < len && json[end] >= '0' && json[end] <= '9')
        end++;
    jw_append(w, json, end);
    jw_append(w, ".0", 2);
    jw_append(w, json + end, len - end);
}

/* Keeps one record of a read (ddb_stream_api_read's callback): stops before the payload limit. */
static int on_record(const ddb_stream_api_rec_t *r, void *arg)
{
    esm_stream_batch_t *b = arg;
    if (!lambda_esm_filters_match(&b->esm->filters, r->json, r->len)) {
        snprintf(b->read_seq, ESM_SEQ_MAX, "%s", r->seq);
        return 0;
    }
    if (b->n > 0 && b->recs.len + (size_t)b->n + r->len + EVENT_OVERHEAD > LAMBDA_MAX_SYNC_PAYLOAD) {
        b->full = 1;
        return 1;
    }
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->off = realloc(b->off, sizeof(*b->off) * ((size_t)b->cap + 1));
        b->seq = realloc(b->seq, sizeof(*b->seq) * (size_t)b->cap);
        b->created_ms = realloc(b->created_ms, sizeof(*b->created_ms) * (size_t)b->cap);
    }
    append_record(&b->recs, r->json, r->len);
    snprintf(b->seq[b->n], ESM_SEQ_MAX, "%s", r->seq);
    snprintf(b->read_seq, ESM_SEQ_MAX, "%s", r->seq);
    b->created_ms[b->n] = r->created_ms;
    b->off[++b->n] = b->recs.len;
    return 0;
}

/* ---- checkpoint and skipped records ---- */

static void checkpoint_at(lambda_esm_t *esm, const char *seq)
{
    snprintf(esm->position, sizeof(esm->position), "%s", seq);
    if (lambda_store_put_esm_position(lambda_db, esm->uuid, esm->position) != 0)
        LOG_ERROR("lambda: mapping %s: could not store its checkpoint %s", esm->uuid, esm->position);
}

/* Sends an invocation record to the OnFailure destination (an SQS queue; awsemu has no SNS). */
static void send_on_failure(const lambda_esm_t *esm, const char *record, size_t len)
{
    char origin[64];
    snprintf(origin, sizeof(origin), "mapping %s", esm->uuid);
    lambda_dest_send(origin, esm->on_failure, record, len);
}

/* Skips records lo..hi-1 (retries or age exhausted): past the checkpoint, and described by Lambda's invocation record
 * for the OnFailure destination. */
static void discard(lambda_esm_t *esm, esm_stream_batch_t *b, int hi, const char *condition)
{
    int lo = b->lo;
    char first[32], last[32], now[32];
    lambda_time_fmt(first, b->created_ms[lo], LAMBDA_TIME_Z);
    lambda_time_fmt(last, b->created_ms[hi - 1], LAMBDA_TIME_Z);
    lambda_time_fmt(now, clock_now_ms(), LAMBDA_TIME_MS_Z);
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "requestContext");
    jw_obj(&w);
    jw_kstr(&w, "requestId", b->request_id);
    char *fn_arn = lambda_arn_fmt(esm->region, esm->account, esm->fn_name, esm->qualifier);
    jw_kstr(&w, "functionArn", fn_arn);
    free(fn_arn);
    jw_kstr(&w, "condition", condition);
    jw_kint(&w, "approximateInvokeCount", b->attempts);
    jw_end(&w);
    if (b->request_id[0]) {
        jw_key(&w, "responseContext");
        jw_obj(&w);
        jw_kint(&w, "statusCode", 200);
        jw_kstr(&w, "executedVersion", b->version);
        jw_key(&w, "functionError"); /* null when the function returned and reported failed items */
        if (b->function_error)
            jw_str(&w, "Unhandled");
        else
            jw_null(&w);
        jw_end(&w);
    }
    jw_kstr(&w, "version", "1.0");
    jw_kstr(&w, "timestamp", now);
    jw_key(&w, "DDBStreamBatchInfo");
    jw_obj(&w);
    char shard[DDB_STREAM_SHARD_ID_MAX];
    if (ddb_stream_api_shard_id(esm->source_arn, shard) == 0)
        jw_kstr(&w, "shardId", shard);
    jw_kstr(&w, "startSequenceNumber", b->seq[lo]);
    jw_kstr(&w, "endSequenceNumber", b->seq[hi - 1]);
    jw_kstr(&w, "approximateArrivalOfFirstRecord", first);
    jw_kstr(&w, "approximateArrivalOfLastRecord", last);
    jw_kint(&w, "batchSize", hi - lo);
    jw_kstr(&w, "streamArn", esm->source_arn);
    jw_end(&w);
    jw_end(&w);
    LOG_INFO("lambda: mapping %s: skipped %d record(s) (%s): %.*s", esm->uuid, hi - lo, condition, (int)w.len, w.buf);
    if (esm->on_failure)
        send_on_failure(esm, w.buf, w.len);
    jw_free(&w);
    checkpoint_at(esm, b->seq[hi - 1]);
    b->lo = hi;
    b->attempts = 0;
    b->request_id[0] = '\0';
}

/* Skips the leading records older than MaximumRecordAgeInSeconds (else the stream's retention). */
static void expire(lambda_esm_t *esm, esm_stream_batch_t *b)
{
    int64_t limit = esm->max_age_s >= 0 ? (int64_t)esm->max_age_s * 1000 : DDB_STREAM_RETENTION_MS;
    int64_t now = clock_now_ms();
    int k = b->lo;
    while (k < b->hi && now - b->created_ms[k] > limit)
        k++;
    if (k > b->lo)
        discard(esm, b, k, "RecordAgeExceeded");
}

/* ---- invocation ---- */

static void stream_wake(void *arg)
{
    lambda_esm_t *esm = arg;
    esm->waiting = 0;
    lambda_esm_stream_poll(esm);
}

/* Drops the batch once every record read is done (the checkpoint passes records filtered out at its end); the next
 * poll reads on. */
static void batch_next(lambda_esm_t *esm, esm_stream_batch_t *b)
{
    b->hi = b->n; /* the rest of a split batch */
    if (b->lo >= b->n) {
        if (b->read_seq[0] && strcmp(b->read_seq, esm->position) != 0)
            checkpoint_at(esm, b->read_seq);
        esm->sbatch = NULL;
        batch_free(b);
    }
}

/* Index of the first record ReportBatchItemFailures names (hi: none), or -1 when the report fails the whole batch
 * (an empty, missing or unknown itemIdentifier). */
static int first_reported(const lambda_esm_t *esm, const esm_stream_batch_t *b, const char *result)
{
    if (!esm->report_failures)
        return b->hi;
    char err[64];
    yajl_val r = ytree_parse_text(result, err, sizeof(err));
    yajl_val items = r && YAJL_IS_OBJECT(r) ? in_arr(r, "batchItemFailures") : NULL;
    int first = b->hi;
    for (size_t i = 0; items && i < items->u.array.len && first >= 0; i++) {
        const char *id = in_str(items->u.array.values[i], "itemIdentifier");
        int k = b->lo;
        while (id && k < b->hi && strcmp(b->seq[k], id) != 0)
            k++;
        first = !id || k == b->hi ? -1 : k < first ? k : first;
    }
    yajl_tree_free(r);
    return first;
}

#define WINDOW_STATE_MAX (1 << 20) /* a window's state past this ends it early */

/* A windowed invocation's answer must carry "state" (Lambda counts one without it as failed); keeps it. 0, or -1. */
static int window_keep_state(lambda_esm_t *esm, const char *result)
{
    char err[64];
    yajl_val r = ytree_parse_text(result, err, sizeof(err));
    yajl_val state = r && YAJL_IS_OBJECT(r) ? in_get(r, "state") : NULL;
    if (state) {
        free(esm->tw_state);
        esm->tw_state = lambda_json_text(state);
        esm->tw_early = strlen(esm->tw_state) > WINDOW_STATE_MAX;
    }
    yajl_tree_free(r);
    return state ? 0 : -1;
}

static void stream_done(lambda_inv_t *inv)
{
    esm_stream_batch_t *b = inv->data;
    lambda_esm_t *esm = b->esm;
    esm->inflight = 0;
    if (esm->deleted) {
        esm->sbatch = NULL;
        batch_free(b);
        lambda_inv_free(inv);
        lambda_esm_free(esm);
        return;
    }
    int64_t now = clock_now_ms();
    if (inv->status == LAMBDA_INV_NOT_RUN) { /* the function is gone: try again later, no attempt counted */
        esm->last_result = "PROBLEM: Function not found.";
        lambda_inv_free(inv);
        lambda_esm_later(esm, now + ESM_RETRY_MS);
        return;
    }
    snprintf(b->request_id, sizeof(b->request_id), "%s", inv->request_id);
    snprintf(b->version, sizeof(b->version), "%s", inv->version);
    b->function_error = inv->status != LAMBDA_INV_OK;
    int failed = b->function_error || (esm->tw_start && window_keep_state(esm, inv->result) != 0);
    int upto = failed ? -1 : first_reported(esm, b, inv->result);
    lambda_inv_free(inv);
    if (upto > b->lo) { /* records before the first failure are done */
        checkpoint_at(esm, b->seq[upto - 1]);
        b->lo = upto;
        b->attempts = 0;
    }
    if (b->lo == b->hi) {
        esm->last_result = "OK";
        batch_next(esm, b);
        lambda_esm_later(esm, now);
        return;
    }
    esm->last_result = "PROBLEM: Function call failed";
    if (upto < 0 && esm->bisect && b->hi - b->lo > 1) {
        b->hi = b->lo + (b->hi - b->lo) / 2;
    } else if (++b->attempts > esm->max_retries && esm->max_retries >= 0) {
        discard(esm, b, b->hi, "RetryAttemptsExhausted");
        batch_next(esm, b);
        lambda_esm_later(esm, now);
        return;
    }
    int64_t backoff = (int64_t)10 << (b->attempts < 7 ? b->attempts : 7);
    lambda_esm_later(esm, now + (backoff < STREAM_BACKOFF_MAX_MS ? backoff : STREAM_BACKOFF_MAX_MS));
}

/* The event of b's records lo..hi (b NULL: none), with the open window's members. */
static void build_event(jw_t *ev, const lambda_esm_t *esm, const esm_stream_batch_t *b, int final)
{
    jw_init(ev);
    if (b)
        jw_reserve(ev, b->off[b->hi] - b->off[b->lo] + (size_t)(b->hi - b->lo) + EVENT_OVERHEAD);
    jw_obj(ev);
    jw_key(ev, "Records");
    jw_arr(ev);
    for (int i = b ? b->lo : 0; b && i < b->hi; i++)
        jw_raw(ev, b->recs.buf + b->off[i], b->off[i + 1] - b->off[i]);
    jw_aend(ev);
    if (esm->tw_start) {
        char start[32], end[32], shard[DDB_STREAM_SHARD_ID_MAX];
        jw_key(ev, "window");
        jw_obj(ev);
        jw_kstr(ev, "start", lambda_time_fmt(start, esm->tw_start, LAMBDA_TIME_Z));
        jw_kstr(ev, "end", lambda_time_fmt(end, esm->tw_end, LAMBDA_TIME_Z));
        jw_end(ev);
        jw_kjson(ev, "state", esm->tw_state);
        if (ddb_stream_api_shard_id(esm->source_arn, shard) == 0)
            jw_kstr(ev, "shardId", shard);
        jw_kstr(ev, "eventSourceARN", esm->source_arn);
        jw_kbool(ev, "isFinalInvokeForWindow", final);
        jw_kbool(ev, "isWindowTerminatedEarly", final && esm->tw_early);
    }
    jw_end(ev);
}

/* Invokes the mapping's function with the event (freed); done(inv) runs with inv->data = data when it ends. */
static void esm_invoke(lambda_esm_t *esm, jw_t *ev, lambda_inv_done_fn done, void *data)
{
    lambda_fn_t *fn;
    lambda_cfg_t *cfg = lambda_esm_target(esm, &fn);
    if (!cfg) {
        jw_free(ev);
        esm->last_result = "PROBLEM: Function not found.";
        lambda_esm_later(esm, clock_now_ms() + ESM_RETRY_MS);
        return;
    }
    char *arn = lambda_arn_fmt(fn->region, fn->account, fn->name, esm->qualifier);
    lambda_inv_t *inv = lambda_inv_new(fn, cfg, arn, ev->buf, ev->len);
    free(arn);
    jw_free(ev);
    inv->done = done;
    inv->data = data;
    esm->inflight = 1;
    lambda_inv_submit(inv);
}

/* The window's final invocation ended: done (the state dropped; after an early end the window goes on from {}), or
 * tried again a second later, as Lambda suspends the shard until it succeeds. */
static void window_done(lambda_inv_t *inv)
{
    lambda_esm_t *esm = inv->data;
    esm->inflight = 0;
    if (esm->deleted) {
        batch_free(esm->sbatch);
        esm->sbatch = NULL;
        lambda_inv_free(inv);
        lambda_esm_free(esm);
        return;
    }
    int early = esm->tw_early;
    int status = inv->status, ok = status == LAMBDA_INV_OK && window_keep_state(esm, inv->result) == 0;
    lambda_inv_free(inv);
    esm->last_result = ok ? "OK" : status == LAMBDA_INV_NOT_RUN ? "PROBLEM: Function not found." : "PROBLEM: Function call failed";
    esm->tw_early = early && !ok;
    if (ok) {
        if (!early)
            esm->tw_start = esm->tw_end = 0;
        free(esm->tw_state);
        esm->tw_state = early ? strdup("{}") : NULL;
    }
    lambda_esm_later(esm, clock_now_ms() + (ok ? 0 : status == LAMBDA_INV_NOT_RUN ? ESM_RETRY_MS : STREAM_BACKOFF_MAX_MS));
}

/* Ends the open window: its final invocation, with no records. */
static void window_close(lambda_esm_t *esm)
{
    jw_t ev;
    build_event(&ev, esm, NULL, 1);
    esm_invoke(esm, &ev, window_done, esm);
}

/* Keeps b's records from lo on that fall in one tumbling window (opened for the first, with the state {}); 0, or -1
 * when the open window ends before them and was closed instead. */
static int window_cut(lambda_esm_t *esm, esm_stream_batch_t *b)
{
    if (esm->tw_start && (esm->tw_early || esm->tumbling_s == 0 || b->created_ms[b->lo] >= esm->tw_end)) {
        window_close(esm);
        return -1;
    }
    if (esm->tumbling_s == 0)
        return 0;
    if (!esm->tw_start) {
        int64_t len = (int64_t)esm->tumbling_s * 1000;
        esm->tw_start = b->created_ms[b->lo] - b->created_ms[b->lo] % len;
        esm->tw_end = esm->tw_start + len;
        free(esm->tw_state);
        esm->tw_state = strdup("{}");
    }
    int k = b->lo;
    while (k < b->hi && b->created_ms[k] < esm->tw_end)
        k++;
    b->hi = k;
    return 0;
}

/* Hands records lo..hi to the function (after skipping expired ones). */
static void stream_invoke(lambda_esm_t *esm, esm_stream_batch_t *b)
{
    expire(esm, b);
    if (b->lo == b->hi) {
        batch_next(esm, b);
        lambda_esm_later(esm, clock_now_ms());
        return;
    }
    if (window_cut(esm, b) != 0)
        return;
    jw_t ev;
    build_event(&ev, esm, b, 0);
    esm_invoke(esm, &ev, stream_done, b);
}

/* Sleeps until the stream has new records (not on a closed stream: it has no more). */
static void stream_wait(lambda_esm_t *esm)
{
    int open = 1;
    int rc = ddb_stream_api_info(esm->source_arn, &open);
    if (rc == 1 && !open)
        return;
    if (rc == 1 && ddb_stream_api_wait(esm->source_arn, stream_wake, esm) == 0)
        esm->waiting = 1;
    else
        lambda_esm_later(esm, clock_now_ms() + ESM_RETRY_MS);
}

void lambda_esm_stream_poll(lambda_esm_t *esm)
{
    if (esm->deleted || !esm->enabled || esm->inflight || !lambda_esm_streams_available())
        return;
    timer_stop(&esm->timer);
    if (esm->waiting) {
        ddb_stream_api_wait_cancel(esm);
        esm->waiting = 0;
    }
    if (!esm->sbatch)
        esm->sbatch = batch_new(esm);
    esm_stream_batch_t *b = esm->sbatch;
    if (b->lo < b->hi) { /* a retry, or the rest of a split batch */
        stream_invoke(esm, b);
        return;
    }
    int want = esm->batch_size - b->n;
    if (want > 0 && !b->full &&
        ddb_stream_api_read(esm->source_arn, b->read_seq[0] ? b->read_seq : esm->position, want, on_record, b) < 0) {
        esm->last_result = "PROBLEM: Stream not found.";
        lambda_esm_later(esm, clock_now_ms() + ESM_RETRY_MS);
        return;
    }
    if (b->n == 0 && b->read_seq[0]) { /* every record read was filtered out: pass them, read on */
        batch_next(esm, b);
        lambda_esm_later(esm, clock_now_ms());
        return;
    }
    if (b->n == 0 && esm->tw_start && (esm->tw_early || clock_now_ms() >= esm->tw_end)) {
        window_close(esm);
        return;
    }
    if (b->n == 0) {
        stream_wait(esm);
        if (esm->tw_start) /* the open window closes at its end */
            lambda_esm_later(esm, esm->tw_end);
        return;
    }
    int64_t now = clock_now_ms();
    if (esm->window_s > 0 && b->n < esm->batch_size && !b->full) {
        if (!esm->window_end)
            esm->window_end = now + (int64_t)esm->window_s * 1000;
        if (now < esm->window_end) {
            stream_wait(esm);
            lambda_esm_later(esm, esm->window_end);
            return;
        }
    }
    esm->window_end = 0;
    b->lo = 0;
    b->hi = b->n;
    stream_invoke(esm, b);
}

void lambda_esm_stream_stop(lambda_esm_t *esm)
{
    if (esm->waiting && lambda_esm_streams_available())
        ddb_stream_api_wait_cancel(esm);
    esm->waiting = 0;
    esm->window_end = 0;
    if (!esm->inflight) { /* records read but not handed over are read again from the checkpoint */
        batch_free(esm->sbatch);
        esm->sbatch = NULL;
    }
}

/* ---- control plane ---- */

int lambda_esm_stream_create(call_t *c, lambda_esm_t *esm)
{
    const char *pos = in_str(c->in, "StartingPosition");
    if (!pos)
        return call_error(c, "InvalidParameterValueException",
                          "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must "
                          "not be null.");
    if (in_get(c->in, "StartingPositionTimestamp") && strcmp(pos, "AT_TIMESTAMP") != 0)
        return call_error(c, "InvalidParameterValueException", "Timestamp only valid with StartingPosition AT_TIMESTAMP");
    if (strcmp(pos, "LATEST") != 0 && strcmp(pos, "TRIM_HORIZON") != 0)
        return call_error(c, "InvalidParameterValueException", "Unsupported starting position for arn type: %s", esm->source_arn);
    if (!lambda_esm_streams_available())
        return call_error(c, "InvalidParameterValueException", "The DynamoDB service is not enabled in this awsemu (--services).");
    if (ddb_stream_api_info(esm->source_arn, NULL) != 1)
        return call_error(c, "InvalidParameterValueException", "Stream not found: %s", esm->source_arn);
    esm->start_latest = strcmp(pos, "LATEST") == 0;
    esm->position[0] = '\0';
    if (esm->start_latest && ddb_stream_api_start(esm->source_arn, 1, esm->position) != 0)
        return call_error(c, "InvalidParameterValueException", "Stream not found: %s", esm->source_arn);
    return CALL_DONE;
}

int lambda_esm_stream_apply(call_t *c, lambda_esm_t *esm)
{
    long long n;
    int retries = esm->max_retries, age = esm->max_age_s, par = esm->parallelization;
    if (in_int(c->in, "MaximumRetryAttempts", &n))
        retries = n < -1 || n > 10000 ? -2 : (int)n;
    if (in_int(c->in, "MaximumRecordAgeInSeconds", &n))
        age = n < -1 || n > 604800 ? -2 : (int)n;
    if (in_int(c->in, "ParallelizationFactor", &n))
        par = n < 1 || n > 10 ? 0 : (int)n;
    if (retries < -1)
        return call_error(c, "InvalidParameterValueException", "MaximumRetryAttempts must be between -1 and 10000.");
    if (age < -1 || (age >= 0 && age < 60))
        return call_error(c, "InvalidParameterValueException", "MaximumRecordAgeInSeconds must be -1 or between 60 and 604800.");
    if (par < 1)
        return call_error(c, "InvalidParameterValueException", "ParallelizationFactor must be between 1 and 10.");
    yajl_val dc = in_obj(c->in, "DestinationConfig");
    yajl_val ok = dc ? in_obj(dc, "OnSuccess") : NULL, fail = dc ? in_obj(dc, "OnFailure") : NULL;
    if (ok && in_str(ok, "Destination"))
        return call_error(c, "InvalidParameterValueException",
                          "Unsupported DestinationConfig parameter for given event source mapping type.");
    esm->max_retries = retries;
    esm->max_age_s = age;
    esm->parallelization = par;
    in_bool(c->in, "BisectBatchOnFunctionError", &esm->bisect);
    if (in_int(c->in, "TumblingWindowInSeconds", &n)) /* 0..900, checked against the model */
        esm->tumbling_s = (int)n;
    if (dc) {
        const char *dest = fail ? in_str(fail, "Destination") : NULL;
        free(esm->on_failure);
        esm->on_failure = dest && *dest ? strdup(dest) : NULL;
    }
    return CALL_DONE;
}

void lambda_esm_stream_write(jw_t *w, const lambda_esm_t *esm)
{
    jw_kstr(w, "StartingPosition", esm->start_latest ? "LATEST" : "TRIM_HORIZON");
    jw_kint(w, "ParallelizationFactor", esm->parallelization);
    jw_key(w, "DestinationConfig");
    jw_obj(w);
    jw_key(w, "OnFailure");
    jw_obj(w);
    if (esm->on_failure)
        jw_kstr(w, "Destination", esm->on_failure);
    jw_end(w);
    jw_end(w);
    jw_kint(w, "MaximumRecordAgeInSeconds", esm->max_age_s);
    jw_kbool(w, "BisectBatchOnFunctionError", esm->bisect);
    jw_kint(w, "MaximumRetryAttempts", esm->max_retries);
    jw_kint(w, "TumblingWindowInSeconds", esm->tumbling_s);
}

void lambda_esm_stream_persist(jw_t *w, const lambda_esm_t *esm)
{
    jw_kbool(w, "StartLatest", esm->start_latest);
    jw_kint(w, "MaximumRetryAttempts", esm->max_retries);
    jw_kint(w, "MaximumRecordAgeInSeconds", esm->max_age_s);
    jw_kbool(w, "BisectBatchOnFunctionError", esm->bisect);
    jw_kint(w, "ParallelizationFactor", esm->parallelization);
    jw_kint(w, "TumblingWindowInSeconds", esm->tumbling_s);
    if (esm->on_failure)
        jw_kstr(w, "OnFailure", esm->on_failure);
}

void lambda_esm_stream_load(lambda_esm_t *esm, yajl_val doc)
{
    long long n;
    esm->max_retries = in_int(doc, "MaximumRetryAttempts", &n) ? (int)n : -1;
    esm->max_age_s = in_int(doc, "MaximumRecordAgeInSeconds", &n) ? (int)n : -1;
    esm->parallelization = in_int(doc, "ParallelizationFactor", &n) ? (int)n : 1;
    esm->tumbling_s = in_int(doc, "TumblingWindowInSeconds", &n) ? (int)n : 0;
    in_bool(doc, "StartLatest", &esm->start_latest);
    in_bool(doc, "BisectBatchOnFunctionError", &esm->bisect);
    esm->on_failure = in_str(doc, "OnFailure") ? strdup(in_str(doc, "OnFailure")) : NULL;
}
