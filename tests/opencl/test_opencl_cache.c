// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_cache.c - the on-disk program cache: miss, hit, damage
 *
 * Builds one small program through mnet_cl_program_build() in a temporary
 * cache folder and checks: the first build compiles and writes one entry;
 * the second loads it; a truncated, bit-flipped, foreign (another key's
 * entry under this key's name) or garbage entry is ignored, the program
 * rebuilt and the entry rewritten; other options are another entry; no
 * temporary files are left behind.  Then a whole session is created cold
 * and again from the cache, and both give the same output; MNET_CL_DIR
 * reads kernels from a folder instead of the embedded copies.  Without an
 * OpenCL device the suite exits 77 (skipped).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/test_util.h"
#include "lib/opencl_test.h"

#ifdef MNET_HAVE_OPENCL
#include "opencl/backend_opencl.h"
#include "cl/cl_cache.h"
#include "cl/cl_program.h"
#include "synthetic/synthetic.h"

static char cache_dir[256];
static struct mnet_cl_device dev;
static cl_context ctx;

/* number of entries; *tmp counts leftover temporary files */
static int count_entries(int *tmp)
{
	struct dirent *e;
	int n = 0;
	DIR *d = opendir(cache_dir);

	*tmp = 0;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (strstr(e->d_name, ".tmp."))
			(*tmp)++;
		else if (!strncmp(e->d_name, "cl-", 3))
			n++;
	}
	closedir(d);
	return n;
}

/* path of the only entry */
static void entry_path(char *buf, size_t len)
{
	struct dirent *e;
	DIR *d = opendir(cache_dir);

	buf[0] = '\0';
	CU_ASSERT_FATAL(d != NULL);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "cl-", 3) && !strstr(e->d_name, ".tmp."))
			snprintf(buf, len, "%s/%s", cache_dir, e->d_name);
	closedir(d);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_size;
}

static struct mnet_cl_build_stats build(const char *opts)
{
	struct mnet_cl_build_stats stats = { 0 };
	struct mnet_err err = { 0 };
	cl_program p;
	cl_kernel k;
	cl_int rc;
	int ret;

