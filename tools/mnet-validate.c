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
 * checked, or --min-agree).  The exit status is then 1 and the message
 * names the first layer over tolerance and the backend.  A model or
 * device that cannot be used is also 1; 2 is bad usage (docs/tools.md).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "support/clock.h"
#include "mnet/mnet.h"
#include "lib/tool_util.h"
#include "lib/validate.h"
#include "lib/validate_json.h"

static const char *prog = "mnet-validate";
static int quiet;		/* -q: no progress, no notes */

struct val_args {
	const char *model;
	int synthetic;
	float alpha;
	int res;
	const char *images_dir;
	const char *truth;
	char **files;
	int n_files;
	const char *backends;
	const char *device;
	enum mnet_precision precision;
	int threads;
	double tolerance;	/* < 0: defaults */
	double min_agree;	/* < 0: defaults */
	int layer_images;
	int limit;
	float crop;
	int json;
	const char *report;
	const char *labels;
};

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
		"  -p, --precision P      OpenCL precision: auto, fp32, fp16-storage, fp16\n"
		"  -t, --threads N        host threads for the cpu backend, 0 = all cores;\n"
		"                         over %d is clamped with a warning\n"
		"  -e, --tolerance X      relative L2 limit for every layer and the output\n"
		"                         [default: 1e-4 fp32, 1e-2 fp16 modes]\n"
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
		"  -q, --quiet            no progress or notes on stderr\n"
		"  -V, --version          print the version and exit\n"
		"  -h, --help             show this help\n"
		"\n"
		"JSON fields (see docs/validate.md): model, layers, images, layer_images,\n"
		"truth, pass, backends[] {id, name, device, fp16, rel_l2_tolerance,\n"
		"top1_agree_min, top1_agree, top5_agree, top1_accuracy, top5_accuracy,\n"
		"output {max_abs, rel_l2, cos}, run_ms_median, layer_ms_sum,\n"
		"first_fail_layer, fail_layers, pass}, per_layer[] {index, name, op,\n"
		"out [h,w,c], macs, ms {ID: ms}, err {ID: {max_abs, rel_l2, cos}}},\n"
		"images_detail[] {file, truth, top5 {ID: [classes]}}, failures[]\n"
		"{backend, layer, name, metric, value, limit}.  Agreements and\n"
		"accuracies are fractions in [0,1]; accuracies are null without truth.\n"
		"\n"
		"Debug: MNET_DEBUG_PERTURB_LAYER=N[:BACKEND] corrupts layer N's output\n"
		"in every backend (or only BACKEND), to check that validation fails.\n"
		"\n"
		"Exit status: 0 all within tolerance, 1 a tolerance was exceeded or\n"
		"the work failed (a model or device that cannot be used), 2 bad usage\n"
		"(unknown option, bad value, no images found, -d without opencl).\n",
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
		{ NULL, 0, NULL, 0 },
	};
	double d;
	int c, sources;

	while ((c = getopt_long(argc, argv, "m:i:T:n:b:d:p:t:e:a:L:c:jr:l:hVq",
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
			quiet = 1;
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

/* ---- inputs ------------------------------------------------------------- */

static int add_image(struct val_run *r, int *cap, const char *path, int truth)
{
	struct val_image *tmp;

	if (r->n_images == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		tmp = realloc(r->images, (size_t)*cap * sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		r->images = tmp;
	}
	r->images[r->n_images].path = strdup(path);
	if (!r->images[r->n_images].path)
		return -ENOMEM;
	r->images[r->n_images++].truth = truth;
	return 0;
}

static int is_image_name(const char *name)
{
	static const char *const ext[] = { ".jpg", ".jpeg", ".png", ".bmp" };
	const char *dot = strrchr(name, '.');
	unsigned int i;

	for (i = 0; dot && i < sizeof(ext) / sizeof(ext[0]); i++)
		if (!strcasecmp(dot, ext[i]))
			return 1;
	return 0;
}

static int cmp_image(const void *a, const void *b)
{
	return strcmp(((const struct val_image *)a)->path,
		      ((const struct val_image *)b)->path);
}

static int read_dir(struct val_run *r, const char *dir)
{
	char path[4096];
	struct dirent *e;
	int cap = 0, ret = 0;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
		return -errno;
	}
	while (!ret && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !is_image_name(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ret = add_image(r, &cap, path, -1);
	}
	closedir(d);
	if (ret) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return ret;
	}
	if (!r->n_images) {
		fprintf(stderr, "%s: %s: no .jpg, .jpeg, .png or .bmp files\n",
			prog, dir);
		return -ENOENT;
	}
	qsort(r->images, (size_t)r->n_images, sizeof(*r->images), cmp_image);
	return 0;
}

static int read_truth(struct val_run *r, const char *file)
{
	char line[4096], name[4096], path[8192], dir[4096], *slash;
	int cap = 0, lineno = 0, cls, ret = 0;
	FILE *f;

	f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, file, strerror(errno));
		return -errno;
	}
	snprintf(dir, sizeof(dir), "%s", file);
	slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	while (!ret && fgets(line, sizeof(line), f)) {
		char *p = line;
		char extra;

		lineno++;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		if (sscanf(p, "%4095s %d %c", name, &cls, &extra) != 2 ||
		    cls < 0) {
			fprintf(stderr, "%s: %s:%d: expected 'IMAGE CLASS' (a file and a class index >= 0)\n",
				prog, file, lineno);
			ret = -EINVAL;
			break;
		}
		snprintf(path, sizeof(path), "%s%s", name[0] == '/' ? "" : dir,
			 name);
		ret = add_image(r, &cap, path, cls);
		if (ret)
			fprintf(stderr, "%s: out of memory\n", prog);
	}
	fclose(f);
	if (!ret && !r->n_images) {
		fprintf(stderr, "%s: %s: no images listed\n", prog, file);
		ret = -EINVAL;
	}
	r->have_truth = 1;
	r->truth_file = file;
	return ret;
}

static int collect_images(struct val_run *r, const struct val_args *a)
{
	int cap = 0, i, ret;

	if (a->images_dir)
		ret = read_dir(r, a->images_dir);
	else if (a->truth)
		ret = read_truth(r, a->truth);
	else
		for (i = 0, ret = 0; !ret && i < a->n_files; i++)
			ret = add_image(r, &cap, a->files[i], -1);
	if (ret)
		return ret;
	while (a->limit && r->n_images > a->limit)
		free(r->images[--r->n_images].path);
	r->layer_images = a->layer_images < r->n_images ? a->layer_images :
							  r->n_images;
	return 0;
}

/* ---- backends ----------------------------------------------------------- */

static int add_backend(struct val_run *r, enum mnet_backend_kind kind,
		       const char *id)
{
	int i;

	for (i = 0; i < r->n_be; i++)
		if (r->be[i].kind == kind)
			return 0;
	if (r->n_be == VAL_MAX_BACKENDS)
		return -EINVAL;
	r->be[r->n_be].kind = kind;
	r->be[r->n_be++].id = id;
	return 0;
}

static int parse_backends(struct val_run *r, const char *list)
{
	static const char *const ids[] = { "ref", "cpu", "opencl" };
	char buf[256], *tok, *save = NULL;
	enum mnet_backend_kind kind;
	unsigned int i;

	add_backend(r, MNET_BACKEND_REF, "ref");	/* the oracle */
	snprintf(buf, sizeof(buf), "%s", list ? list : "ref,cpu,opencl");
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (mnet_backend_parse(tok, &kind) || kind == MNET_BACKEND_AUTO) {
			fprintf(stderr, "%s: unknown backend '%s' in --backends (ref, cpu, opencl)\n",
				prog, tok);
			return -EINVAL;
		}
		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			if (!strcmp(tok, ids[i]))
				add_backend(r, kind, ids[i]);
	}
	return 0;
}

