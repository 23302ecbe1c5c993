// SPDX-License-Identifier: Apache-2.0
/*
 * cl_run.c - enqueue a model's layers on the OpenCL device
 *
 * DOC: runs
 *
 * A run enqueues the input upload (or writes the mapped input), one
 * kernel per device layer, the host-fallback layers in between
 * (cl_host.c), and reads the output with the run's one blocking call.
 * The same loop serves the warm-up run at creation and layer_output().
 *
 * Timing: with opts.profile the queue has CL_QUEUE_PROFILING_ENABLE and
 * each layer's time is its kernel's device time (end - start).  Without
 * it no events are created and device layers report 0 ms (not measured);
 * callers time the whole run on the host.  Host-fallback layers always
 * report their host time.
 *
 * layer_output(): re-runs the layers up to the one asked for from the
 * retained input and reads that layer's output buffer, which is intact
 * right after the layer ran.  This costs a partial inference per call but
 * nothing on the hot path (no per-layer copies are kept).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl.h>

#include "session/backend.h"
#include "opencl/cl_backend.h"
#include "cl/cl_error.h"
#include "support/clock.h"

/*
 * PoCL (3.1, Debian 12) is not safe with kernels launched from several
 * host threads at once: its process-wide cache of compiled kernels is
 * looked up at launch by more fields than it is released by at
 * completion, so concurrent sessions sometimes abort in
 * pocl_release_dlhandle_cache ("found->ref_count > 0") or crash inside
 * kernel code.  On PoCL, a run (launch to its blocking read) therefore
 * holds one process-wide lock; PoCL already spreads each kernel over
 * every core, so concurrent sessions lose next to nothing.
 * $MNET_CL_SERIALIZE=1 forces the lock on any device, =0 turns it off.
 */
static pthread_mutex_t launch_lock = PTHREAD_MUTEX_INITIALIZER;

static int serialized(const struct mnet_cl_device *dev)
{
	const char *e = getenv("MNET_CL_SERIALIZE");

	if (e && *e)
		return strcmp(e, "0") != 0;
	return strstr(dev->platform_name, "Portable Computing Language") ||
	       strstr(dev->platform_name, "pocl");
}

void mnet_cl_launch_lock_take(const struct mnet_cl_device *dev, int *held)
{
	*held = serialized(dev);
	if (*held)
		pthread_mutex_lock(&launch_lock);
}

void mnet_cl_launch_lock_drop(int held)
{
	if (held)
		pthread_mutex_unlock(&launch_lock);
}

static void launch_lock_take(const struct mnet_cl_state *st, int *held)
{
	mnet_cl_launch_lock_take(&st->dev, held);
}

static void launch_lock_drop(int held)
{
	mnet_cl_launch_lock_drop(held);
}

/*
 * One run at creation on a zeroed input.  Drivers that finish compiling at
 * a kernel's first launch (PoCL, per work-group size) do it here rather
 * than in the caller's first inference, and the cache entries written
 * afterwards include that code.  A kernel that cannot be enqueued (out of
 * resources at launch) moves its layer to the host, like a build failure.
 */
