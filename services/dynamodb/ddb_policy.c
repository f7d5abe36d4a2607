/* ddb_policy.c - resource-based policies: PutResourcePolicy, GetResourcePolicy
 * and DeleteResourcePolicy of a table or of its stream.
 *
 * A policy is kept, not enforced (awsemu has no IAM): its document and
 * RevisionId are members of the table's stored definition, so they survive a
 * restart and go with the table when it is deleted. A RevisionId is the
 * epoch milliseconds of the change (one more than the previous when the clock
 * has not moved); putting the same document again keeps it. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "services/clock.h"
#include "services/dynamodb/ddb_core.h"

#define POLICY_MAX_BYTES (20 * 1024) /* "The maximum size ... is 20 KB", white space counted */
#define NOT_FOUND "Resource-based policy not found for the provided ResourceArn: "

void ddb_policy_meta_write(jw_t *w, const ddb_table_t *t)
{
    const ddb_policy_t *p[2] = {&t->policy, &t->stream_policy};
    const char *keys[2][2] = {{"pol", "polrev"}, {"spol", "spolrev"}};
    for (int i = 0; i < 2; i++)
        if (p[i]->doc) {
            jw_kstr(w, keys[i][0], p[i]->doc);
            jw_kstr(w, keys[i][1], p[i]->rev);
        }
    if (t->stream_policy.doc)
        jw_kstr(w, "spollabel", t->stream_policy_label);
}

void ddb_policy_meta_read(yajl_val meta, ddb_table_t *t)
{
    t->policy.doc = in_str(meta, "pol");
    t->policy.rev = in_str(meta, "polrev");
    t->stream_policy.doc = in_str(meta, "spol");
    t->stream_policy.rev = in_str(meta, "spolrev");
    t->stream_policy_label = in_str(meta, "spollabel");
}

/* The policy slot ResourceArn names: the table's, or its latest stream's (0); -1 after raising. */
static int find_policy(call_t *c, ddb_table_t **t, ddb_policy_t **p)
{
    const char *stream;
    if (ddb_find_arn(c, t, &stream) != CALL_DONE)
        return -1;
    if (!stream) {
        *p = &(*t)->policy;
        return 0;
    }
    if (!(*t)->stream_label || strcmp(stream, (*t)->stream_label) != 0)
        return call_error(c, "ResourceNotFoundException", "Requested resource not found: Stream: %s not found for Table: %s",
                          stream, (*t)->name);
    *p = &(*t)->stream_policy;
    /* a policy put on an earlier stream is not this one's */
    if ((*p)->doc && (!(*t)->stream_policy_label || strcmp((*t)->stream_policy_label, stream) != 0))
        (*p)->doc = (*p)->rev = NULL;
    (*t)->stream_policy_label = stream;
    return 0;
}

/* ExpectedRevisionId against the current policy: 0 when it matches (or none is expected), -1 after raising
 * PolicyNotFoundException. NO_POLICY expects none. */
static int check_expected(call_t *c, const ddb_table_t *t, const ddb_policy_t *p)
{
    const char *want = in_str(c->in, "ExpectedRevisionId");
    if (!want || (p->rev && strcmp(want, p->rev) == 0) || (!p->doc && strcmp(want, "NO_POLICY") == 0))
        return 0;
    if (!p->doc)
        return call_error(c, "PolicyNotFoundException", NOT_FOUND "%s", in_str(c->in, "ResourceArn"));
    if (strcmp(want, "NO_POLICY") == 0)
        return call_error(c, "PolicyNotFoundException",
                          NOT_FOUND "Requested policy update expecting none to be present for table %s, but a policy exists "
                                    "with revision id %s.",
                          t->name, p->rev);
    return call_error(c, "PolicyNotFoundException",
                      NOT_FOUND "Requested update for policy with revision id %s, but the policy associated to target table %s "
                                "has revision id %s.",
                      want, t->name, p->rev);
}

/* A RevisionId later than prev. */
static const char *next_revision(call_t *c, const char *prev)
{
    int64_t now = clock_now_ms(), last = prev ? strtoll(prev, NULL, 10) : 0;
    return call_sprintf(c, "%" PRId64, now > last ? now : last + 1);
}

static const char *check_document(call_t *c, const char *doc)
{
    if (strlen(doc) > POLICY_MAX_BYTES)
        return call_sprintf(c,
                            "One or more parameter values were invalid: Policy document size of %zu bytes exceeds the "
                            "limit of %d bytes",
                            strlen(doc), POLICY_MAX_BYTES);
    if (!YAJL_IS_OBJECT(ddb_json_parse(c, doc)))
        return "One or more parameter values were invalid: Invalid policy document: the policy is not a JSON object";
    return NULL;
}

static int revision_reply(call_t *c, const char *rev)
{
    jw_obj(&c->out);
    if (rev)
        jw_kstr(&c->out, "RevisionId", rev);
    jw_end(&c->out);
    return CALL_DONE;
}

int ddb_put_resource_policy(call_t *c)
{
    ddb_table_t *t;
    ddb_policy_t *p;
    const char *doc = in_str(c->in, "Policy"), *bad = check_document(c, doc);
    if (bad)
        return ddb_validation(c, bad);
    if (find_policy(c, &t, &p) != 0 || check_expected(c, t, p) != 0)
        return CALL_ERROR;
    if (p->doc && strcmp(p->doc, doc) == 0)
        return revision_reply(c, p->rev);
    p->rev = next_revision(c, p->rev);
    p->doc = doc;
    if (ddb_table_save_alone(c, t) != CALL_DONE)
        return CALL_ERROR;
    return revision_reply(c, p->rev);
}

int ddb_get_resource_policy(call_t *c)
{
    ddb_table_t *t;
    ddb_policy_t *p;
    if (find_policy(c, &t, &p) != 0)
        return CALL_ERROR;
    if (!p->doc)
        return call_error(c, "PolicyNotFoundException", NOT_FOUND "%s", in_str(c->in, "ResourceArn"));
    jw_obj(&c->out);
    jw_kstr(&c->out, "Policy", p->doc);
    jw_kstr(&c->out, "RevisionId", p->rev);
    jw_end(&c->out);
    return CALL_DONE;
}

/* Idempotent: with no policy (and no ExpectedRevisionId) it succeeds without a RevisionId. */
int ddb_delete_resource_policy(call_t *c)
{
    ddb_table_t *t;
    ddb_policy_t *p;
    if (find_policy(c, &t, &p) != 0 || check_expected(c, t, p) != 0)
        return CALL_ERROR;
    const char *rev = p->rev;
    if (!p->doc)
        return revision_reply(c, NULL);
    p->doc = p->rev = NULL;
    if (ddb_table_save_alone(c, t) != CALL_DONE)
        return CALL_ERROR;
    return revision_reply(c, rev);
}
