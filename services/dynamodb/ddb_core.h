/* ddb_core.h - what the DynamoDB service's own files share: the table
 * definition, key bytes, the one write path, capacity accounting.
 *
 * Every item change (PutItem, UpdateItem, DeleteItem, batches, transactions,
 * TTL expiry) goes through ddb_write_item() (a batch's through ddb_write_many()),
 * which knows the old and the new image: it keeps items, secondary indexes, TTL
 * expiry and the table's counters in step, and it is the place where stream
 * records are emitted. */
#ifndef AWSEMU_DDB_CORE_H
#define AWSEMU_DDB_CORE_H

#include <stdint.h>

#include "protocol/call.h"
#include "services/dynamodb/ddb_expr.h"
#include "services/dynamodb/ddb_value.h"
#include "storage/ddb_store.h"

#define DDB_MAX_GSI 20
#define DDB_MAX_LSI 5

/* One attribute of a key schema. A GSI's partition and sort keys may each have up to DDB_KEY_PARTS attributes
 * (multi-attribute keys): the first is the index's hash (or range) and `next` leads to the others in KeySchema
 * order. Such a part's key bytes are its attributes' ddb_key_encode_component()s in turn; a one-attribute
 * part's are ddb_key_encode()'s, as they always were. */
typedef struct ddb_key_attr {
    const char *name; /* NULL: no such key (hash-only schema) */
    ddb_type_t type;
    const struct ddb_key_attr *next; /* NULL: the last (or only) attribute of its part */
} ddb_key_attr_t;

typedef enum { DDB_PROJ_ALL, DDB_PROJ_KEYS_ONLY, DDB_PROJ_INCLUDE } ddb_proj_t;

typedef struct {
    int64_t rcu, wcu, decreases;
    int64_t last_increase_ms, last_decrease_ms; /* 0 = never */
} ddb_throughput_t;

/* OnDemandThroughput and WarmThroughput of a table or a GSI; [0] read, [1] write. */
typedef struct {
    int64_t max[2];  /* MaxRead/WriteRequestUnits; 0: no maximum */
    int64_t warm[2]; /* Read/WriteUnitsPerSecond: the highest asked for or reached, never lowered */
} ddb_limits_t;

/* Contributor Insights of a table or a GSI (ddb_insights.c): on or off, settled at once. */
typedef struct {
    int on;
    const char *mode;   /* ContributorInsightsMode while on */
    int64_t changed_ms; /* LastUpdateDateTime; 0 = never set */
} ddb_insights_t;

/* A resource-based policy (ddb_policy.c): its document and RevisionId, NULL when none. */
typedef struct {
    const char *doc, *rev;
} ddb_policy_t;

typedef struct {
    const char *name;
    int64_t id; /* storage owner id of its entries */
    int global;
    ddb_key_attr_t hash, range;
    ddb_proj_t proj;
    const char **nonkey;
    size_t nnonkey;
    ddb_throughput_t pt;
    ddb_limits_t lim;               /* GSIs only */
    const char *status;             /* ACTIVE, or CREATING in the reply of the UpdateTable that adds it */
    int64_t item_count, size_bytes; /* filled when described */
    ddb_insights_t insights;        /* GSIs only */
} ddb_index_t;

