/* fuzz_ddb_number.c - DynamoDB number parsing and arithmetic, with invariants:
 * canonical text parses back to an equal number, compare is antisymmetric,
 * key bytes sort as the numbers do, a + b - b == a when both succeed.
 * Input: "<number a>\n<number b>". */
#include <stdio.h>

#include "fuzz.h"
#include "services/dynamodb/ddb_number.h"

static int sgn(int v)
{
    return (v > 0) - (v < 0);
}

static void check_roundtrip(const ddb_num_t *n)
{
    char buf[DDB_NUM_TEXT_MAX];
    size_t len = ddb_num_format(n, buf);
    if (len >= DDB_NUM_TEXT_MAX)
        abort();
    ddb_num_t back;
    if (ddb_num_parse(buf, len, &back) != DDB_NUM_OK || ddb_num_cmp(n, &back) != 0) {
        fprintf(stderr, "canonical text %.*s does not read back\n", (int)len, buf);
        abort();
    }
    unsigned char key[DDB_NUM_KEY_MAX];
    if (ddb_num_key(n, key) > DDB_NUM_KEY_MAX)
        abort();
    ddb_num_size(n);
}

static int key_cmp(const ddb_num_t *a, const ddb_num_t *b)
{
    unsigned char ka[DDB_NUM_KEY_MAX], kb[DDB_NUM_KEY_MAX];
    size_t la = ddb_num_key(a, ka), lb = ddb_num_key(b, kb);
    int c = memcmp(ka, kb, la < lb ? la : lb);
    return c ? sgn(c) : sgn((int)la - (int)lb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const char *f[2];
    fuzz_fields(&pool, data, size, f, 2);
    ddb_num_t a, b, r, back;
    int ra = ddb_num_parse(f[0], strlen(f[0]), &a), rb = ddb_num_parse(f[1], strlen(f[1]), &b);
    char msg[128];
    ddb_num_errmsg(ra, f[0], strlen(f[0]), msg, sizeof(msg));
    if (ra == DDB_NUM_OK)
        check_roundtrip(&a);
    if (rb == DDB_NUM_OK)
        check_roundtrip(&b);
    if (ra == DDB_NUM_OK && rb == DDB_NUM_OK) {
        int c = sgn(ddb_num_cmp(&a, &b));
        if (c != -sgn(ddb_num_cmp(&b, &a)) || c != key_cmp(&a, &b)) {
            fprintf(stderr, "order of %s and %s disagrees\n", f[0], f[1]);
            abort();
        }
        if (ddb_num_add(&a, &b, &r) == DDB_NUM_OK) {
            check_roundtrip(&r);
            if (ddb_num_sub(&r, &b, &back) == DDB_NUM_OK && ddb_num_cmp(&back, &a) != 0) {
                fprintf(stderr, "(%s + %s) - %s != %s\n", f[0], f[1], f[1], f[0]);
                abort();
            }
        }
        if (ddb_num_sub(&a, &b, &r) == DDB_NUM_OK) {
            check_roundtrip(&r);
            if (sgn(r.sign) != c) {
                fprintf(stderr, "sign of %s - %s disagrees with compare\n", f[0], f[1]);
                abort();
            }
        }
    }
    h2o_mem_clear_pool(&pool);
    return 0;
}
