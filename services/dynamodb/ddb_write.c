/* ddb_write.c - keys, item checks and the one item write path.
 *
 * Key attribute values become order-preserving bytes (ddb_key_encode) for the
 * store; request keys and items are checked against the table's schema with
 * DynamoDB's messages. ddb_write_item() is the only function that changes an
 * item: it sees the old and the new image, so secondary indexes, TTL expiry,
 * the table's counters and (with streams) change records follow from it.
 * ddb_write_many() is its form for a batch: on a table where nothing but the
 * counters needs the old images, the puts of new keys go in one statement. */
#include <string.h>

#include "services/dynamodb/ddb_core.h"
#include "services/dynamodb/ddb_stream.h"

static yajl_val attr_of(yajl_val item, const char *name)
{
    return name ? in_get(item, name) : NULL;
}

/* Encodes one key value v (NULL: absent) of the schema's type into pool bytes; -1 if absent, of another type, or not
 * encodable. */
static int encode_one(call_t *c, const ddb_key_attr_t *ka, yajl_val v, const void **out, size_t *len)
{
    if (!v || ddb_av_type(v) != ka->type)
        return -1;
    unsigned char buf[DDB_MAX_HASH_KEY + 1];
    long n = ddb_key_encode(v, buf, sizeof(buf));
    if (n < 0)
        return -1;
    *out = memcpy(h2o_mem_alloc_pool(c->pool, (size_t)n + 1), buf, (size_t)n);
    *len = (size_t)n;
    return 0;
}

/* The bytes of a multi-attribute part (ka and the attributes after it) of item's key; -1 if one is absent, empty (its
 * component is 2 bytes: an item with an empty key value has no index entry) or of another type. */
static int encode_components(call_t *c, const ddb_key_attr_t *ka, yajl_val item, const void **out, size_t *len)
{
    unsigned char *buf = call_alloc(c, DDB_KEY_PARTS * DDB_KEY_COMPONENT_MAX);
    size_t n = 0;
    for (; ka; ka = ka->next) {
        yajl_val v = attr_of(item, ka->name);
        long m = v && ddb_av_type(v) == ka->type ? ddb_key_encode_component(v, buf + n, DDB_KEY_COMPONENT_MAX) : -1;
        if (m <= 2)
            return -1;
        n += (size_t)m;
    }
    *out = buf;
    *len = n;
    return 0;
}

static int encode_part(call_t *c, const ddb_key_attr_t *ka, yajl_val item, const void **out, size_t *len)
{
    return ka->next ? encode_components(c, ka, item, out, len) : encode_one(c, ka, attr_of(item, ka->name), out, len);
}

int ddb_key_has(const ddb_key_attr_t *part, const char *name)
{
    for (const ddb_key_attr_t *ka = part; ka; ka = ka->next)
        if (ka->name && name && strcmp(ka->name, name) == 0)
            return 1;
    return 0;
}

int ddb_key_bytes(call_t *c, const ddb_key_attr_t *hash, const ddb_key_attr_t *range, yajl_val item, ddb_kbytes_t *k)
{
    memset(k, 0, sizeof(*k));
    if (encode_part(c, hash, item, &k->pk, &k->pklen) != 0)
        return -1;
    k->ph = ddb_store_hash(k->pk, k->pklen);
    k->sk = "";
    return range->name && encode_part(c, range, item, &k->sk, &k->sklen) != 0 ? -1 : 0;
}

int ddb_same_key(const ddb_kbytes_t *a, const ddb_kbytes_t *b)
{
    return a->ph == b->ph && a->pklen == b->pklen && a->sklen == b->sklen && memcmp(a->pk, b->pk, a->pklen) == 0 &&
           memcmp(a->sk, b->sk, a->sklen) == 0;
}

