/* sqs_message.c - sending and settling messages: SendMessage(+Batch) with
 * AWS's validation of bodies, attributes and FIFO parameters, DeleteMessage(+Batch),
 * ChangeMessageVisibility(+Batch), and the receipt handle format. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/base64.h"
#include "../../protocol/ids.h"
#include "../clock.h"
#include "../decimal.h"
#include "../fnv.h"
#include "sqs_int.h"
#include "sqs_md5.h"

#define SQS_MAX_ATTRS 10
#define RH_BYTES 32
#define MSG_NO_GROUP "The request must contain the parameter MessageGroupId."
#define MSG_NO_DEDUP "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"

/* ---- receipt handles: base64 of queue id, seq, token and a check word ---- */

static uint64_t rh_check(const unsigned char *b)
{
    return fnv1a64(FNV1A64_INIT, b, 24);
}

static void put64(unsigned char *b, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        b[i] = (unsigned char)v;
}

static uint64_t get64(const unsigned char *b)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | b[i];
    return v;
}

void sqs_receipt_make(int64_t queue_id, int64_t seq, int64_t token, char out[64])
{
    unsigned char b[RH_BYTES];
    put64(b, (uint64_t)queue_id);
    put64(b + 8, (uint64_t)seq);
    put64(b + 16, (uint64_t)token);
    put64(b + 24, rh_check(b));
    out[base64_encode(b, RH_BYTES, out)] = '\0';
}

int sqs_receipt_parse(const char *h, int64_t *queue_id, int64_t *seq, int64_t *token)
{
    size_t len = h ? strlen(h) : 0;
    unsigned char b[RH_BYTES + 3];
    if (len != base64_encoded_len(RH_BYTES) || base64_decode(h, len, b) != RH_BYTES || get64(b + 24) != rh_check(b))
        return -1;
    *queue_id = (int64_t)get64(b);
    *seq = (int64_t)get64(b + 8);
    *token = (int64_t)get64(b + 16);
    return 0;
}

/* ---- message attributes ---- */

static int valid_attr_name(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || n[0] == '.' || n[len - 1] == '.' || strncasecmp(n, "AWS.", 4) == 0 || strncasecmp(n, "Amazon.", 7) == 0 ||
        !sqs_utf8_valid_body(n, len))
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)n[i];
        if (!(isalnum(ch) || ch == '_' || ch == '-' || ch == '.' || ch >= 0x80))
            return 0;
        if (ch == '.' && n[i + 1] == '.')
            return 0;
    }
    return 1;
}

static int type_is(const char *type, const char *base)
{
    size_t n = strlen(base);
    return strncmp(type, base, n) == 0 && (type[n] == '\0' || type[n] == '.');
}

/* A Number attribute's value: "up to 38 digits of precision, and it can be between 10^-128 and 10^+126" (the
 * developer guide's message attribute data types), leading and trailing zeros not counted; zero too. */
static int valid_number(const char *s)
{
    decimal_t d;
    if (decimal_scan(s, strlen(s), &d) != 0 || d.ndigits > DECIMAL_DIGITS_KEPT)
        return 0;
    int one_e126 = d.exp == 126 && d.ndigits == 1 && d.digits[0] == 1;
    return d.ndigits == 0 || (d.exp >= -128 && (d.exp <= 125 || one_e126));
}

