/* ddb_value.h - DynamoDB AttributeValues as yajl trees: types, validation,
 * sizes, ordering, equality, key encoding and canonical JSON.
 *
 * An AttributeValue is a JSON object with exactly one type member, as the
 * wire carries it and yajl_tree_parse() returns it: {"S":"x"}, {"N":"1.5"},
 * {"B":"<base64>"}, {"BOOL":true}, {"NULL":true}, {"M":{name: AV...}},
 * {"L":[AV...]}, {"SS":["a"]}, {"NS":["1"]}, {"BS":["<base64>"]}. An item is an
 * object of attribute name -> AttributeValue.
 *
 * Everything here is pure (no I/O, no table knowledge beyond what is passed
 * in). Messages are DynamoDB's own texts, word for word (see the validation
 * section for which exception each goes with). Functions other than the
 * validators assume a value that passed ddb_av_validate() (they do not crash
 * on bad input within the nesting limit, but their answer is then unspecified). */
#ifndef AWSEMU_DDB_VALUE_H
#define AWSEMU_DDB_VALUE_H

#include <h2o/memory.h>
#include <stddef.h>
#include <yajl/yajl_tree.h>

#include "protocol/jsonw.h"
#include "services/dynamodb/ddb_number.h"

typedef enum {
    DDB_T_NONE = 0, /* not a (valid) AttributeValue */
    DDB_T_S,
    DDB_T_N,
    DDB_T_B,
    DDB_T_BOOL,
    DDB_T_NULL,
    DDB_T_M,
    DDB_T_L,
    DDB_T_SS,
    DDB_T_NS,
    DDB_T_BS,
} ddb_type_t;

/* Nesting limit: a top-level attribute is level 1; each M or L adds one. */
#define DDB_MAX_DEPTH 32
#define DDB_MAX_HASH_KEY 2048    /* bytes of a partition key value (S: UTF-8, B: raw) */
#define DDB_MAX_RANGE_KEY 1024   /* bytes of a sort key value */
#define DDB_MAX_ITEM_SIZE 409600 /* 400 KB: an item of exactly this size is accepted */
/* DynamoDB's messages for an item over DDB_MAX_ITEM_SIZE (PutItem; UpdateItem). */
#define DDB_MSG_ITEM_TOO_LARGE "Item size has exceeded the maximum allowed size"
#define DDB_MSG_UPDATE_TOO_LARGE "Item size to update has exceeded the maximum allowed size"

/* ---- types ---- */

/* The type of av: its single member's name. DDB_T_NONE if av is NULL, not an
 * object, or has not exactly one type member of the right JSON type (members
 * with unknown names or null values count as absent, as DynamoDB reads them). */
ddb_type_t ddb_av_type(yajl_val av);
/* The member under the type name (the string, array, object, true...). */
yajl_val ddb_av_inner(yajl_val av);
/* "S", "N", ..., "BS"; "" for DDB_T_NONE. */
const char *ddb_type_name(ddb_type_t t);
/* From a type name ("S", "NS", ...); DDB_T_NONE if unknown. */
ddb_type_t ddb_type_from_name(const char *name, size_t len);
/* 1 for S, N, B (the types a key or a comparison operand can have). */
int ddb_type_is_scalar(ddb_type_t t);

/* ---- validation ----
 * Each returns 0, or a DDB_VERR_* code with *msg set to DynamoDB's message
 * (allocated in pool). Raise DDB_VERR_VALIDATION as ValidationException and
 * DDB_VERR_SERIALIZATION (a value of the wrong JSON type, bad base64) as
 * SerializationException. DDB_VERR_EMPTY_SET is a ValidationException too: an
 * empty set, which a request's ExpressionAttributeValues wrapper names without
 * " for key <:name>" (ddb_expr_init). */
enum {
    DDB_VERR_VALIDATION = -1,
    DDB_VERR_SERIALIZATION = -2,
    DDB_VERR_EMPTY_SET = -3,
    /* a key attribute's empty value, of the "are not valid" family (DDB_MSG_NOT_VALID), which a transaction takes
     * as the request's refusal, not as an item's cancellation reason (ddb_txn.c) */
    DDB_VERR_NOT_VALID = -4,
    /* an item to put over the size limit, known from the request alone: a transaction's refusal too, where an
     * update's, which depends on the stored item, cancels (conformance limits/itemSizeBySurface) */
    DDB_VERR_ITEM_SIZE = -5,
};
#define DDB_MSG_NOT_VALID "One or more parameter values are not valid. "

