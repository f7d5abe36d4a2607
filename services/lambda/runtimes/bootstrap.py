"""bootstrap.py - awsemu's Python runtime: imports the handler module from
LAMBDA_TASK_ROOT and serves invocations over the Lambda Runtime API at
AWS_LAMBDA_RUNTIME_API, as Lambda's own Python runtime does.

It speaks HTTP/1.1 to awsemu itself on one kept-alive socket: an invocation's
result goes out in the same write as the next /invocation/next (pipelined;
awsemu answers them in order), which halves the round trips and system calls of
http.client's one request at a time."""
import importlib
import json
import logging
import os
import socket
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
HOST, PORT = API.rsplit(":", 1)
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", ".")
_request_id = None


class _Api:
    """The Runtime API connection: requests written together, answers read in order."""

    def __init__(self):
        self.sock = None
        self.buf = b""

    def _connect(self):
        self.sock = socket.create_connection((HOST, int(PORT)))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("Runtime API connection closed")
        self.buf += chunk

    def _answer(self):
        while b"\r\n\r\n" not in self.buf:
            self._recv()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        while len(self.buf) < n:
            self._recv()
        body, self.buf = self.buf[:n], self.buf[n:]
        return int(lines[0].split(" ", 2)[1]), headers, body

    def exchange(self, requests):
        """Sends [(method, path, body bytes or None, headers)] in one write; returns their answers
        (status, lower-case headers, body). A connection that closed under them (awsemu drops idle
        keep-alive connections during a long invocation) is replaced once and the rest sent again."""
        answers = []
        for attempt in range(2):
            try:
                if self.sock is None:
                    self._connect()
                out = []
                for method, path, body, headers in requests[len(answers):]:
                    body = body or b""
                    head = "%s /2018-06-01/runtime/%s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n" % (
                        method, path, API, len(body))
                    out.append((head + "".join("%s: %s\r\n" % kv for kv in headers.items()) + "\r\n").encode() + body)
                self.sock.sendall(b"".join(out))
                while len(answers) < len(requests):
                    answers.append(self._answer())
                return answers
            except OSError:
                if self.sock is not None:
                    self.sock.close()
                self.sock = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


_api = _Api()


def call(method, path, body=None, headers=None):
    return _api.exchange([(method, path, body, headers or {})])[0]


class LambdaContext:
    def __init__(self, headers):
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))
        self.identity = None
        self.client_context = None
        cc = headers.get("lambda-runtime-client-context")
        if cc:
            d = json.loads(cc)
            self.client_context = type("ClientContext", (), {"client": d.get("client"), "custom": d.get("custom"),
                                                              "env": d.get("env")})()
        ci = headers.get("lambda-runtime-cognito-identity")
        if ci:
            d = json.loads(ci)
            self.identity = type("CognitoIdentity", (), {"cognito_identity_id": d.get("cognitoIdentityId"),
                                                         "cognito_identity_pool_id": d.get("cognitoIdentityPoolId")})()

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id or ""
        return True


def _setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
                                           "%Y-%m-%dT%H:%M:%S"))
    handler.formatter.converter = time.gmtime
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)


def _error(exc, request_id=""):
    tb = traceback.extract_tb(exc.__traceback__)
    frames = [f for f in tb if os.path.abspath(f.filename) != os.path.abspath(__file__)]
    return {"errorMessage": str(exc), "errorType": type(exc).__name__, "requestId": request_id,
            "stackTrace": traceback.format_list(frames)}


def _init_error(error_type, message, trace=()):
    body = {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": list(trace)}
    print("[ERROR] %s: %s" % (error_type, message), flush=True)
    call("POST", "init/error", json.dumps(body).encode(), {"Lambda-Runtime-Function-Error-Type": error_type})
    sys.exit(1)


def load_handler():
    handler = os.environ.get("_HANDLER", "")
    if "." not in handler:
        _init_error("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % handler)
    modname, fname = handler.rsplit(".", 1)
    modname = modname.replace("/", ".")
    sys.path.insert(0, TASK_ROOT)
    try:
        mod = importlib.import_module(modname)
    # as the Python runtime interface client reports them: no trace for an import failure, the offending line for a
    # syntax error, the module's own frames for anything else it raises
    except ImportError as e:
        _init_error("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (modname, e))
    except SyntaxError as e:
        _init_error("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (modname, e),
                    ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)])
    except Exception as e:
        _init_error(type(e).__name__, str(e), traceback.format_list(traceback.extract_tb(e.__traceback__))[1:])
    fn = getattr(mod, fname, None)
    if fn is None:
        _init_error("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fname, modname))
    return fn


def main():
    global _request_id
    _setup_logging()
    fn = load_handler()
    result_post = []  # the last invocation's result, sent with the next /invocation/next
    while True:
        status, headers, body = _api.exchange(result_post + [("GET", "invocation/next", None, {})])[-1]
        result_post = []
        if status == 410:
            sys.exit(0)
        if status != 200:
            continue
        _request_id = headers.get("lambda-runtime-aws-request-id")
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("lambda-runtime-trace-id", "")
        try:
            result = fn(json.loads(body), LambdaContext(headers))
        except Exception as e:
            err = _error(e, _request_id)
            print("[ERROR] %s: %s\r%s" % (err["errorType"], err["errorMessage"],
                                          "\r".join(["Traceback (most recent call last):"] +
                                                    [s.rstrip("\n").replace("\n", "\r") for s in err["stackTrace"]])),
                  flush=True)
            result_post = [("POST", "invocation/%s/error" % _request_id, json.dumps(err).encode(),
                            {"Lambda-Runtime-Function-Error-Type": "Unhandled"})]
            continue
        try:
            out = json.dumps(result).encode()
        except (TypeError, ValueError) as e:
            err = {"errorMessage": "Unable to marshal response: %s" % e, "errorType": "Runtime.MarshalError",
                   "requestId": _request_id, "stackTrace": []}
            result_post = [("POST", "invocation/%s/error" % _request_id, json.dumps(err).encode(),
                            {"Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})]
            continue
        result_post = [("POST", "invocation/%s/response" % _request_id, out, {"Content-Type": "application/json"})]


if __name__ == "__main__":
    main()
