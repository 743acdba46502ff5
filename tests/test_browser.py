"""The built book in headless Chromium: pages, links, figures, code toggle, downloads, screenshots.

The book-level tests share one real build (``book_fixture.built_book``) and one
visit of every page listed in ``_toc.yml`` (``visits``). The first tests check
:mod:`jahwal.publish.browser` itself without a browser.
"""

from __future__ import annotations

import io
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urldefrag

import pandas as pd
import pytest

from book_fixture import (  # noqa: F401  (pytest fixtures)
    SCREENSHOTS,
    book_server,
    browser,
    build_log,
    built_book,
    require_browser,
    search,
    severe_console,
    wait_for_fonts,
)
from jahwal.publish import browser as jb
from jahwal.publish.build import toc_titles
from jahwal.publish.toc import resolve, toc_entries

# ---------------------------------------------------------------- jahwal.publish.browser (no browser needed)


def _no_binaries(monkeypatch):
    monkeypatch.delenv(jb.CHROMIUM_ENV, raising=False)
    monkeypatch.delenv(jb.DRIVER_ENV, raising=False)
    monkeypatch.setattr(jb.shutil, "which", lambda name: "/usr/bin/apt-get" if name == "apt-get" else None)


def test_ensure_without_root_names_the_packages(monkeypatch, capsys):
    _no_binaries(monkeypatch)
    monkeypatch.setattr(jb, "_is_root", lambda: False)
    assert jb.main(["ensure"]) == jb.BrowserError.exit_code
    err = capsys.readouterr().err
    assert "Chromium(헤드리스 브라우저)이 없습니다: chromium chromium-driver" in err
    assert "apt-get install -y --no-install-recommends chromium chromium-driver" in err


def test_ensure_as_root_runs_apt_get(monkeypatch):
    _no_binaries(monkeypatch)
    monkeypatch.setattr(jb, "_is_root", lambda: True)
    calls = []

    def fake_run(cmd, **kwargs):
        calls.append(cmd)
        assert kwargs["env"]["DEBIAN_FRONTEND"] == "noninteractive"
        return SimpleNamespace(returncode=0, stdout="")

    jb.install(jb.missing_packages(), run=fake_run, echo=lambda s: None)
    assert calls == [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "chromium-driver"],
    ]


def test_failed_apt_get_is_reported(monkeypatch):
    _no_binaries(monkeypatch)
    monkeypatch.setattr(jb, "_is_root", lambda: True)
    fail = lambda cmd, **kw: SimpleNamespace(returncode=100, stdout="E: Unable to locate package chromium")  # noqa: E731
    with pytest.raises(jb.BrowserError, match="(?s)apt-get이 실패했습니다.*exit 100.*Unable to locate package"):
        jb.install(["chromium"], run=fail, echo=lambda s: None)


def test_check_does_not_install(monkeypatch):
    _no_binaries(monkeypatch)
    monkeypatch.setattr(jb, "install", lambda *a, **k: pytest.fail("check must not install"))
    assert jb.main(["check"]) == jb.BrowserError.exit_code


def test_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch):
    def missing(**kwargs):
        raise jb.BrowserError(jb.install_hint(["chromium"]))

    monkeypatch.setattr(jb, "ensure", missing)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="headless Chromium is missing"):
        require_browser()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="headless Chromium is missing"):
        require_browser()


def test_headless_flags_and_fresh_profile():
    args = jb.chromium_args("/tmp/p")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        assert flag in args
    assert "--user-data-dir=/tmp/p" in args
    with jb.fresh_profile() as a, jb.fresh_profile() as b:
        assert a != b and a.is_dir()
    assert not a.exists()


def test_serve_gives_files_over_http(tmp_path):
    (tmp_path / "a.html").write_text("<p>가나다</p>", encoding="utf-8")
    with jb.serve(tmp_path) as base:
        assert base.startswith("http://127.0.0.1:")
        assert urllib.request.urlopen(base + "a.html").read().decode() == "<p>가나다</p>"
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(base + "missing.html")


