// SPDX-License-Identifier: Apache-2.0
/*
 * tuner.c - per-layer search over OpenCL kernel configurations
 *
 * DOC: auto-tuner
 *
 * Unit of work: one distinct layer key (cl_tune.c: kernel, source hash,
 * shapes/stride/activation options, precision).  MobileNet repeats many
 * layers (the five 14x14x512 blocks), so each key is tuned once.
 *
 * The search: each candidate of the key's space (tuner_space.c) is built,
 * checked against the reference kernel (tuner_bench.c) and, if correct,
 * timed (tuner_measure.c).  The space is already pruned to the device's
 * limits (CL_DEVICE_MAX_WORK_GROUP_SIZE, MAX_WORK_ITEM_SIZES, the op's
 * local memory against LOCAL_MEM_SIZE, CLBlast's envelope); once built, a
 * candidate beyond the compiled kernel's CL_KERNEL_WORK_GROUP_SIZE, or
 * whose CL_KERNEL_LOCAL_MEM_SIZE plus the op's __local arguments exceed
 * the device's local memory, is dropped before any launch.  Both count as
 * "pruned", never as "failed".  A failing candidate is
 * rejected (counted, first message kept) and never timed, so it cannot
 * win.  If the best candidate's quartile range overlaps the default's,
 * the result is flagged "unsure" and the runtime keeps the default.
 *
 * In-model check: a configuration that wins alone can lose inside the
 * model (cold caches, different neighbours).  After saving, the model runs
 * 15 times with defaults and 15 with the database, interleaved, with
 * event profiling; a tuned key whose summed in-model median is not below
 * the default's is demoted to "unsure" and the file rewritten.
 *
 * Budget: checked before every candidate.  Keys are searched smallest space
 * first, each with an equal share of the time left when its search starts
 * (so small keys finish and hand their rest on to the big ones), and
 * exhaustive lists the normal candidates first, so a budgeted
 * exhaustive run spends each key's share on the normal space before the
 * long tail of work-group shapes; a key cut short keeps its best so far.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl.h>

#include "cl/cl_cache.h"
#include "cl/cl_error.h"
#include "opencl/cl_gemm.h"
#include "opencl/cl_layer.h"
#include "tune/cl_tune.h"
#include "support/clock.h"
#include "tune/tuner.h"
#include "tune/tuner_bench.h"
#include "tune/tuner_measure.h"

/**
 * struct tuner - one tuning run
 * @o: its options
 * @cl: device, context, queue, precision and caps
 * @t0: start time (ms)
 * @deadline: when the budget runs out (0: no budget)
 * @planted_hook: $MNET_TUNE_PLANT_WRONG is set
 * @tried: a candidate has run (the budget never stops the first one)
 * @dev_key: the device's database key
 * @upd: the entries found, merged into the file at the end
 * @prog: progress so far
 */
struct tuner {
	const struct mnet_tuner_opts *o;
	struct mnet_tune_cl cl;
	double t0, deadline;
	int planted_hook;
	int tried;
	char dev_key[MNET_TUNE_KEY_LEN];
	struct mnet_tune_db upd;
	struct mnet_tune_progress prog;
};

/**
 * struct tune_key - one distinct layer key of the model
 * @key: its database key
 * @first: the first layer with it
 * @count: layers sharing it
 * @n_cands: candidates in its space
 */
struct tune_key {
	char key[MNET_TUNE_KEY_LEN];
	int first;
	int count;
	int n_cands;
};

void mnet_tune_result_fini(struct mnet_tune_result *r)
{
	free(r->layers);
	r->layers = NULL;
	r->n_layers = 0;
}

static void progress(struct tuner *t, const struct mnet_layer *l, int layer)
{
	double el = (mnet_now_ms() - t->t0) * 1e-3;

	t->prog.done++;
	t->prog.layer = layer;
	t->prog.layer_name = l->name;
	t->prog.elapsed_s = el;
	t->prog.eta_s = t->prog.done ? el / t->prog.done *
			(t->prog.total - t->prog.done) : 0;
	if (t->o->budget_s > 0 && t->prog.eta_s > t->o->budget_s - el)
		t->prog.eta_s = t->o->budget_s - el > 0 ?
				t->o->budget_s - el : 0;
	if (t->o->progress)
		t->o->progress(&t->prog, t->o->ctx);
}

/*
 * Judge a checked candidate: 0 to time it, 2 when its output was wrong
 * (counted and reported), 1 for a planted candidate that passed (only
 * possible when it had nothing to leave out).
 */
