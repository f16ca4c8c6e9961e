"""OpenBLAS (through torch.mm) single-thread sgemm per CPU-second of the calling thread: the
counterpart of bench/src/dev/sequor/bench/CpuTimeGemm.java, robust to time slicing on a shared
machine. Run with the Debian python (/usr/bin/python3)."""
import json
import time

import torch

from common import set_threads, warn_if_reference_blas

SIZES = [256, 512, 1024, 2048]


def per_cpu(body, units, reps=7, min_seconds=0.1):
    g = []
    for _ in range(reps):
        t = time.thread_time()
        calls = 0
        while True:
            body()
            calls += 1
            if time.thread_time() - t >= min_seconds:
                break
        g.append(units * calls / (time.thread_time() - t) / 1e9)
    g.sort()
    return g[reps // 2]


def main():
    set_threads(1)  # one OpenBLAS thread: the calling one, whose CPU time is measured
    torch.manual_seed(0)
    for n in SIZES:
        a, b = torch.rand(n, n) - 0.5, torch.rand(n, n) - 0.5
        c = torch.empty(n, n)
        ops = {"nn": lambda: torch.mm(a, b, out=c), "nt": lambda: torch.mm(a, b.t(), out=c),
               "tn": lambda: torch.mm(a.t(), b, out=c)}
        for op, f in ops.items():
            per_cpu(f, 1, 2, 0.2)
            g = per_cpu(f, 2.0 * n ** 3)
            print(json.dumps({"bench": "gemm", "op": op, "m": n, "n": n, "k": n, "threads": 1,
                              "gflops": round(g, 1), "clock": "cpu", "impl": "pytorch"},
                             separators=(",", ":")), flush=True)
    warn_if_reference_blas()


if __name__ == "__main__":
    main()
