/* test_wal_vfs.c - the VFS that gathers each commit's WAL writes into one write (storage/wal_vfs.c):
 * after every COMMIT returns, the commit frame is in the file (read back with a plain descriptor,
 * not through SQLite); a child process that commits and exits without closing (as kill -9 leaves
 * it) leaves a database that opens with every committed row, nothing of the transaction it did not
 * commit, and a sound file. The child's transactions include one larger than its page cache, whose
 * pages SQLite writes to the log before the commit and then rewrites in place (the path on which
 * it also rewrites frame checksums), and one of more than the buffer's largest size. */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "storage/db.h"
#include "storage/wal_vfs.h"

#define PAGE 4096
#define FRAME (PAGE + WAL_FRAME_HEADER_BYTES)

/* 1..3000 as rows of s(value). */
#define SERIES "WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < 3000)"

static char path[256], wal[300];
static int frames_after_commit;

static int on_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
    (void)arg, (void)db, (void)name;
    frames_after_commit = frames;
    return SQLITE_OK;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The log's last committed frame, read from the file: a commit mark and the log header's salts. */
static int commit_on_disk(void)
{
    unsigned char hdr[WAL_HEADER_BYTES], frame[WAL_FRAME_HEADER_BYTES];
    int fd = open(wal, O_RDONLY);
    off_t at = WAL_HEADER_BYTES + (off_t)(frames_after_commit - 1) * FRAME;
    int ok = fd >= 0 && frames_after_commit > 0 && pread(fd, hdr, sizeof(hdr), 0) == sizeof(hdr) &&
             pread(fd, frame, sizeof(frame), at) == sizeof(frame) && be32(frame + 4) != 0 && memcmp(frame + 8, hdr + 16, 8) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static int exec(sqlite3 *h, const char *sql)
{
    return sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* Commits, checking each commit on disk, then leaves without closing anything: 0 when all went well. */
static int child(void)
{
    sqlite3 *h;
    if (wal_vfs_register() != SQLITE_OK ||
        sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, DB_VFS) != SQLITE_OK)
        return 10;
    if (!exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=16"))
        return 10;
    sqlite3_wal_hook(h, on_commit, NULL); /* after wal_autocheckpoint, which sets the hook */
    if (!exec(h, "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)") || !commit_on_disk())
        return 11;
    for (int i = 1; i <= 200; i++) { /* small commits: a frame or two each */
        char sql[128];
        snprintf(sql, sizeof(sql), "INSERT INTO t VALUES (%d, randomblob(%d))", i, 100 + i * 13);
        if (!exec(h, sql) || !commit_on_disk())
            return 12;
    }
    /* Larger than the cache: spilled frames, then the same pages changed again before the commit. */
    if (!exec(h, "BEGIN; " SERIES " INSERT INTO t SELECT value + 1000, randomblob(900) FROM s;"
                 "UPDATE t SET v = randomblob(950) WHERE k > 1000; COMMIT") ||
        !commit_on_disk())
        return 13;
    /* Larger than the buffer: about 12 MB of frames in one commit. */
    if (!exec(h, "BEGIN; " SERIES " INSERT INTO t SELECT value + 10000, randomblob(3000) FROM s; COMMIT") || !commit_on_disk())
        return 14;
    if (!exec(h, "BEGIN; INSERT INTO t VALUES (-1, x'00')")) /* never committed */
        return 15;
    _exit(0);
}

static long long count_rows(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int main(void)
{
    char dir[] = "/tmp/awsemu-walvfs-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/t.db", dir);
    snprintf(wal, sizeof(wal), "%s-wal", path);

    pid_t pid = fork();
    if (pid == 0)
        _exit(child());
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "child: exit %d (10 open, 11 create, 12 small, 13 spill, 14 large, 15 open)", WEXITSTATUS(status));

    sqlite3 *h;
    CHECK(wal_vfs_register() == SQLITE_OK);
    CHECK(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, DB_VFS) == SQLITE_OK);
    CHECK(count_rows(h, "SELECT count(*) FROM t WHERE k BETWEEN 1 AND 200") == 200);
    CHECK(count_rows(h, "SELECT count(*) FROM t WHERE k BETWEEN 1001 AND 4000 AND length(v) = 950") == 3000);
    CHECK(count_rows(h, "SELECT count(*) FROM t WHERE k > 10000") == 3000);
    CHECK(count_rows(h, "SELECT count(*) FROM t WHERE k < 0") == 0, "the uncommitted row is not there");
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
          strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    unlink(wal);
    unlink(path);
    char shm[300];
    snprintf(shm, sizeof(shm), "%s-shm", path);
    unlink(shm);
    rmdir(dir);
    return check_summary();
}
