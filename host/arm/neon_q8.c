// SPDX-License-Identifier: Apache-2.0
/*
 * neon_q8.c - the NEON 8-bit kernels over widening multiplies, ARMv8.0
 * AArch64 and ARMv7 (on armhf built with -mfpu=neon-vfpv4)
 *
 * DOC: NEON q8 kernels
 *
 * 1x1 convolution over %MNET_CPU_Q8_PAIRS16: tiles of 4 pixels x 8
 * output channels.  The pixels are centred into int16
 * (mnet_cpu_q8_load_rows()); vld2q_s16 splits a panel's [NR][2] pairs
 * into the 8 channels' weights at k and at k + 1, and vmlal_lane_s16
 * multiplies each by one pixel's centred input, widening into int32:
 * |products| <= 255 * 255, so every sum is exact.
 *
 * Depthwise: eight channels a vector, the input bytes widened to int16
 * less the zero point (|a - zp| <= 255), times the centred int16 weights
 * into two int32 vectors (vmlal_s16), summed in registers over the
 * window's taps inside the input; the last partial group of channels
 * goes through an 8-byte copy so that no load reads past the pixel.
 *
 * Both requantize in NEON (neon_q8_req.h), bit-identical to host/ref_q.
 */
#include <arm_neon.h>
#include <string.h>

#include "arm/neon.h"
#include "arm/neon_q8_req.h"
#include "scalar/cpu_scalar.h"

/*
 * One pair of inputs (k, k + 1), at lanes L and L + 1 of each pixel's x[],
 * into the tile's 4 x 8 sums lo[] (channels 0..3) and hi[] (4..7).
 */
#define PAIR(L)								\
	do {								\
		int16x8x2_t wv = vld2q_s16(wk);				\
		int16x4_t a0 = vget_low_s16(wv.val[0]);			\
		int16x4_t a1 = vget_high_s16(wv.val[0]);		\
		int16x4_t b0 = vget_low_s16(wv.val[1]);			\
		int16x4_t b1 = vget_high_s16(wv.val[1]);		\
		int r_;							\
									\
		for (r_ = 0; r_ < MNET_CPU_Q8_MR; r_++) {		\
			lo[r_] = vmlal_lane_s16(lo[r_], a0, x[r_], L);	\
			hi[r_] = vmlal_lane_s16(hi[r_], a1, x[r_], L);	\
			lo[r_] = vmlal_lane_s16(lo[r_], b0, x[r_], L + 1); \
			hi[r_] = vmlal_lane_s16(hi[r_], b1, x[r_], L + 1); \
		}							\
		wk += 2 * MNET_CPU_Q8_NR;				\
	} while (0)

static void store_tile(const struct mnet_cpu_q8_pw *p, int m, int rows,
		       int pn, int32x4_t *lo, int32x4_t *hi)
{
	int o0 = pn * MNET_CPU_Q8_NR, r;
	int nj = p->n - o0 < MNET_CPU_Q8_NR ? p->n - o0 : MNET_CPU_Q8_NR;
	int32x4_t b0 = vld1q_s32(p->bias + o0), b1 = vld1q_s32(p->bias + o0 + 4);
	int32x4_t zp = vdupq_n_s32(p->c_zp);
	int32x4_t vlo = vdupq_n_s32(p->lo), vhi = vdupq_n_s32(p->hi);

	for (r = 0; r < rows; r++) {
		uint8_t *c = p->c + (size_t)(m + r) * p->n + o0;
		uint8x8_t v = mnet_neon_q_req8(vaddq_s32(lo[r], b0),
					       vaddq_s32(hi[r], b1),
					       p->mult + o0, p->shift + o0,
					       p->single_round, zp, vlo, vhi);

		if (nj == MNET_CPU_Q8_NR) {
			vst1_u8(c, v);
		} else {
			uint8_t tmp[8];

			vst1_u8(tmp, v);
			memcpy(c, tmp, (size_t)nj);
		}
	}
}

