#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""make-keras-models.py - the MobileNet paper's comparison table as TFLite files

Usage: tools/models/make-keras-models.py [--out DIR] [--models A,B,...]
                                         [--no-int8] [--calib N] [--onnx]
                                         [--reduced] [--list]

Builds each architecture of the paper's table with Keras Applications
(weights=None: random weights from a fixed seed, since no pretrained
weights can be downloaded here), converts it with TensorFlow's TFLite
converter to float32 (NAME_fp32.tflite) and, by post-training
quantization with a representative set made from ../shared/images, to
full-integer int8 (NAME_int8.tflite: int8 input and output, per-channel
int8 weights, the converter's default), and writes a manifest.json with
each file's Keras count_params(), input size and width multiplier.
With --onnx it also converts each float32 file to NAME_fp32.onnx with
tf2onnx (for ONNX Runtime in tools/bench/table-vs-peers.py).

With --reduced every architecture is built at a reduced input size (the
same layers and widths; Xception at 71x71, its smallest, VGG16 at 32x32,
the MobileNets at 96x96, 4 calibration photos): the CI stage of
tools/test.sh makes these in a few minutes and checks them against
TFLite (tests/model/test_keras_models.c).

Files go to --out DIR, default $XDG_CACHE_HOME/mnet/models
(~/.cache/mnet/models), never into the repository.  TensorFlow is not a
dependency of the runtime: on first use this script makes a virtual
environment of its own ($XDG_CACHE_HOME/mnet/venv-tf, or $MNET_TF_VENV),
installs tensorflow-cpu into it (about 600 MB; it says so) and re-runs
itself there.

Architectures (names for --models):
  xception        Xception, 299x299
  vgg16           VGG16, 224x224
  v1_1.0_224      MobileNetV1 alpha 1, 224
  v1_0.75_192     MobileNetV1 alpha 0.75, 192
  v1_0.25_128     MobileNetV1 alpha 0.25, 128
  v2_1.4_224      MobileNetV2 alpha 1.4, 224
  v2_1.0_224      MobileNetV2 alpha 1, 224
  v2_0.35_96      MobileNetV2 alpha 0.35, 96
Keras's classifiers have 1000 classes (the paper's MobileNet counts use
1001); see docs/results-table.md for how the counts compare.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
CACHE = os.environ.get("XDG_CACHE_HOME", os.path.join(os.path.expanduser("~"), ".cache"))
VENV = os.environ.get("MNET_TF_VENV", os.path.join(CACHE, "mnet", "venv-tf"))
SHARED = os.environ.get("MNET_SHARED_DIR", os.path.join(SRC, "..", "shared"))
SEED = 20171
# the converter these files and docs/results-table.md were made with: a
# newer one may emit other operators (override with $MNET_TF_PIN)
TF_PIN = os.environ.get("MNET_TF_PIN", "tensorflow-cpu==2.21.*")
# --reduced: input sizes small enough for CI (Keras's minimums: 71, 32)
REDUCED = {"xception": 71, "vgg16": 32}
REDUCED_DEFAULT = 96

# name: (keras constructor, kwargs, resolution, preprocessing)
ARCHS = {
    "xception": ("Xception", {}, 299, "tf"),
    "vgg16": ("VGG16", {}, 224, "caffe"),
    "v1_1.0_224": ("MobileNet", {"alpha": 1.0}, 224, "tf"),
    "v1_0.75_192": ("MobileNet", {"alpha": 0.75}, 192, "tf"),
    "v1_0.25_128": ("MobileNet", {"alpha": 0.25}, 128, "tf"),
    "v2_1.4_224": ("MobileNetV2", {"alpha": 1.4}, 224, "tf"),
    "v2_1.0_224": ("MobileNetV2", {"alpha": 1.0}, 224, "tf"),
    "v2_0.35_96": ("MobileNetV2", {"alpha": 0.35}, 96, "tf"),
}


def die(msg):
    sys.exit(f"make-keras-models.py: {msg}")


