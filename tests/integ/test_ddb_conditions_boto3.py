"""test_ddb_conditions_boto3.py - how DynamoDB evaluates conditions, where a run of ScyllaDB's Alternator
suite (written against real DynamoDB) found awsemu differing: contains() and CONTAINS find a binary inside a
binary as they find a string inside a string; the legacy NOT_CONTAINS is false for a missing attribute (both
CONTAINS and NOT_CONTAINS fail there, unlike NE); and the order operators (<, <=, >, >=, BETWEEN) refuse a
list, map, set, boolean or null given in ExpressionAttributeValues with a ValidationException, before any
item is read, while an item's attribute of such a type only makes the comparison false."""
from harness import Checks, Server, msg

t = Checks()
CCF = "ConditionalCheckFailedException"


def operand_error(op, type_, what="ConditionExpression"):
    """The refusal of an UpdateItem condition's operand: inside the envelope UpdateItem puts its request validation in
    (the paritysuite/dynamodb-conformance captures, October 2026); a Query's FilterExpression gives it bare."""
    text = ("Invalid %s: Incorrect operand type for operator or function; operator or function: %s, operand type: %s"
            % (what, op, type_))
    return text if what == "FilterExpression" else "1 validation error detected: " + text


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    ddb.create_table(TableName="conds", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    key = {"pk": {"S": "k"}}
    ddb.put_item(TableName="conds", Item={"pk": {"S": "k"}, "bin": {"B": b"\x00hi\xffthere"}, "n": {"N": "5"},
                                      "s": {"S": "hello"}, "l": {"L": [{"N": "1"}]}})

    def cond(expr, values, **kw):
        return ddb.update_item(TableName="conds", Key=key, UpdateExpression="SET z = :z", ConditionExpression=expr,
                               ExpressionAttributeValues=dict(values, **{":z": {"N": "1"}}), **kw)

    def expected(spec):
        return ddb.update_item(TableName="conds", Key=key, AttributeUpdates={"z": {"Action": "PUT", "Value": {"N": "2"}}},
                               Expected=spec)

    # ---- contains() on binaries: a byte substring, anywhere, including bytes that are not text ----
    for sub in (b"\xffth", b"\x00h", b"ere", b"\x00hi\xffthere"):
        cond("contains(bin, :b)", {":b": {"B": sub}})
        t.eq(ddb.get_item(TableName="conds", Key=key)["Item"]["z"], {"N": "1"}, "contains(bin, %r)" % sub)
        ddb.update_item(TableName="conds", Key=key, UpdateExpression="REMOVE z")
    for sub in (b"dog", b"hi there", b"\x00hi\xffthere!"):
        t.raises(lambda: cond("contains(bin, :b)", {":b": {"B": sub}}), CCF, "contains(bin, %r) is false" % sub)
    t.raises(lambda: cond("contains(s, :b)", {":b": {"B": b"ell"}}), CCF, "a binary is not within a string")
    t.raises(lambda: cond("contains(bin, :b)", {":b": {"S": "ere"}}), CCF, "a string is not within a binary")
    got = ddb.scan(TableName="conds", FilterExpression="contains(bin, :b)", ExpressionAttributeValues={":b": {"B": b"i\xff"}})
    t.eq(got["Count"], 1, "a FilterExpression's contains() on a binary")
    expected({"bin": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"B": b"\xffthere"}]}})
    t.eq(ddb.get_item(TableName="conds", Key=key)["Item"]["z"], {"N": "2"}, "Expected CONTAINS on a binary")
    t.raises(lambda: expected({"bin": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"B": b"\xffthere"}]}}),
             CCF, "Expected NOT_CONTAINS on a binary that holds it")
    ddb.update_item(TableName="conds", Key=key, UpdateExpression="REMOVE z")

    # ---- NOT_CONTAINS fails on a missing attribute, holds on one of another type ----
    t.raises(lambda: expected({"absent": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"N": "1"}]}}),
             CCF, "Expected NOT_CONTAINS on a missing attribute")
    t.raises(lambda: expected({"absent": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"N": "1"}]}}),
             CCF, "Expected CONTAINS on a missing attribute")
    expected({"absent": {"ComparisonOperator": "NE", "AttributeValueList": [{"N": "1"}]}})
    t.eq(ddb.get_item(TableName="conds", Key=key)["Item"]["z"], {"N": "2"}, "Expected NE on a missing attribute holds")
    ddb.update_item(TableName="conds", Key=key, UpdateExpression="REMOVE z")
    expected({"s": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"N": "1"}]}})
    t.eq(ddb.get_item(TableName="conds", Key=key)["Item"]["z"], {"N": "2"}, "Expected NOT_CONTAINS of a number in a string holds")
    got = ddb.scan(TableName="conds", ScanFilter={"absent": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "x"}]}})
    t.eq(got["Count"], 0, "ScanFilter NOT_CONTAINS on a missing attribute matches nothing")
    got = ddb.scan(TableName="conds", FilterExpression="NOT contains(absent, :v)", ExpressionAttributeValues={":v": {"S": "x"}})
    t.eq(got["Count"], 1, "but the expression NOT contains() on a missing attribute holds")

    # ---- order operators: a constant of a type without order is a ValidationException ----
    for op in ("<", "<=", ">", ">="):
        for value, type_ in (({"L": [{"N": "1"}]}, "L"), ({"M": {}}, "M"), ({"NS": ["1"]}, "NS"), ({"BOOL": True}, "BOOL"),
                             ({"NULL": True}, "NULL")):
            e = t.raises(lambda: cond("n %s :v" % op, {":v": value}), "ValidationException", "n %s %s" % (op, type_))
            t.eq(msg(e), operand_error(op, type_), "n %s %s: message" % (op, type_))
        e = t.raises(lambda: cond(":v %s n" % op, {":v": {"SS": ["a"]}}), "ValidationException", ":v %s n" % op)
        t.eq(msg(e), operand_error(op, "SS"), ":SS %s n: message" % op)
        # an item's list is not ordered either, but that only fails the condition
        t.raises(lambda: cond("l %s :v" % op, {":v": {"N": "1"}}), CCF, "l %s 1 is false" % op)
        t.raises(lambda: cond("n %s l" % op, {}), CCF, "n %s l is false" % op)
    e = t.raises(lambda: cond("n BETWEEN :a AND :b", {":a": {"L": []}, ":b": {"L": []}}), "ValidationException", "BETWEEN lists")
    t.eq(msg(e), operand_error("BETWEEN", "L"), "BETWEEN lists: message")
    e = t.raises(lambda: cond(":a BETWEEN n AND l", {":a": {"M": {}}}), "ValidationException", "BETWEEN of a map constant")
    t.eq(msg(e), operand_error("BETWEEN", "M"), "BETWEEN of a map constant: message")
    t.raises(lambda: cond("n BETWEEN l AND :b", {":b": {"N": "9"}}), CCF, "BETWEEN an item's list and 9 is false")
    cond("size(l) < :v", {":v": {"N": "2"}})
    t.eq(ddb.get_item(TableName="conds", Key=key)["Item"]["z"], {"N": "1"}, "size() is a number, so it is ordered")
    t.raises(lambda: cond("n = :v", {":v": {"L": []}}), CCF, "= and <> take every type")
    # the check is made on the request, so it holds on a Query that reads nothing too
    e = t.raises(lambda: ddb.query(TableName="conds", KeyConditionExpression="pk = :p", FilterExpression="n > :v",
                                   ExpressionAttributeValues={":p": {"S": "none"}, ":v": {"BOOL": False}}),
                 "ValidationException", "FilterExpression n > BOOL")
    t.eq(msg(e), operand_error(">", "BOOL", "FilterExpression"), "FilterExpression n > BOOL: message")
t.done()
