/* checkpoint.c - the background WAL checkpointer (see checkpoint.h). It starts
 * with the first commit (a server that only reads never pays for the thread,
 * and start-up does not share its core with it), runs as SCHED_IDLE so that it
 * takes only the time the loop thread leaves, and every CHECKPOINT_INTERVAL_MS copies each
 * registered file's WAL frames into the database (PASSIVE: the writer never
 * waits). When the writers pause, the log is found fully copied and the next
 * write starts it over. Under writes that never pause (a commit lands during every
 * checkpoint's syncs) a PASSIVE checkpoint never finds it fully copied, and the log would grow
 * without end; and the part not yet copied (the lag) makes every read dearer (CHECKPOINT_LAG_BYTES).
 * Past a lag of CHECKPOINT_LAG_BYTES the checkpointer copies back to back and, if the loop's reads
 * miss its page cache (those search the lag), the loop sleeps a little after each turn while it
 * does. Past the bound (--max-wal, 1 GiB) the loop thread takes more part:
 *  - the checkpointer copies back to back instead of every CHECKPOINT_INTERVAL_MS;
 *  - while more than CHECKPOINT_TAIL_BYTES are left to copy, the loop sleeps after each turn
 *    for as long as the turn ran times the log's length over the bound (1x to 2x), so that an
 *    idle-priority checkpointer on the core the loop saturates (the bench pins the server to one
 *    core; a container may have one) gets time, and writes slow to the pace at which the disk
 *    takes the log (its sync before each copy writes all of it);
 *  - once the tail is short, the loop runs a PASSIVE checkpoint on its own connection between
 *    two turns: nothing writes meanwhile, so it copies every frame, and the next write starts
 *    the log over. Its cost is the tail's copy and two short syncs (0.1-0.3 s on this host under
 *    saturation), once per bound's worth of log; past twice the bound, the loop copies whatever
 *    is left.
 * The log file keeps its largest size while writes flow; once they have paused for 5 s, a file
 * over 64 MB is cut down to what the log holds (shrink_idle_log). Before each checkpoint the log's complete pages
 * are written out ahead of SQLite's own sync of the log (flush_log_head), so that its sync is
 * short: the writer's next frame shares the log's last page with the frames being synced and
 * waits for that page's write, which a sync of everything issues last. The mutex guards the
 * file list; the loop thread takes it only to add or remove a file. */
#include "checkpoint.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../services/clock.h"
#include "../services/log.h"
#include "db.h"
#include "wal_vfs.h"

#define CHECKPOINT_FILES 8
#define CHECKPOINT_INTERVAL_MS 200
#define CHECKPOINT_TAIL_BYTES (8LL << 20) /* at most this much copying on the loop thread */
#define CHECKPOINT_PACE_MAX_NS 20000000L  /* the longest sleep of the loop after one turn */

typedef struct {
    char *path;
    sqlite3 *h;
    sqlite3 *writer;   /* the loop's connection, whose commits report the log's length */
    wal_log_t *log;    /* the writer's log file (wal_vfs_trim), or NULL */
    atomic_int frames; /* frames in the log after the writer's last commit */
    /* The checkpointer's last count of frames copied (low 32 bits) and the number of log starts
     * seen by the writer when that pass began (high 32 bits): a count from a log that has since
     * started over is not this log's. */
    atomic_llong copied;
    atomic_uint starts;   /* log starts seen by the writer's commits (the log got shorter) */
    int page_size;        /* of the database, read from the writer when added */
    int wal_fd;           /* the log, for preallocation (-1: not open) */
    int64_t wal_reserved; /* bytes of the log allocated ahead */
    int64_t flushed;      /* bytes of the log written out by flush_log_head since its start... */
    unsigned flushed_at;  /* ...the one counted by this value of starts */
    int full;             /* --durability full: synchronous=FULL, else NORMAL */
    int last_frames;      /* the log's frames at the last run */
    int idle_runs;        /* runs in a row that found the log fully copied and unchanged */
    atomic_llong write_ns; /* when the loop last began a write transaction on the file (monotonic) */
    int64_t miss_at;      /* loop thread: when reads_search_log last counted the writer's cache misses... */
    int reads_miss;       /* ...and whether they came at MISS_RATE_MIN or more */
} ckpt_file_t;

