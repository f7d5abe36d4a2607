"""test_lambda_cli.py - Lambda with the aws CLIs: v2 (/usr/bin/aws) and v1 (python3 -m awscli):
create-function from a zip via fileb://, the function-active-v2 waiter, invoke with --log-type Tail,
get-function, update-function-code then invoke, publish-version, aliases, delete."""
import base64
import io
import json
import os
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server  # noqa: E402

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "lambda")
ROLE = "arn:aws:iam::000000000000:role/lambda-role"


def write_zip(path, name, replace=None):
    root = os.path.join(FIX, name)
    with zipfile.ZipFile(path, "w") as z:
        for fn in sorted(os.listdir(root)):
            with open(os.path.join(root, fn)) as f:
                text = f.read()
            for a, b in (replace or {}).items():
                text = text.replace(a, b)
            z.writestr(fn, text)


def run(t, s, v2, tmp):
    tag = "v2" if v2 else "v1"
    name = "cli-" + tag
    zpath = os.path.join(tmp, "fn.zip")
    write_zip(zpath, "node_cjs")
    _, out, _ = s.cli("lambda", "create-function", "--function-name", name, "--runtime", "nodejs20.x", "--role", ROLE,
                      "--handler", "index.handler", "--zip-file", "fileb://" + zpath, "--timeout", "5",
                      "--environment", "Variables={FOO=cli}", v2=v2)
    t.eq((out["State"], out.get("LastUpdateStatus")), ("Pending", None), tag + " create state")
    rc, _, err = s.cli("lambda", "wait", "function-active-v2", "--function-name", name, v2=v2, check=False)
    t.eq(rc, 0, tag + " function-active-v2 waiter: " + err)
    rc, _, err = s.cli("lambda", "wait", "function-updated-v2", "--function-name", name, v2=v2, check=False)
    t.eq(rc, 0, tag + " function-updated-v2 waiter: " + err)
    outfile = os.path.join(tmp, "out.json")
    payload = ["--payload", '{"hello":"cli"}'] + (["--cli-binary-format", "raw-in-base64-out"] if v2 else [])
    _, meta, _ = s.cli("lambda", "invoke", "--function-name", name, "--log-type", "Tail", *payload, outfile, v2=v2)
    t.eq(meta["StatusCode"], 200, tag + " invoke status")
    with open(outfile) as f:
        res = json.load(f)
    t.eq((res["echo"], res["env"]["FOO"]), ({"hello": "cli"}, "cli"), tag + " invoke payload")
    log = base64.b64decode(meta["LogResult"]).decode()
    t.true(log.startswith("START RequestId: ") and "\nEND RequestId: " in log and "\nREPORT RequestId: " in log,
           tag + " Tail log: " + log[:200])
    _, meta, _ = s.cli("lambda", "invoke", "--function-name", name, *(["--cli-binary-format", "raw-in-base64-out"] if v2 else []),
                       "--payload", '{"fail":"x"}', outfile, v2=v2)
    t.eq(meta.get("FunctionError"), "Unhandled", tag + " function error")
    _, g, _ = s.cli("lambda", "get-function", "--function-name", name, v2=v2)
    t.true(g["Code"]["Location"].startswith(s.endpoint + "/_awsemu/lambda/code/"), tag + " code location")
    write_zip(zpath, "node_cjs", {'"v1"': '"v9"'})
    s.cli("lambda", "update-function-code", "--function-name", name, "--zip-file", "fileb://" + zpath, v2=v2)
    rc, _, _ = s.cli("lambda", "wait", "function-updated-v2", "--function-name", name, v2=v2, check=False)
    t.eq(rc, 0, tag + " waiter after update")
    s.cli("lambda", "invoke", "--function-name", name, outfile, v2=v2)
    with open(outfile) as f:
        t.eq(json.load(f)["marker"], "v9", tag + " updated code runs")
    _, v, _ = s.cli("lambda", "publish-version", "--function-name", name, v2=v2)
    t.eq(v["Version"], "1", tag + " publish-version")
    _, a, _ = s.cli("lambda", "create-alias", "--function-name", name, "--name", "prod", "--function-version", "1", v2=v2)
    t.eq(a["FunctionVersion"], "1", tag + " create-alias")
    _, meta, _ = s.cli("lambda", "invoke", "--function-name", name + ":prod", outfile, v2=v2)
    t.eq(meta.get("ExecutedVersion"), "1", tag + " invoke alias")
    _, lst, _ = s.cli("lambda", "list-functions", v2=v2)
    t.true(name in [f["FunctionName"] for f in lst["Functions"]], tag + " list-functions")
    rc, _, err = s.cli("lambda", "get-function", "--function-name", "missing-" + tag, v2=v2, check=False)
    t.true(rc != 0 and "ResourceNotFoundException" in err and "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing-"
           in err, tag + " not found error: " + err)
    s.cli("lambda", "delete-function", "--function-name", name, v2=v2)
    rc, _, _ = s.cli("lambda", "get-function", "--function-name", name, v2=v2, check=False)
    t.true(rc != 0, tag + " deleted")


def main():
    t = Checks()
    with Server() as s, tempfile.TemporaryDirectory() as tmp:
        run(t, s, True, tmp)
        run(t, s, False, tmp)
    t.done()


if __name__ == "__main__":
    main()
