"""test_sqs_reference_boto3.py - SQS answers compared with responses recorded against real AWS (the
validated SQS snapshots of LocalStack's test suite) where awsemu answered differently: which message
attributes a MessageAttributeNames filter returns (*, "prefix.*" without a dot, nothing for unknown
names) and that MD5OfMessageAttributes covers only those returned; the JSON __type of
InvalidParameterValue and MissingParameter (botocore's QueryErrorCode); a RedrivePolicy target that is
not an ARN; a batch entry without MessageGroupId; FifoQueue on a standard queue; KMS and SQS SSE at
once; an expired FIFO receipt handle; empty Successful/Failed lists left out of batch answers;
cancelling a task of a missing queue.
Written for python3's boto3 (JSON protocol); every check but QueryErrorCode holds on the query protocol
too (Debian's /usr/bin/python3)."""
import base64
import json

from harness import Checks, Server

t = Checks()


error = t.refuses


def query_code(e):
    """botocore's QueryErrorCode: the JSON __type when x-amzn-query-error renamed the code (JSON protocol only)."""
    return e.response["Error"].get("QueryErrorCode", "(query protocol)") if e is not None else None


with Server(in_memory=True) as s:
    sqs = s.client("sqs")
    json_protocol = sqs.meta.service_model.protocol == "json"

    # ---- MessageAttributeNames (test_receive_message_message_attribute_names_filters) ----
    u = sqs.create_queue(QueueName="filters", Attributes={"VisibilityTimeout": "0"})["QueueUrl"]
    sqs.send_message(QueueUrl=u, MessageBody="msg", MessageAttributes={
        "Help.Me": {"DataType": "String", "StringValue": "Me"},
        "Hello": {"DataType": "String", "StringValue": "There"},
        "General": {"DataType": "String", "StringValue": "Kenobi"}})
    for names, want_names, want_md5 in (
            ([], None, None),
            (["All"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"),
            (["*"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"),
            ([".*"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"),
            (["Foo", "Help"], None, None),
            (["Hello", "General"], ["General", "Hello"], "fca026605781cb4126a1e9044df24232"),
            (["Foo", "Hello"], ["Hello"], "a311262e065454b75da111d535b8dacd"),
            (["Hel.*"], ["Hello", "Help.Me"], "83fee93c1bcd8b9a5a923ffacdc636c7"),
            (["AWS."], None, None),
            (["..foo"], None, None)):
        m = sqs.receive_message(QueueUrl=u, MessageAttributeNames=names)["Messages"][0]
        got = sorted(m["MessageAttributes"]) if "MessageAttributes" in m else None
        t.eq((got, m.get("MD5OfMessageAttributes")), (want_names, want_md5), "MessageAttributeNames %r" % names)
    m = sqs.receive_message(QueueUrl=u, AttributeNames=["All"])["Messages"][0]
    t.eq(("MessageAttributes" in m, "MD5OfMessageAttributes" in m), (False, False),
         "system attributes only: no message attributes and no MD5 of them")

    # ---- the JSON __type behind InvalidParameterValue and MissingParameter ----
    e = error(lambda: sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=11), "InvalidParameterValue",
              "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
              "MaxNumberOfMessages 11")
    t.eq(query_code(e), "InvalidParameterValueException" if json_protocol else "(query protocol)",
         "InvalidParameterValue's __type")
    f = sqs.create_queue(QueueName="f.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    e = error(lambda: sqs.send_message(QueueUrl=f, MessageBody="m", MessageDeduplicationId="d"), "MissingParameter",
              "The request must contain the parameter MessageGroupId.", "SendMessage without MessageGroupId")
    t.eq(query_code(e), "MissingRequiredParameterException" if json_protocol else "(query protocol)",
         "MissingParameter's __type")

    # ---- RedrivePolicy (test_invalid_dead_letter_arn_rejected_before_lookup) ----
    policy = json.dumps({"deadLetterTargetArn": "dummy", "maxReceiveCount": 42})
    error(lambda: sqs.create_queue(QueueName="src", Attributes={"RedrivePolicy": policy}), "InvalidParameterValue",
          "Value %s for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn." % policy,
          "a dead-letter target that is no ARN")

    # ---- SendMessageBatch on a FIFO queue (test_send_batch_missing_message_group_id_for_fifo_queue) ----
    good = {"Id": "a", "MessageBody": "m", "MessageGroupId": "g", "MessageDeduplicationId": "d1"}
    error(lambda: sqs.send_message_batch(QueueUrl=f, Entries=[good, {"Id": "b", "MessageBody": "m",
                                                                      "MessageDeduplicationId": "d2"}]),
          "InvalidParameterValue", "The request must contain the parameter MessageGroupId.",
          "a batch entry without MessageGroupId: InvalidParameterValue, not MissingParameter")
    error(lambda: sqs.send_message_batch(QueueUrl=f, Entries=[good, {"Id": "b", "MessageBody": "m",
                                                                      "MessageGroupId": "g"}]),
          "InvalidParameterValue",
          "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
          "a batch entry without MessageDeduplicationId")

    # ---- FifoQueue and SSE in SetQueueAttributes (test_set_unsupported_attribute_fifo, test_sse_*) ----
    error(lambda: sqs.set_queue_attributes(QueueUrl=u, Attributes={"FifoQueue": "true"}), "InvalidAttributeName",
          "Unknown Attribute FifoQueue.", "FifoQueue on a standard queue is unknown")
    sqs.set_queue_attributes(QueueUrl=f, Attributes={"FifoQueue": "true"})
    error(lambda: sqs.set_queue_attributes(QueueUrl=f, Attributes={"FifoQueue": "false"}), "InvalidAttributeValue",
          "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.",
          "FifoQueue false on a FIFO queue")
    error(lambda: sqs.set_queue_attributes(QueueUrl=u, Attributes={"KmsMasterKeyId": "testKeyId",
                                                                   "SqsManagedSseEnabled": "true"}),
          "InvalidAttributeName",
          "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.",
          "KMS and SQS SSE together")
    t.eq(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["KmsMasterKeyId", "SqsManagedSseEnabled"])["Attributes"],
         {"SqsManagedSseEnabled": "true"}, "the refused SSE change left the queue as it was")
    sqs.set_queue_attributes(QueueUrl=u, Attributes={"KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000",
                                                     "SqsManagedSseEnabled": "false"})
    t.eq(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
                                                              "SqsManagedSseEnabled"])["Attributes"],
         {"KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000", "SqsManagedSseEnabled": "false"},
         "KMS SSE with SQS SSE off")

    # ---- a FIFO receipt handle expires with its visibility timeout (test_fifo_delete_message_with_expired_
    # receipt_handle); a standard queue's stale handle deletes nothing, silently ----
    x = sqs.create_queue(QueueName="expiry.fifo", Attributes={"FifoQueue": "true", "VisibilityTimeout": "1",
                                                             "ContentBasedDeduplication": "true"})["QueueUrl"]
    sqs.send_message(QueueUrl=x, MessageBody="g1-m1", MessageGroupId="1")
    h = sqs.receive_message(QueueUrl=x)["Messages"][0]["ReceiptHandle"]
    s.advance_clock(2000)
    error(lambda: sqs.delete_message(QueueUrl=x, ReceiptHandle=h), "InvalidParameterValue",
          "Value %s for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired." % h,
          "DeleteMessage with an expired FIFO receipt handle")
    r = sqs.delete_message_batch(QueueUrl=x, Entries=[{"Id": "e", "ReceiptHandle": h}])
    t.eq([(f["Id"], f["Code"]) for f in r.get("Failed", [])], [("e", "InvalidParameterValue")],
         "DeleteMessageBatch with an expired FIFO receipt handle")
    h2 = sqs.receive_message(QueueUrl=x)["Messages"][0]["ReceiptHandle"]
    sqs.delete_message(QueueUrl=x, ReceiptHandle=h2)
    t.eq(sqs.receive_message(QueueUrl=x).get("Messages"), None, "a handle within its timeout deletes")
    sqs.send_message(QueueUrl=u, MessageBody="stale")
    h = [m for m in sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10, VisibilityTimeout=1)["Messages"]
         if m["Body"] == "stale"][0]["ReceiptHandle"]
    s.advance_clock(2000)
    sqs.delete_message(QueueUrl=u, ReceiptHandle=h)

    # ---- batch answers leave out empty lists ----
    b = sqs.create_queue(QueueName="batch")["QueueUrl"]
    r = sqs.send_message_batch(QueueUrl=b, Entries=[{"Id": "1", "MessageBody": "a"}, {"Id": "2", "MessageBody": "b"}])
    t.eq((sorted(x["Id"] for x in r["Successful"]), "Failed" in r), (["1", "2"], False), "all sent: no Failed")
    r = sqs.delete_message_batch(QueueUrl=b, Entries=[{"Id": "x", "ReceiptHandle": "garbage"}])
    t.eq(("Successful" in r, [(x["Id"], x["Code"]) for x in r["Failed"]]), (False, [("x", "ReceiptHandleIsInvalid")]),
         "all failed: no Successful")

    # ---- CancelMessageMoveTask (test_cancel_with_invalid_source_arn_in_task_handle and _task_id_; boto3 1.26
    # has no move tasks) ----
    if hasattr(sqs, "cancel_message_move_task"):
        def handle(source_arn):
            return base64.b64encode(json.dumps({"taskId": "10f57157-fc38-4da9-a113-4de7e12d05dd",
                                                "sourceArn": source_arn}).encode()).decode()

        e = error(lambda: sqs.cancel_message_move_task(TaskHandle=handle("arn:aws:sqs:us-east-1:000000000000:gone")),
                  "ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist.",
                  "a task handle of a missing queue")
        t.eq(e.response["ResponseMetadata"]["HTTPStatusCode"] if e else None, 404, "a task handle of a missing queue: 404")
        error(lambda: sqs.cancel_message_move_task(TaskHandle=handle("arn:aws:sqs:us-east-1:000000000000:batch")),
              "ResourceNotFoundException", "Task does not exist.", "a task handle naming no task of an existing queue")
        error(lambda: sqs.cancel_message_move_task(TaskHandle="foobared"), "InvalidParameterValue",
              "Value for parameter TaskHandle is invalid.", "a task handle that is not one")
t.done()
