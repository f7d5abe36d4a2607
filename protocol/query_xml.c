/* query_xml.c - query-protocol responses: the JSON output a service wrote -> XML,
 * and error codes -> <ErrorResponse> (declared in query.h).
 *
 * The output shape drives the walk over the JSON text, as botocore's XML parser reads it back:
 * members in model order under their query names, flattened lists as repeated
 * elements named after the list's member (<Message>, <QueueUrl>), flattened
 * maps as repeated <Attribute><Name/><Value/></Attribute>, others wrapped
 * (<member>, <entry><key/><value/></entry>). Scalars are written as their JSON
 * text (numbers verbatim, booleans true/false, blobs already base64). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "swar.h"
#include "xmlw.h"
#include "ytree.h"

#define QUERY_XML_MAX_DEPTH 32
#define QUERY_XML_MAX_MEMBERS 64 /* more than any output structure of the models has */

/* The renderer reads the output JSON text directly (no tree): a structure's members are
 * located with a skipping scan, then rendered in model order from their spans. */
typedef struct {
    const model_service_t *svc;
    xw_t w;
    jw_t tmp; /* the last decoded string */
    int bad;  /* the text is not JSON */
} render_t;

typedef struct {
    const char *p, *end;
} span_t;

static void ws(span_t *r)
{
    if (r->p < r->end && (unsigned char)*r->p > ' ')
        return; /* the usual case: services write no white space */
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

/* At c (after white space): consumes it, or marks the text bad. */
static int expect(render_t *x, span_t *r, char c)
{
    ws(r);
    if (r->p < r->end && *r->p == c) {
        r->p++;
        return 1;
    }
    x->bad = 1;
    return 0;
}

/* The escape after a backslash at r->p (which points past it); appends its text to b. */
static int unescape(span_t *r, jw_t *b)
{
    char u[4];
    size_t n, used;
    unsigned cp;
    if ((used = ytree_unescape(r->p, r->end, u, &n, &cp)) == 0)
        return -1;
    jw_append(b, u, n);
    r->p += used;
    return 0;
}

/* Decodes the string at r->p into x->tmp (NUL-terminated); 0, or -1 (bad) when there is none. */
static int read_string(render_t *x, span_t *r)
{
    jw_reset(&x->tmp);
    jw_append(&x->tmp, "", 0); /* terminated even when empty */
    if (!expect(x, r, '"'))
        return -1;
    while (r->p < r->end && *r->p != '"') {
        const char *run = r->p;
        while (r->p < r->end && *r->p != '"' && *r->p != '\\')
            r->p++;
        jw_append(&x->tmp, run, (size_t)(r->p - run));
        if (r->p < r->end && *r->p == '\\') {
            r->p++;
            if (unescape(r, &x->tmp) != 0)
                break;
        }
    }
    if (r->p >= r->end || *r->p != '"') {
        x->bad = 1;
        return -1;
    }
    r->p++;
    return 0;
}

/* The closing quote of the string whose first byte (after its opening quote) is at p, or NULL. */
static const char *string_end(const char *p, const char *end)
{
    for (;;) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (q == NULL)
            return NULL;
        const char *b = q;
        while (b > p && b[-1] == '\\')
            b--;
        if ((q - b) % 2 == 0)
            return q; /* not escaped: an even run of backslashes precedes it */
        p = q + 1;
    }
}

static void skip_string(render_t *x, span_t *r)
{
    const char *q = string_end(r->p + 1, r->end);
    if (q == NULL) {
        x->bad = 1;
        r->p = r->end;
    } else {
        r->p = q + 1;
    }
}

/* The string at r->p ('"'), consumed: its text without decoding when it holds no escape
 * (*s into the JSON text), else decoded into x->tmp. 0, or -1 (bad). */
static int string_span(render_t *x, span_t *r, const char **s, size_t *len)
{
    const char *p = r->p + 1;
    while (r->end - p >= 8) { /* to the first quote or backslash, a word at a time */
        uint64_t w = swar_load(p);
        if (swar_has_byte(w, '"') | swar_has_byte(w, '\\'))
            break;
        p += 8;
    }
    while (p < r->end && *p != '"' && *p != '\\')
        p++;
    if (p < r->end && *p == '"') {
        *s = r->p + 1;
        *len = (size_t)(p - *s);
        r->p = p + 1;
        return 0;
    }
    if (read_string(x, r) != 0)
        return -1;
    *s = x->tmp.buf;
    *len = x->tmp.len;
    return 0;
}