@pytest.mark.browser
def test_chromium_runs_headless(tmp_path):
    require_browser()
    assert jb.version().startswith(("Chromium", "Google Chrome"))
    page = tmp_path / "p.html"
    page.write_text("<title>t</title><p>한글</p>", encoding="utf-8")
    proc = jb.run_headless(["--dump-dom", page.as_uri()], timeout=120)
    assert "<p>한글</p>" in proc.stdout


# ---------------------------------------------------------------- the built book

COLLECT_JS = r"""
const art = document.querySelector('article.bd-article') || document.body;
const dl = (t) => {
  const wrap = t.closest('.jahwal-table-wrap');
  if (wrap) return wrap.querySelector('.jahwal-downloads');
  const box = t.closest('.pst-scrollable-table-container') || t;
  const next = box.nextElementSibling;
  return next && next.classList.contains('jahwal-downloads') ? next : null;
};
return {
  h1: (art.querySelector('h1') || {innerText: ''}).innerText.replace(/#$/, '').trim(),
  links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
  images: [...art.querySelectorAll('img')].map((i) => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0})),
  figures: [...art.querySelectorAll('figure')].map((f) => ({
    id: f.id, table: f.classList.contains('jahwal-table'),
    img: [...f.querySelectorAll('img')].map((i) => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 50),
    caption: (f.querySelector('figcaption') || {innerText: ''}).innerText.trim(),
    diagram: !!f.querySelector('.jahwal-diagram') && f.querySelector('.jahwal-diagram').innerText.trim().length > 20,
  })),
  tables: [...art.querySelectorAll('table')].map((t) => {
    const d = dl(t);
    return {
      key: (t.closest('.jahwal-table-wrap') || {dataset: {}}).dataset.table || null,
      rows: [...t.querySelectorAll('tr')].filter((r) => r.querySelector('td')).length,
      cols: Math.max(0, ...[...t.querySelectorAll('tr')].map((r) => r.children.length)),
      downloads: d ? [...d.querySelectorAll('a')].map((a) => [a.innerText.trim(), a.href]) : [],
      first: t.rows.length ? t.rows[0].cells.length : 0,
      wide: t.closest('.jahwal-wide') !== null,
    };
  }),
  toggles: art.querySelectorAll('details.above-input').length,
};
"""


def _page_files(book) -> list[tuple[str, str]]:
    """(TOC file, page path relative to the site) in reading order."""
    return [(e["file"], re.sub(r"\.(ipynb|md)$", "", e["file"]) + ".html") for e in toc_entries(book.root)]


@pytest.fixture(scope="module")
def visits(built_book, book_server, browser):
    """Every TOC page loaded once: console errors and what the page holds."""
    severe_console(browser)  # drop earlier messages
    out = {}
    for file, page in _page_files(built_book):
        browser.get(book_server + page)
        wait_for_fonts(browser)
        browser.set_script_timeout(30)
        browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "Promise.all([...document.images].map((i) => i.complete ? 0 : new Promise((ok) => { i.onload = i.onerror = ok; })))"
            ".then(() => done(true));"
        )
        info = browser.execute_script(COLLECT_JS)
        info["console"] = severe_console(browser)
        info["file"] = file
        out[page] = info
    return out


@pytest.mark.slow
@pytest.mark.browser
def test_every_page_loads_without_console_errors(built_book, visits):
    titles = toc_titles(built_book.root)
    assert len(visits) == len(titles) >= 20
    errors = {page: v["console"] for page, v in visits.items() if v["console"]}
    assert not errors, "콘솔 오류가 있는 쪽 / pages with console errors:\n" + json.dumps(
        errors, ensure_ascii=False, indent=1
    )
    wrong = {page: (v["h1"], titles[v["file"]]) for page, v in visits.items() if v["h1"] != titles[v["file"]]}
    assert not wrong, f"제목이 TOC와 다릅니다 / page titles differ from the TOC: {wrong}"


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.read()


