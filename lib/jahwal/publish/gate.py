"""Disclosure gate over published outputs (the suppression itself is
:func:`jahwal.display.disclosure.protect`).

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

from jahwal.display.nb import TABLE_MIME
from jahwal.errors import JahwalError

#: at most this many rows may a plain (non-``Table``) HTML table output have
MAX_PLAIN_ROWS = 60
ID_COLUMN_RE = re.compile(
    r"(^|[_\s(])(person_?id|base_?id|participant_?id|pid|참여자\s*id|개인\s*id|주민\s*등록|주민\s*번호|성명)", re.I
)
PII_PATTERNS = {
    # 주민등록번호 and 외국인등록번호 (7th digit 1-8), with or without the hyphen, also with the last six masked
    "주민등록번호 / resident registration number": re.compile(
        r"(?<![\d.-])\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(-?[1-8]\d{6}|-[1-8][*xX●]{6})(?![\d-]|\.\d)"
    ),
    "휴대전화 번호 / mobile phone number": re.compile(r"(?<![\d.-])01[016789][-. ]?\d{3,4}[-. ]?\d{4}(?![\d-]|\.\d)"),
    "전화번호 / phone number": re.compile(
        r"(?<![\d-])(\(0(2|[3-6][1-5]|70)\)\s?|0(2|[3-6][1-5]|70)[-. )])\d{3,4}[-. ]\d{4}(?![\d-])"
    ),
    "전자우편 / e-mail address": re.compile(
        r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    ),
}
#: strings that show notebook internals (glue payloads, papermill metadata) leaked into a page
LEAK_MARKERS = (TABLE_MIME, '"papermill"', "injected-parameters", "application/papermill")
#: site pages made by Sphinx itself, not by the book's sources (skipped by the table checks)
GENERATED_PAGES = ("genindex.html", "search.html", "py-modindex.html")


class DisclosureError(JahwalError):
    """An output would disclose persons; the build stops and keeps the last book."""

    exit_code = 3


# ------------------------------------------------------------------ gate
class _TableParser(HTMLParser):
    """Tables of an HTML fragment: data rows, header texts, and their jahwal wrapper if any."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict[str, Any]] = []
        self._stack: list[dict[str, Any]] = []
        self._divs: list[dict[str, Any] | None] = []
        self._cell: list[str] | None = None
        self._row_has_td = False

    def _wrapper(self) -> dict[str, Any] | None:
        for d in reversed(self._divs):
            if d is not None:
                return d
        return None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div":
            classes = (a.get("class") or "").split()
            self._divs.append(
                {"key": a.get("data-table", ""), "statistic": a.get("data-statistic", "true") != "false"}
                if "jahwal-table-wrap" in classes
                else None
            )
        elif tag == "table":
            wrap = self._wrapper()
            self._stack.append(
                {
                    "rows": 0,
                    "headers": [],
                    "classes": a.get("class", "") or "",
                    "wrapped": wrap is not None,
                    "statistic": True if wrap is None else wrap["statistic"],
                    "key": "" if wrap is None else wrap["key"],
                }
            )
        elif tag == "tr" and self._stack:
            self._row_has_td = False
        elif tag == "td" and self._stack:
            self._row_has_td = True
        elif tag == "th" and self._stack:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "div" and self._divs:
            self._divs.pop()
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif tag == "tr" and self._stack and self._row_has_td:
            self._stack[-1]["rows"] += 1
            self._row_has_td = False
        elif tag == "th" and self._cell is not None:
            if self._stack:
                self._stack[-1]["headers"].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(text: str) -> list[dict[str, Any]]:
    """Data-row counts, header texts and wrappers of the tables in an HTML fragment.

    Each item has ``rows`` (rows holding ``<td>`` cells), ``headers``, ``classes``,
    ``wrapped`` (inside a :class:`jahwal.display.nb.Table` wrapper), ``statistic`` and ``key``.

    Examples
    --------
    >>> t = html_tables('<table><tr><th>시도</th></tr><tr><td>서울</td></tr></table>')[0]
    >>> t["rows"], t["headers"], t["wrapped"]
    (1, ['시도'], False)
    """
    p = _TableParser()
    p.feed(text)
    p.close()
    return p.tables


