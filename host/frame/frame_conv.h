/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frame_conv.h - camera frame to model input in one pass (host compute)
 *
 * DOC: frame conversion
 *
 * A frame is described to the compute code as three 8-bit channels (R, G,
 * B or Y, Cb, Cr), each found at plane + chan_off + (X >> sub) * pix_stride
 * + (Y >> sub) * row_stride, which covers NV21, NV12, I420 (and Android's
 * YUV_420_888 with any pixel stride), RGBA, BGRA and RGB with one layout.
 * The output is the model's NHWC input tensor: the crop rectangle is turned
 * upright (@rot clockwise quarter turns, then an optional horizontal
 * mirror), resized bilinearly with half-pixel centres to @ow x @oh exactly
 * as runtime/image/image.c resizes a photo, and mapped as the model
 * expects (x/127.5 - 1, or through the uint8 scale and zero point).
 *
 * Each of the four source pixels of a bilinear sample is first converted
 * to 8-bit RGB (BT.601, rounded and clamped, chroma taken from the 2x2 block
 * the pixel lies in, as libyuv does), then interpolated in float, so a frame
 * made from a photo gives the photo's input.  mnet_fconv_ref() is the
 * oracle, written straight from that definition; the fast paths walk
 * per-column and per-row offset tables (mnet_fconv_tabs_fill()) and compute
 * the same operations in the same order, so they agree with it bit for bit
 * (the tests allow 1 LSB).  One does not: the row-wise AVX-512 converter
 * of upright 4:2:0 frames to a quantized input (x86_avx512vbmi_frame.c)
 * works in 16-bit fixed point and is within one step of it.
 *
 * Nothing here includes runtime/ headers: runtime/frame/ validates the
 * public &struct mnet_frame and fills a &struct mnet_fconv.
 */
#ifndef MNET_HOST_FRAME_CONV_H
#define MNET_HOST_FRAME_CONV_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

struct mnet_threadpool;

/**
 * struct mnet_fconv - one conversion, fully resolved
 * @plane: start of the buffer each channel lives in (reads never go below)
 * @chan_off: byte offset of the channel inside its pixel
 * @row_stride: bytes between rows of the channel's (subsampled) grid
 * @pix_stride: bytes between pixels of the channel's grid
 * @sub: log2 of the channel's subsampling (1 for 4:2:0 chroma, else 0)
 * @extent: bytes readable from @plane (reads stay below it)
 * @yuv: 0: channels are R, G, B; 1: Y, Cb, Cr (BT.601)
 * @full_range: for @yuv, 1: full range (JPEG), 0: limited (16-235)
 * @fw: frame width
 * @fh: frame height
 * @cx: crop left, frame pixels
 * @cy: crop top
 * @cw: crop width
 * @ch: crop height
 * @rot: clockwise quarter turns that make the crop upright (0..3)
 * @mirror: flip the upright crop horizontally
 * @ow: output width
 * @oh: output height
 * @quantized: map through @scale and @zero_point (else x/127.5 - 1)
 * @is_signed: int8 input (pixel - 128 is fed)
 * @scale: input scale
 * @zero_point: input zero point
 * @dst: @oh * @ow * 3 floats, NHWC
 * @dst_u8: NULL, or where to write the input as the file's own 8-bit
 *          bytes instead of @dst (@quantized only): the pixel, or for an
 *          int8 input pixel - 128, which is what the uint8 or int8 tensor
 *          of scale and zero point holds for the value @dst would get;
 *          only the converters whose &struct mnet_fconv_kernel.u8 is set
 *          (and the reference) write it
 */
struct mnet_fconv {
	const uint8_t *plane[3];
	int chan_off[3];
	int row_stride[3];
	int pix_stride[3];
	int sub[3];
	size_t extent[3];
	int yuv, full_range;
	int fw, fh;
	int cx, cy, cw, ch;
	int rot, mirror;
	int ow, oh;
	int quantized, is_signed, zero_point;
	float scale;
	float *dst;
	uint8_t *dst_u8;
};

/**
 * struct mnet_fconv_tabs - per-column and per-row offsets of a conversion
 * @col0: [3][ow] byte offset of the left neighbour's column part, per channel
 * @col1: [3][ow] the right neighbour's
 * @row0: [3][oh] the upper neighbour's row part
 * @row1: [3][oh] the lower neighbour's
 * @fx: [ow] horizontal weight of the right neighbour
 * @fy: [oh] vertical weight of the lower neighbour
 *
 * The source of a channel at output (x, y) is plane + col?[x] + row?[y]:
 * a rotation swaps which of the frame's axes each table walks.
 */
