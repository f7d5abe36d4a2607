"""test_lambda_sqs_boto3.py - an SQS event source mapping with boto3: mapping state and
shape, the SQS event as Lambda builds it, delete on success, partial batch failure
(ReportBatchItemFailures) leaving the failed message to its redrive policy (DLQ),
disable/enable, and the mapping surviving a restart."""
import hashlib
import io
import json
import os
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server  # noqa: E402

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "lambda")
ROLE = "arn:aws:iam::000000000000:role/lambda-role"


def zip_dir(name):
    buf = io.BytesIO()
    root = os.path.join(FIX, name)
    with zipfile.ZipFile(buf, "w") as z:
        for fn in sorted(os.listdir(root)):
            z.write(os.path.join(root, fn), fn)
    return buf.getvalue()


def events(s):
    """The events the worker printed (small ones: the server log truncates long lines)."""
    out = []
    for line in list(s.log):
        if "] EVENT " in line:
            try:
                out.append(json.loads(line.split("EVENT ", 1)[1]))
            except ValueError:
                pass
    return out


def batches(s, prefix):
    """Record bodies per invocation (request id), from the worker's 'record <id> <body>' lines."""
    by_request = {}
    for line in list(s.log):
        if "] record " in line and line.rstrip().split(" ")[-1].startswith(prefix):
            rid = line.split("[worker ", 1)[1].split("]", 1)[0]
            by_request.setdefault(rid, []).append(line.rstrip().split(" ")[-1])
    return list(by_request.values())


