/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.h - mnet-bench's options and results, shared by its measurements
 * and its text, JSON and CSV writers
 */
#ifndef MNET_TOOLS_BENCH_H
#define MNET_TOOLS_BENCH_H

#include "mnet/mnet.h"

#define BENCH_PROG "mnet-bench"

/*
 * struct bench_opts - mnet-bench's command line (see its --help); the
 * comments name the members whose option is not obvious
 */
struct bench_opts {
	const char *model;
	int synthetic;
	float alpha;
	int res;
	enum mnet_backend_kind backend;
	const char *device;
	enum mnet_precision precision;
	int threads;
	int runs;
	int warmup;
	int layer_runs;
	int layer_runs_set;	/* -l given explicitly */
	int json;
	int keep_weights;
	double min_secs;	/* keep timing past --runs until this long */
	double run_delay;	/* seconds slept between runs */
	const char *input;	/* image file, or NULL: a fixed input */
	const char *csv;	/* per-layer table as CSV, or NULL */
	int runs_set, warmup_set;	/* -r, -w given explicitly */
	int seed_table;		/* --seed-table: the paper's table */
	const char *models_dir;	/* --models DIR for --seed-table */
	const char *chart;	/* --chart FILE for --seed-table */
};

/*
 * struct bench_results - everything measured, in ms unless named
 * otherwise; filled by main() and the measurements of bench_measure.c
 */
struct bench_results {
	double *t;		/* per-run ms, sorted */
	int n;			/* timed runs (more with --min-secs) */
	double first_ms;	/* the first inference after creation */
	double *layer_ms;	/* per-layer median */
	const char **layer_cfg;	/* per-layer config note of the last run */
	int layer_profiled;	/* layer_ms from a profiled OpenCL session */
	int layer_runs;		/* runs behind layer_ms */
	double create_cold_ms;
	double create_ms;	/* cached */
	long rss_kb;		/* process peak (ru_maxrss) */
	long run_rss_kb;	/* peak from the timed creation on, -1: unknown */
	int weights_released;
	int raw_input;		/* timed on the file's 8-bit input bytes */
	int top1;
	float p;
};

/* Per-op-type sums of the per-layer medians, in first-seen order. */
struct bench_op_sum {
	const char *op;
	int layers;
	double ms;
};

#endif /* MNET_TOOLS_BENCH_H */
