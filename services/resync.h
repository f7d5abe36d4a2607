/* resync.h - the bookkeeping of a service's resync hook (service.h): after a failed commit a service
 * reads what storage holds and matches it against the objects it holds in memory; the objects no
 * stored record matched are dropped at the end. */
#ifndef AWSEMU_RESYNC_H
#define AWSEMU_RESYNC_H

#include <stddef.h>

typedef struct {
    void **held; /* the objects in memory when the resync began */
    char *found; /* found[i]: a stored record matched held[i] */
    size_t n;
} resync_t;

/* Takes the objects of a NULL-terminated linked list whose link is at next_off. 0, or -1 (out of memory). */
int resync_begin_list(resync_t *r, void *head, size_t next_off);
/* Takes n objects from an array. 0, or -1 (out of memory). */
int resync_begin_array(resync_t *r, void *const *items, size_t n);
/* The held object `is` says is the one key names, now marked found; NULL if none is. */
void *resync_find(resync_t *r, int (*is)(const void *held, const void *key), const void *key);
/* Drops every held object left unmatched (when storage was read through: read_ok), then frees r. */
void resync_end(resync_t *r, int read_ok, void (*drop)(void *held));

#endif
