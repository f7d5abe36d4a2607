/* lambda_policy.c - a function's resource-based policy: AddPermission,
 * RemovePermission and GetPolicy. Statements are kept with the qualifier they
 * were added for (a version or alias has a policy of its own) and are stored in
 * the function's document; AddLayerVersionPermission writes its statements here
 * too (lambda_layer.c). awsemu records permissions; it does not enforce them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../protocol/ytree.h"
#include "lambda_internal.h"

typedef enum { POLICY_ADD, POLICY_REMOVE, POLICY_GET } policy_op_t;

/* What the request names that does not exist, in the words of Lambda's policy operations: RemovePermission
 * has no policy for a missing function, GetPolicy no resource for a missing version or alias, and Add- and
 * RemovePermission cannot find an alias (a qualifier that is no version number) or the function version. */
static int policy_missing(call_t *c, policy_op_t op, const lambda_ref_t *ref, int have_fn)
{
    if (!have_fn && op == POLICY_REMOVE)
        return call_error(c, "ResourceNotFoundException", "No policy found for: arn:aws:lambda:%s:%s:function:%s", c->region,
                          c->account, ref->name);
    if (!have_fn)
        return lambda_not_found(c, ref->name, ref->qualifier);
    if (op == POLICY_GET)
        return call_error(c, "ResourceNotFoundException", "The resource you requested does not exist.");
    if (lambda_valid_alias_name(ref->qualifier))
        return call_error(c, "ResourceNotFoundException", "Cannot find alias arn: arn:aws:lambda:%s:%s:function:%s:%s", c->region,
                          c->account, ref->name, ref->qualifier);
    return lambda_not_found(c, ref->name, ref->qualifier);
}

/* The function and the qualifier the request names (NULL for the unqualified function), after the
 * RevisionId check of Add/RemovePermission (of the version or alias named, or $LATEST). */
static lambda_fn_t *policy_target(call_t *c, policy_op_t op, const char **qualifier)
{
    lambda_fn_t *fn;
    lambda_cfg_t *cfg;
    lambda_alias_t *alias;
    lambda_ref_t ref;
    const char *name = in_str(c->in, "FunctionName");
    if (lambda_parse_ref(c, name, in_str(c->in, "Qualifier"), &ref) != CALL_DONE)
        return NULL;
    fn = lambda_fn_find(c->account, c->region, ref.name);
    if (!fn || (ref.qualifier && strcmp(ref.qualifier, LAMBDA_LATEST) != 0 && !lambda_version_find(fn, ref.qualifier) &&
                !lambda_alias_find(fn, ref.qualifier))) {
        policy_missing(c, op, &ref, fn != NULL);
        return NULL;
    }
    if (lambda_resolve(c, name, in_str(c->in, "Qualifier"), &fn, &cfg, &alias) != CALL_DONE ||
        lambda_check_revision(c, alias ? alias->revision_id : cfg->revision_id) != CALL_DONE)
        return NULL;
    *qualifier = ref.qualifier;
    return fn;
}

static int same_qualifier(yajl_val entry, const char *qualifier)
{
    const char *q = in_str(entry, "Qualifier");
    return (!q && !qualifier) || (q && qualifier && strcmp(q, qualifier) == 0);
}

static yajl_val parse_policy(const lambda_fn_t *fn)
{
    char err[64];
    yajl_val v = fn->policy_json ? ytree_parse_text(fn->policy_json, err, sizeof(err)) : NULL;
    if (v && !YAJL_IS_ARRAY(v)) {
        yajl_tree_free(v);
        v = NULL;
    }
    return v;
}

typedef enum { PRINCIPAL_INVALID, PRINCIPAL_ANY, PRINCIPAL_SERVICE, PRINCIPAL_ACCOUNT, PRINCIPAL_ARN } principal_t;

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n > t && strcmp(s + n - t, tail) == 0;
}

/* What AddPermission's Principal names: "*", a service (s3.amazonaws.com, alexa-appkit.amazon.com),
 * an account id or an IAM ARN; anything else Lambda refuses. */
