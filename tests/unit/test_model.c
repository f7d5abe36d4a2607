/* test_model.c - the generated model tables and their lookups. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "protocol/model.h"


static const model_shape_t *shape(const model_service_t *svc, const char *name)
{
    int i = model_find_shape(svc, name);
    return i >= 0 ? &svc->shapes[i] : NULL;
}

/* Every op and shape is found by its own name (the tables are sorted). */
static void test_sorted(const model_service_t *svc)
{
    for (int i = 0; i < svc->nops; i++)
        CHECK(model_find_op(svc, svc->ops[i].name, strlen(svc->ops[i].name)) == &svc->ops[i]);
    for (int i = 0; i < svc->nshapes; i++)
        CHECK(model_find_shape(svc, svc->shapes[i].name) == i);
    CHECK(model_find_op(svc, "NoSuchOp", 8) == NULL);
    CHECK(model_find_shape(svc, "NoSuchShape") == -1);
}

static void test_sqs(void)
{
    const model_service_t *s = &model_sqs;
    CHECK(strcmp(s->target_prefix, "AmazonSQS") == 0);
    CHECK(strcmp(s->xml_namespace, "http://queue.amazonaws.com/doc/2012-11-05/") == 0);
    const model_op_t *op = model_find_op(s, "ReceiveMessageX", 14); /* a prefix slice finds the op */
    CHECK(op != NULL && strcmp(op->name, "ReceiveMessage") == 0);
    CHECK(strcmp(op->result_wrapper, "ReceiveMessageResult") == 0);
    const model_shape_t *in = &s->shapes[op->input];
    CHECK(strcmp(in->name, "ReceiveMessageRequest") == 0);
    const model_member_t *q = model_find_member(in, "QueueUrl", 8);
    CHECK(q && q->required && s->shapes[q->shape].type == SHAPE_STRING);
    const model_member_t *an = model_find_member(in, "AttributeNames", 14);
    CHECK(an && !an->required);
    const model_shape_t *anl = &s->shapes[an->shape];
    CHECK(anl->type == SHAPE_LIST && anl->flattened && strcmp(anl->member_name, "AttributeName") == 0);
    const model_member_t *msan = model_find_member(in, "MessageSystemAttributeNames", 27);
    CHECK(msan && strcmp(s->shapes[msan->shape].member_name, "AttributeName") == 0 && s->shapes[msan->shape].flattened);
    CHECK(model_find_member(in, "MaxNumberOfMessages", 19) != NULL);
    CHECK(model_find_member(in, "Bogus", 5) == NULL);
    /* query names merged from the old model */
    const model_member_t *attrs = model_find_member(shape(s, "CreateQueueRequest"), "Attributes", 10);
    CHECK(attrs && strcmp(attrs->location_name, "Attribute") == 0);
    const model_shape_t *qam = shape(s, "QueueAttributeMap");
    CHECK(qam && qam->flattened && strcmp(qam->key_name, "Name") == 0 && strcmp(qam->value_name, "Value") == 0);
    const model_shape_t *mav = shape(s, "MessageAttributeValue");
    const model_member_t *slv = model_find_member(mav, "StringListValues", 16);
    CHECK(slv && slv->flattened && strcmp(slv->location_name, "StringListValue") == 0);
    /* error traits: old model, then Smithy's awsQueryError for the newer errors */
    const model_shape_t *e = shape(s, "QueueDoesNotExist");
    CHECK(e && e->exception && e->error_status == 400 && e->sender_fault &&
          strcmp(e->query_code, "AWS.SimpleQueueService.NonExistentQueue") == 0);
    e = shape(s, "QueueNameExists");
    CHECK(e && strcmp(e->query_code, "QueueAlreadyExists") == 0);
    e = shape(s, "PurgeQueueInProgress");
    CHECK(e && e->error_status == 403 && strcmp(e->query_code, "AWS.SimpleQueueService.PurgeQueueInProgress") == 0);
    e = shape(s, "ReceiptHandleIsInvalid");
    CHECK(e && e->error_status == 404 && strcmp(e->query_code, "ReceiptHandleIsInvalid") == 0);
    e = shape(s, "KmsDisabled");
    CHECK(e && strcmp(e->query_code, "KMS.DisabledException") == 0);
    op = model_find_op(s, "ListMessageMoveTasks", 20);
    CHECK(op && strcmp(op->result_wrapper, "ListMessageMoveTasksResult") == 0);
    op = model_find_op(s, "DeleteQueue", 11);
    CHECK(op && op->output == -1 && op->result_wrapper == NULL);
}

