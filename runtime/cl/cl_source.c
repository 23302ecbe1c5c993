// SPDX-License-Identifier: Apache-2.0
/*
 * cl_source.c - find a kernel's source text and build its options string
 *
 * DOC: kernel sources
 *
 * Kernels are embedded in the library (cmake/embed_cl.cmake), so nothing
 * is searched for on disk at run time.  Each program is cl_kernels/common.h
 * pasted in front of one kernel file (no #include, so no -I path the
 * driver might resolve differently), with a #line directive so compiler
 * messages point at the right line of the kernel file.  $MNET_CL_DIR
 * replaces the embedded copies with files from a folder, which lets a
 * kernel be edited and rerun without rebuilding the library; the program
 * cache keys on the text, so edited kernels are never confused with old
 * binaries.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl/cl_source.h"
#include "model/model.h"

#define COMMON_NAME "common.h"

static int read_dir_file(const char *dir, const char *name, char **out,
			 size_t *len, struct mnet_err *err)
{
	char path[4096];
	long n;
	FILE *f;
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return mnet_err_set(err, -errno, "%s: cannot open (MNET_CL_DIR)",
				    path);
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return mnet_err_set(err, -EIO, "%s: cannot read", path);
	}
	buf = malloc((size_t)n + 1);
	if (!buf) {
		fclose(f);
		return mnet_err_set(err, -ENOMEM, "%s: out of memory", path);
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return mnet_err_set(err, -EIO, "%s: short read", path);
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = (size_t)n;
	return 0;
}

static int embedded(const char *name, char **out, size_t *len,
		    struct mnet_err *err)
{
	const struct mnet_cl_source *s;

	for (s = mnet_cl_sources; s->name; s++) {
		if (strcmp(s->name, name))
			continue;
		*out = malloc(s->len + 1);
		if (!*out)
			return mnet_err_set(err, -ENOMEM, "out of memory");
		memcpy(*out, s->text, s->len + 1);
		*len = s->len;
		return 0;
	}
	return mnet_err_set(err, -ENOENT, "no embedded OpenCL kernel %s",
			    name);
}

static int load_one(const char *name, char **out, size_t *len,
		    struct mnet_err *err)
{
	const char *dir = getenv("MNET_CL_DIR");

	if (dir && *dir)
		return read_dir_file(dir, name, out, len, err);
	return embedded(name, out, len, err);
}

int mnet_cl_source_get(const char *name, char **out, struct mnet_err *err)
{
	char *common, *file, *text;
	size_t lc, lf, n;
	int ret;

	ret = load_one(COMMON_NAME, &common, &lc, err);
	if (ret)
		return ret;
	ret = load_one(name, &file, &lf, err);
	if (ret)
		goto out_free_common;
	n = lc + lf + 64;
	text = malloc(n);
	if (!text) {
		ret = mnet_err_set(err, -ENOMEM, "out of memory");
		goto out_free_file;
	}
	snprintf(text, n, "%s\n#line 1\n%s", common, file);
	*out = text;
out_free_file:
	free(file);
out_free_common:
	free(common);
	return ret;
}

void mnet_cl_opts_init(struct mnet_cl_opts *o)
{
	o->s[0] = '\0';
	o->len = 0;
	o->overflow = 0;
}

void mnet_cl_opts_raw(struct mnet_cl_opts *o, const char *opt)
{
	int n = snprintf(o->s + o->len, sizeof(o->s) - o->len, "%s%s",
			 o->len ? " " : "", opt);

	if (n < 0 || (size_t)n >= sizeof(o->s) - o->len) {
		o->overflow = 1;
		o->s[o->len] = '\0';
		return;
	}
	o->len += (size_t)n;
}

void mnet_cl_opts_int(struct mnet_cl_opts *o, const char *name, long value)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "-D%s=%ld", name, value);
	mnet_cl_opts_raw(o, buf);
}

unsigned long long mnet_hash64(unsigned long long h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}
