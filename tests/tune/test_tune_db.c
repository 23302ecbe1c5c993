// SPDX-License-Identifier: Apache-2.0
/*
 * test_tune_db.c - the tuning database: round trip, damage, concurrency
 *
 * Pure file-format tests (no OpenCL): entries survive format + parse and
 * save + load exactly; unknown, corrupt (checksum), malformed and
 * truncated lines are skipped and reported, never fatal, at every possible
 * truncation point; a file of another format version is ignored; two
 * processes saving into one file at once lose no entry.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/test_util.h"
#include "tune/tune_db.h"

static char tmpdir[64];

static void make_entry(struct mnet_tune_entry *e, int i)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->dev_key, sizeof(e->dev_key),
		 "Test Platform|Device %d|Vendor|1.0 build 7|%d", i % 3, 4 + i % 2);
	snprintf(e->layer_key, sizeof(e->layer_key),
		 "pwconv.cl:%016x|-DACT=2 -DCIN=%d -DCOUT=64 -DNPIX=196|fp32",
		 0xabcd0000u + i, 32 + i);
	snprintf(e->cfg, sizeof(e->cfg), "k vw=%d ppt=%d wg=%dx4x1",
		 4 << (i % 3), 1 + i % 8, 1 << (i % 5));
	e->median_ms = 0.125 + i * 0.5;
	e->spread_ms = 0.003125 * (i + 1);
	e->default_ms = 1.5 + i;
	e->flag = i % 4 == 3 ? MNET_TUNE_UNSURE : MNET_TUNE_OK;
}

static int same_entry(const struct mnet_tune_entry *a,
		      const struct mnet_tune_entry *b)
{
	return !strcmp(a->dev_key, b->dev_key) &&
	       !strcmp(a->layer_key, b->layer_key) &&
	       !strcmp(a->cfg, b->cfg) && a->flag == b->flag &&
	       a->median_ms == b->median_ms && a->spread_ms == b->spread_ms &&
	       a->default_ms == b->default_ms;
}

static void fill_db(struct mnet_tune_db *db, int n, int base)
{
	struct mnet_tune_entry e;
	int i;

	mnet_tune_db_init(db);
	for (i = 0; i < n; i++) {
		make_entry(&e, base + i);
		CU_ASSERT_FATAL(!mnet_tune_db_put(db, &e));
	}
}

static void test_round_trip(void)
{
	struct mnet_tune_db db, back;
	struct mnet_tune_db_report rep = { 0 };
	struct mnet_tune_entry e;
	char *text;
	size_t len;
	int i;

	fill_db(&db, 12, 0);
	CU_ASSERT_EQUAL(db.n, 12);
	/* put with the same keys replaces */
	make_entry(&e, 5);
	snprintf(e.cfg, sizeof(e.cfg), "k vw=2 ppt=1 wg=auto");
	CU_ASSERT(!mnet_tune_db_put(&db, &e));
	CU_ASSERT_EQUAL(db.n, 12);
	CU_ASSERT_FATAL(!mnet_tune_db_format(&db, &text, &len));
	CU_ASSERT_EQUAL(strlen(text), len);
	mnet_tune_db_init(&back);
	CU_ASSERT(!mnet_tune_db_parse(&back, text, len, "mem", &rep));
	CU_ASSERT_EQUAL(rep.skipped, 0);
	CU_ASSERT_EQUAL_FATAL(back.n, db.n);
	for (i = 0; i < db.n; i++) {
		const struct mnet_tune_entry *f;

		f = mnet_tune_db_find(&back, db.e[i].dev_key, db.e[i].layer_key);
		CU_ASSERT_FATAL(f != NULL);
		CU_ASSERT(same_entry(f, &db.e[i]));
	}
	CU_ASSERT_STRING_EQUAL(mnet_tune_db_find(&back, e.dev_key,
						 e.layer_key)->cfg,
			       "k vw=2 ppt=1 wg=auto");
	CU_ASSERT(mnet_tune_db_find(&back, "nope", e.layer_key) == NULL);
	/* keys that would break the line format are refused */
	snprintf(e.dev_key, sizeof(e.dev_key), "a\tb");
	CU_ASSERT_EQUAL(mnet_tune_db_put(&db, &e), -EINVAL);
	free(text);
	mnet_tune_db_fini(&back);
	mnet_tune_db_fini(&db);
}

