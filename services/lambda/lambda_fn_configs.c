/* lambda_fn_configs.c - a function's further configurations, kept in its stored document
 * (fn->configs_json, one object, members left out when unset):
 *   "CodeSigning": {"CodeSigningConfigArn": ..}   the code signing configuration (lambda_csc.c)
 *   "Provisioned": {<qualifier>: {"Requested", "LastModifiedMs"}}   provisioned concurrency per version or alias
 *   "Recursion": {"RecursiveLoop"}                  recursive loop detection (Terminate when unset)
 *   "RuntimeManagement": {<version>: {"UpdateRuntimeOn", "RuntimeVersionArn"}}   per version ($LATEST too)
 * the helpers that read and write them, and the operations: Put/Get/Delete/ListProvisionedConcurrencyConfig(s),
 * Get/PutFunctionRecursionConfig, Get/PutRuntimeManagementConfig. Configurations of a version or alias go with it. */
#include <stdlib.h>
#include <string.h>

#include "../../protocol/ytree.h"
#include "../clock.h"
#include "lambda_internal.h"

#define PROVISIONED "Provisioned"
#define RECURSION "Recursion"
#define RUNTIME "RuntimeManagement"

yajl_val lambda_fn_conf_parse(const lambda_fn_t *fn)
{
    char err[64];
    yajl_val v = fn->configs_json ? ytree_parse_text(fn->configs_json, err, sizeof(err)) : NULL;
    if (v && !YAJL_IS_OBJECT(v)) {
        yajl_tree_free(v);
        v = NULL;
    }
    return v;
}

const char *lambda_fn_conf_str(yajl_val root, const char *section, const char *key)
{
    return in_str(in_obj(root, section), key);
}

/* The members of obj but key, then key: json when json is not NULL; how many were written. */
static size_t write_members(jw_t *w, yajl_val obj, const char *key, const char *json)
{
    size_t n = 0;
    for (size_t i = 0; obj && i < obj->u.object.len; i++) {
        if (strcmp(obj->u.object.keys[i], key) == 0)
            continue;
        jw_key(w, obj->u.object.keys[i]);
        lambda_write_json(w, obj->u.object.values[i]);
        n++;
    }
    if (json) {
        jw_kjson(w, key, json);
        n++;
    }
    return n;
}

void lambda_fn_conf_set(lambda_fn_t *fn, const char *section, const char *key, const char *json)
{
    yajl_val root = lambda_fn_conf_parse(fn), old = in_obj(root, section);
    jw_t w;
    size_t len;
    jw_init(&w);
    jw_obj(&w);
    int keep = write_members(&w, old, key, json) > 0;
    jw_end(&w);
    char *sec = jw_take(&w, &len);
    jw_obj(&w);
    size_t n = write_members(&w, root, section, keep ? sec : NULL);
    jw_end(&w);
    yajl_tree_free(root);
    free(sec);
    free(fn->configs_json);
    fn->configs_json = n ? jw_take(&w, &len) : NULL;
    jw_free(&w);
}

void lambda_fn_conf_drop(lambda_fn_t *fn, const char *qualifier)
{
    static const char *const per_qualifier[] = {PROVISIONED, RUNTIME, NULL};
    for (int i = 0; fn->configs_json && per_qualifier[i]; i++)
        lambda_fn_conf_set(fn, per_qualifier[i], qualifier, NULL);
}

/* ---- provisioned concurrency ----
 * Lambda takes the configuration at once (Put answers IN_PROGRESS with nothing allocated yet, as AWS's
 * recorded answer does) and every later read finds it READY with all of it allocated: awsemu starts
 * no environment ahead of an invocation. */

/* 1 when s names a version (digits only), 0 an alias. */
static int all_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

/* The function and the version or alias (into *qualifier) the request names, checked in Lambda's order and words;
 * NULL after the error. put: PutProvisionedConcurrencyConfig (its own words for $LATEST). */
