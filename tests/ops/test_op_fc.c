// SPDX-License-Identifier: Apache-2.0
/*
 * test_op_fc.c - the fully connected layer (MNET_OP_FC) against the reference,
 * on every backend and precision (the harness: tests/lib/op_test.h)
 *
 * The fully connected layer, on vectors (1x1xC) and on whole HxWxC
 * tensors: 1, 3, 5, 17 and 64 inputs, 1 to 33 outputs, each activation.
 */
#include "lib/op_test.h"

#define A(x) (sizeof(x) / sizeof((x)[0]))

static const struct mnet_op_case cases[] = {
	{ .name = "fc 1x1x33 -> 5", .op = MNET_OP_FC,
	  .in = { 1, 1, 33 }, .cout = 5, .cl = 1 },
	{ .name = "fc 1x1x17 -> 5", .op = MNET_OP_FC,
	  .in = { 1, 1, 17 }, .cout = 5 },
	{ .name = "fc 1x1x3 -> 1, relu6", .op = MNET_OP_FC,
	  .in = { 1, 1, 3 }, .cout = 1, .act = MNET_ACT_RELU6 },
	{ .name = "fc 3x3x5 -> 7, relu", .op = MNET_OP_FC,
	  .in = { 3, 3, 5 }, .cout = 7, .act = MNET_ACT_RELU, .fp16 = 1 },
	{ .name = "fc 1x1x64 -> 33, relu6", .op = MNET_OP_FC,
	  .in = { 1, 1, 64 }, .cout = 33, .act = MNET_ACT_RELU6 },
	{ .name = "fc 2x3x1 -> 17", .op = MNET_OP_FC,
	  .in = { 2, 3, 1 }, .cout = 17 },
};

int main(void)
{
	return mnet_op_test_main("op_fc", cases, A(cases));
}
