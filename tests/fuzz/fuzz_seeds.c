// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_seeds.c - write small seed inputs for the fuzz targets
 *
 * DOC: fuzz seeds
 *
 * libFuzzer mutates faster and reaches deeper into a small input than into
 * a 500 KiB real model, so besides the shared models and photos (which
 * tools/ci/ci-hardening.sh copies into the corpus at run time) the corpora
 * start from tiny files written here: two TFLite graphs that between them
 * reach every operator, tensor type and options table the loader maps
 * (float32, float16 behind DEQUANTIZE, uint8 per-tensor and int8
 * per-channel weights, int32 biases, ADD, MEAN, RESHAPE), and small BMP,
 * PNG, JPEG and grayscale images written with stb_image_write.
 *
 * Usage: fuzz_seeds tflite|image DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image_write.h>

#include "lib/tfl_builder.h"

#define OPT(id, kind, v) { id, kind, v, 0 }

static float w_conv[8 * 3 * 3 * 3], b_conv[8];
static uint16_t w_dw[3 * 3 * 8];	/* fp16, behind a DEQUANTIZE */
static uint8_t w_pw[8 * 8];
static const float pw_scale = 0.02f;
static const int64_t pw_zp = 128;
static int8_t w_fc[5 * 8];
static int32_t b_fc[5] = { -20, 0, 5, 17, 300 };
static float fc_scale[5] = { 0.01f, 0.02f, 0.03f, 0.04f, 0.05f };
static float fcb_scale[5] = { 0.001f, 0.002f, 0.003f, 0.004f, 0.005f };
static const int64_t zeros[5];
static const int32_t axes[2] = { 1, 2 };

static void fill_weights(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(w_conv) / sizeof(w_conv[0]); i++)
		w_conv[i] = (float)((int)(i % 9) - 4) * 0.0625f;
	for (i = 0; i < 8; i++)
		b_conv[i] = 0.125f * (float)i - 0.5f;
	for (i = 0; i < sizeof(w_dw) / sizeof(w_dw[0]); i++)
		w_dw[i] = (uint16_t)(0x3000 + (i % 16) * 0x100);
	for (i = 0; i < sizeof(w_pw); i++)
		w_pw[i] = (uint8_t)(i * 37 % 256);
	for (i = 0; i < sizeof(w_fc); i++)
		w_fc[i] = (int8_t)((int)(i % 13) - 6);
}

#define ACT(n, r, ...) (struct tm_tensor){ .name = n, .rank = r, \
		.dims = { __VA_ARGS__ } }
#define CONST(n, r, ty, d, ...) (struct tm_tensor){ .name = n, .rank = r, \
		.dims = { __VA_ARGS__ }, .type = ty, .data = d, \
		.bytes = sizeof(d) }

/*
 * V1-like chain: 3x3/2 conv, fp16 depthwise through DEQUANTIZE, uint8 1x1
 * conv, average pool, RESHAPE, int8 per-channel FC, SOFTMAX.
 */
static void chain_model(struct tm_model *m)
{
	enum { IN, WC, BC, OC, WDH, WD, OD, WP, OP, OA, OR, WF, BF, OF, OS, N };

	memset(m, 0, sizeof(*m));
	m->n_t = N;
	m->t[IN] = ACT("input", 4, 1, 8, 8, 3);
	m->t[WC] = CONST("conv/w", 4, 0, w_conv, 8, 3, 3, 3);
	m->t[BC] = CONST("conv/b", 1, 0, b_conv, 8);
	m->t[OC] = ACT("conv/Relu6", 4, 1, 4, 4, 8);
	m->t[WDH] = CONST("dw/w_fp16", 4, 1, w_dw, 1, 3, 3, 8);
	m->t[WD] = ACT("dw/w", 4, 1, 3, 3, 8);
	m->t[OD] = ACT("dw/Relu", 4, 1, 4, 4, 8);
	m->t[WP] = CONST("pw/w", 4, 3, w_pw, 8, 1, 1, 8);
	m->t[WP].nq = 1;
	m->t[WP].scale = &pw_scale;
	m->t[WP].zp = &pw_zp;
	m->t[OP] = ACT("pw", 4, 1, 4, 4, 8);
	m->t[OA] = ACT("pool", 4, 1, 1, 1, 8);
	m->t[OR] = ACT("flat", 2, 1, 8);
	m->t[WF] = CONST("fc/w", 2, 9, w_fc, 5, 8);
	m->t[WF].nq = 5;
	m->t[WF].scale = fc_scale;
	m->t[WF].zp = zeros;
	m->t[BF] = CONST("fc/b", 1, 2, b_fc, 5);
	m->t[BF].nq = 5;
	m->t[BF].scale = fcb_scale;
	m->t[BF].zp = zeros;
	m->t[OF] = ACT("logits", 2, 1, 5);
	m->t[OS] = ACT("prob", 2, 1, 5);

	m->n_ops = 8;
	m->ops[0] = (struct tm_op){ 3, 3, { IN, WC, BC }, OC, 1, 4,
		{ OPT(0, TFB_U8, 0), OPT(1, TFB_I32, 2), OPT(2, TFB_I32, 2),
		  OPT(3, TFB_U8, 3) } };
	m->ops[1] = (struct tm_op){ 6, 1, { WDH }, WD, 0, 0, { { 0 } } };
	m->ops[2] = (struct tm_op){ 4, 2, { OC, WD }, OD, 2, 5,
		{ OPT(0, TFB_U8, 0), OPT(1, TFB_I32, 1), OPT(2, TFB_I32, 1),
		  OPT(3, TFB_I32, 1), OPT(4, TFB_U8, 1) } };
	m->ops[3] = (struct tm_op){ 3, 2, { OD, WP }, OP, 1, 3,
		{ OPT(0, TFB_U8, 0), OPT(1, TFB_I32, 1), OPT(2, TFB_I32, 1) } };
	m->ops[4] = (struct tm_op){ 1, 1, { OP }, OA, 5, 5,
		{ OPT(0, TFB_U8, 1), OPT(1, TFB_I32, 4), OPT(2, TFB_I32, 4),
		  OPT(3, TFB_I32, 4), OPT(4, TFB_I32, 4) } };
	m->ops[5] = (struct tm_op){ 22, 1, { OA }, OR, 0, 0, { { 0 } } };
	m->ops[6] = (struct tm_op){ 9, 3, { OR, WF, BF }, OF, 8, 1,
		{ OPT(0, TFB_U8, 0) } };
	m->ops[7] = (struct tm_op){ 25, 1, { OF }, OS, 9, 1,
		{ { 0, TFB_F32, 0, 1.0f } } };
	m->input = IN;
	m->output = OS;
}

