/* ddb_index.c - secondary index contents: projections and backfill.
 *
 * An index entry holds the projection of its item (keys of the table and the
 * index, plus ALL or the INCLUDE list); ddb_write_item() keeps entries in step
 * on every write (sparse: an item without the index keys has no entry); a local
 * index's reader may reach an entry's item in the table. A
 * GSI added by UpdateTable is filled here from the table's items, in batches
 * on a timer so that a large table does not stall requests; the index is
 * CREATING (Backfilling) until then, and ACTIVE after. */
#include <stdlib.h>
#include <string.h>

#include "services/clock.h"
#include "services/dynamodb/ddb_core.h"
#include "services/log.h"
#include "services/timer.h"

int ddb_index_projects(const ddb_table_t *t, const ddb_index_t *ix, const char *name)
{
    if (ix->proj == DDB_PROJ_ALL || ddb_key_has(&t->hash, name) || ddb_key_has(&t->range, name) || ddb_key_has(&ix->hash, name) ||
        ddb_key_has(&ix->range, name))
        return 1;
    for (size_t i = 0; ix->proj == DDB_PROJ_INCLUDE && i < ix->nnonkey; i++)
        if (strcmp(ix->nonkey[i], name) == 0)
            return 1;
    return 0;
}

yajl_val ddb_index_project(call_t *c, const ddb_table_t *t, const ddb_index_t *ix, yajl_val item)
{
    if (ix->proj == DDB_PROJ_ALL || !YAJL_IS_OBJECT(item))
        return item;
    size_t n = item->u.object.len;
    yajl_val o = call_alloc(c, sizeof(*o));
    o->type = yajl_t_object;
    o->u.object.keys = call_alloc(c, sizeof(char *) * (n + 1));
    o->u.object.values = call_alloc(c, sizeof(yajl_val) * (n + 1));
    for (size_t i = 0; i < n; i++)
        if (ddb_index_projects(t, ix, item->u.object.keys[i])) {
            o->u.object.keys[o->u.object.len] = item->u.object.keys[i];
            o->u.object.values[o->u.object.len++] = item->u.object.values[i];
        }
    return o;
}

yajl_val ddb_index_base_item(call_t *c, const ddb_table_t *t, yajl_val entry, int64_t *size)
{
    ddb_kbytes_t k;
    yajl_val item = NULL;
    if (ddb_key_bytes(c, &t->hash, &t->range, entry, &k) == 0 && ddb_item_read(c, t, &k, &item, size) == 1)
        return item;
    return entry;
}

const ddb_key_attr_t *ddb_index_key_too_long(const ddb_index_t *ix, yajl_val item, size_t *size, size_t *max)
{
    const ddb_key_attr_t *ks[2] = {&ix->hash, &ix->range};
    for (int j = 0; j < 2; j++)
        for (const ddb_key_attr_t *ka = ks[j]; ka && ka->name; ka = ka->next) {
            yajl_val v = in_get(item, ka->name);
            *size = v && ddb_av_type(v) != DDB_T_N ? ddb_av_size(v) : 0;
            *max = j == 0 ? DDB_MAX_HASH_KEY : DDB_MAX_RANGE_KEY;
            if (*size > *max)
                return ka;
        }
    return NULL;
}

typedef struct {
    int present;
    ddb_kbytes_t key;
    const char *text;
    size_t len;
    int64_t size;
} entry_t;

/* An item has no entry without the index's keys, or with an empty string or binary or a value too long for a key
 * as one: writes refuse those, but items written before UpdateTable added the GSI may hold them, and the backfill
 * skips them. */
static void entry_of(call_t *c, const ddb_table_t *t, const ddb_index_t *ix, yajl_val item, entry_t *e)
{
    size_t size, max;
    memset(e, 0, sizeof(*e));
    if (!item || ddb_key_bytes(c, &ix->hash, &ix->range, item, &e->key) != 0 || e->key.pklen == 0 ||
        (ix->range.name && e->key.sklen == 0) || ddb_index_key_too_long(ix, item, &size, &max))
        return;
    yajl_val p = ddb_index_project(c, t, ix, item);
    e->present = 1;
    e->text = ddb_item_text(c, p, &e->len);
    e->size = (int64_t)ddb_item_size(p);
}

double ddb_index_write(call_t *c, const ddb_table_t *t, const ddb_index_t *ix, const ddb_kbytes_t *tk, yajl_val old_item,
                       yajl_val new_item)
{
    entry_t o, n;
    entry_of(c, t, ix, old_item, &o);
    entry_of(c, t, ix, new_item, &n);
    if (o.present && n.present && ddb_same_key(&o.key, &n.key) && o.len == n.len && memcmp(o.text, n.text, o.len) == 0)
        return 0;
    if (o.present && ddb_store_entry_delete(ix->id, &o.key, tk) != 0)
        return -1;
    if (n.present && ddb_store_entry_put(ix->id, &n.key, tk, n.text, n.len, n.size) != 0)
        return -1;
    ddb_counts_add(ix->id, 1, n.present - o.present, n.size - o.size);
    if (o.present && n.present && !ddb_same_key(&o.key, &n.key))
        return ddb_cap_write_units(o.size, 0) + ddb_cap_write_units(0, n.size);
    return o.present || n.present ? ddb_cap_write_units(o.size, n.size) : 0;
}

/* ---- background backfill of new global indexes ---- */

#define BACKFILL_BATCH 500

