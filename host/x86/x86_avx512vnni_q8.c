// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx512vnni_q8.c - the AVX512-VNNI 8-bit 1x1 convolution and the
 * kernel set that carries it (built with -mavx512vnni -mavx512vl
 * -mavx512bw: chosen only when the CPU reports all of them)
 *
 * DOC: VNNI q8 1x1 convolution
 *
 * vpdpbusd multiplies unsigned by signed bytes, four pairs a lane, into
 * int32 without saturation.  The weights come packed as int8 quads in
 * panels of 16 channels (%MNET_CPU_Q8_QUADS_U8S8, cpu_q8_pack.c, which
 * also says how the zero points come back exactly).  A tile is 6 pixels
 * by up to 4 panels (64 channels): 24 zmm accumulators, 4 weight vectors,
 * one broadcast quad of activations per pixel and step of 4 inputs.  The
 * tile's pixels are first staged in scratch8 (int8 ones flipped to
 * uint8, zero-padded to a multiple of 4) with their byte sums.  When a
 * layer's weights exceed 256 KiB the panels are taken in blocks that stay
 * in L2 while every pixel tile passes.  The epilogue adds the per-channel
 * correction (bias folded in) and B * sum(xu), requantizes 16 lanes at a
 * time exactly as host/ref_q does (x86_avx512vnni_req.h) and stores bytes
 * under a mask (four whole panels narrowed together, pack4()):
 * bit-identical to the reference.
 * Every float kernel is AVX-512's own (x86_avx512_gemm.c).
 */
#include <immintrin.h>
#include <string.h>

#include "scalar/cpu_scalar.h"
#include "x86/x86_avx2.h"
#include "x86/x86_avx512.h"
#include "x86/x86_avx512vnni_req.h"

#define TILE_M 6
#define TILE_P 4
#define TALL_M 16	/* pixels of a one-panel tile (MNET_CPU_Q8_MR_MAX) */
#define BLOCK_BYTES (256 * 1024)

/* Stage @rows pixels from @m0 as uint8 in @s (stride kpad4); their sums. */
static void stage(const struct mnet_cpu_q8_pw *p, int m0, int rows,
		  int tile_m, uint8_t *s, int32_t *sum)
{
	__m512i flip = _mm512_set1_epi8(p->a_signed ? (char)0x80 : 0);
	int r, k;

	for (r = 0; r < rows; r++) {
		const uint8_t *a = p->a + (size_t)(m0 + r) * p->k;
		uint8_t *d = s + (size_t)r * p->kpad4;
		__m512i acc = _mm512_setzero_si512();

		for (k = 0; k < p->kpad4; k += 64) {
			int left = p->k - k, room = p->kpad4 - k;
			__mmask64 in = left >= 64 ? ~(__mmask64)0 :
				       left > 0 ? (((__mmask64)1 << left) - 1) : 0;
			__mmask64 out = room >= 64 ? ~(__mmask64)0 :
					(((__mmask64)1 << room) - 1);
			__m512i v = _mm512_maskz_loadu_epi8(in, a + k);

			/* flip the inputs, keep the padding zero */
			v = _mm512_maskz_mov_epi8(in, _mm512_xor_si512(v, flip));
			_mm512_mask_storeu_epi8(d + k, out, v);
			if (p->b_off)
				acc = _mm512_add_epi64(acc, _mm512_sad_epu8(v,
							_mm512_setzero_si512()));
		}
		/* int8 weights (B = 0) need no sums: skip the reduction */
		sum[r] = p->b_off ? (int32_t)_mm512_reduce_add_epi64(acc) : 0;
	}
	for (; r < tile_m; r++)
		sum[r] = 0;
}

/*
 * The epilogue of one panel for @rows pixels: correction, requantization,
 * 16 output bytes each.
 */
