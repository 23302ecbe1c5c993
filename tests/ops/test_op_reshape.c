// SPDX-License-Identifier: Apache-2.0
/*
 * test_op_reshape.c - reshape (MNET_OP_RESHAPE) against the reference, on every
 * backend and precision (the harness: tests/lib/op_test.h)
 *
 * Reshape / squeeze (the same values in another shape; an alias on
 * OpenCL): to a vector, between tensor shapes, an identity, and the model
 * input itself reshaped (no layer computes the tensor it aliases).
 */
#include "lib/op_test.h"

#define A(x) (sizeof(x) / sizeof((x)[0]))

static const struct mnet_op_case cases[] = {
	{ .name = "reshape 3x3x5 -> 1x1x45", .op = MNET_OP_RESHAPE,
	  .in = { 3, 3, 5 }, .out = { 1, 1, 45 }, .cl = 1 },
	{ .name = "reshape 2x4x17 -> 4x2x17", .op = MNET_OP_RESHAPE,
	  .in = { 2, 4, 17 }, .out = { 4, 2, 17 }, .fp16 = 1 },
	{ .name = "reshape 1x1x17 -> 1x1x17", .op = MNET_OP_RESHAPE,
	  .in = { 1, 1, 17 }, .out = { 1, 1, 17 } },
	{ .name = "reshape 1x1x5 -> 5x1x1", .op = MNET_OP_RESHAPE,
	  .in = { 1, 1, 5 }, .out = { 5, 1, 1 } },
	{ .name = "reshape the input 4x5x3 -> 1x1x60", .op = MNET_OP_RESHAPE,
	  .in = { 4, 5, 3 }, .out = { 1, 1, 60 }, .cl = 1 },
};

int main(void)
{
	return mnet_op_test_main("op_reshape", cases, A(cases));
}
