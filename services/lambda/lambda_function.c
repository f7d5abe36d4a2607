/* lambda_function.c - the Lambda control plane for functions: create, get,
 * list, update code and configuration, delete, reserved concurrency, tags and
 * account settings; plus the in-memory function list and its persistence (one
 * JSON document per function, see storage/lambda_store.h). */
#include <openssl/evp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../protocol/base64.h"
#include "../../protocol/ids.h"
#include "../../protocol/ytree.h"
#include "../../storage/lambda_store.h"
#include "../clock.h"
#include "../log.h"
#include "../resync.h"
#include "lambda_internal.h"

lambda_fn_t *lambda_fns;

static const char *const supported_runtimes[] = {"nodejs18.x",   "nodejs20.x",      "nodejs22.x", "python3.9",
                                                 "python3.10",   "python3.11",      "python3.12", "python3.13",
                                                 "provided.al2", "provided.al2023", "provided",   NULL};
static const char *const reserved_env_keys[] = {"_HANDLER",
                                                "_X_AMZN_TRACE_ID",
                                                "AWS_DEFAULT_REGION",
                                                "AWS_REGION",
                                                "AWS_EXECUTION_ENV",
                                                "AWS_LAMBDA_FUNCTION_NAME",
                                                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                                                "AWS_LAMBDA_FUNCTION_VERSION",
                                                "AWS_LAMBDA_INITIALIZATION_TYPE",
                                                "AWS_LAMBDA_LOG_GROUP_NAME",
                                                "AWS_LAMBDA_LOG_STREAM_NAME",
                                                "AWS_ACCESS_KEY",
                                                "AWS_ACCESS_KEY_ID",
                                                "AWS_SECRET_ACCESS_KEY",
                                                "AWS_SESSION_TOKEN",
                                                "AWS_LAMBDA_RUNTIME_API",
                                                "LAMBDA_TASK_ROOT",
                                                "LAMBDA_RUNTIME_DIR",
                                                NULL};

int lambda_runtime_supported(const char *runtime)
{
    for (int i = 0; supported_runtimes[i]; i++)
        if (strcmp(runtime, supported_runtimes[i]) == 0)
            return 1;
    return 0;
}

char *lambda_uuid(char out[37])
{
    ids_uuid(out);
    return out;
}

char *lambda_time_fmt(char out[32], int64_t ms, const char *tail)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, tail, (int)(ms % 1000));
    return out;
}

/* Writes any yajl value as JSON (numbers keep their text). A writer keeps count of JW_MAX_DEPTH levels: a container
 * deeper in w is written by a writer of its own and spliced in (a function's result nests as deep as the parser
 * takes, 512 levels, and came out with its commas lost past 100). */
void lambda_write_json(jw_t *w, yajl_val v)
{
    if ((YAJL_IS_OBJECT(v) || YAJL_IS_ARRAY(v)) && w->depth >= JW_MAX_DEPTH - 2) {
        jw_t sub;
        jw_init(&sub);
        lambda_write_json(&sub, v);
        jw_raw(w, sub.buf, sub.len);
        jw_free(&sub);
    } else if (YAJL_IS_STRING(v))
        jw_str(w, v->u.string);
    else if (YAJL_IS_NUMBER(v))
        jw_raw(w, v->u.number.r, strlen(v->u.number.r));
    else if (YAJL_IS_OBJECT(v)) {
        jw_obj(w);
        for (size_t i = 0; i < v->u.object.len; i++) {
            jw_key(w, v->u.object.keys[i]);
            lambda_write_json(w, v->u.object.values[i]);
        }
        jw_end(w);
    } else if (YAJL_IS_ARRAY(v)) {
        jw_arr(w);
        for (size_t i = 0; i < v->u.array.len; i++)
            lambda_write_json(w, v->u.array.values[i]);
        jw_aend(w);
    } else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
        jw_bool(w, YAJL_IS_TRUE(v));
    else
        jw_null(w);
}

char *lambda_json_text(yajl_val v)
{
    jw_t w;
    jw_init(&w);
    lambda_write_json(&w, v);
    size_t len;
    return jw_take(&w, &len);
}

static void set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = s ? strdup(s) : NULL;
}

/* ---- configurations ---- */

static lambda_cfg_t *cfg_new(void)
{
    lambda_cfg_t *cfg = calloc(1, sizeof(*cfg));
    cfg->version = strdup(LAMBDA_LATEST);
    cfg->timeout = 3;
    cfg->memory = 128;
    cfg->arch = strdup("x86_64");
    cfg->description = strdup("");
    return cfg;
}

void lambda_cfg_free(lambda_cfg_t *cfg)
{
    if (!cfg)
        return;
    free(cfg->version), free(cfg->runtime), free(cfg->role), free(cfg->handler), free(cfg->description);
    free(cfg->env_json), free(cfg->arch), free(cfg->code_sha), free(cfg->revision_id), free(cfg->published_from);
    free(cfg->tracing_mode), free(cfg->log_format), free(cfg->app_log_level), free(cfg->system_log_level), free(cfg->log_group);
    free(cfg->layers_json), free(cfg->dlq_arn), free(cfg);
}

lambda_cfg_t *lambda_cfg_dup(const lambda_cfg_t *s)
{
    lambda_cfg_t *d = calloc(1, sizeof(*d));
    *d = *s;
    d->version = strdup(s->version);
#define DUP(f) d->f = s->f ? strdup(s->f) : NULL
    DUP(runtime), DUP(role), DUP(handler), DUP(description), DUP(env_json), DUP(arch), DUP(code_sha), DUP(revision_id);
    DUP(published_from), DUP(tracing_mode), DUP(log_format), DUP(app_log_level), DUP(system_log_level), DUP(log_group);
    DUP(layers_json), DUP(dlq_arn);
#undef DUP
    return d;
}

static void set_code_sha(lambda_cfg_t *cfg, const char *b64)
{
    unsigned char raw[48];
    set_str(&cfg->code_sha, b64);
    long n = b64 ? base64_decode(b64, strlen(b64), raw) : -1;
    cfg->code_hex[0] = '\0';
    for (long i = 0; i < n && i < 32; i++)
        snprintf(cfg->code_hex + 2 * i, 3, "%02x", raw[i]);
}

/* *field = obj's string member key, when it has one. */
static void set_if(yajl_val obj, const char *key, char **field)
{
    const char *s = in_str(obj, key);
    if (s)
        set_str(field, s);
}

