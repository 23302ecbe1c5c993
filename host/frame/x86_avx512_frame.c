// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx512_frame.c - AVX-512 frame conversion, sixteen output pixels a
 * step
 *
 * DOC: AVX-512 frame conversion
 *
 * The AVX2 converter's plan (x86_avx2_frame.c) on sixteen lanes, with
 * what AVX-512F adds where the AVX2 one spent its time:
 *
 * - at rotations 0 and 180 both horizontal neighbours of a sample are
 *   fetched with one 32-bit gather per lead channel and source row (the
 *   right one is at most four bytes on), as there, sixteen lanes a gather;
 * - each source row's pixels are converted to RGB once, not once per
 *   output row that reads them: a row's converted neighbours are kept
 *   (12 KiB, for outputs up to 256 wide) and the next output row takes
 *   them when it reads the same source row, which it does for one of its
 *   two rows whenever the vertical scale is under 2 (a centre crop of a
 *   VGA frame to 224, any up-sampling) and for both when up-sampling
 *   by 2 or more;
 * - the three channels are interleaved into the NHWC output with two
 *   permutes per vector and stored whole, not value by value.
 *
 * The arithmetic is the reference's, operation for operation in float
 * (no fused multiply-add: the build is ISO C, which contracts nothing;
 * but for the division by 127.5, which div_127_5() replaces with one
 * that gives the same bits), so the output equals mnet_fconv_ref()'s,
 * floats or the quantized input's bytes (&struct mnet_fconv.dst_u8); the
 * last ow % 16 columns of a row take the scalar path.  16-bit fixed point
 * was not used: rounding the BT.601 products differently moves a
 * converted pixel by one step near a tie, and four such steps in one
 * sample would pass the 1 LSB the paths are held to.
 */
#include <immintrin.h>

#include "frame/frame_conv.h"

/* Bytes plane[off] .. plane[off + k - 1] (k <= 4), byte j at bits 8j. */
static inline __m512i gather_span_v(const uint8_t *plane, __m512i off,
				    __m512i k)
{
	__m512i back = _mm512_sub_epi32(_mm512_set1_epi32(4), k);
	__m512i addr = _mm512_max_epi32(_mm512_sub_epi32(off, back),
					_mm512_setzero_si512());
	__m512i shift = _mm512_slli_epi32(_mm512_sub_epi32(off, addr), 3);
	__m512i w = _mm512_i32gather_epi32(addr, (const void *)plane, 1);

	return _mm512_srlv_epi32(w, shift);
}

static inline __m512 byte_at(__m512i w, __m512i bits)
{
	return _mm512_cvtepi32_ps(_mm512_and_si512(_mm512_srlv_epi32(w, bits),
						   _mm512_set1_epi32(0xff)));
}

static inline __m512 byte_ps(__m512i w, int j)
{
	return _mm512_cvtepi32_ps(_mm512_and_si512(_mm512_srli_epi32(w, 8 * j),
						   _mm512_set1_epi32(0xff)));
}

