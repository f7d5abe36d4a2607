/* ddb_arn.c - ARNs as DynamoDB reads them: an ARN's fields, the regions AWS
 * has, and the words for a value that is no ARN at all. Backups (ddb_backup.c)
 * and TableName ARNs (ddb_table.c) are checked with these, each in its own
 * words. */
#include <string.h>

#include "services/dynamodb/ddb_core.h"

/* The regions of AWS's commercial partition (botocore's endpoints.json, 2026). */
static const char *const aws_regions[] = {
    "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
    "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6",
    "ap-southeast-7", "ca-central-1",   "ca-west-1",      "eu-central-1",   "eu-central-2",   "eu-north-1",     "eu-south-1",
    "eu-south-2",     "eu-west-1",      "eu-west-2",      "eu-west-3",      "il-central-1",   "me-central-1",   "me-south-1",
    "mx-central-1",   "sa-east-1",      "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2"};

int ddb_region_known(const call_t *c, const char *region)
{
    if (strcmp(region, c->region) == 0)
        return 1;
    for (size_t i = 0; i < sizeof(aws_regions) / sizeof(aws_regions[0]); i++)
        if (strcmp(region, aws_regions[i]) == 0)
            return 1;
    return 0;
}

int ddb_arn_fields(call_t *c, const char *arn, const char *f[DDB_ARN_FIELDS])
{
    if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
        return -1;
    const char *p = arn + 4;
    for (int i = 0; i < DDB_ARN_RESOURCE; i++) {
        const char *colon = strchr(p, ':');
        if (colon == NULL)
            return -1;
        f[i] = call_strndup(c, p, (size_t)(colon - p));
        p = colon + 1;
    }
    f[DDB_ARN_RESOURCE] = p;
    return 0;
}

int ddb_arn_start_check(call_t *c, const char *arn)
{
    if (arn && strncmp(arn, "arn:", 4) == 0)
        return CALL_DONE;
    return ddb_validation(
        c, call_sprintf(c, "One or more parameter values were invalid: ARNs must start with 'arn:': %s", arn ? arn : ""));
}
