"""test_lambda_async_config_boto3.py - asynchronous invocation configuration with boto3 (and one aws CLI call):
Put/Get/Update/Delete/ListFunctionEventInvokeConfigs with Lambda's answers and error texts (recorded against AWS in
LocalStack's tests/aws/services/lambda_/test_lambda_api.snapshot.json, TestLambdaEventInvokeConfig), configurations
per function, version and alias, gone with the version, alias or function and kept over a restart; and what they do
to Event invocations: MaximumRetryAttempts, MaximumEventAgeInSeconds (the server clock is moved, no sleeping) and
the invocation record Lambda sends to an SQS queue or a Lambda function on success and on failure.

Each function appends every event it receives, with its request id, to a file named by its environment; it raises
ValueError(event["fail"]) when the event has "fail" and otherwise returns {"echo": event}."""
import json
import os
import re
import sys
import tempfile
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from botocore.config import Config  # noqa: E402
from harness import Checks, Server, zip_of  # noqa: E402

ROLE = "arn:aws:iam::000000000000:role/lambda-role"
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
CODE = '''
import json, os, time
def handler(event, context):
    with open(os.environ["OUT"], "a") as f:
        f.write(json.dumps({"rid": context.aws_request_id, "event": event}) + "\\n")
    if isinstance(event, dict) and event.get("sleep"):
        time.sleep(event["sleep"])
    if isinstance(event, dict) and event.get("fail"):
        raise ValueError(event["fail"])
    return {"echo": event}
'''
NO_CONFIG = "The function %s doesn't have an EventInvokeConfig"
NO_FUNCTION = "The function doesn't exist."
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def wait_for(pred, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.02)
    return pred()


