// The foundation's vertical slices with the AWS SDK for JavaScript v3: SQS
// queues (JSON 1.0), DynamoDB tables with the SDK's waiter, Lambda ListFunctions.
import { SQSClient, CreateQueueCommand, GetQueueUrlCommand, ListQueuesCommand, DeleteQueueCommand } from "@aws-sdk/client-sqs";
import {
  DynamoDBClient, CreateTableCommand, DescribeTableCommand, ListTablesCommand, DeleteTableCommand, waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { withServer, check } from "./harness.mjs";

await withServer(async (s) => {
  const sqs = new SQSClient(s.clientConfig());
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "js-slice" }));
  check.eq(QueueUrl, `${s.endpoint}/000000000000/js-slice`, "queue URL from the Host header");
  check.eq((await sqs.send(new GetQueueUrlCommand({ QueueName: "js-slice" }))).QueueUrl, QueueUrl, "GetQueueUrl");
  check.eq((await sqs.send(new ListQueuesCommand({}))).QueueUrls, [QueueUrl], "ListQueues");
  const e = await check.rejects(() => sqs.send(new GetQueueUrlCommand({ QueueName: "nope" })), "QueueDoesNotExist", "missing queue");
  check.eq(e?.$metadata?.httpStatusCode, 400, "missing queue status");
  await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  check.eq((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined, "ListQueues after delete");

  const ddb = new DynamoDBClient(s.clientConfig());
  const created = await ddb.send(new CreateTableCommand({
    TableName: "js-slice",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  }));
  check.eq(created.TableDescription.TableArn, "arn:aws:dynamodb:us-east-1:000000000000:table/js-slice", "TableArn");
  const w = await waitUntilTableExists({ client: ddb, maxWaitTime: 30 }, { TableName: "js-slice" });
  check.eq(w.state, "SUCCESS", "table-exists waiter");
  const d = await ddb.send(new DescribeTableCommand({ TableName: "js-slice" }));
  check.eq(d.Table.TableStatus, "ACTIVE", "DescribeTable status");
  check.eq(d.Table.KeySchema, [{ AttributeName: "pk", KeyType: "HASH" }], "DescribeTable key schema");
  check.eq((await ddb.send(new ListTablesCommand({}))).TableNames, ["js-slice"], "ListTables");
  await ddb.send(new DeleteTableCommand({ TableName: "js-slice" }));
  await check.rejects(() => ddb.send(new DescribeTableCommand({ TableName: "js-slice" })), "ResourceNotFoundException",
    "DescribeTable after delete");

  const lambda = new LambdaClient(s.clientConfig());
  check.eq((await lambda.send(new ListFunctionsCommand({}))).Functions, [], "ListFunctions");
});
