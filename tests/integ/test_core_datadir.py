"""A relative --data-dir (the quick start's ./data) is taken from the directory the
server starts in, and made absolute once: the databases land there, and a Lambda
function, which runs in its own code directory, still finds its bootstrap (boto3).
A second awsemu on a data directory in use is refused, and says why."""
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile

from harness import BIN, Checks, Server, free_port

t = Checks()
start_dir = tempfile.mkdtemp(prefix="awsemu-cwd-")
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("app.py", "def handler(event, context):\n    return {'got': event['n'] * 2}\n")
with Server("--data-dir", "rel/data", cwd=start_dir) as s:
    data = os.path.join(start_dir, "rel", "data")
    t.true(any(("data " + data + ")") in line for line in s.log), "the log names the absolute data directory")
    for name in ("sqs.db", "dynamodb.db", "lambda.db"):
        t.true(os.path.exists(os.path.join(data, name)), name + " under the relative data directory")
    lam = s.client("lambda")
    lam.create_function(FunctionName="rel-fn", Runtime="python3.11", Handler="app.handler",
                        Role="arn:aws:iam::000000000000:role/r", Code={"ZipFile": buf.getvalue()})
    out = lam.invoke(FunctionName="rel-fn", Payload=json.dumps({"n": 21}))
    t.eq(out.get("FunctionError"), None, "the function ran (no FunctionError)")
    t.eq(json.loads(out["Payload"].read()), {"got": 42}, "the function's answer")
    second = subprocess.run([BIN, "--port", str(free_port()), "--data-dir", data], capture_output=True, text=True, timeout=30)
    t.eq(second.returncode, 1, "a second awsemu on the same data directory exits 1")
    t.true("is in use by another process" in second.stderr, "and says the data directory is in use: " + second.stderr[-200:])
    t.eq(s.client("sqs").list_queues().get("QueueUrls"), None, "the first one still serves")
shutil.rmtree(start_dir, ignore_errors=True)
t.done()
