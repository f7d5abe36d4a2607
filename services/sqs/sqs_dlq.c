/* sqs_dlq.c - dead-letter queue operations: ListDeadLetterSourceQueues and the
 * message move tasks (StartMessageMoveTask, ListMessageMoveTasks,
 * CancelMessageMoveTask). A running task moves messages in small steps on a
 * loop timer (never blocking the loop), persisting its progress, and resumes
 * after a restart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/base64.h"
#include "../../protocol/ids.h"
#include "../../protocol/ytree.h"
#include "../clock.h"
#include "sqs_int.h"

#define TASK_STEP 10      /* messages per step */
#define TASK_MAX_RATE 500 /* MaxNumberOfMessagesPerSecond */

typedef struct sqs_task {
    struct sqs_task *next;
    char *handle, *source_arn, *dest_arn, *status, *failure;
    int rate;
    int64_t moved, to_move, started;
    loop_timer_t timer;
} sqs_task_t;

static sqs_task_t *tasks; /* newest first */

int sqs_list_dead_letter_source_queues(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    int n = 0, total = sqs_queue_count();
    sqs_queue_t **list = call_alloc(c, sizeof(*list) * (size_t)(total + 1));
    for (int i = 0; i < total; i++) {
        sqs_queue_t *s = sqs_queue_at(i);
        if (s->dlq_arn && strcmp(s->dlq_arn, q->arn) == 0)
            list[n++] = s;
    }
    return sqs_write_url_page(c, list, n, "queueUrls");
}

/* ---- tasks ---- */

static void set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = s ? strdup(s) : NULL;
}

static int task_save(const sqs_task_t *t)
{
    sqs_store_task_t row = {t->handle, t->source_arn, t->dest_arn, t->status, t->failure,
                            t->rate,   t->moved,      t->to_move,  t->started};
    if (sqs_store_write_begin() != 0)
        return -1;
    int ok = sqs_store_task_put(&row) == 0;
    sqs_store_write_end(ok);
    return ok ? 0 : -1;
}

static void task_finish(sqs_task_t *t, const char *status, const char *failure)
{
    timer_stop(&t->timer);
    set_str(&t->status, status);
    set_str(&t->failure, failure);
    task_save(t);
}

/* The messages a task step moves: their seq and DeadLetterQueueSourceArn (strdup'ed). */
typedef struct {
    int64_t seq[TASK_STEP];
    char *dlq_source[TASK_STEP];
    int n;
} src_rows_t;

static void read_source(const sqs_store_msg_t *m, void *arg)
{
    src_rows_t *s = arg;
    s->seq[s->n] = m->seq;
    s->dlq_source[s->n++] = m->dlq_source ? strdup(m->dlq_source) : NULL;
}

/* SQS redrives a message as a new one: a new MessageId, enqueued now (its retention starts over). */
static int redrive(const sqs_queue_t *src, int64_t seq, const sqs_queue_t *dest, int64_t now)
{
    char id[37];
    ids_uuid(id);
    return sqs_store_msg_move(src->bucket, seq, sqs_next_seq(), dest->bucket, now, NULL, id, dest->fifo);
}

/* Moves up to n visible messages; returns the number moved, or -1 after failing the task. */
static int task_move(sqs_task_t *t, sqs_queue_t *src, int n)
{
    src_rows_t rows = {.n = 0};
    int64_t now = clock_now_ms();
    int k = sqs_store_candidates(src->bucket, src->fifo, now, n, read_source, &rows), moved = 0;
    const char *fail = NULL;
    if (k < 0 || sqs_store_write_begin() != 0) {
        for (int i = 0; i < rows.n; i++)
            free(rows.dlq_source[i]);
        return -1;
    }
    for (int i = 0; i < rows.n; i++) {
        sqs_queue_t *dest = sqs_queue_by_arn(t->dest_arn ? t->dest_arn : rows.dlq_source[i]);
        free(rows.dlq_source[i]);
        if (fail)
            continue;
        if (dest == NULL)
            fail = "AWS.SimpleQueueService.NonExistentQueue";
        else if (redrive(src, rows.seq[i], dest, now) != 0)
            fail = "InternalFailure";
        else {
            moved++;
            sqs_queue_changed(dest);
        }
    }
    sqs_store_write_end(1);
    t->moved += moved;
    if (fail) {
        task_finish(t, "FAILED", fail);
        return -1;
    }
    return moved;
}

