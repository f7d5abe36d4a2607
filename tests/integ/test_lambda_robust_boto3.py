"""test_lambda_robust_boto3.py - hostile and edge-case input to the Lambda features added last, the server to keep
serving after each: requests to function URLs (broken percent-encoding, bytes that are not UTF-8 in the path, query
and headers, long and many and repeated headers, chunked and empty bodies, a body past Invoke's 6 MB), results that
cannot be written as HTTP (a CR or LF in a header or cookie, a 1xx status, a 204 with a body and a HEAD of a stream over
keep-alive), a runtime's error that is not UTF-8 in InvokeWithResponseStream, a streaming handler behind a BUFFERED URL, an HTTP integration stream with no prelude, results nested past the JSON writer's 100 levels, clients
that leave mid-stream of a RESPONSE_STREAM URL or InvokeWithResponseStream, the function, alias and URL deleted
while a request to it runs, numbers past an int and markers past the end in the configuration operations, wrong
JSON types for every member of the layer, URL, event invoke, code signing, provisioned concurrency, recursion and
runtime management operations with names that exist, and concurrent publish/delete of one layer's versions and of
one function's configurations. Raw HTTP over sockets where clients refuse to send what is sent."""
import base64
import io
import json
import socket
import struct
import threading
import time
import urllib.parse
import zipfile

import botocore.loaders
from botocore.exceptions import ClientError

from harness import Checks, RawConn, Server, zip_of

t = Checks()
ROLE = "arn:aws:iam::000000000000:role/r"
FFFD = "\ufffd"
AUTH = "AWS4-HMAC-SHA256 Credential=AK/20250101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x"

ECHO = "def handler(event, context):\n    return event\n"
# returns what the request's body says, as JSON
RET = r'''
import base64, json, time
def handler(event, context):
    body = event.get("body") or "null"
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    doc = json.loads(body)
    if isinstance(doc, dict) and "sleep" in doc:
        time.sleep(doc.pop("sleep"))
    return doc
'''
NODE = r'''
export const handler = awslambda.streamifyResponse(async (event, stream) => {
  stream.setContentType("text/plain");
  for (let i = 0; i < 30; i++) { stream.write("x".repeat(50000)); await new Promise((r) => setTimeout(r, 20)); }
  stream.end();
});
export const big = awslambda.streamifyResponse(async (event, stream) => {
  stream.write("x".repeat(event.mb * 1024 * 1024));
  stream.end();
});
export const plain = awslambda.streamifyResponse(async (event, stream) => {
  stream.write(event.rawPath === "/bin" ? Buffer.from([0, 255, 0, 1]) : "data");
  stream.end();
});
export const empty = awslambda.streamifyResponse(async (event, stream) => {
  stream.setContentType("application/vnd.awslambda.http-integration-response");
  stream.end();
});
export const prelude = awslambda.streamifyResponse(async (event, stream) => {
  stream = awslambda.HttpResponseStream.from(stream, JSON.parse(event.body || "{}"));
  stream.write("body");
  stream.end();
});
'''

# a custom runtime whose errors are bytes that are not UTF-8
BOOTSTRAP = r'''#!/usr/bin/env python3
import os, socket
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
s = socket.create_connection((host, int(port)))
f = s.makefile("rb")
def answer():
    headers = {}
    f.readline()
    for line in iter(f.readline, b"\r\n"):
        k, v = line.decode().split(":", 1)
        headers[k.strip().lower()] = v.strip()
    return headers, f.read(int(headers.get("content-length", 0)))
while True:
    s.sendall(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: rt\r\n\r\n")
    headers, _ = answer()
    body = b"\xff\xfe not UTF-8"
    s.sendall(b"POST /2018-06-01/runtime/invocation/%s/error HTTP/1.1\r\nHost: rt\r\nContent-Length: %d\r\n\r\n"
              % (headers["lambda-runtime-aws-request-id"].encode(), len(body)) + body)
    answer()
'''


def create(lam, name, code, runtime="python3.12", handler="h.handler"):
    files = {"index.mjs": code} if runtime.startswith("node") else {"h.py": code}
    lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler, Code={"ZipFile": zip_of(files)})


def url_host(lam, name, **kw):
    return urllib.parse.urlparse(lam.create_function_url_config(FunctionName=name, AuthType="NONE", **kw)["FunctionUrl"]).netloc


def request_bytes(host, method="GET", path="/", headers=(), body=b"", close=True):
    head = "%s %s HTTP/1.1\r\nHost: %s\r\n" % (method, path, host)
    for k, v in headers:
        head += "%s: %s\r\n" % (k, v)
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in headers):
        head += "Content-Length: %d\r\n" % len(body)
    if close:
        head += "Connection: close\r\n"
    return (head + "\r\n").encode("latin-1") + body


