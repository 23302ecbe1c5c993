#!/usr/bin/env bash
# check-kernels.sh - compile every cl_kernels/*.cl as OpenCL C 1.2 with clang
# (-fsyntax-only) over the build-option combinations the runtime uses, so a
# kernel that only one device or one -D combination would reject fails here
# and not on a phone.  Each program is common.h followed by one kernel
# file, as runtime/cl_source.c builds it.
#
# Usage: tools/check-kernels.sh [CLANG]
set -euo pipefail
cd "$(dirname "$0")/.."
clang=${1:-clang}
command -v "$clang" >/dev/null || { echo "check-kernels: $clang not found" >&2; exit 1; }
fail=0 n=0
# storage/math precision x activation x vector width
combos=(
	"-DSTORAGE_HALF=0 -DMATH_HALF=0 -DACT=0 -DVW=2"
	"-DSTORAGE_HALF=0 -DMATH_HALF=0 -DACT=1 -DVW=4"
	"-DSTORAGE_HALF=0 -DMATH_HALF=0 -DACT=2 -DVW=8"
	"-DSTORAGE_HALF=0 -DMATH_HALF=0 -DACT=2 -DVW=16"
	"-DSTORAGE_HALF=1 -DMATH_HALF=0 -DACT=2 -DVW=2"
	"-DSTORAGE_HALF=1 -DMATH_HALF=0 -DACT=2 -DVW=4"
	"-DSTORAGE_HALF=1 -DMATH_HALF=1 -DACT=2 -DVW=8 -Xclang -cl-ext=+cl_khr_fp16"
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in cl_kernels/*.cl; do
	cat cl_kernels/common.h "$f" >"$tmp/prog.cl"
	for c in "${combos[@]}"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		if ! out=$("$clang" -x cl -cl-std=CL1.2 -Xclang -finclude-default-header \
			-fsyntax-only -Werror $c "$tmp/prog.cl" 2>&1); then
			echo "FAIL $f $c"
			echo "$out" | sed "s|$tmp/prog.cl|$f (after common.h)|" | head -20
			fail=$((fail + 1))
		fi
	done
done
echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
