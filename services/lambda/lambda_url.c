/* lambda_url.c - function URL configurations: CreateFunctionUrlConfig, GetFunctionUrlConfig,
 * UpdateFunctionUrlConfig, DeleteFunctionUrlConfig and ListFunctionUrlConfigs, one URL per
 * function's $LATEST (unqualified) or alias, as Lambda has them (a version has none), kept in
 * the function's stored document (lambda_url.h). A URL's address is local:
 * http://<url-id>.lambda-url.<region>.localhost:<port>/ (Lambda's is
 * https://<url-id>.lambda-url.<region>.on.aws/); lambda_url_serve.c answers it. */
#include "lambda_url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/ids.h"
#include "../../protocol/ytree.h"
#include "../clock.h"
#include "../log.h"

/* Lambda's words for a missing function or alias: Create, Update and List name the function,
 * Get and Delete the configuration (AWS-validated snapshots of LocalStack's TestLambdaUrl). */
#define FN_MISSING "Function does not exist"
#define CONFIG_MISSING "The resource you requested does not exist."

int lambda_urls_load(const lambda_fn_t *fn, lambda_urls_t *l)
{
    memset(l, 0, sizeof(*l));
    if (!fn->urls_json)
        return 0;
    char err[128];
    l->root = ytree_parse_text(fn->urls_json, err, sizeof(err));
    if (!l->root || !YAJL_IS_ARRAY(l->root)) {
        LOG_ERROR("lambda: function %s: unreadable stored URLs: %s", fn->name, err);
        yajl_tree_free(l->root);
        l->root = NULL;
        return -1;
    }
    l->v = calloc(l->root->u.array.len + 1, sizeof(*l->v));
    for (size_t i = 0; i < l->root->u.array.len; i++) {
        yajl_val o = l->root->u.array.values[i];
        long long created = 0, modified = 0;
        in_int(o, "CreationTime", &created);
        in_int(o, "LastModifiedTime", &modified);
        l->v[l->n++] = (lambda_url_t){in_str(o, "Qualifier"),
                                      in_str(o, "UrlId"),
                                      in_str(o, "AuthType"),
                                      in_str(o, "InvokeMode"),
                                      in_obj(o, "Cors"),
                                      created,
                                      modified};
    }
    return 0;
}

void lambda_urls_free(lambda_urls_t *l)
{
    yajl_tree_free(l->root);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

lambda_url_t *lambda_urls_find(const lambda_urls_t *l, const char *qualifier)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].qualifier && strcmp(l->v[i].qualifier, qualifier) == 0)
            return &l->v[i];
    return NULL;
}

lambda_fn_t *lambda_url_by_id(const char *id, lambda_urls_t *l, lambda_url_t **url)
{
    for (lambda_fn_t *fn = lambda_fns; fn; fn = fn->next) {
        if (!fn->urls_json || !strstr(fn->urls_json, id) || lambda_urls_load(fn, l) != 0)
            continue;
        for (size_t i = 0; i < l->n; i++)
            if (l->v[i].id && strcmp(l->v[i].id, id) == 0) {
                *url = &l->v[i];
                return fn;
            }
        lambda_urls_free(l);
    }
    return NULL;
}

/* The stored form of one URL. */
static void put_url(jw_t *w, const lambda_url_t *u)
{
    jw_obj(w);
    jw_kstr(w, "Qualifier", u->qualifier);
    jw_kstr(w, "UrlId", u->id);
    jw_kstr(w, "AuthType", u->auth_type);
    if (u->cors) {
        jw_key(w, "Cors");
        lambda_write_json(w, u->cors);
    }
    if (u->invoke_mode)
        jw_kstr(w, "InvokeMode", u->invoke_mode);
    jw_kint(w, "CreationTime", u->created);
    jw_kint(w, "LastModifiedTime", u->modified);
    jw_end(w);
}

/* Gives fn the URLs of l but skip (NULL: none), plus add (NULL: none); fn keeps no text when none is left. */
static void set_urls(lambda_fn_t *fn, const lambda_urls_t *l, const lambda_url_t *skip, const lambda_url_t *add)
{
    jw_t w;
    jw_init(&w);
    jw_arr(&w);
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (&l->v[i] != skip)
            put_url(&w, &l->v[i]), n++;
    if (add)
        put_url(&w, add), n++;
    jw_aend(&w);
    size_t len;
    free(fn->urls_json);
    fn->urls_json = jw_take(&w, &len);
    if (n == 0) {
        free(fn->urls_json);
        fn->urls_json = NULL;
    }
}

