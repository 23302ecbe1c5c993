/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tfl_builder.h - build small TFLite flatbuffers in memory, for the tests
 *
 * DOC: test model builder
 *
 * The loader tests need files with known weights, float16 and per-channel
 * int8 constants, chosen padding, and deliberately broken variants (a
 * dilation, a batch of 2, 10^9 channels), none of which the shared models
 * provide.  This header writes them with a minimal FlatBuffers builder that
 * works like the official one: back to front, children before parents, so
 * every uoffset points forward; each table gets its own vtable just below
 * it.  Scalars take 4- or 8-byte slots; alignment is kept to 4 bytes (8 for
 * the header), which our reader does not need but real files have.
 *
 * The description (&struct tm_model) lists tensors and operators; tm_build()
 * gives every tensor with data its own buffer and every operator its own
 * OperatorCode.  Header-only (static functions) because each test is its
 * own executable.
 */
#ifndef MNET_TESTS_TFL_BUILDER_H
#define MNET_TESTS_TFL_BUILDER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tfb_kind { TFB_U8, TFB_I32, TFB_F32, TFB_I64, TFB_REF };

struct tfb_field {
	int id;
	enum tfb_kind kind;
	int64_t v;
	float f;
};

struct tfb {
	uint8_t *buf;
	size_t cap, head;	/* head: bytes written, counted from the end */
	int fail;
};

static inline void tfb_put(struct tfb *b, const void *p, size_t n)
{
	if (b->fail || b->head + n > b->cap) {
		b->fail = 1;
		return;
	}
	b->head += n;
	memcpy(b->buf + b->cap - b->head, p, n);
}

static inline void tfb_pad(struct tfb *b, size_t extra, size_t align)
{
	static const uint8_t zero;

	while ((b->head + extra) % align && !b->fail)
		tfb_put(b, &zero, 1);
}

static inline void tfb_u32(struct tfb *b, uint32_t v)
{
	uint8_t le[4] = { v, v >> 8, v >> 16, v >> 24 };

	tfb_put(b, le, 4);
}

/* A vector of @n elements of @elem bytes; returns its reference. */
static inline uint32_t tfb_vec(struct tfb *b, const void *data, uint32_t n,
			       uint32_t elem)
{
	tfb_pad(b, (size_t)n * elem, elem > 4 ? elem : 4);
	if (n)
		tfb_put(b, data, (size_t)n * elem);
	tfb_u32(b, n);
	return (uint32_t)b->head;
}

static inline uint32_t tfb_str(struct tfb *b, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);

	/* the NUL terminator follows the bytes */
	tfb_pad(b, n + 1, 4);
	tfb_put(b, "", 1);
	tfb_put(b, s, n);
	tfb_u32(b, n);
	return (uint32_t)b->head;
}

/* A vector of references (uoffsets relative to each element). */
static inline uint32_t tfb_refs(struct tfb *b, const uint32_t *refs, uint32_t n)
{
	uint32_t i;

	tfb_pad(b, 0, 4);
	for (i = n; i-- > 0;)
		tfb_u32(b, (uint32_t)(b->head + 4 - refs[i]));
	tfb_u32(b, n);
	return (uint32_t)b->head;
}

static inline uint32_t tfb_table(struct tfb *b, const struct tfb_field *f,
				 int n)
{
	uint16_t vt[64] = { 0 };
	size_t field_at[32];
	int i, max_id = -1;
	uint32_t t;
	uint16_t vt_size, tbl_size = 4;

	if (n > 32) {
		b->fail = 1;
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (f[i].id > max_id)
			max_id = f[i].id;
		tbl_size += f[i].kind == TFB_I64 ? 8 : 4;
	}
	vt_size = (uint16_t)(4 + 2 * (max_id + 1));
	tfb_pad(b, 0, 4);
	for (i = n; i-- > 0;) {
		int64_t v = f[i].v;
		uint8_t le[8];
		int k;

		switch (f[i].kind) {
		case TFB_REF:
			tfb_u32(b, (uint32_t)(b->head + 4 - (uint32_t)v));
			break;
		case TFB_F32:
			memcpy(le, &f[i].f, 4);
			tfb_put(b, le, 4);
			break;
		case TFB_I64:
			for (k = 0; k < 8; k++)
				le[k] = (uint8_t)((uint64_t)v >> (8 * k));
			tfb_put(b, le, 8);
			break;
		default:	/* U8 and I32 in a 4-byte slot */
			tfb_u32(b, (uint32_t)v);
			break;
		}
		field_at[i] = b->head;
	}
	tfb_u32(b, vt_size);	/* soffset: the vtable sits just below */
	t = (uint32_t)b->head;
	vt[0] = vt_size;
	vt[1] = tbl_size;
	for (i = 0; i < n; i++)
		vt[2 + f[i].id] = (uint16_t)(t - field_at[i]);
	for (i = vt_size / 2; i-- > 0;) {
		uint8_t le[2] = { vt[i], vt[i] >> 8 };

		tfb_put(b, le, 2);
	}
	return t;
}

