/* db.c - SQLite set-up, new files from their images, migrations, the statement cache and the
 * loop-turn group commit shared by every service's store (see db.h). */
#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../services/log.h"
#include "checkpoint.h"
#include "db_image.h"
#include "page_cache.h"
#include "wal_vfs.h"

#define STMT_SLOTS 512 /* open addressing; far more than the SQL texts of any store */
#define MAX_DBS 8
/* The most each database's page cache may hold, in KiB (--cache-mb; db_set_cache_bound): a
 * bound, not an allocation (pages are allocated as they are read; an idle server holds a few). A
 * table of a few hundred thousand items takes 50-100 MB of pages, and under random-key writes
 * (BatchWriteItem: a leaf per item) each page the cache has dropped is read again from the file:
 * at 32 MB that was 10% of the server's time (pread) and 4-9% fewer BatchWriteItems/s at one and
 * sixteen connections than at 256 MB. A queue of 1,000,000 messages takes 280 MB of pages: at 256 MB,
 * receives going through it in order read every page back (the least recently used is the next
 * one wanted), 60-65% of the receives a second of a queue of 100; at 1,024 MB, 85-98%. */
static long long cache_kib = DB_CACHE_MIB_DEFAULT * 1024LL;

void db_set_cache_bound(long long kib)
{
    cache_kib = kib;
}

typedef struct {
    const char *sql;
    sqlite3_stmt *stmt;
    int used; /* handed out in this loop turn */
} stmt_slot_t;

struct db {
    sqlite3 *h;
    char name[32];
    char *path;        /* file path, NULL in memory */
    int in_txn;        /* the turn's transaction is open */
    int savepoint;     /* depth of open call write scopes */
    int bare;          /* the outermost scope began the transaction: it has no savepoint */
    int64_t changes;   /* sqlite3_total_changes64 when the transaction began */
    int reading;       /* the open transaction is the turn's read transaction (BEGIN, no writes) */
    int lookups;       /* statements handed out in this turn outside a transaction */
    stmt_slot_t stmts[STMT_SLOTS];
    int nused;
    short used[STMT_SLOTS]; /* slots handed out in this loop turn */
};

static db_t *open_dbs[MAX_DBS];

