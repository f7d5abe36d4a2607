/* sqs_fifo.c - FIFO ReceiveRequestAttemptId: a retried receive with the same attempt
 * id within 5 minutes gets the same messages and receipt handles back, as long as
 * they are still in flight under those handles. Kept in memory (a small table
 * with oldest-first replacement); after a restart a retry simply receives anew. */
#include <string.h>

#include "../clock.h"
#include "sqs_int.h"

#define ATTEMPT_SLOTS 64
#define ATTEMPT_MS (5 * 60 * 1000)

typedef struct {
    int64_t queue_id, expires;
    char id[129];
    int n;
    int64_t seq[SQS_MAX_BATCH], token[SQS_MAX_BATCH];
} attempt_t;

static attempt_t attempts[ATTEMPT_SLOTS];

static attempt_t *find(int64_t queue_id, const char *id)
{
    int64_t now = clock_now_ms();
    for (int i = 0; i < ATTEMPT_SLOTS; i++)
        if (attempts[i].queue_id == queue_id && attempts[i].expires > now && strcmp(attempts[i].id, id) == 0)
            return &attempts[i];
    return NULL;
}

typedef struct {
    sqs_recv_sink sink;
    void *arg;
    const char *receipt;
} replay_ctx_t;

static void replay_row(const sqs_store_msg_t *m, void *arg)
{
    replay_ctx_t *r = arg;
    r->sink(m, r->receipt, r->arg);
}

int sqs_fifo_replay(sqs_queue_t *q, const char *attempt_id, sqs_recv_sink sink, void *arg)
{
    attempt_t *a = find(q->id, attempt_id);
    if (a == NULL || a->n == 0)
        return 0;
    int64_t now = clock_now_ms();
    for (int i = 0; i < a->n; i++) { /* all still in flight under the same handles, or a fresh receive */
        int64_t token, visible_at, recv_at;
        int count;
        if (sqs_store_msg_state(q->bucket, a->seq[i], &token, &visible_at, &recv_at, &count) != 1 || token != a->token[i] ||
            visible_at <= now)
            return 0;
    }
    for (int i = 0; i < a->n; i++) {
        char receipt[64];
        sqs_receipt_make(q->id, a->seq[i], a->token[i], receipt);
        replay_ctx_t r = {sink, arg, receipt};
        sqs_store_msg_get(a->seq[i], replay_row, &r);
    }
    return a->n;
}

void sqs_fifo_record(sqs_queue_t *q, const char *attempt_id, int64_t seq, int64_t token)
{
    attempt_t *a = find(q->id, attempt_id);
    if (a == NULL) {
        a = &attempts[0];
        for (int i = 1; i < ATTEMPT_SLOTS; i++)
            if (attempts[i].expires < a->expires)
                a = &attempts[i];
        memset(a, 0, sizeof(*a));
        a->queue_id = q->id;
        a->expires = clock_now_ms() + ATTEMPT_MS;
        strncpy(a->id, attempt_id, sizeof(a->id) - 1);
    }
    if (a->n < SQS_MAX_BATCH) {
        a->seq[a->n] = seq;
        a->token[a->n++] = token;
    }
}
