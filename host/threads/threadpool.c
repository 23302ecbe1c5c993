// SPDX-License-Identifier: Apache-2.0
/*
 * threadpool.c - a small fork-join pool of host threads
 *
 * DOC: thread pool
 *
 * An inference is a few dozen layers of tens of microseconds to a few
 * milliseconds each, and every layer is one fork-join job.  Waking sleeping
 * threads through a condition variable costs tens of microseconds, more
 * than a whole small layer, so workers spin on a job counter for a short
 * while (MNET_SPIN_ITERS, about 200 us) after each job and only then sleep
 * on the condition variable; back-to-back layers of one inference are therefore
 * picked up within a microsecond, and an idle session costs no CPU.  The
 * caller takes part itself, so a pool of N runs N - 1 threads.
 *
 * A job is N shares, and threads claim shares from an atomic counter
 * rather than owning share "tid": the caller, once done with what it
 * claimed, takes whatever no worker has started.  So a worker that the OS
 * has descheduled (the machine is busy, or runs more threads than cores)
 * delays nothing: the caller runs its share, and the results are the same
 * because a share's work does not depend on which thread runs it.
 *
 * Each session owns its pool: sessions never share threads, and the pool
 * size is the session's --threads (default: the online cores).  Several
 * sessions running at once on a small machine therefore oversubscribe it;
 * a caller that runs several sessions concurrently should give each one
 * threads = cores / sessions.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "threads/threadpool.h"

/* about 200 us of pause on Zen 4 (25 ns each), 300 us on recent Intel */
#define MNET_SPIN_ITERS 8192

struct mnet_threadpool;

struct worker {
	struct mnet_threadpool *tp;
	pthread_t thread;
	int tid;
};

struct mnet_threadpool {
	int n;
	struct worker *workers;
	int started;		/* threads actually running */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_uint gen;	/* job counter; a change means a new job */
	atomic_int next;	/* next share of the current job to claim */
	atomic_int done;	/* shares of the current job finished */
	atomic_int stop;
	atomic_int sleepers;	/* workers in (or entering) cond_wait */
	mnet_task_fn fn;
	void *arg;
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || (defined(__arm__) && __ARM_ARCH >= 7)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

/* Wait until the job counter moves past @seen; return the new value. */
static unsigned int wait_job(struct mnet_threadpool *tp, unsigned int seen)
{
	unsigned int g;
	int i;

	/*
	 * The spin budget is counted in iterations, not wall time: a worker
	 * that the OS preempted while spinning must not come back with its
	 * budget spent and go to sleep just before the next job (on a busy
	 * machine it then sat out most jobs).
	 */
	for (i = 0; i < MNET_SPIN_ITERS; i++) {
		g = atomic_load_explicit(&tp->gen, memory_order_acquire);
		if (g != seen)
			return g;
		cpu_relax();
	}
	/*
	 * Announce the sleep before the last look at gen; post() bumps gen
	 * before it looks at sleepers (both seq_cst), so either it sees us
	 * and broadcasts under the lock, or we see its job and do not sleep.
	 */
	pthread_mutex_lock(&tp->lock);
	atomic_fetch_add(&tp->sleepers, 1);
	while ((g = atomic_load(&tp->gen)) == seen)
		pthread_cond_wait(&tp->wake, &tp->lock);
	atomic_fetch_sub(&tp->sleepers, 1);
	pthread_mutex_unlock(&tp->lock);
	return g;
}

/* Run shares of the current job until none is left to claim. */
static void claim_shares(struct mnet_threadpool *tp)
{
	int i;

	while ((i = atomic_fetch_add_explicit(&tp->next, 1,
					      memory_order_acq_rel)) < tp->n) {
		tp->fn(tp->arg, i, tp->n);
		atomic_fetch_add_explicit(&tp->done, 1, memory_order_release);
	}
}

static void *worker_main(void *p)
{
	struct worker *w = p;
	struct mnet_threadpool *tp = w->tp;
	unsigned int seen = 0;

	for (;;) {
		seen = wait_job(tp, seen);
		if (atomic_load_explicit(&tp->stop, memory_order_acquire))
			break;
		claim_shares(tp);
	}
	return NULL;
}

/*
 * Publish a new job (or the stop request) to the workers; the mutex and
 * the broadcast only when some worker has gone to sleep, so back-to-back
 * layers cost one atomic increment here.
 */
static void post(struct mnet_threadpool *tp)
{
	atomic_fetch_add(&tp->gen, 1);
	if (atomic_load(&tp->sleepers)) {
		pthread_mutex_lock(&tp->lock);
		pthread_cond_broadcast(&tp->wake);
		pthread_mutex_unlock(&tp->lock);
	}
}

int mnet_threadpool_init(int nthreads, struct mnet_threadpool **out)
{
	struct mnet_threadpool *tp;
	int i, ret;

	if (nthreads < 1)
		return -EINVAL;
	tp = calloc(1, sizeof(*tp));
	if (!tp)
		return -ENOMEM;
	tp->n = nthreads;
	atomic_init(&tp->gen, 0);
	atomic_init(&tp->next, nthreads);
	atomic_init(&tp->done, 0);
	atomic_init(&tp->stop, 0);
	atomic_init(&tp->sleepers, 0);
	tp->workers = calloc((size_t)nthreads, sizeof(*tp->workers));
	if (!tp->workers) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (pthread_mutex_init(&tp->lock, NULL)) {
		ret = -ENOMEM;
		goto out_free_workers;
	}
	if (pthread_cond_init(&tp->wake, NULL)) {
		ret = -ENOMEM;
		goto out_destroy_lock;
	}
	for (i = 1; i < nthreads; i++) {
		tp->workers[i].tp = tp;
		tp->workers[i].tid = i;
		if (pthread_create(&tp->workers[i].thread, NULL, worker_main,
				   &tp->workers[i])) {
			ret = -EAGAIN;
			goto out_stop;
		}
		tp->started++;
	}
	*out = tp;
	return 0;

out_stop:
	mnet_threadpool_fini(tp);
	return ret;
out_destroy_lock:
	pthread_mutex_destroy(&tp->lock);
out_free_workers:
	free(tp->workers);
out_free:
	free(tp);
	return ret;
}

void mnet_threadpool_fini(struct mnet_threadpool *tp)
{
	int i;

	if (!tp)
		return;
	atomic_store_explicit(&tp->stop, 1, memory_order_release);
	post(tp);
	for (i = 1; i <= tp->started; i++)
		pthread_join(tp->workers[i].thread, NULL);
	pthread_cond_destroy(&tp->wake);
	pthread_mutex_destroy(&tp->lock);
	free(tp->workers);
	free(tp);
}

int mnet_threadpool_size(const struct mnet_threadpool *tp)
{
	return tp->n;
}

void mnet_threadpool_run(struct mnet_threadpool *tp, mnet_task_fn fn,
			 void *arg)
{
	unsigned int spins;

	if (tp->n == 1) {
		fn(arg, 0, 1);
		return;
	}
	tp->fn = fn;
	tp->arg = arg;
	atomic_store_explicit(&tp->done, 0, memory_order_relaxed);
	/* publishes fn/arg to any thread whose claim reads this reset */
	atomic_store_explicit(&tp->next, 0, memory_order_release);
	post(tp);
	claim_shares(tp);
	/* wait only for shares other threads have started */
	for (spins = 0;
	     atomic_load_explicit(&tp->done, memory_order_acquire) < tp->n;
	     spins++) {
		if (spins > 4096)
			sched_yield();
		else
			cpu_relax();
	}
}