static lambda_fn_t *pc_target(call_t *c, int put, const char **qualifier)
{
    lambda_ref_t ref;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), in_str(c->in, "Qualifier"), &ref) != CALL_DONE)
        return NULL;
    const char *q = ref.qualifier ? ref.qualifier : LAMBDA_LATEST;
    if (strcmp(q, LAMBDA_LATEST) == 0) {
        call_error(c, "InvalidParameterValueException", "%s",
                   put ? "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
                       : "The function resource provided must be an alias or a published version.");
        return NULL;
    }
    lambda_fn_t *fn = lambda_fn_find(c->account, c->region, ref.name);
    if (all_digits(q) && (!fn || !lambda_version_find(fn, q))) {
        lambda_not_found(c, ref.name, q);
        return NULL;
    }
    if (!all_digits(q) && (!fn || !lambda_alias_find(fn, q))) {
        call_error(c, "ResourceNotFoundException", "Cannot find alias arn: arn:aws:lambda:%s:%s:function:%s:%s", c->region,
                   c->account, ref.name, q);
        return NULL;
    }
    *qualifier = q;
    return fn;
}

/* A configuration's counts, status and LastModified (ISO-8601 in seconds, +0000, as Lambda shows it). */
static void write_pc(jw_t *w, yajl_val pc, int in_progress)
{
    long long requested = 0, ms = 0;
    in_int(pc, "Requested", &requested);
    in_int(pc, "LastModifiedMs", &ms);
    char ts[32];
    jw_kint(w, "RequestedProvisionedConcurrentExecutions", requested);
    jw_kint(w, "AvailableProvisionedConcurrentExecutions", in_progress ? 0 : requested);
    jw_kint(w, "AllocatedProvisionedConcurrentExecutions", in_progress ? 0 : requested);
    jw_kstr(w, "Status", in_progress ? "IN_PROGRESS" : "READY");
    jw_kstr(w, "LastModified", lambda_time_fmt(ts, ms, "+0000"));
}

/* A configuration on a version that an alias to it also has, or on an alias whose version has one: Lambda refuses
 * either; CALL_DONE or the error raised. */
