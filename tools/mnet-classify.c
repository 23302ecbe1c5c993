// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-classify - classify images with a MobileNet model
 *
 * Prints the top-K classes of each image and the inference time, as text or
 * one JSON object per image per line (an image that failed gets a line
 * with an "error" field, so a script can tell which).  A feature-extractor
 * model prints its embedding instead of classes.  Exit status: 0 when
 * every image was classified, 1 when the model or any image failed, 2 for
 * bad usage, with the reason on stderr.
 *
 * The tool has one session, so it creates it with release_weights, as an
 * application should: the model's float weights are freed as the session
 * packs or uploads its own copy, and the process never holds both.  A ref
 * session, or an OpenCL session with layers on the host, reads the
 * model's weights and keeps them; --keep-weights keeps them always.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/clock.h"
#include "mnet/mnet.h"
#include "lib/tool_util.h"

#define DEFAULT_MODEL "mobilenet_v1_0.75_192_quant.tflite"
#define MAX_TOP 100

static const char *prog = "mnet-classify";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS] IMAGE...\n"
		"Classify BMP, JPEG or PNG images with a MobileNet model.\n"
		"\n"
		"  -m, --model FILE       .tflite model; a bare name is looked up in\n"
		"                         $MNET_MODEL_DIR (default ../shared/models)\n"
		"                         [default: %s]\n"
		"      --synthetic A R    use a synthetic MobileNet V1 (alpha A, resolution R)\n"
		"                         with seeded weights instead of a file\n"
		"      --synthetic-v2 A R the same for MobileNetV2\n"
		"  -l, --labels FILE      one label per line, as many as the model has\n"
		"                         classes; a bare name is looked up beside the\n"
		"                         model [default: imagenet_labels.txt beside the\n"
		"                         model, for a 1000- or 1001-class model only]\n"
		"  -b, --backend NAME     auto, ref, cpu or opencl [default: auto]\n"
		"  -d, --device D         OpenCL device index or name substring; with\n"
		"                         auto it (or $MNET_DEVICE) means opencl, and a\n"
		"                         device that does not exist is an error\n"
		"                         [default: $MNET_DEVICE, else first GPU]\n"
		"  -p, --precision P      auto, fp32, fp16-storage, fp16 or int8 [default:\n"
		"                         auto]; fp16 modes are OpenCL only, an error\n"
		"                         where the device cannot do them; int8 is a\n"
		"                         quantized file's integer arithmetic (ref, cpu)\n"
		"  -t, --threads N        host threads, 0 = all cores [default: 0]; over\n"
		"                         %d is clamped, with a warning\n"
		"  -k, --top K            classes to print per image [default: 5]\n"
		"  -c, --crop F           central crop fraction in (0,1] [default: 0.875]\n"
		"  -r, --repeat N         time N runs per image, report the median\n"
		"                         [default: 1]\n"
		"  -w, --warmup N         untimed runs per image first [default: 0]\n"
		"      --tuning-db FILE   tuning database [default: $MNET_TUNE_DB or\n"
		"                         $XDG_CACHE_HOME/mnet/tuning.db]\n"
		"  -j, --json             one JSON object per image per line: image,\n"
		"                         model, backend, device, ms, runs and top[] {class,\n"
		"                         label, score, and for an int8 session q, the\n"
		"                         output tensor's byte} and output_quant {scale,\n"
		"                         zero_point, type}, or embedding_size and\n"
		"                         embedding[] for a feature extractor, or\n"
		"                         error for an image that failed\n"
		"      --profile          print a per-layer time table after each image\n"
		"                         (with --json: a profile object in the line)\n"
		"      --keep-weights     keep the model's float weights after the session\n"
		"                         is created [default: free them; the session has\n"
		"                         its own copy, except ref and OpenCL sessions with\n"
		"                         layers on the host, which keep them anyway]\n"
		"  -v, --verbose          say on stderr which model, input mapping, label\n"
		"                         file, backend and device are used, and the\n"
		"                         session's creation time\n"
		"  -q, --quiet            no notes on stderr (errors and warnings stay)\n"
		"  -V, --version          print the version and exit\n"
		"  -h, --help             show this help\n"
		"\n"
		"Exit status: 0 when every image was classified, 1 when the model or\n"
		"any image failed, 2 for bad usage.\n",
		prog, DEFAULT_MODEL, MNET_MAX_THREADS);
}

