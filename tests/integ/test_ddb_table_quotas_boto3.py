"""test_ddb_table_quotas_boto3.py - DynamoDB's per-table quotas, through boto3, in the words DynamoDB answered the
ack-api-quirks lab with (October 2026): the per-table capacity maximum DescribeLimits reports (40000) caps the
provisioned capacity, OnDemandThroughput maximum and WarmThroughput of a table and of its GSIs, at CreateTable and
UpdateTable (a LimitExceededException); UpdateTimeToLive refuses a change for 31 minutes after the last one (its
own errors first); the table class changes twice in 30 days, then not even to the class it has. The quotas are
kept with the table (across a restart); the server's clock is moved, not waited for. Also the order of the "keys
used" of CreateTable's unused-AttributeDefinitions message (a Java HashSet's)."""
from harness import Checks, Server, attr, key

t = Checks()
REFER = "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."
TTL_AGAIN = "Time to live has been modified multiple times within a fixed interval"
CLASS_SPENT = "Subscriber limit exceeded: Updates to TableClass are limited to 2 times in 30 day(s)."


def limit(fn, want, what):
    t.refuses(fn, "LimitExceededException", want, what)


def above(member, n, index=None):
    of = "%s for index %s" % (member, index) if index else member
    per = "index" if index else "table"
    return ("The requested %s, %d, is above the per %s maximum for the account in us-east-1. Per %s maximum: 40000. %s"
            % (of, n, per, per, REFER))


def exceeds(member, kind, owner, read=True):
    return ("Subscriber limit exceeded: Requested %s for %s for %s exceeds TableMax%sCapacityUnits of the account in "
            "region us-east-1" % (member, kind, owner, "Read" if read else "Write"))


def gsi(name, **extra):
    return dict({"IndexName": name, "KeySchema": [key("g", "HASH")], "Projection": {"ProjectionType": "ALL"}}, **extra)


def pt(r, w):
    return {"ReadCapacityUnits": r, "WriteCapacityUnits": w}


