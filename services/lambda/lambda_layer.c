/* lambda_layer.c - Lambda layers: the layer API (PublishLayerVersion, GetLayerVersion, GetLayerVersionByArn,
 * ListLayers, ListLayerVersions, DeleteLayerVersion, Add/RemoveLayerVersionPermission, GetLayerVersionPolicy),
 * a function's Layers (checked, kept in its configuration with each layer's code, shown), and the directory that
 * stands in for a function's /opt. Layers are read from storage at each call: one document per layer name
 * (storage/lambda_store.h) holding its versions and the number the next one takes. Their zips share the code
 * table and are unpacked once per hash (lambda_zip.c); the /opt of a list of layers is one directory per distinct
 * ordered list, the layers' files hard-linked into it in order (a later layer's file replaces an earlier one's),
 * built when an environment first needs it. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../protocol/ytree.h"
#include "../../storage/lambda_store.h"
#include "../clock.h"
#include "../log.h"
#include "lambda_internal.h"

#define LAYERS_PER_FUNCTION 5
#define LAYER_NOT_FOUND "The resource you requested does not exist."

/* A layer: its account, region and name (in the call's pool). */
typedef struct {
    const char *account, *region, *name;
} layer_ref_t;

/* Splits arn at ':' into at most 8 fields (in the call's pool); returns their count. */
static int arn_fields(call_t *c, const char *arn, char *f[8])
{
    char *s = call_strdup(c, arn);
    int n = 0;
    while (n < 8) {
        f[n++] = s;
        if (!(s = strchr(s, ':')))
            break;
        *s++ = '\0';
    }
    return s ? n + 1 : n; /* more than 8: one too many, never a valid layer ARN */
}

/* A layer version ARN (arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>) as a layer and a version
 * number; 0 when arn is not one. */
static int parse_version_arn(call_t *c, const char *arn, layer_ref_t *r, long long *version)
{
    char *f[8];
    if (!arn || arn_fields(c, arn, f) != 8 || strcmp(f[0], "arn") != 0 || strcmp(f[2], "lambda") != 0 ||
        strcmp(f[5], "layer") != 0 || !*f[6] || !*f[7] || strspn(f[7], "0123456789") != strlen(f[7]))
        return 0;
    r->region = f[3], r->account = f[4], r->name = f[6];
    *version = strtoll(f[7], NULL, 10);
    return 1;
}

/* The layer LayerName names: a name, or a layer ARN (arn:aws:lambda:<region>:<account>:layer:<name>). */
static void layer_named(call_t *c, layer_ref_t *r)
{
    const char *s = in_str(c->in, "LayerName");
    char *f[8];
    r->account = c->account, r->region = c->region, r->name = s ? s : "";
    if (s && strncmp(s, "arn:", 4) == 0 && arn_fields(c, s, f) == 7)
        r->region = f[3], r->account = f[4], r->name = f[6];
}

static char *layer_arn(call_t *c, const layer_ref_t *r)
{
    return call_sprintf(c, "arn:aws:lambda:%s:%s:layer:%s", r->region, r->account, r->name);
}

static char *version_arn(call_t *c, const layer_ref_t *r, long long version)
{
    return call_sprintf(c, "arn:aws:lambda:%s:%s:layer:%s:%lld", r->region, r->account, r->name, version);
}

/* The layer's stored document (to yajl_tree_free), NULL when there is none. */
static yajl_val layer_load(const layer_ref_t *r)
{
    char *text = lambda_store_get_layer(lambda_db, r->account, r->region, r->name), err[64];
    yajl_val doc = text ? ytree_parse_text(text, err, sizeof(err)) : NULL;
    free(text);
    return doc;
}

static long long version_number(yajl_val v)
{
    long long n = 0;
    in_int(v, "Version", &n);
    return n;
}

/* The version of doc numbered n, or NULL. */
static yajl_val version_in(yajl_val doc, long long n)
{
    yajl_val vs = in_arr(doc, "Versions");
    for (size_t i = 0; i < arr_len(vs); i++)
        if (version_number(vs->u.array.values[i]) == n)
            return vs->u.array.values[i];
    return NULL;
}

