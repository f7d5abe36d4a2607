// DynamoDB Streams with the AWS SDK for JavaScript v3 (@aws-sdk/client-dynamodb-streams): stream description,
// records of puts, updates, deletes, batches and transactions, view types, iterator types, paginated ListStreams,
// disabling, TTL deletions, errors, and kill -9 durability.
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { check, withServer } from "./harness.mjs";

async function advance(s, ms) {
  const r = await fetch(s.endpoint + "/_awsemu/clock", { method: "POST", body: JSON.stringify({ advance_ms: ms }) });
  await r.text();
}

async function createTable(ddb, name, view) {
  const r = await ddb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
      StreamSpecification: { StreamEnabled: true, StreamViewType: view },
    }),
  );
  return r.TableDescription.LatestStreamArn;
}

async function iterator(st, arn, type = "TRIM_HORIZON", seq) {
  const d = await st.send(new DescribeStreamCommand({ StreamArn: arn }));
  const r = await st.send(
    new GetShardIteratorCommand({
      StreamArn: arn,
      ShardId: d.StreamDescription.Shards[0].ShardId,
      ShardIteratorType: type,
      ...(seq ? { SequenceNumber: seq } : {}),
    }),
  );
  return r.ShardIterator;
}

// Follows NextShardIterator until an empty page or the end of a closed shard.
async function readAll(st, it, limit) {
  const out = [];
  for (let i = 0; i < 50 && it; i++) {
    const r = await st.send(new GetRecordsCommand({ ShardIterator: it, ...(limit ? { Limit: limit } : {}) }));
    out.push(...r.Records);
    it = r.NextShardIterator;
    if (!r.Records.length) break;
  }
  return { records: out, next: it };
}