def create(ddb, name, **kw):
    kw.setdefault("BillingMode", "PAY_PER_REQUEST")
    return ddb.create_table(TableName=name, KeySchema=[key("pk", "HASH")],
                            AttributeDefinitions=[attr("pk", "S"), attr("g", "S")] if "GlobalSecondaryIndexes" in kw
                            else [attr("pk", "S")], **kw)


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    limits = ddb.describe_limits()
    t.eq((limits["TableMaxReadCapacityUnits"], limits["TableMaxWriteCapacityUnits"]), (40000, 40000), "DescribeLimits")

    # ---- the per-table maximum: CreateTable ----
    limit(lambda: create(ddb, "big", BillingMode="PROVISIONED", ProvisionedThroughput=pt(40001, 1)),
          above("ReadCapacityUnits", 40001), "CreateTable read above the maximum")
    limit(lambda: create(ddb, "big", BillingMode="PROVISIONED", ProvisionedThroughput=pt(1, 50000)),
          above("WriteCapacityUnits", 50000), "CreateTable write above the maximum")
    limit(lambda: create(ddb, "big", BillingMode="PROVISIONED", ProvisionedThroughput=pt(1, 1),
                         GlobalSecondaryIndexes=[gsi("gsi1", ProvisionedThroughput=pt(40001, 1))]),
          above("ReadCapacityUnits", 40001, "gsi1"), "CreateTable GSI read above the maximum")
    limit(lambda: create(ddb, "big", OnDemandThroughput={"MaxReadRequestUnits": 40001}),
          exceeds("MaxReadRequestUnits", "OnDemandThroughput", "table"), "CreateTable OnDemandThroughput above")
    limit(lambda: create(ddb, "big", WarmThroughput={"WriteUnitsPerSecond": 40001}),
          exceeds("WriteUnitsPerSecond", "WarmThroughput", "table", read=False), "CreateTable WarmThroughput above")
    t.raises(lambda: ddb.describe_table(TableName="big"), "ResourceNotFoundException", "no table was made")
    # the request's own errors come first
    t.refuses(lambda: create(ddb, "big", BillingMode="PROVISIONED", ProvisionedThroughput=pt(40001, 1),
                             OnDemandThroughput={"MaxReadRequestUnits": 5}), "ValidationException",
              "One or more parameter values were invalid: MaxReadRequestUnits for OnDemandThroughput cannot be specified "
              "when table BillingMode is PROVISIONED.", "a ValidationException before the maximum")
    d = create(ddb, "prov", BillingMode="PROVISIONED", ProvisionedThroughput=pt(40000, 40000),
               GlobalSecondaryIndexes=[gsi("gsi1", ProvisionedThroughput=pt(40000, 1))])["TableDescription"]
    t.eq(d["ProvisionedThroughput"]["ReadCapacityUnits"], 40000, "the maximum itself is taken")

    # ---- the per-table maximum: UpdateTable ----
    limit(lambda: ddb.update_table(TableName="prov", ProvisionedThroughput=pt(40001, 40000)),
          above("ReadCapacityUnits", 40001), "UpdateTable read above the maximum")
    limit(lambda: ddb.update_table(TableName="prov", GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "gsi1", "ProvisionedThroughput": pt(40000, 40001)}}]),
          above("WriteCapacityUnits", 40001, "gsi1"), "UpdateTable GSI write above the maximum")
    limit(lambda: ddb.update_table(TableName="prov", AttributeDefinitions=[attr("h", "S")], GlobalSecondaryIndexUpdates=[
        {"Create": {"IndexName": "gsi2", "KeySchema": [key("h", "HASH")], "Projection": {"ProjectionType": "ALL"},
                    "ProvisionedThroughput": pt(40001, 1)}}]),
          above("ReadCapacityUnits", 40001, "gsi2"), "UpdateTable GSI creation above the maximum")
    d = ddb.describe_table(TableName="prov")["Table"]
    t.eq((d["ProvisionedThroughput"]["ReadCapacityUnits"], len(d["GlobalSecondaryIndexes"])), (40000, 1), "nothing changed")
    create(ddb, "odt", GlobalSecondaryIndexes=[gsi("gsi1")])
    limit(lambda: ddb.update_table(TableName="odt", OnDemandThroughput={"MaxReadRequestUnits": 40001}),
          exceeds("MaxReadRequestUnits", "OnDemandThroughput", "table"), "UpdateTable OnDemandThroughput above")
    limit(lambda: ddb.update_table(TableName="odt", WarmThroughput={"ReadUnitsPerSecond": 40001}),
          exceeds("ReadUnitsPerSecond", "WarmThroughput", "table"), "UpdateTable WarmThroughput above")
    limit(lambda: ddb.update_table(TableName="odt", GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "gsi1", "OnDemandThroughput": {"MaxWriteRequestUnits": 40001}}}]),
          exceeds("MaxWriteRequestUnits", "OnDemandThroughput", "index : gsi1", read=False), "GSI OnDemandThroughput above")
    limit(lambda: ddb.update_table(TableName="odt", GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "gsi1", "WarmThroughput": {"ReadUnitsPerSecond": 40001}}}]),
          exceeds("ReadUnitsPerSecond", "WarmThroughput", "index gsi1"), "GSI WarmThroughput above")
    d = ddb.update_table(TableName="odt", WarmThroughput={"ReadUnitsPerSecond": 40000})["TableDescription"]
    t.eq(d["WarmThroughput"]["ReadUnitsPerSecond"], 40000, "WarmThroughput at the maximum is taken")

    # ---- "keys used" in a Java HashSet's order, AttributeDefinitions as sent (DDB-TABLE-127) ----
    t.refuses(lambda: ddb.create_table(
        TableName="unused", KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
        AttributeDefinitions=[attr(n, "S") for n in ("sk", "a", "b", "pk", "c")], BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "gsa", "KeySchema": [key("a", "HASH")], "Projection": {"ProjectionType": "ALL"}}]),
        "ValidationException", "One or more parameter values were invalid: Some AttributeDefinitions are not used. "
        "AttributeDefinitions: [sk, a, b, pk, c], keys used: [a, sk, pk]", "keys used, the lab's example")
    t.refuses(lambda: ddb.create_table(
        TableName="unused", KeySchema=[key("my-hash", "HASH"), key("my-string", "RANGE")],
        AttributeDefinitions=[attr("my-string", "S"), attr("my-int", "N"), attr("my-hash", "S")],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [key("my-string", "HASH")],
                                 "Projection": {"ProjectionType": "ALL"}}]),
        "ValidationException", "One or more parameter values were invalid: Some AttributeDefinitions are not used. "
        "AttributeDefinitions: [my-string, my-int, my-hash], keys used: [my-hash, my-string]", "keys used, a user's")