static void task_step(loop_timer_t *timer)
{
    sqs_task_t *t = timer->data;
    sqs_queue_t *src = sqs_queue_by_arn(t->source_arn);
    if (src == NULL) {
        task_finish(t, "FAILED", "AWS.SimpleQueueService.NonExistentQueue");
        return;
    }
    int n = t->rate > 0 && t->rate < TASK_STEP ? t->rate : TASK_STEP;
    int moved = task_move(t, src, n);
    if (moved < 0)
        return;
    if (moved == 0) {
        task_finish(t, "COMPLETED", NULL);
        return;
    }
    task_save(t);
    int64_t pause = t->rate > 0 ? (int64_t)moved * 1000 / t->rate : 1;
    timer_start(&t->timer, clock_now_ms() + pause);
}

static sqs_task_t *task_add(const sqs_store_task_t *row)
{
    sqs_task_t *t = calloc(1, sizeof(*t));
    set_str(&t->handle, row->handle);
    set_str(&t->source_arn, row->source_arn);
    set_str(&t->dest_arn, row->dest_arn);
    set_str(&t->status, row->status);
    set_str(&t->failure, row->failure);
    t->rate = row->rate;
    t->moved = row->moved;
    t->to_move = row->to_move;
    t->started = row->started;
    timer_init(&t->timer, task_step, t);
    t->next = tasks;
    tasks = t;
    if (strcmp(t->status, "RUNNING") == 0)
        timer_start(&t->timer, clock_now_ms());
    return t;
}

static void load_task(const sqs_store_task_t *row, void *arg)
{
    task_add(row);
}

int sqs_tasks_open(void)
{
    return sqs_store_tasks_load(load_task, NULL);
}

void sqs_tasks_close(void)
{
    while (tasks) {
        sqs_task_t *t = tasks;
        tasks = t->next;
        timer_stop(&t->timer);
        free(t->handle);
        free(t->source_arn);
        free(t->dest_arn);
        free(t->status);
        free(t->failure);
        free(t);
    }
}

/* The source queue of a task request, or NULL after raising AWS's error. */
static sqs_queue_t *task_source(call_t *c, const char *arn)
{
    char region[64], account[64];
    const char *name;
    if (sqs_parse_arn(arn, region, sizeof(region), account, sizeof(account), &name) != 0) {
        call_error(c, "InvalidParameterValue",
                   "You must use this format to specify the SourceArn: arn:<partition>:<service>:<region>:<account-id>:"
                   "<resource-id>");
        return NULL;
    }
    sqs_queue_t *q = sqs_queue_by_arn(arn);
    if (q == NULL)
        call_error(c, "ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist.");
    return q;
}

static int is_dlq(const sqs_queue_t *q)
{
    for (int i = 0; i < sqs_queue_count(); i++) {
        const sqs_queue_t *s = sqs_queue_at(i);
        if (s->dlq_arn && strcmp(s->dlq_arn, q->arn) == 0)
            return 1;
    }
    return 0;
}

int sqs_start_message_move_task(call_t *c)
{
    const char *src_arn = in_str(c->in, "SourceArn"), *dest_arn = in_str(c->in, "DestinationArn");
    sqs_queue_t *src = task_source(c, src_arn);
    if (src == NULL)
        return CALL_ERROR;
    if (!is_dlq(src))
        return call_error(c, "InvalidParameterValue", "Source queue must be configured as a Dead Letter Queue.");
    sqs_queue_t *dest = dest_arn ? sqs_queue_by_arn(dest_arn) : NULL;
    if (dest_arn && dest == NULL)
        return call_error(c, "ResourceNotFoundException",
                          "The resource that you specified for the DestinationArn parameter doesn't exist.");
    if (dest && dest->fifo != src->fifo) /* AWS's text for this is not on record */
        return call_error(c, "InvalidParameterValue", "The source queue and the destination queue must be of the same type.");
    long long rate = 0;
    int has_rate = sqs_in_int(c->in, "MaxNumberOfMessagesPerSecond", &rate);
    if (has_rate < 0 || (has_rate && (rate < 1 || rate > TASK_MAX_RATE)))
        return call_error(c, "InvalidParameterValue",
                          "Value %lld for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500.",
                          rate);
    for (sqs_task_t *t = tasks; t; t = t->next)
        if (strcmp(t->source_arn, src->arn) == 0 && strcmp(t->status, "RUNNING") == 0)
            return call_error(c, "InvalidParameterValue",
                              "There is already a task running. Only one active task is allowed for a source queue arn at a "
                              "given time.");
    int64_t visible = 0, inflight = 0, delayed = 0, now = clock_now_ms();
    sqs_store_counts(src->bucket, now, &visible, &inflight, &delayed);
    char id[37];
    ids_uuid(id);
    char *raw = call_sprintf(c, "{\"taskId\":\"%s\",\"sourceArn\":\"%s\"}", id, src->arn);
    char *handle = call_alloc(c, base64_encoded_len(strlen(raw)) + 1);
    base64_encode(raw, strlen(raw), handle);
    sqs_store_task_t row = {handle, src->arn, dest_arn, "RUNNING", NULL, (int)rate, 0, visible, now};
    sqs_task_t *t = task_add(&row);
    if (task_save(t) != 0)
        return call_error(c, SQS_INTERNAL);
    jw_obj(&c->out);
    jw_kstr(&c->out, "TaskHandle", handle);
    jw_end(&c->out);
    return CALL_DONE;
}

