"""test_ddb_backups_boto3.py - DynamoDB on-demand backups through boto3: CreateBackup copies a table's items and
definition at the call (AVAILABLE at once here), DescribeBackup and ListBackups report it, the backup outlives
DeleteTable and a restart, RestoreTableFromBackup checks its overrides as CreateTable checks a table (billing,
throughput, index key schemas) and makes a new ACTIVE table holding the copy (with its GSI and a
BillingModeOverride) and a RestoreSummary, and DeleteBackup removes it (BackupNotFoundException afterwards).
RestoreTableToPointInTime needs recovery enabled on the source and a time in the restorable range, and gives the
items the source holds at the call (awsemu keeps no history)."""
import datetime
import re

from harness import Checks, Server, attr, key

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
    invalid = "One or more parameter values were invalid: "
    # the throughput overrides in restore's own words (DynamoDB, October 2026: the ack-api-quirks lab's DDB-TABLE-273/280)
    for kwargs, msg, what in [
            ({"BillingModeOverride": "PROVISIONED"},
             "Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED",
             "PROVISIONED override without throughput"),
            ({"BillingModeOverride": "PROVISIONED", "ProvisionedThroughputOverride": pt},
             "Must specify provisioned throughput for index byg", "GSI kept without throughput"),
            ({"ProvisionedThroughputOverride": pt},
             "Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED",
             "throughput for an on-demand restore"),
            ({"GlobalSecondaryIndexOverride": [dict(gsi, KeySchema=[key("nope", "HASH")])]},
             invalid + "Some index key attributes are not defined in AttributeDefinitions. Keys: [nope], "
             "AttributeDefinitions: [g, pk]", "override keyed on an undefined attribute"),
            ({"LocalSecondaryIndexOverride": [{"IndexName": "lsi1", "KeySchema": [key("pk", "HASH"), key("g", "RANGE")],
                                                "Projection": {"ProjectionType": "ALL"}}]},
             invalid + "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
             "LSI override on a hash-only table")]:
        t.refuses(lambda: ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=arn, **kwargs),
                  "ValidationException", msg, what)
    t.eq(ddb.list_tables()["TableNames"], [], "no table left by the refused restores")
    r = ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=arn, BillingModeOverride="PROVISIONED",
                                      ProvisionedThroughputOverride=pt,
                                      GlobalSecondaryIndexOverride=[dict(gsi, ProvisionedThroughput=pt)])
    td = r["TableDescription"]
    t.eq((td["TableStatus"], td["RestoreSummary"]["SourceBackupArn"], td["RestoreSummary"]["RestoreInProgress"]),
         ("ACTIVE", arn, False), "restored table")
    t.eq(td["RestoreSummary"]["RestoreDateTime"], desc["BackupDetails"]["BackupCreationDateTime"],
         "RestoreDateTime is the backup's time")
    t.eq(td["ProvisionedThroughput"]["ReadCapacityUnits"], 2, "throughput override")
    t.eq(td["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"], 3, "index throughput override")
    r = ddb.restore_table_from_backup(TargetTableName="dst2", BackupArn=arn, GlobalSecondaryIndexOverride=[])
    t.eq(("GlobalSecondaryIndexes" in r["TableDescription"], r["TableDescription"]["BillingModeSummary"]["BillingMode"]),
         (False, "PAY_PER_REQUEST"), "an empty override leaves the index out")
    t.eq(sorted(i["pk"]["S"] for i in ddb.scan(TableName="dst")["Items"]), ["k0", "k1", "k2"], "items of the backup")
    t.eq(ddb.query(TableName="dst", IndexName="byg", KeyConditionExpression="g = :g",
                   ExpressionAttributeValues={":g": {"S": "x"}})["Count"], 3, "GSI rebuilt")
    t.refuses(lambda: ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=arn), "TableAlreadyExistsException",
              "Table already exists: dst", "restore over an existing table")
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
    t.refuses(lambda: ddb.restore_table_to_point_in_time(SourceTableName="ptsrc", TargetTableName="ptdst2",
                                                         RestoreDateTime=datetime.datetime(2020, 1, 1)),
              "InvalidRestoreTimeException", "Invalid restore time specified. RestoreDateTime must be between "
              "EarliestRestorableDateTime and LatestRestorableDateTime.", "restore time before recovery was enabled")
    t.refuses(lambda: ddb.restore_table_to_point_in_time(SourceTableName="ptsrc", TargetTableName="dst2",
                                                         UseLatestRestorableTime=True),
              "TableAlreadyExistsException", "Table already exists: dst2", "point-in-time restore over a table")
    src_arn = ddb.describe_table(TableName="ptsrc")["Table"]["TableArn"]
    td = ddb.restore_table_to_point_in_time(SourceTableArn=src_arn, TargetTableName="ptdst2",
                                            UseLatestRestorableTime=True)["TableDescription"]
    rs = td["RestoreSummary"]
    t.eq((td["TableStatus"], rs["SourceTableArn"], "SourceBackupArn" in rs, rs["RestoreInProgress"]),
         ("ACTIVE", src_arn, False, False), "point-in-time RestoreSummary")
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
