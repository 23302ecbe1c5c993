/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_op.h - what the OpenCL backend knows about one op: its kernel, the
 * kernel's arguments and knobs, its build options, NDRange and weights
 *
 * One &struct mnet_cl_op per op that has a kernel, each in its own file of
 * this folder, gathered into one table indexed by enum mnet_op
 * (cl_op_table.c).  The layer set-up (cl_setup.c), the layer plan
 * (cl_layer.c) and the tuner (runtime/tune/) all read the same entry, so
 * an argument list or a knob is described once.
 */
#ifndef MNET_RUNTIME_CL_OP_H
#define MNET_RUNTIME_CL_OP_H

#include <stddef.h>

#include "cl/cl_device.h"
#include "cl/cl_source.h"
#include "model/model.h"

/* &struct mnet_cl_layer_cfg.variant: how the layer is computed */
#define MNET_CL_VARIANT_KERNEL 0	/* the layer's kernel of cl_kernels/ */
#define MNET_CL_VARIANT_GEMM 1		/* CLBlast SGEMM + bias_act */

/**
 * struct mnet_cl_layer_cfg - the tunable knobs of one layer's kernel
 * @variant: MNET_CL_VARIANT_KERNEL (default) or MNET_CL_VARIANT_GEMM (only
 *           from a tuning database; the other knobs are then unused)
 * @vw: vector width: channels per work-item (2, 4, 8 or 16)
 * @ppt: pixels per work-item (pwconv only, 1..8)
 * @in_vec: input load width (pwconv only): 4 (vload4) or 1 (scalars)
 * @oxt: output pixels along x per work-item (dwconv only, 1..8)
 * @oyt: output rows per work-item (dwconv only, 1..64)
 * @ks: pwconv only: input channels per step of the local-memory tile (a
 *      work-group stages @ks x its output channels of weights and its
 *      pixels x @ks of input in local memory; 4, 8, 16, 32 or 64), or 0:
 *      no local memory, each work-item reads global memory itself.  A
 *      tile needs an explicit work-group (@wg[0] != 0): with wg=auto the
 *      kernel runs untiled
 * @wg: work-group size per NDRange dimension; wg[0] == 0 means no local
 *      size (NULL: the driver chooses; the global size is then unpadded)
 * @name: what chose these values ("default"; a tuner writes "tuned")
 *
 * Everything a tuner may change for a layer lives here; the defaults come
 * from mnet_cl_layer_cfg_default().
 */
struct mnet_cl_layer_cfg {
	int variant;
	int vw;
	int ppt;
	int in_vec;
	int oxt;
	int oyt;
	int ks;
	size_t wg[3];
	const char *name;
};

/**
 * enum mnet_cl_arg - what one kernel argument is
 * @MNET_CL_ARG_IN: the layer's input tensor
 * @MNET_CL_ARG_IN2: its second operand (add)
 * @MNET_CL_ARG_W: the packed weights
 * @MNET_CL_ARG_BIAS: the padded bias
 * @MNET_CL_ARG_OUT: the output tensor
 * @MNET_CL_ARG_RES: the residual tensor a fused 1x1 convolution adds
 * @MNET_CL_ARG_ADD_RES: an int flag, 1 to add @MNET_CL_ARG_RES
 * @MNET_CL_ARG_COUNT: number of kinds (the size of a buffer table)
 */
enum mnet_cl_arg {
	MNET_CL_ARG_IN = 0,
	MNET_CL_ARG_IN2,
	MNET_CL_ARG_W,
	MNET_CL_ARG_BIAS,
	MNET_CL_ARG_OUT,
	MNET_CL_ARG_RES,
	MNET_CL_ARG_ADD_RES,
	MNET_CL_ARG_COUNT,
};

#define MNET_CL_MAX_ARGS 8

/* &struct mnet_cl_op.knobs: which fields of the cfg the kernel reads */
#define MNET_CL_KNOB_VW		(1u << 0)	/* channels per work-item */
#define MNET_CL_KNOB_PPT	(1u << 1)	/* pixels per work-item */
#define MNET_CL_KNOB_IN_VEC	(1u << 2)	/* input load width */
#define MNET_CL_KNOB_OXT	(1u << 3)	/* pixels along x */
#define MNET_CL_KNOB_OYT	(1u << 5)	/* rows per work-item */
#define MNET_CL_KNOB_KS		(1u << 6)	/* local K slice */
/* the work-group is a build option: a power of two along x, fixed once built */
#define MNET_CL_KNOB_WG_BUILT	(1u << 4)
/*
 * the op's defaults choose the work-group shape themselves (a tile shared
 * through local memory); any shape may still be tuned, and the plan passes
 * it to the kernel as build options when the tile needs it
 */
