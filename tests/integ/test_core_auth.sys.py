"""SigV4 over the SQS query protocol with Debian's boto3 1.26: signed form
requests, query-protocol auth errors, and presigned URLs (query-string auth)."""
import urllib.error
import urllib.request

from harness import Checks, Server

t = Checks()
with Server("--auth", "sigv4", "--auth-keys", "AKIDGOOD:goodsecret") as s:
    good = s.client("sqs", aws_access_key_id="AKIDGOOD", aws_secret_access_key="goodsecret")
    url = good.create_queue(QueueName="signed")["QueueUrl"]
    t.eq(good.list_queues()["QueueUrls"], [url], "signed query request")
    bad = s.client("sqs", aws_access_key_id="AKIDGOOD", aws_secret_access_key="wrong")
    e = t.raises(lambda: bad.list_queues(), "SignatureDoesNotMatch", "wrong secret over query")
    if e is not None:
        t.eq(e.response["ResponseMetadata"]["HTTPStatusCode"], 403, "wrong secret status")
        t.true("The Canonical String for this request should have been" in e.response["Error"]["Message"],
               "mismatch message carries the canonical request")
    t.raises(lambda: s.client("sqs", aws_access_key_id="AKIDNOBODY", aws_secret_access_key="x").list_queues(),
             "InvalidClientTokenId", "unknown key over query")

    # botocore presigns query operations for their own method, POST (with an unsigned payload).
    presigned = good.generate_presigned_url("list_queues", Params={}, ExpiresIn=60)
    with urllib.request.urlopen(urllib.request.Request(presigned, data=b"", method="POST"), timeout=10) as r:
        body = r.read().decode()
        t.eq(r.status, 200, "presigned URL accepted")
        t.true("<QueueUrl>%s</QueueUrl>" % url in body, "presigned ListQueues answer: %s" % body[:200])
    tampered = presigned.replace("X-Amz-Signature=", "X-Amz-Signature=0")
    try:
        urllib.request.urlopen(urllib.request.Request(tampered, data=b"", method="POST"), timeout=10)
        t.true(False, "tampered presigned URL refused")
    except urllib.error.HTTPError as err:
        t.eq(err.code, 403, "tampered presigned URL status")
t.done()
