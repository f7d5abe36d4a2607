"""The program itself: --help/--version, Ready., one log line per request,
health endpoints (own and LocalStack's shape), the movable clock, env twins
of flags, SIGTERM/SIGINT exiting 0 within a second, --services, --poll-us and an
idle server using no CPU."""
import io
import json
import os
import signal
import subprocess
import time
import urllib.request
import zipfile

from harness import BIN, Checks, Server

t = Checks()

out = subprocess.run([BIN, "--help"], capture_output=True, text=True)
t.eq(out.returncode, 0, "--help exit")
for flag in ["--host", "--port", "--data-dir", "--in-memory", "--services", "--region", "--log-level", "--poll-us",
             "AWSEMU_PORT"]:
    t.true(flag in out.stdout, "--help mentions " + flag)
out = subprocess.run([BIN, "--version"], capture_output=True, text=True)
t.true(out.stdout.startswith("awsemu "), "--version: %r" % out.stdout)
out = subprocess.run([BIN, "--port", "nope"], capture_output=True, text=True)
t.eq(out.returncode, 2, "bad flag exits 2")
out = subprocess.run([BIN, "--poll-us", "-1"], capture_output=True, text=True)
t.eq((out.returncode, out.stderr.strip()), (2, "awsemu: invalid --poll-us: -1"), "--poll-us below 0")


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def get(s, path, data=None):
    req = urllib.request.Request(s.endpoint + path, data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, json.loads(r.read())


with Server() as s:
    st, h = get(s, "/_awsemu/health")
    t.eq(st, 200, "health status")
    t.eq(h["services"], {"sqs": "running", "dynamodb": "running", "dynamodbstreams": "running", "lambda": "running"},
         "health services")
    t.true(isinstance(h["uptime_seconds"], int) and h["version"], "health version/uptime")
    st, h = get(s, "/_localstack/health")
    t.eq(h["services"]["sqs"], "running", "localstack-shaped health")
    t.eq(h["edition"], "community", "localstack edition")
    st, c = get(s, "/_awsemu/clock", json.dumps({"advance_ms": 3600000}).encode())
    t.true(abs(c["offset_ms"] - 3600000) < 1, "clock advanced")
    t.true(abs(c["now_ms"] - (time.time() * 1000 + 3600000)) < 5000, "clock now moved")
    get(s, "/_awsemu/clock", json.dumps({"offset_ms": 0}).encode())
    hc = subprocess.run([BIN, "--healthcheck", "--port", str(s.port)], capture_output=True)
    t.eq(hc.returncode, 0, "--healthcheck against a running server")
    hc = subprocess.run([BIN, "--healthcheck", "--host", "0.0.0.0", "--port", str(s.port)], capture_output=True)
    t.eq(hc.returncode, 0, "--healthcheck with a wildcard host probes loopback")
    s.client("dynamodb").list_tables()
    time.sleep(0.2)
    t.true(any("dynamodb ListTables 200" in line for line in s.log), "request log line")
    t0 = time.time()
    rc = s.stop()
    t.eq(rc, 0, "SIGTERM exit code")
    t.true(time.time() - t0 < 1.0, "SIGTERM exit within a second")

from harness import free_port  # noqa: E402
hc = subprocess.run([BIN, "--healthcheck", "--port", str(free_port())], capture_output=True)
t.eq(hc.returncode, 1, "--healthcheck with nothing listening")

# The loop polls for a while after a request (--poll-us), never while idle; --poll-us 0 serves the same.
for poll in ([], ["--poll-us", "0"]):
    with Server(*poll) as s:
        sqs = s.client("sqs")
        for _ in range(200):
            sqs.list_queues()
        time.sleep(0.3)
        before = cpu_seconds(s.proc.pid)
        time.sleep(1.0)
        t.true(cpu_seconds(s.proc.pid) - before < 0.1, "an idle server uses no CPU (%s)" % (poll or "default"))

with Server(env={"AWSEMU_SERVICES": "sqs", "AWSEMU_LOG_LEVEL": "warn"}) as s:
    st, h = get(s, "/_awsemu/health")
    t.eq(h["services"], {"sqs": "running"}, "AWSEMU_SERVICES env twin")
    s.proc.send_signal(signal.SIGINT)
    t.eq(s.proc.wait(5), 0, "SIGINT exit code")
    s.proc = None

with Server(in_memory=True) as s:
    s.client("dynamodb").list_tables()
    t.eq(os.listdir(s.data_dir), [], "--in-memory writes nothing to the data dir")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.js", "exports.handler = async (e) => e.n + 1;\n")
    lam = s.client("lambda")
    lam.create_function(FunctionName="mem", Runtime="nodejs20.x", Role="arn:aws:iam::000000000000:role/r",
                        Handler="index.handler", Code={"ZipFile": buf.getvalue()})
    t.eq(lam.invoke(FunctionName="mem", Payload=b'{"n": 1}')["Payload"].read(), b"2", "a function runs in memory mode")
    code_dir = "/tmp/awsemu-lambda-%d" % s.proc.pid
    t.true(os.path.isdir(os.path.join(code_dir, "code")), "its code is unpacked under " + code_dir)
    buf = io.BytesIO()  # a function of 2,000 files, stopped while they are written
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(2000):
            z.writestr("lib/%d/f%d.js" % (i % 40, i), "x" * 100)
    lam.create_function(FunctionName="big", Runtime="nodejs20.x", Role="arn:aws:iam::000000000000:role/r",
                        Handler="index.handler", Code={"ZipFile": buf.getvalue()})
    t.eq(s.stop(), 0, "the in-memory server stops cleanly")
    t.eq(os.path.exists(code_dir), False, "and removes its temporary code directory")
t.done()
