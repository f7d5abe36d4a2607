// test_sqs_sdkv3.mjs - SQS with the AWS SDK for JavaScript v3 (JSON 1.0). The SDK checks
// MD5OfMessageBody on send, batch send and receive, so every message here proves our MD5s.
import {
  SQSClient, CreateQueueCommand, GetQueueUrlCommand, SendMessageCommand, SendMessageBatchCommand,
  ReceiveMessageCommand, DeleteMessageCommand, DeleteMessageBatchCommand, ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand, ListQueuesCommand, DeleteQueueCommand, PurgeQueueCommand,
} from "@aws-sdk/client-sqs";
import { withServer, check } from "./harness.mjs";

await withServer(async (s) => {
  const sqs = new SQSClient(s.clientConfig());
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "js", Attributes: { VisibilityTimeout: "1" } }));
  check.eq(QueueUrl, `${s.endpoint}/000000000000/js`, "queue url");
  check.eq((await sqs.send(new GetQueueUrlCommand({ QueueName: "js" }))).QueueUrl, QueueUrl, "get url");
  await check.rejects(() => sqs.send(new GetQueueUrlCommand({ QueueName: "nope" })), "QueueDoesNotExist", "missing queue");

  const bodies = ["plain", "h\u00e9llo \u{1F600}", "<xml>&amp;</xml>", "x".repeat(300000)];
  for (const b of bodies) {
    const r = await sqs.send(new SendMessageCommand({
      QueueUrl, MessageBody: b,
      MessageAttributes: { n: { DataType: "Number", StringValue: "42" }, bin: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2, 255]) } },
    }));
    check.true(r.MessageId && r.MD5OfMessageAttributes, "send " + b.slice(0, 10));
  }
  const batch = await sqs.send(new SendMessageBatchCommand({
    QueueUrl, Entries: [{ Id: "a", MessageBody: "batch-a" }, { Id: "b", MessageBody: "batch-b \u00fc" }],
  }));
  check.eq(batch.Successful.length, 2, "batch send");
  const wide = "1" + "0".repeat(60) + ".000"; // one significant digit: within SQS's 38, and under 10^126
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "wide", MessageAttributes: { w: { DataType: "Number.big", StringValue: wide } } }));
  await check.rejects(() => sqs.send(new SendMessageCommand({
    QueueUrl, MessageBody: "x", MessageAttributes: { w: { DataType: "Number", StringValue: "1e127" } },
  })), "InvalidParameterValue", "a Number past 10^126");

  const seen = new Map();
  for (let i = 0; i < 5 && seen.size < 7; i++) {
    const r = await sqs.send(new ReceiveMessageCommand({
      QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"], WaitTimeSeconds: 1,
    }));
    for (const m of r.Messages ?? []) seen.set(m.Body, m);
  }
  check.eq(seen.size, 7, "received all (MD5s verified by the SDK)");
  check.eq(seen.get("wide").MessageAttributes.w, { DataType: "Number.big", StringValue: wide }, "a Number as sent");
  const m = seen.get("plain");
  check.eq(m.MessageAttributes.n, { DataType: "Number", StringValue: "42" }, "number attribute");
  check.eq(Array.from(m.MessageAttributes.bin.BinaryValue), [0, 1, 2, 255], "binary attribute");
  check.eq(m.Attributes.ApproximateReceiveCount, "1", "receive count");

  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  const rest = [...seen.values()].filter((x) => x !== m);
  const del = await sqs.send(new DeleteMessageBatchCommand({
    QueueUrl, Entries: rest.slice(0, 5).map((x, i) => ({ Id: "d" + i, ReceiptHandle: x.ReceiptHandle })),
  }));
  check.eq(del.Successful.length, 5, "delete batch");
  await check.rejects(() => sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: "junk", VisibilityTimeout: 1 })),
    "ReceiptHandleIsInvalid", "bad receipt");

  // the last one comes back after its 1 s visibility timeout, woken by the timer
  const t0 = Date.now();
  const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }));
  check.eq(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount, "2", "redelivered");
  check.true(Date.now() - t0 < 2000, "within the visibility timeout");

  // long poll woken by a send from another client
  const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
  await new Promise((r) => setTimeout(r, 200));
  const t1 = Date.now();
  await new SQSClient(s.clientConfig()).send(new SendMessageCommand({ QueueUrl, MessageBody: "wake" }));
  const woke = await waiting;
  check.eq(woke.Messages?.[0]?.Body, "wake", "long poll woken");
  check.true(Date.now() - t1 < 500, "woken promptly");

  const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes;
  check.eq(attrs.QueueArn, "arn:aws:sqs:us-east-1:000000000000:js", "arn");
  await sqs.send(new PurgeQueueCommand({ QueueUrl }));
  check.eq((await sqs.send(new ListQueuesCommand({}))).QueueUrls, [QueueUrl], "list");
  await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  check.eq((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined, "deleted");
});
