/* SPDX-License-Identifier: Apache-2.0 */
/* image.h - decoded 8-bit RGB images (internal layout) */
#ifndef MNET_RUNTIME_IMAGE_H
#define MNET_RUNTIME_IMAGE_H

#include <stdint.h>

#include "mnet/mnet.h"

/* Largest image accepted (per side); bigger files are rejected (-EFBIG). */
#define MNET_IMAGE_MAX_SIDE 16384
/* Largest pixel count accepted: 64 Mpixel, 192 MiB of RGB. */
#define MNET_IMAGE_MAX_PIXELS ((uint64_t)1 << 26)
/* Largest encoded image accepted (file or buffer). */
#define MNET_IMAGE_MAX_FILE ((uint64_t)256 << 20)

/**
 * struct mnet_image - an interleaved 8-bit RGB image
 * @w: width in pixels
 * @h: height in pixels
 * @rgb: w*h*3 bytes, row-major
 */
struct mnet_image {
	int w, h;
	uint8_t *rgb;
};

#endif /* MNET_RUNTIME_IMAGE_H */
