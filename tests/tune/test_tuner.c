// SPDX-License-Identifier: Apache-2.0
/*
 * test_tuner.c - the auto-tuner and the runtime's use of its database
 *
 * On the OpenCL device (PoCL in CI; exit 77 without one):
 *  - configuration text and keys round-trip and match what sessions use;
 *  - a planted wrong-but-fast candidate (MNET_TUNE_PLANT_WRONG) is
 *    rejected on every layer where it is wrong, and never chosen;
 *  - a budgeted tuning run stops at its budget, and the whole model with
 *    the tuned database matches the reference within 1e-4;
 *  - a session picks up a database entry for exactly its layer (the layer
 *    time says "tuned") and ignores "unsure" entries;
 *  - a "gemm" entry runs its pwconv / fc layer through CLBlast, correctly.
 * Timings are never asserted (shared machine); the budget check allows one
 * candidate's worth of overrun, generously.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/opencl_test.h"
#include "synthetic/synthetic.h"

#ifdef MNET_HAVE_OPENCL
#include "opencl/cl_gemm.h"
#include "tune/cl_tune.h"
#include "tune/tuner.h"

#define TOL 1e-4
#define FP32 mnet_cl_precision_get(MNET_PRECISION_FP32)

static char cache_dir[256];
static char db_path[300];

/* Output of @m on the synthetic input, on @backend with @db. */
static void model_output(const struct mnet_model *m, int res,
			 enum mnet_backend_kind backend, const char *db,
			 float *out, struct mnet_layer_time *times)
{
	struct mnet_session_opts o;
	struct mnet_session *s;
	struct mnet_err err = { 0 };
	size_t n_in = (size_t)res * res * 3, n_out = mnet_model_output_size(m);
	float *in = malloc(n_in * sizeof(float));

	CU_ASSERT_FATAL(in != NULL);
	mnet_synthetic_input(res, in);
	mnet_session_opts_init(&o);
	o.backend = backend;
	o.precision = MNET_PRECISION_FP32;
	o.tuning_db = db;
	o.profile = 1;
	CU_ASSERT_FATAL(!mnet_session_create(m, &o, &s, &err));
	CU_ASSERT_FATAL(!mnet_session_run(s, in, n_in));
	memcpy(out, mnet_session_output(s, NULL), n_out * sizeof(float));
	if (times)
		CU_ASSERT(!mnet_session_layer_times(s, times));
	mnet_session_destroy(s);
	free(in);
}

/* The tuned session's output agrees with the reference. */
static void check_db_correct(const struct mnet_model *m, int res,
			     const char *db)
{
	size_t n = mnet_model_output_size(m);
	float *ref = malloc(n * sizeof(float)), *got = malloc(n * sizeof(float));
	double e;

	CU_ASSERT_FATAL(ref && got);
	model_output(m, res, MNET_BACKEND_REF, "", ref, NULL);
	model_output(m, res, MNET_BACKEND_OPENCL, db, got, NULL);
	e = mnet_test_max_rel_err(got, ref, n);
	CU_ASSERT(e <= TOL);
	if (e > TOL)
		printf("\n  tuned model error %.3g\n", e);
	free(ref);
	free(got);
}

static void test_cfg_text(void)
{
	struct mnet_cl_layer_cfg c = { 0 }, d = { 0 };
	char buf[MNET_TUNE_CFG_LEN];

	c.vw = 16;
	c.ppt = 8;
	c.wg[0] = 16;
	c.wg[1] = 4;
	c.wg[2] = 1;
	mnet_cl_tune_cfg_format(&c, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "k vw=16 ppt=8 wg=16x4x1");
	CU_ASSERT(!mnet_cl_tune_cfg_parse(buf, &d));
	CU_ASSERT(d.vw == 16 && d.ppt == 8 && d.wg[0] == 16 && d.wg[1] == 4 &&
		  d.wg[2] == 1);
	CU_ASSERT(!mnet_cl_tune_cfg_parse("k vw=4 ppt=1 wg=auto", &d));
	CU_ASSERT(d.vw == 4 && d.wg[0] == 0);
	CU_ASSERT(mnet_cl_tune_cfg_parse("k vw=3 ppt=1 wg=auto", &d));
	CU_ASSERT(mnet_cl_tune_cfg_parse("k vw=4 ppt=9 wg=auto", &d));
	CU_ASSERT(mnet_cl_tune_cfg_parse("k vw=4 ppt=1 wg=0x1x1", &d));
	CU_ASSERT(mnet_cl_tune_cfg_parse("k vw=4 ppt=1 wg=auto junk", &d));
	CU_ASSERT(!mnet_cl_tune_cfg_parse("gemm", &d));
	CU_ASSERT_EQUAL(d.variant, MNET_CL_VARIANT_GEMM);
	mnet_cl_tune_cfg_format(&d, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "gemm");
	CU_ASSERT(!mnet_cl_tune_cfg_parse("k vw=4 ppt=1 wg=auto", &d));
	CU_ASSERT_EQUAL(d.variant, MNET_CL_VARIANT_KERNEL);
	CU_ASSERT(mnet_cl_tune_cfg_parse("gemm2", &d));
}

