"""test_lambda_configs_boto3.py - Lambda's further configuration operations with boto3 (and the aws CLI), with
Lambda's answers and error texts as recorded against AWS in LocalStack's
tests/aws/services/lambda_/test_lambda_api.snapshot.json (TestCodeSigningConfig, TestLambdaProvisionedConcurrency):

- code signing configurations: Create/Get/Update/Delete/ListCodeSigningConfigs, their tags, a function's
  (Put/Get/DeleteFunctionCodeSigningConfig, CreateFunction's CodeSigningConfigArn), ListFunctionsByCodeSigningConfig;
- provisioned concurrency: Put/Get/Delete/ListProvisionedConcurrencyConfig(s) per version or alias;
- Get/PutFunctionRecursionConfig and Get/PutRuntimeManagementConfig (defaults and shapes from the model and the API
  reference: Terminate, Auto, RuntimeVersionArn only in Manual mode);
- DeadLetterConfig: stored, echoed, kept by published versions, and an Event invocation that fails all its attempts
  sent to the SQS queue as the developer guide says (the event as the body; RequestID, ErrorCode, ErrorMessage);

all kept over a restart."""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from botocore.config import Config  # noqa: E402
from harness import Checks, Server, zip_of  # noqa: E402

ROLE = "arn:aws:iam::000000000000:role/lambda-role"
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
CSC_ARN = re.compile(r"^arn:aws:lambda:us-east-1:000000000000:code-signing-config:(csc-[0-9a-f]{17})$")
PC_LAST_MODIFIED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")
LAST_MODIFIED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")
CODE = "def handler(event, context):\n    return event\n"
PROFILE = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/test"
MISSING_CSC = "arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0123456789abcdef0"
CSC_NOT_FOUND = "The Lambda code signing configuration %s can not be found."
CSC_GONE = "The code signing configuration cannot be found. Check that the provided configuration is not deleted: %s."


def create_function(lam, name, **kw):
    return lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                               Code={"ZipFile": zip_of({"app.py": CODE})}, **kw)


def body(r):
    r = dict(r)
    r.pop("ResponseMetadata", None)
    return r


