"""test_lambda_stream_boto3.py - Lambda response streaming with boto3's invoke_with_response_stream (the
Lambda developer guide's "Response streaming for Lambda functions"; the InvokeWithResponseStream API
reference): a Node.js awslambda.streamifyResponse handler's chunks arrive as PayloadChunk events while it
still runs (the first one well before the function ends), then an InvokeComplete event (LogResult with
LogType Tail); the answer's Content-Type is the stream's and X-Amz-Executed-Version the version's; an
error mid-stream ends the stream with InvokeComplete's ErrorCode and ErrorDetails after the chunks sent
before it; a handler that does not stream answers its JSON in one chunk; Invoke of a streaming function
answers the whole stream buffered; DryRun answers 204; a missing function and a throttle are Invoke's
errors. A custom runtime (provided.al2023) streams on the Runtime API wire itself: chunked, with
Lambda-Runtime-Function-Response-Mode: streaming and the error trailers, and an unknown request id refused.
Function URLs with InvokeMode RESPONSE_STREAM, read with http.client: the function's bytes reach the client as
they come, an HttpResponseStream prelude sets the status, headers and cookies, a handler that does not stream is
answered as by a BUFFERED URL, and a failure before the stream starts is a 502."""
import base64
import http.client
import json
import time

from harness import Checks, Server, zip_of

t = Checks()
ROLE = "arn:aws:iam::000000000000:role/r"

NODE = r'''
export const handler = awslambda.streamifyResponse(async (event, stream, context) => {
  stream.setContentType("text/plain");
  for (let i = 0; i < 3; i++) {
    stream.write(`chunk${i}\n`);
    await new Promise((r) => setTimeout(r, event.pause ?? 0));
  }
  if (event.fail) throw new Error("boom");
  stream.end();
});
export const plain = async (event) => ({ plain: event });
export const url = awslambda.streamifyResponse(async (event, stream) => {
  if (event.rawPath === "/fail") throw new Error("no stream");
  if (event.rawPath === "/http") {
    stream = awslambda.HttpResponseStream.from(stream, { statusCode: 201, headers: { "x-a": "b", "content-type": "text/html" },
                                                         cookies: ["c=1", "d=2"] });
  } else stream.setContentType("text/plain");
  stream.write("<p>0</p>");
  await new Promise((r) => setTimeout(r, 800));
  stream.write("<p>1</p>");
  stream.end();
});
export const mapped = async () => ({ statusCode: 202, headers: { "x-m": "1" }, body: "buffered" });
export const big = awslambda.streamifyResponse(async (event, stream) => {
  const mb = Buffer.alloc(1 << 20, 97);
  for (let i = 0; i < event.mb; i++) {
    if (!stream.write(mb)) await new Promise((r) => stream.once("drain", r));
  }
  stream.end();
});
'''

# A custom runtime speaking the Runtime API itself: the event's rows as streamed chunks, an error in the trailers
# when asked; it prints the answers the Runtime API gives it (to the invocation's log; the answer to a stream comes
# after its invocation ended, so it is in the server's log only).
CUSTOM = r'''#!/usr/bin/env python3
import base64, json, os, socket, time
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
def answer(f):
    status = f.readline().split()[1].decode()
    headers = {}
    for line in iter(f.readline, b"\r\n"):
        k, v = line.decode().split(":", 1)
        headers[k.strip().lower()] = v.strip()
    return status, headers, f.read(int(headers.get("content-length", 0)))
s = socket.create_connection((host, int(port)))
f = s.makefile("rb")
def stream(rid, rows, trailers=b"", expect=False):
    s.sendall(b"POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: rt\r\n"
              b"Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n"
              b"Content-Type: text/csv\r\n%s\r\n" % (rid.encode(), b"Expect: 100-continue\r\n" if expect else b""))
    if expect:
        print("continue", f.readline().decode().strip(), f.readline() == b"\r\n", flush=True)
    for row in rows:
        s.sendall(b"%x\r\n%s\r\n" % (len(row), row))
        time.sleep(0.2)  # apart even on a loaded machine: each chunk its own event
    s.sendall(b"0\r\n" + trailers + b"\r\n")
    st, _, body = answer(f)
    print("answer", st, body.decode(), flush=True)
while True:
    s.sendall(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: rt\r\n\r\n")
    _, headers, body = answer(f)
    rid, event = headers["lambda-runtime-aws-request-id"], json.loads(body)
    stream("not-" + rid[4:], [b"x"], expect=True)
    err = b""
    if event.get("fail"):
        doc = json.dumps({"errorType": "Custom.Broken", "errorMessage": "the rows ran out"}).encode()
        err = (b"Lambda-Runtime-Function-Error-Type: Custom.Broken\r\nLambda-Runtime-Function-Error-Body: %s\r\n"
               % base64.b64encode(doc))
    stream(rid, [r.encode() for r in event["rows"]], err)
'''


