/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_source.h - the embedded OpenCL kernel sources and build options
 */
#ifndef MNET_RUNTIME_CL_SOURCE_H
#define MNET_RUNTIME_CL_SOURCE_H

#include <stddef.h>

#include "mnet/mnet.h"

/**
 * struct mnet_cl_source - one embedded file of cl_kernels/
 * @name: base name ("pwconv.cl", "common.h")
 * @text: NUL-terminated contents
 * @len: length without the NUL
 */
struct mnet_cl_source {
	const char *name;
	const char *text;
	size_t len;
};

/* Generated at build time by cmake/embed_cl.cmake; ends with a NULL name. */
extern const struct mnet_cl_source mnet_cl_sources[];

/**
 * mnet_cl_source_get() - the program text for one kernel file
 * @name: kernel file base name ("pwconv.cl")
 * @out: receives malloc'd text: cl_kernels/common.h followed by the file
 * @err: optional error report
 *
 * When $MNET_CL_DIR is set the files are read from that folder instead of
 * the embedded copies (for kernel development without rebuilding).
 *
 * Return: 0, -ENOENT (no such kernel), -EIO, -ENOMEM.
 */
int mnet_cl_source_get(const char *name, char **out, struct mnet_err *err);

#define MNET_CL_OPTS_LEN 1024

/**
 * struct mnet_cl_opts - a program's build options being assembled
 * @s: the options string
 * @len: its length
 * @overflow: set when an option did not fit (the build must not go ahead)
 */
struct mnet_cl_opts {
	char s[MNET_CL_OPTS_LEN];
	size_t len;
	int overflow;
};

/**
 * mnet_cl_opts_init() - start an empty options string
 * @o: options
 */
void mnet_cl_opts_init(struct mnet_cl_opts *o);

/**
 * mnet_cl_opts_int() - append "-DNAME=value"
 * @o: options
 * @name: macro name
 * @value: its value
 */
void mnet_cl_opts_int(struct mnet_cl_opts *o, const char *name, long value);

/**
 * mnet_cl_opts_raw() - append a literal option ("-cl-mad-enable")
 * @o: options
 * @opt: the option text
 */
void mnet_cl_opts_raw(struct mnet_cl_opts *o, const char *opt);

/**
 * mnet_hash64() - FNV-1a 64-bit hash, continued from @h
 * @h: previous hash, or MNET_HASH64_INIT
 * @p: bytes
 * @n: length
 *
 * Return: the updated hash.
 */
unsigned long long mnet_hash64(unsigned long long h, const void *p, size_t n);

#define MNET_HASH64_INIT 0xcbf29ce484222325ull

#endif /* MNET_RUNTIME_CL_SOURCE_H */
