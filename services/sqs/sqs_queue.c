/* sqs_queue.c - the queue registry (queues live in memory as a cache of their
 * rows) and the queue-level operations: CreateQueue, GetQueueUrl, ListQueues,
 * DeleteQueue, PurgeQueue, TagQueue, UntagQueue, ListQueueTags. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/base64.h"
#include "../../protocol/poolfmt.h"
#include "../clock.h"
#include "../resync.h"
#include "sqs_int.h"

#define SQS_LIST_MAX 1000

static sqs_queue_t **queues;
static int nqueues, capqueues;

int sqs_queue_count(void)
{
    return nqueues;
}

sqs_queue_t *sqs_queue_at(int i)
{
    return queues[i];
}

sqs_queue_t *sqs_queue_find(const char *account, const char *region, const char *name)
{
    for (int i = 0; i < nqueues; i++) {
        sqs_queue_t *q = queues[i];
        if (strcmp(q->name, name) == 0 && strcmp(q->account, account) == 0 && strcmp(q->region, region) == 0)
            return q;
    }
    return NULL;
}

sqs_queue_t *sqs_queue_by_arn(const char *arn)
{
    for (int i = 0; arn && i < nqueues; i++)
        if (strcmp(queues[i]->arn, arn) == 0)
            return queues[i];
    return NULL;
}

sqs_queue_t *sqs_queue_by_id(int64_t id)
{
    for (int i = 0; i < nqueues; i++)
        if (queues[i]->id == id)
            return queues[i];
    return NULL;
}

sqs_queue_t *sqs_queue_add(const sqs_store_queue_t *row)
{
    sqs_queue_t *q = calloc(1, sizeof(*q));
    q->id = row->id;
    q->bucket = row->bucket;
    q->account = strdup(row->account);
    q->region = strdup(row->region);
    q->name = strdup(row->name);
    q->fifo = row->fifo;
    q->created = row->created;
    q->modified = row->modified;
    q->purged_ms = row->purged_ms;
    char arn[512];
    snprintf(arn, sizeof(arn), "arn:aws:sqs:%s:%s:%s", q->region, q->account, q->name);
    q->arn = strdup(arn);
    sqs_kv_parse(&q->attrs, row->attrs);
    sqs_kv_parse(&q->tags, row->tags);
    sqs_attrs_parse(q);
    if (nqueues == capqueues) {
        capqueues = capqueues ? capqueues * 2 : 16;
        queues = realloc(queues, sizeof(*queues) * (size_t)capqueues);
    }
    queues[nqueues++] = q;
    return q;
}

static void queue_free(sqs_queue_t *q)
{
    timer_stop(&q->timer);
    sqs_kv_free(&q->attrs);
    sqs_kv_free(&q->tags);
    free(q->account);
    free(q->region);
    free(q->name);
    free(q->arn);
    free(q->dlq_arn);
    free(q);
}

static void queue_remove(sqs_queue_t *q)
{
    for (int i = 0; i < nqueues; i++)
        if (queues[i] == q) {
            memmove(queues + i, queues + i + 1, sizeof(*queues) * (size_t)(nqueues - i - 1));
            nqueues--;
            break;
        }
    queue_free(q);
}

static int queue_is(const void *held, const void *row)
{
    return ((const sqs_queue_t *)held)->id == ((const sqs_store_queue_t *)row)->id;
}

static void resync_row(const sqs_store_queue_t *row, void *arg)
{
    sqs_queue_t *q = resync_find(arg, queue_is, row);
    if (q == NULL) {
        sqs_queue_add(row);
        return;
    }
    q->modified = row->modified;
    q->purged_ms = row->purged_ms;
    q->bucket = row->bucket;
    sqs_kv_free(&q->attrs);
    sqs_kv_free(&q->tags);
    sqs_kv_parse(&q->attrs, row->attrs);
    sqs_kv_parse(&q->tags, row->tags);
    sqs_attrs_parse(q);
}

/* A queue without a row goes as DeleteQueue takes it (but is not marked deleted: it never was). */
static void queue_drop(void *held)
{
    sqs_queue_drop_waiters(held, 1);
    queue_remove(held);
}

