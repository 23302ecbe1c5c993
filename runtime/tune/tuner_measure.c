// SPDX-License-Identifier: Apache-2.0
/*
 * tuner_measure.c - launching and timing one candidate
 *
 * DOC: timing
 *
 * Event profiling (end - start) of single launches, each waited for.
 * After the check run and one more warm-up launch, launches come in
 * batches of 5 until the median moves less than 3% between batches (at
 * least 10 samples) or the mode's cap (&struct mnet_tune_cl.sample_cap
 * samples or .cand_cap_ms) is reached.  The median and interquartile
 * range are kept.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cl/cl_error.h"
#include "support/clock.h"
#include "tune/tuner_measure.h"

/* One CLBlast launch: marker END to epilogue END. */
static int launch_gemm(const struct mnet_tune_cl *t,
		       const struct mnet_tune_runner *r, double *ms)
{
	cl_event ev[2] = { NULL, NULL };
	cl_ulong t0, t1;
	cl_int rc;

	if (mnet_cl_gemm_enqueue(r->g, t->q, r->in, r->out, &ev[0],
				 &ev[1]))
		return -EIO;
	rc = clWaitForEvents(1, &ev[1]);
	if (!rc)
		rc = clGetEventProfilingInfo(ev[0], CL_PROFILING_COMMAND_END,
					     sizeof(t0), &t0, NULL);
	if (!rc)
		rc = clGetEventProfilingInfo(ev[1], CL_PROFILING_COMMAND_END,
					     sizeof(t1), &t1, NULL);
	clReleaseEvent(ev[0]);
	clReleaseEvent(ev[1]);
	if (rc)
		return -EIO;
	*ms = (double)(t1 - t0) * 1e-6;
	return 0;
}

static int launch_kernel(const struct mnet_tune_cl *t, cl_kernel k,
			 const struct mnet_cl_layer_plan *plan,
			 const struct mnet_cl_layer_cfg *cfg, int planted,
			 double *ms)
{
	size_t global[3], last = plan->dims - 1;
	cl_ulong t0, t1;
	cl_event ev;
	cl_int rc;

	memcpy(global, plan->global, sizeof(global));
	/*
	 * The test hook: the last work-group row along the slowest dimension
	 * (output rows, pixel blocks) is left out, or nothing is launched at
	 * all when there is only one: faster than the real thing, and wrong,
	 * without ever writing out of bounds.
	 */
	if (planted) {
		size_t step = plan->local[last] ? plan->local[last] : 1;

		if (global[last] <= step) {
			*ms = 0;
			return 0;
		}
		global[last] -= step;
	}
	rc = clEnqueueNDRangeKernel(t->q, k, plan->dims, NULL, global,
				    cfg->wg[0] ? plan->local : NULL, 0, NULL,
				    &ev);
	if (rc)
		return -EIO;
	rc = clWaitForEvents(1, &ev);
	if (!rc)
		rc = clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START,
					     sizeof(t0), &t0, NULL);
	if (!rc)
		rc = clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END,
					     sizeof(t1), &t1, NULL);
	clReleaseEvent(ev);
	if (rc)
		return -EIO;
	*ms = (double)(t1 - t0) * 1e-6;
	return 0;
}

int mnet_tune_launch(const struct mnet_tune_cl *t,
		     const struct mnet_tune_runner *r, int planted, double *ms)
{
	if (r->g)
		return launch_gemm(t, r, ms);
	return launch_kernel(t, r->k, r->plan, r->cfg, planted, ms);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double mnet_tune_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n & 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void stats(const double *s, int n, struct mnet_tune_meas *m)
{
	double v[MNET_TUNE_MAX_SAMPLES];

	memcpy(v, s, (size_t)n * sizeof(*v));
	m->n = n;
	m->median = mnet_tune_median(v, n);
	m->q1 = v[n / 4];
	m->q3 = v[(3 * n) / 4 < n ? (3 * n) / 4 : n - 1];
}

int mnet_tune_measure(const struct mnet_tune_cl *t,
		      const struct mnet_tune_runner *r, struct mnet_tune_meas *m)
{
	double s[MNET_TUNE_MAX_SAMPLES], start = mnet_now_ms(), prev = 0, ms;
	int n = 0, i, ret;

	memset(m, 0, sizeof(*m));
	ret = mnet_tune_launch(t, r, 0, &ms);	/* warm-up */
	if (ret)
		return ret;
	while (n + 5 <= t->sample_cap) {
		for (i = 0; i < 5; i++) {
			ret = mnet_tune_launch(t, r, 0, &s[n]);
			if (ret)
				return ret;
			n++;
		}
		stats(s, n, m);
		if (n >= 10 && fabs(m->median - prev) <= 0.03 * prev)
			break;
		prev = m->median;
		if (mnet_now_ms() - start > t->cand_cap_ms)
			break;
	}
	return 0;
}
