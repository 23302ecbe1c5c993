#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""cl-traffic.py - global-memory bytes per OpenCL layer, from Oclgrind

Usage: python3 tools/bench/cl-traffic.py [-b BUILD] [--markdown] \\
           [--defaults cpu|gpu] -- MNET-BENCH-MODEL-ARGS...
e.g.   python3 tools/bench/cl-traffic.py --defaults gpu -- --synthetic 1.0 224

Oclgrind reports itself as every device type, so the library gives it
its CPU defaults; --defaults gpu sets MNET_CL_DEFAULTS=gpu, the
configurations a GPU gets (vector width 4, pwconv's local-memory tile).

Runs one inference's worth of mnet-bench under Oclgrind's instruction
counter (--inst-counts) with --quick (only the first and last work-group
of each launch are simulated, so a 1.0/224 model takes about a minute)
and a small LD_PRELOAD shim, compiled here, that names each launch (kernel,
global and local size, build options) and waits for it, so that each
count block belongs to one launch.  For every launch of the first
inference (the warm-up run at session creation) it prints:

  bytes     global loads and stores (plain loads/stores plus the vloadN,
            vload_halfN, vstoreN, vstore_halfN calls on global pointers),
            scaled from the simulated work-groups to all of them
  ideal     each input, weight and output element once
  ratio     bytes / ideal

The scaling assumes every work-group moves what the mean of the first and
the last does; the last is the partial one at an edge, so the total is a
slight underestimate where the grid does not divide evenly.  Element sizes
follow the options: STORAGE_HALF=1 is 2 bytes, else 4.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

SHIM = r'''
#define _GNU_SOURCE
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <dlfcn.h>
#include <stdio.h>
cl_int clEnqueueNDRangeKernel(cl_command_queue q, cl_kernel k, cl_uint d,
	const size_t *o, const size_t *g, const size_t *l, cl_uint nw,
	const cl_event *w, cl_event *e)
{
	static cl_int (*real)(cl_command_queue, cl_kernel, cl_uint,
		const size_t *, const size_t *, const size_t *, cl_uint,
		const cl_event *, cl_event *);
	char name[128] = "", opts[4096] = "";
	cl_device_id dev;
	cl_program p;
	cl_int rc;
	size_t gg[3] = { 1, 1, 1 }, ll[3] = { 0, 0, 0 };
	cl_uint i;

	if (!real)
		real = dlsym(RTLD_NEXT, "clEnqueueNDRangeKernel");
	clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, sizeof(name), name, NULL);
	clGetKernelInfo(k, CL_KERNEL_PROGRAM, sizeof(p), &p, NULL);
	clGetProgramInfo(p, CL_PROGRAM_DEVICES, sizeof(dev), &dev, NULL);
	clGetProgramBuildInfo(p, dev, CL_PROGRAM_BUILD_OPTIONS, sizeof(opts),
			      opts, NULL);
	for (i = 0; i < d && i < 3; i++) {
		gg[i] = g[i];
		ll[i] = l ? l[i] : 0;
	}
	fprintf(stdout, "TRAFFIC launch %s g=%zu,%zu,%zu l=%zu,%zu,%zu opts=%s\n",
		name, gg[0], gg[1], gg[2], ll[0], ll[1], ll[2], opts);
	rc = real(q, k, d, o, g, l, nw, w, e);
	clFinish(q);
	fprintf(stdout, "TRAFFIC done\n");
	return rc;
}
'''

RT = '/usr/lib/oclgrind/liboclgrind-rt.so'
# vload4 / vload_half4 / vstore4 / vstore_half4 on a global (AS1) pointer
VCALL = re.compile(r'call _Z\d+(vload|vstore)(_half)?(\d*)\w*?PU3AS1K?(f|Dh)\(')
MEM = re.compile(r'(load|store) global \((\d+) bytes\)')


def opts_of(s):
    return {m.group(1): m.group(2)
            for m in re.finditer(r'-D(\w+)=(\S+)', s)}


def ideal_elems(kernel, o, g):
    """(input, weight, output) element counts of one launch, or None."""
    i = lambda k: int(o.get(k, '0'))
    hin, win, hout, wout = i('H_IN'), i('W_IN'), i('H_OUT'), i('W_OUT')
    kh, kw = i('KH'), i('KW')
    if kernel == 'conv2d':
        return (hin * win * i('CIN'), kh * kw * i('CIN') * i('COUT') + i('COUT'),
                hout * wout * i('COUT'))
    if kernel == 'dwconv':
        return (hin * win * i('C'), kh * kw * i('C') + i('C'),
                hout * wout * i('C'))
    if kernel == 'pwconv':
        n = i('NPIX')
        res = n * i('COUT') if i('RESIDUAL') else 0
        return (n * i('CIN') + res, i('CIN') * i('COUT') + i('COUT'),
                n * i('COUT'))
    if kernel == 'avgpool':
        return (hin * win * i('C'), 0, hout * wout * i('C'))
    if kernel == 'fc':
        return (i('N_IN'), i('N_IN') * i('COUT') + i('COUT'), i('COUT'))
    if kernel == 'add':
        return (2 * i('N'), 0, i('N'))
    if kernel == 'softmax':	# dim 1: one row of C per pixel
        return (i('C') * g[1], 0, i('C') * g[1])
    return None


def config_of(kernel, o, l):
    keys = {'pwconv': ['VW', 'PPT', 'IN_VEC', 'KS'],
            'dwconv': ['VW', 'OXT', 'OYT'],
            'softmax': []}.get(kernel, ['VW'])
    c = ['%s=%s' % (k.lower(), o[k]) for k in keys if k in o]
    return ' '.join(c + ['wg=' + 'x'.join(str(x) for x in l if x)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('-b', '--build', default='build')
    ap.add_argument('--markdown', action='store_true')
    ap.add_argument('--defaults', choices=['cpu', 'gpu'],
                    help='the device class whose default configurations '
                    'run (MNET_CL_DEFAULTS; default: what Oclgrind gets, '
                    'the CPU ones)')
    ap.add_argument('model', nargs='+', help='mnet-bench model arguments')
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='mnet-traffic.')
    shim = os.path.join(tmp, 'shim.so')
    with open(os.path.join(tmp, 'shim.c'), 'w') as f:
        f.write(SHIM)
    subprocess.run(['cc', '-shared', '-fPIC', '-O1', '-o', shim,
                    os.path.join(tmp, 'shim.c'), '-ldl'], check=True)
    env = dict(os.environ, OCLGRIND_INST_COUNTS='1', OCLGRIND_QUICK='1',
               LD_PRELOAD=shim + ' ' + RT, MNET_DEVICE='Oclgrind',
               MNET_TUNE_DB=os.environ.get('MNET_TUNE_DB', ''),
               MNET_CL_CACHE_DIR=os.path.join(tmp, 'cache'))
    if a.defaults:
        env['MNET_CL_DEFAULTS'] = a.defaults
    cmd = [os.path.join(a.build, 'mnet-bench')] + a.model + \
          ['-b', 'opencl', '-p', 'fp32', '--runs', '1', '-w', '0', '-l', '0']
    # Oclgrind prints the counts on stdout, after each launch: the shim
    # writes there too, so the order is kept
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode:
        sys.exit('cl-traffic: %s failed (%d): %s' %
                 (' '.join(cmd), p.returncode, p.stderr[-2000:]))
    launches, cur = [], None
    for line in p.stdout.splitlines():
        m = re.match(r'TRAFFIC launch (\w+) g=(\S+) l=(\S+) opts=(.*)', line)
        if m:
            cur = {'kernel': m.group(1),
                   'g': [int(x) for x in m.group(2).split(',')],
                   'l': [int(x) for x in m.group(3).split(',')],
                   'opts': opts_of(m.group(4)), 'bytes': 0}
            launches.append(cur)
            continue
        if line.startswith('TRAFFIC done'):
            cur = None
            continue
        if cur is None:
            continue
        m = re.match(r'\s*([\d,]+) - (.*)', line)
        if not m:
            continue
        n, what = int(m.group(1).replace(',', '')), m.group(2)
        mm = MEM.search(what)
        if mm:
            cur['bytes'] += int(mm.group(2))	# total bytes of those n
            continue
        mv = VCALL.search(what + '(')
        if mv:
            width = int(mv.group(3) or 1)
            esz = 2 if mv.group(4) == 'Dh' else 4
            cur['bytes'] += n * width * esz
    # the first inference: up to and including the first softmax
    first = []
    for x in launches:
        first.append(x)
        if x['kernel'] == 'softmax':
            break
    rows = []
    for idx, x in enumerate(first):
        groups = 1
        for d in range(3):
            if x['l'][d]:
                groups *= -(-x['g'][d] // x['l'][d])
        sim = min(groups, 2)
        total = x['bytes'] * groups / sim
        esz = 2 if x['opts'].get('STORAGE_HALF') == '1' else 4
        el = ideal_elems(x['kernel'], x['opts'], x['g'])
        ideal = sum(el) * esz if el else 0
        rows.append((idx, x['kernel'], config_of(x['kernel'], x['opts'], x['l']),
                     total, ideal, total / ideal if ideal else 0.0))
    if a.markdown:
        print('| launch | kernel | configuration | bytes | ideal bytes | ratio |')
        print('|---|---|---|---|---|---|')
        for r in rows:
            print('| %d | %s | %s | %.0f | %d | %.2f |' % r)
    else:
        for r in rows:
            print('%3d %-8s %-28s %12.0f %12d %6.2f' % r)


if __name__ == '__main__':
    main()
