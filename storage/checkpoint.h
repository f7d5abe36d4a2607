/* checkpoint.h - WAL checkpoints off the event loop.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses its
 * threshold and fsyncs there: tens of milliseconds on the loop thread, which
 * is the p99 of every write. Instead the main connections disable it and one
 * background thread (like Redis's bio threads, the only other thread) runs
 * PASSIVE checkpoints on connections of its own; they never block the writer. */
#ifndef AWSEMU_CHECKPOINT_H
#define AWSEMU_CHECKPOINT_H

#include <sqlite3.h>

/* A log file larger than this is truncated only by the checkpointer once writes have paused
 * (the discards of a truncation hold the writer off), not on close. */
#define CHECKPOINT_KEEP_BYTES (64LL << 20)

/* Registers the database file at path for checkpoints, which sync as the main
 * connection does (FULL with durability_full, else NORMAL). writer is that connection
 * (its WAL hook is taken: it tells the checkpointer how long the log is). */
void checkpoint_add(const char *path, int durability_full, sqlite3 *writer);
/* Starts the thread if it is not running and a file is registered: called after a
 * commit, so that only a server that writes runs it. Loop thread only. */
void checkpoint_start(void);
/* Stops checkpointing path and closes the thread's connection to it (waits for a
 * running checkpoint); the last removal stops the thread. */
void checkpoint_remove(const char *path);

#endif