static ckpt_file_t *files[CHECKPOINT_FILES]; /* allocated one by one: the writer's WAL hook holds one */
static int nfiles, running, stopping;
static atomic_int in_pass;              /* the thread is copying (wants the core), not waiting */
static atomic_llong pass_end_ns;        /* when its last pass ended (monotonic) */
static int64_t bound_bytes = 1LL << 30; /* the log's length past which the loop takes part (--max-wal) */
static pthread_t thread;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;

/* Allocates the log's blocks ahead of the writer (beyond its end, size unchanged):
 * appending into unallocated space made the loop's write reserve blocks under the
 * inode's allocation lock, which the checkpoint's own sync holds while it allocates
 * blocks for the written-back pages: waits of milliseconds inside commits. */
#define CHECKPOINT_PREALLOC_BYTES (64 << 20)

/* The length in bytes of a log of this many frames: its header, then each frame's header and page. */
static int64_t log_bytes(const ckpt_file_t *f, int frames)
{
    return WAL_HEADER_BYTES + (int64_t)frames * (f->page_size + WAL_FRAME_HEADER_BYTES);
}

/* The log's descriptor (opened on first use), or -1. */
static int wal_fd(ckpt_file_t *f)
{
    if (f->wal_fd < 0) {
        char wal[4200];
        snprintf(wal, sizeof(wal), "%s-wal", f->path);
        f->wal_fd = open(wal, O_RDWR | O_CLOEXEC);
    }
    return f->wal_fd;
}

static void reserve_log(ckpt_file_t *f, int log_frames)
{
    int64_t end = log_bytes(f, log_frames);
    if (end + CHECKPOINT_PREALLOC_BYTES / 2 <= f->wal_reserved || wal_fd(f) < 0)
        return;
    if (fallocate(f->wal_fd, FALLOC_FL_KEEP_SIZE, 0, end + CHECKPOINT_PREALLOC_BYTES) == 0)
        f->wal_reserved = end + CHECKPOINT_PREALLOC_BYTES;
}

/* After a burst of writes the log file keeps its largest size (the writer overwrites it from
 * the start: up to the bound and more). Once writes have paused for CHECKPOINT_IDLE_TRIM_MS,
 * the file is cut down to CHECKPOINT_KEEP_BYTES, or to the log's frames if they reach further:
 * only past the frames, so only once the writer has started the log over, which
 * its first write after a fully copied log does. Paused means both: the log unchanged (and all
 * copied) that long, and no write transaction begun that long (the services' timers begin one every
 * few seconds, which changes nothing most of the time). A log alone misses writes that
 * change nothing (a put of an item as it is stored): the truncation of a 150 MB log then held
 * such puts off for 110-450 ms in the middle of a run (bench, 2026-11-29).
 * The cut goes CHECKPOINT_TRIM_PIECE_BYTES at a time from the end (wal_vfs_trim): a truncation
 * frees blocks at 0.3 ms a megabyte here and holds the file's lock meanwhile, which a commit's
 * write waits for. It needs none of SQLite's locks: a TRUNCATE checkpoint from this connection
 * would start the log over in the WAL index, and the writer, finding the index changed, would
 * drop its whole page cache (a deep queue's receives then read every page back from the file:
 * half the requests a second). That is left to a log unchanged for CHECKPOINT_IDLE_RESTART_MS (the
 * writer would start it over at its next write: it has not written since). Returns 1 if it cut. */
#define CHECKPOINT_IDLE_TRIM_MS 5000
#define CHECKPOINT_IDLE_RESTART_MS 60000
#define CHECKPOINT_TRIM_PIECE_BYTES (1 << 20)

