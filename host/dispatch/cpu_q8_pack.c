// SPDX-License-Identifier: Apache-2.0
/*
 * cpu_q8_pack.c - packing an 8-bit 1x1 convolution for its kernel set
 *
 * DOC: q8 weight formats
 *
 * %MNET_CPU_Q8_PAIRS16: panels of %MNET_CPU_Q8_NR channels, the weights
 * centred (w - w_zp) as int16, [kpad / 2][NR][2], with bias, multiplier
 * and shift per channel.  The kernels centre the activations too and sum
 * exact int16 x int16 products.
 *
 * %MNET_CPU_Q8_QUADS_U8S8: panels of %MNET_CPU_Q8_NR16 channels, the
 * weights as int8 quads [kpad4 / 4][NR16][4] for uint8 x int8 dot
 * products (vpdpbusd).  Activations enter as uint8 xu (int8 ones biased
 * by +128: a - a_zp = xu - A), weights as int8 ws (uint8 ones less 128:
 * w - w_zp = ws + B), and
 *
 *   sum (xu - A)(ws + B) = sum xu*ws + B * sum xu - A * sum ws - k*A*B
 *
 * so the kernel adds B * sum(xu) per pixel, and the per-channel rest,
 * with the bias folded in, is &struct mnet_cpu_q8_pw.w8_corr.  Every
 * array is padded with zeros to whole panels.
 *
 * %MNET_CPU_Q8_QUADS_S8S8: the same, for int8 x int8 dot products (Arm's
 * sdot): activations enter as int8 xs (uint8 ones less 128, i.e. a ^
 * 0x80), so A = a_zp (int8) or a_zp - 128 (uint8).  The correction is
 * summed in 64 bits and wrapped to int32, as the kernels' sums wrap: the
 * total is exact because the true accumulator fits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch/cpu_q8_pack.h"

static size_t kpad2(int k)
{
	return ((size_t)k + 1) & ~(size_t)1;
}

static size_t kpad4(int k)
{
	return ((size_t)k + 3) & ~(size_t)3;
}

static size_t panels(int n, int nr)
{
	return ((size_t)n + nr - 1) / nr;
}

static int q8_w(const struct mnet_cpu_q8_src *s, size_t o, size_t c)
{
	const uint8_t b = s->w[o * (size_t)s->k + c];

	return s->w_signed ? (int)(int8_t)b : (int)b;
}

size_t mnet_cpu_q8_pw_bytes(const struct mnet_cpu_kernels *ks, int n, int k)
{
	size_t np;

	if (ks->q8_format != MNET_CPU_Q8_PAIRS16) {
		np = panels(n, MNET_CPU_Q8_NR16) * MNET_CPU_Q8_NR16;
		return np * kpad4(k) + np * 4 * sizeof(int32_t);
	}
	np = panels(n, MNET_CPU_Q8_NR) * MNET_CPU_Q8_NR;
	return np * kpad2(k) * sizeof(int16_t) + np * 3 * sizeof(int32_t);
}

size_t mnet_cpu_q8_scratch16(int k)
{
	return MNET_CPU_Q8_MR_MAX * kpad2(k);
}

size_t mnet_cpu_q8_scratch8(int k)
{
	/* a spare row of 64 bytes: kernels may read whole vectors */
	return MNET_CPU_Q8_MR_MAX * kpad4(k) + 64;
}

/* The per-channel tail common to both formats: bias, multiplier, shift. */
static void pack_params(const struct mnet_cpu_q8_src *s, int32_t *bias,
			int32_t *mult, int *shift)
{
	int o;

	for (o = 0; o < s->n; o++) {
		bias[o] = s->bias ? s->bias[o] : 0;
		mult[o] = s->mult[o];
		shift[o] = s->shift[o];
	}
}

static void pack_pairs16(const struct mnet_cpu_q8_src *s, void *mem,
			 struct mnet_cpu_q8_pw *p)
{
	size_t np = panels(s->n, MNET_CPU_Q8_NR) * MNET_CPU_Q8_NR;
	size_t kp = kpad2(s->k), o, c;
	int16_t *w = mem;
	int32_t *bias = (int32_t *)(w + np * kp), *mult = bias + np;
	int *shift = (int *)(mult + np);

