/* model.h - the AWS service models as C tables.
 *
 * The tables (model_gen.c) are generated from the botocore service models by
 * protocol/gen/genmodel.py; nothing here is written by hand. They drive request
 * validation, query-protocol decoding, XML encoding, REST-JSON binding and the
 * error table (AWS code -> HTTP status, query code). Shapes are referenced by
 * index into their service's shape array; -1 means "none". */
#ifndef AWSEMU_MODEL_H
#define AWSEMU_MODEL_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    SHAPE_STRUCTURE,
    SHAPE_LIST,
    SHAPE_MAP,
    SHAPE_STRING,
    SHAPE_INTEGER,
    SHAPE_LONG,
    SHAPE_BOOLEAN,
    SHAPE_BLOB,
    SHAPE_TIMESTAMP,
    SHAPE_DOUBLE,
    SHAPE_FLOAT,
} model_shape_type_t;

/* Where a REST-JSON member travels (botocore "location"). */
typedef enum {
    LOC_BODY = 0,
    LOC_URI,
    LOC_QUERYSTRING,
    LOC_HEADER,
    LOC_HEADERS, /* prefixed header map */
    LOC_STATUS_CODE,
} model_location_t;

typedef struct {
    const char *name;          /* member name as in JSON */
    const char *location_name; /* query/XML element name, URI label, header or query key; NULL = name */
    int shape;                 /* index into the service's shapes */
    model_location_t location;
    unsigned required : 1;
    unsigned payload : 1; /* the structure's "payload" member (REST) */
    unsigned flattened : 1; /* member-level flattened (query/XML) */
} model_member_t;

typedef struct {
    const char *name;
    model_shape_type_t type;
    /* structure */
    const model_member_t *members;
    int nmembers;
    /* list: member; map: key/value; each with its query/XML element name (NULL = default) */
    int member, key, value;
    const char *member_name, *key_name, *value_name;
    unsigned flattened : 1;
    unsigned sensitive : 1; /* its values are never echoed in messages ("Value at '...'") */
    unsigned has_min : 1, has_max : 1;
    int64_t min, max;       /* length for strings/blobs/lists/maps, range for numbers */
    const char *pattern;    /* Java-style regex from the model, or NULL */
    const char *const *enums;
    int nenums;
    /* exceptions */
    unsigned exception : 1;
    int error_status;       /* HTTP status from the model's error trait, 0 = unknown */
    const char *query_code; /* awsQueryError code (e.g. AWS.SimpleQueueService.NonExistentQueue) or NULL */
    unsigned sender_fault : 1;
} model_shape_t;

typedef struct {
    const char *name;       /* e.g. "SendMessage" */
    int input, output;      /* shape indexes or -1 */
    const char *http_method;
    const char *request_uri; /* REST template, e.g. "/2015-03-31/functions/{FunctionName}/invocations" */
    int success_status;      /* REST success code, 200 by default */
    const char *result_wrapper; /* query protocol: e.g. "SendMessageResult" */
} model_op_t;

typedef struct {
    const char *name;          /* "sqs", "dynamodb", "lambda", "dynamodbstreams" */
    const char *api_version;   /* "2012-11-05" */
    const char *target_prefix; /* JSON 1.0 X-Amz-Target prefix, e.g. "AmazonSQS" */
    const char *xml_namespace; /* query protocol, e.g. "http://queue.amazonaws.com/doc/2012-11-05/" */
    const model_shape_t *shapes;
    int nshapes;
    const model_op_t *ops; /* sorted by name */
    int nops;
} model_service_t;

extern const model_service_t model_sqs, model_dynamodb, model_dynamodbstreams, model_lambda;

/* Lookups: NULL / -1 when absent. */
const model_op_t *model_find_op(const model_service_t *svc, const char *name, size_t len);
int model_find_shape(const model_service_t *svc, const char *name);
const model_member_t *model_find_member(const model_shape_t *shape, const char *name, size_t len);

#endif