/* Applies the members present in obj (CreateFunction / UpdateFunctionConfiguration input, or a stored document). */
static void cfg_apply(lambda_cfg_t *cfg, yajl_val obj)
{
    const char *s;
    long long n;
    set_if(obj, "Version", &cfg->version);
    set_if(obj, "Runtime", &cfg->runtime);
    set_if(obj, "Role", &cfg->role);
    set_if(obj, "Handler", &cfg->handler);
    set_if(obj, "Description", &cfg->description);
    if (in_int(obj, "Timeout", &n))
        cfg->timeout = (int)n;
    if (in_int(obj, "MemorySize", &n))
        cfg->memory = (int)n;
    yajl_val env = in_obj(obj, "Environment");
    if (env) {
        yajl_val vars = in_obj(env, "Variables");
        free(cfg->env_json);
        cfg->env_json = vars ? lambda_json_text(vars) : NULL; /* given empty, Lambda shows {"Variables": {}} */
    }
    yajl_val arch = in_arr(obj, "Architectures");
    if (arch && arch->u.array.len && YAJL_IS_STRING(arch->u.array.values[0]))
        set_str(&cfg->arch, arch->u.array.values[0]->u.string);
    if ((s = in_str(obj, "CodeSha256")))
        set_code_sha(cfg, s);
    if (in_int(obj, "CodeSize", &n))
        cfg->code_size = n;
    set_if(obj, "RevisionId", &cfg->revision_id);
    set_if(obj, "PublishedFrom", &cfg->published_from);
    if (in_int(obj, "LastModifiedMs", &n))
        cfg->last_modified = n;
    set_if(in_obj(obj, "TracingConfig"), "Mode", &cfg->tracing_mode);
    yajl_val log = in_obj(obj, "LoggingConfig");
    set_if(log, "LogFormat", &cfg->log_format);
    set_if(log, "ApplicationLogLevel", &cfg->app_log_level);
    set_if(log, "SystemLogLevel", &cfg->system_log_level);
    set_if(log, "LogGroup", &cfg->log_group);
    yajl_val dlq = in_obj(obj, "DeadLetterConfig");
    if (dlq) /* an empty TargetArn removes it */
        set_str(&cfg->dlq_arn, in_str(dlq, "TargetArn") && *in_str(dlq, "TargetArn") ? in_str(dlq, "TargetArn") : NULL);
}

/* DeadLetterConfig as GetFunctionConfiguration shows it (and as it is stored), when there is one. */
static void write_dlq(jw_t *w, const lambda_cfg_t *cfg)
{
    if (!cfg->dlq_arn)
        return;
    jw_key(w, "DeadLetterConfig");
    jw_obj(w);
    jw_kstr(w, "TargetArn", cfg->dlq_arn);
    jw_end(w);
}

/* TracingConfig and LoggingConfig as GetFunctionConfiguration shows them (and as they are stored). */
static void write_observability(jw_t *w, const lambda_fn_t *fn, const lambda_cfg_t *cfg)
{
    jw_key(w, "TracingConfig");
    jw_obj(w);
    jw_kstr(w, "Mode", cfg->tracing_mode ? cfg->tracing_mode : "PassThrough");
    jw_end(w);
    jw_key(w, "LoggingConfig");
    jw_obj(w);
    const char *format = cfg->log_format ? cfg->log_format : "Text";
    jw_kstr(w, "LogFormat", format);
    if (strcmp(format, "JSON") == 0) {
        jw_kstr(w, "ApplicationLogLevel", cfg->app_log_level ? cfg->app_log_level : "INFO");
        jw_kstr(w, "SystemLogLevel", cfg->system_log_level ? cfg->system_log_level : "INFO");
    }
    if (cfg->log_group)
        jw_kstr(w, "LogGroup", cfg->log_group);
    else {
        char group[128];
        snprintf(group, sizeof(group), "/aws/lambda/%s", fn->name);
        jw_kstr(w, "LogGroup", group);
    }
    jw_end(w);
}

static void cfg_touch(lambda_cfg_t *cfg)
{
    char id[37];
    set_str(&cfg->revision_id, lambda_uuid(id));
    cfg->last_modified = clock_now_ms();
}

static void write_env_vars(jw_t *w, const char *env_json)
{
    jw_key(w, "Environment");
    jw_obj(w);
    jw_kjson(w, "Variables", env_json);
    jw_end(w);
}

static void write_cfg_doc(jw_t *w, const lambda_cfg_t *cfg)
{
    jw_obj(w);
    jw_kstr(w, "Version", cfg->version);
    if (cfg->runtime)
        jw_kstr(w, "Runtime", cfg->runtime);
    if (cfg->role)
        jw_kstr(w, "Role", cfg->role);
    if (cfg->handler)
        jw_kstr(w, "Handler", cfg->handler);
    jw_kstr(w, "Description", cfg->description ? cfg->description : "");
    jw_kint(w, "Timeout", cfg->timeout);
    jw_kint(w, "MemorySize", cfg->memory);
    if (cfg->env_json)
        write_env_vars(w, cfg->env_json);
    jw_key(w, "Architectures");
    jw_arr(w);
    jw_str(w, cfg->arch);
    jw_aend(w);
    jw_kstr(w, "CodeSha256", cfg->code_sha ? cfg->code_sha : "");
    jw_kstr(w, "CodeHex", cfg->code_hex); /* lets lambda_code_gc see which zips are in use */
    jw_kint(w, "CodeSize", cfg->code_size);
    jw_kstr(w, "RevisionId", cfg->revision_id ? cfg->revision_id : "");
    if (cfg->published_from)
        jw_kstr(w, "PublishedFrom", cfg->published_from);
    jw_kint(w, "LastModifiedMs", cfg->last_modified);
    jw_kjson(w, "Layers", cfg->layers_json); /* with each layer's CodeHex, which lets lambda_code_gc see the layer zips in use */
    write_dlq(w, cfg);
    if (cfg->tracing_mode) {
        jw_key(w, "TracingConfig");
        jw_obj(w);
        jw_kstr(w, "Mode", cfg->tracing_mode);
        jw_end(w);
    }
    jw_key(w, "LoggingConfig"); /* the members given (cfg_apply reads them back) */
    jw_obj(w);
    const char *names[] = {"LogFormat", "ApplicationLogLevel", "SystemLogLevel", "LogGroup"};
    const char *values[] = {cfg->log_format, cfg->app_log_level, cfg->system_log_level, cfg->log_group};
    for (int i = 0; i < 4; i++)
        if (values[i])
            jw_kstr(w, names[i], values[i]);
    jw_end(w);
    jw_end(w);
}

