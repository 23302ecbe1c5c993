// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx512vnni_q8dw.c - the AVX512-VNNI 8-bit depthwise convolution
 * (built with -mavx512vnni -mavx512bw -mavx512vl)
 *
 * DOC: VNNI q8 depthwise convolution
 *
 * Sixteen channels a vector, int32 lanes: each tap's input bytes widened
 * (vpmovzxbd / vpmovsxbd) and its centred weights zero-extended from
 * int16, so that vpdpwssd's pair (low half x low half + high half x 0)
 * is the exact product.  Output rows split over threads; within a row,
 * a block of 16 channels walks the pixels with its weights in registers.
 * A window wholly inside the input multiplies the raw inputs and starts
 * from bias - in_zp * sum(w) (the zero point folded once per block); a
 * window that crosses the border centres each tap it keeps and skips the
 * others, as the reference does.  Loads and stores are masked at the
 * last block, so nothing past a pixel is touched.  The requantizing
 * epilogue is x86_avx512vnni_req.h's: bit-identical to host/ref_q.
 */
#include <immintrin.h>
#include <stddef.h>

#include "x86/x86_avx2.h"
#include "x86/x86_avx512.h"
#include "x86/x86_avx512vnni_req.h"

#define MAX_TAPS 25

static inline __m512i widen(__mmask16 cm, const uint8_t *p, const int sgn)
{
	__m128i b = _mm_maskz_loadu_epi8(cm, p);

	return sgn ? _mm512_cvtepi8_epi32(b) : _mm512_cvtepu8_epi32(b);
}

/* 16 output bytes: the zero point in the rounding where the layer allows */
static inline __m128i dw_out(__m512i acc, const struct mnet_q16_req *rq,
			     int fast, __m512i half_zp, __m512i ozp, __m512i lo,
			     __m512i hi)
{
	if (fast)
		return mnet_q16_pack_nozp(mnet_q16_mul_zp(acc, rq, half_zp), lo,
					  hi);
	return mnet_q16_pack(mnet_q16_mul(acc, rq), ozp, lo, hi);
}

/*
 * One window row (weights @wa, @wb, @wc) of four neighbouring outputs
 * a0..a3 at stride @sw: input column j feeds output i through tap j - i*sw.
 */
#define DW4_TAP(j, i, wk)						\
	a##i = _mm512_dpwssd_epi32(a##i, v, wk)
#define DW4_ROW(rowp, wa, wb, wc)					\
	do {								\
		const uint8_t *r_ = (rowp);				\
		if (sw == 1) {						\
			v = widen(cm, r_, sgn);				\
			DW4_TAP(0, 0, wa);				\
			v = widen(cm, r_ + c, sgn);			\
			DW4_TAP(1, 0, wb); DW4_TAP(1, 1, wa);		\
			v = widen(cm, r_ + 2 * c, sgn);			\
			DW4_TAP(2, 0, wc); DW4_TAP(2, 1, wb);		\
			DW4_TAP(2, 2, wa);				\
			v = widen(cm, r_ + 3 * c, sgn);			\
			DW4_TAP(3, 1, wc); DW4_TAP(3, 2, wb);		\
			DW4_TAP(3, 3, wa);				\
			v = widen(cm, r_ + 4 * c, sgn);			\
			DW4_TAP(4, 2, wc); DW4_TAP(4, 3, wb);		\
			v = widen(cm, r_ + 5 * c, sgn);			\
			DW4_TAP(5, 3, wc);				\
		} else {						\
			v = widen(cm, r_, sgn);				\
			DW4_TAP(0, 0, wa);				\
			v = widen(cm, r_ + c, sgn);			\
			DW4_TAP(1, 0, wb);				\
			v = widen(cm, r_ + 2 * c, sgn);			\
			DW4_TAP(2, 0, wc); DW4_TAP(2, 1, wa);		\
			v = widen(cm, r_ + 3 * c, sgn);			\
			DW4_TAP(3, 1, wb);				\
			v = widen(cm, r_ + 4 * c, sgn);			\
			DW4_TAP(4, 1, wc); DW4_TAP(4, 2, wa);		\
			v = widen(cm, r_ + 5 * c, sgn);			\
			DW4_TAP(5, 2, wb);				\
			v = widen(cm, r_ + 6 * c, sgn);			\
			DW4_TAP(6, 2, wc); DW4_TAP(6, 3, wa);		\
			v = widen(cm, r_ + 7 * c, sgn);			\
			DW4_TAP(7, 3, wb);				\
			v = widen(cm, r_ + 8 * c, sgn);			\
			DW4_TAP(8, 3, wc);				\
		}							\
	} while (0)
