// SPDX-License-Identifier: Apache-2.0
/*
 * test_release_weights.c - mnet_model_release_weights()
 *
 * A session that owns its copy of the weights (cpu; opencl with every
 * weighted layer on the device) must give bit-identical outputs and layer
 * outputs after the model's weights are freed; a session that reads them
 * at run time (ref; opencl with a weighted layer on the host) must make
 * the release fail with -EBUSY naming the model and the session kind,
 * until it is destroyed; after a release every new session fails with
 * -EINVAL and says so, while counts and layer info still work; and the
 * release must be safe against sessions created and destroyed on other
 * threads.  The same for opts.release_weights, which frees the weights
 * while the session is created: same outputs as a session made the usual
 * way on a second copy of the model, -EBUSY while others read them, a
 * note and no release with a backend that reads them, and a creation that
 * fails before the backend freed anything gives them back.  Run on a
 * synthetic model and on a real TFLite file.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/opencl_test.h"
#include "lib/test_util.h"

#define TFLITE "models/mobilenet_v1_0.25_128_quant.tflite"

/* A model plus a deterministic input for it. */
struct fixture {
	struct mnet_model *m;
	float *in;
	size_t n_in, n_out;
};

static void fixture_init(struct fixture *f, int tflite)
{
	struct mnet_err err = { 0 };
	struct mnet_shape s;
	int ret;

	if (tflite)
		ret = mnet_model_load_file(mnet_test_shared_path(TFLITE),
					   &f->m, &err);
	else
		ret = mnet_model_create_synthetic(0.25f, 128, &f->m, &err);
	if (ret)
		printf("\n  model: %s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	s = mnet_model_input_shape(f->m);
	f->n_in = (size_t)s.h * s.w * s.c;
	f->n_out = mnet_model_output_size(f->m);
	f->in = malloc(f->n_in * sizeof(float));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->in);
	mnet_test_fill_random(f->in, f->n_in, 7, -1.0f, 1.0f);
}

static void fixture_fini(struct fixture *f)
{
	mnet_model_free(f->m);
	free(f->in);
}

static struct mnet_session *session_opts(struct fixture *f,
					 enum mnet_backend_kind kind,
					 int threads, int release,
					 uint64_t cap, int *ret,
					 struct mnet_err *err)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;

	mnet_session_opts_init(&o);
	o.backend = kind;
	o.threads = threads;
	o.release_weights = release;
	o.max_memory_bytes = cap;
	memset(err, 0, sizeof(*err));
	*ret = mnet_session_create(f->m, &o, &s, err);
	return s;
}

static struct mnet_session *session(struct fixture *f,
				    enum mnet_backend_kind kind, int threads,
				    int *ret, struct mnet_err *err)
{
	return session_opts(f, kind, threads, 0, 0, ret, err);
}

/* Output and layer @layer's output of one run, copied. */
struct snapshot {
	float *out, *lay;
	size_t n_lay;
};

static void snap(struct fixture *f, struct mnet_session *s, int layer,
		 struct snapshot *sn)
{
	struct mnet_layer_info li;

	CU_ASSERT_EQUAL_FATAL(mnet_model_layer_info(f->m, layer, &li), 0);
	sn->n_lay = (size_t)li.out.h * li.out.w * li.out.c;
	sn->out = malloc(f->n_out * sizeof(float));
	sn->lay = malloc(sn->n_lay * sizeof(float));
	CU_ASSERT_FATAL(sn->out && sn->lay);
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, f->in, f->n_in), 0);
	memcpy(sn->out, mnet_session_output(s, NULL), f->n_out * sizeof(float));
	CU_ASSERT_EQUAL(mnet_session_layer_output(s, layer, sn->lay,
						  sn->n_lay), 0);
}

static int snap_equal(const struct snapshot *a, const struct snapshot *b,
		      size_t n_out)
{
	return !memcmp(a->out, b->out, n_out * sizeof(float)) &&
	       !memcmp(a->lay, b->lay, a->n_lay * sizeof(float));
}

static void snap_free(struct snapshot *sn)
{
	free(sn->out);
	free(sn->lay);
}