/* Stores the layer with doc's versions, version `replace` (a number, 0: none) dropped or, when `with` (a version's
 * JSON text) is given, replaced by it; a `with` that replaces nothing is added last. next: the number the next
 * published version takes. */
static int layer_store(call_t *c, const layer_ref_t *r, yajl_val doc, long long next, long long replace, const char *with)
{
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    jw_kint(&w, "NextVersion", next);
    jw_key(&w, "Versions");
    jw_arr(&w);
    yajl_val vs = in_arr(doc, "Versions");
    int placed = 0;
    for (size_t i = 0; i < arr_len(vs); i++) {
        if (version_number(vs->u.array.values[i]) != replace) {
            lambda_write_json(&w, vs->u.array.values[i]);
            continue;
        }
        if (with)
            jw_raw(&w, with, strlen(with));
        placed = 1;
    }
    if (with && !placed)
        jw_raw(&w, with, strlen(with));
    jw_aend(&w);
    jw_end(&w);
    int rc = lambda_store_put_layer(lambda_db, r->account, r->region, r->name, w.buf, w.len);
    jw_free(&w);
    return rc == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not store the layer");
}

/* A version as the layer API shows it: `full` (PublishLayerVersion, GetLayerVersion) adds Content and LayerArn to
 * what the lists show. */
static void write_version(call_t *c, jw_t *w, const layer_ref_t *r, yajl_val v, int full)
{
    static const char *const optional[] = {"CompatibleRuntimes", "LicenseInfo", "CompatibleArchitectures"};
    char ts[32];
    long long n = version_number(v), size = 0, created = 0;
    in_int(v, "CodeSize", &size);
    in_int(v, "CreatedMs", &created);
    const char *sha = in_str(v, "CodeSha256"), *hex = in_str(v, "CodeHex"), *desc = in_str(v, "Description");
    jw_obj(w);
    if (full) {
        jw_key(w, "Content");
        jw_obj(w);
        jw_kstr(w, "Location", lambda_code_location(c, hex ? hex : ""));
        jw_kstr(w, "CodeSha256", sha ? sha : "");
        jw_kint(w, "CodeSize", size);
        jw_end(w);
        jw_kstr(w, "LayerArn", layer_arn(c, r));
    }
    jw_kstr(w, "LayerVersionArn", version_arn(c, r, n));
    jw_kstr(w, "Description", desc ? desc : "");
    jw_kstr(w, "CreatedDate", lambda_time_fmt(ts, created, LAMBDA_TIME_CONFIG));
    jw_kint(w, "Version", n);
    for (size_t i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
        if (in_get(v, optional[i])) {
            jw_key(w, optional[i]);
            lambda_write_json(w, in_get(v, optional[i]));
        }
    jw_end(w);
}

/* The bytes of the regular files under dir (what Lambda counts of unzipped code). */
static long long dir_size(const char *dir)
{
    DIR *d = opendir(dir);
    long long total = 0;
    struct dirent *e;
    char path[PATH_MAX];
    struct stat st;
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            total += dir_size(path);
        else if (S_ISREG(st.st_mode))
            total += st.st_size;
    }
    if (d)
        closedir(d);
    return total;
}

/* The unzipped size of cfg's code: what its zip declared when lambda_take_code checked it, else measured where it
 * lies (unpacked if it is not); -1 when it cannot be unpacked. */
static long long code_unzipped(const lambda_cfg_t *cfg)
{
    if (cfg->code_unzipped)
        return cfg->code_unzipped;
    char *dir = lambda_code_dir(cfg->code_hex);
    long long n = dir ? dir_size(dir) : -1;
    free(dir);
    return n;
}

/* ---- the layer API ---- */

/* The version number the request names: VersionNumber, at least 1. */
static int requested_version(call_t *c, long long *n)
{
    *n = 0;
    in_int(c->in, "VersionNumber", n);
    return *n >= 1 ? CALL_DONE : call_error(c, "InvalidParameterValueException", "Layer Version Cannot be less than 1");
}