static void test_planted_rejected(void)
{
	struct mnet_tuner_opts o = { 0 };
	struct mnet_tune_result r;
	struct mnet_model *m;
	struct mnet_err err = { 0 };
	int i, convs = 0, rejected_convs = 0;

	CU_ASSERT_FATAL(!mnet_model_create_synthetic(0.25f, 64, &m, &err));
	o.precision = MNET_PRECISION_FP32;
	o.mode = MNET_TUNE_FAST;
	o.db_path = db_path;
	setenv("MNET_TUNE_PLANT_WRONG", "1", 1);
	CU_ASSERT_FATAL(!mnet_tuner_run(m, &o, &r, &err));
	unsetenv("MNET_TUNE_PLANT_WRONG");
	CU_ASSERT(r.n_layers > 10);
	for (i = 0; i < r.n_layers; i++) {
		const struct mnet_tune_layer_result *l = &r.layers[i];
		struct mnet_cl_layer_cfg c;

		/* the missing work-groups leave outputs NaN */
		convs++;
		rejected_convs += l->rejected_wrong == 1 &&
				  strstr(l->reject_msg, "planted") != NULL;
		CU_ASSERT(l->rejected_wrong <= 1);	/* only the plant */
		CU_ASSERT(!mnet_cl_tune_cfg_parse(l->best_cfg, &c));
		CU_ASSERT(l->measured >= 1);
	}
	CU_ASSERT(convs > 0);
	CU_ASSERT_EQUAL(rejected_convs, convs);
	CU_ASSERT(r.rejected_wrong >= convs);
	mnet_tune_result_fini(&r);
	check_db_correct(m, 64, db_path);
	mnet_model_free(m);
}

/* The check works on half buffers too (tolerance 1e-2 there). */
static void test_planted_fp16_storage(void)
{
	struct mnet_tuner_opts o = { 0 };
	struct mnet_tune_result r;
	struct mnet_model *m;
	struct mnet_err err = { 0 };
	char path[320];
	int i, rejected = 0;

	snprintf(path, sizeof(path), "%s/fp16s.db", cache_dir);
	CU_ASSERT_FATAL(!mnet_model_create_synthetic(0.25f, 32, &m, &err));
	o.precision = MNET_PRECISION_FP16_STORAGE;
	o.mode = MNET_TUNE_FAST;
	o.db_path = path;
	setenv("MNET_TUNE_PLANT_WRONG", "1", 1);
	CU_ASSERT_FATAL(!mnet_tuner_run(m, &o, &r, &err));
	unsetenv("MNET_TUNE_PLANT_WRONG");
	CU_ASSERT_STRING_EQUAL(r.precision, "fp16-storage");
	for (i = 0; i < r.n_layers; i++) {
		/* the real candidates pass at 1e-2, the plant does not */
		CU_ASSERT(r.layers[i].rejected_wrong <= 1);
		rejected += r.layers[i].rejected_wrong;
		CU_ASSERT(r.layers[i].measured >= 1);
	}
	CU_ASSERT(r.n_layers > 10);
	CU_ASSERT_EQUAL(rejected, r.n_layers);
	mnet_tune_result_fini(&r);
	mnet_model_free(m);
}

