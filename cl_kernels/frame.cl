/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frame.cl - a raw camera frame to the model's input tensor, in one pass
 *
 * The device twin of host/frame/ (see frame_conv.h there for the
 * definition): each work-item makes one output pixel from its four
 * bilinear neighbours, each converted to 8-bit RGB (BT.601, rounded and
 * clamped) before the interpolation, then mapped as the model expects.
 * The frame's planes arrive as bytes in @src; the host's offset tables
 * (mnet_fconv_tabs_fill(): per output column and row, per channel, with
 * the rotation and mirror folded in, and the bilinear weights) in @tabs,
 * so the geometry is the host's to the bit.  Contraction into fused
 * multiply-adds is off so that the arithmetic is the host's too.
 * NDRange: (OW, OH), any work-group.
 *
 * Macros (see common.h for STORAGE_HALF, MATH_HALF):
 *   YUV         0 (default): the channels are R, G, B | 1: Y, Cb, Cr
 *   FULL_RANGE  0 (default): limited-range BT.601 | 1: full range
 *   QUANT       0 (default): x/127.5 - 1 | 1: through SCALE and ZERO_POINT
 *               (given as the kernel's @scale and @zero_point arguments)
 *   IS_SIGNED   0 (default) | 1: int8 input, pixel - 128 is fed
 */
#ifndef YUV
#define YUV 0
#endif
#ifndef FULL_RANGE
#define FULL_RANGE 0
#endif
#ifndef QUANT
#define QUANT 0
#endif
#ifndef IS_SIGNED
#define IS_SIGNED 0
#endif

#pragma OPENCL FP_CONTRACT OFF

inline float u8f(float v)
{
	return clamp(floor(v + 0.5f), 0.0f, 255.0f);
}

/* The three channels of one pixel, as 8-bit RGB. */
inline float3 pixel_rgb(__global const uchar *src, int o0, int o1, int o2)
{
	float a = (float)src[o0], b = (float)src[o1], c = (float)src[o2];
#if YUV
	float du = b - 128.0f, dv = c - 128.0f, yy;

#if FULL_RANGE
	yy = a;
	return (float3)(u8f(yy + 1.402f * dv),
			u8f(yy - 0.344136f * du - 0.714136f * dv),
			u8f(yy + 1.772f * du));
#else
	yy = 1.164383f * (a - 16.0f);
	return (float3)(u8f(yy + 1.596027f * dv),
			u8f(yy - 0.391762f * du - 0.812968f * dv),
			u8f(yy + 2.017232f * du));
#endif
#else
	return (float3)(a, b, c);
#endif
}

inline float map_input(float v, float scale, int zero_point)
{
#if QUANT
	float p = u8f(v);

#if IS_SIGNED
	p -= 128.0f;
#endif
	return scale * (p - (float)zero_point);
#else
	return v / 127.5f - 1.0f;
#endif
}

/*
 * @tabs: col0[3][ow], col1[3][ow], row0[3][oh], row1[3][oh] (int), then
 * fx[ow], fy[oh] (float bits); @base: where each channel's plane starts in
 * @src.
 */
__kernel void frame_convert(__global const uchar *restrict src,
			    __global const int *restrict tabs,
			    __global store_t *restrict dst,
			    int ow, int oh, int base0, int base1, int base2,
			    float scale, int zero_point)
{
	const int x = (int)get_global_id(0), y = (int)get_global_id(1);
	__global const int *col0 = tabs, *col1 = tabs + 3 * ow;
	__global const int *row0 = tabs + 6 * ow, *row1 = row0 + 3 * oh;
	__global const float *fxs = (__global const float *)(row1 + 3 * oh);
	const int base[3] = { base0, base1, base2 };
	int oa[3], ob[3], od[3], oe[3], c;
	float3 a, b, d, e, top, bot, v;
	float fx, fy;

	if (x >= ow || y >= oh)
		return;
	fx = fxs[x];
	fy = fxs[ow + y];
	for (c = 0; c < 3; c++) {
		oa[c] = base[c] + col0[c * ow + x] + row0[c * oh + y];
		ob[c] = base[c] + col1[c * ow + x] + row0[c * oh + y];
		od[c] = base[c] + col0[c * ow + x] + row1[c * oh + y];
		oe[c] = base[c] + col1[c * ow + x] + row1[c * oh + y];
	}
	a = pixel_rgb(src, oa[0], oa[1], oa[2]);
	b = pixel_rgb(src, ob[0], ob[1], ob[2]);
	d = pixel_rgb(src, od[0], od[1], od[2]);
	e = pixel_rgb(src, oe[0], oe[1], oe[2]);
	top = a + (b - a) * fx;
	bot = d + (e - d) * fx;
	v = top + (bot - top) * fy;
	dst += (y * ow + x) * 3;
	ST1((real)map_input(v.x, scale, zero_point), dst);
	ST1((real)map_input(v.y, scale, zero_point), dst + 1);
	ST1((real)map_input(v.z, scale, zero_point), dst + 2);
}