int lambda_publish_layer_version(call_t *c)
{
    layer_ref_t r;
    layer_named(c, &r);
    lambda_cfg_t code = {0}; /* only its code members: lambda_take_code's output */
    int rc = lambda_take_code(c, in_get(in_obj(c->in, "Content"), "ZipFile"), &code);
    long long unzipped = rc == CALL_DONE ? code_unzipped(&code) : 0;
    if (rc == CALL_DONE && unzipped < 0)
        rc = call_error(c, "ServiceException", "could not unpack the layer");
    if (rc != CALL_DONE) {
        free(code.code_sha);
        return CALL_ERROR;
    }
    yajl_val doc = layer_load(&r);
    long long n = 1;
    in_int(doc, "NextVersion", &n);
    jw_t v;
    jw_init(&v);
    jw_obj(&v);
    jw_kint(&v, "Version", n);
    jw_kstr(&v, "Description", in_str(c->in, "Description") ? in_str(c->in, "Description") : "");
    jw_kint(&v, "CreatedMs", clock_now_ms());
    static const char *const given[] = {"CompatibleRuntimes", "LicenseInfo", "CompatibleArchitectures"};
    for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++)
        if (in_get(c->in, given[i])) {
            jw_key(&v, given[i]);
            lambda_write_json(&v, in_get(c->in, given[i]));
        }
    jw_kstr(&v, "CodeSha256", code.code_sha);
    jw_kstr(&v, "CodeHex", code.code_hex); /* lets the code's garbage collection see the zip is in use */
    jw_kint(&v, "CodeSize", code.code_size);
    jw_kint(&v, "UnzippedSize", unzipped);
    jw_end(&v);
    free(code.code_sha);
    size_t len;
    char *text = jw_take(&v, &len), err[64];
    rc = layer_store(c, &r, doc, n + 1, 0, text);
    yajl_tree_free(doc);
    yajl_val shown = rc == CALL_DONE ? ytree_parse_text(text, err, sizeof(err)) : NULL;
    free(text);
    if (shown) {
        LOG_INFO("lambda: published layer %s version %lld", r.name, n);
        write_version(c, &c->out, &r, shown, 1);
        yajl_tree_free(shown);
    }
    return rc;
}

/* Answers GetLayerVersion and GetLayerVersionByArn. */
static int get_version(call_t *c, const layer_ref_t *r, long long n)
{
    yajl_val doc = layer_load(r), v = version_in(doc, n);
    if (v)
        write_version(c, &c->out, r, v, 1);
    yajl_tree_free(doc);
    return v ? CALL_DONE : call_error(c, "ResourceNotFoundException", LAYER_NOT_FOUND);
}

int lambda_get_layer_version(call_t *c)
{
    layer_ref_t r;
    long long n;
    layer_named(c, &r);
    return requested_version(c, &n) == CALL_DONE ? get_version(c, &r, n) : CALL_ERROR;
}

int lambda_get_layer_version_by_arn(call_t *c)
{
    layer_ref_t r;
    long long n;
    /* the model's pattern has refused what is no layer version ARN */
    return parse_version_arn(c, in_str(c->in, "Arn"), &r, &n) ? get_version(c, &r, n)
                                                              : call_error(c, "ResourceNotFoundException", LAYER_NOT_FOUND);
}

/* 1 when v is listed under the request's CompatibleRuntime and CompatibleArchitecture filters. */
static int version_matches(call_t *c, yajl_val v)
{
    static const char *const filters[][2] = {{"CompatibleRuntime", "CompatibleRuntimes"},
                                             {"CompatibleArchitecture", "CompatibleArchitectures"}};
    for (size_t f = 0; f < 2; f++) {
        const char *want = in_str(c->in, filters[f][0]);
        yajl_val have = in_arr(v, filters[f][1]);
        size_t i = 0;
        while (want && i < arr_len(have) &&
               !(YAJL_IS_STRING(have->u.array.values[i]) && strcmp(have->u.array.values[i]->u.string, want) == 0))
            i++;
        if (want && i == arr_len(have))
            return 0;
    }
    return 1;
}

