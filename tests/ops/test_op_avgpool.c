// SPDX-License-Identifier: Apache-2.0
/*
 * test_op_avgpool.c - average pooling (MNET_OP_AVGPOOL) against the reference,
 * on every backend and precision (the harness: tests/lib/op_test.h)
 *
 * Average pooling: global (the kernel is the input, MobileNet's classifier
 * head) over 7x7, oblong and 1x1 inputs, and windows 2x2 and 3x3 with
 * strides 1 and 2, SAME padding (the border windows average fewer values)
 * and VALID; 1, 3, 5 and 17 channels; each activation.
 */
#include "lib/op_test.h"

#define A(x) (sizeof(x) / sizeof((x)[0]))

static const struct mnet_op_case cases[] = {
	{ .name = "avgpool global 7x6x5", .op = MNET_OP_AVGPOOL,
	  .in = { 7, 6, 5 }, .fp16 = 1 },
	{ .name = "avgpool global 1x1x17", .op = MNET_OP_AVGPOOL,
	  .in = { 1, 1, 17 } },
	{ .name = "avgpool global 3x5x3, relu", .op = MNET_OP_AVGPOOL,
	  .in = { 3, 5, 3 }, .act = MNET_ACT_RELU },
	{ .name = "avgpool 3x3/2 SAME 7x7x3", .op = MNET_OP_AVGPOOL,
	  .in = { 7, 7, 3 }, .k = 3, .stride = 2, .cl = 1 },
	{ .name = "avgpool 2x2/2 VALID 8x6x17, relu6", .op = MNET_OP_AVGPOOL,
	  .in = { 8, 6, 17 }, .k = 2, .stride = 2, .pad = MNET_OP_PAD_VALID,
	  .act = MNET_ACT_RELU6 },
	{ .name = "avgpool 3x3/1 VALID 5x5x1", .op = MNET_OP_AVGPOOL,
	  .in = { 5, 5, 1 }, .k = 3, .stride = 1, .pad = MNET_OP_PAD_VALID },
	{ .name = "avgpool 3x3/1 SAME 4x9x5, relu", .op = MNET_OP_AVGPOOL,
	  .in = { 4, 9, 5 }, .k = 3, .stride = 1, .act = MNET_ACT_RELU },
};

int main(void)
{
	return mnet_op_test_main("op_avgpool", cases, A(cases));
}
