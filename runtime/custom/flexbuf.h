/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flexbuf.h - a small, bounds-checked reader of a FlexBuffer map's scalars
 *
 * DOC: flexbuffers
 *
 * Custom operators keep their options as a FlexBuffer (the schema-less
 * sibling of FlatBuffers): here only what options need, a root map whose
 * values are scalars (int, uint, float, bool, inline or indirect).  Every
 * offset is checked against the buffer before it is followed, so a hostile
 * file gets -EINVAL, never a read out of bounds.
 */
#ifndef MNET_RUNTIME_FLEXBUF_H
#define MNET_RUNTIME_FLEXBUF_H

#include <stddef.h>
#include <stdint.h>

/**
 * struct mnet_flexbuf_map - the root map of a FlexBuffer
 * @buf: the buffer
 * @len: its length in bytes
 * @values: offset of the first value
 * @keys: offset of the first key offset
 * @n: number of entries
 * @width: byte width of a value
 * @key_width: byte width of a key offset
 */
struct mnet_flexbuf_map {
	const uint8_t *buf;
	size_t len;
	size_t values, keys;
	size_t n;
	unsigned int width, key_width;
};

/**
 * mnet_flexbuf_map_open() - read the root of a FlexBuffer as a map
 * @buf: the bytes
 * @len: their number
 * @map: receives the map
 *
 * Return: 0, or -EINVAL (too short, root not a map, offsets outside).
 */
int mnet_flexbuf_map_open(const uint8_t *buf, size_t len,
			  struct mnet_flexbuf_map *map);

/**
 * mnet_flexbuf_map_number() - a scalar value of a map, as a double
 * @map: the map
 * @key: the key (NUL-terminated)
 * @out: receives the value (bools as 0/1)
 *
 * Return: 0, -ENOENT (no such key), or -EINVAL (not a scalar, or out of
 * the buffer).
 */
int mnet_flexbuf_map_number(const struct mnet_flexbuf_map *map,
			    const char *key, double *out);

#endif /* MNET_RUNTIME_FLEXBUF_H */
