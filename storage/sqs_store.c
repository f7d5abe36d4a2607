/* sqs_store.c - every SQL statement SQS runs (see sqs_store.h; its schema: schemas.c). */
#include "sqs_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "schemas.h"

static db_t *sdb;

/* Each bucket's count of messages, once counted: COUNT(*) over a queue's index entries takes ~40 ns
 * an entry (13 ms for 300,000 messages) with every request waiting, so GetQueueAttributes counts a
 * bucket once and every insert and delete here keeps the count; any rollback forgets them all
 * (sqs_store_write_end(0), sqs_store_counts_forget). totals[b] is -1 while b is not counted. Buckets
 * are small integers, given out in order (new_bucket). */
static int64_t *totals;
static int64_t ntotals;

#define TOTALS_MAX (1 << 24) /* a bucket past this (16 million queues and purges) is counted at each call */

static int64_t *total_of(int64_t bucket)
{
    if (bucket < 0 || bucket >= TOTALS_MAX)
        return NULL;
    if (bucket >= ntotals) {
        int64_t n = ntotals * 2 > bucket + 64 ? ntotals * 2 : bucket + 64;
        int64_t *t = realloc(totals, sizeof(*t) * (size_t)n);
        if (t == NULL)
            return NULL;
        for (int64_t i = ntotals; i < n; i++)
            t[i] = -1;
        totals = t;
        ntotals = n;
    }
    return &totals[bucket];
}

static void total_add(int64_t bucket, int64_t delta)
{
    int64_t *t = total_of(bucket);
    if (t && *t >= 0)
        *t += delta;
}

static void total_set(int64_t bucket, int64_t n)
{
    int64_t *t = total_of(bucket);
    if (t)
        *t = n;
}

void sqs_store_counts_forget(void)
{
    for (int64_t i = 0; i < ntotals; i++)
        totals[i] = -1;
}

int sqs_store_open(const char *dir, int in_memory, int durability_full, char *err, size_t errlen)
{
    sdb = db_open(dir, in_memory, durability_full, &sqs_store_schema, err, errlen);
    return sdb ? 0 : -1;
}

static db_rows_sql_t insert_rows, body_rows, receive_rows; /* statements over n rows (their texts below) */

void sqs_store_close(void)
{
    db_close(sdb);
    sdb = NULL;
    db_rows_sql_free(&insert_rows);
    db_rows_sql_free(&body_rows);
    db_rows_sql_free(&receive_rows);
    free(totals);
    totals = NULL;
    ntotals = 0;
}

int sqs_store_write_begin(void)
{
    return db_write_begin(sdb);
}

void sqs_store_write_end(int ok)
{
    if (!ok)
        sqs_store_counts_forget();
    db_write_end(sdb, ok);
}

