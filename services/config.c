/* config.c - command-line flags and their AWSEMU_* environment twins (see config.h).
 * Precedence: built-in default < environment < flag. */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../storage/db.h"

const char *const awsemu_version = AWSEMU_VERSION;

enum {
    OPT_HOST = 1,
    OPT_PORT,
    OPT_DATA_DIR,
    OPT_IN_MEMORY,
    OPT_SERVICES,
    OPT_REGION,
    OPT_LOG_LEVEL,
    OPT_DURABILITY,
    OPT_AUTH,
    OPT_AUTH_KEYS,
    OPT_MAX_BODY,
    OPT_MAX_WAL,
    OPT_CACHE_MB,
    OPT_POLL_US,
    OPT_NODE,
    OPT_PYTHON,
    OPT_HEALTHCHECK,
    OPT_HELP,
    OPT_VERSION
};

typedef struct {
    const char *flag;
    const char *env;
    int has_arg;
    int id;
    const char *help;
} option_doc_t;

static const option_doc_t docs[] = {
    {"host", "AWSEMU_HOST", 1, OPT_HOST, "address to listen on (default 127.0.0.1)"},
    {"port", "AWSEMU_PORT", 1, OPT_PORT, "port to listen on (default 4566)"},
    {"data-dir", "AWSEMU_DATA_DIR", 1, OPT_DATA_DIR, "directory for the databases (default ./data)"},
    {"in-memory", "AWSEMU_IN_MEMORY", 0, OPT_IN_MEMORY, "keep everything in memory; nothing written to disk"},
    {"services", "AWSEMU_SERVICES", 1, OPT_SERVICES, "comma-separated services to serve (default sqs,dynamodb,lambda)"},
    {"region", "AWSEMU_REGION", 1, OPT_REGION, "region for requests that name none (default us-east-1)"},
    {"log-level", "AWSEMU_LOG_LEVEL", 1, OPT_LOG_LEVEL, "error, warn, info or debug (default info)"},
    {"durability", "AWSEMU_DURABILITY", 1, OPT_DURABILITY,
     "normal (survives kill -9, default) or full (fsync per commit: survives power loss)"},
    {"auth", "AWSEMU_AUTH", 1, OPT_AUTH, "none (accept any credentials, default) or sigv4 (verify signatures)"},
    {"auth-keys", "AWSEMU_AUTH_KEYS", 1, OPT_AUTH_KEYS,
     "with --auth sigv4: a file of ACCESS_KEY:SECRET lines, or the pairs inline, comma-separated"},
    {"max-body", "AWSEMU_MAX_BODY", 1, OPT_MAX_BODY, "largest request body in bytes (default 16777216)"},
    {"max-wal", "AWSEMU_MAX_WAL", 1, OPT_MAX_WAL,
     "MiB a database's write-ahead log may reach under writes that never pause; past it they slow to the disk's pace (default "
     "1024)"},
    {"cache-mb", "AWSEMU_CACHE_MB", 1, OPT_CACHE_MB,
     "MiB of pages each database's cache may hold (allocated as read: an idle server holds a few; default 1024)"},
    {"poll-us", "AWSEMU_POLL_US", 1, OPT_POLL_US,
     "microseconds the loop polls for the next request before sleeping; 0 sleeps at once (default 200)"},
    {"node", "AWSEMU_NODE", 1, OPT_NODE, "Node.js interpreter for nodejs* functions (default: node on PATH)"},
    {"python", "AWSEMU_PYTHON", 1, OPT_PYTHON, "Python interpreter for python* functions (default: python3 on PATH)"},
    {"healthcheck", NULL, 0, OPT_HEALTHCHECK,
     "ask the awsemu at --host/--port for its health; exit 0 if healthy, else 1 (container HEALTHCHECK)"},
    {"help", NULL, 0, OPT_HELP, "print this help and exit"},
    {"version", NULL, 0, OPT_VERSION, "print the version and exit"},
};
#define NDOCS (sizeof(docs) / sizeof(docs[0]))

static void usage(FILE *out)
{
    fprintf(out, "Usage: awsemu [options]\n"
                 "A local emulator of Amazon SQS, DynamoDB and Lambda on one port.\n\nOptions:\n");
    for (size_t i = 0; i < NDOCS; i++) {
        char left[64];
        snprintf(left, sizeof(left), "--%s%s", docs[i].flag, docs[i].has_arg ? " VALUE" : "");
        fprintf(out, "  %-22s %s", left, docs[i].help);
        if (docs[i].env)
            fprintf(out, " [%s]", docs[i].env);
        fputc('\n', out);
    }
}

static int truthy(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0);
}

/* *out = v, a whole number in [min, max]; -1 after printing an error. */
static int whole_number(const char *v, long long min, long long max, const char *flag, long long *out)
{
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*end || end == v || n < min || n > max)
        return fprintf(stderr, "awsemu: invalid %s: %s\n", flag, v), -1;
    *out = n;
    return 0;
}

