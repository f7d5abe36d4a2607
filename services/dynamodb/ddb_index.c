/* ddb_index.c - secondary index contents: projections and backfill.
 *
 * An index entry holds the projection of its item (keys of the table and the
 * index, plus ALL or the INCLUDE list); ddb_write_item() keeps entries in step
 * on every write (sparse: an item without the index keys has no entry), and a
 * GSI added by UpdateTable is filled here from the table's items. */
#include <string.h>

#include "services/dynamodb/ddb_core.h"

static int wanted(const ddb_table_t *t, const ddb_index_t *ix, const char *name)
{
    const char *keys[4] = {t->hash.name, t->range.name, ix->hash.name, ix->range.name};
    for (int i = 0; i < 4; i++)
        if (keys[i] && strcmp(keys[i], name) == 0)
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
        if (wanted(t, ix, item->u.object.keys[i])) {
            o->u.object.keys[o->u.object.len] = item->u.object.keys[i];
            o->u.object.values[o->u.object.len++] = item->u.object.values[i];
        }
    return o;
}

typedef struct {
    int present;
    ddb_kbytes_t key;
    const char *text;
    size_t len;
    int64_t size;
} entry_t;

static void entry_of(call_t *c, const ddb_table_t *t, const ddb_index_t *ix, yajl_val item, entry_t *e)
{
    memset(e, 0, sizeof(*e));
    if (!item || ddb_key_bytes(c, &ix->hash, &ix->range, item, &e->key) != 0)
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
    if (o.present && n.present && !ddb_same_key(&o.key, &n.key))
        return ddb_cap_write_units(o.size, 0) + ddb_cap_write_units(0, n.size);
    return o.present || n.present ? ddb_cap_write_units(o.size, n.size) : 0;
}

int ddb_index_backfill(call_t *c, const ddb_table_t *t, const ddb_index_t *ix)
{
    ddb_range_t r = {.owner = t->id, .scan = 1, .ph_lo = 0, .ph_hi = UINT32_MAX};
    ddb_iter_t it;
    ddb_row_t row;
    if (ddb_store_iter_begin(&it, &r) != 0)
        return -1;
    int rc;
    while ((rc = ddb_store_iter_next(&it, &row)) == 1) {
        yajl_val item = yajl_tree_parse(row.item, NULL, 0);
        ddb_kbytes_t k;
        double units = 0;
        if (item && ddb_key_bytes(c, &t->hash, &t->range, item, &k) == 0)
            units = ddb_index_write(c, t, ix, &k, NULL, item);
        yajl_tree_free(item);
        if (units < 0) {
            rc = -1;
            break;
        }
    }
    ddb_store_iter_end(&it);
    return rc;
}
