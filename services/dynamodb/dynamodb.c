/* dynamodb.c - the DynamoDB service: its operation table and open/close.
 *
 * Operations live in ddb_table.c (control plane), ddb_item.c, ddb_query.c,
 * ddb_batch.c, ddb_txn.c and ddb_backup.c, resource policies in ddb_policy.c,
 * Contributor Insights in ddb_insights.c, the operations of resources awsemu
 * never creates in ddb_absent.c; storage in storage/ddb_store.c; the
 * TTL sweeper in ddb_ttl.c. */
#include "services/dynamodb/ddb_core.h"
#include "services/dynamodb/ddb_partiql.h"
#include "services/service.h"

static const service_op_t dynamodb_ops[] = {
    {"BatchExecuteStatement", ddb_batch_execute_statement},
    {"BatchGetItem", ddb_batch_get_item},
    {"BatchWriteItem", ddb_batch_write_item},
    {"CreateBackup", ddb_create_backup},
    {"CreateGlobalTable", ddb_create_global_table},
    {"CreateTable", ddb_create_table},
    {"DeleteBackup", ddb_delete_backup},
    {"DeleteItem", ddb_delete_item},
    {"DeleteResourcePolicy", ddb_delete_resource_policy},
    {"DeleteTable", ddb_delete_table},
    {"DescribeBackup", ddb_describe_backup},
    {"DescribeContinuousBackups", ddb_describe_continuous_backups},
    {"DescribeContributorInsights", ddb_describe_contributor_insights},
    {"DescribeEndpoints", ddb_describe_endpoints},
    {"DescribeExport", ddb_describe_export},
    {"DescribeGlobalTable", ddb_describe_global_table},
    {"DescribeGlobalTableSettings", ddb_describe_global_table_settings},
    {"DescribeImport", ddb_describe_import},
    {"DescribeKinesisStreamingDestination", ddb_describe_kinesis_streaming_destination},
    {"DescribeLimits", ddb_describe_limits},
    {"DescribeTable", ddb_describe_table},
    {"DescribeTableReplicaAutoScaling", ddb_table_replica_auto_scaling},
    {"DescribeTimeToLive", ddb_describe_time_to_live},
    {"ExecuteStatement", ddb_execute_statement},
    {"ExecuteTransaction", ddb_execute_transaction},
    {"GetItem", ddb_get_item},
    {"GetResourcePolicy", ddb_get_resource_policy},
    {"ListBackups", ddb_list_backups},
    {"ListContributorInsights", ddb_list_contributor_insights},
    {"ListExports", ddb_list_exports},
    {"ListGlobalTables", ddb_list_global_tables},
    {"ListImports", ddb_list_imports},
    {"ListTables", ddb_list_tables},
    {"ListTagsOfResource", ddb_list_tags_of_resource},
    {"PutItem", ddb_put_item},
    {"PutResourcePolicy", ddb_put_resource_policy},
    {"Query", ddb_query},
    {"RestoreTableFromBackup", ddb_restore_table_from_backup},
    {"RestoreTableToPointInTime", ddb_restore_table_to_point_in_time},
    {"Scan", ddb_scan},
    {"TagResource", ddb_tag_resource},
    {"TransactGetItems", ddb_transact_get_items},
    {"TransactWriteItems", ddb_transact_write_items},
    {"UntagResource", ddb_untag_resource},
    {"UpdateContinuousBackups", ddb_update_continuous_backups},
    {"UpdateContributorInsights", ddb_update_contributor_insights},
    {"UpdateGlobalTable", ddb_update_global_table},
    {"UpdateGlobalTableSettings", ddb_update_global_table_settings},
    {"UpdateItem", ddb_update_item},
    {"UpdateTable", ddb_update_table},
    {"UpdateTableReplicaAutoScaling", ddb_table_replica_auto_scaling},
    {"UpdateTimeToLive", ddb_update_time_to_live},
    {NULL, NULL},
};

static int dynamodb_open(const config_t *cfg, char *err, size_t errlen)
{
    if (ddb_store_open(cfg, err, errlen) != 0)
        return -1;
    ddb_ttl_start();
    ddb_backfill_resume();
    ddb_purge_kick();
    return 0;
}

static void dynamodb_close(void)
{
    ddb_ttl_stop();
    ddb_backfill_stop();
    ddb_purge_stop();
    ddb_table_cache_clear();
    ddb_store_close();
}

const service_t dynamodb_service = {"dynamodb", &model_dynamodb, dynamodb_ops, dynamodb_open, dynamodb_close};