static int pc_conflict(call_t *c, const lambda_fn_t *fn, yajl_val section, const char *q)
{
    lambda_alias_t *alias = lambda_alias_find(fn, q);
    if (alias && in_obj(section, alias->version))
        return call_error(c, "ResourceConflictException",
                          "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
    for (size_t i = 0; !alias && i < fn->naliases; i++)
        if (strcmp(fn->aliases[i]->version, q) == 0 && in_obj(section, fn->aliases[i]->name))
            return call_error(c, "ResourceConflictException", "Version is pointed by a Provisioned Concurrency alias");
    return CALL_DONE;
}

/* n more on the function, beside what its other qualifiers have (section): within its reserved concurrency when it
 * has one, within the account's unreserved otherwise, as Lambda checks them; CALL_DONE or the error raised. */
static int pc_capacity(call_t *c, const lambda_fn_t *fn, yajl_val section, const char *q, long long n)
{
    long long others = 0, v;
    for (size_t i = 0; section && YAJL_IS_OBJECT(section) && i < section->u.object.len; i++)
        if (strcmp(section->u.object.keys[i], q) != 0 && in_int(section->u.object.values[i], "Requested", &v))
            others += v;
    if (fn->reserved >= 0 && fn->reserved < others + n)
        return call_error(
            c, "InvalidParameterValueException",
            "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function");
    if (n > LAMBDA_ACCOUNT_CONCURRENCY)
        return call_error(c, "InvalidParameterValueException",
                          "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [%d].",
                          LAMBDA_ACCOUNT_CONCURRENCY);
    if (fn->reserved < 0 && lambda_unreserved(c, NULL) - n < LAMBDA_MIN_UNRESERVED)
        return call_error(c, "InvalidParameterValueException",
                          "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
                          "below its minimum value of [%d].",
                          LAMBDA_MIN_UNRESERVED);
    return CALL_DONE;
}

int lambda_put_provisioned_concurrency_config(call_t *c)
{
    const char *q;
    long long n = 0;
    lambda_fn_t *fn = pc_target(c, 1, &q);
    if (!fn)
        return CALL_ERROR;
    in_int(c->in, "ProvisionedConcurrentExecutions", &n); /* an int: the model's validation read it as Lambda's Jackson */
    yajl_val root = lambda_fn_conf_parse(fn);
    int rc = pc_conflict(c, fn, in_obj(root, PROVISIONED), q);
    if (rc == CALL_DONE)
        rc = pc_capacity(c, fn, in_obj(root, PROVISIONED), q, n);
    yajl_tree_free(root);
    if (rc != CALL_DONE)
        return rc;
    jw_t w;
    size_t len;
    jw_init(&w);
    jw_obj(&w);
    jw_kint(&w, "Requested", n);
    jw_kint(&w, "LastModifiedMs", clock_now_ms());
    jw_end(&w);
    char *json = jw_take(&w, &len), err[64];
    lambda_fn_conf_set(fn, PROVISIONED, q, json);
    yajl_val pc = ytree_parse_text(json, err, sizeof(err));
    free(json);
    if (lambda_persist_fn(fn) != 0) {
        yajl_tree_free(pc);
        return call_error(c, "ServiceException", "could not store the function");
    }
    jw_obj(&c->out);
    write_pc(&c->out, pc, 1);
    jw_end(&c->out);
    yajl_tree_free(pc);
    return CALL_DONE;
}

int lambda_get_provisioned_concurrency_config(call_t *c)
{
    const char *q;
    lambda_fn_t *fn = pc_target(c, 0, &q);
    if (!fn)
        return CALL_ERROR;
    yajl_val root = lambda_fn_conf_parse(fn), pc = in_obj(in_obj(root, PROVISIONED), q);
    if (pc) {
        jw_obj(&c->out);
        write_pc(&c->out, pc, 0);
        jw_end(&c->out);
    }
    yajl_tree_free(root);
    return pc ? CALL_DONE
              : call_error(c, "ProvisionedConcurrencyConfigNotFoundException",
                           "No Provisioned Concurrency Config found for this function");
}

int lambda_delete_provisioned_concurrency_config(call_t *c)
{
    const char *q;
    lambda_fn_t *fn = pc_target(c, 0, &q);
    if (!fn)
        return CALL_ERROR;
    yajl_val root = lambda_fn_conf_parse(fn);
    int had = in_obj(in_obj(root, PROVISIONED), q) != NULL;
    yajl_tree_free(root);
    if (!had)
        return CALL_DONE; /* 204 when there is none, as Lambda answers */
    lambda_fn_conf_set(fn, PROVISIONED, q, NULL);
    return lambda_persist_fn(fn) == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not store the function");
}

int lambda_list_provisioned_concurrency_configs(call_t *c)
{
    lambda_ref_t ref;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), NULL, &ref) != CALL_DONE)
        return CALL_ERROR;
    lambda_fn_t *fn = lambda_fn_find(c->account, c->region, ref.name);
    if (!fn)
        return lambda_not_found(c, ref.name, NULL);
    long long max = 50;
    in_int(c->in, "MaxItems", &max);
    yajl_val root = lambda_fn_conf_parse(fn), section = in_obj(root, PROVISIONED);
    size_t total = section ? section->u.object.len : 0, i = lambda_marker_index(c);
    jw_obj(&c->out);
    jw_key(&c->out, "ProvisionedConcurrencyConfigs");
    jw_arr(&c->out);
    for (long long n = 0; i < total && n < max; i++, n++) {
        jw_obj(&c->out);
        jw_kstr(&c->out, "FunctionArn", lambda_fn_arn(c, fn, section->u.object.keys[i]));
        write_pc(&c->out, section->u.object.values[i], 0);
        jw_end(&c->out);
    }
    jw_aend(&c->out);
    lambda_write_marker(c, i, total);
    jw_end(&c->out);
    yajl_tree_free(root);
    return CALL_DONE;
}

/* ---- recursive loop detection and runtime management: stored and answered, not acted on ---- */

int lambda_get_function_recursion_config(call_t *c)
{
    lambda_fn_t *fn;
    if (lambda_resolve(c, in_str(c->in, "FunctionName"), NULL, &fn, NULL, NULL) != CALL_DONE)
        return CALL_ERROR;
    yajl_val root = lambda_fn_conf_parse(fn);
    const char *loop = lambda_fn_conf_str(root, RECURSION, "RecursiveLoop");
    jw_obj(&c->out);
    jw_kstr(&c->out, "RecursiveLoop", loop ? loop : "Terminate"); /* Lambda's default */
    jw_end(&c->out);
    yajl_tree_free(root);
    return CALL_DONE;
}

