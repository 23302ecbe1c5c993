/* SPDX-License-Identifier: Apache-2.0 */
/*
 * threadpool.h - a small fork-join pool of host threads owned by a session
 */
#ifndef MNET_HOST_THREADPOOL_H
#define MNET_HOST_THREADPOOL_H

struct mnet_threadpool;

/**
 * typedef mnet_task_fn - one share of a parallel job
 * @arg: the job
 * @tid: the share's index, 0 <= @tid < @nthreads; each index runs exactly
 *       once per job, on whichever pool thread claims it first, and no two
 *       running shares have the same index (so it can pick per-share
 *       scratch memory)
 * @nthreads: how many shares the job has (the pool size)
 */
typedef void (*mnet_task_fn)(void *arg, int tid, int nthreads);

/**
 * mnet_threadpool_init() - start a pool
 * @nthreads: threads that run each job, the caller included (>= 1); a
 *            pool of 1 starts no thread
 * @out: receives the pool
 *
 * Return: 0, -EINVAL, -ENOMEM, or -EAGAIN if a thread cannot be started.
 */
int mnet_threadpool_init(int nthreads, struct mnet_threadpool **out);

/**
 * mnet_threadpool_fini() - stop and join the threads, free the pool
 * @tp: pool, or NULL
 */
void mnet_threadpool_fini(struct mnet_threadpool *tp);

/**
 * mnet_threadpool_size() - threads that run each job
 * @tp: pool
 *
 * Return: the count given at creation.
 */
int mnet_threadpool_size(const struct mnet_threadpool *tp);

/**
 * mnet_threadpool_run() - run @fn on every thread of the pool and wait
 * @tp: pool (must not be used by two callers at once)
 * @fn: the work; called once per thread with its index
 * @arg: passed to @fn
 *
 * The caller runs shares too, and every share no other thread has started
 * by the time it is free.  Returns when every share is done; the writes of
 * every share are visible to the caller.
 */
void mnet_threadpool_run(struct mnet_threadpool *tp, mnet_task_fn fn,
			 void *arg);

#endif /* MNET_HOST_THREADPOOL_H */
