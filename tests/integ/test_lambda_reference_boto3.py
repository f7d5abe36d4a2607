"""test_lambda_reference_boto3.py - Lambda control-plane answers checked against responses recorded from real
AWS (the AWS-validated snapshots of LocalStack's Lambda API tests), where awsemu answered differently: the
error body names its message member as the model's exception shape does ("message" for
InvalidParameterValueException and ResourceConflictException, "Message" for ResourceNotFoundException),
DeleteFunction refuses $LATEST before looking the function up and deletes a missing version as a no-op,
lists leave out State and LastUpdateStatus, an empty Environment given is echoed as {"Variables": {}}, and
PublishVersion publishes anew after any update of $LATEST (a Description alone), else answers the last version;
CreateAlias's routing checks in AWS's order and words, Coral's rendering of Double values and bounds and of
element constraints ("Member must not be null" last, but for environment variable names), and
PutFunctionConcurrency's refusal of versions and aliases, and AddPermission's refusal of $LATEST and of principals
that are no service, account, IAM ARN or "*", and the policy operations' words for what is missing; CreateEventSourceMapping without a source, or for a missing
function (checked before the queue); TagResource/UntagResource on a version or alias, TagResource without tags."""
import json

from botocore.config import Config

from harness import Checks, Server, zip_of

t = Checks()
ROLE = "arn:aws:iam::000000000000:role/r"
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def error(fn, code, want, what):
    """fn raises code with message want; returns the error response."""
    e = t.refuses(fn, code, want, what)
    return e.response if e is not None else {}


fn = dict(Runtime="python3.12", Role=ROLE, Handler="handler.handler",
          Code={"ZipFile": zip_of({"handler.py": "def handler(event, context):\n    return event\n"})})
