/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate_input.h - mnet-validate's list of input images
 */
#ifndef MNET_TOOLS_VALIDATE_INPUT_H
#define MNET_TOOLS_VALIDATE_INPUT_H

#include <stdio.h>

#include "lib/validate.h"

/**
 * val_collect_images() - fill @r's images from the command line
 * @r: run; images, n_images, have_truth, truth_file, layer_images are set
 * @a: --images DIR (sorted by name), --truth FILE or the image files;
 *     then --limit and --layer-images
 *
 * On failure @r may hold some images; the caller frees them.
 *
 * Return: 0, or -errno with a message on stderr.
 */
int val_collect_images(struct val_run *r, const struct val_args *a);

#endif /* MNET_TOOLS_VALIDATE_INPUT_H */
