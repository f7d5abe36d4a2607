/* sqs_api.h - SQS for other services in this process (Lambda's SQS event source
 * mappings). Same semantics as the SQS API: a receive makes messages in flight for
 * the visibility timeout, counts receives, moves over-received messages to the
 * dead-letter queue and honours FIFO group locks; nothing is deleted until
 * sqs_api_delete. Queues are named by ARN (arn:aws:sqs:REGION:ACCOUNT:NAME).
 *
 * Everything runs on the loop thread. Writes join the current loop turn's
 * transaction (committed by the host before replies go out), so call these from
 * a request handler, a timer or a wake callback, never from another thread.
 *
 * Typical poller:
 *     n = sqs_api_receive(arn, 10, -1, on_msg, ctx);   // 0 when empty
 *     if (n == 0) sqs_api_wait(arn, on_wake, ctx);      // on_wake(ctx) fires once when
 *                                                       // messages may be available
 *     ... invoke the function ...
 *     sqs_api_delete(arn, handle) for each success; failures simply become visible
 *     again after the visibility timeout (or sqs_api_change_visibility(arn, h, 0)). */
#ifndef AWSEMU_SQS_API_H
#define AWSEMU_SQS_API_H

#include <stddef.h>
#include <stdint.h>

/* One received message. Every pointer is valid only during the callback: copy what you keep. */
typedef struct {
    const char *message_id;
    const char *receipt_handle;
    const char *body;
    size_t body_len;
    const char *md5_of_body;
    const char *md5_of_attrs; /* NULL when the message has no attributes */
    /* MessageAttributes as a JSON object text in the SQS API shape, or NULL:
     * {"name":{"DataType":"String","StringValue":"v"}} or {"DataType":"Binary","BinaryValue":"<base64>"}.
     * (Lambda events use camelCase keys: stringValue, binaryValue, dataType, plus empty list values.) */
    const char *attrs_json;
    int64_t sent_ms;          /* SentTimestamp */
    int64_t first_receive_ms; /* ApproximateFirstReceiveTimestamp */
    int receive_count;        /* ApproximateReceiveCount, this receive included */
    const char *sender_id;
    const char *aws_trace_header; /* or NULL */
    const char *group_id;         /* FIFO (and fair standard queues), or NULL */
    const char *dedup_id;         /* FIFO, or NULL */
    const char *sequence_number;  /* FIFO, or NULL */
    const char *dlq_source_arn;   /* DeadLetterQueueSourceArn, or NULL */
} sqs_api_msg_t;

typedef void (*sqs_api_msg_cb)(const sqs_api_msg_t *m, void *arg);

/* 1 if the queue exists; fills *fifo and *visibility_timeout (seconds) when not NULL. */
int sqs_api_queue_info(const char *arn, int *fifo, int *visibility_timeout);

/* Receives up to max (1..10) messages now; visibility in seconds, -1 = the queue's.
 * Returns the number passed to cb (0 = none visible), -1 if the queue does not exist,
 * -2 on a storage error. */
int sqs_api_receive(const char *arn, int max, int visibility, sqs_api_msg_cb cb, void *arg);

/* Deletes by receipt handle (a stale handle of a re-received message is a no-op, as in
 * SQS). 0, -1 no such queue, -2 invalid receipt handle, -3 storage error, -4 a FIFO
 * message's visibility timeout has run out (its handle expired; nothing deleted). */
int sqs_api_delete(const char *arn, const char *receipt_handle);

/* ChangeMessageVisibility: 0, -1 no such queue, -2 invalid handle, -3 message gone or not
 * in flight, -4 beyond the 12-hour limit or storage error. seconds 0 makes it visible now. */
int sqs_api_change_visibility(const char *arn, const char *receipt_handle, int seconds);

/* SendMessage of body (len bytes) to a standard queue, with the queue's DelaySeconds: the
 * same validation, MD5 and wake-ups (parked long polls and sqs_api_wait callbacks, which may
 * run before this returns). SenderId is the queue's account. Fills message_id on success.
 * Returns 0; -1 no such queue; -2 invalid: a FIFO queue (this sends no MessageGroupId), an
 * empty body, characters SQS does not allow (NUL included), or longer than the queue's
 * MaximumMessageSize; -3 storage error. */
int sqs_api_send(const char *arn, const char *body, size_t len, char message_id[37]);
/* sqs_api_send with MessageAttributes: attrs_json a JSON object text in the SQS API shape (see sqs_api_msg_t), checked
 * as SendMessage checks them (-2 when refused), or NULL for none. */
int sqs_api_send_attrs(const char *arn, const char *body, size_t len, const char *attrs_json, char message_id[37]);

/* Registers a one-shot wake-up: wake(arg) is called once, from the loop, when messages
 * may have become available (a send, a visibility timeout or delay ending, a move) or the
 * queue was deleted (sqs_api_receive then returns -1). Never called synchronously from
 * sqs_api_wait. Returns 0, or -1 if the queue does not exist. */
int sqs_api_wait(const char *arn, void (*wake)(void *arg), void *arg);

/* Cancels the wake-ups registered with this arg on the queue (safe if none). */
void sqs_api_wait_cancel(const char *arn, void *arg);

#endif
