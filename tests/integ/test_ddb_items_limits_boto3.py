"""test_ddb_items_limits_boto3.py - item-operation behaviours and limits where a run of ScyllaDB's Alternator
suite (tests that pass against AWS DynamoDB) found awsemu different: an update that only removes attributes
leaves a missing item missing (UpdateItem and a transaction's Update, in either parameter style), a body sent
with Content-Encoding: gzip is inflated (members may follow one another; bytes after the last that start no
member are ignored, as DynamoDB's Java reader ignores them; anything broken, or another encoding, is a 500), an item
nested far beyond 32 levels gets DynamoDB's nesting error rather than a body-level refusal (no "contains invalid
value" wrapper in ExpressionAttributeValues), an expression holds at most 300 operators ("operator count: 301"), and
TagResource/UntagResource, which have no output shape, answer an empty body."""
import gzip
import json
import sys

from botocore.config import Config
from harness import DDB_SCOPE, Checks, RawConn, Server

t = Checks()
NESTING = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
# PutItem, UpdateItem and DeleteItem report their request validation inside this envelope (the
# paritysuite/dynamodb-conformance valueLayers and deleteItem captures, October 2026).
ENV = "1 validation error detected: "


def validation(fn, want, what):
    t.refuses(fn, "ValidationException", want, what)


sys.setrecursionlimit(5000)  # botocore walks a nested value recursively


