"""test_ddb_reference_boto3.py - DynamoDB answers checked against responses recorded from real AWS (LocalStack's
AWS-validated snapshots of table, transaction, batch and PartiQL operations), where awsemu answered otherwise:
ExecuteTransaction's empty Responses list for writes, a ClientRequestToken repeated with the same request whose
item lists its attributes in another order (the same request: no IdempotentParameterMismatchException),
BatchWriteItem's wording for a put whose table key is absent or of another type, and the KMSMasterKeyArn of a
table encrypted with the AWS managed key (a key id shaped as KMS's, the same for every table of the region)."""
import re

from harness import Checks, Server, attr, key

t = Checks()
SCHEMA = "The provided key element does not match the schema"


def make(ddb, name, *keys, **kw):
    ddb.create_table(TableName=name, KeySchema=[key(k, kt) for k, kt in zip(keys, ("HASH", "RANGE"))],
                     AttributeDefinitions=[attr(k, "S") for k in keys], BillingMode="PAY_PER_REQUEST", **kw)


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    make(ddb, "users", "Username")
    make(ddb, "pairs", "id", "name")

    # ---- ExecuteTransaction of writes answers an empty Responses list ----
    got = ddb.execute_transaction(TransactStatements=[
        {"Statement": "INSERT INTO users VALUE {'Username': 'user01'}"},
        {"Statement": "INSERT INTO users VALUE {'Username': 'user02'}"}])
    t.eq(got["Responses"], [], "ExecuteTransaction of inserts: Responses")
    t.eq(len(ddb.scan(TableName="users")["Items"]), 2, "both inserted")
    got = ddb.execute_transaction(TransactStatements=[
        {"Statement": "SELECT * FROM users WHERE Username = 'user01'"}])
    t.eq(got["Responses"], [{"Item": {"Username": {"S": "user01"}}}], "ExecuteTransaction of reads: Responses")

    # ---- a repeated ClientRequestToken: the request's meaning counts, not its text ----
    def put_pair(item, token="dedupe_token"):
        return ddb.transact_write_items(ClientRequestToken=token,
                                        TransactItems=[{"Put": {"TableName": "pairs", "Item": item}}])

    put_pair({"id": {"S": "id1"}, "name": {"S": "name1"}})
    ddb.delete_item(TableName="pairs", Key={"id": {"S": "id1"}, "name": {"S": "name1"}})
    got = put_pair({"name": {"S": "name1"}, "id": {"S": "id1"}})
    t.eq(got["ResponseMetadata"]["HTTPStatusCode"], 200, "same item, attributes in another order: replayed")
    t.eq(ddb.scan(TableName="pairs")["Items"], [], "a replay writes nothing again")
    t.refuses(lambda: put_pair({"id": {"S": "id1"}, "name": {"S": "name2"}}), "IdempotentParameterMismatchException",
              "Request parameters do not match the parameters of a previous request with the same client request token",
              "same token, another item")

    # ---- BatchWriteItem: a put whose table key is absent or of another type does not match the schema ----
    def batch_put(item):
        return lambda: ddb.batch_write_item(RequestItems={"pairs": [{"PutRequest": {"Item": item}}]})

    t.refuses(batch_put({"nonKey": {"S": "hello"}}), "ValidationException", SCHEMA, "batch put without the keys")
    t.refuses(batch_put({"id": {"S": "a"}}), "ValidationException", SCHEMA, "batch put without the range key")
    t.refuses(batch_put({"id": {"N": "1"}, "name": {"S": "b"}}), "ValidationException", SCHEMA,
              "batch put with a number hash key")
    t.refuses(batch_put({"id": {"S": "a"}, "name": {"M": {}}}), "ValidationException", SCHEMA,
              "batch put with a map range key")
    t.refuses(lambda: ddb.put_item(TableName="pairs", Item={"id": {"S": "a"}}), "ValidationException",
              "One or more parameter values were invalid: Missing the key name in the item", "PutItem names the key")
    t.refuses(batch_put({"id": {"S": ""}, "name": {"S": "b"}}), "ValidationException",
              "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
              "empty string value. Key: id", "batch put with an empty hash key: the empty-value message")
    got = ddb.batch_write_item(RequestItems={"pairs": [{"PutRequest": {"Item": {
        "id": {"S": "a"}, "name": {"S": "b"}, "data": {"B": b"test \xc0 \xed"}}}}]})
    t.eq(got["UnprocessedItems"], {}, "a batch put of binary that is not UTF-8")
    t.eq(ddb.get_item(TableName="pairs", Key={"id": {"S": "a"}, "name": {"S": "b"}})["Item"]["data"]["B"],
         b"test \xc0 \xed", "its bytes kept")

    # ---- the AWS managed key's ARN ----
    make(ddb, "enc1", "id", SSESpecification={"Enabled": True})
    make(ddb, "enc2", "id", SSESpecification={"Enabled": True})
    sse = ddb.describe_table(TableName="enc1")["Table"]["SSEDescription"]
    t.eq((sse["Status"], sse["SSEType"]), ("ENABLED", "KMS"), "SSEDescription")
    t.true(re.fullmatch(r"arn:aws:kms:us-east-1:\d{12}:key/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                        r"[0-9a-f]{12}", sse["KMSMasterKeyArn"]), "a key ARN with a UUID key id: " + sse["KMSMasterKeyArn"])
    t.eq(ddb.describe_table(TableName="enc2")["Table"]["SSEDescription"]["KMSMasterKeyArn"], sse["KMSMasterKeyArn"],
         "one managed key per account and region")
    other = s.client("dynamodb", region_name="eu-west-1")
    make(other, "enc1", "id", SSESpecification={"Enabled": True})
    t.true(other.describe_table(TableName="enc1")["Table"]["SSEDescription"]["KMSMasterKeyArn"] != sse["KMSMasterKeyArn"],
           "another region's managed key")

t.done()
