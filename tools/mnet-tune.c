// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-tune - tune a model's OpenCL kernels for this device, save the result
 *
 * Runs the auto-tuner (runtime/tune/tuner.c) over every distinct layer of a
 * model, merges the results into the tuning database, then measures the
 * whole model with default and with tuned configurations in the same run
 * (two sessions, runs interleaved so that machine noise hits both alike).
 * Progress goes to stderr: a bar with ETA on a terminal, plain lines
 * otherwise.  The table (or --json) goes to stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/clock.h"
#include "mnet/mnet.h"
#include "lib/tool_util.h"

#ifdef MNET_HAVE_OPENCL
#include "tune/tuner.h"
#include "tune/tuner_q8.h"
#endif

static const char *prog = "mnet-tune";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-m MODEL | --synthetic ALPHA RES] [OPTIONS]\n"
		"Tune the OpenCL kernel configuration of every distinct layer of a\n"
		"model on one device and save it in the tuning database, which every\n"
		"later session on this device uses.\n"
		"\n"
		"  -m, --model FILE        .tflite model (bare names are looked up in\n"
		"                          $MNET_MODEL_DIR, default ../shared/models)\n"
		"  -s, --synthetic A R     synthetic MobileNet V1, alpha A, resolution R\n"
		"      --synthetic-v2 A R  synthetic MobileNetV2\n"
		"  -d, --device D          OpenCL device index or name substring\n"
		"  -p, --precision P       auto, fp32, fp16-storage, fp16 or int8 [default: auto]\n"
		"      --mode M            fast, normal or exhaustive [default: fast]\n"
		"      --budget SECONDS    stop searching after this long, keep the best\n"
		"                          found so far [default: no limit]\n"
		"      --db FILE           tuning database [default: $MNET_TUNE_DB, else\n"
		"                          $XDG_CACHE_HOME/mnet/tuning.db]; checked for\n"
		"                          writing before the search starts (missing\n"
		"                          folders are created)\n"
		"      --tuning-db FILE    the same as --db\n"
		"  -r, --runs N            whole-model runs per configuration set for the\n"
		"                          default vs tuned comparison [default: 20]\n"
		"  -j, --json              print one JSON object instead of the table\n"
		"  -q, --quiet             no progress or notes on stderr (errors and\n"
		"                          warnings stay)\n"
		"  -v, --verbose           on stderr: the model, device, mode, budget\n"
		"                          and database used, a line per candidate\n"
		"                          instead of per layer, and each layer's\n"
		"                          counts with its default and best configuration\n"
		"  -V, --version           print the version and exit\n"
		"  -h, --help              this help\n"
		"\n"
		"Exit status: 0 when tuning finished and the database was written, 1\n"
		"when it failed (no such device or model, an unwritable database), 2\n"
		"for bad usage.\n",
		prog);
}

/*
 * The command line, parsed the same way in every build: a bad flag is a
 * usage error (exit 2) even where there is no OpenCL backend to tune.
 */
struct tune_args {
	const char *model;
	int synthetic;
	float alpha;
	int res;
	int json;
	int runs;
	int verbose;		/* 1 -v, -1 -q */
	const char *device;
	enum mnet_precision precision;
	const char *precision_name;	/* as given, for -v */
	int mode;		/* index in modes[], enum mnet_tune_mode */
	double budget_s;
	const char *db_path;
};

/* --mode's names, in enum mnet_tune_mode's order (tune/tuner_space.h) */
static const char *const modes[] = { "fast", "normal", "exhaustive" };

static int parse_mode(const char *s, int *mode)
{
	unsigned int i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcmp(s, modes[i])) {
			*mode = (int)i;
			return 0;
		}
	}
	fprintf(stderr, "%s: unknown mode '%s' (fast, normal, exhaustive)\n",
		prog, s);
	return -EINVAL;
}