/*
 * -d and an fp16 precision only mean something to the opencl backend: given
 * without it in --backends they are a usage error, not quietly dropped.
 * --threads over the library's maximum is clamped, with a warning.
 */
static int check_choices(const struct val_run *r, struct val_args *a)
{
	int b, opencl = 0;

	for (b = 0; b < r->n_be; b++)
		opencl |= r->be[b].kind == MNET_BACKEND_OPENCL;
	if (!opencl && a->device) {
		fprintf(stderr, "%s: --device %s: a device is an OpenCL device, and --backends has no opencl\n",
			prog, a->device);
		return -EINVAL;
	}
	if (!opencl && (a->precision == MNET_PRECISION_FP16 ||
			a->precision == MNET_PRECISION_FP16_STORAGE)) {
		fprintf(stderr, "%s: --precision fp16 modes are for the OpenCL backend, and --backends has no opencl\n",
			prog);
		return -EINVAL;
	}
	if (a->threads > MNET_MAX_THREADS) {
		fprintf(stderr, "%s: warning: --threads %d is over the library's maximum; using %d\n",
			prog, a->threads, MNET_MAX_THREADS);
		a->threads = MNET_MAX_THREADS;
	}
	return 0;
}

static int open_backend(struct val_run *r, struct val_backend *b,
			const struct val_args *a)
{
	struct mnet_session_opts o;
	struct mnet_err err = { 0 };
	size_t nl = (size_t)r->n_layers, ni = (size_t)r->n_images;
	int ret, l;

	mnet_session_opts_init(&o);
	o.backend = b->kind;
	o.threads = a->threads;
	/* device and precision are the OpenCL backend's (checked in main) */
	if (b->kind == MNET_BACKEND_OPENCL) {
		o.device = a->device;
		o.precision = a->precision;
	}
	o.profile = 1;
	ret = mnet_session_create(r->model, &o, &b->s, &err);
	if (ret) {
		fprintf(stderr, "%s: backend %s: %s\n", prog, b->id,
			err.msg[0] ? err.msg : mnet_strerror(ret));
		return ret;
	}
	if (err.msg[0] && !quiet)
		fprintf(stderr, "%s: backend %s: %s\n", prog, b->id, err.msg);
	snprintf(b->name, sizeof(b->name), "%s", mnet_session_backend_name(b->s));
	snprintf(b->device, sizeof(b->device), "%s",
		 mnet_session_device_name(b->s));
	b->fp16 = strstr(b->name, "fp16") != NULL;
	b->tol = a->tolerance >= 0 ? a->tolerance : b->fp16 ? 1e-2 : 1e-4;
	b->agree_min = a->min_agree >= 0 ? a->min_agree : b->fp16 ? -1 : 1;
	b->first_fail = -1;
	b->ms = calloc(nl, sizeof(*b->ms));
	b->ms_all = calloc(nl * ni, sizeof(*b->ms_all));
	b->run_ms = calloc(ni, sizeof(*b->run_ms));
	b->top = calloc(ni, sizeof(*b->top));
	b->err = calloc(nl, sizeof(*b->err));
	if (!b->ms || !b->ms_all || !b->run_ms || !b->top || !b->err) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -ENOMEM;
	}
	for (l = 0; l < r->n_layers; l++)
		b->err[l].cos = 1;
	b->out_err.cos = 1;
	return 0;
}

