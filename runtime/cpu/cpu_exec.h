/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_exec.h - the CPU backend's run time: one function per op
 *
 * Each has the signature of &struct mnet_cpu_op.run (cpu_ops.h): @st is
 * the state (st->cur_res set by the caller), @cl the layer, @in its input
 * tensor, @out the buffer the memory plan gave its output (or, for a
 * fused pair, the second layer's output), @how MNET_CPU_RUN_* flags.
 */
#ifndef MNET_RUNTIME_CPU_EXEC_H
#define MNET_RUNTIME_CPU_EXEC_H

#include "cpu/cpu_state.h"

/**
 * mnet_cpu_run_conv() - run a full KxK convolution (a GEMM over windows)
 * @st: state
 * @cl: layer
 * @in: input
 * @out: output
 * @how: MNET_CPU_RUN_* flags
 */
void mnet_cpu_run_conv(struct mnet_cpu_state *st,
		       const struct mnet_cpu_layer *cl, const float *in,
		       float *out, unsigned int how);

/**
 * mnet_cpu_run_pwconv() - run a 1x1 convolution (a GEMM); with
 * MNET_CPU_RUN_PAIR, it and the depthwise layer after it as one job
 * @st: state
 * @cl: layer
 * @in: input
 * @out: output
 * @how: MNET_CPU_RUN_* flags
 */
void mnet_cpu_run_pwconv(struct mnet_cpu_state *st,
			 const struct mnet_cpu_layer *cl, const float *in,
			 float *out, unsigned int how);

/**
 * mnet_cpu_run_fc() - run the fully connected layer (a one-row GEMM)
 * @st: state
 * @cl: layer
 * @in: input
 * @out: output
 * @how: MNET_CPU_RUN_* flags
 */
void mnet_cpu_run_fc(struct mnet_cpu_state *st,
		     const struct mnet_cpu_layer *cl, const float *in,
		     float *out, unsigned int how);

/**
 * mnet_cpu_run_dwconv() - run a depthwise convolution; with
 * MNET_CPU_RUN_PAIR, it and the 1x1 conv after it as one job
 * @st: state
 * @cl: layer
 * @in: input
 * @out: output
 * @how: MNET_CPU_RUN_* flags
 */
void mnet_cpu_run_dwconv(struct mnet_cpu_state *st,
			 const struct mnet_cpu_layer *cl, const float *in,
			 float *out, unsigned int how);

/**
 * mnet_cpu_run_avgpool() - run average pooling (the reference loop)
 * @st: state
 * @cl: layer
 * @in: input
 * @out: output
 * @how: MNET_CPU_RUN_* flags
 */
void mnet_cpu_run_avgpool(struct mnet_cpu_state *st,
			  const struct mnet_cpu_layer *cl, const float *in,
			  float *out, unsigned int how);

/**
 * mnet_cpu_run_maxpool() - run max pooling (the reference loop)
 * @st: state
 * @cl: layer
 * @in: input
 * @out: output
 * @how: MNET_CPU_RUN_* flags
 */
void mnet_cpu_run_maxpool(struct mnet_cpu_state *st,
			  const struct mnet_cpu_layer *cl, const float *in,
			  float *out, unsigned int how);

/**
 * mnet_cpu_run_act() - run a RELU / RELU6 layer (the reference loop)
 * @st: state
 * @cl: layer
 * @in: input
 * @out: output
 * @how: MNET_CPU_RUN_* flags
 */
void mnet_cpu_run_act(struct mnet_cpu_state *st,
		      const struct mnet_cpu_layer *cl, const float *in,
		      float *out, unsigned int how);

/**
 * mnet_cpu_run_softmax() - run softmax (the reference loop)
 * @st: state
 * @cl: layer
 * @in: input
 * @out: output
 * @how: MNET_CPU_RUN_* flags
 */
void mnet_cpu_run_softmax(struct mnet_cpu_state *st,
			  const struct mnet_cpu_layer *cl, const float *in,
			  float *out, unsigned int how);

/**
 * mnet_cpu_run_reshape() - run a reshape: a copy into the output buffer
 * @st: state
 * @cl: layer
 * @in: input
 * @out: output
 * @how: MNET_CPU_RUN_* flags
 */
void mnet_cpu_run_reshape(struct mnet_cpu_state *st,
			  const struct mnet_cpu_layer *cl, const float *in,
			  float *out, unsigned int how);

/**
 * mnet_cpu_run_add() - run an elementwise ADD of l->in and l->in2
 * @st: state
 * @cl: layer
 * @in: input
 * @out: output
 * @how: MNET_CPU_RUN_* flags
 */
void mnet_cpu_run_add(struct mnet_cpu_state *st,
		      const struct mnet_cpu_layer *cl, const float *in,
		      float *out, unsigned int how);

/**
 * mnet_cpu_copy_input() - copy the model input into st->input on the pool
 * @st: state
 * @input: the caller's input
 * @n: floats
 */
void mnet_cpu_copy_input(struct mnet_cpu_state *st, const float *input,
			 size_t n);

#endif /* MNET_RUNTIME_CPU_EXEC_H */
