// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx2_dwconv.c - AVX2+FMA depthwise convolution
 *
 * DOC: AVX2 depthwise
 *
 * NHWC puts the channels of a pixel side by side, so the vectors run over
 * 8 channels and the taps are plain FMAs, no shuffles.  For each output
 * row and each block of 8 channels the nine 3x3 weights and the bias stay
 * in registers while the row is swept; pixels whose window crosses the
 * border read a zero vector for the missing taps (adding exactly 0).  All
 * paths add the taps in the same order (bias, then row by row), so the
 * result for a pixel does not depend on which path or thread computed it.
 * Other kernel sizes take a general per-pixel path.
 * The channel tail uses masked loads and stores (weights are padded).
 */
#include <immintrin.h>

#include "x86/x86_avx2.h"

/* Loads/stores of 8 channels; the mask only for the channel tail. */
static inline __m256 ld(const float *p, __m256i mk, int full)
{
	return full ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, mk);
}

static inline void st(float *p, __m256i mk, int full, __m256 v)
{
	if (full)
		_mm256_storeu_ps(p, v);
	else
		_mm256_maskstore_ps(p, mk, v);
}

static inline __m256 px_load(const struct mnet_cpu_dw *d, int y, int x,
			     int c, __m256i mk, int full)
{
	return ld(d->in + ((size_t)y * d->iw + x) * d->c + c, mk, full);
}

/* One output pixel, 8 channels, any kernel size, border checks. */
static void pixel_general(const struct mnet_cpu_dw *d, int oy, int ox, int c,
			  __m256i mk, int full, __m256 lo, __m256 hi)
{
	int iy0 = oy * d->sh - d->pt, ix0 = ox * d->sw - d->pl, ky, kx;
	__m256 acc = _mm256_loadu_ps(d->bias + c);

	for (ky = 0; ky < d->kh; ky++) {
		int iy = iy0 + ky;

		if (iy < 0 || iy >= d->ih)
			continue;
		for (kx = 0; kx < d->kw; kx++) {
			int ix = ix0 + kx;

			if (ix < 0 || ix >= d->iw)
				continue;
			acc = _mm256_fmadd_ps(px_load(d, iy, ix, c, mk, full),
				_mm256_loadu_ps(d->w + (size_t)(ky * d->kw + kx) *
						d->cpad + c), acc);
		}
	}
	acc = _mm256_max_ps(_mm256_min_ps(acc, hi), lo);
	st(d->out + ((size_t)oy * d->ow + ox) * d->c + c, mk, full, acc);
}

/* Output columns [*x0, *x1) whose whole window lies inside the input. */
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

static void row_3x3(const struct mnet_cpu_dw *d, int oy, int c, __m256i mk,
		    int full, int x0, int x1, __m256 lo, __m256 hi)
{
	const size_t cs = (size_t)d->c, rs = (size_t)d->iw * cs;
	const int sw = d->sw;
	const float *wp = d->w + c;
	const size_t wc = (size_t)d->cpad;
	__m256 w00 = _mm256_loadu_ps(wp), w01 = _mm256_loadu_ps(wp + wc),
	       w02 = _mm256_loadu_ps(wp + 2 * wc),
	       w10 = _mm256_loadu_ps(wp + 3 * wc),
	       w11 = _mm256_loadu_ps(wp + 4 * wc),
	       w12 = _mm256_loadu_ps(wp + 5 * wc),
	       w20 = _mm256_loadu_ps(wp + 6 * wc),
	       w21 = _mm256_loadu_ps(wp + 7 * wc),
	       w22 = _mm256_loadu_ps(wp + 8 * wc);
	__m256 b = _mm256_loadu_ps(d->bias + c);
	int iy = oy * d->sh - d->pt, ox;
	const float *r0 = d->in + (size_t)iy * rs + c;
	float *o = d->out + (size_t)oy * d->ow * cs + c;

	for (ox = x0; ox < x1; ox++) {
		const float *p = r0 + (size_t)(ox * sw - d->pl) * cs;
		__m256 acc = b;

		acc = _mm256_fmadd_ps(ld(p, mk, full), w00, acc);
		acc = _mm256_fmadd_ps(ld(p + cs, mk, full), w01, acc);
		acc = _mm256_fmadd_ps(ld(p + 2 * cs, mk, full), w02, acc);
		p += rs;
		acc = _mm256_fmadd_ps(ld(p, mk, full), w10, acc);
		acc = _mm256_fmadd_ps(ld(p + cs, mk, full), w11, acc);
		acc = _mm256_fmadd_ps(ld(p + 2 * cs, mk, full), w12, acc);
		p += rs;
		acc = _mm256_fmadd_ps(ld(p, mk, full), w20, acc);
		acc = _mm256_fmadd_ps(ld(p + cs, mk, full), w21, acc);
		acc = _mm256_fmadd_ps(ld(p + 2 * cs, mk, full), w22, acc);
		acc = _mm256_max_ps(_mm256_min_ps(acc, hi), lo);
		st(o + (size_t)ox * cs, mk, full, acc);
	}
}

