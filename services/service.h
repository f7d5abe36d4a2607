/* service.h - what a service (SQS, DynamoDB, Lambda) offers the host program.
 *
 * A service is a table of operations, one function each, plus open/close hooks.
 * Operation functions take a call_t (protocol/call.h) and return CALL_DONE,
 * CALL_ERROR (after call_error) or CALL_PARKED. Services know no HTTP. */
#ifndef AWSEMU_SERVICE_H
#define AWSEMU_SERVICE_H

#include "../protocol/call.h"
#include "../protocol/model.h"
#include "config.h"

typedef int (*service_op_fn)(call_t *c);

typedef struct {
    const char *name; /* operation name as in the model, e.g. "CreateQueue" */
    service_op_fn fn;
} service_op_t;

typedef struct service {
    const char *name;               /* "sqs", "dynamodb", "dynamodbstreams", "lambda" */
    const model_service_t *model;
    const service_op_t *ops;        /* terminated by {NULL, NULL} */
    /* Opens storage and state; returns 0, or -1 with a reason in err. */
    int (*open)(const config_t *cfg, char *err, size_t errlen);
    /* Answers parked calls, stops timers and children, closes storage. */
    void (*close)(void);
    /* After a loop turn's commit failed (storage rolled its writes back), or NULL: brings the
     * state the service keeps in memory back to what storage holds. */
    void (*resync)(void);
} service_t;

/* Calls every enabled service's resync hook. */
void services_resync(void);

extern const service_t sqs_service, dynamodb_service, dynamodbstreams_service, lambda_service;

/* Chooses the enabled services from cfg->services (call once at start-up). */
void services_select(const config_t *cfg);
/* The enabled services (by --services), NULL-terminated, and lookups on them. */
const service_t *const *services_enabled(void);
const service_t *service_by_name(const char *name);
service_op_fn service_find_op(const service_t *svc, const char *name, size_t len);

#endif
