/* ddb_partiql_parse.c - lexer and recursive-descent parser for DynamoDB's
 * PartiQL statements (SELECT, INSERT, UPDATE, DELETE, EXISTS).
 *
 * The grammar and the error texts follow the PartiQL reference parser that
 * DynamoDB runs: a refused statement reads "Statement wasn't well formed,
 * can't be processed: <detail>" with the parser's detail ("Unexpected term",
 * "Unexpected keyword", "Expected identifier for simple path", "Unexpected
 * token after expression", ...), or nothing after the colon when the lexer
 * cannot read the text. A few refusals are DynamoDB's own, without the
 * prefix ("Aliasing is not supported"). Everything is allocated in the pool. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "services/dynamodb/ddb_number.h"
#include "services/dynamodb/ddb_partiql.h"

typedef enum {
    T_EOF,
    T_IDENT,   /* bare identifier (not a keyword) */
    T_KEYWORD, /* bare reserved word; text in lower case */
    T_QIDENT,  /* "identifier" */
    T_STR,     /* 'string' */
    T_NUM,
    T_PARAM, /* ? */
    T_LPAREN,
    T_RPAREN,
    T_LBRACK,
    T_RBRACK,
    T_LBRACE,
    T_RBRACE,
    T_LBAG, /* << */
    T_RBAG, /* >> */
    T_COMMA,
    T_DOT,
    T_COLON,
    T_STAR,
    T_SEMI,
    T_OP, /* = <> != < <= > >= + - / % || */
} tok_type_t;

typedef struct {
    tok_type_t type;
    const char *text; /* NUL-terminated, unescaped; keywords and operators as written in lower case */
    pql_pos_t pos;    /* where it was written */
} tok_t;

typedef struct {
    h2o_mem_pool_t *pool;
    const char *src;  /* the statement text, for token positions... */
    const char *at;   /* ...where the last token began (NULL: none yet)... */
    pql_pos_t at_pos; /* ...and its line and column */
    tok_t *toks;
    size_t ntoks, pos;
    size_t nparams;
    size_t depth; /* nested expressions, NOTs and signs being parsed */
    const char *err;
} parser_t;

#define MSG_EMPTY_COMPONENT "Path component cannot be an empty string"

/* Deeper nesting is refused: the parser recurses (seq() alone takes 4 KB of
 * stack per level), and so do the translation and evaluation of its ASTs. */
#define PQL_MAX_DEPTH 100

/* The reserved words a bare identifier may not be (PartiQL's SQL-92 core that statements meet). */
static const char *const keywords[] = {
    "all",     "and",    "any",      "as",     "asc",    "at",        "between", "by",    "case",    "cast",  "create",
    "delete",  "desc",   "distinct", "drop",   "else",   "end",       "exists",  "false", "from",    "group", "having",
    "in",      "inner",  "insert",   "into",   "is",     "join",      "like",    "limit", "missing", "not",   "null",
    "on",      "or",     "order",    "pivot",  "remove", "returning", "select",  "set",   "then",    "true",  "union",
    "unpivot", "update", "value",    "values", "when",   "where",     "with",
};

static void *zalloc(parser_t *p, size_t n)
{
    void *m = h2o_mem_alloc_pool(p->pool, n ? n : 1);
    memset(m, 0, n ? n : 1);
    return m;
}