struct classify_args {
	const char *model;
	const char *labels;
	int synthetic;
	float alpha;
	int res;
	int top;
	float crop;
	int json;
	int profile;
	int keep_weights;
	int repeat;
	int warmup;
	int verbose;		/* 1 -v, -1 -q */
	struct mnet_session_opts opts;
	char model_path[4096];	/* resolved; "" for a synthetic model */
};

static int parse_args(int argc, char **argv, struct classify_args *a)
{
	enum { OPT_SYNTH = 256, OPT_SYNTH_V2, OPT_PROFILE, OPT_TUNEDB, OPT_KEEP };
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "synthetic", required_argument, NULL, OPT_SYNTH },
		{ "synthetic-v2", required_argument, NULL, OPT_SYNTH_V2 },
		{ "labels", required_argument, NULL, 'l' },
		{ "backend", required_argument, NULL, 'b' },
		{ "device", required_argument, NULL, 'd' },
		{ "precision", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "top", required_argument, NULL, 'k' },
		{ "crop", required_argument, NULL, 'c' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "tuning-db", required_argument, NULL, OPT_TUNEDB },
		{ "json", no_argument, NULL, 'j' },
		{ "profile", no_argument, NULL, OPT_PROFILE },
		{ "keep-weights", no_argument, NULL, OPT_KEEP },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	int c, model_given = 0;
	char *end;

	memset(a, 0, sizeof(*a));
	a->model = DEFAULT_MODEL;
	a->top = 5;
	a->crop = 0.875f;
	a->repeat = 1;
	mnet_session_opts_init(&a->opts);
	while ((c = getopt_long(argc, argv, "m:l:b:d:p:t:k:c:r:w:jhVvq", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'm':
			a->model = optarg;
			model_given = 1;
			break;
		case OPT_SYNTH:
		case OPT_SYNTH_V2:
			a->synthetic = c == OPT_SYNTH ? 1 : 2;
			if (mnet_tool_parse_synthetic(argc, argv, prog,
						      &a->alpha, &a->res))
				return -EINVAL;
			break;
		case 'l':
			a->labels = optarg;
			break;
		case 'b':
			if (mnet_tool_parse_backend(prog, optarg, &a->opts.backend))
				return -EINVAL;
			break;
		case 'd':
			a->opts.device = optarg;
			break;
		case 'p':
			if (mnet_tool_parse_precision(prog, optarg, &a->opts.precision))
				return -EINVAL;
			break;
		case 't':
			if (mnet_tool_parse_int(optarg, 0, 1 << 20,
						&a->opts.threads)) {
				fprintf(stderr, "%s: bad thread count '%s'\n",
					prog, optarg);
				return -EINVAL;
			}
			break;
		case 'k':
			a->top = (int)strtol(optarg, &end, 10);
			if (*end || a->top < 1 || a->top > MAX_TOP) {
				fprintf(stderr, "%s: --top must be 1..%d\n",
					prog, MAX_TOP);
				return -EINVAL;
			}
			break;
		case 'c':
			a->crop = strtof(optarg, &end);
			if (*end || !(a->crop > 0.0f && a->crop <= 1.0f)) {
				fprintf(stderr, "%s: --crop must be in (0, 1]\n",
					prog);
				return -EINVAL;
			}
			break;
		case 'r':
		case 'w':
			if (mnet_tool_parse_int(optarg, c == 'r', 100000,
						c == 'r' ? &a->repeat :
							   &a->warmup)) {
				fprintf(stderr, "%s: --%s must be %d..100000\n",
					prog, c == 'r' ? "repeat" : "warmup",
					c == 'r');
				return -EINVAL;
			}
			break;
		case OPT_TUNEDB:
			a->opts.tuning_db = optarg;
			break;
		case 'j':
			a->json = 1;
			break;
		case OPT_PROFILE:
			a->profile = 1;
			a->opts.profile = 1;
			break;
		case OPT_KEEP:
			a->keep_weights = 1;
			break;
		case 'h':
			usage(stdout);
			exit(MNET_TOOL_EXIT_OK);
		case 'V':
			mnet_tool_print_version(prog);
			exit(MNET_TOOL_EXIT_OK);
		case 'v':
			a->verbose = 1;
			break;
		case 'q':
			a->verbose = -1;
			break;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: no image given (try --help)\n", prog);
		return -EINVAL;
	}
	if (model_given && a->synthetic) {
		fprintf(stderr, "%s: give -m MODEL or --synthetic ALPHA RES, not both\n",
			prog);
		return -EINVAL;
	}
	return mnet_tool_check_choices(prog, &a->opts);
}

struct label_set {
	char **labels;
	int n;
	int offset;
};

/* The per-layer table: text on stdout, or a "profile" member of the line. */
static void print_profile(struct mnet_session *s, const struct mnet_model *m,
			  int json)
{
	int n = mnet_model_layer_count(m), i;
	struct mnet_layer_time *t = calloc(n, sizeof(*t));
	struct mnet_startup su;
	double total = 0;

	if (!t || mnet_session_layer_times(s, t)) {
		free(t);
		return;
	}
	if (json)
		printf(", \"profile\": {\"layers\": [");
	else
		printf("  %-3s %-28s %-9s %-14s %-7s %-19s %9s %8s %8s\n", "#",
		       "layer", "op", "output", "backend", "config", "ms",
		       "GFLOP/s", "GB/s");
	for (i = 0; i < n; i++) {
		struct mnet_layer_info li;
		char shape[32], nm[32];
		const char *name;
		double bytes, gflops, gbs;

		mnet_model_layer_info(m, i, &li);
		if (json) {
			printf("%s{\"name\": ", i ? ", " : "");
			mnet_tool_json_string(stdout, li.name);
			printf(", \"op\": ");
			mnet_tool_json_string(stdout, li.op);
			printf(", \"backend\": ");
			mnet_tool_json_string(stdout, t[i].backend ?
					      t[i].backend : "");
			printf(", \"config\": ");
			mnet_tool_json_string(stdout, t[i].config ?
					      t[i].config : "");
			printf(", \"ms\": %.4f}", t[i].ms);
			total += t[i].ms;
			continue;
		}
		/* long TFLite names differ at the end ("..._3/project/...") */
		name = mnet_tool_short_name(li.name, 28, nm);
		snprintf(shape, sizeof(shape), "%dx%dx%d", li.out.h, li.out.w,
			 li.out.c);
		bytes = 4.0 * ((double)li.in.h * li.in.w * li.in.c +
			       (double)li.out.h * li.out.w * li.out.c +
			       (double)li.params);
		gflops = t[i].ms > 0 ? 2.0 * li.macs / (t[i].ms * 1e6) : 0;
		gbs = t[i].ms > 0 ? bytes / (t[i].ms * 1e6) : 0;
		printf("  %-3d %-28s %-9s %-14s %-7s %-19s %9.3f %8.2f %8.2f\n",
		       i, name, li.op, shape, t[i].backend ? t[i].backend : "",
		       t[i].config && t[i].config[0] ? t[i].config : "-",
		       t[i].ms, gflops, gbs);
		total += t[i].ms;
	}
	mnet_session_startup(s, &su);
	if (json) {
		printf("], \"total_ms\": %.4f, \"create_ms\": %.3f}", total,
		       su.total_ms);
		free(t);
		return;
	}
	printf("  total %.3f ms over %d layers\n", total, n);
	printf("  session creation %.1f ms: device %.1f, programs %.1f (%d built, %d from cache), weights %.1f, first run %.1f; %d layer(s) on the host\n",
	       su.total_ms, su.device_ms, su.build_ms, su.programs_built,
	       su.programs_cached, su.upload_ms, su.first_run_ms,
	       su.host_layers);
	free(t);
}

/* The fields every JSON line starts with. */
static void json_head(struct mnet_session *s, const struct mnet_model *m,
		      const char *path)
{
	const char *dev = mnet_session_device_name(s);

	printf("{\"image\": ");
	mnet_tool_json_string(stdout, path);
	printf(", \"model\": ");
	mnet_tool_json_string(stdout, mnet_model_name(m));
	printf(", \"backend\": ");
	mnet_tool_json_string(stdout, mnet_session_backend_name(s));
	printf(", \"device\": ");
	mnet_tool_json_string(stdout, dev ? dev : "");
}

/* An image that failed: the message on stderr, and a line for scripts. */
static int classify_failed(struct mnet_session *s, const struct mnet_model *m,
			   const struct classify_args *a, const char *path,
			   const char *msg, int ret)
{
	fprintf(stderr, "%s: %s\n", prog, msg);
	if (a->json) {
		json_head(s, m, path);
		printf(", \"error\": ");
		mnet_tool_json_string(stdout, msg);
		printf("}\n");
		fflush(stdout);
	}
	return ret;
}

/* A feature extractor's output is a vector, not class scores. */
static void print_embedding(struct mnet_session *s,
			    const struct classify_args *a)
{
	size_t n = 0, i;
	const float *v = mnet_session_output(s, &n);

	if (a->json) {
		printf(", \"embedding_size\": %zu, \"embedding\": [", n);
		for (i = 0; i < n; i++)
			printf("%s%.6g", i ? ", " : "", v[i]);
		printf("]");
		return;
	}
	printf("  embedding of %zu values (a feature vector, not class scores):\n ",
	       n);
	for (i = 0; i < n && i < 8; i++)
		printf(" %.5f", v[i]);
	printf("%s\n", n > 8 ? " ..." : "");
}

/* The file's output quantization, for the raw bytes of an int8 session. */
struct out_quant {
	float scale;
	int32_t zero_point;
	int is_signed;
};

/*
 * Whether the scores are the bytes of a quantized output tensor: only an
 * int8 session's are (its output floats are the file's output bytes
 * dequantized, mnet_model_output_quant()); a float session of the same
 * file computes values between the steps, and a byte derived from them
 * would be a rounding, not what TFLite hands out.
 */
static int output_byte_quant(struct mnet_session *s,
			     const struct mnet_model *m, struct out_quant *q)
{
	if (mnet_session_precision(s) != MNET_PRECISION_INT8)
		return 0;
	return !mnet_model_output_quant(m, &q->scale, &q->zero_point,
					&q->is_signed) && q->scale > 0;
}

/* The byte behind @score: exact, since @score is scale * (q - zp). */
static long output_byte(const struct out_quant *q, float score)
{
	long v = lround((double)score / q->scale) + q->zero_point;
	long lo = q->is_signed ? -128 : 0, hi = q->is_signed ? 127 : 255;

	return v < lo ? lo : v > hi ? hi : v;
}

static int classify_one(struct mnet_session *s, const struct mnet_model *m,
			const struct classify_args *a, const char *path,
			const struct label_set *ls)
{
	struct mnet_class top[MAX_TOP];
	struct mnet_err err = { 0 };
	struct mnet_image *img = NULL;
	struct out_quant oq;
	int ret, k, i, has_q = 0;
	char msg[sizeof(err.msg) + 64];
	double ms, *times;

	ret = mnet_image_load(path, &img, &err);
	if (ret)
		return classify_failed(s, m, a, path, err.msg, ret);
	times = calloc((size_t)a->repeat, sizeof(*times));
	if (!times) {
		mnet_image_free(img);
		return classify_failed(s, m, a, path, "out of memory", -ENOMEM);
	}
	for (i = 0; !ret && i < a->warmup; i++)
		ret = mnet_session_run_image(s, img, a->crop);
	for (i = 0; !ret && i < a->repeat; i++) {
		double t0 = mnet_now_ms();

		ret = mnet_session_run_image(s, img, a->crop);
		times[i] = mnet_now_ms() - t0;
	}
	ms = ret ? 0 : mnet_tool_median(times, a->repeat);
	free(times);
	mnet_image_free(img);
	if (ret) {
		snprintf(msg, sizeof(msg), "%s: inference failed: %s", path,
			 mnet_strerror(ret));
		return classify_failed(s, m, a, path, msg, ret);
	}
	if (a->json) {
		json_head(s, m, path);
		printf(", \"ms\": %.3f, \"runs\": %d", ms, a->repeat);
	} else if (a->repeat > 1) {
		printf("%s: %.2f ms, median of %d runs (%s)\n", path, ms,
		       a->repeat, mnet_session_backend_name(s));
	} else {
		printf("%s: %.2f ms (%s)\n", path, ms,
		       mnet_session_backend_name(s));
	}
	if (mnet_model_output_kind(m) == MNET_OUTPUT_EMBEDDING) {
		print_embedding(s, a);
	} else {
		has_q = a->json && output_byte_quant(s, m, &oq);
		if (has_q)
			printf(", \"output_quant\": {\"scale\": %.9g, \"zero_point\": %d, \"type\": \"%s\"}",
			       oq.scale, (int)oq.zero_point,
			       oq.is_signed ? "int8" : "uint8");
		k = mnet_session_topk(s, a->top, top);
		if (a->json)
			printf(", \"top\": [");
		for (i = 0; i < k; i++) {
			const char *label = mnet_tool_label(ls->labels, ls->n,
							    ls->offset,
							    top[i].index);

			if (!a->json) {
				printf("  %4d  %-30s %.5f\n", top[i].index,
				       label, top[i].score);
				continue;
			}
			printf("%s{\"class\": %d, \"label\": ", i ? ", " : "",
			       top[i].index);
			mnet_tool_json_string(stdout, label);
			printf(", \"score\": %.6f", top[i].score);
			if (has_q)
				printf(", \"q\": %ld",
				       output_byte(&oq, top[i].score));
			printf("}");
		}
		if (a->json)
			printf("]");
	}
	if (a->profile)
		print_profile(s, m, a->json);
	if (a->json)
		printf("}\n");
	fflush(stdout);
	return 0;
}

/*
 * --json when nothing could run (model, labels, session): still a line
 * per image, so a script reading the stream learns why for each.
 */
static void json_fail_all(const struct classify_args *a, int argc,
			  char **argv, const char *model, const char *msg)
{
	int i;

	for (i = optind; a->json && i < argc; i++) {
		printf("{\"image\": ");
		mnet_tool_json_string(stdout, argv[i]);
		printf(", \"model\": ");
		mnet_tool_json_string(stdout, model);
		printf(", \"backend\": \"\", \"device\": \"\", \"error\": ");
		mnet_tool_json_string(stdout, msg);
		printf("}\n");
	}
}

/* -v: what the run uses, as label_image's verbose mode says it. */
static void print_verbose(const struct classify_args *a,
			  const struct mnet_model *m, struct mnet_session *s,
			  const struct label_set *ls)
{
	struct mnet_shape in = mnet_model_input_shape(m);
	struct mnet_startup su;

	mnet_session_startup(s, &su);
	fprintf(stderr, "%s: model %s%s%s: input %dx%dx%d, %zu outputs (%s)\n",
		prog, mnet_model_name(m), a->synthetic ? "" : " from ",
		a->synthetic ? "" : a->model_path, in.h, in.w, in.c,
		mnet_model_output_size(m),
		mnet_model_output_kind(m) == MNET_OUTPUT_EMBEDDING ?
		"an embedding" : "class scores");
	fprintf(stderr, "%s: preprocessing: central crop %.3f, bilinear resize to %dx%d\n",
		prog, a->crop, in.h, in.w);
	fprintf(stderr, "%s: labels: %d%s\n", prog, ls->n,
		ls->offset == 1 ? " (class 0, background, has none)" :
		ls->offset == -1 ? " (the first, background, unused)" : "");
	fprintf(stderr, "%s: backend %s on %s; session created in %.1f ms\n",
		prog, mnet_session_backend_name(s),
		mnet_session_device_name(s) ? mnet_session_device_name(s) : "-",
		su.total_ms);
}

int main(int argc, char **argv)
{
	struct classify_args a;
	struct mnet_err err = { 0 };
	struct mnet_session *s = NULL;
	struct label_set ls = { 0 };
	struct mnet_model *m;
	int ret, i, failed = 0;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	if (parse_args(argc, argv, &a))
		return MNET_TOOL_EXIT_USAGE;
	m = mnet_tool_load_model(a.model, a.synthetic, a.alpha, a.res, prog);
	if (!m) {
		json_fail_all(&a, argc, argv, a.synthetic ? "synthetic" :
			      a.model, "the model could not be loaded");
		return MNET_TOOL_EXIT_FAIL;
	}
	if (!a.synthetic)
		mnet_tool_model_path(a.model, a.model_path,
				     sizeof(a.model_path));
	/* a class per pixel is not a list of classes to rank */
	if (mnet_model_output_kind(m) == MNET_OUTPUT_CLASS_MAP) {
		fprintf(stderr, "%s: %s is a segmentation model (its output is a class per pixel), not a classifier: mnet-segment runs it\n",
			prog, mnet_model_name(m));
		json_fail_all(&a, argc, argv, mnet_model_name(m),
			      "not a classifier: a segmentation model");
		mnet_model_free(m);
		return MNET_TOOL_EXIT_FAIL;
	}
	/* nor is a custom decoder's result (PoseNet's poses: mnet-pose) */
	if (mnet_model_output_kind(m) == MNET_OUTPUT_CUSTOM) {
		fprintf(stderr, "%s: %s is not a classifier (a custom operator computes its outputs; for PoseNet use mnet-pose)\n",
			prog, mnet_model_name(m));
		json_fail_all(&a, argc, argv, mnet_model_name(m),
			      "not a classifier: outputs of a custom operator");
		mnet_model_free(m);
		return MNET_TOOL_EXIT_FAIL;
	}
	/* an explicit -l that cannot be used is an error, not ignored */
	if (mnet_model_output_kind(m) == MNET_OUTPUT_EMBEDDING && a.labels) {
		fprintf(stderr, "%s: -l %s: %s is a feature extractor (its output is an embedding, not classes): there is nothing to label\n",
			prog, a.labels, mnet_model_name(m));
		json_fail_all(&a, argc, argv, mnet_model_name(m),
			      "a label file for a model without classes");
		mnet_model_free(m);
		return MNET_TOOL_EXIT_FAIL;
	}
	if (mnet_model_output_kind(m) != MNET_OUTPUT_EMBEDDING &&
	    mnet_tool_find_labels(prog, a.verbose < 0, a.labels,
				  a.synthetic ? NULL : a.model_path,
				  mnet_model_output_size(m), &ls.labels,
				  &ls.n, &ls.offset)) {
		json_fail_all(&a, argc, argv, mnet_model_name(m),
			      "the label file does not fit the model");
		mnet_model_free(m);
		return MNET_TOOL_EXIT_FAIL;
	}
	/* one session: free the model's weights as it packs its own */
	a.opts.release_weights = !a.keep_weights &&
				 a.opts.backend != MNET_BACKEND_REF;
	ret = mnet_session_create(m, &a.opts, &s, &err);
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", prog, mnet_model_name(m),
			err.msg[0] ? err.msg : mnet_strerror(ret));
		json_fail_all(&a, argc, argv, mnet_model_name(m),
			      err.msg[0] ? err.msg : mnet_strerror(ret));
		mnet_tool_free_labels(ls.labels);
		mnet_model_free(m);
		return MNET_TOOL_EXIT_FAIL;
	}
	if (err.msg[0] && a.verbose >= 0)
		fprintf(stderr, "%s: %s\n", prog, err.msg);
	if (a.verbose > 0)
		print_verbose(&a, m, s, &ls);
	for (i = optind; i < argc; i++)
		if (classify_one(s, m, &a, argv[i], &ls))
			failed = 1;
	mnet_session_destroy(s);
	mnet_tool_free_labels(ls.labels);
	mnet_model_free(m);
	return failed ? MNET_TOOL_EXIT_FAIL : MNET_TOOL_EXIT_OK;
}