static void close_backend(struct val_backend *b)
{
	mnet_session_destroy(b->s);
	free(b->ms);
	free(b->ms_all);
	free(b->run_ms);
	free(b->top);
	free(b->err);
}

/* ---- comparison --------------------------------------------------------- */

/* Fold the error of @x against @ref into @e (worst case kept). */
static void compare(const float *x, const float *ref, size_t n,
		    struct val_layer_err *e)
{
	double d2 = 0, r2 = 0, x2 = 0, xr = 0, maxd = 0, rel, cos;
	size_t i;

	for (i = 0; i < n; i++) {
		double d = (double)x[i] - ref[i];

		d2 += d * d;
		r2 += (double)ref[i] * ref[i];
		x2 += (double)x[i] * x[i];
		xr += (double)x[i] * ref[i];
		if (!(fabs(d) <= maxd))		/* NaN sticks */
			maxd = fabs(d);
	}
	rel = r2 > 0 ? sqrt(d2 / r2) : d2 > 0 ? INFINITY : 0;
	cos = r2 > 0 && x2 > 0 ? xr / sqrt(r2 * x2) : r2 == x2 ? 1 : 0;
	if (!(maxd <= e->max_abs))
		e->max_abs = maxd;
	if (!(rel <= e->rel_l2))
		e->rel_l2 = rel;
	if (!(cos >= e->cos))
		e->cos = cos;
}

static int same_set(const int *a, const int *b, int k)
{
	int i, j, found;

	for (i = 0; i < k; i++) {
		for (j = 0, found = 0; j < k && !found; j++)
			found = a[i] == b[j];
		if (!found)
			return 0;
	}
	return 1;
}

