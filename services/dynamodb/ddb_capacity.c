/* ddb_capacity.c - consumed capacity as DynamoDB computes and reports it.
 *
 * Reads: one unit per 4 KB read (rounded up once per request for Query and
 * Scan, per item for GetItem and batches), half for eventually consistent
 * reads. Writes: one unit per 1 KB of the larger of the old and new item,
 * at least one. Transactions count double. Index writes follow the projected
 * entries (ddb_index_write). Transactions tell their units as read or write
 * units too. */
#include <string.h>

#include "services/dynamodb/ddb_core.h"

ddb_cap_mode_t ddb_cap_mode(yajl_val in)
{
    const char *s = in_str(in, "ReturnConsumedCapacity");
    if (s && strcmp(s, "TOTAL") == 0)
        return DDB_CAP_TOTAL;
    if (s && strcmp(s, "INDEXES") == 0)
        return DDB_CAP_INDEXES;
    return DDB_CAP_NONE;
}

void ddb_cap_init(call_t *c, ddb_cap_t *cap, const ddb_table_t *t, int write)
{
    cap->t = t;
    cap->write = write;
    cap->table = 0;
    cap->index = call_alloc(c, sizeof(double) * (t->nindexes + 1));
}

double ddb_cap_read_units(int64_t bytes, int consistent)
{
    int64_t units = (bytes + 4095) / 4096;
    if (units < 1)
        units = 1;
    return consistent ? (double)units : (double)units / 2;
}

double ddb_cap_write_units(int64_t old_size, int64_t new_size)
{
    int64_t bytes = old_size > new_size ? old_size : new_size;
    int64_t units = (bytes + 1023) / 1024;
    return (double)(units < 1 ? 1 : units);
}

void ddb_cap_add_write(ddb_cap_t *cap, const ddb_write_info_t *info, double factor)
{
    cap->table += factor * ddb_cap_write_units(info->old_size, info->new_size);
    for (size_t i = 0; i < cap->t->nindexes; i++)
        cap->index[i] += factor * info->index_units[i];
}

/* "CapacityUnits": v, and for a transaction the same again as read or write units (DynamoDB's transactional replies
 * split them, at the top and in each part; its single-item and batch replies do not: nubo-db/dynamodb-conformance
 * transactWrite and consumedCapacity tests, characterised on DynamoDB). */
static void units_fields(jw_t *w, const ddb_cap_t *cap, int split, double v)
{
    jw_key(w, "CapacityUnits");
    jw_double(w, v);
    if (split) {
        jw_key(w, cap->write ? "WriteCapacityUnits" : "ReadCapacityUnits");
        jw_double(w, v);
    }
}

static void units(jw_t *w, const ddb_cap_t *cap, int split, const char *key, double v)
{
    jw_key(w, key);
    jw_obj(w);
    units_fields(w, cap, split, v);
    jw_end(w);
}

static void index_units(jw_t *w, const ddb_cap_t *cap, int split, int global)
{
    int any = 0;
    for (size_t i = 0; i < cap->t->nindexes; i++) {
        const ddb_index_t *ix = &cap->t->indexes[i];
        if (ix->global != global || cap->index[i] == 0)
            continue;
        if (!any++) {
            jw_key(w, global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
            jw_obj(w);
        }
        units(w, cap, split, ix->name, cap->index[i]);
    }
    if (any)
        jw_end(w);
}

static void cap_write(jw_t *w, const ddb_cap_t *cap, ddb_cap_mode_t mode, int split)
{
    double total = cap->table;
    for (size_t i = 0; i < cap->t->nindexes; i++)
        total += cap->index[i];
    jw_obj(w);
    jw_kstr(w, "TableName", cap->t->name);
    units_fields(w, cap, split, total);
    if (mode == DDB_CAP_INDEXES) {
        units(w, cap, split, "Table", cap->table);
        index_units(w, cap, split, 0);
        index_units(w, cap, split, 1);
    }
    jw_end(w);
}

void ddb_cap_member(call_t *c, const ddb_cap_t *cap, ddb_cap_mode_t mode)
{
    if (mode == DDB_CAP_NONE)
        return;
    jw_key(&c->out, "ConsumedCapacity");
    cap_write(&c->out, cap, mode, 0);
}

static void cap_list_member(call_t *c, const ddb_cap_t *caps, size_t n, int split)
{
    ddb_cap_mode_t mode = ddb_cap_mode(c->in);
    if (mode == DDB_CAP_NONE)
        return;
    jw_key(&c->out, "ConsumedCapacity");
    jw_arr(&c->out);
    for (size_t i = 0; i < n; i++)
        cap_write(&c->out, &caps[i], mode, split);
    jw_aend(&c->out);
}

void ddb_cap_list_member(call_t *c, const ddb_cap_t *caps, size_t n)
{
    cap_list_member(c, caps, n, 0);
}

void ddb_cap_list_member_txn(call_t *c, const ddb_cap_t *caps, size_t n)
{
    cap_list_member(c, caps, n, 1);
}