static void test_corrupt_lines(void)
{
	struct mnet_tune_db db, back;
	struct mnet_tune_db_report rep = { 0 };
	char *text, *bad, *p;
	size_t len, n;

	fill_db(&db, 3, 0);
	CU_ASSERT_FATAL(!mnet_tune_db_format(&db, &text, &len));
	bad = malloc(len * 2 + 512);
	CU_ASSERT_FATAL(bad != NULL);
	memcpy(bad, text, len);
	n = len;
	/* one digit of the first entry's median changed: checksum fails */
	p = strstr(bad, "\t0.125\t");
	CU_ASSERT_FATAL(p != NULL);
	p[3] = '9';
	n += (size_t)sprintf(bad + n, "garbage line\n");
	n += (size_t)sprintf(bad + n, "e\tonly\tthree\n");
	n += (size_t)sprintf(bad + n, "e\ta\tb\tc\t1\t2\t3\tmaybe\t0000000000000000\n");
	n += (size_t)sprintf(bad + n, "# a comment\n\n");
	mnet_tune_db_init(&back);
	CU_ASSERT(!mnet_tune_db_parse(&back, bad, n, "bad.db", &rep));
	CU_ASSERT_EQUAL(back.n, 2);
	CU_ASSERT_EQUAL(rep.skipped, 4);
	CU_ASSERT_EQUAL(rep.first_line, 3);
	CU_ASSERT(strstr(rep.msg, "bad.db:3") != NULL);
	CU_ASSERT(strstr(rep.msg, "checksum") != NULL);
	CU_ASSERT(mnet_tune_db_find(&back, db.e[0].dev_key,
				    db.e[0].layer_key) == NULL);
	CU_ASSERT(mnet_tune_db_find(&back, db.e[1].dev_key,
				    db.e[1].layer_key) != NULL);
	mnet_tune_db_fini(&back);

	/* another format version: the whole file is ignored */
	memset(&rep, 0, sizeof(rep));
	memcpy(bad, text, len);
	p = strstr(bad, "mnet-tuning-db\t1");
	CU_ASSERT_FATAL(p != NULL);
	p[15] = '7';
	mnet_tune_db_init(&back);
	CU_ASSERT(!mnet_tune_db_parse(&back, bad, len, "v7.db", &rep));
	CU_ASSERT_EQUAL(back.n, 0);
	CU_ASSERT(strstr(rep.msg, "version 7") != NULL);
	mnet_tune_db_fini(&back);

	/* entries without a header are not trusted */
	memset(&rep, 0, sizeof(rep));
	p = strstr(text, "\ne\t");
	CU_ASSERT_FATAL(p != NULL);
	mnet_tune_db_init(&back);
	CU_ASSERT(!mnet_tune_db_parse(&back, p + 1, len - (size_t)(p + 1 - text),
				      "nohdr.db", &rep));
	CU_ASSERT_EQUAL(back.n, 0);
	CU_ASSERT_EQUAL(rep.skipped, 3);
	mnet_tune_db_fini(&back);
	free(bad);
	free(text);
	mnet_tune_db_fini(&db);
}

static void test_truncated(void)
{
	struct mnet_tune_db db, back;
	char *text;
	size_t len, cut;
	int i, ok = 1;

	fill_db(&db, 4, 10);
	CU_ASSERT_FATAL(!mnet_tune_db_format(&db, &text, &len));
	for (cut = 0; cut <= len; cut++) {
		struct mnet_tune_db_report rep = { 0 };
		size_t lines = 0, k;

		mnet_tune_db_init(&back);
		if (mnet_tune_db_parse(&back, text, cut, "cut.db", &rep))
			ok = 0;
		/* exactly the entries whose whole line is in the cut survive */
		for (k = 0; k < cut; k++)
			lines += text[k] == '\n';
		if (back.n != (lines >= 2 ? (int)lines - 2 : 0))
			ok = 0;
		for (i = 0; i < back.n; i++)
			if (!same_entry(&back.e[i], &db.e[i]))
				ok = 0;
		if (cut && text[cut - 1] != '\n' && rep.skipped != 1)
			ok = 0;
		mnet_tune_db_fini(&back);
	}
	CU_ASSERT(ok);
	free(text);
	mnet_tune_db_fini(&db);
}

static void test_save_load_merge(void)
{
	struct mnet_tune_db a, b, back;
	struct mnet_tune_db_report rep = { 0 };
	char path[128];
	int i;

	snprintf(path, sizeof(path), "%s/sub/dir/tuning.db", tmpdir);
	mnet_tune_db_init(&back);
	CU_ASSERT(!mnet_tune_db_load(&back, path, &rep));	/* missing: empty */
	CU_ASSERT_EQUAL(back.n, 0);
	fill_db(&a, 5, 0);
	fill_db(&b, 5, 3);	/* overlaps a at 3 and 4 */
	b.e[0].median_ms = 42.0;
	CU_ASSERT_FATAL(!mnet_tune_db_save(path, &a, &rep));
	CU_ASSERT_FATAL(!mnet_tune_db_save(path, &b, &rep));
	CU_ASSERT(!mnet_tune_db_load(&back, path, &rep));
	CU_ASSERT_EQUAL(rep.skipped, 0);
	CU_ASSERT_EQUAL(back.n, 8);
	for (i = 0; i < 3; i++)
		CU_ASSERT(same_entry(mnet_tune_db_find(&back, a.e[i].dev_key,
						       a.e[i].layer_key), &a.e[i]));
	for (i = 0; i < 5; i++)
		CU_ASSERT(same_entry(mnet_tune_db_find(&back, b.e[i].dev_key,
						       b.e[i].layer_key), &b.e[i]));
	mnet_tune_db_fini(&back);
	mnet_tune_db_fini(&a);
	mnet_tune_db_fini(&b);
}

