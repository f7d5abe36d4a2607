/* validate.c - validation of input trees against model shapes (see validate.h).
 *
 * Owns the AWS wording of generic request errors: Coral's ValidationException
 * list (DynamoDB, Lambda), Coral's SerializationException and Jackson's
 * InvalidRequestContentException for wrong JSON types, SQS's MissingParameter;
 * and the translation of the models' Java regexes to POSIX ERE.
 *
 * Details of AWS's rendering reproduced here:
 * - paths use lower-camel member names; a list element is "<list>.<n>.member",
 *   a map value "<map>.<key>.member" (keySchema.1.member.keyType);
 * - values: strings bare, null unquoted, lists "[a, b]", maps "{k=v}",
 *   structures "Name(member=value, ...)", doubles "2.0" (AWS prints Java's toString);
 * - a list element or map key/value that breaks its own shape's constraints is
 *   reported once at the collection: "Member must satisfy constraint: [...]",
 *   "Map keys must satisfy constraint: [...]", "Map value must satisfy constraint: [...]"
 *   (Lambda ends the list with "Member must not be null");
 * - enum sets are printed in the order of Java's String.hashCode() & 31, which
 *   reproduces AWS's "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]" and "[B, N, S]";
 * - at most 10 errors, as Coral. */
#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

#include "poolfmt.h"
#include "ytree.h"

enum { VALIDATE_MAX_ERRORS = 10, VALIDATE_MAX_DEPTH = 512 }; /* as deep as awsjson.c parses */

/* ---- per-service style ---- */

typedef enum { TYPES_CORAL, TYPES_JACKSON, TYPES_SQS } type_texts_t;

typedef struct {
    const char *service;      /* model_service_t.name; the last entry is the default */
    int coral_constraints;    /* 1: Coral's constraint list; 0: SQS's MissingParameter only */
    type_texts_t types;       /* wording of wrong JSON types */
    const char *type_code;    /* code of wrong JSON types */
    const char *class_prefix; /* Java package of the service's structures in Coral texts */
    int hashed;               /* Java's hash orders (DynamoDB) rather than the model's (Lambda): enum sets as a
                               * HashSet holds them, a nested structure's members as a HashMap of their names */
    int elements_not_null;    /* an element's constraint list ends with "Member must not be null" (Lambda's,
                               * but for secrets: its environment variable names) */
    const char *const *own;   /* shapes whose constraints and required members the service checks in its
                               * own words (DynamoDB's tags: "The Tag Key provided is invalid, Key: ..."),
                               * NULL-terminated; their JSON types are still checked here */
    const char *name_or_arn[2]; /* a member named as shape [1] whose shape is [0] holds a name or an ARN: a value
                                 * that is no ARN is checked as a [1], its length before its pattern */
    /* inputs (NULL-terminated) whose top-level name_or_arn member, when '', is answered alone and first, in the
     * generic wording, if no required member is missing; else checked as a [0] among the other errors */
    const char *const *empty_alone;
    const struct vlength *lengths; /* names whose length the service checks first, in its own words */
    const struct vlength *absent;  /* members whose absence (or empty map) the service answers first, in its words */
    const struct vgeneric *generic;   /* members whose broken constraints come in the generic wording */
    const struct vgeneric *json_echo; /* members whose value is echoed as JSON */
    const struct vgeneric *late_keys; /* maps whose keys are checked only when nothing else failed */
    const struct venum_first *enum_first; /* enums checked alone, before the model's constraints */
} vstyle_t;

/* A request member (of the input `input`) outside its enum set, answered `text` alone and before everything
 * else when the member `with` is present with at least `with_count` entries (0: present at all). */
typedef struct venum_first {
    const char *input, *member, *with;
    size_t with_count;
    const char *text;
} venum_first_t;

/* A member (named so, anywhere in the input structure named `input`) that the service's newer validation framework
 * checks: "Value at 'RequestItems.t.member.Keys' failed to satisfy constraint: ...", no value, the path as the
 * request spells it; or (json) one whose value Coral echoes as the request's JSON rather than Java's toString. */
typedef struct vgeneric {
    const char *input, *member;
    int json;
} vgeneric_t;

/* A request member (of the input structure named `input`) whose length outside [3, 255] is answered `text`, alone
 * and before the model's constraints. */
typedef struct vlength {
    const char *input, *member, *text;
} vlength_t;

/* (BackupArn: "Invalid Backup ARN" for '', rather than its model's 37 characters at least: ddb_backup.c;
 * TableClass: "Invalid table-class parameter provided. ...", rather than its enum set: ddb_table.c;
 * StringSetAttributeValue: a null member is "An string set may not have a null string as a member": ddb_value.c) */
static const char *const ddb_own[] = {"Tag", "TagKeyString", "TagValueString", "BackupArn", "TableClass", "StringSetAttributeValue",
                                      NULL};
#define DDB_TABLE_LEN "TableName must be at least 3 characters long and at most 255 characters long"
#define DDB_INDEX_LEN "IndexName must be at least 3 characters long and at most 255 characters long"
/* The item operations answer TableName '' alone, whatever else is wrong, in the newer validation framework's words:
 * "Value at 'TableName' failed to satisfy constraint: Member must have length greater than or equal to 1"
 * (paritysuite/dynamodb-conformance registry/splits.json put-item-validation-error-aggregation, 31 of 33 regions,
 * us-east-1 and eu-west-2 among them, 2026-10-07; nubo-db/dynamodb-conformance validation-ordering put/update/
 * deleteItem, eu-west-2 2026-06: one error, 'TableName'). Older regions' "Value '' at 'tableName'" beside the other
 * errors (moto's AWS-verified test_update_item_with_empty_table_name) is gone. */
static const char *const ddb_item_inputs[] = {
    "GetItemInput", "PutItemInput", "UpdateItemInput", "DeleteItemInput", "QueryInput", "ScanInput", NULL};
/* as DynamoDB answered '' there in October 2026 (the ack-api-quirks lab's DDB-TABLE-457) */
static const vlength_t ddb_lengths[] = {{"DescribeContributorInsightsInput", "IndexName", DDB_INDEX_LEN},
                                        {"UpdateContributorInsightsInput", "IndexName", DDB_INDEX_LEN},
                                        {"DescribeGlobalTableInput", "GlobalTableName", DDB_TABLE_LEN},
                                        {"DescribeGlobalTableSettingsInput", "GlobalTableName", DDB_TABLE_LEN},
                                        {"RestoreTableFromBackupInput", "TargetTableName", DDB_TABLE_LEN},
                                        {NULL, NULL, NULL}};
/* CreateTable without a TableName (nubo-db/dynamodb-conformance error-messages/createTable.test.ts, real DynamoDB;
 * dynalite's tableName members; dynoxide's DescribeTable, DeleteTable, UpdateTable and DescribeTimeToLive) */
#define DDB_NO_TABLE "The parameter 'TableName' is required but was not present in the request"
static const vlength_t ddb_absent[] = {
    {"CreateTableInput", "TableName", DDB_NO_TABLE},
    {"DescribeTableInput", "TableName", DDB_NO_TABLE},
    {"DeleteTableInput", "TableName", DDB_NO_TABLE},
    {"UpdateTableInput", "TableName", DDB_NO_TABLE},
    {"DescribeTimeToLiveInput", "TableName", DDB_NO_TABLE},
    /* absent or {}: 28 of 33 regions, us-east-1 among them (eu-west-2 gives the generic length message;
     * paritysuite/dynamodb-conformance captures/2026-10-07-batch-empty-request-items.json) */
    {"BatchWriteItemInput", "RequestItems", "The requestItems parameter is required for BatchWriteItem"},
    {NULL, NULL, NULL}};
/* BatchGetItem's RequestItems and Keys (paritysuite/dynamodb-conformance error-messages/batchGetItem.test.ts: the
 * regions moved to it between August and September 2026, all but me-central-1) */
static const vgeneric_t ddb_generic[] = {
    {"BatchGetItemInput", "RequestItems", 0}, {"BatchGetItemInput", "Keys", 0}, {NULL, NULL, 0}};
