/* ddb_stream_store.c - DynamoDB Streams' statements (see ddb_stream_store.h). The schema is part of
 * DynamoDB's in schemas.c because the tables share DynamoDB's database and transactions. */
#include "storage/ddb_stream_store.h"

#include <inttypes.h>
#include <string.h>

#include "services/log.h"
#include "storage/ddb_store.h"

#define STREAM_COLS                                                                                                                \
    "id, table_id, account, region, table_name, label, arn, view_type, key_schema, created_ms, start_seq,"                         \
    " coalesce(end_seq, -1), coalesce(closed_ms, 0), trim_seq"

static sqlite3_stmt *stmt(const char *sql)
{
    db_t *db = ddb_store_db();
    return db ? db_stmt(db, sql) : NULL;
}

/* Steps a statement that returns no rows; 0 or -1 (logged). */
static int run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        LOG_ERROR("dynamodb streams store: %s", sqlite3_errmsg(db_handle(ddb_store_db())));
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static const char *col_text(h2o_mem_pool_t *pool, sqlite3_stmt *st, int col)
{
    size_t len = (size_t)sqlite3_column_bytes(st, col);
    char *p = h2o_mem_alloc_pool(pool, len + 1);
    memcpy(p, sqlite3_column_text(st, col), len);
    p[len] = '\0';
    return p;
}

static void row_read(h2o_mem_pool_t *pool, sqlite3_stmt *st, ddb_stream_row_t *s)
{
    s->id = sqlite3_column_int64(st, 0);
    s->table_id = sqlite3_column_int64(st, 1);
    s->account = col_text(pool, st, 2);
    s->region = col_text(pool, st, 3);
    s->table_name = col_text(pool, st, 4);
    s->label = col_text(pool, st, 5);
    s->arn = col_text(pool, st, 6);
    s->view_type = col_text(pool, st, 7);
    s->key_schema = col_text(pool, st, 8);
    s->created_ms = sqlite3_column_int64(st, 9);
    s->start_seq = sqlite3_column_int64(st, 10);
    s->end_seq = sqlite3_column_int64(st, 11);
    s->closed_ms = sqlite3_column_int64(st, 12);
    s->trim_seq = sqlite3_column_int64(st, 13);
}

