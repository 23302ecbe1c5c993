/* SPDX-License-Identifier: Apache-2.0 */
/* cache_dir.h - where the library keeps what it caches per user */
#ifndef MNET_RUNTIME_CACHE_DIR_H
#define MNET_RUNTIME_CACHE_DIR_H

#include <stddef.h>

/**
 * mnet_cache_dir() - the per-user cache folder of the library
 * @buf: receives "$XDG_CACHE_HOME/mnet", else "$HOME/.cache/mnet"
 * @len: size of @buf
 *
 * Shared by the OpenCL program cache and the tuning database, so both land
 * in one folder a user can find and delete.
 *
 * Return: 1 when a folder was found, 0 when neither variable is set.
 */
int mnet_cache_dir(char *buf, size_t len);

#endif /* MNET_RUNTIME_CACHE_DIR_H */