/* Binds helpers: NULL strings become SQL NULL. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Steps a statement that returns no rows; 0 or -1. */
static int run(sqlite3_stmt *st)
{
    if (st == NULL)
        return -1;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int sqs_store_queues_load(void (*cb)(const sqs_store_queue_t *q, void *arg), void *arg)
{
    sqlite3_stmt *st =
        db_stmt(sdb, "SELECT id, account, region, name, fifo, attrs, tags, created, modified, purged, bucket FROM queues"
                     " ORDER BY id");
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqs_store_queue_t q = {
            .id = sqlite3_column_int64(st, 0),
            .account = col_text(st, 1),
            .region = col_text(st, 2),
            .name = col_text(st, 3),
            .fifo = sqlite3_column_int(st, 4),
            .attrs = col_text(st, 5),
            .tags = col_text(st, 6),
            .created = sqlite3_column_int64(st, 7),
            .modified = sqlite3_column_int64(st, 8),
            .purged_ms = sqlite3_column_int64(st, 9),
            .bucket = sqlite3_column_int64(st, 10),
        };
        cb(&q, arg);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* A bucket no queue holds and no dropped one either: above all of them. */
static int64_t new_bucket(void)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT MAX((SELECT IFNULL(MAX(bucket), 0) FROM queues),"
                                    " (SELECT IFNULL(MAX(bucket), 0) FROM dropped_buckets)) + 1");
    if (st == NULL || sqlite3_step(st) != SQLITE_ROW)
        return -1;
    int64_t b = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return b;
}

int sqs_store_queue_insert(sqs_store_queue_t *q)
{
    if ((q->bucket = new_bucket()) < 0)
        return -1;
    sqlite3_stmt *st = db_stmt(sdb, "INSERT INTO queues (account, region, name, fifo, attrs, tags, created, modified, bucket)"
                                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (st == NULL)
        return -1;
    bind_text(st, 1, q->account);
    bind_text(st, 2, q->region);
    bind_text(st, 3, q->name);
    sqlite3_bind_int(st, 4, q->fifo);
    bind_text(st, 5, q->attrs);
    bind_text(st, 6, q->tags);
    sqlite3_bind_int64(st, 7, q->created);
    sqlite3_bind_int64(st, 8, q->modified);
    sqlite3_bind_int64(st, 9, q->bucket);
    if (run(st) != 0)
        return -1;
    q->id = sqlite3_last_insert_rowid(db_handle(sdb));
    total_set(q->bucket, 0);
    return 0;
}

int sqs_store_queue_update(int64_t id, const char *attrs, const char *tags, int64_t modified)
{
    sqlite3_stmt *st = db_stmt(sdb, "UPDATE queues SET attrs = ?, tags = ?, modified = ? WHERE id = ?");
    if (st == NULL)
        return -1;
    bind_text(st, 1, attrs);
    bind_text(st, 2, tags);
    sqlite3_bind_int64(st, 3, modified);
    sqlite3_bind_int64(st, 4, id);
    return run(st);
}

static int by_queue(const char *sql, int64_t id)
{
    sqlite3_stmt *st = db_stmt(sdb, sql);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return run(st);
}

int sqs_store_queue_purge(int64_t id, int64_t bucket, int64_t purged_ms, int64_t *fresh)
{
    if (by_queue("INSERT INTO dropped_buckets (bucket) VALUES (?)", bucket) != 0 || (*fresh = new_bucket()) < 0)
        return -1;
    sqlite3_stmt *st = db_stmt(sdb, "UPDATE queues SET bucket = ?, purged = ? WHERE id = ?");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, *fresh);
    sqlite3_bind_int64(st, 2, purged_ms);
    sqlite3_bind_int64(st, 3, id);
    total_set(*fresh, 0);
    return run(st);
}

int sqs_store_queue_delete(int64_t id, int64_t bucket)
{
    if (by_queue("INSERT INTO dropped_buckets (bucket) VALUES (?)", bucket) || by_queue("DELETE FROM dedup WHERE queue_id = ?", id))
        return -1;
    return by_queue("DELETE FROM queues WHERE id = ?", id);
}

int sqs_store_drop_some(int limit, int *deleted)
{
    *deleted = 0;
    sqlite3_stmt *st = db_stmt(sdb, "SELECT bucket FROM dropped_buckets LIMIT 1");
    if (st == NULL)
        return -1;
    int rc = sqlite3_step(st);
    int64_t bucket = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : -1;
    *deleted = sqs_store_expire(bucket, INT64_MAX, limit); /* every message is older than that */
    if (*deleted < 0)
        return -1;
    if (*deleted < limit && by_queue("DELETE FROM dropped_buckets WHERE bucket = ?", bucket) != 0)
        return -1;
    return 1;
}

int64_t sqs_store_max_seq(void)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT COALESCE(MAX(seq), 0) FROM messages");
    if (st == NULL || sqlite3_step(st) != SQLITE_ROW)
        return -1;
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return v;
}

/* The INSERTs of n rows: what receives change in messages, what the message was sent with in bodies (schemas.c,
 * sqs migration 6). pad: the bytes the first receive adds (migration 3), plus one for the second. OR FAIL: a
 * statement that cannot abort halfway needs no statement journal (a copy of every page it touches); the
 * caller's write scope rolls back what a failed insert left. */
#define MSG_INSERT_ROW "(?, ?, ?, ?, ?, ?, zeroblob(21))"
#define MSG_INSERT_PARAMS 6
static db_rows_sql_t insert_rows = {"INSERT OR FAIL INTO messages (seq, queue_id, sent, visible_at, group_id, dedup_id, pad)"
                                    " VALUES ",
                                    MSG_INSERT_ROW, ""};
#define BODY_INSERT_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define BODY_INSERT_PARAMS 10
static db_rows_sql_t body_rows = {"INSERT OR FAIL INTO bodies (seq, msg_id, body, attrs, md5_body, md5_attrs, trace, md5_sys,"
                                  " sender, dlq_source) VALUES ",
                                  BODY_INSERT_ROW, ""};
