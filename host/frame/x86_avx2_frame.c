// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx2_frame.c - AVX2 frame conversion, eight output pixels a step
 *
 * DOC: AVX2 frame conversion
 *
 * Walks the offset tables of frame_fast.c eight output columns at a time:
 * each neighbour's bytes are fetched with 32-bit gathers that end at the
 * last byte wanted (they start up to three bytes below, never below the
 * plane, which is why a plane must hold at least four bytes), one gather
 * for the channels that sit side by side in a pixel (struct
 * mnet_fetch_plan), the
 * pixels are converted and interpolated in float with the very operations
 * of mnet_fconv_ref() in the same order (no fused multiply-add), so the
 * results equal the reference's, floats or the quantized input's bytes
 * (&struct mnet_fconv.dst_u8, so an int8 session on an AVX2 CPU does not
 * fall back to the scalar converter).  The last ow % 8 columns of a row
 * take the scalar path.
 */
#include <immintrin.h>

#include "frame/frame_conv.h"

/*
 * Bytes plane[off[i]] .. plane[off[i] + k - 1] (k <= 4), byte j in bits
 * 8j.. of each 32-bit lane: the 32-bit load ends at the span's last byte,
 * or starts at the plane's first.
 */
static inline __m256i gather_span_v(const uint8_t *plane, __m256i off,
				    __m256i k)
{
	__m256i back = _mm256_sub_epi32(_mm256_set1_epi32(4), k);
	__m256i addr = _mm256_max_epi32(_mm256_sub_epi32(off, back),
					_mm256_setzero_si256());
	__m256i shift = _mm256_slli_epi32(_mm256_sub_epi32(off, addr), 3);
	__m256i w = _mm256_i32gather_epi32((const int *)(const void *)plane,
					   addr, 1);

	return _mm256_srlv_epi32(w, shift);
}

static inline __m256i gather_span(const uint8_t *plane, __m256i off, int k)
{
	return gather_span_v(plane, off, _mm256_set1_epi32(k));
}

/* Byte @bits / 8 of each lane (a per-lane bit offset). */
static inline __m256 byte_at(__m256i w, __m256i bits)
{
	return _mm256_cvtepi32_ps(_mm256_and_si256(_mm256_srlv_epi32(w, bits),
						   _mm256_set1_epi32(0xff)));
}

static inline __m256 byte_ps(__m256i w, int j)
{
	return _mm256_cvtepi32_ps(_mm256_and_si256(_mm256_srli_epi32(w, 8 * j),
						   _mm256_set1_epi32(0xff)));
}

static inline __m256 u8f(__m256 v)
{
	v = _mm256_floor_ps(_mm256_add_ps(v, _mm256_set1_ps(0.5f)));
	v = _mm256_max_ps(v, _mm256_setzero_ps());
	return _mm256_min_ps(v, _mm256_set1_ps(255.0f));
}

