/* test_lambda_zip.c - the safe unzip of function code (lambda_zip.c) and function-name parsing
 * (lambda_arn.c): modes kept, path traversal, absolute names, escaping symlinks refused,
 * inner symlinks kept, garbage refused; the check done at upload (declared sizes, the same
 * refusals) and the unpacking in the background that lambda_code_dir waits for; names, partial
 * and full ARNs with qualifiers. */
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "../../services/lambda/lambda_internal.h"
#include "check.h"

typedef struct {
    const char *name, *data;
    unsigned mode; /* 0 = no unix attributes */
} entry_t;

/* Builds a zip in memory (malloc'ed) from entries. */
static void *make_zip(const entry_t *e, size_t n, size_t *len)
{
    char path[] = "/tmp/awsemu-ziptest-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    int err;
    zip_t *z = zip_open(path, ZIP_TRUNCATE, &err);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(z, e[i].data, strlen(e[i].data), 0);
        zip_int64_t idx = zip_file_add(z, e[i].name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
        if (e[i].mode)
            zip_file_set_external_attributes(z, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX, (zip_uint32_t)e[i].mode << 16);
    }
    zip_close(z);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    void *buf = malloc(*len);
    if (fread(buf, 1, *len, f) != *len)
        *len = 0;
    fclose(f);
    unlink(path);
    return buf;
}

static int try_unzip(const char *root, const char *sub, const entry_t *e, size_t n)
{
    size_t len;
    void *zip = make_zip(e, n, &len);
    char dir[PATH_MAX], err[256];
    snprintf(dir, sizeof(dir), "%s/%s", root, sub);
    int rc = lambda_unzip(zip, len, dir, err, sizeof(err));
    free(zip);
    return rc;
}

static void test_unzip(const char *root)
{
    char path[PATH_MAX], target[PATH_MAX];
    struct stat st;
    entry_t ok[] = {{"bootstrap", "#!/bin/sh\n", 0100755}, {"lib/a.txt", "A", 0100644}, {"link", "lib/a.txt", 0120777}};
    CHECK(try_unzip(root, "ok", ok, 3) == 0);
    snprintf(path, sizeof(path), "%s/ok/bootstrap", root);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0111), "executable bit kept");
    snprintf(path, sizeof(path), "%s/ok/link", root);
    ssize_t n = readlink(path, target, sizeof(target) - 1);
    CHECK(n == 9 && memcmp(target, "lib/a.txt", 9) == 0, "inner symlink kept");

    entry_t up[] = {{"../evil", "x", 0}};
    CHECK(try_unzip(root, "up", up, 1) != 0, "../ refused");
    entry_t mid[] = {{"a/../../evil", "x", 0}};
    CHECK(try_unzip(root, "mid", mid, 1) != 0, "a/../../ refused");
    entry_t abs[] = {{"/tmp/evil-abs", "x", 0}};
    CHECK(try_unzip(root, "abs", abs, 1) != 0, "absolute name refused");
    entry_t esc[] = {{"esc", "/etc", 0120777}};
    CHECK(try_unzip(root, "esc", esc, 1) != 0, "absolute symlink refused");
    entry_t esc2[] = {{"d/esc", "../../..", 0120777}};
    CHECK(try_unzip(root, "esc2", esc2, 1) != 0, "relative escaping symlink refused");
    entry_t via[] = {{"l", "..", 0120777}, {"l/x", "x", 0}};
    CHECK(try_unzip(root, "via", via, 2) != 0, "writing through a symlink refused");
    snprintf(path, sizeof(path), "%s/x", root);
    CHECK(access(path, F_OK) != 0, "nothing written outside");
    snprintf(path, sizeof(path), "%s/up", root);
    CHECK(access(path, F_OK) != 0, "a refused zip leaves no directory");
    char err[256];
    snprintf(path, sizeof(path), "%s/garbage", root);
    CHECK(lambda_unzip("not a zip at all", 16, path, err, sizeof(err)) != 0);
    CHECK_STR(err, "Could not unzip uploaded file. Please check your file, then try to upload again.");
}

/* lambda_zip_check refuses what lambda_unzip refuses, without writing, and counts the files' declared bytes (not
 * the link's); lambda_unzip_later writes in the background and lambda_code_dir waits for it. */
