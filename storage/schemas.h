/* schemas.h - the SQLite schema of every service's database: its migrations and its current form
 * (db.h: db_schema_t). They live apart from the stores' statements because a build-time tool,
 * storage/gen/db_image_gen.c, turns each into the image a new database file is written from
 * (db_image.h), and it links this file and SQLite only. */
#ifndef AWSEMU_SCHEMAS_H
#define AWSEMU_SCHEMAS_H

#include "db.h"

extern const db_schema_t sqs_store_schema;    /* sqs.db: storage/sqs_store.c */
extern const db_schema_t ddb_store_schema;    /* dynamodb.db: storage/ddb_store.c and ddb_stream_store.c */
extern const db_schema_t lambda_store_schema; /* lambda.db: storage/lambda_store.c */

/* All of the above, NULL-terminated. */
extern const db_schema_t *const schemas_all[];

#endif