static size_t max_layer_elems(const struct val_run *r)
{
	struct mnet_layer_info li;
	size_t n = mnet_model_output_size(r->model), e;
	int i;

	for (i = 0; i < r->n_layers; i++) {
		mnet_model_layer_info(r->model, i, &li);
		e = (size_t)li.out.h * li.out.w * li.out.c;
		if (e > n)
			n = e;
	}
	return n;
}

static int compare_layers(struct val_run *r, float *ref, float *x, size_t cap)
{
	struct mnet_layer_info li;
	int l, b, ret;

	for (l = 0; l < r->n_layers; l++) {
		size_t n;

		mnet_model_layer_info(r->model, l, &li);
		n = (size_t)li.out.h * li.out.w * li.out.c;
		ret = mnet_session_layer_output(r->be[0].s, l, ref, cap);
		for (b = 1; !ret && b < r->n_be; b++) {
			ret = mnet_session_layer_output(r->be[b].s, l, x, cap);
			if (!ret)
				compare(x, ref, n, &r->be[b].err[l]);
		}
		if (ret) {
			fprintf(stderr, "%s: reading layer %d (%s): %s\n", prog,
				l, li.name, mnet_strerror(ret));
			return ret;
		}
	}
	return 0;
}

static int run_image(struct val_run *r, int i, const float *in, size_t n_in,
		     float *ref_out, struct mnet_layer_time *lt)
{
	struct mnet_class top[VAL_TOPK];
	const float *out;
	size_t n_out;
	int b, l, k, ret;

	for (b = 0; b < r->n_be; b++) {
		struct val_backend *be = &r->be[b];

		be->run_ms[i] = mnet_now_ms();
		ret = mnet_session_run(be->s, in, n_in);
		be->run_ms[i] = mnet_now_ms() - be->run_ms[i];
		if (ret) {
			fprintf(stderr, "%s: %s: run on %s failed: %s\n", prog,
				r->images[i].path, be->name, mnet_strerror(ret));
			return ret;
		}
		if (!mnet_session_layer_times(be->s, lt))
			for (l = 0; l < r->n_layers; l++)
				be->ms_all[(size_t)l * r->n_images + i] = lt[l].ms;
		k = mnet_session_topk(be->s, VAL_TOPK, top);
		for (l = 0; l < VAL_TOPK; l++)
			be->top[i][l] = l < k ? top[l].index : -1;
		out = mnet_session_output(be->s, &n_out);
		if (b == 0)
			memcpy(ref_out, out, n_out * sizeof(*out));
		else
			compare(out, ref_out, n_out, &be->out_err);
		be->top1_agree += be->top[i][0] == r->be[0].top[i][0];
		be->top5_agree += same_set(be->top[i], r->be[0].top[i], VAL_TOPK);
		if (r->images[i].truth >= 0) {
			be->top1_hit += be->top[i][0] == r->images[i].truth;
			for (l = 0; l < VAL_TOPK; l++)
				be->top5_hit += be->top[i][l] ==
						r->images[i].truth;
		}
	}
	return 0;
}

static void summarise(struct val_run *r)
{
	int b, l;

	r->pass = 1;
	for (b = 0; b < r->n_be; b++) {
		struct val_backend *be = &r->be[b];

		for (l = 0; l < r->n_layers; l++)
			be->ms[l] = mnet_tool_median(be->ms_all +
						     (size_t)l * r->n_images,
						     r->n_images);
		be->run_ms_median = mnet_tool_median(be->run_ms, r->n_images);
		if (b == 0)
			continue;
		for (l = 0; r->layer_images && l < r->n_layers; l++) {
			if (be->err[l].rel_l2 <= be->tol)
				continue;
			if (be->first_fail < 0)
				be->first_fail = l;
			be->n_fail_layers++;
		}
		if (!(be->out_err.rel_l2 <= be->tol) || be->n_fail_layers ||
		    (be->agree_min >= 0 &&
		     be->top1_agree < be->agree_min * r->n_images - 1e-9))
			r->pass = 0;
	}
}