struct mnet_fconv_tabs {
	int32_t *col0, *col1, *row0, *row1;
	float *fx, *fy;
};

/**
 * typedef mnet_fconv_rows_fn - convert output rows [@y0, @y1)
 * @fc: the conversion
 * @t: its tables
 * @y0: first output row
 * @y1: end row
 */
typedef void (*mnet_fconv_rows_fn)(const struct mnet_fconv *fc,
				   const struct mnet_fconv_tabs *t, int y0,
				   int y1);

/**
 * struct mnet_fconv_kernel - one instruction set's row converter
 * @name: "avx512", "avx2", "neon", "scalar"
 * @rows: the converter
 * @min_extent: smallest plane extent it can read safely (wide loads)
 * @u8: it writes &struct mnet_fconv.dst_u8 (else only floats)
 * @direct: NULL, or a converter that needs no tables, for the conversions
 *          @direct_fits accepts (mnet_fconv_run() then fills none)
 * @direct_fits: whether @direct converts this one
 */
struct mnet_fconv_kernel {
	const char *name;
	mnet_fconv_rows_fn rows;
	size_t min_extent;
	int u8;
	mnet_fconv_rows_fn direct;
	int (*direct_fits)(const struct mnet_fconv *fc);
};

/**
 * mnet_fconv_ref() - the plain C reference conversion (the oracle)
 * @fc: the conversion; writes @fc->dst
 */
void mnet_fconv_ref(const struct mnet_fconv *fc);

/**
 * mnet_fconv_tabs_bytes() - memory mnet_fconv_tabs_fill() needs
 * @fc: the conversion (only @ow and @oh are read)
 *
 * Return: bytes.
 */
size_t mnet_fconv_tabs_bytes(const struct mnet_fconv *fc);

/**
 * mnet_fconv_tabs_fill() - lay out and compute the tables in @mem
 * @fc: the conversion
 * @mem: mnet_fconv_tabs_bytes() bytes, aligned for int32_t and float
 * @t: receives pointers into @mem
 */
void mnet_fconv_tabs_fill(const struct mnet_fconv *fc, void *mem,
			  struct mnet_fconv_tabs *t);

/**
 * mnet_fconv_rows_scalar() - portable table-driven row converter
 * @fc: the conversion
 * @t: its tables
 * @y0: first output row
 * @y1: end row
 */
void mnet_fconv_rows_scalar(const struct mnet_fconv *fc,
			    const struct mnet_fconv_tabs *t, int y0, int y1);

/**
 * mnet_fconv_rows_scalar_cols() - as mnet_fconv_rows_scalar() for the
 * output columns [@x0, @ow) only (the tail of a SIMD row)
 * @fc: the conversion
 * @t: its tables
 * @y: output row
 * @x0: first column
 */
void mnet_fconv_rows_scalar_cols(const struct mnet_fconv *fc,
				 const struct mnet_fconv_tabs *t, int y,
				 int x0);

#if defined(__x86_64__)
/**
 * mnet_fconv_rows_avx2() - AVX2 row converter, eight output pixels a step
 * @fc: the conversion
 * @t: its tables
 * @y0: first output row
 * @y1: end row
 */
void mnet_fconv_rows_avx2(const struct mnet_fconv *fc,
			  const struct mnet_fconv_tabs *t, int y0, int y1);

/**
 * mnet_fconv_rows_avx512() - AVX-512F row converter, sixteen output pixels
 * a step, each source row converted once for the output rows that share it
 * @fc: the conversion
 * @t: its tables
 * @y0: first output row
 * @y1: end row
 */
void mnet_fconv_rows_avx512(const struct mnet_fconv *fc,
			    const struct mnet_fconv_tabs *t, int y0, int y1);

/**
 * mnet_fconv_avx512vbmi_fits() - whether mnet_fconv_rows_avx512vbmi()
 * converts @fc: an upright 4:2:0 frame (rotation 0 or 180, any mirror;
 * I420 or NV12/NV21 layout) to a quantized input, at most 1024 columns,
 * each sixteen of them reading within 128 frame columns
 * @fc: the conversion
 *
 * Return: 1 or 0.
 */
int mnet_fconv_avx512vbmi_fits(const struct mnet_fconv *fc);

