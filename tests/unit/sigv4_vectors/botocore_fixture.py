# Regenerates the botocore-*.txt vectors: requests signed by botocore's own SigV4
# signers (header and presigned forms) at a fixed time. Run: python3 botocore_fixture.py
import datetime
from unittest import mock
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

CREDS = Credentials("123456789012", "s3cr3t/Key+example")
FIXED = datetime.datetime(2024, 5, 17, 10, 11, 12)


def write(name, auth, req):
    with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED):
        auth.add_auth(req)
    url = urlsplit(req.url)
    target = url.path + ("?" + url.query if url.query else "")
    lines = [f"{req.method} {target} HTTP/1.1", f"Host:{url.netloc}"]
    lines += [f"{k}:{v}" for k, v in req.headers.items()]
    body = req.body or b""
    with open(name, "wb") as f:
        f.write(("\n".join(lines) + "\n\n").encode() + body)


write("botocore-dynamodb.txt", SigV4Auth(CREDS, "dynamodb", "eu-west-1"),
      AWSRequest(method="POST", url="http://localhost:4566/", data=b'{"TableName":"t1"}',
                 headers={"Content-Type": "application/x-amz-json-1.0",
                          "X-Amz-Target": "DynamoDB_20120810.DescribeTable"}))
write("botocore-lambda.txt", SigV4Auth(CREDS, "lambda", "us-east-1"),
      AWSRequest(method="POST", data=b'{"k": "v  w"}', headers={"X-Amz-Invocation-Type": "RequestResponse"},
                 url="http://localhost:4566/2015-03-31/functions/"
                     "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/invocations?Qualifier=%24LATEST"))
write("botocore-presigned-sqs.txt", SigV4QueryAuth(CREDS, "sqs", "us-east-1", expires=900),
      AWSRequest(method="GET", url="http://localhost:4566/?Action=ListQueues&QueueNamePrefix=a%20b%2Bc"))
