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
from jahwal.publish.sphinx_ext import (
    PIECE,
    SUFFIXES,
    KoreanSearch,
    analyse,
    bare_word,
    index_terms,
    query_terms,
    query_words,
    split_query,
)

# ---------------------------------------------------------------- splitting rules


def test_analyse_strips_particles_and_endings_with_kiwipiepy():
    assert analyse("자립성과금을")[0] == "자립성과금"
    assert analyse("사례관리자와의") == ("사례관리자", ("사례", "관리자"))
    assert analyse("상담에서") == ("상담", ("상담",))
    assert analyse("참여자들은") == ("참여자", ("참여자",))  # plural 들 goes with the particle
    assert analyse("분석했다")[0] == "분석" and analyse("증가하였다")[0] == "증가"  # 하다 verbs keep the noun
    assert analyse("높았다") == ("높", ("높",)) and analyse("낮은") == ("낮", ("낮",))
    assert analyse("초기상담") == ("초기상담", ("초기", "상담"))  # compounds stay whole, their nouns are added


def test_index_terms_hold_bare_word_nouns_and_marked_pieces():
    assert index_terms("초기상담") == ["초기상담", "초기", "상담", "초기~", "기상~", "상담~"]
    terms = index_terms("사례관리자와의")
    assert terms[:3] == ["사례관리자", "사례", "관리자"] and "사례관리자와의" not in terms
    assert {"사례~", "례관~", "관리~", "리자~"} <= set(terms)
    assert index_terms("참여자들은")[0] == "참여자"
    assert index_terms("높았다")[0] == "높"
    assert index_terms("IAP를") == ["IAP"]
    assert index_terms("2022년") == ["2022년", "2022~"]
    assert index_terms("2022") == ["2022", "2022~"]
    assert index_terms("welfare") == ["welfare"]
    assert index_terms("가") == ["가"]


#: (query, bare word) with a lexicon as the book's index would have it
LEXICON = {
    "자립성과금",
    "사례관리자",
    "상담",
    "참여자",
    "높",
    "낮",
    "증가",
    "분석",
    "성과",
    "성",
    "회의",
    "회",
    "효과적",
    "효과",
    "수급자",
}
BARE = [
    ("자립성과금을", "자립성과금"),
    ("사례관리자와의", "사례관리자"),
    ("상담에서", "상담"),
    ("참여자들은", "참여자"),
    ("참여자들에게는", "참여자"),
    ("상담에서는", "상담"),
    ("수급자였던", "수급자"),
    ("높았다", "높"),
    ("낮은", "낮"),
    ("증가했다", "증가"),
    ("분석하였다", "분석"),
    ("효과적인", "효과적"),
    ("성과", "성과"),
    ("회의", "회의"),  # known words keep a last syllable that looks like a particle
    ("평가", "평가"),
    ("결과", "결과"),  # unknown two-syllable words are never cut to one syllable
    ("상담원을", "상담원"),  # unknown words still lose a particle
]


@pytest.mark.parametrize("query,bare", BARE)
def test_bare_word_of_a_query(query, bare):
    assert bare_word(query, LEXICON) == bare


def test_query_terms_are_marked_bigrams_of_the_bare_word():
    assert query_terms("상담") == ["상담~"]
    assert query_terms("상담에서", LEXICON) == query_terms("상담", LEXICON) == ["상담~"]
    assert query_terms("사례관리자와의", LEXICON) == ["사례~", "례관~", "관리~", "리자~"]
    assert query_terms("높았다", LEXICON) == ["높"]  # a one-syllable stem is looked up whole
    assert query_terms("IAP를") == ["IAP"] and query_terms("IAP수립") == ["IAP", "수립~"]
    assert query_terms("2022년") == ["2022~"]  # bare numbers are skipped by Sphinx, pieces are not
    assert query_words("참여자들은", LEXICON) == (["참여~", "여자~"], ["참여자"])
    # every query piece of a bare word is indexed for any word that contains it
    for word, text in [
        ("상담", "초기상담"),
        ("사례관리자", "사례관리자와의"),
        ("관리", "통합사례관리는"),
        ("IAP", "IAP를"),
        ("자립성과금을", "자립성과금의"),
        ("참여자들은", "참여자가"),
    ]:
        assert set(query_terms(word, LEXICON)) <= set(index_terms(text)), (word, text)
    assert not set(query_terms("상담원")) <= set(index_terms("초기상담"))


def test_split_query_keeps_order_and_drops_duplicates():
    assert split_query("초기상담, 상담!", LEXICON) == ["초기~", "기상~", "상담~"]
    assert split_query("") == []


def test_suffix_table_is_longest_first():
    assert list(SUFFIXES) == sorted(SUFFIXES, key=lambda s: (-len(s), s))
    assert {"을", "를", "에서", "와의", "들은", "했다", "하였다", "였던"} <= set(SUFFIXES)
    assert SUFFIXES.index("에서는") < SUFFIXES.index("에서") < SUFFIXES.index("에")


