"""test_ddb_streams_capacity_boto3.py - DynamoDB Streams and UpdateTable behaviour that a run of ScyllaDB's
Alternator tests (written to pass against AWS) found different in awsemu: a StreamArn that is not shaped like
a stream ARN is a ValidationException ("Invalid StreamArn", as AWS SDK integration tests expect), while a
well-formed ARN naming no stream stays a ResourceNotFoundException; an empty shard's StartingSequenceNumber is
a valid AT_/AFTER_SEQUENCE_NUMBER position (DescribeStream hands it out before any record has it); TRIM_HORIZON
and LATEST take no SequenceNumber; and UpdateTable's AttributeDefinitions, which describe key schemas, keep only
attributes some key still uses: a deleted index's key is dropped (so it may come back with another type) and
a definition no new index uses is not stored. A GSI's throughput changes as the table's does (an unchanged value
is refused, increases and decreases are recorded), is zero once the table is PAY_PER_REQUEST, and must be given for
every GSI when the table goes back to PROVISIONED; the messages of GSI updates on PAY_PER_REQUEST tables are
UpdateTable's own. Creating or deleting an index, changing the stream and changing the table's throughput each need
an UpdateTable of their own; AttributeDefinitions count only when an index is created (otherwise even a conflicting
type is ignored); an empty GlobalSecondaryIndexUpdates beside another change is refused; NonKeyAttributes may not
repeat a name. (Messages from a catalogue of DynamoDB's errors recorded against AWS.)"""
import datetime
import time

from harness import Checks, Server, attr, key, msg

t = Checks()


def validation(fn, want, what):
    t.refuses(fn, "ValidationException", want, what)


def gsi_create(name, attr_name):
    return {"Create": {"IndexName": name, "KeySchema": [key(attr_name, "HASH")], "Projection": {"ProjectionType": "ALL"}}}


