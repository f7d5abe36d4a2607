"""DynamoDB PartiQL and index reads with boto3, held to answers recorded from real DynamoDB (the public
paritysuite/dynamodb-conformance tests: tier2/partiql/* and tier3/error-messages/partiql*.test.ts and
indexReads.test.ts): comparison of non-scalar types and the ordering operators' type rule, index-qualified
SELECT (projections, LSI reads of the base item, multi-attribute GSIs), FROM-first UPDATE, grammar and number
literals, set_add/set_delete, functions in WHERE, OR branches, write responses, and number parameters."""
from harness import Checks, Server, attr, key, msg

check = Checks()
NWF = "Statement wasn't well formed, can't be processed: "
LEFTOVER = NWF + "Unexpected token after expression"
OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
DIGITS = "Attempting to store more than 38 significant digits in a Number"
UNCONVERTIBLE = "The parameter cannot be converted to a numeric value"
NEST = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
MULTI = ("PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE "
         "keys.")
BATCH_KEY = "Select statements within BatchExecuteStatement must specify the primary key in the where clause."


def S(v):
    return {"S": v}


def section(fn):
    """Runs one group of checks at once; an unexpected error fails the group and lets the next ones run."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - reported as a failure
        check.failed += 1
        print("FAIL %s raised %r" % (fn.__doc__ or fn.__name__, e))


def at(stmt, token, length=None, start=0):
    """The position DynamoDB reports for token's first occurrence from start: line 1, column from 1, length."""
    return "1:%d:%d" % (stmt.index(token, start) + 1, len(token) if length is None else length)