def test_search_language_split_and_stem():
    lang = KoreanSearch({})
    words = lang.split("통합사례관리는 tables를 만든다")
    assert "통합사례관리" in words and "사례~" in words and "tables" in words and "만들" in words
    assert "통합사례관리는" not in words
    assert lang.stem("상담") == "상담" and lang.stem("2022~") == "2022~"
    assert lang.stem("Tables") == "tabl"  # Latin words keep English stemming
    assert lang.lang == "ko" and "function splitQuery" in lang.js_splitter_code
    assert json.dumps(list(SUFFIXES), ensure_ascii=False) in lang.js_splitter_code


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
    "index.rst": "시험 책\n=======\n\n.. toctree::\n\n   a\n   b\n   c\n   d\n   e\n",
    "a.rst": (
        "초기상담 과정\n=============\n\n통합사례관리는 복지 대상자의 초기상담 이후 사례회의를 거쳐 종결한다.\n\n"
        "========  ======\n구분      인원\n========  ======\n남성      1,234\n여성      56\n========  ======\n"
    ),
    "b.rst": "실무자 면접\n===========\n\n사례관리자와의 관계가 중요하다. IAP를 수립한다.\n",
    "c.rst": "자산 형성\n=========\n\n저축 지원과 tables 정리.\n",
    "d.rst": "지원 제도\n=========\n\n자립성과금을 받은 참여자들은 만족도가 높았다.\n",
    "e.rst": "지급 기준\n=========\n\n성과금은 2022년부터 상담에서 안내한다.\n",
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


def search_index(html: Path) -> dict:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[len("Search.setIndex(") : -1])


def search_terms(html: Path) -> dict:
    return search_index(html)["terms"]


def lexicon(html: Path) -> set[str]:
    """Every word of a built index (what the search page checks a stripped query word against)."""
    index = search_index(html)
    return set(index["terms"]) | set(index["titleterms"])


def test_index_of_tiny_project(tiny):
    terms = search_terms(tiny["with"])
    assert {"초기상담", "상담", "상담~", "사례관리자", "리자~", "iap", "자립성과금", "참여자", "높", "2022~"} <= set(
        terms
    )
    assert not {"사례관리자와의", "자립성과금을", "참여자들은", "iap를"} & set(terms)  # particles are not indexed
    plain = search_terms(tiny["plain"])
    assert "초기상담" in plain and "사례관리자와의" in plain and "상담" not in plain and "리자" not in plain
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
def test_search_page_finds_korean_words_inside_compounds_and_with_particles(tiny, browser):
    from jahwal.publish.browser import serve

    with serve(tiny["with"]) as base:
        # index.html lists the page titles (its toctree), so "상담" also finds the home page
        assert sorted(search(browser, base, "상담")) == ["a.html", "e.html", "index.html"]
        assert search(browser, base, "사례관리자") == ["b.html"]
        assert search(browser, base, "사례관리자와의") == ["b.html"]
        assert sorted(search(browser, base, "초기상담")) == ["a.html", "index.html"]
        assert search(browser, base, "복지") == ["a.html"]
        assert search(browser, base, "IAP") == search(browser, base, "IAP를") == ["b.html"]
        assert search(browser, base, "table") == ["c.html"]
        assert search(browser, base, "상담원") == []
        assert sorted(search(browser, base, "관리")) == ["a.html", "b.html"]
        # particles and endings: the query finds what its bare word finds
        assert search(browser, base, "자립성과금을") == search(browser, base, "자립성과금") == ["d.html"]
        assert search(browser, base, "참여자들은") == search(browser, base, "참여자") == ["d.html"]
        assert sorted(search(browser, base, "상담에서")) == ["a.html", "e.html", "index.html"]
        assert search(browser, base, "높았다") == search(browser, base, "높은") == ["d.html"]
        assert search(browser, base, "안내했다") == ["e.html"]
        assert search(browser, base, "2022") == search(browser, base, "2022년") == ["e.html"]
        # the page holding the whole word comes before the one holding it inside a compound
        assert search(browser, base, "성과금") == ["e.html", "d.html"]
        assert search(browser, base, "성과금을") == ["e.html", "d.html"]
    with serve(tiny["plain"]) as base:  # what Sphinx does without the extension:
        assert search(browser, base, "상담") == []  # two letters: whole words only
        assert search(browser, base, "관리") == []
        assert search(browser, base, "사례관리자") == ["b.html"]  # longer words match prefixes
        assert search(browser, base, "높은") == search(browser, base, "안내했다") == []  # other endings: nothing


QUERIES = ["상담", "관리", "사례관리자", "초기상담", "자활사례관리"]


