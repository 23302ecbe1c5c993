// SPDX-License-Identifier: Apache-2.0
/*
 * test_op_pwconv2d.c - the 1x1 convolution (MNET_OP_PWCONV2D) against the
 * reference, on every backend and precision (the harness: tests/lib/op_test.h)
 *
 * The 1x1 convolution: 1, 3, 5, 17 and 33 channels in and out (tails of
 * every vector width and output tile), 1x1, oblong and 7x7 inputs (pixel
 * counts that are not multiples of the pixel tile), each activation.
 */
#include "lib/op_test.h"

#define A(x) (sizeof(x) / sizeof((x)[0]))

static const struct mnet_op_case cases[] = {
	{ .name = "pwconv 9x7 17 -> 5, relu6", .op = MNET_OP_PWCONV2D,
	  .in = { 9, 7, 17 }, .cout = 5, .act = MNET_ACT_RELU6, .fp16 = 1 },
	{ .name = "pwconv 1x1 3 -> 1", .op = MNET_OP_PWCONV2D,
	  .in = { 1, 1, 3 }, .cout = 1 },
	{ .name = "pwconv 5x3 1 -> 17, relu", .op = MNET_OP_PWCONV2D,
	  .in = { 5, 3, 1 }, .cout = 17, .act = MNET_ACT_RELU },
	{ .name = "pwconv 3x3 33 -> 33", .op = MNET_OP_PWCONV2D,
	  .in = { 3, 3, 33 }, .cout = 33, .cl = 1 },
	{ .name = "pwconv 7x7 5 -> 3, relu6", .op = MNET_OP_PWCONV2D,
	  .in = { 7, 7, 5 }, .cout = 3, .act = MNET_ACT_RELU6 },
	{ .name = "pwconv 2x7 3 -> 40, relu", .op = MNET_OP_PWCONV2D,
	  .in = { 2, 7, 3 }, .cout = 40, .act = MNET_ACT_RELU },
};

int main(void)
{
	return mnet_op_test_main("op_pwconv2d", cases, A(cases));
}
