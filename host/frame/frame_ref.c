// SPDX-License-Identifier: Apache-2.0
/*
 * frame_ref.c - the plain C reference frame conversion (the oracle)
 *
 * DOC: reference conversion
 *
 * Written straight from the definition in frame_conv.h, one output value
 * at a time, with no tables: the upright, mirrored crop is sampled at
 * half-pixel centres, each of the four neighbours is mapped back to frame
 * coordinates through the rotation, converted to 8-bit RGB and the four
 * are interpolated as runtime/image/image.c interpolates a photo.  The
 * fast converters are checked against this one (tests/frame/test_frame.c).
 */
#include "frame/frame_conv.h"

/* Upright, mirrored crop pixel (@u, @v) to frame pixel (*@x, *@y). */
static void upright_to_frame(const struct mnet_fconv *fc, int u, int v,
			     int *x, int *y)
{
	int uw = fc->rot & 1 ? fc->ch : fc->cw;
	int lx, ly;

	if (fc->mirror)
		u = uw - 1 - u;
	switch (fc->rot) {
	case 1:		/* turned a quarter clockwise to be upright */
		lx = v;
		ly = fc->ch - 1 - u;
		break;
	case 2:
		lx = fc->cw - 1 - u;
		ly = fc->ch - 1 - v;
		break;
	case 3:
		lx = fc->cw - 1 - v;
		ly = u;
		break;
	default:
		lx = u;
		ly = v;
		break;
	}
	*x = fc->cx + lx;
	*y = fc->cy + ly;
}

static float channel_at(const struct mnet_fconv *fc, int c, int x, int y)
{
	size_t off = (size_t)fc->chan_off[c] +
		     (size_t)(x >> fc->sub[c]) * (size_t)fc->pix_stride[c] +
		     (size_t)(y >> fc->sub[c]) * (size_t)fc->row_stride[c];

	return (float)fc->plane[c][off];
}

static void rgb_at(const struct mnet_fconv *fc, int u, int v, float rgb[3])
{
	int x, y, c;

	upright_to_frame(fc, u, v, &x, &y);
	if (fc->yuv) {
		mnet_fconv_yuv_rgb(fc->full_range, channel_at(fc, 0, x, y),
				   channel_at(fc, 1, x, y),
				   channel_at(fc, 2, x, y), rgb);
		return;
	}
	for (c = 0; c < 3; c++)
		rgb[c] = channel_at(fc, c, x, y);
}

void mnet_fconv_ref(const struct mnet_fconv *fc)
{
	int uw = fc->rot & 1 ? fc->ch : fc->cw;
	int uh = fc->rot & 1 ? fc->cw : fc->ch;
	int ox, oy, c;

	for (oy = 0; oy < fc->oh; oy++) {
		int v0, v1;
		float fy;

		mnet_fconv_axis(oy, fc->oh, uh, &v0, &v1, &fy);
		for (ox = 0; ox < fc->ow; ox++) {
			float a[3], b[3], d[3], e[3];
			size_t at = ((size_t)oy * fc->ow + ox) * 3;
			int u0, u1;
			float fx;

			mnet_fconv_axis(ox, fc->ow, uw, &u0, &u1, &fx);
			rgb_at(fc, u0, v0, a);
			rgb_at(fc, u1, v0, b);
			rgb_at(fc, u0, v1, d);
			rgb_at(fc, u1, v1, e);
			for (c = 0; c < 3; c++) {
				float top = a[c] + (b[c] - a[c]) * fx;
				float bot = d[c] + (e[c] - d[c]) * fx;

				float v = top + (bot - top) * fy;

				if (fc->dst_u8)
					fc->dst_u8[at + c] = mnet_fconv_byte(fc, v);
				else
					fc->dst[at + c] = mnet_fconv_map(fc, v);
			}
		}
	}
}