/* MaxItems of the layer lists: 1 to 50 (the model's range), 50 when absent. */
static long long layer_max_items(call_t *c)
{
    long long n = 50;
    in_int(c->in, "MaxItems", &n);
    return n;
}

typedef struct {
    call_t *c;
    long long left;
    const char *next; /* the first layer left out (NextMarker) */
} list_state_t;

/* One layer of ListLayers: its newest version that the filters keep. */
static int list_one(void *ud, const char *name, const char *text)
{
    list_state_t *s = ud;
    char err[64];
    yajl_val doc = ytree_parse_text(text, err, sizeof(err)), vs = in_arr(doc, "Versions"), latest = NULL;
    for (size_t i = 0; i < arr_len(vs); i++)
        if (version_matches(s->c, vs->u.array.values[i]) &&
            (!latest || version_number(vs->u.array.values[i]) > version_number(latest)))
            latest = vs->u.array.values[i];
    if (latest && s->left == 0)
        s->next = call_strdup(s->c, name);
    else if (latest) {
        layer_ref_t r = {s->c->account, s->c->region, call_strdup(s->c, name)};
        jw_t *w = &s->c->out;
        s->left--;
        jw_obj(w);
        jw_kstr(w, "LayerName", r.name);
        jw_kstr(w, "LayerArn", layer_arn(s->c, &r));
        jw_key(w, "LatestMatchingVersion");
        write_version(s->c, w, &r, latest, 0);
        jw_end(w);
    }
    yajl_tree_free(doc);
    return s->next != NULL;
}

int lambda_list_layers(call_t *c)
{
    list_state_t s = {c, layer_max_items(c), NULL};
    jw_obj(&c->out);
    jw_key(&c->out, "Layers");
    jw_arr(&c->out);
    int rc = lambda_store_each_layer(lambda_db, c->account, c->region, in_str(c->in, "Marker"), list_one, &s);
    jw_aend(&c->out);
    if (s.next)
        jw_kstr(&c->out, "NextMarker", s.next);
    jw_end(&c->out);
    return rc == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not read the layers");
}

/* ListLayerVersions: newest first; its Marker is the number of the first version to show. */
int lambda_list_layer_versions(call_t *c)
{
    layer_ref_t r;
    layer_named(c, &r);
    long long left = layer_max_items(c), from = LLONG_MAX, next = 0;
    const char *marker = in_str(c->in, "Marker");
    if (marker && *marker)
        from = strtoll(marker, NULL, 10);
    yajl_val doc = layer_load(&r), vs = in_arr(doc, "Versions");
    jw_obj(&c->out);
    jw_key(&c->out, "LayerVersions");
    jw_arr(&c->out);
    for (size_t i = arr_len(vs); i-- > 0 && !next;) { /* stored oldest first */
        yajl_val v = vs->u.array.values[i];
        if (version_number(v) > from || !version_matches(c, v))
            continue;
        if (left-- == 0)
            next = version_number(v);
        else
            write_version(c, &c->out, &r, v, 0);
    }
    jw_aend(&c->out);
    if (next)
        jw_kstr(&c->out, "NextMarker", call_sprintf(c, "%lld", next));
    jw_end(&c->out);
    yajl_tree_free(doc);
    return CALL_DONE;
}

/* Deleting a version that is not there succeeds, as in Lambda. Functions that use it keep its code. */
int lambda_delete_layer_version(call_t *c)
{
    layer_ref_t r;
    long long n;
    layer_named(c, &r);
    if (requested_version(c, &n) != CALL_DONE)
        return CALL_ERROR;
    yajl_val doc = layer_load(&r);
    int rc = CALL_DONE;
    if (version_in(doc, n)) {
        long long next = 1;
        in_int(doc, "NextVersion", &next);
        rc = layer_store(c, &r, doc, next, n, NULL);
    }
    yajl_tree_free(doc);
    if (rc == CALL_DONE)
        lambda_code_gc();
    return rc;
}

/* ---- layer version permissions ---- */

/* The layer and version a permission call names, with the stored document (to yajl_tree_free) and the version in
 * it; NULL after the error. */
