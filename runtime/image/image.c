// SPDX-License-Identifier: Apache-2.0
/*
 * image.c - image decoding (stb_image) and TF-slim evaluation preprocessing
 *
 * DOC: preprocessing
 *
 * Decoding is stb_image's (Debian libstb): BMP, JPEG, PNG, forced to 3
 * channels so grayscale and RGBA come out as RGB.  Files are read whole
 * (at most MNET_IMAGE_MAX_FILE bytes) and decoded from memory, so files
 * and buffers share one path.  Only the BMP, JPEG and PNG signatures are
 * passed to stb_image, and the header is read first (stbi_info) so an
 * absurd width/height is refused before any decode.
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
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image.h>

#include "image/image.h"
#include "model/model.h"

/* Wrap stb_image's pixels in our own allocation (freed with free()). */
static int image_wrap(uint8_t *px, int w, int h, const char *name,
		      struct mnet_image **out, struct mnet_err *err)
{
	struct mnet_image *img;

	img = calloc(1, sizeof(*img));
	if (!img)
		goto out_free_px;
	img->w = w;
	img->h = h;
	img->rgb = malloc((size_t)w * h * 3);
	if (!img->rgb)
		goto out_free_img;
	memcpy(img->rgb, px, (size_t)w * h * 3);
	stbi_image_free(px);
	*out = img;
	return 0;

out_free_img:
	free(img);
out_free_px:
	stbi_image_free(px);
	return mnet_err_set(err, -ENOMEM, "%s: out of memory", name);
}

/* The header's claims, checked before stb_image allocates anything. */
static int image_check_size(int w, int h, const char *name,
			    struct mnet_err *err)
{
	if (w < 1 || h < 1 || w > MNET_IMAGE_MAX_SIDE ||
	    h > MNET_IMAGE_MAX_SIDE || (uint64_t)w * h > MNET_IMAGE_MAX_PIXELS)
		return mnet_err_set(err, -EFBIG,
				    "%s: image is %dx%d; the limit is %d per side and %llu pixels",
				    name, w, h, MNET_IMAGE_MAX_SIDE,
				    (unsigned long long)MNET_IMAGE_MAX_PIXELS);
	return 0;
}

int mnet_image_load(const char *path, struct mnet_image **out,
		    struct mnet_err *err)
{
	unsigned char *buf;
	long len;
	FILE *f;
	int ret;

	f = fopen(path, "rb");
	if (!f)
		return mnet_err_set(err, errno == ENOENT ? -ENOENT : -EIO,
				    "%s: cannot open: %s", path,
				    strerror(errno));
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		ret = mnet_err_set(err, -EIO, "%s: cannot read: %s", path,
				   strerror(errno));
		goto out_close;
	}
	if ((uint64_t)len > MNET_IMAGE_MAX_FILE) {
		ret = mnet_err_set(err, -EFBIG,
				   "%s: %ld bytes; the limit for an image file is %llu",
				   path, len,
				   (unsigned long long)MNET_IMAGE_MAX_FILE);
		goto out_close;
	}
	buf = malloc(len ? (size_t)len : 1);
	if (!buf) {
		ret = mnet_err_set(err, -ENOMEM, "%s: out of memory", path);
		goto out_close;
	}
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		ret = mnet_err_set(err, -EIO, "%s: cannot read", path);
	else
		ret = mnet_image_load_memory(buf, (size_t)len, path, out, err);
	free(buf);
out_close:
	fclose(f);
	return ret;
}

/*
 * stb_image also decodes TGA (guessed from a header with no signature),
 * GIF, PSD, PIC, PNM and HDR.  We promise BMP, JPEG and PNG, so only those
 * signatures reach it: less decoder code exposed to hostile files.
 */
static int buf_is_jpeg(const unsigned char *b, size_t len)
{
	return len >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff;
}

static int image_format_known(const unsigned char *b, size_t len)
{
	static const unsigned char png[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	};

	return (len >= 2 && b[0] == 'B' && b[1] == 'M') ||
	       buf_is_jpeg(b, len) ||
	       (len >= 8 && !memcmp(b, png, 8));
}

