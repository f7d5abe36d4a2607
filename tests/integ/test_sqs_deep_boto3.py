"""test_sqs_deep_boto3.py - queues with thousands of messages: PurgeQueue, DeleteQueue, retention, counts.

PurgeQueue and DeleteQueue answer at once and their effect is whole at once: counts are zero,
nothing is received, the receipt handles of purged messages delete as already-deleted ones do, a
FIFO group whose message was in flight is free again, and what is sent after a purge is kept. The
rows themselves go in the background (the server logs their count when done), and a kill -9 before
that loses nothing and leaves nothing behind: the restart finishes the deletion. Messages past their
retention all go, not a thousand per sweep. The counts (kept per queue by the server once counted)
follow every send, receive and delete. A FIFO group with a deep backlog in flight holds back only
itself, and so do thirty of them. Checked with boto3 (JSON protocol) and, at the end, in the
SQLite file itself."""
import os
import sqlite3
import time

from harness import Checks, Server

ck = Checks()
COUNTS = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]


def fill(sqs, url, n, prefix="m", group=None):
    """Sends n messages, prefix0 to prefix<n-1>, ten a batch; into a FIFO queue all in one group."""
    for start in range(0, n, 10):
        entries = [{"Id": str(i), "MessageBody": "%s%d" % (prefix, start + i)} for i in range(10)]
        for e in entries if group else []:
            e.update(MessageGroupId=group, MessageDeduplicationId=e["MessageBody"])
        sqs.send_message_batch(QueueUrl=url, Entries=entries)


def handles(msgs):
    """DeleteMessageBatch entries for msgs."""
    return [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)]


def counts(sqs, url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=COUNTS)["Attributes"]
    return [int(a[k]) for k in COUNTS]


def wait_log(s, text, what, since=0):
    """Waits for a line of the server's log (from line `since` on) that holds text."""
    def seen():
        return any(text in line for line in list(s.log)[since:])
    until = time.monotonic() + 60
    while time.monotonic() < until and not seen():
        time.sleep(0.05)
    ck.true(seen(), what + " (the server's log: %r)" % text)


