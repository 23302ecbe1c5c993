// SPDX-License-Identifier: Apache-2.0
/*
 * test_op_softmax.c - softmax (MNET_OP_SOFTMAX) against the reference, on every
 * backend and precision (the harness: tests/lib/op_test.h)
 *
 * Softmax over channels: one channel (always 1), 5, 17 and 1001 channels
 * (the classifier), on vectors and on every pixel of a small tensor, with
 * temperatures (TFLite's beta) 1, 0.5 and 1.5.
 */
#include "lib/op_test.h"

#define A(x) (sizeof(x) / sizeof((x)[0]))

static const struct mnet_op_case cases[] = {
	{ .name = "softmax 1x1x17", .op = MNET_OP_SOFTMAX,
	  .in = { 1, 1, 17 } },
	{ .name = "softmax 1x1x1", .op = MNET_OP_SOFTMAX,
	  .in = { 1, 1, 1 } },
	{ .name = "softmax 3x3x5, beta 1.5", .op = MNET_OP_SOFTMAX,
	  .in = { 3, 3, 5 }, .beta = 1.5f, .fp16 = 1 },
	{ .name = "softmax 2x5x3, beta 0.5", .op = MNET_OP_SOFTMAX,
	  .in = { 2, 5, 3 }, .beta = 0.5f },
	{ .name = "softmax 1x1x1001", .op = MNET_OP_SOFTMAX,
	  .in = { 1, 1, 1001 }, .cl = 1 },
};

int main(void)
{
	return mnet_op_test_main("op_softmax", cases, A(cases));
}
