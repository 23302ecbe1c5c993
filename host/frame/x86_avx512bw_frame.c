// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx512bw_frame.c - AVX-512BW frame conversion of upright 4:2:0
 * frames: whole source rows, then a vertical and a horizontal pass
 *
 * DOC: AVX-512BW row-wise frame conversion
 *
 * A camera frame that is only cropped, resized and perhaps mirrored or
 * turned by half a turn (rotation 0 or 180) keeps its rows: every output
 * row reads two whole frame rows.  So rather than gathering and
 * converting the four neighbours of every sample (x86_avx512_frame.c),
 * this path
 *
 * 1. converts each frame row it needs once, contiguously, 32 pixels a
 *    step: Y, Cb, Cr loaded with (masked) vector loads, BT.601 in 16-bit
 *    fixed point with six fraction bits, rounded and clamped to the 8-bit
 *    pixel as the reference does, kept as three planar rows of 16-bit
 *    values (the pixel times 128); the last two rows are kept, so an
 *    output row that shares a frame row with the one before converts only
 *    the other;
 * 2. blends the two frame rows of an output row vertically over the whole
 *    row (one rounding multiply per 32 values: Q15 weight);
 * 3. resamples the blended row horizontally: one 32-bit gather per
 *    channel fetches both neighbours of sixteen samples (they are
 *    adjacent), one multiply-add with the Q14 weight pair interpolates
 *    them, and the result is mapped (the input bytes of an int8 or uint8
 *    session, or floats) and stored interleaved.
 *
 * It is not bit-identical to mnet_fconv_ref(): the colour conversion
 * rounds its fixed-point products, not float ones, and so moves a
 * converted pixel by one step in about one pixel-channel in 200 (where the
 * exact value lies near a rounding tie); the interpolation is exact to
 * about 1/100 of a step.  An output value is a convex blend of its
 * neighbours, so after its own rounding to the input's 8-bit step it is
 * within one step of the reference's (a second step would need every
 * neighbour that carries weight to be off the same way and the value to
 * lie within 1/100 of a tie).  Hence it serves the quantized inputs only
 * (the bytes of int8 and uint8 sessions, or their floats): a float input
 * keeps the unrounded blend, where a pixel one step off shows as just over
 * one step (1.006 LSB measured), so float inputs, RGB formats, quarter
 * turns and other layouts take x86_avx512_frame.c, which is exact (an
 * RGB888 frame of a photo gives the image path's input bit for bit).
 */
#include <errno.h>
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#include "frame/frame_conv.h"

/* extra 16-bit values after a row: the last step's overrun, the gathers */
#define ROW_PAD 64

/**
 * struct bw_ctx - one thread's scratch for mnet_fconv_rows_avx512bw()
 * @x0: first frame column converted (even)
 * @nx: columns converted (a multiple of 32)
 * @idx: [ow rounded up to 16] left neighbour's column, from @x0
 * @wt: [same] the Q14 weights of it (low half) and of the next (high)
 * @src: two converted frame rows, [2][3 channels][@nx + ROW_PAD]
 * @tag: frame row each of @src holds, -1 for none
 * @blend: the vertically blended row, [3][@nx + ROW_PAD]
 * @mem: the allocation of all of it
 */
struct bw_ctx {
	int x0, nx;
	int32_t *idx, *wt;
	int16_t *src[2];
	int tag[2];
	int16_t *blend;
	void *mem;
};

/* Frame column (or row, @col 0) of upright index @i, rotation 0 or 2. */
static int frame_pos(const struct mnet_fconv *fc, int i, int col)
{
	if (col) {
		if (fc->mirror)
			i = fc->cw - 1 - i;
		return fc->rot ? fc->cx + fc->cw - 1 - i : fc->cx + i;
	}
	return fc->rot ? fc->cy + fc->ch - 1 - i : fc->cy + i;
}

/* Whether this path handles @fc. */
static int bw_fits(const struct mnet_fconv *fc)
{
	return fc->yuv && fc->quantized && (fc->rot == 0 || fc->rot == 2) &&
	       fc->sub[0] == 0 && fc->sub[1] == 1 && fc->sub[2] == 1 &&
	       fc->pix_stride[0] == 1 &&
	       (fc->pix_stride[1] == 1 || fc->pix_stride[1] == 2) &&
	       (fc->pix_stride[2] == 1 || fc->pix_stride[2] == 2) &&
	       fc->ow <= 8192 && fc->cw <= 16384;
}

static int bw_init(const struct mnet_fconv *fc, struct bw_ctx *b)
{
	int ow16 = (fc->ow + 15) & ~15, lo = fc->fw, hi = 0, x;
	size_t row, bytes;
	char *p;

	for (x = 0; x < fc->ow; x++) {
		int i0, i1, a, c;
		float f;

		mnet_fconv_axis(x, fc->ow, fc->cw, &i0, &i1, &f);
		a = frame_pos(fc, i0, 1);
		c = frame_pos(fc, i1, 1);
		if (a < lo)
			lo = a;
		if (c < lo)
			lo = c;
		if (a > hi)
			hi = a;
		if (c > hi)
			hi = c;
	}
	b->x0 = lo & ~1;
	b->nx = (hi + 1 - b->x0 + 31) & ~31;
	row = (size_t)b->nx + ROW_PAD;
	bytes = (size_t)ow16 * 8 + row * 9 * sizeof(int16_t);
	b->mem = calloc(1, bytes);
	if (!b->mem)
		return -ENOMEM;
	p = b->mem;
	b->idx = (int32_t *)(void *)p;
	b->wt = b->idx + ow16;
	b->src[0] = (int16_t *)(void *)(b->wt + ow16);
	b->src[1] = b->src[0] + 3 * row;
	b->blend = b->src[1] + 3 * row;
	b->tag[0] = -1;
	b->tag[1] = -1;
	for (x = 0; x < fc->ow; x++) {
		int i0, i1, a, c, w1, w0;
		float f;

		mnet_fconv_axis(x, fc->ow, fc->cw, &i0, &i1, &f);
		a = frame_pos(fc, i0, 1);
		c = frame_pos(fc, i1, 1);
		w1 = (int)(f * 16384.0f + 0.5f);
		w0 = 16384 - w1;
		if (a == c) {
			w0 = 16384;
			w1 = 0;
		} else if (c < a) {
			int t = w0;

			w0 = w1;
			w1 = t;
			a = c;
		}
		b->idx[x] = a - b->x0;
		b->wt[x] = (int32_t)((uint32_t)w1 << 16 | (uint32_t)w0);
	}
	return 0;
}

/* Up to @want bytes at plane + @off, the rest zero (never past @extent) */
static inline __mmask64 load_mask(size_t extent, long off, int want)
{
	long n = (long)extent - off;

	if (n >= want)
		return want == 64 ? ~0ull : (1ull << want) - 1;
	return n > 0 ? (1ull << n) - 1 : 0;
}

/* Sixteen chroma samples from @off on as 16-bit values. */
static inline __m256i load_chroma(const struct mnet_fconv *fc, int c,
				  long off)
{
	const uint8_t *p = fc->plane[c] + off;

	if (fc->pix_stride[c] == 1)
		return _mm256_cvtepu8_epi16(_mm_maskz_loadu_epi8(
			(__mmask16)load_mask(fc->extent[c], off, 16), p));
	return _mm256_and_si256(_mm256_maskz_loadu_epi8(
			(__mmask32)load_mask(fc->extent[c], off, 32), p),
			_mm256_set1_epi16(0xff));
}

/* Q6 value to the 8-bit pixel (round half up, clamp), times 128. */
static inline __m512i pix_q7(__m512i v)
{
	v = _mm512_srai_epi16(_mm512_adds_epi16(v, _mm512_set1_epi16(32)), 6);
	v = _mm512_min_epi16(_mm512_max_epi16(v, _mm512_setzero_si512()),
			     _mm512_set1_epi16(255));
	return _mm512_slli_epi16(v, 7);
}

#define Q13(k) ((short)((k) * 8192.0f + 0.5f))

/* Frame row @y's columns [x0, x0 + nx) as R, G, B rows of pixel * 128. */
static void convert_row(const struct mnet_fconv *fc, const struct bw_ctx *b,
			int y, int16_t *dst)
{
	size_t row = (size_t)b->nx + ROW_PAD;
	int full = fc->full_range, x;
	__m512i dup = _mm512_set_epi16(15, 15, 14, 14, 13, 13, 12, 12, 11, 11,
				       10, 10, 9, 9, 8, 8, 7, 7, 6, 6, 5, 5,
				       4, 4, 3, 3, 2, 2, 1, 1, 0, 0);
	__m256i rv = _mm256_set1_epi16(Q13(full ? MNET_FCONV_FULL_RV :
					    MNET_FCONV_LIM_RV));
	__m256i gu = _mm256_set1_epi16(Q13(full ? MNET_FCONV_FULL_GU :
					    MNET_FCONV_LIM_GU));
	__m256i gv = _mm256_set1_epi16(Q13(full ? MNET_FCONV_FULL_GV :
					    MNET_FCONV_LIM_GV));
	__m256i bu = _mm256_set1_epi16(Q13(full ? MNET_FCONV_FULL_BU :
					    MNET_FCONV_LIM_BU));
	__m512i ky = _mm512_set1_epi16((short)(MNET_FCONV_LIM_Y * 16384.0f +
					       0.5f));
	long yoff = fc->chan_off[0] + (long)y * fc->row_stride[0];
	long uoff = fc->chan_off[1] + (long)(y >> 1) * fc->row_stride[1];
	long voff = fc->chan_off[2] + (long)(y >> 1) * fc->row_stride[2];

	for (x = 0; x < b->nx; x += 32) {
		int fx = b->x0 + x;
		long yo = yoff + fx, uo, vo;
		__m512i yy, r, g, bl;
		__m256i du, dv, tr, tg, tb;

		uo = uoff + (long)(fx >> 1) * fc->pix_stride[1];
		vo = voff + (long)(fx >> 1) * fc->pix_stride[2];
		yy = _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(
			(__mmask32)load_mask(fc->extent[0], yo, 32),
			fc->plane[0] + yo));
		if (full)
			yy = _mm512_slli_epi16(yy, 6);
		else
			yy = _mm512_mulhrs_epi16(_mm512_slli_epi16(
				_mm512_sub_epi16(yy, _mm512_set1_epi16(16)), 7),
				ky);
		du = _mm256_slli_epi16(_mm256_sub_epi16(load_chroma(fc, 1, uo),
				_mm256_set1_epi16(128)), 8);
		dv = _mm256_slli_epi16(_mm256_sub_epi16(load_chroma(fc, 2, vo),
				_mm256_set1_epi16(128)), 8);
		tr = _mm256_mulhrs_epi16(dv, rv);
		tg = _mm256_add_epi16(_mm256_mulhrs_epi16(du, gu),
				      _mm256_mulhrs_epi16(dv, gv));
		tb = _mm256_mulhrs_epi16(du, bu);
		r = _mm512_adds_epi16(yy, _mm512_permutexvar_epi16(dup,
				_mm512_castsi256_si512(tr)));
		g = _mm512_subs_epi16(yy, _mm512_permutexvar_epi16(dup,
				_mm512_castsi256_si512(tg)));
		bl = _mm512_adds_epi16(yy, _mm512_permutexvar_epi16(dup,
				_mm512_castsi256_si512(tb)));
		_mm512_storeu_si512(dst + x, pix_q7(r));
		_mm512_storeu_si512(dst + row + x, pix_q7(g));
		_mm512_storeu_si512(dst + 2 * row + x, pix_q7(bl));
	}
}