static yajl_val permission_target(call_t *c, layer_ref_t *r, long long *n, yajl_val *v)
{
    layer_named(c, r);
    *n = 0;
    in_int(c->in, "VersionNumber", n);
    yajl_val doc = layer_load(r);
    *v = version_in(doc, *n);
    if (!*v) {
        yajl_tree_free(doc);
        call_error(c, "ResourceNotFoundException", "Layer version %s does not exist.", version_arn(c, r, *n));
        return NULL;
    }
    return doc;
}

static int check_policy_revision(call_t *c, yajl_val v)
{
    const char *want = in_str(c->in, "RevisionId"), *have = in_str(v, "PolicyRevision");
    if (want && (!have || strcmp(want, have) != 0))
        return call_error(c, "PreconditionFailedException",
                          "The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to "
                          "retrieve the latest Revision Id");
    return CALL_DONE;
}

/* The index of the statement sid in v's policy, or -1. */
static long statement_index(yajl_val v, const char *sid)
{
    yajl_val pol = in_arr(v, "Policy");
    for (size_t i = 0; sid && i < arr_len(pol); i++) {
        const char *have = in_str(pol->u.array.values[i], "Sid");
        if (have && strcmp(have, sid) == 0)
            return (long)i;
    }
    return -1;
}

/* Stores version v with its policy's statements but the one at index `drop` (-1: none), then `add` (a statement's
 * JSON text, or NULL), under a new policy revision (put in revision). */
static int store_policy(call_t *c, const layer_ref_t *r, yajl_val doc, yajl_val v, long drop, const char *add, char revision[37])
{
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    for (size_t i = 0; i < v->u.object.len; i++)
        if (strcmp(v->u.object.keys[i], "Policy") != 0 && strcmp(v->u.object.keys[i], "PolicyRevision") != 0) {
            jw_key(&w, v->u.object.keys[i]);
            lambda_write_json(&w, v->u.object.values[i]);
        }
    jw_key(&w, "Policy");
    jw_arr(&w);
    yajl_val pol = in_arr(v, "Policy");
    for (size_t i = 0; i < arr_len(pol); i++)
        if ((long)i != drop)
            lambda_write_json(&w, pol->u.array.values[i]);
    if (add)
        jw_raw(&w, add, strlen(add));
    jw_aend(&w);
    jw_kstr(&w, "PolicyRevision", lambda_uuid(revision));
    jw_end(&w);
    long long next = 1;
    in_int(doc, "NextVersion", &next);
    int rc = layer_store(c, r, doc, next, version_number(v), w.buf);
    jw_free(&w);
    return rc;
}

int lambda_add_layer_version_permission(call_t *c)
{
    layer_ref_t r;
    long long n;
    yajl_val v, doc = permission_target(c, &r, &n, &v);
    if (!doc)
        return CALL_ERROR;
    const char *sid = in_str(c->in, "StatementId");
    int rc = CALL_DONE;
    if (statement_index(v, sid) >= 0)
        rc = call_error(c, "ResourceConflictException",
                        "The statement id (%s) provided already exists. Please provide a new statement id, or remove the "
                        "existing statement.",
                        sid);
    else
        rc = check_policy_revision(c, v);
    char revision[37];
    jw_t st;
    jw_init(&st);
    lambda_policy_statement(c, &st, version_arn(c, &r, n));
    if (rc == CALL_DONE)
        rc = store_policy(c, &r, doc, v, -1, st.buf, revision);
    yajl_tree_free(doc);
    if (rc == CALL_DONE) {
        jw_obj(&c->out);
        jw_key(&c->out, "Statement");
        jw_strn(&c->out, st.buf, st.len);
        jw_kstr(&c->out, "RevisionId", revision);
        jw_end(&c->out);
    }
    jw_free(&st);
    return rc;
}

