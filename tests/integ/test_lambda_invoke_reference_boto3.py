"""test_lambda_invoke_reference_boto3.py - Invoke with real execution checked against responses recorded
from real AWS (the AWS-validated snapshots of LocalStack's Lambda behaviour tests), where awsemu answered
differently: the function's request id is the call's x-amzn-RequestId (sync and Event), a timeout answers
{"errorType": "Sandbox.Timedout", "errorMessage": "RequestId: ... Error: Task timed out after N.00 seconds"},
a runtime that exits with status 0 "exited without providing a reason", a result may take 6 MB and 100 bytes,
an Event invoke answers an empty payload and is accepted (then dropped) at reserved concurrency 0, a
RequestResponse invoke beyond a reserved concurrency is throttled at once (the operator guide: "Synchronous
requests arriving in excess of the reserved concurrency limit will fail with a throttling error") while an Event
invoke waits its turn, Invoke's
not-found message names $LATEST, a payload that is not JSON (nor UTF-8) is refused in words boto3 can read,
_X_AMZN_TRACE_ID is a well-formed X-Ray header, and a Node.js context lists its members as Lambda's runtime
does, with the client context as sent."""
import base64
import json
import os
import re
import threading
import time

from botocore.config import Config
from botocore.exceptions import ClientError

from harness import Checks, Server, zip_of

t = Checks()
ROLE = "arn:aws:iam::000000000000:role/r"


def create(lam, name, code, runtime="python3.12", handler="handler.handler", **kw):
    files = {"handler.py" if runtime.startswith("python") else "index.js": code}
    lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler, Code={"ZipFile": zip_of(files)}, **kw)


def invoke(lam, name, payload=b"{}", **kw):
    """(response without Payload, the payload's bytes, the x-amzn-RequestId)."""
    r = lam.invoke(FunctionName=name, Payload=payload, **kw)
    body = r.pop("Payload").read()
    return r, body, r.pop("ResponseMetadata")["RequestId"]


