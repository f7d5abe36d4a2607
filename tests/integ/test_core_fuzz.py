"""Mutation fuzzing of valid requests, bounded: a fixed-seed random walk mutates the leaves, keys and
lists of valid SQS (JSON and query form), DynamoDB, DynamoDB Streams and Lambda requests (edge
numbers, types swapped, expression fragments, unicode, nulls, deleted and renamed members) and sends
them to one server for a fixed time. Every answer must be below 500 and the server must stay up; under
the ASan+UBSan build any memory error or undefined behaviour stops it. The crashes it found were fixed
with targeted tests (ytree integers, NULs in forms, CreateTable without KeySchema, nulls inside
collections); this keeps the whole surface under the same pressure. Raw HTTP over http.client."""
import base64
import copy
import http.client
import io
import json
import random
import time
import urllib.parse
import zipfile

from harness import Checks, RawConn, Server

check = Checks()
SECONDS = 12  # per seed; three seeds
PIECES = ["(", ")", " ", ",", ".", "[", "]", "#", ":", "=", "<", ">", "<>", "AND", "OR", "NOT", "BETWEEN", "IN", "SET",
          "REMOVE", "ADD", "DELETE", "size", "if_not_exists", "list_append", "+", "-", "9" * 40, "\u00e9",
          "\U0001F600", '"', "'", "\\", "\n", "%", "&", "x" * 300, "[99999999999]", "[-1]", ".#a", ":v"]
EDGES = [0, -1, 2 ** 31, 2 ** 63, -2 ** 63 - 1, 10 ** 40, 9223372036854775810, 1e308, -1e-308, 0.5, True, None, "",
         "1e126", "-1e-130", [], {}, "x" * 5000]


class Fuzzer:
    def __init__(self, seed):
        self.rnd = random.Random(seed)

    def text(self, s):
        s = list(s)
        for _ in range(self.rnd.randint(1, 4)):
            i = self.rnd.randint(0, len(s))
            op = self.rnd.randint(0, 3)
            if op == 0:
                s[i:i] = list(self.rnd.choice(PIECES))
            elif op == 1 and s:
                del s[i:i + self.rnd.randint(1, 5)]
            elif op == 2 and s:
                s[i:i] = s[self.rnd.randrange(len(s)):][:self.rnd.randint(1, 20)]
            else:
                s = s[:i]
        return "".join(s)

    def value(self, v, depth=0):
        r = self.rnd
        if r.random() < 0.08:
            return r.choice(EDGES)
        if isinstance(v, dict):
            v = {k: self.value(x, depth + 1) if r.random() < 0.3 else x for k, x in v.items()}
            if r.random() < 0.1 and v:
                del v[r.choice(list(v))]
            if r.random() < 0.1 and v:
                k = r.choice(list(v))
                v[self.text(k)] = v.pop(k)
            return v
        if isinstance(v, list):
            v = [self.value(x, depth + 1) if r.random() < 0.3 else x for x in v]
            if r.random() < 0.1 and v:
                v = v * r.randint(2, 30)
            if r.random() < 0.1 and v:
                v.pop(r.randrange(len(v)))
            return v
        if isinstance(v, str):
            return self.text(v) if r.random() < 0.7 else v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return r.choice(EDGES)
        return v


def send(conn, method, path, body, headers):
    """(status, body), or (None, b"") when the connection failed twice."""
    try:
        st, _, data = conn.send(method, path, body, headers)
        return st, data
    except (OSError, http.client.HTTPException, ValueError):
        return None, b""


def auth(service):
    return "AWS4-HMAC-SHA256 Credential=AK/20250101/us-east-1/%s/aws4_request, SignedHeaders=host, Signature=x" % service


def json_req(target, doc):
    service = "sqs" if target.startswith("AmazonSQS") else "dynamodb"
    return "POST", "/", json.dumps(doc), {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target,
                                          "Authorization": auth(service)}