def code_signing(t, lam):
    r = lam.create_code_signing_config(Description="Testing CodeSigning Config",
                                       AllowedPublishers={"SigningProfileVersionArns": [PROFILE]},
                                       CodeSigningPolicies={"UntrustedArtifactOnDeployment": "Enforce"})
    t.eq(r["ResponseMetadata"]["HTTPStatusCode"], 201, "create answers 201")
    csc = r["CodeSigningConfig"]
    arn = csc["CodeSigningConfigArn"]
    m = CSC_ARN.match(arn)
    t.true(m, "the ARN: code-signing-config:csc-<17 hex digits>")
    t.eq(csc["CodeSigningConfigId"], m.group(1) if m else None, "the id ends the ARN")
    t.true(LAST_MODIFIED.match(csc["LastModified"]), "LastModified as a function's")
    t.eq({k: v for k, v in csc.items() if k not in ("CodeSigningConfigArn", "CodeSigningConfigId", "LastModified")},
         {"Description": "Testing CodeSigning Config", "AllowedPublishers": {"SigningProfileVersionArns": [PROFILE]},
          "CodeSigningPolicies": {"UntrustedArtifactOnDeployment": "Enforce"}}, "create echoes the configuration")
    other = lam.create_code_signing_config(AllowedPublishers={"SigningProfileVersionArns": [PROFILE]},
                                           Tags={"team": "a", "env": "dev"})["CodeSigningConfig"]
    oarn = other["CodeSigningConfigArn"]
    t.true("Tags" not in other, "tags are not part of the configuration's answer")
    t.eq(lam.list_tags(Resource=oarn)["Tags"], {"team": "a", "env": "dev"}, "ListTags on a configuration's ARN")
    lam.tag_resource(Resource=oarn, Tags={"env": "prod", "k": "v"})
    lam.untag_resource(Resource=oarn, TagKeys=["team"])
    t.eq(lam.list_tags(Resource=oarn)["Tags"], {"env": "prod", "k": "v"}, "TagResource and UntagResource on it")
    t.eq(lam.list_tags(Resource=arn)["Tags"], {}, "a configuration without tags")
    t.refuses(lambda: lam.list_tags(Resource=MISSING_CSC), "ResourceNotFoundException", CSC_NOT_FOUND % MISSING_CSC,
              "ListTags of a missing configuration")
    t.eq((other["Description"], other["CodeSigningPolicies"]), ("", {"UntrustedArtifactOnDeployment": "Warn"}),
         "defaults: no description, policy Warn")

    r = lam.update_code_signing_config(CodeSigningConfigArn=arn, CodeSigningPolicies={"UntrustedArtifactOnDeployment": "Warn"})
    csc = dict(csc, CodeSigningPolicies={"UntrustedArtifactOnDeployment": "Warn"}, LastModified=r["CodeSigningConfig"]["LastModified"])
    t.eq(r["CodeSigningConfig"], csc, "update changes what it names, keeps the rest")
    t.eq(lam.update_code_signing_config(CodeSigningConfigArn=arn)["CodeSigningConfig"]["CodeSigningPolicies"],
         {"UntrustedArtifactOnDeployment": "Warn"}, "an update without changes answers the configuration")
    csc = lam.get_code_signing_config(CodeSigningConfigArn=arn)["CodeSigningConfig"]
    t.eq(csc["CodeSigningPolicies"], {"UntrustedArtifactOnDeployment": "Warn"}, "get")
    listed = lam.list_code_signing_configs()["CodeSigningConfigs"]
    t.eq([c["CodeSigningConfigArn"] for c in listed], [arn, other["CodeSigningConfigArn"]], "list, in creation order")
    t.eq(listed[0], csc, "listed as get shows it")
    page = lam.list_code_signing_configs(MaxItems=1)
    t.eq(([c["CodeSigningConfigArn"] for c in page["CodeSigningConfigs"]], "NextMarker" in page), ([arn], True), "paged")
    page = lam.list_code_signing_configs(MaxItems=1, Marker=page["NextMarker"])
    t.eq(([c["CodeSigningConfigArn"] for c in page["CodeSigningConfigs"]], "NextMarker" in page),
         ([other["CodeSigningConfigArn"]], False), "the second page")

    for what, call in (("get", lam.get_code_signing_config), ("update", lam.update_code_signing_config),
                       ("delete", lam.delete_code_signing_config), ("list functions", lam.list_functions_by_code_signing_config)):
        t.refuses(lambda: call(CodeSigningConfigArn=MISSING_CSC), "ResourceNotFoundException", CSC_NOT_FOUND % MISSING_CSC,
                  what + " of a missing configuration")

    # a function's configuration
    create_function(lam, "signed")
    t.eq(body(lam.get_function_code_signing_config(FunctionName="signed")), {}, "a function without one: an empty answer")
    t.eq(lam.list_functions_by_code_signing_config(CodeSigningConfigArn=arn)["FunctionArns"], [], "no function uses it yet")
    r = lam.put_function_code_signing_config(CodeSigningConfigArn=arn, FunctionName="signed")
    t.eq(body(r), {"CodeSigningConfigArn": arn, "FunctionName": "signed"}, "put")
    t.eq(body(lam.get_function_code_signing_config(FunctionName=ARN + "signed")),
         {"CodeSigningConfigArn": arn, "FunctionName": "signed"}, "get, by ARN")
    t.eq(lam.list_functions_by_code_signing_config(CodeSigningConfigArn=arn)["FunctionArns"], [ARN + "signed"],
         "the functions that use it")
    t.true("CodeSigningConfigArn" not in lam.get_function(FunctionName="signed"), "GetFunction does not show it (not in its model)")
    r = create_function(lam, "born-signed", CodeSigningConfigArn=other["CodeSigningConfigArn"])
    t.eq(body(lam.get_function_code_signing_config(FunctionName="born-signed"))["CodeSigningConfigArn"],
         other["CodeSigningConfigArn"], "CreateFunction's CodeSigningConfigArn")
    t.refuses(lambda: create_function(lam, "bad-csc", CodeSigningConfigArn=MISSING_CSC), "CodeSigningConfigNotFoundException",
              CSC_GONE % MISSING_CSC, "CreateFunction with a missing configuration")
    t.refuses(lambda: lam.get_function(FunctionName="bad-csc"), "ResourceNotFoundException",
              "Function not found: %sbad-csc" % ARN, "... creates nothing")

    t.refuses(lambda: lam.put_function_code_signing_config(CodeSigningConfigArn=MISSING_CSC, FunctionName="signed"),
              "CodeSigningConfigNotFoundException", CSC_GONE % MISSING_CSC, "put of a missing configuration")
    t.refuses(lambda: lam.put_function_code_signing_config(CodeSigningConfigArn=MISSING_CSC, FunctionName="nofn"),
              "CodeSigningConfigNotFoundException", CSC_GONE % MISSING_CSC, "put: the configuration is checked first")
    for what, call in (("put", lambda: lam.put_function_code_signing_config(CodeSigningConfigArn=arn, FunctionName="nofn")),
                       ("get", lambda: lam.get_function_code_signing_config(FunctionName="nofn")),
                       ("delete", lambda: lam.delete_function_code_signing_config(FunctionName="nofn"))):
        t.refuses(call, "ResourceNotFoundException", "Function not found: %snofn" % ARN, what + " for a missing function")
    t.raises(lambda: lam.delete_code_signing_config(CodeSigningConfigArn=arn), "ResourceConflictException",
             "a configuration in use is not deleted")
    return arn


