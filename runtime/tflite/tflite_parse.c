// SPDX-License-Identifier: Apache-2.0
/*
 * tflite_parse.c - pass 1 of the TFLite loader: parse and check every table
 *
 * DOC: pass 1
 *
 * Walks the subgraph, every tensor (with its buffer) and every operator
 * (with its operator code) through the bounds-checked reader of flatbuf.c
 * and records them in small arrays, refusing anything malformed or absurd
 * before a single weight is touched.  Counts read from the file are capped
 * (the TFL_MAX_* limits) before they size an allocation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tflite/flatbuf.h"
#include "tflite/tflite_schema.h"
#include "tflite/tflite_ctx.h"
#include "tflite/tflite_parse.h"

static int parse_buffer(struct tfl_ctx *c, uint32_t ti, uint32_t bi)
{
	struct tfl_tensor *t = &c->t[ti];
	struct mnet_fb_table b;
	struct mnet_fb_vec data;
	uint64_t off, size;

	if (bi == 0)	/* buffer 0 is the empty sentinel by convention */
		return 0;
	if (bi >= c->buffers.n)
		return mnet_tfl_err(c, -EINVAL, "%s: buffer index %u out of range (%u buffers)",
				    mnet_tfl_label(c, ti), bi, c->buffers.n);
	if (mnet_fb_vec_table(&c->buffers, bi, &b) ||
	    mnet_fb_vector(&b, TFL_BUF_DATA, 1, &data) ||
	    mnet_fb_u64(&b, TFL_BUF_OFFSET, 0, &off) ||
	    mnet_fb_u64(&b, TFL_BUF_SIZE, 0, &size))
		return mnet_tfl_fb_err(c, "buffer %u of %s", bi,
				       mnet_tfl_label(c, ti));
	if (data.n) {
		t->data = mnet_fb_vec_data(&data);
		t->bytes = data.n;
	} else if (off > 1) {
		/* >2 GB files keep data after the flatbuffer, file-relative */
		if (off > c->fb.len || size > c->fb.len - off)
			return mnet_tfl_err(c, -EINVAL, "%s: buffer %u (offset %llu, size %llu) lies outside the file",
					    mnet_tfl_label(c, ti), bi,
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
		return mnet_tfl_fb_err(c, "tensor %u", ti);
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
	    mnet_fb_table(&ot, TFL_OP_OPTIONS, &op->opts, &op->has_opts) ||
	    mnet_fb_vector(&ot, TFL_OP_CUSTOM_OPTIONS, 1, &op->custom_opts))
		return mnet_tfl_fb_err(c, "op %u", i);
	if (idx >= c->opcodes.n)
		return mnet_tfl_err(c, -EINVAL, "op %u: opcode index %u out of range (%u operator codes)",
				    i, idx, c->opcodes.n);
	if (mnet_fb_vec_table(&c->opcodes, idx, &oc) ||
	    mnet_fb_i8(&oc, TFL_OC_DEPRECATED_BUILTIN_CODE, 0, &dep) ||
	    mnet_fb_i32(&oc, TFL_OC_BUILTIN_CODE, 0, &code) ||
	    mnet_fb_string(&oc, TFL_OC_CUSTOM_CODE, &custom, &custom_len))
		return mnet_tfl_fb_err(c, "operator code %u of op %u", idx, i);
	/* files from before builtin_code existed only set the int8 field */
	op->code = code > dep ? code : dep;
	op->custom = custom;
	op->custom_len = custom ? custom_len : 0;
	for (k = 0; k < op->inputs.n; k++) {
		int32_t v = mnet_fb_vec_i32(&op->inputs, k);

		if (v < -1 || v >= (int64_t)c->n_t)
			return mnet_tfl_op_err(c, i, -EINVAL, "input %u is tensor %d, out of range (%u tensors)",
					       k, (int)v, c->n_t);
	}
	for (k = 0; k < op->outputs.n; k++) {
		int32_t v = mnet_fb_vec_i32(&op->outputs, k);

		if (v < 0 || v >= (int64_t)c->n_t)
			return mnet_tfl_op_err(c, i, -EINVAL, "output %u is tensor %d, out of range (%u tensors)",
					       k, (int)v, c->n_t);
	}
	return 0;
}

