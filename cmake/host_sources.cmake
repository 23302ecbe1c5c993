# host_sources.cmake - per-ISA host kernels (included by CMakeLists.txt)
#
# host/x86_avx512_*.c and host/x86_avx2_*.c are compiled with their own -m
# flags and only on x86-64; the library chooses among them at run time
# (host/dispatch/cpu_kernels.c), so it still runs on CPUs without AVX2.
# host/neon_*.c are compiled for AArch64, where NEON is baseline, and for
# 32-bit Arm with -mfpu=neon-vfpv4 (chosen at run time from AT_HWCAP, since
# Debian armhf's baseline has no NEON).
# Everything else in host/ is portable C built with the default flags.

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
	set(MNET_HOST_ARCH x86_64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
	set(MNET_HOST_ARCH aarch64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(armv7.*|arm|armhf)$")
	set(MNET_HOST_ARCH arm32)
else()
	set(MNET_HOST_ARCH other)
endif()

if(NOT MNET_HOST_ARCH STREQUAL "x86_64")
	list(FILTER MNET_HOST_SRC EXCLUDE REGEX "/x86_[^/]*\\.c$")
endif()
if(NOT MNET_HOST_ARCH MATCHES "^(aarch64|arm32)$")
	list(FILTER MNET_HOST_SRC EXCLUDE REGEX "/neon_[^/]*\\.c$")
endif()
# the ARMv8.2 dot-product kernels: AArch64 only (chosen from AT_HWCAP)
if(NOT MNET_HOST_ARCH STREQUAL "aarch64")
	list(FILTER MNET_HOST_SRC EXCLUDE REGEX "/neon_dotprod_[^/]*\\.c$")
endif()

foreach(src ${MNET_HOST_SRC})
	get_filename_component(base ${src} NAME)
	if(base MATCHES "^x86_avx512vnni_")
		set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS
			"-mavx512f;-mavx512bw;-mavx512vl;-mavx512vnni;-mavx2;-mfma")
	elseif(base MATCHES "^x86_avx512vbmi_")
		set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS
			"-mavx512f;-mavx512bw;-mavx512vl;-mavx512vbmi;-mavx2;-mfma")
	elseif(base MATCHES "^x86_avx512_")
		set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS
			"-mavx512f;-mavx2;-mfma")
	elseif(base MATCHES "^x86_avx2_")
		set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS
			"-mavx2;-mfma")
	elseif(base MATCHES "^neon_dotprod_")
		set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS
			"-march=armv8.2-a+dotprod")
	elseif(base MATCHES "^neon_" AND MNET_HOST_ARCH STREQUAL "arm32")
		set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS
			"-mfpu=neon-vfpv4")
	endif()
endforeach()