/* BatchGetItem's RequestItems map, echoed as JSON beside a table name that is none (the same evidence) */
static const vgeneric_t ddb_json_echo[] = {{"BatchGetItemInput", "RequestItems", 1}, {NULL, NULL, 0}};
/* UpdateItem's ReturnValues beside a Key (the 2026-10-07 sweep, "update-item-validation-error-aggregation": 31 of 33
 * regions, AWS's "UPDATE_NEW" and all), Query's ConditionalOperator beside two QueryFilter conditions (its Select
 * is not joined; validation-ordering/query.test.ts, eu-west-2 and us-east-1, 2026-10-09) */
static const venum_first_t ddb_enum_first[] = {
    {"UpdateItemInput", "ReturnValues", "Key", 0,
     "1 validation error detected: Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, "
     "ALL_NEW, UPDATE_NEW, NONE]"},
    {"QueryInput", "ConditionalOperator", "QueryFilter", 2,
     "Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]"},
    {NULL, NULL, NULL, 0, NULL}};
/* BatchWriteItem's table names, which give way to an unknown ReturnConsumedCapacity (the same evidence) */
static const vgeneric_t ddb_late_keys[] = {{"BatchWriteItemInput", "RequestItems", 0}, {NULL, NULL, 0}};

static const vstyle_t vstyles[] = {
    {.service = "sqs", .types = TYPES_SQS, .type_code = "InvalidParameterValue", .class_prefix = "com.amazonaws.sqs."},
    {.service = "lambda",
     .coral_constraints = 1,
     .types = TYPES_JACKSON,
     .type_code = "InvalidRequestContentException",
     .class_prefix = "com.amazonaws.lambda.",
     .elements_not_null = 1},
    /* TableName members (TableArn, 1..1024 characters) take a name or an ARN; DynamoDB checks a name as a TableName
     * (3..255 of [a-zA-Z0-9_.-]): "Value 'ab' at 'tableName' ... length greater than or equal to 3" (the
     * ack-api-quirks lab's DDB-TABLE-442/457) */
    {.service = "dynamodb",
     .coral_constraints = 1,
     .types = TYPES_CORAL,
     .type_code = "SerializationException",
     .class_prefix = "com.amazonaws.dynamodb.v20120810.",
     .hashed = 1,
     .own = ddb_own,
     .name_or_arn = {"TableArn", "TableName"},
     .empty_alone = ddb_item_inputs,
     .lengths = ddb_lengths,
     .absent = ddb_absent,
     .generic = ddb_generic,
     .json_echo = ddb_json_echo,
     .late_keys = ddb_late_keys,
     .enum_first = ddb_enum_first},
};

static const vstyle_t *vstyle_of(const model_service_t *svc)
{
    size_t n = sizeof(vstyles) / sizeof(vstyles[0]);
    for (size_t i = 0; i + 1 < n; i++)
        if (strcmp(vstyles[i].service, svc->name) == 0)
            return &vstyles[i];
    return &vstyles[n - 1];
}

/* ---- pool strings ---- */

typedef struct {
    h2o_mem_pool_t *pool;
    char *buf;
    size_t len, cap;
} sbuf_t;

