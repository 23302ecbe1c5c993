// SPDX-License-Identifier: Apache-2.0
/*
 * backend_opencl.c - run a model on an OpenCL device
 *
 * DOC: OpenCL backend
 *
 * Session creation (init) does everything that allocates: it picks the
 * device (cl_device.c), plans the activation buffers by liveness
 * (mem_plan.c: two or three buffers for MobileNet, plus the input, which
 * is kept so a layer's output can be recomputed for validation), and for
 * each layer (cl_setup.c) chooses its kernel configuration (cl_layer.c),
 * builds its specialised program through the disk cache (cl_program.c),
 * repacks and uploads its weights once, and sets every kernel argument.
 * It ends with one warm-up run (mnet_cl_warm_up()).  Buffers never move,
 * so a run only enqueues: one input upload, one kernel per layer, one
 * blocking download of the output, which is the single synchronisation
 * point.
 *
 * Mapped input/output: on a device that shares memory with the host
 * (CL_DEVICE_HOST_UNIFIED_MEMORY: CPUs, integrated GPUs) the buffers that
 * hold the model input and output are created with CL_MEM_ALLOC_HOST_PTR
 * and a run maps them instead of copying.  The input is written (or
 * converted to half, for fp16 storage) straight into its mapped buffer,
 * with no staging copy, and unmapped before the first kernel.  After the
 * last kernel the run enqueues a non-blocking map of the input for the
 * next run, then maps the output for reading, blocking: the run's one
 * wait, which completes both maps; it converts the output into the
 * caller's array and unmaps it.  Only a session's first run, or one after
 * a failure or layer_output(), maps the input itself (blocking, behind
 * nothing but the previous output unmap).  The in-order queue puts each
 * unmap before the next command, so no kernel sees a mapped buffer,
 * including the output buffer's other tensors (the liveness plan shares
 * it).  A failed map or unmap returns -EIO; an unmap that failed leaves
 * the buffer mapped and is retried before the next run, layer_output()
 * or fini, which also unmap the input mapped ahead.  $MNET_CL_MAP=0 keeps
 * the copies, =1 maps on any device; the session's device string ends in
 * "mapped I/O" or "copied I/O".  Host-fallback layers and layer_output()
 * keep reading and writing (allowed on any unmapped buffer; not the hot
 * path).
 *
 * Precision (cl_precision.c): fp32, fp16-storage or fp16 (only with
 * cl_khr_fp16, else -EOPNOTSUPP); auto is fp32 on CPU devices and
 * fp16-storage on GPUs and accelerators.  int8 is a mode of its own
 * (q8/cl_q8.c: integer kernels, its own state), which every op below
 * forwards to, as backend_cpu.c does for its int8 mode.
 *
 * Runs, warm-up, timing and layer_output() are in cl_run.c; the
 * per-layer host fallback in cl_host.c.
 *
 * Tuning: each layer's configuration comes from the tuning database
 * (tune_db.c, keyed as in cl_tune.c; opts.tuning_db, $MNET_TUNE_DB or the
 * default path) when it holds an entry for this device, layer, kernel
 * source and precision, else from the device-derived defaults of
 * cl_layer.c; times[i].config says "tuned" or "default".
 *
 * Residual fusion (MobileNetV2): a linear 1x1 projection whose only reader
 * is the residual ADD after it absorbs that ADD (mnet_residual_fusable()):
 * its kernel is built with -DRESIDUAL and adds the residual tensor before
 * the store, writing straight into the ADD's output buffer, and the ADD
 * launches nothing (its time entry says "fused into previous").  That
 * saves one read of two tensors and one write per block.  The memory plan
 * places the projection's own output in the same buffer, so a fallback to
 * the host (the pair then runs unfused there) and layer_output() (the
 * kernel's add_res argument cleared) still find it.  Off for layers the
 * debug hook perturbs, and with $MNET_FUSE_RESIDUAL=0.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl.h>

#include "session/backend.h"
#include "opencl/cl_backend.h"
#include "opencl/cl_gemm.h"
#include "cl/cl_cache.h"
#include "cl/cl_error.h"
#include "tune/cl_tune.h"
#include "support/clock.h"
#include "opencl/frame/cl_frame.h"
#include "opencl/q8/cl_q8.h"

/* The mode of each precision that is not this file's float path. */
static const struct mnet_backend_ops *const cl_modes[] = {
	[MNET_PRECISION_INT8] = &mnet_opencl_int8_ops,
};

