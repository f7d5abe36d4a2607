/* ddb_testutil.h - what the DynamoDB unit tests share: one memory pool, test
 * JSON parsed on demand and freed together at the end, the compact text of an
 * item, and an in-memory store. Each test binary includes it once, after
 * check.h; main() calls h2o_mem_init_pool(&pool) first and
 * ddb_test_cleanup() last. */
#ifndef AWSEMU_DDB_TESTUTIL_H
#define AWSEMU_DDB_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/jsonw.h"
#include "services/dynamodb/ddb_value.h"
#include "storage/ddb_store.h"

static h2o_mem_pool_t pool;
static yajl_val *ddb_test_trees;
static size_t ddb_test_ntrees, ddb_test_cap;

/* The tree of text (NULL for NULL), kept until ddb_test_cleanup(); bad JSON ends the test run. */
static inline yajl_val json(const char *text)
{
    char err[256];
    if (text == NULL)
        return NULL;
    yajl_val v = yajl_tree_parse(text, err, sizeof(err));
    if (v == NULL) {
        fprintf(stderr, "bad test JSON %s: %s\n", text, err);
        exit(2);
    }
    if (ddb_test_ntrees == ddb_test_cap) {
        ddb_test_cap = ddb_test_cap ? 2 * ddb_test_cap : 64;
        ddb_test_trees = realloc(ddb_test_trees, ddb_test_cap * sizeof(*ddb_test_trees));
        if (ddb_test_trees == NULL)
            exit(2);
    }
    ddb_test_trees[ddb_test_ntrees++] = v;
    return v;
}

/* Compact JSON of an item (numbers normalized), in the pool; "(null)" for NULL. */
static inline const char *item_json(yajl_val item)
{
    if (item == NULL)
        return "(null)";
    jw_t w;
    jw_init(&w);
    ddb_item_write(&w, item);
    char *s = h2o_mem_alloc_pool(&pool, w.len + 1);
    memcpy(s, w.buf, w.len);
    s[w.len] = '\0';
    jw_free(&w);
    return s;
}

/* Opens the DynamoDB store in memory; 0, or -1 after printing the failure. */
static inline int ddb_test_store_open(void)
{
    config_t cfg = {.data_dir = ".", .in_memory = 1};
    char err[256];
    if (ddb_store_open(&cfg, err, sizeof(err)) == 0)
        return 0;
    printf("FAIL open: %s\n", err);
    return -1;
}

/* Frees the pool and every parsed tree. */
static inline void ddb_test_cleanup(void)
{
    h2o_mem_clear_pool(&pool);
    for (size_t i = 0; i < ddb_test_ntrees; i++)
        yajl_tree_free(ddb_test_trees[i]);
    free(ddb_test_trees);
    ddb_test_trees = NULL;
    ddb_test_ntrees = ddb_test_cap = 0;
}

#endif