@pytest.mark.slow
@pytest.mark.browser
def test_internal_links_resolve(visits, book_server):
    broken, pages, checked = [], {}, 0
    for page, v in visits.items():
        for link in v["links"]:
            if not link.startswith(book_server):
                continue
            target, frag = urldefrag(link)
            if target not in pages:
                try:
                    pages[target] = _fetch(target).decode("utf-8", errors="replace")
                except urllib.error.HTTPError as exc:
                    pages[target] = None
                    broken.append(f"{page} → {link}: HTTP {exc.code}")
            checked += 1
            text = pages[target]
            if text is not None and frag and not re.search(rf'id="{re.escape(frag)}"', text):
                broken.append(f"{page} → {link}: 없는 앵커 / missing anchor #{frag}")
    assert checked > 100, f"too few internal links checked ({checked})"
    assert not broken, "깨진 내부 링크 / broken internal links:\n" + "\n".join(sorted(set(broken)))


def _expected_figures(root: Path) -> dict[str, set[str]]:
    """Figure labels per page from the sources: {glue:figure} or {figure} blocks not marked as tables."""
    out: dict[str, set[str]] = {}
    block = re.compile(r"```\{(glue:figure|figure)\}[^\n]*\n((?::[^\n]*\n)*)", re.S)
    for entry in toc_entries(root):
        src = resolve(root, entry["file"])
        if src.suffix == ".ipynb":
            nb = json.loads(src.read_text(encoding="utf-8"))
            text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        else:
            text = src.read_text(encoding="utf-8")
        page = re.sub(r"\.(ipynb|md)$", "", entry["file"]) + ".html"
        for m in block.finditer(text + "\n"):
            opts = dict(re.findall(r":(\w+):\s*([^\n]*)", m.group(2)))
            if "jahwal-table" in opts.get("figclass", "") or "name" not in opts:
                continue
            out.setdefault(page, set()).add(opts["name"].strip().lower())
    return out


@pytest.mark.slow
@pytest.mark.browser
def test_figures_are_present(built_book, visits):
    expected = _expected_figures(built_book.root)
    assert sum(len(v) for v in expected.values()) >= 5, f"too few figures in the sources: {expected}"
    problems = []
    for page, labels in expected.items():
        figs = {f["id"]: f for f in visits[page]["figures"]}
        for label in sorted(labels):
            fig = figs.get(label)
            if fig is None:
                problems.append(f"{page}: 그림 {label}이 없습니다 / figure missing")
            elif fig.get("diagram"):  # drawn in HTML from data (Chapter Ⅱ diagrams): its text is what shows
                pass
            elif not fig["img"] or not all(fig["img"]):
                problems.append(f"{page}: 그림 {label}의 이미지가 보이지 않습니다 / image not shown")
            elif not fig["caption"].startswith("그림"):
                problems.append(f"{page}: 그림 {label}의 제목 / caption: {fig['caption']!r}")
    for page, v in visits.items():
        problems += [
            f"{page}: 이미지를 불러오지 못했습니다 / image not loaded: {i['src']}" for i in v["images"] if not i["ok"]
        ]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.browser
