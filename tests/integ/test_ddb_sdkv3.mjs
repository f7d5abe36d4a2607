// DynamoDB with the AWS SDK for JavaScript v3: @aws-sdk/client-dynamodb (tables, items, queries, batches,
// transactions, errors, waiters, a GSI with a multi-attribute key) and @aws-sdk/lib-dynamodb's DocumentClient
// (native JS values).
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeExportCommand,
  DescribeGlobalTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListExportsCommand,
  ListGlobalTablesCommand,
  ListImportsCommand,
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
  paginateQuery,
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

  // --- resources awsemu never creates: empty lists, describes that find nothing ---
  check.eq((await ddb.send(new ListGlobalTablesCommand({}))).GlobalTables, [], "no global tables");
  check.eq((await ddb.send(new ListExportsCommand({ TableArn: created.TableDescription.TableArn }))).ExportSummaries, [], "no exports");
  check.eq((await ddb.send(new ListImportsCommand({}))).ImportSummaryList, [], "no imports");
  await check.rejects(() => ddb.send(new DescribeGlobalTableCommand({ GlobalTableName: "Events" })), "GlobalTableNotFoundException", "no global table");
  const exportArn = created.TableDescription.TableArn + "/export/01700000000000-0a1b2c3d";
  await check.rejects(() => ddb.send(new DescribeExportCommand({ ExportArn: exportArn })), "ExportNotFoundException", "no export");

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

  // --- a GSI with a multi-attribute key: 2 partition and 2 sort key attributes ---
  await ddb.send(
    new CreateTableCommand({
      TableName: "Orders",
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: ["id", "shop", "state", "day"]
        .map((n) => ({ AttributeName: n, AttributeType: "S" }))
        .concat([{ AttributeName: "total", AttributeType: "N" }]),
      GlobalSecondaryIndexes: [
        {
          IndexName: "by_shop_state",
          KeySchema: [
            { AttributeName: "shop", KeyType: "HASH" },
            { AttributeName: "state", KeyType: "HASH" },
            { AttributeName: "day", KeyType: "RANGE" },
            { AttributeName: "total", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
    }),
  );
  const orders = [
    ["o1", "s1", "OPEN", "2025-11-02", 30],
    ["o2", "s1", "OPEN", "2025-11-01", 200],
    ["o3", "s1", "OPEN", "2025-11-02", 4.5],
    ["o4", "s1", "DONE", "2025-11-01", 7],
    ["o5", "s2", "OPEN", "2025-11-01", 1],
  ];
  for (const [id, shop, state, day, total] of orders)
    await doc.send(new PutCommand({ TableName: "Orders", Item: { id, shop, state, day, total } }));
  const byShop = await doc.send(
    new DocQueryCommand({
      TableName: "Orders",
      IndexName: "by_shop_state",
      KeyConditionExpression: "shop = :s AND #st = :o AND #d = :d AND #t >= :t",
      ExpressionAttributeNames: { "#st": "state", "#d": "day", "#t": "total" },
      ExpressionAttributeValues: { ":s": "s1", ":o": "OPEN", ":d": "2025-11-02", ":t": 4 },
    }),
  );
  check.eq(
    byShop.Items.map((i) => [i.id, i.total]),
    [
      ["o3", 4.5],
      ["o1", 30],
    ],
    "multi-attribute key query, sorted by (day, total)",
  );
  const pagedIds = [];
  const pages = paginateQuery(
    { client: doc, pageSize: 1 },
    {
      TableName: "Orders",
      IndexName: "by_shop_state",
      KeyConditionExpression: "shop = :s AND #st = :o",
      ExpressionAttributeNames: { "#st": "state" },
      ExpressionAttributeValues: { ":s": "s1", ":o": "OPEN" },
    },
  );
  for await (const page of pages) pagedIds.push(...page.Items.map((i) => i.id));
  check.eq(pagedIds, ["o2", "o3", "o1"], "multi-attribute key query paginated one item a page");
  const skipped = await doc
    .send(
      new DocQueryCommand({
        TableName: "Orders",
        IndexName: "by_shop_state",
        KeyConditionExpression: "shop = :s AND #st = :o AND #t > :t",
        ExpressionAttributeNames: { "#st": "state", "#t": "total" },
        ExpressionAttributeValues: { ":s": "s1", ":o": "OPEN", ":t": 1 },
      }),
    )
    .catch((e) => e);
  check.eq(
    [skipped.name, skipped.message],
    [
      "ValidationException",
      "RANGE key attributes day must have equality conditions specified in the query because a condition is present " +
        "on key attribute total",
    ],
    "a skipped sort key attribute",
  );

  // --- a string holding NUL is stored as DynamoDB stores it ---
  await doc.send(new PutCommand({ TableName: "Orders", Item: { id: "nul\u0000id", note: "a\u0000b", tags: new Set(["x\u0000", "x"]) } }));
  const nul = await doc.send(new GetCommand({ TableName: "Orders", Key: { id: "nul\u0000id" } }));
  check.eq([nul.Item.note, [...nul.Item.tags].sort()], ["a\u0000b", ["x", "x\u0000"]], "NUL in a key, a string and a set");

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