int sqs_list_message_move_tasks(call_t *c)
{
    const char *src_arn = in_str(c->in, "SourceArn");
    if (task_source(c, src_arn) == NULL)
        return CALL_ERROR;
    long long max = 1;
    int has = sqs_in_int(c->in, "MaxResults", &max);
    if (has < 0 || (has && (max < 1 || max > 10)))
        return call_error(
            c, "InvalidParameterValue",
            "Value %lld for parameter MaxResults is invalid. Reason: You must enter a number that's between 1 and 10.", max);
    jw_t *w = &c->out;
    jw_obj(w);
    jw_key(w, "Results");
    jw_arr(w);
    int n = 0;
    for (sqs_task_t *t = tasks; t && n < max; t = t->next) {
        if (strcmp(t->source_arn, src_arn) != 0)
            continue;
        n++;
        jw_obj(w);
        if (strcmp(t->status, "RUNNING") == 0)
            jw_kstr(w, "TaskHandle", t->handle);
        jw_kstr(w, "Status", t->status);
        jw_kstr(w, "SourceArn", t->source_arn);
        if (t->dest_arn)
            jw_kstr(w, "DestinationArn", t->dest_arn);
        if (t->rate > 0)
            jw_kint(w, "MaxNumberOfMessagesPerSecond", t->rate);
        jw_kint(w, "ApproximateNumberOfMessagesMoved", t->moved);
        jw_kint(w, "ApproximateNumberOfMessagesToMove", t->to_move);
        if (t->failure)
            jw_kstr(w, "FailureReason", t->failure);
        jw_kint(w, "StartedTimestamp", t->started);
        jw_end(w);
    }
    jw_aend(w);
    jw_end(w);
    return CALL_DONE;
}

/* The error for a handle naming no task: not one of ours (not base64 JSON with a taskId and
 * sourceArn), its source queue gone, or no such task. */
static int unknown_task(call_t *c, const char *handle)
{
    size_t len = handle ? strlen(handle) : 0;
    unsigned char *raw = call_alloc(c, len + 4);
    long n = len ? base64_decode(handle, len, raw) : -1;
    char eb[64];
    yajl_val v = NULL;
    if (n >= 0) {
        raw[n] = '\0';
        v = ytree_parse_text((char *)raw, eb, sizeof(eb));
    }
    const char *src = in_str(v, "sourceArn");
    if (in_str(v, "taskId") == NULL || src == NULL)
        call_error(c, "InvalidParameterValue", "Value for parameter TaskHandle is invalid.");
    else if (task_source(c, src) != NULL)
        call_error(c, "ResourceNotFoundException", "Task does not exist.");
    yajl_tree_free(v);
    return CALL_ERROR;
}

int sqs_cancel_message_move_task(call_t *c)
{
    const char *handle = in_str(c->in, "TaskHandle");
    sqs_task_t *t = tasks;
    while (t && handle && strcmp(t->handle, handle) != 0)
        t = t->next;
    if (t == NULL || handle == NULL)
        return unknown_task(c, handle);
    if (strcmp(t->status, "RUNNING") != 0)
        return call_error(c, "InvalidParameterValue", "Only active tasks can be cancelled.");
    task_finish(t, "CANCELLED", NULL);
    jw_obj(&c->out);
    jw_kint(&c->out, "ApproximateNumberOfMessagesMoved", t->moved);
    jw_end(&c->out);
    return CALL_DONE;
}