/* The slot of @b->src holding frame row @y, converting it if need be. */
static const int16_t *source_row(const struct mnet_fconv *fc,
				 struct bw_ctx *b, int y, int keep)
{
	int s;

	for (s = 0; s < 2; s++)
		if (b->tag[s] == y)
			return b->src[s];
	/* the slot not holding the other row this output row needs */
	s = b->tag[0] == keep ? 1 : 0;
	convert_row(fc, b, y, b->src[s]);
	b->tag[s] = y;
	return b->src[s];
}

/* Interleave R, G, B of sixteen pixels (as 32-bit lanes) into 48. */
static inline void interleave(const __m512i v[3], __m512i o[3])
{
	int k, j;

	for (k = 0; k < 3; k++) {
		int32_t a[16], c[16];

		for (j = 0; j < 16; j++) {
			int g = 16 * k + j, p = g / 3, ch = g % 3;

			a[j] = ch == 0 ? p : ch == 1 ? 16 + p : 0;
			c[j] = ch == 2 ? 16 + p : j;
		}
		o[k] = _mm512_permutex2var_epi32(v[0], _mm512_loadu_si512(a),
						 v[1]);
		o[k] = _mm512_permutex2var_epi32(o[k], _mm512_loadu_si512(c),
						 v[2]);
	}
}

