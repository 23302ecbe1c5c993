/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flatbuf.h - a small bounds-checked FlatBuffers reader
 *
 * DOC: FlatBuffers reader
 *
 * Just enough of the FlatBuffers wire format to walk a TFLite file that may
 * be truncated or hostile: tables (through their vtables), scalars, strings,
 * vectors of scalars and vectors of tables.  Nothing is trusted: every
 * uoffset, soffset, vtable, vector length and string is checked against the
 * buffer (in 64-bit arithmetic, so no sum can wrap) before anything is read,
 * and every read goes through memcpy, so unaligned data is harmless.  Absent
 * fields give the schema default, as in the generated readers.
 *
 * A failing call returns -EINVAL and leaves a short reason and the byte
 * offset in &struct mnet_fb, so the caller (which knows which field of which
 * object it was reading) can write the full message.
 */
#ifndef MNET_RUNTIME_FLATBUF_H
#define MNET_RUNTIME_FLATBUF_H

#include <stddef.h>
#include <stdint.h>

/**
 * struct mnet_fb - a flatbuffer being read
 * @buf: the bytes
 * @len: number of bytes
 * @why: reason for the last failure (static string), or NULL
 * @at: byte offset where the last failure was detected
 */
struct mnet_fb {
	const uint8_t *buf;
	size_t len;
	const char *why;
	uint64_t at;
};

/**
 * struct mnet_fb_table - a table whose vtable has been checked
 * @fb: the flatbuffer
 * @pos: offset of the table
 * @vt: offset of its vtable
 * @vt_len: vtable size in bytes
 * @tbl_len: table size in bytes (the object's inline data)
 */
struct mnet_fb_table {
	const struct mnet_fb *fb;
	uint64_t pos, vt;
	uint16_t vt_len, tbl_len;
};

/**
 * struct mnet_fb_vec - a vector whose extent has been checked
 * @fb: the flatbuffer
 * @pos: offset of element 0
 * @n: element count
 * @elem: element size in bytes
 */
struct mnet_fb_vec {
	const struct mnet_fb *fb;
	uint64_t pos;
	uint32_t n, elem;
};

/**
 * mnet_fb_root() - check the header and return the root table
 * @fb: receives the buffer
 * @buf: bytes
 * @len: length of @buf
 * @ident: 4-character file identifier expected at bytes 4..7, or NULL
 * @root: receives the root table
 *
 * Return: 0 or -EINVAL (@fb->why says why).
 */
int mnet_fb_root(struct mnet_fb *fb, const void *buf, size_t len,
		 const char *ident, struct mnet_fb_table *root);

/**
 * mnet_fb_u8() - read a ubyte/bool/enum field
 * @t: table
 * @id: field id
 * @def: schema default
 * @out: receives the value
 *
 * Return: 0 or -EINVAL.
 */
int mnet_fb_u8(const struct mnet_fb_table *t, unsigned int id, uint8_t def,
	       uint8_t *out);

/**
 * mnet_fb_i8() - read a byte field
 * @t: table
 * @id: field id
 * @def: schema default
 * @out: receives the value
 *
 * Return: 0 or -EINVAL.
 */
int mnet_fb_i8(const struct mnet_fb_table *t, unsigned int id, int8_t def,
	       int8_t *out);

/**
 * mnet_fb_i32() - read an int field
 * @t: table
 * @id: field id
 * @def: schema default
 * @out: receives the value
 *
 * Return: 0 or -EINVAL.
 */
int mnet_fb_i32(const struct mnet_fb_table *t, unsigned int id, int32_t def,
		int32_t *out);

/**
 * mnet_fb_u32() - read a uint field
 * @t: table
 * @id: field id
 * @def: schema default
 * @out: receives the value
 *
 * Return: 0 or -EINVAL.
 */
int mnet_fb_u32(const struct mnet_fb_table *t, unsigned int id, uint32_t def,
		uint32_t *out);

/**
 * mnet_fb_u64() - read a ulong field
 * @t: table
 * @id: field id
 * @def: schema default
 * @out: receives the value
 *
 * Return: 0 or -EINVAL.
 */
int mnet_fb_u64(const struct mnet_fb_table *t, unsigned int id, uint64_t def,
		uint64_t *out);

/**
 * mnet_fb_f32() - read a float field
 * @t: table
 * @id: field id
 * @def: schema default
 * @out: receives the value
 *
 * Return: 0 or -EINVAL.
 */
int mnet_fb_f32(const struct mnet_fb_table *t, unsigned int id, float def,
		float *out);

/**
 * mnet_fb_table() - follow a sub-table field
 * @t: table
 * @id: field id
 * @out: receives the sub-table
 * @present: receives 1 if the field is present, 0 if absent
 *
 * Return: 0 (also when absent) or -EINVAL.
 */
int mnet_fb_table(const struct mnet_fb_table *t, unsigned int id,
		  struct mnet_fb_table *out, int *present);

/**
 * mnet_fb_vector() - follow a vector field
 * @t: table
 * @id: field id
 * @elem: element size in bytes (4 for offsets to tables or strings)
 * @out: receives the vector; an absent field gives an empty vector
 *
 * Return: 0 or -EINVAL (the whole extent n * @elem must lie in the buffer).
 */
int mnet_fb_vector(const struct mnet_fb_table *t, unsigned int id,
		   uint32_t elem, struct mnet_fb_vec *out);

/**
 * mnet_fb_string() - follow a string field
 * @t: table
 * @id: field id
 * @s: receives a pointer into the buffer (not NUL-terminated for sure), or
 *     NULL when absent
 * @len: receives the length in bytes (0 when absent)
 *
 * Return: 0 or -EINVAL.
 */
int mnet_fb_string(const struct mnet_fb_table *t, unsigned int id,
		   const char **s, uint32_t *len);

/**
 * mnet_fb_vec_table() - element @i of a vector of tables
 * @v: vector (element size 4)
 * @i: index, < @v->n
 * @out: receives the table
 *
 * Return: 0 or -EINVAL.
 */
int mnet_fb_vec_table(const struct mnet_fb_vec *v, uint32_t i,
		      struct mnet_fb_table *out);

/**
 * mnet_fb_vec_i32() - element @i of a vector of int (or uint)
 * @v: vector (element size 4)
 * @i: index; out of range gives 0 (callers loop below @v->n)
 *
 * Return: the value.
 */
int32_t mnet_fb_vec_i32(const struct mnet_fb_vec *v, uint32_t i);

/**
 * mnet_fb_vec_i64() - element @i of a vector of long
 * @v: vector (element size 8)
 * @i: index; out of range gives 0
 *
 * Return: the value.
 */
int64_t mnet_fb_vec_i64(const struct mnet_fb_vec *v, uint32_t i);

/**
 * mnet_fb_vec_f32() - element @i of a vector of float
 * @v: vector (element size 4)
 * @i: index; out of range gives 0
 *
 * Return: the value.
 */
float mnet_fb_vec_f32(const struct mnet_fb_vec *v, uint32_t i);

/**
 * mnet_fb_vec_data() - the bytes of a vector
 * @v: vector
 *
 * Return: pointer to element 0 inside the buffer (@v->n * @v->elem bytes
 * are readable), or NULL for an empty vector.
 */
const uint8_t *mnet_fb_vec_data(const struct mnet_fb_vec *v);

#endif /* MNET_RUNTIME_FLATBUF_H */