with Server() as s:
    d = s.client("dynamodb")

    def table(name, keys, attrs, **kw):
        d.create_table(TableName=name, KeySchema=[key(n, t) for n, t in keys],
                       AttributeDefinitions=[attr(n, t) for n, t in attrs], BillingMode="PAY_PER_REQUEST", **kw)

    table("Hsh", [("pk", "HASH")], [("pk", "S")])
    table("HshN", [("pk", "HASH")], [("pk", "N")])
    table("Cmp", [("pk", "HASH"), ("sk", "RANGE")], [("pk", "S"), ("sk", "S")])
    table("CmpN", [("pk", "HASH"), ("sk", "RANGE")], [("pk", "S"), ("sk", "N")])
    table("CmpIdx", [("pk", "HASH"), ("sk", "RANGE")], [("pk", "S"), ("sk", "S"), ("lsi1sk", "S"), ("lsi2sk", "S")],
          LocalSecondaryIndexes=[
              {"IndexName": "lsi1", "KeySchema": [key("pk", "HASH"), key("lsi1sk", "RANGE")],
               "Projection": {"ProjectionType": "ALL"}},
              {"IndexName": "lsi2", "KeySchema": [key("pk", "HASH"), key("lsi2sk", "RANGE")],
               "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["lsi1sk"]}}],
          GlobalSecondaryIndexes=[
              {"IndexName": "gsi1", "KeySchema": [key("lsi1sk", "HASH")], "Projection": {"ProjectionType": "ALL"}},
              {"IndexName": "gsi2", "KeySchema": [key("lsi1sk", "HASH"), key("lsi2sk", "RANGE")],
               "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["data"]}}])

    def ex(stmt, params=None, **kw):
        if params is not None:
            kw["Parameters"] = params
        return d.execute_statement(Statement=stmt, **kw)

    def refused(stmt, message, params=None, what=None, **kw):
        check.refuses(lambda: ex(stmt, params, **kw), "ValidationException", message, what or stmt)

    def rows(stmt, params=None, **kw):
        out, token = [], None
        while True:
            if token:
                kw["NextToken"] = token
            r = ex(stmt, params, **kw)
            out += r["Items"]
            token = r.get("NextToken")
            if not token:
                return out

    def stored(tname, k):
        return d.get_item(TableName=tname, Key=k, ConsistentRead=True).get("Item")

    # --- comparison.test.ts: equality on every type, and the ordering operators' operand rule ---
    @section
    def _section1():
        cases = [("SS", {"SS": ["a", "b", "c"]}, {"SS": ["a", "b", "d"]}, {"SS": ["c", "a", "b"]}, True),
                 ("NS", {"NS": ["1", "2", "3"]}, {"NS": ["1", "2", "4"]}, {"NS": ["3", "1", "2"]}, True),
                 ("BS", {"BS": [b"\x01\x02", b"\x03\x04"]}, {"BS": [b"\x01\x02", b"\x05\x06"]},
                  {"BS": [b"\x03\x04", b"\x01\x02"]}, True),
                 ("L", {"L": [{"S": "a"}, {"S": "b"}]}, {"L": [{"S": "a"}, {"S": "c"}]}, {"L": [{"S": "b"}, {"S": "a"}]}, False),
                 ("M", {"M": {"x": {"N": "1"}, "y": {"N": "2"}}}, {"M": {"x": {"N": "1"}, "y": {"N": "3"}}},
                  {"M": {"y": {"N": "2"}, "x": {"N": "1"}}}, True),
                 ("B", {"B": b"\x01\x02\x03"}, {"B": b"\x01\x02\x04"}, None, None),
                 ("NULL", {"NULL": True}, {"S": "not null"}, None, None)]

        def matches(pk, value, op):
            return len(ex("SELECT pk FROM Hsh WHERE pk = ? AND val %s ?" % op, [{"S": pk}, value])["Items"]) == 1

        for t, val, differs, permuted, pmatch in cases:
            d.put_item(TableName="Hsh", Item={"pk": {"S": "cmp-" + t}, "val": val})
            check.eq([matches("cmp-" + t, val, "="), matches("cmp-" + t, differs, "="), matches("cmp-" + t, val, "<>"),
                      matches("cmp-" + t, differs, "<>")], [True, False, False, True], "= and <> on " + t)
            if permuted is not None:
                check.eq(matches("cmp-" + t, permuted, "="), pmatch, "permuted " + t)
        unordered = [("BOOL", {"BOOL": True}), ("NULL", {"NULL": True}), ("L", {"L": [{"S": "a"}]}),
                     ("M", {"M": {"a": {"S": "b"}}}), ("SS", {"SS": ["a"]}), ("NS", {"NS": ["1"]}), ("BS", {"BS": [b"\x01"]})]
        for t, v in unordered:
            refused("SELECT pk FROM Hsh WHERE pk = ? AND val < ?",
                    "Incorrect operand type for operator or function; operator or function: <, operand type: " + t,
                    [{"S": "cmp-B"}, v], "< against " + t)
            check.eq([matches("cmp-B", v, "="), matches("cmp-B", v, "<>")], [False, True], "= and <> accept " + t)
        for op in ["<", "<=", ">", ">="]:
            refused("SELECT pk FROM Hsh WHERE pk = ? AND val %s ?" % op,
                    "Incorrect operand type for operator or function; operator or function: %s, operand type: BOOL" % op,
                    [{"S": "cmp-B"}, {"BOOL": True}])
        refused("SELECT pk FROM Hsh WHERE pk = ? AND val BETWEEN ? AND ?",
                "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL",
                [{"S": "cmp-B"}, {"BOOL": True}, {"BOOL": False}])
        check.eq(ex("SELECT pk FROM Hsh WHERE pk = ? AND val < ?", [{"S": "cmp-NULL"}, {"N": "5"}])["Items"], [],
                 "S against N orders")
        check.eq(len(ex("SELECT pk FROM Hsh WHERE pk = ? AND val < ?", [{"S": "cmp-B"}, {"B": b"\x01\x02\x04"}])["Items"]), 1,
                 "binary below")
        check.eq(len(ex("SELECT pk FROM Hsh WHERE pk = ? AND val > ?", [{"S": "cmp-B"}, {"B": b"\x01\x02\x04"}])["Items"]), 0,
                 "binary above")
        d.put_item(TableName="Hsh", Item={"pk": {"S": "cmp-w1"}, "val": {"SS": ["a", "b"]}})
        ex("UPDATE Hsh SET touched = 'yes' WHERE pk = ? AND val = ?", [{"S": "cmp-w1"}, {"SS": ["b", "a"]}])
        check.eq(stored("Hsh", {"pk": {"S": "cmp-w1"}})["touched"], {"S": "yes"}, "write on a set predicate")
        d.put_item(TableName="Hsh", Item={"pk": {"S": "cmp-w2"}, "val": {"M": {"x": {"N": "1"}}}})
        check.raises(lambda: ex("UPDATE Hsh SET touched = 'yes' WHERE pk = ? AND val = ?",
                                [{"S": "cmp-w2"}, {"M": {"x": {"N": "2"}}}]), "ConditionalCheckFailedException", "map predicate")

    # --- executeStatementIndex.test.ts and indexReads.test.ts ---
    @section
    def _section2():
        d.put_item(TableName="CmpIdx", Item={"pk": {"S": "pq-idx"}, "sk": {"S": "s1"}, "lsi1sk": {"S": "pq-gsi-a"},
                                         "lsi2sk": {"S": "pq-lsi-b"}, "data": {"S": "one"}})
        r = ex('SELECT * FROM "CmpIdx"."gsi1" WHERE lsi1sk = \'pq-gsi-a\'')["Items"]
        check.eq([i["pk"]["S"] for i in r], ["pq-idx"], "GSI read")
        r = ex('SELECT * FROM "CmpIdx"."gsi1" WHERE pk = \'pq-idx\'')["Items"]
        check.eq([i["sk"]["S"] for i in r], ["s1"], "GSI scan")
        check.eq(len(ex('SELECT * FROM "CmpIdx"."lsi1" WHERE pk = \'pq-idx\'', ConsistentRead=True)["Items"]), 1,
                 "LSI ConsistentRead")
        r = ex('SELECT data FROM "CmpIdx"."lsi2" WHERE pk = \'pq-idx\' AND lsi2sk = \'pq-lsi-b\'')["Items"]
        check.eq(r, [{"data": {"S": "one"}}], "LSI reaches the base item")
        refused('SELECT alternate, mymap FROM "CmpIdx"."gsi2" WHERE lsi1sk = \'pq-gsi-a\'',
                "One or more parameter values were invalid: Global secondary index gsi2 does not project [alternate, mymap]")
        refused('SELECT alternate FROM "CmpIdx"."gsi2"',
                "One or more parameter values were invalid: Global secondary index gsi2 does not project [alternate]")
        r = d.batch_execute_statement(Statements=[{"Statement": 'SELECT * FROM "CmpIdx"."gsi1" WHERE lsi1sk = \'pq-gsi-a\''},
                                                  {"Statement": "SELECT * FROM CmpIdx WHERE pk = 'pq-idx'"}])["Responses"]
        check.eq([(x["Error"]["Code"], x["Error"]["Message"]) for x in r], [("ValidationError", BATCH_KEY)] * 2,
                 "batch SELECT needs the primary key")
        check.refuses(lambda: d.query(TableName="CmpIdx", IndexName="gsi1", KeyConditionExpression="lsi1sk = :v",
                                      ExpressionAttributeValues={":v": {"S": "val"}}, ConsistentRead=True),
                      "ValidationException", "Consistent reads are not supported on global secondary indexes", "Query GSI CR")
        check.refuses(lambda: d.scan(TableName="CmpIdx", IndexName="gsi1", ConsistentRead=True),
                      "ValidationException", "Consistent reads are not supported on global secondary indexes", "Scan GSI CR")
        refused('SELECT * FROM "CmpIdx"."gsi1"', "Strongly consistent read is not supported on Global Secondary Indexes",
                ConsistentRead=True)
        refused('SELECT * FROM "CmpIdx"."no-such-index"', "The table does not have the specified index")
        refused('SELECT * FROM "CmpIdx"."no-such-index"', "The table does not have the specified index", ConsistentRead=True)

    # --- fromFirstUpdate.test.ts ---
    @section
    def _section3():
        def seed(pk):
            d.put_item(TableName="Hsh", Item={"pk": {"S": pk}, "a": {"N": "1"}, "b": {"S": "bee"}})
            return {"pk": {"S": pk}}

        k = seed("ff-set")
        ex("FROM Hsh WHERE pk = 'ff-set' SET c = 1")
        check.eq(stored("Hsh", k).get("c"), {"N": "1"}, "FROM-first SET")
        k = seed("ff-rm")
        ex('FROM "Hsh" WHERE pk = \'ff-rm\' REMOVE b')
        check.eq("b" in stored("Hsh", k), False, "FROM-first REMOVE")
        k = seed("ff-sr")
        ex("FROM Hsh WHERE pk = 'ff-sr' SET c = 2 REMOVE a")
        check.eq((stored("Hsh", k).get("c"), "a" in stored("Hsh", k)), ({"N": "2"}, False), "FROM-first SET REMOVE")
        seed("ff-ret")
        r = ex("FROM Hsh WHERE pk = 'ff-ret' SET d = 3 RETURNING ALL NEW *")["Items"]
        check.eq(r, [{"pk": {"S": "ff-ret"}, "a": {"N": "1"}, "b": {"S": "bee"}, "d": {"N": "3"}}], "FROM-first RETURNING")
        k = seed("ff-low")
        ex("from Hsh where pk = 'ff-low' set e = 4")
        check.eq(stored("Hsh", k).get("e"), {"N": "4"}, "FROM-first lower case")
        k = seed("ff-par")
        ex("FROM Hsh WHERE pk = ? SET c = ?", [{"S": "ff-par"}, {"N": "7"}])
        check.eq(stored("Hsh", k).get("c"), {"N": "7"}, "FROM-first parameters")
        k = seed("ff-cond")
        ex("FROM Hsh WHERE pk = 'ff-cond' AND a = 1 SET c = 5")
        check.eq(stored("Hsh", k).get("c"), {"N": "5"}, "FROM-first condition holds")
        k = seed("ff-fail")
        check.raises(lambda: ex("FROM Hsh WHERE pk = 'ff-fail' AND a = 2 SET c = 5"), "ConditionalCheckFailedException",
                     "FROM-first condition fails")
        check.eq(stored("Hsh", k).get("c"), None, "FROM-first failed: unchanged")
        check.raises(lambda: ex("FROM Hsh WHERE pk = 'ff-absent' SET c = 1"), "ConditionalCheckFailedException", "FROM-first absent")
        check.eq(stored("Hsh", {"pk": {"S": "ff-absent"}}), None, "FROM-first absent: nothing created")
        k = seed("ff-tx")
        d.execute_transaction(TransactStatements=[{"Statement": "FROM Hsh WHERE pk = 'ff-tx' SET c = 1"}])
        check.eq(stored("Hsh", k).get("c"), {"N": "1"}, "FROM-first in a transaction")
        k = seed("ff-batch")
        r = d.batch_execute_statement(Statements=[{"Statement": "FROM Hsh WHERE pk = 'ff-batch' SET c = 1"}])["Responses"]
        check.eq((len(r), "Error" in r[0], stored("Hsh", k).get("c")), (1, False, {"N": "1"}), "FROM-first in a batch")

    # --- grammar.test.ts and partiqlGrammar.test.ts ---
    @section
    def _section4():
        for n in ["7310000", "7.3", "-7.3"]:
            d.put_item(TableName="HshN", Item={"pk": {"N": n}, "tag": {"S": "grammar"}})
        for n in ["1", "2", "3"]:
            d.put_item(TableName="CmpN", Item={"pk": {"S": "order"}, "sk": {"N": n}})
        for lit in ["7.31e6", "7.31E6", "7.31e+6", "731e4", "73100000e-1"]:
            check.eq([i["pk"] for i in ex("SELECT * FROM HshN WHERE pk = " + lit)["Items"]], [{"N": "7310000"}], lit)
        ex("INSERT INTO HshN VALUE {'pk': 7.32e6, 'tag': 'grammar'}")
        check.true(stored("HshN", {"pk": {"N": "7320000"}}), "exponent INSERT")
        check.eq([i["pk"] for i in ex("SELECT * FROM HshN WHERE pk = .73e1")["Items"]], [{"N": "7.3"}], ".73e1")
        check.eq([i["pk"] for i in ex("SELECT * FROM HshN WHERE pk = -.73e1")["Items"]], [{"N": "-7.3"}], "-.73e1")
        ex("INSERT INTO HshN VALUE {'pk': .7325e1, 'tag': 'grammar'}")
        check.true(stored("HshN", {"pk": {"N": "7.325"}}), ".7325e1 INSERT")
        d.put_item(TableName="Hsh", Item={"pk": {"S": "g-a"}})
        d.put_item(TableName="Hsh", Item={"pk": {"S": "g-b"}})
        for stmt in ["SELECT * FROM Hsh WHERE pk = 'g-a' -- a note", "SELECT * FROM Hsh -- a note\nWHERE pk = 'g-a'",
                     "-- a note\nSELECT * FROM Hsh WHERE pk = 'g-a'", "SELECT * FROM Hsh /* a note */ WHERE pk = 'g-a'",
                     "SELECT * FROM Hsh WHERE pk = 'g-a' /* a note */"]:
            check.eq([i["pk"]["S"] for i in ex(stmt)["Items"]], ["g-a"], stmt)
        check.eq([i["sk"]["N"] for i in ex("SELECT * FROM CmpN WHERE pk = 'order' ORDER BY sk DESC")["Items"]], ["3", "2", "1"],
                 "ORDER BY DESC")
        check.eq([i["sk"]["N"] for i in ex("SELECT * FROM CmpN WHERE pk = 'order' ORDER BY sk ASC")["Items"]], ["1", "2", "3"],
                 "ORDER BY ASC")
        for stmt in ["SELECT * FROM HshN WHERE pk = 1 foo", "SELECT * FROM HshN WHERE pk = 1 e5",
                     "INSERT INTO HshN VALUE {'pk': 970001} foo", "UPDATE HshN SET a = 9 WHERE pk = 970002 foo",
                     "DELETE FROM HshN WHERE pk = 970003 foo", "SELECT * FROM HshN WHERE pk = 1)",
                     "DELETE FROM HshN WHERE pk = 970004 ORDER BY pk", "SELECT * FROM HshN ORDER BY pk WHERE pk = 1",
                     "INSERT INTO Hsh t VALUE {'pk': 'x'}"]:
            refused(stmt, LEFTOVER)
        check.eq(stored("HshN", {"pk": {"N": "970001"}}), None, "leftover INSERT wrote nothing")
        for stmt in ["SELECT * FROM HshN WHERE pk = 1e2147483648", "SELECT * FROM HshN WHERE pk = 1e99999999999",
                     "SELECT * FROM HshN WHERE pk = 1.5e-2147483647", "SELECT * FROM HshN WHERE pk = 1 # note",
                     "SELECT * FROM HshN WHERE pk = 1 /* note"]:
            refused(stmt, NWF)
        for stmt in ["SELECT * FROM Hsh t WHERE pk = 'x'", "SELECT * FROM Hsh AS t WHERE pk = 'x'",
                     "UPDATE Hsh t SET a = 3 WHERE pk = 'x'", "DELETE FROM Hsh t WHERE pk = 'g-a'"]:
            refused(stmt, "Aliasing is not supported")
        check.true(stored("Hsh", {"pk": {"S": "g-a"}}), "aliased DELETE deleted nothing")
        refused("SELECT * FROM HshN WHERE pk = 1e126", OVERFLOW + " under root")
        # the literal's reading matches the parameter's (partiqlParameterNumbers.test.ts): a wrapped magnitude underflows
        refused("SELECT * FROM HshN WHERE pk = 1e2147483647", UNDERFLOW + " under root")
        refused("SELECT * FROM HshN WHERE pk = 1e-131", UNDERFLOW + " under root")
        refused("SELECT * FROM HshN WHERE pk = 123456789012345678901234567890123456789", DIGITS + " under root")
        refused("INSERT INTO HshN VALUE {'pk': 1e126}", OVERFLOW + " under root")
        refused("UPDATE HshN SET a = 1e-131 WHERE pk = 970005", UNDERFLOW + " under root")
        refused("INSERT INTO HshN VALUE {'pk': 970006, 'm': {'x': 1e126}}", OVERFLOW + " under root.x")
        refused("INSERT INTO HshN VALUE {'pk': 970007, 'l': [1, 1e126]}", OVERFLOW + " under root[1]")

    # --- multiAttributeIndex.test.ts and partiqlMultiAttributeIndex.test.ts ---
    @section
    def _section5():
        strs = lambda names: [attr(n, "S") for n in names]  # noqa: E731
        d.create_table(TableName="MltK", BillingMode="PAY_PER_REQUEST", AttributeDefinitions=strs(["id", "h1", "h2", "r1", "r2"]),
                       KeySchema=[key("id", "HASH")],
                       GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [key("h1", "HASH"), key("h2", "HASH"),
                                                                                   key("r1", "RANGE"), key("r2", "RANGE")],
                                                "Projection": {"ProjectionType": "ALL"}}])
        d.create_table(TableName="MltX", BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=strs(["id", "sk", "g", "h1", "h2", "r1", "l"]),
                       KeySchema=[key("id", "HASH"), key("sk", "RANGE")],
                       GlobalSecondaryIndexes=[
                           {"IndexName": "single", "KeySchema": [key("g", "HASH")], "Projection": {"ProjectionType": "ALL"}},
                           {"IndexName": "multi", "KeySchema": [key("h1", "HASH"), key("h2", "HASH"), key("r1", "RANGE")],
                            "Projection": {"ProjectionType": "ALL"}}],
                       LocalSecondaryIndexes=[{"IndexName": "local", "KeySchema": [key("id", "HASH"), key("l", "RANGE")],
                                               "Projection": {"ProjectionType": "ALL"}}])
        table("MltC", [("id", "HASH")], [("id", "S"), ("h1", "S"), ("r1", "S")],
              GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [key("h1", "HASH"), key("r1", "RANGE")],
                                       "Projection": {"ProjectionType": "ALL"}}])
        d.put_item(TableName="MltK", Item={"id": S("i1"), "h1": S("a"), "h2": S("x"), "r1": S("m"), "r2": S("n")})
        d.put_item(TableName="MltX", Item={"id": S("i1"), "sk": S("s"), "g": S("g1"), "h1": S("a"), "h2": S("x"), "r1": S("m"),
                                         "l": S("l1")})
        for stmt in ["SELECT * FROM \"MltK\".\"gsi\" WHERE h1 = 'a'",
                     "SELECT id FROM \"MltK\".\"gsi\" WHERE h1 = 'a' AND h2 = 'x' ORDER BY r1 DESC",
                     "SELECT * FROM \"MltX\".\"multi\" WHERE h1 = 'a' AND h2 = 'x'", "SELECT * FROM \"MltX\".\"multi\" WHERE h1 = 5",
                     "SELECT * FROM \"MltX\".\"multi\" WHERE id = 'i1'", "SELECT * FROM \"MltX\".\"multi\""]:
            refused(stmt, MULTI)
        refused("SELECT * FROM \"MltX\".\"multi\" WHERE", NWF + "Unexpected term")
        refused("SELECT * FROM \"MltX\".\"multi\" WHERE h1 = 1e99999999999", NWF)
        refused("SELECT * FROM \"MltX\".\"multi\" WHERE h1 = ?", UNCONVERTIBLE + ": 1e99999999999", [{"N": "1e99999999999"}])
        for stmt in ["SELECT * FROM MltX WHERE id = 'i1'", "SELECT * FROM \"MltX\".\"single\" WHERE g = 'g1'",
                     "SELECT * FROM \"MltX\".\"local\" WHERE id = 'i1'", "SELECT * FROM MltK WHERE id = 'i1'"]:
            check.eq(len(ex(stmt)["Items"]), 1, stmt)
        ex("INSERT INTO MltK VALUE {'id': 'n1'}")
        ex("UPDATE MltK SET a = 1 WHERE id = 'i1'")
        check.eq(stored("MltK", {"id": S("i1")}).get("a"), {"N": "1"}, "UPDATE on a multi-attribute table")
        ex("DELETE FROM MltK WHERE id = 'zz'")
        d.put_item(TableName="MltC", Item={"id": S("i1"), "h1": S("a"), "r1": S("m")})
        r = d.batch_execute_statement(Statements=[
            {"Statement": "SELECT * FROM \"MltC\".\"gsi\" WHERE h1 = 'a' AND r1 = 'm'"},
            {"Statement": "SELECT * FROM \"MltX\".\"multi\" WHERE h1 = 'a' AND h2 = 'x' AND r1 = 'm'"},
            {"Statement": "SELECT * FROM MltK WHERE id = 'i1'"}])["Responses"]
        check.eq([x.get("Error", {}).get("Message") for x in r], [BATCH_KEY, MULTI, None], "batch: multi-attribute slot")
        check.eq(r[2].get("Item", {}).get("id"), S("i1"), "batch: base read")

    # --- setFunctions.test.ts and partiqlFunctions.test.ts (set_add, set_delete) ---
    @section
    def _section6():
        def seed_sets(pk):
            d.put_item(TableName="Hsh", Item={"pk": S(pk), "ss": {"SS": ["a", "b", "c"]}, "ns": {"NS": ["1", "2", "3"]},
                                            "bs": {"BS": [b"\x01", b"\x02"]}, "s": S("str")})
            return {"pk": S(pk)}

        k = seed_sets("sa-ss")
        ex("UPDATE Hsh SET ss = set_add(ss, <<'0', 'z'>>) WHERE pk = 'sa-ss'")
        check.eq(sorted(stored("Hsh", k)["ss"]["SS"]), ["0", "a", "b", "c", "z"], "set_add SS")
        k = seed_sets("sa-ns")
        ex("UPDATE Hsh SET ns = set_add(ns, <<4, 1>>) WHERE pk = 'sa-ns'")
        check.eq(sorted(stored("Hsh", k)["ns"]["NS"]), ["1", "2", "3", "4"], "set_add NS")
        k = seed_sets("sa-par")
        ex("UPDATE Hsh SET bs = set_add(bs, ?) WHERE pk = 'sa-par'", [{"BS": [b"\x01", b"\x03"]}])
        check.eq(sorted(stored("Hsh", k)["bs"]["BS"]), [b"\x01", b"\x02", b"\x03"], "set_add BS parameter")
        k = seed_sets("sa-new")
        ex("UPDATE Hsh SET nss = set_add(nss, <<'x'>>) WHERE pk = 'sa-new'")
        check.eq(stored("Hsh", k)["nss"], {"SS": ["x"]}, "set_add creates")
        k = seed_sets("sa-two")
        ex("UPDATE Hsh SET ss = SET_ADD(ss, <<'x'>>) SET ns = set_add(ns, <<9>>) WHERE pk = 'sa-two'")
        check.eq((sorted(stored("Hsh", k)["ss"]["SS"]), sorted(stored("Hsh", k)["ns"]["NS"])),
                 (["a", "b", "c", "x"], ["1", "2", "3", "9"]), "two set_add")
        seed_sets("sa-ret")
        r = ex("UPDATE Hsh SET ss = set_add(ss, <<'r'>>) WHERE pk = 'sa-ret' RETURNING ALL NEW *")["Items"]
        check.eq(sorted(r[0]["ss"]["SS"]), ["a", "b", "c", "r"], "set_add RETURNING")
        check.raises(lambda: ex("UPDATE Hsh SET ss = set_add(ss, <<'x'>>) WHERE pk = 'sa-absent'"),
                     "ConditionalCheckFailedException", "set_add absent item")
        k = seed_sets("sd")
        ex("UPDATE Hsh SET ss = set_delete(ss, <<'a'>>) SET ns = set_delete(ns, <<2>>) WHERE pk = 'sd'")
        check.eq((sorted(stored("Hsh", k)["ss"]["SS"]), sorted(stored("Hsh", k)["ns"]["NS"])), (["b", "c"], ["1", "3"]),
                 "set_delete")
        ex("UPDATE Hsh SET ss = set_delete(ss, <<'b', 'c'>>) SET nss = set_delete(nss, <<'a'>>) WHERE pk = 'sd'")
        check.eq(sorted(stored("Hsh", k)), ["bs", "ns", "pk", "s"], "set_delete of every member removes")
        k = seed_sets("s-tx")
        d.execute_transaction(TransactStatements=[{"Statement": "UPDATE Hsh SET ss = set_add(ss, <<'t'>>) WHERE pk = 's-tx'"}])
        check.eq(sorted(stored("Hsh", k)["ss"]["SS"]), ["a", "b", "c", "t"], "set_add in a transaction")
        seed_sets("pq-fn-msg")
        d.update_item(TableName="Hsh", Key={"pk": S("pq-fn-msg")}, UpdateExpression="SET m = :m",
                      ExpressionAttributeValues={":m": {"M": {"inner": {"SS": ["x"]}}}})

        def where(cond):
            return "SELECT * FROM Hsh WHERE pk = 'pq-fn-msg' AND " + cond

        def update(set_):
            return "UPDATE Hsh SET %s WHERE pk = 'pq-fn-msg'" % set_

        needs_path = "Operator or function requires a document path; operator or function: attribute_exists"
        refused(where("attribute_exists('ss')"), needs_path)
        refused(where("attribute_exists(?)"), needs_path, [S("ss")])
        refused(where("attribute_exists()"), "Incorrect number of operands for operator or function; operator or function: "
                                             "attribute_exists, number of operands: 0")
        refused(where("attribute_exists(ss, ns)"), "Incorrect number of operands for operator or function; operator or "
                                                   "function: attribute_exists, number of operands: 2")
        st = "SELECT attribute_exists(ss) FROM Hsh WHERE pk = 'pq-fn-msg'"
        refused(st, "Unexpected path component at " + at(st, "attribute_exists"))
        st = where("EXISTS(ss)")
        refused(st, "Unrecognized function: exists at " + at(st, "EXISTS"))
        refused(where("attribute_exists(m.inner)"), NWF + "Invalid path dot component")
        check.refuses(lambda: d.execute_transaction(TransactStatements=[{"Statement": where("attribute_exists(ss)")}]),
                      "ValidationException", "Validation failed in TransactStatements[0]: Select statements within "
                      "ExecuteTransaction must specify the primary key in the where clause.", "transaction SELECT")
        r = d.batch_execute_statement(Statements=[{"Statement": where("attribute_exists(ss)")}])["Responses"]
        check.eq(r[0].get("Error"), {"Code": "ValidationError", "Message": BATCH_KEY}, "batch SELECT with a function")
        check.refuses(lambda: d.execute_transaction(TransactStatements=[
            {"Statement": "EXISTS(SELECT * FROM Hsh WHERE pk = 'pq-fn-msg')"},
            {"Statement": "UPDATE Hsh SET z = 1 WHERE pk = 'pq-fn-msg-never'"}]), "ValidationException",
            "Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition",
            "EXISTS without a condition")
        for fn in ["set_add", "set_delete"]:
            st = update("t = %s(ss, <<'x'>>)" % fn)
            refused(st, "The first argument to %s must equal the assignment value at %s" % (fn.upper(), at(st, fn)))
            st = update("ss = %s(ss, 'x')" % fn)
            refused(st, "The second argument to %s must be a value with type SET at %s"
                    % (fn.upper(), at(st, "ss", 2, st.index(fn + "("))))
            refused(update("ss = %s(ss, <<1>>)" % fn), "An operand in the update expression has an incorrect data type")
        st = update("ss = set_add(<<'a'>>, <<'b'>>)")
        refused(st, "The first argument to SET_ADD must equal the assignment value at " + at(st, "set_add"))
        st = update("ss = set_add(ss, ['x'])")
        refused(st, "The second argument to SET_ADD must be a value with type SET at " + at(st, "ss", 2, st.index("set_add(")))
        for args in ["ss", "ss, <<'x'>>, <<'y'>>"]:
            st = update("ss = set_add(%s)" % args)
            refused(st, "SET_ADD must have exactly two arguments at " + at(st, "set_add"))
        refused(update("s = set_add(s, <<'x'>>)"), "An operand in the update expression has an incorrect data type")
        refused(update("ss = set_add(ss, <<'x', 'x'>>)"),
                "One or more parameter values were invalid: Input collection [x, x] contains duplicates.")
        refused(update("ss = set_add(ss, <<>>)"), "Empty bags are not supported")
        refused(update("m.inner = set_add(m.inner, <<'y'>>)"), NWF + "Invalid path dot component")
        st = where("set_add(ss, <<'x'>>) = ss")
        refused(st, "Unrecognized function: set_add at " + at(st, "set_add"))
        st = "INSERT INTO Hsh VALUE {'pk': 'pq-fn-msg-insert', 'ss': set_add(<<'a'>>, <<'b'>>)}"
        refused(st, "Unsupported data type: set_add under key root at " + at(st, "set_add"))

    # --- whereFunctions.test.ts ---
    @section
    def _section7():
        d.put_item(TableName="Hsh", Item={"pk": S("fn-item"), "ss": {"SS": ["a", "b", "c"]}, "s": S("str"),
                                        "m": {"M": {"sub": S("x")}}, "nul": {"NULL": True}, "flag": {"BOOL": True},
                                        "pqFnMarker": S("present")})

        def keys_where(cond):
            return [i["pk"]["S"] for i in rows("SELECT * FROM Hsh WHERE pk = 'fn-item' AND " + cond, ConsistentRead=True)]

        for cond, hit in [("attribute_exists(ss)", True), ("attribute_exists(nope)", False),
                          ("attribute_not_exists(nope)", True), ("attribute_not_exists(ss)", False),
                          ("NOT attribute_exists(nope)", True), ("ATTRIBUTE_EXISTS(ss)", True),
                          ("(attribute_exists(nope) OR attribute_exists(ss))", True), ("attribute_exists(ss) = true", True),
                          ('attribute_exists("ss")', True), ("attribute_exists(m.sub)", True),
                          ("attribute_exists(m.nope)", False), ("size(s) = 3", True), ("size(s) = 4", False),
                          ("attribute_type(ss, 'SS')", True), ("attribute_type(ss, 'S')", False), ("nul IS NULL", True),
                          ("s IS NULL", False), ("s IS NOT NULL", True), ("nul IS NOT NULL", False), ("flag IS BOOL", True),
                          ("s IS STRING", True), ("s IS BOOL", False)]:
            check.eq(keys_where(cond), ["fn-item"] if hit else [], cond)
        check.eq(rows("SELECT pk FROM Hsh WHERE attribute_exists(pqFnMarker)"), [{"pk": S("fn-item")}], "function in a scan")
        for pk in ["fw-ok", "fw-ccf", "fw-not", "fw-del-ccf", "fw-del-ok", "fw-tx"]:
            d.put_item(TableName="Hsh", Item={"pk": S(pk), "a": {"N": "5"}})
        ex("UPDATE Hsh SET z = 1 WHERE pk = 'fw-ok' AND attribute_exists(a)")
        check.eq(stored("Hsh", {"pk": S("fw-ok")}).get("z"), {"N": "1"}, "UPDATE with attribute_exists")
        check.raises(lambda: ex("UPDATE Hsh SET z = 2 WHERE pk = 'fw-ccf' AND attribute_exists(nope)"),
                     "ConditionalCheckFailedException", "UPDATE attribute_exists fails")
        ex("UPDATE Hsh SET y = 1 WHERE pk = 'fw-not' AND attribute_not_exists(y)")
        check.raises(lambda: ex("UPDATE Hsh SET y = 2 WHERE pk = 'fw-not' AND attribute_not_exists(y)"),
                     "ConditionalCheckFailedException", "UPDATE attribute_not_exists second time")
        check.eq(stored("Hsh", {"pk": S("fw-not")}).get("y"), {"N": "1"}, "attribute_not_exists set once")
        check.raises(lambda: ex("DELETE FROM Hsh WHERE pk = 'fw-del-ccf' AND attribute_exists(nope)"),
                     "ConditionalCheckFailedException", "DELETE attribute_exists fails")
        check.true(stored("Hsh", {"pk": S("fw-del-ccf")}), "DELETE kept the item")
        ex("DELETE FROM Hsh WHERE pk = 'fw-del-ok' AND attribute_not_exists(nope)")
        check.eq(stored("Hsh", {"pk": S("fw-del-ok")}), None, "DELETE with attribute_not_exists")
        check.raises(lambda: ex("UPDATE Hsh SET z = 1 WHERE pk = 'fw-absent' AND attribute_not_exists(pk)"),
                     "ConditionalCheckFailedException", "UPDATE absent item")
        check.eq(stored("Hsh", {"pk": S("fw-absent")}), None, "absent item not created")
        d.execute_transaction(TransactStatements=[{"Statement": "UPDATE Hsh SET z = 1 WHERE pk = 'fw-tx' AND attribute_exists(a)"}])
        check.eq(stored("Hsh", {"pk": S("fw-tx")}).get("z"), {"N": "1"}, "transaction UPDATE with attribute_exists")

    # --- whereOverlap.test.ts ---
    @section
    def _section8():
        for sk in "123":
            d.put_item(TableName="Cmp", Item={"pk": S("ov"), "sk": S(sk)})

        def sort_keys(w):
            return sorted(i["sk"]["S"] for i in ex("SELECT * FROM Cmp WHERE " + w, ConsistentRead=True)["Items"])

        for left, want in [("NOT sk = '1'", ["2", "3"]), ("sk <> '1'", ["2", "3"]), ("NOT begins_with(sk, 'x')", ["1", "2", "3"]),
                           ("NOT sk IN ['1', '3']", ["2"]), ("NOT sk > '5'", ["1", "2", "3"]), ("NOT (sk = '1')", ["2", "3"])]:
            check.eq(sort_keys("pk = 'ov' AND %s OR pk = 'ov' AND sk = '2'" % left), want, left)
        check.eq(sort_keys("pk = 'ov' OR pk = 'ov' AND NOT sk = '1'"), ["1", "2", "3"], "bare partition branch")
        check.eq(sort_keys("pk = 'ov' AND sk = '1' OR pk = 'ov' AND sk = '3'"), ["1", "3"], "disjoint branches run")
        check.eq(sort_keys("pk = 'ov' AND sk > '1' AND sk < '3'"), ["2"], "a sort key range from two conjuncts")
        check.eq(sort_keys("pk = 'ov' AND begins_with(sk, '2')"), ["2"], "a sort key prefix")

    # --- writeResponses.test.ts ---
    @section
    def _section9():
        for pk in ["wr-u", "wr-d", "wr-a", "wr-b", "wr-c"]:
            d.put_item(TableName="Hsh", Item={"pk": S(pk), "a": {"N": "1"}})
        check.eq(ex("INSERT INTO Hsh VALUE {'pk': 'wr-i'}")["Items"], [], "INSERT Items")
        check.eq(ex("UPDATE Hsh SET a = 2 WHERE pk = 'wr-u'")["Items"], [], "UPDATE Items")
        check.eq(ex("DELETE FROM Hsh WHERE pk = 'wr-d'")["Items"], [], "DELETE Items")
        check.eq(ex("DELETE FROM Hsh WHERE pk = 'wr-never'")["Items"], [], "DELETE of nothing Items")
        r = d.execute_transaction(TransactStatements=[{"Statement": "UPDATE Hsh SET a = 2 WHERE pk = 'wr-a'"},
                                                      {"Statement": "UPDATE Hsh SET a = 2 WHERE pk = 'wr-b'"}])
        check.eq(r["Responses"], [], "transaction of updates")
        r = d.execute_transaction(TransactStatements=[{"Statement": "INSERT INTO Hsh VALUE {'pk': 'wr-new'}"},
                                                      {"Statement": "DELETE FROM Hsh WHERE pk = 'wr-c'"}])
        check.eq(r["Responses"], [], "transaction of INSERT and DELETE")
        r = d.execute_transaction(TransactStatements=[{"Statement": "UPDATE Hsh SET a = 3 WHERE pk = 'wr-a'"}],
                                  ReturnConsumedCapacity="TOTAL")
        check.eq((r["Responses"], [c["TableName"] for c in r["ConsumedCapacity"]]), ([], ["Hsh"]), "transaction capacity")

    # --- partiqlParameterNumbers.test.ts ---
    @section
    def _section10():
        positions = ["SELECT * FROM Cmp WHERE pk = 'pq-pn' AND n = ?",
                     "INSERT INTO Cmp VALUE {'pk': 'pq-pn-insert', 'sk': 's', 'n': ?}",
                     "UPDATE Cmp SET n = ? WHERE pk = 'pq-pn' AND sk = 's'", "SELECT * FROM Cmp WHERE pk = ?"]
        for stmt in positions:
            for v in ["1e99999999999", "-1e99999999999", "1e-99999999999", "1e2147483648", "1e-2147483648"]:
                refused(stmt, UNCONVERTIBLE + ": " + v, [{"N": v}], "%s in %s" % (v, stmt))
            refused(stmt, UNDERFLOW, [{"N": "1e2147483647"}], "1e2147483647 in " + stmt)
            refused(stmt, UNCONVERTIBLE, [{"N": ""}], "empty number in " + stmt)
        for p in [{"L": [{"N": "1"}, {"N": "1e99999999999"}]}, {"M": {"x": {"N": "1e99999999999"}}},
                  {"NS": ["1", "1e99999999999"]}]:
            refused(positions[0], UNCONVERTIBLE + ": 1e99999999999", [p], "nested unconvertible %r" % list(p))
        check.refuses(lambda: d.execute_transaction(TransactStatements=[
            {"Statement": positions[2], "Parameters": [{"N": "1e99999999999"}]}]), "ValidationException",
            UNCONVERTIBLE + ": 1e99999999999", "unconvertible in a transaction")
        r = d.batch_execute_statement(Statements=[{"Statement": "SELECT * FROM Cmp WHERE pk = 'pq-pn' AND sk = 's' AND n = ?",
                                                   "Parameters": [{"N": "1e99999999999"}]}])["Responses"]
        check.eq(r[0].get("Error"), {"Code": "ValidationError", "Message": UNCONVERTIBLE + ": 1e99999999999"},
                 "unconvertible in a batch")

        def deep(depth, leaf=None):
            v = leaf or S("leaf")
            for _ in range(depth):
                v = {"M": {"n": v}}
            return v

        pair = "SELECT * FROM Cmp WHERE pk = 'pq-pn' AND x = ? AND y = ?"
        single = "SELECT * FROM Cmp WHERE pk = 'pq-pn' AND x = ?"
        for depth in [40, 100]:
            refused(pair, NEST, [deep(depth), {"N": "abc"}], "deep before unconvertible %d" % depth)
            refused(pair, UNCONVERTIBLE + ": abc", [{"N": "abc"}, deep(depth)], "unconvertible before deep %d" % depth)
            refused(single, NEST, [{"M": {"d": deep(depth), "bad": {"N": "abc"}}}], "deep map member first %d" % depth)
            refused(single, UNCONVERTIBLE + ": abc", [{"M": {"bad": {"N": "abc"}, "d": deep(depth)}}],
                    "unconvertible map member first %d" % depth)
            refused(single, NEST, [deep(depth, {"N": "abc"})], "unconvertible at the bottom %d" % depth)
            refused(pair, NEST, [deep(depth), {"N": "1e126"}], "deep before overflow %d" % depth)
            check.refuses(lambda: d.execute_transaction(TransactStatements=[{
                "Statement": "UPDATE Cmp SET x = ? SET y = ? WHERE pk = 'pq-pn' AND sk = '1'",
                "Parameters": [deep(depth), {"N": "abc"}]}]), "ValidationException", NEST, "deep in a transaction")
            r = d.batch_execute_statement(Statements=[{"Statement": pair, "Parameters": [deep(depth), {"N": "abc"}]}])
            check.eq(r["Responses"][0].get("Error"), {"Code": "ValidationError", "Message": NEST}, "deep in a batch")

    # --- tier3/error-messages/partiql.test.ts (nubo-db/dynamodb-conformance, pinned against real AWS eu-west-2) ---
    @section
    def _section_index_filters():
        refused("SELECT pk FROM \"CmpIdx\".\"gsi2\" WHERE lsi1sk = 'pq-gsi-a' AND other = 'x'",
                "One or more parameter values were invalid: Secondary index gsi2 does not project one or more filter "
                "attributes: [other]")
        refused("SELECT pk FROM \"CmpIdx\".\"lsi2\" WHERE pk = 'pq-idx' AND data = 'one' AND size(more) > 1",
                "One or more parameter values were invalid: Secondary index lsi2 does not project one or more filter "
                "attributes: [data, more]")
        refused("SELECT other FROM \"CmpIdx\".\"gsi2\" WHERE lsi1sk = 'pq-gsi-a' AND other = 'x'",
                "One or more parameter values were invalid: Global secondary index gsi2 does not project [other]")
        check.eq(ex("SELECT pk FROM \"CmpIdx\".\"gsi2\" WHERE lsi1sk = 'pq-gsi-a' AND data = 'one'")["Items"],
                 [{"pk": S("pq-idx")}], "GSI filter on a projected attribute")
        refused('SELECT * FROM "CmpIdx"."CmpIdx" WHERE pk = \'p\'', "The table does not have the specified index")
        refused('SELECT * FROM "CmpIdx"."gsi1"."extra" WHERE pk = \'p\'',
                "A path may contain at most 2 components in the FROM clause")
        refused('SELECT * FROM "CmpIdx"."" WHERE pk = \'p\'', "Path component cannot be an empty string")
        refused('SELECT * FROM "" WHERE pk = \'p\'', "Path component cannot be an empty string")
        check.refuses(lambda: d.execute_transaction(TransactStatements=[
            {"Statement": "UPDATE Hsh SET data = 'v' WHERE pk = 'x' RETURNING ALL NEW *"}]), "ValidationException",
            "Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.",
            "RETURNING in a transaction")
        check.refuses(lambda: d.execute_transaction(TransactStatements=[
            {"Statement": 'SELECT * FROM "CmpIdx"."gsi1" WHERE lsi1sk = \'x\''}]), "ValidationException",
            "Validation failed in TransactStatements[0]: Reads on indices are not supported within transactions.",
            "index read in a transaction")

    # --- tier3/error-messages/partiqlGrammar.test.ts (its later version: empty WHERE, IS, FROM-first, overlaps) ---
    @section
    def _section_grammar_more():
        for stmt in ["SELECT * FROM Hsh WHERE", "SELECT * FROM Hsh WHERE;", "SELECT * FROM Hsh WHERE   ",
                     "SELECT pk FROM Hsh WHERE", "UPDATE Hsh SET a = 1 WHERE", "DELETE FROM Hsh WHERE",
                     "SELECT * FROM Hsh WHERE NOT", "SELECT * FROM Hsh WHERE (", "SELECT * FROM \"Hsh-never\" WHERE",
                     "SELECT * FROM"]:
            refused(stmt, NWF + "Unexpected term")
        for stmt in ["SELECT * FROM Hsh WHERE pk = 'p1' AND", "SELECT * FROM Hsh WHERE pk = 'p1' OR"]:
            refused(stmt, NWF + "Missing right-hand side expression of infix operator")
        refused("SELECT * FROM Hsh WHERE ORDER BY pk", NWF + "Unexpected keyword")
        check.refuses(lambda: d.execute_transaction(TransactStatements=[{"Statement": "SELECT * FROM Hsh WHERE"}]),
                      "ValidationException", "Validation failed in TransactStatements[0]: " + NWF + "Unexpected term",
                      "empty WHERE in a transaction")
        r = d.batch_execute_statement(Statements=[{"Statement": "SELECT * FROM Hsh WHERE"}])["Responses"]
        check.eq(r[0].get("Error"), {"Code": "ValidationError", "Message": NWF + "Unexpected term"}, "empty WHERE in a batch")
        for t in ["INT4", "INT8", "DOUBLE PRECISION", "CHARACTER VARYING"]:
            refused("x IS " + t, "Unsupported operation: IsType")
        refused("SELECT * FROM Hsh WHERE pk = 'a' AND x IS FOO", NWF + "Expected type name")
        refused("SELECT * FROM Hsh WHERE IS NULL", NWF + "Unexpected operator")
        refused("SELECT * FROM Hsh WHERE pk = LIKE", NWF + "Unexpected operator")
        for stmt in ["DELETE FROM", "DELETE FROM   ", "DELETE FROM;", "DELETE FROM WHERE pk = 'a'"]:
            refused(stmt, NWF + "Expected identifier for simple path")
        incomplete = "Where clause does not contain a mandatory equality on all key attributes"
        for stmt in ["FROM Hsh SET c = 1", "FROM Hsh REMOVE a", "FROM Hsh WHERE a = 1 SET c = 1"]:
            refused(stmt, incomplete)
        for stmt in ["FROM Hsh SET c = 1 WHERE pk = 'pq-ff-msg'", "FROM Hsh SET c = 1 WHERE pk = 'pq-ff-msg' SET d = 2"]:
            refused(stmt, LEFTOVER)
        check.refuses(lambda: ex("FROM \"Hsh-never\" WHERE pk = 'x' SET c = 1"), "ResourceNotFoundException",
                      "Requested resource not found", "FROM-first on a missing table")
        for cond in ["x = '1'", "x <> '1'"]:
            refused("SELECT * FROM Cmp WHERE pk = 'a' AND %s OR pk = 'a' AND sk = '2'" % cond,
                    "Overlapping conditions with range keys are not supported in where clause")

    # --- tier2/partiql/indexQualifier.test.ts (nubo-db/dynamodb-conformance, mirroring a capture from real AWS) ---
    @section
    def _section_index_qualifier():
        proj = lambda t, inc=None: dict(ProjectionType=t, **({"NonKeyAttributes": inc} if inc else {}))  # noqa: E731
        d.create_table(TableName="Qual", BillingMode="PAY_PER_REQUEST", KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
                       AttributeDefinitions=[attr(n, "S") for n in ["pk", "sk", "gsiPk", "gsiPk2", "lsiSk", "lsiSk2", "lsiSk3"]],
                       GlobalSecondaryIndexes=[
                           {"IndexName": "gsi-all", "KeySchema": [key("gsiPk", "HASH")], "Projection": proj("ALL")},
                           {"IndexName": "gsi-inc", "KeySchema": [key("gsiPk2", "HASH")],
                            "Projection": proj("INCLUDE", ["projattr"])},
                           {"IndexName": "gsi-keys", "KeySchema": [key("gsiPk2", "HASH")], "Projection": proj("KEYS_ONLY")}],
                       LocalSecondaryIndexes=[
                           {"IndexName": "lsi-all", "KeySchema": [key("pk", "HASH"), key("lsiSk", "RANGE")],
                            "Projection": proj("ALL")},
                           {"IndexName": "lsi-keys", "KeySchema": [key("pk", "HASH"), key("lsiSk2", "RANGE")],
                            "Projection": proj("KEYS_ONLY")},
                           {"IndexName": "lsi-inc", "KeySchema": [key("pk", "HASH"), key("lsiSk3", "RANGE")],
                            "Projection": proj("INCLUDE", ["projattr"])}])
        for n, g in [("1", "x"), ("2", "z"), ("4", "x")]:
            d.put_item(TableName="Qual", Item={"pk": S("p"), "sk": S("s" + n), "gsiPk": S(g), "gsiPk2": S("y"),
                                               "lsiSk": S("l" + n), "lsiSk2": S("k" + n), "lsiSk3": S("m" + n),
                                               "projattr": S("proj" + n), "nonproj": S("np" + n)})
        d.put_item(TableName="Qual", Item={"pk": S("p"), "sk": S("s3"), "nonproj": S("np3")})
        d.put_item(TableName="Qual", Item={"pk": S("q"), "sk": S("s5"), "gsiPk2": S("y2"), "projattr": S("proj5"),
                                           "nonproj": S("np5")})

        def sel(stmt, **kw):
            return d.execute_statement(Statement=stmt, ReturnConsumedCapacity="INDEXES", **kw)

        def sks(stmt, **kw):
            return sorted(i["sk"]["S"] for i in sel(stmt, **kw)["Items"])

        def arms(r):
            cc = r["ConsumedCapacity"]
            ix = dict(cc.get("GlobalSecondaryIndexes", {}), **cc.get("LocalSecondaryIndexes", {}))
            return cc.get("Table", {}).get("CapacityUnits", 0), {k: v["CapacityUnits"] for k, v in ix.items()}

        check.eq(sks('SELECT pk, sk FROM "Qual"."gsi-all" WHERE gsiPk = \'x\''), ["s1", "s4"], "index membership")
        for stmt, names in [('SELECT * FROM "Qual"."gsi-keys" WHERE gsiPk2 = \'y\'', ["gsiPk2", "pk", "sk"]),
                            ('SELECT * FROM "Qual"."gsi-inc" WHERE gsiPk2 = \'y\'', ["gsiPk2", "pk", "projattr", "sk"]),
                            ('SELECT * FROM "Qual"."lsi-keys" WHERE pk = \'p\'', ["lsiSk2", "pk", "sk"])]:
            r = sel(stmt)
            check.eq([sorted(i) for i in r["Items"]], [names] * 3, stmt)
            check.eq(arms(r)[0], 0, stmt + ": no table arm")
        r = sel('SELECT nonproj FROM "Qual"."lsi-keys" WHERE pk = \'p\'')
        check.eq(sorted(i["nonproj"]["S"] for i in r["Items"]), ["np1", "np2", "np4"], "LSI reach-back")
        check.true(arms(r)[0] > 0, "LSI reach-back charges the table arm")
        one = sel('SELECT nonproj FROM "Qual"."lsi-keys" WHERE pk = \'p\'', Limit=1)
        check.true(arms(one)[0] < arms(r)[0], "a bounded reach-back is charged less")
        cr = sel('SELECT nonproj FROM "Qual"."lsi-keys" WHERE pk = \'p\'', ConsistentRead=True)
        check.eq((arms(cr)[0], arms(cr)[1]["lsi-keys"]), (arms(r)[0] * 2, arms(r)[1]["lsi-keys"] * 2),
                 "ConsistentRead doubles both arms")
        check.eq(arms(sel('SELECT lsiSk2 FROM "Qual"."lsi-keys" WHERE pk = \'p\''))[0], 0, "projected columns: no table arm")
        none = sel('SELECT nonproj FROM "Qual"."lsi-inc" WHERE pk = \'p\' AND projattr = \'no-such-value\'')
        alln = sel('SELECT nonproj FROM "Qual"."lsi-inc" WHERE pk = \'p\'')
        check.eq((len(none["Items"]), len(alln["Items"]), arms(none)[0]), (0, 3, arms(alln)[0]),
                 "reach-back charged on rows walked")
        filt = "One or more parameter values were invalid: Secondary index %s does not project one or more filter " \
               "attributes: [nonproj]"
        for ix, stmt in [("gsi-inc", "gsiPk2 = 'y' AND nonproj = 'np1'"), ("lsi-keys", "pk = 'p' AND nonproj = 'np1'"),
                         ("gsi-inc", "gsiPk2 = 'y' AND nonproj IS MISSING"),
                         ("gsi-inc", "gsiPk2 = 'y' AND nonproj IS NOT MISSING"),
                         ("gsi-inc", "gsiPk2 = 'y' AND begins_with(nonproj, 'np')"),
                         ("gsi-inc", "gsiPk2 = 'y' AND NOT nonproj = 'np1'"),
                         ("gsi-inc", "gsiPk2 IN ['y', 'z'] AND nonproj = 'np1'"),
                         ("lsi-keys", "pk = 'p' AND lsiSk2 BETWEEN 'k1' AND 'k4' AND nonproj = 'np1'")]:
            refused('SELECT pk FROM "Qual"."%s" WHERE %s' % (ix, stmt), filt % ix)
        for stmt in ['SELECT pk FROM "Qual"."gsi-inc" WHERE nonproj = \'np1\'',
                     'SELECT pk FROM "Qual"."lsi-keys" WHERE nonproj = \'np1\'',
                     'SELECT pk FROM "Qual"."gsi-inc" WHERE nonproj = \'np1\' AND nonproj = \'np2\'']:
            check.eq(sel(stmt)["Items"], [], "unkeyed: matches nothing: " + stmt)
        check.eq(len(sel('SELECT pk FROM "Qual"."gsi-inc" WHERE gsiPk2 = \'y\' AND projattr = \'proj1\'')["Items"]), 1,
                 "keyed filter on a projected attribute")
        check.eq(len(sel('SELECT pk FROM "Qual"."gsi-inc" WHERE gsiPk2 = \'y\' AND projattr IS NOT MISSING')["Items"]), 3,
                 "keyed IS NOT MISSING on a projected attribute")
        check.eq(sks('SELECT pk, sk FROM "Qual"."gsi-keys" WHERE NOT nonproj = \'np1\''), ["s1", "s2", "s4", "s5"],
                 "negated filter on an absent attribute")
        check.eq(sks('SELECT pk, sk FROM "Qual"."gsi-inc" WHERE (gsiPk2 = \'y\' AND nonproj = \'np1\') OR '
                     '(gsiPk2 = \'y2\')'), ["s5"], "unprojected filter inside an OR branch")
        first = sel('SELECT pk, sk FROM "Qual"."gsi-all" WHERE gsiPk = \'x\'', Limit=1)
        second = sel('SELECT pk, sk FROM "Qual"."gsi-all" WHERE gsiPk = \'x\'', NextToken=first["NextToken"])
        check.eq(sorted(i["sk"]["S"] for i in first["Items"] + second["Items"]), ["s1", "s4"], "index pages")
        first = sel('SELECT pk, sk FROM "Qual"."gsi-inc" WHERE gsiPk2 = \'y\'', Limit=1)
        check.raises(lambda: sel('SELECT pk, sk FROM "Qual"."gsi-keys" WHERE gsiPk2 = \'y\'', NextToken=first["NextToken"]),
                     "ValidationException", "a token of another index")
        for stmt, text in [("INSERT INTO \"Qual\".\"gsi-all\" VALUE {'pk': 'w1', 'sk': 'w1'}",
                            "FROM clause may only contain a single table name"),
                           ("INSERT INTO \"Qual\".\"no-such-index\" VALUE {'pk': 'w2', 'sk': 'w2'}",
                            "FROM clause may only contain a single table name"),
                           ("UPDATE \"Qual\".\"gsi-all\" SET projattr = 'z' WHERE pk = 'p' AND sk = 's1'",
                            "This operation is not supported on an index"),
                           ("DELETE FROM \"Qual\".\"gsi-all\" WHERE pk = 'p' AND sk = 's1'",
                            "This operation is not supported on an index")]:
            e = check.raises(lambda: ex(stmt), "ValidationException", stmt)
            check.true(e is not None and text in msg(e), stmt + ": message")
        check.eq(sks("SELECT pk, sk FROM Qual WHERE pk = 'p'"), ["s1", "s2", "s3", "s4"], "refused writes changed nothing")
        r = sel('SELECT pk FROM "Qual"."gsi-all" WHERE gsiPk = \'x\'')
        check.eq((arms(r)[0], arms(r)[1]["gsi-all"], r["ConsumedCapacity"]["CapacityUnits"]),
                 (0, arms(r)[1]["gsi-all"], arms(r)[1]["gsi-all"]), "a GSI read charges the index arm only")
        ev = sel('SELECT pk FROM "Qual"."lsi-all" WHERE pk = \'p\'')
        co = sel('SELECT pk FROM "Qual"."lsi-all" WHERE pk = \'p\'', ConsistentRead=True)
        check.eq((arms(ev)[0], arms(co)[1]["lsi-all"], co["ConsumedCapacity"]["CapacityUnits"]),
                 (0, arms(ev)[1]["lsi-all"] * 2, ev["ConsumedCapacity"]["CapacityUnits"] * 2), "LSI arm, doubled")

    # --- tier2/partiql/batchExecuteStatement.test.ts (nubo-db/dynamodb-conformance, characterised on real AWS) ---
    @section
    def _section_batch_returning():
        for pk in ["br-a", "br-b", "br-c"]:
            d.put_item(TableName="Hsh", Item={"pk": S(pk), "data": S("old")})

        def one(stmt):
            return d.batch_execute_statement(Statements=[{"Statement": stmt}])["Responses"][0]

        check.eq(one("DELETE FROM Hsh WHERE pk = 'br-a' RETURNING ALL OLD *"),
                 {"TableName": "Hsh", "Item": {"pk": S("br-a"), "data": S("old")}}, "batch DELETE RETURNING ALL OLD")
        check.eq(one("UPDATE Hsh SET data = 'new' WHERE pk = 'br-b' RETURNING ALL NEW *").get("Item"),
                 {"pk": S("br-b"), "data": S("new")}, "batch UPDATE RETURNING ALL NEW")
        check.eq(one("UPDATE Hsh SET data = 'n2' WHERE pk = 'br-b' RETURNING MODIFIED NEW *").get("Item"),
                 {"data": S("n2")}, "batch UPDATE RETURNING MODIFIED NEW")
        check.eq(one("UPDATE Hsh REMOVE data WHERE pk = 'br-c' RETURNING MODIFIED NEW *"), {"TableName": "Hsh"},
                 "batch: an empty MODIFIED projection has no Item")
        check.eq(one("UPDATE Hsh SET data = 'x' WHERE pk = 'br-b'"), {"TableName": "Hsh"}, "batch write without RETURNING")
        for setting in ["ALL_OLD", "NONE", None]:
            spec = {"Statement": "UPDATE Hsh SET touched = 'yes' WHERE pk = ? AND data = ?",
                    "Parameters": [S("br-b"), S("wrong")]}
            if setting:
                spec["ReturnValuesOnConditionCheckFailure"] = setting
            r = d.batch_execute_statement(Statements=[spec])["Responses"][0]
            check.eq((r["Error"]["Code"], r.get("TableName"), "Item" in r, "Item" in r["Error"]),
                     ("ConditionalCheckFailed", "Hsh", False, False), "batch condition failure, %s" % setting)
        r = d.batch_execute_statement(Statements=[{"Statement": "INSERT INTO Hsh VALUE {'pk': ?}",
                                                   "Parameters": [S("br-b")]}])["Responses"][0]
        check.eq((r["Error"]["Code"], r.get("TableName")), ("DuplicateItem", "Hsh"), "batch duplicate names its table")
        r = one("SELECT * FROM Hsh WHERE data = 'a'")
        check.eq((r["Error"]["Code"], r.get("TableName")), ("ValidationError", None), "a refused member names no table")

    # --- tier2/partiql/executeStatement.test.ts ("SELECT with nested map path", passed in results/dynamodb.json) ---
    @section
    def _section_nested_projection():
        d.put_item(TableName="Hsh", Item={"pk": S("nest"), "mymap": {"M": {"nested": S("deep")}}, "extra": S("no")})
        check.eq(ex("SELECT mymap.nested FROM Hsh WHERE pk = 'nest'")["Items"], [{"nested": S("deep")}],
                 "a nested path answers under its last name")
        check.eq(ex("SELECT pk, mymap FROM Hsh WHERE pk = 'nest'")["Items"],
                 [{"pk": S("nest"), "mymap": {"M": {"nested": S("deep")}}}], "top-level columns")
        r = d.batch_execute_statement(Statements=[{"Statement": "SELECT mymap.nested FROM Hsh WHERE pk = 'nest'"}])
        check.eq(r["Responses"][0].get("Item"), {"nested": S("deep")}, "the same in a batch")
        ex("INSERT INTO Hsh VALUE {'pk': 'neg-a', 'kind': 'alpha'}")
        ex("INSERT INTO Hsh VALUE {'pk': 'neg-b', 'kind': 'beta'}")
        check.eq([i["pk"]["S"] for i in ex("SELECT * FROM Hsh WHERE pk IN ['neg-a', 'neg-b'] AND NOT begins_with(\"kind\", "
                                           "'al')")["Items"]], ["neg-b"], "NOT begins_with")
        check.eq(len(ex("SELECT * FROM Hsh WHERE pk = 'neg-a' AND \"kind\" IS NOT MISSING")["Items"]), 1, "IS NOT MISSING")
        check.raises(lambda: ex("DELETE FROM Hsh WHERE pk = 'neg-a' AND NOT begins_with(\"kind\", 'al')"),
                     "ConditionalCheckFailedException", "DELETE with a false NOT begins_with")
        ex("DELETE FROM Hsh WHERE pk = 'neg-b' AND NOT begins_with(\"kind\", 'zz')")
        check.eq(stored("Hsh", {"pk": S("neg-b")}), None, "DELETE with a true NOT begins_with")
        ex("DELETE FROM Hsh WHERE pk = 'never-there' AND \"name\" = 'x'")
        check.eq(stored("Hsh", {"pk": S("never-there")}), None, "DELETE of a missing key with a predicate is a no-op")

check.done()
