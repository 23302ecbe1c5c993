// SPDX-License-Identifier: Apache-2.0
/*
 * test_frame.c - camera frame conversion: fast paths against the plain C
 * reference, frames made from a photo against the image path, bad frames
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/test_util.h"
#include "lib/frame_test.h"
#include "frame/frame.h"
#include "frame/frame_conv.h"
#include "image/image.h"
#include "threads/threadpool.h"

static const enum mnet_frame_format formats[] = {
	MNET_FRAME_NV21, MNET_FRAME_NV12, MNET_FRAME_I420,
	MNET_FRAME_RGBA8888, MNET_FRAME_BGRA8888, MNET_FRAME_RGB888,
};

/**
 * struct geom_case - a frame geometry and an output size
 * @name: what it exercises
 * @w: frame width (made even for the 4:2:0 formats)
 * @h: frame height (likewise)
 * @crop: crop rectangle (all zero: whole frame)
 * @ow: output width
 * @oh: output height
 * @pad: bytes after each row of each plane
 * @cps: chroma pixel stride for I420 (0: packed; 2: Android YUV_420_888)
 */
static const struct geom_case {
	const char *name;
	int w, h;
	struct mnet_frame_rect crop;
	int ow, oh, pad, cps;
} geoms[] = {
	{ "odd 37x23, whole, down to 13x11", 37, 23, { 0 }, 13, 11, 5, 0 },
	{ "crop at an odd offset", 40, 30, { 5, 3, 21, 15 }, 16, 16, 3, 2 },
	{ "up-sampled crop", 20, 14, { 1, 1, 7, 5 }, 29, 17, 0, 2 },
	{ "tall frame", 18, 64, { 0 }, 24, 9, 7, 0 },
	{ "tiny frame", 1, 1, { 0 }, 9, 9, 0, 0 },
	{ "one-row crop", 33, 9, { 2, 4, 31, 1 }, 20, 3, 1, 0 },
	/* sixteen-lane rows with a tail, rows shared or not */
	{ "wide crop, 16 lanes and a tail", 101, 67, { 3, 2, 90, 60 }, 53, 35,
	  9, 2 },
	{ "down by 3.3 and 2.5", 213, 160, { 0 }, 64, 64, 4, 0 },
	{ "up-sampled, rows shared", 24, 18, { 0 }, 48, 40, 2, 2 },
	{ "wider than the row cache", 90, 50, { 0 }, 272, 7, 0, 0 },
	/* the row-wise converter's 128-column windows: filled, and too small */
	{ "down by 6.1", 390, 62, { 0 }, 64, 10, 6, 0 },
	{ "down by 9.1", 580, 40, { 0 }, 64, 4, 0, 2 },
};

static int fmt_yuv(enum mnet_frame_format f)
{
	return f == MNET_FRAME_NV21 || f == MNET_FRAME_NV12 ||
	       f == MNET_FRAME_I420;
}

/* A random frame of @fmt with @g's geometry; returns the buffer. */
static uint8_t *random_frame(enum mnet_frame_format fmt,
			     const struct geom_case *g, unsigned int seed,
			     struct mnet_frame *f)
{
	int w = g->w, h = g->h, bpp, n_planes, p;
	size_t off[3], total = 0, i;
	uint8_t *buf;