void lambda_write_config(jw_t *w, const lambda_fn_t *fn, const lambda_cfg_t *cfg, const char *arn_qualifier, lambda_cfg_view_t view)
{
    char ts[32];
    char *arn = lambda_arn_fmt(fn->region, fn->account, fn->name, arn_qualifier);
    jw_obj(w);
    jw_kstr(w, "FunctionName", fn->name);
    jw_kstr(w, "FunctionArn", arn);
    free(arn);
    if (cfg->runtime)
        jw_kstr(w, "Runtime", cfg->runtime);
    if (cfg->role)
        jw_kstr(w, "Role", cfg->role);
    if (cfg->handler)
        jw_kstr(w, "Handler", cfg->handler);
    jw_kint(w, "CodeSize", cfg->code_size);
    jw_kstr(w, "Description", cfg->description ? cfg->description : "");
    jw_kint(w, "Timeout", cfg->timeout);
    jw_kint(w, "MemorySize", cfg->memory);
    jw_kstr(w, "LastModified", lambda_time_fmt(ts, cfg->last_modified, LAMBDA_TIME_CONFIG));
    jw_kstr(w, "CodeSha256", cfg->code_sha ? cfg->code_sha : "");
    jw_kstr(w, "Version", cfg->version);
    if (cfg->env_json)
        write_env_vars(w, cfg->env_json);
    lambda_layers_write(w, cfg);
    write_dlq(w, cfg);
    jw_kstr(w, "RevisionId", cfg->revision_id ? cfg->revision_id : "");
    if (view == LAMBDA_CFG_CREATED) {
        jw_kstr(w, "State", "Pending");
        jw_kstr(w, "StateReason", "The function is being created.");
        jw_kstr(w, "StateReasonCode", "Creating");
    } else if (view != LAMBDA_CFG_LISTED) {
        jw_kstr(w, "State", "Active");
        jw_kstr(w, "LastUpdateStatus", view == LAMBDA_CFG_UPDATED ? "InProgress" : "Successful");
    }
    if (view == LAMBDA_CFG_UPDATED) {
        jw_kstr(w, "LastUpdateStatusReason", "The function is being created.");
        jw_kstr(w, "LastUpdateStatusReasonCode", "Creating");
    }
    jw_kstr(w, "PackageType", "Zip");
    jw_key(w, "Architectures");
    jw_arr(w);
    jw_str(w, cfg->arch);
    jw_aend(w);
    jw_key(w, "EphemeralStorage");
    jw_obj(w);
    jw_kint(w, "Size", 512);
    jw_end(w);
    jw_key(w, "SnapStart");
    jw_obj(w);
    jw_kstr(w, "ApplyOn", "None");
    jw_kstr(w, "OptimizationStatus", "Off");
    jw_end(w);
    write_observability(w, fn, cfg);
    jw_end(w);
}

/* ---- functions ---- */

lambda_fn_t *lambda_fn_find(const char *account, const char *region, const char *name)
{
    for (lambda_fn_t *fn = lambda_fns; fn; fn = fn->next)
        if (strcmp(fn->name, name) == 0 && strcmp(fn->account, account) == 0 && strcmp(fn->region, region) == 0)
            return fn;
    return NULL;
}

static lambda_fn_t *fn_new(const char *account, const char *region, const char *name)
{
    lambda_fn_t *fn = calloc(1, sizeof(*fn));
    fn->account = strdup(account);
    fn->region = strdup(region);
    fn->name = strdup(name);
    fn->reserved = -1;
    fn->next_version = 1;
    return fn;
}

/* Links fn into the list, kept sorted by name (ListFunctions order). */
static void fn_link(lambda_fn_t *fn)
{
    lambda_fn_t **pp = &lambda_fns;
    while (*pp && strcmp((*pp)->name, fn->name) < 0)
        pp = &(*pp)->next;
    fn->next = *pp;
    *pp = fn;
}

void lambda_fn_free(lambda_fn_t *fn)
{
    lambda_cfg_free(fn->latest);
    for (size_t i = 0; i < fn->nversions; i++)
        lambda_cfg_free(fn->versions[i]);
    free(fn->versions);
    for (size_t i = 0; i < fn->naliases; i++) {
        lambda_alias_t *a = fn->aliases[i];
        free(a->name), free(a->version), free(a->description), free(a->revision_id), free(a->routing_json), free(a);
    }
    free(fn->aliases);
    free(fn->configs_json);
    free(fn->tags_json), free(fn->policy_json), free(fn->urls_json), free(fn->eic_json), free(fn->account), free(fn->region), free(fn->name);
    free(fn);
}

/* Takes fn out of the list and frees it, its environments first. Its event source mappings
 * stay, as in Lambda; their runs fail until it is back. */
static void fn_drop(void *held)
{
    lambda_fn_t *fn = held;
    lambda_env_retire(fn, NULL);
    for (lambda_fn_t **pp = &lambda_fns; *pp; pp = &(*pp)->next)
        if (*pp == fn) {
            *pp = fn->next;
            break;
        }
    lambda_fn_free(fn);
}

/* The document fn is stored as, into w (initialized here). */
static void fn_doc(jw_t *w, const lambda_fn_t *fn)
{
    jw_init(w);
    jw_obj(w);
    jw_key(w, "Latest");
    write_cfg_doc(w, fn->latest);
    jw_key(w, "Versions");
    jw_arr(w);
    for (size_t i = 0; i < fn->nversions; i++)
        write_cfg_doc(w, fn->versions[i]);
    jw_aend(w);
    jw_kint(w, "NextVersion", fn->next_version);
    jw_kint(w, "Reserved", fn->reserved);
    jw_kjson(w, "Tags", fn->tags_json);
    jw_kjson(w, "Policy", fn->policy_json);
    jw_kjson(w, "Urls", fn->urls_json);
    jw_kjson(w, "EventInvokeConfigs", fn->eic_json);
    jw_kjson(w, "Configs", fn->configs_json);
    jw_key(w, "Aliases");
    jw_arr(w);
    for (size_t i = 0; i < fn->naliases; i++) {
        lambda_alias_t *a = fn->aliases[i];
        jw_obj(w);
        jw_kstr(w, "Name", a->name);
        jw_kstr(w, "FunctionVersion", a->version);
        jw_kstr(w, "Description", a->description ? a->description : "");
        jw_kstr(w, "RevisionId", a->revision_id);
        jw_kjson(w, "AdditionalVersionWeights", a->routing_json);
        jw_end(w);
    }
    jw_aend(w);
    jw_end(w);
}

int lambda_persist_fn(lambda_fn_t *fn)
{
    jw_t w;
    fn_doc(&w, fn);
    int rc = lambda_store_put_fn(lambda_db, fn->account, fn->region, fn->name, w.buf, w.len);
    jw_free(&w);
    if (rc != 0)
        lambda_fns_resync(); /* the change the caller made in memory was not stored */
    return rc;
}

/* A configuration as its stored document holds it: cfg_apply's members and the layers (stored with their code,
 * where a request names them by ARN). */
static lambda_cfg_t *cfg_load(yajl_val obj)
{
    lambda_cfg_t *cfg = cfg_new();
    cfg_apply(cfg, obj);
    if (in_arr(obj, "Layers"))
        cfg->layers_json = lambda_json_text(in_arr(obj, "Layers"));
    return cfg;
}

