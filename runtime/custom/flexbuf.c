// SPDX-License-Identifier: Apache-2.0
/*
 * flexbuf.c - read the scalars of a FlexBuffer map (custom op options)
 *
 * The layout (FlexBuffers' documented wire format): the last byte is the
 * root's byte width, the one before it the root's packed type (type << 2 |
 * log2 of its children's width), the root value before those.  A map's
 * value is an offset back to its values; before the values lie the keys
 * vector's offset, its width and the entry count, one value width each;
 * after the values, one packed type byte per value.  The keys vector holds
 * offsets to NUL-terminated strings, sorted.
 */
#include <errno.h>
#include <string.h>

#include "custom/flexbuf.h"

enum {
	FBX_INT = 1,
	FBX_UINT = 2,
	FBX_FLOAT = 3,
	FBX_INDIRECT_INT = 6,
	FBX_INDIRECT_UINT = 7,
	FBX_INDIRECT_FLOAT = 8,
	FBX_MAP = 9,
	FBX_BOOL = 26,
};

static int rd_uint(const uint8_t *buf, size_t len, size_t at, unsigned int w,
		   uint64_t *out)
{
	uint64_t v = 0;
	unsigned int k;

	if ((w != 1 && w != 2 && w != 4 && w != 8) || at > len || w > len - at)
		return -EINVAL;
	for (k = 0; k < w; k++)
		v |= (uint64_t)buf[at + k] << (8 * k);
	*out = v;
	return 0;
}

/* Follow the offset stored at @at (width @w) back to what it points to. */
static int rd_back(const uint8_t *buf, size_t len, size_t at, unsigned int w,
		   size_t *out)
{
	uint64_t off;

	if (rd_uint(buf, len, at, w, &off) || off > at)
		return -EINVAL;
	*out = at - (size_t)off;
	return 0;
}

static int rd_scalar(const uint8_t *buf, size_t len, size_t at,
		     unsigned int w, int type, double *out)
{
	uint64_t u;
	union {
		uint32_t u;
		float f;
	} f32;
	union {
		uint64_t u;
		double d;
	} f64;

	if (rd_uint(buf, len, at, w, &u))
		return -EINVAL;
	switch (type) {
	case FBX_UINT:
	case FBX_BOOL:
		*out = (double)u;
		return 0;
	case FBX_INT:
		/* sign-extend from w bytes */
		if (w < 8 && (u >> (8 * w - 1)) & 1)
			u |= ~(uint64_t)0 << (8 * w);
		*out = (double)(int64_t)u;
		return 0;
	case FBX_FLOAT:
		if (w == 4) {
			f32.u = (uint32_t)u;
			*out = f32.f;
		} else if (w == 8) {
			f64.u = u;
			*out = f64.d;
		} else {
			return -EINVAL;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

int mnet_flexbuf_map_open(const uint8_t *buf, size_t len,
			  struct mnet_flexbuf_map *map)
{
	unsigned int rw, type;
	uint64_t n, kw, kn;
	size_t root, keys_at;

	memset(map, 0, sizeof(*map));
	if (!buf || len < 3)
		return -EINVAL;
	rw = buf[len - 1];
	type = buf[len - 2];
	if ((type >> 2) != FBX_MAP || rw > len - 2)
		return -EINVAL;
	if (rd_back(buf, len, len - 2 - rw, rw, &root))
		return -EINVAL;
	map->width = 1u << (type & 3);
	if (root < 3 * (size_t)map->width)
		return -EINVAL;
	if (rd_uint(buf, len, root - map->width, map->width, &n) ||
	    rd_uint(buf, len, root - 2 * map->width, map->width, &kw) ||
	    rd_back(buf, len, root - 3 * map->width, map->width, &keys_at))
		return -EINVAL;
	if (n > len || n * map->width > len - root ||
	    n > len - root - n * map->width)	/* values, then their types */
		return -EINVAL;
	if ((kw != 1 && kw != 2 && kw != 4 && kw != 8) || keys_at < kw ||
	    rd_uint(buf, len, keys_at - kw, (unsigned int)kw, &kn) ||
	    kn != n || n * kw > len - keys_at)
		return -EINVAL;
	map->buf = buf;
	map->len = len;
	map->values = root;
	map->keys = keys_at;
	map->n = (size_t)n;
	map->key_width = (unsigned int)kw;
	return 0;
}

int mnet_flexbuf_map_number(const struct mnet_flexbuf_map *map,
			    const char *key, double *out)
{
	size_t i, k, at, klen = strlen(key);

	for (i = 0; i < map->n; i++) {
		unsigned int packed, type, w;

		if (rd_back(map->buf, map->len, map->keys + i * map->key_width,
			    map->key_width, &k))
			return -EINVAL;
		if (k + klen >= map->len || memcmp(map->buf + k, key, klen) ||
		    map->buf[k + klen] != '\0')
			continue;
		at = map->values + i * map->width;
		packed = map->buf[map->values + map->n * map->width + i];
		type = packed >> 2;
		if (type == FBX_INDIRECT_INT || type == FBX_INDIRECT_UINT ||
		    type == FBX_INDIRECT_FLOAT) {
			if (rd_back(map->buf, map->len, at, map->width, &at))
				return -EINVAL;
			w = 1u << (packed & 3);
			type -= FBX_INDIRECT_INT - FBX_INT;
		} else {
			w = map->width;
		}
		return rd_scalar(map->buf, map->len, at, w, (int)type, out);
	}
	return -ENOENT;
}