static char *pdup(parser_t *p, const char *s, size_t len)
{
    char *d = h2o_mem_alloc_pool(p->pool, len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

static int fail(parser_t *p, const char *detail)
{
    if (!p->err) {
        char *msg = h2o_mem_alloc_pool(p->pool, strlen(PQL_MSG_MALFORMED) + strlen(detail) + 1);
        strcpy(msg, PQL_MSG_MALFORMED);
        strcat(msg, detail);
        p->err = msg;
    }
    return -1;
}

/* A refusal without the "wasn't well formed" prefix. */
static int refuse(parser_t *p, const char *msg)
{
    if (!p->err)
        p->err = msg;
    return -1;
}

/* Enters one more level of nesting; 0 (error set) when that is too deep.
 * Each successful call is paired with a p->depth-- on the way out. */
static int deeper(parser_t *p)
{
    if (p->depth >= PQL_MAX_DEPTH)
        return fail(p, "Expression nesting too deep"), 0;
    p->depth++;
    return 1;
}

/* ---- lexer ---- */

static int is_keyword(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
        if (strlen(keywords[i]) == len && strncasecmp(keywords[i], s, len) == 0)
            return 1;
    return 0;
}

/* Whether c starts a character (is not a UTF-8 continuation byte): positions count characters. */
static int starts_char(char c)
{
    return ((unsigned char)c & 0xc0) != 0x80;
}

/* Line and column (from 1) of s in the statement, and the length of the token [s, e), in characters. The lexer
 * pushes tokens in text order: each position is counted on from the last one's. */
static pql_pos_t position(parser_t *p, const char *s, const char *e)
{
    if (p->at == NULL)
        p->at = p->src, p->at_pos = (pql_pos_t){1, 1, 0};
    pql_pos_t pos = p->at_pos;
    for (const char *q = p->at; q < s; q++) {
        pos.col = *q == '\n' ? 1 : pos.col + starts_char(*q);
        pos.line += *q == '\n';
    }
    p->at = s;
    p->at_pos = pos;
    for (; s < e; s++)
        pos.len += starts_char(*s);
    return pos;
}

static void push(parser_t *p, size_t *cap, tok_type_t type, const char *text, const char *s, const char *e)
{
    if (p->ntoks == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        tok_t *n = h2o_mem_alloc_pool(p->pool, sizeof(tok_t) * ncap);
        if (p->ntoks)
            memcpy(n, p->toks, sizeof(tok_t) * p->ntoks);
        p->toks = n;
        *cap = ncap;
    }
    p->toks[p->ntoks].type = type;
    p->toks[p->ntoks].pos = position(p, s, e);
    p->toks[p->ntoks++].text = text;
}

/* A quoted run ('...' or "..."), the quote doubled inside as an escape. Returns the end, or NULL if unterminated. */
static const char *quoted(parser_t *p, const char *s, char q, const char **out)
{
    size_t cap = strlen(s), n = 0;
    char *buf = h2o_mem_alloc_pool(p->pool, cap + 1);
    for (s++; *s; s++) {
        if (*s == q) {
            if (s[1] != q) {
                buf[n] = '\0';
                *out = buf;
                return s + 1;
            }
            s++;
        }
        buf[n++] = *s;
    }
    return NULL;
}

/* Digits [. digits] [e [+-] digits]; NULL if Java's BigDecimal could not read it (ddb_num_bigdecimal_check()). */
static const char *number(const char *s)
{
    const char *start = s;
    while (isdigit((unsigned char)*s))
        s++;
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s);)
            s++;
    if ((*s == 'e' || *s == 'E') &&
        (isdigit((unsigned char)s[1]) || ((s[1] == '+' || s[1] == '-') && isdigit((unsigned char)s[2])))) {
        s += (s[1] == '+' || s[1] == '-') ? 2 : 1;
        while (isdigit((unsigned char)*s))
            s++;
    }
    return ddb_num_bigdecimal_check(start, (size_t)(s - start)) == DDB_NUM_EINVALID ? NULL : s;
}

static const char *skip_space(const char *s)
{
    for (;;) {
        while (isspace((unsigned char)*s))
            s++;
        if (s[0] == '-' && s[1] == '-') {
            while (*s && *s != '\n')
                s++;
        } else if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            if (!e)
                return NULL;
            s = e + 2;
        } else {
            return s;
        }
    }
}

static int lex(parser_t *p, const char *s)
{
    size_t cap = 0;
    static const struct {
        const char *text;
        tok_type_t type;
    } puncts[] = {{"<<", T_LBAG},  {">>", T_RBAG},  {"<>", T_OP},    {"!=", T_OP},    {"<=", T_OP},    {">=", T_OP},
                  {"||", T_OP},    {"(", T_LPAREN}, {")", T_RPAREN}, {"[", T_LBRACK}, {"]", T_RBRACK}, {"{", T_LBRACE},
                  {"}", T_RBRACE}, {",", T_COMMA},  {".", T_DOT},    {":", T_COLON},  {"*", T_STAR},   {";", T_SEMI},
                  {"=", T_OP},     {"<", T_OP},     {">", T_OP},     {"+", T_OP},     {"-", T_OP},     {"/", T_OP},
                  {"%", T_OP},     {"?", T_PARAM}};
    for (;;) {
        if (!(s = skip_space(s)))
            return fail(p, "");
        if (!*s)
            break;
        const char *text;
        if (*s == '\'' || *s == '"') {
            const char *e = quoted(p, s, *s, &text);
            if (!e)
                return fail(p, "");
            push(p, &cap, *s == '\'' ? T_STR : T_QIDENT, text, s, e);
            s = e;
            continue;
        }
        if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))) {
            const char *e = number(s);
            if (!e)
                return fail(p, "");
            push(p, &cap, T_NUM, pdup(p, s, (size_t)(e - s)), s, e);
            s = e;
            continue;
        }
        if (isalpha((unsigned char)*s) || *s == '_' || *s == '$') {
            const char *e = s;
            while (isalnum((unsigned char)*e) || *e == '_' || *e == '$')
                e++;
            size_t len = (size_t)(e - s);
            if (is_keyword(s, len)) {
                char *kw = pdup(p, s, len);
                for (char *k = kw; *k; k++)
                    *k = (char)tolower((unsigned char)*k);
                push(p, &cap, T_KEYWORD, kw, s, e);
            } else {
                push(p, &cap, T_IDENT, pdup(p, s, len), s, e);
            }
            s = e;
            continue;
        }
        size_t i = 0, n = sizeof(puncts) / sizeof(puncts[0]);
        while (i < n && strncmp(s, puncts[i].text, strlen(puncts[i].text)) != 0)
            i++;
        if (i == n)
            return fail(p, "");
        push(p, &cap, puncts[i].type, puncts[i].text, s, s + strlen(puncts[i].text));
        s += strlen(puncts[i].text);
    }
    push(p, &cap, T_EOF, "", s, s);
    return 0;
}