/* Checks a MessageAttributes object; adds its size (names, types, values) to *size. */
static int check_attrs(call_t *c, sqs_err_t *e, yajl_val attrs, size_t *size)
{
    if (attrs == NULL)
        return 0;
    if (attrs->u.object.len > SQS_MAX_ATTRS)
        return sqs_fail(e, c, "InvalidParameterValue", "Number of message attributes [%zu] exceeds the allowed maximum [%d].",
                        attrs->u.object.len, SQS_MAX_ATTRS);
    for (size_t i = 0; i < attrs->u.object.len; i++) {
        const char *name = attrs->u.object.keys[i];
        yajl_val v = attrs->u.object.values[i];
        const char *type = in_str(v, "DataType");
        const char *sv = in_str(v, "StringValue"), *bv = in_str(v, "BinaryValue");
        if (strlen(name) > 256)
            return sqs_fail(e, c, "InvalidParameterValue", "Message (user) attribute names must be shorter than 256 Bytes");
        if (!valid_attr_name(name))
            return sqs_fail(e, c, "InvalidParameterValue",
                            "Message (user) attribute name '%s' is invalid. The attribute name can contain A-Z, a-z, 0-9, "
                            "underscore (_), hyphen (-), and period (.) characters. The name can't start with \"AWS.\" or "
                            "\"Amazon.\" (or any casing variants), start or end with a period, or have consecutive periods.",
                            name);
        if (type == NULL || *type == '\0')
            return sqs_fail(e, c, "InvalidParameterValue",
                            "The message attribute '%s' must contain non-empty message attribute type.", name);
        if (strlen(type) > 256)
            return sqs_fail(e, c, "InvalidParameterValue", "Message (user) attribute types must be shorter than 256 Bytes");
        int is_bin = type_is(type, "Binary");
        /* A custom label with control characters or broken UTF-8 would make every later reply unreadable (XML). */
        if ((!is_bin && !type_is(type, "String") && !type_is(type, "Number")) || !sqs_utf8_valid_body(type, strlen(type)))
            return sqs_fail(e, c, "InvalidParameterValue",
                            "The type of message (user) attribute '%s' is invalid. You must use only the following supported "
                            "type prefixes: Binary, Number, String.",
                            name);
        if (is_bin ? (bv == NULL || *bv == '\0' || sv != NULL) : (sv == NULL || *sv == '\0' || bv != NULL))
            return sqs_fail(e, c, "InvalidParameterValue",
                            "Message (user) attribute '%s' must contain a non-empty value of type '%s'.", name,
                            is_bin                    ? "Binary"
                            : type_is(type, "Number") ? "Number"
                                                      : "String");
        size_t vlen;
        if (is_bin) {
            unsigned char *raw = call_alloc(c, strlen(bv) / 4 * 3 + 3);
            long n = base64_decode(bv, strlen(bv), raw);
            if (n < 0)
                return sqs_fail(e, c, "InvalidParameterValue", "Message (user) attribute '%s' has an invalid binary value.", name);
            vlen = (size_t)n;
        } else {
            vlen = strlen(sv);
            if (!sqs_utf8_valid_body(sv, vlen))
                return sqs_fail(e, c, "InvalidParameterValue",
                                "Message (user) attribute '%s' must contain a valid value of type 'String'. Invalid characters "
                                "found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | "
                                "#x10000 to #x10FFFF",
                                name);
            if (type_is(type, "Number") && !valid_number(sv))
                return sqs_fail(e, c, "InvalidParameterValue", "Can't cast the value of message (user) attribute '%s' to a number.",
                                name);
        }
        *size += strlen(name) + strlen(type) + vlen;
    }
    return 0;
}

static int check_system_attrs(call_t *c, sqs_err_t *e, yajl_val sys)
{
    for (size_t i = 0; sys && i < sys->u.object.len; i++) {
        const char *name = sys->u.object.keys[i];
        const char *type = in_str(sys->u.object.values[i], "DataType");
        const char *sv = in_str(sys->u.object.values[i], "StringValue");
        if (strcmp(name, "AWSTraceHeader") != 0)
            return sqs_fail(e, c, "InvalidParameterValue", "Message system attribute name '%s' is invalid.", name);
        if (type == NULL || strcmp(type, "String") != 0 || sv == NULL || *sv == '\0' || !sqs_utf8_valid_body(sv, strlen(sv)))
            return sqs_fail(e, c, "InvalidParameterValue",
                            "Message system attribute '%s' must contain a non-empty value of type 'String'.", name);
    }
    return 0;
}

/* The message's X-Ray trace header: its AWSTraceHeader system attribute, else the request's X-Amzn-Trace-Id, which
 * stands for every message of a SendMessage or SendMessageBatch (the X-Ray developer guide, "Amazon SQS and AWS
 * X-Ray": the attribute overrides the header). */
static const char *trace_header(const call_t *c, yajl_val sys)
{
    const char *attr = in_str(in_obj(sys, "AWSTraceHeader"), "StringValue");
    return attr ? attr : c->trace_header;
}