static int run_all(struct val_run *r, float crop)
{
	struct mnet_shape is = mnet_model_input_shape(r->model);
	size_t n_in = (size_t)is.h * is.w * is.c, cap = max_layer_elems(r);
	struct mnet_layer_time *lt;
	float *in, *ref_out, *ref_l, *x_l;
	struct mnet_err err;
	int i, ret = -ENOMEM, tty = !quiet && isatty(2);

	in = malloc(n_in * sizeof(*in));
	ref_out = malloc(cap * sizeof(*ref_out));
	ref_l = malloc(cap * sizeof(*ref_l));
	x_l = malloc(cap * sizeof(*x_l));
	lt = calloc((size_t)r->n_layers, sizeof(*lt));
	if (!in || !ref_out || !ref_l || !x_l || !lt) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto out_free;
	}
	for (i = 0; i < r->n_images; i++) {
		struct mnet_image *img;

		if (tty)
			fprintf(stderr, "\r%s: image %d/%d", prog, i + 1,
				r->n_images);
		else if (!quiet && r->n_images >= 10 &&
			 (i + 1) % (r->n_images / 10) == 0)
			/* a log or a pipe: a line at every tenth */
			fprintf(stderr, "%s: image %d/%d\n", prog, i + 1,
				r->n_images);
		err.msg[0] = '\0';
		ret = mnet_image_load(r->images[i].path, &img, &err);
		if (ret) {
			fprintf(stderr, "%s%s: %s\n", tty ? "\n" : "", prog,
				err.msg[0] ? err.msg : mnet_strerror(ret));
			goto out_free;
		}
		ret = mnet_image_preprocess(img, r->model, crop, in, n_in);
		mnet_image_free(img);
		if (ret) {
			fprintf(stderr, "%s: %s: preprocessing failed: %s\n",
				prog, r->images[i].path, mnet_strerror(ret));
			goto out_free;
		}
		ret = run_image(r, i, in, n_in, ref_out, lt);
		if (!ret && i < r->layer_images)
			ret = compare_layers(r, ref_l, x_l, cap);
		if (ret)
			goto out_free;
	}
	if (tty)
		fprintf(stderr, "\r%*s\r", 40, "");
	summarise(r);
	ret = 0;
out_free:
	free(lt);
	free(x_l);
	free(ref_l);
	free(ref_out);
	free(in);
	return ret;
}

/* ---- text output -------------------------------------------------------- */

static void pct(char *buf, size_t len, int num, int den)
{
	snprintf(buf, len, "%.1f%%", den ? 100.0 * num / den : 0.0);
}

static int find_kind(const struct val_run *r, enum mnet_backend_kind k)
{
	int b;

	for (b = 0; b < r->n_be; b++)
		if (r->be[b].kind == k)
			return b;
	return -1;
}

static void print_summary(const struct val_run *r)
{
	char a1[16], a5[16], c1[16], c5[16], rel[16], cos[16];
	int b;

	printf("%s: %s, %d layers, %d images", prog, r->model_name,
	       r->n_layers, r->n_images);
	printf(" (every layer compared on the first %d)\n", r->layer_images);
	for (b = 0; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		printf("  %-20s %s\n", be->name, be->device);
		if (!b)
			continue;
		snprintf(a1, sizeof(a1), ">= %.1f%%", 100 * be->agree_min);
		printf("  %-20s tolerance: relative L2 %.0e, top-1 agreement %s\n",
		       "", be->tol, be->agree_min < 0 ? "not checked" : a1);
	}
	printf("\nAgreement with the reference%s, over %d images\n",
	       r->have_truth ? " and accuracy" : "", r->n_images);
	printf("%-20s %10s %10s %9s %9s %10s %10s %9s\n", "backend",
	       "top1-agree", "top5-agree", "top1-acc", "top5-acc",
	       "out-relL2", "out-cos", "ms/image");
	for (b = 0; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		pct(a1, sizeof(a1), be->top1_agree, r->n_images);
		pct(a5, sizeof(a5), be->top5_agree, r->n_images);
		pct(c1, sizeof(c1), be->top1_hit, r->n_images);
		pct(c5, sizeof(c5), be->top5_hit, r->n_images);
		snprintf(rel, sizeof(rel), "%.2e", be->out_err.rel_l2);
		snprintf(cos, sizeof(cos), "%.7f", be->out_err.cos);
		printf("%-20s %10s %10s %9s %9s %10s %10s %9.2f\n", be->name,
		       b ? a1 : "-", b ? a5 : "-", r->have_truth ? c1 : "-",
		       r->have_truth ? c5 : "-", b ? rel : "-", b ? cos : "-",
		       be->run_ms_median);
	}
}

