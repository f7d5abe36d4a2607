/* ddb_counts.c - ItemCount and TableSizeBytes of tables and indexes, kept in memory.
 *
 * DynamoDB itself refreshes these figures about every six hours; keeping them
 * exact in SQLite cost one UPDATE per item write (a tenth of a PutItem). Here
 * they live in memory: a write adds its change to the pending list of the open
 * savepoint, applied when the savepoint is released and dropped when it rolls
 * back. A figure not known (after start-up, or pushed out of the cache by
 * another owner) is counted from the rows when DescribeTable asks for it.
 * Nothing is stored, so nothing can disagree with the items after a crash.
 * Every DynamoDB write runs between ddb_write_begin() and ddb_write_end();
 * these savepoints do not nest. */
#include "services/dynamodb/ddb_core.h"

#define COUNT_SLOTS 1024
#define PENDING_MAX 64

typedef struct {
    int64_t key; /* owner * 2 + is_index; 0 = empty slot (ids start at 1) */
    int64_t items, bytes;
} count_t;

static count_t slots[COUNT_SLOTS];
static count_t pending[PENDING_MAX];
static size_t npending;
static int in_savepoint;

static int64_t key_of(int64_t owner, int is_index)
{
    return owner * 2 + (is_index ? 1 : 0);
}

static count_t *slot_of(int64_t key)
{
    return &slots[(uint64_t)key % COUNT_SLOTS];
}

void ddb_write_begin(void)
{
    npending = 0;
    in_savepoint = 1;
    db_write_begin(ddb_store_db());
}

void ddb_write_end(int ok)
{
    db_write_end(ddb_store_db(), ok);
    in_savepoint = 0;
    for (size_t i = 0; ok && i < npending; i++) {
        count_t *s = slot_of(pending[i].key);
        if (s->key == pending[i].key) {
            s->items += pending[i].items;
            s->bytes += pending[i].bytes;
        }
    }
    npending = 0;
}

void ddb_counts_add(int64_t owner, int is_index, int64_t items, int64_t bytes)
{
    int64_t key = key_of(owner, is_index);
    size_t i = 0;
    while (i < npending && pending[i].key != key)
        i++;
    if (i == PENDING_MAX) { /* more owners than the list holds: this one is counted again when asked */
        count_t *s = slot_of(key);
        if (s->key == key)
            s->key = 0;
        return;
    }
    if (i == npending)
        pending[npending++] = (count_t){key, 0, 0};
    pending[i].items += items;
    pending[i].bytes += bytes;
}

int ddb_counts_get(int64_t owner, int is_index, int64_t *items, int64_t *bytes)
{
    int64_t key = key_of(owner, is_index);
    count_t *s = slot_of(key);
    if (s->key == key) {
        *items = s->items;
        *bytes = s->bytes;
        return 0;
    }
    if (ddb_store_owner_totals(owner, is_index, items, bytes) != 0)
        return -1;
    if (!in_savepoint) /* a count taken inside a savepoint could still be rolled back */
        *s = (count_t){key, *items, *bytes};
    return 0;
}
