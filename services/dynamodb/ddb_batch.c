/* ddb_batch.c - BatchGetItem and BatchWriteItem.
 *
 * Every request of a batch is validated before anything is read or written
 * (limits, duplicate keys, tables, keys and items), then the batch runs in one
 * savepoint, each table's requests through ddb_write_many(). BatchGetItem reads
 * its keys in request order until its response would pass 16 MB and returns
 * the keys left in UnprocessedKeys; nothing is ever throttled, so
 * UnprocessedItems is always empty. */
#include <string.h>

#include "protocol/ytree.h"
#include "services/dynamodb/ddb_core.h"
#include "services/dynamodb/ddb_eval.h"

#define BATCH_GET_MAX 100
#define BATCH_WRITE_MAX 25
/* The most item bytes (ddb_item_size, of the stored item whatever the projection: what is read) one BatchGetItem
 * answers. The API reference fixes the unit by its example: "if you ask to retrieve 100 items, but each individual
 * item is 300 KB in size, the system returns 52 items (so as not to exceed the 16 MB limit)", so 52 items of
 * 307,200 bytes fit and 53 do not: 16,000,000 bytes does that, 16 MiB (54 items) does not. */
#define BATCH_GET_MAX_BYTES 16000000

static size_t obj_len(yajl_val o)
{
    return YAJL_IS_OBJECT(o) ? o->u.object.len : 0;
}

static int has_duplicate(const ddb_kbytes_t *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (ddb_same_key(&keys[i], &keys[j]))
                return 1;
    return 0;
}

/* ---- BatchGetItem ---- */

typedef struct {
    const char *name;
    yajl_val spec;
    yajl_val keys; /* the request's Keys */
    const ddb_table_t *t;
    ddb_expr_ctx_t ctx;
    ddb_expr_request_t req;
    ddb_kbytes_t *kbytes;
    size_t nkeys;
    size_t done; /* keys read: the rest are unprocessed */
    int consistent;
} get_table_t;

/* Two of a request's key maps name the same item: the same attributes with equal values ("1.0" is "1"). */
static int same_key_map(yajl_val a, yajl_val b)
{
    if (!YAJL_IS_OBJECT(a) || !YAJL_IS_OBJECT(b) || a->u.object.len != b->u.object.len)
        return 0;
    for (size_t i = 0; i < a->u.object.len; i++) {
        yajl_val v = in_get(b, a->u.object.keys[i]);
        if (v == NULL || !ddb_av_equal(a->u.object.values[i], v))
            return 0;
    }
    return 1;
}

static int has_duplicate_map(yajl_val keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (same_key_map(keys->u.array.values[i], keys->u.array.values[j]))
                return 1;
    return 0;
}

/* What DynamoDB checks of a table's request before it looks the table up: the expressions, the key values and
 * duplicate keys (ExtendDB's tests/test_validation_precedence.py, captured from DynamoDB: duplicate keys for a
 * table that does not exist are this ValidationException, not ResourceNotFoundException). */
static int get_check(call_t *c, get_table_t *g)
{
    g->keys = in_arr(g->spec, "Keys");
    g->nkeys = arr_len(g->keys);
    if (ddb_exprs_parse(c, g->spec, &g->ctx, &g->req) != 0)
        return -1;
    for (size_t i = 0; i < g->nkeys; i++) {
        yajl_val key = g->keys->u.array.values[i];
        const char *msg;
        int rc;
        if (YAJL_IS_OBJECT(key) && (rc = ddb_item_validate_in(c->pool, key, ddb_call_layer(c), &msg)) != 0)
            return ddb_value_error(c, rc, msg);
    }
    if (has_duplicate_map(g->keys, g->nkeys))
        return ddb_validation(c, "Provided list of item keys contains duplicates");
    return 0;
}

static int get_resolve(call_t *c, get_table_t *g)
{
    if (ddb_table_find(c, g->name, &g->t) != CALL_DONE)
        return -1;
    in_bool(g->spec, "ConsistentRead", &g->consistent);
    g->kbytes = call_alloc(c, sizeof(ddb_kbytes_t) * (g->nkeys + 1));
    for (size_t i = 0; i < g->nkeys; i++)
        if (ddb_key_match(c, g->t, g->keys->u.array.values[i], &g->kbytes[i]) != 0)
            return -1;
    return 0;
}

/* Reads the table's keys in order into Responses while their items fit in the *left bytes still free; at the first
 * that does not, *left becomes -1 and no later key is read, of this table or the next. Only what is read is
 * charged. */