#define MNET_CL_KNOB_WG_SHAPE	(1u << 7)

struct mnet_cl_op;

/**
 * struct mnet_cl_layer_plan - the kernel launch derived from a layer + cfg
 * @op: the op entry that planned it
 * @file: kernel source file ("pwconv.cl")
 * @kernel: kernel function name
 * @dims: NDRange dimensions
 * @global: global size, padded to a multiple of @local
 * @local: work-group size
 * @has_weights: the kernel takes weights and bias arguments
 * @residual: the kernel takes a residual tensor and an add_res flag after
 *            its output (a 1x1 convolution absorbing an ADD)
 * @args: the kernel's arguments in order
 * @n_args: their number
 * @opts: the program's build options
 */
struct mnet_cl_layer_plan {
	const struct mnet_cl_op *op;
	const char *file;
	const char *kernel;
	unsigned int dims;
	size_t global[3];
	size_t local[3];
	int has_weights;
	int residual;
	enum mnet_cl_arg args[MNET_CL_MAX_ARGS];
	unsigned int n_args;
	struct mnet_cl_opts opts;
};

/**
 * struct mnet_cl_op - one op's kernel on the OpenCL device
 * @name: op name, for messages
 * @file: kernel source in cl_kernels/ (NULL: no kernel; with @alias the
 *        layer aliases its input, else it runs on the host)
 * @kernel: kernel function name
 * @alias: 1 when the op launches nothing (reshape: the memory plan gives
 *         its output its input's buffer)
 * @args: the kernel's arguments in order (@n_args of them); a plan may
 *        append more (@options)
 * @n_args: number of @args
 * @knobs: MNET_CL_KNOB_* bits: the cfg fields the kernel reads (the
 *         tuner's search axes)
 * @local_per_item: bytes of local memory per work-item that the kernel
 *                  declares itself (a __local array sized by a build
 *                  option: counted in CL_KERNEL_LOCAL_MEM_SIZE once built;
 *                  0: none)
 * @local_arg_per_item: bytes per work-item of __local kernel arguments
 *                      (sized at launch, so not in the compiled kernel's
 *                      CL_KERNEL_LOCAL_MEM_SIZE; 0: none)
 * @local_bytes: optional: bytes of __local arrays the kernel declares
 *               for @cfg, sized by build options from the work-group and
 *               the tile (pwconv's local-memory tile); added to
 *               @local_per_item times the work-group
 * @traffic: optional: the global-memory bytes @cfg moves for @l, per
 *           ideal byte (each input, weight and output once), estimated
 *           from the kernel's loads; what tools/bench/cl-traffic.py
 *           measures under Oclgrind
 * @traffic_max: the most @traffic the tuner proposes on a GPU (issue
 *               #19's targets: depthwise 2, pointwise 8); 0: no cap
 * @choose: optional: the entry that really runs @l (a 1x1 stride-1 CONV2D
 *          runs on pwconv's); NULL or returning the entry itself: this one
 * @defaults: optional: set the op's own default knobs in @cfg (the common
 *            ones are set before); @cpu is 1 on CPU devices, @target the
 *            default work-group size.  With MNET_CL_KNOB_WG_BUILT or
 *            MNET_CL_KNOB_WG_SHAPE it sets the work-group too (at most
 *            @target work-items).
 * @options: append the op's build options after the common ones
 *           (precision, ACT, VW) and may append arguments to @plan;
 *           @cpad is the output channels padded to @cfg->vw.  Return 0 or
 *           -EINVAL (cfg not legal for this op)
 * @range: the NDRange before padding: fills @g (1 past the last), returns
 *         the number of dimensions
 * @pack: optional (NULL: no weights): repack the weights into the
 *        kernel's layout, malloc'd into *@w (*@nw floats), and set *@nb,
 *        the padded bias length.  Return 0 or -ENOMEM
 */
