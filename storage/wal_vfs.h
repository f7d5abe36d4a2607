/* wal_vfs.h - the VFS every database file is opened with (DB_VFS, db.h): SQLite's "unix-excl"
 * with each commit's writes to the -wal file gathered into one write(2) (wal_vfs.c says when
 * the bytes go out, and why no commit is acknowledged before they have). */
#ifndef AWSEMU_WAL_VFS_H
#define AWSEMU_WAL_VFS_H

/* SQLite's WAL file format: a header, then per frame a header and a database page. */
#define WAL_HEADER_BYTES 32
#define WAL_FRAME_HEADER_BYTES 24

#include <sqlite3.h>
#include <stdint.h>

/* The VFS of the checkpointer's own connections (checkpoint.c): reads the log ahead, gathers the
 * writes of a checkpoint into the database file (wal_vfs.c says why, and why it is safe). Only for
 * connections with synchronous NORMAL or FULL: the gathered writes reach the file at the checkpoint's
 * sync, which synchronous=OFF skips before SQLite records the frames as copied. */
#define CKPT_VFS "awsemu-ckpt"

/* Registers the VFSes under the names DB_VFS and CKPT_VFS (not as the default), once; an SQLite
 * result code. */
int wal_vfs_register(void);
/* Before each checkpoint on a CKPT_VFS connection h: forgets what its log read ahead. */
void wal_vfs_checkpoint_begins(sqlite3 *h);

/* The log file the connection writer writes, for wal_vfs_trim (NULL if its log is not open in this
 * VFS). Thread of writer; valid while writer is open. */
typedef struct wal_log wal_log_t;
wal_log_t *wal_vfs_log(sqlite3 *writer);
/* Any thread: cuts the log file (open on fd) to size bytes unless the writer's current log reaches
 * past size (0: not cut). The caller knows size to be past every frame a reader may still want:
 * this checks only the writer's writes since the log last started over (its own and those under
 * way). A writer's write past size waits for the cut. 1 when cut, -1 when ftruncate failed. */
int wal_vfs_trim(wal_log_t *log, int fd, int64_t size);

#endif
