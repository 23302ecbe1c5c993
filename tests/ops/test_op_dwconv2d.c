// SPDX-License-Identifier: Apache-2.0
/*
 * test_op_dwconv2d.c - the depthwise convolution (MNET_OP_DWCONV2D) against the
 * reference, on every backend and precision (the harness: tests/lib/op_test.h)
 *
 * Depthwise convolution (depth multiplier 1): 1, 3, 5, 17 and 33 channels
 * (none a multiple of a vector width but 1), kernels 3 and 5, strides 1 and
 * 2, SAME and VALID padding, inputs from 1x1 to 15x15 and oblong, each
 * activation.
 */
#include "lib/op_test.h"

#define A(x) (sizeof(x) / sizeof((x)[0]))

static const struct mnet_op_case cases[] = {
	{ .name = "dwconv 3x3/1 SAME 9x7x5, relu6", .op = MNET_OP_DWCONV2D,
	  .in = { 9, 7, 5 }, .k = 3, .stride = 1, .act = MNET_ACT_RELU6,
	  .fp16 = 1 },
	{ .name = "dwconv 3x3/2 SAME 15x15x17", .op = MNET_OP_DWCONV2D,
	  .in = { 15, 15, 17 }, .k = 3, .stride = 2 },
	{ .name = "dwconv 3x3/2 VALID 9x6x3, relu", .op = MNET_OP_DWCONV2D,
	  .in = { 9, 6, 3 }, .k = 3, .stride = 2, .pad = MNET_OP_PAD_VALID,
	  .act = MNET_ACT_RELU },
	{ .name = "dwconv 3x3/1 SAME 1x1x1", .op = MNET_OP_DWCONV2D,
	  .in = { 1, 1, 1 }, .k = 3, .stride = 1 },
	{ .name = "dwconv 5x5/1 VALID 8x8x33, relu6", .op = MNET_OP_DWCONV2D,
	  .in = { 8, 8, 33 }, .k = 5, .stride = 1, .pad = MNET_OP_PAD_VALID,
	  .act = MNET_ACT_RELU6, .cl = 1 },
	{ .name = "dwconv 5x5/2 SAME 7x11x5", .op = MNET_OP_DWCONV2D,
	  .in = { 7, 11, 5 }, .k = 5, .stride = 2 },
	{ .name = "dwconv 3x3/2 SAME 2x2x17, relu", .op = MNET_OP_DWCONV2D,
	  .in = { 2, 2, 17 }, .k = 3, .stride = 2, .act = MNET_ACT_RELU },
};

int main(void)
{
	return mnet_op_test_main("op_dwconv2d", cases, A(cases));
}
