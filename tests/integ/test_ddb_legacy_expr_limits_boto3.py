"""test_ddb_legacy_expr_limits_boto3.py - ConditionalOperator in the item writes, the 255-byte limit on
ExpressionAttributeNames/Values keys and the oversized-expression messages, as ExtendDB/extenddb's dual-target
suite recorded real DynamoDB (us-east-1): tests/test_conditional_operator.py,
tests/test_expression_attribute_map_validation.py and tests/test_expression_size_limit.py.

ConditionalOperator is a non-expression parameter of PutItem, DeleteItem and UpdateItem: alone it is refused, beside
an expression it is named in the mixing message, after Expected. PutItem, UpdateItem and DeleteItem put these
refusals in the "1 validation error detected: " envelope, as they do their other request checks (awsemu's
paritysuite/dynamodb-conformance captures, October 2026); ExtendDB's strings lack it, so the envelope is uncertain."""
from botocore.config import Config

from harness import Checks, Server

t = Checks()
VE = "ValidationException"
WITHOUT = "ConditionalOperator cannot be used without Filter or Expected"
TWO = "ConditionalOperator can only be used when Filter or Expected has two or more elements"
KEY_TOO_LONG = "contains invalid key: The expression attribute map contains a key that is too long;"
SIZE = "Expression size has exceeded the maximum allowed size;"


def one(m):
    return "1 validation error detected: " + m


def mixing(legacy, exprs):
    return ("Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {%s} Expression parameters: {%s}" % (legacy, exprs))


