"""test_sqs_durability.py - SQS state survives kill -9: acknowledged sends are never lost,
deleted messages never come back, in-flight and delayed messages keep their state, and
queue attributes, tags and FIFO dedup records persist."""
import time

from harness import Checks, Server

ck = Checks()

with Server() as s:
    sqs = s.client("sqs")
    u = sqs.create_queue(QueueName="dur", Attributes={"VisibilityTimeout": "2"}, tags={"t": "1"})["QueueUrl"]
    f = sqs.create_queue(QueueName="dur.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sent = set()
    for i in range(20):
        sqs.send_message(QueueUrl=u, MessageBody="m%d" % i)
        sent.add("m%d" % i)
    sqs.send_message_batch(QueueUrl=u, Entries=[{"Id": str(i), "MessageBody": "b%d" % i} for i in range(10)])
    sent |= {"b%d" % i for i in range(10)}
    first = sqs.send_message(QueueUrl=f, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d1")
    # delete some, leave some in flight, one delayed
    got = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10)["Messages"]
    deleted = {m["Body"] for m in got[:5]}
    for m in got[:5]:
        sqs.delete_message(QueueUrl=u, ReceiptHandle=m["ReceiptHandle"])
    inflight = got[5]
    sqs.send_message(QueueUrl=u, MessageBody="delayed", DelaySeconds=2)
    s.restart(kill=True)

    sqs = s.client("sqs")
    ck.eq(sqs.get_queue_url(QueueName="dur")["QueueUrl"], u, "queue survives")
    ck.eq(sqs.list_queue_tags(QueueUrl=u)["Tags"], {"t": "1"}, "tags survive")
    a = sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["All"])["Attributes"]
    ck.eq(a["VisibilityTimeout"], "2", "attributes survive")
    ck.eq(a["ApproximateNumberOfMessagesDelayed"], "1", "delayed survives")
    ck.eq(int(a["ApproximateNumberOfMessagesNotVisible"]), 5, "in flight survives")
    # the deleted receipt handle of an in-flight message is still valid after restart
    sqs.delete_message(QueueUrl=u, ReceiptHandle=inflight["ReceiptHandle"])
    deleted.add(inflight["Body"])
    dup = sqs.send_message(QueueUrl=f, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d1")
    ck.eq(dup["MessageId"], first["MessageId"], "dedup record survives")
    bodies = set()
    deadline = time.time() + 10
    while time.time() < deadline and len(bodies) < len(sent) + 1 - len(deleted):
        r = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for m in r.get("Messages", []):
            bodies.add(m["Body"])
            sqs.delete_message(QueueUrl=u, ReceiptHandle=m["ReceiptHandle"])
    ck.eq(bodies, (sent | {"delayed"}) - deleted, "every undeleted message, none deleted")
    # deleted, then kill -9: never comes back
    s.restart(kill=True)
    sqs = s.client("sqs")
    a = sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["All"])["Attributes"]
    ck.eq((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"],
           a["ApproximateNumberOfMessagesDelayed"]), ("0", "0", "0"), "empty after deletes and kill -9")
    ck.eq(sqs.receive_message(QueueUrl=u, WaitTimeSeconds=1).get("Messages"), None, "nothing comes back")
ck.done()