/* The function a stored document describes (not linked), or NULL if it cannot be read. */
static lambda_fn_t *fn_parse(const char *account, const char *region, const char *name, const char *doc)
{
    char err[128];
    yajl_val root = ytree_parse_text(doc, err, sizeof(err));
    if (!root || !in_obj(root, "Latest")) {
        LOG_ERROR("lambda: function %s: unreadable stored document: %s", name, err);
        yajl_tree_free(root);
        return NULL;
    }
    lambda_fn_t *fn = fn_new(account, region, name);
    fn->latest = cfg_load(in_obj(root, "Latest"));
    yajl_val vs = in_arr(root, "Versions");
    for (size_t i = 0; vs && i < vs->u.array.len; i++) {
        lambda_cfg_t *cfg = cfg_load(vs->u.array.values[i]);
        fn->versions = realloc(fn->versions, (fn->nversions + 1) * sizeof(*fn->versions));
        fn->versions[fn->nversions++] = cfg;
    }
    long long n;
    if (in_int(root, "NextVersion", &n))
        fn->next_version = (int)n;
    if (in_int(root, "Reserved", &n))
        fn->reserved = (int)n;
    if (in_obj(root, "Tags"))
        fn->tags_json = lambda_json_text(in_obj(root, "Tags"));
    if (in_arr(root, "Policy"))
        fn->policy_json = lambda_json_text(in_arr(root, "Policy"));
    if (in_arr(root, "Urls"))
        fn->urls_json = lambda_json_text(in_arr(root, "Urls"));
    if (in_arr(root, "EventInvokeConfigs"))
        fn->eic_json = lambda_json_text(in_arr(root, "EventInvokeConfigs"));
    if (in_obj(root, "Configs"))
        fn->configs_json = lambda_json_text(in_obj(root, "Configs"));
    yajl_val as = in_arr(root, "Aliases");
    for (size_t i = 0; as && i < as->u.array.len; i++) {
        yajl_val o = as->u.array.values[i];
        lambda_alias_t *a = calloc(1, sizeof(*a));
        set_str(&a->name, in_str(o, "Name"));
        set_str(&a->version, in_str(o, "FunctionVersion"));
        set_str(&a->description, in_str(o, "Description"));
        set_str(&a->revision_id, in_str(o, "RevisionId"));
        if (in_obj(o, "AdditionalVersionWeights"))
            a->routing_json = lambda_json_text(in_obj(o, "AdditionalVersionWeights"));
        fn->aliases = realloc(fn->aliases, (fn->naliases + 1) * sizeof(*fn->aliases));
        fn->aliases[fn->naliases++] = a;
    }
    yajl_tree_free(root);
    return fn;
}

static void load_one(void *ud, const char *account, const char *region, const char *name, const char *doc)
{
    lambda_fn_t *fn = fn_parse(account, region, name, doc);
    if (fn) {
        fn_link(fn);
        (*(int *)ud)++;
    }
}

int lambda_load_all(void)
{
    int n = 0;
    if (lambda_store_each_fn(lambda_db, load_one, &n) != 0)
        return -1;
    return n;
}

/* Gives fn the definition of `stored` (configurations, versions, aliases, tags, policy, event invoke
 * configs, reserved concurrency) and frees what fn had. Its environments are retired: they may run a
 * configuration that is gone. */
static void fn_take(lambda_fn_t *fn, lambda_fn_t *stored)
{
    lambda_env_retire(fn, LAMBDA_LATEST);
    for (size_t i = 0; i < fn->nversions; i++)
        lambda_env_retire(fn, fn->versions[i]->version);
    lambda_fn_t old = *fn;
    fn->latest = stored->latest, fn->versions = stored->versions, fn->nversions = stored->nversions;
    fn->next_version = stored->next_version, fn->aliases = stored->aliases, fn->naliases = stored->naliases;
    fn->tags_json = stored->tags_json, fn->policy_json = stored->policy_json, fn->reserved = stored->reserved;
    fn->urls_json = stored->urls_json, fn->eic_json = stored->eic_json, fn->configs_json = stored->configs_json;
    stored->latest = old.latest, stored->versions = old.versions, stored->nversions = old.nversions;
    stored->aliases = old.aliases, stored->naliases = old.naliases;
    stored->tags_json = old.tags_json, stored->policy_json = old.policy_json, stored->urls_json = old.urls_json,
    stored->eic_json = old.eic_json, stored->configs_json = old.configs_json;
    lambda_fn_free(stored);
}

/* key: {account, region, name} */
static int fn_is(const void *held, const void *key)
{
    const lambda_fn_t *fn = held;
    const char *const *k = key;
    return strcmp(fn->name, k[2]) == 0 && strcmp(fn->account, k[0]) == 0 && strcmp(fn->region, k[1]) == 0;
}

static void resync_one(void *ud, const char *account, const char *region, const char *name, const char *doc)
{
    const char *key[3] = {account, region, name};
    lambda_fn_t *fn = resync_find(ud, fn_is, key), *stored = fn_parse(account, region, name, doc);
    if (stored == NULL) /* unreadable (logged): fn, if any, is kept as it is */
        return;
    if (fn == NULL) {
        fn_link(stored);
        return;
    }
    jw_t w;
    fn_doc(&w, fn);
    if (jw_free_matches(&w, doc))
        lambda_fn_free(stored);
    else
        fn_take(fn, stored); /* what it holds is not what is stored */
}

/* After the turn's commit failed: the functions as their stored documents are again (a function
 * whose CreateFunction was rolled back goes, as DeleteFunction takes it; one whose DeleteFunction
 * was rolled back comes back; the others take their stored definition). Functions keep their
 * address: environment pools hold them. */
void lambda_fns_resync(void)
{
    resync_t r;
    if (resync_begin_list(&r, lambda_fns, offsetof(lambda_fn_t, next)) == 0)
        resync_end(&r, lambda_store_each_fn(lambda_db, resync_one, &r) == 0, fn_drop);
}

int lambda_not_found(call_t *c, const char *name, const char *qualifier)
{
    return call_error(c, "ResourceNotFoundException", "Function not found: arn:aws:lambda:%s:%s:function:%s%s%s", c->region,
                      c->account, name, qualifier ? ":" : "", qualifier ? qualifier : "");
}

int lambda_resolve(call_t *c, const char *function_name, const char *qualifier, lambda_fn_t **fnp, lambda_cfg_t **cfgp,
                   lambda_alias_t **aliasp)
{
    lambda_ref_t ref;
    if (lambda_parse_ref(c, function_name, qualifier, &ref) != CALL_DONE)
        return CALL_ERROR;
    lambda_fn_t *fn = lambda_fn_find(c->account, c->region, ref.name);
    if (!fn)
        return lambda_not_found(c, ref.name, ref.qualifier);
    lambda_cfg_t *cfg = fn->latest;
    lambda_alias_t *alias = NULL;
    if (ref.qualifier && strcmp(ref.qualifier, LAMBDA_LATEST) != 0) {
        cfg = lambda_version_find(fn, ref.qualifier);
        if (!cfg && (alias = lambda_alias_find(fn, ref.qualifier)))
            cfg = strcmp(alias->version, LAMBDA_LATEST) == 0 ? fn->latest : lambda_version_find(fn, alias->version);
        if (!cfg)
            return lambda_not_found(c, ref.name, ref.qualifier);
    }
    *fnp = fn;
    if (cfgp)
        *cfgp = cfg;
    if (aliasp)
        *aliasp = alias;
    return CALL_DONE;
}

