// SPDX-License-Identifier: Apache-2.0
/*
 * posenet_decoder.c - PosenetDecoderOp: multi-person pose decoding on the
 * host, from heatmaps, short-range and mid-range offsets
 *
 * DOC: PoseNet decoding
 *
 * Written from the published algorithm (Papandreou et al. 2018, PersonLab;
 * the multi-pose decoding of the tfjs-models posenet description):
 *
 * 1. Scores are sigmoid(heatmap); a candidate is a (cell, keypoint) whose
 *    score reaches score_threshold and is the largest of its keypoint's
 *    3x3 neighbourhood (local-maximum radius 1).  Candidates are taken in
 *    decreasing score.
 * 2. A candidate's position is its cell times the output stride plus its
 *    short-range offset.  It is dropped when an accepted pose already has
 *    the same keypoint within nms_radius (pixels of the model input).
 * 3. Otherwise it roots a new pose: the other keypoints are reached along
 *    the 16 edges of the keypoint tree, first backward (child to parent,
 *    with the backward mid-range displacements), then forward; each step
 *    displaces from the source keypoint's nearest cell, then refines the
 *    target three times with its short-range offset, sampled bilinearly
 *    at the point reached.  A keypoint's score is the sigmoid of its
 *    heatmap logit sampled bilinearly at its final position.
 * 4. A pose's score is the mean over the 17 keypoints of the scores of
 *    those not within nms_radius of the same keypoint of an earlier pose.
 *    At most max_detections poses.
 *
 * Inputs: heatmaps [H, W, 17] (logits), short offsets [H, W, 34] (y of
 * keypoint k in channel k, x in 17 + k), mid offsets [H, W, 64] (forward
 * edges: y in e, x in 16 + e; backward: 32 + e and 48 + e).  Outputs, as
 * the file names them poses, poses:1 .. poses:3: keypoints [N, 17, 2] as
 * (y, x) in pixels of the model input, keypoint scores [N, 17], pose
 * scores [N], and the pose count [1], N = max_detections; unused entries
 * are 0.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custom/custom_op.h"
#include "custom/flexbuf.h"

#define PN_KEYPOINTS 17
#define PN_EDGES 16
#define PN_REFINE_STEPS 3
#define PN_LOCAL_RADIUS 1
#define PN_MAX_DETECTIONS 1024

/* The keypoint tree: edge e goes from parent[e] to child[e]. */
static const int pn_parent[PN_EDGES] = {
	0, 1, 0, 2, 0, 5, 7, 5, 11, 13, 0, 6, 8, 6, 12, 14,
};
static const int pn_child[PN_EDGES] = {
	1, 3, 2, 4, 5, 7, 9, 11, 13, 15, 6, 8, 10, 12, 14, 16,
};

struct pn_opts {
	int max_detections;
	float score_threshold;
	int stride;
	float nms_radius;
};

struct pn_point {
	float y, x;
};

struct pn_cand {
	float score;
	int y, x, k;
};

/* One run's view of the three inputs. */
struct pn_maps {
	const float *heat, *shrt, *mid;
	int h, w;
	int stride;
};

static int opt_number(const struct mnet_flexbuf_map *map, const char *key,
		      double def, double lo, double hi, double *out,
		      const char *what, struct mnet_err *err)
{
	int ret = mnet_flexbuf_map_number(map, key, out);

	if (ret == -ENOENT) {
		*out = def;
		return 0;
	}
	if (ret)
		return mnet_err_set(err, -EINVAL, "%s: option %s is not a number",
				    what, key);
	if (!(*out >= lo && *out <= hi))
		return mnet_err_set(err, -EINVAL, "%s: option %s = %g; %g..%g is supported",
				    what, key, *out, lo, hi);
	return 0;
}