static int verdict(struct tuner *t, const struct mnet_tune_cand *c, double rerr,
		   struct mnet_tune_layer_result *res)
{
	char cs[MNET_TUNE_CFG_LEN];

	if (!(rerr <= t->cl.prec->tolerance)) {
		res->rejected_wrong++;
		if (!res->reject_msg[0]) {
			mnet_cl_tune_cfg_format(&c->cfg, cs, sizeof(cs));
			snprintf(res->reject_msg, sizeof(res->reject_msg),
				 "%s%s: relative error %.3g > %.0e",
				 c->planted ? "planted " : "", cs, rerr,
				 t->cl.prec->tolerance);
		}
		return 2;
	}
	return c->planted ? 1 : 0;
}

/* The CLBlast variant: same check and timing, its own set-up. */
static int try_gemm(struct tuner *t, struct mnet_tune_bench *b, const struct mnet_tune_cand *c,
		    struct mnet_tune_meas *m, struct mnet_tune_layer_result *res)
{
	struct mnet_err lerr = { 0 };
	struct mnet_cl_gemm g;
	struct mnet_tune_runner run;
	double rerr = 0;
	int ret;

	if (!mnet_cl_gemm_fits(&t->cl.dev))
		return 1;
	memset(&g, 0, sizeof(g));
	memset(&run, 0, sizeof(run));
	ret = mnet_cl_gemm_init(&g, t->cl.ctx, &t->cl.dev, b->l,
				t->cl.use_cache ? t->cl.cache_dir : NULL, NULL,
				&lerr);
	if (ret == -EOPNOTSUPP)
		ret = 1;
	if (ret)
		goto out_fini;
	run.g = &g;
	run.cfg = &c->cfg;
	run.in = b->in;
	run.out = b->out;
	ret = mnet_tune_bench_check(&t->cl, b, &run, &rerr);
	if (ret)
		goto out_fini;
	ret = verdict(t, c, rerr, res);
	if (!ret)
		ret = mnet_tune_measure(&t->cl, &run, m);
out_fini:
	mnet_cl_gemm_fini(&g);
	return ret;
}

/*
 * What the compiled kernel allows: 1 when @wg work-items exceed its
 * CL_KERNEL_WORK_GROUP_SIZE or its local memory (CL_KERNEL_LOCAL_MEM_SIZE,
 * which counts the __local arrays it declares, plus the op's __local
 * arguments) exceeds the device's, 0 when it fits, -EIO.
 */
static int kernel_limits(struct tuner *t, cl_kernel k,
			 const struct mnet_cl_layer_plan *plan, size_t wg)
{
	size_t kmax = 0;
	cl_ulong klocal = 0;
	cl_int rc;

	rc = clGetKernelWorkGroupInfo(k, t->cl.dev.id, CL_KERNEL_WORK_GROUP_SIZE,
				      sizeof(kmax), &kmax, NULL);
	if (!rc)
		rc = clGetKernelWorkGroupInfo(k, t->cl.dev.id,
					      CL_KERNEL_LOCAL_MEM_SIZE,
					      sizeof(klocal), &klocal, NULL);
	if (rc)
		return -EIO;
	if (wg > kmax ||
	    klocal + plan->op->local_arg_per_item * wg > t->cl.dev.local_mem)
		return 1;
	return 0;
}

/*
 * Build, check and time one candidate.  Return 0 with *@m filled when it
 * was measured, 1 when pruned (beyond the device's or the compiled
 * kernel's limits), 2 when rejected as wrong, or a negative errno when it
 * failed to build or run.
 */
static int try_cand(struct tuner *t, struct mnet_tune_bench *b, const struct mnet_tune_cand *c,
		    struct mnet_tune_meas *m, struct mnet_tune_layer_result *res)
{
	const struct mnet_layer *l = b->l;
	struct mnet_cl_layer_plan *plan;
	struct mnet_err lerr = { 0 };
	cl_kernel k = NULL;
	cl_program prog;
	cl_mem mem[MNET_CL_ARG_COUNT] = { NULL };
	struct mnet_tune_runner run;
	double rerr = 0;
	cl_int rc;
	int ret;

