"""Hostile input: garbage, truncated JSON, wrong content types, huge headers,
deep nesting, unknown targets and paths, non-HTTP bytes. Each gets an
AWS-shaped error (or h2o's HTTP-level refusal) and the server keeps serving."""
import http.client
import json
import socket

from harness import Checks, Server

t = Checks()


def raw(s, method, path, body=b"", headers=None):
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def ddb(s, op, body):
    return raw(s, "POST", "/", body, {"X-Amz-Target": "DynamoDB_20120810." + op,
                                      "Content-Type": "application/x-amz-json-1.0"})


def still_serving(s, what):
    st, h, body = ddb(s, "ListTables", b"{}")
    t.eq(st, 200, what + ": ListTables afterwards")
    t.eq(json.loads(body), {"TableNames": []}, what + ": ListTables body")


def json_error(st, h, body, status, type_, what):
    t.eq(st, status, what + " status")
    t.true("x-amzn-requestid" in h, what + " has x-amzn-RequestId")
    try:
        t.eq(json.loads(body).get("__type"), type_, what + " __type")
    except ValueError:
        t.true(False, what + " body is JSON: %r" % body[:200])


with Server() as s:
    for what, body in [("garbage", b"\x00\xff\xfe garbage"), ("truncated", b'{"TableName": "x'),
                       ("array", b"[1,2,3]"), ("string", b'"x"'), ("deep", b'{"a":' * 5000 + b"1" + b"}" * 5000),
                       ("nul", b'{"TableName":"a\x00b"}')]:
        st, h, b = ddb(s, "DescribeTable", body)
        json_error(st, h, b, 400, "com.amazon.coral.service#SerializationException", what)
        t.true(h.get("x-amz-crc32", "").isdigit(), what + " has x-amz-crc32")
        still_serving(s, what)

    st, h, b = ddb(s, "NoSuchOperation", b"{}")
    json_error(st, h, b, 400, "com.amazon.coral.service#UnknownOperationException", "unknown DynamoDB op")
    st, h, b = raw(s, "POST", "/", b"{}", {"X-Amz-Target": "AmazonSQS.NoSuchOperation",
                                          "Content-Type": "application/x-amz-json-1.0"})
    json_error(st, h, b, 400, "com.amazonaws.sqs#UnknownOperationException", "unknown SQS JSON op")
    st, h, b = raw(s, "POST", "/", b"{}", {"X-Amz-Target": "NoSuchService_2020.Op"})
    t.eq(st, 404, "unknown target prefix")
    st, h, b = raw(s, "POST", "/", b"Action=NoSuchAction&Version=2012-11-05",
                   {"Content-Type": "application/x-www-form-urlencoded"})
    t.eq(st, 400, "unknown query action status")
    t.true(b"<Code>InvalidAction</Code>" in b and b"<RequestId>" in b, "unknown query action XML: %r" % b[:300])
    st, h, b = raw(s, "POST", "/", b"Action=List%ZZQueues&%%%=&&==",
                   {"Content-Type": "application/x-www-form-urlencoded"})
    t.eq(st, 400, "malformed form status")
    t.true(b"<ErrorResponse" in b, "malformed form answered in XML")
    st, h, b = raw(s, "GET", "/2015-03-31/no-such-thing")
    t.eq(st, 404, "unknown Lambda path")
    t.eq(h.get("x-amzn-errortype"), "UnknownOperationException", "Lambda x-amzn-ErrorType")
    st, h, b = raw(s, "POST", "/2015-03-31/functions", b"{not json", {"Content-Type": "application/json"})
    t.eq(st, 400, "Lambda bad JSON status")
    t.eq(h.get("x-amzn-errortype"), "InvalidRequestContentException", "Lambda bad JSON type")
    st, h, b = raw(s, "POST", "/", b"{}", {"X-Amz-Target": "DynamoDB_20120810.ListTables",
                                          "Content-Type": "text/plain"})
    t.eq(st, 200, "wrong content type still served as JSON 1.0")
    st, h, b = raw(s, "POST", "/", b"{}", {"X-Amz-Target": "DynamoDB_20120810.ListTables", "X-Junk": "a" * 60000})
    t.true(st in (200, 400, 413, 431), "huge header answered (%d)" % st)
    still_serving(s, "huge header")
    # Up to twice --max-body the body is read, then refused with DynamoDB's error (more: test_core_limits_boto3.py).
    st, h, b = raw(s, "POST", "/", b"x" * (17 * 1024 * 1024), {"X-Amz-Target": "DynamoDB_20120810.ListTables"})
    json_error(st, h, b, 413, "com.amazon.coral.service#RequestEntityTooLargeException", "body over --max-body")
    still_serving(s, "oversized body")
    # Not HTTP at all, and a client that hangs up mid-request.
    for junk in [b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 100, b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n{"]:
        sk = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        sk.sendall(junk)
        sk.close()
    still_serving(s, "non-HTTP bytes")
    t.eq(s.proc.poll(), None, "server still running")
t.done()
