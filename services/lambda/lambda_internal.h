/* lambda_internal.h - what the files of the Lambda service share: functions,
 * versions, aliases, execution environments and invocations, and the entry
 * points each file offers the others. Nothing outside services/lambda uses it. */
#ifndef AWSEMU_LAMBDA_INTERNAL_H
#define AWSEMU_LAMBDA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../protocol/call.h"
#include "../../storage/db.h"
#include "../config.h"
#include "../timer.h"

#define LAMBDA_LATEST "$LATEST"
#define LAMBDA_MAX_SYNC_PAYLOAD 6291456
#define LAMBDA_MAX_ASYNC_PAYLOAD 1048576 /* 1 MB since October 2025 (256 KB before) */
#define LAMBDA_MAX_UNZIPPED 262144000LL
#define LAMBDA_MAX_ZIPPED 52428800LL
#define LAMBDA_ACCOUNT_CONCURRENCY 1000
#define LAMBDA_MIN_UNRESERVED 100 /* what reservations must leave to the functions without one */
#define LAMBDA_LOG_TAIL 4096

/* One version's configuration: $LATEST (mutable) or a published version (frozen). */
typedef struct lambda_cfg {
    char *version; /* "$LATEST", "1", ... */
    char *runtime, *role, *handler, *description;
    int timeout, memory;
    char *env_json; /* {"Var":"value",...} or NULL */
    char *arch;     /* "x86_64" or "arm64" */
    char *code_sha; /* base64 of the SHA-256 of the zip */
    char code_hex[65];
    int64_t code_size;
    long long code_unzipped; /* the bytes its zip declares unzipped, when lambda_take_code checked it (else 0) */
    char *revision_id;
    char *published_from;  /* a published version: the $LATEST RevisionId it was copied from */
    int64_t last_modified; /* ms */
    /* Stored and echoed, not acted on (no X-Ray, no CloudWatch Logs): NULL = the defaults
     * (PassThrough; Text, INFO levels when JSON, /aws/lambda/<name>). */
    char *tracing_mode, *log_format, *app_log_level, *system_log_level, *log_group;
    char *layers_json; /* [{"Arn":..,"CodeSize":..,"CodeHex":..,"UnzippedSize":..}] in order, or NULL (lambda_layer.c) */
    char *dlq_arn;     /* DeadLetterConfig.TargetArn, or NULL (lambda_async_config.c sends failed events there) */
} lambda_cfg_t;

typedef struct lambda_alias {
    char *name, *version, *description, *revision_id;
    char *routing_json; /* AdditionalVersionWeights object text or NULL */
} lambda_alias_t;

struct lambda_pool;

typedef struct lambda_fn {
    char *account, *region, *name;
    lambda_cfg_t *latest;
    lambda_cfg_t **versions; /* published, ascending */
    size_t nversions;
    int next_version;
    lambda_alias_t **aliases;
    size_t naliases;
    char *tags_json;   /* {"k":"v"} or NULL */
    char *policy_json; /* [{"Qualifier":..,"Statement":{..}}] or NULL (lambda_policy.c) */
    char *urls_json;   /* function URLs: [{"Qualifier":..,"UrlId":..,..}] or NULL (lambda_url.h) */
    char *eic_json;    /* event invoke configs: [{"Qualifier":..,..}] or NULL (lambda_async_config.c) */
    char *configs_json; /* further configurations: {"CodeSigning":{..},..} or NULL (lambda_fn_configs.c) */
    int reserved;      /* reserved concurrency, -1 when unset */
    int running;       /* live execution environments over all versions */
    struct lambda_pool *pools;
    struct lambda_fn *next;
} lambda_fn_t;

/* A parsed FunctionName (+ Qualifier). */
typedef struct {
    const char *name;
    const char *qualifier; /* NULL when none */
} lambda_ref_t;

/* An invocation in flight: sync (Invoke), async (Event) or from a mapping. */
typedef struct lambda_inv lambda_inv_t;
typedef void (*lambda_inv_done_fn)(lambda_inv_t *inv);

