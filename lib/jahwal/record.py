"""The data-provenance appendix of a build on a real extract.

What a reader needs to know that the book was made from a given extract:
its files with their content hashes and sizes, the rows of each table by
year, and the result of the data-contract check. Only names, hashes and
counts are shown; counts of persons below the suppression threshold are
hidden.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from . import contract

TABLE_LABELS = {alias: table.name for alias, table in contract.TABLES.items()}
SUPPRESSED = "x"


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
        rows.append({
            "표": TABLE_LABELS.get(alias, alias),
            "파일": path.name,
            "형식": path.suffix.lstrip(".").upper(),
            "크기(KB)": round(path.stat().st_size / 1024, 1),
            "SHA-256": _sha256(path),
            "행 수": int(report["rows"].get(alias, 0)),
        })
    return pd.DataFrame(rows, columns=["표", "파일", "형식", "크기(KB)", "SHA-256", "행 수"])


def rows_by_year(ex: contract.Extract, threshold: int = 10) -> pd.DataFrame:
    """Rows of each table by year, after the loading rules (first entry per year, window).

    Counts from 1 to ``threshold - 1`` are shown as ``x``.

    Returns
    -------
    DataFrame
        ``연도`` and one column per table (참여자, 단계기록, 상담기록, 성과).

    Examples
    --------
    >>> import pandas as pd
    >>> from jahwal.contract import Extract
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


def validation_summary(report: dict[str, Any], ex: contract.Extract, threshold: int = 10) -> dict[str, Any]:
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
