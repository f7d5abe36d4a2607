/* config.h - the program's settings: flags, each with an AWSEMU_* environment twin. */
#ifndef AWSEMU_CONFIG_H
#define AWSEMU_CONFIG_H

#include "log.h"

typedef struct {
    const char *host;      /* --host, AWSEMU_HOST (127.0.0.1) */
    int port;              /* --port, AWSEMU_PORT (4566) */
    const char *data_dir;  /* --data-dir, AWSEMU_DATA_DIR (./data) */
    int in_memory;         /* --in-memory, AWSEMU_IN_MEMORY */
    const char *services;  /* --services, AWSEMU_SERVICES (sqs,dynamodb,lambda) */
    const char *region;    /* --region, AWSEMU_REGION (us-east-1): when a request names none */
    log_level_t log_level; /* --log-level, AWSEMU_LOG_LEVEL (info) */
    int durability_full;   /* --durability full|normal, AWSEMU_DURABILITY */
    int auth_sigv4;        /* --auth sigv4|none, AWSEMU_AUTH */
    const char *auth_keys; /* --auth-keys FILE or AWSEMU_AUTH_KEYS: "ACCESS_KEY:SECRET" per line or comma-separated */
    long long max_body;    /* --max-body BYTES, AWSEMU_MAX_BODY (largest request body accepted) */
    long long max_wal_mib; /* --max-wal MIB, AWSEMU_MAX_WAL (a log's length before writes are paced) */
    long long cache_mib;   /* --cache-mb MIB, AWSEMU_CACHE_MB (1024): the most each database's page cache holds */
    long long poll_us;     /* --poll-us, AWSEMU_POLL_US (200): the loop's polling after a request (main.c) */
    const char *node_path;   /* --node, AWSEMU_NODE: Node.js interpreter for nodejs* runtimes */
    const char *python_path; /* --python, AWSEMU_PYTHON: Python interpreter for python* runtimes */
    const char *lambda_dir;  /* where unpacked code and runtime files live (data_dir/lambda or a temp dir) */
    int healthcheck;         /* --healthcheck: probe the server at host:port and exit 0 (healthy) or 1 */
} config_t;

/* Fills cfg from environment then argv. Returns 0 to run, 1 after printing
 * --help/--version, -1 after printing an error. */
int config_parse(config_t *cfg, int argc, char **argv);
/* 1 if the comma-separated --services list names svc. */
int config_service_enabled(const config_t *cfg, const char *svc);
extern const char *const awsemu_version;

#endif
