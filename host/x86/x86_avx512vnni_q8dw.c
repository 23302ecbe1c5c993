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
 * last block, so nothing past a pixel is touched.
 *
 * 3x3 windows at stride 1 or 2 whose centred weights all fit int8 (every
 * int8 file; most uint8 ones, checked per block) take the byte path
 * instead: vpdpbusd on a column's three rows at once (three taps a lane,
 * the fourth weight 0), each column gathered once for the up to eight
 * outputs it feeds, and the taps outside the input read zero-point bytes,
 * which add nothing: one loop for edges and inside.  The requantizing
 * epilogue is x86_avx512vnni_req.h's: bit-identical to host/ref_q.
 */
#include <immintrin.h>
#include <stddef.h>
#include <string.h>

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
 * The quad path (vpdpbusd): one input column's three window rows as
 * unsigned bytes, channel k's taps in bytes 4k..4k+2 (byte 4k+3 meets a
 * zero weight).  The rows go to lanes 0..2, vpermd gathers each lane's
 * four channels of every row (dword r of lane L: row r's channels
 * 4L..4L+3) and vpshufb transposes the 4x4 bytes: two shuffles a column,
 * without AVX512-VBMI.  Signed inputs get their sign bit flipped (x + 128;
 * the set-up folds -128 * sum(w) into the bias).
 */
static inline __attribute__((always_inline)) __m512i
dwq_col(__mmask16 cm, const int full, const uint8_t *const *rp,
	const ptrdiff_t *rs, ptrdiff_t j, __m512i didx, __m512i bidx,
	__m512i flip)
{
	const uint8_t *p0 = rp[0] + j * rs[0], *p1 = rp[1] + j * rs[1];
	const uint8_t *p2 = rp[2] + j * rs[2];
	__m512i v;

	/* lane 3 is left undefined: it meets zero weights */
	if (full) {
		v = _mm512_castsi128_si512(_mm_loadu_si128((const void *)p0));
		v = _mm512_inserti32x4(v, _mm_loadu_si128((const void *)p1), 1);
		v = _mm512_inserti32x4(v, _mm_loadu_si128((const void *)p2), 2);
	} else {
		v = _mm512_castsi128_si512(_mm_maskz_loadu_epi8(cm, p0));
		v = _mm512_inserti32x4(v, _mm_maskz_loadu_epi8(cm, p1), 1);
		v = _mm512_inserti32x4(v, _mm_maskz_loadu_epi8(cm, p2), 2);
	}
	v = _mm512_shuffle_epi8(_mm512_permutexvar_epi32(didx, v), bidx);
	return _mm512_xor_si512(v, flip);
}

/*
 * The weights of window column @j in dwq_col()'s layout, or 0 in *@fits
 * where some centred weight of the block is outside int8's range.
 */
static inline __m512i dwq_weights(const struct mnet_cpu_q8_dw *d, int c0,
				  __mmask16 cm, int j, __m512i didx,
				  __m512i bidx, int *fits)
{
	const __m256i lo = _mm256_set1_epi16(-128), hi = _mm256_set1_epi16(127);
	__m512i v = _mm512_setzero_si512();
	int r;

	for (r = 0; r < 3; r++) {
		__m256i t = _mm256_maskz_loadu_epi16(cm, d->w +
					(size_t)(r * 3 + j) * d->cpad + c0);

		if (_mm256_cmplt_epi16_mask(t, lo) |
		    _mm256_cmpgt_epi16_mask(t, hi))
			*fits = 0;
		v = _mm512_mask_broadcast_i32x4(v, (__mmask16)(0xf << (4 * r)),
						_mm256_cvtepi16_epi8(t));
	}
	return _mm512_shuffle_epi8(_mm512_permutexvar_epi32(didx, v), bidx);
}

/* Output @i of a run takes column @j through window column j - i * @sw. */
#define DWQ_TAP(i, j)							\
	do {								\
		if ((j) - (i) * sw >= 0 && (j) - (i) * sw <= 2)		\
			a[i] = _mm512_dpbusd_epi32(a[i], v,		\
						   wq[(j) - (i) * sw]);	\
	} while (0)

/*
 * @n (constant) neighbouring pixels whose window columns are all inside,
 * the first at input column @ix (row pointers @rp, column steps @rs: a
 * row above or below the input reads zero-point bytes with step 0, which
 * add nothing, as the reference's skipped taps), with the quad weights
 * @wq: each input column is gathered once for all the outputs it feeds.
 */
