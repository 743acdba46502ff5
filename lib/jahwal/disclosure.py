"""Disclosure control: suppression of small cells and the gate over published outputs.

Only aggregates leave the library. Before rendering, :func:`check_notebooks`
refuses an executed notebook whose outputs publish a person count between 1 and
``threshold - 1``, hold person-level rows, or match a Korean personal-data
pattern (resident registration number, phone number, e-mail address). After
rendering, :func:`scan_html` checks the HTML folder for the same patterns and
for copied source notebooks.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .errors import JahwalError

SUPPRESSED = "x"
TABLE_MIME = "application/vnd.jahwal.table+json"
#: at most this many rows may a plain (non-``Table``) HTML table output have
MAX_PLAIN_ROWS = 60
ID_COLUMN_RE = re.compile(r"(^|[_\s])(person_?id|base_?id|participant_?id|pid|참여자\s*id|개인\s*id|주민)", re.I)
PII_PATTERNS = {
    "주민등록번호 / resident registration number": re.compile(r"(?<!\d)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])-?[1-4]\d{6}(?!\d)"),
    "휴대전화 번호 / mobile phone number": re.compile(r"(?<!\d)01[016789][-. ]?\d{3,4}[-. ]?\d{4}(?!\d)"),
    "전화번호 / phone number": re.compile(r"(?<!\d)0(2|[3-6][1-5])[-.) ]\d{3,4}[-. ]\d{4}(?!\d)"),
    "전자우편 / e-mail address": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
}


class DisclosureError(JahwalError):
    """An output would disclose persons; the build stops and keeps the last book."""

    exit_code = 3


# ------------------------------------------------------------------ suppression
def suppress_counts(
    df: pd.DataFrame,
    count_columns: Iterable[str],
    threshold: int = 10,
    *,
    secondary: bool = True,
    total_row: Any = None,
    label_column: str | None = None,
    related: dict[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Suppress person counts below ``threshold`` (primary) and protect them (secondary).

    Parameters
    ----------
    df : DataFrame
        One row per cell group (e.g. province), count columns as numbers.
    count_columns : list of str
        Columns holding person counts.
    threshold : int
        Counts ``1 <= n < threshold`` are suppressed; 0 is shown.
    secondary : bool
        When a column has exactly one suppressed cell among rows that add up to
        a published total, also suppress the next smallest cell of that column,
        so that the hidden value cannot be recovered by subtraction.
    total_row : label, optional
        The value in ``label_column`` that marks the total row (kept, never
        suppressed, excluded from the secondary search).
    label_column : str, optional
        Column holding row labels (needed with ``total_row``).
    related : dict, optional
        ``{column: [dependent columns]}``: when a count is suppressed, the
        dependent columns in the same row (rates, means) are suppressed too.

    Returns
    -------
    DataFrame
        Same shape; suppressed cells hold ``"x"`` (object columns).

    Examples
    --------
    >>> df = pd.DataFrame({"시도": ["가", "나", "다", "계"], "인원": [5, 40, 30, 75]})
    >>> suppress_counts(df, ["인원"], 10, total_row="계", label_column="시도")["인원"].tolist()
    ['x', 40, 'x', 75]
    """
    count_columns = list(count_columns)
    for c in count_columns:
        if c not in df.columns:
            raise ValueError(f"열이 없습니다 / no column {c!r}")
    if threshold < 1:
        raise ValueError("threshold는 1 이상이어야 합니다 / threshold must be >= 1")
    out = df.copy()
    values = out[count_columns].apply(pd.to_numeric, errors="coerce")
    is_total = pd.Series(False, index=out.index)
    if total_row is not None:
        if label_column is None:
            raise ValueError("total_row에는 label_column이 필요합니다 / total_row needs label_column")
        is_total = out[label_column] == total_row
    mask = (values >= 1) & (values < threshold)
    mask.loc[is_total] = False
    if secondary:
        for c in count_columns:
            col_mask = mask[c]
            if col_mask.sum() == 1:
                candidates = values.loc[~col_mask & ~is_total, c].dropna()
                candidates = candidates[candidates > 0]
                if len(candidates):
                    mask.loc[candidates.idxmin(), c] = True
    related = related or {}
    for c in count_columns:
        out[c] = out[c].astype(object)
        out.loc[mask[c], c] = SUPPRESSED
        for dep in related.get(c, []):
            out[dep] = out[dep].astype(object)
            out.loc[mask[c], dep] = SUPPRESSED
    return out


def suppress_small_groups(df: pd.DataFrame, n_column: str, value_columns: Iterable[str], threshold: int = 10) -> pd.DataFrame:
    """Suppress statistics (means, SDs) of groups with fewer than ``threshold`` persons.

    Examples
    --------
    >>> df = pd.DataFrame({"n": [3, 50], "평균": [2.5, 4.1]})
    >>> suppress_small_groups(df, "n", ["평균"], 10).values.tolist()
    [['x', 'x'], [50, 4.1]]
    """
    out = df.copy()
    small = pd.to_numeric(out[n_column], errors="coerce").between(1, threshold - 1)
    for c in [n_column, *value_columns]:
        out[c] = out[c].astype(object)
        out.loc[small, c] = SUPPRESSED
    return out


