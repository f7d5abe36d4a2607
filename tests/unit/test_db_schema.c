/* test_db_schema.c - each service's schema (storage/schemas.c), built every way storage/db.c builds
 * it: by its migrations one after another (an older file), in one piece from `current` (an in-memory
 * database), from its build-time image (db_image.h), and as db_open writes a new file (from the image).
 * All must give the same tables, columns (types, NOT NULL, defaults, keys), WITHOUT ROWID tables,
 * AUTOINCREMENT, indexes (columns, uniqueness, WHERE clauses); the image and the file are at the
 * current version and page size, and the file is a sound WAL database. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "storage/db.h"
#include "storage/db_image.h"
#include "storage/schemas.h"

/* One line per schema fact, sorted, so that two databases compare as strings. */
static const char DESCRIBE[] =
    "SELECT group_concat(line, char(10)) FROM (SELECT line FROM ("
    " SELECT m.type || ' ' || m.name || ' on ' || m.tbl_name || ' ai=' || (m.sql LIKE '%AUTOINCREMENT%') AS line"
    "  FROM sqlite_master m"
    " UNION ALL SELECT 'col ' || m.name || '.' || p.name || ' ' || p.type || ' nn=' || p.\"notnull\" || ' d='"
    "  || ifnull(p.dflt_value, '-') || ' pk=' || p.pk FROM sqlite_master m, pragma_table_xinfo(m.name) p"
    "  WHERE m.type = 'table'"
    " UNION ALL SELECT 'tab ' || name || ' wr=' || wr || ' ncol=' || ncol FROM pragma_table_list WHERE schema = 'main'"
    " UNION ALL SELECT 'ix ' || m.name || ' ' || l.name || ' u=' || l.\"unique\" || ' ' || l.origin || ' p=' || l.partial"
    "  FROM sqlite_master m, pragma_index_list(m.name) l WHERE m.type = 'table'"
    " UNION ALL SELECT 'ixcol ' || m.name || ' ' || i.seqno || ' ' || ifnull(i.name, '-') || ' desc=' || i.desc || ' key='"
    "  || i.key FROM sqlite_master m, pragma_index_xinfo(m.name) i WHERE m.type = 'index'"
    " UNION ALL SELECT 'where ' || name || substr(sql, instr(sql, ' WHERE ')) FROM sqlite_master"
    "  WHERE type = 'index' AND sql LIKE '% WHERE %'"
    ") ORDER BY line)";

