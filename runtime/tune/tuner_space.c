// SPDX-License-Identifier: Apache-2.0
/*
 * tuner_space.c - the candidate configurations of one layer
 *
 * DOC: search space
 *
 * The axes are the knobs the layer's kernel reads (its op entry,
 * runtime/opencl/ops/: MNET_CL_KNOB_*): vector width (channels per
 * work-item: 2/4/8/16), pixels per work-item (1..8), the tile (dwconv:
 * output columns x rows per work-item; pwconv: the local-memory slice,
 * 0 for none), and the work-group: "auto" (NULL local size, the driver
 * chooses; no local-memory tile then) or a power-of-two shape; a kernel
 * whose work-group is a build option (softmax) gets powers of two along x
 * only.  Modes:
 *
 *   fast        the default, wg=auto, and for the convolutions a
 *               neighbouring vector width / tile and the other kind of
 *               tile (dwconv 1x1 or 4x8, pwconv untiled or KS 16):
 *               2-6 candidates
 *   normal      vw {4,8,16} x ppt {2,4,8} x tile {dwconv 1x1, 2x8, 4x4,
 *               4x8; pwconv KS 0, 16, 32} x wg {auto, 16, 64, 256
 *               work-items filled fastest dimension first}, and the
 *               CLBlast variant where it applies
 *   exhaustive  vw {2,4,8,16} x ppt {1..8} x tile {dwconv {1,2,4,8} x
 *               {1,2,4,8,16}; pwconv KS 0, 4..64} x every power-of-two
 *               shape covering the range, up to the device's work-group
 *               size
 *
 * Candidates are deduplicated by their text form, default first, and
 * pruned against the device's limits before anything is built
 * (mnet_tune_cand_fits(): work-group total and per-dimension sizes, the
 * op's local memory, CLBlast's envelope); the tuner drops, after
 * building, what the compiled kernel's own limits refuse.  On GPUs
 * (mnet_cl_layer_cpu_class() 0) a kernel candidate whose estimated
 * global traffic (&struct mnet_cl_op.traffic) is over its op's cap
 * (issue #19: depthwise 2x, pointwise 8x the ideal bytes) is not listed
 * either, so that a tuned choice meets the targets the defaults meet.
 */
#include <errno.h>
#include <string.h>

#include "opencl/cl_gemm.h"
#include "opencl/ops/cl_op_table.h"
#include "tune/cl_tune.h"
#include "tune/tuner_space.h"

int mnet_tune_mode_parse(const char *s, enum mnet_tune_mode *out)
{
	if (!strcmp(s, "fast"))
		*out = MNET_TUNE_FAST;
	else if (!strcmp(s, "normal"))
		*out = MNET_TUNE_NORMAL;
	else if (!strcmp(s, "exhaustive"))
		*out = MNET_TUNE_EXHAUSTIVE;
	else
		return -EINVAL;
	return 0;
}

/*
 * The knobs the layer's kernel reads (its op entry, runtime/opencl/ops/):
 * a 1x1 stride-1 CONV2D runs on pwconv's kernel, so it has pwconv's.
 */
static unsigned int knobs_of(const struct mnet_layer *l)
{
	const struct mnet_cl_op *op = mnet_cl_op_find(l);

	return op ? op->knobs : 0;
}

/* Fill @target work-items fastest dimension first, as the defaults do. */
static void fill_wg(const struct mnet_cl_device *dev,
		    const struct mnet_layer *l, struct mnet_cl_layer_cfg *cfg,
		    size_t target)
{
	size_t g[3];

	mnet_cl_layer_fill_wg(l, dev, target, cfg, g);
}

/**
 * struct space - the candidate list being generated for one layer
 * @dev: device (its limits prune)
 * @l: layer
 * @c: the candidates (MNET_TUNE_MAX_CANDS)
 * @n: their number
 * @pruned: distinct candidates left out for the device's limits
 */
struct space {
	const struct mnet_cl_device *dev;
	const struct mnet_layer *l;
	struct mnet_tune_cand *c;
	int n;
	int pruned;
	int capped;
};

/*
 * On a GPU the op's traffic cap (issue #19's targets) leaves out what
 * moves more global memory than it allows: a tuner there picks between
 * configurations that all meet it.  CPUs share through their caches
 * (pwconv's local-memory tile is 3x slower on PoCL): no cap there.  The
 * default is always listed.
 */
