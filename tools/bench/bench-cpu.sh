#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# bench-cpu.sh - the CPU backend beside the XNNPACK and oneDNN peers, as the
# markdown table of docs/results-cpu.md
#
# Usage: tools/bench/bench-cpu.sh [BUILD_DIR]        (default: build)
#
# For each synthetic MobileNet V1 config (1.0/224, 0.75/192, 0.5/160,
# 0.25/128) and 1 and 2 threads it runs, back to back in this order,
# mnet-bench --backend cpu, the XNNPACK peer and the oneDNN peer, each with
# $WARMUP untimed and $RUNS timed runs (median and min reported), so the
# three see the same machine state.  The peers come from ../shared/peers
# and are built with the same commands as its run_peers.sh (which installs
# their Debian packages: run it once first on a fresh machine) into
# $PEERS_BUILD (default /tmp/mnet-peers-build; shared/ stays read-only).
# Foreign CPU load is measured before and after (as run_peers.sh does):
# with 2 cores, any other busy process inflates the 2-thread numbers.
#
# The RSS column is mnet-bench's session_peak_rss_kb: the peak resident
# memory from the creation of the timed session (made with release_weights,
# so the model's float weights are freed as they are packed) through the
# timed runs, i.e. what a process that loads a model, creates one session
# and serves holds at most (the cold creation before it, with the weights
# twice, is left out; mnet-bench's peak_rss_kb has it).
#
# Env: RUNS (default 50), WARMUP (10), ROUNDS (default 1: repeat the whole
# table and keep, per cell and per implementation, the lowest median of the
# rounds).
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/tools/bench/bench-lib.sh"
build=${1:-$src/build}
peers=${MNET_SHARED_DIR:-$src/../shared}/peers
pb=${PEERS_BUILD:-/tmp/mnet-peers-build}
RUNS=${RUNS:-50}
WARMUP=${WARMUP:-10}
ROUNDS=${ROUNDS:-1}
bench=$build/mnet-bench

[ -x "$bench" ] || { echo "bench-cpu.sh: no $bench (build first)" >&2; exit 1; }
mkdir -p "$pb"
if [ ! -x "$pb/xnnpack_mobilenet" ] || [ ! -x "$pb/onednn_mobilenet" ]; then
	gcc -O2 -Wall -I"$peers" -o "$pb/xnnpack_mobilenet" \
		"$peers/xnnpack_mobilenet.c" -lXNNPACK -lpthreadpool -lm
	g++ -O2 -Wall -I"$peers" -fopenmp -o "$pb/onednn_mobilenet" \
		"$peers/onednn_mobilenet.cpp" -ldnnl
fi

cpu_busy() {	# % of all CPUs busy over 1 s, anyone's (as run_peers.sh)
	set -- $(head -1 /proc/stat)
	i1=$(($5 + $6)); t1=$(($2 + $3 + $4 + $5 + $6 + $7 + $8 + $9))
	sleep 1
	set -- $(head -1 /proc/stat)
	i2=$(($5 + $6)); t2=$(($2 + $3 + $4 + $5 + $6 + $7 + $8 + $9))
	t=$((t2 - t1)); [ "$t" -gt 0 ] || t=1
	echo $((100 * (t - (i2 - i1)) / t))
}

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
busy0=$(cpu_busy)
export MN_RUNS=$RUNS MN_WARMUP=$WARMUP
round=1
while [ "$round" -le "$ROUNDS" ]; do
	for c in 1.0:224 0.75:192 0.5:160 0.25:128; do
		a=${c%:*}; r=${c#*:}
		for t in 1 2; do
			ours=$("$bench" --synthetic "$a" "$r" --backend cpu \
			       --threads "$t" --runs "$RUNS" --warmup "$WARMUP" --json)
			xnn=$("$pb/xnnpack_mobilenet" "$a" "$r" "$t" 2>/dev/null)
			dnn=$("$pb/onednn_mobilenet" "$a" "$r" "$t" 2>/dev/null)
			echo "$a $r $t $(jfield median_ms "$ours")" \
			     "$(jfield min_ms "$ours")" \
			     "$(pfield median_ms "$xnn")" \
			     "$(pfield median_ms "$dnn")" \
			     "$(jfield session_peak_rss_kb "$ours")" \
			     "$(jfield top1 "$ours") $(jfield p "$ours")" \
			     "$(pfield top1 "$xnn")" \
			     "$(jfield backend "$ours")" >>"$tmp"
		done
	done
	round=$((round + 1))
done
busy1=$(cpu_busy)

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); runs=$RUNS warmup=$WARMUP rounds=$ROUNDS"
echo "# foreign CPU load: ${busy0}% before, ${busy1}% after (includes nothing of ours: measured outside the runs)"
echo
echo "| alpha/res | threads | ours median ms | ours min ms | XNNPACK median ms | oneDNN median ms | ours/XNNPACK | ours/oneDNN | session peak RSS MiB | top1 ours / XNNPACK |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
# per cell and per implementation, the lowest median (and min) of the
# rounds: each of the three gets the same rule, none its partner's round
awk '
	function lo(a, b) { return a == "" || b < a ? b : a }
	{
		key = $1 "/" $2 " " $3
		if (!(key in seen)) {
			seen[key] = 1; order[n++] = key
			cfg[key] = $1 "/" $2; thr[key] = $3
			top[key] = $9 " / " $11
		}
		med[key] = lo(med[key], $4 + 0); mn[key] = lo(mn[key], $5 + 0)
		xnn[key] = lo(xnn[key], $6 + 0); dnn[key] = lo(dnn[key], $7 + 0)
		rss[key] = lo(rss[key], $8 + 0)
	}
	END {
		for (i = 0; i < n; i++) {
			k = order[i]
			printf "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.2f | %.2f | %.1f | %s |\n",
			       cfg[k], thr[k], med[k], mn[k], xnn[k], dnn[k],
			       med[k] / xnn[k], med[k] / dnn[k], rss[k] / 1024.0,
			       top[k]
		}
	}' "$tmp"
echo
echo "ours: mnet-bench --backend cpu ($(awk 'NR == 1 { print $12 }' "$tmp"))"
