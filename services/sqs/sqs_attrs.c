/* sqs_attrs.c - queue attributes: the table of names, defaults and limits, their
 * validation with AWS's codes and texts (RedrivePolicy, RedriveAllowPolicy and
 * Policy included), and GetQueueAttributes / SetQueueAttributes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/ytree.h"
#include "../clock.h"
#include "sqs_int.h"

enum { A_INT, A_BOOL, A_TEXT, A_JSON, A_ENUM, A_READONLY };

typedef struct {
    const char *name;
    int kind;
    long long min, max; /* A_INT */
    const char *def;    /* default stored at creation, NULL = absent */
    int fifo_only;
    const char *enums[3];
} sqs_attr_def_t;

static const sqs_attr_def_t attr_defs[] = {
    {"QueueArn", A_READONLY},
    {"ApproximateNumberOfMessages", A_READONLY},
    {"ApproximateNumberOfMessagesNotVisible", A_READONLY},
    {"ApproximateNumberOfMessagesDelayed", A_READONLY},
    {"CreatedTimestamp", A_READONLY},
    {"LastModifiedTimestamp", A_READONLY},
    {"VisibilityTimeout", A_INT, 0, SQS_MAX_VISIBILITY, "30"},
    {"MaximumMessageSize", A_INT, 1024, SQS_MAX_MESSAGE_SIZE, "1048576"},
    {"MessageRetentionPeriod", A_INT, 60, 1209600, "345600"},
    {"DelaySeconds", A_INT, 0, SQS_MAX_DELAY, "0"},
    {"Policy", A_JSON},
    {"RedrivePolicy", A_JSON},
    {"RedriveAllowPolicy", A_JSON},
    {"ReceiveMessageWaitTimeSeconds", A_INT, 0, SQS_MAX_WAIT, "0"},
    {"KmsMasterKeyId", A_TEXT},
    {"KmsDataKeyReusePeriodSeconds", A_INT, 60, 86400},
    {"SqsManagedSseEnabled", A_BOOL, 0, 0, "true"},
    {"FifoQueue", A_BOOL, 0, 0, "true", 1},
    {"ContentBasedDeduplication", A_BOOL, 0, 0, "false", 1},
    {"DeduplicationScope", A_ENUM, 0, 0, "queue", 1, {"messageGroup", "queue"}},
    {"FifoThroughputLimit", A_ENUM, 0, 0, "perQueue", 1, {"perQueue", "perMessageGroupId"}},
};
#define NDEFS ((int)(sizeof(attr_defs) / sizeof(attr_defs[0])))

static const sqs_attr_def_t *attr_def(const char *name)
{
    for (int i = 0; i < NDEFS; i++)
        if (strcmp(attr_defs[i].name, name) == 0)
            return &attr_defs[i];
    return NULL;
}

void sqs_attrs_defaults(sqs_kv_t *kv, int fifo)
{
    for (int i = 0; i < NDEFS; i++)
        if (attr_defs[i].def && attr_defs[i].kind != A_READONLY && (fifo || !attr_defs[i].fifo_only))
            sqs_kv_set(kv, attr_defs[i].name, attr_defs[i].def);
}

static int kv_int(const sqs_kv_t *kv, const char *k, const char *def)
{
    const char *v = sqs_kv_get(kv, k);
    return atoi(v ? v : def);
}

void sqs_attrs_parse(sqs_queue_t *q)
{
    q->visibility = kv_int(&q->attrs, "VisibilityTimeout", "30");
    q->max_size = kv_int(&q->attrs, "MaximumMessageSize", "1048576");
    q->retention = kv_int(&q->attrs, "MessageRetentionPeriod", "345600");
    q->delay = kv_int(&q->attrs, "DelaySeconds", "0");
    q->wait = kv_int(&q->attrs, "ReceiveMessageWaitTimeSeconds", "0");
    const char *cbd = sqs_kv_get(&q->attrs, "ContentBasedDeduplication");
    q->content_dedup = cbd && strcmp(cbd, "true") == 0;
    const char *scope = sqs_kv_get(&q->attrs, "DeduplicationScope");
    q->dedup_by_group = scope && strcmp(scope, "messageGroup") == 0;
    free(q->dlq_arn);
    q->dlq_arn = NULL;
    q->max_receive = 0;
    const char *rp = sqs_kv_get(&q->attrs, "RedrivePolicy");
    if (rp) {
        char eb[64];
        yajl_val v = ytree_parse_text(rp, eb, sizeof(eb));
        const char *arn = in_str(v, "deadLetterTargetArn");
        long long n;
        if (arn && sqs_in_int(v, "maxReceiveCount", &n) == 1) {
            q->dlq_arn = strdup(arn);
            q->max_receive = (int)n;
        }
        yajl_tree_free(v);
    }
}