static int warm_up(struct mnet_backend *be, struct mnet_err *err)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_state *st = be->priv;
	int b = st->mp.tensor_buf[m->input], i, ret, bad, tries = 0;
	size_t bytes = st->mp.buf_elems[b] * st->prec->elem_size;
	void *zero;
	cl_int rc;

	/*
	 * Written from a zeroed host array, not clEnqueueFillBuffer():
	 * Oclgrind 21.10's --uninitialized check sees host writes but not a
	 * fill, and reported every work-item of the first layer reading
	 * "uninitialized" input (docs/opencl.md, Oclgrind).  Blocking, so
	 * the array can go at once; this is set-up, not the run path.
	 */
	zero = calloc(1, bytes);
	if (!zero)
		return mnet_err_set(err, -ENOMEM, "%s: out of memory", m->name);
	rc = clEnqueueWriteBuffer(st->q, st->bufs[b], CL_TRUE, 0, bytes, zero,
				  0, NULL, NULL);
	free(zero);
	if (rc)
		return mnet_cl_check(err, rc, "clEnqueueWriteBuffer(input)");
	for (;;) {
		bad = -1;
		ret = mnet_cl_run_layers(be, m->n_layers - 1, NULL, &bad);
		if (!ret)
			break;
		clFinish(st->q);
		if (bad < 0 || ++tries > m->n_layers)
			return mnet_err_set(err, ret, "%s: warm-up run failed",
					    m->name);
		ret = mnet_cl_to_host(be, bad, "kernel could not be enqueued", err);
		if (ret)
			return ret;
	}
	rc = clFinish(st->q);
	if (rc)
		return mnet_cl_check(err, rc, "clFinish(warm-up run)");
	for (i = 0; st->use_cache && i < st->n_progs; i++)
		if (st->prog_built[i])
			mnet_cl_program_store(st->progs[i], &st->dev,
					      st->prog_plan[i]->file,
					      st->prog_plan[i]->opts.s,
					      st->cache_dir);
	return 0;
}

/*
 * Enqueue layers 0..@last; @times NULL when not recording.  On failure
 * *@bad (if given) is the layer that failed.
 */
int mnet_cl_run_layers(struct mnet_backend *be, int last,
		      struct mnet_layer_time *times, int *bad)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_state *st = be->priv;
	int i, ret = 0, prof = times && be->opts.profile;
	cl_int rc;

	for (i = 0; i <= last; i++) {
		const struct mnet_layer *l = &m->layers[i];
		struct mnet_cl_layer_rt *cl = &st->layers[i];

		if (times) {
			times[i].ms = 0;
			times[i].backend = cl->on_host ? "ref" : "opencl";
			times[i].config = cl->on_host ? "" : cl->cfg.name;
		}
		if (cl->absorbed) {
			if (times)	/* its time is in the layer before */
				times[i].config = "fused into previous";
			continue;
		}
		if (cl->on_host) {
			double t0 = mnet_now_ms();

			ret = mnet_cl_host_layer(st, m, l);
			if (ret) {
				if (bad)
					*bad = -1;	/* a transfer failed */
				break;
			}
			if (times)
				times[i].ms = mnet_now_ms() - t0;
			continue;
		}
		if (cl->gemm) {
			ret = mnet_cl_gemm_enqueue(cl->gemm, st->q,
					mnet_cl_tensor_mem(st, l->in),
					mnet_cl_tensor_mem(st, l->out),
					prof ? &cl->gemm_ev[0] : NULL,
					prof ? &cl->gemm_ev[1] : NULL);
			if (ret) {
				if (bad)
					*bad = i;
				break;
			}
			continue;
		}
		if (!cl->kernel)
			continue;	/* reshape: aliases its input */
		/* wg[0] == 0: a tuned "wg=auto", the driver's choice */
		rc = clEnqueueNDRangeKernel(st->q, cl->kernel, cl->plan.dims,
					    NULL, cl->plan.global,
					    cl->cfg.wg[0] ? cl->plan.local : NULL,
					    0, NULL,
					    prof ? &st->events[i] : NULL);
		if (rc) {
			if (bad)
				*bad = i;
			ret = -EIO;	/* the run contract: device failure */
			break;
		}
		if (mnet_backend_perturbs(be, i)) {
			ret = mnet_cl_perturb_tensor(st, m, l->out);
			if (ret)
				break;
		}
	}
	return ret;
}

static void collect_times(struct mnet_cl_state *st, int n,
			  struct mnet_layer_time *times)
{
	cl_ulong t0, t1;
	int i;

