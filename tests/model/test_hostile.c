// SPDX-License-Identifier: Apache-2.0
/*
 * test_hostile.c - the TFLite loader on truncated, corrupted and absurd input
 *
 * Every case must come back as a negative code with a non-empty message
 * that starts with the file name, and never crash or read outside the
 * buffer.  Each buffer handed to the loader is an exact-size heap copy, so
 * under ASan (cmake -DMNET_SANITIZE=ON) a read one byte past the end is
 * caught.  Byte flips that leave a valid model may load; then the model
 * must pass validation and be freed cleanly.  MNET_TEST_FUZZ_ITERS sets
 * the number of corruptions of the small built file (default 4000) for a
 * longer run by hand.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/model.h"
#include "lib/test_util.h"
#include "lib/tfl_builder.h"

#define NAME "hostile.tflite"

static unsigned char *model;	/* the 0.25/128 file */
static size_t model_len;

/*
 * Load a private exact-size copy of @buf; @must_fail: 1 when the input is
 * known to be bad, 0 when it may also be a valid model.
 */
static int try_load(const void *buf, size_t len, int must_fail)
{
	struct mnet_err err = { 0 };
	struct mnet_model *m = NULL;
	unsigned char *copy = NULL;
	int ret;

	if (len) {
		copy = malloc(len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
		memcpy(copy, buf, len);
	}
	ret = mnet_model_load_memory(copy, len, NAME, &m, &err);
	free(copy);
	if (ret) {
		CU_ASSERT(ret < 0);
		CU_ASSERT_EQUAL(err.code, ret);
		CU_ASSERT_PTR_NULL(m);
		CU_ASSERT_EQUAL(strncmp(err.msg, NAME ": ", sizeof(NAME) + 1),
				0);
		CU_ASSERT(strlen(err.msg) > sizeof(NAME) + 2);
	} else {
		CU_ASSERT_FALSE(must_fail);
		CU_ASSERT_PTR_NOT_NULL(m);
		if (m)
			CU_ASSERT_EQUAL(mnet_model_validate(m, NULL), 0);
		mnet_model_free(m);
	}
	return ret;
}

static void test_empty(void)
{
	static const unsigned char zero[8];

	try_load(NULL, 0, 1);
	try_load(zero, 0, 1);
	try_load(zero, sizeof(zero), 1);
	try_load("TFL3", 4, 1);
}

/*
 * The loader reads every tensor name, so cutting into the last one must
 * fail.  Past the flatbuffer this file carries a zip (the label metadata)
 * that the loader rightly never reads: truncating that may still load.
 */
static size_t last_name_end(void)
{
	static const char key[] = "MobilenetV1/";
	size_t at, end = 0;

	for (at = 0; at + sizeof(key) - 1 <= model_len; at++)
		if (!memcmp(model + at, key, sizeof(key) - 1))
			end = at + sizeof(key) - 1;
	return end;
}

static void test_truncations(void)
{
	size_t len, must = last_name_end();

	CU_ASSERT_FATAL(must > model_len - 49152);
	/* every length of the first 64 KiB ... */
	for (len = 0; len <= 65536 && len < model_len; len++)
		try_load(model, len, 1);
	/* ... the tables sit at the end: a dense sample of the last 48 KiB */
	for (len = model_len - 49152; len < model_len; len += 7)
		try_load(model, len, len < must);
	/* ... and a sparse one of the weights in between */
	for (len = 65536; len < model_len - 49152; len += 4093)
		try_load(model, len, 1);
}

static uint32_t rng_next(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

static void test_byte_flips(void)
{
	unsigned char *buf = malloc(model_len);
	size_t tail = 49152;
	int seed, loaded = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	for (seed = 1; seed <= 300; seed++) {
		uint64_t s = (uint64_t)seed * 0x9E3779B97F4A7C15ull;
		int k, n = 1 + (int)(rng_next(&s) % 8);

		memcpy(buf, model, model_len);
		for (k = 0; k < n; k++) {
			/* mostly the structure (tables, vtables, header) */
			size_t at = rng_next(&s) % 8 ?
				model_len - tail + rng_next(&s) % tail :
				rng_next(&s) % 64;

			buf[at] ^= (unsigned char)(1 + rng_next(&s) % 255);
		}
		loaded += try_load(buf, model_len, 0) == 0;
	}
	printf("\n  300 corrupted copies: %d still loaded (names/weights hit)",
	       loaded);
	free(buf);
}

static void test_identifier(void)
{
	unsigned char *buf = malloc(model_len);
	struct mnet_err err = { 0 };
	struct mnet_model *m = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	memcpy(buf, model, model_len);
	memcpy(buf + 4, "TFL2", 4);
	CU_ASSERT_EQUAL(mnet_model_load_memory(buf, model_len, NAME, &m, &err),
			-EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a TFLite file"));
	try_load(buf, model_len, 1);
	free(buf);
}

/* ---- patching a trusted buffer ------------------------------------------- */

static uint32_t rd32(const unsigned char *b, size_t at)
{
	return (uint32_t)b[at] | (uint32_t)b[at + 1] << 8 |
	       (uint32_t)b[at + 2] << 16 | (uint32_t)b[at + 3] << 24;
}

static void wr32(unsigned char *b, size_t at, uint32_t v)
{
	b[at] = (unsigned char)v;
	b[at + 1] = (unsigned char)(v >> 8);
	b[at + 2] = (unsigned char)(v >> 16);
	b[at + 3] = (unsigned char)(v >> 24);
}

/* Absolute position of field @id of the table at @t (trusted input). */
static size_t field_at(const unsigned char *b, size_t t, int id)
{
	size_t vt = t - (int32_t)rd32(b, t);
	unsigned int vt_len = b[vt] | b[vt + 1] << 8;
	unsigned int off;

	CU_ASSERT_FATAL(4 + 2u * id + 2 <= vt_len);
	off = b[vt + 4 + 2 * id] | b[vt + 5 + 2 * id] << 8;
	CU_ASSERT_FATAL(off != 0);
	return t + off;
}

static size_t deref(const unsigned char *b, size_t at)
{
	return at + rd32(b, at);
}

/* Position of the length word of vector field @id of table @t. */
static size_t vec_at(const unsigned char *b, size_t t, int id)
{
	return deref(b, field_at(b, t, id));
}

/* Table @i of the vector whose length word is at @v. */
static size_t vec_table(const unsigned char *b, size_t v, uint32_t i)
{
	return deref(b, v + 4 + 4 * (size_t)i);
}

static void patch_and_load(size_t at, uint32_t v)
{
	unsigned char *buf = malloc(model_len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	memcpy(buf, model, model_len);
	wr32(buf, at, v);
	if (!try_load(buf, model_len, 1))
		fprintf(stderr, "\n  patch %zu = %#x loaded\n", at, v);
	free(buf);
}

static void test_offsets_and_lengths(void)
{
	static const uint32_t lens[] = { UINT32_MAX, UINT32_MAX - 3,
					 0x40000001u, 0x80000000u };
	const unsigned char *b = model;
	size_t root = rd32(b, 0), sgs, sg, fields[7], vt;
	unsigned int i, k, vt_len;

	sgs = vec_at(b, root, 2);
	sg = vec_table(b, sgs, 0);
	fields[0] = vec_at(b, root, 1);			/* operator codes */
	fields[1] = sgs;				/* subgraphs */
	fields[2] = vec_at(b, root, 4);			/* buffers */
	fields[3] = vec_at(b, sg, 0);			/* tensors */
	fields[4] = vec_at(b, sg, 3);			/* operators */
	fields[5] = vec_at(b, vec_table(b, fields[3], 0), 0);	/* a shape */
	fields[6] = vec_at(b, vec_table(b, fields[3], 0), 3);	/* a name */
	for (i = 0; i < 7; i++) {
		/* the name is a string (1-byte elements), the rest 4-byte */
		size_t elem = i == 6 ? 1 : 4;

		for (k = 0; k < sizeof(lens) / sizeof(lens[0]); k++)
			patch_and_load(fields[i], lens[k]);
		/* one element more than the rest of the buffer holds */
		patch_and_load(fields[i],
			       (uint32_t)((model_len - fields[i] - 4) / elem + 1));
	}
	patch_and_load(field_at(b, root, 2), (uint32_t)model_len);
	patch_and_load(field_at(b, root, 2), 0xfffffff0u);
	patch_and_load(field_at(b, sg, 0), 0x7fffffffu);
	/* root offset and root table soffset */
	patch_and_load(0, (uint32_t)model_len);
	patch_and_load(0, (uint32_t)model_len - 2);
	patch_and_load(0, 0xfffffffcu);
	patch_and_load(root, 0x7fffffffu);
	patch_and_load(root, 0x80000000u);
	patch_and_load(root, (uint32_t)-(int32_t)(model_len - root));
	/* vtable: a table size shorter than the fields it lists, an odd
	 * size, one too small to hold its own header */
	vt = root - (int32_t)rd32(b, root);
	vt_len = b[vt] | b[vt + 1] << 8;
	patch_and_load(vt, vt_len | 4u << 16);
	patch_and_load(vt, 3u | 64u << 16);
	patch_and_load(vt, 2u | 64u << 16);
	/* a table pointer in the operators vector aimed at the header */
	patch_and_load(fields[4] + 4, (uint32_t)(0 - (uint32_t)fields[4]));
}

/* ---- absurd values in otherwise valid built files ------------------------ */

static float cw[4 * 3 * 3 * 3];

/* input [1,8,8,3] -> 3x3 SAME conv -> [1,8,8,4] */
static void conv_model(struct tm_model *m)
{
	memset(m, 0, sizeof(*m));
	m->n_t = 3;
	m->t[0] = (struct tm_tensor){ .name = "in", .rank = 4,
				      .dims = { 1, 8, 8, 3 } };
	m->t[1] = (struct tm_tensor){ .name = "w", .rank = 4,
				      .dims = { 4, 3, 3, 3 }, .data = cw,
				      .bytes = sizeof(cw) };
	m->t[2] = (struct tm_tensor){ .name = "out", .rank = 4,
				      .dims = { 1, 8, 8, 4 } };
	m->n_ops = 1;
	m->ops[0] = (struct tm_op){ .code = 3, .n_in = 2, .in = { 0, 1 },
				    .out = 2, .opt_type = 1, .n_opt = 2,
		.opt = { { 1, TFB_I32, 1, 0 }, { 2, TFB_I32, 1, 0 } } };
	m->input = 0;
	m->output = 2;
}

static int load_built(const struct tm_model *tm, int must_fail)
{
	size_t len = 0;
	uint8_t *buf = tm_build(tm, &len);
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	ret = try_load(buf, len, must_fail);
	free(buf);
	return ret;
}

static void set_dims(int32_t *d, int32_t a, int32_t b, int32_t c, int32_t e)
{
	d[0] = a;
	d[1] = b;
	d[2] = c;
	d[3] = e;
}

static void test_absurd_shapes(void)
{
	struct tm_model tm;

	conv_model(&tm);
	CU_ASSERT_EQUAL(load_built(&tm, 0), 0);	/* the baseline loads */

	conv_model(&tm);
	set_dims(tm.t[0].dims, 1, 8, 8, 1000000000);
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EFBIG);
	conv_model(&tm);
	set_dims(tm.t[2].dims, 1, 8, 8, 1000000000);
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EFBIG);
	conv_model(&tm);	/* each dim legal, product 2^42 */
	set_dims(tm.t[0].dims, 1, 16384, 16384, 16384);
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EFBIG);
	conv_model(&tm);	/* 65536 * 65536 wraps 32 bits to 0 */
	set_dims(tm.t[0].dims, 1, 65536, 65536, 3);
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EFBIG);
	conv_model(&tm);
	set_dims(tm.t[1].dims, 1000000000, 3, 3, 3);
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EFBIG);
	conv_model(&tm);	/* weights 2^42 elements, data 432 bytes */
	set_dims(tm.t[1].dims, 16384, 16384, 16384, 1);
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EFBIG);
	conv_model(&tm);
	set_dims(tm.t[1].dims, 4, 3, 3, 3);
	tm.t[1].dims[0] = INT32_MIN;
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EINVAL);
	conv_model(&tm);
	tm.t[0].dims[1] = 0;
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EINVAL);
	conv_model(&tm);
	tm.t[0].dims[2] = -7;
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EINVAL);

	/* huge strides, kernels and filter sizes in the options */
	conv_model(&tm);
	tm.ops[0].opt[0].v = INT32_MAX;
	CU_ASSERT(load_built(&tm, 1) < 0);
	conv_model(&tm);
	tm.ops[0].opt[1].v = INT32_MIN;
	CU_ASSERT(load_built(&tm, 1) < 0);
	conv_model(&tm);
	tm.ops[0].opt[0].v = 0;
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EINVAL);

	/* tensor and opcode indices out of range */
	conv_model(&tm);
	tm.ops[0].in[1] = 999;
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EINVAL);
	conv_model(&tm);
	tm.ops[0].in[0] = -5;
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EINVAL);
	conv_model(&tm);
	tm.output = 7;
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EINVAL);
	conv_model(&tm);
	tm.input = -1;
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EINVAL);

	/* a graph that writes its own input */
	conv_model(&tm);
	tm.ops[0].out = 0;
	CU_ASSERT_EQUAL(load_built(&tm, 1), -EINVAL);
}