/* The stored form of MessageAttributes: DataType and the one value, as JSON text (pool). */
static char *attrs_json(call_t *c, yajl_val attrs)
{
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    for (size_t i = 0; i < attrs->u.object.len; i++) {
        yajl_val v = attrs->u.object.values[i];
        const char *sv = in_str(v, "StringValue");
        jw_key(&w, attrs->u.object.keys[i]);
        jw_obj(&w);
        jw_kstr(&w, "DataType", in_str(v, "DataType"));
        jw_kstr(&w, sv ? "StringValue" : "BinaryValue", sv ? sv : in_str(v, "BinaryValue"));
        jw_end(&w);
    }
    jw_end(&w);
    char *out = call_strndup(c, w.buf, w.len);
    jw_free(&w);
    return out;
}

/* ---- sending ---- */

static int valid_fifo_id(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > 128)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && !ispunct((unsigned char)s[i]))
            return 0;
    return 1;
}

static int check_send(call_t *c, sqs_err_t *e, sqs_queue_t *q, const sqs_send_in_t *in, const char **dedup)
{
    if (in->body == NULL || *in->body == '\0')
        return sqs_fail(e, c, "MissingParameter", "The request must contain the parameter MessageBody.");
    size_t size = strlen(in->body);
    int64_t bad = sqs_utf8_bad_char(in->body, size);
    if (bad >= 0) /* AWS's words, as SDK users quote them (asim/nitro-plugins#437, NServiceBus.AmazonSQS#2630) */
        return sqs_fail(e, c, "InvalidMessageContents",
                        "Invalid binary character '#x%" PRIX64 "' was found in the message body, the set of allowed "
                        "characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].",
                        bad);
    if (check_attrs(c, e, in->attrs, &size) != 0 || check_system_attrs(c, e, in->sys) != 0)
        return -1;
    if (size > (size_t)q->max_size)
        return sqs_fail(e, c, "InvalidParameterValue",
                        "One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", q->max_size);
    if (in->has_delay && (in->delay < 0 || in->delay > SQS_MAX_DELAY))
        return sqs_fail(e, c, "InvalidParameterValue",
                        "Value %lld for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.",
                        in->delay);
    if (in->group && !valid_fifo_id(in->group))
        return sqs_fail(e, c, "InvalidParameterValue",
                        "Value %s for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric "
                        "and punctuation characters. 1 to 128 in length.",
                        in->group);
    if (in->dedup && !valid_fifo_id(in->dedup))
        return sqs_fail(e, c, "InvalidParameterValue",
                        "Value %s for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only "
                        "include alphanumeric and punctuation characters. 1 to 128 in length.",
                        in->dedup);
    *dedup = in->dedup;
    if (!q->fifo) {
        if (in->dedup)
            return sqs_fail(e, c, "InvalidParameterValue",
                            "Value %s for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter "
                            "that is not valid for this queue type.",
                            in->dedup);
        return 0;
    }
    if (in->group == NULL)
        return sqs_fail(e, c, "MissingParameter", MSG_NO_GROUP);
    if (in->has_delay && in->delay != 0)
        return sqs_fail(e, c, "InvalidParameterValue",
                        "Value %lld for parameter DelaySeconds is invalid. Reason: The request include parameter that is not "
                        "valid for this queue type.",
                        in->delay);
    if (in->dedup == NULL) {
        if (!q->content_dedup)
            return sqs_fail(e, c, "InvalidParameterValue", MSG_NO_DEDUP);
        char *h = call_alloc(c, 65);
        sqs_sha256_hex(in->body, strlen(in->body), h);
        *dedup = h;
    }
    return 0;
}

/* Validated messages waiting for their INSERT: a request's messages are stored by one
 * statement at its end (their FIFO deduplication records are written at once). */
typedef struct {
    sqs_store_msg_t rows[SQS_MAX_BATCH];
    int n;
} pending_t;
_Static_assert(SQS_MAX_BATCH <= SQS_STORE_MAX_ROWS, "a batch's messages are stored by one insert");

/* Stores the pending messages; 0, or -1 (none stored). */
static int pending_store(const pending_t *p)
{
    return p->n == 0 ? 0 : sqs_store_msg_insert(p->rows, p->n);
}

/* Validates one message and adds it to p (inside the caller's write savepoint); out must
 * live until p is stored (its row points into it). */
