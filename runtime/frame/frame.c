// SPDX-License-Identifier: Apache-2.0
/*
 * frame.c - camera frame descriptors: checks and the host conversion
 *
 * DOC: frame descriptors
 *
 * A &struct mnet_frame comes from a camera driver, often through several
 * layers of an application, so every field is checked before a byte is
 * read: the format and rotation are known ones, 4:2:0 frames have even
 * sides, each plane the format uses is given, its pixel stride holds a
 * whole sample and its row stride a whole row, the bytes it spans fit the
 * 32-bit offsets of the converters, and the crop lies inside the frame.
 * A refusal names the field and the values, since "invalid argument" does
 * not tell an app developer which of a dozen fields is wrong.
 *
 * A checked frame becomes a &struct mnet_fconv: every format is three
 * channels at a plane, an offset inside the pixel, strides and a
 * subsampling (NV21's V is chroma byte 0 and U byte 1, BGRA's R is byte
 * 2), so host/frame/ and cl_kernels/frame.cl need no per-format code.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "frame/frame.h"
#include "model/model.h"
#include "support/err.h"

/**
 * struct frame_layout - how a format uses its planes
 * @name: for messages
 * @n_planes: planes used
 * @yuv420: Y plus chroma subsampled by 2 both ways
 * @plane: plane of each channel (R, G, B or Y, U, V)
 * @chan_off: byte of each channel inside its pixel
 * @bpp: bytes a pixel of each plane needs
 * @ps: default pixel stride of each plane
 */
struct frame_layout {
	const char *name;
	int n_planes, yuv420;
	int plane[3], chan_off[3];
	int bpp[3], ps[3];
};

static const struct frame_layout layouts[] = {
	[MNET_FRAME_NV21] = { "NV21", 2, 1, { 0, 1, 1 }, { 0, 1, 0 },
			      { 1, 2 }, { 1, 2 } },
	[MNET_FRAME_NV12] = { "NV12", 2, 1, { 0, 1, 1 }, { 0, 0, 1 },
			      { 1, 2 }, { 1, 2 } },
	[MNET_FRAME_I420] = { "I420", 3, 1, { 0, 1, 2 }, { 0, 0, 0 },
			      { 1, 1, 1 }, { 1, 1, 1 } },
	[MNET_FRAME_RGBA8888] = { "RGBA8888", 1, 0, { 0, 0, 0 }, { 0, 1, 2 },
				  { 4 }, { 4 } },
	[MNET_FRAME_BGRA8888] = { "BGRA8888", 1, 0, { 0, 0, 0 }, { 2, 1, 0 },
				  { 4 }, { 4 } },
	[MNET_FRAME_RGB888] = { "RGB888", 1, 0, { 0, 0, 0 }, { 0, 1, 2 },
				{ 3 }, { 3 } },
};

static const struct frame_layout *layout_of(enum mnet_frame_format fmt)
{
	if ((int)fmt < MNET_FRAME_NV21 || (int)fmt > MNET_FRAME_RGB888)
		return NULL;
	return &layouts[fmt];
}

const char *mnet_frame_format_name(enum mnet_frame_format fmt)
{
	const struct frame_layout *l = layout_of(fmt);

	return l ? l->name : "unknown";
}

static const char *const plane_names[2][3] = {
	{ "plane 0 (pixels)", "plane 1", "plane 2" },
	{ "plane 0 (Y)", "plane 1 (chroma)", "plane 2 (V)" },
};

/* Check plane @p (@cols x @rows samples); *@extent: bytes it spans. */
static int check_plane(const struct mnet_frame *f,
		       const struct frame_layout *l, int p, int cols,
		       int rows, int *ps, int *rs, size_t *extent,
		       struct mnet_err *err)
{
	const struct mnet_frame_plane *pl = &f->planes[p];
	const char *pn = plane_names[l->yuv420][p];
	int64_t row_bytes, span;

	if (l->yuv420 && p == 1 && l->n_planes == 3)
		pn = "plane 1 (U)";
	if (!pl->data)
		return mnet_err_set(err, -EINVAL,
				    "frame: %s %s is NULL", l->name, pn);
	*ps = pl->pixel_stride ? pl->pixel_stride : l->ps[p];
	if (*ps < l->bpp[p])
		return mnet_err_set(err, -EINVAL,
				    "frame: %s %s: pixel stride %d is smaller than a pixel (%d bytes)",
				    l->name, pn, pl->pixel_stride, l->bpp[p]);
	row_bytes = (int64_t)(cols - 1) * *ps + l->bpp[p];
	if (pl->row_stride < 0 ||
	    (pl->row_stride && pl->row_stride < row_bytes))
		return mnet_err_set(err, -EINVAL,
				    "frame: %s %s: row stride %d is smaller than a row (%d pixels, %lld bytes)",
				    l->name, pn, pl->row_stride, cols,
				    (long long)row_bytes);
	*rs = pl->row_stride ? pl->row_stride : (int)((int64_t)cols * *ps);
	span = (int64_t)(rows - 1) * *rs + row_bytes;
	if (span > INT32_MAX || (int64_t)cols * *ps > INT32_MAX)
		return mnet_err_set(err, -EINVAL,
				    "frame: %s %s spans %lld bytes; the limit is 2 GiB",
				    l->name, pn, (long long)span);
	*extent = (size_t)span;
	return 0;
}

