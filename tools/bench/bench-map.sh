#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# bench-map.sh - mapped vs copied input/output on the OpenCL backend, as
# the "Mapped input/output" section of docs/results-opencl.md
#
# Usage: tools/bench/bench-map.sh [BUILD_DIR]   (bench-opencl.sh calls it last)
#
# mnet-bench --backend opencl on synthetic V1 1.0/224 and 0.25/128, fp32
# and fp16-storage, with MNET_CL_MAP=0 (clEnqueueWrite/ReadBuffer) and
# MNET_CL_MAP=1 (map/unmap, CL_MEM_ALLOC_HOST_PTR) alternating, REPS times
# each, so that a change in the machine's load hits both alike.  Reported:
# the median and the range of the per-invocation medians, and the
# smallest minimum.
# Env: RUNS (default 50), WARMUP (default 10), REPS (default 5).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/tools/bench/bench-lib.sh"
build=${1:-$src/build}
bench=$build/mnet-bench
RUNS=${RUNS:-50}
WARMUP=${WARMUP:-10}
REPS=${REPS:-5}
[ -x "$bench" ] || { echo "bench-map.sh: no $bench (build first)" >&2; exit 1; }

load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "## Mapped input/output"
echo
echo "\`tools/bench/bench-map.sh\` on $(date -u +%Y-%m-%dT%H:%MZ), load average before"
echo "$load0. \`mnet-bench --synthetic A R -b opencl -p P -r $RUNS -w $WARMUP -l 0\`"
echo "with \`MNET_CL_MAP=0\` (copies) and \`=1\` (mapped) alternating, $REPS times"
echo "each; ms: median (range) of the $REPS invocation medians, and the smallest"
echo "minimum."
echo
echo "| model | precision | copied median (range) | mapped median (range) | copied min | mapped min | mapped/copied (medians) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for c in 1.0:224 0.25:128; do
	a=${c%:*}; r=${c#*:}
	for p in fp32 fp16-storage; do
		med0=(); med1=(); min0=(); min1=()
		for ((i = 0; i < REPS; i++)); do
			for m in 0 1; do
				o=$(MNET_CL_MAP=$m "$bench" --synthetic "$a" "$r" \
				    -b opencl -p "$p" -r "$RUNS" -w "$WARMUP" \
				    -l 0 --json)
				case "$(jstring device "$o")" in
				*"$([ "$m" = 1 ] && echo mapped || echo copied) I/O"*) ;;
				*) echo "bench-map.sh: MNET_CL_MAP=$m not honoured: $(jstring device "$o")" >&2
				   exit 1 ;;
				esac
				if [ "$m" = 0 ]; then
					med0+=("$(jfield median_ms "$o")")
					min0+=("$(jfield min_ms "$o")")
				else
					med1+=("$(jfield median_ms "$o")")
					min1+=("$(jfield min_ms "$o")")
				fi
			done
		done
		awk -v n="$a/$r" -v p="$p" -v a="${med0[*]}" -v b="${med1[*]}" \
		    -v c="${min0[*]}" -v d="${min1[*]}" '
		function sort(s, v,   n, i, j, t) {
			n = split(s, v, " ")
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
					t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
				}
			return n
		}
		function med(s,   v, n) {
			n = sort(s, v)
			return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		function lo(s,   v) { sort(s, v); return v[1] }
		function hi(s,   v, n) { n = sort(s, v); return v[n] }
		BEGIN {
			printf "| %s | %s | %.3f (%.3f-%.3f) | %.3f (%.3f-%.3f) | %.3f | %.3f | %.3f |\n",
			       n, p, med(a), lo(a), hi(a), med(b), lo(b), hi(b),
			       lo(c), lo(d), med(b) / med(a)
		}'
	done
done
echo
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)."
