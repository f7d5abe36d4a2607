/* test_query.c - the query protocol against the SQS model: form bodies that
 * Debian's boto3 1.26 / aws CLI 2.9 really send (captured on loopback) decoded
 * into JSON input trees, JSON outputs rendered into exact XML, error documents,
 * and hostile forms that must fail cleanly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/jsonw.h"
#include "protocol/query.h"
#include "protocol/urlenc.h"
#include "protocol/ytree.h"

static int failures;

static h2o_iovec_t iov(const char *s)
{
    return h2o_iovec_init(s, strlen(s));
}

/* A raw NUL byte in a name or a value: refused (it used to end a name's comparison with the
 * model early and read past the model's name, and to cut a value short). */
static void raw_nul_case(void)
{
    static const char name[] = "Action=SendMessage&Attribute\0x.1.Name=a", value[] = "Action=SendMessage&MessageBody=a\0b";
    const h2o_iovec_t forms[] = {h2o_iovec_init(name, sizeof(name) - 1), h2o_iovec_init(value, sizeof(value) - 1)};
    for (size_t i = 0; i < 2; i++) {
        h2o_mem_pool_t pool;
        h2o_mem_init_pool(&pool);
        query_request_t r;
        if (query_decode(&model_sqs, h2o_iovec_init("", 0), forms[i], &pool, &r) == 0 || r.err_code == NULL ||
            strcmp(r.err_code, "MalformedQueryString") != 0) {
            printf("FAIL raw NUL %zu: want MalformedQueryString, got %s\n", i, r.err_code ? r.err_code : "success");
            failures++;
        }
        h2o_mem_clear_pool(&pool);
    }
}

/* An encoded NUL (%00) decodes as URL_NUL_AS, whole, where a NUL would cut the value short: the service then
 * refuses it as text it does not allow (an SQS body's InvalidMessageContents). */
static void encoded_nul_case(void)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    size_t n = 0;
    const char *got = url_decode(&pool, "a%00b%00", 8, 1, 1, &n);
    if (got == NULL || n != 8 || memcmp(got, "a" URL_NUL_AS "b" URL_NUL_AS, 8) != 0) {
        printf("FAIL encoded NUL: got %zu bytes\n", got ? n : 0);
        failures++;
    }
    h2o_mem_clear_pool(&pool);
}

/* Decodes query + body and compares the input tree's JSON with want (or the
 * error code with want_err). */
static void decode_case(const char *what, const char *query, const char *body, const char *want, const char *want_err)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    query_request_t r;
    int rc = query_decode(&model_sqs, iov(query), iov(body), &pool, &r);
    if (want_err != NULL) {
        if (rc == 0 || r.err_code == NULL || strcmp(r.err_code, want_err) != 0) {
            printf("FAIL %s: want error %s, got rc=%d %s: %s\n", what, want_err, rc, r.err_code ? r.err_code : "-",
                   r.err_msg ? r.err_msg : "-");
            failures++;
        }
    } else if (rc != 0) {
        printf("FAIL %s: %s: %s\n", what, r.err_code, r.err_msg);
        failures++;
    } else {
        jw_t w;
        jw_init(&w);
        ytree_write(&w, r.in); /* compact, numbers as their raw text */
        if (strcmp(w.buf, want) != 0) {
            printf("FAIL %s\n  got:  %s\n  want: %s\n", what, w.buf, want);
            failures++;
        }
        jw_free(&w);
    }
    h2o_mem_clear_pool(&pool);
}

static void decode_ok(const char *what, const char *body, const char *want)
{
    decode_case(what, "", body, want, NULL);
}

static void decode_err(const char *what, const char *body, const char *want_err)
{
    decode_case(what, "", body, NULL, want_err);
}

static void expect_doc(const char *what, h2o_iovec_t got, const char *want)
{
    if (got.base == NULL || got.len != strlen(want) || memcmp(got.base, want, got.len) != 0) {
        printf("FAIL %s\n  got:  %.*s\n  want: %s\n", what, (int)got.len, got.base ? got.base : "(null)", want);
        failures++;
    }
}

