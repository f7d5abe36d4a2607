/* test_ddb_eval.c - unit tests for services/dynamodb/ddb_eval.c: conditions
 * over real items (absent attributes, type mismatches, sets, lists, sizes),
 * projections of nested paths, updates (exact arithmetic, sets, lists,
 * nested paths, DynamoDB's error messages, changed paths) and key conditions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ddb_testutil.h"
#include "protocol/jsonw.h"
#include "services/dynamodb/ddb_eval.h"
#include "services/dynamodb/ddb_value.h"

static const char *ITEM =
    "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"5\"},\"f\":{\"N\":\"0.1\"},"
    "\"m\":{\"M\":{\"x\":{\"S\":\"hello\"},\"l\":{\"L\":[{\"N\":\"1\"},{\"S\":\"two\"},{\"BOOL\":true}]}}},"
    "\"ss\":{\"SS\":[\"a\",\"b\"]},\"ns\":{\"NS\":[\"1\",\"2.5\"]},\"b\":{\"B\":\"AQID\"},\"nul\":{\"NULL\":true}}";

static const char *VALUES = "{\":five\":{\"N\":\"5.0\"},\":one\":{\"N\":\"1\"},\":two\":{\"N\":\"2\"},\":s\":{\"S\":\"5\"},"
                            "\":he\":{\"S\":\"he\"},\":ell\":{\"S\":\"ell\"},\":a\":{\"S\":\"a\"},\":n25\":{\"N\":\"2.50\"},"
                            "\":tw\":{\"S\":\"two\"},\":NS\":{\"S\":\"NS\"},\":b01\":{\"B\":\"AQ==\"},\":len5\":{\"N\":\"5\"},"
                            "\":three\":{\"N\":\"3\"},\":lst\":{\"L\":[{\"N\":\"1\"},{\"S\":\"two\"},{\"BOOL\":true}]},"
                            "\":z\":{\"S\":\"z\"},\":ssab\":{\"SS\":[\"b\",\"a\"]},\":ssb\":{\"SS\":[\"b\",\"c\"]},"
                            "\":ns3\":{\"NS\":[\"3\",\"2.50\"]},\":e\":{\"L\":[]},\":l1\":{\"L\":[{\"S\":\"x\"}]},"
                            "\":big\":{\"N\":\"12345678901234567890123456789012345678\"},\":tenth\":{\"N\":\"0.2\"},"
                            "\":max\":{\"N\":\"9.9999999999999999999999999999999999999E+125\"}}";

static yajl_val item, values;

static ddb_expr_ctx_t ctx_new(void)
{
    ddb_expr_ctx_t ctx;
    if (ddb_expr_init(&ctx, &pool, NULL, values, DDB_LAYER_OLDER) != 0) {
        fprintf(stderr, "ctx: %s\n", ctx.error);
        exit(2);
    }
    return ctx;
}

#define expect_cond(text, on, want) expect_cond_at(__LINE__, text, on, want)
static void expect_cond_at(int line, const char *text, yajl_val on, int want)
{
    ddb_expr_ctx_t ctx = ctx_new();
    ddb_node_t *n = ddb_expr_parse_condition(&ctx, DDB_EXPR_CONDITION, text);
    if (n == NULL) {
        check_failed++;
        fprintf(stderr, "line %d: '%s' does not parse: %s\n", line, text, ctx.error);
        return;
    }
    int got = ddb_eval_condition(n, on);
    if (got != want) {
        check_failed++;
        fprintf(stderr, "line %d: '%s' = %d, want %d\n", line, text, got, want);
    }
}

static void test_conditions(void)
{
    expect_cond("n = :five", item, 1); /* numbers compare numerically */
    expect_cond("n <> :five", item, 0);
    expect_cond("n = :s", item, 0); /* N vs S: not equal ... */
    expect_cond("n <> :s", item, 1);
    expect_cond("n < :s", item, 0); /* ... and not ordered either way */
    expect_cond("n >= :s", item, 0);
    expect_cond("NOT n < :s", item, 1);
    expect_cond("absent = :one", item, 0);
    expect_cond("absent <> :one", item, 1);
    expect_cond("absent < :one", item, 0);
    expect_cond("n > :one AND n <= :five", item, 1);
    expect_cond("n BETWEEN :one AND :five", item, 1);
    expect_cond("n BETWEEN :one AND :two", item, 0);
    expect_cond("id BETWEEN :one AND :five", item, 0);
    expect_cond("n IN (:one, :two, :five)", item, 1);
    expect_cond("n IN (:one, :two)", item, 0);
    expect_cond("absent IN (:one)", item, 0);
    expect_cond("attribute_exists(m.l[2])", item, 1);
    expect_cond("attribute_exists(m.l[3])", item, 0);
    expect_cond("attribute_exists(m.x.y)", item, 0);
    expect_cond("attribute_not_exists(m.nope)", item, 1);
    expect_cond("attribute_type(ns, :NS)", item, 1);
    expect_cond("attribute_type(ss, :NS)", item, 0);
    expect_cond("begins_with(m.x, :he)", item, 1);
    expect_cond("begins_with(m.x, :ell)", item, 0);
    expect_cond("begins_with(b, :b01)", item, 1);
    expect_cond("begins_with(n, :s)", item, 0);
    expect_cond("contains(m.x, :ell)", item, 1);
    expect_cond("contains(ss, :a)", item, 1);
    expect_cond("contains(ss, :z)", item, 0);
    expect_cond("contains(ns, :n25)", item, 1);
    expect_cond("contains(m.l, :tw)", item, 1);
    expect_cond("contains(m.l, :a)", item, 0);
    expect_cond("size(m.x) = :len5", item, 1);
    expect_cond("size(ss) = :two", item, 1);
    expect_cond("size(m.l) = :three", item, 1);
    expect_cond("size(m) = :two", item, 1);
    expect_cond("size(b) = :three", item, 1);
    expect_cond("size(n) = :one", item, 0);
    expect_cond("NOT size(n) = :one", item, 1);
    expect_cond("size(absent) < :one", item, 0);
    expect_cond("m.l = :lst", item, 1);
    expect_cond("m.l[1] = :tw OR absent = :one", item, 1);
    expect_cond("(n = :one OR n = :five) AND NOT attribute_exists(zz)", item, 1);
    /* no item at all */
    expect_cond("attribute_not_exists(id)", NULL, 1);
    expect_cond("attribute_exists(id)", NULL, 0);
    expect_cond("id <> :a", NULL, 1);
}

