/* SPDX-License-Identifier: Apache-2.0 */
/*
 * backend.h - the interface every execution backend plugs into
 *
 * DOC: backends
 *
 * A backend is a static const &struct mnet_backend_ops.  The session walks a
 * const list of them (runtime/session/backend_table.c: opencl, cpu, ref) and, under
 * MNET_BACKEND_AUTO, takes the first whose probe() and init() succeed, as a
 * driver matches a device table.  init() does everything that allocates
 * (buffers, weight packing, program builds); run() only computes, so an
 * inference allocates nothing.
 *
 * A backend that cannot run one layer (a kernel that fails to build, a
 * device limit) runs that layer on the host with the reference kernels of
 * runtime/reference/ref_layer.h and reports it in the layer's &struct mnet_layer_time.
 */
#ifndef MNET_RUNTIME_BACKEND_H
#define MNET_RUNTIME_BACKEND_H

#include "mnet/mnet.h"
#include "model/model.h"

struct mnet_backend;
struct mnet_threadpool;
struct mnet_fconv;

/**
 * struct mnet_backend_ops - one execution backend
 * @name: short name ("ref", "cpu", "opencl")
 * @kind: the &enum mnet_backend_kind it implements
 * @probe: cheap check whether the backend can run here at all; allocates
 *         nothing lasting.  Return 0 or -ENODEV with a message in @err.
 * @init: prepare @be->model for running: allocate every buffer, pack or
 *        upload weights, build programs; store state in @be->priv and set
 *        @be->name / @be->device.  Return 0 or a negative errno.
 * @fini: release everything init() made; called once after a successful
 *        init().
 * @run: one inference: @input holds the model input (NHWC floats), @output
 *       receives the output tensor; @times (one per layer) is filled in.
 *       Return 0, or -EIO on a device failure (the backend stays usable).
 * @layer_output: copy the output tensor of layer @layer from the last run
 *       into @dst (@count floats of room).  May be NULL (-EOPNOTSUPP).
 * @startup: fill in the parts of init()'s time the backend measured
 *       (total_ms is the session's).  May be NULL.
 * @footprint: bytes init() would allocate for @be->model with @be->opts
 *       (activations, packed weights, scratch, device buffers), computed
 *       without allocating them; checked against the session's memory cap
 *       before init().  May be NULL (not counted).
 * @host_pool: the backend's host thread pool, for host work the session
 *       does around a run (converting a camera frame, runtime/frame/);
 *       only used between runs.  May be NULL (no pool: one thread).
 * @run_frame: one inference on a camera frame the backend converts itself
 *       (on its device): @fc describes the checked frame and the
 *       conversion (host/frame/frame_conv.h; @fc->dst is the session's
 *       host input, unused); otherwise as @run.  Return -EOPNOTSUPP,
 *       having done nothing, to have the session convert on the host and
 *       call @run.  May be NULL (always so).
 * @output_read: copy device output tensor @t (one of &struct
 *       mnet_model.outputs past the first, which stay live to the end of a
 *       run) of the last run into @dst (@count floats), as real values.
 *       Return -EOPNOTSUPP to have the session use @layer_output of the
 *       layer that writes it (a mode that keeps every tensor).  May be
 *       NULL (likewise).
 * @run_quantized: one inference on the file's own 8-bit input bytes
 *                 (precision int8; mnet_session_run_quantized()), NULL
 *                 where the backend runs floats only
 */
struct mnet_backend_ops {
	const char *name;
	enum mnet_backend_kind kind;
	int (*probe)(const struct mnet_session_opts *opts,
		     struct mnet_err *err);
	int (*init)(struct mnet_backend *be, struct mnet_err *err);
	void (*fini)(struct mnet_backend *be);
	int (*run)(struct mnet_backend *be, const float *input, float *output,
		   struct mnet_layer_time *times);
	int (*layer_output)(struct mnet_backend *be, int layer, float *dst,
			    size_t count);
	uint64_t (*footprint)(const struct mnet_backend *be);
	void (*startup)(const struct mnet_backend *be,
			struct mnet_startup *out);
	struct mnet_threadpool *(*host_pool)(struct mnet_backend *be);
	int (*run_frame)(struct mnet_backend *be, const struct mnet_fconv *fc,
			 float *output, struct mnet_layer_time *times);
	int (*run_quantized)(struct mnet_backend *be, const uint8_t *input,
			     float *output, struct mnet_layer_time *times);
	int (*output_read)(struct mnet_backend *be, int t, float *dst,
			   size_t count);
};

/**
 * struct mnet_backend - a backend instance owned by a session
 * @ops: the backend's operations
 * @model: the model it runs (owned by the caller, read-only)
 * @opts: the session options (strings owned by the caller of create)
 * @priv: the backend's private state
 * @name: variant name for reports ("ref", "cpu-avx2", "opencl")
 * @device: device description for reports
 * @perturb_layer: debug/test only: 1 + the index of the layer whose output
 *                 the backend corrupts with mnet_debug_perturb() right after
 *                 computing it (runtime/support/debug.c, $MNET_DEBUG_PERTURB_LAYER);
 *                 0, as in a zeroed backend, perturbs nothing
 * @pins_weights: set by init() when the backend reads the model's weights
 *                after init() returned (ref at every run; opencl for
 *                weighted layers on the host); the session then keeps the
 *                model from releasing them (runtime/model/model_weights.c) until
 *                it is destroyed.  0 when init() packed or uploaded all it
 *                needs.
 */
struct mnet_backend {
	const struct mnet_backend_ops *ops;
	const struct mnet_model *model;
	struct mnet_session_opts opts;
	void *priv;
	char name[64];
	char device[256];
	int perturb_layer;
	int pins_weights;
};

/**
 * mnet_backend_perturbs() - whether the debug hook corrupts layer @i
 * @be: backend
 * @i: layer index
 *
 * Return: 1 if layer @i's output is to be perturbed, else 0.
 */
static inline int mnet_backend_perturbs(const struct mnet_backend *be, int i)
{
	return be->perturb_layer == i + 1;
}

/**
 * mnet_backend_residual() - the residual a 1x1 convolution absorbs, if any
 * @m: model
 * @i: layer index
 * @perturb_layer: the debug hook's layer, as &struct mnet_backend.perturb_layer
 *
 * What every backend that fuses residual ADDs asks: layer @i can absorb
 * the ADD after it (mnet_residual_fusable()), fusion is on
 * (mnet_residual_fusion_on()), and the debug hook needs neither layer's
 * own output.
 *
 * Return: the residual tensor, or -1 (run the pair apart).
 */
static inline int mnet_backend_residual(const struct mnet_model *m, int i,
					int perturb_layer)
{
	if (perturb_layer == i + 1 || perturb_layer == i + 2 ||
	    !mnet_residual_fusion_on())
		return -1;
	return mnet_residual_fusable(m, i);
}

/* The backends, most preferred first; NULL-terminated. */
extern const struct mnet_backend_ops *const mnet_backends[];

extern const struct mnet_backend_ops mnet_backend_ref_ops;
extern const struct mnet_backend_ops mnet_backend_cpu_ops;
#ifdef MNET_HAVE_OPENCL
extern const struct mnet_backend_ops mnet_backend_opencl_ops;
#endif

#endif /* MNET_RUNTIME_BACKEND_H */
