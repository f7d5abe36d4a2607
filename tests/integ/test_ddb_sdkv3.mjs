// DynamoDB with the AWS SDK for JavaScript v3: @aws-sdk/client-dynamodb (tables, items, queries, batches,
// transactions, errors, waiters) and @aws-sdk/lib-dynamodb's DocumentClient (native JS values).
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand as DocQueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  paginateScan,
} from "@aws-sdk/lib-dynamodb";
import { check, withServer } from "./harness.mjs";

await withServer(async (s) => {
  const ddb = new DynamoDBClient(s.clientConfig());
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });

  // --- tables ---
  const created = await ddb.send(
    new CreateTableCommand({
      TableName: "Events",
      KeySchema: [
        { AttributeName: "user", KeyType: "HASH" },
        { AttributeName: "ts", KeyType: "RANGE" },
      ],
      AttributeDefinitions: [
        { AttributeName: "user", AttributeType: "S" },
        { AttributeName: "ts", AttributeType: "N" },
        { AttributeName: "kind", AttributeType: "S" },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: "ByKind", KeySchema: [{ AttributeName: "kind", KeyType: "HASH" }], Projection: { ProjectionType: "ALL" } },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  check.eq(created.TableDescription.TableStatus, "ACTIVE", "create");
  check.true(created.TableDescription.CreationDateTime instanceof Date, "creation time is a date");
  const w = await waitUntilTableExists({ client: ddb, maxWaitTime: 10, minDelay: 1 }, { TableName: "Events" });
  check.eq(w.state, "SUCCESS", "table_exists waiter");
  check.eq((await ddb.send(new ListTablesCommand({}))).TableNames, ["Events"], "list tables");
  const nf = await check.rejects(() => ddb.send(new DescribeTableCommand({ TableName: "Missing" })), "ResourceNotFoundException", "describe missing");
  check.eq(nf?.message, "Requested resource not found: Table: Missing not found", "describe missing message");

  // --- low-level items ---
  await ddb.send(new PutItemCommand({ TableName: "Events", Item: { user: { S: "ann" }, ts: { N: "1" }, kind: { S: "login" }, n: { N: "007" } } }));
  const got = await ddb.send(new GetItemCommand({ TableName: "Events", Key: { user: { S: "ann" }, ts: { N: "1" } }, ReturnConsumedCapacity: "TOTAL" }));
  check.eq(got.Item.n, { N: "7" }, "number canonical");
  check.eq(got.ConsumedCapacity.CapacityUnits, 0.5, "read capacity");
  const upd = await ddb.send(
    new UpdateItemCommand({
      TableName: "Events",
      Key: { user: { S: "ann" }, ts: { N: "1" } },
      UpdateExpression: "ADD n :d SET seen = :t",
      ExpressionAttributeValues: { ":d": { N: "0.5" }, ":t": { BOOL: true } },
      ReturnValues: "ALL_NEW",
    }),
  );
  check.eq(upd.Attributes.n, { N: "7.5" }, "ADD exact");
  const ccf = await check.rejects(
    () =>
      ddb.send(
        new PutItemCommand({
          TableName: "Events",
          Item: { user: { S: "ann" }, ts: { N: "1" } },
          ConditionExpression: "attribute_not_exists(#u)",
          ExpressionAttributeNames: { "#u": "user" },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    "ConditionalCheckFailedException",
    "condition failed",
  );
  check.eq(ccf?.message, "The conditional request failed", "condition message");
  check.eq(ccf?.Item?.kind, { S: "login" }, "old item on condition failure");
  const bad = await check.rejects(
    () => ddb.send(new GetItemCommand({ TableName: "Events", Key: { user: { S: "ann" } } })),
    "ValidationException",
    "bad key",
  );
  check.eq(bad?.message, "The provided key element does not match the schema", "bad key message");
  await check.rejects(() => ddb.send(new GetItemCommand({ TableName: "Nope", Key: { user: { S: "a" } } })), "ResourceNotFoundException", "missing table");

  const batch = [];
  for (let i = 2; i <= 20; i++)
    batch.push({ PutRequest: { Item: { user: { S: i % 2 ? "bob" : "ann" }, ts: { N: String(i) }, kind: { S: i % 3 ? "view" : "login" } } } });
  const bw = await ddb.send(new BatchWriteItemCommand({ RequestItems: { Events: batch } }));
  check.eq(bw.UnprocessedItems, {}, "batch write");
  const q = await ddb.send(
    new QueryCommand({
      TableName: "Events",
      KeyConditionExpression: "#u = :u AND ts BETWEEN :a AND :b",
      ExpressionAttributeNames: { "#u": "user" },
      ExpressionAttributeValues: { ":u": { S: "ann" }, ":a": { N: "2" }, ":b": { N: "10" } },
      ScanIndexForward: false,
    }),
  );
  check.eq(q.Items.map((x) => x.ts.N), ["10", "8", "6", "4", "2"], "query descending");
  const gq = await ddb.send(
    new QueryCommand({ TableName: "Events", IndexName: "ByKind", KeyConditionExpression: "kind = :k", ExpressionAttributeValues: { ":k": { S: "login" } } }),
  );
  check.eq(gq.Count, 7, "gsi query");
  const sc = await ddb.send(new ScanCommand({ TableName: "Events", Limit: 5 }));
  check.eq(sc.Count, 5, "scan limit");
  check.true(sc.LastEvaluatedKey && sc.LastEvaluatedKey.user && sc.LastEvaluatedKey.ts, "scan last key");

  const tx = await check.rejects(
    () =>
      ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: "Events", Item: { user: { S: "zed" }, ts: { N: "1" } } } },
            { ConditionCheck: { TableName: "Events", Key: { user: { S: "ann" }, ts: { N: "1" } }, ConditionExpression: "attribute_not_exists(seen)" } },
          ],
        }),
      ),
    "TransactionCanceledException",
    "transaction cancelled",
  );
  check.eq(tx?.CancellationReasons?.map((r) => r.Code), ["None", "ConditionalCheckFailed"], "cancellation reasons");
  const zed = await ddb.send(new GetItemCommand({ TableName: "Events", Key: { user: { S: "zed" }, ts: { N: "1" } } }));
  check.eq(zed.Item, undefined, "cancelled transaction wrote nothing");

  // --- DocumentClient ---
  await doc.send(new PutCommand({ TableName: "Events", Item: { user: "cat", ts: 1, kind: "login", tags: new Set(["a", "b"]), meta: { deep: [1, "x", null] } } }));
  const dg = await doc.send(new GetCommand({ TableName: "Events", Key: { user: "cat", ts: 1 } }));
  check.eq(dg.Item.meta, { deep: [1, "x", null] }, "document round trip");
  check.eq([...dg.Item.tags].sort(), ["a", "b"], "string set");
  const du = await doc.send(
    new UpdateCommand({
      TableName: "Events",
      Key: { user: "cat", ts: 1 },
      UpdateExpression: "SET meta.deep[0] = meta.deep[0] + :one, #c = list_append(if_not_exists(#c, :empty), :v)",
      ExpressionAttributeNames: { "#c": "clicks" },
      ExpressionAttributeValues: { ":one": 1, ":empty": [], ":v": ["home"] },
      ReturnValues: "UPDATED_NEW",
    }),
  );
  check.eq(du.Attributes, { meta: { deep: [2] }, clicks: ["home"] }, "document update");
  const dq = await doc.send(
    new DocQueryCommand({
      TableName: "Events",
      KeyConditionExpression: "#u = :u AND ts > :t",
      FilterExpression: "kind IN (:a, :b)",
      ExpressionAttributeNames: { "#u": "user" },
      ExpressionAttributeValues: { ":u": "bob", ":t": 10, ":a": "login", ":b": "none" },
    }),
  );
  check.eq(dq.Items.map((x) => x.ts), [15], "document query with filter");
  await doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: "Events", Item: { user: "dan", ts: 1 } } },
        { Update: { TableName: "Events", Key: { user: "cat", ts: 1 }, UpdateExpression: "REMOVE clicks" } },
      ],
    }),
  );
  const dan = await doc.send(new GetCommand({ TableName: "Events", Key: { user: "dan", ts: 1 } }));
  check.eq(dan.Item, { user: "dan", ts: 1 }, "document transaction");
  let n = 0;
  for await (const page of paginateScan({ client: doc, pageSize: 4 }, { TableName: "Events" })) n += page.Count;
  check.eq(n, 22, "paginated scan");

  // --- durability and delete ---
  await s.restart({ kill: true });
  const ddb2 = new DynamoDBClient(s.clientConfig());
  const after = await ddb2.send(new GetItemCommand({ TableName: "Events", Key: { user: { S: "dan" }, ts: { N: "1" } } }));
  check.eq(after.Item?.user, { S: "dan" }, "survives kill -9");
  const del = await ddb2.send(new DeleteTableCommand({ TableName: "Events" }));
  check.eq(del.TableDescription.TableStatus, "DELETING", "delete table");
  const wn = await waitUntilTableNotExists({ client: ddb2, maxWaitTime: 10, minDelay: 1 }, { TableName: "Events" });
  check.eq(wn.state, "SUCCESS", "table_not_exists waiter");
});
