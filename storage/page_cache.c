/* page_cache.c - pcache1 behind a bound on each cache's keys (see page_cache.h). */
#include "page_cache.h"

#include <sqlite3.h>
#include <stdlib.h>

#define LOCK_BYTE_OFFSET 0x40000000u /* SQLite's PENDING_BYTE: its page holds no data */

typedef struct {
    sqlite3_pcache *real;
    unsigned swap_key; /* balance_nonroot's temporary page number */
    unsigned max_key;  /* no page of this cache has a larger key, but those at swap_key */
    int at_swap;       /* pages at swap_key */
} cache_t;

static sqlite3_pcache_methods2 real;

static int init(void *arg)
{
    return real.xInit(arg);
}

static void shutdown(void *arg)
{
    real.xShutdown(arg);
}

static sqlite3_pcache *create(int page_size, int extra, int purgeable)
{
    cache_t *c = malloc(sizeof(*c));
    if (c == NULL)
        return NULL;
    *c = (cache_t){.real = real.xCreate(page_size, extra, purgeable), .swap_key = LOCK_BYTE_OFFSET / (unsigned)page_size + 1};
    if (c->real == NULL) {
        free(c);
        return NULL;
    }
    return (sqlite3_pcache *)c;
}

static void cachesize(sqlite3_pcache *p, int n)
{
    real.xCachesize(((cache_t *)p)->real, n);
}

static int pagecount(sqlite3_pcache *p)
{
    return real.xPagecount(((cache_t *)p)->real);
}

static sqlite3_pcache_page *fetch(sqlite3_pcache *p, unsigned key, int create_flag)
{
    cache_t *c = (cache_t *)p;
    sqlite3_pcache_page *page = real.xFetch(c->real, key, create_flag);
    if (page && key > c->max_key)
        c->max_key = key;
    return page;
}

static void unpin(sqlite3_pcache *p, sqlite3_pcache_page *page, int discard)
{
    real.xUnpin(((cache_t *)p)->real, page, discard);
}

static void rekey(sqlite3_pcache *p, sqlite3_pcache_page *page, unsigned old_key, unsigned new_key)
{
    cache_t *c = (cache_t *)p;
    real.xRekey(c->real, page, old_key, new_key);
    if (old_key == c->swap_key && c->at_swap > 0)
        c->at_swap--;
    if (new_key == c->swap_key)
        c->at_swap++;
    else if (new_key > c->max_key)
        c->max_key = new_key;
}

static void truncate_cache(sqlite3_pcache *p, unsigned limit)
{
    cache_t *c = (cache_t *)p;
    if (limit > c->max_key && (c->at_swap == 0 || limit > c->swap_key))
        return; /* no page at or past limit */
    real.xTruncate(c->real, limit);
    if (limit <= c->swap_key)
        c->at_swap = 0;
    if (limit <= c->max_key)
        c->max_key = limit ? limit - 1 : 0;
}

static void destroy(sqlite3_pcache *p)
{
    real.xDestroy(((cache_t *)p)->real);
    free(p);
}

static void shrink(sqlite3_pcache *p)
{
    real.xShrink(((cache_t *)p)->real);
}

int page_cache_register(void)
{
    int rc = sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &real);
    if (rc != SQLITE_OK)
        return rc;
    static const sqlite3_pcache_methods2 methods = {1,     NULL,  init,  shutdown,       create,  cachesize, pagecount,
                                                    fetch, unpin, rekey, truncate_cache, destroy, shrink};
    sqlite3_pcache_methods2 m = methods;
    m.pArg = real.pArg;
    return sqlite3_config(SQLITE_CONFIG_PCACHE2, &m);
}