typedef struct {
    int64_t id;
    const char *account, *region, *name, *uuid, *arn;
    int64_t created_ms;
    ddb_key_attr_t *attrs; /* AttributeDefinitions */
    size_t nattrs;
    ddb_key_attr_t hash, range;
    ddb_index_t *indexes; /* LSIs then GSIs, in definition order */
    size_t nindexes;
    int on_demand;
    ddb_throughput_t pt;
    ddb_limits_t lim;
    int64_t billing_changed_ms; /* LastUpdateToPayPerRequestDateTime */
    const char *stream_view;    /* StreamViewType; NULL when streams are off */
    const char *stream_label;   /* label of the latest stream (kept after disabling), or NULL */
    const char *ttl_attr;       /* TTL attribute, NULL when TTL is off */
    int64_t ttl_changed_ms;     /* when an UpdateTimeToLive last changed it; 0: never */
    int deletion_protection;
    const char *table_class;
    int64_t class_changed_ms; /* TableClassSummary's LastUpdateDateTime: when an UpdateTable changed it; 0: never */
    int64_t class_prev_ms;    /* the change of the table class before that one; 0: none */
    int sse_kms; /* SSE with KMS (else the AWS owned key: no SSEDescription) */
    const char *sse_key;
    int pitr;
    long long pitr_days;  /* RecoveryPeriodInDays (35 unless set) */
    long long pitr_since; /* when point-in-time recovery was last enabled, epoch ms */
    const char **tag_keys, **tag_values;
    size_t ntags;
    ddb_insights_t insights;
    ddb_policy_t policy;        /* the table's */
    ddb_policy_t stream_policy; /* its stream's, for the stream labelled stream_policy_label */
    const char *stream_policy_label;
    /* RestoreSummary of the table a restore just made (backup NULL: point in time); only in the restore's reply, as
     * DynamoDB describes none once the table is ACTIVE (the ack-api-quirks lab's DDB-TABLE-216); never stored */
    const char *restored_backup, *restored_table;
    int64_t restored_ms;
    /* CreateTable's answer: it leaves out WarmThroughput (unless asked for) and LastUpdateToPayPerRequestDateTime,
     * as DynamoDB's does (the ack-api-quirks lab's DDB-TABLE-033); never stored */
    int create_answer;
} ddb_table_t;

/* ---- tables (ddb_table.c) ---- */

/* Loads the table `name` of the call's account and region: 1 found, 0 absent,
 * -1 storage failure (already raised as InternalServerError). */
int ddb_table_load(call_t *c, const char *name, ddb_table_t **out);
/* The table with storage id `id`, for background work: sets c->account and c->region from it. 1, 0, -1. */
int ddb_table_load_id(call_t *c, int64_t id, ddb_table_t **out);
/* For item operations: the shared cached definition (valid for the call, never to be changed), or
 * ResourceNotFoundException "Requested resource not found" when absent. */
int ddb_table_find(call_t *c, const char *name, const ddb_table_t **out);
/* For the control plane: the table of the request's TableName (a name or an ARN): CALL_DONE, or CALL_ERROR after
 * raising ResourceNotFoundException naming the table. */
int ddb_find_named(call_t *c, ddb_table_t **out);
/* Drops the cached parsed definitions (at close). */
void ddb_table_cache_clear(void);
/* Stores the definition; 0, or -1 after raising the error. */
int ddb_table_save(call_t *c, const ddb_table_t *t);
/* The same as a write of its own (ddb_write_begin/end around it): CALL_DONE or CALL_ERROR (raised). */
int ddb_table_save_alone(call_t *c, const ddb_table_t *t);
const ddb_index_t *ddb_table_index(const ddb_table_t *t, const char *name);
/* The type of an attribute in AttributeDefinitions (DDB_T_NONE if undefined). */
ddb_type_t ddb_table_attr_type(const ddb_table_t *t, const char *name);
/* Writes the TableDescription object (status: ACTIVE, DELETING, UPDATING...). */
void ddb_table_describe(call_t *c, jw_t *w, ddb_table_t *t, const char *status);
/* The reply {"TableDescription": {...}} with that status; CALL_DONE. */
int ddb_describe_reply(call_t *c, ddb_table_t *t, const char *status);
/* The table a ResourceArn names (TagResource and the like): 0 (CALL_DONE), or -1 after raising. With stream
 * non-NULL a stream's ARN is taken too (its label in *stream, else NULL), and a missing table is named as
 * the resource-based policy operations name it. */
int ddb_find_arn(call_t *c, ddb_table_t **t, const char **stream);
/* ---- ARNs (ddb_arn.c) ---- */