	if (fmt_yuv(fmt)) {
		w += w & 1;
		h += h & 1;
	}
	memset(f, 0, sizeof(*f));
	f->format = fmt;
	f->width = w;
	f->height = h;
	f->crop = g->crop;
	bpp = fmt == MNET_FRAME_RGB888 ? 3 : 4;
	n_planes = fmt == MNET_FRAME_I420 ? 3 : fmt_yuv(fmt) ? 2 : 1;
	for (p = 0; p < n_planes; p++) {
		int cols = p ? w / 2 : w, rows = p ? h / 2 : h, ps;

		if (!fmt_yuv(fmt))
			ps = bpp;
		else if (!p)
			ps = 1;
		else if (fmt == MNET_FRAME_I420)
			ps = g->cps ? g->cps : 1;
		else
			ps = 2;
		f->planes[p].pixel_stride = p && g->cps ? ps : 0;
		f->planes[p].row_stride = cols * ps + g->pad;
		off[p] = total;
		total += (size_t)f->planes[p].row_stride * rows;
	}
	buf = malloc(total);
	if (!buf)
		return NULL;
	srand(seed);
	for (i = 0; i < total; i++)
		buf[i] = (uint8_t)(rand() >> 7);
	for (p = 0; p < n_planes; p++)
		f->planes[p].data = buf + off[p];
	return buf;
}

/* Largest difference in 8-bit pixel steps between two conversions. */
static double lsb_diff(const struct mnet_fconv *fc, const float *a,
		       const float *b, size_t n)
{
	double unit = fc->quantized ? fc->scale : 1.0 / 127.5, m = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double d = fabs((double)a[i] - (double)b[i]) / unit;

		if (d > m)
			m = d;
	}
	return m;
}

static struct mnet_model *small_model(void)
{
	struct mnet_model *m = NULL;

	CU_ASSERT_EQUAL(mnet_model_create_synthetic(0.25f, 32, &m, NULL), 0);
	return m;
}

#define NK 4

/*
 * The quantized input as bytes (&struct mnet_fconv.dst_u8): the oracle's
 * bytes are its floats' quantization exactly, and every converter's are
 * within one step of them.
 */
static int check_bytes(struct mnet_fconv *fc,
		       const struct mnet_fconv_kernel *const k[NK],
		       struct mnet_threadpool *tp, const float *ref_f,
		       void *tabs, const char *what)
{
	size_t n = (size_t)fc->ow * fc->oh * 3, j;
	uint8_t *ref = malloc(n), *got = malloc(n);
	int i, bad = 0, flip = fc->is_signed ? 0x80 : 0;

	CU_ASSERT_FATAL(ref && got);
	fc->dst_u8 = ref;
	mnet_fconv_ref(fc);
	for (j = 0; j < n; j++) {
		float q = roundf(ref_f[j] / fc->scale) + (float)fc->zero_point;

		int b = fc->is_signed ? (int)(int8_t)ref[j] : (int)ref[j];

		if (b != (int)q) {
			bad = 1;
			break;
		}
	}
	if (bad)
		printf("\n  %s: reference bytes are not its floats' quantization",
		       what);
	for (i = 0; i < 2 * NK; i++) {
		int d = 0;

		fc->dst_u8 = got;
		memset(got, 0x55, n);
		mnet_fconv_run(fc, k[i % NK], i >= NK ? tp : NULL, tabs);
		for (j = 0; j < n; j++) {
			int e = abs((int)(got[j] ^ flip) - (int)(ref[j] ^ flip));

			d = e > d ? e : d;
		}
		if (d > 1) {
			printf("\n  %s: %s%s bytes are %d steps off the reference",
			       what, k[i % NK]->name, i >= NK ? " threaded" : "",
			       d);
			bad = 1;
		}
	}
	fc->dst_u8 = NULL;
	free(got);
	free(ref);
	return bad;
}

