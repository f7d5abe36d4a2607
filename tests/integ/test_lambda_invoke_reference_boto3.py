"""test_lambda_invoke_reference_boto3.py - Invoke with real execution checked against responses recorded
from real AWS (the AWS-validated snapshots of LocalStack's Lambda behaviour tests), where awsemu answered
differently: the function's request id is the call's x-amzn-RequestId (sync and Event), a timeout answers
{"errorMessage": "RequestId: ... Error: Task timed out after N.00 seconds", "errorType": "Sandbox.Timedout"},
a runtime that exits with status 0 "exited without providing a reason", a result may take 6 MB and 100 bytes,
an Event invoke answers an empty payload and is accepted (then sent on unrun) at reserved concurrency 0, a
RequestResponse invoke beyond a reserved concurrency is throttled at once (the operator guide: "Synchronous
requests arriving in excess of the reserved concurrency limit will fail with a throttling error") while an Event
invoke waits its turn, Invoke's
not-found message names $LATEST, a payload that is not JSON (nor UTF-8) is refused in words boto3 can read,
_X_AMZN_TRACE_ID is a well-formed X-Ray header, and a Node.js context lists its members as Lambda's runtime
does, with the client context as sent.

Custom runtimes (provided.al2, provided.al2023) as Lambda runs them, where the wording is that of Lambda's own
Runtime API and init (aws-lambda-runtime-interface-emulator): a bootstrap that is missing, not executable or not
a program is a Runtime.InvalidEntrypoint naming the cause, a runtime that exits a Runtime.ExitError, both
{"errorMessage": "RequestId: <id> Error: ...", "errorType": ...} in that order, with the error, its type and
REPORT's Status and Error Type in the Tail log (an init error's REPORT too); a layer's /opt/bootstrap runs when the function has none;
AWS_EXECUTION_ENV is not set; a second /response or /error for an invocation is a 403 InvalidStateTransition,
and a response over 6 MB and 100 bytes a 413 RequestEntityTooLarge to the runtime and a
Function.ResponseSizeTooLarge to the caller."""
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


def tail_failed(r, rid, why, error_type, what):
    """Checks the Tail log of an invocation whose runtime failed: START, the error and its type, END, and REPORT
    with Status: error and the Error Type."""
    log = base64.b64decode(r["LogResult"]).decode()
    t.true(re.fullmatch(r"(?s)(INIT_REPORT [^\n]*\n)*START RequestId: %s Version: \$LATEST\n.*RequestId: %s Error: %s\n%s\n"
                        r"END RequestId: %s\nREPORT RequestId: %s\tDuration: [0-9.]+ ms\tBilled Duration: [0-9]+ ms\t"
                        r"Memory Size: 128 MB\tMax Memory Used: [0-9]+ MB\t(Init Duration: [0-9.]+ ms\t)?"
                        r"Status: error\tError Type: %s\t?\n"
                        % (rid, rid, re.escape(why), re.escape(error_type), rid, rid, re.escape(error_type)), log),
           "%s: the Tail log: %r" % (what, log))


def invoke(lam, name, payload=b"{}", **kw):
    """(response without Payload, the payload's bytes, the x-amzn-RequestId)."""
    r = lam.invoke(FunctionName=name, Payload=payload, **kw)
    body = r.pop("Payload").read()
    return r, body, r.pop("ResponseMetadata")["RequestId"]


# A custom runtime that posts what each event asks (posts: [[response|error, own request id?, text, repeat]]) and
# keeps the Runtime API's answers (status, body), which the next event with "report" gets as its result.
RUNTIME = r'''#!/usr/bin/env python3
import http.client, json, os
api = http.client.HTTPConnection(os.environ["AWS_LAMBDA_RUNTIME_API"])
def call(method, path, body=None, chunked=False):
    api.request(method, "/2018-06-01/runtime/" + path, iter([body[:1 << 20], body[1 << 20:]]) if chunked else body,
                encode_chunked=chunked)
    r = api.getresponse()
    return r.status, r.read().decode(), r.headers
seen = []
while True:
    _, event, headers = call("GET", "invocation/next")
    rid, event = headers["Lambda-Runtime-Aws-Request-Id"], json.loads(event)
    for kind, own, text, repeat, *chunked in event.get("posts", []):
        path = "invocation/%s/%s" % (rid if own else "0" * 36, kind)
        status, body, _ = call("POST", path, (text * repeat).encode(), bool(chunked))
        seen.append([status, body])
    if event.get("report"):
        call("POST", "invocation/%s/response" % rid, json.dumps(seen))
        seen.clear()
'''