static inline __attribute__((always_inline)) void
dwq_run(const uint8_t *const *rp, const ptrdiff_t *rs, ptrdiff_t ix,
	uint8_t *dst, const int n, const int sw, const int c, __mmask16 cm,
	const int full, const int sgn, const __m512i *wq, __m512i folded,
	__m512i didx, __m512i bidx, __m512i flip, const struct mnet_q16_req *rq,
	int fast, __m512i half_zp,
	__m512i ozp, __m512i lo, __m512i hi)
{
	__m512i a[8], v;
	int i, j;

	/* unrolled whole, so that a[] lives in registers */
#pragma GCC unroll 8
	for (i = 0; i < n; i++)
		a[i] = folded;
#pragma GCC unroll 17
	for (j = 0; j < (n - 1) * sw + 3; j++) {
		v = dwq_col(cm, full, rp, rs, ix + j, didx, bidx, flip);
#pragma GCC unroll 8
		for (i = 0; i < n; i++)
			DWQ_TAP(i, j);
	}
	if (full && n % 4 == 0) {
		/*
		 * Four outputs narrowed together: two vpackssdw and one
		 * vpacksswb / vpackuswb (saturating, then clamped to a range
		 * inside the type: the same bytes; a range below 0 is int8's,
		 * one from 0 up fits uint8's) leave lane L holding
		 * channels 4L..4L+3 of each output, which @didx transposes.
		 */
		const __m512i lo8 =
			_mm512_broadcast_i32x4(_mm512_cvtepi32_epi8(lo));
		const __m512i hi8 =
			_mm512_broadcast_i32x4(_mm512_cvtepi32_epi8(hi));

#pragma GCC unroll 2
		for (i = 0; i < n; i += 4) {
			__m512i r[4], v;

#pragma GCC unroll 4
			for (j = 0; j < 4; j++)
				r[j] = mnet_q16_req_zp(a[i + j], rq, fast,
						       half_zp, ozp);
			v = mnet_q16_pack4(r[0], r[1], r[2], r[3], sgn, lo8,
					   hi8, didx);
			_mm_storeu_si128((void *)(dst + (size_t)i * c),
					 _mm512_castsi512_si128(v));
			_mm_storeu_si128((void *)(dst + (size_t)(i + 1) * c),
					 _mm512_extracti32x4_epi32(v, 1));
			_mm_storeu_si128((void *)(dst + (size_t)(i + 2) * c),
					 _mm512_extracti32x4_epi32(v, 2));
			_mm_storeu_si128((void *)(dst + (size_t)(i + 3) * c),
					 _mm512_extracti32x4_epi32(v, 3));
		}
		return;
	}
#pragma GCC unroll 8
	for (i = 0; i < n; i++)
		_mm_mask_storeu_epi8(dst + (size_t)i * c, cm,
				     dw_out(a[i], rq, fast, half_zp, ozp, lo, hi));
}

/*
 * One pixel whose window crosses the left or right edge: the columns
 * outside read the zero-point vector @zpv instead.
 */
static inline __attribute__((always_inline)) __m512i
dwq_edge(const uint8_t *const *rp, const ptrdiff_t *rs, int ix0, int iw,
	 __mmask16 cm, const int full, const __m512i *wq,
	 __m512i folded, __m512i zpv, __m512i didx, __m512i bidx,
	 __m512i flip)
{
	__m512i acc = folded, v;
	int j;

	for (j = 0; j < 3; j++) {
		if (ix0 + j < 0 || ix0 + j >= iw)
			v = zpv;
		else
			v = dwq_col(cm, full, rp, rs, ix0 + j, didx, bidx, flip);
		acc = _mm512_dpbusd_epi32(acc, v, wq[j]);
	}
	return acc;
}