static void sb_add(sbuf_t *sb, const char *s, size_t n)
{
    if (sb->len + n + 1 > sb->cap) {
        size_t cap = (sb->len + n + 1) * 2;
        char *nb = h2o_mem_alloc_pool(sb->pool, cap);
        if (sb->len)
            memcpy(nb, sb->buf, sb->len);
        sb->buf = nb;
        sb->cap = cap;
    }
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

static void sb_str(sbuf_t *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void sb_printf(sbuf_t *sb, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(tmp)) {
        sb_add(sb, tmp, (size_t)n);
        return;
    }
    char *big = h2o_mem_alloc_pool(sb->pool, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_add(sb, big, (size_t)n);
}

static const char *sb_done(sbuf_t *sb)
{
    return sb->buf ? sb->buf : "";
}

/* ---- paths: a chain of segments on the stack, rendered only for an error ---- */

typedef enum { SEG_RAW, SEG_MEMBER, SEG_INDEX, SEG_KEY } seg_kind_t;

typedef struct vpath {
    const struct vpath *up;
    seg_kind_t kind;
    const char *name; /* RAW text, member name or map key */
    size_t index;     /* list position, from 1 */
} vpath_t;

enum { PATH_PLAIN, PATH_CORAL, PATH_GENERIC }; /* PATH_GENERIC: Coral's segments, member names as sent */

static void path_render(sbuf_t *sb, const vpath_t *p, int coral)
{
    if (p == NULL)
        return;
    path_render(sb, p->up, coral);
    if (p->up != NULL)
        sb_add(sb, ".", 1);
    switch (p->kind) {
    case SEG_RAW:
        sb_str(sb, p->name);
        break;
    case SEG_MEMBER:
        if (coral == PATH_CORAL && p->name[0] >= 'A' && p->name[0] <= 'Z') {
            char c = (char)(p->name[0] - 'A' + 'a');
            sb_add(sb, &c, 1);
            sb_str(sb, p->name + 1);
        } else {
            sb_str(sb, p->name);
        }
        break;
    case SEG_INDEX:
        sb_printf(sb, coral ? "%zu.member" : "%zu", p->index);
        break;
    case SEG_KEY:
        sb_str(sb, p->name);
        if (coral)
            sb_str(sb, ".member");
        break;
    }
}

/* ---- validation context ---- */

typedef struct {
    const model_service_t *svc;
    const vstyle_t *style;
    h2o_mem_pool_t *pool;
    sbuf_t list; /* Coral errors, "; "-joined */
    int nerrs;
    const char *fail_code, *fail_msg; /* a fatal error (types, SQS) */
    int input;                        /* the request's shape, or -1 when a value is validated alone */
    const char *late;                 /* an error reported only when there is no other (vstyle_t.late_keys) */
} vctx_t;

static const model_shape_t *shape_at(const vctx_t *x, int idx)
{
    return &x->svc->shapes[idx];
}

static void fail(vctx_t *x, const char *code, const char *msg)
{
    if (x->fail_code == NULL) {
        x->fail_code = code;
        x->fail_msg = msg;
    }
}

/* ---- Java names of shapes, for type errors ---- */

static const char *java_scalar_class(model_shape_type_t t)
{
    switch (t) {
    case SHAPE_STRING:
        return "java.lang.String";
    case SHAPE_BOOLEAN:
        return "java.lang.Boolean";
    case SHAPE_INTEGER:
        return "java.lang.Integer";
    case SHAPE_LONG:
        return "java.lang.Long";
    case SHAPE_DOUBLE:
        return "java.lang.Double";
    case SHAPE_FLOAT:
        return "java.lang.Float";
    case SHAPE_BLOB:
        return "java.nio.ByteBuffer";
    case SHAPE_TIMESTAMP:
        return "java.util.Date";
    default:
        return NULL;
    }
}

static void java_class(const vctx_t *x, int idx, sbuf_t *sb)
{
    const model_shape_t *sh = shape_at(x, idx);
    switch (sh->type) {
    case SHAPE_STRUCTURE:
        sb_str(sb, x->style->class_prefix);
        sb_str(sb, sh->name);
        break;
    case SHAPE_LIST:
        sb_str(sb, "java.util.List<");
        java_class(x, sh->member, sb);
        sb_str(sb, ">");
        break;
    case SHAPE_MAP:
        sb_str(sb, "java.util.Map<java.lang.String, ");
        java_class(x, sh->value, sb);
        sb_str(sb, ">");
        break;
    default:
        sb_str(sb, java_scalar_class(sh->type));
    }
}

static const char *java_class_str(const vctx_t *x, int idx)
{
    sbuf_t sb = {x->pool};
    java_class(x, idx, &sb);
    return sb_done(&sb);
}

static const char *short_class(const char *cls)
{
    const char *dot = strrchr(cls, '.');
    return dot ? dot + 1 : cls;
}

/* ---- pass 1: JSON types ---- */

static int is_numeric(model_shape_type_t t)
{
    return t == SHAPE_INTEGER || t == SHAPE_LONG || t == SHAPE_DOUBLE || t == SHAPE_FLOAT;
}

static int is_fractional(model_shape_type_t t)
{
    return t == SHAPE_DOUBLE || t == SHAPE_FLOAT;
}

/* 1 if the JSON value fits the shape's type (not looking inside). Members bound
 * to the URI, query string or headers may arrive as text whatever their type. */
static int type_fits(const model_shape_t *sh, yajl_val v, model_location_t loc)
{
    if (loc != LOC_BODY && YAJL_IS_STRING(v))
        return sh->type != SHAPE_STRUCTURE && sh->type != SHAPE_LIST && sh->type != SHAPE_MAP;
    switch (sh->type) {
    case SHAPE_STRUCTURE:
    case SHAPE_MAP:
        return YAJL_IS_OBJECT(v);
    case SHAPE_LIST:
        return YAJL_IS_ARRAY(v);
    case SHAPE_STRING:
    case SHAPE_BLOB:
        return YAJL_IS_STRING(v);
    case SHAPE_BOOLEAN:
        return YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v);
    case SHAPE_TIMESTAMP:
        return YAJL_IS_NUMBER(v) || YAJL_IS_STRING(v);
    default:
        return YAJL_IS_NUMBER(v);
    }
}

/* Coral's (Jackson-based) deserializer: what it says when v does not fit shape idx. */
static const char *coral_type_text(vctx_t *x, int idx, yajl_val v, int in_collection)
{
    static const char cast_error[] = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast "
                                     "to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl "
                                     "and java.lang.Class are in module java.base of loader 'bootstrap')";
    const model_shape_t *sh = shape_at(x, idx);
    const char *cls = java_class_str(x, idx);
    switch (sh->type) {
    case SHAPE_STRUCTURE:
        if (YAJL_IS_ARRAY(v))
            return pool_sprintf(x->pool, "Unrecognized collection type class %s", cls);
        return in_collection ? "Unexpected value type in payload" : "Unexpected field type";
    case SHAPE_LIST:
        if (YAJL_IS_OBJECT(v))
            return "Start of structure or map found where not expected";
        return in_collection ? cast_error : "Unexpected field type";
    case SHAPE_MAP:
        if (YAJL_IS_ARRAY(v))
            return pool_sprintf(x->pool, "Unrecognized collection type %s", cls);
        return in_collection ? cast_error : "Unexpected field type";
    default:
        break;
    }
    if (YAJL_IS_ARRAY(v))
        return pool_sprintf(x->pool, "Unrecognized collection type class %s", cls);
    if (YAJL_IS_OBJECT(v))
        return "Start of structure or map found where not expected";
    if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
        return pool_sprintf(x->pool, "%s cannot be converted to %s", YAJL_IS_TRUE(v) ? "TRUE_VALUE" : "FALSE_VALUE",
                            short_class(cls));
    if (YAJL_IS_NUMBER(v))
        return pool_sprintf(x->pool, "%s cannot be converted to %s", YAJL_IS_INTEGER(v) ? "NUMBER_VALUE" : "DECIMAL_VALUE",
                            short_class(cls));
    if (sh->type == SHAPE_BOOLEAN)
        return "Unexpected token received from parser";
    return pool_sprintf(x->pool, "STRING_VALUE cannot be converted to %s", short_class(cls));
}

static const char *json_kind(yajl_val v)
{
    if (YAJL_IS_OBJECT(v))
        return "Object value";
    if (YAJL_IS_ARRAY(v))
        return "Array value";
    if (YAJL_IS_STRING(v))
        return "String value";
    if (YAJL_IS_INTEGER(v))
        return "Integer value";
    if (YAJL_IS_NUMBER(v))
        return "Floating-point value";
    return "Boolean value";
}

static void render_value(const vctx_t *x, int idx, yajl_val v, sbuf_t *sb);

static void type_error(vctx_t *x, int idx, yajl_val v, const vpath_t *path, int in_collection)
{
    const char *msg;
    switch (x->style->types) {
    case TYPES_CORAL:
        msg = coral_type_text(x, idx, v, in_collection);
        break;
    case TYPES_JACKSON:
        msg = pool_sprintf(x->pool, "Could not parse request body into json: Cannot deserialize value of type `%s` from %s",
                           java_class_str(x, idx), json_kind(v));
        break;
    default: {
        sbuf_t sb = {x->pool};
        sb_str(&sb, "Value ");
        render_value(x, idx, v, &sb);
        sb_str(&sb, " for parameter ");
        path_render(&sb, path, 0);
        sb_str(&sb, " is invalid.");
        msg = sb_done(&sb);
    }
    }
    fail(x, x->style->type_code, msg);
}

/* The value of member name in object v (the first one, as yajl_tree_get), or NULL. */
static yajl_val member_value(yajl_val v, const char *name)
{
    if (!YAJL_IS_OBJECT(v))
        return NULL;
    for (size_t i = 0; i < v->u.object.len; i++) {
        const char *k = v->u.object.keys[i];
        if (k[0] == name[0] && strcmp(k, name) == 0)
            return v->u.object.values[i];
    }
    return NULL;
}

/* Jackson (Coral's deserializer, and Lambda's) reads a fraction or an exponent given for an integer member as the
 * whole number it truncates to (Limit 1.0 is 1, 2.7 is 2); the number becomes an integer in place. */
static void coerce_whole(const vctx_t *x, const model_shape_t *sh, yajl_val v)
{
    if (x->style->types == TYPES_SQS || (sh->type != SHAPE_INTEGER && sh->type != SHAPE_LONG) || !YAJL_IS_NUMBER(v) ||
        YAJL_IS_INTEGER(v) || !YAJL_IS_DOUBLE(v) || !(fabs(v->u.number.d) < 9.2e18))
        return;
    v->u.number.i = (long long)v->u.number.d;
    v->u.number.flags |= YAJL_NUMBER_INT_VALID;
}

/* Lambda's Jackson refuses a number past an int for an Integer member (Timeout 1e30), where it would otherwise be
 * dropped on the way: 0, or -1 after the error. */
static int int_in_range(vctx_t *x, const model_shape_t *sh, yajl_val v)
{
    if (x->style->types != TYPES_JACKSON || sh->type != SHAPE_INTEGER || !YAJL_IS_NUMBER(v) ||
        (YAJL_IS_INTEGER(v) && v->u.number.i >= INT32_MIN && v->u.number.i <= INT32_MAX))
        return 0;
    fail(x, x->style->type_code,
         pool_sprintf(x->pool,
                      "Could not parse request body into json: Numeric value (%s) out of range of int (-2147483648 - 2147483647)",
                      v->u.number.r));
    return -1;
}

static int check_types(vctx_t *x, int idx, yajl_val v, const vpath_t *path, model_location_t loc, int in_collection, int depth)
{
    if (v == NULL || YAJL_IS_NULL(v))
        return 0;
    const model_shape_t *sh = shape_at(x, idx);
    if (!type_fits(sh, v, loc)) {
        type_error(x, idx, v, path, in_collection);
        return -1;
    }
    coerce_whole(x, sh, v);
    if (int_in_range(x, sh, v) != 0)
        return -1;
    if (depth > VALIDATE_MAX_DEPTH) {
        fail(x, x->style->type_code, "Request nesting is too deep");
        return -1;
    }
    if (sh->type == SHAPE_STRUCTURE) {
        for (size_t i = 0; i < v->u.object.len; i++) {
            const char *key = v->u.object.keys[i];
            const model_member_t *m = model_find_member(sh, key, strlen(key));
            vpath_t p = {path, SEG_MEMBER, key, 0};
            if (m != NULL && check_types(x, m->shape, v->u.object.values[i], &p, m->location, 0, depth + 1) != 0)
                return -1;
        }
    } else if (sh->type == SHAPE_LIST) {
        for (size_t i = 0; i < v->u.array.len; i++) {
            vpath_t p = {path, SEG_INDEX, NULL, i + 1};
            if (check_types(x, sh->member, v->u.array.values[i], &p, LOC_BODY, 1, depth + 1) != 0)
                return -1;
        }
    } else if (sh->type == SHAPE_MAP) {
        for (size_t i = 0; i < v->u.object.len; i++) {
            vpath_t p = {path, SEG_KEY, v->u.object.keys[i], 0};
            if (check_types(x, sh->value, v->u.object.values[i], &p, LOC_BODY, 1, depth + 1) != 0)
                return -1;
        }
    }
    return 0;
}

/* ---- value rendering (Coral's "Value '...'") ---- */

/* A Double as Java's Double.toString prints it: the fewest digits that read back the same,
 * at least one after the point (2.0, 0.5), in E notation outside [0.001, 10^7) (1.0E7). */
static void java_double(sbuf_t *sb, double d)
{
    char text[40];
    int prec = 0;
    while (prec < 17 && (snprintf(text, sizeof(text), "%.*e", prec, d), strtod(text, NULL) != d))
        prec++;
    int exp = atoi(strchr(text, 'e') + 1);
    double mag = fabs(d);
    if (mag >= 1e-3 && mag < 1e7) {
        sb_printf(sb, "%.*f", prec - exp > 1 ? prec - exp : 1, d);
        return;
    }
    snprintf(text, sizeof(text), "%.*e", prec > 1 ? prec : 1, d);
    *strchr(text, 'e') = '\0';
    sb_printf(sb, "%sE%d", text, exp);
}

static void render_value(const vctx_t *x, int idx, yajl_val v, sbuf_t *sb)
{
    const model_shape_t *sh = shape_at(x, idx);
    if (v == NULL || YAJL_IS_NULL(v)) {
        sb_str(sb, "null");
    } else if (YAJL_IS_STRING(v)) {
        sb_str(sb, v->u.string);
    } else if (YAJL_IS_NUMBER(v) && is_fractional(sh->type)) {
        java_double(sb, strtod(v->u.number.r, NULL));
    } else if (YAJL_IS_NUMBER(v)) {
        sb_str(sb, v->u.number.r);
    } else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)) {
        sb_str(sb, YAJL_IS_TRUE(v) ? "true" : "false");
    } else if (YAJL_IS_ARRAY(v)) {
        int elem = sh->type == SHAPE_LIST ? sh->member : idx;
        sb_str(sb, "[");
        for (size_t i = 0; i < v->u.array.len; i++) {
            if (i)
                sb_str(sb, ", ");
            render_value(x, elem, v->u.array.values[i], sb);
        }
        sb_str(sb, "]");
    } else if (sh->type == SHAPE_STRUCTURE) {
        sb_str(sb, sh->name);
        sb_str(sb, "(");
        for (int i = 0; i < sh->nmembers; i++) {
            const model_member_t *m = &sh->members[i];
            vpath_t p = {NULL, SEG_MEMBER, m->name, 0};
            if (i)
                sb_str(sb, ", ");
            path_render(sb, &p, 1);
            sb_str(sb, "=");
            render_value(x, m->shape, member_value(v, m->name), sb);
        }
        sb_str(sb, ")");
    } else {
        int val = sh->type == SHAPE_MAP ? sh->value : idx;
        sb_str(sb, "{");
        for (size_t i = 0; i < v->u.object.len; i++) {
            if (i)
                sb_str(sb, ", ");
            sb_str(sb, v->u.object.keys[i]);
            sb_str(sb, "=");
            render_value(x, val, v->u.object.values[i], sb);
        }
        sb_str(sb, "}");
    }
}

