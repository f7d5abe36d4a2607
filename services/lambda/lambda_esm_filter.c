/* lambda_esm_filter.c - FilterCriteria of event source mappings: Lambda's filter rule syntax
 * (the EventBridge pattern language) matched against each record before it joins a batch.
 *
 * A pattern is a JSON object whose leaves are lists of rules; a record matches when every key of
 * the pattern matches (nested objects recurse), a list matches when any rule does, and a record
 * passes when any filter matches. Rules: literals (strings, numbers, true, false, null) and the
 * operators prefix, suffix, equals-ignore-case, anything-but (a literal, a list, or a prefix/suffix
 * rule), numeric (comparison pairs, on JSON numbers only: DynamoDB's "N" strings never match one, as
 * Lambda's filtering of stream records behaves) and exists (of a leaf value: an object is no leaf). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../protocol/ytree.h"
#include "lambda_esm.h"

#define FILTER_MAX_DEPTH 32
#define FILTER_MAX 5 /* filters per mapping, as Lambda allows by default */

static const char *const filter_ops[] = {"prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists", NULL};

static int known_op(const char *op)
{
    for (size_t i = 0; filter_ops[i]; i++)
        if (strcmp(op, filter_ops[i]) == 0)
            return 1;
    return 0;
}

static int pattern_valid(yajl_val pat, int depth)
{
    if (!YAJL_IS_OBJECT(pat) || pat->u.object.len == 0 || depth > FILTER_MAX_DEPTH)
        return 0;
    for (size_t i = 0; i < pat->u.object.len; i++) {
        yajl_val p = pat->u.object.values[i];
        if (YAJL_IS_OBJECT(p)) {
            if (!pattern_valid(p, depth + 1))
                return 0;
            continue;
        }
        if (!YAJL_IS_ARRAY(p) || p->u.array.len == 0)
            return 0;
        for (size_t k = 0; k < p->u.array.len; k++) {
            yajl_val r = p->u.array.values[k];
            if (YAJL_IS_ARRAY(r) || (YAJL_IS_OBJECT(r) && (r->u.object.len != 1 || !known_op(r->u.object.keys[0]))))
                return 0;
        }
    }
    return 1;
}

/* A JSON number, or a string that is wholly a number (DynamoDB's "N" values). */
static int num_of(yajl_val v, double *out)
{
    const char *s = YAJL_IS_NUMBER(v) ? v->u.number.r : YAJL_IS_STRING(v) ? v->u.string : NULL;
    char *end;
    if (!s || !*s)
        return 0;
    *out = strtod(s, &end);
    return *end == '\0';
}

static int literal_eq(yajl_val rule, yajl_val v)
{
    double a, b;
    if (YAJL_IS_STRING(rule))
        return YAJL_IS_STRING(v) && strcmp(rule->u.string, v->u.string) == 0;
    if (YAJL_IS_NUMBER(rule))
        return YAJL_IS_NUMBER(v) && num_of(rule, &a) && num_of(v, &b) && a == b;
    return (YAJL_IS_NULL(rule) && YAJL_IS_NULL(v)) || (YAJL_IS_TRUE(rule) && YAJL_IS_TRUE(v)) ||
           (YAJL_IS_FALSE(rule) && YAJL_IS_FALSE(v));
}

static int numeric_match(yajl_val ops, yajl_val v)
{
    double x, lim;
    if (!YAJL_IS_ARRAY(ops) || ops->u.array.len == 0 || ops->u.array.len % 2 || !YAJL_IS_NUMBER(v) || !num_of(v, &x))
        return 0;
    for (size_t i = 0; i < ops->u.array.len; i += 2) {
        yajl_val op = ops->u.array.values[i], n = ops->u.array.values[i + 1];
        if (!YAJL_IS_STRING(op) || !YAJL_IS_NUMBER(n) || !num_of(n, &lim))
            return 0;
        const char *o = op->u.string;
        int ok = strcmp(o, "=") == 0    ? x == lim
                 : strcmp(o, "<") == 0  ? x < lim
                 : strcmp(o, "<=") == 0 ? x <= lim
                 : strcmp(o, ">") == 0  ? x > lim
                 : strcmp(o, ">=") == 0 ? x >= lim
                                        : 0;
        if (!ok)
            return 0;
    }
    return 1;
}

static int affix_match(yajl_val arg, yajl_val v, int suffix)
{
    if (!YAJL_IS_STRING(arg) || !YAJL_IS_STRING(v))
        return 0;
    size_t n = strlen(arg->u.string), len = strlen(v->u.string);
    return n <= len && memcmp(v->u.string + (suffix ? len - n : 0), arg->u.string, n) == 0;
}