static int trim_log(ckpt_file_t *f, int64_t size, int64_t keep)
{
    int cut = 0;
    while (size > keep) {
        int64_t to = size - keep > CHECKPOINT_TRIM_PIECE_BYTES ? size - CHECKPOINT_TRIM_PIECE_BYTES : keep;
        if (wal_vfs_trim(f->log, f->wal_fd, to) != 1)
            break;
        size = to;
        cut = 1;
    }
    if (f->wal_reserved > size)
        f->wal_reserved = size;
    return cut;
}

static int shrink_idle_log(ckpt_file_t *f, int log_frames, int done)
{
    f->idle_runs = done == log_frames && log_frames == f->last_frames ? f->idle_runs + 1 : 0;
    f->last_frames = log_frames;
    int64_t since_write_ms = (clock_monotonic_ns() - atomic_load_explicit(&f->write_ns, memory_order_relaxed)) / 1000000;
    int64_t unchanged_ms = (int64_t)f->idle_runs * CHECKPOINT_INTERVAL_MS;
    struct stat st;
    if (unchanged_ms < CHECKPOINT_IDLE_TRIM_MS || since_write_ms < CHECKPOINT_IDLE_TRIM_MS || wal_fd(f) < 0 ||
        fstat(f->wal_fd, &st) != 0 || st.st_size <= CHECKPOINT_KEEP_BYTES)
        return 0;
    int64_t frames_end = log_bytes(f, log_frames);
    if (f->log && st.st_size > frames_end + CHECKPOINT_TRIM_PIECE_BYTES)
        return trim_log(f, st.st_size, frames_end > CHECKPOINT_KEEP_BYTES ? frames_end : CHECKPOINT_KEEP_BYTES);
    if (unchanged_ms < CHECKPOINT_IDLE_RESTART_MS)
        return 0;
    f->idle_runs = 0;
    int seen = atomic_load_explicit(&f->frames, memory_order_relaxed);
    wal_vfs_checkpoint_begins(f->h);
    if (sqlite3_wal_checkpoint_v2(f->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) != SQLITE_OK)
        return 0;
    /* The log is empty: so is the writer's count of its frames, unless it committed meanwhile (a
     * count left at the old length would read as that much left to copy until the next commit). */
    atomic_compare_exchange_strong_explicit(&f->frames, &seen, 0, memory_order_relaxed, memory_order_relaxed);
    f->wal_reserved = 0;
    return 1;
}

/* Writes out the log's pages that the writer has filled (all but the page its next frame
 * goes to) and waits for them, twice: the second pass takes what came during the first. The
 * checkpoint's own sync then has only the last milliseconds of frames to write. Each pass
 * starts where the last one ended, unless the log has started over since: a range already
 * written out costs the kernel a walk of its pages all the same (40 us per piece here; a log
 * of 75 MB took 12 ms of the loop's core per checkpoint when every pass began at 0). The
 * writes go out FLUSH_PIECE_BYTES at a time: the kernel prepares and submits a range's pages
 * without giving up the core (1-2 ms for a few megabytes), and the loop thread shares that
 * core (the bench pins the server to one); between two pieces it takes the core back at once. */
#define FLUSH_PASSES 2
#define FLUSH_PIECE_BYTES (256 << 10)

static void flush_log_head(ckpt_file_t *f)
{
    unsigned starts = atomic_load_explicit(&f->starts, memory_order_relaxed);
    if (starts != f->flushed_at)
        f->flushed = 0, f->flushed_at = starts;
    for (int pass = 0; pass < FLUSH_PASSES && wal_fd(f) >= 0; pass++) {
        int64_t head = log_bytes(f, atomic_load_explicit(&f->frames, memory_order_relaxed)) & ~(int64_t)4095;
        while (f->flushed < head) {
            int64_t n = head - f->flushed < FLUSH_PIECE_BYTES ? head - f->flushed : FLUSH_PIECE_BYTES;
            if (sync_file_range(f->wal_fd, f->flushed, n,
                                SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) != 0)
                return;
            f->flushed += n;
        }
    }
}

