"""test_sqs_moto_verified_boto3.py - SQS behaviours that moto's AWS-verified tests assert (tests run
against real AWS), replayed with boto3 on python3 (JSON protocol) and, through
test_sqs_moto_verified_boto3.sys.py, with Debian's boto3 1.26 (query protocol): a FIFO queue refuses
a per-message DelaySeconds other than 0 with AWS's exact text, takes an explicit 0 or none even when
the queue itself has a DelaySeconds, and a bare queue name serves as QueueUrl."""
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


def main():
    with Server(in_memory=True) as s:
        sqs = s.client("sqs")
        fifo_per_message_delay(sqs, {"FifoQueue": "true"})
        fifo_per_message_delay(sqs, {"FifoQueue": "true", "DelaySeconds": "10"})
    ck.done()


if __name__ == "__main__":
    main()
