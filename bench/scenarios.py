"""scenarios.py - the one table of what bench/run measures, and the setup steps behind it.

To add an operation, append a Scenario to SCENARIOS (the order here is the order of the run):
  name      "<service>.<Operation>[.<variant>]"; the report groups rows by it
  service   raw | sqs | dynamodb | lambda; a server is measured on the services it serves
  protos    wire protocols to run it in: json (AWS JSON 1.0), query (SQS form/XML), rest (Lambda), raw;
            each (scenario, protocol) pair is a row, run against every server speaking that protocol
  op        the operation (X-Amz-Target suffix for json, Action= for query)
  body      {proto: template}: "${Var}" takes a value the setup step returned (escaped for the protocol),
            "{{seq}}" becomes a number unique in the run and "{{rand}}" one in [0, rand_max) per request
  cycle     instead of op/body: [(op, {proto: template}), ...] steps sent in turn on each connection;
            a step whose template holds {{handles}} deletes what the previous receives returned
  setup     setup(ctx) -> {Var: value}: creates queues/tables/functions (ctx.cache is per server)
  measure   instead of wrk: measure(ctx) -> {"p50_us", "p99_us", "n", ...} for latency-only scenarios
  check     which target the ratios are judged against (see bench/run TARGETS)
A server that answers the first request of a scenario with an error is skipped with that error as the note.
"""
import io
import json
import socket
import statistics
import time
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from typing import Callable, Optional

from awsreq import FORM_CT, JSON_CT, TARGET_PREFIX, AwsError, headers_for, xml_values

JSON = "json"
QUERY = "query"


@dataclass
class Scenario:
    name: str
    service: str
    protos: tuple = (JSON,)
    op: str = ""
    body: dict = field(default_factory=dict)
    method: str = "POST"
    path: str = "/"
    cycle: Optional[list] = None
    setup: Optional[Callable] = None
    measure: Optional[Callable] = None
    rand_max: int = 1_000_000
    servers: Optional[tuple] = None
    check: str = ""
    note: str = ""


# ---------------------------------------------------------------- DynamoDB set-up


def ddb_wait_active(cli, table, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        t = cli.json_call("dynamodb", "DescribeTable", {"TableName": table})["Table"]
        if t.get("TableStatus") == "ACTIVE":
            return
        time.sleep(0.05)
    raise RuntimeError("table %s not ACTIVE after %ds" % (table, timeout))


def ddb_table(ctx, name, range_key=False):
    """Creates table `name` once per server (pk S, and sk N when range_key)."""
    key = "ddb:" + name
    if key in ctx.cache:
        return
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    attrs = [{"AttributeName": "pk", "AttributeType": "S"}]
    if range_key:
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
        attrs.append({"AttributeName": "sk", "AttributeType": "N"})
    try:
        ctx.client.json_call("dynamodb", "CreateTable", {"TableName": name, "KeySchema": keys, "AttributeDefinitions": attrs,
                                                         "BillingMode": "PAY_PER_REQUEST"})
    except AwsError as e:
        if "ResourceInUse" not in str(e):
            raise
    ddb_wait_active(ctx.client, name)
    ctx.cache[key] = True


def ddb_item_data():
    return "x" * 64


def setup_ddb_list(ctx):
    ddb_table(ctx, "bench_list")
    return {}


def setup_ddb_write(ctx):
    ddb_table(ctx, "bench_w")
    return {"Table": "bench_w", "Data": ddb_item_data()}


def setup_ddb_write_stream(ctx):
    """The PutItem table again, with a stream (NEW_AND_OLD_IMAGES): what a stream adds to a write."""
    if "ddb:bench_ws" not in ctx.cache:
        try:
            ctx.client.json_call("dynamodb", "CreateTable", {
                "TableName": "bench_ws", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}})
        except AwsError as e:
            if "ResourceInUse" not in str(e):
                raise
        ddb_wait_active(ctx.client, "bench_ws")
        ctx.cache["ddb:bench_ws"] = True
    return {"Table": "bench_ws", "Data": ddb_item_data()}