# A shell bootstrap that answers the AWS_EXECUTION_ENV it was given ("unset" without one).
ENV_RUNTIME = r'''#!/bin/sh
API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  ID=$(curl -sS -D - -o /dev/null "$API/invocation/next" | tr -d '\r' | grep -i '^lambda-runtime-aws-request-id:' | cut -d' ' -f2)
  curl -sS -o /dev/null "$API/invocation/$ID/response" -d "\"${AWS_EXECUTION_ENV-unset}\""
done
'''


def custom_runtimes(lam):
    """provided.al2 / provided.al2023 as Lambda runs them (the Runtime API as aws-lambda-runtime-interface-emulator
    answers: rapi/handler/invocationresponse.go, invocationerror.go, rendering/render_error.go)."""
    def bootstrap(name, files, runtime="provided.al2023", **kw):
        lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="x", Code={"ZipFile": zip_of(files)}, **kw)

    # a bootstrap that cannot start: Runtime.InvalidEntrypoint, the cause as Lambda's init gives it
    for name, files, runtime, why in (
            ("no-bootstrap", {"readme.txt": "no bootstrap here"}, "provided.al2023",
             "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"),
            ("not-executable", {"bootstrap": ("#!/bin/sh\nexit 0\n", 0o644)}, "provided.al2",
             "fork/exec /var/task/bootstrap: permission denied"),
            ("not-a-program", {"bootstrap": ("echo no shebang\n", 0o755)}, "provided.al2023",
             "fork/exec /var/task/bootstrap: exec format error")):
        bootstrap(name, files, runtime)
        r, body, rid = invoke(lam, name, LogType="Tail")
        t.eq((r["StatusCode"], r.get("FunctionError"), body),
             (200, "Unhandled", ('{"errorMessage":"RequestId: %s Error: %s","errorType":"Runtime.InvalidEntrypoint"}'
                                 % (rid, why)).encode()), name + ": Runtime.InvalidEntrypoint")
        tail_failed(r, rid, why, "Runtime.InvalidEntrypoint", name)
    bootstrap("exits-at-init", {"bootstrap": ("#!/bin/sh\nexit 1\n", 0o755)})
    r, body, rid = invoke(lam, "exits-at-init", LogType="Tail")
    t.eq((r.get("FunctionError"), body), ("Unhandled", b'{"errorMessage":"RequestId: %s Error: Runtime exited with error: '
                                                       b'exit status 1","errorType":"Runtime.ExitError"}' % rid.encode()),
         "a bootstrap that exits before asking for work")
    tail_failed(r, rid, "Runtime exited with error: exit status 1", "Runtime.ExitError", "a bootstrap that exits at init")

    # AWS_EXECUTION_ENV names a managed runtime only
    bootstrap("exec-env", {"bootstrap": (ENV_RUNTIME, 0o755)})
    t.eq(invoke(lam, "exec-env")[1], b'"unset"', "no AWS_EXECUTION_ENV for a custom runtime")
    layer = lam.publish_layer_version(LayerName="runtime", Content={"ZipFile": zip_of({"bootstrap": (ENV_RUNTIME, 0o755)})})
    bootstrap("layer-runtime", {"readme.txt": "no bootstrap here"}, Layers=[layer["LayerVersionArn"]])
    t.eq(invoke(lam, "layer-runtime")[1], b'"unset"', "without /var/task/bootstrap, a layer's /opt/bootstrap runs")
    create(lam, "exec-env-py", "import os\ndef handler(event, context):\n    return os.environ.get('AWS_EXECUTION_ENV')\n")
    t.eq(invoke(lam, "exec-env-py")[1], b'"AWS_Lambda_python3.12"', "AWS_EXECUTION_ENV of python3.12")

    # the Runtime API: an invocation is answered once (403 after), a result over 6 MB and 100 bytes is a 413
    bootstrap("rt", {"bootstrap": (RUNTIME, 0o755)}, Timeout=30)  # time to post 65 MB on a busy machine
    # one environment: the report must reach the runtime that posted (a second would start while the first is busy)
    lam.put_function_concurrency(FunctionName="rt", ReservedConcurrentExecutions=1)

    def run(posts):
        r, body, rid = invoke(lam, "rt", json.dumps({"posts": posts}).encode())
        report = json.loads(invoke(lam, "rt", b'{"report": true}')[1])
        return r.get("FunctionError"), body, report
    ok = [202, '{"status":"OK"}']
    late = lambda what: [403, '{"errorMessage":"State transition from RuntimeResponseSentState to %s failed for runtime. '  # noqa: E731
                              'Error: State transition is not allowed","errorType":"InvalidStateTransition"}' % what]
    invalid_id = [400, '{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}']
    failure = '{"errorMessage":"first","errorType":"First"}'
    t.eq(run([["response", True, '"a"', 1], ["response", True, '"b"', 1], ["error", True, failure, 1]]),
         (None, b'"a"', [ok, late("InvocationResponse"), late("InvocationErrorResponse")]),
         "a second response or an error after a response: 403 InvalidStateTransition")
    t.eq(run([["response", False, '"x"', 1], ["error", True, failure, 1], ["error", True, failure, 1],
              ["response", True, '"b"', 1]]),
         ("Unhandled", failure.encode(), [invalid_id, ok, late("InvocationErrorResponse"), late("InvocationResponse")]),
         "another invocation's id: 400; after an error, a second one or a response: 403")
    t.eq(run([["response", True, "a", 6 * 1024 * 1024 + 101], ["error", True, failure, 1]]),
         ("Unhandled", b'{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).",'
                       b'"errorType":"Function.ResponseSizeTooLarge"}',
          [[413, '{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}'],
           late("InvocationErrorResponse")]),
         "a response over 6 MB and 100 bytes: 413 to the runtime, Function.ResponseSizeTooLarge to the caller")
    t.eq(run([["response", True, "a", 6 * 1024 * 1024 + 100]])[1:], (b"a" * (6 * 1024 * 1024 + 100), [ok]),
         "a response of 6 MB and 100 bytes")
    too_large = [413, '{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).",'
                      '"errorType":"RequestEntityTooLarge"}']
    for what, post in (("response", ["response", True, "a", 65 << 20]), ("error", ["error", True, "a", 65 << 20]),
                       ("chunked response", ["response", True, "a", 65 << 20, "chunked"])):
        t.eq(run([post, ["response", True, '"b"', 1]]),
             ("Unhandled", b'{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).",'
                           b'"errorType":"Function.ResponseSizeTooLarge"}', [too_large, late("InvocationResponse")]),
             "a %s of 65 MB (past what the Runtime API reads): 413, and the invocation fails at once" % what)


