#!/usr/bin/env python3
"""PyTorch's per-step time for the configurations of `sequor bench --json rnn_step`.

Run with the Debian interpreter that has torch (python3-torch 1.13 with OpenBLAS):
    python3 bench/pytorch/rnn_step.py [--threads 1,2] [--hidden 128,256,512,1024] [--arch rnn,gru,lstm]
Prints one JSON object per line with the fields of sequor's rnn_step lines plus "impl":"pytorch" and
"mode": "sequence" (the whole 256-step sequence handed over in one call, time divided by 256: PyTorch's
best case) or "step" (one call per step carrying the state: what a streaming server does).
Each figure is the median of several timed repetitions after a warm-up, inference mode, batch 1,
one layer, input size = hidden, float32.

PyTorch's speed here depends on the BLAS behind Debian's libblas.so.3: the figures the issue quotes are
with OpenBLAS (package libopenblas0-pthread). With the reference BLAS (libblas3) PyTorch is about ten
times slower, which would flatter any comparison. To use OpenBLAS without changing the system's
default, extract the package and point the loader at it for this run only, e.g.
    apt-get download libopenblas0-pthread && dpkg -x libopenblas0-pthread_*.deb openblas
    LD_LIBRARY_PATH=openblas/usr/lib/x86_64-linux-gnu/openblas-pthread python3 bench/pytorch/rnn_step.py
"""
import argparse
import json
import statistics
import time

import torch

STEPS = 256


def build(arch, hidden):
    if arch == "rnn":
        return torch.nn.RNN(hidden, hidden, 1, nonlinearity="tanh")
    if arch == "gru":
        return torch.nn.GRU(hidden, hidden, 1)
    return torch.nn.LSTM(hidden, hidden, 1)


def median_us(fn, per_call_steps, budget_s=0.5, samples=7):
    fn()  # warm-up
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < budget_s / 4:
        fn()
        n += 1
    reps = max(1, int(n * (budget_s / samples) / max(time.perf_counter() - t0, 1e-9)))
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        times.append((time.perf_counter() - t) / reps / per_call_steps * 1e6)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--hidden", default="128,256,512,1024")
    ap.add_argument("--arch", default="rnn,gru,lstm")
    args = ap.parse_args()
    torch.manual_seed(0)
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        for arch in args.arch.split(","):
            for hidden in [int(h) for h in args.hidden.split(",")]:
                model = build(arch, hidden).eval()
                x = torch.randn(STEPS, 1, hidden)
                with torch.inference_mode():
                    def sequence():
                        model(x)

                    def steps():
                        state = None
                        for t in range(STEPS):
                            _, state = model(x[t:t + 1], state)

                    for mode, fn in (("sequence", sequence), ("step", steps)):
                        us = median_us(fn, STEPS)
                        print(json.dumps({"bench": "rnn_step", "arch": arch, "hidden": hidden, "batch": 1,
                                          "threads": threads, "us_per_step": round(us, 3),
                                          "impl": "pytorch", "mode": mode}, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
