// SPDX-License-Identifier: Apache-2.0
/*
 * test_op_maxpool.c - max pooling (MNET_OP_MAXPOOL) against the reference,
 * on every backend and precision (the harness: tests/lib/op_test.h)
 *
 * VGG16's 2x2/2 VALID and Xception's 3x3/2 SAME (the border windows take
 * fewer taps, never a padded zero), odd sizes where a 2x2/2 VALID drops
 * the last row and column, stride 1; 1, 3, 5, 17 and 64 channels; each
 * activation; big enough that the cpu backend splits the rows over its
 * threads; on OpenCL the maxpool kernel of cl_kernels/avgpool.cl.
 */
#include "lib/op_test.h"

#define A(x) (sizeof(x) / sizeof((x)[0]))

static const struct mnet_op_case cases[] = {
	{ .name = "maxpool 2x2/2 VALID 8x8x64", .op = MNET_OP_MAXPOOL,
	  .in = { 8, 8, 64 }, .k = 2, .stride = 2, .pad = MNET_OP_PAD_VALID,
	  .fp16 = 1 },
	{ .name = "maxpool 2x2/2 VALID 7x5x3", .op = MNET_OP_MAXPOOL,
	  .in = { 7, 5, 3 }, .k = 2, .stride = 2, .pad = MNET_OP_PAD_VALID },
	{ .name = "maxpool 3x3/2 SAME 9x9x17", .op = MNET_OP_MAXPOOL,
	  .in = { 9, 9, 17 }, .k = 3, .stride = 2, .cl = 1 },
	{ .name = "maxpool 3x3/2 SAME 6x10x5, relu", .op = MNET_OP_MAXPOOL,
	  .in = { 6, 10, 5 }, .k = 3, .stride = 2, .act = MNET_ACT_RELU },
	{ .name = "maxpool 3x3/1 SAME 4x4x1, relu6", .op = MNET_OP_MAXPOOL,
	  .in = { 4, 4, 1 }, .k = 3, .stride = 1, .act = MNET_ACT_RELU6 },
	/* over 65536 elements: the cpu backend splits rows over its
	 * threads (on 3 threads, shares of 13 and 12 rows) */
	{ .name = "maxpool 3x3/2 SAME 75x83x24 (threaded), relu6",
	  .op = MNET_OP_MAXPOOL, .in = { 75, 83, 24 }, .k = 3, .stride = 2,
	  .act = MNET_ACT_RELU6 },
	{ .name = "maxpool 2x2/2 VALID 65x67x17 (threaded)",
	  .op = MNET_OP_MAXPOOL, .in = { 65, 67, 17 }, .k = 2, .stride = 2,
	  .pad = MNET_OP_PAD_VALID },
};

int main(void)
{
	return mnet_op_test_main("op_maxpool", cases, A(cases));
}