static principal_t principal_kind(const char *p)
{
    if (strcmp(p, "*") == 0)
        return PRINCIPAL_ANY;
    if (ends_with(p, ".amazonaws.com") || ends_with(p, ".amazonaws.com.cn") || ends_with(p, ".amazon.com"))
        return PRINCIPAL_SERVICE;
    if (strlen(p) == 12 && strspn(p, "0123456789") == 12)
        return PRINCIPAL_ACCOUNT;
    if (strncmp(p, "arn:", 4) == 0 && strstr(p, ":iam::"))
        return PRINCIPAL_ARN;
    return PRINCIPAL_INVALID;
}

static void write_principal(jw_t *w, const char *p)
{
    jw_key(w, "Principal");
    switch (principal_kind(p)) {
    case PRINCIPAL_ANY:
        jw_str(w, "*");
        return;
    case PRINCIPAL_SERVICE:
        jw_obj(w);
        jw_kstr(w, "Service", p);
        break;
    case PRINCIPAL_ACCOUNT: {
        char arn[64];
        snprintf(arn, sizeof(arn), "arn:aws:iam::%s:root", p);
        jw_obj(w);
        jw_kstr(w, "AWS", arn);
        break;
    }
    default:
        jw_obj(w);
        jw_kstr(w, "AWS", p);
    }
    jw_end(w);
}

/* The StringEquals conditions AddPermission's members make, as Lambda writes them (permissions-function-organization,
 * urls-auth: "aws:PrincipalOrgID", "lambda:FunctionUrlAuthType"). */
static const struct {
    const char *member, *key;
} string_equals[] = {{"SourceAccount", "AWS:SourceAccount"},
                     {"PrincipalOrgID", "aws:PrincipalOrgID"},
                     {"FunctionUrlAuthType", "lambda:FunctionUrlAuthType"},
                     {"EventSourceToken", "lambda:EventSourceToken"},
                     {"OrganizationId", "aws:PrincipalOrgID"}}; /* AddLayerVersionPermission's */