/* Where a streamed result goes as its runtime sends it (InvokeWithResponseStream, a RESPONSE_STREAM function
 * URL): start with the stream's Content-Type, then each piece of its body; the invocation then completes as any
 * other (its result empty when the stream ended well). Without a sink a streamed result is gathered and
 * completes the invocation as a buffered one (Invoke of a streaming function). */
typedef struct {
    void (*start)(lambda_inv_t *inv, const char *content_type);
    void (*data)(lambda_inv_t *inv, const char *bytes, size_t len);
} lambda_stream_sink_t;

struct lambda_inv {
    char request_id[37];
    char *account, *region, *fn_name, *version; /* what runs (version: the executed one) */
    char *invoked_arn;
    char *payload;
    size_t len;
    char *client_context; /* decoded JSON text or NULL */
    int tail;             /* keep the log for LogResult */
    char *log;            /* this invocation's log (START..REPORT), trimmed to its tail */
    size_t log_len;
    /* result */
    int status;   /* LAMBDA_INV_OK, _FUNCTION_ERROR, or _NOT_RUN (result holds a message) */
    char *result; /* response or error JSON */
    size_t result_len;
    lambda_inv_done_fn done;
    void *data;
    const lambda_stream_sink_t *sink; /* NULL: buffered */
    int streamed;                     /* the runtime streams (streamed) its result */
    char *gathered;                   /* a streamed result without a sink, as it came */
    size_t gathered_len;
    size_t streamed_len; /* the bytes of a streamed result so far */
    char *lineage;       /* the Lineage its trace header passes on (lambda_recursion.c), or NULL */
    int recursive;       /* Event: stopped by recursive loop detection, to be sent on unrun */
    int attempt;
    int64_t accepted_ms; /* Event: when Lambda took it (clock), for MaximumEventAgeInSeconds */
    int64_t expires_ms;  /* Event: past this (clock) it is not run but given to expired(); 0: never */
    lambda_inv_done_fn expired;
    double queued_ms; /* monotonic, when it joined its pool's queue (lambda_env.c) */
    loop_timer_t retry;
    struct lambda_inv *next; /* pool queue / retry list */
};

enum { LAMBDA_INV_OK = 0, LAMBDA_INV_FUNCTION_ERROR = 1, LAMBDA_INV_NOT_RUN = -1 };

/* lambda.c: shared state */
extern const config_t *lambda_cfg;
extern db_t *lambda_db;
extern lambda_fn_t *lambda_fns;

/* lambda_arn.c */
int lambda_parse_ref(call_t *c, const char *function_name, const char *qualifier, lambda_ref_t *out);
char *lambda_fn_arn(call_t *c, const lambda_fn_t *fn, const char *qualifier);
char *lambda_arn_fmt(const char *region, const char *account, const char *name, const char *qualifier); /* malloc */
int lambda_valid_alias_name(const char *s);
/* A name CreateFunction accepts (1 to 64 of [a-zA-Z0-9-_]); CALL_DONE, or the error raised. */
int lambda_valid_new_name(call_t *c, const char *name);
/* PreconditionFailedException when the request's RevisionId is not have (the revision of what it changes). */
int lambda_check_revision(call_t *c, const char *have);

/* lambda_function.c */
lambda_fn_t *lambda_fn_find(const char *account, const char *region, const char *name);
/* Resolves FunctionName+Qualifier: the function and the configuration it names (alias -> its version). */
int lambda_resolve(call_t *c, const char *function_name, const char *qualifier, lambda_fn_t **fn, lambda_cfg_t **cfg,
                   lambda_alias_t **alias);
int lambda_not_found(call_t *c, const char *name, const char *qualifier);
/* How an answer shows a configuration: lists leave out State and LastUpdateStatus, as Lambda's do; CreateFunction's
 * answer shows the function Pending and an update's shows it InProgress, as Lambda's do, though here every later
 * read finds it Active and Successful (the function is ready when the call returns). */
typedef enum { LAMBDA_CFG_SHOWN, LAMBDA_CFG_LISTED, LAMBDA_CFG_CREATED, LAMBDA_CFG_UPDATED } lambda_cfg_view_t;
void lambda_write_config(jw_t *w, const lambda_fn_t *fn, const lambda_cfg_t *cfg, const char *arn_qualifier,
                         lambda_cfg_view_t view);
