// SPDX-License-Identifier: Apache-2.0
/*
 * cpu_scalar.c - the portable C kernels of the CPU backend
 *
 * DOC: portable CPU kernels
 *
 * The fallback for machines without a SIMD table (and what MNET_CPU=ref
 * selects): the same packed layouts, tiling and thread split as the SIMD
 * kernels, written in plain C so that any C11 compiler builds them.  Small
 * register tiles (4 pixels x 8 channels) let the compiler keep the
 * accumulators in registers and vectorise what it can at the baseline ISA.
 */
#include "scalar/cpu_scalar.h"

#define S_MR 4
#define S_NR 8

static inline float clampf(float v, float lo, float hi)
{
	v = v < hi ? v : hi;
	return v > lo ? v : lo;
}

static void gemm_tile(const struct mnet_cpu_gemm *g, int row, int mr,
		      int panel)
{
	const float *w = g->w + (size_t)panel * g->k * S_NR;
	const float *b = g->bias + (size_t)panel * S_NR;
	int n0 = panel * S_NR, nc = g->n - n0, i, j, p;
	float acc[S_MR][S_NR];

	if (nc > S_NR)
		nc = S_NR;
	for (i = 0; i < mr; i++)
		for (j = 0; j < S_NR; j++)
			acc[i][j] = b[j];
	for (p = 0; p < g->k; p++) {
		const float *wp = w + (size_t)p * S_NR;

		_Pragma("GCC unroll 4")
		for (i = 0; i < mr; i++) {
			float a = g->a[(size_t)(row + i) * g->lda + p];

			for (j = 0; j < S_NR; j++)
				acc[i][j] += a * wp[j];
		}
	}
	for (i = 0; i < mr; i++) {
		size_t off = (size_t)(row + i) * g->ldc + n0;
		float *c = g->c + off;

		if (g->res)	/* the fused residual, laid out as c */
			for (j = 0; j < nc; j++)
				acc[i][j] += g->res[off + j];
		for (j = 0; j < nc; j++)
			c[j] = clampf(acc[i][j], g->lo, g->hi);
	}
}

void mnet_cpu_gemm_scalar(const struct mnet_cpu_gemm *g, int m0, int m1,
			  int p0, int p1)
{
	int mc = mnet_cpu_gemm_mc(g->k, S_MR), b, r, p;

	for (b = m0; b < m1; b += mc) {
		int bend = b + mc < m1 ? b + mc : m1;

		for (p = p0; p < p1; p++)
			for (r = b; r < bend; r += S_MR)
				gemm_tile(g, r, bend - r < S_MR ? bend - r : S_MR,
					  p);
	}
}

void mnet_cpu_dwconv_channels(const struct mnet_cpu_dw *d, int c0, int c1,
			      int y0, int y1)
{
	int oy, ox, c, ky, kx;

	for (oy = y0; oy < y1; oy++) {
		for (ox = 0; ox < d->ow; ox++) {
			float *o = d->out + ((size_t)oy * d->ow + ox) * d->c;
			int iy0 = oy * d->sh - d->pt, ix0 = ox * d->sw - d->pl;

			for (c = c0; c < c1; c++)
				o[c] = d->bias[c];
			for (ky = 0; ky < d->kh; ky++) {
				int iy = iy0 + ky;

				if (iy < 0 || iy >= d->ih)
					continue;
				for (kx = 0; kx < d->kw; kx++) {
					int ix = ix0 + kx;
					const float *in, *w;

					if (ix < 0 || ix >= d->iw)
						continue;
					in = d->in + ((size_t)iy * d->iw + ix) * d->c;
					w = d->w + (size_t)(ky * d->kw + kx) * d->cpad;
					for (c = c0; c < c1; c++)
						o[c] += in[c] * w[c];
				}
			}
			for (c = c0; c < c1; c++)
				o[c] = clampf(o[c], d->lo, d->hi);
		}
	}
}

void mnet_cpu_dwconv_scalar(const struct mnet_cpu_dw *d, int y0, int y1)
{
	mnet_cpu_dwconv_channels(d, d->c0, d->c1, y0, y1);
}

/*
 * A window row inside the input is kw * cin contiguous floats (NHWC), so it
 * is copied with one short loop; only border taps are handled one by one.
 * (The first layer has cin = 3: library memcpy calls would cost more than
 * the copying.)
 */
void mnet_cpu_im2col(const struct mnet_cpu_conv *cv, float *dst, int r0,
		     int r1)
{
	int seg = cv->kw * cv->cin, r, ky, kx, j;

	for (r = r0; r < r1; r++) {
		int oy = r / cv->ow, ox = r % cv->ow;
		int iy0 = oy * cv->sh - cv->pt, ix0 = ox * cv->sw - cv->pl;
		int inside = ix0 >= 0 && ix0 + cv->kw <= cv->iw;

		for (ky = 0; ky < cv->kh; ky++, dst += seg) {
			int iy = iy0 + ky;
			const float *row;

			if (iy < 0 || iy >= cv->ih) {
				for (j = 0; j < seg; j++)
					dst[j] = 0.0f;
				continue;
			}
			row = cv->in + (size_t)iy * cv->iw * cv->cin;
			if (inside) {
				const float *src = row + (size_t)ix0 * cv->cin;

				for (j = 0; j < seg; j++)
					dst[j] = src[j];
				continue;
			}
			for (kx = 0; kx < cv->kw; kx++) {
				int ix = ix0 + kx;

				for (j = 0; j < cv->cin; j++)
					dst[kx * cv->cin + j] =
						ix < 0 || ix >= cv->iw ? 0.0f :
						row[(size_t)ix * cv->cin + j];
			}
		}
	}
}

const struct mnet_cpu_kernels mnet_cpu_kernels_scalar = {
	.name = "scalar",
	.nr = 8,
	.mr = 4,
	.gemm = mnet_cpu_gemm_scalar,
	.dwconv = mnet_cpu_dwconv_scalar,
	.q8_pwconv = mnet_cpu_q8_pwconv_scalar,
	.q8_dwconv = mnet_cpu_q8_dwconv_scalar,
};