static int n_weight_arrays(const struct mnet_model *m)
{
	int i, n = 0;

	for (i = 0; i < m->n_layers; i++)
		n += m->layers[i].weights != NULL;
	return n;
}

/* After a release: no new session, queries still answer from counts. */
static void check_released(struct fixture *f, uint64_t params,
			   uint64_t macs)
{
	static const enum mnet_backend_kind kinds[] = {
		MNET_BACKEND_AUTO, MNET_BACKEND_REF, MNET_BACKEND_CPU,
		MNET_BACKEND_OPENCL,
	};
	struct mnet_layer_info li;
	struct mnet_session *s;
	struct mnet_err err;
	uint64_t p2, m2;
	unsigned int k;
	int ret;

	CU_ASSERT_EQUAL(n_weight_arrays(f->m), 0);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		s = session(f, kinds[k], 1, &ret, &err);
		CU_ASSERT_EQUAL(ret, -EINVAL);
		CU_ASSERT_PTR_NULL(s);
		CU_ASSERT_EQUAL(err.code, -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "weights were released"));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, mnet_model_name(f->m)));
		mnet_session_destroy(s);
	}
	mnet_model_totals(f->m, &p2, &m2);
	CU_ASSERT_EQUAL(p2, params);
	CU_ASSERT_EQUAL(m2, macs);
	CU_ASSERT_EQUAL(mnet_model_layer_info(f->m, 0, &li), 0);
	CU_ASSERT(li.params > 0);
	CU_ASSERT_EQUAL(mnet_model_validate(f->m, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "weights were released"));
	/* a second release is a no-op */
	CU_ASSERT_EQUAL(mnet_model_release_weights(f->m, &err), 0);
}

/* cpu sessions keep working bit for bit; layer_output included. */
static void check_cpu(int tflite, int threads)
{
	struct snapshot before, after;
	struct mnet_session *s;
	struct mnet_err err;
	struct fixture f;
	uint64_t params, macs;
	int ret, layer;

	fixture_init(&f, tflite);
	layer = mnet_model_layer_count(f.m) / 2;
	mnet_model_totals(f.m, &params, &macs);
	s = session(&f, MNET_BACKEND_CPU, threads, &ret, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	snap(&f, s, layer, &before);
	CU_ASSERT(n_weight_arrays(f.m) > 0);
	CU_ASSERT_EQUAL(mnet_model_release_weights(f.m, &err), 0);
	snap(&f, s, layer, &after);
	CU_ASSERT(snap_equal(&before, &after, f.n_out));
	/* and a second run after the release, from the same session */
	snap_free(&after);
	snap(&f, s, layer, &after);
	CU_ASSERT(snap_equal(&before, &after, f.n_out));
	check_released(&f, params, macs);
	mnet_session_destroy(s);
	snap_free(&after);
	snap_free(&before);
	fixture_fini(&f);
}

static void test_cpu_synthetic(void)
{
	check_cpu(0, 1);
	check_cpu(0, 2);
}

static void test_cpu_tflite(void)
{
	check_cpu(1, 1);
	check_cpu(1, 2);
}

/* A ref session pins the weights; the cpu session beside it is unharmed. */
static void test_ref_pins(void)
{
	struct snapshot before, after;
	struct mnet_session *ref, *cpu, *ref2;
	struct mnet_err err;
	struct fixture f;
	uint64_t params, macs;
	int ret, layer;

	fixture_init(&f, 0);
	layer = 3;
	mnet_model_totals(f.m, &params, &macs);
	cpu = session(&f, MNET_BACKEND_CPU, 2, &ret, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	ref = session(&f, MNET_BACKEND_REF, 1, &ret, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	ref2 = session(&f, MNET_BACKEND_REF, 1, &ret, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	snap(&f, cpu, layer, &before);

	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(mnet_model_release_weights(f.m, &err), -EBUSY);
	CU_ASSERT_EQUAL(err.code, -EBUSY);
	printf("\n  %s", err.msg);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, mnet_model_name(f.m)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "2 ref sessions"));
	CU_ASSERT_PTR_NULL(strstr(err.msg, "cpu"));
	CU_ASSERT(n_weight_arrays(f.m) > 0);
	/* still pinned: the model still makes sessions, which still run */
	CU_ASSERT_EQUAL(mnet_session_run(ref, f.in, f.n_in), 0);

	mnet_session_destroy(ref);
	CU_ASSERT_EQUAL(mnet_model_release_weights(f.m, &err), -EBUSY);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "1 ref session "));
	mnet_session_destroy(ref2);
	CU_ASSERT_EQUAL(mnet_model_release_weights(f.m, &err), 0);
	snap(&f, cpu, layer, &after);
	CU_ASSERT(snap_equal(&before, &after, f.n_out));
	check_released(&f, params, macs);
	mnet_session_destroy(cpu);
	snap_free(&after);
	snap_free(&before);
	fixture_fini(&f);
}

