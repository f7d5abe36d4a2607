"""test_ddb_policies_insights_boto3.py - resource-based policies (PutResourcePolicy, GetResourcePolicy,
DeleteResourcePolicy) and Contributor Insights (UpdateContributorInsights, DescribeContributorInsights,
ListContributorInsights) through boto3, as the DynamoDB API reference documents them and as real DynamoDB's
recorded error texts read: a policy per table and per stream, kept (not enforced) with its RevisionId, the
same document put again keeping its revision, ExpectedRevisionId and NO_POLICY checked, DeleteResourcePolicy
idempotent without an expected revision, index and backup ARNs refused, the 20 KB limit and a document that is
not JSON refused; insights per table and per GSI settling at once (the update answers ENABLING/DISABLING, the
describe ENABLED/DISABLED), the rule names, LastUpdateDateTime, the mode, the list's pagination and TableName
filter; both surviving a restart and going with their table."""
import json
import tempfile

from harness import Checks, Server, attr, key

t = Checks()
INVALID = "One or more parameter values were invalid: "
NOT_FOUND = "Resource-based policy not found for the provided ResourceArn: "


def doc(action):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                                               "Action": action, "Resource": "*"}]})


def make_table_with_policy(ddb, name, policy):
    return ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=[key("p", "HASH")],
                            AttributeDefinitions=[attr("p", "S")], ResourcePolicy=policy)


def make_table(ddb, name):
    return ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                            KeySchema=[key("p", "HASH"), key("s", "RANGE")],
                            AttributeDefinitions=[attr("p", "S"), attr("s", "S"), attr("g", "S")],
                            GlobalSecondaryIndexes=[{"IndexName": "byg", "KeySchema": [key("g", "HASH")],
                                                     "Projection": {"ProjectionType": "ALL"}}],
                            StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})["TableDescription"]


def ci_list(ddb, **kw):
    return [(s["TableName"], s.get("IndexName"), s["ContributorInsightsStatus"])
            for s in ddb.list_contributor_insights(**kw)["ContributorInsightsSummaries"]]