void lambda_policy_statement(call_t *c, jw_t *w, const char *resource)
{
    const char *src = in_str(c->in, "SourceArn");
    int equals = 0;
    for (size_t i = 0; i < sizeof(string_equals) / sizeof(string_equals[0]); i++)
        equals |= in_str(c->in, string_equals[i].member) != NULL;
    jw_obj(w);
    jw_kstr(w, "Sid", in_str(c->in, "StatementId"));
    jw_kstr(w, "Effect", "Allow");
    write_principal(w, in_str(c->in, "Principal"));
    jw_kstr(w, "Action", in_str(c->in, "Action"));
    jw_kstr(w, "Resource", resource);
    if (src || equals) {
        jw_key(w, "Condition");
        jw_obj(w);
        if (equals) {
            jw_key(w, "StringEquals");
            jw_obj(w);
            for (size_t i = 0; i < sizeof(string_equals) / sizeof(string_equals[0]); i++) {
                const char *v = in_str(c->in, string_equals[i].member);
                if (v)
                    jw_kstr(w, string_equals[i].key, v);
            }
            jw_end(w);
        }
        if (src) {
            jw_key(w, "ArnLike");
            jw_obj(w);
            jw_kstr(w, "AWS:SourceArn", src);
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
}

static int save(call_t *c, lambda_fn_t *fn, jw_t *w)
{
    size_t len;
    free(fn->policy_json);
    fn->policy_json = jw_take(w, &len);
    if (strcmp(fn->policy_json, "[]") == 0) {
        free(fn->policy_json);
        fn->policy_json = NULL;
    }
    return lambda_persist_fn(fn) == 0 ? CALL_DONE : call_error(c, "ServiceException", "could not store the function");
}

int lambda_add_permission(call_t *c)
{
    const char *qualifier;
    lambda_fn_t *fn = policy_target(c, POLICY_ADD, &qualifier);
    if (!fn)
        return CALL_ERROR;
    const char *sid = in_str(c->in, "StatementId");
    if (!sid || !in_str(c->in, "Action") || !in_str(c->in, "Principal"))
        return call_error(c, "InvalidParameterValueException", "StatementId, Action and Principal are required.");
    if (qualifier && strcmp(qualifier, LAMBDA_LATEST) == 0)
        return call_error(c, "InvalidParameterValueException", "We currently do not support adding policies for $LATEST.");
    if (principal_kind(in_str(c->in, "Principal")) == PRINCIPAL_INVALID)
        return call_error(c, "InvalidParameterValueException",
                          "The provided principal was invalid. Please check the principal and try again.");
    yajl_val pol = parse_policy(fn);
    jw_t w;
    jw_init(&w);
    jw_arr(&w);
    for (size_t i = 0; pol && i < pol->u.array.len; i++) {
        yajl_val e = pol->u.array.values[i];
        const char *have = in_str(in_obj(e, "Statement"), "Sid");
        if (same_qualifier(e, qualifier) && have && strcmp(have, sid) == 0) {
            yajl_tree_free(pol);
            jw_free(&w);
            return call_error(c, "ResourceConflictException",
                              "The statement id (%s) provided already exists. Please provide a new statement id, or remove the "
                              "existing statement.",
                              sid);
        }
        lambda_write_json(&w, e);
    }
    yajl_tree_free(pol);
    jw_obj(&w);
    if (qualifier)
        jw_kstr(&w, "Qualifier", qualifier);
    jw_key(&w, "Statement");
    lambda_policy_statement(c, &w, lambda_fn_arn(c, fn, qualifier));
    jw_end(&w);
    jw_aend(&w);
    jw_t st;
    jw_init(&st);
    lambda_policy_statement(c, &st, lambda_fn_arn(c, fn, qualifier));
    jw_obj(&c->out);
    jw_key(&c->out, "Statement");
    jw_strn(&c->out, st.buf, st.len);
    jw_end(&c->out);
    jw_free(&st);
    return save(c, fn, &w);
}

int lambda_remove_permission(call_t *c)
{
    const char *qualifier;
    lambda_fn_t *fn = policy_target(c, POLICY_REMOVE, &qualifier);
    if (!fn)
        return CALL_ERROR;
    const char *sid = in_str(c->in, "StatementId") ? in_str(c->in, "StatementId") : "";
    yajl_val pol = parse_policy(fn);
    int found = 0, policy = 0;
    jw_t w;
    jw_init(&w);
    jw_arr(&w);
    for (size_t i = 0; pol && i < pol->u.array.len; i++) {
        yajl_val e = pol->u.array.values[i];
        const char *have = in_str(in_obj(e, "Statement"), "Sid");
        policy |= same_qualifier(e, qualifier);
        if (same_qualifier(e, qualifier) && have && strcmp(have, sid) == 0) {
            found = 1;
            continue;
        }
        lambda_write_json(&w, e);
    }
    jw_aend(&w);
    yajl_tree_free(pol);
    if (!found) {
        jw_free(&w);
        return policy ? call_error(c, "ResourceNotFoundException", "Statement %s is not found in resource policy.", sid)
                      : call_error(c, "ResourceNotFoundException", "No policy is associated with the given resource.");
    }
    return save(c, fn, &w);
}

void lambda_policy_doc_begin(jw_t *w)
{
    jw_obj(w);
    jw_kstr(w, "Version", "2012-10-17");
    jw_kstr(w, "Id", "default");
    jw_key(w, "Statement");
}

void lambda_policy_answer(call_t *c, const jw_t *doc, const char *revision)
{
    jw_obj(&c->out);
    jw_key(&c->out, "Policy");
    jw_strn(&c->out, doc->buf, doc->len);
    jw_kstr(&c->out, "RevisionId", revision);
    jw_end(&c->out);
}

int lambda_get_policy(call_t *c)
{
    const char *qualifier;
    lambda_fn_t *fn = policy_target(c, POLICY_GET, &qualifier);
    if (!fn)
        return CALL_ERROR;
    yajl_val pol = parse_policy(fn);
    jw_t w;
    jw_init(&w);
    lambda_policy_doc_begin(&w);
    jw_arr(&w);
    int n = 0;
    for (size_t i = 0; pol && i < pol->u.array.len; i++)
        if (same_qualifier(pol->u.array.values[i], qualifier) && in_obj(pol->u.array.values[i], "Statement")) {
            lambda_write_json(&w, in_obj(pol->u.array.values[i], "Statement"));
            n++;
        }
    jw_aend(&w);
    jw_end(&w);
    yajl_tree_free(pol);
    if (!n) {
        jw_free(&w);
        return call_error(c, "ResourceNotFoundException", "The resource you requested does not exist.");
    }
    lambda_policy_answer(c, &w,
                         (qualifier ? lambda_version_find(fn, qualifier) : NULL) ? lambda_version_find(fn, qualifier)->revision_id
                                                                                 : fn->latest->revision_id);
    jw_free(&w);
    return CALL_DONE;
}
