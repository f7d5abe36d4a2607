/* lambda_version.c - published versions (PublishVersion, ListVersionsByFunction)
 * and aliases (Create/Get/Update/Delete/ListAliases, with weighted routing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../clock.h"
#include "lambda_internal.h"

lambda_cfg_t *lambda_version_find(const lambda_fn_t *fn, const char *version)
{
    for (size_t i = 0; i < fn->nversions; i++)
        if (strcmp(fn->versions[i]->version, version) == 0)
            return fn->versions[i];
    return NULL;
}

lambda_alias_t *lambda_alias_find(const lambda_fn_t *fn, const char *name)
{
    for (size_t i = 0; i < fn->naliases; i++)
        if (strcmp(fn->aliases[i]->name, name) == 0)
            return fn->aliases[i];
    return NULL;
}

lambda_cfg_t *lambda_qualified(lambda_fn_t *fn, const char *qualifier)
{
    if (!qualifier || strcmp(qualifier, LAMBDA_LATEST) == 0)
        return fn->latest;
    lambda_cfg_t *cfg = lambda_version_find(fn, qualifier);
    lambda_alias_t *a = cfg ? NULL : lambda_alias_find(fn, qualifier);
    if (a)
        cfg = strcmp(a->version, LAMBDA_LATEST) == 0 ? fn->latest : lambda_version_find(fn, a->version);
    return cfg;
}

/* A new version of $LATEST, or the last one when $LATEST has not changed since it was published
 * (any update does: Lambda publishes a new version after a change of Description alone). */
lambda_cfg_t *lambda_publish(lambda_fn_t *fn, const char *description)
{
    lambda_cfg_t *last = fn->nversions ? fn->versions[fn->nversions - 1] : NULL;
    if (last && last->published_from && strcmp(last->published_from, fn->latest->revision_id) == 0)
        return last;
    lambda_cfg_t *v = lambda_cfg_dup(fn->latest);
    v->published_from = strdup(fn->latest->revision_id);
    char num[16], id[37];
    snprintf(num, sizeof(num), "%d", fn->next_version++);
    free(v->version);
    v->version = strdup(num);
    if (description) {
        free(v->description);
        v->description = strdup(description);
    }
    free(v->revision_id);
    v->revision_id = strdup(lambda_uuid(id));
    v->last_modified = clock_now_ms();
    fn->versions = realloc(fn->versions, (fn->nversions + 1) * sizeof(*fn->versions));
    fn->versions[fn->nversions++] = v;
    return v;
}

/* The function FunctionName names; when there is none, the error names it with missing_qualifier
 * (CreateAlias looks up the version its alias is to point to). */
static lambda_fn_t *find_fn(call_t *c, const char *missing_qualifier)
{
    lambda_ref_t ref;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), NULL, &ref) != CALL_DONE)
        return NULL;
    lambda_fn_t *fn = lambda_fn_find(c->account, c->region, ref.name);
    if (!fn)
        lambda_not_found(c, ref.name, missing_qualifier ? missing_qualifier : ref.qualifier);
    return fn;
}

static int store_or_fail(call_t *c, lambda_fn_t *fn)
{
    return lambda_persist_fn(fn) == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not store the function");
}

int lambda_publish_version(call_t *c)
{
    lambda_fn_t *fn = find_fn(c, NULL);
    if (!fn)
        return CALL_ERROR;
    const char *sha = in_str(c->in, "CodeSha256"), *rev = in_str(c->in, "RevisionId");
    if (sha && strcmp(sha, fn->latest->code_sha) != 0)
        return call_error(c, "InvalidParameterValueException",
                          "CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the "
                          "CodeSHA256 in $LATEST.",
                          sha, fn->latest->code_sha);
    if (rev && strcmp(rev, fn->latest->revision_id) != 0)
        return call_error(c, "PreconditionFailedException",
                          "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to "
                          "retrieve the latest Revision Id");
    lambda_cfg_t *v = lambda_publish(fn, in_str(c->in, "Description"));
    if (store_or_fail(c, fn) != CALL_DONE)
        return CALL_ERROR;
    lambda_write_config(&c->out, fn, v, v->version, LAMBDA_CFG_SHOWN);
    return CALL_DONE;
}

/* Marker for lists paged by index (versions, aliases, event invoke configs): the next item's, as text. */
size_t lambda_marker_index(call_t *c)
{
    const char *m = in_str(c->in, "Marker");
    return m ? (size_t)strtoull(m, NULL, 10) : 0;
}

