// SPDX-License-Identifier: Apache-2.0
/*
 * test_op_act.c - a standalone RELU / RELU6 (MNET_OP_ACT) against the
 * reference, on every backend and precision (the harness:
 * tests/lib/op_test.h)
 *
 * Xception's RELU on odd element counts (a vector tail) and a multiple of
 * 16, and counts over 65536 that the cpu backend splits over its
 * threads; on OpenCL the act kernel of cl_kernels/add.cl.
 */
#include "lib/op_test.h"

#define A(x) (sizeof(x) / sizeof((x)[0]))

static const struct mnet_op_case cases[] = {
	{ .name = "relu 5x7x3", .op = MNET_OP_ACT, .in = { 5, 7, 3 },
	  .act = MNET_ACT_RELU, .fp16 = 1 },
	{ .name = "relu 4x4x32", .op = MNET_OP_ACT, .in = { 4, 4, 32 },
	  .act = MNET_ACT_RELU },
	{ .name = "relu6 3x3x17", .op = MNET_OP_ACT, .in = { 3, 3, 17 },
	  .act = MNET_ACT_RELU6, .cl = 1 },
	/* over 65536 elements, not a multiple of 64: split over threads */
	{ .name = "relu 61x67x17 (threaded)", .op = MNET_OP_ACT,
	  .in = { 61, 67, 17 }, .act = MNET_ACT_RELU },
	{ .name = "relu6 64x64x17 (threaded)", .op = MNET_OP_ACT,
	  .in = { 64, 64, 17 }, .act = MNET_ACT_RELU6 },
};

int main(void)
{
	return mnet_op_test_main("op_act", cases, A(cases));
}