/* After a write was rolled back (a failed call, or a failed commit of the turn's transaction),
 * memory may hold what storage does not: a queue whose CreateQueue was undone, attributes or
 * tags set before the write failed, a queue whose DeleteQueue was undone. Queues keep their
 * address (parked receives and Lambda's pollers hold them): each takes its row's attributes and
 * tags again; a queue without a row is dropped; a row without a queue is added. */
void sqs_queues_resync(void)
{
    resync_t r;
    if (resync_begin_array(&r, (void *const *)queues, (size_t)nqueues) == 0)
        resync_end(&r, sqs_store_queues_load(resync_row, &r) == 0, queue_drop);
}

/* Queues deleted in the last SQS_DELETED_MS, by ARN: AWS refuses to create a queue of the
 * same name until then (QueueDeletedRecently). In memory only: a restart forgets them. */
typedef struct {
    char *arn;
    int64_t at;
} deleted_t;
static deleted_t *deleted;
static int ndeleted, capdeleted;

/* Forgets deletions older than the window; returns 1 if arn is still in it. */
static int deleted_recently(const char *arn, int64_t now)
{
    int found = 0, n = 0;
    for (int i = 0; i < ndeleted; i++) {
        if (now - deleted[i].at >= SQS_DELETED_MS) {
            free(deleted[i].arn);
            continue;
        }
        found |= strcmp(deleted[i].arn, arn) == 0;
        deleted[n++] = deleted[i];
    }
    ndeleted = n;
    return found;
}

static void deleted_add(const char *arn, int64_t now)
{
    deleted_recently(arn, now); /* prunes */
    if (ndeleted == capdeleted) {
        capdeleted = capdeleted ? capdeleted * 2 : 8;
        deleted = realloc(deleted, sizeof(*deleted) * (size_t)capdeleted);
    }
    deleted[ndeleted++] = (deleted_t){strdup(arn), now};
}

void sqs_queues_free(void)
{
    for (int i = 0; i < nqueues; i++)
        queue_free(queues[i]);
    free(queues);
    queues = NULL;
    nqueues = capqueues = 0;
    for (int i = 0; i < ndeleted; i++)
        free(deleted[i].arn);
    free(deleted);
    deleted = NULL;
    ndeleted = capdeleted = 0;
}

static int queue_save(sqs_queue_t *q)
{
    char *attrs = sqs_kv_json(&q->attrs), *tags = sqs_kv_json(&q->tags);
    int rc = sqs_store_queue_update(q->id, attrs, tags, q->modified);
    free(attrs);
    free(tags);
    return rc;
}

int sqs_queue_save_or_fail(call_t *c, sqs_queue_t *q)
{
    int ok = sqs_store_write_begin() == 0;
    if (ok) {
        ok = queue_save(q) == 0;
        sqs_store_write_end(ok);
    }
    if (ok)
        return CALL_DONE;
    sqs_queues_resync();
    return call_error(c, SQS_INTERNAL);
}

char *sqs_queue_url(call_t *c, const sqs_queue_t *q)
{
    if (c->host && *c->host)
        return pool_join(c->pool, "http://", c->host, "/", q->account, "/", q->name, NULL);
    return call_sprintf(c, "http://%s:%d/%s/%s", sqs_cfg->host, sqs_cfg->port, q->account, q->name);
}

