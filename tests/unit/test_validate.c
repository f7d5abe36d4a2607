/* test_validate.c - request validation against the models: AWS's exact texts
 * for DynamoDB (Coral list, SerializationException), Lambda and SQS. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "protocol/validate.h"


/* Validates json (NULL code: must pass) as op's input and checks code and message. */
static void expect(const model_service_t *svc, const char *op, const char *json, const char *code, const char *msg)
{
    char errbuf[256];
    yajl_val in = yajl_tree_parse(json, errbuf, sizeof(errbuf));
    const model_op_t *o = model_find_op(svc, op, strlen(op));
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    validate_error_t err = {0};
    int rc = in && o ? validate_input(svc, o->input, in, &pool, &err) : -2;
    int ok =
        code == NULL ? rc == 0 : rc == -1 && strcmp(err.code, code) == 0 && strcmp(err.message, msg) == 0 && err.http_status == 400;
    if (!ok) {
        check_failed++;
        printf("FAIL %s %s %s\n  want %s: %s\n  got  %d %s: %s\n", svc->name, op, json, code ? code : "(ok)", msg ? msg : "", rc,
               rc == -1 ? err.code : "", rc == -1 ? err.message : "");
    }
    h2o_mem_clear_pool(&pool);
    yajl_tree_free(in);
}

/* validate_value on a named shape. */
static void expect_value(const model_service_t *svc, const char *shape, const char *json, const char *path, const char *msg)
{
    char errbuf[256];
    yajl_val v = yajl_tree_parse(json, errbuf, sizeof(errbuf));
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    validate_error_t err = {0};
    int rc = validate_value(svc, model_find_shape(svc, shape), v, path, &pool, &err);
    if (msg == NULL ? rc != 0 : rc != -1 || strcmp(err.message, msg) != 0) {
        check_failed++;
        printf("FAIL value %s %s\n  want %s\n  got  %s\n", shape, json, msg ? msg : "(ok)", rc ? err.message : "(ok)");
    }
    h2o_mem_clear_pool(&pool);
    yajl_tree_free(v);
}

#define V1 "1 validation error detected: "
#define VAL "ValidationException"
#define SER "SerializationException"

