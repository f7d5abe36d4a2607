/* sqs_perm.c - AddPermission and RemovePermission: statements labelled by Sid in
 * the queue's Policy attribute, written the way SQS writes them (one principal or
 * action as a string, several as a list). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/ytree.h"
#include "../clock.h"
#include "sqs_int.h"

static const char *const sqs_actions[] = {"*",
                                          "ChangeMessageVisibility",
                                          "DeleteMessage",
                                          "GetQueueAttributes",
                                          "GetQueueUrl",
                                          "ListDeadLetterSourceQueues",
                                          "ListQueueTags",
                                          "PurgeQueue",
                                          "ReceiveMessage",
                                          "SendMessage",
                                          "ChangeMessageVisibilityBatch",
                                          "DeleteMessageBatch",
                                          "SendMessageBatch",
                                          NULL};

static int valid_action(const char *a)
{
    for (int i = 0; sqs_actions[i]; i++)
        if (strcmp(sqs_actions[i], a) == 0)
            return 1;
    return 0;
}

static int valid_label(const char *l)
{
    size_t n = strlen(l);
    if (n == 0 || n > 80)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)l[i]) && l[i] != '-' && l[i] != '_')
            return 0;
    return 1;
}

/* The Statement array of the queue's policy (NULL if none); *doc receives the parsed policy to free. */
static yajl_val statements(const sqs_queue_t *q, yajl_val *doc)
{
    const char *policy = sqs_kv_get(&q->attrs, "Policy");
    char eb[64];
    *doc = policy ? ytree_parse_text(policy, eb, sizeof(eb)) : NULL;
    return in_arr(*doc, "Statement");
}

static int has_sid(yajl_val st, const char *label)
{
    for (size_t i = 0; st && i < st->u.array.len; i++) {
        const char *sid = in_str(st->u.array.values[i], "Sid");
        if (sid && strcmp(sid, label) == 0)
            return 1;
    }
    return 0;
}

/* Writes the policy with the existing statements (minus drop) plus an optional new one. */
static char *policy_json(call_t *c, const sqs_queue_t *q, yajl_val doc, yajl_val st, const char *drop, yajl_val ids,
                         yajl_val actions, const char *label, int *count)
{
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    const char *version = in_str(doc, "Version"), *id = in_str(doc, "Id");
    jw_kstr(&w, "Version", version ? version : "2008-10-17");
    jw_kstr(&w, "Id", id ? id : call_sprintf(c, "%s/SQSDefaultPolicy", q->arn));
    jw_key(&w, "Statement");
    jw_arr(&w);
    *count = 0;
    for (size_t i = 0; st && i < st->u.array.len; i++) {
        const char *sid = in_str(st->u.array.values[i], "Sid");
        if (drop && sid && strcmp(sid, drop) == 0)
            continue;
        sqs_json_write(&w, st->u.array.values[i]);
        (*count)++;
    }
    if (label) {
        jw_obj(&w);
        jw_kstr(&w, "Sid", label);
        jw_kstr(&w, "Effect", "Allow");
        jw_key(&w, "Principal");
        jw_obj(&w);
        jw_key(&w, "AWS");
        if (ids->u.array.len > 1)
            jw_arr(&w);
        for (size_t i = 0; i < ids->u.array.len; i++)
            jw_str(&w, call_sprintf(c, "arn:aws:iam::%s:root", sqs_in_text(ids->u.array.values[i])));
        if (ids->u.array.len > 1)
            jw_aend(&w);
        jw_end(&w);
        jw_key(&w, "Action");
        if (actions->u.array.len > 1)
            jw_arr(&w);
        for (size_t i = 0; i < actions->u.array.len; i++)
            jw_str(&w, call_sprintf(c, "SQS:%s", sqs_in_text(actions->u.array.values[i])));
        if (actions->u.array.len > 1)
            jw_aend(&w);
        jw_kstr(&w, "Resource", q->arn);
        jw_end(&w);
        (*count)++;
    }
    jw_aend(&w);
    jw_end(&w);
    char *out = call_strndup(c, w.buf, w.len);
    jw_free(&w);
    return out;
}

static int save_policy(call_t *c, sqs_queue_t *q, const char *policy)
{
    if (policy)
        sqs_kv_set(&q->attrs, "Policy", policy);
    else
        sqs_kv_del(&q->attrs, "Policy");
    q->modified = clock_now_ms() / 1000;
    return sqs_queue_save_or_fail(c, q);
}

int sqs_add_permission(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    const char *label = in_str(c->in, "Label");
    yajl_val ids = in_arr(c->in, "AWSAccountIds"), actions = in_arr(c->in, "Actions");
    if (label == NULL)
        return call_error(c, "MissingParameter", "The request must contain the parameter Label.");
    if (!valid_label(label))
        return call_error(c, "InvalidParameterValue",
                          "Value %s for parameter Label is invalid. Reason: Can only include alphanumeric characters, hyphens, "
                          "or underscores. 1 to 80 in length",
                          label);
    if (ids == NULL || ids->u.array.len == 0)
        return call_error(c, "MissingParameter", "The request must contain the parameter AWSAccountIds.");
    if (actions == NULL || actions->u.array.len == 0)
        return call_error(c, "MissingParameter", "The request must contain the parameter Actions.");
    for (size_t i = 0; i < actions->u.array.len; i++) {
        const char *a = sqs_in_text(actions->u.array.values[i]);
        if (a == NULL || !valid_action(a))
            return call_error(c, "InvalidParameterValue",
                              "Value SQS:%s for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for "
                              "a list of valid actions. ",
                              a ? a : "");
    }
    yajl_val doc;
    yajl_val st = statements(q, &doc);
    if (has_sid(st, label)) {
        yajl_tree_free(doc);
        return call_error(c, "InvalidParameterValue", "Value %s for parameter Label is invalid. Reason: Already exists.", label);
    }
    int count;
    char *policy = policy_json(c, q, doc, st, NULL, ids, actions, label, &count);
    yajl_tree_free(doc);
    if (sqs_policy_check(c, policy) != 0)
        return CALL_ERROR;
    return save_policy(c, q, policy);
}

int sqs_remove_permission(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    const char *label = in_str(c->in, "Label");
    if (label == NULL)
        return call_error(c, "MissingParameter", "The request must contain the parameter Label.");
    yajl_val doc;
    yajl_val st = statements(q, &doc);
    if (!has_sid(st, label)) {
        yajl_tree_free(doc);
        return call_error(c, "InvalidParameterValue", "Value %s for parameter Label is invalid. Reason: can't find label.", label);
    }
    int count;
    char *policy = policy_json(c, q, doc, st, label, NULL, NULL, NULL, &count);
    yajl_tree_free(doc);
    return save_policy(c, q, count > 0 ? policy : NULL);
}