_Static_assert(SQS_STORE_MAX_ROWS <= DB_ROWS_MAX, "a batch's messages fit one statement");

/* Binds m's messages row to the parameters after the first `at`. */
static void bind_msg(sqlite3_stmt *st, int at, const sqs_store_msg_t *m)
{
    sqlite3_bind_int64(st, at + 1, m->seq);
    sqlite3_bind_int64(st, at + 2, m->queue_id);
    sqlite3_bind_int64(st, at + 3, m->sent);
    sqlite3_bind_int64(st, at + 4, m->visible_at);
    bind_text(st, at + 5, m->group_id);
    bind_text(st, at + 6, m->dedup_id);
}

/* Binds m's bodies row to the parameters after the first `at`. */
static void bind_body(sqlite3_stmt *st, int at, const sqs_store_msg_t *m)
{
    sqlite3_bind_int64(st, at + 1, m->seq);
    bind_text(st, at + 2, m->msg_id);
    sqlite3_bind_blob(st, at + 3, m->body, (int)m->body_len, SQLITE_STATIC);
    bind_text(st, at + 4, m->attrs);
    bind_text(st, at + 5, m->md5_body);
    bind_text(st, at + 6, m->md5_attrs);
    bind_text(st, at + 7, m->trace);
    bind_text(st, at + 8, m->md5_sys);
    bind_text(st, at + 9, m->sender);
    bind_text(st, at + 10, m->dlq_source);
}

/* Inserts the n rows of m into one table: rows its statements, bind binding each row's `params` parameters. */
static int insert_n(db_rows_sql_t *rows, void (*bind)(sqlite3_stmt *, int, const sqs_store_msg_t *), int params,
                    const sqs_store_msg_t *m, int n)
{
    const char *sql = db_rows_sql(rows, (size_t)n);
    sqlite3_stmt *st = sql ? db_stmt(sdb, sql) : NULL;
    if (st == NULL)
        return -1;
    for (int i = 0; i < n; i++)
        bind(st, i * params, &m[i]);
    return run(st);
}

int sqs_store_msg_insert(const sqs_store_msg_t *m, int n)
{
    if (n < 1 || n > SQS_STORE_MAX_ROWS)
        return -1;
    if (insert_n(&insert_rows, bind_msg, MSG_INSERT_PARAMS, m, n) != 0 ||
        insert_n(&body_rows, bind_body, BODY_INSERT_PARAMS, m, n) != 0)
        return -1;
    for (int i = 0; i < n; i++)
        total_add(m[i].queue_id, 1);
    return 0;
}

#define MSG_COLUMNS                                                                                                                \
    "seq, queue_id, msg_id, body, attrs, md5_body, md5_attrs, trace, md5_sys, sender, sent, first_recv, recv_at, visible_at,"      \
    " token, recv_count, group_id, dedup_id, dlq_source"
#define MSG_BODIES " CROSS JOIN bodies USING (seq)" /* after "FROM messages": its rows' bodies (CROSS: messages first) */

/* Steps st (selecting MSG_COLUMNS) once and passes a row to cb: 1 row, 0 done, -1 error. */
static int msg_row(sqlite3_stmt *st, void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : -1;
    sqs_store_msg_t m = {
        .seq = sqlite3_column_int64(st, 0),
        .queue_id = sqlite3_column_int64(st, 1),
        .msg_id = col_text(st, 2),
        .body = (const char *)sqlite3_column_text(st, 3),
        .body_len = (size_t)sqlite3_column_bytes(st, 3),
        .attrs = col_text(st, 4),
        .md5_body = col_text(st, 5),
        .md5_attrs = col_text(st, 6),
        .trace = col_text(st, 7),
        .md5_sys = col_text(st, 8),
        .sender = col_text(st, 9),
        .sent = sqlite3_column_int64(st, 10),
        .first_recv = sqlite3_column_int64(st, 11),
        .recv_at = sqlite3_column_int64(st, 12),
        .visible_at = sqlite3_column_int64(st, 13),
        .token = sqlite3_column_int64(st, 14),
        .recv_count = sqlite3_column_int(st, 15),
        .group_id = col_text(st, 16),
        .dedup_id = col_text(st, 17),
        .dlq_source = col_text(st, 18),
    };
    cb(&m, arg);
    return 1;
}

