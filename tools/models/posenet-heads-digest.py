#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""posenet-heads-digest.py - TFLite's int8 PoseNet heads, as digests

Usage: build/venv-litert/bin/python tools/models/posenet-heads-digest.py [MODEL]

LiteRT has no PosenetDecoderOp, so this cuts the shared PoseNet file
before it: in a copy (in memory, then a temporary file), the subgraph's
outputs become the decoder's three inputs and the operator vector loses
its last entry (the decoder), both patched in place.  It then runs the
copy with the reference kernels (OpResolverType.BUILTIN_REF) on the
input tests/backbone/test_posenet.c feeds (353x481x3 bytes of the LCG
x = x * 1103515245 + 12345 mod 2^32 from x = 1, each byte (x >> 16) &
255) and prints each head's uint8 codes' 64-bit FNV-1a digest, which the
test compares with ours (the int8 heads, re-encoded to the file's uint8).
"""
import os
import struct
import sys
import tempfile

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    HERE, "..", "..", "..", "shared", "models",
    "posenet_mobilenet_v1_075_353_481_16_quant_decoder.tflite")


def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def cut(buf):
    """Outputs 101..104 -> 98, 100, 96 (heatmaps, short, mid); 38 -> 37 ops."""
    d = bytearray(buf)
    old = struct.pack("<5I", 4, 101, 102, 103, 104)
    new = struct.pack("<5I", 3, 98, 100, 96, 96)
    at = [i for i in range(len(d) - 20) if d[i:i + 20] == old]
    assert at, "not the shared PoseNet file: decoder outputs not found"
    for i in at:
        d[i:i + 20] = new
    for i in range(0, len(d) - 4, 4):
        if struct.unpack_from("<I", d, i)[0] != 38:
            continue
        e = bytearray(d)
        struct.pack_into("<I", e, i, 37)
        with tempfile.NamedTemporaryFile(suffix=".tflite", delete=False) as f:
            f.write(e)
        try:
            it = Interpreter(model_path=f.name,
                             experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
            it.allocate_tensors()
            return it, f.name
        except Exception:
            os.unlink(f.name)
    raise SystemExit("could not cut the decoder off")


def main():
    it, path = cut(open(MODEL, "rb").read())
    try:
        x, data = 1, bytearray(353 * 481 * 3)
        for i in range(len(data)):
            x = (x * 1103515245 + 12345) & 0xffffffff
            data[i] = (x >> 16) & 255
        inp = it.get_input_details()[0]
        it.set_tensor(inp["index"], np.frombuffer(bytes(data), np.uint8)
                      .reshape(inp["shape"]))
        it.invoke()
        for d in it.get_output_details():
            v = it.get_tensor(d["index"])
            print("%s 0x%016x" % (d["name"], fnv1a(v.tobytes())))
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