def setup_ddb_partition(ctx, table="bench_q", n=None):
    """Table `table` with one partition 'p' of n (default ctx.items) items (sk 0..n-1), loaded by BatchWriteItem."""
    n = n or ctx.items
    ddb_table(ctx, table, range_key=True)
    key = "ddb:%s:loaded" % table
    if key not in ctx.cache:
        data, t0 = ddb_item_data(), time.monotonic()
        for start in range(0, n, 25):
            reqs = [{"PutRequest": {"Item": {"pk": {"S": "p"}, "sk": {"N": str(i)}, "data": {"S": data}}}}
                    for i in range(start, min(n, start + 25))]
            pending = {table: reqs}
            for _ in range(20):
                out = ctx.client.json_call("dynamodb", "BatchWriteItem", {"RequestItems": pending})
                pending = out.get("UnprocessedItems") or {}
                if not pending:
                    break
            if time.monotonic() - t0 > ctx.setup_timeout:
                raise RuntimeError("preloading %d items took over %ds (at item %d)" % (n, ctx.setup_timeout, start))
        ctx.cache[key] = True
        ctx.log("  loaded %d items into %s in %.1fs" % (n, table, time.monotonic() - t0))
    return {"Table": table}


def setup_ddb_partition_small(ctx):
    return setup_ddb_partition(ctx, "bench_qs", 1000)


# ---------------------------------------------------------------- SQS set-up


def sqs_queue(ctx, name):
    """Creates queue `name` (suffixed by protocol) once per server and protocol; returns its URL."""
    name = "%s-%s" % (name, ctx.proto)
    key = "sqs:" + name
    if key not in ctx.cache:
        if ctx.proto == QUERY:
            ctx.cache[key] = xml_values(ctx.client.query_call("sqs", "CreateQueue", {"QueueName": name}), "QueueUrl")[0]
        else:
            ctx.cache[key] = ctx.client.json_call("sqs", "CreateQueue", {"QueueName": name})["QueueUrl"]
    return ctx.cache[key]


def setup_sqs_list(ctx):
    for i in range(3):
        sqs_queue(ctx, "bench-list-%d" % i)
    return {}


def setup_sqs_queue(name):
    return lambda ctx: {"QueueUrl": sqs_queue(ctx, name)}


def sqs_send(ctx, url, body):
    if ctx.proto == QUERY:
        ctx.client.query_call("sqs", "SendMessage", {"QueueUrl": url, "MessageBody": body})
    else:
        ctx.client.json_call("sqs", "SendMessage", {"QueueUrl": url, "MessageBody": body})


