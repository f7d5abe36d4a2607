"""DynamoDB PartiQL with boto3: ExecuteStatement (SELECT as query or scan, projections, nested paths, WHERE
operators, parameters, Limit/NextToken pages, indexes, ORDER BY; INSERT, UPDATE SET/REMOVE with RETURNING,
DELETE), BatchExecuteStatement, ExecuteTransaction, and DynamoDB's errors for refused statements."""
from harness import Checks, Server, attr, key, msg

check = Checks()


with Server() as s:
    d = s.client("dynamodb")
    d.create_table(TableName="Music", KeySchema=[key("Artist", "HASH"), key("Song", "RANGE")],
                   AttributeDefinitions=[attr("Artist", "S"), attr("Song", "S"), attr("Genre", "S"), attr("Year", "N")],
                   GlobalSecondaryIndexes=[{"IndexName": "ByGenre", "KeySchema": [key("Genre", "HASH"), key("Year", "RANGE")],
                                            "Projection": {"ProjectionType": "ALL"}}],
                   BillingMode="PAY_PER_REQUEST")
    d.create_table(TableName="Users", KeySchema=[key("id", "HASH")], AttributeDefinitions=[attr("id", "S")],
                   BillingMode="PAY_PER_REQUEST")

    def ex(stmt, **kw):
        return d.execute_statement(Statement=stmt, **kw)

    # --- INSERT: literals of every kind, parameters ---
    ex("INSERT INTO \"Music\" VALUE {'Artist': 'Acme', 'Song': 'One', 'Genre': 'rock', 'Year': 1999, "
       "'Tags': <<'a', 'b'>>, 'Nums': <<1, 2>>, 'Info': {'label': 'X', 'tracks': [1, 'two', true, null]}}")
    for i in range(2, 8):
        ex("INSERT INTO \"Music\" VALUE {'Artist': ?, 'Song': ?, 'Genre': ?, 'Year': ?, 'Plays': ?}",
           Parameters=[{"S": "Acme"}, {"S": "Song%d" % i}, {"S": "pop" if i % 2 else "rock"}, {"N": str(2000 + i)},
                       {"N": str(i * 10)}])
    ex("INSERT INTO Music VALUE {'Artist': 'Other', 'Song': 'Solo', 'Year': 2010}")
    g = d.get_item(TableName="Music", Key={"Artist": {"S": "Acme"}, "Song": {"S": "One"}})["Item"]
    check.eq(g["Year"], {"N": "1999"}, "insert number")
    check.eq(sorted(g["Tags"]["SS"]), ["a", "b"], "bag of strings is SS")
    check.eq(sorted(g["Nums"]["NS"]), ["1", "2"], "bag of numbers is NS")
    check.eq(g["Info"]["M"]["tracks"]["L"], [{"N": "1"}, {"S": "two"}, {"BOOL": True}, {"NULL": True}], "list literal")
    e = check.raises(lambda: ex("INSERT INTO \"Music\" VALUE {'Artist': 'Acme', 'Song': 'One'}"), "DuplicateItemException",
                     "insert duplicate")
    check.eq(msg(e), "Duplicate primary key exists in table", "duplicate message")

    # --- SELECT: query on the partition key, projections, nested paths ---
    r = ex("SELECT * FROM \"Music\" WHERE Artist = 'Acme'")
    check.eq([i["Song"]["S"] for i in r["Items"]], ["One", "Song2", "Song3", "Song4", "Song5", "Song6", "Song7"], "query order")
    r = ex("SELECT Song, Info.tracks[1], Info.label FROM \"Music\" WHERE Artist = ? AND Song = ?",
           Parameters=[{"S": "Acme"}, {"S": "One"}])
    # A nested path ending in a name answers under that name (real DynamoDB, paritysuite/dynamodb-conformance
    # tests/tier2/partiql/executeStatement.test.ts "SELECT with nested map path", passed in results/dynamodb.json).
    check.eq(r["Items"], [{"Song": {"S": "One"}, "Info": {"M": {"tracks": {"L": [{"S": "two"}]}}}, "label": {"S": "X"}}],
             "nested projection")
    r = ex("SELECT Song FROM Music WHERE Artist = 'Acme' AND Year BETWEEN 2003 AND 2005")
    check.eq([i["Song"]["S"] for i in r["Items"]], ["Song3", "Song4", "Song5"], "between")
    r = ex("SELECT Song FROM Music WHERE Artist = 'Acme' AND begins_with(Song, 'Song') AND Plays >= 50")
    check.eq([i["Song"]["S"] for i in r["Items"]], ["Song5", "Song6", "Song7"], "begins_with and >=")
    r = ex("SELECT Song FROM Music WHERE Artist = 'Acme' AND contains(Tags, 'a')")
    check.eq([i["Song"]["S"] for i in r["Items"]], ["One"], "contains")
    r = ex("SELECT Song FROM Music WHERE Artist = 'Acme' AND Plays IS MISSING")
    check.eq([i["Song"]["S"] for i in r["Items"]], ["One"], "IS MISSING")
    r = ex("SELECT Song FROM Music WHERE Artist = 'Acme' AND Info IS NOT MISSING")
    check.eq(len(r["Items"]), 1, "IS NOT MISSING")
    r = ex("SELECT Song FROM Music WHERE Artist = 'Acme' AND attribute_type(Tags, 'SS')")
    check.eq(len(r["Items"]), 1, "attribute_type")
    r = ex("SELECT Song FROM Music WHERE Artist = 'Acme' AND Song IN ['Song2', 'Song4', 'nope']")
    check.eq([i["Song"]["S"] for i in r["Items"]], ["Song2", "Song4"], "IN")
    r = ex("SELECT Song FROM Music WHERE Artist = 'Acme' AND NOT Genre = 'rock' OR Artist = 'Other'")
    check.eq(sorted(i["Song"]["S"] for i in r["Items"]), ["Solo", "Song3", "Song5", "Song7"], "NOT / OR (scan)")
    r = ex("SELECT Song FROM Music WHERE Artist = 'Acme' AND Year <> 1999 AND Year < 2004")
    check.eq([i["Song"]["S"] for i in r["Items"]], ["Song2", "Song3"], "<> and <")
    r = ex("SELECT Song FROM Music WHERE Artist = 'Acme' ORDER BY Song DESC")
    check.eq(r["Items"][0]["Song"]["S"], "Song7", "ORDER BY DESC")

    # --- SELECT as a scan, and on an index ---
    r = ex("SELECT Artist, Song FROM \"Music\" WHERE Year > 2005")
    check.eq(sorted(i["Song"]["S"] for i in r["Items"]), ["Solo", "Song6", "Song7"], "scan filter")
    r = ex("SELECT Song, Year FROM \"Music\".\"ByGenre\" WHERE Genre = 'pop'")
    check.eq([i["Year"]["N"] for i in r["Items"]], ["2003", "2005", "2007"], "index query in index key order")

    # --- pagination ---
    seen, token, pages = [], None, 0
    while pages < 20:
        kw = {"Limit": 3}
        if token:
            kw["NextToken"] = token
        r = ex("SELECT Song FROM Music WHERE Artist = 'Acme'", **kw)
        seen += [i["Song"]["S"] for i in r["Items"]]
        pages += 1
        token = r.get("NextToken")
        if not token:
            break
    check.eq(len(seen), 7, "paged through every item")
    check.eq(len(set(seen)), 7, "no item twice")
    check.true(pages >= 3, "Limit made pages")
    seen, token = [], None
    for _ in range(20):
        kw = {"Limit": 2, "NextToken": token} if token else {"Limit": 2}
        r = ex("SELECT Song FROM Music", **kw)
        seen += [i["Song"]["S"] for i in r["Items"]]
        token = r.get("NextToken")
        if not token:
            break
    check.eq(len(seen), 8, "scan pages")
    e = check.raises(lambda: ex("SELECT Song FROM Music", NextToken="bm90IGEgdG9rZW4="), "ValidationException", "bad token")
    r = ex("SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'One'", ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
    check.eq(r["ConsumedCapacity"]["TableName"], "Music", "capacity table")
    check.eq(r["ConsumedCapacity"]["CapacityUnits"], 1.0, "consistent read unit")

    # --- UPDATE ---
    r = ex("UPDATE Music SET Plays = Plays + 5, Extra = ? REMOVE Genre WHERE Artist = 'Acme' AND Song = 'Song2' "
           "RETURNING ALL NEW *", Parameters=[{"S": "e"}])
    check.eq(r["Items"][0]["Plays"], {"N": "25"}, "SET arithmetic")
    check.eq(r["Items"][0]["Extra"], {"S": "e"}, "SET parameter")
    e = check.raises(lambda: ex("UPDATE Music SET Info.label = 'Y' WHERE Artist = 'Acme' AND Song = 'Song2'"),
                     "ValidationException", "SET into missing map")
    r = ex("UPDATE Music SET Info.label = 'Z' WHERE Artist = 'Acme' AND Song = 'One' RETURNING MODIFIED OLD *")
    check.eq(r["Items"], [{"Info": {"M": {"label": {"S": "X"}}}}], "MODIFIED OLD")
    ex("UPDATE Music SET Tags = set_add(Tags, <<'c'>>) WHERE Artist = 'Acme' AND Song = 'One'")
    ex("UPDATE Music SET Tags = set_delete(Tags, <<'a'>>) REMOVE Info.tracks[0] WHERE Artist = 'Acme' AND Song = 'One'")
    g = d.get_item(TableName="Music", Key={"Artist": {"S": "Acme"}, "Song": {"S": "One"}})["Item"]
    check.eq(sorted(g["Tags"]["SS"]), ["b", "c"], "set_add / set_delete")
    check.eq(g["Info"]["M"]["tracks"]["L"][0], {"S": "two"}, "REMOVE list element")
    e = check.raises(lambda: ex("UPDATE Music SET Plays = 1 WHERE Artist = 'Acme' AND Song = 'Nope'"),
                     "ConditionalCheckFailedException", "update of a missing item")
    e = check.raises(lambda: ex("UPDATE Music SET Plays = 1 WHERE Artist = 'Acme' AND Song = 'Song3' AND Plays = 999",
                                ReturnValuesOnConditionCheckFailure="ALL_OLD"),
                     "ConditionalCheckFailedException", "update condition false")
    check.eq(e.response.get("Item", {}).get("Plays"), {"N": "30"}, "ALL_OLD item on condition failure")
    e = check.raises(lambda: ex("UPDATE Music SET Plays = 1 WHERE Artist = 'Acme'"), "ValidationException", "update short key")
    check.eq(msg(e), "Where clause does not contain a mandatory equality on all key attributes", "short key message")
    e = check.raises(lambda: ex("UPDATE Music SET Song = 'x' WHERE Artist = 'Acme' AND Song = 'Song3'"), "ValidationException",
                     "update key attribute")

    # --- DELETE ---
    r = ex("DELETE FROM Music WHERE Artist = 'Acme' AND Song = 'Song7' RETURNING ALL OLD *")
    check.eq(r["Items"][0]["Song"], {"S": "Song7"}, "DELETE RETURNING ALL OLD")
    r = ex("DELETE FROM Music WHERE Artist = 'Acme' AND Song = 'Song7'")
    check.eq(r.get("Items"), [], "delete of a missing item is a no-op with an empty Items")
    check.raises(lambda: ex("DELETE FROM Music WHERE Artist = 'Acme' AND Song = 'Song6' AND Genre = 'jazz'"),
                 "ConditionalCheckFailedException", "delete condition false")
    e = check.raises(lambda: ex("DELETE FROM Music WHERE Artist = 'Acme' RETURNING ALL NEW *"), "ValidationException",
                     "delete returning")
    check.eq(msg(e), "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.",
             "delete returning message")

    # --- errors for refused statements ---
    bad = [
        ("SELECT * FROM \"Music\" WHERE", "Statement wasn't well formed, can't be processed: Unexpected term"),
        ("SELECT * FROM \"Music\" WHERE Artist = 'a' AND", "Statement wasn't well formed, can't be processed: Missing right-hand "
                                                         "side expression of infix operator"),
        ("SELECT * FROM \"Music\" WHERE Artist = 'a' foo", "Statement wasn't well formed, can't be processed: Unexpected token "
                                                          "after expression"),
        ("DELETE FROM", "Statement wasn't well formed, can't be processed: Expected identifier for simple path"),
        ("SELECT * FROM \"Music\" m WHERE Artist = 'a'", "Aliasing is not supported"),
        ("SELECT * FROM \"Music\" WHERE ORDER BY Artist", "Statement wasn't well formed, can't be processed: Unexpected keyword"),
        ("SELECT * FROM \"Music\" WHERE Artist = 1e126", "Number overflow. Attempting to store a number with magnitude larger "
                                                       "than supported range under root"),
        ("SELECT * FROM Music WHERE Artist = ?", "Number of parameters in request and statement don't match."),
        ("SELECT * FROM Music WHERE Artist = MISSING", "MISSING must be compared using IS operator"),
        ("INSERT INTO Music VALUE {'Artist': 'a', 'Song': 'b'} RETURNING ALL OLD *", "RETURNING is not supported in INSERT"),
    ]
    for stmt, want in bad:
        e = check.raises(lambda: ex(stmt), "ValidationException", stmt)
        check.eq(msg(e), want, "message for " + stmt)
    e = check.raises(lambda: ex("SELECT * FROM Nope"), "ResourceNotFoundException", "missing table")

    # --- BatchExecuteStatement ---
    r = d.batch_execute_statement(Statements=[
        {"Statement": "INSERT INTO Users VALUE {'id': 'u1', 'n': 1}"},
        {"Statement": "INSERT INTO Users VALUE {'id': ?, 'n': 2}", "Parameters": [{"S": "u2"}]},
        {"Statement": "INSERT INTO Users VALUE {'id': 'u1', 'n': 3}"},
        {"Statement": "SLECT * FROM Users"},
        {"Statement": "UPDATE Users SET n = 5 WHERE id = 'u9'"},
    ], ReturnConsumedCapacity="TOTAL")
    res = r["Responses"]
    check.eq(len(res), 5, "one response per statement")
    check.eq("Error" in res[0] or "Error" in res[1], False, "inserts ran")
    check.eq(res[2]["Error"]["Code"], "DuplicateItem", "batch duplicate")
    check.eq(res[3]["Error"]["Code"], "ValidationError", "batch parse error")
    check.eq(res[3]["Error"]["Message"], "Statement wasn't well formed, can't be processed: Expected data manipulation",
             "batch parse message")
    check.eq(res[4]["Error"]["Code"], "ConditionalCheckFailed", "batch update missing")
    check.eq(r["ConsumedCapacity"][0]["TableName"], "Users", "batch capacity")
    r = d.batch_execute_statement(Statements=[
        {"Statement": "SELECT * FROM Users WHERE id = 'u1'"},
        {"Statement": "SELECT n FROM Users WHERE id = ?", "Parameters": [{"S": "u2"}]},
        {"Statement": "SELECT * FROM Users WHERE id = 'none'"},
        {"Statement": "SELECT * FROM Users WHERE n = 1"},
    ])
    res = r["Responses"]
    check.eq(res[0]["Item"], {"id": {"S": "u1"}, "n": {"N": "1"}}, "batch get")
    check.eq(res[1]["Item"], {"n": {"N": "2"}}, "batch get projection")
    check.eq(res[2].get("Item"), None, "batch get of no item")
    check.eq(res[3]["Error"]["Code"], "ValidationError", "batch read needs the key")
    check.eq(res[0].get("TableName"), "Users", "batch TableName")
    check.raises(lambda: d.batch_execute_statement(Statements=[{"Statement": "SELECT * FROM Users WHERE id = 'u1'"},
                                                               {"Statement": "DELETE FROM Users WHERE id = 'u1'"}]),
                 "ValidationException", "batch mixing reads and writes")

    # --- ExecuteTransaction ---
    d.execute_transaction(TransactStatements=[
        {"Statement": "UPDATE Users SET n = n + 1 WHERE id = 'u1'"},
        {"Statement": "INSERT INTO Users VALUE {'id': 'u3', 'n': 3}"},
        {"Statement": "EXISTS(SELECT * FROM Users WHERE id = 'u2' AND n = 2)"},
    ])
    r = d.execute_transaction(TransactStatements=[{"Statement": "SELECT * FROM Users WHERE id = 'u1'"},
                                                  {"Statement": "SELECT * FROM Users WHERE id = 'u2'"},
                                                  {"Statement": "SELECT id FROM Users WHERE id = ?", "Parameters": [{"S": "u3"}]}])
    check.eq(r["Responses"], [{"Item": {"id": {"S": "u1"}, "n": {"N": "2"}}}, {"Item": {"id": {"S": "u2"}, "n": {"N": "2"}}},
                              {"Item": {"id": {"S": "u3"}}}],
             "transaction reads")
    e = check.raises(lambda: d.execute_transaction(TransactStatements=[
        {"Statement": "UPDATE Users SET n = 100 WHERE id = 'u1'"},
        {"Statement": "INSERT INTO Users VALUE {'id': 'u3'}"},
        {"Statement": "EXISTS(SELECT * FROM Users WHERE id = 'u2' AND n = 7)"},
    ]), "TransactionCanceledException", "transaction cancelled")
    reasons = e.response.get("CancellationReasons") if e is not None else None
    check.eq([x["Code"] for x in reasons or []], ["None", "DuplicateItem", "ConditionalCheckFailed"], "cancellation reasons")
    check.eq(d.get_item(TableName="Users", Key={"id": {"S": "u1"}})["Item"]["n"], {"N": "2"}, "cancelled: nothing written")
    e = check.raises(lambda: d.execute_transaction(TransactStatements=[{"Statement": "SELECT * FROM Users WHERE"}]),
                     "ValidationException", "transaction parse error")
    check.eq(msg(e), "Validation failed in TransactStatements[0]: Statement wasn't well formed, can't be processed: "
                     "Unexpected term", "transaction parse message")
    check.raises(lambda: d.execute_transaction(TransactStatements=[{"Statement": "UPDATE Users SET n = 1 WHERE id = 'u1'"},
                                                                   {"Statement": "DELETE FROM Users WHERE id = 'u1'"}]),
                 "ValidationException", "two operations on one item")

    # --- a partition key given by IN or OR reads those partitions alone (ql-reference.select: no full table scan):
    # only their capacity, Limit counting only their items, NextToken staying inside them ---
    d.create_table(TableName="Orders", KeySchema=[key("OrderID", "HASH")], AttributeDefinitions=[attr("OrderID", "N")],
                   BillingMode="PAY_PER_REQUEST")
    for i in range(300):
        d.put_item(TableName="Orders", Item={"OrderID": {"N": str(i)}, "d": {"S": "x" * 3000}})
    for stmt, want in (('SELECT OrderID FROM "Orders" WHERE OrderID IN [100, 300, 234]', ["100", "234"]),
                       ('SELECT OrderID FROM "Orders" WHERE OrderID = 100 OR OrderID = 200', ["100", "200"]),
                       ("SELECT OrderID FROM \"Orders\" WHERE OrderID IN [100, 100, 'x']", ["100"])):
        r = ex(stmt, ReturnConsumedCapacity="TOTAL")
        check.eq(([i["OrderID"]["N"] for i in r["Items"]], r["ConsumedCapacity"]["CapacityUnits"] <= 1, "NextToken" in r),
                 (want, True, False), stmt)
    pages, token = [], None
    for _ in range(10):
        r = ex('SELECT OrderID FROM "Orders" WHERE OrderID IN [5, 7, 9]', Limit=1, **({"NextToken": token} if token else {}))
        pages.append([i["OrderID"]["N"] for i in r["Items"]])
        token = r.get("NextToken")
        if not token:
            break
    check.eq(pages, [["5"], ["7"], ["9"], []], "IN pages: one partition's item each, then the end")
    r = ex("SELECT * FROM \"Music\" WHERE Artist IN ['Acme', 'Nobody'] AND Song = 'One'")
    check.eq([(i["Artist"]["S"], i["Song"]["S"]) for i in r["Items"]], [("Acme", "One")], "IN with a sort key condition")

check.done()
