/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tune_db.h - the persistent tuning database (plain text, versioned)
 */
#ifndef MNET_RUNTIME_TUNE_DB_H
#define MNET_RUNTIME_TUNE_DB_H

#include <stddef.h>

#define MNET_TUNE_DB_VERSION 1
#define MNET_TUNE_KEY_LEN 1536
#define MNET_TUNE_CFG_LEN 96

/**
 * enum mnet_tune_flag - how far a stored result can be trusted
 * @MNET_TUNE_OK: the tuned configuration was measurably faster than the
 *                default (or is the default); the runtime uses it
 * @MNET_TUNE_UNSURE: the best candidate's spread overlapped the default's;
 *                    recorded for reference, the runtime keeps the default
 */
enum mnet_tune_flag {
	MNET_TUNE_OK = 0,
	MNET_TUNE_UNSURE,
};

/**
 * struct mnet_tune_entry - one (device, layer) -> configuration result
 * @dev_key: device key (platform|device|vendor|driver|compute units)
 * @layer_key: layer key (kernel, source hash, build options without the
 *             tuned knobs, precision)
 * @cfg: the chosen configuration in its text form (cl_tune.c parses it)
 * @median_ms: median device time of @cfg
 * @spread_ms: its interquartile range
 * @default_ms: median device time of the default configuration
 * @flag: &enum mnet_tune_flag
 */
struct mnet_tune_entry {
	char dev_key[MNET_TUNE_KEY_LEN];
	char layer_key[MNET_TUNE_KEY_LEN];
	char cfg[MNET_TUNE_CFG_LEN];
	double median_ms;
	double spread_ms;
	double default_ms;
	enum mnet_tune_flag flag;
};

/**
 * struct mnet_tune_db - the entries of a database in memory
 * @e: entries, at most one per (dev_key, layer_key)
 * @n: number of entries
 * @cap: allocated entries
 */
struct mnet_tune_db {
	struct mnet_tune_entry *e;
	int n;
	int cap;
};

/**
 * struct mnet_tune_db_report - what a load or save skipped, for the caller
 * @skipped: lines skipped (unknown, corrupt, truncated, bad version)
 * @stale: entries a save dropped because an update replaced them for a
 *         newer kernel source (same device and layer, other source hash)
 * @first_line: line number of the first skipped line (0: none)
 * @msg: a summary naming the file, the first problem and the counts
 *
 * The library never prints: callers decide whether to show @msg.
 */
struct mnet_tune_db_report {
	int skipped;
	int stale;
	int first_line;
	char msg[512];
};

/**
 * mnet_tune_db_path() - the database file to use
 * @override: an explicit path (session option or --db), or NULL
 * @buf: receives the path
 * @len: size of @buf
 *
 * @override if non-NULL, else $MNET_TUNE_DB, else
 * $XDG_CACHE_HOME/mnet/tuning.db, else $HOME/.cache/mnet/tuning.db.  An
 * empty @override or $MNET_TUNE_DB means "no database" (defaults only).
 *
 * Return: 1 when a path was chosen, 0 when tuning is off.
 */
int mnet_tune_db_path(const char *override, char *buf, size_t len);

/**
 * mnet_tune_db_init() - an empty database
 * @db: database
 */
void mnet_tune_db_init(struct mnet_tune_db *db);

/**
 * mnet_tune_db_fini() - release a database's entries
 * @db: database
 */
void mnet_tune_db_fini(struct mnet_tune_db *db);

/**
 * mnet_tune_db_parse() - add the entries of a database text
 * @db: database to add to (later lines replace earlier ones with the same key)
 * @text: file contents (need not be NUL-terminated)
 * @len: its length
 * @name: file name for the report
 * @rep: optional; receives what was skipped and why
 *
 * Never fails on bad content: lines that are unknown, malformed, fail their
 * checksum, or lack their final newline (a truncated write) are skipped
 * and counted in @rep; a header with another format version skips the
 * whole file.
 *
 * Return: 0, or -ENOMEM.
 */
int mnet_tune_db_parse(struct mnet_tune_db *db, const char *text, size_t len,
		       const char *name, struct mnet_tune_db_report *rep);

/**
 * mnet_tune_db_load() - read a database file
 * @db: database to add to
 * @path: file
 * @rep: optional report of skipped lines
 *
 * Return: 0 (a missing file is an empty database), -ENOMEM, or -EIO when
 * the file exists but cannot be read.
 */
int mnet_tune_db_load(struct mnet_tune_db *db, const char *path,
		      struct mnet_tune_db_report *rep);

/**
 * mnet_tune_db_find() - exact lookup
 * @db: database
 * @dev_key: device key
 * @layer_key: layer key
 *
 * Return: the entry, or NULL.
 */
const struct mnet_tune_entry *mnet_tune_db_find(const struct mnet_tune_db *db,
						const char *dev_key,
						const char *layer_key);

/**
 * mnet_tune_db_put() - add or replace the entry with @e's keys
 * @db: database
 * @e: entry to copy
 *
 * Return: 0, -EINVAL (a key or cfg holds a tab or newline, or is empty),
 * -ENOMEM.
 */
int mnet_tune_db_put(struct mnet_tune_db *db, const struct mnet_tune_entry *e);

/**
 * mnet_tune_db_format() - the database as file text
 * @db: database
 * @out: receives malloc'd text (header and one line per entry)
 * @len: receives its length
 *
 * Return: 0, or -ENOMEM.
 */
int mnet_tune_db_format(const struct mnet_tune_db *db, char **out,
			size_t *len);

/**
 * mnet_tune_db_save() - merge entries into the file on disk, atomically
 * @path: database file (its folder is created if missing)
 * @upd: entries to add; they replace entries with the same keys
 * @rep: optional report of lines skipped while re-reading the file
 *
 * Takes an exclusive flock() on "@path.lock", re-reads @path, merges @upd
 * over it, writes a temporary file in the same folder and renames it over
 * @path, then unlocks: two tuners saving at once both keep their entries,
 * and readers see either the old or the new file, never half of one.
 * Entries on disk that an update makes stale (same device key, same layer
 * key but for the "file:HASH" source hash before the first '|') are
 * dropped and counted in @rep->stale.
 *
 * Return: 0, -ENOMEM, or a negative errno from the file system (-EACCES,
 * -ENOSPC, -EIO, ...).
 */
int mnet_tune_db_save(const char *path, const struct mnet_tune_db *upd,
		      struct mnet_tune_db_report *rep);

#endif /* MNET_RUNTIME_TUNE_DB_H */
