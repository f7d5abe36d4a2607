"""test_sqs_cli.py - SQS through the aws CLIs: v1 on python3 (JSON 1.0) and Debian's v2 at
/usr/bin/aws (query protocol). Same commands, same answers, same error codes."""
import hashlib
import json

from harness import Checks, Server

ck = Checks()

with Server() as s:
    for v2, tag in ((False, "v1"), (True, "v2")):
        def aws(*a, check=True):
            return s.cli("sqs", *a, v2=v2, check=check)
        name = "cli-" + tag
        _, out, _ = aws("create-queue", "--queue-name", name, "--attributes", "VisibilityTimeout=1,DelaySeconds=0")
        url = out["QueueUrl"]
        ck.eq(url, "%s/000000000000/%s" % (s.endpoint, name), tag + " create")
        _, out, _ = aws("get-queue-url", "--queue-name", name)
        ck.eq(out["QueueUrl"], url, tag + " get url")
        _, out, _ = aws("send-message", "--queue-url", url, "--message-body", "hello cli",
                        "--message-attributes", json.dumps({"k": {"DataType": "String", "StringValue": "v"}}))
        ck.eq(out["MD5OfMessageBody"], hashlib.md5(b"hello cli").hexdigest(), tag + " body md5")
        _, out, _ = aws("receive-message", "--queue-url", url, "--message-attribute-names", "All",
                        "--attribute-names", "All", "--wait-time-seconds", "1")
        m = out["Messages"][0]
        ck.eq((m["Body"], m["MessageAttributes"]["k"]["StringValue"]), ("hello cli", "v"), tag + " receive")
        ck.eq(m["Attributes"]["ApproximateReceiveCount"], "1", tag + " receive count")
        aws("delete-message", "--queue-url", url, "--receipt-handle", m["ReceiptHandle"])
        _, out, _ = aws("get-queue-attributes", "--queue-url", url, "--attribute-names", "All")
        ck.eq(out["Attributes"]["VisibilityTimeout"], "1", tag + " attributes")
        ck.eq(out["Attributes"]["ApproximateNumberOfMessages"], "0", tag + " deleted")
        rc, _, err = aws("get-queue-url", "--queue-name", "missing-" + tag, check=False)
        ck.true(rc != 0 and "NonExistentQueue" in err, tag + " missing queue error: " + err.strip()[:120])
        rc, _, err = aws("receive-message", "--queue-url", url, "--max-number-of-messages", "11", check=False)
        ck.true(rc != 0 and "InvalidParameterValue" in err, tag + " max 11 error")
        _, out, _ = aws("list-queues", "--queue-name-prefix", "cli-" + tag)
        ck.eq(out["QueueUrls"], [url], tag + " list")
        aws("delete-queue", "--queue-url", url)
ck.done()