/* One rule against a present, non-list value. */
static int rule_match(yajl_val rule, yajl_val v)
{
    if (!YAJL_IS_OBJECT(rule))
        return literal_eq(rule, v);
    if (rule->u.object.len != 1)
        return 0;
    const char *op = rule->u.object.keys[0];
    yajl_val arg = rule->u.object.values[0];
    if (strcmp(op, "prefix") == 0 || strcmp(op, "suffix") == 0)
        return affix_match(arg, v, op[0] == 's');
    if (strcmp(op, "equals-ignore-case") == 0)
        return YAJL_IS_STRING(arg) && YAJL_IS_STRING(v) && strcasecmp(arg->u.string, v->u.string) == 0;
    if (strcmp(op, "numeric") == 0)
        return numeric_match(arg, v);
    if (strcmp(op, "anything-but") == 0) {
        if (YAJL_IS_OBJECT(arg))
            return !rule_match(arg, v);
        for (size_t i = 0; YAJL_IS_ARRAY(arg) && i < arg->u.array.len; i++)
            if (literal_eq(arg->u.array.values[i], v))
                return 0;
        return YAJL_IS_ARRAY(arg) || !literal_eq(arg, v);
    }
    return 0;
}

/* A rule list against the record's value at its key (NULL: absent; a list matches through any element). */
static int list_match(yajl_val rules, yajl_val v)
{
    for (size_t i = 0; i < rules->u.array.len; i++) {
        yajl_val r = rules->u.array.values[i];
        if (YAJL_IS_OBJECT(r) && r->u.object.len == 1 && strcmp(r->u.object.keys[0], "exists") == 0) {
            /* leaves only (LocalStack's AWS-validated test_dynamodb_event_filter[exists_false_filter]: a {"S": ...}
             * map is not there for {"exists": false}) */
            if ((v != NULL && !YAJL_IS_OBJECT(v)) == YAJL_IS_TRUE(r->u.object.values[0]))
                return 1;
            continue;
        }
        if (v && YAJL_IS_ARRAY(v)) {
            for (size_t k = 0; k < v->u.array.len; k++)
                if (rule_match(r, v->u.array.values[k]))
                    return 1;
        } else if (v && rule_match(r, v)) {
            return 1;
        }
    }
    return 0;
}

static int pattern_match(yajl_val pat, yajl_val ev)
{
    for (size_t i = 0; i < pat->u.object.len; i++) {
        yajl_val p = pat->u.object.values[i];
        yajl_val v = YAJL_IS_OBJECT(ev) ? in_get(ev, pat->u.object.keys[i]) : NULL;
        if (YAJL_IS_OBJECT(p) ? !v || !YAJL_IS_OBJECT(v) || !pattern_match(p, v) : !list_match(p, v))
            return 0;
    }
    return 1;
}

void lambda_esm_filters_free(esm_filters_t *f)
{
    for (size_t i = 0; i < f->n; i++)
        yajl_tree_free(f->pats[i]);
    free(f->pats);
    free(f->json);
    memset(f, 0, sizeof(*f));
}

int lambda_esm_filters_set(esm_filters_t *f, yajl_val criteria)
{
    yajl_val list = criteria ? in_arr(criteria, "Filters") : NULL;
    size_t n = list ? list->u.array.len : 0;
    if (n > FILTER_MAX)
        return -1;
    esm_filters_t nf = {calloc(n ? n : 1, sizeof(yajl_val)), 0, NULL};
    for (size_t i = 0; i < n; i++) {
        const char *text = in_str(list->u.array.values[i], "Pattern");
        char err[64];
        yajl_val p = text ? ytree_parse_text(text, err, sizeof(err)) : NULL;
        if (p)
            nf.pats[nf.n++] = p;
        if (!p || !pattern_valid(p, 0)) {
            lambda_esm_filters_free(&nf);
            return -1;
        }
    }
    if (nf.n)
        nf.json = lambda_json_text(criteria);
    lambda_esm_filters_free(f);
    *f = nf;
    return 0;
}

int lambda_esm_filters_match(const esm_filters_t *f, const char *json, size_t len)
{
    if (!f->n)
        return 1;
    char *text = malloc(len + 1), err[64];
    memcpy(text, json, len);
    text[len] = '\0';
    yajl_val ev = ytree_parse_text(text, err, sizeof(err));
    free(text);
    int ok = 0;
    for (size_t i = 0; ev && i < f->n && !ok; i++)
        ok = pattern_match(f->pats[i], ev);
    yajl_tree_free(ev);
    return ok;
}
