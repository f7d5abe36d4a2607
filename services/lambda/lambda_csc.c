/* lambda_csc.c - code signing configurations: Create/Get/Update/Delete/ListCodeSigningConfigs and their tags
 * (Tag/UntagResource, ListTags on their ARN; one stored document per configuration, storage/lambda_store.h:
 * {"CodeSigningConfigId", "CodeSigningConfigArn", "Description", "AllowedPublishers", "CodeSigningPolicies",
 * "LastModifiedMs", "Tags"}), the functions that use one
 * (Put/Get/DeleteFunctionCodeSigningConfig, ListFunctionsByCodeSigningConfig, CreateFunction's
 * CodeSigningConfigArn; kept in the function's document, lambda_fn_configs.c).
 *
 * Stored and answered only: there is no AWS Signer here, so no signature is ever checked and
 * UntrustedArtifactOnDeployment (Warn or Enforce) changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/ids.h"
#include "../../protocol/ytree.h"
#include "../../storage/lambda_store.h"
#include "../clock.h"
#include "lambda_internal.h"

#define SECTION "CodeSigning"
#define MEMBER "CodeSigningConfigArn"

/* The id an ARN of this account and region names (arn:aws:lambda:<region>:<account>:code-signing-config:<id>), or NULL. */
static const char *arn_id(call_t *c, const char *arn)
{
    const char *prefix = call_sprintf(c, "arn:aws:lambda:%s:%s:code-signing-config:", c->region, c->account);
    size_t n = strlen(prefix);
    return arn && strncmp(arn, prefix, n) == 0 ? arn + n : NULL;
}

/* The stored document of the configuration arn names (parsed; free it), or NULL. */
static yajl_val load(call_t *c, const char *arn)
{
    const char *id = arn_id(c, arn);
    char *doc = id ? lambda_store_get_csc(lambda_db, c->account, c->region, id) : NULL, err[64];
    yajl_val v = doc ? ytree_parse_text(doc, err, sizeof(err)) : NULL;
    free(doc);
    return v;
}

static int not_found(call_t *c, const char *arn)
{
    return call_error(c, "ResourceNotFoundException", "The Lambda code signing configuration %s can not be found.", arn ? arn : "");
}

static int no_such_config(call_t *c, const char *arn)
{
    return call_error(c, "CodeSigningConfigNotFoundException",
                      "The code signing configuration cannot be found. Check that the provided configuration is not deleted: %s.",
                      arn ? arn : "");
}

/* A configuration as Lambda shows it. */
static void write_csc(jw_t *w, yajl_val doc)
{
    char ts[32];
    long long ms = 0;
    in_int(doc, "LastModifiedMs", &ms);
    jw_obj(w);
    jw_kstr(w, "CodeSigningConfigId", in_str(doc, "CodeSigningConfigId"));
    jw_kstr(w, "CodeSigningConfigArn", in_str(doc, "CodeSigningConfigArn"));
    jw_kstr(w, "Description", in_str(doc, "Description") ? in_str(doc, "Description") : "");
    jw_key(w, "AllowedPublishers");
    lambda_write_json(w, in_obj(doc, "AllowedPublishers"));
    jw_key(w, "CodeSigningPolicies");
    lambda_write_json(w, in_obj(doc, "CodeSigningPolicies"));
    jw_kstr(w, "LastModified", lambda_time_fmt(ts, ms, LAMBDA_TIME_CONFIG));
    jw_end(w);
}

/* Stores the configuration: the members of over (Create's or Update's request; NULL for a change of tags) over those
 * of old (NULL for a new one), with tags (an object text). The stored document parsed (free it), or NULL after the
 * error. */