/* The pixels of one output row, from row pointers @rp and steps @rs. */
static inline __attribute__((always_inline)) void
dwq_px(const struct mnet_cpu_q8_dw *d, uint8_t *dst, const uint8_t *const *rp,
       const ptrdiff_t *rs, const int sw, __mmask16 cm, const int full,
       const int sgn, const __m512i *wq, __m512i folded, __m512i zpv, __m512i didx,
       __m512i bidx, __m512i flip, const struct mnet_q16_req *rq, int fast,
       __m512i half_zp, __m512i ozp, __m512i lo, __m512i hi)
{
	const int c = d->c, iw = d->iw, ow = d->ow, pl = d->pl;
	int x, x_lo, x_hi;

	x_lo = (pl + sw - 1) / sw;
	x_hi = iw - 3 + pl >= 0 ? (iw - 3 + pl) / sw : -1;
	if (x_hi > ow - 1)
		x_hi = ow - 1;
	if (x_lo > ow)
		x_lo = ow;
	for (x = 0; x < x_lo; x++)
		_mm_mask_storeu_epi8(dst + (size_t)x * c, cm,
				     dw_out(dwq_edge(rp, rs, x * sw - pl, iw, cm,
						     full, wq, folded, zpv, didx,
						     bidx, flip),
					    rq, fast, half_zp, ozp, lo, hi));
	for (; x + 7 <= x_hi; x += 8)
		dwq_run(rp, rs, (ptrdiff_t)x * sw - pl, dst + (size_t)x * c, 8,
			sw, c, cm, full, sgn, wq, folded, didx, bidx, flip, rq, fast,
			half_zp, ozp, lo, hi);
	for (; x + 3 <= x_hi; x += 4)
		dwq_run(rp, rs, (ptrdiff_t)x * sw - pl, dst + (size_t)x * c, 4,
			sw, c, cm, full, sgn, wq, folded, didx, bidx, flip, rq, fast,
			half_zp, ozp, lo, hi);
	for (; x <= x_hi; x++)
		dwq_run(rp, rs, (ptrdiff_t)x * sw - pl, dst + (size_t)x * c, 1,
			sw, c, cm, full, sgn, wq, folded, didx, bidx, flip, rq, fast,
			half_zp, ozp, lo, hi);
	for (; x < ow; x++)
		_mm_mask_storeu_epi8(dst + (size_t)x * c, cm,
				     dw_out(dwq_edge(rp, rs, x * sw - pl, iw, cm,
						     full, wq, folded, zpv, didx,
						     bidx, flip),
					    rq, fast, half_zp, ozp, lo, hi));
}

/*
 * Output row @y of a 3x3 window at stride @sw 1 or 2 on the quad path,
 * every pixel: inside runs eight or four at a time, edges through
 * dwq_edge(); rows above or below the input read @zpbuf with step 0.
 */
