/* wal_vfs.c - the VFS of every database file (DB_VFS): "unix-excl" with each commit's writes to
 * the -wal file gathered into one write (see wal_vfs.h).
 *
 * SQLite writes a WAL frame as two writes, its 24-byte header then its page, so a commit of n
 * pages costs 2n system calls: 4-5 for an SQS send, about 90 for a BatchWriteItem of 25 items.
 * Here a write that continues the previous one is appended to a buffer, and the buffer goes out
 * in one write (pieces of 124 KB for a larger one) when:
 *  - the commit frame is complete (its header carries the database size, non-zero only there):
 *    inside SQLite's commit, before the WAL index makes the frames visible to any reader (the
 *    checkpointer reads them on its own handle, which buffers nothing);
 *  - a write does not continue the buffer, or the buffer is full;
 *  - anything else reaches the file: a read (the writer reading back a page it spilled), a sync,
 *    a truncation, the size, a file control, the close.
 * The file therefore receives SQLite's bytes in SQLite's order, and an acknowledged commit is in
 * the kernel before SQLite returns from it: a kill -9 loses nothing that it did not lose before.
 * A commit frame's header written again over frames already written (SQLite rewrites checksums
 * after a transaction overwrote one of its own frames) goes out at once.
 * A failed write reports its error (SQLITE_IOERR_WRITE, SQLITE_FULL) to the SQLite call that
 * caused it. A buffer grown past 1 MB by a large transaction is freed once written.
 *
 * The checkpointer shortens a log file from another thread (wal_vfs_trim) without SQLite's locks:
 * a truncation by SQLite (a TRUNCATE checkpoint) on its own connection starts the log over in the
 * WAL index, and the writer, finding the index changed, drops its whole page cache. A cut and the
 * writer's writes exclude each other by two numbers: the writer publishes how far its log reaches
 * before it writes, and checks the cut's floor before each write reaches the file; the cutter
 * publishes the floor, then reads the reach (both sequentially consistent: one of the two sees
 * the other). A write past the floor waits for the cut to end.
 *
 * The checkpointer's connections use a second VFS (CKPT_VFS) over the same files. A checkpoint
 * copies each page as two system calls, a read of its frame in the log and a write into the
 * database; each is also where the idle-priority thread is switched out for the loop, a switch
 * that costs both (receives from a deep queue: 3,000 of each a second, 16 us of the checkpointer per
 * receive). There the database file gathers writes that continue each other as the log does (pages
 * in ascending order, adjacent for rows written in order), and goes out at the checkpoint's sync
 * before SQLite records the frames as copied; and the log is read up to READ_WINDOW_MAX bytes at a
 * time (the frames of adjacent pages sit near each other when the pages changed together or one
 * after the other). Bytes read ahead are kept for one checkpoint only (wal_vfs_checkpoint_begins): past the
 * frames that checkpoint copies, the writer may be writing, and after it the log may start over. */
#include "wal_vfs.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"

#define WAL_BUFFER_MAX (8 << 20)  /* a larger transaction's frames go out as it fills */
#define WAL_BUFFER_KEEP (1 << 20) /* a buffer grown past this is freed once written */

typedef struct {
    sqlite3_file base;  /* pMethods: wal_methods */
    sqlite3_file *real; /* the unix-excl file, in the same allocation after this struct */
    unsigned char *buf; /* writes not yet made: buf[0..len) belongs at offset off */
    size_t len, cap;
    sqlite3_int64 off;
    sqlite3_int64 end; /* end of the furthest write since the log last started at offset 0 */
    int after_commit;  /* the last frame header written was a commit's */
    int failed;        /* a write that failed where SQLite would not hear of it, for the next call (flushed) */
    unsigned char *ahead;      /* a checkpointer's log: bytes read ahead, ahead[0..ahead_len) from ahead_off */
    int ahead_len, ahead_hits; /* ...and the reads it served */
    int window;                /* the next window's length */
    sqlite3_int64 ahead_off;
    sqlite3_int64 known_size; /* the log's length when last asked this checkpoint (0: not asked) */
    atomic_llong reach;       /* end, published for wal_vfs_trim before the write */
    atomic_llong floor;  /* a cut in progress: the file's length once it is done (else LLONG_MAX) */
    pthread_mutex_t cut; /* held through a cut; a write past the floor waits for it */
} wal_file_t;

static sqlite3_vfs vfs, ckpt_vfs;
static sqlite3_vfs *base_vfs;

#define READ_WINDOW_MIN (8 << 10)
#define READ_WINDOW_MAX (64 << 10)

