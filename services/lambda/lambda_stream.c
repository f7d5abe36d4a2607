/* lambda_stream.c - InvokeWithResponseStream: the function's result as an event stream
 * (application/vnd.amazon.eventstream, protocol/eventstream.c), a PayloadChunk event for each piece
 * its runtime streams (split at 1 MB), sent as it comes, then an InvokeComplete event (ErrorCode and
 * ErrorDetails after a function error, LogResult with LogType Tail). The answer's headers go out when
 * the runtime starts its stream (Content-Type: the stream's); a handler that does not stream answers
 * at its end, its result as one streamed piece. Errors before the function runs (not found, throttled,
 * a bad payload) are Invoke's, and a DryRun answers 204. */
#include <string.h>

#include "../../protocol/eventstream.h"
#include "../../protocol/ytree.h"
#include "lambda_internal.h"

/* One event into the call's stream, encoded in a pool of its own (a long stream must not grow the call's). */
static void send_event(call_t *c, const char *type, const char *content_type, const void *payload, size_t len)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    h2o_iovec_t ev = eventstream_event(&pool, type, content_type, payload, len);
    call_stream_send(c, ev.base, ev.len);
    h2o_mem_clear_pool(&pool);
}

static void client_gone(void *data)
{
    ((lambda_inv_t *)data)->data = NULL;
}

static void start(lambda_inv_t *inv, const char *content_type)
{
    call_t *c = inv->data;
    jw_obj(&c->out);
    jw_kint(&c->out, "StatusCode", 200);
    jw_kstr(&c->out, "ExecutedVersion", inv->version);
    jw_end(&c->out);
    c->out_payload = h2o_iovec_init("", 0);
    c->out_content_type = call_strdup(c, content_type);
    call_stream_start(c, client_gone, inv);
}

/* The most a PayloadChunk carries: what a runtime hands on at once can be tens of MB, and an event-stream reader
 * refuses a message past its limit (botocore's is 24 MB), ending the stream for its caller. */
#define CHUNK_MAX (1 << 20)

static void chunk(lambda_inv_t *inv, const char *bytes, size_t len)
{
    for (size_t n; inv->data && len; bytes += n, len -= n) {
        n = len < CHUNK_MAX ? len : CHUNK_MAX;
        send_event(inv->data, "PayloadChunk", "application/octet-stream", bytes, n);
    }
}

static const lambda_stream_sink_t sink = {start, chunk};

/* InvokeComplete: {} when the function succeeded, else its error's type and message. */
static void complete(call_t *c, lambda_inv_t *inv)
{
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    if (inv->status != LAMBDA_INV_OK) { /* as UTF-8: a runtime's error may be any bytes */
        char err[64];
        yajl_val v = ytree_parse_text(inv->result, err, sizeof(err));
        const char *type = in_str(v, "errorType"), *msg = in_str(v, "errorMessage");
        jw_kstr(&w, "ErrorCode", lambda_utf8_clean(c->pool, type ? type : "Unhandled"));
        jw_kstr(&w, "ErrorDetails", lambda_utf8_clean(c->pool, msg ? msg : inv->result));
        yajl_tree_free(v);
    }
    if (inv->tail)
        jw_kstr(&w, "LogResult", lambda_log_result(c, inv));
    jw_end(&w);
    send_event(c, "InvokeComplete", "application/json", w.buf, w.len);
    jw_free(&w);
}

/* An invocation that fails before Invoke has parked its call leaves its error here (c->svc_data). */
static int failed_early;

static void done(lambda_inv_t *inv)
{
    call_t *c = inv->data;
    if (c && inv->status == LAMBDA_INV_NOT_RUN) {
        call_error(c, strncmp(inv->result, "Function not found", 18) == 0 ? "ResourceNotFoundException" : "ServiceException", "%s",
                   inv->result);
        if (c->svc_data == inv)
            call_finish(c, CALL_ERROR);
        else
            c->svc_data = &failed_early;
    } else if (c) {
        if (!inv->streamed) { /* a handler that does not stream: its result in one chunk */
            start(inv, "application/json");
            if (inv->status == LAMBDA_INV_OK)
                chunk(inv, inv->result, inv->result_len);
        }
        if (inv->data) {
            complete(c, inv);
            call_stream_end(c);
        }
    }
    lambda_inv_free(inv);
}

int lambda_invoke_with_response_stream(call_t *c)
{
    const char *type = in_str(c->in, "InvocationType");
    lambda_inv_t *inv = lambda_invoke_prepare(c, 0, &type);
    if (!inv) {
        if (c->err_code)
            return CALL_ERROR;
        jw_obj(&c->out);
        jw_kint(&c->out, "StatusCode", 204);
        jw_end(&c->out);
        c->out_payload = h2o_iovec_init("", 0);
        return CALL_DONE;
    }
    const char *log_type = in_str(c->in, "LogType");
    inv->tail = log_type && strcmp(log_type, "Tail") == 0;
    inv->sink = &sink;
    inv->done = done;
    inv->data = c;
    c->svc_data = NULL;
    lambda_inv_submit(inv);
    if (c->svc_data == &failed_early)
        return CALL_ERROR;
    c->svc_data = inv;
    return CALL_PARKED;
}
