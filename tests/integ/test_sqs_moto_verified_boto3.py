"""test_sqs_moto_verified_boto3.py - SQS behaviours that moto's AWS-verified tests assert (tests run
against real AWS), replayed with boto3 on python3 (JSON protocol) and, through
test_sqs_moto_verified_boto3.sys.py, with Debian's boto3 1.26 (query protocol): a FIFO queue refuses
a per-message DelaySeconds other than 0 with AWS's exact text, takes an explicit 0 or none even when
the queue itself has a DelaySeconds, and a bare queue name serves as QueueUrl; an unknown queue is
AWS.SimpleQueueService.NonExistentQueue (400) for every action, worded "The specified queue does not
exist." over JSON and "... for this wsdl version." over query; SendMessageBatch's request errors."""
import uuid

from harness import Checks, Server, msg

ck = Checks()


def fifo_per_message_delay(sqs, attributes):
    """SendMessage with DelaySeconds on a FIFO queue, the queue addressed by its bare name."""
    name = "v%s.fifo" % uuid.uuid4().hex[:6]
    sqs.create_queue(QueueName=name, Attributes=attributes)
    what = "fifo %s" % sorted(attributes)
    e = ck.raises(lambda: sqs.send_message(QueueUrl=name, MessageBody="b", DelaySeconds=5, MessageGroupId="g",
                                           MessageDeduplicationId="d1"), "InvalidParameterValue", what)
    ck.eq(msg(e), "Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not "
          "valid for this queue type.", what + ": message")
    zero = sqs.send_message(QueueUrl=name, MessageBody="b", DelaySeconds=0, MessageGroupId="g",
                            MessageDeduplicationId="d2")
    ck.true(zero.get("MessageId"), what + ": explicit DelaySeconds=0 accepted")
    plain = sqs.send_message(QueueUrl=name, MessageBody="b", MessageGroupId="g", MessageDeduplicationId="d3")
    ck.true(plain.get("SequenceNumber"), what + ": no DelaySeconds accepted")
    attrs = sqs.get_queue_attributes(QueueUrl=name, AttributeNames=["ApproximateNumberOfMessages",
                                                                    "ApproximateNumberOfMessagesDelayed"])
    stored = int(attrs["Attributes"]["ApproximateNumberOfMessages"]) + int(
        attrs["Attributes"]["ApproximateNumberOfMessagesDelayed"])
    ck.eq(stored, 2, what + ": the refused message was not stored")
    sqs.delete_queue(QueueUrl=name)
    ck.raises(lambda: sqs.get_queue_url(QueueName=name), "AWS.SimpleQueueService.NonExistentQueue",
              what + ": deleted by its bare name")


def unknown_queue(s, sqs):
    """Every action on a queue that does not exist: one code, one status, the protocol's wording."""
    query = sqs.meta.service_model.protocol == "query"
    text = "The specified queue does not exist" + (" for this wsdl version." if query else ".")
    gone = s.endpoint + "/000000000000/unknown"
    calls = {
        "GetQueueUrl": lambda: sqs.get_queue_url(QueueName="unknown"),
        "GetQueueAttributes": lambda: sqs.get_queue_attributes(QueueUrl=gone, AttributeNames=["All"]),
        "DeleteQueue": lambda: sqs.delete_queue(QueueUrl=gone),
        "DeleteMessage": lambda: sqs.delete_message(QueueUrl=gone, ReceiptHandle="unknown"),
        "SendMessageBatch": lambda: sqs.send_message_batch(QueueUrl=gone, Entries=[{"Id": "a", "MessageBody": "b"}]),
        "ListQueueTags": lambda: sqs.list_queue_tags(QueueUrl=gone),
        "TagQueue": lambda: sqs.tag_queue(QueueUrl=gone, Tags={"t": "v"}),
        "UntagQueue": lambda: sqs.untag_queue(QueueUrl=gone, TagKeys=["t"]),
    }
    for op, call in calls.items():
        e = ck.refuses(call, "AWS.SimpleQueueService.NonExistentQueue", text, op + " of an unknown queue")
        if e is not None:
            ck.eq(e.response["ResponseMetadata"]["HTTPStatusCode"], 400, op + ": status")


def batch_request_errors(sqs):
    """SendMessageBatch refusals of the whole request, AWS's texts (1 MiB is today's batch limit)."""
    u = sqs.create_queue(QueueName="batch-errors")["QueueUrl"]
    bad_id = "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 " \
             "letters long."
    cases = [
        ([], "AWS.SimpleQueueService.EmptyBatchRequest",
         "There should be at least one SendMessageBatchRequestEntry in the request.", "no entries"),
        ([{"Id": "", "MessageBody": "b"}], "AWS.SimpleQueueService.InvalidBatchEntryId", bad_id, "empty id"),
        ([{"Id": ".!@#$%^&*()+=", "MessageBody": "b"}], "AWS.SimpleQueueService.InvalidBatchEntryId", bad_id,
         "punctuation in an id"),
        ([{"Id": "i" * 81, "MessageBody": "b"}], "AWS.SimpleQueueService.InvalidBatchEntryId", bad_id, "81-letter id"),
        ([{"Id": "a", "MessageBody": "b" * 1048577}], "AWS.SimpleQueueService.BatchRequestTooLong",
         "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.", "batch over 1 MiB"),
        ([{"Id": i, "MessageBody": "b"} for i in ["x", "y", "y", "x"]], "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
         "Id y repeated.", "the first repeated id is named"),
        ([{"Id": "e%d" % i, "MessageBody": "b"} for i in range(11)], "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
         "Maximum number of entries per request are 10. You have sent 11.", "11 entries"),
    ]
    for entries, code, text, what in cases:
        ck.refuses(lambda: sqs.send_message_batch(QueueUrl=u, Entries=entries), code, text, what)


def main():
    with Server(in_memory=True) as s:
        sqs = s.client("sqs")
        fifo_per_message_delay(sqs, {"FifoQueue": "true"})
        fifo_per_message_delay(sqs, {"FifoQueue": "true", "DelaySeconds": "10"})
        unknown_queue(s, sqs)
        batch_request_errors(sqs)
    ck.done()


if __name__ == "__main__":
    main()