	for (i = 0; i < n; i++) {
		cl_event *ge = st->layers[i].gemm_ev;

		if (ge[0] && ge[1] &&
		    !clGetEventProfilingInfo(ge[0], CL_PROFILING_COMMAND_END,
					     sizeof(t0), &t0, NULL) &&
		    !clGetEventProfilingInfo(ge[1], CL_PROFILING_COMMAND_END,
					     sizeof(t1), &t1, NULL))
			times[i].ms = (double)(t1 - t0) * 1e-6;
		if (ge[0])
			clReleaseEvent(ge[0]);
		if (ge[1])
			clReleaseEvent(ge[1]);
		ge[0] = ge[1] = NULL;
		if (!st->events[i])
			continue;
		if (!clGetEventProfilingInfo(st->events[i],
					     CL_PROFILING_COMMAND_START,
					     sizeof(t0), &t0, NULL) &&
		    !clGetEventProfilingInfo(st->events[i],
					     CL_PROFILING_COMMAND_END,
					     sizeof(t1), &t1, NULL))
			times[i].ms = (double)(t1 - t0) * 1e-6;
		clReleaseEvent(st->events[i]);
		st->events[i] = NULL;
	}
}

static int run(struct mnet_backend *be, const float *input, float *output,
	       struct mnet_layer_time *times)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_state *st = be->priv;
	int ret;

	ret = mnet_cl_unmap_left(st, m);
	if (!ret)
		ret = st->map_io ? mnet_cl_map_input(st, m, input) :
			mnet_cl_write_tensor(st, m, m->input, input, CL_FALSE);
	return mnet_cl_run_rest(be, ret, output, times);
}

int mnet_cl_run_rest(struct mnet_backend *be, int ret, float *output,
		     struct mnet_layer_time *times)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_state *st = be->priv;

	if (!ret)
		ret = mnet_cl_run_layers(be, m->n_layers - 1, times, NULL);
	if (!ret)
		ret = st->map_io ? mnet_cl_map_output(st, m, output) :
			mnet_cl_read_tensor(st, m, m->output, output);
	if (ret)
		clFinish(st->q);
	collect_times(st, m->n_layers, times);
	return ret;
}

static int layer_output(struct mnet_backend *be, int layer, float *dst,
			size_t count)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_state *st = be->priv;
	int t = m->layers[layer].out, ret;

	if (count < mnet_shape_elems(m->tensors[t].shape))
		return -EINVAL;
	ret = mnet_cl_unmap_left(st, m);
	if (!ret)
		ret = mnet_cl_unmap_ahead(st, m);
	if (ret)
		goto out;
	/* a fused 1x1 convolution's own output: run it without the ADD */
	if (st->layers[layer].residual >= 0 &&
	    mnet_cl_layer_set_residual(&st->layers[layer], 0))
		return -EIO;
	ret = mnet_cl_run_layers(be, layer, NULL, NULL);
	if (st->layers[layer].residual >= 0 &&
	    mnet_cl_layer_set_residual(&st->layers[layer], 1) && !ret)
		ret = -EIO;
	if (!ret)
		ret = mnet_cl_read_tensor(st, m, t, dst);
out:
	if (ret)
		clFinish(st->q);
	return ret;
}

int mnet_cl_warm_up(struct mnet_backend *be, struct mnet_err *err)
{
	int held, ret;

	launch_lock_take(be->priv, &held);
	ret = warm_up(be, err);
	launch_lock_drop(held);
	return ret;
}

int mnet_cl_run(struct mnet_backend *be, const float *input, float *output,
		struct mnet_layer_time *times)
{
	int held, ret;

	launch_lock_take(be->priv, &held);
	ret = run(be, input, output, times);
	launch_lock_drop(held);
	return ret;
}

int mnet_cl_output_read(struct mnet_backend *be, int t, float *dst,
			size_t count)
{
	const struct mnet_model *m = be->model;
	int held, ret;

	if (count < mnet_shape_elems(m->tensors[t].shape))
		return -EINVAL;
	launch_lock_take(be->priv, &held);
	ret = mnet_cl_read_tensor(be->priv, m, t, dst);
	launch_lock_drop(held);
	return ret;
}

int mnet_cl_layer_output(struct mnet_backend *be, int layer, float *dst,
			 size_t count)
{
	int held, ret;

	launch_lock_take(be->priv, &held);
	ret = layer_output(be, layer, dst, count);
	launch_lock_drop(held);
	return ret;
}