/**
 * mnet_fconv_rows_avx512vbmi() - AVX-512 (BW, VL, VBMI) row-wise
 * converter: each frame row converted once, blended and resampled in
 * fixed point (within 1 step of mnet_fconv_ref(), not bit for bit)
 * @fc: the conversion (mnet_fconv_avx512vbmi_fits())
 * @t: unused (it needs no tables)
 * @y0: first output row
 * @y1: end row
 */
void mnet_fconv_rows_avx512vbmi(const struct mnet_fconv *fc,
				const struct mnet_fconv_tabs *t, int y0,
				int y1);
#endif

#if defined(__aarch64__) || defined(__arm__)
/**
 * mnet_fconv_rows_neon() - NEON row converter, four output pixels a step
 * @fc: the conversion
 * @t: its tables
 * @y0: first output row
 * @y1: end row
 */
void mnet_fconv_rows_neon(const struct mnet_fconv *fc,
			  const struct mnet_fconv_tabs *t, int y0, int y1);
#endif

/**
 * mnet_fconv_kernel_get() - the best converter for this CPU
 * @force: NULL, or a name to force ("scalar", "avx2", "avx512"; "ref" as
 *         in $MNET_CPU is "scalar"; one this CPU lacks gives the nearest
 *         one it has)
 *
 * Return: a static table; never NULL.
 */
const struct mnet_fconv_kernel *mnet_fconv_kernel_get(const char *force);

/**
 * mnet_fconv_run() - convert a whole frame with @k, over @tp's threads
 * @fc: the conversion
 * @k: the converter (mnet_fconv_kernel_get())
 * @tp: thread pool to split output rows over, or NULL for this thread
 * @tabs_mem: mnet_fconv_tabs_bytes(@fc) bytes of scratch
 *
 * A plane smaller than @k->min_extent falls back to the scalar converter.
 */
void mnet_fconv_run(const struct mnet_fconv *fc,
		    const struct mnet_fconv_kernel *k,
		    struct mnet_threadpool *tp, void *tabs_mem);

/* BT.601 coefficients shared by every path (and cl_kernels/frame.cl) */
#define MNET_FCONV_FULL_RV 1.402f
#define MNET_FCONV_FULL_GU 0.344136f
#define MNET_FCONV_FULL_GV 0.714136f
#define MNET_FCONV_FULL_BU 1.772f
#define MNET_FCONV_LIM_Y 1.164383f
#define MNET_FCONV_LIM_RV 1.596027f
#define MNET_FCONV_LIM_GU 0.391762f
#define MNET_FCONV_LIM_GV 0.812968f
#define MNET_FCONV_LIM_BU 2.017232f

/* Round half up and clamp to an 8-bit value, in float. */
static inline float mnet_fconv_u8(float v)
{
	v = floorf(v + 0.5f);
	if (v < 0.0f)
		v = 0.0f;
	if (v > 255.0f)
		v = 255.0f;
	return v;
}

/**
 * mnet_fconv_yuv_rgb() - one BT.601 pixel to 8-bit RGB (as floats)
 * @full: full range (else limited)
 * @y: luma
 * @u: Cb
 * @v: Cr
 * @rgb: receives R, G, B, each an integer in [0, 255]
 */
static inline void mnet_fconv_yuv_rgb(int full, float y, float u, float v,
				      float rgb[3])
{
	float yy, du = u - 128.0f, dv = v - 128.0f;

	if (full) {
		yy = y;
		rgb[0] = mnet_fconv_u8(yy + MNET_FCONV_FULL_RV * dv);
		rgb[1] = mnet_fconv_u8(yy - MNET_FCONV_FULL_GU * du -
				       MNET_FCONV_FULL_GV * dv);
		rgb[2] = mnet_fconv_u8(yy + MNET_FCONV_FULL_BU * du);
	} else {
		yy = MNET_FCONV_LIM_Y * (y - 16.0f);
		rgb[0] = mnet_fconv_u8(yy + MNET_FCONV_LIM_RV * dv);
		rgb[1] = mnet_fconv_u8(yy - MNET_FCONV_LIM_GU * du -
				       MNET_FCONV_LIM_GV * dv);
		rgb[2] = mnet_fconv_u8(yy + MNET_FCONV_LIM_BU * du);
	}
}