def main():
    with Server() as s:
        sqs = s.client("sqs")
        u = sqs.create_queue(QueueName="deep", Attributes={"DelaySeconds": "0"})["QueueUrl"]
        fill(sqs, u, 3000)
        sqs.send_message(QueueUrl=u, MessageBody="late", DelaySeconds=900)
        held = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10, VisibilityTimeout=600)["Messages"]
        ck.eq(counts(sqs, u), [2990, 10, 1], "before the purge: visible, in flight, delayed")

        sqs.purge_queue(QueueUrl=u)
        ck.eq(counts(sqs, u), [0, 0, 0], "right after the purge every count is zero")
        ck.eq(sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10).get("Messages"), None, "nothing to receive")
        sqs.delete_message(QueueUrl=u, ReceiptHandle=held[0]["ReceiptHandle"])  # as for a message already deleted
        ck.raises(lambda: sqs.change_message_visibility(QueueUrl=u, ReceiptHandle=held[1]["ReceiptHandle"],
                                                        VisibilityTimeout=5),
                  "InvalidParameterValue", "a purged message's visibility cannot change")
        r = sqs.delete_message_batch(QueueUrl=u, Entries=[{"Id": "a", "ReceiptHandle": held[2]["ReceiptHandle"]}])
        ck.eq([e["Id"] for e in r.get("Successful", [])], ["a"], "batch delete of a purged message succeeds")

        after = sqs.send_message(QueueUrl=u, MessageBody="after the purge")["MessageId"]
        got = sqs.receive_message(QueueUrl=u, MaxNumberOfMessages=10)["Messages"]
        ck.eq([(m["MessageId"], m["Body"]) for m in got], [(after, "after the purge")], "a message sent after the purge is kept")
        sqs.change_message_visibility(QueueUrl=u, ReceiptHandle=got[0]["ReceiptHandle"], VisibilityTimeout=0)
        wait_log(s, "sqs: deleted the 3001 messages of purged and deleted queues", "the purged rows are deleted")
        ck.eq(counts(sqs, u), [1, 0, 0], "the background deletion left the new message alone")

        # FIFO: the purged in-flight message no longer holds its group
        f = sqs.create_queue(QueueName="deep.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        fill(sqs, f, 500, "f", "g")
        ck.eq(len(sqs.receive_message(QueueUrl=f, MaxNumberOfMessages=10)["Messages"]), 10, "FIFO: group g in flight")
        sqs.purge_queue(QueueUrl=f)
        sqs.send_message(QueueUrl=f, MessageBody="fresh", MessageGroupId="g", MessageDeduplicationId="new")
        got = sqs.receive_message(QueueUrl=f, MaxNumberOfMessages=10).get("Messages", [])
        ck.eq([m["Body"] for m in got], ["fresh"], "FIFO: after the purge group g delivers the new message")
        sqs.delete_message(QueueUrl=f, ReceiptHandle=got[0]["ReceiptHandle"])
        wait_log(s, "sqs: deleted the 500 messages of purged and deleted queues", "the FIFO queue's purged rows are deleted")

        # FIFO: one group of 3,000 with ten in flight: nothing for a second consumer, then the next ten in order
        one = sqs.create_queue(QueueName="one.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        fill(sqs, one, 3000, "o", "g")
        first = sqs.receive_message(QueueUrl=one, MaxNumberOfMessages=10)["Messages"]
        ck.eq([m["Body"] for m in first], ["o%d" % i for i in range(10)], "FIFO: the group's first ten")
        ck.eq(sqs.receive_message(QueueUrl=one, MaxNumberOfMessages=10).get("Messages"), None, "FIFO: the group is in flight")
        sqs.delete_message_batch(QueueUrl=one, Entries=handles(first))
        ck.eq([m["Body"] for m in sqs.receive_message(QueueUrl=one, MaxNumberOfMessages=10)["Messages"]],
              ["o%d" % i for i in range(10, 20)], "FIFO: then the next ten in order")

        # FIFO: 30 groups of 30 sent one after another, each with a message in flight, then three groups sent in
        # turn: the oldest free group first (all of it), then the others by seq; with all in flight, nothing
        many = sqs.create_queue(QueueName="many.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        for g in range(30):
            fill(sqs, many, 30, "b%d-" % g, "b%02d" % g)
        for g in range(30):
            got = sqs.receive_message(QueueUrl=many)["Messages"]
            ck.eq([m["Body"] for m in got], ["b%d-0" % g], "FIFO: each receive takes the oldest free group (%d)" % g)
        ck.eq(sqs.receive_message(QueueUrl=many, MaxNumberOfMessages=10).get("Messages"), None, "FIFO: every group in flight")
        late = [("z", "z0"), ("y", "y0"), ("z", "z1"), ("x", "x0"), ("y", "y1"), ("x", "x1"), ("x", "x2")]
        sqs.send_message_batch(QueueUrl=many, Entries=[{"Id": str(i), "MessageBody": b, "MessageGroupId": g,
                                                        "MessageDeduplicationId": b} for i, (g, b) in enumerate(late)])
        ck.eq([m["Body"] for m in sqs.receive_message(QueueUrl=many, MaxNumberOfMessages=5, VisibilityTimeout=0)["Messages"]],
              ["z0", "z1", "y0", "x0", "y1"], "FIFO: past 900 rows in flight, the oldest group, then the others by seq")

        # DeleteQueue of a deep queue, then kill -9 at once: the restart finishes the deletion
        g = sqs.create_queue(QueueName="gone")["QueueUrl"]
        fill(sqs, g, 5000)
        sqs.delete_queue(QueueUrl=g)
        restarted = len(s.log)
        s.restart(kill=True)
        sqs = s.client("sqs")
        ck.raises(lambda: sqs.get_queue_url(QueueName="gone"), "AWS.SimpleQueueService.NonExistentQueue",
                  "the deleted queue stays deleted")
        ck.eq(counts(sqs, u), [1, 0, 0], "the message sent after the purge survives kill -9")
        ck.eq(counts(sqs, f), [0, 0, 0], "the purged FIFO queue stays empty")
        s.advance_clock(61000)
        g2 = sqs.create_queue(QueueName="gone")["QueueUrl"]
        ck.eq(counts(sqs, g2), [0, 0, 0], "a queue made again under the name holds none of the old messages")
        ck.eq(sqs.receive_message(QueueUrl=g2).get("Messages"), None, "and receives none")
        wait_log(s, "messages of purged and deleted queues", "the restart deletes what the deleted queue left", restarted)

        # counts follow sends, receives, deletes and visibility changes on a deep queue
        fill(sqs, g2, 2000)
        got = sqs.receive_message(QueueUrl=g2, MaxNumberOfMessages=10, VisibilityTimeout=300)["Messages"]
        sqs.send_message(QueueUrl=g2, MessageBody="later", DelaySeconds=600)
        ck.eq(counts(sqs, g2), [1990, 10, 1], "deep queue: visible, in flight, delayed")
        sqs.delete_message_batch(QueueUrl=g2, Entries=handles(got[:4]))
        sqs.change_message_visibility(QueueUrl=g2, ReceiptHandle=got[4]["ReceiptHandle"], VisibilityTimeout=0)
        ck.eq(counts(sqs, g2), [1991, 5, 1], "after deleting four and releasing one")

        # retention: every expired message goes, a batch every few milliseconds, not 1,000 every 10 s
        old = sqs.create_queue(QueueName="old", Attributes={"MessageRetentionPeriod": "60"})["QueueUrl"]
        fill(sqs, old, 2500)
        ck.eq(counts(sqs, old), [2500, 0, 0], "2,500 messages retained for 60 s")
        s.advance_clock(71000)  # past the retention and the next sweep
        until = time.monotonic() + 5  # the old sweep (1,000 every 10 s) needed 20 s more
        while time.monotonic() < until and counts(sqs, old) != [0, 0, 0]:
            time.sleep(0.05)
        ck.eq(counts(sqs, old), [0, 0, 0], "all 2,500 expired messages are deleted")
        ck.eq(sqs.receive_message(QueueUrl=old).get("Messages"), None, "none is received")

        s.stop()
        db = sqlite3.connect(os.path.join(s.data_dir, "sqs.db"))
        ck.eq(db.execute("SELECT COUNT(*) FROM messages").fetchone()[0], 1 + 1997 + 2990 + 907,
              "the file holds the message sent after the purge and the deep and FIFO queues', no purged, deleted or expired one")
        ck.eq(db.execute("SELECT COUNT(*) FROM dropped_buckets").fetchone()[0], 0, "and no dropped bucket")
        db.close()

    ck.done()


if __name__ == "__main__":
    main()