def ensure_tf():
    """Import TensorFlow, or make the venv and re-run this script in it."""
    try:
        import tensorflow  # noqa: F401
        import PIL  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        die(f"tensorflow or pillow is not importable in {VENV}; remove it and run again")
    if not os.path.exists(py) or subprocess.run([py, "-c", "import tensorflow, PIL"],
                                                capture_output=True).returncode:
        print(f"make-keras-models.py: first use: installing tensorflow-cpu into {VENV} "
              "(about 600 MB, a few minutes)", file=sys.stderr)
        try:
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
            subprocess.run([py, "-m", "pip", "install", "-q", TF_PIN, "pillow",
                            "tf2onnx", "onnx"], check=True)
        except (OSError, subprocess.CalledProcessError) as e:
            die(f"could not install tensorflow-cpu into {VENV}: {e}")
    os.execv(py, [py, os.path.abspath(__file__), *sys.argv[1:]])


def calib_images(res, prep, n):
    """n photos of ../shared/images/imagenet at res x res, preprocessed."""
    import numpy as np
    from PIL import Image

    d = os.path.join(SHARED, "images", "imagenet")
    try:
        names = sorted(f for f in os.listdir(d) if f.lower().endswith((".jpg", ".jpeg", ".png", ".bmp")))
    except OSError as e:
        die(f"{d}: {e.strerror}: the representative set comes from these photos")
    if not names:
        die(f"{d}: no photos for the representative set")
    out = []
    for f in names[:n]:
        im = Image.open(os.path.join(d, f)).convert("RGB").resize((res, res), Image.BILINEAR)
        x = np.asarray(im, dtype=np.float32)
        if prep == "caffe":
            x = x[..., ::-1] - np.array([103.939, 116.779, 123.68], dtype=np.float32)
        else:
            x = x / 127.5 - 1.0
        out.append(x[None])
    return out


def build(name, res):
    import numpy as np
    import tensorflow as tf

    ctor, kw, _, _ = ARCHS[name]
    tf.keras.utils.set_random_seed(SEED)
    model = getattr(tf.keras.applications, ctor)(weights=None, input_shape=(res, res, 3), **kw)
    # Batch norm statistics of a freshly built model are 0 / 1: make them
    # something a trained model would have, so that folding them into the
    # convolutions is exercised and activations stay in range.  Depthwise
    # layers' use_bias is False in Keras's MobileNets: BN gives them one.
    rng = np.random.default_rng(SEED)
    for layer in model.layers:
        # Keras starts biases at 0, and the converter drops an all-zero
        # bias: give them values, so the files carry every parameter.
        if getattr(layer, "use_bias", False) and getattr(layer, "bias", None) is not None:
            w = layer.get_weights()
            w[1] = rng.uniform(-0.05, 0.05, w[1].shape).astype(np.float32)
            layer.set_weights(w)
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            g, b, m, v = layer.get_weights()
            layer.set_weights([rng.uniform(0.5, 1.5, g.shape).astype(np.float32),
                               rng.uniform(-0.1, 0.1, b.shape).astype(np.float32),
                               rng.uniform(-0.1, 0.1, m.shape).astype(np.float32),
                               rng.uniform(0.5, 1.5, v.shape).astype(np.float32)])
    scale_classifier(model, calib_images(res, ARCHS[name][3], 8))
    return model


def scale_classifier(model, images):
    """Spread the logits of a random classifier as a trained one's are.

    Freshly initialised, the 1000 logits are nearly equal: the softmax is
    flat, and over 256 near-equal terms TFLite's reference int8 softmax
    aborts the interpreter (a TFLITE_CHECK on its exponent).  The last
    weighted layer (Dense, or V1's 1x1 convolution) is scaled so that the
    logits have a standard deviation of 4 on the shared photos; the
    architecture is unchanged.
    """
    import numpy as np
    import tensorflow as tf

    last = [l for l in model.layers if l.get_weights()][-1]
    feats = tf.keras.Model(model.inputs, last.input).predict(np.concatenate(images), verbose=0)
    w, b = last.get_weights()
    logits = feats.reshape(len(feats), -1) @ w.reshape(-1, w.shape[-1]) + b
    k = 4.0 / max(float(np.std(logits)), 1e-12)
    last.set_weights([w * k, b * k])


