/* ddb_txn.c - TransactWriteItems and TransactGetItems.
 *
 * A write transaction is checked whole (request shape; every action's
 * expressions and values, in request order; then tables, keys, one
 * operation per item), then every condition is evaluated and every new image
 * computed against the state before the transaction; any failure cancels it
 * with CancellationReasons in request order. Otherwise all writes go through
 * ddb_write_item() inside the call's savepoint: all or nothing. A
 * ClientRequestToken replays the stored reply for 10 minutes when the request
 * is the same (its capacity then a read of the items), and is refused when it
 * differs. Capacity counts double, reported as read or write units too. */
#include <openssl/evp.h>
#include <string.h>

#include "protocol/ytree.h"
#include "services/clock.h"
#include "services/dynamodb/ddb_core.h"
#include "services/dynamodb/ddb_eval.h"

#define TX_MAX_BYTES (4 << 20)
#define TX_INVALID_ITEM 2 /* tx_prepare: the item is refused as a cancellation reason */

#define TOKEN_TTL_MS (10 * 60 * 1000)

typedef enum { TX_CHECK, TX_PUT, TX_DELETE, TX_UPDATE } tx_kind_t;

typedef struct {
    tx_kind_t kind;
    yajl_val spec;
    const ddb_table_t *t;
    ddb_expr_ctx_t ctx;
    ddb_expr_request_t req;
    ddb_kbytes_t k;
    yajl_val old, new_item;
    int64_t old_size;
    const char *code, *msg; /* cancellation reason; code NULL = None */
} tx_item_t;

static const char *const tx_kinds[] = {"ConditionCheck", "Put", "Delete", "Update"};

/* The (cached per request) table of each item: transactions often name one table many times. */
static int tx_table(call_t *c, tx_item_t *items, size_t i)
{
    const char *name = in_str(items[i].spec, "TableName");
    for (size_t j = 0; j < i; j++)
        if (name && strcmp(in_str(items[j].spec, "TableName"), name) == 0) {
            items[i].t = items[j].t;
            return CALL_DONE;
        }
    return ddb_table_find(c, name, &items[i].t);
}

/* Each entry names exactly one action; checked over the whole list before any table is read. */
static int tx_shape(call_t *c, yajl_val list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int kinds = 0;
        for (int k = 0; k < 4; k++)
            kinds += in_obj(list->u.array.values[i], tx_kinds[k]) != NULL;
        if (kinds == 0)
            return ddb_validation(c, "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request");
        if (kinds > 1)
            return ddb_validation(c, "TransactItems can only contain one of Check, Put, Update or Delete");
    }
    return CALL_DONE;
}

/* An action's own checks, made for every action in request order before any table is read: its expressions,
 * then its item's or key's values (the older layer's words). A failure refuses the whole request
 * (paritysuite/dynamodb-conformance validation-ordering transactions and deepRequests, valueLayers: 2026-10-09). */
static int tx_request_check(call_t *c, tx_item_t *x, const char *what)
{
    if (ddb_exprs_parse(c, x->spec, &x->ctx, &x->req) != 0)
        return CALL_ERROR;
    yajl_val values = in_obj(x->spec, what);
    const char *msg;
    int rc = YAJL_IS_OBJECT(values) ? ddb_item_validate_in(c->pool, values, DDB_LAYER_OLDER, &msg) : 0;
    return rc ? ddb_value_error(c, rc, msg) : CALL_DONE;
}

/* After a failed check (rc) of x's key or item against its table's schema: a key or item DynamoDB refuses cancels
 * the transaction with this item's reason, the others "None" (TX_INVALID_ITEM); else CALL_ERROR. An empty key
 * value (DDB_VERR_NOT_VALID) or a Put's item over the size limit (DDB_VERR_ITEM_SIZE) is the request's ValidationException (moto's
 * AWS-verified test_transaction_with_empty_key, paritysuite/dynamodb-conformance transactWriteItems). */
static int tx_refused_item(call_t *c, tx_item_t *x, int rc)
{
    if (rc == DDB_VERR_NOT_VALID || rc == DDB_VERR_ITEM_SIZE || !c->err_code || strcmp(c->err_code, "ValidationException") != 0)
        return CALL_ERROR;
    x->code = "ValidationError";
    x->msg = c->err_msg;
    c->err_code = c->err_msg = NULL;
    return TX_INVALID_ITEM;
}

/* One action per item, in a write or a read transaction (nubo-db/dynamodb-conformance transactGet: a Get of the same
 * key twice is refused on DynamoDB too). */
