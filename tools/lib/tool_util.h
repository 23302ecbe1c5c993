/* SPDX-License-Identifier: Apache-2.0 */
/* tool_util.h - helpers shared by the command-line tools */
#ifndef MNET_TOOL_UTIL_H
#define MNET_TOOL_UTIL_H

#include <stdio.h>

#include "mnet/mnet.h"

/**
 * mnet_tool_model_path() - resolve a model argument
 * @arg: a path, or a bare file name looked up in $MNET_MODEL_DIR (default
 *       ../shared/models when that folder exists)
 * @buf: receives the resolved path
 * @len: size of @buf
 *
 * Return: @buf.
 */
const char *mnet_tool_model_path(const char *arg, char *buf, size_t len);

/**
 * mnet_tool_model_dir() - the folder models are looked up in
 *
 * Return: $MNET_MODEL_DIR, else "../shared/models" when it exists, else
 * the shared/models folder configured at build time (MNET_SHARED_DIR).
 */
const char *mnet_tool_model_dir(void);

/**
 * mnet_tool_load_model() - load a file or build a synthetic model
 * @path: model path (NULL when @synthetic)
 * @synthetic: 0 to load @path, 1 for a synthetic MobileNet V1, 2 for V2
 * @alpha: synthetic width multiplier
 * @res: synthetic resolution
 * @prog: program name for messages
 *
 * Prints the error on stderr.
 *
 * Return: the model, or NULL.
 */
struct mnet_model *mnet_tool_load_model(const char *path, int synthetic,
					float alpha, int res, const char *prog);

/**
 * mnet_tool_parse_synthetic() - parse "--synthetic ALPHA RES" in getopt_long
 * @argc: from main()
 * @argv: from main(); RES is taken from argv[optind], which is consumed
 * @prog: program name for messages
 * @alpha: receives ALPHA (optarg)
 * @res: receives RES
 *
 * Return: 0, or -EINVAL with a message on stderr.
 */
int mnet_tool_parse_synthetic(int argc, char **argv, const char *prog,
			      float *alpha, int *res);

/**
 * mnet_tool_parse_int() - parse a whole decimal integer in [lo, hi]
 * @s: text (all of it must be the number)
 * @lo: smallest accepted value
 * @hi: largest accepted value
 * @out: receives the value
 *
 * Return: 0, or -EINVAL (not a number, trailing text, out of range).
 */
int mnet_tool_parse_int(const char *s, int lo, int hi, int *out);

/**
 * mnet_tool_parse_backend() - parse a --backend value, with a message
 * @prog: program name for the message
 * @arg: "auto", "ref", "cpu" or "opencl"
 * @out: receives the kind
 *
 * Return: 0, or -EINVAL after printing the valid names on stderr.
 */
int mnet_tool_parse_backend(const char *prog, const char *arg,
			    enum mnet_backend_kind *out);

/**
 * mnet_tool_parse_precision() - parse a --precision value, with a message
 * @prog: program name for the message
 * @arg: "auto", "fp32", "fp16-storage" or "fp16"
 * @out: receives the mode
 *
 * Return: 0, or -EINVAL after printing the valid names on stderr.
 */
int mnet_tool_parse_precision(const char *prog, const char *arg,
			      enum mnet_precision *out);

/**
 * mnet_tool_load_labels() - read one label per line
 * @path: labels file
 * @n: receives the number of labels
 *
 * Return: a NULL-terminated array (free with mnet_tool_free_labels()), or
 * NULL with a message on stderr.
 */
char **mnet_tool_load_labels(const char *path, int *n);

/**
 * mnet_tool_free_labels() - free what mnet_tool_load_labels() returned
 * @labels: array, or NULL
 */
void mnet_tool_free_labels(char **labels);

/**
 * mnet_tool_json_string() - print a JSON string literal with escapes
 * @f: stream
 * @s: string
 */
void mnet_tool_json_string(FILE *f, const char *s);

/**
 * mnet_tool_sort_doubles() - sort values in ascending order (times)
 * @v: values
 * @n: how many
 */
void mnet_tool_sort_doubles(double *v, int n);

/**
 * mnet_tool_median() - the median of @n values (the mean of the middle two
 * for even @n)
 * @v: values, sorted in place
 * @n: how many, at least 1
 *
 * Return: the median.
 */
double mnet_tool_median(double *v, int n);

#endif /* MNET_TOOL_UTIL_H */
