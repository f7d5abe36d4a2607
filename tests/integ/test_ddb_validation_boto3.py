"""test_ddb_validation_boto3.py - request checks DynamoDB makes that a differential run against dynalite
(whose validations were copied from DynamoDB) showed missing or worded differently, each judged against the
AWS documentation: AttributeUpdates values and actions (ADD appends a list), the legacy conditions' operand
types and Expected's member combinations, an empty ExpressionAttributeNames value, a Query filter on key
attributes, a Query start key outside the key condition, the ExclusiveStartKey message prefix, duplicate
AttributesToGet, and the "can only be specified when using expressions" messages. boto3 sends all of these;
members boto3 refuses to send (ExpressionAttributeValues on GetItem, explicit nulls, fractions for integer
members, which DynamoDB truncates) go as raw requests. Then degenerate inputs as DynamoDB answered them for the
ack-api-quirks lab in October 2026 (DDB-TABLE-456/457): the order of a nested structure's errors, empty names
in the service's own words, empty throughput objects."""
import json

from harness import DDB_SCOPE, Checks, RawConn, Server, ddb_raw as raw, msg

t = Checks()
INVALID = "One or more parameter values were invalid: "
# PutItem, UpdateItem and DeleteItem report their request validation inside this envelope, and PutItem's and
# DeleteItem's "can only be specified when using expressions" names no expression (the
# paritysuite/dynamodb-conformance putItem, deleteItem and valueLayers captures, October 2026).
ENV = "1 validation error detected: "


