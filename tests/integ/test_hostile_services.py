"""Hostile but well-formed input to every operation of every model.

For each operation in the botocore models (SQS and DynamoDB and DynamoDB
Streams over JSON 1.0, SQS over the query protocol with the 2012-11-05 query
model, Lambda over REST-JSON with its requestUri templates and junk labels) we
send: an empty input, a plausible input (required members filled), every
member filled, each top-level member with a wrong JSON type, a 1 MB string,
deep nesting, unicode junk (emoji, lone surrogates, NUL, invalid UTF-8), odd
numbers (negative, 2^63, 1e308, fractions, 40 digits), all members null, nulls
inside maps and lists, and an unknown member; the query protocol also gets broken escapes, bad indexes, deep
dotted keys and too many parameters. Every answer must be AWS-shaped (a JSON
error with __type, an <ErrorResponse>, a Lambda x-amzn-ErrorType, or a
success) with a status below 500, and the server must still be serving after
each operation's batch. Raw HTTP over http.client; bounded in count and time."""
import base64
import json
import os
import time
import urllib.parse
import xml.dom.minidom

import botocore.loaders

from harness import Checks, RawConn, Server

t = Checks()
LOADER = botocore.loaders.Loader()
QUERY_MODEL = "/usr/lib/python3/dist-packages/botocore/data/sqs/2012-11-05/service-2.json"
MB = 1 << 20
MAX_MEMBERS = 12  # wrong-type variants per operation
MAX_FAIL_LINES = 40
DEADLINE = time.monotonic() + 50  # the whole test stays well under 60 s

UNICODE = ["\U0001F600 \u202e\u0645\u0631\u062d\u0628\u0627 \u00e9\u0301 \ufffe \U0010FFFF", "\ud800", "a\u0000b", "ctl\u0001\u001f\u007f"]
NUMBERS = [-1, 2 ** 63, -(2 ** 63) - 1, 1e308, 1.5, 10 ** 40]
JUNK_LABELS = ["x", "%00", "..%2F..%2Fetc", "a" * 300, "%F0%9F%98%80", "%ZZ", "arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST"]
# Texts for the members DynamoDB parses (expressions, PartiQL statements): deep
# nesting within their length limits, long chains, long paths.
TORTURE = [("parens", "(" * 4000 + "a = :v" + ")" * 4000), ("brackets", "a IN " + "[" * 8000),
           ("nots", "NOT " * 2000 + "a = :v"), ("signs", "a = " + "- " * 4000 + "1"), ("path", "a" + ".b" * 2000),
           ("indexes", "a" + "[0]" * 1000 + " = :v"), ("statement parens", "SELECT * FROM t WHERE " + "(" * 4000 + "a = 1" + ")" * 4000),
           ("statement list", "INSERT INTO t VALUE " + "{'a': [" * 1000 + "1" + "]}" * 1000)]
fail_lines = 0
last_op = time.monotonic()
# Members that name the resources setup() keeps in place, so that plausible
# inputs get past "does not exist" into the operations' own checks.
SPECIAL = {"TableName": "hostile_name"}


# ---- values from shapes ----

def plausible(shapes, name, depth=0, full=False):
    """A value of the shape that a client could send (required members only unless full)."""
    s = shapes[name]
    ty = s["type"]
    if ty == "structure":
        if depth > 4:
            return {}
        members = s.get("members", {})
        want = members if full else s.get("required", [])
        return {m: SPECIAL[m] if m in SPECIAL else plausible(shapes, members[m]["shape"], depth + 1)
                for m in want if m in members}
    if ty == "list":
        return [] if depth > 4 else [plausible(shapes, s["member"]["shape"], depth + 1)]
    if ty == "map":
        return {} if depth > 4 else {"k": plausible(shapes, s["value"]["shape"], depth + 1)}
    if name == "AttributeValue":
        return {"S": "hostile_name"}
    if ty == "string":
        return s["enum"][0] if s.get("enum") else "hostile_name"
    if ty in ("integer", "long"):
        return max(0, s.get("min", 0))
    if ty in ("double", "float"):
        return 0.0
    if ty == "boolean":
        return False
    if ty == "blob":
        return base64.b64encode(b"junk").decode()
    if ty == "timestamp":
        return 0
    return None


