/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_gemm.h - the CLBlast GEMM variant of pointwise and fully connected layers
 */
#ifndef MNET_RUNTIME_CL_GEMM_H
#define MNET_RUNTIME_CL_GEMM_H

#include <CL/cl.h>

#include "cl/cl_device.h"
#include "cl/cl_program.h"
#include "model/model.h"
#include "opencl/cl_precision.h"

/**
 * struct mnet_cl_gemm - one layer run as CLBlast SGEMM + bias_act.cl
 * @prog: the bias_act program
 * @bias_act: its kernel, arguments set except the output
 * @w: weights in the IR layout ([cout][cin], row-major)
 * @b: bias (zeros where the layer has none)
 * @m: rows of the product (output pixels; 1 for fc)
 * @n: output channels
 * @k: input channels (the flattened input for fc)
 */
struct mnet_cl_gemm {
	cl_program prog;
	cl_kernel bias_act;
	cl_mem w, b;
	size_t m, n, k;
};

/**
 * mnet_cl_gemm_available() - whether the GEMM variant can run a layer
 * @l: layer
 * @prec: the precision (CLBlast's SGEMM needs float buffers)
 *
 * Return: 1 for pwconv and fc layers in fp32 when the library was built
 * with CLBlast, else 0.
 */
int mnet_cl_gemm_available(const struct mnet_layer *l,
			   const struct mnet_cl_precision *prec);

/**
 * mnet_cl_gemm_fits() - whether a device meets CLBlast's SGEMM needs
 * @dev: device (its work-group and local memory limits)
 *
 * CLBlast picks its kernel parameters from its own database by device
 * name, and falls back to generic ones for devices it does not know; a
 * device below what those need makes its SGEMM fail at the launch.  This
 * checks the envelope we assume (cl_gemm.c: MNET_CL_GEMM_*), with no
 * context or library loaded, so the tuner can drop the variant before
 * trying it.
 *
 * Return: 1 if the device's limits allow it, else 0.
 */
int mnet_cl_gemm_fits(const struct mnet_cl_device *dev);

/**
 * mnet_cl_gemm_init() - build the epilogue and upload the weights
 * @g: zeroed state to fill
 * @ctx: context
 * @dev: device
 * @l: a layer mnet_cl_gemm_available() accepts
 * @cache_dir: program cache folder, or NULL
 * @stats: optional build statistics
 * @err: optional error report
 *
 * Return: 0, -EOPNOTSUPP (no CLBlast or not such a layer), -ENOEXEC,
 * -ENOMEM, -EIO.  On failure call mnet_cl_gemm_fini().
 */
int mnet_cl_gemm_init(struct mnet_cl_gemm *g, cl_context ctx,
		      const struct mnet_cl_device *dev,
		      const struct mnet_layer *l, const char *cache_dir,
		      struct mnet_cl_build_stats *stats, struct mnet_err *err);

/**
 * mnet_cl_gemm_enqueue() - enqueue out = act(in * W^T + bias)
 * @g: state from mnet_cl_gemm_init()
 * @q: in-order command queue of the same context
 * @in: input buffer ([m][k] floats)
 * @out: output buffer ([m][n] floats)
 * @first: optional; receives a marker event enqueued before the GEMM
 * @last: optional; receives the epilogue's event (with profiling, the
 *        layer's device time is END(@last) - END(@first))
 *
 * CLBlast compiles its kernels at the first call in a process (seconds on
 * PoCL) and caches them in memory.
 *
 * Return: 0, or -EIO.
 */
int mnet_cl_gemm_enqueue(struct mnet_cl_gemm *g, cl_command_queue q,
			 cl_mem in, cl_mem out, cl_event *first,
			 cl_event *last);

/**
 * mnet_cl_gemm_fini() - release what mnet_cl_gemm_init() made
 * @g: state (may be partly initialised)
 */
void mnet_cl_gemm_fini(struct mnet_cl_gemm *g);

/**
 * mnet_cl_gemm_release_cache() - release the programs CLBlast keeps
 *
 * CLBlast caches the programs it compiled, per context, in a process-wide
 * cache that it releases only at exit, after the OpenCL implementation's
 * own static objects may be gone: Oclgrind aborts there ("corrupted
 * double-linked list" in oclgrind::Program::~Program).  Whoever ran a
 * GEMM calls this before releasing the context; the next GEMM compiles
 * again.  Nothing happens without CLBlast.
 */
void mnet_cl_gemm_release_cache(void);

#endif /* MNET_RUNTIME_CL_GEMM_H */