/* A small model that reaches every table kind the loader reads. */
static int8_t fw[4 * 3 * 3 * 3];
static int32_t fb_bias[4] = { -300, 0, 7, 1000 };
static const float fw_scale[4] = { 0.01f, 0.02f, 0.03f, 0.04f };
static const float fb_scale[4] = { 0.001f, 0.002f, 0.003f, 0.004f };
static const int64_t fzp[4];
static const int32_t faxes[2] = { 1, 2 };
static uint16_t ffc[3 * 4];

static void fuzz_model(struct tm_model *m)
{
	unsigned int i;

	for (i = 0; i < sizeof(fw); i++)
		fw[i] = (int8_t)(i * 7 % 255 - 127);
	for (i = 0; i < 12; i++)
		ffc[i] = (uint16_t)(0x3000 + i * 0x100);
	memset(m, 0, sizeof(*m));
	m->n_t = 9;
	m->t[0] = (struct tm_tensor){ .name = "in", .rank = 4,
				      .dims = { 1, 4, 4, 3 } };
	m->t[1] = (struct tm_tensor){ .name = "w", .rank = 4,
				      .dims = { 4, 3, 3, 3 }, .type = 9,
				      .data = fw, .bytes = sizeof(fw),
				      .nq = 4, .scale = fw_scale, .zp = fzp };
	m->t[2] = (struct tm_tensor){ .name = "b", .rank = 1, .dims = { 4 },
				      .type = 2, .data = fb_bias,
				      .bytes = sizeof(fb_bias), .nq = 4,
				      .scale = fb_scale, .zp = fzp };
	m->t[3] = (struct tm_tensor){ .name = "conv", .rank = 4,
				      .dims = { 1, 4, 4, 4 } };
	m->t[4] = (struct tm_tensor){ .name = "axes", .rank = 1,
				      .dims = { 2 }, .type = 2, .data = faxes,
				      .bytes = sizeof(faxes) };
	m->t[5] = (struct tm_tensor){ .name = "mean", .rank = 4,
				      .dims = { 1, 1, 1, 4 } };
	m->t[6] = (struct tm_tensor){ .name = "fcw", .rank = 2,
				      .dims = { 3, 4 }, .type = 1, .data = ffc,
				      .bytes = sizeof(ffc) };
	m->t[7] = (struct tm_tensor){ .name = "logits", .rank = 2,
				      .dims = { 1, 3 } };
	m->t[8] = (struct tm_tensor){ .name = "prob", .rank = 2,
				      .dims = { 1, 3 } };
	m->n_ops = 4;
	m->ops[0] = (struct tm_op){ .code = 3, .n_in = 3, .in = { 0, 1, 2 },
				    .out = 3, .opt_type = 1, .n_opt = 3,
		.opt = { { 1, TFB_I32, 1, 0 }, { 2, TFB_I32, 1, 0 },
			 { 3, TFB_U8, 3, 0 } } };
	m->ops[1] = (struct tm_op){ .code = 40, .n_in = 2, .in = { 3, 4 },
				    .out = 5, .opt_type = 27, .n_opt = 1,
		.opt = { { 0, TFB_U8, 1, 0 } } };
	m->ops[2] = (struct tm_op){ .code = 9, .n_in = 2, .in = { 5, 6 },
				    .out = 7, .opt_type = 8, .n_opt = 1,
		.opt = { { 0, TFB_U8, 0, 0 } } };
	m->ops[3] = (struct tm_op){ .code = 25, .n_in = 1, .in = { 7 },
				    .out = 8, .opt_type = 9, .n_opt = 1,
		.opt = { { 0, TFB_F32, 0, 1.0f } } };
	m->input = 0;
	m->output = 8;
}