def code_signing_delete(t, lam, arn):
    r = lam.delete_function_code_signing_config(FunctionName="signed")
    t.eq(r["ResponseMetadata"]["HTTPStatusCode"], 204, "delete a function's configuration: 204")
    t.eq(body(lam.get_function_code_signing_config(FunctionName="signed")), {}, "gone")
    t.eq(lam.delete_function_code_signing_config(FunctionName="signed")["ResponseMetadata"]["HTTPStatusCode"], 204,
         "nothing to delete: 204 too")
    t.eq(lam.delete_code_signing_config(CodeSigningConfigArn=arn)["ResponseMetadata"]["HTTPStatusCode"], 204, "delete")
    t.refuses(lambda: lam.get_code_signing_config(CodeSigningConfigArn=arn), "ResourceNotFoundException", CSC_NOT_FOUND % arn,
              "deleted")


def pc(n, status="READY"):
    done = status == "READY"
    return {"RequestedProvisionedConcurrentExecutions": n, "AvailableProvisionedConcurrentExecutions": n if done else 0,
            "AllocatedProvisionedConcurrentExecutions": n if done else 0, "Status": status}


def shown_pc(t, r, what):
    r = body(r)
    t.true(PC_LAST_MODIFIED.match(r.pop("LastModified", "")), what + ": LastModified in seconds, +0000")
    return r


