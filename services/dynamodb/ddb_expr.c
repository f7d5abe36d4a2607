/* ddb_expr.c - lexer, parser and parse-time checks of DynamoDB expressions (see ddb_expr.h).
 *
 * One recursive-descent parser serves the five expression kinds. A syntax
 * error stops the parse at once (DynamoDB reports it before anything else);
 * every other problem is recorded in a slot by category and, once the whole
 * expression parsed, the first filled slot in the kind's priority order is
 * reported, which reproduces which message DynamoDB picks when an expression
 * has several faults. */
#include "services/dynamodb/ddb_expr.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "services/dynamodb/ddb_value.h"

/* ---- reserved words (docs: "Reserved words in DynamoDB"), sorted ---- */

/* clang-format off */
static const char *const reserved_words[] = {
    "ABORT", "ABSOLUTE", "ACTION", "ADD", "AFTER", "AGENT", "AGGREGATE", "ALL", "ALLOCATE", "ALTER", "ANALYZE", "AND", "ANY",
    "ARCHIVE", "ARE", "ARRAY", "AS", "ASC", "ASCII", "ASENSITIVE", "ASSERTION", "ASYMMETRIC", "AT", "ATOMIC", "ATTACH",
    "ATTRIBUTE", "AUTH", "AUTHORIZATION", "AUTHORIZE", "AUTO", "AVG", "BACK", "BACKUP", "BASE", "BATCH", "BEFORE", "BEGIN",
    "BETWEEN", "BIGINT", "BINARY", "BIT", "BLOB", "BLOCK", "BOOLEAN", "BOTH", "BREADTH", "BUCKET", "BULK", "BY", "BYTE",
    "CALL", "CALLED", "CALLING", "CAPACITY", "CASCADE", "CASCADED", "CASE", "CAST", "CATALOG", "CHAR", "CHARACTER", "CHECK",
    "CLASS", "CLOB", "CLOSE", "CLUSTER", "CLUSTERED", "CLUSTERING", "CLUSTERS", "COALESCE", "COLLATE", "COLLATION",
    "COLLECTION", "COLUMN", "COLUMNS", "COMBINE", "COMMENT", "COMMIT", "COMPACT", "COMPILE", "COMPRESS", "CONDITION",
    "CONFLICT", "CONNECT", "CONNECTION", "CONSISTENCY", "CONSISTENT", "CONSTRAINT", "CONSTRAINTS", "CONSTRUCTOR", "CONSUMED",
    "CONTINUE", "CONVERT", "COPY", "CORRESPONDING", "COUNT", "COUNTER", "CREATE", "CROSS", "CUBE", "CURRENT", "CURSOR",
    "CYCLE", "DATA", "DATABASE", "DATE", "DATETIME", "DAY", "DEALLOCATE", "DEC", "DECIMAL", "DECLARE", "DEFAULT", "DEFERRABLE",
    "DEFERRED", "DEFINE", "DEFINED", "DEFINITION", "DELETE", "DELIMITED", "DEPTH", "DEREF", "DESC", "DESCRIBE", "DESCRIPTOR",
    "DETACH", "DETERMINISTIC", "DIAGNOSTICS", "DIRECTORIES", "DISABLE", "DISCONNECT", "DISTINCT", "DISTRIBUTE", "DO", "DOMAIN",
    "DOUBLE", "DROP", "DUMP", "DURATION", "DYNAMIC", "EACH", "ELEMENT", "ELSE", "ELSEIF", "EMPTY", "ENABLE", "END", "EQUAL",
    "EQUALS", "ERROR", "ESCAPE", "ESCAPED", "EVAL", "EVALUATE", "EXCEEDED", "EXCEPT", "EXCEPTION", "EXCEPTIONS", "EXCLUSIVE",
    "EXEC", "EXECUTE", "EXISTS", "EXIT", "EXPLAIN", "EXPLODE", "EXPORT", "EXPRESSION", "EXTENDED", "EXTERNAL", "EXTRACT",
    "FAIL", "FALSE", "FAMILY", "FETCH", "FIELDS", "FILE", "FILTER", "FILTERING", "FINAL", "FINISH", "FIRST", "FIXED",
    "FLATTERN", "FLOAT", "FOR", "FORCE", "FOREIGN", "FORMAT", "FORWARD", "FOUND", "FREE", "FROM", "FULL", "FUNCTION",
    "FUNCTIONS", "GENERAL", "GENERATE", "GET", "GLOB", "GLOBAL", "GO", "GOTO", "GRANT", "GREATER", "GROUP", "GROUPING",
    "HANDLER", "HASH", "HAVE", "HAVING", "HEAP", "HIDDEN", "HOLD", "HOUR", "IDENTIFIED", "IDENTITY", "IF", "IGNORE",
    "IMMEDIATE", "IMPORT", "IN", "INCLUDING", "INCLUSIVE", "INCREMENT", "INCREMENTAL", "INDEX", "INDEXED", "INDEXES",
    "INDICATOR", "INFINITE", "INITIALLY", "INLINE", "INNER", "INNTER", "INOUT", "INPUT", "INSENSITIVE", "INSERT", "INSTEAD",
    "INT", "INTEGER", "INTERSECT", "INTERVAL", "INTO", "INVALIDATE", "IS", "ISOLATION", "ITEM", "ITEMS", "ITERATE", "JOIN",
    "KEY", "KEYS", "LAG", "LANGUAGE", "LARGE", "LAST", "LATERAL", "LEAD", "LEADING", "LEAVE", "LEFT", "LENGTH", "LESS",
    "LEVEL", "LIKE", "LIMIT", "LIMITED", "LINES", "LIST", "LOAD", "LOCAL", "LOCALTIME", "LOCALTIMESTAMP", "LOCATION",
    "LOCATOR", "LOCK", "LOCKS", "LOG", "LOGED", "LONG", "LOOP", "LOWER", "MAP", "MATCH", "MATERIALIZED", "MAX", "MAXLEN",
    "MEMBER", "MERGE", "METHOD", "METRICS", "MIN", "MINUS", "MINUTE", "MISSING", "MOD", "MODE", "MODIFIES", "MODIFY", "MODULE",
    "MONTH", "MULTI", "MULTISET", "NAME", "NAMES", "NATIONAL", "NATURAL", "NCHAR", "NCLOB", "NEW", "NEXT", "NO", "NONE", "NOT",
    "NULL", "NULLIF", "NUMBER", "NUMERIC", "OBJECT", "OF", "OFFLINE", "OFFSET", "OLD", "ON", "ONLINE", "ONLY", "OPAQUE",
    "OPEN", "OPERATOR", "OPTION", "OR", "ORDER", "ORDINALITY", "OTHER", "OTHERS", "OUT", "OUTER", "OUTPUT", "OVER", "OVERLAPS",
    "OVERRIDE", "OWNER", "PAD", "PARALLEL", "PARAMETER", "PARAMETERS", "PARTIAL", "PARTITION", "PARTITIONED", "PARTITIONS",
    "PATH", "PERCENT", "PERCENTILE", "PERMISSION", "PERMISSIONS", "PIPE", "PIPELINED", "PLAN", "POOL", "POSITION", "PRECISION",
    "PREPARE", "PRESERVE", "PRIMARY", "PRIOR", "PRIVATE", "PRIVILEGES", "PROCEDURE", "PROCESSED", "PROJECT", "PROJECTION",
    "PROPERTY", "PROVISIONING", "PUBLIC", "PUT", "QUERY", "QUIT", "QUORUM", "RAISE", "RANDOM", "RANGE", "RANK", "RAW", "READ",
    "READS", "REAL", "REBUILD", "RECORD", "RECURSIVE", "REDUCE", "REF", "REFERENCE", "REFERENCES", "REFERENCING", "REGEXP",
    "REGION", "REINDEX", "RELATIVE", "RELEASE", "REMAINDER", "RENAME", "REPEAT", "REPLACE", "REQUEST", "RESET", "RESIGNAL",
    "RESOURCE", "RESPONSE", "RESTORE", "RESTRICT", "RESULT", "RETURN", "RETURNING", "RETURNS", "REVERSE", "REVOKE", "RIGHT",
    "ROLE", "ROLES", "ROLLBACK", "ROLLUP", "ROUTINE", "ROW", "ROWS", "RULE", "RULES", "SAMPLE", "SATISFIES", "SAVE",
    "SAVEPOINT", "SCAN", "SCHEMA", "SCOPE", "SCROLL", "SEARCH", "SECOND", "SECTION", "SEGMENT", "SEGMENTS", "SELECT", "SELF",
    "SEMI", "SENSITIVE", "SEPARATE", "SEQUENCE", "SERIALIZABLE", "SESSION", "SET", "SETS", "SHARD", "SHARE", "SHARED", "SHORT",
    "SHOW", "SIGNAL", "SIMILAR", "SIZE", "SKEWED", "SMALLINT", "SNAPSHOT", "SOME", "SOURCE", "SPACE", "SPACES", "SPARSE",
    "SPECIFIC", "SPECIFICTYPE", "SPLIT", "SQL", "SQLCODE", "SQLERROR", "SQLEXCEPTION", "SQLSTATE", "SQLWARNING", "START",
    "STATE", "STATIC", "STATUS", "STORAGE", "STORE", "STORED", "STREAM", "STRING", "STRUCT", "STYLE", "SUB", "SUBMULTISET",
    "SUBPARTITION", "SUBSTRING", "SUBTYPE", "SUM", "SUPER", "SYMMETRIC", "SYNONYM", "SYSTEM", "TABLE", "TABLESAMPLE", "TEMP",
    "TEMPORARY", "TERMINATED", "TEXT", "THAN", "THEN", "THROUGHPUT", "TIME", "TIMESTAMP", "TIMEZONE", "TINYINT", "TO", "TOKEN",
    "TOTAL", "TOUCH", "TRAILING", "TRANSACTION", "TRANSFORM", "TRANSLATE", "TRANSLATION", "TREAT", "TRIGGER", "TRIM", "TRUE",
    "TRUNCATE", "TTL", "TUPLE", "TYPE", "UNDER", "UNDO", "UNION", "UNIQUE", "UNIT", "UNKNOWN", "UNLOGGED", "UNNEST",
    "UNPROCESSED", "UNSIGNED", "UNTIL", "UPDATE", "UPPER", "URL", "USAGE", "USE", "USER", "USERS", "USING", "UUID", "VACUUM",
    "VALUE", "VALUED", "VALUES", "VARCHAR", "VARIABLE", "VARIANCE", "VARINT", "VARYING", "VIEW", "VIEWS", "VIRTUAL", "VOID",
    "WAIT", "WHEN", "WHENEVER", "WHERE", "WHILE", "WINDOW", "WITH", "WITHIN", "WITHOUT", "WORK", "WRAPPED", "WRITE", "YEAR",
    "ZONE"
};
/* clang-format on */

