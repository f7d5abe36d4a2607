/* ddb_stream.c - change records from item writes, the streams' life cycle, retention, and the
 * in-process API for Lambda (see ddb_stream.h). SQL lives in storage/ddb_stream_store.c.
 *
 * The record of a write is built here once, as GetRecords' JSON, and stored with one INSERT:
 * readers splice it into replies (the API shape) or append eventSourceARN (Lambda's shape).
 * The sequence counter lives in memory, starting above everything the database remembers;
 * a rolled-back write leaves a gap, as DynamoDB's numbers have. */
#include "services/dynamodb/ddb_stream.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/clock.h"
#include "services/log.h"
#include "services/timer.h"
#include "storage/ddb_stream_store.h"

#define TRIM_INTERVAL_MS 10000
#define TRIM_BATCH 10000
#define SEQ_BASE_DIGITS 20 /* a sequence number is "1" followed by the counter in 20 digits */
#define CACHE_SLOTS 64

const char ddb_stream_ttl_op[] = "TimeToLive";

static int64_t seq_last;
static int seq_ready;
static loop_timer_t trim_timer, wake_timer;
static h2o_mem_pool_t api_pool; /* the in-process API's stream rows, cleared at each API call */
static int api_pool_ready;

/* ---- sequence numbers ---- */

static int seq_init(void)
{
    if (seq_ready)
        return 0;
    int64_t hw = ddb_stream_store_high_water();
    if (hw < 0)
        return -1;
    if (hw > seq_last)
        seq_last = hw;
    seq_ready = 1;
    return 0;
}