/* ---- validation ---- */

static int bad_value(call_t *c, const char *name)
{
    return call_error(c, "InvalidAttributeValue", "Invalid value for the parameter %s.", name);
}

static int check_int(call_t *c, const sqs_attr_def_t *d, const char *v)
{
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < d->min || n > d->max)
        return bad_value(c, d->name);
    return 0;
}

/* Normalizes a RedrivePolicy into {"deadLetterTargetArn":..,"maxReceiveCount":N} (pool), or raises. */
static const char *redrive_policy(call_t *c, const char *name, int fifo, const char *text)
{
    char eb[128];
    yajl_val v = ytree_parse_text(text, eb, sizeof(eb));
    const char *arn = in_str(v, "deadLetterTargetArn");
    long long n = 0;
    int has_n = v ? sqs_in_int(v, "maxReceiveCount", &n) : 0;
    char *out = NULL, dlq_region[64], dlq_account[64];
    const char *dlq_name;
    if (!YAJL_IS_OBJECT(v))
        call_error(c, "InvalidParameterValue",
                   "Value %s for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.", text);
    else if (arn == NULL)
        call_error(c, "InvalidParameterValue",
                   "Value %s for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory "
                   "attribute: deadLetterTargetArn.",
                   text);
    else if (has_n == 0)
        call_error(c, "InvalidParameterValue",
                   "Value %s for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory "
                   "attribute: maxReceiveCount.",
                   text);
    else if (has_n < 0 || n < 1 || n > 1000)
        call_error(c, "InvalidParameterValue",
                   "Value %s for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: %s, valid "
                   "values are from 1 to 1000 both inclusive.",
                   text, sqs_in_text(in_get(v, "maxReceiveCount")) ? sqs_in_text(in_get(v, "maxReceiveCount")) : "");
    else if (sqs_parse_arn(arn, dlq_region, sizeof(dlq_region), dlq_account, sizeof(dlq_account), &dlq_name) != 0)
        call_error(c, "InvalidParameterValue",
                   "Value %s for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.", text);
    else {
        sqs_queue_t *dlq = sqs_queue_by_arn(arn);
        char src_arn[512];
        snprintf(src_arn, sizeof(src_arn), "arn:aws:sqs:%s:%s:%s", c->region, c->account, name);
        const char *allow = dlq ? sqs_kv_get(&dlq->attrs, "RedriveAllowPolicy") : NULL;
        int allowed = 1;
        if (allow) {
            yajl_val a = ytree_parse_text(allow, eb, sizeof(eb));
            const char *perm = in_str(a, "redrivePermission");
            yajl_val srcs = in_arr(a, "sourceQueueArns");
            if (perm && strcmp(perm, "denyAll") == 0)
                allowed = 0;
            else if (perm && strcmp(perm, "byQueue") == 0) {
                allowed = 0;
                for (size_t i = 0; srcs && i < srcs->u.array.len; i++) {
                    const char *s = sqs_in_text(srcs->u.array.values[i]);
                    if (s && strcmp(s, src_arn) == 0)
                        allowed = 1;
                }
            }
            yajl_tree_free(a);
        }
        if (dlq == NULL)
            call_error(c, "InvalidParameterValue",
                       "Value %s for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.", text);
        else if (dlq->fifo != fifo)
            call_error(c, "InvalidParameterValue",
                       "Value %s for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of "
                       "queue as the source.",
                       text);
        else if (!allowed)
            call_error(c, "InvalidParameterValue",
                       "Value %s for parameter RedrivePolicy is invalid. Reason: Queue %s does not allow this queue to use "
                       "it as its dead-letter queue.",
                       text, arn);
        else
            out = call_sprintf(c, "{\"deadLetterTargetArn\":\"%s\",\"maxReceiveCount\":%lld}", arn, n);
    }
    yajl_tree_free(v);
    return out;
}

