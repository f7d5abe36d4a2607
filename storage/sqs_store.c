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

static db_rows_sql_t insert_rows, receive_rows; /* statements over n rows (their texts below) */

void sqs_store_close(void)
{
    db_close(sdb);
    sdb = NULL;
    db_rows_sql_free(&insert_rows);
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

#define MSG_INSERT                                                                                                                 \
    "INSERT OR FAIL INTO messages (seq, queue_id, msg_id, body, attrs, md5_body, md5_attrs, trace, md5_sys, sender, sent,"         \
    " visible_at, group_id, dedup_id, dlq_source, pad) VALUES "
/* pad: the bytes the first receive adds (schemas.c, sqs migration 3), plus one for the second. */
#define MSG_INSERT_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, zeroblob(21))"
#define MSG_INSERT_PARAMS 15

/* The INSERT of n rows. OR FAIL: a statement that cannot abort halfway needs no statement
 * journal (a copy of every page it touches); the caller's write scope rolls back what a
 * failed insert left. */
static db_rows_sql_t insert_rows = {MSG_INSERT, MSG_INSERT_ROW, ""};
_Static_assert(SQS_STORE_MAX_ROWS <= DB_ROWS_MAX, "a batch's messages fit one statement");

/* Binds row m to the parameters after the first `at`. */
static void bind_msg(sqlite3_stmt *st, int at, const sqs_store_msg_t *m)
{
    sqlite3_bind_int64(st, at + 1, m->seq);
    sqlite3_bind_int64(st, at + 2, m->queue_id);
    bind_text(st, at + 3, m->msg_id);
    sqlite3_bind_blob(st, at + 4, m->body, (int)m->body_len, SQLITE_STATIC);
    bind_text(st, at + 5, m->attrs);
    bind_text(st, at + 6, m->md5_body);
    bind_text(st, at + 7, m->md5_attrs);
    bind_text(st, at + 8, m->trace);
    bind_text(st, at + 9, m->md5_sys);
    bind_text(st, at + 10, m->sender);
    sqlite3_bind_int64(st, at + 11, m->sent);
    sqlite3_bind_int64(st, at + 12, m->visible_at);
    bind_text(st, at + 13, m->group_id);
    bind_text(st, at + 14, m->dedup_id);
    bind_text(st, at + 15, m->dlq_source);
}

int sqs_store_msg_insert(const sqs_store_msg_t *m, int n)
{
    if (n < 1 || n > SQS_STORE_MAX_ROWS)
        return -1;
    const char *sql = db_rows_sql(&insert_rows, (size_t)n);
    sqlite3_stmt *st = sql ? db_stmt(sdb, sql) : NULL;
    if (st == NULL)
        return -1;
    for (int i = 0; i < n; i++)
        bind_msg(st, i * MSG_INSERT_PARAMS, &m[i]);
    if (run(st) != 0)
        return -1;
    for (int i = 0; i < n; i++)
        total_add(m[i].queue_id, 1);
    return 0;
}

#define MSG_COLUMNS                                                                                                                \
    "seq, queue_id, msg_id, body, attrs, md5_body, md5_attrs, trace, md5_sys, sender, sent, first_recv, recv_at, visible_at,"      \
    " token, recv_count, group_id, dedup_id, dlq_source"

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
    sqlite3_stmt *st = db_stmt(sdb, "SELECT " MSG_COLUMNS " FROM messages WHERE seq = ?");
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

/* A FIFO queue's available messages after seq `after`, in order, skipping groups with a message in
 * flight and, when not NULL, the group `but`. */
static sqlite3_stmt *fifo_available(int64_t queue_id, int64_t now, int max, const char *but, int64_t after)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT " MSG_COLUMNS " FROM messages m INDEXED BY messages_fifo"
                                    " WHERE queue_id = ?1 AND dedup_id IS NOT NULL AND visible_at <= ?2 AND seq > ?5"
                                    " AND (?4 IS NULL OR group_id IS NOT ?4)"
                                    " AND NOT EXISTS (SELECT 1 FROM messages g WHERE g.queue_id = ?1 AND g.group_id = m.group_id"
                                    " AND g.visible_at > ?2 AND g.recv_count > 0) ORDER BY seq LIMIT ?3");
    if (st == NULL)
        return NULL;
    sqlite3_bind_int64(st, 1, queue_id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int(st, 3, max);
    bind_text(st, 4, but);
    sqlite3_bind_int64(st, 5, after);
    return st;
}