/* ---- token helpers ---- */

static const tok_t *peek(parser_t *p)
{
    return &p->toks[p->pos];
}

static const tok_t *peek2(parser_t *p)
{
    return &p->toks[p->pos + (p->toks[p->pos].type != T_EOF)];
}

static int at_kw(parser_t *p, const char *kw)
{
    return peek(p)->type == T_KEYWORD && strcmp(peek(p)->text, kw) == 0;
}

static int accept_kw(parser_t *p, const char *kw)
{
    if (!at_kw(p, kw))
        return 0;
    p->pos++;
    return 1;
}

/* A bare identifier or keyword spelled word (case-insensitive): MODIFIED, OLD, NEW. */
static int accept_word(parser_t *p, const char *word)
{
    const tok_t *t = peek(p);
    if ((t->type != T_IDENT && t->type != T_KEYWORD) || strcasecmp(t->text, word) != 0)
        return 0;
    p->pos++;
    return 1;
}

static int accept(parser_t *p, tok_type_t type)
{
    if (peek(p)->type != type)
        return 0;
    p->pos++;
    return 1;
}

static int accept_op(parser_t *p, const char *op)
{
    if (peek(p)->type != T_OP || strcmp(peek(p)->text, op) != 0)
        return 0;
    p->pos++;
    return 1;
}

static int expect(parser_t *p, tok_type_t type, const char *name)
{
    if (accept(p, type))
        return 0;
    char buf[64];
    snprintf(buf, sizeof(buf), "Expected %s", name);
    return fail(p, buf);
}

static int is_ident(const tok_t *t)
{
    return t->type == T_IDENT || t->type == T_QIDENT;
}

/* ---- expressions ---- */

static pql_expr_t *node(parser_t *p, pql_etype_t type, size_t nargs)
{
    pql_expr_t *e = zalloc(p, sizeof(*e));
    e->type = type;
    e->nargs = nargs;
    e->args = zalloc(p, sizeof(pql_expr_t *) * (nargs + 1));
    return e;
}

static pql_expr_t *expr(parser_t *p);

/* Comma-separated expressions up to the closing token; NULL on error. */
static pql_expr_t *seq(parser_t *p, pql_etype_t type, tok_type_t close, const char *close_name)
{
    pql_expr_t *items[256], *keys[256];
    size_t n = 0;
    if (!accept(p, close)) {
        do {
            if (n == sizeof(items) / sizeof(items[0]))
                return fail(p, "Too many elements"), NULL;
            if (type == PQL_TUPLE) {
                if (!(keys[n] = expr(p)) || expect(p, T_COLON, "COLON") != 0)
                    return NULL;
            }
            if (!(items[n++] = expr(p)))
                return NULL;
        } while (accept(p, T_COMMA));
        if (expect(p, close, close_name) != 0)
            return NULL;
    }
    pql_expr_t *e = node(p, type, n);
    memcpy(e->args, items, sizeof(pql_expr_t *) * n);
    if (type == PQL_TUPLE) {
        e->keys = zalloc(p, sizeof(pql_expr_t *) * (n + 1));
        memcpy(e->keys, keys, sizeof(pql_expr_t *) * n);
    }
    return e;
}

static pql_expr_t *leaf(parser_t *p, pql_etype_t type, const char *text)
{
    pql_expr_t *e = node(p, type, 0);
    e->text = text;
    e->pos = peek(p)->pos;
    p->pos++;
    return e;
}

static pql_expr_t *path_root(parser_t *p, const char *name)
{
    pql_expr_t *e = node(p, PQL_PATH, 0);
    e->path.elems = zalloc(p, sizeof(ddb_path_elem_t));
    e->path.elems[0].name = name;
    e->path.n = 1;
    e->pos = peek(p)->pos;
    p->pos++;
    return e;
}

static pql_expr_t *call(parser_t *p, const char *name)
{
    char *lower = pdup(p, name, strlen(name));
    for (char *k = lower; *k; k++)
        *k = (char)tolower((unsigned char)*k);
    pql_pos_t pos = peek(p)->pos;
    p->pos += 2; /* name ( */
    pql_expr_t *e = seq(p, PQL_CALL, T_RPAREN, "RIGHT_PAREN");
    if (e) {
        e->text = lower;
        e->pos = pos;
    }
    return e;
}

static pql_stmt_t *from_stmt(parser_t *p);

/* Reserved words PartiQL's lexer reads as operators: one where a term should start is an "Unexpected operator". */
static const char *const operator_words[] = {"is", "like", "and", "or", "between", "in"};