def bn_channels(model):
    """Channels of every batch norm: each folds 4 parameters into 1."""
    import tensorflow as tf

    return int(sum(l.get_weights()[0].size for l in model.layers
                   if isinstance(l, tf.keras.layers.BatchNormalization)))


def convert(model, name, out, calib, res):
    import tensorflow as tf

    prep = ARCHS[name][3]
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    fp32 = conv.convert()
    with open(os.path.join(out, f"{name}_fp32.tflite"), "wb") as f:
        f.write(fp32)
    if calib <= 0:
        return
    images = calib_images(res, prep, calib)

    def rep():
        for x in images:
            yield [x]

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = rep
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    with open(os.path.join(out, f"{name}_int8.tflite"), "wb") as f:
        f.write(conv.convert())


def to_onnx(tflite):
    """NAME_fp32.onnx beside @tflite, by tf2onnx (installed on first use)."""
    try:
        import tf2onnx  # noqa: F401
    except ImportError:
        print("make-keras-models.py: installing tf2onnx into this venv", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "tf2onnx", "onnx"],
                       check=True)
    out = tflite[:-len(".tflite")] + ".onnx"
    r = subprocess.run([sys.executable, "-m", "tf2onnx.convert", "--tflite", tflite,
                        "--output", out], capture_output=True, text=True)
    if r.returncode:
        die(f"{tflite}: tf2onnx failed:\n{r.stderr[-2000:]}")


def main():
    ap = argparse.ArgumentParser(
        prog="make-keras-models.py",
        description="Build the paper's comparison table as TFLite files (random weights).")
    ap.add_argument("--out", default=os.path.join(CACHE, "mnet", "models"),
                    help="output folder (default: $XDG_CACHE_HOME/mnet/models)")
    ap.add_argument("--models", default=",".join(ARCHS),
                    help="comma-separated architectures (default: all eight)")
    ap.add_argument("--no-int8", action="store_true", help="float32 files only")
    ap.add_argument("--calib", type=int, default=32,
                    help="photos in the int8 representative set (default 32)")
    ap.add_argument("--onnx", action="store_true",
                    help="also write NAME_fp32.onnx (tf2onnx from the float32 file)")
    ap.add_argument("--reduced", action="store_true",
                    help="reduced input sizes (Xception 71, VGG16 32, MobileNets 96) and "
                         "4 calibration photos: the files CI checks")
    ap.add_argument("--list", action="store_true", help="list the architectures and exit")
    a = ap.parse_args()
    if a.list:
        for k, (ctor, kw, res, _) in ARCHS.items():
            print(f"{k:12} {ctor} {kw} {res}x{res}")
        return 0
    if a.reduced and a.calib == ap.get_default("calib"):
        a.calib = 4
    names = [m for m in a.models.split(",") if m]
    for m in names:
        if m not in ARCHS:
            ap.error(f"unknown architecture '{m}' (see --list)")
    ensure_tf()
    os.makedirs(a.out, exist_ok=True)
    man_path = os.path.join(a.out, "manifest.json")
    try:
        with open(man_path) as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        manifest = {}
    for m in names:
        print(f"make-keras-models.py: {m}", file=sys.stderr)
        res = ARCHS[m][2]
        if a.reduced:
            res = REDUCED.get(m, REDUCED_DEFAULT)
        model = build(m, res)
        convert(model, m, a.out, 0 if a.no_int8 else a.calib, res)
        if a.onnx:
            to_onnx(os.path.join(a.out, f"{m}_fp32.tflite"))
        ctor, kw, _, prep = ARCHS[m]
        manifest[m] = {"keras": ctor, "alpha": kw.get("alpha", 1.0), "resolution": res,
                       "reduced": bool(a.reduced),
                       "preprocessing": prep, "keras_params": int(model.count_params()),
                       "bn_channels": bn_channels(model),
                       "classes": 1000, "seed": SEED,
                       "fp32": f"{m}_fp32.tflite",
                       "int8": None if a.no_int8 else f"{m}_int8.tflite"}
        with open(man_path, "w") as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
    print(f"make-keras-models.py: wrote {len(names)} architectures to {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
