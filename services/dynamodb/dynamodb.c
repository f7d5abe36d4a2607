/* dynamodb.c - the DynamoDB service: its operation table and open/close (placeholder until implemented). */
#include "../service.h"

static const service_op_t dynamodb_ops[] = {{NULL, NULL}};

static int dynamodb_open(const config_t *cfg, char *err, size_t errlen)
{
    return 0;
}

static void dynamodb_close(void)
{
}

const service_t dynamodb_service = {"dynamodb", &model_dynamodb, dynamodb_ops, dynamodb_open, dynamodb_close};