def provisioned(t, lam, raw):
    create_function(lam, "pc")
    lam.publish_version(FunctionName="pc")
    lam.update_function_configuration(FunctionName="pc", Description="changed")
    lam.publish_version(FunctionName="pc")
    lam.create_alias(FunctionName="pc", Name="live", FunctionVersion="1")
    fa = ARN + "pc"
    latest_words = "The function resource provided must be an alias or a published version."
    no_config = "No Provisioned Concurrency Config found for this function"
    t.refuses(lambda: lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="1"),
              "ProvisionedConcurrencyConfigNotFoundException", no_config, "get, none")
    t.refuses(lambda: lam.get_provisioned_concurrency_config(FunctionName="doesnotexist", Qualifier="noalias"),
              "ResourceNotFoundException", "Cannot find alias arn: %sdoesnotexist:noalias" % ARN, "get, no function (alias)")
    t.refuses(lambda: lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="noalias"),
              "ResourceNotFoundException", "Cannot find alias arn: %s:noalias" % fa, "get, no alias")
    t.refuses(lambda: lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="10"),
              "ResourceNotFoundException", "Function not found: %s:10" % fa, "get, no version")
    t.refuses(lambda: lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="$LATEST"),
              "InvalidParameterValueException", latest_words, "get $LATEST")
    t.eq(body(lam.list_provisioned_concurrency_configs(FunctionName="pc")), {"ProvisionedConcurrencyConfigs": []}, "list, none")
    t.refuses(lambda: lam.list_provisioned_concurrency_configs(FunctionName="doesnotexist"), "ResourceNotFoundException",
              "Function not found: %sdoesnotexist" % ARN, "list, no function")
    t.refuses(lambda: lam.delete_provisioned_concurrency_config(FunctionName="doesnotexist", Qualifier="1"),
              "ResourceNotFoundException", "Function not found: %sdoesnotexist:1" % ARN, "delete, no function (version)")
    t.refuses(lambda: lam.delete_provisioned_concurrency_config(FunctionName="pc", Qualifier="noalias"),
              "ResourceNotFoundException", "Cannot find alias arn: %s:noalias" % fa, "delete, no alias")
    t.refuses(lambda: lam.delete_provisioned_concurrency_config(FunctionName="pc", Qualifier="$LATEST"),
              "InvalidParameterValueException", latest_words, "delete $LATEST")
    t.eq(lam.delete_provisioned_concurrency_config(FunctionName="pc", Qualifier="1")["ResponseMetadata"]["HTTPStatusCode"],
         204, "delete, none: 204")
    t.refuses(lambda: raw.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="1", ProvisionedConcurrentExecutions=0),
              "ValidationException", "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to "
              "satisfy constraint: Member must have value greater than or equal to 1", "put 0")
    t.refuses(lambda: lam.put_provisioned_concurrency_config(FunctionName="doesnotexist", Qualifier="noalias",
                                                             ProvisionedConcurrentExecutions=1),
              "ResourceNotFoundException", "Cannot find alias arn: %sdoesnotexist:noalias" % ARN, "put, no function")
    t.refuses(lambda: lam.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="10", ProvisionedConcurrentExecutions=1),
              "ResourceNotFoundException", "Function not found: %s:10" % fa, "put, no version")
    t.refuses(lambda: lam.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="$LATEST",
                                                             ProvisionedConcurrentExecutions=1),
              "InvalidParameterValueException", "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
              "put $LATEST")

    r = lam.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="1", ProvisionedConcurrentExecutions=1)
    t.eq(r["ResponseMetadata"]["HTTPStatusCode"], 202, "put answers 202")
    t.eq(shown_pc(t, r, "put"), pc(1, "IN_PROGRESS"), "put: in progress, nothing allocated yet")
    t.eq(shown_pc(t, lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="1"), "get"), pc(1), "then READY")
    t.refuses(lambda: lam.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="live", ProvisionedConcurrentExecutions=1),
              "ResourceConflictException",
              "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
              "an alias of a provisioned version")
    lam.delete_provisioned_concurrency_config(FunctionName="pc", Qualifier="1")
    t.refuses(lambda: lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="1"),
              "ProvisionedConcurrencyConfigNotFoundException", no_config, "deleted")
    r = lam.put_provisioned_concurrency_config(FunctionName=fa + ":live", Qualifier="live", ProvisionedConcurrentExecutions=3)
    t.eq(shown_pc(t, r, "put alias"), pc(3, "IN_PROGRESS"), "put on an alias, by qualified ARN")
    t.refuses(lambda: lam.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="1", ProvisionedConcurrentExecutions=1),
              "ResourceConflictException", "Version is pointed by a Provisioned Concurrency alias", "a version an alias provisions")
    lam.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="2", ProvisionedConcurrentExecutions=2)
    listed = lam.list_provisioned_concurrency_configs(FunctionName="pc")["ProvisionedConcurrencyConfigs"]
    t.eq([dict(shown_pc(t, x, "list")) for x in listed], [dict(pc(3), FunctionArn=fa + ":live"), dict(pc(2), FunctionArn=fa + ":2")],
         "list: qualified ARNs")
    page = lam.list_provisioned_concurrency_configs(FunctionName="pc", MaxItems=1)
    t.eq(([x["FunctionArn"] for x in page["ProvisionedConcurrencyConfigs"]], "NextMarker" in page), ([fa + ":live"], True), "paged")
    page = lam.list_provisioned_concurrency_configs(FunctionName="pc", MaxItems=1, Marker=page["NextMarker"])
    t.eq([x["FunctionArn"] for x in page["ProvisionedConcurrencyConfigs"]], [fa + ":2"], "second page")
    over_reserved = "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function"
    lam.put_function_concurrency(FunctionName="pc", ReservedConcurrentExecutions=6)
    t.refuses(lambda: lam.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="2", ProvisionedConcurrentExecutions=4),
              "InvalidParameterValueException", over_reserved, "the live alias's 3 and 4 more exceed the reserved 6")
    r = lam.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="2", ProvisionedConcurrentExecutions=3)
    t.eq(r["RequestedProvisionedConcurrentExecutions"], 3, "3 and 3 fill the reserved 6; the qualifier's own old 2 not counted")
    lam.delete_function_concurrency(FunctionName="pc")
    t.refuses(lambda: lam.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="2", ProvisionedConcurrentExecutions=1001),
              "InvalidParameterValueException",
              "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [1000].", "over the account")
    t.refuses(lambda: lam.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="2", ProvisionedConcurrentExecutions=901),
              "InvalidParameterValueException",
              "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum "
              "value of [100].", "leaves less than 100 unreserved")
    lam.put_provisioned_concurrency_config(FunctionName="pc", Qualifier="2", ProvisionedConcurrentExecutions=2)