def wrong(shapes, name):
    """A JSON value of the wrong type for the shape."""
    ty = shapes[name]["type"]
    return {"structure": "not-an-object", "list": {"a": 1}, "map": [1, 2], "string": 12345,
            "integer": "twelve", "long": [1], "double": "NaN", "float": {"x": 1}, "boolean": "yes",
            "blob": "!!not base64!!", "timestamp": "yesterday"}.get(ty, None)


def deep(n):
    v = "leaf"
    for i in range(n):
        v = [v] if i % 2 else {"d": v}
    return v


def set_scalars(shapes, name, value, types, depth=0):
    """The full plausible value with every scalar of the given types replaced."""
    s = shapes[name]
    ty = s["type"]
    if depth > 4:
        return None
    if ty == "structure":
        return {m: set_scalars(shapes, d["shape"], value, types, depth + 1) for m, d in s.get("members", {}).items()}
    if ty == "list":
        return [set_scalars(shapes, s["member"]["shape"], value, types, depth + 1)]
    if ty == "map":
        k = value if isinstance(value, str) and "string" in types else "k"
        return {k: set_scalars(shapes, s["value"]["shape"], value, types, depth + 1)}
    return value if ty in types else plausible(shapes, name, depth)


def variants(shapes, input_shape):
    """(label, input object) pairs for one operation."""
    if input_shape is None:
        yield "empty", {}
        yield "unknown member", {"NoSuchMember": "x"}
        return
    s = shapes[input_shape]
    members = s.get("members", {})
    base = plausible(shapes, input_shape)
    yield "empty", {}
    yield "plausible", base
    yield "full", plausible(shapes, input_shape, full=True)
    yield "unknown member", dict(base, NoSuchMember={"x": [1]})
    yield "all null", {m: None for m in members}
    for m in list(members)[:MAX_MEMBERS]:
        yield "wrong type " + m, dict(base, **{m: wrong(shapes, members[m]["shape"])})
    strings = [m for m in members if shapes[members[m]["shape"]]["type"] == "string"]
    if strings:
        yield "1 MB " + strings[0], dict(base, **{strings[0]: "x" * MB})
    for m in [m for m in strings if m.endswith("Expression") or m == "Statement"]:
        for label, text in TORTURE:
            yield "%s %s" % (label, m), dict(base, **{m: text})
    nested = [m for m in members if shapes[members[m]["shape"]]["type"] in ("structure", "list", "map")]
    if nested:
        yield "deep 60 " + nested[0], dict(base, **{nested[0]: deep(60)})
        yield "deep 200 " + nested[0], dict(base, **{nested[0]: deep(200)})
    for m in nested[:3]:  # a null inside a collection (BatchWriteItem's {"table": null} once reached a memcpy from NULL)
        kind = shapes[members[m]["shape"]]["type"]
        if kind == "map":
            yield "null map value " + m, dict(base, **{m: {"hostile_name": None}})
        elif kind == "list":
            yield "null list element " + m, dict(base, **{m: [None]})
    for u in UNICODE:
        yield "unicode %r" % u[:8], set_scalars(shapes, input_shape, u, ("string",))
    for n in NUMBERS:
        yield "number %r" % n, set_scalars(shapes, input_shape, n, ("integer", "long", "double", "float", "timestamp"))


# ---- HTTP ----

def failed(what, st, h, body):
    global fail_lines
    t.true(False, what)
    if fail_lines < MAX_FAIL_LINES:
        fail_lines += 1
        print("  -> status %s, headers %s, body %r" % (st, {k: v for k, v in h.items() if k.startswith("x-amz")}, body[:300]))


def check_json(what, st, h, body):
    ok = st < 500 and "x-amzn-requestid" in h
    try:
        doc = json.loads(body) if body else {}
        ok = ok and isinstance(doc, dict) and (st < 300 or isinstance(doc.get("__type"), str))
    except ValueError:
        ok = False
    if ok:
        t.passed += 1
    else:
        failed(what, st, h, body)


def check_query(what, op, st, h, body):
    ok = st < 500 and body.startswith(b"<?xml") and (
        (st >= 400 and b"<ErrorResponse" in body and b"<Code>" in body) or (st < 300 and (b"<%sResponse" % op.encode()) in body))
    if ok:
        t.passed += 1
    else:
        failed(what, st, h, body)


