/* wal_vfs.h - the VFS every database file is opened with (DB_VFS, db.h): SQLite's "unix-excl"
 * with each commit's writes to the -wal file gathered into one write(2) (wal_vfs.c says when
 * the bytes go out, and why no commit is acknowledged before they have). */
#ifndef AWSEMU_WAL_VFS_H
#define AWSEMU_WAL_VFS_H

/* SQLite's WAL file format: a header, then per frame a header and a database page. */
#define WAL_HEADER_BYTES 32
#define WAL_FRAME_HEADER_BYTES 24

/* Registers the VFS under the name DB_VFS (not as the default), once; an SQLite result code. */
int wal_vfs_register(void);

#endif
