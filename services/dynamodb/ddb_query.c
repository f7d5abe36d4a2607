/* ddb_query.c - Query and Scan, on tables and secondary indexes.
 *
 * Both read one page from a store range (ddb_store_iter_*): a Query reads one
 * partition between its sort key bounds, in sort key order either way; a Scan
 * walks the partition-hash range of its segment. A page ends at Limit items
 * read or 1 MB read (before the filter), and then carries LastEvaluatedKey.
 * Capacity is the bytes read, rounded up to 4 KB once. A local index read that
 * names attributes its index does not project also fetches each entry's item
 * from the table: each fetched item counts rounded up to 4 KB on its own, on
 * the table's part of the capacity and towards the 1 MB. */
#include <string.h>

#include "services/dynamodb/ddb_core.h"
#include "services/dynamodb/ddb_eval.h"

#define PAGE_BYTES (1024 * 1024)
#define READ_UNIT 4096 /* bytes a read capacity unit reads */

typedef struct {
    call_t *c;
    const ddb_table_t *t;
    const ddb_index_t *ix;
    ddb_expr_ctx_t ctx;
    ddb_expr_request_t req;
    const char *select;
    int consistent, count_only, from_table;
    long long limit;
    /* results */
    long long count, scanned;
    int64_t bytes, fetched; /* entries (or items) read; items fetched from the table, each rounded up to 4 KB */
    yajl_val last; /* last item read, for LastEvaluatedKey */
    int more;
} page_t;

static int is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

/* Select, projection and index checks shared by Query and Scan (before the table lookup where AWS does them).
 * A Query wraps their messages in the "1 validation error detected: " envelope; a Scan gives them bare. */
static int select_check(page_t *p, int query)
{
    call_t *c = p->c;
    const char *index = in_str(c->in, "IndexName");
    int has_proj = p->req.projection_ast != NULL;
    const char *sel = in_str(c->in, "Select");
    const char *what = in_get(c->in, "AttributesToGet") ? "AttributesToGet" : "ProjectionExpression";
    const char *msg = NULL;
    if (is(sel, "COUNT") && has_proj)
        msg = call_sprintf(c, "Cannot specify the %s when choosing to get only the Count", what);
    else if (sel && has_proj && !is(sel, "SPECIFIC_ATTRIBUTES"))
        msg = call_sprintf(c, "Cannot specify the %s when choosing to get %s", what, sel);
    else if (is(sel, "SPECIFIC_ATTRIBUTES") && !has_proj)
        msg = "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES";
    else if (is(sel, "ALL_PROJECTED_ATTRIBUTES") && !index)
        msg = "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName";
    if (msg)
        return ddb_validation(c, call_sprintf(c, "%s%s", query ? "1 validation error detected: " : "", msg));
    p->select = sel ? sel : has_proj ? "SPECIFIC_ATTRIBUTES" : index ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
    p->count_only = is(p->select, "COUNT");
    in_bool(c->in, "ConsistentRead", &p->consistent);
    p->limit = 0;
    in_int(c->in, "Limit", &p->limit);
    return 0;
}

/* The first top-level attribute name a condition reads, in the order written, that match(name, arg) holds for; NULL
 * if none. */
static const char *name_in(const ddb_node_t *n, int (*match)(const char *, const void *), const void *arg)
{
    if (n->type == DDB_NODE_PATH)
        return match(n->path.elems[0].name, arg) ? n->path.elems[0].name : NULL;
    const char *a = NULL;
    for (size_t i = 0; i < n->nargs && !a; i++)
        a = name_in(n->args[i], match, arg);
    return a;
}

/* Whether name is an attribute of the key parts in arg (const ddb_key_attr_t *[2]: hash, range). */
static int is_key(const char *name, const void *arg)
{
    const ddb_key_attr_t *const *keys = arg;
    return ddb_key_has(keys[0], name) || ddb_key_has(keys[1], name);
}