/* Seeded corruption of a small file: every byte is structure or close to. */
static void test_fuzz_small(void)
{
	struct tm_model tm;
	unsigned char *base, *buf;
	const char *env = getenv("MNET_TEST_FUZZ_ITERS");
	int seed, loaded = 0, iters = env ? atoi(env) : 4000;
	size_t len = 0;

	fuzz_model(&tm);
	base = tm_build(&tm, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	CU_ASSERT_EQUAL(try_load(base, len, 0), 0);
	buf = malloc(len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	for (seed = 1; seed <= iters; seed++) {
		uint64_t s = (uint64_t)seed * 0xD1B54A32D192ED03ull;
		int k, n = 1 + (int)(rng_next(&s) % 4);

		memcpy(buf, base, len);
		for (k = 0; k < n; k++) {
			size_t at = rng_next(&s) % len;

			if (rng_next(&s) % 4 == 0 && at + 4 <= len)
				wr32(buf, at, rng_next(&s) << (rng_next(&s) % 2 * 16));
			else
				buf[at] ^= (unsigned char)(1 + rng_next(&s) % 255);
		}
		loaded += try_load(buf, len, 0) == 0;
	}
	printf("\n  %d corruptions of a %zu-byte file: %d still loaded",
	       iters, len, loaded);
	free(buf);
	free(base);
}

static void test_files(void)
{
	struct mnet_err err = { 0 };
	struct mnet_model *m = NULL;
	char path[64];

	snprintf(path, sizeof(path), "/nonexistent/dir/%d.tflite",
		 (int)getpid());
	CU_ASSERT_EQUAL(mnet_model_load_file(path, &m, &err), -ENOENT);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_EQUAL(strncmp(err.msg, path, strlen(path)), 0);

	memset(&err, 0, sizeof(err));
	CU_ASSERT(mnet_model_load_file("/", &m, &err) < 0);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "directory"));

	memset(&err, 0, sizeof(err));
	CU_ASSERT(mnet_model_load_file("/dev/null", &m, &err) < 0);
	CU_ASSERT(err.msg[0] != '\0');

	memset(&err, 0, sizeof(err));
	CU_ASSERT(mnet_model_load_file(mnet_test_shared_path("images/cat.bmp"),
				       &m, &err) < 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a TFLite file"));
	CU_ASSERT_PTR_NULL(m);
}

static const CU_TestInfo tests[] = {
	{ "empty and tiny buffers", test_empty },
	{ "truncations of a real model", test_truncations },
	{ "300 seeded corruptions", test_byte_flips },
	{ "wrong file identifier", test_identifier },
	{ "offsets outside, vector lengths near UINT32_MAX",
	  test_offsets_and_lengths },
	{ "absurd shapes, strides and indices", test_absurd_shapes },
	{ "4000 seeded corruptions of a small file", test_fuzz_small },
	{ "missing file, directory, not a model", test_files },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	const char *rel = "models/mobilenet_v1_0.25_128_quant.tflite";
	int ret;

	model = mnet_test_read_file(mnet_test_shared_path(rel), &model_len);
	if (!model || model_len < 65536 + 49152) {
		printf("test_hostile: %s missing; skipped\n",
		       mnet_test_shared_path(rel));
		free(model);
		return 77;
	}
	ret = mnet_test_run_suite("hostile", tests);
	free(model);
	return ret;
}