#define DW4_STORE(i, a)							\
	_mm_mask_storeu_epi8(dst + (size_t)(x + (i)) * c, cm,		\
			     dw_out(a, &rq, fast, half_zp, ozp, lo, hi))

/*
 * One block of channels [@c0, @c0 + 16) of output rows [@y0, @y1).  @kh, @kw,
 * @sgn and @swk (the stride, 0 for d->sw) are constants where this is
 * inlined.  The struct's fields are
 * copied to locals first: the byte stores could alias them otherwise.
 */
static inline __attribute__((always_inline)) void
dw_row_block(const struct mnet_cpu_q8_dw *d, int y0, int y1, int c0,
	     const int kh, const int kw, const int sgn, const int swk,
	     const int full)
{
	const uint8_t *src = d->in;
	const int ih = d->ih, iw = d->iw, ow = d->ow, c = d->c;
	const int sw = swk ? swk : d->sw, pl = d->pl;
	/* a constant full mask lets each widening load from memory itself */
	const __mmask16 cm = full ? (__mmask16)0xffff : mnet_q16_tail(c0, c);
	__m512i w[MAX_TAPS], zp = _mm512_set1_epi32(d->in_zp);
	__m512i bias, folded, ozp, lo, hi, half_zp;
	const int fast = d->zp_in_round;
	ptrdiff_t off[MAX_TAPS];
	struct mnet_q16_req rq;
	int t, x, i, j, x_lo, x_hi, y;

	bias = _mm512_maskz_loadu_epi32(cm, d->bias + c0);
	folded = bias;
	for (t = 0; t < kh * kw; t++) {
		w[t] = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(cm,
						d->w + (size_t)t * d->cpad + c0));
		/* - zp * w: the low halves of w[t] are the signed weights */
		folded = _mm512_sub_epi32(folded, _mm512_madd_epi16(zp, w[t]));
		off[t] = ((ptrdiff_t)(t / kw) * iw + t % kw) * c;
	}
	mnet_q16_req_load(d->mult + c0, d->shift + c0, cm, &rq);
	ozp = _mm512_set1_epi32(d->out_zp);
	half_zp = mnet_q16_half_zp(&rq, ozp);
	lo = _mm512_set1_epi32(d->lo);
	hi = _mm512_set1_epi32(d->hi);
	for (y = y0; y < y1; y++) {
		uint8_t *dst = d->out + (size_t)y * d->ow * d->c + c0;
		const int iy0 = y * d->sh - d->pt;
		const int rows_in = iy0 >= 0 && iy0 + kh <= ih;

		/* the pixels whose window is inside the input's columns */
		x_lo = (pl + sw - 1) / sw;
		x_hi = iw - kw + pl >= 0 ? (iw - kw + pl) / sw : -1;
		if (x_hi > ow - 1)
			x_hi = ow - 1;
		if (!rows_in)
			x_lo = ow, x_hi = -1;
		for (x = 0; x < ow; x++) {
			int ix0 = x * sw - pl;
			__m512i acc, acc2;

			if (x == x_lo && kh == 3 && kw == 3) {
				/* the inside run of a 3x3 window, weights in registers */
				const uint8_t *in = src + ((size_t)iy0 * iw + ix0) * c + c0;
				const ptrdiff_t r1 = (ptrdiff_t)iw * c, r2 = 2 * r1;
				const ptrdiff_t step = (ptrdiff_t)sw * c;
				const __m512i w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
				const __m512i w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7];
				const __m512i w8 = w[8];

				/*
				 * Four pixels at a time: each input column of the
				 * window rows is widened once for the outputs it
				 * feeds (a third or a half of the widening).
				 */
				for (; (sw == 1 || sw == 2) && x + 3 <= x_hi;
				     x += 4, in += 4 * step) {
					__m512i a0 = folded, a1 = folded, a2 = folded;
					__m512i a3 = folded, v;

					DW4_ROW(in, w0, w1, w2);
					DW4_ROW(in + r1, w3, w4, w5);
					DW4_ROW(in + r2, w6, w7, w8);
					DW4_STORE(0, a0);
					DW4_STORE(1, a1);
					DW4_STORE(2, a2);
					DW4_STORE(3, a3);
				}
				for (; x <= x_hi; x++, in += step) {
					acc = _mm512_dpwssd_epi32(folded, widen(cm, in, sgn), w0);
					acc2 = _mm512_madd_epi16(widen(cm, in + c, sgn), w1);
					acc = _mm512_dpwssd_epi32(acc, widen(cm, in + 2 * c, sgn), w2);
					acc2 = _mm512_dpwssd_epi32(acc2, widen(cm, in + r1, sgn), w3);
					acc = _mm512_dpwssd_epi32(acc, widen(cm, in + r1 + c, sgn), w4);
					acc2 = _mm512_dpwssd_epi32(acc2, widen(cm, in + r1 + 2 * c, sgn), w5);
					acc = _mm512_dpwssd_epi32(acc, widen(cm, in + r2, sgn), w6);
					acc2 = _mm512_dpwssd_epi32(acc2, widen(cm, in + r2 + c, sgn), w7);
					acc = _mm512_dpwssd_epi32(acc, widen(cm, in + r2 + 2 * c, sgn), w8);
					acc = _mm512_add_epi32(acc, acc2);
					_mm_mask_storeu_epi8(dst + (size_t)x * c, cm,
							     dw_out(acc, &rq, fast, half_zp,
								    ozp, lo, hi));
				}
				x--;
				continue;
			}
			if (x >= x_lo && x <= x_hi) {
				const uint8_t *in = src + ((size_t)iy0 * iw + ix0) * c + c0;

				acc = folded;
				acc2 = _mm512_setzero_si512();
				for (t = 0; t + 1 < kh * kw; t += 2) {
					acc = _mm512_dpwssd_epi32(acc, widen(cm, in + off[t], sgn),
								  w[t]);
					acc2 = _mm512_dpwssd_epi32(acc2, widen(cm, in + off[t + 1],
									       sgn), w[t + 1]);
				}
				if (t < kh * kw)
					acc = _mm512_dpwssd_epi32(acc, widen(cm, in + off[t], sgn),
								  w[t]);
				acc = _mm512_add_epi32(acc, acc2);
			} else {
				acc = bias;
				for (i = 0; i < kh; i++) {
					if (iy0 + i < 0 || iy0 + i >= ih)
						continue;
					for (j = 0; j < kw; j++) {
						if (ix0 + j < 0 || ix0 + j >= iw)
							continue;
						acc = _mm512_dpwssd_epi32(acc,
							_mm512_sub_epi32(widen(cm, src +
								((size_t)(iy0 + i) * iw + ix0 + j) *
								c + c0, sgn), zp),
							w[i * kw + j]);
					}
				}
			}
			_mm_mask_storeu_epi8(dst + (size_t)x * c, cm,
					     dw_out(acc, &rq, fast, half_zp, ozp, lo, hi));
		}
	}
}

