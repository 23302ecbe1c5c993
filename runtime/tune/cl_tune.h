/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_tune.h - tuning keys and tuned configurations for the OpenCL backend
 */
#ifndef MNET_RUNTIME_CL_TUNE_H
#define MNET_RUNTIME_CL_TUNE_H

#include <stddef.h>

#include "cl/cl_device.h"
#include "opencl/cl_layer.h"
#include "tune/tune_db.h"

/**
 * mnet_cl_tune_device_key() - the device part of a database key
 * @dev: device
 * @buf: receives "platform|device|vendor|driver|compute units"
 * @len: size of @buf
 */
void mnet_cl_tune_device_key(const struct mnet_cl_device *dev, char *buf,
			     size_t len);

/**
 * mnet_cl_tune_layer_key() - the layer part of a database key
 * @l: layer
 * @dev: device (for the default configuration the options start from)
 * @prec: precision (its name ends the key)
 * @buf: receives "file:source hash|build options minus the tuned
 *       knobs|precision"
 * @len: size of @buf
 *
 * Return: 0, -EOPNOTSUPP (no kernel for this layer), -ENOENT (kernel
 * source missing), -ENOMEM.
 */
int mnet_cl_tune_layer_key(const struct mnet_layer *l,
			   const struct mnet_cl_device *dev,
			   const struct mnet_cl_precision *prec, char *buf,
			   size_t len);

/**
 * mnet_cl_tune_cfg_format() - a configuration's text form
 * @cfg: configuration
 * @buf: receives e.g. "k vw=16 ppt=8 wg=16x4x1", "k vw=4 ppt=1 wg=auto",
 *       "k vw=16 ppt=1 wg=2x32x1 oxt=4 oyt=8" (dwconv's tile),
 *       "k vw=16 ppt=8 wg=4x8x1 ks=16" (pwconv's local tile) or "gemm"
 * @len: size of @buf
 */
void mnet_cl_tune_cfg_format(const struct mnet_cl_layer_cfg *cfg, char *buf,
			     size_t len);

/**
 * mnet_cl_tune_cfg_parse() - parse what mnet_cl_tune_cfg_format() wrote
 * @s: text
 * @cfg: receives the configuration (name left unchanged; "gemm" sets only
 *       the variant; without " oxt=X oyt=Y" or " ks=K" those are 1, 1
 *       and 0)
 *
 * Return: 0, or -EINVAL for anything else.
 */
int mnet_cl_tune_cfg_parse(const char *s, struct mnet_cl_layer_cfg *cfg);

/**
 * mnet_cl_tune_lookup() - the tuned configuration of a layer, if any
 * @db: loaded database
 * @dev_key: from mnet_cl_tune_device_key()
 * @l: layer
 * @dev: device
 * @prec: precision
 * @cfg: on a hit, receives the tuned configuration named "tuned"
 *
 * Entries flagged unsure are not used.  An entry whose configuration does
 * not parse or does not plan for this layer counts as a miss.
 *
 * Return: 1 on a hit, 0 on a miss.
 */
int mnet_cl_tune_lookup(const struct mnet_tune_db *db, const char *dev_key,
			const struct mnet_layer *l,
			const struct mnet_cl_device *dev,
			const struct mnet_cl_precision *prec,
			struct mnet_cl_layer_cfg *cfg);

#endif /* MNET_RUNTIME_CL_TUNE_H */
