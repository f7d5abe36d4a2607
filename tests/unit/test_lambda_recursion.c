/* test_lambda_recursion.c - the Lineage of recursive loop detection (lambda_recursion.c): a function's count read
 * from a trace header (0 without an entry of its own; either entry form, "1:" versioned or not), the Lineage an
 * invocation passes on (its own entry first, other functions' kept), and the stop at the 17th invocation unless
 * RecursiveLoop is Allow. */
#include <stdio.h>
#include <stdlib.h>

#include "../../services/lambda/lambda_internal.h"
#include "check.h"

/* fn's own Lineage entry "1:<hash>:0", to learn its hash. */
static char *own_entry(const lambda_fn_t *fn)
{
    return lambda_lineage_new(NULL, fn, 0);
}

int main(void)
{
    lambda_fn_t a = {.account = "000000000000", .region = "us-east-1", .name = "a"};
    lambda_fn_t b = {.account = "000000000000", .region = "us-east-1", .name = "b"};
    char *ea = own_entry(&a), *eb = own_entry(&b), ha[9], hb[9], trace[256];
    CHECK(strlen(ea) == 12 && strncmp(ea, "1:", 2) == 0 && strcmp(ea + 10, ":0") == 0, "own entry %s", ea);
    snprintf(ha, sizeof(ha), "%.8s", ea + 2);
    snprintf(hb, sizeof(hb), "%.8s", eb + 2);
    CHECK(strcmp(ha, hb) != 0, "functions differ: %s %s", ha, hb);

    CHECK(lambda_lineage_next(NULL, &a) == 0, "no trace: a first invocation");
    CHECK(lambda_lineage_next("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", &a) == 0, "no Lineage");
    snprintf(trace, sizeof(trace), "Root=1-x;Parent=y;Sampled=0;Lineage=1:%s:4", ha);
    CHECK(lambda_lineage_next(trace, &a) == 5, "its entry counts 4: the next is 5");
    CHECK(lambda_lineage_next(trace, &b) == 0, "another function's entry does not count for b");
    snprintf(trace, sizeof(trace), "Lineage=%s:7|1:%s:2;Self=z", hb, ha);
    CHECK(lambda_lineage_next(trace, &a) == 3, "a later entry, versioned");
    CHECK(lambda_lineage_next(trace, &b) == 8, "the first entry, unversioned");

    char *next = lambda_lineage_new(trace, &a, 3), want[64];
    snprintf(want, sizeof(want), "1:%s:3|%s:7", ha, hb);
    CHECK_STR(next, want);
    free(next);
    next = lambda_lineage_new("Lineage=garbage|1:zz:1|", &a, 0);
    snprintf(want, sizeof(want), "1:%s:0", ha);
    CHECK_STR(next, want);
    free(next);

    CHECK(!lambda_recursion_stops(&a, 15), "the 16th invocation runs");
    CHECK(lambda_recursion_stops(&a, 16), "the 17th is stopped (Terminate by default)");
    a.configs_json = "{\"Recursion\":{\"RecursiveLoop\":\"Allow\"}}";
    CHECK(!lambda_recursion_stops(&a, 100), "Allow lets it run");
    a.configs_json = "{\"Recursion\":{\"RecursiveLoop\":\"Terminate\"}}";
    CHECK(lambda_recursion_stops(&a, 16), "Terminate stops it");
    free(ea), free(eb);
    return check_summary();
}