static int store(call_t *c, lambda_fn_t *fn, const lambda_urls_t *l, const lambda_url_t *skip, const lambda_url_t *add)
{
    set_urls(fn, l, skip, add);
    return lambda_persist_fn(fn) == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not store the function");
}

/* A new url-id: 32 lowercase letters and digits, as Lambda's, used by no other URL. */
static char *new_url_id(call_t *c)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    char *id = call_alloc(c, LAMBDA_URL_ID_LEN + 1);
    lambda_urls_t l;
    lambda_url_t *u = NULL;
    do {
        unsigned char raw[LAMBDA_URL_ID_LEN];
        ids_random(raw, sizeof(raw));
        for (size_t i = 0; i < sizeof(raw); i++)
            id[i] = alphabet[raw[i] % (sizeof(alphabet) - 1)];
        if (!lambda_url_by_id(id, &l, &u))
            return id;
        lambda_urls_free(&l);
    } while (1);
}

static const char *url_arn(call_t *c, const lambda_fn_t *fn, const char *qualifier)
{
    return lambda_fn_arn(c, fn, strcmp(qualifier, LAMBDA_LATEST) == 0 ? NULL : qualifier);
}

/* Create's answer has no LastModifiedTime, nor InvokeMode unless the request set one (as Lambda's);
 * the others show both, InvokeMode BUFFERED when never set. */
typedef enum { URL_CREATED, URL_SHOWN } url_view_t;

static void write_url(call_t *c, jw_t *w, const lambda_fn_t *fn, const lambda_url_t *u, url_view_t view)
{
    char t[32];
    jw_obj(w);
    jw_kstr(w, "FunctionUrl", call_sprintf(c, "http://%s.lambda-url.%s.localhost:%d/", u->id, fn->region, lambda_cfg->port));
    jw_kstr(w, "FunctionArn", url_arn(c, fn, u->qualifier));
    jw_kstr(w, "AuthType", u->auth_type);
    if (u->cors) {
        jw_key(w, "Cors");
        lambda_write_json(w, u->cors);
    }
    jw_kstr(w, "CreationTime", lambda_time_fmt(t, u->created, LAMBDA_TIME_MS_Z));
    if (view == URL_SHOWN)
        jw_kstr(w, "LastModifiedTime", lambda_time_fmt(t, u->modified, LAMBDA_TIME_MS_Z));
    if (view == URL_SHOWN || u->invoke_mode)
        jw_kstr(w, "InvokeMode", u->invoke_mode ? u->invoke_mode : "BUFFERED");
    jw_end(w);
}

/* The function a call names and its qualifier ("$LATEST", or an alias that exists); NULL after an
 * error, `missing` the message for a function or alias that is not there. A version, or $LATEST
 * named, is refused as the Qualifier member's pattern refuses it, also when the ARN names it. */
static lambda_fn_t *url_target(call_t *c, const char *missing, const char **qualifier)
{
    lambda_ref_t ref;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), in_str(c->in, "Qualifier"), &ref) != CALL_DONE)
        return NULL;
    if (ref.qualifier && !lambda_valid_alias_name(ref.qualifier)) {
        call_error(c, "ValidationException",
                   "1 validation error detected: Value '%s' at 'qualifier' failed to satisfy constraint: Member must satisfy "
                   "regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)",
                   ref.qualifier);
        return NULL;
    }
    lambda_fn_t *fn = lambda_fn_find(c->account, c->region, ref.name);
    if (!fn || (ref.qualifier && !lambda_alias_find(fn, ref.qualifier))) {
        call_error(c, "ResourceNotFoundException", "%s", missing);
        return NULL;
    }
    *qualifier = ref.qualifier ? ref.qualifier : LAMBDA_LATEST;
    return fn;
}

/* What a URL call works on: the function, the qualifier, the function's URLs (freed with
 * lambda_urls_free once url_open succeeded) and the qualifier's among them (NULL if none). */
typedef struct {
    lambda_fn_t *fn;
    const char *qualifier;
    lambda_urls_t urls;
    lambda_url_t *url;
} url_call_t;

static int url_open(call_t *c, const char *missing, url_call_t *uc)
{
    uc->fn = url_target(c, missing, &uc->qualifier);
    if (!uc->fn)
        return CALL_ERROR;
    if (lambda_urls_load(uc->fn, &uc->urls) != 0)
        return call_error(c, "ServiceException", "the function's URLs cannot be read");
    uc->url = lambda_urls_find(&uc->urls, uc->qualifier);
    return CALL_DONE;
}

