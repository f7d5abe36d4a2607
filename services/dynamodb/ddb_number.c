/* ddb_number.c - DynamoDB exact decimal numbers (see ddb_number.h). Stub: being filled in. */
#include "services/dynamodb/ddb_number.h"

#include <string.h>

int ddb_num_parse(const char *text, size_t len, ddb_num_t *out)
{
    memset(out, 0, sizeof(*out));
    return DDB_NUM_EINVALID;
}

const char *ddb_num_strerror(int rc)
{
    return "";
}

char *ddb_num_errmsg(int rc, const char *text, size_t len, char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    return buf;
}

size_t ddb_num_format(const ddb_num_t *n, char *buf)
{
    buf[0] = '0';
    buf[1] = '\0';
    return 1;
}

int ddb_num_cmp(const ddb_num_t *a, const ddb_num_t *b)
{
    return 0;
}

int ddb_num_add(const ddb_num_t *a, const ddb_num_t *b, ddb_num_t *out)
{
    return DDB_NUM_EINVALID;
}

int ddb_num_sub(const ddb_num_t *a, const ddb_num_t *b, ddb_num_t *out)
{
    return DDB_NUM_EINVALID;
}

size_t ddb_num_key(const ddb_num_t *n, unsigned char *out)
{
    out[0] = 0;
    return 1;
}

size_t ddb_num_size(const ddb_num_t *n)
{
    return 1;
}