/* Whether @b is shorter than, and the start of, a PNG or JPEG signature. */
static int image_signature_cut(const unsigned char *b, size_t len)
{
	static const unsigned char png[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	};
	static const unsigned char jpeg[3] = { 0xff, 0xd8, 0xff };

	return (len < sizeof(png) && !memcmp(b, png, len)) ||
	       (len < sizeof(jpeg) && !memcmp(b, jpeg, len));
}

/*
 * Debian's libstb (stb_image 2.27) trusts a JPEG's Huffman tables in two
 * ways that tests/fuzz/fuzz_image.c broke:
 *
 *  - it builds a table from a DHT segment's 16 code counts without checking
 *    that they sum to at most 256, and writes past its 257-entry arrays
 *    when they do (stb_image 2.28 added the check);
 *  - a scan may select a table no DHT segment defined, and stb_image then
 *    decodes with whatever its freshly malloc'd context holds, indexing
 *    its 256-entry symbol array with garbage.
 *
 * Until the distribution's copy has the fixes, the file's markers are
 * walked first, as stb_image walks them: segments skipped by their
 * length, entropy-coded data up to the next marker, a DHT segment read
 * table by table as stbi__process_marker() reads it, and each SOS checked
 * against the tables defined before it (DC tables for a first DC scan,
 * AC tables for an AC scan, both in a sequential frame).
 *
 * The same walk tells a whole file from a cut one: stb_image decodes a
 * JPEG whose entropy-coded data stops early (the rest of the picture
 * comes out grey) and says "unknown image type" for one cut before its
 * frame header, so a file whose markers run out before EOI is refused
 * here as truncated.  A segment's body (an EXIF thumbnail's own EOI) is
 * skipped by its length, and 0xff in entropy-coded data is always
 * stuffed, so the EOI found is the file's own.
 */
static int dht_sane(const unsigned char *b, size_t len, size_t at,
		    unsigned char defined[2])
{
	long left = (long)((size_t)b[at + 2] << 8 | b[at + 3]) - 2;
	size_t p;

	for (p = at + 4; left > 0 && p < len;) {
		unsigned int i, n = 0, tc = b[p] >> 4, th = b[p] & 15;

		for (i = 0; i < 16 && p + 1 + i < len; i++)
			n += b[p + 1 + i];
		if (n > 256)
			return 0;
		if (tc < 2 && th < 4)
			defined[tc] |= (unsigned char)(1u << th);
		p += 17 + n;
		left -= 17 + (long)n;
	}
	return 1;
}

static int sos_sane(const unsigned char *b, size_t len, size_t at,
		    const unsigned char defined[2], int progressive)
{
	size_t p = at + 4, ns, i, end;
	int dc, ac;

	if (p >= len)
		return 1;	/* truncated: stb_image refuses it */
	ns = b[p];
	end = p + 1 + 2 * ns;
	if (end + 3 > len)
		return 1;
	/* Ss (spectral start) and Ah (successive approximation high) */
	dc = !progressive || (b[end] == 0 && (b[end + 2] >> 4) == 0);
	ac = !progressive || b[end] != 0;
	for (i = 0; i < ns; i++) {
		unsigned int td = b[p + 2 + 2 * i] >> 4;
		unsigned int ta = b[p + 2 + 2 * i] & 15;

		if (dc && (td > 3 || !(defined[0] & (1u << td))))
			return 0;
		if (ac && (ta > 3 || !(defined[1] & (1u << ta))))
			return 0;
	}
	return 1;
}

static int jpeg_tables_sane(const unsigned char *b, size_t len, int *complete)
{
	unsigned char defined[2] = { 0, 0 };
	int progressive = 0;
	size_t at = 2;

	*complete = 0;

	while (at + 1 < len) {
		unsigned char mk;

		if (b[at] != 0xff) {
			at++;		/* entropy-coded data */
			continue;
		}
		mk = b[at + 1];
		if (mk == 0xff) {
			at++;		/* fill byte */
			continue;
		}
		if (mk == 0x00 || mk == 0x01 || (mk >= 0xd0 && mk <= 0xd7)) {
			at += 2;	/* stuffed zero, TEM, RSTn: no length */
			continue;
		}
		if (mk == 0xd9) {
			*complete = 1;	/* EOI */
			return 1;
		}
		if (at + 3 >= len)
			return 1;	/* no room for a length: truncated */
		if (mk == 0xc2)
			progressive = 1;
		if (mk == 0xc4 && !dht_sane(b, len, at, defined))
			return 0;
		if (mk == 0xda && !sos_sane(b, len, at, defined, progressive))
			return 0;
		at += 2 + ((size_t)b[at + 2] << 8 | b[at + 3]);
	}
	return 1;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[1] << 8 | p[0];
}

