/* ytree_same.h - whether two yajl trees are the same (types, member order, text, number flags):
 * how test_ytree.c and fuzz_awsjson.c hold ytree_parse to yajl_tree_parse. */
#ifndef AWSEMU_YTREE_SAME_H
#define AWSEMU_YTREE_SAME_H

#include <ctype.h>
#include <string.h>
#include <yajl/yajl_tree.h>

/* Whether text escapes a high surrogate that no low one follows. There the trees differ by design:
 * ytree_parse keeps the surrogate's three-byte encoding (SQS refuses it, the JSON writer makes it
 * '?'), where yajl writes '?' or pairs it with whatever escape follows. */
static inline int ytree_lone_high(const char *s, size_t len)
{
    for (size_t i = 0; i + 6 <= len; i++) {
        if (s[i] != '\\')
            continue;
        if (s[i + 1] == 'u' && tolower((unsigned char)s[i + 2]) == 'd' && strchr("89abAB", s[i + 3]) && s[i + 3] &&
            !(i + 12 <= len && s[i + 6] == '\\' && s[i + 7] == 'u' && tolower((unsigned char)s[i + 8]) == 'd' && s[i + 9] &&
              strchr("cdefCDEF", s[i + 9])))
            return 1;
        i++; /* the escaped character */
    }
    return 0;
}

static inline int ytree_same(yajl_val a, yajl_val b)
{
    if (a == NULL || b == NULL || a->type != b->type)
        return 0;
    switch (a->type) {
    case yajl_t_string:
        return strcmp(a->u.string, b->u.string) == 0;
    case yajl_t_number:
        return strcmp(a->u.number.r, b->u.number.r) == 0 && a->u.number.flags == b->u.number.flags &&
               a->u.number.i == b->u.number.i && (a->u.number.d == b->u.number.d || a->u.number.d != a->u.number.d);
    case yajl_t_object:
        if (a->u.object.len != b->u.object.len)
            return 0;
        for (size_t i = 0; i < a->u.object.len; i++)
            if (strcmp(a->u.object.keys[i], b->u.object.keys[i]) != 0 || !ytree_same(a->u.object.values[i], b->u.object.values[i]))
                return 0;
        return 1;
    case yajl_t_array:
        if (a->u.array.len != b->u.array.len)
            return 0;
        for (size_t i = 0; i < a->u.array.len; i++)
            if (!ytree_same(a->u.array.values[i], b->u.array.values[i]))
                return 0;
        return 1;
    default:
        return 1;
    }
}

#endif