/* Finish with the root table and identifier; returns a malloc'd copy. */
static inline uint8_t *tfb_finish(struct tfb *b, uint32_t root,
				  const char *ident, size_t *len)
{
	uint8_t *out;

	tfb_pad(b, 8, 8);
	tfb_put(b, ident, 4);
	tfb_u32(b, (uint32_t)(b->head + 4 - root));
	if (b->fail)
		return NULL;
	out = malloc(b->head);
	if (out)
		memcpy(out, b->buf + b->cap - b->head, b->head);
	*len = b->head;
	return out;
}

/* ---- TFLite models ------------------------------------------------------- */

struct tm_tensor {
	const char *name;
	int rank;
	int32_t dims[6];	/* room for a rank-5 test */
	uint8_t type;		/* TensorType */
	const void *data;	/* constant contents or NULL */
	uint32_t bytes;
	int nq;			/* number of scales (0: no quantization) */
	const float *scale;
	const int64_t *zp;
	int qdim;
};

struct tm_op {
	int32_t code;		/* BuiltinOperator */
	int n_in;
	int32_t in[4];
	int32_t out;
	uint8_t opt_type;	/* BuiltinOptions tag, 0: none */
	int n_opt;
	struct tfb_field opt[8];
};

/* A CUSTOM op's (code 32) name and custom_options bytes, per op. */
struct tm_custom {
	const char *name;
	const uint8_t *opts;
	uint32_t n_opts;
};

struct tm_model {
	int n_t;
	struct tm_tensor t[24];
	int n_ops;
	struct tm_op ops[16];
	struct tm_custom custom[16];	/* zero for builtin ops */
	int32_t input, output;
	int n_subgraphs;	/* 0 means 1 */
	uint32_t version;	/* 0 means 3 */
	const char *ident;	/* NULL means "TFL3" */
};

static inline uint32_t tm_tensor_table(struct tfb *b, const struct tm_tensor *t,
				       uint32_t buffer)
{
	struct tfb_field f[6];
	uint32_t shape, name, q = 0;
	int n = 0;

	if (t->nq) {
		struct tfb_field qf[3];
		uint32_t sc = tfb_vec(b, t->scale, (uint32_t)t->nq, 4);
		uint32_t zp = tfb_vec(b, t->zp, (uint32_t)t->nq, 8);

		qf[0] = (struct tfb_field){ 2, TFB_REF, sc, 0 };
		qf[1] = (struct tfb_field){ 3, TFB_REF, zp, 0 };
		qf[2] = (struct tfb_field){ 6, TFB_I32, t->qdim, 0 };
		q = tfb_table(b, qf, 3);
	}
	shape = tfb_vec(b, t->dims, (uint32_t)t->rank, 4);
	name = tfb_str(b, t->name ? t->name : "");
	f[n++] = (struct tfb_field){ 0, TFB_REF, shape, 0 };
	f[n++] = (struct tfb_field){ 1, TFB_U8, t->type, 0 };
	f[n++] = (struct tfb_field){ 2, TFB_I32, buffer, 0 };
	f[n++] = (struct tfb_field){ 3, TFB_REF, name, 0 };
	if (t->nq)
		f[n++] = (struct tfb_field){ 4, TFB_REF, q, 0 };
	return tfb_table(b, f, n);
}

