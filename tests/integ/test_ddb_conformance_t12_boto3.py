"""DynamoDB behaviours the nubo-db/dynamodb-conformance suite (tier1/tier2) pins from real DynamoDB, checked with boto3:
transactional ConsumedCapacity told as read or write units, a same-token TransactWriteItems or ExecuteTransaction replay reporting the read of
its items, a restore's reply saying the restore is in progress, TransactGetItems refusing one item twice, a filtered read of a local index answering its projection,
size() of a string counting UTF-16 code units."""
from harness import Checks, Server, attr, key

check = Checks()


def table(d, name, keys, attrs):
    d.create_table(TableName=name, KeySchema=keys, AttributeDefinitions=attrs, BillingMode="PAY_PER_REQUEST")


with Server() as s:
    d = s.client("dynamodb")
    table(d, "Hash", [key("pk", "HASH")], [attr("pk", "S")])
    table(d, "Comp", [key("pk", "HASH"), key("sk", "RANGE")], [attr("pk", "S"), attr("sk", "S")])
    d.put_item(TableName="Comp", Item={"pk": {"S": "present"}, "sk": {"S": "x"}})

    # --- transactions tell their units as write (or read) units too, at the top and in each part ---
    r = d.transact_write_items(ReturnConsumedCapacity="TOTAL", TransactItems=[
        {"Put": {"TableName": "Hash", "Item": {"pk": {"S": "p1"}, "v": {"N": "1"}}}},
        {"Put": {"TableName": "Hash", "Item": {"pk": {"S": "p2"}, "v": {"N": "1"}}}}])
    check.eq(r["ConsumedCapacity"], [{"TableName": "Hash", "CapacityUnits": 4, "WriteCapacityUnits": 4}], "two puts, TOTAL")
    r = d.transact_write_items(ReturnConsumedCapacity="INDEXES", TransactItems=[
        {"Put": {"TableName": "Hash", "Item": {"pk": {"S": "cc"}, "v": {"N": "1"}}}},
        {"ConditionCheck": {"TableName": "Comp", "Key": {"pk": {"S": "present"}, "sk": {"S": "x"}},
                            "ConditionExpression": "attribute_exists(pk)"}}])
    check.eq(r["ConsumedCapacity"][1], {"TableName": "Comp", "CapacityUnits": 2, "WriteCapacityUnits": 2,
                                         "Table": {"CapacityUnits": 2, "WriteCapacityUnits": 2}},
             "a ConditionCheck costs 2 write units")
    r = d.transact_get_items(ReturnConsumedCapacity="TOTAL", TransactItems=[
        {"Get": {"TableName": "Hash", "Key": {"pk": {"S": "p1"}}}}, {"Get": {"TableName": "Hash", "Key": {"pk": {"S": "none"}}}}])
    check.eq(r["ConsumedCapacity"], [{"TableName": "Hash", "CapacityUnits": 4, "ReadCapacityUnits": 4}],
             "TransactGetItems: read units, a missing item too")
    e = check.raises(lambda: d.transact_get_items(TransactItems=[
        {"Get": {"TableName": "Hash", "Key": {"pk": {"S": "p1"}}}}, {"Get": {"TableName": "Hash", "Key": {"pk": {"S": "p1"}}}}]),
        "ValidationException", "TransactGetItems: the same item twice")
    check.eq(e.response["Error"]["Message"], "Transaction request cannot include multiple operations on one item",
             "TransactGetItems: same item message")
    # single-item and batch operations keep the aggregate alone
    r = d.put_item(TableName="Hash", Item={"pk": {"S": "single"}}, ReturnConsumedCapacity="INDEXES")
    check.eq(r["ConsumedCapacity"], {"TableName": "Hash", "CapacityUnits": 1, "Table": {"CapacityUnits": 1}}, "PutItem: no split")
    r = d.batch_get_item(RequestItems={"Hash": {"Keys": [{"pk": {"S": "p1"}}]}}, ReturnConsumedCapacity="TOTAL")
    check.eq(r["ConsumedCapacity"], [{"TableName": "Hash", "CapacityUnits": 0.5}], "BatchGetItem: no split")

    # --- a same-token replay: applied once, then a transactional read of the item (2 units per 4 KB) ---
    big = {"Put": {"TableName": "Hash", "Item": {"pk": {"S": "replay"}, "big": {"S": "x" * 1536}}}}
    first = d.transact_write_items(ClientRequestToken="tok-replay", ReturnConsumedCapacity="INDEXES", TransactItems=[big])
    again = d.transact_write_items(ClientRequestToken="tok-replay", ReturnConsumedCapacity="INDEXES", TransactItems=[big])
    check.eq(first["ConsumedCapacity"], [{"TableName": "Hash", "CapacityUnits": 4, "WriteCapacityUnits": 4,
                                          "Table": {"CapacityUnits": 4, "WriteCapacityUnits": 4}}], "first call: 4 write units")
    check.eq(again["ConsumedCapacity"], [{"TableName": "Hash", "CapacityUnits": 2, "ReadCapacityUnits": 2,
                                          "Table": {"CapacityUnits": 2, "ReadCapacityUnits": 2}}], "replay: 2 read units")
    upd = {"Update": {"TableName": "Hash", "Key": {"pk": {"S": "counter"}}, "UpdateExpression": "ADD n :one",
                      "ExpressionAttributeValues": {":one": {"N": "1"}}}}
    for _ in range(2):
        r = d.transact_write_items(ClientRequestToken="tok-count", TransactItems=[upd],
                                   ReturnConsumedCapacity="TOTAL", ReturnItemCollectionMetrics="SIZE")
    check.eq(d.get_item(TableName="Hash", Key={"pk": {"S": "counter"}})["Item"]["n"], {"N": "1"}, "replay applied once")
    check.eq(r["ConsumedCapacity"], [{"TableName": "Hash", "CapacityUnits": 2, "ReadCapacityUnits": 2}], "replay of an update")
    check.eq("ItemCollectionMetrics" in r, "ItemCollectionMetrics" in d.transact_write_items(
        TransactItems=[upd], ReturnItemCollectionMetrics="SIZE"), "replay keeps the rest of the stored reply")
    r = d.transact_write_items(ClientRequestToken="tok-none", TransactItems=[upd])
    r = d.transact_write_items(ClientRequestToken="tok-none", TransactItems=[upd])
    check.true("ConsumedCapacity" not in r, "replay without ReturnConsumedCapacity: none")
    # ExecuteTransaction's replay is charged the same way (partiql/executeTransaction, characterised on DynamoDB)
    d.execute_statement(Statement="INSERT INTO \"Hash\" VALUE {'pk': 'etx', 'n': 0}")
    stmts = [{"Statement": "UPDATE \"Hash\" SET n = n + 1 WHERE pk = 'etx'"},
             {"Statement": "INSERT INTO \"Hash\" VALUE {'pk': 'etx-new', 'big': ?}", "Parameters": [{"S": "x" * 5000}]}]
    first, again = (d.execute_transaction(ClientRequestToken="tok-etx", ReturnConsumedCapacity="INDEXES",
                                          TransactStatements=stmts) for _ in range(2))
    check.eq(d.get_item(TableName="Hash", Key={"pk": {"S": "etx"}})["Item"]["n"], {"N": "1"}, "ExecuteTransaction replay applied once")
    check.eq(first["ConsumedCapacity"], [{"TableName": "Hash", "CapacityUnits": 12, "WriteCapacityUnits": 12,
                                          "Table": {"CapacityUnits": 12, "WriteCapacityUnits": 12}}],
             "ExecuteTransaction first call: 2 + 10 write units (1 KB each, twice)")
    check.eq(again["ConsumedCapacity"], [{"TableName": "Hash", "CapacityUnits": 6, "ReadCapacityUnits": 6,
                                          "Table": {"CapacityUnits": 6, "ReadCapacityUnits": 6}}],
             "ExecuteTransaction replay: a transactional read of each item (2 + 4 read units: 4 KB each, twice)")
    check.eq(again["Responses"], first["Responses"], "ExecuteTransaction replay keeps the stored Responses")

    # --- a filtered Scan or Query of a local INCLUDE index answers the projected attributes alone (scan/lsi) ---
    table_lsi = dict(TableName="Lsi", KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
                     AttributeDefinitions=[attr("pk", "S"), attr("sk", "S"), attr("l", "S")], BillingMode="PAY_PER_REQUEST",
                     LocalSecondaryIndexes=[{"IndexName": "inc", "KeySchema": [key("pk", "HASH"), key("l", "RANGE")],
                                             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["kept"]}}])
    d.create_table(**table_lsi)
    d.put_item(TableName="Lsi", Item={"pk": {"S": "p"}, "sk": {"S": "a"}, "l": {"S": "x"}, "kept": {"S": "k"},
                                      "data": {"S": "v"}})
    flt = dict(FilterExpression="#d = :v", ExpressionAttributeNames={"#d": "data"}, ExpressionAttributeValues={":v": {"S": "v"}})
    got = d.scan(TableName="Lsi", IndexName="inc", **flt)["Items"]
    check.eq(sorted(got[0]), ["kept", "l", "pk", "sk"], "filtered Scan of an INCLUDE local index: projected attributes")
    got = d.query(TableName="Lsi", IndexName="inc", KeyConditionExpression="pk = :p",
                  **dict(flt, ExpressionAttributeValues={":v": {"S": "v"}, ":p": {"S": "p"}}))["Items"]
    check.eq(sorted(got[0]), ["kept", "l", "pk", "sk"], "filtered Query: the filter saw data, the answer leaves it out")
    got = d.query(TableName="Lsi", IndexName="inc", KeyConditionExpression="pk = :p", Select="ALL_ATTRIBUTES",
                  ExpressionAttributeValues={":p": {"S": "p"}})["Items"]
    check.eq(sorted(got[0]), ["data", "kept", "l", "pk", "sk"], "ALL_ATTRIBUTES still reads the table's item")

    # --- size() of a string counts UTF-16 code units, not UTF-8 bytes (query/expressions: "é𝄞" is 3, 6 bytes) ---
    d.put_item(TableName="Comp", Item={"pk": {"S": "size"}, "sk": {"S": "1"}, "s": {"S": "\u00e9\U0001d11e"},
                                       "n": {"S": "a\u0000\u4e2d"}})

    def sized(expr, n):
        return d.query(TableName="Comp", KeyConditionExpression="pk = :p", FilterExpression=expr,
                       ExpressionAttributeValues={":p": {"S": "size"}, ":n": {"N": str(n)}})["Count"]
    check.eq([sized("size(s) = :n", n) for n in (3, 6)], [1, 0], "size(): an astral character is two units, é one")
    check.eq(sized("size(n) = :n", 3), 1, "size(): a NUL and a CJK character are one unit each")
    check.eq(d.put_item(TableName="Comp", Item={"pk": {"S": "size"}, "sk": {"S": "1"}}, ConditionExpression="size(s) < :n",
                        ExpressionAttributeValues={":n": {"N": "4"}}, ReturnValues="ALL_OLD")["Attributes"]["s"],
             {"S": "\u00e9\U0001d11e"}, "size() in a condition counts the same way")

    # --- a restore's reply says the restore is in progress, as DynamoDB's does (backups/onDemand) ---
    arn = d.create_backup(TableName="Hash", BackupName="bk1")["BackupDetails"]["BackupArn"]
    td = d.restore_table_from_backup(TargetTableName="Restored", BackupArn=arn)["TableDescription"]
    check.eq((td["RestoreSummary"]["SourceBackupArn"], td["RestoreSummary"]["RestoreInProgress"]), (arn, True),
             "RestoreTableFromBackup: RestoreInProgress")
    check.true("RestoreSummary" not in d.describe_table(TableName="Restored")["Table"], "no RestoreSummary afterwards")

check.done()