static void expect_projection(const char *text, const char *want)
{
    ddb_expr_ctx_t ctx;
    ddb_expr_init(&ctx, &pool, json("{\"#l\":\"l\"}"), NULL, DDB_LAYER_OLDER);
    ddb_projection_t *p = ddb_expr_parse_projection(&ctx, text);
    CHECK(p != NULL, "projection %s: %s", text, ctx.error);
    if (p == NULL)
        return;
    const char *got = item_json(ddb_eval_project(&pool, p, item));
    CHECK(strcmp(got, want) == 0, "projection %s:\n  got  %s\n  want %s", text, got, want);
}

static void test_projections(void)
{
    expect_projection("id, n", "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"5\"}}");
    expect_projection(
        "m.#l[2], id, m.x, m.#l[0], nothere, m.nope",
        "{\"m\":{\"M\":{\"l\":{\"L\":[{\"N\":\"1\"},{\"BOOL\":true}]},\"x\":{\"S\":\"hello\"}}},\"id\":{\"S\":\"a\"}}");
    expect_projection("m.#l[7], zz", "{}");
    expect_projection("ns", "{\"ns\":{\"NS\":[\"1\",\"2.5\"]}}");
}

/* Applies an update to ITEM; returns the new item's JSON or "ERR: <message>". */
static const char *apply(const char *text, ddb_projection_t **changed)
{
    ddb_expr_ctx_t ctx;
    ddb_expr_init(&ctx, &pool, json("{\"#l\":\"l\"}"), values, DDB_LAYER_OLDER);
    ddb_update_t *u = ddb_expr_parse_update(&ctx, text);
    if (u == NULL)
        return ctx.error;
    yajl_val out;
    const char *err;
    if (ddb_eval_update(&pool, u, item, &out, changed, &err) != 0) {
        size_t len = strlen(err) + 6;
        char *s = h2o_mem_alloc_pool(&pool, len);
        snprintf(s, len, "ERR: %s", err);
        return s;
    }
    return item_json(out);
}

#define expect_update(text, want) expect_update_at(__LINE__, text, want)
static void expect_update_at(int line, const char *text, const char *want)
{
    const char *got = apply(text, NULL);
    if (strcmp(got, want) != 0) {
        check_failed++;
        fprintf(stderr, "line %d: update '%s':\n  got  %s\n  want %s\n", line, text, got, want);
    }
}

