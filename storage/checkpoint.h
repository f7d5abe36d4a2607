/* checkpoint.h - WAL checkpoints off the event loop.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses its
 * threshold and fsyncs there: tens of milliseconds on the loop thread, which
 * is the p99 of every write. Instead the main connections disable it and one
 * background thread (like Redis's bio threads, the only other thread) runs
 * PASSIVE checkpoints on connections of its own; they never block the writer. */
#ifndef AWSEMU_CHECKPOINT_H
#define AWSEMU_CHECKPOINT_H

/* Starts checkpointing the database file at path (starting the thread if needed). */
void checkpoint_add(const char *path);
/* Stops checkpointing path and closes the thread's connection to it (waits for a
 * running checkpoint); the last removal stops the thread. */
void checkpoint_remove(const char *path);

#endif