struct mnet_cl_op {
	const char *name;
	const char *file;
	const char *kernel;
	int alias;
	enum mnet_cl_arg args[MNET_CL_MAX_ARGS];
	unsigned int n_args;
	unsigned int knobs;
	size_t local_per_item;
	size_t local_arg_per_item;
	size_t (*local_bytes)(const struct mnet_layer *l,
			      const struct mnet_cl_layer_cfg *cfg);
	double (*traffic)(const struct mnet_layer *l,
			  const struct mnet_cl_layer_cfg *cfg);
	double traffic_max;
	const struct mnet_cl_op *(*choose)(const struct mnet_layer *l);
	void (*defaults)(const struct mnet_layer *l, int cpu, size_t target,
			 struct mnet_cl_layer_cfg *cfg);
	int (*options)(const struct mnet_layer *l,
		       const struct mnet_cl_layer_cfg *cfg, int cpad,
		       struct mnet_cl_layer_plan *plan);
	unsigned int (*range)(const struct mnet_layer *l,
			      const struct mnet_cl_layer_cfg *cfg, size_t g[3]);
	int (*pack)(const struct mnet_layer *l, int cpad, float **w,
		    size_t *nw, size_t *nb);
};

/* The entries, one per file of runtime/opencl/ops/. */
extern const struct mnet_cl_op mnet_cl_op_conv2d;
extern const struct mnet_cl_op mnet_cl_op_dwconv;
extern const struct mnet_cl_op mnet_cl_op_pwconv;
extern const struct mnet_cl_op mnet_cl_op_avgpool;
extern const struct mnet_cl_op mnet_cl_op_maxpool;
extern const struct mnet_cl_op mnet_cl_op_act;
extern const struct mnet_cl_op mnet_cl_op_fc;
extern const struct mnet_cl_op mnet_cl_op_softmax;
extern const struct mnet_cl_op mnet_cl_op_add;
extern const struct mnet_cl_op mnet_cl_op_reshape;
extern const struct mnet_cl_op mnet_cl_op_resize;
extern const struct mnet_cl_op mnet_cl_op_concat;
extern const struct mnet_cl_op mnet_cl_op_argmax;
extern const struct mnet_cl_op mnet_cl_op_dwconv_dil;

static inline size_t mnet_cl_div_up(size_t a, size_t b)
{
	return (a + b - 1) / b;
}

/**
 * mnet_cl_pow2_ceil() - the smallest power of two >= @n
 * @n: value
 *
 * Return: the power of two (1 for 0).
 */
size_t mnet_cl_pow2_ceil(size_t n);

/**
 * mnet_cl_op_has_arg() - whether an op's kernel takes an argument
 * @op: entry
 * @kind: argument kind
 *
 * Return: 1 if @kind is among @op's fixed arguments, else 0.
 */
int mnet_cl_op_has_arg(const struct mnet_cl_op *op, enum mnet_cl_arg kind);

/**
 * mnet_cl_op_vw_default() - the default vector width of a convolution
 * @l: layer
 * @cpu: 1 on CPU devices
 * @gpu_vw8: 1 when the op takes 8 channels per work-item on GPUs too
 *           (the general convolution)
 *
 * CPUs (PoCL) want wide explicit vectors: on an AVX-512 EPYC 16 channels
 * per work-item measured 2-3x faster than 4 or 8 for pwconv and dwconv.
 * GPUs keep the tile small (registers per work-item, more work-items in
 * flight).
 *
 * Return: 4, 8 or 16.
 */
int mnet_cl_op_vw_default(const struct mnet_layer *l, int cpu, int gpu_vw8);

/**
 * mnet_cl_op_local_bytes() - local memory a layer's kernel needs
 * @op: the layer's entry
 * @l: layer
 * @cfg: its configuration (the work-group, the tile)
 *
 * Return: bytes: the op's per-work-item local memory and __local
 * arguments times the work-group, plus its tile (@op->local_bytes).
 */
size_t mnet_cl_op_local_bytes(const struct mnet_cl_op *op,
			      const struct mnet_layer *l,
			      const struct mnet_cl_layer_cfg *cfg);

/**
 * mnet_cl_op_range_chw() - the NDRange of a kernel computing one channel
 * of one output pixel per work-item: channels, output x, output y
 * @l: layer
 * @cfg: unused (the &struct mnet_cl_op.range signature)
 * @g: receives the three sizes
 *
 * Return: 3.
 */
unsigned int mnet_cl_op_range_chw(const struct mnet_layer *l,
				  const struct mnet_cl_layer_cfg *cfg,
				  size_t g[3]);

/**
 * mnet_cl_op_spatial_opts() - the -D options of a windowed op
 * @o: options being assembled
 * @l: layer (shapes, kernel, strides, padding)
 */
void mnet_cl_op_spatial_opts(struct mnet_cl_opts *o,
			     const struct mnet_layer *l);

#endif /* MNET_RUNTIME_CL_OP_H */
