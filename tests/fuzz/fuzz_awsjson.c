/* fuzz_awsjson.c - the JSON 1.0 body parser (depth cap, NUL bytes, non-object
 * bodies), and the tree written back out with ytree_write; and ytree_parse held to
 * yajl_tree_parse: the same tree, or both refuse the text (ytree_parse also refuses
 * nesting past its cap and strings holding NUL); with YTREE_NUL_OVERLONG, a text it
 * takes without the flag gives the same tree, and what it takes is written and read
 * back as the same tree. */
#include "fuzz.h"
#include "protocol/ytree.h"
#include "tests/unit/ytree_same.h"

static void same_as_yajl(h2o_mem_pool_t *pool, const uint8_t *data, size_t size)
{
    if (memchr(data, '\0', size) != NULL)
        return; /* yajl_tree_parse reads a C string */
    char *text = h2o_mem_alloc_pool(pool, size + 1), err[256];
    memcpy(text, data, size);
    text[size] = '\0';
    yajl_val want = yajl_tree_parse(text, err, sizeof(err));
    ytree_error_t why;
    yajl_val got = ytree_parse(pool, (const char *)data, size, 1000, 0, &why, err, sizeof(err));
    int refused = got == NULL && (why == YTREE_TOO_DEEP || why == YTREE_NUL);
    if (want != NULL && got != NULL) {
        if (!ytree_lone_high(text, size) && !ytree_same(want, got))
            abort();
    } else if ((want == NULL) != (got == NULL) && !refused) {
        abort();
    }
    yajl_tree_free(want);
}

static void nul_round_trip(h2o_mem_pool_t *pool, const uint8_t *data, size_t size)
{
    ytree_error_t why;
    char err[256];
    yajl_val plain = ytree_parse(pool, (const char *)data, size, 1000, 0, &why, err, sizeof(err));
    yajl_val kept = ytree_parse(pool, (const char *)data, size, 1000, YTREE_NUL_OVERLONG, &why, err, sizeof(err));
    if (plain != NULL && (kept == NULL || !ytree_same(plain, kept)))
        abort();
    if (kept == NULL || why == YTREE_LONE_SURROGATE) /* the writer makes a lone surrogate '?' */
        return;
    jw_t w;
    jw_init(&w);
    ytree_write(&w, kept);
    yajl_val again = ytree_parse(pool, w.buf, w.len, 1000, YTREE_NUL_OVERLONG, &why, err, sizeof(err));
    if (again == NULL || !ytree_same(kept, again))
        abort();
    jw_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const char *msg = NULL;
    yajl_val in = NULL;
    if (awsjson_parse(&pool, (const char *)data, size, AWSJSON_TEXT_REFUSE_NUL, &in, &msg) == 0) {
        if (in == NULL || !YAJL_IS_OBJECT(in))
            abort();
        jw_t w;
        jw_init(&w);
        ytree_write(&w, in);
        jw_free(&w);
    } else if (msg == NULL) {
        abort();
    }
    same_as_yajl(&pool, data, size);
    nul_round_trip(&pool, data, size);
    h2o_mem_clear_pool(&pool);
    return 0;
}
