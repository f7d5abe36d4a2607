/* ddb_stream.h - DynamoDB Streams inside the DynamoDB service: change records
 * built from a write's old and new image, the streams' life cycle, retention, and
 * an in-process API for Lambda's stream event source mappings.
 *
 * ddb_write_item() calls ddb_stream_emit() for tables with a stream: one record per
 * changed item, in commit order (batches and transactions write item by item), none
 * when the item did not change. The record is stored, in the same transaction as the
 * item, as the finished JSON of the GetRecords shape. Sequence numbers are 21-digit
 * decimal strings ("1" then 20 digits), increasing across every stream.
 *
 * Everything runs on the loop thread. */
#ifndef AWSEMU_DDB_STREAM_H
#define AWSEMU_DDB_STREAM_H

#include "services/dynamodb/ddb_core.h"

#define DDB_STREAM_RETENTION_MS (24LL * 3600 * 1000)
#define DDB_STREAM_SEQ_LEN 21      /* digits of a sequence number */
#define DDB_STREAM_SHARD_ID_MAX 48 /* room for a shard id and its NUL */

/* The op_name of the call that TTL deletions run under: their records carry the userIdentity
 * {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}. Compared by address. */
extern const char ddb_stream_ttl_op[];

/* The change record of one item write (an image with neither tree nor text: absent; a removal's old image has its
 * tree, for the keys), for a table whose stream_view is set.
 * 0, or -1 on a storage failure (not raised; the caller raises). */
int ddb_stream_emit(call_t *c, const ddb_table_t *t, const ddb_image_t *old_img, const ddb_image_t *new_img);
/* Keeps the table's stream rows in step with its definition (ddb_table_save): the stream of the current label
 * exists and is open while streams are on; every other stream of the table is closed. 0 or -1. */
int ddb_stream_table_saved(call_t *c, const ddb_table_t *t);
/* Closes the table's open stream (DeleteTable); the stream stays readable for 24 hours. 0 or -1. */
int ddb_stream_table_deleted(const ddb_table_t *t);

/* Retention timer and sequence counter (the DynamoDB Streams service's open and close). */
void ddb_stream_start(void);
void ddb_stream_stop(void);

/* ---- for the DynamoDBStreams_20120810 operations (streams.c) ---- */

/* Writes sequence number n as its 21-digit text into out (DDB_STREAM_SEQ_LEN + 1 bytes). */
void ddb_stream_seq_text(int64_t n, char *out);
/* Parses a sequence number text; 0 and *n, or -1 when it is not one of ours. */
int ddb_stream_seq_parse(const char *s, int64_t *n);
/* The newest sequence number handed out so far. */
int64_t ddb_stream_seq_last(void);
/* The shard id of stream id created at created_ms (one shard per stream), in pool. */
const char *ddb_stream_shard_id(h2o_mem_pool_t *pool, int64_t id, int64_t created_ms);

/* ---- in-process API (Lambda event source mappings) ----
 *
 * Typical poller, keeping `after` (a sequence number text, "" at first) per mapping:
 *     ddb_stream_api_start(arn, latest, after);                 // StartingPosition
 *     n = ddb_stream_api_read(arn, after, batch, on_rec, ctx);  // then after = last record's seq
 *     if (n == 0 && !open) -> the stream is closed and drained: the mapping is done
 *     if (n == 0) ddb_stream_api_wait(arn, on_wake, ctx);       // on_wake(ctx) once new records may exist */

typedef struct {
    const char *seq;  /* SequenceNumber (21 digits, NUL-terminated) */
    const char *json; /* the record as Lambda's DynamoDB event carries it in "Records": GetRecords' shape plus
                         eventSourceARN, userIdentity {"type","principalId"} for TTL deletions */
    size_t len;
    int64_t created_ms; /* when the change was written */
    int64_t size_bytes; /* the record's JSON size (for payload limits) */
} ddb_stream_api_rec_t;

/* Return non-zero to stop reading (the record is then counted as passed). Pointers are valid only during the call;
 * do not call ddb_stream_api_* from inside it (copy what you need, act after ddb_stream_api_read returns). */
typedef int (*ddb_stream_api_cb)(const ddb_stream_api_rec_t *r, void *arg);

/* 1 if a stream with this ARN exists (*open: 1 while ENABLED, 0 once DISABLED), 0 if not, -1 on a storage error. */
int ddb_stream_api_info(const char *arn, int *open);
/* The starting position of a mapping: TRIM_HORIZON (latest 0) gives "" (from the oldest record kept), LATEST (latest 1)
 * the newest sequence number handed out so far. out holds DDB_STREAM_SEQ_LEN + 1 bytes. 0, -1 no stream. */
int ddb_stream_api_start(const char *arn, int latest, char *out);
/* The id of the stream's shard (one per stream) into out. 0, or -1 if the stream does not exist. */
int ddb_stream_api_shard_id(const char *arn, char out[DDB_STREAM_SHARD_ID_MAX]);
/* Passes cb up to max records with a SequenceNumber greater than after ("" or NULL: from the oldest record kept),
 * in order. Returns how many were passed, -1 if the stream does not exist, -2 on a storage error. Records past
 * the 24-hour retention are gone: reading after a trimmed position simply continues at the oldest kept. */
int ddb_stream_api_read(const char *arn, const char *after, int max, ddb_stream_api_cb cb, void *arg);
/* One-shot wake-up: wake(arg) is called from a timer (never synchronously, and after the writing turn commits)
 * when records were appended to the stream or it was closed. 0, or -1 if the stream does not exist. */
int ddb_stream_api_wait(const char *arn, void (*wake)(void *arg), void *arg);
/* Cancels the wake-ups registered with arg (safe if none). */
void ddb_stream_api_wait_cancel(void *arg);

#endif
