// SPDX-License-Identifier: Apache-2.0
/*
 * cpu_scalar_q8.c - the portable 8-bit 1x1 convolution over packed
 * weights, and the pixel loading and requantizing epilogue every q8
 * kernel shares
 *
 * DOC: q8 1x1 convolution
 *
 * Tiles of %MNET_CPU_Q8_MR pixels: the tile's pixels are centred
 * (a - a_zero_point) into int16 scratch, zero-padded to an even length,
 * then each panel of %MNET_CPU_Q8_NR output channels accumulates int32
 * dot products against the centred int16 weights, and the epilogue adds
 * the bias, requantizes with the layer's per-channel (multiplier, shift)
 * as TFLite's reference does (mnet_q_mul()), adds the output zero point
 * and clamps.  Integer sums are exact in any order, so a SIMD kernel that
 * replaces only the dot products stays bit-identical.
 */
#include <string.h>

#include "ref_q/q_math.h"
#include "scalar/cpu_scalar.h"

void mnet_cpu_q8_load_rows(const struct mnet_cpu_q8_pw *p, int m0, int rows)
{
	int r, k;

	for (r = 0; r < rows; r++) {
		const uint8_t *a = p->a + (size_t)(m0 + r) * p->k;
		int16_t *s = p->scratch + (size_t)r * p->kpad;

		for (k = 0; k < p->k; k++)
			s[k] = (int16_t)(mnet_q_ld(a, k, p->a_signed) - p->a_zp);
		for (; k < p->kpad; k++)
			s[k] = 0;
	}
}

void mnet_cpu_q8_store(const struct mnet_cpu_q8_pw *p, int m0, int rows,
		       int panel, const int32_t *acc)
{
	int r, j, o0 = panel * MNET_CPU_Q8_NR;
	int nj = p->n - o0 < MNET_CPU_Q8_NR ? p->n - o0 : MNET_CPU_Q8_NR;

	for (r = 0; r < rows; r++) {
		uint8_t *c = p->c + (size_t)(m0 + r) * p->n + o0;

		for (j = 0; j < nj; j++) {
			int32_t v = acc[r * MNET_CPU_Q8_NR + j] +
				    p->bias[o0 + j];

			v = (p->single_round ?
			     mnet_q_mul_1r(v, p->mult[o0 + j], p->shift[o0 + j]) :
			     mnet_q_mul(v, p->mult[o0 + j], p->shift[o0 + j])) +
			    p->c_zp;
			c[j] = (uint8_t)mnet_q_clamp(v, p->lo, p->hi);
		}
	}
}

void mnet_cpu_q8_pwconv_scalar(const struct mnet_cpu_q8_pw *p, int m0,
			       int m1)
{
	int np = (p->n + MNET_CPU_Q8_NR - 1) / MNET_CPU_Q8_NR;
	int32_t acc[MNET_CPU_Q8_MR * MNET_CPU_Q8_NR];
	int m, pn, r, k, j;

	for (m = m0; m < m1; m += MNET_CPU_Q8_MR) {
		int rows = m1 - m < MNET_CPU_Q8_MR ? m1 - m : MNET_CPU_Q8_MR;

		mnet_cpu_q8_load_rows(p, m, rows);
		for (pn = 0; pn < np; pn++) {
			const int16_t *w = p->w + (size_t)pn * p->kpad *
						  MNET_CPU_Q8_NR;

			memset(acc, 0, sizeof(acc));
			for (r = 0; r < rows; r++) {
				const int16_t *s = p->scratch +
						   (size_t)r * p->kpad;

				for (k = 0; k < p->kpad; k += 2) {
					const int16_t *wk = w + (size_t)k *
								MNET_CPU_Q8_NR;

					for (j = 0; j < MNET_CPU_Q8_NR; j++)
						acc[r * MNET_CPU_Q8_NR + j] +=
							s[k] * wk[2 * j] +
							s[k + 1] * wk[2 * j + 1];
				}
			}
			mnet_cpu_q8_store(p, m, rows, pn, acc);
		}
	}
}

void mnet_cpu_q8_dw_store(const struct mnet_cpu_q8_dw *d, uint8_t *out,
			  const int32_t *acc)
{
	int c;

	for (c = 0; c < d->c; c++) {
		int32_t v = mnet_q_mul(acc[c] + d->bias[c], d->mult[c],
				       d->shift[c]) + d->out_zp;

		out[c] = (uint8_t)mnet_q_clamp(v, d->lo, d->hi);
	}
}

void mnet_cpu_q8_dwconv_scalar(const struct mnet_cpu_q8_dw *d, int y0,
			       int y1)
{
	int y, x, i, j, c;

	for (y = y0; y < y1; y++) {
		for (x = 0; x < d->ow; x++) {
			memset(d->acc, 0, (size_t)d->c * sizeof(*d->acc));
			for (i = 0; i < d->kh; i++) {
				int iy = y * d->sh - d->pt + i;

				if (iy < 0 || iy >= d->ih)
					continue;
				for (j = 0; j < d->kw; j++) {
					int ix = x * d->sw - d->pl + j;
					const uint8_t *in;
					const int16_t *w;

					if (ix < 0 || ix >= d->iw)
						continue;
					in = d->in + ((size_t)iy * d->iw + ix) * d->c;
					w = d->w + ((size_t)i * d->kw + j) * d->cpad;
					for (c = 0; c < d->c; c++)
						d->acc[c] += (mnet_q_ld(in, c, d->in_signed) -
							      d->in_zp) * w[c];
				}
			}
			mnet_cpu_q8_dw_store(d, d->out + ((size_t)y * d->ow + x) *
						  d->c, d->acc);
		}
	}
}