lambda_cfg_t *lambda_cfg_dup(const lambda_cfg_t *src);
void lambda_cfg_free(lambda_cfg_t *cfg);
void lambda_fn_free(lambda_fn_t *fn);
/* Stores fn; on failure the functions are resynced (lambda_fns_resync): fn may be gone, and the
 * caller only reports the error. */
int lambda_persist_fn(lambda_fn_t *fn);
char *lambda_uuid(char out[37]);
int lambda_load_all(void);
/* After a failed commit: the functions in memory as storage holds them (lambda_function.c). */
void lambda_fns_resync(void);
int lambda_runtime_supported(const char *runtime);
/* ms as 2024-01-01T00:00:00 then tail, a printf format given the milliseconds:
 * LAMBDA_TIME_CONFIG (LastModified), LAMBDA_TIME_MS_Z (log lines, records) or
 * LAMBDA_TIME_Z (seconds only). */
#define LAMBDA_TIME_CONFIG ".%03d+0000"
#define LAMBDA_TIME_MS_Z ".%03dZ"
#define LAMBDA_TIME_Z "Z"
char *lambda_time_fmt(char out[32], int64_t ms, const char *tail);
void lambda_write_json(jw_t *w, yajl_val v);
char *lambda_json_text(yajl_val v); /* malloc */
int lambda_max_items(call_t *c, long long *out);
/* Decodes a ZipFile member, checks and stores the zip, and has it unpacked once per hash (in the background); sets
 * cfg's code members (code_sha, code_hex, code_size, code_unzipped). */
int lambda_take_code(call_t *c, yajl_val zip_val, lambda_cfg_t *cfg);
/* The URL awsemu serves the zip with this hex hash at (GetFunction's Code.Location). */
char *lambda_code_location(call_t *c, const char *code_hex);
int lambda_create_function(call_t *c);
int lambda_get_function(call_t *c);
int lambda_get_function_configuration(call_t *c);
int lambda_list_functions(call_t *c);
int lambda_update_function_code(call_t *c);
int lambda_update_function_configuration(call_t *c);
int lambda_delete_function(call_t *c);
int lambda_put_function_concurrency(call_t *c);
int lambda_get_function_concurrency(call_t *c);
int lambda_delete_function_concurrency(call_t *c);
/* The account's concurrency (c's account and region) that the functions but except do not reserve. */
int lambda_unreserved(const call_t *c, const lambda_fn_t *except);
/* The tags of tags_json (an object text or NULL) that `add` (an object) does not replace and `drop` (an array of keys)
 * does not name, then add's, as an object text (malloc); NULL after the error when there would be more than Lambda
 * allows (add is refused first when it alone holds more). */
char *lambda_tags_merge(call_t *c, const char *tags_json, yajl_val add, yajl_val drop);
int lambda_tag_resource(call_t *c);
int lambda_untag_resource(call_t *c);
int lambda_list_tags(call_t *c);
int lambda_get_account_settings(call_t *c);

/* lambda_version.c */
lambda_alias_t *lambda_alias_find(const lambda_fn_t *fn, const char *name);
lambda_cfg_t *lambda_version_find(const lambda_fn_t *fn, const char *version);
/* The configuration a qualifier names: NULL or $LATEST, a version, an alias (its version); NULL when none. */
lambda_cfg_t *lambda_qualified(lambda_fn_t *fn, const char *qualifier);
lambda_cfg_t *lambda_publish(lambda_fn_t *fn, const char *description);
/* Lists paged by index (versions, aliases, event invoke configs): the index Marker names, and NextMarker
 * when items remain past next. */
size_t lambda_marker_index(call_t *c);
void lambda_write_marker(call_t *c, size_t next, size_t total);
int lambda_publish_version(call_t *c);
int lambda_list_versions_by_function(call_t *c);
int lambda_create_alias(call_t *c);
int lambda_get_alias(call_t *c);
int lambda_update_alias(call_t *c);
int lambda_delete_alias(call_t *c);
int lambda_list_aliases(call_t *c);

