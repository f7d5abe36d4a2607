"""test_ddb_backups_boto3.py - DynamoDB on-demand backups through boto3: CreateBackup copies a table's items and
definition at the call (AVAILABLE at once here), DescribeBackup and ListBackups report it, the backup outlives
DeleteTable and a restart, RestoreTableFromBackup makes a new ACTIVE table holding the copy (with its GSI and a
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
    r = ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=arn, BillingModeOverride="PROVISIONED",
                                      ProvisionedThroughputOverride={"ReadCapacityUnits": 2, "WriteCapacityUnits": 3})
    td = r["TableDescription"]
    t.eq((td["TableStatus"], td["RestoreSummary"]["SourceBackupArn"], td["RestoreSummary"]["RestoreInProgress"]),
         ("ACTIVE", arn, False), "restored table")
    t.eq(td["ProvisionedThroughput"]["ReadCapacityUnits"], 2, "throughput override")
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
