/* test_resync.c - the bookkeeping of a service's resync (services/resync.c): objects taken from a
 * linked list or an array, matched by stored records, and only the unmatched ones dropped, only
 * when storage was read through. */
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "services/resync.h"

typedef struct node {
    const char *name;
    struct node *next;
    int dropped;
} node_t;

static int is(const void *held, const void *key)
{
    return strcmp(((const node_t *)held)->name, key) == 0;
}

static void drop(void *held)
{
    ((node_t *)held)->dropped++;
}

int main(void)
{
    node_t c = {"c", NULL, 0}, b = {"b", &c, 0}, a = {"a", &b, 0};
    resync_t r;
    CHECK(resync_begin_list(&r, &a, offsetof(node_t, next)) == 0);
    CHECK(r.n == 3 && r.held[0] == &a && r.held[1] == &b && r.held[2] == &c);
    CHECK(resync_find(&r, is, "c") == &c);
    CHECK(resync_find(&r, is, "c") == NULL, "a held object is matched once");
    CHECK(resync_find(&r, is, "z") == NULL);
    CHECK(resync_find(&r, is, "a") == &a);
    resync_end(&r, 1, drop);
    CHECK(a.dropped == 0 && b.dropped == 1 && c.dropped == 0, "only the unmatched one: %d %d %d", a.dropped, b.dropped, c.dropped);

    void *arr[2] = {&a, &b};
    CHECK(resync_begin_array(&r, arr, 2) == 0);
    resync_end(&r, 0, drop);
    CHECK(a.dropped == 0 && b.dropped == 1, "nothing dropped when storage was not read through");

    CHECK(resync_begin_list(&r, NULL, offsetof(node_t, next)) == 0 && r.n == 0);
    resync_end(&r, 1, drop);
    CHECK(resync_begin_array(&r, NULL, 0) == 0 && r.n == 0);
    resync_end(&r, 1, drop);
    return check_summary();
}