/*
 * release_weights at creation on @kind: the same outputs as a session
 * created the usual way on a second copy of the model, and the model
 * released afterwards.
 */
static void check_release_at_creation(int tflite, enum mnet_backend_kind kind,
				      int threads)
{
	struct snapshot want, got;
	struct mnet_session *s, *s2;
	struct mnet_err err;
	struct fixture f, f2;
	uint64_t params, macs;
	int ret, layer;

	fixture_init(&f, tflite);
	fixture_init(&f2, tflite);
	layer = mnet_model_layer_count(f.m) - 3;
	mnet_model_totals(f.m, &params, &macs);
	s2 = session(&f2, kind, threads, &ret, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	snap(&f2, s2, layer, &want);
	s = session_opts(&f, kind, threads, 1, 0, &ret, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_STRING_EQUAL(err.msg, "");
	CU_ASSERT(mnet_model_weights_released(f.m));
	snap(&f, s, layer, &got);
	CU_ASSERT(snap_equal(&want, &got, f.n_out));
	check_released(&f, params, macs);
	mnet_session_destroy(s);
	mnet_session_destroy(s2);
	snap_free(&got);
	snap_free(&want);
	fixture_fini(&f2);
	fixture_fini(&f);
}

static void test_release_at_creation_cpu(void)
{
	check_release_at_creation(0, MNET_BACKEND_CPU, 1);
	check_release_at_creation(0, MNET_BACKEND_CPU, 2);
	check_release_at_creation(1, MNET_BACKEND_CPU, 1);
	check_release_at_creation(1, MNET_BACKEND_CPU, 2);
}

/* Others reading the weights, a reading backend, a failed creation. */
static void test_release_at_creation_refused(void)
{
	struct mnet_session *ref, *s;
	struct mnet_err err;
	struct fixture f;
	int ret, n;

	fixture_init(&f, 0);
	n = n_weight_arrays(f.m);
	ref = session(&f, MNET_BACKEND_REF, 1, &ret, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	s = session_opts(&f, MNET_BACKEND_CPU, 1, 1, 0, &ret, &err);
	CU_ASSERT_EQUAL(ret, -EBUSY);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "1 ref session"));
	CU_ASSERT_EQUAL(n_weight_arrays(f.m), n);
	mnet_session_destroy(ref);

	/* a backend that reads them keeps them, and says so */
	ref = session_opts(&f, MNET_BACKEND_REF, 1, 1, 0, &ret, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_EQUAL(err.code, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "weights kept despite release_weights"));
	CU_ASSERT_EQUAL(n_weight_arrays(f.m), n);
	CU_ASSERT_EQUAL(mnet_model_release_weights(f.m, &err), -EBUSY);
	CU_ASSERT_EQUAL(mnet_session_run(ref, f.in, f.n_in), 0);
	mnet_session_destroy(ref);

	/* refused before init() (memory cap): the weights are given back */
	s = session_opts(&f, MNET_BACKEND_CPU, 1, 1, 1, &ret, &err);
	CU_ASSERT_EQUAL(ret, -EFBIG);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(n_weight_arrays(f.m), n);
	CU_ASSERT(!mnet_model_weights_released(f.m));
	s = session(&f, MNET_BACKEND_CPU, 1, &ret, &err);
	CU_ASSERT_EQUAL(ret, 0);
	CU_ASSERT_EQUAL(mnet_session_run(s, f.in, f.n_in), 0);
	mnet_session_destroy(s);
	/* sessions with their own copy do not stand in the way */
	s = session(&f, MNET_BACKEND_CPU, 1, &ret, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	ref = session_opts(&f, MNET_BACKEND_CPU, 2, 1, 0, &ret, &err);
	CU_ASSERT_EQUAL(ret, 0);
	CU_ASSERT(mnet_model_weights_released(f.m));
	CU_ASSERT_EQUAL(mnet_session_run(s, f.in, f.n_in), 0);
	mnet_session_destroy(ref);
	mnet_session_destroy(s);
	fixture_fini(&f);
}

/*
 * A creation that took the weights and whose backend freed some before
 * failing: the weights are no longer intact (so session.c tries no other
 * backend on them), and giving them back releases the rest.
 */
static void test_partial_take(void)
{
	struct mnet_err err = { 0 };
	struct fixture f;
	int i, ret, first = -1;

	fixture_init(&f, 0);
	CU_ASSERT(mnet_model_weights_intact(f.m));
	CU_ASSERT_EQUAL_FATAL(mnet_model_weights_take(f.m, &err), 0);
	for (i = 0; i < f.m->n_layers && first < 0; i++)
		if (f.m->layers[i].n_weights)
			first = i;
	CU_ASSERT_FATAL(first >= 0);
	mnet_model_layer_drop_weights(f.m, first);
	CU_ASSERT(!mnet_model_weights_intact(f.m));
	CU_ASSERT_EQUAL(mnet_model_weights_give_back(f.m, 0), -EINVAL);
	CU_ASSERT(mnet_model_weights_released(f.m));
	CU_ASSERT_EQUAL(n_weight_arrays(f.m), 0);
	CU_ASSERT_PTR_NULL(session(&f, MNET_BACKEND_CPU, 1, &ret, &err));
	CU_ASSERT_EQUAL(ret, -EINVAL);
	fixture_fini(&f);
}

static void test_bad_args(void)
{
	struct mnet_err err = { 0 };

	CU_ASSERT_EQUAL(mnet_model_release_weights(NULL, &err), -EINVAL);
	CU_ASSERT_EQUAL(err.code, -EINVAL);
	CU_ASSERT_EQUAL(mnet_model_release_weights(NULL, NULL), -EINVAL);
}

/*
 * Sessions created and destroyed on two threads while the main thread
 * releases: every creation either succeeds before the release (and its
 * session then runs bit-identically) or fails with -EINVAL after it;
 * nothing reads freed weights (the ASan build checks that).
 */
struct churn {
	struct fixture *f;
	const float *want;
	atomic_int ok, refused, wrong;
};

static void *churn_thread(void *arg)
{
	struct churn *c = arg;
	struct mnet_session *s;
	struct mnet_err err;
	int i, ret;

	for (i = 0; i < 40; i++) {
		s = session(c->f, MNET_BACKEND_CPU, 1, &ret, &err);
		if ((ret == -EINVAL && strstr(err.msg, "weights were released")) ||
		    (ret == -EBUSY && strstr(err.msg, "being released"))) {
			c->refused++;
			continue;
		}
		if (ret || mnet_session_run(s, c->f->in, c->f->n_in) ||
		    memcmp(mnet_session_output(s, NULL), c->want,
			   c->f->n_out * sizeof(float)))
			c->wrong++;
		else
			c->ok++;
		mnet_session_destroy(s);
	}
	return NULL;
}

/* Start two churning threads on @f once a session gave @want. */
static void churn_start(struct churn *c, pthread_t *th, struct fixture *f,
			const float *want)
{
	int i;

	for (i = 0; i < 2; i++) {
		c[i].f = f;
		c[i].want = want;
		atomic_init(&c[i].ok, 0);
		atomic_init(&c[i].refused, 0);
		atomic_init(&c[i].wrong, 0);
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL,
						     churn_thread, &c[i]), 0);
	}
	/* let some creations through first */
	while (c[0].ok + c[1].ok < 4 && c[0].wrong + c[1].wrong == 0)
		sched_yield();
}

