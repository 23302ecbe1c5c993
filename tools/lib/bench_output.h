/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_output.h - mnet-bench's text, JSON and CSV output
 */
#ifndef MNET_TOOLS_BENCH_OUTPUT_H
#define MNET_TOOLS_BENCH_OUTPUT_H

#include "mnet/mnet.h"
#include "lib/bench.h"

/**
 * bench_print_text() - the results as a table on stdout
 * @o: options
 * @m: model
 * @s: the timed session
 * @threads: host threads the cpu backend used
 * @r: results
 */
void bench_print_text(const struct bench_opts *o, const struct mnet_model *m,
		      struct mnet_session *s, int threads,
		      const struct bench_results *r);

/**
 * bench_write_csv() - the per-layer table as CSV (--csv)
 * @f: the file, opened for writing before the run (so that a path that
 *     cannot be written fails before any work); closed here
 * @path: its name, for messages
 * @m: model
 * @r: results
 *
 * Return: 0, or -errno with a message on stderr.
 */
int bench_write_csv(FILE *f, const char *path, const struct mnet_model *m,
		    const struct bench_results *r);

/**
 * bench_print_json() - the results as one JSON object on stdout (--json)
 * @o: options
 * @m: model
 * @s: the timed session
 * @threads: host threads the cpu backend used
 * @r: results
 */
void bench_print_json(const struct bench_opts *o, const struct mnet_model *m,
		      struct mnet_session *s, int threads,
		      const struct bench_results *r);

#endif /* MNET_TOOLS_BENCH_OUTPUT_H */