/* Sets member key of section to the string s and stores fn; CALL_DONE or the error raised. */
static int store_str(call_t *c, lambda_fn_t *fn, const char *section, const char *key, const char *s)
{
    jw_t w;
    size_t len;
    jw_init(&w);
    jw_str(&w, s);
    char *json = jw_take(&w, &len);
    lambda_fn_conf_set(fn, section, key, json);
    free(json);
    return lambda_persist_fn(fn) == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not store the function");
}

int lambda_put_function_recursion_config(call_t *c)
{
    lambda_fn_t *fn;
    const char *loop = in_str(c->in, "RecursiveLoop");
    if (lambda_resolve(c, in_str(c->in, "FunctionName"), NULL, &fn, NULL, NULL) != CALL_DONE ||
        store_str(c, fn, RECURSION, "RecursiveLoop", loop) != CALL_DONE)
        return CALL_ERROR;
    jw_obj(&c->out);
    jw_kstr(&c->out, "RecursiveLoop", loop);
    jw_end(&c->out);
    return CALL_DONE;
}

/* A version's runtime management configuration: UpdateRuntimeOn (Auto when never set), the RuntimeVersionArn in
 * Manual mode only (null otherwise, as the API reference says), and the version's ARN. */
static void write_runtime(call_t *c, const lambda_fn_t *fn, const char *version, yajl_val rt)
{
    const char *on = in_str(rt, "UpdateRuntimeOn");
    jw_obj(&c->out);
    jw_kstr(&c->out, "UpdateRuntimeOn", on ? on : "Auto");
    if (on && strcmp(on, "Manual") == 0 && in_str(rt, "RuntimeVersionArn"))
        jw_kstr(&c->out, "RuntimeVersionArn", in_str(rt, "RuntimeVersionArn"));
    jw_kstr(&c->out, "FunctionArn", lambda_fn_arn(c, fn, version));
    jw_end(&c->out);
}

int lambda_get_runtime_management_config(call_t *c)
{
    lambda_fn_t *fn;
    lambda_cfg_t *cfg;
    if (lambda_resolve(c, in_str(c->in, "FunctionName"), in_str(c->in, "Qualifier"), &fn, &cfg, NULL) != CALL_DONE)
        return CALL_ERROR;
    yajl_val root = lambda_fn_conf_parse(fn);
    write_runtime(c, fn, cfg->version, in_obj(in_obj(root, RUNTIME), cfg->version));
    yajl_tree_free(root);
    return CALL_DONE;
}

int lambda_put_runtime_management_config(call_t *c)
{
    lambda_fn_t *fn;
    lambda_cfg_t *cfg;
    if (lambda_resolve(c, in_str(c->in, "FunctionName"), in_str(c->in, "Qualifier"), &fn, &cfg, NULL) != CALL_DONE)
        return CALL_ERROR;
    const char *on = in_str(c->in, "UpdateRuntimeOn"), *arn = in_str(c->in, "RuntimeVersionArn");
    int manual = on && strcmp(on, "Manual") == 0;
    if (manual && !arn) /* Lambda's text for this is not recorded */
        return call_error(c, "InvalidParameterValueException", "RuntimeVersionArn is required when UpdateRuntimeOn is Manual.");
    jw_t w;
    size_t len;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "UpdateRuntimeOn", on);
    if (manual)
        jw_kstr(&w, "RuntimeVersionArn", arn);
    jw_end(&w);
    char *json = jw_take(&w, &len), err[64];
    lambda_fn_conf_set(fn, RUNTIME, cfg->version, json);
    yajl_val rt = ytree_parse_text(json, err, sizeof(err));
    free(json);
    int rc = lambda_persist_fn(fn) == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not store the function");
    if (rc == CALL_DONE)
        write_runtime(c, fn, cfg->version, rt);
    yajl_tree_free(rt);
    return rc;
}
