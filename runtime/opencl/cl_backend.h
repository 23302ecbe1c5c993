/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_backend.h - the OpenCL backend's private state, shared by
 * backend_opencl.c (session life cycle), cl_run.c (runs), cl_host.c (host
 * fallback), cl_setup.c (layer set-up) and cl_io.c (transfers)
 */
#ifndef MNET_RUNTIME_CL_BACKEND_H
#define MNET_RUNTIME_CL_BACKEND_H

#include <CL/cl.h>

#include "opencl/cl_startup.h"
#include "cl/cl_device.h"
#include "opencl/cl_gemm.h"
#include "opencl/cl_layer.h"
#include "cl/cl_program.h"
#include "session/backend.h"
#include "session/mem_plan.h"
#include "tune/tune_db.h"

struct mnet_cl_frame;

/**
 * struct mnet_cl_layer_rt - the device side of one layer (run-time state)
 * @kernel: the kernel with every argument set (NULL: reshape or host)
 * @w: repacked weights (NULL if none)
 * @b: padded bias (NULL if none)
 * @cfg: the kernel configuration (what a tuner would change)
 * @plan: NDRange and build options derived from @cfg
 * @on_host: 1 when the layer falls back to the reference kernels
 * @gemm: the CLBlast variant when the tuned cfg chose it (else NULL)
 * @gemm_ev: its marker and epilogue events, only when profiling
 * @residual: for a 1x1 convolution that absorbs the ADD after it, the
 *            tensor its epilogue adds (mnet_residual_fusable()); else -1
 * @absorbed: 1 for an ADD that the layer before computes (no kernel)
 */
struct mnet_cl_layer_rt {
	cl_kernel kernel;
	cl_mem w, b;
	struct mnet_cl_layer_cfg cfg;
	struct mnet_cl_layer_plan plan;
	int on_host;
	struct mnet_cl_gemm *gemm;
	cl_event gemm_ev[2];
	int residual;
	int absorbed;
};

/**
 * struct mnet_cl_state - one OpenCL session's device state
 * @dev: the device
 * @ctx: its context
 * @q: the in-order command queue (profiling when the session asked)
 * @prec: the precision (cl_precision.c: element size, conversions,
 *        kernel options)
 * @absorbs: per layer, 1 where it absorbs the ADD after it (the memory
 *           plan's view, mnet_backend_residual())
 * @mp: the activation buffer plan
 * @bufs: the activation buffers of @mp
 * @layers: per-layer state
 * @n_layers: number of layers
 * @progs: the distinct programs (layers with equal options share one)
 * @prog_keys: "file options" of each program
 * @prog_plan: the plan that built each program
 * @prog_built: 1 where the program was compiled (cache entry written after
 *              the warm-up run)
 * @n_progs: number of programs
 * @events: one per layer, only while a profiled run is collected
 * @stage: staging for input/output/fallback transfers in the stored
 *         type, when it is not float (the copy
 *         path; mapped I/O converts in the mapped memory)
 * @host: float buffers for host-fallback layers (in, in2, out)
 * @stats: program build statistics
 * @startup: start-up cost in parts
 * @cache_dir: program cache folder
 * @use_cache: 0 when caching is off
 * @tune: the tuning database (tune_db.c), may be empty
 * @tune_dev: this device's key in it (cl_tune.c)
 * @map_io: 1 when the buffers of the model input and output were created
 *          with CL_MEM_ALLOC_HOST_PTR and a run maps them instead of
 *          copying (host-unified devices, $MNET_CL_MAP)
 * @in_map: the input buffer mapped ahead for the next run (map_io), or
 *          NULL
 * @unmap_left: the input's and the output's mapping whose unmap failed,
 *              else NULL; unmapped again before the buffer's next use
 * @frame: camera frame conversion on the device (opencl/frame/), made at
 *         the first frame; NULL before
 */
struct mnet_cl_state {
	struct mnet_cl_device dev;
	cl_context ctx;
	cl_command_queue q;
	const struct mnet_cl_precision *prec;
	unsigned char *absorbs;
	struct mnet_mem_plan mp;
	cl_mem *bufs;
	struct mnet_cl_layer_rt *layers;
	int n_layers;
	cl_program *progs;		/* distinct programs, deduplicated */
	char **prog_keys;		/* "file options" of each */
	const struct mnet_cl_layer_plan **prog_plan; /* what built each */
	unsigned char *prog_built;	/* built from source: store after warm-up */
	int n_progs;
	cl_event *events;		/* one per layer, only when profiling */
	void *stage;			/* stored-type staging */
	float *host[3];			/* fallback: in, in2, out */
	struct mnet_cl_build_stats stats;
	struct mnet_cl_startup startup;
	char cache_dir[4096];
	int use_cache;
	struct mnet_tune_db tune;
	char tune_dev[MNET_TUNE_KEY_LEN];
	int map_io;
	void *in_map;			/* mapped ahead for the next run */
	void *unmap_left[2];		/* input, output */
	struct mnet_cl_frame *frame;
};

