"""test_lambda_esm_reference_boto3.py - event source mappings checked against AWS's recorded answers
(LocalStack's validated Lambda snapshots for SQS and DynamoDB Streams):
- FilterCriteria on SQS mappings: echoed by Create and Get, applied to each message with its body read as
  JSON when it is JSON text and as a string otherwise, the messages left out deleted without an invocation;
  invalid patterns refused with 'Invalid filter pattern definition.'; kept across a restart.
- An SQS mapping's members (no LastProcessingResult, which only stream mappings report); a mapping created
  disabled is answered Disabled at once; StartingPosition refused for a queue, and a StartingPositionTimestamp
  without AT_TIMESTAMP refused for a stream; a StartingPosition outside the enum lists it as Lambda does.
- A stream batch whose function returned but reported items that are not in the batch is retried, then
  skipped with an invocation record whose functionError is null; the success answers are not retried.
The function writes each event it receives to a file, so the test sees exactly what Lambda handed over."""
import glob
import json
import os
import shutil
import tempfile
import time

from harness import Checks, Server, zip_of

t = Checks()
ROLE = "arn:aws:iam::000000000000:role/r"
OUT = tempfile.mkdtemp(prefix="esm-ref-")
CODE = """import json, os, time
def handler(event, context):
    path = os.path.join(os.environ["OUT"], "%d.json" % time.time_ns())
    with open(path + ".tmp", "w") as f:
        json.dump(event, f)
    os.replace(path + ".tmp", path)  # whole when the test sees it
    return json.loads(os.environ.get("RESPONSE", "{}"))
"""


def received(n, timeout=10):
    """The events written so far, once there are n of them (or the timeout passed)."""
    deadline = time.time() + timeout
    while len(glob.glob(os.path.join(OUT, "*.json"))) < n and time.time() < deadline:
        time.sleep(0.05)
    return [json.load(open(p)) for p in sorted(glob.glob(os.path.join(OUT, "*.json")))]


def clear():
    for p in glob.glob(os.path.join(OUT, "*.json")):
        os.remove(p)


