"""test_lambda_async_config_boto3.py - asynchronous invocation configuration with boto3 (and one aws CLI call):
Put/Get/Update/Delete/ListFunctionEventInvokeConfigs with Lambda's answers and error texts (recorded against AWS in
LocalStack's tests/aws/services/lambda_/test_lambda_api.snapshot.json, TestLambdaEventInvokeConfig), configurations
per function, version and alias, gone with the version, alias or function and kept over a restart."""
import json
import os
import sys
import tempfile
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from botocore.config import Config  # noqa: E402
from harness import Checks, Server, zip_of  # noqa: E402

ROLE = "arn:aws:iam::000000000000:role/lambda-role"
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
CODE = '''
import json, os
def handler(event, context):
    with open(os.environ["OUT"], "a") as f:
        f.write(json.dumps({"rid": context.aws_request_id, "event": event}) + "\\n")
    if isinstance(event, dict) and event.get("fail"):
        raise ValueError(event["fail"])
    return {"echo": event}
'''
NO_CONFIG = "The function %s doesn't have an EventInvokeConfig"
NO_FUNCTION = "The function doesn't exist."


class Env:
    def __init__(self, s, tmp):
        self.s, self.tmp = s, tmp
        self.lam = s.client("lambda")

    def function(self, name):
        self.lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler", Timeout=5,
                                 Code={"ZipFile": zip_of({"app.py": CODE})},
                                 Environment={"Variables": {"OUT": os.path.join(self.tmp, name)}})


def shown(r):
    r = dict(r)
    r.pop("ResponseMetadata", None)
    r.pop("LastModified", None)
    return r


def cfg(arn, retries=None, age=None, ok=None, fail=None):
    """A configuration as Lambda shows it (without LastModified)."""
    out = {"FunctionArn": arn, "DestinationConfig": {"OnSuccess": {"Destination": ok} if ok else {},
                                                     "OnFailure": {"Destination": fail} if fail else {}}}
    if retries is not None:
        out["MaximumRetryAttempts"] = retries
    if age is not None:
        out["MaximumEventAgeInSeconds"] = age
    return out


