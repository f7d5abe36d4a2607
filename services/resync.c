/* resync.c - the bookkeeping of a service's resync hook (see resync.h). */
#include "resync.h"

#include <stdlib.h>
#include <string.h>

static int take(resync_t *r, size_t n)
{
    *r = (resync_t){malloc((n + 1) * sizeof(*r->held)), calloc(n + 1, 1), n};
    if (r->held && r->found)
        return 0;
    free(r->held);
    free(r->found);
    return -1;
}

int resync_begin_list(resync_t *r, void *head, size_t next_off)
{
    size_t n = 0;
    for (char *p = head; p; p = *(char **)(p + next_off))
        n++;
    if (take(r, n) != 0)
        return -1;
    n = 0;
    for (char *p = head; p; p = *(char **)(p + next_off))
        r->held[n++] = p;
    return 0;
}

int resync_begin_array(resync_t *r, void *const *items, size_t n)
{
    if (take(r, n) != 0)
        return -1;
    if (n)
        memcpy(r->held, items, n * sizeof(*items));
    return 0;
}

void *resync_find(resync_t *r, int (*is)(const void *held, const void *key), const void *key)
{
    for (size_t i = 0; i < r->n; i++)
        if (!r->found[i] && is(r->held[i], key)) {
            r->found[i] = 1;
            return r->held[i];
        }
    return NULL;
}

void resync_end(resync_t *r, int read_ok, void (*drop)(void *held))
{
    for (size_t i = 0; read_ok && i < r->n; i++)
        if (!r->found[i])
            drop(r->held[i]);
    free(r->held);
    free(r->found);
}
