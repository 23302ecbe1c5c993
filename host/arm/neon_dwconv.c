// SPDX-License-Identifier: Apache-2.0
/*
 * neon_dwconv.c - NEON depthwise convolution (AArch64, and ARMv7 with NEON
 * and VFPv4)
 *
 * DOC: NEON depthwise
 *
 * Vectors run over 4 channels of an NHWC pixel.  For each output row and
 * block of 4 channels the nine 3x3 weights and the bias stay in registers
 * while the row is swept; pixels whose window crosses the border read a
 * zero vector for the missing taps (adding exactly 0), in the same order.  A channel count
 * that is not a multiple of 4 leaves a tail handled by the portable kernel
 * for those channels only (the padded weights make the offsets agree).
 */
#include <arm_neon.h>

#include "arm/neon.h"
#include "scalar/cpu_scalar.h"

static void pixel_general(const struct mnet_cpu_dw *d, int oy, int ox, int c,
			  float32x4_t lo, float32x4_t hi)
{
	int iy0 = oy * d->sh - d->pt, ix0 = ox * d->sw - d->pl, ky, kx;
	float32x4_t acc = vld1q_f32(d->bias + c);

	for (ky = 0; ky < d->kh; ky++) {
		int iy = iy0 + ky;

		if (iy < 0 || iy >= d->ih)
			continue;
		for (kx = 0; kx < d->kw; kx++) {
			int ix = ix0 + kx;

			if (ix < 0 || ix >= d->iw)
				continue;
			acc = vfmaq_f32(acc, vld1q_f32(d->in +
					((size_t)iy * d->iw + ix) * d->c + c),
				vld1q_f32(d->w + (size_t)(ky * d->kw + kx) *
					  d->cpad + c));
		}
	}
	acc = vmaxq_f32(vminq_f32(acc, hi), lo);
	vst1q_f32(d->out + ((size_t)oy * d->ow + ox) * d->c + c, acc);
}

static void row_3x3(const struct mnet_cpu_dw *d, int oy, int c, int x0,
		    int x1, float32x4_t lo, float32x4_t hi)
{
	const size_t cs = (size_t)d->c, rs = (size_t)d->iw * cs;
	const size_t wc = (size_t)d->cpad;
	const float *wp = d->w + c;
	float32x4_t w00 = vld1q_f32(wp), w01 = vld1q_f32(wp + wc),
		    w02 = vld1q_f32(wp + 2 * wc), w10 = vld1q_f32(wp + 3 * wc),
		    w11 = vld1q_f32(wp + 4 * wc), w12 = vld1q_f32(wp + 5 * wc),
		    w20 = vld1q_f32(wp + 6 * wc), w21 = vld1q_f32(wp + 7 * wc),
		    w22 = vld1q_f32(wp + 8 * wc);
	float32x4_t b = vld1q_f32(d->bias + c);
	int iy = oy * d->sh - d->pt, ox;
	const float *r0 = d->in + (size_t)iy * rs + c;
	float *o = d->out + (size_t)oy * d->ow * cs + c;

	for (ox = x0; ox < x1; ox++) {
		const float *p = r0 + (size_t)(ox * d->sw - d->pl) * cs;
		float32x4_t acc = b;

		acc = vfmaq_f32(acc, vld1q_f32(p), w00);
		acc = vfmaq_f32(acc, vld1q_f32(p + cs), w01);
		acc = vfmaq_f32(acc, vld1q_f32(p + 2 * cs), w02);
		p += rs;
		acc = vfmaq_f32(acc, vld1q_f32(p), w10);
		acc = vfmaq_f32(acc, vld1q_f32(p + cs), w11);
		acc = vfmaq_f32(acc, vld1q_f32(p + 2 * cs), w12);
		p += rs;
		acc = vfmaq_f32(acc, vld1q_f32(p), w20);
		acc = vfmaq_f32(acc, vld1q_f32(p + cs), w21);
		acc = vfmaq_f32(acc, vld1q_f32(p + 2 * cs), w22);
		acc = vmaxq_f32(vminq_f32(acc, hi), lo);
		vst1q_f32(o + (size_t)ox * cs, acc);
	}
}

static void interior_cols(const struct mnet_cpu_dw *d, int *x0, int *x1)
{
	int lo = (d->pl + d->sw - 1) / d->sw;
	int hi = d->iw - d->kw + d->pl >= 0 ?
		 (d->iw - d->kw + d->pl) / d->sw + 1 : 0;

	if (hi > d->ow)
		hi = d->ow;
	if (lo > hi)
		lo = hi;
	*x0 = lo;
	*x1 = hi;
}

/*
 * A 3x3 row whose window may cross the border: missing taps read a zero
 * vector (adding exactly 0), weights stay in registers for the whole row.
 */
static void row_3x3_border(const struct mnet_cpu_dw *d, int oy, int c,
			   int x0, int x1, float32x4_t lo, float32x4_t hi)
{
	const size_t cs = (size_t)d->c, wc = (size_t)d->cpad;
	const float *wp = d->w + c, *rows[3];
	float32x4_t w[9], b = vld1q_f32(d->bias + c), zero = vdupq_n_f32(0);
	int iy0 = oy * d->sh - d->pt, ox, ky, kx, t;
	float *o = d->out + (size_t)oy * d->ow * cs + c;

	for (t = 0; t < 9; t++)
		w[t] = vld1q_f32(wp + t * wc);
	for (ky = 0; ky < 3; ky++) {
		int iy = iy0 + ky;

		rows[ky] = iy >= 0 && iy < d->ih ?
			   d->in + (size_t)iy * d->iw * cs + c : NULL;
	}
	for (ox = 0; ox < d->ow; ox++) {
		int ix0 = ox * d->sw - d->pl;
		float32x4_t acc = b;

		if (ox == x0 && x0 < x1 && rows[0] && rows[2]) {
			row_3x3(d, oy, c, x0, x1, lo, hi);
			ox = x1 - 1;
			continue;
		}
		for (ky = 0; ky < 3; ky++)
			for (kx = 0; kx < 3; kx++) {
				int ix = ix0 + kx;
				float32x4_t x = rows[ky] && ix >= 0 &&
						ix < d->iw ?
					vld1q_f32(rows[ky] + (size_t)ix * cs) :
					zero;

				acc = vfmaq_f32(acc, x, w[ky * 3 + kx]);
			}
		acc = vmaxq_f32(vminq_f32(acc, hi), lo);
		vst1q_f32(o + (size_t)ox * cs, acc);
	}
}

void mnet_cpu_dwconv_neon(const struct mnet_cpu_dw *d, int y0, int y1)
{
	float32x4_t lo = vdupq_n_f32(d->lo), hi = vdupq_n_f32(d->hi);
	int cv = d->c0 + (d->c1 - d->c0) / 4 * 4, x0, x1, oy, ox, c;

	interior_cols(d, &x0, &x1);
	for (oy = y0; oy < y1; oy++) {
		for (c = d->c0; c < cv; c += 4) {
			if (d->kh == 3 && d->kw == 3) {
				row_3x3_border(d, oy, c, x0, x1, lo, hi);
				continue;
			}
			for (ox = 0; ox < d->ow; ox++)
				pixel_general(d, oy, ox, c, lo, hi);
		}
	}
	if (cv < d->c1)
		mnet_cpu_dwconv_channels(d, cv, d->c1, y0, y1);
}