/*
 * A cpu session on a fresh fixture, its output as the expected answer, and
 * two threads creating and checking sessions (churn_thread()) running.
 */
static float *churn_begin(struct fixture *f, struct mnet_session **s,
			  struct churn *c, pthread_t *th)
{
	struct mnet_err err;
	float *want;
	int ret;

	fixture_init(f, 0);
	*s = session(f, MNET_BACKEND_CPU, 1, &ret, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(*s, f->in, f->n_in), 0);
	want = malloc(f->n_out * sizeof(float));
	CU_ASSERT_FATAL(want != NULL);
	memcpy(want, mnet_session_output(*s, NULL), f->n_out * sizeof(float));
	churn_start(c, th, f, want);
	return want;
}

/* Join the churn threads: no wrong output, every creation accounted for. */
static void churn_end(struct churn *c, pthread_t *th, const char *what,
		      int busy)
{
	int i;

	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	printf("\n  created %d, refused %d, -EBUSY for the %s %d times",
	       c[0].ok + c[1].ok, c[0].refused + c[1].refused, what, busy);
	CU_ASSERT_EQUAL(c[0].wrong + c[1].wrong, 0);
	CU_ASSERT_EQUAL(c[0].ok + c[1].ok + c[0].refused + c[1].refused, 80);
}

