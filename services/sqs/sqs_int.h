/* sqs_int.h - what the SQS files share: the in-memory queue (a cache of its row,
 * rebuilt at open), small string maps, error records, and the functions each
 * file offers the others. Not for other services (they use sqs_api.h). */
#ifndef AWSEMU_SQS_INT_H
#define AWSEMU_SQS_INT_H

#include <stdint.h>

#include "../../storage/sqs_store.h"
#include "../service.h"
#include "../timer.h"

#define SQS_MAX_VISIBILITY 43200
#define SQS_MAX_WAIT 20
#define SQS_MAX_DELAY 900
#define SQS_MAX_BATCH 10
#define SQS_MAX_MESSAGE_SIZE 1048576
#define SQS_DEDUP_MS (5 * 60 * 1000)
#define SQS_PURGE_MS (60 * 1000)
#define SQS_DELETED_MS (60 * 1000) /* a deleted queue's name cannot be reused before */

/* The code and message of SQS's answer to a failure of its own (storage), as arguments of
 * call_error or sqs_fail. */
#define SQS_INTERNAL "InternalFailure", "The request processing has failed because of an unknown error."

/* An ordered map of strings (queue attributes, tags), heap-owned. */
typedef struct {
    char **k, **v;
    int n, cap;
} sqs_kv_t;

const char *sqs_kv_get(const sqs_kv_t *kv, const char *k);
void sqs_kv_set(sqs_kv_t *kv, const char *k, const char *v);
void sqs_kv_del(sqs_kv_t *kv, const char *k);
void sqs_kv_free(sqs_kv_t *kv);
void sqs_kv_write(jw_t *w, const sqs_kv_t *kv); /* as a JSON object */
char *sqs_kv_json(const sqs_kv_t *kv);          /* malloc'd JSON object text */
int sqs_kv_parse(sqs_kv_t *kv, const char *json);

typedef struct sqs_waiter sqs_waiter_t;

typedef struct sqs_queue {
    int64_t id;     /* its row; receipt handles and dedup records name it */
    int64_t bucket; /* what its messages' rows carry (sqs_store.h): a purge gives it a new one */
    char *account, *region, *name, *arn;
    int fifo;
    sqs_kv_t attrs; /* every settable attribute, as strings */
    sqs_kv_t tags;
    int64_t created, modified; /* seconds */
    int64_t purged_ms;
    /* parsed from attrs */
    int visibility, max_size, retention, delay, wait;
    int content_dedup, dedup_by_group;
    char *dlq_arn; /* RedrivePolicy target, or NULL */
    int max_receive;
    /* long polling */
    sqs_waiter_t *waiters, *waiters_tail;
    loop_timer_t timer;
    int dropping; /* its waiters are being told it is gone: none may park anew (sqs_api_wait) */
} sqs_queue_t;

/* An error for one call or one batch entry: AWS code and message (pool memory). */
typedef struct {
    const char *code, *msg;
    int sender_fault;
} sqs_err_t;

