// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-classify - classify images with a MobileNet model
 *
 * Prints the top-K classes of each image and the inference time, as text or
 * one JSON object per image per line.  Exit status is non-zero when any
 * image or the model failed, with the reason on stderr.
 *
 * The tool has one session, so it creates it with release_weights, as an
 * application should: the model's float weights are freed as the session
 * packs or uploads its own copy, and the process never holds both.  A ref
 * session, or an OpenCL session with layers on the host, reads the
 * model's weights and keeps them; --keep-weights keeps them always.
 */
#include <errno.h>
#include <getopt.h>
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
		"  -l, --labels FILE      one label per line [default: imagenet_labels.txt\n"
		"                         next to the model, if it exists]\n"
		"  -b, --backend NAME     auto, ref, cpu or opencl [default: auto]\n"
		"  -d, --device D         OpenCL device index or name substring\n"
		"                         [default: $MNET_DEVICE, else first GPU]\n"
		"  -p, --precision P      auto, fp32, fp16-storage or fp16 [default: auto]\n"
		"  -t, --threads N        host threads, 0 = all cores [default: 0]\n"
		"  -k, --top K            classes to print per image [default: 5]\n"
		"  -c, --crop F           central crop fraction in (0,1] [default: 0.875]\n"
		"      --tuning-db FILE   tuning database [default: $MNET_TUNE_DB or\n"
		"                         $XDG_CACHE_HOME/mnet/tuning.db]\n"
		"  -j, --json             one JSON object per image per line\n"
		"      --profile          print a per-layer time table after each image\n"
		"      --keep-weights     keep the model's float weights after the session\n"
		"                         is created [default: free them; the session has\n"
		"                         its own copy, except ref and OpenCL sessions with\n"
		"                         layers on the host, which keep them anyway]\n"
		"  -h, --help             show this help\n"
		"\n"
		"Exit status: 0 when every image was classified, 1 on any error.\n",
		prog, DEFAULT_MODEL);
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
	struct mnet_session_opts opts;
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
		{ "tuning-db", required_argument, NULL, OPT_TUNEDB },
		{ "json", no_argument, NULL, 'j' },
		{ "profile", no_argument, NULL, OPT_PROFILE },
		{ "keep-weights", no_argument, NULL, OPT_KEEP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(a, 0, sizeof(*a));
	a->model = DEFAULT_MODEL;
	a->top = 5;
	a->crop = 0.875f;
	mnet_session_opts_init(&a->opts);
	while ((c = getopt_long(argc, argv, "m:l:b:d:p:t:k:c:jh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'm':
			a->model = optarg;
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
			a->opts.threads = (int)strtol(optarg, &end, 10);
			if (*end || a->opts.threads < 0 ||
			    a->opts.threads > 1024) {
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
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: no image given (try --help)\n", prog);
		return -EINVAL;
	}
	return 0;
}

static char **default_labels(const struct classify_args *a,
			     const struct mnet_model *m, int *n)
{
	char path[4096], mpath[4096];
	const char *slash;

	if (a->labels)
		return mnet_tool_load_labels(a->labels, n);
	if (mnet_model_output_kind(m) == MNET_OUTPUT_EMBEDDING)
		return NULL;
	if (a->synthetic) {
		snprintf(path, sizeof(path), "%s/imagenet_labels.txt",
			 mnet_tool_model_dir());
	} else {
		mnet_tool_model_path(a->model, mpath, sizeof(mpath));
		slash = strrchr(mpath, '/');
		snprintf(path, sizeof(path), "%.*s/imagenet_labels.txt",
			 slash ? (int)(slash - mpath) : 1,
			 slash ? mpath : ".");
	}
	if (access(path, R_OK))
		return NULL;	/* no labels: indices only */
	return mnet_tool_load_labels(path, n);
}

static void print_profile(struct mnet_session *s, const struct mnet_model *m)
{
	int n = mnet_model_layer_count(m), i;
	struct mnet_layer_time *t = calloc(n, sizeof(*t));
	struct mnet_startup su;
	double total = 0;

	if (!t || mnet_session_layer_times(s, t)) {
		free(t);
		return;
	}
	printf("  %-3s %-28s %-9s %-14s %-7s %-19s %9s %8s %8s\n", "#", "layer",
	       "op", "output", "backend", "config", "ms", "GFLOP/s", "GB/s");
	for (i = 0; i < n; i++) {
		struct mnet_layer_info li;
		char shape[32];
		const char *name;
		double bytes, gflops, gbs;

		mnet_model_layer_info(m, i, &li);
		/* long TFLite names differ at the end ("..._3/project/...") */
		name = li.name;
		if (strlen(name) > 28)
			name += strlen(name) - 26;
		snprintf(shape, sizeof(shape), "%dx%dx%d", li.out.h, li.out.w,
			 li.out.c);
		bytes = 4.0 * ((double)li.in.h * li.in.w * li.in.c +
			       (double)li.out.h * li.out.w * li.out.c +
			       (double)li.params);
		gflops = t[i].ms > 0 ? 2.0 * li.macs / (t[i].ms * 1e6) : 0;
		gbs = t[i].ms > 0 ? bytes / (t[i].ms * 1e6) : 0;
		printf("  %-3d %s%-*s %-9s %-14s %-7s %-19s %9.3f %8.2f %8.2f\n",
		       i, name == li.name ? "" : "..", name == li.name ? 28 : 26,
		       name, li.op, shape, t[i].backend ? t[i].backend : "",
		       t[i].config && t[i].config[0] ? t[i].config : "-",
		       t[i].ms, gflops, gbs);
		total += t[i].ms;
	}
	printf("  total %.3f ms over %d layers\n", total, n);
	mnet_session_startup(s, &su);
	printf("  session creation %.1f ms: device %.1f, programs %.1f (%d built, %d from cache), weights %.1f, first run %.1f; %d layer(s) on the host\n",
	       su.total_ms, su.device_ms, su.build_ms, su.programs_built,
	       su.programs_cached, su.upload_ms, su.first_run_ms,
	       su.host_layers);
	free(t);
}

static int classify_one(struct mnet_session *s, const struct mnet_model *m,
			const struct classify_args *a, const char *path,
			char **labels, int n_labels)
{
	struct mnet_class top[MAX_TOP];
	struct mnet_err err = { 0 };
	struct mnet_image *img = NULL;
	int ret, k, i;
	double ms;

	ret = mnet_image_load(path, &img, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		return ret;
	}
	ms = mnet_now_ms();
	ret = mnet_session_run_image(s, img, a->crop);
	ms = mnet_now_ms() - ms;
	mnet_image_free(img);
	if (ret) {
		fprintf(stderr, "%s: %s: inference failed: %s\n", prog, path,
			mnet_strerror(ret));
		return ret;
	}
	k = mnet_session_topk(s, a->top, top);
	if (a->json) {
		printf("{\"image\": ");
		mnet_tool_json_string(stdout, path);
		printf(", \"ms\": %.3f, \"backend\": ", ms);
		mnet_tool_json_string(stdout, mnet_session_backend_name(s));
		printf(", \"top\": [");
		for (i = 0; i < k; i++) {
			printf("%s{\"class\": %d, \"label\": ", i ? ", " : "",
			       top[i].index);
			mnet_tool_json_string(stdout,
					      labels && top[i].index < n_labels ?
						      labels[top[i].index] : "");
			printf(", \"score\": %.6f}", top[i].score);
		}
		printf("]}\n");
	} else {
		printf("%s: %.2f ms (%s)\n", path, ms,
		       mnet_session_backend_name(s));
		for (i = 0; i < k; i++)
			printf("  %4d  %-30s %.5f\n", top[i].index,
			       labels && top[i].index < n_labels ?
				       labels[top[i].index] : "",
			       top[i].score);
	}
	if (a->profile)
		print_profile(s, m);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct classify_args a;
	struct mnet_err err = { 0 };
	struct mnet_session *s = NULL;
	struct mnet_model *m;
	char **labels = NULL;
	int n_labels = 0, ret, i, failed = 0;

	if (parse_args(argc, argv, &a))
		return 1;
	m = mnet_tool_load_model(a.model, a.synthetic, a.alpha, a.res, prog);
	if (!m)
		return 1;
	labels = default_labels(&a, m, &n_labels);
	if (a.labels && !labels) {
		mnet_model_free(m);
		return 1;
	}
	/* one session: free the model's weights as it packs its own */
	a.opts.release_weights = !a.keep_weights &&
				 a.opts.backend != MNET_BACKEND_REF;
	ret = mnet_session_create(m, &a.opts, &s, &err);
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", prog, mnet_model_name(m),
			err.msg[0] ? err.msg : mnet_strerror(ret));
		mnet_tool_free_labels(labels);
		mnet_model_free(m);
		return 1;
	}
	if (err.msg[0])
		fprintf(stderr, "%s: %s\n", prog, err.msg);
	for (i = optind; i < argc; i++)
		if (classify_one(s, m, &a, argv[i], labels, n_labels))
			failed = 1;
	mnet_session_destroy(s);
	mnet_tool_free_labels(labels);
	mnet_model_free(m);
	return failed;
}
