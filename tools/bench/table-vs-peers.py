#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""table-vs-peers.py - the paper's eight architectures: our cpu fp32 beside LiteRT and ONNX Runtime

Usage: tools/bench/table-vs-peers.py [--build DIR] [--models DIR]
                                     [--archs A,B,...] > table.md

For each architecture of tools/models/make-keras-models.py (its
NAME_fp32.tflite and, made with --onnx, NAME_fp32.onnx) and 1 and 2
threads it times, in one run and in alternating rounds:
  - LiteRT (ai-edge-litert's Interpreter, default op resolver: XNNPACK's
    fp32 kernels) on NAME_fp32.tflite, num_threads 1 or 2;
  - ONNX Runtime (CPUExecutionProvider, MLAS) on NAME_fp32.onnx (tf2onnx
    from the same .tflite), intra_op_num_threads 1 or 2;
  - mnet-bench -m NAME_fp32.tflite -b cpu -p fp32 -t 1 or 2.
Each figure is the median of RUNS invocations after WARMUP untimed ones
(fewer for the big models: see runs_for()), and a cell is the median
over ROUNDS rounds; ratios are ours / the faster peer, from this run only.
The load on the machine (/proc/loadavg) is printed before and after.
It also measures this machine's memory bandwidth with a STREAM-like copy
(numpy, one thread) to set VGG16's classifier beside it.

A Python with ai-edge-litert, onnxruntime and numpy is needed: the
script makes $XDG_CACHE_HOME/mnet/venv-peers on first use (it says so)
and re-runs itself there.  Env: RUNS, WARMUP, ROUNDS.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
CACHE = os.environ.get("XDG_CACHE_HOME", os.path.join(os.path.expanduser("~"), ".cache"))
VENV = os.environ.get("MNET_PEERS_VENV", os.path.join(CACHE, "mnet", "venv-peers"))
ARCHS = ["xception", "vgg16", "v1_1.0_224", "v1_0.75_192", "v1_0.25_128",
         "v2_1.4_224", "v2_1.0_224", "v2_0.35_96"]
RUNS = int(os.environ.get("RUNS", "30"))
WARM = int(os.environ.get("WARMUP", "5"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))


def ensure_peers():
    try:
        import numpy  # noqa: F401
        import onnxruntime  # noqa: F401
        from ai_edge_litert.interpreter import Interpreter  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        sys.exit(f"table-vs-peers.py: the peers are not importable in {VENV}")
    if not os.path.exists(py):
        print(f"table-vs-peers.py: first use: installing ai-edge-litert, onnxruntime "
              f"and numpy into {VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "ai-edge-litert", "onnxruntime",
                        "numpy"], check=True)
    os.execv(py, [py, os.path.abspath(__file__), *sys.argv[1:]])


