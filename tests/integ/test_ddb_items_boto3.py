"""DynamoDB data plane with boto3 (client and Table resource): items, expressions, legacy parameters,
queries, scans, indexes, batches, transactions, TTL, capacity, errors, and durability across kill -9."""
import time
from decimal import Decimal

from boto3.dynamodb.conditions import Attr, Key
from harness import Checks, Server, attr, key, msg

check = Checks()


with Server() as s:
    d = s.client("dynamodb")
    d.create_table(TableName="Orders", KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
                   AttributeDefinitions=[attr("pk", "S"), attr("sk", "N"), attr("status", "S"), attr("total", "N")],
                   GlobalSecondaryIndexes=[{"IndexName": "ByStatus", "KeySchema": [key("status", "HASH"), key("total", "RANGE")],
                                            "Projection": {"ProjectionType": "KEYS_ONLY"}}],
                   LocalSecondaryIndexes=[{"IndexName": "ByTotal", "KeySchema": [key("pk", "HASH"), key("total", "RANGE")],
                                           "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["note"]}}],
                   BillingMode="PAY_PER_REQUEST")

    # --- PutItem / GetItem, exact numbers, capacity ---
    item = {"pk": {"S": "u1"}, "sk": {"N": "1"}, "status": {"S": "open"}, "total": {"N": "12.50"},
            "big": {"N": "12345678901234567890123456789012345678"}, "tags": {"SS": ["a", "b"]},
            "doc": {"M": {"list": {"L": [{"N": "1"}, {"S": "two"}, {"BOOL": True}, {"NULL": True}]}, "bin": {"B": b"\x00\x01"}}}}
    r = d.put_item(TableName="Orders", Item=item, ReturnConsumedCapacity="INDEXES")
    check.eq(r["ConsumedCapacity"]["Table"]["CapacityUnits"], 1, "put wcu")
    check.eq(r["ConsumedCapacity"]["GlobalSecondaryIndexes"]["ByStatus"]["CapacityUnits"], 1, "put gsi wcu")
    g = d.get_item(TableName="Orders", Key={"pk": {"S": "u1"}, "sk": {"N": "1"}}, ReturnConsumedCapacity="TOTAL")
    check.eq(g["Item"]["total"], {"N": "12.5"}, "number normalized")
    check.eq(g["Item"]["big"], {"N": "12345678901234567890123456789012345678"}, "38 digits exact")
    check.eq(g["Item"]["doc"]["M"]["bin"], {"B": b"\x00\x01"}, "binary round trip")
    check.eq(g["ConsumedCapacity"]["CapacityUnits"], 0.5, "eventually consistent read = 0.5")
    g = d.get_item(TableName="Orders", Key={"pk": {"S": "u1"}, "sk": {"N": "1"}}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    check.eq(g["ConsumedCapacity"]["CapacityUnits"], 1, "strongly consistent read = 1")
    g = d.get_item(TableName="Orders", Key={"pk": {"S": "u1"}, "sk": {"N": "1"}}, ProjectionExpression="#d.#l[1], #t",
                   ExpressionAttributeNames={"#d": "doc", "#l": "list", "#t": "total"})
    check.eq(g["Item"], {"doc": {"M": {"list": {"L": [{"S": "two"}]}}}, "total": {"N": "12.5"}}, "nested projection")
    check.eq(d.get_item(TableName="Orders", Key={"pk": {"S": "zz"}, "sk": {"N": "1"}}).get("Item"), None, "missing item")
    check.eq(d.get_item(TableName="Orders", Key={"pk": {"S": "u1"}, "sk": {"N": "1"}}, AttributesToGet=["status"])["Item"],
             {"status": {"S": "open"}}, "AttributesToGet")

    # --- errors ---
    e = check.raises(lambda: d.get_item(TableName="Orders", Key={"pk": {"S": "u1"}}), "ValidationException", "short key")
    check.eq(msg(e), "The provided key element does not match the schema", "short key message")
    e = check.raises(lambda: d.get_item(TableName="Nope", Key={"pk": {"S": "u1"}}), "ResourceNotFoundException", "missing table")
    check.eq(msg(e), "Requested resource not found", "missing table message")
    e = check.raises(lambda: d.put_item(TableName="Orders", Item={"pk": {"S": "u1"}}), "ValidationException", "missing sk")
    check.eq(msg(e), "One or more parameter values were invalid: Missing the key sk in the item", "missing sk message")
    e = check.raises(lambda: d.put_item(TableName="Orders", Item={"pk": {"S": "u1"}, "sk": {"S": "x"}}), "ValidationException", "sk type")
    check.eq(msg(e), "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S", "sk type message")
    e = check.raises(lambda: d.put_item(TableName="Orders", Item={"pk": {"S": "u9"}, "sk": {"N": "1"}, "status": {"N": "1"}}),
                     "ValidationException", "gsi key type")
    check.eq(msg(e), "One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N "
             "IndexName: ByStatus", "gsi key type message")
    e = check.raises(lambda: d.put_item(TableName="Orders", Item={"pk": {"S": "u9"}, "sk": {"N": "1"}, "blob": {"S": "x" * 409600}}),
                     "ValidationException", "too large")
    check.eq(msg(e), "Item size has exceeded the maximum allowed size", "too large message")
    e = check.raises(lambda: d.put_item(TableName="Orders", Item=item, ConditionExpression="attribute_not_exists(pk)",
                                        ReturnValuesOnConditionCheckFailure="ALL_OLD"), "ConditionalCheckFailedException", "put condition")
    check.eq(msg(e), "The conditional request failed", "condition message")
    check.eq(e.response.get("Item", {}).get("status"), {"S": "open"}, "item on condition failure")
    e = check.raises(lambda: d.put_item(TableName="Orders", Item=item, ReturnValues="ALL_NEW"), "ValidationException", "put ALL_NEW")
    check.eq(msg(e), "1 validation error detected: ReturnValues can only be ALL_OLD or NONE", "put ALL_NEW message")
    e = check.raises(lambda: d.update_item(TableName="Orders", Key={"pk": {"S": "u1"}, "sk": {"N": "1"}}, UpdateExpression="SET pk = :v",
                                           ExpressionAttributeValues={":v": {"S": "x"}}), "ValidationException", "update key")
    check.eq(msg(e), "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
             "update key message")
    e = check.raises(lambda: d.get_item(TableName="Orders", Key={"pk": {"S": "u1"}, "sk": {"N": "1"}},
                                        ExpressionAttributeNames={"#a": "a"}), "ValidationException", "names without expressions")
    check.eq(msg(e), "ExpressionAttributeNames can only be specified when using expressions", "names without expressions message")
    e = check.raises(lambda: d.put_item(TableName="Orders", Item=item, ConditionExpression="a = :a",
                                        Expected={"a": {"Exists": False}}), "ValidationException", "mixed legacy")
    check.true("Can not use both expression and non-expression parameters in the same request" in msg(e), "mixed message")

    # --- UpdateItem: SET arithmetic, if_not_exists, list_append, REMOVE, ADD, DELETE, ReturnValues ---
    k1 = {"pk": {"S": "u1"}, "sk": {"N": "1"}}
    r = d.update_item(TableName="Orders", Key=k1,
                      UpdateExpression="SET #t = #t + :d, cnt = if_not_exists(cnt, :zero) + :one, "
                                       "#d.#l = list_append(#d.#l, :more) REMOVE big ADD tags :t",
                      ExpressionAttributeNames={"#d": "doc", "#l": "list", "#t": "total"},
                      ExpressionAttributeValues={":d": {"N": "0.25"}, ":zero": {"N": "0"}, ":one": {"N": "1"},
                                                 ":more": {"L": [{"S": "x"}]}, ":t": {"SS": ["c"]}},
                      ReturnValues="UPDATED_NEW")
    check.eq(r["Attributes"]["total"], {"N": "12.75"}, "SET +")
    check.eq(r["Attributes"]["cnt"], {"N": "1"}, "if_not_exists")
    check.eq(len(r["Attributes"]["doc"]["M"]["list"]["L"]), 5, "list_append")
    check.eq(sorted(r["Attributes"]["tags"]["SS"]), ["a", "b", "c"], "ADD to set")
    r = d.update_item(TableName="Orders", Key=k1, UpdateExpression="DELETE tags :a", ExpressionAttributeValues={":a": {"SS": ["a"]}},
                      ReturnValues="UPDATED_NEW")
    check.eq(sorted(r["Attributes"]["tags"]["SS"]), ["b", "c"], "DELETE from set")
    r = d.update_item(TableName="Orders", Key=k1, UpdateExpression="SET #t = :t", ExpressionAttributeNames={"#t": "total"},
                      ExpressionAttributeValues={":t": {"N": "20"}},
                      ReturnValues="UPDATED_OLD")
    check.eq(r["Attributes"], {"total": {"N": "12.75"}}, "UPDATED_OLD")
    r = d.update_item(TableName="Orders", Key={"pk": {"S": "u2"}, "sk": {"N": "5"}}, UpdateExpression="SET note = :n",
                      ExpressionAttributeValues={":n": {"S": "new"}}, ReturnValues="ALL_NEW")
    check.eq(r["Attributes"], {"pk": {"S": "u2"}, "sk": {"N": "5"}, "note": {"S": "new"}}, "update creates item")
    e = check.raises(lambda: d.update_item(TableName="Orders", Key=k1, UpdateExpression="SET #t = #t + :s",
                                           ExpressionAttributeNames={"#t": "total"}, ExpressionAttributeValues={":s": {"S": "x"}}), "ValidationException", "bad operand")
    check.eq(msg(e), "1 validation error detected: Invalid UpdateExpression: Incorrect operand type for operator or function; "
             "operator or function: +, "
             "operand type: S", "bad operand message")
    e = check.raises(lambda: d.update_item(TableName="Orders", Key=k1, UpdateExpression="SET x = #s + :one",
                                           ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":one": {"N": "1"}}),
                     "ValidationException", "bad stored operand")
    check.eq(msg(e), "An operand in the update expression has an incorrect data type", "bad stored operand message")
    e = check.raises(lambda: d.update_item(TableName="Orders", Key=k1, UpdateExpression="SET a = :a",
                                           ExpressionAttributeValues={":a": {"S": "x"}, ":b": {"S": "y"}}), "ValidationException", "unused value")
    check.eq(msg(e), "1 validation error detected: Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}",
             "unused value message")
    e = check.raises(lambda: d.update_item(TableName="Orders", Key=k1, UpdateExpression="SET a = :a",
                                           ConditionExpression="cnt > :n", ExpressionAttributeValues={":a": {"S": "x"}, ":n": {"N": "5"}}),
                     "ConditionalCheckFailedException", "update condition")
    # legacy AttributeUpdates + Expected
    r = d.update_item(TableName="Orders", Key=k1, AttributeUpdates={"cnt": {"Action": "ADD", "Value": {"N": "2"}}, "note": {"Action": "DELETE"}},
                      Expected={"cnt": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}}, ReturnValues="ALL_NEW")
    check.eq(r["Attributes"]["cnt"], {"N": "3"}, "legacy ADD")
    check.raises(lambda: d.delete_item(TableName="Orders", Key=k1, Expected={"cnt": {"Value": {"N": "99"}}}),
                 "ConditionalCheckFailedException", "legacy Expected")
    r = d.delete_item(TableName="Orders", Key={"pk": {"S": "u2"}, "sk": {"N": "5"}}, ReturnValues="ALL_OLD",
                      ConditionExpression="attribute_exists(note) AND begins_with(note, :p)",
                      ExpressionAttributeValues={":p": {"S": "ne"}})
    check.eq(r["Attributes"]["note"], {"S": "new"}, "delete ALL_OLD")

    # --- Query / Scan through the Table resource ---
    table = s.resource("dynamodb").Table("Orders")
    with table.batch_writer() as bw:
        for i in range(60):
            bw.put_item(Item={"pk": "p%d" % (i % 3), "sk": Decimal(i) - 20, "status": ["open", "done"][i % 2],
                              "total": Decimal(i % 10) / 4, "note": "n%d" % i, "pad": "x" * 100})
    q = table.query(KeyConditionExpression=Key("pk").eq("p0") & Key("sk").between(-20, 0))
    check.eq([int(x["sk"]) for x in q["Items"]], [-20, -17, -14, -11, -8, -5, -2], "between, numeric order")
    q = table.query(KeyConditionExpression=Key("pk").eq("p1") & Key("sk").gt(30), ScanIndexForward=False)
    check.eq([int(x["sk"]) for x in q["Items"]], [38, 35, 32], "descending")
    q = table.query(KeyConditionExpression=Key("pk").eq("p2"), FilterExpression=Attr("status").eq("done") & Attr("total").lt(1),
                    Limit=10)
    check.eq(q["ScannedCount"], 10, "limit counts scanned")
    check.true(q["Count"] < 10 and "LastEvaluatedKey" in q, "filter after limit, with LastEvaluatedKey")
    seen, kw = [], {}
    while True:
        q = table.query(KeyConditionExpression=Key("pk").eq("p2"), Limit=7, **kw)
        seen += [int(x["sk"]) for x in q["Items"]]
        if "LastEvaluatedKey" not in q:
            break
        kw["ExclusiveStartKey"] = q["LastEvaluatedKey"]
    check.eq(seen, list(range(-18, 40, 3)), "paginated query")
    q = table.query(IndexName="ByStatus", KeyConditionExpression=Key("status").eq("open") & Key("total").gte(Decimal("2")))
    check.eq(set(q["Items"][0].keys()), {"pk", "sk", "status", "total"}, "keys-only gsi projection")
    check.true(all(x["total"] >= 2 for x in q["Items"]) and q["Count"] > 0, "gsi range")
    for index, cond, nkeys in (("ByStatus", Key("status").eq("done"), 4), ("ByTotal", Key("pk").eq("p1"), 3)):
        full = table.query(IndexName=index, KeyConditionExpression=cond)["Items"]
        paged, kw = [], {}
        while True:
            q = table.query(IndexName=index, KeyConditionExpression=cond, Limit=4, **kw)
            paged += q["Items"]
            if "LastEvaluatedKey" not in q:
                break
            check.eq(len(q["LastEvaluatedKey"]), nkeys, index + " LastEvaluatedKey has table and index keys")
            kw["ExclusiveStartKey"] = q["LastEvaluatedKey"]
        check.eq(paged, full, index + " paginated index query")
        scanned, kw = [], {}
        while True:
            q = table.scan(IndexName=index, Limit=7, **kw)
            scanned += q["Items"]
            if "LastEvaluatedKey" not in q:
                break
            kw["ExclusiveStartKey"] = q["LastEvaluatedKey"]
        check.eq(len(scanned), table.scan(IndexName=index, Select="COUNT")["Count"], index + " paginated index scan")
    check.eq(table.scan(IndexName="ByStatus", Select="COUNT")["Count"], 61, "sparse gsi holds items with its keys")
    desc = {ix["IndexName"]: ix for ix in d.describe_table(TableName="Orders")["Table"]["GlobalSecondaryIndexes"]}
    check.eq(desc["ByStatus"]["ItemCount"], 61, "gsi ItemCount kept by writes")
    q = table.query(IndexName="ByTotal", KeyConditionExpression=Key("pk").eq("p0"), Select="ALL_ATTRIBUTES", Limit=1)
    check.true("pad" in q["Items"][0], "lsi fetches unprojected attributes")
    q = table.query(IndexName="ByTotal", KeyConditionExpression=Key("pk").eq("p0"), Limit=1)
    check.eq(set(q["Items"][0].keys()), {"pk", "sk", "total", "note"}, "lsi include projection")
    q = table.query(IndexName="ByTotal", KeyConditionExpression=Key("pk").eq("p0"), ProjectionExpression="#p", ExpressionAttributeNames={"#p": "pad"}, Limit=1)
    check.eq(q["Items"][0], {"pad": "x" * 100}, "lsi projection expression reads the table")
    check.eq(table.query(KeyConditionExpression=Key("pk").eq("p0"), Select="COUNT")["Count"], 20, "select count")
    e = check.raises(lambda: table.query(IndexName="ByStatus", KeyConditionExpression=Key("status").eq("open"), ConsistentRead=True),
                     "ValidationException", "consistent gsi")
    check.eq(msg(e), "Consistent reads are not supported on global secondary indexes", "consistent gsi message")
    e = check.raises(lambda: table.query(KeyConditionExpression=Key("sk").eq(1)), "ValidationException", "no hash condition")
    check.eq(msg(e), "Query condition missed key schema element: pk", "no hash condition message")
    e = check.raises(lambda: table.query(IndexName="Nope", KeyConditionExpression=Key("pk").eq("p0")), "ValidationException", "no index")
    check.eq(msg(e), "The table does not have the specified index: Nope", "no index message")
    legacy = d.query(TableName="Orders", KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p1"}]},
                                                       "sk": {"ComparisonOperator": "LE", "AttributeValueList": [{"N": "-10"}]}})
    check.eq([int(x["sk"]["N"]) for x in legacy["Items"]], [-19, -16, -13, -10], "legacy KeyConditions")
    total = sum(table.scan(Segment=i, TotalSegments=4, Select="COUNT")["Count"] for i in range(4))
    check.eq(total, table.scan(Select="COUNT")["Count"], "parallel scan covers the table once")
    sc = d.scan(TableName="Orders", ScanFilter={"status": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "done"}]}},
                Select="COUNT")
    check.eq(sc["Count"], 30, "legacy ScanFilter")
    e = check.raises(lambda: table.scan(Segment=1), "ValidationException", "segment without total")
    # 1 MB pages
    big = s.resource("dynamodb").Table("Orders")
    with big.batch_writer() as bw:
        for i in range(30):
            bw.put_item(Item={"pk": "big", "sk": i, "blob": "y" * 100000})
    q = table.query(KeyConditionExpression=Key("pk").eq("big"), ReturnConsumedCapacity="TOTAL")
    check.eq(q["Count"], 11, "1 MB page")
    check.true("LastEvaluatedKey" in q, "1 MB page continues")

    # --- batches ---
    r = d.batch_get_item(RequestItems={"Orders": {"Keys": [{"pk": {"S": "p0"}, "sk": {"N": "-20"}}, {"pk": {"S": "zz"}, "sk": {"N": "0"}}],
                                                  "ProjectionExpression": "note"}})
    check.eq(r["Responses"]["Orders"], [{"note": {"S": "n0"}}], "batch get")
    check.eq(r["UnprocessedKeys"], {}, "no unprocessed keys")
    d.create_table(TableName="Accounts", KeySchema=[key("id", "HASH")], AttributeDefinitions=[attr("id", "S")], BillingMode="PAY_PER_REQUEST")
    e = check.raises(lambda: d.batch_get_item(RequestItems={
        "Orders": {"Keys": [{"pk": {"S": "a"}, "sk": {"N": "%d" % i}} for i in range(60)]},
        "Accounts": {"Keys": [{"id": {"S": "%d" % i}} for i in range(60)]}}), "ValidationException", "batch get limit")
    check.eq(msg(e), "Too many items requested for the BatchGetItem call", "batch get limit message")
    e = check.raises(lambda: d.batch_write_item(RequestItems={"Orders": [{"DeleteRequest": {"Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}}}] * 2}),
                     "ValidationException", "batch dup")
    check.eq(msg(e), "Provided list of item keys contains duplicates", "batch dup message")
    e = check.raises(lambda: d.batch_write_item(RequestItems={
        "Orders": [{"DeleteRequest": {"Key": {"pk": {"S": "a"}, "sk": {"N": "%d" % i}}}} for i in range(13)],
        "Accounts": [{"DeleteRequest": {"Key": {"id": {"S": "%d" % i}}}} for i in range(13)]}), "ValidationException", "batch write limit")
    check.eq(msg(e), "Too many items requested for the BatchWriteItem call", "batch write limit message")

    # --- transactions ---
    d.put_item(TableName="Accounts", Item={"id": {"S": "a"}, "bal": {"N": "100"}})
    d.put_item(TableName="Accounts", Item={"id": {"S": "b"}, "bal": {"N": "0"}})

    def transfer(amount, token=None):
        kw = {"ClientRequestToken": token} if token else {}
        return d.transact_write_items(TransactItems=[
            {"Update": {"TableName": "Accounts", "Key": {"id": {"S": "a"}}, "UpdateExpression": "SET bal = bal - :x",
                        "ConditionExpression": "bal >= :x", "ExpressionAttributeValues": {":x": {"N": str(amount)}}}},
            {"Update": {"TableName": "Accounts", "Key": {"id": {"S": "b"}}, "UpdateExpression": "SET bal = bal + :x",
                        "ExpressionAttributeValues": {":x": {"N": str(amount)}}}},
        ], ReturnConsumedCapacity="TOTAL", **kw)

    r = transfer(30)
    check.eq(r["ConsumedCapacity"], [{"TableName": "Accounts", "CapacityUnits": 4, "WriteCapacityUnits": 4}],
             "transaction capacity doubles, told as write units too")
    e = check.raises(lambda: transfer(1000), "TransactionCanceledException", "transaction cancelled")
    check.eq(msg(e), "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]",
             "cancel message")
    check.eq([x["Code"] for x in e.response["CancellationReasons"]], ["ConditionalCheckFailed", "None"], "reasons in order")
    bal = d.transact_get_items(TransactItems=[{"Get": {"TableName": "Accounts", "Key": {"id": {"S": i}}}} for i in "ab"])["Responses"]
    check.eq([x["Item"]["bal"]["N"] for x in bal], ["70", "30"], "all or nothing")
    transfer(5, token="tok-1")
    transfer(5, token="tok-1")
    bal = d.get_item(TableName="Accounts", Key={"id": {"S": "a"}})["Item"]["bal"]["N"]
    check.eq(bal, "65", "idempotent token applied once")
    check.raises(lambda: transfer(6, token="tok-1"), "IdempotentParameterMismatchException", "token reuse with other parameters")
    e = check.raises(lambda: d.transact_write_items(TransactItems=[
        {"ConditionCheck": {"TableName": "Accounts", "Key": {"id": {"S": "a"}}, "ConditionExpression": "attribute_exists(id)"}},
        {"Delete": {"TableName": "Accounts", "Key": {"id": {"S": "a"}}}}]), "ValidationException", "same item twice")
    check.eq(msg(e), "Transaction request cannot include multiple operations on one item", "same item twice message")
    both = {"Put": {"TableName": "Accounts", "Item": {"id": {"S": "c"}}}, "Delete": {"TableName": "Accounts", "Key": {"id": {"S": "c"}}}}
    e = check.raises(lambda: d.transact_write_items(TransactItems=[both]), "ValidationException", "two actions in one entry")
    check.eq(msg(e), "TransactItems can only contain one of Check, Put, Update or Delete", "two actions message")
    e = check.raises(lambda: d.transact_write_items(TransactItems=[{"Put": {"TableName": "Accounts", "Item": {"id": {"S": "c"}}}}, {}]),
                     "ValidationException", "entry without an action")
    check.eq(msg(e), "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request", "no action message")
    check.true("Item" not in d.get_item(TableName="Accounts", Key={"id": {"S": "c"}}), "refused transaction wrote nothing")

    # --- TTL: expired items go in the background ---
    d.update_time_to_live(TableName="Accounts", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    d.put_item(TableName="Accounts", Item={"id": {"S": "gone"}, "exp": {"N": str(int(time.time()) - 60)}})
    d.put_item(TableName="Accounts", Item={"id": {"S": "kept"}, "exp": {"N": str(int(time.time()) + 3600)}})
    d.put_item(TableName="Accounts", Item={"id": {"S": "ancient"}, "exp": {"N": "1000"}})
    for _ in range(50):
        if "Item" not in d.get_item(TableName="Accounts", Key={"id": {"S": "gone"}}):
            break
        time.sleep(0.2)
    check.true("Item" not in d.get_item(TableName="Accounts", Key={"id": {"S": "gone"}}), "expired item deleted")
    check.true("Item" in d.get_item(TableName="Accounts", Key={"id": {"S": "kept"}}), "live item kept")
    check.true("Item" in d.get_item(TableName="Accounts", Key={"id": {"S": "ancient"}}), "expiry older than 5 years ignored")

    # --- counters on a table without indexes (writes there skip parsing the old image) ---
    d.create_table(TableName="Plain", KeySchema=[key("pk", "HASH")], AttributeDefinitions=[attr("pk", "S")], BillingMode="PAY_PER_REQUEST")
    d.put_item(TableName="Plain", Item={"pk": {"S": "a"}, "v": {"S": "xxxx"}})
    d.put_item(TableName="Plain", Item={"pk": {"S": "a"}, "v": {"S": "xx"}})
    d.put_item(TableName="Plain", Item={"pk": {"S": "b"}})
    d.delete_item(TableName="Plain", Key={"pk": {"S": "b"}})
    d.delete_item(TableName="Plain", Key={"pk": {"S": "zz"}})
    t = d.describe_table(TableName="Plain")["Table"]
    check.eq((t["ItemCount"], t["TableSizeBytes"]), (1, 6), "item count and size follow puts, overwrites and deletes")
    # batches there: new keys go in one statement; taken keys (all, or some) are overwritten one by one
    def plain_batch(puts, deletes=()):
        reqs = [{"PutRequest": {"Item": {"pk": {"S": k}, "v": {"S": "y" * n}}}} for k, n in puts]
        reqs += [{"DeleteRequest": {"Key": {"pk": {"S": k}}}} for k in deletes]
        r = d.batch_write_item(RequestItems={"Plain": reqs}, ReturnConsumedCapacity="TOTAL")
        check.eq(r["UnprocessedItems"], {}, "plain batch: nothing unprocessed")
        return r["ConsumedCapacity"][0]["CapacityUnits"]

    def plain_counts():
        t = d.describe_table(TableName="Plain")["Table"]
        return t["ItemCount"], t["TableSizeBytes"]

    check.eq(plain_batch([("n1", 10), ("n2", 1500)], ["a"]), 1 + 2 + 1, "batch of new keys: capacity")
    check.eq(plain_counts(), (2, 15 + 1505), "batch of new keys: counts")
    check.eq(plain_batch([("n1", 2000), ("n2", 10)]), 2 + 2, "batch overwriting every key: capacity of the larger image")
    check.eq(plain_counts(), (2, 2005 + 15), "batch overwriting every key: counts")
    check.eq(plain_batch([("n1", 5), ("n3", 5), ("n4", 3000)], ["n2", "zz"]), 2 + 1 + 3 + 1 + 1, "mixed batch: capacity")
    check.eq(plain_counts(), (3, 10 + 10 + 3005), "mixed batch: counts")
    got = d.batch_get_item(RequestItems={"Plain": {"Keys": [{"pk": {"S": k}} for k in ("n1", "n2", "n3", "n4")]}})
    check.eq(sorted((x["pk"]["S"], len(x["v"]["S"])) for x in got["Responses"]["Plain"]), [("n1", 5), ("n3", 5), ("n4", 3000)],
             "mixed batch: items")
    for k in ("n1", "n3", "n4"):
        d.delete_item(TableName="Plain", Key={"pk": {"S": k}})
    d.put_item(TableName="Plain", Item={"pk": {"S": "a"}, "v": {"S": "xx"}})
    d.delete_table(TableName="Plain")
    check.raises(lambda: d.put_item(TableName="Plain", Item={"pk": {"S": "a"}}), "ResourceNotFoundException", "deleted table")
    d.create_table(TableName="Plain", KeySchema=[key("id", "HASH")], AttributeDefinitions=[attr("id", "N")], BillingMode="PAY_PER_REQUEST")
    e = check.raises(lambda: d.put_item(TableName="Plain", Item={"pk": {"S": "a"}}), "ValidationException", "recreated table's schema")
    check.eq(msg(e), "One or more parameter values were invalid: Missing the key id in the item", "recreated table's key")
    d.put_item(TableName="Plain", Item={"id": {"N": "1"}})
    t = d.describe_table(TableName="Plain")["Table"]
    check.eq((t["ItemCount"], t["TableSizeBytes"]), (1, 4), "a recreated table counts from zero")

    # --- counters and durability across kill -9 ---
    count = d.describe_table(TableName="Orders")["Table"]["ItemCount"]
    d.put_item(TableName="Orders", Item={"pk": {"S": "durable"}, "sk": {"N": "1"}, "status": {"S": "open"}, "total": {"N": "1"}})
    s.restart(kill=True)
    d = s.client("dynamodb")
    check.true("Item" in d.get_item(TableName="Orders", Key={"pk": {"S": "durable"}, "sk": {"N": "1"}}), "acknowledged write survives kill -9")
    check.eq(d.describe_table(TableName="Orders")["Table"]["ItemCount"], count + 1, "item count survives")
    q = d.query(TableName="Orders", IndexName="ByStatus", KeyConditionExpression="#s = :s AND #t = :t",
                ExpressionAttributeNames={"#s": "status", "#t": "total"}, ExpressionAttributeValues={":s": {"S": "open"}, ":t": {"N": "1"}})
    check.true(any(x["pk"]["S"] == "durable" for x in q["Items"]), "index entry survives kill -9")

check.done()