/* The images whose top-1 class differs from the reference's (first 20). */
static void print_disagreements(const struct val_run *r)
{
	int i, b, shown = 0;

	for (i = 0; i < r->n_images && shown < 20; i++) {
		for (b = 1; b < r->n_be; b++) {
			if (r->be[b].top[i][0] == r->be[0].top[i][0])
				continue;
			if (!shown++)
				printf("\nTop-1 disagreements (first 20)\n");
			printf("  %s: ref %d %s, %s %d %s\n", r->images[i].path,
			       r->be[0].top[i][0],
			       mnet_tool_label(r->labels, r->n_labels,
					       r->label_offset,
					       r->be[0].top[i][0]),
			       r->be[b].name, r->be[b].top[i][0],
			       mnet_tool_label(r->labels, r->n_labels,
					       r->label_offset,
					       r->be[b].top[i][0]));
		}
	}
}

/* Layer names are long paths whose tail says the most: keep the tail. */
static void layer_label(const struct val_run *r, int l, char *buf, size_t len)
{
	struct mnet_layer_info li;
	char nm[32];

	mnet_model_layer_info(r->model, l, &li);
	snprintf(buf, len, "%-3d %-28s %-9s %4dx%-3dx%-4d", l,
		 mnet_tool_short_name(li.name, 28, nm), li.op, li.out.h,
		 li.out.w, li.out.c);
}

static void print_errors(const struct val_run *r)
{
	char lab[96];
	int b, l;

	if (!r->layer_images || r->n_be < 2)
		return;
	printf("\nPer-layer error against the reference (worst over the first %d image%s)\n",
	       r->layer_images, r->layer_images > 1 ? "s" : "");
	printf("%-56s", "#   layer                        op        out");
	for (b = 1; b < r->n_be; b++)
		printf(" | %-31.31s", r->be[b].name);
	printf("\n%-56s", "");
	for (b = 1; b < r->n_be; b++)
		printf(" | %9s %9s %11s", "rel-L2", "max-abs", "cos");
	printf("\n");
	for (l = 0; l < r->n_layers; l++) {
		layer_label(r, l, lab, sizeof(lab));
		printf("%-56s", lab);
		for (b = 1; b < r->n_be; b++) {
			const struct val_layer_err *e = &r->be[b].err[l];

			printf(" | %9.2e %9.2e %11.8f%s", e->rel_l2, e->max_abs,
			       e->cos, e->rel_l2 <= r->be[b].tol ? "" : "!");
		}
		printf("\n");
	}
}

static void print_times(const struct val_run *r)
{
	int cpu = find_kind(r, MNET_BACKEND_CPU);
	int ocl = find_kind(r, MNET_BACKEND_OPENCL);
	double sum[VAL_MAX_BACKENDS] = { 0 };
	char lab[96];
	int b, l;

	printf("\nPer-layer time, ms (median over %d images; opencl: device time from event profiling)\n",
	       r->n_images);
	printf("%-56s", "#   layer                        op        out");
	for (b = 0; b < r->n_be; b++)
		printf(" %12.12s", r->be[b].name);
	if (cpu >= 0 && ocl >= 0)
		printf(" %11s", "cpu/opencl");
	printf("\n");
	for (l = 0; l < r->n_layers; l++) {
		layer_label(r, l, lab, sizeof(lab));
		printf("%-56s", lab);
		for (b = 0; b < r->n_be; b++) {
			printf(" %12.4f", r->be[b].ms[l]);
			sum[b] += r->be[b].ms[l];
		}
		if (cpu >= 0 && ocl >= 0) {
			if (r->be[ocl].ms[l] > 0)
				printf(" %10.2fx", r->be[cpu].ms[l] /
						   r->be[ocl].ms[l]);
			else
				printf(" %11s", "-");
		}
		printf("\n");
	}
	printf("%-56s", "sum of layers");
	for (b = 0; b < r->n_be; b++)
		printf(" %12.3f", sum[b]);
	if (cpu >= 0 && ocl >= 0 && sum[ocl] > 0)
		printf(" %10.2fx", sum[cpu] / sum[ocl]);
	printf("\n");
}

