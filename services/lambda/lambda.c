/* lambda.c - the Lambda service: its operation table, open/close, and the raw
 * route that serves function code for GetFunction's Code.Location. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../protocol/http.h"
#include "../../protocol/runtime_api.h"
#include "../../storage/lambda_store.h"
#include "../clock.h"
#include "../log.h"
#include "../service.h"
#include "../timer.h"
#include "lambda_internal.h"
#include "lambda_url.h"

#define CODE_ROUTE "/_awsemu/lambda/code/"

extern const char lambda_runtime_node[], lambda_runtime_python[];

const config_t *lambda_cfg;
db_t *lambda_db;

static const service_op_t lambda_ops[] = {
    {"AddLayerVersionPermission", lambda_add_layer_version_permission},
    {"AddPermission", lambda_add_permission},
    {"CreateAlias", lambda_create_alias},
    {"CreateCodeSigningConfig", lambda_create_code_signing_config},
    {"CreateEventSourceMapping", lambda_create_event_source_mapping},
    {"CreateFunction", lambda_create_function},
    {"CreateFunctionUrlConfig", lambda_create_function_url_config},
    {"DeleteAlias", lambda_delete_alias},
    {"DeleteCodeSigningConfig", lambda_delete_code_signing_config},
    {"DeleteEventSourceMapping", lambda_delete_event_source_mapping},
    {"DeleteFunction", lambda_delete_function},
    {"DeleteFunctionCodeSigningConfig", lambda_delete_function_code_signing_config},
    {"DeleteFunctionConcurrency", lambda_delete_function_concurrency},
    {"DeleteFunctionEventInvokeConfig", lambda_delete_function_event_invoke_config},
    {"DeleteFunctionUrlConfig", lambda_delete_function_url_config},
    {"DeleteLayerVersion", lambda_delete_layer_version},
    {"DeleteProvisionedConcurrencyConfig", lambda_delete_provisioned_concurrency_config},
    {"GetAccountSettings", lambda_get_account_settings},
    {"GetAlias", lambda_get_alias},
    {"GetCodeSigningConfig", lambda_get_code_signing_config},
    {"GetEventSourceMapping", lambda_get_event_source_mapping},
    {"GetFunction", lambda_get_function},
    {"GetFunctionCodeSigningConfig", lambda_get_function_code_signing_config},
    {"GetFunctionConcurrency", lambda_get_function_concurrency},
    {"GetFunctionConfiguration", lambda_get_function_configuration},
    {"GetFunctionEventInvokeConfig", lambda_get_function_event_invoke_config},
    {"GetFunctionRecursionConfig", lambda_get_function_recursion_config},
    {"GetFunctionUrlConfig", lambda_get_function_url_config},
    {"GetLayerVersion", lambda_get_layer_version},
    {"GetLayerVersionByArn", lambda_get_layer_version_by_arn},
    {"GetLayerVersionPolicy", lambda_get_layer_version_policy},
    {"GetPolicy", lambda_get_policy},
    {"GetProvisionedConcurrencyConfig", lambda_get_provisioned_concurrency_config},
    {"GetRuntimeManagementConfig", lambda_get_runtime_management_config},
    {"Invoke", lambda_invoke},
    {"InvokeAsync", lambda_invoke_async},
    {"InvokeWithResponseStream", lambda_invoke_with_response_stream},
    {"ListAliases", lambda_list_aliases},
    {"ListCodeSigningConfigs", lambda_list_code_signing_configs},
    {"ListEventSourceMappings", lambda_list_event_source_mappings},
    {"ListFunctionEventInvokeConfigs", lambda_list_function_event_invoke_configs},
    {"ListFunctionUrlConfigs", lambda_list_function_url_configs},
    {"ListFunctions", lambda_list_functions},
    {"ListFunctionsByCodeSigningConfig", lambda_list_functions_by_code_signing_config},
    {"ListLayerVersions", lambda_list_layer_versions},
    {"ListLayers", lambda_list_layers},
    {"ListProvisionedConcurrencyConfigs", lambda_list_provisioned_concurrency_configs},
    {"ListTags", lambda_list_tags},
    {"ListVersionsByFunction", lambda_list_versions_by_function},
    {"PublishLayerVersion", lambda_publish_layer_version},
    {"PublishVersion", lambda_publish_version},
    {"PutFunctionCodeSigningConfig", lambda_put_function_code_signing_config},
    {"PutFunctionConcurrency", lambda_put_function_concurrency},
    {"PutFunctionEventInvokeConfig", lambda_put_function_event_invoke_config},
    {"PutFunctionRecursionConfig", lambda_put_function_recursion_config},
    {"PutProvisionedConcurrencyConfig", lambda_put_provisioned_concurrency_config},
    {"PutRuntimeManagementConfig", lambda_put_runtime_management_config},
    {"RemoveLayerVersionPermission", lambda_remove_layer_version_permission},
    {"RemovePermission", lambda_remove_permission},
    {"TagResource", lambda_tag_resource},
    {"UntagResource", lambda_untag_resource},
    {"UpdateAlias", lambda_update_alias},
    {"UpdateCodeSigningConfig", lambda_update_code_signing_config},
    {"UpdateEventSourceMapping", lambda_update_event_source_mapping},
    {"UpdateFunctionCode", lambda_update_function_code},
    {"UpdateFunctionConfiguration", lambda_update_function_configuration},
    {"UpdateFunctionEventInvokeConfig", lambda_update_function_event_invoke_config},
    {"UpdateFunctionUrlConfig", lambda_update_function_url_config},
    {NULL, NULL},
};

/* GET /_awsemu/lambda/code/<sha256-hex>.zip: the zip of a function's code or of a layer version. */
static int serve_code(h2o_handler_t *self, h2o_req_t *req)
{
    h2o_iovec_t p = req->path_normalized;
    const char *name = p.base + sizeof(CODE_ROUTE) - 1;
    size_t len = p.len - (sizeof(CODE_ROUTE) - 1);
    char hex[65];
    if (len != 68 || memcmp(name + 64, ".zip", 4) != 0) {
        http_send(req, 404, "text/plain", "not found\n", 10);
        return 0;
    }
    memcpy(hex, name, 64);
    hex[64] = '\0';
    void *zip;
    size_t zlen;
    if (lambda_store_get_code(lambda_db, hex, &zip, &zlen) != 0) {
        http_send(req, 404, "text/plain", "not found\n", 10);
        return 0;
    }
    http_send(req, 200, "application/zip", zip, zlen);
    free(zip);
    return 0;
}

