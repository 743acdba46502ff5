"""Appendices: provenance for the methods appendix (package versions, the data sources used) and,
for a build on a real extract, the data-provenance appendix: the extract's files with their content
hashes and sizes, the rows of each table by year, and the data-contract check. Only names, hashes and
counts are shown; counts of persons below the suppression threshold are hidden."""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from jahwal.display.disclosure import SUPPRESSED
from jahwal.inputs.contract import TABLES, Extract

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


# ---------------------------------------------------------------- data provenance (real extracts)
#: Korean name of each extract table
TABLE_LABELS = {alias: table.name for alias, table in TABLES.items()}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def extract_files(report: dict[str, Any]) -> pd.DataFrame:
    """The extract's files: table, file name, format, size, SHA-256 and rows.

    Parameters
    ----------
    report : dict
        The result of :func:`jahwal.contract.validate_extract` (``files`` and
        ``rows`` per table).

    Returns
    -------
    DataFrame
        ``표, 파일, 형식, 크기(KB), SHA-256, 행 수``. Only the file name is
        shown, never the folder it was read from.
    """
    rows = []
    for alias, file in report["files"].items():
        path = Path(file)
        rows.append(
            {
                "표": TABLE_LABELS.get(alias, alias),
                "파일": path.name,
                "형식": path.suffix.lstrip(".").upper(),
                "크기(KB)": round(path.stat().st_size / 1024, 1),
                "SHA-256": _sha256(path),
                "행 수": int(report["rows"].get(alias, 0)),
            }
        )
    return pd.DataFrame(rows, columns=["표", "파일", "형식", "크기(KB)", "SHA-256", "행 수"])


def rows_by_year(ex: Extract, threshold: int = 10) -> pd.DataFrame:
    """Rows of each table by year, after the loading rules (first entry per year, window).

    Counts from 1 to ``threshold - 1`` are shown as ``x``.

    Returns
    -------
    DataFrame
        ``연도`` and one column per table (참여자, 단계기록, 상담기록, 성과).

    Examples
    --------
    >>> import pandas as pd
    >>> from jahwal.inputs.contract import Extract
    >>> p = pd.DataFrame({"year": [2022] * 12 + [2023] * 3})
    >>> ex = Extract(participants=p, stages=p, counselling=pd.DataFrame({"date": pd.to_datetime(["2022-05-01"] * 20)}),
    ...              outcomes=p.iloc[:0], window=("2022-01", "2023-12"))
    >>> rows_by_year(ex).values.tolist()
    [['2022', 12, 12, 20, 0], ['2023', 'x', 'x', 0, 0]]
    """
    y0, y1 = int(ex.window[0][:4]), int(ex.window[1][:4])
    years = list(range(y0, y1 + 1))
    counts = {
        "participants": ex.participants["year"].value_counts(),
        "stages": ex.stages["year"].value_counts(),
        "counselling": pd.to_datetime(ex.counselling["date"]).dt.year.value_counts(),
        "outcomes": ex.outcomes["year"].value_counts() if len(ex.outcomes) else pd.Series(dtype=int),
    }
    out = pd.DataFrame({"연도": [str(y) for y in years]})
    for alias, vc in counts.items():
        vals = [int(vc.get(y, 0)) for y in years]
        out[TABLE_LABELS[alias]] = [SUPPRESSED if 0 < v < threshold else v for v in vals]
    return out


def validation_summary(report: dict[str, Any], ex: Extract, threshold: int = 10) -> dict[str, Any]:
    """Numbers for the appendix's sentence on the data-contract check.

    Returns
    -------
    dict
        ``n_tables``, ``n_rows`` (all tables), ``dropped`` (same-year
        re-entries removed by the first-entry rule; ``x`` below the
        threshold), ``window_start``, ``window_end``.
    """
    dropped = int(ex.dropped_duplicates)
    return {
        "n_tables": len(report["rows"]),
        "n_rows": int(sum(report["rows"].values())),
        "dropped": SUPPRESSED if 0 < dropped < threshold else dropped,
        "window_start": ex.window[0],
        "window_end": ex.window[1],
    }


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
