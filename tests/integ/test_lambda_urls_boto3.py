"""test_lambda_urls_boto3.py - Lambda function URLs. The configuration operations with boto3, checked
against Lambda's recorded answers (the AWS-validated snapshots of LocalStack's TestLambdaUrl tests):
one URL per $LATEST or alias, a version or $LATEST named as the qualifier refused by the Qualifier
pattern, Lambda's own not-found and conflict messages, InvokeMode BUFFERED when never set, kept across
a restart and gone with the function or alias; and one aws CLI call."""
import json
import re

from harness import Checks, Server, zip_of

t = Checks()
ROLE = "arn:aws:iam::000000000000:role/r"
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
PATTERN = ("1 validation error detected: Value '%s' at 'qualifier' failed to satisfy constraint: Member must satisfy "
           "regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)")
NOT_FOUND = "The resource you requested does not exist."
NO_FN = "Function does not exist"
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def create(lam, name, code="def handler(event, context):\n    return event\n"):
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="handler.handler",
                        Code={"ZipFile": zip_of({"handler.py": code})})


def strip(r):
    r.pop("ResponseMetadata", None)
    return r


def crud(t, s, lam):
    create(lam, "fn")
    lam.publish_version(FunctionName="fn")
    lam.create_alias(FunctionName="fn", Name="live", FunctionVersion="1")

    # ---- create: $LATEST (unqualified) and an alias ----
    r = lam.create_function_url_config(FunctionName="fn", AuthType="NONE")
    t.eq(r["ResponseMetadata"]["HTTPStatusCode"], 201, "create answers 201")
    url = r["FunctionUrl"]
    m = re.fullmatch(r"http://([a-z0-9]{32})\.lambda-url\.us-east-1\.localhost:%d/" % s.port, url)
    t.true(m, "FunctionUrl is http://<32 lowercase alphanumerics>.lambda-url.<region>.localhost:<port>/: " + url)
    t.true(TIME.fullmatch(r["CreationTime"]), "CreationTime is ISO-8601: " + r["CreationTime"])
    t.eq(strip(dict(r, CreationTime=None)), {"FunctionUrl": url, "FunctionArn": ARN + "fn", "AuthType": "NONE",
                                             "CreationTime": None},
         "create's answer: no LastModifiedTime, no InvokeMode unless set (as Lambda's)")
    cors = {"AllowCredentials": True, "AllowHeaders": ["x-custom"], "AllowMethods": ["GET", "POST"],
            "AllowOrigins": ["https://example.com"], "ExposeHeaders": ["x-out"], "MaxAge": 300}
    r = strip(lam.create_function_url_config(FunctionName="fn", Qualifier="live", AuthType="AWS_IAM", Cors=cors,
                                             InvokeMode="RESPONSE_STREAM"))
    alias_url = r["FunctionUrl"]
    t.true(alias_url != url, "an alias has a URL of its own")
    t.eq((r["FunctionArn"], r["AuthType"], r["Cors"], r["InvokeMode"]),
         (ARN + "fn:live", "AWS_IAM", cors, "RESPONSE_STREAM"), "create on an alias echoes its settings")

    # ---- 409 when one exists ----
    conflict = ("Failed to create function url config for [functionArn = %s]. Error message:  FunctionUrlConfig exists "
                "for this Lambda function")
    t.refuses(lambda: lam.create_function_url_config(FunctionName="fn", AuthType="NONE"), "ResourceConflictException",
              conflict % (ARN + "fn"), "a second URL for $LATEST")
    e = t.refuses(lambda: lam.create_function_url_config(FunctionName=ARN + "fn:live", AuthType="NONE"),
                  "ResourceConflictException", conflict % (ARN + "fn:live"), "a second URL for the alias (by ARN)")
    t.eq(e.response["ResponseMetadata"]["HTTPStatusCode"] if e else None, 409, "the conflict is a 409")

    # ---- get ----
    g = strip(lam.get_function_url_config(FunctionName="fn"))
    t.eq(sorted(g), ["AuthType", "CreationTime", "FunctionArn", "FunctionUrl", "InvokeMode", "LastModifiedTime"],
         "get's members")
    t.eq((g["FunctionUrl"], g["InvokeMode"], g["CreationTime"] == g["LastModifiedTime"]), (url, "BUFFERED", True),
         "get: InvokeMode BUFFERED when never set")
    g = strip(lam.get_function_url_config(FunctionName="fn", Qualifier="live"))
    t.eq((g["FunctionUrl"], g["Cors"], g["InvokeMode"]), (alias_url, cors, "RESPONSE_STREAM"), "get on the alias")

    # ---- update: only what the request sets ----
    u = strip(lam.update_function_url_config(FunctionName="fn", AuthType="AWS_IAM"))
    t.eq((u["FunctionUrl"], u["AuthType"], u["InvokeMode"], "Cors" in u), (url, "AWS_IAM", "BUFFERED", False),
         "update of AuthType only")
    t.true(TIME.fullmatch(u["LastModifiedTime"]), "update's LastModifiedTime")
    u = strip(lam.update_function_url_config(FunctionName="fn", Qualifier="live", Cors={"AllowOrigins": ["*"]},
                                             InvokeMode="BUFFERED"))
    t.eq((u["AuthType"], u["Cors"], u["InvokeMode"]), ("AWS_IAM", {"AllowOrigins": ["*"]}, "BUFFERED"),
         "update of Cors (replaced) and InvokeMode; AuthType kept")

    # ---- list and its pages ----
    r = strip(lam.list_function_url_configs(FunctionName="fn"))
    t.eq([(c["FunctionArn"], c["FunctionUrl"]) for c in r["FunctionUrlConfigs"]],
         [(ARN + "fn", url), (ARN + "fn:live", alias_url)], "list: both URLs")
    t.eq("NextMarker" in r, False, "list: no marker at the end")
    p1 = lam.list_function_url_configs(FunctionName="fn", MaxItems=1)
    p2 = lam.list_function_url_configs(FunctionName="fn", MaxItems=1, Marker=p1["NextMarker"])
    t.eq([c["FunctionUrl"] for c in p1["FunctionUrlConfigs"] + p2["FunctionUrlConfigs"]], [url, alias_url],
         "list in pages of one")
    t.eq("NextMarker" in p2, False, "the last page has no marker")
    t.refuses(lambda: lam.list_function_url_configs(FunctionName="doesnotexist"), "ResourceNotFoundException", NO_FN,
              "list of a missing function")

    # ---- errors of each operation, in Lambda's words ----
    ops = {
        "create": (lambda **kw: lam.create_function_url_config(AuthType="NONE", **kw), NO_FN),
        "get": (lam.get_function_url_config, NOT_FOUND),
        "delete": (lam.delete_function_url_config, NOT_FOUND),
        "update": (lambda **kw: lam.update_function_url_config(AuthType="AWS_IAM", **kw), NO_FN),
    }
    for op, (fn, missing) in ops.items():
        t.refuses(lambda: fn(FunctionName="doesnotexist"), "ResourceNotFoundException", missing, op + ": missing function")
        t.refuses(lambda: fn(FunctionName=ARN + "doesnotexist"), "ResourceNotFoundException", missing,
                  op + ": missing function by ARN")
        t.refuses(lambda: fn(FunctionName="fn", Qualifier="v1"), "ResourceNotFoundException", missing,
                  op + ": missing alias")
        for q in ("1", "2", "$LATEST"):
            t.refuses(lambda: fn(FunctionName="fn", Qualifier=q), "ValidationException", PATTERN % q,
                      op + ": qualifier " + q)
        t.refuses(lambda: fn(FunctionName="fn:1"), "ValidationException", PATTERN % "1",
                  op + ": a version in the function name")
        t.refuses(lambda: fn(FunctionName=ARN + "fn:live", Qualifier="other"), "InvalidParameterValueException",
                  "The derived qualifier from the function name does not match the specified qualifier.",
                  op + ": qualifiers that differ")

    # ---- kept across a restart (in the function's stored document) ----
    s.restart(kill=True)
    lam = s.client("lambda")
    t.eq(lam.get_function_url_config(FunctionName="fn")["FunctionUrl"], url, "the URL after a restart")
    t.eq(lam.get_function_url_config(FunctionName="fn", Qualifier="live")["Cors"], {"AllowOrigins": ["*"]},
         "the alias URL's Cors after a restart")

    # ---- delete; gone with the alias and with the function ----
    r = lam.delete_function_url_config(FunctionName="fn")
    t.eq(r["ResponseMetadata"]["HTTPStatusCode"], 204, "delete answers 204")
    t.refuses(lambda: lam.get_function_url_config(FunctionName="fn"), "ResourceNotFoundException", NOT_FOUND,
              "get after delete")
    t.refuses(lambda: lam.delete_function_url_config(FunctionName="fn"), "ResourceNotFoundException", NOT_FOUND,
              "delete again")
    lam.delete_alias(FunctionName="fn", Name="live")
    lam.create_alias(FunctionName="fn", Name="live", FunctionVersion="1")
    t.refuses(lambda: lam.get_function_url_config(FunctionName="fn", Qualifier="live"), "ResourceNotFoundException",
              NOT_FOUND, "an alias deleted and made again has no URL")
    lam.create_function_url_config(FunctionName="fn", AuthType="NONE")
    lam.delete_function(FunctionName="fn")
    create(lam, "fn")
    t.eq(lam.list_function_url_configs(FunctionName="fn")["FunctionUrlConfigs"], [],
         "a function deleted and made again has no URL")
    return lam


def cli(t, s):
    create(s.client("lambda"), "clifn")
    _, out, _ = s.cli("lambda", "create-function-url-config", "--function-name", "clifn", "--auth-type", "NONE",
                      "--cors", json.dumps({"AllowOrigins": ["*"], "MaxAge": 60}))
    t.true(re.fullmatch(r"http://[a-z0-9]{32}\.lambda-url\.us-east-1\.localhost:%d/" % s.port, out["FunctionUrl"]),
           "aws lambda create-function-url-config: FunctionUrl")
    t.eq((out["FunctionArn"], out["AuthType"], out["Cors"]), (ARN + "clifn", "NONE", {"AllowOrigins": ["*"], "MaxAge": 60}),
         "aws lambda create-function-url-config: the rest")


with Server() as s:
    crud(t, s, s.client("lambda"))
    cli(t, s)

t.done()