/* Steps a bound one-row query into out: 1, 0, -1. */
static int one_row(h2o_mem_pool_t *pool, sqlite3_stmt *st, ddb_stream_row_t *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_read(pool, st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int ddb_stream_store_by_arn(h2o_mem_pool_t *pool, const char *arn, ddb_stream_row_t *out)
{
    sqlite3_stmt *st = stmt("SELECT " STREAM_COLS " FROM streams WHERE arn=? ORDER BY id DESC LIMIT 1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, arn, -1, SQLITE_STATIC);
    return one_row(pool, st, out);
}

int ddb_stream_store_by_label(h2o_mem_pool_t *pool, int64_t table_id, const char *label, ddb_stream_row_t *out)
{
    sqlite3_stmt *st = stmt("SELECT " STREAM_COLS " FROM streams WHERE table_id=? AND label=? ORDER BY id DESC LIMIT 1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, table_id);
    sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
    return one_row(pool, st, out);
}

int ddb_stream_store_insert(ddb_stream_row_t *s)
{
    sqlite3_stmt *st = stmt("INSERT INTO streams(table_id, account, region, table_name, label, arn, view_type, key_schema,"
                            " created_ms, start_seq) VALUES(?,?,?,?,?,?,?,?,?,?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, s->table_id);
    const char *texts[] = {s->account, s->region, s->table_name, s->label, s->arn, s->view_type, s->key_schema};
    for (int i = 0; i < 7; i++)
        sqlite3_bind_text(st, 2 + i, texts[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, s->created_ms);
    sqlite3_bind_int64(st, 10, s->start_seq);
    if (run(st) != 0)
        return -1;
    s->id = sqlite3_last_insert_rowid(db_handle(ddb_store_db()));
    s->end_seq = -1;
    s->closed_ms = 0;
    s->trim_seq = 0;
    return 0;
}

int ddb_stream_store_close(int64_t table_id, const char *keep, int64_t end_seq, int64_t now_ms)
{
    sqlite3_stmt *st = stmt("UPDATE streams SET end_seq=max(?, start_seq), closed_ms=? WHERE table_id=? AND closed_ms IS NULL"
                            " AND label IS NOT ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, end_seq);
    sqlite3_bind_int64(st, 2, now_ms);
    sqlite3_bind_int64(st, 3, table_id);
    sqlite3_bind_text(st, 4, keep, -1, SQLITE_STATIC);
    if (run(st) != 0)
        return -1;
    return sqlite3_changes(db_handle(ddb_store_db()));
}

int ddb_stream_store_list(h2o_mem_pool_t *pool, const char *account, const char *region, const char *table_name, int64_t after_id,
                          int limit, ddb_stream_row_t **rows)
{
    sqlite3_stmt *st = stmt("SELECT " STREAM_COLS " FROM streams WHERE account=? AND region=? AND (?3 IS NULL OR table_name=?3)"
                            " AND id>? ORDER BY id LIMIT ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, table_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, after_id);
    sqlite3_bind_int(st, 5, limit);
    *rows = h2o_mem_alloc_pool(pool, sizeof(ddb_stream_row_t) * (size_t)(limit > 0 ? limit : 1));
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < limit)
        row_read(pool, st, &(*rows)[n++]);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

/* ---- records ----
 * A record's key is its stream id shifted above its sequence number (DynamoDB's migration 5 in schemas.c): one stream's records
 * are the key range [id << SEQ_BITS, (id + 1) << SEQ_BITS), in sequence order, and the newest stream's writes append
 * at the end of the table. SEQ_BITS (fixed by that migration) leaves room for 2^40 sequence numbers and 2^23 streams. */

#define SEQ_BITS 40
#define SQL_NUM(n) SQL_NUM_(n)
#define SQL_NUM_(n) #n
#define SQL_SHIFT " << " SQL_NUM(SEQ_BITS)
#define SQL_SEQ_MASK "((1" SQL_SHIFT ") - 1)"
#define SEQ_MAX ((INT64_C(1) << SEQ_BITS) - 1)

/* The key of a stream's record seq (a seq past SEQ_MAX: the end of the stream's range). */
static int64_t rec_key(int64_t stream_id, int64_t seq)
{
    return (int64_t)((uint64_t)stream_id << SEQ_BITS) | (seq < 0 ? 0 : seq > SEQ_MAX ? SEQ_MAX : seq);
}

int ddb_stream_store_record_put(int64_t stream_id, int64_t seq, int64_t created_ms, int by_service, const char *record, size_t len)
{
    if (stream_id >= (INT64_C(1) << (63 - SEQ_BITS)) || seq > SEQ_MAX) {
        LOG_ERROR("dynamodb streams store: stream %" PRId64 " or sequence number %" PRId64 " out of range", stream_id, seq);
        return -1;
    }
    sqlite3_stmt *st = stmt("INSERT INTO stream_records(key, created_ms, by_service, record) VALUES(?,?,?,?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, rec_key(stream_id, seq));
    sqlite3_bind_int64(st, 2, created_ms);
    sqlite3_bind_int(st, 3, by_service);
    sqlite3_bind_text(st, 4, record, (int)len, SQLITE_STATIC);
    return run(st);
}

int ddb_stream_store_records(int64_t stream_id, int64_t after, int limit, int (*cb)(const ddb_stream_rec_row_t *r, void *arg),
                             void *arg)
{
    sqlite3_stmt *st =
        stmt("SELECT key & " SQL_SEQ_MASK ", created_ms, by_service, record FROM stream_records WHERE key>? AND key<?"
             " ORDER BY key LIMIT ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, rec_key(stream_id, after));
    sqlite3_bind_int64(st, 2, rec_key(stream_id + 1, 0));
    sqlite3_bind_int(st, 3, limit);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ddb_stream_rec_row_t r = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2),
                                  (const char *)sqlite3_column_text(st, 3), (size_t)sqlite3_column_bytes(st, 3)};
        n++;
        if (cb(&r, arg) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

/* A query whose one row holds one integer (NULL: 0); -1 on error. */
static int64_t one_int(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}

int64_t ddb_stream_store_high_water(void)
{
    /* per stream, the last record at or below its key range (a real record whichever stream holds it) */
    sqlite3_stmt *st =
        stmt("SELECT coalesce(max(max(coalesce((SELECT key FROM stream_records WHERE key<((id + 1)" SQL_SHIFT ")"
             " ORDER BY key DESC LIMIT 1), 0) & " SQL_SEQ_MASK ", trim_seq, coalesce(end_seq, 0), start_seq - 1)), 0)"
             " FROM streams");
    return st ? one_int(st) : -1;
}

/* ---- retention ---- */

/* Trims one stream's oldest records (among its first max) created before cutoff_ms. Rows deleted or -1. */
static int trim_stream(int64_t id, int64_t cutoff_ms, int max)
{
    sqlite3_stmt *st = stmt("SELECT coalesce(max(key), 0) FROM (SELECT key, created_ms FROM stream_records WHERE key>?1 AND key<?2"
                            " ORDER BY key LIMIT ?4) WHERE created_ms<?3");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, rec_key(id, 0));
    sqlite3_bind_int64(st, 2, rec_key(id + 1, 0));
    sqlite3_bind_int64(st, 3, cutoff_ms);
    sqlite3_bind_int(st, 4, max);
    int64_t upto = one_int(st);
    if (upto <= 0)
        return (int)upto;
    sqlite3_stmt *del = stmt("DELETE FROM stream_records WHERE key>? AND key<=?");
    sqlite3_stmt *up = stmt("UPDATE streams SET trim_seq=max(trim_seq, ?) WHERE id=?");
    if (!del || !up)
        return -1;
    sqlite3_bind_int64(del, 1, rec_key(id, 0));
    sqlite3_bind_int64(del, 2, upto);
    if (run(del) != 0)
        return -1;
    int n = sqlite3_changes(db_handle(ddb_store_db()));
    sqlite3_bind_int64(up, 1, upto - rec_key(id, 0));
    sqlite3_bind_int64(up, 2, id);
    return run(up) == 0 ? n : -1;
}

int ddb_stream_store_trim(int64_t cutoff_ms, int max)
{
    int64_t list[256], after = 0;
    int n, total = 0, rc;
    do { /* a page of stream ids first, then their trimming (which runs other statements) */
        sqlite3_stmt *ids = stmt("SELECT id FROM streams WHERE id>? ORDER BY id LIMIT 256");
        if (!ids)
            return -1;
        sqlite3_bind_int64(ids, 1, after);
        n = 0;
        while ((rc = sqlite3_step(ids)) == SQLITE_ROW && n < 256)
            list[n++] = sqlite3_column_int64(ids, 0);
        sqlite3_reset(ids);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            return -1;
        for (int i = 0; i < n; i++) {
            int k = trim_stream(list[i], cutoff_ms, max);
            if (k < 0)
                return -1;
            total += k;
            after = list[i];
        }
    } while (n == 256);
    sqlite3_stmt *recs = stmt("DELETE FROM stream_records WHERE key IN (SELECT r.key FROM streams s, stream_records r"
                              " WHERE s.closed_ms<? AND r.key>(s.id" SQL_SHIFT ") AND r.key<((s.id + 1)" SQL_SHIFT "))");
    sqlite3_stmt *streams = stmt("DELETE FROM streams WHERE closed_ms<?");
    if (!recs || !streams)
        return -1;
    sqlite3_bind_int64(recs, 1, cutoff_ms);
    sqlite3_bind_int64(streams, 1, cutoff_ms);
    if (run(recs) != 0 || run(streams) != 0)
        return -1;
    return total + sqlite3_changes(db_handle(ddb_store_db()));
}
