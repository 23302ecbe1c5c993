#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""int8-vs-litert.py - our int8 and fp32 CPU paths beside LiteRT, per shared file

Usage: tools/bench/int8-vs-litert.py [BUILD_DIR] > table.md
       (BUILD_DIR default: build; it needs BUILD_DIR/mnet-bench and a
       Python with ai-edge-litert and numpy: tools/setup.sh makes
       BUILD_DIR/venv-litert, which this script re-executes itself in)

For every shared quantized classifier (../shared/models, or
$MNET_SHARED_DIR/models) and 1 and 2 threads it times, in one run and in
alternating rounds (LiteRT, ours int8, ours fp32, then again):
  - LiteRT (ai-edge-litert's Interpreter, default op resolver: XNNPACK's
    integer kernels), num_threads 1 or 2, a fixed random input in the
    file's input type set once;
  - mnet-bench -b cpu -p int8 (timed on the file's own input bytes:
    mnet_session_run_quantized());
  - mnet-bench -b cpu -p fp32 (the dequantized weights in fp32).
Each measurement is the median of RUNS timed invocations after WARMUP
untimed ones; a cell's figure is the median over ROUNDS rounds.  Ratios
are computed per cell from numbers of this run only.  Foreign load on
the machine (from /proc/loadavg before and after) is printed: with 2
cores, another busy process inflates the 2-thread numbers.

Env: RUNS (default 40), WARMUP (10), ROUNDS (5), MODELS (comma-separated
file names, default all below).
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(SRC, "build")
SHARED = os.environ.get("MNET_SHARED_DIR", os.path.join(SRC, "..", "shared"))
RUNS = int(os.environ.get("RUNS", "40"))
WARM = int(os.environ.get("WARMUP", "10"))
ROUNDS = int(os.environ.get("ROUNDS", "5"))
FILES = [
    "mobilenet_v1_0.25_128_quant.tflite",
    "mobilenet_v1_0.5_160_quant.tflite",
    "mobilenet_v1_0.75_192_quant.tflite",
    "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
    "mobilenet_v2_1.0_224_quant.tflite",
    "tf2_mobilenet_v2_1.0_224_ptq.tflite",
    "mobilenet_v2_1.0_224_inat_bird_quant.tflite",
    "mobilenet_v2_1.0_224_inat_insect_quant.tflite",
]

try:
    import numpy as np
    from ai_edge_litert.interpreter import Interpreter
except ImportError:
    venv = os.path.join(BUILD, "venv-litert")
    venv_py = os.path.join(venv, "bin", "python")
    if os.path.exists(venv_py) and os.path.realpath(sys.prefix) != os.path.realpath(venv):
        os.execv(venv_py, [venv_py, *sys.argv])
    sys.exit("int8-vs-litert.py: needs ai-edge-litert and numpy (tools/setup.sh makes "
             f"{venv_py}; or pip install ai-edge-litert numpy)")


def litert_ms(path, threads):
    it = Interpreter(model_path=path, num_threads=threads)
    it.allocate_tensors()
    d = it.get_input_details()[0]
    info = np.iinfo(d["dtype"]) if np.issubdtype(d["dtype"], np.integer) else None
    rng = np.random.default_rng(0)
    if info:
        x = rng.integers(info.min, info.max, size=d["shape"], endpoint=True).astype(d["dtype"])
    else:
        x = rng.standard_normal(d["shape"]).astype(d["dtype"])
    it.set_tensor(d["index"], x)
    for _ in range(WARM):
        it.invoke()
    t = []
    for _ in range(RUNS):
        a = time.perf_counter()
        it.invoke()
        t.append((time.perf_counter() - a) * 1e3)
    return statistics.median(t)


def mnet(path, threads, precision):
    cmd = [os.path.join(BUILD, "mnet-bench"), "-m", path, "-b", "cpu", "-p", precision,
           "-t", str(threads), "-r", str(RUNS), "-w", str(WARM), "-q", "-j"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    files = os.environ.get("MODELS")
    files = files.split(",") if files else FILES
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"CPU: {cpu} ({os.cpu_count()} online), {platform.machine()}; "
          f"load before: {loadavg()}")
    print(f"RUNS={RUNS} WARMUP={WARM} ROUNDS={ROUNDS}; each figure: median over rounds "
          "of per-invocation medians, ms")
    print()
    print("| model | threads | LiteRT | ours int8 | ours fp32 | int8/LiteRT | int8/fp32 | int8 kernels |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for f in files:
        path = os.path.join(SHARED, "models", f)
        if not os.path.exists(path):
            print(f"| {f} | - | absent | | | | | |", flush=True)
            continue
        for th in (1, 2):
            lt, q, fp = [], [], []
            backend = "?"
            for _ in range(ROUNDS):
                lt.append(litert_ms(path, th))
                j = mnet(path, th, "int8")
                q.append(j["median_ms"])
                backend = j["backend"]
                fp.append(mnet(path, th, "fp32")["median_ms"])
            a, b, c = (statistics.median(v) for v in (lt, q, fp))
            print(f"| {f.replace('.tflite', '')} | {th} | {a:.3f} | {b:.3f} | {c:.3f} | "
                  f"{b / a:.2f} | {b / c:.2f} | {backend} |", flush=True)
    print()
    print(f"load after: {loadavg()}")


if __name__ == "__main__":
    main()
