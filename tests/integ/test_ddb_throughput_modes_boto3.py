"""test_ddb_throughput_modes_boto3.py - a table's and a GSI's OnDemandThroughput (the most an on-demand table may
read and write a second) and WarmThroughput (what it can take at once), through boto3: they are checked as
DynamoDB checks them (a maximum only with PAY_PER_REQUEST, at least 1, -1 in an UpdateTable removing it; a warm
throughput not below on-demand's initial 12,000 reads and 4,000 writes a second, nor below the provisioned
capacity, and never decreased), kept with the table definition (across a restart), and described: the maximum
while one is set, the warm throughput always (following the highest capacity provisioned). DynamoDB's messages
are the ones its service returns, as recorded by probes of the live service; awsemu reports, never throttles."""
from harness import Checks, Server, attr, key

t = Checks()
INVALID = "One or more parameter values were invalid: "
INITIAL = ("is lower than initial throughput for OnDemand. See: https://docs.aws.amazon.com/amazondynamodb/latest/"
           "developerguide/on-demand-capacity-mode.html#on-demand-capacity-mode-initial")


def validation(fn, want, what):
    t.refuses(fn, "ValidationException", INVALID + want, what)


def gsi(name, **extra):
    return dict({"IndexName": name, "KeySchema": [key("g", "HASH")], "Projection": {"ProjectionType": "ALL"}}, **extra)


def create(ddb, name, **kw):
    kw.setdefault("BillingMode", "PAY_PER_REQUEST")
    return ddb.create_table(TableName=name, KeySchema=[key("pk", "HASH")],
                            AttributeDefinitions=[attr("pk", "S"), attr("g", "S")] if "GlobalSecondaryIndexes" in kw
                            else [attr("pk", "S")], **kw)["TableDescription"]


def warm(read, write):
    return {"ReadUnitsPerSecond": read, "WriteUnitsPerSecond": write, "Status": "ACTIVE"}


def odt(read=None, write=None):
    return {k: v for k, v in (("MaxReadRequestUnits", read), ("MaxWriteRequestUnits", write)) if v is not None}