static int send_one(call_t *c, sqs_err_t *e, sqs_queue_t *q, const sqs_send_in_t *in, sqs_send_out_t *out, pending_t *p)
{
    const char *dedup = NULL;
    if (check_send(c, e, q, in, &dedup) != 0)
        return -1;
    int64_t now = clock_now_ms();
    memset(out, 0, sizeof(*out));
    out->fifo = q->fifo;
    sqs_md5_hex(in->body, strlen(in->body), out->md5_body);
    out->has_attrs = sqs_md5_attrs(in->attrs, NULL, NULL, out->md5_attrs) == 0;
    out->has_sys = sqs_md5_attrs(in->sys, NULL, NULL, out->md5_sys) == 0;
    const char *key = NULL;
    if (q->fifo) {
        key = q->dedup_by_group ? call_sprintf(c, "%zu:%s:%s", strlen(in->group), in->group, dedup) : dedup;
        int found = sqs_store_dedup_find(q->id, key, now, out->msg_id, sizeof(out->msg_id), out->seqnum, sizeof(out->seqnum));
        if (found < 0)
            return sqs_fail(e, c, SQS_INTERNAL);
        if (found)
            return 0; /* a duplicate: accepted, not enqueued again */
    }
    int64_t seq = sqs_next_seq();
    ids_uuid(out->msg_id);
    if (q->fifo)
        snprintf(out->seqnum, sizeof(out->seqnum), "%020lld", (long long)seq);
    long long delay = in->has_delay ? in->delay : q->delay;
    p->rows[p->n] = (sqs_store_msg_t){
        .seq = seq,
        .queue_id = q->bucket,
        .msg_id = out->msg_id,
        .body = in->body,
        .body_len = strlen(in->body),
        .attrs = out->has_attrs ? attrs_json(c, in->attrs) : NULL,
        .md5_body = out->md5_body,
        .md5_attrs = out->has_attrs ? out->md5_attrs : NULL,
        .trace = trace_header(c, in->sys),
        .md5_sys = out->has_sys ? out->md5_sys : NULL,
        .sender = c->account,
        .sent = now,
        .visible_at = now + delay * 1000,
        .group_id = in->group,
        .dedup_id = q->fifo ? dedup : NULL,
    };
    if (key && sqs_store_dedup_put(q->id, key, out->msg_id, out->seqnum, now + SQS_DEDUP_MS) != 0)
        return sqs_fail(e, c, SQS_INTERNAL);
    p->n++;
    return 0;
}

static void read_send(yajl_val obj, sqs_send_in_t *in, int *bad_delay)
{
    memset(in, 0, sizeof(*in));
    in->body = in_str(obj, "MessageBody");
    in->attrs = in_obj(obj, "MessageAttributes");
    in->sys = in_obj(obj, "MessageSystemAttributes");
    in->group = in_str(obj, "MessageGroupId");
    in->dedup = in_str(obj, "MessageDeduplicationId");
    int d = sqs_in_int(obj, "DelaySeconds", &in->delay);
    in->has_delay = d == 1;
    *bad_delay = d < 0;
}

/* The result members in the member order of the output shape (SendMessageResult, or
 * SendMessageBatchResultEntry when batch), so the query renderer takes them as they come. */
static void write_send_result(jw_t *w, const sqs_send_out_t *o, int batch)
{
    if (batch)
        jw_kstr(w, "MessageId", o->msg_id);
    jw_kstr(w, "MD5OfMessageBody", o->md5_body);
    if (o->has_attrs)
        jw_kstr(w, "MD5OfMessageAttributes", o->md5_attrs);
    if (o->has_sys)
        jw_kstr(w, "MD5OfMessageSystemAttributes", o->md5_sys);
    if (!batch)
        jw_kstr(w, "MessageId", o->msg_id);
    if (o->fifo)
        jw_kstr(w, "SequenceNumber", o->seqnum);
}

int sqs_msg_send(call_t *c, sqs_err_t *e, sqs_queue_t *q, const sqs_send_in_t *in, sqs_send_out_t *out)
{
    if (sqs_store_write_begin() != 0)
        return sqs_fail(e, c, SQS_INTERNAL);
    pending_t p = {.n = 0};
    int rc = send_one(c, e, q, in, out, &p);
    if (rc == 0 && pending_store(&p) != 0)
        rc = sqs_fail(e, c, SQS_INTERNAL);
    sqs_store_write_end(rc == 0);
    if (rc == 0)
        sqs_queue_changed(q);
    return rc;
}

