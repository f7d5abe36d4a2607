"""The foundation's SQS slice over the query protocol, with Debian's boto3 1.26
(/usr/bin/python3) and Debian's aws CLI v2 (/usr/bin/aws): queue URLs come
from the request's Host; DynamoDB and Lambda listings with the same clients."""
import boto3

from harness import Checks, Server

t = Checks()
t.true(boto3.__version__.startswith("1.26"), "Debian's boto3 (query protocol): %s" % boto3.__version__)
with Server() as s:
    sqs = s.client("sqs")
    url = sqs.create_queue(QueueName="q-slice")["QueueUrl"]
    t.eq(url, "%s/000000000000/q-slice" % s.endpoint, "CreateQueue over query")
    t.eq(sqs.get_queue_url(QueueName="q-slice")["QueueUrl"], url, "GetQueueUrl over query")
    t.eq(sqs.list_queues()["QueueUrls"], [url], "ListQueues over query")
    t.raises(lambda: sqs.get_queue_url(QueueName="nope"), "AWS.SimpleQueueService.NonExistentQueue", "query error code")
    # The same queue through the path (older SDKs address the queue in the URL path).
    sqs.delete_queue(QueueUrl=url)
    t.eq(sqs.list_queues().get("QueueUrls", []), [], "DeleteQueue over query")

    rc, out, err = s.cli("sqs", "create-queue", "--queue-name", "cli-q", v2=True)
    t.eq(out, {"QueueUrl": "%s/000000000000/cli-q" % s.endpoint}, "aws CLI v2 create-queue")
    rc, out, err = s.cli("sqs", "list-queues", v2=True)
    t.eq(out, {"QueueUrls": ["%s/000000000000/cli-q" % s.endpoint]}, "aws CLI v2 list-queues")
    rc, out, err = s.cli("sqs", "get-queue-url", "--queue-name", "missing", v2=True, check=False)
    t.true(rc != 0 and "NonExistentQueue" in err, "aws CLI v2 error: %s" % err.strip())
    rc, out, err = s.cli("dynamodb", "list-tables", v2=True)
    t.eq(out, {"TableNames": []}, "aws CLI v2 list-tables")
    rc, out, err = s.cli("lambda", "list-functions", v2=True)
    t.eq(out, {"Functions": []}, "aws CLI v2 list-functions")
t.done()