void mnet_cpu_q8_pwconv_neon(const struct mnet_cpu_q8_pw *p, int m0, int m1)
{
	int np = (p->n + MNET_CPU_Q8_NR - 1) / MNET_CPU_Q8_NR;
	size_t kp = (size_t)p->kpad;
	int m, pn, k, r;

	for (m = m0; m < m1; m += MNET_CPU_Q8_MR) {
		int rows = m1 - m < MNET_CPU_Q8_MR ? m1 - m : MNET_CPU_Q8_MR;

		mnet_cpu_q8_load_rows(p, m, rows);
		/* rows past the tile's end read zeros (never stored) */
		if (rows < MNET_CPU_Q8_MR)
			memset(p->scratch + (size_t)rows * kp, 0,
			       (size_t)(MNET_CPU_Q8_MR - rows) * kp *
			       sizeof(int16_t));
		for (pn = 0; pn < np; pn++) {
			const int16_t *wk = p->w + (size_t)pn * kp *
						   MNET_CPU_Q8_NR;
			int32x4_t lo[MNET_CPU_Q8_MR], hi[MNET_CPU_Q8_MR];
			int16x4_t x[MNET_CPU_Q8_MR];

			for (r = 0; r < MNET_CPU_Q8_MR; r++)
				lo[r] = hi[r] = vdupq_n_s32(0);
			for (k = 0; k + 4 <= p->kpad; k += 4) {
				for (r = 0; r < MNET_CPU_Q8_MR; r++)
					x[r] = vld1_s16(p->scratch + r * kp + k);
				PAIR(0);
				PAIR(2);
			}
			if (k < p->kpad) {	/* the last pair */
				for (r = 0; r < MNET_CPU_Q8_MR; r++) {
					int32_t two;

					memcpy(&two, p->scratch + r * kp + k, 4);
					x[r] = vreinterpret_s16_s32(vdup_n_s32(two));
				}
				PAIR(0);
			}
			store_tile(p, m, rows, pn, lo, hi);
		}
	}
}

void mnet_cpu_q8_dwconv_neon(const struct mnet_cpu_q8_dw *d, int y0, int y1)
{
	int16x8_t zp = vdupq_n_s16((int16_t)d->in_zp);
	int32x4_t ozp = vdupq_n_s32(d->out_zp);
	int32x4_t vlo = vdupq_n_s32(d->lo), vhi = vdupq_n_s32(d->hi);
	int y, x, i, j, c;

	for (y = y0; y < y1; y++) {
		int i0 = d->pt - y * d->sh, i1 = d->ih + d->pt - y * d->sh;

		i0 = i0 < 0 ? 0 : i0;
		i1 = i1 > d->kh ? d->kh : i1;
		for (x = 0; x < d->ow; x++) {
			int j0 = d->pl - x * d->sw, j1 = d->iw + d->pl - x * d->sw;
			uint8_t *out = d->out + ((size_t)y * d->ow + x) * d->c;

			j0 = j0 < 0 ? 0 : j0;
			j1 = j1 > d->kw ? d->kw : j1;
			for (c = 0; c < d->c; c += 8) {
				int nc = d->c - c < 8 ? d->c - c : 8;
				int32x4_t a0 = vld1q_s32(d->bias + c);
				int32x4_t a1 = vld1q_s32(d->bias + c + 4);
				uint8x8_t v;

				for (i = i0; i < i1; i++) {
					int iy = y * d->sh - d->pt + i;

					for (j = j0; j < j1; j++) {
						int ix = x * d->sw - d->pl + j;
						const uint8_t *in = d->in +
							((size_t)iy * d->iw + ix) * d->c + c;
						const int16_t *w = d->w +
							((size_t)i * d->kw + j) * d->cpad + c;
						int16x8_t wv = vld1q_s16(w);
						uint8x8_t b;
						int16x8_t xv;

						if (nc == 8) {
							b = vld1_u8(in);
						} else {
							uint8_t tmp[8] = { 0 };

							memcpy(tmp, in, (size_t)nc);
							b = vld1_u8(tmp);
						}
						xv = d->in_signed ?
						     vmovl_s8(vreinterpret_s8_u8(b)) :
						     vreinterpretq_s16_u16(vmovl_u8(b));
						xv = vsubq_s16(xv, zp);
						a0 = vmlal_s16(a0, vget_low_s16(xv),
							       vget_low_s16(wv));
						a1 = vmlal_s16(a1, vget_high_s16(xv),
							       vget_high_s16(wv));
					}
				}
				v = mnet_neon_q_req8(a0, a1, d->mult + c,
						     d->shift + c, 0, ozp, vlo,
						     vhi);
				if (nc == 8) {
					vst1_u8(out + c, v);
				} else {
					uint8_t tmp[8];

					vst1_u8(tmp, v);
					memcpy(out + c, tmp, (size_t)nc);
				}
			}
		}
	}
}

void mnet_cpu_q8_requant_neon(const int32_t *x, const int32_t *mult,
			      const int *shift, int single_round,
			      int32_t *out, int n)
{
	int i;

	for (i = 0; i + 4 <= n; i += 4) {
		int32x4_t v = vld1q_s32(x + i), m = vld1q_s32(mult + i);
		int32x4_t s = vld1q_s32((const int32_t *)shift + i);

		vst1q_s32(out + i, single_round ? mnet_neon_q_mul_1r(v, m, s) :
						  mnet_neon_q_mul(v, m, s));
	}
	for (; i < n; i++) {
		int32_t xb[4] = { x[i] }, mb[4] = { mult[i] }, sb[4] = { shift[i] };
		int32x4_t v = vld1q_s32(xb), m = vld1q_s32(mb), s = vld1q_s32(sb);

		vst1q_s32(xb, single_round ? mnet_neon_q_mul_1r(v, m, s) :
					     mnet_neon_q_mul(v, m, s));
		out[i] = xb[0];
	}
}