/* Three channels of eight samples, as 8-bit RGB. */
static inline void to_rgb(const struct mnet_fconv *fc, const __m256 ch[3],
			  __m256 rgb[3])
{
	__m256 yy, du, dv, k128 = _mm256_set1_ps(128.0f);
	int c;

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

/* One neighbour of eight samples: its three channels, as 8-bit RGB. */
static inline void fetch_rgb(const struct mnet_fconv *fc,
			     const struct mnet_fetch_plan *fp,
			     const __m256i off[3],
			     __m256 rgb[3])
{
	__m256 ch[3];
	__m256i w[3];
	int c;

	for (c = 0; c < 3; c++)
		if (fp->lead[c] == c)
			w[c] = gather_span(fc->plane[c], off[c], fp->span[c]);
	for (c = 0; c < 3; c++)
		ch[c] = byte_ps(w[fp->lead[c]], fp->pos[c]);
	to_rgb(fc, ch, rgb);
}

/*
 * Both horizontal neighbours of eight samples (@off: the left ones';
 * @delta: how far right the right ones are, per channel) with one gather
 * per lead channel.
 */
static inline void fetch_pair(const struct mnet_fconv *fc,
			      const struct mnet_fetch_plan *fp,
			      const __m256i off[3],
			      const __m256i delta[3], __m256 left[3],
			      __m256 right[3])
{
	__m256 cl[3], cr[3];
	__m256i w[3];
	int c;

	for (c = 0; c < 3; c++)
		if (fp->lead[c] == c)
			w[c] = gather_span_v(fc->plane[c], off[c],
				_mm256_add_epi32(delta[c],
					_mm256_set1_epi32(fp->span[c])));
	for (c = 0; c < 3; c++) {
		__m256i at = _mm256_set1_epi32(8 * fp->pos[c]);

		cl[c] = byte_at(w[fp->lead[c]], at);
		cr[c] = byte_at(w[fp->lead[c]], _mm256_add_epi32(at,
				_mm256_slli_epi32(delta[c], 3)));
	}
	to_rgb(fc, cl, left);
	to_rgb(fc, cr, right);
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

/* The byte mnet_fconv_byte() gives, in each 32-bit lane. */
static inline __m256i map_byte(const struct mnet_fconv *fc, __m256 v)
{
	return _mm256_xor_si256(_mm256_cvttps_epi32(u8f(v)),
				_mm256_set1_epi32(fc->is_signed ? 0x80 : 0));
}

static inline __m256 lerp(__m256 a, __m256 b, __m256 f)
{
	return _mm256_add_ps(a, _mm256_mul_ps(_mm256_sub_ps(b, a), f));
}

static void row_avx2(const struct mnet_fconv *fc,
		     const struct mnet_fconv_tabs *t,
		     const struct mnet_fetch_plan *fp, int y)
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
		size_t at = ((size_t)y * ow + x) * 3;
		float out[3][8];
		int32_t q[3][8];

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
		if (fp->pair) {
			__m256i dl[3];

			for (c = 0; c < 3; c++)
				dl[c] = _mm256_sub_epi32(ob[c], oa[c]);
			fetch_pair(fc, fp, oa, dl, a, b);
			fetch_pair(fc, fp, od, dl, d, e);
		} else {
			fetch_rgb(fc, fp, oa, a);
			fetch_rgb(fc, fp, ob, b);
			fetch_rgb(fc, fp, od, d);
			fetch_rgb(fc, fp, oe, e);
		}
		for (c = 0; c < 3; c++) {
			__m256 top = lerp(a[c], b[c], fx);
			__m256 bot = lerp(d[c], e[c], fx);
			__m256 v = lerp(top, bot, fy);

			if (fc->dst_u8)
				_mm256_storeu_si256((__m256i *)(void *)q[c],
						    map_byte(fc, v));
			else
				_mm256_storeu_ps(out[c], map_input(fc, v));
		}
		for (i = 0; i < 8; i++) {
			if (fc->dst_u8) {
				uint8_t *o = fc->dst_u8 + at;

				o[3 * i] = (uint8_t)q[0][i];
				o[3 * i + 1] = (uint8_t)q[1][i];
				o[3 * i + 2] = (uint8_t)q[2][i];
			} else {
				float *o = fc->dst + at;

				o[3 * i] = out[0][i];
				o[3 * i + 1] = out[1][i];
				o[3 * i + 2] = out[2][i];
			}
		}
	}
	if (x < ow)
		mnet_fconv_rows_scalar_cols(fc, t, y, x);
}

void mnet_fconv_rows_avx2(const struct mnet_fconv *fc,
			  const struct mnet_fconv_tabs *t, int y0, int y1)
{
	struct mnet_fetch_plan fp;
	int y, c, x;

	mnet_fconv_plan_fetch(fc, &fp);
	fp.pair = 1;
	for (c = 0; c < 3 && fp.pair; c++) {
		int l = fp.lead[c];

		for (x = 0; x < fc->ow; x++) {
			int32_t dx = t->col1[l * fc->ow + x] -
				     t->col0[l * fc->ow + x];

			if (dx < 0 || dx + fp.span[l] > 4) {
				fp.pair = 0;
				break;
			}
		}
	}
	for (y = y0; y < y1; y++)
		row_avx2(fc, t, &fp, y);
}
