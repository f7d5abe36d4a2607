"""harness.py - starts one awsemu for a test and gives it real AWS clients.

Each test gets its own server on a free loopback port with its own data
directory (removed at the end). Works under both Pythons on the machine:
python3 (boto3 1.4x, SQS JSON protocol) and Debian's /usr/bin/python3
(python3-boto3 1.26, SQS query protocol).

    with Server() as s:
        sqs = s.client("sqs")
        ...
        s.restart(kill=True)   # kill -9, then start again on the same data dir
"""
import http.client
import json
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

BIN = os.environ.get("AWSEMU_BIN") or os.path.join(os.path.dirname(__file__), "..", "..", "build", "awsemu")
CREDS = {"aws_access_key_id": "AKIDTEST", "aws_secret_access_key": "secret", "region_name": "us-east-1"}


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, *args, in_memory=False, env=None, cwd=None, data_dir=None):
        self.args = list(args)
        self.in_memory = in_memory
        self.cwd = cwd
        self.env = dict(os.environ, **(env or {}))
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="awsemu-test-")
        self.port = free_port()
        self.proc = None
        self.log = []

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.port

    def advance_clock(self, ms):
        """Moves the server's clock ms milliseconds ahead (POST /_awsemu/clock) instead of sleeping."""
        import urllib.request
        req = urllib.request.Request(self.endpoint + "/_awsemu/clock", data=('{"advance_ms": %d}' % ms).encode(), method="POST")
        urllib.request.urlopen(req).read()

    def start(self, timeout=10):
        cmd = [BIN, "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", self.data_dir] + self.args
        if self.in_memory:
            cmd.append("--in-memory")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=self.env,
                                     text=True, errors="replace", cwd=self.cwd)
        ready = threading.Event()

        def pump(proc):
            for line in proc.stdout:
                self.log.append(line)
                if os.environ.get("AWSEMU_TEST_VERBOSE"):
                    sys.stderr.write("[awsemu] " + line)
                if line.strip() == "Ready.":
                    ready.set()

        threading.Thread(target=pump, args=(self.proc,), daemon=True).start()
        if not ready.wait(timeout):
            self.stop()
            raise RuntimeError("awsemu did not print Ready.:\n" + "".join(self.log[-50:]))
        return self

    def stop(self, kill=False):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            rc = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc = None
        return rc

    def restart(self, kill=False):
        self.stop(kill=kill)
        return self.start()

    def client(self, service, **kw):
        import boto3
        from botocore.config import Config
        args = dict(CREDS, endpoint_url=self.endpoint,
                    config=Config(retries={"max_attempts": 1}, read_timeout=60))
        args.update(kw)
        return boto3.client(service, **args)

    def resource(self, service, **kw):
        import boto3
        args = dict(CREDS, endpoint_url=self.endpoint)
        args.update(kw)
        return boto3.resource(service, **args)

    def cli_env(self):
        """Environment for the aws CLIs: credentials and region, no config files."""
        env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDTEST", AWS_SECRET_ACCESS_KEY="secret",
                   AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null",
                   AWS_SHARED_CREDENTIALS_FILE="/dev/null", AWS_PAGER="", AWS_MAX_ATTEMPTS="1",
                   AWS_EC2_METADATA_DISABLED="true")
        return env

    def cli(self, *args, v2=False, check=True, endpoint=True):
        """Runs the aws CLI (v1 on python3's PATH, or Debian's v2 at /usr/bin/aws) and returns
        (returncode, stdout, stderr); parses JSON stdout when it can."""
        import json
        exe = ["/usr/bin/aws"] if v2 else ["python3", "-m", "awscli"]
        cmd = exe + (["--endpoint-url", self.endpoint] if endpoint else []) + ["--output", "json"] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, env=self.cli_env(), timeout=120)
        if check and p.returncode != 0:
            raise AssertionError("aws %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
        out = p.stdout
        try:
            out = json.loads(out) if out.strip() else None
        except ValueError:
            pass
        return p.returncode, out, p.stderr

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        if exc[0] is not None and not os.environ.get("AWSEMU_TEST_VERBOSE"):
            sys.stderr.write("--- awsemu log (last 80 lines) ---\n" + "".join(self.log[-80:]))
        return False


def key(name, kt):
    """A DynamoDB KeySchema element."""
    return {"AttributeName": name, "KeyType": kt}


def attr(name, t):
    """A DynamoDB AttributeDefinitions element."""
    return {"AttributeName": name, "AttributeType": t}


def zip_of(files):
    """The bytes of a zip archive holding files ({name: text}, or {name: (text, mode)} to keep a mode such as
    0o755)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            if isinstance(text, tuple):
                info = zipfile.ZipInfo(name)
                info.external_attr = (0o100000 | text[1]) << 16
                z.writestr(info, text[0])
            else:
                z.writestr(name, text)
    return buf.getvalue()


def msg(e):
    """The message of a botocore ClientError (None when no error was raised)."""
    return e.response["Error"]["Message"] if e is not None else None


class RawConn:
    """One keep-alive HTTP connection to the server for raw requests: send() returns (status, headers with
    lower-case names, body), reconnecting once when the server closed the connection; a second failure raises."""

    def __init__(self, port):
        self.port = port
        self.c = None

    def send(self, method, path, body=b"", headers=None):
        for attempt in range(2):
            if self.c is None:
                self.c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.c.request(method, path, body=body, headers=headers or {})
                r = self.c.getresponse()
                data = r.read()
                if r.getheader("connection", "").lower() == "close":
                    self.close()
                return r.status, {k.lower(): v for k, v in r.getheaders()}, data
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
        return None

    def close(self):
        if self.c is not None:
            self.c.close()
            self.c = None


DDB_SCOPE = "AWS4-HMAC-SHA256 Credential=AK/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"


def ddb_raw(conn, op, doc):
    """A DynamoDB request sent as is on conn (a RawConn), for what the SDKs refuse to send: (status, __type
    without its prefix, message)."""
    st, _, data = conn.send("POST", "/", json.dumps(doc).encode(), {
        "X-Amz-Target": "DynamoDB_20120810." + op, "Content-Type": "application/x-amz-json-1.0", "Authorization": DDB_SCOPE})
    doc = json.loads(data) if data else {}
    return st, doc.get("__type", "").split("#")[-1], doc.get("message", doc.get("Message"))


class Checks:
    """Counts assertions so every test ends with a 'N passed, N failed' line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def eq(self, got, want, what=""):
        if got == want:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s: got %r, want %r" % (what, got, want))

    def true(self, cond, what=""):
        self.eq(bool(cond), True, what)

    def raises(self, fn, code, what=""):
        """fn must raise a botocore ClientError with this error code."""
        from botocore.exceptions import ClientError
        try:
            fn()
        except ClientError as e:
            self.eq(e.response["Error"]["Code"], code, what)
            return e
        self.failed += 1
        print("FAIL %s: no error raised, want %s" % (what, code))
        return None

    def refuses(self, fn, code, message, what=""):
        """fn must raise a botocore ClientError with this code and exactly this message; returns it (or None)."""
        e = self.raises(fn, code, what)
        self.eq(msg(e), message, what + ": message")
        return e

    def done(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)
