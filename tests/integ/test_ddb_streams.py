"""DynamoDB Streams with boto3 (dynamodb + dynamodbstreams clients): stream settings on tables, every view type,
INSERT/MODIFY/REMOVE records and their shape, no record for unchanged writes, batches and transactions, iterator
types and errors, disabling and re-enabling, DeleteTable, TTL deletions (service userIdentity), 24-hour retention,
and durability across kill -9."""
import datetime
import time

from harness import Checks, Server, attr, key

check = Checks()


def create(d, name, view, range_key=False):
    ks = [key("pk", "HASH")] + ([key("sk", "RANGE")] if range_key else [])
    ad = [attr("pk", "S")] + ([attr("sk", "N")] if range_key else [])
    spec = {"StreamEnabled": True, "StreamViewType": view}
    t = d.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST",
                       StreamSpecification=spec)["TableDescription"]
    return t["LatestStreamArn"]


def shard_of(ds, arn):
    return ds.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]


def iterator(ds, arn, kind="TRIM_HORIZON", seq=None):
    args = dict(StreamArn=arn, ShardId=shard_of(ds, arn), ShardIteratorType=kind)
    if seq:
        args["SequenceNumber"] = seq
    return ds.get_shard_iterator(**args)["ShardIterator"]


def read_all(ds, it, limit=None, max_calls=50):
    """Follows NextShardIterator until a page comes back empty (or the shard ends); returns (records, last iterator)."""
    out = []
    for _ in range(max_calls):
        r = ds.get_records(ShardIterator=it, **({"Limit": limit} if limit else {}))
        out += r["Records"]
        nxt = r.get("NextShardIterator")
        if nxt is None:
            return out, None
        it = nxt
        if not r["Records"]:
            break
    return out, it


