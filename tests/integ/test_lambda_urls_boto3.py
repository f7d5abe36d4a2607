"""test_lambda_urls_boto3.py - Lambda function URLs. The configuration operations with boto3, checked
against Lambda's recorded answers (the AWS-validated snapshots of LocalStack's TestLambdaUrl tests):
one URL per $LATEST or alias, a version or $LATEST named as the qualifier refused by the Qualifier
pattern, Lambda's own not-found and conflict messages, InvokeMode BUFFERED when never set, kept across
a restart and gone with the function (an alias's outlives the alias); and one aws CLI call. Then requests to the URLs with
http.client (Host set to the URL's host, connected to the server's port), as the Lambda developer guide
("Invoking Lambda function URLs") describes them: the payload format 2.0 event the function sees, how its
result maps onto the response (statusCode, headers, cookies, a base64 body; a string or number as a JSON
body; a function error as a 502), CORS preflights and headers from the URL's Cors, a 429 at reserved
concurrency 0, and AWS_IAM URLs with and without --auth sigv4."""
import base64
import http.client
import json
import re
import threading
import time
import urllib.parse

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

    # ---- delete; an alias's URL outlives the alias, the function's goes with it ----
    r = lam.delete_function_url_config(FunctionName="fn")
    t.eq(r["ResponseMetadata"]["HTTPStatusCode"], 204, "delete answers 204")
    t.refuses(lambda: lam.get_function_url_config(FunctionName="fn"), "ResourceNotFoundException", NOT_FOUND,
              "get after delete")
    t.refuses(lambda: lam.delete_function_url_config(FunctionName="fn"), "ResourceNotFoundException", NOT_FOUND,
              "delete again")
    lam.delete_alias(FunctionName="fn", Name="live")
    lam.create_alias(FunctionName="fn", Name="live", FunctionVersion="1")
    t.eq(lam.get_function_url_config(FunctionName="fn", Qualifier="live")["FunctionUrl"], alias_url,
         "an alias deleted and made again has its URL still")
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


ECHO = """import base64, time
def handler(event, context):
    mode = event["headers"].get("x-mode")
    if mode == "sleep":
        time.sleep(1.5)
        return "slept"
    if mode == "string":
        return "Hello, world!"
    if mode == "number":
        return 42
    if mode == "dict":
        return {"hello": "world"}
    if mode == "list":
        return ["hello", 3, True]
    if mode == "teapot":
        return {"statusCode": "418", "body": "i'm a teapot"}
    if mode == "arn":
        return context.invoked_function_arn
    if mode == "custom":
        return {"statusCode": 201, "headers": {"Content-Type": "text/plain", "My-Custom-Header": "Custom Value",
                                               "Access-Control-Allow-Origin": "https://other.example"},
                "cookies": ["c1=v1; Max-Age=60", "c2=v2"], "body": "created"}
    if mode == "binary":
        return {"statusCode": 200, "headers": {"content-type": "application/octet-stream"},
                "body": base64.b64encode(bytes([0, 1, 255])).decode(), "isBase64Encoded": True}
    if mode == "fail":
        raise Exception("boom")
    return event
"""


def request(s, url, method="GET", path="/", body=None, headers=(), host=None):
    """(status, [(lower-case header, value)], body) of a request to url, sent to the server's port."""
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
    c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    c.putheader("Host", host or urllib.parse.urlparse(url).netloc)
    for k, v in headers:
        c.putheader(k, v)
    if body is not None:
        c.putheader("Content-Length", str(len(body)))
    c.endheaders(body)
    r = c.getresponse()
    out = (r.status, [(k.lower(), v) for k, v in r.getheaders()], r.read())
    c.close()
    return out


def hdr(headers, name):
    values = [v for k, v in headers if k == name]
    return values[0] if len(values) == 1 else (values or None)


