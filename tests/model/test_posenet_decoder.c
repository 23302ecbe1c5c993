// SPDX-License-Identifier: Apache-2.0
/*
 * test_posenet_decoder.c - PosenetDecoderOp on tiny hand-made maps, with
 * goldens computed by hand
 *
 * A 3x3 map, stride 16, NMS radius 16 pixels (one cell).  Every heatmap
 * logit is 3, but the nose's: 5 at the centre cell (1, 1), 4 elsewhere.
 * The nose's short offset at the centre is (+8, -8) pixels; every other
 * offset is 0, except the mid-offset channel 32 (meant as the y of the
 * backward edge eye -> nose): +16 pixels everywhere.
 *
 * - Pose 0 roots at the nose: the centre plus its offset over the
 *   stride, block (1.5, 0.5), pixels (24, 8).  Its score is the logit
 *   sampled bilinearly there, (4 + 5 + 4 + 4) / 4 = 4.25, not the cell's
 *   5.  Every other keypoint lands there with logit 3.
 * - Pose 1 roots at the left eye of cell (0, 0), the first of the equal
 *   candidates not within the radius of pose 0's.  The nose is reached
 *   from the eye along the first backward edge, channels 32 and 48 (not
 *   16 and 32, as an older release of the operator read them): at (0,
 *   16) pixels.  The rest follow the nose.
 * - A score_threshold above both pose scores keeps no pose, though the
 *   nose's root passes it: poses are thresholded on their mean score.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "custom/custom_op.h"
#include "lib/test_util.h"

#define H 3
#define W 3
#define KP 17
#define MAX_DET 2

struct fbx_opt {
	const char *key;
	int is_float;
	float f;
	int32_t i;
};

/*
 * A flexbuffer map of @n scalars (@o sorted by key), 4 bytes wide: the
 * key strings, the keys vector (width 1: size, then offsets back), the
 * map's prefix (keys offset, keys width, size), values, types, root.
 */
static size_t fbx_map(uint8_t *b, const struct fbx_opt *o, int n)
{
	size_t at = 0, key_at[8], kv, pre, val;
	int k;

	for (k = 0; k < n; k++) {
		key_at[k] = at;
		memcpy(b + at, o[k].key, strlen(o[k].key) + 1);
		at += strlen(o[k].key) + 1;
	}
	b[at++] = (uint8_t)n;
	kv = at;
	for (k = 0; k < n; k++, at++)
		b[at] = (uint8_t)(at - key_at[k]);
	while (at % 4)
		b[at++] = 0;
	pre = at;
	memset(b + at, 0, 12);
	b[at] = (uint8_t)(pre - kv);
	b[at + 4] = 1;
	b[at + 8] = (uint8_t)n;
	at += 12;
	val = at;
	for (k = 0; k < n; k++, at += 4) {
		if (o[k].is_float)
			memcpy(b + at, &o[k].f, 4);
		else
			memcpy(b + at, &o[k].i, 4);
	}
	for (k = 0; k < n; k++)
		b[at++] = (uint8_t)((o[k].is_float ? 3 : 1) << 2 | 2);
	b[at] = (uint8_t)(at - val);
	at++;
	b[at++] = 9 << 2 | 2;	/* MAP, width 4 */
	b[at++] = 1;
	return at;
}

static float heat[H * W * KP], shrt[H * W * 2 * KP], mid[H * W * 64];
static float kps[MAX_DET * KP * 2], ks[MAX_DET * KP], ps[MAX_DET], count;

static void make_maps(void)
{
	int c, k;

	for (c = 0; c < H * W; c++) {
		for (k = 0; k < KP; k++)
			heat[c * KP + k] = k ? 3.0f : c == 4 ? 5.0f : 4.0f;
		for (k = 0; k < 2 * KP; k++)
			shrt[c * 2 * KP + k] = 0.0f;
		for (k = 0; k < 64; k++)
			mid[c * 64 + k] = k == 48 ? 16.0f : 0.0f;
	}
	shrt[4 * 2 * KP] = 8.0f;		/* nose y at the centre */
	shrt[4 * 2 * KP + KP] = -8.0f;		/* nose x */
}

