// SPDX-License-Identifier: Apache-2.0
/*
 * seg_draw.c - the pictures of mnet-segment (stb_image_write for PNG,
 * Debian libstb, the library's stb_image companion)
 */
#include <errno.h>
#include <stb_image_write.h>

#include "lib/seg_draw.h"

void mnet_seg_color(int cls, uint8_t rgb[3])
{
	int r = 0, g = 0, b = 0, k;

	for (k = 0; k < 8; k++) {
		r |= ((cls >> (3 * k)) & 1) << (7 - k);
		g |= ((cls >> (3 * k + 1)) & 1) << (7 - k);
		b |= ((cls >> (3 * k + 2)) & 1) << (7 - k);
	}
	rgb[0] = (uint8_t)r;
	rgb[1] = (uint8_t)g;
	rgb[2] = (uint8_t)b;
}

void mnet_seg_render(const uint8_t *map, int mw, int mh, const uint8_t *photo,
		     int w, int h, float alpha, uint8_t *mask,
		     uint8_t *overlay)
{
	uint8_t pal[256][3];
	int x, y, k;

	for (k = 0; k < 256; k++)
		mnet_seg_color(k, pal[k]);
	for (y = 0; y < h; y++) {
		int my = (int)((long long)y * mh / h);

		for (x = 0; x < w; x++) {
			int mx = (int)((long long)x * mw / w);
			int cls = map[(size_t)my * mw + mx];
			size_t o = ((size_t)y * w + x) * 3;

			for (k = 0; k < 3; k++) {
				float v = (float)photo[o + k];

				mask[o + k] = pal[cls][k];
				if (cls)
					v = v * (1.0f - alpha) +
					    (float)pal[cls][k] * alpha;
				overlay[o + k] = (uint8_t)(v + 0.5f);
			}
		}
	}
}

int mnet_seg_write_png(const char *path, const uint8_t *px, int w, int h,
		       int channels)
{
	return stbi_write_png(path, w, h, channels, px, w * channels) ? 0 :
	       -EIO;
}
