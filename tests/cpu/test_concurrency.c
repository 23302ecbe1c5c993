// SPDX-License-Identifier: Apache-2.0
/*
 * test_concurrency.c - sessions on many threads at once, one shared model
 *
 * The API promises that a model is read-only once built and that
 * independent sessions may run concurrently.  For each backend (ref, cpu,
 * and opencl when a device exists) a single-threaded run of a few inputs
 * gives the expected outputs; then THREADS threads, released together by
 * a barrier, each create their own session on the one shared model, run
 * the same inputs in a different order, and must reproduce those outputs
 * bit for bit.  A second case keeps sessions of every backend alive on
 * the same model and interleaves their runs from several threads.  The
 * suite also runs under ThreadSanitizer (tools/ci/ci-hardening.sh tsan).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/test_util.h"

#define THREADS 4
#define INPUTS 3

static struct mnet_model *model;	/* shared by every session */
static size_t n_in, n_out;
static float *inputs[INPUTS];
static char cache_dir[64];

struct backend_case {
	const char *name;
	enum mnet_backend_kind kind;
	int threads;		/* host threads per session */
};

static const struct backend_case backends[] = {
	{ "ref", MNET_BACKEND_REF, 1 },
	{ "cpu", MNET_BACKEND_CPU, 2 },
	{ "opencl", MNET_BACKEND_OPENCL, 1 },
};

struct worker {
	pthread_t tid;
	const struct backend_case *be;
	pthread_barrier_t *start;
	int index;
	int ret;		/* first failure, or 0 */
	float *out[INPUTS];	/* what this thread's session produced */
};

static int session_for(const struct backend_case *be, struct mnet_session **s,
		       struct mnet_err *err)
{
	struct mnet_session_opts o;

	mnet_session_opts_init(&o);
	o.backend = be->kind;
	o.threads = be->threads;
	return mnet_session_create(model, &o, s, err);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	int i, k;

	pthread_barrier_wait(w->start);
	w->ret = session_for(w->be, &s, &err);
	if (w->ret)
		return NULL;
	for (i = 0; i < INPUTS; i++) {
		k = (i + w->index) % INPUTS;	/* a different order each */
		w->ret = mnet_session_run(s, inputs[k], n_in);
		if (w->ret)
			break;
		memcpy(w->out[k], mnet_session_output(s, NULL),
		       n_out * sizeof(float));
	}
	mnet_session_destroy(s);
	return NULL;
}

/* Outputs of one session run on this thread alone; 0, or -ENODEV to skip. */
static int single_thread(const struct backend_case *be, float **expect)
{
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	int i, ret;

	ret = session_for(be, &s, &err);
	if (ret == -ENODEV) {
		printf("\n  %s: not available here (%s): skipped", be->name,
		       err.msg);
		return ret;
	}
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	for (i = 0; i < INPUTS; i++) {
		CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, inputs[i], n_in), 0);
		memcpy(expect[i], mnet_session_output(s, NULL),
		       n_out * sizeof(float));
	}
	mnet_session_destroy(s);
	return 0;
}

static float **alloc_outputs(void)
{
	float **o = calloc(INPUTS, sizeof(*o));
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	for (i = 0; i < INPUTS; i++) {
		o[i] = malloc(n_out * sizeof(float));
		CU_ASSERT_PTR_NOT_NULL_FATAL(o[i]);
	}
	return o;
}

static void free_outputs(float **o)
{
	int i;

	for (i = 0; o && i < INPUTS; i++)
		free(o[i]);
	free(o);
}

static void run_threads(const struct backend_case *be)
{
	struct worker w[THREADS];
	pthread_barrier_t start;
	float **expect = alloc_outputs();
	int t, i;

	if (single_thread(be, expect)) {
		free_outputs(expect);
		return;
	}
	CU_ASSERT_EQUAL_FATAL(pthread_barrier_init(&start, NULL, THREADS), 0);
	memset(w, 0, sizeof(w));
	for (t = 0; t < THREADS; t++) {
		w[t].be = be;
		w[t].start = &start;
		w[t].index = t;
		for (i = 0; i < INPUTS; i++) {
			w[t].out[i] = malloc(n_out * sizeof(float));
			CU_ASSERT_PTR_NOT_NULL_FATAL(w[t].out[i]);
		}
		CU_ASSERT_EQUAL_FATAL(pthread_create(&w[t].tid, NULL,
						     worker_main, &w[t]), 0);
	}
	for (t = 0; t < THREADS; t++) {
		pthread_join(w[t].tid, NULL);
		CU_ASSERT_EQUAL(w[t].ret, 0);
		for (i = 0; i < INPUTS; i++) {
			if (!w[t].ret)
				CU_ASSERT_EQUAL(memcmp(w[t].out[i], expect[i],
						       n_out * sizeof(float)),
						0);
			free(w[t].out[i]);
		}
	}
	pthread_barrier_destroy(&start);
	printf("\n  %s: %d sessions on %d threads, %d inputs each: identical",
	       be->name, THREADS, THREADS, INPUTS);
	free_outputs(expect);
}