/* 1 if the member at path is one of the list g (vstyle_t.generic, json_echo). */
static int listed_member(const vctx_t *x, const vgeneric_t *g, const vpath_t *path)
{
    for (; g && g->input && path && path->kind == SEG_MEMBER && x->input >= 0; g++)
        if (strcmp(g->member, path->name) == 0 && strcmp(g->input, shape_at(x, x->input)->name) == 0)
            return 1;
    return 0;
}

/* One error as Coral words it: "Value 'v' at 'path' failed to satisfy constraint: text". */
static const char *coral_text(vctx_t *x, int idx, yajl_val v, const vpath_t *path, const char *text)
{
    sbuf_t sb = {x->pool};
    sb_str(&sb, "Value");
    if (v == NULL || YAJL_IS_NULL(v)) {
        sb_str(&sb, " null");
    } else if (listed_member(x, x->style->json_echo, path)) {
        jw_t w;
        jw_init(&w);
        ytree_write(&w, v);
        sb_str(&sb, " '");
        sb_add(&sb, w.buf, w.len);
        sb_str(&sb, "'");
        jw_free(&w);
    } else if (!shape_at(x, idx)->sensitive) { /* a secret (environment variables, say) is left out */
        sb_str(&sb, " '");
        render_value(x, idx, v, &sb);
        sb_str(&sb, "'");
    }
    sb_str(&sb, " at '");
    path_render(&sb, path, 1);
    sb_str(&sb, "' failed to satisfy constraint: ");
    sb_str(&sb, text);
    return sb_done(&sb);
}

static void error_add(vctx_t *x, const char *error)
{
    if (x->nerrs >= VALIDATE_MAX_ERRORS)
        return;
    if (x->nerrs++)
        sb_str(&x->list, "; ");
    sb_str(&x->list, error);
}

static void coral_error(vctx_t *x, int idx, yajl_val v, const vpath_t *path, const char *text)
{
    if (x->nerrs < VALIDATE_MAX_ERRORS)
        error_add(x, coral_text(x, idx, v, path, text));
}

/* ---- regex: Java -> POSIX ERE, compiled once ---- */

typedef struct {
    const char *pattern; /* the model's string (by address) */
    int ok;              /* 1 compiled, 0 untranslatable */
    regex_t re;
} vregex_t;

enum { REGEX_CACHE = 512 };
static vregex_t regex_cache[REGEX_CACHE];

/* One atom of a Java bracket expression at p: a character (*ch) or a class
 * escape (*ch = -1, its POSIX items appended). Returns its length, 0 when it
 * cannot be translated (\p{..}, \u...., \S, non-ASCII \x..). */
static size_t bracket_atom(const char *p, int *ch, sbuf_t *items)
{
    if (p[0] != '\\') {
        *ch = (unsigned char)p[0];
        return 1;
    }
    char e = p[1];
    const char *cls = e == 'd' ? "0-9" : e == 'w' ? "A-Za-z0-9_" : e == 's' ? " \t\n\r\f\v" : NULL;
    if (cls != NULL) {
        sb_str(items, cls);
        *ch = -1;
        return 2;
    }
    if (e == 't' || e == 'n' || e == 'r') {
        *ch = e == 't' ? '\t' : e == 'n' ? '\n' : '\r';
        return 2;
    }
    if (e == 'x' && isxdigit((unsigned char)p[2]) && isxdigit((unsigned char)p[3])) {
        char hex[3] = {p[2], p[3], 0};
        *ch = (int)strtol(hex, NULL, 16);
        return *ch > 0 && *ch < 0x80 ? 4 : 0;
    }
    if (e == '\0' || isalnum((unsigned char)e))
        return 0;
    *ch = (unsigned char)e;
    return 2;
}

/* Appends the POSIX form of the Java bracket expression whose text starts at
 * p[i] (after its '['); returns the index after its ']', or 0 when it cannot be
 * translated. In POSIX, ']' must come first, '-' last and '^' not first. */
