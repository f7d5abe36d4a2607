/* ddb_purge.c - deletes the items and index entries of dropped tables and
 * indexes in the background.
 *
 * DeleteTable and UpdateTable's index deletion only remove the definition (a
 * dropped id is never reused, so its rows are unreachable at once); the rows go
 * here in small batches on a timer, so a large table never stalls requests.
 * The timer runs after a drop and once at start-up (rows left by a restart). */
#include "services/clock.h"
#include "services/dynamodb/ddb_core.h"
#include "services/log.h"
#include "services/timer.h"

#define PURGE_BATCH 1000
#define PURGE_INTERVAL_MS 5

static loop_timer_t purge_timer;

static void purge_tick(loop_timer_t *timer)
{
    ddb_write_begin();
    int n = ddb_store_purge(PURGE_BATCH);
    ddb_write_end(n >= 0);
    if (n < 0)
        LOG_WARN("dynamodb: purging dropped tables failed; retrying");
    if (n != 0)
        timer_start(timer, clock_now_ms() + (n < 0 ? 1000 : PURGE_INTERVAL_MS));
}

void ddb_purge_kick(void)
{
    if (timer_active(&purge_timer))
        return;
    timer_init(&purge_timer, purge_tick, NULL);
    timer_start(&purge_timer, clock_now_ms() + PURGE_INTERVAL_MS);
}

void ddb_purge_stop(void)
{
    timer_stop(&purge_timer);
}