/* The first column of sql's first row as a string to free, or NULL. */
static char *query(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    char *out = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        out = strdup((const char *)sqlite3_column_text(st, 0));
    else
        printf("%s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return out;
}

/* Checks that db is at version (PRAGMA user_version). */
static void check_version(const char *what, sqlite3 *db, int version)
{
    char *got = query(db, "PRAGMA user_version"), want[16];
    snprintf(want, sizeof(want), "%d", version);
    CHECK(got && strcmp(got, want) == 0, "%s: user_version %s, want %s", what, got ? got : "(none)", want);
    free(got);
}

/* The schema facts of a new in-memory database after the scripts, or NULL on an SQL error. */
static char *build(const char *const *scripts, int n)
{
    sqlite3 *db;
    char *out = NULL, *err = NULL;
    sqlite3_open(":memory:", &db);
    for (int i = 0; i < n; i++)
        if (sqlite3_exec(db, scripts[i], NULL, NULL, &err) != SQLITE_OK) {
            printf("script %d: %s\n", i + 1, err);
            sqlite3_free(err);
            sqlite3_close(db);
            return NULL;
        }
    out = query(db, DESCRIBE);
    sqlite3_close(db);
    return out;
}

/* The bytes db_image_write writes of image (size of them, to free), or NULL. */
static unsigned char *image_bytes(const db_image_t *image)
{
    FILE *f = tmpfile();
    unsigned char *bytes = malloc(image->size + 1);
    int ok = f && bytes && db_image_write(image, fileno(f)) == 0 && fseek(f, 0, SEEK_SET) == 0 &&
             fread(bytes, 1, image->size + 1, f) == image->size;
    if (f)
        fclose(f);
    if (!ok)
        free(bytes);
    return ok ? bytes : NULL;
}

/* The schema facts of the schema's image (at its version, in WAL mode), or NULL when it has none. */
static char *from_image(const db_schema_t *s)
{
    const db_image_t *image = db_image_find(s->name, s->count);
    unsigned char *bytes = image ? image_bytes(image) : NULL;
    CHECK(bytes != NULL, "%s: an image of version %d, written", s->name, s->count);
    if (bytes == NULL)
        return NULL;
    CHECK(bytes[18] == 2 && bytes[19] == 2, "%s: the image is in WAL mode", s->name);
    CHECK((bytes[16] << 8 | bytes[17]) == s->page_size, "%s: the image's pages are of %d bytes", s->name, s->page_size);
    bytes[18] = bytes[19] = 1; /* an in-memory database has no WAL */
    sqlite3 *db;
    char *out = NULL;
    sqlite3_open(":memory:", &db);
    if (sqlite3_deserialize(db, "main", bytes, image->size, image->size, SQLITE_DESERIALIZE_READONLY) == SQLITE_OK) {
        check_version(s->name, db, s->count);
        out = query(db, DESCRIBE);
    }
    sqlite3_close(db);
    free(bytes);
    return out;
}

/* The schema facts of the file db_open writes in the empty directory dir. */
static char *from_file(const db_schema_t *s, const char *dir)
{
    char err[256] = "", *out = NULL;
    db_t *db = db_open(dir, 0, 0, s, err, sizeof(err));
    CHECK(db != NULL, "%s: db_open: %s", s->name, err);
    if (db == NULL)
        return NULL;
    sqlite3 *h = db_handle(db);
    check_version(s->name, h, s->count);
    char *mode = query(h, "PRAGMA journal_mode"), *sound = query(h, "PRAGMA integrity_check");
    char *page = query(h, "PRAGMA page_size");
    CHECK(mode && strcmp(mode, "wal") == 0, "%s: journal_mode %s", s->name, mode ? mode : "(none)");
    CHECK(page && atoi(page) == s->page_size, "%s: page_size %s, want %d", s->name, page ? page : "(none)", s->page_size);
    CHECK(sound && strcmp(sound, "ok") == 0, "%s: integrity_check %s", s->name, sound ? sound : "(none)");
    out = query(h, DESCRIBE);
    free(mode);
    free(sound);
    free(page);
    db_close(db);
    return out;
}

/* Checks that got describes the same schema as current. */
static void same(const char *name, const char *road, const char *current, char *got)
{
    CHECK(got != NULL, "%s: %s builds", name, road);
    if (got && current)
        CHECK(strcmp(got, current) == 0, "%s: %s and current differ:\n--- %s\n%s\n--- current\n%s", name, road, road, got, current);
    free(got);
}

static void same_every_way(const db_schema_t *s, const char *dir)
{
    char *current = build(&s->current, 1);
    CHECK(current && strstr(current, "col ") != NULL, "%s: the description lists columns", s->name);
    same(s->name, "migrations", current, build(s->migrations, s->count));
    same(s->name, "image", current, from_image(s));
    same(s->name, "new file", current, from_file(s, dir));
    /* an image that cannot be written (its temporary name is taken by a directory): the SQL road */
    char sql_dir[256], blocked[512];
    snprintf(sql_dir, sizeof(sql_dir), "%s/sql", dir);
    snprintf(blocked, sizeof(blocked), "%s/%s.db-new", sql_dir, s->name);
    CHECK(mkdir(sql_dir, 0755) == 0 || errno == EEXIST);
    CHECK(mkdir(blocked, 0755) == 0, "%s", blocked);
    same(s->name, "new file without its image", current, from_file(s, sql_dir));
    free(current);
}

int main(void)
{
    char dir[] = "/tmp/test_db_schema.XXXXXX", cmd[64];
    CHECK(mkdtemp(dir) != NULL);
    for (const db_schema_t *const *s = schemas_all; *s; s++)
        same_every_way(*s, dir);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    CHECK(db_image_find("sqs", 0) == NULL && db_image_find("none", sqs_store_schema.count) == NULL, "no image is no image");
    /* the comparison sees a difference: a column default */
    const char *a = "CREATE TABLE t(x INTEGER NOT NULL DEFAULT 0);", *b = "CREATE TABLE t(x INTEGER NOT NULL DEFAULT 1);";
    char *da = build(&a, 1), *dbb = build(&b, 1);
    CHECK(da && dbb && strcmp(da, dbb) != 0, "a changed default is seen");
    free(da);
    free(dbb);
    return check_summary();
}