static inline __m512 u8f(__m512 v)
{
	v = _mm512_roundscale_ps(_mm512_add_ps(v, _mm512_set1_ps(0.5f)),
				 _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
	v = _mm512_max_ps(v, _mm512_setzero_ps());
	return _mm512_min_ps(v, _mm512_set1_ps(255.0f));
}

static inline __m512 mul(float k, __m512 v)
{
	return _mm512_mul_ps(_mm512_set1_ps(k), v);
}

/* Three channels of sixteen samples, as 8-bit RGB (mnet_fconv_yuv_rgb()). */
static inline void to_rgb(const struct mnet_fconv *fc, const __m512 ch[3],
			  __m512 rgb[3])
{
	__m512 yy, du, dv, k128 = _mm512_set1_ps(128.0f);
	float rv, gu, gv, bu;

	if (!fc->yuv) {
		rgb[0] = ch[0];
		rgb[1] = ch[1];
		rgb[2] = ch[2];
		return;
	}
	du = _mm512_sub_ps(ch[1], k128);
	dv = _mm512_sub_ps(ch[2], k128);
	if (fc->full_range) {
		yy = ch[0];
		rv = MNET_FCONV_FULL_RV;
		gu = MNET_FCONV_FULL_GU;
		gv = MNET_FCONV_FULL_GV;
		bu = MNET_FCONV_FULL_BU;
	} else {
		yy = mul(MNET_FCONV_LIM_Y,
			 _mm512_sub_ps(ch[0], _mm512_set1_ps(16.0f)));
		rv = MNET_FCONV_LIM_RV;
		gu = MNET_FCONV_LIM_GU;
		gv = MNET_FCONV_LIM_GV;
		bu = MNET_FCONV_LIM_BU;
	}
	rgb[0] = u8f(_mm512_add_ps(yy, mul(rv, dv)));
	rgb[1] = u8f(_mm512_sub_ps(_mm512_sub_ps(yy, mul(gu, du)),
				   mul(gv, dv)));
	rgb[2] = u8f(_mm512_add_ps(yy, mul(bu, du)));
}

/* One neighbour of sixteen samples: its three channels, as 8-bit RGB. */
static inline void fetch_rgb(const struct mnet_fconv *fc,
			     const struct mnet_fetch_plan *fp,
			     const __m512i off[3],
			     __m512 rgb[3])
{
	__m512 ch[3];
	__m512i w[3];
	int c;

	for (c = 0; c < 3; c++)
		if (fp->lead[c] == c)
			w[c] = gather_span_v(fc->plane[c], off[c],
					     _mm512_set1_epi32(fp->span[c]));
	for (c = 0; c < 3; c++)
		ch[c] = byte_ps(w[fp->lead[c]], fp->pos[c]);
	to_rgb(fc, ch, rgb);
}

/* Both horizontal neighbours (@delta apart) with one gather per lead. */
static inline void fetch_pair(const struct mnet_fconv *fc,
			      const struct mnet_fetch_plan *fp,
			      const __m512i off[3],
			      const __m512i delta[3], __m512 left[3],
			      __m512 right[3])
{
	__m512 cl[3], cr[3];
	__m512i w[3];
	int c;

	for (c = 0; c < 3; c++)
		if (fp->lead[c] == c)
			w[c] = gather_span_v(fc->plane[c], off[c],
				_mm512_add_epi32(delta[c],
					_mm512_set1_epi32(fp->span[c])));
	for (c = 0; c < 3; c++) {
		__m512i at = _mm512_set1_epi32(8 * fp->pos[c]);

		cl[c] = byte_at(w[fp->lead[c]], at);
		cr[c] = byte_at(w[fp->lead[c]], _mm512_add_epi32(at,
				_mm512_slli_epi32(delta[c], 3)));
	}
	to_rgb(fc, cl, left);
	to_rgb(fc, cr, right);
}

/*
 * v / 127.5f, correctly rounded, without a division (a third of the
 * converter's time): the product by the rounded reciprocal, corrected
 * once with the exact residual of two fused multiply-adds.  Checked
 * against the division for every float in [0, 255] (all 1.13e9 of them):
 * the same bits each time.
 */
static inline __m512 div_127_5(__m512 v)
{
	__m512 d = _mm512_set1_ps(127.5f), r = _mm512_set1_ps(1.0f / 127.5f);
	__m512 q = _mm512_mul_ps(v, r);

	return _mm512_fmadd_ps(_mm512_fnmadd_ps(q, d, v), r, q);
}

static inline __m512 map_input(const struct mnet_fconv *fc, __m512 v)
{
	__m512 p;

	if (!fc->quantized)
		return _mm512_sub_ps(div_127_5(v), _mm512_set1_ps(1.0f));
	p = u8f(v);
	if (fc->is_signed)
		p = _mm512_sub_ps(p, _mm512_set1_ps(128.0f));
	return mul(fc->scale, _mm512_sub_ps(p, _mm512_set1_ps(
					(float)fc->zero_point)));
}

static inline __m512 lerp(__m512 a, __m512 b, __m512 f)
{
	return _mm512_add_ps(a, _mm512_mul_ps(_mm512_sub_ps(b, a), f));
}

/**
 * struct row_ctx - what one thread's rows share
 * @fp: the fetch plan
 * @perm: permutes that interleave R, G, B into three vectors of NHWC
 * @cache: the converted neighbours of the last row, both source rows,
 *         per 16 columns: [ow / 16][2 source rows][left, right][R, G, B],
 *         or NULL (rows too wide)
 * @tag: per source row of @cache, its offsets per channel (-1: none)
 */
struct row_ctx {
	struct mnet_fetch_plan fp;
	__m512i perm[2][3];
	__m512 *cache;
	int32_t tag[2][3];
};

static void perm_init(struct row_ctx *rc)
{
	int v;

	for (v = 0; v < 3; v++) {
		int32_t a[16], b[16];

		mnet_fconv_rgb_perm(v, a, b);
		rc->perm[0][v] = _mm512_loadu_si512(a);
		rc->perm[1][v] = _mm512_loadu_si512(b);
	}
}

/* Sixteen pixels' R, G, B as 48 NHWC floats, or bytes when @u8. */
static inline void store_rgb(const struct row_ctx *rc, float *o, uint8_t *u8,
			     const __m512 v[3])
{
	int k;

	for (k = 0; k < 3; k++) {
		__m512 t = _mm512_permutex2var_ps(v[0], rc->perm[0][k], v[1]);

		t = _mm512_permutex2var_ps(t, rc->perm[1][k], v[2]);
		if (u8)
			_mm_storeu_si128((__m128i *)(void *)(u8 + 16 * k),
					 _mm512_cvtepi32_epi8(
						 _mm512_cvttps_epi32(t)));
		else
			_mm512_storeu_ps(o + 16 * k, t);
	}
}

/* The byte mnet_fconv_byte() gives, as an exact float in [0, 255]. */
static inline __m512 map_byte(const struct mnet_fconv *fc, __m512 v)
{
	__m512 p = u8f(v);

	if (!fc->is_signed)
		return p;
	/* p ^ 0x80 */
	return _mm512_cvtepi32_ps(_mm512_xor_si512(_mm512_cvttps_epi32(p),
						   _mm512_set1_epi32(0x80)));
}

/* Left and right neighbours of columns [x, x + 16) in source row @r. */
static inline void fetch_row(const struct mnet_fconv *fc,
			     const struct mnet_fconv_tabs *t,
			     const struct mnet_fetch_plan *fp,
			     const int32_t r[3],
			     int x, __m512 left[3], __m512 right[3])
{
	__m512i ol[3], orr[3];
	int ow = fc->ow, c;

	for (c = 0; c < 3; c++) {
		__m512i rr = _mm512_set1_epi32(r[c]);

		ol[c] = _mm512_add_epi32(
			_mm512_loadu_si512(t->col0 + c * ow + x), rr);
		orr[c] = _mm512_add_epi32(
			_mm512_loadu_si512(t->col1 + c * ow + x), rr);
	}
	if (fp->pair) {
		__m512i dl[3];

		for (c = 0; c < 3; c++)
			dl[c] = _mm512_sub_epi32(orr[c], ol[c]);
		fetch_pair(fc, fp, ol, dl, left, right);
	} else {
		fetch_rgb(fc, fp, ol, left);
		fetch_rgb(fc, fp, orr, right);
	}
}

/* Which cached source row holds offsets @r: 0, 1, or -1. */
static int cached(const struct row_ctx *rc, const int32_t r[3])
{
	int i;

	for (i = 0; rc->cache && i < 2; i++)
		if (rc->tag[i][0] == r[0] && rc->tag[i][1] == r[1] &&
		    rc->tag[i][2] == r[2])
			return i;
	return -1;
}

/* Source row @r's neighbours of group @x as @nb, converted or kept. */
static inline void source_row(const struct mnet_fconv *fc,
			      const struct mnet_fconv_tabs *t,
			      const struct row_ctx *rc, const int32_t r[3],
			      int hit, int x, __m512 nb[2][3])
{
	int c;

	if (hit >= 0) {
		const __m512 *k = rc->cache + (size_t)(x / 16) * 12 + hit * 6;

		for (c = 0; c < 6; c++)
			nb[c / 3][c % 3] = k[c];
		return;
	}
	fetch_row(fc, t, &rc->fp, r, x, nb[0], nb[1]);
}

static void row_avx512(const struct mnet_fconv *fc,
		       const struct mnet_fconv_tabs *t, struct row_ctx *rc,
		       int y)
{
	int ow = fc->ow, oh = fc->oh, x, c, h0, h1;
	__m512 fy = _mm512_set1_ps(t->fy[y]);
	int32_t s[2][3];

	for (c = 0; c < 3; c++) {
		s[0][c] = t->row0[c * oh + y];
		s[1][c] = t->row1[c * oh + y];
	}
	/* a source row the last output row converted is not converted again */
	h0 = cached(rc, s[0]);
	h1 = cached(rc, s[1]);
	for (x = 0; x + 16 <= ow; x += 16) {
		__m512 nb[2][2][3], v[3];
		__m512 fx = _mm512_loadu_ps(t->fx + x);

		source_row(fc, t, rc, s[0], h0, x, nb[0]);
		source_row(fc, t, rc, s[1], h1, x, nb[1]);
		if (rc->cache) {
			__m512 *k = rc->cache + (size_t)(x / 16) * 12;

			for (c = 0; c < 12; c++)
				k[c] = nb[c / 6][(c / 3) & 1][c % 3];
		}
		for (c = 0; c < 3; c++) {
			__m512 top = lerp(nb[0][0][c], nb[0][1][c], fx);
			__m512 bot = lerp(nb[1][0][c], nb[1][1][c], fx);

			v[c] = lerp(top, bot, fy);
			v[c] = fc->dst_u8 ? map_byte(fc, v[c]) :
					    map_input(fc, v[c]);
		}
		if (fc->dst_u8)
			store_rgb(rc, NULL, fc->dst_u8 + ((size_t)y * ow + x) * 3,
				  v);
		else
			store_rgb(rc, fc->dst + ((size_t)y * ow + x) * 3, NULL,
				  v);
	}
	for (c = 0; c < 3; c++) {
		rc->tag[0][c] = s[0][c];
		rc->tag[1][c] = s[1][c];
	}
	if (x < ow)
		mnet_fconv_rows_scalar_cols(fc, t, y, x);
}

/* Whether the right neighbours are always within a gather of the left. */
static int pairs_fit(const struct mnet_fconv *fc,
		     const struct mnet_fconv_tabs *t,
		     const struct mnet_fetch_plan *fp)
{
	int c, x;

	for (c = 0; c < 3; c++) {
		int l = fp->lead[c];

		for (x = 0; x < fc->ow; x++) {
			int32_t dx = t->col1[l * fc->ow + x] -
				     t->col0[l * fc->ow + x];

			if (dx < 0 || dx + fp->span[l] > 4)
				return 0;
		}
	}
	return 1;
}

/* Widest row whose neighbours are kept: 16 groups of 12 vectors, 12 KiB */
#define CACHE_GROUPS 16

void mnet_fconv_rows_avx512(const struct mnet_fconv *fc,
			    const struct mnet_fconv_tabs *t, int y0, int y1)
{
	__m512 cache[CACHE_GROUPS * 12];
	struct row_ctx rc;
	int y, c;

	mnet_fconv_plan_fetch(fc, &rc.fp);
	rc.fp.pair = pairs_fit(fc, t, &rc.fp);
	perm_init(&rc);
	/* keep a row's neighbours where the next row may read them again */
	rc.cache = fc->ow / 16 <= CACHE_GROUPS ? cache : NULL;
	for (c = 0; c < 3; c++) {
		rc.tag[0][c] = -1;
		rc.tag[1][c] = -1;
	}
	for (y = y0; y < y1; y++)
		row_avx512(fc, t, &rc, y);
}