/* The fields of "arn:partition:service:region:account:resource" (the resource to the end). */
enum { DDB_ARN_PARTITION, DDB_ARN_SERVICE, DDB_ARN_REGION, DDB_ARN_ACCOUNT, DDB_ARN_RESOURCE, DDB_ARN_FIELDS };
/* arn's fields, copied into the call's pool: 0, or -1 when it is no ARN or has fewer. */
int ddb_arn_fields(call_t *c, const char *arn, const char *f[DDB_ARN_FIELDS]);
/* 1 for a region AWS has, or the caller's own (which may be any name a client signs with). */
int ddb_region_known(const call_t *c, const char *region);
/* CALL_DONE, or ValidationException "... ARNs must start with 'arn:': <arn>" for a value (NULL too) that is none
 * (ResourceArn, SourceTableArn). */
int ddb_arn_start_check(call_t *c, const char *arn);

/* What another account's ARN gets from the resource-based policy operations and RestoreTableToPointInTime
 * (ValidationException; the ack-api-quirks lab's message catalogue, DDB-TABLE-442). */
#define DDB_OWNER_ONLY "This action is only supported by accounts that match the resource owner\u2019s account."
/* Parses a stored definition (a tables row's meta, or a backup's copy of it) into t. 0, or -1 if it is not one. */
int ddb_table_parse(call_t *c, const char *meta, ddb_table_t *t);
/* What a restore starts from: a stored definition (a backup's copy, or the source table's own), the backup's ARN
 * (NULL for a point-in-time restore), the source table's ARN and the time restored (RestoreSummary). */
typedef struct {
    const char *meta, *backup_arn, *source_arn;
    int64_t at_ms;
} ddb_restore_t;
/* Creates table `name` from->meta describes, with the overrides the restore request allows; streams, TTL, tags,
 * point-in-time recovery, deletion protection and the table class are not restored (AWS leaves them to be set on
 * the new table). Call within ddb_write_begin/end. CALL_DONE with *out, or CALL_ERROR (raised). */
int ddb_table_restore(call_t *c, const ddb_restore_t *from, const char *name, ddb_table_t **out);
/* Ends the write that removed a table or backup (rc 0: it succeeded; the reply is written) and starts the purge of its
 * rows; on failure the reply is replaced by an internal error. CALL_DONE or CALL_ERROR. */
int ddb_removal_end(call_t *c, int rc);
/* The table's "LocalSecondaryIndexes" (global 0) or "GlobalSecondaryIndexes" as DescribeTable describes them, or
 * brief, as a backup's SourceTableFeatureDetails lists them (IndexName, KeySchema, Projection and a GSI's
 * ProvisionedThroughput); nothing when it has none. */
void ddb_indexes_write(call_t *c, jw_t *w, ddb_table_t *t, int global, int brief);
/* "TimeToLiveDescription": {TimeToLiveStatus ENABLED with AttributeName, or DISABLED}. */
void ddb_ttl_description_write(jw_t *w, const ddb_table_t *t);
/* key: {"StreamEnabled": true, "StreamViewType": view}. */
void ddb_stream_spec_write(jw_t *w, const char *key, const char *view);
/* "KeySchema": [...] of a key. */
void ddb_key_schema_write(jw_t *w, const ddb_key_attr_t *hash, const ddb_key_attr_t *range);
/* key: an epoch-milliseconds time as DynamoDB's epoch seconds. */
void ddb_epoch_seconds(jw_t *w, const char *key, int64_t ms);
/* A JSON tree that lives as long as the call (freed with its pool); NULL if not JSON. */
yajl_val ddb_json_parse(call_t *c, const char *text);

/* ---- keys and the write path (ddb_write.c) ---- */

/* Raises a ddb_value.h validation failure (rc: DDB_VERR_*) with the exception DynamoDB uses. */
int ddb_value_error(call_t *c, int rc, const char *msg);
/* The layer that checks the call's attribute values (ddb_value.h): the current one for PutItem, UpdateItem,
 * DeleteItem, GetItem, BatchGetItem and Query, the older one elsewhere (BatchWriteItem, the transactions, Scan, and
 * PartiQL's statements, whose duplicate-member text is the older one's: paritysuite/dynamodb-conformance). */
