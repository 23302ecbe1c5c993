// SPDX-License-Identifier: Apache-2.0
/*
 * tuner_space.c - the candidate configurations of one layer
 *
 * DOC: search space
 *
 * The axes are the knobs the layer's kernel reads (its op entry,
 * runtime/opencl/ops/: MNET_CL_KNOB_*): vector width (channels per
 * work-item: 2/4/8/16), pixels per work-item (1..8), and the work-group:
 * "auto" (NULL local size, the driver chooses) or a power-of-two shape;
 * a kernel whose work-group is a build option (softmax) gets powers of two
 * along x only.  Modes:
 *
 *   fast        the default, wg=auto, and for the convolutions a
 *               neighbouring vector width / tile: 2-5 candidates
 *   normal      vw {4,8,16} x ppt {2,4,8} x wg {auto, 16, 64, 256
 *               work-items filled fastest dimension first}, and the
 *               CLBlast variant where it applies
 *   exhaustive  vw {2,4,8,16} x ppt {1..8} x every power-of-two shape up
 *               to the device's limit
 *
 * Candidates are deduplicated by their text form, default first.
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

static int add_cand(struct mnet_tune_cand *c, int *n, const struct mnet_cl_layer_cfg *cfg,
		    int planted)
{
	char a[MNET_TUNE_CFG_LEN];
	int i;

	if (*n >= MNET_TUNE_MAX_CANDS)
		return 0;
	mnet_cl_tune_cfg_format(cfg, a, sizeof(a));
	for (i = 0; !planted && i < *n; i++)
		if (!c[i].planted && !strcmp(a, c[i].text))
			return 0;
	c[*n].cfg = *cfg;
	c[*n].planted = planted;
	memcpy(c[*n].text, a, sizeof(a));
	(*n)++;
	return 1;
}

/* Every power-of-two shape up to @maxwg covering the range. */
static void all_shapes(struct mnet_tune_cand *c, int *n, const struct mnet_layer *l,
		       struct mnet_cl_layer_cfg base, size_t maxwg)
{
	size_t g[3], x, y, z;
	unsigned int dims = mnet_cl_layer_range(l, &base, g);

	for (x = 1; x <= mnet_cl_pow2_ceil(g[0]) && x <= maxwg; x <<= 1)
		for (y = 1; y <= (dims > 1 ? mnet_cl_pow2_ceil(g[1]) : 1) &&
			    x * y <= maxwg; y <<= 1)
			for (z = 1; z <= (dims > 2 ? mnet_cl_pow2_ceil(g[2]) : 1) &&
				    x * y * z <= maxwg; z <<= 1) {
				base.wg[0] = x;
				base.wg[1] = y;
				base.wg[2] = z;
				add_cand(c, n, &base, 0);
			}
}

/* Append the candidates of @mode (deduplicated against what is there). */
static void gen_mode(const struct mnet_cl_device *dev,
		     const struct mnet_cl_precision *prec,
		     const struct mnet_layer *l,
		     const struct mnet_cl_layer_cfg *def, struct mnet_tune_cand *c,
		     int *n, enum mnet_tune_mode mode)
{
	static const int vws_n[] = { 4, 8, 16 }, ppts_n[] = { 2, 4, 8 };
	static const size_t wgs_n[] = { 16, 64, 256 };
	struct mnet_cl_layer_cfg cfg;
	size_t maxwg = dev->max_wg;
	unsigned int i, j, k, knobs = knobs_of(l);
	int vw, ppt, has_vw = !!(knobs & MNET_CL_KNOB_VW);
	int has_ppt = !!(knobs & MNET_CL_KNOB_PPT);

	add_cand(c, n, def, 0);
	if (knobs & MNET_CL_KNOB_WG_BUILT) {
		/* the work-group is a build option: powers of two only */
		for (k = 1; k <= mnet_cl_pow2_ceil(l->out_shape.c) && k <= maxwg;
		     k <<= 1) {
			if (mode == MNET_TUNE_FAST && k != 64 && k != 256)
				continue;
			cfg = *def;
			cfg.wg[0] = k;
			add_cand(c, n, &cfg, 0);
		}
		return;
	}
	cfg = *def;
	cfg.wg[0] = cfg.wg[1] = cfg.wg[2] = 0;
	add_cand(c, n, &cfg, 0);
	if (mode == MNET_TUNE_FAST) {
		if (has_vw && def->vw > 4) {
			cfg = *def;
			cfg.vw = def->vw / 2;
			fill_wg(dev, l, &cfg, def->wg[0] * def->wg[1] * def->wg[2]);
			add_cand(c, n, &cfg, 0);
		}
		if (has_ppt) {
			cfg = *def;
			cfg.ppt = def->ppt > 2 ? def->ppt / 2 : 4;
			fill_wg(dev, l, &cfg, def->wg[0] * def->wg[1] * def->wg[2]);
			add_cand(c, n, &cfg, 0);
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
			cfg = *def;
			cfg.vw = vw;
			cfg.ppt = ppt;
			cfg.wg[0] = cfg.wg[1] = cfg.wg[2] = 0;
			add_cand(c, n, &cfg, 0);
			if (mode == MNET_TUNE_EXHAUSTIVE) {
				all_shapes(c, n, l, cfg, maxwg);
				continue;
			}
			for (k = 0; k < sizeof(wgs_n) / sizeof(wgs_n[0]); k++) {
				if (wgs_n[k] > maxwg)
					continue;
				fill_wg(dev, l, &cfg, wgs_n[k]);
				add_cand(c, n, &cfg, 0);
			}
		}
	}
	/* CLBlast compiles for seconds at its first call: not in fast mode */
	if (mnet_cl_gemm_available(l, prec)) {
		cfg = *def;
		cfg.variant = MNET_CL_VARIANT_GEMM;
		add_cand(c, n, &cfg, 0);
	}
}

void mnet_tune_space(const struct mnet_cl_device *dev,
		     const struct mnet_cl_precision *prec,
		     enum mnet_tune_mode mode, int planted,
		     const struct mnet_layer *l,
		     const struct mnet_cl_layer_cfg *def,
		     struct mnet_tune_cand *c, int *n)
{
	*n = 0;
	/*
	 * Exhaustive lists the normal candidates first, so that under a
	 * budget it covers at least what normal would before the long tail
	 * of work-group shapes.
	 */
	if (mode == MNET_TUNE_EXHAUSTIVE)
		gen_mode(dev, prec, l, def, c, n, MNET_TUNE_NORMAL);
	gen_mode(dev, prec, l, def, c, n, mode);
	if (planted)
		add_cand(c, n, def, 1);
}

