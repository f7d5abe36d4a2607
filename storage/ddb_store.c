/* ddb_store.c - every statement DynamoDB runs (see ddb_store.h; its schema: schemas.c). */
#include "storage/ddb_store.h"

#include <stdio.h>
#include <string.h>

#include "services/log.h"
#include "storage/schemas.h"

static db_t *ddb_db;
static db_rows_sql_t add_rows; /* the insert of n rows (its text below, with ddb_store_items_add) */
static void fn_old_row(sqlite3_context *ctx, int argc, sqlite3_value **argv);
static uint64_t tables_version = 1; /* bumped by every write of a tables row */

int ddb_store_open(const config_t *cfg, char *err, size_t errlen)
{
    ddb_db = db_open(cfg->data_dir, cfg->in_memory, cfg->durability_full, &ddb_store_schema, err, errlen);
    if (ddb_db && sqlite3_create_function_v2(db_handle(ddb_db), "old_row", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, fn_old_row,
                                             NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "dynamodb database: cannot register old_row()");
        ddb_store_close();
    }
    return ddb_db ? 0 : -1;
}

void ddb_store_close(void)
{
    if (ddb_db)
        db_close(ddb_db);
    ddb_db = NULL;
    db_rows_sql_free(&add_rows);
}

db_t *ddb_store_db(void)
{
    return ddb_db;
}

static char *pool_dup(h2o_mem_pool_t *pool, const void *s, size_t len)
{
    char *p = h2o_mem_alloc_pool(pool, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static const char *col_text(h2o_mem_pool_t *pool, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? pool_dup(pool, t, (size_t)sqlite3_column_bytes(st, col)) : NULL;
}

/* Steps a statement that returns no rows; 0 or -1 (logged). */
static int run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        LOG_ERROR("dynamodb store: %s", sqlite3_errmsg(db_handle(ddb_db)));
        sqlite3_reset(st);
        return -1;
    }
    sqlite3_reset(st);
    return 0;
}

static void bind_blob(sqlite3_stmt *st, int i, const void *p, size_t len)
{
    sqlite3_bind_blob(st, i, len ? p : "", (int)len, SQLITE_STATIC);
}

/* ---- tables ---- */

int ddb_store_table_get(h2o_mem_pool_t *pool, const char *account, const char *region, const char *name, ddb_table_row_t *out)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "SELECT id, meta FROM tables WHERE account=? AND region=? AND name=?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->meta = col_text(pool, st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

uint64_t ddb_store_tables_version(void)
{
    return tables_version;
}

int64_t ddb_store_table_insert(const char *account, const char *region, const char *name, const char *meta, size_t len,
                               const char *ttl_attr)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "INSERT INTO tables(account, region, name, meta, ttl_attr) VALUES(?,?,?,?,?)");
    if (!st)
        return -1;
    tables_version++;
    sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, meta, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, ttl_attr, -1, SQLITE_STATIC);
    if (run(st) != 0)
        return -1;
    return sqlite3_last_insert_rowid(db_handle(ddb_db));
}

int ddb_store_table_set_meta(int64_t id, const char *meta, size_t len, const char *ttl_attr)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "UPDATE tables SET meta=?, ttl_attr=? WHERE id=?");
    if (!st)
        return -1;
    tables_version++;
    sqlite3_bind_text(st, 1, meta, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ttl_attr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, id);
    return run(st);
}