/* Decode the maps with @threshold; the return value of run(). */
static int decode(float threshold, int max_det)
{
	const struct mnet_custom_op_ops *op = &mnet_custom_posenet_decoder;
	const struct fbx_opt opts[] = {
		{ "max_detections", 0, 0.0f, max_det },
		{ "nms_radius", 1, 16.0f, 0 },
		{ "score_threshold", 1, threshold, 0 },
		{ "stride", 0, 0.0f, 16 },
	};
	const struct mnet_shape in[3] = {
		{ .h = H, .w = W, .c = KP },
		{ .h = H, .w = W, .c = 2 * KP },
		{ .h = H, .w = W, .c = 64 },
	};
	const float *ins[3] = { heat, shrt, mid };
	float *outs[4] = { kps, ks, ps, &count };
	struct mnet_shape out[4];
	struct mnet_err err = { 0 };
	uint8_t buf[256];
	void *state = NULL, *scratch;
	size_t len;
	int ret;

	make_maps();
	len = fbx_map(buf, opts, 4);
	CU_ASSERT_EQUAL_FATAL(op->parse(buf, len, &state, "test", &err), 0);
	CU_ASSERT_EQUAL_FATAL(op->shapes(state, in, 3, out, 4, "test", &err),
			      0);
	CU_ASSERT_EQUAL(out[0].h, max_det);
	scratch = malloc(op->scratch(state, in, 3));
	CU_ASSERT_PTR_NOT_NULL_FATAL(scratch);
	memset(kps, 0xff, sizeof(kps));	/* unused entries must become 0 */
	ret = op->run(state, ins, in, outs, scratch);
	free(scratch);
	op->free(state);
	return ret;
}

static float sigm(float v)
{
	return 1.0f / (1.0f + expf(-v));
}

static void test_two_poses(void)
{
	const float root = sigm(4.25f), other = sigm(3.0f), nose = sigm(4.0f);
	int k;

	CU_ASSERT_EQUAL_FATAL(decode(0.5f, MAX_DET), 0);
	CU_ASSERT_EQUAL_FATAL((int)count, 2);
	/* pose 0: every keypoint at the nose's refined root */
	for (k = 0; k < KP; k++) {
		CU_ASSERT_DOUBLE_EQUAL(kps[k * 2], 24.0, 1e-4);
		CU_ASSERT_DOUBLE_EQUAL(kps[k * 2 + 1], 8.0, 1e-4);
		CU_ASSERT_DOUBLE_EQUAL(ks[k], k ? other : root, 1e-5);
	}
	CU_ASSERT_DOUBLE_EQUAL(ps[0], (root + 16 * other) / KP, 1e-5);
	/* pose 1: eye and ear at (0, 0), the nose and the rest at (0, 16) */
	for (k = 0; k < KP; k++) {
		const float *q = kps + (KP + k) * 2;
		float x = k == 1 || k == 3 ? 0.0f : 16.0f;

		CU_ASSERT_DOUBLE_EQUAL(q[0], 0.0, 1e-4);
		CU_ASSERT_DOUBLE_EQUAL(q[1], x, 1e-4);
		CU_ASSERT_DOUBLE_EQUAL(ks[KP + k], k ? other : nose, 1e-5);
	}
	CU_ASSERT_DOUBLE_EQUAL(ps[1], (nose + 16 * other) / KP, 1e-5);
}

static void test_max_detections(void)
{
	CU_ASSERT_EQUAL_FATAL(decode(0.5f, 1), 0);
	CU_ASSERT_EQUAL((int)count, 1);
	CU_ASSERT_DOUBLE_EQUAL(kps[0], 24.0, 1e-4);
}

static void test_pose_threshold(void)
{
	int k;

	/* logodds(0.96) = 3.18: only the nose's root passes; its pose not */
	CU_ASSERT_EQUAL_FATAL(decode(0.96f, MAX_DET), 0);
	CU_ASSERT_EQUAL((int)count, 0);
	for (k = 0; k < MAX_DET * KP * 2; k++)
		CU_ASSERT_EQUAL(kps[k], 0.0f);
	CU_ASSERT_EQUAL(ps[0], 0.0f);
}

static void test_options_required(void)
{
	const struct mnet_custom_op_ops *op = &mnet_custom_posenet_decoder;
	const struct fbx_opt opts[] = {
		{ "max_detections", 0, 0.0f, 20 },
		{ "nms_radius", 1, 10.0f, 0 },
		{ "score_threshold", 1, 0.5f, 0 },
	};
	struct mnet_err err = { 0 };
	uint8_t buf[256];
	void *state = NULL;
	size_t len = fbx_map(buf, opts, 3);

	CU_ASSERT_EQUAL(op->parse(buf, len, &state, "test", &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "option stride is missing"));
	CU_ASSERT_PTR_NULL(state);
}

static const CU_TestInfo tests[] = {
	{ "two poses: offsets over the stride, bilinear scores, edges",
	  test_two_poses },
	{ "max_detections caps the poses", test_max_detections },
	{ "poses below score_threshold are dropped", test_pose_threshold },
	{ "a missing option is refused", test_options_required },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return mnet_test_run_suite("posenet_decoder", tests);
}