ddb_layer_t ddb_call_layer(const call_t *c);
/* Whether name is one of the attributes of the key part (hash or range) that starts at part. */
int ddb_key_has(const ddb_key_attr_t *part, const char *name);
/* Key bytes of an item (or key object) under a key schema; -1 if an attribute is missing or not encodable. */
int ddb_key_bytes(call_t *c, const ddb_key_attr_t *hash, const ddb_key_attr_t *range, yajl_val item, ddb_kbytes_t *k);
int ddb_same_key(const ddb_kbytes_t *a, const ddb_kbytes_t *b);
/* Validates a request's Key (GetItem, DeleteItem, UpdateItem, batches) against the table's schema and
 * encodes it. 0, or -1 after raising AWS's ValidationException (DDB_VERR_NOT_VALID when the refusal is of the "are
 * not valid" family: an empty key value). The same for the three below. */
int ddb_key_from_request(call_t *c, const ddb_table_t *t, yajl_val key, ddb_kbytes_t *k);
/* The same for a key whose values were validated already (ddb_item_validate). */
int ddb_key_match(call_t *c, const ddb_table_t *t, yajl_val key, ddb_kbytes_t *k);
/* Validates an item to write (PutItem): values, key attributes present with the right types (also the
 * index keys), size. 0, or negative after raising the error (DDB_VERR_NOT_VALID, DDB_VERR_ITEM_SIZE: refusals a
 * transaction raises rather than cancels). */
int ddb_item_check(call_t *c, const ddb_table_t *t, yajl_val item, ddb_kbytes_t *k);
/* The same for a BatchWriteItem PutRequest, with the item's size (ddb_item_size) for the write: there a table key
 * absent or of another type is refused as a key that does not match the schema. */
int ddb_batch_item_check(call_t *c, const ddb_table_t *t, yajl_val item, ddb_kbytes_t *k, int64_t *size);
/* The same for an item whose values and size were checked already (PutItem checks the size first). */
int ddb_item_match(call_t *c, const ddb_table_t *t, yajl_val item, ddb_kbytes_t *k);
/* Checks an item built by an update (size, index key types). 0 or -1 (raised; DDB_VERR_NOT_VALID for an empty index
 * key value). */
int ddb_item_check_updated(call_t *c, const ddb_table_t *t, yajl_val item);
/* A new object holding only the key attributes of item under the table's schema. */
yajl_val ddb_item_key(call_t *c, const ddb_key_attr_t *hash, const ddb_key_attr_t *range, yajl_val item);

/* The stored item at key k: 1 (tree, size), 0 none, -1 raised. */
int ddb_item_read(call_t *c, const ddb_table_t *t, const ddb_kbytes_t *k, yajl_val *item, int64_t *size);
/* The stored item at k before a write: its tree when parse is set or the table's indexes or stream need the old
 * image (1, 0 none), else nothing is read: tree NULL and size -1, which ddb_write_item learns from the write (0).
 * -1 raised. */
int ddb_item_old(call_t *c, const ddb_table_t *t, const ddb_kbytes_t *k, int parse, yajl_val *item, int64_t *size);

typedef struct {
    int64_t old_size, new_size; /* bytes of the two images (0 when absent) */
    double *index_units;        /* write units per index (t->nindexes entries, in pool) */
} ddb_write_info_t;

/* One image of an item for the write path: its tree, its size (ddb_item_size), and its canonical text (ddb_item_text)
 * when the writer has it (else NULL: written from the tree when needed). Absent when both are NULL; an old image
 * learnt from the write may have its text alone (its tree is parsed only for a removal). */
typedef struct {
    yajl_val item;
    const char *text;
    size_t len;
    int64_t size;
} ddb_image_t;

/* The one write path: the item at k goes from old_item to new_item (NULL: deleted). The old item exists when
 * old_item is given or old_size > 0; its tree may be left NULL (only its size given, or -1: not read, the store's
 * write reports it) when the table has no secondary index and no stream, which need the old image. Keeps items,
 * index entries, TTL expiry and table counters in step, and emits the stream record. 0, or -1 after raising. */
int ddb_write_item(call_t *c, const ddb_table_t *t, const ddb_kbytes_t *k, yajl_val old_item, int64_t old_size, yajl_val new_item,
                   ddb_write_info_t *info);
