/* SPDX-License-Identifier: Apache-2.0 */
/*
 * op_table.h - look up an IR operation's descriptor
 */
#ifndef MNET_RUNTIME_OP_TABLE_H
#define MNET_RUNTIME_OP_TABLE_H

#include "model/ir.h"
#include "ops/op_desc.h"

/**
 * mnet_op_desc() - the descriptor of an IR operation
 * @op: operation
 *
 * Return: the descriptor, or NULL for a value that is not an operation
 * (out of range, or one without a descriptor, which validation rejects).
 */
const struct mnet_op_desc *mnet_op_desc(enum mnet_op op);

#endif /* MNET_RUNTIME_OP_TABLE_H */
