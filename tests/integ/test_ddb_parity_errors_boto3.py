"""test_ddb_parity_errors_boto3.py - DynamoDB's error messages, limits and validation order as real DynamoDB
answered them, from the paritysuite/dynamodb-conformance evidence (tests/tier3/error-messages,
validation-ordering and limits, run against real DynamoDB in eu-west-2, us-east-1, eu-west-1 and us-west-2,
October 2026). Where the regions differ, the answer most regions gave is asserted: the older value-checking
layer on BatchWriteItem and the transactions, the generic constraint message for BatchGetItem's empty RequestItems
and BatchWriteItem's own sentence for its empty RequestItems.

Most requests go raw (ddb_raw), since boto3 refuses unknown enums, empty maps and missing members; the
tables are made with boto3."""
import json

from harness import DDB_SCOPE, Checks, RawConn, Server, attr, ddb_raw, key

t = Checks()
INVALID = "One or more parameter values were invalid: "
NOT_NUMERIC = "The parameter cannot be converted to a numeric value"
OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
SHAPES = ["abc", "", "1e126", "1e2147483647"]
CURRENT = [NOT_NUMERIC + ": abc", NOT_NUMERIC + ": ", OVERFLOW, OVERFLOW]
OLDER = [NOT_NUMERIC + ": abc", NOT_NUMERIC, OVERFLOW, UNDERFLOW]
DUPES = [{"SS": ["b", "a", "b"]}, {"BS": ["/w==", "AA==", "AA=="]}, {"NS": ["2", "1", "2"]}]
DUPE_CURRENT = [INVALID + 'Input collection ["a", "b", "b"] contains duplicates.',
                INVALID + 'Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.',
                INVALID + "Input collection contains duplicates."]
DUPE_OLDER = [INVALID + "Input collection [b, a, b] contains duplicates.",
              INVALID + "Input collection [/w==, AA==, AA==]of type BS contains duplicates.",
              "Input collection contains duplicates"]
ENUM_RCC = ("Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: "
            "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]")
ENUM_RICM = ("Value 'BOGUS2' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
             "Member must satisfy enum value set: [SIZE, NONE]")
NEST = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
MAP_KEYS = ("Map keys must satisfy constraint: [Member must have length less than or equal to 255, "
            "Member must have length greater than or equal to 3, "
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]")
EMPTY_BIN_KEY = ("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
                 "an empty binary value. Key: pk")
EMPTY_STR_KEY = ("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
                 "an empty string value. Key: pk")
SCHEMA = "The provided key element does not match the schema"


def one(m):
    return "1 validation error detected: " + m


def S(s):
    return {"S": s}


