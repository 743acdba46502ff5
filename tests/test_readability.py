"""The book as its readers meet it: legible figures with alt text and data, Korean footer, no code names.

Unit tests check :mod:`jahwal.figures` and the figure and shaded-table helpers of
:mod:`jahwal.nb`. The book-level tests read the shared test book
(``book_fixture.built_book``): every figure the notebooks published (its
smallest text as shown at the page's content width, its alt text, its data and
full-size files) and every page's text (no Python identifiers or file paths).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from book_fixture import book_server, browser, built_book  # noqa: E402,F401  (pytest fixtures)
from jahwal.display import figures, nb  # noqa: E402
from jahwal.qual import plots  # noqa: E402

RECORD = "application/papermill.record/"


# ---------------------------------------------------------------- units
def test_smallest_text_scales_with_the_displayed_width():
    figures.set_theme()
    fig, ax = plt.subplots(figsize=(13.5, 4))  # 1485 px wide at 110 dpi: shown at half size
    ax.bar(["서울", "부산"], [3, 4])
    ax.tick_params(labelsize=8)
    px, text = figures.smallest_text(fig)
    w, _ = figures.png_size(figures.png_bytes(fig))
    assert text in {"서울", "부산", "0", "1", "2", "3", "4"}
    assert px == pytest.approx(8 * figures.DPI / 72 * figures.CONTENT_WIDTH_PX / w)
    assert px < figures.MIN_TEXT_PX
    fig.set_size_inches(6.5, 4)
    assert figures.smallest_text(fig)[0] == pytest.approx(8 * figures.DPI / 72)
    plt.close(fig)


def test_figure_output_has_alt_text_full_size_link_and_data(tmp_path, monkeypatch):
    monkeypatch.setenv(nb.TABLE_DIR_ENV, str(tmp_path))
    figures.set_theme()
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(["2021년", "2022년"], [12, 15], label="참여자")
    ax.set_ylabel("인원(명)")
    out = nb.Figure(fig, "fig-X-1")
    html = out._repr_html_()
    assert 'alt="막대그래프, 가로축(2021년, 2022년), 세로축 인원(명)"' in html
    assert 'href="../tables/fig-X-1.png"' in html and "원래 크기로 보기" in html
    assert 'href="../tables/fig-X-1.csv"' in html and 'href="../tables/fig-X-1.xlsx"' in html
    files = out.write_downloads(tmp_path)
    assert sorted(p.name for p in files) == ["fig-X-1.csv", "fig-X-1.png", "fig-X-1.xlsx"]
    data = pd.read_csv(tmp_path / "fig-X-1.csv", encoding="utf-8-sig")
    assert data[["항목", "값"]].values.tolist() == [["2021년", 12.0], ["2022년", 15.0]]
    assert (tmp_path / "fig-X-1.png").read_bytes() == out.png == nb.Figure(fig, "fig-X-1").png  # same bytes twice
    plt.close(fig)


def test_describe_overrides_the_automatic_text_and_data():
    fig, ax = plt.subplots()
    ax.plot([2021, 2022], [1, 2])
    data = pd.DataFrame({"연도": [2021, 2022], "비율(%)": [1.0, 2.0]})
    figures.describe(fig, "연도별 비율 선그래프: 2021년 1%, 2022년 2%", data)
    out = nb.Figure(fig, "fig-X-2")
    assert out.alt == "연도별 비율 선그래프: 2021년 1%, 2022년 2%"
    assert out.data.equals(data)
    with pytest.raises(ValueError, match="alt"):
        figures.describe(fig, " ")
    plt.close(fig)


def test_heat_map_reads_back_as_data_and_stays_legible():
    figures.set_theme()
    matrix = pd.DataFrame(
        {
            "code_id": ["a"] * 22 + ["b"] * 22,
            "name": ["관계 형성과 신뢰 회복의 경험"] * 22 + ["자립 계획"] * 22,
            "participant_id": [f"P{i:02d}" for i in range(1, 23)] * 2,
            "n_quotes": list(range(22)) + [1] * 22,
        }
    )
    fig = plots.heatmap_figure(matrix, ylabel="대주제")
    px, text = figures.smallest_text(fig)
    assert px >= figures.MIN_TEXT_PX, (px, text)
    data = figures.figure_data(fig)
    assert len(data) == 44 and data["값"].sum() == sum(range(22)) + 22
    assert set(data["항목"]) == {f"P{i:02d}" for i in range(1, 23)}
    plt.close(fig)


def test_shaded_table_keeps_shape_and_rejects_wrong_shades():
    df = pd.DataFrame({"영역": ["자활참여", "자활역량"], "초기성과": ["참여 시작\n실 2 · 주 1", ""]})
    shades = pd.DataFrame({"영역": [0, 0], "초기성과": [3, 0]})
    html = nb.ShadedTable(df, "tab-X-S1", shades=shades, statistic=False)._repr_html_()
    assert html.startswith('<div class="jahwal-grid">') and html.count("<tr>") == 3
    assert '<td class="jahwal-shade-3">참여 시작<br>실 2 · 주 1</td>' in html
    with pytest.raises(ValueError, match="shades"):
        nb.ShadedTable(df, "tab-X-S1", shades=shades.iloc[:1])


# ---------------------------------------------------------------- the built book
def published_figures(root: Path) -> dict[str, dict]:
    """Figure payloads of the executed notebooks of a built book, by key."""
    out = {}
    for path in sorted((root / "_build" / "cache" / "notebooks").glob("*.ipynb")):
        book = json.loads(path.read_text(encoding="utf-8"))
        for cell in book["cells"]:
            for o in cell.get("outputs", []):
                payload = o.get("data", {}).get(RECORD + nb.FIGURE_MIME)
                if payload:
                    out[payload["key"]] = {**payload, "notebook": path.name.split(".")[0]}
    return out


@pytest.mark.slow
def test_every_figure_is_legible_described_and_downloadable(built_book):
    figs = published_figures(built_book.root)
    assert len(figs) >= 25, sorted(figs)
    small = {
        k: (round(v["min_text_px"], 1), v["min_text"])
        for k, v in figs.items()
        if v["min_text_px"] < figures.MIN_TEXT_PX
    }
    assert not small, f"{figures.MIN_TEXT_PX:g} px보다 작은 글자 / text smaller than 9 CSS px: {small}"
    hangul = re.compile(r"[\uac00-\ud7a3]")
    assert all(hangul.search(v["alt"]) and len(v["alt"]) >= 10 for v in figs.values())
    tables = built_book.html / "tables"
    for key, v in figs.items():
        assert (tables / f"{key}.png").is_file() and (tables / f"{key}.csv").is_file(), key
        assert v["n_rows"] > 0, f"{key}: 그림 자료가 비었습니다 / the figure's data is empty"
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (built_book.html / "notebooks").glob("*.html"))
    for key in figs:
        assert f'href="../tables/{key}.png"' in pages, f"{key}: 원래 크기 링크가 없습니다 / no full-size link"


#: dotted Python names (module.function, key.표Ⅲ-10) and relative file paths
CODE_NAME = re.compile(
    r"(?<![\w./:@-])[a-z_][a-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+(?:\.[표그림]\s?[ⅠⅡⅢⅣⅤ][\w.-]*)?(?:\(\))?"
    r"|(?<![\w./:@-])[a-z_][a-z0-9_]*\.[표그림]\s?[ⅠⅡⅢⅣⅤ][\w.-]*"
    r"|(?<![\w/])(?:[\w.-]+/)+[\w.-]+\.(?:py|csv|yml|yaml|ipynb|parquet|json|md|xlsx)\b"
)
#: pages written for people who change the code: the methods appendix links the functions
DEVELOPER_PAGES = {"93_methods.html", "extending.html", "changelog.html", "literature_vocabulary.html"}
#: bibliography "n.d.", web addresses, and the names of the extract's files (부록 1 tells data providers
#: what to deliver: participants.csv and the like, without folders)
ALLOWED = re.compile(r"n\.d|e\.g|i\.e|www\..*|.*\.(kr|com|org|net)|[a-z_]+\.(csv|xlsx|parquet)")
#: pages whose prose belongs to the restructuring of chapters Ⅱ and Ⅳ (issue 15 leaves them to it);
#: remove a page from here once its prose names no code
PENDING: dict[str, set[str]] = {}


def reader_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    art = soup.select_one("article") or soup
    for el in art.select("div.cell_input, details, pre, script, style"):
        el.decompose()
    return art.get_text(" ")


def test_code_name_pattern():
    text = (
        "jahwal.chapter3.protect로 가립니다. stages.outcome_data의 group_assessment, ttest.표Ⅲ-10, "
        "days.표Ⅲ-14.미시행.시장진입형, data/reference/audit_checks.yml; 1.5배, 표 Ⅲ-10, www.ssis.or.kr, participants.csv"
    )
    found = [m.group(0) for m in CODE_NAME.finditer(text)]
    assert found == [
        "jahwal.chapter3.protect",
        "stages.outcome_data",
        "ttest.표Ⅲ-10",
        "days.표Ⅲ-14.미시행.시장진입형",
        "data/reference/audit_checks.yml",
        "www.ssis.or.kr",
        "participants.csv",
    ]
    assert [f for f in found if not ALLOWED.fullmatch(f)] == found[:-2]


@pytest.mark.slow
def test_reader_pages_show_no_python_names_or_paths(built_book):
    problems = {}
    for p in sorted(built_book.html.rglob("*.html")):
        if "_static" in p.parts or p.name in DEVELOPER_PAGES | {"genindex.html", "search.html"}:
            continue
        hits = sorted(
            {
                m.group(0)
                for m in CODE_NAME.finditer(reader_text(p.read_text(encoding="utf-8")))
                if not ALLOWED.fullmatch(m.group(0))
            }
        )
        rel = str(p.relative_to(built_book.html))
        hits = sorted(set(hits) - PENDING.get(rel, set()))
        if hits:
            problems[rel] = hits
    assert not problems, "독자용 쪽의 코드 이름·경로 / code names or paths on reader pages:\n" + json.dumps(
        problems, ensure_ascii=False, indent=1
    )


@pytest.mark.slow
def test_footer_reads_as_korean(built_book):
    page = (built_book.html / "notebooks" / "34_outcome_tests.html").read_text(encoding="utf-8")
    footer = page[page.index('<footer class="bd-footer-content">') :]
    footer = footer[: footer.index("</footer>")]
    assert "component-author" not in footer and "Copyright" not in footer
    assert "지은이: 자활사례관리 성과 연구진 · 2023년" in footer and "합성 자료" in footer


# ---------------------------------------------------------------- in the browser, at phone width
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
PHONE_PAGES = [
    "notebooks/51_outcome_framework.html",
    "notebooks/42_practitioners.html",
    "notebooks/35_supplementary.html",
]

FIGURES_JS = r"""
return [...document.querySelectorAll('article .jahwal-figure-wrap')].map((w) => {
  const img = w.querySelector('img'), a = img && img.closest('a');
  return {key: w.dataset.figure, alt: img ? img.alt : '', shown: img ? img.getBoundingClientRect().width : 0,
          natural: img ? img.naturalWidth : 0, href: a ? a.href : null,
          downloads: [...w.querySelectorAll('.jahwal-downloads a')].map((x) => x.innerText.trim())};
});
"""


@pytest.mark.slow
@pytest.mark.browser
def test_figures_offer_full_size_at_phone_width(built_book, book_server, browser):
    """At 390 px each figure links to its PNG at full size, has Korean alt text and data downloads."""
    from book_fixture import SCREENSHOTS, wait_for_fonts

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        seen = 0
        for page in PHONE_PAGES:
            browser.get(book_server + page)
            wait_for_fonts(browser)
            assert browser.execute_script("return document.documentElement.clientWidth") == 390
            for f in browser.execute_script(FIGURES_JS):
                seen += 1
                assert f["href"] and f["href"].endswith(f"/tables/{f['key']}.png"), f
                assert f["natural"] > f["shown"] > 0, f"{f['key']}: 휴대폰 폭에서 축소된 그림 / scaled down at 390 px"
                assert re.search(r"[\uac00-\ud7a3]", f["alt"]), f
                assert f["downloads"] == ["원래 크기로 보기", "CSV", "XLSX"], f
            browser.save_screenshot(str(SCREENSHOTS / f"390-{page.replace('/', '-').removesuffix('.html')}.png"))
        assert seen >= 5
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.slow
@pytest.mark.browser
def test_framework_table_is_readable_text(built_book, book_server, browser):
    """그림 Ⅴ-1 is a table: its cells are text of at least 12 CSS px on dark-enough shades."""
    browser.get(book_server + "notebooks/51_outcome_framework.html")
    cells = browser.execute_script(
        "return [...document.querySelectorAll('#fig-v-1 td')].map((td) => ({text: td.innerText,"
        " size: parseFloat(getComputedStyle(td).fontSize), bg: getComputedStyle(td).backgroundColor,"
        " color: getComputedStyle(td).color, cls: td.className}));"
    )
    assert len(cells) >= 6 * 10
    assert min(c["size"] for c in cells) >= 12
    assert any("실무자" in c["text"] and "주민" in c["text"] for c in cells)
    shaded = [c for c in cells if c["cls"] == "jahwal-shade-3"]
    assert shaded and all(_contrast(c["color"], c["bg"]) >= 4.5 for c in cells)


def _contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two CSS ``rgb(...)`` colours."""

    def lum(css: str) -> float:
        r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_forest_points_read_back_as_data():
    fig, ax = plt.subplots()
    ax.errorbar([0.1, -0.2], [0, 1], xerr=[[0.05, 0.05], [0.1, 0.1]], fmt="o", label="자립성과금")
    ax.set_yticks([0, 1], ["시장진입형", "사회서비스형"])
    data = figures.figure_data(fig)
    assert data[["계열", "항목", "값"]].values.tolist() == [
        ["자립성과금", "시장진입형", 0.1],
        ["자립성과금", "사회서비스형", -0.2],
    ]
    plt.close(fig)