with Server(in_memory=True) as s:
    lam = s.client("lambda", config=Config(retries={"max_attempts": 0}, read_timeout=60))

    # ---- the request id the function sees is the call's ----
    create(lam, "ids", "import os\ndef handler(event, context):\n"
                       "    print(context.aws_request_id)\n"
                       "    return [context.aws_request_id, os.environ['_X_AMZN_TRACE_ID']]\n")
    r, body, rid = invoke(lam, "ids")
    seen, trace = json.loads(body)
    t.eq(seen, rid, "the function's aws_request_id is the response's x-amzn-RequestId")
    t.true(re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=1:[0-9a-f]{8}:0", trace),
           "_X_AMZN_TRACE_ID is an X-Ray header, with the Lineage that counts recursion: %s" % trace)
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
    t.eq((r.get("FunctionError"), body),
         ("Unhandled", b'{"errorMessage":"RequestId: %s Error: Runtime exited without providing a reason",'
                       b'"errorType":"Runtime.ExitError"}' % rid.encode()),
         "a handler that exits with status 0 (errorMessage first)")
    create(lam, "exits2", "import sys\ndef handler(event, context):\n    sys.exit(3)\n")
    r, body, rid = invoke(lam, "exits2", LogType="Tail")
    t.eq(json.loads(body)["errorMessage"], "RequestId: %s Error: Runtime exited with error: exit status 3" % rid,
         "a handler that exits with status 3")
    tail_failed(r, rid, "Runtime exited with error: exit status 3", "Runtime.ExitError", "a handler that exits")
    create(lam, "noimport", "", handler="nothere.handler")
    r, body, rid = invoke(lam, "noimport", LogType="Tail")
    log = base64.b64decode(r["LogResult"]).decode()
    t.true(re.fullmatch(r"(?s)INIT_REPORT Init Duration: [0-9.]+ ms\tPhase: init\tStatus: error\tError Type: "
                        r"Runtime.ImportModuleError\nSTART RequestId: %s Version: \$LATEST\n.*END RequestId: %s\n"
                        r"REPORT RequestId: %s\t[^\n]*\tStatus: error\tError Type: Runtime.ImportModuleError\t?\n"
                        % (rid, rid, rid), log), "an init error's Tail log: %r" % log)
    create(lam, "slow", "import time\ndef handler(event, context):\n    time.sleep(event['wait'])\n", Timeout=1)
    r, body, rid = invoke(lam, "slow", b'{"wait": 3}')
    t.eq((r.get("FunctionError"), body),
         ("Unhandled", b'{"errorMessage":"RequestId: %s Error: Task timed out after 1.00 seconds",'
                       b'"errorType":"Sandbox.Timedout"}' % rid.encode()), "a timeout, errorMessage first")
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

    # ---- output past the pipe's 64 KB, in one invocation: read as it comes (it used to block the function) ----
    create(lam, "loud", "def handler(event, context):\n    for i in range(event['lines']):\n        print('L' * 999)\n"
                        "    if event.get('fail'):\n        raise ValueError('M' * 70000)\n    return 'done'\n", Timeout=10)
    r, body, rid = invoke(lam, "loud", b'{"lines": 300}', LogType="Tail")
    log = base64.b64decode(r["LogResult"]).decode()
    t.eq((body, log.count("L" * 999) >= 3, "END RequestId: " + rid in log), (b'"done"', True, True),
         "300 KB printed in one invocation: the result, and the log's last lines")
    r, body, rid = invoke(lam, "loud", b'{"lines": 1, "fail": true}')
    t.eq((r.get("FunctionError"), json.loads(body).get("errorMessage")), ("Unhandled", "M" * 70000),
         "an exception whose 70 KB message the runtime prints")

    # ---- a message a function sends carries its trace (botocore's recursion-detection header) as AWSTraceHeader ----
    sqs = s.client("sqs")
    url = sqs.create_queue(QueueName="traced")["QueueUrl"]
    create(lam, "tracer", "import boto3, os\ndef handler(event, context):\n"
                          "    boto3.client('sqs').send_message(QueueUrl=event['url'], MessageBody='from a function')\n"
                          "    return os.environ['_X_AMZN_TRACE_ID']\n", Timeout=10)
    r, body, rid = invoke(lam, "tracer", json.dumps({"url": url}).encode())
    got = sqs.receive_message(QueueUrl=url, AttributeNames=["AWSTraceHeader"], WaitTimeSeconds=1).get("Messages", [])
    t.eq([m.get("Attributes", {}).get("AWSTraceHeader") for m in got], [json.loads(body)],
         "the function's _X_AMZN_TRACE_ID is its message's AWSTraceHeader")

    # ---- custom runtimes (provided.*): a bootstrap that cannot start, Lambda's environment, the Runtime API's answers ----
    custom_runtimes(lam)

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