int lambda_remove_layer_version_permission(call_t *c)
{
    layer_ref_t r;
    long long n;
    yajl_val v, doc = permission_target(c, &r, &n, &v);
    if (!doc)
        return CALL_ERROR;
    const char *sid = in_str(c->in, "StatementId");
    long at = statement_index(v, sid);
    char revision[37];
    int rc = check_policy_revision(c, v);
    if (rc == CALL_DONE && at < 0)
        rc = call_error(c, "ResourceNotFoundException", "Statement %s is not found in resource policy.", sid ? sid : "");
    if (rc == CALL_DONE)
        rc = store_policy(c, &r, doc, v, at, NULL, revision);
    yajl_tree_free(doc);
    return rc;
}

int lambda_get_layer_version_policy(call_t *c)
{
    layer_ref_t r;
    long long n;
    yajl_val v, doc = permission_target(c, &r, &n, &v);
    if (!doc)
        return CALL_ERROR;
    yajl_val pol = in_arr(v, "Policy");
    int rc = CALL_DONE;
    if (!arr_len(pol))
        rc = call_error(c, "ResourceNotFoundException", "No policy is associated with the given resource.");
    else {
        jw_t w;
        jw_init(&w);
        lambda_policy_doc_begin(&w);
        lambda_write_json(&w, pol);
        jw_end(&w);
        lambda_policy_answer(c, &w, in_str(v, "PolicyRevision") ? in_str(v, "PolicyRevision") : "");
        jw_free(&w);
    }
    yajl_tree_free(doc);
    return rc;
}

/* ---- a function's layers ---- */

/* The layer ARN (without the version) of a layer version ARN, for comparing two. */
static size_t layer_arn_len(const char *version_arn)
{
    const char *colon = strrchr(version_arn, ':');
    return colon ? (size_t)(colon - version_arn) : strlen(version_arn);
}

/* Checks one entry of a request's Layers (index i of list) and writes its stored form into w. */
static int take_layer(call_t *c, yajl_val list, size_t i, jw_t *w)
{
    const char *arn = YAJL_IS_STRING(list->u.array.values[i]) ? list->u.array.values[i]->u.string : "";
    layer_ref_t r;
    long long n = 0, size = 0, unzipped = 0;
    int parsed = parse_version_arn(c, arn, &r, &n); /* the model's pattern has refused what is no layer version ARN */
    if (parsed && strcmp(r.region, c->region) != 0)
        return call_error(c, "InvalidParameterValueException",
                          "Layers are not in the same region as the function. Layers are expected to be in region %s.", c->region);
    yajl_val doc = parsed ? layer_load(&r) : NULL, v = version_in(doc, n);
    if (!v) {
        yajl_tree_free(doc);
        return call_error(c, "InvalidParameterValueException", "Layer version %s does not exist.", arn);
    }
    for (size_t k = 0; k < i; k++) {
        const char *other = list->u.array.values[k]->u.string;
        if (layer_arn_len(other) == layer_arn_len(arn) && strncmp(other, arn, layer_arn_len(arn)) == 0) {
            yajl_tree_free(doc);
            return call_error(c, "InvalidParameterValueException",
                              "Two different versions of the same layer are not allowed to be referenced in the same function. "
                              "%s and %s are versions of the same layer.",
                              other, arn);
        }
    }
    in_int(v, "CodeSize", &size);
    in_int(v, "UnzippedSize", &unzipped);
    jw_obj(w);
    jw_kstr(w, "Arn", arn);
    jw_kint(w, "CodeSize", size);
    jw_kstr(w, "CodeHex", in_str(v, "CodeHex") ? in_str(v, "CodeHex") : "");
    jw_kint(w, "UnzippedSize", unzipped);
    jw_end(w);
    yajl_tree_free(doc);
    return CALL_DONE;
}

/* Lambda's limit on a function's code (cfg's) and layers (stored form) together, unzipped. */
static int check_unzipped(call_t *c, const char *layers_json, const lambda_cfg_t *cfg)
{
    char err[64];
    yajl_val list = layers_json ? ytree_parse_text(layers_json, err, sizeof(err)) : NULL;
    long long total = 0, n;
    for (size_t i = 0; i < arr_len(list); i++)
        if (in_int(list->u.array.values[i], "UnzippedSize", &n))
            total += n;
    size_t count = arr_len(list);
    yajl_tree_free(list);
    if (count == 0 || (total += code_unzipped(cfg)) <= LAMBDA_MAX_UNZIPPED)
        return CALL_DONE;
    return call_error(c, "InvalidParameterValueException",
                      "Function code combined with layers exceeds the maximum allowed size of %lld bytes. The actual size is "
                      "%lld bytes.",
                      LAMBDA_MAX_UNZIPPED, total);
}

