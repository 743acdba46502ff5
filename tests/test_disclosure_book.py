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


class _PageText(HTMLParser):
    """The visible text of a page (without scripts and styles)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def test_search_index_ties_no_number_to_a_page_that_the_page_does_not_print(book):
    """Criterion: every number term (a term starting with digits) that the search index ties to a page is a
    digit run printed in that page's visible text. With the count cells of every page free of 1 … threshold-1
    (above) and every prose count in the checked ledger, the index then reveals no suppressed count: a hidden
    cell's value could only enter the index through text that no page prints."""
    built, _ = book
    html = Path(built.html)
    raw = (html / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    docs = index["docnames"]
    printed: dict[int, set[str]] = {}
    pairs, unprinted = 0, []
    for kind in ("terms", "titleterms"):
        for term, where in index[kind].items():
            m = re.match(r"\d+", term)
            if not m:
                continue
            for d in where if isinstance(where, list) else [where]:
                if d not in printed:
                    p = _PageText()
                    p.feed((html / f"{docs[d]}.html").read_text(encoding="utf-8"))
                    printed[d] = set(re.findall(r"\d+", " ".join(p.parts)))
                pairs += 1
                if m.group(0) not in printed[d]:
                    unprinted.append((term, docs[d]))
    assert pairs > 500  # the index does hold the book's numbers
    assert unprinted == []