/* The same, with the new item's size (ddb_item_size) known. */
int ddb_write_sized(call_t *c, const ddb_table_t *t, const ddb_kbytes_t *k, yajl_val old_item, int64_t old_size, yajl_val new_item,
                    int64_t new_size, ddb_write_info_t *info);
#define DDB_WRITE_RETRY 1
/* Writes n items of one table whose keys are distinct and whose old images only the write path needs (a batch):
 * items[i] NULL deletes keys[i], else puts it with size sizes[i]; infos[i] as ddb_write_item's. On a table with
 * secondary indexes or a stream, or one_by_one, one ddb_write_sized() each in order; else the puts of new keys go in
 * one statement. 0; -1 after raising; DDB_WRITE_RETRY when some keys had items and some not: what was written must be
 * rolled back (ddb_write_end(0)) and written again one_by_one. */
int ddb_write_many(call_t *c, const ddb_table_t *t, size_t n, const ddb_kbytes_t *keys, const yajl_val *items, const int64_t *sizes,
                   int one_by_one, ddb_write_info_t *infos);

/* Canonical compact JSON of an item (numbers normalized), in pool. */
const char *ddb_item_text(call_t *c, yajl_val item, size_t *len);
/* Keeps one index's entry for the item at table key tk in step with old -> new; the write units it costs
 * (0 when the projection did not change), or -1 on a storage failure. */
double ddb_index_write(call_t *c, const ddb_table_t *t, const ddb_index_t *ix, const ddb_kbytes_t *tk, yajl_val old_item,
                       yajl_val new_item);
/* The projection of item into index ix (keys of the table and index always). */
yajl_val ddb_index_project(call_t *c, const ddb_table_t *t, const ddb_index_t *ix, yajl_val item);
/* Whether index ix holds the top-level attribute name (its keys, the table's keys, ALL or the INCLUDE list). */
int ddb_index_projects(const ddb_table_t *t, const ddb_index_t *ix, const char *name);
/* The first key attribute of index ix whose value in item is longer than a key may be (2048 bytes a partition
 * key, 1024 a sort key: S in UTF-8, B raw), NULL if none; *size and *max receive its size and limit. DynamoDB
 * refuses such a write and leaves such an item out of a new index (GSI.OnlineOps.ViolationDetection). */
const ddb_key_attr_t *ddb_index_key_too_long(const ddb_index_t *ix, yajl_val item, size_t *size, size_t *max);
/* The table's item an index entry stands for (*size: its size), as a local index's reader reaches it; the entry
 * itself when the item is not found. */
yajl_val ddb_index_base_item(call_t *c, const ddb_table_t *t, yajl_val entry, int64_t *size);
/* Starts filling the CREATING indexes of t from its items in the background (UpdateTable create GSI);
 * each becomes ACTIVE when its backfill is done. Writes keep CREATING indexes in step meanwhile. */
void ddb_backfill_schedule(const ddb_table_t *t);
/* At start-up: resumes the backfills of every CREATING index. */
void ddb_backfill_resume(void);
void ddb_backfill_stop(void);

/* ---- item counters (ddb_counts.c) ---- */

/* Every DynamoDB write runs between these (the call's savepoint; they do not nest): the counter changes of its
 * writes apply when it is released (ok) and are dropped when it rolls back. */
void ddb_write_begin(void);
void ddb_write_end(int ok);
/* Adds a change of the item count and bytes of owner (a table, or an index when is_index) to the open savepoint. */
void ddb_counts_add(int64_t owner, int is_index, int64_t items, int64_t bytes);
/* Item count and bytes of owner, counted from its rows when not known yet. 0, or -1 on a storage failure. */
int ddb_counts_get(int64_t owner, int is_index, int64_t *items, int64_t *bytes);

/* ---- capacity (ddb_capacity.c) ---- */

typedef enum { DDB_CAP_NONE, DDB_CAP_TOTAL, DDB_CAP_INDEXES } ddb_cap_mode_t;

typedef struct {
    const ddb_table_t *t;
    int write;     /* write units (else read) */
    double table;  /* units on the table */
    double *index; /* units per index, t->nindexes */
} ddb_cap_t;