def test_code_toggle(visits, book_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    pages = [p for p, v in visits.items() if v["toggles"]]
    assert len(pages) >= 10, f"code cells should be folded on the notebook pages: {pages}"
    browser.get(book_server + pages[0])
    details = browser.find_element(By.CSS_SELECTOR, "article details.above-input")
    code = details.find_element(By.CSS_SELECTOR, "pre")
    assert details.get_attribute("open") is None and not code.is_displayed()
    summary = details.find_element(By.TAG_NAME, "summary")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
    wait = WebDriverWait(browser, 10)
    summary.click()
    wait.until(lambda d: details.get_attribute("open") is not None and code.is_displayed())
    assert code.text.strip(), "the unfolded cell shows its code"
    summary.click()
    wait.until(lambda d: details.get_attribute("open") is None and not code.is_displayed())
    assert not severe_console(browser)


@pytest.mark.slow
@pytest.mark.browser
def test_every_table_downloads_as_csv_and_xlsx(built_book, visits):
    """Item 3: each table on a page links a CSV and an XLSX with the same rows and columns."""
    problems, n_tables = [], 0
    for page, v in visits.items():
        for i, t in enumerate(v["tables"], start=1):
            n_tables += 1
            name = t["key"] or f"table {i}"
            kinds = {label: href for label, href in t["downloads"]}
            if set(kinds) != {"CSV", "XLSX"}:
                problems.append(f"{page} {name}: 내려받기 링크가 없습니다 / no CSV and XLSX links: {t['downloads']}")
                continue
            frames = {}
            for label, href in kinds.items():
                data = _fetch(href)
                frames[label] = (
                    pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
                    if label == "CSV"
                    else pd.read_excel(io.BytesIO(data))
                )
            for label, df in frames.items():
                if df.shape != (t["rows"], t["cols"]):
                    problems.append(
                        f"{page} {name} {label}: {df.shape} ≠ 쪽의 표 / page table {(t['rows'], t['cols'])}"
                    )
    assert n_tables >= 20, f"too few tables in the book ({n_tables})"
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.browser
def test_wide_tables_are_marked_for_print(visits):
    """jahwal-book.js marks tables of 8+ columns; the print styles set them smaller."""
    tables = [t for v in visits.values() for t in v["tables"]]
    assert any(t["first"] >= 8 for t in tables), "the literature matrix (표 Ⅱ-S1) has more than 8 columns"
    assert all(t["wide"] == (t["first"] >= 8) for t in tables)


@pytest.mark.slow
def test_built_site_passes_the_scan(built_book):
    """Item 4: the build ran the gate (exempt tables listed) and the published site holds no notebook."""
    from jahwal.publish.gate import scan_html

    log = build_log(built_book)
    assert log["status"] == "ok"
    gate = log["disclosure"]
    assert gate["problems"] == [] and gate["notebooks"] >= 15 and gate["tables"] >= 20
    assert any(":tab-IV-1" in key for key in gate["exempt_tables"]), gate["exempt_tables"]
    assert not list(built_book.html.rglob("*.ipynb")) and not (built_book.html / "_sources").exists()
    report = scan_html(built_book.html, threshold=10)
    assert report["downloads"] >= 40 and report["problems"] == []


MAIN_PAGES = 6  # book home, first page of each part up to V, and one page with figures
#: also shown: the outcome framework table and a heat map page
EXTRA_PAGES = ["notebooks/51_outcome_framework.html", "notebooks/42_practitioners.html"]


@pytest.mark.slow
@pytest.mark.browser
def test_screenshots_of_main_pages(built_book, book_server, browser, visits):
    """Screenshots go to _build/screenshots/; Hangul is drawn with a Korean font, not boxes."""
    entries = toc_entries(built_book.root)
    firsts, seen = [], set()
    for e in entries:
        if e["part"] not in seen:
            seen.add(e["part"])
            firsts.append(re.sub(r"\.(ipynb|md)$", "", e["file"]) + ".html")
    with_fig = next(p for p, v in visits.items() if any(not f["table"] and f["img"] for f in v["figures"]))
    pages = list(dict.fromkeys(firsts[:MAIN_PAGES] + [with_fig] + EXTRA_PAGES))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.execute_cdp_cmd("DOM.enable", {})
    browser.execute_cdp_cmd("CSS.enable", {})
    written = []
    for i, page in enumerate(pages):
        browser.get(book_server + page)
        wait_for_fonts(browser)
        doc = browser.execute_cdp_cmd("DOM.getDocument", {"depth": 0})
        node = browser.execute_cdp_cmd("DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": "article h1"})
        fonts = browser.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        hangul = [
            f["familyName"]
            for f in fonts
            if re.search(r"Nanum|Noto Sans (CJK )?KR|Malgun|Apple SD|Gothic|Hangul", f["familyName"], re.I)
        ]
        assert hangul, f"{page}: 제목의 한글 글꼴 / no Korean font drew the title: {fonts}"
        path = SCREENSHOTS / f"{i:02d}-{page.replace('/', '-').removesuffix('.html')}.png"
        browser.save_screenshot(str(path))
        written.append(path)
    path = SCREENSHOTS / f"{len(pages):02d}-search-상담.png"
    assert search(browser, book_server, "상담")
    browser.save_screenshot(str(path))
    written.append(path)
    for path in written:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, path