	if (c->cfg.variant == MNET_CL_VARIANT_GEMM)
		return try_gemm(t, b, c, m, res);
	/* the space was pruned; this keeps a hand-made list honest too */
	if (!mnet_tune_cand_fits(&t->cl.dev, l, &c->cfg))
		return 1;
	memset(&run, 0, sizeof(run));
	plan = malloc(sizeof(*plan));
	if (!plan)
		return -ENOMEM;
	ret = mnet_cl_layer_plan(l, &c->cfg, t->cl.prec, plan);
	if (ret) {
		ret = 1;
		goto out_free;
	}
	ret = mnet_tune_bench_program(&t->cl, b, plan, &prog, &lerr);
	if (ret)
		goto out_free;
	k = clCreateKernel(prog, plan->kernel, &rc);
	if (rc) {
		ret = -EIO;
		goto out_free;
	}
	ret = kernel_limits(t, k, plan,
			    c->cfg.wg[0] * c->cfg.wg[1] * c->cfg.wg[2]);
	if (ret)
		goto out_kernel;
	mem[MNET_CL_ARG_IN] = b->in;
	mem[MNET_CL_ARG_IN2] = b->in2;
	mem[MNET_CL_ARG_OUT] = b->out;
	if (plan->has_weights) {
		ret = mnet_tune_bench_weights(&t->cl, b, &c->cfg, &mem[MNET_CL_ARG_W],
				  &mem[MNET_CL_ARG_BIAS], &lerr);
		if (ret)
			goto out_kernel;
	}
	if (mnet_cl_layer_set_args(k, plan, mem, 0)) {
		ret = -EIO;
		goto out_kernel;
	}
	run.k = k;
	run.plan = plan;
	run.cfg = &c->cfg;
	run.in = b->in;
	run.out = b->out;
	run.planted = c->planted;
	ret = mnet_tune_bench_check(&t->cl, b, &run, &rerr);
	if (ret)
		goto out_kernel;
	ret = verdict(t, c, rerr, res);
	if (!ret)
		ret = mnet_tune_measure(&t->cl, &run, m);
out_kernel:
	clReleaseKernel(k);
out_free:
	free(plan);
	return ret;
}

static int over_budget(const struct tuner *t)
{
	return t->deadline > 0 && mnet_now_ms() >= t->deadline;
}

/*
 * Search one key.  Under a budget each key gets an equal share of what is
 * left (@keys_left keys, this one included), so a big space early in the
 * model cannot starve the rest; the default is always measured while the
 * overall budget lasts.
 */
static int tune_layer(struct tuner *t, const struct mnet_layer *l, int idx,
		      struct mnet_tune_cand *cands, int nc, int keys_left,
		      struct mnet_tune_layer_result *res, const char *lkey)
{
	struct mnet_tune_meas best, def, m;
	struct mnet_cl_layer_cfg best_cfg = cands[0].cfg;
	struct mnet_tune_entry *e;
	struct mnet_err lerr = { 0 };
	struct mnet_tune_bench b;
	int i, ret, have_def = 0;
	double now = mnet_now_ms(), share = 0;

	if (t->deadline > 0)
		share = now + (t->deadline - now) / (keys_left > 0 ? keys_left : 1);
	memset(&best, 0, sizeof(best));
	memset(&def, 0, sizeof(def));
	memset(&m, 0, sizeof(m));
	ret = mnet_tune_bench_init(&t->cl, l, &b, &lerr);
	if (ret) {
		mnet_tune_bench_fini(&b);
		return ret;
	}
	res->complete = 1;
	for (i = 0; i < nc; i++) {
		if ((over_budget(t) && t->tried) ||
		    (i && share > 0 && mnet_now_ms() >= share)) {
			res->complete = 0;
			t->prog.done += nc - i;
			break;
		}
		ret = try_cand(t, &b, &cands[i], &m, res);
		t->tried = 1;
		if (ret == 0) {
			res->measured++;
			if (i == 0 && !strcmp(cands[0].text, res->default_cfg)) {
				def = m;
				have_def = 1;
			}
			if (!best.n || m.median < best.median) {
				best = m;
				best_cfg = cands[i].cfg;
			}
		} else if (ret == 1) {
			res->pruned_built++;
		} else if (ret < 0) {
			res->failed++;
		}
		progress(t, l, idx);
	}
	mnet_tune_bench_fini(&b);
	if (!best.n)
		return 0;	/* nothing measured: no entry */
	res->default_ms = have_def ? def.median : 0;
	res->default_spread = have_def ? def.q3 - def.q1 : 0;
	res->best_ms = best.median;
	res->best_spread = best.q3 - best.q1;
	mnet_cl_tune_cfg_format(&best_cfg, res->best_cfg, sizeof(res->best_cfg));
	/* faster only counts when the quartile ranges do not overlap */
	res->unsure = have_def && strcmp(res->best_cfg, res->default_cfg) &&
		      best.q3 >= def.q1;
	if (!have_def)
		res->unsure = 1;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	snprintf(e->dev_key, sizeof(e->dev_key), "%s", t->dev_key);
	snprintf(e->layer_key, sizeof(e->layer_key), "%s", lkey);
	snprintf(e->cfg, sizeof(e->cfg), "%s", res->best_cfg);
	e->median_ms = best.median;
	e->spread_ms = best.q3 - best.q1;
	e->default_ms = res->default_ms;
	e->flag = res->unsure ? MNET_TUNE_UNSURE : MNET_TUNE_OK;
	ret = mnet_tune_db_put(&t->upd, e);
	free(e);
	return ret;
}

