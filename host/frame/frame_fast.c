// SPDX-License-Identifier: Apache-2.0
/*
 * frame_fast.c - table-driven frame conversion: the tables, the scalar rows
 *
 * DOC: fast conversion
 *
 * A rotation by quarter turns keeps the frame's axes apart: each output
 * column walks one frame axis and each output row the other.  So the byte
 * offset of any of a bilinear sample's four neighbours, in any channel, is
 * a column part plus a row part, both computed once per conversion
 * (mnet_fconv_tabs_fill(), about 100 bytes per output column and row) and
 * the inner loops only add, load and interpolate.  The SIMD converters
 * (x86_avx2_frame.c, eight columns a step with gathers; neon_frame.c,
 * four) walk the same tables and end their rows here.
 */
#include "frame/frame_conv.h"

size_t mnet_fconv_tabs_bytes(const struct mnet_fconv *fc)
{
	return ((size_t)fc->ow * 7 + (size_t)fc->oh * 7) * 4;
}

/* Offset part of channel @c for upright index @i along columns or rows. */
static int32_t axis_part(const struct mnet_fconv *fc, int c, int i, int col)
{
	int uw = fc->rot & 1 ? fc->ch : fc->cw;
	int along_x, pos;

	if (col && fc->mirror)
		i = uw - 1 - i;
	/* which frame axis this output axis walks, and where */
	switch (fc->rot) {
	case 1:
		along_x = !col;
		pos = col ? fc->cy + fc->ch - 1 - i : fc->cx + i;
		break;
	case 2:
		along_x = col;
		pos = col ? fc->cx + fc->cw - 1 - i : fc->cy + fc->ch - 1 - i;
		break;
	case 3:
		along_x = !col;
		pos = col ? fc->cy + i : fc->cx + fc->cw - 1 - i;
		break;
	default:
		along_x = col;
		pos = col ? fc->cx + i : fc->cy + i;
		break;
	}
	pos >>= fc->sub[c];
	return (int32_t)pos * (along_x ? fc->pix_stride[c] : fc->row_stride[c]);
}

void mnet_fconv_tabs_fill(const struct mnet_fconv *fc, void *mem,
			  struct mnet_fconv_tabs *t)
{
	int uw = fc->rot & 1 ? fc->ch : fc->cw;
	int uh = fc->rot & 1 ? fc->cw : fc->ch;
	int32_t *p = mem;
	int i, c;

	t->col0 = p;
	t->col1 = p + 3 * fc->ow;
	t->row0 = p + 6 * fc->ow;
	t->row1 = t->row0 + 3 * fc->oh;
	t->fx = (float *)(t->row1 + 3 * fc->oh);
	t->fy = t->fx + fc->ow;
	for (i = 0; i < fc->ow; i++) {
		int i0, i1;

		mnet_fconv_axis(i, fc->ow, uw, &i0, &i1, &t->fx[i]);
		for (c = 0; c < 3; c++) {
			t->col0[c * fc->ow + i] = fc->chan_off[c] +
						  axis_part(fc, c, i0, 1);
			t->col1[c * fc->ow + i] = fc->chan_off[c] +
						  axis_part(fc, c, i1, 1);
		}
	}
	for (i = 0; i < fc->oh; i++) {
		int i0, i1;

		mnet_fconv_axis(i, fc->oh, uh, &i0, &i1, &t->fy[i]);
		for (c = 0; c < 3; c++) {
			t->row0[c * fc->oh + i] = axis_part(fc, c, i0, 0);
			t->row1[c * fc->oh + i] = axis_part(fc, c, i1, 0);
		}
	}
}

static void pixel_rgb(const struct mnet_fconv *fc, const int32_t off[3],
		      float rgb[3])
{
	int c;

	if (fc->yuv) {
		mnet_fconv_yuv_rgb(fc->full_range, fc->plane[0][off[0]],
				   fc->plane[1][off[1]], fc->plane[2][off[2]],
				   rgb);
		return;
	}
	for (c = 0; c < 3; c++)
		rgb[c] = fc->plane[c][off[c]];
}

void mnet_fconv_rows_scalar_cols(const struct mnet_fconv *fc,
				 const struct mnet_fconv_tabs *t, int y,
				 int x0)
{
	int ow = fc->ow, oh = fc->oh, x, c;
	float fy = t->fy[y];

	for (x = x0; x < ow; x++) {
		int32_t oa[3], ob[3], od[3], oe[3];
		float a[3], b[3], d[3], e[3], fx = t->fx[x];
		float *o = fc->dst_u8 ? NULL : fc->dst + ((size_t)y * ow + x) * 3;

		for (c = 0; c < 3; c++) {
			oa[c] = t->col0[c * ow + x] + t->row0[c * oh + y];
			ob[c] = t->col1[c * ow + x] + t->row0[c * oh + y];
			od[c] = t->col0[c * ow + x] + t->row1[c * oh + y];
			oe[c] = t->col1[c * ow + x] + t->row1[c * oh + y];
		}
		pixel_rgb(fc, oa, a);
		pixel_rgb(fc, ob, b);
		pixel_rgb(fc, od, d);
		pixel_rgb(fc, oe, e);
		for (c = 0; c < 3; c++) {
			float top = a[c] + (b[c] - a[c]) * fx;
			float bot = d[c] + (e[c] - d[c]) * fx;
			float v = top + (bot - top) * fy;

			if (fc->dst_u8)
				fc->dst_u8[((size_t)y * ow + x) * 3 + c] =
					mnet_fconv_byte(fc, v);
			else
				o[c] = mnet_fconv_map(fc, v);
		}
	}
}

void mnet_fconv_rows_scalar(const struct mnet_fconv *fc,
			    const struct mnet_fconv_tabs *t, int y0, int y1)
{
	int y;

	for (y = y0; y < y1; y++)
		mnet_fconv_rows_scalar_cols(fc, t, y, 0);
}