# ---------------------------------------------------------------- accessibility (axe-core)
NARROW = 390


def _axe_problems(driver, page: str) -> list[str]:
    out = []
    for v in jb.axe_violations(driver):
        where = "; ".join(f"{target} ({fix})" for target, fix in v["nodes"])
        out.append(f"{page}: {v['impact']} {v['id']} ×{v['count']} — {v['help']}: {where}")
    return out


@pytest.mark.slow
@pytest.mark.browser
def test_pages_pass_axe(built_book, book_server, browser, visits):
    """Item 10: axe-core finds no serious or critical violation on any page (1366 px), nor on the
    main pages and the search results at 390 px; every page is marked as Korean."""
    from selenium.webdriver.support.ui import WebDriverWait

    problems, checked = [], 0
    search_url = "search.html?q=" + "자립성과금을"
    wait_results = lambda d: d.execute_script(  # noqa: E731
        "const s = document.querySelector('#search-results p.search-summary'); return !!s && s.innerText.trim().length > 0;"
    )
    firsts, parts = [], set()
    for e in toc_entries(built_book.root):  # the first page of each part, as in the screenshots
        if e["part"] not in parts:
            parts.add(e["part"])
            firsts.append(re.sub(r"\.(ipynb|md)$", "", e["file"]) + ".html")
    narrow = firsts[:MAIN_PAGES] + ["notebooks/31_infrastructure.html"]
    try:
        for width, pages in ((1366, list(visits) + [search_url]), (NARROW, narrow + [search_url])):
            browser.set_window_size(width, 900)
            for page in dict.fromkeys(pages):
                browser.get(book_server + page)
                if page.startswith("search.html"):
                    WebDriverWait(browser, 20).until(wait_results)
                wait_for_fonts(browser)
                lang = browser.execute_script("return document.documentElement.lang;")
                if lang != "ko":
                    problems.append(f"{page}: <html lang={lang!r}>, 'ko'가 아닙니다 / not 'ko'")
                problems += [f"[{width}px] {p}" for p in _axe_problems(browser, page)]
                checked += 1
                if page.startswith("search.html") or page == "notebooks/31_infrastructure.html":
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    name = "search-results" if page.startswith("search.html") else "31_infrastructure"
                    browser.save_screenshot(str(SCREENSHOTS / f"axe-{name}-{width}.png"))
    finally:
        browser.set_window_size(1280, 900)
    assert checked >= len(visits) + 3
    assert not problems, "접근성 위반 / accessibility violations:\n" + "\n".join(problems)


def _contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of a ``#rrggbb`` colour against white."""

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_figure_palette_contrast():
    """Item 10: every colour of the figures' palette stands out from the white page (3:1, WCAG 1.4.11)."""
    from jahwal.display.figures import PALETTE

    assert round(_contrast_with_white("#767676"), 1) == 4.5 and round(_contrast_with_white("#ECE133"), 2) == 1.37
    assert len(PALETTE) >= 8 and len(set(PALETTE)) == len(PALETTE)
    low = {c: round(_contrast_with_white(c), 2) for c in PALETTE if _contrast_with_white(c) < 3}
    assert not low, f"흰 바탕과 대비가 3:1 미만인 색 / colours below 3:1 on white: {low}"