void ddb_stream_seq_text(int64_t n, char *out)
{
    uint64_t v = (uint64_t)n;
    out[0] = '1';
    for (int i = SEQ_BASE_DIGITS; i >= 1; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
    out[SEQ_BASE_DIGITS + 1] = '\0';
}

int ddb_stream_seq_parse(const char *s, int64_t *n)
{
    if (!s || strlen(s) != DDB_STREAM_SEQ_LEN || s[0] != '1')
        return -1;
    int64_t v = 0;
    for (const char *p = s + 1; *p; p++) {
        if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    *n = v;
    return 0;
}

int64_t ddb_stream_seq_last(void)
{
    seq_init();
    return seq_last;
}

/* A 64-bit bijection (splitmix64's finalizer): distinct inputs give distinct ids. */
static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

const char *ddb_stream_shard_id(h2o_mem_pool_t *pool, int64_t id, int64_t created_ms)
{
    char *s = h2o_mem_alloc_pool(pool, DDB_STREAM_SHARD_ID_MAX);
    snprintf(s, DDB_STREAM_SHARD_ID_MAX, "shardId-%020" PRId64 "-%08" PRIx32, created_ms, (uint32_t)mix64((uint64_t)id));
    return s;
}

/* ---- wake-ups for in-process readers ---- */

typedef struct {
    int64_t stream_id;
    void (*wake)(void *arg);
    void *arg;
    int due;
} waiter_t;

static waiter_t *waiters;
static size_t nwaiters, capwaiters;

/* Marks the waiters of a stream (every stream when stream_id is 0) due; the wake timer calls them. */
static void wake_stream(int64_t stream_id)
{
    int any = 0;
    for (size_t i = 0; i < nwaiters; i++)
        if (stream_id == 0 || waiters[i].stream_id == stream_id)
            waiters[i].due = any = 1;
    if (any && !timer_active(&wake_timer))
        timer_start(&wake_timer, clock_now_ms());
}

/* The wake-ups being called by wake_tick (a cancel during the calls disarms them). */
static waiter_t firing[64];
static size_t nfiring;

static void wake_tick(loop_timer_t *timer)
{
    (void)timer;
    /* Callbacks may register again: take the due ones out first. */
    nfiring = 0;
    for (size_t i = 0; i < nwaiters;) {
        if (waiters[i].due && nfiring < sizeof(firing) / sizeof(firing[0])) {
            firing[nfiring++] = waiters[i];
            waiters[i] = waiters[--nwaiters];
        } else {
            i++;
        }
    }
    for (size_t i = 0; i < nwaiters; i++)
        if (waiters[i].due)
            timer_start(&wake_timer, clock_now_ms());
    for (size_t i = 0; i < nfiring; i++)
        if (firing[i].wake)
            firing[i].wake(firing[i].arg);
    nfiring = 0;
}

/* ---- streams of a table ---- */

typedef struct {
    int64_t table_id, stream_id;
    char label[32];
} cache_ent_t;

static cache_ent_t cache[CACHE_SLOTS];

static void cache_forget(int64_t table_id)
{
    cache_ent_t *e = &cache[(uint64_t)table_id % CACHE_SLOTS];
    if (e->table_id == table_id)
        memset(e, 0, sizeof(*e));
}

static const char *key_schema_json(call_t *c, const ddb_table_t *t)
{
    jw_t w;
    jw_init(&w);
    jw_arr(&w);
    const ddb_key_attr_t *ks[2] = {&t->hash, &t->range};
    for (int i = 0; i < 2 && ks[i]->name; i++) {
        jw_obj(&w);
        jw_kstr(&w, "AttributeName", ks[i]->name);
        jw_kstr(&w, "KeyType", i == 0 ? "HASH" : "RANGE");
        jw_end(&w);
    }
    jw_aend(&w);
    const char *s = call_strndup(c, w.buf, w.len);
    jw_free(&w);
    return s;
}

/* The stream row of the table's current label, created when missing. 0 or -1. */
static int stream_ensure(call_t *c, const ddb_table_t *t, ddb_stream_row_t *s)
{
    int rc = ddb_stream_store_by_label(c->pool, t->id, t->stream_label, s);
    if (rc != 0)
        return rc > 0 ? 0 : -1;
    if (seq_init() != 0)
        return -1;
    memset(s, 0, sizeof(*s));
    s->table_id = t->id;
    s->account = t->account;
    s->region = t->region;
    s->table_name = t->name;
    s->label = t->stream_label;
    s->arn = call_sprintf(c, "%s/stream/%s", t->arn, t->stream_label);
    s->view_type = t->stream_view;
    s->key_schema = key_schema_json(c, t);
    s->created_ms = clock_now_ms();
    s->start_seq = seq_last + 1;
    return ddb_stream_store_insert(s);
}

/* The id of the open stream the table writes to, or -1. */
static int64_t stream_of(call_t *c, const ddb_table_t *t)
{
    cache_ent_t *e = &cache[(uint64_t)t->id % CACHE_SLOTS];
    if (e->table_id == t->id && strcmp(e->label, t->stream_label) == 0)
        return e->stream_id;
    ddb_stream_row_t s;
    if (stream_ensure(c, t, &s) != 0)
        return -1;
    if (strlen(t->stream_label) < sizeof(e->label)) {
        e->table_id = t->id;
        e->stream_id = s.id;
        strcpy(e->label, t->stream_label);
    }
    return s.id;
}

static int close_streams(int64_t table_id, const char *keep)
{
    if (seq_init() != 0)
        return -1;
    int n = ddb_stream_store_close(table_id, keep, seq_last, clock_now_ms());
    if (n > 0) {
        cache_forget(table_id);
        wake_stream(0);
    }
    return n < 0 ? -1 : 0;
}

int ddb_stream_table_saved(call_t *c, const ddb_table_t *t)
{
    if (!t->stream_label)
        return 0;
    const char *open = t->stream_view ? t->stream_label : NULL;
    if (close_streams(t->id, open) != 0)
        return -1;
    ddb_stream_row_t s;
    return open ? stream_ensure(c, t, &s) : 0;
}

int ddb_stream_table_deleted(const ddb_table_t *t)
{
    return close_streams(t->id, NULL);
}

/* ---- records ---- */

static int view_has(const char *view, const char *image)
{
    return strcmp(view, "NEW_AND_OLD_IMAGES") == 0 || strcmp(view, image) == 0;
}

/* Scratch writers reused by every emit (one thread): images first, the record last. */
static jw_t old_w, new_w, rec_w;

static void put_text(jw_t *w, const char *s)
{
    jw_append(w, s, strlen(s));
}

static void put_hex64(jw_t *w, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    char out[16];
    for (int i = 15; i >= 0; i--, v >>= 4)
        out[i] = hex[v & 15];
    jw_append(w, out, sizeof(out));
}

static void put_uint(jw_t *w, uint64_t v)
{
    char out[20];
    int i = (int)sizeof(out);
    do
        out[--i] = (char)('0' + v % 10);
    while (v /= 10);
    jw_append(w, out + i, sizeof(out) - (size_t)i);
}

/* An image's canonical text: the writer's, or written into scratch. */
static void image_text(jw_t *scratch, const ddb_image_t *img, const char **text, size_t *len)
{
    if (img->text) {
        *text = img->text;
        *len = img->len;
        return;
    }
    jw_reset(scratch);
    ddb_item_write(scratch, img->item);
    *text = scratch->buf;
    *len = scratch->len;
}

int ddb_stream_emit(call_t *c, const ddb_table_t *t, const ddb_image_t *old_img, const ddb_image_t *new_img)
{
    yajl_val old_item = old_img->item, new_item = new_img->item;
    int has_old = old_item || old_img->text, has_new = new_item || new_img->text;
    if (!has_old && !has_new)
        return 0;
    const char *view = t->stream_view, *old_text = NULL, *new_text = NULL;
    size_t old_len = 0, new_len = 0;
    int want_old = has_old && view_has(view, "OLD_IMAGE"), want_new = has_new && view_has(view, "NEW_IMAGE");
    if (has_old && (want_old || has_new))
        image_text(&old_w, old_img, &old_text, &old_len);
    if (has_new && (want_new || has_old))
        image_text(&new_w, new_img, &new_text, &new_len);
    if (has_old && has_new && old_len == new_len && memcmp(old_text, new_text, old_len) == 0)
        return 0; /* nothing changed: DynamoDB writes no record */
    int64_t sid = stream_of(c, t);
    if (sid < 0 || seq_init() != 0)
        return -1;
    int64_t seq = ++seq_last, now = clock_now_ms();
    yajl_val keys = ddb_item_key(c, &t->hash, &t->range, new_item ? new_item : old_item);
    int64_t size = (int64_t)ddb_item_size(keys) + (want_old ? old_img->size : 0) + (want_new ? new_img->size : 0);
    char seqtext[DDB_STREAM_SEQ_LEN + 1];
    ddb_stream_seq_text(seq, seqtext);
    /* GetRecords' shape, assembled from fixed text around the values (this runs on every write): each jw_* call
     * below writes one whole value at depth 0, where the writer adds no commas. */
    jw_t *w = &rec_w;
    jw_reset(w);
    put_text(w, "{\"eventID\":\"");
    put_hex64(w, mix64((uint64_t)seq));
    put_hex64(w, mix64((uint64_t)seq ^ ((uint64_t)sid << 40)));
    put_text(w, "\",\"eventName\":\"");
    put_text(w, !has_old ? "INSERT" : !has_new ? "REMOVE" : "MODIFY");
    put_text(w, "\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":");
    jw_str(w, t->region);
    put_text(w, ",\"dynamodb\":{\"ApproximateCreationDateTime\":");
    put_uint(w, (uint64_t)(now / 1000));
    put_text(w, ",\"Keys\":");
    ddb_item_write(w, keys);
    if (want_new) {
        put_text(w, ",\"NewImage\":");
        jw_append(w, new_text, new_len);
    }
    if (want_old) {
        put_text(w, ",\"OldImage\":");
        jw_append(w, old_text, old_len);
    }
    put_text(w, ",\"SequenceNumber\":\"");
    put_text(w, seqtext);
    put_text(w, "\",\"SizeBytes\":");
    put_uint(w, (uint64_t)size);
    put_text(w, ",\"StreamViewType\":");
    jw_str(w, view);
    put_text(w, "}}");
    if (ddb_stream_store_record_put(sid, seq, now, c->op_name == ddb_stream_ttl_op, w->buf, w->len) != 0)
        return -1;
    if (nwaiters)
        wake_stream(sid);
    return 0;
}

/* ---- retention ---- */

static void trim_tick(loop_timer_t *timer)
{
    db_t *db = ddb_store_db();
    if (db) {
        db_write_begin(db);
        int n = ddb_stream_store_trim(clock_now_ms() - DDB_STREAM_RETENTION_MS, TRIM_BATCH);
        db_write_end(db, n >= 0);
        if (n > 0)
            LOG_DEBUG("dynamodb streams: trimmed %d rows past the 24-hour retention", n);
    }
    timer_start(timer, clock_now_ms() + TRIM_INTERVAL_MS);
}

void ddb_stream_start(void)
{
    seq_ready = 0;
    seq_init();
    timer_init(&trim_timer, trim_tick, NULL);
    timer_init(&wake_timer, wake_tick, NULL);
    timer_start(&trim_timer, clock_now_ms() + TRIM_INTERVAL_MS);
}

void ddb_stream_stop(void)
{
    timer_stop(&trim_timer);
    timer_stop(&wake_timer);
    free(waiters);
    waiters = NULL;
    nwaiters = capwaiters = 0;
    memset(cache, 0, sizeof(cache));
    jw_free(&old_w);
    jw_free(&new_w);
    jw_free(&rec_w);
    if (api_pool_ready)
        h2o_mem_clear_pool(&api_pool);
    api_pool_ready = 0;
}

/* ---- in-process API ---- */

/* The stream named by arn (in a pool cleared at each API call): 1, 0, -1. */
static int api_stream(const char *arn, ddb_stream_row_t *s)
{
    if (!api_pool_ready) {
        h2o_mem_init_pool(&api_pool);
        api_pool_ready = 1;
    }
    h2o_mem_clear_pool(&api_pool);
    return arn ? ddb_stream_store_by_arn(&api_pool, arn, s) : 0;
}

int ddb_stream_api_info(const char *arn, int *open)
{
    ddb_stream_row_t s;
    int rc = api_stream(arn, &s);
    if (rc == 1 && open)
        *open = s.closed_ms == 0;
    return rc;
}

int ddb_stream_api_shard_id(const char *arn, char out[DDB_STREAM_SHARD_ID_MAX])
{
    ddb_stream_row_t s;
    int rc = api_stream(arn, &s);
    if (rc == 1)
        snprintf(out, DDB_STREAM_SHARD_ID_MAX, "%s", ddb_stream_shard_id(&api_pool, s.id, s.created_ms));
    return rc == 1 ? 0 : -1;
}

int ddb_stream_api_start(const char *arn, int latest, char *out)
{
    ddb_stream_row_t s;
    if (api_stream(arn, &s) != 1)
        return -1;
    if (latest)
        ddb_stream_seq_text(ddb_stream_seq_last(), out);
    else
        out[0] = '\0';
    return 0;
}

typedef struct {
    const char *arn;
    ddb_stream_api_cb cb;
    void *arg;
    jw_t w;
} api_read_t;

#define LAMBDA_TTL_IDENTITY ",\"userIdentity\":{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}"

/* Lambda's record: the stored one with userIdentity (lower-case members) for TTL deletions and eventSourceARN. */
static int api_row(const ddb_stream_rec_row_t *r, void *arg)
{
    api_read_t *rd = arg;
    char seq[DDB_STREAM_SEQ_LEN + 1];
    ddb_stream_seq_text(r->seq, seq);
    jw_reset(&rd->w);
    jw_append(&rd->w, r->record, r->len - 1);
    if (r->by_service)
        jw_append(&rd->w, LAMBDA_TTL_IDENTITY, sizeof(LAMBDA_TTL_IDENTITY) - 1);
    /* (a stream ARN needs no escaping: table names are [a-zA-Z0-9_.-]) */
    jw_append(&rd->w, ",\"eventSourceARN\":\"", sizeof(",\"eventSourceARN\":\"") - 1);
    jw_append(&rd->w, rd->arn, strlen(rd->arn));
    jw_append(&rd->w, "\"}", 2);
    ddb_stream_api_rec_t rec = {seq, rd->w.buf, rd->w.len, r->created_ms, (int64_t)rd->w.len};
    return rd->cb(&rec, rd->arg);
}

int ddb_stream_api_read(const char *arn, const char *after, int max, ddb_stream_api_cb cb, void *arg)
{
    ddb_stream_row_t s;
    int rc = api_stream(arn, &s);
    if (rc != 1)
        return rc == 0 ? -1 : -2;
    int64_t pos = 0;
    if (after && *after && ddb_stream_seq_parse(after, &pos) != 0)
        pos = 0;
    api_read_t rd;
    rd.arn = arn; /* the caller's: the API pool is cleared by any API call */
    rd.cb = cb;
    rd.arg = arg;
    jw_init(&rd.w);
    int n = ddb_stream_store_records(s.id, pos, max, api_row, &rd);
    jw_free(&rd.w);
    return n < 0 ? -2 : n;
}

int ddb_stream_api_wait(const char *arn, void (*wake)(void *arg), void *arg)
{
    ddb_stream_row_t s;
    if (api_stream(arn, &s) != 1)
        return -1;
    if (nwaiters == capwaiters) {
        size_t cap = capwaiters ? capwaiters * 2 : 16;
        waiter_t *more = realloc(waiters, sizeof(waiter_t) * cap);
        if (!more)
            return -1;
        waiters = more;
        capwaiters = cap;
    }
    waiters[nwaiters++] = (waiter_t){s.id, wake, arg, 0};
    if (s.closed_ms)
        wake_stream(s.id);
    return 0;
}

void ddb_stream_api_wait_cancel(void *arg)
{
    for (size_t i = 0; i < nfiring; i++)
        if (firing[i].arg == arg)
            firing[i].wake = NULL;
    for (size_t i = 0; i < nwaiters;)
        if (waiters[i].arg == arg)
            waiters[i] = waiters[--nwaiters];
        else
            i++;
}
