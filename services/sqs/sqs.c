/* sqs.c - the SQS service: its operation table, open/close, and the few pieces
 * of state every SQS file shares (sequence numbers, randomness, the sweeper that
 * drops messages past their retention period and expired dedup records, the
 * dropper that deletes the messages of purged and deleted queues). */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "../clock.h"
#include "../log.h"
#include "sqs_int.h"

#define SQS_SWEEP_MS 10000
#define SQS_TICK_ROWS 1000 /* messages one background tick deletes (expired, purged): ~2 ms */
#define SQS_TICK_MS 5

static const service_op_t sqs_ops[] = {
    {"AddPermission", sqs_add_permission},
    {"CancelMessageMoveTask", sqs_cancel_message_move_task},
    {"ChangeMessageVisibility", sqs_change_message_visibility},
    {"ChangeMessageVisibilityBatch", sqs_change_message_visibility_batch},
    {"CreateQueue", sqs_create_queue},
    {"DeleteMessage", sqs_delete_message},
    {"DeleteMessageBatch", sqs_delete_message_batch},
    {"DeleteQueue", sqs_delete_queue},
    {"GetQueueAttributes", sqs_get_queue_attributes},
    {"GetQueueUrl", sqs_get_queue_url},
    {"ListDeadLetterSourceQueues", sqs_list_dead_letter_source_queues},
    {"ListMessageMoveTasks", sqs_list_message_move_tasks},
    {"ListQueueTags", sqs_list_queue_tags},
    {"ListQueues", sqs_list_queues},
    {"PurgeQueue", sqs_purge_queue},
    {"ReceiveMessage", sqs_receive_message},
    {"RemovePermission", sqs_remove_permission},
    {"SendMessage", sqs_send_message},
    {"SendMessageBatch", sqs_send_message_batch},
    {"SetQueueAttributes", sqs_set_queue_attributes},
    {"StartMessageMoveTask", sqs_start_message_move_task},
    {"TagQueue", sqs_tag_queue},
    {"UntagQueue", sqs_untag_queue},
    {NULL, NULL},
};

const config_t *sqs_cfg;
static int64_t next_seq;
static uint64_t rng[2];
static loop_timer_t sweeper, dropper;

int64_t sqs_next_seq(void)
{
    return ++next_seq;
}

/* xorshift128+, seeded from the kernel: receipt tokens. */
uint64_t sqs_random(void)
{
    uint64_t s1 = rng[0];
    const uint64_t s0 = rng[1];
    rng[0] = s0;
    s1 ^= s1 << 23;
    rng[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return rng[1] + s0;
}

/* Every SQS_SWEEP_MS, or every SQS_TICK_MS while more messages have expired than one tick deletes. */
static void sqs_sweep(loop_timer_t *t)
{
    int64_t now = clock_now_ms();
    int budget = SQS_TICK_ROWS;
    if (sqs_store_write_begin() == 0) {
        int ok = sqs_store_dedup_sweep(now) == 0;
        for (int i = 0; ok && budget > 0 && i < sqs_queue_count(); i++) {
            sqs_queue_t *q = sqs_queue_at(i);
            int n = sqs_store_expire(q->bucket, now - (int64_t)q->retention * 1000, budget);
            ok = n >= 0;
            budget -= ok ? n : 0;
        }
        sqs_store_write_end(ok);
    }
    timer_start(t, now + (budget == 0 ? SQS_TICK_MS : SQS_SWEEP_MS));
}

/* Deletes a batch of the messages PurgeQueue and DeleteQueue left (sqs_store.h), until none is left. */
static void sqs_drop(loop_timer_t *t)
{
    static long long total;
    int more = -1, n = 0;
    if (sqs_store_write_begin() == 0) {
        more = sqs_store_drop_some(SQS_TICK_ROWS, &n);
        sqs_store_write_end(more >= 0);
    }
    if (more < 0)
        LOG_WARN("sqs: deleting the messages of purged and deleted queues failed; retrying");
    else
        total += n;
    if (more == 0 && total > 0) {
        LOG_INFO("sqs: deleted the %lld messages of purged and deleted queues", total);
        total = 0;
    }
    if (more != 0)
        timer_start(t, clock_now_ms() + (more < 0 ? 1000 : SQS_TICK_MS));
}

void sqs_drop_kick(void)
{
    if (!timer_active(&dropper))
        timer_start(&dropper, clock_now_ms() + SQS_TICK_MS);
}

static void load_queue(const sqs_store_queue_t *row, void *arg)
{
    sqs_queue_add(row);
}

static int sqs_open(const config_t *cfg, char *err, size_t errlen)
{
    sqs_cfg = cfg;
    if (getrandom(rng, sizeof(rng), 0) != (ssize_t)sizeof(rng)) {
        rng[0] = (uint64_t)clock_now_ms() * 0x9E3779B97F4A7C15ULL;
        rng[1] = (uint64_t)getpid() ^ 0xD1B54A32D192ED03ULL;
    }
    if (sqs_store_open(cfg->data_dir, cfg->in_memory, cfg->durability_full, err, errlen) != 0)
        return -1;
    next_seq = sqs_store_max_seq();
    if (next_seq < 0 || sqs_store_queues_load(load_queue, NULL) != 0 || sqs_tasks_open() != 0) {
        snprintf(err, errlen, "cannot load the SQS database");
        return -1;
    }
    timer_init(&sweeper, sqs_sweep, NULL);
    timer_start(&sweeper, clock_now_ms() + SQS_SWEEP_MS);
    timer_init(&dropper, sqs_drop, NULL);
    sqs_drop_kick(); /* what a stop left */
    /* messages whose visibility ran out while we were down are visible already; nothing to replay */
    return 0;
}

static void sqs_close(void)
{
    timer_stop(&sweeper);
    timer_stop(&dropper);
    sqs_tasks_close();
    for (int i = 0; i < sqs_queue_count(); i++)
        sqs_queue_drop_waiters(sqs_queue_at(i), 0);
    sqs_queues_free();
    sqs_store_close();
}

static void sqs_resync(void)
{
    sqs_store_counts_forget();
    sqs_queues_resync();
    sqs_tasks_close();
    sqs_tasks_open();
}

const service_t sqs_service = {"sqs", &model_sqs, sqs_ops, sqs_open, sqs_close, sqs_resync};