/**
 * mnet_cl_layer_init() - put one layer on the device
 * @st: session state (context, buffers and memory plan ready)
 * @l: the layer, or the session's view of a 1x1 convolution that absorbs
 *     the ADD after it (in2 = the residual, see mnet_cl_layer_plan())
 * @idx: its index (for the MNET_CL_FAIL_LAYER test hook)
 * @cl: its state, filled in
 * @err: receives why the layer cannot run on the device
 *
 * Chooses the configuration, checks the device's limits, builds (or
 * loads) the program, repacks and uploads the weights and sets every
 * kernel argument.  On failure the caller releases @cl with
 * mnet_cl_layer_fini() and runs the layer on the host.
 *
 * Return: 0, or a negative errno with the reason in @err.
 */
int mnet_cl_layer_init(struct mnet_cl_state *st, const struct mnet_layer *l,
			int idx, struct mnet_cl_layer_rt *cl,
			struct mnet_err *err);

/**
 * mnet_cl_layer_set_residual() - switch a fused 1x1 convolution's ADD
 * @cl: a layer set up from a view with a residual (plan.residual)
 * @on: 1: output = conv + residual (runs); 0: the convolution's own
 *      output (layer-output validation)
 *
 * Takes effect for launches enqueued afterwards.
 *
 * Return: 0, -EINVAL (no residual), or -EIO.
 */
int mnet_cl_layer_set_residual(struct mnet_cl_layer_rt *cl, int on);

/**
 * mnet_cl_layer_fini() - release a layer's kernel and weight buffers
 * @cl: layer state; its pointers are cleared
 */
void mnet_cl_layer_fini(struct mnet_cl_layer_rt *cl);

/**
 * mnet_cl_tensor_mem() - the device buffer that holds tensor @t
 * @st: session state
 * @t: tensor index
 *
 * Return: the buffer (the liveness plan may share it with other tensors).
 */
cl_mem mnet_cl_tensor_mem(const struct mnet_cl_state *st, int t);

/**
 * mnet_cl_want_map_io() - whether to map the model input and output
 * @st: session state, device chosen
 * @err: receives a note (code 0) when $MNET_CL_MAP is neither 0 nor 1
 *
 * Return: 1 on host-unified devices unless $MNET_CL_MAP=0, or with
 * $MNET_CL_MAP=1 on any device; else 0.
 */
int mnet_cl_want_map_io(const struct mnet_cl_state *st, struct mnet_err *err);

/**
 * mnet_cl_read_tensor() - copy a tensor to the host, blocking
 * @st: session state
 * @m: model
 * @t: tensor index
 * @dst: receives its floats (converted from half with fp16 storage)
 *
 * Return: 0 or -EIO.
 */
int mnet_cl_read_tensor(struct mnet_cl_state *st, const struct mnet_model *m,
			int t, float *dst);

/**
 * mnet_cl_write_tensor() - copy a tensor to the device
 * @st: session state
 * @m: model
 * @t: tensor index
 * @src: its floats
 * @blocking: CL_TRUE to wait (then @src, or the staging buffer, may be
 *            reused at once)
 *
 * Return: 0 or -EIO.
 */
int mnet_cl_write_tensor(struct mnet_cl_state *st, const struct mnet_model *m,
			 int t, const float *src, cl_bool blocking);

/**
 * mnet_cl_map_input() - write the model input through its mapped buffer
 * @st: session state (map_io)
 * @m: model
 * @src: the input floats
 *
 * Return: 0 or -EIO.
 */
int mnet_cl_map_input(struct mnet_cl_state *st, const struct mnet_model *m,
		      const float *src);

/**
 * mnet_cl_map_output() - read the model output through its mapped buffer
 * @st: session state (map_io), every layer enqueued
 * @m: model
 * @dst: receives the output floats
 *
 * Maps the input ahead for the next run first; the blocking output map is
 * the run's synchronisation point.
 *
 * Return: 0 or -EIO.
 */
int mnet_cl_map_output(struct mnet_cl_state *st, const struct mnet_model *m,
		       float *dst);

/**
 * mnet_cl_unmap_left() - retry unmaps that failed earlier
 * @st: session state
 * @m: model
 *
 * Return: 0 or -EIO (still mapped).
 */
int mnet_cl_unmap_left(struct mnet_cl_state *st, const struct mnet_model *m);

/**
 * mnet_cl_unmap_ahead() - give back the input mapped ahead for the next run
 * @st: session state
 * @m: model
 *
 * Before anything but a run uses the input buffer (layer_output(), fini).
 *
 * Return: 0 or -EIO.
 */
int mnet_cl_unmap_ahead(struct mnet_cl_state *st, const struct mnet_model *m);

/* ---- cl_host.c: layers on the host ---------------------------------- */

/**
 * mnet_cl_max_elems() - the largest tensor of a model
 * @m: model
 *
 * Return: its element count (the size of every staging buffer).
 */
size_t mnet_cl_max_elems(const struct mnet_model *m);

