// SPDX-License-Identifier: Apache-2.0
/*
 * test_hostile_regress.c - every crash the fuzzers found, kept as a test
 *
 * Each case rebuilds the input that crashed (a generated mutation of a
 * small valid file, so the bytes are explained rather than pasted) and
 * checks that it is now refused with a message naming the input.
 * tests/fuzz_*.c and tools/ci/ci-hardening.sh find them; docs/hardening.md
 * lists them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image_write.h>

#include "lib/test_util.h"

#define NAME "regress.jpg"

struct membuf {
	unsigned char *p;
	size_t len, cap;
};

static void put(void *ctx, void *data, int n)
{
	struct membuf *m = ctx;

	if (!m->p || m->len + (size_t)n > m->cap)
		return;
	memcpy(m->p + m->len, data, (size_t)n);
	m->len += (size_t)n;
}

/* A small valid baseline JPEG written by stb_image_write. */
static unsigned char *tiny_jpeg(size_t *len)
{
	enum { W = 9, H = 7 };
	unsigned char rgb[W * H * 3];
	struct membuf m = { malloc(65536), 0, 65536 };
	int i;

	for (i = 0; i < W * H * 3; i++)
		rgb[i] = (unsigned char)(i * 29 % 256);
	if (!m.p || !stbi_write_jpg_to_func(put, &m, W, H, 3, rgb, 90)) {
		free(m.p);
		return NULL;
	}
	*len = m.len;
	return m.p;
}

/* Offset of the first DHT segment's first table (its class/id byte). */
static size_t first_dht(const unsigned char *b, size_t len)
{
	size_t at;

	for (at = 2; at + 4 < len; at++)
		if (b[at] == 0xff && b[at + 1] == 0xc4)
			return at + 4;
	return 0;
}

static int load(const unsigned char *b, size_t len, struct mnet_err *err)
{
	struct mnet_image *img = NULL;
	unsigned char *copy = malloc(len);	/* exact size for ASan */
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	memcpy(copy, b, len);
	ret = mnet_image_load_memory(copy, len, NAME, &img, err);
	free(copy);
	if (!ret)
		CU_ASSERT_PTR_NOT_NULL(img);
	mnet_image_free(img);
	return ret;
}

/*
 * fuzz_image, first minute: a DHT table whose 16 code counts sum past 256
 * made stb_image 2.27 (Debian's libstb) write past its 257-entry Huffman
 * arrays (UBSan: index 257 out of bounds for stbi_uc[257]).
 */
static void test_jpeg_dht_overflow(void)
{
	static const struct {
		const char *name;
		unsigned int count;	/* every one of the 16 counts */
		unsigned int last;	/* the 16th count, when not @count */
		int refused;
	} cases[] = {
		{ "all 16 counts 255 (4080 codes)", 255, 255, 1 },
		{ "257 codes", 16, 17, 1 },
		{ "256 codes: the limit, not refused by the check", 16, 16, 0 },
	};
	size_t len = 0, at, i;
	unsigned char *base = tiny_jpeg(&len), *b;
	struct mnet_err err;
	unsigned int k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	CU_ASSERT_EQUAL(load(base, len, NULL), 0);	/* the baseline */
	at = first_dht(base, len);
	CU_ASSERT_FATAL(at > 0 && at + 17 < len);
	b = malloc(len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(b, base, len);
		for (k = 0; k < 16; k++)
			b[at + 1 + k] = (unsigned char)(k == 15 ? cases[i].last :
							cases[i].count);
		memset(&err, 0, sizeof(err));
		if (cases[i].refused) {
			CU_ASSERT_EQUAL(load(b, len, &err), -EINVAL);
			CU_ASSERT_EQUAL(strncmp(err.msg, NAME ": ",
						sizeof(NAME) + 1), 0);
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Huffman"));
		} else {
			/* stb_image may still refuse it, but never crashes */
			CU_ASSERT(load(b, len, &err) <= 0);
		}
	}
	/* and the same table count in every DHT table of the file */
	memcpy(b, base, len);
	for (at = 2; at + 21 < len; at++) {
		if (b[at] != 0xff || b[at + 1] != 0xc4)
			continue;
		for (k = 0; k < 16; k++)
			b[at + 5 + k] = 0x80;
	}
	CU_ASSERT_EQUAL(load(b, len, NULL), -EINVAL);
	free(b);
	free(base);
}