with Server() as s:
    ddb = s.client("dynamodb")
    create(ddb, "ttl1")
    ttl = lambda on, name="exp": ddb.update_time_to_live(
        TableName="ttl1", TimeToLiveSpecification={"Enabled": on, "AttributeName": name})

    # ---- UpdateTimeToLive: 31 minutes between changes, its own errors first ----
    ttl(True)
    t.refuses(lambda: ttl(False), "ValidationException", TTL_AGAIN, "a change at once is refused")
    t.refuses(lambda: ttl(True), "ValidationException", "TimeToLive is already enabled", "already enabled comes first")
    t.refuses(lambda: ttl(False, "other"), "ValidationException",
              "TimeToLive is active on a different AttributeName: current AttributeName is exp", "another name comes first")
    s.advance_clock(1811 * 1000)
    t.refuses(lambda: ttl(False), "ValidationException", TTL_AGAIN, "still refused at 1811 s")
    s.restart()  # the clock's offset is lost: moved again from the change
    ddb = s.client("dynamodb")
    s.advance_clock(1811 * 1000)
    t.refuses(lambda: ttl(False), "ValidationException", TTL_AGAIN, "still refused after a restart")
    s.advance_clock(50 * 1000)
    t.eq(ttl(False)["TimeToLiveSpecification"]["Enabled"], False, "taken 31 minutes after the change")
    t.refuses(lambda: ttl(True), "ValidationException", TTL_AGAIN, "the change starts a new interval")
    t.refuses(lambda: ttl(False), "ValidationException", "TimeToLive is already disabled", "already disabled comes first")
    t.eq(ddb.describe_time_to_live(TableName="ttl1")["TimeToLiveDescription"]["TimeToLiveStatus"], "DISABLED", "disabled")
    create(ddb, "ttl2")
    t.eq(ddb.update_time_to_live(TableName="ttl2", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
         ["TimeToLiveSpecification"]["Enabled"], True, "per table: another table changes meanwhile")

    # ---- TableClass: two changes in 30 days ----
    create(ddb, "cls")
    cls = lambda c: ddb.update_table(TableName="cls", TableClass=c)["TableDescription"]["TableClassSummary"]["TableClass"]
    t.eq(cls("STANDARD_INFREQUENT_ACCESS"), "STANDARD_INFREQUENT_ACCESS", "first change")
    t.eq(cls("STANDARD_INFREQUENT_ACCESS"), "STANDARD_INFREQUENT_ACCESS", "a re-send is no change")
    t.eq(cls("STANDARD"), "STANDARD", "second change")
    limit(lambda: cls("STANDARD_INFREQUENT_ACCESS"), CLASS_SPENT, "the third change is refused")
    limit(lambda: cls("STANDARD"), CLASS_SPENT, "once spent, the class the table has is refused too")
    s.restart()
    ddb = s.client("dynamodb")
    s.advance_clock(29 * 86400 * 1000)
    limit(lambda: cls("STANDARD_INFREQUENT_ACCESS"), CLASS_SPENT, "still refused after a restart and 29 days")
    s.advance_clock((86400 + 3600) * 1000)  # the changes were made with the clock 31 minutes ahead
    t.eq(cls("STANDARD_INFREQUENT_ACCESS"), "STANDARD_INFREQUENT_ACCESS", "taken 30 days after the first change")
    t.eq(cls("STANDARD"), "STANDARD", "the second change of the window that is 30 days long now")
    limit(lambda: cls("STANDARD_INFREQUENT_ACCESS"), CLASS_SPENT, "a third in 30 days is refused again")

t.done()
