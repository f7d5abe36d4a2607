/* sqs_receive.c - receiving: picking visible messages (standard or FIFO order),
 * moving over-received ones to the dead-letter queue, dropping expired ones,
 * writing ReceiveMessage's output, and long polling.
 *
 * A receive that finds nothing and may wait parks its call on the queue's
 * waiter list (CALL_PARKED). Waiters are woken, never polled: a send or a
 * visibility change calls sqs_queue_changed(); messages becoming visible later
 * (delay or visibility timeout running out) fire the queue's one timer, armed
 * at the earliest of the next visible_at and the earliest waiter deadline. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <h2o/memory.h>
#include <h2o/string_.h>

#include "../../protocol/ytree.h"
#include "../clock.h"
#include "../log.h"
#include "sqs_int.h"
#include "sqs_md5.h"

#define SQS_RECV_ROUNDS 8
#define SQS_NOTIFY_MAX 16

struct sqs_waiter {
    sqs_waiter_t *next, *prev;
    int64_t deadline;
    /* a parked ReceiveMessage */
    call_t *c;
    sqs_recv_opts_t opts;
    int got;
    /* or an in-process wake-up callback */
    void (*cb)(void *arg);
    void *arg;
};

/* Queues that received moved messages during a receive, notified after it commits its savepoint. */
static int64_t notify_ids[SQS_NOTIFY_MAX];
static int nnotify;

static void notify_later(sqs_queue_t *q)
{
    for (int i = 0; i < nnotify; i++)
        if (notify_ids[i] == q->id)
            return;
    if (nnotify < SQS_NOTIFY_MAX)
        notify_ids[nnotify++] = q->id;
}

static void notify_flush(void)
{
    while (nnotify > 0) {
        sqs_queue_t *q = sqs_queue_by_id(notify_ids[--nnotify]);
        if (q)
            sqs_queue_changed(q);
    }
}

int sqs_dlq_move(sqs_queue_t *q, int64_t seq)
{
    sqs_queue_t *dlq = q->dlq_arn ? sqs_queue_by_arn(q->dlq_arn) : NULL;
    if (dlq == NULL || dlq == q)
        return 0;
    if (sqs_store_msg_move(q->bucket, seq, sqs_next_seq(), dlq->bucket, clock_now_ms(), q->arn, NULL, dlq->fifo) != 0)
        return -1;
    notify_later(dlq);
    return 1;
}

typedef struct {
    sqs_queue_t *q;
    const sqs_recv_opts_t *o;
    sqs_recv_sink sink;
    void *arg;
} sink_ctx_t;

/* A received row: its receipt handle, the attempt record (FIFO), then the caller's sink. */
static void sink_row(const sqs_store_msg_t *m, void *arg)
{
    sink_ctx_t *s = arg;
    char receipt[64];
    sqs_receipt_make(s->q->id, m->seq, m->token, receipt);
    if (s->q->fifo && s->o->attempt_id != NULL)
        sqs_fifo_record(s->q, s->o->attempt_id, m->seq, m->token);
    s->sink(m, receipt, s->arg);
}

/* The candidate rows of one round, copied (their text lives in the pool). */
typedef struct {
    h2o_mem_pool_t *pool;
    sqs_store_msg_t rows[SQS_MAX_BATCH];
    int n;
} cands_t;

static const char *pool_dup(h2o_mem_pool_t *pool, const char *s)
{
    return s ? h2o_strdup(pool, s, SIZE_MAX).base : NULL;
}

static void keep_row(const sqs_store_msg_t *m, void *arg)
{
    cands_t *cs = arg;
    sqs_store_msg_t *r = &cs->rows[cs->n++];
    *r = *m;
    r->msg_id = pool_dup(cs->pool, m->msg_id);
    r->body = h2o_strdup(cs->pool, m->body ? m->body : "", m->body_len).base;
    r->attrs = pool_dup(cs->pool, m->attrs);
    r->md5_body = pool_dup(cs->pool, m->md5_body);
    r->md5_attrs = pool_dup(cs->pool, m->md5_attrs);
    r->trace = pool_dup(cs->pool, m->trace);
    r->md5_sys = pool_dup(cs->pool, m->md5_sys);
    r->sender = pool_dup(cs->pool, m->sender);
    r->group_id = pool_dup(cs->pool, m->group_id);
    r->dedup_id = pool_dup(cs->pool, m->dedup_id);
    r->dlq_source = pool_dup(cs->pool, m->dlq_source);
}