static int parse_args(int argc, char **argv, struct tune_args *a)
{
	enum { OPT_MODE = 256, OPT_BUDGET, OPT_DB, OPT_SYNTH_V2 };
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "synthetic", required_argument, NULL, 's' },
		{ "synthetic-v2", required_argument, NULL, OPT_SYNTH_V2 },
		{ "device", required_argument, NULL, 'd' },
		{ "precision", required_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "budget", required_argument, NULL, OPT_BUDGET },
		{ "db", required_argument, NULL, OPT_DB },
		{ "tuning-db", required_argument, NULL, OPT_DB },
		{ "runs", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(a, 0, sizeof(*a));
	a->runs = 20;
	a->precision_name = "auto";
	while ((c = getopt_long(argc, argv, "m:s:d:p:r:jhVqv", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'm':
			a->model = optarg;
			break;
		case 's':
		case OPT_SYNTH_V2:
			a->synthetic = c == 's' ? 1 : 2;
			if (mnet_tool_parse_synthetic(argc, argv, prog,
						      &a->alpha, &a->res))
				return -EINVAL;
			break;
		case 'd':
			a->device = optarg;
			break;
		case 'p':
			if (mnet_tool_parse_precision(prog, optarg, &a->precision))
				return -EINVAL;
			a->precision_name = optarg;
			break;
		case OPT_MODE:
			if (parse_mode(optarg, &a->mode))
				return -EINVAL;
			break;
		case OPT_BUDGET:
			a->budget_s = strtod(optarg, &end);
			if (*end || end == optarg || !(a->budget_s > 0)) {
				fprintf(stderr, "%s: --budget must be a positive number of seconds\n",
					prog);
				return -EINVAL;
			}
			break;
		case OPT_DB:
			a->db_path = optarg;
			break;
		case 'r':
			if (mnet_tool_parse_int(optarg, 1, 10000, &a->runs)) {
				fprintf(stderr, "%s: --runs must be 1..10000\n",
					prog);
				return -EINVAL;
			}
			break;
		case 'j':
			a->json = 1;
			break;
		case 'h':
			usage(stdout);
			exit(MNET_TOOL_EXIT_OK);
		case 'V':
			mnet_tool_print_version(prog);
			exit(MNET_TOOL_EXIT_OK);
		case 'q':
			a->verbose = -1;
			break;
		case 'v':
			a->verbose = 1;
			break;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s' (try --help)\n",
			prog, argv[optind]);
		return -EINVAL;
	}
	if (a->model && a->synthetic) {
		fprintf(stderr, "%s: give a model (-m FILE) or --synthetic ALPHA RES, not both\n",
			prog);
		return -EINVAL;
	}
	if (!a->model && !a->synthetic) {
		fprintf(stderr, "%s: give a model (-m FILE) or --synthetic ALPHA RES\n",
			prog);
		return -EINVAL;
	}
	/* the synthetic models are float: known from the command line */
	if (a->synthetic && a->precision == MNET_PRECISION_INT8) {
		fprintf(stderr, "%s: --precision int8 tunes a quantized .tflite file (-m); the synthetic models are float\n",
			prog);
		return -EINVAL;
	}
	return 0;
}

#ifdef MNET_HAVE_OPENCL

static void progress_tty(const struct mnet_tune_progress *p, void *ctx)
{
	int width = 30, fill = p->total ? p->done * width / p->total : width;

	(void)ctx;
	fprintf(stderr, "\r[%.*s%*s] %4d/%-4d ETA %4.0fs  %-24.24s", fill,
		"##############################", width - fill, "", p->done,
		p->total, p->eta_s, p->layer_name);
	if (p->done >= p->total)
		fputc('\n', stderr);
	fflush(stderr);
}

static void progress_lines(const struct mnet_tune_progress *p, void *ctx)
{
	int *last = ctx;

	/* one line per layer change, and at the end */
	if (p->layer == *last && p->done < p->total)
		return;
	*last = p->layer;
	fprintf(stderr, "%s: %d/%d candidates of the space, %.1fs elapsed, ETA %.0fs, layer %s\n",
		prog, p->done, p->total, p->elapsed_s, p->eta_s, p->layer_name);
}

/* -v: a line per candidate, on a terminal too (no bar to overwrite) */
static void progress_verbose(const struct mnet_tune_progress *p, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "%s: candidate %d/%d: layer %d %s, %.2fs elapsed, ETA %.0fs\n",
		prog, p->done, p->total, p->layer, p->layer_name, p->elapsed_s,
		p->eta_s);
}