static int tuner_setup(struct tuner *t, struct mnet_err *err)
{
	const char *hook = getenv("MNET_TUNE_PLANT_WRONG");
	cl_context_properties props[3];
	cl_int rc;
	int ret;

	ret = mnet_cl_device_select(t->o->device, &t->cl.dev, err);
	if (ret)
		return ret;
	ret = mnet_cl_precision_resolve(&t->cl.dev, t->o->precision,
					&t->cl.prec);
	if (ret)
		return mnet_err_set(err, ret,
				    "OpenCL device %s has no cl_khr_fp16",
				    t->cl.dev.name);
	props[0] = CL_CONTEXT_PLATFORM;
	props[1] = (cl_context_properties)t->cl.dev.platform;
	props[2] = 0;
	t->cl.ctx = clCreateContext(props, 1, &t->cl.dev.id, NULL, NULL, &rc);
	if (rc)
		return mnet_cl_check(err, rc, "clCreateContext");
	t->cl.q = clCreateCommandQueue(t->cl.ctx, t->cl.dev.id,
				       CL_QUEUE_PROFILING_ENABLE, &rc);
	if (rc)
		return mnet_cl_check(err, rc, "clCreateCommandQueue");
	mnet_cl_tune_device_key(&t->cl.dev, t->dev_key, sizeof(t->dev_key));
	t->cl.use_cache = mnet_cl_cache_dir(t->cl.cache_dir,
					    sizeof(t->cl.cache_dir));
	t->cl.sample_cap = t->o->mode == MNET_TUNE_FAST ? 15 :
			   t->o->mode == MNET_TUNE_NORMAL ? 30 : 60;
	t->cl.cand_cap_ms = t->o->mode == MNET_TUNE_FAST ? 1000 :
			    t->o->mode == MNET_TUNE_NORMAL ? 2000 : 4000;
	t->planted_hook = hook && *hook && strcmp(hook, "0");
	return 0;
}

/*
 * In-model check: a configuration that won alone can lose inside the
 * model (its input is no longer in cache, its neighbours' work-groups
 * differ).  Run the model with defaults and with the saved database,
 * interleaved, with event profiling; per tuned key, sum its layers' times
 * per run and compare the medians.  A tuned key that is not faster in the
 * model is demoted to "unsure" (the runtime then keeps the default).
 *
 * Return: the number of demoted keys, or a negative errno.
 */
static int validate_in_model(struct tuner *t, const struct mnet_model *m,
			     struct mnet_tune_result *r,
			     const struct tune_key *keys, const int *key_of,
			     struct mnet_err *err)
{
	enum { ROUNDS = 15, WARM = 2 };
	struct mnet_session *s[2] = { NULL, NULL };
	struct mnet_session_opts o;
	struct mnet_layer_time *lt;
	size_t n_in = mnet_shape_elems(m->tensors[m->input].shape);
	int nk = r->n_layers, k, rd, i, j, demoted = 0, ret = -ENOMEM;
	double *sum, v[2][ROUNDS];
	float *in;