# ------------------------------------------------------------------ gate
class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._stack: list[dict[str, Any]] = []
        self._in_th = False
        self._cell: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append({"rows": 0, "headers": [], "classes": dict(attrs).get("class", "")})
        elif tag == "tr" and self._stack:
            self._stack[-1]["rows"] += 1
        elif tag == "th":
            self._in_th, self._cell = True, []

    def handle_endtag(self, tag):
        if tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif tag == "th" and self._in_th:
            self._in_th = False
            if self._stack:
                self._stack[-1]["headers"].append("".join(self._cell).strip())

    def handle_data(self, data):
        if self._in_th:
            self._cell.append(data)


def html_tables(text: str) -> list[dict[str, Any]]:
    """Row counts, header texts and classes of the tables in an HTML fragment."""
    p = _TableParser()
    p.feed(text)
    return p.tables


def find_pii(text: str) -> list[tuple[str, str]]:
    """Personal-data patterns found in ``text`` as ``(kind, match)`` pairs.

    Examples
    --------
    >>> find_pii("연락처 010-1234-5678")
    [('휴대전화 번호 / mobile phone number', '010-1234-5678')]
    >>> find_pii("2019-2022년 1,334명")
    []
    """
    hits = []
    for kind, rx in PII_PATTERNS.items():
        for m in rx.finditer(text):
            hits.append((kind, m.group(0)))
    return hits


def _output_texts(output: dict[str, Any]) -> list[str]:
    if output.get("output_type") == "stream":
        return [output.get("text", "")]
    data = output.get("data", {})
    return [v if isinstance(v, str) else "".join(v) for k, v in data.items() if k.startswith("text/")]


def check_output(output: dict[str, Any], threshold: int) -> list[str]:
    """Problems in one notebook output (empty list when it may be published)."""
    problems = []
    data = output.get("data", {})
    payload = data.get(TABLE_MIME)
    if payload is not None:
        if payload.get("statistic", True):
            for col, vals in payload.get("counts", {}).items():
                small = [i for i, v in enumerate(vals) if v is not None and not np.isnan(v) and 1 <= v < threshold]
                if small:
                    problems.append(
                        f"표 {payload.get('key')}의 '{col}' 열 {', '.join(str(i + 1) for i in small[:5])}행에 "
                        f"{threshold}명 미만의 인원이 공개됩니다 / table {payload.get('key')} column '{col}' rows "
                        f"{', '.join(str(i + 1) for i in small[:5])} publish counts below {threshold}"
                    )
    else:
        html = data.get("text/html")
        if html:
            html = html if isinstance(html, str) else "".join(html)
            for t in html_tables(html):
                if t["rows"] > MAX_PLAIN_ROWS:
                    problems.append(
                        f"행이 {t['rows']}개인 표가 출력됩니다(개인 단위 자료로 의심) / an output table has {t['rows']} rows "
                        f"(looks like person-level data; publish aggregates with nb.glue_table)"
                    )
                ids = [h for h in t["headers"] if ID_COLUMN_RE.search(h)]
                if ids:
                    problems.append(f"개인 식별 열이 출력됩니다 / an output shows identifier columns: {ids}")
    for text in _output_texts(output):
        for kind, match in find_pii(text):
            problems.append(f"개인정보 형식이 출력됩니다 / output matches {kind}: {match[:4]}…")
    return problems


def check_notebooks(paths: Iterable[Path], threshold: int = 10, root: Path | None = None) -> dict[str, Any]:
    """Check executed notebooks before rendering; raise :class:`DisclosureError` on any problem."""
    import nbformat

    report: dict[str, Any] = {"threshold": threshold, "notebooks": 0, "outputs": 0, "exempt_tables": []}
    problems = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        name = str(path.relative_to(root)) if root else str(path)
        report["notebooks"] += 1
        for idx, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                for kind, match in find_pii(cell.source):
                    problems.append(f"{name} 셀 {idx}번 / cell {idx}: 본문이 {kind} 형식과 일치합니다: {match[:4]}…")
                continue
            if cell.cell_type != "code":
                continue
            for out in cell.get("outputs", []):
                report["outputs"] += 1
                payload = out.get("data", {}).get(TABLE_MIME)
                if payload is not None and not payload.get("statistic", True):
                    report["exempt_tables"].append(f"{name}:{payload.get('key')}")
                for p in check_output(out, threshold):
                    problems.append(f"{name} 셀 {idx}번 / cell {idx}: {p}")
    report["problems"] = problems
    if problems:
        raise DisclosureError(
            "공개 점검에서 막혔습니다 / the disclosure gate refused the outputs:\n" + "\n".join("  - " + p for p in problems)
        )
    return report


def scan_html(html_dir: Path, threshold: int = 10) -> dict[str, Any]:
    """Scan the rendered book: no notebooks, no source copies, no personal-data patterns."""
    html_dir = Path(html_dir)
    problems = []
    for p in html_dir.rglob("*.ipynb"):
        problems.append(f"원본 노트북이 복사되었습니다 / a notebook was copied into the site: {p.relative_to(html_dir)}")
    if (html_dir / "_sources").exists():
        problems.append("_sources 폴더가 있습니다 / the site holds _sources")
    pages = 0
    for p in html_dir.rglob("*.html"):
        pages += 1
        raw = p.read_text(encoding="utf-8", errors="replace")
        raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S | re.I)
        text = re.sub(r"<[^>]+>", " ", raw)
        for kind, match in find_pii(text):
            problems.append(f"{p.relative_to(html_dir)}: {kind}: {match[:4]}…")
    if problems:
        raise DisclosureError("게시 전 점검에서 막혔습니다 / the rendered book failed the scan:\n" + "\n".join("  - " + x for x in problems))
    return {"pages": pages, "problems": []}