def provisioned_gone(t, lam):
    fa = ARN + "pc"
    lam.delete_alias(FunctionName="pc", Name="live")
    t.refuses(lambda: lam.get_provisioned_concurrency_config(FunctionName="pc", Qualifier="live"),
              "ResourceNotFoundException", "Cannot find alias arn: %s:live" % fa, "gone with its alias")
    lam.delete_function(FunctionName="pc", Qualifier="2")
    t.eq(lam.list_provisioned_concurrency_configs(FunctionName="pc")["ProvisionedConcurrencyConfigs"], [],
         "gone with its version")


RUNTIME_ARN = "arn:aws:lambda:us-east-1::runtime:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"


def recursion_and_runtime(t, lam):
    create_function(lam, "rc")
    t.eq(body(lam.get_function_recursion_config(FunctionName="rc")), {"RecursiveLoop": "Terminate"}, "recursion: Terminate by default")
    t.eq(body(lam.put_function_recursion_config(FunctionName="rc", RecursiveLoop="Allow")), {"RecursiveLoop": "Allow"}, "put")
    t.eq(body(lam.get_function_recursion_config(FunctionName=ARN + "rc")), {"RecursiveLoop": "Allow"}, "get after put, by ARN")
    t.refuses(lambda: lam.get_function_recursion_config(FunctionName="nofn"), "ResourceNotFoundException",
              "Function not found: %snofn" % ARN, "recursion of a missing function")
    t.refuses(lambda: lam.put_function_recursion_config(FunctionName="nofn", RecursiveLoop="Allow"), "ResourceNotFoundException",
              "Function not found: %snofn" % ARN, "put recursion of a missing function")

    t.eq(body(lam.get_runtime_management_config(FunctionName="rc")), {"UpdateRuntimeOn": "Auto", "FunctionArn": ARN + "rc:$LATEST"},
         "runtime management: Auto by default, no RuntimeVersionArn")
    r = lam.put_runtime_management_config(FunctionName="rc", UpdateRuntimeOn="Manual", RuntimeVersionArn=RUNTIME_ARN)
    manual = {"UpdateRuntimeOn": "Manual", "RuntimeVersionArn": RUNTIME_ARN, "FunctionArn": ARN + "rc:$LATEST"}
    t.eq(body(r), manual, "put Manual")
    t.eq(body(lam.get_runtime_management_config(FunctionName="rc", Qualifier="$LATEST")), manual, "get Manual")
    lam.publish_version(FunctionName="rc")
    t.eq(body(lam.get_runtime_management_config(FunctionName="rc", Qualifier="1")), {"UpdateRuntimeOn": "Auto", "FunctionArn": ARN + "rc:1"},
         "per version: version 1 has its own")
    r = lam.put_runtime_management_config(FunctionName="rc", Qualifier="1", UpdateRuntimeOn="FunctionUpdate")
    t.eq(body(r), {"UpdateRuntimeOn": "FunctionUpdate", "FunctionArn": ARN + "rc:1"}, "put FunctionUpdate on version 1")
    t.eq(body(lam.get_runtime_management_config(FunctionName="rc"))["UpdateRuntimeOn"], "Manual", "$LATEST keeps its own")
    t.refuses(lambda: lam.get_runtime_management_config(FunctionName="rc", Qualifier="7"), "ResourceNotFoundException",
              "Function not found: %src:7" % ARN, "a missing version")
    t.refuses(lambda: lam.put_runtime_management_config(FunctionName="rc", UpdateRuntimeOn="Manual"),
              "InvalidParameterValueException", "RuntimeVersionArn is required when UpdateRuntimeOn is Manual.",
              "Manual without RuntimeVersionArn (awsemu's text)")


