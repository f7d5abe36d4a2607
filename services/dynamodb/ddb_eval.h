/* ddb_eval.h - evaluates parsed DynamoDB expressions (ddb_expr.h) over items.
 *
 * Items and AttributeValues are yajl trees as yajl_tree_parse() returns them
 * ({"id":{"S":"a"},"n":{"N":"5"}}). Nothing here modifies an input tree: new
 * trees (projections, updated items) are built from nodes allocated in the
 * pool the caller passes, and may share unchanged subtrees with the input, so
 * keep the input alive as long as the output. Numbers are exact (ddb_number.h).
 *
 * The caller raises ValidationException with the message an update fails
 * with; a false condition is the caller's ConditionalCheckFailedException. */
#ifndef AWSEMU_DDB_EVAL_H
#define AWSEMU_DDB_EVAL_H

#include <h2o/memory.h>
#include <yajl/yajl_tree.h>

#include "services/dynamodb/ddb_expr.h"

/* 1 if item satisfies cond, else 0. item may be NULL (no item: every path is
 * missing). DynamoDB's rules: = < <= > >= BETWEEN with a missing operand or
 * operands of different types are false, <> is then true; NOT inverts;
 * size() of a missing attribute or of a type without a size makes its
 * comparison false; IN/begins_with/contains are false on a type mismatch. */
int ddb_eval_condition(const ddb_node_t *cond, yajl_val item);

/* The value at path in item (NULL if absent), without copying. */
yajl_val ddb_eval_path(yajl_val item, const ddb_path_t *path);

/* The projection of item: a new item holding only the projected paths, nested
 * paths as partial maps/lists as DynamoDB returns them (a list keeps only the
 * projected elements, in index order). Paths missing from item are left out.
 * Returns an object (possibly empty); NULL item gives NULL. */
yajl_val ddb_eval_project(h2o_mem_pool_t *pool, const ddb_projection_t *proj, yajl_val item);

/* Applies upd to item (NULL = no item yet: UpdateItem creates one; the
 * caller adds the key attributes to the result, or passes a key-only item).
 * On success returns 0, *out is the new item and *changed (if not NULL) the
 * paths the update touched (SET/ADD targets as written, so that a list append
 * beyond the end shows in neither, REMOVE/DELETE targets that existed):
 * project the old item through it for UPDATED_OLD and the new item for
 * UPDATED_NEW. A REMOVE whose path's parent is missing fails like a SET's.
 * On failure returns -1 and *err is DynamoDB's message, e.g.
 * "The document path provided in the update expression is invalid for update",
 * "An operand in the update expression has an incorrect data type",
 * "The provided expression refers to an attribute that does not exist in the item",
 * a number error ("Number overflow. ...").
 * The caller still checks item size and key attributes (an update must not
 * change a key: that message names the table's key and is the caller's). */
int ddb_eval_update(h2o_mem_pool_t *pool, const ddb_update_t *upd, yajl_val item, yajl_val *out, ddb_projection_t **changed,
                    const char **err);

/* ---- key conditions (Query) ---- */

/* 1 if the sort key value v satisfies the range part (op and values), for a
 * caller that scans a partition and filters rows itself; 0 otherwise (also on
 * type mismatch). */
int ddb_eval_key_part(const ddb_key_part_t *part, yajl_val v);

/* Turns a key part into the inclusive/exclusive bounds an indexed scan needs:
 * lo/hi are NULL when unbounded; lo_incl/hi_incl say whether the bound itself
 * matches. BEGINS_WITH gives lo = prefix (inclusive) and no upper bound: scan
 * while ddb_eval_key_part() stays true (once it turns false, no later key can
 * match). */
void ddb_eval_key_bounds(const ddb_key_part_t *part, yajl_val *lo, int *lo_incl, yajl_val *hi, int *hi_incl);

#endif