int sqs_store_msg_get(int64_t seq, void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT " MSG_COLUMNS " FROM messages" MSG_BODIES " WHERE seq = ?");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, seq);
    int rc = msg_row(st, cb, arg);
    sqlite3_reset(st);
    return rc;
}

/* Passes up to max rows of st (bound) to cb; the count or -1. */
static int rows_to(sqlite3_stmt *st, int max, void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg)
{
    int n = 0, rc = 0;
    while (n < max && (rc = msg_row(st, cb, arg)) == 1)
        n++;
    sqlite3_reset(st);
    return rc < 0 ? -1 : n;
}

/* The available messages of group after seq, in order, up to max: the count or -1. */
static int group_after(int64_t queue_id, const char *group, int64_t after, int64_t now, int max,
                       void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg)
{
    sqlite3_stmt *st =
        db_stmt(sdb, "SELECT " MSG_COLUMNS " FROM messages INDEXED BY messages_group_seq" MSG_BODIES " WHERE queue_id = ?1"
                     " AND group_id = ?2 AND seq > ?3 AND visible_at <= ?4 AND dedup_id IS NOT NULL"
                     " ORDER BY seq LIMIT ?5");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, queue_id);
    bind_text(st, 2, group);
    sqlite3_bind_int64(st, 3, after);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int(st, 5, max);
    return rows_to(st, max, cb, arg);
}

/* ---- FIFO receives ----
 * SQS "returns as many messages with the same message group ID as possible": the oldest available message (its
 * group has nothing in flight), the rest of its group in order, then the other groups' available messages by seq.
 * Two walks find them. The walk by seq reads the queue's rows in order and stops once it has found enough, but
 * steps over the rows of groups in flight one by one: 40 groups of 1,000 messages sent one group after another,
 * all in flight, made each receive read all 40,000 rows (30 ms, every request waiting). The walk by group finds
 * each group with one seek (a loose scan of messages_group_seq), whether it is in flight with a second and its
 * oldest visible message with a third: the same cost whatever the backlog, but it must see every group. A
 * receive runs the two in turns, a bounded step each, until one is done, so it costs at most about twice the
 * cheaper. (Rows without a group, which no FIFO queue gets through the API, are found by the walk by seq only.) */
#define FIFO_SEQ_STEP 256  /* rows a turn of the walk by seq reads (~0.4 us a row) */
#define FIFO_GROUP_STEP 32 /* groups a turn of the walk by group reads (~3 us a group): turns of about equal cost */

/* A group with a message in flight. 1/0/-1. */
static int fifo_group_locked(int64_t bucket, const char *group, int64_t now)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT 1 FROM messages INDEXED BY messages_group WHERE queue_id = ?1 AND group_id = ?2"
                                    " AND visible_at > ?3 AND recv_count > 0 LIMIT 1");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, bucket);
    bind_text(st, 2, group);
    sqlite3_bind_int64(st, 3, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The walk by seq: where it is, and the available rows it found (up to max, in order, with their groups). */
typedef struct {
    int64_t after; /* the last seq read */
    char *group;   /* the last row's group and whether it is in flight: a run of one group's rows asks once */
    int locked;
    int max, n;
    int64_t *seqs;
    char **groups;
} seq_walk_t;

static int seq_walk_init(seq_walk_t *w, int max)
{
    *w = (seq_walk_t){.max = max, .seqs = malloc(sizeof(int64_t) * (size_t)max), .groups = calloc((size_t)max, sizeof(char *))};
    return w->seqs && w->groups ? 0 : -1;
}

static void seq_walk_free(seq_walk_t *w)
{
    for (int i = 0; i < w->n; i++)
        free(w->groups[i]);
    free(w->groups);
    free(w->seqs);
    free(w->group);
}

/* Whether group (NULL: none, never locked) has a message in flight. 1/0/-1. */
static int seq_walk_locked(seq_walk_t *w, int64_t bucket, const char *group, int64_t now)
{
    if (group == NULL || (w->group && strcmp(w->group, group) == 0))
        return group ? w->locked : 0;
    free(w->group);
    w->group = strdup(group);
    w->locked = w->group ? fifo_group_locked(bucket, group, now) : -1;
    return w->locked;
}

/* Reads up to FIFO_SEQ_STEP rows after w->after: 1 when done (max found, or no rows left), 0 when rows remain,
 * -1 on error. */
static int seq_walk_step(seq_walk_t *w, int64_t bucket, int64_t now)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT seq, group_id, visible_at FROM messages INDEXED BY messages_fifo"
                                    " WHERE queue_id = ?1 AND dedup_id IS NOT NULL AND seq > ?2 ORDER BY seq LIMIT ?3");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, bucket);
    sqlite3_bind_int64(st, 2, w->after);
    sqlite3_bind_int(st, 3, FIFO_SEQ_STEP);
    int rows = 0, rc = SQLITE_DONE;
    while (w->n < w->max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *group = col_text(st, 1);
        int locked = sqlite3_column_int64(st, 2) > now ? 1 : seq_walk_locked(w, bucket, group, now);
        w->after = sqlite3_column_int64(st, 0);
        rows++;
        if (locked < 0 || (locked == 0 && group && (w->groups[w->n] = strdup(group)) == NULL)) {
            rc = SQLITE_ERROR;
            break;
        }
        if (locked == 0)
            w->seqs[w->n++] = w->after;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    return w->n == w->max || rows < FIFO_SEQ_STEP ? 1 : 0;
}