static void test_dynamodb(void)
{
    const model_service_t *d = &model_dynamodb;
    CHECK(strcmp(d->target_prefix, "DynamoDB_20120810") == 0 && d->xml_namespace == NULL);
    const model_op_t *op = model_find_op(d, "CreateTable", 11);
    CHECK(op && op->result_wrapper == NULL);
    const model_shape_t *in = &d->shapes[op->input];
    const model_member_t *tn = model_find_member(in, "TableName", 9);
    CHECK(tn && tn->required);
    CHECK(!model_find_member(in, "BillingMode", 11)->required);
    const model_shape_t *ks = &d->shapes[model_find_member(in, "KeySchema", 9)->shape];
    CHECK(ks->type == SHAPE_LIST && ks->has_min && ks->min == 1);
    const model_shape_t *kt = shape(d, "KeyType");
    CHECK(kt && kt->nenums == 2 && strcmp(kt->enums[0], "HASH") == 0);
    const model_shape_t *name = shape(d, "TableName");
    CHECK(name && name->min == 3 && name->max == 255 && strcmp(name->pattern, "[a-zA-Z0-9_.-]+") == 0);
    const model_shape_t *rnf = shape(d, "ResourceNotFoundException");
    CHECK(rnf && rnf->exception && rnf->sender_fault);
    const model_shape_t *ise = shape(d, "InternalServerError");
    CHECK(ise && ise->exception && !ise->sender_fault);
    CHECK(strcmp(model_dynamodbstreams.target_prefix, "DynamoDBStreams_20120810") == 0);
    CHECK(model_find_op(&model_dynamodbstreams, "GetRecords", 10) != NULL);
}

static void test_lambda(void)
{
    const model_service_t *l = &model_lambda;
    CHECK(l->target_prefix == NULL);
    const model_op_t *op = model_find_op(l, "Invoke", 6);
    CHECK(op && strcmp(op->http_method, "POST") == 0 && op->success_status == 200);
    CHECK(strcmp(op->request_uri, "/2015-03-31/functions/{FunctionName}/invocations") == 0);
    const model_shape_t *in = &l->shapes[op->input];
    const model_member_t *fn = model_find_member(in, "FunctionName", 12);
    CHECK(fn && fn->location == LOC_URI && fn->required && strcmp(fn->location_name, "FunctionName") == 0);
    const model_member_t *it = model_find_member(in, "InvocationType", 14);
    CHECK(it && it->location == LOC_HEADER && strcmp(it->location_name, "X-Amz-Invocation-Type") == 0);
    const model_member_t *pl = model_find_member(in, "Payload", 7);
    CHECK(pl && pl->payload && l->shapes[pl->shape].type == SHAPE_BLOB);
    const model_member_t *q = model_find_member(in, "Qualifier", 9);
    CHECK(q && q->location == LOC_QUERYSTRING);
    const model_shape_t *out = &l->shapes[op->output];
    const model_member_t *sc = model_find_member(out, "StatusCode", 10);
    CHECK(sc && sc->location == LOC_STATUS_CODE);
    op = model_find_op(l, "CreateFunction", 14);
    CHECK(op && op->success_status == 201 && strcmp(op->request_uri, "/2015-03-31/functions") == 0);
    op = model_find_op(l, "DeleteFunction", 14);
    CHECK(op && strcmp(op->http_method, "DELETE") == 0); /* the model says 200 here, AWS answers 204 */
    const model_shape_t *rnf = shape(l, "ResourceNotFoundException");
    CHECK(rnf && rnf->error_status == 404 && rnf->sender_fault && rnf->query_code == NULL);
}

int main(void)
{
    test_sorted(&model_sqs);
    test_sorted(&model_dynamodb);
    test_sorted(&model_dynamodbstreams);
    test_sorted(&model_lambda);
    test_sqs();
    test_dynamodb();
    test_lambda();
    return check_summary();
}