static pql_expr_t *term(parser_t *p)
{
    const tok_t *t = peek(p);
    switch (t->type) {
    case T_LPAREN: {
        p->pos++;
        if (peek(p)->type == T_RPAREN)
            return fail(p, "Expression group cannot be empty"), NULL;
        pql_expr_t *g = seq(p, PQL_LIST, T_RPAREN, "RIGHT_PAREN");
        return g && g->nargs == 1 ? g->args[0] : g;
    }
    case T_LBRACK:
        p->pos++;
        return seq(p, PQL_LIST, T_RBRACK, "RIGHT_BRACKET");
    case T_LBAG:
        p->pos++;
        return seq(p, PQL_BAG, T_RBAG, "RIGHT_DOUBLE_ANGLE_BRACKET");
    case T_LBRACE:
        p->pos++;
        return seq(p, PQL_TUPLE, T_RBRACE, "RIGHT_CURLY");
    case T_IDENT:
    case T_QIDENT:
        if (peek2(p)->type == T_LPAREN)
            return call(p, t->text);
        return path_root(p, t->text);
    case T_PARAM: {
        pql_expr_t *e = leaf(p, PQL_PARAM, "?");
        e->ival = (long)p->nparams++;
        return e;
    }
    case T_STR:
        return leaf(p, PQL_STR, t->text);
    case T_NUM:
        return leaf(p, PQL_NUM, t->text);
    case T_KEYWORD:
        if (strcmp(t->text, "true") == 0 || strcmp(t->text, "false") == 0) {
            pql_expr_t *e = leaf(p, PQL_BOOL, t->text);
            e->ival = t->text[0] == 't';
            return e;
        }
        if (strcmp(t->text, "null") == 0)
            return leaf(p, PQL_NULL, t->text);
        if (strcmp(t->text, "missing") == 0)
            return leaf(p, PQL_MISSING, t->text);
        if (strcmp(t->text, "exists") == 0 && peek2(p)->type == T_LPAREN)
            return call(p, t->text);
        if (strcmp(t->text, "from") == 0) { /* FROM ... SET as an operand: a data manipulation nested in an expression */
            p->pos++;
            if (from_stmt(p))
                refuse(p, "Unsupported operation: DataManipulation");
            return NULL;
        }
        for (size_t i = 0; i < sizeof(operator_words) / sizeof(operator_words[0]); i++)
            if (strcmp(t->text, operator_words[i]) == 0)
                return fail(p, "Unexpected operator"), NULL;
        return fail(p, "Unexpected keyword"), NULL;
    case T_OP:
        return fail(p, "Unexpected operator"), NULL;
    default:
        return fail(p, "Unexpected term"), NULL;
    }
}

static int path_append(parser_t *p, pql_expr_t *e, const char *name, uint32_t index)
{
    if (e->path.n >= DDB_EXPR_MAX_PATH_DEPTH)
        return fail(p, "Unexpected path component");
    ddb_path_elem_t *n = zalloc(p, sizeof(ddb_path_elem_t) * (e->path.n + 1));
    memcpy(n, e->path.elems, sizeof(ddb_path_elem_t) * e->path.n);
    n[e->path.n].name = name;
    n[e->path.n].index = index;
    e->path.elems = n;
    e->path.n++;
    return 0;
}

/* term followed by .name and [index] components. */
static pql_expr_t *path_term(parser_t *p)
{
    pql_expr_t *e = term(p);
    while (e && (peek(p)->type == T_DOT || peek(p)->type == T_LBRACK)) {
        if (e->type != PQL_PATH)
            return refuse(p, "Unexpected path component"), NULL;
        if (accept(p, T_DOT)) {
            if (!is_ident(peek(p)))
                return fail(p, "Invalid path dot component"), NULL;
            if (path_append(p, e, peek(p)->text, 0) != 0)
                return NULL;
            p->pos++;
            continue;
        }
        p->pos++;
        pql_expr_t *ix = expr(p);
        if (!ix || expect(p, T_RBRACK, "RIGHT_BRACKET") != 0)
            return NULL;
        if (ix->type != PQL_NUM || strspn(ix->text, "0123456789") != strlen(ix->text))
            return refuse(p, "Unexpected path component"), NULL;
        if (strlen(ix->text) > 9) {
            char *msg = h2o_mem_alloc_pool(p->pool, strlen(ix->text) + 64);
            sprintf(msg, "List index is not within the allowable range; index: [%s]", ix->text);
            return refuse(p, msg), NULL;
        }
        if (path_append(p, e, NULL, (uint32_t)strtoul(ix->text, NULL, 10)) != 0)
            return NULL;
    }
    return e;
}

static pql_expr_t *unary(parser_t *p)
{
    if (peek(p)->type == T_OP && (strcmp(peek(p)->text, "-") == 0 || strcmp(peek(p)->text, "+") == 0)) {
        int neg = peek(p)->text[0] == '-';
        p->pos++;
        if (!deeper(p))
            return NULL;
        pql_expr_t *e = unary(p);
        p->depth--;
        if (e && e->type == PQL_NUM && neg) {
            size_t len = strlen(e->text);
            char *t = h2o_mem_alloc_pool(p->pool, len + 2);
            t[0] = '-';
            memcpy(t + 1, e->text, len + 1);
            e->text = e->text[0] == '-' ? e->text + 1 : t; /* - -x is x */
        } else if (e && e->type != PQL_NUM) {
            pql_expr_t *z = node(p, PQL_CALL, 1);
            z->text = neg ? "-" : "+"; /* unary operator on a non-literal: refused when run */
            z->args[0] = e;
            return z;
        }
        return e;
    }
    return path_term(p);
}