/* The qualifier a request named, for echoing it in ARNs. */
static const char *req_qualifier(call_t *c)
{
    lambda_ref_t ref;
    const char *q = in_str(c->in, "Qualifier");
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), q, &ref) != CALL_DONE)
        return NULL;
    return ref.qualifier;
}

static const char *arn_qualifier(const lambda_cfg_t *cfg, const char *requested)
{
    if (strcmp(cfg->version, LAMBDA_LATEST) != 0)
        return cfg->version;
    return requested;
}

/* ---- validation shared by create and update ---- */

static int check_runtime(call_t *c, const char *runtime)
{
    static const char *const deprecated[] = {
        "nodejs",        "nodejs4.3",     "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x",    "nodejs14.x",
        "nodejs16.x",    "python2.7",     "python3.6",  "python3.7",  "python3.8",  "dotnetcore1.0", "dotnetcore2.0",
        "dotnetcore2.1", "dotnetcore3.1", "ruby2.5",    "ruby2.7",    "java8",      "go1.x",         NULL};
    for (int i = 0; deprecated[i]; i++)
        if (strcmp(runtime, deprecated[i]) == 0)
            return call_error(c, "InvalidParameterValueException",
                              "The runtime parameter of %s is no longer supported for creating or updating AWS Lambda functions. "
                              "We recommend you use a supported runtime while creating or updating functions.",
                              runtime);
    return CALL_DONE;
}

/* Timeout and MemorySize within a function's limits (900 s, 10,240 MB): the model, widened for Managed Instances
 * functions (a CapacityProviderConfig), no longer bounds them. Lambda's words: "1 validation error detected: Value
 * '3000' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"
 * (covidatlas/li#575); MemorySize's by analogy. */
static int check_limits(call_t *c, yajl_val in)
{
    static const struct {
        const char *member, *path;
        long long max;
    } lim[] = {{"Timeout", "timeout", 900}, {"MemorySize", "memorySize", 10240}};
    long long n;
    if (in_get(in, "CapacityProviderConfig"))
        return CALL_DONE;
    for (size_t i = 0; i < sizeof(lim) / sizeof(lim[0]); i++)
        if (in_int(in, lim[i].member, &n) && n > lim[i].max)
            return call_error(c, "ValidationException",
                              "1 validation error detected: Value '%lld' at '%s' failed to satisfy constraint: Member must "
                              "have value less than or equal to %lld",
                              n, lim[i].path, lim[i].max);
    return CALL_DONE;
}

static int check_env(call_t *c, yajl_val in)
{
    yajl_val vars = in_obj(in_obj(in, "Environment"), "Variables");
    if (!vars)
        return CALL_DONE;
    for (size_t i = 0; i < vars->u.object.len; i++) {
        for (int k = 0; reserved_env_keys[k]; k++)
            if (strcmp(vars->u.object.keys[i], reserved_env_keys[k]) == 0)
                return call_error(c, "InvalidParameterValueException",
                                  "Lambda was unable to configure your environment variables because the environment variables "
                                  "you have provided contains reserved keys that are currently not supported for modification. "
                                  "Reserved keys used in this request: %s",
                                  reserved_env_keys[k]);
        if (!YAJL_IS_STRING(vars->u.object.values[i]))
            return call_error(c, "InvalidParameterValueException", "Environment variable values must be strings.");
    }
    char *text = lambda_json_text(vars); /* measured as Lambda measures it, and quoted as it quotes it */
    int rc = strlen(text) <= 4096 ? CALL_DONE
                                  : call_error(c, "InvalidParameterValueException",
                                               "Lambda was unable to configure your environment variables because the environment "
                                               "variables you have provided exceeded the 4KB limit. String measured: %s",
                                               text);
    free(text);
    return rc;
}

int lambda_take_code(call_t *c, yajl_val zip_val, lambda_cfg_t *cfg)
{
    const char *b64 = YAJL_IS_STRING(zip_val) ? zip_val->u.string : NULL;
    if (!b64)
        return call_error(c, "InvalidParameterValueException",
                          "awsemu supports code given as ZipFile only (S3Bucket/S3Key and ImageUri are not available).");
    size_t blen = strlen(b64);
    unsigned char *zip = call_alloc(c, blen / 4 * 3 + 3);
    long n = base64_decode(b64, blen, zip);
    if (n < 0)
        return call_error(c, "InvalidParameterValueException",
                          "Could not unzip uploaded file. Please check your file, then try to upload again.");
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_Digest(zip, (size_t)n, md, &mdlen, EVP_sha256(), NULL);
    char sha[48];
    sha[base64_encode(md, 32, sha)] = '\0';
    set_code_sha(cfg, sha);
    cfg->code_size = n;
    char dir[4200], err[256];
    snprintf(dir, sizeof(dir), "%s/code/%s", lambda_cfg->lambda_dir, cfg->code_hex);
    int unpacked = access(dir, F_OK) == 0;
    cfg->code_unzipped = 0; /* known only when checked here: unpacked code is measured where it lies */
    if (!unpacked && lambda_zip_check(zip, (size_t)n, &cfg->code_unzipped, err, sizeof(err)) != 0)
        return call_error(c, "InvalidParameterValueException", "%s", err);
    if (lambda_store_put_code(lambda_db, cfg->code_hex, zip, (size_t)n) != 0)
        return call_error(c, "ServiceException", "could not store the code");
    if (!unpacked)
        lambda_unzip_later(zip, (size_t)n, dir);
    return CALL_DONE;
}

/* A function holds at most LAMBDA_MAX_TAGS tags (AWS's limit for every taggable resource). */
#define LAMBDA_MAX_TAGS 50

static int check_tag_count(call_t *c, size_t n)
{
    return n <= LAMBDA_MAX_TAGS ? CALL_DONE
                                : call_error(c, "InvalidParameterValueException", "Number of tags exceeds resource tag limit.");
}

int lambda_check_revision(call_t *c, const char *have)
{
    const char *want = in_str(c->in, "RevisionId");
    if (want && (!have || strcmp(want, have) != 0))
        return call_error(c, "PreconditionFailedException",
                          "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to "
                          "retrieve the latest Revision Id");
    return CALL_DONE;
}

/* ---- operations ---- */