	for (o = 0; o < (size_t)s->n; o++) {
		int16_t *dst = w + (o / MNET_CPU_Q8_NR) * kp * MNET_CPU_Q8_NR +
			       (o % MNET_CPU_Q8_NR) * 2;

		for (c = 0; c < (size_t)s->k; c++)
			dst[(c / 2) * 2 * MNET_CPU_Q8_NR + c % 2] =
				(int16_t)(q8_w(s, o, c) - s->w_zp);
	}
	pack_params(s, bias, mult, shift);
	p->w = w;
	p->bias = bias;
	p->mult = mult;
	p->shift = shift;
	p->kpad = (int)kp;
}

/* both quad formats; @s8: activations as int8 (else uint8) */
static void pack_quads(const struct mnet_cpu_q8_src *s, void *mem,
		       struct mnet_cpu_q8_pw *p, int s8)
{
	size_t np = panels(s->n, MNET_CPU_Q8_NR16) * MNET_CPU_Q8_NR16;
	size_t kp = kpad4(s->k), o, c;
	int32_t A = s8 ? s->a_zp - (s->a_signed ? 0 : 128) :
			 (s->a_signed ? 128 : 0) + s->a_zp;
	int32_t B = s->w_signed ? -s->w_zp : 128 - s->w_zp;
	int32_t *corr = mem, *bias = corr + np, *mult = bias + np;
	int *shift = (int *)(mult + np);
	int8_t *w8 = (int8_t *)(shift + np);

	pack_params(s, bias, mult, shift);
	for (o = 0; o < (size_t)s->n; o++) {
		int8_t *dst = w8 + (o / MNET_CPU_Q8_NR16) * kp * MNET_CPU_Q8_NR16 +
			      (o % MNET_CPU_Q8_NR16) * 4;
		int32_t sum = 0;

		for (c = 0; c < (size_t)s->k; c++) {
			int v = s->w_signed ? q8_w(s, o, c) : q8_w(s, o, c) - 128;

			dst[(c / 4) * 4 * MNET_CPU_Q8_NR16 + c % 4] = (int8_t)v;
			sum += v;
		}
		corr[o] = (int32_t)(uint32_t)((int64_t)bias[o] -
					      (int64_t)A * sum -
					      (int64_t)s->k * A * B);
	}
	p->w8 = w8;
	p->w8_corr = corr;
	p->bias = bias;
	p->mult = mult;
	p->shift = shift;
	p->b_off = B;
	p->kpad4 = (int)kp;
}

int mnet_cpu_q8_zp_in_round(int taps, const int32_t *bias, const int *shift,
			    int n, int32_t zp)
{
	int64_t zmag = zp < 0 ? -(int64_t)zp : zp;
	int o;

	for (o = 0; o < n; o++) {
		int64_t b = bias ? bias[o] : 0, e = -shift[o];
		int64_t bound = (int64_t)taps * 255 * 255 + (b < 0 ? -b : b);

		if (shift[o] > 0 || e > 31)
			return 0;
		bound += (e ? (int64_t)1 << (e - 1) : 0) + (zmag << e);
		if (bound >= ((int64_t)1 << 31))
			return 0;
	}
	return 1;
}

int mnet_cpu_q8_pw_pack(const struct mnet_cpu_kernels *ks,
			const struct mnet_cpu_q8_src *s,
			struct mnet_cpu_q8_pw *p, void **mem)
{
	void *buf;

	*mem = NULL;
	/*
	 * |k * A * B| < 2^31 with |A|, |B| <= 256: k < 2^15 (VGG16's first
	 * fully connected layer has k = 25088)
	 */
	if (s->n < 1 || s->k < 1 || s->k >= (1 << 15) || s->m < 0)
		return -EINVAL;
	buf = calloc(1, mnet_cpu_q8_pw_bytes(ks, s->n, s->k));
	if (!buf)
		return -ENOMEM;
	*p = (struct mnet_cpu_q8_pw){
		.a_signed = s->a_signed, .a_zp = s->a_zp,
		.c_zp = s->c_zp, .lo = s->lo, .hi = s->hi,
		.m = s->m, .n = s->n, .k = s->k,
		.kpad = (int)kpad2(s->k), .kpad4 = (int)kpad4(s->k),
		.single_round = s->single_round,
	};
	if (ks->q8_format == MNET_CPU_Q8_QUADS_U8S8)
		pack_quads(s, buf, p, 0);
	else if (ks->q8_format == MNET_CPU_Q8_QUADS_S8S8)
		pack_quads(s, buf, p, 1);
	else
		pack_pairs16(s, buf, p);
	p->zp_in_round = !s->single_round &&
			 mnet_cpu_q8_zp_in_round(s->k, s->bias, s->shift, s->n,
						 s->c_zp);
	*mem = buf;
	return 0;
}
