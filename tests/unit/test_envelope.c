/* test_envelope.c - the AWS JSON 1.0 envelope: body parsing, error metadata
 * per service and protocol, error bodies, CRC32, and the timer heap. */
#include <h2o.h>

#include "check.h"
#include "protocol/call_http.h"
#include "services/clock.h"
#include "services/timer.h"

static void test_parse(void)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    yajl_val v;
    const char *msg;
    CHECK(awsjson_parse(&pool, "", 0, AWSJSON_TEXT_REFUSE_NUL, &v, &msg) == 0 && YAJL_IS_OBJECT(v) && v->u.object.len == 0);
    CHECK(awsjson_parse(&pool, "{\"TableName\":\"t\"}", 17, AWSJSON_TEXT_REFUSE_NUL, &v, &msg) == 0);
    CHECK_STR(in_str(v, "TableName"), "t");
    CHECK(awsjson_parse(&pool, "{\"a\":", 5, AWSJSON_TEXT_REFUSE_NUL, &v, &msg) == -1);
    CHECK(awsjson_parse(&pool, "[1]", 3, AWSJSON_TEXT_REFUSE_NUL, &v, &msg) == -1);
    CHECK(awsjson_parse(&pool, "\"x\"", 3, AWSJSON_TEXT_REFUSE_NUL, &v, &msg) == -1);
    char deep[300];
    memset(deep, '[', sizeof(deep));
    CHECK(awsjson_parse(&pool, deep, sizeof(deep), AWSJSON_TEXT_REFUSE_NUL, &v, &msg) == -1);
    CHECK(awsjson_parse(&pool, "{\"a\":\"\0\"}", 9, AWSJSON_TEXT_REFUSE_NUL, &v, &msg) == -1);
    /* a lone surrogate: '?' for the Java services, its encoding kept for SQS to refuse */
    const char *sur = "{\"k\\udc00\":\"a\\ud800b\\ud83d\\ude00\"}";
    CHECK(awsjson_parse(&pool, sur, strlen(sur), AWSJSON_TEXT_REFUSE_NUL, &v, &msg) == 0 &&
          strcmp(v->u.object.keys[0], "k?") == 0 && strcmp(v->u.object.values[0]->u.string, "a?b\xf0\x9f\x98\x80") == 0);
    CHECK(awsjson_parse(&pool, sur, strlen(sur), AWSJSON_TEXT_SQS, &v, &msg) == 0 &&
          strcmp(v->u.object.values[0]->u.string, "a\xed\xa0\x80"
                                                  "b\xf0\x9f\x98\x80") == 0);
    h2o_mem_clear_pool(&pool);
}

static void test_error_table(void)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    error_info_t ei;
    service_t sqs = {"sqs", &model_sqs, NULL, NULL, NULL};
    service_t ddb = {"dynamodb", &model_dynamodb, NULL, NULL, NULL};
    service_t lambda = {"lambda", &model_lambda, NULL, NULL, NULL};
    errors_lookup(&sqs, "QueueDoesNotExist", &pool, &ei);
    CHECK(ei.status == 400);
    CHECK_STR(ei.json_type, "com.amazonaws.sqs#QueueDoesNotExist");
    CHECK_STR(ei.query_code, "AWS.SimpleQueueService.NonExistentQueue");
    CHECK(ei.sender_fault);
    errors_lookup(&ddb, "ResourceNotFoundException", &pool, &ei);
    CHECK_STR(ei.json_type, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
    CHECK(ei.status == 400);
    errors_lookup(&ddb, "ValidationException", &pool, &ei);
    CHECK_STR(ei.json_type, "com.amazon.coral.validate#ValidationException");
    errors_lookup(&ddb, "InternalServerError", &pool, &ei);
    CHECK(ei.status == 500 && !ei.sender_fault);
    errors_lookup(&lambda, "ResourceNotFoundException", &pool, &ei);
    CHECK(ei.status == 404);
    CHECK_STR(ei.message_key, "Message");
    errors_lookup(&lambda, "ResourceConflictException", &pool, &ei);
    CHECK(ei.status == 409);
    CHECK_STR(ei.message_key, "message");
    errors_lookup(&sqs, "InvalidAction", &pool, &ei);
    CHECK_STR(ei.json_type, "com.amazonaws.sqs#InvalidAction");
    CHECK_STR(ei.query_code, "InvalidAction");
    h2o_mem_clear_pool(&pool);
}

static void test_error_body(void)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    call_t c;
    memset(&c, 0, sizeof(c));
    c.pool = &pool;
    call_error(&c, "TransactionCanceledException",
               "Transaction cancelled, please refer cancellation reasons for specific "
               "reasons [ConditionalCheckFailed]");
    jw_init(&c.out);
    jw_obj(&c.out);
    jw_key(&c.out, "CancellationReasons");
    jw_arr(&c.out);
    jw_obj(&c.out);
    jw_kstr(&c.out, "Code", "ConditionalCheckFailed");
    jw_end(&c.out);
    jw_aend(&c.out);
    jw_end(&c.out);
    h2o_iovec_t b = call_error_json(&c, "__type", "com.amazonaws.dynamodb.v20120810#TransactionCanceledException", "message");
    char *s = h2o_strdup(&pool, b.base, b.len).base;
    CHECK_STR(s, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\",\"message\":\"Transaction "
                 "cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]\","
                 "\"CancellationReasons\":[{\"Code\":\"ConditionalCheckFailed\"}]}");
    jw_free(&c.out);
    h2o_mem_clear_pool(&pool);
}

static void test_crc32(void)
{
    CHECK(crc32_of("123456789", 9) == 0xCBF43926u);
    CHECK(crc32_of("{}", 2) == 2745614147u);
    /* Longer than a step of eight, at every alignment of the tail (zlib.crc32 of the same bytes). */
    CHECK(crc32_of("The quick brown fox jumps over the lazy dog", 43) == 0x414FA339u);
    CHECK(crc32_of("The quick brown fox jumps over the lazy dog.", 44) == 0x519025E9u);
    CHECK(crc32_of("0123456789abcdef", 16) == 0x68C4F033u);
}

static int fired[4], nfired;
static void on_timer(loop_timer_t *t)
{
    fired[nfired++] = (int)(intptr_t)t->data;
}

static void test_timers(void)
{
    loop_timer_t t[4];
    int64_t now = clock_now_ms();
    for (int i = 0; i < 4; i++)
        timer_init(&t[i], on_timer, (void *)(intptr_t)i);
    timer_start(&t[0], now + 300000);
    timer_start(&t[1], now - 5);
    timer_start(&t[2], now - 10);
    timer_start(&t[3], now - 1);
    timer_stop(&t[3]);
    CHECK(timer_next_wait_ms(1000) == 0);
    timer_run_due();
    CHECK(nfired == 2 && fired[0] == 2 && fired[1] == 1);
    CHECK(timer_active(&t[0]) && !timer_active(&t[1]));
    int32_t wait = timer_next_wait_ms(1000);
    CHECK(wait == 1000);
    clock_set_offset_ms(400000);
    timer_run_due();
    CHECK(nfired == 3 && fired[2] == 0);
    clock_set_offset_ms(0);
}

int main(void)
{
    test_parse();
    test_error_table();
    test_error_body();
    test_crc32();
    test_timers();
    return check_summary();
}