def find_pii(text: str) -> list[tuple[str, str]]:
    """Personal-data patterns found in ``text`` as ``(kind, match)`` pairs.

    Examples
    --------
    >>> find_pii("연락처 010-1234-5678")
    [('휴대전화 번호 / mobile phone number', '010-1234-5678')]
    >>> find_pii("문의: 02-123-4567, hong@example.org")[0][0]
    '전화번호 / phone number'
    >>> find_pii("2019-2022년 1,334명, 2022-12-31, 표 Ⅲ-3")
    []
    """
    hits = []
    for kind, rx in PII_PATTERNS.items():
        for m in rx.finditer(text):
            hits.append((kind, m.group(0)))
    return hits


def _mask(match: str) -> str:
    """Show only the start of a personal-data match in messages.

    Examples
    --------
    >>> _mask("010-1234-5678")
    '010-…'
    """
    return match[:4] + "…"


#: papermill (scrapbook) stores glued outputs under this prefix: ``application/papermill.record/text/html``
RECORD_PREFIX = "application/papermill.record/"


def normalise_output(output: dict[str, Any]) -> dict[str, Any]:
    """The output with glued (papermill-recorded) mime types under their plain names.

    Examples
    --------
    >>> normalise_output({"data": {RECORD_PREFIX + "text/plain": "'1'"}})["data"]
    {'text/plain': "'1'"}
    """
    data = output.get("data")
    if not data or not any(k.startswith(RECORD_PREFIX) for k in data):
        return output
    out = dict(output)
    out["data"] = {(k[len(RECORD_PREFIX) :] if k.startswith(RECORD_PREFIX) else k): v for k, v in data.items()}
    return out


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "".join(value or [])


def _output_texts(output: dict[str, Any]) -> list[str]:
    if output.get("output_type") == "stream":
        return [_text(output.get("text", ""))]
    if output.get("output_type") == "error":
        return ["\n".join(output.get("traceback", []))]
    data = output.get("data", {})
    return [_text(v) for k, v in data.items() if k.startswith("text/")]


_TEXT_ROW = re.compile(r"^\s*\d+\s+\S")


def _text_table_problems(text: str) -> list[str]:
    """Person-level rows printed as text (a DataFrame ``print``)."""
    lines = [l for l in text.splitlines() if l.strip()]
    if not lines:
        return []
    problems = []
    rows = sum(1 for l in lines if _TEXT_ROW.match(l))
    if rows > MAX_PLAIN_ROWS:
        problems.append(
            f"{rows}행짜리 표가 글자로 출력됩니다(개인 단위 자료로 의심) / a printed table has {rows} rows "
            f"(looks like person-level data; publish aggregates with nb.glue_table)"
        )
    ids = [tok for tok in lines[0].split() if ID_COLUMN_RE.search(tok)]
    if ids and rows >= 2:
        problems.append(f"개인 식별 열이 출력됩니다 / an output shows identifier columns: {ids}")
    return problems


def _html_table_problems(html: str) -> list[str]:
    problems = []
    for t in html_tables(html):
        if t["wrapped"] and not t["statistic"]:
            continue
        if not t["wrapped"] and t["rows"] > MAX_PLAIN_ROWS:
            problems.append(
                f"행이 {t['rows']}개인 표가 출력됩니다(개인 단위 자료로 의심) / an output table has {t['rows']} rows "
                f"(looks like person-level data; publish aggregates with nb.glue_table)"
            )
        ids = [h for h in t["headers"] if ID_COLUMN_RE.search(h)]
        if ids:
            problems.append(f"개인 식별 열이 출력됩니다 / an output shows identifier columns: {ids}")
    return problems