data = tempfile.mkdtemp(prefix="awsemu-pol-")
with Server(data_dir=data) as s:
    ddb = s.client("dynamodb")
    desc = make_table(ddb, "pol")
    arn, stream = desc["TableArn"], desc["LatestStreamArn"]

    # ---- resource policies ----
    t.refuses(lambda: ddb.get_resource_policy(ResourceArn=arn), "PolicyNotFoundException", NOT_FOUND + arn, "none yet")
    rev1 = ddb.put_resource_policy(ResourceArn=arn, Policy=doc("dynamodb:GetItem"))["RevisionId"]
    t.true(rev1.isdigit(), "RevisionId is a number")
    got = ddb.get_resource_policy(ResourceArn=arn)
    t.eq((got["Policy"], got["RevisionId"]), (doc("dynamodb:GetItem"), rev1), "get returns what was put")
    t.eq(ddb.put_resource_policy(ResourceArn=arn, Policy=doc("dynamodb:GetItem"))["RevisionId"], rev1,
         "the same document again keeps its revision")
    t.refuses(lambda: ddb.put_resource_policy(ResourceArn=arn, Policy=doc("dynamodb:Query"), ExpectedRevisionId="NO_POLICY"),
              "PolicyNotFoundException", NOT_FOUND + "Requested policy update expecting none to be present for table pol, "
              "but a policy exists with revision id %s." % rev1, "NO_POLICY with a policy")
    t.refuses(lambda: ddb.put_resource_policy(ResourceArn=arn, Policy=doc("dynamodb:Query"), ExpectedRevisionId="1"),
              "PolicyNotFoundException", NOT_FOUND + "Requested update for policy with revision id 1, but the policy "
              "associated to target table pol has revision id %s." % rev1, "another expected revision")
    rev2 = ddb.put_resource_policy(ResourceArn=arn, Policy=doc("dynamodb:Query"), ExpectedRevisionId=rev1,
                                   ConfirmRemoveSelfResourceAccess=True)["RevisionId"]
    t.true(int(rev2) > int(rev1), "a new document gets a later revision")
    t.refuses(lambda: ddb.get_resource_policy(ResourceArn=stream), "PolicyNotFoundException", NOT_FOUND + stream,
              "the stream has a policy of its own")
    srev = ddb.put_resource_policy(ResourceArn=stream, Policy=doc("dynamodb:GetRecords"),
                                   ExpectedRevisionId="NO_POLICY")["RevisionId"]
    t.eq(ddb.get_resource_policy(ResourceArn=stream)["Policy"], doc("dynamodb:GetRecords"), "stream policy")
    t.refuses(lambda: ddb.get_resource_policy(ResourceArn=arn + "/stream/2000-01-01T00:00:00.000"),
              "ResourceNotFoundException", "Requested resource not found: Stream: 2000-01-01T00:00:00.000 not found for "
              "Table: pol", "another stream label")
    t.refuses(lambda: ddb.get_resource_policy(ResourceArn=arn + "/index/byg"), "ValidationException",
              INVALID + "Invalid resource arn provided, only table or stream is accepted. Provided resource arn: "
              + arn + "/index/byg", "index ARN")
    t.refuses(lambda: ddb.get_resource_policy(ResourceArn="pol"), "ValidationException",
              INVALID + "ARNs must start with 'arn:': pol", "bare name")
    # another region's, partition's, service's or account's ARN, in the policy operations' words (DDB-TABLE-442)
    for other, msg, what in [
            (arn.replace(":us-east-1:", ":eu-west-1:"), INVALID + "Invalid resource Arn: ", "another region"),
            (arn.replace("arn:aws:", "arn:aws-cn:"), INVALID + "Invalid resource Arn: ", "another partition"),
            ("arn:aws:s3:::bucket", INVALID + "Provided Arn is not a DynamoDB resource arn: ", "another service"),
            (arn.replace(":000000000000:", ":111111111111:"), None, "another account")]:
        t.refuses(lambda: ddb.get_resource_policy(ResourceArn=other), "ValidationException",
                  msg + other if msg else "This action is only supported by accounts that match the resource owner\u2019s "
                  "account.", "GetResourcePolicy of " + what)
    t.refuses(lambda: ddb.get_resource_policy(ResourceArn=arn + "x"), "ResourceNotFoundException",
              "Requested resource not found: Table: polx not found", "missing table")
    # policy documents in the words of IAM's grammar as DynamoDB relays them (the ack-api-quirks lab's DDB-TABLE-442/457)
    bad_doc = INVALID + "Invalid policy document: "
    for policy, want, what in [
            ("{not json", bad_doc + "This policy contains invalid Json", "not JSON"),
            ("", bad_doc + "This policy contains invalid Json", "empty"),
            ("[]", bad_doc + "This policy contains invalid Json", "an array"),
            ("null", bad_doc + "This text appears not to be a policy", "null"),
            ("{}", bad_doc + "Syntax error at position (1,3)", "an empty object"),
            ('{"Version":"2012-10-17","Statement":[]}', bad_doc + "Could not parse the policy: Statement is empty!",
             "no statements"),
            ('{"Version":"2012-10-17","Statement":[{}]}', bad_doc + "Missing required field Effect", "a statement without Effect"),
            (json.dumps({"Version": "2012-10-17", "Statement": [
                {"Sid": "a", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "dynamodb:GetItem", "Resource": "*"},
                {"Sid": "a", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "dynamodb:PutItem", "Resource": "*"}]}),
             bad_doc + "The Statement Ids in the policy are not unique", "a Sid twice")]:
        t.refuses(lambda: ddb.put_resource_policy(ResourceArn=arn, Policy=policy), "ValidationException", want, what)
    big = json.dumps({"Version": "2012-10-17", "Statement": [], "Id": "x" * 20480})
    t.refuses(lambda: ddb.put_resource_policy(ResourceArn=arn, Policy=big), "ValidationException",
              INVALID + "Maximum policy size of 20480 bytes exceeded", "over 20 KB")
    # CreateTable's ResourcePolicy is checked alike and attached
    t.refuses(lambda: make_table_with_policy(ddb, "polbad", "{}"), "ValidationException",
              bad_doc + "Syntax error at position (1,3)", "CreateTable with a bad ResourcePolicy")
    t.raises(lambda: ddb.describe_table(TableName="polbad"), "ResourceNotFoundException", "and creates nothing then")
    made = make_table_with_policy(ddb, "polmade", doc("dynamodb:Query"))["TableDescription"]["TableArn"]
    got = ddb.get_resource_policy(ResourceArn=made)
    t.eq((got["Policy"], got["RevisionId"].isdigit()), (doc("dynamodb:Query"), True), "CreateTable attaches its ResourcePolicy")

    # ---- Contributor Insights ----
    d = ddb.describe_contributor_insights(TableName="pol")
    t.eq((d["ContributorInsightsStatus"], "ContributorInsightsRuleList" in d, "LastUpdateDateTime" in d),
         ("DISABLED", False, False), "never enabled")
    u = ddb.update_contributor_insights(TableName="pol", ContributorInsightsAction="ENABLE")
    t.eq((u["TableName"], u["ContributorInsightsStatus"], u["ContributorInsightsMode"]),
         ("pol", "ENABLING", "ACCESSED_AND_THROTTLED_KEYS"), "update answers ENABLING")
    d = ddb.describe_contributor_insights(TableName=arn)
    ms = int(round(d["LastUpdateDateTime"].timestamp() * 1000))
    t.eq((d["TableName"], d["ContributorInsightsStatus"], d["ContributorInsightsRuleList"]),
         ("pol", "ENABLED", ["DynamoDBContributorInsights-%s-pol-%d" % (k, ms) for k in ("PKC", "SKC", "PKT", "SKT")]),
         "settled at once, with the four rules")
    u = ddb.update_contributor_insights(TableName="pol", IndexName="byg", ContributorInsightsAction="ENABLE",
                                        ContributorInsightsMode="THROTTLED_KEYS")
    t.eq((u["IndexName"], u["ContributorInsightsStatus"]), ("byg", "ENABLING"), "index update")
    d = ddb.describe_contributor_insights(TableName="pol", IndexName="byg")
    ms = int(round(d["LastUpdateDateTime"].timestamp() * 1000))
    t.eq((d["IndexName"], d["ContributorInsightsMode"], d["ContributorInsightsRuleList"]),
         ("byg", "THROTTLED_KEYS", ["DynamoDBContributorInsights-PKT-pol-%d" % ms]), "hash-only GSI, throttled keys only")
    t.refuses(lambda: ddb.describe_contributor_insights(TableName="pol", IndexName="nope"), "ResourceNotFoundException",
              "Requested resource not found: Index: nope not found for table: pol", "missing index")
    t.refuses(lambda: ddb.update_contributor_insights(TableName="nope", ContributorInsightsAction="ENABLE"),
              "ResourceNotFoundException", "Requested resource not found: Table: nope not found", "missing table")
    make_table(ddb, "pol2")
    ddb.update_contributor_insights(TableName="pol2", ContributorInsightsAction="ENABLE")
    t.eq(ddb.update_contributor_insights(TableName="pol2", ContributorInsightsAction="DISABLE")["ContributorInsightsStatus"],
         "DISABLING", "update answers DISABLING")
    d = ddb.describe_contributor_insights(TableName="pol2")
    t.eq((d["ContributorInsightsStatus"], "ContributorInsightsRuleList" in d, "LastUpdateDateTime" in d),
         ("DISABLED", False, True), "disabled at once, its time kept")
    # as DynamoDB answered the ack-api-quirks lab in October 2026 (DDB-TABLE-089/090/095/343): the list leaves out
    # what is disabled, asking for the settled state answers it and changes nothing, a disabled table keeps its mode
    t.eq((d.get("ContributorInsightsMode"), ddb.update_contributor_insights(
        TableName="pol2", ContributorInsightsAction="DISABLE")["ContributorInsightsStatus"]),
         ("ACCESSED_AND_THROTTLED_KEYS", "DISABLED"), "a disabled table keeps its mode; DISABLE again answers DISABLED")
    t.eq(ddb.describe_contributor_insights(TableName="pol2")["LastUpdateDateTime"], d["LastUpdateDateTime"],
         "and changes nothing")
    t.eq(ddb.update_contributor_insights(TableName="pol", ContributorInsightsAction="ENABLE")["ContributorInsightsStatus"],
         "ENABLED", "ENABLE of an enabled table in its mode answers ENABLED")
    make_table(ddb, "pol3")
    t.eq(ddb.update_contributor_insights(TableName="pol3", ContributorInsightsAction="DISABLE")["ContributorInsightsStatus"],
         "DISABLED", "DISABLE of a table never enabled answers DISABLED")
    t.eq("LastUpdateDateTime" in ddb.describe_contributor_insights(TableName="pol3"), False, "and sets no time")
    ddb.update_contributor_insights(TableName="pol3", ContributorInsightsAction="ENABLE")
    ddb.update_contributor_insights(TableName="pol3", IndexName="byg", ContributorInsightsAction="ENABLE")
    t.eq(ci_list(ddb), [("pol", None, "ENABLED"), ("pol", "byg", "ENABLED"), ("pol3", None, "ENABLED"),
                        ("pol3", "byg", "ENABLED")], "list: every enabled table and GSI, no disabled one")
    t.eq(ci_list(ddb, TableName="pol2"), [], "list of a table with insights disabled")
    page = ddb.list_contributor_insights(MaxResults=3)
    t.eq((len(page["ContributorInsightsSummaries"]), "NextToken" in page), (3, True), "first page")
    page = ddb.list_contributor_insights(MaxResults=3, NextToken=page["NextToken"])
    t.eq(([(x["TableName"], x.get("IndexName")) for x in page["ContributorInsightsSummaries"]], "NextToken" in page),
         ([("pol3", "byg")], False), "last page")

    # ---- both survive a restart and go with their table ----
    s.restart()
    ddb = s.client("dynamodb")
    t.eq(ddb.get_resource_policy(ResourceArn=arn)["RevisionId"], rev2, "policy after restart")
    t.eq(ddb.get_resource_policy(ResourceArn=stream)["RevisionId"], srev, "stream policy after restart")
    t.eq(ddb.describe_contributor_insights(TableName="pol", IndexName="byg")["ContributorInsightsStatus"], "ENABLED",
         "insights after restart")
    t.refuses(lambda: ddb.delete_resource_policy(ResourceArn=arn, ExpectedRevisionId=rev1), "PolicyNotFoundException",
              NOT_FOUND + "Requested update for policy with revision id %s, but the policy associated to target table pol "
              "has revision id %s." % (rev1, rev2), "delete with another expected revision")
    t.eq(ddb.delete_resource_policy(ResourceArn=arn, ExpectedRevisionId=rev2)["RevisionId"], rev2, "delete")
    t.eq("RevisionId" in ddb.delete_resource_policy(ResourceArn=arn), False, "delete again: no error, no revision")
    t.refuses(lambda: ddb.delete_resource_policy(ResourceArn=arn, ExpectedRevisionId=rev2), "PolicyNotFoundException",
              NOT_FOUND + arn, "expected revision with no policy")
    ddb.put_resource_policy(ResourceArn=arn, Policy=doc("dynamodb:Scan"))
    ddb.delete_table(TableName="pol")
    make_table(ddb, "pol")
    t.refuses(lambda: ddb.get_resource_policy(ResourceArn=arn), "PolicyNotFoundException", NOT_FOUND + arn,
              "a table made again has no policy")
    t.eq(ci_list(ddb, TableName="pol"), [], "nor insights")
    t.eq(ddb.describe_contributor_insights(TableName="pol")["ContributorInsightsStatus"], "DISABLED", "nor insights (describe)")
t.done()