yajl_val ddb_item_key(call_t *c, const ddb_key_attr_t *hash, const ddb_key_attr_t *range, yajl_val item)
{
    yajl_val o = call_alloc(c, sizeof(*o));
    o->type = yajl_t_object;
    o->u.object.keys = call_alloc(c, sizeof(char *) * 2 * DDB_KEY_PARTS);
    o->u.object.values = call_alloc(c, sizeof(yajl_val) * 2 * DDB_KEY_PARTS);
    const ddb_key_attr_t *ks[2] = {hash, range};
    for (int i = 0; i < 2; i++)
        for (const ddb_key_attr_t *ka = ks[i]; ka; ka = ka->next) {
            yajl_val v = attr_of(item, ka->name);
            if (v) {
                o->u.object.keys[o->u.object.len] = ka->name;
                o->u.object.values[o->u.object.len++] = v;
            }
        }
    return o;
}

int ddb_value_error(call_t *c, int rc, const char *msg)
{
    if (rc == DDB_VERR_SERIALIZATION)
        return call_error(c, "SerializationException", "%s", msg);
    return ddb_validation(c, msg);
}

ddb_layer_t ddb_call_layer(const call_t *c)
{
    static const char *const current[] = {"PutItem", "UpdateItem", "DeleteItem", "GetItem", "BatchGetItem", "Query"};
    for (size_t i = 0; c->op_name && i < sizeof(current) / sizeof(current[0]); i++)
        if (strcmp(c->op_name, current[i]) == 0)
            return DDB_LAYER_CURRENT;
    return DDB_LAYER_OLDER;
}

static int key_value_check(call_t *c, const ddb_key_attr_t *ka, yajl_val v, int is_hash)
{
    const char *msg;
    int rc = ddb_key_validate(c->pool, ka->name, v, ka->type, is_hash, &msg);
    if (rc != 0)
        ddb_validation(c, msg);
    return rc == DDB_VERR_NOT_VALID ? rc : rc ? CALL_ERROR : 0;
}

int ddb_key_from_request(call_t *c, const ddb_table_t *t, yajl_val key, ddb_kbytes_t *k)
{
    const char *msg;
    int rc;
    if (YAJL_IS_OBJECT(key) && (rc = ddb_item_validate_in(c->pool, key, ddb_call_layer(c), &msg)) != 0)
        return ddb_value_error(c, rc, msg);
    return ddb_key_match(c, t, key, k);
}

int ddb_key_match(call_t *c, const ddb_table_t *t, yajl_val key, ddb_kbytes_t *k)
{
    if (!YAJL_IS_OBJECT(key))
        return ddb_validation(c, "The provided key element does not match the schema");
    size_t want = t->range.name ? 2 : 1;
    yajl_val h = attr_of(key, t->hash.name), r = attr_of(key, t->range.name);
    if (key->u.object.len != want || !h || ddb_av_type(h) != t->hash.type ||
        (t->range.name && (!r || ddb_av_type(r) != t->range.type)))
        return ddb_validation(c, "The provided key element does not match the schema");
    int rc;
    if ((rc = key_value_check(c, &t->hash, h, 1)) != 0 || (r && (rc = key_value_check(c, &t->range, r, 0)) != 0))
        return rc;
    if (ddb_key_bytes(c, &t->hash, &t->range, key, k) != 0)
        return ddb_validation(c, "The provided key element does not match the schema");
    return 0;
}

/* Checks the key attribute ka of an item to write. */
static int item_key_check(call_t *c, const ddb_key_attr_t *ka, yajl_val item, int is_hash)
{
    yajl_val v = attr_of(item, ka->name);
    if (!v)
        return ddb_validation(
            c, call_sprintf(c, "One or more parameter values were invalid: Missing the key %s in the item", ka->name));
    if (ddb_av_type(v) != ka->type)
        return ddb_validation(
            c, call_sprintf(c, "One or more parameter values were invalid: Type mismatch for key %s expected: %s actual: %s",
                            ka->name, ddb_type_name(ka->type), ddb_type_name(ddb_av_type(v))));
    return key_value_check(c, ka, v, is_hash);
}

