// SPDX-License-Identifier: Apache-2.0
/*
 * cl_gemm.c - pointwise and fully connected layers through CLBlast's SGEMM
 *
 * DOC: GEMM variant
 *
 * A 1x1 convolution over an NHWC tensor is a matrix product: the input is
 * [pixels][cin] row-major, the IR weights are [cout][cin], so
 * out[pixels][cout] = in * W^T; the classifier is the same with one row.
 * CLBlastSgemm (row-major, B transposed) computes it on the session's own
 * buffers and queue, and bias_act.cl adds the bias and the fused
 * activation in place.  It is a tuner candidate (&struct
 * mnet_cl_layer_cfg.variant), never a default: it only exists where
 * CLBlast was found at build time, only in fp32, and CLBlast compiles its
 * kernels once per process at the first call (15 s on PoCL), which a
 * session pays in its warm-up run.
 *
 * The library is not linked but dlopen()ed (its soname, found at build
 * time) the first time a layer asks for the variant: loading CLBlast costs
 * every process about 6 MiB of resident memory (measured: an empty
 * program 1.2 MiB, linked with -lclblast 7.3 MiB), which an application
 * that never uses the variant, or the CPU path, should not pay.  Where it
 * cannot be loaded the variant is simply unavailable (tuned entries
 * naming it fall back to the defaults).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef MNET_HAVE_CLBLAST
#include <dlfcn.h>

#include <clblast_c.h>
#endif

#include "cl/cl_error.h"
#include "opencl/cl_gemm.h"
#include "cl/cl_source.h"

#ifdef MNET_HAVE_CLBLAST
typedef CLBlastStatusCode (*clblast_sgemm_fn)(const CLBlastLayout,
		const CLBlastTranspose, const CLBlastTranspose, const size_t,
		const size_t, const size_t, const float, const cl_mem,
		const size_t, const size_t, const cl_mem, const size_t,
		const size_t, const float, cl_mem, const size_t, const size_t,
		cl_command_queue *, cl_event *);

typedef CLBlastStatusCode (*clblast_clear_fn)(void);

static pthread_once_t clblast_once = PTHREAD_ONCE_INIT;
static clblast_sgemm_fn clblast_sgemm;
static clblast_clear_fn clblast_clear;

/* Load CLBlast once per process; the handle stays open until exit. */
static void clblast_load(void)
{
	void *h = dlopen(MNET_CLBLAST_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (h) {
		*(void **)&clblast_sgemm = dlsym(h, "CLBlastSgemm");
		*(void **)&clblast_clear = dlsym(h, "CLBlastClearCache");
	}
}

static clblast_sgemm_fn clblast(void)
{
	pthread_once(&clblast_once, clblast_load);
	return clblast_sgemm;
}
#endif

int mnet_cl_gemm_available(const struct mnet_layer *l,
			   const struct mnet_cl_precision *prec)
{
#ifdef MNET_HAVE_CLBLAST
	if (!prec->gemm)
		return 0;
	if (l->op != MNET_OP_FC && l->op != MNET_OP_PWCONV2D)
		return 0;
	if (!clblast())
		return 0;	/* not installed where we run */
	if (l->op == MNET_OP_FC)
		return 1;
	return l->op == MNET_OP_PWCONV2D && l->stride_h == 1 &&
	       l->stride_w == 1 && l->in_shape.h == l->out_shape.h &&
	       l->in_shape.w == l->out_shape.w;
#else
	(void)l;
	(void)prec;
	return 0;
#endif
}

/*
 * CLBlast's SGEMM needs, per launch: its generic Xgemm parameters (those
 * of a device missing from its database) run MDIMC x NDIMC = 8 x 16
 * work-items with KWG x (MWG + NWG) = 32 x 64 floats (8 KiB) of local
 * memory; its tuned entries were each measured on their own device, so
 * they fit it.  We ask for twice the generic envelope (its helper kernels
 * and the direct GEMM have their own parameters) rather than guess which
 * entry a device gets: every GPU and CPU runtime we know of allows it.
 */
#define MNET_CL_GEMM_WG 256		/* work-items per work-group */
#define MNET_CL_GEMM_WG_DIM 16		/* along each of x and y */
#define MNET_CL_GEMM_LOCAL 16384	/* bytes of local memory */

int mnet_cl_gemm_fits(const struct mnet_cl_device *dev)
{
	int d;

	if (dev->max_wg < MNET_CL_GEMM_WG || dev->local_mem < MNET_CL_GEMM_LOCAL)
		return 0;
	for (d = 0; d < 2; d++)
		if (dev->max_items[d] && dev->max_items[d] < MNET_CL_GEMM_WG_DIM)
			return 0;
	return 1;
}

void mnet_cl_gemm_fini(struct mnet_cl_gemm *g)
{
	if (g->bias_act)
		clReleaseKernel(g->bias_act);
	if (g->prog)
		clReleaseProgram(g->prog);
	if (g->w)
		clReleaseMemObject(g->w);
	if (g->b)
		clReleaseMemObject(g->b);
	memset(g, 0, sizeof(*g));
}

int mnet_cl_gemm_init(struct mnet_cl_gemm *g, cl_context ctx,
		      const struct mnet_cl_device *dev,
		      const struct mnet_layer *l, const char *cache_dir,
		      struct mnet_cl_build_stats *stats, struct mnet_err *err)
{
	struct mnet_cl_opts o;
	float *bias;
	cl_int rc;
	int ret;

	/* the caller chose fp32: the variant only exists there */
	if (!mnet_cl_gemm_available(l,
				    mnet_cl_precision_get(MNET_PRECISION_FP32)))
		return mnet_err_set(err, -EOPNOTSUPP,
				    "%s: no GEMM variant (needs fp32, a pwconv or fc layer, and CLBlast: %s)",
				    l->name,
#ifdef MNET_HAVE_CLBLAST
				    MNET_CLBLAST_SONAME " loadable"
#else
				    "not found at build time"
#endif
				    );
	g->n = (size_t)l->out_shape.c;
	g->m = l->op == MNET_OP_FC ? 1 :
	       (size_t)l->out_shape.h * l->out_shape.w;
	g->k = l->op == MNET_OP_FC ? mnet_shape_elems(l->in_shape) :
	       (size_t)l->in_shape.c;
	if (l->n_weights != g->n * g->k)
		return mnet_err_set(err, -EINVAL, "%s: weights are not %zux%zu",
				    l->name, g->n, g->k);
	mnet_cl_opts_init(&o);
	mnet_cl_opts_int(&o, "ACT", l->act == MNET_ACT_RELU6 ? 2 :
				    l->act == MNET_ACT_RELU ? 1 : 0);
	mnet_cl_opts_int(&o, "COUT", (long)g->n);
	mnet_cl_opts_int(&o, "NPIX", (long)g->m);
	ret = mnet_cl_program_build(ctx, dev, "bias_act.cl", o.s, cache_dir, 1,
				    stats, &g->prog, err);
	if (ret)
		return ret;
	g->bias_act = clCreateKernel(g->prog, "bias_act", &rc);
	if (rc)
		return mnet_cl_check(err, rc, "clCreateKernel(bias_act)");
	g->w = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
			      l->n_weights * sizeof(float), l->weights, &rc);
	if (rc)
		return mnet_cl_check(err, rc, "clCreateBuffer(gemm weights)");
	bias = calloc(g->n, sizeof(float));
	if (!bias)
		return mnet_err_set(err, -ENOMEM, "out of memory");
	if (l->bias)
		memcpy(bias, l->bias, g->n * sizeof(float));
	g->b = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
			      g->n * sizeof(float), bias, &rc);
	free(bias);
	if (rc)
		return mnet_cl_check(err, rc, "clCreateBuffer(gemm bias)");
	rc = clSetKernelArg(g->bias_act, 1, sizeof(cl_mem), &g->b);
	return mnet_cl_check(err, rc, "clSetKernelArg(bias_act)");
}