static int over_traffic(const struct space *s,
			const struct mnet_cl_layer_cfg *cfg)
{
	const struct mnet_cl_op *op = mnet_cl_op_find(s->l);

	if (!s->capped || !op || !op->traffic || !op->traffic_max ||
	    cfg->variant != MNET_CL_VARIANT_KERNEL)
		return 0;
	return op->traffic(s->l, cfg) > op->traffic_max;
}

int mnet_tune_cand_fits(const struct mnet_cl_device *dev,
			const struct mnet_layer *l,
			const struct mnet_cl_layer_cfg *cfg)
{
	const struct mnet_cl_op *op = mnet_cl_op_find(l);
	size_t wg = cfg->wg[0] * cfg->wg[1] * cfg->wg[2];
	int d;

	if (cfg->variant == MNET_CL_VARIANT_GEMM)
		return mnet_cl_gemm_fits(dev);
	if (!cfg->wg[0])
		return 1;	/* no local size: the driver chooses one that fits */
	if (wg > dev->max_wg)
		return 0;
	for (d = 0; d < 3; d++)
		if (dev->max_items[d] && cfg->wg[d] > dev->max_items[d])
			return 0;
	return !op || mnet_cl_op_local_bytes(op, l, cfg) <= dev->local_mem;
}

static int listed(const struct mnet_tune_cand *c, int from, int to,
		  const char *a)
{
	int i;

	for (i = from; i < to; i++)
		if (!c[i].planted && !strcmp(a, c[i].text))
			return 1;
	return 0;
}

/*
 * Append @cfg unless listed or beyond the device's limits.  Pruned texts
 * fill the array from its end, so that one generated twice (normal, then
 * exhaustive) is counted once.
 */
static int add_cand(struct space *s, const struct mnet_cl_layer_cfg *cfg,
		    int planted)
{
	char a[MNET_TUNE_CFG_LEN];
	int slot;

	if (s->n + s->pruned >= MNET_TUNE_MAX_CANDS)
		return 0;
	mnet_cl_tune_cfg_format(cfg, a, sizeof(a));
	if (!planted && (listed(s->c, 0, s->n, a) ||
			 listed(s->c, MNET_TUNE_MAX_CANDS - s->pruned,
				MNET_TUNE_MAX_CANDS, a)))
		return 0;
	if (!planted && s->n && over_traffic(s, cfg))
		return 0;
	if (mnet_tune_cand_fits(s->dev, s->l, cfg))
		slot = s->n++;
	else
		slot = MNET_TUNE_MAX_CANDS - ++s->pruned;
	s->c[slot].cfg = *cfg;
	s->c[slot].planted = planted;
	memcpy(s->c[slot].text, a, sizeof(a));
	return slot < s->n;
}

/* Every power-of-two shape up to @maxwg covering the range. */
static void all_shapes(struct space *s, struct mnet_cl_layer_cfg base,
		       size_t maxwg)
{
	size_t g[3], x, y, z;
	unsigned int dims = mnet_cl_layer_range(s->l, &base, g);

	for (x = 1; x <= mnet_cl_pow2_ceil(g[0]) && x <= maxwg; x <<= 1)
		for (y = 1; y <= (dims > 1 ? mnet_cl_pow2_ceil(g[1]) : 1) &&
			    x * y <= maxwg; y <<= 1)
			for (z = 1; z <= (dims > 2 ? mnet_cl_pow2_ceil(g[2]) : 1) &&
				    x * y * z <= maxwg; z <<= 1) {
				base.wg[0] = x;
				base.wg[1] = y;
				base.wg[2] = z;
				add_cand(s, &base, 0);
			}
}

/* &struct mnet_cl_layer_cfg's tile knobs: oxt x oyt (dwconv), ks (pwconv) */
struct tile {
	int oxt, oyt, ks;
};

#define MAX_TILES 32