int lambda_layers_check_size(call_t *c, const lambda_cfg_t *cfg)
{
    return check_unzipped(c, cfg->layers_json, cfg);
}

int lambda_layers_take(call_t *c, lambda_cfg_t *cfg)
{
    yajl_val list = in_arr(c->in, "Layers");
    if (!list)
        return CALL_DONE;
    if (list->u.array.len > LAYERS_PER_FUNCTION)
        return call_error(c, "InvalidParameterValueException", "Cannot reference more than %d layers.", LAYERS_PER_FUNCTION);
    jw_t w;
    jw_init(&w);
    jw_arr(&w);
    for (size_t i = 0; i < list->u.array.len; i++)
        if (take_layer(c, list, i, &w) != CALL_DONE) {
            jw_free(&w);
            return CALL_ERROR;
        }
    jw_aend(&w);
    if (check_unzipped(c, w.buf, cfg) != CALL_DONE) {
        jw_free(&w);
        return CALL_ERROR;
    }
    size_t len;
    free(cfg->layers_json);
    cfg->layers_json = list->u.array.len ? jw_take(&w, &len) : NULL;
    if (!cfg->layers_json)
        jw_free(&w);
    return CALL_DONE;
}

/* cfg's layers (parsed, to yajl_tree_free), NULL when it has none. */
static yajl_val cfg_layers(const lambda_cfg_t *cfg)
{
    char err[64];
    return cfg->layers_json ? ytree_parse_text(cfg->layers_json, err, sizeof(err)) : NULL;
}

void lambda_layers_write(jw_t *w, const lambda_cfg_t *cfg)
{
    yajl_val list = cfg_layers(cfg);
    if (!arr_len(list)) {
        yajl_tree_free(list);
        return;
    }
    jw_key(w, "Layers");
    jw_arr(w);
    for (size_t i = 0; i < arr_len(list); i++) {
        long long size = 0;
        in_int(list->u.array.values[i], "CodeSize", &size);
        jw_obj(w);
        jw_kstr(w, "Arn", in_str(list->u.array.values[i], "Arn") ? in_str(list->u.array.values[i], "Arn") : "");
        jw_kint(w, "CodeSize", size);
        jw_end(w);
    }
    jw_aend(w);
    yajl_tree_free(list);
}

/* ---- the directory standing in for /opt ---- */

/* The key of cfg's list of layers (hex SHA-256 of their code hashes in order); 0 when it has none. */
static int layers_key(const lambda_cfg_t *cfg, char key[65])
{
    yajl_val list = cfg_layers(cfg);
    size_t n = arr_len(list);
    if (n) {
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        unsigned char out[32];
        EVP_DigestInit_ex(md, EVP_sha256(), NULL);
        for (size_t i = 0; i < n; i++) {
            const char *hex = in_str(list->u.array.values[i], "CodeHex");
            EVP_DigestUpdate(md, hex ? hex : "", hex ? strlen(hex) : 0);
        }
        EVP_DigestFinal_ex(md, out, NULL);
        EVP_MD_CTX_free(md);
        for (int i = 0; i < 32; i++)
            snprintf(key + 2 * i, 3, "%02x", out[i]);
    }
    yajl_tree_free(list);
    return n > 0;
}

