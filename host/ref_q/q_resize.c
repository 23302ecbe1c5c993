// SPDX-License-Identifier: Apache-2.0
/*
 * q_resize.c - integer reference RESIZE_BILINEAR (TFLite's reference
 * ResizeBilinear<uint8_t>)
 *
 * TFLite's reference kernel for uint8 interpolates in float: the scale
 * in float, each output coordinate as (o + 0.5) * scale - 0.5 or o *
 * scale, the four taps weighted in the order below, then 0.5 added and
 * the sum truncated to the type.  Written again in that order, so the
 * bytes are TFLite's (checked on both DeepLab files against
 * BUILTIN_REF).  The products must not be contracted into fused
 * multiply-adds, which would round differently: GCC does not in ISO C
 * mode (-std=c11), and the pragma tells Clang.
 */
#include <math.h>

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#include "ref_q/q_kernels.h"

float mnet_qk_resize_scale(int in, int out, int align_corners)
{
	if (align_corners && out > 1)
		return (float)(in - 1) / (float)(out - 1);
	return (float)in / (float)out;
}

void mnet_qk_resize_coord(int o, float scale, int half_pixel, int in,
			  float *v, int *lo, int *hi)
{
	float s = half_pixel ? ((float)o + 0.5f) * scale - 0.5f :
			       (float)o * scale;
	int f = (int)floorf(s), c = (int)ceilf(s);

	*v = s;
	*lo = f < 0 ? 0 : f;
	*hi = c > in - 1 ? in - 1 : c;
}

void mnet_qk_resize_bilinear(const struct mnet_qk_resize *p,
			     const uint8_t *in, uint8_t *out)
{
	float sy = mnet_qk_resize_scale(p->ih, p->oh, p->align_corners);
	float sx = mnet_qk_resize_scale(p->iw, p->ow, p->align_corners);
	size_t row = (size_t)p->iw * p->c;
	int y, x, k;

	for (y = 0; y < p->oh; y++) {
		float fy, dy;
		int y0, y1;

		mnet_qk_resize_coord(y, sy, p->half_pixel, p->ih, &fy, &y0,
				     &y1);
		dy = fy - (float)y0;
		for (x = 0; x < p->ow; x++) {
			const uint8_t *p00, *p01, *p10, *p11;
			uint8_t *o = out + ((size_t)y * p->ow + x) * p->c;
			float fx, dx;
			int x0, x1;

			mnet_qk_resize_coord(x, sx, p->half_pixel, p->iw, &fx,
					     &x0, &x1);
			dx = fx - (float)x0;
			p00 = in + (size_t)y0 * row + (size_t)x0 * p->c;
			p01 = in + (size_t)y0 * row + (size_t)x1 * p->c;
			p10 = in + (size_t)y1 * row + (size_t)x0 * p->c;
			p11 = in + (size_t)y1 * row + (size_t)x1 * p->c;
			for (k = 0; k < p->c; k++) {
				float v = (float)p00[k] * (1.0f - dy) * (1.0f - dx) +
					  (float)p10[k] * dy * (1.0f - dx) +
					  (float)p01[k] * (1.0f - dy) * dx +
					  (float)p11[k] * dy * dx + 0.5f;

				o[k] = (uint8_t)v;
			}
		}
	}
}