static int redrive_allow_policy(call_t *c, const char *text)
{
    char eb[128];
    yajl_val v = ytree_parse_text(text, eb, sizeof(eb));
    const char *perm = in_str(v, "redrivePermission");
    yajl_val srcs = in_get(v, "sourceQueueArns");
    const char *why = NULL;
    if (!YAJL_IS_OBJECT(v))
        why = "Redrive allow policy is not a valid JSON map.";
    else if (perm == NULL || (strcmp(perm, "allowAll") && strcmp(perm, "denyAll") && strcmp(perm, "byQueue")))
        why = "Invalid value for redrivePermission. Valid values are allowAll, denyAll and byQueue.";
    else if (strcmp(perm, "byQueue") == 0 && (!YAJL_IS_ARRAY(srcs) || srcs->u.array.len == 0))
        why = "sourceQueueArns must be specified when redrivePermission is byQueue.";
    else if (strcmp(perm, "byQueue") != 0 && srcs != NULL)
        why = "sourceQueueArns can only be specified when redrivePermission is byQueue.";
    else if (YAJL_IS_ARRAY(srcs) && srcs->u.array.len > 10)
        why = "Up to 10 sourceQueueArns can be specified. Set redrivePermission to allowAll to allow more.";
    yajl_tree_free(v);
    if (why)
        return call_error(c, "InvalidParameterValue", "Value %s for parameter RedriveAllowPolicy is invalid. Reason: %s", text,
                          why);
    return 0;
}

static int check_one(call_t *c, const sqs_queue_t *q, const char *qname, int fifo, const char *name, const char *v)
{
    const sqs_attr_def_t *d = attr_def(name);
    /* FifoQueue is known to a standard queue's CreateQueue only */
    if (d == NULL || d->kind == A_READONLY || (d->fifo_only && !fifo && (q != NULL || strcmp(name, "FifoQueue") != 0)))
        return call_error(c, "InvalidAttributeName", "Unknown Attribute %s.", name);
    if (v == NULL)
        return bad_value(c, name);
    switch (d->kind) {
    case A_INT:
        return check_int(c, d, v);
    case A_BOOL:
        if (strcmp(v, "true") && strcmp(v, "false"))
            return bad_value(c, name);
        if (strcmp(name, "FifoQueue") == 0) {
            if (q != NULL && (strcmp(v, "true") == 0) != q->fifo)
                return call_error(c, "InvalidAttributeValue",
                                  "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.");
            if (q == NULL && !fifo && strcmp(v, "true") == 0)
                return bad_value(c, name);
        }
        return 0;
    case A_ENUM:
        if (strcmp(v, d->enums[0]) && strcmp(v, d->enums[1]))
            return bad_value(c, name);
        return 0;
    case A_JSON:
        if (*v == '\0')
            return 0; /* removes the attribute */
        if (strcmp(name, "RedrivePolicy") == 0)
            return redrive_policy(c, qname, fifo, v) ? 0 : -1;
        if (strcmp(name, "RedriveAllowPolicy") == 0)
            return redrive_allow_policy(c, v);
        {
            char eb[64];
            yajl_val j = ytree_parse_text(v, eb, sizeof(eb));
            int ok = YAJL_IS_OBJECT(j);
            yajl_tree_free(j);
            if (!ok)
                return bad_value(c, name);
        }
        return strcmp(name, "Policy") == 0 ? sqs_policy_check(c, v) : 0;
    default:
        return 0;
    }
}

/* The number of actions a statement names (one as a string, or a list). */
static size_t action_count(yajl_val statement)
{
    yajl_val a = in_get(statement, "Action");
    return YAJL_IS_ARRAY(a) ? a->u.array.len : a != NULL;
}

