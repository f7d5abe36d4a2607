/* fuzz_query_render.c - the query protocol's XML rendering of a service's JSON
 * output (query_render_output) for every SQS operation, on arbitrary JSON:
 * outputs carry user data (message bodies, attributes, tags), so whatever
 * their shape the renderer must not crash. Input: byte 0 picks the operation,
 * the rest is the JSON output. */
#include "fuzz.h"
#include "protocol/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const model_op_t *op = &model_sqs.ops[data[0] % model_sqs.nops];
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const char *json;
    fuzz_fields(&pool, data + 1, size - 1, &json, 1);
    query_render_output(&model_sqs, op, json, strlen(json), "rid", &pool);
    h2o_mem_clear_pool(&pool);
    return 0;
}