static int check_crop(const struct mnet_frame *f, struct mnet_fconv *fc,
		      struct mnet_err *err)
{
	const struct mnet_frame_rect *r = &f->crop;

	if (!r->x && !r->y && !r->w && !r->h) {
		fc->cx = 0;
		fc->cy = 0;
		fc->cw = f->width;
		fc->ch = f->height;
		return 0;
	}
	if (r->w < 1 || r->h < 1 || r->x < 0 || r->y < 0 ||
	    r->x > f->width - r->w || r->y > f->height - r->h)
		return mnet_err_set(err, -EINVAL,
				    "frame: crop %dx%d at (%d, %d) is not inside the %dx%d frame",
				    r->w, r->h, r->x, r->y, f->width, f->height);
	fc->cx = r->x;
	fc->cy = r->y;
	fc->cw = r->w;
	fc->ch = r->h;
	return 0;
}

static int check_geometry(const struct mnet_frame *f,
			  const struct frame_layout *l, struct mnet_fconv *fc,
			  struct mnet_err *err)
{
	if (f->width < 1 || f->height < 1 || f->width > MNET_FRAME_MAX_SIDE ||
	    f->height > MNET_FRAME_MAX_SIDE)
		return mnet_err_set(err, -EINVAL,
				    "frame: %s frame is %dx%d; each side must be 1 to %d",
				    l->name, f->width, f->height,
				    MNET_FRAME_MAX_SIDE);
	if (l->yuv420 && (f->width & 1 || f->height & 1))
		return mnet_err_set(err, -EINVAL,
				    "frame: %s frame is %dx%d; a 4:2:0 frame needs an even width and height",
				    l->name, f->width, f->height);
	if (f->rotation != 0 && f->rotation != 90 && f->rotation != 180 &&
	    f->rotation != 270)
		return mnet_err_set(err, -EINVAL,
				    "frame: rotation %d; expected 0, 90, 180 or 270",
				    f->rotation);
	if (f->range != MNET_FRAME_RANGE_LIMITED &&
	    f->range != MNET_FRAME_RANGE_FULL)
		return mnet_err_set(err, -EINVAL, "frame: unknown range %d",
				    (int)f->range);
	fc->fw = f->width;
	fc->fh = f->height;
	fc->rot = f->rotation / 90;
	fc->mirror = !!f->mirror;
	fc->yuv = l->yuv420;
	fc->full_range = f->range == MNET_FRAME_RANGE_FULL;
	return check_crop(f, fc, err);
}

int mnet_frame_resolve(const struct mnet_frame *f, const struct mnet_model *m,
		       float *dst, size_t count, struct mnet_fconv *fc,
		       struct mnet_err *err)
{
	const struct frame_layout *l;
	struct mnet_shape s;
	int ps[3], rs[3], p, c, ret;
	size_t extent[3];

	if (!f || !m)
		return mnet_err_set(err, -EINVAL, "frame: no frame given");
	l = layout_of(f->format);
	if (!l)
		return mnet_err_set(err, -EINVAL,
				    "frame: unknown pixel format %d",
				    (int)f->format);
	ret = check_geometry(f, l, fc, err);
	if (ret)
		return ret;
	for (p = 0; p < l->n_planes; p++) {
		int sub = l->yuv420 && p > 0;

		ret = check_plane(f, l, p, f->width >> sub, f->height >> sub,
				  &ps[p], &rs[p], &extent[p], err);
		if (ret)
			return ret;
	}
	s = mnet_model_input_shape(m);
	if (s.c != 3)
		return mnet_err_set(err, -EINVAL,
				    "frame: %s takes %d input channels, not RGB",
				    m->name, s.c);
	if (!dst || count < mnet_shape_elems(s))
		return mnet_err_set(err, -EINVAL,
				    "frame: the output holds %zu floats; %s needs %zu",
				    count, m->name, mnet_shape_elems(s));
	for (c = 0; c < 3; c++) {
		p = l->plane[c];
		fc->plane[c] = f->planes[p].data;
		fc->chan_off[c] = l->chan_off[c];
		fc->row_stride[c] = rs[p];
		fc->pix_stride[c] = ps[p];
		fc->sub[c] = l->yuv420 && c > 0;
		fc->extent[c] = extent[p];
	}
	fc->ow = s.w;
	fc->oh = s.h;
	fc->quantized = m->input_quant.quantized;
	fc->is_signed = m->input_quant.is_signed;
	fc->scale = m->input_quant.scale;
	fc->zero_point = m->input_quant.zero_point;
	fc->dst = dst;
	fc->dst_u8 = NULL;
	return 0;
}

int mnet_frame_preprocess(const struct mnet_frame *f,
			  const struct mnet_model *m, float *dst,
			  size_t count, struct mnet_err *err)
{
	const struct mnet_fconv_kernel *k;
	struct mnet_fconv fc;
	void *tabs;
	int ret;

	ret = mnet_frame_resolve(f, m, dst, count, &fc, err);
	if (ret)
		return ret;
	tabs = malloc(mnet_fconv_tabs_bytes(&fc));
	if (!tabs)
		return mnet_err_set(err, -ENOMEM, "frame: out of memory");
	k = mnet_fconv_kernel_get(getenv("MNET_CPU"));
	mnet_fconv_run(&fc, k, NULL, tabs);
	free(tabs);
	return 0;
}