def desc(ddb, name):
    return ddb.describe_table(TableName=name)["Table"]


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")

    # ---- CreateTable ----
    d = create(ddb, "plain")
    t.eq((d.get("OnDemandThroughput"), "WarmThroughput" in d, d["BillingModeSummary"]), (None, False, {
        "BillingMode": "PAY_PER_REQUEST"}), "no maximum unless one is set; CreateTable's answer has no WarmThroughput "
         "unless asked for and no LastUpdateToPayPerRequestDateTime (the ack-api-quirks lab's DDB-TABLE-033)")
    d = desc(ddb, "plain")
    t.eq((d["WarmThroughput"], "LastUpdateToPayPerRequestDateTime" in d["BillingModeSummary"]), (warm(12000, 4000), True),
         "an on-demand table starts warm at 12000/4000")
    create(ddb, "prov", BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3})
    t.eq(desc(ddb, "prov")["WarmThroughput"], warm(5, 3), "a provisioned table is warm to its capacity")
    d = create(ddb, "capped", OnDemandThroughput=odt(100), WarmThroughput={"ReadUnitsPerSecond": 15000},
               GlobalSecondaryIndexes=[gsi("gi1", OnDemandThroughput=odt(7, 8),
                                           WarmThroughput={"ReadUnitsPerSecond": 20000, "WriteUnitsPerSecond": 9000})])
    t.eq(d["OnDemandThroughput"], odt(100), "one member of OnDemandThroughput")
    t.eq(d["WarmThroughput"], warm(15000, 4000), "one member of WarmThroughput, the other at its floor")
    t.eq(d["GlobalSecondaryIndexes"][0]["OnDemandThroughput"], odt(7, 8), "a GSI's maximum")
    t.eq(d["GlobalSecondaryIndexes"][0]["WarmThroughput"], warm(20000, 9000), "a GSI's warm throughput")
    t.eq(desc(ddb, "capped")["OnDemandThroughput"], odt(100), "DescribeTable shows the maximum")

    for bad, member in ((odt(0, 5), "MaxReadRequestUnits"), (odt(-1, -1), "MaxReadRequestUnits"),
                        (odt(5, -2), "MaxWriteRequestUnits")):
        validation(lambda: create(ddb, "bad", OnDemandThroughput=bad),
                   "Requested %s for OnDemandThroughput for table is outside of valid range" % member,
                   "CreateTable OnDemandThroughput %r" % bad)
    validation(lambda: create(ddb, "bad", GlobalSecondaryIndexes=[gsi("g-a", OnDemandThroughput=odt(-1))]),
               "Requested MaxReadRequestUnits for OnDemandThroughput for index : g-a is outside of valid range",
               "a GSI's -1 maximum at creation")
    validation(lambda: create(ddb, "bad", BillingMode="PROVISIONED", OnDemandThroughput=odt(10, 10),
                              ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}),
               "MaxReadRequestUnits for OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED.",
               "a maximum on a provisioned table")
    validation(lambda: create(ddb, "bad", WarmThroughput={"ReadUnitsPerSecond": 1, "WriteUnitsPerSecond": 1}),
               "Requested ReadUnitsPerSecond for WarmThroughput for table " + INITIAL, "warm below the initial")
    validation(lambda: create(ddb, "bad", GlobalSecondaryIndexes=[gsi("g-a", WarmThroughput={"WriteUnitsPerSecond": 5})]),
               "Requested WriteUnitsPerSecond for WarmThroughput for index g-a " + INITIAL, "a GSI's warm below")
    validation(lambda: create(ddb, "bad", BillingMode="PROVISIONED", WarmThroughput={"ReadUnitsPerSecond": 5},
                              ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 10}),
               "Requested ReadUnitsPerSecond for WarmThroughput for table is lower than ReadCapacityUnits of "
               "ProvisionedThroughput", "warm below the provisioned capacity")
    t.eq(ddb.list_tables()["TableNames"], ["capped", "plain", "prov"], "no refused table was created")

    # ---- UpdateTable: the maximum merges member by member, -1 removes one ----
    d = ddb.update_table(TableName="plain", OnDemandThroughput=odt(1000, 500))["TableDescription"]
    t.eq(d["OnDemandThroughput"], odt(1000, 500), "UpdateTable sets a maximum")
    ddb.update_table(TableName="plain", OnDemandThroughput=odt(2000))
    t.eq(desc(ddb, "plain")["OnDemandThroughput"], odt(2000, 500), "one member changes, the other stays")
    ddb.update_table(TableName="plain", OnDemandThroughput=odt(write=-1))
    t.eq(desc(ddb, "plain")["OnDemandThroughput"], odt(2000), "-1 removes one member")
    ddb.update_table(TableName="plain", OnDemandThroughput=odt(-1))
    t.eq(desc(ddb, "plain").get("OnDemandThroughput"), None, "with both removed there is no maximum")
    for bad, member in ((odt(write=0), "MaxWriteRequestUnits"), (odt(-2), "MaxReadRequestUnits")):
        validation(lambda: ddb.update_table(TableName="plain", OnDemandThroughput=bad),
                   "Requested %s for OnDemandThroughput for table is outside of valid range" % member,
                   "UpdateTable OnDemandThroughput %r" % bad)
    validation(lambda: ddb.update_table(TableName="prov", OnDemandThroughput=odt(100, 100)),
               "MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED",
               "UpdateTable: a maximum on a provisioned table")
    create(ddb, "provgsi", BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3},
           GlobalSecondaryIndexes=[gsi("gsi1", ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})])
    validation(lambda: ddb.update_table(TableName="provgsi", GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "gsi1", "OnDemandThroughput": odt(10)}}]),
               "MaxReadRequestUnits for OnDemandThroughput for index : gsi1 cannot be specified when the table BillingMode "
               "is PROVISIONED", "UpdateTable: a GSI's maximum on a provisioned table (ack-api-quirks DDB-TABLE-153)")
    ddb.delete_table(TableName="provgsi")

    # ---- UpdateTable: warm throughput rises, never falls ----
    validation(lambda: ddb.update_table(TableName="prov", WarmThroughput={"ReadUnitsPerSecond": 1,
                                                                           "WriteUnitsPerSecond": 1}),
               "Requested ReadUnitsPerSecond for WarmThroughput for table is lower than current WarmThroughput, "
               "decreasing WarmThroughput is not supported", "a warm decrease")
    d = ddb.update_table(TableName="prov", WarmThroughput={"ReadUnitsPerSecond": 50,
                                                           "WriteUnitsPerSecond": 50})["TableDescription"]
    t.eq(d["WarmThroughput"], warm(50, 50), "a warm increase")
    ddb.update_table(TableName="prov", WarmThroughput={"ReadUnitsPerSecond": 50})
    t.eq(desc(ddb, "prov")["WarmThroughput"], warm(50, 50), "the current value again is accepted")
    ddb.update_table(TableName="prov", ProvisionedThroughput={"ReadCapacityUnits": 80, "WriteCapacityUnits": 3})
    t.eq(desc(ddb, "prov")["WarmThroughput"], warm(80, 50), "warm follows a higher capacity")
    ddb.update_table(TableName="prov", ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    t.eq(desc(ddb, "prov")["WarmThroughput"], warm(80, 50), "and stays when the capacity decreases")
    ddb.update_table(TableName="prov", BillingMode="PAY_PER_REQUEST")
    t.eq(desc(ddb, "prov")["WarmThroughput"], warm(12000, 4000), "on demand: at least the initial throughput")
    ddb.update_table(TableName="prov", OnDemandThroughput=odt(300, 300))
    ddb.update_table(TableName="prov", BillingMode="PROVISIONED",
                     ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    d = desc(ddb, "prov")
    t.eq((d.get("OnDemandThroughput"), d["WarmThroughput"]), (None, warm(12000, 4000)),
         "back to PROVISIONED: no maximum, the warm throughput kept")

    # ---- a GSI's, through GlobalSecondaryIndexUpdates ----
    ddb.update_table(TableName="capped", GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "gi1", "OnDemandThroughput": odt(write=-1),
                    "WarmThroughput": {"WriteUnitsPerSecond": 9500}}}])
    g = desc(ddb, "capped")["GlobalSecondaryIndexes"][0]
    t.eq((g["OnDemandThroughput"], g["WarmThroughput"]), (odt(7), warm(20000, 9500)), "a GSI's update")
    validation(lambda: ddb.update_table(TableName="capped", GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "gi1", "WarmThroughput": {"ReadUnitsPerSecond": 100}}}]),
               "Requested ReadUnitsPerSecond for WarmThroughput for index gi1 is lower than current WarmThroughput, "
               "decreasing WarmThroughput is not supported", "a GSI's warm decrease")
    validation(lambda: ddb.update_table(TableName="capped", GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "gi1", "OnDemandThroughput": odt(0)}}]),
               "Requested MaxReadRequestUnits for OnDemandThroughput for index : gi1 is outside of valid range",
               "a GSI's maximum of 0")
    ddb.update_table(TableName="plain", AttributeDefinitions=[attr("g", "S")], GlobalSecondaryIndexUpdates=[
        {"Create": gsi("gi2", OnDemandThroughput=odt(40))}])
    g = desc(ddb, "plain")["GlobalSecondaryIndexes"][0]
    t.eq((g["OnDemandThroughput"], g["WarmThroughput"]), (odt(40), warm(12000, 4000)), "a GSI added by UpdateTable")

# ---- kept with the table definition ----
with Server() as s:
    ddb = s.client("dynamodb")
    create(ddb, "kept", OnDemandThroughput=odt(100, 200), WarmThroughput={"ReadUnitsPerSecond": 30000},
           GlobalSecondaryIndexes=[gsi("gi1", OnDemandThroughput=odt(write=9))])
    s.restart()
    d = desc(s.client("dynamodb"), "kept")
    t.eq((d["OnDemandThroughput"], d["WarmThroughput"]), (odt(100, 200), warm(30000, 4000)), "after a restart")
    t.eq(d["GlobalSecondaryIndexes"][0]["OnDemandThroughput"], odt(write=9), "a GSI's after a restart")

t.done()
