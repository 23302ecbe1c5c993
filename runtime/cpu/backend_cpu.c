// SPDX-License-Identifier: Apache-2.0
/*
 * backend_cpu.c - the fast host CPU backend: SIMD kernels, threads, packed
 * weights, a reused activation arena
 *
 * DOC: CPU backend
 *
 * init() picks a kernel table (host/dispatch/cpu_kernels.h: AVX-512, AVX2+FMA, NEON
 * or portable C; $MNET_CPU forces one), packs every layer's weights once
 * into the layout its kernel wants (with opts.release_weights freeing the
 * model's copy of each layer right after, so the two never coexist),
 * plans the activation memory, allocates per-thread scratch and starts the
 * session's thread pool.  run() only computes and never reads the model's
 * weights or biases, which is why a cpu session does not pin them.  What
 * each op does is one entry of the op table in cpu_ops.c (packing in
 * cpu_pack.c, running in cpu_exec.c); the set-up plans are in cpu_plan.c,
 * the state they share in cpu_state.h.
 *
 * Operators map to kernels as follows: 1x1 convolutions and the fully
 * connected layer are GEMMs over packed weight panels (the pixels of an
 * NHWC tensor are already the rows of A); other full convolutions (the
 * first 3x3/2 layer) are the same GEMM over each pixel's window, read in
 * place by kernel sets that have a direct conv (AVX-512), else im2col'd a
 * cache-sized block of pixels at a time into per-thread scratch; depthwise
 * convolutions have their own kernel; pooling, softmax, add and reshape
 * are the reference loops (a few microseconds each).  Each op's entry in
 * the table of cpu_ops.c says which.
 *
 * Memory plan: a tensor lives from the layer that writes it to its last
 * reader.  Walking the layers in order (runtime/session/mem_plan.c, under
 * the CPU's policy), each output goes into the first
 * arena buffer whose tensor is dead, else into a new buffer; buffers are
 * sized for the largest tensor they ever hold.  A chain network (V1) needs
 * two buffers (ping-pong); residual blocks (V2), or a depthwise layer fused
 * with its 1x1 conv (whose input must live until the pair is done), keep a
 * third alive.  The input is copied into its own buffer at each run (by
 * all threads): that copy is what layer_output() recomputes from.
 *
 * Residuals: a linear 1x1 conv whose only reader is the ADD after it
 * (MobileNetV2's projection) absorbs that ADD: its GEMM adds the skip
 * tensor in the register epilogue and writes the ADD's output buffer, and
 * the ADD does nothing ("fused into previous").  Same additions in the
 * same order as apart, so outputs are bit-identical to the unfused run
 * ($MNET_FUSE_RESIDUAL=0).
 *
 * layer_output(): intermediates are overwritten as the arena is reused, so
 * the requested layer is recomputed from the saved input (layers 0 up to
 * it, unfused, same kernels, hence the same values as the run).  That
 * keeps the hot path free of per-layer copies at the price of a slower
 * validation call, which is the right trade for a validation-only API.
 *
 * Threads: each layer is one fork-join job on the session's pool.  GEMMs
 * split over row tiles or over weight panels (whichever keeps more data
 * private to a core), depthwise over output rows; no split ever divides a
 * reduction, so outputs are identical for any thread count.  With two or
 * more threads some neighbours run as one job without a barrier between
 * them: a depthwise layer and the 1x1 conv reading it, band of rows by band
 * (task_dw_pw()), and a panel-split 1x1 conv and the depthwise layer
 * reading it, channel range by range (task_pw_dw()).  A pair's time is
 * reported on its first layer, 0 on the second, with the config string
 * saying so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu/cpu_exec.h"
#include "cpu/cpu_ops.h"
#include "cpu/cpu_plan.h"
#include "cpu/cpu_q.h"
#include "cpu/cpu_state.h"
#include "dispatch/cpu_kernels.h"
#include "support/clock.h"
#include "support/debug.h"
#include "threads/threadpool.h"

/* Debug only (runtime/support/debug.c): corrupt layer @i's output if asked to. */
/* The mode of each precision that is not this file's float path. */
static const struct mnet_backend_ops *const cpu_modes[] = {
	[MNET_PRECISION_INT8] = &mnet_cpu_int8_ops,
};

