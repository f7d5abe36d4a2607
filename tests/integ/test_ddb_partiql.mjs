// DynamoDB PartiQL with the AWS SDK for JavaScript v3: @aws-sdk/client-dynamodb's ExecuteStatementCommand,
// BatchExecuteStatementCommand and ExecuteTransactionCommand (AttributeValues), and @aws-sdk/lib-dynamodb's
// ExecuteStatementCommand / BatchExecuteStatementCommand / ExecuteTransactionCommand (native JS values and
// parameters), with paging through NextToken and DynamoDB's errors.
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
} from "@aws-sdk/client-dynamodb";
import {
  BatchExecuteStatementCommand as DocBatchCommand,
  DynamoDBDocumentClient,
  ExecuteStatementCommand as DocStatementCommand,
  ExecuteTransactionCommand as DocTransactionCommand,
} from "@aws-sdk/lib-dynamodb";
import { check, withServer } from "./harness.mjs";

await withServer(async (s) => {
  const ddb = new DynamoDBClient(s.clientConfig());
  const doc = DynamoDBDocumentClient.from(ddb);
  await ddb.send(
    new CreateTableCommand({
      TableName: "Orders",
      KeySchema: [
        { AttributeName: "customer", KeyType: "HASH" },
        { AttributeName: "n", KeyType: "RANGE" },
      ],
      AttributeDefinitions: [
        { AttributeName: "customer", AttributeType: "S" },
        { AttributeName: "n", AttributeType: "N" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );

  // --- client: AttributeValues ---
  for (let i = 1; i <= 5; i++) {
    await ddb.send(
      new ExecuteStatementCommand({
        Statement: `INSERT INTO "Orders" VALUE {'customer': 'c1', 'n': ?, 'total': ?, 'items': ['x', 'y'], 'meta': {'gift': ${i % 2 === 0}}}`,
        Parameters: [{ N: String(i) }, { N: String(i * 1.5) }],
      }),
    );
  }
  let r = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT n, total FROM "Orders" WHERE customer = 'c1' AND n = 2` }));
  check.eq(r.Items, [{ n: { N: "2" }, total: { N: "3" } }], "select one item");
  r = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT n FROM "Orders" WHERE customer = 'c1' AND meta.gift = true` }));
  check.eq(r.Items.map((i) => i.n.N), ["2", "4"], "nested path condition");
  r = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT items[1] FROM "Orders" WHERE customer = 'c1' AND n = 1` }));
  check.eq(r.Items, [{ items: { L: [{ S: "y" }] } }], "list index projection");

  const seen = [];
  let NextToken;
  for (let page = 0; page < 10; page++) {
    r = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "Orders" WHERE customer = 'c1'`, Limit: 2, NextToken }));
    seen.push(...r.Items.map((i) => Number(i.n.N)));
    NextToken = r.NextToken;
    if (!NextToken) break;
  }
  check.eq(seen, [1, 2, 3, 4, 5], "NextToken pages in sort key order");

  let e = await ddb.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "Orders" WHERE customer = 'c1'` })).catch((x) => x);
  check.eq(e.name, "ValidationException", "delete without the sort key");
  check.eq(e.message, "Where clause does not contain a mandatory equality on all key attributes", "delete without the sort key message");
  e = await check.rejects(
    () => ddb.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Orders" VALUE {'customer': 'c1', 'n': 1}` })),
    "DuplicateItemException",
    "insert duplicate",
  );
  e = await check.rejects(
    () => ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "Orders" WHERE customer = ` })),
    "ValidationException",
    "syntax error",
  );
  check.eq(e?.message, "Statement wasn't well formed, can't be processed: Missing right-hand side expression of infix operator", "syntax error message");
  await check.rejects(
    () => ddb.send(new ExecuteStatementCommand({ Statement: `UPDATE "Orders" SET total = 0 WHERE customer = 'c9' AND n = 1` })),
    "ConditionalCheckFailedException",
    "update of a missing item",
  );
  await check.rejects(() => ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "Missing"` })), "ResourceNotFoundException", "no table");

  // --- lib-dynamodb: native values in and out ---
  await doc.send(
    new DocStatementCommand({
      Statement: `INSERT INTO "Orders" VALUE {'customer': ?, 'n': ?, 'tags': ?, 'doc': ?}`,
      Parameters: ["c2", 1, new Set(["a", "b"]), { deep: { list: [1, "two", null] } }],
    }),
  );
  r = await doc.send(new DocStatementCommand({ Statement: `SELECT * FROM "Orders" WHERE customer = ? AND n = ?`, Parameters: ["c2", 1] }));
  check.eq(r.Items[0].customer, "c2", "doc string");
  check.eq([...r.Items[0].tags].sort(), ["a", "b"], "doc set");
  check.eq(r.Items[0].doc, { deep: { list: [1, "two", null] } }, "doc nested map");
  r = await doc.send(
    new DocStatementCommand({ Statement: `UPDATE "Orders" SET doc.deep.count = ? WHERE customer = 'c2' AND n = 1 RETURNING ALL NEW *`, Parameters: [7] }),
  );
  check.eq(r.Items[0].doc.deep.count, 7, "doc update returning");

  const batch = await doc.send(
    new DocBatchCommand({
      Statements: [
        { Statement: `SELECT total FROM "Orders" WHERE customer = ? AND n = ?`, Parameters: ["c1", 3] },
        { Statement: `SELECT * FROM "Orders" WHERE customer = ? AND n = ?`, Parameters: ["c1", 99] },
      ],
    }),
  );
  check.eq(batch.Responses[0].Item, { total: 4.5 }, "doc batch get");
  check.eq(batch.Responses[1].Item, undefined, "doc batch get of no item");

  await doc.send(
    new DocTransactionCommand({
      TransactStatements: [
        { Statement: `UPDATE "Orders" SET total = total + ? WHERE customer = 'c1' AND n = 1`, Parameters: [10] },
        { Statement: `DELETE FROM "Orders" WHERE customer = 'c1' AND n = 5` },
      ],
    }),
  );
  r = await doc.send(new DocStatementCommand({ Statement: `SELECT total FROM "Orders" WHERE customer = 'c1' AND n = 1` }));
  check.eq(r.Items, [{ total: 11.5 }], "transaction applied");
  e = await check.rejects(
    () =>
      ddb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `UPDATE "Orders" SET total = 0 WHERE customer = 'c1' AND n = 2` },
            { Statement: `UPDATE "Orders" SET total = 0 WHERE customer = 'c1' AND n = 3 AND total = 999` },
          ],
        }),
      ),
    "TransactionCanceledException",
    "transaction cancelled",
  );
  check.eq(e?.CancellationReasons?.map((x) => x.Code), ["None", "ConditionalCheckFailed"], "cancellation reasons");
  r = await ddb.send(
    new BatchExecuteStatementCommand({
      Statements: [{ Statement: `UPDATE "Orders" SET total = 1 WHERE customer = 'c1' AND n = 2` }, { Statement: `SELECT * FROM "Orders" WHERE` }],
    }),
  );
  check.eq(r.Responses[0].Error, undefined, "batch write ran");
  check.eq(r.Responses[1].Error?.Code, "ValidationError", "batch statement that does not parse");
  check.eq(r.Responses[1].Error?.Message, "Statement wasn't well formed, can't be processed: Unexpected term", "batch parse message");
});