void lambda_write_marker(call_t *c, size_t next, size_t total)
{
    if (next < total)
        jw_kstr(&c->out, "NextMarker", call_sprintf(c, "%zu", next));
}

int lambda_list_versions_by_function(call_t *c)
{
    long long max;
    lambda_fn_t *fn = find_fn(c, NULL);
    if (!fn || lambda_max_items(c, &max) != CALL_DONE)
        return CALL_ERROR;
    size_t total = fn->nversions + 1, i = lambda_marker_index(c), n = 0;
    jw_obj(&c->out);
    jw_key(&c->out, "Versions");
    jw_arr(&c->out);
    for (; i < total && n < (size_t)max; i++, n++) {
        lambda_cfg_t *cfg = i == 0 ? fn->latest : fn->versions[i - 1];
        lambda_write_config(&c->out, fn, cfg, cfg->version, LAMBDA_CFG_LISTED);
    }
    jw_aend(&c->out);
    lambda_write_marker(c, i, total);
    jw_end(&c->out);
    return CALL_DONE;
}

/* ---- aliases ---- */

static void write_alias(call_t *c, jw_t *w, const lambda_fn_t *fn, const lambda_alias_t *a)
{
    jw_obj(w);
    jw_kstr(w, "AliasArn", lambda_fn_arn(c, fn, a->name));
    jw_kstr(w, "Name", a->name);
    jw_kstr(w, "FunctionVersion", a->version);
    jw_kstr(w, "Description", a->description ? a->description : "");
    if (a->routing_json) {
        jw_key(w, "RoutingConfig");
        jw_obj(w);
        jw_kjson(w, "AdditionalVersionWeights", a->routing_json);
        jw_end(w);
    }
    jw_kstr(w, "RevisionId", a->revision_id);
    jw_end(w);
}

static int alias_not_found(call_t *c, const lambda_fn_t *fn, const char *name)
{
    return call_error(c, "ResourceNotFoundException", "Cannot find alias arn: %s", lambda_fn_arn(c, fn, name));
}

/* Checks FunctionVersion and RoutingConfig of a create/update; 0 when fine. */
static int check_alias_target(call_t *c, const lambda_fn_t *fn, const char *version)
{
    yajl_val w = in_obj(in_obj(c->in, "RoutingConfig"), "AdditionalVersionWeights");
    if (w && w->u.object.len > 1)
        return call_error(c, "InvalidParameterValueException",
                          "Number of items in AdditionalVersionWeights cannot be greater than 1");
    if (w && w->u.object.len && version && strcmp(version, LAMBDA_LATEST) == 0)
        return call_error(c, "InvalidParameterValueException",
                          "$LATEST is not supported for an alias pointing to more than 1 version");
    if (version && strcmp(version, LAMBDA_LATEST) != 0 && !lambda_version_find(fn, version))
        return lambda_not_found(c, fn->name, version);
    for (size_t i = 0; w && i < w->u.object.len; i++) {
        if (!lambda_version_find(fn, w->u.object.keys[i]))
            return lambda_not_found(c, fn->name, w->u.object.keys[i]);
        if (version && strcmp(w->u.object.keys[i], version) == 0)
            return call_error(c, "InvalidParameterValueException",
                              "Invalid function version %s. Function version %s is already included in routing configuration.",
                              version, version);
    }
    return CALL_DONE;
}

static void alias_apply(call_t *c, lambda_alias_t *a)
{
    const char *s;
    char id[37];
    if ((s = in_str(c->in, "FunctionVersion"))) {
        free(a->version);
        a->version = strdup(s);
    }
    if ((s = in_str(c->in, "Description"))) {
        free(a->description);
        a->description = strdup(s);
    }
    yajl_val rc = in_obj(c->in, "RoutingConfig");
    if (rc) {
        yajl_val w = in_obj(rc, "AdditionalVersionWeights");
        free(a->routing_json);
        a->routing_json = w && w->u.object.len ? lambda_json_text(w) : NULL;
    }
    free(a->revision_id);
    a->revision_id = strdup(lambda_uuid(id));
}

