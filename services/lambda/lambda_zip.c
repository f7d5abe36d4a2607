/* lambda_zip.c - unpacking function code with libzip, safely: no absolute names
 * or ".." components, symlinks only when they resolve inside the code directory,
 * and Lambda's unzipped size limit counted on the bytes actually written (the
 * sizes in a zip's directory can lie). Code is unpacked once per hash into
 * <lambda_dir>/code/<sha256-hex>, through a temporary directory and a rename.
 * libzip is opened on first use: linked at exec, it would bring the shared libcrypto with it,
 * about 3 ms of symbol binding at every start of a binary that otherwise needs only libc
 * (.ci/h2o-static.cmake). */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "../../storage/lambda_store.h"
#include "../log.h"
#include "lambda_internal.h"

#define ZIP_BAD "Could not unzip uploaded file. Please check your file, then try to upload again."
#define ZIP_SONAME "libzip.so.4"

#define ZIP_FUNCS(X)                                                                                                               \
    X(zip_close)                                                                                                                   \
    X(zip_error_fini)                                                                                                              \
    X(zip_error_init) X(zip_fclose) X(zip_file_get_external_attributes) X(zip_fopen_index) X(zip_fread) X(zip_get_name)            \
        X(zip_get_num_entries) X(zip_open_from_source) X(zip_source_buffer_create) X(zip_source_free) X(zip_stat_index)

/* libzip's entry points, resolved by zl_load(). */
static struct {
#define X(f) __typeof__(f) *f;
    ZIP_FUNCS(X)
#undef X
} zl;

