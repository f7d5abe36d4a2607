"""A full disk, with boto3: the data dir is a 24 MiB tmpfs, then filled. Writes that cannot be stored are
answered with InternalFailure (500), the server keeps serving reads, and nothing unstored shows: an SQS
CreateQueue, TagQueue or SetQueueAttributes, a DynamoDB CreateTable, TagResource or UpdateTimeToLive, a
Lambda CreateFunction, TagResource, UpdateFunctionConfiguration or CreateEventSourceMapping whose commit
failed is not in memory either (a retried CreateQueue used to find the queue created in memory and answer
200; after a restart it was gone, with the messages sent to it since). Once space is back everything works
and survives kill -9. Mounting needs root: skipped (77) without it."""
import io
import os
import subprocess
import sys
import tempfile
import zipfile

from botocore.exceptions import ClientError
from harness import Checks, Server, attr, key

check = Checks()
mnt = tempfile.mkdtemp(prefix="awsemu-full-")
if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mnt], capture_output=True).returncode != 0:
    print("skip: cannot mount a tmpfs here (needs root)")
    os.rmdir(mnt)
    sys.exit(77)
# Created before the server starts: on a nearly full tmpfs even creating a file can fail for a
# moment (the checkpointer's preallocation of the log ahead holds pages until it gives up).
open(os.path.join(mnt, "filler"), "wb").close()

FAILED = "InternalFailure 500"
ESM_QUEUES = 300  # sources for event source mappings, one each, created before the disk fills
BIG_TAGS = {"t%02d" % i: "v" * 250 for i in range(40)}  # ~11 KB: several pages to store


def code(fn):
    try:
        fn()
        return "ok"
    except ClientError as e:
        return "%s %d" % (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])


def outcome(what, fn):
    """Runs a write on the full disk: it may fit in what room failed writes left in the log file, or not."""
    got = code(fn)
    check.true(got in ("ok", FAILED), "%s on a full disk: %s" % (what, got))
    return got == "ok"


def until_full(fn, what):
    """Repeats a small write until it fails: it takes what room is left in the log's last pages."""
    for i in range(5000):
        got = code(lambda: fn(i))
        if got != "ok":
            check.eq(got, FAILED, "%s: the write that found no room" % what)
            return i
    check.true(False, "%s: never ran out of room" % what)
    return 5000


