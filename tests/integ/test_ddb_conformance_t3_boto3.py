"""test_ddb_conformance_t3_boto3.py - what nubo-db/dynamodb-conformance's tier 3 (error-messages, validation-ordering,
limits; checked against real DynamoDB) showed awsemu answering otherwise, as DynamoDB answers it: the index a
refused index key names, an update's empty index key value, a transacted Put over the size limit, UpdateItem's
statement charge, an item operation's empty TableName, a control-plane request without one, BatchWriteItem's empty
RequestItems, a PartiQL operand type before the table.

Requests the SDK would refuse go raw (ddb_raw); the tables are made with boto3."""
import json

from harness import DDB_SCOPE, Checks, RawConn, Server, attr, ddb_raw, key

t = Checks()
INDEX_TYPE = "One or more parameter values were invalid: Type mismatch for Index Key lsi1sk Expected: S Actual: %s IndexName: gsi1"
INDEX_EMPTY = ("One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
               "The AttributeValue for a key attribute cannot contain an empty %s value. IndexName: %s, IndexKey: %s")
UPDATE_EMPTY = ("One or more parameter values are not valid. The update expression attempted to update a secondary index "
                "key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty %s "
                "value.")
EMPTY_NAME = ("1 validation error detected: Value at 'TableName' failed to satisfy constraint: Member must have length "
              "greater than or equal to 1")
NO_TABLE = "The parameter 'TableName' is required but was not present in the request"