static inline __attribute__((always_inline)) void
store_panel(const struct mnet_cpu_q8_pw *p, const int32_t *acc, size_t stride,
	    int m, int rows, int panel, const int32_t *sum)
{
	int o = panel * MNET_CPU_Q8_NR16, r;
	__mmask16 tail = mnet_q16_tail(o, p->n);
	__m512i corr = _mm512_loadu_si512((const void *)(p->w8_corr + o));
	__m512i zp = _mm512_set1_epi32(p->c_zp), lo = _mm512_set1_epi32(p->lo);
	__m512i hi = _mm512_set1_epi32(p->hi);
	struct mnet_q16_req rq;

	uint8_t *dst = p->c + (size_t)m * p->n + o;
	const size_t ldc = (size_t)p->n;
	const int32_t b_off = p->b_off;

	mnet_q16_req_load(p->mult + o, p->shift + o, tail, &rq);
	if (p->single_round) {	/* FULLY_CONNECTED: one pixel, rare */
		for (r = 0; r < rows; r++) {
			__m512i v = _mm512_add_epi32(_mm512_load_si512(acc + r * stride),
						     corr);

			v = _mm512_add_epi32(v, _mm512_set1_epi32(b_off * sum[r]));
			_mm_mask_storeu_epi8(dst + r * ldc, tail,
					     mnet_q16_pack(mnet_q16_mul_1r(v, &rq),
							   zp, lo, hi));
		}
		return;
	}
	if (p->zp_in_round) {
		const __m512i half_zp = mnet_q16_half_zp(&rq, zp);

		for (r = 0; r < rows; r++) {
			__m512i v = _mm512_add_epi32(_mm512_load_si512(acc + r * stride),
						     corr);

			/* int8 weights: no B * sum(xu) term */
			if (b_off)
				v = _mm512_add_epi32(v, _mm512_set1_epi32(b_off *
									  sum[r]));
			_mm_mask_storeu_epi8(dst + r * ldc, tail,
					     mnet_q16_pack_nozp(mnet_q16_mul_zp(v, &rq,
										 half_zp),
								lo, hi));
		}
		return;
	}
	for (r = 0; r < rows; r++) {
		__m512i v = _mm512_add_epi32(_mm512_load_si512(acc + r * stride), corr);

		if (b_off)
			v = _mm512_add_epi32(v, _mm512_set1_epi32(b_off * sum[r]));
		_mm_mask_storeu_epi8(dst + r * ldc, tail,
				     mnet_q16_pack(mnet_q16_mul(v, &rq), zp, lo,
						   hi));
	}
}

/*
 * Four 16-lane vectors of adjacent channels (already requantized, zero
 * point in) to 64 output bytes: two vpackssdw and one vpacksswb /
 * vpackuswb saturate (the clamp that follows is inside the type, so the
 * bytes are the same) and leave lane L holding channels 4L..4L+3 of each
 * vector; vpermd puts them back in order.  A quarter of the shuffles of
 * four vpmovdb.
 */
static inline __m512i pack4(__m512i v0, __m512i v1, __m512i v2, __m512i v3,
			    int sgn, __m512i lo8, __m512i hi8)
{
	const __m512i idx = _mm512_set_epi32(15, 11, 7, 3, 14, 10, 6, 2,
					     13, 9, 5, 1, 12, 8, 4, 0);

	return mnet_q16_pack4(v0, v1, v2, v3, sgn, lo8, hi8, idx);
}

/*
 * The epilogue of four whole panels [@panel, @panel + 4) for @rows pixels
 * (@acc: pixel r's panel j at acc + r * @stride + j * 16), each pixel's
 * 64 bytes narrowed together (pack4()).  Not for single_round.
 */
static inline __attribute__((always_inline)) void
store_panels4(const struct mnet_cpu_q8_pw *p, const int32_t *acc,
	      size_t stride, int m, int rows, int panel, const int32_t *sum)
{
	const int o = panel * MNET_CPU_Q8_NR16;
	/* a range below 0 is int8's; one from 0 up is inside uint8's */
	const int sgn = p->lo < 0;
	const __m512i zp = _mm512_set1_epi32(p->c_zp);
	const __m512i lo8 = _mm512_set1_epi8((char)p->lo);
	const __m512i hi8 = _mm512_set1_epi8((char)p->hi);
	uint8_t *dst = p->c + (size_t)m * p->n + o;
	const size_t ldc = (size_t)p->n;
	const int32_t b_off = p->b_off;
	struct mnet_q16_req rq[4];
	__m512i corr[4], half_zp[4];
	int r, j;

	for (j = 0; j < 4; j++) {
		const int oj = o + 16 * j;

		corr[j] = _mm512_loadu_si512((const void *)(p->w8_corr + oj));
		mnet_q16_req_load(p->mult + oj, p->shift + oj, 0xffff, &rq[j]);
		half_zp[j] = mnet_q16_half_zp(&rq[j], zp);
	}
	for (r = 0; r < rows; r++) {
		const __m512i bs = _mm512_set1_epi32(b_off * sum[r]);
		__m512i v[4];

		for (j = 0; j < 4; j++) {
			const int32_t *a = acc + r * stride + 16 * j;

			v[j] = _mm512_add_epi32(_mm512_load_si512(a), corr[j]);
			if (b_off)
				v[j] = _mm512_add_epi32(v[j], bs);
			v[j] = mnet_q16_req_zp(v[j], &rq[j], p->zp_in_round,
					       half_zp[j], zp);
		}
		_mm512_storeu_si512((void *)(dst + r * ldc),
				    pack4(v[0], v[1], v[2], v[3], sgn, lo8,
					  hi8));
	}
}