int sqs_fail(sqs_err_t *e, call_t *c, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int sqs_raise(call_t *c, const sqs_err_t *e); /* call_error from a record */

/* sqs.c: state */
extern const config_t *sqs_cfg;
int64_t sqs_next_seq(void);
uint64_t sqs_random(void);
/* Has the messages of dropped buckets deleted in the background (after PurgeQueue, DeleteQueue). */
void sqs_drop_kick(void);

/* sqs_queue.c: the queue registry */
sqs_queue_t *sqs_queue_find(const char *account, const char *region, const char *name);
sqs_queue_t *sqs_queue_by_arn(const char *arn);
sqs_queue_t *sqs_queue_by_id(int64_t id);
/* The queue named by c->in's QueueUrl, or NULL after raising QueueDoesNotExist. */
sqs_queue_t *sqs_queue_from_call(call_t *c);
char *sqs_queue_url(call_t *c, const sqs_queue_t *q);
int sqs_queue_count(void);
sqs_queue_t *sqs_queue_at(int i);
sqs_queue_t *sqs_queue_add(const sqs_store_queue_t *row); /* into memory */
void sqs_queues_free(void);
/* The registry as the queue rows are now (after a rolled-back write; see sqs_queue.c). */
void sqs_queues_resync(void);
/* Stores q's attrs, tags and modified time: CALL_DONE, or CALL_ERROR (InternalFailure raised, and
 * the registry back to the rows: sqs_queues_resync). */
int sqs_queue_save_or_fail(call_t *c, sqs_queue_t *q);
/* A page of queue URLs (MaxResults/NextToken from c->in) as member; sorts list. */
int sqs_write_url_page(call_t *c, sqs_queue_t **list, int n, const char *member);

/* sqs_attrs.c */
void sqs_attrs_defaults(sqs_kv_t *kv, int fifo);
void sqs_attrs_parse(sqs_queue_t *q);
/* Validates an Attributes input object for a new (q NULL) or existing queue. */
int sqs_attrs_check(call_t *c, const sqs_queue_t *q, const char *name, int fifo, yajl_val attrs);
/* A queue Policy (a JSON object) within SQS's quotas: 0, else OverLimit raised (CALL_ERROR). */
#define SQS_POLICY_MAX_BYTES 8192
#define SQS_POLICY_MAX_STATEMENTS 20
#define SQS_POLICY_MAX_ACTIONS 7
int sqs_policy_check(call_t *c, const char *policy);
void sqs_attrs_apply(sqs_kv_t *kv, int fifo, yajl_val attrs);
int sqs_attrs_differ(call_t *c, const sqs_queue_t *q, yajl_val attrs); /* raises QueueNameExists */

/* sqs_util.c: input helpers */
/* Integer member: 1 and *out when present, 0 absent, -1 present but not an integer. */
int sqs_in_int(yajl_val obj, const char *key, long long *out);
const char *sqs_in_text(yajl_val v);                /* a string or number value's text, else NULL */
void sqs_json_write(jw_t *w, yajl_val v);           /* re-encodes a yajl tree */
int sqs_utf8_valid_body(const char *s, size_t len); /* SQS's allowed characters */
/* The first character of s outside them (a malformed sequence: its first byte), or -1. */
int64_t sqs_utf8_bad_char(const char *s, size_t len);
int sqs_batch_check(call_t *c, yajl_val entries, const char *entry_name);
int sqs_parse_arn(const char *arn, char *region, size_t rl, char *account, size_t al, const char **name);

/* sqs_message.c: receipt handles, and settling one message (inside a write savepoint) */
enum { SQS_E_STORE = -1, SQS_E_HANDLE = -2, SQS_E_GONE = -3, SQS_E_TOO_LONG = -5, SQS_E_EXPIRED = -6 };
typedef struct {
    const char *body; /* NUL-terminated */
    yajl_val attrs, sys;
    long long delay;
    int has_delay;
    const char *group, *dedup;
} sqs_send_in_t;
typedef struct {
    char msg_id[40], md5_body[33], md5_attrs[33], md5_sys[33], seqnum[24];
    int has_attrs, has_sys, fifo;
} sqs_send_out_t;
/* SendMessage's work: validates, stores in its own write, wakes the queue's waiters.
 * 0, or -1 with e filled (code InternalFailure for a storage error). */
int sqs_msg_send(call_t *c, sqs_err_t *e, sqs_queue_t *q, const sqs_send_in_t *in, sqs_send_out_t *out);
int sqs_msg_delete(sqs_queue_t *q, const char *receipt);
int sqs_msg_change(sqs_queue_t *q, const char *receipt, long long seconds);
void sqs_receipt_make(int64_t queue_id, int64_t seq, int64_t token, char out[64]);
int sqs_receipt_parse(const char *h, int64_t *queue_id, int64_t *seq, int64_t *token);

/* sqs_receive.c: receiving and waiting */
typedef struct {
    int max;        /* 1..10 */
    int visibility; /* seconds, -1 = the queue's */
    const char *attempt_id;
} sqs_recv_opts_t;
typedef void (*sqs_recv_sink)(const sqs_store_msg_t *m, const char *receipt, void *arg);
/* Receives now: returns the number of messages given to sink, -1 on storage error. */
int sqs_receive_now(sqs_queue_t *q, const sqs_recv_opts_t *o, sqs_recv_sink sink, void *arg);
/* Messages may have become visible (send, visibility change, move): wake waiters, re-arm. */
void sqs_queue_changed(sqs_queue_t *q);
/* Detaches every waiter (queue deleted or service closing): calls answer, callbacks fire. */
void sqs_queue_drop_waiters(sqs_queue_t *q, int deleted);
/* One-shot wake-up callback for the in-process API. */
sqs_waiter_t *sqs_wait_callback(sqs_queue_t *q, void (*cb)(void *arg), void *arg);
void sqs_wait_cancel(sqs_queue_t *q, void *arg);
/* Moves a message to q's dead-letter queue now; 1 moved, 0 not possible, -1 error. */
int sqs_dlq_move(sqs_queue_t *q, int64_t seq);

/* sqs_fifo.c: ReceiveRequestAttemptId */
int sqs_fifo_replay(sqs_queue_t *q, const char *attempt_id, sqs_recv_sink sink, void *arg);
void sqs_fifo_record(sqs_queue_t *q, const char *attempt_id, int64_t seq, int64_t token);

/* sqs_dlq.c: move tasks */
int sqs_tasks_open(void);
void sqs_tasks_close(void);

/* operations */
int sqs_create_queue(call_t *c);
int sqs_get_queue_url(call_t *c);
int sqs_list_queues(call_t *c);
int sqs_delete_queue(call_t *c);
int sqs_purge_queue(call_t *c);
int sqs_tag_queue(call_t *c);
int sqs_untag_queue(call_t *c);
int sqs_list_queue_tags(call_t *c);
int sqs_get_queue_attributes(call_t *c);
int sqs_set_queue_attributes(call_t *c);
int sqs_send_message(call_t *c);
int sqs_send_message_batch(call_t *c);
int sqs_receive_message(call_t *c);
int sqs_delete_message(call_t *c);
int sqs_delete_message_batch(call_t *c);
int sqs_change_message_visibility(call_t *c);
int sqs_change_message_visibility_batch(call_t *c);
int sqs_list_dead_letter_source_queues(call_t *c);
int sqs_start_message_move_task(call_t *c);
int sqs_list_message_move_tasks(call_t *c);
int sqs_cancel_message_move_task(call_t *c);
int sqs_add_permission(call_t *c);
int sqs_remove_permission(call_t *c);

#endif
