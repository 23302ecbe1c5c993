// SPDX-License-Identifier: Apache-2.0
/*
 * flatbuf.c - a small bounds-checked FlatBuffers reader
 *
 * DOC: wire format and checks
 *
 * A flatbuffer starts with a uoffset (u32, little endian) to the root table.
 * A table starts with an soffset (i32): its vtable lies at table - soffset.
 * A vtable is u16 vtable size, u16 table size, then one u16 per field: the
 * field's offset inside the table, 0 when absent.  Offset-typed fields
 * (tables, vectors, strings) hold a uoffset relative to the field itself.
 * Vectors and strings are a u32 count followed by the elements (strings
 * also by a NUL we do not rely on).
 *
 * Every position is computed in uint64_t from values that are at most
 * 2^32, so no sum wraps, and compared against the buffer length before any
 * byte is read.  A field must lie inside its table's declared size, and the
 * table inside the buffer.
 */
#include <errno.h>
#include <string.h>

#include "tflite/flatbuf.h"

static int fail(const struct mnet_fb *fb, const char *why, uint64_t at)
{
	/* the reader is logically const; only the diagnostics change */
	struct mnet_fb *w = (struct mnet_fb *)fb;

	w->why = why;
	w->at = at;
	return -EINVAL;
}

static int in_buf(const struct mnet_fb *fb, uint64_t pos, uint64_t n)
{
	return pos <= fb->len && n <= fb->len - pos;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static int table_at(const struct mnet_fb *fb, uint64_t pos,
		    struct mnet_fb_table *t)
{
	int64_t vt;

	if (!in_buf(fb, pos, 4))
		return fail(fb, "table outside the buffer", pos);
	vt = (int64_t)pos - (int32_t)rd32(fb->buf + pos);
	if (vt < 0 || !in_buf(fb, (uint64_t)vt, 4))
		return fail(fb, "vtable outside the buffer", pos);
	t->fb = fb;
	t->pos = pos;
	t->vt = (uint64_t)vt;
	t->vt_len = rd16(fb->buf + vt);
	t->tbl_len = rd16(fb->buf + vt + 2);
	if (t->vt_len < 4 || (t->vt_len & 1) ||
	    !in_buf(fb, (uint64_t)vt, t->vt_len))
		return fail(fb, "bad vtable size", (uint64_t)vt);
	if (t->tbl_len < 4 || !in_buf(fb, pos, t->tbl_len))
		return fail(fb, "table size runs past the buffer", pos);
	return 0;
}

int mnet_fb_root(struct mnet_fb *fb, const void *buf, size_t len,
		 const char *ident, struct mnet_fb_table *root)
{
	fb->buf = buf;
	fb->len = buf ? len : 0;
	fb->why = NULL;
	fb->at = 0;
	if (fb->len < 8)
		return fail(fb, "too short for a flatbuffer header", 0);
	if (ident && memcmp(fb->buf + 4, ident, 4))
		return fail(fb, "wrong file identifier", 4);
	return table_at(fb, rd32(fb->buf), root);
}

/* Offset of field @id inside its table with room for @size bytes; 0: absent. */
static int field(const struct mnet_fb_table *t, unsigned int id,
		 unsigned int size, uint32_t *off)
{
	uint64_t slot = 4 + 2 * (uint64_t)id;
	uint16_t o;

	*off = 0;
	if (slot + 2 > t->vt_len)
		return 0;
	o = rd16(t->fb->buf + t->vt + slot);
	if (!o)
		return 0;
	if (o < 4 || (uint64_t)o + size > t->tbl_len)
		return fail(t->fb, "field outside its table", t->pos);
	*off = o;
	return 0;
}

/* Read @size little-endian bytes of field @id, or report it absent. */
static int scalar(const struct mnet_fb_table *t, unsigned int id,
		  unsigned int size, const uint8_t **p)
{
	uint32_t off;
	int ret;

	*p = NULL;
	ret = field(t, id, size, &off);
	if (ret || !off)
		return ret;
	*p = t->fb->buf + t->pos + off;
	return 0;
}

int mnet_fb_u8(const struct mnet_fb_table *t, unsigned int id, uint8_t def,
	       uint8_t *out)
{
	const uint8_t *p;
	int ret = scalar(t, id, 1, &p);

	*out = p ? p[0] : def;
	return ret;
}

int mnet_fb_i8(const struct mnet_fb_table *t, unsigned int id, int8_t def,
	       int8_t *out)
{
	const uint8_t *p;
	int ret = scalar(t, id, 1, &p);

	*out = p ? (int8_t)p[0] : def;
	return ret;
}

int mnet_fb_i32(const struct mnet_fb_table *t, unsigned int id, int32_t def,
		int32_t *out)
{
	const uint8_t *p;
	int ret = scalar(t, id, 4, &p);

	*out = p ? (int32_t)rd32(p) : def;
	return ret;
}

int mnet_fb_u32(const struct mnet_fb_table *t, unsigned int id, uint32_t def,
		uint32_t *out)
{
	const uint8_t *p;
	int ret = scalar(t, id, 4, &p);

	*out = p ? rd32(p) : def;
	return ret;
}

int mnet_fb_u64(const struct mnet_fb_table *t, unsigned int id, uint64_t def,
		uint64_t *out)
{
	const uint8_t *p;
	int ret = scalar(t, id, 8, &p);

	*out = p ? rd64(p) : def;
	return ret;
}

int mnet_fb_f32(const struct mnet_fb_table *t, unsigned int id, float def,
		float *out)
{
	const uint8_t *p;
	uint32_t u;
	int ret = scalar(t, id, 4, &p);

	if (!p) {
		*out = def;
		return ret;
	}
	u = rd32(p);
	memcpy(out, &u, sizeof(*out));
	return 0;
}

/* Target of the uoffset field @id; 0 when absent. */
static int target(const struct mnet_fb_table *t, unsigned int id,
		  uint64_t *pos)
{
	uint32_t off;
	uint64_t at;
	int ret;

	*pos = 0;
	ret = field(t, id, 4, &off);
	if (ret || !off)
		return ret;
	at = (uint64_t)t->pos + off;
	*pos = at + rd32(t->fb->buf + at);
	if (!in_buf(t->fb, *pos, 1))
		return fail(t->fb, "offset points outside the buffer", at);
	return 0;
}

int mnet_fb_table(const struct mnet_fb_table *t, unsigned int id,
		  struct mnet_fb_table *out, int *present)
{
	uint64_t pos;
	int ret;

	*present = 0;
	ret = target(t, id, &pos);
	if (ret || !pos)
		return ret;
	*present = 1;
	return table_at(t->fb, pos, out);
}

static int vector_at(const struct mnet_fb *fb, uint64_t pos, uint32_t elem,
		     struct mnet_fb_vec *out)
{
	uint32_t n;

	if (!in_buf(fb, pos, 4))
		return fail(fb, "vector length outside the buffer", pos);
	n = rd32(fb->buf + pos);
	if (!in_buf(fb, pos + 4, (uint64_t)n * elem))
		return fail(fb, "vector runs past the end of the buffer", pos);
	out->fb = fb;
	out->pos = pos + 4;
	out->n = n;
	out->elem = elem;
	return 0;
}

int mnet_fb_vector(const struct mnet_fb_table *t, unsigned int id,
		   uint32_t elem, struct mnet_fb_vec *out)
{
	uint64_t pos;
	int ret;

	memset(out, 0, sizeof(*out));
	out->fb = t->fb;
	out->elem = elem;
	ret = target(t, id, &pos);
	if (ret || !pos)
		return ret;
	return vector_at(t->fb, pos, elem, out);
}

int mnet_fb_string(const struct mnet_fb_table *t, unsigned int id,
		   const char **s, uint32_t *len)
{
	struct mnet_fb_vec v;
	int ret;

	*s = NULL;
	*len = 0;
	ret = mnet_fb_vector(t, id, 1, &v);
	if (ret || !v.pos)
		return ret;
	*s = (const char *)t->fb->buf + v.pos;
	*len = v.n;
	return 0;
}

int mnet_fb_vec_table(const struct mnet_fb_vec *v, uint32_t i,
		      struct mnet_fb_table *out)
{
	uint64_t at;

	if (i >= v->n || v->elem != 4)
		return fail(v->fb, "vector index out of range", v->pos);
	at = (uint64_t)v->pos + 4 * (uint64_t)i;
	return table_at(v->fb, at + rd32(v->fb->buf + at), out);
}

static const uint8_t *elem(const struct mnet_fb_vec *v, uint32_t i,
			   uint32_t size)
{
	if (i >= v->n || v->elem != size)
		return NULL;
	return v->fb->buf + v->pos + (uint64_t)i * size;
}

int32_t mnet_fb_vec_i32(const struct mnet_fb_vec *v, uint32_t i)
{
	const uint8_t *p = elem(v, i, 4);

	return p ? (int32_t)rd32(p) : 0;
}

int64_t mnet_fb_vec_i64(const struct mnet_fb_vec *v, uint32_t i)
{
	const uint8_t *p = elem(v, i, 8);

	return p ? (int64_t)rd64(p) : 0;
}

float mnet_fb_vec_f32(const struct mnet_fb_vec *v, uint32_t i)
{
	const uint8_t *p = elem(v, i, 4);
	uint32_t u;
	float f;

	if (!p)
		return 0.0f;
	u = rd32(p);
	memcpy(&f, &u, sizeof(f));
	return f;
}

const uint8_t *mnet_fb_vec_data(const struct mnet_fb_vec *v)
{
	return v->n ? v->fb->buf + v->pos : NULL;
}
