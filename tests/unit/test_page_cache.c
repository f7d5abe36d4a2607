/* test_page_cache.c - SQLite behind storage/page_cache.c keeps every row it should. The wrapper
 * skips truncations it judges empty, so a wrong bound would leave pages past a database's end in
 * the cache, where the file grows back into them: stale pages, wrong rows, a corrupt tree. The
 * workload makes every kind of truncation happen: random inserts and deletes of rows of mixed sizes
 * in an indexed table (B-tree rebalancing, which swaps page numbers through the temporary one),
 * savepoints rolled back after the file grew (the pager drops the pages past the old end), and
 * whole transactions rolled back. Then the tree must be sound and the rows exactly those expected,
 * before and after reopening the file. The truncation a wrong skip would make visible is the one
 * that empties a cache (a connection that finds the file changed by another drops every page):
 * a second connection writes rows the first has cached, and the first must read the new ones. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "storage/page_cache.h"

#define ROUNDS 600
#define KEYS 4000

static int exec(sqlite3 *h, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        printf("%s: %s\n", sql, err ? err : "?");
    sqlite3_free(err);
    return rc == SQLITE_OK;
}

static int64_t scalar(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void check_rows(sqlite3 *h, const unsigned char *present, const int *size)
{
    int64_t n = 0, sum = 0, bytes = 0;
    for (int k = 0; k < KEYS; k++)
        if (present[k])
            n++, sum += k, bytes += size[k];
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    CHECK(scalar(h, "SELECT count(*) FROM t") == n, "want %lld rows", (long long)n);
    CHECK(scalar(h, "SELECT total(k) FROM t") == sum);
    CHECK(scalar(h, "SELECT total(length(v)) FROM t") == bytes);
    CHECK(scalar(h, "SELECT count(*) FROM t INDEXED BY t_tag WHERE tag >= ''") == n); /* the index agrees */
}

/* h reads rows, another connection rewrites them, h must read the new values. */
static void check_other_writer(sqlite3 *h, const char *path)
{
    sqlite3 *other;
    CHECK(sqlite3_open(path, &other) == SQLITE_OK);
    for (int round = 0; round < 5; round++) {
        int64_t before = scalar(h, "SELECT total(length(tag)) FROM t"); /* every leaf in h's cache */
        char sql[128];
        snprintf(sql, sizeof(sql), "UPDATE t SET tag = tag || '%d'", round);
        CHECK(exec(other, sql));
        CHECK(scalar(h, "SELECT total(length(tag)) FROM t") == before + scalar(h, "SELECT count(*) FROM t"), "round %d", round);
    }
    CHECK(sqlite3_close(other) == SQLITE_OK);
}

int main(void)
{
    char dir[] = "/tmp/awsemu-pcache-XXXXXX", path[256];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/t.db", dir);
    CHECK(page_cache_register() == SQLITE_OK);

    sqlite3 *h;
    CHECK(sqlite3_open(path, &h) == SQLITE_OK);
    CHECK(exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-8000;"
                  "CREATE TABLE t(k INTEGER PRIMARY KEY, tag TEXT NOT NULL, v BLOB NOT NULL);"
                  "CREATE INDEX t_tag ON t(tag)"));
    static unsigned char present[KEYS], saved[KEYS];
    static int size[KEYS], saved_size[KEYS];
    sqlite3_stmt *ins, *del;
    CHECK(sqlite3_prepare_v2(h, "INSERT OR REPLACE INTO t(k, tag, v) VALUES(?1, hex(randomblob(12)), zeroblob(?2))", -1, &ins,
                             NULL) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(h, "DELETE FROM t WHERE k = ?1", -1, &del, NULL) == SQLITE_OK);
    srand(7);
    for (int r = 0; r < ROUNDS; r++) {
        int rollback_all = r % 7 == 3, rollback_savepoint = r % 3 == 0;
        memcpy(saved, present, sizeof(saved));
        memcpy(saved_size, size, sizeof(size));
        CHECK(exec(h, "BEGIN"));
        for (int i = 0; i < 40; i++) { /* deletes and inserts before the savepoint */
            int k = rand() % KEYS;
            if (rand() % 3 == 0) {
                sqlite3_bind_int(del, 1, k);
                CHECK(sqlite3_step(del) == SQLITE_DONE);
                sqlite3_reset(del);
                present[k] = 0, size[k] = 0;
            } else {
                int n = 50 + rand() % 1500;
                sqlite3_bind_int(ins, 1, k);
                sqlite3_bind_int(ins, 2, n);
                CHECK(sqlite3_step(ins) == SQLITE_DONE);
                sqlite3_reset(ins);
                present[k] = 1, size[k] = n;
            }
        }
        unsigned char mid[KEYS];
        int mid_size[KEYS];
        memcpy(mid, present, sizeof(mid));
        memcpy(mid_size, size, sizeof(mid_size));
        CHECK(exec(h, "SAVEPOINT s"));
        for (int i = 0; i < 60; i++) { /* large rows: the file grows inside the savepoint */
            int k = rand() % KEYS, n = 2000 + rand() % 6000;
            sqlite3_bind_int(ins, 1, k);
            sqlite3_bind_int(ins, 2, n);
            CHECK(sqlite3_step(ins) == SQLITE_DONE);
            sqlite3_reset(ins);
            present[k] = 1, size[k] = n;
        }
        if (rollback_savepoint) {
            CHECK(exec(h, "ROLLBACK TO s"));
            memcpy(present, mid, sizeof(mid));
            memcpy(size, mid_size, sizeof(mid_size));
        }
        CHECK(exec(h, "RELEASE s"));
        CHECK(exec(h, rollback_all ? "ROLLBACK" : "COMMIT"));
        if (rollback_all) {
            memcpy(present, saved, sizeof(saved));
            memcpy(size, saved_size, sizeof(size));
        }
        if (r % 100 == 99) {
            check_rows(h, present, size);
            CHECK(exec(h, "PRAGMA wal_checkpoint(TRUNCATE)"));
        }
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(del);
    check_rows(h, present, size);
    check_other_writer(h, path);
    CHECK(sqlite3_close(h) == SQLITE_OK);
    CHECK(sqlite3_open(path, &h) == SQLITE_OK);
    check_rows(h, present, size);
    CHECK(sqlite3_close(h) == SQLITE_OK);
    char rm[300];
    snprintf(rm, sizeof(rm), "rm -rf %s", dir);
    CHECK(system(rm) == 0);
    return check_summary();
}
