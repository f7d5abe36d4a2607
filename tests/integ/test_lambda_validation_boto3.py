"""test_lambda_validation_boto3.py - Lambda control-plane answers that a differential run against moto_server
showed missing or worded differently, each judged against the Lambda API reference and errors quoted from
real Lambda: ARNs of another region or account, names no function can have, alias name rules, RevisionId on
AddPermission/RemovePermission, environment-variable errors that must not echo values, the 4 KB message,
SQS FIFO mappings (no batching window, at most 10), CreateFunction with Publish, DeleteFunction's 204, and
TracingConfig/LoggingConfig kept and echoed."""

from harness import Checks, Server, zip_of

t = Checks()
ROLE = "arn:aws:iam::000000000000:role/r"


error = t.refuses


fn = dict(Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
          Code={"ZipFile": zip_of({"index.js": "exports.handler = async (e) => e;\n"})})
with Server(in_memory=True) as s:
    lam = s.client("lambda")
    lam.create_function(FunctionName="f1", **fn)

    # ---- names ----
    error(lambda: lam.get_function(FunctionName="arn:aws:lambda:us-west-2:000000000000:function:f1"), "ResourceNotFoundException",
          "Functions from 'us-west-2' are not reachable in this region ('us-east-1')", "an ARN of another region")
    t.raises(lambda: lam.get_function(FunctionName="111111111111:function:f1"), "ResourceNotFoundException",
             "a partial ARN of another account")
    t.eq(lam.get_function(FunctionName="000000000000:function:f1")["Configuration"]["FunctionName"], "f1", "our own partial ARN")
    t.raises(lambda: lam.get_function(FunctionName="a.b"), "ResourceNotFoundException", "a name with a dot is not found")
    error(lambda: lam.create_function(FunctionName="y" * 65, **fn), "ValidationException",
          "1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must have length "
          "less than or equal to 64" % ("y" * 65), "a 65-character name")
    t.raises(lambda: lam.create_function(FunctionName="a.b", **fn), "ValidationException", "a name with a dot")
    t.raises(lambda: lam.create_function(FunctionName="arn:aws:lambda:eu-west-1:000000000000:function:f2", **fn),
             "ResourceNotFoundException", "CreateFunction with another region's ARN")

    # ---- aliases: (?!^[0-9]+$)([a-zA-Z0-9-_]+) ----
    v = lam.publish_version(FunctionName="f1")["Version"]
    for name in ("a.b", "123", "$LATEST"):
        error(lambda: lam.create_alias(FunctionName="f1", Name=name, FunctionVersion=v), "ValidationException",
              "1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular "
              "expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)" % name, "alias " + name)
    t.eq(lam.create_alias(FunctionName="f1", Name="1abc", FunctionVersion=v)["Name"], "1abc", "an alias starting with a digit")

    # ---- RevisionId on the policy operations ----
    rev = lam.get_function(FunctionName="f1")["Configuration"]["RevisionId"]
    t.raises(lambda: lam.add_permission(FunctionName="f1", StatementId="s1", Action="lambda:InvokeFunction", Principal="*",
                                        RevisionId="not-it"), "PreconditionFailedException", "AddPermission with a stale RevisionId")
    lam.add_permission(FunctionName="f1", StatementId="s1", Action="lambda:InvokeFunction", Principal="*", RevisionId=rev)
    t.raises(lambda: lam.remove_permission(FunctionName="f1", StatementId="s1", RevisionId="not-it"),
             "PreconditionFailedException", "RemovePermission with a stale RevisionId")
    lam.remove_permission(FunctionName="f1", StatementId="s1")

    # ---- environment variables: errors never echo the values ----
    error(lambda: lam.update_function_configuration(FunctionName="f1", Environment={"Variables": {"1FOO": "secret"}}),
          "ValidationException",
          "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy "
          "constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]", "a key of a bad form")
    big = {"BIG": "x" * 4100}
    error(lambda: lam.update_function_configuration(FunctionName="f1", Environment={"Variables": big}),
          "InvalidParameterValueException",
          "Lambda was unable to configure your environment variables because the environment variables you have provided "
          "exceeded the 4KB limit. String measured: {\"BIG\":\"%s\"}" % ("x" * 4100), "over 4 KB")

    # ---- SQS FIFO mappings ----
    sqs = s.client("sqs")
    q = sqs.create_queue(QueueName="q.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    error(lambda: lam.create_event_source_mapping(FunctionName="f1", EventSourceArn=qarn, MaximumBatchingWindowInSeconds=1),
          "InvalidParameterValueException", "Invalid request provided: Batching window is not supported for FIFO queues",
          "a batching window on a FIFO queue")
    t.raises(lambda: lam.create_event_source_mapping(FunctionName="f1", EventSourceArn=qarn, BatchSize=11),
             "InvalidParameterValueException", "a FIFO batch of 11")
    t.eq(lam.create_event_source_mapping(FunctionName="f1", EventSourceArn=qarn, BatchSize=10)["BatchSize"], 10, "a FIFO batch of 10")

    # ---- CreateFunction with Publish; DeleteFunction ----
    got = lam.create_function(FunctionName="pub", Publish=True, **fn)
    t.eq((got["Version"], got["FunctionArn"]), ("1", "arn:aws:lambda:us-east-1:000000000000:function:pub"),
         "Publish: version 1 under the unqualified ARN")
    got = lam.delete_function(FunctionName="pub")
    t.eq((got["ResponseMetadata"]["HTTPStatusCode"], got.get("StatusCode")), (204, 204), "DeleteFunction: 204")

# ---- TracingConfig and LoggingConfig are kept (stored, echoed, across a restart), not acted on ----
with Server() as s:
    lam = s.client("lambda")
    got = lam.create_function(FunctionName="obs", TracingConfig={"Mode": "Active"}, LoggingConfig={"LogFormat": "JSON"}, **fn)
    t.eq((got["TracingConfig"], got["LoggingConfig"]),
         ({"Mode": "Active"}, {"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "SystemLogLevel": "INFO", "LogGroup": "/aws/lambda/obs"}),
         "CreateFunction echoes them, with the JSON format's default levels")
    lam.update_function_configuration(FunctionName="obs", LoggingConfig={"ApplicationLogLevel": "DEBUG", "LogGroup": "mine"})
    s.restart()
    got = s.client("lambda").get_function_configuration(FunctionName="obs")
    t.eq((got["TracingConfig"], got["LoggingConfig"]),
         ({"Mode": "Active"}, {"LogFormat": "JSON", "ApplicationLogLevel": "DEBUG", "SystemLogLevel": "INFO", "LogGroup": "mine"}),
         "an update merges into them, and they survive a restart")
t.done()