static int exec_sql(sqlite3 *h, const char *sql, const char *what)
{
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        LOG_ERROR("sqlite %s: %s", what, msg ? msg : sqlite3_errmsg(h));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int migrate(db_t *db, const db_schema_t *schema, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int version = 0, n = schema->count;
    if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    if (version > n) {
        snprintf(err, errlen, "%s database is version %d, newer than this awsemu knows (%d)", db->name, version, n);
        return -1;
    }
    if (version == n)
        return 0;
    /* Every pending step in one transaction: a new file is written once, from the current schema. */
    if (exec_sql(db->h, "BEGIN", db->name) != 0)
        return -1;
    int rc = 0, v = version;
    if (version == 0)
        rc = exec_sql(db->h, schema->current, db->name);
    else
        while (rc == 0 && v < n)
            rc = exec_sql(db->h, schema->migrations[v++], db->name); /* migrations[v] is migration v + 1 */
    if (rc != 0) {
        exec_sql(db->h, "ROLLBACK", db->name);
        if (version == 0)
            snprintf(err, errlen, "%s database: creating the schema of version %d failed", db->name, n);
        else
            snprintf(err, errlen, "%s database: migration %d failed", db->name, v);
        return -1;
    }
    char set[64];
    snprintf(set, sizeof(set), "PRAGMA user_version=%d", n);
    if (exec_sql(db->h, set, db->name) != 0 || exec_sql(db->h, "COMMIT", db->name) != 0) {
        exec_sql(db->h, "ROLLBACK", db->name);
        snprintf(err, errlen, "%s database: migrations %d to %d failed", db->name, version + 1, n);
        return -1;
    }
    return 0;
}

/* The checkpointer holds the writer lock only while it copies a short tail (RESTART):
 * the loop waits for it in 50 us steps, up to a second, instead of SQLite's default
 * sleeps of 1, 2, 5, 10, 15, 20, 25 ms... (a wait of 78 ms for a lock held for one). */
static int busy_wait(void *arg, int attempts)
{
    (void)arg;
    if (attempts >= 20000)
        return 0;
    struct timespec step = {0, 50000};
    nanosleep(&step, NULL);
    return 1;
}

static int mkdir_p(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(path, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Before SQLite initializes: no page-cache slots allocated in advance (by default each connection
 * writes a header into 20 fresh slots, ~88 KB, at its first read: ~20 page faults per database, a
 * tenth of a restart), and no allocation statistics (a global mutex and counters around every
 * malloc; nothing reads them); SQLite's page cache without its scans at commits (page_cache.h);
 * then the VFS of the database files (wal_vfs.h). */
static void configure_sqlite(void)
{
    static int done;
    if (!done++) {
        sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        page_cache_register();
        wal_vfs_register();
    }
}

/* The size of the database file path's log, or -1 when it has none. */
static off_t wal_size(const char *path)
{
    char wal[4200];
    struct stat st;
    snprintf(wal, sizeof(wal), "%s-wal", path);
    return stat(wal, &st) == 0 ? st.st_size : -1;
}

/* A log with frames beside a missing database file (left by a kill, then the file deleted): SQLite
 * deletes it when it opens an empty file (the SQL road), but would replay its pages onto an image. */
static int orphan_wal(const char *path)
{
    return wal_size(path) > 0;
}

/* Writes the new file path from the build-time image of schema (db_image.h), in WAL mode: parsing
 * and compiling the schema's SQL were most of a start in an empty data directory. The bytes go to
 * "<path>-new" (O_EXCL: a second awsemu starting on the same directory takes the SQL road, under
 * SQLite's locks), linked to path when complete: path never holds part of an image, and a file
 * created meanwhile is kept (EEXIST). No sync, as on the SQL road (a new file is built with
 * synchronous=OFF). 0 when path exists now, -1: no image, an orphaned log, or a failure (the
 * caller runs the SQL instead). */
static int write_image(const char *path, const db_schema_t *schema)
{
    const db_image_t *image = db_image_find(schema->name, schema->count);
    if (image == NULL || orphan_wal(path))
        return -1;
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s-new", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    int ok = db_image_write(image, fd) == 0;
    ok = close(fd) == 0 && ok && (link(tmp, path) == 0 || errno == EEXIST);
    unlink(tmp);
    return ok ? 0 : -1;
}

db_t *db_open(const char *dir, int in_memory, int durability_full, const db_schema_t *schema, char *err, size_t errlen)
{
    const char *name = schema->name;
    char path[4096];
    if (in_memory) {
        snprintf(path, sizeof(path), ":memory:");
    } else {
        if (mkdir_p(dir) != 0) {
            snprintf(err, errlen, "cannot create data directory %s: %s", dir, strerror(errno));
            return NULL;
        }
        snprintf(path, sizeof(path), "%s/%s.db", dir, name);
    }
    configure_sqlite();
    int created = !in_memory && access(path, F_OK) != 0 && write_image(path, schema) != 0;
    db_t *db = calloc(1, sizeof(*db));
    snprintf(db->name, sizeof(db->name), "%s", name);
    if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, in_memory ? NULL : DB_VFS) !=
        SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, db->h ? sqlite3_errmsg(db->h) : "out of memory");
        sqlite3_close(db->h);
        free(db);
        return NULL;
    }
    /* A new file is written from its image, already at the current version, in the schema's
     * page size and in WAL mode; without an image it is built in one go without syncs (its page
     * size set first: it is fixed once the file has a page), migrate() running `current`, then
     * the configured durability, and its switch to WAL writes the header with no rollback
     * journal (from mode OFF): nothing to lose in an empty file, and a file created and
     * deleted less. WAL checkpoints run off the loop (checkpoint.c). */
    char pragmas[320];
    snprintf(pragmas, sizeof(pragmas),
             "PRAGMA page_size=%d; PRAGMA synchronous=OFF; %sPRAGMA journal_mode=%s; PRAGMA temp_store=MEMORY;"
             " PRAGMA cache_size=-%lld; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0;",
             schema->page_size, created ? "PRAGMA journal_mode=OFF; " : "", in_memory ? "MEMORY" : "WAL", cache_kib);
    char sync[64];
    snprintf(sync, sizeof(sync), "PRAGMA synchronous=%s;", durability_full ? "FULL" : "NORMAL");
    sqlite3_busy_handler(db->h, busy_wait, NULL);
    if (exec_sql(db->h, pragmas, name) != 0 || migrate(db, schema, err, errlen) != 0 ||
        exec_sql(db->h, sync, name) != 0) {
        if (!*err && sqlite3_errcode(db->h) == SQLITE_BUSY)
            snprintf(err, errlen, "%s is in use by another process (another awsemu on this data directory?)", path);
        else if (!*err)
            snprintf(err, errlen, "cannot set up %s", path);
        sqlite3_close(db->h);
        free(db);
        return NULL;
    }
    if (!in_memory) {
        /* Keep the -wal file across restarts (emptied, not deleted, on close): creating it
         * again is most of a restart's file-system work (the WAL index lives in memory:
         * DB_VFS). While serving, the log keeps its largest size: the next cycle overwrites
         * blocks already allocated, where a truncation (journal_size_limit) would free them
         * with synchronous discards and the writer would allocate them again, tens of
         * milliseconds in the commit. */
        int persist = 1;
        sqlite3_file_control(db->h, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
        db->path = strdup(path);
        checkpoint_add(path, durability_full, db->h);
    }
    for (int i = 0; i < MAX_DBS; i++)
        if (open_dbs[i] == NULL) {
            open_dbs[i] = db;
            break;
        }
    return db;
}

void db_close(db_t *db)
{
    if (db == NULL)
        return;
    if (db->in_txn)
        exec_sql(db->h, "COMMIT", db->name);
    for (int i = 0; i < STMT_SLOTS; i++)
        if (db->stmts[i].stmt)
            sqlite3_finalize(db->stmts[i].stmt);
    for (int i = 0; i < MAX_DBS; i++)
        if (open_dbs[i] == db)
            open_dbs[i] = NULL;
    if (db->path) {
        /* The close empties the log; it truncates a short one (a long one's discards would
         * take seconds of the shutdown: the next run truncates it once idle). */
        if (wal_size(db->path) <= CHECKPOINT_KEEP_BYTES)
            exec_sql(db->h, "PRAGMA journal_size_limit=0", db->name);
        checkpoint_remove(db->path);
        free(db->path);
    }
    sqlite3_close(db->h);
    free(db);
}

sqlite3 *db_handle(db_t *db)
{
    return db->h;
}

/* Keyed by the SQL text (stores build some of it at run time), hashed on its
 * length and its ends: cheap for long statements, and strcmp settles a hit. */
static size_t hash_sql(const char *s, size_t len)
{
    size_t h = len * 2654435761u;
    size_t n = len < 32 ? len : 32;
    for (size_t i = 0; i < n; i++)
        h = h * 33 + (unsigned char)s[i] + (unsigned char)s[len - 1 - i];
    return h;
}

static sqlite3_stmt *hand_out(db_t *db, size_t i)
{
    stmt_slot_t *s = &db->stmts[i];
    if (!s->used) {
        s->used = 1;
        db->used[db->nused++] = (short)i;
    }
    return s->stmt;
}

static sqlite3_stmt *lookup(db_t *db, const char *sql);
static int step(db_t *db, const char *sql);

/* Outside a transaction every statement opens and closes a read transaction of its own
 * (the file's shared lock and a WAL read mark: two fcntl calls each before DB_VFS, a
 * mutex and the WAL index header since). A turn that reads a second time opens a read
 * transaction instead, kept until the turn ends: at 16 clients most reads then share
 * one. (The first read alone stays in autocommit: at one client a turn is one call.) */
sqlite3_stmt *db_stmt(db_t *db, const char *sql)
{
    if (!db->in_txn && db->lookups++ == 1 && step(db, "BEGIN") == 0) {
        db->in_txn = 1;
        db->reading = 1;
        db->changes = sqlite3_total_changes64(db->h);
    }
    return lookup(db, sql);
}

static sqlite3_stmt *lookup(db_t *db, const char *sql)
{
    size_t i = hash_sql(sql, strlen(sql)) % STMT_SLOTS;
    for (size_t probe = 0; probe < STMT_SLOTS; probe++, i = (i + 1) % STMT_SLOTS) {
        stmt_slot_t *s = &db->stmts[i];
        if (s->stmt == NULL) {
            if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt, NULL) != SQLITE_OK) {
                LOG_ERROR("sqlite %s: prepare failed: %s: %s", db->name, sqlite3_errmsg(db->h), sql);
                s->stmt = NULL;
                return NULL;
            }
            s->sql = sqlite3_sql(s->stmt);
            return hand_out(db, i);
        }
        if (s->sql == sql || strcmp(s->sql, sql) == 0) {
            sqlite3_reset(s->stmt);
            sqlite3_clear_bindings(s->stmt);
            return hand_out(db, i);
        }
    }
    LOG_ERROR("sqlite %s: statement cache full", db->name);
    return NULL;
}