static int get_table(call_t *c, get_table_t *g, ddb_cap_t *cap, int64_t *left)
{
    ddb_cap_init(c, cap, g->t, 0);
    jw_key(&c->out, g->name);
    jw_arr(&c->out);
    for (g->done = 0; g->done < g->nkeys && *left >= 0; g->done++) {
        const char *text;
        size_t len;
        int64_t size = 0;
        int rc = ddb_store_item_get(c->pool, g->t->id, &g->kbytes[g->done], &text, &len, &size);
        if (rc < 0)
            return -1;
        if (size > *left) {
            *left = -1;
            break;
        }
        *left -= size;
        cap->table += ddb_cap_read_units(size, g->consistent);
        if (rc == 0)
            continue;
        if (g->req.projection_ast)
            ddb_item_write(&c->out, ddb_eval_project(c->pool, g->req.projection_ast, ddb_json_parse(c, text)));
        else
            jw_raw(&c->out, text, len);
    }
    jw_aend(&c->out);
    return 0;
}

/* "UnprocessedKeys": per table with keys not read, those keys and the table's other parameters as the request gave
 * them, "in the same form as RequestItems, so the value can be provided directly to a subsequent BatchGetItem
 * operation" (the API reference). */
static void get_unprocessed(call_t *c, const get_table_t *gs, size_t n)
{
    static const char *const kept[] = {"AttributesToGet", "ConsistentRead", "ExpressionAttributeNames", "ProjectionExpression"};
    jw_key(&c->out, "UnprocessedKeys");
    jw_obj(&c->out);
    for (size_t i = 0; i < n; i++) {
        const get_table_t *g = &gs[i];
        if (g->done == g->nkeys)
            continue;
        jw_key(&c->out, g->name);
        jw_obj(&c->out);
        jw_key(&c->out, "Keys");
        jw_arr(&c->out);
        for (size_t j = g->done; j < g->nkeys; j++)
            ytree_write(&c->out, g->keys->u.array.values[j]);
        jw_aend(&c->out);
        for (size_t k = 0; k < sizeof(kept) / sizeof(kept[0]); k++) {
            yajl_val v = in_get(g->spec, kept[k]);
            if (v && !YAJL_IS_NULL(v)) {
                jw_key(&c->out, kept[k]);
                ytree_write(&c->out, v);
            }
        }
        jw_end(&c->out);
    }
    jw_end(&c->out);
}

/* One style across the tables: a ProjectionExpression on one and AttributesToGet on another is refused as the
 * expression/non-expression conflict of one table is (paritysuite/dynamodb-conformance batchGetItem.test.ts). */
static int get_styles_agree(call_t *c, yajl_val items, size_t n)
{
    int exprs = 0, legacy = 0;
    for (size_t i = 0; i < n; i++) {
        exprs |= in_str(items->u.object.values[i], "ProjectionExpression") != NULL;
        legacy |= in_arr(items->u.object.values[i], "AttributesToGet") != NULL;
    }
    return exprs && legacy ? ddb_validation(c, "Can not use both expression and non-expression parameters in the same request: "
                                               "Non-expression parameters: {AttributesToGet} Expression parameters: "
                                               "{ProjectionExpression}")
                           : 0;
}

int ddb_batch_get_item(call_t *c)
{
    yajl_val items = in_obj(c->in, "RequestItems");
    size_t n = obj_len(items), total = 0;
    get_table_t *gs = call_alloc(c, sizeof(get_table_t) * (n + 1));
    for (size_t i = 0; i < n; i++)
        total += arr_len(in_arr(items->u.object.values[i], "Keys"));
    if (total > BATCH_GET_MAX)
        return ddb_validation(c, "Too many items requested for the BatchGetItem call");
    if (get_styles_agree(c, items, n) != 0)
        return CALL_ERROR;
    for (size_t i = 0; i < n; i++) {
        gs[i].name = items->u.object.keys[i];
        gs[i].spec = items->u.object.values[i];
        if (get_check(c, &gs[i]) != 0)
            return CALL_ERROR;
    }
    for (size_t i = 0; i < n; i++)
        if (get_resolve(c, &gs[i]) != 0)
            return CALL_ERROR;
    ddb_cap_t *caps = call_alloc(c, sizeof(ddb_cap_t) * (n + 1));
    int64_t left = BATCH_GET_MAX_BYTES;
    jw_obj(&c->out);
    jw_key(&c->out, "Responses");
    jw_obj(&c->out);
    for (size_t i = 0; i < n; i++)
        if (get_table(c, &gs[i], &caps[i], &left) != 0) {
            jw_reset(&c->out);
            return ddb_internal_error(c);
        }
    jw_end(&c->out);
    get_unprocessed(c, gs, n);
    ddb_cap_list_member(c, caps, n);
    jw_end(&c->out);
    return CALL_DONE;
}

/* ---- BatchWriteItem ---- */

/* One table's requests, as ddb_write_many() takes them. */
typedef struct {
    size_t n;
    ddb_kbytes_t *keys;
    yajl_val *items; /* put: the item; delete: NULL */
    yajl_val *keyed; /* the item or the key */
    int64_t *sizes;  /* put: the item's */
    ddb_cap_t cap;
} write_table_t;