class Env:
    def __init__(self, s, tmp):
        self.s, self.tmp = s, tmp
        self.lam, self.sqs = s.client("lambda"), s.client("sqs")

    def function(self, name):
        self.lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler", Timeout=5,
                                 Code={"ZipFile": zip_of({"app.py": CODE})},
                                 Environment={"Variables": {"OUT": os.path.join(self.tmp, name)}})

    def runs(self, name):
        """The events the function received, in order."""
        path = os.path.join(self.tmp, name)
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]

    def queue(self, name):
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def records(self, url, n=1):
        """The next n message bodies (JSON) of the queue, waited for."""
        got = []

        def poll():
            for m in self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
                got.append(json.loads(m["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            return len(got) >= n
        wait_for(poll)
        return got

    def invoke_event(self, name, payload, **kw):
        r = self.lam.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps(payload).encode(), **kw)
        return r["ResponseMetadata"]["RequestId"]


def shown(r):
    r = dict(r)
    r.pop("ResponseMetadata", None)
    r.pop("LastModified", None)
    return r


def cfg(arn, retries=None, age=None, ok=None, fail=None):
    """A configuration as Lambda shows it (without LastModified)."""
    out = {"FunctionArn": arn, "DestinationConfig": {"OnSuccess": {"Destination": ok} if ok else {},
                                                     "OnFailure": {"Destination": fail} if fail else {}}}
    if retries is not None:
        out["MaximumRetryAttempts"] = retries
    if age is not None:
        out["MaximumEventAgeInSeconds"] = age
    return out


def crud(t, e):
    lam = e.lam
    e.function("cfg")
    e.function("other")
    lam.publish_version(FunctionName="cfg")
    alias = lam.create_alias(FunctionName="cfg", Name="live", FunctionVersion="1")["AliasArn"]
    latest = ARN + "cfg:$LATEST"

    raw = []
    lam.meta.events.register("after-call.lambda.PutFunctionEventInvokeConfig",
                             lambda http_response, **kw: raw.append(json.loads(http_response.content)))
    before = time.time()
    r = lam.put_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=0)
    t.eq(shown(r), cfg(latest, retries=0), "put: the unqualified function's configuration is $LATEST's")
    t.true(isinstance(raw[0]["LastModified"], (int, float)), "LastModified is a number of seconds on the wire")
    t.true(before - 2 <= raw[0]["LastModified"] <= time.time() + 2, "LastModified is now")
    t.true(isinstance(r["LastModified"], datetime), "boto3 reads LastModified as a timestamp")
    r = lam.put_function_event_invoke_config(FunctionName="cfg", MaximumEventAgeInSeconds=60)
    t.eq(shown(r), cfg(latest, age=60), "put replaces the whole configuration")
    r = lam.update_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=1)
    t.eq(shown(r), cfg(latest, retries=1, age=60), "update merges")
    r = lam.update_function_event_invoke_config(FunctionName="cfg", DestinationConfig={"OnSuccess": {"Destination": ARN + "other"}})
    t.eq(shown(r), cfg(latest, retries=1, age=60, ok=ARN + "other"), "update adds a destination")
    r = lam.update_function_event_invoke_config(FunctionName="cfg", DestinationConfig={"OnFailure": {"Destination": ARN + "other:$LATEST"}})
    t.eq(shown(r), cfg(latest, retries=1, age=60, ok=ARN + "other", fail=ARN + "other:$LATEST"),
         "update of OnFailure keeps OnSuccess")
    t.eq(shown(lam.get_function_event_invoke_config(FunctionName="cfg")), shown(r), "get")
    t.eq(shown(lam.get_function_event_invoke_config(FunctionName="cfg", Qualifier="$LATEST")), shown(r), "get $LATEST")
    t.eq(shown(lam.get_function_event_invoke_config(FunctionName=latest)), shown(r), "get by qualified ARN")
    r = lam.put_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=2, MaximumEventAgeInSeconds=21600,
                                             DestinationConfig={"OnSuccess": {}, "OnFailure": {"Destination": ""}})
    t.eq(shown(r), cfg(latest, retries=2, age=21600), "the maxima; empty destinations are none")

    # versions and aliases, by Qualifier, ARN or name:qualifier
    t.eq(shown(lam.put_function_event_invoke_config(FunctionName="cfg", Qualifier="1", MaximumRetryAttempts=1)),
         cfg(ARN + "cfg:1", retries=1), "put on a version")
    t.eq(shown(lam.put_function_event_invoke_config(FunctionName=alias, MaximumRetryAttempts=0)),
         cfg(alias, retries=0), "put on an alias by its ARN")
    t.eq(shown(lam.put_function_event_invoke_config(FunctionName="cfg:live", Qualifier="live", MaximumRetryAttempts=1)),
         cfg(alias, retries=1), "put on name:alias with the same Qualifier")
    listed = lam.list_function_event_invoke_configs(FunctionName="cfg")
    t.eq([shown(c) for c in listed["FunctionEventInvokeConfigs"]],
         [cfg(latest, retries=2, age=21600), cfg(ARN + "cfg:1", retries=1), cfg(alias, retries=1)], "list")
    t.true("NextMarker" not in listed, "no NextMarker on the last page")
    page = lam.list_function_event_invoke_configs(FunctionName="cfg", MaxItems=2)
    t.eq(len(page["FunctionEventInvokeConfigs"]), 2, "list: MaxItems")
    rest = lam.list_function_event_invoke_configs(FunctionName="cfg", Marker=page["NextMarker"])
    t.eq([c["FunctionArn"] for c in rest["FunctionEventInvokeConfigs"]], [alias], "list: the next page")

    # errors
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="doesnotexist"), "InvalidParameterValueException",
              "You must specify at least one of error handling or destination setting.", "put without settings")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="doesnotexist", MaximumRetryAttempts=1),
              "ResourceNotFoundException", NO_FUNCTION, "put: no such function")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName=ARN + "doesnotexist", MaximumRetryAttempts=1),
              "ResourceNotFoundException", NO_FUNCTION, "put: no such function ARN")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="cfg", Qualifier="livedoesnotexist",
                                                           MaximumRetryAttempts=1),
              "ResourceNotFoundException", NO_FUNCTION, "put: no such alias")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="cfg:1", Qualifier="$LATEST", MaximumRetryAttempts=1),
              "InvalidParameterValueException",
              "The derived qualifier from the function name does not match the specified qualifier.", "qualifier conflict")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="cfg", DestinationConfig={
              "OnSuccess": {"Destination": ARN + "doesnotexist"}}), "InvalidParameterValueException",
              "The destination ARN %sdoesnotexist is invalid." % ARN, "a destination function that does not exist")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="cfg", DestinationConfig={
              "OnSuccess": {"Destination": ARN + "cfg"}}), "InvalidParameterValueException",
              "You can't specify the function as a destination for itself.", "the function as its own destination")
    iam = "arn:aws:iam:us-east-1:000000000000:function:cfg"
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="cfg", DestinationConfig={
              "OnSuccess": {"Destination": iam}}), "InvalidParameterValueException",
              "The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=%s), onFailure=null) is "
              "invalid." % iam, "a destination of another service")
    nv = e.s.client("lambda", config=Config(parameter_validation=False, retries={"max_attempts": 1}))
    t.refuses(lambda: nv.put_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=3), "ValidationException",
              "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must "
              "have value less than or equal to 2", "MaximumRetryAttempts 3")
    t.refuses(lambda: nv.put_function_event_invoke_config(FunctionName="cfg", MaximumEventAgeInSeconds=59),
              "ValidationException", "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to "
              "satisfy constraint: Member must have value greater than or equal to 60", "MaximumEventAgeInSeconds 59")
    bad = nv.put_function_event_invoke_config
    e1 = t.raises(lambda: bad(FunctionName="cfg", DestinationConfig={"OnFailure": {"Destination": "arn:aws:_-/!lambda:x"}}),
                  "ValidationException", "a destination that is no ARN")
    t.true(e1 and e1.response["Error"]["Message"].startswith(
        "1 validation error detected: Value 'arn:aws:_-/!lambda:x' at 'destinationConfig.onFailure.destination' failed "
        "to satisfy constraint: Member must satisfy regular expression pattern: "), "a destination that is no ARN: message")
    t.refuses(lambda: lam.update_function_event_invoke_config(FunctionName="doesnotexist", MaximumRetryAttempts=0),
              "ResourceNotFoundException", NO_FUNCTION, "update: no such function")
    t.refuses(lambda: lam.list_function_event_invoke_configs(FunctionName="doesnotexist"), "ResourceNotFoundException",
              NO_FUNCTION, "list: no such function")
    t.refuses(lambda: lam.get_function_event_invoke_config(FunctionName="doesnotexist"), "ResourceNotFoundException",
              NO_CONFIG % (ARN + "doesnotexist:$LATEST"), "get: no such function")
    t.refuses(lambda: lam.get_function_event_invoke_config(FunctionName="cfg", Qualifier="doesnotexist"),
              "ResourceNotFoundException", NO_CONFIG % (ARN + "cfg:doesnotexist"), "get: no such qualifier")
    t.refuses(lambda: lam.get_function_event_invoke_config(FunctionName="other"), "ResourceNotFoundException",
              NO_CONFIG % (ARN + "other:$LATEST"), "get: no configuration")

    # delete; versions and aliases take theirs with them
    t.eq(lam.delete_function_event_invoke_config(FunctionName="cfg", Qualifier="$LATEST")["ResponseMetadata"]["HTTPStatusCode"],
         204, "delete")
    t.refuses(lambda: lam.delete_function_event_invoke_config(FunctionName="cfg"), "ResourceNotFoundException",
              NO_CONFIG % latest, "delete again")
    t.refuses(lambda: lam.delete_function_event_invoke_config(FunctionName="doesnotexist"), "ResourceNotFoundException",
              NO_CONFIG % (ARN + "doesnotexist:$LATEST"), "delete: no such function")
    t.refuses(lambda: lam.update_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=0),
              "ResourceNotFoundException", NO_CONFIG % latest, "update: no configuration")
    lam.delete_alias(FunctionName="cfg", Name="live")
    lam.create_alias(FunctionName="cfg", Name="live", FunctionVersion="1")
    t.refuses(lambda: lam.get_function_event_invoke_config(FunctionName=alias), "ResourceNotFoundException",
              NO_CONFIG % alias, "a deleted alias's configuration is gone")
    lam.delete_alias(FunctionName="cfg", Name="live")
    lam.delete_function(FunctionName="cfg", Qualifier="1")
    t.eq(lam.list_function_event_invoke_configs(FunctionName="cfg")["FunctionEventInvokeConfigs"], [],
         "a deleted version's configuration is gone")
    lam.put_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=1)
    lam.delete_function(FunctionName="cfg")
    e.function("cfg")
    t.eq(lam.list_function_event_invoke_configs(FunctionName="cfg")["FunctionEventInvokeConfigs"], [],
         "a deleted function's configurations are gone")


