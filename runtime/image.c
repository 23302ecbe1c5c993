// SPDX-License-Identifier: Apache-2.0
/*
 * image.c - image decoding (stb_image) and TF-slim evaluation preprocessing
 *
 * DOC: preprocessing
 *
 * Decoding is stb_image's (Debian libstb): BMP, JPEG, PNG, forced to 3
 * channels so grayscale and RGBA come out as RGB.  The header is read first
 * (stbi_info) so an absurd width/height is refused before any decode.
 *
 * Preprocessing follows TF-slim's evaluation path: a central crop keeping
 * @crop of each side (offset int((side - side*crop)/2), as
 * tf.image.central_crop), a bilinear resize to the model's input with
 * half-pixel centres (tf.image.resize), then the model's own input mapping:
 * for a quantized input, the resized value is rounded to the uint8 pixel
 * the model was fed in training and mapped through the input tensor's
 * scale and zero point; for a float input, x/127.5 - 1.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image.h>

#include "image.h"
#include "model.h"

int mnet_image_load(const char *path, struct mnet_image **out,
		    struct mnet_err *err)
{
	struct mnet_image *img;
	int w, h, n;
	uint8_t *px;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		return mnet_err_set(err, errno == ENOENT ? -ENOENT : -EIO,
				    "%s: cannot open: %s", path,
				    strerror(errno));
	if (!stbi_info_from_file(f, &w, &h, &n)) {
		fclose(f);
		return mnet_err_set(err, -EINVAL,
				    "%s: not a readable BMP, JPEG or PNG image (%s)",
				    path, stbi_failure_reason());
	}
	if (w < 1 || h < 1 || w > MNET_IMAGE_MAX_SIDE ||
	    h > MNET_IMAGE_MAX_SIDE) {
		fclose(f);
		return mnet_err_set(err, -EFBIG,
				    "%s: image is %dx%d; the limit is %d per side",
				    path, w, h, MNET_IMAGE_MAX_SIDE);
	}
	fseek(f, 0, SEEK_SET);
	px = stbi_load_from_file(f, &w, &h, &n, 3);
	fclose(f);
	if (!px)
		return mnet_err_set(err, -EINVAL,
				    "%s: corrupt or truncated image (%s)", path,
				    stbi_failure_reason());
	img = calloc(1, sizeof(*img));
	if (!img) {
		stbi_image_free(px);
		return mnet_err_set(err, -ENOMEM, "%s: out of memory", path);
	}
	img->w = w;
	img->h = h;
	/* keep ownership simple: our own copy, freed with free() */
	img->rgb = malloc((size_t)w * h * 3);
	if (!img->rgb) {
		stbi_image_free(px);
		free(img);
		return mnet_err_set(err, -ENOMEM, "%s: out of memory", path);
	}
	memcpy(img->rgb, px, (size_t)w * h * 3);
	stbi_image_free(px);
	*out = img;
	return 0;
}

int mnet_image_from_rgb(const uint8_t *rgb, int w, int h,
			struct mnet_image **out)
{
	struct mnet_image *img;

	if (!rgb || w < 1 || h < 1 || w > MNET_IMAGE_MAX_SIDE ||
	    h > MNET_IMAGE_MAX_SIDE)
		return -EINVAL;
	img = calloc(1, sizeof(*img));
	if (!img)
		return -ENOMEM;
	img->rgb = malloc((size_t)w * h * 3);
	if (!img->rgb) {
		free(img);
		return -ENOMEM;
	}
	memcpy(img->rgb, rgb, (size_t)w * h * 3);
	img->w = w;
	img->h = h;
	*out = img;
	return 0;
}

void mnet_image_free(struct mnet_image *img)
{
	if (!img)
		return;
	free(img->rgb);
	free(img);
}

void mnet_image_size(const struct mnet_image *img, int *w, int *h)
{
	if (w)
		*w = img->w;
	if (h)
		*h = img->h;
}

/* Source coordinate and weights for output index @o (half-pixel centres). */
static void bilinear_axis(int o, int out_n, int in_off, int in_n, int *i0,
			  int *i1, float *f)
{
	float s = ((float)o + 0.5f) * (float)in_n / (float)out_n - 0.5f;
	int lo;

	if (s < 0.0f)
		s = 0.0f;
	lo = (int)floorf(s);
	if (lo > in_n - 1)
		lo = in_n - 1;
	*f = s - (float)lo;
	*i0 = in_off + lo;
	*i1 = in_off + (lo + 1 < in_n ? lo + 1 : in_n - 1);
}

static float map_pixel(const struct mnet_input_quant *q, float v)
{
	float p;

	if (!q->quantized)
		return v / 127.5f - 1.0f;
	/* the 8-bit value the quantized model would have been fed */
	p = floorf(v + 0.5f);
	if (p < 0.0f)
		p = 0.0f;
	if (p > 255.0f)
		p = 255.0f;
	if (q->is_signed)
		p -= 128.0f;
	return q->scale * (p - (float)q->zero_point);
}

int mnet_image_preprocess(const struct mnet_image *img,
			  const struct mnet_model *m, float crop, float *dst,
			  size_t count)
{
	struct mnet_shape s = mnet_model_input_shape(m);
	int cy, cx, ch, cw, y, x, c;

	if (!(crop > 0.0f && crop <= 1.0f) || s.c != 3 ||
	    count < mnet_shape_elems(s))
		return -EINVAL;
	cy = (int)((img->h - img->h * crop) / 2.0f);
	cx = (int)((img->w - img->w * crop) / 2.0f);
	ch = img->h - 2 * cy;
	cw = img->w - 2 * cx;
	if (ch < 1 || cw < 1)
		return -EINVAL;
	for (y = 0; y < s.h; y++) {
		int y0, y1;
		float fy;

		bilinear_axis(y, s.h, cy, ch, &y0, &y1, &fy);
		for (x = 0; x < s.w; x++) {
			int x0, x1;
			float fx;

			bilinear_axis(x, s.w, cx, cw, &x0, &x1, &fx);
			for (c = 0; c < 3; c++) {
				const uint8_t *p = img->rgb;
				size_t w = (size_t)img->w;
				float a = p[(y0 * w + x0) * 3 + c];
				float b = p[(y0 * w + x1) * 3 + c];
				float d = p[(y1 * w + x0) * 3 + c];
				float e = p[(y1 * w + x1) * 3 + c];
				float top = a + (b - a) * fx;
				float bot = d + (e - d) * fx;

				dst[((size_t)y * s.w + x) * 3 + c] =
					map_pixel(&m->input_quant,
						  top + (bot - top) * fy);
			}
		}
	}
	return 0;
}
