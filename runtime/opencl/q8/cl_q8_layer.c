// SPDX-License-Identifier: Apache-2.0
/*
 * cl_q8_layer.c - an int8 layer's launch and tuning key, shared by the
 * int8 mode (cl_q8.c) and its tuner (runtime/tune/tuner_q8.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/q8/cl_q8_layer.h"
#include "cl/cl_error.h"
#include "cl/cl_source.h"
#include "tune/cl_tune.h"

int mnet_cl_q8_layer_key(const struct mnet_model *m, int i,
			 const struct mnet_cl_q8_layer *L, char *buf,
			 size_t len)
{
	const struct mnet_layer *l = &m->layers[i];
	unsigned long long h;
	char *src;
	int ret;

	ret = mnet_cl_source_get(L->file, &src, NULL);
	if (ret)
		return ret;
	h = mnet_hash64(MNET_HASH64_INIT, src, strlen(src));
	free(src);
	if (l->op == MNET_OP_ADD)
		snprintf(buf, len, "%s:%016llx|%s n=%zu|int8", L->file, h,
			 L->kname, L->global[0]);
	else
		snprintf(buf, len, "%s:%016llx|%s in=%dx%dx%d out=%dx%dx%d k=%dx%d s=%dx%d p=%dx%d%s|int8",
			 L->file, h, L->kname, l->in_shape.h, l->in_shape.w,
			 l->in_shape.c, l->out_shape.h, l->out_shape.w,
			 l->out_shape.c, l->kh, l->kw, l->stride_h,
			 l->stride_w, l->pad_top, l->pad_left,
			 l->mean ? " mean" : "");
	return 0;
}

cl_int mnet_cl_q8_enqueue(struct mnet_cl_q8_state *st,
			  const struct mnet_cl_q8_layer *L,
			  const size_t *local)
{
	size_t g[3];
	unsigned int d;

	for (d = 0; d < L->dims; d++)
		g[d] = local[0] ? (L->global[d] + local[d] - 1) / local[d] *
				  local[d] : L->global[d];
	return clEnqueueNDRangeKernel(st->q, L->kernel, L->dims, NULL, g,
				      local[0] ? local : NULL, 0, NULL, NULL);
}

/*
 * Work-group sizes from the tuning database (entries keyed with
 * precision int8, written by mnet-tune -p int8: cl_q8_tune.c); a missing
 * or unreadable database leaves the driver's choice everywhere.
 */
void mnet_cl_q8_tuning(struct mnet_backend *be)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_q8_state *st = be->priv;
	struct mnet_tune_db db;
	char path[4096], dev_key[MNET_TUNE_KEY_LEN], *key;
	int i;

	if (!mnet_tune_db_path(be->opts.tuning_db, path, sizeof(path)))
		return;
	mnet_tune_db_init(&db);
	key = malloc(MNET_TUNE_KEY_LEN);
	if (!key || mnet_tune_db_load(&db, path, NULL))
		goto out;
	mnet_cl_tune_device_key(&st->dev, dev_key, sizeof(dev_key));
	for (i = 0; i < st->n_layers; i++) {
		struct mnet_cl_q8_layer *L = &st->layers[i];
		const struct mnet_tune_entry *e;
		struct mnet_cl_layer_cfg cfg = { 0 };

		if (!L->kernel ||
		    mnet_cl_q8_layer_key(m, i, L, key, MNET_TUNE_KEY_LEN))
			continue;
		e = mnet_tune_db_find(&db, dev_key, key);
		if (!e || e->flag != MNET_TUNE_OK ||
		    mnet_cl_tune_cfg_parse(e->cfg, &cfg) || !cfg.wg[0] ||
		    cfg.wg[0] * cfg.wg[1] * cfg.wg[2] > st->dev.max_wg)
			continue;
		memcpy(L->local, cfg.wg, sizeof(L->local));
		L->tuned = 1;
	}
out:
	free(key);
	mnet_tune_db_fini(&db);
}
