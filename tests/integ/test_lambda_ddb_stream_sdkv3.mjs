// test_lambda_ddb_stream_sdkv3.mjs - Lambda event source mappings on DynamoDB streams with the AWS SDK for
// JavaScript v3 and a Node.js function: the records Lambda delivers are GetRecords' records
// (@aws-sdk/client-dynamodb-streams) plus eventSourceARN, TTL deletions carry Lambda's lower-case userIdentity,
// MaximumBatchingWindowInSeconds gathers one batch, MaximumRecordAgeInSeconds skips old records, and a deleted
// mapping stops. The function appends each event to the file named by its OUT variable.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTableCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import {
  CreateEventSourceMappingCommand, CreateFunctionCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand,
  LambdaClient, ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand,
} from "@aws-sdk/client-lambda";
import { check, withServer } from "./harness.mjs";

const ROLE = "arn:aws:iam::000000000000:role/lambda-role";
const CODE = `
const fs = require("fs");
exports.handler = async (event, context) => {
  fs.appendFileSync(process.env.OUT, JSON.stringify({ rid: context.awsRequestId, event }) + "\\n");
  return {};
};
`;

function zipped() {
  const py = "import io,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,'w')\nz.writestr('index.js',sys.stdin.read())\n" +
    "z.close()\nsys.stdout.buffer.write(b.getvalue())";
  return execFileSync("python3", ["-c", py], { input: CODE });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(pred, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await pred();
    if (v || Date.now() > end) return v;
    await sleep(20);
  }
}

async function advance(s, ms) {
  const r = await fetch(s.endpoint + "/_awsemu/clock", { method: "POST", body: JSON.stringify({ advance_ms: ms }) });
  await r.text();
}

