// harness.mjs - starts one awsemu for a test, for the AWS SDK for JavaScript v3.
//
//   const s = await startServer();        // own free port, own data dir
//   const sqs = new SQSClient(s.clientConfig());
//   ...
//   await s.restart({ kill: true });      // kill -9, then start again on the same data dir
//   await s.stop();
//   check.eq(got, want, "what"); check.done();
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual, inspect } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.AWSEMU_BIN || join(here, "..", "..", "build", "awsemu");

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function startServer({ args = [], inMemory = false, env = {} } = {}) {
  const s = {
    port: await freePort(),
    dataDir: mkdtempSync(join(tmpdir(), "awsemu-test-")),
    proc: null,
    log: [],
    get endpoint() {
      return `http://127.0.0.1:${this.port}`;
    },
    clientConfig(extra = {}) {
      return {
        endpoint: this.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
        maxAttempts: 1,
        ...extra,
      };
    },
    start() {
      const cmd = ["--host", "127.0.0.1", "--port", String(this.port), "--data-dir", this.dataDir, ...args];
      if (inMemory) cmd.push("--in-memory");
      this.proc = spawn(BIN, cmd, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
      return new Promise((resolve, reject) => {
        let buf = "";
        const timer = setTimeout(() => reject(new Error("awsemu did not print Ready.\n" + this.log.slice(-50).join("\n"))), 10000);
        const onData = (d) => {
          buf += d.toString();
          let i;
          while ((i = buf.indexOf("\n")) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            this.log.push(line);
            if (process.env.AWSEMU_TEST_VERBOSE) process.stderr.write("[awsemu] " + line + "\n");
            if (line.trim() === "Ready.") {
              clearTimeout(timer);
              resolve(this);
            }
          }
        };
        this.proc.stdout.on("data", onData);
        this.proc.stderr.on("data", onData);
        this.proc.on("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`awsemu exited (${code}) before Ready.\n` + this.log.slice(-50).join("\n")));
        });
      });
    },
    stop({ kill = false } = {}) {
      const p = this.proc;
      this.proc = null;
      if (!p || p.exitCode !== null) return Promise.resolve(p ? p.exitCode : null);
      return new Promise((resolve) => {
        p.removeAllListeners("exit");
        p.on("exit", (code, sig) => resolve(code ?? sig));
        p.kill(kill ? "SIGKILL" : "SIGTERM");
      });
    },
    async restart({ kill = false } = {}) {
      await this.stop({ kill });
      return this.start();
    },
    async close() {
      await this.stop();
      rmSync(this.dataDir, { recursive: true, force: true });
    },
  };
  await s.start();
  return s;
}

export const check = {
  passed: 0,
  failed: 0,
  eq(got, want, what = "") {
    if (isDeepStrictEqual(got, want)) this.passed++;
    else {
      this.failed++;
      console.log(`FAIL ${what}: got ${inspect(got, { depth: 6 })}, want ${inspect(want, { depth: 6 })}`);
    }
  },
  true(cond, what = "") {
    this.eq(Boolean(cond), true, what);
  },
  // fn must reject with an SDK error named `name` (the AWS error code).
  async rejects(fn, name, what = "") {
    try {
      await fn();
    } catch (e) {
      this.eq(e.name, name, what);
      return e;
    }
    this.failed++;
    console.log(`FAIL ${what}: no error, want ${name}`);
    return null;
  },
  done() {
    console.log(`${this.passed} passed, ${this.failed} failed`);
    process.exit(this.failed ? 1 : 0);
  },
};

// Runs main(server) with a fresh server and always cleans up; exits with the check summary.
export async function withServer(main, opts = {}) {
  const s = await startServer(opts);
  try {
    await main(s);
  } catch (e) {
    check.failed++;
    console.log("FAIL uncaught:", e);
    console.log(s.log.slice(-80).join("\n"));
  } finally {
    await s.close();
  }
  check.done();
}