static int is_table_key(const ddb_table_t *t, const char *name)
{
    return ddb_key_has(&t->hash, name) || ddb_key_has(&t->range, name);
}

/* The value v (NULL: absent) of the key attribute ka of index ix in an item to write; updated: the item an update
 * expression made, whose empty value DynamoDB words without naming the index (paritysuite/dynamodb-conformance and
 * nubo-db/dynamodb-conformance transactWriteItems, limits/emptyValues; moto's EmptyKeyAttributeException). */
static int index_key_check(call_t *c, const ddb_table_t *t, const ddb_index_t *ix, const ddb_key_attr_t *ka, yajl_val v,
                           int updated)
{
    if (!v || is_table_key(t, ka->name))
        return 0;
    if (ddb_av_type(v) != ka->type)
        return ddb_validation(c, call_sprintf(c,
                                              "One or more parameter values were invalid: Type mismatch for Index Key %s "
                                              "Expected: %s Actual: %s IndexName: %s",
                                              ka->name, ddb_type_name(ka->type), ddb_type_name(ddb_av_type(v)), ix->name));
    yajl_val inner = ddb_av_inner(v);
    if (ka->type == DDB_T_N || !YAJL_IS_STRING(inner) || YAJL_GET_STRING(inner)[0] != '\0')
        return 0;
    const char *kind = ka->type == DDB_T_S ? "string" : "binary";
    if (updated)
        ddb_validation(c, call_sprintf(c,
                                       DDB_MSG_NOT_VALID "The update expression attempted to update a secondary index key to "
                                                         "a value that is not supported. The AttributeValue for a key "
                                                         "attribute cannot contain an empty %s value.",
                                       kind));
    else
        ddb_validation(c, call_sprintf(c,
                                       DDB_MSG_NOT_VALID "A value specified for a secondary index key is not supported. The "
                                                         "AttributeValue for a key attribute cannot contain an empty %s value. "
                                                         "IndexName: %s, IndexKey: %s",
                                       kind, ix->name, ka->name));
    return DDB_VERR_NOT_VALID;
}

/* Index key attributes present in an item must have the index's types and be non-empty. The global indexes are
 * checked before the local ones: DynamoDB names a GSI where one attribute keys both (lsi1sk, keying gsi1 and lsi1, is
 * refused for gsi1: nubo-db/dynamodb-conformance batchWriteItem and transactWriteItems, four regions, 2026-06-23). */
static int index_keys_check(call_t *c, const ddb_table_t *t, yajl_val item, int updated)
{
    for (int global = 1; global >= 0; global--)
        for (size_t i = 0; i < t->nindexes; i++) {
            const ddb_index_t *ix = &t->indexes[i];
            const ddb_key_attr_t *ks[2] = {&ix->hash, &ix->range}, *long_key;
            size_t size, max;
            for (int j = 0; j < 2 && ix->global == global; j++)
                for (const ddb_key_attr_t *ka = ks[j]; ka; ka = ka->next) {
                    int rc = index_key_check(c, t, ix, ka, attr_of(item, ka->name), updated);
                    if (rc != 0)
                        return rc;
                }
            /* a table key too (a partition key of up to 2048 bytes keying an index's sort): "Size limit exceeded for
             * Index Key componentId Actual Size: 2175 bytes Max Size: 2048 bytes IndexName: work-sets-index", as
             * users quote DynamoDB (wellcomecollection/platform#2285, architect/dynalite#35); the sort key's the
             * same by analogy (no record of it) */
            if (ix->global == global && (long_key = ddb_index_key_too_long(ix, item, &size, &max)) != NULL)
                return ddb_validation(c, call_sprintf(c,
                                                      "One or more parameter values were invalid: Size limit exceeded for "
                                                      "Index Key %s Actual Size: %zu bytes Max Size: %zu bytes IndexName: %s",
                                                      long_key->name, size, max, ix->name));
        }
    return 0;
}