/*
 * A 3x3 row whose window may cross the border: missing taps read a zero
 * vector (adding exactly 0), weights stay in registers for the whole row.
 */
static void row_3x3_border(const struct mnet_cpu_dw *d, int oy, int c,
			   __m256i mk, int full, int x0, int x1, __m256 lo,
			   __m256 hi)
{
	static const float zero[8] __attribute__((aligned(32)));
	const size_t cs = (size_t)d->c, wc = (size_t)d->cpad;
	const float *wp = d->w + c, *rows[3];
	__m256 w[9], b = _mm256_loadu_ps(d->bias + c);
	int iy0 = oy * d->sh - d->pt, ox, ky, kx, t;
	float *o = d->out + (size_t)oy * d->ow * cs + c;

	for (t = 0; t < 9; t++)
		w[t] = _mm256_loadu_ps(wp + t * wc);
	for (ky = 0; ky < 3; ky++) {
		int iy = iy0 + ky;

		rows[ky] = iy >= 0 && iy < d->ih ?
			   d->in + (size_t)iy * d->iw * cs + c : NULL;
	}
	for (ox = 0; ox < d->ow; ox++) {
		int ix0 = ox * d->sw - d->pl;
		__m256 acc = b;

		if (ox == x0 && x0 < x1 && rows[0] && rows[2]) {
			row_3x3(d, oy, c, mk, full, x0, x1, lo, hi);
			ox = x1 - 1;
			continue;
		}
		for (ky = 0; ky < 3; ky++)
			for (kx = 0; kx < 3; kx++) {
				int ix = ix0 + kx;

				if (rows[ky] && ix >= 0 && ix < d->iw)
					acc = _mm256_fmadd_ps(ld(rows[ky] +
							(size_t)ix * cs, mk, full),
						w[ky * 3 + kx], acc);
				else
					acc = _mm256_fmadd_ps(_mm256_load_ps(zero),
							      w[ky * 3 + kx], acc);
			}
		acc = _mm256_max_ps(_mm256_min_ps(acc, hi), lo);
		st(o + (size_t)ox * cs, mk, full, acc);
	}
}

void mnet_cpu_dwconv_avx2(const struct mnet_cpu_dw *d, int y0, int y1)
{
	__m256 lo = _mm256_set1_ps(d->lo), hi = _mm256_set1_ps(d->hi);
	int x0, x1, oy, ox, c;

	interior_cols(d, &x0, &x1);
	for (oy = y0; oy < y1; oy++) {
		for (c = d->c0; c < d->c1; c += 8) {
			int left = d->c1 - c, full = left >= 8;
			__m256i mk = _mm256_cmpgt_epi32(_mm256_set1_epi32(left),
				_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));

			if (d->kh == 3 && d->kw == 3) {
				row_3x3_border(d, oy, c, mk, full, x0, x1, lo,
					       hi);
				continue;
			}
			for (ox = 0; ox < d->ow; ox++)
				pixel_general(d, oy, ox, c, mk, full, lo, hi);
		}
	}
}