/* Links the tree src into dst (an existing directory), replacing what is there by src's entries of the same name. */
static int merge_tree(const char *src, const char *dst)
{
    DIR *d = opendir(src);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    char from[PATH_MAX], to[PATH_MAX], target[PATH_MAX];
    struct stat st, have;
    while (rc == 0 && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (snprintf(from, sizeof(from), "%s/%s", src, e->d_name) >= (int)sizeof(from) ||
            snprintf(to, sizeof(to), "%s/%s", dst, e->d_name) >= (int)sizeof(to) || lstat(from, &st) != 0) {
            rc = -1;
            break;
        }
        int exists = lstat(to, &have) == 0, is_dir = exists && S_ISDIR(have.st_mode);
        if (exists && (S_ISDIR(st.st_mode) != is_dir || !is_dir)) /* whatever an earlier layer put there goes */
            rc = is_dir ? lambda_rm_rf(to) : unlink(to);
        if (rc != 0)
            break;
        if (S_ISDIR(st.st_mode))
            rc = (mkdir(to, 0755) == 0 || errno == EEXIST) ? merge_tree(from, to) : -1;
        else if (S_ISLNK(st.st_mode)) {
            ssize_t len = readlink(from, target, sizeof(target) - 1);
            rc = len < 0 ? -1 : (target[len] = '\0', symlink(target, to));
        } else
            rc = link(from, to);
    }
    closedir(d);
    return rc;
}

/* Builds dir from the layers of list, in order, through a temporary directory and a rename. */
static int layers_build(yajl_val list, const char *dir)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof(tmp), "%s.tmp%d", dir, (int)getpid());
    lambda_rm_rf(tmp);
    int rc = mkdir(tmp, 0755);
    for (size_t i = 0; rc == 0 && i < arr_len(list); i++) {
        const char *hex = in_str(list->u.array.values[i], "CodeHex");
        char *src = hex ? lambda_code_dir(hex) : NULL;
        rc = src ? merge_tree(src, tmp) : -1;
        free(src);
    }
    if (rc == 0 && rename(tmp, dir) != 0 && errno != ENOTEMPTY && errno != EEXIST)
        rc = -1;
    lambda_rm_rf(tmp);
    return rc;
}

int lambda_layers_dir(const lambda_cfg_t *cfg, char *out, size_t outlen, char key[65])
{
    *out = '\0';
    key[0] = '\0';
    if (!layers_key(cfg, key))
        return 0;
    char parent[PATH_MAX];
    snprintf(parent, sizeof(parent), "%s/opt", lambda_cfg->lambda_dir);
    snprintf(out, outlen, "%s/%s", parent, key);
    if (access(out, F_OK) == 0)
        return 0;
    mkdir(parent, 0755);
    yajl_val list = cfg_layers(cfg);
    int rc = layers_build(list, out);
    yajl_tree_free(list);
    if (rc != 0)
        LOG_ERROR("lambda: cannot build the layers directory %s: %s", out, strerror(errno));
    return rc;
}

/* 1 when a configuration of a function uses the list of layers with this key. */
static int key_in_use(const char *key)
{
    char have[65];
    for (lambda_fn_t *fn = lambda_fns; fn; fn = fn->next) {
        if (layers_key(fn->latest, have) && strcmp(have, key) == 0)
            return 1;
        for (size_t i = 0; i < fn->nversions; i++)
            if (layers_key(fn->versions[i], have) && strcmp(have, key) == 0)
                return 1;
    }
    return lambda_env_uses_code(key);
}

void lambda_layers_gc(void)
{
    char dir[PATH_MAX], path[PATH_MAX + 256 + 2];
    snprintf(dir, sizeof(dir), "%s/opt", lambda_cfg->lambda_dir);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strlen(e->d_name) == 64 && strspn(e->d_name, "0123456789abcdef") == 64 && !key_in_use(e->d_name)) {
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            lambda_rm_rf(path);
        }
    closedir(d);
}

int lambda_layers_use_code(const char *hex)
{
    for (lambda_fn_t *fn = lambda_fns; fn; fn = fn->next) {
        if (fn->latest->layers_json && strstr(fn->latest->layers_json, hex))
            return 1;
        for (size_t i = 0; i < fn->nversions; i++)
            if (fn->versions[i]->layers_json && strstr(fn->versions[i]->layers_json, hex))
                return 1;
    }
    return lambda_store_code_in_layers(lambda_db, hex);
}
