// SPDX-License-Identifier: Apache-2.0
/*
 * cl_tune.c - database keys and tuned configurations of OpenCL layers
 *
 * DOC: tuning keys
 *
 * A tuned configuration is only valid for the device, driver and kernel
 * source it was measured on, and for the exact layer shape.  The device
 * key joins platform, device name, vendor, driver version and compute
 * units.  The layer key is the kernel file with a hash of its full program
 * text (common.h + the file, so any kernel edit makes old entries miss),
 * the program's build options under the default configuration with the
 * tuned knobs removed (-DVW, -DPPT, -DCOUT_PAD, -DCPAD, -DWG, -DOXT,
 * -DOYT, -DKS and the tile's work-group -DLX, -DLY: what remains
 * is shapes, strides, padding, activation), and the precision.  Options
 * the kernels gain later simply become part of the key.
 *
 * The configuration's text form: "k vw=V ppt=P wg=XxYxZ" where "k" is the
 * hand-written kernel variant and wg=auto lets the driver choose the
 * work-group (NULL local size), followed by " oxt=X oyt=Y" when either is
 * not 1 (dwconv's output tile) and " ks=K" when K is not 0 (pwconv's
 * local-memory tile); or "gemm" for CLBlast's SGEMM plus the bias_act.cl
 * epilogue (cl_gemm.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/cl_gemm.h"
#include "cl/cl_source.h"
#include "tune/cl_tune.h"

/* Append @s with TAB, newline and '|' replaced by '_'. */
static void put_clean(char *buf, size_t len, size_t *pos, const char *s)
{
	for (; *s && *pos + 1 < len; s++)
		buf[(*pos)++] = strchr("\t\n\r|", *s) ? '_' : *s;
	buf[*pos] = '\0';
}

void mnet_cl_tune_device_key(const struct mnet_cl_device *dev, char *buf,
			     size_t len)
{
	const char *parts[] = {
		dev->platform_name, dev->name, dev->vendor, dev->driver,
	};
	char cu[32];
	size_t pos = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		put_clean(buf, len, &pos, parts[i]);
		if (pos + 1 < len) {
			buf[pos++] = '|';
			buf[pos] = '\0';
		}
	}
	snprintf(cu, sizeof(cu), "%u", dev->compute_units);
	put_clean(buf, len, &pos, cu);
}

/*
 * Options left out of a layer's key: the knobs a configuration sets, and
 * RESIDUAL, so that a 1x1 convolution absorbing an ADD uses what was
 * tuned for it alone (the epilogue adds one load per output).
 */
static int tuned_knob(const char *tok)
{
	static const char *const knobs[] = {
		"-DVW=", "-DPPT=", "-DCOUT_PAD=", "-DCPAD=", "-DWG=",
		"-DRESIDUAL=", "-DOXT=", "-DOYT=", "-DKS=", "-DLX=", "-DLY=",
	};
	unsigned int i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (!strncmp(tok, knobs[i], strlen(knobs[i])))
			return 1;
	return 0;
}

