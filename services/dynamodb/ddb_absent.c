/* ddb_absent.c - the operations of DynamoDB resources that awsemu never creates, answered as
 * DynamoDB answers an account that has none (observed against DynamoDB in October 2026, the
 * ack-api-quirks lab's records DDB-GLOBALTABLE-002/004, DDB-TABLE-187 and DDB-TABLE-299):
 *  - global tables of version 2017.11.29: DynamoDB no longer creates them (CreateGlobalTable, and
 *    UpdateGlobalTable adding a replica, are a ValidationException), lists none and finds none;
 *  - replica auto scaling exists only on a global table (2019.11.21 replicas, which awsemu does
 *    not make): for any table, ResourceNotFoundException naming a global table;
 *  - exports to and imports from S3 (awsemu has no S3): none listed, none found (their ARNs checked first);
 *  - Kinesis streaming destinations (no Kinesis either): a table has none.
 * The operations that would start an export, an import or a Kinesis destination stay unknown:
 * accepting one would pretend to deliver. */
#include <string.h>

#include "services/dynamodb/ddb_core.h"

#define LEGACY_GLOBAL_TABLES                                                                                                       \
    "One or more parameter values were invalid: DynamoDB global tables version 2017.11.29 is not supported. We "                   \
    "recommend using DynamoDB global tables version 2019.11.21, instead of version 2017.11.29 (Legacy)."

/* member: [] */
static void empty_array(jw_t *w, const char *member)
{
    jw_key(w, member);
    jw_arr(w);
    jw_aend(w);
}

/* {member: []}: a list operation's answer. */
static void empty_list(call_t *c, const char *member)
{
    jw_obj(&c->out);
    empty_array(&c->out, member);
    jw_end(&c->out);
}

/* ---- global tables (version 2017.11.29) ---- */

int ddb_create_global_table(call_t *c)
{
    return call_error(c, "ValidationException", LEGACY_GLOBAL_TABLES);
}

int ddb_list_global_tables(call_t *c)
{
    empty_list(c, "GlobalTables");
    return CALL_DONE;
}

/* DescribeGlobalTable's message has a prefix the settings operations' lack. */
static int global_table_not_found(call_t *c, const char *prefix)
{
    return call_error(c, "GlobalTableNotFoundException", "%sGlobal table with name: '%s' does not exist.", prefix,
                      in_str(c->in, "GlobalTableName"));
}

int ddb_describe_global_table(call_t *c)
{
    return global_table_not_found(c, "Global table not found: ");
}

/* Adding a replica is refused before the name is looked up; an empty list says nothing more. */
int ddb_update_global_table(call_t *c)
{
    yajl_val updates = in_arr(c->in, "ReplicaUpdates");
    if (!updates || updates->u.array.len == 0)
        return call_error(c, "ValidationException", "One or more parameter values were invalid");
    for (size_t i = 0; i < updates->u.array.len; i++)
        if (in_get(updates->u.array.values[i], "Create"))
            return call_error(c, "ValidationException", LEGACY_GLOBAL_TABLES);
    return global_table_not_found(c, "Global table not found: ");
}

int ddb_describe_global_table_settings(call_t *c)
{
    return global_table_not_found(c, "");
}

int ddb_update_global_table_settings(call_t *c)
{
    return global_table_not_found(c, "");
}

/* ---- replica auto scaling: Describe and Update alike ---- */

int ddb_table_replica_auto_scaling(call_t *c)
{
    return call_error(c, "ResourceNotFoundException", "Global table with name: '%s' does not exist.", in_str(c->in, "TableName"));
}

/* ---- exports and imports ---- */

int ddb_list_exports(call_t *c)
{
    empty_list(c, "ExportSummaries");
    return CALL_DONE;
}

/* An export's or import's ARN (kind "export" or "import") as DynamoDB reads it (ScyllaDB's tests of
 * DescribeExport, written against DynamoDB): no ARN, or not one of a table's exports, is "Invalid Export ARN";
 * another partition, service, region AWS has not or account is AccessDeniedException, checked before its
 * resource. CALL_DONE when well formed. */
static int resource_arn_check(call_t *c, const char *arn, const char *kind, const char *word)
{
    const char *f[DDB_ARN_FIELDS];
    if (ddb_arn_fields(c, arn, f) != 0)
        return call_error(c, "ValidationException", "Invalid %s ARN", word);
    if (strcmp(f[DDB_ARN_PARTITION], "aws") != 0 || strcmp(f[DDB_ARN_SERVICE], "dynamodb") != 0 ||
        !ddb_region_known(c, f[DDB_ARN_REGION]) || strcmp(f[DDB_ARN_ACCOUNT], c->account) != 0)
        return call_error(c, "AccessDeniedException", "Access is denied");
    const char *res = f[DDB_ARN_RESOURCE], *sub = strncmp(res, "table/", 6) == 0 ? strchr(res + 6, '/') : NULL;
    size_t n = strlen(kind);
    if (sub == NULL || sub == res + 6 || strncmp(sub + 1, kind, n) != 0 || sub[n + 1] != '/' || sub[n + 2] == '\0')
        return call_error(c, "ValidationException", "Invalid %s ARN", word);
    return CALL_DONE;
}

int ddb_describe_export(call_t *c)
{
    const char *arn = in_str(c->in, "ExportArn");
    if (resource_arn_check(c, arn, "export", "Export") != CALL_DONE)
        return CALL_ERROR;
    return call_error(c, "ExportNotFoundException", "Export not found: %s", arn);
}

int ddb_list_imports(call_t *c)
{
    empty_list(c, "ImportSummaryList");
    return CALL_DONE;
}

int ddb_describe_import(call_t *c)
{
    const char *arn = in_str(c->in, "ImportArn");
    if (resource_arn_check(c, arn, "import", "Import") != CALL_DONE)
        return CALL_ERROR;
    return call_error(c, "ImportNotFoundException", "Import not found: %s", arn);
}

/* ---- Kinesis streaming destinations ---- */

int ddb_describe_kinesis_streaming_destination(call_t *c)
{
    ddb_table_t *t;
    if (ddb_find_named(c, &t) != CALL_DONE)
        return CALL_ERROR;
    jw_obj(&c->out);
    jw_kstr(&c->out, "TableName", t->name);
    empty_array(&c->out, "KinesisDataStreamDestinations");
    jw_end(&c->out);
    return CALL_DONE;
}