static yajl_val store(call_t *c, const char *id, const char *arn, yajl_val over, yajl_val old, const char *tags)
{
    yajl_val pub = in_obj(over, "AllowedPublishers"), pol = in_obj(over, "CodeSigningPolicies");
    const char *desc = in_str(over, "Description");
    long long ms = clock_now_ms();
    if (!over) /* tags are not the configuration */
        in_int(old, "LastModifiedMs", &ms);
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "CodeSigningConfigId", id);
    jw_kstr(&w, "CodeSigningConfigArn", arn);
    jw_kstr(&w, "Description", desc ? desc : old ? in_str(old, "Description") : "");
    jw_key(&w, "AllowedPublishers");
    lambda_write_json(&w, pub ? pub : in_obj(old, "AllowedPublishers"));
    jw_key(&w, "CodeSigningPolicies");
    const char *policy = in_str(pol ? pol : in_obj(old, "CodeSigningPolicies"), "UntrustedArtifactOnDeployment");
    jw_obj(&w);
    jw_kstr(&w, "UntrustedArtifactOnDeployment", policy ? policy : "Warn"); /* Lambda's default */
    jw_end(&w);
    jw_kint(&w, "LastModifiedMs", ms);
    jw_kjson(&w, "Tags", tags);
    jw_end(&w);
    size_t len;
    char *doc = jw_take(&w, &len), err[64];
    int rc = lambda_store_put_csc(lambda_db, c->account, c->region, id, doc, len);
    yajl_val v = rc == 0 ? ytree_parse_text(doc, err, sizeof(err)) : NULL;
    free(doc);
    if (!v)
        call_error(c, "ServiceException", "could not store the code signing configuration");
    return v;
}

/* {"CodeSigningConfig": doc} (doc freed here), or the error store raised when doc is NULL. */
static int answer(call_t *c, yajl_val doc)
{
    if (!doc)
        return CALL_ERROR;
    jw_obj(&c->out);
    jw_key(&c->out, "CodeSigningConfig");
    write_csc(&c->out, doc);
    jw_end(&c->out);
    yajl_tree_free(doc);
    return CALL_DONE;
}

/* The stored tags of doc as an object text (malloc). */
static char *tags_of(yajl_val doc)
{
    yajl_val tags = in_obj(doc, "Tags");
    return tags ? lambda_json_text(tags) : strdup("{}");
}

int lambda_create_code_signing_config(call_t *c)
{
    unsigned char raw[9];
    char id[4 + 18 + 1]; /* csc- and 18 hex digits, cut to 17 below */
    ids_random(raw, sizeof(raw));
    memcpy(id, "csc-", 4);
    for (int i = 0; i < 9; i++)
        snprintf(id + 4 + 2 * i, 3, "%02x", raw[i]);
    id[4 + 17] = '\0';
    const char *arn = call_sprintf(c, "arn:aws:lambda:%s:%s:code-signing-config:%s", c->region, c->account, id);
    char *tags = lambda_tags_merge(c, NULL, in_obj(c->in, "Tags"), NULL);
    if (!tags)
        return CALL_ERROR;
    int rc = answer(c, store(c, id, arn, c->in, NULL, tags));
    free(tags);
    return rc;
}

int lambda_get_code_signing_config(call_t *c)
{
    const char *arn = in_str(c->in, "CodeSigningConfigArn");
    yajl_val doc = load(c, arn);
    if (!doc)
        return not_found(c, arn);
    jw_obj(&c->out);
    jw_key(&c->out, "CodeSigningConfig");
    write_csc(&c->out, doc);
    jw_end(&c->out);
    yajl_tree_free(doc);
    return CALL_DONE;
}

int lambda_update_code_signing_config(call_t *c)
{
    const char *arn = in_str(c->in, "CodeSigningConfigArn");
    yajl_val doc = load(c, arn);
    if (!doc)
        return not_found(c, arn);
    char *tags = tags_of(doc);
    int rc = answer(c, store(c, arn_id(c, arn), arn, c->in, doc, tags));
    free(tags);
    yajl_tree_free(doc);
    return rc;
}

int lambda_csc_arn(const char *arn)
{
    return arn && strncmp(arn, "arn:", 4) == 0 && strstr(arn, ":code-signing-config:") != NULL;
}