/* After an infix operator: "Missing right-hand side ..." when the statement ends there. */
static pql_expr_t *rhs(parser_t *p, pql_expr_t *(*next)(parser_t *))
{
    if (peek(p)->type == T_EOF || peek(p)->type == T_SEMI)
        return fail(p, "Missing right-hand side expression of infix operator"), NULL;
    return next(p);
}

static pql_expr_t *binary(parser_t *p, pql_etype_t type, const char *text, pql_expr_t *a, pql_expr_t *b)
{
    if (!a || !b)
        return NULL;
    pql_expr_t *e = node(p, type, 2);
    e->text = text;
    e->args[0] = a;
    e->args[1] = b;
    return e;
}

static pql_expr_t *multiplicative(parser_t *p)
{
    pql_expr_t *e = unary(p);
    while (e && (peek(p)->type == T_STAR || (peek(p)->type == T_OP && strchr("/%", peek(p)->text[0]) && !peek(p)->text[1]))) {
        const char *op = peek(p)->text;
        p->pos++;
        e = binary(p, PQL_CALL, op, e, rhs(p, unary));
    }
    return e;
}

static pql_expr_t *additive(parser_t *p)
{
    pql_expr_t *e = multiplicative(p);
    for (;;) {
        if (!e)
            return NULL;
        if (accept_op(p, "+"))
            e = binary(p, PQL_PLUS, "+", e, rhs(p, multiplicative));
        else if (accept_op(p, "-"))
            e = binary(p, PQL_MINUS, "-", e, rhs(p, multiplicative));
        else if (accept_op(p, "||"))
            e = binary(p, PQL_CALL, "||", e, rhs(p, multiplicative));
        else
            return e;
    }
}

/* PartiQL's type names (two-word ones as written with one space). */
static const char *const type_names[] = {"MISSING",
                                         "NULL",
                                         "BOOLEAN",
                                         "BOOL",
                                         "STRING",
                                         "VARCHAR",
                                         "CHARACTER VARYING",
                                         "CHARACTER",
                                         "CHAR",
                                         "SYMBOL",
                                         "CLOB",
                                         "NUMERIC",
                                         "DECIMAL",
                                         "DEC",
                                         "INT",
                                         "INTEGER",
                                         "SMALLINT",
                                         "INT2",
                                         "INTEGER2",
                                         "INT4",
                                         "INTEGER4",
                                         "INT8",
                                         "INTEGER8",
                                         "BIGINT",
                                         "FLOAT",
                                         "REAL",
                                         "DOUBLE PRECISION",
                                         "BLOB",
                                         "LIST",
                                         "SEXP",
                                         "STRUCT",
                                         "TUPLE",
                                         "BAG",
                                         "TIMESTAMP",
                                         "DATE",
                                         "TIME",
                                         "ANY"};

/* The type name at the parser's position (one or two words), consumed; NULL when there is none. */
static const char *type_name(parser_t *p)
{
    for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
        const char *name = type_names[i], *space = strchr(name, ' ');
        size_t first = space ? (size_t)(space - name) : strlen(name);
        const tok_t *t = peek(p), *t2 = peek2(p);
        if ((t->type != T_IDENT && t->type != T_KEYWORD) || strlen(t->text) != first || strncasecmp(t->text, name, first) != 0)
            continue;
        if (space && ((t2->type != T_IDENT && t2->type != T_KEYWORD) || strcasecmp(t2->text, space + 1) != 0))
            continue;
        p->pos += space ? 2 : 1;
        return name;
    }
    return NULL;
}

static pql_expr_t *is_expr(parser_t *p, pql_expr_t *left)
{
    int neg = accept_kw(p, "not");
    const char *name = type_name(p);
    if (!name)
        return fail(p, "Expected type name"), NULL;
    pql_expr_t *e = node(p, PQL_IS, 1);
    e->args[0] = left;
    e->text = name;
    e->ival = neg;
    return e;
}

static pql_expr_t *negate(parser_t *p, pql_expr_t *e, int neg)
{
    if (!e || !neg)
        return e;
    pql_expr_t *n = node(p, PQL_NOT, 1);
    n->args[0] = e;
    return n;
}