int sqs_policy_check(call_t *c, const char *policy)
{
    if (strlen(policy) > SQS_POLICY_MAX_BYTES)
        return call_error(c, "OverLimit", "Submitted policy is over max allowed size.");
    char eb[64];
    yajl_val j = ytree_parse_text(policy, eb, sizeof(eb));
    yajl_val st = in_get(j, "Statement");
    size_t n = YAJL_IS_ARRAY(st) ? st->u.array.len : st != NULL, actions = 0;
    for (size_t i = 0; i < n && actions <= SQS_POLICY_MAX_ACTIONS; i++)
        actions = action_count(YAJL_IS_ARRAY(st) ? st->u.array.values[i] : st);
    yajl_tree_free(j);
    if (n > SQS_POLICY_MAX_STATEMENTS)
        return call_error(c, "OverLimit", "%zu statements were found in the submitted policy, max allowed is %d", n,
                          SQS_POLICY_MAX_STATEMENTS);
    if (actions > SQS_POLICY_MAX_ACTIONS)
        return call_error(c, "OverLimit", "%zu actions were found in a statement from the submitted policy, max allowed is %d",
                          actions, SQS_POLICY_MAX_ACTIONS);
    return 0;
}

int sqs_attrs_check(call_t *c, const sqs_queue_t *q, const char *name, int fifo, yajl_val attrs)
{
    if (!YAJL_IS_OBJECT(attrs))
        return 0;
    for (size_t i = 0; i < attrs->u.object.len; i++)
        if (check_one(c, q, name, fifo, attrs->u.object.keys[i], sqs_in_text(attrs->u.object.values[i])) != 0)
            return -1;
    const char *kms = in_str(attrs, "KmsMasterKeyId"), *sse = in_str(attrs, "SqsManagedSseEnabled");
    if (kms && *kms && sse && strcmp(sse, "true") == 0)
        return call_error(c, "InvalidAttributeName",
                          "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE "
                          "or SQS SSE.");
    const char *scope = in_str(attrs, "DeduplicationScope"), *limit = in_str(attrs, "FifoThroughputLimit");
    if (!scope)
        scope = q ? sqs_kv_get(&q->attrs, "DeduplicationScope") : "queue";
    if (limit && strcmp(limit, "perMessageGroupId") == 0 && scope && strcmp(scope, "queue") == 0)
        return call_error(c, "InvalidAttributeValue",
                          "Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId is allowed only "
                          "when DeduplicationScope is messageGroup.");
    return 0;
}

/* The stored form of a checked value (RedrivePolicy normalized), malloc'd. */
static char *stored_value(const char *name, const char *v)
{
    if (strcmp(name, "RedrivePolicy") != 0 || *v == '\0')
        return strdup(v);
    char eb[64];
    yajl_val j = ytree_parse_text(v, eb, sizeof(eb));
    long long n = 0;
    sqs_in_int(j, "maxReceiveCount", &n);
    char *out = NULL;
    if (asprintf(&out, "{\"deadLetterTargetArn\":\"%s\",\"maxReceiveCount\":%lld}", in_str(j, "deadLetterTargetArn"), n) < 0)
        out = NULL;
    yajl_tree_free(j);
    return out;
}

void sqs_attrs_apply(sqs_kv_t *kv, int fifo, yajl_val attrs)
{
    if (!YAJL_IS_OBJECT(attrs))
        return;
    for (size_t i = 0; i < attrs->u.object.len; i++) {
        const char *name = attrs->u.object.keys[i];
        const char *v = sqs_in_text(attrs->u.object.values[i]);
        if (*v == '\0') {
            sqs_kv_del(kv, name);
            continue;
        }
        char *sv = stored_value(name, v);
        sqs_kv_set(kv, name, sv ? sv : v);
        free(sv);
        if (strcmp(name, "KmsMasterKeyId") == 0) {
            if (in_get(attrs, "SqsManagedSseEnabled") == NULL)
                sqs_kv_set(kv, "SqsManagedSseEnabled", "false");
            if (sqs_kv_get(kv, "KmsDataKeyReusePeriodSeconds") == NULL)
                sqs_kv_set(kv, "KmsDataKeyReusePeriodSeconds", "300");
        }
    }
}