	ret = mnet_cl_program_build(ctx, &dev, "add.cl", opts, cache_dir, 1,
				    &stats, &p, &err);
	if (ret)
		printf("\n%s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	/* whatever path it took, the program is usable */
	k = clCreateKernel(p, "add", &rc);
	CU_ASSERT_EQUAL(rc, CL_SUCCESS);
	if (!rc)
		clReleaseKernel(k);
	clReleaseProgram(p);
	return stats;
}

static void damage(const char *path, long keep, long flip_at)
{
	long n = file_size(path);
	FILE *f;
	int c;

	CU_ASSERT_FATAL(n > 0);
	if (keep >= 0)
		CU_ASSERT_FATAL(truncate(path, keep) == 0);
	if (flip_at >= 0) {
		f = fopen(path, "r+b");
		CU_ASSERT_FATAL(f != NULL);
		fseek(f, flip_at < 0 ? 0 : (flip_at >= n ? n - 1 : flip_at),
		      SEEK_SET);
		c = fgetc(f);
		fseek(f, -1, SEEK_CUR);
		fputc(c ^ 0x5a, f);
		fclose(f);
	}
}

static void test_program_cache(void)
{
	const char *opts = "-DN=37 -DVW=4 -DACT=2";
	struct mnet_cl_build_stats s;
	char path[4096];
	long full;
	int tmp;
	FILE *f;

	s = build(opts);
	CU_ASSERT(s.built == 1 && s.cached == 0);	/* miss */
	CU_ASSERT_EQUAL(count_entries(&tmp), 1);
	entry_path(path, sizeof(path));
	full = file_size(path);
	CU_ASSERT(full > 0);

	s = build(opts);
	CU_ASSERT(s.built == 0 && s.cached == 1);	/* hit */

	damage(path, full / 2, -1);			/* truncated */
	s = build(opts);
	CU_ASSERT(s.built == 1 && s.cached == 0);
	CU_ASSERT(file_size(path) > full / 2);		/* rewritten whole */
	s = build(opts);
	CU_ASSERT(s.cached == 1);

	damage(path, -1, full - 3);			/* bit flip in the binary */
	s = build(opts);
	CU_ASSERT(s.built == 1 && s.cached == 0);
	s = build(opts);
	CU_ASSERT(s.cached == 1);

	damage(path, -1, 0);				/* bad magic */
	s = build(opts);
	CU_ASSERT(s.built == 1 && s.cached == 0);

	f = fopen(path, "wb");				/* garbage */
	CU_ASSERT_FATAL(f != NULL);
	fputs("not a cache entry", f);
	fclose(f);
	s = build(opts);
	CU_ASSERT(s.built == 1 && s.cached == 0);
	s = build(opts);
	CU_ASSERT(s.cached == 1);

	s = build("-DN=38 -DVW=4 -DACT=2");		/* other options: miss */
	CU_ASSERT(s.built == 1 && s.cached == 0);
	CU_ASSERT_EQUAL(count_entries(&tmp), 2);
	CU_ASSERT_EQUAL(tmp, 0);
}

static void test_foreign_entry(void)
{
	static const unsigned char bin[] = "binary of key A";
	unsigned char *got;
	char pa[4096], pb[4096];
	size_t len;

	/* a valid entry for key A, found under key B's name (a collision) */
	CU_ASSERT_EQUAL(mnet_cl_cache_store(cache_dir, "key A", bin,
					    sizeof(bin)), 0);
	CU_ASSERT_EQUAL(mnet_cl_cache_load(cache_dir, "key A", &got, &len), 0);
	CU_ASSERT(len == sizeof(bin) && !memcmp(got, bin, len));
	free(got);
	mnet_cl_cache_path(cache_dir, "key A", pa, sizeof(pa));
	mnet_cl_cache_path(cache_dir, "key B", pb, sizeof(pb));
	CU_ASSERT_FATAL(rename(pa, pb) == 0);
	CU_ASSERT_EQUAL(mnet_cl_cache_load(cache_dir, "key B", &got, &len),
			-EBADMSG);
	CU_ASSERT_EQUAL(mnet_cl_cache_load(cache_dir, "key A", &got, &len),
			-ENOENT);
	unlink(pb);
}

/* initialise an OpenCL backend directly, as a session would */
static int backend_startup(const struct mnet_model *m,
			   struct mnet_cl_startup *su)
{
	struct mnet_backend be = { .ops = &mnet_backend_opencl_ops,
				   .model = m };
	struct mnet_err err = { 0 };
	int ret;