/* lambda_policy.c */
int lambda_add_permission(call_t *c);
int lambda_remove_permission(call_t *c);
int lambda_get_policy(call_t *c);
/* Writes the statement of an Add(Layer Version)Permission request granting access to resource. */
void lambda_policy_statement(call_t *c, jw_t *w, const char *resource);
/* Opens a resource policy document in w up to its "Statement" key: the caller writes the statements and closes it. */
void lambda_policy_doc_begin(jw_t *w);
/* Answers GetPolicy's shape: {"Policy": the document's text, "RevisionId": revision}. */
void lambda_policy_answer(call_t *c, const jw_t *doc, const char *revision);

/* lambda_layer.c */
int lambda_publish_layer_version(call_t *c);
int lambda_get_layer_version(call_t *c);
int lambda_get_layer_version_by_arn(call_t *c);
int lambda_list_layers(call_t *c);
int lambda_list_layer_versions(call_t *c);
int lambda_delete_layer_version(call_t *c);
int lambda_add_layer_version_permission(call_t *c);
int lambda_remove_layer_version_permission(call_t *c);
int lambda_get_layer_version_policy(call_t *c);
/* Takes the request's Layers, when given, into cfg (whose code is in place): at most 5 existing layer versions
 * in this region, one per layer, within the unzipped size limit with the code; an empty list removes them. */
int lambda_layers_take(call_t *c, lambda_cfg_t *cfg);
/* Lambda's limit on cfg's code and layers together, unzipped (UpdateFunctionCode checks new code against it). */
int lambda_layers_check_size(call_t *c, const lambda_cfg_t *cfg);
/* A configuration's "Layers" member ([{"Arn", "CodeSize"}]), when it has layers. */
void lambda_layers_write(jw_t *w, const lambda_cfg_t *cfg);
/* The directory standing in for cfg's /opt: its layers unpacked in order into <lambda_dir>/opt/<key>, built once
 * per distinct list. 0 with its path in out and its key ("" and "" when cfg has no layers), -1 (logged). */
int lambda_layers_dir(const lambda_cfg_t *cfg, char *out, size_t outlen, char key[65]);
/* Drops the layers directories that no configuration and no live environment uses. */
void lambda_layers_gc(void);
/* 1 when a layer version or a function's layers use the code with this hex hash. */
int lambda_layers_use_code(const char *hex);

/* lambda_zip.c */
/* Unpacks a zip into dir (created; must not exist). 0, or -1 with an AWS message in err. */
int lambda_unzip(const void *zip, size_t len, const char *dir, char *err, size_t errlen);
/* Checks a zip without writing it (names, links, declared sizes): 0 with the declared bytes of its files in
 * *unzipped, or -1 with an AWS message in err. */
int lambda_zip_check(const void *zip, size_t len, long long *unzipped, char *err, size_t errlen);
/* Unpacks a checked zip (copied) into dir on the unpacking thread; lambda_code_dir waits for it. */
void lambda_unzip_later(const void *zip, size_t len, const char *dir);
/* Drops the queued unpackings and waits for a running one (before the lambda directory may be removed). */
void lambda_unzip_shutdown(void);
/* Removes a directory tree; 0 or -1. */
int lambda_rm_rf(const char *path);
/* Makes sure the code with this hex hash is unpacked under cfg->lambda_dir; returns its directory (malloc) or NULL. */
char *lambda_code_dir(const char *code_hex);
/* Writes the Node.js and Python bootstraps under <lambda_dir>/runtime once per run; 0 or -1 (logged). */
int lambda_runtimes_write(void);
/* Drops stored zips and unpacked directories that no function version, layer version and live environment uses,
 * then the layers directories no one uses (lambda_layers_gc). */
void lambda_code_gc(void);

/* lambda_env.c */
void lambda_env_submit(lambda_fn_t *fn, lambda_inv_t *inv);
/* 1 when fn's invocations (all its versions, running or waiting for an environment) fill its reserved concurrency:
 * Lambda throttles a synchronous call then (429). */