int sqs_send_message(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    sqs_send_in_t in;
    int bad_delay;
    read_send(c->in, &in, &bad_delay);
    if (bad_delay)
        return call_error(c, "InvalidParameterValue", "Value for parameter DelaySeconds is invalid.");
    sqs_send_out_t out;
    sqs_err_t e;
    if (sqs_msg_send(c, &e, q, &in, &out) != 0)
        return sqs_raise(c, &e);
    jw_obj(&c->out);
    write_send_result(&c->out, &out, 0);
    jw_end(&c->out);
    return CALL_DONE;
}

static void write_failed(jw_t *w, const char *id, const sqs_err_t *e)
{
    jw_obj(w);
    jw_kstr(w, "Id", id);
    jw_kbool(w, "SenderFault", e->sender_fault);
    jw_kstr(w, "Code", e->code);
    jw_kstr(w, "Message", e->msg);
    jw_end(w);
}

/* Runs fn on every entry, then finish (when given: the writes the entries left for the end,
 * all or none), writing {"Successful":[...],"Failed":[...]} without the empty lists (as AWS
 * does: SDKs tell "no failure" by an absent Failed); fn writes a success's members.
 * When finish fails, the batch's writes are rolled back and every entry fails. */
typedef int (*entry_fn)(call_t *c, sqs_err_t *e, sqs_queue_t *q, yajl_val entry, jw_t *ok, void *state);

static int run_batch(call_t *c, sqs_queue_t *q, yajl_val entries, entry_fn fn, void *state, int (*finish)(void *state))
{
    size_t n = entries->u.array.len;
    sqs_err_t *errs = call_alloc(c, sizeof(*errs) * n);
    jw_t ok, one; /* one: the entry being written, kept only when it succeeds */
    size_t nok = 0;
    if (sqs_store_write_begin() != 0)
        return call_error(c, SQS_INTERNAL);
    jw_init(&ok);
    jw_init(&one);
    jw_arr(&ok);
    for (size_t i = 0; i < n; i++) {
        yajl_val en = entries->u.array.values[i];
        jw_reset(&one);
        jw_obj(&one);
        jw_kstr(&one, "Id", in_str(en, "Id"));
        if (fn(c, &errs[i], q, en, &one, state) == 0) {
            errs[i].code = NULL;
            jw_end(&one);
            jw_raw(&ok, one.buf, one.len);
            nok++;
        }
    }
    jw_free(&one);
    jw_aend(&ok);
    int stored = finish == NULL || finish(state) == 0;
    sqs_store_write_end(stored);
    jw_obj(&c->out);
    if (stored && nok > 0) {
        jw_key(&c->out, "Successful");
        jw_raw(&c->out, ok.buf, ok.len);
    }
    if (!stored || nok < n) {
        jw_key(&c->out, "Failed");
        jw_arr(&c->out);
        for (size_t i = 0; i < n; i++) {
            if (!stored && errs[i].code == NULL)
                sqs_fail(&errs[i], c, SQS_INTERNAL);
            if (errs[i].code)
                write_failed(&c->out, in_str(entries->u.array.values[i], "Id"), &errs[i]);
        }
        jw_aend(&c->out);
    }
    jw_end(&c->out);
    jw_free(&ok);
    return CALL_DONE;
}

static int send_entry(call_t *c, sqs_err_t *e, sqs_queue_t *q, yajl_val en, jw_t *ok, void *pending)
{
    sqs_send_in_t in;
    int bad_delay;
    read_send(en, &in, &bad_delay);
    if (bad_delay)
        return sqs_fail(e, c, "InvalidParameterValue", "Value for parameter DelaySeconds is invalid.");
    /* an entry's empty body is EmptyValue (ballerinax/aws.sqs's tests against AWS); the text is not on record */
    if (in.body != NULL && *in.body == '\0')
        return sqs_fail(e, c, "EmptyValue", "The request must contain the parameter MessageBody.");
    sqs_send_out_t *out = call_alloc(c, sizeof(*out)); /* its pending row points into it */
    if (send_one(c, e, q, &in, out, pending) != 0)
        return -1;
    write_send_result(ok, out, 1);
    return 0;
}

static int send_finish(void *pending)
{
    return pending_store(pending);
}