@pytest.mark.browser
def test_javascript_splitter_matches_python(tiny, browser):
    from jahwal.publish.browser import serve

    samples = QUERIES + [
        "IAP를 수립",
        "2022년 상담",
        "e-mail 상담원!",
        "가 나 다",
        "welfare tables",
        "상담—사례",
        "자립성과금을 받은",
        "참여자들은 높았다",
        "상담에서는",
        "성과금은",
        "사례관리자와의",
        "평가를",
        "1,234명",
    ]
    known = lexicon(tiny["with"])
    with serve(tiny["with"]) as base:
        search(browser, base, "상담")  # the index is loaded
        got = browser.execute_script("return arguments[0].map((q) => jahwalSplit(q, jahwalKnown));", samples)
    assert got == [
        [split_query(q, known), list(dict.fromkeys(w for t in re.findall(r"\w+", q) for w in query_words(t, known)[1]))]
        for q in samples
    ]


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
        having = {p for p, t in texts.items() if all(b.removesuffix(PIECE) in t for b in query_terms(q))}
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


#: (query, its bare word): a query with a particle or ending finds what its bare word finds
BOOK_QUERIES = [
    # nouns with common particles
    ("자립성과금을", "자립성과금"),
    ("사례관리자와의", "사례관리자"),
    ("상담에서", "상담"),
    ("참여자들은", "참여자"),
    ("수급자가", "수급자"),
    ("자활사업을", "자활사업"),
    ("실무자들이", "실무자"),
    ("지역자활센터에서", "지역자활센터"),
    ("사례관리를", "사례관리"),
    ("취업으로", "취업"),
    ("탈수급은", "탈수급"),
    ("성과를", "성과"),
    ("면접에서는", "면접"),
    ("자활근로에", "자활근로"),
    ("주민들과", "주민"),
    ("기관으로부터", "기관"),
    ("서비스의", "서비스"),
    ("경험이", "경험"),
    ("차이가", "차이"),
    ("효과는", "효과"),
    # verb and adjective forms
    ("높았다", "높다"),
    ("낮은", "낮다"),
    ("많았다", "많다"),
    ("늘었다", "늘다"),
    ("감소했다", "감소"),
    ("분석하였다", "분석"),
    ("참여했던", "참여"),
    ("지원하는", "지원"),
    ("변화된", "변화"),
    ("유지되었다", "유지"),
    ("종결된", "종결"),
    # compounds, English words and numbers (and the same with a particle)
    ("초기상담을", "초기상담"),
    ("자활사례관리의", "자활사례관리"),
    ("시장진입형으로", "시장진입형"),
    ("근로유지형은", "근로유지형"),
    ("IAP를", "IAP"),
    ("PRISMA", "PRISMA"),
    ("CSV", "CSV"),
    ("2022년", "2022"),
    ("2019년에", "2019"),
]


def _whole(text: str, word: str) -> bool:
    """``word`` stands in ``text`` as a word of its own (not inside a longer Hangul word), particles allowed."""
    suffixes = "|".join(sorted((re.escape(s) for s in SUFFIXES), key=len, reverse=True))
    return re.search(rf"(?<![가-힣]){re.escape(word)}(?:{suffixes})?(?![가-힣])", text) is not None


@pytest.mark.slow
@pytest.mark.browser
def test_book_search_with_particles_and_endings(built_book, book_server, browser):
    """Item 9: 40 queries on the real book; each finds the pages of its bare word, whole-word pages first."""
    from jahwal.publish.toc import toc_entries

    assert len(BOOK_QUERIES) >= 30
    pages = [re.sub(r"\.(ipynb|md)$", "", e["file"]) + ".html" for e in toc_entries(built_book.root)]
    texts = _article_texts(built_book.html, pages)
    index = search_index(built_book.html)
    problems = []
    for query, bare in BOOK_QUERIES:
        found, expected = search(browser, book_server, query), search(browser, book_server, bare)
        if not expected:
            problems.append(f"'{bare}': 찾은 쪽이 없습니다 / nothing found")
        if set(found) != set(expected):
            problems.append(f"'{query}' {sorted(found)} ≠ '{bare}' {sorted(expected)}")
        word = bare_word(bare, lexicon(built_book.html)) if re.fullmatch(r"[가-힣]+", bare) else bare
        if len(word) >= 2 and re.fullmatch(r"[가-힣]+", word):
            # every page holding the word, also inside a compound or before a particle, is found
            missing = {p for p, t in texts.items() if word in t} - set(found)
            if missing:
                problems.append(f"'{query}': 놓친 쪽 / missed {sorted(missing)}")
            # pages holding the word whole come before pages found only by its pieces
            known = set()
            for kind in ("terms", "titleterms"):
                files = index[kind].get(word, [])
                known |= {files} if isinstance(files, int) else set(files)
            docs = index["docnames"]
            whole = [i for i, p in enumerate(found) if p in texts and _whole(texts[p], word)]
            pieces = [
                i
                for i, p in enumerate(found)
                if p in texts and not _whole(texts[p], word) and docs.index(p.removesuffix(".html")) not in known
            ]
            if whole and pieces and max(whole) > min(pieces):
                problems.append(f"'{query}': 순위 / ranking {found}")
    assert not problems, "\n".join(problems)
