// Regenerates the js-*.txt vectors: requests signed by the AWS SDK for JavaScript v3
// signer (@smithy/signature-v4) at a fixed time. Run from tests/: node unit/sigv4_vectors/js_fixture.mjs
import { createHash, createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "..", "package.json"));
const { SignatureV4 } = require("@smithy/signature-v4");

// The SDK's Checksum interface over node:crypto (an HMAC when given a secret).
class Sha256 {
  constructor(secret) {
    this.h = secret ? createHmac("sha256", secret) : createHash("sha256");
  }
  update(data) {
    this.h.update(data);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

const credentials = { accessKeyId: "AKIAJSEXAMPLE", secretAccessKey: "js/Secret+Key" };
const signingDate = new Date("2024-05-17T10:11:12Z");

function write(name, req, body) {
  const query = Object.entries(req.query || {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  const lines = [`${req.method} ${req.path}${query ? "?" + query : ""} HTTP/1.1`];
  for (const [k, v] of Object.entries(req.headers)) lines.push(`${k}:${v}`);
  writeFileSync(join(here, name), lines.join("\n") + "\n\n" + (body || ""));
}

const sqs = new SignatureV4({ credentials, region: "us-east-1", service: "sqs", sha256: Sha256 });
const body = '{"QueueName":"q 1"}';
const req = {
  method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 4566, path: "/",
  headers: { host: "127.0.0.1:4566", "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.CreateQueue" },
  body,
};
write("js-sqs-json.txt", await sqs.sign(req, { signingDate }), body);

const lambda = new SignatureV4({ credentials, region: "eu-central-1", service: "lambda", sha256: Sha256 });
const get = {
  method: "GET", protocol: "http:", hostname: "127.0.0.1", port: 4566,
  path: "/2015-03-31/functions/my%3Afn/configuration", query: { Qualifier: "v 1" },
  headers: { host: "127.0.0.1:4566" },
};
write("js-lambda-presigned.txt", await lambda.presign(get, { signingDate, expiresIn: 300 }));
