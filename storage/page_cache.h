/* page_cache.h - SQLite's own page cache, without the scans of its whole hash table at commits.
 *
 * When balance_nonroot() puts new sibling pages in ascending order it swaps their numbers through
 * a temporary one past the end of any database (the page of SQLite's lock byte: 262,145 with 4 KB
 * pages). The default cache (pcache1) then records that number as its largest key and never lowers
 * it, and every commit afterwards asks the cache to drop pages past the database's end: with the
 * largest key far past it, pcache1 walks its whole hash table (thousands of pages) to find none.
 * On a queue of a million messages, whose receives rebalance the visibility index, that was 10-14%
 * of the server's time. This wrapper keeps a bound of its own on the keys in each cache (not
 * counting pages parked at the temporary number, which are counted apart) and passes a truncation
 * on only when a page may be past the limit. Everything else is pcache1's. */
#ifndef AWSEMU_PAGE_CACHE_H
#define AWSEMU_PAGE_CACHE_H

/* Installs the wrapper: before SQLite initializes (sqlite3_config). SQLITE_OK or an error code. */
int page_cache_register(void);

#endif