/* The unix VFS writes at most 128 KB - 1 per call (it masks the length with 0x1ffff: SQLite's
 * own writes are a page at most), so the buffer goes out in pieces below that. */
#define WRITE_PIECE (124 << 10)

/* Every write reaches the file here: one past a cut's floor waits for the cut (wal_vfs_trim). */
static int write_out(wal_file_t *w, const void *p, int amt, sqlite3_int64 off)
{
    if (off + amt <= atomic_load(&w->floor))
        return w->real->pMethods->xWrite(w->real, p, amt, off);
    pthread_mutex_lock(&w->cut);
    int rc = w->real->pMethods->xWrite(w->real, p, amt, off);
    pthread_mutex_unlock(&w->cut);
    return rc;
}

static int flush(wal_file_t *w)
{
    int rc = SQLITE_OK;
    for (size_t done = 0; done < w->len && rc == SQLITE_OK; done += WRITE_PIECE) {
        size_t n = w->len - done < WRITE_PIECE ? w->len - done : WRITE_PIECE;
        rc = write_out(w, w->buf + done, (int)n, w->off + (sqlite3_int64)done);
    }
    w->len = 0;
    if (w->cap > WAL_BUFFER_KEEP) { /* a large transaction's buffer is not kept for the small ones */
        free(w->buf);
        w->buf = NULL;
        w->cap = 0;
    }
    return rc;
}

static int reserve(wal_file_t *w, size_t more)
{
    if (w->len + more <= w->cap)
        return 0;
    size_t cap = w->cap ? w->cap : 64 << 10;
    while (cap < w->len + more)
        cap *= 2;
    unsigned char *buf = realloc(w->buf, cap);
    if (buf == NULL)
        return -1;
    w->buf = buf;
    w->cap = cap;
    return 0;
}

/* A frame header of a commit: its second word (the database size after the commit) is non-zero. */
static int commit_header(const void *p, int amt)
{
    const unsigned char *h = p;
    return amt == WAL_FRAME_HEADER_BYTES && (h[4] | h[5] | h[6] | h[7]) != 0;
}

/* Appends to the buffer (flushing it first when the write does not continue it or it is full), or
 * writes straight through one it has no memory for (SQLite writes a page at most at a time). */
static int put(wal_file_t *w, const void *p, int amt, sqlite3_int64 off)
{
    int rc = SQLITE_OK;
    if (w->len > 0 && (off != w->off + (sqlite3_int64)w->len || w->len + (size_t)amt > WAL_BUFFER_MAX))
        rc = flush(w);
    if (rc != SQLITE_OK)
        return rc;
    if (reserve(w, (size_t)amt) != 0)
        return write_out(w, p, amt, off);
    if (w->len == 0)
        w->off = off;
    memcpy(w->buf + w->len, p, (size_t)amt);
    w->len += (size_t)amt;
    return SQLITE_OK;
}

/* A frame header waits for its page. Once a commit frame's header is in, every write that is not
 * a frame header (the commit frame's page, in one piece or, under synchronous=FULL with sector
 * padding, in two around a sync) goes out at once, until the next transaction's first header. */
static int wal_write(sqlite3_file *f, const void *p, int amt, sqlite3_int64 off)
{
    wal_file_t *w = (wal_file_t *)f;
    if (off == 0)
        w->end = 0; /* the log starts over: its header comes first */
    int rewrite = off + amt < w->end;
    if (off + amt > w->end)
        w->end = off + amt;
    atomic_store(&w->reach, w->end);
    int rc = put(w, p, amt, off);
    if (rc != SQLITE_OK)
        return rc;
    if (amt == WAL_FRAME_HEADER_BYTES) {
        w->after_commit = commit_header(p, amt);
        return w->after_commit && rewrite ? flush(w) : SQLITE_OK;
    }
    return w->after_commit ? flush(w) : SQLITE_OK;
}

static int wal_close(sqlite3_file *f)
{
    wal_file_t *w = (wal_file_t *)f;
    int rc = flush(w);
    int rc2 = w->real->pMethods->xClose(w->real);
    free(w->buf);
    free(w->ahead);
    w->buf = w->ahead = NULL;
    pthread_mutex_destroy(&w->cut);
    return rc != SQLITE_OK ? rc : rc2;
}

/* The unix-excl file under f, once f's buffer is in it; NULL when that write failed (*rc says how). */
static sqlite3_file *flushed(sqlite3_file *f, int *rc)
{
    wal_file_t *w = (wal_file_t *)f;
    *rc = w->failed ? w->failed : flush(w);
    w->failed = SQLITE_OK;
    return *rc == SQLITE_OK ? w->real : NULL;
}

