/* test_ddb_expr.c - unit tests for services/dynamodb/ddb_expr.c: the grammar
 * of the five DynamoDB expression kinds, the ASTs, and DynamoDB's exact
 * ValidationException messages (syntax, reserved words, names and values,
 * functions, operand types, paths, key-condition shape and schema). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ddb_testutil.h"
#include "services/dynamodb/ddb_expr.h"

/* A request context over names/values JSON (either may be NULL). */
static ddb_expr_ctx_t ctx_for(const char *names, const char *values)
{
    ddb_expr_ctx_t ctx;
    int rc = ddb_expr_init(&ctx, &pool, json(names), json(values), DDB_LAYER_OLDER);
    if (rc != 0) {
        fprintf(stderr, "ctx init failed: %s\n", ctx.error);
        exit(2);
    }
    return ctx;
}

static const char *kind_names[] = {"condition", "filter", "key condition", "update", "projection"};

/* Parses text as kind; returns NULL on success or the error message. */
static const char *parse(ddb_expr_ctx_t *ctx, ddb_expr_kind_t kind, const char *text)
{
    int ok;
    if (kind == DDB_EXPR_UPDATE)
        ok = ddb_expr_parse_update(ctx, text) != NULL;
    else if (kind == DDB_EXPR_PROJECTION)
        ok = ddb_expr_parse_projection(ctx, text) != NULL;
    else
        ok = ddb_expr_parse_condition(ctx, kind, text) != NULL;
    return ok ? NULL : ctx->error;
}

#define expect_error(kind, names, values, text, want) expect_error_at(__LINE__, kind, names, values, text, want)
static void expect_error_at(int line, ddb_expr_kind_t kind, const char *names, const char *values, const char *text,
                            const char *want)
{
    ddb_expr_ctx_t ctx = ctx_for(names, values);
    const char *got = parse(&ctx, kind, text);
    if (got == NULL || strcmp(got, want) != 0) {
        check_failed++;
        fprintf(stderr, "line %d: %s '%s':\n  got  %s\n  want %s\n", line, kind_names[kind], text, got ? got : "(success)", want);
    }
}

#define expect_ok(kind, names, values, text) expect_ok_at(__LINE__, kind, names, values, text)
static void expect_ok_at(int line, ddb_expr_kind_t kind, const char *names, const char *values, const char *text)
{
    ddb_expr_ctx_t ctx = ctx_for(names, values);
    const char *got = parse(&ctx, kind, text);
    if (got != NULL) {
        check_failed++;
        fprintf(stderr, "line %d: %s '%s': unexpected error %s\n", line, kind_names[kind], text, got);
    }
}

static const char *V1 = "{\":v\":{\"S\":\"x\"}}";

static void test_reserved_words(void)
{
    CHECK(ddb_expr_is_reserved("status", 6), "status is reserved");
    CHECK(ddb_expr_is_reserved("ZONE", 4), "ZONE is reserved");
    CHECK(ddb_expr_is_reserved("abort", 5), "abort is reserved");
    CHECK(!ddb_expr_is_reserved("statuses", 8), "statuses is not reserved");
    CHECK(!ddb_expr_is_reserved("id", 2), "id is not reserved");
    expect_error(DDB_EXPR_CONDITION, NULL, V1, "status = :v",
                 "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "SET Name = :v",
                 "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Name");
    expect_error(DDB_EXPR_PROJECTION, NULL, NULL, "id, a.size",
                 "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: size");
    expect_ok(DDB_EXPR_CONDITION, "{\"#s\":\"status\"}", V1, "#s = :v");
}