int lambda_env_full(const lambda_fn_t *fn);
/* Retires the environments of one version (NULL = all) of a function, e.g. after an update or delete. */
void lambda_env_retire(lambda_fn_t *fn, const char *version);
void lambda_env_shutdown(void);
int lambda_env_uses_code(const char *code_hex); /* 1 while a live environment runs this code (or layers directory key) */
void lambda_env_init(void);

/* lambda_invoke.c */
/* A new invocation of fn's version cfg (payload copied). */
lambda_inv_t *lambda_inv_new(const lambda_fn_t *fn, const lambda_cfg_t *cfg, const char *invoked_arn, const void *payload,
                             size_t len);
void lambda_inv_free(lambda_inv_t *inv);

/* ---- recursive loop detection (lambda_recursion.c) ---- */
/* fn's count in the chain of requests trace (an X-Ray trace header, or NULL) belongs to: 0 for a first invocation. */
int lambda_lineage_next(const char *trace, const lambda_fn_t *fn);
/* The Lineage an invocation of fn at count passes on: trace's entries for other functions, and fn's (malloc). */
char *lambda_lineage_new(const char *trace, const lambda_fn_t *fn, int count);
/* 1 when an invocation of fn at count must be stopped (logged): past the limit, and RecursiveLoop is not Allow. */
int lambda_recursion_stops(const lambda_fn_t *fn, int count);
/* Puts inv (of fn) in the chain of requests trace names: its lineage, and whether it is stopped (inv->recursive,
 * returned). */
int lambda_inv_chain(lambda_inv_t *inv, const lambda_fn_t *fn, const char *trace);
void lambda_inv_log(lambda_inv_t *inv, const char *s, size_t len);
/* Completes an invocation (status and result text) and runs its done callback, which frees it. */
void lambda_inv_complete(lambda_inv_t *inv, int status, const char *result, size_t len);
/* Finds the function and version an invocation names and hands it to an environment; fails it when gone. */
void lambda_inv_submit(lambda_inv_t *inv);
/* The version an alias routes an invocation to (its AdditionalVersionWeights); cfg, its version, when none. */
lambda_cfg_t *lambda_alias_route(lambda_fn_t *fn, lambda_alias_t *alias, lambda_cfg_t *cfg);
/* Queues an asynchronous (Event) invocation: retried and recorded as its event invoke config says. */
void lambda_inv_submit_event(lambda_inv_t *inv);
int lambda_invoke(call_t *c);
int lambda_invoke_async(call_t *c);
/* What Invoke and InvokeAsync share: resolves the target, checks the payload, throttles, and builds the
 * invocation; NULL after an error (raised) or for a DryRun (none). */
lambda_inv_t *lambda_invoke_prepare(call_t *c, int async, const char **invocation_type);
/* LogResult: the base64 of the tail of inv's log, in c's pool. */
const char *lambda_log_result(call_t *c, const lambda_inv_t *inv);

/* lambda_utf8.c */
/* 1 when s[0..len) is UTF-8 text. */
int lambda_utf8_text(const unsigned char *s, size_t len);
/* s as UTF-8 text: itself when it is, else a copy in pool with each byte that starts no UTF-8 character replaced
 * by U+FFFD. */
const char *lambda_utf8_clean(h2o_mem_pool_t *pool, const char *s);

/* lambda_stream.c */
int lambda_invoke_with_response_stream(call_t *c);
void lambda_invoke_shutdown(void);

/* lambda_async_config.c */
#define LAMBDA_DEST_MAX 352 /* a destination ARN: 350 characters at most */
/* What an Event invocation does on failure and when done: its event invoke config, or Lambda's defaults. */
typedef struct {
    int max_retries;    /* MaximumRetryAttempts, 2 by default */
    int64_t max_age_ms; /* MaximumEventAgeInSeconds, 6 hours by default */
    /* the destinations, "" when none */
    char on_success[LAMBDA_DEST_MAX], on_failure[LAMBDA_DEST_MAX];
    char dlq[LAMBDA_DEST_MAX]; /* the executed version's DeadLetterConfig.TargetArn, "" when none */
} lambda_async_t;
/* The settings of the function, version or alias inv invoked. */
void lambda_async_settings(const lambda_inv_t *inv, lambda_async_t *out);
/* Sends Lambda's invocation record of inv (condition "Success", "RetriesExhausted" or "EventAgeExceeded", after
 * invokes runs) to the OnSuccess or OnFailure destination, if there is one; a failed event also goes to the
 * dead-letter queue, if there is one. */