/* -v: what the search uses, before it starts */
static void print_plan(const struct tune_args *a, const struct mnet_model *m)
{
	char path[4096];

	fprintf(stderr, "%s: model %s%s%s, %d layers\n", prog,
		mnet_model_name(m), a->synthetic ? "" : " from ",
		a->synthetic ? "" : mnet_tool_model_path(a->model, path,
							 sizeof(path)),
		mnet_model_layer_count(m));
	fprintf(stderr, "%s: device %s, precision %s, mode %s, budget ",
		prog, a->device ? a->device : "(default: $MNET_DEVICE or the first GPU)",
		a->precision_name, modes[a->mode]);
	if (a->budget_s > 0)
		fprintf(stderr, "%.1f s", a->budget_s);
	else
		fprintf(stderr, "none");
	fprintf(stderr, ", %d whole-model runs per side\n", a->runs);
	if (mnet_tune_db_path(a->db_path, path, sizeof(path)))
		fprintf(stderr, "%s: database %s%s\n", prog, path,
			access(path, F_OK) ? " (new)" : " (merged into)");
}

/* -v: each layer's search, as counted, after the table */
static void print_layer_counts(const struct mnet_tune_result *r)
{
	int i;

	for (i = 0; i < r->n_layers; i++) {
		const struct mnet_tune_layer_result *l = &r->layers[i];

		fprintf(stderr, "%s: layer %d %s (x%d): space %d, timed %d, pruned %d before and %d once built, %d wrong, %d failed to build; default %s, best %s%s\n",
			prog, l->layer, l->op, l->count, l->space, l->measured,
			l->pruned, l->pruned_built, l->rejected_wrong,
			l->failed, l->default_cfg,
			l->best_ms > 0 ? l->best_cfg : "- (none timed)",
			l->unsure ? " (default kept)" : "");
	}
}

/*
 * Whole-model latency with default (no database) and tuned configurations,
 * runs interleaved; medians of host wall time per inference.
 */
static int compare_model(const struct mnet_model *m, const struct tune_args *a,
			 const char *db, double *def_ms, double *tuned_ms,
			 int *n_tuned)
{
	struct mnet_session *s[2] = { NULL, NULL };
	struct mnet_session_opts o;
	struct mnet_err err = { 0 };
	struct mnet_layer_time *lt = NULL;
	struct mnet_shape is = mnet_model_input_shape(m);
	size_t n = (size_t)is.h * is.w * is.c, i;
	double *t[2] = { NULL, NULL };
	float *in = NULL;
	int k, r, ret = -ENOMEM;

	in = malloc(n * sizeof(*in));
	t[0] = malloc((size_t)a->runs * sizeof(double));
	t[1] = malloc((size_t)a->runs * sizeof(double));
	lt = calloc((size_t)mnet_model_layer_count(m), sizeof(*lt));
	if (!in || !t[0] || !t[1] || !lt)
		goto out_free;
	for (i = 0; i < n; i++)
		in[i] = (float)((i * 7919) % 255) / 127.5f - 1.0f;
	for (k = 0; k < 2; k++) {
		mnet_session_opts_init(&o);
		o.backend = MNET_BACKEND_OPENCL;
		o.device = a->device;
		o.precision = a->precision;
		o.tuning_db = k ? db : "";
		o.profile = 1;
		ret = mnet_session_create(m, &o, &s[k], &err);
		if (ret) {
			fprintf(stderr, "%s: session: %s\n", prog, err.msg);
			goto out_free;
		}
	}
	for (r = -3; r < a->runs; r++) {
		for (k = 0; k < 2; k++) {
			double t0 = mnet_now_ms();

			ret = mnet_session_run(s[k], in, n);
			if (ret) {
				fprintf(stderr, "%s: run failed: %s\n", prog,
					mnet_strerror(ret));
				goto out_free;
			}
			if (r >= 0)
				t[k][r] = mnet_now_ms() - t0;
		}
	}
	*n_tuned = 0;
	if (!mnet_session_layer_times(s[1], lt))
		for (k = 0; k < mnet_model_layer_count(m); k++)
			*n_tuned += lt[k].config && !strcmp(lt[k].config, "tuned");
	mnet_tool_sort_doubles(t[0], a->runs);
	mnet_tool_sort_doubles(t[1], a->runs);
	*def_ms = t[0][a->runs / 2];
	*tuned_ms = t[1][a->runs / 2];
	ret = 0;
out_free:
	mnet_session_destroy(s[0]);
	mnet_session_destroy(s[1]);
	free(lt);
	free(t[0]);
	free(t[1]);
	free(in);
	return ret;
}

