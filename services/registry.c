/* registry.c - which services exist, which are enabled, and their operation tables. */
#include <string.h>

#include "service.h"

static const service_t *const all_services[] = {&sqs_service, &dynamodb_service, &dynamodbstreams_service, &lambda_service,
                                                NULL};
static const service_t *enabled[sizeof(all_services) / sizeof(all_services[0])];

void services_select(const config_t *cfg)
{
    size_t n = 0;
    for (size_t i = 0; all_services[i]; i++) {
        const char *name = all_services[i]->name;
        /* DynamoDB Streams comes with DynamoDB. */
        if (config_service_enabled(cfg, strcmp(name, "dynamodbstreams") == 0 ? "dynamodb" : name))
            enabled[n++] = all_services[i];
    }
    enabled[n] = NULL;
}

const service_t *const *services_enabled(void)
{
    return enabled;
}

void services_resync(void)
{
    for (size_t i = 0; enabled[i]; i++)
        if (enabled[i]->resync)
            enabled[i]->resync();
}

const service_t *service_by_name(const char *name)
{
    for (size_t i = 0; enabled[i]; i++)
        if (strcmp(enabled[i]->name, name) == 0)
            return enabled[i];
    return NULL;
}

service_op_fn service_find_op(const service_t *svc, const char *name, size_t len)
{
    for (const service_op_t *op = svc->ops; op->name; op++)
        if (op->name[0] == name[0] && strncmp(op->name, name, len) == 0 && op->name[len] == '\0')
            return op->fn;
    return NULL;
}
