"""test_ddb_backups_boto3.py - DynamoDB on-demand backups through boto3: CreateBackup copies a table's items and
definition at the call (AVAILABLE at once here), DescribeBackup and ListBackups report it, the backup outlives
DeleteTable and a restart, RestoreTableFromBackup checks its overrides as CreateTable checks a table (billing,
throughput, index key schemas) and makes a new ACTIVE table holding the copy (with its GSI and a
BillingModeOverride) and a RestoreSummary, and DeleteBackup removes it (BackupNotFoundException afterwards)."""
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
    t.eq(bool(re.fullmatch(r"arn:aws:dynamodb:us-east-1:\d{12}:table/src/backup/\d{13}-[0-9a-f]{8}", arn)), True, "backup ARN")
    t.eq((d["BackupName"], d["BackupStatus"], d["BackupType"]), ("bk1", "AVAILABLE", "USER"), "backup details")
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
    for kwargs, msg, what in [
            ({"BillingModeOverride": "PROVISIONED"},
             invalid + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
             "PROVISIONED override without throughput"),
            ({"BillingModeOverride": "PROVISIONED", "ProvisionedThroughputOverride": pt},
             invalid + "ProvisionedThroughput is not specified for index: byg", "GSI kept without throughput"),
            ({"ProvisionedThroughputOverride": pt},
             invalid + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
             "throughput for an on-demand restore"),
            ({"GlobalSecondaryIndexOverride": [dict(gsi, KeySchema=[key("nope", "HASH")])]},
             invalid + "Some index key attributes are not defined in AttributeDefinitions. Keys: [nope], "
             "AttributeDefinitions: [pk, g]", "override keyed on an undefined attribute"),
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
t.done()