with Server() as s:
    d = s.client("dynamodb")
    ds = s.client("dynamodbstreams")

    # --- stream settings and description ---
    arn = create(d, "Orders", "NEW_AND_OLD_IMAGES", range_key=True)
    t = d.describe_table(TableName="Orders")["Table"]
    check.eq(t["StreamSpecification"], {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}, "spec")
    check.eq(t["LatestStreamArn"], arn, "LatestStreamArn")
    label = t["LatestStreamLabel"]
    check.true(arn == t["TableArn"] + "/stream/" + label, "stream ARN format")
    check.true(len(label) == 23 and label[10] == "T" and label[19] == ".", "label is an ISO timestamp with ms")
    desc = ds.describe_stream(StreamArn=arn)["StreamDescription"]
    check.eq(desc["StreamStatus"], "ENABLED", "status")
    check.eq(desc["StreamViewType"], "NEW_AND_OLD_IMAGES", "view type")
    check.eq(desc["TableName"], "Orders", "table name")
    check.eq(desc["StreamLabel"], label, "label")
    check.eq(desc["KeySchema"], [key("pk", "HASH"), key("sk", "RANGE")], "key schema")
    check.true(isinstance(desc["CreationRequestDateTime"], datetime.datetime), "creation time")
    check.eq(len(desc["Shards"]), 1, "one shard")
    shard = desc["Shards"][0]
    check.true(shard["ShardId"].startswith("shardId-") and len(shard["ShardId"]) == 37, "shard id format")
    check.true("EndingSequenceNumber" not in shard["SequenceNumberRange"], "open shard has no end")
    check.true(len(shard["SequenceNumberRange"]["StartingSequenceNumber"]) >= 21, "21+ digit sequence numbers")
    ls = ds.list_streams()["Streams"]
    check.eq(ls, [{"StreamArn": arn, "TableName": "Orders", "StreamLabel": label}], "ListStreams")

    # --- INSERT / MODIFY / REMOVE, no record for unchanged writes ---
    k = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    item = dict(k, n={"N": "1.50"}, tags={"SS": ["x", "y"]}, doc={"M": {"b": {"B": b"\x01\x02"}, "l": {"L": [{"NULL": True}]}}})
    d.put_item(TableName="Orders", Item=item)
    d.put_item(TableName="Orders", Item=item)  # identical: no record
    d.update_item(TableName="Orders", Key=k, UpdateExpression="SET n = :v", ExpressionAttributeValues={":v": {"N": "2"}})
    d.update_item(TableName="Orders", Key=k, UpdateExpression="SET n = :v", ExpressionAttributeValues={":v": {"N": "2"}})
    d.delete_item(TableName="Orders", Key=k)
    d.delete_item(TableName="Orders", Key=k)  # already gone: no record
    it = iterator(ds, arn)
    recs, _ = read_all(ds, it)
    check.eq([r["eventName"] for r in recs], ["INSERT", "MODIFY", "REMOVE"], "event names")
    r0 = recs[0]
    check.eq(r0["eventVersion"], "1.1", "eventVersion")
    check.eq(r0["eventSource"], "aws:dynamodb", "eventSource")
    check.eq(r0["awsRegion"], "us-east-1", "awsRegion")
    check.true(len(r0["eventID"]) == 32, "eventID")
    check.eq(len({r["eventID"] for r in recs}), 3, "eventIDs unique")
    check.eq(r0["dynamodb"]["Keys"], k, "Keys")
    check.eq(r0["dynamodb"]["NewImage"]["n"], {"N": "1.5"}, "NewImage numbers canonical")
    check.eq(r0["dynamodb"]["NewImage"]["doc"]["M"]["b"], {"B": b"\x01\x02"}, "binary in image")
    check.true("OldImage" not in r0["dynamodb"], "INSERT has no OldImage")
    check.eq(r0["dynamodb"]["StreamViewType"], "NEW_AND_OLD_IMAGES", "record view type")
    check.true(r0["dynamodb"]["SizeBytes"] > 0, "SizeBytes")
    check.true(isinstance(r0["dynamodb"]["ApproximateCreationDateTime"], datetime.datetime), "ApproximateCreationDateTime")
    check.true(abs(r0["dynamodb"]["ApproximateCreationDateTime"].timestamp() - time.time()) < 120, "creation time is now")
    check.eq(recs[1]["dynamodb"]["OldImage"]["n"], {"N": "1.5"}, "MODIFY OldImage")
    check.eq(recs[1]["dynamodb"]["NewImage"]["n"], {"N": "2"}, "MODIFY NewImage")
    check.eq(recs[2]["dynamodb"]["OldImage"]["n"], {"N": "2"}, "REMOVE OldImage")
    check.true("NewImage" not in recs[2]["dynamodb"], "REMOVE has no NewImage")
    check.true("userIdentity" not in r0, "no userIdentity for user writes")
    seqs = [r["dynamodb"]["SequenceNumber"] for r in recs]
    check.true(all(len(x) >= 21 and x.isdigit() for x in seqs), "sequence numbers are 21+ digit strings")
    check.true([int(x) for x in seqs] == sorted(int(x) for x in seqs) and len(set(seqs)) == 3, "sequence numbers increase")
    start = int(shard["SequenceNumberRange"]["StartingSequenceNumber"])
    check.true(int(seqs[0]) >= start, "records within the shard range")

    # --- view types ---
    for view in ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE"):
        va = create(d, "V" + view.replace("_", ""), view)
        name = "V" + view.replace("_", "")
        d.put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"N": "1"}})
        d.put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"N": "2"}})
        d.delete_item(TableName=name, Key={"pk": {"S": "k"}})
        rs, _ = read_all(ds, iterator(ds, va))
        check.eq([r["eventName"] for r in rs], ["INSERT", "MODIFY", "REMOVE"], view + " events")
        has = [("NewImage" in r["dynamodb"], "OldImage" in r["dynamodb"]) for r in rs]
        want = {"KEYS_ONLY": [(False, False)] * 3, "NEW_IMAGE": [(True, False), (True, False), (False, False)],
                "OLD_IMAGE": [(False, False), (False, True), (False, True)]}[view]
        check.eq(has, want, view + " images")
        check.eq([r["dynamodb"]["Keys"] for r in rs], [{"pk": {"S": "k"}}] * 3, view + " keys")
        check.eq({r["dynamodb"]["StreamViewType"] for r in rs}, {view}, view + " StreamViewType")
        if view == "NEW_IMAGE":
            check.eq(rs[1]["dynamodb"]["NewImage"], {"pk": {"S": "k"}, "v": {"N": "2"}}, "NEW_IMAGE content")
        if view == "OLD_IMAGE":
            check.eq(rs[2]["dynamodb"]["OldImage"], {"pk": {"S": "k"}, "v": {"N": "2"}}, "OLD_IMAGE content")

    # --- batches and transactions: one record per changed item, in order ---
    latest = iterator(ds, arn, "LATEST")
    d.batch_write_item(RequestItems={"Orders": [{"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": str(i)}}}} for i in range(5)]})
    d.transact_write_items(TransactItems=[
        {"Put": {"TableName": "Orders", "Item": {"pk": {"S": "t"}, "sk": {"N": "1"}}}},
        {"Update": {"TableName": "Orders", "Key": {"pk": {"S": "b"}, "sk": {"N": "0"}}, "UpdateExpression": "SET x = :x",
                    "ExpressionAttributeValues": {":x": {"S": "y"}}}},
        {"Delete": {"TableName": "Orders", "Key": {"pk": {"S": "b"}, "sk": {"N": "1"}}}},
    ])
    try:  # a cancelled transaction writes nothing
        d.transact_write_items(TransactItems=[
            {"Put": {"TableName": "Orders", "Item": {"pk": {"S": "t"}, "sk": {"N": "2"}}}},
            {"ConditionCheck": {"TableName": "Orders", "Key": {"pk": {"S": "nope"}, "sk": {"N": "1"}},
                                "ConditionExpression": "attribute_exists(pk)"}},
        ])
    except d.exceptions.TransactionCanceledException:
        pass
    rs, latest_next = read_all(ds, latest)
    check.eq([(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"], r["dynamodb"]["Keys"]["sk"]["N"]) for r in rs],
             [("INSERT", "b", str(i)) for i in range(5)] + [("INSERT", "t", "1"), ("MODIFY", "b", "0"), ("REMOVE", "b", "1")],
             "batch and transaction records in order")
    check.true(latest_next is not None, "open shard keeps a next iterator")

    # --- PartiQL writes go through the same path ---
    pql = iterator(ds, arn, "LATEST")
    d.execute_statement(Statement="INSERT INTO Orders VALUE {'pk': 'q', 'sk': 1, 'v': 'x'}")
    d.execute_statement(Statement="UPDATE Orders SET v = 'y' WHERE pk = 'q' AND sk = 1")
    d.execute_statement(Statement="DELETE FROM Orders WHERE pk = 'q' AND sk = 1")
    check.eq([r["eventName"] for r in read_all(ds, pql)[0]], ["INSERT", "MODIFY", "REMOVE"], "PartiQL records")

    # --- iterator types, Limit, paging ---
    all_recs, _ = read_all(ds, iterator(ds, arn))
    check.eq(len(all_recs), 14, "all records from TRIM_HORIZON")
    third = all_recs[2]["dynamodb"]["SequenceNumber"]
    at = read_all(ds, iterator(ds, arn, "AT_SEQUENCE_NUMBER", third))[0]
    check.eq(at[0]["dynamodb"]["SequenceNumber"], third, "AT_SEQUENCE_NUMBER starts at it")
    after = read_all(ds, iterator(ds, arn, "AFTER_SEQUENCE_NUMBER", third))[0]
    check.eq(after[0]["dynamodb"]["SequenceNumber"], all_recs[3]["dynamodb"]["SequenceNumber"], "AFTER_SEQUENCE_NUMBER")
    page = ds.get_records(ShardIterator=iterator(ds, arn), Limit=4)
    check.eq(len(page["Records"]), 4, "Limit")
    paged, _ = read_all(ds, iterator(ds, arn), limit=3)
    check.eq([r["eventID"] for r in paged], [r["eventID"] for r in all_recs], "paging with NextShardIterator")
    empty = ds.get_records(ShardIterator=iterator(ds, arn, "LATEST"))
    check.eq(empty["Records"], [], "LATEST starts after the newest record")
    check.true(empty.get("NextShardIterator"), "LATEST next iterator")

    # --- errors ---
    check.raises(lambda: ds.get_records(ShardIterator="garbage"), "ValidationException", "invalid iterator")
    bad = it[:-3] + ("000" if it[-3:] != "000" else "111")
    check.raises(lambda: ds.get_records(ShardIterator=bad), "ValidationException", "tampered iterator")
    check.raises(lambda: ds.get_records(ShardIterator=it, Limit=1001), "ValidationException", "Limit over 1000")
    missing = arn.replace("/Orders/", "/Nope/")
    e = check.raises(lambda: ds.describe_stream(StreamArn=missing), "ResourceNotFoundException", "unknown stream")
    check.eq(e.response["Error"]["Message"] if e else None, "Requested resource not found: Stream: %s not found" % missing,
             "unknown stream message")
    check.raises(lambda: ds.get_shard_iterator(StreamArn=arn, ShardId="shardId-00000000000000000000-00000000",
                                               ShardIteratorType="LATEST"), "ResourceNotFoundException", "unknown shard")
    check.raises(lambda: ds.get_shard_iterator(StreamArn=arn, ShardId=shard_of(ds, arn), ShardIteratorType="AT_SEQUENCE_NUMBER"),
                 "ValidationException", "AT_SEQUENCE_NUMBER without a number")
    check.raises(lambda: iterator(ds, arn, "AT_SEQUENCE_NUMBER", "9" * 30), "ValidationException", "foreign sequence number")
    old_it = iterator(ds, arn)
    s.advance_clock(16 * 60 * 1000)
    check.raises(lambda: ds.get_records(ShardIterator=old_it), "ExpiredIteratorException", "iterator expires after 15 minutes")

    # --- disabling closes the stream; re-enabling starts a new one ---
    it_open = iterator(ds, arn, "LATEST")
    d.put_item(TableName="Orders", Item={"pk": {"S": "last"}, "sk": {"N": "1"}})
    d.update_table(TableName="Orders", StreamSpecification={"StreamEnabled": False})
    d.put_item(TableName="Orders", Item={"pk": {"S": "after-disable"}, "sk": {"N": "1"}})
    desc = ds.describe_stream(StreamArn=arn)["StreamDescription"]
    check.eq(desc["StreamStatus"], "DISABLED", "disabled status")
    rng = desc["Shards"][0]["SequenceNumberRange"]
    check.true("EndingSequenceNumber" in rng, "closed shard has an end")
    r = ds.get_records(ShardIterator=it_open)
    check.eq([x["dynamodb"]["Keys"]["pk"]["S"] for x in r["Records"]], ["last"], "no records after disabling")
    check.true(int(rng["EndingSequenceNumber"]) >= int(r["Records"][0]["dynamodb"]["SequenceNumber"]), "end covers the last record")
    check.true("NextShardIterator" not in r, "drained closed shard has no next iterator")
    whole, end_it = read_all(ds, iterator(ds, arn))
    check.eq((len(whole), end_it), (len(all_recs) + 1, None), "closed shard read from TRIM_HORIZON to its end")
    r = ds.get_records(ShardIterator=iterator(ds, arn, "LATEST"))
    check.eq((r["Records"], r.get("NextShardIterator")), ([], None), "LATEST on a closed shard is at its end")
    t = d.describe_table(TableName="Orders")["Table"]
    check.true("StreamSpecification" not in t or not t["StreamSpecification"].get("StreamEnabled"), "table stream off")
    check.eq(t.get("LatestStreamArn"), arn, "LatestStreamArn kept after disabling")
    time.sleep(0.01)
    t = d.update_table(TableName="Orders", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})["TableDescription"]
    arn2 = t["LatestStreamArn"]
    check.true(arn2 != arn, "re-enabling makes a new stream")
    check.eq(ds.describe_stream(StreamArn=arn2)["StreamDescription"]["StreamStatus"], "ENABLED", "new stream enabled")
    d.put_item(TableName="Orders", Item={"pk": {"S": "new"}, "sk": {"N": "1"}})
    rs, _ = read_all(ds, iterator(ds, arn2))
    check.eq([(x["eventName"], x["dynamodb"]["Keys"]["pk"]["S"], x["dynamodb"]["StreamViewType"]) for x in rs],
             [("INSERT", "new", "KEYS_ONLY")], "new stream gets the new writes")
    orders = ds.list_streams(TableName="Orders")["Streams"]
    check.eq([x["StreamArn"] for x in orders], [arn, arn2], "ListStreams TableName filter")
    p1 = ds.list_streams(Limit=1)
    check.eq(len(p1["Streams"]), 1, "ListStreams Limit")
    check.eq(p1.get("LastEvaluatedStreamArn"), p1["Streams"][0]["StreamArn"], "LastEvaluatedStreamArn")
    p2 = ds.list_streams(Limit=100, ExclusiveStartStreamArn=p1["LastEvaluatedStreamArn"])
    check.eq(len(p2["Streams"]), len(ds.list_streams()["Streams"]) - 1, "ExclusiveStartStreamArn")
    check.true("LastEvaluatedStreamArn" not in p2, "last page")

    # --- DeleteTable closes the stream, which stays readable ---
    va = d.describe_table(TableName="VNEWIMAGE")["Table"]["LatestStreamArn"]
    d.delete_table(TableName="VNEWIMAGE")
    desc = ds.describe_stream(StreamArn=va)["StreamDescription"]
    check.eq(desc["StreamStatus"], "DISABLED", "deleted table's stream disabled")
    check.eq(len(read_all(ds, iterator(ds, va))[0]), 3, "deleted table's records still readable")

    # --- TTL deletions carry the service's identity ---
    ta = create(d, "Sessions", "NEW_AND_OLD_IMAGES")
    d.update_time_to_live(TableName="Sessions", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    d.put_item(TableName="Sessions", Item={"pk": {"S": "s1"}, "exp": {"N": str(int(time.time()) + 3600)}})
    s.advance_clock(2 * 3600 * 1000)
    rs = []
    for _ in range(50):
        rs, _ = read_all(ds, iterator(ds, ta))
        if len(rs) == 2:
            break
        time.sleep(0.1)
    check.eq([x["eventName"] for x in rs], ["INSERT", "REMOVE"], "TTL deletion record")
    if len(rs) == 2:
        check.eq(rs[1].get("userIdentity"), {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}, "TTL userIdentity")
        check.true("userIdentity" not in rs[0], "user write has no userIdentity")
        check.eq(rs[1]["dynamodb"]["OldImage"]["pk"], {"S": "s1"}, "TTL record OldImage")

    # --- durability across kill -9 ---
    before, _ = read_all(ds, iterator(ds, ta))
    s.restart(kill=True)
    d = s.client("dynamodb")
    ds = s.client("dynamodbstreams")
    after, _ = read_all(ds, iterator(ds, ta))
    check.eq([x["eventID"] for x in after], [x["eventID"] for x in before], "records survive kill -9")
    check.eq(ds.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"], "DISABLED", "closed stream survives")
    d.put_item(TableName="Sessions", Item={"pk": {"S": "s2"}})
    after2, _ = read_all(ds, iterator(ds, ta))
    check.eq(len(after2), 3, "new record after restart")
    if len(after2) == 3:
        check.true(int(after2[2]["dynamodb"]["SequenceNumber"]) > int(after2[1]["dynamodb"]["SequenceNumber"]),
                   "sequence numbers keep increasing after restart")

    # --- 24-hour retention ---
    old_seq = after2[0]["dynamodb"]["SequenceNumber"] if after2 else None
    s.advance_clock(25 * 3600 * 1000)
    gone = None
    for _ in range(50):
        gone = ds.get_records(ShardIterator=iterator(ds, ta))["Records"]
        if not gone:
            break
        time.sleep(0.1)
    check.eq(gone, [], "records trimmed after 24 hours")
    check.refuses(lambda: iterator(ds, ta, "AT_SEQUENCE_NUMBER", old_seq), "TrimmedDataAccessException",
                  "The data you are trying to access has been trimmed.", "trimmed sequence number")
    check.raises(lambda: ds.describe_stream(StreamArn=arn), "ResourceNotFoundException", "closed stream gone after 24 hours")
    check.eq([x["StreamArn"] for x in ds.list_streams(TableName="Orders")["Streams"]], [arn2], "open stream stays listed")
    d.put_item(TableName="Sessions", Item={"pk": {"S": "s3"}})
    fresh, _ = read_all(ds, iterator(ds, ta))
    check.eq([x["dynamodb"]["Keys"]["pk"]["S"] for x in fresh], ["s3"], "new records after trimming")

check.done()