static size_t translate_bracket(const char *p, size_t i, sbuf_t *out)
{
    sbuf_t items = {out->pool};
    int negate = p[i] == '^', dash = 0, close = 0, caret = 0;
    i += (size_t)negate;
    for (int first = 1; p[i] != ']' || first; first = 0) {
        int lo, hi;
        size_t n;
        if (p[i] == '\0' || p[i] == '[' || (p[i] == '&' && p[i + 1] == '&'))
            return 0;
        if ((n = bracket_atom(p + i, &lo, &items)) == 0)
            return 0;
        i += n;
        if (lo < 0)
            continue;
        if (p[i] == '-' && p[i + 1] != ']' && p[i + 1] != '\0') {
            if ((n = bracket_atom(p + i + 1, &hi, &items)) == 0 || hi < 0)
                return 0;
            if (lo == '-' || hi == '-') { /* POSIX wants '-' last: take it out of the range */
                dash = 1;
                lo += lo == '-';
                hi -= hi == '-';
            }
            if (lo > hi || strchr("]^-", lo) || strchr("]^-", hi))
                return 0;
            char range[3] = {(char)lo, '-', (char)hi};
            sb_add(&items, range, 3);
            i += 1 + n;
            continue;
        }
        if (lo == '-')
            dash = 1;
        else if (lo == ']')
            close = 1;
        else if (lo == '^')
            caret = 1;
        else {
            char c = (char)lo;
            sb_add(&items, &c, 1);
        }
    }
    if (items.len == 0 && !close && !dash)
        return 0;
    sb_str(out, negate ? "[^" : "[");
    if (close)
        sb_str(out, "]");
    sb_add(out, items.buf ? items.buf : "", items.len);
    if (caret)
        sb_str(out, "^");
    if (dash)
        sb_str(out, "-");
    sb_str(out, "]");
    return i + 1;
}

/* The POSIX ERE for a Java regex matched as a whole, or NULL. */
static const char *translate_regex(h2o_mem_pool_t *pool, const char *p)
{
    sbuf_t out = {pool};
    sb_str(&out, "^(");
    for (size_t i = 0; p[i] != '\0';) {
        char c = p[i];
        if (c == '[') {
            size_t next = translate_bracket(p, i + 1, &out);
            if (next == 0)
                return NULL;
            i = next;
        } else if (c == '\\') {
            char e = p[i + 1];
            if (e == 'd')
                sb_str(&out, "[0-9]");
            else if (e == 'w')
                sb_str(&out, "[A-Za-z0-9_]");
            else if (e == 's')
                sb_str(&out, "[ \t\n\r\f\v]");
            else if (e == 'S')
                sb_str(&out, "[^ \t\n\r\f\v]");
            else if (e == '\0' || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))
                return NULL;
            else if (strchr(".[]{}()\\*+?^$|", e))
                sb_add(&out, p + i, 2);
            else
                sb_add(&out, &e, 1);
            i += 2;
        } else if (c == '(' && p[i + 1] == '?') {
            if (p[i + 2] != ':')
                return NULL; /* look-arounds, flags */
            sb_str(&out, "(");
            i += 3;
        } else if ((c == '*' || c == '+' || c == '?' || c == '}') && (p[i + 1] == '?' || p[i + 1] == '+')) {
            sb_add(&out, &c, 1); /* lazy/possessive: same language for a whole match */
            i += 2;
        } else {
            sb_add(&out, &c, 1);
            i++;
        }
    }
    sb_str(&out, ")$");
    return sb_done(&out);
}

static const regex_t *regex_for(h2o_mem_pool_t *pool, const char *pattern)
{
    size_t h = ((uintptr_t)pattern >> 3) % REGEX_CACHE;
    for (size_t n = 0; n < REGEX_CACHE; n++, h = (h + 1) % REGEX_CACHE) {
        vregex_t *r = &regex_cache[h];
        if (r->pattern == pattern)
            return r->ok ? &r->re : NULL;
        if (r->pattern == NULL) {
            const char *ere = translate_regex(pool, pattern);
            r->pattern = pattern;
            r->ok = ere != NULL && regcomp(&r->re, ere, REG_EXTENDED | REG_NOSUB) == 0;
            return r->ok ? &r->re : NULL;
        }
    }
    return NULL; /* cache full: treat as untranslatable */
}

/* ---- pass 2: constraints ---- */

/* Java's String.hashCode (ASCII/UTF-8 bytes stand for UTF-16 units here). */
static uint32_t java_hash(const char *s)
{
    uint32_t h = 0;
    for (; *s; s++)
        h = 31 * h + (unsigned char)*s;
    return h;
}

/* Java 8's HashMap (and HashSet) bucket of a key of hash h, in a map of n entries made with the default capacity. */
static uint32_t hashmap_bucket(uint32_t h, int n)
{
    uint32_t cap = 16;
    while ((uint32_t)n > cap / 4 * 3)
        cap *= 2;
    return (h ^ (h >> 16)) & (cap - 1);
}

uint32_t validate_java_bucket(const char *s, int n)
{
    return hashmap_bucket(java_hash(s), n);
}