/*
 * The same with release_weights: a creation that takes the weights while
 * the others create sessions; theirs fail with -EBUSY while it packs and
 * -EINVAL after, or succeed before it, never with wrong outputs.
 */
static void test_concurrent_take(void)
{
	struct mnet_session *s = NULL, *s0;
	struct churn c[2];
	struct mnet_err err;
	struct fixture f;
	pthread_t th[2];
	float *want;
	int ret, busy = 0;

	want = churn_begin(&f, &s0, c, th);
	while ((s = session_opts(&f, MNET_BACKEND_CPU, 2, 1, 0, &ret,
				 &err)) == NULL && ret == -EBUSY) {
		busy++;
		sched_yield();
	}
	CU_ASSERT_EQUAL(ret, 0);
	churn_end(c, th, "taker", busy);
	CU_ASSERT(mnet_model_weights_released(f.m));
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(mnet_session_run(s, f.in, f.n_in), 0);
	CU_ASSERT(!memcmp(mnet_session_output(s, NULL), want,
			  f.n_out * sizeof(float)));
	mnet_session_destroy(s);
	mnet_session_destroy(s0);
	free(want);
	fixture_fini(&f);
}

static void test_concurrent(void)
{
	struct churn c[2];
	struct mnet_session *s;
	struct mnet_err err;
	struct fixture f;
	pthread_t th[2];
	float *want;
	int ret, busy = 0;

	want = churn_begin(&f, &s, c, th);
	/* release while they run */
	while ((ret = mnet_model_release_weights(f.m, &err)) == -EBUSY) {
		busy++;
		sched_yield();
	}
	CU_ASSERT_EQUAL(ret, 0);
	churn_end(c, th, "release", busy);
	CU_ASSERT(c[0].ok + c[1].ok >= 4);
	CU_ASSERT_EQUAL(mnet_session_run(s, f.in, f.n_in), 0);
	CU_ASSERT(!memcmp(mnet_session_output(s, NULL), want,
			  f.n_out * sizeof(float)));
	mnet_session_destroy(s);
	free(want);
	fixture_fini(&f);
}

#ifdef MNET_HAVE_OPENCL
static char cache_dir[64];
static int have_opencl;

/* The index of the first layer with operator @op. */
static int find_layer(const struct mnet_model *m, const char *op)
{
	struct mnet_layer_info li;
	int i;

	for (i = 0; i < mnet_model_layer_count(m); i++)
		if (!mnet_model_layer_info(m, i, &li) && !strcmp(li.op, op))
			return i;
	return -1;
}

