// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx512_dwconv.c - AVX-512F depthwise convolution
 *
 * DOC: AVX-512 depthwise
 *
 * NHWC puts the channels of a pixel side by side, so the vectors run over
 * 16 channels and the taps are plain FMAs, no shuffles.  For each output
 * row and each block of 16 channels the nine 3x3 weights and the bias stay
 * in registers while the row is swept.  Pixels whose window crosses the
 * border read a zero vector for the missing taps rather than branching
 * around them, so border rows and columns run at nearly the interior's
 * speed (they are a quarter of the pixels of a 7x7 layer).  Every path
 * adds the taps in the same order (bias, then row by row), so the result
 * for a pixel does not depend on which path or thread computed it.  Other
 * kernel sizes take a general per-pixel path.  The channel tail uses
 * masked loads and stores (weights are padded).
 */
#include <immintrin.h>

#include "x86/x86_avx512.h"

#ifndef MNET_DW_PIXEL_MAJOR
/*
 * Channels from which a 3x3 row is done pixel-major (row_many(): tiles of
 * MNET_DW_TILE outputs over every channel) rather than per 16-channel
 * block (row_3x3*).  Measured on an Intel Xeon (AVX-512), one thread,
 * alternating binaries: from 32 channels on the tiles win, e.g. V1
 * 1.0/224's 112x112x64 stride-2 layer 0.23 -> 0.17 ms, Xception's
 * 147x147x128 one 3.2 -> 2.2 ms, its 34 depthwise layers 10.7 -> 8.6 ms.
 */
#define MNET_DW_PIXEL_MAJOR 32
#endif

static inline __m512 px_load(const struct mnet_cpu_dw *d, int y, int x,
			     int c, __mmask16 mk)
{
	return _mm512_maskz_loadu_ps(mk, d->in + ((size_t)y * d->iw + x) *
					     d->c + c);
}

/* One output pixel, 16 channels, any kernel size, border checks. */
static void pixel_general(const struct mnet_cpu_dw *d, int oy, int ox, int c,
			  __mmask16 mk, __m512 lo, __m512 hi)
{
	int iy0 = oy * d->sh - d->pt, ix0 = ox * d->sw - d->pl, ky, kx;
	__m512 acc = _mm512_loadu_ps(d->bias + c);

	for (ky = 0; ky < d->kh; ky++) {
		int iy = iy0 + ky;

		if (iy < 0 || iy >= d->ih)
			continue;
		for (kx = 0; kx < d->kw; kx++) {
			int ix = ix0 + kx;

			if (ix < 0 || ix >= d->iw)
				continue;
			acc = _mm512_fmadd_ps(px_load(d, iy, ix, c, mk),
				_mm512_loadu_ps(d->w + (size_t)(ky * d->kw + kx) *
						d->cpad + c), acc);
		}
	}
	acc = _mm512_max_ps(_mm512_min_ps(acc, hi), lo);
	_mm512_mask_storeu_ps(d->out + ((size_t)oy * d->ow + ox) * d->c + c, mk,
			      acc);
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

static void row_3x3(const struct mnet_cpu_dw *d, int oy, int c, __mmask16 mk,
		    int x0, int x1, __m512 lo, __m512 hi)
{
	const size_t cs = (size_t)d->c, rs = (size_t)d->iw * cs;
	const int sw = d->sw;
	const float *wp = d->w + c;
	const size_t wc = (size_t)d->cpad;
	__m512 w00 = _mm512_loadu_ps(wp), w01 = _mm512_loadu_ps(wp + wc),
	       w02 = _mm512_loadu_ps(wp + 2 * wc),
	       w10 = _mm512_loadu_ps(wp + 3 * wc),
	       w11 = _mm512_loadu_ps(wp + 4 * wc),
	       w12 = _mm512_loadu_ps(wp + 5 * wc),
	       w20 = _mm512_loadu_ps(wp + 6 * wc),
	       w21 = _mm512_loadu_ps(wp + 7 * wc),
	       w22 = _mm512_loadu_ps(wp + 8 * wc);
	__m512 b = _mm512_loadu_ps(d->bias + c);
	int iy = oy * d->sh - d->pt, ox;
	const float *r0 = d->in + (size_t)iy * rs + c;
	float *o = d->out + (size_t)oy * d->ow * cs + c;

	for (ox = x0; ox < x1; ox++) {
		const float *p = r0 + (size_t)(ox * sw - d->pl) * cs;
		__m512 acc = b;

		acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, p), w00, acc);
		acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, p + cs), w01, acc);
		acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, p + 2 * cs), w02, acc);
		p += rs;
		acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, p), w10, acc);
		acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, p + cs), w11, acc);
		acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, p + 2 * cs), w12, acc);
		p += rs;
		acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, p), w20, acc);
		acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, p + cs), w21, acc);
		acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, p + 2 * cs), w22, acc);
		acc = _mm512_max_ps(_mm512_min_ps(acc, hi), lo);
		_mm512_mask_storeu_ps(o + (size_t)ox * cs, mk, acc);
	}
}