static void out_row(const struct mnet_fconv *fc, const struct bw_ctx *b,
		    int y)
{
	size_t row = (size_t)b->nx + ROW_PAD;
	int ow = fc->ow, x, c, k;
	const __m512i half = _mm512_set1_epi32(1 << 20);
	__m512i flip = _mm512_set1_epi32(fc->is_signed ? 0x80 : 0);

	for (x = 0; x < ow; x += 16) {
		__m512i ix = _mm512_loadu_si512(b->idx + x);
		__m512i w = _mm512_loadu_si512(b->wt + x);
		__m512i v[3], o[3];
		int n = ow - x < 16 ? ow - x : 16;

		for (c = 0; c < 3; c++) {
			__m512i pr = _mm512_i32gather_epi32(ix,
				(const void *)(b->blend + c * row), 2);

			v[c] = _mm512_madd_epi16(pr, w);	/* Q21 */
		}
		/* Q21 to the rounded 8-bit pixel */
		for (c = 0; c < 3; c++)
			v[c] = _mm512_srai_epi32(_mm512_add_epi32(v[c], half),
						 21);
		if (fc->dst_u8) {
			uint8_t *d = fc->dst_u8 + ((size_t)y * ow + x) * 3;

			for (c = 0; c < 3; c++)
				v[c] = _mm512_xor_si512(v[c], flip);
			interleave(v, o);
			for (k = 0; k < 3; k++) {
				int m = 3 * n - 16 * k;
				__mmask16 mk = m >= 16 ? 0xffff :
					       m > 0 ? (__mmask16)((1u << m) - 1) : 0;

				_mm_mask_storeu_epi8(d + 16 * k, mk,
						     _mm512_cvtepi32_epi8(o[k]));
			}
			continue;
		}
		interleave(v, o);
		for (k = 0; k < 3; k++) {
			float *d = fc->dst + ((size_t)y * ow + x) * 3 + 16 * k;
			int m = 3 * n - 16 * k;
			__mmask16 mk = m >= 16 ? 0xffff :
				       m > 0 ? (__mmask16)((1u << m) - 1) : 0;
			__m512i p = o[k];
			__m512 f;

			if (fc->is_signed)
				p = _mm512_sub_epi32(p, _mm512_set1_epi32(128));
			f = _mm512_mul_ps(_mm512_set1_ps(fc->scale),
				_mm512_sub_ps(_mm512_cvtepi32_ps(p),
					_mm512_set1_ps((float)fc->zero_point)));
			_mm512_mask_storeu_ps(d, mk, f);
		}
	}
}