static int delete_owned(const char *sql, int64_t id)
{
    sqlite3_stmt *st = db_stmt(ddb_db, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return run(st);
}

int ddb_store_table_delete(int64_t id)
{
    tables_version++;
    if (delete_owned("DELETE FROM index_ids WHERE table_id=?", id) != 0)
        return -1;
    return delete_owned("DELETE FROM tables WHERE id=?", id);
}

/* The first column of st's first `limit` rows, copied into pool as *out: how many, or -1. */
static int first_texts(h2o_mem_pool_t *pool, sqlite3_stmt *st, int limit, const char ***out)
{
    *out = h2o_mem_alloc_pool(pool, sizeof(char *) * (size_t)(limit > 0 ? limit : 1));
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < limit)
        (*out)[n++] = col_text(pool, st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

int ddb_store_table_names(h2o_mem_pool_t *pool, const char *account, const char *region, const char *after, int limit,
                          const char ***names)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "SELECT name FROM tables WHERE account=? AND region=? AND name>? ORDER BY name LIMIT ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, after ? after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, limit);
    return first_texts(pool, st, limit, names);
}

int ddb_store_table_ident(h2o_mem_pool_t *pool, int64_t id, const char **account, const char **region, const char **name)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "SELECT account, region, name FROM tables WHERE id=?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *account = col_text(pool, st, 0);
        *region = col_text(pool, st, 1);
        *name = col_text(pool, st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- secondary indexes ---- */

int64_t ddb_store_index_new_id(int64_t table_id)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "INSERT INTO index_ids(table_id) VALUES(?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, table_id);
    if (run(st) != 0)
        return -1;
    return sqlite3_last_insert_rowid(db_handle(ddb_db));
}

int ddb_store_index_drop(int64_t index_id)
{
    return delete_owned("DELETE FROM index_ids WHERE id=?", index_id);
}

/* The smallest owner of rows in tbl above `after` (an index seek per call), or 0. */
static int64_t next_owner(const char *sql, int64_t after)
{
    sqlite3_stmt *st = db_stmt(ddb_db, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, after);
    int64_t owner = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return owner;
}

static int owner_live(const char *sql, int64_t owner)
{
    sqlite3_stmt *st = db_stmt(ddb_db, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, owner);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Deletes up to limit rows of the first owner that no longer exists; rows deleted, or -1. */
static int purge_one(const char *next_sql, const char *live_sql, const char *delete_sql, int limit)
{
    int64_t owner = 0;
    while ((owner = next_owner(next_sql, owner)) > 0) {
        int live = owner_live(live_sql, owner);
        if (live < 0)
            return -1;
        if (live)
            continue;
        sqlite3_stmt *st = db_stmt(ddb_db, delete_sql);
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, owner);
        sqlite3_bind_int(st, 2, limit);
        if (run(st) != 0)
            return -1;
        return sqlite3_changes(db_handle(ddb_db));
    }
    return owner < 0 ? -1 : 0;
}

int ddb_store_purge(int limit)
{
    int n = purge_one("SELECT owner FROM items WHERE owner>? ORDER BY owner LIMIT 1",
                      "SELECT 1 FROM tables WHERE id=?1 UNION ALL SELECT 1 FROM backups WHERE id=?1-(1<<40)",
                      "DELETE FROM items WHERE owner=?1 AND (ph, pk, sk) IN"
                      " (SELECT ph, pk, sk FROM items WHERE owner=?1 LIMIT ?2)",
                      limit);
    if (n != 0)
        return n;
    return purge_one("SELECT owner FROM entries WHERE owner>? ORDER BY owner LIMIT 1", "SELECT 1 FROM index_ids WHERE id=?",
                     "DELETE FROM entries WHERE owner=?1 AND (ph, pk, sk, tpk, tsk) IN"
                     " (SELECT ph, pk, sk, tpk, tsk FROM entries WHERE owner=?1 LIMIT ?2)",
                     limit);
}

int ddb_store_owner_totals(int64_t owner, int is_index, int64_t *count, int64_t *bytes)
{
    sqlite3_stmt *st = db_stmt(ddb_db, is_index ? "SELECT count(*), coalesce(sum(size), 0) FROM entries WHERE owner=?"
                                                : "SELECT count(*), coalesce(sum(size), 0) FROM items WHERE owner=?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, owner);
    int rc = sqlite3_step(st);
    *count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    *bytes = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* ---- items and index entries ---- */

uint32_t ddb_store_hash(const void *pk, size_t len)
{
    /* FNV-1a, then a final mix so that short keys spread over the whole range (scan segments are hash ranges). */
    const unsigned char *p = pk;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static void bind_key(sqlite3_stmt *st, int first, const ddb_kbytes_t *k)
{
    sqlite3_bind_int64(st, first, k->ph);
    bind_blob(st, first + 1, k->pk, k->pklen);
    bind_blob(st, first + 2, k->sk, k->sklen);
}

int ddb_store_item_get(h2o_mem_pool_t *pool, int64_t table_id, const ddb_kbytes_t *k, const char **item, size_t *len, int64_t *size)
{
    sqlite3_stmt *st = db_stmt(ddb_db, item ? "SELECT size, item FROM items WHERE owner=? AND ph=? AND pk=? AND sk=?"
                                            : "SELECT size FROM items WHERE owner=? AND ph=? AND pk=? AND sk=?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, table_id);
    bind_key(st, 2, k);
    int rc = sqlite3_step(st);
    *size = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc == SQLITE_ROW && item) {
        *len = (size_t)sqlite3_column_bytes(st, 1);
        *item = pool_dup(pool, sqlite3_column_text(st, 1), *len);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* A write learns the row it replaces or deletes without reading it first: its SQL passes the old row through
 * old_row(size, item, result), which notes them and returns result. (RETURNING would show only the new row, and costs
 * a temporary table per statement.) The item text is copied only when the caller asked for it (noting_pool). */
static ddb_replaced_t *noting;
static h2o_mem_pool_t *noting_pool;

static void fn_old_row(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (noting) {
        noting->size = sqlite3_value_int64(argv[0]);
        if (noting_pool) {
            noting->len = (size_t)sqlite3_value_bytes(argv[1]);
            noting->item = pool_dup(noting_pool, sqlite3_value_text(argv[1]), noting->len);
        }
    }
    sqlite3_result_value(ctx, argv[2]);
}

/* Runs a write whose SQL calls old_row() on the row it replaces or deletes into *old (size 0 and item NULL when there
 * was none). */
static int run_noting(sqlite3_stmt *st, h2o_mem_pool_t *pool, ddb_replaced_t *old)
{
    *old = (ddb_replaced_t){0, NULL, 0};
    noting = old;
    noting_pool = pool;
    int rc = run(st);
    noting = NULL;
    noting_pool = NULL;
    return rc;
}

/* Binds a row's columns from parameter p on: ph, pk, sk, item, size, ttl. */
static void bind_row(sqlite3_stmt *st, int p, const ddb_put_t *row)
{
    bind_key(st, p, row->k);
    sqlite3_bind_text(st, p + 3, row->item, (int)row->len, SQLITE_STATIC);
    sqlite3_bind_int64(st, p + 4, row->size);
    if (row->has_ttl)
        sqlite3_bind_int64(st, p + 5, row->ttl);
    else
        sqlite3_bind_null(st, p + 5);
}

int ddb_store_item_put(int64_t table_id, ddb_put_t *row, h2o_mem_pool_t *pool)
{
    /* an update in place of an existing row (cheaper than REPLACE's delete and insert) */
    sqlite3_stmt *st = db_stmt(ddb_db, "INSERT INTO items(owner, ph, pk, sk, item, size, ttl) VALUES(?,?,?,?,?,?,?)"
                                       " ON CONFLICT DO UPDATE SET item=excluded.item, size=old_row(size, item, excluded.size),"
                                       " ttl=excluded.ttl");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, table_id);
    bind_row(st, 2, row);
    return run_noting(st, pool, &row->old);
}

#define ADD_COLS 6 /* per row: ph, pk, sk, item, size, ttl (the owner is ?1 for all) */

/* The insert of n rows, built once. OR FAIL and DO NOTHING keep SQLite from journalling the statement's pages to undo
 * it alone (it would with ABORT, or with any DO UPDATE): the only failure left is a storage error, which rolls the
 * whole call back. */
static db_rows_sql_t add_rows = {"INSERT OR FAIL INTO items(owner, ph, pk, sk, item, size, ttl) VALUES", "(?1,?,?,?,?,?,?)",
                                   " ON CONFLICT DO NOTHING"};
_Static_assert(DDB_STORE_ADD_MAX <= DB_ROWS_MAX, "a batch's puts fit one statement");

int ddb_store_items_add(int64_t table_id, const ddb_put_t *rows, size_t n)
{
    int added = 0;
    while (n > 0) {
        size_t m = n < DDB_STORE_ADD_MAX ? n : DDB_STORE_ADD_MAX;
        const char *sql = db_rows_sql(&add_rows, m);
        sqlite3_stmt *st = sql ? db_stmt(ddb_db, sql) : NULL;
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, table_id);
        for (size_t i = 0; i < m; i++)
            bind_row(st, 2 + (int)i * ADD_COLS, &rows[i]);
        if (run(st) != 0)
            return -1;
        added += sqlite3_changes(db_handle(ddb_db));
        rows += m;
        n -= m;
    }
    return added;
}

int ddb_store_item_delete(int64_t table_id, const ddb_kbytes_t *k, h2o_mem_pool_t *pool, ddb_replaced_t *old)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "DELETE FROM items WHERE owner=? AND ph=? AND pk=? AND sk=? AND old_row(size, item, 1)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, table_id);
    bind_key(st, 2, k);
    ddb_replaced_t none;
    return run_noting(st, pool, old ? old : &none);
}

/* One index entry, inserted with sql (REPLACE or IGNORE on an existing key); 0 or -1. */
static int entry_insert(const char *sql, int64_t index_id, const ddb_kbytes_t *ik, const ddb_kbytes_t *tk, const char *item,
                        size_t len, int64_t size)
{
    sqlite3_stmt *st = db_stmt(ddb_db, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, index_id);
    bind_key(st, 2, ik);
    bind_blob(st, 5, tk->pk, tk->pklen);
    bind_blob(st, 6, tk->sk, tk->sklen);
    sqlite3_bind_text(st, 7, item, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, size);
    return run(st);
}

int ddb_store_entry_put(int64_t index_id, const ddb_kbytes_t *ik, const ddb_kbytes_t *tk, const char *item, size_t len,
                        int64_t size)
{
    return entry_insert("INSERT OR REPLACE INTO entries(owner, ph, pk, sk, tpk, tsk, item, size) VALUES(?,?,?,?,?,?,?,?)", index_id,
                        ik, tk, item, len, size);
}

int ddb_store_entry_add(int64_t index_id, const ddb_kbytes_t *ik, const ddb_kbytes_t *tk, const char *item, size_t len,
                        int64_t size)
{
    if (entry_insert("INSERT OR IGNORE INTO entries(owner, ph, pk, sk, tpk, tsk, item, size) VALUES(?,?,?,?,?,?,?,?)", index_id, ik,
                     tk, item, len, size) != 0)
        return -1;
    return sqlite3_changes(db_handle(ddb_db)) > 0;
}

int ddb_store_entry_delete(int64_t index_id, const ddb_kbytes_t *ik, const ddb_kbytes_t *tk)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "DELETE FROM entries WHERE owner=? AND ph=? AND pk=? AND sk=? AND tpk=? AND tsk=?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, index_id);
    bind_key(st, 2, ik);
    bind_blob(st, 5, tk->pk, tk->pklen);
    bind_blob(st, 6, tk->sk, tk->sklen);
    return run(st);
}

/* The SQL of a range read: built from the shape of the range (the statement cache keeps each shape prepared). */
static void range_sql(const ddb_range_t *r, char *sql, size_t cap)
{
    const char *tbl = r->is_index ? "entries" : "items";
    const char *rest = r->is_index ? ", tpk, tsk" : "";
    const char *cmp = r->desc ? "<" : ">";
    const char *dir = r->desc ? " DESC" : "";
    size_t n = (size_t)snprintf(sql, cap, "SELECT item, size FROM %s WHERE owner=?1", tbl);
    if (r->scan) {
        n += (size_t)snprintf(sql + n, cap - n, " AND ph BETWEEN ?2 AND ?3");
        if (r->has_start)
            n += (size_t)snprintf(sql + n, cap - n, " AND (ph, pk, sk%s) > (?4, ?5, ?6%s)", rest, r->is_index ? ", ?7, ?8" : "");
        snprintf(sql + n, cap - n, " ORDER BY ph, pk, sk%s", rest);
        return;
    }
    n += (size_t)snprintf(sql + n, cap - n, " AND ph=?2 AND pk=?3");
    if (r->lo)
        n += (size_t)snprintf(sql + n, cap - n, " AND sk %s ?4", r->lo_incl ? ">=" : ">");
    if (r->hi)
        n += (size_t)snprintf(sql + n, cap - n, " AND sk %s ?5", r->hi_incl ? "<=" : "<");
    if (r->has_start)
        n += (size_t)snprintf(sql + n, cap - n, r->is_index ? " AND (sk, tpk, tsk) %s (?6, ?7, ?8)" : " AND sk %s ?6", cmp);
    if (r->is_index)
        snprintf(sql + n, cap - n, " ORDER BY sk%s, tpk%s, tsk%s", dir, dir, dir);
    else
        snprintf(sql + n, cap - n, " ORDER BY sk%s", dir);
}

int ddb_store_iter_begin(ddb_iter_t *it, const ddb_range_t *r)
{
    char sql[512];
    range_sql(r, sql, sizeof(sql));
    it->st = db_stmt(ddb_db, sql);
    if (!it->st)
        return -1;
    sqlite3_stmt *st = it->st;
    sqlite3_bind_int64(st, 1, r->owner);
    if (r->scan) {
        sqlite3_bind_int64(st, 2, r->ph_lo);
        sqlite3_bind_int64(st, 3, r->ph_hi);
        if (r->has_start)
            bind_key(st, 4, &r->start);
    } else {
        sqlite3_bind_int64(st, 2, r->part.ph);
        bind_blob(st, 3, r->part.pk, r->part.pklen);
        if (r->lo)
            bind_blob(st, 4, r->lo, r->lolen);
        if (r->hi)
            bind_blob(st, 5, r->hi, r->hilen);
        if (r->has_start)
            bind_blob(st, 6, r->start.sk, r->start.sklen);
    }
    if (r->is_index && r->has_start) {
        bind_blob(st, 7, r->start_t.pk, r->start_t.pklen);
        bind_blob(st, 8, r->start_t.sk, r->start_t.sklen);
    }
    return 0;
}

int ddb_store_iter_next(ddb_iter_t *it, ddb_row_t *row)
{
    int rc = sqlite3_step(it->st);
    if (rc == SQLITE_ROW) {
        row->item = (const char *)sqlite3_column_text(it->st, 0);
        row->len = (size_t)sqlite3_column_bytes(it->st, 0);
        row->size = sqlite3_column_int64(it->st, 1);
        return 1;
    }
    if (rc != SQLITE_DONE)
        LOG_ERROR("dynamodb store: %s", sqlite3_errmsg(db_handle(ddb_db)));
    return rc == SQLITE_DONE ? 0 : -1;
}

void ddb_store_iter_end(ddb_iter_t *it)
{
    if (it->st)
        sqlite3_reset(it->st);
    it->st = NULL;
}

/* ---- on-demand backups ---- */

int64_t ddb_store_backup_create(const char *account, const char *region, const char *arn, const char *table_name,
                                int64_t created_ms, const char *doc, int64_t table_id)
{
    sqlite3_stmt *st =
        db_stmt(ddb_db, "INSERT INTO backups(account, region, arn, table_name, created_ms, doc) VALUES(?,?,?,?,?,?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, arn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, table_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, created_ms);
    sqlite3_bind_text(st, 6, doc, -1, SQLITE_STATIC);
    if (run(st) != 0)
        return -1;
    int64_t id = sqlite3_last_insert_rowid(db_handle(ddb_db));
    st = db_stmt(ddb_db,
                 "INSERT INTO items(owner, ph, pk, sk, item, size) SELECT ?1, ph, pk, sk, item, size FROM items WHERE owner=?2");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, DDB_BACKUP_OWNER(id));
    sqlite3_bind_int64(st, 2, table_id);
    return run(st) == 0 ? id : -1;
}

static void backup_row(h2o_mem_pool_t *pool, sqlite3_stmt *st, ddb_backup_row_t *out)
{
    out->id = sqlite3_column_int64(st, 0);
    out->arn = col_text(pool, st, 1);
    out->table_name = col_text(pool, st, 2);
    out->created_ms = sqlite3_column_int64(st, 3);
    out->doc = col_text(pool, st, 4);
}

int ddb_store_backup_get(h2o_mem_pool_t *pool, const char *account, const char *region, const char *arn, ddb_backup_row_t *out)
{
    sqlite3_stmt *st =
        db_stmt(ddb_db, "SELECT id, arn, table_name, created_ms, doc FROM backups WHERE arn=? AND account=? AND region=?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, arn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, region, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        backup_row(pool, st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int ddb_store_backup_list(h2o_mem_pool_t *pool, const char *account, const char *region, const char *table_name, const char *after,
                          int64_t from_ms, int64_t to_ms, int limit, ddb_backup_row_t **out)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "SELECT id, arn, table_name, created_ms, doc FROM backups WHERE account=?1 AND region=?2"
                                       " AND (?3 IS NULL OR table_name=?3) AND (?4 IS NULL OR arn>?4)"
                                       " AND created_ms BETWEEN ?5 AND ?6 ORDER BY arn LIMIT ?7");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, table_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, after, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, from_ms);
    sqlite3_bind_int64(st, 6, to_ms);
    sqlite3_bind_int(st, 7, limit);
    *out = h2o_mem_alloc_pool(pool, sizeof(ddb_backup_row_t) * (size_t)(limit + 1));
    int n = 0, rc;
    while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
        backup_row(pool, st, &(*out)[n++]);
    sqlite3_reset(st);
    return n == limit || rc == SQLITE_DONE ? n : -1;
}

