"""The write-ahead log (boto3). After a burst, while writes flow the log file keeps its largest
size. Once the log has started over (the first write after the checkpointer copied it all) and
writes have paused for 5 s, a file over 64 MB is cut down to 64 MB, with nothing lost: every message
sent is still there, after kill -9 and a restart too. A log that nothing writes to after its burst
cannot start over without the writer dropping its page cache: it is truncated after a minute without
writes. Under non-stop writes: with --max-wal 16 the log file never grows past twice 16 MiB (the
burst grows it past 80 MB without a bound), and every message is there after kill -9 and a restart."""
import os
import time

from harness import Checks, Server

t = Checks()
BODY = "x" * 250_000
KEEP = 64 << 20


def burst(sqs, url, wal):
    """Sends until the log passes 80 MB; the messages sent."""
    sent, deadline = 0, time.monotonic() + 60
    while os.path.getsize(wal) <= (80 << 20) and time.monotonic() < deadline:
        out = sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "m%d" % i, "MessageBody": BODY} for i in range(4)])
        sent += len(out.get("Successful", []))
    t.true(os.path.getsize(wal) > KEEP, "the burst grew the log past 64 MB (%d bytes, %d messages)" % (os.path.getsize(wal), sent))
    return sent


def count(sqs, url):
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"])


with Server() as quiet:
    q_sqs = quiet.client("sqs")
    q_url = q_sqs.create_queue(QueueName="wal-quiet")["QueueUrl"]
    q_wal = os.path.join(quiet.data_dir, "sqs.db-wal")
    q_sent = burst(q_sqs, q_url, q_wal)
    q_end = time.monotonic()

    with Server() as s:
        sqs = s.client("sqs")
        url = sqs.create_queue(QueueName="wal-burst")["QueueUrl"]
        wal = os.path.join(s.data_dir, "sqs.db-wal")
        sent = burst(sqs, url, wal)
        # a small send now and then: the first once the log is copied starts it over, and once writes have
        # paused 5 s the file is cut (the checkpointer runs at idle priority: on a machine busy with other
        # work, CI runs tests side by side, it waits for a free core, so the wait is generous)
        deadline = time.monotonic() + 120
        while os.path.getsize(wal) > KEEP and time.monotonic() < deadline:
            sqs.send_message(QueueUrl=url, MessageBody="after")
            sent += 1
            pause = time.monotonic() + 15
            while os.path.getsize(wal) > KEEP and time.monotonic() < pause:
                time.sleep(0.25)
        t.true(os.path.getsize(wal) <= KEEP, "5 s after a write that started the log over, the file is cut (%d bytes)"
               % os.path.getsize(wal))
        t.eq(count(sqs, url), sent, "every message is in the queue")
        s.restart(kill=True)
        t.eq(count(s.client("sqs"), url), sent, "and after kill -9 and a restart")

    with Server("--max-wal", "16") as s:
        sqs = s.client("sqs")
        url = sqs.create_queue(QueueName="wal-bound")["QueueUrl"]
        wal = os.path.join(s.data_dir, "sqs.db-wal")
        sent, largest = 0, 0
        deadline = time.monotonic() + 60
        while sent * len(BODY) < (120 << 20) and time.monotonic() < deadline:
            out = sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "m%d" % i, "MessageBody": BODY} for i in range(4)])
            sent += len(out.get("Successful", []))
            largest = max(largest, os.path.getsize(wal))
        t.true(sent * len(BODY) >= (120 << 20), "sent 120 MiB of messages (%d)" % sent)
        t.true(largest <= (36 << 20), "the log never passed twice --max-wal (largest %d bytes)" % largest)
        s.restart(kill=True)
        t.eq(count(s.client("sqs"), url), sent, "every message is there after kill -9 and a restart")

    t.true(os.path.getsize(q_wal) > KEEP, "a log nothing wrote to since its burst keeps its size for now (%d bytes, %.0f s)"
           % (os.path.getsize(q_wal), time.monotonic() - q_end))
    deadline = q_end + 180
    while os.path.getsize(q_wal) > KEEP and time.monotonic() < deadline:
        time.sleep(0.5)
    waited = time.monotonic() - q_end
    t.true(os.path.getsize(q_wal) <= KEEP, "a minute after its burst it is truncated (%d bytes, %.0f s)" % (os.path.getsize(q_wal), waited))
    t.true(waited >= 55, "not before (%.0f s)" % waited)
    t.eq(count(q_sqs, q_url), q_sent, "every message of the burst is in the queue")
t.done()