def queue(sqs, name, **attributes):
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def counts(sqs, url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"])


def wait_empty(sqs, url, timeout=5):
    deadline = time.time() + timeout
    while counts(sqs, url) != (0, 0) and time.time() < deadline:
        time.sleep(0.05)
    return counts(sqs, url)


def wait_state(lam, uuid, state, timeout=5):
    deadline = time.time() + timeout
    while lam.get_event_source_mapping(UUID=uuid)["State"] != state and time.time() < deadline:
        time.sleep(0.05)
    return lam.get_event_source_mapping(UUID=uuid)["State"]


# (pattern, a body that matches, a body that does not), as the recorded SQS filter cases
CASES = [
    ({"body": {"testItem": ["test24"]}}, {"testItem": "test24"}, {"testItem": "tesWER"}),
    ({"body": {"testItem": ["test24", "test45"]}}, {"testItem": "test45"}, {"testItem": "WERTD"}),
    ({"body": {"testItem": ["test24", "test45"], "test2": ["go"]}}, {"testItem": "test45", "test2": "go"},
     {"testItem": "test67", "test2": "go"}),
    ({"body": {"test2": [{"exists": True}]}}, {"test2": "7411"}, {"test5": "74545"}),
    ({"body": {"test2": [{"numeric": [">", 100]}]}}, {"test2": 105}, "this is a test string"),
    ({"body": {"test2": [{"numeric": ["<", 100]}]}}, {"test2": 93}, {"test2": 105}),
    ({"body": {"test2": [{"numeric": [">=", 100, "<", 200]}]}}, {"test2": 105}, {"test2": 200}),
    ({"body": {"test2": [{"prefix": "us-1"}]}}, {"test2": "us-1-48454"}, {"test2": "eu-wert"}),
    ({"body": ["plain text"]}, "plain text", {"body": "plain text"}),  # a string pattern sees only a string body
    # numeric sees numbers only, exists leaves only (LocalStack's AWS-validated test_dynamodb_event_filter cases)
    ({"body": {"test2": [{"numeric": [">", 100]}]}}, {"test2": 105}, {"test2": "105"}),
    ({"body": {"test2": [{"exists": True}]}}, {"test2": "x"}, {"test2": {"S": "x"}}),
]


def text(body):
    return body if isinstance(body, str) else json.dumps(body)


try:
    with Server() as s:
        lam, sqs = s.client("lambda"), s.client("sqs")
        lam.create_function(FunctionName="echo", Runtime="python3.12", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": zip_of({"app.py": CODE})}, Environment={"Variables": {"OUT": OUT}})

        # ---- an SQS mapping's members (test_event_source_mapping_default_batch_size) ----
        url, arn = queue(sqs, "members")
        m = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="echo")
        members = ["BatchSize", "EventSourceArn", "EventSourceMappingArn", "FunctionArn", "FunctionResponseTypes",
                   "LastModified", "MaximumBatchingWindowInSeconds", "State", "StateTransitionReason", "UUID"]
        t.eq(sorted(k for k in m if k != "ResponseMetadata"), members, "create: members")
        t.eq((m["BatchSize"], m["MaximumBatchingWindowInSeconds"], m["FunctionResponseTypes"], m["StateTransitionReason"]),
             (10, 0, [], "USER_INITIATED"), "create: defaults")
        t.eq(sorted(k for k in lam.get_event_source_mapping(UUID=m["UUID"]) if k != "ResponseMetadata"), members,
             "get: members")
        t.eq(sorted(lam.list_event_source_mappings(EventSourceArn=arn)["EventSourceMappings"][0]), members, "list: members")
        time.sleep(0.1)  # Creating settles
        t.refuses(lambda: lam.update_event_source_mapping(UUID=m["UUID"], BatchSize=11), "InvalidParameterValueException",
                  "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
                  "update: BatchSize 11 without a window")
        lam.delete_event_source_mapping(UUID=m["UUID"])

        # ---- created disabled: Disabled at once, then Enabling (test_fifo_message_group_parallelism) ----
        url, arn = queue(sqs, "disabled.fifo", FifoQueue="true")
        m = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="echo", Enabled=False, BatchSize=1)
        t.eq((m["ResponseMetadata"]["HTTPStatusCode"], m["State"], m["StateTransitionReason"]), (202, "Disabled", "USER_INITIATED"),
             "create disabled")
        t.eq(lam.update_event_source_mapping(UUID=m["UUID"], Enabled=True)["State"], "Enabling", "update: enabling")
        t.eq(wait_state(lam, m["UUID"], "Enabled"), "Enabled", "get: enabled")
        lam.delete_event_source_mapping(UUID=m["UUID"])

        # ---- StartingPosition (test_create_starting_position_validation_exceptions) ----
        for pos, extra in (("LATEST", {"StartingPositionTimestamp": time.time()}),
                           ("AT_TIMESTAMP", {"StartingPositionTimestamp": -time.time()}), ("TRIM_HORIZON", {})):
            t.refuses(lambda: lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="echo", StartingPosition=pos,
                                                              **extra),
                      "InvalidParameterValueException", "StartingPosition is not valid for SQS event sources.",
                      "a queue with StartingPosition %s" % pos)
        ddb = s.client("dynamodb")
        stream = ddb.create_table(TableName="table", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                  AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                                  BillingMode="PAY_PER_REQUEST",
                                  StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
                                  )["TableDescription"]["LatestStreamArn"]
        t.refuses(lambda: lam.create_event_source_mapping(EventSourceArn=stream, FunctionName="echo", StartingPosition="LATEST",
                                                          StartingPositionTimestamp=time.time()),
                  "InvalidParameterValueException", "Timestamp only valid with StartingPosition AT_TIMESTAMP",
                  "a stream with LATEST and a timestamp")
        t.refuses(lambda: lam.create_event_source_mapping(EventSourceArn=stream, FunctionName="echo",
                                                          StartingPosition="AT_TIMESTAMP", StartingPositionTimestamp=-time.time()),
                  "InvalidParameterValueException", "Unsupported starting position for arn type: " + stream,
                  "a stream with AT_TIMESTAMP")
        for source in (arn, stream):  # (create_invalid_starting_position_param, in the service's order)
            t.refuses(lambda: lam.create_event_source_mapping(EventSourceArn=source, FunctionName="echo", StartingPosition="0"),
                      "ValidationException", "1 validation error detected: Value '0' at 'startingPosition' failed to satisfy "
                      "constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
                      "StartingPosition outside the enum: %s" % source)
        m = lam.create_event_source_mapping(EventSourceArn=stream, FunctionName="echo", StartingPosition="LATEST")
        t.eq(m["LastProcessingResult"], "No records processed", "a stream mapping reports LastProcessingResult")
        lam.delete_event_source_mapping(UUID=m["UUID"])

        # ---- stream batches and ReportBatchItemFailures (test_dynamodb_report_batch_item_*_scenarios) ----
        def stream_mapping(fn, response, **kw):
            lam.create_function(FunctionName=fn, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                                Code={"ZipFile": zip_of({"app.py": CODE})},
                                Environment={"Variables": {"OUT": OUT, "RESPONSE": json.dumps(response)}})
            arn = ddb.create_table(TableName=fn, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                   AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                                   BillingMode="PAY_PER_REQUEST",
                                   StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
                                   )["TableDescription"]["LatestStreamArn"]
            lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, StartingPosition="TRIM_HORIZON",
                                            FunctionResponseTypes=["ReportBatchItemFailures"], **kw)
            ddb.put_item(TableName=fn, Item={"id": {"S": "hello world"}, "binary_key": {"B": b"foobar"}})
            return arn

        dest_url, dest_arn = queue(sqs, "on-failure")
        for i, response in enumerate([{"batchItemFailures": [{"itemIdentifier": None}]},
                                      {"batchItemFailures": [{"itemIdentifier": ""}]},
                                      {"batchItemFailures": [{"foo": 123}]}]):
            clear()
            arn = stream_mapping("failing-%d" % i, response, BatchSize=3, MaximumRetryAttempts=1,
                                 DestinationConfig={"OnFailure": {"Destination": dest_arn}})
            got = sqs.receive_message(QueueUrl=dest_url, WaitTimeSeconds=10).get("Messages", [])
            t.eq(len(got), 1, "%r: an invocation record" % response)
            if got:
                sqs.delete_message(QueueUrl=dest_url, ReceiptHandle=got[0]["ReceiptHandle"])
                rec = json.loads(got[0]["Body"])
                t.eq(sorted(rec), ["DDBStreamBatchInfo", "requestContext", "responseContext", "timestamp", "version"],
                     "%r: record members" % response)
                t.eq((rec["requestContext"]["condition"], rec["requestContext"]["approximateInvokeCount"],
                      rec["responseContext"], rec["DDBStreamBatchInfo"]["batchSize"], rec["DDBStreamBatchInfo"]["streamArn"]),
                     ("RetryAttemptsExhausted", 2, {"statusCode": 200, "executedVersion": "$LATEST", "functionError": None},
                      1, arn), "%r: the record" % response)
            t.eq(len(received(2, 0)), 2, "%r: invoked twice" % response)
        for i, response in enumerate([[], None, {}, {"batchItemFailures": []}, {"batchItemFailures": None}]):
            clear()
            stream_mapping("succeeding-%d" % i, response, BatchSize=1, MaximumRetryAttempts=2)
            received(1)
            time.sleep(0.3)
            t.eq(len(received(1, 0)), 1, "%r: invoked once" % response)

        # ---- invalid patterns (test_sqs_invalid_event_filter) ----
        url, arn = queue(sqs, "invalid")
        for pattern in ["null", "simple string", json.dumps({"eventSource": "aws:sqs"}), json.dumps({"eventSource": []})]:
            t.refuses(lambda: lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="echo",
                                                              MaximumBatchingWindowInSeconds=1,
                                                              FilterCriteria={"Filters": [{"Pattern": pattern}]}),
                      "InvalidParameterValueException", "Invalid filter pattern definition.", "pattern %s" % pattern)
        t.eq(lam.list_event_source_mappings(EventSourceArn=arn)["EventSourceMappings"], [], "no mapping made")

        # ---- filters applied (test_sqs_event_filter): the match is invoked, the other message deleted ----
        for i, (pattern, match, other) in enumerate(CASES):
            clear()
            url, arn = queue(sqs, "filter-%d" % i)
            sqs.send_message(QueueUrl=url, MessageBody=text(match))
            sqs.send_message(QueueUrl=url, MessageBody=text(other))
            criteria = {"Filters": [{"Pattern": json.dumps(pattern)}]}
            m = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="echo",
                                                MaximumBatchingWindowInSeconds=1, FilterCriteria=criteria)
            t.eq((m["ResponseMetadata"]["HTTPStatusCode"], m["State"], m["FilterCriteria"]), (202, "Creating", criteria),
                 "case %d: create" % i)
            t.eq(lam.get_event_source_mapping(UUID=m["UUID"])["FilterCriteria"], criteria, "case %d: get" % i)
            events = received(1)
            t.eq(wait_empty(sqs, url), (0, 0), "case %d: both messages gone" % i)
            t.eq([[r["body"] for r in e["Records"]] for e in received(1, 0)], [[text(match)]],
                 "case %d: only the match invoked" % i)
            if i == 0:
                r = events[0]["Records"][0]
                t.eq((r["eventSource"], r["eventSourceARN"], r["attributes"]["ApproximateReceiveCount"]),
                     ("aws:sqs", arn, "1"), "record members")
            lam.delete_event_source_mapping(UUID=m["UUID"])

        # ---- Update replaces the filters; an empty FilterCriteria removes them ----
        clear()
        url, arn = queue(sqs, "update")
        m = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="echo", Enabled=False,
                                            FilterCriteria={"Filters": [{"Pattern": json.dumps({"body": {"a": [1]}})}]})
        t.refuses(lambda: lam.update_event_source_mapping(UUID=m["UUID"],
                                                          FilterCriteria={"Filters": [{"Pattern": "simple string"}]}),
                  "InvalidParameterValueException", "Invalid filter pattern definition.", "update with an invalid pattern")
        u = lam.update_event_source_mapping(UUID=m["UUID"], FilterCriteria={})
        t.eq("FilterCriteria" in u, False, "filters removed")
        t.eq("FilterCriteria" in lam.get_event_source_mapping(UUID=m["UUID"]), False, "get without filters")
        lam.delete_event_source_mapping(UUID=m["UUID"])

        # ---- the filters survive a restart ----
        clear()
        url, arn = queue(sqs, "restart")
        criteria = {"Filters": [{"Pattern": json.dumps({"body": {"keep": [True]}})}]}
        m = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="echo", FilterCriteria=criteria)
        s.restart()
        lam, sqs = s.client("lambda"), s.client("sqs")
        t.eq(lam.get_event_source_mapping(UUID=m["UUID"])["FilterCriteria"], criteria, "filters after a restart")
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"keep": False}))
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"keep": True}))
        received(1)
        t.eq(wait_empty(sqs, url), (0, 0), "restart: both messages gone")
        t.eq([[r["body"] for r in e["Records"]] for e in received(1, 0)], [['{"keep": true}']],
             "restart: only the match invoked")
finally:
    shutil.rmtree(OUT, ignore_errors=True)
t.done()