/*
 * One pixel's step of 4 inputs against the panels' weights: named
 * accumulators (an array of them makes GCC shuffle registers every step).
 */
#define Q8_ROW_STEP(r)							\
	do {								\
		int32_t q_;						\
		__m512i x_;						\
									\
		memcpy(&q_, row##r + k, 4);				\
		x_ = _mm512_set1_epi32(q_);				\
		c##r##0 = _mm512_dpbusd_epi32(c##r##0, x_, w0);		\
		if (np > 1)						\
			c##r##1 = _mm512_dpbusd_epi32(c##r##1, x_, w1);	\
		if (np > 2)						\
			c##r##2 = _mm512_dpbusd_epi32(c##r##2, x_, w2);	\
		if (np > 3)						\
			c##r##3 = _mm512_dpbusd_epi32(c##r##3, x_, w3);	\
	} while (0)

#define Q8_ROW_SAVE(r)							\
	do {								\
		_mm512_store_si512(acc[r][0], c##r##0);			\
		if (np > 1)						\
			_mm512_store_si512(acc[r][1], c##r##1);		\
		if (np > 2)						\
			_mm512_store_si512(acc[r][2], c##r##2);		\
		if (np > 3)						\
			_mm512_store_si512(acc[r][3], c##r##3);		\
	} while (0)

/*
 * Pixels [@m, @m + @rows) (staged in @s) times panels [@pn, @pn + @np):
 * @np is a constant where this is inlined, so the accumulators stay in
 * registers.  Rows past @rows repeat row 0 and are not stored.
 */
static inline __attribute__((always_inline)) void
tile(const struct mnet_cpu_q8_pw *p, const uint8_t *s, const int32_t *sum,
     int m, int rows, int pn, const int np)
{
	const size_t ps = (size_t)p->kpad4 * MNET_CPU_Q8_NR16;
	const int8_t *w = p->w8 + (size_t)pn * ps;
	const int kp = p->kpad4;
	const uint8_t *row0 = s, *row1 = s + (size_t)(rows > 1) * kp;
	const uint8_t *row2 = s + (size_t)(rows > 2) * 2 * kp;
	const uint8_t *row3 = s + (size_t)(rows > 3) * 3 * kp;
	const uint8_t *row4 = s + (size_t)(rows > 4) * 4 * kp;
	const uint8_t *row5 = s + (size_t)(rows > 5) * 5 * kp;
	int32_t acc[TILE_M][TILE_P][16] __attribute__((aligned(64)));
	__m512i c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
	__m512i c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
	int j, k;

	c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = _mm512_setzero_si512();
	c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = c00;
	c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = c00;
	for (k = 0; k < kp; k += 4) {
		const int8_t *wk = w + (size_t)k * MNET_CPU_Q8_NR16;
		__m512i w0, w1, w2, w3;

		w0 = _mm512_loadu_si512((const void *)wk);
		w1 = np > 1 ? _mm512_loadu_si512((const void *)(wk + ps)) : w0;
		w2 = np > 2 ? _mm512_loadu_si512((const void *)(wk + 2 * ps)) : w0;
		w3 = np > 3 ? _mm512_loadu_si512((const void *)(wk + 3 * ps)) : w0;
		Q8_ROW_STEP(0);
		Q8_ROW_STEP(1);
		Q8_ROW_STEP(2);
		Q8_ROW_STEP(3);
		Q8_ROW_STEP(4);
		Q8_ROW_STEP(5);
	}
	Q8_ROW_SAVE(0);
	Q8_ROW_SAVE(1);
	Q8_ROW_SAVE(2);
	Q8_ROW_SAVE(3);
	Q8_ROW_SAVE(4);
	Q8_ROW_SAVE(5);
	if (np == 4 && !p->single_round &&
	    (pn + 4) * MNET_CPU_Q8_NR16 <= p->n) {
		store_panels4(p, acc[0][0], TILE_P * 16, m, rows, pn, sum);
		return;
	}
	for (j = 0; j < np; j++)
		store_panel(p, acc[0][j], TILE_P * 16, m, rows, pn + j, sum);
}

/*
 * A layer of at most 16 output channels (one panel): 16 pixels a tile,
 * so that each weight vector feeds 16 dot products instead of 6.
 */
#define Q8_TALL_STEP(r)							\
	do {								\
		int32_t q_;						\
									\
		memcpy(&q_, s + (size_t)(r) * kp + k, 4);		\
		c##r = _mm512_dpbusd_epi32(c##r, _mm512_set1_epi32(q_), w0); \
	} while (0)

static void tile_tall(const struct mnet_cpu_q8_pw *p, const uint8_t *s,
		      const int32_t *sum, int m, int rows)
{
	const int kp = p->kpad4;
	int32_t acc[TALL_M][16] __attribute__((aligned(64)));
	__m512i c0, c1, c2, c3, c4, c5, c6, c7;
	__m512i c8, c9, c10, c11, c12, c13, c14, c15;
	int k;

	c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = _mm512_setzero_si512();
	c8 = c9 = c10 = c11 = c12 = c13 = c14 = c15 = c0;
	for (k = 0; k < kp; k += 4) {
		/* rows past @rows read staged zeros and are not stored */
		const __m512i w0 = _mm512_loadu_si512((const void *)(p->w8 +
					(size_t)k * MNET_CPU_Q8_NR16));

		Q8_TALL_STEP(0); Q8_TALL_STEP(1); Q8_TALL_STEP(2);
		Q8_TALL_STEP(3); Q8_TALL_STEP(4); Q8_TALL_STEP(5);
		Q8_TALL_STEP(6); Q8_TALL_STEP(7); Q8_TALL_STEP(8);
		Q8_TALL_STEP(9); Q8_TALL_STEP(10); Q8_TALL_STEP(11);
		Q8_TALL_STEP(12); Q8_TALL_STEP(13); Q8_TALL_STEP(14);
		Q8_TALL_STEP(15);
	}
	_mm512_store_si512(acc[0], c0);
	_mm512_store_si512(acc[1], c1);
	_mm512_store_si512(acc[2], c2);
	_mm512_store_si512(acc[3], c3);
	_mm512_store_si512(acc[4], c4);
	_mm512_store_si512(acc[5], c5);
	_mm512_store_si512(acc[6], c6);
	_mm512_store_si512(acc[7], c7);
	_mm512_store_si512(acc[8], c8);
	_mm512_store_si512(acc[9], c9);
	_mm512_store_si512(acc[10], c10);
	_mm512_store_si512(acc[11], c11);
	_mm512_store_si512(acc[12], c12);
	_mm512_store_si512(acc[13], c13);
	_mm512_store_si512(acc[14], c14);
	_mm512_store_si512(acc[15], c15);
	if (p->n == 16 && !p->single_round) {
		/* 16 channels: four pixels' bytes are 64 contiguous ones */
		const __m512i zp = _mm512_set1_epi32(p->c_zp);
		const __m512i lo8 = _mm512_set1_epi8((char)p->lo);
		const __m512i hi8 = _mm512_set1_epi8((char)p->hi);
		const __m512i corr = _mm512_loadu_si512((const void *)p->w8_corr);
		const int sgn = p->lo < 0;
		struct mnet_q16_req rq;
		__m512i half_zp;
		int r, j;

		mnet_q16_req_load(p->mult, p->shift, 0xffff, &rq);
		half_zp = mnet_q16_half_zp(&rq, zp);
		for (r = 0; r + 4 <= rows; r += 4) {
			__m512i v[4];

			for (j = 0; j < 4; j++) {
				v[j] = _mm512_add_epi32(_mm512_load_si512(acc[r + j]),
							corr);
				if (p->b_off)
					v[j] = _mm512_add_epi32(v[j], _mm512_set1_epi32(
						p->b_off * sum[r + j]));
				v[j] = mnet_q16_req_zp(v[j], &rq, p->zp_in_round,
						       half_zp, zp);
			}
			_mm512_storeu_si512((void *)(p->c + (size_t)(m + r) * 16),
					    pack4(v[0], v[1], v[2], v[3], sgn, lo8,
						  hi8));
		}
		if (r < rows)
			store_panel(p, acc[r], 16, m + r, rows - r, 0, sum + r);
		return;
	}
	store_panel(p, acc[0], 16, m, rows, 0, sum);
}

static void tile_any(const struct mnet_cpu_q8_pw *p, const uint8_t *s,
		     const int32_t *sum, int m, int rows, int pn, int np)
{
	switch (np) {
	case 4:
		tile(p, s, sum, m, rows, pn, 4);
		break;
	case 3:
		tile(p, s, sum, m, rows, pn, 3);
		break;
	case 2:
		tile(p, s, sum, m, rows, pn, 2);
		break;
	default:
		tile(p, s, sum, m, rows, pn, 1);
		break;
	}
}

void mnet_cpu_q8_pwconv_vnni(const struct mnet_cpu_q8_pw *p, int m0, int m1)
{
	int np = (p->n + MNET_CPU_Q8_NR16 - 1) / MNET_CPU_Q8_NR16;
	size_t panel_bytes = (size_t)p->kpad4 * MNET_CPU_Q8_NR16;
	int block = (int)(BLOCK_BYTES / panel_bytes) / TILE_P * TILE_P;
	int32_t sum[TILE_M];
	int b0, m, pn;

	if (np == 1) {
		int32_t tsum[TALL_M];

		for (m = m0; m < m1; m += TALL_M) {
			int rows = m1 - m < TALL_M ? m1 - m : TALL_M;

			stage(p, m, rows, TALL_M, p->scratch8, tsum);
			/* zero the unused rows' staging: tile_tall reads them */
			memset(p->scratch8 + (size_t)rows * p->kpad4, 0,
			       (size_t)(TALL_M - rows) * p->kpad4);
			tile_tall(p, p->scratch8, tsum, m, rows);
		}
		return;
	}
	if (block < TILE_P)
		block = TILE_P;
	for (b0 = 0; b0 < np; b0 += block) {
		int b1 = b0 + block < np ? b0 + block : np;

		for (m = m0; m < m1; m += TILE_M) {
			int rows = m1 - m < TILE_M ? m1 - m : TILE_M;

			stage(p, m, rows, TILE_M, p->scratch8, sum);
			for (pn = b0; pn < b1; pn += TILE_P)
				tile_any(p, p->scratch8, sum, m, rows, pn,
					 b1 - pn < TILE_P ? b1 - pn : TILE_P);
		}
	}
}

void mnet_cpu_q8_requant_vnni(const int32_t *x, const int32_t *mult,
			      const int *shift, int single_round, int32_t *out,
			      int n)
{
	int i;

	for (i = 0; i + 16 <= n; i += 16) {
		struct mnet_q16_req rq;
		__m512i v = _mm512_loadu_si512((const void *)(x + i));

		mnet_q16_req_load(mult + i, shift + i, 0xffff, &rq);
		v = single_round ? mnet_q16_mul_1r(v, &rq) : mnet_q16_mul(v, &rq);
		_mm512_storeu_si512((void *)(out + i), v);
	}
}

/* AVX-512's float kernels, the VNNI int8 ones. */
const struct mnet_cpu_kernels mnet_cpu_kernels_avx512vnni = {
	.name = "avx512vnni",
	.nr = 32,
	.mr = 8,
	.gemm = mnet_cpu_gemm_avx512,
	.dwconv = mnet_cpu_dwconv_avx512,
	.conv = mnet_cpu_conv_avx512,
	.q8_pwconv = mnet_cpu_q8_pwconv_vnni,
	.q8_format = MNET_CPU_Q8_QUADS_U8S8,
	.q8_dwconv = mnet_cpu_q8_dwconv_vnni,
	.q8_add = mnet_cpu_q8_add_avx512,
	.q8_resize_row = mnet_cpu_q8_resize_row_avx512,
};
