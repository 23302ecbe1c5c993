// SPDX-License-Identifier: Apache-2.0
/*
 * posenet_decoder.c - PosenetDecoderOp: multi-person pose decoding on the
 * host, from heatmaps, short-range and mid-range offsets
 *
 * DOC: PoseNet decoding
 *
 * The algorithm is PersonLab's (Papandreou et al. 2018); the arithmetic
 * follows the operator that the PoseNet files were made for (the Coral
 * PosenetDecoderOp), step for step, because a score read a fraction of a
 * cell away, or a keypoint reached along another edge, moves the result
 * by more than its consumers tolerate.  All of it is in "block space",
 * units of one output cell:
 *
 * 1. The short and mid offsets (pixels in the file) are divided by the
 *    stride.  Heatmaps stay logits; score_threshold becomes a logit.
 * 2. A root candidate is a (cell, keypoint) whose logit reaches that
 *    threshold and which no cell of its keypoint's 3x3 neighbourhood
 *    exceeds; its position is the cell plus its short offset, clamped to
 *    the map.  Candidates are taken in decreasing logit.
 * 3. A candidate within nms_radius / stride of the same keypoint of an
 *    accepted pose is dropped.  Otherwise its pose grows best-first: a
 *    queue of keypoints ordered by logit starts with the root (its logit
 *    sampled bilinearly at its position); the best undecoded one is
 *    fixed, and each undecoded neighbour along the 32 directed edges is
 *    queued: the mid offsets sampled bilinearly at the source, then five
 *    steps of the target's short offsets sampled bilinearly at the point
 *    reached, clamping to the map after each step; its logit is sampled
 *    there.  The scores are the sigmoids of those logits.
 * 4. A pose is kept when the mean of its 17 scores reaches
 *    score_threshold; at most max_detections.  Then soft NMS: in
 *    decreasing score, a pose's score becomes the mean over 17 of the
 *    scores of its keypoints not within the NMS radius of the same
 *    keypoint of a better pose; poses are reordered by it and those
 *    below score_threshold dropped.
 *
 * The mid offsets are [fwd y][fwd x][bwd y][bwd x], 16 channels each
 * (the file concatenates the forward and backward heads), as the
 * operator's libcoral release reads them; its older edgetpu release
 * shifted only backward edges past the first, so the eye -> nose edge
 * read forward channels.  On the shared photo the two agree.
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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "custom/custom_op.h"
#include "custom/flexbuf.h"

#define PN_KEYPOINTS 17
#define PN_EDGES 16
#define PN_REFINE_STEPS 5
#define PN_LOCAL_RADIUS 1
#define PN_MAX_DETECTIONS 1024
/* A pose's queue: the root, then at most one entry per directed edge. */
#define PN_QUEUE (1 + 2 * PN_EDGES)

/* The keypoint tree: forward edge e goes from parent[e] to child[e]. */
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

/* A position in block space (units of one cell), y first. */
struct pn_point {
	float y, x;
};

/* A keypoint candidate: a root, or an entry of a pose's queue. */
struct pn_kp {
	float logit;
	struct pn_point pt;
	int k;
	int order;	/* tie-break: the order it was found in */
};

/* One decoded pose, in block space, before soft NMS. */
struct pn_pose {
	struct pn_point pt[PN_KEYPOINTS];
	float score[PN_KEYPOINTS];
	float total;
};

/* One run's view of the three inputs. */
struct pn_maps {
	const float *heat, *shrt, *mid;
	int h, w;
	float inv_stride;
};

static int opt_number(const struct mnet_flexbuf_map *map, const char *key,
		      double lo, double hi, double *out, const char *what,
		      struct mnet_err *err)
{
	int ret = mnet_flexbuf_map_number(map, key, out);

