"""test_ddb_query_scan_boto3.py - Query and Scan behaviour that a run of ScyllaDB's Alternator suite (written
against real DynamoDB) found different, each checked against what DynamoDB is documented or recorded to answer:
Select=SPECIFIC_ATTRIBUTES needs AttributesToGet or ProjectionExpression; a Query wraps its Select messages in
the "1 validation error detected: " envelope while a Scan gives them bare; a parallel Scan's ExclusiveStartKey
must lie in the segment it is given with; KeyConditions with an operator no key can use (NE, IN, NULL, ...)
are "not an indexable operation", not the KeyConditionExpression messages; CONTAINS / NOT_CONTAINS (and
contains()) find a binary value inside a binary attribute, as they find a substring in a string; and a Query's
Limit below 1 is refused in the newer wording DynamoDB gives it (member "Limit", no value), a Scan's in the
model's. Limits below 1 go through a client without boto3's own parameter validation. A local INCLUDE index
reads its table only for attributes it does not project, and each item it fetches is charged (and counts towards
the 1 MB page) as its own size rounded up to 4 KB, as the developer guide's LSI.md works out."""
from botocore.config import Config

from harness import Checks, Server, attr, key

t = Checks()
ENVELOPE = "1 validation error detected: "
SPECIFIC = "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"


