/* test_sqs_api.c - unit tests for services/sqs/sqs_api.c, the in-process SQS API, on an
 * in-memory SQS service: sqs_api_send (the path of SendMessage: MD5, wake-ups, limits,
 * queue types) read back with sqs_api_receive and settled with sqs_api_delete. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "protocol/call.h"
#include "services/service.h"
#include "services/sqs/sqs_api.h"
#include "storage/db.h"

#define ARN "arn:aws:sqs:us-east-1:000000000000:"

/* Runs an SQS operation with the JSON input text; returns CALL_DONE or CALL_ERROR. */
static int op(const char *name, const char *input)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    char eb[128];
    call_t c = {.pool = &pool, .account = "000000000000", .region = "us-east-1", .host = "localhost", .op_name = name};
    c.in = yajl_tree_parse(input, eb, sizeof(eb));
    jw_init(&c.out);
    int rc = service_find_op(&sqs_service, name, strlen(name))(&c);
    CHECK(rc == CALL_DONE, "%s %s: %s %s", name, input, c.err_code ? c.err_code : "", c.err_msg ? c.err_msg : "");
    jw_free(&c.out);
    yajl_tree_free(c.in);
    h2o_mem_clear_pool(&pool);
    db_commit_turn();
    return rc;
}

typedef struct {
    char body[64], md5[33], id[37], handle[128];
    int n;
} got_t;

static void on_msg(const sqs_api_msg_t *m, void *arg)
{
    got_t *g = arg;
    g->n++;
    snprintf(g->body, sizeof(g->body), "%.*s", (int)m->body_len, m->body);
    snprintf(g->md5, sizeof(g->md5), "%s", m->md5_of_body);
    snprintf(g->id, sizeof(g->id), "%s", m->message_id);
    snprintf(g->handle, sizeof(g->handle), "%s", m->receipt_handle);
}

static void on_wake(void *arg)
{
    (*(int *)arg)++;
}

static void test_send(void)
{
    op("CreateQueue", "{\"QueueName\":\"dest\"}");
    op("CreateQueue", "{\"QueueName\":\"small\",\"Attributes\":{\"MaximumMessageSize\":\"1024\"}}");
    op("CreateQueue", "{\"QueueName\":\"delayed\",\"Attributes\":{\"DelaySeconds\":\"60\"}}");
    op("CreateQueue", "{\"QueueName\":\"f.fifo\",\"Attributes\":{\"FifoQueue\":\"true\"}}");
    char id[37] = "";
    int woken = 0;
    CHECK(sqs_api_wait(ARN "dest", on_wake, &woken) == 0);
    CHECK(sqs_api_send(ARN "dest", "hello", 5, id) == 0);
    db_commit_turn();
    CHECK(woken == 1, "a send wakes the queue's waiters");
    CHECK(strlen(id) == 36);
    got_t g = {0};
    CHECK(sqs_api_receive(ARN "dest", 10, 30, on_msg, &g) == 1);
    CHECK_STR(g.body, "hello");
    CHECK_STR(g.md5, "5d41402abc4b2a76b9719d911017c592");
    CHECK_STR(g.id, id);
    CHECK(sqs_api_delete(ARN "dest", g.handle) == 0);
    db_commit_turn();

    CHECK(sqs_api_send(ARN "nope", "x", 1, id) == -1, "no such queue");
    CHECK(sqs_api_send(ARN "f.fifo", "x", 1, id) == -2, "FIFO queues need a group");
    CHECK(sqs_api_send(ARN "dest", "", 0, id) == -2, "empty body");
    CHECK(sqs_api_send(ARN "dest", "a\0b", 3, id) == -2, "NUL is not an SQS character");
    CHECK(sqs_api_send(ARN "dest", "a\x01", 2, id) == -2, "control characters");
    char big[1025];
    memset(big, 'x', sizeof(big));
    CHECK(sqs_api_send(ARN "small", big, 1024, id) == 0, "at MaximumMessageSize");
    CHECK(sqs_api_send(ARN "small", big, 1025, id) == -2, "over MaximumMessageSize");
    CHECK(sqs_api_send(ARN "delayed", "later", 5, id) == 0);
    db_commit_turn();
    g.n = 0;
    CHECK(sqs_api_receive(ARN "delayed", 10, 30, on_msg, &g) == 0, "the queue's DelaySeconds applies");
}

int main(void)
{
    config_t cfg = {.data_dir = ".", .in_memory = 1, .region = "us-east-1"};
    char err[256];
    if (sqs_service.open(&cfg, err, sizeof(err)) != 0) {
        printf("open: %s\n", err);
        return 1;
    }
    test_send();
    sqs_service.close();
    return check_summary();
}