/* The oldest available message, passed on to the caller's callback, and its seq and group kept. */
typedef struct {
    int64_t seq;
    char *group;
    void (*cb)(const sqs_store_msg_t *m, void *arg);
    void *arg;
} oldest_t;

static void take_oldest(const sqs_store_msg_t *m, void *arg)
{
    oldest_t *o = arg;
    o->seq = m->seq;
    o->group = m->group_id ? strdup(m->group_id) : NULL;
    o->cb(m, o->arg);
}

/* The available messages of group after seq, in order, up to max: the count or -1. */
static int group_after(int64_t queue_id, const char *group, int64_t after, int64_t now, int max,
                       void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT " MSG_COLUMNS " FROM messages INDEXED BY messages_group_seq WHERE queue_id = ?1"
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

/* ---- FIFO receives on a few groups with a backlog in flight ----
 * fifo_available reads the queue's rows by seq and steps over the rows of groups in flight one by one:
 * with a single group of 20,000 messages in flight, a receive read them all (15 ms, every request
 * waiting). So while any group is in flight, a queue of at most FIFO_FEW_GROUPS groups is read group
 * by group instead: one seek a group to find it (a loose scan of messages_group_seq), one to see whether
 * it is in flight, one for its oldest visible message. (Rows without a group, which no FIFO queue gets
 * through the API, are left to the read by seq.) */
#define FIFO_FEW_GROUPS 16

typedef struct {
    char *id;
    int64_t head; /* seq of its oldest visible message; 0 if none, -1 in flight */
} fifo_group_t;

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

/* The bucket's groups with their heads, if there are at most FIFO_FEW_GROUPS and one is in flight:
 * their count; 0 when the read by seq should serve (more groups, or none in flight); -1 on error. */
static int fifo_few_groups(int64_t bucket, int64_t now, fifo_group_t *g)
{
    sqlite3_stmt *st = db_stmt(sdb, "SELECT group_id FROM messages INDEXED BY messages_group_seq WHERE queue_id = ?1"
                                    " AND group_id > ?2 ORDER BY group_id LIMIT 1");
    if (st == NULL)
        return -1;
    int n = 0, locked = 0, rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) {
        sqlite3_bind_int64(st, 1, bucket);
        bind_text(st, 2, n ? g[n - 1].id : "");
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && n == FIFO_FEW_GROUPS)
            rc = SQLITE_FULL;
        else if (rc == SQLITE_ROW)
            g[n++] = (fifo_group_t){strdup(col_text(st, 0)), 0};
        sqlite3_reset(st);
    }
    for (int i = 0; rc == SQLITE_DONE && i < n; i++) {
        int in_flight = fifo_group_locked(bucket, g[i].id, now);
        rc = in_flight < 0 ? SQLITE_ERROR : rc;
        locked |= in_flight == 1;
        g[i].head = in_flight == 1 ? -1 : 0;
    }
    for (int i = 0; rc == SQLITE_DONE && locked && i < n; i++) /* heads only when the groups will serve */
        if (g[i].head == 0 && fifo_group_seqs(bucket, g[i].id, now, 1, &g[i].head) < 0)
            rc = SQLITE_ERROR;
    if (rc == SQLITE_DONE && locked)
        return n;
    for (int i = 0; i < n; i++)
        free(g[i].id);
    return rc == SQLITE_DONE || rc == SQLITE_FULL ? 0 : -1;
}