/* Whether the index read (arg: the page_t) does not project name. */
static int unprojected(const char *name, const void *arg)
{
    const page_t *p = arg;
    return !ddb_index_projects(p->t, p->ix, name);
}

/* Whether a local index read reaches its table: for Select ALL_ATTRIBUTES, or a projection or filter naming an
 * attribute the index does not project (AWS developer guide, LSI.md "Provisioned Throughput Considerations for Local
 * Secondary Indexes": fetches occur for non-projected attributes only). The filter sees the fetched item, while
 * ALL_PROJECTED_ATTRIBUTES still answers the entry (nubo-db/dynamodb-conformance scan/lsi: a filtered Scan of an
 * INCLUDE index answers the projected attributes alone). */
static int fetches(const page_t *p)
{
    const ddb_projection_t *proj = p->req.projection_ast;
    if (is(p->select, "ALL_ATTRIBUTES") || (p->req.filter_ast && name_in(p->req.filter_ast, unprojected, p)))
        return 1;
    for (size_t i = 0; proj && i < proj->n; i++)
        if (unprojected(proj->paths[i].elems[0].name, p))
            return 1;
    return 0;
}

static int index_find(page_t *p)
{
    call_t *c = p->c;
    const char *index = in_str(c->in, "IndexName");
    if (!index)
        return 0;
    p->ix = ddb_table_index(p->t, index);
    if (!p->ix)
        return ddb_validation(c, call_sprintf(c, "The table does not have the specified index: %s", index));
    if (strcmp(p->ix->status, "ACTIVE") != 0)
        return ddb_validation(c, call_sprintf(c, "Cannot read from backfilling global secondary index: %s", index));
    if (p->ix->global && p->consistent)
        return ddb_validation(c, "Consistent reads are not supported on global secondary indexes");
    if (p->ix->proj == DDB_PROJ_ALL)
        return 0;
    if (is(p->select, "ALL_ATTRIBUTES") && p->ix->global)
        return ddb_validation(c, call_sprintf(c,
                                              "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
                                              "supported for global secondary index %s because its projection type is not ALL",
                                              p->ix->name));
    p->from_table = !p->ix->global && fetches(p);
    return 0;
}

/* ExclusiveStartKey -> the range's start row. */
/* The number of distinct attributes in the table's and the index's key schemas. */
static size_t key_attr_count(const page_t *p)
{
    const ddb_key_attr_t *parts[4] = {&p->t->hash, &p->t->range, p->ix ? &p->ix->hash : NULL, p->ix ? &p->ix->range : NULL};
    const char *names[2 + 2 * DDB_KEY_PARTS];
    size_t n = 0;
    for (int i = 0; i < 4; i++)
        for (const ddb_key_attr_t *ka = parts[i]; ka && ka->name; ka = ka->next) {
            size_t j = 0;
            while (j < n && strcmp(names[j], ka->name) != 0)
                j++;
            if (j == n)
                names[n++] = ka->name;
        }
    return n;
}

/* ExclusiveStartKey -> the range's start row. It must hold exactly the key attributes; DynamoDB explains a
 * mismatch only for a Scan of the table itself. */
#define MSG_START_INVALID "The provided starting key is invalid"

/* An invalid value in ExclusiveStartKey: DynamoDB prefixes the value's message with MSG_START_INVALID,
 * except for the number and duplicate-member messages, which it gives bare. */
