/* test_checkpoint_idle.c - when the checkpointer truncates a long log (storage/checkpoint.c,
 * truncate_idle_log): only once writes have paused for 5 s. A truncation holds the writer off
 * while the file system discards the log (110-450 ms seen for 150 MB), so it must not come while
 * a client keeps writing, also when its writes change nothing and the log stays as it is (a put
 * of an item as stored). Here: a log of ~80 MB, then 7 s of write transactions that change
 * nothing (the log must keep its size), then a pause (the log must be truncated within 9 s). */
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

int main(void)
{
    char dir[] = "/tmp/awsemu-ckidle-XXXXXX", path[256], wal[300];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/t.db", dir);
    snprintf(wal, sizeof(wal), "%s-wal", path);

    sqlite3 *h;
    CHECK(wal_vfs_register() == SQLITE_OK);
    CHECK(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, DB_VFS) == SQLITE_OK);
    CHECK(exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;"
                  "CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB)"));
    checkpoint_add(path, 0, h);
    char sql[256];
    for (int k = 0; k < ROWS; k += 1000) { /* as the loop writes: a transaction begun, then committed */
        CHECK(exec(h, "BEGIN IMMEDIATE"));
        checkpoint_write_began(h);
        snprintf(sql, sizeof(sql),
                 "WITH RECURSIVE s(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM s WHERE i < %d) "
                 "INSERT INTO t SELECT i, randomblob(%d) FROM s",
                 k, k + 999, ROW_BYTES);
        CHECK(exec(h, sql));
        CHECK(exec(h, "COMMIT"));
        checkpoint_start();
    }
    long long full = file_size(wal);
    CHECK(full > CHECKPOINT_KEEP_BYTES, "log of %lld bytes: too short to test", full);

    long long smallest = full;
    int writes = 0;
    for (double until = now_s() + 7; now_s() < until; writes++) { /* writes that change nothing */
        CHECK(exec(h, "BEGIN IMMEDIATE"));
        checkpoint_write_began(h);
        CHECK(exec(h, "COMMIT"));
        long long size = file_size(wal);
        smallest = size < smallest ? size : smallest;
        usleep(10000);
    }
    CHECK(smallest > CHECKPOINT_KEEP_BYTES, "the log was truncated to %lld bytes while writes went on", smallest);

    double paused = now_s();
    while (file_size(wal) > CHECKPOINT_KEEP_BYTES && now_s() - paused < 9)
        usleep(50000);
    printf("log %.1f MiB; %d writes that changed nothing left it %.1f MiB at least; truncated %.1f s after they stopped\n",
           full / 1048576.0, writes, smallest / 1048576.0, now_s() - paused);
    CHECK(file_size(wal) <= CHECKPOINT_KEEP_BYTES, "the log was not truncated once writes paused");

    sqlite3_stmt *n;
    CHECK(sqlite3_prepare_v2(h, "SELECT count(*) FROM t", -1, &n, NULL) == SQLITE_OK && sqlite3_step(n) == SQLITE_ROW);
    CHECK(sqlite3_column_int(n, 0) == ROWS);
    sqlite3_finalize(n);
    CHECK(ckpt_test_close(h, path, dir));
    return check_summary();
}
