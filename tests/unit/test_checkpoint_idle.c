/* test_checkpoint_idle.c - when and how the checkpointer cuts a long log file down (storage/checkpoint.c
 * shrink_idle_log, storage/wal_vfs.c wal_vfs_trim): only once writes have paused for 5 s. A cut
 * holds the writer off while the file system discards the blocks (110-450 ms seen for 150 MB in one
 * piece), so it must not come while a client keeps writing, also when its writes change nothing and
 * the log stays as it is (a put of an item as stored). And it must leave the writer's page cache
 * whole: a TRUNCATE checkpoint on the checkpointer's connection made the writer drop it (every page
 * read back from the file). Here: a log of ~84 MB, then 7 s of write transactions that change
 * nothing (the file must keep its size), one write that starts the log over, a pause (the file must
 * be cut within 9 s), and every row read again without a page read from the file. wal_vfs_trim
 * itself must refuse to cut into the log the writer is writing. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ckpt_testutil.h"
#include "storage/checkpoint.h"
#include "storage/db.h"
#include "storage/wal_vfs.h"

#define ROW_BYTES 3000
#define ROWS 28000 /* ~84 MB of log, past CHECKPOINT_KEEP_BYTES */

static char dir[] = "/tmp/awsemu-ckidle-XXXXXX", path[256], wal[300];

static void write_turn(sqlite3 *h, const char *sql)
{
    CHECK(exec(h, "BEGIN IMMEDIATE")); /* as the loop writes: a transaction begun, then committed */
    checkpoint_write_began(h);
    CHECK(sql == NULL || exec(h, sql));
    CHECK(exec(h, "COMMIT"));
}

/* The rows, and their bytes in *bytes. */
static long long read_all(sqlite3 *h, long long *bytes)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(h, "SELECT count(*), sum(length(v)) FROM t", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_int64(st, 0);
        *bytes = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return n;
}

/* Pages the writer read from the files since the last call. */
static int cache_misses(sqlite3 *h)
{
    int cur = 0, hi = 0;
    sqlite3_db_status(h, SQLITE_DBSTATUS_CACHE_MISS, &cur, &hi, 1);
    return cur;
}

/* wal_vfs_trim: a length inside the writer's log is refused, one past it taken. */
static void test_trim_bounds(sqlite3 *h)
{
    wal_log_t *log = wal_vfs_log(h);
    CHECK(log != NULL, "the writer's log is one of the VFS's");
    FILE *f = fopen(wal, "r+");
    CHECK(f != NULL);
    long long size = file_size(wal);
    CHECK(wal_vfs_trim(log, fileno(f), 4096) == 0, "a cut inside the writer's log is refused");
    CHECK(file_size(wal) == size, "and the file keeps its %lld bytes (%lld)", size, file_size(wal));
    CHECK(wal_vfs_trim(log, fileno(f), size + (1 << 20)) == 1, "a length past the log is taken");
    CHECK(file_size(wal) == size + (1 << 20));
    CHECK(wal_vfs_trim(log, fileno(f), size) == 1);
    fclose(f);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/t.db", dir);
    snprintf(wal, sizeof(wal), "%s-wal", path);

    sqlite3 *h;
    CHECK(wal_vfs_register() == SQLITE_OK);
    CHECK(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, DB_VFS) == SQLITE_OK);
    CHECK(exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;"
                  "PRAGMA cache_size=-262144; CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB)"));
    checkpoint_add(path, 0, h);
    char sql[256];
    for (int k = 0; k < ROWS; k += 1000) {
        snprintf(sql, sizeof(sql),
                 "WITH RECURSIVE s(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM s WHERE i < %d) "
                 "INSERT INTO t SELECT i, randomblob(%d) FROM s",
                 k, k + 999, ROW_BYTES);
        write_turn(h, sql);
        checkpoint_start();
    }
    long long full = file_size(wal);
    CHECK(full > CHECKPOINT_KEEP_BYTES, "log of %lld bytes: too short to test", full);
    test_trim_bounds(h);

    long long smallest = full;
    int writes = 0;
    for (double until = now_s() + 7; now_s() < until; writes++) { /* writes that change nothing */
        write_turn(h, NULL);
        long long size = file_size(wal);
        smallest = size < smallest ? size : smallest;
        usleep(10000);
    }
    CHECK(smallest > CHECKPOINT_KEEP_BYTES, "the log was cut to %lld bytes while writes went on", smallest);

    write_turn(h, "INSERT INTO t VALUES(-1, randomblob(10))"); /* the log is copied by now: it starts over */
    long long bytes = 0;
    CHECK(read_all(h, &bytes) == ROWS + 1);
    cache_misses(h);
    double paused = now_s();
    while (file_size(wal) > CHECKPOINT_KEEP_BYTES && now_s() - paused < 9)
        usleep(50000);
    printf("log %.1f MiB; %d writes that changed nothing left it %.1f MiB at least; cut %.1f s after they stopped\n",
           full / 1048576.0, writes, smallest / 1048576.0, now_s() - paused);
    CHECK(file_size(wal) <= CHECKPOINT_KEEP_BYTES, "the log was not cut once writes paused");
    long long again = 0;
    CHECK(read_all(h, &again) == ROWS + 1 && again == bytes, "every row is there");
    int misses = cache_misses(h);
    CHECK(misses == 0, "the writer's cache is whole: %d pages read back", misses);
    write_turn(h, "INSERT INTO t VALUES(-2, randomblob(10))");
    CHECK(read_all(h, &again) == ROWS + 2, "the writer writes on");
    CHECK(ckpt_test_close(h, path, dir));
    return check_summary();
}