static const struct mnet_backend_ops *cpu_mode(const struct mnet_backend *be)
{
	unsigned int p = (unsigned int)be->opts.precision;

	return p < sizeof(cpu_modes) / sizeof(cpu_modes[0]) ? cpu_modes[p] :
							      NULL;
}

static void perturb(const struct mnet_backend *be, struct mnet_cpu_state *st,
		    int i)
{
	const struct mnet_layer *l = &be->model->layers[i];

	if (mnet_backend_perturbs(be, i))
		mnet_debug_perturb(st->bufs[st->tensor_buf[l->out]],
				   mnet_shape_elems(l->out_shape));
}

static int cpu_run(struct mnet_backend *be, const float *input, float *output,
		   struct mnet_layer_time *times)
{
	const struct mnet_model *m = be->model;
	struct mnet_cpu_state *st = be->priv;
	int i;

	if (cpu_mode(be))
		return cpu_mode(be)->run(be, input, output, times);
	mnet_cpu_copy_input(st, input,
			    mnet_shape_elems(m->tensors[m->input].shape));
	for (i = 0; i < st->n_layers; i++) {
		int fused = st->layers[i].fuse_next;
		double t0 = mnet_now_ms();

		if (st->layers[i].absorbed) {
			/* the 1x1 conv before added the residual */
			times[i].ms = 0.0;
			times[i].backend = "cpu";
			times[i].config = "fused into previous";
			continue;
		}
		mnet_cpu_run_layer(st, &st->layers[i],
				   (fused ? MNET_CPU_RUN_PAIR : 0) |
				   MNET_CPU_RUN_RESIDUAL);
		if (st->perturb_layer)
			perturb(be, st, i + fused);
		times[i].ms = mnet_now_ms() - t0;
		times[i].backend = "cpu";
		times[i].config = fused ? "fused with next" : "";
		if (fused) {
			/* the pair's time is on its first layer */
			i++;
			times[i].ms = 0.0;
			times[i].backend = "cpu";
			times[i].config = "fused into previous";
		}
	}
	memcpy(output, mnet_cpu_tensor(st, m->output),
	       mnet_shape_elems(m->tensors[m->output].shape) * sizeof(float));
	return 0;
}

static int cpu_layer_output(struct mnet_backend *be, int layer, float *dst,
			    size_t count)
{
	const struct mnet_model *m = be->model;
	struct mnet_cpu_state *st = be->priv;
	int t = m->layers[layer].out, i;
	size_t n = mnet_shape_elems(m->tensors[t].shape);

	if (cpu_mode(be))
		return cpu_mode(be)->layer_output(be, layer, dst, count);

	if (count < n)
		return -EINVAL;
	/*
	 * The arena was reused: recompute up to @layer from the saved input,
	 * one layer at a time (a fused 1x1 conv writes its own output, and the
	 * ADD it absorbs in a run then runs, in place).
	 */
	for (i = 0; i <= layer; i++) {
		mnet_cpu_run_layer(st, &st->layers[i], 0);
		if (st->perturb_layer)
			perturb(be, st, i);
	}
	memcpy(dst, mnet_cpu_tensor(st, t), n * sizeof(float));
	return 0;
}

/* A device output past the first: the plan keeps it to the end of a run. */
static int cpu_output_read(struct mnet_backend *be, int t, float *dst,
			   size_t count)
{
	struct mnet_cpu_state *st = be->priv;
	size_t n = mnet_shape_elems(be->model->tensors[t].shape);

	if (cpu_mode(be))
		return -EOPNOTSUPP;	/* its layer_output() copies */
	if (count < n)
		return -EINVAL;
	memcpy(dst, mnet_cpu_tensor(st, t), n * sizeof(float));
	return 0;
}

/* ---- init / fini --------------------------------------------------------- */

static void cpu_fini(struct mnet_backend *be)
{
	struct mnet_cpu_state *st = be->priv;
	int i;

	if (cpu_mode(be)) {
		cpu_mode(be)->fini(be);
		return;
	}
	if (!st)
		return;
	mnet_threadpool_fini(st->tp);
	if (st->scratch)
		for (i = 0; i < st->nthreads; i++)
			free(st->scratch[i]);
	free(st->scratch);
	if (st->layers)
		for (i = 0; i < st->n_layers; i++) {
			free(st->layers[i].w);
			free(st->layers[i].bias);
		}
	free(st->layers);
	if (st->bufs)
		for (i = 0; i < st->n_bufs; i++)
			free(st->bufs[i]);
	free(st->bufs);
	free(st->tensor_buf);
	free(st->input);
	free(st);
	be->priv = NULL;
}