	in = malloc(n_in * sizeof(*in));
	lt = calloc((size_t)m->n_layers, sizeof(*lt));
	sum = calloc((size_t)2 * ROUNDS * (nk ? nk : 1), sizeof(*sum));
	if (!in || !lt || !sum)
		goto out_free;
	mnet_tune_fill_random(in, n_in, 3);
	for (k = 0; k < 2; k++) {
		mnet_session_opts_init(&o);
		o.backend = MNET_BACKEND_OPENCL;
		o.device = t->o->device;
		o.precision = t->o->precision;
		o.tuning_db = k ? r->db_path : "";
		o.profile = 1;
		ret = mnet_session_create(m, &o, &s[k], err);
		if (ret)
			goto out_free;
	}
	for (rd = -WARM; rd < ROUNDS; rd++) {
		for (k = 0; k < 2; k++) {
			ret = mnet_session_run(s[k], in, n_in);
			if (!ret)
				ret = mnet_session_layer_times(s[k], lt);
			if (ret)
				goto out_free;
			for (i = 0; rd >= 0 && i < m->n_layers; i++)
				if (key_of[i] >= 0)
					sum[((size_t)k * ROUNDS + rd) * nk +
					    key_of[i]] += lt[i].ms;
		}
	}
	for (j = 0; j < nk; j++) {
		struct mnet_tune_layer_result *res = &r->layers[j];
		struct mnet_tune_entry *e;

		for (k = 0; k < 2; k++)
			for (rd = 0; rd < ROUNDS; rd++)
				v[k][rd] = sum[((size_t)k * ROUNDS + rd) * nk + j];
		res->model_default_ms = mnet_tune_median(v[0], ROUNDS);
		res->model_tuned_ms = mnet_tune_median(v[1], ROUNDS);
		e = (struct mnet_tune_entry *)mnet_tune_db_find(&t->upd,
								t->dev_key,
								keys[j].key);
		if (!e || e->flag != MNET_TUNE_OK ||
		    !strcmp(res->best_cfg, res->default_cfg) ||
		    res->model_tuned_ms < res->model_default_ms)
			continue;
		e->flag = MNET_TUNE_UNSURE;
		res->unsure = 1;
		res->demoted = 1;
		demoted++;
	}
	ret = demoted;
out_free:
	mnet_session_destroy(s[0]);
	mnet_session_destroy(s[1]);
	free(sum);
	free(lt);
	free(in);
	return ret;
}

/*
 * The distinct layer keys in model order (@keys[k].first is the first
 * layer of key k, @key_of[i] the key of layer i or -1 for layers without
 * a kernel), and the size of each key's space.
 */
static int distinct_layers(struct tuner *t, const struct mnet_model *m,
			   struct mnet_tune_cand *cands, struct tune_key *keys,
			   int *key_of, int *n)
{
	struct mnet_cl_layer_cfg def;
	int i, j, ret;

	*n = 0;
	for (i = 0; i < m->n_layers; i++) {
		struct tune_key *k = &keys[*n];

		key_of[i] = -1;
		ret = mnet_cl_tune_layer_key(&m->layers[i], &t->cl.dev,
					     t->cl.prec, k->key, sizeof(k->key));
		if (ret == -EOPNOTSUPP)
			continue;
		if (ret)
			return ret;
		for (j = 0; j < *n; j++)
			if (!strcmp(keys[j].key, k->key))
				break;
		key_of[i] = j;
		if (j < *n) {
			keys[j].count++;
			continue;
		}
		k->first = i;
		k->count = 1;
		mnet_cl_layer_cfg_default(&m->layers[i], &t->cl.dev, &def);
		mnet_tune_space(&t->cl.dev, t->cl.prec, t->o->mode,
				t->planted_hook, &m->layers[i], &def, cands,
				&k->n_cands, NULL);
		t->prog.total += k->n_cands;
		(*n)++;
	}
	return 0;
}

/*
 * Small spaces first: under a budget they finish within their share and
 * hand the rest to the big ones.  Results stay in model order.
 */
static void order_keys(const struct tune_key *keys, int n, int *order)
{
	int i, j, x;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 &&
		     keys[order[j - 1]].n_cands > keys[order[j]].n_cands; j--) {
			x = order[j];
			order[j] = order[j - 1];
			order[j - 1] = x;
		}
}

/* Search key @k (@keys_left keys still to go, it included) into @res. */
static int search_key(struct tuner *t, const struct mnet_model *m,
		      const struct tune_key *k, int keys_left,
		      struct mnet_tune_cand *cands,
		      struct mnet_tune_layer_result *res)
{
	const struct mnet_layer *l = &m->layers[k->first];
	struct mnet_cl_layer_cfg def;
	int nc;

	res->layer = k->first;
	res->count = k->count;
	snprintf(res->name, sizeof(res->name), "%s", l->name);
	res->op = mnet_op_name(l->op);
	mnet_cl_layer_cfg_default(l, &t->cl.dev, &def);
	mnet_cl_tune_cfg_format(&def, res->default_cfg, sizeof(res->default_cfg));
	snprintf(res->best_cfg, sizeof(res->best_cfg), "%s", res->default_cfg);
	mnet_tune_space(&t->cl.dev, t->cl.prec, t->o->mode, t->planted_hook, l,
			&def, cands, &nc, &res->pruned);
	res->space = nc;
	if (over_budget(t) && t->tried) {
		t->prog.done += nc;
		return 0;
	}
	return tune_layer(t, l, k->first, cands, nc, keys_left, res, k->key);
}

