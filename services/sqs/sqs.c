/* sqs.c - the SQS service: its operation table and open/close (placeholder until implemented). */
#include "../service.h"

static const service_op_t sqs_ops[] = {{NULL, NULL}};

static int sqs_open(const config_t *cfg, char *err, size_t errlen)
{
    return 0;
}

static void sqs_close(void)
{
}

const service_t sqs_service = {"sqs", &model_sqs, sqs_ops, sqs_open, sqs_close};
