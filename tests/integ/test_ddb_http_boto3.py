"""test_ddb_http_boto3.py - what the DynamoDB endpoint answers at the HTTP level, before and around the
operations, as AWS's front end answers it: CORS (the preflight a browser SDK sends before its first call,
and the Allow-Origin/Expose-Headers on every reply to a request with an Origin; SQS and Lambda answer
preflights the same way, Lambda exposing its own headers too), DynamoDB's health check (GET / answers
"healthy: <host>"), and compressed replies (a reply of 4096 bytes or more is sent gzip- or
deflate-encoded when Accept-Encoding asks for it, with x-amz-crc32 computed over the compressed bytes,
as the Go SDK's DynamoDB customization documents). boto3 1.26 cannot inflate replies, so compression is
checked with raw requests; the rest through boto3 where it can send them."""
import gzip
import http.client
import json
import zlib

from harness import DDB_SCOPE, Checks, RawConn, Server

t = Checks()
EXPOSED = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"
CORS = ("access-control-allow-origin", "access-control-expose-headers", "access-control-max-age",
        "access-control-allow-methods", "access-control-allow-headers", "access-control-allow-credentials")


def cors_of(headers):
    return {h: headers[h] for h in CORS if h in headers}


def ddb(conn, op, body, extra=None):
    headers = {"X-Amz-Target": "DynamoDB_20120810." + op, "Content-Type": "application/x-amz-json-1.0", "Authorization": DDB_SCOPE}
    headers.update(extra or {})
    return conn.send("POST", "/", json.dumps(body).encode(), headers)


def inflated(headers, data):
    """The reply body as the client reads it, and the encoding it came in (None: not encoded)."""
    enc = headers.get("content-encoding")
    if enc == "gzip":
        return gzip.decompress(data), enc
    if enc == "deflate":
        return zlib.decompress(data), enc
    return data, enc


