"""test_ddb_multi_keys_boto3.py - GSIs with multi-attribute keys (DynamoDB, November 2025: up to 4 partition and 4
sort key attributes, "Multi-attribute keys pattern" in the developer guide), with boto3's client and its Table
resource: CreateTable and DescribeTable, index maintenance (sparse: an item lacking any key attribute has no
entry), Query (every partition attribute by equality; sort attributes from the first, equalities but the last,
which may be any key operator), the order of entries (sort attributes compared in turn, numbers numerically,
binaries bytewise even with 00 bytes), Limit and ExclusiveStartKey, KeyConditions, the errors, UpdateTable
adding such an index (backfill), PartiQL's refusal to read it, and a restart."""
import time

from boto3.dynamodb.conditions import Key
from harness import Checks, Server, attr, key

t = Checks()
ALL = {"ProjectionType": "ALL"}
TYPE_MISMATCH = "One or more parameter values were invalid: Condition parameter type does not match schema type"


def validation(fn, want, what):
    t.refuses(fn, "ValidationException", want, what)


def create(ddb):
    ddb.create_table(TableName="matches", BillingMode="PAY_PER_REQUEST", KeySchema=[key("id", "HASH")],
                     AttributeDefinitions=[attr("id", "S"), attr("tour", "S"), attr("rgn", "S"), attr("stage", "S"),
                                           attr("seq", "N")],
                     GlobalSecondaryIndexes=[{"IndexName": "by_bracket",
                                              "KeySchema": [key("tour", "HASH"), key("rgn", "HASH"), key("stage", "RANGE"),
                                                            key("seq", "RANGE")],
                                              "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["winner"]}}])


MATCHES = [  # id, tour, rgn, stage, seq
    ("m1", "W24", "NA", "FINAL", 1), ("m2", "W24", "NA", "SEMI", 2), ("m3", "W24", "NA", "SEMI", 1),
    ("m4", "W24", "NA", "QUARTER", 10), ("m5", "W24", "NA", "QUARTER", 9), ("m6", "W24", "EU", "SEMI", 1),
    ("m7", "S25", "NA", "SEMI", 1),
]


def query(ddb, cond, values, **kw):
    out = ddb.query(TableName="matches", IndexName="by_bracket", KeyConditionExpression=cond,
                    ExpressionAttributeValues=values, **kw)
    return [i["id"]["S"] for i in out.get("Items", [])], out


NA = {":t": {"S": "W24"}, ":r": {"S": "NA"}}
PART = "tour = :t AND rgn = :r"


def checks(s):
    ddb = s.client("dynamodb")
    # ---- the index as described ----
    gsi = ddb.describe_table(TableName="matches")["Table"]["GlobalSecondaryIndexes"][0]
    t.eq(gsi["KeySchema"], [key("tour", "HASH"), key("rgn", "HASH"), key("stage", "RANGE"), key("seq", "RANGE")],
         "KeySchema in its order")

    # ---- Query: entries ordered by (stage, seq), numbers numerically ----
    ids, out = query(ddb, PART, NA)
    t.eq(ids, ["m1", "m5", "m4", "m3", "m2"], "one partition, sorted by stage then seq")
    t.eq(sorted(out["Items"][0]), ["id", "rgn", "seq", "stage", "tour", "winner"], "INCLUDE projection with every key")
    t.eq(query(ddb, PART, NA, ScanIndexForward=False)[0], ["m2", "m3", "m4", "m5", "m1"], "descending")
    t.eq(query(ddb, "rgn = :r AND tour = :t", NA)[0], ["m1", "m5", "m4", "m3", "m2"], "partition attributes in any order")
    t.eq(query(ddb, PART + " AND stage = :o", {**NA, ":o": {"S": "SEMI"}})[0], ["m3", "m2"], "first sort attribute equal")
    t.eq(query(ddb, PART + " AND stage = :o AND seq > :n", {**NA, ":o": {"S": "QUARTER"}, ":n": {"N": "9"}})[0], ["m4"],
         "equality then a comparison on the last")
    t.eq(query(ddb, PART + " AND stage = :o AND seq <= :n", {**NA, ":o": {"S": "QUARTER"}, ":n": {"N": "9.5"}})[0], ["m5"],
         "<= on a number")
    t.eq(query(ddb, PART + " AND stage = :o AND seq BETWEEN :a AND :b",
               {**NA, ":o": {"S": "SEMI"}, ":a": {"N": "1"}, ":b": {"N": "2"}})[0], ["m3", "m2"], "BETWEEN on the last")
    t.eq(query(ddb, PART + " AND stage > :o", {**NA, ":o": {"S": "QUARTER"}})[0], ["m3", "m2"],
         "> on the first sort attribute skips every seq of that stage")
    t.eq(query(ddb, PART + " AND stage >= :o", {**NA, ":o": {"S": "QUARTER"}})[0], ["m5", "m4", "m3", "m2"], ">= keeps them")
    t.eq(query(ddb, PART + " AND stage < :o", {**NA, ":o": {"S": "QUARTER"}})[0], ["m1"], "<")
    t.eq(query(ddb, PART + " AND stage <= :o", {**NA, ":o": {"S": "QUARTER"}})[0], ["m1", "m5", "m4"], "<= keeps every seq")
    t.eq(query(ddb, PART + " AND begins_with(stage, :o)", {**NA, ":o": {"S": "S"}})[0], ["m3", "m2"], "begins_with")
    t.eq(query(ddb, PART + " AND stage BETWEEN :a AND :b", {**NA, ":a": {"S": "FINAL"}, ":b": {"S": "QUARTER"}})[0],
         ["m1", "m5", "m4"], "BETWEEN on the first sort attribute")
    t.eq(query(ddb, PART, {":t": {"S": "W24"}, ":r": {"S": "EU"}})[0], ["m6"], "another partition")
    t.eq(query(ddb, PART, {":t": {"S": "W2"}, ":r": {"S": "4NA"}})[0], [], "values are not run together")
    t.eq(query(ddb, PART + " AND stage = :o", {**NA, ":o": {"S": "SEM"}})[0], [], "equality is not a prefix")
    t.eq(query(ddb, PART, NA, Select="COUNT")[1]["Count"], 5, "COUNT")

    # ---- pages: LastEvaluatedKey holds the table's and every index key attribute ----
    ids, out = query(ddb, PART, NA, Limit=2)
    lek = out["LastEvaluatedKey"]
    t.eq((ids, sorted(lek)), (["m1", "m5"], ["id", "rgn", "seq", "stage", "tour"]), "first page and its key")
    rest, out = query(ddb, PART, NA, Limit=2, ExclusiveStartKey=lek)
    t.eq(rest, ["m4", "m3"], "second page")
    rest, out = query(ddb, PART + " AND stage = :o", {**NA, ":o": {"S": "QUARTER"}}, ExclusiveStartKey=lek)
    t.eq(rest, ["m4"], "a start key inside the range")
    validation(lambda: query(ddb, PART + " AND stage = :o", {**NA, ":o": {"S": "SEMI"}}, ExclusiveStartKey=lek),
               "The provided starting key does not match the range key predicate", "a start key outside the sort range")

    # ---- the Table resource and boto3.dynamodb.conditions ----
    table = s.resource("dynamodb").Table("matches")
    got = table.query(IndexName="by_bracket", KeyConditionExpression=Key("tour").eq("W24") & Key("rgn").eq("NA") &
                      Key("stage").eq("SEMI") & Key("seq").gte(2))["Items"]
    t.eq([(i["id"], i["seq"]) for i in got], [("m2", 2)], "Table.query with four Key conditions")

    # ---- KeyConditions ----
    legacy = ddb.query(TableName="matches", IndexName="by_bracket", KeyConditions={
        "tour": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "W24"}]},
        "rgn": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "NA"}]},
        "stage": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "QUARTER"}]},
        "seq": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "10"}]}})
    t.eq([i["id"]["S"] for i in legacy["Items"]], ["m5"], "KeyConditions")
    validation(lambda: ddb.query(TableName="matches", IndexName="by_bracket", KeyConditions={
        "tour": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "W24"}]},
        "rgn": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "NA"}]},
        "seq": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "1"}]}}),
        "RANGE key attributes stage must have equality conditions specified in the query because a condition is "
        "present on key attribute seq", "KeyConditions skipping a sort attribute")

    # ---- Query errors ----
    validation(lambda: query(ddb, "tour = :t", {":t": {"S": "W24"}}),
               "Query condition missed key schema element: rgn", "a partition attribute left out")
    validation(lambda: query(ddb, "tour = :t AND rgn > :r", NA), "Query key condition not supported",
               "a partition attribute compared")
    validation(lambda: query(ddb, PART + " AND seq = :n", {**NA, ":n": {"N": "1"}}),
               "RANGE key attributes stage must have equality conditions specified in the query because a condition is "
               "present on key attribute seq", "a sort attribute skipped")
    validation(lambda: query(ddb, PART + " AND stage > :o AND seq = :n", {**NA, ":o": {"S": "A"}, ":n": {"N": "1"}}),
               "Query key condition not supported", "a comparison before the last sort attribute")
    validation(lambda: query(ddb, PART + " AND winner = :o", {**NA, ":o": {"S": "A"}}),
               "Query condition missed key schema element: stage", "a condition on an attribute that is no key")
    validation(lambda: query(ddb, PART + " AND seq = :o AND stage = :o", {**NA, ":o": {"S": "A"}}), TYPE_MISMATCH,
               "a value of another type")
    validation(lambda: query(ddb, PART, {**NA, ":n": {"N": "1"}}, FilterExpression="seq > :n"),
               "Filter Expression can only contain non-primary key attributes: Primary key attribute: seq",
               "a filter on a sort attribute")

    # ---- writes: every key attribute must have its type; an item lacking one has no entry ----
    validation(lambda: ddb.put_item(TableName="matches", Item={"id": {"S": "bad"}, "seq": {"S": "x"}}),
               "One or more parameter values were invalid: Type mismatch for Index Key seq Expected: N Actual: S "
               "IndexName: by_bracket", "a key attribute of another type")
    validation(lambda: ddb.put_item(TableName="matches", Item={"id": {"S": "bad"}, "rgn": {"S": ""}}),
               "One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
               "The AttributeValue for a key attribute cannot contain an empty string value. IndexName: by_bracket, "
               "IndexKey: rgn", "an empty key attribute")
    ddb.put_item(TableName="matches", Item={"id": {"S": "x1"}, "tour": {"S": "W24"}, "rgn": {"S": "NA"},
                                            "stage": {"S": "FINAL"}})
    ddb.put_item(TableName="matches", Item={"id": {"S": "x2"}, "tour": {"S": "W24"}, "seq": {"N": "1"},
                                            "stage": {"S": "FINAL"}})
    t.eq(query(ddb, PART, NA)[0], ["m1", "m5", "m4", "m3", "m2"], "items lacking a key attribute have no entry")
    ddb.update_item(TableName="matches", Key={"id": {"S": "x1"}}, UpdateExpression="SET seq = :n",
                    ExpressionAttributeValues={":n": {"N": "0"}})
    t.eq(query(ddb, PART, NA)[0], ["x1", "m1", "m5", "m4", "m3", "m2"], "an update that completes the key adds the entry")
    ddb.update_item(TableName="matches", Key={"id": {"S": "x1"}}, UpdateExpression="SET rgn = :r",
                    ExpressionAttributeValues={":r": {"S": "EU"}})
    t.eq(query(ddb, PART, {":t": {"S": "W24"}, ":r": {"S": "EU"}})[0], ["x1", "m6"], "an update moves the entry")
    ddb.delete_item(TableName="matches", Key={"id": {"S": "x1"}})
    t.eq(query(ddb, PART, {":t": {"S": "W24"}, ":r": {"S": "EU"}})[0], ["m6"], "a delete removes it")
    t.eq(ddb.scan(TableName="matches", IndexName="by_bracket")["Count"], 7, "Scan of the index")

    # ---- PartiQL refuses the index (real DynamoDB: paritysuite/dynamodb-conformance
    # tests/tier3/error-messages/partiqlMultiAttributeIndex.test.ts), whatever the WHERE ----
    refused = ("PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE "
               "keys.")
    for stmt in ["SELECT id FROM \"matches\".\"by_bracket\" WHERE tour = 'W24' AND rgn = 'NA' AND stage = 'SEMI'",
                 "SELECT id FROM \"matches\".\"by_bracket\" WHERE tour = 'W24' AND seq = 1"]:
        t.refuses(lambda: ddb.execute_statement(Statement=stmt), "ValidationException", refused, "PartiQL on the index")
    got = ddb.execute_statement(Statement="SELECT id FROM \"matches\" WHERE id = 'm1'")["Items"]
    t.eq(got, [{"id": {"S": "m1"}}], "PartiQL on the table itself still reads")


