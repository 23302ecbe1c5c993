// SPDX-License-Identifier: Apache-2.0
/*
 * test_graph_host.c - what the loader does with PAD and CUSTOM, on small
 * built files, and the flexbuffer reader of custom options
 *
 * A spatial PAD before a convolution becomes that layer's explicit
 * padding: PAD(1,1,1,1) + CONV_2D 3x3 VALID is one layer that computes
 * exactly what CONV_2D 3x3 SAME does.  A PAD that cannot be folded (past
 * the kernel, or read by another op) is an error naming its index.  A
 * custom operator the registry lacks fails naming its name and index;
 * PosenetDecoderOp with the wrong inputs or options says so.  The
 * flexbuffer reader finds a map's scalars and refuses every truncation
 * and corruption of a valid buffer without reading out of bounds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custom/flexbuf.h"
#include "lib/test_util.h"
#include "lib/tfl_builder.h"
#include "model/model.h"

#define N 5
#define C 3
#define CO 4

static float weights[CO * 3 * 3 * C], bias[CO];

/*
 * input 1xNxNxC -> [PAD(@pad) ->] CONV_2D 3x3 (SAME when @pad is 0,
 * else VALID) -> 1xOxOxCO.  Float.
 */
static void conv_model(struct tm_model *m, int pad, int out_side)
{
	static int32_t pads[8];
	int k, t = 0;

	for (k = 0; k < CO * 3 * 3 * C; k++)
		weights[k] = (float)((k * 7) % 11 - 5) / 8.0f;
	for (k = 0; k < CO; k++)
		bias[k] = 0.25f * (float)k;
	memset(m, 0, sizeof(*m));
	for (k = 0; k < 8; k++)
		pads[k] = k >= 2 && k < 6 ? pad : 0;
	m->t[t++] = (struct tm_tensor){ .name = "input", .rank = 4,
					.dims = { 1, N, N, C } };
	m->t[t++] = (struct tm_tensor){ .name = "w", .rank = 4,
					.dims = { CO, 3, 3, C },
					.data = weights,
					.bytes = sizeof(weights) };
	m->t[t++] = (struct tm_tensor){ .name = "b", .rank = 1,
					.dims = { CO }, .data = bias,
					.bytes = sizeof(bias) };
	m->t[t++] = (struct tm_tensor){ .name = "out", .rank = 4,
					.dims = { 1, out_side, out_side, CO } };
	if (pad) {
		m->t[t++] = (struct tm_tensor){ .name = "paddings", .rank = 2,
						.dims = { 4, 2 }, .type = 2,
						.data = pads,
						.bytes = sizeof(pads) };
		m->t[t++] = (struct tm_tensor){ .name = "padded", .rank = 4,
						.dims = { 1, N + 2 * pad,
							  N + 2 * pad, C } };
		m->ops[m->n_ops++] = (struct tm_op){ .code = 34, .n_in = 2,
						     .in = { 0, 4 }, .out = 5 };
	}
	m->ops[m->n_ops++] = (struct tm_op){
		.code = 3, .n_in = 3, .in = { pad ? 5 : 0, 1, 2 }, .out = 3,
		.opt_type = 1, .n_opt = 3,
		.opt = { { 0, TFB_U8, pad ? 1 : 0, 0 }, { 1, TFB_I32, 1, 0 },
			 { 2, TFB_I32, 1, 0 } } };
	m->n_t = t;
	m->input = 0;
	m->output = 3;
}

static int load(const struct tm_model *tm, struct mnet_model **m,
		struct mnet_err *err)
{
	size_t len;
	uint8_t *buf = tm_build(tm, &len);
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	ret = mnet_model_load_memory(buf, len, "built.tflite", m, err);
	free(buf);
	return ret;
}

static int run_ref(const struct mnet_model *m, const float *in, float *out,
		   size_t n_out)
{
	struct mnet_session_opts o;
	struct mnet_session *s;
	struct mnet_err err = { 0 };
	int ret;

	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	ret = mnet_session_create(m, &o, &s, &err);
	if (ret)
		return ret;
	ret = mnet_session_run(s, in, N * N * C);
	if (!ret)
		ret = mnet_session_output_read(s, 0, out, n_out);
	mnet_session_destroy(s);
	return ret;
}

static void test_pad_folds(void)
{
	struct mnet_model *a = NULL, *b = NULL;
	struct mnet_err err = { 0 };
	float in[N * N * C], oa[N * N * CO], ob[N * N * CO];
	struct tm_model tm;
	int k;

	for (k = 0; k < N * N * C; k++)
		in[k] = (float)((k * 13) % 17 - 8) / 4.0f;
	conv_model(&tm, 1, N);
	CU_ASSERT_EQUAL_FATAL(load(&tm, &a, &err), 0);
	conv_model(&tm, 0, N);
	CU_ASSERT_EQUAL_FATAL(load(&tm, &b, &err), 0);
	CU_ASSERT_EQUAL(mnet_model_layer_count(a), 1);
	CU_ASSERT_EQUAL(a->layers[0].pad_top, 1);
	CU_ASSERT_EQUAL(a->layers[0].pad_left, 1);
	CU_ASSERT_EQUAL(a->layers[0].in_shape.h, N);
	CU_ASSERT_EQUAL_FATAL(run_ref(a, in, oa, N * N * CO), 0);
	CU_ASSERT_EQUAL_FATAL(run_ref(b, in, ob, N * N * CO), 0);
	CU_ASSERT_EQUAL(memcmp(oa, ob, sizeof(oa)), 0);
	mnet_model_free(a);
	mnet_model_free(b);
}