with Server(in_memory=True) as s:
    client = s.client("dynamodb")
    conn = RawConn(s.port)
    host = "127.0.0.1:%d" % s.port

    # ---- CORS preflight: 200 with no body, the asked-for method and headers allowed, cached two days ----
    st, h, data = conn.send("OPTIONS", "/", headers={"Origin": "http://app.example", "Access-Control-Request-Method": "POST",
                                                     "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-date"})
    t.eq((st, data), (200, b""), "preflight status and body")
    t.eq(cors_of(h), {"access-control-allow-origin": "*", "access-control-expose-headers": EXPOSED,
                      "access-control-max-age": "172800", "access-control-allow-methods": "POST",
                      "access-control-allow-headers": "content-type,x-amz-target,x-amz-date"}, "preflight CORS headers")
    t.eq(len(h.get("x-amzn-requestid", "")), 52, "preflight has a DynamoDB-style request id")
    st, h, _ = conn.send("OPTIONS", "/", headers={"Origin": "null"})
    t.eq((st, cors_of(h)), (200, {"access-control-allow-origin": "*", "access-control-expose-headers": EXPOSED,
                                  "access-control-max-age": "172800"}), "preflight asking for nothing")
    st, h, _ = conn.send("OPTIONS", "/", headers={"Access-Control-Request-Method": "POST"})
    t.eq((st, cors_of(h)), (404, {}), "OPTIONS without an Origin is no preflight")
    st, h, _ = conn.send("OPTIONS", "/2015-03-31/functions/f/invocations",
                         headers={"Origin": "http://app.example", "Access-Control-Request-Method": "POST"})
    t.eq((st, h.get("access-control-expose-headers"), len(h.get("x-amzn-requestid", ""))),
         (200, EXPOSED + ",x-amz-log-result,x-amz-function-error", 36), "Lambda's preflight exposes its own headers")

    # ---- CORS on replies: a request with an Origin gets Allow-Origin and Expose-Headers, errors included ----
    st, h, _ = ddb(conn, "ListTables", {}, {"Origin": "http://app.example"})
    t.eq((st, cors_of(h)), (200, {"access-control-allow-origin": "*", "access-control-expose-headers": EXPOSED}),
         "ListTables with an Origin")
    st, h, _ = ddb(conn, "DescribeTable", {"TableName": "nosuch"}, {"Origin": "http://app.example"})
    t.eq((st, cors_of(h)), (400, {"access-control-allow-origin": "*", "access-control-expose-headers": EXPOSED}),
         "an error with an Origin")
    st, h, _ = ddb(conn, "ListTables", {})
    t.eq((st, cors_of(h)), (200, {}), "no Origin, no CORS headers")
    resp = client.list_tables()
    t.eq([k for k in resp["ResponseMetadata"]["HTTPHeaders"] if k.startswith("access-control-")], [],
         "boto3 (no Origin) gets no CORS headers")
    st, h, _ = conn.send("POST", "/", b"Action=ListQueues", {"Content-Type": "application/x-www-form-urlencoded",
                                                             "Origin": "http://app.example"})
    t.eq((st, h.get("access-control-allow-origin")), (200, "*"), "an SQS reply with an Origin")

    # ---- health check: GET / only ----
    st, h, data = conn.send("GET", "/")
    t.eq((st, data), (200, ("healthy: " + host).encode()), "GET / is the health check")
    st, h, data = conn.send("GET", "/", headers={"Host": "dynamodb.local:8000", "Origin": "http://app.example"})
    t.eq((st, data, h.get("access-control-allow-origin")), (200, b"healthy: dynamodb.local:8000", "*"),
         "the health check names the Host asked for, and carries CORS headers")
    for path in ("/health", "/index.html", "/-"):
        t.eq(conn.send("GET", path)[0], 404, "GET %s is no health check" % path)

    # ---- compressed replies ----
    client.create_table(TableName="tab", KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    big = "x" * 5000
    client.put_item(TableName="tab", Item={"p": {"S": "big"}, "x": {"S": big}})
    client.put_item(TableName="tab", Item={"p": {"S": "small"}, "x": {"S": "x" * 4000}})
    want_big = {"Item": {"p": {"S": "big"}, "x": {"S": big}}}
    t.eq(client.get_item(TableName="tab", Key={"p": {"S": "big"}})["Item"]["x"]["S"], big, "boto3 reads a large reply")

    for enc in ("gzip", "deflate"):
        st, h, data = ddb(conn, "GetItem", {"TableName": "tab", "Key": {"p": {"S": "big"}}}, {"Accept-Encoding": enc})
        body, got = inflated(h, data)
        t.eq((st, got, json.loads(body)), (200, enc, want_big), "%s reply" % enc)
        t.eq(h.get("x-amz-crc32"), str(zlib.crc32(data)), "%s reply: x-amz-crc32 is of the compressed bytes" % enc)
        t.true(len(data) * 30 < len(body), "%s reply is compressed (%d of %d bytes)" % (enc, len(data), len(body)))
        st, h, data = ddb(conn, "GetItem", {"TableName": "tab", "Key": {"p": {"S": "small"}}}, {"Accept-Encoding": enc})
        t.eq((st, h.get("content-encoding"), len(data) < 4096), (200, None, True), "%s: a reply under 4096 bytes is sent as is" % enc)
    st, h, data = ddb(conn, "GetItem", {"TableName": "tab", "Key": {"p": {"S": "big"}}})
    t.eq((h.get("content-encoding"), h.get("x-amz-crc32")), (None, str(zlib.crc32(data))), "no Accept-Encoding, no encoding")

    # which encoding an Accept-Encoding value picks
    for accept, want in (("identity", None), ("", None), ("br", None), ("x-gzip", None), ("\"gzip\"", None),
                         ("gzip br", None), ("gzip:q=1", None), ("GZIP, identity", "gzip"), ("gzip, deflate", "gzip"),
                         ("br, identity, deflate, gzip", "deflate"), ("dog, gzip ,, cat", "gzip"),
                         ("gzip;q=0.8, deflate;q=0.5", "gzip"), ("br, gzip;q=0, deflate; q = 0.5 , identity;q=0", "deflate"),
                         ("*", "gzip"), ("*, deflate", "deflate"), ("*, deflate;q=0.5", "gzip"), ("*, gzip;q=0.5", "deflate"),
                         ("gzip ;q=0", None), ("*;q=0", None), ("*;q=0.5,identity", "gzip"),
                         ("br;q=0.8,identity;q=0.5,*;q=0", None), ("deflate;q=0.5, gzip;q=31", "gzip"),
                         ("gzip;q=31,deflate;q=51", "gzip"), ("deflate;q=0.5, gzip;q=1;q=0.2", "gzip"),
                         ("deflate;q=0.5,gzip;q=0.", "deflate"), ("deflate;q=0.5,gzip;q=0.x", "gzip"),
                         ("deflate;q=-0.5,gzip;q=0.2", "gzip"), ("gzip;nq=1;q=0 ", None),
                         ("gzip;q=0, gzip;q=1, gzip;q=0", "gzip"), ("br,identity;q=0.5,gzip;q=0.0001", "gzip")):
        st, h, data = ddb(conn, "GetItem", {"TableName": "tab", "Key": {"p": {"S": "big"}}}, {"Accept-Encoding": accept})
        body, got = inflated(h, data)
        t.eq((st, got, json.loads(body)), (200, want, want_big), "Accept-Encoding %r" % accept)

    # a repeated Accept-Encoding: the last one counts
    for first, last, want in (("identity", "gzip", "gzip"), ("gzip", "identity", None)):
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        payload = json.dumps({"TableName": "tab", "Key": {"p": {"S": "big"}}}).encode()
        c.putrequest("POST", "/", skip_accept_encoding=True)
        for k, v in (("X-Amz-Target", "DynamoDB_20120810.GetItem"), ("Content-Type", "application/x-amz-json-1.0"),
                     ("Authorization", DDB_SCOPE), ("Accept-Encoding", first), ("Accept-Encoding", last),
                     ("Content-Length", str(len(payload)))):
            c.putheader(k, v)
        c.endheaders(payload)
        r = c.getresponse()
        t.eq((r.status, r.getheader("content-encoding")), (200, want), "Accept-Encoding %r then %r" % (first, last))
        r.read()
        c.close()
    conn.close()
t.done()