int lambda_create_alias(call_t *c)
{
    const char *name = in_str(c->in, "Name"), *version = in_str(c->in, "FunctionVersion");
    lambda_fn_t *fn = find_fn(c, version);
    if (!fn)
        return CALL_ERROR;
    if (!name || !version)
        return call_error(c, "InvalidParameterValueException", "Name and FunctionVersion are required.");
    if (!lambda_valid_alias_name(name))
        return call_error(c, "ValidationException",
                          "1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy "
                          "regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
                          name);
    if (lambda_alias_find(fn, name))
        return call_error(c, "ResourceConflictException", "Alias already exists: %s", lambda_fn_arn(c, fn, name));
    if (check_alias_target(c, fn, version) != CALL_DONE)
        return CALL_ERROR;
    lambda_alias_t *a = calloc(1, sizeof(*a));
    a->name = strdup(name);
    alias_apply(c, a);
    fn->aliases = realloc(fn->aliases, (fn->naliases + 1) * sizeof(*fn->aliases));
    fn->aliases[fn->naliases++] = a;
    if (store_or_fail(c, fn) != CALL_DONE)
        return CALL_ERROR;
    write_alias(c, &c->out, fn, a);
    return CALL_DONE;
}

/* The alias FunctionName + Name names, and its function in *fnp; NULL after an error. */
static lambda_alias_t *find_alias(call_t *c, lambda_fn_t **fnp)
{
    lambda_fn_t *fn = *fnp = find_fn(c, NULL);
    if (!fn)
        return NULL;
    lambda_alias_t *a = lambda_alias_find(fn, in_str(c->in, "Name") ? in_str(c->in, "Name") : "");
    if (!a)
        alias_not_found(c, fn, in_str(c->in, "Name"));
    return a;
}

int lambda_get_alias(call_t *c)
{
    lambda_fn_t *fn;
    lambda_alias_t *a = find_alias(c, &fn);
    if (!a)
        return CALL_ERROR;
    write_alias(c, &c->out, fn, a);
    return CALL_DONE;
}

int lambda_update_alias(call_t *c)
{
    lambda_fn_t *fn;
    lambda_alias_t *a = find_alias(c, &fn);
    if (!a)
        return CALL_ERROR;
    const char *rev = in_str(c->in, "RevisionId");
    if (rev && strcmp(rev, a->revision_id) != 0)
        return call_error(c, "PreconditionFailedException",
                          "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to "
                          "retrieve the latest Revision Id");
    const char *version = in_str(c->in, "FunctionVersion");
    if (check_alias_target(c, fn, version ? version : a->version) != CALL_DONE)
        return CALL_ERROR;
    alias_apply(c, a);
    if (store_or_fail(c, fn) != CALL_DONE)
        return CALL_ERROR;
    write_alias(c, &c->out, fn, a);
    return CALL_DONE;
}

int lambda_delete_alias(call_t *c)
{
    lambda_fn_t *fn = find_fn(c, NULL);
    if (!fn)
        return CALL_ERROR;
    const char *name = in_str(c->in, "Name") ? in_str(c->in, "Name") : "";
    for (size_t i = 0; i < fn->naliases; i++) {
        lambda_alias_t *a = fn->aliases[i];
        if (strcmp(a->name, name) != 0)
            continue;
        free(a->name), free(a->version), free(a->description), free(a->revision_id), free(a->routing_json), free(a);
        memmove(fn->aliases + i, fn->aliases + i + 1, (fn->naliases - i - 1) * sizeof(*fn->aliases));
        fn->naliases--;
        lambda_async_config_drop(fn, name);
        lambda_fn_conf_drop(fn, name);
        return store_or_fail(c, fn);
    }
    return CALL_DONE; /* Lambda answers 204 for an alias that does not exist */
}

int lambda_list_aliases(call_t *c)
{
    long long max;
    lambda_fn_t *fn = find_fn(c, NULL);
    if (!fn || lambda_max_items(c, &max) != CALL_DONE)
        return CALL_ERROR;
    const char *only = in_str(c->in, "FunctionVersion");
    size_t i = lambda_marker_index(c), n = 0;
    jw_obj(&c->out);
    jw_key(&c->out, "Aliases");
    jw_arr(&c->out);
    for (; i < fn->naliases && n < (size_t)max; i++) {
        if (only && strcmp(fn->aliases[i]->version, only) != 0)
            continue;
        write_alias(c, &c->out, fn, fn->aliases[i]);
        n++;
    }
    jw_aend(&c->out);
    lambda_write_marker(c, i, fn->naliases);
    jw_end(&c->out);
    return CALL_DONE;
}