static int write_prepare(call_t *c, const ddb_table_t *t, yajl_val req, write_table_t *w, size_t i)
{
    yajl_val put = in_obj(req, "PutRequest"), del = in_obj(req, "DeleteRequest");
    if ((put != NULL) == (del != NULL))
        return ddb_validation(c, "One or more parameter values were invalid: A write request must contain exactly one of "
                                 "PutRequest or DeleteRequest");
    if (put) {
        w->items[i] = w->keyed[i] = in_obj(put, "Item");
        return ddb_batch_item_check(c, t, w->items[i], &w->keys[i], &w->sizes[i]);
    }
    w->keyed[i] = in_obj(del, "Key");
    return ddb_key_from_request(c, t, w->keyed[i], &w->keys[i]);
}

static int write_table_prepare(call_t *c, const char *name, yajl_val list, write_table_t *w)
{
    const ddb_table_t *t;
    if (ddb_table_find(c, name, &t) != CALL_DONE)
        return -1;
    w->n = arr_len(list);
    w->keys = call_alloc(c, sizeof(ddb_kbytes_t) * (w->n + 1));
    w->items = call_alloc(c, sizeof(yajl_val) * (w->n + 1));
    w->keyed = call_alloc(c, sizeof(yajl_val) * (w->n + 1));
    w->sizes = call_alloc(c, sizeof(int64_t) * (w->n + 1));
    for (size_t j = 0; j < w->n; j++)
        if (write_prepare(c, t, list->u.array.values[j], w, j) != 0)
            return -1;
    if (has_duplicate(w->keys, w->n))
        return ddb_validation(c, "Provided list of item keys contains duplicates");
    ddb_cap_init(c, &w->cap, t, 1);
    return 0;
}

static int write_table(call_t *c, write_table_t *w, int one_by_one)
{
    ddb_write_info_t *infos = call_alloc(c, sizeof(ddb_write_info_t) * (w->n + 1));
    int rc = ddb_write_many(c, w->cap.t, w->n, w->keys, w->items, w->sizes, one_by_one, infos);
    ddb_cap_init(c, &w->cap, w->cap.t, 1);
    for (size_t i = 0; rc == 0 && i < w->n; i++)
        ddb_cap_add_write(&w->cap, &infos[i], 1);
    return rc;
}

/* Every table's requests in one savepoint; again one by one when a table's puts found some of their keys taken. */
static int write_tables(call_t *c, write_table_t *ws, size_t n)
{
    int rc = 0;
    for (int one_by_one = 0; one_by_one < 2; one_by_one++) {
        ddb_write_begin();
        rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = write_table(c, &ws[i], one_by_one);
        ddb_write_end(rc == 0);
        if (rc != DDB_WRITE_RETRY)
            break;
    }
    return rc;
}

/* "ItemCollectionMetrics": {table: [one per written item]} for the tables that report them. */
static void write_metrics(call_t *c, yajl_val items, const write_table_t *ws)
{
    int any = 0;
    for (size_t i = 0; i < items->u.object.len; i++) {
        if (!ddb_metrics_wanted(c->in, ws[i].cap.t))
            continue;
        if (!any++) {
            jw_key(&c->out, "ItemCollectionMetrics");
            jw_obj(&c->out);
        }
        jw_key(&c->out, items->u.object.keys[i]);
        jw_arr(&c->out);
        for (size_t j = 0; j < ws[i].n; j++)
            ddb_collection_metric(c, ws[i].cap.t, ws[i].keyed[j]);
        jw_aend(&c->out);
    }
    if (any)
        jw_end(&c->out);
}

int ddb_batch_write_item(call_t *c)
{
    yajl_val items = in_obj(c->in, "RequestItems");
    size_t n = obj_len(items), total = 0;
    for (size_t i = 0; i < n; i++)
        total += arr_len(items->u.object.values[i]);
    if (total > BATCH_WRITE_MAX)
        return ddb_validation(c, "Too many items requested for the BatchWriteItem call");
    write_table_t *ws = call_alloc(c, sizeof(write_table_t) * (n + 1));
    ddb_cap_t *caps = call_alloc(c, sizeof(ddb_cap_t) * (n + 1));
    for (size_t i = 0; i < n; i++)
        if (write_table_prepare(c, items->u.object.keys[i], items->u.object.values[i], &ws[i]) != 0)
            return CALL_ERROR;
    if (write_tables(c, ws, n) != 0)
        return CALL_ERROR;
    for (size_t i = 0; i < n; i++)
        caps[i] = ws[i].cap;
    jw_obj(&c->out);
    jw_key(&c->out, "UnprocessedItems");
    jw_obj(&c->out);
    jw_end(&c->out);
    ddb_cap_list_member(c, caps, n);
    write_metrics(c, items, ws);
    jw_end(&c->out);
    return CALL_DONE;
}