static const struct mnet_backend_ops *cl_mode(const struct mnet_backend *be)
{
	unsigned int p = (unsigned int)be->opts.precision;

	return p < sizeof(cl_modes) / sizeof(cl_modes[0]) ? cl_modes[p] : NULL;
}

static int opencl_probe(const struct mnet_session_opts *opts,
			struct mnet_err *err)
{
	struct mnet_cl_device *devs;
	int n, ret;

	ret = mnet_cl_devices_list(&devs, &n, err);
	if (ret)
		return ret;
	free(devs);
	return 0;
}

static void opencl_fini(struct mnet_backend *be)
{
	struct mnet_cl_state *st = be->priv;
	int i, gemm = 0;

	if (cl_mode(be)) {
		cl_mode(be)->fini(be);
		return;
	}
	if (!st)
		return;
	if (st->q) {
		mnet_cl_unmap_ahead(st, be->model);
		mnet_cl_unmap_left(st, be->model);
		clFinish(st->q);
	}
	mnet_cl_frame_fini(st);
	for (i = 0; st->layers && i < st->n_layers; i++) {
		if (st->layers[i].gemm)
			gemm = 1;
		mnet_cl_layer_fini(&st->layers[i]);
	}
	/* CLBlast's programs of this context, before the context goes */
	if (gemm)
		mnet_cl_gemm_release_cache();
	for (i = 0; i < st->n_progs; i++) {
		clReleaseProgram(st->progs[i]);
		free(st->prog_keys[i]);
	}
	for (i = 0; st->bufs && i < st->mp.n_bufs; i++)
		if (st->bufs[i])
			clReleaseMemObject(st->bufs[i]);
	if (st->q)
		clReleaseCommandQueue(st->q);
	if (st->ctx)
		clReleaseContext(st->ctx);
	for (i = 0; i < 3; i++)
		free(st->host[i]);
	free(st->stage);
	free(st->events);
	free(st->progs);
	free(st->prog_keys);
	free(st->prog_plan);
	free(st->prog_built);
	free(st->absorbs);
	free(st->layers);
	free(st->bufs);
	mnet_tune_db_fini(&st->tune);
	mnet_mem_plan_fini(&st->mp);
	free(st);
	be->priv = NULL;
}

static int choose_precision(struct mnet_cl_state *st, enum mnet_precision p,
			    struct mnet_err *err)
{
	if (mnet_cl_precision_resolve(&st->dev, p, &st->prec))
		return mnet_err_set(err, -EOPNOTSUPP,
				    "OpenCL device %s has no cl_khr_fp16: %s arithmetic unavailable (fp16-storage works)",
				    st->dev.name, st->prec->name);
	return 0;
}

static int alloc_state(struct mnet_cl_state *st, const struct mnet_model *m,
		       struct mnet_err *err)
{
	size_t maxe = mnet_cl_max_elems(m);

	st->n_layers = m->n_layers;
	st->layers = calloc(m->n_layers, sizeof(*st->layers));
	st->progs = calloc(m->n_layers, sizeof(*st->progs));
	st->prog_keys = calloc(m->n_layers, sizeof(*st->prog_keys));
	st->prog_plan = calloc(m->n_layers, sizeof(*st->prog_plan));
	st->prog_built = calloc(m->n_layers, sizeof(*st->prog_built));
	st->events = calloc(m->n_layers, sizeof(*st->events));
	st->bufs = calloc(st->mp.n_bufs, sizeof(*st->bufs));
	if (st->prec->to_device)
		st->stage = malloc(maxe * st->prec->elem_size);
	if (!st->layers || !st->progs || !st->prog_keys || !st->prog_plan ||
	    !st->prog_built || !st->events || !st->bufs ||
	    (st->prec->to_device && !st->stage))
		return mnet_err_set(err, -ENOMEM, "%s: out of memory", m->name);
	return 0;
}


static int create_context(struct mnet_cl_state *st, int profile,
			  struct mnet_err *err)
{
	cl_context_properties props[] = {
		CL_CONTEXT_PLATFORM, (cl_context_properties)st->dev.platform, 0,
	};
	cl_int rc;

