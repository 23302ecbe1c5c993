#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run_aarch64.sh - cross-build the library and the CPU tests for AArch64
# (the NEON kernels) and run them under qemu-user.
#
# Usage: tests/run_aarch64.sh [ctest regex]      (default: ^test_(cpu_|residual_fusion))
#
# What it needs, all from Debian (bookworm):
#   gcc-aarch64-linux-gnu, qemu-user          (host tools, preinstalled here)
#   libcunit1-dev:arm64, libstb-dev:arm64     (target libraries, multiarch)
# When the arm64 libraries are missing it runs, as root:
#   dpkg --add-architecture arm64
#   apt-get update
#   apt-get install -y libcunit1-dev:arm64 libstb-dev:arm64
# On Debian 12 that installs libcunit1-dev:arm64, libcunit1:arm64,
# libstb-dev:arm64, libstb0:arm64 and their arm64 dependencies libc6,
# libgcc-s1, gcc-12-base, libunistring2 and libidn2-0 (a few MB).  That
# libc6:arm64 (2.36-9+deb12u*) is a different build from the cross
# toolchain's libc6-arm64-cross (2.36-8cross1); the toolchain file makes
# qemu's loader use the latter (see cmake/aarch64-toolchain.cmake).
# Set MNET_NO_APT=1 to fail instead of installing.
#
# The build goes to build-aarch64/ (Release, OpenCL off: no arm64 OpenCL
# ICD here); ctest runs each test through
# "qemu-aarch64 -L /usr/aarch64-linux-gnu" (cmake/aarch64-toolchain.cmake).
# The kernel tests select the NEON and portable kernel sets themselves.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${MNET_AARCH64_BUILD:-$src/build-aarch64}
regex=${1:-^test_(cpu_|residual_fusion)}

need=""
for tool in aarch64-linux-gnu-gcc qemu-aarch64 cmake; do
	command -v "$tool" >/dev/null 2>&1 || need="$need $tool"
done
if [ -n "$need" ]; then
	echo "run_aarch64.sh: missing host tools:$need (Debian: gcc-aarch64-linux-gnu qemu-user cmake)" >&2
	exit 1
fi

have_pkg() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}
if ! have_pkg libcunit1-dev:arm64 || ! have_pkg libstb-dev:arm64; then
	if [ "${MNET_NO_APT:-0}" = 1 ] || [ "$(id -u)" != 0 ]; then
		echo "run_aarch64.sh: need libcunit1-dev:arm64 and libstb-dev:arm64 (dpkg --add-architecture arm64; apt-get install libcunit1-dev:arm64 libstb-dev:arm64)" >&2
		exit 1
	fi
	echo "run_aarch64.sh: installing libcunit1-dev:arm64 libstb-dev:arm64" >&2
	dpkg --add-architecture arm64
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		libcunit1-dev:arm64 libstb-dev:arm64
fi

cmake -S "$src" -B "$build" \
	-DCMAKE_TOOLCHAIN_FILE="$src/cmake/aarch64-toolchain.cmake" \
	-DCMAKE_BUILD_TYPE=Release -DMNET_OPENCL=OFF
cmake --build "$build" -j "${MNET_JOBS:-2}"
cd "$build"
ctest --output-on-failure -R "$regex"