/* The tiles of @mode for a kernel reading @knobs, the default's first. */
static int tiles_of(unsigned int knobs, enum mnet_tune_mode mode,
		    const struct mnet_cl_layer_cfg *def, struct tile *t)
{
	static const struct tile dw_n[] = {
		{ 1, 1, 0 }, { 2, 8, 0 }, { 4, 4, 0 }, { 4, 8, 0 },
	};
	static const int ks_n[] = { 0, 16, 32 };
	static const int ks_x[] = { 0, 4, 8, 16, 32, 64 };
	int n = 0, i, j;

	t[n++] = (struct tile){ def->oxt, def->oyt, def->ks };
	if (knobs & MNET_CL_KNOB_OYT) {
		if (mode == MNET_TUNE_FAST) {
			t[n++] = def->oxt == 1 && def->oyt == 1 ?
				 (struct tile){ 4, 8, 0 } :
				 (struct tile){ 1, 1, 0 };
		} else if (mode == MNET_TUNE_NORMAL) {
			for (i = 0; i < 4; i++)
				t[n++] = dw_n[i];
		} else {
			for (i = 1; i <= 8; i <<= 1)
				for (j = 1; j <= 16; j <<= 1)
					t[n++] = (struct tile){ i, j, 0 };
		}
	} else if (knobs & MNET_CL_KNOB_KS) {
		if (mode == MNET_TUNE_FAST)
			t[n++] = (struct tile){ 1, 1, def->ks ? 0 : 16 };
		else if (mode == MNET_TUNE_NORMAL)
			for (i = 0; i < 3; i++)
				t[n++] = (struct tile){ 1, 1, ks_n[i] };
		else
			for (i = 0; i < 6; i++)
				t[n++] = (struct tile){ 1, 1, ks_x[i] };
	}
	return n;
}

static void set_tile(struct mnet_cl_layer_cfg *cfg, const struct tile *t)
{
	cfg->oxt = t->oxt;
	cfg->oyt = t->oyt;
	cfg->ks = t->ks;
	/* wg=auto runs untiled: the same candidate as ks=0 */
	if (!cfg->wg[0])
		cfg->ks = 0;
}

/*
 * @cfg's work-group for a new vector width or pixel tile: an op whose
 * defaults shape their own (pwconv's local tile) keeps the default's
 * channels x pixels per work-group; the others fill the default's number
 * of work-items, fastest dimension first.
 */
static void shape_like(struct space *s, const struct mnet_cl_layer_cfg *def,
		       struct mnet_cl_layer_cfg *cfg)
{
	size_t x, y;

	if (!(knobs_of(s->l) & MNET_CL_KNOB_WG_SHAPE) || !def->wg[0]) {
		fill_wg(s->dev, s->l, cfg,
			def->wg[0] * def->wg[1] * def->wg[2]);
		return;
	}
	x = def->wg[0] * def->vw / cfg->vw;
	y = def->wg[1] * def->ppt / cfg->ppt;
	/* the largest powers of two <= x, y */
	cfg->wg[0] = x ? mnet_cl_pow2_ceil(x + 1) / 2 : 1;
	cfg->wg[1] = y ? mnet_cl_pow2_ceil(y + 1) / 2 : 1;
	cfg->wg[2] = 1;
}

/* One vw x ppt x tile: wg=auto and the mode's work-group shapes. */
static void gen_shapes(struct space *s, const struct mnet_cl_layer_cfg *def,
		       int vw, int ppt, const struct tile *t,
		       enum mnet_tune_mode mode, size_t maxwg)
{
	static const size_t wgs_n[] = { 16, 64, 256 };
	struct mnet_cl_layer_cfg cfg = *def;
	unsigned int k;

	cfg.vw = vw;
	cfg.ppt = ppt;
	cfg.wg[0] = cfg.wg[1] = cfg.wg[2] = 0;
	set_tile(&cfg, t);
	add_cand(s, &cfg, 0);
	cfg.ks = t->ks;
	if (mode == MNET_TUNE_EXHAUSTIVE) {
		all_shapes(s, cfg, maxwg);
		return;
	}
	/* the same list everywhere; the device's limit prunes */
	for (k = 0; k < sizeof(wgs_n) / sizeof(wgs_n[0]); k++) {
		fill_wg(s->dev, s->l, &cfg, wgs_n[k]);
		add_cand(s, &cfg, 0);
	}
	/* and the default's tile of channels x pixels, where it has one */
	if ((knobs_of(s->l) & MNET_CL_KNOB_WG_SHAPE) && t->ks) {
		shape_like(s, def, &cfg);
		add_cand(s, &cfg, 0);
	}
}