	st->ctx = clCreateContext(props, 1, &st->dev.id, NULL, NULL, &rc);
	if (rc)
		return mnet_cl_check(err, rc, "clCreateContext");
	st->q = clCreateCommandQueue(st->ctx, st->dev.id,
				     profile ? CL_QUEUE_PROFILING_ENABLE : 0,
				     &rc);
	return mnet_cl_check(err, rc, "clCreateCommandQueue");
}

static int create_buffers(struct mnet_cl_state *st, const struct mnet_model *m,
			  struct mnet_err *err)
{
	int in = st->mp.tensor_buf[m->input];
	int out = st->mp.tensor_buf[m->output];
	cl_mem_flags flags;
	char msg[96];
	cl_int rc;
	int i;

	st->map_io = mnet_cl_want_map_io(st, err);
	for (i = 0; i < st->mp.n_bufs; i++) {
		flags = CL_MEM_READ_WRITE;
		if (st->map_io && (i == in || i == out))
			flags |= CL_MEM_ALLOC_HOST_PTR;
		st->bufs[i] = clCreateBuffer(st->ctx, flags,
					     st->mp.buf_elems[i] *
					     st->prec->elem_size,
					     NULL, &rc);
		snprintf(msg, sizeof(msg), "clCreateBuffer(activations %d%s, %zu bytes)",
			 i, flags & CL_MEM_ALLOC_HOST_PTR ? ", host-mapped" : "",
			 st->mp.buf_elems[i] * st->prec->elem_size);
		if (rc)
			return mnet_cl_check(err, rc, msg);
	}
	return 0;
}

/*
 * Which 1x1 convolutions absorb the residual ADD after them
 * (mnet_backend_residual(), MobileNetV2's linear projections): decided
 * before the memory plan, which depends on it; the per-layer view goes
 * into st->layers once it exists.
 */
static int plan_residuals(struct mnet_backend *be, struct mnet_err *err)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_state *st = be->priv;
	int i;

	st->absorbs = calloc(m->n_layers, 1);
	if (!st->absorbs)
		return mnet_err_set(err, -ENOMEM, "%s: out of memory", m->name);
	for (i = 0; i < m->n_layers; i++)
		st->absorbs[i] = mnet_backend_residual(m, i,
						       be->perturb_layer) >= 0;
	return 0;
}

static void mark_residuals(struct mnet_cl_state *st, const struct mnet_model *m)
{
	int i;

	for (i = 0; i < m->n_layers; i++) {
		st->layers[i].residual = st->absorbs[i] ?
					 mnet_residual_fusable(m, i) : -1;
		if (st->absorbs[i])
			st->layers[i + 1].absorbed = 1;
	}
}

/*
 * The tuning database (tune_db.c) for this device; a missing file means
 * defaults everywhere, and skipped lines leave a note, never an error.
 */
static int load_tuning(struct mnet_cl_state *st, const char *override,
		       struct mnet_err *err)
{
	struct mnet_tune_db_report rep = { 0 };
	char path[4096];
	int ret;

	mnet_tune_db_init(&st->tune);
	mnet_cl_tune_device_key(&st->dev, st->tune_dev, sizeof(st->tune_dev));
	if (!mnet_tune_db_path(override, path, sizeof(path)))
		return 0;
	ret = mnet_tune_db_load(&st->tune, path, &rep);
	if (ret == -ENOMEM)
		return mnet_err_set(err, ret, "%s: out of memory", path);
	if (err && !err->msg[0] && ret)
		snprintf(err->msg, sizeof(err->msg),
			 "note: tuning database %.300s unreadable: defaults used",
			 path);
	else if (err && !err->msg[0] && rep.skipped)
		snprintf(err->msg, sizeof(err->msg), "note: tuning database %.400s",
			 rep.msg);
	return 0;
}

/*
 * A device on which no layer could be set up or launched is not worth a
 * session: every layer would run on the reference kernels with transfers
 * around each, slower than the CPU backend, which "auto" then picks.
 */
static int check_some_on_device(struct mnet_backend *be, struct mnet_err *err)
{
	struct mnet_cl_state *st = be->priv;
	int i, host = 0;

	for (i = 0; i < st->n_layers; i++) {
		if (st->layers[i].kernel && !st->layers[i].on_host)
			return 0;
		host += st->layers[i].on_host;
	}
	if (!host)
		return 0;	/* nothing needed a kernel (reshapes only) */
	return mnet_err_set(err, -EIO,
			    "%s: no layer could run on OpenCL device %s (each fell back to the host)",
			    be->model->name, st->dev.name);
}

