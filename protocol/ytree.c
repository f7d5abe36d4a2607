/* ytree.c - pool-allocated yajl trees (see ytree.h). */
#include "ytree.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

yajl_val ytree_new(h2o_mem_pool_t *pool, yajl_type type)
{
    yajl_val v = h2o_mem_alloc_pool(pool, sizeof(*v));
    memset(v, 0, sizeof(*v));
    v->type = type;
    return v;
}

yajl_val ytree_string(h2o_mem_pool_t *pool, const char *s, size_t len)
{
    yajl_val v = ytree_new(pool, yajl_t_string);
    v->u.string = h2o_strdup(pool, s, len).base;
    return v;
}

/* A number from text when it is a whole decimal (integer shapes) or a finite
 * decimal (floating shapes); NULL otherwise. */
static yajl_val number(h2o_mem_pool_t *pool, const char *text, int integral)
{
    char *end;
    errno = 0;
    if (*text == '\0' || (*text != '-' && (*text < '0' || *text > '9')))
        return NULL;
    yajl_val v = ytree_new(pool, yajl_t_number);
    v->u.number.r = (char *)text;
    if (integral) {
        long long i = strtoll(text, &end, 10);
        if (*end != '\0' || errno != 0)
            return NULL;
        v->u.number.i = i;
        v->u.number.d = (double)i;
        v->u.number.flags = YAJL_NUMBER_INT_VALID | YAJL_NUMBER_DOUBLE_VALID;
    } else {
        double d = strtod(text, &end);
        if (*end != '\0' || !isfinite(d))
            return NULL;
        v->u.number.d = d;
        v->u.number.flags = YAJL_NUMBER_DOUBLE_VALID;
    }
    return v;
}

yajl_val ytree_scalar(h2o_mem_pool_t *pool, model_shape_type_t type, const char *text)
{
    yajl_val v = NULL;
    switch (type) {
    case SHAPE_INTEGER:
    case SHAPE_LONG:
        v = number(pool, text, 1);
        break;
    case SHAPE_DOUBLE:
    case SHAPE_FLOAT:
        v = number(pool, text, 0);
        break;
    case SHAPE_BOOLEAN:
        if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
            v = ytree_new(pool, text[0] == 't' ? yajl_t_true : yajl_t_false);
        break;
    default:
        break;
    }
    if (v == NULL) {
        v = ytree_new(pool, yajl_t_string);
        v->u.string = (char *)text;
    }
    return v;
}

yajl_val ytree_object_extend(h2o_mem_pool_t *pool, yajl_val obj, const char **keys, yajl_val *values, size_t n)
{
    size_t have = obj ? obj->u.object.len : 0;
    yajl_val v = ytree_new(pool, yajl_t_object);
    v->u.object.keys = h2o_mem_alloc_pool(pool, (have + n + 1) * sizeof(char *));
    v->u.object.values = h2o_mem_alloc_pool(pool, (have + n + 1) * sizeof(yajl_val));
    if (have) {
        memcpy(v->u.object.keys, obj->u.object.keys, have * sizeof(char *));
        memcpy(v->u.object.values, obj->u.object.values, have * sizeof(yajl_val));
    }
    memcpy(v->u.object.keys + have, keys, n * sizeof(char *));
    memcpy(v->u.object.values + have, values, n * sizeof(yajl_val));
    v->u.object.len = have + n;
    return v;
}

void ytree_write(jw_t *w, yajl_val v)
{
    if (v == NULL) {
        jw_null(w);
        return;
    }
    switch (v->type) {
    case yajl_t_string: jw_str(w, v->u.string); break;
    case yajl_t_number: jw_raw(w, v->u.number.r, strlen(v->u.number.r)); break;
    case yajl_t_true: jw_bool(w, 1); break;
    case yajl_t_false: jw_bool(w, 0); break;
    case yajl_t_object:
        jw_obj(w);
        for (size_t i = 0; i < v->u.object.len; i++) {
            jw_key(w, v->u.object.keys[i]);
            ytree_write(w, v->u.object.values[i]);
        }
        jw_end(w);
        break;
    case yajl_t_array:
        jw_arr(w);
        for (size_t i = 0; i < v->u.array.len; i++)
            ytree_write(w, v->u.array.values[i]);
        jw_aend(w);
        break;
    default: jw_null(w); break;
    }
}
