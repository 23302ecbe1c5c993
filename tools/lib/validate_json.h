/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate_json.h - mnet-validate's JSON document (--json, and the .json
 * file beside each report page)
 */
#ifndef MNET_TOOLS_VALIDATE_JSON_H
#define MNET_TOOLS_VALIDATE_JSON_H

#include <stdio.h>

#include "lib/validate.h"

/**
 * val_write_json() - write the results as one JSON object
 * @f: stream
 * @r: results
 *
 * The fields are documented in mnet-validate's --help and in
 * docs/validate.md.
 */
void val_write_json(FILE *f, const struct val_run *r);

/**
 * val_json_num() - print a number JSON can hold (non-finite as null)
 * @f: stream
 * @v: value
 */
void val_json_num(FILE *f, double v);

#endif /* MNET_TOOLS_VALIDATE_JSON_H */