/**
 * mnet_fconv_map() - an interpolated 8-bit-scale value to the model input
 * @fc: the conversion (its input mapping)
 * @v: value in [0, 255]
 *
 * As runtime/image/image.c's map_pixel().
 *
 * Return: the input tensor value.
 */
static inline float mnet_fconv_map(const struct mnet_fconv *fc, float v)
{
	float p;

	if (!fc->quantized)
		return v / 127.5f - 1.0f;
	p = mnet_fconv_u8(v);
	if (fc->is_signed)
		p -= 128.0f;
	return fc->scale * (p - (float)fc->zero_point);
}

/**
 * mnet_fconv_byte() - an interpolated 8-bit-scale value as the input byte
 * @fc: the conversion (quantized)
 * @v: value in [0, 255]
 *
 * Return: the byte &struct mnet_fconv.dst_u8 receives: the rounded pixel,
 * with its top bit flipped (pixel - 128 as int8) for a signed input.
 */
static inline uint8_t mnet_fconv_byte(const struct mnet_fconv *fc, float v)
{
	return (uint8_t)((int)mnet_fconv_u8(v) ^ (fc->is_signed ? 0x80 : 0));
}

/**
 * mnet_fconv_axis() - source index pair and weight for output index @o
 * @o: output index
 * @out_n: output size
 * @in_n: source size (upright crop)
 * @i0: receives the lower neighbour, 0 <= @i0 < @in_n
 * @i1: receives the upper neighbour
 * @f: receives the upper neighbour's weight
 *
 * Half-pixel centres, as runtime/image/image.c's bilinear_axis().
 */
static inline void mnet_fconv_axis(int o, int out_n, int in_n, int *i0,
				   int *i1, float *f)
{
	float s = ((float)o + 0.5f) * (float)in_n / (float)out_n - 0.5f;
	int lo;

	if (s < 0.0f)
		s = 0.0f;
	lo = (int)floorf(s);
	if (lo > in_n - 1)
		lo = in_n - 1;
	*f = s - (float)lo;
	*i0 = lo;
	*i1 = lo + 1 < in_n ? lo + 1 : in_n - 1;
}

/**
 * struct mnet_fetch_plan - which channels one gather can fetch together
 * @lead: per channel, the channel whose gather holds it (itself if alone)
 * @span: per lead channel, bytes its gather reads
 * @pos: per channel, its byte in the lead's span
 * @pair: the right neighbour's bytes are always within four bytes of the
 *        left's (rotations 0 and 180 of YUV planes: the next byte or
 *        chroma pair, or the same at the right edge), so one gather
 *        fetches both and a row of samples takes half the gathers
 *
 * RGBA, BGRA and RGB read a pixel's three bytes with one gather, NV21 and
 * NV12 both chroma bytes with one: 4 or 8 gathers per 8 neighbours rather
 * than 12.
 */
struct mnet_fetch_plan {
	int lead[3], span[3], pos[3];
	int pair;
};

/**
 * mnet_fconv_plan_fetch() - group the channels one gather can fetch
 * @fc: the conversion
 * @fp: filled in (@fp->pair is the caller's)
 *
 * A channel is led by the channel of the same plane, subsampling and
 * strides whose byte comes first in the pixel, when the two lie within
 * three bytes; the SIMD converters (AVX2, AVX-512) share it.
 */
void mnet_fconv_plan_fetch(const struct mnet_fconv *fc,
			   struct mnet_fetch_plan *fp);

/**
 * mnet_fconv_rgb_perm() - vpermt2d indices that interleave planar R, G, B
 * @k: which of the three 16-lane output vectors (0..2)
 * @a: receives the first pass's indices: R (0..15) and G (16..31) of
 *     @k's pixels, 0 where B goes
 * @c: receives the second pass's: what the first pass left (0..15) and B
 *     (16..31)
 *
 * Sixteen pixels' R, G and B, one 32-bit lane each in three vectors,
 * become 48 interleaved lanes RGBRGB... in three vectors: vector @k is
 * permutex2var(permutex2var(R, @a, G), @c, B).
 */
static inline void mnet_fconv_rgb_perm(int k, int32_t a[16], int32_t c[16])
{
	int j;

	for (j = 0; j < 16; j++) {
		int g = 16 * k + j, p = g / 3, ch = g % 3;

		a[j] = ch == 0 ? p : ch == 1 ? 16 + p : 0;
		c[j] = ch == 2 ? 16 + p : j;
	}
}

#endif /* MNET_HOST_FRAME_CONV_H */