int lambda_create_function(call_t *c)
{
    lambda_ref_t ref;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), NULL, &ref) != CALL_DONE)
        return CALL_ERROR;
    if (ref.qualifier)
        return call_error(c, "InvalidParameterValueException", "Unsupported FunctionName: %s", in_str(c->in, "FunctionName"));
    if (lambda_valid_new_name(c, ref.name) != CALL_DONE)
        return CALL_ERROR;
    const char *pkg = in_str(c->in, "PackageType");
    if (pkg && strcmp(pkg, "Image") == 0)
        return call_error(c, "InvalidParameterValueException",
                          "awsemu does not run container image functions (PackageType Image).");
    const char *runtime = in_str(c->in, "Runtime");
    if (!runtime || !in_str(c->in, "Handler"))
        return call_error(c, "InvalidParameterValueException",
                          "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
    yajl_val tags = in_obj(c->in, "Tags");
    if (check_runtime(c, runtime) != CALL_DONE || check_limits(c, c->in) != CALL_DONE || check_env(c, c->in) != CALL_DONE ||
        check_tag_count(c, tags ? tags->u.object.len : 0) != CALL_DONE)
        return CALL_ERROR;
    if (lambda_fn_find(c->account, c->region, ref.name))
        return call_error(c, "ResourceConflictException", "Function already exist: %s", ref.name);
    lambda_cfg_t *cfg = cfg_new();
    cfg_apply(cfg, c->in);
    if (lambda_take_code(c, in_get(in_obj(c->in, "Code"), "ZipFile"), cfg) != CALL_DONE ||
        lambda_layers_take(c, cfg) != CALL_DONE) {
        lambda_cfg_free(cfg);
        return CALL_ERROR;
    }
    cfg_touch(cfg);
    lambda_fn_t *fn = fn_new(c->account, c->region, ref.name);
    fn->latest = cfg;
    if (lambda_csc_attach(c, fn, in_str(c->in, "CodeSigningConfigArn")) != CALL_DONE) {
        lambda_fn_free(fn);
        return CALL_ERROR;
    }
    if (tags && tags->u.object.len)
        fn->tags_json = lambda_json_text(tags);
    fn_link(fn);
    lambda_cfg_t *shown = fn->latest;
    int publish = 0;
    if (in_bool(c->in, "Publish", &publish) && publish)
        shown = lambda_publish(fn, NULL);
    if (lambda_persist_fn(fn) != 0)
        return call_error(c, "ServiceException", "could not store the function");
    LOG_INFO("lambda: created function %s (%s, %s)", fn->name, cfg->runtime, cfg->handler);
    /* with Publish: version 1's configuration under the unqualified ARN, as Lambda answers (a publishing
     * UpdateFunctionCode qualifies it) */
    lambda_write_config(&c->out, fn, shown, NULL, LAMBDA_CFG_CREATED);
    return CALL_DONE;
}

char *lambda_code_location(call_t *c, const char *code_hex)
{
    return call_sprintf(c, "http://%s/_awsemu/lambda/code/%s.zip", c->host && *c->host ? c->host : "127.0.0.1", code_hex);
}

int lambda_get_function(call_t *c)
{
    lambda_fn_t *fn;
    lambda_cfg_t *cfg;
    if (lambda_resolve(c, in_str(c->in, "FunctionName"), in_str(c->in, "Qualifier"), &fn, &cfg, NULL) != CALL_DONE)
        return CALL_ERROR;
    jw_t *w = &c->out;
    jw_obj(w);
    jw_key(w, "Configuration");
    lambda_write_config(w, fn, cfg, arn_qualifier(cfg, req_qualifier(c)), LAMBDA_CFG_SHOWN);
    jw_key(w, "Code");
    jw_obj(w);
    jw_kstr(w, "RepositoryType", "S3");
    jw_kstr(w, "Location", lambda_code_location(c, cfg->code_hex));
    jw_end(w);
    jw_kjson(w, "Tags", fn->tags_json);
    if (fn->reserved >= 0) {
        jw_key(w, "Concurrency");
        jw_obj(w);
        jw_kint(w, "ReservedConcurrentExecutions", fn->reserved);
        jw_end(w);
    }
    jw_end(w);
    return CALL_DONE;
}

int lambda_get_function_configuration(call_t *c)
{
    lambda_fn_t *fn;
    lambda_cfg_t *cfg;
    if (lambda_resolve(c, in_str(c->in, "FunctionName"), in_str(c->in, "Qualifier"), &fn, &cfg, NULL) != CALL_DONE)
        return CALL_ERROR;
    lambda_write_config(&c->out, fn, cfg, arn_qualifier(cfg, req_qualifier(c)), LAMBDA_CFG_SHOWN);
    return CALL_DONE;
}

/* Reads MaxItems (1..10000, default 50). */
int lambda_max_items(call_t *c, long long *out)
{
    *out = 50;
    const char *s = in_str(c->in, "MaxItems");
    long long n;
    if (in_int(c->in, "MaxItems", &n) || (s && (n = atoll(s)) >= 0 && *s))
        *out = n;
    if (*out < 1 || *out > 10000)
        return call_error(c, "InvalidParameterValueException",
                          "1 validation error detected: Value '%lld' at 'maxItems' failed to "
                          "satisfy constraint: Member must have value less than or equal to 10000",
                          *out);
    return CALL_DONE;
}

int lambda_list_functions(call_t *c)
{
    long long max;
    if (lambda_max_items(c, &max) != CALL_DONE)
        return CALL_ERROR;
    const char *marker = in_str(c->in, "Marker");
    const char *fv = in_str(c->in, "FunctionVersion");
    int all = fv && strcmp(fv, "ALL") == 0;
    jw_t *w = &c->out;
    jw_obj(w);
    jw_key(w, "Functions");
    jw_arr(w);
    long long n = 0;
    const char *next = NULL;
    for (lambda_fn_t *fn = lambda_fns; fn; fn = fn->next) {
        if (strcmp(fn->account, c->account) != 0 || strcmp(fn->region, c->region) != 0)
            continue;
        if (marker && *marker && strcmp(fn->name, marker) < 0)
            continue;
        if (n == max) {
            next = fn->name;
            break;
        }
        n++;
        lambda_write_config(w, fn, fn->latest, all ? LAMBDA_LATEST : NULL, LAMBDA_CFG_LISTED);
        for (size_t i = 0; all && i < fn->nversions; i++)
            lambda_write_config(w, fn, fn->versions[i], fn->versions[i]->version, LAMBDA_CFG_LISTED);
    }
    jw_aend(w);
    if (next)
        jw_kstr(w, "NextMarker", next);
    jw_end(w);
    return CALL_DONE;
}

typedef enum { ANY_REF, FUNCTION_ONLY, TAGGED_FUNCTION } ref_kind_t;

/* The function the member key names; NULL after an error. A version or alias is refused, in Lambda's words,
 * by PutFunctionConcurrency (FUNCTION_ONLY, which names a missing function as its $LATEST) and by
 * TagResource and UntagResource (TAGGED_FUNCTION). */