static int cpu_probe(const struct mnet_session_opts *opts,
		     struct mnet_err *err)
{
	return 0;
}

static int pick_threads(const struct mnet_session_opts *opts)
{
	long n = opts->threads;

	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > CPU_MAX_THREADS ? CPU_MAX_THREADS : (int)n;
}

static int cpu_init(struct mnet_backend *be, struct mnet_err *err)
{
	const struct mnet_model *m = be->model;
	const char *want = getenv("MNET_CPU");
	struct mnet_cpu_state *st;
	size_t scr = 0;
	double t0;
	int i, ret;

	/*
	 * auto on a quantized file: the file's own integer arithmetic, as
	 * TFLite runs it (byte-identical to TFLite's reference kernels, and
	 * faster than fp32 here); fp32 when that mode cannot start.
	 */
	if (be->opts.precision == MNET_PRECISION_AUTO &&
	    mnet_model_is_quantized(m, NULL)) {
		be->opts.precision = MNET_PRECISION_INT8;
		if (!cpu_mode(be)->init(be, err))
			return 0;
		be->opts.precision = MNET_PRECISION_AUTO;
		if (err) {
			err->code = 0;
			err->msg[0] = '\0';
		}
	}
	if (cpu_mode(be))
		return cpu_mode(be)->init(be, err);
	st = calloc(1, sizeof(*st));
	if (!st)
		return mnet_err_set(err, -ENOMEM, "cpu: out of memory");
	be->priv = st;
	st->kern = mnet_cpu_kernels_get(want);
	if (!st->kern) {
		ret = mnet_err_set(err, -ENODEV,
				   "cpu: MNET_CPU=%s: no such kernel set in this build, or this CPU cannot run it (try auto, scalar%s)",
				   want,
#if defined(__x86_64__)
				   ", avx2, avx512"
#elif defined(__aarch64__) || defined(__arm__)
				   ", neon"
#else
				   ""
#endif
				   );
		goto out_fini;
	}
	st->nthreads = pick_threads(&be->opts);
	st->n_layers = m->n_layers;
	t0 = mnet_now_ms();
	st->layers = calloc((size_t)m->n_layers, sizeof(*st->layers));
	if (!st->layers)
		goto out_nomem;
	/*
	 * Every op checked before any layer is packed: with release_weights
	 * a refusal after some weights were dropped would leave the next
	 * backend (auto's fallback) nothing to read.
	 */
	for (i = 0; i < m->n_layers; i++)
		if (!mnet_cpu_op_get(m->layers[i].op)) {
			ret = mnet_err_set(err, -EOPNOTSUPP,
					   "cpu: %s: layer %d (%s): op %s not supported",
					   m->name, i, m->layers[i].name,
					   mnet_op_name(m->layers[i].op));
			goto out_fini;
		}
	for (i = 0; i < m->n_layers; i++) {
		struct mnet_cpu_layer *cl = &st->layers[i];
		const struct mnet_cpu_op *op = mnet_cpu_op_get(m->layers[i].op);

		cl->l = &m->layers[i];
		ret = mnet_cpu_pack_layer(st, cl);
		if (ret == -EOPNOTSUPP) {
			mnet_err_set(err, ret, "cpu: %s: layer %d (%s): op %s not supported",
				     m->name, i, cl->l->name,
				     mnet_op_name(cl->l->op));
			goto out_fini;
		}
		if (ret)
			goto out_nomem;
		/* the packed copy replaces the model's (model_weights.c) */
		if (be->opts.release_weights)
			mnet_model_layer_drop_weights(m, i);
		if (op->scratch && op->scratch(st->kern, cl->l) > scr)
			scr = op->scratch(st->kern, cl->l);
	}
	st->pack_ms = mnet_now_ms() - t0;
	st->perturb_layer = be->perturb_layer;
	mnet_cpu_plan_fusion(st, m);
	if (mnet_cpu_plan_memory(st, m))
		goto out_nomem;
	st->scratch = calloc((size_t)st->nthreads, sizeof(*st->scratch));
	if (!st->scratch)
		goto out_nomem;
	for (i = 0; scr && i < st->nthreads; i++) {
		st->scratch[i] = mnet_cpu_alloc(scr);
		if (!st->scratch[i])
			goto out_nomem;
	}
	ret = mnet_threadpool_init(st->nthreads, &st->tp);
	if (ret) {
		mnet_err_set(err, ret, "cpu: cannot start %d threads",
			     st->nthreads);
		goto out_fini;
	}
	snprintf(be->name, sizeof(be->name), "cpu-%s", st->kern->name);
	snprintf(be->device, sizeof(be->device),
		 "host CPU, %s kernels, %d thread%s", st->kern->name,
		 st->nthreads, st->nthreads > 1 ? "s" : "");
	return 0;

out_nomem:
	ret = mnet_err_set(err, -ENOMEM, "cpu: %s: out of memory packing weights",
			   m->name);
out_fini:
	cpu_fini(be);
	return ret;
}