/* Two rows of the same group (rows without one never are). */
static int same_group(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The walk by seq's answer: its first row, the rest of that row's group after it, then the other rows it found. */
static int seq_walk_answer(seq_walk_t *w, int64_t bucket, int64_t now, void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg)
{
    int got = w->n ? sqs_store_msg_get(w->seqs[0], cb, arg) : 0;
    if (got == 1 && w->groups[0] && w->max > 1) {
        int more = group_after(bucket, w->groups[0], w->seqs[0], now, w->max - 1, cb, arg);
        got = more < 0 ? -1 : got + more;
    }
    for (int i = 1; got >= 1 && got < w->max && i < w->n; i++)
        if (!same_group(w->groups[i], w->groups[0]))
            got = sqs_store_msg_get(w->seqs[i], cb, arg) < 0 ? -1 : got + 1;
    return got;
}

/* The walk by group: where its loose scan is, and the groups it found with a visible message and none in flight. */
typedef struct {
    char *id;
    int64_t head; /* seq of its oldest visible message */
} fifo_group_t;

typedef struct {
    char *last; /* the last group read */
    fifo_group_t *g;
    int n, cap;
} group_walk_t;

static void group_walk_free(group_walk_t *w)
{
    for (int i = 0; i < w->n; i++)
        free(w->g[i].id);
    free(w->g);
    free(w->last);
}

/* Collects seqs (group_after's callback). */
typedef struct {
    int64_t *out;
    int n;
} seqs_t;

static void add_seq(const sqs_store_msg_t *m, void *arg)
{
    seqs_t *q = arg;
    q->out[q->n++] = m->seq;
}

/* Up to k seqs of group's visible messages, in order, into out: the count or -1. */
static int fifo_group_seqs(int64_t bucket, const char *group, int64_t now, int k, int64_t *out)
{
    seqs_t q = {out, 0};
    return group_after(bucket, group, 0, now, k, add_seq, &q);
}

/* Keeps the group w->last if nothing of it is in flight and it has a visible message. 0, or -1 on error. */
static int group_walk_keep(group_walk_t *w, int64_t bucket, int64_t now)
{
    int64_t head = 0;
    int locked = fifo_group_locked(bucket, w->last, now);
    int heads = locked == 0 ? fifo_group_seqs(bucket, w->last, now, 1, &head) : 0;
    if (locked < 0 || heads < 0)
        return -1;
    if (locked || heads == 0)
        return 0;
    if (w->n == w->cap) {
        int cap = w->cap ? 2 * w->cap : 16;
        fifo_group_t *g = realloc(w->g, sizeof(*g) * (size_t)cap);
        if (g == NULL)
            return -1;
        w->g = g;
        w->cap = cap;
    }
    w->g[w->n] = (fifo_group_t){strdup(w->last), head};
    return w->g[w->n++].id ? 0 : -1;
}

/* Reads up to FIFO_GROUP_STEP groups after w->last: 1 when every group is read, 0 when groups remain, -1 on error. */
static int group_walk_step(group_walk_t *w, int64_t bucket, int64_t now)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT group_id FROM messages INDEXED BY messages_group_seq WHERE queue_id = ?1"
                                    " AND group_id > ?2 ORDER BY group_id LIMIT 1");
    if (st == NULL)
        return -1;
    for (int i = 0; i < FIFO_GROUP_STEP; i++) {
        sqlite3_bind_int64(st, 1, bucket);
        bind_text(st, 2, w->last ? w->last : "");
        int rc = sqlite3_step(st);
        char *id = rc == SQLITE_ROW ? strdup(col_text(st, 0)) : NULL;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
            return rc == SQLITE_DONE ? 1 : -1;
        free(w->last);
        w->last = id;
        if (id == NULL || group_walk_keep(w, bucket, now) < 0)
            return -1;
    }
    return 0;
}

