"""test_lambda_boto3.py - Lambda with boto3: control plane, real execution of Node.js (CommonJS and
ES module), Python and provided (shell) functions, errors, timeouts, Tail logs, versions and aliases,
async invoke, concurrency, unsafe zips, Code.Location and a restart."""
import base64
import io
import json
import os
import sys
import threading
import time
import urllib.request
import zipfile

from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, zip_of  # noqa: E402

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "lambda")
ROLE = "arn:aws:iam::000000000000:role/lambda-role"
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def zip_dir(name, extra=None):
    """Zips a fixture directory (keeping file modes, so bootstrap stays executable)."""
    buf = io.BytesIO()
    root = os.path.join(FIX, name)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for fn in sorted(os.listdir(root)):
            if fn in (extra or {}):
                continue
            info = zipfile.ZipInfo(fn)
            info.external_attr = (os.stat(os.path.join(root, fn)).st_mode & 0xFFFF) << 16
            with open(os.path.join(root, fn), "rb") as f:
                z.writestr(info, f.read())
        for fn, text in (extra or {}).items():
            z.writestr(fn, text)
    return buf.getvalue()


def zip_raw(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info, data in entries:
            z.writestr(info, data)
    return buf.getvalue()


def invoke(lam, name, event=None, **kw):
    r = lam.invoke(FunctionName=name, Payload=json.dumps(event if event is not None else {}).encode(), **kw)
    body = r["Payload"].read()
    return r, json.loads(body) if body else None


def fn_envs(s, name):
    """How many execution environments (children of the server) run function `name`."""
    with open("/proc/%d/task/%d/children" % (s.proc.pid, s.proc.pid)) as f:
        pids = f.read().split()
    n = 0
    for pid in pids:
        try:
            with open("/proc/%s/environ" % pid, "rb") as f:
                n += b"AWS_LAMBDA_FUNCTION_NAME=%s\0" % name.encode() in f.read()
        except OSError:
            pass
    return n


def main():
    t = Checks()
    with Server(env={"AWSEMU_LAMBDA_RETRY_DELAY_MS": "300"}) as s:
        lam = s.client("lambda")

        # ---- control plane ----
        r = lam.create_function(FunctionName="node1", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                Code={"ZipFile": zip_dir("node_cjs")}, Environment={"Variables": {"FOO": "bar"}},
                                Timeout=1, MemorySize=256, Description="d1", Tags={"team": "a"})
        t.eq(r["ResponseMetadata"]["HTTPStatusCode"], 201, "create status")
        t.eq(r["FunctionArn"], ARN + "node1", "create arn")
        t.eq((r["State"], r["StateReason"], r["StateReasonCode"], "LastUpdateStatus" in r, r["PackageType"], r["Version"]),
             ("Pending", "The function is being created.", "Creating", False, "Zip", "$LATEST"), "create state: Pending")
        g = lam.get_function_configuration(FunctionName="node1")
        t.eq((g["State"], g["LastUpdateStatus"], "StateReason" in g), ("Active", "Successful", False), "then Active")
        t.eq(len(base64.b64decode(r["CodeSha256"])), 32, "code sha256 is base64 of a SHA-256")
        t.true(r["LastModified"].endswith("+0000") and len(r["LastModified"]) == 28, "LastModified format " + r["LastModified"])
        t.eq(r["Environment"], {"Variables": {"FOO": "bar"}}, "create environment")
        t.raises(lambda: lam.create_function(FunctionName="node1", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                             Code={"ZipFile": zip_dir("node_cjs")}), "ResourceConflictException", "create twice")
        try:
            lam.get_function(FunctionName="nope")
        except lam.exceptions.ResourceNotFoundException as e:
            t.eq(e.response["Error"]["Message"], "Function not found: " + ARN + "nope", "not found message")
        g = lam.get_function(FunctionName=ARN + "node1")
        t.eq(g["Configuration"]["MemorySize"], 256, "get by ARN")
        t.eq(g["Tags"], {"team": "a"}, "get tags")
        with urllib.request.urlopen(g["Code"]["Location"]) as resp:
            t.eq(resp.read(), zip_dir("node_cjs"), "Code.Location serves the zip")
        t.eq(lam.get_function_configuration(FunctionName="000000000000:function:node1")["Description"], "d1", "partial ARN")
        t.raises(lambda: lam.create_function(FunctionName="bad", Runtime="python2.7", Role=ROLE, Handler="a.b",
                                             Code={"ZipFile": zip_dir("python")}), "InvalidParameterValueException",
                 "deprecated runtime")

        # ---- Node.js execution ----
        r, out = invoke(lam, "node1", {"a": 1}, LogType="Tail")
        t.eq((r["StatusCode"], r.get("FunctionError"), r["ExecutedVersion"]), (200, None, "$LATEST"), "node invoke")
        t.eq(out["echo"], {"a": 1}, "node echo")
        t.eq(out["env"]["FOO"], "bar", "function env var")
        t.eq(out["env"]["AWS_REGION"], "us-east-1", "AWS_REGION")
        t.eq(out["env"]["TZ"], ":UTC", "TZ")
        t.eq(out["env"]["xray"], ["LOG_ERROR", "127.0.0.1:2000", "127.0.0.1", "2000"], "X-Ray variables")
        t.eq(out["env"]["endpoint"], s.endpoint, "AWS_ENDPOINT_URL")
        t.eq(out["context"]["functionName"], "node1", "context.functionName")
        t.eq(out["context"]["memoryLimitInMB"], "256", "context.memoryLimitInMB")
        t.eq(out["context"]["invokedFunctionArn"], ARN + "node1", "context.invokedFunctionArn")
        t.eq(out["context"]["logGroupName"], "/aws/lambda/node1", "context.logGroupName")
        t.true(0 < out["context"]["remaining"] <= 1000, "getRemainingTimeInMillis")
        log = base64.b64decode(r["LogResult"]).decode()
        rid = out["context"]["awsRequestId"]
        t.true(log.startswith("START RequestId: %s Version: $LATEST\n" % rid), "Tail START line: " + log[:80])
        t.true("\tINFO\tevent {\"a\":1}" in log, "Tail has the console.log line")
        t.true("\nEND RequestId: %s\n" % rid in log, "Tail END line")
        t.true("REPORT RequestId: %s\tDuration: " % rid in log and "\tMemory Size: 256 MB\t" in log, "Tail REPORT line")
        r2, out2 = invoke(lam, "node1", {"b": 2})
        t.eq(out2["pid"], out["pid"], "warm environment reused")
        t.true("LogResult" not in r2, "no LogResult without Tail")

        r, out = invoke(lam, "node1", {"fail": "boom"})
        t.eq(r.get("FunctionError"), "Unhandled", "function error header")
        t.eq((out["errorType"], out["errorMessage"]), ("TypeError", "boom"), "function error body")
        t.true(isinstance(out.get("trace"), list), "function error trace")

        r, out = invoke(lam, "node1", {"sleepMs": 3000}, LogType="Tail")
        t.eq(r.get("FunctionError"), "Unhandled", "timeout is a function error")
        t.true(out["errorMessage"].endswith("Task timed out after 1.00 seconds"), "timeout message: %s" % out)
        t.true("Task timed out after 1.00 seconds" in base64.b64decode(r["LogResult"]).decode(), "timeout in the log")
        r, out = invoke(lam, "node1", {"x": 1})
        t.eq(out["echo"], {"x": 1}, "invoke after a timeout gets a fresh environment")
        r, out = invoke(lam, "node1", {"exit": 3})
        t.eq(out.get("errorType"), "Runtime.ExitError", "process exit: %s" % out)

        t.raises(lambda: lam.invoke(FunctionName="node1", Payload=b"{not json"), "InvalidRequestContentException",
                 "invalid JSON payload")
        t.raises(lambda: lam.invoke(FunctionName="node1", Payload=b'"' + b"x" * 6291456 + b'"'),
                 "RequestEntityTooLargeException", "sync payload limit")
        t.raises(lambda: lam.invoke(FunctionName="node1", InvocationType="Event", Payload=b'"' + b"x" * 1048576 + b'"'),
                 "RequestEntityTooLargeException", "async payload limit (1 MB since October 2025)")
        t.eq(lam.invoke(FunctionName="node1", InvocationType="Event", Payload=b'"' + b"x" * 300000 + b'"')["StatusCode"], 202,
             "a 300 KB asynchronous payload")
        r = lam.invoke(FunctionName="node1", InvocationType="DryRun")
        t.eq(r["StatusCode"], 204, "DryRun")
        cc = base64.b64encode(json.dumps({"custom": {"k": "v"}, "client": {"app_title": "t"}}).encode()).decode()
        r, out = invoke(lam, "node1", {}, ClientContext=cc)
        t.eq(out["context"]["clientContext"]["custom"], {"k": "v"}, "ClientContext reaches the function")
        r, out = invoke(lam, "node1:$LATEST", {"q": 1})
        t.eq(out["echo"], {"q": 1}, "qualified name")

        lam.create_function(FunctionName="esm", Runtime="nodejs22.x", Role=ROLE, Handler="index.handler",
                            Code={"ZipFile": zip_dir("node_esm")})
        r, out = invoke(lam, "esm", {"m": 1})
        t.eq((out["module"], out["echo"]), ("esm", {"m": 1}), "ES module handler")
        lam.create_function(FunctionName="cb", Runtime="nodejs18.x", Role=ROLE, Handler="index.callback",
                            Code={"ZipFile": zip_dir("node_cjs")})
        r, out = invoke(lam, "cb", {"c": 1})
        t.eq(out, {"style": "callback", "echo": {"c": 1}}, "callback handler")
        r, out = invoke(lam, "cb", {"fail": "cb-err"})
        t.eq((r.get("FunctionError"), out["errorMessage"]), ("Unhandled", "cb-err"), "callback error")
        lam.create_function(FunctionName="missing", Runtime="nodejs20.x", Role=ROLE, Handler="nothere.handler",
                            Code={"ZipFile": zip_dir("node_esm")})
        r, out = invoke(lam, "missing", {})
        t.eq((r.get("FunctionError"), out.get("errorType")), ("Unhandled", "Runtime.ImportModuleError"), "missing module")

        # ---- Python ----
        lam.create_function(FunctionName="py", Runtime="python3.12", Role=ROLE, Handler="app.handler", Timeout=2,
                            Code={"ZipFile": zip_dir("python")}, Environment={"Variables": {"FOO": "py"}})
        r, out = invoke(lam, "py", {"p": 1}, LogType="Tail", ClientContext=cc)
        t.eq(out["echo"], {"p": 1}, "python echo")
        t.eq(out["env"], {"FOO": "py", "AWS_REGION": "us-east-1", "TZ": ":UTC"}, "python env")
        t.eq(out["context"]["function_name"], "py", "python context.function_name")
        t.eq(out["context"]["client_custom"], {"k": "v"}, "python client context")
        t.true("event {'p': 1}" in base64.b64decode(r["LogResult"]).decode(), "python print in Tail")
        r, out = invoke(lam, "py", {"fail": "bad value"})
        t.eq((r.get("FunctionError"), out["errorType"], out["errorMessage"]), ("Unhandled", "ValueError", "bad value"),
             "python error")
        t.true(out["stackTrace"] and "app.py" in out["stackTrace"][0], "python stackTrace")
        # init errors carry the traces the Python runtime interface client gives: none for an import failure, the
        # offending line for a syntax error
        lam.create_function(FunctionName="py-noimport", Runtime="python3.12", Role=ROLE, Handler="nope.handler",
                            Code={"ZipFile": zip_dir("python")})
        r, out = invoke(lam, "py-noimport", {})
        t.eq((out["errorType"], out["errorMessage"], out["stackTrace"]),
             ("Runtime.ImportModuleError", "Unable to import module 'nope': No module named 'nope'", []), "python import error")
        lam.create_function(FunctionName="py-syntax", Runtime="python3.12", Role=ROLE, Handler="h.handler",
                            Code={"ZipFile": zip_of({"h.py": "def handler(e, c):\n    return (\n"})})
        r, out = invoke(lam, "py-syntax", {})
        t.eq((out["errorType"], len(out["stackTrace"]), out["stackTrace"][0].startswith('  File "') and " Line " in out["stackTrace"][0]),
             ("Runtime.UserCodeSyntaxError", 1, True), "python syntax error: one line of trace")
        for name in ("py-noimport", "py-syntax"):
            lam.delete_function(FunctionName=name)
        r, out = invoke(lam, "py", {"sleep": 5})
        t.true(out["errorMessage"].endswith("Task timed out after 2.00 seconds"), "python timeout")

        # ---- provided (shell bootstrap) ----
        lam.create_function(FunctionName="sh", Runtime="provided.al2023", Role=ROLE, Handler="my.handler",
                            Code={"ZipFile": zip_dir("provided")})
        r, out = invoke(lam, "sh", {"s": 1})
        t.eq(out, {"handler": "my.handler", "event": {"s": 1}}, "provided runtime")
        r, out = invoke(lam, "sh", {"fail": 1})
        t.eq((r.get("FunctionError"), out), ("Unhandled", {"errorType": "Custom.Fail", "errorMessage": "shell failure"}),
             "provided runtime plain-text error")

        # ---- update then invoke ----
        _, before = invoke(lam, "py", {})
        lam.update_function_configuration(FunctionName="py", Environment={"Variables": {"FOO": "changed"}})
        _, after = invoke(lam, "py", {})
        t.eq(after["env"]["FOO"], "changed", "configuration update reaches the function")
        t.true(after["pid"] != before["pid"], "environment retired after a configuration change")
        code2 = zip_dir("node_cjs", {"index.js": open(os.path.join(FIX, "node_cjs", "index.js")).read().replace('"v1"', '"v2"')})
        u = lam.update_function_code(FunctionName="node1", ZipFile=code2)
        t.eq((u["State"], u["LastUpdateStatus"], u["LastUpdateStatusReason"], u["LastUpdateStatusReasonCode"]),
             ("Active", "InProgress", "The function is being created.", "Creating"), "update code state: InProgress")
        g = lam.get_function(FunctionName="node1")["Configuration"]
        t.eq((g["LastUpdateStatus"], "LastUpdateStatusReason" in g), ("Successful", False), "then Successful")
        _, out = invoke(lam, "node1", {})
        t.eq(out["marker"], "v2", "new code runs after UpdateFunctionCode")

        # ---- versions and aliases ----
        v1 = lam.publish_version(FunctionName="node1", Description="first")
        t.eq((v1["Version"], v1["FunctionArn"]), ("1", ARN + "node1:1"), "publish version 1")
        t.eq(lam.publish_version(FunctionName="node1")["Version"], "1", "publishing unchanged code returns the same version")
        lam.update_function_code(FunctionName="node1", ZipFile=zip_dir("node_cjs"))
        v2 = lam.publish_version(FunctionName="node1")
        t.eq(v2["Version"], "2", "publish version 2")
        vs = lam.list_versions_by_function(FunctionName="node1")["Versions"]
        t.eq([v["Version"] for v in vs], ["$LATEST", "1", "2"], "list versions")
        t.eq(vs[0]["FunctionArn"], ARN + "node1:$LATEST", "$LATEST arn in versions list")
        _, out = invoke(lam, "node1", {}, Qualifier="1")
        t.eq((out["marker"], out["env"]["version"], out["context"]["functionVersion"]), ("v2", "1", "1"), "invoke version 1")
        a = lam.create_alias(FunctionName="node1", Name="live", FunctionVersion="1")
        t.eq(a["AliasArn"], ARN + "node1:live", "alias arn")
        t.raises(lambda: lam.create_alias(FunctionName="node1", Name="live", FunctionVersion="1"), "ResourceConflictException",
                 "alias exists")
        r, out = invoke(lam, "node1:live", {})
        t.eq((r["ExecutedVersion"], out["marker"], out["context"]["invokedFunctionArn"]), ("1", "v2", ARN + "node1:live"),
             "invoke alias")
        lam.update_alias(FunctionName="node1", Name="live", FunctionVersion="2")
        r, out = invoke(lam, "node1", {}, Qualifier="live")
        t.eq((r["ExecutedVersion"], out["marker"]), ("2", "v1"), "alias moved to version 2")
        t.eq([x["Name"] for x in lam.list_aliases(FunctionName="node1")["Aliases"]], ["live"], "list aliases")
        t.eq(lam.get_function(FunctionName="node1", Qualifier="live")["Configuration"]["Version"], "2", "get by alias")
        t.raises(lambda: lam.get_alias(FunctionName="node1", Name="nope"), "ResourceNotFoundException", "alias not found")
        t.raises(lambda: lam.delete_function(FunctionName="node1", Qualifier="2"), "ResourceConflictException",
                 "version used by an alias")
        lam.delete_alias(FunctionName="node1", Name="live")
        lam.delete_function(FunctionName="node1", Qualifier="1")
        t.raises(lambda: lam.get_function(FunctionName="node1", Qualifier="1"), "ResourceNotFoundException", "version deleted")
        t.raises(lambda: lam.invoke(FunctionName="node1", Qualifier="9"), "ResourceNotFoundException", "invoke missing version")

        # ---- async invoke with retries ----
        r = lam.invoke(FunctionName="py", InvocationType="Event", Payload=b'{"async": 1}')
        t.eq(r["StatusCode"], 202, "Event invoke 202")
        t.eq(lam.invoke_async(FunctionName="py", InvokeArgs=b'{"legacy": 1}')["Status"], 202, "InvokeAsync")
        r = lam.invoke(FunctionName="py", InvocationType="Event", Payload=b'{"fail": "async-fail"}')
        deadline = time.time() + 10
        while time.time() < deadline and sum("ValueError: async-fail" in x for x in s.log) < 3:
            time.sleep(0.1)
        t.true(any("{'async': 1}" in x for x in s.log), "async invocation ran")
        t.true(any("{'legacy': 1}" in x for x in s.log), "InvokeAsync invocation ran")
        t.eq(sum("ValueError: async-fail" in x for x in s.log), 3, "failed async invocation tried 3 times")

        # ---- concurrency ----
        t.eq(lam.put_function_concurrency(FunctionName="esm", ReservedConcurrentExecutions=0)["ReservedConcurrentExecutions"], 0,
             "put concurrency")
        t.raises(lambda: lam.invoke(FunctionName="esm"), "TooManyRequestsException", "reserved concurrency 0 throttles")
        lam.put_function_concurrency(FunctionName="esm", ReservedConcurrentExecutions=1)
        t.eq(lam.get_function_concurrency(FunctionName="esm").get("ReservedConcurrentExecutions"), 1, "get concurrency")
        lam.put_function_concurrency(FunctionName="node1", ReservedConcurrentExecutions=2)
        pids, throttled, lock, go = [], [], threading.Lock(), threading.Barrier(5)

        def worker(c):
            go.wait()
            try:
                _, o = invoke(c, "node1", {"sleepMs": 700})
                with lock:
                    pids.append(o["pid"])
            except ClientError as e:
                with lock:
                    throttled.append(e.response["Error"]["Code"])
        no_retry = Config(retries={"max_attempts": 0}, read_timeout=60)
        threads = [threading.Thread(target=worker, args=(s.client("lambda", config=no_retry),)) for _ in range(5)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        t.eq((len(pids), throttled), (2, ["TooManyRequestsException"] * 3),
             "5 concurrent invokes at reserved concurrency 2: 2 run, 3 are throttled")
        t.true(len(set(pids)) <= 2, "at most 2 environments with reserved concurrency 2: %s" % set(pids))
        lam.delete_function_concurrency(FunctionName="node1")
        t.eq(lam.get_function_concurrency(FunctionName="node1").get("ReservedConcurrentExecutions"), None, "delete concurrency")
        # a burst of short invocations shares the warm environments instead of starting one per request
        # (after enough short ones for the pool's mean invocation time to forget the 300 ms ones above)
        for _ in range(25):
            invoke(lam, "node1", {})
        before, burst, clients, go = fn_envs(s, "node1"), [], [s.client("lambda") for _ in range(12)], threading.Barrier(12)

        def short(c):
            invoke(c, "node1", {})  # connected
            go.wait()
            _, o = invoke(c, "node1", {})
            with lock:
                burst.append(o["pid"])
        threads = [threading.Thread(target=short, args=(c,)) for c in clients]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        t.eq(len(burst), 12, "burst answered")
        started = fn_envs(s, "node1") - before
        t.true(started <= 2, "a burst of 12 short invokes does not start an environment each: %d started" % started)
        acct = lam.get_account_settings()
        t.eq(acct["AccountLimit"]["UnreservedConcurrentExecutions"], 999, "unreserved concurrency")
        t.eq(acct["AccountUsage"]["FunctionCount"], 6, "function count")

        # ---- resource policy ----
        st = json.loads(lam.add_permission(FunctionName="node1", StatementId="s3", Action="lambda:InvokeFunction",
                                           Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::bucket")["Statement"])
        t.eq((st["Sid"], st["Principal"], st["Resource"], st["Condition"]),
             ("s3", {"Service": "s3.amazonaws.com"}, ARN + "node1", {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::bucket"}}),
             "add permission statement")
        t.raises(lambda: lam.add_permission(FunctionName="node1", StatementId="s3", Action="lambda:InvokeFunction",
                                            Principal="s3.amazonaws.com"), "ResourceConflictException", "duplicate statement id")
        pol = json.loads(lam.get_policy(FunctionName="node1")["Policy"])
        t.eq([x["Sid"] for x in pol["Statement"]], ["s3"], "get policy")
        lam.remove_permission(FunctionName="node1", StatementId="s3")
        t.raises(lambda: lam.get_policy(FunctionName="node1"), "ResourceNotFoundException", "policy gone")
        t.raises(lambda: lam.remove_permission(FunctionName="node1", StatementId="s3"), "ResourceNotFoundException",
                 "remove missing statement")
        # an organization's principals only (permissions-function-organization), never everyone
        st = json.loads(lam.add_permission(FunctionName="node1", StatementId="org", Action="lambda:InvokeFunction",
                                           Principal="*", PrincipalOrgID="o-a1b2c3d4e5f")["Statement"])
        t.eq(st["Condition"], {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5f"}}, "PrincipalOrgID condition")
        lam.remove_permission(FunctionName="node1", StatementId="org")
        # Timeout and MemorySize beyond a function's limits (the model no longer bounds them)
        for kw, want in (({"Timeout": 901}, "Value '901' at 'timeout' failed to satisfy constraint: Member must have value "
                                            "less than or equal to 900"),
                         ({"MemorySize": 10241}, "Value '10241' at 'memorySize' failed to satisfy constraint: Member must have "
                                                 "value less than or equal to 10240")):
            e = t.raises(lambda: lam.update_function_configuration(FunctionName="node1", **kw), "ValidationException", str(kw))
            t.eq(e and e.response["Error"]["Message"], "1 validation error detected: " + want, str(kw) + ": message")

        # ---- tags, list, delete ----
        lam.tag_resource(Resource=ARN + "node1", Tags={"env": "test"})
        t.eq(lam.list_tags(Resource=ARN + "node1")["Tags"], {"team": "a", "env": "test"}, "tags")
        # UntagResource sends TagKeys as a repeated query parameter (tagKeys=a&tagKeys=b).
        lam.tag_resource(Resource=ARN + "node1", Tags={"x": "1", "y": "2"})
        lam.untag_resource(Resource=ARN + "node1", TagKeys=["team", "x", "y"])
        t.eq(lam.list_tags(Resource=ARN + "node1")["Tags"], {"env": "test"}, "untag")
        names, marker = [], None
        for _ in range(10):
            page = lam.list_functions(MaxItems=3, **({"Marker": marker} if marker else {}))
            names += [f["FunctionName"] for f in page["Functions"]]
            marker = page.get("NextMarker")
            if not marker:
                break
        t.eq(names, sorted(names), "list order")
        t.eq(sorted(names), ["cb", "esm", "missing", "node1", "py", "sh"], "list functions with pagination")

        # ---- unsafe zips ----
        evil = zip_raw([(zipfile.ZipInfo("../evil.py"), b"x")])
        t.raises(lambda: lam.create_function(FunctionName="evil", Runtime="python3.12", Role=ROLE, Handler="a.b",
                                             Code={"ZipFile": evil}), "InvalidParameterValueException", "path traversal refused")
        link = zipfile.ZipInfo("escape")
        link.external_attr = (0o120777 << 16)
        t.raises(lambda: lam.create_function(FunctionName="evil", Runtime="python3.12", Role=ROLE, Handler="a.b",
                                             Code={"ZipFile": zip_raw([(link, b"/etc")])}), "InvalidParameterValueException",
                 "escaping symlink refused")
        t.raises(lambda: lam.create_function(FunctionName="evil", Runtime="python3.12", Role=ROLE, Handler="a.b",
                                             Code={"ZipFile": b"not a zip"}), "InvalidParameterValueException", "not a zip")
        t.true(not os.path.exists(os.path.join(s.data_dir, "evil.py")), "nothing written outside")

        # ---- restart ----
        s.restart()
        lam = s.client("lambda")
        t.eq(lam.get_function(FunctionName="node1")["Tags"], {"env": "test"}, "function survives restart")
        t.eq([v["Version"] for v in lam.list_versions_by_function(FunctionName="node1")["Versions"]], ["$LATEST", "2"],
             "versions survive restart")
        g = lam.get_function(FunctionName="py")
        with urllib.request.urlopen(g["Code"]["Location"]) as resp:
            t.eq(resp.read(), zip_dir("python"), "Code.Location after updates and a restart")
        _, out = invoke(lam, "node1", {"after": "restart"}, Qualifier="2")
        t.eq(out["echo"], {"after": "restart"}, "invoke after restart")
        lam.delete_function(FunctionName="node1")
        t.raises(lambda: lam.invoke(FunctionName="node1"), "ResourceNotFoundException", "deleted function")
        for name in ("esm", "cb", "missing", "py", "sh"):
            lam.delete_function(FunctionName=name)
        time.sleep(0.3)  # killed environments are reaped
        lam.create_function(FunctionName="last", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                            Code={"ZipFile": zip_dir("node_esm")})
        lam.delete_function(FunctionName="last")
        t.eq(os.listdir(os.path.join(s.data_dir, "lambda", "code")), [], "unpacked code removed with the last function")
    t.done()


if __name__ == "__main__":
    main()