/* The writer's WAL hook: runs on the loop thread after each commit. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int log_frames)
{
    ckpt_file_t *f = arg;
    if (log_frames < atomic_load_explicit(&f->frames, memory_order_relaxed))
        atomic_fetch_add_explicit(&f->starts, 1, memory_order_relaxed);
    atomic_store_explicit(&f->frames, log_frames, memory_order_relaxed);
    return SQLITE_OK;
}

static int log_is_long(const ckpt_file_t *f, int frames)
{
    return log_bytes(f, frames) > bound_bytes;
}

/* Frames of the current log not yet copied, by the checkpointer's last count. */
static int frames_to_copy(ckpt_file_t *f)
{
    int frames = atomic_load_explicit(&f->frames, memory_order_relaxed);
    long long c = atomic_load_explicit(&f->copied, memory_order_relaxed);
    unsigned starts = atomic_load_explicit(&f->starts, memory_order_relaxed);
    return (unsigned)(c >> 32) == starts ? frames - (int)(c & 0xffffffff) : frames;
}

static int64_t bytes_to_copy(ckpt_file_t *f)
{
    return (int64_t)frames_to_copy(f) * (f->page_size + WAL_FRAME_HEADER_BYTES);
}

/* Under writes that keep the loop busy, the idle-priority checkpointer gets almost no time (10-50 ms
 * in 4 s of receives at 16 connections) and the part of the log it has not copied grows toward the
 * bound. A read of a page that is not in the log searches that whole part of SQLite's WAL index (a
 * hash table per 4,096 frames, sqlite3WalFindFrame) before it goes to the database: receives on a
 * queue of 1,000,000 messages fell from 22k to 16k requests/s within 8 s (9k later). Past
 * CHECKPOINT_LAG_BYTES not yet copied, the checkpointer copies back to back (run_one) and, while it
 * does, the loop sleeps after each turn in proportion to the excess, up to CHECKPOINT_LAG_PCT_MAX of
 * the turn's time: the lag settles near that size (the receives held 21-22k). Only while the loop's
 * reads miss its cache (reads_search_log): writes whose pages the cache holds do not pay for the lag,
 * and sleeping for it cost them 10-20% at 16 connections (PutItem, BatchWriteItem). */
#define CHECKPOINT_LAG_BYTES (64LL << 20)
#define CHECKPOINT_LAG_PCT_MAX 25

/* Whether the loop's reads pay for the lag: only a page its connection's cache does not hold is
 * looked for in the log. Writes of keys all over a table that the cache holds (BatchWriteItem:
 * no miss at all) would sleep a fifth of each turn for nothing; receives on a deep queue miss
 * 25,000-55,000 pages a second. Counted per MISS_WINDOW_NS. */
#define MISS_WINDOW_NS 50000000LL
#define MISS_RATE_MIN 1000 /* misses per second */

static int reads_search_log(ckpt_file_t *f)
{
    int64_t now = clock_monotonic_ns();
    if (now - f->miss_at >= MISS_WINDOW_NS) {
        int misses = 0, peak = 0;
        sqlite3_db_status(f->writer, SQLITE_DBSTATUS_CACHE_MISS, &misses, &peak, 1);
        f->reads_miss = (int64_t)misses * 1000000000LL >= MISS_RATE_MIN * (now - f->miss_at);
        f->miss_at = now;
    }
    return f->reads_miss;
}

static int lag_pct(int64_t left)
{
    if (left <= CHECKPOINT_LAG_BYTES)
        return 0;
    int64_t pct = CHECKPOINT_LAG_PCT_MAX * (left - CHECKPOINT_LAG_BYTES) / CHECKPOINT_LAG_BYTES;
    return pct < CHECKPOINT_LAG_PCT_MAX ? (int)pct : CHECKPOINT_LAG_PCT_MAX;
}

