// bootstrap.mjs - awsemu's Node.js runtime: loads the handler (CommonJS or ES
// module) from LAMBDA_TASK_ROOT and serves invocations over the Lambda Runtime
// API at AWS_LAMBDA_RUNTIME_API, as Lambda's own Node.js runtime does.
//
// It speaks HTTP/1.1 to awsemu itself on one kept-alive socket rather than
// through node:http: requests written in the same tick leave in one segment, so
// an invocation's result and the next /invocation/next go out together
// (pipelined; awsemu answers them in order), and the node:http machinery (agent,
// parser objects, streams) that cost more than the rest of a warm invoke is gone.
import net from "node:net";
import { existsSync } from "node:fs";
import { Writable } from "node:stream";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const taskRoot = process.env.LAMBDA_TASK_ROOT;
let currentId = undefined;

// ---- the Runtime API connection: requests in order, answers matched first-in first-out
let sock = null;
let rbuf = Buffer.alloc(0);
let waiting = [];

function connect() {
  const s = net.connect({ host, port: Number(port), noDelay: true });
  const fail = (err) => {
    if (sock !== s) return;
    sock = null;
    rbuf = Buffer.alloc(0);
    const w = waiting;
    waiting = [];
    for (const x of w) x.reject(err || new Error("Runtime API connection closed"));
  };
  s.on("data", (d) => {
    rbuf = rbuf.length ? Buffer.concat([rbuf, d]) : d;
    parseAnswers();
  });
  s.on("error", fail);
  s.on("close", () => fail());
  sock = s;
}

function parseAnswers() {
  while (waiting.length) {
    const end = rbuf.indexOf("\r\n\r\n");
    if (end < 0) return;
    const lines = rbuf.toString("latin1", 0, end).split("\r\n");
    const headers = {};
    for (let i = 1; i < lines.length; i++) {
      const c = lines[i].indexOf(":");
      if (c > 0) headers[lines[i].slice(0, c).trim().toLowerCase()] = lines[i].slice(c + 1).trim();
    }
    const len = Number(headers["content-length"] || 0);
    if (rbuf.length < end + 4 + len) return;
    const body = rbuf.toString("utf8", end + 4, end + 4 + len);
    rbuf = rbuf.subarray(end + 4 + len);
    waiting.shift().resolve({ status: Number(lines[0].slice(9, 12)), headers, body });
  }
}

