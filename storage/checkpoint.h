/* checkpoint.h - WAL checkpoints off the event loop.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses its
 * threshold and fsyncs there: tens of milliseconds on the loop thread, which
 * is the p99 of every write. Instead the main connections disable it and one
 * background thread (like Redis's bio threads, the only other thread) runs
 * PASSIVE checkpoints on connections of its own; they never block the writer.
 * Only a log that non-stop writes have grown past a bound costs the loop time. */
#ifndef AWSEMU_CHECKPOINT_H
#define AWSEMU_CHECKPOINT_H

#include <sqlite3.h>
#include <stdint.h>

/* A log file larger than this is truncated only by the checkpointer once writes have paused
 * (the discards of a truncation hold the writer off), not on close. */
#define CHECKPOINT_KEEP_BYTES (64LL << 20)

/* The length a log reaches under non-stop writes before the loop takes part (checkpoint_pace):
 * --max-wal (1 GiB unless set). */
void checkpoint_set_bound(int64_t bytes);
/* Registers the database file at path for checkpoints, which sync as the main
 * connection does (FULL with durability_full, else NORMAL). writer is that connection
 * (its WAL hook is taken: it tells the checkpointer how long the log is). */
void checkpoint_add(const char *path, int durability_full, sqlite3 *writer);
/* Loop thread, as a write transaction begins on writer's file: the log is truncated only once
 * writes have paused, including those that leave it as it was. */
void checkpoint_write_began(sqlite3 *writer);
/* Starts the thread if it is not running and a file is registered: called after a
 * commit, so that only a server that writes runs it. Loop thread only. */
void checkpoint_start(void);
/* Loop thread, after each turn's commit and replies: while the checkpointer copies a lag past
 * CHECKPOINT_LAG_BYTES and the loop's reads miss its page cache, sleeps up to a quarter of the
 * turn's length; while a log is longer than the bound under non-stop writes, sleeps as long as the
 * turn ran (the idle-priority checkpointer then copies), and once little is left to copy, copies
 * the rest itself so that the next write starts the log over (see checkpoint.c). Returns at once
 * otherwise. */
void checkpoint_pace(void);
/* Loop thread: 1 while the thread is copying, or is due to copy what the log holds: it runs only in
 * the time the loop leaves, so the loop must not poll without sleeping then (see main.c). */
int checkpoint_wants_core(void);
/* Stops checkpointing path and closes the thread's connection to it (waits for a
 * running checkpoint); the last removal stops the thread. */
void checkpoint_remove(const char *path);

#endif