static inline uint8_t *tm_build(const struct tm_model *m, size_t *len)
{
	uint32_t bufs[25], tens[24], ops[16], codes[16], sgs[4];
	struct tfb b = { 0 };
	struct tfb_field f[8];
	uint32_t n_buf = 1, ref, io[2];
	int i, n_sg = m->n_subgraphs ? m->n_subgraphs : 1;
	uint8_t *out;

	b.cap = 1u << 20;
	for (i = 0; i < m->n_t; i++)
		b.cap += m->t[i].bytes + 64;
	b.buf = malloc(b.cap);
	if (!b.buf)
		return NULL;
	bufs[0] = tfb_table(&b, NULL, 0);	/* the empty sentinel */
	for (i = 0; i < m->n_t; i++) {
		uint32_t bi = 0;

		if (m->t[i].data) {
			ref = tfb_vec(&b, m->t[i].data, m->t[i].bytes, 1);
			f[0] = (struct tfb_field){ 0, TFB_REF, ref, 0 };
			bi = n_buf;
			bufs[n_buf++] = tfb_table(&b, f, 1);
		}
		tens[i] = tm_tensor_table(&b, &m->t[i], bi);
	}
	for (i = 0; i < m->n_ops; i++) {
		const struct tm_op *o = &m->ops[i];
		uint32_t in, outv, opts = 0;
		int n = 0;

		if (o->opt_type)
			opts = tfb_table(&b, o->opt, o->n_opt);
		in = tfb_vec(&b, o->in, (uint32_t)o->n_in, 4);
		outv = tfb_vec(&b, &o->out, 1, 4);
		f[n++] = (struct tfb_field){ 0, TFB_I32, i, 0 };
		f[n++] = (struct tfb_field){ 1, TFB_REF, in, 0 };
		f[n++] = (struct tfb_field){ 2, TFB_REF, outv, 0 };
		if (o->opt_type) {
			f[n++] = (struct tfb_field){ 3, TFB_U8, o->opt_type, 0 };
			f[n++] = (struct tfb_field){ 4, TFB_REF, opts, 0 };
		}
		if (m->custom[i].opts)
			f[n++] = (struct tfb_field){ 5, TFB_REF,
						     tfb_vec(&b, m->custom[i].opts,
							     m->custom[i].n_opts,
							     1), 0 };
		ops[i] = tfb_table(&b, f, n);
		f[0] = (struct tfb_field){ 0, TFB_U8,
					   o->code < 127 ? o->code : 127, 0 };
		f[1] = (struct tfb_field){ 2, TFB_I32, 1, 0 };
		f[2] = (struct tfb_field){ 3, TFB_I32, o->code, 0 };
		n = 3;
		if (m->custom[i].name)
			f[n++] = (struct tfb_field){ 1, TFB_REF,
						     tfb_str(&b, m->custom[i].name),
						     0 };
		codes[i] = tfb_table(&b, f, n);
	}
	for (i = 0; i < n_sg && i < 4; i++) {
		uint32_t tv = tfb_refs(&b, tens, (uint32_t)m->n_t);
		uint32_t ov = tfb_refs(&b, ops, (uint32_t)m->n_ops);
		uint32_t iv = tfb_vec(&b, &m->input, 1, 4);
		uint32_t outv = tfb_vec(&b, &m->output, 1, 4);
		uint32_t name = tfb_str(&b, "main");

		f[0] = (struct tfb_field){ 0, TFB_REF, tv, 0 };
		f[1] = (struct tfb_field){ 1, TFB_REF, iv, 0 };
		f[2] = (struct tfb_field){ 2, TFB_REF, outv, 0 };
		f[3] = (struct tfb_field){ 3, TFB_REF, ov, 0 };
		f[4] = (struct tfb_field){ 4, TFB_REF, name, 0 };
		sgs[i] = tfb_table(&b, f, 5);
	}
	io[0] = tfb_refs(&b, codes, (uint32_t)m->n_ops);
	io[1] = tfb_refs(&b, sgs, (uint32_t)(n_sg < 4 ? n_sg : 4));
	ref = tfb_refs(&b, bufs, n_buf);
	f[0] = (struct tfb_field){ 0, TFB_I32, m->version ? m->version : 3, 0 };
	f[1] = (struct tfb_field){ 1, TFB_REF, io[0], 0 };
	f[2] = (struct tfb_field){ 2, TFB_REF, io[1], 0 };
	f[3] = (struct tfb_field){ 3, TFB_REF, tfb_str(&b, "mnet test"), 0 };
	f[4] = (struct tfb_field){ 4, TFB_REF, ref, 0 };
	out = tfb_finish(&b, tfb_table(&b, f, 5),
			 m->ident ? m->ident : "TFL3", len);
	free(b.buf);
	return out;
}

/*
 * A small float file the loader refuses at its second operator: the
 * input (1x4x4x3) through ADD (accepted), then PAD, which the loader
 * folds only into a convolution that reads it: this one is the model's
 * output ("op 1 PAD: cannot be folded into a convolution: ...").  For the tools' listing of
 * a refused file, now that the shared DeepLab files load.
 */
static inline void tm_refused_model(struct tm_model *m)
{
	static const int32_t pads[8] = { 0, 0, 1, 1, 1, 1, 0, 0 };

	memset(m, 0, sizeof(*m));
	m->n_t = 4;
	m->t[0] = (struct tm_tensor){ .name = "input", .rank = 4,
				      .dims = { 1, 4, 4, 3 } };
	m->t[1] = (struct tm_tensor){ .name = "sum", .rank = 4,
				      .dims = { 1, 4, 4, 3 } };
	m->t[2] = (struct tm_tensor){ .name = "paddings", .rank = 2,
				      .dims = { 4, 2 }, .type = 2,
				      .data = pads, .bytes = sizeof(pads) };
	m->t[3] = (struct tm_tensor){ .name = "padded", .rank = 4,
				      .dims = { 1, 6, 6, 3 } };
	m->n_ops = 2;
	m->ops[0] = (struct tm_op){ .code = 0, .n_in = 2, .in = { 0, 0 },
				    .out = 1 };
	m->ops[1] = (struct tm_op){ .code = 34, .n_in = 2, .in = { 1, 2 },
				    .out = 3 };
	m->input = 0;
	m->output = 3;
}

/* Write @m to @path; 0 or -1. */
static inline int tm_write_file(const struct tm_model *m, const char *path)
{
	size_t len;
	uint8_t *buf = tm_build(m, &len);
	FILE *f;
	int ret = -1;

	if (!buf)
		return -1;
	f = fopen(path, "wb");
	if (f) {
		ret = fwrite(buf, 1, len, f) == len ? 0 : -1;
		if (fclose(f))
			ret = -1;
	}
	free(buf);
	return ret;
}

#endif /* MNET_TESTS_TFL_BUILDER_H */