/* One frame through the oracle and every fast path. */
static int check_one(struct mnet_fconv *fc, struct mnet_threadpool *tp,
		     const char *what)
{
	/* every converter this CPU has (those it lacks give the nearest) */
	const struct mnet_fconv_kernel *k[NK] = {
		mnet_fconv_kernel_get("scalar"), mnet_fconv_kernel_get("avx2"),
		mnet_fconv_kernel_get("avx512"), mnet_fconv_kernel_get(NULL),
	};
	size_t n = (size_t)fc->ow * fc->oh * 3;
	float *ref = malloc(n * sizeof(float));
	float *got = malloc(n * sizeof(float));
	void *tabs = malloc(mnet_fconv_tabs_bytes(fc));
	int i, bad = 0;

	CU_ASSERT_FATAL(ref && got && tabs);
	fc->dst = ref;
	mnet_fconv_ref(fc);
	for (i = 0; i < 2 * NK; i++) {
		double d;

		fc->dst = got;
		memset(got, 0xff, n * sizeof(float));	/* NaN */
		mnet_fconv_run(fc, k[i % NK], i >= NK ? tp : NULL, tabs);
		d = lsb_diff(fc, got, ref, n);
		if (!(d <= 1.0 + 1e-3)) {
			printf("\n  %s: %s%s is %.3f LSB off the reference",
			       what, k[i % NK]->name, i >= NK ? " threaded" : "",
			       d);
			bad = 1;
		}
	}
	if (fc->quantized)
		bad |= check_bytes(fc, k, tp, ref, tabs, what);
	free(tabs);
	free(got);
	free(ref);
	return bad;
}

static void test_fast_matches_ref(void)
{
	struct mnet_model *m = small_model();
	struct mnet_threadpool *tp = NULL;
	float *dummy = malloc(32 * 32 * 3 * sizeof(float));
	unsigned int g, fi, seed = 1;
	int rot, mir, quant, bad = 0, runs = 0;

	CU_ASSERT_FATAL(m && dummy);
	CU_ASSERT_EQUAL_FATAL(mnet_threadpool_init(3, &tp), 0);
	printf("\n  fast converter: %s", mnet_fconv_kernel_get(NULL)->name);
	for (g = 0; g < sizeof(geoms) / sizeof(geoms[0]); g++)
	for (fi = 0; fi < sizeof(formats) / sizeof(formats[0]); fi++)
	for (rot = 0; rot < 360; rot += 90)
	for (mir = 0; mir < 2; mir++) {
		struct mnet_frame f;
		struct mnet_fconv fc;
		struct mnet_err err = { 0 };
		char what[160];
		uint8_t *buf;

		if (geoms[g].w == 1 && fmt_yuv(formats[fi]))
			continue;	/* 2x2 is the least 4:2:0 */
		buf = random_frame(formats[fi], &geoms[g], seed++, &f);
		CU_ASSERT_FATAL(buf != NULL);
		f.rotation = rot;
		f.mirror = mir;
		f.range = (enum mnet_frame_range)(seed & 1);
		CU_ASSERT_EQUAL_FATAL(mnet_frame_resolve(&f, m, dummy,
							 32 * 32 * 3, &fc,
							 &err), 0);
		fc.ow = geoms[g].ow;
		fc.oh = geoms[g].oh;
		/* float; uint8 (zero point 128); int8 (pixel - 128, zp -1) */
		for (quant = 0; quant < 3; quant++) {
			fc.quantized = quant > 0;
			fc.is_signed = quant == 2;
			fc.scale = 0.0078125f;
			fc.zero_point = quant == 2 ? -1 : 128;
			snprintf(what, sizeof(what), "%s, %s, rot %d%s%s",
				 geoms[g].name,
				 mnet_frame_format_name(formats[fi]), rot,
				 mir ? ", mirrored" : "",
				 quant == 1 ? ", uint8 mapping" :
				 quant == 2 ? ", int8 mapping" : "");
			bad |= check_one(&fc, tp, what);
			runs++;
		}
		free(buf);
	}
	printf("\n  %d conversions x %d paths checked ", runs, 2 * NK);
	CU_ASSERT_EQUAL(bad, 0);
	mnet_threadpool_fini(tp);
	free(dummy);
	mnet_model_free(m);
}

/*
 * A photo as an RGB888 frame gives the image path's input exactly, also
 * turned a quarter clockwise with a rotation of 270 to undo it, and
 * mirrored twice; the central crop becomes the equivalent rectangle.
 */
