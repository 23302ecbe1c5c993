/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ir.h - the model IR's types and limits, shared by the loaders, the
 * builders, the op descriptors and every backend
 *
 * DOC: model IR
 *
 * A model is a list of layers in execution order over a list of tensors.
 * Every tensor is NHWC float with batch 1 (vectors are 1x1xC).  Bias and
 * activation are fused into the convolutions and the fully connected layer.
 * Weights are float, dequantized at load, in these layouts:
 *
 *   MNET_OP_CONV2D    [cout][kh][kw][cin]  (TFLite OHWI)
 *   MNET_OP_DWCONV2D  [kh][kw][c]          (TFLite 1HWC, depth multiplier 1)
 *   MNET_OP_PWCONV2D  [cout][cin]
 *   MNET_OP_FC        [cout][cin]
 *
 * Padding is stored explicitly as pad_top/pad_left; the bottom/right padding
 * is whatever makes the output shape come out, exactly as TFLite computes
 * SAME padding (total = max((out-1)*stride + k - in, 0), top = total/2).
 *
 * A model is immutable once built, with one exception: the weight arrays
 * (&struct mnet_layer.weights) may be freed, by mnet_model_release_weights()
 * once every session that still reads them is gone, or while a session
 * created with release_weights packs them (model_weights.c).
 * Everything else stays: shapes, names, n_weights, the (small) biases, so
 * counts, layer info and every session that packed its own copy keep
 * working.  Code that reads the weights outside session creation (which
 * holds them around the backend's init()) must hold them with
 * mnet_model_weights_get() while it does, as the tuner does.
 */
#ifndef MNET_RUNTIME_IR_H
#define MNET_RUNTIME_IR_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "mnet/mnet.h"

enum mnet_op {
	MNET_OP_CONV2D = 0,	/* full KxK convolution (the first 3x3/2 layer) */
	MNET_OP_DWCONV2D,	/* depthwise KxK, depth multiplier 1 */
	MNET_OP_PWCONV2D,	/* 1x1 stride 1 convolution */
	MNET_OP_AVGPOOL,	/* average pool (global when kernel == input) */
	MNET_OP_FC,		/* fully connected on a 1x1xC input */
	MNET_OP_SOFTMAX,	/* softmax over channels */
	MNET_OP_RESHAPE,	/* reshape / squeeze: a copy of the same values */
	MNET_OP_ADD,		/* elementwise in + in2 (MobileNetV2 residual) */
	MNET_OP_DWCONV2D_DIL,	/* depthwise KxK with dilation > 1 (DeepLab) */
	MNET_OP_RESIZE_BILINEAR, /* bilinear resize of H and W */
	MNET_OP_CONCAT,		/* in ++ in2 along channels */
	MNET_OP_ARGMAX,		/* index of the largest channel, per pixel */
	MNET_OP_MAXPOOL,	/* max pool (VGG16, Xception) */
	MNET_OP_ACT,		/* a standalone RELU / RELU6 (Xception) */
	MNET_OP_COUNT,
};

/**
 * enum mnet_qtype - how a tensor's values are stored in a quantized file
 * @MNET_QTYPE_NONE: float (no quantization)
 * @MNET_QTYPE_UINT8: uint8, real = scale * (q - zero_point)
 * @MNET_QTYPE_INT8: int8, real = scale * (q - zero_point)
 */
enum mnet_qtype {
	MNET_QTYPE_NONE = 0,
	MNET_QTYPE_UINT8,
	MNET_QTYPE_INT8,
};

/**
 * struct mnet_quant - per-tensor quantization of an activation tensor
 * @type: storage type; %MNET_QTYPE_NONE for float tensors
 * @scale: real = scale * (q - zero_point)
 * @zero_point: see @scale
 */
struct mnet_quant {
	enum mnet_qtype type;
	float scale;
	int32_t zero_point;
};

/**
 * struct mnet_layer_q - a quantized file's own integer parameters of a layer
 * @weights: the file's raw 8-bit weights, in the layout of &struct
 *           mnet_layer.weights (uint8 or int8 as @w_type says), or NULL
 * @w_type: %MNET_QTYPE_UINT8 or %MNET_QTYPE_INT8
 * @w_scale: weight scales: one (per tensor) or one per output channel
 * @n_w_scale: entries of @w_scale (1 or out_shape.c)
 * @w_zero_point: the weights' zero point (per tensor; 0 for per-channel
 *                int8, which TFLite requires symmetric)
 * @bias: the file's raw int32 bias (scale input_scale * w_scale), or NULL
 *
 * Only allocated for weighted layers of quantized files; float files keep
 * &struct mnet_layer.q NULL and pay nothing.
 */
struct mnet_layer_q {
	void *weights;
	enum mnet_qtype w_type;
	float *w_scale;
	int n_w_scale;
	int32_t w_zero_point;
	int32_t *bias;
};

enum mnet_act {
	MNET_ACT_NONE = 0,
	MNET_ACT_RELU,
	MNET_ACT_RELU6,
};

/**
 * struct mnet_layer - one operation of the IR
 * @op: the operation
 * @name: name from the file, or generated ("conv_1", "dw_3", ...)
 * @in: index of the input tensor
 * @in2: second input tensor for MNET_OP_ADD, else -1
 * @out: index of the output tensor
 * @in_shape: shape of @in (copied from the tensor for convenience)
 * @out_shape: shape of @out
 * @kh: kernel height (conv, dw, pool)
 * @kw: kernel width
 * @stride_h: vertical stride
 * @stride_w: horizontal stride
 * @pad_top: zero rows added above the input
 * @pad_left: zero columns added left of the input
 * @act: fused activation
 * @beta: softmax temperature (TFLite's beta), 1.0 by default
 * @weights: float weights in the layout of the DOC block, or NULL (none, or
 *           released by mnet_model_release_weights())
 * @n_weights: number of floats in @weights; kept when they are released
 * @bias: float bias per output channel, or NULL
 * @q: raw integer weights and bias of a quantized file, or NULL
 * @mean: 1 for an AVGPOOL imported from MEAN (its integer arithmetic
 *        differs from AVERAGE_POOL_2D's; the float one does not)
 * @dil_h: vertical dilation of MNET_OP_DWCONV2D_DIL (taps dil_h rows
 *         apart); 0 or 1 elsewhere
 * @dil_w: horizontal dilation, likewise
 * @align_corners: MNET_OP_RESIZE_BILINEAR: corner pixels of input and
 *                 output are aligned (scale (in - 1) / (out - 1))
 * @half_pixel: MNET_OP_RESIZE_BILINEAR: pixel centres at +0.5
 *              (TFLite's half_pixel_centers)
 *
 * A CONCATENATION of n inputs is imported as n - 1 two-input
 * MNET_OP_CONCAT layers (in, in2), so every layer keeps at most two
 * inputs and every backend's interface stays (in, in2, out).
 */
struct mnet_layer {
	enum mnet_op op;
	char name[64];
	int in, in2, out;
	struct mnet_shape in_shape, out_shape;
	int kh, kw;
	int stride_h, stride_w;
	int pad_top, pad_left;
	enum mnet_act act;
	float beta;
	float *weights;
	size_t n_weights;
	float *bias;
	struct mnet_layer_q *q;
	int mean;
	int dil_h, dil_w;
	int align_corners, half_pixel;
};

/**
 * struct mnet_tensor - an activation tensor
 * @shape: NHWC shape, batch 1
 * @name: name from the file, or generated
 * @q: quantization in a quantized file (type %MNET_QTYPE_NONE otherwise)
 */
struct mnet_tensor {
	struct mnet_shape shape;
	char name[64];
	struct mnet_quant q;
};

/**
 * struct mnet_input_quant - how 8-bit pixels map to the input tensor
 * @quantized: 1 if the file's input is uint8/int8 with scale/zero point
 * @scale: real = scale * (q - zero_point)
 * @zero_point: see @scale
 * @is_signed: 1 for int8 inputs (pixel - 128 is fed), 0 for uint8
 *
 * For float models @quantized is 0 and pixels map as x/127.5 - 1.
 */
struct mnet_input_quant {
	int quantized;
	float scale;
	int zero_point;
	int is_signed;
};

/* Outputs of a graph: the file's, and the device tensors a host op reads */
#define MNET_MAX_OUTPUTS 8
/* Inputs and outputs of one custom (host) operator */
#define MNET_CUSTOM_MAX_IO 8

/**
 * struct mnet_custom_layer - a custom operator that runs on the host
 * @run: its implementation's run(), from the registry (runtime/custom/
 *       custom_op.h: &struct mnet_custom_op_ops), copied here so that the
 *       IR needs nothing of the registry
 * @name: the operator's name in the file ("PosenetDecoderOp")
 * @op_index: its operator index in the file, for messages
 * @in: the IR tensors it reads (device outputs: &struct mnet_model.outputs)
 * @n_in: entries of @in
 * @out_shape: shape of each output, as the op's shapes() computed them
 * @out_name: the file's name of each output tensor
 * @n_out: number of outputs
 * @state: the options the op parsed from the file (its own type)
 * @free_state: releases @state (the op's free(), copied likewise)
 * @scratch: bytes of scratch a run needs, which each session allocates
 *
 * Custom layers run after every device layer, in file order, on the
 * session's host buffers (runtime/custom/custom_run.c).
 */
struct mnet_custom_layer {
	int (*run)(const void *state, const float *const *in,
		   const struct mnet_shape *in_shape, float *const *out,
		   void *scratch);
	size_t scratch;
	char name[64];
	int op_index;
	int in[MNET_CUSTOM_MAX_IO];
	int n_in;
	struct mnet_shape out_shape[MNET_CUSTOM_MAX_IO];
	char out_name[MNET_CUSTOM_MAX_IO][64];
	int n_out;
	void *state;
	void (*free_state)(void *state);
};

/**
 * struct mnet_model_output - one output of the file, as the API lists it
 * @tensor: the IR tensor it is, or -1 for a custom layer's output
 * @custom: the custom layer (index into &struct mnet_model.custom), or -1
 * @custom_out: which output of that layer
 * @type: the file's storage type
 * @q: its quantization in the file (type %MNET_QTYPE_NONE for float)
 */
struct mnet_model_output {
	int tensor;
	int custom, custom_out;
	enum mnet_dtype type;
	struct mnet_quant q;
};

/* &struct mnet_model.weight_users once the weights are gone */
#define MNET_WEIGHTS_RELEASED INT32_MIN
/* ... while one session creation owns them to free them (release_weights) */
#define MNET_WEIGHTS_TAKEN (INT32_MIN + 1)

/**
 * struct mnet_model - a loaded or built network (immutable once built,
 * but for releasing its weights: see the DOC block)
 * @name: file base name or "synthetic-v1-ALPHA-RES"
 * @layers: layers in execution order
 * @n_layers: number of layers
 * @tensors: activation tensors (the model input is one of them)
 * @n_tensors: number of tensors
 * @input: index of the input tensor
 * @output: index of the output tensor
 * @input_quant: pixel mapping for the input
 * @output_kind: what the output holds
 * @output_q: quantization of the file's output tensor (what TFLite hands
 *            out: after a QUANTIZE/DEQUANTIZE at the graph's edge it may
 *            differ from the IR output tensor's &struct mnet_tensor.q)
 * @input_q: quantization of the file's input tensor, likewise
 * @output_type: the file's storage type of its output tensor (float for
 *               the synthetic models; int64 for DeepLab's class map)
 * @int8_block: why the model cannot run in integer arithmetic (empty when
 *              it can, or when the file is not quantized)
 * @weight_users: holders of the weights (sessions being created, sessions
 *                that read them after creation, tuning runs), or
 *                %MNET_WEIGHTS_TAKEN, or %MNET_WEIGHTS_RELEASED; see
 *                model_weights.c
 * @weight_pins: of those, the live sessions that read them after creation,
 *               by &enum mnet_backend_kind (for the -EBUSY message)
 * @outputs: the IR tensors every backend delivers after a run;
 *           outputs[0] is @output, the others stay live to the end of the
 *           run (mem_plan.c) and are read with mnet_backend_read_output()
 * @n_outputs: entries of @outputs (1 for a one-output graph)
 * @custom: the custom layers that run on the host after the device
 *          layers, or NULL
 * @n_custom: entries of @custom
 * @file_out: the file's outputs in its order (the public output API's);
 *            empty (@n_file_out 0) for a model whose one output is
 *            @output, described by @output_type and @output_q
 * @n_file_out: entries of @file_out
 *
 * The two counters are the only fields that change after the model is
 * built; they are atomic, so functions that take a const model may update
 * them (the model is always a heap object from mnet_model_alloc()).
 */
struct mnet_model {
	char name[256];
	struct mnet_layer *layers;
	int n_layers;
	struct mnet_tensor *tensors;
	int n_tensors;
	int input, output;
	struct mnet_input_quant input_quant;
	enum mnet_output_kind output_kind;
	struct mnet_quant output_q, input_q;
	enum mnet_dtype output_type;
	char int8_block[160];
	atomic_int weight_users;
	atomic_int weight_pins[MNET_BACKEND_OPENCL + 1];
	int outputs[MNET_MAX_OUTPUTS];
	int n_outputs;
	struct mnet_custom_layer *custom;
	int n_custom;
	struct mnet_model_output file_out[MNET_MAX_OUTPUTS];
	int n_file_out;
};

/* Hard limits enforced on every model, loaded or built (hostile files). */
#define MNET_MAX_LAYERS 1024
#define MNET_MAX_TENSORS 4096
#define MNET_MAX_DIM 65536		/* any single H, W or C (VGG16 flattens to 25088) */
#define MNET_MAX_TENSOR_ELEMS (64u << 20) /* 256 MiB of floats */
#define MNET_MAX_WEIGHTS (256u << 20)	/* floats in one layer's weights */
/*
 * All activation tensors together: 1 GiB of floats.  Each tensor may be
 * legal and a small file (reshapes carry no weights) still declare
 * terabytes; a 1024x1024 MobileNet V1 1.0 needs about 100 M.
 */
#define MNET_MAX_TOTAL_ELEMS ((uint64_t)256 << 20)

/**
 * mnet_shape_elems() - number of elements of a shape
 * @s: shape
 *
 * Return: h*w*c as size_t (callers validated each dimension).
 */
static inline size_t mnet_shape_elems(struct mnet_shape s)
{
	return (size_t)s.h * (size_t)s.w * (size_t)s.c;
}

/**
 * mnet_model_n_outputs() - number of device outputs of a model
 * @m: model
 *
 * Return: &struct mnet_model.n_outputs, or 1 for a model built without
 * the list (the synthetic builders set only @output).
 */
static inline int mnet_model_n_outputs(const struct mnet_model *m)
{
	return m->n_outputs > 0 ? m->n_outputs : 1;
}

/**
 * mnet_model_device_output() - the IR tensor of device output @k
 * @m: model
 * @k: 0 .. mnet_model_n_outputs() - 1
 *
 * Return: the tensor index (&struct mnet_model.output for @k 0).
 */
static inline int mnet_model_device_output(const struct mnet_model *m, int k)
{
	return k == 0 ? m->output : m->outputs[k];
}

/**
 * mnet_model_is_output() - whether tensor @t is a device output
 * @m: model
 * @t: tensor index
 *
 * Return: 1 or 0.  Backends keep such a tensor to the end of a run.
 */
static inline int mnet_model_is_output(const struct mnet_model *m, int t)
{
	int k;

	for (k = 0; k < mnet_model_n_outputs(m); k++)
		if (mnet_model_device_output(m, k) == t)
			return 1;
	return 0;
}

#endif /* MNET_RUNTIME_IR_H */
