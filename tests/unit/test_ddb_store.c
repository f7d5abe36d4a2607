/* test_ddb_store.c - unit tests for storage/ddb_store.c: tables, items, range
 * reads (query bounds both ways, resume after a start key, index entry order,
 * scan segments as hash ranges), TTL expiry and reindexing, transaction tokens. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ddb_testutil.h"
#include "storage/ddb_store.h"

static ddb_kbytes_t kb(const char *pk, const char *sk)
{
    ddb_kbytes_t k = {ddb_store_hash(pk, strlen(pk)), pk, sk, strlen(pk), strlen(sk)};
    return k;
}

/* The rows of a range read joined as "item,item,...". */
static const char *read_all(const ddb_range_t *r)
{
    static char out[1024];
    ddb_iter_t it;
    ddb_row_t row;
    out[0] = '\0';
    if (ddb_store_iter_begin(&it, r) != 0)
        return "ERR";
    while (ddb_store_iter_next(&it, &row) == 1) {
        if (out[0])
            strcat(out, ",");
        strncat(out, row.item, row.len);
    }
    ddb_store_iter_end(&it);
    return out;
}

/* Puts one item (ttl: its expiry or NULL); what it replaced in *old when given (the text too with a pool). 0 or -1. */
static int put_one(int64_t table, const ddb_kbytes_t *k, const char *item, const int64_t *ttl, h2o_mem_pool_t *text_pool,
                   ddb_replaced_t *old)
{
    ddb_put_t row = {k, item, strlen(item), (int64_t)strlen(item), ttl != NULL, ttl ? *ttl : 0, {0, NULL, 0}};
    int rc = ddb_store_item_put(table, &row, text_pool);
    if (old)
        *old = row.old;
    return rc;
}

static void put(int64_t table, const char *pk, const char *sk, const char *item)
{
    ddb_kbytes_t k = kb(pk, sk);
    CHECK(put_one(table, &k, item, NULL, NULL, NULL) == 0, "put %s", item);
}

static void test_tables(void)
{
    int64_t a = ddb_store_table_insert("111122223333", "us-east-1", "beta", "{}", 2, NULL);
    int64_t b = ddb_store_table_insert("111122223333", "us-east-1", "alpha", "{\"x\":1}", 7, "exp");
    ddb_store_table_insert("111122223333", "eu-west-1", "gamma", "{}", 2, NULL);
    CHECK(a > 0 && b > a);
    CHECK(ddb_store_table_insert("111122223333", "us-east-1", "alpha", "{}", 2, NULL) < 0, "names are unique per region");
    ddb_table_row_t row;
    CHECK(ddb_store_table_get(&pool, "111122223333", "us-east-1", "alpha", &row) == 1 && row.id == b);
    CHECK_STR(row.meta, "{\"x\":1}");
    CHECK(ddb_store_table_get(&pool, "111122223333", "eu-west-1", "alpha", &row) == 0, "regions are separate");
    const char **names;
    CHECK(ddb_store_table_names(&pool, "111122223333", "us-east-1", NULL, 10, &names) == 2);
    CHECK_STR(names[0], "alpha");
    CHECK(ddb_store_table_names(&pool, "111122223333", "us-east-1", "alpha", 10, &names) == 1);
    CHECK_STR(names[0], "beta");
    int64_t count, bytes;
    put(b, "p", "1", "{\"a\":1}");
    put(b, "p", "2", "{\"a\":22}");
    put(b, "p", "1", "{}");
    CHECK(ddb_store_owner_totals(b, 0, &count, &bytes) == 0 && count == 2 && bytes == 10, "totals %lld %lld", (long long)count,
          (long long)bytes);
    CHECK(ddb_store_owner_totals(a, 0, &count, &bytes) == 0 && count == 0 && bytes == 0, "an empty table's totals");
    int64_t *ids;
    CHECK(ddb_store_ttl_tables(&pool, &ids) == 1 && ids[0] == b, "ttl tables");
    CHECK(ddb_store_tables_matching(&pool, "\"x\":1", &ids) == 1 && ids[0] == b, "tables matching");
    ddb_kbytes_t k = {ddb_store_hash("x", 1), "x", "", 1, 0};
    CHECK(put_one(a, &k, "{}", NULL, NULL, NULL) == 0);
    CHECK(ddb_store_table_delete(a) == 0 && ddb_store_table_get(&pool, "111122223333", "us-east-1", "beta", &row) == 0);
    CHECK(ddb_store_purge(100) == 1 && ddb_store_purge(100) == 0, "dropped table's items purged");
    h2o_mem_clear_pool(&pool);
}