def nested(levels):
    v = {"S": "x"}
    for _ in range(levels):
        v = {"M": {"a": v}}
    return v


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    ddb.create_table(TableName="items", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")

    def item(k):
        return ddb.get_item(TableName="items", Key={"pk": {"S": k}}, ConsistentRead=True).get("Item")

    # ---- an update made only of removals does not create a missing item ----
    r = ddb.update_item(TableName="items", Key={"pk": {"S": "r1"}}, UpdateExpression="REMOVE a, b", ReturnValues="ALL_NEW")
    t.eq(r.get("Attributes"), None, "REMOVE on a missing item: no new image")
    t.eq(item("r1"), None, "REMOVE on a missing item creates nothing")
    ddb.update_item(TableName="items", Key={"pk": {"S": "r2"}}, UpdateExpression="DELETE s :v",
                    ExpressionAttributeValues={":v": {"SS": ["x"]}})
    t.eq(item("r2"), None, "DELETE from a set of a missing item creates nothing")
    ddb.update_item(TableName="items", Key={"pk": {"S": "r3"}}, AttributeUpdates={"a": {"Action": "DELETE"}})
    t.eq(item("r3"), None, "AttributeUpdates DELETE on a missing item creates nothing")
    ddb.update_item(TableName="items", Key={"pk": {"S": "r4"}},
                    AttributeUpdates={"a": {"Action": "DELETE", "Value": {"NS": ["1"]}}, "b": {"Action": "DELETE"}})
    t.eq(item("r4"), None, "AttributeUpdates DELETE of set elements on a missing item creates nothing")
    ddb.transact_write_items(TransactItems=[{"Update": {"TableName": "items", "Key": {"pk": {"S": "r5"}},
                                                        "UpdateExpression": "REMOVE a"}}])
    t.eq(item("r5"), None, "a transaction's REMOVE on a missing item creates nothing")
    validation(lambda: ddb.update_item(TableName="items", Key={"pk": {"S": "r6"}}, UpdateExpression="DELETE s :v",
                                       ExpressionAttributeValues={":v": {"S": "x"}}),
               ENV + "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand "
               "type: STRING, typeSet: ALLOWED_FOR_DELETE_OPERAND", "a bad DELETE operand is still refused on a missing item")
    # ... while any other update, even an empty one, creates it; and an existing item keeps its key
    ddb.update_item(TableName="items", Key={"pk": {"S": "c1"}}, AttributeUpdates={})
    t.eq(item("c1"), {"pk": {"S": "c1"}}, "an empty AttributeUpdates creates the item")
    ddb.update_item(TableName="items", Key={"pk": {"S": "c2"}}, UpdateExpression="SET a = :v REMOVE b",
                    ExpressionAttributeValues={":v": {"N": "1"}})
    t.eq(item("c2"), {"pk": {"S": "c2"}, "a": {"N": "1"}}, "SET with REMOVE creates the item")
    ddb.update_item(TableName="items", Key={"pk": {"S": "c2"}}, UpdateExpression="REMOVE a")
    t.eq(item("c2"), {"pk": {"S": "c2"}}, "removing the last attribute of an existing item keeps its key")

    # ---- nesting: DynamoDB's own error well past 32 levels, bare in ExpressionAttributeValues ----
    for levels in (32, 50, 200):
        validation(lambda: ddb.put_item(TableName="items", Item={"pk": {"S": "n"}, "x": nested(levels)}), ENV + NESTING,
                   "PutItem of an attribute nested %d levels" % levels)
    validation(lambda: ddb.batch_write_item(RequestItems={"items": [{"PutRequest": {"Item": {"pk": {"S": "n"}, "x": nested(50)}}}]}),
               NESTING, "BatchWriteItem of an attribute nested 50 levels")
    validation(lambda: ddb.update_item(TableName="items", Key={"pk": {"S": "n"}}, UpdateExpression="SET x = :v",
                                       ExpressionAttributeValues={":v": nested(40)}),
               ENV + NESTING, "an ExpressionAttributeValues value nested 40 levels")
    ddb.put_item(TableName="items", Item={"pk": {"S": "n"}, "x": nested(31)})
    t.eq(item("n")["x"], nested(31), "31 levels below the attribute (32 in all) are stored")

    # ---- at most 300 operators in an expression ----
    ddb.put_item(TableName="items", Item={"pk": {"S": "o"}, "a": {"N": "1"}, "b": {"N": "2"}})
    ok = "a<b" + " or a<b" * 149  # 150 comparisons and 149 ORs
    ddb.put_item(TableName="items", Item={"pk": {"S": "o"}, "a": {"N": "1"}, "b": {"N": "2"}}, ConditionExpression=ok)
    t.true(True, "299 operators are accepted")
    for cond in ("a<b" + " or a<b" * 150, "a<b " + "or (a<b " * 454 + ")" * 454, "not " * 1000 + "a<b",
                 " and ".join(["a between :v and :v"] * 151), " and ".join(["a in (:v)"] * 151)):
        values = {":v": {"N": "1"}} if ":v" in cond else None
        kw = {"ExpressionAttributeValues": values} if values else {}
        validation(lambda: ddb.put_item(TableName="items", Item={"pk": {"S": "o"}}, ConditionExpression=cond, **kw),
                   ENV + "Invalid ConditionExpression: The expression contains too many operators; operator count: 301",
                   "ConditionExpression %.20s... of %d bytes" % (cond, len(cond)))
    validation(lambda: ddb.query(TableName="items", KeyConditionExpression="pk = :p",
                                 FilterExpression="a<b" + " or a<b" * 150, ExpressionAttributeValues={":p": {"S": "o"}}),
               "Invalid FilterExpression: The expression contains too many operators; operator count: 301",
               "a FilterExpression of 301 operators")
    upd = "SET " + ", ".join("a%d=:v+:v" % i for i in range(301))
    validation(lambda: ddb.update_item(TableName="items", Key={"pk": {"S": "o"}}, UpdateExpression=upd,
                                       ExpressionAttributeValues={":v": {"N": "1"}}),
               ENV + "Invalid UpdateExpression: The expression contains too many operators; operator count: 301",
               "an UpdateExpression of 301 '+'")

    # ---- request bodies sent with Content-Encoding: gzip ----
    conn = RawConn(s.port)

    def put(body, encoding):
        st, _, data = conn.send("POST", "/", body, {
            "X-Amz-Target": "DynamoDB_20120810.PutItem", "Content-Type": "application/x-amz-json-1.0",
            "Content-Encoding": encoding, "Authorization": DDB_SCOPE})
        doc = json.loads(data) if data else {}
        return st, doc.get("__type", "").split("#")[-1], doc.get("message")

    def put_body(k):
        return json.dumps({"TableName": "items", "Item": {"pk": {"S": k}, "v": {"S": "gz"}}}).encode()

    t.eq(put(gzip.compress(put_body("g1")), "gzip"), (200, "", None), "a gzip body")
    t.eq(item("g1"), {"pk": {"S": "g1"}, "v": {"S": "gz"}}, "a gzip body is written")
    b = put_body("g2")
    t.eq(put(gzip.compress(b[:10]) + gzip.compress(b[10:]), "gzip")[0], 200, "two gzip members")
    t.eq(item("g2"), {"pk": {"S": "g2"}, "v": {"S": "gz"}}, "two gzip members are written as one body")
    t.eq(put(gzip.compress(put_body("g3")) + b"junk", "GZIP")[0], 200, "bytes after the last member are ignored")
    t.eq(item("g3") is not None, True, "... and the body before them written")
    ise = (500, "InternalServerError", "Internal server error")
    t.eq(put(gzip.compress(put_body("g4"))[:-1], "gzip"), ise, "a truncated gzip body")
    t.eq(put(put_body("g4"), "gzip"), ise, "a body that is not gzip")
    t.eq(put(b"", "gzip"), ise, "an empty gzip body")
    t.eq(put(put_body("g4"), "deflate"), ise, "another encoding")
    t.eq(item("g4"), None, "none of the refused bodies was written")
    huge = put_body("g5")[:-1] + b" " * (20 << 20) + b"}"
    st, kind, text = put(gzip.compress(huge), "gzip")
    t.eq((st, kind, text), (413, "RequestEntityTooLargeException", "Request must be smaller than 16777216 bytes for the PutItem operation"),
         "an inflated body over --max-body")
    gz = s.client("dynamodb", config=Config(request_min_compression_size_bytes=1))
    for op in gz.meta.service_model._service_description["operations"].values():
        op["requestcompression"] = {"encodings": ["gzip"]}  # what boto3 would send if DynamoDB's model asked for it
    gz.put_item(TableName="items", Item={"pk": {"S": "g6"}, "long": {"S": "x" * 10000}})
    t.eq(gz.get_item(TableName="items", Key={"pk": {"S": "g6"}})["Item"]["long"], {"S": "x" * 10000}, "boto3's own gzip requests")

    # ---- TagResource and UntagResource answer an empty body ----
    arn = ddb.describe_table(TableName="items")["Table"]["TableArn"]
    for op, body in (("TagResource", {"ResourceArn": arn, "Tags": [{"Key": "k", "Value": "v"}]}),
                     ("UntagResource", {"ResourceArn": arn, "TagKeys": ["k"]})):
        st, headers, data = conn.send("POST", "/", json.dumps(body).encode(), {
            "X-Amz-Target": "DynamoDB_20120810." + op, "Content-Type": "application/x-amz-json-1.0", "Authorization": DDB_SCOPE})
        t.eq((st, data, headers.get("content-length"), headers.get("x-amz-crc32")), (200, b"", "0", "0"), op + " answers no body")
    st, _, data = conn.send("POST", "/", json.dumps({"ResourceArn": arn}).encode(), {
        "X-Amz-Target": "DynamoDB_20120810.ListTagsOfResource", "Content-Type": "application/x-amz-json-1.0", "Authorization": DDB_SCOPE})
    t.eq((st, json.loads(data)), (200, {"Tags": []}), "ListTagsOfResource still answers its object")
t.done()