static pql_expr_t *comparison(parser_t *p)
{
    static const struct {
        const char *op;
        pql_etype_t type;
    } ops[] = {{"=", PQL_EQ}, {"<>", PQL_NE}, {"!=", PQL_NE}, {"<", PQL_LT}, {"<=", PQL_LE}, {">", PQL_GT}, {">=", PQL_GE}};
    pql_expr_t *e = additive(p);
    if (!e)
        return NULL;
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (accept_op(p, ops[i].op))
            return binary(p, ops[i].type, ops[i].op, e, rhs(p, additive));
    if (accept_kw(p, "is"))
        return is_expr(p, e);
    int neg = 0;
    if (at_kw(p, "not") && peek2(p)->type == T_KEYWORD &&
        (strcmp(peek2(p)->text, "between") == 0 || strcmp(peek2(p)->text, "in") == 0 || strcmp(peek2(p)->text, "like") == 0)) {
        p->pos++;
        neg = 1;
    }
    if (accept_kw(p, "between")) {
        pql_expr_t *lo = rhs(p, additive);
        if (!lo)
            return NULL;
        if (!accept_kw(p, "and"))
            return fail(p, "Expected AND"), NULL;
        pql_expr_t *hi = rhs(p, additive);
        if (!hi)
            return NULL;
        pql_expr_t *b = node(p, PQL_BETWEEN, 3);
        b->args[0] = e;
        b->args[1] = lo;
        b->args[2] = hi;
        return negate(p, b, neg);
    }
    if (accept_kw(p, "in"))
        return negate(p, binary(p, PQL_IN, "IN", e, rhs(p, additive)), neg);
    if (accept_kw(p, "like"))
        return negate(p, binary(p, PQL_CALL, "like", e, rhs(p, additive)), neg);
    return e;
}

static pql_expr_t *not_expr(parser_t *p)
{
    if (accept_kw(p, "not")) {
        if (peek(p)->type == T_EOF || peek(p)->type == T_SEMI)
            return fail(p, "Unexpected term"), NULL;
        if (!deeper(p))
            return NULL;
        pql_expr_t *e = negate(p, not_expr(p), 1);
        p->depth--;
        return e;
    }
    return comparison(p);
}

static pql_expr_t *and_expr(parser_t *p)
{
    pql_expr_t *e = not_expr(p);
    while (e && accept_kw(p, "and"))
        e = binary(p, PQL_AND, "AND", e, rhs(p, not_expr));
    return e;
}

static pql_expr_t *expr(parser_t *p)
{
    if (!deeper(p))
        return NULL;
    pql_expr_t *e = and_expr(p);
    while (e && accept_kw(p, "or"))
        e = binary(p, PQL_OR, "OR", e, rhs(p, and_expr));
    p->depth--;
    return e;
}

/* ---- statements ---- */

/* "t" or t, as DML targets name them (a simple path). */
static const char *simple_name(parser_t *p)
{
    if (!is_ident(peek(p)))
        return fail(p, "Expected identifier for simple path"), NULL;
    if (!*peek(p)->text)
        return refuse(p, MSG_EMPTY_COMPONENT), NULL;
    return p->toks[p->pos++].text;
}

/* The target of UPDATE or DELETE: "t", or "t"."i" (an index, refused when the statement runs). 0, or -1. */
static int dml_target(parser_t *p, pql_stmt_t *st)
{
    if (!(st->table = simple_name(p)))
        return -1;
    if (peek(p)->type == T_DOT && is_ident(peek2(p))) {
        p->pos++;
        if (!(st->index = simple_name(p)))
            return -1;
    }
    return 0;
}

/* An alias after the table: refused by DynamoDB. */
static int no_alias(parser_t *p)
{
    if (at_kw(p, "as") || peek(p)->type == T_IDENT || peek(p)->type == T_QIDENT)
        return refuse(p, "Aliasing is not supported");
    return 0;
}

/* FROM source of a SELECT: table, or "table"."index". */
static int select_source(parser_t *p, pql_stmt_t *st)
{
    pql_expr_t *src = path_term(p);
    if (!src)
        return -1;
    if (src->type != PQL_PATH)
        return refuse(p, "Unexpected from source");
    if (src->path.n > 2)
        return refuse(p, "A path may contain at most 2 components in the FROM clause");
    if (src->path.n == 2 && !src->path.elems[1].name)
        return refuse(p, "Invalid path dot component in this operation, expecting either an IDENTIFIER or STAR.");
    for (size_t i = 0; i < src->path.n; i++)
        if (!*src->path.elems[i].name)
            return refuse(p, MSG_EMPTY_COMPONENT);
    st->table = src->path.elems[0].name;
    st->index = src->path.n == 2 ? src->path.elems[1].name : NULL;
    if (peek(p)->type == T_COMMA)
        return refuse(p, "Only select from a single table or index is supported.");
    return no_alias(p);
}

static int order_by(parser_t *p, pql_stmt_t *st)
{
    if (!accept_kw(p, "order"))
        return 0;
    if (!accept_kw(p, "by"))
        return fail(p, "Expected BY");
    const char *names[8];
    int desc[8];
    size_t n = 0;
    do {
        if (!is_ident(peek(p)))
            return peek(p)->type == T_EOF ? fail(p, "Unexpected term")
                                          : refuse(p, "Argument to ORDER BY must be of type VariableReference");
        if (n == 8)
            return fail(p, "Unexpected token after expression");
        names[n] = p->toks[p->pos++].text;
        desc[n] = accept_kw(p, "desc");
        if (!desc[n])
            accept_kw(p, "asc");
        n++;
    } while (accept(p, T_COMMA));
    st->order_keys = zalloc(p, sizeof(char *) * n);
    st->order_desc = zalloc(p, sizeof(int) * n);
    memcpy(st->order_keys, names, sizeof(char *) * n);
    memcpy(st->order_desc, desc, sizeof(int) * n);
    st->norder = n;
    return 0;
}