/* QueueUrl -> (account, name): the last two path segments of the URL. */
sqs_queue_t *sqs_queue_from_call(call_t *c)
{
    const char *url = in_str(c->in, "QueueUrl");
    if (url == NULL || *url == '\0') {
        call_error(c, "MissingParameter", "The request must contain the parameter QueueUrl.");
        return NULL;
    }
    const char *path = strstr(url, "://");
    path = path ? strchr(path + 3, '/') : url;
    sqs_queue_t *q = NULL;
    if (path) {
        size_t len = strlen(path);
        while (len > 0 && path[len - 1] == '/')
            len--;
        const char *end = path + len, *ns = end;
        while (ns > path && ns[-1] != '/')
            ns--;
        const char *as = ns > path ? ns - 1 : ns;
        while (as > path && as[-1] != '/')
            as--;
        char *name = call_strndup(c, ns, (size_t)(end - ns));
        char *account = ns > as ? call_strndup(c, as, (size_t)(ns - 1 - as)) : NULL;
        if (account == NULL || *account == '\0')
            account = (char *)c->account;
        q = sqs_queue_find(account, c->region, name);
    }
    if (q == NULL)
        call_error(c, "QueueDoesNotExist", "The specified queue does not exist.");
    return q;
}

static int valid_name(const char *name, int fifo)
{
    size_t len = strlen(name), base = len;
    if (fifo) {
        if (len < 6 || strcmp(name + len - 5, ".fifo") != 0)
            return 0;
        base = len - 5;
    }
    if (base == 0 || len > 80)
        return 0;
    for (size_t i = 0; i < base; i++)
        if (!isalnum((unsigned char)name[i]) && name[i] != '-' && name[i] != '_')
            return 0;
    return 1;
}

static int want_fifo(yajl_val attrs)
{
    const char *f = in_str(attrs, "FifoQueue");
    return f && strcmp(f, "true") == 0;
}

/* Tags as AWS checks them on create and TagQueue. */
static int check_tags(call_t *c, yajl_val tags, const sqs_kv_t *existing)
{
    if (!YAJL_IS_OBJECT(tags))
        return 0;
    size_t total = (size_t)(existing ? existing->n : 0); /* a key the queue has is overwritten, not added */
    for (size_t i = 0; i < tags->u.object.len; i++)
        total += existing == NULL || sqs_kv_get(existing, tags->u.object.keys[i]) == NULL;
    if (total > 50)
        return call_error(c, "InvalidParameterValue", "Too many tags added for queue. Maximum is 50.");
    for (size_t i = 0; i < tags->u.object.len; i++) {
        const char *k = tags->u.object.keys[i];
        const char *v = sqs_in_text(tags->u.object.values[i]);
        if (*k == '\0' || strlen(k) > 128) /* AWS's words (ballerinax/aws.sqs's tests against AWS) */
            return call_error(c, "InvalidParameterValue", "Tag keys must be between 1 and 128 characters in length.");
        if (v == NULL || strlen(v) > 256 || !sqs_utf8_valid_body(k, strlen(k)) || !sqs_utf8_valid_body(v, strlen(v)))
            return call_error(c, "InvalidParameterValue", "Tag key or value is invalid.");
    }
    return 0;
}

static void tags_apply(sqs_kv_t *kv, yajl_val tags)
{
    for (size_t i = 0; YAJL_IS_OBJECT(tags) && i < tags->u.object.len; i++)
        sqs_kv_set(kv, tags->u.object.keys[i], sqs_in_text(tags->u.object.values[i]));
}

static int write_url(call_t *c, const sqs_queue_t *q)
{
    jw_obj(&c->out);
    jw_kstr(&c->out, "QueueUrl", sqs_queue_url(c, q));
    jw_end(&c->out);
    return CALL_DONE;
}