with Server(in_memory=True) as s:
    ddb = s.client("dynamodb")
    ds = s.client("dynamodbstreams")

    # ---- StreamArn: malformed is a ValidationException, well-formed but unknown is not found ----
    arn = ddb.create_table(TableName="events", KeySchema=[key("pk", "HASH")], AttributeDefinitions=[attr("pk", "S")],
                           BillingMode="PAY_PER_REQUEST",
                           StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})["TableDescription"]["LatestStreamArn"]
    shard = ds.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    bogus = "sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf"
    validation(lambda: ds.describe_stream(StreamArn=bogus), "Invalid StreamArn", "DescribeStream of a malformed ARN")
    validation(lambda: ds.get_shard_iterator(StreamArn=bogus, ShardId=shard["ShardId"], ShardIteratorType="LATEST"),
               "Invalid StreamArn", "GetShardIterator of a malformed ARN")
    validation(lambda: ds.list_streams(ExclusiveStartStreamArn=bogus), "Invalid StreamArn",
               "ListStreams after a malformed ARN")
    validation(lambda: ds.describe_stream(StreamArn="arn:aws:dynamodb:us-east-1:000000000000:table/events/stream/"),
               "Invalid StreamArn", "an ARN without a stream label")
    validation(lambda: ds.describe_stream(StreamArn="arn:aws:dynamodb:us-east-1:000000000000:table/events"),
               "Invalid StreamArn", "a table ARN")
    unknown = arn.replace("/events/", "/nothere/")
    e = t.raises(lambda: ds.describe_stream(StreamArn=unknown), "ResourceNotFoundException", "well-formed unknown ARN")
    t.eq(msg(e), "Requested resource not found: Stream: %s not found" % unknown, "well-formed unknown ARN: message")

    # ---- an empty shard's StartingSequenceNumber positions AT_ and AFTER_SEQUENCE_NUMBER iterators ----
    start = shard["SequenceNumberRange"]["StartingSequenceNumber"]
    at = ds.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="AT_SEQUENCE_NUMBER",
                               SequenceNumber=start)["ShardIterator"]
    after = ds.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                  SequenceNumber=start)["ShardIterator"]
    ddb.put_item(TableName="events", Item={"pk": {"S": "first"}})
    ddb.put_item(TableName="events", Item={"pk": {"S": "second"}})
    recs = ds.get_records(ShardIterator=at)["Records"]
    t.eq([r["dynamodb"]["Keys"]["pk"]["S"] for r in recs], ["first", "second"], "AT the starting number reads from the first record")
    t.eq(recs[0]["dynamodb"]["SequenceNumber"], start, "the first record has the starting number")
    recs = ds.get_records(ShardIterator=after)["Records"]
    t.eq([r["dynamodb"]["Keys"]["pk"]["S"] for r in recs], ["second"], "AFTER the starting number skips the first record")
    validation(lambda: ds.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="AT_SEQUENCE_NUMBER",
                                             SequenceNumber=str(int(recs[0]["dynamodb"]["SequenceNumber"]) + 1000)),
               "Invalid SequenceNumber: %d is not a sequence number of shard %s"
               % (int(recs[0]["dynamodb"]["SequenceNumber"]) + 1000, shard["ShardId"]),
               "a number past the newest record")

    # ---- TRIM_HORIZON and LATEST take no SequenceNumber ----
    for kind in ("TRIM_HORIZON", "LATEST"):
        validation(lambda: ds.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType=kind,
                                                 SequenceNumber=start),
                   "Must not provide a SequenceNumber for ShardIteratorType " + kind, kind + " with a SequenceNumber")

    # ---- UpdateTable keeps the AttributeDefinitions of keys only ----
    ddb.create_table(TableName="items", KeySchema=[key("pk", "HASH")], AttributeDefinitions=[attr("pk", "S")],
                     BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName="items", Item={"pk": {"S": "a"}, "x": {"S": "one"}, "y": {"N": "1"}})
    got = ddb.update_table(TableName="items", AttributeDefinitions=[attr("x", "S"), attr("y", "S")],
                           GlobalSecondaryIndexUpdates=[gsi_create("by_x", "x")])["TableDescription"]["AttributeDefinitions"]
    t.eq(got, [attr("pk", "S"), attr("x", "S")], "a definition no index uses is not stored")
    ddb.put_item(TableName="items", Item={"pk": {"S": "b"}, "y": {"N": "2"}})
    t.eq(ddb.get_item(TableName="items", Key={"pk": {"S": "b"}})["Item"]["y"], {"N": "2"}, "y keeps any type")
    ddb.update_table(TableName="items", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_x"}}])
    t.eq(ddb.describe_table(TableName="items")["Table"]["AttributeDefinitions"], [attr("pk", "S")],
         "a deleted index's key is no longer defined")
    ddb.put_item(TableName="items", Item={"pk": {"S": "c"}, "x": {"N": "3"}})
    got = ddb.update_table(TableName="items", AttributeDefinitions=[attr("x", "N")],
                           GlobalSecondaryIndexUpdates=[gsi_create("by_x_number", "x")])["TableDescription"]["AttributeDefinitions"]
    t.eq(got, [attr("pk", "S"), attr("x", "N")], "the attribute comes back with another type")
    validation(lambda: ddb.update_table(TableName="items", AttributeDefinitions=[attr("x", "S")],
                                        GlobalSecondaryIndexUpdates=[gsi_create("by_x_string", "x")]),
               "One or more parameter values were invalid: Attributes cannot be redefined. Please check that your attribute "
               "has the same type as previously defined.", "an index's key still may not be redefined")
    ddb.update_table(TableName="items", AttributeDefinitions=[attr("z", "B")],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    t.eq(ddb.describe_table(TableName="items")["Table"]["AttributeDefinitions"], [attr("pk", "S"), attr("x", "N")],
         "definitions given with a stream change are not stored")

    # ---- GSI throughput through UpdateTable ----
    pt = lambda r, w: {"ReadCapacityUnits": r, "WriteCapacityUnits": w}
    ddb.create_table(TableName="prov", KeySchema=[key("pk", "HASH")], ProvisionedThroughput=pt(1, 1),
                     AttributeDefinitions=[attr("pk", "S"), attr("g", "S")],
                     GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [key("g", "HASH")],
                                              "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": pt(2, 3)}])
    update = lambda r, w: ddb.update_table(TableName="prov", GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "by_g", "ProvisionedThroughput": pt(r, w)}}])["TableDescription"]["GlobalSecondaryIndexes"][0]
    validation(lambda: update(2, 3),
               "The provisioned throughput for the index by_g will not change. The requested value equals the current value. "
               "Current ReadCapacityUnits provisioned for index by_g: 2. Requested ReadCapacityUnits: 2. Current "
               "WriteCapacityUnits provisioned for index by_g: 3. Requested WriteCapacityUnits: 3. Refer to the Amazon "
               "DynamoDB Developer Guide for current limits and how to request higher limits.", "an unchanged GSI throughput")
    got = update(5, 3)["ProvisionedThroughput"]
    t.eq((got["ReadCapacityUnits"], got["WriteCapacityUnits"], "LastIncreaseDateTime" in got, got["NumberOfDecreasesToday"]),
         (5, 3, True, 0), "a GSI throughput increase is recorded")
    got = update(5, 1)["ProvisionedThroughput"]
    t.eq((got["WriteCapacityUnits"], "LastDecreaseDateTime" in got, got["NumberOfDecreasesToday"]), (1, True, 1),
         "a GSI throughput decrease is counted")
    got = ddb.update_table(TableName="prov", BillingMode="PAY_PER_REQUEST")["TableDescription"]["GlobalSecondaryIndexes"][0]
    t.eq(got["ProvisionedThroughput"], {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
         "a PAY_PER_REQUEST table's GSI has no throughput")
    validation(lambda: update(4, 4),
               "One or more parameter values were invalid: The only Updates for index: by_g when TableThroughputMode is "
               "PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput", "a GSI throughput update on PAY_PER_REQUEST")
    validation(lambda: ddb.update_table(TableName="prov", AttributeDefinitions=[attr("h", "S")], GlobalSecondaryIndexUpdates=[
        {"Create": dict(gsi_create("by_h", "h")["Create"], ProvisionedThroughput=pt(1, 1))}]),
               "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified "
               "for index: by_h when BillingMode is PAY_PER_REQUEST", "a new GSI with throughput on PAY_PER_REQUEST")
    validation(lambda: ddb.update_table(TableName="prov", BillingMode="PROVISIONED", ProvisionedThroughput=pt(1, 1)),
               "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: by_g",
               "back to PROVISIONED without the GSI's throughput")
    t.eq(ddb.describe_table(TableName="prov")["Table"]["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST",
         "the refused switch changed nothing")
    got = ddb.update_table(TableName="prov", BillingMode="PROVISIONED", ProvisionedThroughput=pt(1, 1), GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "by_g", "ProvisionedThroughput": pt(6, 7)}}])["TableDescription"]["GlobalSecondaryIndexes"][0]
    t.eq((got["ProvisionedThroughput"]["ReadCapacityUnits"], got["ProvisionedThroughput"]["WriteCapacityUnits"]), (6, 7),
         "back to PROVISIONED with the GSI's throughput")
    # as DynamoDB answered the ack-api-quirks lab in October 2026 (DDB-TABLE-152, DDB-TABLE-174)
    validation(lambda: ddb.update_table(TableName="prov", AttributeDefinitions=[attr("h", "S")],
                                        GlobalSecondaryIndexUpdates=[gsi_create("by_h", "h")]),
               "One or more parameter values were invalid: Both ReadCapacityUnits and WriteCapacityUnits must be specified "
               "for index: by_h", "a new GSI without throughput on a PROVISIONED table")
    validation(lambda: ddb.update_table(TableName="prov", AttributeDefinitions=[attr("h", "S")],
                                        WarmThroughput={"ReadUnitsPerSecond": 20000},
                                        GlobalSecondaryIndexUpdates=[{"Create": dict(gsi_create("by_h", "h")["Create"],
                                                                                     ProvisionedThroughput=pt(1, 1))}]),
               "One or more parameter values were invalid: Create global secondary index cannot be specified when updating "
               "WarmThroughput", "a new GSI with a WarmThroughput change")

    # ---- one kind of change per UpdateTable; AttributeDefinitions only for a new index ----
    ddb.create_table(TableName="combo", KeySchema=[key("pk", "HASH")], ProvisionedThroughput=pt(1, 1),
                     AttributeDefinitions=[attr("pk", "S"), attr("g", "S")],
                     GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [key("g", "HASH")],
                                              "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": pt(1, 1)}])
    new_h = dict(gsi_create("by_h", "h")["Create"], ProvisionedThroughput=pt(1, 1))
    stream_on = {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    invalid = "One or more parameter values were invalid: "
    for what, args, want in (
            ("index and stream", dict(AttributeDefinitions=[attr("h", "S")], GlobalSecondaryIndexUpdates=[{"Create": new_h}],
                                      StreamSpecification=stream_on),
             "You cannot create or delete index while changing stream status"),
            ("index deletion and stream", dict(GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_g"}}],
                                               StreamSpecification=stream_on),
             "You cannot create or delete index while changing stream status"),
            ("index and table throughput", dict(AttributeDefinitions=[attr("h", "S")], ProvisionedThroughput=pt(2, 2),
                                                GlobalSecondaryIndexUpdates=[{"Create": new_h}]),
             "You cannot create or delete index while updating table IOPS"),
            ("stream and table throughput", dict(StreamSpecification=stream_on, ProvisionedThroughput=pt(2, 2)),
             "You cannot modify stream status while updating table IOPS"),
            ("an empty GlobalSecondaryIndexUpdates", dict(GlobalSecondaryIndexUpdates=[], ProvisionedThroughput=pt(2, 2)),
             "List of GlobalSecondaryIndexUpdates is empty")):
        validation(lambda: ddb.update_table(TableName="combo", **args), invalid + want, what)
    got = ddb.update_table(TableName="combo", AttributeDefinitions=[attr("pk", "N"), attr("g", "N")],
                           ProvisionedThroughput=pt(2, 2))["TableDescription"]["AttributeDefinitions"]
    t.eq(got, [attr("g", "S"), attr("pk", "S")], "AttributeDefinitions without a new index are ignored, types and all")
    validation(lambda: ddb.update_table(TableName="combo", AttributeDefinitions=[attr("h", "S")], GlobalSecondaryIndexUpdates=[
        {"Create": dict(new_h, Projection={"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b", "a"]})}]),
               invalid + "Duplicate element in NonKeyAttributes: a", "a repeated NonKeyAttributes name")

    # ---- the provisioned-decrease budget (the ack-api-quirks lab's DDB-TABLE-184/185/326): 4 a UTC day, then one
    # 3600 s after the last; the count starts again at midnight UTC (the server's clock is moved, not waited for) ----
    now = time.time()
    ten = (int(now // 86400) + 1) * 86400 + 10 * 3600  # 10:00 UTC tomorrow
    s.advance_clock(int((ten - now) * 1000))
    ddb.create_table(TableName="budget", KeySchema=[key("pk", "HASH")], AttributeDefinitions=[attr("pk", "S")],
                     ProvisionedThroughput=pt(10, 10))
    def full(sec):  # Java's full date and time, as DynamoDB writes them
        d = datetime.datetime.fromtimestamp(sec, datetime.timezone.utc)
        return "%s, %s %d, %d at %d:%02d:%02d %s Coordinated Universal Time" % (
            d.strftime("%A"), d.strftime("%B"), d.day, d.year, d.hour % 12 or 12, d.minute, d.second, d.strftime("%p"))
    for w in (9, 8, 7, 6):
        ddb.update_table(TableName="budget", ProvisionedThroughput=pt(10, w))
    desc = ddb.describe_table(TableName="budget")["Table"]["ProvisionedThroughput"]
    last = desc["LastDecreaseDateTime"].timestamp()
    t.eq(desc["NumberOfDecreasesToday"], 4, "four decreases counted")
    def refused(n, next_at, what):
        t.refuses(lambda: ddb.update_table(TableName="budget", ProvisionedThroughput=pt(10, 5)), "LimitExceededException",
                  "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the "
                  "first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 "
                  "seconds. Number of decreases today: %d. Last decrease at %s. Next decrease can be made at %s"
                  % (n, full(last), full(next_at)), what)
    refused(4, last + 3600, "a fifth decrease within the hour")
    t.raises(lambda: ddb.update_table(TableName="budget", ProvisionedThroughput=pt(11, 5)), "LimitExceededException",
             "one up and one down is a decrease")
    ddb.update_table(TableName="budget", ProvisionedThroughput=pt(11, 6))  # an increase is always taken
    s.advance_clock(3601 * 1000)
    ddb.update_table(TableName="budget", ProvisionedThroughput=pt(11, 5))
    desc = ddb.describe_table(TableName="budget")["Table"]["ProvisionedThroughput"]
    last = desc["LastDecreaseDateTime"].timestamp()
    t.eq((desc["NumberOfDecreasesToday"], desc["WriteCapacityUnits"]), (5, 5), "one more an hour after the last")
    refused(5, last + 3600, "and then none for another hour")
    s.advance_clock(int(((int(last // 86400) + 1) * 86400 - last) * 1000) + 1000)
    desc = ddb.describe_table(TableName="budget")["Table"]["ProvisionedThroughput"]
    t.eq((desc["NumberOfDecreasesToday"], "LastDecreaseDateTime" in desc), (0, True), "the count starts again at midnight UTC")
    ddb.update_table(TableName="budget", ProvisionedThroughput=pt(11, 4))
    t.eq(ddb.describe_table(TableName="budget")["Table"]["ProvisionedThroughput"]["NumberOfDecreasesToday"], 1,
         "a decrease the next day")
t.done()
