// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_tune_db.c - libFuzzer target: the tuning-database parser
 *
 * DOC: tuning database fuzz target
 *
 * Each input is parsed as a database file (mnet_tune_db_parse()), which
 * must never fail on content, only skip and count.  What it accepts must
 * survive a round trip: formatted (mnet_tune_db_format()) and parsed
 * again it gives the same entries with nothing skipped, and every entry
 * is found again by its keys.  Built only where runtime/tune/tune_db.c exists
 * (cmake/hardening.cmake).
 *
 * Seeds: with $MNET_FUZZ_SEED_OUT set, the program writes a small valid
 * database there (three entries, both flags, built with the library's own
 * writer so checksums and header are right) and exits; ci-hardening.sh
 * does that before fuzzing.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune/tune_db.h"

static void broken(const char *why)
{
	fprintf(stderr, "fuzz_tune_db: %s\n", why);
	abort();
}

static void write_seed(const char *path)
{
	static const struct {
		const char *dev, *layer, *cfg;
		double med, spread, def;
		enum mnet_tune_flag flag;
	} seeds[] = {
		{ "Portable Computing Language|cpu-x86|AuthenticAMD|pocl 3.1|2",
		  "pwconv.cl:0123456789abcdef|-DCIN=32 -DCOUT=64|fp32",
		  "wg=8,4,1 vw=4 cpt=4", 0.125, 0.01, 0.2, MNET_TUNE_OK },
		{ "Mali-G78 MP20|Arm|r1p0|20",
		  "dwconv.cl:fedcba9876543210|-DC=128 -DSTRIDE=2|fp16",
		  "wg=16,1,1 vw=8", 1.5, 0.25, 1.6, MNET_TUNE_UNSURE },
		{ "a|b|c|d|1", "conv2d.cl:00|x|fp32", "wg=1,1,1", 0, 0, 0,
		  MNET_TUNE_OK },
	};
	struct mnet_tune_db db;
	struct mnet_tune_entry e;
	unsigned int i;
	size_t len = 0;
	char *text = NULL;
	FILE *f;

	mnet_tune_db_init(&db);
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		memset(&e, 0, sizeof(e));
		snprintf(e.dev_key, sizeof(e.dev_key), "%s", seeds[i].dev);
		snprintf(e.layer_key, sizeof(e.layer_key), "%s", seeds[i].layer);
		snprintf(e.cfg, sizeof(e.cfg), "%s", seeds[i].cfg);
		e.median_ms = seeds[i].med;
		e.spread_ms = seeds[i].spread;
		e.default_ms = seeds[i].def;
		e.flag = seeds[i].flag;
		if (mnet_tune_db_put(&db, &e))
			broken("cannot build the seed database");
	}
	if (mnet_tune_db_format(&db, &text, &len))
		broken("cannot format the seed database");
	f = fopen(path, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f))
		broken("cannot write the seed file");
	free(text);
	mnet_tune_db_fini(&db);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *out = getenv("MNET_FUZZ_SEED_OUT");

	if (out && *out) {
		write_seed(out);
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mnet_tune_db db, again;
	struct mnet_tune_db_report rep, rep2;
	size_t len = 0;
	char *text = NULL;
	int i;

	mnet_tune_db_init(&db);
	memset(&rep, 0, sizeof(rep));
	if (mnet_tune_db_parse(&db, (const char *)data, size, "fuzz.db",
			       &rep) == -ENOMEM) {
		mnet_tune_db_fini(&db);
		return 0;
	}
	if (rep.skipped < 0 || !memchr(rep.msg, '\0', sizeof(rep.msg)))
		broken("report out of range");
	for (i = 0; i < db.n; i++)
		if (mnet_tune_db_find(&db, db.e[i].dev_key,
				      db.e[i].layer_key) != &db.e[i])
			broken("an accepted entry is not found by its keys");
	if (mnet_tune_db_format(&db, &text, &len))
		broken("format failed");
	mnet_tune_db_init(&again);
	memset(&rep2, 0, sizeof(rep2));
	if (mnet_tune_db_parse(&again, text, len, "round-trip.db", &rep2))
		broken("re-parse failed");
	if (rep2.skipped || again.n != db.n)
		broken("formatted database does not parse back whole");
	for (i = 0; i < db.n; i++) {
		const struct mnet_tune_entry *e =
			mnet_tune_db_find(&again, db.e[i].dev_key,
					  db.e[i].layer_key);

		if (!e || strcmp(e->cfg, db.e[i].cfg) || e->flag != db.e[i].flag)
			broken("round trip changed an entry");
	}
	free(text);
	mnet_tune_db_fini(&again);
	mnet_tune_db_fini(&db);
	return 0;
}