def deep(depth):
    v = S("leaf")
    for _ in range(depth):
        v = {"M": {"n": v}}
    return v


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    conn = RawConn(s.port)
    for name, keys in (("hashtab", (("pk", "S"),)), ("hashb", (("pk", "B"),)),
                       ("comp", (("pk", "S"), ("sk", "S"))), ("compn", (("pk", "S"), ("sk", "N")))):
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                         KeySchema=[key(k, "HASH" if i == 0 else "RANGE") for i, (k, _) in enumerate(keys)],
                         AttributeDefinitions=[attr(k, ty) for k, ty in keys])

    def answer(op, doc):
        return ddb_raw(conn, op, doc)

    def refused(op, doc, want, what, code="ValidationException"):
        st, ty, m = answer(op, doc)
        t.eq((st, ty, m), (400, code, want), what)

    def refused_any(op, doc, wants, what):
        st, ty, m = answer(op, doc)
        t.true(st == 400 and ty == "ValidationException" and m in wants, "%s: got %r" % (what, m))

    def cancelled(doc, codes, first_message, what, op="TransactWriteItems"):
        st, _, data = conn.send("POST", "/", json.dumps(doc).encode(), {
            "X-Amz-Target": "DynamoDB_20120810." + op, "Content-Type": "application/x-amz-json-1.0",
            "Authorization": DDB_SCOPE})
        body = json.loads(data)
        reasons = body.get("CancellationReasons") or []
        t.eq((body.get("__type", "").split("#")[-1], body.get("message"), [r.get("Code") for r in reasons],
              reasons[0].get("Message") if reasons else None),
             ("TransactionCanceledException", "Transaction cancelled, please refer cancellation reasons for specific "
              "reasons [%s]" % ", ".join(codes), codes, first_message), what)

    def absent(pk):
        t.eq(ddb.get_item(TableName="hashtab", Key={"pk": S(pk)}, ConsistentRead=True).get("Item"), None,
             "nothing written for " + pk)

    # ---- PutItem (error-messages/putItem.test.ts) ----
    put = {"TableName": "hashtab", "Item": {"pk": S("em-put")}}
    refused("PutItem", {"Item": {"pk": S("t")}},
            one("Value null at 'tableName' failed to satisfy constraint: Member must not be null"), "PutItem no table name")
    refused("PutItem", {"TableName": "a" * 256, "Item": {"pk": S("t")}},
            one("Value '%s' at 'tableName' failed to satisfy constraint: Member must have length less than or equal "
                "to 255" % ("a" * 256)), "PutItem 256-character table name")
    refused("PutItem", {"TableName": "bad table!@#", "Item": {"pk": S("t")}},
            one("Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular "
                "expression pattern: [a-zA-Z0-9_.-]+"), "PutItem table name pattern")
    for value, want in (({"SS": []}, INVALID + "An string set  may not be empty"),
                        ({"NS": []}, INVALID + "An number set  may not be empty"),
                        ({"BS": []}, INVALID + "Binary sets should not be empty"),
                        ({"NS": [""]}, NOT_NUMERIC + ": "),
                        ({"NULL": False}, INVALID + "Null attribute value types must have the value of true")):
        refused("PutItem", dict(put, Item={"pk": S("em-put"), "bad": value}), one(want), "PutItem %r" % value)
    refused("PutItem", dict(put, Expected={"pk": {"Exists": False}}, ConditionExpression="attribute_not_exists(pk)"),
            one("Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {Expected} Expression parameters: {ConditionExpression}"), "PutItem Expected and a condition")
    refused("PutItem", dict(put, ConditionExpression="((attribute_not_exists(pk)))"),
            one("Invalid ConditionExpression: The expression has redundant parentheses;"), "PutItem redundant parentheses")
    refused("PutItem", dict(put, ConditionExpression="contains(#a, #a)", ExpressionAttributeNames={"#a": "data"}),
            one("Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this "
            "operator or function; operator: contains, first operand: [data]"), "PutItem contains(#a, #a)")
    refused("PutItem", {"TableName": "hashb", "Item": {"pk": {"B": ""}}}, EMPTY_BIN_KEY, "PutItem empty binary key")
    for extra, want in (({"ExpressionAttributeValues": {":v": S("x")}},
                         "ExpressionAttributeValues can only be specified when using expressions"),
                        ({"ExpressionAttributeNames": {"#a": "a"}},
                         "ExpressionAttributeNames can only be specified when using expressions"),
                        ({"ConditionExpression": ""}, "Invalid ConditionExpression: The expression can not be empty;"),
                        ({"Expected": {"a": {"Exists": True}}},
                         INVALID + "Value must be provided when Exists is true for Attribute: a"),
                        ({"Expected": {"a": {"ComparisonOperator": "EQ"}}},
                         INVALID + "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a")):
        refused("PutItem", dict(put, **extra), one(want), "PutItem envelope %r" % extra)
    # An attribute named "" (deepRequests.test.ts: "Empty attribute name", in the envelope on PutItem)
    refused("PutItem", dict(put, Item={"pk": S("em-put-empty-name"), "": S("x")}), one("Empty attribute name"),
            "PutItem an empty attribute name")
    absent("em-put-empty-name")

    # ---- UpdateItem (error-messages/updateItem.test.ts, validation-ordering/updateItem.test.ts) ----
    upd = {"TableName": "hashtab", "Key": {"pk": S("em-upd")}}
    refused("UpdateItem", dict(upd, UpdateExpression="SET pk = :v", ExpressionAttributeValues={":v": S("n")}),
            INVALID + "Cannot update attribute pk. This attribute is part of the key", "UpdateItem SET of the hash key")
    refused("UpdateItem", {"TableName": "comp", "Key": {"pk": S("a"), "sk": S("b")}, "UpdateExpression": "SET sk = :v",
                           "ExpressionAttributeValues": {":v": S("n")}},
            INVALID + "Cannot update attribute sk. This attribute is part of the key", "UpdateItem SET of the range key")
    refused("UpdateItem", dict(upd, UpdateExpression="INVALID SYNTAX HERE", ExpressionAttributeValues={":v": S("v")}),
            one('Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'), "UpdateItem syntax")
    refused("UpdateItem", dict(upd, UpdateExpression="SET b = :w", ConditionExpression="a = :v",
                               ExpressionAttributeValues={":w": S("x")}),
            one("Invalid ConditionExpression: An expression attribute value used in expression is not defined; "
                "attribute value: :v"), "UpdateItem undefined value in the condition")
    refused("UpdateItem", dict(upd, UpdateExpression="SET attr1 = :v", ExpressionAttributeValues={":v": S("v")},
                               AttributeUpdates={"attr1": {"Value": S("v"), "Action": "PUT"}}),
            one("Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}"), "UpdateItem both kinds")
    refused("UpdateItem", {"TableName": "hashb", "Key": {"pk": {"B": ""}}, "UpdateExpression": "SET a = :v",
                           "ExpressionAttributeValues": {":v": S("x")}}, EMPTY_BIN_KEY, "UpdateItem empty binary key")
    no_key_update = {"UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": S("x")}}
    empty_name = ("Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or "
                  "equal to 1")
    no_key = "Value null at 'key' failed to satisfy constraint: Member must not be null"
    refused("UpdateItem", dict(no_key_update, TableName=""), "2 validation errors detected: %s; %s" % (empty_name, no_key),
            "UpdateItem empty table name and no key")
    refused("UpdateItem", dict(no_key_update, TableName="", ReturnConsumedCapacity="INVALID", ReturnValues="INVALID"),
            "4 validation errors detected: Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: "
            "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; %s; Value 'INVALID' at 'returnValues' failed "
            "to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, "
            "UPDATED_NEW]; %s" % (empty_name, no_key), "UpdateItem four member errors in member order")
    # beside a Key, an unknown ReturnValues is reported alone, in the newer framework's words (the 2026-10-07 sweep
    # follow-up capture, "update-item-validation-error-aggregation", 31 of 33 regions)
    refused("UpdateItem", {"TableName": "absent_tab", "Key": {"pk": S("t")}, "ReturnValues": "INVALID",
                           "ReturnConsumedCapacity": "INVALID"},
            one("Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, "
                "UPDATE_NEW, NONE]"), "UpdateItem ReturnValues beside a Key")
    refused("UpdateItem", {"TableName": "absent_tab", "AttributeUpdates": {"x": {"Action": "PUT", "Value": S("1")}},
                           "Expected": {"a": {"Exists": False}, "b": {"Exists": False}}, "ConditionalOperator": "XOR"},
            "2 validation errors detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member "
            "must satisfy enum value set: [OR, AND]; " + no_key, "UpdateItem XOR and no key")

    # ---- DeleteItem (error-messages/deleteItem.test.ts) ----
    dl = {"TableName": "hashtab", "Key": {"pk": S("em-del")}}
    refused("DeleteItem", {"TableName": "comp", "Key": {"pk": S("t")}}, SCHEMA, "DeleteItem without the range key")
    refused("DeleteItem", {"TableName": "hashb", "Key": {"pk": {"B": ""}}}, EMPTY_BIN_KEY, "DeleteItem empty binary key")
    for extra, want in (({"ExpressionAttributeValues": {":v": S("x")}},
                         "ExpressionAttributeValues can only be specified when using expressions"),
                        ({"ExpressionAttributeNames": {"#a": "a"}},
                         "ExpressionAttributeNames can only be specified when using expressions"),
                        ({"Expected": {"a": {"Exists": False}}, "ExpressionAttributeNames": {"#a": "a"}},
                         "ExpressionAttributeNames can only be specified when using expressions"),
                        ({"ConditionExpression": "attribute_exists(a)", "ExpressionAttributeValues": {}},
                         "ExpressionAttributeValues must not be empty"),
                        ({"ConditionExpression": "attribute_exists(a)", "ExpressionAttributeNames": {}},
                         "ExpressionAttributeNames must not be empty"),
                        ({"ConditionExpression": ""}, "Invalid ConditionExpression: The expression can not be empty;"),
                        ({"ReturnValues": "ALL_NEW"}, "ReturnValues can only be ALL_OLD or NONE"),
                        ({"ReturnValues": "UPDATED_NEW"}, "ReturnValues can only be ALL_OLD or NONE"),
                        ({"Expected": {"a": {"Exists": True}}},
                         INVALID + "Value must be provided when Exists is true for Attribute: a"),
                        ({"Expected": {"a": {"Exists": False, "Value": S("x")}}},
                         INVALID + "Value cannot be used when Exists is false for Attribute: a"),
                        ({"Expected": {"a": {"Value": S("x"), "ComparisonOperator": "EQ", "AttributeValueList": [S("x")]}}},
                         INVALID + "Value and AttributeValueList cannot be used together for Attribute: a"),
                        ({"Expected": {"a": {"ComparisonOperator": "EQ"}}},
                         INVALID + "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a"),
                        ({"Expected": {"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [S("x")]}}},
                         INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator")):
        refused("DeleteItem", dict(dl, **extra), one(want), "DeleteItem envelope %r" % extra)

    # ---- Numbers, by value-checking layer (error-messages/valueLayers.test.ts) ----
    for raw, want in (("1e99999999999", OVERFLOW), ("-1e99999999999", OVERFLOW), ("1e-99999999999", UNDERFLOW),
                      ("1e2147483648", OVERFLOW), ("1e2147483647", OVERFLOW), ("1e-2147483648", UNDERFLOW),
                      ("1e126", OVERFLOW), ("1e-131", UNDERFLOW), ("abc", NOT_NUMERIC + ": abc"),
                      ("1.2.3", NOT_NUMERIC + ": 1.2.3"), ("", NOT_NUMERIC + ": "), (" 1", NOT_NUMERIC + ":  1"),
                      ("1 ", NOT_NUMERIC + ": 1 "), ("0x10", NOT_NUMERIC + ": 0x10"), ("1e", NOT_NUMERIC + ": 1e"),
                      ("NaN", NOT_NUMERIC + ": NaN"), ("Infinity", NOT_NUMERIC + ": Infinity"),
                      ("1234567890123456789012345678901234567890",
                       "Attempting to store more than 38 significant digits in a Number")):
        refused("PutItem", {"TableName": "hashtab", "Item": {"pk": S("vl-n"), "n": {"N": raw}}}, one(want),
                "PutItem number %r" % raw)
    for raw, cur, old in zip(SHAPES, CURRENT, OLDER):
        n = {"N": raw}
        T = "hashtab"
        refused("PutItem", {"TableName": T, "Item": {"pk": S("vl-n"), "n": {"NS": ["1", raw]}}}, one(cur),
                "PutItem number set member %r" % raw)
        refused("PutItem", {"TableName": T, "Item": {"pk": S("vl-n"), "n": {"M": {"x": {"L": [n]}}}}}, one(cur),
                "PutItem nested number %r" % raw)
        refused("PutItem", {"TableName": T, "Item": {"pk": S("vl-n")}, "ConditionExpression":
                            "attribute_not_exists(pk) OR n = :v", "ExpressionAttributeValues": {":v": n}}, one(cur),
                "PutItem condition value %r" % raw)
        refused("PutItem", {"TableName": T, "Item": {"pk": S("vl-n-expected")}, "Expected": {"n": {"Value": n}}}, one(cur),
                "PutItem Expected value %r" % raw)
        refused("UpdateItem", {"TableName": T, "Key": {"pk": S("vl-n")}, "UpdateExpression": "SET n = :v",
                               "ExpressionAttributeValues": {":v": n}}, one(cur), "UpdateItem value %r" % raw)
        refused("UpdateItem", {"TableName": T, "Key": {"pk": S("vl-n")},
                               "AttributeUpdates": {"n": {"Action": "PUT", "Value": n}}}, one(cur),
                "UpdateItem AttributeUpdates %r" % raw)
        refused("UpdateItem", {"TableName": T, "Key": {"pk": n}, "UpdateExpression": "SET n = :o",
                               "ExpressionAttributeValues": {":o": {"N": "1"}}}, one(cur), "UpdateItem key %r" % raw)
        refused("DeleteItem", {"TableName": T, "Key": {"pk": S("vl-n")}, "ConditionExpression": "n = :v",
                               "ExpressionAttributeValues": {":v": n}}, one(cur), "DeleteItem value %r" % raw)
        refused("DeleteItem", {"TableName": T, "Key": {"pk": n}}, one(cur), "DeleteItem key %r" % raw)
        refused("GetItem", {"TableName": T, "Key": {"pk": n}}, cur, "GetItem key %r" % raw)
        refused("BatchGetItem", {"RequestItems": {T: {"Keys": [{"pk": n}]}}}, cur, "BatchGetItem key %r" % raw)
        refused("Query", {"TableName": T, "KeyConditionExpression": "pk = :p", "FilterExpression": "n = :v",
                          "ExpressionAttributeValues": {":p": S("vl-n"), ":v": n}}, cur, "Query filter value %r" % raw)
        refused("BatchWriteItem", {"RequestItems": {T: [{"PutRequest": {"Item": {"pk": S("vl-n"), "n": n}}}]}}, old,
                "BatchWriteItem item %r" % raw)
        refused("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": T, "Item": {"pk": S("vl-n"), "n": n}}}]},
                old, "TransactWriteItems Put item %r" % raw)
        refused("TransactWriteItems", {"TransactItems": [{"Update": {
            "TableName": T, "Key": {"pk": S("vl-n")}, "UpdateExpression": "SET n = :v",
            "ExpressionAttributeValues": {":v": n}}}]},
            "ExpressionAttributeValues contains invalid value: %s for key :v" % old, "TransactWriteItems value %r" % raw)
        refused("TransactGetItems", {"TransactItems": [{"Get": {"TableName": T, "Key": {"pk": n}}}]}, old,
                "TransactGetItems key %r" % raw)
    absent("vl-n")
    absent("vl-n-expected")
    # exponents (limits/numberExponent.test.ts, eu-west-2, October 2026): one past a 64-bit integer cannot be
    # converted; zero is range-checked by the exponent it is written with
    for raw, want in (("1e9223372036854775808", NOT_NUMERIC + ": 1e9223372036854775808"), ("0e126", OVERFLOW),
                      ("0e-131", UNDERFLOW)):
        refused("PutItem", {"TableName": "hashtab", "Item": {"pk": S("nx"), "n": {"N": raw}}}, one(want),
                "PutItem number %r" % raw)
    ddb.put_item(TableName="hashtab", Item={"pk": S("nx-zero"), "n": {"N": "0e125"}})
    t.eq(ddb.get_item(TableName="hashtab", Key={"pk": S("nx-zero")})["Item"]["n"], {"N": "0"}, "0e125 is stored as 0")

    # ---- Duplicate set members, by layer (valueLayers.test.ts) ----
    for d, cur, old in zip(DUPES, DUPE_CURRENT, DUPE_OLDER):
        T = "hashtab"
        what = list(d)[0]
        refused("PutItem", {"TableName": T, "Item": {"pk": S("vl-d"), "s": d}}, one(cur), "PutItem duplicate " + what)
        refused("PutItem", {"TableName": T, "Item": {"pk": S("vl-d")}, "ConditionExpression":
                            "attribute_not_exists(pk) OR s = :t", "ExpressionAttributeValues": {":t": d}}, one(cur),
                "PutItem duplicate in a condition value " + what)
        refused("PutItem", {"TableName": T, "Item": {"pk": S("vl-d")}, "Expected": {"s": {"Value": d}}}, one(cur),
                "PutItem duplicate in Expected " + what)
        refused("UpdateItem", {"TableName": T, "Key": {"pk": S("vl-d")}, "UpdateExpression": "SET o = :o",
                               "ConditionExpression": "attribute_not_exists(pk) OR s = :t",
                               "ExpressionAttributeValues": {":o": {"N": "1"}, ":t": d}}, one(cur),
                "UpdateItem duplicate in a condition value " + what)
        refused("UpdateItem", {"TableName": T, "Key": {"pk": S("vl-d")},
                               "AttributeUpdates": {"s": {"Action": "PUT", "Value": d}}}, one(cur),
                "UpdateItem duplicate in AttributeUpdates " + what)
        refused("UpdateItem", {"TableName": T, "Key": {"pk": d}, "UpdateExpression": "SET o = :o",
                               "ExpressionAttributeValues": {":o": {"N": "1"}}}, one(cur), "UpdateItem duplicate key " + what)
        refused("DeleteItem", {"TableName": T, "Key": {"pk": d}}, one(cur), "DeleteItem duplicate key " + what)
        refused("GetItem", {"TableName": T, "Key": {"pk": d}}, cur, "GetItem duplicate key " + what)
        refused("BatchGetItem", {"RequestItems": {T: {"Keys": [{"pk": d}]}}}, cur, "BatchGetItem duplicate key " + what)
        refused("Query", {"TableName": T, "KeyConditionExpression": "pk = :t", "ExpressionAttributeValues": {":t": d}},
                cur, "Query duplicate key value " + what)
        refused("Query", {"TableName": T, "KeyConditionExpression": "pk = :p", "FilterExpression": "s = :t",
                          "ExpressionAttributeValues": {":p": S("vl-d"), ":t": d}}, cur, "Query duplicate filter " + what)
        refused("Query", {"TableName": T, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues":
                          {":p": S("vl-d")}, "ExclusiveStartKey": {"pk": d}}, cur, "Query duplicate start key " + what)
        refused("Query", {"TableName": T, "KeyConditions": {"pk": {"ComparisonOperator": "EQ",
                                                                   "AttributeValueList": [S("vl-d")]}},
                          "QueryFilter": {"s": {"ComparisonOperator": "EQ", "AttributeValueList": [d]}}}, cur,
                "Query duplicate QueryFilter " + what)
        refused("BatchWriteItem", {"RequestItems": {T: [{"PutRequest": {"Item": {"pk": S("vl-d"), "s": d}}}]}}, old,
                "BatchWriteItem duplicate " + what)
        refused("BatchWriteItem", {"RequestItems": {T: [{"DeleteRequest": {"Key": {"pk": d}}}]}}, old,
                "BatchWriteItem duplicate delete key " + what)
        refused("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": T, "Item": {"pk": S("vl-d"), "s": d}}}]},
                old, "TransactWriteItems duplicate in a Put " + what)
        refused("TransactWriteItems", {"TransactItems": [{"Delete": {"TableName": T, "Key": {"pk": d}}}]}, old,
                "TransactWriteItems duplicate in a Delete key " + what)
        cond = {"ConditionExpression": "attribute_not_exists(pk) OR s = :t", "ExpressionAttributeValues": {":t": d}}
        for action in ({"Put": dict(cond, TableName=T, Item={"pk": S("vl-d")})},
                       {"Update": {"TableName": T, "Key": {"pk": S("vl-d")}, "UpdateExpression": "SET s = :t",
                                   "ExpressionAttributeValues": {":t": d}}},
                       {"Delete": dict(cond, TableName=T, Key={"pk": S("vl-d")})},
                       {"ConditionCheck": dict(cond, TableName=T, Key={"pk": S("vl-d")})}):
            refused("TransactWriteItems", {"TransactItems": [action]},
                    "ExpressionAttributeValues contains invalid value: %s for key :t" % old,
                    "TransactWriteItems duplicate in a %s value %s" % (list(action)[0], what))
        refused("TransactGetItems", {"TransactItems": [{"Get": {"TableName": T, "Key": {"pk": d}}}]}, old,
                "TransactGetItems duplicate key " + what)
    absent("vl-d")

    # ---- BatchGetItem (error-messages/batchGetItem.test.ts, validation-ordering/batchOperations.test.ts) ----
    refused("BatchGetItem", {"RequestItems": {}},
            one("Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"),
            "BatchGetItem empty RequestItems")
    refused("BatchGetItem", {"RequestItems": {"hashtab": {"Keys": [{"pk": S("k%d" % i)} for i in range(101)]}}},
            one("Value at 'RequestItems.hashtab.member.Keys' failed to satisfy constraint: Member must have length "
                "less than or equal to 100"), "BatchGetItem 101 keys")
    refused("BatchGetItem", {"RequestItems": {"hashtab": {"Keys": []}}},
            one("Value at 'RequestItems.hashtab.member.Keys' failed to satisfy constraint: Member must have length "
                "greater than or equal to 1"), "BatchGetItem no keys")
    refused("BatchGetItem", {"RequestItems": {"hashtab": {"Keys": [{"pk": S("d")}, {"pk": S("d")}]}}},
            "Provided list of item keys contains duplicates", "BatchGetItem duplicate keys")
    refused("BatchGetItem", {"RequestItems": {"hashb": {"Keys": [{"pk": {"B": ""}}]}}}, EMPTY_BIN_KEY,
            "BatchGetItem empty binary key")
    refused("BatchGetItem", {"RequestItems": {"bad!name": {"Keys": [{"pk": S("a")}]}}},
            one("Value '{\"bad!name\":{\"Keys\":[{\"pk\":{\"S\":\"a\"}}]}}' at 'requestItems' failed to satisfy "
                "constraint: " + MAP_KEYS), "BatchGetItem malformed table name")
    refused("BatchGetItem", {"RequestItems": {"bad!name": {"Keys": [{"pk": S("a")}]}}, "ReturnConsumedCapacity": "BOGUS"},
            "2 validation errors detected: Value '{\"bad!name\":{\"Keys\":[{\"pk\":{\"S\":\"a\"}}]}}' at 'requestItems' "
            "failed to satisfy constraint: %s; %s" % (MAP_KEYS, ENUM_RCC), "BatchGetItem malformed name and enum")
    refused("BatchGetItem", {"RequestItems": {"no_such_tab": {"Keys": [{"pk": S("a")}]}}, "ReturnConsumedCapacity": "BOGUS"},
            one(ENUM_RCC), "BatchGetItem enum before a missing table")
    refused("BatchGetItem", {"RequestItems": {"hashtab": {"Keys": [{"pk": S("a")}], "ProjectionExpression": "a, a.b"}}},
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of "
            "these paths; path one: [a], path two: [a, b]", "BatchGetItem overlapping projection")

    # refused, its text unrecorded; awsemu words it as the conflict within one table
    refused("BatchGetItem", {"RequestItems": {"hashtab": {"Keys": [{"pk": S("a")}], "ProjectionExpression": "pk"},
                                              "comp": {"Keys": [{"pk": S("b"), "sk": S("z")}], "AttributesToGet": ["pk"]}}},
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
            "{AttributesToGet} Expression parameters: {ProjectionExpression}",
            "BatchGetItem mixing ProjectionExpression and AttributesToGet across tables")
    refused("BatchGetItem", {"RequestItems": {"hashtab": {"Keys": [{"pk": S("a")}], "ProjectionExpression": "a, a"},
                                              "comp": {"Keys": [{"pk": S("b"), "sk": S("z")}], "ProjectionExpression": "a"}}},
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these "
            "paths; path one: [a], path two: [a]", "BatchGetItem one bad projection refuses the batch")
    refused("BatchGetItem", {"RequestItems": {"hashtab": {"Keys": [{"pk": S("a")}], "AttributesToGet": ["pk"],
                                                          "ProjectionExpression": "pk"}}},
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
            "{AttributesToGet} Expression parameters: {ProjectionExpression}", "BatchGetItem AttributesToGet with a projection")

    # ---- BatchWriteItem (error-messages/batchWriteItem.test.ts, batchOperations.test.ts) ----
    refused("BatchWriteItem", {"RequestItems": {}}, "The requestItems parameter is required for BatchWriteItem",
            "BatchWriteItem empty RequestItems (28 of 33 regions, captures/2026-10-07-batch-empty-request-items.json)")
    refused("BatchWriteItem", {"RequestItems": {"hashtab": []}},
            one("Value '{hashtab=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy "
                "constraint: [Member must have length less than or equal to 25, Member must have length greater than "
                "or equal to 1]"), "BatchWriteItem empty request list")
    refused("BatchWriteItem", {"RequestItems": {"hashtab": [{"PutRequest": {"Item": {"pk": S("d")}}},
                                                            {"DeleteRequest": {"Key": {"pk": S("d")}}}]}},
            "Provided list of item keys contains duplicates", "BatchWriteItem Put and Delete of one key")
    for item, want in (({"pk": {"N": "5"}}, SCHEMA), ({"pk": {"L": [S("x")]}}, SCHEMA), ({"other": S("x")}, SCHEMA),
                       ({"pk": S("")}, EMPTY_STR_KEY)):
        refused("BatchWriteItem", {"RequestItems": {"hashtab": [{"PutRequest": {"Item": item}}]}}, want,
                "BatchWriteItem item %r" % item)
    refused("BatchWriteItem", {"RequestItems": {"hashb": [{"DeleteRequest": {"Key": {"pk": {"B": ""}}}}]}}, EMPTY_BIN_KEY,
            "BatchWriteItem empty binary delete key")
    st, ty, m = answer("BatchWriteItem", {"RequestItems": {"bad!name": [{"PutRequest": {"Item": {"pk": S("x")}}}]}})
    t.true(ty == "ValidationException" and m.startswith(one("Value '{bad!name=[WriteRequest(putRequest=PutRequest(item={pk="))
           and m.endswith("' at 'requestItems' failed to satisfy constraint: " + MAP_KEYS), "BatchWriteItem bad name: %r" % m)
    bw = {"RequestItems": {"hashtab": [{"PutRequest": {"Item": {"pk": S("vo-bw")}}}]}}
    refused("BatchWriteItem", dict(bw, ReturnConsumedCapacity="BOGUS"), one(ENUM_RCC), "BatchWriteItem RCC")
    refused("BatchWriteItem", dict(bw, ReturnConsumedCapacity="BOGUS", ReturnItemCollectionMetrics="BOGUS2"),
            "2 validation errors detected: %s; %s" % (ENUM_RCC, ENUM_RICM), "BatchWriteItem both enums")
    refused("BatchWriteItem", {"RequestItems": {"bad!name": [{"PutRequest": {"Item": {"pk": S("x")}}}]},
                               "ReturnConsumedCapacity": "BOGUS"}, one(ENUM_RCC), "BatchWriteItem enum over a bad name")
    absent("vo-bw")

    # ---- TransactGetItems / TransactWriteItems (error-messages, validation-ordering, deepRequests) ----
    refused_any("TransactGetItems", {"TransactItems": []}, (
        one("Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"),
        one("Value at 'TransactItems' failed to satisfy constraint: Member must have length greater than or equal to 1")),
        "TransactGetItems empty")
    refused("TransactGetItems", {"TransactItems": [{"Get": {"TableName": "hashtab", "Key": {"pk": S("x")},
                                                            "ProjectionExpression": "!!!"}}]},
            'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"', "TransactGetItems projection syntax")
    refused("TransactGetItems", {"TransactItems": [{"Get": {"TableName": "hashtab", "Key": {"pk": S("x")}},
                                                    }, {"Get": {"TableName": "hashtab", "Key": {"pk": S("x")}}}],
                                 "ReturnConsumedCapacity": "BOGUS"}, one(ENUM_RCC), "TransactGetItems enum first")
    cancelled({"TransactItems": [{"Get": {"TableName": "hashtab", "Key": {}}}]}, ["ValidationError"], SCHEMA,
              "TransactGetItems with an empty Key cancels", op="TransactGetItems")
    tw = "hashtab"
    refused("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": tw, "Item": {"pk": S("d")}}},
                                                     {"Put": {"TableName": tw, "Item": {"pk": S("d")}}}]},
            "Transaction request cannot include multiple operations on one item", "TransactWriteItems duplicate target")
    cancelled({"TransactItems": [{"Put": {"TableName": tw, "Item": {"pk": {"N": "5"}}}}]}, ["ValidationError"],
              INVALID + "Type mismatch for key pk expected: S actual: N", "TransactWriteItems Put wrong-typed key")
    cancelled({"TransactItems": [{"Put": {"TableName": tw, "Item": {"pk": {"L": [S("x")]}}}}]}, ["ValidationError"],
              INVALID + "Type mismatch for key pk expected: S actual: L", "TransactWriteItems Put list key")
    upd_key = lambda k, T=tw: {"Update": {"TableName": T, "Key": {"pk": k}, "UpdateExpression": "SET a = :v",
                                          "ExpressionAttributeValues": {":v": S("x")}}}
    del_key = lambda k, T=tw: {"Delete": {"TableName": T, "Key": {"pk": k}}}
    cc_key = lambda k, T=tw: {"ConditionCheck": {"TableName": T, "Key": {"pk": k},
                                                 "ConditionExpression": "attribute_not_exists(pk)"}}
    for make in (upd_key, del_key, cc_key):
        what = list(make(S("x")))[0]
        refused("TransactWriteItems", {"TransactItems": [make(S(""))]}, EMPTY_STR_KEY, "TransactWriteItems %s empty key" % what)
        refused("TransactWriteItems", {"TransactItems": [make({"B": ""}, "hashb")]}, EMPTY_BIN_KEY,
                "TransactWriteItems %s empty binary key" % what)
        cancelled({"TransactItems": [make({"N": "5"})]}, ["ValidationError"], SCHEMA, "TransactWriteItems %s N key" % what)
        cancelled({"TransactItems": [make({"L": [S("x")]})]}, ["ValidationError"], SCHEMA,
                  "TransactWriteItems %s list key" % what)
    refused("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": tw, "Item": {"pk": S("")}}}]}, EMPTY_STR_KEY,
            "TransactWriteItems Put empty key")
    refused("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": "hashb", "Item": {"pk": {"B": ""}}}}]},
            EMPTY_BIN_KEY, "TransactWriteItems Put empty binary key")
    txp = {"TransactItems": [{"Put": {"TableName": tw, "Item": {"pk": S("vo-tx")}}}]}
    refused("TransactWriteItems", dict(txp, ReturnConsumedCapacity="BOGUS"), one(ENUM_RCC), "TransactWriteItems RCC")
    refused("TransactWriteItems", dict(txp, ReturnConsumedCapacity="BOGUS", ReturnItemCollectionMetrics="BOGUS2"),
            "2 validation errors detected: %s; %s" % (ENUM_RCC, ENUM_RICM), "TransactWriteItems both enums")
    token = "x" * 37
    refused("TransactWriteItems", dict(txp, ClientRequestToken=token, ReturnConsumedCapacity="BOGUS"),
            "2 validation errors detected: Value '%s' at 'clientRequestToken' failed to satisfy constraint: Member must "
            "have length less than or equal to 36; %s" % (token, ENUM_RCC), "TransactWriteItems token and enum")
    absent("vo-tx")
    missing = {"Put": {"TableName": "no_such_tab", "Item": {"pk": S("a")}}}
    bad_cc = {"ConditionCheck": {"TableName": tw, "Key": {"pk": S("cc")}, "ConditionExpression": "attribute_not_exists("}}
    syntax = 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("'
    deep_put = {"Put": {"TableName": tw, "Item": {"pk": S("deep"), "data": deep(32)}}}
    refused("TransactWriteItems", {"TransactItems": [missing, bad_cc]}, syntax, "TransactWriteItems syntax before a missing table")
    refused("TransactWriteItems", {"TransactItems": [bad_cc, deep_put]}, syntax, "TransactWriteItems syntax before depth")
    refused("TransactWriteItems", {"TransactItems": [deep_put, bad_cc]}, NEST, "TransactWriteItems depth before syntax")
    unused = {"ConditionCheck": {"TableName": tw, "Key": {"pk": S("cc")}, "ConditionExpression": "attribute_not_exists(pk)",
                                 "ExpressionAttributeValues": {":v": S("x")}}}
    UNUSED = "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"
    refused("TransactWriteItems", {"TransactItems": [missing, unused]}, UNUSED, "TransactWriteItems unused after a missing table")
    refused("TransactWriteItems", {"TransactItems": [unused, missing]}, UNUSED, "TransactWriteItems unused before a missing table")
    refused("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": tw, "Item": {"pk": S("cc")}}}, unused]}, UNUSED,
            "TransactWriteItems unused before a duplicate target")
    absent("cc")
    # deepRequests.test.ts: actions in request order, whatever the kind of each error
    A = "deep_order_absent"
    dkey = lambda pk: {"pk": pk, "sk": S("1")}
    refused("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": A, "Item": dict(dkey(S("b")), d=deep(40))}},
                                                     {"Put": {"TableName": A, "Item": dict(dkey(S("a")), **{"": S("x")})}}]},
            NEST, "TransactWriteItems depth before an empty name")
    refused("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": A, "Item": dict(dkey(S("a")), **{"": S("x")})}},
                                                     {"Put": {"TableName": A, "Item": dict(dkey(S("b")), d=deep(100))}}]},
            "Empty attribute name", "TransactWriteItems empty name before depth")
    refused("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": A, "Item": dict(dkey(S("a")), d=deep(100),
                                                                                            **{"": S("x")})}}]},
            "Empty attribute name", "TransactWriteItems empty name before depth in one item")
    refused("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": A, "Item": dict(
        dkey(S("a")), m={"M": {"": S("x")}}, d=deep(40))}}]}, NEST, "TransactWriteItems depth before an empty map key")
    refused("TransactWriteItems", {"TransactItems": [{"Delete": {"TableName": A, "Key": dkey(deep(40))}},
                                                     {"Put": {"TableName": A, "Item": dkey(S("a")),
                                                              "ConditionExpression": "a = = b"}}]},
            NEST, "TransactWriteItems Delete key depth before a later syntax error")
    refused("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": A, "Item": dkey(S("a")),
                                                              "ConditionExpression": "a = = b"}},
                                                     {"Delete": {"TableName": A, "Key": dkey(deep(100))}}]},
            'Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"', "TransactWriteItems syntax before depth")
    refused("TransactWriteItems", {"TransactItems": [{"Delete": {"TableName": A, "Key": dkey(deep(100)),
                                                                 "ConditionExpression": "a = :v" + " AND a = :v" * 373,
                                                                 "ExpressionAttributeValues": {":v": S("x")}}}]},
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4109",
            "TransactWriteItems condition size before depth")
    refused("TransactWriteItems", {"TransactItems": [{"Update": {"TableName": A, "Key": dkey(S("a")), "UpdateExpression":
                                                                 "SET " + ", ".join("a%d = :v" % i for i in range(500)),
                                                                 "ExpressionAttributeValues": {":v": S("x")}}},
                                                     {"ConditionCheck": {"TableName": A, "Key": dkey(deep(100)),
                                                                         "ConditionExpression": "attribute_exists(a)"}}]},
            "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;",
            "TransactWriteItems update size before depth")

    # ---- Query KeyConditionExpression operands (queryKeyConditionOperands.test.ts, queryKeyCondition.test.ts) ----
    KSCHEMA = INVALID + "Condition parameter type does not match schema type"

    def operand(op, ty):
        return ("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: "
                "%s, operand type: %s" % (op, ty))

    for T, kce, vals, want in (
            ("comp", "pk = :p AND begins_with(sk, :v)", {":v": {"N": "1"}}, operand("begins_with", "N")),
            ("comp", "pk = :p AND begins_with(sk, :v)", {":v": {"BOOL": True}}, operand("begins_with", "BOOL")),
            ("compn", "pk = :p AND begins_with(sk, :v)", {":v": {"N": "1"}}, operand("begins_with", "N")),
            ("compn", "pk = :p AND begins_with(sk, :v)", {":v": S("a")}, KSCHEMA),
            ("compn", "pk = :p AND sk < :v", {":v": {"BOOL": True}}, operand("<", "BOOL")),
            ("compn", "pk = :p AND :v >= sk", {":v": {"BOOL": True}}, operand(">=", "BOOL")),
            ("compn", "pk = :p AND sk BETWEEN :v AND :b", {":v": {"BOOL": False}, ":b": {"BOOL": True}},
             operand("BETWEEN", "BOOL")),
            ("compn", "pk = :p AND sk = :v", {":v": {"BOOL": True}}, KSCHEMA),
            ("compn", "pk = :p AND sk > :v AND sk < :b", {":v": {"N": "1"}, ":b": {"N": "5"}},
             "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key"),
            ("compn", "pk = :p AND sk > :v AND extra = :b", {":v": {"N": "1"}, ":b": {"N": "5"}},
             "The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)")):
        refused("Query", {"TableName": T, "KeyConditionExpression": kce,
                          "ExpressionAttributeValues": dict(vals, **{":p": S("q")})}, want, "Query %s on %s" % (kce, T))
    UNDEF = ("Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; "
             "attribute value: :missing")
    OPER = operand("begins_with", "N")
    for T, kce, vals, want in (
            ("comp", "pk = :missing AND begins_with(sk, :n)", {":n": {"N": "1"}}, UNDEF),
            ("comp", "begins_with(sk, :n) AND pk = :missing", {":n": {"N": "1"}}, OPER),
            ("comp", "pk = :p AND begins_with(sk, :n) AND sk = :missing", {":p": S("q"), ":n": {"N": "1"}}, OPER),
            ("comp", "pk = :p AND begins_with(sk, :n) AND sk > :s", {":p": S("q"), ":n": {"N": "1"}, ":s": S("a")}, OPER),
            ("no_such_tab", "pk = :p AND begins_with(sk, :n)", {":p": S("q"), ":n": {"N": "1"}}, OPER)):
        refused("Query", {"TableName": T, "KeyConditionExpression": kce, "ExpressionAttributeValues": vals}, want,
                "Query order %s" % kce)
    st, ty, m = answer("Query", {"TableName": "no_such_tab", "KeyConditionExpression": "pk = :p AND begins_with(sk, :s)",
                                 "ExpressionAttributeValues": {":p": S("q"), ":s": S("a")}})
    t.eq(ty, "ResourceNotFoundException", "Query well-formed key condition on a missing table")
    refused("Query", {"TableName": "no_such_tab", "KeyConditions": {"pk": {"ComparisonOperator": "EQ",
                                                                        "AttributeValueList": [S("a")]}},
                      "QueryFilter": {"b": {"ComparisonOperator": "NULL"}, "c": {"ComparisonOperator": "NULL"}},
                      "ConditionalOperator": "XOR", "Select": "BOGUS"},
            "Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]", "Query XOR before Select")

    # ---- Expression size (limits/expressionSize.test.ts) ----
    big_update = "SET " + ", ".join("a%d = :v" % i for i in range(500))
    refused("UpdateItem", {"TableName": "hashtab", "Key": {"pk": S("lim")}, "UpdateExpression": big_update,
                           "ExpressionAttributeValues": {":v": S("x")}},
            one("Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;"),
            "UpdateItem UpdateExpression over 4096 bytes")
    absent("lim")

    # ---- sets come back in DynamoDB's order: SS and BS bytewise, NS by value, the empty string first
    # (tier1/updateItem/basic.test.ts, eu-west-2, 2026-10-09) ----
    ddb.put_item(TableName="hashtab", Item={"pk": S("order"), "ss": {"SS": ["b", "c", "a"]},
                                            "ns": {"NS": ["10", "-1", "2", "1.5"]}, "bs": {"BS": [b"\xff", b"\x00", b"\x10"]}})
    ddb.update_item(TableName="hashtab", Key={"pk": S("order")}, UpdateExpression="ADD ss :e",
                    ExpressionAttributeValues={":e": {"SS": [""]}})
    got = ddb.get_item(TableName="hashtab", Key={"pk": S("order")})["Item"]
    t.eq((got["ss"], got["ns"], got["bs"]), ({"SS": ["", "a", "b", "c"]}, {"NS": ["-1", "1.5", "2", "10"]},
                                             {"BS": [b"\x00", b"\x10", b"\xff"]}), "sets in DynamoDB's order")
t.done()