static void render_case(const char *what, const char *op_name, const char *json, const char *want)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const model_op_t *op = model_find_op(&model_sqs, op_name, strlen(op_name));
    if (op == NULL) {
        printf("FAIL %s: no op %s\n", what, op_name);
        failures++;
    } else {
        expect_doc(what, query_render_output(&model_sqs, op, json, strlen(json), "0e6bd8d3-0e8b-5bb5-a0ba-ad8eb28a0a07", &pool),
                   want);
    }
    h2o_mem_clear_pool(&pool);
}

#define NS "http://queue.amazonaws.com/doc/2012-11-05/"
#define QURL "http%3A%2F%2F127.0.0.1%3A18765%2F000000000000%2Fq1"
#define QURL_JSON "\"QueueUrl\":\"http://127.0.0.1:18765/000000000000/q1\""
#define META "<ResponseMetadata><RequestId>0e6bd8d3-0e8b-5bb5-a0ba-ad8eb28a0a07</RequestId></ResponseMetadata>"

static void test_decode_real_clients(void)
{
    /* boto3 1.26.27 send_message_batch with message and system attributes */
    decode_ok("SendMessageBatch",
              "Action=SendMessageBatch&Version=2012-11-05&QueueUrl=" QURL
              "&SendMessageBatchRequestEntry.1.Id=m1&SendMessageBatchRequestEntry.1.MessageBody=hello+world+%26+%3Cx%3E"
              "&SendMessageBatchRequestEntry.1.DelaySeconds=5&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=attr1"
              "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String"
              "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v+1%2B2%3D3"
              "&SendMessageBatchRequestEntry.1.MessageAttribute.2.Name=bin"
              "&SendMessageBatchRequestEntry.1.MessageAttribute.2.Value.DataType=Binary"
              "&SendMessageBatchRequestEntry.1.MessageAttribute.2.Value.BinaryValue=AAH%2F"
              "&SendMessageBatchRequestEntry.2.Id=m2&SendMessageBatchRequestEntry.2.MessageBody=second%0D%0Aline+%C3%A9"
              "&SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=n"
              "&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=Number"
              "&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=42"
              "&SendMessageBatchRequestEntry.2.MessageSystemAttribute.1.Name=AWSTraceHeader"
              "&SendMessageBatchRequestEntry.2.MessageSystemAttribute.1.Value.DataType=String"
              "&SendMessageBatchRequestEntry.2.MessageSystemAttribute.1.Value.StringValue=Root%3D1-5759e988-"
              "bd862e3fe1be46a994272793",
              "{" QURL_JSON ",\"Entries\":[{\"Id\":\"m1\",\"MessageBody\":\"hello world & <x>\",\"DelaySeconds\":5,"
              "\"MessageAttributes\":{\"attr1\":{\"StringValue\":\"v 1+2=3\",\"DataType\":\"String\"},"
              "\"bin\":{\"BinaryValue\":\"AAH/\",\"DataType\":\"Binary\"}}},"
              "{\"Id\":\"m2\",\"MessageBody\":\"second\\r\\nline \xc3\xa9\","
              "\"MessageAttributes\":{\"n\":{\"StringValue\":\"42\",\"DataType\":\"Number\"}},"
              "\"MessageSystemAttributes\":{\"AWSTraceHeader\":{\"StringValue\":\"Root=1-5759e988-bd862e3fe1be46a994272793\","
              "\"DataType\":\"String\"}}}]}");

    decode_ok("ReceiveMessage",
              "Action=ReceiveMessage&Version=2012-11-05&QueueUrl=" QURL "&AttributeName.1=All&MessageAttributeName.1=attr1"
              "&MessageAttributeName.2=bin&MaxNumberOfMessages=10&WaitTimeSeconds=1&VisibilityTimeout=30",
              "{" QURL_JSON ",\"AttributeNames\":[\"All\"],\"MessageAttributeNames\":[\"attr1\",\"bin\"],"
              "\"MaxNumberOfMessages\":10,\"VisibilityTimeout\":30,\"WaitTimeSeconds\":1}");

    decode_ok("CreateQueue with attributes and tags",
              "Action=CreateQueue&Version=2012-11-05&QueueName=q1.fifo&Attribute.1.Name=FifoQueue&Attribute.1.Value=true"
              "&Attribute.2.Name=VisibilityTimeout&Attribute.2.Value=60&Attribute.3.Name=RedrivePolicy&Attribute.3.Value="
              "%7B%22deadLetterTargetArn%22%3A%22arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Adlq%22%2C%22maxReceiveCount"
              "%22%3A%223%22%7D&Tag.1.Key=env&Tag.1.Value=dev&Tag.2.Key=team&Tag.2.Value=a+b",
              "{\"QueueName\":\"q1.fifo\",\"Attributes\":{\"FifoQueue\":\"true\",\"VisibilityTimeout\":\"60\","
              "\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\"arn:aws:sqs:us-east-1:000000000000:dlq\\\","
              "\\\"maxReceiveCount\\\":\\\"3\\\"}\"},\"tags\":{\"env\":\"dev\",\"team\":\"a b\"}}");

    decode_ok("UntagQueue", "Action=UntagQueue&Version=2012-11-05&QueueUrl=" QURL "&TagKey.1=env&TagKey.2=team",
              "{" QURL_JSON ",\"TagKeys\":[\"env\",\"team\"]}");

    decode_ok("SendMessage with a string list attribute (flattened member)",
              "Action=SendMessage&Version=2012-11-05&QueueUrl=" QURL "&MessageBody=x&MessageAttribute.1.Name=l"
              "&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringListValue.1=a"
              "&MessageAttribute.1.Value.StringListValue.2=b",
              "{" QURL_JSON ",\"MessageBody\":\"x\",\"MessageAttributes\":{\"l\":{\"StringListValues\":[\"a\",\"b\"],"
              "\"DataType\":\"String\"}}}");

    decode_ok("empty list as boto3 sends it", "Action=ReceiveMessage&Version=2012-11-05&QueueUrl=" QURL "&AttributeNames=",
              "{" QURL_JSON ",\"AttributeNames\":[]}");

    /* aws CLI 2.9.19 */
    decode_ok("ListQueues (CLI)", "Action=ListQueues&Version=2012-11-05", "{}");
    decode_ok("ListQueues with integer", "Action=ListQueues&Version=2012-11-05&QueueNamePrefix=q&MaxResults=10",
              "{\"QueueNamePrefix\":\"q\",\"MaxResults\":10}");
}

