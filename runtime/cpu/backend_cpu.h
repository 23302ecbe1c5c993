/* SPDX-License-Identifier: Apache-2.0 */
/*
 * backend_cpu.h - state shared by the CPU backend's files (private)
 *
 * runtime/cpu/backend_cpu.c is the backend (ops table, init, run),
 * runtime/cpu/cpu_plan.c packs weights and plans fusion and memory,
 * runtime/cpu/cpu_exec.c runs layers on the thread pool.
 */
#ifndef MNET_RUNTIME_BACKEND_CPU_H
#define MNET_RUNTIME_BACKEND_CPU_H

#include <stdlib.h>

#include "session/backend.h"
#include "dispatch/cpu_kernels.h"
#include "threads/threadpool.h"

#define CPU_ALIGN 64
#define CPU_MAX_THREADS 256
#define CPU_FUSE_MAX_ELEMS (128u * 1024u)	/* 512 KiB of floats */

/**
 * struct mnet_cpu_layer - a layer as the CPU backend runs it
 * @l: the IR layer
 * @w: packed weights (GEMM panels or depthwise), owned
 * @bias: padded bias, owned
 * @k: GEMM reduction length
 * @npanels: GEMM panels
 * @cpad: depthwise padded channels
 * @lo: lower clamp of the fused activation
 * @hi: upper clamp
 * @split_panels: GEMM threads split panels, not rows
 * @fuse_next: runs in one job with the next layer
 * @residual: a 1x1 conv that absorbs the ADD after it: the tensor its
 *            epilogue adds (mnet_residual_fusable()); else -1
 * @absorbed: an ADD the layer before computes
 */
struct mnet_cpu_layer {
	const struct mnet_layer *l;
	float *w;		/* packed weights (GEMM panels or depthwise) */
	float *bias;		/* padded bias */
	int k;			/* GEMM reduction length */
	int npanels;		/* GEMM panels */
	int cpad;		/* depthwise padded channels */
	float lo, hi;		/* activation clamp */
	int split_panels;	/* GEMM threads split panels, not rows */
	int fuse_next;		/* runs in one job with the next layer */
	int residual;		/* tensor added in the epilogue, or -1 */
	int absorbed;		/* an ADD done by the layer before */
};

/**
 * struct mnet_cpu_state - a CPU session (be->priv)
 * @kern: the kernel table in use
 * @tp: the session's thread pool
 * @nthreads: threads (and shares per job)
 * @layers: per-layer packed state
 * @n_layers: layer count
 * @bufs: the activation arena
 * @n_bufs: arena buffers
 * @tensor_buf: tensor -> arena buffer, -1 for the model input
 * @input: copy of the last input (what layer_output() recomputes from)
 * @scratch: per-share im2col / border-tile scratch
 * @cur: the layer being run (read by the pool's tasks)
 * @cur_in: its input
 * @cur_out: its output
 * @cur_res: the residual its 1x1 conv adds, or NULL
 * @cur_n: floats to copy (input copy task)
 */
struct mnet_cpu_state {
	const struct mnet_cpu_kernels *kern;
	struct mnet_threadpool *tp;
	int nthreads;
	struct mnet_cpu_layer *layers;
	int n_layers;
	float **bufs;		/* the activation arena */
	int n_bufs;
	int *tensor_buf;	/* tensor -> arena buffer, -1 for the input */
	float *input;		/* copy of the last input */
	float **scratch;	/* per-thread im2col blocks */
	/* the layer being run, for the pool's tasks */
	const struct mnet_cpu_layer *cur;
	const float *cur_in;
	float *cur_out;
	const float *cur_res;
	size_t cur_n;		/* floats to copy (task_copy) */
	int perturb_layer;	/* debug only: 1 + layer, 0 none (backend.h) */
	double pack_ms;		/* weight packing at init */
};

/**
 * mnet_cpu_aligned_bytes() - bytes mnet_cpu_alloc() takes for @n_floats
 * @n_floats: count
 *
 * Return: the size rounded up to the alignment (at least one block).
 */
static inline uint64_t mnet_cpu_aligned_bytes(uint64_t n_floats)
{
	uint64_t b = n_floats * sizeof(float);

	return b ? (b + CPU_ALIGN - 1) / CPU_ALIGN * CPU_ALIGN : CPU_ALIGN;
}

/**
 * mnet_cpu_plan_bytes() - what mnet_cpu_plan_memory() allocates, at most
 * @m: validated model
 * @nthreads: the session's threads (fusion needs 2 or more)
 *
 * Return: bytes of activation buffers and their tables (0 on -ENOMEM).
 */
uint64_t mnet_cpu_plan_bytes(const struct mnet_model *m, int nthreads);

/**
 * mnet_cpu_alloc() - 64-byte aligned floats (for whole-vector loads)
 * @n_floats: count
 *
 * Return: memory to free(), or NULL.
 */
static inline void *mnet_cpu_alloc(size_t n_floats)
{
	size_t bytes = n_floats * sizeof(float);

	bytes = (bytes + CPU_ALIGN - 1) / CPU_ALIGN * CPU_ALIGN;
	return aligned_alloc(CPU_ALIGN, bytes ? bytes : CPU_ALIGN);
}

/**
 * mnet_cpu_tensor() - where a tensor lives during a run
 * @st: state
 * @t: tensor index
 *
 * Return: its arena buffer, or the input copy for the model input.
 */
static inline float *mnet_cpu_tensor(const struct mnet_cpu_state *st, int t)
{
	return st->tensor_buf[t] < 0 ? st->input : st->bufs[st->tensor_buf[t]];
}

/**
 * mnet_cpu_pack_layer() - pack one layer's weights for st->kern
 * @st: state (kernel table and thread count chosen)
 * @cl: layer, @cl->l set
 *
 * Return: 0, -ENOMEM, or -EOPNOTSUPP for an op without a CPU kernel.
 */
int mnet_cpu_pack_layer(struct mnet_cpu_state *st, struct mnet_cpu_layer *cl);

/**
 * mnet_cpu_plan_fusion() - choose the neighbours that run as one job
 * @st: state, every layer packed
 * @m: model
 */
void mnet_cpu_plan_fusion(struct mnet_cpu_state *st,
			  const struct mnet_model *m);

/**
 * mnet_cpu_plan_memory() - assign tensors to arena buffers, allocate them
 * @st: state, fusion planned
 * @m: model
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_cpu_plan_memory(struct mnet_cpu_state *st,
			 const struct mnet_model *m);

#define MNET_CPU_RUN_PAIR 1u	 /* with the next layer as one job */
#define MNET_CPU_RUN_RESIDUAL 2u /* the 1x1 conv adds its residual */

/**
 * mnet_cpu_run_layer() - run one layer (or a fused pair) on the pool
 * @st: state
 * @cl: layer
 * @how: MNET_CPU_RUN_PAIR: run @cl with the next layer as one job
 *       (@cl->fuse_next planned); MNET_CPU_RUN_RESIDUAL: a 1x1 conv with a
 *       residual (@residual >= 0) adds it, doing the absorbed ADD's work;
 *       without it the conv writes its own output, and the ADD must run
 */
void mnet_cpu_run_layer(struct mnet_cpu_state *st, struct mnet_cpu_layer *cl,
			unsigned int how);

/**
 * mnet_cpu_copy_input() - copy the model input into st->input on the pool
 * @st: state
 * @input: the caller's input
 * @n: floats
 */
void mnet_cpu_copy_input(struct mnet_cpu_state *st, const float *input,
			 size_t n);

#endif /* MNET_RUNTIME_BACKEND_CPU_H */
