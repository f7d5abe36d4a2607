"""awsreq.py - a small AWS client for the bench's setup steps and probes.

Speaks the three wire protocols the bench needs on a kept-alive loopback connection: AWS JSON 1.0
(DynamoDB, SQS), the SQS query protocol (form in, XML out: sqslite speaks nothing else) and Lambda's
REST-JSON. It is raw HTTP rather than boto3 so that one code path drives every server, whatever
protocol it speaks, and so that preloading 100,000 items costs little client time.
"""
import http.client
import json
import re
import socket
import urllib.parse

AUTH = ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/{svc}/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
        "Signature=0f2d9b5e4c1a7f3e8b6d0c2a4e6f8091a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2")
JSON_CT = "application/x-amz-json-1.0"
FORM_CT = "application/x-www-form-urlencoded"
TARGET_PREFIX = {"dynamodb": "DynamoDB_20120810.", "sqs": "AmazonSQS."}


def sigv4_service(service):
    return "lambda" if service == "lambda" else service


def headers_for(service, target=None, ctype=None):
    h = {"X-Amz-Date": "20250101T000000Z", "Authorization": AUTH.format(svc=sigv4_service(service))}
    if target:
        h["X-Amz-Target"] = target
    if ctype:
        h["Content-Type"] = ctype
    return h


class AwsError(Exception):
    def __init__(self, status, body):
        super().__init__("HTTP %d: %s" % (status, error_text(body)))
        self.status = status
        self.body = body


def error_text(body):
    """The AWS error code and message in an answer of any protocol, shortened."""
    m = re.search(r'"__type"\s*:\s*"([^"]*)"', body) or re.search(r"<Code>([^<]*)</Code>", body)
    msg = re.search(r'"[mM]essage"\s*:\s*"([^"]*)"', body) or re.search(r"<Message>([^<]*)</Message>", body)
    code = m.group(1).split("#")[-1] if m else ""
    text = (code + (": " + msg.group(1) if msg else "")).strip(": ")
    return (text or body.strip().replace("\n", " "))[:160]


class Client:
    def __init__(self, port, host="127.0.0.1", timeout=30):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = None

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def raw(self, method, path, body=b"", headers=None):
        """One request; returns (status, body text). Reconnects once if the server closed the connection."""
        if isinstance(body, str):
            body = body.encode()
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                hdrs = {"Host": "localhost:%d" % self.port}  # sqslite knows its queues only by localhost URLs
                hdrs.update(headers or {})
                self.conn.request(method, path, body=body, headers=hdrs)
                r = self.conn.getresponse()
                text = r.read().decode("utf-8", "replace")
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return r.status, text
            except (http.client.HTTPException, ConnectionError, socket.timeout):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def json_call(self, service, op, params):
        """AWS JSON 1.0 (DynamoDB, SQS): returns the decoded answer or raises AwsError."""
        status, text = self.raw("POST", "/", json.dumps(params),
                                headers_for(service, TARGET_PREFIX[service] + op, JSON_CT))
        if status // 100 != 2:
            raise AwsError(status, text)
        return json.loads(text) if text.strip() else {}

    def query_call(self, service, action, params):
        """SQS query protocol: params is a flat dict of query members; returns the XML text or raises AwsError."""
        form = dict(Action=action, Version="2012-11-05")
        form.update(params)
        status, text = self.raw("POST", "/", urllib.parse.urlencode(form), headers_for(service, None, FORM_CT))
        if status // 100 != 2:
            raise AwsError(status, text)
        return text

    def rest_call(self, service, method, path, params=None, raw_body=None):
        """REST-JSON (Lambda): returns the decoded answer (or the raw text if it is not JSON) or raises AwsError."""
        body = raw_body if raw_body is not None else (json.dumps(params) if params is not None else b"")
        status, text = self.raw(method, path, body, headers_for(service, None, "application/json"))
        if status // 100 != 2:
            raise AwsError(status, text)
        try:
            return json.loads(text) if text.strip() else {}
        except ValueError:
            return text


def xml_values(text, tag):
    return [html_unescape(v) for v in re.findall(r"<%s>(.*?)</%s>" % (tag, tag), text, re.S)]


def html_unescape(s):
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))