def sqs_purge_by_receiving(ctx, url, rounds=50):
    for _ in range(rounds):
        if ctx.proto == QUERY:
            text = ctx.client.query_call("sqs", "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": "10"})
            handles = xml_values(text, "ReceiptHandle")
        else:
            out = ctx.client.json_call("sqs", "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10})
            handles = [m["ReceiptHandle"] for m in out.get("Messages", [])]
        if not handles:
            return
        for h in handles:
            if ctx.proto == QUERY:
                ctx.client.query_call("sqs", "DeleteMessage", {"QueueUrl": url, "ReceiptHandle": h})
            else:
                ctx.client.json_call("sqs", "DeleteMessage", {"QueueUrl": url, "ReceiptHandle": h})


def http_request_bytes(ctx, op, params, service="sqs"):
    """The bytes of one SQS request in ctx.proto (or of a DynamoDB one), for the raw-socket latency measurements."""
    if service == "sqs" and ctx.proto == QUERY:
        form = dict(Action=op, Version="2012-11-05")
        form.update({k: str(v) for k, v in params.items()})
        body, h = urllib.parse.urlencode(form).encode(), headers_for("sqs", None, FORM_CT)
    else:
        body, h = json.dumps(params).encode(), headers_for(service, TARGET_PREFIX[service] + op, JSON_CT)
    head = "POST / HTTP/1.1\r\nHost: localhost:%d\r\nContent-Length: %d\r\n" % (ctx.port, len(body))
    head += "".join("%s: %s\r\n" % kv for kv in h.items())
    return head.encode() + b"\r\n" + body


class Conn:
    """A loopback HTTP/1.1 connection that keeps the bytes past one answer for the next (pipelining)."""

    def __init__(self, port, timeout=8):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.sock.close()

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        self.buf += chunk

    def read_request(self):
        """One request with a Content-Length body: (path bytes, body bytes)."""
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        n = next((int(v) for k, _, v in (ln.partition(b":") for ln in lines[1:]) if k.strip().lower() == b"content-length"), 0)
        while len(self.buf) < n:
            self._fill()
        body, self.buf = self.buf[:n], self.buf[n:]
        return lines[0].split(b" ")[1], body

    def read_response(self):
        """One answer with a Content-Length (or chunked) body: (status, body bytes)."""
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        hdrs = {k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:] if ":" in ln)}
        if hdrs.get("transfer-encoding", "").lower() == "chunked":
            while b"0\r\n\r\n" not in self.buf:
                self._fill()
            body, self.buf = self.buf.split(b"0\r\n\r\n", 1)
            return status, body
        n = int(hdrs.get("content-length", "0"))
        while len(self.buf) < n:
            self._fill()
        body, self.buf = self.buf[:n], self.buf[n:]
        return status, body


def pipeline(ctx, requests, window=64):
    """Sends request bytes on one kept-alive connection, `window` at a time ahead of the answers, and
    checks every answer is a 2xx (for preloads too large for one request at a time)."""
    with Conn(ctx.port, timeout=30) as conn:
        buf = []
        for req in requests:
            buf.append(req)
            if len(buf) == window:
                pipeline_flush(conn, buf)
        pipeline_flush(conn, buf)


def pipeline_flush(conn, buf):
    conn.sock.sendall(b"".join(buf))
    for _ in buf:
        status, body = conn.read_response()
        if status // 100 != 2:
            raise AwsError(status, body.decode("utf-8", "replace"))
    buf.clear()


def setup_sqs_depth(depth_attr):
    """A queue holding ctx.<depth_attr> messages, sent 10 per SendMessageBatch down a pipelined connection."""
    def setup(ctx):
        depth = getattr(ctx, depth_attr)
        url = sqs_queue(ctx, "bench-depth-%d" % depth)
        key = "sqs:depth:%d:%s" % (depth, ctx.proto)
        if key not in ctx.cache:
            t0 = time.monotonic()
            body = "x" * 100

            def batches():
                for start in range(0, depth, 10):
                    entries = [{"Id": "m%d" % i, "MessageBody": body} for i in range(min(10, depth - start))]
                    yield http_request_bytes(ctx, "SendMessageBatch", sqs_batch_params(ctx, url, entries))
            pipeline(ctx, batches())
            ctx.cache[key] = True
            ctx.log("  sent %d messages in %.1fs" % (depth, time.monotonic() - t0))
        return {"QueueUrl": url}
    return setup


def sqs_batch_params(ctx, url, entries):
    if ctx.proto != QUERY:
        return {"QueueUrl": url, "Entries": entries}
    params = {"QueueUrl": url}
    for n, e in enumerate(entries, 1):
        params["SendMessageBatchRequestEntry.%d.Id" % n] = e["Id"]
        params["SendMessageBatchRequestEntry.%d.MessageBody" % n] = e["MessageBody"]
    return params