FAILING = "def handler(event, context):\n    raise ValueError('boom: ' + str(event.get('n')))\n"


def receive_all(sqs, url, n, timeout=15):
    got, deadline = [], time.time() + timeout
    while len(got) < n and time.time() < deadline:
        got += sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
                                   WaitTimeSeconds=1).get("Messages", [])
    return got


def dead_letters(t, lam, sqs):
    url = sqs.create_queue(QueueName="dlq")["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    r = lam.create_function(FunctionName="dl", Runtime="python3.12", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": zip_of({"app.py": FAILING})}, DeadLetterConfig={"TargetArn": qarn})
    t.eq(r["DeadLetterConfig"], {"TargetArn": qarn}, "CreateFunction echoes DeadLetterConfig")
    t.eq(lam.get_function_configuration(FunctionName="dl")["DeadLetterConfig"], {"TargetArn": qarn}, "and shows it")
    t.eq(lam.publish_version(FunctionName="dl")["DeadLetterConfig"], {"TargetArn": qarn}, "a published version keeps it")
    lam.update_function_configuration(FunctionName="dl", DeadLetterConfig={"TargetArn": ""})
    t.true("DeadLetterConfig" not in lam.get_function_configuration(FunctionName="dl"), "an empty TargetArn removes it")
    t.eq(lam.get_function_configuration(FunctionName="dl", Qualifier="1")["DeadLetterConfig"], {"TargetArn": qarn},
         "... from $LATEST only")
    r = lam.update_function_configuration(FunctionName="dl", DeadLetterConfig={"TargetArn": qarn})
    t.eq(r["DeadLetterConfig"], {"TargetArn": qarn}, "UpdateFunctionConfiguration sets it")

    # one retry (AWSEMU_LAMBDA_RETRY_DELAY_MS apart), then the event goes to the queue
    rid = lam.invoke(FunctionName="dl", InvocationType="Event", Payload=json.dumps({"n": 1}))["ResponseMetadata"]["RequestId"]
    lam.put_function_event_invoke_config(FunctionName="dl", Qualifier="1", MaximumRetryAttempts=0)
    rid1 = lam.invoke(FunctionName="dl", Qualifier="1", InvocationType="Event",
                      Payload=json.dumps({"n": 2}))["ResponseMetadata"]["RequestId"]
    msgs = sorted(receive_all(sqs, url, 2), key=lambda m: m["Body"])
    t.eq([m["Body"] for m in msgs], [json.dumps({"n": 1}), json.dumps({"n": 2})], "the events, as they were sent")
    t.eq([m.get("MessageAttributes") for m in msgs],
         [{"RequestID": {"DataType": "String", "StringValue": rid}, "ErrorCode": {"DataType": "Number", "StringValue": "200"},
           "ErrorMessage": {"DataType": "String", "StringValue": "boom: %d" % n}} for rid, n in ((rid, 1), (rid1, 2))],
         "RequestID, ErrorCode and ErrorMessage")
    lam.update_function_configuration(FunctionName="dl", Handler="app.nothere", DeadLetterConfig={"TargetArn": ""})
    lam.put_function_event_invoke_config(FunctionName="dl", MaximumRetryAttempts=0)
    lam.invoke(FunctionName="dl", InvocationType="Event", Payload=b"{}")
    time.sleep(1)
    t.eq(receive_all(sqs, url, 1, timeout=2), [], "no dead-letter queue, nothing sent")
    return qarn


