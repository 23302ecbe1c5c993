/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_q8_layer.h - the state of an OpenCL int8 session and its layers, and
 * what the int8 mode (cl_q8.c) and its tuner (runtime/tune/tuner_q8.c)
 * share: a layer's launch and its tuning key
 */
#ifndef MNET_RUNTIME_CL_Q8_LAYER_H
#define MNET_RUNTIME_CL_Q8_LAYER_H

#include <stdint.h>

#include <CL/cl.h>

#include "session/backend.h"
#include "cl/cl_device.h"
#include "cl/cl_program.h"
#include "reference/ref_q_layer.h"

#define MNET_CL_Q8_MAX_PROGS 4

/**
 * struct mnet_cl_q8_layer - one layer of an int8 session
 * @ql: its integer parameters (the reference's preparation)
 * @kernel: its device kernel, or NULL (host fallback or copy)
 * @w: raw 8-bit weights on the device
 * @bias: int32 bias (one zero when the layer has none)
 * @mult: per-channel Q31 multipliers
 * @shift: per-channel shifts
 * @prm: the parameter block of the kernel
 * @file: its kernel file ("q8_conv.cl")
 * @kname: its kernel name
 * @dims: NDRange dimensions
 * @global: global size before padding to @local
 * @local: work-group size; local[0] == 0: the driver's choice
 * @tuned: @local came from the tuning database
 * @on_host: computed on the host by the reference kernels
 * @copy: a device copy of its input (reshape)
 */
struct mnet_cl_q8_layer {
	struct mnet_ref_q_layer ql;
	cl_kernel kernel;
	cl_mem w, bias, mult, shift, prm;
	const char *file;
	const char *kname;
	unsigned int dims;
	size_t global[3];
	size_t local[3];
	int tuned;
	int on_host;
	int copy;
};

/**
 * struct mnet_cl_q8_state - an int8 session on an OpenCL device
 * @dev: the device
 * @ctx: context
 * @q: in-order queue
 * @progs: the programs built, one per kernel file
 * @prog_file: their files
 * @n_progs: their number
 * @stats: build statistics
 * @t: one 8-bit device buffer per model tensor
 * @n_tensors: their number
 * @layers: one per model layer
 * @n_layers: their number
 * @edge: scratch of the edge conversions (mnet_ref_q_edge_elems())
 * @h: host fallback and staging buffers: input, second input, output
 * @max_elems: the largest tensor (the size of each @h)
 * @cache_dir: program cache folder
 * @use_cache: @cache_dir is usable
 * @su: start-up costs
 */
struct mnet_cl_q8_state {
	struct mnet_cl_device dev;
	cl_context ctx;
	cl_command_queue q;
	cl_program progs[MNET_CL_Q8_MAX_PROGS];
	const char *prog_file[MNET_CL_Q8_MAX_PROGS];
	int n_progs;
	struct mnet_cl_build_stats stats;
	cl_mem *t;
	int n_tensors;
	struct mnet_cl_q8_layer *layers;
	int n_layers;
	uint8_t *edge;
	uint8_t *h[3];
	size_t max_elems;
	char cache_dir[4096];
	int use_cache;
	struct mnet_startup su;
};

/**
 * mnet_cl_q8_layer_key() - the tuning database's layer key of a device layer
 * @m: model
 * @i: layer index
 * @L: the layer, set up on the device
 * @buf: receives "file:source hash|kernel and shape|int8"
 * @len: size of @buf
 *
 * The precision ends the key, as for the float kernels (cl_tune.c), so an
 * int8 entry never configures a float layer and the reverse.
 *
 * Return: 0, -ENOENT (source missing), -ENOMEM.
 */
int mnet_cl_q8_layer_key(const struct mnet_model *m, int i,
			 const struct mnet_cl_q8_layer *L, char *buf,
			 size_t len);

/**
 * mnet_cl_q8_enqueue() - enqueue one device layer's kernel
 * @st: state
 * @L: a layer with a kernel
 * @local: work-group size, or local[0] == 0 for the driver's choice
 *
 * The global size is padded up to @local (the kernels guard their ends).
 *
 * Return: 0, or the OpenCL status.
 */
cl_int mnet_cl_q8_enqueue(struct mnet_cl_q8_state *st,
			  const struct mnet_cl_q8_layer *L,
			  const size_t *local);

/**
 * mnet_cl_q8_tuning() - work-group sizes from the tuning database
 * @be: an int8 session (be->priv set up, every layer initialised)
 *
 * Entries keyed with precision int8 (mnet_cl_q8_layer_key()) set a
 * layer's &struct mnet_cl_q8_layer.local and .tuned; a missing or
 * unreadable database leaves the driver's choice everywhere.
 */
void mnet_cl_q8_tuning(struct mnet_backend *be);

#endif /* MNET_RUNTIME_CL_Q8_LAYER_H */
