/* streams.c - the DynamoDB Streams service (DynamoDBStreams_20120810): placeholder until implemented. */
#include "../service.h"

static const service_op_t streams_ops[] = {{NULL, NULL}};

const service_t dynamodbstreams_service = {"dynamodbstreams", &model_dynamodbstreams, streams_ops, NULL, NULL};
