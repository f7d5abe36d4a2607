/* test_ckpt_vfs.c - the checkpointer's VFS (storage/wal_vfs.c, CKPT_VFS): its log reads ahead and its
 * database file gathers writes, and a checkpoint must still copy exactly what the log holds. The
 * dangerous case is a log that started over: the file still holds the older log's frames past the new
 * one's end, a checkpoint's window reads them ahead, and the writer then writes new frames over them;
 * the next checkpoint must read the new ones (wal_vfs_checkpoint_begins forgets the window). Here a
 * writer writes rows in transactions large then small, a CKPT_VFS connection copies after every third
 * (each next transaction starts the log over); then the database file alone (copied without its log) must hold every row as
 * written. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ckpt_testutil.h"
#include "storage/db.h"
#include "storage/wal_vfs.h"

#define ROW_BYTES 700
#define KEYS 500
#define TXNS 180

static int next_key;

/* Rows next_key.. as keys modulo KEYS: each key's row holds the last number written to it. */
static void write_rows(sqlite3 *h, int rows)
{
    char sql[300];
    snprintf(sql, sizeof(sql),
             "WITH RECURSIVE s(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM s WHERE i < %d) "
             "INSERT OR REPLACE INTO t SELECT i %% %d, printf('%%0%dd', i) FROM s",
             next_key, next_key + rows - 1, KEYS, ROW_BYTES);
    CHECK(exec(h, sql));
    next_key += rows;
}

/* One PASSIVE checkpoint as the checkpointer runs it; the frames it left uncopied. */
static int copy(sqlite3 *ck)
{
    int log = 0, done = 0;
    wal_vfs_checkpoint_begins(ck);
    CHECK(sqlite3_wal_checkpoint_v2(ck, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done) == SQLITE_OK);
    return log - done;
}

/* Rows of db's t holding what the writer last wrote to their key. */
static int rows_as_written(sqlite3 *db)
{
    char sql[300];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM t WHERE v = printf('%%0%dd', k + %d * ((%d - 1 - k) / %d))", ROW_BYTES, KEYS,
             next_key, KEYS);
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

int main(void)
{
    char dir[] = "/tmp/awsemu-ckvfs-XXXXXX", path[256], alone_path[300], cmd[700];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/t.db", dir);
    snprintf(alone_path, sizeof(alone_path), "%s/alone.db", dir);
    CHECK(wal_vfs_register() == SQLITE_OK);
    sqlite3 *h, *ck;
    CHECK(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, DB_VFS) == SQLITE_OK);
    CHECK(exec(h, "PRAGMA page_size=1024; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;"
                  "CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)"));
    CHECK(sqlite3_open_v2(path, &ck, SQLITE_OPEN_READWRITE, CKPT_VFS) == SQLITE_OK);
    CHECK(exec(ck, "PRAGMA synchronous=NORMAL; SELECT count(*) FROM sqlite_master"));

    /* transactions large, then small: each first one after a full copy starts the log over inside the
     * frames of larger ones; a copy after every third, so that logs of several transactions come too */
    for (int i = 0; i < TXNS; i++) {
        write_rows(h, i < TXNS / 3 ? 60 : 1 + i % 9);
        if (i % 3 == 2)
            CHECK(copy(ck) == 0, "transaction %d: all copied", i);
    }
    CHECK(rows_as_written(h) == KEYS, "the writer reads every row as written");

    /* the database file alone, without its log, must now hold what the log held */
    CHECK(sqlite3_close(ck) == SQLITE_OK);
    snprintf(cmd, sizeof(cmd), "cp %s %s", path, alone_path);
    CHECK(system(cmd) == 0);
    sqlite3 *alone;
    CHECK(sqlite3_open_v2(alone_path, &alone, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    int n = rows_as_written(alone);
    printf("%d transactions, %d rows written; the database file alone holds %d of %d rows as written\n", TXNS, next_key, n, KEYS);
    CHECK(n == KEYS, "every row as written, in the database file alone");
    CHECK(exec(alone, "PRAGMA quick_check"));
    CHECK(sqlite3_close(alone) == SQLITE_OK);
    CHECK(sqlite3_close(h) == SQLITE_OK);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return check_summary();
}