static void test_dynamodb(void)
{
    const model_service_t *d = &model_dynamodb;
    /* absent, CreateTable's TableName is answered alone in the service's words (nubo-db/dynamodb-conformance
     * error-messages/createTable.test.ts); null is still a null member */
    expect(d, "CreateTable", "{}", VAL, "The parameter 'TableName' is required but was not present in the request");
    expect(d, "CreateTable", "{\"TableName\":null}", VAL,
           V1 "Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    /* a TableName that is no ARN is checked as a name (TableName's 3..255 of [a-zA-Z0-9_.-], not TableArn's 1..1024) */
    expect(d, "CreateTable", "{\"TableName\":\"\"}", VAL,
           "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length "
           "greater than or equal to 3; Value '' at 'tableName' failed to satisfy constraint: Member must satisfy regular "
           "expression pattern: [a-zA-Z0-9_.-]+");
    expect(d, "DescribeTable", "{\"TableName\":\"ab\"}", VAL,
           V1 "Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
    expect(d, "GetItem", "{\"TableName\":\"bad name!\",\"Key\":{}}", VAL,
           V1 "Value 'bad name!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression "
              "pattern: [a-zA-Z0-9_.-]+");
    expect(d, "DescribeTable", "{\"TableName\":\"arn:aws:dynamodb:us-east-1:123456789012:table/ab\"}", NULL, NULL);
    /* a nested structure's members in the order of a Java HashMap of their names (attributeType first; attributeName
     * before enabled: the ack-api-quirks lab's DDB-TABLE-457) */
    expect(d, "CreateTable",
           "{\"TableName\":\"tab\",\"AttributeDefinitions\":[{}],\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}]}",
           VAL,
           "2 validation errors detected: Value null at 'attributeDefinitions.1.member.attributeType' failed to satisfy "
           "constraint: Member must not be null; Value null at 'attributeDefinitions.1.member.attributeName' failed to "
           "satisfy constraint: Member must not be null");
    expect(d, "UpdateTimeToLive", "{\"TableName\":\"tab\",\"TimeToLiveSpecification\":{}}", VAL,
           "2 validation errors detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy "
           "constraint: Member must not be null; Value null at 'timeToLiveSpecification.enabled' failed to satisfy "
           "constraint: Member must not be null");
    expect(d, "CreateTable",
           "{\"TableName\":\"tab\",\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"FOO\"}],"
           "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"X\"}]}",
           VAL,
           "2 validation errors detected: Value 'FOO' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member "
           "must satisfy enum value set: [HASH, RANGE]; Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to "
           "satisfy constraint: Member must satisfy enum value set: [B, N, S]");
    expect(d, "CreateTable", "{\"TableName\":\"tab\",\"KeySchema\":[]}", VAL,
           V1 "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1");
    expect(d, "CreateTable",
           "{\"TableName\":\"tab\",\"KeySchema\":[{\"KeyType\":\"HASH\"}],"
           "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":0,\"WriteCapacityUnits\":1}}",
           VAL,
           "2 validation errors detected: Value null at 'keySchema.1.member.attributeName' failed to satisfy constraint: "
           "Member must not be null; Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: "
           "Member must have value greater than or equal to 1");
    /* Coral reports ProvisionedThroughput's members write first (dynalite, the ack-api-quirks lab) */
    expect(d, "CreateTable",
           "{\"TableName\":\"tab\",\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}],"
           "\"AttributeDefinitions\":[{\"AttributeName\":\"a\",\"AttributeType\":\"S\"}],"
           "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":0,\"WriteCapacityUnits\":-1}}",
           VAL,
           "2 validation errors detected: Value '-1' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy "
           "constraint: Member must have value greater than or equal to 1; Value '0' at "
           "'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or "
           "equal to 1");
    expect(d, "CreateTable",
           "{\"TableName\":\"tab\",\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"},"
           "{\"AttributeName\":\"b\",\"KeyType\":\"RANGE\"},{\"AttributeName\":\"c\",\"KeyType\":\"RANGE\"}],"
           "\"AttributeDefinitions\":[{\"AttributeName\":\"a\",\"AttributeType\":\"S\"}]}",
           NULL, NULL); /* more than 2 keys: the model allows it, the service decides */
    expect(d, "CreateTable",
           "{\"TableName\":\"tab\",\"AttributeDefinitions\":[{\"AttributeName\":\"a\",\"AttributeType\":\"S\"}],"
           "\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}",
           NULL, NULL);
    expect(d, "PutItem", "{\"TableName\":\"tab\",\"Item\":{},\"ReturnValues\":\"hi\"}", VAL,
           V1 "Value 'hi' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: "
              "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
    expect(d, "PutItem", "{\"TableName\":\"tab\",\"Item\":{},\"ReturnConsumedCapacity\":\"x\"}", VAL,
           V1 "Value 'x' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: "
              "[INDEXES, TOTAL, NONE]");
    expect(d, "PutItem", "{\"TableName\":\"tab\"}", VAL,
           V1 "Value null at 'item' failed to satisfy constraint: Member must not be null");
    expect(d, "BatchWriteItem", "{\"RequestItems\":{\"Tab\":[]}}", VAL,
           V1 "Value '{Tab=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
              "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
    /* nulls inside collections (services take elements as given: these crashed CreateTable, BatchWriteItem) */
    expect(d, "BatchWriteItem", "{\"RequestItems\":{\"Tab\":null}}", VAL,
           V1 "Value null at 'requestItems.Tab.member' failed to satisfy constraint: Member must not be null");
    expect(d, "CreateTable",
           "{\"TableName\":\"tab\",\"AttributeDefinitions\":[{\"AttributeName\":\"a\",\"AttributeType\":\"S\"},null],"
           "\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}",
           VAL, V1 "Value null at 'attributeDefinitions.2.member' failed to satisfy constraint: Member must not be null");
    /* in the validation framework's generic words (paritysuite/dynamodb-conformance batchGetItem, 2026-10) */
    expect(d, "BatchGetItem", "{\"RequestItems\":{\"Auth\":{\"Keys\":[]}}}", VAL,
           V1 "Value at 'RequestItems.Auth.member.Keys' failed to satisfy constraint: Member must have length greater "
              "than or equal to 1");
    /* BatchWriteItem's own sentence, as 28 of 33 regions answered it in October 2026 */
    expect(d, "BatchWriteItem", "{\"RequestItems\":{}}", VAL, "The requestItems parameter is required for BatchWriteItem");
    /* (a Scan: a Query's Limit is checked by the operation, see protocol/gen/genmodel.py) */
    /* the request's own members in the order of a Java HashMap of their names too: select before limit (as
     * paritysuite/dynamodb-conformance's validation-ordering captures show for UpdateItem, TransactWriteItems,
     * BatchGetItem and CreateTable, 2026-10-09) */
    expect(d, "Scan", "{\"TableName\":\"tab\",\"Limit\":0,\"Select\":\"x\"}", VAL,
           "2 validation errors detected: Value 'x' at 'select' failed to satisfy constraint: Member must satisfy enum value "
           "set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; Value '0' at 'limit' failed to "
           "satisfy constraint: Member must have value greater than or equal to 1");
    /* wrong JSON types: Coral's SerializationException */
    expect(d, "CreateTable", "{\"TableName\":5}", SER, "NUMBER_VALUE cannot be converted to String");
    expect(d, "CreateTable", "{\"TableName\":1.5}", SER, "DECIMAL_VALUE cannot be converted to String");
    expect(d, "CreateTable", "{\"TableName\":true}", SER, "TRUE_VALUE cannot be converted to String");
    expect(d, "CreateTable", "{\"TableName\":{}}", SER, "Start of structure or map found where not expected");
    expect(d, "CreateTable", "{\"TableName\":[]}", SER, "Unrecognized collection type class java.lang.String");
    expect(d, "CreateTable", "{\"TableName\":\"t\",\"KeySchema\":\"x\"}", SER, "Unexpected field type");
    expect(d, "CreateTable", "{\"TableName\":\"t\",\"KeySchema\":{}}", SER, "Start of structure or map found where not expected");
    expect(d, "CreateTable", "{\"TableName\":\"t\",\"KeySchema\":[[]]}", SER,
           "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement");
    expect(d, "CreateTable", "{\"TableName\":\"t\",\"KeySchema\":[1]}", SER, "Unexpected value type in payload");
    expect(d, "CreateTable", "{\"TableName\":\"t\",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":\"5\"}}", SER,
           "STRING_VALUE cannot be converted to Long");
    expect(d, "Scan", "{\"TableName\":\"t\",\"ConsistentRead\":\"yes\"}", SER, "Unexpected token received from parser");
    expect(d, "GetItem", "{\"TableName\":\"t\",\"Key\":[]}", SER,
           "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>");
    expect(d, "GetItem", "{\"TableName\":\"t\",\"Key\":{\"a\":\"x\"}}", SER, "Unexpected value type in payload");
    /* the table-name shape, for services that check names that are not ARNs */
    expect_value(d, "TableName", "\"ab\"", "tableName",
                 V1 "Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
    expect_value(d, "TableName", "\"a b\"", "tableName",
                 V1 "Value 'a b' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    "[a-zA-Z0-9_.-]+");
    /* one member's errors in the order of a Java HashSet of their texts: length first at 'tableName', the pattern
     * first at 'backupName' (DynamoDB, October 2026: the ack-api-quirks lab's DDB-TABLE-457) */
    expect_value(d, "TableName", "\"\"", "tableName",
                 "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length "
                 "greater than or equal to 3; Value '' at 'tableName' failed to satisfy constraint: Member must satisfy "
                 "regular expression pattern: [a-zA-Z0-9_.-]+");
    expect_value(d, "BackupName", "\"\"", "backupName",
                 "2 validation errors detected: Value '' at 'backupName' failed to satisfy constraint: Member must satisfy "
                 "regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'backupName' failed to satisfy constraint: Member "
                 "must have length greater than or equal to 3");
    expect_value(d, "TableName", "\"My_table.v-2\"", "tableName", NULL);
}

static void test_dynamodb_limit(void)
{
    /* eleven bad list elements: Coral stops at ten */
    char json[2048] = "{\"TableName\":\"tab\",\"KeySchema\":[";
    for (int i = 0; i < 11; i++)
        strcat(json, i ? ",{}" : "{}");
    strcat(json, "]}");
    char want[4096] = "10 validation errors detected: ";
    for (int i = 1; i <= 10; i++) {
        char one[160];
        snprintf(one, sizeof(one),
                 "%sValue null at 'keySchema.%d.member.attributeName' failed to satisfy constraint: Member "
                 "must not be null",
                 i > 1 ? "; " : "", (i + 1) / 2);
        if (i % 2 == 0)
            snprintf(one, sizeof(one),
                     "; Value null at 'keySchema.%d.member.keyType' failed to satisfy constraint: Member "
                     "must not be null",
                     i / 2);
        strcat(want, one);
    }
    expect(&model_dynamodb, "CreateTable", json, VAL, want);
}

static void test_lambda(void)
{
    const model_service_t *l = &model_lambda;
    expect(l, "CreateFunction", "{\"FunctionName\":\"f\",\"Role\":\"arn:aws:iam::123456789012:role/r\",\"Code\":{}}", NULL, NULL);
    expect(l, "CreateFunction", "{\"FunctionName\":\"f\",\"Code\":{}}", VAL,
           V1 "Value null at 'role' failed to satisfy constraint: Member must not be null");
    expect(l, "CreateFunction", "{\"FunctionName\":\"f\",\"Role\":\"bad\",\"Code\":{},\"Timeout\":0,\"MemorySize\":100}", VAL,
           "3 validation errors detected: Value 'bad' at 'role' failed to satisfy constraint: Member must satisfy regular "
           "expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+; Value '0' at 'timeout' failed "
           "to satisfy constraint: Member must have value greater than or equal to 1; Value '100' at 'memorySize' failed to "
           "satisfy constraint: Member must have value greater than or equal to 128");
    expect(l, "GetFunction", "{\"FunctionName\":\"my function\"}", VAL,
           V1 "Value 'my function' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression "
              "pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?"
              "(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?");
    expect(l, "GetFunction", "{\"FunctionName\":\"my_fn-1.x\"}", NULL, NULL);
    expect(l, "GetFunction", "{\"FunctionName\":\"arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST\"}", NULL, NULL);
    expect(l, "Invoke", "{\"FunctionName\":\"f\",\"InvocationType\":\"Sometimes\"}", VAL,
           V1 "Value 'Sometimes' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: "
              "[Event, RequestResponse, DryRun]");
    expect(l, "ListFunctions", "{\"MaxItems\":\"5\"}", NULL, NULL); /* query-string members may stay text */
    expect(l, "ListFunctions", "{\"MaxItems\":\"0\"}", VAL,
           V1 "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
    expect(l, "CreateFunction", "{\"FunctionName\":\"f\",\"Role\":\"r\",\"Code\":{},\"Timeout\":\"x\"}",
           "InvalidRequestContentException",
           "Could not parse request body into json: Cannot deserialize value of type `java.lang.Integer` from String value");
}

static void test_sqs(void)
{
    const model_service_t *s = &model_sqs;
    expect(s, "CreateQueue", "{}", "MissingParameter", "The request must contain the parameter QueueName.");
    expect(s, "CreateQueue", "{\"QueueName\":\"q\",\"Attributes\":{\"Bogus\":\"1\"}}", NULL, NULL);
    expect(s, "SendMessage", "{\"QueueUrl\":\"u\"}", "MissingParameter", "The request must contain the parameter MessageBody.");
    expect(s, "SendMessageBatch", "{\"QueueUrl\":\"u\",\"Entries\":[{\"Id\":\"a\",\"MessageBody\":\"b\"},{\"Id\":\"c\"}]}",
           "MissingParameter", "The request must contain the parameter Entries.2.MessageBody.");
    expect(s, "ReceiveMessage", "{\"QueueUrl\":\"u\",\"MaxNumberOfMessages\":\"abc\"}", "InvalidParameterValue",
           "Value abc for parameter MaxNumberOfMessages is invalid.");
    expect(s, "ReceiveMessage", "{\"QueueUrl\":\"u\",\"MaxNumberOfMessages\":10,\"AttributeNames\":[\"All\"]}", NULL, NULL);
}

int main(void)
{
    test_dynamodb();
    test_dynamodb_limit();
    test_lambda();
    test_sqs();
    return check_summary();
}