static int projection(parser_t *p, pql_stmt_t *st)
{
    ddb_path_t paths[256];
    size_t n = 0;
    int star = 0;
    do {
        if (accept(p, T_STAR)) {
            star = 1;
            continue;
        }
        pql_expr_t *e = expr(p);
        if (!e)
            return -1;
        if (at_kw(p, "as") || peek(p)->type == T_IDENT || peek(p)->type == T_QIDENT)
            return refuse(p, "Aliasing is not supported");
        if (e->type != PQL_PATH)
            return refuse(p, pql_at(p->pool, "Unexpected path component", e));
        if (n == sizeof(paths) / sizeof(paths[0]))
            return refuse(p, "Unexpected path component");
        paths[n++] = e->path;
    } while (accept(p, T_COMMA));
    if (star && n > 0)
        return fail(p, "Other expressions may not be present in the select list when '*' is used without dot notation.");
    st->proj = zalloc(p, sizeof(ddb_path_t) * (n + 1));
    memcpy(st->proj, paths, sizeof(ddb_path_t) * n);
    st->nproj = n;
    return 0;
}

static pql_stmt_t *select_stmt(parser_t *p)
{
    pql_stmt_t *st = zalloc(p, sizeof(*st));
    st->kind = PQL_SELECT;
    if (at_kw(p, "distinct") || at_kw(p, "value"))
        return refuse(p, "Select projection doesn't support value or pivot keywords"), NULL;
    accept_kw(p, "all");
    if (projection(p, st) != 0)
        return NULL;
    if (!accept_kw(p, "from"))
        return fail(p, "Expected FROM after SELECT list"), NULL;
    if (select_source(p, st) != 0)
        return NULL;
    if (accept_kw(p, "where") && !(st->where = expr(p)))
        return NULL;
    if (order_by(p, st) != 0)
        return NULL;
    return st;
}

static int where_clause(parser_t *p, pql_stmt_t *st)
{
    if (accept_kw(p, "where") && !(st->where = expr(p)))
        return -1;
    return 0;
}

