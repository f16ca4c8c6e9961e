"""PyTorch baseline of `sequor bench --json gemm`: square C = A·B (torch.mm, i.e. BLAS sgemm)."""
import torch

from common import emit, parse_args, seconds_per_call, set_threads, thread_counts, warn_if_reference_blas

SIZES = [256, 512, 1024, 2048]


def main():
    args = parse_args()
    torch.manual_seed(0)
    warned = False
    for n in SIZES:
        a, b = torch.rand(n, n) * 2 - 1, torch.rand(n, n) * 2 - 1
        c = torch.empty(n, n)
        for t in thread_counts(args.threads):
            set_threads(t)
            s = seconds_per_call(lambda: torch.mm(a, b, out=c), 0.6 if n >= 1024 else 0.3, 5 if n >= 2048 else 7)
            if not warned:
                warn_if_reference_blas()
                warned = True
            emit({"bench": "gemm", "m": n, "n": n, "k": n, "threads": t, "gflops": 2.0 * n ** 3 / s / 1e9})


if __name__ == "__main__":
    main()
