"""Benchmark of the book build: time and process-tree peak memory against the targets.

Cases, each a real ``jahwal build`` of the default study in a private copy of the
project (the project's own ``_build`` is not touched), run one after another:

============  =============================================================  ===============
case          what                                                           target
============  =============================================================  ===============
synth         synthetic extract at scale 1 (``jahwal synth``)                 5 s
empty         build with an empty notebook cache (extract cache empty too)   40 s
unchanged     the same build again, nothing changed                          3 s
one           one notebook changed: its own run time plus the rest          + 8 s
scale10       empty-cache build on a scale-10 extract                        2.5 × empty, 4 GiB
jb-force      jupyter-book's own execution (``execute_notebooks: force``)    baseline
jb-cache      jupyter-book with ``execute_notebooks: cache``, nothing changed baseline
============  =============================================================  ===============

Memory is the peak of the summed proportional set size (PSS: shared pages
split among the processes sharing them) of the whole process tree (the build,
its notebook workers and kernels, jupyter-book), sampled every 0.2 s with
psutil. The table is printed and written to ``_build/bench.json``;
the methods appendix shows it in the next build.

    .venv/bin/python bench/build.py [--cases empty unchanged one ...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
PARAMS = "params/report-2023.yml"
ONE_NOTEBOOK = "notebooks/33_stage_outcomes.ipynb"
ALL_CASES = ("synth", "empty", "unchanged", "one", "scale10", "jb-force", "jb-cache")
MEMORY_LIMIT_GIB = 4.0
TARGETS = {"synth": 5.0, "empty": 40.0, "unchanged": 3.0, "one": 8.0}
LABELS = {
    "synth": "합성 자료 생성(규모 1)",
    "empty": "빈 캐시에서 전체 빌드",
    "unchanged": "바뀐 것 없는 빌드",
    "one": "노트북 하나 바뀐 빌드(추가 시간)",
    "scale10": "규모 10 전체 빌드",
    "jb-force": "jupyter-book 자체 실행(force)",
    "jb-cache": "jupyter-book 자체 실행(cache, 바뀐 것 없음)",
}


# ---------------------------------------------------------------- measuring
def _memory(p: psutil.Process) -> int:
    """Proportional set size (shared pages split among their users), else resident size."""
    try:
        return p.memory_full_info().pss
    except (psutil.Error, AttributeError):
        try:
            return p.memory_info().rss
        except psutil.Error:
            return 0


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict:
    """Run ``cmd``; wall time and the peak summed RSS of its whole process tree."""
    peak = 0
    done = threading.Event()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    root = psutil.Process(proc.pid)

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for p in procs:
                total += _memory(p)
            peak = max(peak, total)
            done.wait(0.2)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - t0
    done.set()
    thread.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out[-3000:]}")
    return {"seconds": round(seconds, 2), "peak_gib": round(peak / 2**30, 3), "output": out[-2000:]}


def project_copy(target: Path) -> Path:
    """The files git would commit, copied into ``target``."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for rel in sorted({f for f in out.split("\0") if f}):
        src = ROOT / rel
        if src.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / rel)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def env_for(root: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(root / "lib"), "PYTHONHASHSEED": "0"}


def jahwal(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "jahwal.cli", *args]


def build_cmd(root: Path, params: str = PARAMS) -> list[str]:
    return jahwal(root, "build", "--params", params, "--quiet")


def log_of(root: Path) -> dict:
    return json.loads((root / "_build" / "build-log.json").read_text(encoding="utf-8"))


def drop_extract_cache(root: Path) -> None:
    for p in (root / "data" / "synthetic").rglob(".jahwal-cache"):
        shutil.rmtree(p)


PREPARE = """
import sys
from pathlib import Path
from jahwal.publish.build import BuildContext, prepare
from jahwal.study.params import load_params
root, params = Path(sys.argv[1]), sys.argv[2]
p = load_params(root / params, root, check_paths=False)
prepare(BuildContext(root=root, params_path=root / params, params=p, build_dir=root / "_build"))
"""


