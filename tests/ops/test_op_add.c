// SPDX-License-Identifier: Apache-2.0
/*
 * test_op_add.c - the elementwise add (MNET_OP_ADD) against the reference, on
 * every backend and precision (the harness: tests/lib/op_test.h)
 *
 * The elementwise add of MobileNetV2's residuals: a tensor plus a 3x3
 * depthwise convolution of it (the add runs on its own), and plus a linear
 * 1x1 convolution of it (which the cpu and OpenCL backends fuse into the
 * convolution's epilogue; with an activation they must not); 1, 3, 5 and
 * 17 channels, 1x1 to 7x7 and oblong, each activation, and one over 65536
 * elements that the cpu backend splits over its threads.
 */
#include "lib/op_test.h"

#define A(x) (sizeof(x) / sizeof((x)[0]))

static const struct mnet_op_case cases[] = {
	{ .name = "add 3x3x5, relu6", .op = MNET_OP_ADD,
	  .in = { 3, 3, 5 }, .act = MNET_ACT_RELU6, .cl = 1 },
	{ .name = "add 7x7x3", .op = MNET_OP_ADD,
	  .in = { 7, 7, 3 } },
	{ .name = "add 1x1x17, relu", .op = MNET_OP_ADD,
	  .in = { 1, 1, 17 }, .act = MNET_ACT_RELU },
	{ .name = "add 5x4x1", .op = MNET_OP_ADD,
	  .in = { 5, 4, 1 } },
	{ .name = "add residual (fused) 9x7x17", .op = MNET_OP_ADD,
	  .in = { 9, 7, 17 }, .residual = 1, .fp16 = 1 },
	{ .name = "add residual (fused) 3x5x3", .op = MNET_OP_ADD,
	  .in = { 3, 5, 3 }, .residual = 1 },
	{ .name = "add residual, relu6 (not fused) 3x3x5", .op = MNET_OP_ADD,
	  .in = { 3, 3, 5 }, .residual = 1, .act = MNET_ACT_RELU6 },
	/* over 65536 elements: split over the cpu backend's threads */
	{ .name = "add 61x67x17 (threaded), relu", .op = MNET_OP_ADD,
	  .in = { 61, 67, 17 }, .act = MNET_ACT_RELU },
};

int main(void)
{
	return mnet_op_test_main("op_add", cases, A(cases));
}
