/* lambda_recursion.c - recursive loop detection, as the developer guide's "Use Lambda recursive loop detection to
 * prevent infinite loops" describes it: a chain of requests (a function sends to the queue that invokes it, or invokes
 * itself) is followed through the X-Ray trace header that the SDKs pass on from _X_AMZN_TRACE_ID (botocore's
 * add_recursion_detection_header; SQS keeps it as the message's AWSTraceHeader). Its Lineage member counts each
 * function's invocations in the chain, as AWS writes it: Lineage=1:<8 hex of the function>:<count>, further functions
 * after '|'. The first invocation of a chain counts 0; one that would count LAMBDA_RECURSION_MAX (the 17th) is
 * stopped unless the function's RecursiveLoop is Allow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_internal.h"

#define LAMBDA_RECURSION_MAX 16

/* The function's 8 hex digits in a Lineage: FNV-1a of its unqualified ARN. */
static void fn_hash(const lambda_fn_t *fn, char out[9])
{
    char *arn = lambda_arn_fmt(fn->region, fn->account, fn->name, NULL);
    unsigned h = 2166136261u;
    for (const char *p = arn; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    free(arn);
    snprintf(out, 9, "%08x", h);
}

/* The Lineage value of trace (up to ';' or its end), or NULL. */
static const char *lineage_of(const char *trace, size_t *len)
{
    for (const char *p = trace; p && *p; p += strcspn(p, ";"), p += *p == ';') {
        p += strspn(p, " ");
        if (strncmp(p, "Lineage=", 8) == 0) {
            *len = strcspn(p + 8, ";");
            return p + 8;
        }
    }
    return NULL;
}

/* Calls each(hash, count, arg) for the entries of a Lineage value ('|' between them, each "1:" versioned or not). */
static void each_entry(const char *v, size_t len, void (*each)(const char *hash, int count, void *arg), void *arg)
{
    while (len > 0) {
        size_t n = strcspn(v, "|;");
        n = n < len ? n : len;
        const char *e = n > 2 && strncmp(v, "1:", 2) == 0 ? v + 2 : v, *colon = memchr(e, ':', n - (size_t)(e - v));
        if (colon && colon - e == 8) {
            char hash[9];
            memcpy(hash, e, 8), hash[8] = '\0';
            each(hash, atoi(colon + 1), arg);
        }
        v += n, len -= n;
        if (len)
            v++, len--;
    }
}

typedef struct {
    const char *hash;
    int count; /* the function's count in the chain, -1: none */
    char out[256];
} lineage_t;

static void find_count(const char *hash, int count, void *arg)
{
    lineage_t *l = arg;
    if (strcmp(hash, l->hash) == 0)
        l->count = count;
}

static void keep_other(const char *hash, int count, void *arg)
{
    lineage_t *l = arg;
    size_t at = strlen(l->out);
    if (strcmp(hash, l->hash) != 0 && at + 24 < sizeof(l->out))
        snprintf(l->out + at, sizeof(l->out) - at, "|%s:%d", hash, count);
}

int lambda_lineage_next(const char *trace, const lambda_fn_t *fn)
{
    char hash[9];
    fn_hash(fn, hash);
    lineage_t l = {.hash = hash, .count = -1};
    size_t len;
    const char *v = lineage_of(trace, &len);
    if (v)
        each_entry(v, len, find_count, &l);
    return l.count + 1;
}

char *lambda_lineage_new(const char *trace, const lambda_fn_t *fn, int count)
{
    char hash[9];
    fn_hash(fn, hash);
    lineage_t l = {.hash = hash};
    snprintf(l.out, sizeof(l.out), "1:%s:%d", hash, count);
    size_t len;
    const char *v = lineage_of(trace, &len);
    if (v)
        each_entry(v, len, keep_other, &l);
    return strdup(l.out);
}

int lambda_inv_chain(lambda_inv_t *inv, const lambda_fn_t *fn, const char *trace)
{
    int count = lambda_lineage_next(trace, fn);
    inv->lineage = lambda_lineage_new(trace, fn, count);
    return inv->recursive = lambda_recursion_stops(fn, count);
}

int lambda_recursion_stops(const lambda_fn_t *fn, int count)
{
    if (count < LAMBDA_RECURSION_MAX)
        return 0;
    yajl_val root = lambda_fn_conf_parse(fn);
    const char *loop = lambda_fn_conf_str(root, "Recursion", "RecursiveLoop");
    int stops = !loop || strcmp(loop, "Allow") != 0;
    yajl_tree_free(root);
    if (stops)
        LOG_WARN("lambda: %s stopped: invoked %d times in one chain of requests (recursive loop detection)", fn->name, count);
    return stops;
}
