"""The rendered test book: the attacker check ran and no person count 1 … threshold-1 is published."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from book_fixture import built_book  # noqa: F401  (pytest fixture)

pytestmark = pytest.mark.slow


class _CountCells(HTMLParser):
    """Texts of the count columns of every statistic table wrapper: ``{key: [cell texts]}``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: dict[str, list[str]] = {}
        self.columns: dict[str, list[int]] = {}
        self._wrap: list[tuple[str, list[int]] | None] = []
        self._col = 0
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div":
            if "jahwal-table-wrap" in (a.get("class") or "").split() and a.get("data-statistic") != "false":
                cols = [int(i) for i in (a.get("data-counts") or "").split(",") if i]
                self._wrap.append((a.get("data-table", ""), cols))
                self.columns[a.get("data-table", "")] = cols
            else:
                self._wrap.append(None)
        elif tag == "tr":
            self._col = 0
        elif tag == "td":
            self._col += 1
            self._text = []

    def handle_endtag(self, tag):
        if tag == "div" and self._wrap:
            self._wrap.pop()
        elif tag == "td" and self._text is not None:
            wrap = next((w for w in reversed(self._wrap) if w is not None), None)
            if wrap and self._col in wrap[1]:
                self.cells.setdefault(wrap[0], []).append("".join(self._text).strip())
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def _small(texts, threshold):
    out = []
    for t in texts:
        v = t.replace(",", "")
        if re.fullmatch(r"\d+(\.0+)?", v) and 1 <= float(v) < threshold:
            out.append(t)
    return out


@pytest.fixture(scope="module")
def book(built_book):  # noqa: F811
    log = json.loads((built_book.root / "_build" / "build-log.json").read_text(encoding="utf-8"))
    return built_book, log


def test_the_build_ran_the_attacker_check_and_it_passed(book):
    _, log = book
    check = log["attacker_check"]
    assert check["failures"] == []
    assert check["threshold"] == log["parameters"]["suppression_threshold"]
    assert check["cells"] > 100 and check["relations"] > 50  # Chapter Ⅲ's stage tables are in the ledger


def test_no_small_count_in_pages_or_downloads(book):
    built, log = book
    threshold = log["parameters"]["suppression_threshold"]
    columns: dict[str, list[int]] = {}
    found = []
    n_cells = 0
    for page in sorted(Path(built.html).rglob("*.html")):
        p = _CountCells()
        p.feed(page.read_text(encoding="utf-8", errors="replace"))
        columns.update(p.columns)
        for key, texts in p.cells.items():
            n_cells += len(texts)
            found += [(page.name, key, t) for t in _small(texts, threshold)]
    assert n_cells > 200
    assert found == []
    n_down = 0
    for f in sorted(Path(built.html).rglob("*.csv")):
        if f.stem not in columns:
            continue
        df = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for i in columns[f.stem]:
            n_down += len(df)
            found += [(f.name, df.columns[i - 1], t) for t in _small(df.iloc[:, i - 1].tolist(), threshold)]
    assert n_down > 50
    assert found == []