static int cmp_seq(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* fifo_candidates over the n groups g (fifo_few_groups): the oldest head's group, then the other
 * groups' visible messages merged by seq. */
static int fifo_by_groups(int64_t bucket, int64_t now, int max, fifo_group_t *g, int n,
                          void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg)
{
    int o = -1;
    for (int i = 0; i < n; i++)
        if (g[i].head > 0 && (o < 0 || g[i].head < g[o].head))
            o = i;
    if (o < 0)
        return 0;
    int got = group_after(bucket, g[o].id, 0, now, max, cb, arg);
    int k = max - got, ns = 0;
    if (got < 0 || k <= 0)
        return got;
    int64_t *seqs = malloc(sizeof(*seqs) * (size_t)k * (size_t)n);
    for (int i = 0; seqs && i < n && got >= 0; i++) {
        int m = i == o || g[i].head <= 0 ? 0 : fifo_group_seqs(bucket, g[i].id, now, k, seqs + ns);
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

/* SQS "returns as many messages with the same message group ID as possible": the oldest available
 * message, the rest of its group in order, then the oldest of the other groups (nothing available is
 * older than the first, so every read after it starts past its seq). */
static int fifo_candidates(int64_t queue_id, int64_t now, int max, void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg)
{
    fifo_group_t g[FIFO_FEW_GROUPS];
    int ng = fifo_few_groups(queue_id, now, g);
    if (ng != 0) {
        int n = ng < 0 ? -1 : fifo_by_groups(queue_id, now, max, g, ng, cb, arg);
        for (int i = 0; i < ng; i++)
            free(g[i].id);
        return n;
    }
    oldest_t o = {0, NULL, cb, arg};
    sqlite3_stmt *st = fifo_available(queue_id, now, 1, NULL, 0);
    int n = st ? rows_to(st, 1, take_oldest, &o) : -1;
    if (n == 1 && o.group && max > 1) { /* a row without a group was moved in from a standard queue */
        int more = group_after(queue_id, o.group, o.seq, now, max - 1, cb, arg);
        n = more < 0 ? -1 : n + more;
    }
    if (n >= 1 && n < max) {
        st = fifo_available(queue_id, now, max - n, o.group, o.seq);
        int more = st ? rows_to(st, max - n, cb, arg) : -1;
        n = more < 0 ? -1 : n + more;
    }
    free(o.group);
    return n;
}

int sqs_store_candidates(int64_t bucket, int fifo, int64_t now, int max, void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg)
{
    if (fifo)
        return fifo_candidates(bucket, now, max, cb, arg);
    sqlite3_stmt *st = db_stmt(sdb, "SELECT " MSG_COLUMNS " FROM messages WHERE queue_id = ?1 AND visible_at <= ?2"
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
    sqlite3_stmt *st =
        db_stmt(sdb, "INSERT INTO messages (seq, queue_id, msg_id, body, attrs, md5_body, md5_attrs, trace,"
                     " md5_sys, sender, sent, visible_at, group_id, dedup_id, dlq_source)"
                     " SELECT ?1, ?2, COALESCE(?7, msg_id), body, attrs, md5_body, md5_attrs, trace, md5_sys,"
                     " sender, CASE WHEN ?5 OR ?7 IS NOT NULL THEN ?3 ELSE sent END, ?3, group_id,"
                     " CASE WHEN NOT ?5 THEN dedup_id WHEN ?7 IS NULL THEN msg_id ELSE COALESCE(dedup_id, msg_id) END,"
                     " ?4 FROM messages WHERE seq = ?6");
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, new_seq);
    sqlite3_bind_int64(st, 2, dest_bucket);
    sqlite3_bind_int64(st, 3, now);
    bind_text(st, 4, dlq_source);
    sqlite3_bind_int(st, 5, dest_fifo);
    bind_text(st, 7, new_msg_id);
    sqlite3_bind_int64(st, 6, seq);
    if (run(st) != 0)
        return -1;
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
