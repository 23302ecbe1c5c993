// SPDX-License-Identifier: Apache-2.0
/*
 * frame_vs_libyuv.c - our one-pass frame conversion against what an app
 * would write with libyuv: I420 or NV21 to RGB with libyuv, then our
 * image path (mnet_image_from_rgb() + mnet_image_preprocess()).
 *
 * Built and run by tools/bench/bench-frame.sh (Debian's libyuv-dev):
 *   frame_vs_libyuv W H RES RUNS
 * prints one line per format: key=value pairs, times in ms (the median of
 * RUNS, single-threaded on both sides): libyuv's conversion of the whole
 * frame alone, with our image path after it (what the app runs), and
 * mnet_frame_preprocess() doing all of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libyuv.h>

#include "mnet/mnet.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	int w = argc > 1 ? atoi(argv[1]) : 640, h = argc > 2 ? atoi(argv[2]) : 480;
	int res = argc > 3 ? atoi(argv[3]) : 224, runs = argc > 4 ? atoi(argv[4]) : 50;
	size_t ys = (size_t)w * h, n = (size_t)res * res * 3;
	uint8_t *yuv = malloc(ys * 3 / 2), *rgb = malloc(ys * 3);
	float *a = malloc(n * sizeof(float)), *b = malloc(n * sizeof(float));
	double *tl = malloc(runs * sizeof(double)), *tm = malloc(runs * sizeof(double));
	double *ty = malloc(runs * sizeof(double));
	struct mnet_model *m = NULL;
	int fmt, i;

	if (!yuv || !rgb || !a || !b || !tl || !tm || !ty ||
	    mnet_model_create_synthetic(0.25f, res, &m, NULL))
		return 1;
	srand(1);
	for (i = 0; i < (int)(ys * 3 / 2); i++)
		yuv[i] = (uint8_t)(rand() >> 4);
	for (fmt = 0; fmt < 2; fmt++) {
		struct mnet_frame f = {
			.format = fmt ? MNET_FRAME_NV21 : MNET_FRAME_I420,
			.width = w, .height = h,
			.range = MNET_FRAME_RANGE_LIMITED,
		};

		f.planes[0].data = yuv;
		f.planes[1].data = yuv + ys;
		f.planes[2].data = yuv + ys + ys / 4;
		for (i = 0; i < runs; i++) {
			struct mnet_image *img = NULL;
			double t0 = now_ms();

			if (fmt)
				NV21ToRAW(yuv, w, yuv + ys, w, rgb, w * 3, w, h);
			else
				I420ToRAW(yuv, w, yuv + ys, w / 2,
					  yuv + ys + ys / 4, w / 2, rgb, w * 3,
					  w, h);
			ty[i] = now_ms() - t0;
			if (mnet_image_from_rgb(rgb, w, h, &img) ||
			    mnet_image_preprocess(img, m, 1.0f, a, n))
				return 1;
			mnet_image_free(img);
			tl[i] = now_ms() - t0;
			t0 = now_ms();
			if (mnet_frame_preprocess(&f, m, b, n, NULL))
				return 1;
			tm[i] = now_ms() - t0;
		}
		printf("format=%s frame=%dx%d out=%d libyuv_ms=%.3f libyuv_plus_image_ms=%.3f mnet_frame_ms=%.3f\n",
		       fmt ? "NV21" : "I420", w, h, res, median(ty, runs),
		       median(tl, runs), median(tm, runs));
	}
	mnet_model_free(m);
	return 0;
}
