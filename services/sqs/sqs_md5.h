/* sqs_md5.h - the checksums SQS returns: MD5 of a body, MD5 of message
 * attributes (AWS's length-prefixed encoding), SHA-256 for content-based
 * deduplication. Pure functions; unit-tested against values from AWS. */
#ifndef AWSEMU_SQS_MD5_H
#define AWSEMU_SQS_MD5_H

#include <stddef.h>
#include <yajl/yajl_tree.h>

/* Lowercase hex MD5 of data into out[33]. */
void sqs_md5_hex(const void *data, size_t len, char out[33]);
/* Lowercase hex SHA-256 of data into out[65]. */
void sqs_sha256_hex(const void *data, size_t len, char out[65]);

/* MD5 of a MessageAttributes (or MessageSystemAttributes) object as AWS computes it:
 * names sorted bytewise; per attribute: u32be len + name, u32be len + DataType,
 * then 1 + u32be len + StringValue, or 2 + u32be len + decoded BinaryValue.
 * only: when not NULL, attributes whose name only(name) rejects are skipped.
 * Returns 0 and writes out[33], or -1 when there is nothing to hash (no attributes)
 * or a BinaryValue is not valid base64. */
int sqs_md5_attrs(yajl_val attrs, int (*only)(const char *name, void *arg), void *arg, char out[33]);

#endif
