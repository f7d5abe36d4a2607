/* check.h - the few assertion macros the C unit tests share: each failure is
 * printed with its location; main() returns check_summary(). */
#ifndef AWSEMU_CHECK_H
#define AWSEMU_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                                                            \
    do {                                                                                                                       \
        if (cond)                                                                                                              \
            check_passed++;                                                                                                    \
        else {                                                                                                                 \
            check_failed++;                                                                                                    \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                                                             \
        }                                                                                                                      \
    } while (0)

#define CHECK_STR(got, want)                                                                                                   \
    do {                                                                                                                       \
        const char *g_ = (got), *w_ = (want);                                                                                  \
        if (g_ && w_ && strcmp(g_, w_) == 0)                                                                                   \
            check_passed++;                                                                                                    \
        else {                                                                                                                 \
            check_failed++;                                                                                                    \
            printf("FAIL %s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
        }                                                                                                                      \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