/* The nesting-limit message; DynamoDB raises it bare, even for an
 * ExpressionAttributeValues entry (no "contains invalid value" wrapper). */
#define DDB_MSG_NESTING                                                                                                            \
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"

/* DynamoDB checks attribute values in one of two layers, and the operation decides which (the
 * paritysuite/dynamodb-conformance valueLayers captures, October 2026). The current one (PutItem, UpdateItem,
 * DeleteItem, GetItem, BatchGetItem, Query) keeps the colon after "converted to a numeric value" for an empty
 * text and lists a set's members quoted in byte order up to the first repeat; the older one (BatchWriteItem, the
 * transactions, Scan) reads numbers as Java's BigDecimal does (1e2147483647 wraps to an underflow), lists the
 * members as sent, and in ExpressionAttributeValues wraps its messages "ExpressionAttributeValues contains
 * invalid value: <msg> for key <:name>". */
typedef enum { DDB_LAYER_CURRENT, DDB_LAYER_OLDER } ddb_layer_t;

/* One AttributeValue, recursively: exactly one type, valid numbers (range,
 * precision, syntax), valid base64, NULL must be true, sets not empty and
 * without duplicates (NS compared numerically), nesting depth <= 32. Empty S
 * and B are allowed (they are allowed outside keys; ddb_key_validate checks
 * keys). */
int ddb_av_validate_in(h2o_mem_pool_t *pool, yajl_val av, ddb_layer_t layer, const char **msg);
/* ddb_av_validate_in in the older layer, the one of callers that name none (PartiQL's statements). */
int ddb_av_validate(h2o_mem_pool_t *pool, yajl_val av, const char **msg);
/* Every attribute value of an item (an object name -> AV), after its names: "Empty attribute name" for a "" one. */
int ddb_item_validate_in(h2o_mem_pool_t *pool, yajl_val item, ddb_layer_t layer, const char **msg);

/* A key attribute's value, given the schema's type for it (S, N or B) and
 * whether it is the partition (hash) key or the sort (range) key. Call after
 * ddb_av_validate. name is the attribute name. Messages, all ValidationException:
 *   "One or more parameter values were invalid: Type mismatch for key <name> expected: <S> actual: <N>"
 *     (an item's key, PutItem; for a Key parameter - GetItem, DeleteItem,
 *     UpdateItem - DynamoDB says "The provided key element does not match the
 *     schema" instead: check ddb_av_type(av) == want first there)
 *   "One or more parameter values are not valid. The AttributeValue for a key attribute cannot
 *    contain an empty string value. Key: <name>" (one line; "binary value" for B)
 *   "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
 *   "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
 * The "missing key" case is the caller's: its message differs per operation. */
int ddb_key_validate(h2o_mem_pool_t *pool, const char *name, yajl_val av, ddb_type_t want, int is_hash, const char **msg);

/* ---- size ---- */

/* Bytes an AttributeValue counts for, as DynamoDB computes item size:
 * S: UTF-8 length; B: raw length; N: ddb_num_size; BOOL, NULL: 1;
 * SS/NS/BS: sum of members; L: 3 + sum(1 + member); M: 3 + sum(1 + name + member). */
size_t ddb_av_size(yajl_val av);
/* Bytes an item counts for: sum over attributes of name length + value size.
 * Compare with DDB_MAX_ITEM_SIZE. */
size_t ddb_item_size(yajl_val item);

/* ---- ordering and equality ---- */

/* Total order of two scalar values of the same type (S, N or B): S by UTF-8
 * bytes, B by raw bytes (memcmp, shorter prefix first), N numerically.
 * Returns <0, 0, >0. Values of different types compare by type (never equal);
 * two non-scalar values of one type compare 0 (use ddb_av_equal for them). */
int ddb_av_compare(yajl_val a, yajl_val b);

