// test_lambda_stream_sdkv3.mjs - Lambda response streaming with the AWS SDK for JavaScript v3's
// InvokeWithResponseStreamCommand (the InvokeWithResponseStream API reference): a Node.js
// awslambda.streamifyResponse handler's chunks as PayloadChunk events, each read while the function
// still runs, then InvokeComplete (LogResult with LogType Tail); an HttpResponseStream prelude is part
// of the stream's bytes; a timeout mid-stream ends it with InvokeComplete's Sandbox.Timedout.
import { execFileSync } from "node:child_process";
import { LambdaClient, CreateFunctionCommand, InvokeWithResponseStreamCommand } from "@aws-sdk/client-lambda";
import { withServer, check } from "./harness.mjs";

const ROLE = "arn:aws:iam::000000000000:role/lambda-role";
const CODE = `
export const handler = awslambda.streamifyResponse(async (event, stream) => {
  if (event.http) stream = awslambda.HttpResponseStream.from(stream, { statusCode: 201, headers: { "x-a": "b" } });
  for (let i = 0; i < 3; i++) {
    stream.write("part" + i + ";");
    await new Promise((r) => setTimeout(r, event.pause));
  }
  stream.end();
});
`;

function zipOf(name, text) {
  const py = "import io,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,'w')\nz.writestr(sys.argv[1],sys.argv[2])\nz.close()\n" +
    "sys.stdout.buffer.write(b.getvalue())";
  return execFileSync("python3", ["-c", py, name, text]);
}

const enc = (o) => Buffer.from(JSON.stringify(o));

// The events of a stream as [ms since start, kind, value].
async function read(r) {
  const t0 = Date.now(), out = [];
  for await (const ev of r.EventStream) {
    if (ev.PayloadChunk) out.push([Date.now() - t0, "PayloadChunk", Buffer.from(ev.PayloadChunk.Payload).toString("latin1")]);
    if (ev.InvokeComplete) out.push([Date.now() - t0, "InvokeComplete", ev.InvokeComplete]);
  }
  return out;
}

await withServer(async (s) => {
  const lam = new LambdaClient(s.clientConfig());
  await lam.send(new CreateFunctionCommand({
    FunctionName: "st", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Timeout: 2, Code: { ZipFile: zipOf("index.mjs", CODE) },
  }));

  let r = await lam.send(new InvokeWithResponseStreamCommand({ FunctionName: "st", Payload: enc({ pause: 500 }), LogType: "Tail" }));
  check.eq([r.StatusCode, r.ExecutedVersion, r.ResponseStreamContentType], [200, "$LATEST", "application/octet-stream"],
    "status, version, and the default content type of a stream");
  let evs = await read(r);
  check.eq(evs.slice(0, 3).map((e) => e[2]), ["part0;", "part1;", "part2;"], "the chunks, in order");
  check.eq(evs.length, 4, "then one more event");
  check.eq(evs[3][1], "InvokeComplete", "InvokeComplete last");
  check.true(evs[3][0] - evs[0][0] >= 800, `the first chunk was read before the function ended (${evs[3][0] - evs[0][0]} ms before)`);
  const log = Buffer.from(evs[3][2].LogResult, "base64").toString();
  check.true(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/.test(log), "LogResult: the log's START line");
  check.eq([evs[3][2].ErrorCode, evs[3][2].ErrorDetails], [undefined, undefined], "no error");

  r = await lam.send(new InvokeWithResponseStreamCommand({ FunctionName: "st", Payload: enc({ pause: 0, http: true }) }));
  check.eq(r.ResponseStreamContentType, "application/vnd.awslambda.http-integration-response", "HttpResponseStream's content type");
  evs = await read(r);
  check.eq(evs.filter((e) => e[1] === "PayloadChunk").map((e) => e[2]).join(""),
    '{"statusCode":201,"headers":{"x-a":"b"}}' + "\0".repeat(8) + "part0;part1;part2;",
    "the prelude (the metadata's JSON, 8 NUL bytes) before the body");

  r = await lam.send(new InvokeWithResponseStreamCommand({ FunctionName: "st", Payload: enc({ pause: 1500 }) }));
  evs = await read(r);
  check.eq(evs.map((e) => e[1]), ["PayloadChunk", "PayloadChunk", "InvokeComplete"], "a timeout: the chunks before it, then InvokeComplete");
  check.eq(evs[2][2], { ErrorCode: "Sandbox.Timedout", ErrorDetails: `RequestId: ${r.$metadata.requestId} Error: Task timed out after 2.00 seconds` },
    "a timeout in InvokeComplete");
});
