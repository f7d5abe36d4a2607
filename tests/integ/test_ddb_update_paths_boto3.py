"""test_ddb_update_paths_boto3.py - how UpdateItem walks document paths, as a run of ScyllaDB's Alternator tests
(which its developers also run against AWS) showed awsemu doing otherwise: several SETs beyond a list's end append
in index order, not in the order written; UPDATED_NEW reads the paths as written, so an append beyond the end shows
in neither UPDATED_OLD nor UPDATED_NEW; an index past 4294967294 is "not within the allowable range"; a REMOVE whose parent is missing is "invalid for update" like a SET's,
except on an item that does not exist; an update that only removes (REMOVE, DELETE, AttributeUpdates' DELETE)
creates no item; a name cannot start with "_" (it is a syntax error on the "_" token), nor is a "#" or ":" alone a
placeholder; list_append does not nest in list_append (if_not_exists does nest in either); and an ADD or DELETE
operand of the wrong type is named with its typeSet, as in the message AWS answers (quoted in public bug reports)."""
from harness import Checks, Server

t = Checks()
BAD_PATH = "The document path provided in the update expression is invalid for update"


def validation(fn, want, what):
    t.refuses(fn, "ValidationException", want, what)


def enveloped(fn, want, what):
    """UpdateItem's refusal of its own expression, inside the envelope it reports request validation in (the
    paritysuite/dynamodb-conformance updateItem and valueLayers captures, October 2026)."""
    validation(fn, "1 validation error detected: " + want, what)


def S(s):
    return {"S": s}


