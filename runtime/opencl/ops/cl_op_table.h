/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_op_table.h - the OpenCL op entries, indexed by enum mnet_op
 */
#ifndef MNET_RUNTIME_CL_OP_TABLE_H
#define MNET_RUNTIME_CL_OP_TABLE_H

#include "opencl/ops/cl_op.h"

/**
 * mnet_cl_op_find() - the op entry that runs a layer on the device
 * @l: layer
 *
 * The entry of @l->op, or the one it redirects to (&struct
 * mnet_cl_op.choose: a 1x1 stride-1 CONV2D runs on pwconv's kernel).
 *
 * Return: the entry, or NULL for an op without one (the layer then runs
 * on the host).
 */
const struct mnet_cl_op *mnet_cl_op_find(const struct mnet_layer *l);

#endif /* MNET_RUNTIME_CL_OP_TABLE_H */