static int apply(config_t *cfg, int id, const char *v)
{
    char *end;
    switch (id) {
    case OPT_HOST: cfg->host = v; return 0;
    case OPT_PORT: {
        long p = strtol(v, &end, 10);
        if (*end || p < 0 || p > 65535)
            return fprintf(stderr, "awsemu: invalid port: %s\n", v), -1;
        cfg->port = (int)p;
        return 0;
    }
    case OPT_DATA_DIR: cfg->data_dir = v; return 0;
    case OPT_IN_MEMORY: cfg->in_memory = v ? truthy(v) : 1; return 0;
    case OPT_SERVICES: cfg->services = v; return 0;
    case OPT_REGION: cfg->region = v; return 0;
    case OPT_LOG_LEVEL:
        if (log_level_parse(v, &cfg->log_level) != 0)
            return fprintf(stderr, "awsemu: invalid log level: %s\n", v), -1;
        return 0;
    case OPT_DURABILITY:
        if (strcmp(v, "full") != 0 && strcmp(v, "normal") != 0)
            return fprintf(stderr, "awsemu: --durability is normal or full: %s\n", v), -1;
        cfg->durability_full = strcmp(v, "full") == 0;
        return 0;
    case OPT_AUTH:
        if (strcmp(v, "sigv4") != 0 && strcmp(v, "none") != 0)
            return fprintf(stderr, "awsemu: --auth is none or sigv4: %s\n", v), -1;
        cfg->auth_sigv4 = strcmp(v, "sigv4") == 0;
        return 0;
    case OPT_AUTH_KEYS: cfg->auth_keys = v; return 0;
    case OPT_MAX_BODY: return whole_number(v, 1024, LLONG_MAX, "--max-body", &cfg->max_body);
    case OPT_MAX_WAL: return whole_number(v, 1, 1LL << 20, "--max-wal", &cfg->max_wal_mib);
    case OPT_CACHE_MB:
        return whole_number(v, 1, 1LL << 20, "--cache-mb", &cfg->cache_mib);
    case OPT_POLL_US:
        return whole_number(v, 0, 1000000, "--poll-us", &cfg->poll_us);
    case OPT_NODE: cfg->node_path = v; return 0;
    case OPT_PYTHON: cfg->python_path = v; return 0;
    case OPT_HEALTHCHECK: cfg->healthcheck = 1; return 0;
    }
    return -1;
}

static void defaults(config_t *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->host = "127.0.0.1";
    cfg->port = 4566;
    cfg->data_dir = "./data";
    cfg->services = "sqs,dynamodb,lambda";
    cfg->region = "us-east-1";
    cfg->log_level = LOG_LEVEL_INFO;
    cfg->max_body = 16 * 1024 * 1024;
    cfg->max_wal_mib = 1024;
    cfg->cache_mib = DB_CACHE_MIB_DEFAULT;
    cfg->poll_us = 200;
    cfg->node_path = "node";
    cfg->python_path = "python3";
}

/* Lambda runtimes run in their code's directory and get paths under the data
 * directory: it is made absolute once, here. */
static void absolute_data_dir(config_t *cfg)
{
    static char path[4096];
    char cwd[2048];
    if (cfg->data_dir[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
        return;
    const char *rel = strncmp(cfg->data_dir, "./", 2) == 0 ? cfg->data_dir + 2 : cfg->data_dir;
    snprintf(path, sizeof(path), "%s/%s", cwd, rel);
    cfg->data_dir = path;
}

int config_parse(config_t *cfg, int argc, char **argv)
{
    defaults(cfg);
    for (size_t i = 0; i < NDOCS; i++) {
        const char *v = docs[i].env ? getenv(docs[i].env) : NULL;
        if (v && *v && apply(cfg, docs[i].id, v) != 0)
            return -1;
    }
    struct option longopts[NDOCS + 1];
    for (size_t i = 0; i < NDOCS; i++)
        longopts[i] = (struct option){docs[i].flag, docs[i].has_arg ? required_argument : no_argument, NULL, docs[i].id};
    longopts[NDOCS] = (struct option){0};
    optind = 1;
    int id;
    while ((id = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (id == OPT_HELP || id == 'h') {
            usage(stdout);
            return 1;
        }
        if (id == OPT_VERSION) {
            printf("awsemu %s\n", awsemu_version);
            return 1;
        }
        if (id == '?' || apply(cfg, id, optarg) != 0) {
            if (id == '?')
                usage(stderr);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "awsemu: unexpected argument: %s\n", argv[optind]);
        return -1;
    }
    absolute_data_dir(cfg);
    return 0;
}

int config_service_enabled(const config_t *cfg, const char *svc)
{
    size_t n = strlen(svc);
    for (const char *p = cfg->services; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        if (len == n && strncasecmp(p, svc, n) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}