/*
 * A 3x3 row whose window may cross the border: taps outside the input read
 * a zero vector instead of being skipped, which adds exactly 0 to the
 * accumulator, so the sum equals the reference's (which skips them) and
 * the interior code's; weights stay in registers for the whole row.
 */
static void row_3x3_border(const struct mnet_cpu_dw *d, int oy, int c,
			   __mmask16 mk, int x0, int x1, __m512 lo, __m512 hi)
{
	static const float zero[16] __attribute__((aligned(64)));
	const size_t cs = (size_t)d->c, wc = (size_t)d->cpad;
	const float *wp = d->w + c, *rows[3];
	__m512 w[9], b = _mm512_loadu_ps(d->bias + c);
	int iy0 = oy * d->sh - d->pt, ox, ky, kx, t;
	float *o = d->out + (size_t)oy * d->ow * cs + c;

	for (t = 0; t < 9; t++)
		w[t] = _mm512_loadu_ps(wp + t * wc);
	for (ky = 0; ky < 3; ky++) {
		int iy = iy0 + ky;

		rows[ky] = iy >= 0 && iy < d->ih ?
			   d->in + (size_t)iy * d->iw * cs + c : NULL;
	}
	for (ox = 0; ox < d->ow; ox++) {
		int ix0 = ox * d->sw - d->pl;
		__m512 acc = b;

		if (ox == x0 && x0 < x1 && rows[0] && rows[2]) {
			/* the interior stretch of a full row */
			row_3x3(d, oy, c, mk, x0, x1, lo, hi);
			ox = x1 - 1;
			continue;
		}
		for (ky = 0; ky < 3; ky++)
			for (kx = 0; kx < 3; kx++) {
				int ix = ix0 + kx;
				const float *p = rows[ky] && ix >= 0 &&
						 ix < d->iw ?
						 rows[ky] + (size_t)ix * cs : zero;

				acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, p),
						      w[ky * 3 + kx], acc);
			}
		acc = _mm512_max_ps(_mm512_min_ps(acc, hi), lo);
		_mm512_mask_storeu_ps(o + (size_t)ox * cs, mk, acc);
	}
}

/*
 * Pixel-major order for many channels: for each output pixel, sweep its
 * channels 64 at a time (four independent accumulators), weights and
 * inputs read from cache.  Sweeping a row per 16-channel block instead
 * (row_3x3*) touches one line every C * 4 bytes; at 512 or 1024 channels
 * those lines fall into a couple of L1 sets and evict each other, which
 * measured 3-4x slower.  Here each tap's channels are contiguous.  Taps
 * outside the input are skipped, in the same order as everywhere else.
 */
