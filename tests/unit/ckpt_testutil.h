/* ckpt_testutil.h - what the checkpointer's tests share: a clock, a file's size, SQL run for its
 * success only, and the end of a test's database. */
#ifndef AWSEMU_CKPT_TESTUTIL_H
#define AWSEMU_CKPT_TESTUTIL_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "storage/checkpoint.h"

static inline double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static inline long long file_size(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

static inline int exec(sqlite3 *h, const char *sql)
{
    return sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* Stops checkpointing path, closes h and removes dir: 1 if all went well. */
static inline int ckpt_test_close(sqlite3 *h, const char *path, const char *dir)
{
    checkpoint_remove(path);
    char rm[300];
    snprintf(rm, sizeof(rm), "rm -rf %s", dir);
    return sqlite3_close(h) == SQLITE_OK && system(rm) == 0;
}

#endif