static int wal_read(sqlite3_file *f, void *p, int amt, sqlite3_int64 off)
{
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xRead(r, p, amt, off) : rc;
}

/* A checkpointer's read of its log: from the window read ahead, else a new window at off, as far as
 * the file is known to reach (a read past it goes as SQLite asked: it fills the rest with zeros).
 * The window doubles after one that served reads besides its first, and halves after one that did
 * not: pages changed all over a table (random keys) have their frames all over the log, where a
 * large window would copy 64 KB for each page. */
static int ahead_read(sqlite3_file *f, void *p, int amt, sqlite3_int64 off)
{
    wal_file_t *w = (wal_file_t *)f;
    if (w->ahead_len == 0 || off < w->ahead_off || off + amt > w->ahead_off + w->ahead_len) {
        int grow = w->ahead_hits > 1;
        w->window = grow ? 2 * w->window : w->window / 2;
        w->window = w->window > READ_WINDOW_MAX ? READ_WINDOW_MAX : w->window < READ_WINDOW_MIN ? READ_WINDOW_MIN : w->window;
        w->ahead_len = w->ahead_hits = 0;
        if (off + w->window > w->known_size && w->real->pMethods->xFileSize(w->real, &w->known_size) != SQLITE_OK)
            w->known_size = 0;
        sqlite3_int64 n = w->known_size - off < w->window ? w->known_size - off : w->window;
        if (n < amt || (w->ahead == NULL && (w->ahead = malloc(READ_WINDOW_MAX)) == NULL) ||
            w->real->pMethods->xRead(w->real, w->ahead, (int)n, off) != SQLITE_OK)
            return wal_read(f, p, amt, off);
        w->ahead_off = off;
        w->ahead_len = (int)n;
    }
    w->ahead_hits++;
    memcpy(p, w->ahead + (off - w->ahead_off), (size_t)amt);
    return SQLITE_OK;
}

static int wal_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    ((wal_file_t *)f)->ahead_len = 0;
    return r ? r->pMethods->xTruncate(r, size) : rc;
}

static int wal_sync(sqlite3_file *f, int flags)
{
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xSync(r, flags) : rc;
}

static int wal_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xFileSize(r, size) : rc;
}

/* SQLite ignores what some file controls return (SQLITE_FCNTL_CKPT_DONE, right after a checkpoint's
 * last page write): a failed write is kept for the next call that reports one (flushed). Had it been
 * dropped, the checkpoint's truncate and sync would have found nothing pending and SQLite would have
 * counted pages the full disk refused as copied, then started the log over without them. */
static int wal_file_control(sqlite3_file *f, int op, void *arg)
{
    wal_file_t *w = (wal_file_t *)f;
    int rc = flush(w);
    if (rc != SQLITE_OK)
        w->failed = rc;
    return w->real->pMethods->xFileControl(w->real, op, arg);
}

/* The rest pass straight through (a lock never waits for pending writes, nor is skipped when they
 * fail: SQLite does not always look at what an unlock returns). */
#define REAL(f) (((wal_file_t *)(f))->real)

static int wal_lock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int wal_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

/* The database file of a checkpointer's connection: writes gathered as the log's are (put), until
 * anything else reaches the file (the checkpoint's sync, first of all). */
static int db_write(sqlite3_file *f, const void *p, int amt, sqlite3_int64 off)
{
    return put((wal_file_t *)f, p, amt, off);
}

static int db_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), region, size, extend, p);
}

static int db_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void db_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int db_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), delete_flag);
}

static int db_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
    int rc;
    sqlite3_file *r = flushed(f, &rc);
    return r ? r->pMethods->xFetch(r, off, amt, pp) : rc;
}

