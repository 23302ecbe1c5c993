// SPDX-License-Identifier: Apache-2.0
/*
 * bench_measure.c - mnet-bench's measurements
 *
 * DOC: benchmark measurements
 *
 * The timed runs (CLOCK_MONOTONIC around each mnet_session_run()), the
 * profiled per-layer pass, the statistics over them and the two memory
 * peaks; why each is measured as it is is told in mnet-bench.c.  Nothing
 * here prints results: bench_output.c does.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "support/clock.h"
#include "mnet/mnet.h"
#include "synthetic/synthetic.h"
#include "lib/tool_util.h"
#include "lib/bench.h"
#include "lib/bench_measure.h"

static const char *const prog = BENCH_PROG;

/* Nearest-rank percentile of a sorted array. */
double bench_percentile(const double *v, int n, double q)
{
	int i = (int)(q * n + 0.999999) - 1;

	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return v[i];
}

/* A deterministic input: the peers' for synthetic models, else a ramp. */
void bench_fill_input(const struct bench_opts *o, struct mnet_shape s,
		      float *dst)
{
	size_t n = (size_t)s.h * s.w * s.c, i;

	if (o->synthetic == 1 && s.h == o->res && s.w == o->res && s.c == 3) {
		mnet_synthetic_input(o->res, dst);
		return;
	}
	for (i = 0; i < n; i++)
		dst[i] = (float)((i * 2654435761u) % 2001) / 1000.0f - 1.0f;
}