static void test_threads_ref(void)
{
	run_threads(&backends[0]);
}

static void test_threads_cpu(void)
{
	run_threads(&backends[1]);
}

static void test_threads_opencl(void)
{
	run_threads(&backends[2]);
}

/*
 * Sessions of every available backend alive together on the one model;
 * each thread drives one of them, all runs interleaved.
 */
struct mixed {
	pthread_t tid;
	struct mnet_session *s;
	pthread_barrier_t *start;
	float **expect;
	int rounds, ret, mismatches;
};

static void *mixed_main(void *arg)
{
	struct mixed *mx = arg;
	int r;

	pthread_barrier_wait(mx->start);
	for (r = 0; r < mx->rounds; r++) {
		int k = r % INPUTS;

		mx->ret = mnet_session_run(mx->s, inputs[k], n_in);
		if (mx->ret)
			break;
		if (memcmp(mnet_session_output(mx->s, NULL), mx->expect[k],
			   n_out * sizeof(float)))
			mx->mismatches++;
	}
	return NULL;
}

static void test_shared_model_mixed(void)
{
	struct mixed mx[6];
	pthread_barrier_t start;
	float **expect[3] = { NULL };
	int n = 0, b, i;

	for (b = 0; b < 3; b++) {
		expect[b] = alloc_outputs();
		if (single_thread(&backends[b], expect[b]))
			continue;
		/* two sessions per backend on the same model */
		for (i = 0; i < 2; i++) {
			struct mnet_err err = { 0 };

			memset(&mx[n], 0, sizeof(mx[n]));
			CU_ASSERT_EQUAL_FATAL(session_for(&backends[b],
							  &mx[n].s, &err), 0);
			mx[n].expect = expect[b];
			mx[n].rounds = 4;
			n++;
		}
	}
	CU_ASSERT_EQUAL_FATAL(pthread_barrier_init(&start, NULL, n), 0);
	for (i = 0; i < n; i++) {
		mx[i].start = &start;
		CU_ASSERT_EQUAL_FATAL(pthread_create(&mx[i].tid, NULL,
						     mixed_main, &mx[i]), 0);
	}
	for (i = 0; i < n; i++) {
		pthread_join(mx[i].tid, NULL);
		CU_ASSERT_EQUAL(mx[i].ret, 0);
		CU_ASSERT_EQUAL(mx[i].mismatches, 0);
		mnet_session_destroy(mx[i].s);
	}
	pthread_barrier_destroy(&start);
	for (b = 0; b < 3; b++)
		free_outputs(expect[b]);
	printf("\n  %d sessions of %d backends on one model: identical", n,
	       n / 2);
}

static const CU_TestInfo tests[] = {
	{ "ref: threads match one thread", test_threads_ref },
	{ "cpu: threads match one thread", test_threads_cpu },
	{ "opencl: threads match one thread", test_threads_opencl },
	{ "one model, sessions of every backend at once",
	  test_shared_model_mixed },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	struct mnet_err err = { 0 };
	int i, ret;

	/* V2 has residual ADDs: more of the runtime than V1 */
	if (mnet_model_create_synthetic_v2(0.35f, 64, &model, &err)) {
		printf("concurrency: cannot build the model: %s\n", err.msg);
		return 1;
	}
	n_in = 64 * 64 * 3;
	n_out = mnet_model_output_size(model);
	for (i = 0; i < INPUTS; i++) {
		inputs[i] = malloc(n_in * sizeof(float));
		if (!inputs[i])
			return 1;
		mnet_test_fill_random(inputs[i], n_in, 11u + (unsigned)i,
				      -1.0f, 1.0f);
	}
	/* OpenCL program cache: a private folder, removed afterwards */
	snprintf(cache_dir, sizeof(cache_dir), "/tmp/mnet-conc-XXXXXX");
	if (!mkdtemp(cache_dir))
		return 1;
	setenv("MNET_CL_CACHE_DIR", cache_dir, 1);
	ret = mnet_test_run_suite("concurrency", tests);
	for (i = 0; i < INPUTS; i++)
		free(inputs[i]);
	mnet_model_free(model);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", cache_dir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", cache_dir);
	}
	return ret;
}
