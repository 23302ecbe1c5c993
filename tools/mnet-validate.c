// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-validate - show that every backend computes what the reference does
 *
 * DOC: validation
 *
 * Every requested backend runs on the same preprocessed inputs (each image
 * is decoded and preprocessed once, through the public API) and is compared
 * with the reference backend, which always runs (it is the oracle):
 *
 *  - output tensor, on every image: max |x - ref|, relative L2 error
 *    ||x - ref|| / ||ref|| and cosine similarity (worst over the images);
 *    top-1 agreement (same class) and top-5 agreement (same set of five);
 *  - every layer's output (mnet_session_layer_output()), on the first
 *    --layer-images images only: the fast backends keep no intermediates
 *    and recompute layers 0..N for each call, so a full per-layer pass
 *    costs about L/2 inferences per image;
 *  - with a truth file, top-1 and top-5 accuracy of every backend;
 *  - time: the median over all images of each layer's time
 *    (mnet_session_layer_times(); OpenCL sessions are created with
 *    profiling, so theirs is device time) and of the whole run (host wall
 *    time around mnet_session_run()).
 *
 * A backend fails when any layer's or the output's relative L2 error
 * exceeds its tolerance (fp32: 1e-4, fp16 modes: 1e-2, or --tolerance), or
 * when its top-1 agreement is below its floor (fp32: 100%, fp16 modes: not
 * checked, or --min-agree).  A session that computes in int8
 * (mnet_session_precision(): -p int8, or auto where it resolves so) is
 * compared with the ref backend at int8 instead, in quantized units of
 * each tensor (mnet_model_layer_quant(), mnet_model_output_quant()), and
 * any difference fails: the integer paths are exact.  Its distance from
 * the fp32 reference (output relative L2, top-1 agreement) is reported
 * beside, never judged.  The exit status is then 1 and the message
 * names the first layer over tolerance and the backend.  A model or
 * device that cannot be used is also 1; 2 is bad usage (docs/tools.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mnet/mnet.h"
#include "lib/tool_util.h"
#include "lib/validate.h"
#include "lib/validate_input.h"
#include "lib/validate_json.h"
#include "lib/validate_run.h"
#include "lib/validate_text.h"

static const char *prog = VAL_PROG;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s -m MODEL [--images DIR | --truth FILE | IMAGE...] [OPTIONS]\n"
		"Run backends on the same inputs and compare each with the reference.\n"
		"\n"
		"  -m, --model FILE       .tflite model; a bare name is looked up in\n"
		"                         $MNET_MODEL_DIR (default ../shared/models)\n"
		"      --synthetic A R    synthetic MobileNet V1 instead of a file\n"
		"      --synthetic-v2 A R the same for MobileNetV2\n"
		"  -i, --images DIR       every .jpg/.jpeg/.png/.bmp in DIR, sorted by name\n"
		"  -T, --truth FILE       'IMAGE CLASS' per line (IMAGE relative to FILE's\n"
		"                         folder): also measures top-1/top-5 accuracy\n"
		"  -n, --limit N          use only the first N images\n"
		"  -b, --backends LIST    comma-separated: ref,cpu,opencl [default: all\n"
		"                         three]; the reference always runs\n"
		"  -d, --device D         OpenCL device index or name substring (a usage\n"
		"                         error without opencl in --backends)\n"
		"  -p, --precision P      auto, fp32, int8 (every backend), fp16-storage,\n"
		"                         fp16 (OpenCL only); int8 needs a quantized file,\n"
		"                         and its sessions are compared with ref at int8\n"
		"  -t, --threads N        host threads for the cpu backend, 0 = all cores;\n"
		"                         over %d is clamped with a warning\n"
		"  -e, --tolerance X      relative L2 limit for every layer and the output\n"
		"                         [default: 1e-4 fp32, 1e-2 fp16 modes]; an int8\n"
		"                         session may differ by no quantized unit at all\n"
		"  -a, --min-agree PCT    top-1 agreement floor in percent [default: 100\n"
		"                         for fp32, not checked for fp16 modes]\n"
		"  -L, --layer-images N   compare every layer on the first N images only\n"
		"                         (the fast backends recompute layers for each\n"
		"                         read; outputs and top-k use all images) [default: 4]\n"
		"  -c, --crop F           central crop fraction [default: 0.875]\n"
		"  -j, --json             print one JSON object instead of tables\n"
		"  -r, --report DIR       write DIR/<model>.html (inline SVG charts, no\n"
		"                         external files), DIR/<model>.json, DIR/index.html\n"
		"  -l, --labels FILE      class labels for the report and the text (checked\n"
		"                         against the model's class count, as in\n"
		"                         mnet-classify) [default: imagenet_labels.txt\n"
		"                         beside a 1000- or 1001-class model]\n"
		"  -q, --quiet            no progress or notes on stderr (errors and\n"
		"                         warnings stay)\n"
		"  -v, --verbose          on stderr: each backend's session, device and\n"
		"                         limits, and a line per image (each backend's\n"
		"                         top-1 and time) instead of the progress\n"
		"  -V, --version          print the version and exit\n"
		"  -h, --help             show this help\n"
		"\n"
		"JSON fields (see docs/validate.md): model, layers, images, layer_images,\n"
		"truth, pass, fp32_reference, int8_reference, backends[] {id, name,\n"
		"device, precision, fp16, rel_l2_tolerance, q_tolerance, top1_agree_min,\n"
		"top1_agree, top5_agree, top1_accuracy, top5_accuracy, output {max_abs,\n"
		"rel_l2, cos, q_max_diff}, fp32_rel_l2, fp32_top1_agree, run_ms_median,\n"
		"layer_ms_sum, first_fail_layer, fail_layers, pass}, per_layer[] {index,\n"
		"name, op, out [h,w,c], macs, ms {ID: ms}, err {ID: {max_abs, rel_l2,\n"
		"cos, q_max_diff}}}, images_detail[] {file, truth, top5 {ID: [classes]}},\n"
		"failures[] {backend, layer, name, metric, value, limit}.  Agreements\n"
		"and accuracies are fractions in [0,1]; accuracies are null without\n"
		"truth.  int8 sessions (precision \"int8\") are compared with ref at\n"
		"int8: q_max_diff is the largest difference in quantized units (limit\n"
		"0); fp32_rel_l2 and fp32_top1_agree their output's distance from ref\n"
		"at fp32 (not judged; null for the other sessions).\n"
		"\n"
		"Debug: MNET_DEBUG_PERTURB_LAYER=N[:BACKEND] corrupts layer N's output\n"
		"in every backend (or only BACKEND), to check that validation fails.\n"
		"\n"
		"Exit status: 0 all within tolerance, 1 a tolerance was exceeded or\n"
		"the work failed (a model, device, image folder, truth file or image\n"
		"that cannot be used, all checked before the run), 2 bad usage\n"
		"(unknown option, bad value, no or two image sources, -d without\n"
		"opencl).\n",
		prog, MNET_MAX_THREADS);
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi))
		return -EINVAL;
	*out = v;
	return 0;
}

