#!/usr/bin/env bash
# Runs `sequor bench --json NAME...` and the matching PyTorch baselines bench/pytorch/NAME.py in the same
# run, then prints, for every pair of lines whose non-measured fields agree, both figures and the
# Sequor/PyTorch speed ratio (> 1: Sequor is faster; times are inverted so the ratio always reads so).
# A variant field (e.g. rnn_step's "mode": "sequence" | "step", how PyTorch was called) is a field only
# the PyTorch lines carry: it is left out of the pairing and each variant gets its own ratio line.
#
#   bench/compare.sh [--threads N] NAME...      e.g. bench/compare.sh gemm gemv
#
# PYTHON picks the interpreter that has torch (default: the system python3, /usr/bin/python3 on Debian).
# torch must run on an optimised BLAS (OpenBLAS); the baselines warn on stderr when it does not.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-/usr/bin/python3}"
threads=()
if [[ "${1:-}" == "--threads" ]]; then threads=(--threads "$2"); shift 2; fi
if [[ $# -eq 0 ]]; then echo "usage: bench/compare.sh [--threads N] NAME..." >&2; exit 2; fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# package and exec in one invocation: the toolchain (JDK 25) is selected during the build.
./mvnw -q -B -DskipTests package exec:exec -Dargs="bench --json ${threads[*]} $*" > "$out/sequor.jsonl"
: > "$out/pytorch.jsonl"
for name in "$@"; do
  script="bench/pytorch/$name.py"
  if [[ -f "$script" ]]; then
    (cd bench/pytorch && "$PYTHON" "$name.py" "${threads[@]}") >> "$out/pytorch.jsonl"
  else
    echo "compare.sh: no $script, $name has no PyTorch baseline" >&2
  fi
done

"$PYTHON" - "$out/sequor.jsonl" "$out/pytorch.jsonl" <<'PY'
import json, sys

# Measured fields and whether larger is better; every other field identifies the configuration.
HIGHER = {"gflops", "gb_per_s", "tokens_per_s", "steps_per_s", "samples_per_s"}
LOWER = {"us_per_step", "ns_per_elem", "ms_per_step", "us_per_token", "ms_per_token", "seconds", "ms", "us", "ns"}
IGNORED = {"impl", "max_ulp"}

def measured(key):
    return key in HIGHER or key in LOWER or key.endswith(("_per_s", "_ms", "_us", "_ns", "_seconds"))

def lower_is_better(key):
    return key in LOWER or key.endswith(("_ms", "_us", "_ns", "_seconds")) or key.startswith(("us_per", "ns_per", "ms_per"))

def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


ours, theirs = load(sys.argv[1]), load(sys.argv[2])

def identifying(r):
    return {k: v for k, v in r.items() if not measured(k) and k not in IGNORED}

# A PyTorch line pairs with one of ours when it agrees on every field that identifies ours; fields only
# the PyTorch line has (its "mode", or "threads" where our contract line has none) name a variant of
# the baseline, printed with its ratio.
for r in ours:
    mine = identifying(r)
    matches = [t for t in theirs if all(k in t and t[k] == v for k, v in mine.items())]
    config = " ".join(f"{k}={v}" for k, v in mine.items())
    if not matches:
        print(json.dumps(r, separators=(",", ":")))
        continue
    for t in matches:
        variant = "".join(f" pytorch_{k}={v}" for k, v in sorted(identifying(t).items()) if k not in mine)
        for k, v in r.items():
            if measured(k) and k in t and isinstance(v, (int, float)) and isinstance(t[k], (int, float)) and v and t[k]:
                ratio = t[k] / v if lower_is_better(k) else v / t[k]
                print(f"{config}{variant}  {k}: sequor={v:.4g} pytorch={t[k]:.4g}  sequor/pytorch={ratio:.3f}")
PY