static int tx_unique(call_t *c, const tx_item_t *items, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (items[j].t->id == items[i].t->id && ddb_same_key(&items[j].k, &items[i].k))
            return ddb_validation(c, "Transaction request cannot include multiple operations on one item");
    return CALL_DONE;
}

/* The action's table, its key against the table's schema, one action per item. */
static int tx_resolve(call_t *c, tx_item_t *items, size_t i)
{
    tx_item_t *x = &items[i];
    if (tx_table(c, items, i) != CALL_DONE)
        return CALL_ERROR;
    int rc = x->kind == TX_PUT ? ddb_item_check(c, x->t, in_obj(x->spec, "Item"), &x->k)
                               : ddb_key_match(c, x->t, in_obj(x->spec, "Key"), &x->k);
    if (rc != 0)
        return tx_refused_item(c, x, rc);
    return tx_unique(c, items, i);
}

/* Condition and new image of one item; sets its cancellation reason on failure. */
static int tx_evaluate(call_t *c, tx_item_t *x)
{
    if (ddb_item_read(c, x->t, &x->k, &x->old, &x->old_size) < 0)
        return -1;
    if (x->req.condition_ast && !ddb_eval_condition(x->req.condition_ast, x->old)) {
        x->code = "ConditionalCheckFailed";
        x->msg = "The conditional request failed";
        return 0;
    }
    if (x->kind == TX_PUT)
        x->new_item = in_obj(x->spec, "Item");
    if (x->kind == TX_UPDATE) {
        ddb_projection_t *changed;
        int rc = ddb_apply_update(c, x->t, x->req.update_ast, x->old, in_obj(x->spec, "Key"), &x->new_item, &changed);
        if (rc == DDB_VERR_NOT_VALID) /* an empty index key value is the request's (conformance transactWriteItems) */
            return -1;
        if (rc != 0) {
            x->code = "ValidationError";
            x->msg = c->err_msg;
            c->err_code = c->err_msg = NULL;
        }
    }
    return 0;
}

static int tx_cancel(call_t *c, tx_item_t *items, size_t n)
{
    const char *list = NULL;
    jw_obj(&c->out);
    jw_key(&c->out, "CancellationReasons");
    jw_arr(&c->out);
    for (size_t i = 0; i < n; i++) {
        const char *code = items[i].code ? items[i].code : "None";
        list = list ? call_sprintf(c, "%s, %s", list, code) : code;
        jw_obj(&c->out);
        const char *rv = in_str(items[i].spec, "ReturnValuesOnConditionCheckFailure");
        if (items[i].code && strcmp(items[i].code, "ConditionalCheckFailed") == 0 && items[i].old && rv &&
            strcmp(rv, "ALL_OLD") == 0) {
            jw_key(&c->out, "Item");
            ddb_item_write(&c->out, items[i].old);
        }
        jw_kstr(&c->out, "Code", code);
        if (items[i].msg)
            jw_kstr(&c->out, "Message", items[i].msg);
        jw_end(&c->out);
    }
    jw_aend(&c->out);
    jw_end(&c->out);
    return call_error(c, "TransactionCanceledException",
                      "Transaction cancelled, please refer cancellation reasons for specific reasons [%s]", list);
}

/* One ConsumedCapacity per table, in first-use order: writes from infos, else reads. */
static void tx_capacity(call_t *c, tx_item_t *items, size_t n, ddb_cap_t *caps, size_t *ncaps, const ddb_write_info_t *infos)
{
    *ncaps = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < *ncaps && caps[j].t != items[i].t)
            j++;
        if (j == *ncaps)
            ddb_cap_init(c, &caps[(*ncaps)++], items[i].t, infos != NULL);
        if (infos)
            ddb_cap_add_write(&caps[j], &infos[i], 2);
        else
            caps[j].table += 2 * ddb_cap_read_units(items[i].old_size, 1);
    }
}

/* "ItemCollectionMetrics": {table: [one per written item]} for the tables that report them. */
static void tx_metrics(call_t *c, tx_item_t *items, size_t n, const ddb_cap_t *caps, size_t ncaps)
{
    int any = 0;
    for (size_t i = 0; i < ncaps; i++) {
        if (!ddb_metrics_wanted(c->in, caps[i].t))
            continue;
        if (!any++) {
            jw_key(&c->out, "ItemCollectionMetrics");
            jw_obj(&c->out);
        }
        jw_key(&c->out, caps[i].t->name);
        jw_arr(&c->out);
        for (size_t j = 0; j < n; j++)
            if (items[j].t == caps[i].t && items[j].kind != TX_CHECK)
                ddb_collection_metric(c, caps[i].t,
                                      items[j].kind == TX_PUT ? in_obj(items[j].spec, "Item") : in_obj(items[j].spec, "Key"));
        jw_aend(&c->out);
    }
    if (any)
        jw_end(&c->out);
}