int sqs_create_queue(call_t *c)
{
    const char *name = in_str(c->in, "QueueName");
    yajl_val attrs = in_obj(c->in, "Attributes");
    yajl_val tags = in_obj(c->in, "tags");
    if (name == NULL)
        return call_error(c, "MissingParameter", "The request must contain the parameter QueueName.");
    int fifo = want_fifo(attrs);
    if (!valid_name(name, fifo))
        return call_error(c, "InvalidParameterValue",
                          fifo ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
                                 "underscores, must end with .fifo suffix and be 1 to 80 in length."
                               : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    sqs_queue_t *q = sqs_queue_find(c->account, c->region, name);
    if (q == NULL && deleted_recently(call_sprintf(c, "arn:aws:sqs:%s:%s:%s", c->region, c->account, name), clock_now_ms()))
        return call_error(c, "QueueDeletedRecently",
                          "You must wait 60 seconds after deleting a queue before you can create another with the same name.");
    if (sqs_attrs_check(c, q, name, q ? q->fifo : fifo, attrs) != 0 || check_tags(c, tags, NULL) != 0)
        return CALL_ERROR;
    if (q != NULL)
        return sqs_attrs_differ(c, q, attrs) != 0 ? CALL_ERROR : write_url(c, q);

    sqs_kv_t kv = {0}, tkv = {0};
    sqs_attrs_defaults(&kv, fifo);
    sqs_attrs_apply(&kv, fifo, attrs);
    tags_apply(&tkv, tags);
    char *ajson = sqs_kv_json(&kv), *tjson = sqs_kv_json(&tkv);
    int64_t now_s = clock_now_ms() / 1000;
    sqs_store_queue_t row = {.account = c->account,
                             .region = c->region,
                             .name = name,
                             .fifo = fifo,
                             .attrs = ajson,
                             .tags = tjson,
                             .created = now_s,
                             .modified = now_s};
    int rc = sqs_store_write_begin();
    if (rc == 0) {
        rc = sqs_store_queue_insert(&row);
        sqs_store_write_end(rc == 0);
    }
    sqs_kv_free(&kv);
    sqs_kv_free(&tkv);
    if (rc != 0) {
        free(ajson);
        free(tjson);
        return call_error(c, SQS_INTERNAL);
    }
    q = sqs_queue_add(&row);
    free(ajson);
    free(tjson);
    return write_url(c, q);
}

int sqs_get_queue_url(call_t *c)
{
    const char *name = in_str(c->in, "QueueName");
    const char *owner = in_str(c->in, "QueueOwnerAWSAccountId");
    sqs_queue_t *q = name ? sqs_queue_find(owner && *owner ? owner : c->account, c->region, name) : NULL;
    if (q == NULL)
        return call_error(c, "QueueDoesNotExist", "The specified queue does not exist.");
    return write_url(c, q);
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(sqs_queue_t *const *)a)->name, (*(sqs_queue_t *const *)b)->name);
}

/* Writes a page of queue URLs (sorted by name) for ListQueues and ListDeadLetterSourceQueues.
 * The NextToken is the base64 of the last name returned. */
int sqs_write_url_page(call_t *c, sqs_queue_t **list, int n, const char *member)
{
    long long max = SQS_LIST_MAX;
    int has_max = sqs_in_int(c->in, "MaxResults", &max);
    if (has_max < 0 || (has_max && (max < 1 || max > SQS_LIST_MAX)))
        return call_error(c, "InvalidParameterValue",
                          "Value %s for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.",
                          sqs_in_text(in_get(c->in, "MaxResults")) ? sqs_in_text(in_get(c->in, "MaxResults")) : "");
    qsort(list, (size_t)n, sizeof(*list), by_name);
    const char *token = in_str(c->in, "NextToken");
    char *after = NULL;
    if (token && *token) {
        size_t tl = strlen(token);
        after = call_alloc(c, tl + 4);
        long dl = base64_decode(token, tl, (unsigned char *)after);
        if (dl < 0)
            return call_error(c, "InvalidParameterValue", "Invalid NextToken value.");
        after[dl] = '\0';
    }
    int i = 0;
    while (after && i < n && strcmp(list[i]->name, after) <= 0)
        i++;
    jw_obj(&c->out);
    jw_key(&c->out, member);
    jw_arr(&c->out);
    int count = 0;
    for (; i < n && count < max; i++, count++)
        jw_str(&c->out, sqs_queue_url(c, list[i]));
    jw_aend(&c->out);
    if (has_max && i < n && count > 0) {
        const char *last = list[i - 1]->name;
        char *t = call_alloc(c, base64_encoded_len(strlen(last)) + 1);
        base64_encode(last, strlen(last), t);
        jw_kstr(&c->out, "NextToken", t);
    }
    jw_end(&c->out);
    return CALL_DONE;
}