/* Deep equality as conditions use it: same type and equal value; N
 * numerically ("1.0" == "1"), B by decoded bytes, sets regardless of order,
 * M regardless of member order, L element by element. */
int ddb_av_equal(yajl_val a, yajl_val b);

/* Membership in a set (the inner array of an SS, NS or BS) in O(log n): the index holds its
 * members sorted (NS by value, the others by text: equal base64 texts are equal bytes). For
 * UpdateItem's ADD and DELETE of set members, which were quadratic (ADD of 40,000 numbers to
 * a set of as many took 77 s). NULL when out of memory; free with ddb_set_index_free. */
typedef struct ddb_set_index ddb_set_index_t;
ddb_set_index_t *ddb_set_index_new(yajl_val arr, ddb_type_t t);
int ddb_set_index_has(const ddb_set_index_t *ix, const char *member);
void ddb_set_index_free(ddb_set_index_t *ix);

/* ---- strings ----
 * A string value may hold NUL, which the tree keeps as the two bytes C0 80 (YTREE_NUL_OVERLONG): its
 * readers count and order such a pair as the one byte 00 it stands for. */

/* qsort/bsearch comparator of C strings held by pointer (const char *), bytewise. */
int ddb_str_ptr_cmp(const void *a, const void *b);

/* The string's length in bytes as DynamoDB counts them (sizes, key limits, size()). */
size_t ddb_text_bytes(const char *s);
/* strcmp of the bytes the strings stand for. */
int ddb_text_cmp(const char *a, const char *b);

/* ---- keys ---- */

/* Order-preserving bytes of a key value (S, N or B) for a SQLite BLOB column:
 * memcmp order == ddb_av_compare order within one type. S: the UTF-8 bytes,
 * B: the decoded bytes, N: ddb_num_key(). Writes at most cap bytes; returns the
 * length, or -1 if av is not S/N/B, is invalid, or does not fit. cap of
 * DDB_MAX_HASH_KEY (>= DDB_NUM_KEY_MAX) fits every valid key. */
long ddb_key_encode(yajl_val av, unsigned char *out, size_t cap);
/* One attribute of a multi-attribute key (a GSI's, up to DDB_KEY_PARTS per part): ddb_key_encode's bytes with
 * each 0x00 written as 0x00 0xff, then 0x00 0x01. Concatenated components compare with memcmp as their tuples
 * do, component by component (a component that is a prefix of another sorts first), and a value that begins
 * with a prefix has the prefix's component minus its last 2 bytes as a prefix (an empty value's component is the
 * 2 bytes alone). Returns the length, or -1 if av is not a key value or does not fit cap (DDB_KEY_COMPONENT_MAX
 * fits every valid value). */
#define DDB_KEY_PARTS 4
#define DDB_KEY_COMPONENT_MAX (2 * DDB_MAX_HASH_KEY + 2)
long ddb_key_encode_component(yajl_val av, unsigned char *out, size_t cap);

/* ---- canonical JSON ---- */

/* Writes av as compact JSON: numbers (N and NS members) in canonical form,
 * everything else as given (member order, set order, base64 text). */
void ddb_av_write(jw_t *w, yajl_val av);
/* Writes an item ({name: AV, ...}) the same way. */
void ddb_item_write(jw_t *w, yajl_val item);

/* ---- helpers for callers that read values ---- */

/* Parses the N member of av (or any number text held in a yajl string). */
int ddb_av_number(yajl_val av, ddb_num_t *out);
/* Decoded bytes of a B value or a BS member string (base64 text), in pool.
 * Returns the length, or -1 if not valid base64. */
long ddb_b64_bytes(h2o_mem_pool_t *pool, yajl_val str, const unsigned char **out);

/* ---- building values (in pool; never yajl_tree_free these) ---- */

/* A yajl string node holding a NUL-terminated copy of s[0..len). */
yajl_val ddb_json_str(h2o_mem_pool_t *pool, const char *s, size_t len);
/* {"<type name>": inner}. */
yajl_val ddb_av_new(h2o_mem_pool_t *pool, ddb_type_t t, yajl_val inner);
/* {"N": "<canonical text of n>"}. */
yajl_val ddb_av_new_n(h2o_mem_pool_t *pool, const ddb_num_t *n);

#endif
