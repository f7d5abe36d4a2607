/* query_xml.c - query-protocol responses: the JSON output a service wrote -> XML,
 * and error codes -> <ErrorResponse> (declared in query.h).
 *
 * The output shape drives the walk, as botocore's XML parser reads it back:
 * members in model order under their query names, flattened lists as repeated
 * elements named after the list's member (<Message>, <QueueUrl>), flattened
 * maps as repeated <Attribute><Name/><Value/></Attribute>, others wrapped
 * (<member>, <entry><key/><value/></entry>). Scalars are written as their JSON
 * text (numbers verbatim, booleans true/false, blobs already base64). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "xmlw.h"

#define QUERY_XML_MAX_DEPTH 32

static void put_member(const model_service_t *svc, xw_t *w, const char *name, int shape, int member_flat, yajl_val v, int depth);

/* The JSON text of a scalar, or NULL for containers. */
static const char *scalar_text(yajl_val v)
{
    switch (v->type) {
    case yajl_t_string:
        return v->u.string;
    case yajl_t_number:
        return v->u.number.r;
    case yajl_t_true:
        return "true";
    case yajl_t_false:
        return "false";
    default:
        return NULL;
    }
}

static yajl_val obj_get(yajl_val obj, const char *key)
{
    for (size_t i = 0; i < obj->u.object.len; i++)
        if (strcmp(obj->u.object.keys[i], key) == 0)
            return obj->u.object.values[i];
    return NULL;
}

/* The members of structure shape found in the object obj, in model order. */
static void put_fields(const model_service_t *svc, xw_t *w, const model_shape_t *sh, yajl_val obj, int depth)
{
    for (int m = 0; m < sh->nmembers; m++) {
        const model_member_t *mem = &sh->members[m];
        yajl_val v = obj_get(obj, mem->name);
        if (v != NULL)
            put_member(svc, w, mem->location_name ? mem->location_name : mem->name, mem->shape, mem->flattened, v, depth);
    }
}

static void put_list(const model_service_t *svc, xw_t *w, const char *name, const model_shape_t *sh, int flat, yajl_val arr,
                     int depth)
{
    const char *elem = sh->member_name ? sh->member_name : flat ? name : "member";
    if (!flat)
        xw_open(w, name, NULL);
    for (size_t i = 0; i < arr->u.array.len; i++)
        put_member(svc, w, elem, sh->member, 0, arr->u.array.values[i], depth + 1);
    if (!flat)
        xw_close(w, name);
}

static void put_map(const model_service_t *svc, xw_t *w, const char *name, const model_shape_t *sh, int flat, yajl_val obj,
                    int depth)
{
    const char *kname = sh->key_name ? sh->key_name : "key", *vname = sh->value_name ? sh->value_name : "value";
    const char *entry = flat ? name : "entry";
    if (!flat)
        xw_open(w, name, NULL);
    for (size_t i = 0; i < obj->u.object.len; i++) {
        xw_open(w, entry, NULL);
        xw_elemz(w, kname, obj->u.object.keys[i]);
        put_member(svc, w, vname, sh->value, 0, obj->u.object.values[i], depth + 1);
        xw_close(w, entry);
    }
    if (!flat)
        xw_close(w, name);
}

/* One value v of the given shape as element(s) called name. Values whose JSON
 * type does not fit the shape, and nulls, are left out. */
static void put_member(const model_service_t *svc, xw_t *w, const char *name, int shape, int member_flat, yajl_val v, int depth)
{
    const model_shape_t *sh = &svc->shapes[shape];
    int flat = member_flat || sh->flattened;
    if (depth >= QUERY_XML_MAX_DEPTH)
        return;
    switch (sh->type) {
    case SHAPE_STRUCTURE:
        if (YAJL_IS_OBJECT(v)) {
            xw_open(w, name, NULL);
            put_fields(svc, w, sh, v, depth + 1);
            xw_close(w, name);
        }
        return;
    case SHAPE_LIST:
        if (YAJL_IS_ARRAY(v))
            put_list(svc, w, name, sh, flat, v, depth);
        return;
    case SHAPE_MAP:
        if (YAJL_IS_OBJECT(v))
            put_map(svc, w, name, sh, flat, v, depth);
        return;
    default: {
        const char *text = scalar_text(v);
        if (text != NULL)
            xw_elemz(w, name, text);
    }
    }
}

/* Moves the writer's document into pool memory. */
static h2o_iovec_t to_pool(xw_t *w, h2o_mem_pool_t *pool)
{
    size_t len;
    char *doc = xw_take(w, &len);
    h2o_iovec_t r = {h2o_mem_alloc_pool(pool, len + 1), len};
    memcpy(r.base, doc, len + 1);
    free(doc);
    return r;
}

/* Parses the service's output; an empty text is {}. NULL when it is not an object. */
static yajl_val parse_output(const char *json, size_t len)
{
    char err[128];
    char *text = len ? strndup(json, len) : strdup("{}");
    if (text == NULL)
        return NULL;
    yajl_val root = yajl_tree_parse(text, err, sizeof(err));
    free(text);
    if (root != NULL && !YAJL_IS_OBJECT(root)) {
        yajl_tree_free(root);
        root = NULL;
    }
    return root;
}

h2o_iovec_t query_render_output(const model_service_t *svc, const model_op_t *op, const char *json, size_t len,
                                const char *request_id, h2o_mem_pool_t *pool)
{
    yajl_val root = parse_output(json, len);
    if (root == NULL)
        return (h2o_iovec_t){NULL, 0};
    char response[160], result[160];
    snprintf(response, sizeof(response), "%sResponse", op->name);
    snprintf(result, sizeof(result), "%sResult", op->name);
    xw_t w;
    xw_init(&w);
    xw_decl(&w);
    xw_open(&w, response, svc->xml_namespace);
    if (op->output >= 0) {
        const char *wrapper = op->result_wrapper ? op->result_wrapper : result;
        xw_open(&w, wrapper, NULL);
        put_fields(svc, &w, &svc->shapes[op->output], root, 0);
        xw_close(&w, wrapper);
    }
    xw_open(&w, "ResponseMetadata", NULL);
    xw_elemz(&w, "RequestId", request_id);
    xw_close(&w, "ResponseMetadata");
    xw_close(&w, response);
    yajl_tree_free(root);
    return to_pool(&w, pool);
}

h2o_iovec_t query_render_error(const model_service_t *svc, const char *code, const char *message, const char *request_id,
                               h2o_mem_pool_t *pool)
{
    int receiver =
        strcmp(code, "InternalFailure") == 0 || strcmp(code, "InternalError") == 0 || strcmp(code, "ServiceUnavailable") == 0;
    int s = model_find_shape(svc, code);
    if (s >= 0 && svc->shapes[s].exception) {
        if (svc->shapes[s].query_code != NULL)
            code = svc->shapes[s].query_code;
        receiver = !svc->shapes[s].sender_fault;
    }
    xw_t w;
    xw_init(&w);
    xw_decl(&w);
    xw_open(&w, "ErrorResponse", svc->xml_namespace);
    xw_open(&w, "Error", NULL);
    xw_elemz(&w, "Type", receiver ? "Receiver" : "Sender");
    xw_elemz(&w, "Code", code);
    xw_elemz(&w, "Message", message ? message : "");
    xw_open(&w, "Detail", NULL);
    xw_close(&w, "Detail");
    xw_close(&w, "Error");
    xw_elemz(&w, "RequestId", request_id);
    xw_close(&w, "ErrorResponse");
    return to_pool(&w, pool);
}
