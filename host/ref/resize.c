// SPDX-License-Identifier: Apache-2.0
/*
 * resize.c - reference bilinear resize (TFLite's RESIZE_BILINEAR)
 *
 * For output row y the source coordinate is
 *
 *   half_pixel_centers:  (y + 0.5) * scale - 0.5
 *   otherwise:           y * scale
 *
 * with scale = (in - 1) / (out - 1) under align_corners (out > 1), else
 * in / out.  The two rows read are floor() clamped to 0 and ceil()
 * clamped to in - 1, weighted by the unclamped fraction, as TFLite's
 * reference kernel does (so a coordinate of -0.25 reads row 0 with
 * weights 1.25 and -0.25, which sum to the value of row 0).  Columns
 * likewise.
 */
#include <math.h>

#include "ref/ref_kernels.h"

static float resize_scale(int in, int out, int align_corners)
{
	if (align_corners && out > 1)
		return (float)(in - 1) / (float)(out - 1);
	return (float)in / (float)out;
}

static void resize_coord(int o, float scale, int half_pixel, int in,
			 float *v, int *lo, int *hi)
{
	float s = half_pixel ? ((float)o + 0.5f) * scale - 0.5f :
			       (float)o * scale;
	int f = (int)floorf(s), c = (int)ceilf(s);

	*v = s;
	*lo = f < 0 ? 0 : f;
	*hi = c > in - 1 ? in - 1 : c;
}

void mnet_refk_resize_bilinear(int ih, int iw, int c, int oh, int ow,
			       int align_corners, int half_pixel,
			       const float *in, float *out)
{
	float sy = resize_scale(ih, oh, align_corners);
	float sx = resize_scale(iw, ow, align_corners);
	int y, x, k;

	for (y = 0; y < oh; y++) {
		float fy;
		int y0, y1;

		resize_coord(y, sy, half_pixel, ih, &fy, &y0, &y1);
		for (x = 0; x < ow; x++) {
			const float *p00, *p01, *p10, *p11;
			float *o = out + ((size_t)y * ow + x) * c;
			float fx, dy, dx;
			int x0, x1;

			resize_coord(x, sx, half_pixel, iw, &fx, &x0, &x1);
			dy = fy - (float)y0;
			dx = fx - (float)x0;
			p00 = mnet_refk_px(in, iw, c, y0, x0);
			p01 = mnet_refk_px(in, iw, c, y0, x1);
			p10 = mnet_refk_px(in, iw, c, y1, x0);
			p11 = mnet_refk_px(in, iw, c, y1, x1);
			for (k = 0; k < c; k++)
				o[k] = p00[k] * (1.0f - dy) * (1.0f - dx) +
				       p10[k] * dy * (1.0f - dx) +
				       p01[k] * (1.0f - dy) * dx +
				       p11[k] * dy * dx;
		}
	}
}
