// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx512vbmi_frame.c - AVX-512 (BW, VL, VBMI) frame conversion of
 * upright 4:2:0 frames to a quantized input, row by row
 *
 * DOC: row-wise frame conversion
 *
 * A camera frame that is only cropped, resized and perhaps mirrored or
 * turned by half a turn (rotation 0 or 180) keeps its rows: every output
 * row reads two frame rows, and along them each output column reads a
 * pair of adjacent pixels.  So rather than gathering and converting the
 * four neighbours of every sample (x86_avx512_frame.c), this path
 *
 * 1. converts each frame row it needs once: per group of sixteen output
 *    columns, a 64-byte window of the row's luma and one byte permute
 *    (VBMI) pick the sixteen pairs' 32 pixels, and as much for the chroma
 *    (a 128-byte window, two loads and two-source permutes, where some
 *    group spans more than 64 frame columns); BT.601
 *    in 16-bit fixed point with six fraction bits, rounded and clamped to
 *    the 8-bit pixel as the reference does; the last two converted rows
 *    are kept, so an output row that shares a frame row with the one
 *    before converts only the other;
 * 2. blends the two rows vertically (one rounding multiply per 32 values,
 *    Q15 weight) and each pair horizontally (one multiply-add with its
 *    Q14 weights), rounds to the 8-bit pixel and stores the input bytes of
 *    an int8 or uint8 session (or their floats) interleaved.
 *
 * It needs no per-sample tables (mnet_fconv_tabs_fill()), only one pair
 * index and weight per output column, and serves frames whose pairs of
 * sixteen output columns lie within 128 frame columns (down-scaling by up
 * to about 7.9: VGA or 720p to 192 or 224); the others take
 * x86_avx512_frame.c.
 *
 * It is not bit-identical to mnet_fconv_ref(): the colour conversion
 * rounds its fixed-point products, not float ones, and so moves a
 * converted pixel by one step in about one pixel-channel in 200 (where the
 * exact value lies near a rounding tie); the interpolation is exact to
 * about 1/100 of a step.  An output value is a convex blend of its
 * neighbours, so after its own rounding to the input's 8-bit step it is
 * within one step of the reference's (a second step would need every
 * neighbour that carries weight to be off the same way and the value to
 * lie within 1/100 of a tie; 1.7% of the bytes of a random VGA frame
 * differ by one).  Hence it serves the quantized inputs only: a float
 * input keeps the unrounded blend, where a pixel one step off shows as
 * just over one step (1.006 LSB measured, over the tests' 1 + 1e-3), so
 * float inputs, RGB formats, quarter turns and other layouts take
 * x86_avx512_frame.c, which is exact (an RGB888 frame of a photo gives the
 * image path's input bit for bit).
 */
#include <errno.h>
#include <immintrin.h>
#include <string.h>

#include "frame/frame_conv.h"

/* output columns per group: 16 neighbour pairs, 32 converted pixels */
#define GROUP 16
/* a group's pairs lie in one window of this many frame columns */
#define WINDOW 128
/* the widest output served: its scratch (41 KiB) lives on the stack */
#define MAX_GROUPS 64
/* scratch bytes per group: base, three permutes, weights, two rows */
#define GROUP_BYTES (4 + 3 * 64 + GROUP * 4 + 2 * 3 * 32 * 2)
/* the window's bytes of a luma row, or of an NV12/NV21 chroma row */
#define WINDOW_HALF 64

/**
 * struct bw_ctx - one thread's scratch for mnet_fconv_rows_avx512vbmi()
 * @ng: groups of %GROUP output columns
 * @base: [@ng] first frame column of each group's window (even)
 * @yidx: [@ng][64] byte permute of the window's luma: the odd bytes of
 *        the result are zeroed, its 16-bit pixel 2j is output column j's
 *        left neighbour, 2j + 1 the next frame column (the right one, or
 *        at the frame's edge itself; weight 0 then)
 * @uidx: [@ng][64] the same pixels' Cb, as the high byte of each pixel
 * @vidx: [@ng][64] their Cr
 * @wt: [@ng * %GROUP] the Q14 weights of the pair (low half: pixel 2j)
 * @src: two converted frame rows, [2][@ng][3 channels][32]
 * @tag: frame row each of @src holds, -1 for none
 * @wide: the windows are 128 frame columns (two loads and two-source
 *        permutes), else 64 (every group fits; one of each)
 * @mem: the memory of all of it
 */
struct bw_ctx {
	int ng, wide;
	int32_t *base;
	uint8_t *yidx, *uidx, *vidx;
	int32_t *wt;
	int16_t *src[2];
	int tag[2];
	int64_t mem[MAX_GROUPS * GROUP_BYTES / 8];
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

/* Whether this path handles @fc's layout. */
static int bw_fits(const struct mnet_fconv *fc)
{
	return fc->yuv && fc->quantized && (fc->rot == 0 || fc->rot == 2) &&
	       fc->sub[0] == 0 && fc->sub[1] == 1 && fc->sub[2] == 1 &&
	       fc->pix_stride[0] == 1 && fc->ow <= MAX_GROUPS * GROUP &&
	       fc->pix_stride[1] == fc->pix_stride[2] &&
	       (fc->pix_stride[1] == 1 ||
		(fc->pix_stride[1] == 2 && fc->plane[1] == fc->plane[2] &&
		 abs(fc->chan_off[1] - fc->chan_off[2]) == 1));
}

/* Output column @x's pair: its lower frame column and the Q14 weights. */
static void column_pair(const struct mnet_fconv *fc, int x, int *lo,
			int32_t *wt)
{
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
	*lo = a;
	*wt = (int32_t)((uint32_t)w1 << 16 | (uint32_t)w0);
}

/* The first chroma byte of a pair for NV12/NV21, else -1. */
static int chroma_first(const struct mnet_fconv *fc)
{
	if (fc->pix_stride[1] == 1)
		return -1;
	return fc->chan_off[1] < fc->chan_off[2] ? 1 : 2;
}

/* The tables; -EINVAL where a group's pairs do not fit one window. */
static int bw_init(const struct mnet_fconv *fc, struct bw_ctx *b)
{
	int ng = (fc->ow + GROUP - 1) / GROUP, first = chroma_first(fc), g, j;

	memset(b->mem, 0, (size_t)ng * GROUP_BYTES);
	b->ng = ng;
	b->wide = 0;
	b->base = (int32_t *)(void *)b->mem;
	b->wt = b->base + ng;
	b->src[0] = (int16_t *)(void *)(b->wt + (size_t)ng * GROUP);
	b->src[1] = b->src[0] + (size_t)ng * 96;
	b->yidx = (uint8_t *)(b->src[1] + (size_t)ng * 96);
	b->uidx = b->yidx + (size_t)ng * 64;
	b->vidx = b->uidx + (size_t)ng * 64;
	b->tag[0] = -1;
	b->tag[1] = -1;
	for (g = 0; g < ng; g++) {
		int lo[GROUP], base = fc->fw, n = fc->ow - g * GROUP;
		uint8_t *yi = b->yidx + g * 64, *ui = b->uidx + g * 64;
		uint8_t *vi = b->vidx + g * 64;

		if (n > GROUP)
			n = GROUP;
		for (j = 0; j < n; j++) {
			column_pair(fc, g * GROUP + j, &lo[j],
				    &b->wt[g * GROUP + j]);
			if (lo[j] < base)
				base = lo[j];
		}
		base &= ~1;
		b->base[g] = base;
		for (j = 0; j < 2 * GROUP; j++) {
			int x = j / 2 < n ? lo[j / 2] : base, c;

			/* the right one of an edge pair has weight 0 */
			if (j & 1 && x + 1 < fc->fw)
				x++;
			if (x - base >= WINDOW)
				return -EINVAL;
			if (x - base >= WINDOW_HALF)
				b->wide = 1;
			c = (x >> 1) - (base >> 1);
			yi[2 * j] = (uint8_t)(x - base);
			ui[2 * j + 1] = (uint8_t)(first < 0 ? c : 2 * c +
				(fc->chan_off[1] > fc->chan_off[2]));
			vi[2 * j + 1] = (uint8_t)(first < 0 ? c : 2 * c +
				(fc->chan_off[2] > fc->chan_off[1]));
		}
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

/* Q6 value to the 8-bit pixel (round half up, clamp), times 64. */
static inline __m512i pix_q6(__m512i v)
{
	v = _mm512_and_si512(_mm512_adds_epi16(v, _mm512_set1_epi16(32)),
			     _mm512_set1_epi16(~63));
	return _mm512_min_epi16(_mm512_max_epi16(v, _mm512_setzero_si512()),
				_mm512_set1_epi16(255 << 6));
}

#define Q13(k) ((short)((k) * 8192.0f + 0.5f))

#define EVEN_BYTES 0x5555555555555555ull
#define ODD_BYTES 0xaaaaaaaaaaaaaaaaull

/* As convert_group()'s loads and permutes, for 128-column windows. */
static inline void convert_wide(const struct mnet_fconv *fc,
				const struct bw_ctx *b, int g, long o,
				const long co[3], __m512i *yy, __m512i *du,
				__m512i *dv)
{
	int base = b->base[g], first = chroma_first(fc);
	__m512i cu, cv;

	*yy = _mm512_maskz_permutex2var_epi8(EVEN_BYTES,
		_mm512_maskz_loadu_epi8(load_mask(fc->extent[0], o, 64),
					fc->plane[0] + o),
		_mm512_loadu_si512(b->yidx + g * 64),
		_mm512_maskz_loadu_epi8(load_mask(fc->extent[0],
						  o + WINDOW_HALF, 64),
					fc->plane[0] + o + WINDOW_HALF));
	if (first < 0) {
		/* I420: the window's 64 chroma samples of each plane */
		long ou = co[1] + (base >> 1), ov = co[2] + (base >> 1);

		cu = _mm512_maskz_loadu_epi8(load_mask(fc->extent[1], ou, 64),
					     fc->plane[1] + ou);
		cv = _mm512_maskz_loadu_epi8(load_mask(fc->extent[2], ov, 64),
					     fc->plane[2] + ov);
		*du = _mm512_maskz_permutexvar_epi8(ODD_BYTES,
			_mm512_loadu_si512(b->uidx + g * 64), cu);
		*dv = _mm512_maskz_permutexvar_epi8(ODD_BYTES,
			_mm512_loadu_si512(b->vidx + g * 64), cv);
	} else {
		/* NV12/NV21: 128 bytes hold both chroma bytes of 64 samples */
		long oc = co[first] + base;

		cu = _mm512_maskz_loadu_epi8(load_mask(fc->extent[first], oc,
						       64),
					     fc->plane[first] + oc);
		cv = _mm512_maskz_loadu_epi8(load_mask(fc->extent[first],
						       oc + WINDOW_HALF, 64),
					     fc->plane[first] + oc +
					     WINDOW_HALF);
		*du = _mm512_maskz_permutex2var_epi8(ODD_BYTES, cu,
			_mm512_loadu_si512(b->uidx + g * 64), cv);
		*dv = _mm512_maskz_permutex2var_epi8(ODD_BYTES, cu,
			_mm512_loadu_si512(b->vidx + g * 64), cv);
	}
}

/*
 * The 32 pixels of group @g in frame row @y (@yo, @co: the row's luma
 * and chroma offsets), converted, as three rows of 32 pixel * 64 at @dst.
 */
static inline void convert_group(const struct mnet_fconv *fc,
				 const struct bw_ctx *b, int g, long yo,
				 const long co[3], const __m512i k[5],
				 int16_t *dst)
{
	int base = b->base[g], first = chroma_first(fc);
	long o = yo + base;
	__m512i yy, du, dv, tr, tg, tb, cu, cv;

	/* luma zero-extended, chroma as the high byte: (c << 8) */
	if (b->wide) {
		convert_wide(fc, b, g, o, co, &yy, &du, &dv);
	} else {
		yy = _mm512_maskz_permutexvar_epi8(EVEN_BYTES,
			_mm512_loadu_si512(b->yidx + g * 64),
			_mm512_maskz_loadu_epi8(load_mask(fc->extent[0], o, 64),
						fc->plane[0] + o));
		if (first < 0) {
			long ou = co[1] + (base >> 1), ov = co[2] + (base >> 1);

			cu = _mm512_castsi256_si512(_mm256_maskz_loadu_epi8(
				(__mmask32)load_mask(fc->extent[1], ou, 32),
				fc->plane[1] + ou));
			cv = _mm512_castsi256_si512(_mm256_maskz_loadu_epi8(
				(__mmask32)load_mask(fc->extent[2], ov, 32),
				fc->plane[2] + ov));
		} else {
			/* NV12/NV21: one load for both chroma bytes */
			long oc = co[first] + base;

			cu = _mm512_maskz_loadu_epi8(load_mask(
					fc->extent[first], oc, 64),
				fc->plane[first] + oc);
			cv = cu;
		}
		du = _mm512_maskz_permutexvar_epi8(ODD_BYTES,
			_mm512_loadu_si512(b->uidx + g * 64), cu);
		dv = _mm512_maskz_permutexvar_epi8(ODD_BYTES,
			_mm512_loadu_si512(b->vidx + g * 64), cv);
	}
	if (fc->full_range)
		yy = _mm512_slli_epi16(yy, 6);
	else
		yy = _mm512_mulhrs_epi16(_mm512_slli_epi16(
			_mm512_sub_epi16(yy, _mm512_set1_epi16(16)), 7), k[4]);
	/* (c - 128) << 8 */
	du = _mm512_xor_si512(du, _mm512_set1_epi16((short)0x8000));
	dv = _mm512_xor_si512(dv, _mm512_set1_epi16((short)0x8000));
	tr = _mm512_mulhrs_epi16(dv, k[0]);
	tg = _mm512_add_epi16(_mm512_mulhrs_epi16(du, k[1]),
			      _mm512_mulhrs_epi16(dv, k[2]));
	tb = _mm512_mulhrs_epi16(du, k[3]);
	_mm512_storeu_si512(dst, pix_q6(_mm512_adds_epi16(yy, tr)));
	_mm512_storeu_si512(dst + 32, pix_q6(_mm512_subs_epi16(yy, tg)));
	_mm512_storeu_si512(dst + 64, pix_q6(_mm512_adds_epi16(yy, tb)));
}

/* Frame row @y's pixels that the output reads, converted, into @dst. */
static void convert_row(const struct mnet_fconv *fc, const struct bw_ctx *b,
			int y, int16_t *dst)
{
	int full = fc->full_range, g, c;
	const __m512i k[5] = {
		_mm512_set1_epi16(Q13(full ? MNET_FCONV_FULL_RV :
				      MNET_FCONV_LIM_RV)),
		_mm512_set1_epi16(Q13(full ? MNET_FCONV_FULL_GU :
				      MNET_FCONV_LIM_GU)),
		_mm512_set1_epi16(Q13(full ? MNET_FCONV_FULL_GV :
				      MNET_FCONV_LIM_GV)),
		_mm512_set1_epi16(Q13(full ? MNET_FCONV_FULL_BU :
				      MNET_FCONV_LIM_BU)),
		_mm512_set1_epi16((short)(MNET_FCONV_LIM_Y * 16384.0f + 0.5f)),
	};
	long yo = fc->chan_off[0] + (long)y * fc->row_stride[0], co[3];

	for (c = 1; c < 3; c++)
		co[c] = fc->chan_off[c] + (long)(y >> 1) * fc->row_stride[c];
	for (g = 0; g < b->ng; g++)
		convert_group(fc, b, g, yo, co, k, dst + (size_t)g * 96);
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
	int k;

	for (k = 0; k < 3; k++) {
		int32_t a[16], c[16];

		mnet_fconv_rgb_perm(k, a, c);
		o[k] = _mm512_permutex2var_epi32(v[0], _mm512_loadu_si512(a),
						 v[1]);
		o[k] = _mm512_permutex2var_epi32(o[k], _mm512_loadu_si512(c),
						 v[2]);
	}
}

/*
 * Output row @y from frame rows @top and @bot: the vertical blend with
 * weight @fy, the pairs' horizontal one, the map and the store.
 */
static void out_row(const struct mnet_fconv *fc, const struct bw_ctx *b,
		    const int16_t *top, const int16_t *bot, float fy, int y)
{
	int ow = fc->ow, g, c, k, q = (int)(fy * 32768.0f + 0.5f);
	__m512i f = _mm512_set1_epi16((short)(q > 32767 ? 32767 : q));
	const __m512i half = _mm512_set1_epi32(1 << 19);
	__m512i flip = _mm512_set1_epi32(fc->is_signed ? 0x80 : 0);

	for (g = 0; g < b->ng; g++) {
		int x = g * GROUP, n = ow - x < GROUP ? ow - x : GROUP;
		__m512i w = _mm512_loadu_si512(b->wt + x);
		const int16_t *t = top + (size_t)g * 96;
		const int16_t *u = bot + (size_t)g * 96;
		__m512i v[3], o[3];
		__mmask16 mk[3];

		/* Q6 rows blended, pairs to Q20, rounded to the 8-bit pixel */
		for (c = 0; c < 3; c++) {
			__m512i a = _mm512_loadu_si512(t + 32 * c);
			__m512i e = _mm512_loadu_si512(u + 32 * c);

			a = _mm512_add_epi16(a, _mm512_mulhrs_epi16(
					_mm512_sub_epi16(e, a), f));
			v[c] = _mm512_srai_epi32(_mm512_add_epi32(
				_mm512_madd_epi16(a, w), half), 20);
		}
		/* the 3 * n interleaved values, 16 a store */
		for (k = 0; k < 3; k++) {
			int m = 3 * n - 16 * k;

			mk[k] = m >= 16 ? 0xffff :
				m > 0 ? (__mmask16)((1u << m) - 1) : 0;
		}
		if (fc->dst_u8) {
			uint8_t *d = fc->dst_u8 + ((size_t)y * ow + x) * 3;

			for (c = 0; c < 3; c++)
				v[c] = _mm512_xor_si512(v[c], flip);
			interleave(v, o);
			for (k = 0; k < 3; k++)
				_mm_mask_storeu_epi8(d + 16 * k, mk[k],
						     _mm512_cvtepi32_epi8(o[k]));
			continue;
		}
		interleave(v, o);
		for (k = 0; k < 3; k++) {
			float *d = fc->dst + ((size_t)y * ow + x) * 3 + 16 * k;
			__m512i q = o[k];
			__m512 f;

			if (fc->is_signed)
				q = _mm512_sub_epi32(q, _mm512_set1_epi32(128));
			f = _mm512_mul_ps(_mm512_set1_ps(fc->scale),
				_mm512_sub_ps(_mm512_cvtepi32_ps(q),
					_mm512_set1_ps((float)fc->zero_point)));
			_mm512_mask_storeu_ps(d, mk[k], f);
		}
	}
}

int mnet_fconv_avx512vbmi_fits(const struct mnet_fconv *fc)
{
	struct bw_ctx b;

	return bw_fits(fc) && !bw_init(fc, &b);
}

void mnet_fconv_rows_avx512vbmi(const struct mnet_fconv *fc,
				const struct mnet_fconv_tabs *t, int y0,
				int y1)
{
	struct bw_ctx b;
	int y;

	(void)t;
	if (bw_init(fc, &b))
		return;		/* mnet_fconv_avx512vbmi_fits() said no */
	for (y = y0; y < y1; y++) {
		int i0, i1, r0, r1;
		const int16_t *top, *bot;
		float fy;

		mnet_fconv_axis(y, fc->oh, fc->ch, &i0, &i1, &fy);
		r0 = frame_pos(fc, i0, 0);
		r1 = frame_pos(fc, i1, 0);
		top = source_row(fc, &b, r0, r1);
		bot = source_row(fc, &b, r1, r0);
		out_row(fc, &b, top, bot, r0 == r1 ? 0.0f : fy, y);
	}
}
