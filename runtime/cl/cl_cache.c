// SPDX-License-Identifier: Apache-2.0
/*
 * cl_cache.c - compiled program binaries on disk
 *
 * DOC: program cache
 *
 * Building a program is the slowest part of session creation (PoCL runs
 * LLVM for each one).  Every built program is stored as one file named by
 * a hash of its key; the key is the device name, vendor, driver version,
 * a hash of the full source text and the build options, so a driver
 * upgrade or an edited kernel never reuses a stale binary.  The file holds
 * the whole key, the binary length and a checksum, so a truncated or
 * corrupt file, or a hash collision, reads as a miss and the program is
 * rebuilt and the entry rewritten.  Writes go to a temporary file in the
 * same folder that is renamed over the entry, so concurrent sessions never
 * see half a file.
 *
 * File layout: "MNETCLB1", u32 key length, key bytes, u64 binary length,
 * u64 FNV-1a checksum of the binary, binary bytes (host byte order: the
 * cache is local to one machine).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cl/cl_cache.h"
#include "support/cache_dir.h"
#include "cl/cl_source.h"

#define CACHE_MAGIC "MNETCLB1"
#define CACHE_MAX_BIN (512u << 20)

int mnet_cl_cache_dir(char *buf, size_t len)
{
	const char *e = getenv("MNET_CL_CACHE_DIR");

	if (e) {
		if (!*e)
			return 0;
		snprintf(buf, len, "%s", e);
		return 1;
	}
	return mnet_cache_dir(buf, len);
}

void mnet_cl_cache_path(const char *dir, const char *key, char *buf,
			size_t len)
{
	unsigned long long h = mnet_hash64(MNET_HASH64_INIT, key, strlen(key));

	snprintf(buf, len, "%s/cl-%016llx.bin", dir, h);
}

static int read_exact(FILE *f, void *p, size_t n)
{
	return fread(p, 1, n, f) == n ? 0 : -EBADMSG;
}

int mnet_cl_cache_load(const char *dir, const char *key, unsigned char **bin,
		       size_t *len)
{
	char path[4096], magic[8];
	uint32_t klen;
	uint64_t blen, sum;
	unsigned char *b = NULL;
	char *k = NULL;
	int ret = -EBADMSG;
	FILE *f;

	mnet_cl_cache_path(dir, key, path, sizeof(path));
	f = fopen(path, "rb");
	if (!f)
		return -ENOENT;
	if (read_exact(f, magic, sizeof(magic)) ||
	    memcmp(magic, CACHE_MAGIC, sizeof(magic)) ||
	    read_exact(f, &klen, sizeof(klen)) || klen != strlen(key))
		goto out_close;
	k = malloc(klen + 1);
	if (!k) {
		ret = -ENOMEM;
		goto out_close;
	}
	if (read_exact(f, k, klen) || memcmp(k, key, klen))
		goto out_close;
	if (read_exact(f, &blen, sizeof(blen)) || blen == 0 ||
	    blen > CACHE_MAX_BIN || read_exact(f, &sum, sizeof(sum)))
		goto out_close;
	b = malloc(blen);
	if (!b) {
		ret = -ENOMEM;
		goto out_close;
	}
	if (read_exact(f, b, blen) ||
	    mnet_hash64(MNET_HASH64_INIT, b, blen) != sum ||
	    fgetc(f) != EOF) {
		free(b);
		goto out_close;
	}
	*bin = b;
	*len = blen;
	ret = 0;
out_close:
	free(k);
	fclose(f);
	return ret;
}

static int mkdir_p(const char *dir)
{
	char tmp[4096];
	size_t i;

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (i = 1; tmp[i]; i++) {
		if (tmp[i] != '/')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		tmp[i] = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int mnet_cl_cache_store(const char *dir, const char *key, const void *bin,
			size_t len)
{
	char path[4096], tmp[4200];
	uint32_t klen = (uint32_t)strlen(key);
	uint64_t blen = len, sum;
	int ret, fd;
	FILE *f;

	ret = mkdir_p(dir);
	if (ret)
		return ret;
	mnet_cl_cache_path(dir, key, path, sizeof(path));
	/* unique per writer, also between threads of one process */
	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "wb");
	if (!f) {
		ret = -errno;
		close(fd);
		unlink(tmp);
		return ret;
	}
	sum = mnet_hash64(MNET_HASH64_INIT, bin, len);
	if (fwrite(CACHE_MAGIC, 1, 8, f) != 8 ||
	    fwrite(&klen, sizeof(klen), 1, f) != 1 ||
	    fwrite(key, 1, klen, f) != klen ||
	    fwrite(&blen, sizeof(blen), 1, f) != 1 ||
	    fwrite(&sum, sizeof(sum), 1, f) != 1 ||
	    fwrite(bin, 1, len, f) != len) {
		fclose(f);
		unlink(tmp);
		return -EIO;
	}
	if (fclose(f)) {
		unlink(tmp);
		return -EIO;
	}
	if (rename(tmp, path)) {
		ret = -errno;
		unlink(tmp);
		return ret;
	}
	return 0;
}
