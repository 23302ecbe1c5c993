// SPDX-License-Identifier: Apache-2.0
/* tool_util.c - helpers shared by the command-line tools */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dispatch/cpu_kernels.h"
#include "lib/tool_util.h"

#ifndef MNET_GIT_REVISION
#define MNET_GIT_REVISION "unknown"
#endif

const char *mnet_tool_model_dir(void)
{
	const char *d = getenv("MNET_MODEL_DIR");

	if (d && *d)
		return d;
	if (access("../shared/models", F_OK) == 0)
		return "../shared/models";
	/* the shared data beside the source tree this was built from */
	return MNET_SHARED_DIR "/models";
}

/* -v: each place a model is looked for, and whether it is there */
static int tried(FILE *trace, const char *path)
{
	int found = access(path, F_OK) == 0;

	if (trace)
		fprintf(trace, "  %s: %s\n", path, found ? "found" : "not there");
	return found;
}

const char *mnet_tool_model_lookup(const char *arg, char *buf, size_t len,
				   FILE *trace)
{
	size_t n = strlen(arg);
	int ext = n >= 7 && !strcmp(arg + n - 7, ".tflite");

	snprintf(buf, len, "%s", arg);
	if (tried(trace, buf))
		return buf;
	/* "mobilenet_v1_0.25_128_quant" means the .tflite file */
	snprintf(buf, len, "%s.tflite", arg);
	if (!ext && tried(trace, buf))
		return buf;
	if (strchr(arg, '/')) {
		snprintf(buf, len, "%s", arg);	/* the error names it */
		return buf;
	}
	/* a bare name that does not exist here is looked up in the model dir */
	snprintf(buf, len, "%s/%s.tflite", mnet_tool_model_dir(), arg);
	if (!ext && tried(trace, buf))
		return buf;
	snprintf(buf, len, "%s/%s", mnet_tool_model_dir(), arg);
	tried(trace, buf);
	return buf;
}

const char *mnet_tool_model_path(const char *arg, char *buf, size_t len)
{
	return mnet_tool_model_lookup(arg, buf, len, NULL);
}

struct mnet_model *mnet_tool_load_model(const char *path, int synthetic,
					float alpha, int res, const char *prog)
{
	struct mnet_err err = { 0 };
	struct mnet_model *m = NULL;
	char buf[4096];
	int ret;

	if (synthetic == 2)
		ret = mnet_model_create_synthetic_v2(alpha, res, &m, &err);
	else if (synthetic)
		ret = mnet_model_create_synthetic(alpha, res, &m, &err);
	else
		ret = mnet_model_load_file(mnet_tool_model_path(path, buf,
								sizeof(buf)),
					   &m, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", prog,
			err.msg[0] ? err.msg : mnet_strerror(ret));
		return NULL;
	}
	return m;
}

int mnet_tool_parse_synthetic(int argc, char **argv, const char *prog,
			      float *alpha, int *res)
{
	char *end;

	*alpha = strtof(optarg, &end);
	if (*end || end == optarg || optind >= argc) {
		fprintf(stderr, "%s: --synthetic needs ALPHA RES, e.g. --synthetic 1.0 224\n",
			prog);
		return -EINVAL;
	}
	*res = (int)strtol(argv[optind], &end, 10);
	if (*end || end == argv[optind]) {
		fprintf(stderr, "%s: bad resolution '%s'\n", prog,
			argv[optind]);
		return -EINVAL;
	}
	optind++;
	/*
	 * The builders' own limits (runtime/synthetic/: the same for V1 and
	 * V2), checked here so that a malformed value is bad usage (2)
	 * found while parsing, not a failed model (1) after other work.
	 */
	if (!(*alpha > 0.0f && *alpha <= 4.0f) || *res < 32 || *res % 32 ||
	    *res > 2048) {
		fprintf(stderr, "%s: --synthetic needs 0 < ALPHA <= 4 and RES >= 32, a multiple of 32, at most 2048; got %g %d\n",
			prog, *alpha, *res);
		return -EINVAL;
	}
	return 0;
}

int mnet_tool_parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

