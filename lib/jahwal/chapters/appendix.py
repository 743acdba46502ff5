"""Appendices: provenance for the methods appendix: package versions and the data sources used."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

#: packages whose versions shape the results
PACKAGES = [
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "papermill",
    "pandas",
    "numpy",
    "scipy",
    "pingouin",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "pandera",
    "kiwipiepy",
    "sphinxcontrib-bibtex",
]


def package_versions(packages: list[str] | None = None) -> pd.DataFrame:
    """Installed versions of the packages that shape the book's results.

    Examples
    --------
    >>> package_versions(["pandas"])["패키지"].tolist()
    ['pandas']
    """
    rows = [{"패키지": "python", "버전": platform.python_version()}] if packages is None else []
    for name in packages or PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "설치되지 않음"
        rows.append({"패키지": name, "버전": version})
    return pd.DataFrame(rows)


def data_sources(paths: dict[str, str], root: str | Path = ".") -> pd.DataFrame:
    """The data folders and files a study uses, with their file counts and total size."""
    from jahwal.inputs.digest import tree_digest

    root = Path(root)
    rows = []
    for label, rel in paths.items():
        p = root / rel
        files = (
            [p]
            if p.is_file()
            else sorted(x for x in p.rglob("*") if x.is_file() and not x.name.startswith("."))
            if p.exists()
            else []
        )
        rows.append(
            {
                "자료": label,
                "경로": rel,
                "파일 수": len(files),
                "크기(KB)": round(sum(f.stat().st_size for f in files) / 1024, 1),
                "내용 해시(앞 12자리)": tree_digest(p)[:12] if p.exists() else "없음",
            }
        )
    return pd.DataFrame(rows)


#: Korean names of the benchmark cases (``bench/build.py``)
BENCH_CASES = {
    "synth": "합성 자료 생성(규모 1)",
    "empty": "빈 캐시에서 전체 빌드",
    "unchanged": "바뀐 것 없는 빌드",
    "one": "노트북 하나 바뀐 빌드",
    "scale10": "규모 10 전체 빌드",
    "jb-force": "비교: jupyter-book 자체 실행",
    "jb-cache": "비교: jupyter-book 캐시, 바뀐 것 없음",
}


def benchmark_table(path: str | Path) -> tuple[pd.DataFrame, str]:
    """The last build benchmark as a Korean table, and its headline as text.

    Parameters
    ----------
    path : path
        ``bench.json`` written by the benchmark; when it is missing the table
        has one row saying so.

    Returns
    -------
    table : DataFrame
        Columns ``구분, 시간(초), 최대 메모리(GiB), 목표, 달성``.
    headline : str
        How many times faster than jupyter-book's own execution, or a note.

    Examples
    --------
    >>> table, headline = benchmark_table("no-such-file.json")
    >>> table["구분"].tolist(), headline
    (['측정 기록 없음'], '측정 기록이 없습니다')
    """
    import json

    columns = ["구분", "시간(초)", "최대 메모리(GiB)", "목표", "달성"]
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
        cases = record["cases"]
    except (OSError, ValueError, KeyError):
        return pd.DataFrame([["측정 기록 없음", "", "", "", ""]], columns=columns), "측정 기록이 없습니다"
    rows = []
    for c in cases:
        if c["case"] == "one":
            target = (
                f"노트북 실행 {c['notebook_seconds']:.1f}초 + {c['target_s']:g}초 이내 (추가 {c['overhead_s']:.1f}초)"
            )
        elif c["case"] == "scale10":
            target = (
                f"{c['target_s']:g}초 이내, " if c.get("target_s") else ""
            ) + f"{c['memory_limit_gib']:g} GiB 이내"
        elif c.get("target_s") is not None:
            target = f"{c['target_s']:g}초 이내"
        else:
            target = "기준선"
        ok = {True: "예", False: "아니요"}.get(c.get("ok"), "")
        rows.append([BENCH_CASES.get(c["case"], c["case"]), f"{c['seconds']:.1f}", f"{c['peak_gib']:.2f}", target, ok])
    head = record.get("headline", {})
    parts = []
    if "empty_vs_jb_force" in head:
        parts.append(f"빈 캐시 빌드가 jupyter-book 자체 실행보다 {head['empty_vs_jb_force']:.1f}배 빠름")
    if "unchanged_vs_jb_cache" in head:
        parts.append(f"바뀐 것 없는 빌드가 jupyter-book 캐시보다 {head['unchanged_vs_jb_cache']:.1f}배 빠름")
    return pd.DataFrame(rows, columns=columns), ", ".join(parts) or "비교 기준선을 측정하지 않았습니다"
