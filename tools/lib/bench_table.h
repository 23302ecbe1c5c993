/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_table.h - mnet-bench --seed-table: the MobileNet paper's comparison
 * table on this device (bench_table.c)
 */
#ifndef MNET_TOOLS_BENCH_TABLE_H
#define MNET_TOOLS_BENCH_TABLE_H

/**
 * struct bench_table_opts - what --seed-table was given
 * @models: folder of make-keras-models.py's files, or NULL for its
 *          default ($XDG_CACHE_HOME/mnet/models)
 * @shared: the shared folder (its models/ and images/imagenet/truth.txt
 *          give the measured accuracy of the pretrained rows)
 * @chart: SVG file for the latency / top-1 chart, or NULL for
 *         mnet-seed-table.svg in the current folder
 * @runs: timed runs per cell (median)
 * @warmup: untimed runs first
 * @device: OpenCL device, or NULL for the default
 * @json: print one JSON object instead of the text table
 * @verbose: progress on stderr (-1 quiet, 0 a line per file, 1 more)
 */
struct bench_table_opts {
	const char *models;
	const char *shared;
	const char *chart;
	int runs;
	int warmup;
	const char *device;
	int json;
	int verbose;
};

/**
 * bench_seed_table() - measure and print the table
 * @prog: program name for messages
 * @o: options
 *
 * Every row that cannot run (file missing, no OpenCL device, an error)
 * says why in its cell or its "error" field; the table is still printed.
 *
 * Return: 0 when every architecture's fp32 file ran on the cpu backend,
 * 1 otherwise (the tools' "the work failed").
 */
int bench_seed_table(const char *prog, const struct bench_table_opts *o);

#endif /* MNET_TOOLS_BENCH_TABLE_H */
