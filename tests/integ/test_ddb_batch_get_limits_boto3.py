"""test_ddb_batch_get_limits_boto3.py - BatchGetItem's 16 MB response limit and what it checks before the table.

The API reference (BatchGetItem): "A single operation can retrieve up to 16 MB of data ... if you ask to retrieve
100 items, but each individual item is 300 KB in size, the system returns 52 items (so as not to exceed the 16 MB
limit). It also returns an appropriate UnprocessedKeys value", which is "in the same form as RequestItems". awsemu
reads the keys in request order and stops at the first item that would take the response past 16,000,000 bytes of
item size (52 items of 307,200 bytes fit, 53 do not); the keys left, with their table's other parameters, are
UnprocessedKeys, and only what was read is charged.

Duplicate keys for a table that does not exist are the duplicate-keys ValidationException, not
ResourceNotFoundException (ExtendDB's tests/test_validation_precedence.py, captured from DynamoDB)."""
from harness import Checks, Server

t = Checks()
KB300 = 307200  # "300 KB": the item size DynamoDB counts (names + values)
DUP = "Provided list of item keys contains duplicates"


def S(s):
    return {"S": s}


def sized(pk, size):
    """An item of exactly `size` bytes: "pk" + its value + "d" + the padding."""
    return {"pk": S(pk), "d": S("x" * (size - 2 - len(pk) - 1))}