int ddb_item_check_updated(call_t *c, const ddb_table_t *t, yajl_val item)
{
    int rc = index_keys_check(c, t, item, 1);
    if (rc != 0)
        return rc;
    if (ddb_item_size(item) > DDB_MAX_ITEM_SIZE)
        return ddb_validation(c, DDB_MSG_UPDATE_TOO_LARGE);
    return 0;
}

/* Whether the table's key attributes are all in item with the schema's types. */
static int item_keys_fit(const ddb_table_t *t, yajl_val item)
{
    yajl_val h = attr_of(item, t->hash.name), r = attr_of(item, t->range.name);
    return h && ddb_av_type(h) == t->hash.type && (!t->range.name || (r && ddb_av_type(r) == t->range.type));
}

/* batch: BatchWriteItem's wording, where a table key absent or of another type is one that does not match the
 * schema (PutItem names the key). */
static int item_check(call_t *c, const ddb_table_t *t, yajl_val item, ddb_kbytes_t *k, int64_t *size, int batch)
{
    const char *msg;
    int rc;
    if (YAJL_IS_OBJECT(item) && (rc = ddb_item_validate_in(c->pool, item, ddb_call_layer(c), &msg)) != 0)
        return ddb_value_error(c, rc, msg);
    if (batch && !(YAJL_IS_OBJECT(item) && item_keys_fit(t, item)))
        return ddb_validation(c, "The provided key element does not match the schema");
    if ((rc = ddb_item_match(c, t, item, k)) != 0)
        return rc;
    *size = (int64_t)ddb_item_size(item);
    if (*size <= DDB_MAX_ITEM_SIZE)
        return 0;
    ddb_validation(c, DDB_MSG_ITEM_TOO_LARGE);
    return DDB_VERR_ITEM_SIZE;
}

int ddb_item_check(call_t *c, const ddb_table_t *t, yajl_val item, ddb_kbytes_t *k)
{
    int64_t size;
    return item_check(c, t, item, k, &size, 0);
}

int ddb_batch_item_check(call_t *c, const ddb_table_t *t, yajl_val item, ddb_kbytes_t *k, int64_t *size)
{
    return item_check(c, t, item, k, size, 1);
}

int ddb_item_match(call_t *c, const ddb_table_t *t, yajl_val item, ddb_kbytes_t *k)
{
    if (!YAJL_IS_OBJECT(item))
        return ddb_validation(c, "One or more parameter values were invalid: Missing the key in the item");
    int rc;
    if ((rc = item_key_check(c, &t->hash, item, 1)) != 0 || (t->range.name && (rc = item_key_check(c, &t->range, item, 0)) != 0) ||
        (rc = index_keys_check(c, t, item, 0)) != 0)
        return rc;
    if (ddb_key_bytes(c, &t->hash, &t->range, item, k) != 0)
        return ddb_validation(c, "The provided key element does not match the schema");
    return 0;
}

int ddb_item_read(call_t *c, const ddb_table_t *t, const ddb_kbytes_t *k, yajl_val *item, int64_t *size)
{
    const char *text;
    size_t len;
    int rc = ddb_store_item_get(c->pool, t->id, k, &text, &len, size);
    if (rc < 0)
        return ddb_internal_error(c);
    *item = NULL;
    if (rc == 0) {
        *size = 0;
        return 0;
    }
    *item = ddb_json_parse(c, text);
    if (*item == NULL)
        return ddb_internal_error(c);
    return 1;
}

int ddb_item_old(call_t *c, const ddb_table_t *t, const ddb_kbytes_t *k, int parse, yajl_val *item, int64_t *size)
{
    if (parse || t->nindexes)
        return ddb_item_read(c, t, k, item, size);
    *item = NULL;
    *size = -1; /* not read: ddb_write_item learns it (and the stream its text) from the write */
    return 0;
}

