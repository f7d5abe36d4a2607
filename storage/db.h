/* db.h - SQLite for every service: opening, pragmas, migrations, cached
 * statements, and the loop-turn group commit.
 *
 * Each service owns one database file (<data-dir>/<name>.db, or an in-memory
 * database). Writes run inside the loop turn's transaction, each call in a
 * scope of its own (db_write_begin/db_write_end; a savepoint unless the call
 * opened the transaction): a failed call rolls back alone. The host commits every open transaction once per loop turn
 * (db_commit_turn) and only then releases the replies of that turn: a reply is
 * never sent for a write that has not committed. */
#ifndef AWSEMU_DB_H
#define AWSEMU_DB_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct db db_t;

/* The SQLite VFS of every database file (db.c and checkpoint.c), registered by wal_vfs.c:
 * "unix-excl", which holds an exclusive lock on the file while this process has it open (a second
 * awsemu on the same data dir is refused, not interleaved) and keeps the WAL index in this
 * process's memory, so a transaction takes its WAL locks with a mutex instead of two fcntl(2)
 * calls on the -shm file; and whose -wal files take each commit in one write(2). */
#define DB_VFS "awsemu"

/* A database's schema (every one is in schemas.c), versioned by user_version: migrations[v] is
 * the SQL script that takes a file from version v to v+1, and `current` builds version `count` in
 * one piece (migrations that add and drop columns cost a new file milliseconds of schema
 * reparsing). A new file is written from the build-time image of `current` (db_image.h), an
 * in-memory database runs `current`. tests/unit/test_db_schema.c checks that all roads give the
 * same schema and page size. */
typedef struct {
    const char *name; /* of the database: its file is <data-dir>/<name>.db */
    /* Bytes per page of a new file (an existing one keeps its own). A commit writes each page it
     * changed whole into the log: small rows written one commit at a time (SQS's messages) take
     * a quarter of the log, and of its copying, in pages of 1 KB. A page holds a row of up to
     * about a quarter of it whole (WITHOUT ROWID tables such as DynamoDB's items; SQLite spills the
     * rest to overflow pages): 2 KB pages keep items up to ~490 bytes whole, and halve the log of
     * a write of scattered keys (a BatchWriteItem dirties a leaf per item). */
    int page_size;
    const char *const *migrations;
    int count;
    const char *current;
} db_schema_t;
/* A db_schema_t of a name, a page size, a migrations array (its length is the current version) and the current schema. */
#define DB_SCHEMA(name, page_size, migrations, current)                                                                            \
    {                                                                                                                              \
        (name), (page_size), (migrations), (int)(sizeof(migrations) / sizeof((migrations)[0])), (current)                          \
    }

/* The most each database opened from now on may hold in its page cache, in KiB (DB_CACHE_MIB_DEFAULT MiB
 * unless set: --cache-mb's default too). */
#define DB_CACHE_MIB_DEFAULT 1024
void db_set_cache_bound(long long kib);
/* Opens (creating it if needed) the database of schema, at its current version. */
db_t *db_open(const char *dir, int in_memory, int durability_full, const db_schema_t *schema, char *err, size_t errlen);
void db_close(db_t *db);
sqlite3 *db_handle(db_t *db);

/* A prepared statement for this exact SQL text (cached; reset and unbound on return). */
sqlite3_stmt *db_stmt(db_t *db, const char *sql);

/* The texts of a statement over n rows (1 <= n <= DB_ROWS_MAX): head, then n copies of row
 * joined by commas, then tail (a multi-row INSERT, an IN list). A store keeps one per such
 * statement; each text is built on first use and freed by db_rows_sql_free. */
#define DB_ROWS_MAX 32
typedef struct {
    const char *head, *row, *tail;
    char *sql[DB_ROWS_MAX + 1];
} db_rows_sql_t;

/* The text for n rows, or NULL (n out of range, or no memory). */
const char *db_rows_sql(db_rows_sql_t *r, size_t n);
void db_rows_sql_free(db_rows_sql_t *r);

/* Opens the turn's transaction if needed, else a savepoint, for one call. */
int db_write_begin(db_t *db);
/* ok: keep the call's writes; !ok: roll them back (to the savepoint, or the
 * whole transaction when the call opened it). */
void db_write_end(db_t *db, int ok);

/* 1 while some database has uncommitted writes in this turn. */
int db_turn_pending(void);
/* Commits every database with an open turn transaction. 0 or -1. */
int db_commit_turn(void);

#endif
