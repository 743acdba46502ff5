"""Korean search: the bigram search language, its query splitter, and the search page in Chromium.

Three levels: the splitting rules in Python; a tiny Sphinx project built with and
without ``jahwal.publish.sphinx_ext`` and searched in headless Chromium (the plain build
shows the problem: "상담" finds nothing); and the real book.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from book_fixture import book_server, browser, built_book, search  # noqa: F401  (pytest fixtures)
from jahwal.publish import sphinx_ext
from jahwal.publish.sphinx_ext import KoreanSearch, index_terms, query_terms, split_query

# ---------------------------------------------------------------- splitting rules


def test_index_terms_hold_the_word_and_its_hangul_bigrams():
    assert index_terms("초기상담") == ["초기상담", "초기", "기상", "상담"]
    assert "상담" in index_terms("초기상담을")
    assert {"사례", "관리", "리자"} <= set(index_terms("사례관리자와의"))
    assert index_terms("IAP를") == ["IAP를", "IAP"]
    assert index_terms("welfare") == ["welfare"]
    assert index_terms("가") == ["가"]


def test_query_terms_are_bigrams_of_hangul_words():
    assert query_terms("상담") == ["상담"]
    assert query_terms("사례관리자") == ["사례", "례관", "관리", "리자"]
    # every query piece of a word is indexed for any word that contains it
    for word, text in [
        ("상담", "초기상담"),
        ("사례관리자", "사례관리자와의"),
        ("관리", "통합사례관리는"),
        ("IAP", "IAP를"),
    ]:
        assert set(query_terms(word)) <= set(index_terms(text)), (word, text)
    assert not set(query_terms("상담원")) <= set(index_terms("초기상담"))


def test_split_query_keeps_order_and_drops_duplicates():
    assert split_query("초기상담, 상담!") == ["초기", "기상", "상담"]
    assert split_query("") == []


def test_search_language_split_and_stem():
    lang = KoreanSearch({})
    words = lang.split("통합사례관리는 tables를 만든다")
    assert "통합사례관리는" in words and "사례" in words and "tables" in words
    assert lang.stem("상담을") == "상담을"
    assert lang.stem("Tables") == "tabl"  # Latin words keep English stemming
    assert lang.lang == "ko" and "function splitQuery" in lang.js_splitter_code


def test_duplicate_scripts_are_dropped():
    from sphinx.builders.html._assets import _JavaScript

    a = _JavaScript(None, body='const THEBE_JS_URL = "x"')
    files = [a, _JavaScript("b.js"), _JavaScript("", body='const THEBE_JS_URL = "x"'), _JavaScript(None, body="let y")]
    context = {"script_files": files}
    sphinx_ext._dedupe_scripts(None, "p", "page.html", context, None)
    assert context["script_files"] is files and [js.attributes.get("body") for js in files] == [
        a.attributes["body"],
        None,
        "let y",
    ]


# ---------------------------------------------------------------- a tiny Sphinx project
PAGES = {
    "index.rst": "시험 책\n=======\n\n.. toctree::\n\n   a\n   b\n   c\n",
    "a.rst": (
        "초기상담 과정\n=============\n\n통합사례관리는 복지 대상자의 초기상담 이후 사례회의를 거쳐 종결한다.\n\n"
        "========  ======\n구분      인원\n========  ======\n남성      1,234\n여성      56\n========  ======\n"
    ),
    "b.rst": "실무자 면접\n===========\n\n사례관리자와의 관계가 중요하다. IAP를 수립한다.\n",
    "c.rst": "자산 형성\n=========\n\n저축 지원과 tables 정리.\n",
}


def sphinx_project(folder: Path, extension: bool) -> Path:
    folder.mkdir(parents=True)
    ext = '["jahwal.publish.sphinx_ext"]' if extension else "[]"
    (folder / "conf.py").write_text(
        f'project = "시험"\nlanguage = "ko"\nextensions = {ext}\nhtml_theme = "sphinx_book_theme"\n', encoding="utf-8"
    )
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = folder / "_build" / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", str(folder), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    base = tmp_path_factory.mktemp("search")
    return {"with": sphinx_project(base / "with", True), "plain": sphinx_project(base / "plain", False)}


def search_terms(html: Path) -> dict:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[len("Search.setIndex(") : -1])["terms"]


def test_index_of_tiny_project(tiny):
    terms = search_terms(tiny["with"])
    assert {"초기상담", "상담", "사례관리자와의", "리자", "iap를", "iap"} <= set(terms)
    plain = search_terms(tiny["plain"])
    assert "초기상담" in plain and "상담" not in plain and "리자" not in plain
    assert "jahwal: Korean query splitter" in (tiny["with"] / "_static" / "language_data.js").read_text(
        encoding="utf-8"
    )


def test_page_furniture_of_tiny_project(tiny):
    from fontTools.ttLib import TTFont

    html = tiny["with"]
    font = TTFont(str(html / "_static" / "fonts" / "NanumGothic.ttf"))
    assert not [t for t in font.keys() if t.startswith("TSI")]
    assert 0xC0C1 in font.getBestCmap()  # 상
    page = (html / "a.html").read_text(encoding="utf-8")
    assert "jahwal-book.css" in page and 'rel="icon" href="_static/jahwal-favicon.svg"' in page
    assert 'data-default-mode="light"' in page
    assert page.count("var togglebuttonSelector") <= 1


def test_markdown_tables_get_downloads(tiny):
    html = tiny["with"]
    page = (html / "a.html").read_text(encoding="utf-8")
    assert 'href="tables/a-table-1.csv" download>CSV</a>' in page
    csv = pd.read_csv(html / "tables" / "a-table-1.csv", encoding="utf-8-sig")
    xlsx = pd.read_excel(html / "tables" / "a-table-1.xlsx")
    expected = pd.DataFrame({"구분": ["남성", "여성"], "인원": [1234, 56]})
    pd.testing.assert_frame_equal(csv, expected)
    pd.testing.assert_frame_equal(xlsx, expected)


@pytest.mark.browser
def test_search_page_finds_korean_words_inside_compounds(tiny, browser):
    from jahwal.publish.browser import serve

    with serve(tiny["with"]) as base:
        # index.html lists the page titles (its toctree), so "상담" also finds the home page
        assert search(browser, base, "상담") == ["a.html", "index.html"]
        assert search(browser, base, "사례관리자") == ["b.html"]
        assert search(browser, base, "초기상담") == ["a.html", "index.html"]
        assert search(browser, base, "복지") == ["a.html"]
        assert search(browser, base, "IAP") == ["b.html"]
        assert search(browser, base, "table") == ["c.html"]
        assert search(browser, base, "상담원") == []
        assert sorted(search(browser, base, "관리")) == ["a.html", "b.html"]
    with serve(tiny["plain"]) as base:  # what Sphinx does without the extension:
        assert search(browser, base, "상담") == []  # two letters: whole words only
        assert search(browser, base, "관리") == []
        assert search(browser, base, "사례관리자") == ["b.html"]  # longer words match prefixes


QUERIES = ["상담", "관리", "사례관리자", "초기상담", "자활사례관리"]


@pytest.mark.browser
def test_javascript_splitter_matches_python(tiny, browser):
    from jahwal.publish.browser import serve

    samples = QUERIES + ["IAP를 수립", "2022년 상담", "e-mail 상담원!", "가 나 다", "welfare tables", "상담—사례"]
    with serve(tiny["with"]) as base:
        browser.get(base + "search.html")
        got = browser.execute_script("return arguments[0].map((q) => splitQuery(q));", samples)
    assert got == [split_query(q) for q in samples]


# ---------------------------------------------------------------- the real book
def _article_texts(html: Path, pages: list[str]) -> dict[str, str]:
    from bs4 import BeautifulSoup

    out = {}
    for page in pages:
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        art = soup.select_one("article.bd-article") or soup
        for tag in art.select("script, style"):
            tag.decompose()
        out[page] = " ".join(art.get_text(" ").split())
    return out


@pytest.mark.slow
@pytest.mark.browser
def test_search_in_the_book(built_book, book_server, browser):
    """On the real book every page whose text holds the query inside a longer word is found."""
    from jahwal.publish.toc import toc_entries

    pages = [re.sub(r"\.(ipynb|md)$", "", e["file"]) + ".html" for e in toc_entries(built_book.root)]
    texts = _article_texts(built_book.html, pages)
    checked = 0
    for q in QUERIES:
        inside = {p for p, t in texts.items() if re.search(rf"[가-힣]{re.escape(q)}|{re.escape(q)}[가-힣]", t)}
        found = search(browser, book_server, q)
        missing = inside - set(found)
        assert not missing, f"'{q}' 검색이 놓친 쪽 / pages the search missed: {sorted(missing)}"
        having = {p for p, t in texts.items() if all(b in t for b in query_terms(q))}
        extra = [p for p in found if p in texts and p not in having]
        assert not extra, f"'{q}': 조각이 없는 쪽이 나왔습니다 / results without the query pieces: {extra}"
        checked += len(inside)
    assert checked >= 10, "the book should use these words inside compounds"
    # the two cases of the issue, on the book's own pages
    with_compound = {p for p, t in texts.items() if "초기상담" in t}
    with_particle = {p for p, t in texts.items() if re.search(r"사례관리자(와|의|가|는|를|에게)", t)}
    assert with_compound and with_particle
    assert with_compound <= set(search(browser, book_server, "상담"))
    assert with_particle <= set(search(browser, book_server, "사례관리자"))