int sqs_attrs_differ(call_t *c, const sqs_queue_t *q, yajl_val attrs)
{
    for (size_t i = 0; YAJL_IS_OBJECT(attrs) && i < attrs->u.object.len; i++) {
        const char *name = attrs->u.object.keys[i];
        const char *v = sqs_in_text(attrs->u.object.values[i]);
        char *sv = stored_value(name, v);
        const char *cur = sqs_kv_get(&q->attrs, name);
        int same = strcmp(cur ? cur : "", sv ? sv : v) == 0;
        free(sv);
        if (!same)
            return call_error(c, "QueueNameExists",
                              "A queue already exists with the same name and a different value for attribute %s", name);
    }
    return 0;
}

/* ---- operations ---- */

static int wanted(yajl_val names, const char *name)
{
    for (size_t i = 0; names && i < names->u.array.len; i++) {
        const char *n = sqs_in_text(names->u.array.values[i]);
        if (n && (strcmp(n, name) == 0 || strcmp(n, "All") == 0))
            return 1;
    }
    return 0;
}

int sqs_get_queue_attributes(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    yajl_val names = in_arr(c->in, "AttributeNames");
    for (size_t i = 0; names && i < names->u.array.len; i++) {
        const char *n = sqs_in_text(names->u.array.values[i]);
        if (n == NULL || (strcmp(n, "All") != 0 && attr_def(n) == NULL))
            return call_error(c, "InvalidAttributeName", "Unknown Attribute %s.", n ? n : "");
    }
    if (names == NULL || names->u.array.len == 0)
        return CALL_DONE;
    int64_t now = clock_now_ms(), visible = 0, inflight = 0, delayed = 0;
    if (wanted(names, "ApproximateNumberOfMessages") || wanted(names, "ApproximateNumberOfMessagesNotVisible") ||
        wanted(names, "ApproximateNumberOfMessagesDelayed"))
        sqs_store_counts(q->bucket, now, &visible, &inflight, &delayed);
    jw_t *w = &c->out;
    int n = 0;
    for (int i = 0; i < NDEFS; i++) {
        const char *name = attr_defs[i].name;
        if (!wanted(names, name))
            continue;
        char buf[32];
        const char *v = sqs_kv_get(&q->attrs, name);
        if (strcmp(name, "QueueArn") == 0)
            v = q->arn;
        else if (strcmp(name, "ApproximateNumberOfMessages") == 0)
            v = (snprintf(buf, sizeof(buf), "%lld", (long long)visible), buf);
        else if (strcmp(name, "ApproximateNumberOfMessagesNotVisible") == 0)
            v = (snprintf(buf, sizeof(buf), "%lld", (long long)inflight), buf);
        else if (strcmp(name, "ApproximateNumberOfMessagesDelayed") == 0)
            v = (snprintf(buf, sizeof(buf), "%lld", (long long)delayed), buf);
        else if (strcmp(name, "CreatedTimestamp") == 0)
            v = (snprintf(buf, sizeof(buf), "%lld", (long long)q->created), buf);
        else if (strcmp(name, "LastModifiedTimestamp") == 0)
            v = (snprintf(buf, sizeof(buf), "%lld", (long long)q->modified), buf);
        if (v == NULL)
            continue;
        if (n++ == 0) {
            jw_obj(w);
            jw_key(w, "Attributes");
            jw_obj(w);
        }
        jw_kstr(w, name, v);
    }
    if (n > 0) {
        jw_end(w);
        jw_end(w);
    }
    return CALL_DONE;
}

int sqs_set_queue_attributes(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    yajl_val attrs = in_obj(c->in, "Attributes");
    if (sqs_attrs_check(c, q, q->name, q->fifo, attrs) != 0)
        return CALL_ERROR;
    sqs_kv_t next = {0};
    for (int i = 0; i < q->attrs.n; i++)
        sqs_kv_set(&next, q->attrs.k[i], q->attrs.v[i]);
    sqs_attrs_apply(&next, q->fifo, attrs);
    sqs_kv_free(&q->attrs);
    q->attrs = next;
    q->modified = clock_now_ms() / 1000;
    if (sqs_queue_save_or_fail(c, q) != CALL_DONE)
        return CALL_ERROR;
    sqs_attrs_parse(q);
    sqs_queue_changed(q); /* a shorter wait or delay may change what parked receivers see */
    return CALL_DONE;
}
