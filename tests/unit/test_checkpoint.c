/* test_checkpoint.c - the bound on a log under non-stop writes (storage/checkpoint.c). One thread
 * commits as fast as it can, calling checkpoint_pace() after each commit as the loop does, on the
 * same single core as the idle-priority checkpointer (as the bench pins the server, and as a
 * one-CPU container runs it): the checkpointer then gets only the time the pacing leaves it, and no
 * PASSIVE checkpoint ever finds the log fully copied between two commits. The log must start over
 * again and again and never grow past twice the bound, and every committed row must be there.
 * Without checkpoint_pace() the log grows by all that is written (tens of bounds here). */
#include <sched.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ckpt_testutil.h"
#include "storage/checkpoint.h"
#include "storage/db.h"
#include "storage/wal_vfs.h"

#define BOUND (16LL << 20) /* above checkpoint.c's tail, so that the loop paces before it copies */
#define ROW_BYTES 3000
#define MAX_ROWS 100000
#define MAX_SECONDS                                                                                                                \
    60 /* a cap only: the run ends once 6 bounds are written (a few seconds alone; 20 s ran out once with the cores taken) */

int main(void)
{
    char dir[] = "/tmp/awsemu-ckpt-XXXXXX", path[256], wal[300];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/t.db", dir);
    snprintf(wal, sizeof(wal), "%s-wal", path);

    cpu_set_t one;
    CPU_ZERO(&one);
    CHECK(sched_getaffinity(0, sizeof(one), &one) == 0);
    for (int c = 0, first = 1; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &one) && !first)
            CPU_CLR(c, &one);
        else if (CPU_ISSET(c, &one))
            first = 0;
    CHECK(sched_setaffinity(0, sizeof(one), &one) == 0); /* the checkpointer thread inherits it */

    sqlite3 *h;
    CHECK(wal_vfs_register() == SQLITE_OK);
    CHECK(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, DB_VFS) == SQLITE_OK);
    CHECK(exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;"
                  "CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB)"));
    checkpoint_set_bound(BOUND);
    checkpoint_add(path, 0, h);

    sqlite3_stmt *ins;
    CHECK(sqlite3_prepare_v2(h, "INSERT INTO t(k, v) VALUES(?1, randomblob(?2))", -1, &ins, NULL) == SQLITE_OK);
    long long max_wal = 0;
    int rows = 0;
    double until = now_s() + MAX_SECONDS;
    while (rows < MAX_ROWS && now_s() < until && (long long)rows * ROW_BYTES < 6 * BOUND) {
        sqlite3_bind_int(ins, 1, rows);
        sqlite3_bind_int(ins, 2, ROW_BYTES);
        if (sqlite3_step(ins) != SQLITE_DONE)
            break;
        sqlite3_reset(ins);
        rows++;
        checkpoint_start();
        checkpoint_pace();
        long long size = file_size(wal);
        max_wal = size > max_wal ? size : max_wal;
    }
    printf("%d rows of %d bytes in %.1f s; largest log %.1f MiB, bound %lld MiB\n", rows, ROW_BYTES,
           now_s() - (until - MAX_SECONDS), max_wal / 1048576.0, BOUND >> 20);
    CHECK((long long)rows * ROW_BYTES >= 6 * BOUND, "wrote too little to test the bound"); /* a log of them all: > 6 bounds */
    CHECK(max_wal <= 2 * BOUND + (1 << 20), "largest log %lld bytes", max_wal);

    sqlite3_finalize(ins);
    sqlite3_stmt *n;
    CHECK(sqlite3_prepare_v2(h, "SELECT count(*), sum(length(v)) FROM t", -1, &n, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(n) == SQLITE_ROW);
    CHECK(sqlite3_column_int(n, 0) == rows);
    CHECK(sqlite3_column_int64(n, 1) == (sqlite3_int64)rows * ROW_BYTES);
    sqlite3_finalize(n);
    CHECK(ckpt_test_close(h, path, dir));
    return check_summary();
}