static lambda_fn_t *find_unqualified(call_t *c, const char *key, ref_kind_t kind)
{
    lambda_ref_t ref;
    if (lambda_parse_ref(c, in_str(c->in, key), NULL, &ref) != CALL_DONE)
        return NULL;
    if (kind == FUNCTION_ONLY && ref.qualifier) {
        call_error(c, "InvalidParameterValueException",
                   "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. "
                   "Please specify either a function name or an unqualified function ARN.");
        return NULL;
    }
    if (kind == TAGGED_FUNCTION && ref.qualifier) {
        call_error(c, "InvalidParameterValueException",
                   "Tags on function aliases and versions are not supported. Please specify a function ARN.");
        return NULL;
    }
    lambda_fn_t *fn = lambda_fn_find(c->account, c->region, ref.name);
    if (!fn)
        lambda_not_found(c, ref.name, kind == FUNCTION_ONLY ? LAMBDA_LATEST : ref.qualifier);
    return fn;
}

/* Answers an update: $LATEST (or the version just published) after retiring stale environments. */
static int finish_update(call_t *c, lambda_fn_t *fn)
{
    lambda_env_retire(fn, LAMBDA_LATEST);
    lambda_cfg_t *shown = fn->latest;
    int publish = 0;
    if (in_bool(c->in, "Publish", &publish) && publish)
        shown = lambda_publish(fn, NULL);
    if (lambda_persist_fn(fn) != 0)
        return call_error(c, "ServiceException", "could not store the function");
    lambda_code_gc();
    lambda_write_config(&c->out, fn, shown, shown == fn->latest ? NULL : shown->version, LAMBDA_CFG_UPDATED);
    return CALL_DONE;
}

int lambda_update_function_code(call_t *c)
{
    lambda_fn_t *fn = find_unqualified(c, "FunctionName", ANY_REF);
    if (!fn || lambda_check_revision(c, fn->latest->revision_id) != CALL_DONE)
        return CALL_ERROR;
    lambda_cfg_t *cfg = lambda_cfg_dup(fn->latest);
    yajl_val arch = in_arr(c->in, "Architectures");
    if (arch && arch->u.array.len && YAJL_IS_STRING(arch->u.array.values[0]))
        set_str(&cfg->arch, arch->u.array.values[0]->u.string);
    if (lambda_take_code(c, in_get(c->in, "ZipFile"), cfg) != CALL_DONE || lambda_layers_check_size(c, cfg) != CALL_DONE) {
        lambda_cfg_free(cfg);
        return CALL_ERROR;
    }
    int dry = 0;
    if (in_bool(c->in, "DryRun", &dry) && dry) {
        lambda_write_config(&c->out, fn, cfg, NULL, LAMBDA_CFG_SHOWN);
        lambda_cfg_free(cfg);
        return CALL_DONE;
    }
    cfg_touch(cfg);
    lambda_cfg_free(fn->latest);
    fn->latest = cfg;
    return finish_update(c, fn);
}

int lambda_update_function_configuration(call_t *c)
{
    lambda_fn_t *fn = find_unqualified(c, "FunctionName", ANY_REF);
    if (!fn || lambda_check_revision(c, fn->latest->revision_id) != CALL_DONE)
        return CALL_ERROR;
    const char *runtime = in_str(c->in, "Runtime");
    if ((runtime && check_runtime(c, runtime) != CALL_DONE) || check_limits(c, c->in) != CALL_DONE ||
        check_env(c, c->in) != CALL_DONE)
        return CALL_ERROR;
    if (in_get(c->in, "Version") || in_get(c->in, "CodeSha256"))
        return call_error(c, "InvalidParameterValueException", "Unsupported parameter in UpdateFunctionConfiguration.");
    if (lambda_layers_take(c, fn->latest) != CALL_DONE)
        return CALL_ERROR;
    cfg_apply(fn->latest, c->in);
    cfg_touch(fn->latest);
    return finish_update(c, fn);
}

/* DeleteFunction's StatusCode (bound to the HTTP status): 204, deleted (202 would be a deletion in progress). */
static int deleted(call_t *c)
{
    jw_obj(&c->out);
    jw_kint(&c->out, "StatusCode", 204);
    jw_end(&c->out);
    return CALL_DONE;
}

int lambda_delete_function(call_t *c)
{
    lambda_ref_t ref;
    if (lambda_parse_ref(c, in_str(c->in, "FunctionName"), in_str(c->in, "Qualifier"), &ref) != CALL_DONE)
        return CALL_ERROR;
    /* Lambda refuses $LATEST before it looks the function up, names a missing function
     * without the qualifier, and deletes a version that does not exist as a no-op. */
    if (ref.qualifier && strcmp(ref.qualifier, LAMBDA_LATEST) == 0)
        return call_error(c, "InvalidParameterValueException", "$LATEST version cannot be deleted without deleting the function.");
    lambda_fn_t *fn = lambda_fn_find(c->account, c->region, ref.name);
    if (!fn)
        return lambda_not_found(c, ref.name, NULL);
    if (ref.qualifier) {
        size_t i = 0;
        while (i < fn->nversions && strcmp(fn->versions[i]->version, ref.qualifier) != 0)
            i++;
        if (i == fn->nversions)
            return deleted(c);
        for (size_t k = 0; k < fn->naliases; k++)
            if (strcmp(fn->aliases[k]->version, ref.qualifier) == 0)
                return call_error(c, "ResourceConflictException",
                                  "Unable to delete version because the following aliases reference it: [%s]",
                                  fn->aliases[k]->name);
        lambda_env_retire(fn, ref.qualifier);
        lambda_cfg_free(fn->versions[i]);
        memmove(fn->versions + i, fn->versions + i + 1, (fn->nversions - i - 1) * sizeof(*fn->versions));
        fn->nversions--;
        lambda_async_config_drop(fn, ref.qualifier);
        lambda_fn_conf_drop(fn, ref.qualifier);
        if (lambda_persist_fn(fn) != 0)
            return call_error(c, "ServiceException", "could not store the function");
        lambda_code_gc();
        return deleted(c);
    }
    if (lambda_store_del_fn(lambda_db, fn->account, fn->region, fn->name) != 0)
        return call_error(c, "ServiceException", "could not delete the function");
    LOG_INFO("lambda: deleted function %s", fn->name);
    fn_drop(fn);
    lambda_code_gc();
    return deleted(c);
}

int lambda_unreserved(const call_t *c, const lambda_fn_t *except)
{
    int left = LAMBDA_ACCOUNT_CONCURRENCY;
    for (lambda_fn_t *fn = lambda_fns; fn; fn = fn->next)
        if (fn != except && fn->reserved > 0 && strcmp(fn->account, c->account) == 0 && strcmp(fn->region, c->region) == 0)
            left -= fn->reserved;
    return left;
}