def fill_disk():
    """Unbuffered: a buffered file keeps what the full disk refused and raises ENOSPC again on close."""
    fd = os.open(os.path.join(mnt, "filler"), os.O_WRONLY | os.O_APPEND)
    try:
        while os.write(fd, b"\0" * 65536) > 0:
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def sqs_full(s):
    q = s.client("sqs")
    a = q.create_queue(QueueName="a", tags={"k": "v1"})["QueueUrl"]
    q.send_message(QueueUrl=a, MessageBody="first")
    fill_disk()
    acked = 1 + until_full(lambda i: q.send_message(QueueUrl=a, MessageBody="x" * 200000), "SendMessage (200 KB)")
    acked += until_full(lambda i: q.send_message(QueueUrl=a, MessageBody="small %d" % i), "SendMessage")
    tags = sorted(list(BIG_TAGS) + ["k"]) if outcome("TagQueue", lambda: q.tag_queue(QueueUrl=a, Tags=BIG_TAGS)) else ["k"]
    check.eq(sorted(q.list_queue_tags(QueueUrl=a)["Tags"]), tags, "SQS tags as stored")
    created = [code(lambda: q.create_queue(QueueName="b", tags=BIG_TAGS)) for attempt in range(2)]
    check.eq(created, [FAILED] * 2, "CreateQueue on a full disk, and its retry")
    check.eq(q.list_queues(QueueNamePrefix="b").get("QueueUrls"), None, "the queue whose commit failed is not listed")
    check.eq(code(lambda: q.get_queue_url(QueueName="b")), "AWS.SimpleQueueService.NonExistentQueue 400", "nor found by name")
    policy = '{"Version":"2012-10-17","Id":"%s","Statement":[]}' % ("p" * 8000)  # under SQS's 8,192-byte quota
    vis = "99" if outcome("SetQueueAttributes", lambda: q.set_queue_attributes(
        QueueUrl=a, Attributes={"VisibilityTimeout": "99", "Policy": policy})) else "30"
    check.eq(q.get_queue_attributes(QueueUrl=a, AttributeNames=["VisibilityTimeout"])["Attributes"]["VisibilityTimeout"],
             vis, "SQS attributes as stored")
    count = q.get_queue_attributes(QueueUrl=a, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    check.eq(count["ApproximateNumberOfMessages"], str(acked), "reads still served: every acknowledged message")
    return a, acked, tags, vis


def ddb_full(s):
    d = s.client("dynamodb")
    d.create_table(TableName="tab1", KeySchema=[key("pk", "HASH")], AttributeDefinitions=[attr("pk", "S")],
                   BillingMode="PAY_PER_REQUEST")
    d.put_item(TableName="tab1", Item={"pk": {"S": "first"}})
    return d, d.describe_table(TableName="tab1")["Table"]["TableArn"]


def ddb_writes(d, arn):
    acked = 1 + until_full(lambda i: d.put_item(TableName="tab1", Item={"pk": {"S": "small %d" % i}}), "PutItem")
    gsis = [{"IndexName": "gsi%d" % i, "KeySchema": [key("x%d" % i, "HASH")], "Projection": {"ProjectionType": "ALL"}}
            for i in range(20)]
    tags = [{"Key": k, "Value": v} for k, v in BIG_TAGS.items()]
    created = [code(lambda: d.create_table(
        TableName="tab2", KeySchema=[key("pk", "HASH")], BillingMode="PAY_PER_REQUEST", GlobalSecondaryIndexes=gsis,
        AttributeDefinitions=[attr("pk", "S")] + [attr("x%d" % i, "S") for i in range(20)], Tags=tags)) for _ in range(2)]
    check.eq(created[0], FAILED, "CreateTable on a full disk")
    tables = ["tab1", "tab2"] if created[1] == "ok" else ["tab1"]
    check.eq(d.list_tables()["TableNames"], tables, "tables as stored")
    ntags = len(tags) if outcome("TagResource (DynamoDB)", lambda: d.tag_resource(ResourceArn=arn, Tags=tags)) else 0
    check.eq(len(d.list_tags_of_resource(ResourceArn=arn).get("Tags", [])), ntags, "DynamoDB tags as stored")
    ttl = "ENABLED" if outcome("UpdateTimeToLive", lambda: d.update_time_to_live(
        TableName="tab1", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})) else "DISABLED"
    check.eq(d.describe_time_to_live(TableName="tab1")["TimeToLiveDescription"]["TimeToLiveStatus"], ttl, "TTL as stored")
    return acked, tables, ntags, ttl


def lambda_full(s):
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("index.js", "exports.handler = async (e) => e;")
    fn = dict(Runtime="nodejs20.x", Role="arn:aws:iam::000000000000:role/r", Handler="index.handler",
              Code={"ZipFile": zbuf.getvalue()})
    lam = s.client("lambda")
    arn = lam.create_function(FunctionName="f", **fn)["FunctionArn"]
    q = s.client("sqs")
    for i in range(ESM_QUEUES):
        q.create_queue(QueueName="m%d" % i)
    return lam, arn, fn


def lambda_writes(lam, arn, fn):
    until_full(lambda i: lam.tag_resource(Resource=arn, Tags={"n": str(i)}), "TagResource (Lambda)")
    env = {"Variables": {"V%d" % i: "x" * 100 for i in range(30)}}
    created = [code(lambda: lam.create_function(FunctionName="g", Description="d" * 256, Environment=env, Tags=BIG_TAGS, **fn))
               for _ in range(2)]
    check.eq(created[0], FAILED, "CreateFunction on a full disk")
    fns = ["f", "g"] if created[1] == "ok" else ["f"]
    check.eq([f["FunctionName"] for f in lam.list_functions()["Functions"]], fns, "functions as stored")
    tagged = outcome("TagResource (Lambda, big)", lambda: lam.tag_resource(Resource=arn, Tags=BIG_TAGS))
    ntags = len(lam.list_tags(Resource=arn)["Tags"])
    check.true(ntags > len(BIG_TAGS) if tagged else ntags == 1, "Lambda tags as stored: %d" % ntags)
    desc = "d" * 256 if outcome("UpdateFunctionConfiguration", lambda: lam.update_function_configuration(
        FunctionName="f", Description="d" * 256, Environment=env)) else ""
    check.eq(lam.get_function_configuration(FunctionName="f").get("Description", ""), desc, "Lambda configuration as stored")
    return fns, ntags, desc