static int reserved_cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

int ddb_expr_is_reserved(const char *word, size_t len)
{
    char up[32];
    if (len == 0 || len >= sizeof(up))
        return 0;
    for (size_t i = 0; i < len; i++)
        up[i] = (char)toupper((unsigned char)word[i]);
    up[len] = '\0';
    return bsearch(up, reserved_words, sizeof(reserved_words) / sizeof(reserved_words[0]), sizeof(reserved_words[0]),
                   reserved_cmp) != NULL;
}

/* ---- small pool helpers ---- */

static char *pool_vsprintf(h2o_mem_pool_t *pool, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *s = h2o_mem_alloc_pool(pool, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static char *pool_sprintf(h2o_mem_pool_t *pool, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *pool_sprintf(h2o_mem_pool_t *pool, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pool_vsprintf(pool, fmt, ap);
    va_end(ap);
    return s;
}

static char *pool_strndup(h2o_mem_pool_t *pool, const char *s, size_t len)
{
    char *d = h2o_mem_alloc_pool(pool, len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

static void *pool_zalloc(h2o_mem_pool_t *pool, size_t size)
{
    void *p = h2o_mem_alloc_pool(pool, size);
    memset(p, 0, size);
    return p;
}

static int set_error(ddb_expr_ctx_t *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int set_error(ddb_expr_ctx_t *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctx->error = pool_vsprintf(ctx->pool, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *kind_label(ddb_expr_kind_t kind)
{
    switch (kind) {
    case DDB_EXPR_CONDITION:
        return "ConditionExpression";
    case DDB_EXPR_FILTER:
        return "FilterExpression";
    case DDB_EXPR_KEY_CONDITION:
        return "KeyConditionExpression";
    case DDB_EXPR_UPDATE:
        return "UpdateExpression";
    case DDB_EXPR_PROJECTION:
        return "ProjectionExpression";
    }
    return "";
}

/* ---- context ---- */

/* DynamoDB's pattern for map keys: the prefix, then [0-9a-zA-Z_]+. */
static int valid_map_key(const char *key, char prefix)
{
    if (key[0] != prefix || key[1] == '\0')
        return 0;
    for (const char *p = key + 1; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return 0;
    return 1;
}

#define TOO_LONG_KEY "The expression attribute map contains a key that is too long;"

/* Each key is checked for its length (at most DDB_EXPR_MAX_KEY_BYTES, the prefix counted) before its pattern; the
 * length message gives the key's size for names only (ExtendDB/extenddb tests/test_expression_attribute_map_validation.py,
 * captured from DynamoDB in us-east-1). */
static int check_map(ddb_expr_ctx_t *ctx, yajl_val map, const char *what, char prefix)
{
    if (map->u.object.len == 0)
        return set_error(ctx, "%s must not be empty", what);
    for (size_t i = 0; i < map->u.object.len; i++) {
        const char *key = map->u.object.keys[i];
        size_t len = strlen(key);
        if (len > DDB_EXPR_MAX_KEY_BYTES && prefix == '#')
            return set_error(ctx, "%s contains invalid key: " TOO_LONG_KEY " size of key: %zu", what, len);
        if (len > DDB_EXPR_MAX_KEY_BYTES)
            return set_error(ctx, "%s contains invalid key: " TOO_LONG_KEY, what);
        if (!valid_map_key(key, prefix))
            return set_error(ctx, "%s contains invalid key: Syntax error; key: \"%s\"", what, key);
    }
    return 0;
}

int ddb_expr_init(ddb_expr_ctx_t *ctx, h2o_mem_pool_t *pool, yajl_val names, yajl_val values, ddb_layer_t layer)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->pool = pool;
    ctx->names = YAJL_IS_OBJECT(names) ? names : NULL;
    ctx->values = YAJL_IS_OBJECT(values) ? values : NULL;
    if (ctx->names != NULL) {
        if (check_map(ctx, ctx->names, "ExpressionAttributeNames", '#') != 0)
            return -1;
        for (size_t i = 0; i < ctx->names->u.object.len; i++) {
            yajl_val name = ctx->names->u.object.values[i];
            if (YAJL_IS_STRING(name) && name->u.string[0] == '\0')
                return set_error(ctx, "ExpressionAttributeNames contains invalid value: Empty attribute name for key %s",
                                 ctx->names->u.object.keys[i]);
        }
        ctx->names_used = pool_zalloc(pool, ctx->names->u.object.len);
    }
    if (ctx->values != NULL) {
        if (check_map(ctx, ctx->values, "ExpressionAttributeValues", ':') != 0)
            return -1;
        for (size_t i = 0; i < ctx->values->u.object.len; i++) {
            const char *msg;
            int rc = ddb_av_validate_in(pool, ctx->values->u.object.values[i], layer, &msg);
            if (rc == 0)
                continue;
            if (layer == DDB_LAYER_CURRENT || strcmp(msg, DDB_MSG_NESTING) == 0) /* bare (ddb_value.h) */
                return set_error(ctx, "%s", msg);
            if (rc == DDB_VERR_EMPTY_SET)
                return set_error(ctx, "ExpressionAttributeValues contains invalid value: %s", msg);
            return set_error(ctx, "ExpressionAttributeValues contains invalid value: %s for key %s", msg,
                             ctx->values->u.object.keys[i]);
        }
        ctx->values_used = pool_zalloc(pool, ctx->values->u.object.len);
    }
    return 0;
}

static int map_find(yajl_val map, const char *key, size_t len)
{
    if (map == NULL)
        return -1;
    for (size_t i = 0; i < map->u.object.len; i++)
        if (strncmp(map->u.object.keys[i], key, len) == 0 && map->u.object.keys[i][len] == '\0')
            return (int)i;
    return -1;
}

static int check_unused_map(ddb_expr_ctx_t *ctx, yajl_val map, const unsigned char *used, const char *what)
{
    if (map == NULL)
        return 0;
    /* the list is measured, then written once: appending key by key was quadratic (a
     * request with 30,000 unused values took 18 s and 3.7 GB) */
    size_t len = 0;
    for (size_t i = 0; i < map->u.object.len; i++)
        len += used[i] ? 0 : strlen(map->u.object.keys[i]) + 2;
    if (len == 0)
        return 0;
    char *list = h2o_mem_alloc_pool(ctx->pool, len), *o = list;
    for (size_t i = 0; i < map->u.object.len; i++) {
        if (used[i])
            continue;
        if (o != list) {
            memcpy(o, ", ", 2);
            o += 2;
        }
        size_t n = strlen(map->u.object.keys[i]);
        memcpy(o, map->u.object.keys[i], n);
        o += n;
    }
    *o = '\0';
    return set_error(ctx, "Value provided in %s unused in expressions: keys: {%s}", what, list);
}

int ddb_expr_check_unused(ddb_expr_ctx_t *ctx)
{
    if (check_unused_map(ctx, ctx->names, ctx->names_used, "ExpressionAttributeNames") != 0)
        return -1;
    return check_unused_map(ctx, ctx->values, ctx->values_used, "ExpressionAttributeValues");
}

const char *ddb_path_str(ddb_expr_ctx_t *ctx, const ddb_path_t *path)
{
    const char *s = "";
    for (size_t i = 0; i < path->n; i++) {
        const ddb_path_elem_t *e = &path->elems[i];
        const char *sep = i == 0 ? "" : ", ";
        s = e->name != NULL ? pool_sprintf(ctx->pool, "%s%s%s", s, sep, e->name)
                            : pool_sprintf(ctx->pool, "%s%s[%u]", s, sep, (unsigned)e->index);
    }
    return pool_sprintf(ctx->pool, "[%s]", s);
}

/* ---- lexer ---- */

typedef enum {
    T_EOF,
    T_IDENT,  /* attribute name, keyword or function name */
    T_NAME,   /* #name */
    T_VALUE,  /* :value */
    T_NUMBER, /* digits (list index) */
    T_LPAREN,
    T_RPAREN,
    T_LBRACK,
    T_RBRACK,
    T_COMMA,
    T_DOT,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_PLUS,
    T_MINUS,
    T_BAD, /* a character no token starts with */
} tok_type_t;

typedef struct {
    tok_type_t type;
    const char *s;
    size_t len;
} tok_t;

static int is_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static size_t lex_punct(const char *p, tok_type_t *type)
{
    static const struct {
        const char *text;
        tok_type_t type;
    } puncts[] = {{"<>", T_NE},   {"<=", T_LE}, {">=", T_GE}, {"(", T_LPAREN}, {")", T_RPAREN}, {"[", T_LBRACK}, {"]", T_RBRACK},
                  {",", T_COMMA}, {".", T_DOT}, {"=", T_EQ},  {"<", T_LT},     {">", T_GT},     {"+", T_PLUS},   {"-", T_MINUS}};
    for (size_t i = 0; i < sizeof(puncts) / sizeof(puncts[0]); i++) {
        size_t n = strlen(puncts[i].text);
        if (strncmp(p, puncts[i].text, n) == 0) {
            *type = puncts[i].type;
            return n;
        }
    }
    return 0;
}

/* Splits text into tokens; the array ends with a T_EOF token at the end of text. */
static tok_t *lex(h2o_mem_pool_t *pool, const char *text, size_t *ntoks)
{
    size_t cap = strlen(text) + 1, n = 0;
    tok_t *toks = h2o_mem_alloc_pool(pool, cap * sizeof(*toks));
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        tok_t *t = &toks[n++];
        t->s = p;
        if (*p == '\0') {
            t->type = T_EOF;
            t->len = 0;
            break;
        }
        const char *q = p;
        if ((*p == '#' || *p == ':') && is_word_char(p[1])) { /* alone, either is a syntax error */
            t->type = *p == '#' ? T_NAME : T_VALUE;
            for (q = p + 1; is_word_char(*q);)
                q++;
        } else if (isdigit((unsigned char)*p)) {
            t->type = T_NUMBER;
            for (q = p; isdigit((unsigned char)*q);)
                q++;
        } else if (isalpha((unsigned char)*p)) { /* "_x" is no name: its "_" is a syntax error */
            t->type = T_IDENT;
            for (q = p; is_word_char(*q);)
                q++;
        } else {
            size_t len = lex_punct(p, &t->type);
            if (len == 0) {
                t->type = T_BAD;
                len = 1;
                /* a whole UTF-8 sequence is one token */
                while (((unsigned char)p[len] & 0xC0) == 0x80)
                    len++;
            }
            q = p + len;
        }
        t->len = (size_t)(q - p);
        p = q;
    }
    *ntoks = n;
    return toks;
}

/* ---- parser state and error slots ---- */

enum {
    E_PARENS,     /* The expression has redundant parentheses; */
    E_UNKNOWN_FN, /* Invalid function name / not allowed in a condition|update expression */
    E_MISUSED,    /* The function is not allowed to be used this way in an expression */
    E_RESERVED,   /* Attribute name is a reserved keyword */
    E_SECTION,    /* The "SET" section can only be used once */
    E_NAME,       /* #name not defined (conditions: also :value not defined) */
    E_VALUE,      /* :value not defined */
    E_OVERLAP,    /* Two document paths overlap */
    E_CONFLICT,   /* Two document paths conflict */
    E_OPCOUNT,    /* Incorrect number of operands, too many IN operands */
    E_DISTINCT,   /* The first operand must be distinct ... */
    E_OPERAND,    /* ADD/DELETE operand type */
    E_FUNCTION,   /* function operand checks, BETWEEN bounds */
    E_DEPTH,      /* path nesting */
    E_NSLOTS,
};

#define MAX_NESTING 512
#define MAX_LIST_INDEX 4294967294ULL /* the largest [index] DynamoDB takes */
#define MAX_OPERATORS 300            /* DynamoDB's limit on an expression's operators (parentheses and functions not counted) */

/* Which slot DynamoDB reports first, per expression family. */
static const int order_condition[] = {E_PARENS,  E_UNKNOWN_FN, E_MISUSED,  E_RESERVED, E_NAME,
                                      E_OPCOUNT, E_DISTINCT,   E_FUNCTION, E_DEPTH,    -1};
static const int order_update[] = {E_RESERVED, E_UNKNOWN_FN, E_MISUSED, E_SECTION,  E_NAME,  E_VALUE, E_OVERLAP,
                                   E_CONFLICT, E_OPERAND,    E_OPCOUNT, E_FUNCTION, E_DEPTH, -1};
static const int order_projection[] = {E_RESERVED, E_NAME, E_OVERLAP, E_CONFLICT, E_DEPTH, -1};

typedef struct {
    ddb_expr_ctx_t *ctx;
    ddb_expr_kind_t kind;
    const char *text;
    tok_t *toks;
    size_t ntoks, pos;
    int syntax_failed;
    unsigned depth;     /* grammar recursion, bounded by MAX_NESTING */
    unsigned operators; /* comparators, BETWEEN, IN, AND, OR, NOT, + and - so far, bounded by MAX_OPERATORS */
    const char *slots[E_NSLOTS];
    const ddb_node_t *paren_node; /* the node the latest "( condition )" produced */
    ddb_path_t *paths;            /* update/projection targets, for the overlap check */
    size_t npaths;
} parser_t;

static void record(parser_t *p, int slot, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void record(parser_t *p, int slot, const char *fmt, ...)
{
    if (slot == E_VALUE && p->kind != DDB_EXPR_UPDATE)
        slot = E_NAME;
    /* a key condition reports the first clause's problem, an undefined value or a wrong operand type, whichever is
     * written first (paritysuite/dynamodb-conformance queryKeyCondition, eu-west-2, October 2026) */
    if (slot == E_FUNCTION && p->kind == DDB_EXPR_KEY_CONDITION)
        slot = E_NAME;
    if (p->slots[slot] != NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    p->slots[slot] = pool_vsprintf(p->ctx->pool, fmt, ap);
    va_end(ap);
}

static const tok_t *peek(parser_t *p)
{
    return &p->toks[p->pos];
}

static const tok_t *peek2(parser_t *p)
{
    return p->pos + 1 < p->ntoks ? &p->toks[p->pos + 1] : &p->toks[p->ntoks - 1];
}

static const tok_t *next(parser_t *p)
{
    const tok_t *t = &p->toks[p->pos];
    if (t->type != T_EOF)
        p->pos++;
    return t;
}

static int tok_is_word(const tok_t *t, const char *word)
{
    return t->type == T_IDENT && t->len == strlen(word) && strncasecmp(t->s, word, t->len) == 0;
}

static int tok_is_keyword(const parser_t *p, const tok_t *t)
{
    static const char *const cond_kw[] = {"AND", "OR", "NOT", "BETWEEN", "IN", NULL};
    static const char *const upd_kw[] = {"SET", "REMOVE", "ADD", "DELETE", NULL};
    const char *const *kw = p->kind == DDB_EXPR_UPDATE ? upd_kw : p->kind == DDB_EXPR_PROJECTION ? NULL : cond_kw;
    for (; kw != NULL && *kw != NULL; kw++)
        if (tok_is_word(t, *kw))
            return 1;
    return 0;
}

/* DynamoDB's syntax error: the offending token and the text from the token
 * before it to the token after it. */
static void *syntax_error(parser_t *p)
{
    if (p->syntax_failed)
        return NULL;
    p->syntax_failed = 1;
    size_t i = p->pos;
    const tok_t *bad = &p->toks[i];
    const char *from = i > 0 ? p->toks[i - 1].s : bad->s;
    const tok_t *after = bad->type != T_EOF && i + 1 < p->ntoks ? &p->toks[i + 1] : bad;
    if (after->type == T_EOF) /* no trailing blanks */
        after = i > 0 && bad->type == T_EOF ? &p->toks[i - 1] : bad;
    const char *to = after->s + after->len;
    const char *token = bad->type == T_EOF ? "<EOF>" : pool_strndup(p->ctx->pool, bad->s, bad->len);
    set_error(p->ctx, "Invalid %s: Syntax error; token: \"%s\", near: \"%.*s\"", kind_label(p->kind), token, (int)(to - from),
              from);
    return NULL;
}

/* Counts the operator just read; the one past MAX_OPERATORS fails the parse as DynamoDB does, naming
 * that count. 0, or -1. */
static int count_operator(parser_t *p)
{
    if (++p->operators <= MAX_OPERATORS)
        return 0;
    if (!p->syntax_failed) {
        p->syntax_failed = 1;
        set_error(p->ctx, "Invalid %s: The expression contains too many operators; operator count: %u", kind_label(p->kind),
                  p->operators);
    }
    return -1;
}

static int expect(parser_t *p, tok_type_t type)
{
    if (peek(p)->type != type) {
        syntax_error(p);
        return -1;
    }
    next(p);
    return 0;
}

static ddb_node_t *new_node(parser_t *p, ddb_node_type_t type, size_t nargs)
{
    ddb_node_t *n = pool_zalloc(p->ctx->pool, sizeof(*n));
    n->type = type;
    n->nargs = nargs;
    if (nargs > 0)
        n->args = pool_zalloc(p->ctx->pool, nargs * sizeof(*n->args));
    return n;
}

/* ---- functions ---- */

enum { FN_COND, FN_SIZE, FN_UPDATE };

static const struct {
    const char *name;
    ddb_node_type_t type;
    size_t nargs;
    int ctx;
} functions[] = {
    {"attribute_exists", DDB_NODE_ATTRIBUTE_EXISTS, 1, FN_COND},
    {"attribute_not_exists", DDB_NODE_ATTRIBUTE_NOT_EXISTS, 1, FN_COND},
    {"attribute_type", DDB_NODE_ATTRIBUTE_TYPE, 2, FN_COND},
    {"begins_with", DDB_NODE_BEGINS_WITH, 2, FN_COND},
    {"contains", DDB_NODE_CONTAINS, 2, FN_COND},
    {"size", DDB_NODE_SIZE, 1, FN_SIZE},
    {"if_not_exists", DDB_NODE_IF_NOT_EXISTS, 2, FN_UPDATE},
    {"list_append", DDB_NODE_LIST_APPEND, 2, FN_UPDATE},
};
#define NFUNCTIONS (sizeof(functions) / sizeof(functions[0]))

static const char *function_name(ddb_node_type_t type)
{
    for (size_t i = 0; i < NFUNCTIONS; i++)
        if (functions[i].type == type)
            return functions[i].name;
    return NULL;
}

/* A function node among operands that cannot be one: in a condition any function but size(); in an update (the
 * operands of list_append) list_append itself, which DynamoDB does not nest, though it nests if_not_exists. */
static void check_misused(parser_t *p, ddb_node_t *const *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = function_name(args[i]->type);
        int misused = p->kind == DDB_EXPR_UPDATE ? args[i]->type == DDB_NODE_LIST_APPEND : args[i]->type != DDB_NODE_SIZE;
        if (name != NULL && misused)
            record(p, E_MISUSED, "The function is not allowed to be used this way in an expression; function: %s", name);
    }
}

/* The type an operand is known to have at parse time, or NULL. immediate: only values count. */
static const char *operand_type(const ddb_node_t *n, int immediate)
{
    if (n->type == DDB_NODE_VALUE)
        return n->value != NULL ? ddb_type_name(ddb_av_type(n->value)) : NULL;
    if (immediate)
        return NULL;
    switch (n->type) {
    case DDB_NODE_SIZE:
    case DDB_NODE_PLUS:
    case DDB_NODE_MINUS:
        return "N";
    case DDB_NODE_LIST_APPEND:
        return "L";
    case DDB_NODE_IF_NOT_EXISTS:
        return n->nargs == 2 ? operand_type(n->args[1], 0) : NULL;
    default:
        return NULL;
    }
}

static int path_equal(const ddb_path_t *a, const ddb_path_t *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const ddb_path_elem_t *x = &a->elems[i], *y = &b->elems[i];
        if ((x->name == NULL) != (y->name == NULL) || (x->name != NULL ? strcmp(x->name, y->name) != 0 : x->index != y->index))
            return 0;
    }
    return 1;
}

static void check_distinct(parser_t *p, const char *op, ddb_node_t *const *args, size_t n)
{
    if (n == 2 && args[0]->type == DDB_NODE_PATH && args[1]->type == DDB_NODE_PATH && path_equal(&args[0]->path, &args[1]->path))
        record(p, E_DISTINCT,
               "The first operand must be distinct from the remaining operands for this operator or function; operator: %s, "
               "first operand: %s",
               op, ddb_path_str(p->ctx, &args[0]->path));
}

static void operand_type_error(parser_t *p, const char *fn, const char *type)
{
    record(p, E_FUNCTION, "Incorrect operand type for operator or function; operator or function: %s, operand type: %s", fn, type);
}

/* The order operators (<, <=, >, >=, BETWEEN) take numbers, strings and binaries: another type known
 * from the request is an error, while an item's attribute of another type only makes them false. */
static void check_ordered_operands(parser_t *p, const char *op, ddb_node_t *const *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *type = operand_type(args[i], 0);
        if (type != NULL && !ddb_type_is_scalar(ddb_type_from_name(type, strlen(type)))) {
            operand_type_error(p, op, type);
            return;
        }
    }
}

static void check_function_operands(parser_t *p, ddb_node_t *n, const char *name)
{
    const char *type;
    switch (n->type) {
    case DDB_NODE_ATTRIBUTE_EXISTS:
    case DDB_NODE_ATTRIBUTE_NOT_EXISTS:
    case DDB_NODE_IF_NOT_EXISTS:
        if (n->args[0]->type != DDB_NODE_PATH)
            record(p, E_FUNCTION, "Operator or function requires a document path; operator or function: %s", name);
        break;
    case DDB_NODE_BEGINS_WITH:
        for (size_t i = 0; i < n->nargs; i++)
            if ((type = operand_type(n->args[i], 0)) != NULL && strcmp(type, "S") != 0 && strcmp(type, "B") != 0) {
                operand_type_error(p, name, type);
                break;
            }
        break;
    case DDB_NODE_ATTRIBUTE_TYPE:
        type = operand_type(n->args[1], 0);
        if (type == NULL || strcmp(type, "S") != 0) {
            operand_type_error(p, name, type != NULL ? type : "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
        } else if (n->args[1]->type == DDB_NODE_VALUE) {
            const char *want = YAJL_GET_STRING(ddb_av_inner(n->args[1]->value));
            if (want == NULL || ddb_type_from_name(want, strlen(want)) == DDB_T_NONE)
                record(p, E_FUNCTION, "Invalid attribute type name found; type: %s, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
                       want != NULL ? want : "");
        }
        break;
    case DDB_NODE_SIZE:
        type = operand_type(n->args[0], 0);
        if (type != NULL && (strcmp(type, "N") == 0 || strcmp(type, "BOOL") == 0 || strcmp(type, "NULL") == 0))
            operand_type_error(p, name, type);
        break;
    case DDB_NODE_LIST_APPEND:
        for (size_t i = 0; i < n->nargs; i++)
            if ((type = operand_type(n->args[i], 1)) != NULL && strcmp(type, "L") != 0) {
                operand_type_error(p, name, type);
                break;
            }
        break;
    default:
        break;
    }
}

static ddb_node_t *parse_cond_operand(parser_t *p);
static ddb_node_t *parse_update_operand(parser_t *p);

/* A growable argument list in the pool. */
typedef struct {
    ddb_node_t **v;
    size_t n, cap;
} nodevec_t;

static void nodevec_push(parser_t *p, nodevec_t *vec, ddb_node_t *n)
{
    if (vec->n == vec->cap) {
        size_t cap = vec->cap == 0 ? 4 : 2 * vec->cap;
        ddb_node_t **v = h2o_mem_alloc_pool(p->ctx->pool, cap * sizeof(*v));
        if (vec->n > 0)
            memcpy(v, vec->v, vec->n * sizeof(*v));
        vec->v = v;
        vec->cap = cap;
    }
    vec->v[vec->n++] = n;
}

/* name ( operand, ... ): condition or update flavour by p->kind. */
static ddb_node_t *parse_function(parser_t *p)
{
    const tok_t *nt = next(p);
    const char *name = pool_strndup(p->ctx->pool, nt->s, nt->len);
    next(p); /* ( */
    nodevec_t args = {NULL};
    do {
        ddb_node_t *a = p->kind == DDB_EXPR_UPDATE ? parse_update_operand(p) : parse_cond_operand(p);
        if (a == NULL)
            return NULL;
        nodevec_push(p, &args, a);
    } while (peek(p)->type == T_COMMA && next(p));
    if (expect(p, T_RPAREN) != 0)
        return NULL;
    size_t argc = args.n;

    size_t fi = 0;
    while (fi < NFUNCTIONS && strcmp(functions[fi].name, name) != 0)
        fi++;
    ddb_node_t *n = new_node(p, fi < NFUNCTIONS ? functions[fi].type : DDB_NODE_CONTAINS, 0);
    n->args = args.v;
    n->nargs = argc;
    if (fi == NFUNCTIONS) {
        record(p, E_UNKNOWN_FN, "Invalid function name; function: %s", name);
        return n;
    }
    if (p->kind == DDB_EXPR_UPDATE && functions[fi].ctx != FN_UPDATE)
        record(p, E_UNKNOWN_FN, "The function is not allowed in an update expression; function: %s", name);
    if (p->kind != DDB_EXPR_UPDATE && functions[fi].ctx == FN_UPDATE)
        record(p, E_UNKNOWN_FN, "The function is not allowed in a condition expression; function: %s", name);
    if (p->kind != DDB_EXPR_UPDATE || n->type == DDB_NODE_LIST_APPEND)
        check_misused(p, n->args, n->nargs);
    if (argc != functions[fi].nargs) {
        record(p, E_OPCOUNT,
               "Incorrect number of operands for operator or function; operator or function: %s, number of operands: %zu", name,
               argc);
        return n;
    }
    check_distinct(p, name, n->args, n->nargs);
    check_function_operands(p, n, name);
    return n;
}

/* ---- paths and values ---- */

static int parse_path_name(parser_t *p, ddb_path_elem_t *e)
{
    const tok_t *t = peek(p);
    if (t->type == T_IDENT && !tok_is_keyword(p, t)) {
        next(p);
        if (ddb_expr_is_reserved(t->s, t->len))
            record(p, E_RESERVED, "Attribute name is a reserved keyword; reserved keyword: %.*s", (int)t->len, t->s);
        e->name = pool_strndup(p->ctx->pool, t->s, t->len);
        return 0;
    }
    if (t->type == T_NAME) {
        next(p);
        int i = map_find(p->ctx->names, t->s, t->len);
        if (i < 0) {
            record(p, E_NAME, "An expression attribute name used in the document path is not defined; attribute name: %.*s",
                   (int)t->len, t->s);
            e->name = "";
        } else {
            p->ctx->names_used[i] = 1;
            const char *s = YAJL_GET_STRING(p->ctx->names->u.object.values[i]);
            e->name = s != NULL ? s : "";
        }
        return 0;
    }
    syntax_error(p);
    return -1;
}

static int parse_path(parser_t *p, ddb_path_t *path)
{
    size_t cap = 4;
    path->elems = h2o_mem_alloc_pool(p->ctx->pool, cap * sizeof(*path->elems));
    path->n = 0;
    for (;;) {
        if (path->n == cap) {
            ddb_path_elem_t *bigger = h2o_mem_alloc_pool(p->ctx->pool, 2 * cap * sizeof(*bigger));
            memcpy(bigger, path->elems, cap * sizeof(*bigger));
            path->elems = bigger;
            cap *= 2;
        }
        ddb_path_elem_t *e = &path->elems[path->n];
        if (path->n == 0 || peek(p)->type == T_DOT) {
            if (path->n > 0)
                next(p);
            if (parse_path_name(p, e) != 0)
                return -1;
        } else if (peek(p)->type == T_LBRACK) {
            next(p);
            const tok_t *t = peek(p);
            if (t->type != T_NUMBER) {
                syntax_error(p);
                return -1;
            }
            next(p);
            unsigned long long v = 0;
            for (size_t i = 0; i < t->len && v <= MAX_LIST_INDEX; i++)
                v = v * 10 + (unsigned)(t->s[i] - '0');
            if (v > MAX_LIST_INDEX) { /* stops the parse, as a syntax error does */
                p->syntax_failed = 1;
                return set_error(p->ctx, "Invalid %s: List index is not within the allowable range; index: [%.*s]",
                                 kind_label(p->kind), (int)t->len, t->s);
            }
            e->name = NULL;
            e->index = (uint32_t)v;
            if (expect(p, T_RBRACK) != 0)
                return -1;
        } else {
            break;
        }
        path->n++;
    }
    if (path->n > DDB_EXPR_MAX_PATH_DEPTH)
        record(p, E_DEPTH, "The document path has too many nesting levels; nesting levels: %zu", path->n);
    return 0;
}

static ddb_node_t *parse_path_node(parser_t *p)
{
    ddb_node_t *n = new_node(p, DDB_NODE_PATH, 0);
    return parse_path(p, &n->path) == 0 ? n : NULL;
}

static ddb_node_t *parse_value(parser_t *p)
{
    const tok_t *t = next(p);
    ddb_node_t *n = new_node(p, DDB_NODE_VALUE, 0);
    int i = map_find(p->ctx->values, t->s, t->len);
    if (i < 0) {
        record(p, E_VALUE, "An expression attribute value used in expression is not defined; attribute value: %.*s", (int)t->len,
               t->s);
    } else {
        p->ctx->values_used[i] = 1;
        n->value = p->ctx->values->u.object.values[i];
    }
    return n;
}

static int at_function(parser_t *p)
{
    return peek(p)->type == T_IDENT && peek2(p)->type == T_LPAREN && !tok_is_keyword(p, peek(p));
}

/* ---- conditions ---- */

static ddb_node_t *parse_or(parser_t *p);

/* A function call, :value, path, or a parenthesized `inner` (conditions and SET values differ there). */
static ddb_node_t *operand(parser_t *p, ddb_node_t *(*inner)(parser_t *))
{
    const tok_t *t = peek(p);
    if (at_function(p))
        return parse_function(p);
    if (t->type == T_VALUE)
        return parse_value(p);
    if ((t->type == T_IDENT && !tok_is_keyword(p, t)) || t->type == T_NAME)
        return parse_path_node(p);
    if (t->type == T_LPAREN) {
        next(p);
        ddb_node_t *n = inner(p);
        return n != NULL && expect(p, T_RPAREN) == 0 ? n : NULL;
    }
    return syntax_error(p);
}

static ddb_node_t *cond_operand(parser_t *p)
{
    return operand(p, parse_cond_operand);
}

/* Nesting guard: every recursion of the grammar passes here or through parse_not(). */
static int enter(parser_t *p)
{
    if (++p->depth > MAX_NESTING) {
        syntax_error(p);
        return -1;
    }
    return 0;
}

static ddb_node_t *parse_cond_operand(parser_t *p)
{
    if (enter(p) != 0)
        return NULL;
    ddb_node_t *n = cond_operand(p);
    p->depth--;
    return n;
}

static ddb_node_type_t comparator(tok_type_t t)
{
    switch (t) {
    case T_EQ:
        return DDB_NODE_EQ;
    case T_NE:
        return DDB_NODE_NE;
    case T_LT:
        return DDB_NODE_LT;
    case T_LE:
        return DDB_NODE_LE;
    case T_GT:
        return DDB_NODE_GT;
    case T_GE:
        return DDB_NODE_GE;
    default:
        return DDB_NODE_PATH; /* not a comparator */
    }
}

/* {S:a}: how DynamoDB prints an AttributeValue in BETWEEN messages. */
static const char *av_brief(parser_t *p, yajl_val av)
{
    yajl_val in = ddb_av_inner(av);
    const char *text = YAJL_IS_STRING(in) ? in->u.string : YAJL_IS_TRUE(in) ? "true" : YAJL_IS_FALSE(in) ? "false" : "...";
    return pool_sprintf(p->ctx->pool, "AttributeValue: {%s:%s}", ddb_type_name(ddb_av_type(av)), text);
}

static void check_between(parser_t *p, const ddb_node_t *lo, const ddb_node_t *hi)
{
    if (lo->type != DDB_NODE_VALUE || hi->type != DDB_NODE_VALUE || lo->value == NULL || hi->value == NULL)
        return;
    ddb_type_t tl = ddb_av_type(lo->value), th = ddb_av_type(hi->value);
    if (tl != th)
        record(p, E_FUNCTION,
               "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: %s, upper bound "
               "operand: %s",
               av_brief(p, lo->value), av_brief(p, hi->value));
    else if (ddb_type_is_scalar(tl) && ddb_av_compare(lo->value, hi->value) > 0)
        record(p, E_FUNCTION,
               "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: %s, "
               "upper bound operand: %s",
               av_brief(p, lo->value), av_brief(p, hi->value));
}

static ddb_node_t *parse_comparison(parser_t *p, ddb_node_t *lhs)
{
    const tok_t *op = peek(p);
    ddb_node_type_t type = comparator(op->type);
    int between = tok_is_word(op, "BETWEEN");
    ddb_node_t *n;
    if (type == DDB_NODE_PATH && !between && !tok_is_word(op, "IN"))
        return NULL; /* not a comparison */
    next(p);
    if (count_operator(p) != 0)
        return NULL;
    if (type != DDB_NODE_PATH) {
        n = new_node(p, type, 2);
        n->args[0] = lhs;
        if ((n->args[1] = parse_cond_operand(p)) == NULL)
            return NULL;
        check_misused(p, n->args, 2);
        const char *opname = pool_strndup(p->ctx->pool, op->s, op->len);
        check_distinct(p, opname, n->args, 2);
        if (type != DDB_NODE_EQ && type != DDB_NODE_NE)
            check_ordered_operands(p, opname, n->args, 2);
    } else if (between) {
        n = new_node(p, DDB_NODE_BETWEEN, 3);
        n->args[0] = lhs;
        if ((n->args[1] = parse_cond_operand(p)) == NULL)
            return NULL;
        if (!tok_is_word(peek(p), "AND"))
            return syntax_error(p);
        next(p);
        if ((n->args[2] = parse_cond_operand(p)) == NULL)
            return NULL;
        check_misused(p, n->args, 3);
        check_ordered_operands(p, "BETWEEN", n->args, 3);
        check_between(p, n->args[1], n->args[2]);
    } else { /* IN */
        if (expect(p, T_LPAREN) != 0)
            return NULL;
        nodevec_t args = {NULL};
        nodevec_push(p, &args, lhs);
        do {
            ddb_node_t *a = parse_cond_operand(p);
            if (a == NULL)
                return NULL;
            nodevec_push(p, &args, a);
        } while (peek(p)->type == T_COMMA && next(p));
        if (expect(p, T_RPAREN) != 0)
            return NULL;
        size_t argc = args.n;
        n = new_node(p, DDB_NODE_IN, 0);
        n->args = args.v;
        n->nargs = argc;
        check_misused(p, n->args, argc);
        if (argc - 1 > DDB_EXPR_MAX_IN)
            record(p, E_OPCOUNT, "The IN operator is provided with too many operands; number of operands: %zu", argc - 1);
    }
    return n;
}

static ddb_node_t *parse_primary(parser_t *p)
{
    if (peek(p)->type == T_LPAREN) {
        next(p);
        ddb_node_t *n = parse_or(p);
        if (n == NULL || expect(p, T_RPAREN) != 0)
            return NULL;
        if (n == p->paren_node)
            record(p, E_PARENS, "The expression has redundant parentheses;");
        p->paren_node = n;
        return n;
    }
    ddb_node_t *lhs = parse_cond_operand(p);
    if (lhs == NULL)
        return NULL;
    ddb_node_t *n = parse_comparison(p, lhs);
    if (n != NULL || p->syntax_failed)
        return n;
    /* no comparison follows: the operand must be a condition function */
    if (lhs->type == DDB_NODE_PATH || lhs->type == DDB_NODE_VALUE)
        return syntax_error(p);
    if (lhs->type == DDB_NODE_SIZE)
        record(p, E_MISUSED, "The function is not allowed to be used this way in an expression; function: size");
    return lhs;
}

static ddb_node_t *parse_not(parser_t *p)
{
    if (enter(p) != 0)
        return NULL;
    ddb_node_t *n;
    if (!tok_is_word(peek(p), "NOT")) {
        n = parse_primary(p);
    } else {
        next(p);
        n = new_node(p, DDB_NODE_NOT, 1);
        if (count_operator(p) != 0 || (n->args[0] = parse_not(p)) == NULL)
            n = NULL;
    }
    p->depth--;
    return n;
}

static ddb_node_t *parse_binary(parser_t *p, const char *word, ddb_node_type_t type, ddb_node_t *(*sub)(parser_t *))
{
    ddb_node_t *l = sub(p);
    while (l != NULL && tok_is_word(peek(p), word)) {
        next(p);
        if (count_operator(p) != 0)
            return NULL;
        ddb_node_t *n = new_node(p, type, 2);
        n->args[0] = l;
        if ((n->args[1] = sub(p)) == NULL)
            return NULL;
        l = n;
    }
    return l;
}

static ddb_node_t *parse_and(parser_t *p)
{
    return parse_binary(p, "AND", DDB_NODE_AND, parse_not);
}

static ddb_node_t *parse_or(parser_t *p)
{
    return parse_binary(p, "OR", DDB_NODE_OR, parse_and);
}

/* ---- update and projection ---- */

static ddb_node_t *parse_set_value(parser_t *p);

static ddb_node_t *update_operand(parser_t *p)
{
    return operand(p, parse_set_value);
}

static ddb_node_t *parse_update_operand(parser_t *p)
{
    if (enter(p) != 0)
        return NULL;
    ddb_node_t *n = update_operand(p);
    p->depth--;
    return n;
}

/* operand, or operand + operand, or operand - operand */
static ddb_node_t *parse_set_value(parser_t *p)
{
    ddb_node_t *l = parse_update_operand(p);
    if (l == NULL)
        return NULL;
    tok_type_t t = peek(p)->type;
    if (t != T_PLUS && t != T_MINUS)
        return l;
    next(p);
    if (count_operator(p) != 0)
        return NULL;
    ddb_node_t *n = new_node(p, t == T_PLUS ? DDB_NODE_PLUS : DDB_NODE_MINUS, 2);
    n->args[0] = l;
    if ((n->args[1] = parse_update_operand(p)) == NULL)
        return NULL;
    for (size_t i = 0; i < 2; i++) {
        const char *type = operand_type(n->args[i], 1);
        if (type != NULL && strcmp(type, "N") != 0) {
            operand_type_error(p, t == T_PLUS ? "+" : "-", type);
            break;
        }
    }
    return n;
}

/* Records path as an update/projection target; two targets may not overlap. */
static void add_target(parser_t *p, const ddb_path_t *path)
{
    for (size_t i = 0; i < p->npaths; i++) {
        const ddb_path_t *q = &p->paths[i];
        size_t j, common = q->n < path->n ? q->n : path->n;
        for (j = 0; j < common; j++) {
            const ddb_path_elem_t *x = &q->elems[j], *y = &path->elems[j];
            if ((x->name == NULL) != (y->name == NULL)) {
                record(p, E_CONFLICT,
                       "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: %s, "
                       "path two: %s",
                       ddb_path_str(p->ctx, q), ddb_path_str(p->ctx, path));
                break;
            }
            if (x->name != NULL ? strcmp(x->name, y->name) != 0 : x->index != y->index)
                break;
        }
        if (j == common) {
            record(p, E_OVERLAP,
                   "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: %s, path "
                   "two: %s",
                   ddb_path_str(p->ctx, q), ddb_path_str(p->ctx, path));
            break;
        }
    }
    if ((p->npaths & (p->npaths - 1)) == 0) { /* grow at powers of two */
        ddb_path_t *bigger = h2o_mem_alloc_pool(p->ctx->pool, (p->npaths == 0 ? 1 : 2 * p->npaths) * sizeof(*bigger));
        if (p->npaths > 0)
            memcpy(bigger, p->paths, p->npaths * sizeof(*bigger));
        p->paths = bigger;
    }
    p->paths[p->npaths++] = *path;
}

static const char *const section_names[] = {"SET", "REMOVE", "ADD", "DELETE"};

/* ADD takes numbers and sets, DELETE only sets. */
static void check_add_delete_operand(parser_t *p, ddb_update_op_t op, const ddb_node_t *v)
{
    static const struct {
        const char *type, *word;
    } words[] = {{"S", "STRING"},     {"N", "NUMBER"}, {"B", "BINARY"}, {"NULL", "NULL"},
                 {"BOOL", "BOOLEAN"}, {"L", "LIST"},   {"M", "MAP"}};
    const char *type = operand_type(v, 1);
    if (type == NULL || (op == DDB_UPDATE_ADD && strcmp(type, "N") == 0))
        return;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcmp(words[i].type, type) == 0)
            record(
                p, E_OPERAND,
                "Incorrect operand type for operator or function; operator: %s, operand type: %s, typeSet: ALLOWED_FOR_%s_OPERAND",
                section_names[op], words[i].word, section_names[op]);
}

static int parse_action(parser_t *p, ddb_update_op_t op, ddb_update_action_t *a)
{
    memset(a, 0, sizeof(*a));
    a->op = op;
    if (parse_path(p, &a->path) != 0)
        return -1;
    add_target(p, &a->path);
    switch (op) {
    case DDB_UPDATE_SET:
        if (expect(p, T_EQ) != 0)
            return -1;
        return (a->value = parse_set_value(p)) != NULL ? 0 : -1;
    case DDB_UPDATE_REMOVE:
        return 0;
    case DDB_UPDATE_ADD:
    case DDB_UPDATE_DELETE:
        if (peek(p)->type != T_VALUE) {
            syntax_error(p);
            return -1;
        }
        a->value = parse_value(p);
        check_add_delete_operand(p, op, a->value);
        return 0;
    }
    return -1;
}

/* ---- entry points ---- */

static int parser_init(parser_t *p, ddb_expr_ctx_t *ctx, ddb_expr_kind_t kind, const char *text)
{
    memset(p, 0, sizeof(*p));
    p->ctx = ctx;
    p->kind = kind;
    p->text = text;
    size_t len = strlen(text);
    if (len == 0)
        return set_error(ctx, "Invalid %s: The expression can not be empty;", kind_label(kind));
    /* only a ConditionExpression's and a FilterExpression's message gives the size; the others end at the semicolon
     * (ExtendDB/extenddb tests/test_expression_size_limit.py, captured in us-east-1; paritysuite/dynamodb-conformance
     * deepRequests, 2026-10-09; a Query's FilterExpression: pynamodb/PynamoDB#979) */
    if (len > DDB_EXPR_MAX_BYTES && (kind == DDB_EXPR_CONDITION || kind == DDB_EXPR_FILTER))
        return set_error(ctx, "Invalid %s: Expression size has exceeded the maximum allowed size; expression size: %zu",
                         kind_label(kind), len);
    if (len > DDB_EXPR_MAX_BYTES)
        return set_error(ctx, "Invalid %s: Expression size has exceeded the maximum allowed size;", kind_label(kind));
    p->toks = lex(ctx->pool, text, &p->ntoks);
    return 0;
}

/* After a parse without syntax errors: the recorded problem DynamoDB reports first. */
static int parser_finish(parser_t *p, const int *order)
{
    if (p->syntax_failed)
        return -1;
    if (peek(p)->type != T_EOF) {
        syntax_error(p);
        return -1;
    }
    for (; *order >= 0; order++)
        if (p->slots[*order] != NULL)
            return set_error(p->ctx, "Invalid %s: %s", kind_label(p->kind), p->slots[*order]);
    return 0;
}

ddb_node_t *ddb_expr_parse_condition(ddb_expr_ctx_t *ctx, ddb_expr_kind_t kind, const char *text)
{
    parser_t p;
    if (parser_init(&p, ctx, kind, text) != 0)
        return NULL;
    ddb_node_t *n = parse_or(&p);
    return parser_finish(&p, order_condition) == 0 ? n : NULL;
}

ddb_update_t *ddb_expr_parse_update(ddb_expr_ctx_t *ctx, const char *text)
{
    parser_t p;
    if (parser_init(&p, ctx, DDB_EXPR_UPDATE, text) != 0)
        return NULL;
    ddb_update_t *u = pool_zalloc(ctx->pool, sizeof(*u));
    u->actions = h2o_mem_alloc_pool(ctx->pool, p.ntoks * sizeof(*u->actions)); /* an action takes at least one token */
    int seen[4] = {0};
    do {
        size_t op = 0;
        while (op < 4 && !tok_is_word(peek(&p), section_names[op]))
            op++;
        if (op == 4) {
            syntax_error(&p);
            break;
        }
        next(&p);
        if (seen[op])
            record(&p, E_SECTION, "The \"%s\" section can only be used once in an update expression;", section_names[op]);
        seen[op] = 1;
        do {
            if (parse_action(&p, (ddb_update_op_t)op, &u->actions[u->n++]) != 0)
                return NULL;
        } while (peek(&p)->type == T_COMMA && next(&p));
    } while (peek(&p)->type != T_EOF);
    return parser_finish(&p, order_update) == 0 ? u : NULL;
}

ddb_projection_t *ddb_expr_parse_projection(ddb_expr_ctx_t *ctx, const char *text)
{
    parser_t p;
    if (parser_init(&p, ctx, DDB_EXPR_PROJECTION, text) != 0)
        return NULL;
    do {
        ddb_path_t path;
        if (parse_path(&p, &path) != 0)
            return NULL;
        add_target(&p, &path);
    } while (peek(&p)->type == T_COMMA && next(&p));
    if (parser_finish(&p, order_projection) != 0)
        return NULL;
    ddb_projection_t *proj = pool_zalloc(ctx->pool, sizeof(*proj));
    proj->paths = p.paths;
    proj->n = p.npaths;
    return proj;
}

int ddb_expr_parse_request(ddb_expr_ctx_t *ctx, ddb_expr_request_t *req)
{
    req->update_ast = NULL;
    req->condition_ast = req->key_condition_ast = req->filter_ast = NULL;
    req->projection_ast = NULL;
    if (req->update != NULL && (req->update_ast = ddb_expr_parse_update(ctx, req->update)) == NULL)
        return -1;
    if (req->condition != NULL && (req->condition_ast = ddb_expr_parse_condition(ctx, DDB_EXPR_CONDITION, req->condition)) == NULL)
        return -1;
    if (req->key_condition != NULL &&
        (req->key_condition_ast = ddb_expr_parse_condition(ctx, DDB_EXPR_KEY_CONDITION, req->key_condition)) == NULL)
        return -1;
    if (req->filter != NULL && (req->filter_ast = ddb_expr_parse_condition(ctx, DDB_EXPR_FILTER, req->filter)) == NULL)
        return -1;
    if (req->projection != NULL && (req->projection_ast = ddb_expr_parse_projection(ctx, req->projection)) == NULL)
        return -1;
    return ddb_expr_check_unused(ctx);
}

/* ---- KeyConditionExpression shape ---- */

#define MAX_KEY_PARTS 16

typedef struct {
    ddb_key_part_t parts[MAX_KEY_PARTS];
    size_t n;
    int legacy; /* from KeyConditions */
} key_walk_t;

static ddb_key_op_t key_op(ddb_node_type_t type, int flipped)
{
    switch (type) {
    case DDB_NODE_LT:
        return flipped ? DDB_KEY_GT : DDB_KEY_LT;
    case DDB_NODE_LE:
        return flipped ? DDB_KEY_GE : DDB_KEY_LE;
    case DDB_NODE_GT:
        return flipped ? DDB_KEY_LT : DDB_KEY_GT;
    case DDB_NODE_GE:
        return flipped ? DDB_KEY_LE : DDB_KEY_GE;
    case DDB_NODE_BETWEEN:
        return DDB_KEY_BETWEEN;
    case DDB_NODE_BEGINS_WITH:
        return DDB_KEY_BEGINS_WITH;
    default:
        return DDB_KEY_EQ;
    }
}

/* The next part of w, for attr (NULL after setting the error). */
static ddb_key_part_t *key_part(ddb_expr_ctx_t *ctx, key_walk_t *w, const char *attr)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->parts[i].name, attr) == 0)
            return set_error(ctx, "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per "
                                  "key"),
                   NULL;
    if (w->n == MAX_KEY_PARTS)
        return set_error(ctx, "Conditions can be of length 1 or 2 only"), NULL;
    ddb_key_part_t *part = &w->parts[w->n++];
    part->name = attr;
    return part;
}

/* Whether n is what ddb_legacy.c makes of NOT_CONTAINS: attribute_exists(a) AND NOT contains(a, v). */
static int is_not_contains(const ddb_node_t *n)
{
    if (n->type != DDB_NODE_AND || n->args[0]->type != DDB_NODE_ATTRIBUTE_EXISTS || n->args[1]->type != DDB_NODE_NOT)
        return 0;
    const ddb_node_t *c = n->args[1]->args[0];
    return c->type == DDB_NODE_CONTAINS && strcmp(c->args[0]->path.elems[0].name, n->args[0]->args[0]->path.elems[0].name) == 0;
}

/* The comparison of a KeyConditions operator that no key condition can use (NE, IN, NULL, NOT_NULL,
 * CONTAINS, or NOT_CONTAINS), or NULL. */
static const ddb_node_t *unindexable(const ddb_node_t *n)
{
    if (is_not_contains(n))
        n = n->args[1]->args[0];
    switch (n->type) {
    case DDB_NODE_NE:
    case DDB_NODE_IN:
    case DDB_NODE_ATTRIBUTE_EXISTS:
    case DDB_NODE_ATTRIBUTE_NOT_EXISTS:
    case DDB_NODE_CONTAINS:
        return n;
    default:
        return NULL;
    }
}

static int key_walk(ddb_expr_ctx_t *ctx, const ddb_node_t *n, key_walk_t *w)
{
    const ddb_node_t *u = w->legacy ? unindexable(n) : NULL;
    if (u) {
        ddb_key_part_t *part = key_part(ctx, w, u->args[0]->path.elems[0].name);
        if (!part)
            return -1;
        part->op = DDB_KEY_UNINDEXABLE;
        return 0;
    }
    switch (n->type) {
    case DDB_NODE_OR:
        return set_error(ctx, "Invalid operator used in KeyConditionExpression: OR");
    case DDB_NODE_NOT:
        return set_error(ctx, "Invalid operator used in KeyConditionExpression: NOT");
    case DDB_NODE_IN:
        return set_error(ctx, "Invalid operator used in KeyConditionExpression: IN");
    case DDB_NODE_NE:
        return set_error(ctx, "Invalid operator used in KeyConditionExpression: <>");
    case DDB_NODE_ATTRIBUTE_EXISTS:
    case DDB_NODE_ATTRIBUTE_NOT_EXISTS:
    case DDB_NODE_ATTRIBUTE_TYPE:
    case DDB_NODE_CONTAINS:
        return set_error(ctx, "Invalid operator used in KeyConditionExpression: %s", function_name(n->type));
    case DDB_NODE_SIZE:
        return set_error(ctx, "KeyConditionExpressions cannot contain nested operations");
    case DDB_NODE_BETWEEN:
    case DDB_NODE_BEGINS_WITH:
        if (n->args[0]->type != DDB_NODE_PATH)
            return set_error(
                ctx, "Invalid condition in KeyConditionExpression: %s operator must have the key attribute as its first operand",
                n->type == DDB_NODE_BETWEEN ? "BETWEEN" : "begins_with");
        break;
    default:
        break;
    }
    const char *attr = NULL;
    size_t attr_ix = 0;
    for (size_t i = 0; i < n->nargs; i++) {
        const ddb_node_t *a = n->args[i];
        if (a->type == DDB_NODE_PATH) {
            if (attr != NULL)
                return set_error(ctx,
                                 "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
            if (a->path.n > 1)
                return set_error(ctx, "KeyConditionExpressions cannot have conditions on nested attributes");
            attr = a->path.elems[0].name;
            attr_ix = i;
        } else if (a->type != DDB_NODE_VALUE && key_walk(ctx, a, w) != 0) {
            return -1;
        }
    }
    if (n->type == DDB_NODE_AND)
        return 0;
    if (attr == NULL)
        return set_error(ctx, "Invalid condition in KeyConditionExpression: No key attribute specified");
    ddb_key_part_t *part = key_part(ctx, w, attr);
    if (!part)
        return -1;
    part->op = key_op(n->type, attr_ix != 0);
    for (size_t i = 0, j = 0; i < n->nargs && j < 2; i++)
        if (i != attr_ix)
            part->values[j++] = n->args[i]->value;
    return 0;
}

int ddb_expr_key_condition(ddb_expr_ctx_t *ctx, const ddb_node_t *cond, int legacy, ddb_key_cond_t *out)
{
    key_walk_t w;
    memset(&w, 0, sizeof(w));
    w.legacy = legacy;
    memset(out, 0, sizeof(*out));
    if (key_walk(ctx, cond, &w) != 0)
        return -1;
    if (w.n > DDB_KEY_COND_PARTS)
        return set_error(ctx, "Conditions can be of length 1 or 2 only");
    memcpy(out->parts, w.parts, w.n * sizeof(w.parts[0]));
    out->nparts = w.n;
    out->legacy = legacy;
    return 0;
}

static int key_part_types_match(const ddb_key_part_t *part, const char *type)
{
    size_t nvalues = part->op == DDB_KEY_BETWEEN ? 2 : 1;
    for (size_t i = 0; i < nvalues; i++)
        if (part->values[i] == NULL || strcmp(ddb_type_name(ddb_av_type(part->values[i])), type) != 0)
            return 0;
    return 1;
}

/* The condition on attribute name, or NULL. */
static const ddb_key_part_t *part_named(const ddb_key_cond_t *kc, const char *name)
{
    for (size_t i = 0; i < kc->nparts; i++)
        if (strcmp(kc->parts[i].name, name) == 0)
            return &kc->parts[i];
    return NULL;
}

static int is_key_name(const ddb_key_name_t *keys, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i].name, name) == 0)
            return 1;
    return 0;
}

/* A condition on an attribute that is no key of the schema: DynamoDB names the first sort key attribute left
 * without a condition, if any. */
static int unknown_key_error(ddb_expr_ctx_t *ctx, const ddb_key_cond_t *kc, const ddb_key_name_t *range, size_t nrange)
{
    for (size_t i = 0; i < nrange; i++)
        if (!part_named(kc, range[i].name))
            return set_error(ctx, "Query condition missed key schema element: %s", range[i].name);
    return set_error(ctx, "Query key condition not supported");
}

/* The sort key conditions: a prefix of the sort key attributes, each an equality but the last. */
static int range_prefix(ddb_expr_ctx_t *ctx, ddb_key_cond_t *kc, const ddb_key_name_t *range, size_t nrange)
{
    kc->nrange = 0;
    while (kc->nrange < nrange && (kc->range[kc->nrange] = part_named(kc, range[kc->nrange].name)) != NULL)
        kc->nrange++;
    for (size_t i = kc->nrange + 1; i < nrange; i++)
        if (part_named(kc, range[i].name))
            return set_error(ctx,
                             "RANGE key attributes %s must have equality conditions specified in the query because a condition "
                             "is present on key attribute %s",
                             range[kc->nrange].name, range[i].name);
    for (size_t i = 0; i + 1 < kc->nrange; i++)
        if (kc->range[i]->op != DDB_KEY_EQ && kc->range[i]->op != DDB_KEY_UNINDEXABLE)
            return set_error(ctx, "Query key condition not supported");
    return 0;
}

int ddb_expr_key_resolve(ddb_expr_ctx_t *ctx, ddb_key_cond_t *kc, const ddb_key_name_t *hash, size_t nhash,
                         const ddb_key_name_t *range, size_t nrange)
{
    /* the expression's words: paritysuite/dynamodb-conformance queryKeyConditionOperands (eu-west-2, October 2026) */
    if (nhash == 1 && nrange <= 1 && kc->nparts > 2 && !kc->legacy)
        return set_error(ctx,
                         "The number of query conditions (%zu) exceeds the number of key attributes defined in the schema (%zu)",
                         kc->nparts, nhash + nrange);
    if (nhash == 1 && nrange <= 1 && kc->nparts > 2)
        return set_error(ctx, "Conditions can be of length 1 or 2 only");
    kc->nhash = nhash;
    for (size_t i = 0; i < nhash; i++)
        if ((kc->hash[i] = part_named(kc, hash[i].name)) == NULL)
            return set_error(ctx, "Query condition missed key schema element: %s", hash[i].name);
    for (size_t i = 0; i < kc->nparts; i++)
        if (!is_key_name(hash, nhash, kc->parts[i].name) && !is_key_name(range, nrange, kc->parts[i].name))
            return unknown_key_error(ctx, kc, range, nrange);
    if (range_prefix(ctx, kc, range, nrange) != 0)
        return -1;
    for (size_t i = 0; i < kc->nparts; i++)
        if (kc->parts[i].op == DDB_KEY_UNINDEXABLE)
            return set_error(ctx, "Attempted conditional constraint is not an indexable operation");
    for (size_t i = 0; i < nhash; i++)
        if (kc->hash[i]->op != DDB_KEY_EQ)
            return set_error(ctx, "Query key condition not supported");
    for (size_t i = 0; i < nhash + kc->nrange; i++) {
        const ddb_key_part_t *part = i < nhash ? kc->hash[i] : kc->range[i - nhash];
        if (!key_part_types_match(part, i < nhash ? hash[i].type : range[i - nhash].type))
            return set_error(ctx, "One or more parameter values were invalid: Condition parameter type does not match schema type");
    }
    return 0;
}
