/* test_ddb_partiql.c - unit tests for services/dynamodb/ddb_partiql_parse.c:
 * the statement ASTs (printed as s-expressions) and DynamoDB's exact messages
 * for statements it refuses. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "services/dynamodb/ddb_number.h"
#include "services/dynamodb/ddb_partiql.h"

static h2o_mem_pool_t pool;

static void put(char *buf, size_t cap, const char *s)
{
    strncat(buf, s, cap - strlen(buf) - 1);
}

static void put_path(char *buf, size_t cap, const ddb_path_t *p)
{
    char tmp[32];
    for (size_t i = 0; i < p->n; i++) {
        if (p->elems[i].name) {
            if (i)
                put(buf, cap, ".");
            put(buf, cap, p->elems[i].name);
        } else {
            snprintf(tmp, sizeof(tmp), "[%u]", p->elems[i].index);
            put(buf, cap, tmp);
        }
    }
}

static const char *const type_names[] = {"path",  "str", "num", "bool", "null", "missing", "param", "list",    "bag",
                                         "tuple", "=",   "<>",  "<",    "<=",   ">",       ">=",    "between", "in",
                                         "and",   "or",  "not", "is",   "call", "+",       "-"};

static void put_expr(char *buf, size_t cap, const pql_expr_t *e)
{
    char tmp[64];
    switch (e->type) {
    case PQL_PATH:
        put_path(buf, cap, &e->path);
        return;
    case PQL_STR:
        put(buf, cap, "'");
        put(buf, cap, e->text);
        put(buf, cap, "'");
        return;
    case PQL_NUM:
        put(buf, cap, e->text);
        return;
    case PQL_BOOL:
    case PQL_NULL:
    case PQL_MISSING:
        put(buf, cap, e->text);
        return;
    case PQL_PARAM:
        snprintf(tmp, sizeof(tmp), "?%ld", e->ival);
        put(buf, cap, tmp);
        return;
    default:
        break;
    }
    put(buf, cap, "(");
    put(buf, cap, e->type == PQL_CALL ? e->text : type_names[e->type]);
    if (e->type == PQL_IS) {
        put(buf, cap, e->ival ? " not " : " ");
        put(buf, cap, e->text);
    }
    for (size_t i = 0; i < e->nargs; i++) {
        put(buf, cap, " ");
        if (e->keys) {
            put_expr(buf, cap, e->keys[i]);
            put(buf, cap, ":");
        }
        put_expr(buf, cap, e->args[i]);
    }
    put(buf, cap, ")");
}

static const char *const kinds[] = {"SELECT", "INSERT", "UPDATE", "DELETE", "EXISTS"};
static const char *const rets[] = {"", "ALL OLD", "MODIFIED OLD", "ALL NEW", "MODIFIED NEW"};

/* The statement as one line: "SELECT t[.i] [a, b.c] where:(...) order:k desc" etc. */
static const char *dump(const pql_stmt_t *st)
{
    static char buf[2048];
    buf[0] = '\0';
    put(buf, sizeof(buf), kinds[st->kind]);
    put(buf, sizeof(buf), " ");
    put(buf, sizeof(buf), st->table);
    if (st->index) {
        put(buf, sizeof(buf), ".");
        put(buf, sizeof(buf), st->index);
    }
    if (st->kind == PQL_SELECT) {
        put(buf, sizeof(buf), st->nproj ? " [" : " *");
        for (size_t i = 0; i < st->nproj; i++) {
            if (i)
                put(buf, sizeof(buf), ", ");
            put_path(buf, sizeof(buf), &st->proj[i]);
        }
        if (st->nproj)
            put(buf, sizeof(buf), "]");
    }
    if (st->value) {
        put(buf, sizeof(buf), " value:");
        put_expr(buf, sizeof(buf), st->value);
    }
    for (size_t i = 0; i < st->nassigns; i++) {
        put(buf, sizeof(buf), st->assigns[i].value ? " set:" : " remove:");
        put_path(buf, sizeof(buf), &st->assigns[i].path);
        if (st->assigns[i].value) {
            put(buf, sizeof(buf), "=");
            put_expr(buf, sizeof(buf), st->assigns[i].value);
        }
    }
    if (st->where) {
        put(buf, sizeof(buf), " where:");
        put_expr(buf, sizeof(buf), st->where);
    }
    for (size_t i = 0; i < st->norder; i++) {
        put(buf, sizeof(buf), " order:");
        put(buf, sizeof(buf), st->order_keys[i]);
        put(buf, sizeof(buf), st->order_desc[i] ? " desc" : " asc");
    }
    if (st->returning) {
        put(buf, sizeof(buf), " returning:");
        put(buf, sizeof(buf), rets[st->returning]);
    }
    return buf;
}

