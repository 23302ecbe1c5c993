#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run_cross.sh - cross-build the library and the CPU tests for 64-bit or
# 32-bit Arm (the NEON kernels) and run them under qemu-user.
#
# Usage: tests/run_cross.sh aarch64|armhf [ctest regex]
#        (default regex: ^test_(cpu_|residual_fusion))
#
# What it needs, all from Debian (bookworm):
#   aarch64: gcc-aarch64-linux-gnu, qemu-user; libcunit1-dev:arm64,
#            libstb-dev:arm64 (multiarch)
#   armhf:   gcc-arm-linux-gnueabihf, qemu-user; libcunit1-dev:armhf,
#            libstb-dev:armhf (multiarch)
# When the target libraries are missing it runs, as root:
#   dpkg --add-architecture ARCH; apt-get update;
#   apt-get install -y libcunit1-dev:ARCH libstb-dev:ARCH
# On Debian 12 that installs CUnit, stb and their target dependencies
# (libc6, libgcc-s1, gcc-12-base, libunistring2, libidn2-0; a few MB).
# That multiarch libc6 (2.36-9+deb12u*) is a different build from the cross
# toolchain's libc6-*-cross (2.36-8cross1); the toolchain files make qemu's
# loader use the latter (see cmake/cross-toolchain.cmake).
# Set MNET_NO_APT=1 to fail instead of installing.
#
# The build goes to build-ARCH/ (Release, OpenCL off: no Arm OpenCL ICD
# here); ctest runs each test through "qemu-aarch64 -L /usr/aarch64-linux-gnu"
# or "qemu-arm -L /usr/arm-linux-gnueabihf" (the toolchain files).  The
# kernel tests select the NEON and portable kernel sets themselves; on
# armhf the NEON set is chosen when qemu's CPU reports NEON and VFPv4.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:-}
case "$arch" in
aarch64) cc=aarch64-linux-gnu-gcc; qemu=qemu-aarch64; deb=arm64
	 pkgs="gcc-aarch64-linux-gnu qemu-user" ;;
armhf)   cc=arm-linux-gnueabihf-gcc; qemu=qemu-arm; deb=armhf
	 pkgs="gcc-arm-linux-gnueabihf qemu-user" ;;
*) echo "usage: tests/run_cross.sh aarch64|armhf [ctest regex]" >&2; exit 2 ;;
esac
build=${MNET_CROSS_BUILD:-$src/build-$arch}
regex=${2:-^test_(cpu_|residual_fusion)}

need=""
for tool in "$cc" "$qemu" cmake; do
	command -v "$tool" >/dev/null 2>&1 || need="$need $tool"
done
if [ -n "$need" ]; then
	echo "run_cross.sh: missing host tools:$need (Debian: $pkgs cmake)" >&2
	exit 1
fi

have_pkg() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}
if ! have_pkg "libcunit1-dev:$deb" || ! have_pkg "libstb-dev:$deb"; then
	if [ "${MNET_NO_APT:-0}" = 1 ] || [ "$(id -u)" != 0 ]; then
		echo "run_cross.sh: need libcunit1-dev:$deb and libstb-dev:$deb (dpkg --add-architecture $deb; apt-get install libcunit1-dev:$deb libstb-dev:$deb)" >&2
		exit 1
	fi
	echo "run_cross.sh: installing libcunit1-dev:$deb libstb-dev:$deb" >&2
	dpkg --add-architecture "$deb"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		"libcunit1-dev:$deb" "libstb-dev:$deb"
fi

cmake -S "$src" -B "$build" \
	-DCMAKE_TOOLCHAIN_FILE="$src/cmake/$arch-toolchain.cmake" \
	-DCMAKE_BUILD_TYPE=Release -DMNET_OPENCL=OFF
cmake --build "$build" -j "${MNET_JOBS:-2}"
cd "$build"
# two suites at a time: most keep a single core busy under qemu
ctest --output-on-failure -j "${MNET_JOBS:-2}" -R "$regex"