/**
 * mnet_cl_host_buffers() - allocate the host-fallback buffers, once
 * @st: session state
 * @m: model
 * @err: receives -ENOMEM's message
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_cl_host_buffers(struct mnet_cl_state *st, const struct mnet_model *m,
			 struct mnet_err *err);

/**
 * mnet_cl_to_host() - run layer @i on the host from now on
 * @be: the OpenCL backend
 * @i: layer whose set-up or launch failed
 * @why: the reason, for the note in @err
 * @err: receives a note (code 0) if it holds none yet
 *
 * Releases the layer's device state; a 1x1 convolution that absorbed the
 * ADD after it gives the ADD back, which runs on the host too.
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_cl_to_host(struct mnet_backend *be, int i, const char *why,
		    struct mnet_err *err);

/**
 * mnet_cl_host_layer() - run one layer on the reference kernels
 * @st: session state (host buffers allocated)
 * @m: model
 * @l: layer
 *
 * Reads its inputs back from the device and writes its output there.
 *
 * Return: 0, -EIO, or the reference kernel's error.
 */
int mnet_cl_host_layer(struct mnet_cl_state *st, const struct mnet_model *m,
		       const struct mnet_layer *l);

/**
 * mnet_cl_perturb_tensor() - debug only: corrupt tensor @t via the host
 * @st: session state (host buffers allocated)
 * @m: model
 * @t: tensor
 *
 * Return: 0 or -EIO.
 */
int mnet_cl_perturb_tensor(struct mnet_cl_state *st,
			   const struct mnet_model *m, int t);

/* ---- cl_run.c: runs --------------------------------------------------- */

/**
 * mnet_cl_run_layers() - enqueue layers 0..@last
 * @be: the OpenCL backend
 * @last: last layer to run
 * @times: per-layer entries to fill (NULL when not recording)
 * @bad: optional: receives the layer whose launch failed (-1 when a
 *       transfer failed)
 *
 * Return: 0, or -EIO (device failure) and the like.
 */
int mnet_cl_run_layers(struct mnet_backend *be, int last,
		       struct mnet_layer_time *times, int *bad);

/**
 * mnet_cl_warm_up() - one run at creation on a zeroed input
 * @be: the OpenCL backend, every layer set up
 * @err: receives why it failed, or a note for a layer moved to the host
 *
 * A kernel that cannot be enqueued moves its layer to the host; the
 * programs built from source are stored in the cache afterwards.
 *
 * Return: 0, or a negative errno.
 */
int mnet_cl_warm_up(struct mnet_backend *be, struct mnet_err *err);

/**
 * mnet_cl_launch_lock_take() - take the process-wide launch lock if the
 * device needs it (PoCL, or $MNET_CL_SERIALIZE=1; cl_run.c says why)
 * @dev: the session's device
 * @held: receives 1 when the lock was taken (pass it to the drop)
 *
 * Every mode of the backend (float runs, the int8 mode) holds it from
 * its first launch to its blocking read, so sessions of both take turns.
 */
void mnet_cl_launch_lock_take(const struct mnet_cl_device *dev, int *held);

/**
 * mnet_cl_launch_lock_drop() - release what mnet_cl_launch_lock_take() took
 * @held: its @held
 */
void mnet_cl_launch_lock_drop(int held);

/**
 * mnet_cl_run() - &struct mnet_backend_ops.run of the OpenCL backend
 * @be: the backend
 * @input: the model input
 * @output: receives the model output
 * @times: optional per-layer times
 *
 * Return: 0, or -EIO; the session stays usable.
 */
int mnet_cl_run(struct mnet_backend *be, const float *input, float *output,
		struct mnet_layer_time *times);

/**
 * mnet_cl_run_rest() - the rest of a run once the input is enqueued
 * @be: the backend
 * @ret: 0, or the failure of enqueueing the input (then only cleans up)
 * @output: receives the model output
 * @times: optional per-layer times
 *
 * For inputs made on the device (runtime/opencl/frame/cl_frame.c): the
 * layers, the output read and the timings, as mnet_cl_run().
 *
 * Return: 0, or -EIO; the session stays usable.
 */
int mnet_cl_run_rest(struct mnet_backend *be, int ret, float *output,
		     struct mnet_layer_time *times);

/**
 * mnet_cl_output_read() - &struct mnet_backend_ops.output_read (fp32 modes)
 * @be: backend
 * @t: a device output tensor, kept to the end of a run by the memory plan
 * @dst: receives its values
 * @count: room in @dst
 *
 * Return: 0, -EINVAL (@count too small) or -EIO.
 */
int mnet_cl_output_read(struct mnet_backend *be, int t, float *dst,
			size_t count);

/**
 * mnet_cl_layer_output() - &struct mnet_backend_ops.layer_output
 * @be: the backend
 * @layer: layer index
 * @dst: receives its output
 * @count: room in @dst
 *
 * Return: 0, -EINVAL (@count too small) or -EIO.
 */
int mnet_cl_layer_output(struct mnet_backend *be, int layer, float *dst,
			 size_t count);

#endif /* MNET_RUNTIME_CL_BACKEND_H */