static int cmp_head(const void *a, const void *b)
{
    int64_t x = ((const fifo_group_t *)a)->head, y = ((const fifo_group_t *)b)->head;
    return x < y ? -1 : x > y;
}

static int cmp_seq(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The walk by group's answer: the oldest head's group, then the other groups' visible messages merged by seq. The
 * k messages wanted after the first group can only come from the k groups with the oldest heads among the rest. */
static int group_walk_answer(group_walk_t *w, int64_t bucket, int64_t now, int max, void (*cb)(const sqs_store_msg_t *m, void *arg),
                             void *arg)
{
    if (w->n == 0)
        return 0;
    qsort(w->g, (size_t)w->n, sizeof(*w->g), cmp_head);
    int got = group_after(bucket, w->g[0].id, 0, now, max, cb, arg);
    int k = max - got, groups = w->n - 1 < k ? w->n - 1 : k, ns = 0;
    if (got < 0 || groups <= 0)
        return got;
    int64_t *seqs = malloc(sizeof(*seqs) * (size_t)k * (size_t)groups);
    for (int i = 1; seqs && i <= groups && got >= 0; i++) {
        int m = fifo_group_seqs(bucket, w->g[i].id, now, k, seqs + ns);
        got = m < 0 ? -1 : got;
        ns += m > 0 ? m : 0;
    }
    if (seqs == NULL)
        got = -1;
    else
        qsort(seqs, (size_t)ns, sizeof(*seqs), cmp_seq);
    for (int i = 0; got >= 0 && i < ns && i < k; i++)
        got = sqs_store_msg_get(seqs[i], cb, arg) < 0 ? -1 : got + 1;
    free(seqs);
    return got;
}

/* The two walks in turns until one is done, and its answer. */
static int fifo_candidates(int64_t bucket, int64_t now, int max, void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg)
{
    seq_walk_t s;
    group_walk_t g = {0};
    int n = -1, rc = seq_walk_init(&s, max);
    while (rc == 0) {
        if ((rc = seq_walk_step(&s, bucket, now)) != 0) {
            n = rc < 0 ? -1 : seq_walk_answer(&s, bucket, now, cb, arg);
            break;
        }
        if ((rc = group_walk_step(&g, bucket, now)) != 0)
            n = rc < 0 ? -1 : group_walk_answer(&g, bucket, now, max, cb, arg);
    }
    seq_walk_free(&s);
    group_walk_free(&g);
    return n;
}

int sqs_store_candidates(int64_t bucket, int fifo, int64_t now, int max, void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg)
{
    if (fifo)
        return fifo_candidates(bucket, now, max, cb, arg);
    sqlite3_stmt *st = db_stmt(sdb, "SELECT " MSG_COLUMNS " FROM messages" MSG_BODIES " WHERE queue_id = ?1 AND visible_at <= ?2"
                                    " ORDER BY visible_at, seq LIMIT ?3");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, bucket);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int(st, 3, max);
    return rows_to(st, max, cb, arg);
}

#define MSG_RECEIVE                                                                                                                \
    "UPDATE OR FAIL messages SET token = ?1 + seq, recv_at = ?2, visible_at = ?3, recv_count = recv_count + 1,"                    \
    " first_recv = CASE first_recv WHEN 0 THEN ?2 ELSE first_recv END, pad = NULL WHERE seq IN ("

static db_rows_sql_t receive_rows = {MSG_RECEIVE, "?", ")"};

