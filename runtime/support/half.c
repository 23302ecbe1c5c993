// SPDX-License-Identifier: Apache-2.0
/*
 * half.c - float <-> half on the host
 *
 * DOC: half conversions
 *
 * fp16-storage sessions keep weights and activations as half on the
 * device; the host converts weights once at session creation and the
 * input/output once per run.  Rounding is to nearest even, as
 * vstore_half's default mode, so host- and device-converted values agree.
 */
#include <math.h>
#include <string.h>

#include "support/half.h"

uint16_t mnet_f32_to_f16(float f)
{
	uint32_t x, sign, mant, h, rem, halfway;
	int exp, e, shift;

	memcpy(&x, &f, sizeof(x));
	sign = (x >> 16) & 0x8000u;
	mant = x & 0x7fffffu;
	exp = (int)((x >> 23) & 0xff);
	if (exp == 0xff)
		return (uint16_t)(sign | 0x7c00u | (mant ? 0x200u : 0));
	e = exp - 127 + 15;
	if (e >= 31)
		return (uint16_t)(sign | 0x7c00u);
	if (e <= 0) {
		/* subnormal half (or zero) */
		if (e < -10)
			return (uint16_t)sign;
		mant |= 0x800000u;
		shift = 14 - e;
		h = mant >> shift;
		rem = mant & ((1u << shift) - 1);
		halfway = 1u << (shift - 1);
		if (rem > halfway || (rem == halfway && (h & 1)))
			h++;
		return (uint16_t)(sign | h);
	}
	h = ((uint32_t)e << 10) | (mant >> 13);
	rem = mant & 0x1fffu;
	if (rem > 0x1000u || (rem == 0x1000u && (h & 1)))
		h++;	/* a carry into the exponent is still correct */
	return (uint16_t)(sign | h);
}

float mnet_f16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
	uint32_t exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu, x;
	float f;

	if (exp == 0) {
		f = ldexpf((float)mant, -24);
		return sign ? -f : f;
	}
	if (exp == 31)
		x = sign | 0x7f800000u | (mant << 13);
	else
		x = sign | ((exp - 15 + 127) << 23) | (mant << 13);
	memcpy(&f, &x, sizeof(f));
	return f;
}

void mnet_f32_to_f16_array(uint16_t *dst, const float *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = mnet_f32_to_f16(src[i]);
}

void mnet_f16_to_f32_array(float *dst, const uint16_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = mnet_f16_to_f32(src[i]);
}