static void test_pad_refused(void)
{
	struct mnet_model *m = NULL;
	struct mnet_err err = { 0 };
	struct tm_model tm;

	/* 3 rows of zeros above a 3x3 kernel: it would see nothing else */
	conv_model(&tm, 3, N + 4);
	CU_ASSERT_EQUAL(load(&tm, &m, &err), -EOPNOTSUPP);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "op 0 PAD: cannot be folded into op 1"));
	CU_ASSERT_PTR_NULL(m);
	/* the graph's output: nothing to fold it into */
	tm_refused_model(&tm);
	CU_ASSERT_EQUAL(load(&tm, &m, &err), -EOPNOTSUPP);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "op 1 PAD: cannot be folded"));
}

/* conv_model() without PAD, then CUSTOM @name reading the output. */
static void custom_model(struct tm_model *tm, const char *name, int n_in,
			 const uint8_t *opts, uint32_t n_opts)
{
	conv_model(tm, 0, N);
	tm->t[tm->n_t++] = (struct tm_tensor){ .name = "decoded", .rank = 1,
					       .dims = { 1 } };
	tm->custom[tm->n_ops] = (struct tm_custom){ .name = name, .opts = opts,
						    .n_opts = n_opts };
	tm->ops[tm->n_ops++] = (struct tm_op){
		.code = 32, .n_in = n_in, .in = { 3, 3, 3 }, .out = 4 };
	tm->output = 4;
}

static void test_custom_refused(void)
{
	static const uint8_t junk[] = { 1, 2, 3, 4, 5 };
	struct mnet_model *m = NULL;
	struct mnet_err err = { 0 };
	struct tm_model tm;

	custom_model(&tm, "FooOp", 1, NULL, 0);
	CU_ASSERT_EQUAL(load(&tm, &m, &err), -EOPNOTSUPP);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "op 1 CUSTOM 'FooOp': custom operator not supported"));
	custom_model(&tm, "PosenetDecoderOp", 3, junk, sizeof(junk));
	CU_ASSERT_EQUAL(load(&tm, &m, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "op 1 PosenetDecoderOp"));
	CU_ASSERT_PTR_NULL(m);
}

/*
 * A flexbuffer map {"a": 7 (int), "b": 2.5 (float)}, values 4 bytes
 * wide, built by hand after the format: key strings, the keys vector
 * (size, then offsets back to the strings), the map's prefix (keys
 * offset, keys width, size), the values, their types, then the root
 * (offset back to the values, type MAP | width 4, root width 1).
 */
static const uint8_t fbx[] = {
	'a', 0, 'b', 0,
	2, 5, 4, 0,			/* keys: size 2, back 5 and 4 */
	3, 0, 0, 0, 1, 0, 0, 0,		/* keys 3 back, width 1 */
	2, 0, 0, 0,			/* size */
	7, 0, 0, 0, 0x00, 0x00, 0x20, 0x40,	/* 7, 2.5f */
	(1 << 2) | 2, (3 << 2) | 2,	/* INT, FLOAT */
	10, (9 << 2) | 2, 1,		/* root */
};

static void test_flexbuf(void)
{
	struct mnet_flexbuf_map map;
	uint8_t buf[sizeof(fbx)];
	double v = 0.0;
	size_t len, k;
	int bit;

	CU_ASSERT_EQUAL_FATAL(mnet_flexbuf_map_open(fbx, sizeof(fbx), &map), 0);
	CU_ASSERT_EQUAL(map.n, 2);
	CU_ASSERT_EQUAL(mnet_flexbuf_map_number(&map, "a", &v), 0);
	CU_ASSERT_EQUAL(v, 7.0);
	CU_ASSERT_EQUAL(mnet_flexbuf_map_number(&map, "b", &v), 0);
	CU_ASSERT_EQUAL(v, 2.5);
	CU_ASSERT_EQUAL(mnet_flexbuf_map_number(&map, "c", &v), -ENOENT);
	CU_ASSERT_EQUAL(mnet_flexbuf_map_number(&map, "", &v), -ENOENT);
	/* every truncation from the front (the root is at the end) */
	for (len = 1; len < sizeof(fbx); len++) {
		memcpy(buf, fbx + len, sizeof(fbx) - len);
		if (!mnet_flexbuf_map_open(buf, sizeof(fbx) - len, &map)) {
			mnet_flexbuf_map_number(&map, "a", &v);
			mnet_flexbuf_map_number(&map, "b", &v);
		}
	}
	CU_ASSERT_EQUAL(mnet_flexbuf_map_open(fbx, 2, &map), -EINVAL);
	CU_ASSERT_EQUAL(mnet_flexbuf_map_open(NULL, 0, &map), -EINVAL);
	/* every single-bit corruption: an answer or -EINVAL, never a crash */
	for (k = 0; k < sizeof(fbx); k++)
		for (bit = 0; bit < 8; bit++) {
			memcpy(buf, fbx, sizeof(fbx));
			buf[k] ^= (uint8_t)(1u << bit);
			if (!mnet_flexbuf_map_open(buf, sizeof(buf), &map)) {
				mnet_flexbuf_map_number(&map, "a", &v);
				mnet_flexbuf_map_number(&map, "b", &v);
			}
		}
}

static const CU_TestInfo tests[] = {
	{ "PAD + VALID conv is the SAME conv, in one layer", test_pad_folds },
	{ "a PAD that cannot be folded names its op", test_pad_refused },
	{ "unknown custom ops and bad decoder options", test_custom_refused },
	{ "flexbuffer map: values, truncations, corruptions", test_flexbuf },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return mnet_test_run_suite("graph: PAD and CUSTOM", tests);
}
