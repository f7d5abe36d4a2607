// test_lambda_sdkv3.mjs - Lambda with the AWS SDK for JavaScript v3: create from a zip built at run
// time (Python's zipfile), the waiter, invoke (payload echo, Tail logs, function error, timeout,
// ClientContext), concurrent invokes on warm environments, Event invoke, versions and aliases.
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  LambdaClient, CreateFunctionCommand, InvokeCommand, GetFunctionCommand, PublishVersionCommand, CreateAliasCommand,
  ListVersionsByFunctionCommand, UpdateFunctionConfigurationCommand, DeleteFunctionCommand, waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { withServer, check } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "fixtures", "lambda");
const ROLE = "arn:aws:iam::000000000000:role/lambda-role";

function zipDir(name) {
  const py = "import io,os,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,'w')\nr=sys.argv[1]\n" +
    "[z.write(os.path.join(r,f),f) for f in sorted(os.listdir(r))]\nz.close()\nsys.stdout.buffer.write(b.getvalue())";
  return execFileSync("python3", ["-c", py, join(fixtures, name)]);
}

const dec = (p) => (p && p.length ? JSON.parse(Buffer.from(p).toString("utf8")) : null);
const enc = (o) => Buffer.from(JSON.stringify(o));

await withServer(async (s) => {
  const lam = new LambdaClient(s.clientConfig());
  const created = await lam.send(new CreateFunctionCommand({
    FunctionName: "js1", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Timeout: 1,
    Code: { ZipFile: zipDir("node_cjs") }, Environment: { Variables: { FOO: "js" } },
  }));
  check.eq([created.State, created.StateReasonCode], ["Pending", "Creating"], "create state: Pending until the waiter reads it");
  const w = await waitUntilFunctionActiveV2({ client: lam, maxWaitTime: 10 }, { FunctionName: "js1" });
  check.eq(w.state, "SUCCESS", "function-active-v2 waiter");

  let r = await lam.send(new InvokeCommand({ FunctionName: "js1", Payload: enc({ a: [1, 2] }), LogType: "Tail" }));
  let out = dec(r.Payload);
  check.eq(r.StatusCode, 200, "invoke status");
  check.eq(out.echo, { a: [1, 2] }, "payload echo");
  check.eq(out.env.FOO, "js", "environment");
  check.eq(r.ExecutedVersion, "$LATEST", "executed version");
  const log = Buffer.from(r.LogResult, "base64").toString();
  check.true(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/.test(log), "Tail START");
  check.true(/REPORT RequestId: [0-9a-f-]{36}\tDuration: [0-9.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t/.test(log),
    "Tail REPORT");

  r = await lam.send(new InvokeCommand({ FunctionName: "js1", Payload: enc({ fail: "js-boom" }) }));
  check.eq(r.FunctionError, "Unhandled", "function error header");
  check.eq(dec(r.Payload).errorMessage, "js-boom", "function error message");

  r = await lam.send(new InvokeCommand({ FunctionName: "js1", Payload: enc({ sleepMs: 2000 }) }));
  check.eq(dec(r.Payload), { errorType: "Sandbox.Timedout", errorMessage: `RequestId: ${r.$metadata.requestId} Error: Task timed out after 1.00 seconds` },
    "timeout payload");

  const cc = Buffer.from(JSON.stringify({ custom: { user: "u1" } })).toString("base64");
  r = await lam.send(new InvokeCommand({ FunctionName: "js1", Payload: enc({}), ClientContext: cc }));
  check.eq(dec(r.Payload).context.clientContext.custom, { user: "u1" }, "client context");

  // concurrency: 6 parallel invokes of a 200 ms function get several environments, then reuse them
  const run = () => lam.send(new InvokeCommand({ FunctionName: "js1", Payload: enc({ sleepMs: 200 }) })).then((x) => dec(x.Payload).pid);
  const pids = await Promise.all([1, 2, 3, 4, 5, 6].map(run));
  check.true(new Set(pids).size > 1, "more than one environment: " + new Set(pids).size);
  const t1 = Date.now();
  const again = await Promise.all([1, 2, 3].map(run));
  // every environment of the second burst was already running before it (warm, no cold start)
  check.true(again.every((p) => statSync(`/proc/${p}`).ctimeMs < t1), `warm environments reused: ${pids} then ${again}`);

  r = await lam.send(new InvokeCommand({ FunctionName: "js1", InvocationType: "Event", Payload: enc({ ev: 1 }) }));
  check.eq(r.StatusCode, 202, "Event invoke");
  for (let i = 0; i < 100 && !s.log.some((l) => l.includes('event {"ev":1}')); i++) await new Promise((res) => setTimeout(res, 50));
  check.true(s.log.some((l) => l.includes('event {"ev":1}')), "Event invocation ran");

  await lam.send(new PublishVersionCommand({ FunctionName: "js1" }));
  await lam.send(new UpdateFunctionConfigurationCommand({ FunctionName: "js1", Environment: { Variables: { FOO: "new" } } }));
  await lam.send(new CreateAliasCommand({ FunctionName: "js1", Name: "stable", FunctionVersion: "1" }));
  r = await lam.send(new InvokeCommand({ FunctionName: "js1", Qualifier: "stable", Payload: enc({}) }));
  check.eq([r.ExecutedVersion, dec(r.Payload).env.FOO], ["1", "js"], "alias runs the published configuration");
  r = await lam.send(new InvokeCommand({ FunctionName: "js1", Payload: enc({}) }));
  check.eq(dec(r.Payload).env.FOO, "new", "$LATEST runs the new configuration");
  const vs = await lam.send(new ListVersionsByFunctionCommand({ FunctionName: "js1" }));
  check.eq(vs.Versions.map((v) => v.Version), ["$LATEST", "1"], "versions");
  const g = await lam.send(new GetFunctionCommand({ FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:js1:stable" }));
  check.eq(g.Configuration.Version, "1", "get by alias ARN");
  // the SDK inside a function reaches awsemu through AWS_ENDPOINT_URL
  await lam.send(new CreateFunctionCommand({
    FunctionName: "sdk", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Timeout: 10,
    Code: { ZipFile: zipDir("node_sdk") },
  }));
  r = await lam.send(new InvokeCommand({ FunctionName: "sdk", Payload: enc({ queue: "made-by-lambda" }) }));
  check.eq(r.FunctionError, undefined, "SDK call inside a function: " + Buffer.from(r.Payload || []).toString().slice(0, 300));
  check.true((dec(r.Payload) || []).some((u) => u.endsWith("/made-by-lambda")), "function created a queue in awsemu");
  await lam.send(new DeleteFunctionCommand({ FunctionName: "js1" }));
  await check.rejects(() => lam.send(new InvokeCommand({ FunctionName: "js1" })), "ResourceNotFoundException", "invoke deleted");
});