/* One pass over f. 1 if more than the lag bound is left to copy (more than the tail once the log is
 * long): the next pass follows at once. */
static int run_one(ckpt_file_t *f)
{
    if (f->h == NULL) {
        if (sqlite3_open_v2(f->path, &f->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, CKPT_VFS) != SQLITE_OK) {
            sqlite3_close(f->h);
            f->h = NULL;
            return 0;
        }
        sqlite3_busy_timeout(f->h, 50);
        sqlite3_exec(f->h, f->full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
        /* A fresh connection knows the file is in WAL mode only once it has read it. */
        sqlite3_exec(f->h, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    }
    flush_log_head(f);
    unsigned starts = atomic_load_explicit(&f->starts, memory_order_relaxed);
    long long before = atomic_load_explicit(&f->copied, memory_order_relaxed);
    int log_frames = 0, done = 0;
    wal_vfs_checkpoint_begins(f->h);
    int rc = sqlite3_wal_checkpoint_v2(f->h, NULL, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &done);
    if (rc == SQLITE_OK)
        atomic_store_explicit(&f->copied, (long long)starts << 32 | (unsigned)done, memory_order_relaxed);
    else if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
        LOG_WARN("checkpoint %s: %s", f->path, sqlite3_errmsg(f->h));
    if (rc != SQLITE_OK || !shrink_idle_log(f, log_frames, done))
        reserve_log(f, log_frames);
    /* no copy (a reader holds the rest): the next pass waits its interval rather than spin */
    int progressed = (unsigned)(before >> 32) != starts || done > (int)(before & 0xffffffff);
    return rc == SQLITE_OK && progressed &&
           bytes_to_copy(f) > (log_is_long(f, log_frames) ? CHECKPOINT_TAIL_BYTES : CHECKPOINT_LAG_BYTES);
}

static void *loop(void *arg)
{
    (void)arg;
    struct sched_param idle = {0};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle); /* runs when the loop thread does not */
    pthread_mutex_lock(&mu);
    int again = 0;
    while (!stopping) {
        if (again) { /* a long log: no wait, but let an addition or removal of a file in */
            pthread_mutex_unlock(&mu);
            pthread_mutex_lock(&mu);
        } else {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += CHECKPOINT_INTERVAL_MS * 1000000L;
            until.tv_sec += until.tv_nsec / 1000000000L;
            until.tv_nsec %= 1000000000L;
            pthread_cond_timedwait(&wake, &mu, &until);
        }
        again = 0;
        atomic_store_explicit(&in_pass, 1, memory_order_relaxed);
        for (int i = 0; i < nfiles && !stopping; i++)
            again |= run_one(files[i]);
        atomic_store_explicit(&pass_end_ns, clock_monotonic_ns(), memory_order_relaxed);
        atomic_store_explicit(&in_pass, again, memory_order_relaxed);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

/* The loop's part for f (see the top of this file): how long the loop should sleep, in percent
 * of the turn's time, to give the checkpointer time. */
static int pace_one(ckpt_file_t *f)
{
    int64_t len = log_bytes(f, atomic_load_explicit(&f->frames, memory_order_relaxed));
    int64_t left = bytes_to_copy(f);
    if (len <= bound_bytes) /* a lagging checkpointer copies back to back: the loop sleeps only while it does */
        return atomic_load_explicit(&in_pass, memory_order_relaxed) && reads_search_log(f) ? lag_pct(left) : 0;
    if (left == 0)
        return 0; /* all copied: the next write starts the log over */
    int hard = len > 2 * bound_bytes;
    if (left > CHECKPOINT_TAIL_BYTES && !hard)
        return (int)(100 * len / bound_bytes); /* the longer the log, the more */
    /* Between turns the writer is the only one that could add frames: this copies them all.
     * Busy: the checkpointer is in a pass. Past twice the bound the loop waits for the pass to
     * end (or to copy the rest) instead of writing on; below, it sleeps a turn's length. */
    int rc;
    while ((rc = sqlite3_wal_checkpoint_v2(f->writer, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL)) == SQLITE_BUSY && hard &&
           bytes_to_copy(f) > 0)
        nanosleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 1000000}, NULL);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) /* LOCKED: a write spans turns */
        LOG_WARN("checkpoint %s: %s", f->path, sqlite3_errmsg(f->writer));
    return rc == SQLITE_BUSY ? 100 : 0;
}