/* Append the candidates of @mode (deduplicated against what is there). */
static void gen_mode(struct space *s, const struct mnet_cl_precision *prec,
		     const struct mnet_cl_layer_cfg *def, enum mnet_tune_mode mode)
{
	static const int vws_n[] = { 4, 8, 16 }, ppts_n[] = { 2, 4, 8 };
	const struct mnet_cl_device *dev = s->dev;
	const struct mnet_layer *l = s->l;
	struct mnet_cl_layer_cfg cfg;
	struct tile tiles[MAX_TILES];
	size_t maxwg = dev->max_wg;
	unsigned int i, j, k, knobs = knobs_of(l);
	int vw, ppt, ti, nt, has_vw = !!(knobs & MNET_CL_KNOB_VW);
	int has_ppt = !!(knobs & MNET_CL_KNOB_PPT);

	add_cand(s, def, 0);
	if (knobs & MNET_CL_KNOB_WG_BUILT) {
		/*
		 * the work-group is a build option: powers of two only, up
		 * to the channels; the device's limits prune
		 */
		for (k = 1; k <= mnet_cl_pow2_ceil(l->out_shape.c); k <<= 1) {
			if (mode == MNET_TUNE_FAST && k != 64 && k != 256)
				continue;
			cfg = *def;
			cfg.wg[0] = k;
			add_cand(s, &cfg, 0);
		}
		return;
	}
	cfg = *def;
	cfg.wg[0] = cfg.wg[1] = cfg.wg[2] = 0;
	set_tile(&cfg, &(struct tile){ def->oxt, def->oyt, def->ks });
	add_cand(s, &cfg, 0);
	nt = tiles_of(knobs, mode, def, tiles);
	if (mode == MNET_TUNE_FAST) {
		for (ti = 1; ti < nt; ti++) {
			cfg = *def;
			set_tile(&cfg, &tiles[ti]);
			if (knobs & MNET_CL_KNOB_OYT)
				fill_wg(dev, l, &cfg, def->wg[0] * def->wg[1] *
						      def->wg[2]);
			add_cand(s, &cfg, 0);
		}
		if (has_vw && def->vw > 4) {
			cfg = *def;
			cfg.vw = def->vw / 2;
			shape_like(s, def, &cfg);
			add_cand(s, &cfg, 0);
		}
		if (has_ppt) {
			cfg = *def;
			cfg.ppt = def->ppt > 2 ? def->ppt / 2 : 4;
			shape_like(s, def, &cfg);
			add_cand(s, &cfg, 0);
		}
		return;
	}
	for (i = 0; i < (has_vw ? (mode == MNET_TUNE_EXHAUSTIVE ? 4u : 3u) :
			 1u); i++) {
		vw = mode == MNET_TUNE_EXHAUSTIVE ? 2 << i : vws_n[i];
		if (!has_vw)
			vw = def->vw;
		for (j = 0; j < (has_ppt ?
				 (mode == MNET_TUNE_EXHAUSTIVE ? 8u : 3u) : 1u);
		     j++) {
			ppt = !has_ppt ? def->ppt :
			      mode == MNET_TUNE_EXHAUSTIVE ? (int)j + 1 :
			      ppts_n[j];
			for (ti = 0; ti < nt; ti++)
				gen_shapes(s, def, vw, ppt, &tiles[ti], mode,
					   maxwg);
		}
	}
	/* CLBlast compiles for seconds at its first call: not in fast mode */
	if (mnet_cl_gemm_available(l, prec)) {
		cfg = *def;
		cfg.variant = MNET_CL_VARIANT_GEMM;
		add_cand(s, &cfg, 0);
	}
}

void mnet_tune_space(const struct mnet_cl_device *dev,
		     const struct mnet_cl_precision *prec,
		     enum mnet_tune_mode mode, int planted,
		     const struct mnet_layer *l,
		     const struct mnet_cl_layer_cfg *def,
		     struct mnet_tune_cand *c, int *n, int *pruned)
{
	struct space s = { .dev = dev, .l = l, .c = c,
			   .capped = !mnet_cl_layer_cpu_class(dev) };

	/*
	 * Exhaustive lists the normal candidates first, so that under a
	 * budget it covers at least what normal would before the long tail
	 * of work-group shapes.
	 */
	if (mode == MNET_TUNE_EXHAUSTIVE)
		gen_mode(&s, prec, def, MNET_TUNE_NORMAL);
	gen_mode(&s, prec, def, mode);
	if (planted)
		add_cand(&s, def, 1);
	*n = s.n;
	if (pruned)
		*pruned = s.pruned;
}
