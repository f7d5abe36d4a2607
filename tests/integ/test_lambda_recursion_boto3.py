"""test_lambda_recursion_boto3.py - recursive loop detection, as the developer guide's "Use Lambda recursive loop
detection to prevent infinite loops" describes it: a function that sends each message it gets back to the queue that
invokes it runs about 16 times in that chain of requests (its SDK passes _X_AMZN_TRACE_ID on as X-Amzn-Trace-Id, which
SQS keeps as the message's AWSTraceHeader, Lineage counting the function's invocations); the next message is not handed
to it but left to the queue's redrive policy. With RecursiveLoop Allow the chain goes on. A synchronous Invoke whose
trace header shows the chain at its limit is a RecursiveInvocationException; an Event one goes, unrun, to the
function's dead-letter queue. Functions that are each other's OnSuccess destination stop the same way."""
import json
import re
import time

from harness import Checks, Server, zip_of

t = Checks()
ROLE = "arn:aws:iam::000000000000:role/r"
LOOP = """import boto3, os
def handler(event, context):
    for r in event["Records"]:
        n = int(r["body"])
        print("GOT", n, os.environ["_X_AMZN_TRACE_ID"])
        if n < 30:
            boto3.client("sqs").send_message(QueueUrl=os.environ["QUEUE"], MessageBody=str(n + 1))
"""
TRACE = "import os\ndef handler(event, context):\n    return os.environ['_X_AMZN_TRACE_ID']\n"


def got(s, name):
    """The message numbers the function named got, in order, from its GOT lines."""
    return [int(x.split("GOT ", 1)[1].split()[0]) for x in list(s.log) if "[%s " % name in x and "GOT " in x]


def wait_for(pred, timeout=20):
    """pred's first truthy value (it is called once for each try), or its last."""
    deadline = time.time() + timeout
    while True:
        v = pred()
        if v or time.time() >= deadline:
            return v
        time.sleep(0.1)


def loop(s, lam, sqs, name, allow):
    dlq = sqs.create_queue(QueueName=name + "-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "10", "RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler", Timeout=10,
                        Code={"ZipFile": zip_of({"app.py": LOOP})}, Environment={"Variables": {"QUEUE": url}})
    if allow:
        lam.put_function_recursion_config(FunctionName=name, RecursiveLoop="Allow")
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=name, BatchSize=1)
    sqs.send_message(QueueUrl=url, MessageBody="0")
    return url, dlq


with Server() as s:
    lam, sqs = s.client("lambda"), s.client("sqs")

    # ---- a function that sends to its own queue: 16 invocations, then the message goes to the redrive policy ----
    url, dlq = loop(s, lam, sqs, "loop", allow=False)
    wait_for(lambda: len(got(s, "loop")) >= 16)
    time.sleep(1)  # the 16th sends the 17th message
    dead = None
    for _ in range(3):  # its visibility timeout passes, twice: maxReceiveCount 2
        s.advance_clock(11000)
        dead = dead or wait_for(lambda: sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1).get("Messages"), timeout=3)
    t.eq(got(s, "loop"), list(range(16)), "the chain runs 16 invocations")
    t.eq([m["Body"] for m in dead or []], ["16"], "the 17th message, never handed over, went to the queue's DLQ")
    traces = [x for x in list(s.log) if "[loop " in x and "GOT " in x]
    counts = [int(m.group(1)) for m in (re.search(r"Lineage=1:[0-9a-f]{8}:(\d+)", x) for x in traces) if m]
    t.eq(counts, list(range(16)), "each invocation's _X_AMZN_TRACE_ID counts it in its Lineage")

    # ---- RecursiveLoop Allow: the chain goes on past 16 ----
    loop(s, lam, sqs, "allowed", allow=True)
    t.true(wait_for(lambda: len(got(s, "allowed")) >= 31), "with Allow the chain goes on: %d invocations"
           % len(got(s, "allowed")))

    # ---- Invoke: the caller's trace header counts too ----
    lam.create_function(FunctionName="tr", Runtime="python3.12", Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": zip_of({"app.py": TRACE})})
    own = json.loads(lam.invoke(FunctionName="tr")["Payload"].read())
    m = re.search(r"Lineage=1:([0-9a-f]{8}):0$", own)
    t.true(m is not None, "a first invocation counts 0: %s" % own)
    h = m.group(1) if m else "00000000"

    def with_trace(client, header):
        def add(request, **kw):
            request.headers["X-Amzn-Trace-Id"] = header
        client.meta.events.register("before-sign.lambda.Invoke", add)
        return client
    traced = with_trace(s.client("lambda"), "Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=1:0badf00d:3|1:%s:14" % h)
    t.true(json.loads(traced.invoke(FunctionName="tr")["Payload"].read()).endswith("Lineage=1:%s:15|0badf00d:3" % h),
           "at 14 in the chain the next invocation runs, counting 15 and keeping other functions' entries")
    looped = with_trace(s.client("lambda"), "Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=1:%s:15" % h)
    t.refuses(lambda: looped.invoke(FunctionName="tr"), "RecursiveInvocationException",
              "Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped "
              "your function's invocation.", "at 15 the next synchronous invocation is stopped")
    dl = sqs.create_queue(QueueName="tr-dlq")["QueueUrl"]
    dl_arn = sqs.get_queue_attributes(QueueUrl=dl, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    lam.update_function_configuration(FunctionName="tr", DeadLetterConfig={"TargetArn": dl_arn})
    t.eq(looped.invoke(FunctionName="tr", InvocationType="Event", Payload=b'{"n": 1}')["StatusCode"], 202,
         "an Event invocation is accepted")
    msgs = wait_for(lambda: sqs.receive_message(QueueUrl=dl, WaitTimeSeconds=1).get("Messages"))
    t.eq([x["Body"] for x in msgs or []], ['{"n": 1}'], "and goes, unrun, to the function's dead-letter queue")

    # ---- two functions each other's OnSuccess destination: the chain stops after 16 runs of each ----
    for name in ("ping", "pong"):
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": zip_of({"app.py": "def handler(event, context):\n    print('RAN')\n"
                                                                "    return {}\n"})})
    for name, other in (("ping", "pong"), ("pong", "ping")):
        lam.put_function_event_invoke_config(FunctionName=name, DestinationConfig={
            "OnSuccess": {"Destination": "arn:aws:lambda:us-east-1:000000000000:function:" + other}})
    lam.invoke(FunctionName="ping", InvocationType="Event", Payload=b"{}")

    def runs(name):
        return sum(1 for x in list(s.log) if "[%s " % name in x and "RAN" in x)
    wait_for(lambda: runs("ping") >= 16 and runs("pong") >= 16)
    time.sleep(1)
    t.eq((runs("ping"), runs("pong")), (16, 16), "OnSuccess destinations in a loop: 16 runs of each, then stopped")
t.done()