/*
 * stb_image decodes a BMP whose pixel data stops early without a word:
 * the rows it could not read come out black, and the picture is
 * classified as something else.  The sizes the headers promise are
 * checked against the file's length first: the file header and the DIB
 * header's own length, the palette up to the pixel data's offset, and
 * the pixel rows (uncompressed and bit-field images, whose size follows
 * from width, height and bits per pixel; for RLE the header's image size,
 * else the file size in the file header, when they are set).
 *
 * Return: 0, or -EINVAL with "truncated" and what was cut in @err.
 */
static int bmp_check_length(const unsigned char *b, size_t len,
			    const char *name, struct mnet_err *err)
{
	uint64_t need, row, off, dib, fsize, w, h, bpp, comp, isize;

	if (len < 18)
		return mnet_err_set(err, -EINVAL,
				    "%s: truncated BMP: %zu bytes, not even a file header",
				    name, len);
	fsize = le32(b + 2);
	off = le32(b + 10);
	dib = le32(b + 14);
	if (dib < 12 || len < 14 + dib)
		return mnet_err_set(err, -EINVAL,
				    "%s: truncated BMP: %zu bytes, the header needs %llu",
				    name, len, (unsigned long long)(14 + dib));
	/*
	 * Past the OS/2 core header (12 bytes) the fields read below end at
	 * byte 38, so a header of 13..39 bytes (OS/2 2.x's short forms)
	 * would have them read beyond it (a fuzzer's 30-byte file with a
	 * 16-byte header); stb_image reads none of those either.
	 */
	if (dib != 12 && dib < 40)
		return mnet_err_set(err, -EINVAL,
				    "%s: unsupported BMP: a %llu-byte info header (12 or at least 40 are read)",
				    name, (unsigned long long)dib);
	if (dib == 12) {
		w = le16(b + 18);
		h = le16(b + 20);
		bpp = le16(b + 24);
		comp = 0;
		isize = 0;
	} else {
		int32_t sh = (int32_t)le32(b + 22);

		w = (uint64_t)(int64_t)(int32_t)le32(b + 18);
		h = sh < 0 ? (uint64_t)(-(int64_t)sh) : (uint64_t)sh;
		bpp = le16(b + 28);
		comp = le32(b + 30);
		isize = le32(b + 34);
	}
	if (off > len)
		return mnet_err_set(err, -EINVAL,
				    "%s: truncated BMP: %zu bytes, the pixel data should start at byte %llu (header or palette cut)",
				    name, len, (unsigned long long)off);
	if (w > MNET_IMAGE_MAX_SIDE || h > MNET_IMAGE_MAX_SIDE ||
	    w * h > MNET_IMAGE_MAX_PIXELS)
		return 0;	/* image_check_size() refuses it */
	if (comp == 0 || comp == 3 || comp == 6) {
		row = (w * bpp + 31) / 32 * 4;
		need = off + row * h;
	} else {
		need = isize ? off + isize : 0;
	}
	/*
	 * The file size only where the pixels' size is unknown (RLE with no
	 * image size): a wrong bfSize, or a cut ICC profile after complete
	 * pixels, must not refuse an image stb_image decodes whole.
	 */
	if (!need && fsize <= MNET_IMAGE_MAX_FILE)
		need = fsize;
	if (need > len)
		return mnet_err_set(err, -EINVAL,
				    "%s: truncated BMP: %zu bytes of the %llu its header gives (pixel data cut)",
				    name, len, (unsigned long long)need);
	return 0;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 * stb_image 2.27 appends each IDAT chunk to a buffer it allocates on the
 * first non-empty one; an empty IDAT before that makes it do arithmetic on
 * a NULL pointer (undefined behaviour, found by tests/fuzz/fuzz_image.c).  No
 * encoder writes an empty first IDAT, so such files are refused.  The walk
 * stops at IEND or where the chunks run out; a file whose chunks run out
 * before IEND is truncated, and is refused as such rather than with
 * whatever stb_image says about the missing data.
 */
static int png_chunks_sane(const unsigned char *b, size_t len, int *complete)
{
	size_t at = 8;
	int seen_data = 0;

	*complete = 0;
	while (at + 8 <= len) {
		uint32_t n = be32(b + at);

		if (!memcmp(b + at + 4, "IEND", 4)) {
			*complete = 1;
			break;
		}
		if (!memcmp(b + at + 4, "IDAT", 4)) {
			if (!n && !seen_data)
				return 0;
			seen_data |= n != 0;
		}
		if (n > len - at - 8 || len - at - 8 - n < 4)
			break;
		at += 12 + (size_t)n;
	}
	return 1;
}

int mnet_image_load_memory(const void *buf, size_t len, const char *name,
			   struct mnet_image **out, struct mnet_err *err)
{
	int w, h, n, ret, complete = 1;
	uint8_t *px;

	if (!name)
		name = "image";
	if (!buf || !len)
		return mnet_err_set(err, -EINVAL, "%s: empty image", name);
	if (len > MNET_IMAGE_MAX_FILE || len > INT_MAX)
		return mnet_err_set(err, -EFBIG,
				    "%s: %zu bytes; the limit for an image file is %llu",
				    name, len,
				    (unsigned long long)MNET_IMAGE_MAX_FILE);
	if (image_signature_cut(buf, len))
		return mnet_err_set(err, -EINVAL,
				    "%s: truncated image: %zu bytes, cut inside its signature",
				    name, len);
	if (!image_format_known(buf, len))
		return mnet_err_set(err, -EINVAL,
				    "%s: not a BMP, JPEG or PNG image (unknown signature)",
				    name);
	if (buf_is_jpeg(buf, len) && !jpeg_tables_sane(buf, len, &complete))
		return mnet_err_set(err, -EINVAL,
				    "%s: corrupt JPEG (a Huffman table has more than 256 codes, or a scan uses one never defined)",
				    name);
	if (buf_is_jpeg(buf, len) && !complete)
		return mnet_err_set(err, -EINVAL,
				    "%s: truncated or corrupt JPEG: %zu bytes and no end-of-image marker",
				    name, len);
	if (((const unsigned char *)buf)[0] == 'B') {
		ret = bmp_check_length(buf, len, name, err);
		if (ret)
			return ret;
	}
	if (!buf_is_jpeg(buf, len) && len >= 8 &&
	    !memcmp(buf, "\x89PNG", 4)) {
		if (!png_chunks_sane(buf, len, &complete))
			return mnet_err_set(err, -EINVAL,
					    "%s: corrupt PNG (an empty IDAT chunk before any image data)",
					    name);
		if (!complete)
			return mnet_err_set(err, -EINVAL,
					    "%s: truncated or corrupt PNG: %zu bytes and no IEND chunk",
					    name, len);
	}
	if (!stbi_info_from_memory(buf, (int)len, &w, &h, &n))
		return mnet_err_set(err, -EINVAL,
				    "%s: not a readable BMP, JPEG or PNG image (%s)",
				    name, stbi_failure_reason());
	/*
	 * stb_image 2.27's stbi_info() gives a top-down BMP (negative height
	 * in its header) a negative height; its decoder flips it as it
	 * should, so only the size check needs the absolute value.
	 */
	if (h < 0 && h >= -MNET_IMAGE_MAX_SIDE &&
	    ((const unsigned char *)buf)[0] == 'B')
		h = -h;
	ret = image_check_size(w, h, name, err);
	if (ret)
		return ret;
	px = stbi_load_from_memory(buf, (int)len, &w, &h, &n, 3);
	if (!px)
		return mnet_err_set(err, -EINVAL,
				    "%s: truncated or corrupt image (%s)", name,
				    stbi_failure_reason());
	return image_wrap(px, w, h, name, out, err);
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