def crud(t, e):
    lam = e.lam
    e.function("cfg")
    e.function("other")
    lam.publish_version(FunctionName="cfg")
    alias = lam.create_alias(FunctionName="cfg", Name="live", FunctionVersion="1")["AliasArn"]
    latest = ARN + "cfg:$LATEST"

    raw = []
    lam.meta.events.register("after-call.lambda.PutFunctionEventInvokeConfig",
                             lambda http_response, **kw: raw.append(json.loads(http_response.content)))
    before = time.time()
    r = lam.put_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=0)
    t.eq(shown(r), cfg(latest, retries=0), "put: the unqualified function's configuration is $LATEST's")
    t.true(isinstance(raw[0]["LastModified"], (int, float)), "LastModified is a number of seconds on the wire")
    t.true(before - 2 <= raw[0]["LastModified"] <= time.time() + 2, "LastModified is now")
    t.true(isinstance(r["LastModified"], datetime), "boto3 reads LastModified as a timestamp")
    r = lam.put_function_event_invoke_config(FunctionName="cfg", MaximumEventAgeInSeconds=60)
    t.eq(shown(r), cfg(latest, age=60), "put replaces the whole configuration")
    r = lam.update_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=1)
    t.eq(shown(r), cfg(latest, retries=1, age=60), "update merges")
    r = lam.update_function_event_invoke_config(FunctionName="cfg", DestinationConfig={"OnSuccess": {"Destination": ARN + "other"}})
    t.eq(shown(r), cfg(latest, retries=1, age=60, ok=ARN + "other"), "update adds a destination")
    r = lam.update_function_event_invoke_config(FunctionName="cfg", DestinationConfig={"OnFailure": {"Destination": ARN + "other:$LATEST"}})
    t.eq(shown(r), cfg(latest, retries=1, age=60, ok=ARN + "other", fail=ARN + "other:$LATEST"),
         "update of OnFailure keeps OnSuccess")
    t.eq(shown(lam.get_function_event_invoke_config(FunctionName="cfg")), shown(r), "get")
    t.eq(shown(lam.get_function_event_invoke_config(FunctionName="cfg", Qualifier="$LATEST")), shown(r), "get $LATEST")
    t.eq(shown(lam.get_function_event_invoke_config(FunctionName=latest)), shown(r), "get by qualified ARN")
    r = lam.put_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=2, MaximumEventAgeInSeconds=21600,
                                             DestinationConfig={"OnSuccess": {}, "OnFailure": {"Destination": ""}})
    t.eq(shown(r), cfg(latest, retries=2, age=21600), "the maxima; empty destinations are none")

    # versions and aliases, by Qualifier, ARN or name:qualifier
    t.eq(shown(lam.put_function_event_invoke_config(FunctionName="cfg", Qualifier="1", MaximumRetryAttempts=1)),
         cfg(ARN + "cfg:1", retries=1), "put on a version")
    t.eq(shown(lam.put_function_event_invoke_config(FunctionName=alias, MaximumRetryAttempts=0)),
         cfg(alias, retries=0), "put on an alias by its ARN")
    t.eq(shown(lam.put_function_event_invoke_config(FunctionName="cfg:live", Qualifier="live", MaximumRetryAttempts=1)),
         cfg(alias, retries=1), "put on name:alias with the same Qualifier")
    listed = lam.list_function_event_invoke_configs(FunctionName="cfg")
    t.eq([shown(c) for c in listed["FunctionEventInvokeConfigs"]],
         [cfg(latest, retries=2, age=21600), cfg(ARN + "cfg:1", retries=1), cfg(alias, retries=1)], "list")
    t.true("NextMarker" not in listed, "no NextMarker on the last page")
    page = lam.list_function_event_invoke_configs(FunctionName="cfg", MaxItems=2)
    t.eq(len(page["FunctionEventInvokeConfigs"]), 2, "list: MaxItems")
    rest = lam.list_function_event_invoke_configs(FunctionName="cfg", Marker=page["NextMarker"])
    t.eq([c["FunctionArn"] for c in rest["FunctionEventInvokeConfigs"]], [alias], "list: the next page")

    # errors
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="doesnotexist"), "InvalidParameterValueException",
              "You must specify at least one of error handling or destination setting.", "put without settings")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="doesnotexist", MaximumRetryAttempts=1),
              "ResourceNotFoundException", NO_FUNCTION, "put: no such function")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName=ARN + "doesnotexist", MaximumRetryAttempts=1),
              "ResourceNotFoundException", NO_FUNCTION, "put: no such function ARN")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="cfg", Qualifier="livedoesnotexist",
                                                           MaximumRetryAttempts=1),
              "ResourceNotFoundException", NO_FUNCTION, "put: no such alias")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="cfg:1", Qualifier="$LATEST", MaximumRetryAttempts=1),
              "InvalidParameterValueException",
              "The derived qualifier from the function name does not match the specified qualifier.", "qualifier conflict")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="cfg", DestinationConfig={
              "OnSuccess": {"Destination": ARN + "doesnotexist"}}), "InvalidParameterValueException",
              "The destination ARN %sdoesnotexist is invalid." % ARN, "a destination function that does not exist")
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="cfg", DestinationConfig={
              "OnSuccess": {"Destination": ARN + "cfg"}}), "InvalidParameterValueException",
              "You can't specify the function as a destination for itself.", "the function as its own destination")
    iam = "arn:aws:iam:us-east-1:000000000000:function:cfg"
    t.refuses(lambda: lam.put_function_event_invoke_config(FunctionName="cfg", DestinationConfig={
              "OnSuccess": {"Destination": iam}}), "InvalidParameterValueException",
              "The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=%s), onFailure=null) is "
              "invalid." % iam, "a destination of another service")
    nv = e.s.client("lambda", config=Config(parameter_validation=False, retries={"max_attempts": 1}))
    t.refuses(lambda: nv.put_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=3), "ValidationException",
              "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must "
              "have value less than or equal to 2", "MaximumRetryAttempts 3")
    t.refuses(lambda: nv.put_function_event_invoke_config(FunctionName="cfg", MaximumEventAgeInSeconds=59),
              "ValidationException", "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to "
              "satisfy constraint: Member must have value greater than or equal to 60", "MaximumEventAgeInSeconds 59")
    bad = nv.put_function_event_invoke_config
    e1 = t.raises(lambda: bad(FunctionName="cfg", DestinationConfig={"OnFailure": {"Destination": "arn:aws:_-/!lambda:x"}}),
                  "ValidationException", "a destination that is no ARN")
    t.true(e1 and e1.response["Error"]["Message"].startswith(
        "1 validation error detected: Value 'arn:aws:_-/!lambda:x' at 'destinationConfig.onFailure.destination' failed "
        "to satisfy constraint: Member must satisfy regular expression pattern: "), "a destination that is no ARN: message")
    t.refuses(lambda: lam.update_function_event_invoke_config(FunctionName="doesnotexist", MaximumRetryAttempts=0),
              "ResourceNotFoundException", NO_FUNCTION, "update: no such function")
    t.refuses(lambda: lam.list_function_event_invoke_configs(FunctionName="doesnotexist"), "ResourceNotFoundException",
              NO_FUNCTION, "list: no such function")
    t.refuses(lambda: lam.get_function_event_invoke_config(FunctionName="doesnotexist"), "ResourceNotFoundException",
              NO_CONFIG % (ARN + "doesnotexist:$LATEST"), "get: no such function")
    t.refuses(lambda: lam.get_function_event_invoke_config(FunctionName="cfg", Qualifier="doesnotexist"),
              "ResourceNotFoundException", NO_CONFIG % (ARN + "cfg:doesnotexist"), "get: no such qualifier")
    t.refuses(lambda: lam.get_function_event_invoke_config(FunctionName="other"), "ResourceNotFoundException",
              NO_CONFIG % (ARN + "other:$LATEST"), "get: no configuration")

    # delete; versions and aliases take theirs with them
    t.eq(lam.delete_function_event_invoke_config(FunctionName="cfg", Qualifier="$LATEST")["ResponseMetadata"]["HTTPStatusCode"],
         204, "delete")
    t.refuses(lambda: lam.delete_function_event_invoke_config(FunctionName="cfg"), "ResourceNotFoundException",
              NO_CONFIG % latest, "delete again")
    t.refuses(lambda: lam.delete_function_event_invoke_config(FunctionName="doesnotexist"), "ResourceNotFoundException",
              NO_CONFIG % (ARN + "doesnotexist:$LATEST"), "delete: no such function")
    t.refuses(lambda: lam.update_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=0),
              "ResourceNotFoundException", NO_CONFIG % latest, "update: no configuration")
    lam.delete_alias(FunctionName="cfg", Name="live")
    lam.create_alias(FunctionName="cfg", Name="live", FunctionVersion="1")
    t.refuses(lambda: lam.get_function_event_invoke_config(FunctionName=alias), "ResourceNotFoundException",
              NO_CONFIG % alias, "a deleted alias's configuration is gone")
    lam.delete_alias(FunctionName="cfg", Name="live")
    lam.delete_function(FunctionName="cfg", Qualifier="1")
    t.eq(lam.list_function_event_invoke_configs(FunctionName="cfg")["FunctionEventInvokeConfigs"], [],
         "a deleted version's configuration is gone")
    lam.put_function_event_invoke_config(FunctionName="cfg", MaximumRetryAttempts=1)
    lam.delete_function(FunctionName="cfg")
    e.function("cfg")
    t.eq(lam.list_function_event_invoke_configs(FunctionName="cfg")["FunctionEventInvokeConfigs"], [],
         "a deleted function's configurations are gone")


