/* ddb_store.h - all of DynamoDB's SQL: tables, items, index entries, TTL, transaction tokens.
 *
 * Items live in one SQLite table keyed (table id, partition hash, partition key
 * bytes, sort key bytes): key bytes are ddb_key_encode()'s order-preserving
 * encoding, so a Query reads exactly its key range and a Scan walks items in
 * partition-hash order as DynamoDB does (which also makes parallel-scan segments
 * plain hash ranges). Secondary index entries live in a second table with the
 * same leading columns (index id, hash of the index partition key, index keys)
 * followed by the table keys; both are read through one range iterator.
 * Items are stored as canonical compact JSON text, ready to splice into replies. */
#ifndef AWSEMU_DDB_STORE_H
#define AWSEMU_DDB_STORE_H

#include <h2o/memory.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "services/config.h"
#include "storage/db.h"

int ddb_store_open(const config_t *cfg, char *err, size_t errlen);
void ddb_store_close(void);
db_t *ddb_store_db(void);

/* ---- tables ---- */

typedef struct {
    int64_t id;
    const char *meta; /* the table's definition (ddb_table.c's JSON), in pool */
} ddb_table_row_t;

/* A number that changes with every write of a table row (insert, definition, delete), rolled back or not. */
uint64_t ddb_store_tables_version(void);
/* 1 found, 0 absent, -1 error. */
int ddb_store_table_get(h2o_mem_pool_t *pool, const char *account, const char *region, const char *name, ddb_table_row_t *out);
/* The new table's id, or -1. */
int64_t ddb_store_table_insert(const char *account, const char *region, const char *name, const char *meta, size_t len,
                               const char *ttl_attr);
/* ttl_attr: the attribute whose expiry the TTL sweeper honours, NULL when TTL is off. */
int ddb_store_table_set_meta(int64_t id, const char *meta, size_t len, const char *ttl_attr);
/* Removes the table and its indexes at once; their items and entries become unreachable (ids are never
 * reused) and ddb_store_purge() deletes them in batches. */
int ddb_store_table_delete(int64_t id);
/* Table names of (account, region) after `after` (NULL: from the start), at most limit; count or -1. */
int ddb_store_table_names(h2o_mem_pool_t *pool, const char *account, const char *region, const char *after, int limit,
                          const char ***names);
/* Account, region and name of table id: 1, 0 absent, -1 error. */
int ddb_store_table_ident(h2o_mem_pool_t *pool, int64_t id, const char **account, const char **region, const char **name);

/* Ids of the tables whose definition contains text (e.g. an index state); count or -1. */
int ddb_store_tables_matching(h2o_mem_pool_t *pool, const char *text, int64_t **ids);

/* ---- secondary indexes ---- */

int64_t ddb_store_index_new_id(int64_t table_id);
/* Removes an index; its entries are left to ddb_store_purge(). */
int ddb_store_index_drop(int64_t index_id);
/* Deletes up to limit rows (items or index entries) of dropped tables and indexes: the number deleted, 0
 * when none are left, -1 on error. */
int ddb_store_purge(int limit);
/* Counts the items of a table (or the entries of an index when is_index) and their bytes: 0, or -1. */
int ddb_store_owner_totals(int64_t owner, int is_index, int64_t *count, int64_t *bytes);

/* ---- items and index entries ---- */

/* Key bytes of one row: the partition key's hash (ddb_store_hash of pk), pk and sk (sk empty without a sort key). */
typedef struct {
    uint32_t ph;
    const void *pk, *sk;
    size_t pklen, sklen;
} ddb_kbytes_t;

uint32_t ddb_store_hash(const void *pk, size_t len);

/* 1 found (item text NUL-terminated in pool, its size), 0 absent (size 0), -1 error. With item NULL only the size is
 * read (and len is not touched). */
int ddb_store_item_get(h2o_mem_pool_t *pool, int64_t table_id, const ddb_kbytes_t *k, const char **item, size_t *len,
                       int64_t *size);
/* What a write replaced or deleted: size 0 and item NULL when there was no row. */
typedef struct {
    int64_t size;
    const char *item; /* its text (NUL-terminated, in the pool given), only when a pool was given */
    size_t len;
} ddb_replaced_t;

/* One item to write. */
typedef struct {
    const ddb_kbytes_t *k;
    const char *item; /* its canonical text */
    size_t len;
    int64_t size;
    int has_ttl;
    int64_t ttl;        /* expiry in epoch seconds, when has_ttl */
    ddb_replaced_t old; /* ddb_store_item_put: what the write replaced */
} ddb_put_t;

/* Inserts or overwrites an item; row->old says what it replaced (the text too when pool is given). 0 or -1. */
int ddb_store_item_put(int64_t table_id, ddb_put_t *row, h2o_mem_pool_t *pool);

#define DDB_STORE_ADD_MAX 25 /* rows per statement */