int sqs_store_msg_receive(const int64_t *seqs, int n, int64_t token_base, int64_t now, int64_t visible_at)
{
    if (n < 1 || n > SQS_STORE_MAX_ROWS)
        return -1;
    const char *sql = db_rows_sql(&receive_rows, (size_t)n);
    sqlite3_stmt *st = sql ? db_stmt(sdb, sql) : NULL;
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, token_base);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, visible_at);
    for (int i = 0; i < n; i++)
        sqlite3_bind_int64(st, 4 + i, seqs[i]);
    return run(st);
}

int sqs_store_msg_state(int64_t bucket, int64_t seq, int64_t *token, int64_t *visible_at, int64_t *recv_at, int *recv_count)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT token, visible_at, recv_at, recv_count FROM messages WHERE seq = ? AND queue_id = ?");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, bucket);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *token = sqlite3_column_int64(st, 0);
        *visible_at = sqlite3_column_int64(st, 1);
        *recv_at = sqlite3_column_int64(st, 2);
        *recv_count = sqlite3_column_int(st, 3);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int sqs_store_msg_set_visible(int64_t seq, int64_t visible_at)
{
    sqlite3_stmt *st = db_stmt(sdb, "UPDATE messages SET visible_at = ? WHERE seq = ?");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, visible_at);
    sqlite3_bind_int64(st, 2, seq);
    return run(st);
}

int sqs_store_msg_delete(int64_t bucket, int64_t seq)
{
    if (by_queue("DELETE FROM messages WHERE seq = ?", seq) != 0)
        return -1;
    total_add(bucket, -sqlite3_changes(db_handle(sdb)));
    return 0;
}

int sqs_store_msg_delete_received(int64_t bucket, int64_t seq, int64_t token)
{
    sqlite3_stmt *st = db_stmt(sdb, "DELETE FROM messages WHERE seq = ? AND queue_id = ? AND token = ?");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, bucket);
    sqlite3_bind_int64(st, 3, token);
    if (run(st) != 0)
        return -1;
    total_add(bucket, -sqlite3_changes(db_handle(sdb)));
    return 0;
}

int sqs_store_msg_move(int64_t bucket, int64_t seq, int64_t new_seq, int64_t dest_bucket, int64_t now, const char *dlq_source,
                       const char *new_msg_id, int dest_fifo)
{
    static const char *const sql[] = {
        "INSERT INTO messages (seq, queue_id, sent, visible_at, group_id, dedup_id, pad)"
        " SELECT ?1, ?2, CASE WHEN ?5 OR ?7 IS NOT NULL THEN ?3 ELSE sent END, ?3, group_id,"
        " CASE WHEN NOT ?5 THEN dedup_id WHEN ?7 IS NULL THEN msg_id ELSE COALESCE(dedup_id, msg_id) END, zeroblob(21)"
        " FROM messages" MSG_BODIES " WHERE seq = ?6",
        "INSERT INTO bodies (seq, msg_id, body, attrs, md5_body, md5_attrs, trace, md5_sys, sender, dlq_source)"
        " SELECT ?1, COALESCE(?7, msg_id), body, attrs, md5_body, md5_attrs, trace, md5_sys, sender, ?4"
        " FROM bodies WHERE seq = ?6", /* ?2, ?3, ?5 unused here, but bound: the same numbering for both */
    };
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st = db_stmt(sdb, sql[i]);
        if (st == NULL)
            return -1;
        sqlite3_bind_int64(st, 1, new_seq);
        sqlite3_bind_int64(st, 2, dest_bucket);
        sqlite3_bind_int64(st, 3, now);
        bind_text(st, 4, dlq_source);
        sqlite3_bind_int(st, 5, dest_fifo);
        sqlite3_bind_int64(st, 6, seq);
        bind_text(st, 7, new_msg_id);
        if (run(st) != 0)
            return -1;
    }
    total_add(dest_bucket, sqlite3_changes(db_handle(sdb)));
    return sqs_store_msg_delete(bucket, seq);
}

int sqs_store_expire(int64_t bucket, int64_t cutoff, int limit)
{
    sqlite3_stmt *st = db_stmt(sdb, "DELETE FROM messages WHERE seq IN (SELECT seq FROM messages WHERE queue_id = ?1"
                                    " AND visible_at < ?2 AND sent < ?2 LIMIT ?3)");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, bucket);
    sqlite3_bind_int64(st, 2, cutoff);
    sqlite3_bind_int(st, 3, limit);
    if (run(st) != 0)
        return -1;
    total_add(bucket, -sqlite3_changes(db_handle(sdb)));
    return sqlite3_changes(db_handle(sdb));
}