/*
 * fuzz_image, CI run: a scan selecting Huffman tables that no DHT segment
 * defined made stb_image 2.27 decode with the uninitialised tables of its
 * freshly malloc'd context (UBSan: index 853 out of bounds for
 * stbi_uc[256]; garbage, so only some runs crash).
 */
static void test_jpeg_undefined_table(void)
{
	size_t len = 0, at, sos = 0;
	unsigned char *base = tiny_jpeg(&len), *b;
	struct mnet_err err = { 0 };
	int relabelled = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	CU_ASSERT_EQUAL(load(base, len, NULL), 0);	/* the baseline */
	for (at = 2; at + 6 < len && !sos; at++)
		if (base[at] == 0xff && base[at + 1] == 0xda)
			sos = at;
	CU_ASSERT_FATAL(sos > 0);
	b = malloc(len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);

	/* the first of the 3 components selects DC and AC tables 2 */
	memcpy(b, base, len);
	CU_ASSERT_EQUAL(b[sos + 4], 3);
	b[sos + 6] = 0x22;
	CU_ASSERT_EQUAL(load(b, len, &err), -EINVAL);
	CU_ASSERT_EQUAL(strncmp(err.msg, NAME ": ", sizeof(NAME) + 1), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "never defined"));

	/* or the tables are defined, under another number */
	memcpy(b, base, len);
	for (at = 2; at + 4 < sos; at++) {
		size_t p, end;

		if (b[at] != 0xff || b[at + 1] != 0xc4)
			continue;
		end = at + 2 + ((size_t)b[at + 2] << 8 | b[at + 3]);
		for (p = at + 4; p + 17 <= end;) {
			unsigned int k, n = 0;

			for (k = 0; k < 16; k++)
				n += b[p + 1 + k];
			b[p] |= 2;	/* tables 0, 1 -> 2, 3; class kept */
			relabelled++;
			p += 17 + n;
		}
	}
	CU_ASSERT(relabelled >= 2);
	CU_ASSERT_EQUAL(load(b, len, NULL), -EINVAL);
	free(b);
	free(base);
}

/* Only the promised formats reach the decoder. */
static void test_other_formats_refused(void)
{
	static const unsigned char tga[18 + 3] = { 0, 0, 2, [12] = 1, [14] = 1,
						   [16] = 24 };
	static const unsigned char gif[] = "GIF89a\1\0\1\0\0\0\0;";
	static const unsigned char pnm[] = "P6\n1 1\n255\n\0\0\0";
	struct mnet_err err = { 0 };

	CU_ASSERT_EQUAL(load(tga, sizeof(tga), &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown signature"));
	CU_ASSERT_EQUAL(load(gif, sizeof(gif) - 1, NULL), -EINVAL);
	CU_ASSERT_EQUAL(load(pnm, sizeof(pnm) - 1, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mnet_image_load_memory(NULL, 0, NAME, NULL, &err),
			-EINVAL);
}

/* A header claiming 16384 x 16384 (268 Mpixel) is refused before decode. */
static void test_pixel_cap(void)
{
	unsigned char bmp[54 + 4] = { 'B', 'M', [10] = 54, [14] = 40,
				      [26] = 1, [28] = 24 };
	struct mnet_err err = { 0 };

	bmp[18] = 0x00;		/* width 16384 */
	bmp[19] = 0x40;
	bmp[22] = 0x00;		/* height 16384 */
	bmp[23] = 0x40;
	CU_ASSERT_EQUAL(load(bmp, sizeof(bmp), &err), -EFBIG);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "16384x16384"));
}

/*
 * The 76-byte PNG fuzz_image found in CI: an empty IDAT chunk first made
 * stb_image offset a NULL pointer (UBSan).  It must be refused cleanly
 * (valid PNGs still decode: test_image.c).
 */
static void test_png_empty_first_idat(void)
{
	static const unsigned char crash[] = {
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00,
		0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x07,
		0x00, 0x00, 0x2a, 0x05, 0x08, 0x00, 0x00, 0x00, 0x00, 0x4c,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x49, 0x44, 0x41,
		0x54, 0x78, 0x5e, 0x63, 0x64, 0x60, 0x07, 0x03, 0x46, 0x43,
		0x08, 0xcd, 0x82, 0x83, 0x4c, 0x00, 0x1f, 0xbb, 0x01, 0xa5,
		0xeb, 0x39, 0xae, 0xbf, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
		0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
	};
	struct mnet_image *img = NULL;
	struct mnet_err err = { 0 };

	CU_ASSERT_EQUAL(mnet_image_load_memory(crash, sizeof(crash), "crash.png",
					       &img, &err), -EINVAL);
	CU_ASSERT_PTR_NULL(img);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "crash.png"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "empty IDAT"));
}