static void test_photo_equals_image_path(void)
{
	struct mnet_model *m = NULL;
	struct mnet_image *img = NULL;
	struct mnet_frame f;
	float *a, *b;
	uint8_t *buf, *rot = NULL, *mir = NULL;
	int cx, cy, cw, ch, w, h, x, y, i;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(mnet_model_create_synthetic(0.25f, 128, &m,
							  NULL), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(
		"images/cat.bmp"), &img, NULL), 0);
	w = img->w;
	h = img->h;
	n = 128 * 128 * 3;
	a = malloc(n * sizeof(float));
	b = malloc(n * sizeof(float));
	CU_ASSERT_FATAL(a && b);
	CU_ASSERT_EQUAL(mnet_image_preprocess(img, m, 0.875f, a, n), 0);
	cy = (int)((h - h * 0.875f) / 2.0f);
	cx = (int)((w - w * 0.875f) / 2.0f);
	ch = h - 2 * cy;
	cw = w - 2 * cx;

	buf = ft_frame_from_rgb(img->rgb, w, h, MNET_FRAME_RGB888, 1, 3, &f);
	f.crop = (struct mnet_frame_rect){ cx, cy, cw, ch };
	CU_ASSERT_EQUAL(mnet_frame_preprocess(&f, m, b, n, NULL), 0);
	CU_ASSERT_EQUAL(memcmp(a, b, n * sizeof(float)), 0);
	free(buf);

	rot = ft_rotate_cw(img->rgb, w, h);
	buf = ft_frame_from_rgb(rot, h, w, MNET_FRAME_BGRA8888, 1, 0, &f);
	f.rotation = 270;
	f.crop = (struct mnet_frame_rect){ h - cy - ch, cx, ch, cw };
	CU_ASSERT_EQUAL(mnet_frame_preprocess(&f, m, b, n, NULL), 0);
	CU_ASSERT_EQUAL(memcmp(a, b, n * sizeof(float)), 0);
	free(buf);

	mir = malloc((size_t)w * h * 3);
	CU_ASSERT_FATAL(mir != NULL);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			for (i = 0; i < 3; i++)
				mir[((size_t)y * w + w - 1 - x) * 3 + i] =
					img->rgb[((size_t)y * w + x) * 3 + i];
	buf = ft_frame_from_rgb(mir, w, h, MNET_FRAME_RGBA8888, 1, 1, &f);
	f.mirror = 1;
	f.crop = (struct mnet_frame_rect){ w - cx - cw, cy, cw, ch };
	CU_ASSERT_EQUAL(mnet_frame_preprocess(&f, m, b, n, NULL), 0);
	CU_ASSERT_EQUAL(memcmp(a, b, n * sizeof(float)), 0);
	free(buf);

	free(mir);
	free(rot);
	free(b);
	free(a);
	mnet_image_free(img);
	mnet_model_free(m);
}

/**
 * struct bad_case - one thing wrong with an otherwise good NV21 frame
 * @name: the fault
 * @field: which field to spoil (see spoil())
 * @value: the bad value
 * @msg: what the message must say
 */
static const struct bad_case {
	const char *name;
	int field, value;
	const char *msg;
} bad_cases[] = {
	{ "null Y plane", 0, 0, "plane 0 (Y) is NULL" },
	{ "null chroma plane", 1, 0, "plane 1 (chroma) is NULL" },
	{ "Y stride smaller than the width", 2, 63, "row stride 63" },
	{ "chroma stride smaller than a row", 3, 40, "row stride 40" },
	{ "negative stride", 2, -64, "row stride -64" },
	{ "crop outside the frame", 4, 60, "not inside the 64x48 frame" },
	{ "crop of negative size", 5, -1, "not inside" },
	{ "odd width for 4:2:0", 6, 63, "even width and height" },
	{ "odd height for 4:2:0", 7, 47, "even width and height" },
	{ "unknown format", 8, 99, "unknown pixel format 99" },
	{ "no format (zeroed)", 8, 0, "unknown pixel format 0" },
	{ "rotation of 45 degrees", 9, 45, "rotation 45" },
	{ "chroma pixel stride of 1", 10, 1, "pixel stride 1" },
	{ "zero width", 6, 0, "each side must be" },
	{ "absurd height", 7, 1 << 20, "each side must be" },
	{ "unknown range", 11, 7, "unknown range 7" },
};

