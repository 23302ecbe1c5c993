/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_state.h - the CPU backend's private types and macros (no .c file)
 *
 * DOC: CPU backend files
 *
 * The arrows point one way: backend_cpu.c (the backend: ops table, init,
 * run) -> cpu_ops.c (one table of what each IR op does here) -> cpu_pack.c
 * (weight packing and the packed sizes) and cpu_exec.c (layers as jobs on
 * the thread pool); backend_cpu.c -> cpu_plan.c (fusion, memory plan).
 * All of them share only the types below.
 */
#ifndef MNET_RUNTIME_CPU_STATE_H
#define MNET_RUNTIME_CPU_STATE_H

#include <stdlib.h>

#include "session/backend.h"
#include "dispatch/cpu_kernel_types.h"
#include "threads/threadpool.h"

#define CPU_ALIGN 64
#define CPU_MAX_THREADS MNET_MAX_THREADS	/* the public maximum (mnet.h) */
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
 * @cur_task: what each thread of the pool runs for it (cpu_exec.c)
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
	void (*cur_task)(struct mnet_cpu_state *st, int tid, int n);
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

#define MNET_CPU_RUN_PAIR 1u	 /* with the next layer as one job */
#define MNET_CPU_RUN_RESIDUAL 2u /* the 1x1 conv adds its residual */

#endif /* MNET_RUNTIME_CPU_STATE_H */
