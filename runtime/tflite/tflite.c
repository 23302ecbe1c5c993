// SPDX-License-Identifier: Apache-2.0
/*
 * tflite.c - load a .tflite MobileNet into the float model IR
 *
 * DOC: TFLite loader
 *
 * The loader works in two passes over the file.  The first pass
 * (parse_model) walks every table it will need - the subgraph, every tensor
 * and every operator - through the bounds-checked reader of flatbuf.c and
 * records them in small arrays, refusing anything malformed or absurd before
 * a single weight is touched.  Counts read from the file are capped (the
 * TFL_MAX_* limits and those of model.h) before they size an allocation.
 * The second pass (build_*) maps each operator to an IR layer:
 *
 *   CONV_2D            MNET_OP_PWCONV2D if 1x1 stride 1, else MNET_OP_CONV2D
 *   DEPTHWISE_CONV_2D  MNET_OP_DWCONV2D (depth multiplier 1)
 *   AVERAGE_POOL_2D    MNET_OP_AVGPOOL
 *   MEAN over H,W      MNET_OP_AVGPOOL with the whole input as its window
 *   FULLY_CONNECTED    MNET_OP_FC
 *   SOFTMAX            MNET_OP_SOFTMAX
 *   RESHAPE, SQUEEZE   MNET_OP_RESHAPE
 *   ADD                MNET_OP_ADD
 *   QUANTIZE,          no layer: the output tensor becomes an alias of the
 *   DEQUANTIZE         input tensor
 *
 * Why aliases for QUANTIZE/DEQUANTIZE: in a float IR they are the identity
 * (both sides denote the same real values, only the 8-bit encoding
 * changes), so a copy layer would cost a pass over memory on every backend
 * and show up in every per-layer report for nothing.  The model input keeps
 * the quantization of the file's input tensor, which is what the pixels are
 * fed as.  A DEQUANTIZE of a constant (float16 weights stored as fp16 +
 * DEQUANTIZE by the converter) makes its output a constant alias instead,
 * so the convolution that reads it finds the fp16 data.
 *
 * Weights are dequantized once, here: real = scale * (q - zero_point), per
 * tensor or per channel along the tensor's quantized_dimension; float16 is
 * widened; int32 biases use their own scale.  Activation tensors of a
 * quantized graph only lend their shapes.  The finished model goes through
 * mnet_model_validate(), so the backends never see anything this file did
 * not check.
 *
 * The output kind is probabilities when the output comes from SOFTMAX
 * (through any RESHAPE), logits when it comes from a classifier (FC, or a
 * convolution with a 1x1 output) without one, and an embedding otherwise
 * (the V1 extractor ends at its average pool).  Layer and tensor names are
 * the first ';'-separated part of the output tensor's name, which the
 * converter fills with every fused op's name.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tflite/flatbuf.h"
#include "model/model.h"
#include "tflite/tflite.h"

struct tfl_tensor {
	int rank;
	int32_t dims[4];
	uint8_t type;
	int dynamic;
	int sparse;
	const uint8_t *data;	/* constant contents, or NULL */
	uint64_t bytes;
	const char *name;
	uint32_t name_len;
	int has_quant;
	struct mnet_fb_table quant;
};

struct tfl_op {
	int32_t code;
	struct mnet_fb_vec inputs, outputs;
	uint8_t opt_type;
	int has_opts;
	struct mnet_fb_table opts;
};

struct tfl_ctx {
	const char *file;
	struct mnet_err *err;
	struct mnet_fb fb;
	struct mnet_fb_vec opcodes, buffers;
	struct tfl_tensor *t;
	uint32_t n_t;
	struct tfl_op *ops;
	uint32_t n_ops;
	int *map;		/* TFLite tensor -> IR tensor, or -1 */
	int *src;		/* TFLite tensor -> tensor holding its data */
	uint32_t input, output;
	struct mnet_model *m;
	int n_layers, n_tensors;
	char label[96];		/* scratch for one message */
};

