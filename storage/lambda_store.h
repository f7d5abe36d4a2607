/* lambda_store.h - the Lambda service's SQLite storage: one JSON document per
 * function (configuration of $LATEST and of every published version, aliases,
 * tags, reserved concurrency, asynchronous invocation configs), one per layer name (its versions),
 * the code zips by hash (functions' and layers'), event source mappings, and one per code signing configuration. */
#ifndef AWSEMU_LAMBDA_STORE_H
#define AWSEMU_LAMBDA_STORE_H

#include <stddef.h>

#include "db.h"

db_t *lambda_store_open(const char *dir, int in_memory, int durability_full, char *err, size_t errlen);

int lambda_store_put_fn(db_t *db, const char *account, const char *region, const char *name, const char *doc, size_t len);
int lambda_store_del_fn(db_t *db, const char *account, const char *region, const char *name);
typedef void (*lambda_store_fn_cb)(void *ud, const char *account, const char *region, const char *name, const char *doc);
int lambda_store_each_fn(db_t *db, lambda_store_fn_cb cb, void *ud);

/* Code zips by the hex SHA-256 of their bytes (stored once). */
int lambda_store_put_code(db_t *db, const char *hex, const void *zip, size_t len);
/* 0 with a malloc'ed copy, -1 when absent. */
int lambda_store_get_code(db_t *db, const char *hex, void **zip, size_t *len);
/* Drops code no function or layer document mentions any more. */
int lambda_store_gc_code(db_t *db);
/* 1 when a layer document mentions this code. */
int lambda_store_code_in_layers(db_t *db, const char *hex);

/* Layers: one document per name (account, region). */
int lambda_store_put_layer(db_t *db, const char *account, const char *region, const char *name, const char *doc, size_t len);
/* The document (malloc), or NULL when there is none. */
char *lambda_store_get_layer(db_t *db, const char *account, const char *region, const char *name);
/* Calls cb for the layers named `from` or later (NULL: all), in name order, until it returns nonzero. */
typedef int (*lambda_store_layer_cb)(void *ud, const char *name, const char *doc);
int lambda_store_each_layer(db_t *db, const char *account, const char *region, const char *from, lambda_store_layer_cb cb,
                            void *ud);

/* Code signing configurations: one document per id (account, region), listed in creation order. */
/* Inserts a configuration or replaces its document (its place in the list stays). */
int lambda_store_put_csc(db_t *db, const char *account, const char *region, const char *id, const char *doc, size_t len);
/* The document (malloc), or NULL when there is none. */
char *lambda_store_get_csc(db_t *db, const char *account, const char *region, const char *id);
int lambda_store_del_csc(db_t *db, const char *account, const char *region, const char *id);
/* Calls cb for each configuration, in creation order, until it returns nonzero. */
typedef int (*lambda_store_csc_cb)(void *ud, const char *id, const char *doc);
int lambda_store_each_csc(db_t *db, const char *account, const char *region, lambda_store_csc_cb cb, void *ud);

/* Inserts a mapping or replaces its document (its position stays). */
int lambda_store_put_esm(db_t *db, const char *uuid, const char *doc, size_t len);
/* A stream mapping's checkpoint: the sequence number of the last record done ("" = none). */
int lambda_store_put_esm_position(db_t *db, const char *uuid, const char *position);
int lambda_store_del_esm(db_t *db, const char *uuid);
typedef void (*lambda_store_esm_cb)(void *ud, const char *uuid, const char *doc, const char *position);
int lambda_store_each_esm(db_t *db, lambda_store_esm_cb cb, void *ud);

#endif