/* Name the failures on stderr (and stdout for the human-readable run). */
static void print_verdict(FILE *f, const struct val_run *r)
{
	struct mnet_layer_info li;
	int b;

	for (b = 1; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		if (be->first_fail >= 0) {
			mnet_model_layer_info(r->model, be->first_fail, &li);
			fprintf(f, "FAIL %s: layer %d (%s, %s): relative L2 error %.3e exceeds %.0e",
				be->name, be->first_fail, li.name, li.op,
				be->err[be->first_fail].rel_l2, be->tol);
			if (be->n_fail_layers > 1)
				fprintf(f, " (first of %d layers over tolerance)",
					be->n_fail_layers);
			fprintf(f, "\n");
		}
		if (!(be->out_err.rel_l2 <= be->tol))
			fprintf(f, "FAIL %s: output relative L2 error %.3e exceeds %.0e\n",
				be->name, be->out_err.rel_l2, be->tol);
		if (be->agree_min >= 0 &&
		    be->top1_agree < be->agree_min * r->n_images - 1e-9)
			fprintf(f, "FAIL %s: top-1 agreement %.1f%% below %.1f%%\n",
				be->name, 100.0 * be->top1_agree / r->n_images,
				100 * be->agree_min);
	}
	if (r->pass)
		fprintf(f, "PASS: %d backend%s within tolerance of the reference\n",
			r->n_be - 1, r->n_be == 2 ? "" : "s");
}

/* ---- main --------------------------------------------------------------- */

static void stamp(struct val_run *r)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(r->date, sizeof(r->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int main(int argc, char **argv)
{
	struct val_args a = {
		.tolerance = -1, .min_agree = -1, .layer_images = 4,
		.crop = 0.875f,
	};
	struct val_run r = { 0 };
	struct mnet_model *m = NULL;
	int ret = MNET_TOOL_EXIT_USAGE, b, i;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	if (parse_args(argc, argv, &a))
		return MNET_TOOL_EXIT_USAGE;
	if (parse_backends(&r, a.backends) || check_choices(&r, &a))
		return MNET_TOOL_EXIT_USAGE;
	if (collect_images(&r, &a))
		goto out_free;
	ret = MNET_TOOL_EXIT_FAIL;
	/* an unusable --report folder is found now, not after the run */
	if (a.report && mkdir(a.report, 0777) && errno != EEXIST) {
		fprintf(stderr, "%s: --report %s: cannot create it: %s\n", prog,
			a.report, strerror(errno));
		goto out_free;
	}
	if (a.report && access(a.report, W_OK)) {
		fprintf(stderr, "%s: --report %s: cannot write there: %s\n",
			prog, a.report, strerror(errno));
		goto out_free;
	}
	m = mnet_tool_load_model(a.model, a.synthetic, a.alpha, a.res, prog);
	if (!m)
		goto out_free;
	r.model = m;
	r.model_name = mnet_model_name(m);
	/* labels for the report's class numbers: optional, never guessed */
	if (mnet_model_output_kind(m) != MNET_OUTPUT_EMBEDDING &&
	    (a.labels || !a.synthetic)) {
		char mpath[4096];

		if (!a.synthetic)
			mnet_tool_model_path(a.model, mpath, sizeof(mpath));
		if (mnet_tool_find_labels(prog, 0, a.labels,
					  a.synthetic ? NULL : mpath,
					  mnet_model_output_size(m), &r.labels,
					  &r.n_labels, &r.label_offset))
			goto out_close;
	}
	r.n_layers = mnet_model_layer_count(m);
	stamp(&r);
	for (b = 0; b < r.n_be; b++)
		if (open_backend(&r, &r.be[b], &a))
			goto out_close;
	if (run_all(&r, a.crop))
		goto out_close;
	if (a.json) {
		val_write_json(stdout, &r);
	} else {
		print_summary(&r);
		print_disagreements(&r);
		print_errors(&r);
		print_times(&r);
		printf("\n");
		print_verdict(stdout, &r);
	}
	if (!r.pass && a.json)
		print_verdict(stderr, &r);
	if (a.report && val_write_report(a.report, &r, prog))
		goto out_close;
	ret = r.pass ? 0 : 1;

out_close:
	for (b = 0; b < r.n_be; b++)
		close_backend(&r.be[b]);
	mnet_model_free(m);
	mnet_tool_free_labels(r.labels);
out_free:
	for (i = 0; i < r.n_images; i++)
		free(r.images[i].path);
	free(r.images);
	return ret;
}