/* 0 once libzip is loaded (the first call opens it), -1 with err set when it cannot be. */
static int zl_load(char *err, size_t errlen)
{
    static int state; /* 0: not tried, 1: loaded, -1: failed */
    if (state == 0) {
        void *h = dlopen(ZIP_SONAME, RTLD_NOW | RTLD_LOCAL);
        state = h ? 1 : -1;
#define X(f)                                                                                                                       \
    if (state > 0 && !(zl.f = (__typeof__(f) *)dlsym(h, #f)))                                                                      \
        state = -1;
        ZIP_FUNCS(X)
#undef X
        if (state < 0)
            LOG_ERROR("lambda: cannot load %s: %s", ZIP_SONAME, dlerror());
    }
    if (state < 0)
        snprintf(err, errlen, "%s could not be loaded to unpack function code", ZIP_SONAME);
    return state > 0 ? 0 : -1;
}

static int mkdirs(const char *path, mode_t mode)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, mode) != 0 && errno != EEXIST ? -1 : 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int lambda_rm_rf(const char *path)
{
    return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A relative name with no empty, "." or ".." components beyond a trailing '/'. */
static int safe_name(const char *name)
{
    if (!*name || name[0] == '/' || strchr(name, '\\'))
        return 0;
    const char *p = name;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((n == 2 && p[0] == '.' && p[1] == '.') || (n == 1 && p[0] == '.') || (n == 0 && e))
            return 0;
        if (!e)
            break;
        p = e + 1;
    }
    return 1;
}

static int inside(const char *root, const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return 0;
    size_t n = strlen(root);
    return strncmp(real, root, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

static int unix_mode(zip_t *za, zip_uint64_t i, mode_t *mode)
{
    zip_uint8_t opsys;
    zip_uint32_t attr;
    if (zl.zip_file_get_external_attributes(za, i, 0, &opsys, &attr) != 0 || opsys != ZIP_OPSYS_UNIX || !(attr >> 16))
        return 0;
    *mode = (mode_t)(attr >> 16);
    return 1;
}

/* Copies one entry into path; adds its bytes to *total and fails past the limit. */
static int write_entry(zip_t *za, zip_uint64_t i, const char *path, mode_t mode, long long *total)
{
    zip_file_t *zf = zl.zip_fopen_index(za, i, 0);
    if (!zf)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, (mode & 0777) | 0600);
    int rc = fd < 0 ? -1 : 0;
    char buf[65536];
    zip_int64_t n;
    while (rc == 0 && (n = zl.zip_fread(zf, buf, sizeof(buf))) > 0) {
        *total += n;
        if (*total > LAMBDA_MAX_UNZIPPED || write(fd, buf, (size_t)n) != n)
            rc = -1;
    }
    if (rc == 0 && n < 0)
        rc = -1;
    if (fd >= 0)
        close(fd);
    zl.zip_fclose(zf);
    return rc;
}

static int read_link_target(zip_t *za, zip_uint64_t i, char *out, size_t cap)
{
    zip_file_t *zf = zl.zip_fopen_index(za, i, 0);
    if (!zf)
        return -1;
    zip_int64_t n = zl.zip_fread(zf, out, cap - 1);
    zl.zip_fclose(zf);
    if (n <= 0)
        return -1;
    out[n] = '\0';
    return 0;
}

/* A link target that stays inside the code directory, read lexically from the link's own directory (name's). */
static int safe_link(const char *name, const char *target)
{
    if (target[0] == '/')
        return 0;
    int depth = 0;
    for (const char *p = name; (p = strchr(p, '/')) != NULL; p++)
        depth++;
    for (const char *p = target; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        depth += n == 2 && p[0] == '.' && p[1] == '.' ? -1 : n == 0 || (n == 1 && p[0] == '.') ? 0 : 1;
        if (depth < 0)
            return 0;
        p = e ? e + 1 : p + n;
    }
    return 1;
}

/* What can be known of a zip without writing it: every name is safe, every link's target stays inside, and the
 * declared sizes are within Lambda's limit. 0 with the declared bytes of its regular files in *files, or -1 with an
 * AWS message in err. */
static int check(zip_t *za, long long *files, char *err, size_t errlen)
{
    zip_int64_t count = zl.zip_get_num_entries(za, 0);
    unsigned long long declared = 0; /* saturates: each entry's size may claim up to 2^64 - 1 */
    for (zip_int64_t i = 0; i < count; i++) {
        zip_stat_t st;
        mode_t mode = S_IFREG;
        char target[PATH_MAX];
        if (zl.zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
            return snprintf(err, errlen, ZIP_BAD), -1;
        if (!safe_name(st.name)) {
            LOG_WARN("lambda: refused zip entry with unsafe name '%s'", st.name);
            return snprintf(err, errlen, ZIP_BAD), -1;
        }
        if (unix_mode(za, (zip_uint64_t)i, &mode) && S_ISLNK(mode) &&
            (read_link_target(za, (zip_uint64_t)i, target, sizeof(target)) != 0 || !safe_link(st.name, target))) {
            LOG_WARN("lambda: refused zip symlink '%s' escaping the code directory", st.name);
            return snprintf(err, errlen, ZIP_BAD), -1;
        }
        zip_uint64_t size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
        declared = size > ULLONG_MAX - declared ? ULLONG_MAX : declared + size;
        if (!S_ISLNK(mode) && !S_ISDIR(mode) && st.name[strlen(st.name) - 1] != '/' &&
            declared <= (unsigned long long)LAMBDA_MAX_UNZIPPED)
            *files += (long long)size;
    }
    if (declared > (unsigned long long)LAMBDA_MAX_UNZIPPED)
        return snprintf(err, errlen, "Unzipped size must be smaller than %lld bytes", LAMBDA_MAX_UNZIPPED), -1;
    return 0;
}

/* Pass 1: directories and regular files. Pass 2: symlinks, each checked again to resolve inside root. Runs on the
 * unpacking thread too: it does not log. */
static int extract(zip_t *za, const char *root, char *err, size_t errlen)
{
    zip_int64_t count = zl.zip_get_num_entries(za, 0);
    long long total = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (zip_int64_t i = 0; i < count; i++) {
            const char *name = zl.zip_get_name(za, (zip_uint64_t)i, 0);
            mode_t mode = 0644;
            int has_mode = unix_mode(za, (zip_uint64_t)i, &mode);
            int is_dir = name[strlen(name) - 1] == '/' || (has_mode && S_ISDIR(mode));
            int is_link = has_mode && S_ISLNK(mode);
            char path[2 * PATH_MAX];
            if (snprintf(path, sizeof(path), "%s/%s", root, name) >= PATH_MAX)
                return snprintf(err, errlen, ZIP_BAD), -1;
            char *slash = strrchr(path, '/');
            if (is_dir) {
                if (pass == 0 && mkdirs(path, 0755) != 0)
                    return snprintf(err, errlen, ZIP_BAD), -1;
                continue;
            }
            if ((pass == 1) != is_link)
                continue;
            *slash = '\0';
            int dir_ok = mkdirs(path, 0755) == 0 && inside(root, path);
            *slash = '/';
            if (!dir_ok)
                return snprintf(err, errlen, ZIP_BAD), -1;
            if (!is_link) {
                if (write_entry(za, (zip_uint64_t)i, path, has_mode ? mode : 0644, &total) != 0) {
                    if (total > LAMBDA_MAX_UNZIPPED)
                        return snprintf(err, errlen, "Unzipped size must be smaller than %lld bytes", LAMBDA_MAX_UNZIPPED), -1;
                    return snprintf(err, errlen, ZIP_BAD), -1;
                }
                continue;
            }
            char target[PATH_MAX];
            if (read_link_target(za, (zip_uint64_t)i, target, sizeof(target)) != 0 || target[0] == '/' ||
                symlink(target, path) != 0 || !inside(root, path))
                return snprintf(err, errlen, ZIP_BAD), -1;
        }
    }
    return 0;
}

/* The zip in data opened with libzip (loaded), or NULL. */
static zip_t *zip_open_buffer(const void *data, size_t len)
{
    zip_error_t ze;
    zl.zip_error_init(&ze);
    zip_source_t *src = zl.zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zl.zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    zl.zip_error_fini(&ze);
    if (!za && src)
        zl.zip_source_free(src);
    return za;
}

int lambda_zip_check(const void *data, size_t len, long long *unzipped, char *err, size_t errlen)
{
    *unzipped = 0;
    if (zl_load(err, errlen) != 0)
        return -1;
    zip_t *za = zip_open_buffer(data, len);
    if (!za)
        return snprintf(err, errlen, ZIP_BAD), -1;
    int rc = check(za, unzipped, err, errlen);
    zl.zip_close(za);
    return rc;
}

/* Writes a checked zip's files into dir, through a temporary directory of its own and a rename. 0, or -1 with a
 * message in err. Logs nothing: it runs on the unpacking thread. */
static int unzip_checked(const void *data, size_t len, const char *dir, char *err, size_t errlen)
{
    static _Atomic unsigned serial;
    zip_t *za = zip_open_buffer(data, len);
    if (!za)
        return snprintf(err, errlen, ZIP_BAD), -1;
    char tmp[PATH_MAX], root[PATH_MAX];
    snprintf(tmp, sizeof(tmp), "%s.tmp%d.%u", dir, (int)getpid(), serial++);
    lambda_rm_rf(tmp);
    int rc = -1;
    if (mkdirs(tmp, 0755) == 0 && realpath(tmp, root))
        rc = extract(za, root, err, errlen);
    else
        snprintf(err, errlen, "could not create %s: %s", tmp, strerror(errno));
    zl.zip_close(za);
    if (rc == 0 && rename(tmp, dir) != 0 && errno != ENOTEMPTY && errno != EEXIST) {
        snprintf(err, errlen, "could not rename %s: %s", tmp, strerror(errno));
        rc = -1;
    }
    lambda_rm_rf(tmp);
    return rc;
}

int lambda_unzip(const void *data, size_t len, const char *dir, char *err, size_t errlen)
{
    long long unzipped;
    return lambda_zip_check(data, len, &unzipped, err, errlen) == 0 ? unzip_checked(data, len, dir, err, errlen) : -1;
}

/* ---- unpacking in the background ----
 * Writing thousands of files takes seconds (3,000 files of a 14 MB zip: 0.8 s here, every request waiting), so
 * the code uploads check a zip at once (lambda_zip_check) and leave its writing to one thread of its own
 * (lambda_unzip_later); lambda_code_dir waits for the pending unpacking of its code, and logs its failure. */
typedef struct unzip_job {
    struct unzip_job *next;
    void *zip;
    size_t len;
    int state; /* JOB_QUEUED, JOB_RUNNING, JOB_DONE */
    int rc;
    char dir[PATH_MAX], err[256];
} unzip_job_t;

enum { JOB_QUEUED, JOB_RUNNING, JOB_DONE };

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_cond = PTHREAD_COND_INITIALIZER;
static unzip_job_t *jobs; /* under jobs_lock; a done job stays until the loop reaps it */
static int worker_running;

static unzip_job_t *job_find(const char *dir, int state)
{
    for (unzip_job_t *j = jobs; j; j = j->next)
        if ((dir == NULL || strcmp(j->dir, dir) == 0) && (state < 0 || j->state == state))
            return j;
    return NULL;
}

static void *unzip_worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&jobs_lock);
    for (;;) {
        unzip_job_t *j = job_find(NULL, JOB_QUEUED);
        if (j == NULL) {
            pthread_cond_wait(&jobs_cond, &jobs_lock);
            continue;
        }
        j->state = JOB_RUNNING;
        pthread_mutex_unlock(&jobs_lock);
        int rc = unzip_checked(j->zip, j->len, j->dir, j->err, sizeof(j->err));
        pthread_mutex_lock(&jobs_lock);
        j->rc = rc;
        j->state = JOB_DONE;
        pthread_cond_broadcast(&jobs_cond);
    }
    return NULL;
}

/* Unlinks the job *p points to and frees it (under jobs_lock). */
static void job_drop(unzip_job_t **p)
{
    unzip_job_t *j = *p;
    *p = j->next;
    free(j->zip);
    free(j);
}

/* Frees the done jobs (under jobs_lock), logging their failures. */
static void jobs_reap(void)
{
    for (unzip_job_t **p = &jobs; *p;) {
        if ((*p)->state != JOB_DONE) {
            p = &(*p)->next;
            continue;
        }
        if ((*p)->rc != 0)
            LOG_ERROR("lambda: unpacking code into %s: %s", (*p)->dir, (*p)->err);
        job_drop(p);
    }
}

void lambda_unzip_later(const void *data, size_t len, const char *dir)
{
    unzip_job_t *j = calloc(1, sizeof(*j));
    void *copy = j ? malloc(len) : NULL;
    pthread_mutex_lock(&jobs_lock);
    jobs_reap();
    pthread_t t;
    if (!worker_running && copy && pthread_create(&t, NULL, unzip_worker, NULL) == 0) {
        pthread_detach(t);
        worker_running = 1;
    }
    if (!copy || !worker_running || job_find(dir, -1)) { /* unpacked when first needed instead (lambda_code_dir) */
        free(copy);
        free(j);
    } else {
        *j = (unzip_job_t){.zip = memcpy(copy, data, len), .len = len};
        snprintf(j->dir, sizeof(j->dir), "%s", dir);
        unzip_job_t **tail = &jobs; /* in upload order */
        while (*tail)
            tail = &(*tail)->next;
        *tail = j;
        pthread_cond_broadcast(&jobs_cond);
    }
    pthread_mutex_unlock(&jobs_lock);
}

/* Waits until no unpacking into dir is pending. */
static void unzip_wait(const char *dir)
{
    pthread_mutex_lock(&jobs_lock);
    unzip_job_t *j;
    while ((j = job_find(dir, -1)) != NULL && j->state != JOB_DONE)
        pthread_cond_wait(&jobs_cond, &jobs_lock);
    jobs_reap();
    pthread_mutex_unlock(&jobs_lock);
}

char *lambda_code_dir(const char *code_hex)
{
    char dir[PATH_MAX], err[256];
    snprintf(dir, sizeof(dir), "%s/code/%s", lambda_cfg->lambda_dir, code_hex);
    unzip_wait(dir);
    if (access(dir, F_OK) == 0)
        return strdup(dir);
    void *zip;
    size_t len;
    if (lambda_store_get_code(lambda_db, code_hex, &zip, &len) != 0) {
        LOG_ERROR("lambda: code %s is missing from storage", code_hex);
        return NULL;
    }
    int rc = lambda_unzip(zip, len, dir, err, sizeof(err));
    free(zip);
    if (rc != 0) {
        LOG_ERROR("lambda: unpacking code %s: %s", code_hex, err);
        return NULL;
    }
    return strdup(dir);
}

static int code_referenced(const char *hex)
{
    for (lambda_fn_t *fn = lambda_fns; fn; fn = fn->next) {
        if (strcmp(fn->latest->code_hex, hex) == 0)
            return 1;
        for (size_t i = 0; i < fn->nversions; i++)
            if (strcmp(fn->versions[i]->code_hex, hex) == 0)
                return 1;
    }
    return lambda_env_uses_code(hex) || lambda_layers_use_code(hex);
}

/* Drops the queued unpackings of code that keep() does not keep (NULL: none) and waits for such a one running, so
 * that what follows finds every directory it has to remove (a function deleted right after its upload, a
 * temporary lambda directory at shutdown). */
static void jobs_settle(int (*keep)(const char *hex))
{
    pthread_mutex_lock(&jobs_lock);
    for (;;) {
        int running = 0;
        for (unzip_job_t **p = &jobs; *p;) {
            unzip_job_t *j = *p;
            if (j->state == JOB_DONE || (keep && keep(strrchr(j->dir, '/') + 1))) {
                p = &j->next;
            } else if (j->state == JOB_RUNNING) {
                running = 1;
                p = &j->next;
            } else {
                job_drop(p);
            }
        }
        if (!running)
            break;
        pthread_cond_wait(&jobs_cond, &jobs_lock);
    }
    jobs_reap();
    pthread_mutex_unlock(&jobs_lock);
}

void lambda_unzip_shutdown(void)
{
    jobs_settle(NULL);
}

/* A suffix ".tmp<pid>.<n>" of a directory that an unpacking of an earlier run left (killed while it wrote). */
static int stale_tmp(const char *suffix)
{
    char *end;
    long pid = strncmp(suffix, ".tmp", 4) == 0 ? strtol(suffix + 4, &end, 10) : 0;
    return pid > 0 && *end == '.' && pid != (long)getpid();
}

void lambda_code_gc(void)
{
    char dir[PATH_MAX], path[PATH_MAX + 256 + 2]; /* dir + '/' + d_name */
    jobs_settle(code_referenced);
    lambda_store_gc_code(lambda_db);
    snprintf(dir, sizeof(dir), "%s/code", lambda_cfg->lambda_dir);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strspn(e->d_name, "0123456789abcdef") == 64 &&
            (e->d_name[64] ? stale_tmp(e->d_name + 64) : !code_referenced(e->d_name))) {
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            lambda_rm_rf(path);
        }
    closedir(d);
    lambda_layers_gc();
}
