"""Durability of the foundation slices: create an SQS queue and a DynamoDB
table, kill -9 the server, start it again on the same data directory: both
are still there. A delete, killed the same way, stays deleted."""
from harness import Checks, Server

t = Checks()
with Server() as s:
    sqs, ddb = s.client("sqs"), s.client("dynamodb")
    url = sqs.create_queue(QueueName="durable-q", Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
    sqs.create_queue(QueueName="doomed-q")
    ddb.create_table(TableName="durable-t", AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    s.restart(kill=True)
    sqs, ddb = s.client("sqs"), s.client("dynamodb")
    t.eq(sqs.get_queue_url(QueueName="durable-q")["QueueUrl"], url, "queue survives kill -9")
    t.eq(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"],
         {"VisibilityTimeout": "45"}, "queue attributes survive")
    t.eq(ddb.describe_table(TableName="durable-t")["Table"]["TableStatus"], "ACTIVE", "table survives kill -9")
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName="doomed-q")["QueueUrl"])
    ddb.delete_table(TableName="durable-t")
    s.restart(kill=True)
    sqs, ddb = s.client("sqs"), s.client("dynamodb")
    t.eq(sorted(sqs.list_queues().get("QueueUrls", [])), [url], "deleted queue stays deleted")
    t.eq(ddb.list_tables()["TableNames"], [], "deleted table stays deleted")
t.done()
