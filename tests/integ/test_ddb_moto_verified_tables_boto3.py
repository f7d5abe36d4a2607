"""DynamoDB table-name validation, condition-failure bodies and transaction key checks that moto's AWS-verified
suite pins (run against real AWS by moto's developers): an item operation answers TableName '' with the ARN
member's own "length greater than or equal to 1" alone, a name too short and off the pattern is reported length
first, a ConditionalCheckFailedException that carries the old item names its message "Message", and an empty key
value in a transaction is the request's ValidationException rather than a cancellation reason."""
from botocore.config import Config

from harness import Checks, Server, attr, key, msg

check = Checks()
TOO_SHORT = "Member must have length greater than or equal to 3"
PATTERN = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"


def at_name(value, constraint):
    return "Value '%s' at 'tableName' failed to satisfy constraint: %s" % (value, constraint)


with Server() as s:
    d = s.client("dynamodb")
    raw = s.client("dynamodb", config=Config(parameter_validation=False, retries={"max_attempts": 1}))
    d.create_table(TableName="Locks", KeySchema=[key("pk", "HASH")], AttributeDefinitions=[attr("pk", "S")],
                   BillingMode="PAY_PER_REQUEST")

    # --- TableName: '' on an item operation with its required members is answered alone, in the newer framework's
    # words (paritysuite/dynamodb-conformance splits.json, 31 of 33 regions, 2026-10-07; nubo-db/dynamodb-conformance
    # validation-ordering, 2026-06), no longer moto's older "Value '' at 'tableName'" ---
    upd = dict(Key={"pk": {"S": "a"}}, UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": {"S": "x"}})
    one = ("1 validation error detected: Value at 'TableName' failed to satisfy constraint: Member must have length "
           "greater than or equal to 1")
    check.refuses(lambda: raw.update_item(TableName="", **upd), "ValidationException", one, "UpdateItem ''")
    check.refuses(lambda: raw.get_item(TableName="", Key={"pk": {"S": "a"}}), "ValidationException", one, "GetItem ''")
    check.refuses(lambda: raw.query(TableName="", KeyConditionExpression="pk = :v",
                                    ExpressionAttributeValues={":v": {"S": "a"}}), "ValidationException", one, "Query ''")
    two = "2 validation errors detected: %s; %s" % (at_name("", TOO_SHORT), at_name("", PATTERN))
    check.refuses(lambda: raw.describe_table(TableName=""), "ValidationException", two, "DescribeTable '' keeps both")
    for op, call in (("UpdateItem", lambda: raw.update_item(TableName="x!", **upd)),
                     ("DescribeTable", lambda: raw.describe_table(TableName="x!"))):
        check.refuses(call, "ValidationException", "2 validation errors detected: %s; %s" % (
            at_name("x!", TOO_SHORT), at_name("x!", PATTERN)), op + " 'x!': length, then pattern")

    # --- ConditionalCheckFailedException: "message" alone, "Message" beside the old item ---
    d.put_item(TableName="Locks", Item={"pk": {"S": "mark"}, "lock": {"M": {"at": {"N": "123"}}}})
    cond = dict(TableName="Locks", Key={"pk": {"S": "mark"}}, ConditionExpression="attribute_not_exists(#l.#a)",
                ExpressionAttributeNames={"#l": "lock", "#a": "at"})
    for op, call in (("UpdateItem", lambda **kw: d.update_item(UpdateExpression="SET z = :z",
                                                               ExpressionAttributeValues={":z": {"N": "1"}}, **cond, **kw)),
                     ("DeleteItem", lambda **kw: d.delete_item(**cond, **kw))):
        e = check.refuses(call, "ConditionalCheckFailedException", "The conditional request failed", op)
        check.eq((e.response.get("message"), "Item" in e.response), ("The conditional request failed", False),
                 op + ": lower-case message, no item")
        e = check.refuses(lambda: call(ReturnValuesOnConditionCheckFailure="ALL_OLD"), "ConditionalCheckFailedException",
                          "The conditional request failed", op + " ALL_OLD")
        check.eq(("message" in e.response, e.response.get("Item")),
                 (False, {"pk": {"S": "mark"}, "lock": {"M": {"at": {"N": "123"}}}}), op + " ALL_OLD: the item, 'Message'")
    check.eq(d.get_item(TableName="Locks", Key={"pk": {"S": "mark"}})["Item"].get("z"), None, "nothing written")

    # --- a transaction with an empty key value: refused whole, not cancelled ---
    e = check.refuses(lambda: d.transact_write_items(TransactItems=[
        {"Put": {"TableName": "Locks", "Item": {"pk": {"S": "fine"}}}},
        {"Update": {"TableName": "Locks", "Key": {"pk": {"S": ""}}, "UpdateExpression": "SET n = :v",
                    "ExpressionAttributeValues": {":v": {"N": "0"}}}}]), "ValidationException",
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
        "string value. Key: pk", "an empty key in a transaction")
    check.eq("CancellationReasons" in (e.response if e else {}), False, "no cancellation reasons")
    check.eq(d.get_item(TableName="Locks", Key={"pk": {"S": "fine"}}).get("Item"), None, "the other write did not happen")
    # a key of the wrong type still cancels with that item's reason
    e = check.raises(lambda: d.transact_write_items(TransactItems=[
        {"Put": {"TableName": "Locks", "Item": {"pk": {"S": "fine"}}}},
        {"Put": {"TableName": "Locks", "Item": {"pk": {"N": "7"}}}}]), "TransactionCanceledException", "a wrong key type")
    check.eq([r.get("Code") for r in (e.response.get("CancellationReasons", []) if e else [])], ["None", "ValidationError"],
             "its reasons")

check.done()