def check_rest(what, st, h, body):
    """A Lambda error has x-amzn-ErrorType; a path that after normalisation (..%2F..) is no
    Lambda path at all gets the router's generic JSON 404."""
    ok = st < 500 and (st < 300 or ("x-amzn-errortype" in h and body[:1] in (b"{", b"")) or
                       (st == 404 and body.startswith(b'{"__type":"UnknownOperationException"')))
    if ok:
        t.passed += 1
    else:
        failed(what, st, h, body)


def serving(s, conn, what):
    global last_op
    if os.environ.get("AWSEMU_TEST_VERBOSE"):
        print("%-60s %.2f s" % (what, time.monotonic() - last_op))
    last_op = time.monotonic()
    alive = s.proc is not None and s.proc.poll() is None
    t.true(alive, what + ": server process alive")
    if not alive:
        raise SystemExit("awsemu died after " + what + ":\n" + "".join(s.log[-40:]))
    st, h, body = conn.send("POST", "/", b"{}", {"X-Amz-Target": "DynamoDB_20120810.ListTables",
                                                 "Content-Type": "application/x-amz-json-1.0"})
    t.eq(st, 200, what + ": still serving")


def encode(value):
    return json.dumps(value, ensure_ascii=True).encode()


def setup(conn):
    """The queue and table plausible inputs name (again, after a Delete* op removed them)."""
    create = {"X-Amz-Target": "AmazonSQS.CreateQueue", "Content-Type": "application/x-amz-json-1.0"}
    st, h, body = conn.send("POST", "/", encode({"QueueName": "hostile_name"}), create)
    if st == 400 and b"QueueDeletedRecently" in body:  # a DeleteQueue variant removed it: move the clock past SQS's 60 s
        conn.send("POST", "/_awsemu/clock", encode({"advance_ms": 61000}), {})
        st, h, body = conn.send("POST", "/", encode({"QueueName": "hostile_name"}), create)
    t.eq(st, 200, "setup: CreateQueue")
    SPECIAL["QueueUrl"] = json.loads(body)["QueueUrl"]
    ddb = {"X-Amz-Target": "DynamoDB_20120810.DescribeTable", "Content-Type": "application/x-amz-json-1.0"}
    st, h, body = conn.send("POST", "/", encode({"TableName": "hostile_name"}), ddb)
    if st != 200:
        ddb["X-Amz-Target"] = "DynamoDB_20120810.CreateTable"
        st, h, body = conn.send("POST", "/", encode({
            "TableName": "hostile_name", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}]}), ddb)
        t.eq(st, 200, "setup: CreateTable")


# ---- JSON 1.0 ----

def json_service(s, conn, name, target):
    model = LOADER.load_service_model(name, "service-2")
    shapes = model["shapes"]
    for op, spec in sorted(model["operations"].items()):
        if time.monotonic() > DEADLINE:
            break
        headers = {"X-Amz-Target": target + "." + op, "Content-Type": "application/x-amz-json-1.0"}
        for label, value in variants(shapes, spec.get("input", {}).get("shape")):
            st, h, data = conn.send("POST", "/", encode(value), headers)
            check_json("%s %s (%s)" % (name, op, label), st, h, data)
        st, h, data = conn.send("POST", "/", b'{"x":"\xff\xfe\xc3\x28"}', headers)
        check_json("%s %s (invalid UTF-8)" % (name, op), st, h, data)
        serving(s, conn, "%s %s" % (name, op))
        setup(conn)


# ---- query protocol (SQS) ----