static void test_stale_dropped(void)
{
	struct mnet_tune_db a, back;
	struct mnet_tune_db_report rep = { 0 };
	struct mnet_tune_entry e;
	char path[128];

	snprintf(path, sizeof(path), "%s/stale.db", tmpdir);
	fill_db(&a, 3, 0);
	CU_ASSERT_FATAL(!mnet_tune_db_save(path, &a, &rep));
	CU_ASSERT_EQUAL(rep.stale, 0);
	/* entry 1 re-measured on an edited kernel: new source hash */
	e = a.e[1];
	memcpy(strchr(e.layer_key, ':') + 1, "ffff", 4);
	mnet_tune_db_fini(&a);
	mnet_tune_db_init(&a);
	CU_ASSERT_FATAL(!mnet_tune_db_put(&a, &e));
	CU_ASSERT_FATAL(!mnet_tune_db_save(path, &a, &rep));
	CU_ASSERT_EQUAL(rep.stale, 1);
	mnet_tune_db_init(&back);
	CU_ASSERT(!mnet_tune_db_load(&back, path, NULL));
	CU_ASSERT_EQUAL(back.n, 3);
	CU_ASSERT(mnet_tune_db_find(&back, e.dev_key, e.layer_key) != NULL);
	mnet_tune_db_fini(&back);
	mnet_tune_db_fini(&a);
}

static void test_concurrent_writers(void)
{
	struct mnet_tune_db back;
	struct mnet_tune_db_report rep = { 0 };
	char path[128], cmd[256];
	pid_t pid[2];
	int w, i, st, ok = 1;

	snprintf(path, sizeof(path), "%s/shared.db", tmpdir);
	for (w = 0; w < 2; w++) {
		pid[w] = fork();
		CU_ASSERT_FATAL(pid[w] >= 0);
		if (!pid[w]) {
			/* each writer saves 30 entries of its own, one at a time */
			for (i = 0; i < 30; i++) {
				struct mnet_tune_db one;

				fill_db(&one, 1, w * 1000 + i);
				if (mnet_tune_db_save(path, &one, NULL))
					_exit(1);
				mnet_tune_db_fini(&one);
			}
			_exit(0);
		}
	}
	for (w = 0; w < 2; w++) {
		CU_ASSERT(waitpid(pid[w], &st, 0) == pid[w]);
		CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	mnet_tune_db_init(&back);
	CU_ASSERT(!mnet_tune_db_load(&back, path, &rep));
	CU_ASSERT_EQUAL(rep.skipped, 0);
	CU_ASSERT_EQUAL(back.n, 60);
	for (w = 0; w < 2; w++)
		for (i = 0; i < 30; i++) {
			struct mnet_tune_entry e;

			make_entry(&e, w * 1000 + i);
			if (!mnet_tune_db_find(&back, e.dev_key, e.layer_key))
				ok = 0;
		}
	CU_ASSERT(ok);
	/* no temporary file left behind */
	snprintf(cmd, sizeof(cmd), "ls %s | grep -q tmp", tmpdir);
	CU_ASSERT(system(cmd) != 0);
	mnet_tune_db_fini(&back);
}

static void test_paths(void)
{
	char buf[256];

	unsetenv("MNET_TUNE_DB");
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	CU_ASSERT(mnet_tune_db_path(NULL, buf, sizeof(buf)));
	CU_ASSERT_STRING_EQUAL(buf, "/x/cache/mnet/tuning.db");
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/home/u", 1);
	CU_ASSERT(mnet_tune_db_path(NULL, buf, sizeof(buf)));
	CU_ASSERT_STRING_EQUAL(buf, "/home/u/.cache/mnet/tuning.db");
	setenv("MNET_TUNE_DB", "/env/t.db", 1);
	CU_ASSERT(mnet_tune_db_path(NULL, buf, sizeof(buf)));
	CU_ASSERT_STRING_EQUAL(buf, "/env/t.db");
	CU_ASSERT(mnet_tune_db_path("/opt/t.db", buf, sizeof(buf)));
	CU_ASSERT_STRING_EQUAL(buf, "/opt/t.db");
	CU_ASSERT(!mnet_tune_db_path("", buf, sizeof(buf)));
	setenv("MNET_TUNE_DB", "", 1);
	CU_ASSERT(!mnet_tune_db_path(NULL, buf, sizeof(buf)));
	unsetenv("MNET_TUNE_DB");
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "format/parse round trip, replace, bad keys", test_round_trip },
		{ "corrupt, unknown, other-version lines skipped", test_corrupt_lines },
		{ "truncated at every byte", test_truncated },
		{ "save/load/merge through the file", test_save_load_merge },
		{ "entries of an older kernel source are dropped", test_stale_dropped },
		{ "two processes saving at once lose nothing", test_concurrent_writers },
		{ "default path, MNET_TUNE_DB, override", test_paths },
		CU_TEST_INFO_NULL,
	};
	char cmd[128];
	int ret;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/mnet-tune-db-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		printf("tune_db: cannot create a temporary folder\n");
		return 1;
	}
	ret = mnet_test_run_suite("tune_db", tests);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return ret;
}
