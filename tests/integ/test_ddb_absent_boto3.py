"""test_ddb_absent_boto3.py - the operations of resources awsemu never creates, through boto3, as DynamoDB
answered them in October 2026 (the ack-api-quirks lab's records): global tables of version 2017.11.29 are no
longer created (CreateGlobalTable, and UpdateGlobalTable adding a replica, a ValidationException naming the
version), ListGlobalTables is empty, DescribeGlobalTable, UpdateGlobalTable (deleting a replica),
DescribeGlobalTableSettings and UpdateGlobalTableSettings raise GlobalTableNotFoundException for a regional
table and a missing name alike; Describe/UpdateTableReplicaAutoScaling raise ResourceNotFoundException
naming a global table, for a regional table and a missing one; DescribeKinesisStreamingDestination lists no
destination (ResourceNotFoundException for a missing table); ListExports and ListImports are empty, with their
page sizes' bounds refused, DescribeExport and DescribeImport find nothing (messages awsemu's own); the
operations that would start an export or a Kinesis destination stay unknown; the server keeps serving."""
from harness import Checks, RawConn, Server, attr, ddb_raw as raw, key

t = Checks()
EXPORT_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/abs/export/01700000000000-0a1b2c3d"
IMPORT_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/abs/import/01700000000000-0a1b2c3d"
LEGACY = ("One or more parameter values were invalid: DynamoDB global tables version 2017.11.29 is not supported. "
          "We recommend using DynamoDB global tables version 2019.11.21, instead of version 2017.11.29 (Legacy).")

