/* fuzz_query_decode.c - the SQS query protocol decoder on hostile forms.
 * Input: "<query string>\n<form body>". A decoded request is then validated
 * against its operation's input shape, as call_run() does, and its error
 * rendering exercised. */
#include "fuzz.h"
#include "protocol/query.h"
#include "protocol/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const char *f[2];
    fuzz_fields(&pool, data, size, f, 2);
    query_request_t q;
    memset(&q, 0, sizeof(q));
    if (query_decode(&model_sqs, h2o_iovec_init(f[0], strlen(f[0])), h2o_iovec_init(f[1], strlen(f[1])), &pool, &q) == 0) {
        if (q.op == NULL || q.in == NULL || !YAJL_IS_OBJECT(q.in))
            abort();
        validate_error_t err;
        if (validate_input(&model_sqs, q.op->input, q.in, &pool, &err) != 0)
            query_render_error(&model_sqs, err.code, err.message, "rid", &pool);
    } else {
        if (q.err_code == NULL || q.err_msg == NULL)
            abort();
        query_render_error(&model_sqs, q.err_code, q.err_msg, "rid", &pool);
    }
    h2o_mem_clear_pool(&pool);
    return 0;
}