static void test_budget_and_correct(void)
{
	struct mnet_tuner_opts o = { 0 };
	struct mnet_tune_result r;
	struct mnet_model *m;
	struct mnet_err err = { 0 };
	char path[320];
	int i, measured = 0;

	snprintf(path, sizeof(path), "%s/budget.db", cache_dir);
	CU_ASSERT_FATAL(!mnet_model_create_synthetic(0.25f, 64, &m, &err));
	o.precision = MNET_PRECISION_FP32;
	o.mode = MNET_TUNE_EXHAUSTIVE;
	o.budget_s = 3;
	o.db_path = path;
	CU_ASSERT_FATAL(!mnet_tuner_run(m, &o, &r, &err));
	/* exhaustive over 20+ layers cannot fit in 3 s: the budget cut it */
	CU_ASSERT(r.budget_hit);
	/* one candidate (a build + capped timing) may run past the deadline */
	CU_ASSERT(r.seconds < o.budget_s + 30);
	for (i = 0; i < r.n_layers; i++) {
		measured += r.layers[i].measured;
		CU_ASSERT(r.layers[i].rejected_wrong == 0);
	}
	CU_ASSERT(measured >= 1);
	CU_ASSERT(r.layers[0].space > 10);
	mnet_tune_result_fini(&r);
	check_db_correct(m, 64, path);
	mnet_model_free(m);
}

static void test_session_uses_entry(void)
{
	struct mnet_tune_db db;
	struct mnet_tune_entry e;
	struct mnet_cl_device dev;
	struct mnet_model *m;
	struct mnet_err err = { 0 };
	struct mnet_layer_time *t;
	char path[320];
	size_t n;
	float *ref, *got;
	int i, nl;

	snprintf(path, sizeof(path), "%s/session.db", cache_dir);
	CU_ASSERT_FATAL(!mnet_model_create_synthetic(0.25f, 32, &m, &err));
	CU_ASSERT_FATAL(!mnet_cl_device_select(NULL, &dev, &err));
	nl = mnet_model_layer_count(m);
	n = mnet_model_output_size(m);
	t = calloc((size_t)nl, sizeof(*t));
	ref = malloc(n * sizeof(float));
	got = malloc(n * sizeof(float));
	CU_ASSERT_FATAL(t && ref && got);
	/* layer 1 (the first depthwise) gets a non-default cfg */
	memset(&e, 0, sizeof(e));
	mnet_cl_tune_device_key(&dev, e.dev_key, sizeof(e.dev_key));
	CU_ASSERT_FATAL(!mnet_cl_tune_layer_key(&m->layers[1], &dev, FP32,
						e.layer_key,
						sizeof(e.layer_key)));
	snprintf(e.cfg, sizeof(e.cfg), "k vw=2 ppt=1 wg=auto");
	e.median_ms = e.default_ms = 1;
	mnet_tune_db_init(&db);
	CU_ASSERT_FATAL(!mnet_tune_db_put(&db, &e));
	/* and layer 0 an entry flagged unsure, which must not be used */
	CU_ASSERT_FATAL(!mnet_cl_tune_layer_key(&m->layers[0], &dev, FP32,
						e.layer_key,
						sizeof(e.layer_key)));
	e.flag = MNET_TUNE_UNSURE;
	CU_ASSERT_FATAL(!mnet_tune_db_put(&db, &e));
	CU_ASSERT_FATAL(!mnet_tune_db_save(path, &db, NULL));
	mnet_tune_db_fini(&db);

	model_output(m, 32, MNET_BACKEND_REF, "", ref, NULL);
	model_output(m, 32, MNET_BACKEND_OPENCL, path, got, t);
	CU_ASSERT(mnet_test_max_rel_err(got, ref, n) <= TOL);
	CU_ASSERT_STRING_EQUAL(t[0].config, "default");
	CU_ASSERT_STRING_EQUAL(t[1].config, "tuned");
	for (i = 2; i < nl; i++)
		if (t[i].config[0] && strcmp(t[i].config, "default"))
			CU_FAIL("a layer without an entry is not \"default\"");
	/* no database: every layer default */
	model_output(m, 32, MNET_BACKEND_OPENCL, "", got, t);
	CU_ASSERT_STRING_EQUAL(t[1].config, "default");
	free(t);
	free(ref);
	free(got);
	mnet_model_free(m);
}