/* The messages of bucket: kept in totals once counted. -1 on error. */
static int64_t total(int64_t bucket)
{
    int64_t *t = total_of(bucket);
    if (t && *t >= 0)
        return *t;
    sqlite3_stmt *st = db_stmt(sdb, "SELECT COUNT(*) FROM messages WHERE queue_id = ?");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, bucket);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return -1;
    }
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (t)
        *t = n;
    return n;
}

int sqs_store_counts(int64_t bucket, int64_t now, int64_t *visible, int64_t *inflight, int64_t *delayed)
{
    int64_t all = total(bucket);
    sqlite3_stmt *st = db_stmt(sdb, "SELECT COUNT(*) FILTER (WHERE recv_count > 0), COUNT(*) FILTER (WHERE recv_count = 0)"
                                    " FROM messages WHERE queue_id = ? AND visible_at > ?");
    if (all < 0 || st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, bucket);
    sqlite3_bind_int64(st, 2, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *inflight = sqlite3_column_int64(st, 0);
        *delayed = sqlite3_column_int64(st, 1);
        *visible = all - *inflight - *delayed;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int64_t sqs_store_next_visible(int64_t bucket, int64_t now)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT MIN(visible_at) FROM messages WHERE queue_id = ? AND visible_at > ?");
    if (st == NULL)
        return 0;
    sqlite3_bind_int64(st, 1, bucket);
    sqlite3_bind_int64(st, 2, now);
    int64_t v = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return v;
}

int sqs_store_dedup_find(int64_t queue_id, const char *key, int64_t now, char *msg_id, size_t idlen, char *seqnum, size_t seqlen)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT msg_id, seqnum FROM dedup WHERE queue_id = ? AND key = ? AND expires > ?");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, queue_id);
    bind_text(st, 2, key);
    sqlite3_bind_int64(st, 3, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(msg_id, idlen, "%s", col_text(st, 0));
        snprintf(seqnum, seqlen, "%s", col_text(st, 1) ? col_text(st, 1) : "");
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int sqs_store_dedup_put(int64_t queue_id, const char *key, const char *msg_id, const char *seqnum, int64_t expires)
{
    sqlite3_stmt *st = db_stmt(sdb, "INSERT OR REPLACE INTO dedup (queue_id, key, msg_id, seqnum, expires) VALUES (?, ?, ?, ?, ?)");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, queue_id);
    bind_text(st, 2, key);
    bind_text(st, 3, msg_id);
    bind_text(st, 4, seqnum);
    sqlite3_bind_int64(st, 5, expires);
    return run(st);
}

int sqs_store_dedup_sweep(int64_t now)
{
    return by_queue("DELETE FROM dedup WHERE expires <= ?", now);
}

int sqs_store_task_put(const sqs_store_task_t *t)
{
    sqlite3_stmt *st = db_stmt(sdb, "INSERT OR REPLACE INTO move_tasks (handle, source_arn, dest_arn, rate, status, moved,"
                                    " to_move, started, failure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (st == NULL)
        return -1;
    bind_text(st, 1, t->handle);
    bind_text(st, 2, t->source_arn);
    bind_text(st, 3, t->dest_arn);
    sqlite3_bind_int(st, 4, t->rate);
    bind_text(st, 5, t->status);
    sqlite3_bind_int64(st, 6, t->moved);
    sqlite3_bind_int64(st, 7, t->to_move);
    sqlite3_bind_int64(st, 8, t->started);
    bind_text(st, 9, t->failure);
    return run(st);
}

int sqs_store_tasks_load(void (*cb)(const sqs_store_task_t *t, void *arg), void *arg)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT handle, source_arn, dest_arn, rate, status, moved, to_move, started, failure"
                                    " FROM move_tasks ORDER BY started");
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqs_store_task_t t = {
            .handle = col_text(st, 0),
            .source_arn = col_text(st, 1),
            .dest_arn = col_text(st, 2),
            .rate = sqlite3_column_int(st, 3),
            .status = col_text(st, 4),
            .moved = sqlite3_column_int64(st, 5),
            .to_move = sqlite3_column_int64(st, 6),
            .started = sqlite3_column_int64(st, 7),
            .failure = col_text(st, 8),
        };
        cb(&t, arg);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}
