/* SPDX-License-Identifier: Apache-2.0 */
/*
 * backbone.cl - the ops MobileNet as a backbone adds (DeepLabV3):
 * bilinear resize, concatenation along channels, and arg-max over
 * channels
 *
 * resize_bilinear: one channel of one output pixel per work-item (dim 0
 * channels, dim 1 output x, dim 2 output y).  The source coordinate, the
 * clamped neighbours and the unclamped fraction are host/ref/resize.c's
 * (TFLite's reference kernel), in the same float operations: contraction
 * into fma() is off, so the coordinates round as the host's do.
 *   C, H_IN, W_IN, H_OUT, W_OUT  shape;  ALIGN_CORNERS, HALF_PIXEL  0/1
 *
 * concat: one output channel of one pixel per work-item (dim 0 channels,
 * dim 1 pixels): the first CA channels from a, the next CB from b.
 *   CA, CB, NPX
 *
 * argmax: one pixel per work-item (dim 0): the first channel holding the
 * largest value, stored as a number (the class map).
 *   C, NPX
 *
 * Out-of-range work-items return.
 */
#pragma OPENCL FP_CONTRACT OFF

#ifndef C
#define C 21
#endif
#ifndef H_IN
#define H_IN 33
#endif
#ifndef W_IN
#define W_IN 33
#endif
#ifndef H_OUT
#define H_OUT 513
#endif
#ifndef W_OUT
#define W_OUT 513
#endif
#ifndef ALIGN_CORNERS
#define ALIGN_CORNERS 0
#endif
#ifndef HALF_PIXEL
#define HALF_PIXEL 0
#endif
#ifndef CA
#define CA 1
#endif
#ifndef CB
#define CB 1
#endif
#ifndef NPX
#define NPX 1
#endif

inline float rs_scale(int in, int out)
{
	if (ALIGN_CORNERS && out > 1)
		return (float)(in - 1) / (float)(out - 1);
	return (float)in / (float)out;
}

/* source coordinate of output @o; *lo and *hi the rows (columns) read */
inline float rs_coord(int o, float scale, int in, int *lo, int *hi)
{
	float s = HALF_PIXEL ? ((float)o + 0.5f) * scale - 0.5f :
			       (float)o * scale;
	int f = (int)floor(s), c = (int)ceil(s);

	*lo = f < 0 ? 0 : f;
	*hi = c > in - 1 ? in - 1 : c;
	return s;
}

__kernel void resize_bilinear(__global const store_t *restrict in,
			      __global store_t *restrict out)
{
	const int c = (int)get_global_id(0);
	const int x = (int)get_global_id(1);
	const int y = (int)get_global_id(2);
	float fy, fx, dy, dx, v00, v01, v10, v11, r;
	int y0, y1, x0, x1;

	if (c >= C || x >= W_OUT || y >= H_OUT)
		return;
	fy = rs_coord(y, rs_scale(H_IN, H_OUT), H_IN, &y0, &y1);
	fx = rs_coord(x, rs_scale(W_IN, W_OUT), W_IN, &x0, &x1);
	dy = fy - (float)y0;
	dx = fx - (float)x0;
	v00 = (float)LD1(in + (y0 * W_IN + x0) * C + c);
	v01 = (float)LD1(in + (y0 * W_IN + x1) * C + c);
	v10 = (float)LD1(in + (y1 * W_IN + x0) * C + c);
	v11 = (float)LD1(in + (y1 * W_IN + x1) * C + c);
	r = v00 * (1.0f - dy) * (1.0f - dx) + v10 * dy * (1.0f - dx) +
	    v01 * (1.0f - dy) * dx + v11 * dy * dx;
	ST1((real)r, out + (y * W_OUT + x) * C + c);
}

__kernel void concat(__global const store_t *restrict a,
		     __global const store_t *restrict b,
		     __global store_t *restrict out)
{
	const int c = (int)get_global_id(0);
	const int p = (int)get_global_id(1);

	if (c >= CA + CB || p >= NPX)
		return;
	if (c < CA)
		ST1(LD1(a + p * CA + c), out + p * (CA + CB) + c);
	else
		ST1(LD1(b + p * CB + c - CA), out + p * (CA + CB) + c);
}

__kernel void argmax(__global const store_t *restrict in,
		     __global store_t *restrict out)
{
	const int p = (int)get_global_id(0);
	float best;
	int k, arg = 0;

	if (p >= NPX)
		return;
	best = (float)LD1(in + p * C);
	for (k = 1; k < C; k++) {
		float v = (float)LD1(in + p * C + k);

		if (v > best) {
			best = v;
			arg = k;
		}
	}
	ST1((real)arg, out + p);
}