function send(method, path, body, headers) {
  if (!sock) connect();
  if (!sock.writableCorked) {
    sock.cork(); // everything written in this tick leaves in one segment
    const s = sock;
    process.nextTick(() => s.uncork());
  }
  let head = `${method} /2018-06-01/runtime/${path} HTTP/1.1\r\nHost: ${host}:${port}\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  const payload = body === undefined ? "" : body;
  sock.write(head + `Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n` + payload);
  return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
}

// A streamed request: its head now, then each piece as a chunk as it comes, then its trailers
// (nothing else is written on the socket meanwhile: runOne sends the next request after it).
function sendStreamed(path, headers) {
  if (!sock) connect();
  const s = sock;
  let head = `POST /2018-06-01/runtime/${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nTransfer-Encoding: chunked\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  s.write(head + "\r\n");
  const answer = new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  return {
    answer,
    chunk(data) {
      const buf = typeof data === "string" ? Buffer.from(data) : Buffer.from(data.buffer ? data.buffer : data, data.byteOffset, data.byteLength);
      if (buf.length) s.write(buf.length.toString(16) + "\r\n" + buf.toString("latin1") + "\r\n", "latin1");
    },
    end(trailers = {}) {
      let tail = "0\r\n";
      for (const [k, v] of Object.entries(trailers)) tail += `${k}: ${v}\r\n`;
      s.write(tail + "\r\n");
    },
  };
}

// One request; a connection that closed under it is replaced once.
function call(method, path, body, headers = {}) {
  return send(method, path, body, headers).catch(() => send(method, path, body, headers));
}

// console.* print "<time>\t<request id>\t<LEVEL>\t<message>" as Lambda's runtime does.
for (const [name, level] of [["log", "INFO"], ["info", "INFO"], ["warn", "WARN"], ["error", "ERROR"], ["debug", "DEBUG"], ["trace", "TRACE"]]) {
  console[name] = (...args) => {
    const msg = format(...args).replace(/\n/g, "\r");
    process.stdout.write(`${new Date().toISOString()}\t${currentId ?? "undefined"}\t${level}\t${msg}\n`);
  };
}

function errorJson(err) {
  if (err instanceof Error) {
    return { errorType: err.name, errorMessage: err.message, trace: String(err.stack || "").split("\n") };
  }
  return { errorType: typeof err, errorMessage: typeof err === "string" ? err : JSON.stringify(err) ?? String(err), trace: [] };
}

async function loadHandler() {
  const handler = process.env._HANDLER || "";
  const slash = handler.lastIndexOf("/");
  const dot = handler.indexOf(".", slash + 1);
  if (dot < 0) {
    const e = new Error(`Bad handler ${handler}: missing module or function name`);
    e.name = "Runtime.MalformedHandlerName";
    throw e;
  }
  const modPath = handler.slice(0, dot);
  const fnPath = handler.slice(dot + 1).split(".");
  let file = null;
  for (const ext of [".js", ".mjs", ".cjs"]) {
    if (existsSync(join(taskRoot, modPath + ext))) {
      file = join(taskRoot, modPath + ext);
      break;
    }
  }
  if (!file) {
    const e = new Error(`Error: Cannot find module '${modPath}'\nRequire stack:\n- ${import.meta.url.replace("file://", "")}`);
    e.name = "Runtime.ImportModuleError";
    throw e;
  }
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    if (err && err.code === "ERR_MODULE_NOT_FOUND") {
      const e = new Error(`${err.name}: ${err.message}`);
      e.name = "Runtime.ImportModuleError";
      e.stack = err.stack;
      throw e;
    }
    if (err instanceof SyntaxError) {
      const e = new Error(`${err.name}: ${err.message}`);
      e.name = "Runtime.UserCodeSyntaxError";
      e.stack = err.stack;
      throw e;
    }
    throw err;
  }
  let fn = mod;
  for (const part of fnPath) fn = fn?.[part] ?? (fn === mod ? mod.default?.[part] : undefined);
  if (typeof fn !== "function") {
    const e = new Error(`${modPath}.${fnPath.join(".")} is undefined or not exported`);
    e.name = "Runtime.HandlerNotFound";
    throw e;
  }
  return fn;
}

/* The members in the order of Lambda's Node.js runtime (JSON.stringify(context) shows it); the client
 * context and identity are the JSON the invoker sent, undefined without one. */
function makeContext(headers, done) {
  const deadline = Number(headers["lambda-runtime-deadline-ms"]);
  const json = (h) => (headers[h] ? JSON.parse(headers[h]) : undefined);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: json("lambda-runtime-client-context"),
    identity: json("lambda-runtime-cognito-identity"),
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (err, res) => done(err, res),
    succeed: (res) => done(null, res),
    fail: (err) => done(err ?? "handled", undefined),
  };
}

// ---- response streaming: the awslambda global of Lambda's Node.js runtime
const STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");
const HTTP_INTEGRATION = "application/vnd.awslambda.http-integration-response";

// The stream a streaming handler writes to: its bytes go to the Runtime API as they are written.
class ResponseStream extends Writable {
  constructor(id) {
    super();
    this.id = id;
    this.contentType = "application/octet-stream";
    this.request = null;
    this._onBeforeFirstWrite = null;
  }
  setContentType(type) {
    if (this.request) throw new Error("Tried to set content type after the stream started");
    this.contentType = type;
  }
  begin() {
    if (this.request) return;
    this.request = sendStreamed(`invocation/${this.id}/response`, {
      "Lambda-Runtime-Function-Response-Mode": "streaming",
      "Content-Type": this.contentType,
      Trailer: "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
    });
    if (this._onBeforeFirstWrite) this._onBeforeFirstWrite((d) => this.request.chunk(d));
  }
  _write(chunk, encoding, cb) {
    this.begin();
    this.request.chunk(chunk);
    cb();
  }
  _final(cb) {
    this.begin();
    cb();
  }
  finished() {
    return this.writableFinished ? Promise.resolve() : new Promise((resolve) => this.once("finish", resolve));
  }
}

