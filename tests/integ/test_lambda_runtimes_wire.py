"""test_lambda_runtimes_wire.py - the Node.js and Python bootstraps awsemu ships, on the wire: awsemu
writes them as they are in services/lambda/runtimes/ (the embedded copy is in step with the sources),
each sends an invocation's result and the next /invocation/next in one write (pipelined, in that
order), and each reconnects when the Runtime API closes its idle connection while a handler runs
(awsemu drops idle keep-alive connections after its request timeout) and sends the result again.

A small Runtime API server here plays awsemu's part, so the test sees the bytes themselves."""
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from harness import Checks, Server  # noqa: E402
from scenarios import Conn  # noqa: E402

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "services", "lambda", "runtimes")
HANDLERS = {
    "node": ("index.handler", "index.js", "exports.handler = async (e) => { await new Promise((r) => setTimeout(r, 200)); return e; };\n"),
    "python": ("app.handler", "app.py", "import time\ndef handler(e, c):\n    time.sleep(0.2)\n    return e\n"),
}


class Peer(Conn):
    """One accepted Runtime API connection (bench/scenarios.py's reader): reads requests, writes answers."""

    def __init__(self, ls):
        self.sock, _ = ls.accept()
        self.sock.settimeout(10)
        self.buf = b""

    def request(self):
        path, body = self.read_request()
        return path.decode().replace("/2018-06-01/runtime/", ""), body

    def event(self, rid, payload):
        self.sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: %s\r\n"
                          b"Lambda-Runtime-Deadline-Ms: %d\r\nLambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:"
                          b"000000000000:function:f\r\nContent-Length: %d\r\n\r\n%s"
                          % (rid.encode(), int(time.time() * 1000) + 10000, len(payload), payload))

    def accepted(self):
        self.sock.sendall(b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"status\":\"OK\"}")


def run(t, kind, runtime_dir):
    handler, fname, code = HANDLERS[kind]
    with tempfile.TemporaryDirectory(prefix="wire-") as root, socket.socket() as ls:
        with open(os.path.join(root, fname), "w") as f:
            f.write(code)
        ls.bind(("127.0.0.1", 0))
        ls.listen(4)
        ls.settimeout(10)
        env = {"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % ls.getsockname()[1], "LAMBDA_TASK_ROOT": root, "_HANDLER": handler,
               "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        cmd = (["node", os.path.join(runtime_dir, "bootstrap.mjs")] if kind == "node"
               else [sys.executable, "-u", os.path.join(runtime_dir, "bootstrap.py")])
        proc = subprocess.Popen(cmd, env=env, cwd=root)
        try:
            a = Peer(ls)
            t.eq(a.request(), ("invocation/next", b""), kind + ": first next")
            a.event("r1", b'{"n":1}')
            t.eq(a.request()[0], "invocation/r1/response", kind + ": result")
            t.eq(a.request(), ("invocation/next", b""), kind + ": next follows the result before its 202")
            a.accepted()
            a.event("r2", b'{"n":2}')
            time.sleep(0.05)
            a.sock.close()  # the idle connection closes while the handler runs
            b = Peer(ls)
            t.eq(b.request(), ("invocation/r2/response", b'{"n":2}' if kind == "node" else b'{"n": 2}'),
                 kind + ": result sent again on a new connection")
            b.accepted()
            t.eq(b.request(), ("invocation/next", b""), kind + ": next on the new connection")
            b.sock.close()
        finally:
            proc.kill()
            proc.wait()


def main():
    t = Checks()
    with Server() as s:
        runtime_dir = os.path.join(s.data_dir, "lambda", "runtime")
        # awsemu writes them 100 ms after Ready (or when a first environment starts)
        deadline = time.monotonic() + 5
        written = lambda: all(os.path.exists(os.path.join(runtime_dir, n)) for n in ("bootstrap.mjs", "bootstrap.py"))  # noqa: E731
        while not written() and time.monotonic() < deadline:
            time.sleep(0.01)
        t.true(written(), "the bootstraps are written within 5 s of Ready")
        for name in ("bootstrap.mjs", "bootstrap.py"):
            with open(os.path.join(runtime_dir, name)) as f, open(os.path.join(SRC, name)) as g:
                t.true(f.read() == g.read(), "%s as awsemu writes it equals the source (run services/lambda/runtimes/embed.py)"
                       % name)
        for kind in ("node", "python"):
            run(t, kind, runtime_dir)
    t.done()


if __name__ == "__main__":
    main()