static void spoil(struct mnet_frame *f, const struct bad_case *c)
{
	switch (c->field) {
	case 0: f->planes[0].data = NULL; break;
	case 1: f->planes[1].data = NULL; break;
	case 2: f->planes[0].row_stride = c->value; break;
	case 3: f->planes[1].row_stride = c->value; break;
	case 4: f->crop = (struct mnet_frame_rect){ c->value, 0, 8, 8 }; break;
	case 5: f->crop = (struct mnet_frame_rect){ 0, 0, c->value, 8 }; break;
	case 6: f->width = c->value; break;
	case 7: f->height = c->value; break;
	case 8: f->format = (enum mnet_frame_format)c->value; break;
	case 9: f->rotation = c->value; break;
	case 10: f->planes[1].pixel_stride = c->value; break;
	case 11: f->range = (enum mnet_frame_range)c->value; break;
	}
}

static void test_bad_frames(void)
{
	struct mnet_model *m = small_model();
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	uint8_t *rgb = calloc(64 * 48, 3), *buf;
	struct mnet_frame good;
	unsigned int i;

	CU_ASSERT_FATAL(m && rgb);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_CPU;
	o.threads = 2;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, NULL), 0);
	buf = ft_frame_from_rgb(rgb, 64, 48, MNET_FRAME_NV21, 1, 0, &good);
	CU_ASSERT_FATAL(buf != NULL);
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct mnet_err err = { 0 };
		struct mnet_frame f = good;
		int ret;

		spoil(&f, c);
		ret = mnet_session_run_frame(s, &f, &err);
		if (ret != -EINVAL || !strstr(err.msg, c->msg))
			printf("\n  %s: got %d \"%s\"", c->name, ret, err.msg);
		CU_ASSERT_EQUAL(ret, -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, c->msg));
		CU_ASSERT_EQUAL(err.code, -EINVAL);
	}
	CU_ASSERT_EQUAL(mnet_session_run_frame(s, NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mnet_session_run_frame(NULL, &good, NULL), -EINVAL);
	/* the session is still usable */
	CU_ASSERT_EQUAL(mnet_session_run_frame(s, &good, NULL), 0);
	free(buf);
	free(rgb);
	mnet_session_destroy(s);
	mnet_model_free(m);
}

/*
 * Each plane is copied so that it ends exactly where a PROT_NONE page
 * begins, and starts right after another: a converter reading one byte
 * past the bytes the descriptor spans (or before the plane) faults.
 */
struct guarded {
	uint8_t *map;
	size_t len;
};

static const uint8_t *guard_copy(const uint8_t *src, size_t n,
				 struct guarded *g)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t body = (n + pg - 1) / pg * pg;

	g->len = body + 2 * pg;
	g->map = mmap(NULL, g->len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->map == MAP_FAILED)
		return NULL;
	mprotect(g->map, pg, PROT_NONE);
	mprotect(g->map + pg + body, pg, PROT_NONE);
	/* at the end of the body, so the byte after it is the guard */
	memcpy(g->map + pg + body - n, src, n);
	return g->map + pg + body - n;
}