def validation(fn, want, what):
    t.refuses(fn, "ValidationException", want, what)


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    unchecked = s.client("dynamodb", config=Config(retries={"max_attempts": 1}, parameter_validation=False))
    ddb.create_table(TableName="qstab", BillingMode="PAY_PER_REQUEST", KeySchema=[key("p", "HASH"), key("c", "RANGE")],
                     AttributeDefinitions=[attr("p", "S"), attr("c", "N")])
    for i in range(20):
        ddb.put_item(TableName="qstab", Item={"p": {"S": "p%d" % (i % 4)}, "c": {"N": str(i)}, "x": {"N": str(i)},
                                           "b": {"B": bytes([i, 0xAB, 0xCD, 255 - i])}})
    kc = {"p": {"AttributeValueList": [{"S": "p1"}], "ComparisonOperator": "EQ"}}

    # ---- Select: SPECIFIC_ATTRIBUTES needs a projection; Query's messages carry the envelope, Scan's do not ----
    validation(lambda: ddb.query(TableName="qstab", KeyConditions=kc, Select="SPECIFIC_ATTRIBUTES"),
               ENVELOPE + SPECIFIC, "Query SPECIFIC_ATTRIBUTES without a projection")
    validation(lambda: ddb.scan(TableName="qstab", Select="SPECIFIC_ATTRIBUTES"), SPECIFIC, "Scan SPECIFIC_ATTRIBUTES without a projection")
    got = ddb.query(TableName="qstab", KeyConditions=kc, Select="SPECIFIC_ATTRIBUTES", AttributesToGet=["x"])["Items"]
    t.eq(got, [{"x": {"N": str(i)}} for i in (1, 5, 9, 13, 17)], "Query SPECIFIC_ATTRIBUTES with AttributesToGet")
    got = ddb.scan(TableName="qstab", Select="SPECIFIC_ATTRIBUTES", ProjectionExpression="c")["Items"]
    t.eq(sorted(int(i["c"]["N"]) for i in got), list(range(20)), "Scan SPECIFIC_ATTRIBUTES with ProjectionExpression")
    validation(lambda: ddb.query(TableName="qstab", KeyConditions=kc, Select="COUNT", ProjectionExpression="x"),
               ENVELOPE + "Cannot specify the ProjectionExpression when choosing to get only the Count", "Query COUNT with a projection")
    validation(lambda: ddb.scan(TableName="qstab", Select="COUNT", AttributesToGet=["x"]),
               "Cannot specify the AttributesToGet when choosing to get only the Count", "Scan COUNT with AttributesToGet")
    validation(lambda: ddb.query(TableName="qstab", KeyConditions=kc, Select="ALL_ATTRIBUTES", AttributesToGet=["x"]),
               ENVELOPE + "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES", "Query ALL_ATTRIBUTES with AttributesToGet")
    validation(lambda: ddb.query(TableName="qstab", KeyConditions=kc, Select="ALL_PROJECTED_ATTRIBUTES"),
               ENVELOPE + "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName", "Query ALL_PROJECTED_ATTRIBUTES")
    validation(lambda: ddb.scan(TableName="qstab", Select="ALL_PROJECTED_ATTRIBUTES"),
               "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName", "Scan ALL_PROJECTED_ATTRIBUTES")

    # ---- Limit below 1: Query's own wording, Scan's the model's ----
    for limit in (0, -1):
        validation(lambda: unchecked.query(TableName="qstab", KeyConditions=kc, Limit=limit),
                   ENVELOPE + "Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
                   "Query Limit %d" % limit)
        validation(lambda: unchecked.scan(TableName="qstab", Limit=limit),
                   ENVELOPE + "Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or "
                   "equal to 1" % limit, "Scan Limit %d" % limit)
    t.eq(ddb.query(TableName="qstab", KeyConditions=kc, Limit=2)["Count"], 2, "Query Limit 2")

    # ---- KeyConditions: an operator a key cannot use, checked after the missing key ----
    def cond(op, *vals):
        return {"AttributeValueList": list(vals), "ComparisonOperator": op}

    p1, n3 = {"S": "p1"}, {"N": "3"}
    for where, conds in (("the hash key", {"p": cond("NE", p1)}), ("the hash key", {"p": cond("IN", p1)}),
                         ("the hash key", {"p": cond("NULL")}), ("the sort key", {"p": cond("EQ", p1), "c": cond("NOT_NULL")}),
                         ("the sort key", {"p": cond("EQ", p1), "c": cond("CONTAINS", n3)}),
                         ("the sort key", {"p": cond("EQ", p1), "c": cond("NOT_CONTAINS", n3)})):
        op = [v["ComparisonOperator"] for v in conds.values()][-1]
        validation(lambda: ddb.query(TableName="qstab", KeyConditions=conds),
                   "Attempted conditional constraint is not an indexable operation", "KeyConditions %s on %s" % (op, where))
    validation(lambda: ddb.query(TableName="qstab", KeyConditions={"p": cond("EQ", p1), "x": cond("NE", n3)}),
               "Query condition missed key schema element: c", "KeyConditions NE on a non-key attribute")
    validation(lambda: ddb.query(TableName="qstab", KeyConditions={"p": cond("EQ", p1), "c": cond("NE", n3), "x": cond("EQ", n3)}),
               "Conditions can be of length 1 or 2 only", "three KeyConditions, one NE")
    validation(lambda: ddb.query(TableName="qstab", KeyConditionExpression="p = :p AND c <> :c",
                                 ExpressionAttributeValues={":p": p1, ":c": n3}),
               "Invalid operator used in KeyConditionExpression: <>", "<> in a KeyConditionExpression")

    # ---- a parallel Scan resumes only inside its own segment ----
    page = ddb.scan(TableName="qstab", Segment=0, TotalSegments=2, Limit=1)
    lek = page["LastEvaluatedKey"]
    rest = ddb.scan(TableName="qstab", Segment=0, TotalSegments=2, ExclusiveStartKey=lek)["Items"]
    seg0 = ddb.scan(TableName="qstab", Segment=0, TotalSegments=2)["Items"]
    t.eq(page["Items"] + rest, seg0, "segment 0 resumed from its own LastEvaluatedKey")
    validation(lambda: ddb.scan(TableName="qstab", Segment=1, TotalSegments=2, ExclusiveStartKey=lek),
               "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct "
               "Segment. TotalSegments: 2 Segment: 1", "segment 0's key given to segment 1")
    t.eq(len(ddb.scan(TableName="qstab", ExclusiveStartKey=lek)["Items"]) > 0, True, "the same key without segments")

    # ---- CONTAINS on a binary attribute looks for the bytes inside it ----
    def filtered(op, value):
        items = ddb.scan(TableName="qstab", ScanFilter={"b": {"AttributeValueList": [{"B": value}], "ComparisonOperator": op}})["Items"]
        return sorted(int(i["c"]["N"]) for i in items)

    t.eq(filtered("CONTAINS", b"\xab\xcd"), list(range(20)), "ScanFilter CONTAINS bytes in every item")
    t.eq(filtered("CONTAINS", bytes([0xCD, 250])), [5], "ScanFilter CONTAINS bytes in one item")
    t.eq(filtered("NOT_CONTAINS", bytes([0xCD, 250])), [i for i in range(20) if i != 5], "ScanFilter NOT_CONTAINS")
    t.eq(filtered("CONTAINS", bytes([0xCD, 0xAB])), [], "ScanFilter CONTAINS bytes in another order")
    got = ddb.query(TableName="qstab", KeyConditionExpression="p = :p", FilterExpression="contains(b, :b)",
                    ExpressionAttributeValues={":p": {"S": "p1"}, ":b": {"B": bytes([9, 0xAB])}})["Items"]
    t.eq([i["c"]["N"] for i in got], ["9"], "FilterExpression contains() on binary")

    # ---- a local INCLUDE index reaches its table only for attributes it does not project; each fetched item then
    # costs its own size rounded up to 4 KB, on the table's part, and counts so towards the 1 MB page (LSI.md) ----
    ddb.create_table(TableName="lsitab", BillingMode="PAY_PER_REQUEST", KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
                     AttributeDefinitions=[attr("pk", "S"), attr("sk", "N"), attr("g", "S")],
                     LocalSecondaryIndexes=[{"IndexName": "linc", "KeySchema": [key("pk", "HASH"), key("g", "RANGE")],
                                             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}])
    for i in range(0, 150, 25):  # items of about 10 KB (3 read units each), entries of under 20 bytes
        ddb.batch_write_item(RequestItems={"lsitab": [{"PutRequest": {"Item": {
            "pk": {"S": "b"}, "sk": {"N": str(j)}, "g": {"S": "G%03d" % j}, "x": {"N": str(j)}, "d": {"S": "d" * 10000}}}}
            for j in range(i, i + 25)]})

    def lsi_read(op, **kw):
        args = dict(TableName="lsitab", IndexName="linc", ReturnConsumedCapacity="INDEXES", **kw)
        if op == "query" and ("AttributesToGet" in kw or "QueryFilter" in kw):
            args.update(KeyConditions={"pk": {"AttributeValueList": [{"S": "b"}], "ComparisonOperator": "EQ"}})
        elif op == "query":
            args.update(KeyConditionExpression="pk = :p",
                        ExpressionAttributeValues=dict(kw.get("ExpressionAttributeValues", {}), **{":p": {"S": "b"}}))
        r = getattr(ddb, op)(**args)
        cc = r["ConsumedCapacity"]
        return (r["Count"], r["ScannedCount"], "LastEvaluatedKey" in r, cc["CapacityUnits"], cc["Table"]["CapacityUnits"],
                cc["LocalSecondaryIndexes"]["linc"]["CapacityUnits"])

    covered = (150, 150, False, 0.5, 0.0, 0.5)  # 150 entries, under 4 KB together: no fetch
    for op, kw, what in (("query", {}, "the entries alone"),
                         ("query", dict(ProjectionExpression="x, sk, g"), "a projection of projected attributes and keys"),
                         ("query", dict(FilterExpression="x >= :z", ExpressionAttributeValues={":z": {"N": "0"}}),
                          "a filter on a projected attribute"),
                         ("query", dict(AttributesToGet=["x", "pk"]), "AttributesToGet of projected attributes"),
                         ("query", dict(QueryFilter={"x": {"AttributeValueList": [{"N": "0"}], "ComparisonOperator": "GE"}}),
                          "a QueryFilter on a projected attribute"),
                         ("scan", dict(ProjectionExpression="x, sk"), "a Scan projecting projected attributes")):
        t.eq(lsi_read(op, **kw), covered, "local index, %s: no fetch" % what)
    # 86 fetches: 86 x 12 KB and the entries reach 1 MB; 86 x 3 units (half: eventually consistent) + 0.5 for the entries
    fetching = (86, 86, True, 129.5, 129.0, 0.5)
    for op, kw, what in (("query", dict(ProjectionExpression="x, d"), "a projection naming an unprojected attribute"),
                         ("query", dict(FilterExpression="begins_with(d, :d)", ExpressionAttributeValues={":d": {"S": "d"}}),
                          "a filter on an unprojected attribute"),
                         ("query", dict(Select="ALL_ATTRIBUTES"), "Select ALL_ATTRIBUTES"),
                         ("query", dict(AttributesToGet=["d"]), "AttributesToGet of an unprojected attribute"),
                         ("scan", dict(ProjectionExpression="d"), "a Scan projecting an unprojected attribute")):
        t.eq(lsi_read(op, **kw), fetching, "local index, %s: fetches" % what)
    t.eq(lsi_read("query", Select="ALL_ATTRIBUTES", ConsistentRead=True), (86, 86, True, 259.0, 258.0, 1.0),
         "strongly consistent fetches: 3 units an item and 1 for the entries")
    # LSI.md's worked example: 4 items of 300 bytes, 200 of them projected: 4 KB of entries + 4 x 4 KB fetched = 5 units
    for i in range(4):
        ddb.put_item(TableName="lsitab", Item={"pk": {"S": "f"}, "sk": {"N": str(i)}, "g": {"S": "g%d" % i},
                                               "x": {"S": "x" * 180}, "d": {"S": "d" * 99}})
    r = ddb.query(TableName="lsitab", IndexName="linc", KeyConditionExpression="pk = :p", Select="ALL_ATTRIBUTES",
                  ExpressionAttributeValues={":p": {"S": "f"}}, ConsistentRead=True, ReturnConsumedCapacity="INDEXES")
    t.eq((r["Count"], r["ConsumedCapacity"]), (4, {"TableName": "lsitab", "CapacityUnits": 5.0, "Table": {"CapacityUnits": 4.0},
                                                   "LocalSecondaryIndexes": {"linc": {"CapacityUnits": 1.0}}}),
         "LSI.md's example: 1 unit for the entries, 1 for each fetched item")
t.done()
