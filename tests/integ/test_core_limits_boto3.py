"""Request limits with boto3: a DynamoDB item nested 32 levels deep goes in and
comes back whole; one level more gets DynamoDB's nesting error."""
from harness import Checks, Server

t = Checks()


def nested(levels):
    """An attribute value whose innermost scalar is at `levels` (the attribute itself is level 1)."""
    v = {"S": "bottom"}
    for i in range(levels - 1):
        v = {"M": {"k%d" % i: v}} if i % 2 else {"L": [v]}
    return v


with Server() as s:
    ddb = s.client("dynamodb")
    ddb.create_table(TableName="deep", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    item = {"pk": {"S": "a"}, "doc": nested(32)}
    ddb.put_item(TableName="deep", Item=item)
    got = ddb.get_item(TableName="deep", Key={"pk": {"S": "a"}})
    t.eq(got.get("Item"), item, "32-level item read back whole")
    e = t.raises(lambda: ddb.put_item(TableName="deep", Item={"pk": {"S": "b"}, "doc": nested(33)}), "ValidationException",
                 "33-level item")
    if e is not None:
        t.eq(e.response["Error"]["Message"], "Nesting Levels have exceeded supported limits: Attributes in the item have "
             "nested levels beyond supported limit", "33-level item message")
    t.eq("Item" in ddb.get_item(TableName="deep", Key={"pk": {"S": "b"}}), False, "33-level item not stored")
t.done()
