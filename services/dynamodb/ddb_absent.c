/* ddb_absent.c - the list and describe operations of DynamoDB resources that awsemu never
 * creates: global tables of version 2017.11.29 (CreateGlobalTable replicates across regions),
 * exports to and imports from S3 (awsemu has no S3), Kinesis streaming destinations (no Kinesis
 * either), and the replica auto scaling of a table (a table here has no replicas). The lists
 * are empty and a describe finds nothing, as in an account that never made one; tools that
 * list or describe them (the CLI, infrastructure code reading a table back) get DynamoDB's
 * answer instead of an unknown operation. The operations that would make such a resource stay
 * unknown: pretending to accept one would lie. */
#include "services/dynamodb/ddb_core.h"

static void empty_list(call_t *c, const char *member)
{
    jw_obj(&c->out);
    jw_key(&c->out, member);
    jw_arr(&c->out);
    jw_aend(&c->out);
    jw_end(&c->out);
}

int ddb_list_global_tables(call_t *c)
{
    empty_list(c, "GlobalTables");
    return CALL_DONE;
}

static int global_table_not_found(call_t *c)
{
    const char *name = in_str(c->in, "GlobalTableName");
    return call_error(c, "GlobalTableNotFoundException", "Global table not found: Global table with name: '%s' does not exist.",
                      name);
}

int ddb_describe_global_table(call_t *c)
{
    return global_table_not_found(c);
}

int ddb_describe_global_table_settings(call_t *c)
{
    return global_table_not_found(c);
}

int ddb_list_exports(call_t *c)
{
    empty_list(c, "ExportSummaries");
    return CALL_DONE;
}

int ddb_describe_export(call_t *c)
{
    return call_error(c, "ExportNotFoundException", "Export not found: %s", in_str(c->in, "ExportArn"));
}

int ddb_list_imports(call_t *c)
{
    empty_list(c, "ImportSummaryList");
    return CALL_DONE;
}

int ddb_describe_import(call_t *c)
{
    return call_error(c, "ImportNotFoundException", "Import not found: %s", in_str(c->in, "ImportArn"));
}

int ddb_describe_table_replica_auto_scaling(call_t *c)
{
    ddb_table_t *t;
    if (ddb_find_named(c, &t) != CALL_DONE)
        return CALL_ERROR;
    jw_t *w = &c->out;
    jw_obj(w);
    jw_key(w, "TableAutoScalingDescription");
    jw_obj(w);
    jw_kstr(w, "TableName", t->name);
    jw_kstr(w, "TableStatus", "ACTIVE");
    jw_key(w, "Replicas");
    jw_arr(w);
    jw_aend(w);
    jw_end(w);
    jw_end(w);
    return CALL_DONE;
}

int ddb_describe_kinesis_streaming_destination(call_t *c)
{
    ddb_table_t *t;
    if (ddb_find_named(c, &t) != CALL_DONE)
        return CALL_ERROR;
    jw_obj(&c->out);
    jw_kstr(&c->out, "TableName", t->name);
    jw_key(&c->out, "KinesisDataStreamDestinations");
    jw_arr(&c->out);
    jw_aend(&c->out);
    jw_end(&c->out);
    return CALL_DONE;
}
