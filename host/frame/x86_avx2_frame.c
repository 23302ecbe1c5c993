// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx2_frame.c - AVX2 frame conversion, eight output pixels a step
 *
 * DOC: AVX2 frame conversion
 *
 * Walks the offset tables of frame_fast.c eight output columns at a time:
 * each neighbour's byte of each channel is fetched with a 32-bit gather
 * that ends at the byte (it starts up to three bytes below, never below
 * the plane, which is why a plane must hold at least four bytes), the
 * pixels are converted and interpolated in float with the very operations
 * of mnet_fconv_ref() in the same order (no fused multiply-add), so the
 * results equal the reference's.  The last ow % 8 columns of a row take
 * the scalar path.
 */
#include <immintrin.h>

#include "frame/frame_conv.h"

/* Bytes plane[off[i]], as the low byte of each 32-bit lane. */
static inline __m256i gather_u8(const uint8_t *plane, __m256i off)
{
	__m256i three = _mm256_set1_epi32(3);
	__m256i addr = _mm256_max_epi32(_mm256_sub_epi32(off, three),
					_mm256_setzero_si256());
	__m256i shift = _mm256_slli_epi32(_mm256_sub_epi32(off, addr), 3);
	__m256i w = _mm256_i32gather_epi32((const int *)(const void *)plane,
					   addr, 1);

	return _mm256_and_si256(_mm256_srlv_epi32(w, shift),
				_mm256_set1_epi32(0xff));
}

static inline __m256 u8f(__m256 v)
{
	v = _mm256_floor_ps(_mm256_add_ps(v, _mm256_set1_ps(0.5f)));
	v = _mm256_max_ps(v, _mm256_setzero_ps());
	return _mm256_min_ps(v, _mm256_set1_ps(255.0f));
}

/* One neighbour of eight samples: its three channels, as 8-bit RGB. */
static inline void fetch_rgb(const struct mnet_fconv *fc, const __m256i off[3],
			     __m256 rgb[3])
{
	__m256 ch[3], yy, du, dv, k128 = _mm256_set1_ps(128.0f);
	int c;

	for (c = 0; c < 3; c++)
		ch[c] = _mm256_cvtepi32_ps(gather_u8(fc->plane[c], off[c]));
	if (!fc->yuv) {
		for (c = 0; c < 3; c++)
			rgb[c] = ch[c];
		return;
	}
	du = _mm256_sub_ps(ch[1], k128);
	dv = _mm256_sub_ps(ch[2], k128);
	if (fc->full_range) {
		yy = ch[0];
		rgb[0] = u8f(_mm256_add_ps(yy, _mm256_mul_ps(
				_mm256_set1_ps(MNET_FCONV_FULL_RV), dv)));
		rgb[1] = u8f(_mm256_sub_ps(_mm256_sub_ps(yy, _mm256_mul_ps(
				_mm256_set1_ps(MNET_FCONV_FULL_GU), du)),
				_mm256_mul_ps(_mm256_set1_ps(MNET_FCONV_FULL_GV),
					      dv)));
		rgb[2] = u8f(_mm256_add_ps(yy, _mm256_mul_ps(
				_mm256_set1_ps(MNET_FCONV_FULL_BU), du)));
	} else {
		yy = _mm256_mul_ps(_mm256_set1_ps(MNET_FCONV_LIM_Y),
				   _mm256_sub_ps(ch[0], _mm256_set1_ps(16.0f)));
		rgb[0] = u8f(_mm256_add_ps(yy, _mm256_mul_ps(
				_mm256_set1_ps(MNET_FCONV_LIM_RV), dv)));
		rgb[1] = u8f(_mm256_sub_ps(_mm256_sub_ps(yy, _mm256_mul_ps(
				_mm256_set1_ps(MNET_FCONV_LIM_GU), du)),
				_mm256_mul_ps(_mm256_set1_ps(MNET_FCONV_LIM_GV),
					      dv)));
		rgb[2] = u8f(_mm256_add_ps(yy, _mm256_mul_ps(
				_mm256_set1_ps(MNET_FCONV_LIM_BU), du)));
	}
}

static inline __m256 map_input(const struct mnet_fconv *fc, __m256 v)
{
	__m256 p;

	if (!fc->quantized)
		return _mm256_sub_ps(_mm256_div_ps(v, _mm256_set1_ps(127.5f)),
				     _mm256_set1_ps(1.0f));
	p = u8f(v);
	if (fc->is_signed)
		p = _mm256_sub_ps(p, _mm256_set1_ps(128.0f));
	return _mm256_mul_ps(_mm256_set1_ps(fc->scale),
			     _mm256_sub_ps(p, _mm256_set1_ps(
					(float)fc->zero_point)));
}

static inline __m256 lerp(__m256 a, __m256 b, __m256 f)
{
	return _mm256_add_ps(a, _mm256_mul_ps(_mm256_sub_ps(b, a), f));
}

static void row_avx2(const struct mnet_fconv *fc,
		     const struct mnet_fconv_tabs *t, int y)
{
	int ow = fc->ow, oh = fc->oh, x, c, i;
	__m256 fy = _mm256_set1_ps(t->fy[y]);
	__m256i r0[3], r1[3];

	for (c = 0; c < 3; c++) {
		r0[c] = _mm256_set1_epi32(t->row0[c * oh + y]);
		r1[c] = _mm256_set1_epi32(t->row1[c * oh + y]);
	}
	for (x = 0; x + 8 <= ow; x += 8) {
		__m256i oa[3], ob[3], od[3], oe[3];
		__m256 a[3], b[3], d[3], e[3];
		__m256 fx = _mm256_loadu_ps(t->fx + x);
		float *o = fc->dst + ((size_t)y * ow + x) * 3;
		float out[3][8];

		for (c = 0; c < 3; c++) {
			__m256i c0 = _mm256_loadu_si256((const __m256i *)
				(const void *)(t->col0 + c * ow + x));
			__m256i c1 = _mm256_loadu_si256((const __m256i *)
				(const void *)(t->col1 + c * ow + x));

			oa[c] = _mm256_add_epi32(c0, r0[c]);
			ob[c] = _mm256_add_epi32(c1, r0[c]);
			od[c] = _mm256_add_epi32(c0, r1[c]);
			oe[c] = _mm256_add_epi32(c1, r1[c]);
		}
		fetch_rgb(fc, oa, a);
		fetch_rgb(fc, ob, b);
		fetch_rgb(fc, od, d);
		fetch_rgb(fc, oe, e);
		for (c = 0; c < 3; c++) {
			__m256 top = lerp(a[c], b[c], fx);
			__m256 bot = lerp(d[c], e[c], fx);

			_mm256_storeu_ps(out[c],
					 map_input(fc, lerp(top, bot, fy)));
		}
		for (i = 0; i < 8; i++) {
			o[3 * i] = out[0][i];
			o[3 * i + 1] = out[1][i];
			o[3 * i + 2] = out[2][i];
		}
	}
	if (x < ow)
		mnet_fconv_rows_scalar_cols(fc, t, y, x);
}

void mnet_fconv_rows_avx2(const struct mnet_fconv *fc,
			  const struct mnet_fconv_tabs *t, int y0, int y1)
{
	int y;

	for (y = y0; y < y1; y++)
		row_avx2(fc, t, y);
}