static void test_updates(void)
{
    const char *before = item_json(item);
    const char *BAD_PATH = "ERR: The document path provided in the update expression is invalid for update";
    const char *BAD_TYPE = "ERR: An operand in the update expression has an incorrect data type";
    const char *rest =
        "\"m\":{\"M\":{\"x\":{\"S\":\"hello\"},\"l\":{\"L\":[{\"N\":\"1\"},{\"S\":\"two\"},{\"BOOL\":true}]}}},"
        "\"ss\":{\"SS\":[\"a\",\"b\"]},\"ns\":{\"NS\":[\"1\",\"2.5\"]},\"b\":{\"B\":\"AQID\"},\"nul\":{\"NULL\":true}";
    char want[2048];

    /* exact arithmetic; every operand reads the old item */
    snprintf(want, sizeof(want), "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"5.3\"},\"f\":{\"N\":\"4.9\"},%s}", rest);
    expect_update("SET n = n + f + :tenth", "Invalid UpdateExpression: Syntax error; token: \"+\", near: \"f + :tenth\"");
    snprintf(want, sizeof(want), "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"0.4\"},\"f\":{\"N\":\"4.9\"},%s}", rest);
    expect_update("SET f = n - f, n = :tenth + :tenth", want);
    snprintf(want, sizeof(want),
             "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"12345678901234567890123456789012345683\"},\"f\":{\"N\":\"0.1\"},%s}", rest);
    expect_update("SET n = :big + n", want);
    CHECK(strncmp(apply("SET n = :big + f", NULL), "ERR: ", 5) == 0, "39 significant digits must fail");
    expect_update("ADD n :max", "ERR: Number overflow. Attempting to store a number with magnitude larger than supported range");
    expect_update("SET x = absent + :one", "ERR: The provided expression refers to an attribute that does not exist in the item");
    expect_update("SET x = id + :one", BAD_TYPE);
    expect_update("SET x = list_append(n, :l1)", BAD_TYPE);

    /* nested paths */
    expect_update("SET absent.y = :one", BAD_PATH);
    expect_update("SET n.y = :one", BAD_PATH);
    expect_update("SET m.x[0] = :one", BAD_PATH);
    expect_update("SET m.#l.y = :one", BAD_PATH);
    snprintf(want, sizeof(want),
             "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"5\"},\"f\":{\"N\":\"0.1\"},\"m\":{\"M\":{\"x\":{\"S\":\"a\"},\"l\":{\"L\":"
             "[{\"N\":\"1\"},{\"N\":\"5\"},{\"BOOL\":true},{\"S\":\"z\"}]},\"nw\":{\"N\":\"1\"}}},"
             "\"ss\":{\"SS\":[\"a\",\"b\"]},\"ns\":{\"NS\":[\"1\",\"2.5\"]},\"b\":{\"B\":\"AQID\"},\"nul\":{\"NULL\":true}}");
    expect_update("SET m.x = id, m.#l[1] = n, m.#l[10] = :z, m.nw = :one", want);

    /* REMOVE: attributes, map members, list elements (old indexes), absent paths */
    snprintf(want, sizeof(want),
             "{\"id\":{\"S\":\"a\"},\"f\":{\"N\":\"0.1\"},\"m\":{\"M\":{\"l\":{\"L\":[{\"S\":\"two\"}]}}},"
             "\"ss\":{\"SS\":[\"a\",\"b\"]},\"ns\":{\"NS\":[\"1\",\"2.5\"]},\"b\":{\"B\":\"AQID\"},\"nul\":{\"NULL\":true}}");
    expect_update("REMOVE n, m.x, m.#l[0], m.#l[2], m.#l[9], absent", want);
    expect_update("REMOVE n.x", BAD_PATH);
    expect_update("REMOVE absent2.deeper", BAD_PATH);
    expect_update("REMOVE m.absent.x", BAD_PATH);

    /* ADD and DELETE on numbers and sets */
    snprintf(want, sizeof(want),
             "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"6\"},\"f\":{\"N\":\"0.1\"},%.*s\"ss\":{\"SS\":[\"a\",\"b\",\"c\"]},"
             "\"ns\":{\"NS\":[\"1\",\"2.5\",\"3\"]},\"b\":{\"B\":\"AQID\"},\"nul\":{\"NULL\":true},\"cnt\":{\"N\":\"1\"}}",
             (int)(strstr(rest, "\"ss\"") - rest), rest);
    expect_update("ADD n :one, ss :ssb, ns :ns3, cnt :one", want);
    expect_update("ADD id :one", BAD_TYPE);
    expect_update("ADD ss :ns3", BAD_TYPE);
    expect_update("ADD absent.x :one", BAD_PATH);
    snprintf(want, sizeof(want),
             "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"5\"},\"f\":{\"N\":\"0.1\"},%.*s\"ns\":{\"NS\":[\"1\"]},"
             "\"b\":{\"B\":\"AQID\"},\"nul\":{\"NULL\":true}}",
             (int)(strstr(rest, "\"ss\"") - rest), rest);
    expect_update("DELETE ss :ssab, ns :ns3, absent :ssb", want);
    expect_update("DELETE ns :ssb", BAD_TYPE);

    /* if_not_exists and list_append */
    snprintf(want, sizeof(want),
             "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"5\"},\"f\":{\"N\":\"0.1\"},%s,\"nl\":{\"L\":[{\"S\":\"x\"}]},"
             "\"c\":{\"N\":\"1\"}}",
             rest);
    expect_update("SET nl = list_append(if_not_exists(nl, :e), :l1), n = if_not_exists(n, :two), c = if_not_exists(c, :one)", want);

    /* changed paths, for UPDATED_OLD / UPDATED_NEW */
    ddb_projection_t *changed;
    CHECK(apply("SET m.#l[10] = :z, n = :one REMOVE absent, f", &changed) != NULL && changed != NULL && changed->n == 3,
          "3 changed paths, got %zu", changed ? changed->n : 0);
    if (changed != NULL && changed->n == 3) {
        CHECK(changed->paths[1].n == 3 && changed->paths[1].elems[2].index == 10, "an append is noted as written (after n)");
        CHECK(strcmp(item_json(ddb_eval_project(&pool, changed, item)), "{\"n\":{\"N\":\"5\"},\"f\":{\"N\":\"0.1\"}}") == 0,
              "UPDATED_OLD %s", item_json(ddb_eval_project(&pool, changed, item)));
    }

    /* a new item */
    ddb_expr_ctx_t ctx = ctx_new();
    ddb_update_t *u = ddb_expr_parse_update(&ctx, "SET a = :one ADD s :ssb");
    yajl_val out;
    const char *err;
    CHECK(u != NULL && ddb_eval_update(&pool, u, NULL, &out, NULL, &err) == 0 &&
              strcmp(item_json(out), "{\"a\":{\"N\":\"1\"},\"s\":{\"SS\":[\"b\",\"c\"]}}") == 0,
          "new item");

    /* the input item is never modified */
    CHECK(strcmp(before, item_json(item)) == 0, "input item changed: %s", item_json(item));
}