static void row_pixels(const struct mnet_cpu_dw *d, int oy, int xa, int xb,
		       __m512 lo, __m512 hi)
{
	const size_t cs = (size_t)d->c;
	int iy0 = oy * d->sh - d->pt, ox, ky, kx, c, nt, t;

	for (ox = xa; ox < xb; ox++) {
		int ix0 = ox * d->sw - d->pl;
		float *o = d->out + ((size_t)oy * d->ow + ox) * cs;
		const float *tp[9], *tw[9];

		nt = 0;
		for (ky = 0; ky < 3; ky++) {
			int iy = iy0 + ky;

			if (iy < 0 || iy >= d->ih)
				continue;
			for (kx = 0; kx < 3; kx++) {
				int ix = ix0 + kx;

				if (ix < 0 || ix >= d->iw)
					continue;
				tp[nt] = d->in + ((size_t)iy * d->iw + ix) * cs;
				tw[nt++] = d->w + (size_t)(ky * 3 + kx) * d->cpad;
			}
		}
		for (c = d->c0; c + 64 <= d->c1; c += 64) {
			__m512 a0 = _mm512_loadu_ps(d->bias + c);
			__m512 a1 = _mm512_loadu_ps(d->bias + c + 16);
			__m512 a2 = _mm512_loadu_ps(d->bias + c + 32);
			__m512 a3 = _mm512_loadu_ps(d->bias + c + 48);

			for (t = 0; t < nt; t++) {
				const float *p = tp[t] + c, *w = tw[t] + c;

				a0 = _mm512_fmadd_ps(_mm512_loadu_ps(p),
						     _mm512_loadu_ps(w), a0);
				a1 = _mm512_fmadd_ps(_mm512_loadu_ps(p + 16),
						     _mm512_loadu_ps(w + 16), a1);
				a2 = _mm512_fmadd_ps(_mm512_loadu_ps(p + 32),
						     _mm512_loadu_ps(w + 32), a2);
				a3 = _mm512_fmadd_ps(_mm512_loadu_ps(p + 48),
						     _mm512_loadu_ps(w + 48), a3);
			}
			_mm512_storeu_ps(o + c, _mm512_max_ps(_mm512_min_ps(a0, hi), lo));
			_mm512_storeu_ps(o + c + 16, _mm512_max_ps(_mm512_min_ps(a1, hi), lo));
			_mm512_storeu_ps(o + c + 32, _mm512_max_ps(_mm512_min_ps(a2, hi), lo));
			_mm512_storeu_ps(o + c + 48, _mm512_max_ps(_mm512_min_ps(a3, hi), lo));
		}
		for (; c < d->c1; c += 16) {
			int left = d->c1 - c;
			__mmask16 mk = left >= 16 ? (__mmask16)0xffff :
				       (__mmask16)((1u << left) - 1);
			__m512 a = _mm512_loadu_ps(d->bias + c);

			for (t = 0; t < nt; t++)
				a = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mk, tp[t] + c),
						    _mm512_loadu_ps(tw[t] + c), a);
			_mm512_mask_storeu_ps(o + c, mk,
					      _mm512_max_ps(_mm512_min_ps(a, hi), lo));
		}
	}
}

/*
 * MNET_DW_TILE output pixels of an interior stretch, 16 channels at a
 * time over every channel: each input vector is loaded once and feeds
 * every output of the tile whose window holds it (three at stride 1),
 * each weight once per tile, where row_pixels() loads an input and a
 * weight for every FMA.  Lines are still touched in pixel-major order (no
 * reuse is asked of L1, see row_pixels()).  Each output gets the bias,
 * then the taps row by row, left to right: the order of every other path.
 * @SW is a constant at each call, so the loops unroll.
 */
#define MNET_DW_TILE 8