static void test_query(void)
{
    int64_t t = ddb_store_table_insert("1", "r", "q", "{}", 2, NULL);
    const char *sks[] = {"c", "a", "e", "b", "d"};
    for (int i = 0; i < 5; i++) {
        char item[8];
        snprintf(item, sizeof(item), "%s", sks[i]);
        put(t, "p", sks[i], item);
    }
    put(t, "other", "a", "X");
    ddb_range_t r = {.owner = t, .part = kb("p", "")};
    CHECK_STR(read_all(&r), "a,b,c,d,e");
    r.desc = 1;
    CHECK_STR(read_all(&r), "e,d,c,b,a");
    r.desc = 0;
    r.lo = "b", r.lolen = 1, r.lo_incl = 1;
    r.hi = "d", r.hilen = 1, r.hi_incl = 0;
    CHECK_STR(read_all(&r), "b,c");
    r.lo_incl = 0, r.hi_incl = 1;
    CHECK_STR(read_all(&r), "c,d");
    ddb_range_t s = {.owner = t, .part = kb("p", ""), .has_start = 1, .start = kb("p", "b")};
    CHECK_STR(read_all(&s), "c,d,e");
    s.desc = 1;
    s.start = kb("p", "d");
    CHECK_STR(read_all(&s), "c,b,a");
    /* replace and delete */
    put(t, "p", "c", "C");
    ddb_kbytes_t k = kb("p", "a");
    CHECK(ddb_store_item_delete(t, &k, NULL, NULL) == 0);
    ddb_range_t all = {.owner = t, .part = kb("p", "")};
    CHECK_STR(read_all(&all), "b,C,d,e");
    const char *item;
    size_t len;
    int64_t size;
    k = kb("p", "c");
    CHECK(ddb_store_item_get(&pool, t, &k, &item, &len, &size) == 1 && strcmp(item, "C") == 0 && size == 1);
    k = kb("p", "zz");
    CHECK(ddb_store_item_get(&pool, t, &k, &item, &len, &size) == 0);
    h2o_mem_clear_pool(&pool);
}

static void test_scan(void)
{
    int64_t t = ddb_store_table_insert("1", "r", "s", "{}", 2, NULL);
    char pk[16];
    for (int i = 0; i < 200; i++) {
        snprintf(pk, sizeof(pk), "k%d", i);
        put(t, pk, "", "i");
    }
    ddb_range_t r = {.owner = t, .scan = 1, .ph_lo = 0, .ph_hi = UINT32_MAX};
    CHECK(strlen(read_all(&r)) == 200 * 2 - 1, "scan reads every item");
    /* three segments as hash ranges cover the table once */
    uint64_t span = ((uint64_t)UINT32_MAX + 1) / 3;
    size_t total = 0;
    for (int seg = 0; seg < 3; seg++) {
        ddb_range_t sr = {.owner = t,
                          .scan = 1,
                          .ph_lo = (uint32_t)(span * seg),
                          .ph_hi = seg == 2 ? UINT32_MAX : (uint32_t)(span * (seg + 1) - 1)};
        const char *got = read_all(&sr);
        size_t n = *got ? (strlen(got) + 1) / 2 : 0;
        CHECK(n > 20, "segment %d holds a fair share (%zu)", seg, n);
        total += n;
    }
    CHECK(total == 200, "segments cover the table once (%zu)", total);
    /* resuming after the first row skips exactly that row */
    ddb_iter_t it;
    ddb_row_t row;
    ddb_store_iter_begin(&it, &r);
    ddb_store_iter_next(&it, &row);
    ddb_store_iter_end(&it);
    ddb_kbytes_t first = {0};
    for (int i = 0; i < 200 && !first.pk; i++) {
        snprintf(pk, sizeof(pk), "k%d", i);
        ddb_kbytes_t k = kb(pk, "");
        ddb_range_t one = {.owner = t, .scan = 1, .ph_lo = 0, .ph_hi = k.ph};
        if (strlen(read_all(&one)) == 1) {
            static char keep[16];
            strcpy(keep, pk);
            first = kb(keep, "");
        }
    }
    CHECK(first.pk != NULL, "found the first row's key");
    ddb_range_t rest = r;
    rest.has_start = 1;
    rest.start = first;
    CHECK(strlen(read_all(&rest)) == 199 * 2 - 1, "resume after the first row");
}

