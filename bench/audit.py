"""Benchmark: the audit's mutation test (detection rate and time).

Each published numeric cell of the reference folder is multiplied in turn by a
fixed factor (printed decimals kept) and the checks that read it are run again
in memory. Prints the share of changes caught naming the cell's own table,
separately for cells a recomputation constrains and cells only bounds do.
Target: at least 90% of the recomputed cells, in well under 60 s.

    .venv/bin/python bench/audit.py [--factor 1.1] [--reference data/reference]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

TARGET_RATE = 0.9
TARGET_SECONDS = 60.0


def main(argv: list[str] | None = None) -> int:
    from jahwal.analysis import audit

    ap = argparse.ArgumentParser(description="재현성 점검 변경 검출률 / audit mutation detection rate")
    ap.add_argument("--factor", type=float, default=1.1)
    ap.add_argument("--reference", default=str(ROOT / "data" / "reference"))
    args = ap.parse_args(argv)
    try:
        res = audit.mutation_test(args.reference, factor=args.factor)
    except ValueError as exc:
        print(f"오류 / error: {exc}", file=sys.stderr)
        return 2
    print(audit.mutation_summary(res))
    ok = res["rate_exact"] >= TARGET_RATE and res["seconds"] < TARGET_SECONDS
    print(f"목표 / target: ≥{TARGET_RATE:.0%}, <{TARGET_SECONDS:.0f}초 — {'충족 / met' if ok else '미달 / missed'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