/* Rows [@y0, @y1) of one channel block, in the variant for its shape. */
static void dw_rows(const struct mnet_cpu_q8_dw *d, int y0, int y1, int c0)
{
	const int full = c0 + 16 <= d->c;

	if (d->kh == 3 && d->kw == 3 && d->sw == 1 && full)
		if (d->in_signed)
			dw_row_block(d, y0, y1, c0, 3, 3, 1, 1, 1);
		else
			dw_row_block(d, y0, y1, c0, 3, 3, 0, 1, 1);
	else if (d->kh == 3 && d->kw == 3 && d->sw == 2 && full)
		if (d->in_signed)
			dw_row_block(d, y0, y1, c0, 3, 3, 1, 2, 1);
		else
			dw_row_block(d, y0, y1, c0, 3, 3, 0, 2, 1);
	else if (d->kh == 3 && d->kw == 3)
		dw_row_block(d, y0, y1, c0, 3, 3, d->in_signed, 0, 0);
	else
		dw_row_block(d, y0, y1, c0, d->kh, d->kw, d->in_signed, 0, 0);
}

void mnet_cpu_q8_dwconv_vnni(const struct mnet_cpu_q8_dw *d, int y0, int y1)
{
	int y, c0;

	if (d->kh * d->kw > MAX_TAPS) {
		mnet_cpu_q8_dwconv_avx2(d, y0, y1);
		return;
	}
	/*
	 * Narrow rows: a channel block's set-up (weights, folded zero point,
	 * requantization) once for all the rows; wide ones row by row, so
	 * that each input row is read while it is in cache.
	 */
	if (d->ow <= 28) {
		for (c0 = 0; c0 < d->c; c0 += 16)
			dw_rows(d, y0, y1, c0);
		return;
	}
	for (y = y0; y < y1; y++)
		for (c0 = 0; c0 < d->c; c0 += 16)
			dw_rows(d, y, y + 1, c0);
}