/* One candidate: dropped when expired, moved to the dead-letter queue when received too
 * often, else to be received: 1 to receive, 0 not, -1 storage error. */
static int take(sqs_queue_t *q, const sqs_store_msg_t *m, int64_t now)
{
    if (m->sent + (int64_t)q->retention * 1000 <= now)
        return sqs_store_msg_delete(q->bucket, m->seq) != 0 ? -1 : 0;
    if (q->max_receive > 0 && m->recv_count >= q->max_receive) {
        int moved = sqs_dlq_move(q, m->seq);
        if (moved != 0)
            return moved < 0 ? -1 : 0;
    }
    return 1;
}

/* Receives the candidates of one round that take() keeps, with one write (tokens
 * token_base + seq), then passes them to the sink. The count, or -1 on a storage error. */
static int receive_round(sqs_queue_t *q, cands_t *cs, int64_t now, int64_t visible_at, sink_ctx_t *s)
{
    int64_t token_base = (int64_t)(sqs_random() >> 2) | 1, seqs[SQS_MAX_BATCH];
    sqs_store_msg_t *keep[SQS_MAX_BATCH];
    int n = 0;
    for (int i = 0; i < cs->n; i++) {
        int r = take(q, &cs->rows[i], now);
        if (r < 0)
            return -1;
        if (r > 0) {
            keep[n] = &cs->rows[i];
            seqs[n++] = cs->rows[i].seq;
        }
    }
    if (n > 0 && sqs_store_msg_receive(seqs, n, token_base, now, visible_at) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        sqs_store_msg_t *m = keep[i];
        m->token = token_base + m->seq;
        m->recv_at = now;
        m->visible_at = visible_at;
        m->recv_count++;
        if (m->first_recv == 0)
            m->first_recv = now;
        sink_row(m, s);
    }
    return n;
}

int sqs_receive_now(sqs_queue_t *q, const sqs_recv_opts_t *o, sqs_recv_sink sink, void *arg)
{
    int64_t now = clock_now_ms();
    int vis = o->visibility >= 0 ? o->visibility : q->visibility;
    int got = 0, ok = 1;
    if (q->fifo && o->attempt_id != NULL) {
        int replayed = sqs_fifo_replay(q, o->attempt_id, sink, arg);
        if (replayed > 0)
            return replayed;
    }
    if (sqs_store_write_begin() != 0)
        return -1;
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    sink_ctx_t s = {q, o, sink, arg};
    for (int round = 0; ok && got < o->max && round < SQS_RECV_ROUNDS; round++) {
        int want = o->max - got;
        cands_t cs = {.pool = &pool};
        int n = sqs_store_candidates(q->bucket, q->fifo, now, want, keep_row, &cs);
        int taken = n < 0 ? -1 : receive_round(q, &cs, now, now + (int64_t)vis * 1000, &s);
        ok = taken >= 0;
        got += ok ? taken : 0;
        /* another round only when some candidates were dropped and more may follow; a zero
         * visibility leaves received messages visible, so it never takes a second round */
        if (!ok || n < want || taken == n || vis == 0)
            break;
    }
    h2o_mem_clear_pool(&pool);
    sqs_store_write_end(ok);
    notify_flush();
    return ok ? got : -1;
}

/* ---- ReceiveMessage output ---- */

typedef struct {
    call_t *c;
    yajl_val sys_names, sys_names2, attr_names;
    int started;
    int fifo;
} recv_out_t;

static int name_listed(yajl_val list, const char *name)
{
    for (size_t i = 0; list && i < list->u.array.len; i++) {
        const char *n = sqs_in_text(list->u.array.values[i]);
        if (n && (strcmp(n, name) == 0 || strcmp(n, "All") == 0))
            return 1;
    }
    return 0;
}

static int sys_wanted(const recv_out_t *r, const char *name)
{
    return name_listed(r->sys_names, name) || name_listed(r->sys_names2, name);
}

/* MessageAttributeNames: All, * or .* (every one), "prefix.*" (the names starting with
 * prefix: Hel.* takes Hello and Help.Me) or exact names; others match nothing. */
