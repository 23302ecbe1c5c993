/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_cache.h - on-disk cache of compiled OpenCL program binaries
 */
#ifndef MNET_RUNTIME_CL_CACHE_H
#define MNET_RUNTIME_CL_CACHE_H

#include <stddef.h>

/**
 * mnet_cl_cache_dir() - the cache folder to use
 * @buf: receives the path
 * @len: size of @buf
 *
 * $MNET_CL_CACHE_DIR if set (an empty value disables the cache), else
 * $XDG_CACHE_HOME/mnet, else $HOME/.cache/mnet.
 *
 * Return: 1 when a folder was chosen, 0 when caching is off.
 */
int mnet_cl_cache_dir(char *buf, size_t len);

/**
 * mnet_cl_cache_path() - the file that holds the entry for @key
 * @dir: cache folder
 * @key: full key text (device, vendor, driver, source hash, options)
 * @buf: receives the path
 * @len: size of @buf
 */
void mnet_cl_cache_path(const char *dir, const char *key, char *buf,
			size_t len);

/**
 * mnet_cl_cache_load() - read a cached binary
 * @dir: cache folder
 * @key: full key text
 * @bin: receives a malloc'd binary
 * @len: receives its length
 *
 * The file is only accepted if its magic, stored key, length and checksum
 * all match; anything else (truncated, corrupt, another device's entry
 * under a colliding name) is a miss.
 *
 * Return: 0 on a hit, -ENOENT on a miss, -EBADMSG for a damaged entry,
 * -ENOMEM.
 */
int mnet_cl_cache_load(const char *dir, const char *key, unsigned char **bin,
		       size_t *len);

/**
 * mnet_cl_cache_store() - write an entry atomically (temp file + rename)
 * @dir: cache folder (created if missing)
 * @key: full key text
 * @bin: program binary
 * @len: its length
 *
 * Return: 0, or a negative errno (callers ignore it: a cache is optional).
 */
int mnet_cl_cache_store(const char *dir, const char *key, const void *bin,
			size_t len);

#endif /* MNET_RUNTIME_CL_CACHE_H */
