"""Request limits with boto3: a DynamoDB item nested 32 levels deep goes in and
comes back whole; one level more gets DynamoDB's nesting error. A body over
--max-body gets the 413 error of the service it was meant for, from boto3's
view (bodies up to twice the limit are read, then refused) and from curl's
(larger ones are refused by h2o before they are read, also chunked); the
server keeps serving. Lambda's code uploads take AWS's own limit whatever
--max-body says: a 13 MB zip (17 MB of JSON, over the default 16 MiB) goes in
by CreateFunction, UpdateFunctionCode and PublishLayerVersion, and a body over
69,905,067 bytes gets AWS's refusal. A zip of 2,000 files, unpacked in the
background, is whole at the invoke that follows its upload."""
import hashlib
import http.client
import json
import os
import subprocess

from harness import Checks, Server, zip_of

t = Checks()


def nested(levels):
    """An attribute value whose innermost scalar is at `levels` (the attribute itself is level 1)."""
    v = {"S": "bottom"}
    for i in range(levels - 1):
        v = {"M": {"k%d" % i: v}} if i % 2 else {"L": [v]}
    return v


with Server() as s:
    ddb = s.client("dynamodb")
    ddb.create_table(TableName="deep", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    item = {"pk": {"S": "a"}, "doc": nested(32)}
    ddb.put_item(TableName="deep", Item=item)
    got = ddb.get_item(TableName="deep", Key={"pk": {"S": "a"}})
    t.eq(got.get("Item"), item, "32-level item read back whole")
    e = t.raises(lambda: ddb.put_item(TableName="deep", Item={"pk": {"S": "b"}, "doc": nested(33)}), "ValidationException",
                 "33-level item")
    if e is not None:
        # inside PutItem's request-validation envelope (paritysuite/dynamodb-conformance valueLayers, 2026-10-09)
        t.eq(e.response["Error"]["Message"], "1 validation error detected: Nesting Levels have exceeded supported limits: "
             "Attributes in the item have nested levels beyond supported limit", "33-level item message")
    t.eq("Item" in ddb.get_item(TableName="deep", Key={"pk": {"S": "b"}}), False, "33-level item not stored")

    # Lambda's code uploads: 13 MB of zip is 17.5 MB once base64'd in JSON, over the default --max-body
    lam = s.client("lambda")
    big = zip_of({"app.py": "def handler(event, context):\n    return {'got': event['n'] * 2}\n",
                  "blob.bin": os.urandom(13 * 1000 * 1000)})
    fn = lam.create_function(FunctionName="big", Runtime="python3.11", Handler="app.handler",
                             Role="arn:aws:iam::000000000000:role/r", Code={"ZipFile": big})
    t.eq(fn["CodeSize"], len(big), "CreateFunction takes a 13 MB zip")
    out = lam.invoke(FunctionName="big", Payload=json.dumps({"n": 21}))
    t.eq(json.loads(out["Payload"].read()), {"got": 42}, "the big function runs")
    t.eq(lam.update_function_code(FunctionName="big", ZipFile=big + b"")["CodeSize"], len(big), "UpdateFunctionCode takes it")
    layer = lam.publish_layer_version(LayerName="big", Content={"ZipFile": big})
    t.eq(layer["Content"]["CodeSize"], len(big), "PublishLayerVersion takes it")

    # A zip of 2,000 files is unpacked in the background: an invoke right after the upload waits for it
    def many(mark):
        files = {"lib/%d/f%d.txt" % (i % 40, i): mark * 10 for i in range(2000)}
        files["app.py"] = ("import os\ndef handler(event, context):\n    n = sum(len(f) for _, _, f in os.walk('lib'))\n"
                           "    return {'files': n, 'mark': open('lib/0/f0.txt').read()[:1]}\n")
        return zip_of(files)
    lam.create_function(FunctionName="many", Runtime="python3.11", Handler="app.handler",
                        Role="arn:aws:iam::000000000000:role/r", Code={"ZipFile": many("a")})
    out = lam.invoke(FunctionName="many", Payload=b"{}")
    t.eq(json.loads(out["Payload"].read()), {"files": 2000, "mark": "a"}, "every file there at the first invoke")
    lam.update_function_code(FunctionName="many", ZipFile=many("b"))
    out = lam.invoke(FunctionName="many", Payload=b"{}")
    t.eq(json.loads(out["Payload"].read()), {"files": 2000, "mark": "b"}, "the new code's files at the next invoke")
    # what an unpacking killed mid-way by an earlier run left goes at the next clean-up; this run's stays
    code = os.path.join(s.data_dir, "lambda", "code")
    left, ours = os.path.join(code, "a" * 64 + ".tmp1.0"), os.path.join(code, "b" * 64 + ".tmp%d.0" % s.proc.pid)
    for d in (left, ours):
        os.makedirs(os.path.join(d, "lib"))
    lam.delete_function(FunctionName="many")
    t.eq((os.path.exists(left), os.path.exists(ours)), (False, True), "an earlier run's half-written code directory removed")
    # deleted while its 2,000 files are being written: nothing of it is left
    gone = many("c")
    lam.create_function(FunctionName="gone", Runtime="python3.11", Handler="app.handler",
                        Role="arn:aws:iam::000000000000:role/r", Code={"ZipFile": gone})
    lam.delete_function(FunctionName="gone")
    hexname = hashlib.sha256(gone).hexdigest()
    t.eq([d for d in os.listdir(code) if d.startswith(hexname)], [], "a function deleted mid-unpacking leaves no code directory")

MAX = 1048576
OVER = "x" * (MAX + 100000)  # over the limit, under twice it


def too_large(fn, code, message, what):
    """fn raises the 413 error code with message."""
    e = t.raises(fn, code, what)
    if e is not None:
        t.eq(e.response["ResponseMetadata"]["HTTPStatusCode"], 413, what + ": status")
        t.eq(e.response["Error"]["Message"], message, what + ": message")


with Server("--max-body", str(MAX)) as s:
    ddb = s.client("dynamodb")
    too_large(lambda: ddb.put_item(TableName="t", Item={"pk": {"S": "a"}, "big": {"S": OVER}}), "RequestEntityTooLargeException",
              "Request must be smaller than %d bytes for the PutItem operation" % MAX, "DynamoDB body over --max-body")
    t.eq(ddb.list_tables()["TableNames"], [], "DynamoDB serves afterwards")

    sqs = s.client("sqs")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    too_large(lambda: sqs.send_message(QueueUrl=url, MessageBody=OVER), "RequestEntityTooLarge",
              "HTTP content length exceeded %d bytes." % MAX, "SQS JSON body over --max-body")
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    c.request("POST", "/", body=("Action=SendMessage&Version=2012-11-05&QueueUrl=%s&MessageBody=%s" % (url, OVER)).encode(),
              headers={"Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    body = r.read()
    t.eq(r.status, 413, "SQS query 413")
    t.true(b"<Code>RequestEntityTooLarge</Code>" in body and b"<RequestId>" in body, "SQS query ErrorResponse: %r" % body[:300])
    c.close()
    t.eq(len(sqs.list_queues()["QueueUrls"]), 1, "SQS serves afterwards")

    lam = s.client("lambda")
    too_large(lambda: lam.invoke(FunctionName="f", Payload=json.dumps({"a": OVER}).encode()), "RequestEntityTooLargeException",
              "Request must be smaller than %d bytes for the InvokeFunction operation" % MAX, "Lambda Invoke over --max-body")
    t.eq(lam.list_functions()["Functions"], [], "Lambda serves afterwards")
    # a code upload takes AWS's limit, not --max-body: a 1.5 MB zip goes in, a body over AWS's gets its refusal
    small = zip_of({"app.py": "def handler(e, c):\n    return 1\n", "blob.bin": os.urandom(1500000)})
    t.eq(lam.create_function(FunctionName="over-max-body", Runtime="python3.11", Handler="app.handler",
                             Role="arn:aws:iam::000000000000:role/r", Code={"ZipFile": small})["CodeSize"], len(small),
         "CreateFunction over --max-body")
    huge_zip = b"x" * 52500000  # base64: 70,000,000 characters
    too_large(lambda: lam.update_function_code(FunctionName="over-max-body", ZipFile=huge_zip), "RequestEntityTooLargeException",
              "Request must be smaller than 69905067 bytes for the UpdateFunctionCode operation", "UpdateFunctionCode over AWS's limit")
    too_large(lambda: lam.create_function(FunctionName="huge", Runtime="python3.11", Handler="app.handler",
                                          Role="arn:aws:iam::000000000000:role/r", Code={"ZipFile": huge_zip}),
              "RequestEntityTooLargeException", "Request must be smaller than 69905067 bytes for the CreateFunction operation",
              "CreateFunction over AWS's limit")
    t.eq([f["FunctionName"] for f in lam.list_functions()["Functions"]], ["over-max-body"], "Lambda serves afterwards")

    # Over twice the largest limit (Lambda's code uploads') h2o refuses the body unread; the answer is still
    # DynamoDB's. (A sparse file: nothing is written to disk.)
    huge = "/tmp/awsemu-limits-%d.body" % s.port
    with open(huge, "wb") as f:
        f.truncate(2 * 69905067 + MAX)
    for what, extra in [("Content-Length", []), ("chunked", ["-H", "Transfer-Encoding: chunked"])]:
        out = subprocess.run(["curl", "-s", "-i", "-X", "POST", "-H", "X-Amz-Target: DynamoDB_20120810.PutItem",
                              "-H", "Content-Type: application/x-amz-json-1.0", "--data-binary", "@" + huge] + extra +
                             ["http://127.0.0.1:%d/" % s.port], capture_output=True, timeout=30).stdout
        while out.startswith(b"HTTP/1.1 100"):  # curl's Expect: 100-continue
            out = out.partition(b"\r\n\r\n")[2]
        head, _, body = out.partition(b"\r\n\r\n")
        t.true(head.startswith(b"HTTP/1.1 413"), "curl %s: 413 (%r)" % (what, head[:60]))
        t.true(b"x-amzn-requestid" in head.lower() and b"x-amz-crc32" in head.lower(), "curl %s: DynamoDB headers" % what)
        try:
            t.eq(json.loads(body).get("__type"), "com.amazon.coral.service#RequestEntityTooLargeException", "curl %s: __type" % what)
        except ValueError:
            t.true(False, "curl %s: JSON body %r" % (what, body[:200]))
    os.remove(huge)
    t.eq(ddb.list_tables()["TableNames"], [], "DynamoDB serves after h2o's refusals")
t.done()
