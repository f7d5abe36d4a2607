"""test_lambda_ddb_stream_windows_boto3.py - tumbling windows on a DynamoDB stream mapping
(TumblingWindowInSeconds), as the Lambda developer guide describes them (services-ddb-windows):
records are grouped by the window their ApproximateCreationDateTime falls in; each invocation's
event adds window {start, end}, state (what the function returned last in the window, {} at its
start), shardId, eventSourceARN, isFinalInvokeForWindow and isWindowTerminatedEarly; an answer
without "state" counts as a failed invocation and is retried; once the window's end has passed, a
final invocation (isFinalInvokeForWindow true, no records) gets the window's last state, and the
next window starts again from {}. The server's clock is moved past each window's end instead of
sleeping. A final invocation that fails is tried again before any later record. The function writes each
event it receives to a file."""
import glob
import json
import os
import shutil
import tempfile
import time

from harness import Checks, Server, zip_of

t = Checks()
ROLE = "arn:aws:iam::000000000000:role/r"
OUT = tempfile.mkdtemp(prefix="esm-windows-")
CODE = """import json, os, time
def handler(event, context):
    path = os.path.join(os.environ["OUT"], "%d.json" % time.time_ns())
    with open(path + ".tmp", "w") as f:
        json.dump(event, f)
    os.replace(path + ".tmp", path)  # whole when the test sees it
    state = dict(event["state"])
    final_marker = os.path.join(os.environ["OUT"], "final-failed")
    if event["isFinalInvokeForWindow"] and "finalfail" in state.get("seen", []) and not os.path.exists(final_marker):
        open(final_marker, "w").close()
        raise Exception("the final invocation fails once")
    for r in event["Records"]:
        pk = r["dynamodb"]["Keys"]["pk"]["S"]
        marker = os.path.join(os.environ["OUT"], pk)
        if pk.startswith("nostate") and not os.path.exists(marker):
            open(marker, "w").close()
            return {"batchItemFailures": []}  # no state the first time: a failed invocation
        state["seen"] = state.get("seen", []) + [pk]
        if pk.startswith("big"):
            state["pad"] = "x" * (1 << 20)
    return {"state": state, "batchItemFailures": []}
"""
MEMBERS = ["Records", "window", "state", "shardId", "eventSourceARN", "isFinalInvokeForWindow", "isWindowTerminatedEarly"]


def received(n, timeout=10):
    """The events written so far, once there are n of them (or the timeout passed)."""
    deadline = time.time() + timeout
    while len(glob.glob(os.path.join(OUT, "*.json"))) < n and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # the invocation has ended before the clock moves (a running one would time out)
    return [json.load(open(p)) for p in sorted(glob.glob(os.path.join(OUT, "*.json")))]


def iso(secs):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(secs))


def summary(e):
    state = dict(e["state"], pad=len(e["state"]["pad"])) if "pad" in e["state"] else e["state"]
    return ([r["dynamodb"]["Keys"]["pk"]["S"] for r in e["Records"]], state, e["isFinalInvokeForWindow"],
            e["isWindowTerminatedEarly"])