static int tfl_err(struct tfl_ctx *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int tfl_err(struct tfl_ctx *c, int code, const char *fmt, ...)
{
	char msg[MNET_ERR_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mnet_err_set(c->err, code, "%s: %s", c->file, msg);
}

static const char *op_name(int32_t code, char *buf, size_t len)
{
	const char *n = mnet_tflite_op_name(code);

	if (n)
		return n;
	snprintf(buf, len, "BUILTIN_%d", (int)code);
	return buf;
}

static int op_err(struct tfl_ctx *c, uint32_t i, int code, const char *fmt,
		  ...) __attribute__((format(printf, 4, 5)));

static int op_err(struct tfl_ctx *c, uint32_t i, int code, const char *fmt,
		  ...)
{
	char msg[MNET_ERR_MSG_LEN], nb[24];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mnet_err_set(c->err, code, "%s: op %u %s: %s", c->file, i,
			    op_name(c->ops[i].code, nb, sizeof(nb)), msg);
}

static int fb_err(struct tfl_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A reader failure while reading the object that @fmt names. */
static int fb_err(struct tfl_ctx *c, const char *fmt, ...)
{
	char what[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return tfl_err(c, -EINVAL, "malformed flatbuffer: %s: %s (byte %llu)",
		       what, c->fb.why ? c->fb.why : "bad data",
		       (unsigned long long)c->fb.at);
}

/* "tensor 12 'name'" for messages; valid until the next call. */
static const char *label(struct tfl_ctx *c, uint32_t ti)
{
	const struct tfl_tensor *t = &c->t[ti];
	int n = t->name_len > 60 ? 60 : (int)t->name_len;

	snprintf(c->label, sizeof(c->label), "tensor %u '%.*s'", ti, n,
		 t->name ? t->name : "");
	return c->label;
}

static const char *type_name(uint8_t type)
{
	switch (type) {
	case TFL_FLOAT32:
		return "float32";
	case TFL_FLOAT16:
		return "float16";
	case TFL_INT32:
		return "int32";
	case TFL_UINT8:
		return "uint8";
	case TFL_INT64:
		return "int64";
	case TFL_INT16:
		return "int16";
	case TFL_INT8:
		return "int8";
	default:
		return "unsupported type";
	}
}

static unsigned int type_size(uint8_t type)
{
	switch (type) {
	case TFL_FLOAT32:
	case TFL_INT32:
		return 4;
	case TFL_FLOAT16:
	case TFL_INT16:
		return 2;
	case TFL_UINT8:
	case TFL_INT8:
		return 1;
	case TFL_INT64:
		return 8;
	default:
		return 0;
	}
}

/* ---- pass 1: parse and check every table we will use --------------------- */

static int parse_buffer(struct tfl_ctx *c, uint32_t ti, uint32_t bi)
{
	struct tfl_tensor *t = &c->t[ti];
	struct mnet_fb_table b;
	struct mnet_fb_vec data;
	uint64_t off, size;

	if (bi == 0)	/* buffer 0 is the empty sentinel by convention */
		return 0;
	if (bi >= c->buffers.n)
		return tfl_err(c, -EINVAL, "%s: buffer index %u out of range (%u buffers)",
			       label(c, ti), bi, c->buffers.n);
	if (mnet_fb_vec_table(&c->buffers, bi, &b) ||
	    mnet_fb_vector(&b, TFL_BUF_DATA, 1, &data) ||
	    mnet_fb_u64(&b, TFL_BUF_OFFSET, 0, &off) ||
	    mnet_fb_u64(&b, TFL_BUF_SIZE, 0, &size))
		return fb_err(c, "buffer %u of %s", bi, label(c, ti));
	if (data.n) {
		t->data = mnet_fb_vec_data(&data);
		t->bytes = data.n;
	} else if (off > 1) {
		/* >2 GB files keep data after the flatbuffer, file-relative */
		if (off > c->fb.len || size > c->fb.len - off)
			return tfl_err(c, -EINVAL, "%s: buffer %u (offset %llu, size %llu) lies outside the file",
				       label(c, ti), bi,
				       (unsigned long long)off,
				       (unsigned long long)size);
		t->data = size ? c->fb.buf + off : NULL;
		t->bytes = size;
	}
	return 0;
}

static int parse_tensor(struct tfl_ctx *c, struct mnet_fb_vec *tensors,
			uint32_t ti)
{
	struct tfl_tensor *t = &c->t[ti];
	struct mnet_fb_table tt, sp;
	struct mnet_fb_vec shape, sig;
	uint32_t bi, k;
	int has_sparse;

	if (mnet_fb_vec_table(tensors, ti, &tt) ||
	    mnet_fb_string(&tt, TFL_T_NAME, &t->name, &t->name_len) ||
	    mnet_fb_vector(&tt, TFL_T_SHAPE, 4, &shape) ||
	    mnet_fb_u8(&tt, TFL_T_TYPE, TFL_FLOAT32, &t->type) ||
	    mnet_fb_u32(&tt, TFL_T_BUFFER, 0, &bi) ||
	    mnet_fb_table(&tt, TFL_T_QUANTIZATION, &t->quant, &t->has_quant) ||
	    mnet_fb_table(&tt, TFL_T_SPARSITY, &sp, &has_sparse) ||
	    mnet_fb_vector(&tt, TFL_T_SHAPE_SIGNATURE, 4, &sig))
		return fb_err(c, "tensor %u", ti);
	t->sparse = has_sparse;
	t->rank = shape.n > 4 ? 5 : (int)shape.n;	/* 5: "more than 4" */
	for (k = 0; k < shape.n && k < 4; k++)
		t->dims[k] = mnet_fb_vec_i32(&shape, k);
	/* a -1 in the signature is a dynamic dimension; batch may be dynamic */
	for (k = 1; k < sig.n; k++)
		if (mnet_fb_vec_i32(&sig, k) < 0)
			t->dynamic = 1;
	return parse_buffer(c, ti, bi);
}

static int parse_op(struct tfl_ctx *c, struct mnet_fb_vec *operators,
		    uint32_t i)
{
	struct tfl_op *op = &c->ops[i];
	struct mnet_fb_table ot, oc;
	const char *custom;
	uint32_t idx, k, custom_len;
	int8_t dep;
	int32_t code;

	if (mnet_fb_vec_table(operators, i, &ot) ||
	    mnet_fb_u32(&ot, TFL_OP_OPCODE_INDEX, 0, &idx) ||
	    mnet_fb_vector(&ot, TFL_OP_INPUTS, 4, &op->inputs) ||
	    mnet_fb_vector(&ot, TFL_OP_OUTPUTS, 4, &op->outputs) ||
	    mnet_fb_u8(&ot, TFL_OP_OPTIONS_TYPE, TFL_OPT_NONE, &op->opt_type) ||
	    mnet_fb_table(&ot, TFL_OP_OPTIONS, &op->opts, &op->has_opts))
		return fb_err(c, "op %u", i);
	if (idx >= c->opcodes.n)
		return tfl_err(c, -EINVAL, "op %u: opcode index %u out of range (%u operator codes)",
			       i, idx, c->opcodes.n);
	if (mnet_fb_vec_table(&c->opcodes, idx, &oc) ||
	    mnet_fb_i8(&oc, TFL_OC_DEPRECATED_BUILTIN_CODE, 0, &dep) ||
	    mnet_fb_i32(&oc, TFL_OC_BUILTIN_CODE, 0, &code) ||
	    mnet_fb_string(&oc, TFL_OC_CUSTOM_CODE, &custom, &custom_len))
		return fb_err(c, "operator code %u of op %u", idx, i);
	/* files from before builtin_code existed only set the int8 field */
	op->code = code > dep ? code : dep;
	if (op->code == TFL_CUSTOM)
		return tfl_err(c, -EOPNOTSUPP, "op %u CUSTOM '%.*s': custom operators are not supported",
			       i, custom_len > 60 ? 60 : (int)custom_len,
			       custom ? custom : "");
	for (k = 0; k < op->inputs.n; k++) {
		int32_t v = mnet_fb_vec_i32(&op->inputs, k);

		if (v < -1 || v >= (int64_t)c->n_t)
			return op_err(c, i, -EINVAL, "input %u is tensor %d, out of range (%u tensors)",
				      k, (int)v, c->n_t);
	}
	for (k = 0; k < op->outputs.n; k++) {
		int32_t v = mnet_fb_vec_i32(&op->outputs, k);

		if (v < 0 || v >= (int64_t)c->n_t)
			return op_err(c, i, -EINVAL, "output %u is tensor %d, out of range (%u tensors)",
				      k, (int)v, c->n_t);
	}
	return 0;
}

static int parse_model(struct tfl_ctx *c, const void *buf, size_t len)
{
	struct mnet_fb_vec subgraphs, tensors, inputs, outputs, operators;
	struct mnet_fb_table model, sg;
	uint32_t version, i;
	int ret;

	if (mnet_fb_root(&c->fb, buf, len, "TFL3", &model)) {
		if (len >= 8 && buf && memcmp((const char *)buf + 4, "TFL3", 4))
			return tfl_err(c, -EINVAL, "not a TFLite file (file identifier is not \"TFL3\")");
		return fb_err(c, "model header");
	}
	if (mnet_fb_u32(&model, TFL_MODEL_VERSION, 0, &version) ||
	    mnet_fb_vector(&model, TFL_MODEL_OPERATOR_CODES, 4, &c->opcodes) ||
	    mnet_fb_vector(&model, TFL_MODEL_SUBGRAPHS, 4, &subgraphs) ||
	    mnet_fb_vector(&model, TFL_MODEL_BUFFERS, 4, &c->buffers))
		return fb_err(c, "model table");
	if (version != 3)
		return tfl_err(c, -EOPNOTSUPP, "schema version %u; only version 3 is supported",
			       version);
	if (subgraphs.n == 0)
		return tfl_err(c, -EINVAL, "the model has no subgraph");
	if (subgraphs.n > 1)
		return tfl_err(c, -EOPNOTSUPP, "%u subgraphs; only single-subgraph models are supported",
			       subgraphs.n);
	if (mnet_fb_vec_table(&subgraphs, 0, &sg) ||
	    mnet_fb_vector(&sg, TFL_SG_TENSORS, 4, &tensors) ||
	    mnet_fb_vector(&sg, TFL_SG_INPUTS, 4, &inputs) ||
	    mnet_fb_vector(&sg, TFL_SG_OUTPUTS, 4, &outputs) ||
	    mnet_fb_vector(&sg, TFL_SG_OPERATORS, 4, &operators))
		return fb_err(c, "subgraph");
	if (tensors.n > TFL_MAX_TENSORS || operators.n > TFL_MAX_OPS)
		return tfl_err(c, -EFBIG, "%u tensors and %u operators; the limits are %u and %u",
			       tensors.n, operators.n, TFL_MAX_TENSORS,
			       TFL_MAX_OPS);
	if (inputs.n != 1 || outputs.n != 1)
		return tfl_err(c, -EOPNOTSUPP, "%u inputs and %u outputs; exactly one of each is supported",
			       inputs.n, outputs.n);
	c->n_t = tensors.n;
	c->n_ops = operators.n;
	c->input = (uint32_t)mnet_fb_vec_i32(&inputs, 0);
	c->output = (uint32_t)mnet_fb_vec_i32(&outputs, 0);
	if (c->input >= c->n_t || c->output >= c->n_t)
		return tfl_err(c, -EINVAL, "input/output tensor index out of range (%u tensors)",
			       c->n_t);
	c->t = calloc(c->n_t, sizeof(*c->t));
	c->ops = calloc(c->n_ops ? c->n_ops : 1, sizeof(*c->ops));
	c->map = malloc(c->n_t * sizeof(*c->map));
	c->src = malloc(c->n_t * sizeof(*c->src));
	if (!c->t || !c->ops || !c->map || !c->src)
		return tfl_err(c, -ENOMEM, "out of memory");
	for (i = 0; i < c->n_t; i++) {
		c->map[i] = -1;
		c->src[i] = -1;
		ret = parse_tensor(c, &tensors, i);
		if (ret)
			return ret;
	}
	for (i = 0; i < c->n_ops; i++) {
		ret = parse_op(c, &operators, i);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- pass 2: tensors and weights --------------------------------------- */

static int shape_err(struct tfl_ctx *c, int64_t i, int code, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));

/* An op's error, or the model input's when @i < 0. */
static int shape_err(struct tfl_ctx *c, int64_t i, int code, const char *fmt,
		     ...)
{
	char msg[MNET_ERR_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (i < 0)
		return tfl_err(c, code, "model input: %s", msg);
	return op_err(c, (uint32_t)i, code, "%s", msg);
}

/* The NHWC batch-1 shape of an activation tensor (@i: op, or -1: input). */
static int act_shape(struct tfl_ctx *c, int64_t i, uint32_t ti,
		     struct mnet_shape *s)
{
	const struct tfl_tensor *t = &c->t[ti];
	int k;

	if (t->type != TFL_FLOAT32 && t->type != TFL_UINT8 &&
	    t->type != TFL_INT8 && t->type != TFL_INT16)
		return shape_err(c, i, -EOPNOTSUPP, "%s: activations of type %s (%u) are not supported",
				 label(c, ti), type_name(t->type), t->type);
	if (t->rank > 4 || t->rank == 0 || t->rank == 3)
		return shape_err(c, i, -EOPNOTSUPP, "%s: rank %s%d; only NHWC (4), NC (2) or C (1) tensors are supported",
				 label(c, ti), t->rank > 4 ? "> " : "",
				 t->rank > 4 ? 4 : t->rank);
	if (t->dynamic)
		return shape_err(c, i, -EOPNOTSUPP, "%s: dynamic shape (shape_signature has -1)",
				 label(c, ti));
	for (k = 0; k < t->rank; k++) {
		if (t->dims[k] == -1)
			return shape_err(c, i, -EOPNOTSUPP, "%s: dynamic dimension %d",
					 label(c, ti), k);
		if (t->dims[k] < 1)
			return shape_err(c, i, -EINVAL, "%s: dimension %d is %d",
					 label(c, ti), k, (int)t->dims[k]);
		if (t->dims[k] > MNET_MAX_DIM)
			return shape_err(c, i, -EFBIG, "%s: dimension %d is %d; the limit is %d",
					 label(c, ti), k, (int)t->dims[k],
					 MNET_MAX_DIM);
	}
	if (t->rank >= 2 && t->dims[0] != 1)
		return shape_err(c, i, -EOPNOTSUPP, "%s: batch %d; only batch 1 is supported",
				 label(c, ti), (int)t->dims[0]);
	if (t->rank == 4)
		*s = (struct mnet_shape){ t->dims[1], t->dims[2], t->dims[3] };
	else
		*s = (struct mnet_shape){ 1, 1, t->dims[t->rank - 1] };
	if (mnet_shape_elems(*s) > MNET_MAX_TENSOR_ELEMS)
		return shape_err(c, i, -EFBIG, "%s: %dx%dx%d elements exceed the limit of %u",
				 label(c, ti), s->h, s->w, s->c,
				 MNET_MAX_TENSOR_ELEMS);
	return 0;
}

/* The tensor that holds @ti's constant data (through DEQUANTIZE), or -1. */
static int const_tensor(struct tfl_ctx *c, int32_t ti)
{
	if (ti < 0)
		return -1;
	if (c->src[ti] >= 0)
		return c->src[ti];
	return c->t[ti].data ? ti : -1;
}

/* Element count of a constant with every dimension checked. */
static int const_elems(struct tfl_ctx *c, uint32_t i, uint32_t ti,
		       const char *role, uint64_t *n)
{
	const struct tfl_tensor *t = &c->t[ti];
	int k;

	if (t->rank > 4)
		return op_err(c, i, -EOPNOTSUPP, "%s %s: rank > 4",
			      role, label(c, ti));
	*n = 1;
	for (k = 0; k < t->rank; k++) {
		if (t->dims[k] < 1)
			return op_err(c, i, -EINVAL, "%s %s: dimension %d is %d",
				      role, label(c, ti), k, (int)t->dims[k]);
		if (t->dims[k] > MNET_MAX_DIM)
			return op_err(c, i, -EFBIG, "%s %s: dimension %d is %d; the limit is %d",
				      role, label(c, ti), k, (int)t->dims[k],
				      MNET_MAX_DIM);
		*n *= (uint64_t)t->dims[k];	/* < 2^56: no overflow */
	}
	if (*n > MNET_MAX_WEIGHTS)
		return op_err(c, i, -EFBIG, "%s %s: %llu elements exceed the limit of %u",
			      role, label(c, ti), (unsigned long long)*n,
			      MNET_MAX_WEIGHTS);
	return 0;
}

/* Find the constant behind input @k of op @i and check its extent. */
static int get_const(struct tfl_ctx *c, uint32_t i, uint32_t k,
		     const char *role, const struct tfl_tensor **out,
		     uint64_t *elems)
{
	const struct tfl_op *op = &c->ops[i];
	const struct tfl_tensor *t;
	int32_t ti;
	unsigned int sz;
	int ret;

	if (k >= op->inputs.n || mnet_fb_vec_i32(&op->inputs, k) < 0)
		return op_err(c, i, -EINVAL, "%s (input %u) is missing", role,
			      k);
	ti = const_tensor(c, mnet_fb_vec_i32(&op->inputs, k));
	if (ti < 0)
		return op_err(c, i, -EOPNOTSUPP, "%s %s is not a constant; weights computed at run time are not supported",
			      role,
			      label(c, (uint32_t)mnet_fb_vec_i32(&op->inputs, k)));
	t = &c->t[ti];
	if (t->sparse)
		return op_err(c, i, -EOPNOTSUPP, "%s %s: sparse tensors are not supported",
			      role, label(c, (uint32_t)ti));
	ret = const_elems(c, i, (uint32_t)ti, role, elems);
	if (ret)
		return ret;
	sz = type_size(t->type);
	if (!sz)
		return op_err(c, i, -EOPNOTSUPP, "%s %s: type %u is not supported",
			      role, label(c, (uint32_t)ti), t->type);
	if (t->bytes != *elems * sz)
		return op_err(c, i, -EINVAL, "%s %s: %llu bytes of data for %llu %s values",
			      role, label(c, (uint32_t)ti),
			      (unsigned long long)t->bytes,
			      (unsigned long long)*elems, type_name(t->type));
	*out = t;
	return 0;
}

static float half_to_float(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
	uint32_t exp = (h >> 10) & 0x1fu, man = h & 0x3ffu, bits;
	float f;

	if (exp == 0) {		/* zero or subnormal: man * 2^-24 */
		f = ldexpf((float)man, -24);
		return sign ? -f : f;
	}
	if (exp == 31)
		bits = sign | 0x7f800000u | man << 13;
	else
		bits = sign | (exp + 112) << 23 | man << 13;
	memcpy(&f, &bits, sizeof(f));
	return f;
}

/* Little-endian loads, whatever the host's byte order. */
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int64_t raw_int(const uint8_t *p, uint8_t type)
{
	uint16_t u16;

	switch (type) {
	case TFL_UINT8:
		return p[0];
	case TFL_INT8:
		return (int8_t)p[0];
	case TFL_INT16:
		u16 = (uint16_t)(p[0] | p[1] << 8);
		return (int16_t)u16;
	case TFL_INT32:
		return (int32_t)le32(p);
	default:	/* TFL_INT64 */
		return (int64_t)((uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32);
	}
}

/*
 * Per-channel (or per-tensor) scale and zero point of a quantized constant.
 * On success *@scale and *@zp hold @n_ch entries and *@inner is the number of
 * consecutive elements sharing one channel.
 */
static int quant_params(struct tfl_ctx *c, uint32_t i, const char *role,
			const struct tfl_tensor *t, uint32_t ti, float **scale,
			int32_t **zp, uint32_t *n_ch, uint64_t *inner)
{
	struct mnet_fb_vec vs, vz;
	int32_t qdim = 0;
	uint8_t details = 0;
	uint32_t k;
	int d;

	if (!t->has_quant ||
	    mnet_fb_vector(&t->quant, TFL_Q_SCALE, 4, &vs) ||
	    mnet_fb_vector(&t->quant, TFL_Q_ZERO_POINT, 8, &vz) ||
	    mnet_fb_u8(&t->quant, TFL_Q_DETAILS_TYPE, 0, &details) ||
	    mnet_fb_i32(&t->quant, TFL_Q_QUANTIZED_DIMENSION, 0, &qdim)) {
		if (t->has_quant)
			return fb_err(c, "quantization of %s", label(c, ti));
		return op_err(c, i, -EINVAL, "%s %s: %s data without quantization parameters",
			      role, label(c, ti), type_name(t->type));
	}
	if (details)
		return op_err(c, i, -EOPNOTSUPP, "%s %s: custom quantization details are not supported",
			      role, label(c, ti));
	if (vs.n == 0)
		return op_err(c, i, -EINVAL, "%s %s: %s data without a quantization scale",
			      role, label(c, ti), type_name(t->type));
	*inner = 1;
	if (vs.n > 1) {
		if (qdim < 0 || qdim >= t->rank || t->dims[qdim] != (int64_t)vs.n)
			return op_err(c, i, -EINVAL, "%s %s: %u scales do not match quantized dimension %d",
				      role, label(c, ti), vs.n, (int)qdim);
		for (d = qdim + 1; d < t->rank; d++)
			*inner *= (uint64_t)t->dims[d];
	}
	if (vz.n > 1 && vz.n != vs.n)
		return op_err(c, i, -EINVAL, "%s %s: %u zero points for %u scales",
			      role, label(c, ti), vz.n, vs.n);
	/* vs.n equals a checked dimension here, or is 1 */
	*scale = malloc(vs.n * sizeof(**scale));
	*zp = malloc(vs.n * sizeof(**zp));
	if (!*scale || !*zp)
		return tfl_err(c, -ENOMEM, "out of memory");
	for (k = 0; k < vs.n; k++) {
		float s = mnet_fb_vec_f32(&vs, k);
		int64_t z = vz.n ? mnet_fb_vec_i64(&vz, vz.n > 1 ? k : 0) : 0;

		if (!isfinite(s) || s < 0.0f)
			return op_err(c, i, -EINVAL, "%s %s: bad scale %g for channel %u",
				      role, label(c, ti), (double)s, k);
		if (z < INT32_MIN || z > INT32_MAX)
			return op_err(c, i, -EINVAL, "%s %s: zero point %lld out of range",
				      role, label(c, ti), (long long)z);
		(*scale)[k] = s;
		(*zp)[k] = (int32_t)z;
	}
	*n_ch = vs.n;
	return 0;
}

/*
 * Dequantize input @k of op @i (a constant of exactly @expect elements) into
 * a new float array.
 */
static int load_const(struct tfl_ctx *c, uint32_t i, uint32_t k,
		      const char *role, uint64_t expect, float **out)
{
	const struct tfl_tensor *t;
	float *dst = NULL, *scale = NULL;
	int32_t *zp = NULL;
	uint64_t n, e, inner = 1;
	uint32_t n_ch = 1;
	unsigned int sz;
	int ret;

	*out = NULL;
	ret = get_const(c, i, k, role, &t, &n);
	if (ret)
		return ret;
	if (n != expect)
		return op_err(c, i, -EINVAL, "%s has %llu elements, expected %llu",
			      role, (unsigned long long)n,
			      (unsigned long long)expect);
	sz = type_size(t->type);
	if (t->type != TFL_FLOAT32 && t->type != TFL_FLOAT16) {
		ret = quant_params(c, i, role, t, (uint32_t)(t - c->t), &scale,
				   &zp, &n_ch, &inner);
		if (ret)
			goto out_free;
	}
	dst = malloc((n ? n : 1) * sizeof(*dst));
	if (!dst) {
		ret = tfl_err(c, -ENOMEM, "out of memory for %s", role);
		goto out_free;
	}
	for (e = 0; e < n; e++) {
		const uint8_t *p = t->data + e * sz;
		uint32_t ch, u;
		uint16_t h;

		switch (t->type) {
		case TFL_FLOAT32:
			u = le32(p);
			memcpy(&dst[e], &u, sizeof(float));
			break;
		case TFL_FLOAT16:
			h = (uint16_t)(p[0] | p[1] << 8);
			dst[e] = half_to_float(h);
			break;
		default:
			ch = n_ch > 1 ? (uint32_t)((e / inner) % n_ch) : 0;
			dst[e] = scale[ch] *
				 (float)(raw_int(p, t->type) - zp[ch]);
			break;
		}
	}
	*out = dst;
	dst = NULL;
	ret = 0;
out_free:
	free(dst);
	free(zp);
	free(scale);
	return ret;
}

/* Copy a tensor name (its first ';'-separated part) into a 64-byte field. */
static void copy_name(char *dst, size_t len, const struct tfl_tensor *t,
		      const char *fallback, int idx)
{
	uint32_t n = 0;

	while (t->name && n < t->name_len && t->name[n] != ';' &&
	       t->name[n] != '\0')
		n++;
	if (n == 0) {
		snprintf(dst, len, "%s_%d", fallback, idx);
		return;
	}
	snprintf(dst, len, "%.*s", (int)(n < len - 1 ? n : len - 1), t->name);
}

/* ---- pass 2: operators ------------------------------------------------- */

static int32_t op_in(const struct tfl_op *op, uint32_t k)
{
	return k < op->inputs.n ? mnet_fb_vec_i32(&op->inputs, k) : -1;
}

/* Start a layer reading activation input 0 and writing output 0. */
static int new_layer(struct tfl_ctx *c, uint32_t i, enum mnet_op type,
		     struct mnet_layer **out)
{
	const struct tfl_op *op = &c->ops[i];
	int32_t in = op_in(op, 0), o;
	struct mnet_layer *l;
	struct mnet_tensor *t;
	int ret;

	if (in < 0 || op->outputs.n < 1)
		return op_err(c, i, -EINVAL, "needs an input and an output tensor");
	o = mnet_fb_vec_i32(&op->outputs, 0);
	if (c->map[in] < 0)
		return op_err(c, i, c->t[in].data ? -EOPNOTSUPP : -EINVAL,
			      "input %s is neither the model input nor computed by an earlier op",
			      label(c, (uint32_t)in));
	if (c->map[o] >= 0 || c->src[o] >= 0 || c->t[o].data)
		return op_err(c, i, -EINVAL, "output %s is already defined",
			      label(c, (uint32_t)o));
	if (c->n_layers >= c->m->n_layers || c->n_tensors >= MNET_MAX_TENSORS)
		return op_err(c, i, -EFBIG, "too many layers");
	l = &c->m->layers[c->n_layers];
	t = &c->m->tensors[c->n_tensors];
	ret = act_shape(c, i, (uint32_t)o, &t->shape);
	if (ret)
		return ret;
	copy_name(t->name, sizeof(t->name), &c->t[o], "t", c->n_tensors);
	copy_name(l->name, sizeof(l->name), &c->t[o], mnet_op_name(type),
		  c->n_layers);
	l->op = type;
	l->in = c->map[in];
	l->out = c->n_tensors;
	l->in_shape = c->m->tensors[l->in].shape;
	l->out_shape = t->shape;
	c->map[o] = c->n_tensors++;
	c->n_layers++;
	*out = l;
	return 0;
}

/* The builtin options of op @i, or an empty table (all defaults). */
static int get_opts(struct tfl_ctx *c, uint32_t i, uint8_t want,
		    struct mnet_fb_table *t)
{
	const struct tfl_op *op = &c->ops[i];

	if (op->has_opts && op->opt_type != want)
		return op_err(c, i, -EINVAL, "builtin options of type %u, expected %u",
			      op->opt_type, want);
	if (op->has_opts) {
		*t = op->opts;
	} else {
		/* a vtable of length 0 makes every field read its default */
		memset(t, 0, sizeof(*t));
		t->fb = &c->fb;
	}
	return 0;
}

static int map_act(struct tfl_ctx *c, uint32_t i, uint8_t a,
		   enum mnet_act *out)
{
	static const char *const names[] = {
		"NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT",
	};

	switch (a) {
	case TFL_ACT_NONE:
		*out = MNET_ACT_NONE;
		return 0;
	case TFL_ACT_RELU:
		*out = MNET_ACT_RELU;
		return 0;
	case TFL_ACT_RELU6:
		*out = MNET_ACT_RELU6;
		return 0;
	default:
		return op_err(c, i, -EOPNOTSUPP, "fused activation %s is not supported",
			      a < 6 ? names[a] : "(unknown)");
	}
}

struct window_opts {
	uint8_t padding, act;
	int32_t stride_w, stride_h, dil_w, dil_h;
};

/*
 * Output size and top/left padding of a window op along H and W, checked
 * against the output tensor.  TFLite's SAME and VALID arithmetic.
 */
static int window(struct tfl_ctx *c, uint32_t i, struct mnet_layer *l,
		  const struct window_opts *o, int kh, int kw)
{
	int oh, ow;

	if (o->dil_w != 1 || o->dil_h != 1)
		return op_err(c, i, -EOPNOTSUPP, "dilation %dx%d (HxW); only 1 is supported",
			      (int)o->dil_h, (int)o->dil_w);
	if (o->stride_h < 1 || o->stride_w < 1 || o->stride_h > 64 ||
	    o->stride_w > 64)
		return op_err(c, i, o->stride_h < 1 || o->stride_w < 1 ?
				    -EINVAL : -EOPNOTSUPP,
			      "stride %dx%d; 1..64 is supported",
			      (int)o->stride_h, (int)o->stride_w);
	if (kh < 1 || kw < 1 || kh > 64 || kw > 64)
		return op_err(c, i, kh < 1 || kw < 1 ? -EINVAL : -EOPNOTSUPP,
			      "kernel %dx%d; 1..64 is supported", kh, kw);
	l->kh = kh;
	l->kw = kw;
	l->stride_h = o->stride_h;
	l->stride_w = o->stride_w;
	if (o->padding == TFL_PAD_SAME) {
		l->pad_top = mnet_same_pad(l->in_shape.h, kh, o->stride_h, &oh);
		l->pad_left = mnet_same_pad(l->in_shape.w, kw, o->stride_w, &ow);
	} else if (o->padding == TFL_PAD_VALID) {
		if (l->in_shape.h < kh || l->in_shape.w < kw)
			return op_err(c, i, -EINVAL, "kernel %dx%d is larger than the %dx%d input with VALID padding",
				      kh, kw, l->in_shape.h, l->in_shape.w);
		oh = (l->in_shape.h - kh) / o->stride_h + 1;
		ow = (l->in_shape.w - kw) / o->stride_w + 1;
		l->pad_top = 0;
		l->pad_left = 0;
	} else {
		return op_err(c, i, -EINVAL, "padding %u is neither SAME nor VALID",
			      o->padding);
	}
	if (oh != l->out_shape.h || ow != l->out_shape.w)
		return op_err(c, i, -EINVAL, "output is %dx%d but input %dx%d, kernel %dx%d, stride %dx%d and %s padding give %dx%d",
			      l->out_shape.h, l->out_shape.w, l->in_shape.h,
			      l->in_shape.w, kh, kw, (int)o->stride_h,
			      (int)o->stride_w,
			      o->padding == TFL_PAD_SAME ? "SAME" : "VALID",
			      oh, ow);
	return map_act(c, i, o->act, &l->act);
}

/* Bias (input 2), if any: @n floats. */
static int load_bias(struct tfl_ctx *c, uint32_t i, struct mnet_layer *l,
		     int n)
{
	if (op_in(&c->ops[i], 2) < 0)
		return 0;
	return load_const(c, i, 2, "bias", (uint64_t)n, &l->bias);
}

static int build_conv(struct tfl_ctx *c, uint32_t i, int depthwise)
{
	struct mnet_fb_table ot;
	struct window_opts o = { 0 };
	const struct tfl_tensor *w;
	struct mnet_layer *l;
	int32_t mult = 1;
	uint64_t n;
	int ret, cout, kh, kw, cin;

	ret = new_layer(c, i, depthwise ? MNET_OP_DWCONV2D : MNET_OP_CONV2D,
			&l);
	if (ret)
		return ret;
	ret = get_const(c, i, 1, "weights", &w, &n);
	if (ret)
		return ret;
	if (w->rank != 4)
		return op_err(c, i, -EINVAL, "weights of rank %d, expected 4",
			      w->rank);
	cout = w->dims[0];
	kh = w->dims[1];
	kw = w->dims[2];
	cin = w->dims[3];
	ret = get_opts(c, i, depthwise ? TFL_OPT_DEPTHWISE_CONV2D :
			     TFL_OPT_CONV2D, &ot);
	if (ret)
		return ret;
	if (depthwise) {
		if (mnet_fb_u8(&ot, 0, TFL_PAD_SAME, &o.padding) ||
		    mnet_fb_i32(&ot, 1, 0, &o.stride_w) ||
		    mnet_fb_i32(&ot, 2, 0, &o.stride_h) ||
		    mnet_fb_i32(&ot, 3, 0, &mult) ||
		    mnet_fb_u8(&ot, 4, TFL_ACT_NONE, &o.act) ||
		    mnet_fb_i32(&ot, 5, 1, &o.dil_w) ||
		    mnet_fb_i32(&ot, 6, 1, &o.dil_h))
			return fb_err(c, "op %u DepthwiseConv2DOptions", i);
		if (cout != 1)
			return op_err(c, i, -EINVAL, "depthwise weights [%d,%d,%d,%d], expected [1,kh,kw,c]",
				      cout, kh, kw, cin);
		/* the multiplier follows from the shapes; the field may be 0 */
		if (cin != l->in_shape.c || (mult != 0 && mult != 1))
			return op_err(c, i, -EOPNOTSUPP, "depth multiplier %d (%d input, %d output channels); only 1 is supported",
				      mult > 1 ? (int)mult :
				      cin / (l->in_shape.c ? l->in_shape.c : 1),
				      l->in_shape.c, cin);
		cout = cin;
	} else {
		if (mnet_fb_u8(&ot, 0, TFL_PAD_SAME, &o.padding) ||
		    mnet_fb_i32(&ot, 1, 0, &o.stride_w) ||
		    mnet_fb_i32(&ot, 2, 0, &o.stride_h) ||
		    mnet_fb_u8(&ot, 3, TFL_ACT_NONE, &o.act) ||
		    mnet_fb_i32(&ot, 4, 1, &o.dil_w) ||
		    mnet_fb_i32(&ot, 5, 1, &o.dil_h))
			return fb_err(c, "op %u Conv2DOptions", i);
		if (cin != l->in_shape.c)
			return op_err(c, i, -EOPNOTSUPP, "weights have %d input channels but the input has %d (grouped convolution?)",
				      cin, l->in_shape.c);
	}
	if (cout != l->out_shape.c)
		return op_err(c, i, -EINVAL, "weights give %d output channels but the output has %d",
			      cout, l->out_shape.c);
	ret = window(c, i, l, &o, kh, kw);
	if (ret)
		return ret;
	if (!depthwise && kh == 1 && kw == 1 && o.stride_h == 1 &&
	    o.stride_w == 1)
		l->op = MNET_OP_PWCONV2D;	/* same [cout][cin] bytes as OHWI */
	ret = load_const(c, i, 1, "weights", n, &l->weights);
	if (ret)
		return ret;
	l->n_weights = (size_t)n;
	return load_bias(c, i, l, cout);
}

static int build_pool(struct tfl_ctx *c, uint32_t i)
{
	struct mnet_fb_table ot;
	struct window_opts o = { .dil_w = 1, .dil_h = 1 };
	struct mnet_layer *l;
	int32_t fw, fh;
	int ret;

	ret = new_layer(c, i, MNET_OP_AVGPOOL, &l);
	if (ret)
		return ret;
	ret = get_opts(c, i, TFL_OPT_POOL2D, &ot);
	if (ret)
		return ret;
	if (mnet_fb_u8(&ot, 0, TFL_PAD_SAME, &o.padding) ||
	    mnet_fb_i32(&ot, 1, 0, &o.stride_w) ||
	    mnet_fb_i32(&ot, 2, 0, &o.stride_h) ||
	    mnet_fb_i32(&ot, 3, 0, &fw) ||
	    mnet_fb_i32(&ot, 4, 0, &fh) ||
	    mnet_fb_u8(&ot, 5, TFL_ACT_NONE, &o.act))
		return fb_err(c, "op %u Pool2DOptions", i);
	if (l->in_shape.c != l->out_shape.c)
		return op_err(c, i, -EINVAL, "pooling changes channels %d -> %d",
			      l->in_shape.c, l->out_shape.c);
	return window(c, i, l, &o, fh, fw);
}

static int build_mean(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_tensor *ax;
	struct mnet_layer *l;
	int32_t in = op_in(&c->ops[i], 0);
	unsigned int mask = 0;
	uint64_t n, k;
	int ret;

	ret = new_layer(c, i, MNET_OP_AVGPOOL, &l);
	if (ret)
		return ret;
	ret = get_const(c, i, 1, "axes", &ax, &n);
	if (ret)
		return ret;
	if (ax->type != TFL_INT32 && ax->type != TFL_INT64)
		return op_err(c, i, -EINVAL, "axes of type %s", type_name(ax->type));
	for (k = 0; k < n; k++) {
		int64_t a = raw_int(ax->data + k * type_size(ax->type), ax->type);

		if (a < -4 || a > 3)
			return op_err(c, i, -EINVAL, "axis %lld out of range",
				      (long long)a);
		mask |= 1u << (a < 0 ? a + 4 : a);
	}
	if (c->t[in].rank != 4 || mask != 6u)
		return op_err(c, i, -EOPNOTSUPP, "only a mean over H and W of an NHWC tensor is supported");
	if (l->out_shape.h != 1 || l->out_shape.w != 1 ||
	    l->out_shape.c != l->in_shape.c)
		return op_err(c, i, -EINVAL, "output %dx%dx%d is not 1x1x%d",
			      l->out_shape.h, l->out_shape.w, l->out_shape.c,
			      l->in_shape.c);
	if (l->in_shape.h > 64 || l->in_shape.w > 64)
		return op_err(c, i, -EOPNOTSUPP, "a global mean over %dx%d; windows up to 64x64 are supported",
			      l->in_shape.h, l->in_shape.w);
	/* keep_dims only changes the rank of the output tensor */
	l->kh = l->in_shape.h;
	l->kw = l->in_shape.w;
	l->stride_h = 1;
	l->stride_w = 1;
	return 0;
}

static int build_fc(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_tensor *w;
	struct mnet_fb_table ot;
	struct mnet_layer *l;
	uint8_t act, format;
	uint64_t n;
	int ret;

	ret = new_layer(c, i, MNET_OP_FC, &l);
	if (ret)
		return ret;
	ret = get_const(c, i, 1, "weights", &w, &n);
	if (ret)
		return ret;
	ret = get_opts(c, i, TFL_OPT_FULLY_CONNECTED, &ot);
	if (ret)
		return ret;
	if (mnet_fb_u8(&ot, 0, TFL_ACT_NONE, &act) ||
	    mnet_fb_u8(&ot, 1, 0, &format))
		return fb_err(c, "op %u FullyConnectedOptions", i);
	if (format != 0)
		return op_err(c, i, -EOPNOTSUPP, "shuffled weights format %u is not supported",
			      format);
	if (w->rank != 2)
		return op_err(c, i, -EINVAL, "weights of rank %d, expected 2",
			      w->rank);
	if ((size_t)w->dims[1] != mnet_shape_elems(l->in_shape))
		return op_err(c, i, -EOPNOTSUPP, "weights take %d inputs but the input has %zu values (batch > 1?)",
			      (int)w->dims[1], mnet_shape_elems(l->in_shape));
	if (l->out_shape.h != 1 || l->out_shape.w != 1 ||
	    l->out_shape.c != w->dims[0])
		return op_err(c, i, -EINVAL, "output %dx%dx%d, expected 1x1x%d",
			      l->out_shape.h, l->out_shape.w, l->out_shape.c,
			      (int)w->dims[0]);
	ret = map_act(c, i, act, &l->act);
	if (ret)
		return ret;
	ret = load_const(c, i, 1, "weights", n, &l->weights);
	if (ret)
		return ret;
	l->n_weights = (size_t)n;
	return load_bias(c, i, l, w->dims[0]);
}

static int build_softmax(struct tfl_ctx *c, uint32_t i)
{
	struct mnet_fb_table ot;
	struct mnet_layer *l;
	int ret;

	ret = new_layer(c, i, MNET_OP_SOFTMAX, &l);
	if (ret)
		return ret;
	ret = get_opts(c, i, TFL_OPT_SOFTMAX, &ot);
	if (ret)
		return ret;
	/* schema default 0.0, as TFLite itself reads an absent beta */
	if (mnet_fb_f32(&ot, 0, 0.0f, &l->beta))
		return fb_err(c, "op %u SoftmaxOptions", i);
	if (!isfinite(l->beta))
		return op_err(c, i, -EINVAL, "beta is not finite");
	return 0;
}

static int build_reshape(struct tfl_ctx *c, uint32_t i)
{
	struct mnet_layer *l;
	int ret;

	ret = new_layer(c, i, MNET_OP_RESHAPE, &l);
	if (ret)
		return ret;
	if (mnet_shape_elems(l->in_shape) != mnet_shape_elems(l->out_shape))
		return op_err(c, i, -EINVAL, "%dx%dx%d -> %dx%dx%d changes the element count",
			      l->in_shape.h, l->in_shape.w, l->in_shape.c,
			      l->out_shape.h, l->out_shape.w, l->out_shape.c);
	return 0;
}

static int build_add(struct tfl_ctx *c, uint32_t i)
{
	int32_t b = op_in(&c->ops[i], 1);
	struct mnet_fb_table ot;
	struct mnet_layer *l;
	struct mnet_shape s;
	uint8_t act;
	int ret;

	ret = new_layer(c, i, MNET_OP_ADD, &l);
	if (ret)
		return ret;
	if (b < 0)
		return op_err(c, i, -EINVAL, "second input is missing");
	if (c->map[b] < 0)
		return op_err(c, i, -EOPNOTSUPP, "second input %s is not computed by an earlier op (adding constants is not supported)",
			      label(c, (uint32_t)b));
	s = c->m->tensors[c->map[b]].shape;
	if (s.h != l->in_shape.h || s.w != l->in_shape.w ||
	    s.c != l->in_shape.c || s.h != l->out_shape.h ||
	    s.w != l->out_shape.w || s.c != l->out_shape.c)
		return op_err(c, i, -EOPNOTSUPP, "operands %dx%dx%d and %dx%dx%d -> %dx%dx%d; broadcasting is not supported",
			      l->in_shape.h, l->in_shape.w, l->in_shape.c,
			      s.h, s.w, s.c, l->out_shape.h, l->out_shape.w,
			      l->out_shape.c);
	l->in2 = c->map[b];
	ret = get_opts(c, i, TFL_OPT_ADD, &ot);
	if (ret)
		return ret;
	if (mnet_fb_u8(&ot, 0, TFL_ACT_NONE, &act))
		return fb_err(c, "op %u AddOptions", i);
	return map_act(c, i, act, &l->act);
}

/* QUANTIZE / DEQUANTIZE: identity on real values, so alias the tensors. */
static int build_alias(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_op *op = &c->ops[i];
	int32_t in = op_in(op, 0), o;
	struct mnet_shape s;
	int ret;

	if (in < 0 || op->outputs.n < 1)
		return op_err(c, i, -EINVAL, "needs an input and an output tensor");
	o = mnet_fb_vec_i32(&op->outputs, 0);
	if (c->map[o] >= 0 || c->src[o] >= 0 || c->t[o].data)
		return op_err(c, i, -EINVAL, "output %s is already defined",
			      label(c, (uint32_t)o));
	if (c->map[in] < 0) {
		if (const_tensor(c, in) < 0)
			return op_err(c, i, -EINVAL, "input %s is neither the model input nor computed by an earlier op",
				      label(c, (uint32_t)in));
		c->src[o] = const_tensor(c, in);	/* fp16/int8 weights */
		return 0;
	}
	ret = act_shape(c, i, (uint32_t)o, &s);
	if (ret)
		return ret;
	if (memcmp(&s, &c->m->tensors[c->map[in]].shape, sizeof(s)))
		return op_err(c, i, -EINVAL, "output shape differs from the input shape");
	c->map[o] = c->map[in];
	return 0;
}

static int build_op(struct tfl_ctx *c, uint32_t i)
{
	switch (c->ops[i].code) {
	case TFL_CONV_2D:
		return build_conv(c, i, 0);
	case TFL_DEPTHWISE_CONV_2D:
		return build_conv(c, i, 1);
	case TFL_AVERAGE_POOL_2D:
		return build_pool(c, i);
	case TFL_MEAN:
		return build_mean(c, i);
	case TFL_FULLY_CONNECTED:
		return build_fc(c, i);
	case TFL_SOFTMAX:
		return build_softmax(c, i);
	case TFL_RESHAPE:
	case TFL_SQUEEZE:
		return build_reshape(c, i);
	case TFL_ADD:
		return build_add(c, i);
	case TFL_QUANTIZE:
	case TFL_DEQUANTIZE:
		return build_alias(c, i);
	default:
		return op_err(c, i, -EOPNOTSUPP, "operator not supported");
	}
}

static int input_quant(struct tfl_ctx *c)
{
	const struct tfl_tensor *t = &c->t[c->input];
	struct mnet_input_quant *q = &c->m->input_quant;
	struct mnet_fb_vec vs, vz;

	if (t->type == TFL_FLOAT32) {
		q->quantized = 0;
		return 0;
	}
	if (t->type != TFL_UINT8 && t->type != TFL_INT8)
		return tfl_err(c, -EOPNOTSUPP, "input %s is %s; float32, uint8 or int8 is supported",
			       label(c, c->input), type_name(t->type));
	if (!t->has_quant ||
	    mnet_fb_vector(&t->quant, TFL_Q_SCALE, 4, &vs) ||
	    mnet_fb_vector(&t->quant, TFL_Q_ZERO_POINT, 8, &vz))
		return t->has_quant ? fb_err(c, "quantization of the input") :
			tfl_err(c, -EINVAL, "quantized input %s has no quantization parameters",
				label(c, c->input));
	if (vs.n != 1 || vz.n > 1)
		return tfl_err(c, -EOPNOTSUPP, "input %s: %u scales; one per tensor is supported",
			       label(c, c->input), vs.n);
	q->quantized = 1;
	q->is_signed = t->type == TFL_INT8;
	q->scale = mnet_fb_vec_f32(&vs, 0);
	if (!isfinite(q->scale) || q->scale <= 0.0f)
		return tfl_err(c, -EINVAL, "input %s: bad scale %g",
			       label(c, c->input), (double)q->scale);
	if (vz.n) {
		int64_t z = mnet_fb_vec_i64(&vz, 0);

		if (q->is_signed ? z < -128 || z > 127 : z < 0 || z > 255)
			return tfl_err(c, -EINVAL, "input %s: zero point %lld out of range",
				       label(c, c->input), (long long)z);
		q->zero_point = (int)z;
	}
	return 0;
}

/* Probabilities after SOFTMAX, logits after a classifier, else embedding. */
static enum mnet_output_kind output_kind(const struct mnet_model *m)
{
	int t = m->output, i;

	for (i = m->n_layers - 1; i >= 0; i--) {
		const struct mnet_layer *l = &m->layers[i];

		if (l->out != t)
			continue;
		switch (l->op) {
		case MNET_OP_RESHAPE:
			t = l->in;	/* look through to the producer */
			continue;
		case MNET_OP_SOFTMAX:
			return MNET_OUTPUT_PROBABILITIES;
		case MNET_OP_FC:
			return MNET_OUTPUT_LOGITS;
		case MNET_OP_PWCONV2D:
		case MNET_OP_CONV2D:
			if (l->out_shape.h == 1 && l->out_shape.w == 1)
				return MNET_OUTPUT_LOGITS;
			return MNET_OUTPUT_EMBEDDING;
		default:
			return MNET_OUTPUT_EMBEDDING;
		}
	}
	return MNET_OUTPUT_EMBEDDING;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int build_model(struct tfl_ctx *c, const char *name)
{
	struct mnet_model *m;
	uint32_t i;
	int n = 0, ret;

	for (i = 0; i < c->n_ops; i++)
		if (c->ops[i].code != TFL_QUANTIZE &&
		    c->ops[i].code != TFL_DEQUANTIZE)
			n++;
	if (n == 0)
		return tfl_err(c, -EINVAL, "the model has no operators to run");
	if (n > MNET_MAX_LAYERS)
		return tfl_err(c, -EFBIG, "%d operators; the limit is %d", n,
			       MNET_MAX_LAYERS);
	m = mnet_model_alloc(n, n + 1);
	if (!m)
		return tfl_err(c, -ENOMEM, "out of memory");
	c->m = m;
	snprintf(m->name, sizeof(m->name), "%s", base_name(name));
	ret = act_shape(c, -1, c->input, &m->tensors[0].shape);
	if (ret)
		return ret;
	copy_name(m->tensors[0].name, sizeof(m->tensors[0].name),
		  &c->t[c->input], "input", 0);
	c->map[c->input] = 0;
	c->n_tensors = 1;
	ret = input_quant(c);
	if (ret)
		return ret;
	for (i = 0; i < c->n_ops; i++) {
		ret = build_op(c, i);
		if (ret)
			return ret;
	}
	if (c->map[c->output] < 0)
		return tfl_err(c, -EINVAL, "output %s is not computed by any operator",
			       label(c, c->output));
	m->n_layers = c->n_layers;
	m->n_tensors = c->n_tensors;
	m->input = 0;
	m->output = c->map[c->output];
	m->output_kind = output_kind(m);
	return mnet_model_validate(m, c->err);
}

int mnet_model_load_memory(const void *buf, size_t len, const char *name,
			   struct mnet_model **out, struct mnet_err *err)
{
	struct tfl_ctx c = { 0 };
	int ret;

	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
	c.file = name ? name : "<memory>";
	c.err = err;
	if (!out)
		return tfl_err(&c, -EINVAL, "no place to store the model");
	*out = NULL;
	if (!buf && len)
		return tfl_err(&c, -EINVAL, "no buffer given");
	ret = parse_model(&c, buf, len);
	if (!ret)
		ret = build_model(&c, c.file);
	if (ret) {
		if (err && !err->msg[0])	/* never return a bare code */
			tfl_err(&c, ret, "%s", mnet_strerror(ret));
		mnet_model_free(c.m);
	} else {
		*out = c.m;
	}
	free(c.src);
	free(c.map);
	free(c.ops);
	free(c.t);
	return ret;
}

int mnet_model_load_file(const char *path, struct mnet_model **out,
			 struct mnet_err *err)
{
	struct stat st;
	uint8_t *buf;
	size_t got;
	FILE *f;
	int ret, e;

	if (!path || !out)
		return mnet_err_set(err, -EINVAL, "load: no file or no place to store the model");
	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		e = errno;
		return mnet_err_set(err, e == ENOENT ? -ENOENT :
					 e == EACCES ? -EACCES : -EIO,
				    "%s: cannot open: %s", path, strerror(e));
	}
	if (fstat(fileno(f), &st)) {
		e = errno;
		ret = mnet_err_set(err, -EIO, "%s: cannot stat: %s", path,
				   strerror(e));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = mnet_err_set(err, -EIO, "%s: %s, not a model file", path,
				   S_ISDIR(st.st_mode) ? "is a directory" :
							 "not a regular file");
		goto out_close;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > TFL_MAX_FILE_BYTES) {
		ret = mnet_err_set(err, -EFBIG, "%s: %lld bytes; the limit is %llu",
				   path, (long long)st.st_size,
				   (unsigned long long)TFL_MAX_FILE_BYTES);
		goto out_close;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		ret = mnet_err_set(err, -ENOMEM, "%s: out of memory", path);
		goto out_close;
	}
	got = fread(buf, 1, (size_t)st.st_size, f);
	if (got != (size_t)st.st_size) {
		ret = mnet_err_set(err, -EIO, "%s: read %zu of %lld bytes", path,
				   got, (long long)st.st_size);
		goto out_free;
	}
	ret = mnet_model_load_memory(buf, got, path, out, err);
out_free:
	free(buf);
out_close:
	fclose(f);
	return ret;
}