static int tx_apply(call_t *c, tx_item_t *items, size_t n, ddb_write_info_t *infos)
{
    for (size_t i = 0; i < n; i++) {
        tx_item_t *x = &items[i];
        if (x->kind == TX_CHECK) {
            memset(&infos[i], 0, sizeof(infos[i]));
            infos[i].index_units = call_alloc(c, sizeof(double) * (x->t->nindexes + 1));
            continue;
        }
        if (ddb_write_item(c, x->t, &x->k, x->old, x->old_size, x->kind == TX_DELETE ? NULL : x->new_item, &infos[i]) != 0)
            return -1;
    }
    return 0;
}

/* The request's digest: of its members in key order, as a repeated request may send them in another order (a
 * map's attributes, say) or spaced otherwise. */
static const char *request_hash(call_t *c)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    jw_t w;
    jw_init(&w);
    ytree_write_sorted(&w, c->in);
    EVP_Digest(w.buf, w.len, md, &len, EVP_sha256(), NULL);
    jw_free(&w);
    char *hex = call_alloc(c, len * 2 + 1);
    for (unsigned i = 0; i < len; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return hex;
}

int ddb_token_find(call_t *c, const char **token, const char **hash, const char **reply)
{
    *token = in_str(c->in, "ClientRequestToken");
    *hash = *token ? request_hash(c) : NULL;
    if (!*token)
        return 0;
    const char *old_hash;
    int rc = ddb_store_token_get(c->pool, c->account, c->region, *token, clock_now_ms(), &old_hash, reply);
    if (rc < 0)
        return ddb_internal_error(c), -1;
    if (rc == 0)
        return 0;
    if (strcmp(old_hash, *hash) != 0)
        return call_error(c, "IdempotentParameterMismatchException",
                          "Request parameters do not match the parameters of a previous request with the same client request "
                          "token"),
               -1;
    return 1;
}

int ddb_token_reply(call_t *c, const char *reply, const ddb_cap_t *caps, size_t ncaps)
{
    ytree_error_t why;
    yajl_val stored = ytree_parse(c->pool, reply, strlen(reply), YTREE_TEXT_MAX_DEPTH, 0, &why, NULL, 0);
    if (!YAJL_IS_OBJECT(stored))
        return ddb_internal_error(c), CALL_ERROR;
    jw_obj(&c->out);
    ddb_cap_list_member_txn(c, caps, ncaps);
    for (size_t i = 0; i < stored->u.object.len; i++)
        if (strcmp(stored->u.object.keys[i], "ConsumedCapacity") != 0) {
            jw_key(&c->out, stored->u.object.keys[i]);
            ytree_write(&c->out, stored->u.object.values[i]);
        }
    jw_end(&c->out);
    return CALL_DONE;
}

int ddb_token_keep(call_t *c, const char *token, const char *hash)
{
    if (token && ddb_store_token_put(c->account, c->region, token, hash, call_strndup(c, c->out.buf, c->out.len),
                                     clock_now_ms() + TOKEN_TTL_MS) != 0)
        return ddb_internal_error(c), -1;
    return 0;
}

/* A same-token replay: the stored reply, but with the capacity DynamoDB reports for a replay, a transactional read of
 * each item as it is now ("Subsequent TransactWriteItems calls with the same client token return the number of read
 * capacity units consumed in reading the item": TransactWriteItems API reference; 2 units per 4 KB, so 2 after a
 * first call of 4 write units for a 1.5 KB item: nubo-db/dynamodb-conformance transactWrite, characterised on
 * DynamoDB). */
static int tx_replay(call_t *c, tx_item_t *items, size_t n, const char *reply)
{
    for (size_t i = 0; i < n; i++)
        if (ddb_item_read(c, items[i].t, &items[i].k, &items[i].old, &items[i].old_size) < 0)
            return CALL_ERROR;
    ddb_cap_t *caps = call_alloc(c, sizeof(ddb_cap_t) * (n + 1));
    size_t ncaps;
    tx_capacity(c, items, n, caps, &ncaps, NULL);
    return ddb_token_reply(c, reply, caps, ncaps);
}

