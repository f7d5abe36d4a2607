"""test_sqs_boto3.py - SQS over AWS JSON 1.0 with boto3 on python3 (and, imported by
test_sqs_boto3.sys.py, over the query protocol with Debian's boto3 1.26): queues, attributes,
messages and MD5s, visibility, long polling, FIFO, dead-letter queues, move tasks,
permissions and AWS's error codes. Timing uses 1-2 s timeouts."""
import hashlib
import json
import threading
import time

from harness import Checks, Server

ck = Checks()


def err_code(fn):
    from botocore.exceptions import ClientError
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message")
    return None, None


def queues(s, sqs):
    u = sqs.create_queue(QueueName="q1")["QueueUrl"]
    ck.eq(u, s.endpoint + "/000000000000/q1", "queue url from Host")
    ck.eq(sqs.create_queue(QueueName="q1")["QueueUrl"], u, "create is idempotent")
    ck.eq(sqs.create_queue(QueueName="q1", Attributes={"VisibilityTimeout": "30"})["QueueUrl"], u, "same attrs ok")
    ck.raises(lambda: sqs.create_queue(QueueName="q1", Attributes={"VisibilityTimeout": "31"}), "QueueAlreadyExists",
              "different attrs")
    ck.eq(sqs.get_queue_url(QueueName="q1")["QueueUrl"], u, "get url")
    ck.eq(sqs.get_queue_url(QueueName="q1", QueueOwnerAWSAccountId="000000000000")["QueueUrl"], u, "get url owner")
    ck.raises(lambda: sqs.get_queue_url(QueueName="nope"), "AWS.SimpleQueueService.NonExistentQueue", "missing queue")
    ck.raises(lambda: sqs.create_queue(QueueName="bad name"), "InvalidParameterValue", "bad name")
    ck.raises(lambda: sqs.create_queue(QueueName="x.fifo"), "InvalidParameterValue", ".fifo without FifoQueue")
    ck.raises(lambda: sqs.create_queue(QueueName="x", Attributes={"FifoQueue": "true"}), "InvalidParameterValue",
              "FifoQueue without .fifo")
    ck.raises(lambda: sqs.create_queue(QueueName="x", Attributes={"VisibilityTimeout": "43201"}), "InvalidAttributeValue",
              "visibility range")
    ck.raises(lambda: sqs.create_queue(QueueName="x", Attributes={"ContentBasedDeduplication": "true"}),
              "InvalidAttributeName", "fifo attr on standard")
    a = sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["All"])["Attributes"]
    for k, v in {"VisibilityTimeout": "30", "MaximumMessageSize": "1048576", "MessageRetentionPeriod": "345600",
                 "DelaySeconds": "0", "ReceiveMessageWaitTimeSeconds": "0",
                 "QueueArn": "arn:aws:sqs:us-east-1:000000000000:q1", "ApproximateNumberOfMessages": "0",
                 "SqsManagedSseEnabled": "true"}.items():
        ck.eq(a.get(k), v, "default " + k)
    ck.true(abs(int(a["CreatedTimestamp"]) - time.time()) < 100, "CreatedTimestamp in seconds")
    ck.eq(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["DelaySeconds"])["Attributes"], {"DelaySeconds": "0"},
          "one attribute")
    sqs.set_queue_attributes(QueueUrl=u, Attributes={"VisibilityTimeout": "5", "DelaySeconds": "1"})
    a = sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["VisibilityTimeout", "DelaySeconds"])["Attributes"]
    ck.eq(a, {"VisibilityTimeout": "5", "DelaySeconds": "1"}, "set attributes")
    sqs.set_queue_attributes(QueueUrl=u, Attributes={"DelaySeconds": "0"})
    ck.raises(lambda: sqs.set_queue_attributes(QueueUrl=u, Attributes={"QueueArn": "x"}), "InvalidAttributeName",
              "read-only attribute")
    sqs.tag_queue(QueueUrl=u, Tags={"a": "1", "b": "2"})
    sqs.untag_queue(QueueUrl=u, TagKeys=["a"])
    ck.eq(sqs.list_queue_tags(QueueUrl=u).get("Tags"), {"b": "2"}, "tags")
    t = sqs.create_queue(QueueName="tagged", tags={"k": "v"})["QueueUrl"]
    ck.eq(sqs.list_queue_tags(QueueUrl=t)["Tags"], {"k": "v"}, "create with tags")
    # 50 tags a queue: a key it has is overwritten, not added (a retried TagQueue must not fail)
    fifty = {"t%02d" % i: "v" for i in range(49)}
    sqs.tag_queue(QueueUrl=t, Tags=fifty)
    sqs.tag_queue(QueueUrl=t, Tags=dict(fifty, k="v2"))
    ck.eq(len(sqs.list_queue_tags(QueueUrl=t)["Tags"]), 50, "50 tags, the same keys set again")
    ck.eq(err_code(lambda: sqs.tag_queue(QueueUrl=t, Tags={"one-more": "x"})),
          ("InvalidParameterValue", "Too many tags added for queue. Maximum is 50."), "a 51st tag")
    sqs.untag_queue(QueueUrl=t, TagKeys=list(fifty))
    for i in range(3):
        sqs.create_queue(QueueName="page%d" % i)
    r = sqs.list_queues(QueueNamePrefix="page", MaxResults=2)
    ck.eq(len(r["QueueUrls"]), 2, "page 1")
    r2 = sqs.list_queues(QueueNamePrefix="page", MaxResults=2, NextToken=r["NextToken"])
    ck.eq([x.rsplit("/", 1)[1] for x in r2["QueueUrls"]], ["page2"], "page 2")
    ck.true("NextToken" not in r2, "no token at end")
    ck.eq(len(sqs.list_queues()["QueueUrls"]), 5, "list all")
    ck.eq(sqs.list_queues(QueueNamePrefix="zzz").get("QueueUrls"), None, "empty list")
    sqs.delete_queue(QueueUrl=t)
    ck.raises(lambda: sqs.get_queue_url(QueueName="tagged"), "AWS.SimpleQueueService.NonExistentQueue", "deleted")
    return u