def measure_longpoll_wakeup(ctx):
    """Latency from writing a SendMessage to the answer of a ReceiveMessage parked (WaitTimeSeconds=5) on
    an empty queue: the receive is sent first, then after 20 ms the send on a second connection. Fresh
    connections each round (moto's server closes every connection after one answer)."""
    url = sqs_queue(ctx, "bench-longpoll")
    sqs_purge_by_receiving(ctx, url)
    recv = http_request_bytes(ctx, "ReceiveMessage", {"QueueUrl": url, "WaitTimeSeconds": 5, "MaxNumberOfMessages": 1})
    lat, deadline = [], time.monotonic() + ctx.duration * 4
    for i in range(ctx.longpoll_rounds):
        if time.monotonic() > deadline:
            break
        with Conn(ctx.port) as a, Conn(ctx.port) as b:
            a.sock.sendall(recv)
            a.sock.settimeout(0.02)
            try:
                status, body = a.read_response()  # an answer inside 20 ms: this server does not park the poll
                raise AwsError(status, "answered at once, no long poll (%s)" % body[:80].decode("utf-8", "replace"))
            except socket.timeout:
                pass
            a.sock.settimeout(8)
            send = http_request_bytes(ctx, "SendMessage", {"QueueUrl": url, "MessageBody": "wake %d" % i})
            t0 = time.perf_counter()
            b.sock.sendall(send)
            status, body = a.read_response()
            t1 = time.perf_counter()
            b.read_response()
        if status != 200 or b"ReceiptHandle" not in body:
            raise AwsError(status, body.decode("utf-8", "replace"))
        lat.append((t1 - t0) * 1e6)
        sqs_purge_by_receiving(ctx, url)
    lat.sort()
    return {"n": len(lat), "p50_us": statistics.median(lat), "p99_us": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
            "max_us": lat[-1]}


# ---------------------------------------------------------------- Lambda set-up


def setup_lambda_echo(ctx):
    key = "lambda:bench-echo"
    if key not in ctx.cache:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("index.js", "exports.handler = async (event) => event;\n")
        import base64
        try:
            ctx.client.rest_call("lambda", "POST", "/2015-03-31/functions", {
                "FunctionName": "bench-echo", "Runtime": "nodejs20.x", "Handler": "index.handler",
                "Role": "arn:aws:iam::123456789012:role/bench", "Code": {"ZipFile": base64.b64encode(buf.getvalue()).decode()}})
        except AwsError as e:
            if "ResourceConflict" not in str(e):
                raise
        ctx.client.rest_call("lambda", "POST", "/2015-03-31/functions/bench-echo/invocations", raw_body=b'{"warm":1}')
        ctx.cache[key] = True
    return {}


def node_startup_us(ctx, rounds=10):
    """The interpreter's own start-up (node -e 0) on the server core, where awsemu's environments run: the floor
    a cold start is judged against."""
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        ctx.spawn(["node", "-e", "0"]).wait()
        times.append((time.perf_counter() - t0) * 1e6)
    return statistics.median(times)