def check_output(output: dict[str, Any], threshold: int) -> list[str]:
    """Problems in one notebook output (empty list when it may be published).

    A :class:`jahwal.display.nb.Table` output is checked through its payload: person
    counts in its ``count_columns`` must be 0 or at least ``threshold`` unless the
    table is marked ``statistic=False``. Other HTML outputs may not hold more than
    :data:`MAX_PLAIN_ROWS` rows or identifier columns; printed text may not hold
    such tables either. Every text of every output is searched for personal-data
    patterns, also in tables marked ``statistic=False``.

    Examples
    --------
    >>> out = {"output_type": "display_data", "data": {TABLE_MIME: {"key": "tab-1", "statistic": True,
    ...        "counts": {"인원": [120.0, 3.0, 0.0]}}}}
    >>> check_output(out, 10)[0].split(" / ")[0]
    "표 tab-1의 '인원' 열 2행에 10명 미만의 인원이 공개됩니다"
    """
    problems = []
    output = normalise_output(output)
    data = output.get("data", {})
    payload = data.get(TABLE_MIME)
    if payload is not None:
        if payload.get("statistic", True):
            for col, vals in payload.get("counts", {}).items():
                small = [
                    i
                    for i, v in enumerate(vals)
                    if v is not None and not (isinstance(v, float) and np.isnan(v)) and 1 <= v < threshold
                ]
                if small:
                    rows = ", ".join(str(i + 1) for i in small[:5]) + (" …" if len(small) > 5 else "")
                    problems.append(
                        f"표 {payload.get('key')}의 '{col}' 열 {rows}행에 {threshold}명 미만의 인원이 공개됩니다 / "
                        f"table {payload.get('key')} column '{col}' rows {rows} publish counts below {threshold}"
                    )
    else:
        html = data.get("text/html")
        if html:
            problems.extend(_html_table_problems(_text(html)))
        elif output.get("output_type") == "stream" or "text/plain" in data:
            for text in _output_texts(output):
                problems.extend(_text_table_problems(text))
    for text in _output_texts(output):
        for kind, match in find_pii(text):
            problems.append(f"개인정보 형식이 출력됩니다 / output matches {kind}: {_mask(match)}")
    return problems


INJECTED_TAG = "injected-parameters"


def _cell_label(name: str, idx: int, cell: dict[str, Any]) -> str:
    """Where a problem is: the notebook, the cell's index in the *source* notebook and its id."""
    if INJECTED_TAG in cell.get("metadata", {}).get("tags", []):
        return f"{name} 주입된 매개변수 셀 / injected parameters cell"
    cid = cell.get("id")
    extra = f", id {cid}" if cid else ""
    return f"{name} 셀 {idx}번{extra} / cell {idx}{extra}"


def _check_markdown_page(path: Path, name: str) -> list[str]:
    problems = []
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        for kind, match in find_pii(line):
            problems.append(
                f"{name} {lineno}행 / line {lineno}: 본문이 {kind} 형식과 일치합니다 / text matches: {_mask(match)}"
            )
    return problems


def check_notebooks(paths: Iterable[Path], threshold: int, root: Path | None = None) -> dict[str, Any]:
    """Check executed notebooks (and Markdown pages) before rendering.

    Parameters
    ----------
    paths : iterable of Path
        Executed ``.ipynb`` notebooks as they will be rendered; ``.md`` pages are
        searched for personal-data patterns.
    threshold : int
        Smallest person count that may be published (the study's
        ``suppression_threshold``).
    root : Path, optional
        Names in messages are relative to this folder.

    Returns
    -------
    dict
        ``threshold``, ``notebooks``, ``pages``, ``outputs``, ``tables`` (glued
        :class:`jahwal.display.nb.Table` outputs), ``exempt_tables`` (``path:key`` of the
        tables marked ``statistic=False``) and ``problems`` (empty).

    Raises
    ------
    DisclosureError
        Listing every problem, each naming the notebook and the cell (its
        index from 0 in the source notebook, i.e. not counting the cell papermill
        injects, and the cell id) or the page line.
    ValueError
        ``threshold`` below 1.
    """
    import nbformat

    if threshold < 1:
        raise ValueError("threshold는 1 이상이어야 합니다 / threshold must be >= 1")
    report: dict[str, Any] = {
        "threshold": threshold,
        "notebooks": 0,
        "pages": 0,
        "outputs": 0,
        "tables": 0,
        "exempt_tables": [],
    }
    problems: list[str] = []
    for path in paths:
        path = Path(path)
        name = str(path.relative_to(root)) if root else str(path)
        if path.suffix == ".md":
            report["pages"] += 1
            problems.extend(_check_markdown_page(path, name))
            continue
        nb = nbformat.read(path, as_version=4)
        report["notebooks"] += 1
        injected = 0  # papermill adds a cell after the parameters: count cells as in the source notebook
        for idx, cell in enumerate(nb.cells):
            where = _cell_label(name, idx - injected, cell)
            if INJECTED_TAG in cell.get("metadata", {}).get("tags", []):
                injected += 1
            if cell.cell_type == "markdown":
                for kind, match in find_pii(cell.source):
                    problems.append(f"{where}: 본문이 {kind} 형식과 일치합니다 / text matches: {_mask(match)}")
                continue
            if cell.cell_type != "code":
                continue
            tags = set(cell.get("metadata", {}).get("tags", []))
            if not tags & {"remove-cell", "remove-input"}:
                for kind, match in find_pii(cell.source):
                    problems.append(f"{where}: 코드가 {kind} 형식과 일치합니다 / code matches: {_mask(match)}")
            for out in cell.get("outputs", []):
                report["outputs"] += 1
                payload = normalise_output(out).get("data", {}).get(TABLE_MIME)
                if payload is not None:
                    report["tables"] += 1
                    if not payload.get("statistic", True):
                        report["exempt_tables"].append(f"{name}:{payload.get('key')}")
                for p in check_output(out, threshold):
                    problems.append(f"{where}: {p}")
    report["problems"] = problems
    if problems:
        raise DisclosureError(
            "공개 점검에서 막혔습니다 / the disclosure gate refused the outputs:\n"
            + "\n".join("  - " + p for p in problems)
        )
    return report


