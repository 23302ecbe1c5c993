// SPDX-License-Identifier: Apache-2.0
/*
 * validate_input.c - mnet-validate's inputs: a folder, a truth file or
 * image files
 *
 * DOC: validation inputs
 *
 * A folder gives every image in it (by extension), sorted by name so
 * that two runs compare the same images in the same order; a truth file
 * gives 'IMAGE CLASS' lines, images relative to the file's folder, and
 * turns on the accuracy measurements.  Only paths are collected here,
 * each checked to be readable (a missing image fails before the model is
 * loaded, not when the run reaches it); each image is decoded once, when
 * the run reaches it.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/validate.h"
#include "lib/validate_input.h"

static const char *const prog = VAL_PROG;

static int add_image(struct val_run *r, int *cap, const char *path, int truth)
{
	struct val_image *tmp;

	if (r->n_images == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		tmp = realloc(r->images, (size_t)*cap * sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		r->images = tmp;
	}
	r->images[r->n_images].path = strdup(path);
	if (!r->images[r->n_images].path)
		return -ENOMEM;
	r->images[r->n_images++].truth = truth;
	return 0;
}

static int is_image_name(const char *name)
{
	static const char *const ext[] = { ".jpg", ".jpeg", ".png", ".bmp" };
	const char *dot = strrchr(name, '.');
	unsigned int i;

	for (i = 0; dot && i < sizeof(ext) / sizeof(ext[0]); i++)
		if (!strcasecmp(dot, ext[i]))
			return 1;
	return 0;
}

static int cmp_image(const void *a, const void *b)
{
	return strcmp(((const struct val_image *)a)->path,
		      ((const struct val_image *)b)->path);
}

static int read_dir(struct val_run *r, const char *dir)
{
	char path[4096];
	struct dirent *e;
	int cap = 0, ret = 0;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
		return -errno;
	}
	while (!ret && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !is_image_name(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ret = add_image(r, &cap, path, -1);
	}
	closedir(d);
	if (ret) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return ret;
	}
	if (!r->n_images) {
		fprintf(stderr, "%s: %s: no .jpg, .jpeg, .png or .bmp files\n",
			prog, dir);
		return -ENOENT;
	}
	qsort(r->images, (size_t)r->n_images, sizeof(*r->images), cmp_image);
	return 0;
}

static int read_truth(struct val_run *r, const char *file)
{
	char line[4096], name[4096], path[8192], dir[4096], *slash;
	int cap = 0, lineno = 0, cls, ret = 0;
	FILE *f;

	f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, file, strerror(errno));
		return -errno;
	}
	snprintf(dir, sizeof(dir), "%s", file);
	slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	while (!ret && fgets(line, sizeof(line), f)) {
		char *p = line;
		char extra;

		lineno++;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		if (sscanf(p, "%4095s %d %c", name, &cls, &extra) != 2 ||
		    cls < 0) {
			fprintf(stderr, "%s: %s:%d: expected 'IMAGE CLASS' (a file and a class index >= 0)\n",
				prog, file, lineno);
			ret = -EINVAL;
			break;
		}
		snprintf(path, sizeof(path), "%s%s", name[0] == '/' ? "" : dir,
			 name);
		ret = add_image(r, &cap, path, cls);
		if (ret)
			fprintf(stderr, "%s: out of memory\n", prog);
	}
	fclose(f);
	if (!ret && !r->n_images) {
		fprintf(stderr, "%s: %s: no images listed\n", prog, file);
		ret = -EINVAL;
	}
	r->have_truth = 1;
	r->truth_file = file;
	return ret;
}

int val_collect_images(struct val_run *r, const struct val_args *a)
{
	int cap = 0, i, ret;

	if (a->images_dir)
		ret = read_dir(r, a->images_dir);
	else if (a->truth)
		ret = read_truth(r, a->truth);
	else
		for (i = 0, ret = 0; !ret && i < a->n_files; i++)
			ret = add_image(r, &cap, a->files[i], -1);
	if (ret)
		return ret;
	while (a->limit && r->n_images > a->limit)
		free(r->images[--r->n_images].path);
	/* every image is there before any work starts, not when reached */
	for (i = 0; i < r->n_images; i++) {
		if (access(r->images[i].path, R_OK)) {
			fprintf(stderr, "%s: %s: %s\n", prog,
				r->images[i].path, strerror(errno));
			return -errno;
		}
	}
	r->layer_images = a->layer_images < r->n_images ? a->layer_images :
							  r->n_images;
	return 0;
}