static void test_check_and_later(const char *root)
{
    entry_t ok[] = {
        {"bootstrap", "#!/bin/sh\n", 0100755}, {"lib/", "", 040755}, {"lib/a.txt", "A", 0100644}, {"link", "lib/a.txt", 0120777}};
    entry_t *bad[] = {(entry_t[]){{"../evil", "x", 0}}, (entry_t[]){{"/tmp/evil-abs", "x", 0}},
                      (entry_t[]){{"d/esc", "../../..", 0120777}}, (entry_t[]){{"esc", "/etc", 0120777}},
                      (entry_t[]){{"d/e/in", "../../x/..", 0120777}}};
    size_t len;
    long long unzipped = -1;
    char err[256], path[PATH_MAX];
    void *zip = make_zip(ok, 4, &len);
    CHECK(lambda_zip_check(zip, len, &unzipped, err, sizeof(err)) == 0 && unzipped == 11, "declared bytes %lld", unzipped);
    for (int i = 0; i < 5; i++) {
        size_t blen;
        void *b = make_zip(bad[i], 1, &blen);
        CHECK(lambda_zip_check(b, blen, &unzipped, err, sizeof(err)) == (i < 4 ? -1 : 0), "bad zip %d", i);
        free(b);
    }
    config_t cfg = {.lambda_dir = root};
    lambda_cfg = &cfg;
    char hex[65];
    memset(hex, 'a', 64);
    hex[64] = '\0';
    snprintf(path, sizeof(path), "%s/code", root);
    CHECK(mkdir(path, 0755) == 0);
    snprintf(path, sizeof(path), "%s/code/%s", root, hex);
    lambda_unzip_later(zip, len, path);
    lambda_unzip_later(zip, len, path); /* a second upload of the same code while the first is pending: one job */
    free(zip);                          /* the job has its own copy */
    char *dir = lambda_code_dir(hex);
    CHECK(dir && strcmp(dir, path) == 0);
    snprintf(path, sizeof(path), "%s/lib/a.txt", dir ? dir : "");
    CHECK(access(path, F_OK) == 0, "unpacked by the time lambda_code_dir answers");
    free(dir);
}

static void test_refs(void)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    call_t c = {.pool = &pool, .account = "000000000000", .region = "us-east-1"};
    lambda_ref_t r;
    CHECK(lambda_parse_ref(&c, "fn", NULL, &r) == CALL_DONE && strcmp(r.name, "fn") == 0 && !r.qualifier);
    CHECK(lambda_parse_ref(&c, "fn:prod", NULL, &r) == CALL_DONE && strcmp(r.qualifier, "prod") == 0);
    CHECK(lambda_parse_ref(&c, "000000000000:function:fn:3", NULL, &r) == CALL_DONE && strcmp(r.name, "fn") == 0 &&
          strcmp(r.qualifier, "3") == 0);
    CHECK(lambda_parse_ref(&c, "arn:aws:lambda:us-east-1:000000000000:function:fn", "$LATEST", &r) == CALL_DONE &&
          strcmp(r.name, "fn") == 0 && strcmp(r.qualifier, "$LATEST") == 0);
    CHECK(lambda_parse_ref(&c, "arn:aws:lambda:us-east-1:000000000000:function:fn:live", NULL, &r) == CALL_DONE &&
          strcmp(r.qualifier, "live") == 0);
    CHECK(lambda_parse_ref(&c, "fn:1", "2", &r) == CALL_ERROR);
    CHECK_STR(c.err_code, "InvalidParameterValueException");
    CHECK(lambda_parse_ref(&c, "bad name", NULL, &r) == CALL_ERROR);
    CHECK_STR(c.err_code, "ValidationException");
    CHECK(lambda_parse_ref(&c, "arn:aws:lambda:us-east-1:000000000000:function:fn:1:2", NULL, &r) == CALL_ERROR);
    /* another region's ARN is not reachable; another account's function is not found */
    CHECK(lambda_parse_ref(&c, "arn:aws:lambda:us-west-2:000000000000:function:fn", NULL, &r) == CALL_ERROR);
    CHECK_STR(c.err_code, "ResourceNotFoundException");
    CHECK(lambda_parse_ref(&c, "111111111111:function:fn", NULL, &r) == CALL_ERROR);
    CHECK_STR(c.err_code, "ResourceNotFoundException");
    CHECK(lambda_parse_ref(&c, "a.b", NULL, &r) == CALL_DONE); /* no function has a dot: looked up, not found */
    /* alias names: (?!^[0-9]+$)([a-zA-Z0-9-_]+), 1 to 128 */
    CHECK(lambda_valid_alias_name("live") && lambda_valid_alias_name("1abc") && !lambda_valid_alias_name("123") &&
          !lambda_valid_alias_name("a.b") && !lambda_valid_alias_name("$LATEST") && !lambda_valid_alias_name(""));
    h2o_mem_clear_pool(&pool);
}

int main(void)
{
    char root[] = "/tmp/awsemu-unzip-XXXXXX";
    if (!mkdtemp(root))
        return 1;
    test_unzip(root);
    test_check_and_later(root);
    test_refs();
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    if (system(cmd) != 0)
        printf("could not remove %s\n", root);
    return check_summary();
}