static int opencl_init(struct mnet_backend *be, struct mnet_err *err)
{
	const struct mnet_model *m = be->model;
	double t0 = mnet_now_ms();
	struct mnet_err lerr;
	struct mnet_cl_state *st;
	int i, ret;

	if (cl_mode(be))
		return cl_mode(be)->init(be, err);
	st = calloc(1, sizeof(*st));
	if (!st)
		return mnet_err_set(err, -ENOMEM, "out of memory");
	be->priv = st;
	ret = mnet_cl_device_select(be->opts.device, &st->dev, err);
	if (ret)
		goto out_fini;
	ret = choose_precision(st, be->opts.precision, err);
	if (ret)
		goto out_fini;
	st->use_cache = mnet_cl_cache_dir(st->cache_dir, sizeof(st->cache_dir));
	ret = load_tuning(st, be->opts.tuning_db, err);
	if (ret)
		goto out_fini;
	ret = plan_residuals(be, err);
	if (ret)
		goto out_fini;
	ret = mnet_mem_plan_init(m, st->absorbs, 1, &st->mp);
	if (ret) {
		mnet_err_set(err, ret, "%s: out of memory", m->name);
		goto out_fini;
	}
	ret = alloc_state(st, m, err);
	if (ret)
		goto out_fini;
	mark_residuals(st, m);
	ret = create_context(st, be->opts.profile, err);
	if (ret)
		goto out_fini;
	ret = create_buffers(st, m, err);
	if (ret)
		goto out_fini;
	st->startup.device_ms = mnet_now_ms() - t0;
	for (i = 0; i < m->n_layers; i++) {
		struct mnet_cl_layer_rt *cl = &st->layers[i];
		struct mnet_layer view = m->layers[i];

		if (cl->absorbed)
			continue;
		if (cl->residual >= 0)
			view.in2 = cl->residual;
		lerr.code = 0;
		lerr.msg[0] = '\0';
		if (!mnet_cl_layer_init(st, &view, i, cl, &lerr))
			continue;
		/* a note, not an error: the session works */
		ret = mnet_cl_to_host(be, i, lerr.msg, err);
		if (ret)
			goto out_fini;
	}
	/* the debug perturbation goes through the host buffers too */
	if (be->perturb_layer) {
		ret = mnet_cl_host_buffers(st, m, err);
		if (ret)
			goto out_fini;
	}
	t0 = mnet_now_ms();
	ret = mnet_cl_warm_up(be, err);
	if (ret)
		goto out_fini;
	st->startup.warmup_ms = mnet_now_ms() - t0;
	st->startup.build_ms = st->stats.ms;
	st->startup.built = st->stats.built;
	st->startup.cached = st->stats.cached;
	st->startup.programs = st->n_progs;
	for (i = 0; i < m->n_layers; i++) {
		st->startup.host_layers += st->layers[i].on_host;
		/* the host kernels read the model's weights at every run */
		if (st->layers[i].on_host &&
		    (m->layers[i].n_weights || m->layers[i].bias))
			be->pins_weights = 1;
	}
	ret = check_some_on_device(be, err);
	if (ret)
		goto out_fini;
	snprintf(be->name, sizeof(be->name), "opencl%s", st->prec->suffix);
	snprintf(be->device, sizeof(be->device), "%.120s (%s, %.60s, driver %.40s, %s I/O)",
		 st->dev.name, mnet_cl_device_type_name(st->dev.type),
		 st->dev.platform_name, st->dev.driver,
		 st->map_io ? "mapped" : "copied");
	return 0;

out_fini:
	opencl_fini(be);
	return ret;
}

/*
 * An upper bound on what opencl_init() allocates, device and host memory
 * together (on a CPU device they are the same memory): activation buffers
 * of the liveness plan, weights and biases with output channels padded to
 * 16 (cl_layer.c pads to its vector width and channels per work-item), at
 * 4 bytes an element unless fp16 storage was asked for explicitly, and the
 * host staging and fallback buffers.  Driver internals are not counted.
 */