static void test_entries(void)
{
    int64_t t = ddb_store_table_insert("1", "r", "e", "{}", 2, NULL);
    int64_t ix = ddb_store_index_new_id(t);
    struct {
        const char *isk, *tpk, *item;
    } rows[] = {{"2", "b", "2b"}, {"1", "z", "1z"}, {"2", "a", "2a"}, {"3", "a", "3a"}};
    for (int i = 0; i < 4; i++) {
        ddb_kbytes_t ik = kb("g", rows[i].isk), tk = kb(rows[i].tpk, "");
        CHECK(ddb_store_entry_put(ix, &ik, &tk, rows[i].item, 2, 2) == 0);
    }
    ddb_range_t r = {.owner = ix, .is_index = 1, .part = kb("g", "")};
    CHECK_STR(read_all(&r), "1z,2a,2b,3a");
    r.has_start = 1;
    r.start = kb("g", "2");
    r.start_t = kb("a", "");
    CHECK_STR(read_all(&r), "2b,3a");
    r.desc = 1;
    CHECK_STR(read_all(&r), "1z");
    ddb_range_t sc = {.owner = ix,
                      .is_index = 1,
                      .scan = 1,
                      .ph_lo = 0,
                      .ph_hi = UINT32_MAX,
                      .has_start = 1,
                      .start = kb("g", "2"),
                      .start_t = kb("a", "")};
    CHECK_STR(read_all(&sc), "2b,3a");
    int64_t count, bytes;
    CHECK(ddb_store_owner_totals(ix, 1, &count, &bytes) == 0 && count == 4 && bytes == 8, "an index's totals");
    ddb_kbytes_t gk = kb("g", "3"), ak = kb("a", "");
    CHECK(ddb_store_entry_add(ix, &gk, &ak, "xx", 2, 2) == 0, "an existing entry stays");
    gk = kb("g", "4");
    CHECK(ddb_store_entry_add(ix, &gk, &ak, "4a", 2, 2) == 1, "a missing entry is added");
    CHECK_STR(read_all(&(ddb_range_t){.owner = ix, .is_index = 1, .part = kb("g", "")}), "1z,2a,2b,3a,4a");
    ddb_kbytes_t ik = kb("g", "1"), tk = kb("z", "");
    CHECK(ddb_store_entry_delete(ix, &ik, &tk) == 0);
    CHECK(ddb_store_index_drop(ix) == 0);
    int n, total = 0;
    while ((n = ddb_store_purge(2)) > 0)
        total += n;
    CHECK(n == 0 && total == 4, "purge removes a dropped index's entries in batches (%d)", total);
    CHECK(ddb_store_owner_totals(ix, 1, &count, &bytes) == 0 && count == 0, "a purged index has no entries");
}

static void test_ttl_and_tokens(void)
{
    int64_t t = ddb_store_table_insert("1", "r", "ttl", "{}", 2, NULL);
    const char *items[] = {"{\"id\":{\"S\":\"a\"},\"exp\":{\"N\":\"100\"}}", "{\"id\":{\"S\":\"b\"},\"exp\":{\"N\":\"5000.5\"}}",
                           "{\"id\":{\"S\":\"c\"}}", "{\"id\":{\"S\":\"d\"},\"exp\":{\"S\":\"100\"}}"};
    for (int i = 0; i < 4; i++) {
        char pk[2] = {(char)('a' + i), 0};
        put(t, pk, "", items[i]);
    }
    const char **out;
    CHECK(ddb_store_ttl_expired(&pool, t, 200, 10, &out) == 0, "no expiry before TTL is on");
    CHECK(ddb_store_ttl_reindex(t, "exp") == 0);
    CHECK(ddb_store_ttl_expired(&pool, t, 200, 10, &out) == 1 && strstr(out[0], "\"a\""), "number TTL expires");
    CHECK(ddb_store_ttl_expired(&pool, t, 6000, 10, &out) == 2, "fractional TTL, string TTL ignored");
    CHECK(ddb_store_ttl_expired(&pool, t, 100 + 6LL * 365 * 86400, 10, &out) == 0, "expiry over five years old is ignored");
    CHECK(ddb_store_ttl_reindex(t, NULL) == 0 && ddb_store_ttl_expired(&pool, t, 6000, 10, &out) == 0, "TTL off");
    const char *hash, *resp;
    CHECK(ddb_store_token_put("1", "r", "tok", "h1", "{}", 1000) == 0);
    CHECK(ddb_store_token_get(&pool, "1", "r", "tok", 999, &hash, &resp) == 1 && strcmp(hash, "h1") == 0);
    CHECK(ddb_store_token_get(&pool, "1", "r", "tok", 1000, &hash, &resp) == 0, "token expires");
    CHECK(ddb_store_token_get(&pool, "2", "r", "tok", 0, &hash, &resp) == 0, "tokens are per account");
    h2o_mem_clear_pool(&pool);
}

