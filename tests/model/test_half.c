// SPDX-License-Identifier: Apache-2.0
/*
 * test_half.c - host float <-> half conversions
 *
 * Known bit patterns (one, the largest finite, the smallest subnormal,
 * infinity, signed zero), round to nearest even at a tie, overflow to
 * infinity, and every one of the 65536 halves surviving half -> float ->
 * half unchanged (NaNs stay NaN).
 */
#include <math.h>
#include <stdint.h>

#include "lib/test_util.h"
#include "support/half.h"

static const struct {
	float f;
	uint16_t h;
} known[] = {
	{ 1.0f, 0x3c00 },
	{ -2.0f, 0xc000 },
	{ 65504.0f, 0x7bff },
	{ 5.9604645e-8f, 0x0001 },	/* smallest subnormal */
	{ 6.1035156e-5f, 0x0400 },	/* smallest normal */
	{ 0.0f, 0x0000 },
	{ -0.0f, 0x8000 },
	{ 1e6f, 0x7c00 },		/* overflow */
	{ 1.0009765625f, 0x3c01 },
	{ 1.00048828125f, 0x3c00 },	/* tie: to even */
	{ 1.00146484375f, 0x3c02 },	/* tie: to even (up) */
	{ 1e-9f, 0x0000 },		/* underflow */
};

static void test_known(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		CU_ASSERT_EQUAL(mnet_f32_to_f16(known[i].f), known[i].h);
		if (known[i].h != 0x7c00 && known[i].f != 1e-9f &&
		    known[i].f != 1.00048828125f &&
		    known[i].f != 1.00146484375f)
			CU_ASSERT_EQUAL(mnet_f16_to_f32(known[i].h), known[i].f);
	}
	CU_ASSERT(isinf(mnet_f16_to_f32(0x7c00)));
	CU_ASSERT(isnan(mnet_f16_to_f32(0x7e00)));
	CU_ASSERT(signbit(mnet_f16_to_f32(0x8000)));
}

static void test_round_trip(void)
{
	unsigned int h, bad = 0;

	for (h = 0; h < 65536; h++) {
		float f = mnet_f16_to_f32((uint16_t)h);
		uint16_t back = mnet_f32_to_f16(f);

		if (isnan(f) ? (back & 0x7c00) != 0x7c00 || !(back & 0x3ff)
			     : back != h)
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "known values and rounding", test_known },
		{ "all 65536 halves round-trip", test_round_trip },
		CU_TEST_INFO_NULL,
	};

	return mnet_test_run_suite("half", tests);
}