ddb_cap_mode_t ddb_cap_mode(yajl_val in);
void ddb_cap_init(call_t *c, ddb_cap_t *cap, const ddb_table_t *t, int write);
/* Read units for bytes read (rounded up per 4 KB once), halved when eventually consistent. */
double ddb_cap_read_units(int64_t bytes, int consistent);
/* Write units for one item write: the larger image, per 1 KB. */
double ddb_cap_write_units(int64_t old_size, int64_t new_size);
void ddb_cap_add_write(ddb_cap_t *cap, const ddb_write_info_t *info, double factor);
/* "ConsumedCapacity": {...} when mode is not NONE. */
void ddb_cap_member(call_t *c, const ddb_cap_t *cap, ddb_cap_mode_t mode);
/* "ConsumedCapacity": [one per table] (batches) when ReturnConsumedCapacity asks. */
void ddb_cap_list_member(call_t *c, const ddb_cap_t *caps, size_t n);
/* The same for a transaction, whose every CapacityUnits is told again as ReadCapacityUnits or WriteCapacityUnits. */
void ddb_cap_list_member_txn(call_t *c, const ddb_cap_t *caps, size_t n);

/* ---- items (ddb_item.c), shared with batches and transactions ---- */

/* ValidationException with a message. */
int ddb_validation(call_t *c, const char *msg);
/* InternalServerError: a storage failure. */
int ddb_internal_error(call_t *c);
/* Parses ExpressionAttributeNames/Values and the given expressions, then the unused check; with legacy
 * parameters converted. 0 or -1 (raised). */
int ddb_exprs_parse(call_t *c, yajl_val in, ddb_expr_ctx_t *ctx, ddb_expr_request_t *req);

/* ConditionalCheckFailedException (with the old item if ReturnValuesOnConditionCheckFailure is ALL_OLD). */
int ddb_condition_failed(call_t *c, yajl_val in, yajl_val old);
/* 1 when a write to t reports ItemCollectionMetrics: the table has LSIs and ReturnItemCollectionMetrics is SIZE. */
int ddb_metrics_wanted(yajl_val in, const ddb_table_t *t);
/* One ItemCollectionMetrics object for the item collection (partition) of item. */
void ddb_collection_metric(call_t *c, const ddb_table_t *t, yajl_val item);
/* Applies an UpdateExpression to the stored item (old, or a key-only item from key when NULL); checks key
 * attributes untouched and the result's size and index keys. *out NULL: nothing to write (an update that only
 * removes, of a missing item). 0, or -1 after raising (DDB_VERR_NOT_VALID: ddb_item_check_updated). */
int ddb_apply_update(call_t *c, const ddb_table_t *t, const ddb_update_t *upd, yajl_val old, yajl_val key, yajl_val *out,
                     ddb_projection_t **changed);

/* ---- legacy parameters (ddb_legacy.c) ---- */

/* What one pass over a request's members found for ddb_exprs_parse. */
typedef struct {
    int legacy;       /* it gives legacy parameters (ddb_legacy_convert has work) */
    int takes_values; /* ExpressionAttributeValues is a member of the operation (GetItem's and BatchGetItem's
                       * requests have none, and DynamoDB ignores what is not a member) */
} ddb_styles_t;
/* Refuses requests mixing legacy and expression parameters, and expression attribute names or values
 * without expressions; fills *styles. 0 or -1 (raised). */
int ddb_legacy_check(call_t *c, yajl_val in, ddb_styles_t *styles);
/* Fills req's ASTs from Expected, AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter, ScanFilter. */
int ddb_legacy_convert(call_t *c, yajl_val in, ddb_expr_request_t *req);

/* ---- operations ---- */

