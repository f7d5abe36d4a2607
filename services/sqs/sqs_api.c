/* sqs_api.c - the in-process SQS API for other services (see sqs_api.h): thin
 * wrappers over the same send, receive, delete and visibility code the SQS operations use. */
#include "sqs_api.h"

#include <stdio.h>
#include <string.h>

#include "../../protocol/ytree.h"
#include "../clock.h"
#include "sqs_int.h"

int sqs_api_queue_info(const char *arn, int *fifo, int *visibility_timeout)
{
    sqs_queue_t *q = sqs_queue_by_arn(arn);
    if (q == NULL)
        return 0;
    if (fifo)
        *fifo = q->fifo;
    if (visibility_timeout)
        *visibility_timeout = q->visibility;
    return 1;
}

typedef struct {
    sqs_api_msg_cb cb;
    void *arg;
    int fifo;
} api_sink_t;

static void api_sink(const sqs_store_msg_t *m, const char *receipt, void *arg)
{
    api_sink_t *s = arg;
    char seqnum[24];
    snprintf(seqnum, sizeof(seqnum), "%020lld", (long long)m->seq);
    sqs_api_msg_t out = {
        .message_id = m->msg_id,
        .receipt_handle = receipt,
        .body = m->body,
        .body_len = m->body_len,
        .md5_of_body = m->md5_body,
        .md5_of_attrs = m->md5_attrs,
        .attrs_json = m->attrs,
        .sent_ms = m->sent,
        .first_receive_ms = m->first_recv,
        .receive_count = m->recv_count,
        .sender_id = m->sender,
        .aws_trace_header = m->trace,
        .group_id = m->group_id,
        .dedup_id = m->dedup_id,
        .sequence_number = s->fifo ? seqnum : NULL,
        .dlq_source_arn = m->dlq_source,
    };
    s->cb(&out, s->arg);
}

int sqs_api_receive(const char *arn, int max, int visibility, sqs_api_msg_cb cb, void *arg)
{
    sqs_queue_t *q = sqs_queue_by_arn(arn);
    if (q == NULL)
        return -1;
    if (max < 1)
        max = 1;
    if (max > SQS_MAX_BATCH)
        max = SQS_MAX_BATCH;
    if (visibility > SQS_MAX_VISIBILITY)
        visibility = SQS_MAX_VISIBILITY;
    sqs_recv_opts_t o = {max, visibility < 0 ? -1 : visibility, NULL};
    api_sink_t s = {cb, arg, q->fifo};
    int n = sqs_receive_now(q, &o, api_sink, &s);
    return n < 0 ? -2 : n;
}

int sqs_api_delete(const char *arn, const char *receipt_handle)
{
    sqs_queue_t *q = sqs_queue_by_arn(arn);
    if (q == NULL)
        return -1;
    if (sqs_store_write_begin() != 0)
        return -3;
    int rc = sqs_msg_delete(q, receipt_handle ? receipt_handle : "");
    sqs_store_write_end(rc == 0);
    if (rc == 0 && q->fifo)
        sqs_queue_changed(q);
    return rc == 0 ? 0 : rc == SQS_E_HANDLE ? -2 : rc == SQS_E_EXPIRED ? -4 : -3;
}

int sqs_api_change_visibility(const char *arn, const char *receipt_handle, int seconds)
{
    sqs_queue_t *q = sqs_queue_by_arn(arn);
    if (q == NULL)
        return -1;
    if (seconds < 0)
        seconds = 0;
    if (sqs_store_write_begin() != 0)
        return -4;
    int rc = sqs_msg_change(q, receipt_handle ? receipt_handle : "", seconds);
    sqs_store_write_end(rc == 0);
    if (rc == 0)
        sqs_queue_changed(q);
    switch (rc) {
    case 0:
        return 0;
    case SQS_E_HANDLE:
        return -2;
    case SQS_E_GONE:
        return -3;
    default:
        return -4;
    }
}

int sqs_api_send(const char *arn, const char *body, size_t len, char message_id[37])
{
    return sqs_api_send_attrs(arn, body, len, NULL, message_id);
}

int sqs_api_send_attrs(const char *arn, const char *body, size_t len, const char *attrs_json, char message_id[37])
{
    sqs_queue_t *q = sqs_queue_by_arn(arn);
    if (q == NULL)
        return -1;
    char err[64];
    yajl_val attrs = attrs_json ? ytree_parse_text(attrs_json, err, sizeof(err)) : NULL;
    if (q->fifo || len == 0 || memchr(body, '\0', len) != NULL || (attrs_json && !attrs)) {
        yajl_tree_free(attrs);
        return -2;
    }
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    call_t c = {.pool = &pool, .account = q->account, .region = q->region};
    sqs_send_in_t in = {.body = call_strndup(&c, body, len), .attrs = attrs};
    sqs_send_out_t out;
    sqs_err_t e;
    int rc = sqs_msg_send(&c, &e, q, &in, &out);
    if (rc == 0)
        memcpy(message_id, out.msg_id, 37);
    else
        rc = strcmp(e.code, "InternalFailure") == 0 ? -3 : -2;
    h2o_mem_clear_pool(&pool);
    yajl_tree_free(attrs);
    return rc;
}

int sqs_api_wait(const char *arn, void (*wake)(void *arg), void *arg)
{
    sqs_queue_t *q = sqs_queue_by_arn(arn);
    if (q == NULL || q->dropping)
        return -1;
    sqs_wait_callback(q, wake, arg);
    return 0;
}

void sqs_api_wait_cancel(const char *arn, void *arg)
{
    sqs_queue_t *q = sqs_queue_by_arn(arn);
    if (q)
        sqs_wait_cancel(q, arg);
}