/*
 * What cpu_init() allocates, from the functions it allocates with: each
 * op's packed weights and per-thread scratch (the op table), the
 * activation arena (an upper bound when layers may fuse), the input copy.
 */
static uint64_t cpu_footprint(const struct mnet_backend *be)
{
	const struct mnet_model *m = be->model;
	const struct mnet_cpu_kernels *kern;
	uint64_t bytes, scr = 0, plan;

	if (cpu_mode(be))
		return cpu_mode(be)->footprint(be);
	int i, nthreads;

	kern = mnet_cpu_kernels_get(getenv("MNET_CPU"));
	nthreads = pick_threads(&be->opts);
	plan = mnet_cpu_plan_bytes(m, nthreads);
	if (!kern || !plan)
		return 0;	/* init() reports it */
	bytes = sizeof(struct mnet_cpu_state) + plan +
		(uint64_t)m->n_layers * sizeof(struct mnet_cpu_layer) +
		mnet_cpu_aligned_bytes(mnet_shape_elems(
			m->tensors[m->input].shape));
	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];
		const struct mnet_cpu_op *op = mnet_cpu_op_get(l->op);

		if (!op)
			continue;	/* init() reports it */
		if (op->footprint)
			bytes += op->footprint(kern, l);
		if (op->scratch && op->scratch(kern, l) > scr)
			scr = op->scratch(kern, l);
	}
	if (scr)
		bytes += (uint64_t)nthreads * mnet_cpu_aligned_bytes(scr);
	bytes += (uint64_t)nthreads * sizeof(float *);
	return bytes;
}

static void cpu_startup(const struct mnet_backend *be,
			struct mnet_startup *out)
{
	const struct mnet_cpu_state *st = be->priv;

	if (cpu_mode(be))
		return;		/* the int8 mode measures no packing yet */
	out->upload_ms = st->pack_ms;
}

/* The session converts camera frames over the same threads (frame/). */
static struct mnet_threadpool *cpu_host_pool(struct mnet_backend *be)
{
	struct mnet_cpu_state *st = be->priv;

	if (cpu_mode(be))	/* its state is not ours */
		return cpu_mode(be)->host_pool ? cpu_mode(be)->host_pool(be) :
						 NULL;
	return st->tp;
}

/* The file's own 8-bit input: only a mode in integer arithmetic runs it. */
static int cpu_run_quantized(struct mnet_backend *be, const uint8_t *input,
			     float *output, struct mnet_layer_time *times)
{
	if (!cpu_mode(be) || !cpu_mode(be)->run_quantized)
		return -EOPNOTSUPP;
	return cpu_mode(be)->run_quantized(be, input, output, times);
}

const struct mnet_backend_ops mnet_backend_cpu_ops = {
	.name = "cpu",
	.kind = MNET_BACKEND_CPU,
	.probe = cpu_probe,
	.init = cpu_init,
	.fini = cpu_fini,
	.run = cpu_run,
	.layer_output = cpu_layer_output,
	.output_read = cpu_output_read,
	.footprint = cpu_footprint,
	.startup = cpu_startup,
	.host_pool = cpu_host_pool,
	.run_quantized = cpu_run_quantized,
};
