"""A relative --data-dir (the quick start's ./data) is taken from the directory the
server starts in, and made absolute once: the databases land there, and a Lambda
function, which runs in its own code directory, still finds its bootstrap (boto3)."""
import io
import json
import os
import tempfile
import zipfile

from harness import Checks, Server

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
t.done()
