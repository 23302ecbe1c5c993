// SPDX-License-Identifier: Apache-2.0
/*
 * cpu_plan.c - the CPU backend's set-up: fusion, memory
 *
 * DOC: CPU set-up plans
 *
 * Everything here runs once, in init(), after the weights are packed
 * (cpu_pack.c).  Fusion picks neighbouring layers that can share one
 * fork-join job, and the 1x1 convs that absorb the residual ADD
 * after them.  The memory plan gives each tensor an arena buffer for its
 * lifetime (see backend_cpu.c for the rules).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_plan.h"
#include "session/mem_plan.h"

/*
 * Fuse a depthwise layer with the 1x1 conv that follows when that conv is
 * its only reader and splits over pixels anyway, and a 1x1 conv split over
 * weight panels with the depthwise layer that reads it (channel ranges).
 * A layer joins at most one pair.  What it saves for sure is a fork-join
 * per pair, which matters for small layers; what it costs is a third live
 * activation buffer, so outputs rotate through three buffers instead of
 * ping-ponging between two, and on large tensors that costs more cache
 * misses than the barrier saves (1.0/224, one thread, all pairs fused:
 * 11.4 instead of 11.1 ms).  Hence only pairs whose tensors are at most
 * CPU_FUSE_MAX_ELEMS (fits in L2 twice over) are fused, and only with two
 * or more threads; $MNET_CPU_FUSE=0/1 overrides the thread rule.
 */
/*
 * MobileNetV2's linear projection absorbs the residual ADD after it
 * (mnet_residual_fusable()): the GEMM adds the skip tensor in its epilogue,
 * while the tile is in registers, and writes the ADD's output, so the ADD
 * costs no pass over memory (mnet_backend_residual() says where).
 */
static void plan_residuals(struct mnet_cpu_state *st,
			   const struct mnet_model *m)
{
	int i;

	for (i = 0; i < m->n_layers; i++) {
		st->layers[i].residual = mnet_backend_residual(m, i,
							       st->perturb_layer);
		if (st->layers[i].residual >= 0)
			st->layers[i + 1].absorbed = 1;
	}
}

void mnet_cpu_plan_fusion(struct mnet_cpu_state *st,
			  const struct mnet_model *m)
{
	const char *env = getenv("MNET_CPU_FUSE");
	int i, j;

	plan_residuals(st, m);
	if (env && *env ? !strcmp(env, "0") : st->nthreads < 2)
		return;
	for (i = 0; i + 1 < m->n_layers; i++) {
		const struct mnet_layer *a = &m->layers[i], *b = &m->layers[i + 1];
		int t = a->out, other = 0, pair;

		/* dw -> pw split over pixels, or pw split over panels -> dw */
		pair = (a->op == MNET_OP_DWCONV2D && b->op == MNET_OP_PWCONV2D &&
			!st->layers[i + 1].split_panels) ||
		       (a->op == MNET_OP_PWCONV2D && b->op == MNET_OP_DWCONV2D &&
			st->layers[i].split_panels);
		/* a perturbed layer's output must exist (debug hook) */
		if (st->perturb_layer == i + 1)
			continue;
		if (!pair || b->in != t || mnet_model_is_output(m, t) ||
		    mnet_shape_elems(a->in_shape) > CPU_FUSE_MAX_ELEMS ||
		    mnet_shape_elems(a->out_shape) > CPU_FUSE_MAX_ELEMS ||
		    mnet_shape_elems(b->out_shape) > CPU_FUSE_MAX_ELEMS)
			continue;
		for (j = 0; j < m->n_layers; j++)
			if (j != i + 1 && (m->layers[j].in == t ||
					   m->layers[j].in2 == t))
				other = 1;
		if (!other) {
			st->layers[i].fuse_next = 1;
			i++;
		}
	}
}

/* ---- memory plan --------------------------------------------------------- */

/*
 * The CPU's rules for the shared liveness walk (runtime/session/mem_plan.c):
 * the input is copied into st->input, not an arena buffer; a reshape is a
 * copy; each output takes the first free buffer.  @st's fusion plan
 * extends lifetimes (a fused depthwise layer reads its input until its 1x1
 * conv is done), and a 1x1 conv that absorbs an ADD writes the ADD's
 * output: its own output tensor shares that buffer (unfused runs for
 * layer_output() write it there, and the ADD then adds in place).  NULL
 * plans without fusion.
 */
static int plan_build(const struct mnet_cpu_state *st,
		      const struct mnet_model *m, struct mnet_mem_plan *p)
{
	struct mnet_mem_plan_policy pol = {
		.input_apart = 1,
		.copy_reshapes = 1,
		.first_fit = 1,
	};
	unsigned char *absorbs = NULL, *keeps = NULL;
	int i, ret = -ENOMEM;

	if (st) {
		absorbs = calloc((size_t)m->n_layers, 1);
		keeps = calloc((size_t)m->n_layers, 1);
		if (!absorbs || !keeps)
			goto out_free;
		for (i = 0; i < m->n_layers; i++) {
			absorbs[i] = st->layers[i].residual >= 0;
			keeps[i] = st->layers[i].fuse_next != 0;
		}
		pol.absorbs = absorbs;
		pol.keeps_input = keeps;
	}
	ret = mnet_mem_plan_init_policy(m, &pol, p);
out_free:
	free(keeps);
	free(absorbs);
	return ret;
}

uint64_t mnet_cpu_plan_bytes(const struct mnet_model *m, int nthreads)
{
	struct mnet_mem_plan p;
	uint64_t bytes = 0;
	size_t largest = 0;
	int b;

	if (plan_build(NULL, m, &p))
		return 0;
	for (b = 0; b < p.n_bufs; b++) {
		bytes += mnet_cpu_aligned_bytes(p.buf_elems[b]);
		if (p.buf_elems[b] > largest)
			largest = p.buf_elems[b];
	}
	/* fusion (2+ threads) can keep one more tensor alive */
	if (nthreads > 1)
		bytes += mnet_cpu_aligned_bytes(largest);
	bytes += (uint64_t)p.n_bufs * sizeof(float *) +
		 (uint64_t)m->n_tensors * sizeof(int);
	mnet_mem_plan_fini(&p);
	return bytes;
}

int mnet_cpu_plan_memory(struct mnet_cpu_state *st,
			 const struct mnet_model *m)
{
	struct mnet_mem_plan p;
	int b, ret;

	ret = plan_build(st, m, &p);
	if (ret)
		return ret;
	/* the session keeps the tensor -> buffer map; the sizes go */
	st->tensor_buf = p.tensor_buf;
	p.tensor_buf = NULL;
	st->n_bufs = p.n_bufs;
	ret = -ENOMEM;
	st->bufs = calloc((size_t)st->n_bufs, sizeof(*st->bufs));
	if (!st->bufs)
		goto out_fini;
	for (b = 0; b < st->n_bufs; b++) {
		st->bufs[b] = mnet_cpu_alloc(p.buf_elems[b]);
		if (!st->bufs[b])
			goto out_fini;
	}
	st->input = mnet_cpu_alloc(mnet_shape_elems(m->tensors[m->input].shape));
	if (!st->input)
		goto out_fini;
	ret = 0;
out_fini:
	mnet_mem_plan_fini(&p);
	return ret;
}
