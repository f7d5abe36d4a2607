/* model.c - lookups in the generated service models (model_gen.c).
 *
 * Shapes and operations are generated sorted by name (strcmp order), so both
 * are found by binary search; structure members are few and searched in order. */
#include <string.h>

#include "model.h"

/* strcmp of the NUL-terminated a against the slice b (len bytes). */
static int model_cmp(const char *a, const char *b, size_t len)
{
    int c = strncmp(a, b, len);
    if (c != 0)
        return c;
    return a[len] == '\0' ? 0 : 1;
}

const model_op_t *model_find_op(const model_service_t *svc, const char *name, size_t len)
{
    int lo = 0, hi = svc->nops - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = model_cmp(svc->ops[mid].name, name, len);
        if (c == 0)
            return &svc->ops[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

int model_find_shape(const model_service_t *svc, const char *name)
{
    size_t len = strlen(name);
    int lo = 0, hi = svc->nshapes - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = model_cmp(svc->shapes[mid].name, name, len);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

const model_member_t *model_find_member(const model_shape_t *shape, const char *name, size_t len)
{
    for (int i = 0; i < shape->nmembers; i++)
        if (model_cmp(shape->members[i].name, name, len) == 0)
            return &shape->members[i];
    return NULL;
}