def flatten(shapes, name, value, prefix, out):
    """botocore's query serialisation, with values of the wrong type written as their JSON text."""
    s = shapes[name]
    ty = s["type"]
    if ty == "structure" and isinstance(value, dict):
        members = s.get("members", {})
        for k, v in value.items():
            if v is None:
                continue
            if k in members:
                key = members[k].get("locationName", k)
                flatten(shapes, members[k]["shape"], v, prefix + "." + key if prefix else key, out)
            else:
                out.append((prefix + "." + k if prefix else k, json.dumps(v)))
    elif ty == "list" and isinstance(value, list):
        if not value:
            out.append((prefix, ""))
        if s.get("flattened"):
            loc = s["member"].get("locationName")
            base = ".".join(prefix.split(".")[:-1] + [loc]) if loc else prefix
        else:
            base = prefix + "." + s["member"].get("locationName", "member")
        for i, v in enumerate(value, 1):
            flatten(shapes, s["member"]["shape"], v, "%s.%d" % (base, i), out)
    elif ty == "map" and isinstance(value, dict):
        base = prefix if s.get("flattened") else prefix + ".entry"
        kn, vn = s["key"].get("locationName", "key"), s["value"].get("locationName", "value")
        for i, (k, v) in enumerate(value.items(), 1):
            out.append(("%s.%d.%s" % (base, i, kn), k))
            flatten(shapes, s["value"]["shape"], v, "%s.%d.%s" % (base, i, vn), out)
    elif isinstance(value, bool):
        out.append((prefix, "true" if value else "false"))
    elif isinstance(value, (str, int, float)):
        out.append((prefix, str(value)))
    else:
        out.append((prefix, json.dumps(value)))


def form(params):
    return "&".join(urllib.parse.quote(k, safe=".") + "=" + urllib.parse.quote(v, safe="", errors="surrogatepass")
                    for k, v in params).encode()


def query_service(s, conn):
    with open(QUERY_MODEL) as f:
        model = json.load(f)
    shapes = model["shapes"]
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    for op, spec in sorted(model["operations"].items()):
        if time.monotonic() > DEADLINE:
            break
        head = "Action=%s&Version=2012-11-05&" % op
        bodies = []
        for label, value in variants(shapes, spec.get("input", {}).get("shape")):
            params = []
            flatten(shapes, spec["input"]["shape"], value, "", params) if "input" in spec else None
            bodies.append((label, head.encode() + form(params)))
        raw = [("broken escape", "QueueUrl=%zz&MessageBody=%"), ("NUL", "QueueUrl=a%00b"),
               ("index 0", "Attribute.0.Name=a&Attribute.0.Value=b"), ("huge index", "AttributeName.99999999999999999999=All"),
               ("deep key", "a" + ".b" * 100 + "=1"), ("many params", "&".join("p%d=%d" % (i, i) for i in range(5000))),
               ("duplicate keys", "QueueUrl=a&QueueUrl=b&QueueUrl="), ("empty keys", "=&=&&&="),
               ("utf-8 junk", "QueueName=%ff%fe%c3%28&MessageBody=%ed%a0%80")]
        bodies += [(label, (head + text).encode()) for label, text in raw]
        for label, body in bodies:
            st, h, data = conn.send("POST", "/", body, headers)
            check_query("sqs query %s (%s)" % (op, label), op, st, h, data)
        st, h, data = conn.send("GET", "/?" + head + "QueueName=%F0%9F%98%80&QueueUrl=" + "x" * 8000)
        check_query("sqs query %s (GET)" % op, op, st, h, data)
        serving(s, conn, "sqs query " + op)
        setup(conn)
    for label, body in [("no action", b"Version=2012-11-05"), ("unknown action", b"Action=Nope"),
                        ("empty action", b"Action=&Action="), ("action escape", b"Action=%zz")]:
        st, h, data = conn.send("POST", "/", body, headers)
        t.true(st < 500 and data.startswith(b"<?xml"), "sqs query " + label)
    st, h, data = conn.send("GET", "/000000000000/some-queue")  # a queue URL opened in a browser
    t.eq((st, b"<Code>MissingAction</Code>" in data), (400, True), "sqs query: GET of a queue URL without Action")


# ---- REST-JSON (Lambda) ----

def rest_path(template, shapes, input_shape, label):
    path, _, fixed_query = template.partition("?")
    members = shapes[input_shape]["members"] if input_shape else {}
    names = {d.get("locationName", m): m for m, d in members.items() if d.get("location") == "uri"}

    def fill(part):
        if part.startswith("{") and part.endswith("}"):
            return label
        return part
    segs = [fill(p) for p in path.split("/")]
    return "/".join(segs), fixed_query, names