const tmp = mkdtempSync(join(tmpdir(), "ddbtrigger-js-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

function events(out) {
  if (!existsSync(out)) return [];
  return readFileSync(out, "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l).event);
}
const pks = (out) => events(out).flatMap((e) => e.Records.map((r) => r.dynamodb.Keys.pk.S));

await withServer(async (s) => {
  const lam = new LambdaClient(s.clientConfig());
  const ddb = new DynamoDBClient(s.clientConfig());
  const st = new DynamoDBStreamsClient(s.clientConfig());
  const zip = zipped();

  async function fixture(name, view = "NEW_AND_OLD_IMAGES") {
    const out = join(tmp, name + ".jsonl");
    const t = await ddb.send(new CreateTableCommand({
      TableName: name, KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }], BillingMode: "PAY_PER_REQUEST",
      StreamSpecification: { StreamEnabled: true, StreamViewType: view },
    }));
    await lam.send(new CreateFunctionCommand({
      FunctionName: name + "-fn", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Timeout: 3,
      Code: { ZipFile: zip }, Environment: { Variables: { OUT: out } },
    }));
    return { name, out, arn: t.TableDescription.LatestStreamArn };
  }
  async function map(f, extra = {}) {
    const m = await lam.send(new CreateEventSourceMappingCommand({
      EventSourceArn: f.arn, FunctionName: f.name + "-fn", StartingPosition: "TRIM_HORIZON", ...extra,
    }));
    await waitFor(async () => ["Enabled", "Disabled"].includes((await lam.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State));
    return m;
  }
  const put = (f, pk, more = {}) => ddb.send(new PutItemCommand({ TableName: f.name, Item: { pk: { S: pk }, ...more } }));

  // --- validation through the v3 SDK ---
  const users = await fixture("users");
  const e = await check.rejects(() => lam.send(new CreateEventSourceMappingCommand({ EventSourceArn: users.arn, FunctionName: "users-fn" })),
    "InvalidParameterValueException", "StartingPosition required");
  check.eq(e?.message, "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
    "StartingPosition message");

  // --- the records are GetRecords' records plus eventSourceARN ---
  await put(users, "u1", { name: { S: "Ann" }, tags: { SS: ["a", "b"] }, n: { N: "1.50" } });
  await ddb.send(new DeleteItemCommand({ TableName: "users", Key: { pk: { S: "u1" } } }));
  const m = await map(users);
  check.eq([m.StartingPosition, m.BatchSize, m.State, m.StateTransitionReason], ["TRIM_HORIZON", 100, "Creating", "User action"],
    "mapping created");
  const got = await waitFor(() => pks(users.out).length >= 2 && events(users.out));
  const recs = (got || []).flatMap((ev) => ev.Records);
  const shard = (await st.send(new DescribeStreamCommand({ StreamArn: users.arn }))).StreamDescription.Shards[0].ShardId;
  const it = (await st.send(new GetShardIteratorCommand({ StreamArn: users.arn, ShardId: shard, ShardIteratorType: "TRIM_HORIZON" })))
    .ShardIterator;
  const api = (await st.send(new GetRecordsCommand({ ShardIterator: it }))).Records;
  check.eq(recs.length, 2, "two records delivered");
  for (let i = 0; i < Math.min(recs.length, api.length); i++) {
    const r = recs[i], a = api[i];
    check.eq([r.eventID, r.eventName, r.eventVersion, r.eventSource, r.awsRegion], [a.eventID, a.eventName, a.eventVersion,
      a.eventSource, a.awsRegion], `record ${i}: event members`);
    check.eq(r.eventSourceARN, users.arn, `record ${i}: eventSourceARN`);
    check.eq(r.dynamodb.ApproximateCreationDateTime, Math.floor(a.dynamodb.ApproximateCreationDateTime.getTime() / 1000),
      `record ${i}: ApproximateCreationDateTime (epoch seconds)`);
    const { ApproximateCreationDateTime: _x, ...rest } = r.dynamodb;
    const { ApproximateCreationDateTime: _y, ...restApi } = a.dynamodb;
    check.eq(rest, JSON.parse(JSON.stringify(restApi)), `record ${i}: dynamodb member`);
  }
  check.eq(recs[0]?.dynamodb.NewImage, { pk: { S: "u1" }, name: { S: "Ann" }, tags: { SS: ["a", "b"] }, n: { N: "1.5" } },
    "NewImage: numbers as DynamoDB keeps them, sets");
  check.eq(recs.map((r) => r.eventName), ["INSERT", "REMOVE"], "order");
  const listed = await lam.send(new ListEventSourceMappingsCommand({ FunctionName: "users-fn" }));
  check.eq(listed.EventSourceMappings.map((x) => [x.UUID, x.EventSourceArn, x.LastProcessingResult]), [[m.UUID, users.arn, "OK"]],
    "list by function");

  // --- TTL deletions carry userIdentity (Lambda's lower-case members) ---
  await ddb.send(new UpdateTimeToLiveCommand({ TableName: "users", TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } }));
  await put(users, "ttl", { exp: { N: String(Math.floor(Date.now() / 1000)) } });
  await advance(s, 60 * 1000);
  const ttl = await waitFor(() => events(users.out).flatMap((ev) => ev.Records).find((r) => r.eventName === "REMOVE" && r.userIdentity));
  check.eq(ttl?.userIdentity, { type: "Service", principalId: "dynamodb.amazonaws.com" }, "TTL userIdentity");
  check.eq(ttl && Object.keys(ttl), ["eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "dynamodb", "userIdentity",
    "eventSourceARN"], "TTL record members");

  // --- MaximumBatchingWindowInSeconds gathers the records of one second into one batch ---
  const win = await fixture("window", "NEW_IMAGE");
  await map(win, { BatchSize: 10, MaximumBatchingWindowInSeconds: 1 });
  const t0 = Date.now();
  for (const pk of ["w1", "w2", "w3"]) await put(win, pk);
  const wb = await waitFor(() => pks(win.out).length >= 3 && events(win.out));
  check.eq((wb || []).map((ev) => ev.Records.map((r) => r.dynamodb.Keys.pk.S)), [["w1", "w2", "w3"]], "one batch after the window");
  check.true(Date.now() - t0 >= 900, "the window was waited for");

  // --- MaximumRecordAgeInSeconds: records older than that are skipped ---
  const age = await fixture("aged", "KEYS_ONLY");
  const am = await map(age, { Enabled: false, MaximumRecordAgeInSeconds: 60 });
  await put(age, "old");
  await advance(s, 120 * 1000);
  await put(age, "young");
  await lam.send(new UpdateEventSourceMappingCommand({ UUID: am.UUID, Enabled: true }));
  check.eq(await waitFor(() => pks(age.out).length && pks(age.out)), ["young"], "the record past MaximumRecordAgeInSeconds is skipped");

  // --- a deleted mapping stops ---
  const d = await lam.send(new DeleteEventSourceMappingCommand({ UUID: am.UUID }));
  check.eq(d.State, "Deleting", "deleting");
  await put(age, "late");
  await sleep(300);
  check.eq(pks(age.out), ["young"], "no delivery after delete");
  await check.rejects(() => lam.send(new GetEventSourceMappingCommand({ UUID: am.UUID })), "ResourceNotFoundException", "mapping gone");
});