static void test_key_parts(void)
{
    ddb_key_part_t p = {.name = "sk", .op = DDB_KEY_BETWEEN};
    p.values[0] = json("{\"N\":\"1\"}");
    p.values[1] = json("{\"N\":\"10\"}");
    CHECK(ddb_eval_key_part(&p, json("{\"N\":\"10.0\"}")) == 1, "between upper bound");
    CHECK(ddb_eval_key_part(&p, json("{\"N\":\"10.5\"}")) == 0, "between above");
    CHECK(ddb_eval_key_part(&p, json("{\"S\":\"5\"}")) == 0, "between other type");
    yajl_val lo, hi;
    int lo_incl, hi_incl;
    ddb_eval_key_bounds(&p, &lo, &lo_incl, &hi, &hi_incl);
    CHECK(lo == p.values[0] && hi == p.values[1] && lo_incl && hi_incl, "between bounds");
    p.op = DDB_KEY_LT;
    ddb_eval_key_bounds(&p, &lo, &lo_incl, &hi, &hi_incl);
    CHECK(lo == NULL && hi == p.values[0] && !hi_incl, "lt bounds");
    CHECK(ddb_eval_key_part(&p, json("{\"N\":\"0.5\"}")) == 1 && ddb_eval_key_part(&p, p.values[0]) == 0, "lt");
    p.op = DDB_KEY_BEGINS_WITH;
    p.values[0] = json("{\"S\":\"ab\"}");
    CHECK(ddb_eval_key_part(&p, json("{\"S\":\"abc\"}")) == 1 && ddb_eval_key_part(&p, json("{\"S\":\"b\"}")) == 0, "begins_with");
    ddb_eval_key_bounds(&p, &lo, &lo_incl, &hi, &hi_incl);
    CHECK(lo == p.values[0] && lo_incl && hi == NULL, "begins_with bounds");
}

int main(void)
{
    h2o_mem_init_pool(&pool);
    item = json(ITEM);
    values = json(VALUES);
    test_conditions();
    test_projections();
    test_updates();
    test_key_parts();
    ddb_test_cleanup();
    return check_summary();
}