static void test_syntax_errors(void)
{
    expect_error(DDB_EXPR_CONDITION, NULL, NULL, "foo",
                 "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\"");
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "SET path = VALUE 1",
                 "Invalid UpdateExpression: Syntax error; token: \"1\", near: \"VALUE 1\"");
    expect_error(DDB_EXPR_KEY_CONDITION, NULL, "{\":hashId\":{\"S\":\"x\"}}", "id = :hashId a",
                 "Invalid KeyConditionExpression: Syntax error; token: \"a\", near: \":hashId a\"");
    expect_error(DDB_EXPR_CONDITION, NULL, V1, "pk = !!",
                 "Invalid ConditionExpression: Syntax error; token: \"!\", near: \"= !!\"");
    expect_error(DDB_EXPR_CONDITION, NULL, V1, "a == :v",
                 "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"== :v\"");
    expect_error(DDB_EXPR_FILTER, NULL, NULL, "a < ", "Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"<\"");
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "SET a = :v + :v + :v",
                 "Invalid UpdateExpression: Syntax error; token: \"+\", near: \":v + :v\"");
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "PUT a = :v",
                 "Invalid UpdateExpression: Syntax error; token: \"PUT\", near: \"PUT a\"");
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "SET a[-1] = :v",
                 "Invalid UpdateExpression: Syntax error; token: \"-\", near: \"[-1\"");
    expect_error(DDB_EXPR_CONDITION, NULL, V1, "a = :v AND",
                 "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
    expect_error(DDB_EXPR_CONDITION, NULL, V1, "a + 1 = :v",
                 "Invalid ConditionExpression: Syntax error; token: \"+\", near: \"a + 1\"");
    expect_error(DDB_EXPR_PROJECTION, NULL, NULL, "a,",
                 "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
    expect_error(DDB_EXPR_UPDATE, NULL, NULL, "   ", "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"\"");
    /* reserved-word checks come after the whole expression parsed */
    expect_error(DDB_EXPR_CONDITION, NULL, V1, "status = :v AND (",
                 "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"(\"");
}

static void test_limits_and_empty(void)
{
    expect_error(DDB_EXPR_KEY_CONDITION, NULL, NULL, "", "Invalid KeyConditionExpression: The expression can not be empty;");
    expect_error(DDB_EXPR_PROJECTION, NULL, NULL, "", "Invalid ProjectionExpression: The expression can not be empty;");
    char big[4200];
    memset(big, 'a', sizeof(big));
    big[4096] = '\0';
    expect_ok(DDB_EXPR_PROJECTION, NULL, NULL, big);
    big[4096] = 'a';
    big[4097] = '\0';
    expect_error(DDB_EXPR_FILTER, NULL, NULL, big,
                 "Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 4097");
    expect_error(DDB_EXPR_PROJECTION, NULL, NULL, big,
                 "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;");
    expect_error(DDB_EXPR_KEY_CONDITION, NULL, NULL, big,
                 "Invalid KeyConditionExpression: Expression size has exceeded the maximum allowed size;");
    /* nesting deeper than the grammar allows fails cleanly */
    char deep[4001];
    memset(deep, '(', 4000);
    deep[4000] = '\0';
    ddb_expr_ctx_t ctx = ctx_for(NULL, NULL);
    CHECK(ddb_expr_parse_condition(&ctx, DDB_EXPR_CONDITION, deep) == NULL && strstr(ctx.error, "Syntax error") != NULL,
          "deep nesting: %s", ctx.error);
    /* IN takes at most 100 operands */
    char in[1200] = "a IN (";
    for (int i = 0; i < 101; i++)
        strcat(in, i ? ",:v" : ":v");
    strcat(in, ")");
    expect_error(DDB_EXPR_CONDITION, NULL, V1, in,
                 "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101");
    in[strlen(in) - 4] = ')';
    in[strlen(in) - 3] = '\0';
    expect_ok(DDB_EXPR_CONDITION, NULL, V1, in);
    expect_error(DDB_EXPR_PROJECTION, NULL, NULL, "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a",
                 "Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33");
}

static void test_names_and_values(void)
{
    expect_error(
        DDB_EXPR_CONDITION, NULL, NULL, "s = :v",
        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v");
    expect_error(
        DDB_EXPR_CONDITION, NULL, V1, "#x = :v",
        "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x");
    expect_error(
        DDB_EXPR_UPDATE, NULL, NULL, "SET #a = :b",
        "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #a");

    ddb_expr_ctx_t ctx;
    CHECK(ddb_expr_init(&ctx, &pool, json("{}"), NULL, DDB_LAYER_OLDER) == -1 &&
              strcmp(ctx.error, "ExpressionAttributeNames must not be empty") == 0,
          "empty names: %s", ctx.error);
    CHECK(ddb_expr_init(&ctx, &pool, NULL, json("{}"), DDB_LAYER_OLDER) == -1 &&
              strcmp(ctx.error, "ExpressionAttributeValues must not be empty") == 0,
          "empty values: %s", ctx.error);
    CHECK(ddb_expr_init(&ctx, &pool, json("{\"a\":\"a\"}"), NULL, DDB_LAYER_OLDER) == -1 &&
              strcmp(ctx.error, "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"") == 0,
          "bad name key: %s", ctx.error);
    CHECK(ddb_expr_init(&ctx, &pool, NULL, json("{\"a\":{\"S\":\"b\"}}"), DDB_LAYER_OLDER) == -1 &&
              strcmp(ctx.error, "ExpressionAttributeValues contains invalid key: Syntax error; key: \"a\"") == 0,
          "bad value key: %s", ctx.error);
    CHECK(ddb_expr_init(&ctx, &pool, NULL, json("{\":a\":{\"N\":\"abc\"}}"), DDB_LAYER_OLDER) == -1 &&
              strcmp(
                  ctx.error,
                  "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: abc for "
                  "key :a") == 0,
          "bad value: %s", ctx.error);

    /* unused names, then unused values, across all expressions of a request */
    ctx = ctx_for("{\"#a\":\"a\",\"#b\":\"b\",\"#c\":\"c\"}", "{\":x\":{\"S\":\"1\"},\":y\":{\"S\":\"2\"}}");
    CHECK(ddb_expr_parse_condition(&ctx, DDB_EXPR_CONDITION, "#a = :x") != NULL, "parse: %s", ctx.error);
    CHECK(ddb_expr_check_unused(&ctx) == -1 &&
              strcmp(ctx.error, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #c}") == 0,
          "unused names: %s", ctx.error);
    CHECK(ddb_expr_parse_projection(&ctx, "#b, #c") != NULL, "parse: %s", ctx.error);
    CHECK(ddb_expr_check_unused(&ctx) == -1 &&
              strcmp(ctx.error, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}") == 0,
          "unused values: %s", ctx.error);
    CHECK(ddb_expr_parse_update(&ctx, "SET z = :y") != NULL, "parse: %s", ctx.error);
    CHECK(ddb_expr_check_unused(&ctx) == 0, "all used: %s", ctx.error);

    /* the whole request in DynamoDB's order: the update's error wins */
    ctx = ctx_for(NULL, V1);
    ddb_expr_request_t req = {.update = "SET status = :v", .condition = "foo"};
    CHECK(ddb_expr_parse_request(&ctx, &req) == -1 &&
              strcmp(ctx.error, "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status") == 0,
          "request order: %s", ctx.error);
    ctx = ctx_for("{\"#n\":\"n\"}", V1);
    req = (ddb_expr_request_t){.condition = "attribute_exists(a)", .projection = "#n"};
    CHECK(ddb_expr_parse_request(&ctx, &req) == -1 &&
              strcmp(ctx.error, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}") == 0,
          "request unused: %s", ctx.error);
    ctx = ctx_for("{\"#n\":\"n\"}", V1);
    req = (ddb_expr_request_t){.filter = "a = :v", .projection = "#n, b"};
    CHECK(ddb_expr_parse_request(&ctx, &req) == 0 && req.filter_ast != NULL && req.projection_ast != NULL &&
              req.condition_ast == NULL,
          "request ok: %s", ctx.error);
}

static void test_functions(void)
{
    expect_error(DDB_EXPR_CONDITION, NULL, NULL, "foo(s)", "Invalid ConditionExpression: Invalid function name; function: foo");
    expect_error(DDB_EXPR_CONDITION, NULL, NULL, "attribute_exists(s, n)",
                 "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: "
                 "attribute_exists, number of operands: 2");
    expect_error(DDB_EXPR_CONDITION, NULL, V1, "a < if_not_exists(c, :v)",
                 "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists");
    expect_error(DDB_EXPR_UPDATE, NULL, NULL, "SET a = size(b)",
                 "Invalid UpdateExpression: The function is not allowed in an update expression; function: size");
    expect_error(DDB_EXPR_UPDATE, NULL, NULL, "SET a = foo(b)", "Invalid UpdateExpression: Invalid function name; function: foo");
    expect_error(DDB_EXPR_CONDITION, NULL, NULL, "size(a)",
                 "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size");
    expect_error(DDB_EXPR_CONDITION, NULL, V1, "attribute_exists(a) = :v",
                 "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: "
                 "attribute_exists");
    expect_error(
        DDB_EXPR_CONDITION, NULL, V1, "attribute_exists(:v)",
        "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists");
    expect_error(DDB_EXPR_CONDITION, NULL, "{\":n\":{\"N\":\"1\"}}", "begins_with(a, :n)",
                 "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, "
                 "operand type: N");
    expect_error(
        DDB_EXPR_CONDITION, NULL, "{\":t\":{\"S\":\"X\"}}", "attribute_type(a, :t)",
        "Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
    expect_error(DDB_EXPR_KEY_CONDITION, NULL, NULL, "attribute_type(a, b)",
                 "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: "
                 "attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
    expect_error(
        DDB_EXPR_CONDITION, NULL, "{\":n\":{\"N\":\"1\"}}", "size(:n) > :n",
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand "
        "type: N");
    expect_error(DDB_EXPR_CONDITION, NULL, NULL, "a = a",
                 "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or "
                 "function; operator: =, first operand: [a]");
    expect_error(DDB_EXPR_CONDITION, NULL, NULL, "contains(a.b[1], a.b[1])",
                 "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or "
                 "function; operator: contains, first operand: [a, b, [1]]");
    expect_error(DDB_EXPR_CONDITION, NULL, V1, "((a = :v))",
                 "Invalid ConditionExpression: The expression has redundant parentheses;");
    expect_ok(DDB_EXPR_CONDITION, NULL, V1, "(a = :v)");
    expect_ok(DDB_EXPR_CONDITION, NULL, V1, "((a = :v) AND (b = :v)) OR c = :v");
    expect_ok(DDB_EXPR_CONDITION, NULL, "{\":t\":{\"S\":\"SS\"}}", "attribute_type(a, :t) AND size(b) > size(c)");
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "SET a = list_append(:v, b)",
                 "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, "
                 "operand type: S");
    expect_error(
        DDB_EXPR_UPDATE, NULL, V1, "SET a = :v + b",
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S");
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "SET a = if_not_exists(:v, b)",
                 "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists");
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "SET a = if_not_exists(b)",
                 "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: "
                 "if_not_exists, number of operands: 1");
    expect_ok(DDB_EXPR_UPDATE, NULL, "{\":e\":{\"L\":[]},\":l\":{\"L\":[{\"S\":\"x\"}]}}",
              "SET a = list_append(if_not_exists(a, :e), :l)");
}

static void test_between(void)
{
    expect_error(
        DDB_EXPR_KEY_CONDITION, NULL, "{\":a\":{\"S\":\"a\"},\":b\":{\"N\":\"1\"}}", "a between :b and :a",
        "Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound "
        "operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}");
    expect_error(DDB_EXPR_KEY_CONDITION, NULL, "{\":a\":{\"S\":\"a\"},\":b\":{\"S\":\"b\"}}", "a between :b and :a",
                 "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower "
                 "bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}");
    expect_error(
        DDB_EXPR_CONDITION, NULL, "{\":a\":{\"N\":\"10\"},\":b\":{\"N\":\"9.5\"}}", "x BETWEEN :a AND :b",
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
        "lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:9.5}");
    expect_ok(DDB_EXPR_CONDITION, NULL, "{\":a\":{\"N\":\"9.5\"},\":b\":{\"N\":\"10\"}}", "x BETWEEN :a AND :b");
}

static void test_update_rules(void)
{
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "SET a = :v SET b = :v",
                 "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
    expect_error(DDB_EXPR_UPDATE, NULL, NULL, "REMOVE a remove b",
                 "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update expression;");
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "SET a = :v REMOVE a.b",
                 "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; "
                 "path one: [a], path two: [a, b]");
    expect_error(
        DDB_EXPR_UPDATE, NULL, V1, "SET a[0] = :v, a.b = :v",
        "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; "
        "path one: [a, [0]], path two: [a, b]");
    expect_error(DDB_EXPR_UPDATE, NULL, NULL, "REMOVE a, a",
                 "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; "
                 "path one: [a], path two: [a]");
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "ADD a :v",
                 "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, "
                 "typeSet: ALLOWED_FOR_ADD_OPERAND");
    expect_error(DDB_EXPR_UPDATE, NULL, "{\":n\":{\"N\":\"1\"}}", "DELETE a :n",
                 "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: "
                 "NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND");
    expect_error(DDB_EXPR_UPDATE, NULL, "{\":m\":{\"M\":{}}}", "ADD a :m",
                 "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: MAP, "
                 "typeSet: ALLOWED_FOR_ADD_OPERAND");
    expect_error(DDB_EXPR_UPDATE, NULL, V1, "ADD a b", "Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\"");
    expect_ok(DDB_EXPR_UPDATE, NULL, "{\":n\":{\"N\":\"1\"},\":s\":{\"SS\":[\"a\"]}}", "ADD a :n, b :s DELETE c :s");

    ddb_expr_ctx_t ctx = ctx_for("{\"#b\":\"bee\"}", "{\":v\":{\"S\":\"x\"},\":n\":{\"N\":\"2\"},\":s\":{\"SS\":[\"q\"]}}");
    ddb_update_t *u = ddb_expr_parse_update(&ctx, "set a.#b[3] = :v, n = n - :n  remove x, y[2] add c :n delete d :s");
    CHECK(u != NULL, "parse: %s", ctx.error);
    if (u == NULL)
        return;
    CHECK(u->n == 6, "6 actions, got %zu", u->n);
    CHECK(u->actions[0].op == DDB_UPDATE_SET && u->actions[0].path.n == 3 && strcmp(u->actions[0].path.elems[1].name, "bee") == 0 &&
              u->actions[0].path.elems[2].name == NULL && u->actions[0].path.elems[2].index == 3 &&
              u->actions[0].value->type == DDB_NODE_VALUE,
          "SET a.#b[3]");
    CHECK(u->actions[1].value->type == DDB_NODE_MINUS && u->actions[1].value->args[0]->type == DDB_NODE_PATH, "n - :n");
    CHECK(u->actions[2].op == DDB_UPDATE_REMOVE && u->actions[2].value == NULL, "REMOVE x");
    CHECK(u->actions[4].op == DDB_UPDATE_ADD && u->actions[5].op == DDB_UPDATE_DELETE, "ADD, DELETE");
}

static void test_condition_ast(void)
{
    ddb_expr_ctx_t ctx = ctx_for("{\"#c\":\"see\"}", "{\":v\":{\"N\":\"1\"},\":p\":{\"S\":\"pre\"}}");
    ddb_node_t *n = ddb_expr_parse_condition(&ctx, DDB_EXPR_CONDITION, "a.b[2].#c = :v AND NOT (x < :v OR begins_with(y, :p))");
    CHECK(n != NULL, "parse: %s", ctx.error);
    if (n == NULL)
        return;
    CHECK(n->type == DDB_NODE_AND && n->nargs == 2, "AND at the top");
    const ddb_node_t *eq = n->args[0];
    CHECK(eq->type == DDB_NODE_EQ && eq->args[0]->type == DDB_NODE_PATH && eq->args[0]->path.n == 4, "a.b[2].#c");
    CHECK(strcmp(eq->args[0]->path.elems[3].name, "see") == 0 && eq->args[0]->path.elems[2].index == 2, "path elements");
    CHECK(strcmp(ddb_path_str(&ctx, &eq->args[0]->path), "[a, b, [2], see]") == 0, "path str %s",
          ddb_path_str(&ctx, &eq->args[0]->path));
    CHECK(n->args[1]->type == DDB_NODE_NOT && n->args[1]->args[0]->type == DDB_NODE_OR, "NOT (OR)");
    CHECK(n->args[1]->args[0]->args[1]->type == DDB_NODE_BEGINS_WITH, "begins_with");

    /* precedence: NOT > AND > OR; keywords in any case */
    n = ddb_expr_parse_condition(&ctx, DDB_EXPR_FILTER, "a = :v or b = :v and not c = :v");
    CHECK(n != NULL && n->type == DDB_NODE_OR && n->args[1]->type == DDB_NODE_AND && n->args[1]->args[1]->type == DDB_NODE_NOT,
          "precedence");
    n = ddb_expr_parse_condition(&ctx, DDB_EXPR_FILTER, "a IN (:v, :p) AND b between :v and :v");
    CHECK(n != NULL && n->args[0]->type == DDB_NODE_IN && n->args[0]->nargs == 3 && n->args[1]->type == DDB_NODE_BETWEEN,
          "IN and BETWEEN");
    n = ddb_expr_parse_condition(&ctx, DDB_EXPR_FILTER, "size(a)>=:v AND contains(l,:v)");
    CHECK(n != NULL && n->args[0]->type == DDB_NODE_GE && n->args[0]->args[0]->type == DDB_NODE_SIZE, "size comparison");
}

static void test_projection(void)
{
    ddb_expr_ctx_t ctx = ctx_for("{\"#n\":\"name\"}", NULL);
    ddb_projection_t *p = ddb_expr_parse_projection(&ctx, "a.b, c[1] , #n");
    CHECK(p != NULL && p->n == 3, "3 paths: %s", ctx.error);
    if (p != NULL && p->n == 3)
        CHECK(strcmp(p->paths[2].elems[0].name, "name") == 0 && p->paths[1].elems[1].index == 1, "projection paths");
    expect_error(
        DDB_EXPR_PROJECTION, NULL, NULL, "a, a.b",
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; "
        "path one: [a], path two: [a, b]");
    expect_error(DDB_EXPR_PROJECTION, NULL, NULL, "a[1], a.b",
                 "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these "
                 "paths; path one: [a, [1]], path two: [a, b]");
    expect_error(DDB_EXPR_PROJECTION, NULL, V1, ":v", "Invalid ProjectionExpression: Syntax error; token: \":v\", near: \":v\"");
}

#define expect_key_error(text, values, want) expect_key_error_at(__LINE__, text, values, want)
static void expect_key_error_at(int line, const char *text, const char *values, const char *want)
{
    ddb_expr_ctx_t ctx = ctx_for(NULL, values);
    ddb_node_t *n = ddb_expr_parse_condition(&ctx, DDB_EXPR_KEY_CONDITION, text);
    ddb_key_cond_t kc;
    const char *got = n == NULL ? ctx.error : ddb_expr_key_condition(&ctx, n, 0, &kc) != 0 ? ctx.error : NULL;
    if (got == NULL || strcmp(got, want) != 0) {
        check_failed++;
        fprintf(stderr, "line %d: key condition '%s':\n  got  %s\n  want %s\n", line, text, got ? got : "(success)", want);
    }
}

static void test_key_condition_shape(void)
{
    const char *AB = "{\":a\":{\"S\":\"1\"},\":b\":{\"S\":\"1\"}}";
    expect_key_error("a > b and size(b) > c or a > c", NULL, "Invalid operator used in KeyConditionExpression: OR");
    expect_key_error("a in (b, size(c), d)", NULL, "Invalid operator used in KeyConditionExpression: IN");
    expect_key_error("attribute_exists(a)", NULL, "Invalid operator used in KeyConditionExpression: attribute_exists");
    expect_key_error("contains(a.d, b)", NULL, "Invalid operator used in KeyConditionExpression: contains");
    expect_key_error("not a > b", NULL, "Invalid operator used in KeyConditionExpression: NOT");
    expect_key_error("a <> b", NULL, "Invalid operator used in KeyConditionExpression: <>");
    expect_key_error(
        ":a between size(b) and size(a) and b > :b", AB,
        "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand");
    expect_key_error(
        "begins_with(:a, b) and a > :b", AB,
        "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand");
    expect_key_error("size(b) > a AND a.b > b AND b > c", NULL, "KeyConditionExpressions cannot contain nested operations");
    expect_key_error("a > size(b.d)", NULL, "KeyConditionExpressions cannot contain nested operations");
    expect_key_error("b > a.b", NULL,
                     "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    expect_key_error("begins_with(a, b)", NULL,
                     "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    expect_key_error("a.d > c", NULL, "KeyConditionExpressions cannot have conditions on nested attributes");
    expect_key_error("b[0] > a", NULL, "KeyConditionExpressions cannot have conditions on nested attributes");
    expect_key_error(":b > :a AND a < :b", AB, "Invalid condition in KeyConditionExpression: No key attribute specified");
    /* paritysuite/dynamodb-conformance queryKeyConditionOperands (real DynamoDB, eu-west-2, October 2026) */
    expect_key_error("b > :a AND b < :a and c = :a and d = :a", AB,
                     "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key");
    expect_key_error("a = :a and b = :a and c = :a and d = :a and e = :a and f = :a and g = :a and h = :a and i = :a", AB,
                     "Conditions can be of length 1 or 2 only");
}

/* ddb_expr_key_resolve for a schema of one partition key attribute (hash) and at most one sort key attribute. */
static int resolve(ddb_expr_ctx_t *ctx, ddb_key_cond_t *kc, const char *hash, const char *htype, const char *range,
                   const char *rtype)
{
    ddb_key_name_t h = {hash, htype}, r = {range, rtype};
    return ddb_expr_key_resolve(ctx, kc, &h, 1, &r, range != NULL);
}

static void test_key_condition_resolve(void)
{
    const char *vals = "{\":p\":{\"S\":\"u1\"},\":lo\":{\"N\":\"1\"},\":hi\":{\"N\":\"9\"},\":n\":{\"N\":\"5\"}}";
    ddb_expr_ctx_t ctx = ctx_for("{\"#s\":\"sk\"}", vals);
    ddb_node_t *n = ddb_expr_parse_condition(&ctx, DDB_EXPR_KEY_CONDITION, "#s BETWEEN :lo AND :hi AND pk = :p");
    ddb_key_cond_t kc;
    CHECK(n != NULL && ddb_expr_check_unused(&ctx) != 0, "only :n unused");
    CHECK(n != NULL && ddb_expr_key_condition(&ctx, n, 0, &kc) == 0 && kc.nparts == 2, "shape: %s", ctx.error);
    CHECK(resolve(&ctx, &kc, "pk", "S", "sk", "N") == 0, "resolve: %s", ctx.error);
    CHECK(kc.nhash == 1 && strcmp(kc.hash[0]->name, "pk") == 0 && kc.hash[0]->op == DDB_KEY_EQ, "hash part");
    CHECK(kc.nrange == 1 && kc.range[0]->op == DDB_KEY_BETWEEN && kc.range[0]->values[1] != NULL, "range part");
    CHECK(resolve(&ctx, &kc, "pk", "S", "sk", "S") == -1 &&
              strcmp(ctx.error, "One or more parameter values were invalid: Condition parameter type does not match schema type") ==
                  0,
          "type mismatch: %s", ctx.error);
    CHECK(resolve(&ctx, &kc, "pk", "S", "other", "N") == -1 &&
              strcmp(ctx.error, "Query condition missed key schema element: other") == 0,
          "range missed: %s", ctx.error);
    CHECK(resolve(&ctx, &kc, "id", "S", "sk", "N") == -1 && strcmp(ctx.error, "Query condition missed key schema element: id") == 0,
          "hash missed: %s", ctx.error);

    /* "5 < sk" is normalised to sk > 5 */
    n = ddb_expr_parse_condition(&ctx, DDB_EXPR_KEY_CONDITION, ":n < sk and pk = :p");
    CHECK(n != NULL && ddb_expr_key_condition(&ctx, n, 0, &kc) == 0 && kc.parts[0].op == DDB_KEY_GT, "flipped op");
    CHECK(resolve(&ctx, &kc, "pk", "S", "sk", "N") == 0 && kc.range[0] == &kc.parts[0], "resolve flipped");

    n = ddb_expr_parse_condition(&ctx, DDB_EXPR_KEY_CONDITION, "pk > :p");
    CHECK(n != NULL && ddb_expr_key_condition(&ctx, n, 0, &kc) == 0, "pk > :p shape");
    CHECK(resolve(&ctx, &kc, "pk", "S", NULL, NULL) == -1 && strcmp(ctx.error, "Query key condition not supported") == 0,
          "hash not EQ: %s", ctx.error);
    n = ddb_expr_parse_condition(&ctx, DDB_EXPR_KEY_CONDITION, "pk = :p AND begins_with(sk, :p)");
    CHECK(n != NULL && ddb_expr_key_condition(&ctx, n, 0, &kc) == 0 && resolve(&ctx, &kc, "pk", "S", "sk", "S") == 0 &&
              kc.range[0]->op == DDB_KEY_BEGINS_WITH,
          "begins_with range: %s", ctx.error);
    n = ddb_expr_parse_condition(&ctx, DDB_EXPR_KEY_CONDITION, "pk = :p AND sk = :n AND extra = :n");
    CHECK(n != NULL && ddb_expr_key_condition(&ctx, n, 0, &kc) == 0 && resolve(&ctx, &kc, "pk", "S", "sk", "N") == -1 &&
              strcmp(ctx.error, "The number of query conditions (3) exceeds the number of key attributes defined in the "
                                "schema (2)") == 0,
          "3 conditions on a one-attribute schema: %s", ctx.error);
    CHECK(ddb_expr_key_condition(&ctx, n, 1, &kc) == 0 && resolve(&ctx, &kc, "pk", "S", "sk", "N") == -1 &&
              strcmp(ctx.error, "Conditions can be of length 1 or 2 only") == 0,
          "3 KeyConditions on a one-attribute schema: %s", ctx.error);
}

/* A multi-attribute key (hash a, b; range c, d, e): every partition attribute by equality, the sort attributes
 * from the first, equalities but the last. */
static void expect_multi(const char *cond, const char *error, size_t nrange)
{
    static const ddb_key_name_t h[] = {{"a", "S"}, {"b", "N"}}, r[] = {{"c", "S"}, {"d", "N"}, {"e", "S"}};
    ddb_expr_ctx_t ctx = ctx_for(NULL, "{\":s\":{\"S\":\"x\"},\":n\":{\"N\":\"1\"}}");
    ddb_key_cond_t kc;
    ddb_node_t *n = ddb_expr_parse_condition(&ctx, DDB_EXPR_KEY_CONDITION, cond);
    CHECK(n != NULL && ddb_expr_key_condition(&ctx, n, 0, &kc) == 0, "shape of %s: %s", cond, ctx.error);
    int rc = ddb_expr_key_resolve(&ctx, &kc, h, 2, r, 3);
    if (error)
        CHECK(rc == -1 && strcmp(ctx.error, error) == 0, "%s: %s", cond, rc ? ctx.error : "accepted");
    else
        CHECK(rc == 0 && kc.nhash == 2 && kc.nrange == nrange && strcmp(kc.hash[1]->name, "b") == 0, "%s: %s (nrange %zu)", cond,
              rc ? ctx.error : "", kc.nrange);
}

static void test_key_condition_multi(void)
{
    expect_multi("b = :n AND a = :s", NULL, 0);
    expect_multi("a = :s AND b = :n AND c = :s AND d > :n", NULL, 2);
    expect_multi("a = :s AND b = :n AND c = :s AND d = :n AND begins_with(e, :s)", NULL, 3);
    expect_multi("a = :s AND b = :n AND c BETWEEN :s AND :s", NULL, 1);
    expect_multi("a = :s AND c = :s", "Query condition missed key schema element: b", 0);
    expect_multi("a = :s AND b > :n", "Query key condition not supported", 0);
    expect_multi("a = :s AND b = :n AND d > :n",
                 "RANGE key attributes c must have equality conditions specified in the query because a condition is present "
                 "on key attribute d",
                 0);
    expect_multi("a = :s AND b = :n AND c = :s AND e = :s",
                 "RANGE key attributes d must have equality conditions specified in the query because a condition is present "
                 "on key attribute e",
                 0);
    expect_multi("a = :s AND b = :n AND c > :s AND d = :n", "Query key condition not supported", 0);
    expect_multi("a = :s AND b = :n AND x = :s", "Query condition missed key schema element: c", 0);
    expect_multi("a = :s AND b = :n AND c = :s AND d = :n AND e = :s AND x = :s", "Query key condition not supported", 0);
    expect_multi("a = :s AND b = :n AND c = :n",
                 "One or more parameter values were invalid: Condition parameter type does not match schema type", 0);
}

int main(void)
{
    h2o_mem_init_pool(&pool);
    test_reserved_words();
    test_syntax_errors();
    test_limits_and_empty();
    test_names_and_values();
    test_functions();
    test_between();
    test_update_rules();
    test_condition_ast();
    test_projection();
    test_key_condition_shape();
    test_key_condition_resolve();
    test_key_condition_multi();
    ddb_test_cleanup();
    return check_summary();
}