def _page_text(raw: str) -> str:
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", raw)
    import html as html_mod

    return html_mod.unescape(text)


def _download_texts(path: Path) -> tuple[list[str], list[str]]:
    """Header cells and all cell texts of a downloadable CSV or XLSX table."""
    if path.suffix == ".csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    else:
        df = pd.read_excel(path, dtype=str, keep_default_na=False, sheet_name=0)
    headers = [str(c) for c in df.columns]
    return headers, headers + [str(v) for v in df.to_numpy().ravel().tolist()]


def scan_html(html_dir: Path, threshold: int) -> dict[str, Any]:
    """Scan the rendered book before it is published.

    Refuses the site when it holds a notebook (``*.ipynb``) or a ``_sources``
    folder, when a page shows notebook internals (glue payloads, papermill
    metadata), when a page or a downloadable table (``tables/*.csv``,
    ``*.xlsx``) matches a personal-data pattern, or when a table outside a
    :class:`jahwal.display.nb.Table` has more than :data:`MAX_PLAIN_ROWS` rows, or any
    statistical table shows identifier columns.

    Returns
    -------
    dict
        ``pages``, ``tables``, ``downloads`` (files checked) and ``problems`` (empty).

    Raises
    ------
    DisclosureError
        Listing every problem with the file it was found in.
    """
    html_dir = Path(html_dir)
    if not html_dir.is_dir():
        raise ValueError(f"폴더가 없습니다 / no such folder: {html_dir}")
    problems = []
    for p in sorted(html_dir.rglob("*.ipynb")):
        problems.append(
            f"원본 노트북이 복사되었습니다 / a notebook was copied into the site: {p.relative_to(html_dir)}"
        )
    if (html_dir / "_sources").exists():
        problems.append("_sources 폴더가 있습니다(html_copy_source: false 필요) / the site holds _sources")
    pages = tables = downloads = 0
    exempt: set[str] = set()  # keys of tables marked statistic=False
    for p in sorted(html_dir.rglob("*.html")):
        pages += 1
        rel = p.relative_to(html_dir)
        raw = p.read_text(encoding="utf-8", errors="replace")
        for marker in LEAK_MARKERS:
            if marker in raw:
                problems.append(
                    f"{rel}: 노트북 내부 정보가 들어 있습니다 / the page holds notebook internals: {marker}"
                )
        for kind, match in find_pii(_page_text(raw)):
            problems.append(f"{rel}: {kind}: {_mask(match)}")
        if p.name in GENERATED_PAGES:
            continue
        found = html_tables(raw)
        tables += len(found)
        exempt.update(t["key"] for t in found if t["wrapped"] and not t["statistic"])
        for problem in _html_table_problems(raw):
            problems.append(f"{rel}: {problem}")
    for p in sorted(list(html_dir.rglob("*.csv")) + list(html_dir.rglob("*.xlsx"))):
        downloads += 1
        rel = p.relative_to(html_dir)
        try:
            headers, texts = _download_texts(p)
        except Exception as exc:  # an unreadable download is a problem too
            problems.append(f"{rel}: 읽을 수 없는 내려받기 파일 / unreadable download: {exc}")
            continue
        ids = [h for h in headers if ID_COLUMN_RE.search(h)]
        if ids and p.stem not in exempt:
            problems.append(f"{rel}: 개인 식별 열 / identifier columns: {ids}")
        for kind, match in find_pii("\n".join(texts)):
            problems.append(f"{rel}: {kind}: {_mask(match)}")
    if problems:
        raise DisclosureError(
            "게시 전 점검에서 막혔습니다 / the rendered book failed the scan:\n"
            + "\n".join("  - " + x for x in problems)
        )
    return {"pages": pages, "tables": tables, "downloads": downloads, "problems": []}
