// SPDX-License-Identifier: Apache-2.0
/*
 * tune_db.c - the tuning database: parse, look up, merge, save atomically
 *
 * DOC: tuning database format (version 1)
 *
 * A UTF-8 text file, one record per line, fields separated by one TAB,
 * every line ending in '\n':
 *
 *   # comment lines start with '#' and are ignored
 *   mnet-tuning-db<TAB>1
 *   e<TAB>DEVICE<TAB>LAYER<TAB>CFG<TAB>MEDIAN<TAB>SPREAD<TAB>DEFAULT<TAB>FLAG<TAB>SUM
 *
 * The header line must come before any entry; its number is the format
 * version.  A file whose version is not %MNET_TUNE_DB_VERSION is skipped
 * as a whole (a newer tool wrote it).  Entry fields:
 *
 *   DEVICE   platform|device name|vendor|driver version|compute units
 *   LAYER    kernel file:source hash|build options without the tuned
 *            knobs (so shapes, stride, padding, activation)|precision
 *   CFG      the chosen configuration, e.g. "k vw=16 ppt=8 wg=16x4x1" or
 *            "k vw=8 ppt=4 wg=auto" (auto: the driver chooses the
 *            work-group); see cl_tune.c
 *   MEDIAN   median device time of CFG in ms (event profiling)
 *   SPREAD   interquartile range of those times in ms
 *   DEFAULT  median device time of the default configuration in ms
 *   FLAG     "ok" (used at run time) or "unsure" (its spread overlapped
 *            the default's; kept for reference, the runtime uses defaults)
 *   SUM      16 hex digits: FNV-1a 64 of the line up to the TAB before SUM
 *
 * Keys never contain TAB or newline (the writers replace them).  Lookup is
 * by exact (DEVICE, LAYER) match; a driver update, another device or an
 * edited kernel (new source hash) simply misses and gets defaults.
 *
 * Robustness: a line that is unknown, has the wrong field count, bad
 * numbers, a bad flag, a checksum mismatch, or no final newline (a
 * truncated file) is skipped and counted in &struct mnet_tune_db_report;
 * nothing in a database file can make loading fail.
 *
 * Stale entries: LAYER keys start with "file:HASH|"; an entry whose key
 * differs from a newly saved one only in HASH was measured on an older
 * kernel source and can never match again, so a save drops it.
 *
 * Concurrency: mnet_tune_db_save() holds flock(LOCK_EX) on a side file
 * "PATH.lock" while it re-reads PATH, merges its updates over what is on
 * disk at that moment, writes PATH.tmp.PID and renames it over PATH.  Two
 * tuners therefore lose nothing, and a reader (which takes no lock) sees
 * a complete old or new file.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/cache_dir.h"
#include "tune/tune_db.h"

#define DB_MAGIC "mnet-tuning-db"
#define DB_FIELDS 9

static unsigned long long fnv64(const char *p, size_t n)
{
	unsigned long long h = 0xcbf29ce484222325ull;

	while (n--) {
		h ^= (unsigned char)*p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

int mnet_tune_db_path(const char *override, char *buf, size_t len)
{
	const char *e = override ? override : getenv("MNET_TUNE_DB");
	char dir[4096];

	if (e) {
		if (!*e)
			return 0;
		snprintf(buf, len, "%s", e);
		return 1;
	}
	if (!mnet_cache_dir(dir, sizeof(dir)))
		return 0;
	snprintf(buf, len, "%s/tuning.db", dir);
	return 1;
}

void mnet_tune_db_init(struct mnet_tune_db *db)
{
	memset(db, 0, sizeof(*db));
}

void mnet_tune_db_fini(struct mnet_tune_db *db)
{
	free(db->e);
	mnet_tune_db_init(db);
}

static void report(struct mnet_tune_db_report *rep, const char *name,
		   int line, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (!rep)
		return;
	rep->skipped++;
	if (rep->first_line)
		return;
	rep->first_line = line;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(rep->msg, sizeof(rep->msg), "%.200s:%d: %s; line skipped",
		 name, line, why);
}

static int bad_key(const char *s)
{
	return !*s || strpbrk(s, "\t\n\r") != NULL;
}

const struct mnet_tune_entry *mnet_tune_db_find(const struct mnet_tune_db *db,
						const char *dev_key,
						const char *layer_key)
{
	int i;

	for (i = 0; i < db->n; i++)
		if (!strcmp(db->e[i].layer_key, layer_key) &&
		    !strcmp(db->e[i].dev_key, dev_key))
			return &db->e[i];
	return NULL;
}

int mnet_tune_db_put(struct mnet_tune_db *db, const struct mnet_tune_entry *e)
{
	struct mnet_tune_entry *slot;

	if (bad_key(e->dev_key) || bad_key(e->layer_key) || bad_key(e->cfg) ||
	    strchr(e->cfg, ' ') == e->cfg)
		return -EINVAL;
	slot = (struct mnet_tune_entry *)mnet_tune_db_find(db, e->dev_key,
							   e->layer_key);
	if (!slot) {
		if (db->n == db->cap) {
			int cap = db->cap ? db->cap * 2 : 32;
			struct mnet_tune_entry *ne;

			ne = realloc(db->e, (size_t)cap * sizeof(*ne));
			if (!ne)
				return -ENOMEM;
			db->e = ne;
			db->cap = cap;
		}
		slot = &db->e[db->n++];
	}
	*slot = *e;
	return 0;
}

static int parse_num(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end || !isfinite(*out) || *out < 0 ?
	       -EINVAL : 0;
}

/* Copy a field into a fixed buffer; -EINVAL when it does not fit or is empty. */
static int copy_field(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (!n || n >= cap)
		return -EINVAL;
	memcpy(dst, src, n + 1);
	return 0;
}

