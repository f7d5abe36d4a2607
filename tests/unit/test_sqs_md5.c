/* test_sqs_md5.c - MD5 of message bodies and attributes against values AWS returns
 * (vectors pinned by moto's SQS tests, recorded from AWS), plus the body character rules. */
#include <stdio.h>
#include <string.h>

#include "services/sqs/sqs_md5.h"

static int failed;

static void expect(const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        printf("FAIL %s: got %s, want %s\n", what, got, want);
        failed++;
    }
}

static void attrs_case(const char *what, const char *json, const char *want)
{
    char eb[128], md5[33] = "";
    yajl_val v = yajl_tree_parse(json, eb, sizeof(eb));
    if (sqs_md5_attrs(v, NULL, NULL, md5) != 0)
        strcpy(md5, "(none)");
    expect(what, md5, want);
    yajl_tree_free(v);
}

static int only_a(const char *name, void *arg)
{
    return strcmp(name, "aaa") == 0;
}

int main(void)
{
    char md5[33];
    sqs_md5_hex("derp", 4, md5);
    expect("body derp", md5, "58fd9edd83341c29f1aebba81c31e257");
    sqs_md5_hex("This is a test message", 22, md5);
    expect("body test message", md5, "fafb00f5732ab283681e124bf8747ed1");
    /* RFC 1321's suite, and lengths around the padding and block boundaries */
    static const struct {
        const char *text;
        size_t repeat; /* 0: text as is; else that many 'x' */
        const char *want;
    } rfc[] = {
        {"", 0, "d41d8cd98f00b204e9800998ecf8427e"},
        {"a", 0, "0cc175b9c0f1b6a831c399e269772661"},
        {"abc", 0, "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", 0, "f96b697d7cb7938d525a2f31aaf161d0"},
        {"abcdefghijklmnopqrstuvwxyz", 0, "c3fcd3d76192e4007dfb496cca67e13b"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890", 0, "57edf4a22be3c955ac49da2e2107b67a"},
        {"x", 55, "04364420e25c512fd958a70738aa8f72"},
        {"x", 56, "668a72d5ba17f08e62dabcafad6db14b"},
        {"x", 63, "7dc2ca208106a2f703567bdff99d8981"},
        {"x", 64, "c1bb4f81d892b2d57947682aeb252456"},
        {"x", 1000, "398533d48111e9f664b1f64cb10c4b63"},
    };
    static char xs[1000];
    memset(xs, 'x', sizeof(xs));
    for (size_t i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++) {
        sqs_md5_hex(rfc[i].repeat ? xs : rfc[i].text, rfc[i].repeat ? rfc[i].repeat : strlen(rfc[i].text), md5);
        expect(rfc[i].repeat ? "x repeated" : rfc[i].text, md5, rfc[i].want);
    }

    attrs_case("number timestamp", "{\"timestamp\":{\"StringValue\":\"1493147359900\",\"DataType\":\"Number\"}}",
               "235c5c510d26fb653d073faed50ae77c");
    attrs_case("number timestamp+1", "{\"timestamp\":{\"StringValue\":\"1493147359901\",\"DataType\":\"Number\"}}",
               "994258b45346a2cc3f9cbb611aa7af30");
    attrs_case("dotted name", "{\"SOME_Valid.attribute-Name\":{\"StringValue\":\"1493147359900\",\"DataType\":\"Number\"}}",
               "36655e7e9d7c0e8479fa3f3f42247ae7");
    /* several attributes in unsorted order, a binary one, UTF-8 names and values */
    attrs_case("complex",
               "{\"ccc\":{\"StringValue\":\"testjunk\",\"DataType\":\"String\"},"
               "\"aaa\":{\"BinaryValue\":\"AgME\",\"DataType\":\"Binary\"},"
               "\"zzz\":{\"DataType\":\"Number\",\"StringValue\":\"0230.01\"},"
               "\"\xc3\xb6ther_encodings\":{\"DataType\":\"String\",\"StringValue\":\"T\xc3\xbcst\"}}",
               "8ae21a7957029ef04146b42aeaa18a22");
    attrs_case("empty object", "{}", "(none)");
    attrs_case("bad base64", "{\"b\":{\"BinaryValue\":\"!!!\",\"DataType\":\"Binary\"}}", "(none)");

    /* a filter hashes only the chosen attributes: same as hashing that attribute alone */
    char eb[64], sub[33], alone[33];
    yajl_val v = yajl_tree_parse("{\"zzz\":{\"DataType\":\"String\",\"StringValue\":\"z\"},"
                                 "\"aaa\":{\"BinaryValue\":\"AgME\",\"DataType\":\"Binary\"}}",
                                 eb, sizeof(eb));
    yajl_val w = yajl_tree_parse("{\"aaa\":{\"BinaryValue\":\"AgME\",\"DataType\":\"Binary\"}}", eb, sizeof(eb));
    sqs_md5_attrs(v, only_a, NULL, sub);
    sqs_md5_attrs(w, NULL, NULL, alone);
    expect("filtered", sub, alone);
    yajl_tree_free(v);
    yajl_tree_free(w);

    char sha[65];
    sqs_sha256_hex("abc", 3, sha);
    expect("sha256", sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    if (failed)
        printf("%d failed\n", failed);
    else
        printf("all passed\n");
    return failed != 0;
}