def wait_for(pred, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    return pred()


def main():
    t = Checks()
    with Server() as s:
        lam, sqs = s.client("lambda"), s.client("sqs")
        dlq = sqs.create_queue(QueueName="dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        q = sqs.create_queue(QueueName="jobs", Attributes={
            "VisibilityTimeout": "3",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})})["QueueUrl"]
        q_arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        lam.create_function(FunctionName="worker", Runtime="python3.12", Role=ROLE, Handler="app.batch", Timeout=3,
                            Code={"ZipFile": zip_dir("python")})
        t.raises(lambda: lam.create_event_source_mapping(EventSourceArn=q_arn + "-nope", FunctionName="worker"),
                 "InvalidParameterValueException", "mapping to a missing queue")
        t.raises(lambda: lam.create_event_source_mapping(EventSourceArn=q_arn, FunctionName="nope"),
                 "InvalidParameterValueException", "mapping to a missing function")
        m = lam.create_event_source_mapping(EventSourceArn=q_arn, FunctionName="worker", BatchSize=10,
                                            FunctionResponseTypes=["ReportBatchItemFailures"])
        t.eq(m["ResponseMetadata"]["HTTPStatusCode"], 202, "create mapping status")
        t.eq(m["State"], "Creating", "create mapping state")
        t.eq(len(m["UUID"]), 36, "mapping UUID")
        t.eq(m["FunctionArn"], "arn:aws:lambda:us-east-1:000000000000:function:worker", "mapping function arn")
        t.eq(m["FunctionResponseTypes"], ["ReportBatchItemFailures"], "mapping response types")
        uuid = m["UUID"]
        st = wait_for(lambda: lam.get_event_source_mapping(UUID=uuid)["State"] == "Enabled")
        t.true(st, "mapping becomes Enabled")
        t.eq([x["UUID"] for x in lam.list_event_source_mappings(FunctionName="worker")["EventSourceMappings"]], [uuid],
             "list mappings")

        sqs.send_message(QueueUrl=q, MessageBody="ok1",
                         MessageAttributes={"color": {"DataType": "String", "StringValue": "red"}})
        sqs.send_message(QueueUrl=q, MessageBody="fail")
        sqs.send_message(QueueUrl=q, MessageBody="ok2")
        ok = wait_for(lambda: {r["body"] for e in events(s) for r in e["Records"]} >= {"ok1", "fail", "ok2"})
        t.true(ok, "all three messages delivered to the function")
        recs = [r for e in events(s) for r in e["Records"]]
        r = next(x for x in recs if x["body"] == "ok1")
        t.eq(sorted(r.keys()), sorted(["messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody",
                                       "md5OfMessageAttributes", "eventSource", "eventSourceARN", "awsRegion"]), "record keys")
        t.eq((r["eventSource"], r["eventSourceARN"], r["awsRegion"]), ("aws:sqs", q_arn, "us-east-1"), "record source")
        t.eq(r["messageAttributes"], {"color": {"stringValue": "red", "stringListValues": [], "binaryListValues": [],
                                                "dataType": "String"}}, "record message attributes")
        t.eq(r["attributes"]["ApproximateReceiveCount"], "1", "ApproximateReceiveCount")
        t.true(r["attributes"]["SentTimestamp"].isdigit(), "SentTimestamp")
        t.eq(r["md5OfBody"], hashlib.md5(b"ok1").hexdigest(), "md5OfBody")
        # the failed message comes back after the visibility timeout, then goes to the DLQ (maxReceiveCount 2)
        moved = wait_for(lambda: sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1).get("Messages"), timeout=20)
        t.true(moved and moved[0]["Body"] == "fail", "failed item reaches the dead-letter queue: %r" % moved)
        fails = [x for x in recs + [r for e in events(s) for r in e["Records"]] if x["body"] == "fail"]
        t.true(len({x["attributes"]["ApproximateReceiveCount"] for x in fails}) >= 2, "failed item retried")
        attrs = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["All"])["Attributes"]
        t.eq((attrs["ApproximateNumberOfMessages"], attrs["ApproximateNumberOfMessagesNotVisible"]), ("0", "0"),
             "successful items deleted")

        # disable: messages wait; enable: they flow again
        d = lam.update_event_source_mapping(UUID=uuid, Enabled=False)
        t.eq(d["State"], "Disabling", "disabling")
        wait_for(lambda: lam.get_event_source_mapping(UUID=uuid)["State"] == "Disabled")
        sqs.send_message(QueueUrl=q, MessageBody="later")
        time.sleep(0.5)
        t.true("later" not in {r["body"] for e in events(s) for r in e["Records"]}, "disabled mapping does not poll")
        s.restart()
        lam, sqs = s.client("lambda"), s.client("sqs")
        t.eq(lam.get_event_source_mapping(UUID=uuid)["State"], "Disabled", "mapping survives restart")
        e = lam.update_event_source_mapping(UUID=uuid, Enabled=True, BatchSize=5, ScalingConfig={"MaximumConcurrency": 2})
        t.eq((e["State"], e["BatchSize"], e["ScalingConfig"]), ("Enabling", 5, {"MaximumConcurrency": 2}), "enabling")
        t.true(wait_for(lambda: "later" in {r["body"] for e in events(s) for r in e["Records"]}), "enabled mapping polls again")
        # a batching window collects a batch larger than one receive (BatchSize 25, window 1 s)
        q2 = sqs.create_queue(QueueName="bulk", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
        q2_arn = sqs.get_queue_attributes(QueueUrl=q2, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        t.raises(lambda: lam.create_event_source_mapping(EventSourceArn=q2_arn, FunctionName="worker", BatchSize=25),
                 "InvalidParameterValueException", "batch size above 10 needs a window")
        m2 = lam.create_event_source_mapping(EventSourceArn=q2_arn, FunctionName="worker", BatchSize=25,
                                             MaximumBatchingWindowInSeconds=1)
        wait_for(lambda: lam.get_event_source_mapping(UUID=m2["UUID"])["State"] == "Enabled")
        for i in range(0, 20, 10):
            sqs.send_message_batch(QueueUrl=q2, Entries=[{"Id": str(k), "MessageBody": "bulk%d" % (i + k)} for k in range(10)])
        got = wait_for(lambda: sum(map(len, batches(s, "bulk"))) == 20 and batches(s, "bulk"))
        t.eq(sorted(len(b) for b in got or []), [20], "one batch of 20 after the window")
        lam.delete_event_source_mapping(UUID=m2["UUID"])
        d = lam.delete_event_source_mapping(UUID=uuid)
        t.eq(d["State"], "Deleting", "deleting")
        t.raises(lambda: lam.get_event_source_mapping(UUID=uuid), "ResourceNotFoundException", "mapping deleted")
    t.done()


if __name__ == "__main__":
    main()