static inline __attribute__((always_inline)) void
dwq_row(const struct mnet_cpu_q8_dw *d, int y, int c0, const int sw,
	__mmask16 cm, const int full, const int sgn, const uint8_t *zpbuf,
	const __m512i *wq,
	__m512i folded, __m512i zpv, __m512i didx, __m512i bidx, __m512i flip,
	const struct mnet_q16_req *rq, int fast, __m512i half_zp, __m512i ozp,
	__m512i lo, __m512i hi)
{
	const int c = d->c, iw = d->iw;
	const int iy0 = y * d->sh - d->pt;
	uint8_t *dst = d->out + (size_t)y * d->ow * c + c0;
	const uint8_t *rp[3];
	ptrdiff_t rs[3];
	int r;

	for (r = 0; r < 3; r++) {
		int iy = iy0 + r;

		if (iy >= 0 && iy < d->ih) {
			rp[r] = d->in + (size_t)iy * iw * c + c0;
			rs[r] = c;
		} else {
			rp[r] = zpbuf;
			rs[r] = 0;
		}
	}
	dwq_px(d, dst, rp, rs, sw, cm, full, sgn, wq, folded, zpv, didx, bidx, flip,
	       rq, fast, half_zp, ozp, lo, hi);
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
	__m512i wq[3], didx, bidx, flip, qfolded, zpv;
	uint8_t zpbuf[16];
	struct mnet_q16_req rq;
	/*
	 * the quad path, only in the variants with a constant stride 1 or 2
	 * (dw_rows() sends every such 3x3 layer there): compiled with a run
	 * time stride it would be dead code, and the largest in the file
	 */
	int t, x, i, j, x_lo, x_hi, y;
	int quad = kh == 3 && kw == 3 && (swk == 1 || swk == 2);

	bias = _mm512_maskz_loadu_epi32(cm, d->bias + c0);
	folded = bias;
	for (t = 0; t < kh * kw; t++) {
		w[t] = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(cm,
						d->w + (size_t)t * d->cpad + c0));
		/* - zp * w: the low halves of w[t] are the signed weights */
		folded = _mm512_sub_epi32(folded, _mm512_madd_epi16(zp, w[t]));
		off[t] = ((ptrdiff_t)(t / kw) * iw + t % kw) * c;
	}
	/* the quad path's weights, where every centred weight fits int8 */
	didx = bidx = flip = qfolded = zpv = wq[0] = wq[1] = wq[2] = folded;
	if (quad) {
		didx = _mm512_set_epi32(15, 11, 7, 3, 14, 10, 6, 2,
					13, 9, 5, 1, 12, 8, 4, 0);
		bidx = _mm512_broadcast_i32x4(_mm_set_epi8(15, 11, 7, 3,
							    14, 10, 6, 2,
							    13, 9, 5, 1,
							    12, 8, 4, 0));
		flip = _mm512_set1_epi8(sgn ? (char)0x80 : 0);
		for (j = 0; j < 3; j++)
			wq[j] = dwq_weights(d, c0, cm, j, didx, bidx, &quad);
		/* the bytes that stand for taps outside the input */
		memset(zpbuf, d->in_zp & 0xff, sizeof(zpbuf));
		zpv = _mm512_xor_si512(_mm512_set1_epi8((char)(d->in_zp & 0xff)),
				       flip);
		qfolded = folded;
		if (sgn)
			for (t = 0; t < 9; t++)
				qfolded = _mm512_sub_epi32(qfolded, _mm512_slli_epi32(
					_mm512_srai_epi32(_mm512_slli_epi32(w[t], 16), 16), 7));
	}
	mnet_q16_req_load(d->mult + c0, d->shift + c0, cm, &rq);
	ozp = _mm512_set1_epi32(d->out_zp);
	half_zp = mnet_q16_half_zp(&rq, ozp);
	lo = _mm512_set1_epi32(d->lo);
	hi = _mm512_set1_epi32(d->hi);
	if (quad) {
		for (y = y0; y < y1; y++)
			dwq_row(d, y, c0, sw, cm, full, d->lo < 0, zpbuf, wq, qfolded, zpv, didx,
				bidx, flip, &rq, fast, half_zp, ozp, lo, hi);
		return;
	}
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
	else if (d->kh == 3 && d->kw == 3 && d->sw == 1)
		/* a channel tail (V1 0.25's 8 channels): still a constant stride */
		if (d->in_signed)
			dw_row_block(d, y0, y1, c0, 3, 3, 1, 1, 0);
		else
			dw_row_block(d, y0, y1, c0, 3, 3, 0, 1, 0);
	else if (d->kh == 3 && d->kw == 3 && d->sw == 2)
		if (d->in_signed)
			dw_row_block(d, y0, y1, c0, 3, 3, 1, 2, 0);
		else
			dw_row_block(d, y0, y1, c0, 3, 3, 0, 2, 0);
	else if (d->kh == 3 && d->kw == 3)
		dw_row_block(d, y0, y1, c0, 3, 3, d->in_signed, 0, 0);
	else
		dw_row_block(d, y0, y1, c0, d->kh, d->kw, d->in_signed, 0, 0);
}

void mnet_cpu_q8_dwconv_vnni(const struct mnet_cpu_q8_dw *d, int y0, int y1)
{
	int y, c0, band;

	if (d->kh * d->kw > MAX_TAPS) {
		mnet_cpu_q8_dwconv_avx2(d, y0, y1);
		return;
	}
	/*
	 * Narrow rows: a channel block's set-up (weights, folded zero point,
	 * requantization) once for all the rows; wide ones in bands of rows
	 * whose input (about 32 KiB) stays in cache while every block reads
	 * it, so that the set-up is paid once a band.
	 */
	if (d->ow <= 28) {
		for (c0 = 0; c0 < d->c; c0 += 16)
			dw_rows(d, y0, y1, c0);
		return;
	}
	/* signed: an input row over 32 KiB gives bands of one row */
	band = (int)((32768 / ((long)d->iw * d->c) - d->kh + 1) /
		     (d->sh > 0 ? d->sh : 1));
	if (band < 1)
		band = 1;
	for (y = y0; y < y1; y += band) {
		int y_end = y1 - y < band ? y1 : y + band;

		for (c0 = 0; c0 < d->c; c0 += 16)
			dw_rows(d, y, y_end, c0);
	}
}