def cli(t, s):
    _, out, _ = s.cli("lambda", "get-function-code-signing-config", "--function-name", "born-signed")
    t.true(CSC_ARN.match(out["CodeSigningConfigArn"]) and out["FunctionName"] == "born-signed",
           "aws lambda get-function-code-signing-config")
    _, out, _ = s.cli("lambda", "put-function-recursion-config", "--function-name", "rc", "--recursive-loop", "Terminate")
    t.eq(out, {"RecursiveLoop": "Terminate"}, "aws lambda put-function-recursion-config")
    _, out, _ = s.cli("lambda", "get-runtime-management-config", "--function-name", "rc", "--qualifier", "1")
    t.eq(out, {"UpdateRuntimeOn": "FunctionUpdate", "FunctionArn": ARN + "rc:1"}, "aws lambda get-runtime-management-config")


def main():
    t = Checks()
    with Server(env={"AWSEMU_LAMBDA_RETRY_DELAY_MS": "100"}) as s:
        lam = s.client("lambda")
        arn = code_signing(t, lam)
        provisioned(t, lam, s.client("lambda", config=Config(parameter_validation=False)))
        recursion_and_runtime(t, lam)
        dlq = dead_letters(t, lam, s.client("sqs"))
        before = {
            "csc": lam.get_code_signing_config(CodeSigningConfigArn=arn)["CodeSigningConfig"],
            "list": lam.list_code_signing_configs()["CodeSigningConfigs"],
            "fn": body(lam.get_function_code_signing_config(FunctionName="signed")),
            "pc": lam.list_provisioned_concurrency_configs(FunctionName="pc")["ProvisionedConcurrencyConfigs"],
            "recursion": body(lam.get_function_recursion_config(FunctionName="rc")),
            "runtime": [body(lam.get_runtime_management_config(FunctionName="rc", Qualifier=q)) for q in ("$LATEST", "1")],
            "dlq": lam.get_function_configuration(FunctionName="dl", Qualifier="1").get("DeadLetterConfig"),
        }
        s.restart(kill=True)
        lam = s.client("lambda")
        after = {
            "csc": lam.get_code_signing_config(CodeSigningConfigArn=arn)["CodeSigningConfig"],
            "list": lam.list_code_signing_configs()["CodeSigningConfigs"],
            "fn": body(lam.get_function_code_signing_config(FunctionName="signed")),
            "pc": lam.list_provisioned_concurrency_configs(FunctionName="pc")["ProvisionedConcurrencyConfigs"],
            "recursion": body(lam.get_function_recursion_config(FunctionName="rc")),
            "runtime": [body(lam.get_runtime_management_config(FunctionName="rc", Qualifier=q)) for q in ("$LATEST", "1")],
            "dlq": lam.get_function_configuration(FunctionName="dl", Qualifier="1").get("DeadLetterConfig"),
        }
        t.eq(after, before, "the configurations survive a restart")
        t.eq(after["dlq"], {"TargetArn": dlq}, "DeadLetterConfig too")
        provisioned_gone(t, lam)
        code_signing_delete(t, lam, arn)
        cli(t, s)
    t.done()


if __name__ == "__main__":
    main()