/*
 * An OpenCL session: with every layer on the device it keeps working
 * after the release; with layer @fail forced onto the host (test hook) it
 * pins the weights if that layer has any (@pins).
 */
static void check_opencl(const char *fail_op, int pins)
{
	struct snapshot before, after;
	struct mnet_session *s;
	struct mnet_err err;
	struct mnet_startup su;
	struct fixture f;
	uint64_t params, macs;
	int ret, fail = -1;
	char val[16];

	fixture_init(&f, 1);
	mnet_model_totals(f.m, &params, &macs);
	if (fail_op) {
		fail = find_layer(f.m, fail_op);
		CU_ASSERT_FATAL(fail >= 0);
		snprintf(val, sizeof(val), "%d", fail);
		setenv("MNET_CL_FAIL_LAYER", val, 1);
	}
	s = session(&f, MNET_BACKEND_OPENCL, 1, &ret, &err);
	unsetenv("MNET_CL_FAIL_LAYER");
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	mnet_session_startup(s, &su);
	CU_ASSERT_EQUAL(su.host_layers, fail_op ? 1 : 0);
	snap(&f, s, mnet_model_layer_count(f.m) - 3, &before);
	ret = mnet_model_release_weights(f.m, &err);
	if (pins) {
		CU_ASSERT_EQUAL(ret, -EBUSY);
		printf("\n  %s", err.msg);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, mnet_model_name(f.m)));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg,
					      "1 opencl session with layers on the host"));
		CU_ASSERT(n_weight_arrays(f.m) > 0);
		snap(&f, s, mnet_model_layer_count(f.m) - 3, &after);
		CU_ASSERT(snap_equal(&before, &after, f.n_out));
		mnet_session_destroy(s);
		s = NULL;
		CU_ASSERT_EQUAL(mnet_model_release_weights(f.m, &err), 0);
	} else {
		CU_ASSERT_EQUAL(ret, 0);
		snap(&f, s, mnet_model_layer_count(f.m) - 3, &after);
		CU_ASSERT(snap_equal(&before, &after, f.n_out));
	}
	check_released(&f, params, macs);
	mnet_session_destroy(s);
	snap_free(&after);
	snap_free(&before);
	fixture_fini(&f);
}

static void test_opencl(void)
{
	if (!have_opencl)
		return;
	check_release_at_creation(1, MNET_BACKEND_OPENCL, 1);
	check_opencl(NULL, 0);
	/* a host depthwise layer reads the model's weights: pinned */
	check_opencl("dwconv2d", 1);
	/* a host pooling layer has none to read: not pinned */
	check_opencl("avgpool", 0);
}
#endif

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "bad arguments", test_bad_args },
		{ "cpu, synthetic, 1 and 2 threads", test_cpu_synthetic },
		{ "cpu, tflite, 1 and 2 threads", test_cpu_tflite },
		{ "ref sessions pin the weights", test_ref_pins },
		{ "release while other threads create sessions", test_concurrent },
		{ "release_weights at creation, cpu", test_release_at_creation_cpu },
		{ "release_weights at creation refused", test_release_at_creation_refused },
		{ "release_weights while other threads create sessions", test_concurrent_take },
#ifdef MNET_HAVE_OPENCL
		{ "opencl: device copy, host layers pin", test_opencl },
#endif
		{ "a partly freed take is not intact and ends released", test_partial_take },
		CU_TEST_INFO_NULL,
	};
	int ret;

	if (!mnet_test_have_file(TFLITE)) {
		printf("test_release_weights: skipped: %s not found (set MNET_SHARED_DIR)\n",
		       mnet_test_shared_path(TFLITE));
		return 77;
	}
#ifdef MNET_HAVE_OPENCL
	/* a fresh program cache, no tuning database: see opencl_test.h */
	have_opencl = cl_test_have_device("release_weights",
					  "OpenCL cases skipped", cache_dir,
					  sizeof(cache_dir));
#endif
	ret = mnet_test_run_suite("release_weights", tests);
#ifdef MNET_HAVE_OPENCL
	if (have_opencl)
		cl_test_remove_dir(cache_dir);
#endif
	return ret;
}
