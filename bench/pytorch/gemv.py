"""PyTorch baseline of `sequor bench --json gemv`: y = W·x with W (4H, H) (torch.mv, i.e. BLAS sgemv)."""
import torch

from common import emit, parse_args, seconds_per_call, set_threads, thread_counts

HIDDEN = [128, 256, 512, 1024]


def main():
    args = parse_args()
    torch.manual_seed(0)
    for h in HIDDEN:
        rows, cols = 4 * h, h
        w, x = torch.rand(rows, cols) * 2 - 1, torch.rand(cols) * 2 - 1
        y = torch.empty(rows)
        for t in thread_counts(args.threads):
            set_threads(t)
            s = seconds_per_call(lambda: torch.mv(w, x, out=y), 0.3, 7, 0.03)
            nbytes = 4.0 * (rows * cols + rows + cols)
            emit({"bench": "gemv", "rows": rows, "cols": cols, "threads": t,
                  "gflops": 2.0 * rows * cols / s / 1e9, "gb_per_s": nbytes / s / 1e9})


if __name__ == "__main__":
    main()