static void run_delay(const struct bench_opts *o)
{
	struct timespec ts;

	if (o->run_delay <= 0)
		return;
	ts.tv_sec = (time_t)o->run_delay;
	ts.tv_nsec = (long)((o->run_delay - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Mean and standard deviation (population) of the timed runs. */
void bench_mean_stddev(const struct bench_results *r, double *mean,
		       double *sd)
{
	double m = 0, v = 0;
	int i;

	for (i = 0; i < r->n; i++)
		m += r->t[i] / r->n;
	for (i = 0; i < r->n; i++)
		v += (r->t[i] - m) * (r->t[i] - m) / r->n;
	*mean = m;
	*sd = sqrt(v);
}


int bench_op_sums(const struct mnet_model *m, const struct bench_results *r,
		  struct bench_op_sum *sums)
{
	int nl = mnet_model_layer_count(m), n = 0, j, k;

	for (j = 0; j < nl; j++) {
		struct mnet_layer_info li;

		mnet_model_layer_info(m, j, &li);
		for (k = 0; k < n && strcmp(sums[k].op, li.op); k++)
			;
		if (k == n) {
			sums[n].op = li.op;
			sums[n].layers = 0;
			sums[n++].ms = 0;
		}
		sums[k].layers++;
		sums[k].ms += r->layer_ms[j];
	}
	return n;
}

/*
 * The file's own input bytes for @in, quantized as TFLite's QUANTIZE
 * does (round half away from zero, clamp): an int8 session is timed on
 * what an application hands TFLite, not on a float conversion it would
 * not do.  NULL (floats are timed) when the session takes floats only.
 */
static uint8_t *raw_input(struct mnet_session *s, const struct mnet_model *m,
			  const float *in, size_t n_in)
{
	float scale;
	int32_t zp;
	int sgn;
	uint8_t *raw;
	size_t i;

	if (mnet_model_input_quant(m, &scale, &zp, &sgn) || !(scale > 0.0f))
		return NULL;
	raw = malloc(n_in);
	if (!raw)
		return NULL;
	for (i = 0; i < n_in; i++) {
		long v = lround((double)in[i] / (double)scale) + zp;
		long lo = sgn ? -128 : 0;

		v = v < lo ? lo : v > lo + 255 ? lo + 255 : v;
		raw[i] = (uint8_t)v;
	}
	if (mnet_session_run_quantized(s, raw, n_in)) {
		free(raw);
		return NULL;
	}
	return raw;
}

/* One inference: on the raw bytes where there are some. */
static int run_once(struct mnet_session *s, const uint8_t *raw,
		    const float *in, size_t n_in)
{
	return raw ? mnet_session_run_quantized(s, raw, n_in) :
		     mnet_session_run(s, in, n_in);
}

int bench_run(struct mnet_session *s, const struct mnet_model *m,
	      const struct bench_opts *o, const float *in, size_t n_in,
	      struct bench_results *r)
{
	int nl = mnet_model_layer_count(m), i, j, ret, cap = o->runs;
	struct mnet_layer_time *lt;
	double *lall, start;
	struct mnet_class top;
	uint8_t *raw = NULL;

	lt = calloc((size_t)nl, sizeof(*lt));
	lall = calloc((size_t)nl * o->runs, sizeof(*lall));
	if (!lt || !lall) {
		ret = -ENOMEM;
		goto out_free;
	}
	/* untimed; its probe run is not the session's first either */
	if (!o->warmup) {
		double t0 = mnet_now_ms();

		ret = mnet_session_run(s, in, n_in);
		if (ret)
			goto out_run;
		r->first_ms = mnet_now_ms() - t0;
		raw = raw_input(s, m, in, n_in);
	}
	for (i = 0; i < o->warmup; i++) {
		double t0 = mnet_now_ms();

		ret = i ? run_once(s, raw, in, n_in) :
			  mnet_session_run(s, in, n_in);
		if (ret)
			goto out_run;
		if (!i) {
			r->first_ms = mnet_now_ms() - t0;
			raw = raw_input(s, m, in, n_in);
		}
		run_delay(o);
	}
	start = mnet_now_ms();
	for (i = 0; i < o->runs ||
		    mnet_now_ms() - start < o->min_secs * 1000.0; i++) {
		double t0;

		if (i >= cap) {
			double *t = realloc(r->t, 2 * (size_t)cap * sizeof(*t));

			if (!t) {
				ret = -ENOMEM;
				goto out_run;
			}
			r->t = t;
			cap *= 2;
		}
		t0 = mnet_now_ms();
		ret = run_once(s, raw, in, n_in);
		r->t[i] = mnet_now_ms() - t0;
		if (ret)
			goto out_run;
		if (i < o->runs && !mnet_session_layer_times(s, lt))
			for (j = 0; j < nl; j++) {
				lall[(size_t)j * o->runs + i] = lt[j].ms;
				r->layer_cfg[j] = lt[j].config;
			}
		run_delay(o);
	}
	r->n = i;
	r->raw_input = raw != NULL;
	mnet_tool_sort_doubles(r->t, r->n);
	for (j = 0; !r->layer_profiled && j < nl; j++)
		r->layer_ms[j] = mnet_tool_median(lall + (size_t)j * o->runs,
						  o->runs);
	mnet_session_topk(s, 1, &top);
	r->top1 = top.index;
	r->p = top.score;
	ret = 0;
	goto out_free;

out_run:
	fprintf(stderr, "%s: run failed: %s\n", prog, mnet_strerror(ret));
out_free:
	free(raw);
	free(lall);
	free(lt);
	return ret;
}

/*
 * The per-layer breakdown from a profiled session (OpenCL device times):
 * a few untimed runs, then @o->layer_runs runs, median per layer.
 */
int bench_layer_pass(struct mnet_session *s, const struct mnet_model *m,
		     const struct bench_opts *o, const float *in,
		     size_t n_in, struct bench_results *r)
{
	int nl = mnet_model_layer_count(m), n = o->layer_runs, i, j, ret = 0;
	struct mnet_layer_time *lt;
	double *lall;

	lt = calloc((size_t)nl, sizeof(*lt));
	lall = calloc((size_t)nl * n, sizeof(*lall));
	if (!lt || !lall) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = -2; !ret && i < n; i++) {
		ret = mnet_session_run(s, in, n_in);
		if (!ret && i >= 0 && !mnet_session_layer_times(s, lt))
			for (j = 0; j < nl; j++)
				lall[(size_t)j * n + i] = lt[j].ms;
	}
	if (ret) {
		fprintf(stderr, "%s: profiled run failed: %s\n", prog,
			mnet_strerror(ret));
		goto out_free;
	}
	for (j = 0; j < nl; j++)
		r->layer_ms[j] = mnet_tool_median(lall + (size_t)j * n, n);
	r->layer_profiled = 1;
	r->layer_runs = n;
out_free:
	free(lall);
	free(lt);
	return ret;
}

/*
 * Linux: reset the resident-set high-water mark (VmHWM) to the current
 * RSS, so that bench_vm_hwm_kb() covers only what follows.  Return 0 or -1.
 */
int bench_hwm_reset(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	int bad;

	if (!f)
		return -1;
	bad = fputs("5", f) < 0;
	return fclose(f) || bad ? -1 : 0;
}

/* VmHWM of /proc/self/status in KiB, or -1. */
long bench_vm_hwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* Process peak RSS in KiB; bench_hwm_reset() lowers it too (see main()). */
long bench_maxrss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_maxrss;
}