def parse(data):
    """(status, {lower-case name: [values]}, body) of one response read to the connection's close."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else 0
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.setdefault(k.strip().lower(), []).append(v.strip())
    if "chunked" in headers.get("transfer-encoding", [""])[0]:
        out, rest = b"", body
        while rest:
            size, _, rest = rest.partition(b"\r\n")
            n = int(size, 16) if size.strip() else 0
            if n == 0:
                break
            out, rest = out + rest[:n], rest[n + 2:]
        body = out
    return status, headers, body


def read_all(port, data, timeout=30):
    """Sends data on a new connection and reads what comes back until the server closes it (or goes quiet)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            b = s.recv(1 << 16)
            if not b:
                break
            out += b
    except socket.timeout:
        pass
    s.close()
    return out


def pipelined(s, requests):
    """Sends requests down one connection: (the first answer's head, all that follows it)."""
    head, _, rest = read_all(s.port, requests).partition(b"\r\n\r\n")
    return head, rest


def raw(port, data, timeout=30):
    """Sends data on a new connection and reads the answer to its close."""
    return parse(read_all(port, data, timeout))


def serving(s, lam, what):
    alive = s.proc.poll() is None
    if alive:
        try:
            lam.list_functions()
        except Exception:
            alive = False
    t.true(alive, "still serving after " + what)
    if not alive:
        print("".join(s.log[-60:]))
        t.done()


def event_of(s, host, what, **kw):
    st, h, body = raw(s.port, request_bytes(host, **kw))
    t.eq(st, 200, what + ": 200")
    try:
        return json.loads(body)
    except ValueError:
        t.true(False, what + ": the event comes back as JSON: %r" % body[:200])
        return {}