/* V2-like residual: 1x1 conv, ADD with the input, MEAN over H and W. */
static void residual_model(struct tm_model *m)
{
	enum { IN, WP, OP, OADD, AX, OM, N };

	memset(m, 0, sizeof(*m));
	m->n_t = N;
	m->t[IN] = ACT("input", 4, 1, 4, 4, 8);
	m->t[WP] = CONST("pw/w", 4, 3, w_pw, 8, 1, 1, 8);
	m->t[WP].nq = 1;
	m->t[WP].scale = &pw_scale;
	m->t[WP].zp = &pw_zp;
	m->t[OP] = ACT("pw", 4, 1, 4, 4, 8);
	m->t[OADD] = ACT("add", 4, 1, 4, 4, 8);
	m->t[AX] = CONST("axes", 1, 2, axes, 2);
	m->t[OM] = ACT("mean", 4, 1, 1, 1, 8);

	m->n_ops = 3;
	m->ops[0] = (struct tm_op){ 3, 2, { IN, WP }, OP, 1, 3,
		{ OPT(0, TFB_U8, 0), OPT(1, TFB_I32, 1), OPT(2, TFB_I32, 1) } };
	m->ops[1] = (struct tm_op){ 0, 2, { OP, IN }, OADD, 11, 1,
		{ OPT(0, TFB_U8, 0) } };
	m->ops[2] = (struct tm_op){ 40, 2, { OADD, AX }, OM, 27, 1,
		{ OPT(0, TFB_U8, 1) } };
	m->input = IN;
	m->output = OM;
}
#undef CONST
#undef ACT

static int write_file(const char *dir, const char *name, const void *buf,
		      size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len) {
		fprintf(stderr, "fuzz_seeds: cannot write %s\n", path);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) != 0;
}

static int tflite_seeds(const char *dir)
{
	static void (*const models[])(struct tm_model *) = {
		chain_model, residual_model,
	};
	struct tm_model tm;
	unsigned int i;
	int bad = 0;

	fill_weights();
	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		char name[32];
		size_t len = 0;
		uint8_t *buf;

		models[i](&tm);
		buf = tm_build(&tm, &len);
		if (!buf)
			return 1;
		snprintf(name, sizeof(name), "built-%u.tflite", i);
		bad |= write_file(dir, name, buf, len);
		free(buf);
	}
	return bad;
}

static int image_seeds(const char *dir)
{
	enum { W = 7, H = 5 };
	unsigned char rgb[W * H * 3], gray[W * H];
	char path[4096];
	int i, ok = 1;

	for (i = 0; i < W * H * 3; i++)
		rgb[i] = (unsigned char)(i * 29 % 256);
	for (i = 0; i < W * H; i++)
		gray[i] = (unsigned char)(i * 7);
#define OUT(name) (snprintf(path, sizeof(path), "%s/%s", dir, name), path)
	ok &= stbi_write_bmp(OUT("tiny.bmp"), W, H, 3, rgb) != 0;
	ok &= stbi_write_png(OUT("tiny.png"), W, H, 3, rgb, W * 3) != 0;
	ok &= stbi_write_png(OUT("gray.png"), W, H, 1, gray, W) != 0;
	ok &= stbi_write_jpg(OUT("tiny.jpg"), W, H, 3, rgb, 90) != 0;
	ok &= stbi_write_jpg(OUT("gray.jpg"), W, H, 1, gray, 90) != 0;
#undef OUT
	return !ok;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "tflite") && strcmp(argv[1], "image"))) {
		fprintf(stderr, "usage: fuzz_seeds tflite|image DIR\n");
		return 2;
	}
	return argv[1][0] == 't' ? tflite_seeds(argv[2]) : image_seeds(argv[2]);
}