/* Inserts the items (keys distinct) whose keys have none yet, up to DDB_STORE_ADD_MAX in one statement, and leaves the
 * others alone: the number inserted (n when no key had an item), or -1. */
int ddb_store_items_add(int64_t table_id, const ddb_put_t *rows, size_t n);
/* Deletes an item; with old, what it deleted (as ddb_store_item_put). 0 or -1. */
int ddb_store_item_delete(int64_t table_id, const ddb_kbytes_t *k, h2o_mem_pool_t *pool, ddb_replaced_t *old);
int ddb_store_entry_put(int64_t index_id, const ddb_kbytes_t *ik, const ddb_kbytes_t *tk, const char *item, size_t len,
                        int64_t size);
/* Adds an entry unless one exists at that key: 1 added, 0 already there, -1 error. */
int ddb_store_entry_add(int64_t index_id, const ddb_kbytes_t *ik, const ddb_kbytes_t *tk, const char *item, size_t len,
                        int64_t size);
int ddb_store_entry_delete(int64_t index_id, const ddb_kbytes_t *ik, const ddb_kbytes_t *tk);

/* A range read over a table's items or an index's entries, in key order. */
typedef struct {
    int64_t owner; /* table id or index id */
    int is_index;
    int scan;              /* 1: every partition with ph in [ph_lo, ph_hi]; 0: the one partition `part` */
    uint32_t ph_lo, ph_hi; /* scan */
    ddb_kbytes_t part;     /* query: ph + pk */
    const void *lo, *hi;   /* query: sort key bounds (NULL = unbounded) */
    size_t lolen, hilen;
    int lo_incl, hi_incl;
    int desc;             /* query: descending sort key */
    int has_start;        /* resume strictly after this row (ExclusiveStartKey) */
    ddb_kbytes_t start;   /* row key (ph, pk, sk); for an index: the index keys */
    ddb_kbytes_t start_t; /* index only: the table keys of the start row */
} ddb_range_t;

typedef struct {
    sqlite3_stmt *st;
} ddb_iter_t;

typedef struct {
    const char *item; /* NUL-terminated; valid until the next step */
    size_t len;
    int64_t size;
} ddb_row_t;

int ddb_store_iter_begin(ddb_iter_t *it, const ddb_range_t *r);
/* 1 row, 0 end, -1 error. */
int ddb_store_iter_next(ddb_iter_t *it, ddb_row_t *row);
void ddb_store_iter_end(ddb_iter_t *it);

/* ---- on-demand backups ---- */

/* The owner of a backup's copied items in the items table: above every table id, so the two never meet. */
#define DDB_BACKUP_OWNER(id) ((int64_t)(id) + ((int64_t)1 << 40))

typedef struct {
    int64_t id;
    const char *arn, *table_name, *doc; /* in pool */
    int64_t created_ms;
} ddb_backup_row_t;

/* Records a backup of table table_id and copies its items; the backup's id, or -1. */
int64_t ddb_store_backup_create(const char *account, const char *region, const char *arn, const char *table_name,
                                int64_t created_ms, const char *doc, int64_t table_id);
/* 1 found, 0 absent, -1 error. */
int ddb_store_backup_get(h2o_mem_pool_t *pool, const char *account, const char *region, const char *arn, ddb_backup_row_t *out);
/* Up to limit backups of the account and region in ARN order after `after` (NULL: from the start), of table_name
 * when not NULL, created in [from_ms, to_ms]: count (rows in pool), or -1. */
int ddb_store_backup_list(h2o_mem_pool_t *pool, const char *account, const char *region, const char *table_name, const char *after,
                          int64_t from_ms, int64_t to_ms, int limit, ddb_backup_row_t **out);
/* Removes the backup; its items are left to ddb_store_purge(). */
int ddb_store_backup_delete(int64_t id);

/* ---- TTL ---- */

/* Recomputes every item's expiry from the TTL attribute attr (NULL: clears them), when TTL is switched. */
int ddb_store_ttl_reindex(int64_t table_id, const char *attr);
/* Tables with TTL on: ids (in pool); count or -1. */
int ddb_store_ttl_tables(h2o_mem_pool_t *pool, int64_t **ids);
/* Up to limit expired items (ttl <= now_s) of a table: their text, in pool. Count or -1. */
int ddb_store_ttl_expired(h2o_mem_pool_t *pool, int64_t table_id, int64_t now_s, int limit, const char ***items);

/* ---- transaction idempotency tokens ---- */

/* 1 found (request hash and stored response in pool), 0 absent or expired, -1 error. */
int ddb_store_token_get(h2o_mem_pool_t *pool, const char *account, const char *region, const char *token, int64_t now_ms,
                        const char **hash, const char **response);
int ddb_store_token_put(const char *account, const char *region, const char *token, const char *hash, const char *response,
                        int64_t expires_ms);

#endif
