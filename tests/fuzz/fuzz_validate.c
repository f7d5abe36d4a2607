/* fuzz_validate.c - validate_input on arbitrary JSON against every operation of
 * the four models. Input: byte 0 picks the model, byte 1 the operation, the
 * rest is the JSON request body (parsed by awsjson_parse as the server does). */
#include "fuzz.h"
#include "protocol/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const model_service_t *const models[] = {&model_sqs, &model_dynamodb, &model_dynamodbstreams, &model_lambda};
    if (size < 2)
        return 0;
    const model_service_t *svc = models[data[0] % 4];
    const model_op_t *op = &svc->ops[data[1] % svc->nops];
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const char *msg;
    yajl_val in = NULL;
    if (awsjson_parse(&pool, (const char *)data + 2, size - 2, 0, &in, &msg) == 0) {
        validate_error_t err;
        if (validate_input(svc, op->input, in, &pool, &err) != 0 && (err.code == NULL || err.message == NULL))
            abort();
    }
    h2o_mem_clear_pool(&pool);
    return 0;
}