int ddb_store_backup_delete(int64_t id)
{
    return delete_owned("DELETE FROM backups WHERE id=?", id);
}

/* ---- TTL ---- */

int ddb_store_ttl_reindex(int64_t table_id, const char *attr)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "UPDATE items SET ttl=CAST(json_extract(item, ?) AS INTEGER) WHERE owner=?");
    if (!st)
        return -1;
    char path[1200];
    if (attr) {
        /* the attribute's N member: $."name".N (a quote inside the name is escaped as JSON path wants it) */
        size_t n = 0;
        n += (size_t)snprintf(path, sizeof(path), "$.\"");
        for (const char *p = attr; *p && n < sizeof(path) - 8; p++) {
            if (*p == '"' || *p == '\\')
                path[n++] = '\\';
            path[n++] = *p;
        }
        snprintf(path + n, sizeof(path) - n, "\".N");
        sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_null(st, 1);
    }
    sqlite3_bind_int64(st, 2, table_id);
    return run(st);
}

/* The ids a one-column statement returns, in pool; count or -1. */
static int ids_of(h2o_mem_pool_t *pool, sqlite3_stmt *st, int64_t **ids)
{
    size_t cap = 16, n = 0;
    *ids = h2o_mem_alloc_pool(pool, sizeof(int64_t) * cap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            int64_t *more = h2o_mem_alloc_pool(pool, sizeof(int64_t) * cap * 2);
            memcpy(more, *ids, sizeof(int64_t) * n);
            *ids = more;
            cap *= 2;
        }
        (*ids)[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? (int)n : -1;
}

int ddb_store_ttl_tables(h2o_mem_pool_t *pool, int64_t **ids)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "SELECT id FROM tables WHERE ttl_attr IS NOT NULL");
    return st ? ids_of(pool, st, ids) : -1;
}

