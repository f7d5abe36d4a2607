"""Parked requests, proven through SQS long polling (the mechanism Lambda
Invoke uses too): a parked receive is answered the moment a message arrives;
a parked request whose client hung up is dropped and swallows nothing; on
SIGTERM every parked request is answered before the server exits."""
import http.client
import json
import threading
import time

from harness import Checks, Server

t = Checks()

with Server() as s:
    sqs = s.client("sqs")
    url = sqs.create_queue(QueueName="parked")["QueueUrl"]

    got = {}

    def poll():
        t0 = time.time()
        r = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10)
        got["msgs"], got["secs"] = r.get("Messages", []), time.time() - t0

    th = threading.Thread(target=poll)
    th.start()
    time.sleep(0.5)
    sqs.send_message(QueueUrl=url, MessageBody="wake up")
    th.join(15)
    t.eq([m["Body"] for m in got.get("msgs", [])], ["wake up"], "parked receive gets the message")
    t.true(got.get("secs", 99) < 2.0, "woken at once, not at the end of the wait (%.2fs)" % got.get("secs", 99))

    # A client that parks a long poll and hangs up must not take the next message with it.
    body = json.dumps({"QueueUrl": url, "WaitTimeSeconds": 20, "MaxNumberOfMessages": 1})
    for _ in range(3):
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=5)
        c.request("POST", "/", body=body, headers={"X-Amz-Target": "AmazonSQS.ReceiveMessage",
                                                   "Content-Type": "application/x-amz-json-1.0"})
        time.sleep(0.1)
        c.sock.close()
    time.sleep(0.3)
    sqs.send_message(QueueUrl=url, MessageBody="for the living")
    r = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2)
    t.eq([m["Body"] for m in r.get("Messages", [])], ["for the living"], "hung-up pollers swallowed nothing")

    # SIGTERM answers the parked request, and the server exits 0 within a second.
    res = {}

    def poll_until_shutdown():
        try:
            res["r"] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)
        except Exception as e:  # noqa: BLE001 - any answer but a hang is fine
            res["e"] = e

    th = threading.Thread(target=poll_until_shutdown)
    th.start()
    time.sleep(0.5)
    t0 = time.time()
    rc = s.stop()
    th.join(5)
    t.eq(rc, 0, "exit code with a parked request")
    t.true(time.time() - t0 < 1.0, "exit within a second")
    t.true(not th.is_alive() and ("r" in res or "e" in res), "parked request answered at shutdown")
    t.eq(res.get("r", {}).get("Messages", []), [], "shutdown answer is an empty receive")
t.done()