/* A 24-bit BMP of @w x @h (negative @h: top-down) with a 40- or 12-byte
 * DIB header; returns its length. */
static size_t make_bmp(unsigned char *b, int w, int h, int core)
{
	unsigned int dib = core ? 12 : 40, row = ((unsigned int)w * 3 + 3) & ~3u;
	unsigned int ah = (unsigned int)(h < 0 ? -h : h);
	unsigned int off = 14 + dib, len = off + row * ah, i;

	memset(b, 0, len);
	b[0] = 'B';
	b[1] = 'M';
	for (i = 0; i < 4; i++) {
		b[2 + i] = (unsigned char)(len >> (8 * i));
		b[10 + i] = (unsigned char)(off >> (8 * i));
		b[14 + i] = (unsigned char)(dib >> (8 * i));
	}
	if (core) {
		b[18] = (unsigned char)w;
		b[20] = (unsigned char)ah;
		b[22] = 1;
		b[24] = 24;
	} else {
		for (i = 0; i < 4; i++) {
			b[18 + i] = (unsigned char)((uint32_t)w >> (8 * i));
			b[22 + i] = (unsigned char)((uint32_t)h >> (8 * i));
		}
		b[26] = 1;
		b[28] = 24;
	}
	for (i = off; i < len; i++)
		b[i] = (unsigned char)(i * 7);
	return len;
}

/*
 * BMP length checks beyond the shared photos: a top-down image, an OS/2
 * core header, an RLE image whose header gives its size, each cut short,
 * is "truncated"; a whole file whose bfSize overstates it still decodes
 * (only the pixels' own size is trusted when it is known).
 */
static void test_bmp_lengths(void)
{
	static unsigned char b[14 + 40 + 16 * 12];
	struct mnet_err err = { 0 };
	size_t len;
	int core;

	for (core = 0; core < 2; core++) {
		len = make_bmp(b, 5, core ? 4 : -4, core);
		CU_ASSERT_EQUAL(load(b, len, &err), 0);
		CU_ASSERT_EQUAL(load(b, len - 1, &err), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "truncated"));
		CU_ASSERT_EQUAL(load(b, 14 + (core ? 6 : 20), &err), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "truncated"));
	}
	/* bfSize twice the file: the pixels are whole, so it decodes */
	len = make_bmp(b, 5, 4, 0);
	b[3] = (unsigned char)(len * 2 >> 8);
	b[2] = (unsigned char)(len * 2);
	CU_ASSERT_EQUAL(load(b, len, &err), 0);
	/* RLE8 (compression 1) with a 64-byte image size and 10 bytes left */
	len = make_bmp(b, 5, 4, 0);
	b[28] = 8;
	b[30] = 1;
	b[34] = 64;
	CU_ASSERT_EQUAL(load(b, 14 + 40 + 10, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "truncated"));
}

static const CU_TestInfo tests[] = {
	{ "PNG with an empty first IDAT chunk (fuzz_image, CI)",
	  test_png_empty_first_idat },
	{ "JPEG DHT with more than 256 codes (fuzz_image)",
	  test_jpeg_dht_overflow },
	{ "JPEG scan using undefined Huffman tables (fuzz_image)",
	  test_jpeg_undefined_table },
	{ "TGA, GIF, PNM never reach the decoder", test_other_formats_refused },
	{ "pixel cap before decoding", test_pixel_cap },
	{ "BMP sizes: top-down, core header, RLE, bfSize",
	  test_bmp_lengths },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return mnet_test_run_suite("hostile_regress", tests);
}