int ddb_store_tables_matching(h2o_mem_pool_t *pool, const char *text, int64_t **ids)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "SELECT id FROM tables WHERE instr(meta, ?) > 0");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    return ids_of(pool, st, ids);
}

int ddb_store_ttl_expired(h2o_mem_pool_t *pool, int64_t table_id, int64_t now_s, int limit, const char ***items)
{
    /* DynamoDB leaves alone items whose expiry is more than five years in the past. */
    sqlite3_stmt *st = db_stmt(ddb_db, "SELECT item FROM items WHERE owner=? AND ttl>? AND ttl<=? LIMIT ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, table_id);
    sqlite3_bind_int64(st, 2, now_s - 5LL * 365 * 86400);
    sqlite3_bind_int64(st, 3, now_s);
    sqlite3_bind_int(st, 4, limit);
    return first_texts(pool, st, limit, items);
}

/* ---- transaction idempotency tokens ---- */

int ddb_store_token_get(h2o_mem_pool_t *pool, const char *account, const char *region, const char *token, int64_t now_ms,
                        const char **hash, const char **response)
{
    sqlite3_stmt *st = db_stmt(ddb_db, "SELECT hash, response FROM txn_tokens WHERE account=? AND region=? AND token=?"
                                       " AND expires_ms>?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, token, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now_ms);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *hash = col_text(pool, st, 0);
        *response = col_text(pool, st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int ddb_store_token_put(const char *account, const char *region, const char *token, const char *hash, const char *response,
                        int64_t expires_ms)
{
    sqlite3_stmt *del = db_stmt(ddb_db, "DELETE FROM txn_tokens WHERE expires_ms<=?");
    if (!del)
        return -1;
    sqlite3_bind_int64(del, 1, expires_ms - 2 * 600000);
    if (run(del) != 0)
        return -1;
    sqlite3_stmt *st = db_stmt(ddb_db, "INSERT OR REPLACE INTO txn_tokens VALUES(?,?,?,?,?,?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, token, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, response, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, expires_ms);
    return run(st);
}