/* One entry line without its newline, NUL-terminated and writable. */
static int parse_entry(char *line, struct mnet_tune_entry *e,
		       const char **why)
{
	char *f[DB_FIELDS + 1], *p = line, *last;
	unsigned long long sum;
	int n = 0;

	last = strrchr(line, '\t');
	if (!last) {
		*why = "not an entry";
		return -EINVAL;
	}
	if (strlen(last + 1) != 16 ||
	    sscanf(last + 1, "%16llx", &sum) != 1) {
		*why = "bad checksum field";
		return -EINVAL;
	}
	if (fnv64(line, (size_t)(last - line)) != sum) {
		*why = "checksum mismatch (corrupt line)";
		return -EINVAL;
	}
	while (n <= DB_FIELDS) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (n != DB_FIELDS) {
		*why = "wrong number of fields";
		return -EINVAL;
	}
	memset(e, 0, sizeof(*e));
	if (copy_field(e->dev_key, sizeof(e->dev_key), f[1]) ||
	    copy_field(e->layer_key, sizeof(e->layer_key), f[2]) ||
	    copy_field(e->cfg, sizeof(e->cfg), f[3])) {
		*why = "empty or overlong key";
		return -EINVAL;
	}
	if (parse_num(f[4], &e->median_ms) || parse_num(f[5], &e->spread_ms) ||
	    parse_num(f[6], &e->default_ms)) {
		*why = "bad number";
		return -EINVAL;
	}
	if (!strcmp(f[7], "ok")) {
		e->flag = MNET_TUNE_OK;
	} else if (!strcmp(f[7], "unsure")) {
		e->flag = MNET_TUNE_UNSURE;
	} else {
		*why = "unknown flag";
		return -EINVAL;
	}
	return 0;
}

int mnet_tune_db_parse(struct mnet_tune_db *db, const char *text, size_t len,
		       const char *name, struct mnet_tune_db_report *rep)
{
	struct mnet_tune_entry *e;
	size_t pos = 0;
	int lineno = 0, have_header = 0, ret = 0;
	char *line = NULL;
	size_t line_cap = 0;

	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		const char *why = NULL;

		lineno++;
		if (n + 1 > line_cap) {
			char *nlb = realloc(line, n + 1);

			if (!nlb) {
				ret = -ENOMEM;
				break;
			}
			line = nlb;
			line_cap = n + 1;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + (nl ? 1 : 0);
		if (!nl) {
			report(rep, name, lineno, "no final newline (truncated file)");
			break;
		}
		if (memchr(line, '\0', n)) {
			report(rep, name, lineno, "NUL byte");
			continue;
		}
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if (!strncmp(line, DB_MAGIC "\t", sizeof(DB_MAGIC))) {
			int v = atoi(line + sizeof(DB_MAGIC));

			if (v != MNET_TUNE_DB_VERSION) {
				report(rep, name, lineno,
				       "format version %d, this library reads %d: whole file skipped",
				       v, MNET_TUNE_DB_VERSION);
				break;
			}
			have_header = 1;
			continue;
		}
		if (!have_header) {
			report(rep, name, lineno, "entry before the '%s' header",
			       DB_MAGIC);
			continue;
		}
		if (strncmp(line, "e\t", 2)) {
			report(rep, name, lineno, "unknown record");
			continue;
		}
		if (parse_entry(line, e, &why)) {
			report(rep, name, lineno, "%s", why);
			continue;
		}
		ret = mnet_tune_db_put(db, e);
		if (ret == -EINVAL) {
			report(rep, name, lineno, "bad key");
			ret = 0;
		} else if (ret) {
			break;
		}
	}
	if (rep && rep->skipped > 1) {
		size_t l = strlen(rep->msg);

		snprintf(rep->msg + l, sizeof(rep->msg) - l,
			 " (%d lines skipped in all)", rep->skipped);
	}
	free(line);
	free(e);
	return ret;
}