int mnet_cl_gemm_enqueue(struct mnet_cl_gemm *g, cl_command_queue q,
			 cl_mem in, cl_mem out, cl_event *first,
			 cl_event *last)
{
#ifdef MNET_HAVE_CLBLAST
	size_t global[2] = { g->n, g->m };
	CLBlastStatusCode st;
	cl_int rc;

	if (first && clEnqueueMarkerWithWaitList(q, 0, NULL, first))
		return -EIO;
	if (!clblast())
		return -EOPNOTSUPP;
	st = clblast()(CLBlastLayoutRowMajor, CLBlastTransposeNo,
			  CLBlastTransposeYes, g->m, g->n, g->k, 1.0f,
			  in, 0, g->k, g->w, 0, g->k, 0.0f, out, 0, g->n,
			  &q, NULL);
	rc = st == CLBlastSuccess ? CL_SUCCESS : CL_OUT_OF_RESOURCES;
	if (!rc)
		rc = clSetKernelArg(g->bias_act, 0, sizeof(cl_mem), &out);
	if (!rc)
		rc = clEnqueueNDRangeKernel(q, g->bias_act, 2, NULL, global,
					    NULL, 0, NULL, last);
	if (rc && first) {
		clReleaseEvent(*first);
		*first = NULL;
	}
	return rc ? -EIO : 0;
#else
	return -EOPNOTSUPP;
#endif
}

void mnet_cl_gemm_release_cache(void)
{
#ifdef MNET_HAVE_CLBLAST
	if (clblast() && clblast_clear)
		clblast_clear();
#endif
}