static int tx_run(call_t *c, tx_item_t *items, size_t n, const char *token, const char *hash)
{
    for (size_t i = 0; i < n; i++)
        if (tx_evaluate(c, &items[i]) != 0)
            return CALL_ERROR;
    for (size_t i = 0; i < n; i++)
        if (items[i].code)
            return tx_cancel(c, items, n);
    ddb_write_info_t *infos = call_alloc(c, sizeof(ddb_write_info_t) * (n + 1));
    if (tx_apply(c, items, n, infos) != 0)
        return CALL_ERROR;
    ddb_cap_t *caps = call_alloc(c, sizeof(ddb_cap_t) * (n + 1));
    size_t ncaps;
    tx_capacity(c, items, n, caps, &ncaps, infos);
    jw_obj(&c->out);
    ddb_cap_list_member_txn(c, caps, ncaps);
    tx_metrics(c, items, n, caps, ncaps);
    jw_end(&c->out);
    return ddb_token_keep(c, token, hash) == 0 ? CALL_DONE : CALL_ERROR;
}

int ddb_transact_write_items(call_t *c)
{
    yajl_val list = in_arr(c->in, "TransactItems");
    size_t n = arr_len(list);
    if (tx_shape(c, list, n) != CALL_DONE)
        return CALL_ERROR;
    /* "the aggregate size of the items in the transaction cannot exceed 4 MB": the request carries them (a
     * Delete of large items is allowed); the text after "size cannot exceed" is our wording */
    if (c->body.len > TX_MAX_BYTES)
        return ddb_validation(c, "Transaction request size cannot exceed 4 MB");
    tx_item_t *items = call_alloc(c, sizeof(tx_item_t) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        tx_item_t *x = &items[i];
        for (int k = 0; k < 4 && !x->spec; k++)
            if ((x->spec = in_obj(list->u.array.values[i], tx_kinds[k])) != NULL)
                x->kind = (tx_kind_t)k;
        if (tx_request_check(c, x, x->kind == TX_PUT ? "Item" : "Key") != CALL_DONE)
            return CALL_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        int rc = tx_resolve(c, items, i);
        if (rc == TX_INVALID_ITEM)
            return tx_cancel(c, items, n);
        if (rc != CALL_DONE)
            return CALL_ERROR;
    }
    const char *token, *hash, *reply;
    int replayed = ddb_token_find(c, &token, &hash, &reply);
    if (replayed != 0)
        return replayed > 0 ? tx_replay(c, items, n, reply) : CALL_ERROR;
    ddb_write_begin();
    int rc = tx_run(c, items, n, token, hash);
    ddb_write_end(rc == CALL_DONE);
    return rc;
}

int ddb_transact_get_items(call_t *c)
{
    yajl_val list = in_arr(c->in, "TransactItems");
    size_t n = arr_len(list);
    tx_item_t *items = call_alloc(c, sizeof(tx_item_t) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        items[i].spec = in_obj(list->u.array.values[i], "Get");
        if (tx_request_check(c, &items[i], "Key") != CALL_DONE)
            return CALL_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        tx_item_t *x = &items[i];
        if (tx_table(c, items, i) != CALL_DONE)
            return CALL_ERROR;
        /* a Get's key that does not match the schema cancels (paritysuite/dynamodb-conformance transactGetItems) */
        int rc = ddb_key_match(c, x->t, in_obj(x->spec, "Key"), &x->k);
        if (rc != 0)
            return tx_refused_item(c, x, rc) == TX_INVALID_ITEM ? tx_cancel(c, items, n) : CALL_ERROR;
        if (tx_unique(c, items, i) != CALL_DONE)
            return CALL_ERROR;
        if (ddb_item_read(c, x->t, &x->k, &x->old, &x->old_size) < 0)
            return CALL_ERROR;
    }
    jw_obj(&c->out);
    jw_key(&c->out, "Responses");
    jw_arr(&c->out);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&c->out);
        if (items[i].old) {
            jw_key(&c->out, "Item");
            ddb_item_write(&c->out, items[i].req.projection_ast
                                        ? ddb_eval_project(c->pool, items[i].req.projection_ast, items[i].old)
                                        : items[i].old);
        }
        jw_end(&c->out);
    }
    jw_aend(&c->out);
    ddb_cap_t *caps = call_alloc(c, sizeof(ddb_cap_t) * (n + 1));
    size_t ncaps;
    tx_capacity(c, items, n, caps, &ncaps, NULL);
    ddb_cap_list_member_txn(c, caps, ncaps);
    jw_end(&c->out);
    return CALL_DONE;
}
