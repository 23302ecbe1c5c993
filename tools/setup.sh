#!/usr/bin/env bash
# setup.sh - install the Debian packages mobilenet-cl needs and build it.
#
# Usage: bash tools/setup.sh [BUILD_DIR]     (default: build)
# Idempotent: packages already installed are not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}

pkgs=(build-essential cmake pkg-config clang
      ocl-icd-opencl-dev opencl-c-headers pocl-opencl-icd clinfo
      libclblast-dev libcunit1-dev libstb-dev nettle-dev python3-venv
      libclang-rt-14-dev valgrind	# fuzzing, valgrind: ci-hardening.sh
      python3 universal-ctags		# tools/ci/check-layout.py
      gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf qemu-user) # NEON: tests/run_cross.sh
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "setup: installing ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

# ai-edge-litert in a venv: TFLite's reference kernels, the oracle of
# tests/int8/test_int8_tflite (which falls back to checked-in digests when
# it is missing, so a failed install is not fatal).  tools/test.sh points
# MNET_LITERT_PYTHON at it.
venv=${MNET_LITERT_VENV:-$build/venv-litert}
if [ ! -x "$venv/bin/python" ] ||
   ! "$venv/bin/python" -c "import ai_edge_litert" 2>/dev/null; then
	echo "setup: ai-edge-litert into $venv"
	{ python3 -m venv "$venv" &&
	  "$venv/bin/pip" install -q ai-edge-litert numpy; } ||
		echo "setup: no ai-edge-litert; the int8 suite uses its digests"
fi

# shellcheck disable=SC2086
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release ${MNET_CMAKE_FLAGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)"
