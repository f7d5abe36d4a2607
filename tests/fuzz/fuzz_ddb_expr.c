/* fuzz_ddb_expr.c - DynamoDB expressions: the request parser (names, values,
 * update, condition, key condition, filter, projection), key-condition checks
 * against a fixed schema, and evaluation of every parsed expression over a
 * small fixed item, no item, and (when it is a valid item) an item from the
 * input. An update that succeeds must give an item that passes validation.
 * Input, one field per line: ExpressionAttributeNames JSON,
 * ExpressionAttributeValues JSON, item JSON, UpdateExpression,
 * ConditionExpression, KeyConditionExpression, FilterExpression,
 * ProjectionExpression (empty = absent; the last field takes the rest).
 * When the names field is "*", fixed rich name and value maps are used and
 * each expression is parsed on its own, without the request's "unused" check,
 * so that mutations of the expressions alone reach the evaluator. */
#include <stdio.h>

#include "fuzz.h"
#include "services/dynamodb/ddb_eval.h"
#include "services/dynamodb/ddb_value.h"

static const char fixed_item[] =
    "{\"id\":{\"S\":\"k1\"},\"n\":{\"N\":\"5\"},\"s\":{\"S\":\"hello\"},\"b\":{\"B\":\"AAEC\"},\"t\":{\"BOOL\":true},"
    "\"z\":{\"NULL\":true},\"l\":{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"},{\"L\":[{\"N\":\"2\"}]}]},"
    "\"m\":{\"M\":{\"a\":{\"N\":\"-1.5\"},\"c\":{\"M\":{\"d\":{\"SS\":[\"p\",\"q\"]}}}}},"
    "\"ss\":{\"SS\":[\"a\",\"b\"]},\"ns\":{\"NS\":[\"1\",\"2.5\"]},\"bs\":{\"BS\":[\"AA==\"]}}";

static const char fixed_names[] = "{\"#a\":\"a\",\"#n\":\"n\",\"#l\":\"l\",\"#m\":\"m\",\"#s\":\"ss\",\"#k\":\"id\"}";
static const char fixed_values[] =
    "{\":s\":{\"S\":\"he\"},\":n\":{\"N\":\"2\"},\":b\":{\"B\":\"AAE=\"},\":t\":{\"BOOL\":false},\":z\":{\"NULL\":true},"
    "\":l\":{\"L\":[{\"S\":\"x\"}]},\":m\":{\"M\":{\"a\":{\"N\":\"1\"}}},\":ss\":{\"SS\":[\"a\",\"z\"]},"
    "\":ns\":{\"NS\":[\"1\",\"7\"]},\":bs\":{\"BS\":[\"AA==\"]},\":big\":{\"N\":\"9.9999999999999999999999999999999999999E+125\"},"
    "\":ty\":{\"S\":\"SS\"},\":k\":{\"S\":\"k1\"}}";

/* Each expression on its own (no "unused" check); NULL outputs for failures. */
static void parse_each(ddb_expr_ctx_t *ctx, ddb_expr_request_t *req)
{
    req->update_ast = req->update ? ddb_expr_parse_update(ctx, req->update) : NULL;
    req->condition_ast = req->condition ? ddb_expr_parse_condition(ctx, DDB_EXPR_CONDITION, req->condition) : NULL;
    req->key_condition_ast = req->key_condition ? ddb_expr_parse_condition(ctx, DDB_EXPR_KEY_CONDITION, req->key_condition) : NULL;
    req->filter_ast = req->filter ? ddb_expr_parse_condition(ctx, DDB_EXPR_FILTER, req->filter) : NULL;
    req->projection_ast = req->projection ? ddb_expr_parse_projection(ctx, req->projection) : NULL;
}

static void eval_all(h2o_mem_pool_t *pool, const ddb_expr_request_t *req, yajl_val item)
{
    if (req->condition_ast)
        ddb_eval_condition(req->condition_ast, item);
    if (req->filter_ast)
        ddb_eval_condition(req->filter_ast, item);
    if (req->key_condition_ast)
        ddb_eval_condition(req->key_condition_ast, item);
    if (req->projection_ast) {
        yajl_val p = ddb_eval_project(pool, req->projection_ast, item);
        const char *msg;
        if (p != NULL && ddb_item_validate_in(pool, p, DDB_LAYER_CURRENT, &msg) != 0) {
            fprintf(stderr, "projection of a valid item is invalid: %s\n", msg);
            abort();
        }
    }
    if (req->update_ast) {
        yajl_val out = NULL;
        ddb_projection_t *changed = NULL;
        const char *err = NULL, *msg;
        if (ddb_eval_update(pool, req->update_ast, item, &out, &changed, &err) == 0) {
            if (out == NULL ||
                (ddb_item_validate_in(pool, out, DDB_LAYER_CURRENT, &msg) != 0 && strcmp(msg, DDB_MSG_NESTING) != 0)) {
                fprintf(stderr, "update gave an invalid item: %s\n", out ? msg : "(null)");
                abort();
            }
            if (changed != NULL) {
                ddb_eval_project(pool, changed, item);
                ddb_eval_project(pool, changed, out);
            }
        } else if (err == NULL) {
            abort();
        }
    }
}

static void key_condition(ddb_expr_ctx_t *ctx, const ddb_expr_request_t *req, yajl_val item)
{
    /* a one-attribute schema (id; n), then a multi-attribute one (id, n; s, t) */
    static const ddb_key_name_t hash[] = {{"id", "S"}, {"n", "N"}}, range[] = {{"n", "N"}}, range2[] = {{"s", "S"}, {"t", "N"}};
    ddb_key_cond_t kc;
    if (ddb_expr_key_condition(ctx, req->key_condition_ast, 0, &kc) != 0)
        return;
    if (ddb_expr_key_resolve(ctx, &kc, hash, 1, range, 1) != 0 && ddb_expr_key_resolve(ctx, &kc, hash, 1, NULL, 0) != 0 &&
        ddb_expr_key_resolve(ctx, &kc, hash, 2, range2, 2) != 0)
        return;
    for (size_t i = 0; i < kc.nhash; i++)
        ddb_eval_key_part(kc.hash[i], in_get(item, kc.hash[i]->name));
    for (size_t i = 0; i < kc.nrange; i++) {
        yajl_val lo, hi;
        int lo_incl, hi_incl;
        ddb_eval_key_part(kc.range[i], in_get(item, kc.range[i]->name));
        ddb_eval_key_bounds(kc.range[i], &lo, &lo_incl, &hi, &hi_incl);
        unsigned char key[DDB_KEY_COMPONENT_MAX];
        if (lo != NULL)
            ddb_key_encode_component(lo, key, sizeof(key));
        if (hi != NULL)
            ddb_key_encode(hi, key, sizeof(key));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const char *f[8], *msg;
    fuzz_fields(&pool, data, size, f, 8);
    ddb_expr_ctx_t ctx;
    ddb_expr_request_t req = {fuzz_opt(f[3]), fuzz_opt(f[4]), fuzz_opt(f[5]), fuzz_opt(f[6]), fuzz_opt(f[7])};
    int fixed_maps = strcmp(f[0], "*") == 0;
    if (fixed_maps) {
        f[0] = fixed_names;
        f[1] = fixed_values;
    }
    if (ddb_expr_init(&ctx, &pool, fuzz_json_shape(&pool, &model_dynamodb, "ExpressionAttributeNameMap", f[0]),
                      fuzz_json_shape(&pool, &model_dynamodb, "ExpressionAttributeValueMap", f[1]), DDB_LAYER_CURRENT) == 0 &&
        (fixed_maps ? (parse_each(&ctx, &req), 0) : ddb_expr_parse_request(&ctx, &req)) == 0) {
        yajl_val fixed = fuzz_json(&pool, fixed_item);
        yajl_val item = fuzz_json_shape(&pool, &model_dynamodb, "AttributeMap", f[2]);
        if (req.key_condition_ast)
            key_condition(&ctx, &req, fixed);
        eval_all(&pool, &req, fixed);
        eval_all(&pool, &req, NULL);
        if (item != NULL && ddb_item_validate_in(&pool, item, DDB_LAYER_CURRENT, &msg) == 0)
            eval_all(&pool, &req, item);
    } else if (ctx.error == NULL) {
        abort();
    }
    h2o_mem_clear_pool(&pool);
    return 0;
}