/* On a FIFO queue an entry without MessageGroupId, or without MessageDeduplicationId where the queue
 * does not deduplicate by content, fails the whole request rather than the entry, as SQS does
 * (a missing MessageGroupId with InvalidParameterValue here, MissingParameter in SendMessage). */
static int fifo_batch_check(call_t *c, const sqs_queue_t *q, yajl_val entries)
{
    for (size_t i = 0; q->fifo && i < entries->u.array.len; i++) {
        yajl_val en = entries->u.array.values[i];
        if (in_str(en, "MessageGroupId") == NULL)
            return call_error(c, "InvalidParameterValue", MSG_NO_GROUP);
        if (!q->content_dedup && in_str(en, "MessageDeduplicationId") == NULL)
            return call_error(c, "InvalidParameterValue", MSG_NO_DEDUP);
    }
    return 0;
}

int sqs_send_message_batch(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    yajl_val entries = in_arr(c->in, "Entries");
    if (sqs_batch_check(c, entries, "SendMessageBatchRequestEntry") != 0 || fifo_batch_check(c, q, entries) != 0)
        return CALL_ERROR;
    size_t total = 0;
    for (size_t i = 0; i < entries->u.array.len; i++) {
        yajl_val en = entries->u.array.values[i];
        const char *body = in_str(en, "MessageBody");
        sqs_err_t ignored;
        total += body ? strlen(body) : 0;
        check_attrs(c, &ignored, in_obj(en, "MessageAttributes"), &total);
    }
    if (total > SQS_MAX_MESSAGE_SIZE)
        return call_error(c, "BatchRequestTooLong", "Batch requests cannot be longer than %d bytes. You have sent %zu bytes.",
                          SQS_MAX_MESSAGE_SIZE, total);
    pending_t *p = call_alloc(c, sizeof(*p));
    p->n = 0;
    int rc = run_batch(c, q, entries, send_entry, p, send_finish);
    sqs_queue_changed(q);
    return rc;
}

/* ---- deleting and changing visibility ---- */

static int bad_handle(call_t *c, sqs_err_t *e, const char *h)
{
    return sqs_fail(e, c, "ReceiptHandleIsInvalid", "The input receipt handle \"%s\" is not a valid receipt handle.", h ? h : "");
}

int sqs_msg_delete(sqs_queue_t *q, const char *h)
{
    int64_t qid, seq, token, cur_token, visible_at, recv_at;
    int recv_count;
    if (sqs_receipt_parse(h, &qid, &seq, &token) != 0 || qid != q->id)
        return SQS_E_HANDLE;
    /* a FIFO queue refuses the receipt of a message whose visibility timeout has run out */
    if (q->fifo) {
        int found = sqs_store_msg_state(q->bucket, seq, &cur_token, &visible_at, &recv_at, &recv_count);
        if (found < 0)
            return SQS_E_STORE;
        if (found && cur_token == token && visible_at <= clock_now_ms())
            return SQS_E_EXPIRED;
    }
    /* already deleted, or an older receipt: succeeds without deleting (as AWS documents) */
    return sqs_store_msg_delete_received(q->bucket, seq, token) != 0 ? SQS_E_STORE : 0;
}

static int delete_one(call_t *c, sqs_err_t *e, sqs_queue_t *q, const char *h)
{
    if (h == NULL || *h == '\0')
        return sqs_fail(e, c, "MissingParameter", "The request must contain the parameter ReceiptHandle.");
    int rc = sqs_msg_delete(q, h);
    if (rc == SQS_E_HANDLE)
        return bad_handle(c, e, h);
    if (rc == SQS_E_EXPIRED)
        return sqs_fail(e, c, "InvalidParameterValue",
                        "Value %s for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.", h);
    if (rc != 0)
        return sqs_fail(e, c, SQS_INTERNAL);
    return 0;
}

int sqs_delete_message(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    sqs_err_t e;
    if (sqs_store_write_begin() != 0)
        return call_error(c, SQS_INTERNAL);
    int rc = delete_one(c, &e, q, in_str(c->in, "ReceiptHandle"));
    sqs_store_write_end(rc == 0);
    if (rc != 0)
        return sqs_raise(c, &e);
    if (q->fifo)
        sqs_queue_changed(q); /* the group may be unlocked */
    return CALL_DONE;
}