def serving(t, s, lam):
    create(lam, "web", ECHO)
    url = lam.create_function_url_config(FunctionName="web", AuthType="NONE")["FunctionUrl"]
    host = urllib.parse.urlparse(url).netloc
    url_id = host.split(".")[0]

    # ---- the event: payload format version 2.0 ----
    before = int(time.time() * 1000)
    st, h, body = request(s, url, "POST", "/some/path?a=1&a=2&b=x%20y&c&d=&d=4",
                          b'{"k": "v"}', [("Content-Type", "application/json"), ("X-Multi", "one"), ("X-Multi", "two"),
                                          ("Cookie", "k1=v1; k2=v2"), ("User-Agent", "ua/1"),
                                          ("X-Forwarded-For", "10.9.9.9")])
    t.eq((st, hdr(h, "content-type")), (200, "application/json"), "an event returned: 200 application/json")
    ev = json.loads(body)
    ctx = ev.pop("requestContext")
    headers = ev.pop("headers")
    t.eq(ev, {"version": "2.0", "routeKey": "$default", "rawPath": "/some/path", "rawQueryString": "a=1&a=2&b=x%20y&c&d=&d=4",
              "cookies": ["k1=v1", "k2=v2"], "queryStringParameters": {"a": "1,2", "b": "x y", "c": "", "d": ",4"},
              "body": '{"k": "v"}', "isBase64Encoded": False}, "the event")
    t.eq({k: headers.get(k) for k in ("host", "content-type", "x-multi", "user-agent", "content-length", "cookie",
                                      "x-forwarded-for", "x-forwarded-proto", "x-forwarded-port")},
         {"host": host, "content-type": "application/json", "x-multi": "one,two", "user-agent": "ua/1",
          "content-length": "10", "cookie": None, "x-forwarded-for": "127.0.0.1", "x-forwarded-proto": "http",
          "x-forwarded-port": str(s.port)}, "the event's headers: lower-case, repeated ones joined, no cookie")
    t.eq(all(k == k.lower() for k in headers), True, "every header name is lower-case")
    epoch = ctx.pop("timeEpoch")
    t.true(before - 1000 <= epoch <= int(time.time() * 1000) + 1000, "timeEpoch is now")
    t.eq(ctx.pop("time"), time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(epoch // 1000)), "time")
    t.eq(ctx.pop("requestId"), hdr(h, "x-amzn-requestid"), "requestId is the response's x-amzn-RequestId")
    t.eq(ctx, {"accountId": "anonymous", "apiId": url_id, "domainName": host.split(":")[0], "domainPrefix": url_id,
               "http": {"method": "POST", "path": "/some/path", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                        "userAgent": "ua/1"},
               "routeKey": "$default", "stage": "$default"}, "requestContext")
    st, h, body = request(s, url, "PUT", "/bin", bytes([0, 255, 10]), [("Content-Type", "application/octet-stream")])
    ev = json.loads(body)
    t.eq((ev["body"], ev["isBase64Encoded"]), (base64.b64encode(bytes([0, 255, 10])).decode(), True),
         "a binary body arrives base64-encoded")
    st, h, body = request(s, url, "POST", "/", b"plain text", [("Content-Type", "text/plain; charset=utf-8")])
    t.eq((json.loads(body)["body"], json.loads(body)["isBase64Encoded"]), ("plain text", False), "text/plain as text")
    st, h, body = request(s, url, "POST", "/", b"a=1&b=2", [("Content-Type", "application/x-www-form-urlencoded")])
    t.eq(json.loads(body)["isBase64Encoded"], True, "a form body arrives base64-encoded")
    st, h, body = request(s, url)
    ev = json.loads(body)
    t.eq(("body" in ev, ev["isBase64Encoded"], "queryStringParameters" in ev, "cookies" in ev, ev["rawQueryString"]),
         (False, False, False, False, ""), "a GET without body, query or cookies")
    st, h, body = request(s, url, host=host.replace(".localhost:%d" % s.port, ".on.aws"))
    t.eq((st, json.loads(body)["requestContext"]["domainName"]), (200, "%s.lambda-url.us-east-1.on.aws" % url_id),
         "the .on.aws form of the Host reaches the URL")
    st, h, body = request(s, url, host=host.upper())
    t.eq(st, 200, "the Host is read case-blind")

    # ---- the response ----
    st, h, body = request(s, url, headers=[("X-Mode", "string")])
    t.eq((st, hdr(h, "content-type"), body), (200, "application/json", b"Hello, world!"),
         "a string: 200, application/json, the string's text as the body (LocalStack's AWS snapshot: hello, length 5)")
    st, h, body = request(s, url, headers=[("X-Mode", "number")])
    t.eq((st, hdr(h, "content-type"), body), (200, "application/json", b"42"), "a number")
    st, h, body = request(s, url, headers=[("X-Mode", "dict")])
    t.eq((st, body), (200, b'{"hello":"world"}'), "an object without statusCode: compact JSON (AWS: length 17)")
    st, h, body = request(s, url, headers=[("X-Mode", "list")])
    t.eq((st, body), (200, b'["hello",3,true]'), "a list: compact JSON (AWS: length 16)")
    st, h, body = request(s, url, headers=[("X-Mode", "teapot")])
    t.eq((st, body), (418, b"i'm a teapot"), "a statusCode given as a string")
    st, h, body = request(s, url, headers=[("X-Mode", "custom")])
    t.eq((st, hdr(h, "content-type"), hdr(h, "my-custom-header"), hdr(h, "set-cookie"), body),
         (201, "text/plain", "Custom Value", ["c1=v1; Max-Age=60", "c2=v2"], b"created"),
         "statusCode, headers, each cookie a Set-Cookie, body")
    st, h, body = request(s, url, headers=[("X-Mode", "binary")])
    t.eq((st, hdr(h, "content-type"), body), (200, "application/octet-stream", bytes([0, 1, 255])),
         "an isBase64Encoded body is decoded")
    st, h, body = request(s, url, headers=[("X-Mode", "fail")])
    t.eq((st, body), (502, b"Internal Server Error"), "a function error is a 502")
    t.true(re.fullmatch(r"[0-9a-f-]{36}", hdr(h, "x-amzn-requestid") or ""), "the 502 carries x-amzn-RequestId")
    st, h, body = request(s, url, host="a" * 32 + ".lambda-url.us-east-1.localhost:%d" % s.port)
    t.eq((st, hdr(h, "x-amzn-errortype"), body), (403, "AccessDeniedException", b'{"Message":null}'), "no such URL")
    st, h, body = request(s, url, host=host.replace("us-east-1", "eu-west-1"))
    t.eq(st, 403, "the URL's id in another region")
    st, h, body = request(s, url, headers=[("Origin", "https://example.com")])
    t.eq(hdr(h, "access-control-allow-origin"), None, "a URL without Cors adds no Access-Control headers")

    # ---- an alias's URL, CORS ----
    lam.publish_version(FunctionName="web")
    lam.create_alias(FunctionName="web", Name="live", FunctionVersion="1")
    cors = {"AllowCredentials": True, "AllowHeaders": ["x-custom", "content-type"], "AllowMethods": ["GET", "POST"],
            "AllowOrigins": ["https://example.com"], "ExposeHeaders": ["x-out"], "MaxAge": 300}
    aurl = lam.create_function_url_config(FunctionName="web", Qualifier="live", AuthType="NONE", Cors=cors)["FunctionUrl"]
    st, h, body = request(s, aurl, headers=[("X-Mode", "arn")])
    t.eq(body.decode(), ARN + "web:live", "an alias's URL invokes the alias")
    st, h, body = request(s, aurl, "OPTIONS", "/x", headers=[("Origin", "https://example.com"),
                                                           ("Access-Control-Request-Method", "POST")])
    t.eq((st, body, {k: hdr(h, k) for k in ("access-control-allow-origin", "access-control-allow-credentials",
                                             "access-control-allow-methods", "access-control-allow-headers",
                                             "access-control-max-age")}),
         (200, b"", {"access-control-allow-origin": "https://example.com", "access-control-allow-credentials": "true",
                     "access-control-allow-methods": "GET,POST", "access-control-allow-headers": "x-custom,content-type",
                     "access-control-max-age": "300"}), "a preflight answered by Lambda, the function not invoked")
    st, h, body = request(s, aurl, headers=[("X-Mode", "custom"), ("Origin", "https://example.com")])
    t.eq((st, hdr(h, "access-control-allow-origin"), hdr(h, "access-control-expose-headers"),
          hdr(h, "access-control-allow-credentials")), (201, "https://example.com", "x-out", "true"),
         "the Cors headers, over the function's own Access-Control-Allow-Origin")
    st, h, body = request(s, aurl, headers=[("X-Mode", "custom"), ("Origin", "https://other.example")])
    t.eq(hdr(h, "access-control-allow-origin"), "https://other.example",
         "an origin the Cors does not allow gets only what the function sent")
    lam.update_function_url_config(FunctionName="web", Qualifier="live", Cors={"AllowOrigins": ["*"]})
    st, h, body = request(s, aurl, "OPTIONS", "/", headers=[("Origin", "https://any.example"),
                                                          ("Access-Control-Request-Method", "GET")])
    t.eq(hdr(h, "access-control-allow-origin"), "*", "AllowOrigins * without credentials: *")
    # the URL outlives its alias (LocalStack's AWS snapshot test_lambda_url_persists_after_alias_delete)
    lam.delete_alias(FunctionName="web", Name="live")
    st, h, body = request(s, aurl)
    t.eq((st, hdr(h, "x-amzn-errortype"), json.loads(body)),
         (403, "AccessDeniedException", {"Message": "Forbidden. For troubleshooting Function URL authorization issues, "
                                                    "see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"}),
         "the URL of a deleted alias: 403 Forbidden")
    lam.create_alias(FunctionName="web", Name="live", FunctionVersion="1")
    st, h, body = request(s, aurl, headers=[("X-Mode", "arn")])
    t.eq((st, body.decode()), (200, ARN + "web:live"), "the alias made again: its URL works again")

    # ---- reserved concurrency 0 throttles the URL (Lambda's way to deactivate one) ----
    lam.put_function_concurrency(FunctionName="web", ReservedConcurrentExecutions=0)
    st, h, body = request(s, url)
    t.eq(st, 429, "reserved concurrency 0: 429")
    # beyond a reserved concurrency above 0, as a synchronous Invoke
    lam.put_function_concurrency(FunctionName="web", ReservedConcurrentExecutions=1)
    slow = []
    th = threading.Thread(target=lambda: slow.append(request(s, url, headers=[("X-Mode", "sleep")])))
    th.start()
    time.sleep(0.5)
    st, h, body = request(s, url)
    t.eq((st, body), (429, b'{"Message":"Rate Exceeded."}'), "reserved concurrency 1 taken by a running request: 429")
    th.join()
    t.eq((slow[0][0], slow[0][2]), (200, b"slept"), "the running request answers")
    lam.delete_function_concurrency(FunctionName="web")

    # ---- AWS_IAM without --auth sigv4: taken, the caller's identity in the event ----
    lam.update_function_url_config(FunctionName="web", AuthType="AWS_IAM")
    st, h, body = request(s, url)
    ctx = json.loads(body)["requestContext"]
    t.eq((st, ctx["accountId"], ctx["authorizer"]), (200, "000000000000", {"iam": {
        "accessKey": "", "accountId": "000000000000", "callerId": "000000000000", "cognitoIdentity": None,
        "principalOrgId": None, "userArn": "arn:aws:iam::000000000000:root", "userId": "000000000000"}}),
         "AWS_IAM without --auth sigv4: accepted unsigned, the account's root as the caller")
    lam.delete_function_url_config(FunctionName="web")
    st, h, body = request(s, url)
    t.eq(st, 403, "a deleted URL")


def signed_request(s, url, secret):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    req = AWSRequest(method="GET", url=url + "?q=1", data=b"")
    SigV4Auth(Credentials("AKIDTEST", secret), "lambda", "us-east-1").add_auth(req)
    return request(s, url, path="/?q=1", headers=[(k, v) for k, v in req.headers.items() if k.lower() != "host"])


def iam(t):
    with Server("--auth", "sigv4", "--auth-keys", "AKIDTEST:secret") as s:
        lam = s.client("lambda")
        create(lam, "iam", ECHO)
        url = lam.create_function_url_config(FunctionName="iam", AuthType="AWS_IAM")["FunctionUrl"]
        st, h, body = request(s, url)
        t.eq((st, hdr(h, "x-amzn-errortype"), body), (403, "AccessDeniedException", b'{"Message":"Forbidden"}'),
             "--auth sigv4: an unsigned request to an AWS_IAM URL")
        st, h, body = signed_request(s, url, "wrong")
        t.eq(st, 403, "--auth sigv4: a wrong signature")
        st, h, body = signed_request(s, url, "secret")
        t.eq((st, json.loads(body)["requestContext"]["authorizer"]["iam"]["accessKey"] if st == 200 else body),
             (200, "AKIDTEST"), "--auth sigv4: a signed request")
        lam.update_function_url_config(FunctionName="iam", AuthType="NONE")
        t.eq(request(s, url)[0], 200, "--auth sigv4: a NONE URL takes unsigned requests")


with Server() as s:
    lam = crud(t, s, s.client("lambda"))
    cli(t, s)
    serving(t, s, lam)
iam(t)

t.done()
