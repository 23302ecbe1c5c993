# aarch64-toolchain.cmake - cross-compile for 64-bit Arm Linux with Debian's
# gcc-aarch64-linux-gnu, and run the test executables under qemu-user.
#
#   cmake -S . -B build-aarch64 \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-toolchain.cmake -DMNET_OPENCL=OFF
#
# Libraries (CUnit, stb) come from Debian's arm64 packages installed by
# multiarch (tests/run_cross.sh does that): their .pc files are in
# /usr/lib/aarch64-linux-gnu/pkgconfig and their headers in /usr/include.
# ctest runs every test through CMAKE_CROSSCOMPILING_EMULATOR.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# headers and libraries of the target, never the host's x86 ones
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# pkg-config: only the arm64 .pc files (plus arch-independent ones)
set(ENV{PKG_CONFIG_LIBDIR}
	"/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# The cross libc (libc6-arm64-cross, in /usr/aarch64-linux-gnu/lib) and the
# multiarch libc6:arm64 that libcunit1:arm64 pulls in (/lib/aarch64-linux-gnu)
# are different builds; the dynamic loader from -L must find its own libc
# first, else ld.so and libc.so mismatch and pthread_create hangs.  Hence
# LD_LIBRARY_PATH points at the cross libc (CUnit and stb still come from
# the multiarch directories).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64;-L;/usr/aarch64-linux-gnu;-E;
	LD_LIBRARY_PATH=/usr/aarch64-linux-gnu/lib)
