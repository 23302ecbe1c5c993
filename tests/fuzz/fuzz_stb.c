// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_stb.c - stb_image compiled into the image fuzz target
 *
 * Debian's libstb is built without coverage or sanitizers, so libFuzzer
 * would see the decoder as a black box.  The same header (same version)
 * compiled here with the fuzzer's flags defines the stbi_* symbols inside
 * the executable, and the library's calls bind to this instrumented copy.
 */
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>
