"""test_ddb_key_limits_boto3.py - key values DynamoDB refuses beyond the table's own key checks: an index key longer
than a key may be (2048 bytes a partition key, 1024 a sort key; "Size limit exceeded for Index Key ..." as users
quote DynamoDB), on every write path and for a table key that keys an index's sort, with such an item left out of a
GSI created later; and a Query comparing a key for equality with an empty string or binary."""
from harness import Checks, Server, attr, key

t = Checks()
INVALID = "One or more parameter values were invalid: "


def too_long(name, size, limit, index):
    return INVALID + "Size limit exceeded for Index Key %s Actual Size: %d bytes Max Size: %d bytes IndexName: %s" % (
        name, size, limit, index)


with Server(in_memory=True) as s:
    d = s.client("dynamodb")
    d.create_table(TableName="tg1", BillingMode="PAY_PER_REQUEST", KeySchema=[key("pk", "HASH")],
                   AttributeDefinitions=[attr("pk", "S"), attr("g", "S"), attr("r", "B")],
                   GlobalSecondaryIndexes=[{"IndexName": "gix", "KeySchema": [key("g", "HASH"), key("r", "RANGE")],
                                            "Projection": {"ProjectionType": "ALL"}},
                                           {"IndexName": "byg", "KeySchema": [key("g", "HASH"), key("pk", "RANGE")],
                                            "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    ok = {"pk": {"S": "a"}, "g": {"S": "x" * 2048}, "r": {"B": b"y" * 1024}}
    d.put_item(TableName="tg1", Item=ok)
    t.eq(d.query(TableName="tg1", IndexName="gix", KeyConditionExpression="g = :g",
                 ExpressionAttributeValues={":g": {"S": "x" * 2048}})["Count"], 1, "keys at the limits are indexed")
    t.refuses(lambda: d.put_item(TableName="tg1", Item={"pk": {"S": "b"}, "g": {"S": "é" * 1025}}), "ValidationException",
              too_long("g", 2050, 2048, "gix"), "PutItem: an index partition key of 2,050 UTF-8 bytes")
    t.refuses(lambda: d.put_item(TableName="tg1", Item={"pk": {"S": "b"}, "g": {"S": "x"}, "r": {"B": b"y" * 1025}}),
              "ValidationException", too_long("r", 1025, 1024, "gix"), "PutItem: an index sort key of 1,025 bytes")
    t.refuses(lambda: d.update_item(TableName="tg1", Key={"pk": {"S": "a"}}, UpdateExpression="SET g = :v",
                                    ExpressionAttributeValues={":v": {"S": "x" * 2049}}), "ValidationException",
              too_long("g", 2049, 2048, "gix"), "UpdateItem")
    t.raises(lambda: d.batch_write_item(RequestItems={"tg1": [{"PutRequest": {"Item": {"pk": {"S": "c"}, "g": {"S": "x" * 2049}}}}]}),
             "ValidationException", "BatchWriteItem")
    t.raises(lambda: d.transact_write_items(TransactItems=[{"Put": {"TableName": "tg1", "Item": {"pk": {"S": "c"}, "g": {"S": "x" * 2049}}}}]),
             "TransactionCanceledException", "TransactWriteItems")
    # the table's partition key (up to 2048 bytes) as an index's sort key (up to 1024)
    t.refuses(lambda: d.put_item(TableName="tg1", Item={"pk": {"S": "p" * 1025}, "g": {"S": "x"}}), "ValidationException",
              too_long("pk", 1025, 1024, "byg"), "a table key too long for the index it sorts")
    t.eq(d.scan(TableName="tg1")["Count"], 1, "nothing refused was written")

    # an item written before a GSI exists, its value too long for the new index's key, stays out of it
    d.create_table(TableName="tb1", BillingMode="PAY_PER_REQUEST", KeySchema=[key("pk", "HASH")],
                   AttributeDefinitions=[attr("pk", "S")])
    d.put_item(TableName="tb1", Item={"pk": {"S": "long"}, "g": {"S": "x" * 2049}})
    d.put_item(TableName="tb1", Item={"pk": {"S": "short"}, "g": {"S": "x"}})
    d.update_table(TableName="tb1", AttributeDefinitions=[attr("g", "S")], GlobalSecondaryIndexUpdates=[
        {"Create": {"IndexName": "late", "KeySchema": [key("g", "HASH")], "Projection": {"ProjectionType": "ALL"}}}])
    d.get_waiter("table_exists").wait(TableName="tb1")
    for _ in range(100):
        ix = d.describe_table(TableName="tb1")["Table"]["GlobalSecondaryIndexes"][0]
        if ix["IndexStatus"] == "ACTIVE":
            break
    t.eq([i["pk"]["S"] for i in d.scan(TableName="tb1", IndexName="late")["Items"]], ["short"], "backfill leaves it out")

    # Query: a key compared with an empty value
    d.create_table(TableName="tq1", BillingMode="PAY_PER_REQUEST", KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
                   AttributeDefinitions=[attr("pk", "S"), attr("sk", "B")])
    empty = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty %s value. Key: %s"
    t.refuses(lambda: d.query(TableName="tq1", KeyConditionExpression="pk = :e", ExpressionAttributeValues={":e": {"S": ""}}),
              "ValidationException", empty % ("string", "pk"), "Query: an empty partition key")
    t.refuses(lambda: d.query(TableName="tq1", KeyConditionExpression="pk = :p AND sk = :e",
                              ExpressionAttributeValues={":p": {"S": "a"}, ":e": {"B": b""}}),
              "ValidationException", empty % ("binary", "sk"), "Query: an empty sort key")
    t.refuses(lambda: d.query(TableName="tq1", KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": ""}]}}),
              "ValidationException", empty % ("string", "pk"), "Query: KeyConditions")
    t.eq(d.query(TableName="tq1", KeyConditionExpression="pk = :p AND sk > :e",
                 ExpressionAttributeValues={":p": {"S": "a"}, ":e": {"B": b""}})["Count"], 0, "a range from empty is no equality")
t.done()
