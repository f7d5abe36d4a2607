/* sqs_store.h - all of SQS's SQL: queues, messages, FIFO deduplication records
 * and message move tasks, in <data-dir>/sqs.db.
 *
 * Messages are rows keyed by a global sequence number (the rowid, increasing
 * with every insert), in two tables: `messages` holds what receives change and
 * the keys they search by (~50 bytes a row), `bodies` what the message was sent
 * with (written once, read by receives). Receiving reads the index
 * (queue_id, visible_at, seq), so a receive touches only the rows it returns,
 * whatever the queue depth; FIFO queues read theirs in seq order from a partial
 * index (queue_id, seq) of the rows with a deduplication id, which only FIFO
 * messages have: a standard receive writes its small rows and their index
 * entries, a send or delete those and the bodies. A
 * message is visible when visible_at <= now; in flight when received at least
 * once and visible_at > now; delayed when never received and visible_at > now.
 * A message's queue_id is its queue's bucket, not the queue's id: PurgeQueue and DeleteQueue drop
 * the bucket at once (a purged queue gets a new one) and sqs_store_drop_some deletes its rows in
 * batches, so that no request waits while a deep queue's messages go. The functions below that
 * take a queue_id for messages take the bucket; those for queues and dedup records, the id.
 * Writes must run between sqs_store_write_begin/end (the loop-turn group commit). */
#ifndef AWSEMU_SQS_STORE_H
#define AWSEMU_SQS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

typedef struct {
    int64_t id;
    const char *account, *region, *name;
    int fifo;
    const char *attrs;         /* JSON object of settable attributes (name -> string) */
    const char *tags;          /* JSON object */
    int64_t created, modified; /* seconds */
    int64_t purged_ms;         /* last PurgeQueue, ms (0 = never) */
    int64_t bucket;            /* the queue_id of its messages' rows */
} sqs_store_queue_t;

/* One message row; strings are NUL-terminated, NULL when absent. */
typedef struct {
    int64_t seq, queue_id;
    const char *msg_id;
    const char *body;
    size_t body_len;
    const char *attrs; /* MessageAttributes as a JSON object */
    const char *md5_body, *md5_attrs;
    const char *trace; /* AWSTraceHeader */
    const char *md5_sys;
    const char *sender;
    int64_t sent, first_recv, recv_at, visible_at; /* ms */
    int64_t token;                                 /* current receipt token */
    int recv_count;
    const char *group_id, *dedup_id, *dlq_source;
} sqs_store_msg_t;

typedef struct {
    const char *handle, *source_arn, *dest_arn, *status, *failure;
    int rate; /* 0 = unset */
    int64_t moved, to_move, started;
} sqs_store_task_t;

int sqs_store_open(const char *dir, int in_memory, int durability_full, char *err, size_t errlen);
void sqs_store_close(void);
int sqs_store_write_begin(void);
void sqs_store_write_end(int ok);

/* queues */
int sqs_store_queues_load(void (*cb)(const sqs_store_queue_t *q, void *arg), void *arg);
/* Stores a new queue: sets q->id and q->bucket (a new one). 0 or -1. */
int sqs_store_queue_insert(sqs_store_queue_t *q);
int sqs_store_queue_update(int64_t id, const char *attrs, const char *tags, int64_t modified);
/* PurgeQueue: drops queue id's bucket (its messages), gives it a new one (*fresh) and records the time. */
int sqs_store_queue_purge(int64_t id, int64_t bucket, int64_t purged_ms, int64_t *fresh);
/* Deletes queue id and its dedup records, and drops its bucket. */
int sqs_store_queue_delete(int64_t id, int64_t bucket);
/* Deletes up to limit messages of a dropped bucket (*deleted of them), forgetting the bucket once it
 * is empty: 1 when it found one, 0 when none is left, -1 on error. */
int sqs_store_drop_some(int limit, int *deleted);
/* Forgets every bucket's count (after a rollback: the turn's commit failed). */
void sqs_store_counts_forget(void);

