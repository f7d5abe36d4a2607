/* fuzz_partiql.c - the PartiQL statement parser on arbitrary text. */
#include "fuzz.h"
#include "services/dynamodb/ddb_partiql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const char *text;
    fuzz_fields(&pool, data, size, &text, 1);
    pql_stmt_t st;
    const char *err = NULL;
    if (pql_parse(&pool, text, &st, &err) != 0 && err == NULL)
        abort();
    h2o_mem_clear_pool(&pool);
    return 0;
}
