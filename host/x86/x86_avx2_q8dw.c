// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx2_q8dw.c - the AVX2 8-bit depthwise convolution (built with
 * -mavx2)
 *
 * Eight channels a vector, one block of 8 channels along a whole output
 * row at a time, so that the block's weights (widened to int32), bias and
 * requantization parameters stay in registers: the input bytes widened to
 * int32, times the centred weights (vpmulld: exact, |products| <= 255 *
 * 255), summed over the window's taps inside the input, then requantized
 * in registers (x86_avx2_req.h) and stored.  3x3 windows wholly inside
 * the input take an unrolled path whose input zero point is folded into
 * the bias (sum (x - zp) * w == sum x * w - zp * sum w, exact in int32);
 * border pixels skip the taps outside, as the reference does.  A channel
 * tail (c % 8) is read and written through stack buffers.  Integer sums
 * are exact in any order, so the result is bit-identical to host/ref_q.
 */
#include <immintrin.h>
#include <string.h>

#include "scalar/cpu_scalar.h"
#include "x86/x86_avx2.h"
#include "x86/x86_avx2_req.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

static ALWAYS_INLINE __m256i ld8(const uint8_t *p, int nc, int sgn)
{
	__m128i b;

	if (nc < 8)
		return mnet_avx2_load8(p, nc, sgn);
	b = _mm_loadl_epi64((const __m128i *)p);
	return sgn ? _mm256_cvtepi8_epi32(b) : _mm256_cvtepu8_epi32(b);
}

static inline __m256i ldw(const int16_t *w)
{
	return _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)w));
}

/*
 * One pixel whose window crosses the border (or is not 3x3): the taps
 * inside the input only, each centred; @w holds the 3x3 weights where
 * the window is 3x3.
 */
static ALWAYS_INLINE __m256i border_px(const struct mnet_cpu_q8_dw *d,
				       __m256i acc, const __m256i *w, int iy0,
				       int ix0, int c, int nc, int sgn)
{
	const __m256i zp = _mm256_set1_epi32(d->in_zp);
	const int fast = d->kh == 3 && d->kw == 3;
	int i, j, t;

	for (i = 0; i < d->kh; i++) {
		int iy = iy0 + i;

		if (iy < 0 || iy >= d->ih)
			continue;
		for (j = 0; j < d->kw; j++) {
			int ix = ix0 + j;
			const uint8_t *p;
			__m256i v, wv;

			if (ix < 0 || ix >= d->iw)
				continue;
			t = i * d->kw + j;
			p = d->in + ((size_t)iy * d->iw + ix) * d->c + c;
			v = _mm256_sub_epi32(ld8(p, nc, sgn), zp);
			wv = fast ? w[t] : ldw(d->w + (size_t)t * d->cpad + c);
			acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(v, wv));
		}
	}
	return acc;
}

/*
 * Output row @y, channels [@c, @c + @nc) (@nc <= 8); @sgn is a constant
 * in each caller so that the widening is chosen at compile time.
 */
static ALWAYS_INLINE void dw_block(const struct mnet_cpu_q8_dw *d, int y,
				   int c, int nc, int sgn)
{
	const __m256i zp = _mm256_set1_epi32(d->in_zp);
	const __m256i ozp = _mm256_set1_epi32(d->out_zp);
	const __m256i lo = _mm256_set1_epi32(d->lo);
	const __m256i hi = _mm256_set1_epi32(d->hi);
	const int fast = d->kh == 3 && d->kw == 3;
	const size_t pix = (size_t)d->c, row = (size_t)d->iw * d->c;
	int iy0 = y * d->sh - d->pt, x, t;
	int rows_in = iy0 >= 0 && iy0 + d->kh <= d->ih;
	__m256i bias = _mm256_loadu_si256((const __m256i *)(d->bias + c));
	__m256i bias_zp = bias, hz, w[9];
	struct mnet_avx2_req q;
	uint8_t *out = d->out + (size_t)y * d->ow * d->c + c;

	mnet_avx2_req_load(d->mult + c, d->shift + c, &q);
	hz = mnet_avx2_half_zp(&q, ozp);
	if (fast) {
		__m256i ws = _mm256_setzero_si256();

		for (t = 0; t < 9; t++) {
			w[t] = ldw(d->w + (size_t)t * d->cpad + c);
			ws = _mm256_add_epi32(ws, w[t]);
		}
		bias_zp = _mm256_sub_epi32(bias, _mm256_mullo_epi32(zp, ws));
	}
	for (x = 0; x < d->ow; x++, out += d->c) {
		int ix0 = x * d->sw - d->pl;
		__m256i acc;

		if (fast && rows_in && ix0 >= 0 && ix0 + 3 <= d->iw) {
			const uint8_t *p = d->in + (size_t)iy0 * row +
					   (size_t)ix0 * pix + c;
			__m256i a0, a1, a2;

			a0 = _mm256_add_epi32(bias_zp, _mm256_mullo_epi32(
				ld8(p, nc, sgn), w[0]));
			a1 = _mm256_mullo_epi32(ld8(p + pix, nc, sgn), w[1]);
			a2 = _mm256_mullo_epi32(ld8(p + 2 * pix, nc, sgn),
						w[2]);
			p += row;
			a0 = _mm256_add_epi32(a0, _mm256_mullo_epi32(
				ld8(p, nc, sgn), w[3]));
			a1 = _mm256_add_epi32(a1, _mm256_mullo_epi32(
				ld8(p + pix, nc, sgn), w[4]));
			a2 = _mm256_add_epi32(a2, _mm256_mullo_epi32(
				ld8(p + 2 * pix, nc, sgn), w[5]));
			p += row;
			a0 = _mm256_add_epi32(a0, _mm256_mullo_epi32(
				ld8(p, nc, sgn), w[6]));
			a1 = _mm256_add_epi32(a1, _mm256_mullo_epi32(
				ld8(p + pix, nc, sgn), w[7]));
			a2 = _mm256_add_epi32(a2, _mm256_mullo_epi32(
				ld8(p + 2 * pix, nc, sgn), w[8]));
			acc = _mm256_add_epi32(a0, _mm256_add_epi32(a1, a2));
		} else {
			acc = border_px(d, bias, w, iy0, ix0, c, nc, sgn);
		}
		if (d->zp_in_round)
			mnet_avx2_store8(out, mnet_avx2_pack_nozp(
				mnet_avx2_mul_zp(acc, &q, hz), lo, hi), nc);
		else
			mnet_avx2_store8(out, mnet_avx2_pack(
				mnet_avx2_mul(acc, &q), ozp, lo, hi), nc);
	}
}

static ALWAYS_INLINE void dw_rows(const struct mnet_cpu_q8_dw *d, int y0,
				  int y1, int sgn)
{
	int c8 = d->c & ~7, y, c;

	for (y = y0; y < y1; y++) {
		for (c = 0; c < c8; c += 8)
			dw_block(d, y, c, 8, sgn);
		if (c < d->c)
			dw_block(d, y, c, d->c - c, sgn);
	}
}

static void dw_rows_u8(const struct mnet_cpu_q8_dw *d, int y0, int y1)
{
	dw_rows(d, y0, y1, 0);
}

static void dw_rows_s8(const struct mnet_cpu_q8_dw *d, int y0, int y1)
{
	dw_rows(d, y0, y1, 1);
}

void mnet_cpu_q8_dwconv_avx2(const struct mnet_cpu_q8_dw *d, int y0, int y1)
{
	if (d->in_signed)
		dw_rows_s8(d, y0, y1);
	else
		dw_rows_u8(d, y0, y1);
}