static int attr_wanted(const char *name, void *arg)
{
    yajl_val list = arg;
    for (size_t i = 0; list && i < list->u.array.len; i++) {
        const char *n = sqs_in_text(list->u.array.values[i]);
        if (n == NULL)
            continue;
        size_t len = strlen(n);
        if (strcmp(n, "All") == 0 || strcmp(n, "*") == 0 || strcmp(n, name) == 0)
            return 1;
        if (len >= 2 && strcmp(n + len - 2, ".*") == 0 && strncmp(name, n, len - 2) == 0)
            return 1;
    }
    return 0;
}

static void write_attrs(recv_out_t *r, const sqs_store_msg_t *m)
{
    jw_t *w = &r->c->out;
    char buf[32];
    jw_key(w, "Attributes");
    jw_obj(w);
    if (sys_wanted(r, "SenderId"))
        jw_kstr(w, "SenderId", m->sender ? m->sender : r->c->account);
    if (sys_wanted(r, "SentTimestamp"))
        jw_kstr(w, "SentTimestamp", (snprintf(buf, sizeof(buf), "%lld", (long long)m->sent), buf));
    if (sys_wanted(r, "ApproximateReceiveCount"))
        jw_kstr(w, "ApproximateReceiveCount", (snprintf(buf, sizeof(buf), "%d", m->recv_count), buf));
    if (sys_wanted(r, "ApproximateFirstReceiveTimestamp"))
        jw_kstr(w, "ApproximateFirstReceiveTimestamp", (snprintf(buf, sizeof(buf), "%lld", (long long)m->first_recv), buf));
    if (m->trace && sys_wanted(r, "AWSTraceHeader"))
        jw_kstr(w, "AWSTraceHeader", m->trace);
    if (r->fifo && sys_wanted(r, "SequenceNumber"))
        jw_kstr(w, "SequenceNumber", (snprintf(buf, sizeof(buf), "%020lld", (long long)m->seq), buf));
    if (m->group_id && sys_wanted(r, "MessageGroupId"))
        jw_kstr(w, "MessageGroupId", m->group_id);
    if (m->dedup_id && sys_wanted(r, "MessageDeduplicationId"))
        jw_kstr(w, "MessageDeduplicationId", m->dedup_id);
    if (m->dlq_source && sys_wanted(r, "DeadLetterQueueSourceArn"))
        jw_kstr(w, "DeadLetterQueueSourceArn", m->dlq_source);
    jw_end(w);
}

static void write_message_attrs(recv_out_t *r, const sqs_store_msg_t *m)
{
    jw_t *w = &r->c->out;
    if (m->attrs == NULL) {
        return;
    }
    yajl_val all = NULL;
    int nsel = 0;
    char md5[33];
    if (r->attr_names) {
        char eb[64];
        all = ytree_parse_text(m->attrs, eb, sizeof(eb));
        for (size_t i = 0; YAJL_IS_OBJECT(all) && i < all->u.object.len; i++)
            nsel += attr_wanted(all->u.object.keys[i], r->attr_names);
    }
    if (nsel == 0) { /* no attributes returned: no MD5 either */
        yajl_tree_free(all);
        return;
    }
    if ((size_t)nsel < all->u.object.len && sqs_md5_attrs(all, attr_wanted, r->attr_names, md5) == 0)
        jw_kstr(w, "MD5OfMessageAttributes", md5);
    else if (m->md5_attrs)
        jw_kstr(w, "MD5OfMessageAttributes", m->md5_attrs);
    jw_key(w, "MessageAttributes");
    jw_obj(w);
    for (size_t i = 0; i < all->u.object.len; i++)
        if (attr_wanted(all->u.object.keys[i], r->attr_names)) {
            jw_key(w, all->u.object.keys[i]);
            sqs_json_write(w, all->u.object.values[i]);
        }
    jw_end(w);
    yajl_tree_free(all);
}

static void recv_sink(const sqs_store_msg_t *m, const char *receipt, void *arg)
{
    recv_out_t *r = arg;
    jw_t *w = &r->c->out;
    if (!r->started) {
        jw_obj(w);
        jw_key(w, "Messages");
        jw_arr(w);
        r->started = 1;
    }
    jw_obj(w);
    jw_kstr(w, "MessageId", m->msg_id);
    jw_kstr(w, "ReceiptHandle", receipt);
    jw_kstr(w, "MD5OfBody", m->md5_body);
    jw_key(w, "Body");
    jw_strn(w, m->body, m->body_len);
    if (r->sys_names || r->sys_names2)
        write_attrs(r, m);
    write_message_attrs(r, m);
    jw_end(w);
}

