/* ddb_stream_store.h - all of DynamoDB Streams' SQL: streams and their change records.
 *
 * The two tables live in DynamoDB's own database (ddb_store_db(), created by a
 * migration in schemas.c), so a change record commits in the same transaction
 * as the item write that caused it. A stream row is one table's stream under one
 * label (a new label each time streams are enabled); it has one shard. Records are
 * keyed (stream id, sequence number), packed in one integer so that writes append
 * to the table (ddb_stream_store.c): the sequence numbers are one increasing
 * counter shared by every stream, handed out by ddb_stream.c; each record is the
 * finished JSON of the GetRecords shape, written once and spliced into replies.
 * Trimming remembers the highest trimmed number per stream (trim_seq), which also
 * keeps the counter from going backwards across restarts. */
#ifndef AWSEMU_DDB_STREAM_STORE_H
#define AWSEMU_DDB_STREAM_STORE_H

#include <h2o/memory.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t id, table_id;
    const char *account, *region, *table_name, *label, *arn, *view_type;
    const char *key_schema; /* JSON text of the KeySchema list */
    int64_t created_ms;
    int64_t start_seq; /* first sequence number the shard may hold */
    int64_t end_seq;   /* last one once closed, else -1 */
    int64_t closed_ms; /* 0 while open */
    int64_t trim_seq;  /* records up to this number were trimmed */
} ddb_stream_row_t;

/* 1 found, 0 absent, -1 error. The newest stream with this ARN. */
int ddb_stream_store_by_arn(h2o_mem_pool_t *pool, const char *arn, ddb_stream_row_t *out);
/* The stream of table_id with this label: 1, 0, -1. */
int ddb_stream_store_by_label(h2o_mem_pool_t *pool, int64_t table_id, const char *label, ddb_stream_row_t *out);
/* Inserts a new open stream (out->id set); 0 or -1. */
int ddb_stream_store_insert(ddb_stream_row_t *s);
/* Closes the open streams of table_id other than the one labelled keep (NULL: all) at end_seq. Closed count or -1. */
int ddb_stream_store_close(int64_t table_id, const char *keep, int64_t end_seq, int64_t now_ms);
/* Streams of (account, region), optionally of one table, with id > after_id, oldest first, at most limit.
 * Count or -1; rows in pool. */
int ddb_stream_store_list(h2o_mem_pool_t *pool, const char *account, const char *region, const char *table_name, int64_t after_id,
                          int limit, ddb_stream_row_t **rows);

/* ---- records ---- */

int ddb_stream_store_record_put(int64_t stream_id, int64_t seq, int64_t created_ms, int by_service, const char *record, size_t len);

typedef struct {
    int64_t seq, created_ms;
    int by_service;     /* a TTL deletion (userIdentity of the DynamoDB service) */
    const char *record; /* JSON object text; valid only during the callback */
    size_t len;
} ddb_stream_rec_row_t;

/* Calls cb for up to limit records of a stream with seq > after, in order, stopping early when cb returns
 * non-zero. The number passed to cb, or -1. */
int ddb_stream_store_records(int64_t stream_id, int64_t after, int limit, int (*cb)(const ddb_stream_rec_row_t *r, void *arg),
                             void *arg);
/* The highest sequence number ever handed out that the database remembers (records, trim points, shard ranges). */
int64_t ddb_stream_store_high_water(void);

/* ---- retention ---- */

/* Deletes up to max records older than cutoff_ms per stream (raising trim_seq), and the streams closed before
 * cutoff_ms with their records. Number of rows deleted, or -1. */
int ddb_stream_store_trim(int64_t cutoff_ms, int max);

#endif