static uint64_t opencl_footprint(const struct mnet_backend *be)
{
	const struct mnet_model *m = be->model;
	size_t maxe = mnet_cl_max_elems(m);
	struct mnet_mem_plan mp;
	const struct mnet_cl_precision *prec;
	uint64_t bytes, esize = sizeof(float);
	int i;

	if (cl_mode(be))
		return cl_mode(be)->footprint(be);
	prec = mnet_cl_precision_get(be->opts.precision);
	if (prec)
		esize = prec->elem_size;
	if (mnet_mem_plan_init(m, NULL, 1, &mp))
		return 0;	/* init() reports it */
	bytes = sizeof(struct mnet_cl_state) + maxe * sizeof(uint16_t) +
		3 * (uint64_t)maxe * sizeof(float) +
		(uint64_t)m->n_layers * sizeof(struct mnet_cl_layer_rt);
	for (i = 0; i < mp.n_bufs; i++)
		bytes += mp.buf_elems[i] * esize;
	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];
		uint64_t c = (uint64_t)l->out_shape.c, cpad = (c + 15) / 16 * 16;

		if (!l->n_weights)
			continue;
		bytes += ((uint64_t)l->n_weights / c * cpad + cpad) * esize;
	}
	mnet_mem_plan_fini(&mp);
	return bytes;
}

static void opencl_startup(const struct mnet_backend *be,
			   struct mnet_startup *out)
{
	const struct mnet_cl_state *st = be->priv;

	if (cl_mode(be)) {
		cl_mode(be)->startup(be, out);
		return;
	}
	out->device_ms = st->startup.device_ms;
	out->build_ms = st->startup.build_ms;
	out->upload_ms = st->startup.upload_ms;
	out->first_run_ms = st->startup.warmup_ms;
	out->programs_built = st->startup.built;
	out->programs_cached = st->startup.cached;
	out->host_layers = st->startup.host_layers;
}

static int opencl_run(struct mnet_backend *be, const float *input,
		      float *output, struct mnet_layer_time *times)
{
	if (cl_mode(be))
		return cl_mode(be)->run(be, input, output, times);
	return mnet_cl_run(be, input, output, times);
}

static int opencl_layer_output(struct mnet_backend *be, int layer, float *dst,
			       size_t count)
{
	if (cl_mode(be))
		return cl_mode(be)->layer_output(be, layer, dst, count);
	return mnet_cl_layer_output(be, layer, dst, count);
}

static int opencl_output_read(struct mnet_backend *be, int t, float *dst,
			      size_t count)
{
	if (cl_mode(be))
		return -EOPNOTSUPP;	/* its layer_output() */
	return mnet_cl_output_read(be, t, dst, count);
}

/* int8 converts frames on the host (the session's fallback) */
static int opencl_run_frame(struct mnet_backend *be,
			    const struct mnet_fconv *fc, float *output,
			    struct mnet_layer_time *times)
{
	if (cl_mode(be))
		return -EOPNOTSUPP;
	return mnet_cl_run_frame(be, fc, output, times);
}

/* The file's own 8-bit input: only a mode in integer arithmetic runs it. */
static int opencl_run_quantized(struct mnet_backend *be, const uint8_t *input,
				float *output, struct mnet_layer_time *times)
{
	if (!cl_mode(be) || !cl_mode(be)->run_quantized)
		return -EOPNOTSUPP;
	return cl_mode(be)->run_quantized(be, input, output, times);
}

const struct mnet_backend_ops mnet_backend_opencl_ops = {
	.name = "opencl",
	.kind = MNET_BACKEND_OPENCL,
	.probe = opencl_probe,
	.init = opencl_init,
	.fini = opencl_fini,
	.run = opencl_run,
	.layer_output = opencl_layer_output,
	.output_read = opencl_output_read,
	.footprint = opencl_footprint,
	.startup = opencl_startup,
	.run_frame = opencl_run_frame,
	.run_quantized = opencl_run_quantized,
};

int mnet_backend_opencl_startup(const struct mnet_backend *be,
				struct mnet_cl_startup *out)
{
	const struct mnet_cl_state *st = be->priv;

	if (be->ops != &mnet_backend_opencl_ops || !st || cl_mode(be))
		return -EINVAL;
	*out = st->startup;
	return 0;
}