def rest_service(s, conn):
    model = LOADER.load_service_model("lambda", "service-2")
    shapes = model["shapes"]
    for op, spec in sorted(model["operations"].items()):
        if time.monotonic() > DEADLINE:
            break
        http_spec = spec["http"]
        input_shape = spec.get("input", {}).get("shape")
        members = shapes[input_shape].get("members", {}) if input_shape else {}
        qs_members = [d.get("locationName", m) for m, d in members.items() if d.get("location") == "querystring"]
        hdr_members = [d.get("locationName", m) for m, d in members.items() if d.get("location") == "header"]
        for i, junk in enumerate(JUNK_LABELS):
            path, fixed_query, _ = rest_path(http_spec["requestUri"], shapes, input_shape, junk)
            query = [fixed_query] if fixed_query else []
            query += ["%s=%s" % (urllib.parse.quote(q), junk if i % 2 else "-1") for q in qs_members]
            url = path + ("?" + "&".join(query) if query else "")
            headers = {"Content-Type": "application/json"}
            for hname in hdr_members:
                headers[hname] = "junk\u00e9".encode().decode("latin-1") if i % 2 else "-1"
            st, h, data = conn.send(http_spec["method"], url, b"", headers)
            check_rest("lambda %s (label %r)" % (op, junk[:20]), st, h, data)
        path, fixed_query, _ = rest_path(http_spec["requestUri"], shapes, input_shape, "hostile_name")
        url = path + ("?" + fixed_query if fixed_query else "")
        if http_spec["method"] in ("POST", "PUT"):
            for label, value in variants(shapes, input_shape):
                body = {k: v for k, v in value.items()
                        if members.get(k, {}).get("location") in (None,)} if isinstance(value, dict) else value
                st, h, data = conn.send(http_spec["method"], url, encode(body), {"Content-Type": "application/json"})
                check_rest("lambda %s (%s)" % (op, label), st, h, data)
            for label, body in [("not JSON", b"{nope"), ("array", b"[1]"), ("invalid UTF-8", b'{"a":"\xff"}')]:
                st, h, data = conn.send(http_spec["method"], url, body, {"Content-Type": "application/json"})
                check_rest("lambda %s (%s)" % (op, label), st, h, data)
        serving(s, conn, "lambda " + op)


with Server() as s:
    conn = RawConn(s.port)
    start = time.monotonic()
    setup(conn)
    json_service(s, conn, "sqs", "AmazonSQS")
    json_service(s, conn, "dynamodb", "DynamoDB_20120810")
    json_service(s, conn, "dynamodbstreams", "DynamoDBStreams_20120810")
    query_service(s, conn)
    rest_service(s, conn)
    # "\u0000" would reach services as a truncated C string: never stored as "a". SQS refuses it as a character it
    # does not allow, as AWS does; DynamoDB stores it (test_ddb_nul_strings_boto3.py), Lambda refuses the body.
    for target, body, want in [
            ("AmazonSQS.SendMessage", {"QueueUrl": SPECIAL["QueueUrl"], "MessageBody": "a\u0000b"}, "InvalidMessageContents")]:
        st, h, data = conn.send("POST", "/", encode(body), {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0"})
        t.eq((st, json.loads(data).get("__type", "").split("#")[-1]), (400, want), target + " with \\u0000")
    # Whatever the junk stored, query-protocol readers of the queue still get well-formed XML.
    q = SPECIAL["QueueUrl"]
    for action, params in [("ReceiveMessage", "&MaxNumberOfMessages=10&MessageAttributeName.1=All&AttributeName.1=All"
                                              "&MessageSystemAttributeName.1=All"),
                           ("ListQueueTags", ""), ("GetQueueAttributes", "&AttributeName.1=All"), ("ListQueues", "")]:
        body = "Action=%s&QueueUrl=%s%s" % (action, urllib.parse.quote(q, safe=""), params)
        st, h, data = conn.send("POST", "/", body.encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        try:
            xml.dom.minidom.parseString(data)
            t.eq(st, 200, "query %s after the junk" % action)
        except Exception as e:
            failed("query %s after the junk is well-formed XML (%s)" % (action, e), st, h, data)
    conn.close()
    t.true(time.monotonic() < DEADLINE + 5, "finished in time (%.1f s)" % (time.monotonic() - start))
    print("%.1f s" % (time.monotonic() - start))
t.done()
