"""test_ddb_absent_boto3.py - the list and describe operations of resources awsemu never creates, through
boto3: ListGlobalTables, ListExports and ListImports answer empty lists (with RegionName, TableArn and their
page sizes accepted, and the page sizes' bounds refused as DynamoDB refuses them); DescribeGlobalTable and
DescribeGlobalTableSettings raise GlobalTableNotFoundException, DescribeExport ExportNotFoundException,
DescribeImport ImportNotFoundException; DescribeTableReplicaAutoScaling and DescribeKinesisStreamingDestination
describe a table (by name or ARN) with no replicas and no destinations, and raise ResourceNotFoundException for a
missing one; the operations that would create such a resource stay unknown (UnknownOperationException), and the
server keeps serving."""
from harness import Checks, RawConn, Server, attr, ddb_raw as raw, key

t = Checks()
EXPORT_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/abs/export/01700000000000-0a1b2c3d"
IMPORT_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/abs/import/01700000000000-0a1b2c3d"


with Server() as s:
    ddb = s.client("dynamodb")
    conn = RawConn(s.port)
    arn = ddb.create_table(TableName="abs", BillingMode="PAY_PER_REQUEST", KeySchema=[key("p", "HASH")],
                           AttributeDefinitions=[attr("p", "S")])["TableDescription"]["TableArn"]

    def body(r):
        r.pop("ResponseMetadata", None)
        return r

    # ---- global tables (version 2017.11.29) ----
    t.eq(body(ddb.list_global_tables()), {"GlobalTables": []}, "ListGlobalTables")
    t.eq(body(ddb.list_global_tables(RegionName="us-east-1", Limit=5, ExclusiveStartGlobalTableName="abs")),
         {"GlobalTables": []}, "ListGlobalTables with a region, a limit and a start")
    t.eq(raw(conn, "ListGlobalTables", {"Limit": 0}),
         (400, "ValidationException", "1 validation error detected: Value '0' at 'limit' "
          "failed to satisfy constraint: Member must have value greater than or equal to 1"), "Limit 0")
    gone = "Global table not found: Global table with name: 'abs' does not exist."
    t.refuses(lambda: ddb.describe_global_table(GlobalTableName="abs"), "GlobalTableNotFoundException", gone,
              "DescribeGlobalTable of a table that is not global")
    t.refuses(lambda: ddb.describe_global_table_settings(GlobalTableName="abs"), "GlobalTableNotFoundException", gone,
              "DescribeGlobalTableSettings")
    e = t.raises(lambda: ddb.describe_global_table(GlobalTableName="abs"), "GlobalTableNotFoundException")
    t.eq(e.response["ResponseMetadata"]["HTTPStatusCode"] if e else None, 400, "GlobalTableNotFoundException is a 400")

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

    # ---- replica auto scaling ----
    want = {"TableAutoScalingDescription": {"TableName": "abs", "TableStatus": "ACTIVE", "Replicas": []}}
    t.eq(body(ddb.describe_table_replica_auto_scaling(TableName="abs")), want, "DescribeTableReplicaAutoScaling")
    t.eq(body(ddb.describe_table_replica_auto_scaling(TableName=arn)), want, "DescribeTableReplicaAutoScaling by ARN")
    t.refuses(lambda: ddb.describe_table_replica_auto_scaling(TableName="missing"), "ResourceNotFoundException",
              "Requested resource not found: Table: missing not found", "DescribeTableReplicaAutoScaling, no table")

    # ---- Kinesis streaming destinations ----
    want = {"TableName": "abs", "KinesisDataStreamDestinations": []}
    t.eq(body(ddb.describe_kinesis_streaming_destination(TableName="abs")), want, "DescribeKinesisStreamingDestination")
    t.eq(body(ddb.describe_kinesis_streaming_destination(TableName=arn)), want, "DescribeKinesisStreamingDestination by ARN")
    t.refuses(lambda: ddb.describe_kinesis_streaming_destination(TableName="missing"), "ResourceNotFoundException",
              "Requested resource not found: Table: missing not found", "DescribeKinesisStreamingDestination, no table")
    st, ty, _ = raw(conn, "EnableKinesisStreamingDestination",
                    {"TableName": "abs", "StreamArn": "arn:aws:kinesis:us-east-1:000000000000:stream/s"})
    t.eq((st, ty), (400, "UnknownOperationException"), "EnableKinesisStreamingDestination is unknown")

    # ---- what would create one stays unknown ----
    for op, doc in (("CreateGlobalTable", {"GlobalTableName": "abs", "ReplicationGroup": [{"RegionName": "us-east-1"}]}),
                    ("ExportTableToPointInTime", {"TableArn": arn, "S3Bucket": "b"})):
        st, ty, _ = raw(conn, op, doc)
        t.eq((st, ty), (400, "UnknownOperationException"), op + " is unknown")
    t.eq(ddb.describe_table(TableName="abs")["Table"]["TableStatus"], "ACTIVE", "still serving")

t.done()