int sqs_list_queues(call_t *c)
{
    const char *prefix = in_str(c->in, "QueueNamePrefix");
    sqs_queue_t **list = call_alloc(c, sizeof(*list) * (size_t)(nqueues + 1));
    int n = 0;
    for (int i = 0; i < nqueues; i++) {
        sqs_queue_t *q = queues[i];
        if (strcmp(q->account, c->account) == 0 && strcmp(q->region, c->region) == 0 &&
            (prefix == NULL || strncmp(q->name, prefix, strlen(prefix)) == 0))
            list[n++] = q;
    }
    if (n == 0 && in_get(c->in, "MaxResults") == NULL)
        return CALL_DONE; /* AWS omits QueueUrls when there are none */
    return sqs_write_url_page(c, list, n, "QueueUrls");
}

int sqs_delete_queue(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    if (sqs_store_write_begin() != 0)
        return call_error(c, SQS_INTERNAL);
    int ok = sqs_store_queue_delete(q->id, q->bucket) == 0;
    sqs_store_write_end(ok);
    if (!ok)
        return call_error(c, SQS_INTERNAL);
    sqs_drop_kick();
    sqs_queue_drop_waiters(q, 1);
    deleted_add(q->arn, clock_now_ms());
    queue_remove(q);
    return CALL_DONE;
}

int sqs_purge_queue(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    int64_t now = clock_now_ms();
    if (q->purged_ms && now - q->purged_ms < SQS_PURGE_MS)
        return call_error(c, "PurgeQueueInProgress", "Only one PurgeQueue operation on %s is allowed every 60 seconds.", q->name);
    if (sqs_store_write_begin() != 0)
        return call_error(c, SQS_INTERNAL);
    int64_t bucket;
    int ok = sqs_store_queue_purge(q->id, q->bucket, now, &bucket) == 0;
    sqs_store_write_end(ok);
    if (!ok)
        return call_error(c, SQS_INTERNAL);
    q->bucket = bucket;
    q->purged_ms = now;
    sqs_drop_kick();
    return CALL_DONE;
}

int sqs_tag_queue(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    yajl_val tags = in_obj(c->in, "Tags");
    if (tags == NULL || tags->u.object.len == 0)
        return call_error(c, "MissingParameter", "The request must contain the parameter Tags.");
    if (check_tags(c, tags, &q->tags) != 0)
        return CALL_ERROR;
    tags_apply(&q->tags, tags);
    return sqs_queue_save_or_fail(c, q);
}

int sqs_untag_queue(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    yajl_val keys = in_arr(c->in, "TagKeys");
    if (keys == NULL || keys->u.array.len == 0)
        return call_error(c, "MissingParameter", "The request must contain the parameter TagKeys.");
    for (size_t i = 0; i < keys->u.array.len; i++)
        if (YAJL_IS_STRING(keys->u.array.values[i]))
            sqs_kv_del(&q->tags, YAJL_GET_STRING(keys->u.array.values[i]));
    return sqs_queue_save_or_fail(c, q);
}

int sqs_list_queue_tags(call_t *c)
{
    sqs_queue_t *q = sqs_queue_from_call(c);
    if (q == NULL)
        return CALL_ERROR;
    if (q->tags.n > 0) {
        jw_obj(&c->out);
        jw_key(&c->out, "Tags");
        sqs_kv_write(&c->out, &q->tags);
        jw_end(&c->out);
    }
    return CALL_DONE;
}