static int returning(parser_t *p, pql_stmt_t *st)
{
    if (!accept_kw(p, "returning"))
        return 0;
    int all = accept_kw(p, "all"), modified = !all && accept_word(p, "modified");
    int old = (all || modified) && accept_word(p, "old"), new_ = (all || modified) && !old && accept_word(p, "new");
    if (!(all || modified) || !(old || new_) || !accept(p, T_STAR))
        return refuse(p, "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
    if (peek(p)->type == T_COMMA)
        return refuse(p, "Invalid syntax with multiple returning elements in RETURNING clause");
    st->returning = all ? (old ? PQL_RET_ALL_OLD : PQL_RET_ALL_NEW) : (old ? PQL_RET_MODIFIED_OLD : PQL_RET_MODIFIED_NEW);
    return 0;
}

static pql_stmt_t *insert_stmt(parser_t *p)
{
    pql_stmt_t *st = zalloc(p, sizeof(*st));
    st->kind = PQL_INSERT;
    if (!accept_kw(p, "into"))
        return fail(p, "Unexpected keyword"), NULL;
    if (!(st->table = simple_name(p)))
        return NULL;
    if (peek(p)->type == T_DOT)
        return refuse(p, "FROM clause may only contain a single table name"), NULL;
    if (!accept_kw(p, "value")) {
        if (!expr(p))
            return NULL;
        if (peek(p)->type != T_EOF && peek(p)->type != T_SEMI)
            return fail(p, "Unexpected token after expression"), NULL;
        return refuse(p, "Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT "
                         "INTO tableName VALUE item\" instead"),
               NULL;
    }
    if (!(st->value = rhs(p, expr)))
        return NULL;
    if (at_kw(p, "at"))
        return refuse(p, "AT is not supported in insert statements."), NULL;
    if (at_kw(p, "returning"))
        return refuse(p, "RETURNING is not supported in INSERT"), NULL;
    return st;
}

/* SET a = v, b.c = w ... and REMOVE a ... clauses, repeated in any order. */
static int assignments(parser_t *p, pql_stmt_t *st)
{
    pql_assign_t items[256];
    size_t n = 0;
    for (;;) {
        int set = accept_kw(p, "set");
        if (!set && !accept_kw(p, "remove"))
            break;
        do {
            if (n == sizeof(items) / sizeof(items[0]))
                return fail(p, "Unexpected token after expression");
            if (!is_ident(peek(p)))
                return set ? fail(p, peek(p)->type == T_KEYWORD ? "Unexpected keyword" : "Unexpected term")
                           : fail(p, "Expected identifier for simple path");
            pql_expr_t *target = path_term(p);
            if (!target)
                return -1;
            items[n].path = target->path;
            items[n].value = NULL;
            if (set) {
                if (!accept_op(p, "="))
                    return fail(p, "Expected assignment for SET");
                if (!(items[n].value = rhs(p, expr)))
                    return -1;
            }
            n++;
        } while (set && accept(p, T_COMMA));
    }
    if (n == 0)
        return fail(p, "Expected data manipulation");
    st->assigns = zalloc(p, sizeof(pql_assign_t) * n);
    memcpy(st->assigns, items, sizeof(pql_assign_t) * n);
    st->nassigns = n;
    return 0;
}

static pql_stmt_t *update_stmt(parser_t *p)
{
    pql_stmt_t *st = zalloc(p, sizeof(*st));
    st->kind = PQL_UPDATE;
    if (dml_target(p, st) != 0 || no_alias(p) != 0 || assignments(p, st) != 0 || where_clause(p, st) != 0 || returning(p, st) != 0)
        return NULL;
    return st;
}

static pql_stmt_t *delete_stmt(parser_t *p)
{
    pql_stmt_t *st = zalloc(p, sizeof(*st));
    st->kind = PQL_DELETE;
    if (!accept_kw(p, "from"))
        return fail(p, "Expected FROM after DELETE"), NULL;
    if (dml_target(p, st) != 0 || no_alias(p) != 0 || where_clause(p, st) != 0 || returning(p, st) != 0)
        return NULL;
    if (st->returning != PQL_RET_NONE && st->returning != PQL_RET_ALL_OLD) {
        static const char *const names[] = {"", "ALL OLD *", "MODIFIED OLD *", "ALL NEW *", "MODIFIED NEW *"};
        const char *fmt = "Invalid returning clause: RETURNING %s. Only RETURNING ALL OLD * is allowed in DELETE statements.";
        char *msg = h2o_mem_alloc_pool(p->pool, strlen(fmt) + 32);
        sprintf(msg, fmt, names[st->returning]);
        return refuse(p, msg), NULL;
    }
    return st;
}

/* FROM "t" [WHERE ...] SET|REMOVE ...: the legacy form of UPDATE. */
static pql_stmt_t *from_stmt(parser_t *p)
{
    pql_stmt_t *st = zalloc(p, sizeof(*st));
    st->kind = PQL_UPDATE;
    if (!(st->table = simple_name(p)) || no_alias(p) != 0 || where_clause(p, st) != 0 || assignments(p, st) != 0 ||
        returning(p, st) != 0)
        return NULL;
    return st;
}

/* EXISTS(SELECT ...): a condition check of ExecuteTransaction. */
static pql_stmt_t *exists_stmt(parser_t *p)
{
    if (expect(p, T_LPAREN, "LEFT_PAREN") != 0)
        return NULL;
    if (!accept_kw(p, "select"))
        return refuse(p, "EXISTS() must contain a single item read with additional condition"), NULL;
    pql_stmt_t *inner = select_stmt(p);
    if (!inner || expect(p, T_RPAREN, "RIGHT_PAREN") != 0)
        return NULL;
    pql_stmt_t *st = zalloc(p, sizeof(*st));
    st->kind = PQL_EXISTS;
    st->exists = inner;
    st->table = inner->table;
    st->index = inner->index;
    st->where = inner->where;
    return st;
}

static pql_stmt_t *statement(parser_t *p)
{
    if (accept_kw(p, "select"))
        return select_stmt(p);
    if (accept_kw(p, "insert"))
        return insert_stmt(p);
    if (accept_kw(p, "update"))
        return update_stmt(p);
    if (accept_kw(p, "delete"))
        return delete_stmt(p);
    if (accept_kw(p, "from"))
        return from_stmt(p);
    if (accept_kw(p, "exists"))
        return exists_stmt(p);
    /* Any other expression parses, then is not a statement DynamoDB runs. */
    pql_expr_t *e = expr(p);
    if (!e)
        return NULL;
    if (peek(p)->type != T_EOF && peek(p)->type != T_SEMI)
        return fail(p, "Unexpected token after expression"), NULL;
    return refuse(p, e->type == PQL_IS ? "Unsupported operation: IsType" : "Unsupported operation: Expression"), NULL;
}

const char *pql_at(h2o_mem_pool_t *pool, const char *msg, const pql_expr_t *e)
{
    if (!e->pos.line)
        return msg;
    char *out = h2o_mem_alloc_pool(pool, strlen(msg) + 48);
    sprintf(out, "%s at %u:%u:%u", msg, e->pos.line, e->pos.col, e->pos.len);
    return out;
}

int pql_parse(h2o_mem_pool_t *pool, const char *text, pql_stmt_t *out, const char **err)
{
    parser_t p = {.pool = pool, .src = text};
    *err = NULL;
    if (lex(&p, text) != 0) {
        *err = p.err;
        return -1;
    }
    pql_stmt_t *st = statement(&p);
    if (st) {
        accept(&p, T_SEMI);
        if (peek(&p)->type != T_EOF) {
            fail(&p, "Unexpected token after expression");
            st = NULL;
        }
    }
    if (!st) {
        *err = p.err ? p.err : PQL_MSG_MALFORMED;
        return -1;
    }
    st->nparams = p.nparams;
    *out = *st;
    return 0;
}
