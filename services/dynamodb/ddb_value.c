/* ddb_value.c - DynamoDB AttributeValues (see ddb_value.h). Stub: being filled in. */
#include "services/dynamodb/ddb_value.h"

ddb_type_t ddb_av_type(yajl_val av)
{
    return DDB_T_NONE;
}

yajl_val ddb_av_inner(yajl_val av)
{
    return NULL;
}

const char *ddb_type_name(ddb_type_t t)
{
    return "";
}

ddb_type_t ddb_type_from_name(const char *name, size_t len)
{
    return DDB_T_NONE;
}

int ddb_type_is_scalar(ddb_type_t t)
{
    return t == DDB_T_S || t == DDB_T_N || t == DDB_T_B;
}

int ddb_av_validate(h2o_mem_pool_t *pool, yajl_val av, const char **msg)
{
    return 0;
}

int ddb_item_validate(h2o_mem_pool_t *pool, yajl_val item, const char **msg)
{
    return 0;
}

int ddb_key_validate(h2o_mem_pool_t *pool, const char *name, yajl_val av, ddb_type_t want, int is_hash,
                     const char **msg)
{
    return 0;
}

size_t ddb_av_size(yajl_val av)
{
    return 0;
}

size_t ddb_item_size(yajl_val item)
{
    return 0;
}

int ddb_av_compare(yajl_val a, yajl_val b)
{
    return 0;
}

int ddb_av_equal(yajl_val a, yajl_val b)
{
    return 0;
}

long ddb_key_encode(yajl_val av, unsigned char *out, size_t cap)
{
    return -1;
}

void ddb_av_write(jw_t *w, yajl_val av)
{
    jw_null(w);
}

void ddb_item_write(jw_t *w, yajl_val item)
{
    jw_obj(w);
    jw_end(w);
}

int ddb_av_number(yajl_val av, ddb_num_t *out)
{
    return DDB_NUM_EINVALID;
}

long ddb_b64_bytes(h2o_mem_pool_t *pool, yajl_val str, const unsigned char **out)
{
    return -1;
}

yajl_val ddb_json_str(h2o_mem_pool_t *pool, const char *s, size_t len)
{
    return NULL;
}

yajl_val ddb_av_new(h2o_mem_pool_t *pool, ddb_type_t t, yajl_val inner)
{
    return NULL;
}

yajl_val ddb_av_new_n(h2o_mem_pool_t *pool, const ddb_num_t *n)
{
    return NULL;
}