int lambda_put_function_concurrency(call_t *c)
{
    lambda_fn_t *fn = find_unqualified(c, "FunctionName", FUNCTION_ONLY);
    long long n;
    if (!fn)
        return CALL_ERROR;
    if (!in_int(c->in, "ReservedConcurrentExecutions", &n) || n < 0)
        return call_error(c, "InvalidParameterValueException", "ReservedConcurrentExecutions must be a non-negative integer.");
    if (lambda_unreserved(c, fn) - n < LAMBDA_MIN_UNRESERVED)
        return call_error(c, "InvalidParameterValueException",
                          "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
                          "below its minimum value of [%d].",
                          LAMBDA_MIN_UNRESERVED);
    fn->reserved = (int)n;
    if (lambda_persist_fn(fn) != 0)
        return call_error(c, "ServiceException", "could not store the function");
    jw_obj(&c->out);
    jw_kint(&c->out, "ReservedConcurrentExecutions", n);
    jw_end(&c->out);
    return CALL_DONE;
}

int lambda_get_function_concurrency(call_t *c)
{
    lambda_fn_t *fn = find_unqualified(c, "FunctionName", ANY_REF);
    if (!fn)
        return CALL_ERROR;
    jw_obj(&c->out);
    if (fn->reserved >= 0)
        jw_kint(&c->out, "ReservedConcurrentExecutions", fn->reserved);
    jw_end(&c->out);
    return CALL_DONE;
}

int lambda_delete_function_concurrency(call_t *c)
{
    lambda_fn_t *fn = find_unqualified(c, "FunctionName", ANY_REF);
    if (!fn)
        return CALL_ERROR;
    fn->reserved = -1;
    return lambda_persist_fn(fn) == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not store the function");
}

/* Tags: the resource is a function ARN. */
static lambda_fn_t *tag_target(call_t *c, ref_kind_t kind)
{
    const char *arn = in_str(c->in, "Resource");
    if (!arn || strncmp(arn, "arn:", 4) != 0) {
        call_error(c, "ValidationException",
                   "1 validation error detected: Value '%s' at 'resource' failed to satisfy constraint: "
                   "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:.*",
                   arn ? arn : "");
        return NULL;
    }
    return find_unqualified(c, "Resource", kind);
}

static int key_listed(yajl_val keys, const char *key)
{
    for (size_t k = 0; keys && YAJL_IS_ARRAY(keys) && k < keys->u.array.len; k++)
        if (YAJL_IS_STRING(keys->u.array.values[k]) && strcmp(keys->u.array.values[k]->u.string, key) == 0)
            return 1;
    return 0;
}

char *lambda_tags_merge(call_t *c, const char *tags_json, yajl_val add, yajl_val drop)
{
    size_t n = add ? add->u.object.len : 0;
    if (check_tag_count(c, n) != CALL_DONE)
        return NULL;
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    char err[64];
    yajl_val old = tags_json ? ytree_parse_text(tags_json, err, sizeof(err)) : NULL;
    for (size_t i = 0; old && i < old->u.object.len; i++) {
        if ((add && in_get(add, old->u.object.keys[i])) || key_listed(drop, old->u.object.keys[i]))
            continue;
        jw_key(&w, old->u.object.keys[i]);
        lambda_write_json(&w, old->u.object.values[i]);
        n++;
    }
    for (size_t i = 0; add && i < add->u.object.len; i++) {
        jw_key(&w, add->u.object.keys[i]);
        lambda_write_json(&w, add->u.object.values[i]);
    }
    jw_end(&w);
    yajl_tree_free(old);
    if (check_tag_count(c, n) != CALL_DONE) {
        jw_free(&w);
        return NULL;
    }
    size_t len;
    return jw_take(&w, &len);
}

/* Rewrites the function's tags (lambda_tags_merge) and stores the function. */
static int tags_rewrite(call_t *c, lambda_fn_t *fn, yajl_val add, yajl_val drop)
{
    char *tags = lambda_tags_merge(c, fn->tags_json, add, drop);
    if (!tags)
        return CALL_ERROR;
    free(fn->tags_json);
    fn->tags_json = tags;
    return lambda_persist_fn(fn) == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not store the function");
}

/* Tag operations on a code signing configuration's ARN go to lambda_csc.c. */
int lambda_tag_resource(call_t *c)
{
    int csc = lambda_csc_arn(in_str(c->in, "Resource"));
    lambda_fn_t *fn = csc ? NULL : tag_target(c, TAGGED_FUNCTION);
    yajl_val tags = in_obj(c->in, "Tags");
    if ((csc || fn) && (!tags || !tags->u.object.len)) /* Lambda's words for no tags */
        return call_error(c, "InvalidParameterValueException", "An error occurred and the request cannot be processed.");
    if (csc)
        return lambda_csc_tags(c, tags, NULL);
    return fn ? tags_rewrite(c, fn, tags, NULL) : CALL_ERROR;
}

int lambda_untag_resource(call_t *c)
{
    if (lambda_csc_arn(in_str(c->in, "Resource")))
        return lambda_csc_tags(c, NULL, in_arr(c->in, "TagKeys"));
    lambda_fn_t *fn = tag_target(c, TAGGED_FUNCTION);
    return fn ? tags_rewrite(c, fn, NULL, in_arr(c->in, "TagKeys")) : CALL_ERROR;
}

int lambda_list_tags(call_t *c)
{
    if (lambda_csc_arn(in_str(c->in, "Resource")))
        return lambda_csc_tags(c, NULL, NULL);
    lambda_fn_t *fn = tag_target(c, ANY_REF);
    if (!fn)
        return CALL_ERROR;
    jw_obj(&c->out);
    jw_key(&c->out, "Tags");
    if (fn->tags_json)
        jw_raw(&c->out, fn->tags_json, strlen(fn->tags_json));
    else {
        jw_obj(&c->out);
        jw_end(&c->out);
    }
    jw_end(&c->out);
    return CALL_DONE;
}

int lambda_get_account_settings(call_t *c)
{
    long long code = 0, count = 0;
    for (lambda_fn_t *fn = lambda_fns; fn; fn = fn->next) {
        if (strcmp(fn->account, c->account) != 0 || strcmp(fn->region, c->region) != 0)
            continue;
        count++;
        code += fn->latest->code_size;
        for (size_t i = 0; i < fn->nversions; i++)
            code += fn->versions[i]->code_size;
    }
    jw_t *w = &c->out;
    jw_obj(w);
    jw_key(w, "AccountLimit");
    jw_obj(w);
    jw_kint(w, "TotalCodeSize", 80530636800LL);
    jw_kint(w, "CodeSizeUnzipped", LAMBDA_MAX_UNZIPPED);
    jw_kint(w, "CodeSizeZipped", LAMBDA_MAX_ZIPPED);
    jw_kint(w, "ConcurrentExecutions", LAMBDA_ACCOUNT_CONCURRENCY);
    jw_kint(w, "UnreservedConcurrentExecutions", lambda_unreserved(c, NULL));
    jw_end(w);
    jw_key(w, "AccountUsage");
    jw_obj(w);
    jw_kint(w, "TotalCodeSize", code);
    jw_kint(w, "FunctionCount", count);
    jw_end(w);
    jw_end(w);
    return CALL_DONE;
}