/* The TTL attribute as epoch seconds, if the item has it as a number. */
static int ttl_of(const ddb_table_t *t, yajl_val item, int64_t *out)
{
    yajl_val v = attr_of(item, t->ttl_attr);
    ddb_num_t n;
    if (!v || ddb_av_type(v) != DDB_T_N || ddb_av_number(v, &n) != DDB_NUM_OK)
        return 0;
    if (n.sign <= 0 || n.exp < 0) {
        *out = 0;
        return 1;
    }
    if (n.exp > 17) {
        *out = INT64_MAX / 2;
        return 1;
    }
    int64_t s = 0;
    for (int i = 0; i <= n.exp; i++)
        s = s * 10 + (i < n.ndigits ? n.digits[i] : 0);
    *out = s;
    return 1;
}

/* The canonical texts of n items, written into one buffer and copied to the pool at once (each NUL-terminated). */
static void items_text(call_t *c, size_t n, const yajl_val *items, const char **texts, size_t *lens)
{
    if (n == 0) /* a batch of deletes only (w would hold no buffer to copy) */
        return;
    jw_t w;
    jw_init(&w);
    for (size_t i = 0; i < n; i++) {
        lens[i] = w.len;
        ddb_item_write(&w, items[i]); /* top-level values follow one another with no separator */
        jw_append(&w, "", 1);
    }
    size_t total = w.len;
    char *all = h2o_mem_alloc_pool(c->pool, total);
    memcpy(all, w.buf, total);
    jw_free(&w);
    for (size_t i = 0; i < n; i++) {
        size_t start = lens[i], end = i + 1 < n ? lens[i + 1] : total;
        texts[i] = all + start;
        lens[i] = end - start - 1;
    }
}

const char *ddb_item_text(call_t *c, yajl_val item, size_t *len)
{
    const char *text;
    items_text(c, 1, &item, &text, len);
    return text;
}

/* The rows that write the puts among n requests (items[i] not NULL: its canonical text and TTL expiry at keys[i]);
 * their number. */
static size_t put_rows(call_t *c, const ddb_table_t *t, size_t n, const ddb_kbytes_t *keys, const yajl_val *items,
                       const int64_t *sizes, ddb_put_t *rows)
{
    yajl_val *puts = call_alloc(c, sizeof(yajl_val) * (n + 1));
    const char **texts = call_alloc(c, sizeof(char *) * (n + 1));
    size_t *lens = call_alloc(c, sizeof(size_t) * (n + 1)), m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!items[i])
            continue;
        rows[m] = (ddb_put_t){.k = &keys[i], .size = sizes[i]};
        rows[m].has_ttl = t->ttl_attr && ttl_of(t, items[i], &rows[m].ttl);
        puts[m++] = items[i];
    }
    items_text(c, m, puts, texts, lens);
    for (size_t j = 0; j < m; j++) {
        rows[j].item = texts[j];
        rows[j].len = lens[j];
    }
    return m;
}

int ddb_write_item(call_t *c, const ddb_table_t *t, const ddb_kbytes_t *k, yajl_val old_item, int64_t old_size, yajl_val new_item,
                   ddb_write_info_t *info)
{
    return ddb_write_sized(c, t, k, old_item, old_size, new_item, new_item ? (int64_t)ddb_item_size(new_item) : 0, info);
}

