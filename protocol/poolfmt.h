/* poolfmt.h - small text helpers on pool memory and bytes: printf and concatenation into a
 * memory pool, and lower-case hex of a byte string. */
#ifndef AWSEMU_POOLFMT_H
#define AWSEMU_POOLFMT_H

#include <h2o/memory.h>
#include <stdarg.h>

/* A NUL-terminated formatted string allocated from pool. */
char *pool_sprintf(h2o_mem_pool_t *pool, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *pool_vsprintf(h2o_mem_pool_t *pool, const char *fmt, va_list ap);
/* The NUL-terminated strings up to a NULL argument, one after the other, allocated from pool:
 * a printf of only %s costs ten times as much. */
char *pool_join(h2o_mem_pool_t *pool, const char *first, ...) __attribute__((sentinel));

/* Writes 2*n lower-case hex digits and a NUL to out. */
void hex_encode(const unsigned char *d, size_t n, char *out);

#endif