def pks(items):
    return sorted(i["pk"]["S"] for i in items)


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    for name, ty in (("big", "S"), ("small", "S"), ("nums", "N")):
        ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": ty}], BillingMode="PAY_PER_REQUEST")
    names = ["L%02d" % i for i in range(60)]
    for n in names:
        ddb.put_item(TableName="big", Item=sized(n, KB300))
    ddb.put_item(TableName="big", Item=sized("edge", 16000000 - 52 * KB300))
    ddb.put_item(TableName="big", Item=sized("over", 16000000 - 52 * KB300 + 1))
    for n in ("s1", "s2"):
        ddb.put_item(TableName="small", Item={"pk": S(n), "n": {"N": "1"}})
    keys = [{"pk": S(n)} for n in names]

    # ---- 60 items of 300 KB: 52 answered, 8 left in UnprocessedKeys, 52 charged ----
    r = ddb.batch_get_item(RequestItems={"big": {"Keys": keys}}, ReturnConsumedCapacity="TOTAL")
    t.eq(pks(r["Responses"]["big"]), names[:52], "the first 52 items of 300 KB are answered")
    t.eq(r["UnprocessedKeys"], {"big": {"Keys": keys[52:]}}, "the other 8 keys are unprocessed, in request order")
    t.eq(r["ConsumedCapacity"], [{"TableName": "big", "CapacityUnits": 52 * 75 / 2}], "only the 52 read are charged")
    r2 = ddb.batch_get_item(RequestItems=r["UnprocessedKeys"])
    t.eq((pks(r2["Responses"]["big"]), r2["UnprocessedKeys"]), (names[52:], {}), "sending UnprocessedKeys again reads the rest")

    # ---- the limit is 16,000,000 bytes of item size; after the first item over it nothing more is read ----
    r = ddb.batch_get_item(RequestItems={"big": {"Keys": keys[:52] + [{"pk": S("edge")}]}})
    t.eq((len(r["Responses"]["big"]), r["UnprocessedKeys"]), (53, {}), "items of exactly 16,000,000 bytes all fit")
    tail = [{"pk": S("over")}, {"pk": S("edge")}, {"pk": S("gone")}]
    r = ddb.batch_get_item(RequestItems={"big": {"Keys": keys[:52] + tail}}, ReturnConsumedCapacity="TOTAL")
    t.eq((len(r["Responses"]["big"]), r["UnprocessedKeys"]), (52, {"big": {"Keys": tail}}),
         "one byte over: that key and every later one are unprocessed, though a later one would fit")
    t.eq(r["ConsumedCapacity"][0]["CapacityUnits"], 52 * 75 / 2, "the item over the limit is not charged")

    # ---- UnprocessedKeys keeps each table's parameters as given ----
    spec = {"Keys": keys, "ConsistentRead": True, "ProjectionExpression": "#k, n", "ExpressionAttributeNames": {"#k": "pk"}}
    r = ddb.batch_get_item(RequestItems={"big": spec}, ReturnConsumedCapacity="TOTAL")
    t.eq(r["UnprocessedKeys"], {"big": dict(spec, Keys=keys[52:])}, "ProjectionExpression, names and ConsistentRead kept")
    t.eq(r["Responses"]["big"][0], {"pk": S(names[0])}, "the projection applies to the items answered")
    t.eq(r["ConsumedCapacity"][0]["CapacityUnits"], 52 * 75, "a projection reads (and counts) whole items")
    r = ddb.batch_get_item(RequestItems={"big": {"Keys": keys, "AttributesToGet": ["pk"]}})
    t.eq(r["UnprocessedKeys"], {"big": {"Keys": keys[52:], "AttributesToGet": ["pk"]}}, "AttributesToGet kept")

    # ---- several tables: read in request order; a table reached after the limit is unprocessed whole ----
    small = {"Keys": [{"pk": S("s1")}, {"pk": S("s9")}, {"pk": S("s2")}]}
    r = ddb.batch_get_item(RequestItems={"big": {"Keys": keys}, "small": small}, ReturnConsumedCapacity="TOTAL")
    t.eq((len(r["Responses"]["big"]), r["Responses"]["small"]), (52, []), "the table after the limit answers nothing")
    t.eq(r["UnprocessedKeys"], {"big": {"Keys": keys[52:]}, "small": small}, "both tables' keys left")
    t.eq(r["ConsumedCapacity"], [{"TableName": "big", "CapacityUnits": 1950.0}, {"TableName": "small", "CapacityUnits": 0.0}],
         "the unread table is charged nothing")
    r = ddb.batch_get_item(RequestItems={"small": small, "big": {"Keys": keys}}, ReturnConsumedCapacity="TOTAL")
    t.eq((pks(r["Responses"]["small"]), len(r["Responses"]["big"])), (["s1", "s2"], 52), "a table before the limit is read")
    t.eq(r["UnprocessedKeys"], {"big": {"Keys": keys[52:]}}, "only the big table's last keys left")
    t.eq(r["ConsumedCapacity"], [{"TableName": "small", "CapacityUnits": 1.5}, {"TableName": "big", "CapacityUnits": 1950.0}],
         "a missing key still costs its minimum")

    # ---- the usual client loop (boto3's resource layer) ends with every item once ----
    res = s.resource("dynamodb")
    request, got, calls = {"big": {"Keys": [{"pk": n} for n in names]}}, [], 0
    while request:
        r = res.batch_get_item(RequestItems=request)
        got += [i["pk"] for i in r["Responses"]["big"]]
        request, calls = r["UnprocessedKeys"], calls + 1
    t.eq((sorted(got), calls), (names, 2), "the resource's UnprocessedKeys loop reads all 60 in two calls")

    # ---- duplicate keys are refused before the table is looked up ----
    t.refuses(lambda: ddb.batch_get_item(RequestItems={"no_such_table": {"Keys": [{"a": S("k")}, {"a": S("k")}]}}),
              "ValidationException", DUP, "duplicate keys for a missing table")
    t.refuses(lambda: ddb.batch_get_item(RequestItems={"big": {"Keys": [{"pk": S("a")}]},
                                                       "no_such_table": {"Keys": [{"a": S("k")}, {"a": S("k")}]}}),
              "ValidationException", DUP, "duplicate keys for a missing table after an existing one")
    t.refuses(lambda: ddb.batch_get_item(RequestItems={"no_such_table": {"Keys": [{"a": S("k"), "b": {"N": "1"}},
                                                                                  {"b": {"N": "1.0"}, "a": S("k")}]}}),
              "ValidationException", DUP, "duplicates compare values (1 = 1.0) whatever the member order")
    t.refuses(lambda: ddb.batch_get_item(RequestItems={"nums": {"Keys": [{"pk": {"N": "10"}}, {"pk": {"N": "1E1"}}]}}),
              "ValidationException", DUP, "numerically equal keys of an existing table")
    t.raises(lambda: ddb.batch_get_item(RequestItems={"no_such_table": {"Keys": [{"a": S("k")}, {"a": S("j")}]}}),
             "ResourceNotFoundException", "distinct keys for a missing table")
    t.raises(lambda: ddb.batch_get_item(RequestItems={"no_such_table": {"Keys": [{"a": S("k")}, {"a": S("k"), "b": S("x")}]}}),
             "ResourceNotFoundException", "keys with other attributes are not duplicates")
    bad = {"pk": {"N": "abc"}}
    e1 = t.raises(lambda: ddb.get_item(TableName="no_such_table", Key=bad), "ValidationException", "GetItem bad number")
    e2 = t.raises(lambda: ddb.batch_get_item(RequestItems={"no_such_table": {"Keys": [bad]}}), "ValidationException",
                  "a key value is checked before the table, as GetItem checks it")
    t.eq(e2 and e2.response["Error"]["Message"], e1 and e1.response["Error"]["Message"], "the same message as GetItem's")
t.done()
