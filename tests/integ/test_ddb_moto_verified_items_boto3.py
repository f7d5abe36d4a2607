"""DynamoDB item, expression and PartiQL answers that moto's AWS-verified suite pins (run against real AWS by
moto's developers): a PartiQL write answers an Items array even without RETURNING, a PartiQL read of an unknown
index is refused without naming it (Query names it), and an empty set in ExpressionAttributeValues is refused
without the " for key" suffix other invalid values carry."""
from harness import Checks, Server, attr, key, msg

check = Checks()
INVALID = "One or more parameter values were invalid: "

with Server() as s:
    d = s.client("dynamodb")
    d.create_table(TableName="Notes", KeySchema=[key("id", "HASH")], AttributeDefinitions=[attr("id", "S")],
                   BillingMode="PAY_PER_REQUEST")

    def ex(stmt, **kw):
        return d.execute_statement(Statement=stmt, **kw)

    # --- PartiQL writes: always an Items array ---
    r = ex("INSERT INTO Notes VALUE {'id': 'n1', 'text': 'hello'}")
    check.eq(r.get("Items"), [], "INSERT answers an empty Items")
    r = ex("UPDATE Notes SET text = 'bye' WHERE id = 'n1'")
    check.eq(r.get("Items"), [], "UPDATE without RETURNING answers an empty Items")
    r = ex("UPDATE Notes SET text = 'again' WHERE id = 'n1' RETURNING ALL NEW *")
    check.eq(r.get("Items"), [{"id": {"S": "n1"}, "text": {"S": "again"}}], "UPDATE RETURNING still answers its item")
    r = ex("DELETE FROM Notes WHERE id = 'n1'")
    check.eq(r.get("Items"), [], "DELETE answers an empty Items")
    check.eq(d.scan(TableName="Notes")["Items"], [], "the writes took effect")

    # --- PartiQL on an index the table lacks, and on a table that does not exist ---
    e = check.raises(lambda: ex("SELECT * FROM Notes.nothere"), "ValidationException", "unknown index")
    check.eq(msg(e), "The table does not have the specified index", "PartiQL's unknown-index message names no index")
    e = check.raises(lambda: d.query(TableName="Notes", IndexName="nothere", KeyConditionExpression="id = :v",
                                     ExpressionAttributeValues={":v": {"S": "x"}}), "ValidationException", "query index")
    check.eq(msg(e), "The table does not have the specified index: nothere", "Query's message still names it")
    e = check.raises(lambda: ex("SELECT * FROM Absent.idx"), "ResourceNotFoundException", "unknown table with index")
    check.eq(msg(e), "Requested resource not found", "unknown table message")

    # --- an empty set in ExpressionAttributeValues: no " for key" suffix, nothing written. That wrapper is the older
    # value-checking layer's, which a transaction runs; UpdateItem runs the current one, which gives the message
    # bare inside its validation envelope (the paritysuite/dynamodb-conformance valueLayers captures, October 2026) ---
    d.put_item(TableName="Notes", Item={"id": {"S": "s1"}, "tags": {"SS": ["a"]}})

    def tx_update(expr, values):
        return d.transact_write_items(TransactItems=[{"Update": {"TableName": "Notes", "Key": {"id": {"S": "s1"}},
                                                                 "UpdateExpression": expr,
                                                                 "ExpressionAttributeValues": values}}])

    for kind, text in (("SS", "An string set  may not be empty"), ("NS", "An number set  may not be empty")):
        e = check.raises(lambda: tx_update("ADD tags :e", {":e": {kind: []}}), "ValidationException", "empty %s in values" % kind)
        check.eq(msg(e), "ExpressionAttributeValues contains invalid value: " + INVALID + text, "empty %s message" % kind)
        e = check.raises(lambda: d.update_item(TableName="Notes", Key={"id": {"S": "s1"}}, UpdateExpression="ADD tags :e",
                                               ExpressionAttributeValues={":e": {kind: []}}),
                         "ValidationException", "UpdateItem: empty %s in values" % kind)
        check.eq(msg(e), "1 validation error detected: " + INVALID + text, "UpdateItem: empty %s message" % kind)
    check.eq(d.get_item(TableName="Notes", Key={"id": {"S": "s1"}})["Item"]["tags"], {"SS": ["a"]}, "set unchanged")
    # other invalid values keep the key suffix
    e = check.raises(lambda: tx_update("SET n = :n", {":n": {"NULL": False}}), "ValidationException", "NULL false in values")
    check.eq(msg(e).endswith(" for key :n"), True, "a NULL false value is named by its key")

check.done()
