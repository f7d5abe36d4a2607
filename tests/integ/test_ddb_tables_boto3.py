"""DynamoDB control plane with boto3: tables, indexes, waiters, tags, TTL settings, backups, errors."""
import time

from harness import Checks, Server, attr, key, msg

check = Checks()


with Server() as s:
    d = s.client("dynamodb")

    # --- CreateTable validation, in DynamoDB's words ---
    # the current model marks both optional, so boto3 sends the request; a missing KeySchema crashed the server
    e = check.raises(lambda: d.create_table(TableName="bad0", AttributeDefinitions=[attr("pk", "S")], BillingMode="PAY_PER_REQUEST"),
                     "ValidationException", "CreateTable without KeySchema")
    check.eq(msg(e), "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
             "no KeySchema message")
    e = check.raises(lambda: d.create_table(TableName="bad0", BillingMode="PAY_PER_REQUEST"), "ValidationException",
                     "CreateTable without KeySchema or AttributeDefinitions")
    check.eq(msg(e), "2 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must "
             "not be null; Value null at 'keySchema' failed to satisfy constraint: Member must not be null", "neither message")
    e = check.raises(lambda: d.create_table(TableName="bad1", KeySchema=[key("pk", "HASH")],
                                            AttributeDefinitions=[attr("pk", "S"), attr("x", "S")],
                                            BillingMode="PAY_PER_REQUEST"), "ValidationException", "extra attribute")
    check.eq(msg(e), "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match "
             "number of attributes defined in AttributeDefinitions", "extra attribute message")
    e = check.raises(lambda: d.create_table(TableName="bad2", KeySchema=[key("pk", "HASH")],
                                            AttributeDefinitions=[attr("id", "S")], BillingMode="PAY_PER_REQUEST"),
                     "ValidationException", "undefined key")
    check.eq(msg(e), "One or more parameter values were invalid: Some index key attributes are not defined in "
             "AttributeDefinitions. Keys: [pk], AttributeDefinitions: [id]", "undefined key message")
    e = check.raises(lambda: d.create_table(TableName="bad3", KeySchema=[key("pk", "RANGE")],
                                            AttributeDefinitions=[attr("pk", "S")], BillingMode="PAY_PER_REQUEST"),
                     "ValidationException", "first not hash")
    check.eq(msg(e), "Invalid KeySchema: The first KeySchemaElement is not a HASH key type", "first not hash message")
    e = check.raises(lambda: d.create_table(TableName="bad4", KeySchema=[key("pk", "HASH")],
                                            AttributeDefinitions=[attr("pk", "S")]), "ValidationException", "no throughput")
    check.eq(msg(e), "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
             "specified when BillingMode is PROVISIONED", "no throughput message")
    e = check.raises(lambda: d.create_table(TableName="bad5", KeySchema=[key("pk", "HASH")],
                                            AttributeDefinitions=[attr("pk", "S")], BillingMode="PAY_PER_REQUEST",
                                            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}),
                     "ValidationException", "ppr with throughput")
    check.eq(msg(e), "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
             "specified when BillingMode is PAY_PER_REQUEST", "ppr with throughput message")
    e = check.raises(lambda: d.create_table(TableName="bad6", KeySchema=[key("pk", "HASH")],
                                            AttributeDefinitions=[attr("pk", "S"), attr("l", "S")],
                                            LocalSecondaryIndexes=[{"IndexName": "lsi", "KeySchema": [key("pk", "HASH"), key("l", "RANGE")],
                                                                    "Projection": {"ProjectionType": "ALL"}}],
                                            BillingMode="PAY_PER_REQUEST"), "ValidationException", "lsi without range")
    check.eq(msg(e), "One or more parameter values were invalid: Table KeySchema does not have a range key, which is "
             "required when specifying a LocalSecondaryIndex", "lsi without range message")

    e = check.raises(lambda: d.create_table(TableName="bad7", KeySchema=[key("pk", "HASH")],
                                            AttributeDefinitions=[attr("pk", "S"), attr("pk", "S")], BillingMode="PAY_PER_REQUEST"),
                     "ValidationException", "duplicate attribute")
    check.eq(msg(e), "Attribute Name is duplicated: pk", "duplicate attribute message")
    e = check.raises(lambda: d.create_table(TableName="bad8", KeySchema=[key("pk", "HASH")],
                                            AttributeDefinitions=[attr("pk", "S"), attr("g", "S")], BillingMode="PAY_PER_REQUEST",
                                            GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [key("g", "HASH")],
                                                                     "Projection": {"ProjectionType": "INCLUDE"}}]),
                     "ValidationException", "include without attributes")
    check.eq(msg(e), "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
             "include without attributes message")
    e = check.raises(lambda: d.create_table(TableName="bad9", KeySchema=[key("pk", "HASH")], AttributeDefinitions=[attr("pk", "S")],
                                            BillingMode="PAY_PER_REQUEST", StreamSpecification={"StreamEnabled": True}),
                     "ValidationException", "stream without view type")
    check.eq(msg(e), "One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType "
             "is required", "stream without view type message")

    # --- a full table ---
    r = d.create_table(
        TableName="Music",
        KeySchema=[key("Artist", "HASH"), key("Song", "RANGE")],
        AttributeDefinitions=[attr("Artist", "S"), attr("Song", "S"), attr("Year", "N"), attr("Genre", "S")],
        LocalSecondaryIndexes=[{"IndexName": "ByYear", "KeySchema": [key("Artist", "HASH"), key("Year", "RANGE")],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        GlobalSecondaryIndexes=[{"IndexName": "ByGenre", "KeySchema": [key("Genre", "HASH"), key("Year", "RANGE")],
                                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Album"]},
                                 "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6},
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        SSESpecification={"Enabled": True, "SSEType": "KMS"},
        TableClass="STANDARD_INFREQUENT_ACCESS",
        Tags=[{"Key": "team", "Value": "core"}],
    )["TableDescription"]
    check.eq(r["TableStatus"], "ACTIVE", "created active")
    check.eq(r["TableArn"], "arn:aws:dynamodb:us-east-1:000000000000:table/Music", "table arn")
    check.eq(len(r["TableId"]), 36, "table id uuid")
    check.eq(r["ProvisionedThroughput"]["ReadCapacityUnits"], 5, "rcu")
    check.eq(r["ProvisionedThroughput"]["NumberOfDecreasesToday"], 0, "decreases")
    check.eq(r["GlobalSecondaryIndexes"][0]["IndexStatus"], "ACTIVE", "gsi status")
    check.eq(r["GlobalSecondaryIndexes"][0]["Projection"], {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Album"]},
             "gsi projection")
    check.eq(r["GlobalSecondaryIndexes"][0]["IndexArn"], r["TableArn"] + "/index/ByGenre", "index arn")
    check.eq(r["LocalSecondaryIndexes"][0]["IndexName"], "ByYear", "lsi")
    check.eq(r["StreamSpecification"], {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}, "stream spec")
    check.true(r["LatestStreamArn"].startswith(r["TableArn"] + "/stream/"), "stream arn")
    check.eq(r["SSEDescription"]["SSEType"], "KMS", "sse")
    check.eq(r["TableClassSummary"]["TableClass"], "STANDARD_INFREQUENT_ACCESS", "table class")
    d.get_waiter("table_exists").wait(TableName="Music", WaiterConfig={"Delay": 1, "MaxAttempts": 3})
    e = check.raises(lambda: d.create_table(TableName="Music", KeySchema=[key("pk", "HASH")],
                                            AttributeDefinitions=[attr("pk", "S")], BillingMode="PAY_PER_REQUEST"),
                     "ResourceInUseException", "exists")
    check.eq(msg(e), "Table already exists: Music", "exists message")
    e = check.raises(lambda: d.describe_table(TableName="Nope"), "ResourceNotFoundException", "describe missing")
    check.eq(msg(e), "Requested resource not found: Table: Nope not found", "describe missing message")
    check.eq(d.describe_table(TableName=r["TableArn"])["Table"]["TableName"], "Music", "describe by arn")

    # --- ListTables pagination ---
    for n in ("Alpha", "Beta", "Gamma"):
        d.create_table(TableName=n, KeySchema=[key("pk", "HASH")], AttributeDefinitions=[attr("pk", "S")],
                       BillingMode="PAY_PER_REQUEST")
    p1 = d.list_tables(Limit=2)
    check.eq(p1["TableNames"], ["Alpha", "Beta"], "list page 1")
    check.eq(p1["LastEvaluatedTableName"], "Beta", "list last evaluated")
    p2 = d.list_tables(ExclusiveStartTableName="Beta", Limit=5)
    check.eq(p2["TableNames"], ["Gamma", "Music"], "list page 2")
    check.true("LastEvaluatedTableName" not in p2, "list end")
    names = [n for page in d.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 1}) for n in page["TableNames"]]
    check.eq(names, ["Alpha", "Beta", "Gamma", "Music"], "paginator")
    d.create_table(TableName="Zeta", KeySchema=[key("pk", "HASH")], AttributeDefinitions=[attr("pk", "S")],
                   BillingMode="PAY_PER_REQUEST")
    check.eq(d.list_tables(ExclusiveStartTableName="Gamma")["TableNames"], ["Music", "Zeta"], "a new table is listed at once")
    d.delete_table(TableName="Zeta")
    check.eq(d.list_tables()["TableNames"], ["Alpha", "Beta", "Gamma", "Music"], "a deleted table is gone at once")

    # --- other regions and accounts are separate ---
    west = s.client("dynamodb", region_name="us-west-2")
    check.eq(west.list_tables()["TableNames"], [], "region isolation")

    # --- UpdateTable ---
    e = check.raises(lambda: d.update_table(TableName="Music"), "ValidationException", "update nothing")
    check.true(msg(e).startswith("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "), "update nothing message")
    e = check.raises(lambda: d.update_table(TableName="Alpha", StreamSpecification={"StreamEnabled": False}),
                     "ValidationException", "no stream to disable")
    check.eq(msg(e), "Table has no stream to disable: TableName: Alpha", "no stream to disable message")
    u = d.update_table(TableName="Music", ProvisionedThroughput={"ReadCapacityUnits": 4, "WriteCapacityUnits": 6})["TableDescription"]
    check.eq(u["ProvisionedThroughput"]["NumberOfDecreasesToday"], 1, "decrease counted")
    check.true("LastDecreaseDateTime" in u["ProvisionedThroughput"], "decrease time")
    e = check.raises(lambda: d.update_table(TableName="Music", ProvisionedThroughput={"ReadCapacityUnits": 4, "WriteCapacityUnits": 6}),
                     "ValidationException", "same throughput")
    check.true(msg(e).startswith("The provisioned throughput for the table will not change."), "same throughput message")
    d.put_item(TableName="Alpha", Item={"pk": {"S": "a"}, "g": {"S": "x"}})
    d.put_item(TableName="Alpha", Item={"pk": {"S": "b"}})
    for b in range(48):  # more items than one backfill batch
        d.batch_write_item(RequestItems={"Alpha": [{"PutRequest": {"Item": {"pk": {"S": "n%d" % (b * 25 + i)}, "g": {"S": "y"}}}}
                                                   for i in range(25)]})
    u = d.update_table(TableName="Alpha", AttributeDefinitions=[attr("g", "S")],
                       GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "ByG", "KeySchema": [key("g", "HASH")],
                                                                "Projection": {"ProjectionType": "ALL"}}}])["TableDescription"]
    check.eq(u["GlobalSecondaryIndexes"][0]["IndexStatus"], "CREATING", "new gsi creating in reply")
    check.eq(u["GlobalSecondaryIndexes"][0]["Backfilling"], True, "new gsi backfilling")
    for _ in range(50):
        t = d.describe_table(TableName="Alpha")["Table"]
        if t["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE":
            break
        time.sleep(0.1)
    check.eq(t["GlobalSecondaryIndexes"][0]["IndexStatus"], "ACTIVE", "new gsi active after backfill")
    check.eq(t["GlobalSecondaryIndexes"][0]["ItemCount"], 1201, "gsi backfilled (sparse)")
    q = d.query(TableName="Alpha", IndexName="ByG", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "x"}})
    check.eq(q["Items"], [{"pk": {"S": "a"}, "g": {"S": "x"}}], "query backfilled gsi")
    d.update_table(TableName="Alpha", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "ByG"}}])
    check.true("GlobalSecondaryIndexes" not in d.describe_table(TableName="Alpha")["Table"], "gsi deleted")
    u = d.update_table(TableName="Beta", BillingMode="PROVISIONED",
                       ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})["TableDescription"]
    check.eq((u["BillingModeSummary"]["BillingMode"], "LastUpdateToPayPerRequestDateTime" in u["BillingModeSummary"]),
             ("PROVISIONED", True), "switched to provisioned: a table that was on demand keeps the summary "
             "(the ack-api-quirks lab's DDB-TABLE-058)")
    check.true("BillingModeSummary" not in d.describe_table(TableName="Music")["Table"], "never on demand: no summary")
    u = d.update_table(TableName="Beta", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})["TableDescription"]
    check.eq(u["StreamSpecification"]["StreamViewType"], "KEYS_ONLY", "stream enabled by update")

    # --- tags ---
    arn = r["TableArn"]
    d.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "data"}])
    check.eq(d.list_tags_of_resource(ResourceArn=arn)["Tags"], [{"Key": "team", "Value": "data"}, {"Key": "env", "Value": "dev"}], "tags")
    d.untag_resource(ResourceArn=arn, TagKeys=["team"])
    check.eq(d.list_tags_of_resource(ResourceArn=arn)["Tags"], [{"Key": "env", "Value": "dev"}], "untag")
    e = check.raises(lambda: d.list_tags_of_resource(ResourceArn=arn + "x"), "ResourceNotFoundException", "tags of missing table")
    check.eq(msg(e), "Requested resource not found: ResourceArn: %sx not found" % arn, "tags of missing table: message")
    # another account's table ARN is denied (DynamoDB, October 2026: the ack-api-quirks lab's DDB-TABLE-011/071)
    foreign = arn.replace(":" + arn.split(":")[4] + ":", ":111122223333:")
    for what, fn in (("ListTagsOfResource", lambda: d.list_tags_of_resource(ResourceArn=foreign)),
                     ("DescribeTable", lambda: d.describe_table(TableName=foreign)),
                     ("GetItem", lambda: d.get_item(TableName=foreign, Key={"Artist": {"S": "a"}, "SongTitle": {"S": "b"}}))):
        e = check.raises(fn, "AccessDeniedException", what + " of another account's ARN")
        check.eq(msg(e), "Access is denied", what + " of another account's ARN: message")
    check.eq(d.describe_table(TableName=arn)["Table"]["TableName"], r["TableName"], "DescribeTable of its own ARN")
    # another region's, partition's or an index's ARN as TableName (the ack-api-quirks lab's DDB-TABLE-442 and its
    # DescribeTable record: "1 validation error detected: Invalid AWS region in '<arn>'")
    for other, what in ((arn.replace(":us-east-1:", ":eu-west-1:"), "AWS region"), (arn.replace("arn:aws:", "arn:aws-cn:"),
                        "AWS partition"), (arn + "/index/x", "resource type")):
        for op, fn in (("DescribeTable", lambda: d.describe_table(TableName=other)),
                       ("GetItem", lambda: d.get_item(TableName=other, Key={"Artist": {"S": "a"}, "SongTitle": {"S": "b"}}))):
            e = check.raises(fn, "ValidationException", "%s of an ARN of another %s" % (op, what))
            check.eq(msg(e), "1 validation error detected: Invalid %s in '%s'" % (what, other), "%s: %s message" % (op, what))
    made = d.create_table(TableName=arn.replace(":table/Music", ":table/ByArn"), KeySchema=[key("pk", "HASH")],
                          AttributeDefinitions=[attr("pk", "S")], BillingMode="PAY_PER_REQUEST")["TableDescription"]
    check.eq((made["TableName"], made["TableArn"]), ("ByArn", arn.replace(":table/Music", ":table/ByArn")),
             "CreateTable of an ARN creates the table it names")
    d.delete_table(TableName="ByArn")

    # --- TTL and continuous backups ---
    check.eq(d.describe_time_to_live(TableName="Music")["TimeToLiveDescription"], {"TimeToLiveStatus": "DISABLED"}, "ttl off")
    d.update_time_to_live(TableName="Music", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    check.eq(d.describe_time_to_live(TableName="Music")["TimeToLiveDescription"],
             {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}, "ttl on")
    e = check.raises(lambda: d.update_time_to_live(TableName="Music", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}),
                     "ValidationException", "ttl twice")
    check.eq(msg(e), "TimeToLive is already enabled", "ttl twice message")
    e = check.raises(lambda: d.update_time_to_live(TableName="Music", TimeToLiveSpecification={"Enabled": True, "AttributeName": "other"}),
                     "ValidationException", "ttl on another attribute")
    check.eq(msg(e), "TimeToLive is active on a different AttributeName: current AttributeName is exp", "ttl other message")
    b = d.describe_continuous_backups(TableName="Music")["ContinuousBackupsDescription"]
    check.eq(b["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "DISABLED", "pitr off")
    b = d.update_continuous_backups(TableName="Music", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    check.eq(b["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "ENABLED", "pitr on")
    check.raises(lambda: d.describe_continuous_backups(TableName="Nope"), "TableNotFoundException", "backups of missing table")
    check.eq(d.describe_limits()["TableMaxReadCapacityUnits"], 40000, "limits")
    check.eq(len(d.describe_endpoints()["Endpoints"]), 1, "endpoints")

    # --- DeleteTable ---
    d.update_table(TableName="Gamma", DeletionProtectionEnabled=True)
    e = check.raises(lambda: d.delete_table(TableName="Gamma"), "ValidationException", "protected")
    d.update_table(TableName="Gamma", DeletionProtectionEnabled=False)
    check.eq(d.delete_table(TableName="Gamma")["TableDescription"]["TableStatus"], "DELETING", "deleting")
    d.get_waiter("table_not_exists").wait(TableName="Gamma", WaiterConfig={"Delay": 1, "MaxAttempts": 3})
    e = check.raises(lambda: d.delete_table(TableName="Gamma"), "ResourceNotFoundException", "delete missing")
    check.eq(msg(e), "Requested resource not found: Table: Gamma not found", "delete missing message")

    # --- tables survive a restart ---
    s.restart()
    d = s.client("dynamodb")
    check.eq(d.list_tables()["TableNames"], ["Alpha", "Beta", "Music"], "tables after restart")
    check.eq(d.describe_table(TableName="Music")["Table"]["GlobalSecondaryIndexes"][0]["IndexName"], "ByGenre", "indexes after restart")

check.done()
