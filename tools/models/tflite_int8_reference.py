#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tflite_int8_reference.py - output bytes of TFLite's reference kernels

Runs a quantized .tflite model through ai-edge-litert's interpreter with
the BUILTIN_REF op resolver (TFLite's reference kernels, not XNNPACK nor
the optimized ones: the oracle the int8 paths of mobilenet-cl must match
byte for byte) on raw input tensors and writes the raw output tensors.

Each IN file holds exactly the bytes of the model's input tensor (for the
shared MobileNets: h*w*3 uint8 values, NHWC); each OUT file receives the
bytes of the output tensor (uint8/int8, or float32 little-endian).  One
interpreter serves all the pairs, so a test pays its start-up once.

usage: tools/models/tflite_int8_reference.py MODEL IN OUT [IN OUT ...]
Exit status: 0, 1 on a bad input size, 2 on usage, 77 when ai-edge-litert
is not installed (the test suite then falls back to checked-in digests).
"""
import sys

try:
    import numpy as np
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
except ImportError:
    sys.stderr.write("tflite_int8_reference.py: ai-edge-litert is not installed\n")
    sys.exit(77)


def main(argv):
    if len(argv) < 4 or len(argv) % 2 != 0:
        sys.stderr.write(__doc__)
        return 2
    it = Interpreter(model_path=argv[1],
                     experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    ind = it.get_input_details()[0]
    outd = it.get_output_details()[0]
    want = int(np.prod(ind["shape"])) * np.dtype(ind["dtype"]).itemsize
    for src, dst in zip(argv[2::2], argv[3::2]):
        with open(src, "rb") as f:
            raw = f.read()
        if len(raw) != want:
            sys.stderr.write("%s: %d bytes, the input tensor takes %d\n" %
                             (src, len(raw), want))
            return 1
        x = np.frombuffer(raw, dtype=ind["dtype"]).reshape(ind["shape"])
        it.set_tensor(ind["index"], x)
        it.invoke()
        y = it.get_tensor(outd["index"])
        with open(dst, "wb") as f:
            f.write(np.ascontiguousarray(y).astype(y.dtype.newbyteorder("<")).tobytes())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