int mnet_tfl_parse_model(struct tfl_ctx *c, const void *buf, size_t len)
{
	struct mnet_fb_vec subgraphs, tensors, inputs, outputs, operators;
	struct mnet_fb_table model, sg;
	uint32_t version, i;
	int ret;

	if (mnet_fb_root(&c->fb, buf, len, "TFL3", &model)) {
		if (len >= 8 && buf && memcmp((const char *)buf + 4, "TFL3", 4))
			return mnet_tfl_err(c, -EINVAL, "not a TFLite file (file identifier is not \"TFL3\")");
		return mnet_tfl_fb_err(c, "model header");
	}
	if (mnet_fb_u32(&model, TFL_MODEL_VERSION, 0, &version) ||
	    mnet_fb_vector(&model, TFL_MODEL_OPERATOR_CODES, 4, &c->opcodes) ||
	    mnet_fb_vector(&model, TFL_MODEL_SUBGRAPHS, 4, &subgraphs) ||
	    mnet_fb_vector(&model, TFL_MODEL_BUFFERS, 4, &c->buffers))
		return mnet_tfl_fb_err(c, "model table");
	if (version != 3)
		return mnet_tfl_err(c, -EOPNOTSUPP, "schema version %u; only version 3 is supported",
				    version);
	if (subgraphs.n == 0)
		return mnet_tfl_err(c, -EINVAL, "the model has no subgraph");
	if (subgraphs.n > 1)
		return mnet_tfl_err(c, -EOPNOTSUPP, "%u subgraphs; only single-subgraph models are supported",
				    subgraphs.n);
	if (mnet_fb_vec_table(&subgraphs, 0, &sg) ||
	    mnet_fb_vector(&sg, TFL_SG_TENSORS, 4, &tensors) ||
	    mnet_fb_vector(&sg, TFL_SG_INPUTS, 4, &inputs) ||
	    mnet_fb_vector(&sg, TFL_SG_OUTPUTS, 4, &outputs) ||
	    mnet_fb_vector(&sg, TFL_SG_OPERATORS, 4, &operators))
		return mnet_tfl_fb_err(c, "subgraph");
	if (tensors.n > TFL_MAX_TENSORS || operators.n > TFL_MAX_OPS)
		return mnet_tfl_err(c, -EFBIG, "%u tensors and %u operators; the limits are %u and %u",
				    tensors.n, operators.n, TFL_MAX_TENSORS,
				    TFL_MAX_OPS);
	if ((inputs.n != 1 || outputs.n < 1 || outputs.n > MNET_MAX_OUTPUTS) &&
	    !(c->list_only && inputs.n && outputs.n))
		return mnet_tfl_err(c, -EOPNOTSUPP, "%u inputs and %u outputs; one input and 1..%d outputs are supported",
				    inputs.n, outputs.n, MNET_MAX_OUTPUTS);
	c->n_t = tensors.n;
	c->n_ops = operators.n;
	c->input = (uint32_t)mnet_fb_vec_i32(&inputs, 0);
	c->n_outputs = outputs.n < MNET_MAX_OUTPUTS ? outputs.n :
						      MNET_MAX_OUTPUTS;
	for (i = 0; i < c->n_outputs; i++) {
		c->outputs[i] = (uint32_t)mnet_fb_vec_i32(&outputs, i);
		if (c->outputs[i] >= c->n_t)
			return mnet_tfl_err(c, -EINVAL, "output %u: tensor index out of range (%u tensors)",
					    i, c->n_t);
	}
	c->output = c->outputs[0];
	if (c->input >= c->n_t)
		return mnet_tfl_err(c, -EINVAL, "input/output tensor index out of range (%u tensors)",
				    c->n_t);
	c->t = calloc(c->n_t, sizeof(*c->t));
	c->ops = calloc(c->n_ops ? c->n_ops : 1, sizeof(*c->ops));
	c->map = malloc(c->n_t * sizeof(*c->map));
	c->src = malloc(c->n_t * sizeof(*c->src));
	c->pad = malloc(c->n_t * sizeof(*c->pad));
	c->cust_of = malloc(c->n_t * sizeof(*c->cust_of));
	if (!c->t || !c->ops || !c->map || !c->src || !c->pad || !c->cust_of)
		return mnet_tfl_err(c, -ENOMEM, "out of memory");
	for (i = 0; i < c->n_t; i++) {
		c->map[i] = -1;
		c->src[i] = -1;
		c->pad[i].src = -1;
		c->cust_of[i] = -1;
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