def runs_for(macs):
    """Fewer runs where one is a second: VGG16 is 15.5 G multiply-adds."""
    if macs > 5e9:
        return max(3, RUNS // 6), max(1, WARM // 3)
    if macs > 1e9:
        return max(5, RUNS // 3), max(2, WARM // 2)
    return RUNS, WARM


def med_times(fn, runs, warm):
    for _ in range(warm):
        fn()
    t = []
    for _ in range(runs):
        a = time.perf_counter()
        fn()
        t.append((time.perf_counter() - a) * 1e3)
    return statistics.median(t)


def litert_ms(path, threads, runs, warm):
    import numpy as np
    from ai_edge_litert.interpreter import Interpreter

    it = Interpreter(model_path=path, num_threads=threads)
    it.allocate_tensors()
    d = it.get_input_details()[0]
    it.set_tensor(d["index"], np.random.default_rng(0).uniform(-1, 1, d["shape"]).astype(np.float32))
    return med_times(it.invoke, runs, warm)


def ort_ms(path, threads, runs, warm):
    import numpy as np
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    i = s.get_inputs()[0]
    shape = [v if isinstance(v, int) else 1 for v in i.shape]
    x = {i.name: np.random.default_rng(0).uniform(-1, 1, shape).astype(np.float32)}
    return med_times(lambda: s.run(None, x), runs, warm)


def ours_ms(bench, path, threads, runs, warm):
    r = subprocess.run([bench, "-m", path, "-b", "cpu", "-p", "fp32", "-t", str(threads),
                        "-r", str(runs), "-w", str(warm), "-l", "0", "-j", "-q"],
                       capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(r.stdout + r.stderr)
    return json.loads(r.stdout)["median_ms"]


def macs_of(info, path):
    r = subprocess.run([info, "-m", path], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("total:"):
            return float(line.split("parameters (")[1].split(",")[1].split("multiply")[0])
    return 0.0


def copy_bandwidth():
    """GB/s of a 256 MiB float32 copy (read + write), best of 5, one thread."""
    import numpy as np

    a = np.ones(64 << 20, dtype=np.float32)
    b = np.empty_like(a)
    best = 0.0
    for _ in range(5):
        t = time.perf_counter()
        np.copyto(b, a)
        dt = time.perf_counter() - t
        best = max(best, 2 * a.nbytes / dt / 1e9)
    return best


def main():
    ap = argparse.ArgumentParser(prog="table-vs-peers.py")
    ap.add_argument("--build", default=os.path.join(SRC, "build"))
    ap.add_argument("--models", default=os.path.join(CACHE, "mnet", "models"))
    ap.add_argument("--archs", default=",".join(ARCHS))
    a = ap.parse_args()
    ensure_peers()
    bench = os.path.join(a.build, "mnet-bench")
    info = os.path.join(a.build, "mnet-info")
    load0 = open("/proc/loadavg").read().split()[0]
    rows = []
    for arch in a.archs.split(","):
        tfl = os.path.join(a.models, f"{arch}_fp32.tflite")
        onnx = os.path.join(a.models, f"{arch}_fp32.onnx")
        if not os.path.exists(tfl):
            print(f"table-vs-peers.py: {tfl}: missing (tools/models/make-keras-models.py)",
                  file=sys.stderr)
            continue
        macs = macs_of(info, tfl) * 1e6
        runs, warm = runs_for(macs)
        for th in (1, 2):
            cell = {"litert": [], "ort": [], "ours": []}
            for _ in range(ROUNDS):
                cell["litert"].append(litert_ms(tfl, th, runs, warm))
                if os.path.exists(onnx):
                    cell["ort"].append(ort_ms(onnx, th, runs, warm))
                cell["ours"].append(ours_ms(bench, tfl, th, runs, warm))
            m = {k: statistics.median(v) if v else None for k, v in cell.items()}
            rows.append((arch, th, m, runs))
            print(f"table-vs-peers.py: {arch} t{th}: {m}", file=sys.stderr)
    bw = copy_bandwidth()
    load1 = open("/proc/loadavg").read().split()[0]
    print(f"CPU: {platform.processor() or platform.machine()} ({os.cpu_count()} online); "
          f"load average before {load0}, after {load1}")
    print(f"RUNS={RUNS} WARMUP={WARM} ROUNDS={ROUNDS} (fewer runs for the big models); "
          "each figure: median over rounds of per-invocation medians, ms")
    print()
    print("| architecture | threads | LiteRT | ONNX Runtime | ours (cpu fp32) | ours / faster peer |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for arch, th, m, runs in rows:
        peers = [v for v in (m["litert"], m["ort"]) if v]
        ratio = m["ours"] / min(peers) if peers else float("nan")
        ort = f"{m['ort']:.3f}" if m["ort"] else "-"
        print(f"| {arch} | {th} | {m['litert']:.3f} | {ort} | {m['ours']:.3f} | {ratio:.2f} |")
    print()
    print(f"Memory bandwidth (numpy copy, 256 MiB, one thread): {bw:.1f} GB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
