"""test_ddb_nul_strings_boto3.py - DynamoDB stores strings holding NUL ("\\u0000" on the wire), as ScyllaDB's
Alternator suite finds real DynamoDB does (test_null_in_string): in values, keys, attribute names and sets, kept
across a restart and in stream records; a NUL counts as one byte (sizes, size()) and sorts below every other byte
(key order, comparisons); begins_with and contains see it. SQS still refuses it in a message body
(test_hostile_services.py)."""
from boto3.dynamodb.conditions import Attr, Key
from harness import Checks, Server, attr, key

t = Checks()
P = "x\x00y"
SORTS = ["b", "a\x01", "a\x00b", "a\x00", "a", "\x00"]


def checks(s):
    ddb = s.client("dynamodb")
    got = ddb.get_item(TableName="nul", Key={"p": {"S": P}, "s": {"S": "a\x00b"}}, ReturnConsumedCapacity="TOTAL")
    t.eq(got["Item"], {"p": {"S": P}, "s": {"S": "a\x00b"}, "v": {"S": "hello\x00world"}, "ss": {"SS": ["q", "q\x00"]},
                       "k\x00": {"N": "1"}}, "GetItem: NUL in key, value, set member and attribute name (sets bytewise)")
    q = ddb.query(TableName="nul", KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": {"S": P}})
    t.eq([i["s"]["S"] for i in q["Items"]], sorted(SORTS), "sort key order: NUL below every byte, a prefix first")
    q = ddb.query(TableName="nul", KeyConditionExpression="p = :p AND begins_with(s, :b)",
                  ExpressionAttributeValues={":p": {"S": P}, ":b": {"S": "a\x00"}})
    t.eq([i["s"]["S"] for i in q["Items"]], ["a\x00", "a\x00b"], "begins_with a prefix ending in NUL")
    q = ddb.query(TableName="nul", KeyConditionExpression="p = :p AND s < :b",
                  ExpressionAttributeValues={":p": {"S": P}, ":b": {"S": "a\x00"}})
    t.eq([i["s"]["S"] for i in q["Items"]], ["\x00", "a"], "< on the sort key")
    table = s.resource("dynamodb").Table("nul")
    got = table.scan(FilterExpression=Attr("v").size().eq(11) & Attr("v").contains("\x00") & Attr("s").gt("a"))["Items"]
    t.eq(sorted(i["s"] for i in got), ["a\x00", "a\x00b", "a\x01", "b"], "size() counts a NUL as one byte; contains finds it")
    got = table.query(KeyConditionExpression=Key("p").eq(P) & Key("s").between("\x00", "a"))["Items"]
    t.eq([i["s"] for i in got], ["\x00", "a"], "Table resource: BETWEEN from NUL")


with Server() as s:
    ddb = s.client("dynamodb")
    ddb.create_table(TableName="nul", BillingMode="PAY_PER_REQUEST", KeySchema=[key("p", "HASH"), key("s", "RANGE")],
                     AttributeDefinitions=[attr("p", "S"), attr("s", "S")],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    for sk in SORTS:
        ddb.put_item(TableName="nul", Item={"p": {"S": P}, "s": {"S": sk}, "v": {"S": "hello\x00world"},
                                            "ss": {"SS": ["q\x00", "q"]}, "k\x00": {"N": "1"}})
    checks(s)
    # sizes: a NUL is one byte. "p" x\0y is 1 + 3 bytes, "s" size 1 + 4, "v" 1 + the NULs: with 1000 of them 1010
    # bytes, one write unit; with 1020, 1030 bytes, two (a replacement costs the larger of the two images)
    out = ddb.put_item(TableName="nul", Item={"p": {"S": P}, "s": {"S": "size"}, "v": {"S": "\x00" * 1000}},
                       ReturnConsumedCapacity="TOTAL")
    t.eq(out["ConsumedCapacity"]["CapacityUnits"], 1.0, "1000 NULs and the rest (1010 bytes): 1 write unit")
    out = ddb.put_item(TableName="nul", Item={"p": {"S": P}, "s": {"S": "size"}, "v": {"S": "\x00" * 1020}},
                       ReturnConsumedCapacity="TOTAL")
    t.eq(out["ConsumedCapacity"]["CapacityUnits"], 2.0, "1020 NULs and the rest (1030 bytes): 2 write units")
    ddb.delete_item(TableName="nul", Key={"p": {"S": P}, "s": {"S": "size"}})
    out = ddb.update_item(TableName="nul", Key={"p": {"S": P}, "s": {"S": "b"}}, UpdateExpression="SET w = :w",
                          ExpressionAttributeValues={":w": {"S": "\x00\x00"}}, ReturnValues="UPDATED_NEW")
    t.eq(out["Attributes"], {"w": {"S": "\x00\x00"}}, "UpdateItem returns the new value")
    t.refuses(lambda: ddb.put_item(TableName="nul", Item={"p": {"S": P}, "s": {"S": "d"}, "ss": {"SS": ["q\x00", "q\x00"]}}),
              "ValidationException", "1 validation error detected: One or more parameter values were invalid: Input "
              "collection [\"q\x00\", \"q\x00\"] contains "
              "duplicates.", "a set member repeated, NUL and all")
    # the stream's records carry the NUL
    streams = s.client("dynamodbstreams")
    arn = ddb.describe_table(TableName="nul")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = streams.get_records(ShardIterator=it)["Records"]
    t.eq(records[0]["dynamodb"]["NewImage"]["v"], {"S": "hello\x00world"}, "stream record's NewImage")
    t.eq(records[0]["dynamodb"]["Keys"]["p"], {"S": P}, "stream record's Keys")
    s.restart(kill=True)
    checks(s)

t.done()