def url_requests(s, lam):
    create(lam, "echo", ECHO)
    host = url_host(lam, "echo")
    # bytes that are not UTF-8 read as U+FFFD (the runtime could not parse the event: a 502 before)
    ev = event_of(s, host, "raw Latin-1 in path, query and a header", path="/caf\xe9?q=%E9&r=\xff&s=%e2%28%a1",
                  headers=[("X-L", "\xe9t\xe9")])
    t.eq((ev.get("rawPath"), ev.get("rawQueryString"), ev.get("queryStringParameters"), ev.get("headers", {}).get("x-l")),
         ("/caf" + FFFD, "q=%E9&r=" + FFFD + "&s=%e2%28%a1", {"q": FFFD, "r": FFFD, "s": FFFD + "(" + FFFD},
          FFFD + "t" + FFFD), "bytes that are not UTF-8 arrive as U+FFFD, valid ones as they are")
    t.eq(ev.get("requestContext", {}).get("http", {}).get("path"), "/caf" + FFFD, "requestContext.http.path too")
    ev = event_of(s, host, "UTF-8 kept", path="/%C3%A9?q=%C3%A9", headers=[("X-U", "\xc3\xa9")])
    t.eq((ev.get("rawPath"), ev.get("queryStringParameters"), ev.get("headers", {}).get("x-u")),
         ("/%C3%A9", {"q": "\u00e9"}, "\u00e9"), "UTF-8 text is left as it is")
    ev = event_of(s, host, "broken percent-encoding", path="/%zz/%/%0?a=%zz&%=1&b=%&c")
    t.eq((ev.get("rawPath"), ev.get("queryStringParameters")), ("/%zz/%/%0", {"a": "%zz", "%": "1", "b": "%", "c": ""}),
         "broken escapes are kept as they came")
    ev = event_of(s, host, "5000 ampersands", path="/p?" + "&" * 5000)
    t.eq("queryStringParameters" in ev, False, "a query of ampersands only has no parameters")
    ev = event_of(s, host, "2000 parameters of one name", path="/p?" + "&".join("a=%d" % i for i in range(2000)))
    t.eq(ev.get("queryStringParameters", {}).get("a", "").count(","), 1999, "2000 values joined")
    ev = event_of(s, host, "a 60 KB header", headers=[("X-Long", "a" * 60000)])
    t.eq(len(ev.get("headers", {}).get("x-long", "")), 60000, "a 60 KB header arrives whole")
    ev = event_of(s, host, "95 headers", headers=[("X-H%d" % i, "v") for i in range(95)])
    t.eq(sum(k.startswith("x-h") for k in ev.get("headers", {})), 95, "95 headers arrive")
    ev = event_of(s, host, "95 repeated headers", headers=[("X-D", "v%d" % i) for i in range(95)])
    t.eq(ev.get("headers", {}).get("x-d", "").split(","), ["v%d" % i for i in range(95)], "repeated headers joined in order")
    ev = event_of(s, host, "3000 cookies", headers=[("Cookie", ";".join("c%d=%d" % (i, i) for i in range(3000)))])
    t.eq(len(ev.get("cookies", [])), 3000, "3000 cookies")
    ev = event_of(s, host, "a Cookie of separators", headers=[("Cookie", ";;; ; ;")])
    t.eq(ev.get("cookies"), [], "a Cookie header of separators only: no cookies")
    ev = event_of(s, host, "a chunked body", method="POST", headers=[("Transfer-Encoding", "chunked"), ("Content-Type", "text/plain")],
                  body=b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
    t.eq((ev.get("body"), ev.get("isBase64Encoded")), ("hello world", False), "a chunked body arrives whole")
    ev = event_of(s, host, "an empty POST", method="POST", headers=[("Content-Length", "0")])
    t.eq(("body" in ev, ev.get("isBase64Encoded")), (False, False), "an empty body: no body member")
    ev = event_of(s, host, "JSON body not UTF-8", method="POST", headers=[("Content-Type", "application/json")], body=b"\xff\xfe")
    t.eq((ev.get("body"), ev.get("isBase64Encoded")), ("//4=", True), "a JSON-typed body that is not UTF-8 goes base64")
    ev = event_of(s, host, "100000 brackets", method="POST", headers=[("Content-Type", "application/json")], body=b"[" * 100000)
    t.eq(len(ev.get("body", "")), 100000, "a deep JSON-looking body is text to the URL")
    ev = event_of(s, host, "an unknown method", method="FOO")
    t.eq(ev.get("requestContext", {}).get("http", {}).get("method"), "FOO", "any method reaches the function")
    st, _, body = raw(s.port, request_bytes(host, method="POST", headers=[("Transfer-Encoding", "chunked")],
                                            body=b"zz\r\nhello\r\n0\r\n\r\n"))
    t.eq(st, 400, "a broken chunked body: 400")
    for what, bad_host in [("an unknown url-id", "a" * 32 + ".lambda-url.us-east-1.localhost"),
                           ("another region", host.split(".")[0] + ".lambda-url.eu-west-1.localhost"),
                           ("no region", host.split(".")[0] + ".lambda-url..localhost"),
                           ("a 100-letter region", host.split(".")[0] + ".lambda-url." + "r" * 100 + ".localhost"),
                           ("the infix alone", ".lambda-url.")]:
        st, h, body = raw(s.port, request_bytes(bad_host))
        t.eq((st, body), (403, b'{"Message":null}'), what + ": 403 as an unknown URL")
    # past Invoke's 6 MB: Invoke's error (was a 502 from the runtime)
    st, h, body = raw(s.port, request_bytes(host, method="POST", headers=[("Content-Type", "text/plain")], body=b"a" * 6_400_000))
    t.eq((st, h.get("x-amzn-errortype"), body),
         (413, ["RequestEntityTooLargeException"],
          b'{"Message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"}'),
         "an event past 6 MB: 413 in Invoke's words")
    ev = event_of(s, host, "5 MB body", method="POST", headers=[("Content-Type", "text/plain")], body=b"a" * 5_000_000)
    t.eq(len(ev.get("body", "")), 5_000_000, "a 5 MB text body arrives whole")
    serving(s, lam, "requests to a URL")


def mapped(s, host, result, **kw):
    return raw(s.port, request_bytes(host, method="POST", headers=[("Content-Type", "application/json")],
                                     body=json.dumps(result).encode(), **kw))


def url_results(s, lam):
    create(lam, "ret", RET)
    host = url_host(lam, "ret")
    create(lam, "prelude", NODE, runtime="nodejs20.x", handler="index.prelude")
    shost = url_host(lam, "prelude", InvokeMode="RESPONSE_STREAM")
    for what, result in [("a CR LF in a header value", {"x-a": "a\r\nInjected: yes"}),
                         ("a CR LF in a header name", {"bad\r\nInjected": "v"}),
                         ("an empty header name", {"": "v"}), ("a space in a header name", {"a b": "v"})]:
        for kind, h in (("buffered", host), ("streamed", shost)):
            st, hs, body = mapped(s, h, {"statusCode": 200, "headers": result, "body": "b"})
            t.eq((st, "injected" in hs, body), (502, False, b"Internal Server Error"), "%s (%s): 502" % (what, kind))
    st, hs, body = mapped(s, host, {"statusCode": 200, "cookies": ["a=1\r\nInjected: 1"], "body": "b"})
    t.eq((st, "injected" in hs), (502, False), "a CR LF in a cookie: 502")
    st, hs, body = mapped(s, host, {"statusCode": 200, "headers": {"x-a": "\u00e9\u4e2d\tok"}, "body": "b"})
    t.eq((st, hs.get("x-a")), (200, ["\u00e9\u4e2d\tok".encode().decode("latin-1")]), "UTF-8 and a tab in a header value pass")
    for code in (101, 100, " 200", "200 ", "1e3", 200.5):
        st, _, _ = mapped(s, host, {"statusCode": code, "body": "b"})
        t.eq(st, 502, "statusCode %r: 502" % (code,))
    st, _, body = mapped(s, host, {"statusCode": "418", "body": "b"})
    t.eq((st, body), (418, b"b"), "statusCode \"418\" is 418")
    # a 204 or 304 sends no body: bytes after its headers would be read as the start of the next response on the
    # connection (by clients that read on from one buffer; http.client starts a new one per response)
    for code in (204, 304):
        for kind, h in (("buffered", host), ("streamed", shost)):
            first = request_bytes(h, "POST", headers=[("Content-Type", "application/json")], close=False,
                                  body=json.dumps({"statusCode": code, "body": "xyz"}).encode())
            second = request_bytes(h, "POST", headers=[("Content-Type", "application/json")],
                                   body=json.dumps({"statusCode": 200, "body": "second"}).encode())
            head, rest = pipelined(s, first + second)  # the second answer follows the first's headers
            t.eq((head[:12], rest[:12]), (b"HTTP/1.1 %d" % code, b"HTTP/1.1 200"),
                 "a %d with a body (%s): the next answer on the connection follows its headers" % (code, kind))
    # a result nested past the JSON writer's 100 levels is written whole (its commas were lost)
    deep = [1, 2]
    for i in range(200):
        deep = [deep, i] if i % 2 else {"k": deep, "j": i}
    for what, result in (("a 200-level result", deep), ("a 200-level body", {"statusCode": 200, "body": deep})):
        st, _, body = mapped(s, host, result)
        try:
            same = json.loads(body) == deep
        except ValueError:
            same = False
        t.eq((st, same), (200, True), what + " comes back as compact JSON, the same value")
    # HEAD: no body, a streamed one neither (h2o leaves out only a whole one)
    for kind, h in (("buffered", host), ("streamed", shost)):
        head, rest = pipelined(s, request_bytes(h, "HEAD", close=False) + request_bytes(
            h, "POST", headers=[("Content-Type", "application/json")], body=b'{"statusCode": 200, "body": "b"}'))
        t.eq((head[:12], rest[:12]), (b"HTTP/1.1 200", b"HTTP/1.1 200"),
             "HEAD (%s): the next answer on the connection follows its headers" % kind)
    # a streaming handler behind a BUFFERED URL (the default InvokeMode): the server read the stream's content type,
    # which only a RESPONSE_STREAM URL records, from a NULL (SIGSEGV)
    lam.create_function(FunctionName="plainstream", Runtime="nodejs20.x", Role=ROLE, Handler="index.plain",
                        Code={"ZipFile": zip_of({"index.mjs": NODE})})
    phost = url_host(lam, "plainstream")
    st, hs, body = raw(s.port, request_bytes(phost))
    t.eq((st, body), (200, b"data"), "a streaming handler behind a BUFFERED URL: its whole stream, buffered")
    st, hs, body = raw(s.port, request_bytes(phost, path="/bin"))
    t.eq((st, body), (200, b"\x00\xff\x00\x01"), "its bytes whole, a NUL among them (they were cut at the first NUL)")
    serving(s, lam, "a streaming handler behind a BUFFERED URL")
    # an HttpResponseStream content type and not a byte: the prelude was read from a NULL (UBSan: null pointer passed
    # as argument 1, the server halted)
    lam.create_function(FunctionName="empty", Runtime="nodejs20.x", Role=ROLE, Handler="index.empty",
                        Code={"ZipFile": zip_of({"index.mjs": NODE})})
    st, hs, body = raw(s.port, request_bytes(url_host(lam, "empty", InvokeMode="RESPONSE_STREAM")))
    t.eq((st, hs.get("content-type"), body), (200, ["application/octet-stream"], b""),
         "a stream of the HTTP integration type that writes nothing: 200, empty")
    serving(s, lam, "an empty HTTP integration stream")
    # a Cors value with a CR LF (the model's ".*" takes it where Java's "." would not): never written as a header
    lam.create_function(FunctionName="cors", Runtime="python3.12", Role=ROLE, Handler="h.handler",
                        Code={"ZipFile": zip_of({"h.py": ECHO})})
    try:
        chost = url_host(lam, "cors", Cors={"AllowOrigins": ["*"], "AllowHeaders": ["a\r\nInjected: 1"]})
        st, hs, _ = raw(s.port, request_bytes(chost, "OPTIONS", headers=[("Origin", "http://o"),
                                                                          ("Access-Control-Request-Method", "GET")]))
        t.eq((st, "injected" in hs, hs.get("access-control-allow-origin")), (200, False, ["*"]),
             "a preflight leaves out a Cors header that cannot be written")
    except ClientError as e:
        t.eq(e.response["Error"]["Code"], "ValidationException", "a Cors header with a CR LF refused")
    st, hs, body = mapped(s, shost, {"statusCode": 101})
    t.eq((st, body), (200, b"body"), "a prelude's 1xx status reads as 200 (as any status it cannot have)")
    serving(s, lam, "results that are not HTTP")


def read_some(port, data, nbytes, reset):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(data)
    got = b""
    while len(got) < nbytes:
        b = s.recv(1 << 16)
        if not b:
            break
        got += b
    if reset:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    return got


def stream_request(fn):
    return ("POST /2021-11-15/functions/%s/response-streaming-invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Length: 2\r\nAuthorization: %s\r\n\r\n{}" % (fn, AUTH)).encode()


def streams(s, lam):
    create(lam, "node", NODE, runtime="nodejs20.x", handler="index.handler")
    host = url_host(lam, "node", InvokeMode="RESPONSE_STREAM")
    for i in range(6):
        got = read_some(s.port, request_bytes(host, close=i % 2 == 0), 2000 * (i + 1), reset=i >= 3)
        t.true(got.startswith(b"HTTP/1.1 200"), "a RESPONSE_STREAM URL answers before its client leaves (%d)" % i)
    for i in range(3):
        read_some(s.port, request_bytes(host), 0, reset=i == 2)
    for i in range(6):
        got = read_some(s.port, stream_request("node"), 500 * (i + 1), reset=i >= 3)
        t.true(got.startswith(b"HTTP/1.1 200"), "InvokeWithResponseStream answers before its client leaves (%d)" % i)
    for i in range(3):
        read_some(s.port, stream_request("node"), 0, reset=i == 2)
    time.sleep(1.5)  # the abandoned streams run to their end
    serving(s, lam, "clients leaving streams")
    r = lam.invoke_with_response_stream(FunctionName="node", Payload=b"{}")
    size, complete = 0, None
    for ev in r["EventStream"]:
        size += len(ev.get("PayloadChunk", {}).get("Payload", b""))
        complete = ev.get("InvokeComplete", complete)
    t.eq((size, complete), (1_500_000, {}), "a whole stream after the abandoned ones")
    st, h, body = raw(s.port, request_bytes(host))
    t.eq((st, len(body)), (200, 1_500_000), "a whole URL stream after the abandoned ones")
    # a runtime's error of bytes that are not UTF-8: InvokeComplete's JSON was not UTF-8 either (UnicodeDecodeError)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o100755 << 16
        z.writestr(info, BOOTSTRAP)
    lam.create_function(FunctionName="custom", Runtime="provided.al2023", Role=ROLE, Handler="x",
                        Code={"ZipFile": buf.getvalue()})
    try:
        events = list(lam.invoke_with_response_stream(FunctionName="custom", Payload=b"{}")["EventStream"])
        details = events[-1].get("InvokeComplete", {}).get("ErrorDetails", "")
        t.true("\ufffd" in details, "an error of bytes that are not UTF-8 reaches boto3 with U+FFFD: %r" % details[:80])
    except Exception as e:
        t.true(False, "an error of bytes that are not UTF-8 reaches boto3: %r" % e)
    # one 80 MB write: what the runtime hands on at once went out as one PayloadChunk of up to 27 MB, past botocore's
    # 24 MB (InvalidPayloadLength ended the stream)
    lam.create_function(FunctionName="big", Runtime="nodejs20.x", Role=ROLE, Handler="index.big", MemorySize=1024,
                        Timeout=60, Code={"ZipFile": zip_of({"index.mjs": NODE})})
    sizes, complete, error = [], None, None
    try:
        for ev in lam.invoke_with_response_stream(FunctionName="big", Payload=b'{"mb": 80}')["EventStream"]:
            sizes.append(len(ev.get("PayloadChunk", {}).get("Payload", b"")))
            complete = ev.get("InvokeComplete", complete)
    except Exception as e:
        error = type(e).__name__
    t.eq((error, sum(sizes), complete), (None, 80 << 20, {}), "an 80 MB write reaches boto3 whole")
    t.true(max(sizes) <= 1 << 20, "in PayloadChunks of at most 1 MB (largest %d)" % max(sizes))


def deletes(s, lam):
    """The function, its alias and its URLs deleted while requests to them run."""
    create(lam, "slow", RET)
    lam.publish_version(FunctionName="slow")
    lam.create_alias(FunctionName="slow", Name="live", FunctionVersion="1")
    latest = url_host(lam, "slow")
    alias = urllib.parse.urlparse(lam.create_function_url_config(FunctionName="slow", Qualifier="live",
                                                                 AuthType="NONE")["FunctionUrl"]).netloc
    answers = []

    def call(h):
        answers.append(raw(s.port, request_bytes(h, method="POST", headers=[("Content-Type", "application/json")],
                                                 body=b'{"sleep": 1.5, "statusCode": 200, "body": "done"}'))[0])
    threads = [threading.Thread(target=call, args=(h,)) for h in (latest, alias, latest, alias)]
    for th in threads:
        th.start()
    time.sleep(0.7)
    lam.delete_alias(FunctionName="slow", Name="live")
    lam.delete_function_url_config(FunctionName="slow")
    lam.delete_function(FunctionName="slow")
    for th in threads:
        th.join(30)
    t.eq(len(answers), 4, "every request running at the deletes is answered")
    t.true(all(a in (200, 502) for a in answers), "with the function's answer or a 502: %r" % answers)
    for what, h in (("the deleted function's URL", latest), ("the deleted alias's URL", alias)):
        st, _, body = raw(s.port, request_bytes(h))
        t.eq((st, body), (403, b'{"Message":null}'), what + ": 403 as an unknown URL")
    serving(s, lam, "deletes during requests")


def configs(s, lam):
    create(lam, "cfg", ECHO)
    lam.publish_version(FunctionName="cfg")
    conn = RawConn(s.port)
    hdrs = {"Content-Type": "application/json", "Authorization": AUTH}
    for n in ("1e30", "9223372036854775808", "2147483648"):
        st, h, body = conn.send("PUT", "/2019-09-30/functions/cfg/provisioned-concurrency?Qualifier=1",
                                b'{"ProvisionedConcurrentExecutions": %s}' % n.encode(), hdrs)
        t.eq((st, h.get("x-amzn-errortype"), json.loads(body).get("message")),
             (400, "InvalidRequestContentException", "Could not parse request body into json: Numeric value (%s) out of "
                                                     "range of int (-2147483648 - 2147483647)" % n),
             "ProvisionedConcurrentExecutions %s: refused as past an int (a configuration of 0 was stored)" % n)
    t.raises(lambda: lam.get_provisioned_concurrency_config(FunctionName="cfg", Qualifier="1"),
             "ProvisionedConcurrencyConfigNotFoundException", "nothing stored by the refused Puts")
    st, h, body = conn.send("PUT", "/2019-09-30/functions/cfg/provisioned-concurrency?Qualifier=1",
                            b'{"ProvisionedConcurrentExecutions": 2.7}', hdrs)
    t.eq((st, json.loads(body).get("RequestedProvisionedConcurrentExecutions")), (202, 2), "2.7 is read as 2 (as Jackson does)")
    lam.delete_provisioned_concurrency_config(FunctionName="cfg", Qualifier="1")
    st, h, body = conn.send("PUT", "/2015-03-31/functions/cfg/configuration", b'{"Timeout": 1e30}', hdrs)
    t.eq((st, json.loads(body).get("message")),
         (400, "Could not parse request body into json: Numeric value (1e30) out of range of int (-2147483648 - 2147483647)"),
         "any Integer member past an int is refused (Timeout 1e30 was taken and ignored)")
    st, h, body = conn.send("PUT", "/2015-03-31/functions/cfg/configuration", b'{"Timeout": 7.9}', hdrs)
    t.eq((st, json.loads(body).get("Timeout")), (200, 7), "Timeout 7.9 is read as 7")
    arn = None
    for _ in range(4):
        arn = lam.create_code_signing_config(AllowedPublishers={"SigningProfileVersionArns": [
            "arn:aws:signer:us-east-1:000000000000:/signing-profiles/p/abcdefghij"]})["CodeSigningConfig"]["CodeSigningConfigArn"]
    lam.put_function_code_signing_config(FunctionName="cfg", CodeSigningConfigArn=arn)
    for path in ("/2020-04-22/code-signing-configs/", "/2020-04-22/code-signing-configs/%s/functions" % urllib.parse.quote(arn, safe="")):
        for marker in ("18446744073709551614", "18446744073709551615"):
            st, h, body = conn.send("GET", path + "?MaxItems=5&Marker=" + marker, b"", hdrs)
            t.eq((st, "NextMarker" in json.loads(body)), (200, False), "%s: a Marker past the end has no NextMarker" % path)
    lam.delete_function_code_signing_config(FunctionName="cfg")
    conn.close()
    serving(s, lam, "numbers and markers")


# ---- wrong JSON types for every member, with names that exist ----

OPS = ["CreateFunctionUrlConfig", "GetFunctionUrlConfig", "UpdateFunctionUrlConfig", "DeleteFunctionUrlConfig",
       "ListFunctionUrlConfigs", "InvokeWithResponseStream", "PublishLayerVersion", "GetLayerVersion", "GetLayerVersionByArn",
       "ListLayers", "ListLayerVersions", "DeleteLayerVersion", "AddLayerVersionPermission", "RemoveLayerVersionPermission",
       "GetLayerVersionPolicy", "PutFunctionEventInvokeConfig", "UpdateFunctionEventInvokeConfig",
       "GetFunctionEventInvokeConfig", "DeleteFunctionEventInvokeConfig", "ListFunctionEventInvokeConfigs",
       "CreateCodeSigningConfig", "GetCodeSigningConfig", "UpdateCodeSigningConfig", "DeleteCodeSigningConfig",
       "ListCodeSigningConfigs", "ListFunctionsByCodeSigningConfig", "PutFunctionCodeSigningConfig",
       "GetFunctionCodeSigningConfig", "DeleteFunctionCodeSigningConfig", "PutProvisionedConcurrencyConfig",
       "GetProvisionedConcurrencyConfig", "DeleteProvisionedConcurrencyConfig", "ListProvisionedConcurrencyConfigs",
       "PutFunctionRecursionConfig", "GetFunctionRecursionConfig", "PutRuntimeManagementConfig", "GetRuntimeManagementConfig"]
WRONG = {"structure": ["not-an-object", [1]], "list": [{"a": 1}, "x"], "map": [[1, 2], "x"], "string": [12345, {"a": 1}],
         "integer": ["12", [1]], "long": ["12", {"a": 1}], "boolean": ["true", 1], "blob": ["!!not base64!!", 5],
         "double": ["1.5"], "float": ["1.5"], "timestamp": ["yesterday"]}


def plausible(shapes, name, real, depth=0):
    s = shapes[name]
    ty = s["type"]
    if ty == "structure":
        return {} if depth > 4 else {m: real.get(m, plausible(shapes, d["shape"], real, depth + 1))
                                     for m, d in s.get("members", {}).items() if m in s.get("required", [])}
    if ty == "list":
        return [] if depth > 4 else [plausible(shapes, s["member"]["shape"], real, depth + 1)]
    if ty == "map":
        return {"k": plausible(shapes, s["value"]["shape"], real, depth + 1)}
    return {"string": s.get("enum", ["x"])[0], "integer": max(1, s.get("min", 1)), "long": max(1, s.get("min", 1)),
            "boolean": False, "blob": base64.b64encode(zip_of({"h.py": ECHO})).decode(), "double": 1.0}.get(ty, "x")


def wrong_types(s, lam):
    create(lam, "w", ECHO)
    lam.publish_version(FunctionName="w")
    lam.create_alias(FunctionName="w", Name="live", FunctionVersion="1")
    lam.publish_layer_version(LayerName="L", Content={"ZipFile": zip_of({"a.txt": "a"})})
    csc = lam.create_code_signing_config(AllowedPublishers={"SigningProfileVersionArns": [
        "arn:aws:signer:us-east-1:000000000000:/signing-profiles/p/abcdefghij"]})["CodeSigningConfig"]["CodeSigningConfigArn"]
    labels = {"FunctionName": "w", "LayerName": "L", "VersionNumber": "1", "CodeSigningConfigArn": urllib.parse.quote(csc, safe=""),
              "Arn": urllib.parse.quote("arn:aws:lambda:us-east-1:000000000000:layer:L:1", safe=""), "StatementId": "s1"}
    real = {"FunctionName": "w", "LayerName": "L", "VersionNumber": 1, "CodeSigningConfigArn": csc, "StatementId": "s1",
            "Principal": "*", "Action": "lambda:GetLayerVersion",
            "Content": {"ZipFile": base64.b64encode(zip_of({"a.txt": "a"})).decode()}}
    model = botocore.loaders.Loader().load_service_model("lambda", "service-2")
    shapes = model["shapes"]
    conn = RawConn(s.port)
    hdrs = {"Content-Type": "application/json", "Authorization": AUTH}
    bad = []
    for op in OPS:
        spec = model["operations"][op]
        input_shape = spec["input"]["shape"]
        members = shapes[input_shape].get("members", {})
        path, _, fixed = spec["http"]["requestUri"].partition("?")
        path = "/".join(labels.get(p.strip("{}+"), "x") if p.startswith("{") else p for p in path.split("/"))
        qualified = "Qualifier" in members
        for q in (["live", "1", "$LATEST", None] if qualified else [None]):
            query = [fixed] if fixed else []
            if q:
                query.append("Qualifier=" + urllib.parse.quote(q))
            url = path + ("?" + "&".join(query) if query else "")
            body_members = {m: d for m, d in members.items() if "location" not in d}
            base = {m: v for m, v in plausible(shapes, input_shape, real).items() if m in body_members}
            cases = [("empty", {}), ("plausible", base), ("all null", {m: None for m in body_members})]
            for m, d in body_members.items():
                for w in WRONG.get(shapes[d["shape"]]["type"], []):
                    cases.append(("%s=%r" % (m, w), dict(base, **{m: w})))
                if shapes[d["shape"]]["type"] == "string":
                    cases.append(("%s 1 MB" % m, dict(base, **{m: "x" * (1 << 20)})))
                    cases.append(("%s not UTF-8" % m, None))
            for label, doc in cases:
                body = json.dumps(doc).encode() if doc is not None else b'{"%s": "\xff\xfe"}' % label.split()[0].encode()
                st, h, data = conn.send(spec["http"]["method"], url, body if spec["http"]["method"] in ("POST", "PUT") else b"",
                                        hdrs)
                ok = st < 500 and (st < 300 or ("x-amzn-errortype" in h and data[:1] in (b"{", b"")))
                if not ok:
                    bad.append("%s q=%s %s: %d %r" % (op, q, label, st, data[:200]))
            for junk in ("MaxItems=-1", "MaxItems=99999999999999999999", "Marker=%zz", "Marker=18446744073709551615",
                         "Qualifier=%ff", "Qualifier=", "CompatibleRuntime=x&CompatibleArchitecture=%00"):
                st, h, data = conn.send(spec["http"]["method"], path + "?" + junk, b"{}", hdrs)
                if not (st < 500 and (st < 300 or "x-amzn-errortype" in h)):
                    bad.append("%s ?%s: %d %r" % (op, junk, st, data[:200]))
        if s.proc.poll() is not None:
            break
    conn.close()
    t.eq(bad[:10], [], "every wrong type, null, 1 MB string and bad query answered below 500 in Lambda's error shape")
    serving(s, lam, "wrong types")


def concurrent(s, lam):
    """Publish/delete of one layer's versions and put/delete of one function's configurations from 6 clients at once."""
    create(lam, "conc", ECHO)
    lam.publish_version(FunctionName="conc")
    zipb = zip_of({"a.txt": "a"})
    published, errors = [], []

    def worker(i):
        c = s.client("lambda")
        for k in range(24):
            op = (i + k) % 8
            try:
                if op == 0:
                    published.append(c.publish_layer_version(LayerName="C", Content={"ZipFile": zipb})["Version"])
                elif op == 1:
                    c.delete_layer_version(LayerName="C", VersionNumber=k % 4 + 1)
                elif op == 2:
                    c.add_layer_version_permission(LayerName="C", VersionNumber=k % 4 + 1, StatementId="s%d" % (k % 2),
                                                   Action="lambda:GetLayerVersion", Principal="*")
                elif op == 3:
                    c.put_function_event_invoke_config(FunctionName="conc", Qualifier="1", MaximumRetryAttempts=1)
                elif op == 4:
                    c.delete_function_event_invoke_config(FunctionName="conc", Qualifier="1")
                elif op == 5:
                    c.put_provisioned_concurrency_config(FunctionName="conc", Qualifier="1", ProvisionedConcurrentExecutions=1)
                elif op == 6:
                    c.delete_provisioned_concurrency_config(FunctionName="conc", Qualifier="1")
                elif k % 2:
                    c.create_function_url_config(FunctionName="conc", AuthType="NONE")
                else:
                    c.delete_function_url_config(FunctionName="conc")
            except ClientError as e:
                if e.response["ResponseMetadata"]["HTTPStatusCode"] >= 500:
                    errors.append(str(e))
            except Exception as e:
                errors.append(repr(e))
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    t.eq(errors[:5], [], "no 5xx and no broken answer from concurrent changes")
    t.eq(sorted(published), list(range(1, len(published) + 1)), "every published version has its own number")
    left = [v["Version"] for v in lam.list_layer_versions(LayerName="C")["LayerVersions"]]
    t.true(set(left) <= set(published) and left == sorted(left, reverse=True), "the versions left are listed newest first")
    serving(s, lam, "concurrent changes")


with Server() as s:
    start = time.monotonic()
    lam = s.client("lambda")
    url_requests(s, lam)
    url_results(s, lam)
    streams(s, lam)
    deletes(s, lam)
    configs(s, lam)
    wrong_types(s, lam)
    concurrent(s, lam)
    elapsed = time.monotonic() - start
    t.true(elapsed < 60, "done in %.1f s" % elapsed)
    print("%.1f s" % elapsed)
t.done()