static inline __attribute__((always_inline)) void
tile_3x3(const struct mnet_cpu_dw *d, int oy, int ox, const int SW, __m512 lo,
	 __m512 hi)
{
	const size_t cs = (size_t)d->c, rs = (size_t)d->iw * cs;
	const size_t wc = (size_t)d->cpad;
	const float *in0 = d->in + ((size_t)(oy * d->sh - d->pt) * d->iw +
				    (size_t)(ox * SW - d->pl)) * cs;
	float *o = d->out + ((size_t)oy * d->ow + ox) * cs;
	int c, ky, j, t;

	for (c = d->c0; c < d->c1; c += 16) {
		int left = d->c1 - c;
		__mmask16 mk = left >= 16 ? (__mmask16)0xffff :
			       (__mmask16)((1u << left) - 1);
		__m512 acc[MNET_DW_TILE], b = _mm512_loadu_ps(d->bias + c);

#pragma GCC unroll 8
		for (t = 0; t < MNET_DW_TILE; t++)
			acc[t] = b;
#pragma GCC unroll 3
		for (ky = 0; ky < 3; ky++) {
			const float *r = in0 + ky * rs + c, *wp = d->w + c +
					 (size_t)(ky * 3) * wc;
			__m512 w0 = _mm512_loadu_ps(wp),
			       w1 = _mm512_loadu_ps(wp + wc),
			       w2 = _mm512_loadu_ps(wp + 2 * wc);

#pragma GCC unroll 32
			for (j = 0; j < (MNET_DW_TILE - 1) * SW + 3; j++) {
				__m512 v = _mm512_maskz_loadu_ps(mk, r + j * cs);

#pragma GCC unroll 8
				for (t = 0; t < MNET_DW_TILE; t++) {
					int kx = j - t * SW;

					if (kx == 0)
						acc[t] = _mm512_fmadd_ps(v, w0, acc[t]);
					else if (kx == 1)
						acc[t] = _mm512_fmadd_ps(v, w1, acc[t]);
					else if (kx == 2)
						acc[t] = _mm512_fmadd_ps(v, w2, acc[t]);
				}
			}
		}
#pragma GCC unroll 8
		for (t = 0; t < MNET_DW_TILE; t++)
			_mm512_mask_storeu_ps(o + t * cs + c, mk,
					      _mm512_max_ps(_mm512_min_ps(acc[t], hi),
							    lo));
	}
}

static void tile_3x3_s1(const struct mnet_cpu_dw *d, int oy, int ox,
			__m512 lo, __m512 hi)
{
	tile_3x3(d, oy, ox, 1, lo, hi);
}

static void tile_3x3_s2(const struct mnet_cpu_dw *d, int oy, int ox,
			__m512 lo, __m512 hi)
{
	tile_3x3(d, oy, ox, 2, lo, hi);
}

/* A many-channel 3x3 row: tiles over the interior, row_pixels() the rest. */
static void row_many(const struct mnet_cpu_dw *d, int oy, int x0, int x1,
		     __m512 lo, __m512 hi)
{
	int iy0 = oy * d->sh - d->pt, ox = x0;

	if (iy0 < 0 || iy0 + 3 > d->ih || d->sw > 2) {
		row_pixels(d, oy, 0, d->ow, lo, hi);
		return;
	}
	row_pixels(d, oy, 0, x0, lo, hi);
	for (; ox + MNET_DW_TILE <= x1; ox += MNET_DW_TILE) {
		if (d->sw == 1)
			tile_3x3_s1(d, oy, ox, lo, hi);
		else
			tile_3x3_s2(d, oy, ox, lo, hi);
	}
	row_pixels(d, oy, ox, d->ow, lo, hi);
}

void mnet_cpu_dwconv_avx512(const struct mnet_cpu_dw *d, int y0, int y1)
{
	__m512 lo = _mm512_set1_ps(d->lo), hi = _mm512_set1_ps(d->hi);
	int x0, x1, oy, ox, c;

	interior_cols(d, &x0, &x1);
	for (oy = y0; oy < y1; oy++) {
		/* the pixel stride, not the range, decides (see row_pixels) */
		if (d->kh == 3 && d->kw == 3 && d->c >= MNET_DW_PIXEL_MAJOR) {
			row_many(d, oy, x0, x1, lo, hi);
			continue;
		}
		for (c = d->c0; c < d->c1; c += 16) {
			int left = d->c1 - c;
			__mmask16 mk = left >= 16 ? (__mmask16)0xffff :
				       (__mmask16)((1u << left) - 1);

			if (d->kh == 3 && d->kw == 3) {
				row_3x3_border(d, oy, c, mk, x0, x1, lo, hi);
				continue;
			}
			for (ox = 0; ox < d->ow; ox++)
				pixel_general(d, oy, ox, c, mk, lo, hi);
		}
	}
}