	/*
	 * The operator reads all four keys and takes a missing one as 0,
	 * which decodes nothing (or fails, for the stride): refuse it here.
	 */
	if (ret == -ENOENT)
		return mnet_err_set(err, -EINVAL, "%s: option %s is missing",
				    what, key);
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
	/* the integers truncate, the reals become floats, as there */
	ret = opt_number(&map, "max_detections", 1, PN_MAX_DETECTIONS, &v,
			 what, err);
	o->max_detections = (int)v;
	if (!ret)
		ret = opt_number(&map, "score_threshold", 0, 1, &v, what, err);
	o->score_threshold = (float)v;
	if (!ret)
		ret = opt_number(&map, "stride", 1, 256, &v, what, err);
	o->stride = (int)v;
	if (!ret)
		ret = opt_number(&map, "nms_radius", 0, 1e6, &v, what, err);
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

/* The logit of a probability, as the operator computes its threshold. */
static float logodds(float p)
{
	return -logf(1.0f / (p + 1e-6f) - 1.0f);
}

static float clampf(float v, float lo, float hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static struct pn_point clamp_point(const struct pn_maps *p, float y, float x)
{
	return (struct pn_point){ .y = clampf(y, 0.0f, (float)(p->h - 1)),
				  .x = clampf(x, 0.0f, (float)(p->w - 1)) };
}

/*
 * Bilinear sample of channels @c0 and @c1 of an [h][w][@nc] map at @pt
 * (inside the map: every position is clamped before it is sampled).
 */
static void sample2(const struct pn_maps *p, const float *map, int nc,
		    int c0, int c1, struct pn_point pt, float *v0, float *v1)
{
	int y0 = (int)floorf(pt.y), x0 = (int)floorf(pt.x);
	int y1 = (int)ceilf(pt.y), x1 = (int)ceilf(pt.x);
	float ay = pt.y - (float)y0, ax = pt.x - (float)x0;
	const float *a = map + ((size_t)y0 * p->w + x0) * nc;
	const float *b = map + ((size_t)y0 * p->w + x1) * nc;
	const float *c = map + ((size_t)y1 * p->w + x0) * nc;
	const float *d = map + ((size_t)y1 * p->w + x1) * nc;

	*v0 = (1.0f - ay) * ((1.0f - ax) * a[c0] + ax * b[c0]) +
	      ay * ((1.0f - ax) * c[c0] + ax * d[c0]);
	*v1 = (1.0f - ay) * ((1.0f - ax) * a[c1] + ax * b[c1]) +
	      ay * ((1.0f - ax) * c[c1] + ax * d[c1]);
}

static float logit_at(const struct pn_maps *p, int k, struct pn_point pt)
{
	float v, unused;

	sample2(p, p->heat, PN_KEYPOINTS, k, k, pt, &v, &unused);
	return v;
}

/*
 * Directed edge @d (0..31): forward edges 0..15 go parent to child,
 * backward edges 16..31 child to parent.  @y_ch receives its mid-offset
 * channel of y (x is 16 further).
 */
static void edge_ends(int d, int *src, int *dst, int *y_ch)
{
	if (d < PN_EDGES) {
		*src = pn_parent[d];
		*dst = pn_child[d];
	} else {
		*src = pn_child[d - PN_EDGES];
		*dst = pn_parent[d - PN_EDGES];
	}
	*y_ch = d >= PN_EDGES ? d + PN_EDGES : d;
}

/* Follow edge @d from @from to keypoint @dst; refine with its offsets. */
static struct pn_point displace(const struct pn_maps *p, struct pn_point from,
				int y_ch, int dst)
{
	const float s = p->inv_stride;
	struct pn_point t;
	float dy, dx;
	int step;

	sample2(p, p->mid, 4 * PN_EDGES, y_ch, y_ch + PN_EDGES, from, &dy,
		&dx);
	t = clamp_point(p, from.y + dy * s, from.x + dx * s);
	for (step = 0; step < PN_REFINE_STEPS; step++) {
		sample2(p, p->shrt, 2 * PN_KEYPOINTS, dst, PN_KEYPOINTS + dst,
			t, &dy, &dx);
		t = clamp_point(p, t.y + dy * s, t.x + dx * s);
	}
	return t;
}

/* Take the best entry of a pose's queue (the earliest among equals). */
static struct pn_kp queue_pop(struct pn_kp *q, int *n)
{
	struct pn_kp best;
	int i, b = 0;

	for (i = 1; i < *n; i++)
		if (q[i].logit > q[b].logit)
			b = i;
	best = q[b];
	memmove(q + b, q + b + 1, (size_t)(*n - b - 1) * sizeof(*q));
	(*n)--;
	return best;
}

/* Grow one pose from @root best-first; its scores as probabilities. */
static void decode_pose(const struct pn_maps *p, const struct pn_kp *root,
			struct pn_pose *pose)
{
	int decoded[PN_KEYPOINTS] = { 0 };
	struct pn_kp q[PN_QUEUE];
	int n = 0, k, d;

	for (k = 0; k < PN_KEYPOINTS; k++) {
		pose->pt[k] = (struct pn_point){ .y = -1.0f, .x = -1.0f };
		pose->score[k] = -1e5f;
	}
	q[n++] = (struct pn_kp){ .logit = logit_at(p, root->k, root->pt),
				 .pt = root->pt, .k = root->k };
	while (n) {
		struct pn_kp cur = queue_pop(q, &n);

		if (decoded[cur.k])
			continue;
		decoded[cur.k] = 1;
		pose->pt[cur.k] = cur.pt;
		pose->score[cur.k] = cur.logit;
		for (d = 0; d < 2 * PN_EDGES && n < PN_QUEUE; d++) {
			struct pn_point t;
			int src, dst, y_ch;

			edge_ends(d, &src, &dst, &y_ch);
			if (src != cur.k || decoded[dst])
				continue;
			t = displace(p, cur.pt, y_ch, dst);
			q[n++] = (struct pn_kp){ .logit = logit_at(p, dst, t),
						 .pt = t, .k = dst };
		}
	}
	pose->total = 0.0f;
	for (k = 0; k < PN_KEYPOINTS; k++) {
		pose->score[k] = sigmoid(pose->score[k]);
		pose->total += pose->score[k];
	}
	pose->total /= PN_KEYPOINTS;
}

static float dist2(struct pn_point a, struct pn_point b)
{
	float dy = b.y - a.y, dx = b.x - a.x;

	return dy * dy + dx * dx;
}

static int kp_cmp(const void *a, const void *b)
{
	const struct pn_kp *x = a, *y = b;

	if (x->logit != y->logit)
		return x->logit < y->logit ? 1 : -1;
	return x->order - y->order;
}

/* Whether no cell within the local-maximum radius beats logit @v of @k. */
static int is_peak(const struct pn_maps *p, int y, int x, int k, float v)
{
	const int r = PN_LOCAL_RADIUS;
	int yy, xx;

	for (yy = y - r; yy <= y + r; yy++) {
		for (xx = x - r; xx <= x + r; xx++) {
			size_t cell = (size_t)yy * p->w + xx;

			if (yy < 0 || yy >= p->h || xx < 0 || xx >= p->w)
				continue;
			if (p->heat[cell * PN_KEYPOINTS + k] > v)
				return 0;
		}
	}
	return 1;
}

/* The root candidates, in decreasing logit; their number. */
static size_t find_roots(const struct pn_maps *p, float min_logit,
			 struct pn_kp *cand)
{
	const float s = p->inv_stride;
	size_t n = 0;
	int y, x, k;

	for (y = 0; y < p->h; y++) {
		for (x = 0; x < p->w; x++) {
			size_t cell = (size_t)y * p->w + x;
			const float *o = p->shrt + cell * 2 * PN_KEYPOINTS;

			for (k = 0; k < PN_KEYPOINTS; k++) {
				float v = p->heat[cell * PN_KEYPOINTS + k];
				float dy = o[k] * s;
				float dx = o[PN_KEYPOINTS + k] * s;

				if (!(v >= min_logit) ||
				    !is_peak(p, y, x, k, v))
					continue;
				cand[n] = (struct pn_kp){
					.logit = v, .k = k, .order = (int)n,
					.pt = clamp_point(p, y + dy, x + dx),
				};
				n++;
			}
		}
	}
	qsort(cand, n, sizeof(*cand), kp_cmp);
	return n;
}

/* Whether an accepted pose has keypoint @k within the NMS radius of @pt. */
static int near_earlier(const struct pn_pose *poses, int n, int k,
			struct pn_point pt, float r2)
{
	int i;

	for (i = 0; i < n; i++)
		if (dist2(pt, poses[i].pt[k]) <= r2)
			return 1;
	return 0;
}

/* Indices 0..n-1 by decreasing total (the earlier among equals). */
static void order_poses(const struct pn_pose *poses, int n, int *idx)
{
	int i, j;

	for (i = 0; i < n; i++) {
		int v = i;

		for (j = i; j > 0 && poses[idx[j - 1]].total < poses[v].total;
		     j--)
			idx[j] = idx[j - 1];
		idx[j] = v;
	}
}

/* Rescore each pose without the keypoints a better pose covers. */
static void soft_nms(struct pn_pose *poses, const int *idx, int n, float r2)
{
	int i, j, k;

	for (i = 0; i < n; i++) {
		const struct pn_pose *cur = &poses[idx[i]];
		float sum = 0.0f;

		for (k = 0; k < PN_KEYPOINTS; k++) {
			for (j = 0; j < i; j++) {
				const struct pn_pose *prev = &poses[idx[j]];

				if (dist2(cur->pt[k], prev->pt[k]) <= r2)
					break;
			}
			if (j == i)
				sum += cur->score[k];
		}
		/* the totals are not read here: rescore in place */
		poses[idx[i]].total = sum / PN_KEYPOINTS;
	}
}

/* Scratch: the candidates, then the poses, then their order. */
static size_t pn_scratch(const void *state, const struct mnet_shape *in,
			 int n_in)
{
	const struct pn_opts *o = state;

	return (size_t)in[0].h * in[0].w * PN_KEYPOINTS *
	       sizeof(struct pn_kp) +
	       (size_t)o->max_detections * (sizeof(struct pn_pose) +
					    sizeof(int));
}

static int pn_run(const void *state, const float *const *in,
		  const struct mnet_shape *in_shape, float *const *out,
		  void *scratch)
{
	const struct pn_opts *o = state;
	const int n_max = o->max_detections;
	struct pn_maps p = {
		.heat = in[0], .shrt = in[1], .mid = in[2],
		.h = in_shape[0].h, .w = in_shape[0].w,
		.inv_stride = 1.0f / (float)o->stride,
	};
	const float r = o->nms_radius / (float)o->stride, r2 = r * r;
	float *kps = out[0], *kscore = out[1], *pscore = out[2];
	struct pn_kp *cand = scratch;
	size_t n_cand, c;
	struct pn_pose *poses;
	int *idx, n = 0, i, k, kept = 0;

	n_cand = find_roots(&p, logodds(o->score_threshold), cand);
	poses = (struct pn_pose *)(cand + (size_t)p.h * p.w * PN_KEYPOINTS);
	idx = (int *)(poses + n_max);
	for (c = 0; c < n_cand && n < n_max; c++) {
		if (near_earlier(poses, n, cand[c].k, cand[c].pt, r2))
			continue;
		decode_pose(&p, &cand[c], &poses[n]);
		/* below the threshold: the next candidate overwrites it */
		if (poses[n].total >= o->score_threshold)
			n++;
	}
	order_poses(poses, n, idx);
	soft_nms(poses, idx, n, r2);
	order_poses(poses, n, idx);

	memset(kps, 0, (size_t)n_max * PN_KEYPOINTS * 2 * sizeof(float));
	memset(kscore, 0, (size_t)n_max * PN_KEYPOINTS * sizeof(float));
	memset(pscore, 0, (size_t)n_max * sizeof(float));
	for (i = 0; i < n; i++) {
		const struct pn_pose *ps = &poses[idx[i]];

		if (ps->total < o->score_threshold)
			break;
		for (k = 0; k < PN_KEYPOINTS; k++) {
			float *q = kps + ((size_t)kept * PN_KEYPOINTS + k) * 2;

			q[0] = ps->pt[k].y * (float)o->stride;
			q[1] = ps->pt[k].x * (float)o->stride;
			kscore[(size_t)kept * PN_KEYPOINTS + k] = ps->score[k];
		}
		pscore[kept++] = ps->total;
	}
	out[3][0] = (float)kept;
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