int ddb_write_sized(call_t *c, const ddb_table_t *t, const ddb_kbytes_t *k, yajl_val old_item, int64_t old_size, yajl_val new_item,
                    int64_t new_size, ddb_write_info_t *info)
{
    ddb_image_t new_img = {new_item, NULL, 0, new_item ? new_size : 0}, old_img = {old_item, NULL, 0, old_size};
    ddb_replaced_t replaced, *learn = old_size < 0 ? &replaced : NULL;
    h2o_mem_pool_t *text_pool = learn && t->stream_view ? c->pool : NULL; /* the stream's old image */
    int rc;
    new_size = new_img.size;
    if (new_item) {
        ddb_put_t row;
        put_rows(c, t, 1, k, &new_item, &new_size, &row);
        new_img.text = row.item;
        new_img.len = row.len;
        rc = ddb_store_item_put(t->id, &row, text_pool);
        replaced = row.old;
    } else {
        rc = learn || old_item || old_size > 0 ? ddb_store_item_delete(t->id, k, text_pool, learn) : 0;
    }
    if (learn) {
        old_img.size = old_size = replaced.size;
        old_img.text = replaced.item;
        old_img.len = replaced.len;
        if (replaced.item && !new_item && !(old_img.item = old_item = ddb_json_parse(c, replaced.item)))
            rc = -1; /* (a removal's record takes its keys from the old image) */
    }
    int old_exists = old_item != NULL || old_size > 0;
    if (rc == 0 && (old_exists || new_item))
        ddb_counts_add(t->id, 0, (new_item ? 1 : 0) - (old_exists ? 1 : 0), new_size - old_size);
    info->old_size = old_size;
    info->new_size = new_size;
    info->index_units = call_alloc(c, sizeof(double) * (t->nindexes + 1));
    for (size_t i = 0; rc == 0 && i < t->nindexes; i++)
        if ((info->index_units[i] = ddb_index_write(c, t, &t->indexes[i], k, old_item, new_item)) < 0)
            rc = -1;
    if (rc == 0 && t->stream_view && ddb_stream_emit(c, t, &old_img, &new_img) != 0)
        rc = -1;
    return rc == 0 ? 0 : ddb_internal_error(c);
}

/* The puts of ddb_write_many() on a table with no secondary index and no stream: one statement adds them when none of
 * their keys has an item; when all have one, each is overwritten in turn. DDB_WRITE_RETRY when only some had one. */
static int write_puts(call_t *c, const ddb_table_t *t, size_t n, const ddb_kbytes_t *keys, const yajl_val *items,
                      const int64_t *sizes, ddb_write_info_t *infos)
{
    ddb_put_t *rows = call_alloc(c, sizeof(*rows) * (n + 1));
    size_t m = put_rows(c, t, n, keys, items, sizes, rows);
    int added = ddb_store_items_add(t->id, rows, m);
    if (added < 0)
        return ddb_internal_error(c);
    if (added != 0 && (size_t)added != m)
        return DDB_WRITE_RETRY;
    for (size_t j = 0; added == 0 && j < m; j++)
        if (ddb_store_item_put(t->id, &rows[j], NULL) != 0)
            return ddb_internal_error(c);
    double *no_index = call_alloc(c, sizeof(double));
    int64_t bytes = 0;
    for (size_t i = 0, j = 0; i < n; i++) {
        if (!items[i])
            continue;
        infos[i] = (ddb_write_info_t){rows[j].old.size, rows[j].size, no_index};
        bytes += rows[j].size - rows[j].old.size;
        j++;
    }
    ddb_counts_add(t->id, 0, added, bytes);
    return 0;
}

int ddb_write_many(call_t *c, const ddb_table_t *t, size_t n, const ddb_kbytes_t *keys, const yajl_val *items, const int64_t *sizes,
                   int one_by_one, ddb_write_info_t *infos)
{
    int batched = !one_by_one && !t->nindexes && !t->stream_view; /* nothing else needs the old images */
    int rc = batched ? write_puts(c, t, n, keys, items, sizes, infos) : 0;
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        yajl_val old;
        int64_t old_size;
        if (batched && items[i])
            continue;
        if (ddb_item_old(c, t, &keys[i], 0, &old, &old_size) < 0 ||
            ddb_write_sized(c, t, &keys[i], old, old_size, items[i], sizes[i], &infos[i]) != 0)
            return -1;
    }
    return 0;
}
