/* fuzz_awsjson.c - the JSON 1.0 body parser (depth cap, NUL bytes, non-object
 * bodies), and the tree written back out with ytree_write. */
#include "fuzz.h"
#include "protocol/ytree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const char *msg = NULL;
    yajl_val in = NULL;
    if (awsjson_parse(&pool, (const char *)data, size, &in, &msg) == 0) {
        if (in == NULL || !YAJL_IS_OBJECT(in))
            abort();
        jw_t w;
        jw_init(&w);
        ytree_write(&w, in);
        jw_free(&w);
    } else if (msg == NULL) {
        abort();
    }
    h2o_mem_clear_pool(&pool);
    return 0;
}
