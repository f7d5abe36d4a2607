/* lambda_fn_configs.c - a function's further configurations, kept in its stored document
 * (fn->configs_json, one object, members left out when unset):
 *   "CodeSigning": {"CodeSigningConfigArn": ..}   the code signing configuration (lambda_csc.c)
 * and the helpers that read and write them. */
#include <stdlib.h>
#include <string.h>

#include "../../protocol/ytree.h"
#include "lambda_internal.h"

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
        jw_key(w, key);
        jw_raw(w, json, strlen(json));
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