def S(s):
    return {"S": s}


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    conn = RawConn(s.port)
    # the conformance suite's composite table: lsi1sk keys lsi1 (declared first) and gsi1
    ddb.create_table(TableName="comp", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
                     AttributeDefinitions=[attr("pk", "S"), attr("sk", "S"), attr("lsi1sk", "S")],
                     LocalSecondaryIndexes=[{"IndexName": "lsi1", "KeySchema": [key("pk", "HASH"), key("lsi1sk", "RANGE")],
                                             "Projection": {"ProjectionType": "ALL"}}],
                     GlobalSecondaryIndexes=[{"IndexName": "gsi1", "KeySchema": [key("lsi1sk", "HASH")],
                                              "Projection": {"ProjectionType": "ALL"}}])
    ddb.create_table(TableName="gsib", BillingMode="PAY_PER_REQUEST", KeySchema=[key("pk", "HASH")],
                     AttributeDefinitions=[attr("pk", "S"), attr("bidx", "B")],
                     GlobalSecondaryIndexes=[{"IndexName": "gsib", "KeySchema": [key("bidx", "HASH")],
                                              "Projection": {"ProjectionType": "ALL"}}])
    ddb.create_table(TableName="hashtab", BillingMode="PAY_PER_REQUEST", KeySchema=[key("pk", "HASH")],
                     AttributeDefinitions=[attr("pk", "S")])

    def refused(op, doc, want, what, code="ValidationException"):
        t.eq(ddb_raw(conn, op, doc), (400, code, want), what)

    def transact(items):
        st, _, data = conn.send("POST", "/", json.dumps({"TransactItems": items}).encode(), {
            "X-Amz-Target": "DynamoDB_20120810.TransactWriteItems", "Content-Type": "application/x-amz-json-1.0",
            "Authorization": DDB_SCOPE})
        body = json.loads(data)
        reasons = body.get("CancellationReasons") or []
        return (st, body.get("__type", "").split("#")[-1], body.get("message"),
                [(r.get("Code"), r.get("Message")) for r in reasons])

    def comp_item(pk, value):
        return {"pk": S(pk), "sk": S("a"), "lsi1sk": value}

    # ---- an index key refused in a written item names the GSI (error-messages/batchWriteItem, transactWriteItems) ----
    for name, value, kind in (("N", {"N": "5"}, "N"), ("L", {"L": [S("x")]}, "L")):
        refused("PutItem", {"TableName": "comp", "Item": comp_item("p", value)}, INDEX_TYPE % kind, "PutItem index key " + name)
        refused("BatchWriteItem", {"RequestItems": {"comp": [{"PutRequest": {"Item": comp_item("p", value)}}]}},
                INDEX_TYPE % kind, "BatchWriteItem index key " + name)
        t.eq(transact([{"Put": {"TableName": "comp", "Item": comp_item("p", value)}}])[3],
             [("ValidationError", INDEX_TYPE % kind)], "a transacted Put's index key " + name + " cancels, naming gsi1")
    refused("BatchWriteItem", {"RequestItems": {"comp": [{"PutRequest": {"Item": comp_item("p", S(""))}}]}},
            INDEX_EMPTY % ("string", "gsi1", "lsi1sk"), "an empty index key names gsi1")

    # ---- an update's empty index key value: its own words, the request's refusal in a transaction ----
    upd = {"TableName": "comp", "Key": {"pk": S("u"), "sk": S("a")}, "UpdateExpression": "SET lsi1sk = :v",
           "ExpressionAttributeValues": {":v": S("")}}
    refused("UpdateItem", upd, UPDATE_EMPTY % "string", "UpdateItem empty index key")
    t.eq(transact([{"Update": upd}]), (400, "ValidationException", UPDATE_EMPTY % "string", []),
         "a transacted Update's empty index key is the request's ValidationException")
    updb = {"TableName": "gsib", "Key": {"pk": S("u")}, "UpdateExpression": "SET bidx = :v",
            "ExpressionAttributeValues": {":v": {"B": ""}}}
    t.eq(transact([{"Update": updb}]), (400, "ValidationException", UPDATE_EMPTY % "binary", []),
         "a transacted Update's empty binary index key")
    t.eq(transact([{"Put": {"TableName": "gsib", "Item": {"pk": S("p"), "bidx": {"B": ""}}}}]),
         (400, "ValidationException", INDEX_EMPTY % ("binary", "gsib", "bidx"), []), "a transacted Put's empty binary index key")
    t.eq(transact([{"Update": dict(upd, ExpressionAttributeValues={":v": {"N": "5"}})}])[3],
         [("ValidationError", INDEX_TYPE % "N")], "a transacted Update's wrong-typed index key still cancels")
    t.eq(ddb.get_item(TableName="comp", Key={"pk": S("u"), "sk": S("a")}).get("Item"), None, "nothing written")

    # ---- a transacted Put over the size limit is refused up front; an Update over it cancels (limits/itemSizeBySurface) ----
    big = "x" * 409600
    t.eq(transact([{"Put": {"TableName": "hashtab", "Item": {"pk": S("big"), "p": S(big)}}}]),
         (400, "ValidationException", "Item size has exceeded the maximum allowed size", []), "a transacted Put over 400KB")
    t.eq(transact([{"Update": {"TableName": "hashtab", "Key": {"pk": S("big")}, "UpdateExpression": "SET p = :p",
                               "ExpressionAttributeValues": {":p": S(big)}}}])[3],
         [("ValidationError", "Item size to update has exceeded the maximum allowed size")],
         "a transacted Update over 400KB cancels")

    # ---- UpdateItem charges its statement: 3, plus 19 and the target and value per SET (limits/itemSizeBySurface) ----
    ddb.put_item(TableName="hashtab", Item={"pk": S("K")})
    at = 409600 - 3 - 19 - 1  # the statement 'SET b = :pad' at its largest
    ddb.update_item(TableName="hashtab", Key={"pk": S("K")}, UpdateExpression="SET b = :pad",
                    ExpressionAttributeValues={":pad": S("x" * at)})
    t.eq(len(ddb.get_item(TableName="hashtab", Key={"pk": S("K")})["Item"]["b"]["S"]), at, "the largest SET is stored")
    refused("UpdateItem", {"TableName": "hashtab", "Key": {"pk": S("L")}, "UpdateExpression": "SET b = :pad",
                           "ConditionExpression": "attribute_exists(nothing)",
                           "ExpressionAttributeValues": {":pad": S("x" * (at + 1))}},
            "Item size to update has exceeded the maximum allowed size", "one byte more, refused before the condition")
    refused("UpdateItem", {"TableName": "hashtab", "Key": {"pk": S("L")}, "UpdateExpression": "SET b[0] = :pad",
                           "ExpressionAttributeValues": {":pad": S("x" * (at - 4))}},
            "Item size to update has exceeded the maximum allowed size", "a list index target costs 4 and its digits more")
    t.eq(transact([{"Update": {"TableName": "hashtab", "Key": {"pk": S("M")}, "UpdateExpression": "SET b = :pad",
                               "ExpressionAttributeValues": {":pad": S("x" * (at + 10))}}}])[0], 200,
         "a transacted Update measures the finished item alone")

    # ---- an item operation's TableName '' alone, in the newer words (validation-ordering; paritysuite splits.json) ----
    refused("PutItem", {"TableName": "", "Item": {}, "ReturnValues": "INVALID"}, EMPTY_NAME, "PutItem '' beside a bad enum")
    refused("DeleteItem", {"TableName": "", "Key": {}, "ReturnValues": "INVALID"}, EMPTY_NAME, "DeleteItem ''")
    refused("UpdateItem", {"TableName": "", "Key": {}}, EMPTY_NAME, "UpdateItem '' with a Key")
    refused("UpdateItem", {"TableName": "", "UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": S("x")}},
            "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length "
            "greater than or equal to 1; Value null at 'key' failed to satisfy constraint: Member must not be null",
            "UpdateItem '' without a Key keeps the older joined form")

    # ---- BatchWriteItem's empty RequestItems in its own words (28 of 33 regions, us-east-1 among them, October 2026);
    # BatchGetItem's in the generic words (all regions but me-central-1, September 2026) ----
    refused("BatchWriteItem", {"RequestItems": {}}, "The requestItems parameter is required for BatchWriteItem",
            "BatchWriteItem empty RequestItems")
    refused("BatchWriteItem", {}, "The requestItems parameter is required for BatchWriteItem",
            "BatchWriteItem without RequestItems")
    refused("BatchGetItem", {"RequestItems": {}},
            "1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length "
            "greater than or equal to 1", "BatchGetItem empty RequestItems")

    # ---- a control-plane request without a TableName (error-messages/createTable) ----
    for op in ("CreateTable", "DescribeTable", "DeleteTable", "UpdateTable", "DescribeTimeToLive"):
        refused(op, {}, NO_TABLE, op + " without a TableName")
    refused("CreateTable", {"TableName": None},
            "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
            "CreateTable with a null TableName")

    # ---- PartiQL: an operand without an order is refused before the table is looked up (validation-ordering/partiql) ----
    refused("ExecuteStatement", {"Statement": 'SELECT pk FROM "no_such_table" WHERE pk = ? AND val < ?',
                                 "Parameters": [S("x"), {"BOOL": True}]},
            "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL",
            "an unordered operand before the missing table")
    refused("ExecuteStatement", {"Statement": "SELECT pk FROM \"no_such_table\" WHERE pk = 'x' AND v BETWEEN ? AND 3",
                                 "Parameters": [{"NULL": True}]},
            "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: NULL",
            "BETWEEN's unordered operand")
    refused("ExecuteStatement", {"Statement": 'SELECT pk FROM "no_such_table" WHERE pk = ?', "Parameters": [S("x")]},
            "Requested resource not found", "the same table, well formed, is missing", "ResourceNotFoundException")

t.done()