static int pn_parse(const uint8_t *opts, size_t len, void **state,
		    const char *what, struct mnet_err *err)
{
	struct mnet_flexbuf_map map;
	struct pn_opts *o;
	double v;
	int ret;

	if (!opts || !len)
		return mnet_err_set(err, -EINVAL, "%s: no options (max_detections, score_threshold, stride, nms_radius)",
				    what);
	if (mnet_flexbuf_map_open(opts, len, &map))
		return mnet_err_set(err, -EINVAL, "%s: options are not a flexbuffer map",
				    what);
	o = calloc(1, sizeof(*o));
	if (!o)
		return mnet_err_set(err, -ENOMEM, "%s: out of memory", what);
	ret = opt_number(&map, "max_detections", 20, 1, PN_MAX_DETECTIONS, &v,
			 what, err);
	o->max_detections = (int)v;
	if (!ret)
		ret = opt_number(&map, "score_threshold", 0.5, 0, 1, &v, what,
				 err);
	o->score_threshold = (float)v;
	if (!ret)
		ret = opt_number(&map, "stride", 16, 1, 256, &v, what, err);
	o->stride = (int)v;
	if (!ret)
		ret = opt_number(&map, "nms_radius", 20, 0, 1e6, &v, what, err);
	o->nms_radius = (float)v;
	if (ret) {
		free(o);
		return ret;
	}
	*state = o;
	return 0;
}

static int pn_shapes(const void *state, const struct mnet_shape *in,
		     int n_in, struct mnet_shape *out, int n_out,
		     const char *what, struct mnet_err *err)
{
	const struct pn_opts *o = state;
	int n = o->max_detections;

	if (n_in != 3 || n_out != 4)
		return mnet_err_set(err, -EINVAL, "%s: %d inputs and %d outputs; expected 3 (heatmaps, short offsets, mid offsets) and 4",
				    what, n_in, n_out);
	if (in[0].c != PN_KEYPOINTS || in[1].c != 2 * PN_KEYPOINTS ||
	    in[2].c != 4 * PN_EDGES)
		return mnet_err_set(err, -EINVAL, "%s: inputs of %d, %d and %d channels; expected %d, %d and %d",
				    what, in[0].c, in[1].c, in[2].c,
				    PN_KEYPOINTS, 2 * PN_KEYPOINTS,
				    4 * PN_EDGES);
	if (in[1].h != in[0].h || in[1].w != in[0].w ||
	    in[2].h != in[0].h || in[2].w != in[0].w)
		return mnet_err_set(err, -EINVAL, "%s: the three inputs differ in height or width",
				    what);
	out[0] = (struct mnet_shape){ .h = n, .w = PN_KEYPOINTS, .c = 2 };
	out[1] = (struct mnet_shape){ .h = n, .w = PN_KEYPOINTS, .c = 1 };
	out[2] = (struct mnet_shape){ .h = 1, .w = 1, .c = n };
	out[3] = (struct mnet_shape){ .h = 1, .w = 1, .c = 1 };
	return 0;
}

static float sigmoid(float v)
{
	return 1.0f / (1.0f + expf(-v));
}

static float score_at(const struct pn_maps *p, int y, int x, int k)
{
	return sigmoid(p->heat[((size_t)y * p->w + x) * PN_KEYPOINTS + k]);
}

