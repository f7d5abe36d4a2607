/* test_poolfmt.c - protocol/poolfmt.c: pool_sprintf gives printf's text whether it fits the
 * one-pass buffer or not (and at its edge), pool_join concatenates, hex_encode writes lower-case
 * hex. */
#include <string.h>

#include "check.h"
#include "protocol/poolfmt.h"

static void check_sprintf_lengths(h2o_mem_pool_t *pool)
{
    char want[1200];
    for (size_t n = 0; n < sizeof(want) - 1; n += n < 250 ? 1 : n < 260 ? 1 : 37) { /* across 256 */
        memset(want, 'a' + n % 26, n);
        want[n] = '\0';
        char *got = pool_sprintf(pool, "%s", want);
        CHECK(strlen(got) == n && strcmp(got, want) == 0, "length %zu", n);
        got = pool_sprintf(pool, "<%d:%.*s>", (int)n, (int)n, want);
        CHECK(strncmp(got, "<", 1) == 0 && strlen(got) > n + 2 && got[strlen(got) - 1] == '>', "length %zu", n);
    }
    CHECK_STR(pool_sprintf(pool, "%s", ""), "");
    CHECK_STR(pool_sprintf(pool, "%s-%05d-%x", "q", 42, 255), "q-00042-ff");
}

int main(void)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    check_sprintf_lengths(&pool);
    CHECK_STR(pool_join(&pool, "http://", "localhost:4566", "/", "000000000000", "/", "q", NULL),
              "http://localhost:4566/000000000000/q");
    CHECK_STR(pool_join(&pool, "", NULL), "");
    CHECK_STR(pool_join(&pool, "one", NULL), "one");
    char hex[9];
    hex_encode((const unsigned char *)"\x00\xab\x7f\xff", 4, hex);
    CHECK_STR(hex, "00ab7fff");
    h2o_mem_clear_pool(&pool);
    return check_summary();
}