/* A number or literal: its length at r->p (0 when there is none). */
static size_t token_len(const span_t *r)
{
    const char *p = r->p;
    while (p < r->end && (isalnum((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.'))
        p++;
    return (size_t)(p - r->p);
}

/* Skips one value (any depth, without recursion). */
static void skip_value(render_t *x, span_t *r)
{
    int depth = 0;
    do {
        ws(r);
        if (r->p >= r->end) {
            x->bad = 1;
            return;
        }
        char c = *r->p;
        if (c == '"') {
            skip_string(x, r);
        } else if (c == '{' || c == '[') {
            depth++;
            r->p++;
        } else if (depth > 0 && (c == '}' || c == ']')) {
            depth--;
            r->p++;
        } else if (depth > 0 && (c == ',' || c == ':')) {
            r->p++;
        } else {
            size_t n = token_len(r);
            if (n == 0)
                x->bad = 1;
            r->p += n;
        }
    } while (depth > 0 && !x->bad);
}

/* Iterates a container: 1 when another element follows (after its ',' or the opening
 * bracket), 0 at the closing bracket. first: set to 1 before the first call. */
static int next_elem(render_t *x, span_t *r, char close, int *first)
{
    ws(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return 0;
    }
    if (!*first && !expect(x, r, ','))
        return 0;
    *first = 0;
    return !x->bad;
}

static void put_value(render_t *x, const char *name, int shape, int member_flat, span_t *r, int depth);

/* The key at r->p and its ':', consumed (see string_span). 0, or -1 (bad). */
static int key_at(render_t *x, span_t *r, const char **k, size_t *klen)
{
    ws(r);
    if (r->p >= r->end || *r->p != '"') {
        x->bad = 1;
        return -1;
    }
    return string_span(x, r, k, klen) == 0 && expect(x, r, ':') ? 0 : -1;
}

static int member_named(const model_member_t *mem, const char *k, size_t klen)
{
    return strncmp(mem->name, k, klen) == 0 && mem->name[klen] == '\0';
}

/* The index of the member of sh whose JSON name is the string at r->p (consumed with its
 * ':'), sh->nmembers when sh has none of that name, -1 when the text is bad. The search
 * starts at member from (services write members in model order) and wraps around. */
static int member_at(render_t *x, const model_shape_t *sh, span_t *r, int from)
{
    const char *k;
    size_t klen;
    if (key_at(x, r, &k, &klen) != 0)
        return -1;
    int m = from < sh->nmembers ? from : 0;
    for (int n = 0; n < sh->nmembers; n++, m = m + 1 < sh->nmembers ? m + 1 : 0)
        if (member_named(&sh->members[m], k, klen))
            return m < QUERY_XML_MAX_MEMBERS ? m : sh->nmembers;
    return sh->nmembers;
}

static void put_member(render_t *x, const model_member_t *mem, span_t *r, int depth)
{
    put_value(x, mem->location_name ? mem->location_name : mem->name, mem->shape, mem->flattened, r, depth);
}

/* The members of structure shape sh at r->p ('{') located first, then rendered in model
 * order: the first occurrence of a member counts; unknown members are skipped. */
static void put_fields_sorted(render_t *x, const model_shape_t *sh, span_t *r, int depth)
{
    span_t at[QUERY_XML_MAX_MEMBERS] = {{0}};
    int first = 1, m;
    r->p++;
    while (next_elem(x, r, '}', &first)) {
        if ((m = member_at(x, sh, r, 0)) < 0)
            return;
        ws(r);
        const char *start = r->p;
        skip_value(x, r);
        if (m < sh->nmembers && at[m].p == NULL)
            at[m] = (span_t){start, r->p};
    }
    for (m = 0; m < sh->nmembers && m < QUERY_XML_MAX_MEMBERS && !x->bad; m++)
        if (at[m].p != NULL)
            put_member(x, &sh->members[m], &at[m], depth);
}

/* The members of structure shape sh at r->p ('{'). They are rendered as they come while
 * they come in model order (as services write them); at the first one out of order (or a
 * duplicate) the output written so far for the structure is taken back and it is rendered
 * by put_fields_sorted. */
static void put_fields(render_t *x, const model_shape_t *sh, span_t *r, int depth)
{
    const size_t mark = x->w.out.len;
    const unsigned char mark_open = x->w.open_tag;
    const span_t start = *r;
    int first = 1, last = -1, m;
    r->p++;
    while (next_elem(x, r, '}', &first)) {
        if ((m = member_at(x, sh, r, last + 1)) < 0)
            return;
        if (m == sh->nmembers) {
            skip_value(x, r);
            continue;
        }
        if (m <= last) {
            x->w.out.len = mark;
            x->w.out.buf[mark] = '\0';
            x->w.open_tag = mark_open;
            *r = start;
            put_fields_sorted(x, sh, r, depth);
            return;
        }
        last = m;
        put_member(x, &sh->members[m], r, depth);
    }
}

static void put_list(render_t *x, const char *name, const model_shape_t *sh, int flat, span_t *r, int depth)
{
    const char *elem = sh->member_name ? sh->member_name : flat ? name : "member";
    int first = 1;
    if (!flat)
        xw_open(&x->w, name, NULL);
    r->p++;
    while (next_elem(x, r, ']', &first))
        put_value(x, elem, sh->member, 0, r, depth + 1);
    if (!flat)
        xw_close(&x->w, name);
}

static void put_map(render_t *x, const char *name, const model_shape_t *sh, int flat, span_t *r, int depth)
{
    const char *kname = sh->key_name ? sh->key_name : "key", *vname = sh->value_name ? sh->value_name : "value";
    const char *entry = flat ? name : "entry";
    int first = 1;
    if (!flat)
        xw_open(&x->w, name, NULL);
    r->p++;
    while (next_elem(x, r, '}', &first)) {
        const char *k;
        size_t klen;
        if (key_at(x, r, &k, &klen) != 0)
            return;
        xw_open(&x->w, entry, NULL);
        xw_elem(&x->w, kname, k, klen);
        put_value(x, vname, sh->value, 0, r, depth + 1);
        xw_close(&x->w, entry);
    }
    if (!flat)
        xw_close(&x->w, name);
}

/* One value at r->p of the given shape as element(s) called name. Values whose JSON type
 * does not fit the shape, and nulls, are skipped. Scalars are written as their JSON text. */
static void put_value(render_t *x, const char *name, int shape, int member_flat, span_t *r, int depth)
{
    const model_shape_t *sh = &x->svc->shapes[shape];
    int flat = member_flat || sh->flattened;
    ws(r);
    char c = r->p < r->end ? *r->p : '\0';
    if (depth >= QUERY_XML_MAX_DEPTH) {
        skip_value(x, r);
    } else if (sh->type == SHAPE_STRUCTURE && c == '{') {
        xw_open(&x->w, name, NULL);
        put_fields(x, sh, r, depth + 1);
        xw_close(&x->w, name);
    } else if (sh->type == SHAPE_LIST && c == '[') {
        put_list(x, name, sh, flat, r, depth);
    } else if (sh->type == SHAPE_MAP && c == '{') {
        put_map(x, name, sh, flat, r, depth);
    } else if (sh->type > SHAPE_MAP && c == '"') {
        const char *text;
        size_t len;
        if (string_span(x, r, &text, &len) == 0)
            xw_elem(&x->w, name, text, len);
    } else if (sh->type > SHAPE_MAP && c != '{' && c != '[' && c != 'n') {
        size_t n = token_len(r);
        if (n == 0)
            x->bad = 1;
        xw_elem(&x->w, name, r->p, n);
        r->p += n;
    } else {
        skip_value(x, r);
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

/* name + suffix (at most 8 bytes) into buf, the name cut to fit. */
static void op_name_with(char *buf, size_t size, const char *name, const char *suffix)
{
    size_t n = strnlen(name, size - 9);
    memcpy(buf, name, n);
    strcpy(buf + n, suffix);
}

h2o_iovec_t query_render_output(const model_service_t *svc, const model_op_t *op, const char *json, size_t len,
                                const char *request_id, h2o_mem_pool_t *pool)
{
    static const char empty[] = "{}";
    span_t r = len ? (span_t){json, json + len} : (span_t){empty, empty + 2};
    render_t x = {.svc = svc};
    ws(&r);
    if (r.p >= r.end || *r.p != '{')
        return (h2o_iovec_t){NULL, 0};
    char response[160], result[160];
    op_name_with(response, sizeof(response), op->name, "Response");
    op_name_with(result, sizeof(result), op->name, "Result");
    xw_init(&x.w);
    jw_reserve(&x.w.out, len + len / 2 + 512); /* XML is longer: one allocation for most answers */
    jw_init(&x.tmp);
    xw_decl(&x.w);
    xw_open(&x.w, response, svc->xml_namespace);
    if (op->output >= 0) {
        const char *wrapper = op->result_wrapper ? op->result_wrapper : result;
        xw_open(&x.w, wrapper, NULL);
        put_fields(&x, &svc->shapes[op->output], &r, 0);
        xw_close(&x.w, wrapper);
    } else {
        skip_value(&x, &r);
    }
    ws(&r);
    x.bad |= r.p != r.end;
    jw_free(&x.tmp);
    if (x.bad) {
        xw_free(&x.w);
        return (h2o_iovec_t){NULL, 0};
    }
    xw_open(&x.w, "ResponseMetadata", NULL);
    xw_elemz(&x.w, "RequestId", request_id);
    xw_close(&x.w, "ResponseMetadata");
    xw_close(&x.w, response);
    return to_pool(&x.w, pool);
}

/* Error texts the query protocol words differently from JSON: services raise the JSON text and
 * the query answer carries the older one (SQS over query, as moto's AWS-verified tests and
 * older SDKs see it). Matched on the query code and the whole message. */
static const struct {
    const char *query_code, *message, *query_message;
} query_messages[] = {
    {"AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.",
     "The specified queue does not exist for this wsdl version."},
};

static const char *query_message(const char *query_code, const char *message)
{
    for (size_t i = 0; message && i < sizeof query_messages / sizeof query_messages[0]; i++)
        if (strcmp(query_code, query_messages[i].query_code) == 0 && strcmp(message, query_messages[i].message) == 0)
            return query_messages[i].query_message;
    return message;
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
    message = query_message(code, message);
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