/* Cell (y, x)'s short-range offset of keypoint @k added to its centre. */
static struct pn_point offset_point(const struct pn_maps *p, int y, int x,
				    int k)
{
	const float *s = p->shrt + ((size_t)y * p->w + x) * 2 * PN_KEYPOINTS;

	return (struct pn_point){ .y = (float)(y * p->stride) + s[k],
				  .x = (float)(x * p->stride) +
				       s[PN_KEYPOINTS + k] };
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The cell nearest a position (pixels), inside the map. */
static void nearest_cell(const struct pn_maps *p, struct pn_point pt, int *y,
			 int *x)
{
	*y = clampi((int)lroundf(pt.y / (float)p->stride), 0, p->h - 1);
	*x = clampi((int)lroundf(pt.x / (float)p->stride), 0, p->w - 1);
}

/*
 * Bilinear sample of channel @ch of an [h][w][@nc] map at a position in
 * pixels (clamped to the map): the offsets and the heatmap logits vary
 * smoothly between cells, and the positions refined from them do not fall
 * on cell centres.
 */
static float sample(const struct pn_maps *p, const float *map, int nc, int ch,
		    struct pn_point pt)
{
	float fy = pt.y / (float)p->stride, fx = pt.x / (float)p->stride;
	float ay, ax, v00, v01, v10, v11;
	int y0, x0, y1, x1;

	fy = fy < 0.0f ? 0.0f : fy > (float)(p->h - 1) ? (float)(p->h - 1) : fy;
	fx = fx < 0.0f ? 0.0f : fx > (float)(p->w - 1) ? (float)(p->w - 1) : fx;
	y0 = (int)floorf(fy);
	x0 = (int)floorf(fx);
	y1 = y0 + 1 < p->h ? y0 + 1 : y0;
	x1 = x0 + 1 < p->w ? x0 + 1 : x0;
	ay = fy - (float)y0;
	ax = fx - (float)x0;
	v00 = map[((size_t)y0 * p->w + x0) * nc + ch];
	v01 = map[((size_t)y0 * p->w + x1) * nc + ch];
	v10 = map[((size_t)y1 * p->w + x0) * nc + ch];
	v11 = map[((size_t)y1 * p->w + x1) * nc + ch];
	return (1.0f - ay) * ((1.0f - ax) * v00 + ax * v01) +
	       ay * ((1.0f - ax) * v10 + ax * v11);
}

static int local_max(const struct pn_maps *p, int y, int x, int k, float s)
{
	int dy, dx;

	for (dy = -PN_LOCAL_RADIUS; dy <= PN_LOCAL_RADIUS; dy++) {
		for (dx = -PN_LOCAL_RADIUS; dx <= PN_LOCAL_RADIUS; dx++) {
			int yy = y + dy, xx = x + dx;

			if (yy < 0 || yy >= p->h || xx < 0 || xx >= p->w ||
			    (!dy && !dx))
				continue;
			if (score_at(p, yy, xx, k) > s)
				return 0;
		}
	}
	return 1;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct pn_cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	/* equal scores: file order, so the result does not depend on qsort */
	if (x->y != y->y)
		return x->y - y->y;
	if (x->x != y->x)
		return x->x - y->x;
	return x->k - y->k;
}

/*
 * Follow an edge from the keypoint at @from to keypoint @dst: displace by
 * the mid-range offsets (channels @dy, @dx) at @from's nearest cell, then
 * refine with @dst's short-range offsets sampled at the point reached.
 * The score is the sigmoid of @dst's heatmap logit sampled there.
 */
static struct pn_point traverse(const struct pn_maps *p, struct pn_point from,
				int dst, int dy, int dx, float *score)
{
	const int nc = 2 * PN_KEYPOINTS;
	struct pn_point t, u;
	const float *d;
	int y, x, step;

	nearest_cell(p, from, &y, &x);
	d = p->mid + ((size_t)y * p->w + x) * 4 * PN_EDGES;
	t.y = from.y + d[dy];
	t.x = from.x + d[dx];
	for (step = 0; step < PN_REFINE_STEPS; step++) {
		u = t;
		t.y = u.y + sample(p, p->shrt, nc, dst, u);
		t.x = u.x + sample(p, p->shrt, nc, PN_KEYPOINTS + dst, u);
	}
	*score = sigmoid(sample(p, p->heat, PN_KEYPOINTS, dst, t));
	return t;
}

static void decode_pose(const struct pn_maps *p, const struct pn_cand *root,
			struct pn_point *kp, float *ks)
{
	int have[PN_KEYPOINTS] = { 0 };
	int e;

	kp[root->k] = offset_point(p, root->y, root->x, root->k);
	ks[root->k] = root->score;
	have[root->k] = 1;
	for (e = PN_EDGES - 1; e >= 0; e--) {
		int s = pn_child[e], t = pn_parent[e];

		if (have[s] && !have[t]) {
			kp[t] = traverse(p, kp[s], t, 2 * PN_EDGES + e,
					 3 * PN_EDGES + e, &ks[t]);
			have[t] = 1;
		}
	}
	for (e = 0; e < PN_EDGES; e++) {
		int s = pn_parent[e], t = pn_child[e];

		if (have[s] && !have[t]) {
			kp[t] = traverse(p, kp[s], t, e, PN_EDGES + e, &ks[t]);
			have[t] = 1;
		}
	}
}

/* Whether an accepted pose has keypoint @k within the NMS radius of @pt. */
static int near_earlier(const float *kps, int n_poses, int k,
			struct pn_point pt, float r2)
{
	int i;

	for (i = 0; i < n_poses; i++) {
		const float *q = kps + ((size_t)i * PN_KEYPOINTS + k) * 2;
		float dy = q[0] - pt.y, dx = q[1] - pt.x;

		if (dy * dy + dx * dx <= r2)
			return 1;
	}
	return 0;
}

/* The candidates: at most one per cell and keypoint. */
static size_t pn_scratch(const void *state, const struct mnet_shape *in,
			 int n_in)
{
	return (size_t)in[0].h * in[0].w * PN_KEYPOINTS *
	       sizeof(struct pn_cand);
}

static int pn_run(const void *state, const float *const *in,
		  const struct mnet_shape *in_shape, float *const *out,
		  void *scratch)
{
	const struct pn_opts *o = state;
	struct pn_maps p = {
		.heat = in[0], .shrt = in[1], .mid = in[2],
		.h = in_shape[0].h, .w = in_shape[0].w, .stride = o->stride,
	};
	float r2 = o->nms_radius * o->nms_radius;
	float *kps = out[0], *kscore = out[1], *pscore = out[2];
	struct pn_cand *cand = scratch;
	size_t n_cand = 0, c;
	int n_poses = 0, y, x, k;

	memset(kps, 0, (size_t)o->max_detections * PN_KEYPOINTS * 2 *
		       sizeof(float));
	memset(kscore, 0, (size_t)o->max_detections * PN_KEYPOINTS *
			  sizeof(float));
	memset(pscore, 0, (size_t)o->max_detections * sizeof(float));
	for (y = 0; y < p.h; y++) {
		for (x = 0; x < p.w; x++) {
			for (k = 0; k < PN_KEYPOINTS; k++) {
				float s = score_at(&p, y, x, k);

				if (s < o->score_threshold ||
				    !local_max(&p, y, x, k, s))
					continue;
				cand[n_cand++] = (struct pn_cand){
					.score = s, .y = y, .x = x, .k = k };
			}
		}
	}
	qsort(cand, n_cand, sizeof(*cand), cand_cmp);
	for (c = 0; c < n_cand && n_poses < o->max_detections; c++) {
		struct pn_point kp[PN_KEYPOINTS];
		float ks[PN_KEYPOINTS], sum = 0.0f;
		struct pn_point root;

		root = offset_point(&p, cand[c].y, cand[c].x, cand[c].k);
		if (near_earlier(kps, n_poses, cand[c].k, root, r2))
			continue;
		decode_pose(&p, &cand[c], kp, ks);
		for (k = 0; k < PN_KEYPOINTS; k++)
			if (!near_earlier(kps, n_poses, k, kp[k], r2))
				sum += ks[k];
		for (k = 0; k < PN_KEYPOINTS; k++) {
			float *q = kps + ((size_t)n_poses * PN_KEYPOINTS + k) * 2;

			q[0] = kp[k].y;
			q[1] = kp[k].x;
			kscore[(size_t)n_poses * PN_KEYPOINTS + k] = ks[k];
		}
		pscore[n_poses++] = sum / PN_KEYPOINTS;
	}
	out[3][0] = (float)n_poses;
	return 0;
}

const struct mnet_custom_op_ops mnet_custom_posenet_decoder = {
	.name = "PosenetDecoderOp",
	.n_in = 3,
	.n_out = 4,
	.parse = pn_parse,
	.shapes = pn_shapes,
	.scratch = pn_scratch,
	.run = pn_run,
	.free = free,
};
