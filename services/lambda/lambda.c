/* lambda.c - the Lambda service: its operation table and open/close (placeholder until implemented). */
#include "../service.h"

static const service_op_t lambda_ops[] = {{NULL, NULL}};

static int lambda_open(const config_t *cfg, char *err, size_t errlen)
{
    return 0;
}

static void lambda_close(void)
{
}

const service_t lambda_service = {"lambda", &model_lambda, lambda_ops, lambda_open, lambda_close};