static int bad_value(const char *opt, const char *v)
{
	fprintf(stderr, "%s: bad value '%s' for %s (see --help)\n", prog, v,
		opt);
	return -EINVAL;
}

static int parse_args(int argc, char **argv, struct val_args *a)
{
	enum { OPT_SYNTH = 256, OPT_SYNTH_V2 };
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "synthetic", required_argument, NULL, OPT_SYNTH },
		{ "synthetic-v2", required_argument, NULL, OPT_SYNTH_V2 },
		{ "images", required_argument, NULL, 'i' },
		{ "truth", required_argument, NULL, 'T' },
		{ "limit", required_argument, NULL, 'n' },
		{ "backends", required_argument, NULL, 'b' },
		{ "device", required_argument, NULL, 'd' },
		{ "precision", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "tolerance", required_argument, NULL, 'e' },
		{ "min-agree", required_argument, NULL, 'a' },
		{ "layer-images", required_argument, NULL, 'L' },
		{ "crop", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "report", required_argument, NULL, 'r' },
		{ "labels", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	double d;
	int c, sources;

	while ((c = getopt_long(argc, argv, "m:i:T:n:b:d:p:t:e:a:L:c:jr:l:hVqv",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			a->model = optarg;
			break;
		case OPT_SYNTH:
		case OPT_SYNTH_V2:
			if (mnet_tool_parse_synthetic(argc, argv, prog,
						      &a->alpha, &a->res))
				return -EINVAL;
			a->synthetic = c == OPT_SYNTH ? 1 : 2;
			break;
		case 'i':
			a->images_dir = optarg;
			break;
		case 'T':
			a->truth = optarg;
			break;
		case 'n':
			if (mnet_tool_parse_int(optarg, 1, 1 << 30, &a->limit))
				return bad_value("--limit", optarg);
			break;
		case 'b':
			a->backends = optarg;
			break;
		case 'd':
			a->device = optarg;
			break;
		case 'p':
			if (mnet_tool_parse_precision(prog, optarg, &a->precision))
				return -EINVAL;
			break;
		case 't':
			if (mnet_tool_parse_int(optarg, 0, 1 << 20,
						&a->threads))
				return bad_value("--threads", optarg);
			break;
		case 'e':
			if (parse_double(optarg, 0, 1e30, &a->tolerance))
				return bad_value("--tolerance", optarg);
			break;
		case 'a':
			if (parse_double(optarg, 0, 100, &a->min_agree))
				return bad_value("--min-agree", optarg);
			a->min_agree /= 100;
			break;
		case 'L':
			if (mnet_tool_parse_int(optarg, 0, 1 << 30, &a->layer_images))
				return bad_value("--layer-images", optarg);
			break;
		case 'c':
			if (parse_double(optarg, 1e-3, 1, &d))
				return bad_value("--crop", optarg);
			a->crop = (float)d;
			break;
		case 'j':
			a->json = 1;
			break;
		case 'r':
			a->report = optarg;
			break;
		case 'l':
			a->labels = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(MNET_TOOL_EXIT_OK);
		case 'V':
			mnet_tool_print_version(prog);
			exit(MNET_TOOL_EXIT_OK);
		case 'q':
		case 'v':
			a->quiet = c == 'q';	/* the later of -q and -v wins */
			a->verbose = c == 'v';
			break;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	a->files = argv + optind;
	a->n_files = argc - optind;
	if (!!a->model == !!a->synthetic) {
		fprintf(stderr, "%s: give exactly one of -m MODEL or --synthetic ALPHA RES\n",
			prog);
		return -EINVAL;
	}
	sources = !!a->images_dir + !!a->truth + !!a->n_files;
	if (sources != 1) {
		fprintf(stderr, "%s: give exactly one source of images: --images DIR, --truth FILE or image files\n",
			prog);
		return -EINVAL;
	}
	return 0;
}

/* ---- main --------------------------------------------------------------- */

static void stamp(struct val_run *r)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(r->date, sizeof(r->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * --json and a failure before the results: one object with "error", so
 * that a script reading stdout learns why (details are on stderr).
 */
static void json_fail(const struct val_args *a, const char *why)
{
	if (!a->json)
		return;
	printf("{\"model\": ");
	mnet_tool_json_string(stdout, a->model ? a->model : "synthetic");
	printf(", \"error\": ");
	mnet_tool_json_string(stdout, why);
	printf("}\n");
}

int main(int argc, char **argv)
{
	struct val_args a = {
		.tolerance = -1, .min_agree = -1, .layer_images = 4,
		.crop = 0.875f,
	};
	struct val_run r = { 0 };
	struct mnet_model *m = NULL;
	struct stat st;
	const char *why = "an image source could not be used";
	int ret, b, i;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	if (parse_args(argc, argv, &a))
		return MNET_TOOL_EXIT_USAGE;
	if (val_parse_backends(&r, a.backends) || val_check_choices(&r, &a))
		return MNET_TOOL_EXIT_USAGE;
	/* a folder, truth file or image that cannot be used: the work fails */
	ret = MNET_TOOL_EXIT_FAIL;
	if (val_collect_images(&r, &a))
		goto out_free;
	/* an unusable --report folder is found now, not after the run */
	why = "the --report folder cannot be used";
	if (a.report && mkdir(a.report, 0777) && errno != EEXIST) {
		fprintf(stderr, "%s: --report %s: cannot create it: %s\n", prog,
			a.report, strerror(errno));
		goto out_free;
	}
	if (a.report && (stat(a.report, &st) || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "%s: --report %s: not a folder\n", prog,
			a.report);
		goto out_free;
	}
	if (a.report && access(a.report, W_OK)) {
		fprintf(stderr, "%s: --report %s: cannot write there: %s\n",
			prog, a.report, strerror(errno));
		goto out_free;
	}
	why = "the model could not be loaded";
	m = mnet_tool_load_model(a.model, a.synthetic, a.alpha, a.res, prog);
	if (!m)
		goto out_free;
	r.model = m;
	why = "the labels could not be used";
	r.model_name = mnet_model_name(m);
	/* labels for the report's class numbers: optional, never guessed */
	if (mnet_model_output_kind(m) == MNET_OUTPUT_EMBEDDING && a.labels) {
		fprintf(stderr, "%s: -l %s: %s is a feature extractor (its output is an embedding, not classes): there is nothing to label\n",
			prog, a.labels, r.model_name);
		goto out_close;
	}
	if (mnet_model_output_kind(m) != MNET_OUTPUT_EMBEDDING &&
	    (a.labels || !a.synthetic)) {
		char mpath[4096];

		if (!a.synthetic)
			mnet_tool_model_path(a.model, mpath, sizeof(mpath));
		if (mnet_tool_find_labels(prog, a.quiet, a.labels,
					  a.synthetic ? NULL : mpath,
					  mnet_model_output_size(m), &r.labels,
					  &r.n_labels, &r.label_offset))
			goto out_close;
	}
	r.n_layers = mnet_model_layer_count(m);
	r.n_outputs = mnet_model_output_count(m);
	stamp(&r);
	why = "int8 needs a quantized model";
	if (a.precision == MNET_PRECISION_INT8 &&
	    mnet_model_input_quant(m, NULL, NULL, NULL) == -ENODATA) {
		fprintf(stderr, "%s: --precision int8: %s is a float model; int8 runs a quantized file's own integer arithmetic\n",
			prog, r.model_name);
		goto out_close;
	}
	why = "a backend could not be opened";
	for (b = 0; b < r.n_be; b++)
		if (val_open_backend(&r, &r.be[b], &a))
			goto out_close;
	if (val_open_oracles(&r))
		goto out_close;
	why = "the runs failed";
	if (val_run_all(&r, &a))
		goto out_close;
	why = NULL;		/* the results are printed: no error object */
	if (a.json) {
		val_write_json(stdout, &r);
	} else {
		val_print_text(&r);
	}
	if (!r.pass && a.json)
		val_print_verdict(stderr, &r);
	if (a.report && val_write_report(a.report, &r, prog))
		goto out_close;
	ret = r.pass ? 0 : 1;

out_close:
	val_close_oracles(&r);
	for (b = 0; b < r.n_be; b++)
		val_close_backend(&r.be[b]);
	mnet_model_free(m);
	mnet_tool_free_labels(r.labels);
out_free:
	if (ret == MNET_TOOL_EXIT_FAIL && why)
		json_fail(&a, why);
	for (i = 0; i < r.n_images; i++)
		free(r.images[i].path);
	free(r.images);
	return ret;
}