int lambda_csc_tags(call_t *c, yajl_val add, yajl_val drop)
{
    const char *arn = in_str(c->in, "Resource");
    yajl_val doc = load(c, arn);
    if (!doc)
        return not_found(c, arn);
    char *old = tags_of(doc), *tags = add || drop ? lambda_tags_merge(c, old, add, drop) : NULL;
    yajl_val stored = tags ? store(c, arn_id(c, arn), arn, NULL, doc, tags) : NULL;
    int rc = (add || drop) && !stored ? CALL_ERROR : CALL_DONE;
    if (!add && !drop) { /* ListTags */
        jw_obj(&c->out);
        jw_kjson(&c->out, "Tags", old);
        jw_end(&c->out);
    }
    yajl_tree_free(stored);
    yajl_tree_free(doc);
    free(old), free(tags);
    return rc;
}

/* The configuration fn uses (a copy from the request pool), or NULL. */
static const char *fn_csc(call_t *c, const lambda_fn_t *fn)
{
    if (!fn->configs_json)
        return NULL;
    yajl_val root = lambda_fn_conf_parse(fn);
    const char *arn = lambda_fn_conf_str(root, SECTION, MEMBER);
    arn = arn ? call_strdup(c, arn) : NULL;
    yajl_tree_free(root);
    return arn;
}

/* The functions of the caller's account and region that use arn, from index `from`, at most max of them written
 * as ARNs into w (when not NULL); how many there are in all. */
static size_t users(call_t *c, const char *arn, jw_t *w, size_t from, long long max)
{
    size_t n = 0;
    for (lambda_fn_t *fn = lambda_fns; fn; fn = fn->next) {
        const char *have = fn_csc(c, fn);
        if (strcmp(fn->account, c->account) != 0 || strcmp(fn->region, c->region) != 0 || !have || strcmp(have, arn) != 0)
            continue;
        if (w && n >= from && n - from < (size_t)max)
            jw_str(w, lambda_fn_arn(c, fn, NULL));
        n++;
    }
    return n;
}

int lambda_delete_code_signing_config(call_t *c)
{
    const char *arn = in_str(c->in, "CodeSigningConfigArn");
    yajl_val doc = load(c, arn);
    if (!doc)
        return not_found(c, arn);
    yajl_tree_free(doc);
    if (users(c, arn, NULL, 0, 0) > 0) /* Lambda's exact message for this is not known */
        return call_error(c, "ResourceConflictException",
                          "The code signing configuration %s cannot be deleted because functions use it.", arn);
    if (lambda_store_del_csc(lambda_db, c->account, c->region, arn_id(c, arn)) != 0)
        return call_error(c, "ServiceException", "could not delete the code signing configuration");
    return CALL_DONE;
}

/* The index after a page of at most max items from index `from` of total (total when none is left; a Marker past
 * the end must not wrap around to a page again). */
static size_t next_index(size_t from, long long max, size_t total)
{
    return from < total && total - from > (size_t)max ? from + (size_t)max : total;
}

typedef struct {
    jw_t *w;
    size_t from, n;
    long long max;
} list_t;

static int list_one(void *ud, const char *id, const char *doc)
{
    list_t *l = ud;
    char err[64];
    if (l->n >= l->from && l->n - l->from < (size_t)l->max) {
        yajl_val v = ytree_parse_text(doc, err, sizeof(err));
        if (v)
            write_csc(l->w, v);
        yajl_tree_free(v);
    }
    l->n++;
    return 0;
}

int lambda_list_code_signing_configs(call_t *c)
{
    list_t l = {.w = &c->out, .from = lambda_marker_index(c)};
    if (lambda_max_items(c, &l.max) != CALL_DONE)
        return CALL_ERROR;
    jw_obj(&c->out);
    jw_key(&c->out, "CodeSigningConfigs");
    jw_arr(&c->out);
    if (lambda_store_each_csc(lambda_db, c->account, c->region, list_one, &l) != 0)
        return call_error(c, "ServiceException", "could not read the code signing configurations");
    jw_aend(&c->out);
    lambda_write_marker(c, next_index(l.from, l.max, l.n), l.n);
    jw_end(&c->out);
    return CALL_DONE;
}