// The prelude of a function URL's answer: the metadata's JSON, then 8 NUL bytes, before the body.
class HttpResponseStream {
  static from(stream, metadata) {
    stream.setContentType(HTTP_INTEGRATION);
    const prelude = JSON.stringify(metadata);
    stream._onBeforeFirstWrite = (write) => {
      write(prelude);
      write(new Uint8Array(8));
    };
    return stream;
  }
}

globalThis.awslambda = {
  streamifyResponse(handler) {
    handler[STREAMING] = "response";
    return handler;
  },
  HttpResponseStream,
};

// A streaming handler's invocation: the stream ends when the handler has ended it (or when it returns); a failure
// ends it with the error in its trailers.
async function runStreaming(handler, next, id) {
  const stream = new ResponseStream(id);
  let error;
  try {
    await handler(JSON.parse(next.body), stream, makeContext(next.headers, () => {}));
    if (!stream.writableEnded) stream.end();
    await stream.finished();
  } catch (err) {
    error = err;
  }
  stream.begin();
  if (error === undefined) {
    stream.request.end();
  } else {
    const ej = errorJson(error);
    console.error("Invoke Error \t" + JSON.stringify(ej));
    stream.request.end({
      "Lambda-Runtime-Function-Error-Type": ej.errorType,
      "Lambda-Runtime-Function-Error-Body": Buffer.from(JSON.stringify(ej)).toString("base64"),
    });
  }
  stream.request.answer.catch(() => {});
  currentId = undefined;
}

async function runOne(handler, next) {
  const id = next.headers["lambda-runtime-aws-request-id"];
  currentId = id;
  process.env._X_AMZN_TRACE_ID = next.headers["lambda-runtime-trace-id"] || "";
  if (handler[STREAMING] === "response") return runStreaming(handler, next, id);
  let result, failed = false;
  try {
    result = await new Promise((resolve, reject) => {
      let settled = false;
      const done = (err, res) => {
        if (settled) return;
        settled = true;
        if (err !== null && err !== undefined) reject(err);
        else resolve(res);
      };
      const event = JSON.parse(next.body);
      const ret = handler(event, makeContext(next.headers, done), done);
      if (ret && typeof ret.then === "function") ret.then((r) => done(null, r), (e) => done(e ?? "rejected"));
      else if (handler.length < 3) done(null, ret);
    });
  } catch (err) {
    failed = true;
    result = err;
  }
  if (failed) {
    const ej = errorJson(result);
    console.error("Invoke Error \t" + JSON.stringify(ej));
    post(`invocation/${id}/error`, JSON.stringify(ej), {
      "Content-Type": "application/json",
      "Lambda-Runtime-Function-Error-Type": ej.errorType,
    });
  } else {
    let body;
    try {
      body = JSON.stringify(result === undefined ? null : result);
    } catch (err) {
      const ej = { errorType: "Runtime.MarshalError", errorMessage: String(err && err.message), trace: [] };
      post(`invocation/${id}/error`, JSON.stringify(ej), { "Lambda-Runtime-Function-Error-Type": ej.errorType });
      return;
    }
    post(`invocation/${id}/response`, body, { "Content-Type": "application/json" });
  }
  currentId = undefined;
}

// A result is posted without waiting for its 202: the next /invocation/next follows it on the wire.
function post(path, body, headers) {
  call("POST", path, body, headers).catch(() => {});
}

async function main() {
  let handler;
  try {
    handler = await loadHandler();
  } catch (err) {
    const ej = errorJson(err);
    console.error(`${ej.errorType}: ${ej.errorMessage}`);
    await call("POST", "init/error", JSON.stringify(ej), {
      "Content-Type": "application/json",
      "Lambda-Runtime-Function-Error-Type": ej.errorType,
    });
    process.exit(1);
  }
  process.on("uncaughtException", async (err) => {
    const ej = errorJson(err);
    console.error("Uncaught Exception \t" + JSON.stringify(ej));
    if (currentId) await call("POST", `invocation/${currentId}/error`, JSON.stringify(ej), { "Lambda-Runtime-Function-Error-Type": ej.errorType }).catch(() => {});
    process.exit(129);
  });
  for (;;) {
    const next = await call("GET", "invocation/next");
    if (next.status !== 200) {
      if (next.status === 410) process.exit(0);
      continue;
    }
    await runOne(handler, next);
  }
}

main();