await withServer(async (s) => {
  let ddb = new DynamoDBClient(s.clientConfig());
  let st = new DynamoDBStreamsClient(s.clientConfig());

  const arn = await createTable(ddb, "Users", "NEW_AND_OLD_IMAGES");
  check.true(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/Users\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/.test(arn), "stream ARN");
  const desc = (await st.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription;
  check.eq(desc.StreamStatus, "ENABLED", "status");
  check.eq(desc.StreamViewType, "NEW_AND_OLD_IMAGES", "view");
  check.eq(desc.KeySchema, [{ AttributeName: "id", KeyType: "HASH" }], "key schema");
  check.true(desc.CreationRequestDateTime instanceof Date, "CreationRequestDateTime is a Date");
  check.true(/^shardId-\d{20}-[0-9a-f]{8}$/.test(desc.Shards[0].ShardId), "shard id");

  // --- puts, updates, deletes; unchanged writes leave no record ---
  const item = { id: { S: "u1" }, name: { S: "Ann" }, n: { N: "007" }, bin: { B: new Uint8Array([1, 2, 3]) } };
  await ddb.send(new PutItemCommand({ TableName: "Users", Item: item }));
  await ddb.send(new PutItemCommand({ TableName: "Users", Item: item }));
  await ddb.send(
    new UpdateItemCommand({
      TableName: "Users",
      Key: { id: { S: "u1" } },
      UpdateExpression: "SET #n = :v",
      ExpressionAttributeNames: { "#n": "name" },
      ExpressionAttributeValues: { ":v": { S: "Bob" } },
    }),
  );
  await ddb.send(new DeleteItemCommand({ TableName: "Users", Key: { id: { S: "u1" } } }));
  let { records } = await readAll(st, await iterator(st, arn));
  check.eq(records.map((r) => r.eventName), ["INSERT", "MODIFY", "REMOVE"], "events");
  const [ins, mod, rem] = records;
  check.eq(ins.eventSource, "aws:dynamodb", "eventSource");
  check.eq(ins.eventVersion, "1.1", "eventVersion");
  check.eq(ins.awsRegion, "us-east-1", "awsRegion");
  check.eq(ins.dynamodb.Keys, { id: { S: "u1" } }, "Keys");
  check.eq(ins.dynamodb.NewImage.n, { N: "7" }, "canonical number");
  check.eq(Array.from(ins.dynamodb.NewImage.bin.B), [1, 2, 3], "binary image decoded by the SDK");
  check.true(ins.dynamodb.ApproximateCreationDateTime instanceof Date, "ApproximateCreationDateTime is a Date");
  check.eq(mod.dynamodb.OldImage.name, { S: "Ann" }, "OldImage");
  check.eq(mod.dynamodb.NewImage.name, { S: "Bob" }, "NewImage");
  check.eq(rem.dynamodb.NewImage, undefined, "REMOVE without NewImage");
  check.true(BigInt(ins.dynamodb.SequenceNumber) < BigInt(mod.dynamodb.SequenceNumber), "increasing sequence numbers");
  check.true(ins.dynamodb.SizeBytes > 0, "SizeBytes");

  // --- batches and transactions ---
  const latest = await iterator(st, arn, "LATEST");
  await ddb.send(
    new BatchWriteItemCommand({
      RequestItems: { Users: ["a", "b", "c"].map((id) => ({ PutRequest: { Item: { id: { S: id } } } })) },
    }),
  );
  await ddb.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        { Delete: { TableName: "Users", Key: { id: { S: "a" } } } },
        { Put: { TableName: "Users", Item: { id: { S: "d" } } } },
      ],
    }),
  );
  ({ records } = await readAll(st, latest));
  check.eq(
    records.map((r) => `${r.eventName}:${r.dynamodb.Keys.id.S}`),
    ["INSERT:a", "INSERT:b", "INSERT:c", "REMOVE:a", "INSERT:d"],
    "batch + transaction records in order",
  );

  // --- iterator types and paging ---
  const all = (await readAll(st, await iterator(st, arn))).records;
  const seq = all[4].dynamodb.SequenceNumber;
  const at = (await readAll(st, await iterator(st, arn, "AT_SEQUENCE_NUMBER", seq))).records;
  check.eq(at[0].eventID, all[4].eventID, "AT_SEQUENCE_NUMBER");
  const after = (await readAll(st, await iterator(st, arn, "AFTER_SEQUENCE_NUMBER", seq))).records;
  check.eq(after[0].eventID, all[5].eventID, "AFTER_SEQUENCE_NUMBER");
  const paged = (await readAll(st, await iterator(st, arn), 2)).records;
  check.eq(paged.map((r) => r.eventID), all.map((r) => r.eventID), "Limit 2 paging");

  // --- view types ---
  const ko = await createTable(ddb, "KeysOnly", "KEYS_ONLY");
  await ddb.send(new PutItemCommand({ TableName: "KeysOnly", Item: { id: { S: "k" }, v: { S: "x" } } }));
  const [k1] = (await readAll(st, await iterator(st, ko))).records;
  check.eq([k1.dynamodb.Keys, k1.dynamodb.NewImage, k1.dynamodb.OldImage], [{ id: { S: "k" } }, undefined, undefined], "KEYS_ONLY");
  const oi = await createTable(ddb, "OldOnly", "OLD_IMAGE");
  await ddb.send(new PutItemCommand({ TableName: "OldOnly", Item: { id: { S: "k" }, v: { S: "x" } } }));
  await ddb.send(new PutItemCommand({ TableName: "OldOnly", Item: { id: { S: "k" }, v: { S: "y" } } }));
  const o = (await readAll(st, await iterator(st, oi))).records;
  check.eq(o.map((r) => [r.dynamodb.NewImage, r.dynamodb.OldImage?.v]), [[undefined, undefined], [undefined, { S: "x" }]], "OLD_IMAGE");

  // --- ListStreams with pagination ---
  const names = [];
  let start;
  for (let i = 0; i < 10; i++) {
    const r = await st.send(new ListStreamsCommand({ Limit: 1, ...(start ? { ExclusiveStartStreamArn: start } : {}) }));
    names.push(...r.Streams.map((x) => x.TableName));
    start = r.LastEvaluatedStreamArn;
    if (!start) break;
  }
  check.eq(names, ["Users", "KeysOnly", "OldOnly"], "ListStreams pages");
  const filtered = await st.send(new ListStreamsCommand({ TableName: "KeysOnly" }));
  check.eq(filtered.Streams.map((x) => x.StreamArn), [ko], "ListStreams TableName");

  // --- errors ---
  await check.rejects(() => st.send(new GetRecordsCommand({ ShardIterator: "not-an-iterator" })), "ValidationException", "bad iterator");
  await check.rejects(
    () => st.send(new DescribeStreamCommand({ StreamArn: arn.replace("Users", "Nobody") })),
    "ResourceNotFoundException",
    "unknown stream",
  );
  const stale = await iterator(st, arn);
  await advance(s, 15 * 60 * 1000 + 1000);
  await check.rejects(() => st.send(new GetRecordsCommand({ ShardIterator: stale })), "ExpiredIteratorException", "expired");

  // --- TTL deletion: service userIdentity ---
  await ddb.send(new UpdateTimeToLiveCommand({ TableName: "KeysOnly", TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } }));
  await ddb.send(new PutItemCommand({ TableName: "KeysOnly", Item: { id: { S: "t" }, exp: { N: String(Math.floor(Date.now() / 1000)) } } }));
  await advance(s, 60 * 1000);
  let ttlRec;
  for (let i = 0; i < 50 && !ttlRec; i++) {
    ttlRec = (await readAll(st, await iterator(st, ko))).records.find((r) => r.eventName === "REMOVE");
    if (!ttlRec) await new Promise((r) => setTimeout(r, 100));
  }
  check.eq(ttlRec?.userIdentity, { PrincipalId: "dynamodb.amazonaws.com", Type: "Service" }, "TTL userIdentity");

  // --- disabling ---
  const open = await iterator(st, arn, "LATEST");
  await ddb.send(new PutItemCommand({ TableName: "Users", Item: { id: { S: "z" } } }));
  await ddb.send(new UpdateTableCommand({ TableName: "Users", StreamSpecification: { StreamEnabled: false } }));
  const closed = (await st.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription;
  check.eq(closed.StreamStatus, "DISABLED", "disabled");
  check.true(closed.Shards[0].SequenceNumberRange.EndingSequenceNumber, "EndingSequenceNumber");
  const last = await st.send(new GetRecordsCommand({ ShardIterator: open }));
  check.eq(last.Records.map((r) => r.dynamodb.Keys.id.S), ["z"], "last record of a closed stream");
  check.eq(last.NextShardIterator, undefined, "no next iterator at the end of a closed shard");

  // --- kill -9 ---
  const before = (await readAll(st, await iterator(st, ko))).records.map((r) => r.eventID);
  await s.restart({ kill: true });
  ddb = new DynamoDBClient(s.clientConfig());
  st = new DynamoDBStreamsClient(s.clientConfig());
  const afterRestart = (await readAll(st, await iterator(st, ko))).records.map((r) => r.eventID);
  check.eq(afterRestart, before, "records survive kill -9");
  check.eq((await st.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription.StreamStatus, "DISABLED", "closed after restart");
});
