/* lambda_esm.h - what the event source mapping files share: the mapping record
 * (one control plane in lambda_esm.c for every kind of source), the entry
 * points of the DynamoDB stream poller (lambda_esm_stream.c) and FilterCriteria
 * (lambda_esm_filter.c). The SQS poller lives in lambda_esm.c. */
#ifndef AWSEMU_LAMBDA_ESM_H
#define AWSEMU_LAMBDA_ESM_H

#include <stdint.h>

#include "../timer.h"
#include "lambda_internal.h"

#define ESM_RETRY_MS 1000 /* after a problem (function or source missing) */
#define ESM_SEQ_MAX 40    /* room for a stream sequence number */

/* FilterCriteria: the parsed patterns and the criteria as given (NULL when none). */
typedef struct {
    yajl_val *pats;
    size_t n;
    char *json;
} esm_filters_t;

struct esm_batch;        /* SQS: a batch being filled (lambda_esm.c) */
struct esm_stream_batch; /* DynamoDB: records read past the checkpoint (lambda_esm_stream.c) */

typedef struct lambda_esm {
    char uuid[37];
    char *account, *region;
    char *fn_name, *qualifier; /* the function the mapping invokes */
    char *source_arn;
    int is_stream; /* a DynamoDB stream (else an SQS queue) */
    int batch_size, window_s, enabled, report_failures;
    int max_concurrency; /* SQS: ScalingConfig.MaximumConcurrency, 0 = unset */
    /* streams */
    int start_latest;           /* StartingPosition LATEST (else TRIM_HORIZON) */
    int max_retries;            /* MaximumRetryAttempts, -1 = until the record expires */
    int max_age_s;              /* MaximumRecordAgeInSeconds, -1 = the stream's retention */
    int bisect;                 /* BisectBatchOnFunctionError */
    int parallelization;        /* ParallelizationFactor (stored; records run in order, one batch at a time) */
    int tumbling_s;             /* TumblingWindowInSeconds, 0 = none */
    int64_t tw_start, tw_end;   /* the open tumbling window (ms; 0 = none), kept in memory only */
    char *tw_state;             /* the state the function returned last in it (JSON text) */
    int tw_early;               /* that state passed 1 MB: the window ends early, then goes on from {} */
    char *on_failure;           /* DestinationConfig.OnFailure.Destination or NULL */
    esm_filters_t filters;      /* FilterCriteria */
    char position[ESM_SEQ_MAX]; /* checkpoint: sequence number of the last record done, "" = none yet */
    struct esm_stream_batch *sbatch;
    const char *state;
    const char *last_result; /* LastProcessingResult (streams) */
    int64_t last_modified;
    /* polling */
    int inflight, waiting, deleted;
    loop_timer_t timer;
    int64_t window_end;
    struct esm_batch *filling;
    struct lambda_esm *next;
} lambda_esm_t;

/* lambda_esm.c */
/* The configuration the mapping invokes (its function, version or alias), or NULL when gone. */
lambda_cfg_t *lambda_esm_target(lambda_esm_t *esm, lambda_fn_t **fnp);
/* Polls again at at_ms (the mapping's timer). */
void lambda_esm_later(lambda_esm_t *esm, int64_t at_ms);
/* Frees a mapping (its timer, wake-ups and batches). */
void lambda_esm_free(lambda_esm_t *esm);
/* 1 while the service behind a stream mapping can be called (not during shutdown). */
int lambda_esm_streams_available(void);

/* lambda_esm_stream.c */
/* Reads past the checkpoint and invokes the function with the next batch, or waits for records. */
void lambda_esm_stream_poll(lambda_esm_t *esm);
/* Stops waiting and drops records read but not yet handed to the function (disable, delete, free). */
void lambda_esm_stream_stop(lambda_esm_t *esm);
/* CreateEventSourceMapping checks of a stream source: StartingPosition, the stream, OnSuccess; sets the starting
 * checkpoint. CALL_DONE or CALL_ERROR. */
int lambda_esm_stream_create(call_t *c, lambda_esm_t *esm);
/* Applies and checks the stream members of a create or update: MaximumRetryAttempts, MaximumRecordAgeInSeconds,
 * BisectBatchOnFunctionError, ParallelizationFactor, TumblingWindowInSeconds, DestinationConfig. CALL_DONE or CALL_ERROR. */
int lambda_esm_stream_apply(call_t *c, lambda_esm_t *esm);
/* lambda_esm_filter.c */
/* Replaces the filters with FilterCriteria's (criteria NULL or without Filters: none). 0, or -1 when a pattern is invalid. */
int lambda_esm_filters_set(esm_filters_t *f, yajl_val criteria);
void lambda_esm_filters_free(esm_filters_t *f);
/* 1 when the record (JSON text) passes: no filters, or one matches. */
int lambda_esm_filters_match(const esm_filters_t *f, const char *json, size_t len);

/* Writes the stream members of a mapping's description. */
void lambda_esm_stream_write(jw_t *w, const lambda_esm_t *esm);
/* Stores / loads the stream members in the mapping's document. */
void lambda_esm_stream_persist(jw_t *w, const lambda_esm_t *esm);
void lambda_esm_stream_load(lambda_esm_t *esm, yajl_val doc);

#endif