/* Writes that report the row they replace or delete (no read before the write). */
static void test_replaced(void)
{
    int64_t t = ddb_store_table_insert("1", "r", "old", "{}", 2, NULL), ttl = 100;
    ddb_kbytes_t k = kb("p", "1");
    ddb_replaced_t old;
    const char **out;
    CHECK(put_one(t, &k, "{\"a\":1}", &ttl, &pool, &old) == 0 && old.size == 0 && !old.item, "new item");
    CHECK(ddb_store_ttl_expired(&pool, t, 200, 10, &out) == 1, "expiry of the new item kept");
    CHECK(put_one(t, &k, "{\"a\":22}", NULL, &pool, &old) == 0 && old.size == 7 && old.len == 7 &&
              strcmp(old.item, "{\"a\":1}") == 0,
          "replaced: %lld", (long long)old.size);
    CHECK(ddb_store_ttl_expired(&pool, t, 200, 10, &out) == 0, "the overwrite dropped the expiry");
    const char *item;
    size_t len;
    int64_t size, count, bytes;
    CHECK(ddb_store_item_get(&pool, t, &k, &item, &len, &size) == 1 && strcmp(item, "{\"a\":22}") == 0 && size == 8);
    CHECK(ddb_store_owner_totals(t, 0, &count, &bytes) == 0 && count == 1 && bytes == 8);
    ddb_kbytes_t missing = kb("p", "2");
    CHECK(ddb_store_item_delete(t, &missing, &pool, &old) == 0 && old.size == 0 && !old.item, "nothing deleted");
    CHECK(put_one(t, &k, "{}", NULL, NULL, &old) == 0 && old.size == 8 && !old.item, "size alone");
    CHECK(ddb_store_item_delete(t, &k, &pool, &old) == 0 && old.size == 2 && strcmp(old.item, "{}") == 0, "deleted");
    CHECK(ddb_store_item_get(&pool, t, &k, NULL, NULL, &size) == 0);
    h2o_mem_clear_pool(&pool);
}

/* Many rows added in one call (past the rows of one statement too): only the keys without an item are written. */
static void test_add_many(void)
{
    int64_t t = ddb_store_table_insert("1", "r", "many", "{}", 2, NULL), ttl = 50;
    enum { N = DDB_STORE_ADD_MAX + 5 };
    static char pks[N][8], texts[N][16];
    static ddb_kbytes_t keys[N];
    ddb_put_t rows[N];
    for (int i = 0; i < N; i++) {
        snprintf(pks[i], sizeof(pks[i]), "k%d", i);
        keys[i] = kb(pks[i], "");
        snprintf(texts[i], sizeof(texts[i]), "{\"new\":%d}", i);
        rows[i] = (ddb_put_t){&keys[i], texts[i], strlen(texts[i]), (int64_t)strlen(texts[i]), i == 2, ttl, {0, NULL, 0}};
    }
    CHECK(ddb_store_items_add(t, rows, 3) == 3, "new keys");
    put(t, "k27", "", "{\"old\":27}");
    CHECK(ddb_store_items_add(t, rows, N) == N - 4, "taken keys left alone");
    int64_t count, bytes, size;
    const char *item, **out;
    size_t len;
    CHECK(ddb_store_owner_totals(t, 0, &count, &bytes) == 0 && count == N);
    CHECK(ddb_store_item_get(&pool, t, &keys[27], &item, &len, &size) == 1 && strcmp(item, "{\"old\":27}") == 0);
    CHECK(ddb_store_item_get(&pool, t, &keys[28], &item, &len, &size) == 1 && strcmp(item, "{\"new\":28}") == 0);
    CHECK(ddb_store_ttl_expired(&pool, t, 100, 10, &out) == 1 && strcmp(out[0], "{\"new\":2}") == 0, "a row's expiry");
    CHECK(ddb_store_items_add(t, rows, 0) == 0);
    h2o_mem_clear_pool(&pool);
}

int main(void)
{
    h2o_mem_init_pool(&pool);
    if (ddb_test_store_open() != 0)
        return 1;
    test_tables();
    test_query();
    test_scan();
    test_entries();
    test_ttl_and_tokens();
    test_replaced();
    test_add_many();
    ddb_store_close();
    ddb_test_cleanup();
    return check_summary();
}
