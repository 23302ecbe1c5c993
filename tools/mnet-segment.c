// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-segment - semantic segmentation of one image (DeepLabV3)
 *
 * Runs a model whose output is a class per pixel (mnet_model_output_kind()
 * MNET_OUTPUT_CLASS_MAP) on one image, resized (bilinear, no crop) to the
 * model's input when it is another size, and prints the classes found
 * with their colour and pixel count (the legend), as text or one JSON
 * object.  -o writes the colour mask at the image's size and, beside it,
 * the mask blended over the photo; --class-map writes the raw class index
 * of every pixel at the model's output size as 8-bit grayscale.  Exit
 * status: 0 when the image was segmented and every file written, 1 when
 * the model, the image, the session or a file failed, 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"		/* the decoded pixels, for the overlay */
#include "support/clock.h"
#include "mnet/mnet.h"
#include "lib/seg_draw.h"
#include "lib/tool_util.h"

#define DEFAULT_MODEL "deeplabv3_mnv2_dm05_pascal_quant.tflite"
#define DEFAULT_LABELS "pascal_voc_segmentation_labels.txt"

static const char *prog = "mnet-segment";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS] IMAGE\n"
		"Segment a BMP, JPEG or PNG image with a segmentation model (DeepLabV3):\n"
		"print the classes found (legend: colour, pixels) and draw the mask.\n"
		"\n"
		"  -m, --model FILE       .tflite model; a bare name is looked up in\n"
		"                         $MNET_MODEL_DIR (default ../shared/models)\n"
		"                         [default: %s]\n"
		"  -l, --labels FILE      class names, one per line (up to the first\n"
		"                         empty line) [default: %s\n"
		"                         beside the model, if there]\n"
		"  -o, --output FILE      write the colour mask (PASCAL VOC palette) at\n"
		"                         the image's size as PNG, and the mask blended\n"
		"                         over the image as FILE with -overlay before\n"
		"                         its .png\n"
		"      --overlay FILE     write the blended overlay here instead\n"
		"      --alpha A          the mask's weight in the overlay, 0..1\n"
		"                         [default: 0.5]\n"
		"      --class-map FILE   write the class index of every pixel, at the\n"
		"                         model's output size, as 8-bit grayscale PNG\n"
		"  -b, --backend NAME     auto, ref, cpu or opencl [default: auto]\n"
		"  -d, --device D         OpenCL device index or name substring\n"
		"  -p, --precision P      auto, fp32, fp16-storage, fp16 or int8\n"
		"                         [default: auto]\n"
		"  -t, --threads N        host threads, 0 = all cores [default: 0]\n"
		"  -r, --repeat N         time N runs, report the median [default: 1]\n"
		"  -w, --warmup N         untimed runs first [default: 0]\n"
		"  -j, --json             one JSON object: image, model, backend,\n"
		"                         device, precision, ms, runs, create_ms, width,\n"
		"                         height, classes[] {class, label, color,\n"
		"                         pixels} and the files written\n"
		"  -v, --verbose          say on stderr which model, labels and backend\n"
		"  -q, --quiet            no notes on stderr (errors stay)\n"
		"  -V, --version          print the version and exit\n"
		"  -h, --help             show this help\n"
		"\n"
		"Exit status: 0 when the image was segmented and the files written, 1\n"
		"when anything failed, 2 for bad usage.\n",
		prog, DEFAULT_MODEL, DEFAULT_LABELS);
}

struct seg_args {
	const char *model, *labels, *image, *output, *class_map;
	char overlay[4096];
	float alpha;
	int json, repeat, warmup, verbose;
	struct mnet_session_opts opts;
	char model_path[4096];
};

