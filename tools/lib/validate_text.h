/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate_text.h - mnet-validate's human-readable output
 */
#ifndef MNET_TOOLS_VALIDATE_TEXT_H
#define MNET_TOOLS_VALIDATE_TEXT_H

#include <stdio.h>

#include "lib/validate.h"

/**
 * val_print_text() - the tables on stdout: backends, disagreements,
 * per-layer errors and times, then the verdict
 * @r: results
 */
void val_print_text(const struct val_run *r);

/**
 * val_print_verdict() - one FAIL line per limit exceeded, or PASS
 * @f: stream (stdout for the tables, stderr after --json)
 * @r: results
 */
void val_print_verdict(FILE *f, const struct val_run *r);

#endif /* MNET_TOOLS_VALIDATE_TEXT_H */