with Server(in_memory=True) as s:
    lam = s.client("lambda")

    # ---- the message member of the error body, spelled as the exception shape spells it ----
    derived = "The derived qualifier from the function name does not match the specified qualifier."
    got = error(lambda: lam.get_function(FunctionName=ARN + "some-function:1", Qualifier="$LATEST"),
                "InvalidParameterValueException", derived, "a qualifier unlike the ARN's")
    t.eq((got.get("Type"), got.get("message"), "Message" in got), ("User", derived, False),
         "InvalidParameterValueException: Type and a lowercase message")
    got = error(lambda: lam.get_function(FunctionName="nope"), "ResourceNotFoundException",
                "Function not found: " + ARN + "nope", "a missing function")
    t.eq((got.get("Type"), got.get("Message"), "message" in got), ("User", "Function not found: " + ARN + "nope", False),
         "ResourceNotFoundException: Type and a capitalized Message")

    # ---- DeleteFunction with a qualifier ----
    latest = "$LATEST version cannot be deleted without deleting the function."
    error(lambda: lam.delete_function(FunctionName=ARN + "nope:$LATEST", Qualifier="$LATEST"),
          "InvalidParameterValueException", latest, "deleting $LATEST of a missing function")
    lam.create_function(FunctionName="del", **fn)
    error(lambda: lam.delete_function(FunctionName="del", Qualifier="$LATEST"), "InvalidParameterValueException", latest,
          "deleting $LATEST")
    for i in range(2):
        got = lam.delete_function(FunctionName="del", Qualifier="1233")
        t.eq(got["ResponseMetadata"]["HTTPStatusCode"], 204, "deleting a version that does not exist is a no-op (%d)" % i)
    lam.delete_function(FunctionName="del")
    error(lambda: lam.delete_function(FunctionName="del", Qualifier="1233"), "ResourceNotFoundException",
          "Function not found: " + ARN + "del", "a missing function is named without the qualifier")

    # ---- lists leave out the state members ----
    lam.create_function(FunctionName="lst", Publish=True, **fn)
    state = ("State", "StateReason", "StateReasonCode", "LastUpdateStatus")
    listed = lam.list_versions_by_function(FunctionName="lst")["Versions"] + \
        lam.list_functions(FunctionVersion="ALL")["Functions"]
    t.eq([[k for k in state if k in v] for v in listed], [[]] * 4, "ListVersionsByFunction and ListFunctions: no state")
    got = lam.get_function_configuration(FunctionName="lst")
    t.eq((got["State"], got["LastUpdateStatus"]), ("Active", "Successful"), "GetFunctionConfiguration shows it")

    # ---- Environment ----
    got = lam.create_function(FunctionName="env", Environment={"Variables": {}}, **fn)
    t.eq(got.get("Environment"), {"Variables": {}}, "CreateFunction echoes empty Variables given")
    t.eq(lam.get_function_configuration(FunctionName="env").get("Environment"), {"Variables": {}}, "and keeps them")
    t.eq("Environment" in lam.get_function_configuration(FunctionName="lst"), False, "no Environment when none was given")
    lam.update_function_configuration(FunctionName="env", Environment={"Variables": {"AB": "1"}})
    got = lam.update_function_configuration(FunctionName="env", Environment={"Variables": {}})
    t.eq(got.get("Environment"), {"Variables": {}}, "variables set to none")

    # ---- PublishVersion: a new version exactly when $LATEST changed since the last one ----
    lam.create_function(FunctionName="pub", Description="No version :(", **fn)
    lam.update_function_configuration(FunctionName="pub", Description="First version :)")
    got = lam.publish_version(FunctionName="pub", Description="First version description :)")
    t.eq((got["Version"], got["Description"]), ("1", "First version description :)"), "first publish")
    got = lam.publish_version(FunctionName="pub", Description="again")
    t.eq((got["Version"], got["Description"]), ("1", "First version description :)"), "no change: the last version")
    lam.update_function_configuration(FunctionName="pub", Description="Second version :))")
    got = lam.publish_version(FunctionName="pub")
    t.eq((got["Version"], got["Description"]), ("2", "Second version :))"), "a new Description is a change")
    got = lam.publish_version(FunctionName="pub", Description="Third version description :)))")
    t.eq((got["Version"], got["Description"]), ("2", "Second version :))"), "and publishing twice is not")

    # ---- aliases and their routing ----
    lam.create_function(FunctionName="al", Publish=True, **fn)
    lam.update_function_configuration(FunctionName="al", Description="two")
    lam.publish_version(FunctionName="al")

    def alias(**kw):
        args = dict(FunctionName="al", Name="custom", FunctionVersion="1")
        args.update(kw)
        return lambda: nocheck.create_alias(**args)

    nocheck = s.client("lambda", config=Config(parameter_validation=False, retries={"max_attempts": 1}))
    error(alias(RoutingConfig={"AdditionalVersionWeights": {"1": 0.8, "2": 0.2}}), "InvalidParameterValueException",
          "Number of items in AdditionalVersionWeights cannot be greater than 1", "two weights")
    weights = "1 validation error detected: Value '{2=%s}' at 'routingConfig.additionalVersionWeights' failed to satisfy " \
        "constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have " \
        "value greater than or equal to 0.0, Member must not be null]"
    for w, shown in ((2, "2.0"), (-1, "-1.0"), (1.5, "1.5"), (12345678, "1.2345678E7")):
        error(alias(RoutingConfig={"AdditionalVersionWeights": {"2": w}}), "ValidationException", weights % shown,
              "weight %r (a Double, as Java prints it)" % w)
    error(alias(FunctionVersion="$LATEST", RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}}),
          "InvalidParameterValueException", "$LATEST is not supported for an alias pointing to more than 1 version",
          "$LATEST with routing")
    error(alias(FunctionName="al-unknown", RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}}),
          "ResourceNotFoundException", "Function not found: " + ARN + "al-unknown:1", "a missing function: named with the version")
    error(alias(RoutingConfig={"AdditionalVersionWeights": {"$LATEST": 0.5}}), "ValidationException",
          "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy "
          "constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have "
          "length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]",
          "a weight for $LATEST")
    error(lambda: lam.create_function(FunctionName="arch", Architectures=["X86_64"], **fn), "ValidationException",
          "1 validation error detected: Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy "
          "constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]", "an architecture")
    error(lambda: lam.update_function_configuration(FunctionName="al", Environment={"Variables": {"1FOO": "secret"}}),
          "ValidationException", "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: "
          "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
          "an environment variable name (a secret: no 'not null')")
    got = lam.create_alias(FunctionName="al", Name="custom", FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}})
    t.eq(got["RoutingConfig"], {"AdditionalVersionWeights": {"2": 0.5}}, "a weighted alias")
    got = lam.update_alias(FunctionName="al", Name="custom", RoutingConfig={"AdditionalVersionWeights": {}})
    t.eq("RoutingConfig" in got, False, "empty weights remove the routing")

    # ---- PutFunctionConcurrency: functions only ----
    error(lambda: lam.put_function_concurrency(FunctionName="doesnotexist", ReservedConcurrentExecutions=0),
          "ResourceNotFoundException", "Function not found: " + ARN + "doesnotexist:$LATEST", "a missing function, as its $LATEST")
    only = "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. " \
        "Please specify either a function name or an unqualified function ARN."
    for q in ("$LATEST", "1"):
        error(lambda: lam.put_function_concurrency(FunctionName=ARN + "al:" + q, ReservedConcurrentExecutions=0),
              "InvalidParameterValueException", only, "a qualified ARN (" + q + ")")
    t.eq(lam.put_function_concurrency(FunctionName=ARN + "al", ReservedConcurrentExecutions=0)["ReservedConcurrentExecutions"],
         0, "the unqualified ARN")

    # ---- AddPermission ----
    def permit(**kw):
        args = dict(FunctionName="al", Action="lambda:InvokeFunction", StatementId="s3", Principal="s3.amazonaws.com")
        args.update(kw)
        return lambda: lam.add_permission(**args)

    for name, q in (("al:$LATEST", "$LATEST"), ("al", "$LATEST"), ("al:$LATEST", None)):
        error(permit(FunctionName=name, **({"Qualifier": q} if q else {})), "InvalidParameterValueException",
              "We currently do not support adding policies for $LATEST.", "a policy for $LATEST (%s, %s)" % (name, q))
    error(permit(Principal="invalid.nonaws.com"), "InvalidParameterValueException",
          "The provided principal was invalid. Please check the principal and try again.", "a principal of no kind")
    principals = {"*": "*", "alexa-appkit.amazon.com": {"Service": "alexa-appkit.amazon.com"},
                  "111122223333": {"AWS": "arn:aws:iam::111122223333:root"},
                  "arn:aws:iam::111122223333:role/r": {"AWS": "arn:aws:iam::111122223333:role/r"}}
    lam.create_function(FunctionName="pol", **fn)
    error(lambda: lam.remove_permission(FunctionName="pol", StatementId="s3"), "ResourceNotFoundException",
          "No policy is associated with the given resource.", "RemovePermission without a policy")
    error(lambda: lam.remove_permission(FunctionName="doesnotexist", StatementId="s3"), "ResourceNotFoundException",
          "No policy found for: " + ARN + "doesnotexist", "RemovePermission on a missing function")
    for q in ("alias-doesnotexist", "x1"):
        error(permit(FunctionName="pol:" + q), "ResourceNotFoundException", "Cannot find alias arn: " + ARN + "pol:" + q,
              "AddPermission for a missing alias " + q)
        error(lambda: lam.remove_permission(FunctionName="pol", StatementId="s3", Qualifier=q), "ResourceNotFoundException",
              "Cannot find alias arn: " + ARN + "pol:" + q, "RemovePermission for a missing alias " + q)
    for q in ("42", "valid-with-$-but-doesnotexist"):
        error(permit(FunctionName="pol", Qualifier=q), "ResourceNotFoundException", "Function not found: " + ARN + "pol:" + q,
              "AddPermission for a missing version " + q)
    error(lambda: lam.get_policy(FunctionName="pol", Qualifier="77"), "ResourceNotFoundException",
          "The resource you requested does not exist.", "GetPolicy of a missing version")
    error(lambda: lam.get_policy(FunctionName="doesnotexist"), "ResourceNotFoundException",
          "Function not found: " + ARN + "doesnotexist", "GetPolicy of a missing function")
    for i, (given, shown) in enumerate(principals.items()):
        got = json.loads(permit(StatementId="p%d" % i, Principal=given)()["Statement"])
        t.eq(got["Principal"], shown, "principal " + given)
    error(lambda: lam.remove_permission(FunctionName="al", StatementId="nope"), "ResourceNotFoundException",
          "Statement nope is not found in resource policy.", "RemovePermission of a missing statement")

    # ---- CreateEventSourceMapping ----
    error(lambda: lam.create_event_source_mapping(FunctionName="doesnotexist"), "InvalidParameterValueException",
          "Unrecognized event source.", "a mapping without EventSourceArn")
    error(lambda: lam.create_event_source_mapping(FunctionName="doesnotexist",
                                                  EventSourceArn="arn:aws:sqs:us-east-1:111111111111:somequeue"),
          "InvalidParameterValueException", "Function does not exist", "a missing function, before the missing queue")

    # ---- tags: functions only, and some tags ----
    versions = "Tags on function aliases and versions are not supported. Please specify a function ARN."
    for q in (":1", ":$LATEST", ":custom", ":v1"):
        error(lambda: lam.tag_resource(Resource=ARN + "al" + q, Tags={"k": "v"}), "InvalidParameterValueException", versions,
              "TagResource on al" + q)
        error(lambda: lam.untag_resource(Resource=ARN + "al" + q, TagKeys=["k"]), "InvalidParameterValueException", versions,
              "UntagResource on al" + q)
    error(lambda: lam.tag_resource(Resource=ARN + "al", Tags={}), "InvalidParameterValueException",
          "An error occurred and the request cannot be processed.", "TagResource without tags")
    t.eq(lam.list_tags(Resource=ARN + "al")["Tags"], {}, "nothing was tagged")

with Server() as s:
    lam = s.client("lambda")
    lam.create_function(FunctionName="pub", Publish=True, **fn)
    lam.create_function(FunctionName="none", **fn)
    lam.create_function(FunctionName="empty", Environment={"Variables": {}}, **fn)
    s.restart()
    lam = s.client("lambda")
    t.eq([lam.get_function_configuration(FunctionName=n).get("Environment") for n in ("none", "empty")],
         [None, {"Variables": {}}], "no Environment and an empty one survive a restart")
    t.eq(lam.publish_version(FunctionName="pub")["Version"], "1", "what a version was published from survives a restart")
t.done()
