/* fuzz_ddb_value.c - AttributeValue and item validation on arbitrary JSON, and
 * on values that pass it: sizes, canonical JSON written and read back, self
 * equality, key encoding. Input: a JSON object, taken both as an item and as
 * one AttributeValue. */
#include <stdio.h>

#include "fuzz.h"
#include "services/dynamodb/ddb_value.h"

static void check_value(h2o_mem_pool_t *pool, yajl_val av)
{
    ddb_av_size(av);
    if (!ddb_av_equal(av, av) || ddb_av_compare(av, av) != 0) {
        fprintf(stderr, "a valid value differs from itself\n");
        abort();
    }
    unsigned char key[DDB_MAX_HASH_KEY];
    ddb_key_encode(av, key, sizeof(key));
    ddb_type_t t = ddb_av_type(av);
    if (ddb_type_is_scalar(t)) {
        const char *msg;
        ddb_key_validate(pool, "k", av, t, 1, &msg);
        ddb_key_validate(pool, "k", av, t, 0, &msg);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const char *text;
    fuzz_fields(&pool, data, size, &text, 1);
    yajl_val v = fuzz_json(&pool, text);
    const char *msg = NULL;
    if (v != NULL && ddb_av_validate(&pool, v, &msg) == 0)
        check_value(&pool, v);
    if (v != NULL && ddb_item_validate_in(&pool, v, DDB_LAYER_CURRENT, &msg) == 0) {
        ddb_item_size(v);
        for (size_t i = 0; i < v->u.object.len; i++)
            check_value(&pool, v->u.object.values[i]);
        jw_t w;
        jw_init(&w);
        ddb_item_write(&w, v);
        jw_reserve(&w, 0);
        w.buf[w.len] = '\0';
        yajl_val back = fuzz_json(&pool, w.buf);
        if (back == NULL || ddb_item_validate_in(&pool, back, DDB_LAYER_CURRENT, &msg) != 0 ||
            ddb_item_size(back) != ddb_item_size(v)) {
            fprintf(stderr, "canonical item %s does not read back\n", w.buf);
            abort();
        }
        for (size_t i = 0; i < v->u.object.len; i++)
            if (!ddb_av_equal(v->u.object.values[i], back->u.object.values[i])) {
                fprintf(stderr, "attribute %s changed in %s\n", v->u.object.keys[i], w.buf);
                abort();
            }
        jw_free(&w);
    }
    h2o_mem_clear_pool(&pool);
    return 0;
}
