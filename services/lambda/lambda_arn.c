/* lambda_arn.c - function names as Lambda accepts them (name, name:qualifier,
 * partial ARN account:function:name[:qualifier], full ARN) and the ARNs we hand out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_internal.h"

/* Characters [a-zA-Z0-9-_] (and '.' when dots), 1 to max of them; 2 when all are digits. */
static int name_chars(const char *s, size_t max, int dots)
{
    size_t len = strlen(s), digits = 0;
    if (len == 0 || len > max)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        digits += ch >= '0' && ch <= '9';
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
              (dots && ch == '.')))
            return 0;
    }
    return digits == len ? 2 : 1;
}

int lambda_valid_alias_name(const char *s)
{
    return name_chars(s, 128, 0) == 1; /* (?!^[0-9]+$)([a-zA-Z0-9-_]+): all digits would read as a version */
}

/* Splits s on ':' into at most max parts (pointers into a pool copy). */
static int split_colons(call_t *c, const char *s, char **parts, int max)
{
    char *copy = call_strdup(c, s);
    int n = 0;
    parts[n++] = copy;
    for (char *p = copy; *p; p++) {
        if (*p != ':')
            continue;
        if (n == max)
            return max + 1;
        *p = '\0';
        parts[n++] = p + 1;
    }
    return n;
}

static int pattern_error(call_t *c, const char *function_name)
{
    return call_error(c, "ValidationException",
                      "1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must "
                      "satisfy regular expression pattern: "
                      "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)"
                      "(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
                      function_name);
}

int lambda_valid_new_name(call_t *c, const char *name)
{
    if (strlen(name) > 64)
        return call_error(c, "ValidationException",
                          "1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must "
                          "have length less than or equal to 64",
                          name);
    if (!name_chars(name, 64, 0))
        return pattern_error(c, name);
    return CALL_DONE;
}

/* A function of another region or account, named by its ARN. */
static int elsewhere(call_t *c, const char *region, const char *account, const char *name)
{
    if (region && *region && strcmp(region, c->region) != 0)
        return call_error(c, "ResourceNotFoundException", "Functions from '%s' are not reachable in this region ('%s')", region,
                          c->region);
    if (account && *account && strcmp(account, c->account) != 0)
        return call_error(c, "ResourceNotFoundException", "Function not found: arn:aws:lambda:%s:%s:function:%s", c->region,
                          account, name);
    return CALL_DONE;
}

int lambda_parse_ref(call_t *c, const char *function_name, const char *qualifier, lambda_ref_t *out)
{
    char *p[8];
    int n = split_colons(c, function_name ? function_name : "", p, 8);
    const char *name = NULL, *qual = NULL, *region = NULL, *account = NULL;
    if (n >= 6 && strcmp(p[0], "arn") == 0 && strcmp(p[2], "lambda") == 0 && strcmp(p[5], "function") == 0 && n <= 8) {
        name = n > 6 ? p[6] : NULL;
        qual = n == 8 ? p[7] : NULL;
        region = p[3];
        account = p[4];
    } else if (n >= 3 && n <= 4 && strcmp(p[1], "function") == 0) {
        name = p[2];
        qual = n == 4 ? p[3] : NULL;
        account = p[0];
    } else if (n <= 2) {
        name = p[0];
        qual = n == 2 ? p[1] : NULL;
    }
    /* a name no function can have (a dot, past 64) is simply not found: only its characters are checked here */
    if (!name || !name_chars(name, 140, 1) || (qual && !*qual))
        return pattern_error(c, function_name ? function_name : "");
    if (elsewhere(c, region, account, name) != CALL_DONE)
        return CALL_ERROR;
    if (qualifier && *qualifier && qual && strcmp(qual, qualifier) != 0)
        return call_error(c, "InvalidParameterValueException",
                          "The derived qualifier from the function name does not match the specified qualifier.");
    out->name = name;
    out->qualifier = qualifier && *qualifier ? qualifier : qual;
    return CALL_DONE;
}

/* "arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]" into out (NULL: only measured); its length. */
static size_t arn_put(char *out, const char *region, const char *account, const char *name, const char *qualifier)
{
    const char *parts[] = {"arn:aws:lambda:", region, ":", account, ":function:", name, qualifier ? ":" : "", qualifier};
    size_t n = 0;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        size_t len = parts[i] ? strlen(parts[i]) : 0;
        if (out && len)
            memcpy(out + n, parts[i], len);
        n += len;
    }
    if (out)
        out[n] = '\0';
    return n;
}

char *lambda_arn_fmt(const char *region, const char *account, const char *name, const char *qualifier)
{
    char *s = malloc(arn_put(NULL, region, account, name, qualifier) + 1);
    if (s)
        arn_put(s, region, account, name, qualifier);
    return s;
}

char *lambda_fn_arn(call_t *c, const lambda_fn_t *fn, const char *qualifier)
{
    char *s = call_alloc(c, arn_put(NULL, fn->region, fn->account, fn->name, qualifier) + 1);
    arn_put(s, fn->region, fn->account, fn->name, qualifier);
    return s;
}
