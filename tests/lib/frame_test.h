/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frame_test.h - building camera frames in the frame suites (header only:
 * one executable per tests/frame/test_*.c)
 *
 * A frame owns one buffer holding its planes, each with @pad bytes of
 * garbage after every row, so strides are never the packed ones.
 */
#ifndef MNET_TESTS_FRAME_TEST_H
#define MNET_TESTS_FRAME_TEST_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnet/mnet.h"

/* BT.601 full range, RGB to Y, Cb, Cr, rounded and clamped */
static inline uint8_t ft_clamp(double v)
{
	v = floor(v + 0.5);
	return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

static inline void ft_rgb_yuv(const uint8_t *p, int full, double *y,
			      double *u, double *v)
{
	double r = p[0], g = p[1], b = p[2];

	*y = 0.299 * r + 0.587 * g + 0.114 * b;
	*u = -0.168736 * r - 0.331264 * g + 0.5 * b + 128.0;
	*v = 0.5 * r - 0.418688 * g - 0.081312 * b + 128.0;
	if (!full) {
		*y = 16.0 + *y * 219.0 / 255.0;
		*u = 128.0 + (*u - 128.0) * 224.0 / 255.0;
		*v = 128.0 + (*v - 128.0) * 224.0 / 255.0;
	}
}

/**
 * ft_frame_from_rgb() - a frame of @fmt holding the @w x @h RGB pixels
 * @rgb: w*h*3 bytes (w and h even for the 4:2:0 formats)
 * @w: width
 * @h: height
 * @fmt: format to build
 * @full: BT.601 full range (else limited)
 * @pad: bytes of garbage after each row of each plane
 * @f: receives the descriptor (rotation, mirror, crop zero)
 *
 * Return: the buffer to free() afterwards, or NULL.
 */
static inline uint8_t *ft_frame_from_rgb(const uint8_t *rgb, int w, int h,
					 enum mnet_frame_format fmt, int full,
					 int pad, struct mnet_frame *f)
{
	size_t ys = (size_t)w + pad, cs, total;
	int x, y, cw = w / 2, ch = h / 2;
	uint8_t *buf, *yp, *c1, *c2;

	memset(f, 0, sizeof(*f));
	f->format = fmt;
	f->width = w;
	f->height = h;
	f->range = full ? MNET_FRAME_RANGE_FULL : MNET_FRAME_RANGE_LIMITED;
	if (fmt == MNET_FRAME_RGBA8888 || fmt == MNET_FRAME_BGRA8888 ||
	    fmt == MNET_FRAME_RGB888) {
		int bpp = fmt == MNET_FRAME_RGB888 ? 3 : 4;
		size_t rs = (size_t)w * bpp + pad;

		buf = malloc(rs * h);
		if (!buf)
			return NULL;
		memset(buf, 0xa5, rs * h);
		for (y = 0; y < h; y++)
			for (x = 0; x < w; x++) {
				const uint8_t *s = rgb + ((size_t)y * w + x) * 3;
				uint8_t *d = buf + y * rs + (size_t)x * bpp;
				int bgr = fmt == MNET_FRAME_BGRA8888;

				d[0] = s[bgr ? 2 : 0];
				d[1] = s[1];
				d[2] = s[bgr ? 0 : 2];
				if (bpp == 4)
					d[3] = 0x5a;
			}
		f->planes[0].data = buf;
		f->planes[0].row_stride = (int)rs;
		return buf;
	}
	cs = fmt == MNET_FRAME_I420 ? (size_t)cw + pad : (size_t)w + pad;
	total = ys * h + cs * ch * (fmt == MNET_FRAME_I420 ? 2 : 1);
	buf = malloc(total);
	if (!buf)
		return NULL;
	memset(buf, 0xa5, total);
	yp = buf;
	c1 = buf + ys * h;
	c2 = c1 + cs * ch;
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			double yy, u, v;

			ft_rgb_yuv(rgb + ((size_t)y * w + x) * 3, full, &yy, &u,
				   &v);
			yp[y * ys + x] = ft_clamp(yy);
		}
	for (y = 0; y < ch; y++)
		for (x = 0; x < cw; x++) {
			double su = 0, sv = 0, yy, u, v;
			int i;

			for (i = 0; i < 4; i++) {
				ft_rgb_yuv(rgb + ((size_t)(2 * y + i / 2) * w +
						  2 * x + i % 2) * 3, full,
					   &yy, &u, &v);
				su += u;
				sv += v;
			}
			if (fmt == MNET_FRAME_I420) {
				c1[y * cs + x] = ft_clamp(su / 4);
				c2[y * cs + x] = ft_clamp(sv / 4);
			} else {
				int vf = fmt == MNET_FRAME_NV21;

				c1[y * cs + 2 * x + !vf] = ft_clamp(sv / 4);
				c1[y * cs + 2 * x + vf] = ft_clamp(su / 4);
			}
		}
	f->planes[0].data = yp;
	f->planes[0].row_stride = (int)ys;
	f->planes[1].data = c1;
	f->planes[1].row_stride = (int)cs;
	if (fmt == MNET_FRAME_I420) {
		f->planes[2].data = c2;
		f->planes[2].row_stride = (int)cs;
	}
	return buf;
}

/**
 * ft_rotate_cw() - the @w x @h RGB pixels turned a quarter clockwise
 * @rgb: w*h*3 bytes
 * @w: width
 * @h: height
 *
 * Return: h*w*3 bytes (now @h wide, @w tall) to free(), or NULL.
 */
static inline uint8_t *ft_rotate_cw(const uint8_t *rgb, int w, int h)
{
	uint8_t *out = malloc((size_t)w * h * 3);
	int x, y;

	if (!out)
		return NULL;
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			/* (x, y) goes to column h-1-y, row x */
			memcpy(out + ((size_t)x * h + (h - 1 - y)) * 3,
			       rgb + ((size_t)y * w + x) * 3, 3);
	return out;
}

#endif /* MNET_TESTS_FRAME_TEST_H */
