"""Identity and SigV4: region and account come from the credential scope and
access key; with --auth sigv4, wrong signatures, unknown keys and unsigned
requests get each protocol's own error, with real clients signing."""
import http.client
import json

from harness import Checks, Server

t = Checks()
KEYS = "AKIDGOOD:goodsecret,123456789012:acctsecret"

with Server("--auth", "sigv4", "--auth-keys", KEYS) as s:
    good = dict(aws_access_key_id="AKIDGOOD", aws_secret_access_key="goodsecret")
    bad = dict(aws_access_key_id="AKIDGOOD", aws_secret_access_key="wrong")
    unknown = dict(aws_access_key_id="AKIDNOBODY", aws_secret_access_key="x")

    t.eq(s.client("dynamodb", **good).list_tables()["TableNames"], [], "DynamoDB signed with a known key")
    e = t.raises(lambda: s.client("dynamodb", **bad).list_tables(), "InvalidSignatureException", "DynamoDB wrong secret")
    if e is not None:
        t.eq(e.response["ResponseMetadata"]["HTTPStatusCode"], 400, "DynamoDB wrong secret status")
        t.true(e.response["Error"]["Message"].startswith("The request signature we calculated does not match"),
               "DynamoDB mismatch message")
    t.raises(lambda: s.client("dynamodb", **unknown).list_tables(), "UnrecognizedClientException", "DynamoDB unknown key")

    t.eq(s.client("sqs", **good).list_queues().get("QueueUrls", []), [], "SQS JSON signed with a known key")
    t.raises(lambda: s.client("sqs", **bad).list_queues(), "SignatureDoesNotMatch", "SQS JSON wrong secret")
    t.raises(lambda: s.client("sqs", **unknown).list_queues(), "InvalidClientTokenId", "SQS JSON unknown key")

    t.eq(s.client("lambda", **good).list_functions()["Functions"], [], "Lambda signed with a known key")
    e = t.raises(lambda: s.client("lambda", **bad).list_functions(), "InvalidSignatureException", "Lambda wrong secret")
    if e is not None:
        t.eq(e.response["ResponseMetadata"]["HTTPStatusCode"], 403, "Lambda wrong secret status")

    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    c.request("POST", "/", body=b"{}", headers={"X-Amz-Target": "DynamoDB_20120810.ListTables",
                                                "Content-Type": "application/x-amz-json-1.0"})
    r = c.getresponse()
    body = json.loads(r.read())
    t.eq(body.get("__type"), "com.amazon.coral.service#MissingAuthenticationTokenException", "unsigned request")
    c.request("POST", "/", body=b"{}", headers={"X-Amz-Target": "DynamoDB_20120810.ListTables",
                                                "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDGOOD/20240101",
                                                "X-Amz-Date": "20240101T000000Z"})
    r = c.getresponse()
    body = json.loads(r.read())
    t.eq(body.get("__type"), "com.amazon.coral.service#IncompleteSignatureException", "malformed Authorization")

    # The account is the 12-digit access key; the region is the credential scope's.
    acct = dict(aws_access_key_id="123456789012", aws_secret_access_key="acctsecret", region_name="eu-west-1")
    d = s.client("dynamodb", **acct)
    desc = d.create_table(TableName="tab1", AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    t.eq(desc["TableDescription"]["TableArn"], "arn:aws:dynamodb:eu-west-1:123456789012:table/tab1", "ARN account+region")
    t.eq(s.client("dynamodb", **good).list_tables()["TableNames"], [], "other account/region sees no table")
    t.eq(s.client("dynamodb", **dict(good, region_name="eu-west-1")).list_tables()["TableNames"], [],
         "same region, other account sees no table")
    url = s.client("sqs", **acct).create_queue(QueueName="q1")["QueueUrl"]
    t.eq(url, "%s/123456789012/q1" % s.endpoint, "queue URL names the account")

with Server() as s:
    # Without --auth any credentials are accepted.
    t.eq(s.client("dynamodb", aws_access_key_id="anything", aws_secret_access_key="x").list_tables()["TableNames"], [],
         "no --auth: any key accepted")

    # The identity of a header that only differs in its signature is reused; any other difference is parsed anew.
    def create_queue(authorization):
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
        c.request("POST", "/", body=b'{"QueueName":"idq"}', headers={
            "X-Amz-Target": "AmazonSQS.CreateQueue", "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Date": "20250101T000000Z", "Authorization": authorization})
        r = c.getresponse()
        body = json.loads(r.read())
        c.close()
        return body.get("QueueUrl", body.get("__type"))

    scope = "AWS4-HMAC-SHA256 Credential=%s/20250101/%s/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature="
    one = scope % ("111111111111", "eu-west-1")
    t.eq(create_queue(one + "aa"), "%s/111111111111/idq" % s.endpoint, "first identity")
    t.eq(create_queue(one + "bb"), "%s/111111111111/idq" % s.endpoint, "same scope, other signature")
    two = one + "cc, Credential=222222222222/20250101/eu-west-1/sqs/aws4_request"
    t.eq(create_queue(two), "%s/222222222222/idq" % s.endpoint, "a later Credential parameter wins")
    t.eq(create_queue(scope % ("333333333333", "eu-west-1") + "dd"), "%s/333333333333/idq" % s.endpoint, "other account")
    t.eq(create_queue(one + "ee bad"), "%s/000000000000/idq" % s.endpoint, "a malformed header: the default account")
    t.eq(create_queue(one + "ff"), "%s/111111111111/idq" % s.endpoint, "the first identity again")
t.done()
