// SPDX-License-Identifier: Apache-2.0
/*
 * cpu_ops.c - the CPU backend's op table
 *
 * DOC: CPU ops
 *
 * One entry per IR op, with designated initialisers: how the op packs its
 * weights (cpu_pack.c), what that costs (the same size functions), the
 * scratch it needs, and how it runs (cpu_exec.c).  An op without an entry
 * is not supported: init() fails naming the layer and the op, and the
 * session falls back to another backend; nothing ever runs as a silent
 * copy.  1x1 convolutions and the fully connected layer are GEMMs over
 * packed weight panels, other full convolutions the same GEMM over each
 * pixel's window, depthwise layers have their own kernel (the dilated
 * ones over sub-grids, cpu_seg.c, with resize, concatenation and
 * arg-max); pooling, softmax, add and reshape are the reference loops.
 */
#include <errno.h>

#include "cpu/cpu_exec.h"
#include "cpu/cpu_ops.h"
#include "cpu/cpu_pack.h"
#include "cpu/cpu_seg.h"

static const struct mnet_cpu_op cpu_ops[MNET_OP_COUNT] = {
	[MNET_OP_CONV2D] = {
		.pack = mnet_cpu_pack_conv,
		.footprint = mnet_cpu_packed_conv,
		.scratch = mnet_cpu_scratch_conv,
		.run = mnet_cpu_run_conv,
	},
	[MNET_OP_DWCONV2D] = {
		.pack = mnet_cpu_pack_dwconv,
		.footprint = mnet_cpu_packed_dwconv,
		.run = mnet_cpu_run_dwconv,
	},
	[MNET_OP_PWCONV2D] = {
		.pack = mnet_cpu_pack_pwconv,
		.footprint = mnet_cpu_packed_pwconv,
		.run = mnet_cpu_run_pwconv,
	},
	[MNET_OP_AVGPOOL] = { .run = mnet_cpu_run_avgpool },
	[MNET_OP_FC] = {
		.pack = mnet_cpu_pack_fc,
		.footprint = mnet_cpu_packed_fc,
		.run = mnet_cpu_run_fc,
	},
	[MNET_OP_SOFTMAX] = { .run = mnet_cpu_run_softmax },
	[MNET_OP_RESHAPE] = { .run = mnet_cpu_run_reshape },
	[MNET_OP_ADD] = { .run = mnet_cpu_run_add },
	[MNET_OP_DWCONV2D_DIL] = {
		.pack = mnet_cpu_pack_dwconv_dil,
		.footprint = mnet_cpu_packed_dwconv,
		.scratch = mnet_cpu_scratch_dwconv_dil,
		.run = mnet_cpu_run_dwconv_dil,
	},
	[MNET_OP_RESIZE_BILINEAR] = {
		.scratch = mnet_cpu_scratch_resize,
		.run = mnet_cpu_run_resize,
	},
	[MNET_OP_CONCAT] = { .run = mnet_cpu_run_concat },
	[MNET_OP_ARGMAX] = { .run = mnet_cpu_run_argmax },
	[MNET_OP_MAXPOOL] = { .run = mnet_cpu_run_maxpool },
	[MNET_OP_ACT] = { .run = mnet_cpu_run_act },
};

const struct mnet_cpu_op *mnet_cpu_op_get(enum mnet_op op)
{
	if ((unsigned int)op >= MNET_OP_COUNT || !cpu_ops[op].run)
		return NULL;
	return &cpu_ops[op];
}

int mnet_cpu_pack_layer(struct mnet_cpu_state *st, struct mnet_cpu_layer *cl)
{
	const struct mnet_cpu_op *op = mnet_cpu_op_get(cl->l->op);

	if (!op)
		return -EOPNOTSUPP;
	mnet_cpu_act_clamp(cl->l->act, &cl->lo, &cl->hi);
	return op->pack ? op->pack(st, cl) : 0;
}

/*
 * Run one layer, or with MNET_CPU_RUN_PAIR a depthwise layer and the 1x1
 * conv after it (then the output written is the 1x1 conv's).  A 1x1 conv
 * with a residual writes into the ADD's buffer either way (the memory plan
 * put its output there); with MNET_CPU_RUN_RESIDUAL what it writes is the
 * sum, i.e. the ADD's output.
 */
void mnet_cpu_run_layer(struct mnet_cpu_state *st, struct mnet_cpu_layer *cl,
			unsigned int how)
{
	const struct mnet_layer *l = cl->l;
	const struct mnet_cpu_layer *last = how & MNET_CPU_RUN_PAIR ? cl + 1 : cl;

	st->cur_res = (how & MNET_CPU_RUN_RESIDUAL) && last->residual >= 0 ?
		      mnet_cpu_tensor(st, last->residual) : NULL;
	cpu_ops[l->op].run(st, cl, mnet_cpu_tensor(st, l->in),
			   st->bufs[st->tensor_buf[last->l->out]], how);
}