/* 1 if the file at path holds exactly text (a restart finds last run's bootstraps). */
static int file_holds(const char *path, const char *text)
{
    size_t len = strlen(text), got = 0;
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return 0;
    char buf[4096];
    int same = 1;
    for (size_t n; same && (n = fread(buf, 1, sizeof(buf), f)) > 0; got += n)
        same = got + n <= len && memcmp(buf, text + got, n) == 0;
    fclose(f);
    return same && got == len;
}

/* Writes the bootstrap scripts under <lambda_dir>/runtime (LAMBDA_RUNTIME_DIR), unless
 * they are there already; once per run. */
int lambda_runtimes_write(void)
{
    static const struct {
        const char *name, *text;
    } files[] = {{"bootstrap.mjs", lambda_runtime_node}, {"bootstrap.py", lambda_runtime_python}};
    static int written;
    if (written)
        return 0;
    char dir[PATH_MAX], path[PATH_MAX + 32];
    snprintf(dir, sizeof(dir), "%s/runtime", lambda_cfg->lambda_dir);
    mkdir(lambda_cfg->lambda_dir, 0755);
    mkdir(dir, 0755);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
        if (file_holds(path, files[i].text))
            continue;
        FILE *f = fopen(path, "we");
        int ok = f && fputs(files[i].text, f) >= 0;
        if (f && fclose(f) != 0) /* closed once, whether the write went through or not */
            ok = 0;
        if (!ok) {
            LOG_ERROR("lambda: cannot write %s: %s", path, strerror(errno));
            return -1;
        }
    }
    written = 1;
    return 0;
}

/* The bootstraps are written RUNTIMES_DELAY_MS after Ready, not before it nor in the first
 * loop turns: creating two directories and two files (in an empty data dir) would share those
 * turns with the first requests, and nothing needs them before an environment starts
 * (env_spawn writes them first if this has not run yet). */
#define RUNTIMES_DELAY_MS 100
static loop_timer_t runtimes_timer;

static void on_runtimes_timer(loop_timer_t *t)
{
    lambda_runtimes_write();
}

static int lambda_open(const config_t *cfg, char *err, size_t errlen)
{
    lambda_cfg = cfg;
    lambda_db = lambda_store_open(cfg->data_dir, cfg->in_memory, cfg->durability_full, err, errlen);
    if (!lambda_db)
        return -1;
    timer_init(&runtimes_timer, on_runtimes_timer, NULL);
    timer_start(&runtimes_timer, clock_now_ms() + RUNTIMES_DELAY_MS);
    lambda_env_init();
    int n = lambda_load_all();
    if (n < 0) {
        snprintf(err, errlen, "cannot load Lambda functions");
        return -1;
    }
    if (lambda_esm_load() != 0) {
        snprintf(err, errlen, "cannot load event source mappings");
        return -1;
    }
    http_route(CODE_ROUTE, serve_code, NULL);
    lambda_url_serve_init();
    if (n)
        LOG_INFO("lambda: %d function(s) loaded", n);
    return 0;
}

static void lambda_close(void)
{
    timer_stop(&runtimes_timer);
    lambda_esm_shutdown();
    lambda_env_shutdown();
    lambda_invoke_shutdown();
    runtime_api_shutdown();
    lambda_unzip_shutdown();
    while (lambda_fns) {
        lambda_fn_t *fn = lambda_fns;
        lambda_fns = fn->next;
        lambda_fn_free(fn);
    }
    if (lambda_db)
        db_close(lambda_db);
    lambda_db = NULL;
    if (lambda_cfg && lambda_cfg->in_memory) /* its lambda_dir is a temporary directory of this run */
        lambda_rm_rf(lambda_cfg->lambda_dir);
}

static void lambda_resync(void)
{
    lambda_fns_resync();
    lambda_esm_resync();
}

const service_t lambda_service = {"lambda", &model_lambda, lambda_ops, lambda_open, lambda_close, lambda_resync};