def restart(t, e):
    lam, s = e.lam, e.s
    e.function("durable")
    before = lam.put_function_event_invoke_config(FunctionName="durable", MaximumRetryAttempts=1, MaximumEventAgeInSeconds=120,
                                                  DestinationConfig={"OnFailure": {"Destination": ARN + "other"}})
    s.restart(kill=True)
    e.lam = s.client("lambda")
    after = e.lam.get_function_event_invoke_config(FunctionName="durable")
    after.pop("ResponseMetadata")
    before.pop("ResponseMetadata")
    t.eq(after, before, "the configuration survives a restart")


def cli(t, e):
    e.function("clifn")
    _, out, _ = e.s.cli("lambda", "put-function-event-invoke-config", "--function-name", "clifn", "--maximum-retry-attempts", "1",
                        "--destination-config", json.dumps({"OnFailure": {"Destination": ARN + "other"}}))
    out.pop("LastModified", None)
    t.eq(out, cfg(ARN + "clifn:$LATEST", retries=1, fail=ARN + "other"), "aws lambda put-function-event-invoke-config")


def main():
    t = Checks()
    with Server() as s, tempfile.TemporaryDirectory(prefix="eic-") as tmp:
        e = Env(s, tmp)
        crud(t, e)
        cli(t, e)
        restart(t, e)
    t.done()


if __name__ == "__main__":
    main()