void checkpoint_pace(void)
{
    static int64_t since; /* the end of the previous call */
    int pct = 0;
    for (int i = 0; i < nfiles; i++) { /* the loop thread is the only one that changes the list */
        int p = pace_one(files[i]);
        pct = p > pct ? p : pct;
    }
    int64_t now = clock_monotonic_ns();
    if (pct > 0 && since) {
        int64_t ns = (now - since) * pct / 100;
        ns = ns < CHECKPOINT_PACE_MAX_NS ? ns : CHECKPOINT_PACE_MAX_NS;
        nanosleep(&(struct timespec){.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000}, NULL);
        now += ns;
    }
    since = now;
}

int checkpoint_wants_core(void)
{
    if (atomic_load_explicit(&in_pass, memory_order_relaxed))
        return 1;
    if (clock_monotonic_ns() - atomic_load_explicit(&pass_end_ns, memory_order_relaxed) < CHECKPOINT_INTERVAL_MS * 1000000LL)
        return 0;
    for (int i = 0; i < nfiles; i++) /* the loop thread is the only one that changes the list */
        if (frames_to_copy(files[i]) > 0)
            return 1;
    return 0;
}

void checkpoint_set_bound(int64_t bytes)
{
    bound_bytes = bytes;
}

void checkpoint_add(const char *path, int durability_full, sqlite3 *writer)
{
    ckpt_file_t *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return;
    *f = (ckpt_file_t){.path = strdup(path),
                       .writer = writer,
                       .log = wal_vfs_log(writer),
                       .page_size = 4096,
                       .wal_fd = -1,
                       .full = durability_full};
    sqlite3_stmt *st; /* read here, before the thread can see f: both threads use it */
    if (sqlite3_prepare_v2(writer, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        f->page_size = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    pthread_mutex_lock(&mu);
    if (nfiles < CHECKPOINT_FILES && f->path) {
        files[nfiles++] = f;
        sqlite3_wal_hook(writer, on_commit, f);
        f = NULL;
    }
    pthread_mutex_unlock(&mu);
    if (f) {
        free(f->path);
        free(f);
    }
}

void checkpoint_write_began(sqlite3 *writer)
{
    for (int i = 0; i < nfiles; i++) /* the loop thread alone changes the list */
        if (files[i]->writer == writer)
            atomic_store_explicit(&files[i]->write_ns, clock_monotonic_ns(), memory_order_relaxed);
}

void checkpoint_start(void)
{
    if (running)
        return;
    pthread_mutex_lock(&mu);
    if (nfiles > 0) {
        stopping = 0;
        running = pthread_create(&thread, NULL, loop, NULL) == 0;
    }
    pthread_mutex_unlock(&mu);
}

void checkpoint_remove(const char *path)
{
    pthread_mutex_lock(&mu);
    for (int i = 0; i < nfiles; i++) {
        ckpt_file_t *f = files[i];
        if (strcmp(f->path, path) != 0)
            continue;
        sqlite3_wal_hook(f->writer, NULL, NULL);
        sqlite3_close(f->h);
        if (f->wal_fd >= 0)
            close(f->wal_fd);
        free(f->path);
        free(f);
        files[i] = files[--nfiles];
        break;
    }
    int stop = running && nfiles == 0; /* `running` changes only on the loop thread */
    if (stop) {
        stopping = 1;
        pthread_cond_signal(&wake);
    }
    pthread_mutex_unlock(&mu);
    if (stop) {
        pthread_join(thread, NULL);
        running = 0;
    }
}