with Server() as s:
    ddb = s.client("dynamodb")
    create(ddb)
    for mid, tour, rgn, stage, seq in MATCHES:
        ddb.put_item(TableName="matches", Item={"id": {"S": mid}, "tour": {"S": tour}, "rgn": {"S": rgn},
                                                "stage": {"S": stage}, "seq": {"N": str(seq)}, "winner": {"S": "w-" + mid},
                                                "notes": {"S": "not projected"}})
    checks(s)
    s.restart()
    checks(s)

    # ---- CreateTable: the key schema's rules ----
    def gsi_table(ks, names):
        return lambda: ddb.create_table(TableName="bad", BillingMode="PAY_PER_REQUEST", KeySchema=[key("pk", "HASH")],
                                        AttributeDefinitions=[attr(n, "S") for n in ["pk"] + names],
                                        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": ks, "Projection": ALL}])
    validation(gsi_table([key("a", "HASH"), key("b", "RANGE"), key("c", "HASH")], ["a", "b", "c"]),
               "All HASH key attributes must precede RANGE key attributes in the KeySchema", "HASH after RANGE")
    five = ["a", "b", "c", "d", "e"]
    validation(gsi_table([key(n, "HASH") for n in five], five),
               "The KeySchema exceeds the maximum allowed number of HASH key attributes", "five HASH attributes")
    validation(gsi_table([key("a", "HASH")] + [key(n, "RANGE") for n in five[1:]] + [key("f", "RANGE")], five + ["f"]),
               "The KeySchema exceeds the maximum allowed number of RANGE key attributes", "five RANGE attributes")
    validation(gsi_table([key("a", "HASH"), key("b", "RANGE"), key("a", "RANGE")], ["a", "b"]),
               "The KeySchema contains multiple key attributes with the same name", "an attribute twice")
    validation(gsi_table([key("a", "RANGE"), key("b", "RANGE")], ["a", "b"]),
               "Invalid KeySchema: The first KeySchemaElement is not a HASH key type", "no HASH first")
    validation(lambda: ddb.create_table(TableName="bad", BillingMode="PAY_PER_REQUEST",
                                        KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
                                        AttributeDefinitions=[attr(n, "S") for n in ("pk", "sk", "a", "b")],
                                        LocalSecondaryIndexes=[{"IndexName": "lsi", "Projection": ALL,
                                                                "KeySchema": [key("pk", "HASH"), key("a", "RANGE"),
                                                                              key("b", "RANGE")]}]),
               "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), "
               "KeySchemaElement(attributeName=a, keyType=RANGE), KeySchemaElement(attributeName=b, keyType=RANGE)]' at "
               "'localSecondaryIndexes.1.member.keySchema' failed to satisfy constraint: Member must have length less than "
               "or equal to 2", "an LSI keeps one sort key attribute")

    # ---- binary sort attributes: bytewise, a value with 00 bytes or a prefix of another in its place ----
    ddb.create_table(TableName="bins", BillingMode="PAY_PER_REQUEST", KeySchema=[key("id", "HASH")],
                     AttributeDefinitions=[attr("id", "S"), attr("p", "S"), attr("b", "B"), attr("n", "N")],
                     GlobalSecondaryIndexes=[{"IndexName": "gsi", "Projection": ALL,
                                              "KeySchema": [key("p", "HASH"), key("b", "RANGE"), key("n", "RANGE")]}])
    rows = [(b"\x00", 5), (b"\x00", 50), (b"\x00\x00", -1), (b"\x00\x01", -1), (b"\x01", -100), (b"\x01\x00", -100),
            (b"\xff", 1e-100), (b"\xff\x00", 0)]
    for i, (b, n) in enumerate(reversed(rows)):
        ddb.put_item(TableName="bins", Item={"id": {"S": str(i)}, "p": {"S": "x"}, "b": {"B": b}, "n": {"N": repr(n)}})
    got = ddb.query(TableName="bins", IndexName="gsi", KeyConditionExpression="p = :p",
                    ExpressionAttributeValues={":p": {"S": "x"}})["Items"]
    t.eq([(i["b"]["B"], float(i["n"]["N"])) for i in got], [(b, float(n)) for b, n in rows], "(B, N) tuples in order")
    got = ddb.query(TableName="bins", IndexName="gsi", KeyConditionExpression="p = :p AND begins_with(b, :b)",
                    ExpressionAttributeValues={":p": {"S": "x"}, ":b": {"B": b"\x00"}})["Items"]
    t.eq([i["b"]["B"] for i in got], [b"\x00", b"\x00", b"\x00\x00", b"\x00\x01"], "begins_with on a binary with a 00 byte")
    got = ddb.query(TableName="bins", IndexName="gsi", KeyConditionExpression="p = :p AND b = :b",
                    ExpressionAttributeValues={":p": {"S": "x"}, ":b": {"B": b"\x00"}})["Items"]
    t.eq([float(i["n"]["N"]) for i in got], [5.0, 50.0], "equality on a binary is not its prefix")

    # ---- UpdateTable adds a multi-attribute GSI and fills it from the items ----
    ddb.update_table(TableName="matches", AttributeDefinitions=[attr("winner", "S"), attr("seq", "N"), attr("stage", "S")],
                     GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "by_winner", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                                              "KeySchema": [key("winner", "HASH"), key("seq", "RANGE"),
                                                                            key("stage", "RANGE")]}}])
    for _ in range(200):
        idx = [g for g in ddb.describe_table(TableName="matches")["Table"]["GlobalSecondaryIndexes"] if g["IndexName"] == "by_winner"]
        if idx and idx[0]["IndexStatus"] == "ACTIVE":
            break
        time.sleep(0.05)
    t.eq(idx[0]["KeySchema"], [key("winner", "HASH"), key("seq", "RANGE"), key("stage", "RANGE")], "added index's KeySchema")
    got = ddb.query(TableName="matches", IndexName="by_winner", KeyConditionExpression="winner = :w AND seq = :n",
                    ExpressionAttributeValues={":w": {"S": "w-m3"}, ":n": {"N": "1"}})["Items"]
    t.eq(got, [{"id": {"S": "m3"}, "winner": {"S": "w-m3"}, "seq": {"N": "1"}, "stage": {"S": "SEMI"}}],
         "backfilled entry, KEYS_ONLY")
    attrs = {a["AttributeName"] for a in ddb.describe_table(TableName="matches")["Table"]["AttributeDefinitions"]}
    t.eq(attrs, {"id", "tour", "rgn", "stage", "seq", "winner"}, "AttributeDefinitions of every key attribute")

    # ---- a backup lists the indexes (and TTL) in SourceTableFeatureDetails; its restore queries the same ----
    ddb.update_time_to_live(TableName="matches", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    arn = ddb.create_backup(TableName="matches", BackupName="matches-bk")["BackupDetails"]["BackupArn"]
    features = ddb.describe_backup(BackupArn=arn)["BackupDescription"]["SourceTableFeatureDetails"]
    t.eq([(g["IndexName"], g["KeySchema"], g["Projection"]["ProjectionType"], g["ProvisionedThroughput"])
          for g in features["GlobalSecondaryIndexes"]],
         [("by_bracket", [key("tour", "HASH"), key("rgn", "HASH"), key("stage", "RANGE"), key("seq", "RANGE")], "INCLUDE",
           {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}),
          ("by_winner", [key("winner", "HASH"), key("seq", "RANGE"), key("stage", "RANGE")], "KEYS_ONLY",
           {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0})], "SourceTableFeatureDetails' GSIs")
    t.eq((features["TimeToLiveDescription"], "LocalSecondaryIndexes" in features, "StreamDescription" in features),
         ({"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}, False, False), "its TTL, and nothing it lacked")
    ddb.restore_table_from_backup(TargetTableName="matches2", BackupArn=arn)
    got = ddb.query(TableName="matches2", IndexName="by_bracket", KeyConditionExpression="tour = :t AND rgn = :r",
                    ExpressionAttributeValues=NA)["Items"]
    t.eq([i["id"]["S"] for i in got], ["m1", "m5", "m4", "m3", "m2"], "the restored table's index")

t.done()