#define expect_ast(text, want) expect_ast_at(__LINE__, text, want)
static void expect_ast_at(int line, const char *text, const char *want)
{
    pql_stmt_t st;
    const char *err;
    if (pql_parse(&pool, text, &st, &err) != 0) {
        CHECK(0, "line %d: %s: unexpected error %s", line, text, err);
        return;
    }
    const char *got = dump(&st);
    CHECK(strcmp(got, want) == 0, "line %d: %s\n  got  %s\n  want %s", line, text, got, want);
}

#define expect_err(text, want) expect_err_at(__LINE__, text, want)
static void expect_err_at(int line, const char *text, const char *want)
{
    pql_stmt_t st;
    const char *err = NULL;
    int rc = pql_parse(&pool, text, &st, &err);
    CHECK(rc == -1 && err && strcmp(err, want) == 0, "line %d: %s\n  got  %s\n  want %s", line, text, rc == 0 ? "(parsed)" : err,
          want);
}

#define MALFORMED(detail) "Statement wasn't well formed, can't be processed: " detail

static void test_select(void)
{
    expect_ast("SELECT * FROM \"Music\"", "SELECT Music *");
    expect_ast("select * from Music;", "SELECT Music *");
    expect_ast("SELECT a, \"b\".c, d[0].e, f[12] FROM \"t\".\"idx\"", "SELECT t.idx [a, b.c, d[0].e, f[12]]");
    expect_ast("SELECT * FROM t WHERE pk = 'x' AND sk >= 5", "SELECT t * where:(and (= pk 'x') (>= sk 5))");
    expect_ast("SELECT * FROM t WHERE a = 1 OR b <> 2 AND NOT c < -3.5e2",
               "SELECT t * where:(or (= a 1) (and (<> b 2) (not (< c -3.5e2))))");
    expect_ast("SELECT * FROM t WHERE a BETWEEN 1 AND 5 AND b IN [1, 'x'] AND c NOT IN (1, 2)",
               "SELECT t * where:(and (and (between a 1 5) (in b (list 1 'x'))) (not (in c (list 1 2))))");
    expect_ast("SELECT * FROM t WHERE begins_with(a, 'x') AND contains(\"b\", ?) AND attribute_type(c, ?)",
               "SELECT t * where:(and (and (begins_with a 'x') (contains b ?0)) (attribute_type c ?1))");
    expect_ast("SELECT * FROM t WHERE a IS MISSING AND b IS NOT MISSING AND c is not null AND d IS string",
               "SELECT t * where:(and (and (and (is MISSING a) (is not MISSING b)) (is not NULL c)) (is STRING d))");
    expect_ast("SELECT * FROM t WHERE (a = 1 OR b = 2) AND size(c) > 3",
               "SELECT t * where:(and (or (= a 1) (= b 2)) (> (size c) 3))");
    expect_ast("SELECT * FROM t WHERE pk = 'a' ORDER BY sk DESC", "SELECT t * where:(= pk 'a') order:sk desc");
    expect_ast("SELECT * FROM t WHERE a = 'it''s' -- comment\n AND /* block */ b = true",
               "SELECT t * where:(and (= a 'it's') (= b true))");
    expect_ast("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT t * where:(and (= a ?0) (= b ?1))");
}

static void test_writes(void)
{
    expect_ast("INSERT INTO \"t\" VALUE {'pk': 'a', 'n': 1, 'l': [1, null], 's': <<'x', 'y'>>, 'm': {'k': true}}",
               "INSERT t value:(tuple 'pk':'a' 'n':1 'l':(list 1 null) 's':(bag 'x' 'y') 'm':(tuple 'k':true))");
    expect_ast("INSERT INTO t VALUE ?", "INSERT t value:?0");
    expect_ast("UPDATE \"t\" SET a = 1, b.c[2] = 'x' REMOVE d SET e = e + 1 WHERE pk = 'k' RETURNING MODIFIED NEW *",
               "UPDATE t set:a=1 set:b.c[2]='x' remove:d set:e=(+ e 1) where:(= pk 'k') returning:MODIFIED NEW");
    expect_ast("UPDATE t SET s = set_add(s, <<1>>) WHERE pk = 1", "UPDATE t set:s=(set_add s (bag 1)) where:(= pk 1)");
    expect_ast("DELETE FROM t WHERE pk = 'a' AND sk = 2 RETURNING ALL OLD *",
               "DELETE t where:(and (= pk 'a') (= sk 2)) returning:ALL OLD");
    expect_ast("FROM t WHERE pk = 'a' SET x = 1", "UPDATE t set:x=1 where:(= pk 'a')");
    expect_ast("from t where pk = 'a' set x = 1 remove y returning all new *",
               "UPDATE t set:x=1 remove:y where:(= pk 'a') returning:ALL NEW");
    expect_ast("UPDATE \"t\".\"i\" SET x = 1 WHERE pk = 'a'", "UPDATE t.i set:x=1 where:(= pk 'a')");
    expect_ast("SELECT * FROM t WHERE x IS DOUBLE PRECISION AND y IS NOT character varying",
               "SELECT t * where:(and (is DOUBLE PRECISION x) (is not CHARACTER VARYING y))");
    expect_ast("EXISTS(SELECT * FROM t WHERE pk = 'a' AND n > 1)", "EXISTS t where:(and (= pk 'a') (> n 1))");
}