static void print_table(const struct mnet_tune_result *r, double def_ms,
			double tuned_ms, int n_tuned)
{
	int i, space = 0, measured = 0, pruned = 0, pruned_built = 0, failed = 0;
	char nm[24];

	for (i = 0; i < r->n_layers; i++) {
		space += r->layers[i].space;
		measured += r->layers[i].measured;
		pruned += r->layers[i].pruned;
		pruned_built += r->layers[i].pruned_built;
		failed += r->layers[i].failed;
	}
	printf("device     %s, %s\n", r->device, r->precision);
	printf("database   %s\n", r->db_path);
	/* the same count as the progress lines: of the whole space */
	printf("tuning     %.1f s, %d of %d candidates of the space tried: %d timed, %d pruned once built (kernel limits), %d rejected as wrong, %d failed to build%s\n",
	       r->seconds, r->candidates, space, measured, pruned_built,
	       r->rejected_wrong, failed,
	       r->budget_hit ? "; budget ran out" : "");
	printf("pruned     %d before building: beyond the device's limits (not in the space)\n",
	       pruned);
	printf("\nx: layers of the model sharing the row's configuration; space:\n"
	       "candidates in this mode's search space that the device can run;\n"
	       "times: median device ms;\n"
	       "spread: interquartile range; '-': not measured\n");
	printf("\n%3s %-20s %-8s %3s %5s %10s %10s %8s %9s  %-24s %s\n", "#",
	       "layer", "op", "x", "space", "default", "tuned", "speedup",
	       "spread", "chosen", "note");
	for (i = 0; i < r->n_layers; i++) {
		const struct mnet_tune_layer_result *l = &r->layers[i];
		const char *note = !l->default_ms && !l->best_ms ?
				   "not reached" : l->demoted ?
				   "slower in the model: default kept" :
				   l->unsure ? "unsure: default kept" :
				   !l->complete ? "partial (budget)" : "";

		double ms = l->unsure ? l->default_ms : l->best_ms;
		/* TFLite names are paths: their end tells the layers apart */
		const char *name = mnet_tool_short_name(l->name, 20, nm);

		if (!l->default_ms && !l->best_ms) {
			printf("%3d %-20s %-8.8s %3d %5d %10s %10s %8s %9s  %-24s %s",
			       l->layer, name, l->op, l->count, l->space, "-",
			       "-", "-", "-", "-", note);
		} else {
			char def[16] = "-", tun[16] = "-", sp[16] = "-";

			if (l->default_ms > 0)
				snprintf(def, sizeof(def), "%.4f",
					 l->default_ms);
			if (ms > 0)
				snprintf(tun, sizeof(tun), "%.4f", ms);
			if (ms > 0 && l->default_ms > 0)
				snprintf(sp, sizeof(sp), "%.2fx",
					 l->default_ms / ms);
			/* a row that keeps the default names no other choice */
			printf("%3d %-20s %-8.8s %3d %5d %10s %10s %8s %9.4f  %-24s %s",
			       l->layer, name, l->op, l->count, l->space, def,
			       tun, sp,
			       l->unsure ? l->default_spread : l->best_spread,
			       l->unsure ? "(default)" : l->best_cfg, note);
		}
		if (l->unsure)
			printf(" [best %s %.4f ms, spread %.4f]", l->best_cfg,
			       l->best_ms, l->best_spread);
		if (l->rejected_wrong)
			printf(" [%d rejected: %s]", l->rejected_wrong,
			       l->reject_msg);
		printf("\n");
	}
	printf("\nwhole model (median wall time per inference, same run):\n");
	printf("  default  %.3f ms\n  tuned    %.3f ms (%d layers tuned)\n  speedup  %.2fx\n",
	       def_ms, tuned_ms, n_tuned, tuned_ms > 0 ? def_ms / tuned_ms : 0);
	if (tuned_ms > 0 && def_ms / tuned_ms < 0.97)
		printf("warning: the saved choices make the whole model slower than the defaults (%.2fx); a longer --budget or --mode normal may find better ones\n",
		       def_ms / tuned_ms);
	if (r->db_rep.skipped)
		printf("warning: %s\n", r->db_rep.msg);
}