def esm_writes(lam):
    n = until_full(lambda i: lam.create_event_source_mapping(
        EventSourceArn="arn:aws:sqs:us-east-1:000000000000:m%d" % i, FunctionName="f", BatchSize=1),
        "CreateEventSourceMapping")
    check.true(n < ESM_QUEUES, "event source mappings ran out of room before their queues: %d" % n)
    return esm_sources(lam), n


def esm_sources(lam):
    return sorted(m["EventSourceArn"].rsplit(":", 1)[1] for m in lam.list_event_source_mappings()["EventSourceMappings"])


server = Server(data_dir=os.path.join(mnt, "data"))
try:
    with server as s:
        d, table_arn = ddb_full(s)
        lam, fn_arn, fn = lambda_full(s)
        a, acked, a_tags, a_vis = sqs_full(s)  # fills the disk
        items, tables, ntags, ttl = ddb_writes(d, table_arn)
        fns, fn_tags, desc = lambda_writes(lam, fn_arn, fn)
        sources, n_esm = esm_writes(lam)
        check.eq(sources, sorted("m%d" % i for i in range(n_esm)), "mappings as stored")

        os.unlink(os.path.join(mnt, "filler"))
        q = s.client("sqs")
        b = q.create_queue(QueueName="b", tags=BIG_TAGS)["QueueUrl"]
        q.send_message(QueueUrl=b, MessageBody="in b")
        q.tag_queue(QueueUrl=a, Tags={"k": "v2"})

        s.restart(kill=True)
        q, d, lam = s.client("sqs"), s.client("dynamodb"), s.client("lambda")
        check.eq([q.list_queues(QueueNamePrefix=p)["QueueUrls"] for p in "ab"], [[a], [b]], "after kill -9: both queues")
        count = q.get_queue_attributes(QueueUrl=a, AttributeNames=["All"])["Attributes"]
        check.eq((count["ApproximateNumberOfMessages"], count["VisibilityTimeout"]), (str(acked), a_vis),
                 "after kill -9: a's acknowledged messages and attributes")
        check.eq([m["Body"] for m in q.receive_message(QueueUrl=b).get("Messages", [])], ["in b"], "after kill -9: b's message")
        tags = q.list_queue_tags(QueueUrl=a)["Tags"]
        check.eq((sorted(tags), tags["k"]), (a_tags, "v2"), "after kill -9: a's tags")
        check.eq(sorted(q.list_queue_tags(QueueUrl=b)["Tags"]), sorted(BIG_TAGS), "after kill -9: b's tags")
        check.eq(d.list_tables()["TableNames"], tables, "after kill -9: tables")
        check.eq(d.scan(TableName="tab1", Select="COUNT")["Count"], items, "after kill -9: every acknowledged item")
        check.eq(len(d.list_tags_of_resource(ResourceArn=table_arn).get("Tags", [])), ntags, "after kill -9: DynamoDB tags")
        check.eq(d.describe_time_to_live(TableName="tab1")["TimeToLiveDescription"]["TimeToLiveStatus"], ttl,
                 "after kill -9: TTL")
        check.eq([f["FunctionName"] for f in lam.list_functions()["Functions"]], fns, "after kill -9: functions")
        check.eq(len(lam.list_tags(Resource=fn_arn)["Tags"]), fn_tags, "after kill -9: Lambda tags")
        check.eq(lam.get_function_configuration(FunctionName="f").get("Description", ""), desc,
                 "after kill -9: Lambda configuration")
        check.eq(esm_sources(lam), sources, "after kill -9: event source mappings")
finally:
    subprocess.run(["umount", "-l", mnt])
    os.rmdir(mnt)
    if check.failed:  # which call answered what, and which database's commit failed when (the harness keeps 80 lines)
        sys.stderr.write("--- awsemu log, whole ---\n" + "".join(server.log))
check.done()