def setup(conn, port):
    """Creates what the seeds name; returns the seed requests: (kind, target or method+path, document)."""
    for target, doc in [("AmazonSQS.CreateQueue", {"QueueName": "fz"}),
                        ("DynamoDB_20120810.CreateTable", {"TableName": "fuzz", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                                           "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                                                           "BillingMode": "PAY_PER_REQUEST",
                                                           "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
                        ("DynamoDB_20120810.PutItem", {"TableName": "fuzz", "Item": {"pk": {"S": "a"}, "n": {"N": "1"}}})]:
        check.eq(send(conn, *json_req(target, doc))[0], 200, "setup " + target)
    arn = json.loads(send(conn, *json_req("DynamoDB_20120810.DescribeTable", {"TableName": "fuzz"}))[1])["Table"]["LatestStreamArn"]
    shard = json.loads(send(conn, *json_req("DynamoDBStreams_20120810.DescribeStream", {"StreamArn": arn}))[1])
    shard = shard["StreamDescription"]["Shards"][0]["ShardId"]
    it = json.loads(send(conn, *json_req("DynamoDBStreams_20120810.GetShardIterator", {
        "StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}))[1])["ShardIterator"]
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("index.js", "exports.handler = async (e) => e;")
    code = base64.b64encode(zbuf.getvalue()).decode()
    fn = {"FunctionName": "fz", "Runtime": "nodejs20.x", "Role": "arn:aws:iam::000000000000:role/r", "Handler": "index.handler",
          "Code": {"ZipFile": code}, "Environment": {"Variables": {"AB": "b"}}, "Tags": {"t": "v"}, "Timeout": 3}
    check.eq(send(conn, "POST", "/2015-03-31/functions", json.dumps(fn), {"Content-Type": "application/json",
                                                                          "Authorization": auth("lambda")})[0], 201, "setup function")
    q = "http://localhost:%d/000000000000/fz" % port
    av = {"pk": {"S": "a"}, "n": {"N": "1.5e10"}, "l": {"L": [{"M": {"x": {"SS": ["a", "b"]}}}]}, "b": {"B": "AAE="}}
    ddb = "DynamoDB_20120810."
    return [
        ("json", "AmazonSQS.SendMessageBatch", {"QueueUrl": q, "Entries": [
            {"Id": "a", "MessageBody": "x", "DelaySeconds": 1,
             "MessageAttributes": {"n": {"DataType": "Number.x", "StringValue": "1"}, "b": {"DataType": "Binary", "BinaryValue": "AAE="}}},
            {"Id": "b", "MessageBody": "y"}]}),
        ("json", "AmazonSQS.ReceiveMessage", {"QueueUrl": q, "MaxNumberOfMessages": 10, "AttributeNames": ["All"],
                                              "MessageAttributeNames": ["All"], "VisibilityTimeout": 0}),
        ("json", "AmazonSQS.SetQueueAttributes", {"QueueUrl": q, "Attributes": {"Policy": "{\"Version\":\"2012-10-17\"}", "RedrivePolicy":
                                                  "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:fz2\",\"maxReceiveCount\":3}"}}),
        ("json", "AmazonSQS.CreateQueue", {"QueueName": "fz3.fifo", "Attributes": {"FifoQueue": "true", "ContentBasedDeduplication": "true"},
                                           "tags": {"a": "b"}}),
        ("form", None, {"Action": "SendMessageBatch", "Version": "2012-11-05", "QueueUrl": q, "SendMessageBatchRequestEntry.1.Id": "a",
                        "SendMessageBatchRequestEntry.1.MessageBody": "x", "SendMessageBatchRequestEntry.1.MessageAttribute.1.Name": "n",
                        "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType": "Number",
                        "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue": "1"}),
        ("form", None, {"Action": "SetQueueAttributes", "Version": "2012-11-05", "QueueUrl": q, "Attribute.1.Name": "DelaySeconds",
                        "Attribute.1.Value": "0", "Attribute.2.Name": "Policy", "Attribute.2.Value": "{}"}),
        ("json", ddb + "PutItem", {"TableName": "fuzz", "Item": av, "ConditionExpression": "attribute_not_exists(pk) OR size(#l[0].x) > :v",
                                   "ExpressionAttributeNames": {"#l": "l"}, "ExpressionAttributeValues": {":v": {"N": "1"}}}),
        ("json", ddb + "UpdateItem", {"TableName": "fuzz", "Key": {"pk": {"S": "a"}}, "ReturnValues": "ALL_NEW",
                                      "UpdateExpression": "SET #a = list_append(if_not_exists(#a, :e), :v), n = n + :one REMOVE l[0] ADD s :ss",
                                      "ExpressionAttributeNames": {"#a": "arr"},
                                      "ExpressionAttributeValues": {":e": {"L": []}, ":v": {"L": [{"N": "1"}]}, ":one": {"N": "1"}, ":ss": {"SS": ["z"]}}}),
        ("json", ddb + "Query", {"TableName": "fuzz", "KeyConditionExpression": "pk = :p", "Limit": 5, "ProjectionExpression": "l[0].x, n",
                                 "FilterExpression": "n BETWEEN :a AND :b AND contains(l, :p) AND begins_with(pk, :p) AND n IN (:a, :b)",
                                 "ExpressionAttributeValues": {":p": {"S": "a"}, ":a": {"N": "0"}, ":b": {"N": "9e99"}}}),
        ("json", ddb + "Scan", {"TableName": "fuzz", "Segment": 0, "TotalSegments": 2, "Limit": 3, "ExclusiveStartKey": {"pk": {"S": "a"}},
                                "ReturnConsumedCapacity": "INDEXES"}),
        ("json", ddb + "BatchWriteItem", {"RequestItems": {"fuzz": [{"PutRequest": {"Item": {"pk": {"S": "b%d" % i}}}} for i in range(3)]
                                          + [{"DeleteRequest": {"Key": {"pk": {"S": "zz"}}}}]}}),
        ("json", ddb + "TransactWriteItems", {"TransactItems": [{"Put": {"TableName": "fuzz", "Item": {"pk": {"S": "t"}}}},
                                                                {"ConditionCheck": {"TableName": "fuzz", "Key": {"pk": {"S": "a"}},
                                                                                    "ConditionExpression": "attribute_exists(pk)"}}]}),
        ("json", ddb + "ExecuteStatement", {"Statement": "SELECT * FROM \"fuzz\" WHERE pk = ? AND n > 1", "Parameters": [{"S": "a"}]}),
        ("json", ddb + "CreateTable", {"TableName": "fz2", "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}],
                                       "AttributeDefinitions": [{"AttributeName": "h", "AttributeType": "S"}, {"AttributeName": "r", "AttributeType": "N"},
                                                                {"AttributeName": "g", "AttributeType": "B"}],
                                       "GlobalSecondaryIndexes": [{"IndexName": "gsi", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                                   "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}],
                                       "BillingMode": "PAY_PER_REQUEST"}),
        ("json", "DynamoDBStreams_20120810.GetRecords", {"ShardIterator": it, "Limit": 5}),
        ("json", "DynamoDBStreams_20120810.GetShardIterator", {"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                                                               "SequenceNumber": "000000000000000000001"}),
        ("rest", "PUT /2015-03-31/functions/fz/configuration", {"Description": "x", "Environment": {"Variables": {"KV": "v"}}, "Timeout": 5}),
        ("rest", "POST /2015-03-31/functions/fz/aliases", {"Name": "live", "FunctionVersion": "$LATEST",
                                                           "RoutingConfig": {"AdditionalVersionWeights": {"2": 0.5}}}),
        ("rest", "POST /2015-03-31/functions/fz/policy", {"StatementId": "s1", "Action": "lambda:InvokeFunction", "Principal": "*"}),
        ("rest", "POST /2015-03-31/event-source-mappings", {"EventSourceArn": "arn:aws:sqs:us-east-1:000000000000:fz", "FunctionName": "fz",
                                                            "BatchSize": 5, "Enabled": False}),
    ]


def request(fz, kind, target, doc):
    doc = fz.value(copy.deepcopy(doc))
    if kind == "form":
        pairs = doc.items() if isinstance(doc, dict) else [("Action", doc)]
        body = "&".join("%s=%s" % (urllib.parse.quote(str(k), safe="."), urllib.parse.quote(str(v), safe="")) for k, v in pairs)
        return "POST", "/", body.encode("utf-8", "surrogatepass"), {"Content-Type": "application/x-www-form-urlencoded", "Authorization": auth("sqs")}
    body = json.dumps(doc).encode("utf-8", "surrogatepass")
    if kind == "rest":
        method, path = target.split(" ", 1)
        return method, path, body, {"Content-Type": "application/json", "Authorization": auth("lambda")}
    method, path, _, headers = json_req(target, {})
    return method, path, body, headers


with Server(in_memory=True) as s:
    conn = RawConn(s.port)
    seeds = setup(conn, s.port)
    for seed in (1, 2, 3):
        fz, statuses, n, until = Fuzzer(seed), {}, 0, time.monotonic() + SECONDS
        while time.monotonic() < until and n < 100000:
            kind, target, doc = fz.rnd.choice(seeds)
            st, body = send(conn, *request(fz, kind, target, doc))
            if st is None or st >= 500:
                check.true(False, "seed %d request %d (%s %s): %s %r" % (seed, n, kind, target, st, body[:200]))
                if send(conn, "GET", "/_awsemu/health", None, {})[0] != 200:
                    break
            statuses[st] = statuses.get(st, 0) + 1
            n += 1
        print("seed %d: %d requests %s" % (seed, n, sorted(statuses.items(), key=lambda kv: str(kv[0]))))
        check.eq(send(conn, "GET", "/_awsemu/health", None, {})[0], 200, "serving after seed %d" % seed)
        check.true(statuses.get(200, 0) > n // 10, "seed %d: a share of the mutated requests still succeeded" % seed)
check.done()
