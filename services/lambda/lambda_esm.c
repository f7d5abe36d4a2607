/* lambda_esm.c - event source mappings (SQS): placeholder until the SQS in-process API lands. */
#include "lambda_internal.h"

int lambda_create_event_source_mapping(call_t *c)
{
    return call_error(c, "InvalidParameterValueException", "Event source mappings are not available yet.");
}

int lambda_get_event_source_mapping(call_t *c)
{
    return call_error(c, "ResourceNotFoundException", "The resource you requested does not exist.");
}

int lambda_list_event_source_mappings(call_t *c)
{
    jw_obj(&c->out);
    jw_key(&c->out, "EventSourceMappings");
    jw_arr(&c->out);
    jw_aend(&c->out);
    jw_end(&c->out);
    return CALL_DONE;
}

int lambda_update_event_source_mapping(call_t *c)
{
    return call_error(c, "ResourceNotFoundException", "The resource you requested does not exist.");
}

int lambda_delete_event_source_mapping(call_t *c)
{
    return call_error(c, "ResourceNotFoundException", "The resource you requested does not exist.");
}

int lambda_esm_load(void)
{
    return 0;
}

void lambda_esm_shutdown(void)
{
}

void lambda_esm_function_deleted(const lambda_fn_t *fn)
{
}
