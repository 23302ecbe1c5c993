/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate_html.h - HTML escaping, backend colours and the tables of
 * mnet-validate's report page
 */
#ifndef MNET_TOOLS_VALIDATE_HTML_H
#define MNET_TOOLS_VALIDATE_HTML_H

#include <stdio.h>

#include "lib/validate.h"

/* One colour per backend slot (be[0], the reference, is grey). */
extern const char *const val_colour[VAL_MAX_BACKENDS];

/**
 * val_html_text() - write a string as HTML text or attribute value
 * @f: stream
 * @s: text; <, >, & and " are escaped
 */
void val_html_text(FILE *f, const char *s);

/**
 * val_html_summary() - the table of backends: device, limits, agreement,
 * accuracy, output error, times and verdict
 * @f: stream, inside the page's <body>
 * @r: results
 */
void val_html_summary(FILE *f, const struct val_run *r);

/**
 * val_html_misclassified() - with a truth file, the images whose top-1 is
 * not the truth on some backend (the first 100)
 * @f: stream, inside the page's <body>
 * @r: results
 */
void val_html_misclassified(FILE *f, const struct val_run *r);

/**
 * val_html_disagreements() - the images where a backend's top-1 differs
 * from the reference's, with both top-5 lists
 * @f: stream, inside the page's <body>
 * @r: results
 */
void val_html_disagreements(FILE *f, const struct val_run *r);

/**
 * val_html_layers() - the per-layer table of errors and times
 * @f: stream, inside the page's <body>
 * @r: results
 */
void val_html_layers(FILE *f, const struct val_run *r);

/**
 * val_html_verdict() - PASS, or the list of what failed
 * @f: stream, inside the page's <body>
 * @r: results
 */
void val_html_verdict(FILE *f, const struct val_run *r);

#endif /* MNET_TOOLS_VALIDATE_HTML_H */