int lambda_create_function_url_config(call_t *c)
{
    url_call_t uc;
    if (url_open(c, FN_MISSING, &uc) != CALL_DONE)
        return CALL_ERROR;
    int rc;
    if (uc.url) {
        rc = call_error(c, "ResourceConflictException",
                        "Failed to create function url config for [functionArn = %s]. Error message:  FunctionUrlConfig exists "
                        "for this Lambda function",
                        url_arn(c, uc.fn, uc.qualifier));
    } else {
        int64_t now = clock_now_ms();
        lambda_url_t add = {
            uc.qualifier, new_url_id(c), in_str(c->in, "AuthType"), in_str(c->in, "InvokeMode"), in_obj(c->in, "Cors"), now, now};
        rc = store(c, uc.fn, &uc.urls, NULL, &add);
        if (rc == CALL_DONE)
            write_url(c, &c->out, uc.fn, &add, URL_CREATED);
    }
    lambda_urls_free(&uc.urls);
    return rc;
}

int lambda_get_function_url_config(call_t *c)
{
    url_call_t uc;
    if (url_open(c, CONFIG_MISSING, &uc) != CALL_DONE)
        return CALL_ERROR;
    int rc = uc.url ? CALL_DONE : call_error(c, "ResourceNotFoundException", CONFIG_MISSING);
    if (uc.url)
        write_url(c, &c->out, uc.fn, uc.url, URL_SHOWN);
    lambda_urls_free(&uc.urls);
    return rc;
}

/* AuthType, Cors and InvokeMode each replaced when the request sets them. */
int lambda_update_function_url_config(call_t *c)
{
    url_call_t uc;
    if (url_open(c, FN_MISSING, &uc) != CALL_DONE)
        return CALL_ERROR;
    lambda_url_t *u = uc.url;
    if (!u) {
        lambda_urls_free(&uc.urls);
        return call_error(c, "ResourceNotFoundException", CONFIG_MISSING);
    }
    u->auth_type = in_str(c->in, "AuthType") ? in_str(c->in, "AuthType") : u->auth_type;
    u->invoke_mode = in_str(c->in, "InvokeMode") ? in_str(c->in, "InvokeMode") : u->invoke_mode;
    u->cors = in_obj(c->in, "Cors") ? in_obj(c->in, "Cors") : u->cors;
    u->modified = clock_now_ms();
    int rc = store(c, uc.fn, &uc.urls, NULL, NULL);
    if (rc == CALL_DONE)
        write_url(c, &c->out, uc.fn, u, URL_SHOWN);
    lambda_urls_free(&uc.urls);
    return rc;
}

int lambda_delete_function_url_config(call_t *c)
{
    url_call_t uc;
    if (url_open(c, CONFIG_MISSING, &uc) != CALL_DONE)
        return CALL_ERROR;
    int rc = uc.url ? store(c, uc.fn, &uc.urls, uc.url, NULL) : call_error(c, "ResourceNotFoundException", CONFIG_MISSING);
    lambda_urls_free(&uc.urls);
    return rc;
}

/* In creation order; NextMarker is the index of the next one, as ListVersionsByFunction's. */
int lambda_list_function_url_configs(call_t *c)
{
    lambda_ref_t ref;
    long long max;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), NULL, &ref) != CALL_DONE || lambda_max_items(c, &max) != CALL_DONE)
        return CALL_ERROR;
    lambda_fn_t *fn = lambda_fn_find(c->account, c->region, ref.name);
    lambda_urls_t l;
    if (!fn)
        return call_error(c, "ResourceNotFoundException", FN_MISSING);
    if (lambda_urls_load(fn, &l) != 0)
        return call_error(c, "ServiceException", "the function's URLs cannot be read");
    const char *marker = in_str(c->in, "Marker");
    size_t i = marker ? (size_t)strtoull(marker, NULL, 10) : 0, n = 0;
    jw_obj(&c->out);
    jw_key(&c->out, "FunctionUrlConfigs");
    jw_arr(&c->out);
    for (; i < l.n && n < (size_t)max; i++, n++)
        write_url(c, &c->out, fn, &l.v[i], URL_SHOWN);
    jw_aend(&c->out);
    if (i < l.n)
        jw_kstr(&c->out, "NextMarker", call_sprintf(c, "%zu", i));
    jw_end(&c->out);
    lambda_urls_free(&l);
    return CALL_DONE;
}