int mnet_tool_parse_backend(const char *prog, const char *arg,
			    enum mnet_backend_kind *out)
{
	if (!mnet_backend_parse(arg, out))
		return 0;
	fprintf(stderr, "%s: unknown backend '%s' (auto, ref, cpu, opencl)\n",
		prog, arg);
	return -EINVAL;
}

int mnet_tool_parse_precision(const char *prog, const char *arg,
			      enum mnet_precision *out)
{
	if (!mnet_precision_parse(arg, out))
		return 0;
	fprintf(stderr, "%s: unknown precision '%s' (auto, fp32, fp16-storage, fp16, int8)\n",
		prog, arg);
	return -EINVAL;
}

char **mnet_tool_load_labels(const char *path, int *n)
{
	char *line = NULL, **labels = NULL, **tmp;
	int count = 0, cap = 0;
	size_t line_cap = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot open labels: %s\n", path,
			strerror(errno));
		return NULL;
	}
	/* getline(): a long line is one label, not several (fgets split it) */
	while (getline(&line, &line_cap, f) >= 0) {
		line[strcspn(line, "\r\n")] = '\0';
		if (count + 2 > cap) {
			cap = cap ? cap * 2 : 1024;
			tmp = realloc(labels, cap * sizeof(*labels));
			if (!tmp)
				goto out_nomem;
			labels = tmp;
		}
		labels[count] = strdup(line);
		if (!labels[count])
			goto out_nomem;
		labels[++count] = NULL;
	}
	fclose(f);
	free(line);
	if (!labels) {
		fprintf(stderr, "%s: no labels in file\n", path);
		return NULL;
	}
	*n = count;
	return labels;

out_nomem:
	fclose(f);
	free(line);
	if (labels)
		labels[count] = NULL;
	mnet_tool_free_labels(labels);
	fprintf(stderr, "%s: out of memory\n", path);
	return NULL;
}

void mnet_tool_free_labels(char **labels)
{
	char **p;

	if (!labels)
		return;
	for (p = labels; *p; p++)
		free(*p);
	free(labels);
}

void mnet_tool_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void mnet_tool_sort_doubles(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
}

