/* ddb_insights.c - CloudWatch Contributor Insights of a table and its GSIs:
 * UpdateContributorInsights, DescribeContributorInsights and
 * ListContributorInsights.
 *
 * Nothing is measured (awsemu has no CloudWatch); the setting is kept in the
 * table's stored definition, so it survives a restart and goes with the
 * table. A change settles at once: UpdateContributorInsights answers ENABLING
 * or DISABLING as DynamoDB does, and the next describe already sees ENABLED or
 * DISABLED; asking for the state it is in answers that state and changes
 * nothing, and the list leaves out what is disabled. The rules are named as
 * DynamoDB names them: DynamoDBContributorInsights-{PKC,SKC,PKT,SKT}-<table>-<epoch ms enabled>
 * (C: most accessed keys, T: most throttled; SK rules only with a sort key,
 * THROTTLED_KEYS mode only the T rules). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "services/clock.h"
#include "services/dynamodb/ddb_core.h"

#define LIST_MAX 100 /* ListContributorInsights' MaxResults bound */

void ddb_insights_meta_write(jw_t *w, const ddb_insights_t *in)
{
    if (!in->changed_ms)
        return;
    jw_key(w, "ci");
    jw_obj(w);
    jw_kbool(w, "on", in->on);
    if (in->mode)
        jw_kstr(w, "m", in->mode);
    jw_kint(w, "at", in->changed_ms);
    jw_end(w);
}

void ddb_insights_meta_read(yajl_val meta, ddb_insights_t *in)
{
    yajl_val ci = in_obj(meta, "ci");
    long long at = 0;
    in->on = YAJL_IS_TRUE(in_get(ci, "on"));
    in->mode = in_str(ci, "m");
    in_int(ci, "at", &at);
    in->changed_ms = at;
}

/* The insights of the table, or of its GSI `index`: NULL after raising ResourceNotFoundException. */
static ddb_insights_t *find_insights(call_t *c, ddb_table_t *t, const char *index)
{
    if (!index)
        return &t->insights;
    for (size_t i = 0; i < t->nindexes; i++)
        if (t->indexes[i].global && strcmp(t->indexes[i].name, index) == 0)
            return &t->indexes[i].insights;
    call_error(c, "ResourceNotFoundException", "Requested resource not found: Index: %s not found for table: %s", index, t->name);
    return NULL;
}

static const ddb_key_attr_t *range_of(const ddb_table_t *t, const char *index)
{
    const ddb_index_t *ix = index ? ddb_table_index(t, index) : NULL;
    return ix ? &ix->range : &t->range;
}

/* The mode stays once set: a disabled table that was enabled still reads it (the ack-api-quirks lab's DDB-TABLE-089). */
static void status_members(jw_t *w, const char *table, const char *index, const char *status, const ddb_insights_t *in)
{
    jw_kstr(w, "TableName", table);
    if (index)
        jw_kstr(w, "IndexName", index);
    jw_kstr(w, "ContributorInsightsStatus", status);
    if (in->mode)
        jw_kstr(w, "ContributorInsightsMode", in->mode);
}

static void rules_write(call_t *c, jw_t *w, const ddb_table_t *t, const char *index, const ddb_insights_t *in)
{
    static const char *const kinds[4] = {"PKC", "SKC", "PKT", "SKT"};
    int throttled_only = strcmp(in->mode, "THROTTLED_KEYS") == 0, sort = range_of(t, index)->name != NULL;
    jw_key(w, "ContributorInsightsRuleList");
    jw_arr(w);
    for (int k = throttled_only ? 2 : 0; k < 4; k++)
        if (sort || kinds[k][0] == 'P')
            jw_str(w, call_sprintf(c, "DynamoDBContributorInsights-%s-%s-%" PRId64, kinds[k], t->name, in->changed_ms));
    jw_aend(w);
}

