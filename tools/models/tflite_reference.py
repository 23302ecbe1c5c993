#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tflite_reference.py - top-5 of the real TFLite interpreter, for comparison

Runs a .tflite model through ai-edge-litert's interpreter (the quantized
integer kernels, exactly as the file was meant to run) on images prepared
the way mobilenet-cl prepares them (runtime/image/image.c): a central crop keeping
0.875 of each side (offset int((side - side*crop)/2), as
tf.image.central_crop), a bilinear resize with half-pixel centres, rounding
to the uint8 pixel, then int8 = pixel - 128 for int8 inputs or
x/127.5 - 1 for float inputs.  It prints the top-5 classes with labels, so
our float path on dequantized weights can be set beside the quantized
interpreter.  This is a reference tool, not part of the tests, and never
part of the runtime.

BMP files are decoded with numpy alone; other formats need Pillow.

usage: tools/models/tflite_reference.py MODEL IMAGE [IMAGE...] [--labels FILE]
       [--crop 0.875] [-k 5]
"""
import argparse
import os
import struct
import sys

import numpy as np

try:
    from ai_edge_litert.interpreter import Interpreter
except ImportError:  # older installs
    from tflite_runtime.interpreter import Interpreter


def read_bmp(path):
    """Decode an uncompressed 24/32-bit BMP to an HxWx3 uint8 RGB array."""
    with open(path, 'rb') as f:
        b = f.read()
    if b[:2] != b'BM' or len(b) < 54:
        raise ValueError('%s: not a BMP file' % path)
    off, = struct.unpack_from('<I', b, 10)
    _, w, h, _, bpp, comp = struct.unpack_from('<IiiHHI', b, 14)
    if comp not in (0, 3) or bpp not in (24, 32) or w <= 0 or h == 0:
        raise ValueError('%s: only uncompressed 24/32-bit BMP is supported'
                         % path)
    bottom_up = h > 0
    h = abs(h)
    step = (w * (bpp // 8) + 3) & ~3
    rows = np.frombuffer(b, np.uint8, step * h, off).reshape(h, step)
    px = rows[:, :w * (bpp // 8)].reshape(h, w, bpp // 8)[:, :, 2::-1]
    return np.ascontiguousarray(px[::-1] if bottom_up else px)


def read_image(path):
    if path.lower().endswith('.bmp'):
        return read_bmp(path)
    try:
        from PIL import Image
    except ImportError:
        sys.exit('%s: only BMP can be read without Pillow' % path)
    return np.asarray(Image.open(path).convert('RGB'))


def axis(out_n, in_off, in_n):
    """Source indices and weights along one axis, as runtime/image/image.c."""
    o = np.arange(out_n, dtype=np.float32)
    s = (o + np.float32(0.5)) * np.float32(in_n) / np.float32(out_n) \
        - np.float32(0.5)
    s = np.maximum(s, np.float32(0.0))
    lo = np.minimum(np.floor(s).astype(np.int64), in_n - 1)
    f = (s - lo.astype(np.float32)).astype(np.float32)
    hi = np.minimum(lo + 1, in_n - 1)
    return in_off + lo, in_off + hi, f


def preprocess(img, h, w, crop):
    ih, iw = img.shape[:2]
    cy = int((ih - ih * crop) / 2.0)
    cx = int((iw - iw * crop) / 2.0)
    ch, cw = ih - 2 * cy, iw - 2 * cx
    y0, y1, fy = axis(h, cy, ch)
    x0, x1, fx = axis(w, cx, cw)
    p = img.astype(np.float32)
    fx = fx[None, :, None]
    fy = fy[:, None, None]
    top = p[y0][:, x0] + (p[y0][:, x1] - p[y0][:, x0]) * fx
    bot = p[y1][:, x0] + (p[y1][:, x1] - p[y1][:, x0]) * fx
    v = top + (bot - top) * fy
    return np.clip(np.floor(v + 0.5), 0, 255)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('model')
    ap.add_argument('images', nargs='+')
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument('--labels', default=os.path.join(
        here, '..', '..', '..', 'shared', 'models', 'imagenet_labels.txt'))
    ap.add_argument('--crop', type=float, default=0.875)
    ap.add_argument('-k', type=int, default=5)
    a = ap.parse_args()

    labels = None
    if os.path.exists(a.labels):
        with open(a.labels) as f:
            labels = [l.rstrip('\n') for l in f]
    it = Interpreter(model_path=a.model)
    it.allocate_tensors()
    inp = it.get_input_details()[0]
    out = it.get_output_details()[0]
    _, h, w, _ = inp['shape']
    for path in a.images:
        px = preprocess(read_image(path), h, w, a.crop)
        if inp['dtype'] == np.uint8:
            x = px.astype(np.uint8)
        elif inp['dtype'] == np.int8:
            x = (px - 128).astype(np.int8)
        else:
            x = (px / 127.5 - 1.0).astype(np.float32)
        it.set_tensor(inp['index'], x[None])
        it.invoke()
        y = it.get_tensor(out['index'])[0].astype(np.float64).ravel()
        scale, zp = out['quantization']
        if scale:
            y = scale * (y - zp)
        print('%s on %s:' % (os.path.basename(a.model),
                             os.path.basename(path)))
        for i in np.argsort(-y, kind='stable')[:a.k]:
            name = labels[i] if labels and i < len(labels) else ''
            print('  %4d %.4f %s' % (i, y[i], name))


if __name__ == '__main__':
    main()