static void test_reads_stay_inside(void)
{
	static const struct geom_case gs[2] = {
		{ "whole", 30, 18, { 0 }, 21, 13, 0, 0 },
		{ "cropped", 30, 18, { 1, 1, 27, 15 }, 21, 13, 0, 2 },
	};
	struct mnet_model *m = small_model();
	float *dst = malloc(32 * 32 * 3 * sizeof(float));
	uint8_t *bytes = malloc(32 * 32 * 3);
	const struct mnet_fconv_kernel *k = mnet_fconv_kernel_get(NULL);
	unsigned int fi, gi;
	int rot, mir, p, runs = 0;

	CU_ASSERT_FATAL(m && dst && bytes);
	for (gi = 0; gi < 2; gi++)
	for (fi = 0; fi < sizeof(formats) / sizeof(formats[0]); fi++)
	for (rot = 0; rot < 360; rot += 90)
	for (mir = 0; mir < 2; mir++) {
		struct guarded gd[3] = { { 0 } };
		struct mnet_frame f;
		struct mnet_fconv fc;
		uint8_t *buf = random_frame(formats[fi], &gs[gi], 99, &f);
		int n_planes = formats[fi] == MNET_FRAME_I420 ? 3 :
			       fmt_yuv(formats[fi]) ? 2 : 1;
		void *tabs;

		CU_ASSERT_FATAL(buf != NULL);
		f.rotation = rot;
		f.mirror = mir;
		/* the bytes each plane spans: the last row has no padding */
		for (p = 0; p < n_planes; p++) {
			int sub = fmt_yuv(formats[fi]) && p;
			int ps = f.planes[p].pixel_stride ? f.planes[p].pixel_stride :
				 !fmt_yuv(formats[fi]) ?
				 (formats[fi] == MNET_FRAME_RGB888 ? 3 : 4) :
				 (p && formats[fi] != MNET_FRAME_I420 ? 2 : 1);
			int bpp = !fmt_yuv(formats[fi]) ? ps :
				  p && formats[fi] != MNET_FRAME_I420 ? 2 : 1;
			size_t n = (size_t)((f.height >> sub) - 1) *
				   f.planes[p].row_stride +
				   (size_t)((f.width >> sub) - 1) * ps + bpp;

			f.planes[p].data = guard_copy(f.planes[p].data, n, &gd[p]);
			CU_ASSERT_PTR_NOT_NULL_FATAL(f.planes[p].data);
		}
		CU_ASSERT_EQUAL_FATAL(mnet_frame_resolve(&f, m, dst, 32 * 32 * 3,
							 &fc, NULL), 0);
		tabs = malloc(mnet_fconv_tabs_bytes(&fc));
		CU_ASSERT_FATAL(tabs != NULL);
		mnet_fconv_ref(&fc);
		mnet_fconv_run(&fc, k, NULL, tabs);
		mnet_fconv_run(&fc, mnet_fconv_kernel_get("avx2"), NULL, tabs);
		mnet_fconv_run(&fc, mnet_fconv_kernel_get("scalar"), NULL, tabs);
		/* an int8 session's bytes: the row-wise AVX-512 converter */
		fc.quantized = 1;
		fc.is_signed = 1;
		fc.scale = 0.0078125f;
		fc.zero_point = -1;
		fc.dst_u8 = bytes;
		mnet_fconv_run(&fc, k, NULL, tabs);
		mnet_fconv_run(&fc, mnet_fconv_kernel_get("avx2"), NULL, tabs);
		runs++;
		free(tabs);
		for (p = 0; p < n_planes; p++)
			munmap(gd[p].map, gd[p].len);
		free(buf);
	}
	printf("\n  %d frames between guard pages, reference, scalar, %s and %s ",
	       runs, mnet_fconv_kernel_get("avx2")->name, k->name);
	free(bytes);
	free(dst);
	mnet_model_free(m);
}

static const CU_TestInfo tests[] = {
	{ "every format, rotation and mirror: fast paths = reference",
	  test_fast_matches_ref },
	{ "a photo as a frame = the image path (crop, rotation, mirror)",
	  test_photo_equals_image_path },
	{ "bad frames are clear errors", test_bad_frames },
	{ "reads stay inside the planes (guard pages)",
	  test_reads_stay_inside },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	if (!mnet_test_have_file("images/cat.bmp")) {
		printf("shared images not found: skipped\n");
		return 77;
	}
	return mnet_test_run_suite("frames", tests);
}