static int start_value_error(call_t *c, int rc, const char *msg)
{
    static const char *const bare[] = {"contains duplicates", "number set", "numeric value", "significant digits",
                                       "number with magnitude"};
    for (size_t i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
        if (strstr(msg, bare[i]))
            return ddb_value_error(c, rc, msg);
    return call_error(c, rc == DDB_VERR_SERIALIZATION ? "SerializationException" : "ValidationException", "%s: %s",
                      MSG_START_INVALID, msg);
}

/* The key schema read: the index's, or the table's. */
static void read_keys(const page_t *p, const ddb_key_attr_t **hash, const ddb_key_attr_t **range)
{
    *hash = p->ix ? &p->ix->hash : &p->t->hash;
    *range = p->ix ? &p->ix->range : &p->t->range;
}

/* The key attributes of ExclusiveStartKey under the schema read hold keys that can be stored (no empty
 * string or binary). */
static int start_key_values(page_t *p, yajl_val esk)
{
    const ddb_key_attr_t *ks[2];
    read_keys(p, &ks[0], &ks[1]);
    const char *msg;
    for (int i = 0; i < 2; i++)
        for (const ddb_key_attr_t *ka = ks[i]; ka && ka->name; ka = ka->next) {
            yajl_val v = in_get(esk, ka->name);
            if (v && ddb_av_type(v) == ka->type && ddb_key_validate(p->c->pool, ka->name, v, ka->type, i == 0, &msg) != 0)
                return start_value_error(p->c, DDB_VERR_VALIDATION, msg);
        }
    return 0;
}

/* A Query's start key lies in the partition and the sort-key range it asks for. */
static int start_in_bounds(page_t *p, yajl_val esk, const ddb_key_cond_t *kc)
{
    for (size_t i = 0; i < kc->nhash; i++)
        if (!ddb_eval_key_part(kc->hash[i], in_get(esk, kc->hash[i]->name)))
            return ddb_validation(p->c, "The provided starting key is outside query boundaries based on provided conditions");
    for (size_t i = 0; i < kc->nrange; i++)
        if (!ddb_eval_key_part(kc->range[i], in_get(esk, kc->range[i]->name)))
            return ddb_validation(p->c, "The provided starting key does not match the range key predicate");
    return 0;
}

/* ExclusiveStartKey (kc: the Query's key condition; NULL for a Scan). */
static int start_key(page_t *p, ddb_range_t *r, const ddb_key_cond_t *kc)
{
    call_t *c = p->c;
    yajl_val esk = in_obj(c->in, "ExclusiveStartKey");
    const char *msg;
    int rc;
    if (!esk)
        return 0;
    if ((rc = ddb_item_validate_in(c->pool, esk, ddb_call_layer(c), &msg)) != 0)
        return start_value_error(c, rc, msg);
    if (start_key_values(p, esk) != 0)
        return -1;
    int bad = esk->u.object.len != key_attr_count(p) ||
              ddb_key_bytes(c, &p->t->hash, &p->t->range, esk, p->ix ? &r->start_t : &r->start) != 0;
    if (p->ix)
        bad |= ddb_key_bytes(c, &p->ix->hash, &p->ix->range, esk, &r->start) != 0;
    if (bad)
        return ddb_validation(c, kc || p->ix ? MSG_START_INVALID
                                             : MSG_START_INVALID ": The provided key element does not match the schema");
    if (kc && start_in_bounds(p, esk, kc) != 0)
        return -1;
    r->has_start = 1;
    return 0;
}

static void last_key(page_t *p)
{
    call_t *c = p->c;
    jw_key(&c->out, "LastEvaluatedKey");
    yajl_val k = ddb_item_key(c, &p->t->hash, &p->t->range, p->last);
    if (p->ix) {
        yajl_val ik = ddb_item_key(c, &p->ix->hash, &p->ix->range, p->last);
        size_t n = k->u.object.len;
        const char **keys = call_alloc(c, sizeof(char *) * (n + ik->u.object.len));
        yajl_val *vals = call_alloc(c, sizeof(yajl_val) * (n + ik->u.object.len));
        memcpy(keys, k->u.object.keys, sizeof(char *) * n);
        memcpy(vals, k->u.object.values, sizeof(yajl_val) * n);
        for (size_t i = 0; i < ik->u.object.len; i++) {
            size_t j = 0;
            while (j < n && strcmp(keys[j], ik->u.object.keys[i]) != 0)
                j++;
            if (j == n) {
                keys[n] = ik->u.object.keys[i];
                vals[n++] = ik->u.object.values[i];
            }
        }
        k->u.object.keys = keys;
        k->u.object.values = vals;
        k->u.object.len = n;
    }
    ddb_item_write(&c->out, k);
}

static void emit(page_t *p, yajl_val item, const ddb_row_t *row)
{
    call_t *c = p->c;
    p->count++;
    if (p->count_only)
        return;
    if (p->req.projection_ast)
        ddb_item_write(&c->out, ddb_eval_project(c->pool, p->req.projection_ast, item));
    else if (item)
        ddb_item_write(&c->out, item);
    else
        jw_raw(&c->out, row->item, row->len);
}

/* Reads one page of the range into "Items", "Count", "ScannedCount" and "LastEvaluatedKey". */
static int read_page(page_t *p, const ddb_range_t *r)
{
    call_t *c = p->c;
    ddb_iter_t it;
    ddb_row_t row;
    int rc;
    if (ddb_store_iter_begin(&it, r) != 0)
        return ddb_internal_error(c);
    int need_tree = p->req.filter_ast || p->req.projection_ast || p->from_table;
    jw_obj(&c->out);
    if (!p->count_only) {
        jw_key(&c->out, "Items");
        jw_arr(&c->out);
    }
    while ((rc = ddb_store_iter_next(&it, &row)) == 1) {
        /* Rows are parsed only when something looks inside them (and the last one, for LastEvaluatedKey). */
        yajl_val item = need_tree ? ddb_json_parse(c, row.item) : NULL;
        int64_t fetched = 0;
        if (need_tree && !item)
            continue;
        yajl_val entry = item; /* the index's own entry: what ALL_PROJECTED_ATTRIBUTES answers, filtered on the item */
        if (p->from_table)
            item = ddb_index_base_item(c, p->t, item, &fetched);
        p->scanned++;
        p->bytes += row.size;
        p->fetched += (fetched + READ_UNIT - 1) / READ_UNIT * READ_UNIT;
        p->last = item;
        if (!p->req.filter_ast || ddb_eval_condition(p->req.filter_ast, item))
            emit(p, is(p->select, "ALL_PROJECTED_ATTRIBUTES") ? entry : item, &row);
        if ((p->limit && p->scanned >= p->limit) || p->bytes + p->fetched >= PAGE_BYTES) {
            p->more = 1;
            if (!p->last)
                p->last = ddb_json_parse(c, row.item);
            break;
        }
    }
    ddb_store_iter_end(&it);
    if (rc < 0) {
        jw_reset(&c->out);
        return ddb_internal_error(c);
    }
    if (!p->count_only)
        jw_aend(&c->out);
    jw_kint(&c->out, "Count", p->count);
    jw_kint(&c->out, "ScannedCount", p->scanned);
    if (p->more && p->last)
        last_key(p);
    ddb_cap_t cap;
    ddb_cap_init(c, &cap, p->t, 0);
    double units = ddb_cap_read_units(p->bytes, p->consistent);
    if (p->ix)
        cap.index[p->ix - p->t->indexes] = units;
    else
        cap.table = units;
    if (p->fetched)
        cap.table = ddb_cap_read_units(p->fetched, p->consistent);
    ddb_cap_member(c, &cap, ddb_cap_mode(c->in));
    jw_end(&c->out);
    return CALL_DONE;
}

/* Key bytes of a key condition value, in pool. */
static const void *bound(call_t *c, yajl_val v, size_t *len)
{
    unsigned char *buf = call_alloc(c, DDB_MAX_HASH_KEY + 1);
    long n = ddb_key_encode(v, buf, DDB_MAX_HASH_KEY + 1);
    *len = n > 0 ? (size_t)n : 0;
    return buf;
}

/* The smallest byte string greater than every string starting with prefix (NULL: none). */
static const void *prefix_end(call_t *c, const unsigned char *prefix, size_t len, size_t *out_len)
{
    while (len > 0 && prefix[len - 1] == 0xff)
        len--;
    if (len == 0)
        return NULL;
    unsigned char *end = call_alloc(c, len);
    memcpy(end, prefix, len);
    end[len - 1]++;
    *out_len = len;
    return end;
}

static void range_bounds(call_t *c, const ddb_key_part_t *part, ddb_range_t *r)
{
    if (!part)
        return;
    if (part->op == DDB_KEY_BEGINS_WITH) {
        r->lo = bound(c, part->values[0], &r->lolen);
        r->lo_incl = 1;
        r->hi = prefix_end(c, r->lo, r->lolen, &r->hilen);
        return;
    }
    yajl_val lo, hi;
    ddb_eval_key_bounds(part, &lo, &r->lo_incl, &hi, &r->hi_incl);
    if (lo)
        r->lo = bound(c, lo, &r->lolen);
    if (hi)
        r->hi = bound(c, hi, &r->hilen);
}

/* A multi-attribute key part's bytes for the values of its conditions in turn (their ddb_key_encode_component()s),
 * followed by the component of v (NULL: none; strip: without its last 2 bytes, as a prefix of values), in pool. */
static const unsigned char *components(call_t *c, const ddb_key_part_t *const *parts, size_t n, yajl_val v, int strip, size_t *len)
{
    unsigned char *buf = call_alloc(c, (n + 1) * DDB_KEY_COMPONENT_MAX);
    size_t used = 0;
    for (size_t i = 0; i <= n; i++) {
        yajl_val av = i < n ? parts[i]->values[0] : v;
        long m = av ? ddb_key_encode_component(av, buf + used, DDB_KEY_COMPONENT_MAX) : 0;
        used += m > 0 ? (size_t)m : 0;
    }
    *len = v && strip && used >= 2 ? used - 2 : used;
    return buf;
}

/* The sort key bounds of a multi-attribute sort key: the equalities before the last condition are a prefix every
 * key in range starts with (P), and the last condition bounds what follows it. */
static void components_bounds(call_t *c, const ddb_key_cond_t *kc, ddb_range_t *r)
{
    if (kc->nrange == 0)
        return;
    const ddb_key_part_t *last = kc->range[kc->nrange - 1];
    size_t plen, alen, blen;
    const unsigned char *p = components(c, kc->range, kc->nrange - 1, NULL, 0, &plen);
    const unsigned char *a = components(c, kc->range, kc->nrange - 1, last->values[0], last->op == DDB_KEY_BEGINS_WITH, &alen);
    const unsigned char *b = a; /* BETWEEN's upper value */
    blen = alen;
    if (last->op == DDB_KEY_BETWEEN)
        b = components(c, kc->range, kc->nrange - 1, last->values[1], 0, &blen);
    r->lo_incl = 1;
    r->hi_incl = 0;
    switch (last->op) {
    case DDB_KEY_LT: /* [P, P a) */
    case DDB_KEY_LE: /* [P, after P a...) */
        r->lo = plen ? p : NULL, r->lolen = plen;
        if (last->op == DDB_KEY_LT)
            r->hi = a, r->hilen = alen;
        else
            r->hi = prefix_end(c, a, alen, &r->hilen);
        break;
    case DDB_KEY_GT: /* [after P a..., after P...) */
    case DDB_KEY_GE: /* [P a, after P...) */
        if (last->op == DDB_KEY_GT)
            r->lo = prefix_end(c, a, alen, &r->lolen);
        else
            r->lo = a, r->lolen = alen;
        r->hi = plen ? prefix_end(c, p, plen, &r->hilen) : NULL;
        break;
    default: /* EQ, BEGINS_WITH, BETWEEN: [P a, after P b...) */
        r->lo = a, r->lolen = alen;
        r->hi = prefix_end(c, b, blen, &r->hilen);
        break;
    }
}

/* The partition of a multi-attribute partition key: its values' components in turn. */
static void components_partition(call_t *c, const ddb_key_cond_t *kc, ddb_range_t *r)
{
    r->part.pk = components(c, kc->hash, kc->nhash, NULL, 0, &r->part.pklen);
}

/* A key compared for equality with an empty string or binary: "One or more parameter values are not valid. The
 * AttributeValue for a key attribute cannot contain an empty string value. Key: PK", as DynamoDB answers a Query
 * (moto#7062, quoting it; moto's test_query_empty_key_exception has a sort key's equality refused too). */
static int empty_key_check(call_t *c, const ddb_key_cond_t *kc)
{
    for (size_t i = 0; i < kc->nhash + kc->nrange; i++) {
        const ddb_key_part_t *part = i < kc->nhash ? kc->hash[i] : kc->range[i - kc->nhash];
        if (part->op != DDB_KEY_EQ)
            continue;
        yajl_val inner = ddb_av_inner(part->values[0]);
        ddb_type_t t = ddb_av_type(part->values[0]);
        if ((t == DDB_T_S || t == DDB_T_B) && YAJL_IS_STRING(inner) && inner->u.string[0] == '\0')
            return ddb_validation(c, call_sprintf(c,
                                                  DDB_MSG_NOT_VALID "The AttributeValue for a key attribute cannot contain an "
                                                                    "empty %s value. Key: %s",
                                                  t == DDB_T_S ? "string" : "binary", part->name));
    }
    return 0;
}

/* A Query's filter (FilterExpression or QueryFilter) may not name the key attributes being queried. */
static int query_filter_check(call_t *c, const ddb_node_t *filter, const ddb_key_attr_t *h, const ddb_key_attr_t *rg)
{
    const ddb_key_attr_t *keys[2] = {h, rg};
    const char *a = filter ? name_in(filter, is_key, keys) : NULL;
    if (!a)
        return 0;
    return ddb_validation(c, call_sprintf(c, "%s can only contain non-primary key attributes: Primary key attribute: %s",
                                          in_obj(c->in, "QueryFilter") ? "QueryFilter" : "Filter Expression", a));
}

int ddb_query(call_t *c)
{
    page_t p = {.c = c};
    ddb_key_cond_t kc;
    yajl_val limit = in_get(c->in, "Limit");
    /* Query's Limit is left out of the model's checks (protocol/gen/genmodel.py): DynamoDB words it
     * without the value, unlike Scan's. */
    if (limit && YAJL_IS_DOUBLE(limit) && limit->u.number.d < 1)
        return ddb_validation(c, "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have "
                                 "value greater than or equal to 1");
    if (ddb_exprs_parse(c, c->in, &p.ctx, &p.req) != 0)
        return CALL_ERROR;
    if (!p.req.key_condition_ast)
        return ddb_validation(c, "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    if (ddb_expr_key_condition(&p.ctx, p.req.key_condition_ast, in_obj(c->in, "KeyConditions") != NULL, &kc) != 0)
        return ddb_validation(c, p.ctx.error);
    if (select_check(&p, 1) != 0 || ddb_table_find(c, in_str(c->in, "TableName"), &p.t) != CALL_DONE || index_find(&p) != 0)
        return CALL_ERROR;
    const ddb_key_attr_t *h, *rg;
    read_keys(&p, &h, &rg);
    if (query_filter_check(c, p.req.filter_ast, h, rg) != 0)
        return CALL_ERROR;
    ddb_key_name_t names[2][DDB_KEY_PARTS];
    size_t n[2] = {0, 0};
    for (int i = 0; i < 2; i++)
        for (const ddb_key_attr_t *ka = i ? rg : h; ka && ka->name; ka = ka->next)
            names[i][n[i]++] = (ddb_key_name_t){ka->name, ddb_type_name(ka->type)};
    if (ddb_expr_key_resolve(&p.ctx, &kc, names[0], n[0], names[1], n[1]) != 0)
        return ddb_validation(c, p.ctx.error);
    if (empty_key_check(c, &kc) != 0)
        return CALL_ERROR;
    ddb_range_t r = {.owner = p.ix ? p.ix->id : p.t->id, .is_index = p.ix != NULL};
    int forward = 1;
    in_bool(c->in, "ScanIndexForward", &forward);
    r.desc = !forward;
    if (h->next)
        components_partition(c, &kc, &r);
    else
        r.part.pk = bound(c, kc.hash[0]->values[0], &r.part.pklen);
    r.part.ph = ddb_store_hash(r.part.pk, r.part.pklen);
    if (rg->next)
        components_bounds(c, &kc, &r);
    else
        range_bounds(c, kc.nrange ? kc.range[0] : NULL, &r);
    if (start_key(&p, &r, &kc) != 0)
        return CALL_ERROR;
    return read_page(&p, &r);
}

static int segment_check(call_t *c, ddb_range_t *r)
{
    long long seg = 0, total = 0;
    int has_seg = in_int(c->in, "Segment", &seg), has_total = in_int(c->in, "TotalSegments", &total);
    r->ph_lo = 0;
    r->ph_hi = UINT32_MAX;
    if (has_seg && !has_total)
        return ddb_validation(c, "The TotalSegments parameter is required but was not present in the request when Segment "
                                 "parameter is present");
    if (has_total && !has_seg)
        return ddb_validation(c, "The Segment parameter is required but was not present in the request when parameter "
                                 "TotalSegments is present");
    if (!has_seg)
        return 0;
    if (seg >= total)
        return ddb_validation(c, call_sprintf(c,
                                              "The Segment parameter is zero-based and must be less than parameter "
                                              "TotalSegments: Segment: %lld is not less than TotalSegments: %lld",
                                              seg, total));
    uint64_t span = ((uint64_t)UINT32_MAX + 1) / (uint64_t)total;
    r->ph_lo = (uint32_t)(span * (uint64_t)seg);
    r->ph_hi = seg == total - 1 ? UINT32_MAX : (uint32_t)(span * (uint64_t)(seg + 1) - 1);
    return 0;
}

/* A parallel Scan's ExclusiveStartKey must lie in its segment (for a Scan without segments: always). */
static int start_in_segment(call_t *c, const ddb_range_t *r)
{
    long long seg = 0, total = 0;
    if (!r->has_start || (r->start.ph >= r->ph_lo && r->start.ph <= r->ph_hi))
        return 0;
    in_int(c->in, "Segment", &seg);
    in_int(c->in, "TotalSegments", &total);
    return ddb_validation(c, call_sprintf(c,
                                          MSG_START_INVALID ": Invalid ExclusiveStartKey. Please use ExclusiveStartKey "
                                                            "with correct Segment. TotalSegments: %lld Segment: %lld",
                                          total, seg));
}

int ddb_scan(call_t *c)
{
    page_t p = {.c = c};
    ddb_range_t r = {.scan = 1};
    if (ddb_exprs_parse(c, c->in, &p.ctx, &p.req) != 0 || segment_check(c, &r) != 0 || select_check(&p, 0) != 0)
        return CALL_ERROR;
    if (ddb_table_find(c, in_str(c->in, "TableName"), &p.t) != CALL_DONE || index_find(&p) != 0)
        return CALL_ERROR;
    r.owner = p.ix ? p.ix->id : p.t->id;
    r.is_index = p.ix != NULL;
    if (start_key(&p, &r, NULL) != 0 || start_in_segment(c, &r) != 0)
        return CALL_ERROR;
    return read_page(&p, &r);
}