def N(n):
    return {"N": str(n)}


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    ddb.create_table(TableName="paths", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")

    def update(k, expr, values=None, **kw):
        args = dict(TableName="paths", Key={"pk": S(k)}, UpdateExpression=expr, **kw)
        if values:
            args["ExpressionAttributeValues"] = values
        return ddb.update_item(**args)

    def get(k):
        return ddb.get_item(TableName="paths", Key={"pk": S(k)}, ConsistentRead=True).get("Item")

    # ---- SET beyond a list's end appends, several of them in index order ----
    ddb.put_item(TableName="paths", Item={"pk": S("l"), "l": {"L": [N(0), N(1)]}})
    update("l", "SET l[9] = :a, l[3] = :b, l[40] = :c, l[5] = :d", {":a": S("a"), ":b": S("b"), ":c": S("c"), ":d": S("d")})
    t.eq(get("l")["l"], {"L": [N(0), N(1), S("b"), S("d"), S("a"), S("c")]}, "appends sorted by their index")
    got = update("l", "SET l[1] = :x, l[20] = :y", {":x": N(7), ":y": N(8)}, ReturnValues="UPDATED_NEW")
    t.eq(got.get("Attributes"), {"l": {"L": [N(7)]}}, "UPDATED_NEW shows the element set in place, not the one appended")
    got = update("l", "SET l[99] = :y", {":y": N(9)}, ReturnValues="UPDATED_NEW")
    t.eq(got.get("Attributes"), None, "UPDATED_NEW of an append alone: no Attributes")
    got = update("l", "SET l[99] = :y", {":y": N(10)}, ReturnValues="UPDATED_OLD")
    t.eq(got.get("Attributes"), None, "UPDATED_OLD of an append: no Attributes")
    t.eq(get("l")["l"]["L"][-2:], [N(9), N(10)], "both appends stored")
    update("l", "SET l[4294967294] = :v", {":v": N(11)})
    t.eq(get("l")["l"]["L"][-1], N(11), "index 4294967294, the largest, appends")
    enveloped(lambda: update("l", "SET l[4294967295] = :v", {":v": N(1)}),
               "Invalid UpdateExpression: List index is not within the allowable range; index: [4294967295]", "index 4294967295")
    validation(lambda: ddb.get_item(TableName="paths", Key={"pk": S("l")}, ProjectionExpression="l[99999999999999]"),
               "Invalid ProjectionExpression: List index is not within the allowable range; index: [99999999999999]",
               "a projection's index 99999999999999")

    # ---- REMOVE: a missing leaf is ignored, a missing parent is an invalid path ----
    ddb.put_item(TableName="paths", Item={"pk": S("r"), "m": {"M": {"x": N(1)}}, "l": {"L": [S("a")]}, "s": S("str")})
    update("r", "REMOVE m.y, l[5], nothing")
    t.eq(get("r"), {"pk": S("r"), "m": {"M": {"x": N(1)}}, "l": {"L": [S("a")]}, "s": S("str")}, "missing leaves: no change")
    for expr in ("REMOVE gone.x", "REMOVE gone[0]", "REMOVE m.gone.x", "REMOVE l[3].x", "REMOVE s.x", "REMOVE s[0]"):
        validation(lambda: update("r", expr), BAD_PATH, expr)
    validation(lambda: update("r", "SET m.q = :v REMOVE gone.x", {":v": N(1)}), BAD_PATH, "REMOVE gone.x with a SET")
    t.eq(get("r")["m"], {"M": {"x": N(1)}}, "the failed update wrote nothing")
    update("r", "REMOVE m.x, l[0]")
    t.eq(get("r"), {"pk": S("r"), "m": {"M": {}}, "l": {"L": []}, "s": S("str")}, "removing the last members leaves empty containers")

    # ---- an update that only removes creates no item ----
    for k, kw in (("n1", dict(UpdateExpression="REMOVE a")),
                  ("n2", dict(UpdateExpression="REMOVE a.b, c[0]")),
                  ("n3", dict(UpdateExpression="DELETE ss :v", ExpressionAttributeValues={":v": {"SS": ["x"]}})),
                  ("n4", dict(UpdateExpression="REMOVE a DELETE ss :v", ExpressionAttributeValues={":v": {"SS": ["x"]}})),
                  ("n5", dict(AttributeUpdates={"a": {"Action": "DELETE"}}))):
        got = ddb.update_item(TableName="paths", Key={"pk": S(k)}, ReturnValues="ALL_NEW", **kw)
        t.eq((got.get("Attributes"), get(k)), (None, None), "%s: no Attributes, no item" % kw)
    for k, kw in (("c1", dict(UpdateExpression="ADD n :v", ExpressionAttributeValues={":v": N(1)})),
                  ("c2", dict(UpdateExpression="SET a = :v REMOVE b", ExpressionAttributeValues={":v": N(1)})),
                  ("c3", dict(AttributeUpdates={}))):
        ddb.update_item(TableName="paths", Key={"pk": S(k)}, **kw)
        t.true(get(k) is not None, "%s creates the item" % kw)
    ddb.transact_write_items(TransactItems=[{"Update": {"TableName": "paths", "Key": {"pk": S("tx")}, "UpdateExpression": "REMOVE a"}}])
    t.eq(get("tx"), None, "TransactWriteItems: a removing Update creates no item")
    validation(lambda: update("n1", "REMOVE pk"),
               "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
               "REMOVE of the key on a missing item")

    # ---- a name starts with a letter: "_" is a syntax error ----
    enveloped(lambda: update("u", "SET _a = :v", {":v": N(1)}),
               'Invalid UpdateExpression: Syntax error; token: "_", near: "SET _a"', "SET _a")
    enveloped(lambda: update("u", "SET a = _f(b)"), 'Invalid UpdateExpression: Syntax error; token: "_", near: "= _f"',
               "a function name _f")
    enveloped(lambda: update("u", "SET # = :v", {":v": N(1)}, ExpressionAttributeNames={"#a": "a"}),
               'Invalid UpdateExpression: Syntax error; token: "#", near: "SET # ="', "a lone #")
    enveloped(lambda: update("u", "SET a = :", {":a": N(1)}), 'Invalid UpdateExpression: Syntax error; token: ":", near: "= :"',
               "a lone :")
    update("u", "SET a_1 = :v, #_x = :v", {":v": N(1)}, ExpressionAttributeNames={"#_x": "_x"})
    t.eq(get("u"), {"pk": S("u"), "a_1": N(1), "_x": N(1)}, "an inner _ and a #_ placeholder are fine")

    # ---- list_append does not nest in list_append ----
    lists = {":a": {"L": [S("a")]}, ":b": {"L": [S("b")]}, ":c": {"L": [S("c")]}}
    for expr in ("SET l = list_append(list_append(:a, :b), :c)", "SET l = list_append(:a, list_append(:b, :c))"):
        enveloped(lambda: update("f", expr, lists),
                   "Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append",
                   expr)
    update("f", "SET l = list_append(if_not_exists(l, :a), :b), n = if_not_exists(x, if_not_exists(y, :c))", lists)
    t.eq(get("f"), {"pk": S("f"), "l": {"L": [S("a"), S("b")]}, "n": {"L": [S("c")]}}, "if_not_exists nests")

    # ---- ADD and DELETE name the type set their operand is not in (as AWS's own message does) ----
    for expr, value, want in (("ADD n :v", S("x"), "ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
                              ("ADD n :v", {"L": []}, "ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND"),
                              ("DELETE n :v", N(1), "DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND")):
        enveloped(lambda: update("f", expr, {":v": value}),
                   "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: " + want, expr)
t.done()