static int delete_entry(call_t *c, sqs_err_t *e, sqs_queue_t *q, yajl_val en, jw_t *ok, void *state)
{
    return delete_one(c, e, q, in_str(en, "ReceiptHandle"));
}

/* A batch whose entries each name a receipt handle (DeleteMessageBatch, ChangeMessageVisibilityBatch), entry_shape
 * naming them in errors. The queue has changed for its waiters after one (after a delete, only a FIFO queue, whose
 * groups it may unlock). */
static int handles_batch(call_t *c, const char *entry_shape, entry_fn fn, int changes_standard)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    yajl_val entries = in_arr(c->in, "Entries");
    if (sqs_batch_check(c, entries, entry_shape) != 0)
        return CALL_ERROR;
    int rc = run_batch(c, q, entries, fn, NULL, NULL);
    if (q->fifo || changes_standard)
        sqs_queue_changed(q);
    return rc;
}

int sqs_delete_message_batch(call_t *c)
{
    return handles_batch(c, "DeleteMessageBatchRequestEntry", delete_entry, 0);
}

int sqs_msg_change(sqs_queue_t *q, const char *h, long long vt)
{
    int64_t qid, seq, token, cur_token, visible_at, recv_at;
    int recv_count;
    if (sqs_receipt_parse(h, &qid, &seq, &token) != 0 || qid != q->id)
        return SQS_E_HANDLE;
    int64_t now = clock_now_ms();
    int found = sqs_store_msg_state(q->bucket, seq, &cur_token, &visible_at, &recv_at, &recv_count);
    if (found < 0)
        return SQS_E_STORE;
    if (!found || cur_token != token)
        return SQS_E_GONE;
    if (visible_at <= now) /* SQS answers OK and the message, visible again, stays so */
        return 0;
    if (now + vt * 1000 > recv_at + (int64_t)SQS_MAX_VISIBILITY * 1000)
        return SQS_E_TOO_LONG;
    return sqs_store_msg_set_visible(seq, now + vt * 1000) == 0 ? 0 : SQS_E_STORE;
}

static int change_one(call_t *c, sqs_err_t *e, sqs_queue_t *q, const char *h, yajl_val obj)
{
    long long vt;
    int has = sqs_in_int(obj, "VisibilityTimeout", &vt);
    if (has == 0)
        return sqs_fail(e, c, "MissingParameter", "The request must contain the parameter VisibilityTimeout.");
    if (has < 0 || vt < 0 || vt > SQS_MAX_VISIBILITY)
        return sqs_fail(e, c, "InvalidParameterValue",
                        "Value %s for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.",
                        sqs_in_text(in_get(obj, "VisibilityTimeout")));
    if (h == NULL || *h == '\0')
        return sqs_fail(e, c, "MissingParameter", "The request must contain the parameter ReceiptHandle.");
    switch (sqs_msg_change(q, h, vt)) {
    case 0:
        return 0;
    case SQS_E_HANDLE:
        return bad_handle(c, e, h);
    case SQS_E_GONE:
        return sqs_fail(e, c, "InvalidParameterValue",
                        "Value %s for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available "
                        "for visibility timeout change.",
                        h);
    case SQS_E_TOO_LONG:
        return sqs_fail(e, c, "InvalidParameterValue",
                        "Value %lld for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message "
                        "is beyond the limit [43200 seconds]",
                        vt);
    default:
        return sqs_fail(e, c, SQS_INTERNAL);
    }
}

int sqs_change_message_visibility(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    sqs_err_t e;
    if (sqs_store_write_begin() != 0)
        return call_error(c, SQS_INTERNAL);
    int rc = change_one(c, &e, q, in_str(c->in, "ReceiptHandle"), c->in);
    sqs_store_write_end(rc == 0);
    if (rc != 0)
        return sqs_raise(c, &e);
    sqs_queue_changed(q);
    return CALL_DONE;
}

static int change_entry(call_t *c, sqs_err_t *e, sqs_queue_t *q, yajl_val en, jw_t *ok, void *state)
{
    return change_one(c, e, q, in_str(en, "ReceiptHandle"), en);
}

int sqs_change_message_visibility_batch(call_t *c)
{
    return handles_batch(c, "ChangeMessageVisibilityBatchRequestEntry", change_entry, 1);
}
