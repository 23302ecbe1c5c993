# armhf-toolchain.cmake - cross-compile for 32-bit Arm Linux (ARMv7-A, hard
# float: Debian armhf) with Debian's gcc-arm-linux-gnueabihf, and run the
# test executables under qemu-user.
#
#   cmake -S . -B build-armhf \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/armhf-toolchain.cmake -DMNET_OPENCL=OFF
#
# The baseline stays Debian's (ARMv7-A, VFPv3-D16, no NEON required): only
# host/neon_*.c get -mfpu=neon-vfpv4 (cmake/host_sources.cmake), and the
# library picks them at run time when the CPU reports NEON and VFPv4.
# Libraries (CUnit, stb) come from Debian's armhf packages installed by
# multiarch (tests/run_cross.sh does that).  As for aarch64, the loader
# must find the cross libc (libc6-armhf-cross) before the multiarch one.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR armv7l)

set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)

set(CMAKE_FIND_ROOT_PATH /usr/arm-linux-gnueabihf)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)

set(ENV{PKG_CONFIG_LIBDIR}
	"/usr/lib/arm-linux-gnueabihf/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm;-L;/usr/arm-linux-gnueabihf;-E;
	LD_LIBRARY_PATH=/usr/arm-linux-gnueabihf/lib)