try:
    with Server(in_memory=True) as s:
        lam, ddb = s.client("lambda"), s.client("dynamodb")
        lam.create_function(FunctionName="win", Runtime="python3.12", Role=ROLE, Handler="app.handler", Timeout=3,
                            Code={"ZipFile": zip_of({"app.py": CODE})}, Environment={"Variables": {"OUT": OUT}})
        arn = ddb.create_table(TableName="win", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                               BillingMode="PAY_PER_REQUEST",
                               StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
                               )["TableDescription"]["LatestStreamArn"]
        shard = s.client("dynamodbstreams").describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        m = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="win", StartingPosition="TRIM_HORIZON",
                                            BatchSize=1, TumblingWindowInSeconds=60)
        t.eq(m["TumblingWindowInSeconds"], 60, "create answers TumblingWindowInSeconds")
        # move the server's clock (the real one until now) 200 ms into a fresh 60 s window
        s.advance_clock(int(60000 - time.time() * 1000 % 60000 + 200))

        # ---- one window: a batch per record, the state carried along, a stateless answer retried ----
        ddb.put_item(TableName="win", Item={"pk": {"S": "a"}})
        ddb.put_item(TableName="win", Item={"pk": {"S": "nostate-b"}})
        events = received(3)
        t.eq(len(events), 3, "3 invocations before the window ends")
        if events:
            e = events[0]
            created = e["Records"][0]["dynamodb"]["ApproximateCreationDateTime"]
            start = created - created % 60
            t.eq(list(e), MEMBERS, "the event's members, in the guide's order")
            t.eq(e["window"], {"start": iso(start), "end": iso(start + 60)}, "window: the 60 s around the record's creation")
            t.eq((e["shardId"], e["eventSourceARN"]), (shard, arn), "shardId and eventSourceARN")
        t.eq([summary(e) for e in events],
             [(["a"], {}, False, False), (["nostate-b"], {"seen": ["a"]}, False, False),
              (["nostate-b"], {"seen": ["a"]}, False, False)],
             "records, state and flags: {} first, then the state returned; an answer without state is retried")
        t.eq(len({json.dumps(e["window"]) for e in events}), 1, "one window")

        # ---- the window's end: a final invocation without records, then a fresh state ----
        s.advance_clock(60000)
        events = received(4)
        t.eq([summary(e) for e in events[3:]], [([], {"seen": ["a", "nostate-b"]}, True, False)],
             "after the window's end: the final invocation, with no records and the window's state")
        if len(events) == 4:
            t.eq(events[3]["window"], events[0]["window"], "the final invocation names its window")
            first = events[0]["window"]
        ddb.put_item(TableName="win", Item={"pk": {"S": "c"}})
        events = received(5)
        t.eq([summary(e) for e in events[4:]], [(["c"], {}, False, False)], "a record of the next window starts from {}")
        if len(events) == 5:
            t.eq(events[4]["window"]["start"], first["end"], "the next window starts where the last one ended")
        s.advance_clock(60000)
        events = received(6)
        t.eq([summary(e) for e in events[5:]], [([], {"seen": ["c"]}, True, False)], "its final invocation")
        t.eq(lam.get_event_source_mapping(UUID=m["UUID"])["LastProcessingResult"], "OK", "LastProcessingResult")
        time.sleep(0.3)
        t.eq(len(received(6, 0)), 6, "nothing more")

        # ---- a final invocation that fails is tried again, and the next window waits for it ----
        ddb.put_item(TableName="win", Item={"pk": {"S": "finalfail"}})
        received(7)
        s.advance_clock(60000)
        received(8)
        ddb.put_item(TableName="win", Item={"pk": {"S": "d"}})
        events = received(10)
        t.eq([summary(e) for e in events[6:]],
             [(["finalfail"], {}, False, False), ([], {"seen": ["finalfail"]}, True, False),
              ([], {"seen": ["finalfail"]}, True, False), (["d"], {}, False, False)],
             "the failed final invocation is retried before the next window's records")

        # ---- a state over 1 MB ends the window early: its final invocation at once, then the window from {} ----
        ddb.put_item(TableName="win", Item={"pk": {"S": "big"}})
        events = received(12)
        ddb.put_item(TableName="win", Item={"pk": {"S": "e"}})
        events = received(13)
        s.advance_clock(60000)
        events = received(14)
        t.eq([summary(e) for e in events[10:]],
             [(["big"], {"seen": ["d"]}, False, False), ([], {"seen": ["d", "big"], "pad": 1 << 20}, True, True),
              (["e"], {}, False, False), ([], {"seen": ["e"]}, True, False)],
             "a state over 1 MB: a final invocation terminated early, then the same window from {}, then its end")
        t.eq(len({json.dumps(e["window"]) for e in events[9:]}), 1, "all in d's window")
finally:
    shutil.rmtree(OUT, ignore_errors=True)
t.done()