static void blend_rows(const struct bw_ctx *b, const int16_t *top,
		       const int16_t *bot, float fy)
{
	size_t row = (size_t)b->nx + ROW_PAD;
	int q = (int)(fy * 32768.0f + 0.5f), x, c;
	__m512i f = _mm512_set1_epi16((short)(q > 32767 ? 32767 : q));

	for (c = 0; c < 3; c++) {
		const int16_t *t = top + c * row, *u = bot + c * row;
		int16_t *d = b->blend + c * row;

		if (t == u) {
			memcpy(d, t, (size_t)b->nx * sizeof(*d));
			continue;
		}
		for (x = 0; x < b->nx; x += 32) {
			__m512i a = _mm512_loadu_si512(t + x);
			__m512i e = _mm512_loadu_si512(u + x);

			_mm512_storeu_si512(d + x, _mm512_add_epi16(a,
				_mm512_mulhrs_epi16(_mm512_sub_epi16(e, a), f)));
		}
	}
}

int mnet_fconv_rows_avx512bw_yuv(const struct mnet_fconv *fc, int y0, int y1)
{
	struct bw_ctx b;
	int y;

	if (!bw_fits(fc) || bw_init(fc, &b))
		return -EINVAL;
	for (y = y0; y < y1; y++) {
		int i0, i1, r0, r1;
		const int16_t *top, *bot;
		float fy;

		mnet_fconv_axis(y, fc->oh, fc->ch, &i0, &i1, &fy);
		r0 = frame_pos(fc, i0, 0);
		r1 = frame_pos(fc, i1, 0);
		top = source_row(fc, &b, r0, r1);
		bot = source_row(fc, &b, r1, r0);
		blend_rows(&b, top, bot, r0 == r1 ? 0.0f : fy);
		out_row(fc, &b, y);
	}
	free(b.mem);
	return 0;
}