int mnet_cl_tune_layer_key(const struct mnet_layer *l,
			   const struct mnet_cl_device *dev,
			   const struct mnet_cl_precision *prec, char *buf,
			   size_t len)
{
	struct mnet_cl_layer_cfg cfg;
	struct mnet_cl_layer_plan *plan;
	unsigned long long h;
	char *src, *tok, *save;
	size_t pos;
	int ret;

	if (!mnet_cl_layer_supported(l))
		return -EOPNOTSUPP;
	plan = malloc(sizeof(*plan));
	if (!plan)
		return -ENOMEM;
	mnet_cl_layer_cfg_default(l, dev, &cfg);
	ret = mnet_cl_layer_plan(l, &cfg, prec, plan);
	if (ret)
		goto out_free;
	ret = mnet_cl_source_get(plan->file, &src, NULL);
	if (ret)
		goto out_free;
	h = mnet_hash64(MNET_HASH64_INIT, src, strlen(src));
	free(src);
	snprintf(buf, len, "%s:%016llx|", plan->file, h);
	pos = strlen(buf);
	for (tok = strtok_r(plan->opts.s, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		if (tuned_knob(tok))
			continue;
		pos += snprintf(buf + pos, pos < len ? len - pos : 0, "%s ",
				tok);
	}
	if (pos < len && pos && buf[pos - 1] == ' ')
		pos--;		/* no trailing space before the precision */
	if (pos < len)
		snprintf(buf + pos, len - pos, "|%s", prec->name);
	ret = 0;
out_free:
	free(plan);
	return ret;
}

void mnet_cl_tune_cfg_format(const struct mnet_cl_layer_cfg *cfg, char *buf,
			     size_t len)
{
	char wg[64] = "auto", tile[64] = "";
	size_t n = 0;

	if (cfg->variant == MNET_CL_VARIANT_GEMM) {
		snprintf(buf, len, "gemm");
		return;
	}
	if (cfg->wg[0])
		snprintf(wg, sizeof(wg), "%zux%zux%zu", cfg->wg[0], cfg->wg[1],
			 cfg->wg[2]);
	if (cfg->oxt > 1 || cfg->oyt > 1)
		n = snprintf(tile, sizeof(tile), " oxt=%d oyt=%d", cfg->oxt,
			     cfg->oyt);
	if (cfg->ks && n < sizeof(tile))
		snprintf(tile + n, sizeof(tile) - n, " ks=%d", cfg->ks);
	snprintf(buf, len, "k vw=%d ppt=%d wg=%s%s", cfg->vw, cfg->ppt, wg,
		 tile);
}

/* The optional " oxt=X oyt=Y" and " ks=K" after the work-group. */
static int parse_tile(const char *s, struct mnet_cl_layer_cfg *cfg)
{
	int n = 0;

	cfg->oxt = cfg->oyt = 1;
	cfg->ks = 0;
	if (sscanf(s, " oxt=%d oyt=%d%n", &cfg->oxt, &cfg->oyt, &n) == 2 &&
	    n) {
		s += n;
		if (cfg->oxt < 1 || cfg->oxt > 8 || cfg->oyt < 1 ||
		    cfg->oyt > 64)
			return -EINVAL;
	}
	n = 0;
	if (sscanf(s, " ks=%d%n", &cfg->ks, &n) == 1 && n) {
		s += n;
		if (cfg->ks < 4 || cfg->ks > 64 || (cfg->ks & (cfg->ks - 1)))
			return -EINVAL;
	}
	return *s ? -EINVAL : 0;
}

int mnet_cl_tune_cfg_parse(const char *s, struct mnet_cl_layer_cfg *cfg)
{
	struct mnet_cl_layer_cfg t = *cfg;
	unsigned long x, y, z;
	int vw, ppt, n = 0;

	if (!strcmp(s, "gemm")) {
		cfg->variant = MNET_CL_VARIANT_GEMM;
		return 0;
	}
	if (sscanf(s, "k vw=%d ppt=%d wg=auto%n", &vw, &ppt, &n) == 2 &&
	    n && !parse_tile(s + n, &t)) {
		x = y = z = 0;
	} else if (n = 0, sscanf(s, "k vw=%d ppt=%d wg=%lux%lux%lu%n", &vw,
				 &ppt, &x, &y, &z, &n) == 5 && n &&
		   !parse_tile(s + n, &t)) {
		if (!x || !y || !z || x > 65536 || y > 65536 || z > 65536)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if ((vw != 2 && vw != 4 && vw != 8 && vw != 16) || ppt < 1 || ppt > 8)
		return -EINVAL;
	cfg->variant = MNET_CL_VARIANT_KERNEL;
	cfg->vw = vw;
	cfg->ppt = ppt;
	cfg->wg[0] = x;
	cfg->wg[1] = y;
	cfg->wg[2] = z;
	cfg->oxt = t.oxt;
	cfg->oyt = t.oyt;
	cfg->ks = t.ks;
	return 0;
}

int mnet_cl_tune_lookup(const struct mnet_tune_db *db, const char *dev_key,
			const struct mnet_layer *l,
			const struct mnet_cl_device *dev,
			const struct mnet_cl_precision *prec,
			struct mnet_cl_layer_cfg *cfg)
{
	const struct mnet_tune_entry *e;
	struct mnet_cl_layer_cfg c = *cfg;
	struct mnet_cl_layer_plan *plan;
	char *key;
	int ok = 0;

	if (!db->n)
		return 0;
	key = malloc(MNET_TUNE_KEY_LEN);
	plan = malloc(sizeof(*plan));
	if (!key || !plan)
		goto out_free;
	if (mnet_cl_tune_layer_key(l, dev, prec, key,
				   MNET_TUNE_KEY_LEN))
		goto out_free;
	e = mnet_tune_db_find(db, dev_key, key);
	if (!e || e->flag != MNET_TUNE_OK || mnet_cl_tune_cfg_parse(e->cfg, &c))
		goto out_free;
	if (mnet_cl_layer_plan(l, &c, prec, plan))
		goto out_free;
	if (c.variant == MNET_CL_VARIANT_GEMM &&
	    !mnet_cl_gemm_available(l, prec))
		goto out_free;
	c.name = "tuned";
	*cfg = c;
	ok = 1;
out_free:
	free(plan);
	free(key);
	return ok;
}