int ddb_create_table(call_t *c);
int ddb_describe_table(call_t *c);
int ddb_list_tables(call_t *c);
int ddb_update_table(call_t *c);
int ddb_delete_table(call_t *c);
int ddb_describe_limits(call_t *c);
int ddb_describe_endpoints(call_t *c);
int ddb_tag_resource(call_t *c);
int ddb_untag_resource(call_t *c);
int ddb_list_tags_of_resource(call_t *c);
int ddb_describe_continuous_backups(call_t *c);
int ddb_update_continuous_backups(call_t *c);
int ddb_update_time_to_live(call_t *c);
int ddb_create_backup(call_t *c);
int ddb_describe_backup(call_t *c);
int ddb_list_backups(call_t *c);
int ddb_delete_backup(call_t *c);
int ddb_restore_table_from_backup(call_t *c);
int ddb_restore_table_to_point_in_time(call_t *c);
int ddb_describe_time_to_live(call_t *c);
int ddb_put_item(call_t *c);
int ddb_get_item(call_t *c);
int ddb_update_item(call_t *c);
int ddb_delete_item(call_t *c);
int ddb_query(call_t *c);
int ddb_scan(call_t *c);
int ddb_batch_get_item(call_t *c);
int ddb_batch_write_item(call_t *c);
int ddb_transact_write_items(call_t *c);
int ddb_transact_get_items(call_t *c);
/* A write transaction's ClientRequestToken (TransactWriteItems, ExecuteTransaction): 1 when the token came with the
 * same request in the last 10 minutes (*reply its stored reply), 0 to run (*token, *hash for ddb_token_keep), -1
 * after raising IdempotentParameterMismatchException (the token came with another request). */
int ddb_token_find(call_t *c, const char **token, const char **hash, const char **reply);
/* Writes a same-token replay: the stored reply with its ConsumedCapacity replaced by caps (a replay is charged as a
 * transactional read of its items as they are now). CALL_DONE or CALL_ERROR. */
int ddb_token_reply(call_t *c, const char *reply, const ddb_cap_t *caps, size_t ncaps);
/* Keeps the reply written in c->out for the token (inside the transaction's write); 0 or -1 (raised). */
int ddb_token_keep(call_t *c, const char *token, const char *hash);

/* ---- resource-based policies (ddb_policy.c) ---- */

int ddb_put_resource_policy(call_t *c);
int ddb_get_resource_policy(call_t *c);
int ddb_delete_resource_policy(call_t *c);
/* The table's policies as members of its stored definition, and back. */
void ddb_policy_meta_write(jw_t *w, const ddb_table_t *t);
void ddb_policy_meta_read(yajl_val meta, ddb_table_t *t);
/* A policy document's fault (ValidationException's message), or NULL. */
const char *ddb_policy_check(call_t *c, const char *doc);
/* Sets p to doc, with a new RevisionId. */
void ddb_policy_set(call_t *c, ddb_policy_t *p, const char *doc);

/* ---- Contributor Insights (ddb_insights.c) ---- */

int ddb_update_contributor_insights(call_t *c);
int ddb_describe_contributor_insights(call_t *c);
int ddb_list_contributor_insights(call_t *c);
/* A table's or GSI's insights as a member of its stored definition, and back. */
void ddb_insights_meta_write(jw_t *w, const ddb_insights_t *in);
void ddb_insights_meta_read(yajl_val meta, ddb_insights_t *in);

/* ---- resources awsemu never creates: global tables (2017.11.29), replica auto scaling,
 * exports, imports, Kinesis destinations (ddb_absent.c) ---- */

int ddb_create_global_table(call_t *c);
int ddb_list_global_tables(call_t *c);
int ddb_describe_global_table(call_t *c);
int ddb_update_global_table(call_t *c);
int ddb_describe_global_table_settings(call_t *c);
int ddb_update_global_table_settings(call_t *c);
/* DescribeTableReplicaAutoScaling and UpdateTableReplicaAutoScaling */
int ddb_table_replica_auto_scaling(call_t *c);
int ddb_list_exports(call_t *c);
int ddb_describe_export(call_t *c);
int ddb_list_imports(call_t *c);
int ddb_describe_import(call_t *c);
int ddb_describe_kinesis_streaming_destination(call_t *c);

/* ---- purge of dropped tables and indexes (ddb_purge.c) ---- */

/* Starts deleting the rows of dropped tables and indexes in the background. */
void ddb_purge_kick(void);
void ddb_purge_stop(void);

/* ---- TTL sweeper (ddb_ttl.c) ---- */

void ddb_ttl_start(void);
void ddb_ttl_stop(void);

#endif
