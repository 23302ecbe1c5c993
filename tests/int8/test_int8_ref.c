// SPDX-License-Identifier: Apache-2.0
/*
 * test_int8_ref.c - the integer reference's arithmetic against values
 * worked out by hand (each case says how)
 *
 * The whole-model comparison with TFLite is test_int8_tflite.c; these
 * pin the corners that photos rarely reach: the saturating doubling
 * multiply at INT32_MIN, ties of the rounding divide on both signs,
 * QuantizeMultiplier's exponent at powers of two, activation ranges, a
 * softmax of equal inputs, and ADD / QUANTIZE identities.
 */
#include <stdint.h>
#include <string.h>

#include "lib/test_util.h"
#include "ref_q/q_kernels.h"
#include "ref_q/q_math.h"

static void test_srdhm(void)
{
	/* the one overflow: (-1) * (-1) in Q31 saturates */
	CU_ASSERT_EQUAL(mnet_q_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
	/*
	 * a * b / 2^31 with b = 2^30 (one half): a / 2, ties rounded up
	 * (gemmlowp's nudge: +2^30 for a positive product, 1 - 2^30 for a
	 * negative one, then a truncating division)
	 */
	CU_ASSERT_EQUAL(mnet_q_srdhm(12345, 1 << 30), 6173);	/* 6172.5 */
	CU_ASSERT_EQUAL(mnet_q_srdhm(-12345, 1 << 30), -6172);	/* -6172.5 */
	CU_ASSERT_EQUAL(mnet_q_srdhm(3, 1 << 30), 2);		/* 1.5 */
	CU_ASSERT_EQUAL(mnet_q_srdhm(-3, 1 << 30), -1);	/* -1.5 */
	CU_ASSERT_EQUAL(mnet_q_srdhm(-5, 1 << 30), -2);	/* -2.5 */
}

static void test_rdivpot(void)
{
	CU_ASSERT_EQUAL(mnet_q_rdivpot(3, 1), 2);	/* 1.5 -> 2 */
	CU_ASSERT_EQUAL(mnet_q_rdivpot(-3, 1), -2);	/* -1.5 -> -2 */
	CU_ASSERT_EQUAL(mnet_q_rdivpot(5, 2), 1);	/* 1.25 -> 1 */
	CU_ASSERT_EQUAL(mnet_q_rdivpot(-5, 2), -1);	/* -1.25 -> -1 */
	CU_ASSERT_EQUAL(mnet_q_rdivpot(-6, 2), -2);	/* -1.5 -> -2 */
	CU_ASSERT_EQUAL(mnet_q_rdivpot(7, 0), 7);
	/* softmax's exponents past 31: the exact quotient, not x >> (e % 32) */
	CU_ASSERT_EQUAL(mnet_q_rdivpot(INT32_MAX, 32), 0);
	CU_ASSERT_EQUAL(mnet_q_rdivpot(INT32_MAX, 33), 0);
	CU_ASSERT_EQUAL(mnet_q_rdivpot(1 << 30, 40), 0);
	CU_ASSERT_EQUAL(mnet_q_rdivpot(INT32_MIN, 32), -1);	/* -0.5 */
	CU_ASSERT_EQUAL(mnet_q_rdivpot(INT32_MIN, 33), 0);
	CU_ASSERT_EQUAL(mnet_q_rdivpot(INT32_MIN, 31), -1);
	/* the single rounding of FULLY_CONNECTED: half up */
	CU_ASSERT_EQUAL(mnet_q_mul_1r(3, 1 << 30, -1), 1);	/* 0.75 -> 1 */
	CU_ASSERT_EQUAL(mnet_q_mul_1r(-1, 1 << 30, 0), 0);	/* -0.5 -> 0 */
	CU_ASSERT_EQUAL(mnet_q_mul(-1, 1 << 30, 0), 0);	/* -0.5 -> 0 */
	CU_ASSERT_EQUAL(mnet_q_mul(-3, 1 << 30, -1), -1);	/* -0.75 */
}

static void test_quantize_multiplier(void)
{
	int32_t m;
	int s;

	/* 0.5 = 0.5 * 2^0; 1.0 = 0.5 * 2^1; 0.75 = 0.75 * 2^0 */
	mnet_qk_quantize_multiplier(0.5, &m, &s);
	CU_ASSERT(m == 1 << 30 && s == 0);
	mnet_qk_quantize_multiplier(1.0, &m, &s);
	CU_ASSERT(m == 1 << 30 && s == 1);
	mnet_qk_quantize_multiplier(0.75, &m, &s);
	CU_ASSERT(m == 3 << 29 && s == 0);
	/* just under 1: rounds up to 2^31, which becomes 2^30 * 2^1 */
	mnet_qk_quantize_multiplier(1.0 - 1e-12, &m, &s);
	CU_ASSERT(m == 1 << 30 && s == 1);
	mnet_qk_quantize_multiplier(0.0, &m, &s);
	CU_ASSERT(m == 0 && s == 0);
	/* x * 0.75 with x = 100: 75 */
	mnet_qk_quantize_multiplier(0.75, &m, &s);
	CU_ASSERT_EQUAL(mnet_q_mul(100, m, s), 75);
}

static void test_act_range(void)
{
	int32_t lo, hi;

	/* uint8, scale 6/255, zp 0: ReLU6 is [0, 255] */
	mnet_qk_act_range(2, 6.0f / 255, 0, 0, &lo, &hi);
	CU_ASSERT(lo == 0 && hi == 255);
	/* int8, scale 0.1, zp -10: ReLU [-10, 127], ReLU6 [-10, 50] */
	mnet_qk_act_range(1, 0.1f, -10, 1, &lo, &hi);
	CU_ASSERT(lo == -10 && hi == 127);
	mnet_qk_act_range(2, 0.1f, -10, 1, &lo, &hi);
	CU_ASSERT(lo == -10 && hi == 50);
	mnet_qk_act_range(0, 0.1f, -10, 1, &lo, &hi);
	CU_ASSERT(lo == -128 && hi == 127);
}

static void test_softmax_uniform(void)
{
	/* n equal inputs: each 1/n; with n = 4 and scale 1/256 that is 64 */
	struct mnet_qk_softmax p;
	uint8_t in[4] = { 7, 7, 7, 7 }, out[4];
	int i;

	mnet_qk_softmax_params(1.0, 0.1, &p);
	p.in_signed = 0;
	p.out_signed = 0;
	mnet_qk_softmax(&p, 1, 4, in, out);
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(out[i], 64);
	/* one input far above the others takes everything: 255, rest 0 */
	in[2] = 255;
	mnet_qk_softmax(&p, 1, 4, in, out);
	CU_ASSERT(out[2] >= 254 && out[0] == 0 && out[1] == 0 && out[3] == 0);
}

static void test_softmax_wide_uniform(void)
{
	/*
	 * 1000 equal int8 inputs (Keras's classifier, random weights): each
	 * is 1/1000, under the output's step of 1/256, so every output is
	 * -128.  The sum's exponent passes 31 here, where TFLite's reference
	 * kernel aborts; x >> (exponent % 32) would give 127 everywhere.
	 */
	struct mnet_qk_softmax p;
	static uint8_t in[1000], out[1000];
	int i, bad = 0;

	mnet_qk_softmax_params(1.0, 0.05, &p);
	p.in_signed = 1;
	p.out_signed = 1;
	memset(in, 0xf0, sizeof(in));
	mnet_qk_softmax(&p, 1, 1000, in, out);
	for (i = 0; i < 1000; i++)
		bad += (int8_t)out[i] != -128;
	CU_ASSERT_EQUAL(bad, 0);
	/* 300 near the top, the rest far below: 1/300 each is 0.85 steps */
	memset(in, 0x80, sizeof(in));
	memset(in, 0x7f, 300);
	mnet_qk_softmax(&p, 1, 1000, in, out);
	CU_ASSERT_EQUAL((int8_t)out[0], -127);
	CU_ASSERT_EQUAL((int8_t)out[999], -128);
}

static void test_add_requantize(void)
{
	/* equal scales, zero points 0: a + b exactly (within the range) */
	struct mnet_qk_add p = { 0 };
	uint8_t a[3] = { 1, 100, 200 }, b[3] = { 2, 50, 100 }, out[3];
	uint8_t q[3];

	mnet_qk_add_params(0.5f, 0.5f, 0.5f, &p);
	CU_ASSERT_EQUAL(p.left_shift, 20);
	p.act_min = 0;
	p.act_max = 255;
	mnet_qk_add(&p, 3, a, b, out);
	CU_ASSERT(out[0] == 3 && out[1] == 150 && out[2] == 255);
	/* uint8 zp 128 -> int8 zp 0, same scale: q - 128 (the TF2 input) */
	{
		int32_t m;
		int s;

		mnet_qk_quantize_multiplier(1.0, &m, &s);
		mnet_qk_requantize(3, 0, 128, 1, 0, m, s, a, q);
	}
	CU_ASSERT((int8_t)q[0] == -127 && (int8_t)q[1] == -28 &&
		  (int8_t)q[2] == 72);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "saturating rounding doubling high multiply", test_srdhm },
		{ "rounding divide by a power of two", test_rdivpot },
		{ "QuantizeMultiplier", test_quantize_multiplier },
		{ "activation ranges", test_act_range },
		{ "softmax of equal inputs", test_softmax_uniform },
		{ "softmax of 1000 equal inputs", test_softmax_wide_uniform },
		{ "ADD and QUANTIZE identities", test_add_requantize },
		CU_TEST_INFO_NULL,
	};

	return mnet_test_run_suite("int8 reference arithmetic", tests);
}