static void print_json(const struct mnet_tune_result *r, double def_ms,
		       double tuned_ms, int n_tuned, const char *model)
{
	int i;

	printf("{\"model\":");
	mnet_tool_json_string(stdout, model);
	printf(",\"device\":");
	mnet_tool_json_string(stdout, r->device);
	printf(",\"precision\":\"%s\",\"db\":", r->precision);
	mnet_tool_json_string(stdout, r->db_path);
	printf(",\"tuning_s\":%.3f,\"candidates\":%d,\"rejected_wrong\":%d,"
	       "\"budget_hit\":%s,\"model_default_ms\":%.4f,"
	       "\"model_tuned_ms\":%.4f,\"layers_tuned\":%d,\"layers\":[",
	       r->seconds, r->candidates, r->rejected_wrong,
	       r->budget_hit ? "true" : "false", def_ms, tuned_ms, n_tuned);
	for (i = 0; i < r->n_layers; i++) {
		const struct mnet_tune_layer_result *l = &r->layers[i];

		printf("%s{\"layer\":%d,\"name\":", i ? "," : "", l->layer);
		mnet_tool_json_string(stdout, l->name);
		printf(",\"op\":\"%s\",\"count\":%d,\"space\":%d,\"measured\":%d,"
		       "\"pruned\":%d,\"pruned_built\":%d,"
		       "\"rejected_wrong\":%d,\"failed\":%d,"
		       "\"default_cfg\":\"%s\",\"chosen_cfg\":\"%s\","
		       "\"best_cfg\":\"%s\",\"default_ms\":%.5f,"
		       "\"default_spread_ms\":%.5f,\"tuned_ms\":%.5f,"
		       "\"tuned_spread_ms\":%.5f,\"best_ms\":%.5f,"
		       "\"best_spread_ms\":%.5f,\"in_model_default_ms\":%.5f,"
		       "\"in_model_tuned_ms\":%.5f,\"unsure\":%s,"
		       "\"demoted\":%s,\"complete\":%s}",
		       l->op, l->count, l->space, l->measured,
		       l->pruned, l->pruned_built, l->rejected_wrong, l->failed,
		       l->default_cfg, l->unsure ? l->default_cfg : l->best_cfg,
		       l->best_cfg, l->default_ms, l->default_spread,
		       l->unsure ? l->default_ms : l->best_ms,
		       l->unsure ? l->default_spread : l->best_spread,
		       l->best_ms, l->best_spread, l->model_default_ms,
		       l->model_tuned_ms, l->unsure ? "true" : "false",
		       l->demoted ? "true" : "false",
		       l->complete ? "true" : "false");
	}
	printf("]}\n");
}

/*
 * A database that cannot be written is found now, not after the whole
 * search: the file if it exists, else the nearest folder above it that
 * exists (the database's writer creates the missing ones), which must be
 * a writable folder.
 */
static int db_unwritable(const char *arg)
{
	char path[4096], dir[4096], *slash;
	struct stat st;

	if (!mnet_tune_db_path(arg, path, sizeof(path)))
		return 0;	/* tuning database off: nothing is written */
	if (stat(path, &st) == 0) {
		/* a folder passed access(W_OK) and failed after the search */
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			goto out_fail;
		}
		if (access(path, W_OK) == 0)
			return 0;
		goto out_fail;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	for (;;) {
		slash = strrchr(dir, '/');
		if (!slash) {
			snprintf(dir, sizeof(dir), ".");
		} else if (slash == dir) {
			dir[1] = '\0';
		} else {
			*slash = '\0';
		}
		if (stat(dir, &st) == 0)
			break;
		if (!slash || slash == dir)
			goto out_fail;
	}
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		goto out_fail;
	}
	if (access(dir, W_OK) == 0)
		return 0;
