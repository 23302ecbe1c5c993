// SPDX-License-Identifier: Apache-2.0
/*
 * test_op_conv2d.c - the full convolution (MNET_OP_CONV2D) against the
 * reference, on every backend and precision (the harness: tests/lib/op_test.h)
 *
 * The full KxK convolution (MobileNet's first layer): 1, 3, 5 and 17 input
 * channels, 1 to 17 outputs, kernels 1, 2, 3 and 5, strides 1 and 2, SAME
 * and VALID padding, square and oblong inputs down to 1x1, each activation.
 */
#include "lib/op_test.h"

#define A(x) (sizeof(x) / sizeof((x)[0]))

static const struct mnet_op_case cases[] = {
	{ .name = "conv2d 3x3/2 SAME 15x15x3 -> 8, relu6", .op = MNET_OP_CONV2D,
	  .in = { 15, 15, 3 }, .cout = 8, .k = 3, .stride = 2,
	  .act = MNET_ACT_RELU6, .fp16 = 1 },
	{ .name = "conv2d 3x3/1 SAME 7x9x3 -> 5", .op = MNET_OP_CONV2D,
	  .in = { 7, 9, 3 }, .cout = 5, .k = 3, .stride = 1 },
	{ .name = "conv2d 3x3/1 VALID 9x9x1 -> 17, relu", .op = MNET_OP_CONV2D,
	  .in = { 9, 9, 1 }, .cout = 17, .k = 3, .stride = 1,
	  .pad = MNET_OP_PAD_VALID, .act = MNET_ACT_RELU, .cl = 1 },
	{ .name = "conv2d 5x5/2 VALID 11x9x5 -> 3", .op = MNET_OP_CONV2D,
	  .in = { 11, 9, 5 }, .cout = 3, .k = 5, .stride = 2,
	  .pad = MNET_OP_PAD_VALID },
	{ .name = "conv2d 1x1/2 SAME 7x5x17 -> 1, relu6", .op = MNET_OP_CONV2D,
	  .in = { 7, 5, 17 }, .cout = 1, .k = 1, .stride = 2,
	  .act = MNET_ACT_RELU6 },
	{ .name = "conv2d 3x3/2 SAME 1x1x3 -> 4", .op = MNET_OP_CONV2D,
	  .in = { 1, 1, 3 }, .cout = 4, .k = 3, .stride = 2 },
	{ .name = "conv2d 2x2/2 VALID 8x8x3 -> 6, relu", .op = MNET_OP_CONV2D,
	  .in = { 8, 8, 3 }, .cout = 6, .k = 2, .stride = 2,
	  .pad = MNET_OP_PAD_VALID, .act = MNET_ACT_RELU },
};

int main(void)
{
	return mnet_op_test_main("op_conv2d", cases, A(cases));
}
