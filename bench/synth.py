"""Benchmark of the synthetic extract generator: time and peak memory at scale 1 and 10.

Targets (issue 3): scale 1 in at most 20 s, scale 10 in at most 3 minutes, at most 4 GiB.
Each scale runs in its own process so that peak memory (max RSS) is measured alone.

    .venv/bin/python bench/synth.py [--scales 1 10] [--out _build/bench]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {1.0: 20.0, 10.0: 180.0}
MEMORY_LIMIT_GIB = 4.0

CHILD = """
import sys, time, resource
sys.path.insert(0, {lib!r})
from jahwal.inputs import synth
t0 = time.perf_counter()
synth.write_extract({out!r}, scale={scale}, seed=20230101, years=(2019, 2022), reference_dir={ref!r})
print(time.perf_counter() - t0)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(scale: float, workdir: Path) -> dict:
    code = CHILD.format(
        lib=str(ROOT / "lib"), out=str(workdir / f"scale{scale:g}"), scale=scale, ref=str(ROOT / "data" / "reference")
    )
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    inner, rss_kib = proc.stdout.split()[-2:]
    peak_gib = int(rss_kib) / 1024 / 1024
    target = TARGETS.get(scale)
    return {
        "scale": scale,
        "seconds": round(float(inner), 2),
        "seconds_with_start": round(wall, 2),
        "peak_memory_gib": round(peak_gib, 3),
        "time_target_s": target,
        "time_ok": None if target is None else float(inner) <= target,
        "memory_ok": peak_gib <= MEMORY_LIMIT_GIB,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scales", nargs="+", type=float, default=[1.0, 10.0])
    ap.add_argument("--out", default=str(ROOT / "_build" / "bench"))
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            r = run(scale, Path(tmp))
            results.append(r)
            flag = "통과" if r["time_ok"] in (True, None) and r["memory_ok"] else "미달"
            print(f"scale {scale:g}: {r['seconds']} s, 최대 메모리 {r['peak_memory_gib']} GiB → {flag}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "synth.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0 if all(r["time_ok"] in (True, None) and r["memory_ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