with Server(in_memory=True) as s:
    lam = s.client("lambda", config=Config(retries={"max_attempts": 0}, read_timeout=60))

    # ---- the request id the function sees is the call's ----
    create(lam, "ids", "import os\ndef handler(event, context):\n"
                       "    print(context.aws_request_id)\n"
                       "    return [context.aws_request_id, os.environ['_X_AMZN_TRACE_ID']]\n")
    r, body, rid = invoke(lam, "ids")
    seen, trace = json.loads(body)
    t.eq(seen, rid, "the function's aws_request_id is the response's x-amzn-RequestId")
    t.true(re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0", trace),
           "_X_AMZN_TRACE_ID is an X-Ray header: %s" % trace)
    r, body, rid = invoke(lam, "ids", LogType="Tail")
    t.true(base64.b64decode(r["LogResult"]).decode().startswith("START RequestId: %s Version: $LATEST\n" % rid),
           "the Tail log names the call's request id")

    # ---- Event: 202, no payload; at reserved concurrency 0 accepted, where RequestResponse is throttled ----
    r, body, rid = invoke(lam, "ids", InvocationType="Event")
    t.eq((r["StatusCode"], body), (202, b""), "an Event invoke answers 202 with an empty payload")
    lam.put_function_concurrency(FunctionName="ids", ReservedConcurrentExecutions=0)
    r, body, rid = invoke(lam, "ids", InvocationType="Event")
    t.eq((r["StatusCode"], body), (202, b""), "an Event invoke at reserved concurrency 0 is accepted")
    t.eq(lam.invoke_async(FunctionName="ids", InvokeArgs=b"{}")["Status"], 202, "so is InvokeAsync")
    e = t.refuses(lambda: invoke(lam, "ids"), "TooManyRequestsException", "Rate Exceeded.",
                  "RequestResponse at reserved concurrency 0")
    t.eq(e.response.get("Reason") if e else None, "ReservedFunctionConcurrentInvocationLimitExceeded", "the throttle's Reason")

    # ---- beyond a reserved concurrency above 0, RequestResponse is throttled at once; Event waits its turn ----
    create(lam, "busy", "import time\ndef handler(event, context):\n    time.sleep(event['wait'])\n"
                        "    if event.get('mark'):\n        open(event['mark'], 'w').close()\n    return 'done'\n")
    lam.put_function_concurrency(FunctionName="busy", ReservedConcurrentExecutions=1)
    t.eq(invoke(lam, "busy", b'{"wait": 0}')[1], b'"done"', "warm-up")
    mark = os.path.join(s.data_dir, "event-ran")
    results, barrier = [None] * 3, threading.Barrier(3)

    def sync_call(i):
        barrier.wait()
        try:
            results[i] = ("ok", invoke(lam, "busy", b'{"wait": 1.5}')[1])
        except ClientError as e:
            results[i] = (e.response["Error"]["Code"], e.response["Error"]["Message"], e.response.get("Reason"),
                          e.response["ResponseMetadata"]["HTTPStatusCode"])
    threads = [threading.Thread(target=sync_call, args=(i,)) for i in range(3)]
    started = time.monotonic()
    for th in threads:
        th.start()
    time.sleep(0.3)
    r, body, rid = invoke(lam, "busy", json.dumps({"wait": 0, "mark": mark}).encode(), InvocationType="Event")
    t.eq((r["StatusCode"], body), (202, b""), "an Event invoke while the reserved concurrency is used is accepted")
    time.sleep(0.3)
    t.eq(os.path.exists(mark), False, "the Event invocation waits for the running one")
    for th in threads:
        th.join()
    throttled = ("TooManyRequestsException", "Rate Exceeded.", "ReservedFunctionConcurrentInvocationLimitExceeded", 429)
    t.eq(sorted(results, key=str), sorted([("ok", b'"done"'), throttled, throttled], key=str),
         "3 concurrent RequestResponse invokes at reserved concurrency 1: one runs, two are throttled")
    t.true(time.monotonic() - started < 3, "the throttled calls did not wait for the running one")
    for _ in range(100):
        if os.path.exists(mark):
            break
        time.sleep(0.05)
    t.eq(os.path.exists(mark), True, "the Event invocation runs once the concurrency is free")

    # ---- a function that is not there ----
    t.refuses(lambda: invoke(lam, "doesnotexist"), "ResourceNotFoundException",
              "Function not found: arn:aws:lambda:us-east-1:000000000000:function:doesnotexist:$LATEST",
              "Invoke of a missing function names $LATEST")

    # ---- a payload that is not JSON: refused in a message that is text ----
    create(lam, "echo", "def handler(event, context):\n    return event\n")
    for payload in (b"n\x87r\x9e\xe9\xb5\xd7I\xee\x9bmt", b"\x99\xeb,j\x07\xa1zYh"):
        e = t.raises(lambda: invoke(lam, "echo", payload), "InvalidRequestContentException", "payload %r" % payload)
        t.true(e and e.response["Error"]["Message"].startswith("Could not parse request body into json: Could not parse "
                                                              "payload into json: "), "payload %r: the message" % payload)
        t.eq(e.response.get("Type") if e else None, "User", "payload %r: Type" % payload)

    # ---- runtime exits, timeouts ----
    create(lam, "exits", "import sys\ndef handler(event, context):\n    sys.exit(0)\n")
    r, body, rid = invoke(lam, "exits")
    t.eq((r.get("FunctionError"), json.loads(body)),
         ("Unhandled", {"errorType": "Runtime.ExitError",
                        "errorMessage": "RequestId: %s Error: Runtime exited without providing a reason" % rid}),
         "a handler that exits with status 0")
    create(lam, "exits2", "import sys\ndef handler(event, context):\n    sys.exit(3)\n")
    r, body, rid = invoke(lam, "exits2")
    t.eq(json.loads(body)["errorMessage"], "RequestId: %s Error: Runtime exited with error: exit status 3" % rid,
         "a handler that exits with status 3")
    create(lam, "slow", "import time\ndef handler(event, context):\n    time.sleep(event['wait'])\n", Timeout=1)
    r, body, rid = invoke(lam, "slow", b'{"wait": 3}')
    t.eq((r.get("FunctionError"), json.loads(body)),
         ("Unhandled", {"errorType": "Sandbox.Timedout",
                        "errorMessage": "RequestId: %s Error: Task timed out after 1.00 seconds" % rid}), "a timeout")
    r, body, rid = invoke(lam, "slow", b'{"wait": 0}')
    t.eq((r.get("FunctionError"), body), (None, b"null"), "the next invocation runs")

    # ---- a result of up to 6 MB and 100 bytes ----
    create(lam, "big", "def handler(event, context):\n    return 'a' * event['n']\n")
    r, body, rid = invoke(lam, "big", json.dumps({"n": 6 * 1024 * 1024 + 98}).encode())
    t.eq((r.get("FunctionError"), len(body)), (None, 6 * 1024 * 1024 + 100), "a result of 6 MB and 100 bytes")
    r, body, rid = invoke(lam, "big", json.dumps({"n": 6 * 1024 * 1024 + 99}).encode())
    t.eq((r.get("FunctionError"), json.loads(body)),
         ("Unhandled", {"errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
                        "errorType": "Function.ResponseSizeTooLarge"}), "one byte more")

    # ---- Node.js: the context as JSON.stringify shows it ----
    create(lam, "ctx", "exports.handler = async (event, context) => JSON.stringify(context);\n", runtime="nodejs20.x",
           handler="index.handler")
    sent = {"custom": {"foo": "bar"}, "client": {"snap": ["crackle", "pop"]}, "env": {"fizz": "buzz"}}
    r, body, rid = invoke(lam, "ctx", ClientContext=base64.b64encode(json.dumps(sent).encode()).decode())
    ctx = json.loads(json.loads(body))
    t.eq(list(ctx), ["callbackWaitsForEmptyEventLoop", "functionVersion", "functionName", "memoryLimitInMB", "logGroupName",
                     "logStreamName", "clientContext", "invokedFunctionArn", "awsRequestId"], "the context's members, in order")
    t.eq(json.dumps(ctx["clientContext"]), json.dumps(sent), "the client context as sent, in its order")
    t.eq(ctx["awsRequestId"], rid, "awsRequestId is the call's request id")
    r, body, rid = invoke(lam, "ctx")
    t.eq("clientContext" in json.loads(json.loads(body)), False, "no clientContext without one")
t.done()