int ddb_update_contributor_insights(call_t *c)
{
    ddb_table_t *t;
    ddb_insights_t *in;
    const char *index = in_str(c->in, "IndexName"), *action = in_str(c->in, "ContributorInsightsAction");
    const char *mode = in_str(c->in, "ContributorInsightsMode");
    if (ddb_find_named(c, &t) != CALL_DONE || (in = find_insights(c, t, index)) == NULL)
        return CALL_ERROR;
    int on = strcmp(action, "ENABLE") == 0;
    mode = mode ? mode : "ACCESSED_AND_THROTTLED_KEYS";
    /* Asking for the settled state (the same mode when enabling) changes nothing and answers it (DDB-TABLE-089/090). */
    int settled = on == in->on && (!on || (in->mode && strcmp(mode, in->mode) == 0));
    if (!settled) {
        in->on = on;
        if (on)
            in->mode = mode;
        in->changed_ms = clock_now_ms();
        if (ddb_table_save_alone(c, t) != CALL_DONE)
            return CALL_ERROR;
    }
    jw_obj(&c->out);
    status_members(&c->out, t->name, index, settled ? (on ? "ENABLED" : "DISABLED") : on ? "ENABLING" : "DISABLING", in);
    jw_end(&c->out);
    return CALL_DONE;
}

int ddb_describe_contributor_insights(call_t *c)
{
    ddb_table_t *t;
    ddb_insights_t *in;
    const char *index = in_str(c->in, "IndexName");
    if (ddb_find_named(c, &t) != CALL_DONE || (in = find_insights(c, t, index)) == NULL)
        return CALL_ERROR;
    jw_t *w = &c->out;
    jw_obj(w);
    status_members(w, t->name, index, in->on ? "ENABLED" : "DISABLED", in);
    if (in->on)
        rules_write(c, w, t, index, in);
    if (in->changed_ms) {
        jw_key(w, "LastUpdateDateTime");
        jw_double(w, (double)in->changed_ms / 1000.0);
    }
    jw_end(w);
    return CALL_DONE;
}

/* One summary per table and per GSI, the table first; *pos counts entries, skipped ones until from, written up to end. */
static void summaries_write(jw_t *w, const ddb_table_t *t, long long from, long long end, long long *pos)
{
    for (size_t i = 0; i <= t->nindexes; i++) {
        const ddb_index_t *ix = i ? &t->indexes[i - 1] : NULL;
        if (ix && !ix->global)
            continue;
        const ddb_insights_t *in = ix ? &ix->insights : &t->insights;
        if (!in->on) /* the list leaves out what is disabled (the ack-api-quirks lab's DDB-TABLE-095/343) */
            continue;
        if (*pos >= from && *pos < end) {
            jw_obj(w);
            status_members(w, t->name, ix ? ix->name : NULL, "ENABLED", in);
            jw_end(w);
        }
        (*pos)++;
    }
}

/* The tables listed: the one TableName names, or all of the account's in the region. -1 after raising. */
static int listed_tables(call_t *c, const char ***names)
{
    ddb_table_t *t;
    if (in_str(c->in, "TableName")) {
        if (ddb_find_named(c, &t) != CALL_DONE)
            return -1;
        *names = call_alloc(c, sizeof(char *));
        (*names)[0] = t->name;
        return 1;
    }
    int n = ddb_store_table_names(c->pool, c->account, c->region, NULL, 1 << 20, names);
    return n < 0 ? ddb_internal_error(c) : n;
}

/* NextToken: the count of summaries already listed, in decimal. */
int ddb_list_contributor_insights(call_t *c)
{
    long long max = LIST_MAX, from = 0, pos = 0;
    const char *token = in_str(c->in, "NextToken");
    char *endp = NULL;
    if (token && ((from = strtoll(token, &endp, 10)) < 0 || !*token || *endp))
        return ddb_validation(c, "Invalid NextToken");
    in_int(c->in, "MaxResults", &max);
    const char **names;
    int n = listed_tables(c, &names);
    if (n < 0)
        return CALL_ERROR;
    jw_t *w = &c->out;
    jw_obj(w);
    jw_key(w, "ContributorInsightsSummaries");
    jw_arr(w);
    for (int i = 0; i < n; i++) {
        ddb_table_t *t;
        int rc = ddb_table_load(c, names[i], &t);
        if (rc < 0) {
            jw_reset(w);
            return CALL_ERROR;
        }
        if (rc == 1)
            summaries_write(w, t, from, from + max, &pos);
    }
    jw_aend(w);
    if (pos > from + max)
        jw_kstr(w, "NextToken", call_sprintf(c, "%lld", from + max));
    jw_end(w);
    return CALL_DONE;
}