void lambda_async_record(const lambda_inv_t *inv, const lambda_async_t *s, const char *condition, int invokes);
/* Delivers an invocation record to a destination: an SQS queue, or a Lambda function (an Event invocation);
 * other kinds are logged, not delivered. origin names the sender in log lines ("mapping <uuid>"). */
void lambda_dest_send(const char *origin, const char *dest, const char *record, size_t len);
/* Drops the configuration of a version or alias being deleted (the caller stores the function). */
void lambda_async_config_drop(lambda_fn_t *fn, const char *qualifier);
int lambda_put_function_event_invoke_config(call_t *c);
int lambda_update_function_event_invoke_config(call_t *c);
int lambda_get_function_event_invoke_config(call_t *c);
int lambda_delete_function_event_invoke_config(call_t *c);
int lambda_list_function_event_invoke_configs(call_t *c);

/* lambda_fn_configs.c */
/* fn->configs_json parsed (free it with yajl_tree_free), or NULL when there is none. */
yajl_val lambda_fn_conf_parse(const lambda_fn_t *fn);
/* The string member key of section in a parsed configs_json, or NULL. */
const char *lambda_fn_conf_str(yajl_val root, const char *section, const char *key);
/* Sets member key of section to the JSON text json, or removes it when json is NULL (an emptied section goes). */
void lambda_fn_conf_set(lambda_fn_t *fn, const char *section, const char *key, const char *json);
/* Drops the configurations of a version or alias being deleted (the caller stores the function). */
void lambda_fn_conf_drop(lambda_fn_t *fn, const char *qualifier);
int lambda_put_provisioned_concurrency_config(call_t *c);
int lambda_get_provisioned_concurrency_config(call_t *c);
int lambda_delete_provisioned_concurrency_config(call_t *c);
int lambda_list_provisioned_concurrency_configs(call_t *c);
int lambda_get_function_recursion_config(call_t *c);
int lambda_put_function_recursion_config(call_t *c);
int lambda_get_runtime_management_config(call_t *c);
int lambda_put_runtime_management_config(call_t *c);

/* lambda_csc.c */
/* 1 when arn names a code signing configuration (TagResource, UntagResource and ListTags take those too). */
int lambda_csc_arn(const char *arn);
/* TagResource (add), UntagResource (drop) or, with neither, ListTags of the configuration the request's Resource names. */
int lambda_csc_tags(call_t *c, yajl_val add, yajl_val drop);
/* CreateFunction's CodeSigningConfigArn (arn, NULL when not given): fn uses it when it exists; CALL_DONE or the error. */
int lambda_csc_attach(call_t *c, lambda_fn_t *fn, const char *arn);
int lambda_create_code_signing_config(call_t *c);
int lambda_get_code_signing_config(call_t *c);
int lambda_update_code_signing_config(call_t *c);
int lambda_delete_code_signing_config(call_t *c);
int lambda_list_code_signing_configs(call_t *c);
int lambda_put_function_code_signing_config(call_t *c);
int lambda_get_function_code_signing_config(call_t *c);
int lambda_delete_function_code_signing_config(call_t *c);
int lambda_list_functions_by_code_signing_config(call_t *c);

/* lambda_esm.c */
int lambda_create_event_source_mapping(call_t *c);
int lambda_get_event_source_mapping(call_t *c);
int lambda_list_event_source_mappings(call_t *c);
int lambda_update_event_source_mapping(call_t *c);
int lambda_delete_event_source_mapping(call_t *c);
int lambda_esm_load(void);
/* After a failed commit: the mappings in memory as storage holds them. */
void lambda_esm_resync(void);
void lambda_esm_shutdown(void);

#endif