static void test_errors(void)
{
    expect_err("SELECT * FROM t WHERE", MALFORMED("Unexpected term"));
    expect_err("SELECT * FROM t WHERE;", MALFORMED("Unexpected term"));
    expect_err("SELECT * FROM t WHERE NOT", MALFORMED("Unexpected term"));
    expect_err("SELECT * FROM t WHERE (", MALFORMED("Unexpected term"));
    expect_err("SELECT * FROM", MALFORMED("Unexpected term"));
    expect_err("SELECT * FROM t WHERE pk = 'p1' AND", MALFORMED("Missing right-hand side expression of infix operator"));
    expect_err("SELECT * FROM t WHERE pk = 'p1' OR", MALFORMED("Missing right-hand side expression of infix operator"));
    expect_err("SELECT * FROM t WHERE ORDER BY pk", MALFORMED("Unexpected keyword"));
    expect_err("SELECT * FROM t WHERE IS NULL", MALFORMED("Unexpected operator"));
    expect_err("SELECT * FROM t WHERE pk = LIKE", MALFORMED("Unexpected operator"));
    expect_err("SELECT * FROM t WHERE pk = 1 foo", MALFORMED("Unexpected token after expression"));
    expect_err("SELECT * FROM t WHERE pk = 1 e5", MALFORMED("Unexpected token after expression"));
    expect_err("SELECT * FROM t WHERE pk = 1)", MALFORMED("Unexpected token after expression"));
    expect_err("SELECT * FROM t ORDER BY pk WHERE pk = 1", MALFORMED("Unexpected token after expression"));
    expect_err("DELETE FROM t WHERE pk = 1 ORDER BY pk", MALFORMED("Unexpected token after expression"));
    expect_err("INSERT INTO t VALUE {'pk': 1} foo", MALFORMED("Unexpected token after expression"));
    expect_err("INSERT INTO \"t\" t VALUE {'pk': 'x'}", MALFORMED("Unexpected token after expression"));
    expect_err("SELECT * FROM t WHERE pk = 1e2147483648", MALFORMED(""));
    expect_err("SELECT * FROM t WHERE pk = 1 # note", MALFORMED(""));
    expect_err("SELECT * FROM t WHERE pk = 1 /* note", MALFORMED(""));
    expect_err("SELECT * FROM t WHERE pk = 'open", MALFORMED(""));
    expect_err("SELECT * FROM t WHERE pk = 'a' AND x IS FOO", MALFORMED("Expected type name"));
    expect_err("DELETE FROM", MALFORMED("Expected identifier for simple path"));
    expect_err("DELETE FROM;", MALFORMED("Expected identifier for simple path"));
    expect_err("DELETE FROM WHERE pk = 'a'", MALFORMED("Expected identifier for simple path"));
    expect_err("DELETE t WHERE pk = 'a'", MALFORMED("Expected FROM after DELETE"));
    expect_err("SELECT * t", MALFORMED("Expected FROM after SELECT list"));
    expect_err("SLECT * FROM t", MALFORMED("Expected data manipulation"));
    expect_err("UPDATE t WHERE pk = 1", MALFORMED("Expected data manipulation"));
    expect_err("SELECT * FROM t WHERE a IN [1, 2", MALFORMED("Expected RIGHT_BRACKET"));
    expect_err("SELECT * FROM t WHERE (a = 1", MALFORMED("Expected RIGHT_PAREN"));
    expect_err("INSERT INTO t VALUE {'a' 1}", MALFORMED("Expected COLON"));
    expect_err("SELECT *, a FROM t",
               MALFORMED("Other expressions may not be present in the select list when '*' is used without dot notation."));
    expect_err("SELECT * FROM \"t\" x WHERE pk = 'x'", "Aliasing is not supported");
    expect_err("SELECT * FROM \"t\" AS x WHERE pk = 'x'", "Aliasing is not supported");
    expect_err("UPDATE \"t\" x SET a = 3 WHERE pk = 'x'", "Aliasing is not supported");
    expect_err("DELETE FROM \"t\" x WHERE pk = 'x'", "Aliasing is not supported");
    expect_err("SELECT * FROM a.b.c", "A path may contain at most 2 components in the FROM clause");
    expect_err("SELECT * FROM a, b", "Only select from a single table or index is supported.");
    expect_err("INSERT INTO t <<{'a': 1}>>", "Unsupported operation: Inserting multiple items in a single statement is not "
                                             "supported, use \"INSERT INTO tableName VALUE item\" instead");
    expect_err("INSERT INTO t VALUE {'a': 1} RETURNING ALL OLD *", "RETURNING is not supported in INSERT");
    expect_err("DELETE FROM t WHERE pk = 1 RETURNING MODIFIED OLD *",
               "Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements.");
    expect_err("UPDATE t SET a = 1 WHERE pk = 1 RETURNING ALL OLD", "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in "
                                                                    "RETURNING clause");
    expect_err("FROM t SET c = 1 WHERE pk = 'x'", MALFORMED("Unexpected token after expression"));
    expect_err("", MALFORMED("Unexpected term"));
    expect_err("x IS INT4", "Unsupported operation: IsType");
    expect_err("SELECT * FROM t WHERE m.inner = 1", MALFORMED("Invalid path dot component"));
    expect_err("SELECT * FROM \"\" WHERE pk = 'p'", "Path component cannot be an empty string");
    expect_err("SELECT * FROM \"t\".\"\" WHERE pk = 'p'", "Path component cannot be an empty string");
    expect_err("INSERT INTO \"t\".\"i\" VALUE {'pk': 'a'}", "FROM clause may only contain a single table name");
}