static int db_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int wal_check_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int wal_sector_size(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int wal_device_characteristics(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static const sqlite3_io_methods wal_methods = {
    .iVersion = 1,
    .xClose = wal_close,
    .xRead = wal_read,
    .xWrite = wal_write,
    .xTruncate = wal_truncate,
    .xSync = wal_sync,
    .xFileSize = wal_file_size,
    .xLock = wal_lock,
    .xUnlock = wal_unlock,
    .xCheckReservedLock = wal_check_reserved,
    .xFileControl = wal_file_control,
    .xSectorSize = wal_sector_size,
    .xDeviceCharacteristics = wal_device_characteristics,
};

/* The checkpointer's log reads ahead; its database file gathers writes and maps the WAL index (set
 * up at registration from wal_methods). */
static sqlite3_io_methods ckpt_log_methods, ckpt_db_methods;

#define REAL_OFFSET ((sizeof(wal_file_t) + 15) & ~(size_t)15)

/* f wraps the base VFS's file, which follows it in the same allocation (szOsFile is the larger). */
static int open_wrapped(sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags, const sqlite3_io_methods *methods)
{
    wal_file_t *w = (wal_file_t *)f;
    memset(w, 0, sizeof(*w));
    w->real = (sqlite3_file *)((char *)f + REAL_OFFSET);
    int rc = base_vfs->xOpen(base_vfs, name, w->real, flags, out_flags);
    if (rc != SQLITE_OK)
        return rc;
    atomic_init(&w->floor, LLONG_MAX);
    pthread_mutex_init(&w->cut, NULL);
    w->base.pMethods = methods;
    return rc;
}

/* DB_VFS: every file but a log is the base VFS's own. */
static int vfs_open(sqlite3_vfs *v, sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags)
{
    (void)v;
    if (!(flags & SQLITE_OPEN_WAL))
        return base_vfs->xOpen(base_vfs, name, f, flags, out_flags);
    return open_wrapped(name, f, flags, out_flags, &wal_methods);
}

/* CKPT_VFS: the log and the database file are wrapped. */
static int ckpt_vfs_open(sqlite3_vfs *v, sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags)
{
    (void)v;
    if (flags & SQLITE_OPEN_WAL)
        return open_wrapped(name, f, flags, out_flags, &ckpt_log_methods);
    if (flags & SQLITE_OPEN_MAIN_DB)
        return open_wrapped(name, f, flags, out_flags, &ckpt_db_methods);
    return base_vfs->xOpen(base_vfs, name, f, flags, out_flags);
}

/* The log file of connection h's main database, if it is open in a VFS of ours with these methods. */
static wal_file_t *log_of(sqlite3 *h, const sqlite3_io_methods *methods)
{
    sqlite3_file *f = NULL;
    if (sqlite3_file_control(h, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) != SQLITE_OK || f == NULL || f->pMethods != methods)
        return NULL;
    return (wal_file_t *)f;
}

void wal_vfs_checkpoint_begins(sqlite3 *h)
{
    wal_file_t *w = log_of(h, &ckpt_log_methods);
    if (w)
        w->ahead_len = 0, w->known_size = 0;
}

wal_log_t *wal_vfs_log(sqlite3 *writer)
{
    return (wal_log_t *)log_of(writer, &wal_methods);
}

int wal_vfs_trim(wal_log_t *log, int fd, int64_t size)
{
    wal_file_t *w = (wal_file_t *)log;
    pthread_mutex_lock(&w->cut);
    atomic_store(&w->floor, size);
    int rc = atomic_load(&w->reach) > size ? 0 : ftruncate(fd, size) == 0 ? 1 : -1;
    atomic_store(&w->floor, LLONG_MAX);
    pthread_mutex_unlock(&w->cut);
    return rc;
}

int wal_vfs_register(void)
{
    if (base_vfs)
        return SQLITE_OK;
    sqlite3_vfs *base = sqlite3_vfs_find("unix-excl");
    if (base == NULL)
        return SQLITE_ERROR;
    vfs = *base;
    vfs.zName = DB_VFS;
    vfs.szOsFile = (int)(REAL_OFFSET + (size_t)base->szOsFile);
    vfs.xOpen = vfs_open;
    vfs.pNext = NULL;
    ckpt_vfs = vfs;
    ckpt_vfs.zName = CKPT_VFS;
    ckpt_vfs.xOpen = ckpt_vfs_open;
    ckpt_log_methods = wal_methods;
    ckpt_log_methods.xRead = ahead_read;
    ckpt_db_methods = wal_methods;
    ckpt_db_methods.iVersion = 3;
    ckpt_db_methods.xWrite = db_write;
    ckpt_db_methods.xShmMap = db_shm_map;
    ckpt_db_methods.xShmLock = db_shm_lock;
    ckpt_db_methods.xShmBarrier = db_shm_barrier;
    ckpt_db_methods.xShmUnmap = db_shm_unmap;
    ckpt_db_methods.xFetch = db_fetch;
    ckpt_db_methods.xUnfetch = db_unfetch;
    base_vfs = base;
    int rc = sqlite3_vfs_register(&vfs, 0);
    return rc == SQLITE_OK ? sqlite3_vfs_register(&ckpt_vfs, 0) : rc;
}
