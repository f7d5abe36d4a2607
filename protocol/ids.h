/* ids.h - random identifiers: UUIDs, request ids, hex tokens (OpenSSL's RNG). */
#ifndef AWSEMU_IDS_H
#define AWSEMU_IDS_H

#include <stddef.h>

void ids_random(void *buf, size_t len);
/* Lower-case RFC 4122 version-4 UUID, 36 characters + NUL. */
void ids_uuid(char out[37]);
/* DynamoDB-style request id: 52 characters [A-Z0-9] + NUL. */
void ids_ddb_request_id(char out[53]);

#endif
