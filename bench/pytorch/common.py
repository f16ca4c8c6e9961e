"""Shared helpers of the PyTorch baselines: timing like Sequor's quick bench, JSON lines, BLAS check.

Run the baselines with the Debian python (/usr/bin/python3, which has torch), e.g. through
bench/compare.sh. Each script prints one JSON object per line with the same fields as the matching
`sequor bench --json NAME` lines plus "impl": "pytorch".
"""
import argparse
import ctypes
import json
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="largest thread count to measure")
    return p.parse_args()


def set_threads(n):
    """torch.set_num_threads does not reach the BLAS Debian's torch calls: OpenBLAS keeps its own
    pool (all cores by default), so set that one too, through the library already loaded."""
    import torch
    torch.set_num_threads(n)
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        if hasattr(lib, "openblas_set_num_threads"):
            lib.openblas_set_num_threads(ctypes.c_int(n))


def thread_counts(max_threads):
    return [1] if max_threads == 1 else [1, max_threads]


def seconds_per_call(body, warmup_seconds=0.3, reps=7, rep_seconds=0.05):
    """Median over `reps` repeats of the time per call, as Sequor's Timing.secondsPerCall."""
    start = time.perf_counter()
    warm = 0
    while warm < 3 or time.perf_counter() - start < warmup_seconds:
        body()
        warm += 1
    per_call = (time.perf_counter() - start) / warm
    calls = max(1, min(1_000_000, round(rep_seconds / per_call)))
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(calls):
            body()
        times.append((time.perf_counter() - t) / calls)
    times.sort()
    return times[reps // 2]


def emit(record):
    record["impl"] = "pytorch"
    print(json.dumps(record, separators=(",", ":")), flush=True)


def warn_if_reference_blas():
    """torch/numpy on Debian use whatever libblas.so.3 the alternatives system points to: the
    reference (netlib) BLAS is ~20x slower than OpenBLAS, which makes any comparison meaningless."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if ".so" in line}
    except OSError:
        return
    blas = sorted(os.path.basename(l) for l in libs if "blas" in os.path.basename(l).lower())
    if not any("openblas" in l or "mkl" in l or "blis" in l for l in blas):
        print("warning: torch is not running on an optimised BLAS (loaded: %s); install OpenBLAS "
              "(Debian: libopenblas0-pthread) or put its libblas.so.3 first on LD_LIBRARY_PATH"
              % (", ".join(blas) or "none"), file=sys.stderr)