static int read_all(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	*out = NULL;
	*len = 0;
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	for (;;) {
		size_t got;

		if (n == cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

int mnet_tune_db_load(struct mnet_tune_db *db, const char *path,
		      struct mnet_tune_db_report *rep)
{
	char *text;
	size_t len;
	int ret;

	ret = read_all(path, &text, &len);
	if (ret)
		return ret == -ENOMEM ? ret : -EIO;
	ret = mnet_tune_db_parse(db, text, len, path, rep);
	free(text);
	return ret;
}

static int append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return -EINVAL;
		if (*len + (size_t)n < *cap)
			break;
		{
			size_t nc = (*cap + (size_t)n) * 2;
			char *nb = realloc(*buf, nc);

			if (!nb)
				return -ENOMEM;
			*buf = nb;
			*cap = nc;
		}
	}
	*len += (size_t)n;
	return 0;
}

/* The shortest of %.9g / %.17g that reads back as exactly @v. */
static void fmt_num(char buf[32], double v)
{
	snprintf(buf, 32, "%.9g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, 32, "%.17g", v);
}

int mnet_tune_db_format(const struct mnet_tune_db *db, char **out,
			size_t *len)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap);
	int i, ret;

	if (!buf)
		return -ENOMEM;
	buf[0] = '\0';
	ret = append(&buf, &n, &cap,
		     "# mnet tuning database (format: docs/tuning.md); written by mnet-tune\n"
		     DB_MAGIC "\t%d\n", MNET_TUNE_DB_VERSION);
	for (i = 0; !ret && i < db->n; i++) {
		const struct mnet_tune_entry *e = &db->e[i];
		size_t start = n;
		char med[32], spr[32], def[32];

		fmt_num(med, e->median_ms);
		fmt_num(spr, e->spread_ms);
		fmt_num(def, e->default_ms);
		ret = append(&buf, &n, &cap, "e\t%s\t%s\t%s\t%s\t%s\t%s\t%s",
			     e->dev_key, e->layer_key, e->cfg, med, spr, def,
			     e->flag == MNET_TUNE_UNSURE ? "unsure" : "ok");
		if (!ret)
			ret = append(&buf, &n, &cap, "\t%016llx\n",
				     fnv64(buf + start, n - start));
	}
	if (ret) {
		free(buf);
		return ret;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int make_parent(const char *path)
{
	char dir[4096], *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

static int write_file(const char *path, const char *text, size_t len)
{
	char tmp[4200];
	ssize_t w;
	size_t off = 0;
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (off < len) {
		w = write(fd, text + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		off += (size_t)w;
	}
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/* Same "file:" before the hash and the same text from the first '|'. */
static int same_but_hash(const char *a, const char *b)
{
	const char *ca = strchr(a, ':'), *cb = strchr(b, ':');
	const char *pa = strchr(a, '|'), *pb = strchr(b, '|');

	return ca && cb && pa && pb && ca < pa && cb < pb &&
	       ca - a == cb - b && !strncmp(a, b, (size_t)(ca - a)) &&
	       !strcmp(pa, pb) && strcmp(a, b);
}

/* Drop entries of @db that @u supersedes; return how many. */
static int drop_stale(struct mnet_tune_db *db, const struct mnet_tune_entry *u)
{
	int i, n = 0;

	for (i = 0; i < db->n; i++) {
		if (strcmp(db->e[i].dev_key, u->dev_key) ||
		    !same_but_hash(db->e[i].layer_key, u->layer_key))
			continue;
		db->e[i--] = db->e[--db->n];
		n++;
	}
	return n;
}

int mnet_tune_db_save(const char *path, const struct mnet_tune_db *upd,
		      struct mnet_tune_db_report *rep)
{
	struct mnet_tune_db disk;
	char lock[4200], *text = NULL;
	size_t len;
	int fd, i, ret;

	ret = make_parent(path);
	if (ret)
		return ret;
	snprintf(lock, sizeof(lock), "%s.lock", path);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX)) {
		if (errno != EINTR) {
			ret = -errno;
			goto out_close;
		}
	}
	mnet_tune_db_init(&disk);
	ret = mnet_tune_db_load(&disk, path, rep);
	for (i = 0; !ret && i < upd->n; i++) {
		int st = drop_stale(&disk, &upd->e[i]);

		if (rep)
			rep->stale += st;
		ret = mnet_tune_db_put(&disk, &upd->e[i]);
	}
	if (!ret)
		ret = mnet_tune_db_format(&disk, &text, &len);
	if (!ret)
		ret = write_file(path, text, len);
	free(text);
	mnet_tune_db_fini(&disk);
	flock(fd, LOCK_UN);
out_close:
	close(fd);
	return ret;
}
