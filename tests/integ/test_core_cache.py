"""--cache-mb bounds each database's page cache (boto3). Two servers take the same 40 MB of
DynamoDB items and read them all back: the one at --cache-mb 8 peaks well below the one at the
default (256 MiB, which holds every page it read), and both return every item. Under AddressSanitizer the
peaks are not compared: its quarantine of freed memory (256 MB) and shadow pages swamp the page cache."""
import os

from harness import Checks, Server

ITEMS, SIZE = 10_000, 4_000


def peak_rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def fill_and_scan(s):
    ddb = s.client("dynamodb")
    ddb.create_table(TableName="cache", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    data = "x" * SIZE
    for start in range(0, ITEMS, 25):
        pending = {"cache": [{"PutRequest": {"Item": {"pk": {"S": "k%d" % i}, "d": {"S": data}}}}
                             for i in range(start, start + 25)]}
        while pending:
            pending = ddb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    seen, kwargs = 0, {"TableName": "cache", "ProjectionExpression": "pk"}
    while True:
        page = ddb.scan(**kwargs)
        seen += page["Count"]
        if "LastEvaluatedKey" not in page:
            return seen
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


t = Checks()
peaks = {}
for args in (("--cache-mb", "8"), ()):
    with Server(*args) as s:
        t.eq(fill_and_scan(s), ITEMS, "every item written is scanned back (%s)" % (" ".join(args) or "default"))
        peaks[args] = peak_rss_mb(s.proc.pid)
small, default = peaks[("--cache-mb", "8")], peaks[()]
print("peak RSS: %.1f MB at --cache-mb 8, %.1f MB at the default" % (small, default))
if os.environ.get("AWSEMU_SANITIZED"):
    print("sanitizer build: peak RSS not compared")
    t.done()
t.true(default > 45, "at the default bound the cache holds the 40 MB read (peak RSS %.1f MB)" % default)
t.true(small < default - 20, "at --cache-mb 8 the peak RSS stays far below (%.1f MB against %.1f)" % (small, default))
t.done()