def cond(v="x"):
    return {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": v}]}


def name_of_len(n):
    return "a" + "z" * (n - 1)


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    T = "tbl"
    ddb.create_table(TableName=T, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    K1 = {"pk": {"S": "k1"}}
    ddb.put_item(TableName=T, Item={"pk": {"S": "k1"}, "a": {"S": "x"}, "b": {"S": "y"}})

    def stored(k):
        return ddb.get_item(TableName=T, Key={"pk": {"S": k}}).get("Item")

    # ---- ConditionalOperator alone, or with fewer than two conditions, in the item writes ----
    t.refuses(lambda: ddb.put_item(TableName=T, Item={"pk": {"S": "k2"}}, ConditionalOperator="AND"), VE, one(WITHOUT),
              "PutItem ConditionalOperator alone")
    t.eq(stored("k2"), None, "PutItem ConditionalOperator alone writes nothing")
    t.refuses(lambda: ddb.put_item(TableName=T, Item={"pk": {"S": "k2"}}, ConditionalOperator="AND",
                                   Expected={"a": cond()}), VE, one(TWO), "PutItem ConditionalOperator, one Expected")
    t.refuses(lambda: ddb.delete_item(TableName=T, Key=K1, ConditionalOperator="AND"), VE, one(WITHOUT),
              "DeleteItem ConditionalOperator alone")
    t.refuses(lambda: ddb.delete_item(TableName=T, Key=K1, ConditionalOperator="OR", Expected={"a": cond()}), VE,
              one(TWO), "DeleteItem ConditionalOperator, one Expected")
    t.refuses(lambda: ddb.update_item(TableName=T, Key=K1, ConditionalOperator="AND"), VE, one(WITHOUT),
              "UpdateItem ConditionalOperator alone")
    t.refuses(lambda: ddb.update_item(TableName=T, Key=K1, ConditionalOperator="AND",
                                      AttributeUpdates={"a": {"Value": {"S": "v"}, "Action": "PUT"}}), VE, one(WITHOUT),
              "UpdateItem ConditionalOperator with AttributeUpdates only")
    t.eq(stored("k1"), {"pk": {"S": "k1"}, "a": {"S": "x"}, "b": {"S": "y"}}, "k1 untouched by the refused writes")
    t.refuses(lambda: ddb.scan(TableName=T, ConditionalOperator="AND", ScanFilter={}), VE, WITHOUT,
              "Scan ConditionalOperator with an empty ScanFilter")

    # ---- ConditionalOperator beside an expression: the mixing message names it ----
    t.refuses(lambda: ddb.put_item(TableName=T, Item={"pk": {"S": "k2"}}, ConditionalOperator="AND",
                                   ConditionExpression="attribute_exists(pk)"), VE,
              one(mixing("ConditionalOperator", "ConditionExpression")), "PutItem ConditionalOperator and a condition")
    t.refuses(lambda: ddb.put_item(TableName=T, Item={"pk": {"S": "k2"}}, Expected={"a": cond()},
                                   ConditionalOperator="AND", ConditionExpression="attribute_exists(pk)"), VE,
              one(mixing("Expected, ConditionalOperator", "ConditionExpression")),
              "PutItem Expected, ConditionalOperator and a condition")
    t.refuses(lambda: ddb.delete_item(TableName=T, Key=K1, ConditionalOperator="AND",
                                      ConditionExpression="attribute_exists(pk)"), VE,
              one(mixing("ConditionalOperator", "ConditionExpression")), "DeleteItem ConditionalOperator and a condition")
    t.refuses(lambda: ddb.update_item(TableName=T, Key=K1, ConditionalOperator="AND", UpdateExpression="SET a = :v",
                                      ExpressionAttributeValues={":v": {"S": "u"}}), VE,
              one(mixing("ConditionalOperator", "UpdateExpression")), "UpdateItem ConditionalOperator and an update")
    t.refuses(lambda: ddb.update_item(TableName=T, Key=K1, AttributeUpdates={"a": {"Value": {"S": "v"}, "Action": "PUT"}},
                                      Expected={"a": cond()}, ConditionalOperator="AND", UpdateExpression="SET a = :v",
                                      ConditionExpression="attribute_exists(pk)",
                                      ExpressionAttributeValues={":v": {"S": "u"}}), VE,
              one(mixing("AttributeUpdates, Expected, ConditionalOperator", "UpdateExpression, ConditionExpression")),
              "UpdateItem every kind")
    t.eq(stored("k1"), {"pk": {"S": "k1"}, "a": {"S": "x"}, "b": {"S": "y"}}, "k1 untouched by the mixed writes")

    # ---- ConditionalOperator with two or more Expected conditions still works ----
    ddb.put_item(TableName=T, Item={"pk": {"S": "k3"}, "a": {"S": "x"}, "b": {"S": "y"}}, ConditionalOperator="AND",
                 Expected={"a": {"Exists": False}, "b": {"Exists": False}})
    ddb.delete_item(TableName=T, Key={"pk": {"S": "k3"}}, ConditionalOperator="OR",
                    Expected={"a": cond("x"), "b": cond("zzz")})
    t.eq(stored("k3"), None, "DeleteItem with ConditionalOperator OR over two conditions deletes")

    # ---- ExpressionAttributeNames/Values keys: at most 255 bytes, the length checked before the syntax ----
    raw = s.client("dynamodb", config=Config(retries={"max_attempts": 1}, parameter_validation=False))
    n255, n256, v256 = "#" + "a" * 254, "#" + "a" * 255, ":" + "a" * 255
    t.eq(raw.get_item(TableName=T, Key=K1, ProjectionExpression=n255, ExpressionAttributeNames={n255: "a"})["Item"],
         {"a": {"S": "x"}}, "a 255-byte name key is accepted")
    t.refuses(lambda: raw.get_item(TableName=T, Key=K1, ProjectionExpression=n256, ExpressionAttributeNames={n256: "a"}),
              VE, "ExpressionAttributeNames %s size of key: 256" % KEY_TOO_LONG, "GetItem a 256-byte name key")
    t.refuses(lambda: raw.get_item(TableName=T, Key=K1, ProjectionExpression="#a",
                                   ExpressionAttributeNames={n256 + "-x": "a"}),
              VE, "ExpressionAttributeNames %s size of key: 258" % KEY_TOO_LONG, "the length before the syntax")
    t.refuses(lambda: raw.scan(TableName=T, FilterExpression="a = " + v256, ExpressionAttributeValues={v256: {"S": "x"}}),
              VE, "ExpressionAttributeValues " + KEY_TOO_LONG, "Scan a 256-byte value key")
    t.refuses(lambda: raw.update_item(TableName=T, Key=K1, UpdateExpression="SET %s = %s" % (n256, v256),
                                      ExpressionAttributeNames={n256: "a"}, ExpressionAttributeValues={v256: {"S": "u"}}),
              VE, one("ExpressionAttributeNames %s size of key: 256" % KEY_TOO_LONG), "UpdateItem both keys too long")
    t.eq(stored("k1")["a"], {"S": "x"}, "the refused update wrote nothing")

    # ---- an expression over 4096 bytes: only ConditionExpression and FilterExpression give its size ----
    big = name_of_len(4097)
    t.eq(ddb.get_item(TableName=T, Key=K1, ProjectionExpression=name_of_len(4096)).get("Item"), {},
         "a 4096-byte projection is accepted")
    t.refuses(lambda: ddb.get_item(TableName=T, Key=K1, ProjectionExpression=big), VE,
              "Invalid ProjectionExpression: " + SIZE, "GetItem projection over 4096 bytes")
    t.refuses(lambda: ddb.scan(TableName=T, ProjectionExpression=big), VE, "Invalid ProjectionExpression: " + SIZE,
              "Scan projection over 4096 bytes")
    t.refuses(lambda: ddb.batch_get_item(RequestItems={T: {"Keys": [K1], "ProjectionExpression": big}}), VE,
              "Invalid ProjectionExpression: " + SIZE, "BatchGetItem projection over 4096 bytes")
    t.refuses(lambda: ddb.transact_get_items(TransactItems=[{"Get": {"TableName": T, "Key": K1,
                                                                     "ProjectionExpression": big}}]), VE,
              "Invalid ProjectionExpression: " + SIZE, "TransactGetItems projection over 4096 bytes")
    t.refuses(lambda: ddb.query(TableName=T, KeyConditionExpression="pk = :p AND %s = :q" % big,
                                ExpressionAttributeValues={":p": {"S": "k1"}, ":q": {"S": "x"}}), VE,
              "Invalid KeyConditionExpression: " + SIZE, "Query key condition over 4096 bytes")
    t.refuses(lambda: ddb.update_item(TableName=T, Key=K1, UpdateExpression="SET %s = :v" % big,
                                      ExpressionAttributeValues={":v": {"S": "u"}}), VE,
              one("Invalid UpdateExpression: " + SIZE), "UpdateItem update over 4096 bytes")
    flt = big + " = :v"
    t.refuses(lambda: ddb.scan(TableName=T, FilterExpression=flt, ExpressionAttributeValues={":v": {"S": "x"}}), VE,
              "Invalid FilterExpression: %s expression size: %d" % (SIZE, len(flt)), "Scan filter over 4096 bytes")
    cnd = "attribute_not_exists(%s)" % big
    t.refuses(lambda: ddb.put_item(TableName=T, Item={"pk": {"S": "sz"}}, ConditionExpression=cnd), VE,
              one("Invalid ConditionExpression: %s expression size: %d" % (SIZE, len(cnd))),
              "PutItem condition over 4096 bytes")
t.done()