/* A tuned "gemm" entry runs the layer through CLBlast, correctly. */
static void test_session_gemm(void)
{
	struct mnet_tune_db db;
	struct mnet_tune_entry e;
	struct mnet_cl_device dev;
	struct mnet_model *m;
	struct mnet_err err = { 0 };
	struct mnet_layer_time *t;
	char path[320];
	size_t n;
	float *ref, *got;
	int i, nl, pw = -1, fc = -1;

	snprintf(path, sizeof(path), "%s/gemm.db", cache_dir);
	CU_ASSERT_FATAL(!mnet_model_create_synthetic(0.25f, 32, &m, &err));
	CU_ASSERT_FATAL(!mnet_cl_device_select(NULL, &dev, &err));
	nl = mnet_model_layer_count(m);
	for (i = 0; i < nl; i++) {
		if (pw < 0 && m->layers[i].op == MNET_OP_PWCONV2D)
			pw = i;
		if (m->layers[i].op == MNET_OP_FC)
			fc = i;
	}
	CU_ASSERT_FATAL(pw >= 0 && fc >= 0);
	if (!mnet_cl_gemm_available(&m->layers[pw], FP32)) {
		printf("\n  skipped: built without CLBlast\n");
		mnet_model_free(m);
		return;
	}
	n = mnet_model_output_size(m);
	t = calloc((size_t)nl, sizeof(*t));
	ref = malloc(n * sizeof(float));
	got = malloc(n * sizeof(float));
	CU_ASSERT_FATAL(t && ref && got);
	memset(&e, 0, sizeof(e));
	mnet_cl_tune_device_key(&dev, e.dev_key, sizeof(e.dev_key));
	snprintf(e.cfg, sizeof(e.cfg), "gemm");
	e.median_ms = e.default_ms = 1;
	mnet_tune_db_init(&db);
	CU_ASSERT_FATAL(!mnet_cl_tune_layer_key(&m->layers[pw], &dev, FP32,
						e.layer_key,
						sizeof(e.layer_key)));
	CU_ASSERT_FATAL(!mnet_tune_db_put(&db, &e));
	CU_ASSERT_FATAL(!mnet_cl_tune_layer_key(&m->layers[fc], &dev, FP32,
						e.layer_key,
						sizeof(e.layer_key)));
	CU_ASSERT_FATAL(!mnet_tune_db_put(&db, &e));
	CU_ASSERT_FATAL(!mnet_tune_db_save(path, &db, NULL));
	mnet_tune_db_fini(&db);

	model_output(m, 32, MNET_BACKEND_REF, "", ref, NULL);
	model_output(m, 32, MNET_BACKEND_OPENCL, path, got, t);
	CU_ASSERT(mnet_test_max_rel_err(got, ref, n) <= TOL);
	CU_ASSERT_STRING_EQUAL(t[pw].config, "tuned");
	CU_ASSERT_STRING_EQUAL(t[pw].backend, "opencl");
	CU_ASSERT_STRING_EQUAL(t[fc].config, "tuned");
	CU_ASSERT(t[pw].ms > 0);	/* the marker-to-epilogue device time */
	free(t);
	free(ref);
	free(got);
	mnet_model_free(m);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "cfg text round trip, bad cfgs refused", test_cfg_text },
		{ "planted wrong candidate rejected, choices correct", test_planted_rejected },
		{ "planted candidate rejected in fp16-storage", test_planted_fp16_storage },
		{ "budget stops the search, tuned model correct", test_budget_and_correct },
		{ "session uses a database entry, ignores unsure", test_session_uses_entry },
		{ "a tuned CLBlast GEMM entry runs correctly", test_session_gemm },
		CU_TEST_INFO_NULL,
	};
	int ret;

	cl_test_require_device("tuner", cache_dir, sizeof(cache_dir));
	snprintf(db_path, sizeof(db_path), "%s/tuning.db", cache_dir);
	setenv("MNET_TUNE_DB", db_path, 1);
	ret = mnet_test_run_suite("tuner", tests);
	cl_test_remove_dir(cache_dir);
	return ret;
}
#else
int main(void)
{
	printf("tuner: skipped: built without OpenCL\n");
	return 77;
}
#endif