out_fail:
	fprintf(stderr, "%s: tuning database %s: cannot write there: %s\n",
		prog, path, strerror(errno));
	return 1;
}

/*
 * --json and a failure: one object with "error", so that a script reading
 * stdout learns why (the message with the details is on stderr).
 */
static int json_fail(const struct tune_args *a, const char *why)
{
	if (a->json) {
		printf("{\"model\": ");
		mnet_tool_json_string(stdout, a->model ? a->model : "synthetic");
		printf(", \"error\": ");
		mnet_tool_json_string(stdout, why);
		printf("}\n");
	}
	return MNET_TOOL_EXIT_FAIL;
}

int main(int argc, char **argv)
{
	struct mnet_tuner_opts topts;
	struct mnet_tune_result r;
	struct mnet_err err = { 0 };
	struct tune_args a;
	struct mnet_model *m;
	double def_ms = 0, tuned_ms = 0;
	int ret, last = -1, n_tuned = 0;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	if (parse_args(argc, argv, &a))
		return MNET_TOOL_EXIT_USAGE;
	if (db_unwritable(a.db_path))
		return json_fail(&a, "the tuning database cannot be written");
	m = mnet_tool_load_model(a.model, a.synthetic, a.alpha, a.res, prog);
	if (!m)
		return json_fail(&a, "the model could not be loaded");
	memset(&topts, 0, sizeof(topts));
	topts.device = a.device;
	topts.precision = a.precision;
	topts.mode = (enum mnet_tune_mode)a.mode;
	topts.budget_s = a.budget_s;
	topts.db_path = a.db_path;
	if (a.verbose > 0) {
		print_plan(&a, m);
		topts.progress = progress_verbose;
	} else if (a.verbose < 0) {
		topts.progress = NULL;	/* -q: no progress */
	} else if (isatty(STDERR_FILENO)) {
		topts.progress = progress_tty;
	} else {
		topts.progress = progress_lines;
		topts.ctx = &last;
	}
	/* int8: the integer kernels' work-group sizes (tuner_q8.c) */
	if (a.precision == MNET_PRECISION_INT8)
		ret = mnet_tuner_q8_run(m, &topts, &r, &err);
	else
		ret = mnet_tuner_run(m, &topts, &r, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", prog, err.msg[0] ? err.msg :
			mnet_strerror(ret));
		mnet_model_free(m);
		return json_fail(&a, err.msg[0] ? err.msg : mnet_strerror(ret));
	}
	if (r.db_rep.skipped)
		fprintf(stderr, "%s: warning: %s\n", prog, r.db_rep.msg);
	if (r.db_rep.stale && a.verbose >= 0)
		fprintf(stderr, "%s: note: %d entries of older kernel sources replaced in %s\n",
			prog, r.db_rep.stale, r.db_path);
	if (a.verbose > 0)
		print_layer_counts(&r);
	ret = compare_model(m, &a, r.db_path, &def_ms, &tuned_ms, &n_tuned);
	if (!ret && tuned_ms > 0 && def_ms / tuned_ms < 0.97)
		fprintf(stderr, "%s: warning: the saved choices make the whole model %.2fx the defaults' speed (slower)\n",
			prog, def_ms / tuned_ms);
	if (a.json)
		print_json(&r, def_ms, tuned_ms, n_tuned, mnet_model_name(m));
	else
		print_table(&r, def_ms, tuned_ms, n_tuned);
	mnet_tune_result_fini(&r);
	mnet_model_free(m);
	return ret ? 1 : 0;
}

#else /* !MNET_HAVE_OPENCL */

int main(int argc, char **argv)
{
	struct tune_args a;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	if (parse_args(argc, argv, &a))
		return MNET_TOOL_EXIT_USAGE;
	fprintf(stderr, "%s: this build has no OpenCL backend: nothing to tune\n",
		prog);
	if (a.json)
		printf("{\"model\": null, \"error\": \"this build has no OpenCL backend\"}\n");
	return MNET_TOOL_EXIT_FAIL;
}

#endif