static void test_decode_edges(void)
{
    decode_case("GET query string plus body", "Action=GetQueueAttributes&AttributeName.1=All", "QueueUrl=" QURL,
                "{" QURL_JSON ",\"AttributeNames\":[\"All\"]}", NULL);
    decode_ok("indexes out of order and sparse",
              "Action=ReceiveMessage&QueueUrl=q&AttributeName.10=c&AttributeName.2=b&AttributeName.99999999=d"
              "&AttributeName.1=a",
              "{\"QueueUrl\":\"q\",\"AttributeNames\":[\"a\",\"b\",\"c\",\"d\"]}");
    decode_ok("bare list name (AttributeName=All)", "Action=ReceiveMessage&QueueUrl=q&AttributeName=All",
              "{\"QueueUrl\":\"q\",\"AttributeNames\":[\"All\"]}");
    decode_ok("unknown, presign and version parameters ignored",
              "Action=DeleteQueue&Version=2012-11-05&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab&Bogus=1"
              "&QueueUrl.extra=2&Attribute.1.Name=x&QueueUrl=q",
              "{\"QueueUrl\":\"q\"}");
    decode_ok("a scalar with deeper parts is not a value", "Action=DeleteQueue&QueueUrl.x=1", "{}");
    decode_ok("later duplicate wins", "Action=DeleteQueue&QueueUrl=a&QueueUrl=b", "{\"QueueUrl\":\"b\"}");
    decode_ok("unparseable integer stays a string",
              "Action=ReceiveMessage&QueueUrl=q&MaxNumberOfMessages=ten&WaitTimeSeconds=99999999999999999999"
              "&VisibilityTimeout=-5",
              "{\"QueueUrl\":\"q\",\"MaxNumberOfMessages\":\"ten\",\"VisibilityTimeout\":-5,"
              "\"WaitTimeSeconds\":\"99999999999999999999\"}");
    decode_ok("map entry without key or value dropped",
              "Action=SetQueueAttributes&QueueUrl=q&Attribute.1.Value=5&Attribute.2.Name=DelaySeconds"
              "&Attribute.3.Name=VisibilityTimeout&Attribute.3.Value=7",
              "{\"QueueUrl\":\"q\",\"Attributes\":{\"VisibilityTimeout\":\"7\"}}");
    decode_ok("empty value and no '='", "Action=SendMessage&QueueUrl=q&MessageBody=&&DelaySeconds",
              "{\"QueueUrl\":\"q\",\"MessageBody\":\"\",\"DelaySeconds\":\"\"}");
    decode_ok("batch entries by index, nested attributes",
              "Action=DeleteMessageBatch&QueueUrl=q&DeleteMessageBatchRequestEntry.2.Id=b"
              "&DeleteMessageBatchRequestEntry.1.ReceiptHandle=r1&DeleteMessageBatchRequestEntry.2.ReceiptHandle=r2"
              "&DeleteMessageBatchRequestEntry.1.Id=a",
              "{\"QueueUrl\":\"q\",\"Entries\":[{\"Id\":\"a\",\"ReceiptHandle\":\"r1\"},{\"Id\":\"b\",\"ReceiptHandle\":\"r2\"}]}");

    decode_err("missing action", "QueueUrl=q", "MissingAction");
    decode_err("empty body", "", "MissingAction");
    decode_err("unknown action", "Action=Frobnicate", "InvalidAction");
    decode_err("bad percent escape", "Action=SendMessage&MessageBody=%zz", "MalformedQueryString");
    decode_err("truncated percent escape", "Action=SendMessage&MessageBody=ab%4", "MalformedQueryString");
    encoded_nul_case();
    raw_nul_case();
    decode_err("index too large", "Action=CreateQueue&QueueName=q&Attribute.999999999999.Name=x", "MalformedQueryString");
    decode_err("index zero", "Action=CreateQueue&QueueName=q&Attribute.0.Name=x", "MalformedQueryString");
    decode_err("index not a number", "Action=ReceiveMessage&AttributeName.x=All", "MalformedQueryString");
}

