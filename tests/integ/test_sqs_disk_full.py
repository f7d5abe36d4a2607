"""SQS on a full disk, with boto3: the data dir is a 24 MiB tmpfs, then filled. Writes that cannot be
stored are answered with InternalFailure (500), the server keeps serving reads, and nothing unstored shows:
a CreateQueue, TagQueue or SetQueueAttributes whose commit failed is not in memory either (a retry used to
find the queue created in memory and answer 200; after a restart it was gone, with the messages sent to it
since). Once space is back everything works and survives kill -9. Mounting needs root: skipped (77)
without it."""
import os
import subprocess
import sys
import tempfile

from botocore.exceptions import ClientError
from harness import Checks, Server

check = Checks()
mnt = tempfile.mkdtemp(prefix="awsemu-full-")
if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mnt], capture_output=True).returncode != 0:
    print("skip: cannot mount a tmpfs here (needs root)")
    sys.exit(77)

BIG_TAGS = {"t%02d" % i: "v" * 256 for i in range(40)}  # ~11 KB of row: several pages to store


def code(fn):
    try:
        fn()
        return "ok"
    except ClientError as e:
        return "%s %d" % (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])


def tag_keys(q, url):
    return sorted(q.list_queue_tags(QueueUrl=url).get("Tags", {}))


def fill_disk():
    with open(os.path.join(mnt, "filler"), "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass


try:
    with Server(data_dir=os.path.join(mnt, "data")) as s:
        q = s.client("sqs")
        a = q.create_queue(QueueName="a", tags={"k": "v1"})["QueueUrl"]
        q.send_message(QueueUrl=a, MessageBody="first")
        acked = 1
        fill_disk()

        big = [code(lambda: q.send_message(QueueUrl=a, MessageBody="x" * 200000)) for _ in range(3)]
        check.eq(big.count("InternalFailure 500"), 3, "200 KB sends on a full disk: InternalFailure")
        for i in range(5000):  # small sends take what room is left in the log's last pages
            if code(lambda: q.send_message(QueueUrl=a, MessageBody="small %d" % i)) != "ok":
                break
            acked += 1
        check.true(acked < 5000, "small sends stop once the room is gone")

        # Whether a write fits depends on what room the failed ones left in the log file: each must
        # either fail with InternalFailure and leave no trace, or succeed and show.
        tagged = code(lambda: q.tag_queue(QueueUrl=a, Tags=BIG_TAGS))
        check.true(tagged in ("ok", "InternalFailure 500"), "TagQueue on a full disk: %s" % tagged)
        a_tags = sorted(BIG_TAGS) + ["k"] if tagged == "ok" else ["k"]
        check.eq(tag_keys(q, a), sorted(a_tags), "tags as stored")
        created = [code(lambda: q.create_queue(QueueName="b", tags=BIG_TAGS)) for attempt in range(2)]
        check.eq(created[0], "InternalFailure 500", "CreateQueue on a full disk")
        check.true(created[1] in ("ok", "InternalFailure 500"), "CreateQueue retried: %s" % created[1])
        listed = q.list_queues().get("QueueUrls")
        check.eq(listed, [a] if created[1] != "ok" else [a, a.replace("/a", "/b")], "queues as stored")
        policy = '{"Version":"2012-10-17","Id":"%s","Statement":[]}' % ("p" * 20000)
        attrs = code(lambda: q.set_queue_attributes(QueueUrl=a, Attributes={"VisibilityTimeout": "99", "Policy": policy}))
        check.true(attrs in ("ok", "InternalFailure 500"), "SetQueueAttributes on a full disk: %s" % attrs)
        a_vis = "99" if attrs == "ok" else "30"
        check.eq(q.get_queue_attributes(QueueUrl=a, AttributeNames=["VisibilityTimeout"])["Attributes"],
                 {"VisibilityTimeout": a_vis}, "attributes as stored")
        check.eq(q.get_queue_attributes(QueueUrl=a, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"],
                 {"ApproximateNumberOfMessages": str(acked)}, "reads still served: every acknowledged message")

        os.unlink(os.path.join(mnt, "filler"))
        b = q.create_queue(QueueName="b", tags=BIG_TAGS)["QueueUrl"]
        q.send_message(QueueUrl=b, MessageBody="in b")
        q.tag_queue(QueueUrl=a, Tags={"k": "v2"})

        s.restart(kill=True)
        q = s.client("sqs")
        check.eq(sorted(q.list_queues()["QueueUrls"]), [a, b], "after kill -9: both queues")
        check.eq(q.get_queue_attributes(QueueUrl=a, AttributeNames=["VisibilityTimeout"])["Attributes"],
                 {"VisibilityTimeout": a_vis}, "after kill -9: a's attributes")
        check.eq(q.get_queue_attributes(QueueUrl=a, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"],
                 {"ApproximateNumberOfMessages": str(acked)}, "after kill -9: a's acknowledged messages")
        check.eq([m["Body"] for m in q.receive_message(QueueUrl=b).get("Messages", [])], ["in b"], "after kill -9: b's message")
        check.eq(tag_keys(q, a), sorted(a_tags), "after kill -9: a's tags")
        check.eq(q.list_queue_tags(QueueUrl=a)["Tags"]["k"], "v2", "after kill -9: a's tag set after the disk had room")
        check.eq(tag_keys(q, b), sorted(BIG_TAGS), "after kill -9: b's tags")
finally:
    subprocess.run(["umount", "-l", mnt])
    os.rmdir(mnt)
check.done()