int lambda_list_functions_by_code_signing_config(call_t *c)
{
    const char *arn = in_str(c->in, "CodeSigningConfigArn");
    long long max;
    yajl_val doc = load(c, arn);
    if (!doc)
        return not_found(c, arn);
    yajl_tree_free(doc);
    if (lambda_max_items(c, &max) != CALL_DONE)
        return CALL_ERROR;
    size_t from = lambda_marker_index(c);
    jw_obj(&c->out);
    jw_key(&c->out, "FunctionArns");
    jw_arr(&c->out);
    size_t total = users(c, arn, &c->out, from, max);
    jw_aend(&c->out);
    lambda_write_marker(c, next_index(from, max, total), total);
    jw_end(&c->out);
    return CALL_DONE;
}

/* ---- a function's configuration ---- */

/* Points fn at the configuration arn (NULL: none). */
static void set_arn(lambda_fn_t *fn, const char *arn)
{
    jw_t w;
    size_t len;
    jw_init(&w);
    if (arn)
        jw_str(&w, arn);
    char *json = arn ? jw_take(&w, &len) : NULL;
    jw_free(&w);
    lambda_fn_conf_set(fn, SECTION, MEMBER, json);
    free(json);
}

int lambda_csc_attach(call_t *c, lambda_fn_t *fn, const char *arn)
{
    if (!arn || !*arn)
        return CALL_DONE;
    yajl_val doc = load(c, arn);
    if (!doc)
        return no_such_config(c, arn);
    yajl_tree_free(doc);
    set_arn(fn, arn);
    return CALL_DONE;
}

/* The function FunctionName names, or NULL after the error. */
static lambda_fn_t *function(call_t *c)
{
    lambda_ref_t ref;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), NULL, &ref) != CALL_DONE)
        return NULL;
    lambda_fn_t *fn = lambda_fn_find(c->account, c->region, ref.name);
    if (!fn)
        lambda_not_found(c, ref.name, NULL);
    return fn;
}

static void write_function_csc(call_t *c, const lambda_fn_t *fn, const char *arn)
{
    jw_obj(&c->out);
    jw_kstr(&c->out, "CodeSigningConfigArn", arn);
    jw_kstr(&c->out, "FunctionName", fn->name);
    jw_end(&c->out);
}

int lambda_put_function_code_signing_config(call_t *c)
{
    const char *arn = in_str(c->in, "CodeSigningConfigArn");
    yajl_val doc = load(c, arn); /* Lambda checks the configuration first */
    if (!doc)
        return no_such_config(c, arn);
    yajl_tree_free(doc);
    lambda_fn_t *fn = function(c);
    if (!fn)
        return CALL_ERROR;
    set_arn(fn, arn);
    if (lambda_persist_fn(fn) != 0)
        return call_error(c, "ServiceException", "could not store the function");
    write_function_csc(c, fn, arn);
    return CALL_DONE;
}

int lambda_get_function_code_signing_config(call_t *c)
{
    lambda_fn_t *fn = function(c);
    if (!fn)
        return CALL_ERROR;
    const char *arn = fn_csc(c, fn);
    if (arn) /* without one Lambda answers an empty object */
        write_function_csc(c, fn, arn);
    return CALL_DONE;
}

int lambda_delete_function_code_signing_config(call_t *c)
{
    lambda_fn_t *fn = function(c);
    if (!fn)
        return CALL_ERROR;
    if (!fn_csc(c, fn))
        return CALL_DONE; /* 204 too when the function has none */
    set_arn(fn, NULL);
    return lambda_persist_fn(fn) == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not store the function");
}