const char *db_rows_sql(db_rows_sql_t *r, size_t n)
{
    if (n < 1 || n > DB_ROWS_MAX)
        return NULL;
    if (r->sql[n])
        return r->sql[n];
    size_t head = strlen(r->head), row = strlen(r->row), tail = strlen(r->tail);
    char *sql = malloc(head + n * (row + 1) + tail + 1);
    if (!sql)
        return NULL;
    char *o = sql;
    memcpy(o, r->head, head);
    o += head;
    for (size_t i = 0; i < n; i++) {
        if (i)
            *o++ = ',';
        memcpy(o, r->row, row);
        o += row;
    }
    memcpy(o, r->tail, tail + 1);
    return r->sql[n] = sql;
}

void db_rows_sql_free(db_rows_sql_t *r)
{
    for (size_t n = 0; n <= DB_ROWS_MAX; n++) {
        free(r->sql[n]);
        r->sql[n] = NULL;
    }
}

/* Runs one cached statement that returns no rows. */
static int step(db_t *db, const char *sql)
{
    sqlite3_stmt *st = lookup(db, sql);
    if (st == NULL)
        return -1;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        LOG_ERROR("sqlite %s: %s: %s", db->name, sql, sqlite3_errmsg(db->h));
        return -1;
    }
    return 0;
}