def events(r):
    """The EventStream's events as (seconds since start, kind, value)."""
    out, t0 = [], time.monotonic()
    for ev in r["EventStream"]:
        for kind, v in ev.items():
            out.append((time.monotonic() - t0, kind, v["Payload"] if kind == "PayloadChunk" else v))
    return out


with Server() as s:
    lam = s.client("lambda")
    lam.create_function(FunctionName="st", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                        Code={"ZipFile": zip_of({"index.mjs": NODE})})
    lam.invoke(FunctionName="st", Payload=b"{}")  # a warm environment: the timings below are the function's

    # ---- chunks as they come ----
    start = time.monotonic()
    r = lam.invoke_with_response_stream(FunctionName="st", Payload=json.dumps({"pause": 700}).encode(), LogType="Tail")
    headers = r["ResponseMetadata"]["HTTPHeaders"]
    t.eq((r["ResponseMetadata"]["HTTPStatusCode"], r["StatusCode"], r["ExecutedVersion"], r["ResponseStreamContentType"]),
         (200, 200, "$LATEST", "text/plain"), "status, version and the stream's content type")
    t.eq((headers["x-amz-executed-version"], headers["content-type"]), ("$LATEST", "text/plain"), "the answer's headers")
    t.true(time.monotonic() - start < 1.5, "the answer's headers come with the stream's start, not its end")
    got = events(r)
    t.eq([(k, v) for _, k, v in got[:3]], [("PayloadChunk", b"chunk0\n"), ("PayloadChunk", b"chunk1\n"),
                                          ("PayloadChunk", b"chunk2\n")], "three chunks, one event each")
    t.eq([k for _, k, _ in got[3:]], ["InvokeComplete"], "then InvokeComplete")
    t.true(got[3][0] - got[0][0] > 1.2, "the first chunk came before the function ended (%.2f s before)" % (got[3][0] - got[0][0]))
    t.true(got[1][0] - got[0][0] > 0.4, "the second chunk came a pause after the first (%.2f s)" % (got[1][0] - got[0][0]))
    complete = got[3][2]
    log = base64.b64decode(complete.pop("LogResult")).decode()
    t.eq(complete, {}, "InvokeComplete of a success: no ErrorCode, no ErrorDetails")
    t.true(log.startswith("START RequestId: ") and "END RequestId: " in log and "REPORT RequestId: " in log,
           "LogResult is the invocation's log tail: " + log)
    # (50 ms between writes: without a pause two writes may reach the server in one read, and one chunk)
    r = lam.invoke_with_response_stream(FunctionName="st", Payload=b'{"pause": 50}')
    t.eq([k for _, k, _ in events(r)], ["PayloadChunk"] * 3 + ["InvokeComplete"], "without LogType")

    # ---- an error mid-stream ----
    r = lam.invoke_with_response_stream(FunctionName="st", Payload=b'{"fail": true, "pause": 50}')
    t.eq([(k, v) for _, k, v in events(r)],
         [("PayloadChunk", b"chunk0\n"), ("PayloadChunk", b"chunk1\n"), ("PayloadChunk", b"chunk2\n"),
          ("InvokeComplete", {"ErrorCode": "Error", "ErrorDetails": "boom"})],
         "an error mid-stream: the chunks before it, then InvokeComplete with the error")
    t.eq(r["StatusCode"], 200, "an error mid-stream: the answer began as a success")

    # ---- a handler that does not stream; Invoke of a streaming one ----
    lam.create_function(FunctionName="plain", Runtime="nodejs20.x", Role=ROLE, Handler="index.plain",
                        Code={"ZipFile": zip_of({"index.mjs": NODE})})
    r = lam.invoke_with_response_stream(FunctionName="plain", Payload=b'{"a": 1}')
    t.eq((r["ResponseStreamContentType"], [(k, v) for _, k, v in events(r)]),
         ("application/json", [("PayloadChunk", b'{"plain":{"a":1}}'), ("InvokeComplete", {})]),
         "a handler that does not stream: its JSON in one chunk")
    r = lam.invoke(FunctionName="st", Payload=b"{}")
    t.eq((r.get("FunctionError"), r["Payload"].read()), (None, b"chunk0\nchunk1\nchunk2\n"),
         "Invoke of a streaming function: the stream, buffered")
    r = lam.invoke(FunctionName="st", Payload=b'{"fail": true}')
    t.eq((r.get("FunctionError"), json.loads(r["Payload"].read())["errorMessage"]), ("Unhandled", "boom"),
         "Invoke of a streaming function that fails: its error")

    # ---- errors before the function runs; DryRun ----
    r = lam.invoke_with_response_stream(FunctionName="st", InvocationType="DryRun", Payload=b"{}")
    t.eq((r["ResponseMetadata"]["HTTPStatusCode"], r["StatusCode"]), (204, 204), "DryRun answers 204")
    t.refuses(lambda: lam.invoke_with_response_stream(FunctionName="nope", Payload=b"{}"), "ResourceNotFoundException",
              "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope:$LATEST", "a missing function")
    t.refuses(lambda: lam.invoke_with_response_stream(FunctionName="st", Payload=b"{"), "InvalidRequestContentException",
              "Could not parse request body into json: Could not parse payload into json: parse error: premature EOF", "a bad payload")
    lam.put_function_concurrency(FunctionName="plain", ReservedConcurrentExecutions=0)
    e = t.refuses(lambda: lam.invoke_with_response_stream(FunctionName="plain", Payload=b"{}"), "TooManyRequestsException",
                  "Rate Exceeded.", "reserved concurrency 0 throttles")
    t.eq(e and e.response.get("Reason"), "ReservedFunctionConcurrentInvocationLimitExceeded", "the throttle's Reason")

    # ---- a custom runtime on the Runtime API wire ----
    lam.create_function(FunctionName="custom", Runtime="provided.al2023", Role=ROLE, Handler="x",
                        Code={"ZipFile": zip_of({"bootstrap": (CUSTOM, 0o755)})})
    r = lam.invoke_with_response_stream(FunctionName="custom", Payload=b'{"rows": ["a,b\\n", "1,2\\n"]}', LogType="Tail")
    got = [(k, v) for _, k, v in events(r)]
    log = base64.b64decode(got[-1][1].pop("LogResult")).decode()
    t.eq((r["ResponseStreamContentType"], got), ("text/csv", [("PayloadChunk", b"a,b\n"), ("PayloadChunk", b"1,2\n"),
                                                              ("InvokeComplete", {})]), "a custom runtime's chunks")
    t.true("continue HTTP/1.1 100 Continue True" in log, "Expect: 100-continue gets its interim answer: " + log)
    t.true('answer 400 {"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}' in log,
           "a stream for an unknown request id is refused: " + log)
    r = lam.invoke_with_response_stream(FunctionName="custom", Payload=b'{"rows": ["a,b\\n"], "fail": true}', LogType="Tail")
    got = [(k, v) for _, k, v in events(r)]
    log = base64.b64decode(got[-1][1].pop("LogResult")).decode()
    deadline = time.time() + 5
    while time.time() < deadline and not any('answer 202 {"status":"OK"}' in x for x in s.log):
        time.sleep(0.05)
    t.true(any('answer 202 {"status":"OK"}' in x for x in s.log), "a stream is accepted once it ends (the server's log)")
    t.eq(got,
         [("PayloadChunk", b"a,b\n"), ("InvokeComplete", {"ErrorCode": "Custom.Broken", "ErrorDetails": "the rows ran out"})],
         "the error trailers end the stream with the error they carry")

    # ---- a stream past 200 MB (the developer guide's limit) ends there with Function.ResponseSizeTooLarge ----
    lam.create_function(FunctionName="big", Runtime="nodejs20.x", Role=ROLE, Handler="index.big", Timeout=60,
                        Code={"ZipFile": zip_of({"index.mjs": NODE})})
    r = lam.invoke_with_response_stream(FunctionName="big", Payload=b'{"mb": 201}')
    size, last = 0, None
    for ev in r["EventStream"]:
        size += len(ev.get("PayloadChunk", {}).get("Payload", b""))
        last = ev.get("InvokeComplete", last)
    t.eq((size, last),
         (200 << 20, {"ErrorCode": "Function.ResponseSizeTooLarge",
                       "ErrorDetails": "Response payload size exceeded maximum allowed payload size (209715200 bytes)."}),
         "201 MB streamed: 200 MB delivered, then the error")

    # ---- function URLs with InvokeMode RESPONSE_STREAM ----
    hosts = {}
    for name, handler in (("url", "index.url"), ("mapped", "index.mapped")):
        lam.create_function(FunctionName=name, Runtime="nodejs20.x", Role=ROLE, Handler=handler,
                            Code={"ZipFile": zip_of({"index.mjs": NODE})})
        u = lam.create_function_url_config(FunctionName=name, AuthType="NONE", InvokeMode="RESPONSE_STREAM")["FunctionUrl"]
        hosts[name] = u.split("/")[2]
    lam.invoke(FunctionName="url", Payload=b"{}")  # warm

    def get(name, path):
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        start = time.monotonic()
        c.request("GET", path, headers={"Host": hosts[name]})
        r = c.getresponse()
        return c, r, start, time.monotonic() - start

    c, r, start, head_s = get("url", "/http")
    first = r.read1(65536)
    first_s = time.monotonic() - start
    rest = r.read()
    end_s = time.monotonic() - start
    t.eq((r.status, r.getheader("x-a"), r.getheader("content-type"), r.msg.get_all("set-cookie")),
         (201, "b", "text/html", ["c=1", "d=2"]), "the prelude's status, headers and cookies")
    t.eq(first + rest, b"<p>0</p><p>1</p>", "the body after the prelude")
    t.eq(first, b"<p>0</p>", "the first chunk read alone")
    t.true(end_s - first_s > 0.5 and end_s - head_s > 0.5,
           "the headers and first chunk came before the function ended (%.2f s, %.2f s, %.2f s)" % (head_s, first_s, end_s))
    c.close()
    c, r, start, head_s = get("url", "/plain")
    t.eq((r.status, r.getheader("content-type"), r.getheader("transfer-encoding"), r.read()),
         (200, "text/plain", "chunked", b"<p>0</p><p>1</p>"), "without a prelude: 200 and the stream's content type, chunked")
    c.close()
    c, r, _, _ = get("url", "/fail")
    t.eq((r.status, r.read()), (502, b"Internal Server Error"), "a failure before the stream starts: 502")
    c.close()
    c, r, _, _ = get("mapped", "/")
    t.eq((r.status, r.getheader("x-m"), r.read()), (202, "1", b"buffered"),
         "a handler that does not stream: mapped as a BUFFERED URL maps it")
    c.close()

t.done()
