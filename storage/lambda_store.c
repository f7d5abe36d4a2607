/* lambda_store.c - all of the Lambda service's SQL (see lambda_store.h) but its schema (schemas.c). */
#include "lambda_store.h"

#include <stdlib.h>
#include <string.h>

#include "schemas.h"

db_t *lambda_store_open(const char *dir, int in_memory, int durability_full, char *err, size_t errlen)
{
    return db_open(dir, in_memory, durability_full, &lambda_store_schema, err, errlen);
}

/* Runs one prepared write inside the call's savepoint. */
static int run_write(db_t *db, sqlite3_stmt *st)
{
    if (!st)
        return -1;
    if (db_write_begin(db) != 0) {
        sqlite3_reset(st);
        return -1;
    }
    int ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    db_write_end(db, ok);
    return ok ? 0 : -1;
}

/* sql prepared, with its first three parameters bound to a document's account, region and name; NULL on failure. */
static sqlite3_stmt *named(db_t *db, const char *sql, const char *account, const char *region, const char *name)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st) {
        sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
    }
    return st;
}

/* Writes a named document (a function's or a layer's) with sql, an INSERT OR REPLACE of (account, region, name, doc). */
static int put_named(db_t *db, const char *sql, const char *account, const char *region, const char *name, const char *doc,
                     size_t len)
{
    sqlite3_stmt *st = named(db, sql, account, region, name);
    if (st)
        sqlite3_bind_text(st, 4, doc, (int)len, SQLITE_STATIC);
    return run_write(db, st);
}

int lambda_store_put_fn(db_t *db, const char *account, const char *region, const char *name, const char *doc, size_t len)
{
    return put_named(db, "INSERT OR REPLACE INTO functions (account, region, name, doc) VALUES (?, ?, ?, ?)", account, region, name,
                     doc, len);
}

int lambda_store_del_fn(db_t *db, const char *account, const char *region, const char *name)
{
    return run_write(db, named(db, "DELETE FROM functions WHERE account = ? AND region = ? AND name = ?", account, region, name));
}

int lambda_store_each_fn(db_t *db, lambda_store_fn_cb cb, void *ud)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT account, region, name, doc FROM functions ORDER BY account, region, name");
    if (!st)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW)
        cb(ud, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3));
    sqlite3_reset(st);
    return 0;
}

int lambda_store_put_code(db_t *db, const char *hex, const void *zip, size_t len)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT OR IGNORE INTO code (hex, zip) VALUES (?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 2, zip, len, SQLITE_STATIC);
    return run_write(db, st);
}

int lambda_store_get_code(db_t *db, const char *hex, void **zip, size_t *len)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT zip FROM code WHERE hex = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *len = (size_t)sqlite3_column_bytes(st, 0);
        *zip = malloc(*len ? *len : 1);
        if (*zip) {
            memcpy(*zip, sqlite3_column_blob(st, 0), *len);
            rc = 0;
        }
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

int lambda_store_gc_code(db_t *db)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM code WHERE NOT EXISTS (SELECT 1 FROM functions WHERE instr(doc, code.hex) > 0)"
                                   " AND NOT EXISTS (SELECT 1 FROM layers WHERE instr(doc, code.hex) > 0)");
    return run_write(db, st);
}

int lambda_store_code_in_layers(db_t *db, const char *hex)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM layers WHERE instr(doc, ?) > 0 LIMIT 1");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}

int lambda_store_put_layer(db_t *db, const char *account, const char *region, const char *name, const char *doc, size_t len)
{
    return put_named(db, "INSERT OR REPLACE INTO layers (account, region, name, doc) VALUES (?, ?, ?, ?)", account, region, name,
                     doc, len);
}

char *lambda_store_get_layer(db_t *db, const char *account, const char *region, const char *name)
{
    sqlite3_stmt *st = named(db, "SELECT doc FROM layers WHERE account = ? AND region = ? AND name = ?", account, region, name);
    if (!st)
        return NULL;
    char *doc = sqlite3_step(st) == SQLITE_ROW ? strdup((const char *)sqlite3_column_text(st, 0)) : NULL;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return doc;
}

int lambda_store_each_layer(db_t *db, const char *account, const char *region, const char *from, lambda_store_layer_cb cb, void *ud)
{
    sqlite3_stmt *st = named(db, "SELECT name, doc FROM layers WHERE account = ? AND region = ? AND name >= ? ORDER BY name",
                             account, region, from ? from : "");
    if (!st)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW &&
           cb(ud, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1)) == 0)
        ;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return 0;
}

int lambda_store_put_csc(db_t *db, const char *account, const char *region, const char *id, const char *doc, size_t len)
{
    return put_named(db,
                     "INSERT INTO code_signing_configs (account, region, id, doc) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT (account, region, id) DO UPDATE SET doc = excluded.doc",
                     account, region, id, doc, len);
}

char *lambda_store_get_csc(db_t *db, const char *account, const char *region, const char *id)
{
    sqlite3_stmt *st =
        named(db, "SELECT doc FROM code_signing_configs WHERE account = ? AND region = ? AND id = ?", account, region, id);
    if (!st)
        return NULL;
    char *doc = sqlite3_step(st) == SQLITE_ROW ? strdup((const char *)sqlite3_column_text(st, 0)) : NULL;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return doc;
}

int lambda_store_del_csc(db_t *db, const char *account, const char *region, const char *id)
{
    return run_write(
        db, named(db, "DELETE FROM code_signing_configs WHERE account = ? AND region = ? AND id = ?", account, region, id));
}

int lambda_store_each_csc(db_t *db, const char *account, const char *region, lambda_store_csc_cb cb, void *ud)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, doc FROM code_signing_configs WHERE account = ? AND region = ? ORDER BY rowid");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW &&
           cb(ud, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1)) == 0)
        ;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return 0;
}

int lambda_store_put_esm(db_t *db, const char *uuid, const char *doc, size_t len)
{
    sqlite3_stmt *st =
        db_stmt(db, "INSERT INTO mappings (uuid, doc) VALUES (?, ?) ON CONFLICT (uuid) DO UPDATE SET doc = excluded.doc");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, doc, (int)len, SQLITE_STATIC);
    return run_write(db, st);
}

int lambda_store_put_esm_position(db_t *db, const char *uuid, const char *position)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE mappings SET position = ? WHERE uuid = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, position, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, uuid, -1, SQLITE_STATIC);
    return run_write(db, st);
}

int lambda_store_del_esm(db_t *db, const char *uuid)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM mappings WHERE uuid = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    return run_write(db, st);
}

int lambda_store_each_esm(db_t *db, lambda_store_esm_cb cb, void *ud)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT uuid, doc, position FROM mappings ORDER BY rowid");
    if (!st)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW)
        cb(ud, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2));
    sqlite3_reset(st);
    return 0;
}