static void recv_out_init(recv_out_t *r, call_t *c, const sqs_queue_t *q)
{
    memset(r, 0, sizeof(*r));
    r->c = c;
    r->sys_names = in_arr(c->in, "AttributeNames");
    r->sys_names2 = in_arr(c->in, "MessageSystemAttributeNames");
    r->attr_names = in_arr(c->in, "MessageAttributeNames");
    r->fifo = q->fifo;
}

static void recv_out_end(recv_out_t *r)
{
    if (r->started) {
        jw_aend(&r->c->out);
        jw_end(&r->c->out);
    }
}

/* ---- waiters ---- */

static void waiter_unlink(sqs_queue_t *q, sqs_waiter_t *wt)
{
    if (wt->prev)
        wt->prev->next = wt->next;
    else
        q->waiters = wt->next;
    if (wt->next)
        wt->next->prev = wt->prev;
    else
        q->waiters_tail = wt->prev;
    wt->next = wt->prev = NULL;
}

static void waiter_link(sqs_queue_t *q, sqs_waiter_t *wt)
{
    wt->prev = q->waiters_tail;
    wt->next = NULL;
    if (q->waiters_tail)
        q->waiters_tail->next = wt;
    else
        q->waiters = wt;
    q->waiters_tail = wt;
}

static void queue_timer_cb(loop_timer_t *t);

static void queue_arm(sqs_queue_t *q)
{
    if (q->waiters == NULL) {
        timer_stop(&q->timer);
        return;
    }
    int64_t now = clock_now_ms(), at = INT64_MAX;
    for (sqs_waiter_t *wt = q->waiters; wt; wt = wt->next)
        if (wt->deadline < at)
            at = wt->deadline;
    int64_t next = sqs_store_next_visible(q->bucket, now);
    if (next > 0 && next < at)
        at = next;
    if (at == INT64_MAX) {
        timer_stop(&q->timer);
        return;
    }
    if (q->timer.cb == NULL)
        timer_init(&q->timer, queue_timer_cb, q);
    timer_start(&q->timer, at);
}

/* Answers a parked receive (its output is complete). */
static void waiter_answer(sqs_waiter_t *wt, recv_out_t *r)
{
    recv_out_end(r);
    call_finish(wt->c, CALL_DONE);
}

/* Tries every waiter in arrival order; stops at the first that finds nothing. */
static void queue_kick(sqs_queue_t *q)
{
    int64_t now = clock_now_ms();
    sqs_waiter_t *wt = q->waiters, *callbacks = NULL;
    while (wt) {
        sqs_waiter_t *next = wt->next;
        if (wt->c == NULL) { /* in-process callback: collect, fire after the loop */
            waiter_unlink(q, wt);
            wt->next = callbacks;
            callbacks = wt;
        } else if (call_client_gone(wt->c)) {
            waiter_unlink(q, wt);
            call_finish(wt->c, CALL_DONE); /* nobody listens; nothing was taken for it */
        } else {
            recv_out_t r;
            recv_out_init(&r, wt->c, q);
            int got = sqs_receive_now(q, &wt->opts, recv_sink, &r);
            if (got != 0 || wt->deadline <= now) {
                waiter_unlink(q, wt);
                if (got < 0) {
                    call_error(wt->c, SQS_INTERNAL);
                    call_finish(wt->c, CALL_ERROR);
                } else {
                    waiter_answer(wt, &r);
                }
            } else {
                /* nothing for it: the waiters after it would find nothing either, except expired ones */
                for (sqs_waiter_t *x = next; x; x = next) {
                    next = x->next;
                    if (x->c && x->deadline <= now) {
                        waiter_unlink(q, x);
                        call_finish(x->c, CALL_DONE);
                    } else if (x->c == NULL) {
                        waiter_unlink(q, x);
                        x->next = callbacks;
                        callbacks = x;
                    }
                }
                break;
            }
        }
        wt = next;
    }
    queue_arm(q);
    while (callbacks) {
        sqs_waiter_t *x = callbacks;
        callbacks = x->next;
        void (*cb)(void *) = x->cb;
        void *arg = x->arg;
        free(x);
        cb(arg);
    }
}