/* Numbers as Java's BigDecimal reads them, before DynamoDB's own number rules. */
static void test_numbers(void)
{
    static const struct {
        const char *text;
        int rc;
    } cases[] = {{"1", DDB_NUM_OK},
                 {"1e2147483647", DDB_NUM_EUNDERFLOW},  /* precision - scale = 2^31 wraps */
                 {"1e2147483648", DDB_NUM_EINVALID},    /* the exponent does not fit */
                 {"1e-2147483648", DDB_NUM_EINVALID},   /* the scale does not fit */
                 {"1.5e-2147483647", DDB_NUM_EINVALID}, /* nor here: 1 digit after the point + 2^31 - 1 */
                 {"-1e99999999999", DDB_NUM_EINVALID},
                 {"1e999999999", DDB_NUM_OK}, /* the ordinary rules refuse it */
                 {"0e2147483647", DDB_NUM_OK},
                 {"abc", DDB_NUM_OK}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK(ddb_num_bigdecimal_check(cases[i].text, strlen(cases[i].text)) == cases[i].rc, "%s", cases[i].text);
    expect_err("SELECT * FROM t WHERE pk = 1.5e-2147483647", MALFORMED(""));
    expect_ast("SELECT * FROM t WHERE pk = 1e2147483647", "SELECT t * where:(= pk 1e2147483647)");
}

/* Where a refused token was written: line and column from 1, and its length. */
static void test_positions(void)
{
    expect_err("SELECT attribute_exists(ss) FROM t WHERE pk = 'a'", "Unexpected path component at 1:8:16");
    expect_err("SELECT a,\n  size(b) FROM t", "Unexpected path component at 2:3:4");
    expect_err("SELECT \"n\xc3\xa9\", size(b) FROM t", "Unexpected path component at 1:14:4"); /* characters, not bytes */
    pql_stmt_t st;
    const char *err;
    CHECK(pql_parse(&pool, "UPDATE t SET ss = set_add(ss, 'x')\nWHERE pk = 'a'", &st, &err) == 0, "parses");
    const pql_expr_t *call = st.assigns[0].value;
    CHECK(strcmp(pql_at(&pool, "m", call), "m at 1:19:7") == 0, "call position %s", pql_at(&pool, "m", call));
    CHECK(strcmp(pql_at(&pool, "m", call->args[0]), "m at 1:27:2") == 0, "path position");
    CHECK(strcmp(pql_at(&pool, "m", st.where->args[0]), "m at 2:7:2") == 0, "second line");
}

int main(void)
{
    h2o_mem_init_pool(&pool);
    test_select();
    test_writes();
    test_errors();
    test_numbers();
    test_positions();
    h2o_mem_clear_pool(&pool);
    return check_summary();
}