	mnet_session_opts_init(&be.opts);
	be.opts.backend = MNET_BACKEND_OPENCL;
	be.opts.precision = MNET_PRECISION_FP32;
	ret = be.ops->init(&be, &err);
	if (ret) {
		printf("\n%s\n", err.msg);
		return ret;
	}
	ret = mnet_backend_opencl_startup(&be, su);
	be.ops->fini(&be);
	return ret;
}

static void test_startup_from_cache(void)
{
	struct mnet_cl_startup cold, warm;
	struct mnet_model *m;
	struct mnet_err err;
	char dir[512];

	/* a model no other test builds, in a cache of its own */
	snprintf(dir, sizeof(dir), "%s/startup", cache_dir);
	setenv("MNET_CL_CACHE_DIR", dir, 1);
	CU_ASSERT_FATAL(!mnet_model_create_synthetic(0.5f, 64, &m, &err));
	CU_ASSERT_EQUAL_FATAL(backend_startup(m, &cold), 0);
	CU_ASSERT_EQUAL_FATAL(backend_startup(m, &warm), 0);
	setenv("MNET_CL_CACHE_DIR", cache_dir, 1);
	CU_ASSERT(cold.programs > 0);
	CU_ASSERT_EQUAL(cold.built, cold.programs);
	CU_ASSERT_EQUAL(cold.cached, 0);
	CU_ASSERT_EQUAL(warm.built, 0);
	CU_ASSERT_EQUAL(warm.cached, warm.programs);
	CU_ASSERT_EQUAL(warm.programs, cold.programs);
	CU_ASSERT_EQUAL(cold.host_layers, 0);
	/* informational only: timings never decide a test */
	printf("\n  cold:   device %.0f ms, build %.0f ms, upload %.1f ms, warm-up %.0f ms (%d programs)"
	       "\n  cached: device %.0f ms, load %.0f ms, upload %.1f ms, warm-up %.0f ms\n",
	       cold.device_ms, cold.build_ms, cold.upload_ms, cold.warmup_ms,
	       cold.programs, warm.device_ms, warm.build_ms, warm.upload_ms,
	       warm.warmup_ms);
	mnet_model_free(m);
}

static void test_cl_dir_override(void)
{
	struct mnet_err err = { 0 };
	cl_program p;
	int ret;

	/* the source tree's kernels, read from disk instead of embedded */
	setenv("MNET_CL_DIR", MNET_SOURCE_DIR "/cl_kernels", 1);
	ret = mnet_cl_program_build(ctx, &dev, "add.cl", "-DN=5", NULL, 0,
				    NULL, &p, &err);
	CU_ASSERT_EQUAL(ret, 0);
	if (!ret)
		clReleaseProgram(p);
	/* a folder without kernels: a clear error naming the file */
	setenv("MNET_CL_DIR", cache_dir, 1);
	ret = mnet_cl_program_build(ctx, &dev, "add.cl", "-DN=5", NULL, 0,
				    NULL, &p, &err);
	CU_ASSERT_EQUAL(ret, -ENOENT);
	CU_ASSERT(strstr(err.msg, "common.h") != NULL);
	unsetenv("MNET_CL_DIR");
}

static float *session_output(const struct mnet_model *m, const float *in,
			     size_t n_in, double *ms)
{
	struct mnet_session_opts o;
	struct mnet_session *s;
	struct mnet_err err = { 0 };
	size_t n = mnet_model_output_size(m);
	struct timespec a, b;
	float *out;

	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	o.precision = MNET_PRECISION_FP32;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (mnet_session_create(m, &o, &s, &err)) {
		printf("\n%s\n", err.msg);
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	*ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) * 1e-6;
	out = malloc(n * sizeof(float));
	if (out && !mnet_session_run(s, in, n_in))
		memcpy(out, mnet_session_output(s, NULL), n * sizeof(float));
	mnet_session_destroy(s);
	return out;
}

static void test_session_from_cache(void)
{
	struct mnet_model *m;
	struct mnet_err err;
	float *in, *a, *b;
	double cold, warm;
	int before, after, tmp;
	size_t n_in = 32 * 32 * 3;

	CU_ASSERT_FATAL(!mnet_model_create_synthetic(0.25f, 32, &m, &err));
	in = malloc(n_in * sizeof(float));
	CU_ASSERT_FATAL(in != NULL);
	mnet_synthetic_input(32, in);
	before = count_entries(&tmp);
	a = session_output(m, in, n_in, &cold);
	after = count_entries(&tmp);
	CU_ASSERT(after > before);
	b = session_output(m, in, n_in, &warm);
	CU_ASSERT_EQUAL(count_entries(&tmp), after);	/* nothing rebuilt */
	CU_ASSERT_FATAL(a && b);
	CU_ASSERT(!memcmp(a, b, mnet_model_output_size(m) * sizeof(float)));
	/* informational only: timings never decide a test */
	printf("\n  session creation: cold %.0f ms, cached %.0f ms (%d programs)\n",
	       cold, warm, after - before);
	free(a);
	free(b);
	free(in);
	mnet_model_free(m);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "program cache miss, hit, damaged entries", test_program_cache },
		{ "an entry for another key is a miss", test_foreign_entry },
		{ "session from the cache gives the same output", test_session_from_cache },
		{ "MNET_CL_DIR replaces the embedded kernels", test_cl_dir_override },
		{ "second backend start-up loads every program", test_startup_from_cache },
		CU_TEST_INFO_NULL,
	};
	struct mnet_err err = { 0 };
	cl_int rc;
	int ret;

	cl_test_require_device("opencl_cache", cache_dir, sizeof(cache_dir));
	if (mnet_cl_device_select(NULL, &dev, &err))
		return 77;
	ctx = clCreateContext(NULL, 1, &dev.id, NULL, NULL, &rc);
	if (rc) {
		printf("clCreateContext: %d\n", (int)rc);
		return 1;
	}
	ret = mnet_test_run_suite("opencl_cache", tests);
	clReleaseContext(ctx);
	cl_test_remove_dir(cache_dir);
	return ret;
}
#else
int main(void)
{
	printf("opencl_cache: skipped: built without OpenCL\n");
	return 77;
}
#endif