void validate_bucket_order(const uint32_t *bucket, int n, int *order)
{
    for (int i = 0; i < n; i++) {
        int j = i;
        for (; j > 0 && bucket[order[j - 1]] > bucket[i]; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
}

/* The model's order, or (hashed) a Java HashSet's of 32 buckets, whose entries of one bucket come in the order
 * they were added: by name, as DynamoDB's answers show (StreamViewType's KEYS_ONLY before NEW_AND_OLD_IMAGES,
 * the ack-api-quirks lab's DDB-TABLE-457; botocore's model lists them the other way). */
typedef struct {
    uint32_t bucket;
    const char *name;
} enum_slot_t;

static int enum_slot_cmp(const void *a, const void *b)
{
    const enum_slot_t *x = a, *y = b;
    return x->bucket != y->bucket ? (x->bucket < y->bucket ? -1 : 1) : strcmp(x->name, y->name);
}

static void enum_text(const model_shape_t *sh, int hashed, sbuf_t *sb)
{
    sb_str(sb, "Member must satisfy enum value set: [");
    enum_slot_t *slots = h2o_mem_alloc_pool(sb->pool, sizeof(*slots) * (size_t)(sh->nenums + 1));
    for (int i = 0; i < sh->nenums; i++)
        slots[i] = (enum_slot_t){java_hash(sh->enums[i]) & 31, sh->enums[i]};
    if (hashed)
        qsort(slots, (size_t)sh->nenums, sizeof(*slots), enum_slot_cmp);
    for (int i = 0; i < sh->nenums; i++) {
        if (i)
            sb_str(sb, ", ");
        sb_str(sb, slots[i].name);
    }
    sb_str(sb, "]");
}

/* Length of v for a length constraint, or -1 when the shape has none. */
static int64_t value_length(const model_shape_t *sh, yajl_val v)
{
    if (YAJL_IS_ARRAY(v))
        return (int64_t)v->u.array.len;
    if (YAJL_IS_OBJECT(v))
        return (int64_t)v->u.object.len;
    if (!YAJL_IS_STRING(v))
        return -1;
    if (sh->type == SHAPE_BLOB) {
        size_t len = strlen(v->u.string), pad = 0;
        while (pad < 2 && len > pad && v->u.string[len - 1 - pad] == '=')
            pad++;
        return (int64_t)(len / 4 * 3 - (len % 4 == 0 ? pad : 0));
    }
    if (sh->type == SHAPE_STRING)
        return ytree_utf16_length(v->u.string);
    return -1;
}

/* The number in v (a JSON number, or text for members bound outside the body). */
static int value_number(yajl_val v, long double *out)
{
    const char *text = YAJL_IS_NUMBER(v) ? v->u.number.r : YAJL_IS_STRING(v) ? v->u.string : NULL;
    char *end;
    if (text == NULL || *text == '\0')
        return 0;
    *out = strtold(text, &end);
    return *end == '\0';
}

typedef enum { C_PATTERN, C_MIN_LEN, C_MAX_LEN, C_ENUM, C_MIN_VAL, C_MAX_VAL, C_COUNT } constraint_t;

/* 1 if v breaks constraint c of shape sh; its text goes to text (when not NULL). */
static int breaks(vctx_t *x, const model_shape_t *sh, yajl_val v, constraint_t c, sbuf_t *text)
{
    long double num;
    int64_t len;
    switch (c) {
    case C_PATTERN: {
        const regex_t *re = sh->pattern && YAJL_IS_STRING(v) ? regex_for(x->pool, sh->pattern) : NULL;
        if (text && sh->pattern)
            sb_printf(text, "Member must satisfy regular expression pattern: %s", sh->pattern);
        return re != NULL && regexec(re, v->u.string, 0, NULL, 0) != 0;
    }
    case C_MIN_LEN:
        if (text && sh->has_min && !is_numeric(sh->type))
            sb_printf(text, "Member must have length greater than or equal to %lld", (long long)sh->min);
        return sh->has_min && (len = value_length(sh, v)) >= 0 && len < sh->min;
    case C_MAX_LEN:
        if (text && sh->has_max && !is_numeric(sh->type))
            sb_printf(text, "Member must have length less than or equal to %lld", (long long)sh->max);
        return sh->has_max && (len = value_length(sh, v)) >= 0 && len > sh->max;
    case C_ENUM: {
        if (sh->nenums == 0)
            return 0;
        if (text)
            enum_text(sh, x->style->hashed, text);
        if (!YAJL_IS_STRING(v))
            return 0;
        for (int i = 0; i < sh->nenums; i++)
            if (strcmp(sh->enums[i], v->u.string) == 0)
                return 0;
        return 1;
    }
    case C_MIN_VAL:
        if (text && sh->has_min && is_numeric(sh->type))
            sb_printf(text, "Member must have value greater than or equal to %lld%s", (long long)sh->min,
                      is_fractional(sh->type) ? ".0" : "");
        return sh->has_min && is_numeric(sh->type) && value_number(v, &num) && num < (long double)sh->min;
    case C_MAX_VAL:
        if (text && sh->has_max && is_numeric(sh->type))
            sb_printf(text, "Member must have value less than or equal to %lld%s", (long long)sh->max,
                      is_fractional(sh->type) ? ".0" : "");
        return sh->has_max && is_numeric(sh->type) && value_number(v, &num) && num > (long double)sh->max;
    default:
        return 0;
    }
}

static int has_constraints(const model_shape_t *sh)
{
    return sh->has_min || sh->has_max || sh->pattern != NULL || sh->nenums > 0;
}

/* 1 if the shape is one of the NULL-terminated names (a NULL list names none). */
static int shape_named(const model_shape_t *sh, const char *const *names)
{
    for (; names && *names; names++)
        if (strcmp(*names, sh->name) == 0)
            return 1;
    return 0;
}

/* 1 if the service checks shape idx itself (vstyle_t.own): a string shape with constraints or a
 * structure with required members, compared by name only then (check_value runs for every value). */
static int service_checks(const vctx_t *x, int idx)
{
    const model_shape_t *sh = &x->svc->shapes[idx];
    return (sh->type == SHAPE_STRUCTURE || has_constraints(sh)) && shape_named(sh, x->style->own);
}

/* One error in the newer validation framework's words: "Value at 'path' failed to satisfy constraint: text"
 * (vstyle_t.generic). */
static const char *generic_text(vctx_t *x, const vpath_t *path, const char *text)
{
    sbuf_t sb = {x->pool};
    sb_str(&sb, "Value at '");
    path_render(&sb, path, PATH_GENERIC);
    sb_str(&sb, "' failed to satisfy constraint: ");
    sb_str(&sb, text);
    return sb_done(&sb);
}

/* Each broken constraint of v's own shape, as one error at path; with the hashed style in the order of a
 * HashSet of their texts (Java 8, 16 buckets): DynamoDB reported '' at 'backupName' the pattern first (the
 * ack-api-quirks lab's DDB-TABLE-457). A name checked in an ARN's place (named) has its lengths first ('x!' at
 * 'tableName': moto's AWS-verified test_update_item_with_invalid_table_name). */
static void check_own(vctx_t *x, int idx, yajl_val v, const vpath_t *path, int named)
{
    static const uint32_t named_rank[C_COUNT] = {
        [C_MIN_LEN] = 0, [C_MAX_LEN] = 1, [C_PATTERN] = 2, [C_ENUM] = 3, [C_MIN_VAL] = 4, [C_MAX_VAL] = 5};
    const model_shape_t *sh = shape_at(x, idx);
    if (!has_constraints(sh))
        return;
    const char *errors[C_COUNT];
    uint32_t bucket[C_COUNT];
    int order[C_COUNT], n = 0;
    for (constraint_t c = C_PATTERN; c < C_COUNT; c++) {
        sbuf_t text = {x->pool};
        if (!breaks(x, sh, v, c, NULL) || !breaks(x, sh, v, c, &text))
            continue;
        errors[n] = listed_member(x, x->style->generic, path) ? generic_text(x, path, sb_done(&text))
                                                              : coral_text(x, idx, v, path, sb_done(&text));
        bucket[n] = named ? named_rank[c] : x->style->hashed ? validate_java_bucket(errors[n], C_COUNT) : 0;
        n++;
    }
    validate_bucket_order(bucket, n, order);
    for (int i = 0; i < n; i++)
        error_add(x, errors[order[i]]);
}

/* For collection elements: "<lead>: [all constraints of the shape]" if any is broken. */
static int elements_break(vctx_t *x, int idx, yajl_val *vals, size_t n)
{
    const model_shape_t *sh = shape_at(x, idx);
    if (!has_constraints(sh) || service_checks(x, idx))
        return 0;
    for (size_t i = 0; i < n; i++)
        for (constraint_t c = C_PATTERN; c < C_COUNT; c++)
            if (vals[i] != NULL && !YAJL_IS_NULL(vals[i]) && breaks(x, sh, vals[i], c, NULL))
                return 1;
    return 0;
}

static const char *all_constraints(vctx_t *x, int idx, const char *lead)
{
    static const constraint_t order[] = {C_MAX_LEN, C_MIN_LEN, C_PATTERN, C_ENUM, C_MAX_VAL, C_MIN_VAL};
    const model_shape_t *sh = shape_at(x, idx);
    sbuf_t sb = {x->pool};
    sb_str(&sb, lead);
    sb_str(&sb, ": [");
    size_t start = sb.len;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        sbuf_t t = {x->pool};
        breaks(x, sh, NULL, order[i], &t);
        if (t.len) {
            if (sb.len > start)
                sb_str(&sb, ", ");
            sb_add(&sb, t.buf, t.len);
        }
    }
    if (x->style->elements_not_null && !sh->sensitive)
        sb_str(&sb, ", Member must not be null");
    sb_str(&sb, "]");
    return sb_done(&sb);
}

static void check_value(vctx_t *x, int idx, yajl_val v, const vpath_t *path, int depth, int own);

/* A member that must be present (a blob payload member is the raw request body, REST, not part
 * of the tree). */
static int must_be_present(const vctx_t *x, const model_member_t *m)
{
    return m->required && !(m->payload && x->svc->shapes[m->shape].type == SHAPE_BLOB);
}

/* The members v holds, checked in the order they come: 1 when no required member is missing
 * and none breaks a constraint. Otherwise 0, and the errors it found are taken back: errors
 * come in model order, so check_struct checks the members again in that order. For objects
 * that hold few of their shape's members (an AttributeValue holds one of ten): it looks up
 * each key instead of each member. */
static int check_present_members(vctx_t *x, const model_shape_t *sh, yajl_val v, const vpath_t *path, int depth)
{
    for (int i = 0; i < sh->nmembers; i++) {
        yajl_val mv;
        if (must_be_present(x, &sh->members[i]) && ((mv = member_value(v, sh->members[i].name)) == NULL || YAJL_IS_NULL(mv)))
            return 0;
    }
    const int nerrs = x->nerrs;
    const size_t len = x->list.len;
    for (size_t i = 0; i < v->u.object.len; i++) {
        const char *key = v->u.object.keys[i];
        yajl_val mv = v->u.object.values[i];
        const model_member_t *m = mv != NULL && !YAJL_IS_NULL(mv) ? model_find_member(sh, key, strlen(key)) : NULL;
        vpath_t p = {path, SEG_MEMBER, key, 0};
        if (m != NULL)
            check_value(x, m->shape, mv, &p, depth + 1, 1);
    }
    if (x->nerrs == nerrs)
        return 1;
    x->nerrs = nerrs;
    x->list.len = len;
    if (x->list.buf != NULL)
        x->list.buf[len] = '\0';
    return 0;
}

/* Java 8's HashMap bucket of a member's name as Coral writes it (lower camel case: "readCapacityUnits"), in a
 * map of n entries made with the default capacity. */
static uint32_t member_bucket(const char *name, int n)
{
    uint32_t h = 0;
    for (const char *p = name; *p; p++)
        h = 31 * h + (unsigned char)(p == name ? tolower((unsigned char)*p) : *p);
    return hashmap_bucket(h, n);
}

/* The order in which Coral reports a structure's members: the model's, or with the hashed style its HashMap's,
 * ties in model order, for the request itself as for a nested structure. DynamoDB answered so: attributeType
 * before attributeName, writeCapacityUnits before readCapacityUnits, attributeName before enabled in a
 * TimeToLiveSpecification, indexName, keySchema, projection (the ack-api-quirks lab's DDB-TABLE-038/457,
 * dynalite's recorded validations of Expected, AttributeUpdates and GlobalSecondaryIndexUpdates); and at the top
 * returnConsumedCapacity, tableName, returnValues, key in UpdateItem, clientRequestToken before
 * returnConsumedCapacity in TransactWriteItems, requestItems before it in BatchGetItem, globalSecondaryIndexes
 * before localSecondaryIndexes in CreateTable (paritysuite/dynamodb-conformance validation-ordering, 2026-10-09). */
static const int *member_order(vctx_t *x, const model_shape_t *sh)
{
    int *order = h2o_mem_alloc_pool(x->pool, sizeof(int) * (size_t)(sh->nmembers + 1));
    uint32_t *bucket = h2o_mem_alloc_pool(x->pool, sizeof(uint32_t) * (size_t)(sh->nmembers + 1));
    for (int i = 0; i < sh->nmembers; i++)
        bucket[i] = x->style->hashed ? member_bucket(sh->members[i].name, sh->nmembers) : 0;
    validate_bucket_order(bucket, sh->nmembers, order);
    return order;
}

static void check_struct(vctx_t *x, const model_shape_t *sh, yajl_val v, const vpath_t *path, int depth)
{
    if (v->u.object.len < (size_t)sh->nmembers / 2 && check_present_members(x, sh, v, path, depth))
        return;
    const int *order = member_order(x, sh);
    for (int i = 0; i < sh->nmembers && x->nerrs < VALIDATE_MAX_ERRORS; i++) {
        const model_member_t *m = &sh->members[order[i]];
        yajl_val mv = member_value(v, m->name);
        vpath_t p = {path, SEG_MEMBER, m->name, 0};
        if (mv == NULL || YAJL_IS_NULL(mv)) {
            if (must_be_present(x, m))
                coral_error(x, m->shape, NULL, &p, "Member must not be null");
            continue;
        }
        check_value(x, m->shape, mv, &p, depth + 1, 1);
    }
}

static void check_list(vctx_t *x, int idx, const model_shape_t *sh, yajl_val v, const vpath_t *path, int depth)
{
    if (elements_break(x, sh->member, v->u.array.values, v->u.array.len))
        coral_error(x, idx, v, path, all_constraints(x, sh->member, "Member must satisfy constraint"));
    for (size_t i = 0; i < v->u.array.len && x->nerrs < VALIDATE_MAX_ERRORS; i++) {
        vpath_t p = {path, SEG_INDEX, NULL, i + 1};
        yajl_val e = v->u.array.values[i];
        if ((e == NULL || YAJL_IS_NULL(e)) && !shape_named(sh, x->style->own)) /* else the service's to answer */
            coral_error(x, sh->member, NULL, &p, "Member must not be null"); /* services may take elements as given */
        else if (YAJL_IS_OBJECT(e) || YAJL_IS_ARRAY(e))
            check_value(x, sh->member, e, &p, depth + 1, 0);
    }
}

/* The shape a map's keys are checked against: vstyle_t.name_or_arn's name shape when the keys hold names or
 * ARNs and one is no ARN (BatchGetItem's and BatchWriteItem's table names: "Map keys must satisfy constraint:
 * [... length less than or equal to 255, ... greater than or equal to 3, ... pattern: [a-zA-Z0-9_.-]+]",
 * paritysuite/dynamodb-conformance batchGetItem and batchWriteItem, 2026-10-09). */
static int map_key_shape(vctx_t *x, int idx, yajl_val *keys, size_t n)
{
    const char *const *alias = x->style->name_or_arn;
    if (alias[0] == NULL || strcmp(shape_at(x, idx)->name, alias[0]) != 0)
        return idx;
    int named = model_find_shape(x->svc, alias[1]);
    for (size_t i = 0; i < n && named >= 0; i++)
        if (strncmp(keys[i]->u.string, "arn:", 4) != 0)
            return named;
    return idx;
}

static void check_map(vctx_t *x, int idx, const model_shape_t *sh, yajl_val v, const vpath_t *path, int depth)
{
    size_t n = v->u.object.len;
    yajl_val *keys = h2o_mem_alloc_pool(x->pool, sizeof(yajl_val) * (n ? n : 1));
    struct yajl_val_s *keyvals = h2o_mem_alloc_pool(x->pool, sizeof(*keyvals) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        keyvals[i].type = yajl_t_string;
        keyvals[i].u.string = (char *)v->u.object.keys[i];
        keys[i] = &keyvals[i];
    }
    int key_idx = map_key_shape(x, sh->key, keys, n);
    if (elements_break(x, key_idx, keys, n)) {
        const char *text = all_constraints(x, key_idx, "Map keys must satisfy constraint");
        if (listed_member(x, x->style->late_keys, path))
            x->late = coral_text(x, idx, v, path, text);
        else
            coral_error(x, idx, v, path, text);
    }
    if (elements_break(x, sh->value, v->u.object.values, n))
        coral_error(x, idx, v, path, all_constraints(x, sh->value, "Map value must satisfy constraint"));
    for (size_t i = 0; i < n && x->nerrs < VALIDATE_MAX_ERRORS; i++) {
        vpath_t p = {path, SEG_KEY, v->u.object.keys[i], 0};
        yajl_val e = v->u.object.values[i];
        if (e == NULL || YAJL_IS_NULL(e))
            coral_error(x, sh->value, NULL, &p, "Member must not be null");
        else if (YAJL_IS_OBJECT(e) || YAJL_IS_ARRAY(e))
            check_value(x, sh->value, e, &p, depth + 1, 0);
    }
}

/* 1 if the request's top-level member at path is one vstyle_t.empty_alone checks as an ARN when ''. */
static int empty_as_arn(const vctx_t *x, yajl_val v, const vpath_t *path)
{
    return v->u.string[0] == '\0' && path->up == NULL && x->input >= 0 && shape_named(shape_at(x, x->input), x->style->empty_alone);
}

/* The shape v's own constraints are checked against: a name's (vstyle_t.name_or_arn) for a member that holds a
 * name or an ARN, when v is no ARN. */
static int own_shape(vctx_t *x, int idx, yajl_val v, const vpath_t *path)
{
    const char *const *alias = x->style->name_or_arn;
    if (alias[0] == NULL || path == NULL || path->kind != SEG_MEMBER || strcmp(path->name, alias[1]) != 0 ||
        strcmp(shape_at(x, idx)->name, alias[0]) != 0 || !YAJL_IS_STRING(v) || strncmp(v->u.string, "arn:", 4) == 0 ||
        empty_as_arn(x, v, path))
        return idx;
    int named = model_find_shape(x->svc, alias[1]);
    return named >= 0 ? named : idx;
}

/* v is present (not null) and of the right type. Its own constraints (unless
 * own is 0: list elements and map values, reported by their collection), then
 * its contents. */
static void check_value(vctx_t *x, int idx, yajl_val v, const vpath_t *path, int depth, int own)
{
    const model_shape_t *sh = shape_at(x, idx);
    if (depth > VALIDATE_MAX_DEPTH || service_checks(x, idx))
        return;
    if (own && sh->type != SHAPE_STRUCTURE) {
        int own_idx = own_shape(x, idx, v, path);
        check_own(x, own_idx, v, path, own_idx != idx);
    }
    if (sh->type == SHAPE_STRUCTURE)
        check_struct(x, sh, v, path, depth);
    else if (sh->type == SHAPE_LIST)
        check_list(x, idx, sh, v, path, depth);
    else if (sh->type == SHAPE_MAP)
        check_map(x, idx, sh, v, path, depth);
}

/* SQS: the first required member missing, depth first. */
static void check_required(vctx_t *x, int idx, yajl_val v, const vpath_t *path, int depth)
{
    const model_shape_t *sh = shape_at(x, idx);
    if (x->fail_code != NULL || depth > VALIDATE_MAX_DEPTH || v == NULL)
        return;
    if (sh->type == SHAPE_STRUCTURE && YAJL_IS_OBJECT(v)) {
        for (int i = 0; i < sh->nmembers && x->fail_code == NULL; i++) {
            const model_member_t *m = &sh->members[i];
            yajl_val mv = member_value(v, m->name);
            vpath_t p = {path, SEG_MEMBER, m->name, 0};
            if ((mv == NULL || YAJL_IS_NULL(mv)) && m->required) {
                sbuf_t sb = {x->pool};
                sb_str(&sb, "The request must contain the parameter ");
                path_render(&sb, &p, 0);
                sb_str(&sb, ".");
                fail(x, "MissingParameter", sb_done(&sb));
            } else {
                check_required(x, m->shape, mv, &p, depth + 1);
            }
        }
    } else if (sh->type == SHAPE_LIST && YAJL_IS_ARRAY(v)) {
        for (size_t i = 0; i < v->u.array.len; i++) {
            vpath_t p = {path, SEG_INDEX, NULL, i + 1};
            check_required(x, sh->member, v->u.array.values[i], &p, depth + 1);
        }
    } else if (sh->type == SHAPE_MAP && YAJL_IS_OBJECT(v)) {
        for (size_t i = 0; i < v->u.object.len; i++) {
            vpath_t p = {path, SEG_KEY, v->u.object.keys[i], 0};
            check_required(x, sh->value, v->u.object.values[i], &p, depth + 1);
        }
    }
}

/* vstyle_t.lengths of the request (shape: its input): 1 after failing with the service's text. */
static int check_lengths(vctx_t *x, int shape, yajl_val v)
{
    for (const vlength_t *l = x->style->lengths; l && l->input; l++) {
        yajl_val m;
        int64_t n;
        if (strcmp(shape_at(x, shape)->name, l->input) != 0 || !YAJL_IS_OBJECT(v) ||
            !YAJL_IS_STRING(m = member_value(v, l->member)))
            continue;
        if ((n = ytree_utf16_length(m->u.string)) < 3 || n > 255) {
            fail(x, "ValidationException", l->text);
            return 1;
        }
    }
    return 0;
}

/* 1 if the structure v (of shape sh) holds every member its model requires. */
static int requireds_present(const model_shape_t *sh, yajl_val v)
{
    for (int i = 0; i < sh->nmembers; i++) {
        yajl_val m = sh->members[i].required ? member_value(v, sh->members[i].name) : v;
        if (m == NULL || YAJL_IS_NULL(m))
            return 0;
    }
    return 1;
}

/* vstyle_t.empty_alone of the request (shape: its input): 1 after failing with its name member's ''. Only a request
 * missing no required member gets that far: without a Key, UpdateItem's '' is still joined, in the older per-value
 * form, to "Value null at 'key'" (paritysuite/dynamodb-conformance validation-ordering/updateItem.test.ts,
 * eu-west-2 and us-east-1, 2026-10-09). */
static int check_empty_alone(vctx_t *x, int shape, yajl_val v)
{
    const char *name = x->style->name_or_arn[1];
    yajl_val m;
    if (!name || !shape_named(shape_at(x, shape), x->style->empty_alone) || !YAJL_IS_OBJECT(v) ||
        !YAJL_IS_STRING(m = member_value(v, name)) || m->u.string[0] != '\0' || !requireds_present(shape_at(x, shape), v))
        return 0;
    fail(x, "ValidationException",
         pool_sprintf(x->pool,
                      "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length "
                      "greater than or equal to 1",
                      name));
    return 1;
}

/* vstyle_t.absent of the request (shape: its input): 1 after failing with the service's text. */
static int check_absent(vctx_t *x, int shape, yajl_val v)
{
    for (const vlength_t *a = x->style->absent; a && a->input; a++) {
        yajl_val m = YAJL_IS_OBJECT(v) ? member_value(v, a->member) : v;
        if (strcmp(shape_at(x, shape)->name, a->input) == 0 && (m == NULL || (YAJL_IS_OBJECT(m) && m->u.object.len == 0))) {
            fail(x, "ValidationException", a->text);
            return 1;
        }
    }
    return 0;
}

/* 1 if s is none of the enum set of the member `name` of the structure sh. */
static int outside_enum(vctx_t *x, const model_shape_t *sh, const char *name, const char *s)
{
    for (int i = 0; i < sh->nmembers; i++) {
        if (strcmp(sh->members[i].name, name) != 0)
            continue;
        const model_shape_t *e = shape_at(x, sh->members[i].shape);
        for (int j = 0; j < e->nenums; j++)
            if (strcmp(e->enums[j], s) == 0)
                return 0;
        return e->nenums > 0;
    }
    return 0;
}

/* vstyle_t.enum_first of the request (shape: its input): 1 after failing with the service's text. */
static int check_enum_first(vctx_t *x, int shape, yajl_val v)
{
    for (const venum_first_t *e = x->style->enum_first; e && e->input; e++) {
        yajl_val m, with;
        if (strcmp(shape_at(x, shape)->name, e->input) != 0 || !YAJL_IS_OBJECT(v) ||
            !YAJL_IS_STRING(m = member_value(v, e->member)) || (with = member_value(v, e->with)) == NULL || YAJL_IS_NULL(with) ||
            (YAJL_IS_OBJECT(with) && with->u.object.len < e->with_count) ||
            !outside_enum(x, shape_at(x, shape), e->member, m->u.string))
            continue;
        fail(x, "ValidationException", e->text);
        return 1;
    }
    return 0;
}

static int validate_at(const model_service_t *svc, int shape, yajl_val v, const vpath_t *path, h2o_mem_pool_t *pool,
                       validate_error_t *err)
{
    vctx_t x = {svc, vstyle_of(svc), pool, {pool}, 0, NULL, NULL, path == NULL ? shape : -1, NULL};
    if (shape < 0 || shape >= svc->nshapes)
        return 0;
    if (check_types(&x, shape, v, path, LOC_BODY, 0, 0) == 0 && v != NULL && !YAJL_IS_NULL(v) &&
        !(path == NULL && (check_absent(&x, shape, v) || check_empty_alone(&x, shape, v) || check_enum_first(&x, shape, v) ||
                           check_lengths(&x, shape, v)))) {
        if (x.style->coral_constraints)
            check_value(&x, shape, v, path, 0, 1);
        else
            check_required(&x, shape, v, path, 0);
    }
    if (x.nerrs == 0 && x.late != NULL)
        error_add(&x, x.late);
    if (x.fail_code == NULL && x.nerrs > 0) {
        x.fail_code = "ValidationException";
        x.fail_msg = pool_sprintf(pool, "%d validation error%s detected: %s", x.nerrs, x.nerrs > 1 ? "s" : "", sb_done(&x.list));
    }
    if (x.fail_code == NULL)
        return 0;
    err->code = x.fail_code;
    err->message = x.fail_msg;
    err->http_status = 400;
    return -1;
}

int validate_input(const model_service_t *svc, int shape, yajl_val in, h2o_mem_pool_t *pool, validate_error_t *err)
{
    struct yajl_val_s empty = {.type = yajl_t_object};
    return validate_at(svc, shape, in != NULL ? in : &empty, NULL, pool, err);
}

int validate_value(const model_service_t *svc, int shape, yajl_val v, const char *path, h2o_mem_pool_t *pool, validate_error_t *err)
{
    vpath_t root = {NULL, SEG_RAW, path, 0};
    return validate_at(svc, shape, v, &root, pool, err);
}

const char *validate_render(const model_service_t *svc, int shape, yajl_val v, h2o_mem_pool_t *pool)
{
    vctx_t x = {svc, vstyle_of(svc), pool, {pool}, 0, NULL, NULL, -1};
    sbuf_t sb = {pool};
    render_value(&x, shape, v, &sb);
    return sb_done(&sb);
}