static void queue_timer_cb(loop_timer_t *t)
{
    queue_kick(t->data);
}

void sqs_queue_changed(sqs_queue_t *q)
{
    if (q->waiters)
        queue_kick(q);
}

void sqs_queue_drop_waiters(sqs_queue_t *q, int deleted)
{
    /* A callback may poll again at once (Lambda's poller of this queue): were it to park on the
     * queue, this loop would never end (DeleteQueue of a mapping's source spun forever). */
    q->dropping = deleted;
    timer_stop(&q->timer);
    while (q->waiters) {
        sqs_waiter_t *wt = q->waiters;
        waiter_unlink(q, wt);
        if (wt->c) {
            if (deleted) {
                jw_reset(&wt->c->out);
                call_error(wt->c, "QueueDoesNotExist", "The specified queue does not exist.");
            }
            call_finish(wt->c, deleted ? CALL_ERROR : CALL_DONE);
        } else {
            void (*cb)(void *) = wt->cb;
            void *arg = wt->arg;
            free(wt);
            if (deleted)
                cb(arg);
        }
    }
}

sqs_waiter_t *sqs_wait_callback(sqs_queue_t *q, void (*cb)(void *arg), void *arg)
{
    sqs_waiter_t *wt = calloc(1, sizeof(*wt));
    wt->deadline = INT64_MAX;
    wt->cb = cb;
    wt->arg = arg;
    waiter_link(q, wt);
    queue_arm(q);
    return wt;
}

void sqs_wait_cancel(sqs_queue_t *q, void *arg)
{
    for (sqs_waiter_t *wt = q->waiters, *next; wt; wt = next) {
        next = wt->next;
        if (wt->c == NULL && wt->arg == arg) {
            waiter_unlink(q, wt);
            free(wt);
        }
    }
    queue_arm(q);
}

/* ---- ReceiveMessage ---- */

static int param_range(call_t *c, const char *name, long long *out, long long def, long long lo, long long hi, const char *reason)
{
    int has = sqs_in_int(c->in, name, out);
    if (has == 0)
        *out = def;
    else if (has < 0 || *out < lo || *out > hi) {
        const char *t = sqs_in_text(in_get(c->in, name));
        return call_error(c, "InvalidParameterValue", "Value %s for parameter %s is invalid. Reason: %s", t ? t : "", name, reason);
    }
    return 0;
}

int sqs_receive_message(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    long long max, vis, wait;
    if (param_range(c, "MaxNumberOfMessages", &max, 1, 1, SQS_MAX_BATCH, "Must be between 1 and 10, if provided.") ||
        param_range(c, "VisibilityTimeout", &vis, -1, 0, SQS_MAX_VISIBILITY, "Must be >= 0 and <= 43200, if provided.") ||
        param_range(c, "WaitTimeSeconds", &wait, q->wait, 0, SQS_MAX_WAIT, "Must be >= 0 and <= 20, if provided."))
        return CALL_ERROR;
    const char *attempt = in_str(c->in, "ReceiveRequestAttemptId");
    if (attempt && (strlen(attempt) > 128 || *attempt == '\0'))
        return call_error(c, "InvalidParameterValue",
                          "Value %s for parameter ReceiveRequestAttemptId is invalid. Reason: ReceiveRequestAttemptId can only "
                          "include alphanumeric and punctuation characters. 1 to 128 in length.",
                          attempt);
    sqs_recv_opts_t opts = {(int)max, (int)vis, attempt};
    recv_out_t r;
    recv_out_init(&r, c, q);
    int got = sqs_receive_now(q, &opts, recv_sink, &r);
    if (got < 0)
        return call_error(c, SQS_INTERNAL);
    if (got > 0 || wait == 0) {
        recv_out_end(&r);
        return CALL_DONE;
    }
    sqs_waiter_t *wt = call_alloc(c, sizeof(*wt));
    wt->c = c;
    wt->opts = opts;
    wt->deadline = clock_now_ms() + wait * 1000;
    waiter_link(q, wt);
    queue_arm(q);
    return CALL_PARKED;
}
