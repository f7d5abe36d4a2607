"""test_ddb_backups_boto3.py - DynamoDB on-demand backups through boto3: CreateBackup copies a table's items and
definition at the call (AVAILABLE at once here), DescribeBackup and ListBackups report it, the backup outlives
DeleteTable and a restart, RestoreTableFromBackup checks its overrides in its own words (billing, throughput, index
overrides that may rename a source index but not change it) and makes a new ACTIVE table holding the copy (with its
GSI and a BillingModeOverride), whose RestoreSummary only the restore's answer carries, and DeleteBackup removes it
(BackupNotFoundException afterwards). Backup ARNs are read as DynamoDB reads them (the region ignored by
Describe/DeleteBackup, a cross-region restore needing SSESpecificationOverride). RestoreTableToPointInTime checks the
request's shape, then needs recovery enabled on the source and a time in the restorable range, and gives the
items the source holds at the call (awsemu keeps no history). The texts are DynamoDB's of October 2026, as the
ack-api-quirks lab recorded them (DDB-TABLE-100/215/216/272-274/279-281, DDB-BACKUP-012/014)."""
import datetime
import json
import re

from harness import DDB_SCOPE, Checks, RawConn, Server, attr, key

t = Checks()
with Server() as s:
    ddb = s.client("dynamodb")
    ddb.create_table(TableName="src", BillingMode="PAY_PER_REQUEST", KeySchema=[key("pk", "HASH")],
                     AttributeDefinitions=[attr("pk", "S"), attr("g", "S")],
                     GlobalSecondaryIndexes=[{"IndexName": "byg", "KeySchema": [key("g", "HASH")],
                                              "Projection": {"ProjectionType": "ALL"}}])
    for i in range(3):
        ddb.put_item(TableName="src", Item={"pk": {"S": "k%d" % i}, "g": {"S": "x"}})
    d = ddb.create_backup(TableName="src", BackupName="bk1")["BackupDetails"]
    arn = d["BackupArn"]
    t.eq(bool(re.fullmatch(r"arn:aws:dynamodb:us-east-1:\d{12}:table/src/backup/0\d{13}-[0-9a-f]{8}", arn)), True, "backup ARN")
    t.eq((d["BackupName"], d["BackupStatus"], d["BackupType"]), ("bk1", "CREATING", "USER"),
         "backup details: CREATING in CreateBackup's answer (the ack-api-quirks lab's DDB-BACKUP-003)")
    t.eq(ddb.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupStatus"], "AVAILABLE",
         "AVAILABLE from DescribeBackup on")
    ddb.put_item(TableName="src", Item={"pk": {"S": "later"}, "g": {"S": "x"}})
    t.refuses(lambda: ddb.create_backup(TableName="nope", BackupName="bkx"), "TableNotFoundException",
              "Table not found: nope", "backup of a missing table")
    ddb.delete_table(TableName="src")
    s.restart()
    ddb = s.client("dynamodb")
    desc = ddb.describe_backup(BackupArn=arn)["BackupDescription"]
    t.eq(desc["SourceTableDetails"]["ItemCount"], 3, "item count at the backup")
    t.eq(desc["SourceTableDetails"]["BillingMode"], "PAY_PER_REQUEST", "billing mode")
    t.eq([b["BackupArn"] for b in ddb.list_backups(TableName="src")["BackupSummaries"]], [arn], "listed after restart")
    pt = {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}
    gsi = {"IndexName": "byg", "KeySchema": [key("g", "HASH")], "Projection": {"ProjectionType": "ALL"}}
    # the overrides in restore's own words (DynamoDB, October 2026: the ack-api-quirks lab's DDB-TABLE-273/280)
    ir = "Invalid Request: "
    nomatch = " does not match a secondary index that existed in the source table and cannot be created during the " \
              "restore operation"
    for kwargs, msg, what in [
            ({"BillingModeOverride": "PROVISIONED"},
             ir + "Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED",
             "PROVISIONED override without throughput"),
            ({"BillingModeOverride": "PROVISIONED", "ProvisionedThroughputOverride": pt},
             ir + "Must specify provisioned throughput for index byg", "GSI kept without throughput"),
            ({"ProvisionedThroughputOverride": pt},
             ir + "Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED",
             "throughput for an on-demand restore"),
            ({"BillingModeOverride": "PAY_PER_REQUEST", "GlobalSecondaryIndexOverride": [dict(gsi, ProvisionedThroughput=pt)]},
             ir + "Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST for index byg",
             "GSI throughput for an on-demand restore"),
            ({"BillingModeOverride": "PROVISIONED", "ProvisionedThroughputOverride": pt, "GlobalSecondaryIndexOverride": [],
              "OnDemandThroughputOverride": {"MaxReadRequestUnits": 5}},
             ir + "Cannot override MaxReadRequestUnits for OnDemandThroughput unless BillingModeOverride is PAY_PER_REQUEST",
             "on-demand maxima for a provisioned restore"),
            ({"OnDemandThroughputOverride": {"MaxReadRequestUnits": 0, "MaxWriteRequestUnits": 0}},
             ir + "Requested MaxReadRequestUnits for OnDemandThroughput is outside of valid range", "maxima of 0"),
            ({"GlobalSecondaryIndexOverride": [dict(gsi, KeySchema=[key("pk", "HASH")])]},
             ir + "Index byg" + nomatch, "an override keyed otherwise than the source's index"),
            ({"GlobalSecondaryIndexOverride": [dict(gsi, Projection={"ProjectionType": "KEYS_ONLY"})]},
             ir + "Index byg" + nomatch, "an override projecting otherwise"),
            ({"GlobalSecondaryIndexOverride": [gsi, dict(gsi, IndexName="byg2")]},
             ir + "Index byg2" + nomatch, "one source index overridden twice"),
            ({"LocalSecondaryIndexOverride": [{"IndexName": "lsi1", "KeySchema": [key("pk", "HASH"), key("g", "RANGE")],
                                                "Projection": {"ProjectionType": "ALL"}}]},
             ir + "Index lsi1" + nomatch, "an LSI the source did not have")]:
        t.refuses(lambda: ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=arn, **kwargs),
                  "ValidationException", msg, what)
    # BackupArn as DynamoDB reads it (DDB-BACKUP-012, DDB-TABLE-273/274)
    other = arn.replace(":us-east-1:", ":eu-west-1:")
    for bad, code, msg, what in [
            ("arn:aws:dynamodb:us-east-1:000000000000:table/src", "ValidationException", "Invalid Backup ARN", "a table's ARN"),
            ("x" * 48, "ValidationException", "Invalid Backup ARN", "no ARN"),
            (arn.replace(":us-east-1:", ":xx-fake-1:"), "ValidationException", "Invalid Request: BackupArn is not valid",
             "a region AWS has not"),
            (arn.replace("arn:aws:", "arn:aws-cn:"), "ValidationException", "Invalid Request: BackupArn is not valid",
             "another partition"),
            (arn.replace(":000000000000:", ":111111111111:"), "AccessDeniedException", "Access is denied", "another account"),
            (arn.replace(":us-east-1:", "::"), "AccessDeniedException", "Access is denied", "no region")]:
        t.refuses(lambda: ddb.describe_backup(BackupArn=bad), code, msg, "DescribeBackup of " + what)
        t.refuses(lambda: ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=bad), code, msg,
                  "restore from " + what)
    t.eq(ddb.describe_backup(BackupArn=other)["BackupDescription"]["BackupDetails"]["BackupArn"], other,
         "DescribeBackup ignores the ARN's region and answers with the ARN as given")
    t.refuses(lambda: ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=other), "ValidationException",
              "Invalid Request: sseSpecificationOverride must be provided for cross-region restores",
              "a restore from another region's backup without SSESpecificationOverride")
    t.refuses(lambda: ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=other,
                                                    SSESpecificationOverride={"Enabled": False}),
              "BackupNotFoundException", "Backup not found: " + other, "a cross-region restore looks in the ARN's region")
    t.eq(ddb.list_tables()["TableNames"], [], "no table left by the refused restores")
    r = ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=arn, BillingModeOverride="PROVISIONED",
                                      ProvisionedThroughputOverride=pt,
                                      GlobalSecondaryIndexOverride=[dict(gsi, ProvisionedThroughput=pt)])
    td = r["TableDescription"]
    t.eq((td["TableStatus"], td["RestoreSummary"]["SourceBackupArn"], td["RestoreSummary"]["RestoreInProgress"]),
         ("ACTIVE", arn, True), "restored table: the restore is in progress, as DynamoDB's reply says")
    t.eq("RestoreSummary" in ddb.describe_table(TableName="dst")["Table"], False,
         "DescribeTable has no RestoreSummary once the table is ACTIVE (DDB-TABLE-216)")
    t.eq(td["RestoreSummary"]["RestoreDateTime"], desc["BackupDetails"]["BackupCreationDateTime"],
         "RestoreDateTime is the backup's time")
    t.eq(td["ProvisionedThroughput"]["ReadCapacityUnits"], 2, "throughput override")
    t.eq(td["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"], 3, "index throughput override")
    r = ddb.restore_table_from_backup(TargetTableName="dst2", BackupArn=arn, GlobalSecondaryIndexOverride=[])
    t.eq(("GlobalSecondaryIndexes" in r["TableDescription"], r["TableDescription"]["BillingModeSummary"]["BillingMode"]),
         (False, "PAY_PER_REQUEST"), "an empty override leaves the index out")
    r = ddb.restore_table_from_backup(TargetTableName="dst3", BackupArn=arn, GlobalSecondaryIndexOverride=[
        dict(gsi, IndexName="renamed")], OnDemandThroughputOverride={"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 20})
    td = ddb.describe_table(TableName="dst3")["Table"]
    t.eq(([i["IndexName"] for i in td["GlobalSecondaryIndexes"]], td["OnDemandThroughput"], "TableClassSummary" in td),
         (["renamed"], {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 20}, False),
         "an index override may rename the source's index; OnDemandThroughputOverride sets the maxima")
    t.eq(ddb.query(TableName="dst3", IndexName="renamed", KeyConditionExpression="g = :g",
                   ExpressionAttributeValues={":g": {"S": "x"}})["Count"], 3, "the renamed index holds the items")
    t.eq(sorted(i["pk"]["S"] for i in ddb.scan(TableName="dst")["Items"]), ["k0", "k1", "k2"], "items of the backup")
    t.eq(ddb.query(TableName="dst", IndexName="byg", KeyConditionExpression="g = :g",
                   ExpressionAttributeValues={":g": {"S": "x"}})["Count"], 3, "GSI rebuilt")
    t.refuses(lambda: ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=arn), "TableAlreadyExistsException",
              "Table already exists: dst", "restore over an existing table")
    # ListBackups: the time range is [lower, upper) to the millisecond; the cursor must be of the caller's region
    ms = round(desc["BackupDetails"]["BackupCreationDateTime"].timestamp() * 1000)
    conn = RawConn(s.port)
    for lower, upper, n, what in [(ms, ms + 1, 1, "[created, created + 1 ms)"), (ms + 1, ms + 2, 0, "from 1 ms after"),
                                  (ms - 1, ms, 0, "up to its time")]:
        st, _, body = conn.send("POST", "/", json.dumps({"TimeRangeLowerBound": lower / 1000,
                                                         "TimeRangeUpperBound": upper / 1000}).encode(),
                                {"X-Amz-Target": "DynamoDB_20120810.ListBackups", "Authorization": DDB_SCOPE,
                                 "Content-Type": "application/x-amz-json-1.0"})
        t.eq((st, len(json.loads(body)["BackupSummaries"])), (200, n), "ListBackups " + what)
    t.refuses(lambda: ddb.list_backups(TimeRangeLowerBound=datetime.datetime(2026, 2, 1),
                                       TimeRangeUpperBound=datetime.datetime(2026, 1, 1)), "ValidationException",
              "One or more parameter values were invalid: Time range lower bound must be less than or equal to upper bound",
              "an inverted time range")
    t.refuses(lambda: ddb.list_backups(ExclusiveStartBackupArn=other), "ValidationException",
              "Invalid Request: The supplied ExclusiveStartBackupArn does not match the region", "a cursor of another region")
    # a cross-region restore: a backup made in eu-west-1, restored from us-east-1
    eu = s.client("dynamodb", region_name="eu-west-1")
    eu.create_table(TableName="eusrc", BillingMode="PAY_PER_REQUEST", KeySchema=[key("pk", "HASH")],
                    AttributeDefinitions=[attr("pk", "S")])
    eu.put_item(TableName="eusrc", Item={"pk": {"S": "e"}})
    eu_arn = eu.create_backup(TableName="eusrc", BackupName="eubk")["BackupDetails"]["BackupArn"]
    td = ddb.restore_table_from_backup(TargetTableName="fromeu", BackupArn=eu_arn,
                                       SSESpecificationOverride={"Enabled": False})["TableDescription"]
    t.eq((td["TableArn"].split(":")[3], td["ItemCount"], td["RestoreSummary"]["SourceBackupArn"]), ("us-east-1", 1, eu_arn),
         "a cross-region restore makes the table in the caller's region")
    eu.update_continuous_backups(TableName="eusrc", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    td = ddb.restore_table_to_point_in_time(SourceTableArn=eu_arn.split("/backup/")[0], TargetTableName="fromeu2",
                                            UseLatestRestorableTime=True,
                                            SSESpecificationOverride={"Enabled": False})["TableDescription"]
    t.eq((td["TableArn"].split(":")[3], td["ItemCount"]), ("us-east-1", 1), "a cross-region point-in-time restore")
    t.eq(eu.list_tables()["TableNames"], ["eusrc"], "nothing made in the source's region")
    t.eq(ddb.delete_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupStatus"], "DELETED", "deleted")
    t.refuses(lambda: ddb.describe_backup(BackupArn=arn), "BackupNotFoundException", "Backup not found: " + arn,
              "deleted backup")
    t.eq(ddb.list_backups()["BackupSummaries"], [], "none left")

    # RestoreTableToPointInTime: awsemu keeps no history; any restorable time gives the items at the call.
    ddb.create_table(TableName="ptsrc", BillingMode="PAY_PER_REQUEST", KeySchema=[key("pk", "HASH")],
                     AttributeDefinitions=[attr("pk", "S"), attr("g", "S")],
                     GlobalSecondaryIndexes=[{"IndexName": "byg", "KeySchema": [key("g", "HASH")],
                                              "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    for i in range(2):
        ddb.put_item(TableName="ptsrc", Item={"pk": {"S": "p%d" % i}, "g": {"S": "y"}, "n": {"N": str(i)}})
    t.refuses(lambda: ddb.restore_table_to_point_in_time(SourceTableName="ptsrc", TargetTableName="ptdst2",
                                                         UseLatestRestorableTime=True),
              "PointInTimeRecoveryUnavailableException", "Point in time recovery is not enabled for table 'ptsrc'",
              "point-in-time restore without recovery enabled")
    # the request's shape first, whatever the source (DDB-TABLE-100/272)
    src = "arn:aws:dynamodb:us-east-1:000000000000:table/ptsrc"
    both = "Invalid Request: Both RestoreDateTime and UseLatestRestorableTime cannot be set for point-in-time restore " \
           "request. Please specify either RestoreDateTime time or UseLatestRestorableTime"
    either = "Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both"
    for kwargs, msg, what in [
            ({"SourceTableName": "ptsrc", "UseLatestRestorableTime": True, "RestoreDateTime": datetime.datetime(2026, 1, 1)},
             both, "both times"),
            ({"SourceTableName": "ptsrc"}, either, "no time"),
            ({"SourceTableName": "ptsrc", "UseLatestRestorableTime": False}, either, "UseLatestRestorableTime false"),
            ({"SourceTableName": "ptsrc", "SourceTableArn": src, "UseLatestRestorableTime": True},
             "Invalid Request: Must provide exactly one of: sourceTableArn, sourceTableName", "both sources"),
            ({"UseLatestRestorableTime": True}, "The parameter 'TableName' is required but was not present in the request",
             "no source"),
            ({"SourceTableArn": "ptsrc", "UseLatestRestorableTime": True},
             "One or more parameter values were invalid: ARNs must start with 'arn:': ptsrc", "a name as SourceTableArn"),
            ({"SourceTableArn": "arn:aws:s3:::bucket", "UseLatestRestorableTime": True}, "sourceTableArn is not a valid ARN",
             "another service's ARN"),
            ({"SourceTableArn": src.replace(":000000000000:", ":111111111111:"), "UseLatestRestorableTime": True},
             "This action is only supported by accounts that match the resource owner\u2019s account.", "another account"),
            ({"SourceTableArn": src.replace(":us-east-1:", ":eu-west-1:"), "UseLatestRestorableTime": True},
             "Invalid Request: sseSpecificationOverride must be provided for cross-region restores", "another region")]:
        t.refuses(lambda: ddb.restore_table_to_point_in_time(TargetTableName="ptdst2", **kwargs), "ValidationException",
                  msg, "point-in-time restore with " + what)
    t.refuses(lambda: ddb.restore_table_to_point_in_time(SourceTableName="nope", TargetTableName="ptdst2",
                                                         UseLatestRestorableTime=True),
              "TableNotFoundException", "Table not found: nope", "point-in-time restore of a missing table")
    t.refuses(lambda: ddb.restore_table_to_point_in_time(
        SourceTableArn="arn:aws:dynamodb:us-east-1:000000000000:table/nope", TargetTableName="ptdst2",
        UseLatestRestorableTime=True), "TableNotFoundException", "Table not found", "restore of a missing table by ARN")
    t.refuses(lambda: ddb.update_continuous_backups(TableName="ptsrc", PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": False, "RecoveryPeriodInDays": 7}), "ValidationException",
              "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.",
              "a recovery period with a disable (the ack-api-quirks lab's DDB-TABLE-084)")
    ddb.update_continuous_backups(TableName="ptsrc", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    since = ddb.describe_continuous_backups(TableName="ptsrc")["ContinuousBackupsDescription"][
        "PointInTimeRecoveryDescription"]["EarliestRestorableDateTime"].astimezone(datetime.timezone.utc)
    t.refuses(lambda: ddb.restore_table_to_point_in_time(SourceTableName="ptsrc", TargetTableName="ptdst2",
                                                         RestoreDateTime=datetime.datetime(2020, 1, 1)),
              "InvalidRestoreTimeException", "RestoreDateTime '2020-01-01T00:00:00Z' must be within "
              "EarliestRestorableDateTime '%s' and LatestRestorableDateTime '%s'" % ((since.strftime("%Y-%m-%dT%H:%M:%SZ"),) * 2),
              "restore time before recovery was enabled, quoting the range (DDB-TABLE-100)")
    t.refuses(lambda: ddb.restore_table_to_point_in_time(SourceTableName="ptsrc", TargetTableName="dst2",
                                                         UseLatestRestorableTime=True),
              "TableAlreadyExistsException", "Table already exists: dst2", "point-in-time restore over a table")
    src_arn = ddb.describe_table(TableName="ptsrc")["Table"]["TableArn"]
    td = ddb.restore_table_to_point_in_time(SourceTableArn=src_arn, TargetTableName="ptdst2",
                                            UseLatestRestorableTime=True)["TableDescription"]
    rs = td["RestoreSummary"]
    t.eq((td["TableStatus"], rs["SourceTableArn"], "SourceBackupArn" in rs, rs["RestoreInProgress"]),
         ("ACTIVE", src_arn, False, True), "point-in-time RestoreSummary")
    t.eq(sorted((i["pk"]["S"], i["n"]["N"]) for i in ddb.scan(TableName="ptdst2")["Items"]), [("p0", "0"), ("p1", "1")],
         "items at the call")
    t.eq(ddb.query(TableName="ptdst2", IndexName="byg", KeyConditionExpression="g = :g",
                   ExpressionAttributeValues={":g": {"S": "y"}})["Count"], 2, "index of the restored table")
    at = datetime.datetime.now(datetime.timezone.utc)
    td = ddb.restore_table_to_point_in_time(SourceTableName="ptsrc", TargetTableName="ptdst3", RestoreDateTime=at,
                                            BillingModeOverride="PROVISIONED",
                                            ProvisionedThroughputOverride={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                                            GlobalSecondaryIndexOverride=[])["TableDescription"]
    t.eq((abs(td["RestoreSummary"]["RestoreDateTime"].timestamp() - at.timestamp()) < 1, td["ItemCount"],
          "GlobalSecondaryIndexes" in td), (True, 2, False), "restore to a given time, with overrides")
    t.eq(ddb.describe_continuous_backups(TableName="ptdst3")["ContinuousBackupsDescription"]
         ["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "DISABLED", "recovery not restored")
t.done()