/* messages */
int64_t sqs_store_max_seq(void);
#define SQS_STORE_MAX_ROWS 10 /* rows one insert takes (a SendMessageBatch's) */
/* Inserts the n rows m[0..n) (1 <= n <= SQS_STORE_MAX_ROWS) with one statement: a batch
 * pays once for what a statement costs (lookup, cursors, halt). 0, or -1 after which some
 * rows may be in: the caller rolls its write back (sqs_store_write_end(0)). */
int sqs_store_msg_insert(const sqs_store_msg_t *m, int n);
/* Loads the full row of seq into cb (pointers valid during the callback). 1 found, 0 not, -1 error. */
int sqs_store_msg_get(int64_t seq, void (*cb)(const sqs_store_msg_t *m, void *arg), void *arg);
/* Streams the rows of up to max messages visible at now to cb (pointers valid during the
 * callback): standard order (visible_at, seq), or FIFO order, skipping groups with a message in
 * flight: the oldest available message's group first (in seq order), then the others' by seq.
 * Returns the count or -1. */
int sqs_store_candidates(int64_t bucket, int fifo, int64_t now, int max, void (*cb)(const sqs_store_msg_t *m, void *arg),
                         void *arg);
/* Marks the messages seqs[0..n) (1 <= n <= SQS_STORE_MAX_ROWS) received at now with one
 * statement: receipt token token_base + seq, in flight until visible_at, one more receive,
 * first received now unless it was before. 0, or -1 after which some may be marked: the
 * caller rolls its write back. */
int sqs_store_msg_receive(const int64_t *seqs, int n, int64_t token_base, int64_t now, int64_t visible_at);
/* The row of seq if it is in bucket: its token, visible_at, recv_at, recv_count. 1/0/-1. */
int sqs_store_msg_state(int64_t bucket, int64_t seq, int64_t *token, int64_t *visible_at, int64_t *recv_at, int *recv_count);
int sqs_store_msg_set_visible(int64_t seq, int64_t visible_at);
int sqs_store_msg_delete(int64_t bucket, int64_t seq); /* seq, a message of bucket */
/* Deletes seq if it is in bucket and its current receipt token is token (else nothing). 0/-1. */
int sqs_store_msg_delete_received(int64_t bucket, int64_t seq, int64_t token);
/* Copies seq (of bucket) into dest_bucket as new_seq (visible now, not received) and deletes the original.
 * Into a dead-letter queue (dlq_source set, new_msg_id NULL) the message keeps its id; into a
 * FIFO one its enqueue time restarts and its deduplication id becomes its message id. Redriven
 * by a move task (new_msg_id set) it is a new message: that id, sent now, deduplication id kept. */
int sqs_store_msg_move(int64_t bucket, int64_t seq, int64_t new_seq, int64_t dest_bucket, int64_t now, const char *dlq_source,
                       const char *new_msg_id, int dest_fifo);
/* Deletes up to limit of the messages sent before cutoff that are visible since before it
 * (found by the visibility index: every message becomes visible at or after it was sent);
 * one in flight or delayed past cutoff waits for a later sweep, and a receive drops an
 * expired message itself. Returns the count or -1. */
int sqs_store_expire(int64_t bucket, int64_t cutoff, int limit);
/* Counts at now: the bucket's total (counted once, then kept: see sqs_store.c) less those in flight
 * or delayed, found by the visibility index past now. */
int sqs_store_counts(int64_t bucket, int64_t now, int64_t *visible, int64_t *inflight, int64_t *delayed);
/* Smallest visible_at > now in the queue (0 if none). */
int64_t sqs_store_next_visible(int64_t bucket, int64_t now);

/* FIFO deduplication: the message id and sequence number recorded for key until expires. 1/0/-1. */
int sqs_store_dedup_find(int64_t queue_id, const char *key, int64_t now, char *msg_id, size_t idlen, char *seqnum, size_t seqlen);
int sqs_store_dedup_put(int64_t queue_id, const char *key, const char *msg_id, const char *seqnum, int64_t expires);
int sqs_store_dedup_sweep(int64_t now);

/* message move tasks */
int sqs_store_task_put(const sqs_store_task_t *t);
int sqs_store_tasks_load(void (*cb)(const sqs_store_task_t *t, void *arg), void *arg);

#endif
