/* check.h - what the C unit tests share: CHECK(cond[, "fmt", args...]) counts
 * a pass or prints the failure with its place; tests with their own
 * comparisons count failures in check_failed; main() ends with
 * `return check_summary();`, which prints "N passed, N failed" for CI. */
#ifndef AWSEMU_CHECK_H
#define AWSEMU_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                                                                       \
    do {                                                                                                                       \
        if (cond) {                                                                                                            \
            check_passed++;                                                                                                    \
        } else {                                                                                                               \
            check_failed++;                                                                                                    \
            printf("FAIL %s:%d: %s", __FILE__, __LINE__, #cond);                                                               \
            printf(" " __VA_ARGS__);                                                                                           \
            putchar('\n');                                                                                                     \
        }                                                                                                                      \
    } while (0)

#define CHECK_STR(got, want)                                                                                                   \
    do {                                                                                                                       \
        const char *g_ = (got), *w_ = (want);                                                                                  \
        CHECK(g_ && w_ && strcmp(g_, w_) == 0, "got \"%s\", want \"%s\"", g_ ? g_ : "(null)", w_ ? w_ : "(null)");             \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