def validation(fn, want, what):
    t.refuses(fn, "ValidationException", want, what)


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    ddb.create_table(TableName="hashtab", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    ddb.create_table(TableName="rangetab", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": a, "AttributeType": ty}
                                           for a, ty in (("pk", "S"), ("sk", "N"), ("gpk", "S"), ("gsk", "N"))],
                     GlobalSecondaryIndexes=[{"IndexName": "gsi1", "Projection": {"ProjectionType": "ALL"},
                                              "KeySchema": [{"AttributeName": "gpk", "KeyType": "HASH"},
                                                            {"AttributeName": "gsk", "KeyType": "RANGE"}]}])
    for i in range(1, 6):
        ddb.put_item(TableName="rangetab", Item={"pk": {"S": "p"}, "sk": {"N": str(i)}, "gpk": {"S": "g"},
                                                 "gsk": {"N": str(10 - i)}, "x": {"N": str(3 * i)}})
    ddb.put_item(TableName="hashtab", Item={"pk": {"S": "a"}, "n": {"N": "5"}, "s": {"S": "hello"},
                                            "l": {"L": [{"S": "x"}]}, "ss": {"SS": ["a", "b"]}})

    # ---- AttributeUpdates: its values are checked as an item's are, and nothing invalid is stored ----
    key = {"pk": {"S": "au"}}
    for value, want in (({"N": "abc"}, "The parameter cannot be converted to a numeric value: abc"),
                        ({"N": "1e200"}, "Number overflow. Attempting to store a number with magnitude larger than supported range"),
                        ({}, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")):
        validation(lambda: ddb.update_item(TableName="hashtab", Key=key, AttributeUpdates={"x": {"Action": "PUT", "Value": value}}),
                   ENV + want, "AttributeUpdates PUT %r" % value)
    t.raises(lambda: ddb.update_item(TableName="hashtab", Key=key, AttributeUpdates={"x": {"Action": "PUT", "Value": {"SS": []}}}),
             "ValidationException", "AttributeUpdates PUT of an empty set")
    t.raises(lambda: ddb.update_item(TableName="hashtab", Key=key, AttributeUpdates={"x": {"Action": "PUT", "Value": {"SS": ["a", "a"]}}}),
             "ValidationException", "AttributeUpdates PUT of a set with duplicates")
    t.eq(ddb.get_item(TableName="hashtab", Key=key).get("Item"), None, "none of them was stored")
    validation(lambda: ddb.update_item(TableName="hashtab", Key={"pk": {"S": "a"}}, AttributeUpdates={"s": {"Action": "ADD", "Value": {"S": "q"}}}),
               ENV + INVALID + "ADD action is not supported for the type S", "ADD of a string")
    validation(lambda: ddb.update_item(TableName="hashtab", Key={"pk": {"S": "a"}}, AttributeUpdates={"n": {"Action": "DELETE", "Value": {"N": "1"}}}),
               ENV + INVALID + "DELETE action with value is not supported for the type N", "DELETE of a number")
    validation(lambda: ddb.update_item(TableName="hashtab", Key={"pk": {"S": "a"}}, AttributeUpdates={"ss": {"Action": "ADD", "Value": {"NS": ["1"]}}}),
               "Type mismatch for attribute to update", "ADD of a number set to a string set")
    validation(lambda: ddb.update_item(TableName="hashtab", Key={"pk": {"S": "a"}}, AttributeUpdates={"s": {"Action": "ADD", "Value": {"N": "1"}}}),
               "Type mismatch for attribute to update", "ADD of a number to a string")
    got = ddb.update_item(TableName="hashtab", Key={"pk": {"S": "a"}}, ReturnValues="UPDATED_NEW",
                          AttributeUpdates={"l": {"Action": "ADD", "Value": {"L": [{"S": "q"}]}},
                                            "l2": {"Action": "ADD", "Value": {"L": [{"N": "1"}]}}})["Attributes"]
    t.eq(got, {"l": {"L": [{"S": "x"}, {"S": "q"}]}, "l2": {"L": [{"N": "1"}]}}, "ADD of a list appends it (or sets it)")

    # ---- legacy conditions: operand types, one type for all operands, BETWEEN in order ----
    kc = {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]}}
    validation(lambda: ddb.query(TableName="rangetab", KeyConditions=dict(kc, sk={"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "2"}]})),
               INVALID + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type", "BEGINS_WITH on a number")
    validation(lambda: ddb.query(TableName="rangetab", KeyConditions=dict(kc, sk={"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "4"}, {"N": "2"}]})),
               "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound", "BETWEEN 4 and 2")
    validation(lambda: ddb.scan(TableName="hashtab", ScanFilter={"n": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "5"}, {"S": "x"}]}}),
               INVALID + "AttributeValues inside AttributeValueList must be of same type", "IN of a number and a string")
    validation(lambda: ddb.scan(TableName="hashtab", ScanFilter={"n": {"ComparisonOperator": "LT", "AttributeValueList": [{"BOOL": True}]}}),
               INVALID + "ComparisonOperator LT is not valid for BOOL AttributeValue type", "LT of a boolean")
    validation(lambda: ddb.scan(TableName="hashtab", ScanFilter={"ss": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"SS": ["a"]}]}}),
               INVALID + "ComparisonOperator CONTAINS is not valid for SS AttributeValue type", "CONTAINS of a set")
    t.eq(ddb.scan(TableName="hashtab", ScanFilter={"l": {"ComparisonOperator": "EQ", "AttributeValueList": [{"L": [{"S": "x"}, {"S": "q"}]}]}})["Count"],
         1, "EQ takes a list")
    validation(lambda: ddb.put_item(TableName="hashtab", Item={"pk": {"S": "e"}}, Expected={"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "4"}, {"N": "3"}]}}),
               ENV + "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
               "Expected BETWEEN 4 and 3")

    # ---- Expected: which members go together, in DynamoDB's words ----
    for spec, want in (({"Exists": False, "ComparisonOperator": "NULL"}, "Exists and ComparisonOperator cannot be used together for Attribute: n"),
                       ({"Value": {"N": "5"}, "ComparisonOperator": "EQ", "AttributeValueList": [{"N": "5"}]},
                        "Value and AttributeValueList cannot be used together for Attribute: n"),
                       ({"Exists": True}, "Value must be provided when Exists is true for Attribute: n"),
                       ({}, "Value must be provided when Exists is null for Attribute: n"),
                       ({"Exists": False, "Value": {"N": "1"}}, "Value cannot be used when Exists is false for Attribute: n"),
                       ({"ComparisonOperator": "EQ"}, "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: n"),
                       ({"AttributeValueList": [{"N": "5"}]}, "AttributeValueList can only be used with a ComparisonOperator for Attribute: n")):
        validation(lambda: ddb.put_item(TableName="hashtab", Item={"pk": {"S": "e"}}, Expected={"n": spec}), ENV + INVALID + want,
                   "Expected %r" % spec)
    ddb.put_item(TableName="hashtab", Item={"pk": {"S": "e"}, "n": {"N": "5"}})
    ddb.put_item(TableName="hashtab", Item={"pk": {"S": "e"}, "n": {"N": "6"}}, Expected={"n": {"ComparisonOperator": "EQ", "Value": {"N": "5"}}})
    t.eq(ddb.get_item(TableName="hashtab", Key={"pk": {"S": "e"}})["Item"]["n"], {"N": "6"}, "Expected with ComparisonOperator and Value")

    # ---- expressions ----
    validation(lambda: ddb.update_item(TableName="hashtab", Key={"pk": {"S": "en"}}, UpdateExpression="SET #a = :v",
                                       ExpressionAttributeNames={"#a": ""}, ExpressionAttributeValues={":v": {"N": "5"}}),
               ENV + "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a", "an empty attribute name")
    t.eq(ddb.get_item(TableName="hashtab", Key={"pk": {"S": "en"}}).get("Item"), None, "nothing stored under an empty name")
    for kwargs, want in ((dict(TableName="hashtab", Item={"pk": {"S": "v"}}), ""),
                         (dict(TableName="hashtab", Key={"pk": {"S": "v"}}, AttributeUpdates={"x": {"Value": {"N": "1"}}}),
                          ": UpdateExpression and ConditionExpression are null")):
        fn = ddb.put_item if "Item" in kwargs else ddb.update_item
        validation(lambda: fn(ExpressionAttributeValues={":a": {"S": "a"}}, **kwargs),
                   ENV + "ExpressionAttributeValues can only be specified when using expressions" + want,
                   "values without expressions" + want)
    validation(lambda: ddb.scan(TableName="hashtab", ProjectionExpression="pk", ExpressionAttributeValues={":a": {"S": "a"}}),
               "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null",
               "values with only a projection")

    # ---- Query: a filter may not name the queried keys; the start key must lie within the key condition ----
    p = {":p": {"S": "p"}}
    validation(lambda: ddb.query(TableName="rangetab", KeyConditionExpression="pk = :p", FilterExpression="sk > :n",
                                 ExpressionAttributeValues=dict(p, **{":n": {"N": "3"}})),
               "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk", "filter on the sort key")
    validation(lambda: ddb.query(TableName="rangetab", IndexName="gsi1", KeyConditionExpression="gpk = :g", FilterExpression="x > :n OR gsk > :n",
                                 ExpressionAttributeValues={":g": {"S": "g"}, ":n": {"N": "7"}}),
               "Filter Expression can only contain non-primary key attributes: Primary key attribute: gsk", "filter on the index's sort key")
    t.eq(ddb.query(TableName="rangetab", IndexName="gsi1", KeyConditionExpression="gpk = :g", FilterExpression="sk > :n",
                   ExpressionAttributeValues={":g": {"S": "g"}, ":n": {"N": "3"}})["Count"], 2, "the table's sort key is no key of the index")
    validation(lambda: ddb.query(TableName="rangetab", KeyConditionExpression="pk = :p", ExpressionAttributeValues=p,
                                 ExclusiveStartKey={"pk": {"S": "q"}, "sk": {"N": "2"}}),
               "The provided starting key is outside query boundaries based on provided conditions", "start key in another partition")
    validation(lambda: ddb.query(TableName="rangetab", KeyConditionExpression="pk = :p AND sk > :n",
                                 ExpressionAttributeValues=dict(p, **{":n": {"N": "3"}}), ExclusiveStartKey={"pk": {"S": "p"}, "sk": {"N": "1"}}),
               "The provided starting key does not match the range key predicate", "start key below the range")
    got = ddb.query(TableName="rangetab", KeyConditionExpression="pk = :p AND sk > :n", ExpressionAttributeValues=dict(p, **{":n": {"N": "1"}}),
                    ExclusiveStartKey={"pk": {"S": "p"}, "sk": {"N": "3"}})["Items"]
    t.eq([i["sk"]["N"] for i in got], ["4", "5"], "a start key within the range")
    validation(lambda: ddb.scan(TableName="hashtab", ExclusiveStartKey={"pk": {"S": ""}}),
               "The provided starting key is invalid: One or more parameter values are not valid. The AttributeValue for a key "
               "attribute cannot contain an empty string value. Key: pk", "an empty start key")
    validation(lambda: ddb.scan(TableName="hashtab", ExclusiveStartKey={"pk": {"SS": []}}),
               "The provided starting key is invalid: " + INVALID + "An string set  may not be empty", "a start key of an empty set")

    # ---- AttributesToGet names each attribute once ----
    validation(lambda: ddb.get_item(TableName="hashtab", Key={"pk": {"S": "a"}}, AttributesToGet=["s", "n", "s", "n"]),
               INVALID + "Duplicate value in attribute name: s", "AttributesToGet with duplicates")

    # ---- what a second run, against moto_server, found: UpdateTable, backups, transactions, PartiQL batches ----
    gsi = lambda name, attr: {"Create": {"IndexName": name, "KeySchema": [{"AttributeName": attr, "KeyType": "HASH"}],
                                         "Projection": {"ProjectionType": "ALL"}}}
    defs = [{"AttributeName": "a1", "AttributeType": "S"}, {"AttributeName": "a2", "AttributeType": "S"}]
    error = t.raises(lambda: ddb.update_table(TableName="hashtab", AttributeDefinitions=defs,
                                              GlobalSecondaryIndexUpdates=[gsi("idx1", "a1"), gsi("idx2", "a2")]),
                     "LimitExceededException", "two index creations in one UpdateTable")
    t.eq(msg(error), "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
         "two index creations: message")
    t.raises(lambda: ddb.update_table(TableName="rangetab", AttributeDefinitions=[{"AttributeName": "sk", "AttributeType": "S"}],
                                      GlobalSecondaryIndexUpdates=[gsi("bysk", "sk")]), "ValidationException",
             "an attribute given another type")
    t.eq([i["IndexName"] for i in ddb.describe_table(TableName="rangetab")["Table"]["GlobalSecondaryIndexes"]], ["gsi1"],
         "neither change was made")
    t.raises(lambda: ddb.update_table(TableName="hashtab", GlobalSecondaryIndexUpdates=[]), "ValidationException",
             "an empty GlobalSecondaryIndexUpdates is no update")
    got = ddb.update_continuous_backups(TableName="hashtab", PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 10})["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    t.eq(got["RecoveryPeriodInDays"], 10, "RecoveryPeriodInDays is kept")
    t.true(got["LatestRestorableDateTime"] >= got["EarliestRestorableDateTime"], "latest restorable time not before the earliest")
    t.eq(ddb.describe_continuous_backups(TableName="hashtab")["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
         ["RecoveryPeriodInDays"], 10, "and described")
    big = "x" * 100000
    e = t.raises(lambda: ddb.transact_write_items(TransactItems=[{"Put": {"TableName": "hashtab", "Item": {"pk": {"S": "tx%d" % i},
                                                                                                           "v": {"S": big}}}}
                                                                 for i in range(50)]),
                 "ValidationException", "a transaction of 5 MB")
    t.true("size cannot exceed" in (msg(e) or ""), "its message: %r" % msg(e))
    t.eq(len(ddb.transact_write_items(TransactItems=[{"Put": {"TableName": "hashtab", "Item": {"pk": {"S": "tx%d" % i},
                                                                                            "v": {"S": big}}}}
                                                     for i in range(30)])), 1, "a transaction of 3 MB")
    # a key DynamoDB refuses inside a transaction cancels it with that item's ValidationError, the others None
    e = t.raises(lambda: ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": "hashtab", "Item": {"pk": {"S": "tv"}}, "ConditionExpression": "attribute_exists(pk)"}},
        {"Put": {"TableName": "hashtab", "Item": {"pk": {"N": "7"}}}}]), "TransactionCanceledException", "a wrong key type in a transaction")
    reasons = e.response.get("CancellationReasons", []) if e else []
    t.eq([r.get("Code") for r in reasons], ["None", "ValidationError"], "its cancellation reasons")
    t.true("Type mismatch" in (reasons[1].get("Message", "") if len(reasons) > 1 else ""), "the reason's message: %r" % reasons)
    ins = [{"Statement": "INSERT INTO hashtab VALUE {'pk': 'idem'}"}]
    ddb.execute_transaction(TransactStatements=ins, ClientRequestToken="tok-1")
    ddb.execute_transaction(TransactStatements=ins, ClientRequestToken="tok-1")  # replayed, not run again (DuplicateItem)
    t.raises(lambda: ddb.execute_transaction(TransactStatements=[{"Statement": "INSERT INTO hashtab VALUE {'pk': 'idem2'}"}],
                                             ClientRequestToken="tok-1"),
             "IdempotentParameterMismatchException", "ExecuteTransaction: the token with another request")
    t.raises(lambda: ddb.execute_transaction(TransactStatements=ins), "TransactionCanceledException",
             "ExecuteTransaction without the token runs again")
    got = ddb.batch_execute_statement(Statements=[{"Statement": "SELECT * FROM rangetab WHERE pk = 'p'"}])["Responses"][0]
    t.eq(got.get("Error", {}).get("Message"),
         "Select statements within BatchExecuteStatement must specify the primary key in the where clause.",
         "a batch SELECT without the whole key")

    # ---- raw: members that are not the operation's are ignored, and null members are absent ----
    conn = RawConn(s.port)
    st, ty, m = raw(conn, "GetItem", {"TableName": "hashtab", "Key": {"pk": {"S": "a"}}, "ExpressionAttributeValues": {":a": {"S": "a"}}})
    t.eq((st, ty), (200, ""), "GetItem ignores ExpressionAttributeValues: %r" % m)
    st, ty, m = raw(conn, "PutItem", {"TableName": "hashtab", "Item": {"pk": {"S": "nul"}}, "Expected": None,
                                      "ConditionExpression": "attribute_not_exists(pk)"})
    t.eq((st, ty), (200, ""), "Expected: null next to ConditionExpression: %r" % m)
    st, ty, m = raw(conn, "PutItem", {"TableName": "hashtab", "Item": {"pk": {"S": "nul"}}, "ConditionExpression": None,
                                      "ExpressionAttributeValues": {":v": {"S": "a"}}})
    t.eq((st, m), (400, ENV + "ExpressionAttributeValues can only be specified when using expressions"),
         "ConditionExpression: null is absent")
    # a null member of a string set, in DynamoDB's words (ExtendDB's captures; DynamoDB Local's validator), at any depth
    # and in an expression value, wrapped as this layer wraps every item value error; a number set's keeps the generic one
    ss_null = ENV + INVALID + "An string set may not have a null string as a member"
    for op, doc in (("PutItem", {"TableName": "hashtab", "Item": {"pk": {"S": "ss"}, "s": {"SS": ["a", None]}}}),
                    ("PutItem", {"TableName": "hashtab", "Item": {"pk": {"S": "ss"}, "l": {"L": [{"SS": ["a", None]}]}}}),
                    ("PutItem", {"TableName": "hashtab", "Item": {"pk": {"S": "ss"}, "m": {"M": {"k": {"SS": [None]}}}}}),
                    ("UpdateItem", {"TableName": "hashtab", "Key": {"pk": {"S": "ss"}}, "UpdateExpression": "SET s = :v",
                                    "ExpressionAttributeValues": {":v": {"SS": ["a", None]}}})):
        t.eq(raw(conn, op, doc), (400, "ValidationException", ss_null), "%s: a null string set member" % op)
    st, ty, m = raw(conn, "PutItem", {"TableName": "hashtab", "Item": {"pk": {"S": "ss"}, "n": {"NS": ["1", None]}}})
    t.eq((st, ty, m.endswith("Member must not be null")), (400, "ValidationException", True), "a null number set member")
    # a fraction given for an integer member is truncated, as DynamoDB's Jackson-based deserializer reads it
    st, _, data = conn.send("POST", "/", b'{"TableName": "rangetab", "Limit": 2.9}', {
        "X-Amz-Target": "DynamoDB_20120810.Scan", "Content-Type": "application/x-amz-json-1.0", "Authorization": DDB_SCOPE})
    t.eq((st, json.loads(data).get("Count")), (200, 2), "Scan Limit 2.9 reads 2")
    st, _, data = conn.send("POST", "/", b'{"TableName": "rangetab", "Segment": 0.0, "TotalSegments": 1e0}', {
        "X-Amz-Target": "DynamoDB_20120810.Scan", "Content-Type": "application/x-amz-json-1.0", "Authorization": DDB_SCOPE})
    t.eq((st, json.loads(data).get("Count")), (200, 5), "Segment 0.0 of TotalSegments 1e0")
    # ProvisionedThroughput's members are reported write first (dynalite's records; the ack-api-quirks lab, 2026)
    t.eq(raw(conn, "CreateTable", {"TableName": "ptorder", "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
                                   "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}],
                                   "BillingMode": "PROVISIONED", "ProvisionedThroughput": {}}),
         (400, "ValidationException", "2 validation errors detected: Value null at 'provisionedThroughput.writeCapacityUnits' "
          "failed to satisfy constraint: Member must not be null; Value null at 'provisionedThroughput.readCapacityUnits' "
          "failed to satisfy constraint: Member must not be null"), "ProvisionedThroughput {}: write, then read")

    # ---- degenerate inputs (the ack-api-quirks lab's DDB-TABLE-456/457) ----
    nn = "failed to satisfy constraint: Member must not be null"
    t.eq(raw(conn, "CreateTable", {"TableName": "degen", "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
                                   "AttributeDefinitions": [{}], "BillingMode": "PAY_PER_REQUEST"}),
         (400, "ValidationException", "2 validation errors detected: Value null at 'attributeDefinitions.1.member.attributeType' "
          + nn + "; Value null at 'attributeDefinitions.1.member.attributeName' " + nn), "an empty AttributeDefinition")
    V = "ValidationException"
    t.eq(raw(conn, "UpdateTimeToLive", {"TableName": "hashtab", "TimeToLiveSpecification": {}}),
         (400, V, "2 validation errors detected: Value null at 'timeToLiveSpecification.attributeName' " + nn +
          "; Value null at 'timeToLiveSpecification.enabled' " + nn), "an empty TimeToLiveSpecification")
    t.eq(raw(conn, "DescribeTable", {"TableName": ""}),
         (400, V, "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length "
          "greater than or equal to 3; Value '' at 'tableName' failed to satisfy constraint: Member must satisfy regular "
          "expression pattern: [a-zA-Z0-9_.-]+"), "an empty TableName")
    t.eq(raw(conn, "CreateBackup", {"TableName": "hashtab", "BackupName": ""}),
         (400, V, "2 validation errors detected: Value '' at 'backupName' failed to satisfy constraint: Member must satisfy "
          "regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'backupName' failed to satisfy constraint: Member "
          "must have length greater than or equal to 3"), "an empty BackupName (the pattern first here)")
    validation(lambda: ddb.update_table(TableName="hashtab", StreamSpecification={"StreamEnabled": True, "StreamViewType": ""}),
               "1 validation error detected: Value '' at 'streamSpecification.streamViewType' failed to satisfy constraint: "
               "Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]", "an empty view type")
    validation(lambda: ddb.update_table(TableName="hashtab", SSESpecification={"Enabled": True, "SSEType": "KMS",
                                                                             "KMSMasterKeyId": ""}),
               "1 validation error detected: Value '' at 'sSESpecification.kMSMasterKeyId' failed to satisfy constraint: "
               "Member must have length greater than or equal to 1", "an empty KMSMasterKeyId")
    table_len = "TableName must be at least 3 characters long and at most 255 characters long"
    for op, doc, want in [
            ("DescribeContributorInsights", {"TableName": "hashtab", "IndexName": ""},
             "IndexName must be at least 3 characters long and at most 255 characters long"),
            ("UpdateContributorInsights", {"TableName": "hashtab", "IndexName": "", "ContributorInsightsAction": "ENABLE"},
             "IndexName must be at least 3 characters long and at most 255 characters long"),
            ("DescribeGlobalTable", {"GlobalTableName": ""}, table_len),
            ("DescribeGlobalTableSettings", {"GlobalTableName": ""}, table_len),
            ("RestoreTableFromBackup", {"TargetTableName": "", "BackupArn": "arn:aws:dynamodb:us-east-1:000000000000:table/"
                                        "hashtab/backup/01700000000000-abcdef12"}, table_len),
            ("DescribeBackup", {"BackupArn": ""}, "Invalid Backup ARN")]:
        t.eq(raw(conn, op, doc), (400, V, want), "an empty name in the service's own words: " + op)
    # a GSI's empty WarmThroughput is refused before anything else, even for a missing table; an empty
    # OnDemandThroughput is no update
    warm = "One or more parameter values were invalid: WarmThroughput must have at least one of ReadUnitsPerSecond or " \
           "WriteUnitsPerSecond specified for index: "
    for table, index in (("rangetab", "gsi1"), ("rangetab", "ghost"), ("nosuchtable", "ghost")):
        validation(lambda: ddb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[
            {"Update": {"IndexName": index, "WarmThroughput": {}}}]), warm + index, "empty WarmThroughput of %s.%s" % (table, index))
    validation(lambda: ddb.update_table(TableName="rangetab", TableClass="STANDARD", GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "gsi1", "WarmThroughput": {}}}]), warm + "gsi1", "before the one-change rule")
    validation(lambda: ddb.update_table(TableName="rangetab", GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "gsi1", "OnDemandThroughput": {}}}]),
               INVALID + "The only Updates for index: gsi1 when TableThroughputMode is PAY_PER_REQUEST can be to "
               "OnDemandThroughput, WarmThroughput", "an empty OnDemandThroughput is no update")
    t.refuses(lambda: ddb.update_table(TableName="rangetab", GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "ghost", "OnDemandThroughput": {"MaxReadRequestUnits": 5}}}]), "ResourceNotFoundException",
              "Requested resource not found: Index ghost for table rangetab", "an update of a missing index")
t.done()