static void test_decode_hostile(void)
{
    /* too many parameters */
    size_t cap = 16 * (QUERY_MAX_PARAMS + 10);
    char *big = malloc(cap), *p = big;
    p += sprintf(p, "Action=ListQueues");
    for (int i = 0; i <= QUERY_MAX_PARAMS; i++)
        p += sprintf(p, "&a%d=b", i);
    decode_err("too many parameters", big, "MalformedQueryString");

    /* too many elements in one list */
    p = big + sprintf(big, "Action=ReceiveMessage");
    for (int i = 1; i <= QUERY_MAX_ELEMS + 1; i++)
        p += sprintf(p, "&AttributeName.%d=x", i);
    decode_err("too many list elements", big, "MalformedQueryString");

    /* a deep key: ignored */
    p = big + sprintf(big, "Action=SendMessage&MessageAttribute");
    for (int i = 0; i < 200; i++)
        p += sprintf(p, ".1");
    strcpy(p, "=x");
    decode_ok("deep key", big, "{}");
    free(big);

    /* random forms from the vocabulary of real keys: must not crash (ASan run) */
    static const char *const parts[] = {"Action",
                                        "=",
                                        "&",
                                        ".",
                                        "SendMessageBatch",
                                        "CreateQueue",
                                        "1",
                                        "2",
                                        "0",
                                        "99999",
                                        "Attribute",
                                        "Name",
                                        "Value",
                                        "Tag",
                                        "Key",
                                        "MessageAttribute",
                                        "SendMessageBatchRequestEntry",
                                        "%",
                                        "%4",
                                        "%41",
                                        "+",
                                        "StringListValue",
                                        "entry",
                                        "member",
                                        "Id",
                                        "x",
                                        "DataType",
                                        "AttributeName",
                                        "ReceiveMessage"};
    unsigned seed = 12345;
    char form[512];
    for (int iter = 0; iter < 20000; iter++) {
        size_t len = 0;
        int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 40;
        for (int k = 0; k < n; k++) {
            const char *s = parts[((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof(parts) / sizeof(*parts))];
            size_t sl = strlen(s);
            if (len + sl >= sizeof(form))
                break;
            memcpy(form + len, s, sl);
            len += sl;
        }
        h2o_mem_pool_t pool;
        h2o_mem_init_pool(&pool);
        query_request_t r;
        if (query_decode(&model_sqs, h2o_iovec_init("", 0), h2o_iovec_init(form, len), &pool, &r) == 0 && r.in == NULL) {
            printf("FAIL random form: success without input\n");
            failures++;
        }
        h2o_mem_clear_pool(&pool);
    }
}

static void test_render(void)
{
    render_case("ReceiveMessage", "ReceiveMessage",
                "{\"Messages\":[{\"MessageId\":\"5fea7756-0ea4-451a-a703-a558b933e274\",\"ReceiptHandle\":\"MbZj6wDWli+Jvw\","
                "\"MD5OfBody\":\"fafb00f5732ab283681e124bf8747ed1\",\"Body\":\"a<b>&\\r\\n\","
                "\"Attributes\":{\"SenderId\":\"195004372649\",\"SentTimestamp\":\"1238099229000\"},"
                "\"MD5OfMessageAttributes\":\"3ae8f24a165a8cedc005670c81a27295\","
                "\"MessageAttributes\":{\"a\":{\"StringValue\":\"x\",\"DataType\":\"String\"},"
                "\"b\":{\"DataType\":\"Binary\",\"BinaryValue\":\"AAH/\"}}}]}",
                "<?xml version=\"1.0\"?><ReceiveMessageResponse xmlns=\"" NS "\"><ReceiveMessageResult><Message>"
                "<MessageId>5fea7756-0ea4-451a-a703-a558b933e274</MessageId><ReceiptHandle>MbZj6wDWli+Jvw</ReceiptHandle>"
                "<MD5OfBody>fafb00f5732ab283681e124bf8747ed1</MD5OfBody><Body>a&lt;b&gt;&amp;&#xD;\n</Body>"
                "<Attribute><Name>SenderId</Name><Value>195004372649</Value></Attribute>"
                "<Attribute><Name>SentTimestamp</Name><Value>1238099229000</Value></Attribute>"
                "<MD5OfMessageAttributes>3ae8f24a165a8cedc005670c81a27295</MD5OfMessageAttributes>"
                "<MessageAttribute><Name>a</Name><Value><StringValue>x</StringValue><DataType>String</DataType></Value>"
                "</MessageAttribute><MessageAttribute><Name>b</Name><Value><BinaryValue>AAH/</BinaryValue>"
                "<DataType>Binary</DataType></Value></MessageAttribute></Message></ReceiveMessageResult>" META
                "</ReceiveMessageResponse>");
    render_case("members out of model order in one list element only, an escaped key, a trailing escaped backslash",
                "ReceiveMessage",
                "{\"Messages\":[{\"Body\":\"b1\",\"MessageId\":\"i1\"},{\"M\\u0065ssageId\":\"i2\",\"Body\":\"x\\\\\"},"
                "{\"MessageId\":\"i3\",\"Body\":\"\\\"q\\\\\\\"\",\"MessageId\":\"dup\"}]}",
                "<?xml version=\"1.0\"?><ReceiveMessageResponse xmlns=\"" NS "\"><ReceiveMessageResult>"
                "<Message><MessageId>i1</MessageId><Body>b1</Body></Message>"
                "<Message><MessageId>i2</MessageId><Body>x\\</Body></Message>"
                "<Message><MessageId>i3</MessageId><Body>&quot;q\\&quot;</Body></Message></ReceiveMessageResult>" META
                "</ReceiveMessageResponse>");
    render_case("ReceiveMessage, no messages", "ReceiveMessage", "{}",
                "<?xml version=\"1.0\"?><ReceiveMessageResponse xmlns=\"" NS "\"><ReceiveMessageResult/>" META
                "</ReceiveMessageResponse>");
    render_case("ReceiveMessage, empty output text", "ReceiveMessage", "",
                "<?xml version=\"1.0\"?><ReceiveMessageResponse xmlns=\"" NS "\"><ReceiveMessageResult/>" META
                "</ReceiveMessageResponse>");
    render_case("GetQueueAttributes", "GetQueueAttributes",
                "{\"Attributes\":{\"VisibilityTimeout\":\"30\",\"DelaySeconds\":\"0\",\"QueueArn\":\"arn:aws:sqs:us-east-1:"
                "000000000000:q1\"}}",
                "<?xml version=\"1.0\"?><GetQueueAttributesResponse xmlns=\"" NS "\"><GetQueueAttributesResult>"
                "<Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>"
                "<Attribute><Name>DelaySeconds</Name><Value>0</Value></Attribute>"
                "<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:000000000000:q1</Value></Attribute>"
                "</GetQueueAttributesResult>" META "</GetQueueAttributesResponse>");
    render_case("ListQueues", "ListQueues",
                "{\"QueueUrls\":[\"http://localhost:4566/000000000000/a\",\"http://localhost:4566/000000000000/b\"]}",
                "<?xml version=\"1.0\"?><ListQueuesResponse xmlns=\"" NS "\"><ListQueuesResult>"
                "<QueueUrl>http://localhost:4566/000000000000/a</QueueUrl><QueueUrl>http://localhost:4566/000000000000/b"
                "</QueueUrl></ListQueuesResult>" META "</ListQueuesResponse>");
    render_case("SendMessageBatch", "SendMessageBatch",
                "{\"Successful\":[{\"Id\":\"m1\",\"MessageId\":\"9a8b7c6d-0000-4000-8000-000000000001\","
                "\"MD5OfMessageBody\":\"5d41402abc4b2a76b9719d911017c592\"}],"
                "\"Failed\":[{\"Id\":\"m2\",\"SenderFault\":true,\"Code\":\"InvalidParameterValue\",\"Message\":\"bad\"}]}",
                "<?xml version=\"1.0\"?><SendMessageBatchResponse xmlns=\"" NS "\"><SendMessageBatchResult>"
                "<SendMessageBatchResultEntry><Id>m1</Id><MessageId>9a8b7c6d-0000-4000-8000-000000000001</MessageId>"
                "<MD5OfMessageBody>5d41402abc4b2a76b9719d911017c592</MD5OfMessageBody></SendMessageBatchResultEntry>"
                "<BatchResultErrorEntry><Id>m2</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code>"
                "<Message>bad</Message></BatchResultErrorEntry></SendMessageBatchResult>" META "</SendMessageBatchResponse>");
    render_case("SendMessage (model order)", "SendMessage",
                "{\"MessageId\":\"m\",\"MD5OfMessageBody\":\"d\",\"Unknown\":1,\"SequenceNumber\":null}",
                "<?xml version=\"1.0\"?><SendMessageResponse xmlns=\"" NS "\"><SendMessageResult>"
                "<MD5OfMessageBody>d</MD5OfMessageBody><MessageId>m</MessageId></SendMessageResult>" META "</SendMessageResponse>");
    render_case("DeleteMessage (no output shape)", "DeleteMessage", "",
                "<?xml version=\"1.0\"?><DeleteMessageResponse xmlns=\"" NS "\">" META "</DeleteMessageResponse>");
    render_case("CreateQueue", "CreateQueue", "{\"QueueUrl\":\"http://localhost:4566/000000000000/q1\"}",
                "<?xml version=\"1.0\"?><CreateQueueResponse xmlns=\"" NS "\"><CreateQueueResult>"
                "<QueueUrl>http://localhost:4566/000000000000/q1</QueueUrl></CreateQueueResult>" META "</CreateQueueResponse>");
    render_case("ListQueueTags", "ListQueueTags", "{\"Tags\":{\"env\":\"dev\",\"team\":\"a b\"}}",
                "<?xml version=\"1.0\"?><ListQueueTagsResponse xmlns=\"" NS "\"><ListQueueTagsResult>"
                "<Tag><Key>env</Key><Value>dev</Value></Tag><Tag><Key>team</Key><Value>a b</Value></Tag>"
                "</ListQueueTagsResult>" META "</ListQueueTagsResponse>");
    render_case("ListDeadLetterSourceQueues", "ListDeadLetterSourceQueues",
                "{\"queueUrls\":[\"http://localhost:4566/000000000000/src\"]}",
                "<?xml version=\"1.0\"?><ListDeadLetterSourceQueuesResponse xmlns=\"" NS "\">"
                "<ListDeadLetterSourceQueuesResult><QueueUrl>http://localhost:4566/000000000000/src</QueueUrl>"
                "</ListDeadLetterSourceQueuesResult>" META "</ListDeadLetterSourceQueuesResponse>");
    render_case("integer output", "CancelMessageMoveTask", "{\"ApproximateNumberOfMessagesMoved\":12}",
                "<?xml version=\"1.0\"?><CancelMessageMoveTaskResponse xmlns=\"" NS "\"><CancelMessageMoveTaskResult>"
                "<ApproximateNumberOfMessagesMoved>12</ApproximateNumberOfMessagesMoved></CancelMessageMoveTaskResult>" META
                "</CancelMessageMoveTaskResponse>");

    render_case("JSON escapes, white space, skipped unknown containers, first duplicate wins", "SendMessage",
                " { \"Skip\" : {\"a\":[1,{\"b\":\"}]\\\"\"}],\"c\":null} , \"MessageId\":\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\t<\","
                "\"MessageId\":\"second\",\"MD5OfMessageBody\":\"\"}\n",
                "<?xml version=\"1.0\"?><SendMessageResponse xmlns=\"" NS "\"><SendMessageResult>"
                "<MD5OfMessageBody></MD5OfMessageBody><MessageId>\xc3\xa9\xf0\x9f\x98\x80&quot;\\/\t&lt;</MessageId>"
                "</SendMessageResult>" META "</SendMessageResponse>");
    render_case("a value of the wrong type is left out", "ListQueues", "{\"QueueUrls\":{\"x\":1},\"NextToken\":[\"t\"]}",
                "<?xml version=\"1.0\"?><ListQueuesResponse xmlns=\"" NS "\"><ListQueuesResult/>" META "</ListQueuesResponse>");

    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const model_op_t *op = model_find_op(&model_sqs, "ListQueues", 10);
    const char *bad_texts[] = {"[1,2]",     "{\"QueueUrls\":[\"a\"",     "{\"QueueUrls\":[\"a\"]} x",     "{\"a\":}",
                               "{\"a\" 1}", "{\"QueueUrls\":[\"\\x\"]}", "{\"QueueUrls\":[\"a\" \"b\"]}", "\"s\""};
    for (size_t i = 0; i < sizeof(bad_texts) / sizeof(bad_texts[0]); i++) {
        h2o_iovec_t bad = query_render_output(&model_sqs, op, bad_texts[i], strlen(bad_texts[i]), "r", &pool);
        if (bad.base != NULL) {
            printf("FAIL render of %s should fail\n", bad_texts[i]);
            failures++;
        }
    }
    h2o_mem_clear_pool(&pool);
}

static void test_errors(void)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    expect_doc("QueueDoesNotExist",
               query_render_error(&model_sqs, "QueueDoesNotExist", "The specified queue does not exist.",
                                  "b0c2b6b6-3b3e-5e71-9c8f-3a2d6d1f1a5e", &pool),
               "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"" NS "\"><Error><Type>Sender</Type>"
               "<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist for this wsdl "
               "version.</Message>"
               "<Detail/></Error><RequestId>b0c2b6b6-3b3e-5e71-9c8f-3a2d6d1f1a5e</RequestId></ErrorResponse>");
    expect_doc("InvalidParameterValue (common error, not in the model)",
               query_render_error(&model_sqs, "InvalidParameterValue", "Value <x> for parameter QueueName is invalid.", "r", &pool),
               "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"" NS "\"><Error><Type>Sender</Type>"
               "<Code>InvalidParameterValue</Code><Message>Value &lt;x&gt; for parameter QueueName is invalid.</Message>"
               "<Detail/></Error><RequestId>r</RequestId></ErrorResponse>");
    expect_doc("InternalFailure is the receiver's", query_render_error(&model_sqs, "InternalFailure", "oops", "r", &pool),
               "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"" NS "\"><Error><Type>Receiver</Type>"
               "<Code>InternalFailure</Code><Message>oops</Message><Detail/></Error><RequestId>r</RequestId></ErrorResponse>");
    expect_doc("QueueNameExists has the query code QueueAlreadyExists",
               query_render_error(&model_sqs, "QueueNameExists",
                                  "A queue already exists with the same name and a different value for attribute VisibilityTimeout",
                                  "r", &pool),
               "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"" NS "\"><Error><Type>Sender</Type>"
               "<Code>QueueAlreadyExists</Code><Message>A queue already exists with the same name and a different value for "
               "attribute VisibilityTimeout</Message><Detail/></Error><RequestId>r</RequestId></ErrorResponse>");
    h2o_mem_clear_pool(&pool);
}

int main(void)
{
    test_decode_real_clients();
    test_decode_edges();
    test_decode_hostile();
    test_render();
    test_errors();
    if (failures == 0)
        printf("test_query: ok\n");
    return failures != 0;
}