def record_check(t, rec, what, rid, arn, condition, count, payload, version="$LATEST", error=None, response=None):
    t.eq(sorted(rec), sorted(["version", "timestamp", "requestContext", "requestPayload"] +
                              (["responseContext", "responsePayload"] if count else [])), what + ": members")
    t.eq(rec["version"], "1.0", what + ": version")
    t.true(TIMESTAMP.match(rec.get("timestamp", "")), what + ": timestamp %r" % rec.get("timestamp"))
    t.eq(rec["requestContext"], {"requestId": rid, "functionArn": arn, "condition": condition, "approximateInvokeCount": count},
         what + ": requestContext")
    t.eq(rec["requestPayload"], payload, what + ": requestPayload")
    if count:
        want = {"statusCode": 200, "executedVersion": version}
        if error:
            want["functionError"] = "Unhandled"
        t.eq(rec["responseContext"], want, what + ": responseContext")
    if error:
        t.eq({k: rec["responsePayload"].get(k) for k in ("errorMessage", "errorType")}, {"errorMessage": error,
             "errorType": "ValueError"}, what + ": responsePayload")
    elif response is not None:
        t.eq(rec["responsePayload"], response, what + ": responsePayload")


def behaviour(t, e):
    lam, s = e.lam, e.s
    fail_url, fail_q = e.queue("failures")
    ok_url, ok_q = e.queue("successes")

    # MaximumRetryAttempts 0: one run, then the record in the OnFailure queue
    e.function("once")
    lam.put_function_event_invoke_config(FunctionName="once", MaximumRetryAttempts=0,
                                         DestinationConfig={"OnFailure": {"Destination": fail_q}})
    payload = {"fail": "boom", "n": 1}
    rid = e.invoke_event("once", payload)
    recs = e.records(fail_url)
    t.eq(len(recs), 1, "one failure record")
    record_check(t, recs[0] if recs else {}, "failure record", rid, ARN + "once:$LATEST", "RetriesExhausted", 1, payload,
                 error="boom")
    s.advance_clock(4 * 60 * 1000)
    time.sleep(0.3)
    t.eq([r["rid"] for r in e.runs("once")], [rid], "MaximumRetryAttempts 0: exactly one invocation")

    # MaximumRetryAttempts 1: a retry a minute later, then the record
    e.function("twice")
    lam.put_function_event_invoke_config(FunctionName="twice", MaximumRetryAttempts=1,
                                         DestinationConfig={"OnFailure": {"Destination": fail_q}})
    rid = e.invoke_event("twice", {"fail": "again"})
    t.eq(len(wait_for(lambda: e.runs("twice"))), 1, "first attempt")
    # the clock moves only once the server has scheduled the retry (a minute from the failure, not from the run)
    t.true(wait_for(lambda: any("invocation %s of twice failed on attempt 1; attempt 2 in 60000 ms" % rid in x
                                for x in list(s.log))), "the retry is scheduled (the server's log)")
    s.advance_clock(60 * 1000)
    recs = e.records(fail_url)
    t.eq(len(e.runs("twice")), 2, "MaximumRetryAttempts 1: two attempts")
    record_check(t, recs[0] if recs else {}, "record after a retry", rid, ARN + "twice:$LATEST", "RetriesExhausted", 2,
                 {"fail": "again"}, error="again")
    s.advance_clock(4 * 60 * 1000)
    time.sleep(0.3)
    t.eq(len(e.runs("twice")), 2, "no third attempt")

    # MaximumEventAgeInSeconds 60: a retry a minute later would find the event too old, so the record comes at once
    # ("lambda doesn't even wait for the full 60s": LocalStack's AWS-validated test_maxeventage)
    e.function("aged")
    lam.put_function_event_invoke_config(FunctionName="aged", MaximumEventAgeInSeconds=60,
                                         DestinationConfig={"OnFailure": {"Destination": fail_q}})
    rid = e.invoke_event("aged", {"fail": "old"})
    t.eq(len(wait_for(lambda: e.runs("aged"))), 1, "aged: first attempt")
    recs = e.records(fail_url)
    record_check(t, recs[0] if recs else {}, "event age record", rid, ARN + "aged:$LATEST", "EventAgeExceeded", 1,
                 {"fail": "old"}, error="old")
    s.advance_clock(4 * 60 * 1000)
    time.sleep(0.3)
    t.eq(len(e.runs("aged")), 1, "an event past its maximum age is not run again")

    # an event that waits in the queue past its maximum age is discarded, never run (the model: Lambda discards an
    # event that "stays in the asynchronous invocation queue for too long")
    e.function("queued")
    lam.put_function_concurrency(FunctionName="queued", ReservedConcurrentExecutions=1)
    lam.put_function_event_invoke_config(FunctionName="queued", MaximumRetryAttempts=0, MaximumEventAgeInSeconds=60,
                                         DestinationConfig={"OnFailure": {"Destination": fail_q}})
    e.invoke_event("queued", {"sleep": 1.5})
    wait_for(lambda: e.runs("queued"))
    rid = e.invoke_event("queued", {"n": "late"})
    s.advance_clock(61 * 1000)
    recs = [r for r in e.records(fail_url, 2) if r["requestContext"]["requestId"] == rid]
    record_check(t, recs[0] if recs else {}, "record of an event that aged in the queue", rid, ARN + "queued:$LATEST",
                 "EventAgeExceeded", 0, {"n": "late"})
    t.eq([r["event"] for r in e.runs("queued")], [{"sleep": 1.5}], "the aged event never ran")

    # at reserved concurrency 0 an event goes at once, unrun and without retries, to the dead-letter queue and the
    # OnFailure destination (the developer guide's "Capturing records" note); the record's condition is awsemu's
    dlq_url, dlq = e.queue("zero-dlq")
    e.function("zero")
    lam.update_function_configuration(FunctionName="zero", DeadLetterConfig={"TargetArn": dlq})
    lam.put_function_concurrency(FunctionName="zero", ReservedConcurrentExecutions=0)
    lam.put_function_event_invoke_config(FunctionName="zero", DestinationConfig={"OnFailure": {"Destination": fail_q}})
    rid = e.invoke_event("zero", {"n": "zero"})
    recs = e.records(fail_url)
    record_check(t, recs[0] if recs else {}, "record of an event at reserved concurrency 0", rid, ARN + "zero:$LATEST",
                 "RetriesExhausted", 0, {"n": "zero"})
    got = wait_for(lambda: e.sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"]).get("Messages"))
    t.eq([(json.loads(m["Body"]), {k: v["StringValue"] for k, v in m["MessageAttributes"].items()}) for m in got or []],
         [({"n": "zero"}, {"RequestID": rid, "ErrorCode": "429"})], "the event in the dead-letter queue, ErrorCode 429")
    t.eq(e.runs("zero"), [], "never run")

    # OnSuccess to SQS, through an alias: its own configuration, its version
    e.function("ok")
    lam.publish_version(FunctionName="ok")
    lam.create_alias(FunctionName="ok", Name="live", FunctionVersion="1")
    lam.put_function_event_invoke_config(FunctionName="ok", Qualifier="live",
                                         DestinationConfig={"OnSuccess": {"Destination": ok_q}})
    rid = e.invoke_event("ok", {"n": 2}, Qualifier="live")
    recs = e.records(ok_url)
    record_check(t, recs[0] if recs else {}, "success record", rid, ARN + "ok:live", "Success", 1, {"n": 2}, version="1",
                 response={"echo": {"n": 2}})
    e.invoke_event("ok", {"n": 3})
    t.eq(len(wait_for(lambda: len(e.runs("ok")) == 2 and e.runs("ok"))), 2, "unqualified invocation ran")
    time.sleep(0.3)
    t.eq(e.records(ok_url, 0), [], "the alias's configuration is not $LATEST's")

    # a Lambda function as the destination: an Event invocation with the record
    e.function("src")
    e.function("sink")
    lam.put_function_event_invoke_config(FunctionName="src", DestinationConfig={
        "OnSuccess": {"Destination": ARN + "sink"}, "OnFailure": {"Destination": ARN + "sink"}}, MaximumRetryAttempts=0)
    rid_ok = e.invoke_event("src", {"n": 4})
    got = wait_for(lambda: e.runs("sink"))
    record_check(t, got[0]["event"] if got else {}, "record to a function", rid_ok, ARN + "src:$LATEST", "Success", 1, {"n": 4},
                 response={"echo": {"n": 4}})
    rid_ko = e.invoke_event("src", {"fail": "to-sink"})
    got = wait_for(lambda: len(e.runs("sink")) == 2 and e.runs("sink"))
    record_check(t, got[1]["event"] if got else {}, "failure record to a function", rid_ko, ARN + "src:$LATEST",
                 "RetriesExhausted", 1, {"fail": "to-sink"}, error="to-sink")

    # SNS and EventBridge destinations are taken but get nothing
    topic = "arn:aws:sns:us-east-1:000000000000:topic"
    e.function("sns")
    r = lam.put_function_event_invoke_config(FunctionName="sns", MaximumRetryAttempts=0, DestinationConfig={
        "OnSuccess": {"Destination": "arn:aws:events:us-east-1:000000000000:event-bus/default"},
        "OnFailure": {"Destination": topic}})
    t.eq(r["DestinationConfig"]["OnFailure"], {"Destination": topic}, "an SNS destination is stored")
    e.invoke_event("sns", {"fail": "x"})
    t.true(wait_for(lambda: any("destination %s is neither an SQS queue nor a Lambda function" % topic in x for x in s.log)),
           "an SNS destination gets nothing (logged)")


def restart(t, e):
    lam, s = e.lam, e.s
    e.function("durable")
    before = lam.put_function_event_invoke_config(FunctionName="durable", MaximumRetryAttempts=1, MaximumEventAgeInSeconds=120,
                                                  DestinationConfig={"OnFailure": {"Destination": ARN + "other"}})
    s.restart(kill=True)
    e.lam = s.client("lambda")
    after = e.lam.get_function_event_invoke_config(FunctionName="durable")
    after.pop("ResponseMetadata")
    before.pop("ResponseMetadata")
    t.eq(after, before, "the configuration survives a restart")


def cli(t, e):
    e.function("clifn")
    _, out, _ = e.s.cli("lambda", "put-function-event-invoke-config", "--function-name", "clifn", "--maximum-retry-attempts", "1",
                        "--destination-config", json.dumps({"OnFailure": {"Destination": ARN + "other"}}))
    out.pop("LastModified", None)
    t.eq(out, cfg(ARN + "clifn:$LATEST", retries=1, fail=ARN + "other"), "aws lambda put-function-event-invoke-config")


def main():
    t = Checks()
    with Server() as s, tempfile.TemporaryDirectory(prefix="eic-") as tmp:
        e = Env(s, tmp)
        crud(t, e)
        behaviour(t, e)
        cli(t, e)
        restart(t, e)
    t.done()


if __name__ == "__main__":
    main()