static int parse_count(const char *opt, const char *arg, int lo, int *out)
{
	if (mnet_tool_parse_int(arg, lo, 100000, out)) {
		fprintf(stderr, "%s: --%s must be %d..100000\n", prog, opt, lo);
		return -EINVAL;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct seg_args *a)
{
	enum { OPT_OVERLAY = 256, OPT_ALPHA, OPT_CLASS_MAP };
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "labels", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "overlay", required_argument, NULL, OPT_OVERLAY },
		{ "alpha", required_argument, NULL, OPT_ALPHA },
		{ "class-map", required_argument, NULL, OPT_CLASS_MAP },
		{ "backend", required_argument, NULL, 'b' },
		{ "device", required_argument, NULL, 'd' },
		{ "precision", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dot;
	char *end;
	int c;

	memset(a, 0, sizeof(*a));
	a->model = DEFAULT_MODEL;
	a->alpha = 0.5f;
	a->repeat = 1;
	mnet_session_opts_init(&a->opts);
	while ((c = getopt_long(argc, argv, "m:l:o:b:d:p:t:r:w:jvqVh",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			a->model = optarg;
			break;
		case 'l':
			a->labels = optarg;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_OVERLAY:
			snprintf(a->overlay, sizeof(a->overlay), "%s", optarg);
			break;
		case OPT_ALPHA:
			a->alpha = strtof(optarg, &end);
			if (*end || !(a->alpha >= 0.0f && a->alpha <= 1.0f)) {
				fprintf(stderr, "%s: --alpha must be in [0, 1]\n",
					prog);
				return -EINVAL;
			}
			break;
		case OPT_CLASS_MAP:
			a->class_map = optarg;
			break;
		case 'b':
			if (mnet_tool_parse_backend(prog, optarg,
						    &a->opts.backend))
				return -EINVAL;
			break;
		case 'd':
			a->opts.device = optarg;
			break;
		case 'p':
			if (mnet_tool_parse_precision(prog, optarg,
						      &a->opts.precision))
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
		case 'r':
			if (parse_count("repeat", optarg, 1, &a->repeat))
				return -EINVAL;
			break;
		case 'w':
			if (parse_count("warmup", optarg, 0, &a->warmup))
				return -EINVAL;
			break;
		case 'j':
			a->json = 1;
			break;
		case 'v':
			a->verbose = 1;
			break;
		case 'q':
			a->verbose = -1;
			break;
		case 'V':
			mnet_tool_print_version(prog);
			exit(MNET_TOOL_EXIT_OK);
		case 'h':
			usage(stdout);
			exit(MNET_TOOL_EXIT_OK);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s: give exactly one image (try --help)\n",
			prog);
		return -EINVAL;
	}
	a->image = argv[optind];
	if (a->overlay[0] && !a->output) {
		fprintf(stderr, "%s: --overlay needs -o (the mask) too\n", prog);
		return -EINVAL;
	}
	if (a->output && !a->overlay[0]) {
		/* mask.png -> mask-overlay.png */
		dot = strrchr(a->output, '.');
		if (!dot || strchr(dot, '/'))
			dot = a->output + strlen(a->output);
		snprintf(a->overlay, sizeof(a->overlay), "%.*s-overlay%s",
			 (int)(dot - a->output), a->output,
			 *dot ? dot : ".png");
	}
	return mnet_tool_check_choices(prog, &a->opts);
}

/*
 * The class names: the lines of -l FILE (or of the default file beside
 * the model, when it is there) up to the first empty one, which starts
 * the shared file's notes.  NULL labels and 0 when there are none.
 */
static int load_labels(const struct seg_args *a, char ***labels, int *n)
{
	char path[4096 + 64];
	const char *slash;
	FILE *f;
	int k;

	*labels = NULL;
	*n = 0;
	if (a->labels) {
		snprintf(path, sizeof(path), "%s", a->labels);
	} else {
		slash = strrchr(a->model_path, '/');
		snprintf(path, sizeof(path), "%.*s%s",
			 slash ? (int)(slash - a->model_path + 1) : 0,
			 a->model_path, DEFAULT_LABELS);
		f = fopen(path, "r");
		if (!f)
			return 0;	/* indices only */
		fclose(f);
	}
	*labels = mnet_tool_load_labels(path, n);
	if (!*labels)
		return -EINVAL;
	for (k = 0; k < *n; k++)
		if (!(*labels)[k][0])
			break;
	*n = k;
	if (a->verbose > 0)
		fprintf(stderr, "%s: labels: %d from %s\n", prog, *n, path);
	return 0;
}

static int write_png(const char *path, const uint8_t *px, int w, int h,
		     int channels)
{
	int ret = mnet_seg_write_png(path, px, w, h, channels);

	if (ret)
		fprintf(stderr, "%s: %s: cannot write the PNG file\n", prog,
			path);
	return ret;
}

/* -o and --class-map: the mask, the overlay, the raw map. */
static int write_files(const struct seg_args *a, const uint8_t *map, int mw,
		       int mh, const struct mnet_image *img)
{
	uint8_t *mask, *over;
	int w, h, ret = 0;

	if (a->class_map)
		ret = write_png(a->class_map, map, mw, mh, 1);
	if (ret || !a->output)
		return ret;
	mnet_image_size(img, &w, &h);
	mask = malloc((size_t)w * h * 3);
	over = malloc((size_t)w * h * 3);
	if (!mask || !over) {
		fprintf(stderr, "%s: out of memory for the mask\n", prog);
		ret = -ENOMEM;
	} else {
		mnet_seg_render(map, mw, mh, img->rgb, w, h, a->alpha, mask,
				over);
		ret = write_png(a->output, mask, w, h, 3);
		if (!ret)
			ret = write_png(a->overlay, over, w, h, 3);
	}
	free(over);
	free(mask);
	return ret;
}

static void print_result(const struct seg_args *a, struct mnet_session *s,
			 const struct mnet_model *m, const size_t *count,
			 int mw, int mh, char **labels, int n_labels,
			 double ms, double create_ms)
{
	const char *dev = mnet_session_device_name(s);
	size_t total = (size_t)mw * mh;
	int k, first = 1;
	uint8_t rgb[3];

	if (a->json) {
		printf("{\"image\": ");
		mnet_tool_json_string(stdout, a->image);
		printf(", \"model\": ");
		mnet_tool_json_string(stdout, mnet_model_name(m));
		printf(", \"backend\": ");
		mnet_tool_json_string(stdout, mnet_session_backend_name(s));
		printf(", \"device\": ");
		mnet_tool_json_string(stdout, dev ? dev : "");
		printf(", \"precision\": \"%s\", \"ms\": %.3f, \"runs\": %d, \"create_ms\": %.3f, \"width\": %d, \"height\": %d, \"classes\": [",
		       mnet_session_precision(s) == MNET_PRECISION_INT8 ?
		       "int8" : "float", ms, a->repeat, create_ms, mw, mh);
	} else {
		printf("%s: %dx%d class map, %.2f ms%s (%s; session created in %.1f ms)\n",
		       a->image, mw, mh, ms,
		       a->repeat > 1 ? " (median)" : "",
		       mnet_session_backend_name(s), create_ms);
	}
	for (k = 0; k < 256; k++) {
		const char *label = k < n_labels ? labels[k] : "";

		if (!count[k])
			continue;
		mnet_seg_color(k, rgb);
		if (!a->json) {
			printf("  %3d  %-14s #%02x%02x%02x  %8zu px  %5.1f%%\n",
			       k, label, rgb[0], rgb[1], rgb[2], count[k],
			       100.0 * (double)count[k] / (double)total);
			continue;
		}
		printf("%s{\"class\": %d, \"label\": ", first ? "" : ", ", k);
		mnet_tool_json_string(stdout, label);
		printf(", \"color\": \"#%02x%02x%02x\", \"pixels\": %zu}",
		       rgb[0], rgb[1], rgb[2], count[k]);
		first = 0;
	}
	if (a->json) {
		printf("], \"mask\": ");
		mnet_tool_json_string(stdout, a->output ? a->output : "");
		printf(", \"overlay\": ");
		mnet_tool_json_string(stdout, a->output ? a->overlay : "");
		printf(", \"class_map\": ");
		mnet_tool_json_string(stdout, a->class_map ? a->class_map : "");
		printf("}\n");
	}
}

/* Run, read the map, count, print, write; 0 or a negative errno. */
static int segment(const struct seg_args *a, struct mnet_session *s,
		   const struct mnet_model *m, char **labels, int n_labels,
		   double create_ms)
{
	struct mnet_output_info oi;
	struct mnet_err err = { 0 };
	struct mnet_image *img = NULL;
	size_t n, k, count[256] = { 0 };
	double *times = NULL, ms;
	uint8_t *map = NULL;
	float *cls = NULL;
	int ret, i;

	ret = mnet_image_load(a->image, &img, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		return ret;
	}
	mnet_model_output_info(m, 0, &oi);
	n = (size_t)oi.shape.h * oi.shape.w;
	times = calloc((size_t)a->repeat, sizeof(*times));
	cls = malloc(n * sizeof(*cls));
	map = malloc(n);
	if (!times || !cls || !map) {
		fprintf(stderr, "%s: out of memory\n", prog);
		ret = -ENOMEM;
		goto out;
	}
	/* crop 1: the whole image, resized to the input if it is not */
	for (i = 0; !ret && i < a->warmup; i++)
		ret = mnet_session_run_image(s, img, 1.0f);
	for (i = 0; !ret && i < a->repeat; i++) {
		double t0 = mnet_now_ms();

		ret = mnet_session_run_image(s, img, 1.0f);
		times[i] = mnet_now_ms() - t0;
	}
	if (!ret)
		ret = mnet_session_output_read(s, 0, cls, n);
	if (ret) {
		fprintf(stderr, "%s: %s: inference failed: %s\n", prog,
			a->image, mnet_strerror(ret));
		goto out;
	}
	ms = mnet_tool_median(times, a->repeat);
	for (k = 0; k < n; k++) {
		int c = (int)cls[k];

		map[k] = (uint8_t)(c < 0 ? 0 : c > 255 ? 255 : c);
		count[map[k]]++;
	}
	print_result(a, s, m, count, oi.shape.w, oi.shape.h, labels, n_labels,
		     ms, create_ms);
	ret = write_files(a, map, oi.shape.w, oi.shape.h, img);
out:
	free(map);
	free(cls);
	free(times);
	mnet_image_free(img);
	return ret;
}

int main(int argc, char **argv)
{
	struct seg_args a;
	struct mnet_err err = { 0 };
	struct mnet_session *s = NULL;
	struct mnet_model *m;
	char **labels = NULL;
	int ret, n_labels = 0;
	double t0, create_ms;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	if (parse_args(argc, argv, &a))
		return MNET_TOOL_EXIT_USAGE;
	m = mnet_tool_load_model(a.model, 0, 0.0f, 0, prog);
	if (!m)
		return MNET_TOOL_EXIT_FAIL;
	mnet_tool_model_path(a.model, a.model_path, sizeof(a.model_path));
	if (mnet_model_output_kind(m) != MNET_OUTPUT_CLASS_MAP) {
		fprintf(stderr, "%s: %s is not a segmentation model (its output is not a class per pixel); mnet-classify runs classifiers\n",
			prog, mnet_model_name(m));
		mnet_model_free(m);
		return MNET_TOOL_EXIT_FAIL;
	}
	if (load_labels(&a, &labels, &n_labels)) {
		mnet_model_free(m);
		return MNET_TOOL_EXIT_FAIL;
	}
	a.opts.release_weights = a.opts.backend != MNET_BACKEND_REF;
	t0 = mnet_now_ms();
	ret = mnet_session_create(m, &a.opts, &s, &err);
	create_ms = mnet_now_ms() - t0;
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", prog, mnet_model_name(m),
			err.msg[0] ? err.msg : mnet_strerror(ret));
		mnet_tool_free_labels(labels);
		mnet_model_free(m);
		return MNET_TOOL_EXIT_FAIL;
	}
	if (err.msg[0] && a.verbose >= 0)
		fprintf(stderr, "%s: %s\n", prog, err.msg);
	if (a.verbose > 0)
		fprintf(stderr, "%s: model %s from %s; backend %s on %s\n",
			prog, mnet_model_name(m), a.model_path,
			mnet_session_backend_name(s),
			mnet_session_device_name(s) ?
			mnet_session_device_name(s) : "-");
	ret = segment(&a, s, m, labels, n_labels, create_ms);
	mnet_session_destroy(s);
	mnet_tool_free_labels(labels);
	mnet_model_free(m);
	return ret ? MNET_TOOL_EXIT_FAIL : MNET_TOOL_EXIT_OK;
}