def prepare_extract(root: Path, params: str, env: dict[str, str]) -> None:
    """Make a study's synthetic extract (not timed)."""
    subprocess.run([sys.executable, "-c", PREPARE, str(root), params], cwd=root, env={**os.environ, **env}, check=True)


# ---------------------------------------------------------------- the jupyter-book baseline
def baseline_project(root: Path, mode: str) -> Path:
    """A copy set up for jupyter-book's own execution of the same notebooks.

    The notebooks run with their default parameters (the 2023 study) in their own
    folder, so ``notebooks/data`` points at the project's data.
    """
    jb = root.parent / f"jb-{mode}"
    if not jb.exists():
        project_copy(jb)
        data = root / "data"
        shutil.rmtree(jb / "data")
        (jb / "data").symlink_to(data)
        (jb / "notebooks" / "data").symlink_to(data)
    config = yaml.safe_load((jb / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": mode, "timeout": 1800}
    (jb / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return jb


def jupyter_book(jb: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "jupyter-book"), "build", str(jb), "--builder", "html"]


# ---------------------------------------------------------------- cases
def run_cases(cases: list[str], work: Path, out: Path | None = None, earlier: list[dict] | None = None) -> list[dict]:
    root = project_copy(work / "proj")
    env = env_for(root)
    results: list[dict] = list(earlier or [])

    def add(case: str, m: dict, **extra) -> dict:
        row = {"case": case, "label": LABELS[case], "seconds": m["seconds"], "peak_gib": m["peak_gib"], **extra}
        results.append(row)
        print(f"  {case}: {row['seconds']} s, {row['peak_gib']} GiB", flush=True)
        if out is not None:  # a partial record after every case
            write_record([dict(r) for r in results], out)
        return row

    if "synth" in cases:
        m = measure(jahwal(root, "synth", "--scale", "1", "--out", str(work / "synth1")), root, env)
        add("synth", m, target_s=TARGETS["synth"])
    # the default extract, made once outside the timed builds
    prepare_extract(root, PARAMS, env)
    drop_extract_cache(root)
    if {"empty", "unchanged", "one"} & set(cases):
        m = measure(build_cmd(root), root, env)
        add("empty", m, target_s=TARGETS["empty"])
    if "unchanged" in cases:
        before = _tree_state(root / "_build" / "html")
        m = measure(build_cmd(root), root, env)
        add(
            "unchanged",
            m,
            target_s=TARGETS["unchanged"],
            book_untouched=_tree_state(root / "_build" / "html") == before,
            status=log_of(root)["status"],
        )
    if "one" in cases:
        nb = root / ONE_NOTEBOOK
        data = json.loads(nb.read_text(encoding="utf-8"))
        code = next(
            c for c in data["cells"] if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", [])
        )
        src = code["source"] if isinstance(code["source"], str) else "".join(code["source"])
        code["source"] = src + "\n# 벤치마크: 한 노트북만 바꿈"
        nb.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        m = measure(build_cmd(root), root, env)
        own = next(n["seconds"] for n in log_of(root)["notebooks"] if n["notebook"] == ONE_NOTEBOOK)
        executed = [n["notebook"] for n in log_of(root)["notebooks"] if not n["cache_hit"]]
        add(
            "one",
            m,
            notebook_seconds=own,
            overhead_s=round(m["seconds"] - own, 2),
            target_s=TARGETS["one"],
            executed=executed,
        )
    if "scale10" in cases:
        spec = yaml.safe_load((root / PARAMS).read_text(encoding="utf-8"))
        spec["prepare"]["synthetic"]["scale"] = 10
        spec["prepare"]["synthetic"]["out"] = "data/synthetic/scale10"
        spec["parameters"]["extract_dir"] = "data/synthetic/scale10"
        (root / "params" / "bench-scale10.yml").write_text(
            yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        # the extract is made outside the timed build; the notebook cache is emptied
        subprocess.run(
            [sys.executable, "-m", "jahwal.cli", "synth", "--scale", "10", "--out", "data/synthetic/scale10"],
            cwd=root,
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
        prepare_extract(root, "params/bench-scale10.yml", env)
        shutil.rmtree(root / "_build", ignore_errors=True)
        add(
            "scale10",
            measure(build_cmd(root, "params/bench-scale10.yml"), root, env),
            memory_limit_gib=MEMORY_LIMIT_GIB,
        )
    if "jb-force" in cases:
        jb = baseline_project(root, "force")
        drop_extract_cache(root)  # like the empty-cache build, the first notebook validates the extract
        add("jb-force", measure(jupyter_book(jb), jb, env))
    if "jb-cache" in cases:
        jb = baseline_project(root, "cache")
        measure(jupyter_book(jb), jb, env)  # fills jupyter-cache (not timed)
        add("jb-cache", measure(jupyter_book(jb), jb, env))
    return results


def _tree_state(path: Path) -> list[tuple[str, int, int]]:
    return [
        (str(p.relative_to(path)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(path.rglob("*"))
        if p.is_file()
    ]


def judge(results: list[dict]) -> dict:
    """Targets met, ratios to jupyter-book and the headline."""
    by = {r["case"]: r for r in results}
    for r in results:
        if r["case"] == "one":
            r["ok"] = r["overhead_s"] <= r["target_s"]
        elif r["case"] == "scale10":
            r["target_s"] = round(2.5 * by["empty"]["seconds"], 2) if "empty" in by else None
            r["ok"] = (r["target_s"] is None or r["seconds"] <= r["target_s"]) and r["peak_gib"] <= MEMORY_LIMIT_GIB
        elif "target_s" in r:
            r["ok"] = r["seconds"] <= r["target_s"]
            if r["case"] == "unchanged":
                r["ok"] = r["ok"] and r.get("book_untouched", False)
    headline = {}
    if "empty" in by and "jb-force" in by:
        headline["empty_vs_jb_force"] = round(by["jb-force"]["seconds"] / by["empty"]["seconds"], 2)
    if "unchanged" in by and "jb-cache" in by:
        headline["unchanged_vs_jb_cache"] = round(by["jb-cache"]["seconds"] / by["unchanged"]["seconds"], 2)
    return headline


def print_table(results: list[dict], headline: dict) -> None:
    print(f"{'case':<10} {'seconds':>8} {'peak GiB':>9} {'target':>14} {'ok':>4}")
    for r in results:
        target = ""
        if r["case"] == "one":
            target = f"+{r['target_s']:g} s (+{r['overhead_s']:g})"
        elif r.get("target_s") is not None:
            target = f"{r['target_s']:g} s"
        if r["case"] == "scale10":
            target += f", {MEMORY_LIMIT_GIB:g} GiB"
        ok = {True: "yes", False: "NO", None: ""}[r.get("ok")]
        print(f"{r['case']:<10} {r['seconds']:>8.2f} {r['peak_gib']:>9.3f} {target:>14} {ok:>4}")
    for k, v in headline.items():
        print(f"headline {k}: {v}× faster")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", nargs="+", default=list(ALL_CASES), choices=ALL_CASES)
    ap.add_argument("--keep", default=None, help="work folder to keep (default: a temporary one)")
    ap.add_argument("--out", default=str(ROOT / "_build" / "bench.json"))
    ap.add_argument("--merge", action="store_true", help="keep the other cases of an earlier record in --out")
    args = ap.parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="jahwal-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"벤치마크 작업 폴더 / work folder: {work}", flush=True)
    out = Path(args.out)
    earlier = []
    if args.merge and out.exists():
        earlier = [c for c in json.loads(out.read_text(encoding="utf-8"))["cases"] if c["case"] not in args.cases]
    try:
        results = run_cases(args.cases, work, out, earlier)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    headline = write_record(results, out)
    print_table(results, headline)
    print(f"→ {out}")
    return 0 if all(r.get("ok", True) for r in results) else 1


def write_record(results: list[dict], out: Path) -> dict:
    """Judge the results and write them to ``out``; return the headline."""
    results.sort(key=lambda r: ALL_CASES.index(r["case"]))
    headline = judge(results)
    record = {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "cases": [{k: v for k, v in r.items() if k != "output"} for r in results],
        "headline": headline,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    return headline


if __name__ == "__main__":
    sys.exit(main())
