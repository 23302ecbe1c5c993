/* SPDX-License-Identifier: Apache-2.0 */
/* tool_util.h - helpers shared by the command-line tools */
#ifndef MNET_TOOL_UTIL_H
#define MNET_TOOL_UTIL_H

#include <stdio.h>

#include "mnet/mnet.h"

/**
 * mnet_tool_model_path() - resolve a model argument
 * @arg: a path, or a bare file name looked up in $MNET_MODEL_DIR (default
 *       ../shared/models when that folder exists); a name that is not
 *       found as given is tried with ".tflite" appended
 * @buf: receives the resolved path
 * @len: size of @buf
 *
 * Return: @buf.
 */
const char *mnet_tool_model_path(const char *arg, char *buf, size_t len);

/**
 * mnet_tool_model_lookup() - mnet_tool_model_path(), saying where it looked
 * @arg: as for mnet_tool_model_path()
 * @buf: receives the resolved path
 * @len: size of @buf
 * @trace: a stream that gets a line per path tried and whether it exists
 *         (-v), or NULL
 *
 * Return: @buf.
 */
const char *mnet_tool_model_lookup(const char *arg, char *buf, size_t len,
				   FILE *trace);

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
 * ALPHA and RES are checked against the synthetic builders' limits
 * (0 < ALPHA <= 4; RES a multiple of 32 in [32, 2048]).
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
 * @arg: "auto", "fp32", "fp16-storage", "fp16" or "int8"
 * @out: receives the mode
 *
 * Return: 0, or -EINVAL after printing the valid names on stderr.
 */
int mnet_tool_parse_precision(const char *prog, const char *arg,
			      enum mnet_precision *out);

/**
 * mnet_tool_precision_name() - a precision as the tools print it
 * @p: a resolved precision (mnet_session_precision())
 *
 * Return: "int8", "fp16", "fp16-storage" or "fp32" (the last also for
 * anything else).
 */
const char *mnet_tool_precision_name(enum mnet_precision p);

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

/*
 * DOC: exit status, the same in every tool and build (docs/tools.md)
 *
 * 0 when the work was done, 1 when it failed (a file that cannot be read,
 * an explicit choice that cannot be honoured, an image that failed), 2 for
 * bad usage (an unknown option, a missing or malformed argument, options
 * that contradict each other), before any work starts.
 */
#define MNET_TOOL_EXIT_OK	0
#define MNET_TOOL_EXIT_FAIL	1
#define MNET_TOOL_EXIT_USAGE	2

/**
 * mnet_tool_print_version() - what --version prints, in every tool
 * @prog: program name
 *
 * Prints the library version, the git revision the build was configured
 * from ("unknown" outside a checkout), the backends built in and the CPU
 * kernel sets this machine can run, on stdout.
 */
void mnet_tool_print_version(const char *prog);

/**
 * mnet_tool_check_choices() - refuse explicit choices that cannot be honoured
 * @prog: program name for messages
 * @o: session options as parsed; may be changed (see below)
 *
 * A device (-d), fp16 precision or a tuning database only means something
 * to the OpenCL backend: with -b ref or -b cpu they are a usage error.  With -b auto
 * they (or $MNET_DEVICE) are an explicit request for OpenCL (a tuning
 * database too: on a machine without OpenCL it was silently unused), so the
 * backend becomes opencl: a device that does not exist or cannot do fp16
 * is then an error, never a quiet run on the CPU.  A thread count over
 * the library's MNET_MAX_THREADS is clamped, with a warning giving the
 * number used.
 *
 * Return: 0, or -EINVAL (usage) with a message on stderr.
 */
int mnet_tool_check_choices(const char *prog, struct mnet_session_opts *o);

/**
 * mnet_tool_threads_used() - the host threads a CPU session runs
 * @requested: the (clamped) --threads value, 0 for all online cores
 *
 * Return: the thread count the cpu backend uses for @requested.
 */
int mnet_tool_threads_used(int requested);

/**
 * mnet_tool_find_labels() - find a label file and check it against a model
 * @prog: program name for messages
 * @quiet: no note when there are no labels (errors are still printed)
 * @arg: the -l value, or NULL for the default (imagenet_labels.txt beside
 *       the model, used only for a 1000- or 1001-class model)
 * @model_path: the model's resolved path, or NULL for a synthetic model
 * @classes: the model's number of outputs
 * @labels: receives the labels (free with mnet_tool_free_labels()), or
 *          NULL when there are none to use
 * @n: receives the number of labels (0 with none)
 * @offset: receives what to subtract from a class index to get its line:
 *          1 for a 1001-class model with a 1000-line file (class 0 is
 *          "background"), -1 for a 1000-class model with a 1001-line
 *          file starting "background", else 0
 *
 * A bare @arg that is not in the current folder is looked up beside the
 * model, then in mnet_tool_model_dir().  A label file whose line count
 * does not match @classes (other than the ImageNet background offset) is
 * an error naming both counts.  With no @arg and no matching default, a
 * note saying that class indices are printed without labels goes to
 * stderr once.
 *
 * Return: 0, or a negative errno with a message on stderr.
 */
int mnet_tool_find_labels(const char *prog, int quiet, const char *arg,
			  const char *model_path, size_t classes,
			  char ***labels, int *n, int *offset);

/**
 * mnet_tool_label() - the label of a class, or ""
 * @labels: from mnet_tool_find_labels(), or NULL
 * @n: number of labels
 * @offset: from mnet_tool_find_labels()
 * @index: class index
 *
 * Return: the label, or "" when there is none.
 */
const char *mnet_tool_label(char *const *labels, int n, int offset,
			    int index);

/**
 * mnet_tool_short_name() - a layer name cut to fit a table column
 * @name: the layer's name
 * @width: column width, at least 4
 * @buf: receives the text, at least @width + 1 bytes
 *
 * The same cut in every tool's table: a name longer than @width keeps
 * its tail (TFLite names differ at the end: ".../Conv2d_3_pointwise/Relu6")
 * behind "..".
 *
 * Return: @buf.
 */
const char *mnet_tool_short_name(const char *name, int width, char *buf);

#endif /* MNET_TOOL_UTIL_H */
