/* ddb_ttl.c - Time to Live: expired items are deleted in the background.
 *
 * A timer on the service clock wakes every second and deletes at most a small
 * batch of expired items per table (items whose TTL attribute, in epoch
 * seconds, is in the past), through the same write path as DeleteItem, so
 * indexes and counters follow. Reads never hide or delete expired items: as in
 * DynamoDB, an expired item stays visible until the sweeper has removed it. */
#include <string.h>

#include "services/clock.h"
#include "services/dynamodb/ddb_core.h"
#include "services/dynamodb/ddb_stream.h"
#include "services/log.h"
#include "services/timer.h"

#define TTL_INTERVAL_MS 1000
#define TTL_BATCH 100
#define TTL_TABLES_PER_TICK 64

static loop_timer_t ttl_timer;

static void sweep_items(call_t *c, const ddb_table_t *t, const char **items, int n)
{
    ddb_write_begin();
    int ok = 1;
    for (int i = 0; i < n && ok; i++) {
        yajl_val item = ddb_json_parse(c, items[i]);
        ddb_kbytes_t k;
        ddb_write_info_t info;
        if (!item || ddb_key_bytes(c, &t->hash, &t->range, item, &k) != 0)
            continue;
        ok = ddb_write_item(c, t, &k, item, (int64_t)ddb_item_size(item), NULL, &info) == 0;
    }
    ddb_write_end(ok);
    if (!ok)
        LOG_WARN("dynamodb: TTL deletion in table %s failed: %s", t->name, c->err_msg ? c->err_msg : "");
}

static void sweep_table(int64_t id, int64_t now_s)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    call_t c;
    memset(&c, 0, sizeof(c));
    c.pool = &pool;
    c.op_name = ddb_stream_ttl_op; /* stream records of these deletions carry the service's userIdentity */
    const char **items;
    ddb_table_t *t;
    if (ddb_table_load_id(&c, id, &t) == 1) {
        int n = ddb_store_ttl_expired(&pool, id, now_s, TTL_BATCH, &items);
        if (n > 0)
            sweep_items(&c, t, items, n);
    }
    h2o_mem_clear_pool(&pool);
}

static void ttl_tick(loop_timer_t *timer)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    int64_t *ids;
    int n = ddb_store_ttl_tables(&pool, &ids);
    int64_t now_s = clock_now_ms() / 1000;
    for (int i = 0; i < n && i < TTL_TABLES_PER_TICK; i++)
        sweep_table(ids[i], now_s);
    h2o_mem_clear_pool(&pool);
    timer_start(timer, clock_now_ms() + TTL_INTERVAL_MS);
}

void ddb_ttl_start(void)
{
    timer_init(&ttl_timer, ttl_tick, NULL);
    timer_start(&ttl_timer, clock_now_ms() + TTL_INTERVAL_MS);
}

void ddb_ttl_stop(void)
{
    timer_stop(&ttl_timer);
}
