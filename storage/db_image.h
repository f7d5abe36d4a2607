/* db_image.h - the images new database files are written from: per database, the bytes of an empty
 * database file at its current schema version in WAL mode, as SQLite would write them. db.c writes a
 * new file from its image instead of running the schema's SQL: parsing and compiling ~30 CREATE
 * statements were most of a start in an empty data directory.
 *
 * They are built at build time by storage/gen/db_image_gen.c from storage/schemas.c into the build
 * tree's db_images.c, so a schema change rebuilds its image. Pages of an empty database are mostly
 * zeros: an image keeps its non-zero runs only. */
#ifndef AWSEMU_DB_IMAGE_H
#define AWSEMU_DB_IMAGE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t at, len; /* len bytes at offset `at` of the file */
} db_image_run_t;

typedef struct {
    const char *name; /* db_schema_t.name */
    int version;      /* user_version: db_schema_t.count */
    uint32_t size;    /* of the file, bytes */
    const db_image_run_t *runs;
    size_t nruns;
    const unsigned char *bytes; /* the runs' bytes, one after another */
} db_image_t;

/* The generated images (db_images.c), NULL-terminated. */
extern const db_image_t *const db_images[];

/* The image of database name at version, or NULL when there is none. */
const db_image_t *db_image_find(const char *name, int version);
/* Writes the image's size bytes to fd (from its current offset): 0, or -1 when not all were written. */
int db_image_write(const db_image_t *image, int fd);

#endif