/* Save the entries, check them inside the model, save the demotions. */
static int save_and_check(struct tuner *t, const struct mnet_model *m,
			  struct mnet_tune_result *r,
			  const struct tune_key *keys, const int *key_of,
			  struct mnet_err *err)
{
	int ret;

	ret = mnet_tune_db_save(r->db_path, &t->upd, &r->db_rep);
	if (ret)
		return mnet_err_set(err, ret, "%s: cannot write the tuning database: %s",
				    r->db_path, strerror(-ret));
	ret = validate_in_model(t, m, r, keys, key_of, err);
	if (ret > 0)	/* entries demoted: write their new flags */
		ret = mnet_tune_db_save(r->db_path, &t->upd, &r->db_rep);
	if (ret < 0)
		return mnet_err_set(err, ret, "%s: in-model check failed",
				    m->name);
	return 0;
}

int mnet_tuner_run(const struct mnet_model *m, const struct mnet_tuner_opts *o,
		   struct mnet_tune_result *r, struct mnet_err *err)
{
	struct mnet_tune_cand *cands = NULL;
	struct tune_key *keys = NULL;
	int *key_of = NULL, *order = NULL;
	struct tuner t;
	int i, j, n = 0, ret;

	memset(r, 0, sizeof(*r));
	ret = mnet_model_weights_get(m, "tuner", err);
	if (ret)
		return ret;
	memset(&t, 0, sizeof(t));
	t.o = o;
	t.t0 = mnet_now_ms();
	t.deadline = o->budget_s > 0 ? t.t0 + o->budget_s * 1e3 : 0;
	mnet_tune_db_init(&t.upd);
	if (!mnet_tune_db_path(o->db_path, r->db_path, sizeof(r->db_path))) {
		ret = mnet_err_set(err, -EINVAL,
				   "no tuning database path (set --db, MNET_TUNE_DB or HOME)");
		goto out_free;
	}
	ret = tuner_setup(&t, err);
	if (ret)
		goto out_free;
	snprintf(r->device, sizeof(r->device), "%.120s (%.100s)", t.cl.dev.name,
		 t.cl.dev.driver);
	r->precision = t.cl.prec->name;
	keys = calloc((size_t)m->n_layers, sizeof(*keys));
	key_of = calloc((size_t)m->n_layers, sizeof(*key_of));
	order = calloc((size_t)m->n_layers, sizeof(*order));
	r->layers = calloc((size_t)m->n_layers, sizeof(*r->layers));
	cands = calloc(MNET_TUNE_MAX_CANDS, sizeof(*cands));
	if (!keys || !key_of || !order || !r->layers || !cands) {
		ret = mnet_err_set(err, -ENOMEM, "out of memory");
		goto out_free;
	}
	ret = distinct_layers(&t, m, cands, keys, key_of, &n);
	if (ret) {
		mnet_err_set(err, ret, "%s: cannot key its layers", m->name);
		goto out_free;
	}
	order_keys(keys, n, order);
	r->n_layers = n;
	for (j = 0; j < n; j++) {
		struct mnet_tune_layer_result *res = &r->layers[order[j]];

		i = order[j];
		ret = search_key(&t, m, &keys[i], n - j, cands, res);
		if (ret) {
			mnet_err_set(err, ret, "%s: tuning failed",
				     m->layers[keys[i].first].name);
			goto out_free;
		}
		if (!res->complete)
			r->budget_hit = 1;
		r->candidates += res->measured + res->rejected_wrong +
				 res->pruned_built + res->failed;
		r->rejected_wrong += res->rejected_wrong;
	}
	r->seconds = (mnet_now_ms() - t.t0) * 1e-3;
	ret = save_and_check(&t, m, r, keys, key_of, err);
out_free:
	free(order);
	free(key_of);
	free(cands);
	free(keys);
	mnet_tune_db_fini(&t.upd);
	if (t.cl.q)
		clReleaseCommandQueue(t.cl.q);
	/* CLBlast's programs of this context, before the context goes */
	mnet_cl_gemm_release_cache();
	if (t.cl.ctx)
		clReleaseContext(t.cl.ctx);
	if (ret)
		mnet_tune_result_fini(r);
	mnet_model_weights_put(m);
	return ret;
}