typedef struct backfill_job {
    struct backfill_job *next;
    int64_t table_id, index_id;
    int has_cursor;
    ddb_kbytes_t cursor; /* last item done; pk/sk malloc'd */
} backfill_job_t;

static backfill_job_t *jobs;
static loop_timer_t backfill_timer;

static void job_free(backfill_job_t *j)
{
    free((void *)j->cursor.pk);
    free((void *)j->cursor.sk);
    free(j);
}

static void *dup_bytes(const void *p, size_t len)
{
    void *out = malloc(len ? len : 1);
    if (out && len)
        memcpy(out, p, len);
    return out;
}

static void job_cursor(backfill_job_t *j, const ddb_kbytes_t *k)
{
    free((void *)j->cursor.pk);
    free((void *)j->cursor.sk);
    j->cursor = *k;
    j->cursor.pk = dup_bytes(k->pk, k->pklen);
    j->cursor.sk = dup_bytes(k->sk, k->sklen);
    j->has_cursor = 1;
}

static const ddb_index_t *index_by_id(const ddb_table_t *t, int64_t id)
{
    for (size_t i = 0; i < t->nindexes; i++)
        if (t->indexes[i].id == id)
            return &t->indexes[i];
    return NULL;
}

/* The entry of one existing item; an entry already written by a later write (or an earlier run) stays. */
static int backfill_entry(call_t *c, const ddb_table_t *t, const ddb_index_t *ix, const ddb_kbytes_t *tk, yajl_val item)
{
    entry_t e;
    entry_of(c, t, ix, item, &e);
    if (!e.present)
        return 0;
    int rc = ddb_store_entry_add(ix->id, &e.key, tk, e.text, e.len, e.size);
    if (rc < 0)
        return -1;
    if (rc == 1)
        ddb_counts_add(ix->id, 1, 1, e.size);
    return 0;
}

/* One batch of a job: 1 when the job is over (done, or its table or index is gone), 0 to continue, -1 on failure. */
static int job_step(call_t *c, backfill_job_t *j)
{
    ddb_table_t *t;
    if (ddb_table_load_id(c, j->table_id, &t) != 1)
        return c->err_code ? -1 : 1;
    ddb_index_t *ix = (ddb_index_t *)index_by_id(t, j->index_id);
    if (!ix || strcmp(ix->status, "CREATING") != 0)
        return 1;
    ddb_range_t r = {.owner = t->id, .scan = 1, .ph_lo = 0, .ph_hi = UINT32_MAX, .has_start = j->has_cursor, .start = j->cursor};
    ddb_iter_t it;
    ddb_row_t row;
    int rc, n = 0;
    if (ddb_store_iter_begin(&it, &r) != 0)
        return -1;
    while (n < BACKFILL_BATCH && (rc = ddb_store_iter_next(&it, &row)) == 1) {
        yajl_val item = ddb_json_parse(c, row.item);
        ddb_kbytes_t k;
        n++;
        if (!item || ddb_key_bytes(c, &t->hash, &t->range, item, &k) != 0)
            continue;
        if (backfill_entry(c, t, ix, &k, item) != 0) {
            rc = -1;
            break;
        }
        job_cursor(j, &k);
    }
    ddb_store_iter_end(&it);
    if (rc < 0)
        return -1;
    if (n == BACKFILL_BATCH)
        return 0;
    ix->status = "ACTIVE";
    return ddb_table_save(c, t) == 0 ? 1 : -1;
}

static void backfill_tick(loop_timer_t *timer)
{
    for (backfill_job_t **jp = &jobs; *jp;) {
        backfill_job_t *j = *jp;
        h2o_mem_pool_t pool;
        h2o_mem_init_pool(&pool);
        call_t c;
        memset(&c, 0, sizeof(c));
        c.pool = &pool;
        ddb_write_begin();
        int rc = job_step(&c, j);
        ddb_write_end(rc >= 0);
        if (rc < 0)
            LOG_WARN("dynamodb: index backfill failed, retrying: %s", c.err_msg ? c.err_msg : "storage error");
        h2o_mem_clear_pool(&pool);
        if (rc == 1) {
            *jp = j->next;
            job_free(j);
        } else {
            jp = &j->next;
        }
    }
    if (jobs)
        timer_start(timer, clock_now_ms() + 1);
}

void ddb_backfill_schedule(const ddb_table_t *t)
{
    for (size_t i = 0; i < t->nindexes; i++) {
        if (strcmp(t->indexes[i].status, "CREATING") != 0)
            continue;
        backfill_job_t *j = calloc(1, sizeof(*j));
        if (!j)
            continue;
        j->table_id = t->id;
        j->index_id = t->indexes[i].id;
        j->next = jobs;
        jobs = j;
    }
    if (jobs && !timer_active(&backfill_timer)) {
        timer_init(&backfill_timer, backfill_tick, NULL);
        timer_start(&backfill_timer, clock_now_ms() + 1);
    }
}

void ddb_backfill_resume(void)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    call_t c;
    memset(&c, 0, sizeof(c));
    c.pool = &pool;
    int64_t *ids;
    ddb_table_t *t;
    int n = ddb_store_tables_matching(&pool, "\"st\":\"CREATING\"", &ids);
    for (int i = 0; i < n; i++)
        if (ddb_table_load_id(&c, ids[i], &t) == 1)
            ddb_backfill_schedule(t);
    h2o_mem_clear_pool(&pool);
}

void ddb_backfill_stop(void)
{
    timer_stop(&backfill_timer);
    while (jobs) {
        backfill_job_t *j = jobs;
        jobs = j->next;
        job_free(j);
    }
}