def measure_lambda_cold(ctx):
    """Invoke right after UpdateFunctionConfiguration (which retires the warm environments): the time of
    a cold RequestResponse invoke of the Node.js echo function, with `node -e 0` measured alongside."""
    setup_lambda_echo(ctx)
    lat = []
    rounds = max(3, min(20, ctx.longpoll_rounds // 10))
    for i in range(rounds):
        ctx.client.rest_call("lambda", "PUT", "/2015-03-31/functions/bench-echo/configuration",
                             {"Environment": {"Variables": {"BENCH_ROUND": str(i)}}})
        t0 = time.perf_counter()
        ctx.client.rest_call("lambda", "POST", "/2015-03-31/functions/bench-echo/invocations", raw_body=b'{"cold":1}')
        lat.append((time.perf_counter() - t0) * 1e6)
    lat.sort()
    return {"n": len(lat), "p50_us": statistics.median(lat), "p99_us": lat[-1], "max_us": lat[-1],
            "floor_p50_us": node_startup_us(ctx)}


def measure_runtime_floor(ctx):
    """The raw runtime round trip, the floor of a warm invoke: the Node.js bootstrap awsemu ships
    (services/lambda/runtimes/bootstrap.mjs, an echo handler) driven by a minimal Runtime API server here,
    which hands it events back to back on its kept-alive connection; per event, the time from writing the
    /invocation/next answer to reading the whole response POST. Node runs on the server core, as awsemu's
    environments do."""
    import os
    import subprocess
    import tempfile
    boot = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "services", "lambda", "runtimes",
                        "bootstrap.mjs")
    with tempfile.TemporaryDirectory(prefix="floor-") as root, socket.socket() as ls:
        with open(os.path.join(root, "index.js"), "w") as f:
            f.write("exports.handler = async (event) => event;\n")
        ls.bind(("127.0.0.1", 0))
        ls.listen(1)
        env = {"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % ls.getsockname()[1], "LAMBDA_TASK_ROOT": root,
               "_HANDLER": "index.handler", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        proc = ctx.spawn(["node", boot], env=env, cwd=root)
        try:
            ls.settimeout(10)
            sock, _ = ls.accept()
            conn = Conn.__new__(Conn)
            conn.sock, conn.buf = sock, b""
            sock.settimeout(10)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            lat = runtime_floor_rounds(conn, 200 + ctx.longpoll_rounds * 10)[200:]  # the first 200 warm the JIT
            sock.close()
        finally:
            proc.kill()
            proc.wait()
    lat.sort()
    return {"n": len(lat), "p50_us": statistics.median(lat), "p99_us": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
            "max_us": lat[-1]}


def runtime_floor_rounds(conn, n):
    payload = b'{"n":1}'
    arn = b"arn:aws:lambda:us-east-1:000000000000:function:floor"
    lat = []
    conn.read_request()  # the first /invocation/next
    for i in range(n):
        event = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: r%d\r\n"
                 b"Lambda-Runtime-Deadline-Ms: %d\r\nLambda-Runtime-Invoked-Function-Arn: %s\r\n"
                 b"Lambda-Runtime-Trace-Id: Root=1-0-0\r\nContent-Length: %d\r\n\r\n%s"
                 % (i, int(time.time() * 1000) + 3000, arn, len(payload), payload))
        t0 = time.perf_counter()
        conn.sock.sendall(event)
        path, body = conn.read_request()
        lat.append((time.perf_counter() - t0) * 1e6)
        if not path.endswith(b"/invocation/r%d/response" % i) or body != payload:
            raise RuntimeError("runtime floor: unexpected %r %r" % (path, body[:80]))
        conn.sock.sendall(b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
                          b'{"status":"OK"}')
        conn.read_request()  # the next /invocation/next
    return lat


RELAY_JS = r"""
// Relays each record to the queue DONE_URL with SendMessage (plain HTTP to AWS_ENDPOINT_URL): an SQS
// record's body, or a DynamoDB stream record's keys.
const http = require('http');
const auth = 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/sqs/aws4_request, ' +
  'SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000';
exports.handler = async (event) => {
  const url = new URL(process.env.AWS_ENDPOINT_URL);
  for (const r of event.Records) {
    const body = JSON.stringify({ QueueUrl: process.env.DONE_URL, MessageBody: r.body ?? JSON.stringify(r.dynamodb.Keys) });
    await new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: {
        'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AmazonSQS.SendMessage',
        'Authorization': auth, 'Content-Length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', resolve); });
      req.on('error', reject);
      req.end(body);
    });
  }
  return {};
};
"""


def relay_function(ctx, name, source_arn, done_url, **mapping):
    """Node.js function `name` relaying what it gets to done_url, mapped (BatchSize 1) to source_arn; once per server."""
    import base64
    if "lambda:" + name in ctx.cache:
        return
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.js", RELAY_JS)
    ctx.client.rest_call("lambda", "POST", "/2015-03-31/functions", {
        "FunctionName": name, "Runtime": "nodejs20.x", "Handler": "index.handler",
        "Role": "arn:aws:iam::123456789012:role/bench", "Environment": {"Variables": {"DONE_URL": done_url}},
        "Code": {"ZipFile": base64.b64encode(buf.getvalue()).decode()}})
    esm = ctx.client.rest_call("lambda", "POST", "/2015-03-31/event-source-mappings/", dict(
        EventSourceArn=source_arn, FunctionName=name, BatchSize=1, **mapping))
    for _ in range(100):
        if ctx.client.rest_call("lambda", "GET", "/2015-03-31/event-source-mappings/" + esm["UUID"])["State"] == "Enabled":
            break
        time.sleep(0.05)
    ctx.cache["lambda:" + name] = True


def measure_relay(ctx, done, trigger):
    """Per round: a ReceiveMessage parked on the queue `done`, then the request trigger(i) (bytes) on a second
    connection; the time from writing the trigger to the receive's answer. Round 0 starts the environment and is
    not counted."""
    recv = http_request_bytes(ctx, "ReceiveMessage", {"QueueUrl": done, "WaitTimeSeconds": 10, "MaxNumberOfMessages": 1})
    lat, deadline = [], time.monotonic() + ctx.duration * 4
    rounds = max(5, ctx.longpoll_rounds // 4)
    for i in range(rounds + 1):
        if time.monotonic() > deadline:
            break
        with Conn(ctx.port, timeout=12) as a, Conn(ctx.port, timeout=12) as b:
            a.sock.sendall(recv)
            time.sleep(0.02)
            send = trigger(i)
            t0 = time.perf_counter()
            b.sock.sendall(send)
            status, body = a.read_response()
            t1 = time.perf_counter()
            b.read_response()
        if status != 200 or b"ReceiptHandle" not in body:
            raise AwsError(status, "no relayed message within 10 s: " + body.decode("utf-8", "replace")[:100])
        if i:
            lat.append((t1 - t0) * 1e6)
        sqs_purge_by_receiving(ctx, done)
    lat.sort()
    return {"n": len(lat), "p50_us": statistics.median(lat), "p99_us": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
            "max_us": lat[-1]}


def measure_sqs_to_lambda(ctx):
    """SendMessage to a queue mapped (BatchSize 1) to a Node.js function that relays the body to a second
    queue; the time from writing the SendMessage to the answer of a ReceiveMessage parked on the second
    queue. Includes the relay's own SendMessage and the long-poll wake-up (each well under 1 ms here)."""
    src, done = sqs_queue(ctx, "bench-esm-src"), sqs_queue(ctx, "bench-esm-done")
    arn = ctx.client.json_call("sqs", "GetQueueAttributes", {"QueueUrl": src, "AttributeNames": ["QueueArn"]})
    relay_function(ctx, "bench-relay", arn["Attributes"]["QueueArn"], done)
    return measure_relay(ctx, done, lambda i: http_request_bytes(ctx, "SendMessage", {"QueueUrl": src, "MessageBody": "relay %d" % i}))


def measure_stream_to_lambda(ctx):
    """PutItem on a table whose stream is mapped (BatchSize 1, LATEST) to the relay function; the time from
    writing the PutItem to the answer of a ReceiveMessage parked on the relay's queue."""
    done = sqs_queue(ctx, "bench-ddb-done")
    setup_ddb_write_stream(ctx)
    arn = ctx.client.json_call("dynamodb", "DescribeTable", {"TableName": "bench_ws"})["Table"]["LatestStreamArn"]
    relay_function(ctx, "bench-ddb-relay", arn, done, StartingPosition="LATEST")
    return measure_relay(ctx, done, lambda i: http_request_bytes(
        ctx, "PutItem", {"TableName": "bench_ws", "Item": {"pk": {"S": "relay-%d" % i}, "data": {"S": "x"}}}, service="dynamodb"))


# ---------------------------------------------------------------- the table

SEND_BATCH = {
    JSON: '{"QueueUrl":"${QueueUrl}","Entries":[%s]}' % ",".join(
        '{"Id":"m%d","MessageBody":"bench message {{seq}} %d"}' % (i, i) for i in range(10)),
    QUERY: "Action=SendMessageBatch&Version=2012-11-05&QueueUrl=${QueueUrl}&" + "&".join(
        "SendMessageBatchRequestEntry.%d.Id=m%d&SendMessageBatchRequestEntry.%d.MessageBody=bench+message+{{seq}}+%d"
        % (i + 1, i, i + 1, i) for i in range(10)),
}
RECEIVE10 = {
    JSON: '{"QueueUrl":"${QueueUrl}","MaxNumberOfMessages":10}',
    QUERY: "Action=ReceiveMessage&Version=2012-11-05&QueueUrl=${QueueUrl}&MaxNumberOfMessages=10",
}
RECEIVE10_VT0 = '{"QueueUrl":"${QueueUrl}","MaxNumberOfMessages":10,"VisibilityTimeout":0}'
DELETE_BATCH = {
    JSON: '{"QueueUrl":"${QueueUrl}","Entries":[{{handles}}]}',
    QUERY: "Action=DeleteMessageBatch&Version=2012-11-05&QueueUrl=${QueueUrl}&{{handles}}",
}
BATCH_WRITE = '{"RequestItems":{"${Table}":[%s]}}' % ",".join(
    '{"PutRequest":{"Item":{"pk":{"S":"b{{seq}}-%d"},"data":{"S":"${Data}"}}}}' % i for i in range(25))

SCENARIOS = [
    Scenario("raw.health", "raw", protos=("raw",), method="GET", path="/_awsemu/health", servers=("awsemu",),
             note="awsemu's own health route: the floor of the HTTP layer"),
    Scenario("dynamodb.ListTables", "dynamodb", op="ListTables", body={JSON: "{}"}, setup=setup_ddb_list, check="ddb"),
    Scenario("sqs.ListQueues", "sqs", protos=(JSON, QUERY), op="ListQueues", setup=setup_sqs_list, check="sqs",
             body={JSON: '{"QueueNamePrefix":"bench-list"}',
                   QUERY: "Action=ListQueues&Version=2012-11-05&QueueNamePrefix=bench-list"}),
    Scenario("sqs.SendMessage", "sqs", protos=(JSON, QUERY), op="SendMessage", setup=setup_sqs_queue("bench-send"),
             check="sqs", body={JSON: '{"QueueUrl":"${QueueUrl}","MessageBody":"bench message {{seq}}"}',
                                QUERY: "Action=SendMessage&Version=2012-11-05&QueueUrl=${QueueUrl}&MessageBody=bench+message+{{seq}}"}),
    Scenario("sqs.SendMessageBatch", "sqs", protos=(JSON, QUERY), op="SendMessageBatch", body=SEND_BATCH,
             setup=setup_sqs_queue("bench-batch"), check="sqs", note="10 messages per request"),
    Scenario("sqs.Send+Receive+DeleteBatch", "sqs", protos=(JSON, QUERY), setup=setup_sqs_queue("bench-cycle"), check="sqs",
             cycle=[("SendMessageBatch", SEND_BATCH), ("ReceiveMessage", RECEIVE10), ("DeleteMessageBatch", DELETE_BATCH)],
             note="per connection: SendMessageBatch(10), ReceiveMessage(max 10), DeleteMessageBatch of what came back"),
    Scenario("sqs.ReceiveMessage.depth100", "sqs", protos=(JSON,), op="ReceiveMessage", setup=setup_sqs_depth("depth_small"),
             servers=("awsemu",), check="depth", body={JSON: RECEIVE10_VT0},
             note="ReceiveMessage(10, VisibilityTimeout=0) on a queue of 100 messages (awsemu only: the deep one takes peers too long to fill)"),
    Scenario("sqs.ReceiveMessage.deep", "sqs", protos=(JSON,), op="ReceiveMessage", setup=setup_sqs_depth("depth"),
             servers=("awsemu",), check="depth", body={JSON: RECEIVE10_VT0},
             note="the same on a queue of --queue-depth messages (default 1,000,000): should match depth100"),
    Scenario("sqs.LongPollWakeup", "sqs", protos=(JSON, QUERY), measure=measure_longpoll_wakeup, check="wakeup",
             note="SendMessage written -> parked ReceiveMessage (WaitTimeSeconds=5) answered"),
    Scenario("dynamodb.PutItem", "dynamodb", op="PutItem", setup=setup_ddb_write, check="ddb",
             body={JSON: '{"TableName":"${Table}","Item":{"pk":{"S":"k{{seq}}"},"data":{"S":"${Data}"}}}'}),
    Scenario("dynamodb.PutItem.stream", "dynamodb", op="PutItem", setup=setup_ddb_write_stream, check="stream",
             servers=("awsemu",), body={JSON: '{"TableName":"${Table}","Item":{"pk":{"S":"k{{seq}}"},"data":{"S":"${Data}"}}}'},
             note="the PutItem above on a table with a stream (NEW_AND_OLD_IMAGES): judged against dynamodb.PutItem"),
    Scenario("dynamodb.BatchWriteItem", "dynamodb", op="BatchWriteItem", setup=setup_ddb_write, check="ddb",
             body={JSON: BATCH_WRITE}, note="25 puts per request"),
    Scenario("dynamodb.GetItem", "dynamodb", op="GetItem", setup=setup_ddb_partition, check="ddb", rand_max=0,
             body={JSON: '{"TableName":"${Table}","Key":{"pk":{"S":"p"},"sk":{"N":"{{rand}}"}}}'},
             note="random key of a partition of N items"),
    Scenario("dynamodb.Query", "dynamodb", op="Query", setup=setup_ddb_partition, check="ddb", rand_max=0,
             body={JSON: '{"TableName":"${Table}","KeyConditionExpression":"pk = :p AND sk >= :a","Limit":10,'
                         '"ExpressionAttributeValues":{":p":{"S":"p"},":a":{"N":"{{rand}}"}}}'},
             note="10 items from a random point of a partition of N items"),
    Scenario("dynamodb.Query.small", "dynamodb", op="Query", setup=setup_ddb_partition_small, check="ddb", rand_max=1000,
             body={JSON: '{"TableName":"${Table}","KeyConditionExpression":"pk = :p AND sk >= :a","Limit":10,'
                         '"ExpressionAttributeValues":{":p":{"S":"p"},":a":{"N":"{{rand}}"}}}'},
             note="the same Query on a partition of 1,000 items: Query time should not grow with the table"),
    Scenario("dynamodb.Scan", "dynamodb", op="Scan", setup=setup_ddb_partition, check="ddb",
             body={JSON: '{"TableName":"${Table}","Limit":100}'}, note="first page of 100 items of the N-item table"),
    Scenario("lambda.Invoke", "lambda", protos=("rest",), method="POST", path="/2015-03-31/functions/bench-echo/invocations",
             setup=setup_lambda_echo, body={"rest": '{"n":{{seq}}}'}, check="lambda",
             note="warm RequestResponse invoke of a Node.js echo function"),
    Scenario("lambda.RuntimeFloor", "lambda", protos=("rest",), measure=measure_runtime_floor, check="floor", servers=("awsemu",),
             note="the shipped Node.js bootstrap driven by a minimal Runtime API server in bench/: event written -> "
                  "response read (no awsemu involved); the floor of lambda.Invoke"),
    Scenario("lambda.SqsToFunction", "sqs", protos=(JSON,), measure=measure_sqs_to_lambda, check="esm", servers=("awsemu", "moto"),
             note="SendMessage -> event source mapping -> Node.js function -> SendMessage to a second queue -> parked receive answered"),
    Scenario("lambda.StreamToFunction", "dynamodb", protos=(JSON,), measure=measure_stream_to_lambda, check="stream_esm",
             servers=("awsemu",),
             note="PutItem -> DynamoDB stream -> event source mapping -> Node.js function -> SendMessage -> parked receive answered"),
    Scenario("lambda.ColdStart", "lambda", protos=("rest",), measure=measure_lambda_cold, check="cold",
             note="Invoke after UpdateFunctionConfiguration retired the environment; floor = `node -e 0`"),
]
