// SPDX-License-Identifier: Apache-2.0
/*
 * pose_draw.c - keypoints as filled discs, the skeleton as thick lines,
 * one colour per pose; PNG through stb_image_write (Debian's libstb)
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <stb_image_write.h>

#include "lib/pose_draw.h"

const int mnet_pose_edges[MNET_POSE_EDGES][2] = {
	{ 0, 1 }, { 1, 3 }, { 0, 2 }, { 2, 4 }, { 0, 5 }, { 5, 7 },
	{ 7, 9 }, { 5, 11 }, { 11, 13 }, { 13, 15 }, { 0, 6 }, { 6, 8 },
	{ 8, 10 }, { 6, 12 }, { 12, 14 }, { 14, 16 },
};

const char *const mnet_pose_names[MNET_POSE_KEYPOINTS] = {
	"nose", "leftEye", "rightEye", "leftEar", "rightEar",
	"leftShoulder", "rightShoulder", "leftElbow", "rightElbow",
	"leftWrist", "rightWrist", "leftHip", "rightHip", "leftKnee",
	"rightKnee", "leftAnkle", "rightAnkle",
};

static const uint8_t palette[][3] = {
	{ 255, 64, 64 }, { 64, 200, 255 }, { 255, 220, 0 }, { 120, 255, 80 },
	{ 255, 80, 255 }, { 255, 150, 40 },
};

static void disc(uint8_t *rgb, int w, int h, int cx, int cy, int r,
		 const uint8_t *col)
{
	int x, y;

	for (y = cy - r; y <= cy + r; y++) {
		for (x = cx - r; x <= cx + r; x++) {
			uint8_t *p;

			if (x < 0 || y < 0 || x >= w || y >= h ||
			    (x - cx) * (x - cx) + (y - cy) * (y - cy) > r * r)
				continue;
			p = rgb + ((size_t)y * w + x) * 3;
			p[0] = col[0];
			p[1] = col[1];
			p[2] = col[2];
		}
	}
}

/* A line of discs of radius @r, one per pixel of its length. */
static void line(uint8_t *rgb, int w, int h, float x0, float y0, float x1,
		 float y1, int r, const uint8_t *col)
{
	float len = hypotf(x1 - x0, y1 - y0);
	int k, n = (int)len + 1;

	for (k = 0; k <= n; k++) {
		float t = (float)k / (float)n;

		disc(rgb, w, h, (int)lroundf(x0 + t * (x1 - x0)),
		     (int)lroundf(y0 + t * (y1 - y0)), r, col);
	}
}

void mnet_pose_draw(uint8_t *rgb, int w, int h, const struct mnet_pose *poses,
		    int n, float min_score)
{
	int side = w < h ? w : h;
	int lw = side / 240 + 1, kr = side / 120 + 2;
	int i, e, k;

	for (i = 0; i < n; i++) {
		const struct mnet_pose *p = &poses[i];
		const uint8_t *col = palette[i % (sizeof(palette) /
						  sizeof(palette[0]))];
		static const uint8_t white[3] = { 255, 255, 255 };

		for (e = 0; e < MNET_POSE_EDGES; e++) {
			int a = mnet_pose_edges[e][0], b = mnet_pose_edges[e][1];

			if (p->ks[a] < min_score || p->ks[b] < min_score)
				continue;
			line(rgb, w, h, p->x[a] * w, p->y[a] * h, p->x[b] * w,
			     p->y[b] * h, lw, col);
		}
		for (k = 0; k < MNET_POSE_KEYPOINTS; k++) {
			int x = (int)lroundf(p->x[k] * w);
			int y = (int)lroundf(p->y[k] * h);

			if (p->ks[k] < min_score)
				continue;
			disc(rgb, w, h, x, y, kr + 1, white);
			disc(rgb, w, h, x, y, kr, col);
		}
	}
}

int mnet_pose_write_png(const char *path, const uint8_t *rgb, int w, int h)
{
	return stbi_write_png(path, w, h, 3, rgb, w * 3) ? 0 : -EIO;
}