def messages(s, sqs, u):
    attrs = {"timestamp": {"StringValue": "1493147359900", "DataType": "Number"},
             "bin": {"BinaryValue": b"\x02\x03\x04", "DataType": "Binary"},
             "s": {"StringValue": "T\u00fcst", "DataType": "String.custom"}}
    r = sqs.send_message(QueueUrl=u, MessageBody="derp", MessageAttributes=attrs,
                         MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String",
                                                                     "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}})
    ck.eq(r["MD5OfMessageBody"], "58fd9edd83341c29f1aebba81c31e257", "body md5")
    ck.true(len(r["MD5OfMessageAttributes"]) == 32, "attr md5")
    ck.true("MD5OfMessageSystemAttributes" in r, "system attr md5")
    m = sqs.receive_message(QueueUrl=u, MessageAttributeNames=["All"], AttributeNames=["All"])["Messages"][0]
    ck.eq(m["Body"], "derp", "body")
    ck.eq(m["MessageId"], r["MessageId"], "id")
    ck.eq(m["MD5OfMessageAttributes"], r["MD5OfMessageAttributes"], "attr md5 on receive")
    ck.eq(m["MessageAttributes"]["bin"]["BinaryValue"], b"\x02\x03\x04", "binary attr")
    ck.eq(m["MessageAttributes"]["s"], {"StringValue": "T\u00fcst", "DataType": "String.custom"}, "custom type")
    ck.eq(m["Attributes"]["ApproximateReceiveCount"], "1", "receive count")
    ck.eq(m["Attributes"]["AWSTraceHeader"], "Root=1-5759e988-bd862e3fe1be46a994272793", "trace header")
    ck.true(int(m["Attributes"]["SentTimestamp"]) > 1e12, "SentTimestamp ms")
    # a filtered attribute list
    sqs.change_message_visibility(QueueUrl=u, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
    m2 = sqs.receive_message(QueueUrl=u, MessageAttributeNames=["time.*", "s"])["Messages"][0]
    ck.eq(sorted(m2["MessageAttributes"]), ["s", "timestamp"], "prefix filter (time.* takes timestamp)")
    ck.true(m2["ReceiptHandle"] != m["ReceiptHandle"], "fresh receipt handle")
    # old receipt: succeeds without deleting; current one deletes
    sqs.delete_message(QueueUrl=u, ReceiptHandle=m["ReceiptHandle"])
    sqs.delete_message(QueueUrl=u, ReceiptHandle=m2["ReceiptHandle"])
    ck.raises(lambda: sqs.delete_message(QueueUrl=u, ReceiptHandle="garbage"), "ReceiptHandleIsInvalid", "bad handle")
    # errors on send
    allowed = "the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]."
    for body, char in (("a\x07b", "#x7"), ("\uffff", "#xFFFF")):
        ck.eq(err_code(lambda: sqs.send_message(QueueUrl=u, MessageBody=body)),
              ("InvalidMessageContents", "Invalid binary character '%s' was found in the message body, %s" % (char, allowed)),
              "a character SQS does not allow, named as AWS names it")
    other = sqs.create_queue(QueueName="empty-entry")["QueueUrl"]
    r = sqs.send_message_batch(QueueUrl=other, Entries=[{"Id": "1", "MessageBody": "fine"}, {"Id": "2", "MessageBody": ""}])
    ck.eq(([x["Id"] for x in r["Successful"]], [(x["Id"], x["Code"], x["SenderFault"]) for x in r["Failed"]]),
          (["1"], [("2", "EmptyValue", True)]), "a batch entry's empty body is EmptyValue")
    ck.eq(err_code(lambda: sqs.tag_queue(QueueUrl=u, Tags={"": "production"})),
          ("InvalidParameterValue", "Tag keys must be between 1 and 128 characters in length."), "an empty tag key")
    # a NUL (JSON's \u0000, the query protocol's %00) too, never stored cut short as "a"
    ck.raises(lambda: sqs.send_message(QueueUrl=u, MessageBody="a\x00b"), "InvalidMessageContents", "a NUL in the body")
    ck.raises(lambda: sqs.send_message(QueueUrl=u, MessageBody="x", DelaySeconds=901), "InvalidParameterValue", "delay")
    ck.raises(lambda: sqs.send_message(QueueUrl=u, MessageBody="x",
                                       MessageAttributes={"AWS.x": {"DataType": "String", "StringValue": "v"}}),
              "InvalidParameterValue", "reserved attr name")
    ck.raises(lambda: sqs.send_message(QueueUrl=u, MessageBody="x",
                                       MessageAttributes={"n": {"DataType": "Number", "StringValue": "abc"}}),
              "InvalidParameterValue", "bad number")
    # Number: 38 significant digits (leading and trailing zeros not counted), 10^-128 to 10^+126, decimal text only
    nq = sqs.create_queue(QueueName="numbers")["QueueUrl"]
    numbers_ok = ["0", "-0.5", "1e126", "1E-128", "-1e-128", "0." + "0" * 40 + "1", "1" + "0" * 60, "9" * 38,
                  "+7", ".5e3", "0e500"]
    for num in numbers_ok:
        sqs.send_message(QueueUrl=nq, MessageBody=num, MessageAttributes={"n": {"DataType": "Number", "StringValue": num}})
    got = {}
    for _ in range(len(numbers_ok)):
        for m in sqs.receive_message(QueueUrl=nq, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get("Messages", []):
            got[m["Body"]] = m["MessageAttributes"]["n"]["StringValue"]
    ck.eq(got, {num: num for num in numbers_ok}, "Numbers in range are accepted and come back as sent")
    for num in ["1.1e126", "2e126", "1e127", "9e-129", "1e-129", "9" * 39, "0x10", " 1", "1 ", "Infinity", "NaN", "1e"]:
        ck.eq(err_code(lambda: sqs.send_message(QueueUrl=nq, MessageBody="x",
                                                MessageAttributes={"n": {"DataType": "Number.int", "StringValue": num}})),
              ("InvalidParameterValue", "Can't cast the value of message (user) attribute 'n' to a number."),
              "Number %s is refused" % num[:20])
    ck.raises(lambda: sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=11), "InvalidParameterValue", "max 10")
    small = sqs.create_queue(QueueName="small", Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]
    ck.raises(lambda: sqs.send_message(QueueUrl=small, MessageBody="x" * 1025), "InvalidParameterValue", "too big")
    big = "y" * 1048576
    ck.eq(sqs.send_message(QueueUrl=u, MessageBody=big)["MD5OfMessageBody"], hashlib.md5(big.encode()).hexdigest(),
          "1 MiB body")
    got = sqs.receive_message(QueueUrl=u)["Messages"][0]
    ck.eq(len(got["Body"]), 1048576, "1 MiB body back")
    sqs.delete_message(QueueUrl=u, ReceiptHandle=got["ReceiptHandle"])
    # batches
    r = sqs.send_message_batch(QueueUrl=u, Entries=[{"Id": "a", "MessageBody": "1"}, {"Id": "b", "MessageBody": "2"},
                                                    {"Id": "c", "MessageBody": "3", "DelaySeconds": 1000}])
    ck.eq(sorted(x["Id"] for x in r["Successful"]), ["a", "b"], "batch ok")
    ck.eq([(x["Id"], x["Code"], x["SenderFault"]) for x in r["Failed"]], [("c", "InvalidParameterValue", True)],
          "batch failed")
    ck.raises(lambda: sqs.send_message_batch(QueueUrl=u, Entries=[]), "AWS.SimpleQueueService.EmptyBatchRequest", "empty")
    ck.raises(lambda: sqs.send_message_batch(QueueUrl=u, Entries=[{"Id": "a", "MessageBody": "1"}] * 2),
              "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "dup ids")
    ck.raises(lambda: sqs.send_message_batch(QueueUrl=u, Entries=[{"Id": str(i), "MessageBody": "1"} for i in range(11)]),
              "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "too many")
    ck.raises(lambda: sqs.send_message_batch(QueueUrl=u, Entries=[{"Id": "a b", "MessageBody": "1"}]),
              "AWS.SimpleQueueService.InvalidBatchEntryId", "bad id")
    ck.raises(lambda: sqs.send_message_batch(QueueUrl=u, Entries=[{"Id": "a", "MessageBody": "x" * 600000},
                                                                 {"Id": "b", "MessageBody": "x" * 600000}]),
              "AWS.SimpleQueueService.BatchRequestTooLong", "batch too long")
    ms = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10, VisibilityTimeout=1)["Messages"]
    ck.eq(sorted(m["Body"] for m in ms), ["1", "2"], "receive batch")
    a = sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["All"])["Attributes"]
    ck.eq((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"]), ("0", "2"), "in flight counts")
    time.sleep(1.2)
    ms2 = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10, AttributeNames=["ApproximateReceiveCount"])["Messages"]
    ck.eq(sorted(m["Attributes"]["ApproximateReceiveCount"] for m in ms2), ["2", "2"], "visible again after timeout")
    r = sqs.change_message_visibility_batch(QueueUrl=u, Entries=[
        {"Id": "x", "ReceiptHandle": ms2[0]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "y", "ReceiptHandle": ms[0]["ReceiptHandle"], "VisibilityTimeout": 10}])
    ck.eq([x["Id"] for x in r["Successful"]], ["x"], "cmv batch ok")
    ck.eq([x["Id"] for x in r["Failed"]], ["y"], "cmv batch stale handle fails")
    r = sqs.delete_message_batch(QueueUrl=u, Entries=[{"Id": "p", "ReceiptHandle": ms2[1]["ReceiptHandle"]},
                                                      {"Id": "q", "ReceiptHandle": "bogus"}])
    ck.eq([x["Id"] for x in r["Successful"]], ["p"], "delete batch ok")
    ck.eq([(x["Id"], x["Code"]) for x in r["Failed"]], [("q", "ReceiptHandleIsInvalid")], "delete batch bad")
    sqs.purge_queue(QueueUrl=u)
    ck.raises(lambda: sqs.purge_queue(QueueUrl=u), "AWS.SimpleQueueService.PurgeQueueInProgress", "purge twice")
    ck.eq(sqs.receive_message(QueueUrl=u).get("Messages"), None, "purged")


def trace_http_header(s, sqs):
    """X-Amzn-Trace-Id on a SendMessage or SendMessageBatch is every message's AWSTraceHeader; the system
    attribute overrides it (the X-Ray developer guide, "Amazon SQS and AWS X-Ray")."""
    u = sqs.create_queue(QueueName="traced")["QueueUrl"]
    traced = s.client("sqs")

    def add(request, **kw):
        request.headers["X-Amzn-Trace-Id"] = "Root=1-67891233-abcdef012345678912345678;Sampled=1"
    traced.meta.events.register("before-sign.sqs.SendMessage", add)
    traced.meta.events.register("before-sign.sqs.SendMessageBatch", add)
    traced.send_message(QueueUrl=u, MessageBody="a")
    traced.send_message(QueueUrl=u, MessageBody="b", MessageSystemAttributes={
        "AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}})
    traced.send_message_batch(QueueUrl=u, Entries=[{"Id": "1", "MessageBody": "c"}, {"Id": "2", "MessageBody": "d"}])
    sqs.send_message(QueueUrl=u, MessageBody="e")
    got = {}
    for _ in range(10):
        for m in sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10, AttributeNames=["AWSTraceHeader"]).get("Messages", []):
            got[m["Body"]] = m.get("Attributes", {}).get("AWSTraceHeader")
            sqs.delete_message(QueueUrl=u, ReceiptHandle=m["ReceiptHandle"])
        if len(got) == 5:
            break
    header = "Root=1-67891233-abcdef012345678912345678;Sampled=1"
    ck.eq(got, {"a": header, "b": "Root=1-5759e988-bd862e3fe1be46a994272793", "c": header, "d": header, "e": None},
          "X-Amzn-Trace-Id as each message's AWSTraceHeader, the system attribute first")
    sqs.delete_queue(QueueUrl=u)


def long_polling(s, sqs):
    u = sqs.create_queue(QueueName="lp")["QueueUrl"]
    t = time.time()
    ck.eq(sqs.receive_message(QueueUrl=u, WaitTimeSeconds=1).get("Messages"), None, "empty long poll")
    ck.true(0.9 < time.time() - t < 1.8, "waited about 1 s")
    # a parked receive is answered as soon as a message is sent
    box = {}

    def recv():
        t0 = time.time()
        box["r"] = s.client("sqs").receive_message(QueueUrl=u, WaitTimeSeconds=10)
        box["t"] = time.time() - t0
    th = threading.Thread(target=recv)
    th.start()
    time.sleep(0.3)
    sqs.send_message(QueueUrl=u, MessageBody="wake")
    th.join(5)
    ck.eq(box["r"]["Messages"][0]["Body"], "wake", "woken by send")
    ck.true(box["t"] < 1.0, "woken at once (%.3f s)" % box["t"])
    # woken when a delayed message becomes visible
    sqs.send_message(QueueUrl=u, MessageBody="later", DelaySeconds=1)
    ck.eq(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["ApproximateNumberOfMessagesDelayed"])["Attributes"],
          {"ApproximateNumberOfMessagesDelayed": "1"}, "delayed count")
    t = time.time()
    r = sqs.receive_message(QueueUrl=u, WaitTimeSeconds=5)
    ck.eq(r["Messages"][0]["Body"], "later", "delayed message")
    ck.true(0.8 < time.time() - t < 1.6, "delivered when the delay ends")
    # woken when a visibility timeout ends
    sqs.change_message_visibility(QueueUrl=u, ReceiptHandle=r["Messages"][0]["ReceiptHandle"], VisibilityTimeout=1)
    t = time.time()
    r = sqs.receive_message(QueueUrl=u, WaitTimeSeconds=5, AttributeNames=["ApproximateReceiveCount"])
    ck.eq(r["Messages"][0]["Attributes"]["ApproximateReceiveCount"], "2", "redelivered after visibility timeout")
    ck.true(time.time() - t < 1.6, "woken by the visibility timer")
    # a client that hangs up while parked gets nothing: the next message goes to a live receiver
    from botocore.config import Config
    impatient = s.client("sqs", config=Config(retries={"max_attempts": 1}, read_timeout=0.5))
    try:
        impatient.receive_message(QueueUrl=u, WaitTimeSeconds=5)
        ck.true(False, "impatient client should time out")
    except Exception:
        pass
    time.sleep(0.1)
    sqs.send_message(QueueUrl=u, MessageBody="for the living")
    r = sqs.receive_message(QueueUrl=u, WaitTimeSeconds=1)
    ck.eq([m["Body"] for m in r.get("Messages", [])], ["for the living"], "hung-up receiver dropped")
    # queue default wait
    u2 = sqs.create_queue(QueueName="lp2", Attributes={"ReceiveMessageWaitTimeSeconds": "1"})["QueueUrl"]
    t = time.time()
    sqs.receive_message(QueueUrl=u2)
    ck.true(time.time() - t > 0.9, "queue ReceiveMessageWaitTimeSeconds")


def fifo(s, sqs):
    ck.raises(lambda: sqs.create_queue(QueueName="f.fifo", Attributes={"FifoQueue": "true", "FifoThroughputLimit":
                                                                       "perMessageGroupId"}),
              "InvalidAttributeValue", "throughput needs group scope")
    u = sqs.create_queue(QueueName="f.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    a = sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["All"])["Attributes"]
    ck.eq((a["FifoQueue"], a["ContentBasedDeduplication"], a["DeduplicationScope"], a["FifoThroughputLimit"]),
          ("true", "false", "queue", "perQueue"), "fifo defaults")
    ck.raises(lambda: sqs.send_message(QueueUrl=u, MessageBody="x", MessageDeduplicationId="d"), "MissingParameter",
              "group required")
    ck.raises(lambda: sqs.send_message(QueueUrl=u, MessageBody="x", MessageGroupId="g"), "InvalidParameterValue",
              "dedup required")
    good = {"Id": "b", "MessageBody": "y", "MessageGroupId": "g", "MessageDeduplicationId": "b2"}
    for entry, code in (({"Id": "a", "MessageBody": "x", "MessageDeduplicationId": "b1"}, "InvalidParameterValue"),
                        ({"Id": "a", "MessageBody": "x", "MessageGroupId": "g"}, "InvalidParameterValue")):
        ck.raises(lambda: sqs.send_message_batch(QueueUrl=u, Entries=[entry, good]), code,
                  "a batch entry without group or deduplication id fails the whole request: " + code)
    ck.eq(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"],
          {"ApproximateNumberOfMessages": "0"}, "nothing of those batches was sent")
    r1 = sqs.send_message(QueueUrl=u, MessageBody="a1", MessageGroupId="a", MessageDeduplicationId="1")
    r1b = sqs.send_message(QueueUrl=u, MessageBody="a1", MessageGroupId="a", MessageDeduplicationId="1")
    ck.eq(r1b["MessageId"], r1["MessageId"], "duplicate returns original id")
    ck.eq(len(r1["SequenceNumber"]), 20, "sequence number")
    sqs.send_message(QueueUrl=u, MessageBody="a2", MessageGroupId="a", MessageDeduplicationId="2")
    sqs.send_message(QueueUrl=u, MessageBody="b1", MessageGroupId="b", MessageDeduplicationId="3")
    m = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=1, AttributeNames=["All"])["Messages"]
    ck.eq([x["Body"] for x in m], ["a1"], "first in order")
    ck.eq(m[0]["Attributes"]["MessageGroupId"], "a", "group attr")
    ck.eq(m[0]["Attributes"]["MessageDeduplicationId"], "1", "dedup attr")
    m2 = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10)["Messages"]
    ck.eq([x["Body"] for x in m2], ["b1"], "group a locked while a1 in flight")
    sqs.delete_message(QueueUrl=u, ReceiptHandle=m[0]["ReceiptHandle"])
    m3 = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10)["Messages"]
    ck.eq([x["Body"] for x in m3], ["a2"], "next in group after delete")
    sqs.send_message(QueueUrl=u, MessageBody="r1", MessageGroupId="r", MessageDeduplicationId="r1")
    first = sqs.receive_message(QueueUrl=u, ReceiveRequestAttemptId="try-1")["Messages"]
    again = sqs.receive_message(QueueUrl=u, ReceiveRequestAttemptId="try-1")["Messages"]
    ck.eq([(m["Body"], m["ReceiptHandle"]) for m in again], [(m["Body"], m["ReceiptHandle"]) for m in first],
          "ReceiveRequestAttemptId replays the same receive")
    c = sqs.create_queue(QueueName="c.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    x1 = sqs.send_message(QueueUrl=c, MessageBody="same", MessageGroupId="g")
    x2 = sqs.send_message(QueueUrl=c, MessageBody="same", MessageGroupId="g")
    ck.eq(x1["MessageId"], x2["MessageId"], "content dedup")
    m = sqs.receive_message(QueueUrl=c, AttributeNames=["MessageDeduplicationId"])["Messages"]
    ck.eq(m[0]["Attributes"]["MessageDeduplicationId"], hashlib.sha256(b"same").hexdigest(), "content dedup id")
    ck.raises(lambda: sqs.send_message(QueueUrl=c, MessageBody="x", MessageGroupId="g", DelaySeconds=5),
              "InvalidParameterValue", "no per-message delay on fifo")


def dlq(s, sqs):
    d = sqs.create_queue(QueueName="dead")["QueueUrl"]
    darn = sqs.get_queue_attributes(QueueUrl=d, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    ck.raises(lambda: sqs.create_queue(QueueName="src", Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": darn + "x", "maxReceiveCount": 2})}), "InvalidParameterValue", "missing dlq")
    src = sqs.create_queue(QueueName="src", Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": darn, "maxReceiveCount": "2"}), "VisibilityTimeout": "0"})["QueueUrl"]
    rp = json.loads(sqs.get_queue_attributes(QueueUrl=src, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"])
    ck.eq(rp, {"deadLetterTargetArn": darn, "maxReceiveCount": 2}, "redrive policy stored")
    ck.eq(sqs.list_dead_letter_source_queues(QueueUrl=d)["queueUrls"], [src], "dlq sources")
    sent = sqs.send_message(QueueUrl=src, MessageBody="poison")
    for i in range(2):
        ck.eq(len(sqs.receive_message(QueueUrl=src).get("Messages", [])), 1, "receive %d" % i)
    ck.eq(sqs.receive_message(QueueUrl=src).get("Messages"), None, "moved after maxReceiveCount")
    m = sqs.receive_message(QueueUrl=d, AttributeNames=["All"])["Messages"][0]
    ck.eq((m["Body"], m["Attributes"].get("DeadLetterQueueSourceArn")), ("poison", src_arn(sqs, src)), "in dlq")
    ck.eq(m["MessageId"], sent["MessageId"], "a message keeps its id in the dead-letter queue")
    sqs.change_message_visibility(QueueUrl=d, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
    if hasattr(sqs, "start_message_move_task"):  # Debian's boto3 1.26 predates move tasks
        move_back(sqs, src, darn, m)
    # RedriveAllowPolicy
    deny = sqs.create_queue(QueueName="deny", Attributes={"RedriveAllowPolicy": json.dumps({"redrivePermission": "denyAll"})})
    darn2 = "arn:aws:sqs:us-east-1:000000000000:deny"
    ck.raises(lambda: sqs.create_queue(QueueName="src2", Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": darn2, "maxReceiveCount": 1})}), "InvalidParameterValue", "redrive denied")


def move_back(sqs, src, darn, dead):
    fifo = sqs.create_queue(QueueName="other-type.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    ck.raises(lambda: sqs.start_message_move_task(SourceArn=darn, DestinationArn=src_arn(sqs, fifo)), "InvalidParameterValue",
              "a destination of the other queue type")
    h = sqs.start_message_move_task(SourceArn=darn)["TaskHandle"]
    ck.raises(lambda: sqs.start_message_move_task(SourceArn=src_arn(sqs, src)), "InvalidParameterValue", "not a dlq")
    for _ in range(50):
        t = sqs.list_message_move_tasks(SourceArn=darn)["Results"][0]
        if t["Status"] != "RUNNING":
            break
        time.sleep(0.05)
    ck.eq((t["Status"], t["ApproximateNumberOfMessagesMoved"]), ("COMPLETED", 1), "move task done")
    ck.raises(lambda: sqs.cancel_message_move_task(TaskHandle=h), "InvalidParameterValue", "cancel finished task")
    VT = sqs.receive_message(QueueUrl=src, AttributeNames=["All"])["Messages"][0]
    ck.eq((VT["Body"], VT["Attributes"]["ApproximateReceiveCount"]), ("poison", "1"), "moved back to source")
    # SQS redrives a message as a new one: a new MessageId, enqueued (and retained) from the move on
    ck.eq(VT["MessageId"] != dead["MessageId"], True, "a redriven message has a new id")
    ck.eq(int(VT["Attributes"]["SentTimestamp"]) > int(dead["Attributes"]["SentTimestamp"]), True, "and a new SentTimestamp")


def src_arn(sqs, u):
    return sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def permissions(s, sqs, u):
    sqs.add_permission(QueueUrl=u, Label="l1", AWSAccountIds=["111122223333"], Actions=["SendMessage"])
    sqs.add_permission(QueueUrl=u, Label="l2", AWSAccountIds=["111122223333", "444455556666"],
                       Actions=["ReceiveMessage", "DeleteMessage"])
    p = json.loads(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["Policy"])["Attributes"]["Policy"])
    ck.eq(p["Version"], "2008-10-17", "the policy version SQS writes")
    ck.eq([st["Sid"] for st in p["Statement"]], ["l1", "l2"], "statements")
    ck.eq(p["Statement"][0]["Principal"], {"AWS": "arn:aws:iam::111122223333:root"}, "one principal as string")
    ck.eq(p["Statement"][1]["Action"], ["SQS:ReceiveMessage", "SQS:DeleteMessage"], "actions list")
    ck.raises(lambda: sqs.add_permission(QueueUrl=u, Label="l1", AWSAccountIds=["1"], Actions=["SendMessage"]),
              "InvalidParameterValue", "duplicate label")
    sqs.remove_permission(QueueUrl=u, Label="l1")
    sqs.remove_permission(QueueUrl=u, Label="l2")
    ck.eq(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["Policy"]).get("Attributes"), None, "policy removed")
    ck.raises(lambda: sqs.remove_permission(QueueUrl=u, Label="l1"), "InvalidParameterValue", "missing label")


def fifo_one_group_first(s, sqs):
    """SQS "returns as many messages with the same message group ID as possible" (Knowledge Center,
    sqs-fifo-messages-not-returned): the oldest message's group fills the receive first."""
    u = sqs.create_queue(QueueName="groups.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    for body, group in (("a1", "A"), ("b1", "B"), ("a2", "A"), ("c1", "C"), ("b2", "B")):
        sqs.send_message(QueueUrl=u, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=body)
    got = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=3)["Messages"]
    ck.eq([m["Body"] for m in got], ["a1", "a2", "b1"], "group A whole, then the oldest of the others")
    got = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10)["Messages"]
    ck.eq([m["Body"] for m in got], ["c1"], "A and B locked while in flight")


def fifo_dlq(s, sqs):
    """Into a FIFO dead-letter queue a message's deduplication id becomes its message id."""
    d = sqs.create_queue(QueueName="dead.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    src = sqs.create_queue(QueueName="src.fifo", Attributes={"FifoQueue": "true", "VisibilityTimeout": "0",
                                                             "RedrivePolicy": json.dumps({"deadLetterTargetArn": src_arn(sqs, d),
                                                                                          "maxReceiveCount": 1})})["QueueUrl"]
    sent = sqs.send_message(QueueUrl=src, MessageBody="poison", MessageGroupId="g", MessageDeduplicationId="mydedup")
    ck.eq(len(sqs.receive_message(QueueUrl=src).get("Messages", [])), 1, "first receive")
    ck.eq(sqs.receive_message(QueueUrl=src).get("Messages"), None, "moved after maxReceiveCount")
    m = sqs.receive_message(QueueUrl=d, AttributeNames=["All"])["Messages"][0]
    ck.eq((m["MessageId"], m["Attributes"]["MessageDeduplicationId"], m["Attributes"]["MessageGroupId"]),
          (sent["MessageId"], sent["MessageId"], "g"), "fifo dlq: the message id as deduplication id")


def policy_limits(s, sqs):
    """SQS's policy quotas: 8,192 bytes, 20 statements, 7 actions a statement (403 OverLimit)."""
    u = sqs.create_queue(QueueName="limits")["QueueUrl"]
    arn = src_arn(sqs, u)

    def policy(statements, actions):
        return json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "s%d" % i, "Effect": "Allow", "Principal": "*", "Action": ["sqs:%s" % a for a in actions], "Resource": arn}
            for i in range(statements)]})
    for text, msg in ((policy(21, ["SendMessage"]), "21 statements were found in the submitted policy, max allowed is 20"),
                      (policy(1, ["SendMessage"] * 10), "10 actions were found in a statement from the submitted policy, "
                                                        "max allowed is 7"),
                      (policy(1, ["SendMessage" + "x" * 9000]), "Submitted policy is over max allowed size.")):
        code, m = err_code(lambda: sqs.set_queue_attributes(QueueUrl=u, Attributes={"Policy": text}))
        ck.eq((code, m), ("OverLimit", msg), "policy over a quota")
    sqs.set_queue_attributes(QueueUrl=u, Attributes={"Policy": policy(20, ["SendMessage"] * 7)})
    sqs.set_queue_attributes(QueueUrl=u, Attributes={"Policy": ""})
    code, m = err_code(lambda: sqs.add_permission(QueueUrl=u, Label="l", AWSAccountIds=["111122223333"],
                                                  Actions=["SendMessage", "ReceiveMessage", "DeleteMessage", "PurgeQueue",
                                                           "GetQueueUrl", "GetQueueAttributes", "ListQueueTags",
                                                           "ChangeMessageVisibility"]))
    ck.eq((code, m), ("OverLimit", "8 actions were found in a statement from the submitted policy, max allowed is 7"),
          "AddPermission over the actions quota")


def visibility_expired(s, sqs):
    """Changing the visibility of a message whose visibility timeout expired is an OK that changes nothing."""
    u = sqs.create_queue(QueueName="expired-vt")["QueueUrl"]
    sqs.send_message(QueueUrl=u, MessageBody="late")
    h = sqs.receive_message(QueueUrl=u, VisibilityTimeout=1)["Messages"][0]["ReceiptHandle"]
    s.advance_clock(2000)
    sqs.change_message_visibility(QueueUrl=u, ReceiptHandle=h, VisibilityTimeout=30)
    r = sqs.change_message_visibility_batch(QueueUrl=u, Entries=[{"Id": "a", "ReceiptHandle": h, "VisibilityTimeout": 30}])
    ck.eq(([e["Id"] for e in r.get("Successful", [])], r.get("Failed")), (["a"], None), "batch: OK too")
    ck.eq([m["Body"] for m in sqs.receive_message(QueueUrl=u).get("Messages", [])], ["late"], "and the message stays visible")


def deleted_recently(s, sqs):
    """A deleted queue's name cannot be reused for 60 seconds (same account and region): moves the clock."""
    u = sqs.create_queue(QueueName="reborn")["QueueUrl"]
    sqs.delete_queue(QueueUrl=u)
    e = ck.raises(lambda: sqs.create_queue(QueueName="reborn"), "AWS.SimpleQueueService.QueueDeletedRecently",
                  "create within 60 s of the delete")
    if e is not None:
        ck.eq(e.response["ResponseMetadata"]["HTTPStatusCode"], 400, "status")
        ck.eq(e.response["Error"]["Message"],
              "You must wait 60 seconds after deleting a queue before you can create another with the same name.", "message")
    sqs.create_queue(QueueName="reborn-other")  # other names are free
    s.advance_clock(61000)
    ck.eq(sqs.create_queue(QueueName="reborn")["QueueUrl"], u, "created again after 60 s")


def retention(s, sqs):
    """Messages past MessageRetentionPeriod disappear: moves the service clock instead of sleeping."""
    u = sqs.create_queue(QueueName="short", Attributes={"MessageRetentionPeriod": "60"})["QueueUrl"]
    sqs.send_message(QueueUrl=u, MessageBody="old")
    s.advance_clock(61000)
    sqs.send_message(QueueUrl=u, MessageBody="new")
    ms = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10)["Messages"]
    ck.eq([m["Body"] for m in ms], ["new"], "expired message dropped")


def main():
    """Runs every part; test_sqs_boto3.sys.py runs the same under Debian's boto3 (query protocol)."""
    with Server() as s:
        sqs = s.client("sqs")
        u = queues(s, sqs)
        messages(s, sqs, u)
        trace_http_header(s, sqs)
        long_polling(s, sqs)
        fifo(s, sqs)
        dlq(s, sqs)
        fifo_one_group_first(s, sqs)
        fifo_dlq(s, sqs)
        permissions(s, sqs, u)
        policy_limits(s, sqs)
        visibility_expired(s, sqs)  # these last: they move the clock
        deleted_recently(s, sqs)
        retention(s, sqs)
    ck.done()


if __name__ == "__main__":
    main()
