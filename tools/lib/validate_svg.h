/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate_svg.h - the inline SVG charts of mnet-validate's report page
 */
#ifndef MNET_TOOLS_VALIDATE_SVG_H
#define MNET_TOOLS_VALIDATE_SVG_H

#include <stdio.h>

#include "lib/validate.h"

/**
 * val_svg_latency() - per-layer latency of every backend, log scale
 * @f: stream, inside the page's <body>
 * @r: results
 */
void val_svg_latency(FILE *f, const struct val_run *r);

/**
 * val_svg_error() - per-layer relative L2 error against the reference,
 * log scale, with each backend's tolerance
 * @f: stream, inside the page's <body>
 * @r: results (at least one backend besides the reference)
 */
void val_svg_error(FILE *f, const struct val_run *r);

/**
 * val_svg_accuracy() - top-1/top-5 agreement and, with a truth file,
 * accuracy per backend
 * @f: stream, inside the page's <body>
 * @r: results
 */
void val_svg_accuracy(FILE *f, const struct val_run *r);

#endif /* MNET_TOOLS_VALIDATE_SVG_H */