with Server() as s:
    ddb = s.client("dynamodb")
    conn = RawConn(s.port)
    arn = ddb.create_table(TableName="abs", BillingMode="PAY_PER_REQUEST", KeySchema=[key("p", "HASH")],
                           AttributeDefinitions=[attr("p", "S")],
                           StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
                           )["TableDescription"]["TableArn"]

    def body(r):
        r.pop("ResponseMetadata", None)
        return r

    # ---- global tables (version 2017.11.29) ----
    t.refuses(lambda: ddb.create_global_table(GlobalTableName="abs", ReplicationGroup=[{"RegionName": "us-east-1"}]),
              "ValidationException", LEGACY, "CreateGlobalTable of a table ready for it")
    t.eq(body(ddb.list_global_tables()), {"GlobalTables": []}, "ListGlobalTables")
    t.eq(body(ddb.list_global_tables(RegionName="us-east-1", Limit=1, ExclusiveStartGlobalTableName="abs")),
         {"GlobalTables": []}, "ListGlobalTables with a region, a limit and a start")
    t.eq(raw(conn, "ListGlobalTables", {"Limit": 0}),
         (400, "ValidationException", "1 validation error detected: Value '0' at 'limit' "
          "failed to satisfy constraint: Member must have value greater than or equal to 1"), "Limit 0")
    for name in ("abs", "missing"):
        t.refuses(lambda: ddb.describe_global_table(GlobalTableName=name), "GlobalTableNotFoundException",
                  "Global table not found: Global table with name: '%s' does not exist." % name, "DescribeGlobalTable " + name)
        t.refuses(lambda: ddb.describe_global_table_settings(GlobalTableName=name), "GlobalTableNotFoundException",
                  "Global table with name: '%s' does not exist." % name, "DescribeGlobalTableSettings " + name)
        t.refuses(lambda: ddb.update_global_table_settings(GlobalTableName=name, GlobalTableBillingMode="PAY_PER_REQUEST"),
                  "GlobalTableNotFoundException", "Global table with name: '%s' does not exist." % name,
                  "UpdateGlobalTableSettings " + name)
        t.refuses(lambda: ddb.update_global_table(GlobalTableName=name, ReplicaUpdates=[{"Create": {"RegionName": "us-west-2"}}]),
                  "ValidationException", LEGACY, "UpdateGlobalTable adding a replica to " + name)
        t.refuses(lambda: ddb.update_global_table(GlobalTableName=name, ReplicaUpdates=[{"Delete": {"RegionName": "us-west-2"}}]),
                  "GlobalTableNotFoundException",
                  "Global table not found: Global table with name: '%s' does not exist." % name,
                  "UpdateGlobalTable deleting a replica of " + name)
    t.refuses(lambda: ddb.update_global_table(GlobalTableName="abs", ReplicaUpdates=[]), "ValidationException",
              "One or more parameter values were invalid", "UpdateGlobalTable with no updates")
    e = t.raises(lambda: ddb.describe_global_table(GlobalTableName="abs"), "GlobalTableNotFoundException")
    t.eq(e.response["ResponseMetadata"]["HTTPStatusCode"] if e else None, 400, "GlobalTableNotFoundException is a 400")

    # ---- replica auto scaling: only a global table has it ----
    for name in ("abs", arn, "missing"):
        t.refuses(lambda: ddb.describe_table_replica_auto_scaling(TableName=name), "ResourceNotFoundException",
                  "Global table with name: '%s' does not exist." % name, "DescribeTableReplicaAutoScaling " + name)
        t.refuses(lambda: ddb.update_table_replica_auto_scaling(
            TableName=name, ProvisionedWriteCapacityAutoScalingUpdate={"MinimumUnits": 1, "MaximumUnits": 10}),
            "ResourceNotFoundException", "Global table with name: '%s' does not exist." % name,
            "UpdateTableReplicaAutoScaling " + name)

    # ---- exports and imports ----
    t.eq(body(ddb.list_exports()), {"ExportSummaries": []}, "ListExports")
    t.eq(body(ddb.list_exports(TableArn=arn, MaxResults=25)), {"ExportSummaries": []}, "ListExports of a table")
    t.eq(raw(conn, "ListExports", {"MaxResults": 26})[::2], (400, "1 validation error detected: Value '26' at 'maxResults' "
                                                              "failed to satisfy constraint: Member must have value less "
                                                              "than or equal to 25"), "ListExports MaxResults 26")
    t.refuses(lambda: ddb.describe_export(ExportArn=EXPORT_ARN), "ExportNotFoundException", "Export not found: " + EXPORT_ARN,
              "DescribeExport")
    t.eq(body(ddb.list_imports()), {"ImportSummaryList": []}, "ListImports")
    t.eq(body(ddb.list_imports(TableArn=arn, PageSize=1)), {"ImportSummaryList": []}, "ListImports of a table")
    t.refuses(lambda: ddb.describe_import(ImportArn=IMPORT_ARN), "ImportNotFoundException", "Import not found: " + IMPORT_ARN,
              "DescribeImport")
    # ARNs read as DynamoDB reads them (ScyllaDB's DescribeExport tests, written against DynamoDB)
    bad = "arn:aws:dynamodb:us-east-1:000000000000:table/nonexistent_table_xyz"
    for arn_given, code, want, what in [
            (bad, "ValidationException", "Invalid Export ARN", "a table's ARN"),
            (bad.replace("arn:", "qwerty:", 1), "ValidationException", "Invalid Export ARN", "no ARN"),
            (bad.replace("arn:aws:", "arn:qwerty:"), "AccessDeniedException", "Access is denied", "another partition"),
            (bad.replace(":dynamodb:", ":qwerty:"), "AccessDeniedException", "Access is denied", "another service"),
            (bad.replace(":us-east-1:", ":qwerty:"), "AccessDeniedException", "Access is denied", "no such region"),
            (bad.replace(":000000000000:", ":qwerty:"), "AccessDeniedException", "Access is denied", "another account")]:
        t.refuses(lambda: ddb.describe_export(ExportArn=arn_given), code, want, "DescribeExport of " + what)
    t.refuses(lambda: ddb.describe_import(ImportArn=bad), "ValidationException", "Invalid Import ARN",
              "DescribeImport of a table's ARN")

    # ---- Kinesis streaming destinations ----
    want = {"TableName": "abs", "KinesisDataStreamDestinations": []}
    t.eq(body(ddb.describe_kinesis_streaming_destination(TableName="abs")), want, "DescribeKinesisStreamingDestination")
    t.eq(body(ddb.describe_kinesis_streaming_destination(TableName=arn)), want, "DescribeKinesisStreamingDestination by ARN")
    t.refuses(lambda: ddb.describe_kinesis_streaming_destination(TableName="missing"), "ResourceNotFoundException",
              "Requested resource not found: Table: missing not found", "DescribeKinesisStreamingDestination, no table")

    # ---- what would start an export, an import or a destination stays unknown ----
    for op, doc in (("ExportTableToPointInTime", {"TableArn": arn, "S3Bucket": "b"}),
                    ("EnableKinesisStreamingDestination",
                     {"TableName": "abs", "StreamArn": "arn:aws:kinesis:us-east-1:000000000000:stream/s"})):
        st, ty, _ = raw(conn, op, doc)
        t.eq((st, ty), (400, "UnknownOperationException"), op + " is unknown")
    t.eq(ddb.describe_table(TableName="abs")["Table"]["TableStatus"], "ACTIVE", "still serving")

t.done()