/* Savepoints nest under one name: RELEASE and ROLLBACK TO act on the innermost. The
 * call that opens the turn's transaction needs none (the first writer of a turn, and at
 * one client every call): when it fails, the whole transaction holds only its writes. */
int db_write_begin(db_t *db)
{
    if (db->reading) { /* BEGIN IMMEDIATE waits for the checkpointer; an upgrade would not */
        if (step(db, "COMMIT") != 0)
            return -1;
        db->in_txn = db->reading = 0;
    }
    if (!db->in_txn) {
        if (step(db, "BEGIN IMMEDIATE") != 0)
            return -1;
        if (db->path)
            checkpoint_write_began(db->h);
        db->in_txn = 1;
        db->bare = 1;
        db->changes = sqlite3_total_changes64(db->h);
    } else if (step(db, "SAVEPOINT call") != 0) {
        return -1;
    }
    db->savepoint++;
    return 0;
}

void db_write_end(db_t *db, int ok)
{
    if (--db->savepoint > 0 || !db->bare) {
        if (!ok)
            step(db, "ROLLBACK TO call");
        step(db, "RELEASE call");
        return;
    }
    db->bare = 0;
    if (!ok && step(db, "ROLLBACK") == 0)
        db->in_txn = 0;
}

int db_turn_pending(void)
{
    for (int i = 0; i < MAX_DBS; i++) {
        db_t *db = open_dbs[i]; /* a read transaction that wrote after all counts too */
        if (db && db->in_txn && (!db->reading || sqlite3_total_changes64(db->h) != db->changes))
            return 1;
    }
    return 0;
}

/* Resets the statements handed out this turn: one left on a row holds a read snapshot,
 * and a RESTART checkpoint waits for every reader while it holds the writer lock. */
static void reset_used(db_t *db)
{
    for (int k = 0; k < db->nused; k++) {
        stmt_slot_t *s = &db->stmts[db->used[k]];
        if (sqlite3_stmt_busy(s->stmt))
            sqlite3_reset(s->stmt);
        s->used = 0;
    }
    db->nused = 0;
}

int db_commit_turn(void)
{
    int rc = 0, committed = 0;
    for (int i = 0; i < MAX_DBS; i++) {
        db_t *db = open_dbs[i];
        if (db == NULL || db->savepoint > 0)
            continue;
        reset_used(db);
        db->lookups = 0;
        if (!db->in_txn)
            continue;
        if (step(db, "COMMIT") != 0) {
            if (!sqlite3_get_autocommit(db->h)) /* SQLite may have rolled back already */
                exec_sql(db->h, "ROLLBACK", db->name);
            rc = -1;
        }
        committed |= db->path != NULL && sqlite3_total_changes64(db->h) != db->changes;
        db->in_txn = db->reading = 0;
    }
    if (committed) /* a server that has written nothing runs no checkpoint thread */
        checkpoint_start();
    return rc;
}