double mnet_tool_median(double *v, int n)
{
	mnet_tool_sort_doubles(v, n);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void mnet_tool_print_version(const char *prog)
{
	static const char *const isas[] = { "scalar", "avx2", "avx512",
					    "neon", "neon-dotprod" };
	const struct mnet_cpu_kernels *best = mnet_cpu_kernels_get(NULL);
	unsigned int i;

	printf("%s (mobilenet-cl) %d.%d.%d, git %s\n", prog,
	       MNET_VERSION_MAJOR, MNET_VERSION_MINOR, MNET_VERSION_PATCH,
	       MNET_GIT_REVISION);
	printf("backends: ref cpu%s\n",
#ifdef MNET_HAVE_OPENCL
	       " opencl"
#else
	       ""
#endif
	       );
	printf("cpu kernels:");
	for (i = 0; i < sizeof(isas) / sizeof(isas[0]); i++)
		if (mnet_cpu_kernels_get(isas[i]))
			printf(" %s", isas[i]);
	printf(" (auto: %s)\n", best ? best->name : "none");
}

int mnet_tool_check_choices(const char *prog, struct mnet_session_opts *o)
{
	const char *env = getenv("MNET_DEVICE");
	int fp16 = o->precision == MNET_PRECISION_FP16 ||
		   o->precision == MNET_PRECISION_FP16_STORAGE;
	const char *pname = o->precision == MNET_PRECISION_FP16 ?
			    "fp16" : "fp16-storage";

	if (o->backend == MNET_BACKEND_REF || o->backend == MNET_BACKEND_CPU) {
		const char *b = o->backend == MNET_BACKEND_REF ? "ref" : "cpu";

		if (o->device) {
			fprintf(stderr, "%s: --device %s: a device is an OpenCL device; it means nothing with --backend %s\n",
				prog, o->device, b);
			return -EINVAL;
		}
		if (fp16) {
			fprintf(stderr, "%s: --precision %s is for the OpenCL backend; --backend %s computes in fp32\n",
				prog, pname, b);
			return -EINVAL;
		}
		if (o->tuning_db && *o->tuning_db) {
			fprintf(stderr, "%s: --tuning-db holds OpenCL kernel choices; it means nothing with --backend %s\n",
				prog, b);
			return -EINVAL;
		}
	}
	if (o->backend == MNET_BACKEND_AUTO &&
	    (o->device || (env && *env) || fp16 ||
	     (o->tuning_db && *o->tuning_db)))
		/* an explicit OpenCL request: no quiet fallback to the CPU */
		o->backend = MNET_BACKEND_OPENCL;
	if (o->threads > MNET_MAX_THREADS) {
		fprintf(stderr, "%s: warning: --threads %d is over the library's maximum; using %d\n",
			prog, o->threads, MNET_MAX_THREADS);
		o->threads = MNET_MAX_THREADS;
	}
	return 0;
}

int mnet_tool_threads_used(int requested)
{
	long n = requested;

	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > MNET_MAX_THREADS ? MNET_MAX_THREADS : (int)n;
}

/* @arg as given, else beside the model, else in the model folder. */
static void labels_path(const char *arg, const char *model_path, char *buf,
			size_t len)
{
	const char *slash = model_path ? strrchr(model_path, '/') : NULL;

	snprintf(buf, len, "%s", arg);
	if (strchr(arg, '/') || access(arg, F_OK) == 0)
		return;
	if (slash) {
		snprintf(buf, len, "%.*s/%s", (int)(slash - model_path),
			 model_path, arg);
		if (access(buf, F_OK) == 0)
			return;
	}
	snprintf(buf, len, "%s/%s", mnet_tool_model_dir(), arg);
	if (access(buf, F_OK))
		snprintf(buf, len, "%s", arg);	/* the error names it */
}

int mnet_tool_find_labels(const char *prog, int quiet, const char *arg,
			  const char *model_path, size_t classes,
			  char ***labels, int *n, int *offset)
{
	char path[4096];
	char **l;

	*labels = NULL;
	*n = 0;
	*offset = 0;
	if (!arg && classes != 1000 && classes != 1001) {
		if (!quiet)
			fprintf(stderr, "%s: note: no label file for a model with %zu classes (imagenet_labels.txt is for 1001); printing class indices only, give one with -l\n",
				prog, classes);
		return 0;
	}
	labels_path(arg ? arg : "imagenet_labels.txt", model_path, path,
		    sizeof(path));
	if (!arg && access(path, R_OK)) {
		if (!quiet)
			fprintf(stderr, "%s: note: %s not found; printing class indices only, give a label file with -l\n",
				prog, path);
		return 0;
	}
	l = mnet_tool_load_labels(path, n);
	if (!l)
		return -ENOENT;
	if ((size_t)*n == classes) {
		*labels = l;
		return 0;
	}
	if (classes == 1001 && *n == 1000) {
		*offset = 1;
		*labels = l;
		return 0;
	}
	if (classes == 1000 && *n == 1001 && !strcmp(l[0], "background")) {
		*offset = -1;
		*labels = l;
		return 0;
	}
	fprintf(stderr, "%s: %s has %d labels but the model has %zu classes; give the model's own label file with -l\n",
		prog, path, *n, classes);
	mnet_tool_free_labels(l);
	*n = 0;
	return -EINVAL;
}

const char *mnet_tool_label(char *const *labels, int n, int offset,
			    int index)
{
	int i = index - offset;

	return labels && i >= 0 && i < n ? labels[i] : "";
}

const char *mnet_tool_short_name(const char *name, int width, char *buf)
{
	size_t n = strlen(name);

	if (n <= (size_t)width)
		snprintf(buf, (size_t)width + 1, "%s", name);
	else
		snprintf(buf, (size_t)width + 1, "..%s",
			 name + n - (size_t)(width - 2));
	return buf;
}

const char *mnet_tool_precision_name(enum mnet_precision p)
{
	switch (p) {
	case MNET_PRECISION_INT8:
		return "int8";
	case MNET_PRECISION_FP16_STORAGE:
		return "fp16-storage";
	case MNET_PRECISION_FP16:
		return "fp16";
	default:
		return "fp32";
	}
}
