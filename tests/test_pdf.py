"""The book as one PDF: pages in TOC order, Hangul text, bookmarks and page numbers."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from book_fixture import built_book, require_browser  # noqa: F401  (pytest fixtures)
from jahwal.publish import pdf
from jahwal.publish.build import toc_titles
from jahwal.publish.toc import toc_entries


def squash(text: str) -> str:
    """Text without whitespace (PDF extraction splits and joins words freely)."""
    return re.sub(r"[\s\x00-\x1f]+", "", text)


def blank_pdf(n: int) -> bytes:
    w = PdfWriter()
    for _ in range(n):
        w.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- no browser needed
def test_merge_keeps_order_and_groups_bookmarks_by_part(tmp_path):
    pages = [
        pdf.Page("book/index", "", tmp_path / "a.html", "표지"),
        pdf.Page("notebooks/31_a", "Ⅲ. 양적 성과", tmp_path / "b.html", "인프라"),
        pdf.Page("notebooks/32_b", "Ⅲ. 양적 성과", tmp_path / "c.html", "상담"),
    ]
    out = tmp_path / "out" / "book.pdf"
    info = pdf.merge([blank_pdf(1), blank_pdf(3), blank_pdf(2)], pages, out, title="자활 연구")
    assert info == {"pages": 6, "chapters": 3, "front": 0, "starts": [0, 1, 4]}
    reader = PdfReader(str(out))
    assert reader.metadata.title == "자활 연구" and reader.trailer["/Root"]["/Lang"] == "ko"
    top = reader.outline
    assert [getattr(o, "title", None) for o in top if not isinstance(o, list)] == ["표지", "Ⅲ. 양적 성과"]
    children = next(o for o in top if isinstance(o, list))
    assert [c.title for c in children] == ["인프라", "상담"]
    assert [reader.get_destination_page_number(c) for c in children] == [1, 4]
    assert not list(out.parent.glob("*.part.pdf"))


def test_merge_puts_front_matter_first(tmp_path):
    pages = [
        pdf.Page("a", "Ⅰ. 서론", tmp_path / "a.html", "설계"),
        pdf.Page("b", "Ⅰ. 서론", tmp_path / "b.html", "자료"),
    ]
    out = tmp_path / "book.pdf"
    info = pdf.merge(
        [blank_pdf(2), blank_pdf(1)], pages, out, front=[blank_pdf(1), blank_pdf(2)], front_marks=[("차례", 1)]
    )
    assert info == {"pages": 6, "chapters": 2, "front": 3, "starts": [3, 5]}
    reader = PdfReader(str(out))
    assert reader.outline[0].title == "차례" and reader.get_destination_page_number(reader.outline[0]) == 1
    assert [reader.get_destination_page_number(c) for c in reader.outline[2]] == [3, 5]


def test_front_matter_html():
    page = pdf.Page("notebooks/31_a", "Ⅲ. 양적 성과", Path("a.html"), "1. 인프라 & 인력")
    toc = pdf.contents_html([page], [12])
    assert "<h1>차례</h1>" in toc and '<li class="part">Ⅲ. 양적 성과</li>' in toc
    assert '<span class="t">1. 인프라 &amp; 인력</span><span class="dots"></span><span class="pg">12</span>' in toc
    cover = pdf.cover_html("자활 연구", ["부제", "연구진", "2023"])
    assert cover.index("자활 연구") < cover.index("부제") < cover.index("연구진") < cover.index("2023")
    overlay = pdf.page_overlay([None, ("자활 연구", "차례"), ("자활 연구", "1. 인프라")], [None, "2", "3"])
    assert overlay.count('class="p"') == 3 and overlay.count('class="n"') == 2 and "<span>1. 인프라</span>" in overlay


def test_short_number_overlay_is_refused(tmp_path):
    page = pdf.Page("a", "", tmp_path / "a.html", "가")
    with pytest.raises(pdf.PdfError, match="overlay has 1 pages for 2"):
        pdf.merge([blank_pdf(2)], [page], tmp_path / "x.pdf", numbers=blank_pdf(1))


def test_missing_pages_are_named(tmp_path):
    root = Path(__file__).resolve().parents[1]
    html = tmp_path / "html"
    (html / "book").mkdir(parents=True)
    (html / "book" / "index.html").write_text("<h1>x</h1>", encoding="utf-8")
    with pytest.raises(pdf.PdfError, match="notebooks/00_summary.html"):
        pdf.book_pages(html, root)
    assert (
        pdf.main(["--html", str(tmp_path / "none"), "--out", str(tmp_path / "o.pdf"), "--root", str(root)])
        == pdf.PdfError.exit_code
    )


def test_page_title_and_engine_choice(tmp_path):
    p = tmp_path / "p.html"
    p.write_text('<h1>Ⅲ. 양적 성과<a class="headerlink" href="#x" title="Link">#</a></h1>', encoding="utf-8")
    assert pdf.page_title(p) == "Ⅲ. 양적 성과"
    with pytest.raises(ValueError, match="engine"):
        pdf._printer("latex")


# ---------------------------------------------------------------- Chromium
@pytest.mark.browser
def test_cli_printer_prints_hangul_with_the_site_font(tmp_path):
    """``chromium --print-to-pdf`` (the fallback without Selenium) on one page using the book's web font."""
    require_browser()
    from jahwal.display.figures import font_files
    from jahwal.publish.browser import serve
    from jahwal.publish.sphinx_ext import web_font

    font = next(p for p in font_files() if p.name == "NanumGothic.ttf")
    web_font(font, tmp_path / "NanumGothic.ttf")
    (tmp_path / "p.html").write_text(
        '<meta charset="utf-8"><style>@font-face{font-family:K;src:url(NanumGothic.ttf);unicode-range:U+AC00-D7A3}'
        "body{font-family:K,sans-serif}</style><h1>자활사례관리 성과</h1><p>초기상담 1,334명</p>",
        encoding="utf-8",
    )
    with serve(tmp_path) as base:
        data = pdf.print_pages_cli([base + "p.html"])[0]
    text = squash(PdfReader(io.BytesIO(data)).pages[0].extract_text())
    assert "자활사례관리성과" in text and "초기상담1,334명" in text


def _text_right_edges(page) -> list[tuple[float, str]]:
    """(x position, text) of every text run on a PDF page."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((cm[0] * tm[4] + cm[4] if cm[0] else tm[4], text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.browser
def test_wide_table_is_scaled_to_the_page(tmp_path):
    """A table of 20 columns is scaled down so that its last column is printed inside the page."""
    require_browser()
    from jahwal.publish.browser import serve

    head = "".join(f"<th>c{i}</th>" for i in range(1, 21))
    row = "".join(f"<td>v{i:02d}_12345</td>" for i in range(1, 21))
    (tmp_path / "w.html").write_text(
        f'<meta charset="utf-8"><style>@page{{size:A4;margin:15mm 13mm}}td,th{{padding:4px 8px;white-space:nowrap}}</style>'
        f"<article><table><tr>{head}</tr><tr>{row}</tr></table></article>",
        encoding="utf-8",
    )
    with serve(tmp_path) as base:
        fitted, plain = (pdf.print_pages_webdriver([base + "w.html"], fit_tables=f)[0] for f in (True, False))
    width = float(PdfReader(io.BytesIO(fitted)).pages[0].mediabox.width)
    runs = _text_right_edges(PdfReader(io.BytesIO(fitted)).pages[0])
    assert any("v20_12345" in t for _, t in runs), runs[-3:]
    assert max(x for x, _ in runs) < width - 20
    plain_runs = _text_right_edges(PdfReader(io.BytesIO(plain)).pages[0])
    assert not any("v20_12345" in t for _, t in plain_runs), plain_runs[-3:]  # unscaled, the last columns are cut off


def _images_per_page(data: bytes) -> list[int]:
    reader = PdfReader(io.BytesIO(data))
    out = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        out.append(sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"))
    return out


@pytest.mark.browser
def test_figure_stays_with_its_caption(tmp_path):
    """With the book's print styles a figure near the foot of a page keeps its caption on its page;
    without them the caption of the same figure is left for the next page."""
    require_browser()
    import base64
    import shutil

    from PIL import Image

    from jahwal.publish.browser import serve
    from jahwal.publish.sphinx_ext import CSS_FILE, STATIC_DIR

    shutil.copy2(STATIC_DIR / CSS_FILE, tmp_path / CSS_FILE)
    buf = io.BytesIO()
    Image.new("RGB", (600, 400), (1, 115, 178)).save(buf, format="PNG")
    img = base64.b64encode(buf.getvalue()).decode()
    names = []
    for styled in (True, False):
        for height in (150, 154, 158):
            head = (
                f'<link rel="stylesheet" href="{CSS_FILE}">'
                if styled
                else "<style>@page{size:A4;margin:15mm 13mm 17mm 13mm}</style>"
            )
            name = f"f{int(styled)}{height}.html"
            (tmp_path / name).write_text(
                f'<meta charset="utf-8">{head}<article class="bd-article"><p style="height:{height}mm">Text above.</p>'
                f'<figure><img src="data:image/png;base64,{img}" style="width:150mm"><figcaption>Figure 9 caption</figcaption>'
                "</figure><p>Text after.</p></article>",
                encoding="utf-8",
            )
            names.append((styled, name))
    with serve(tmp_path) as base:
        printed = pdf.print_pages_webdriver([base + n for _, n in names])
    split = {}
    for (styled, name), data in zip(names, printed):
        texts = [squash(p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]
        with_image = [i for i, n in enumerate(_images_per_page(data)) if n]
        assert len(with_image) == 1, name
        split[name] = "Figure9caption" not in texts[with_image[0]]
        if styled:
            assert not split[name], f"{name}: 그림과 제목이 다른 쪽에 있습니다 / figure and caption on different pages"
    assert any(split[n] for s, n in names if not s), "the unstyled control should split a figure from its caption"


@pytest.mark.slow
@pytest.mark.browser
def test_whole_book_pdf(built_book, tmp_path):
    """Item 11: cover, contents with page numbers, bookmarks, running heads, page numbers, Hangul text, size."""
    require_browser()
    out = tmp_path / "pdf" / "book.pdf"
    assert pdf.main(["--html", str(built_book.html), "--out", str(out), "--root", str(built_book.root)]) == 0
    reader = PdfReader(str(out))
    titles = toc_titles(built_book.root)
    files = [e["file"] for e in toc_entries(built_book.root)]
    assert len(reader.pages) >= len(files) + 2
    assert out.stat().st_size <= pdf.MAX_BYTES, f"{out.stat().st_size / 1e6:.1f} MB > 8 MB"

    # bookmarks: the contents first, then one per TOC page (part captions are their parents), in TOC order
    outline = list(reader.outline)
    assert outline[0].title == "차례"
    toc_start = reader.get_destination_page_number(outline[0])
    chapter_marks, part_marks = [], []
    for i, item in enumerate(outline[1:], start=1):
        if isinstance(item, list):
            chapter_marks += [(c.title, reader.get_destination_page_number(c)) for c in item]
        elif i + 1 < len(outline) and isinstance(outline[i + 1], list):
            part_marks.append(item.title)
        else:
            chapter_marks.append((item.title, reader.get_destination_page_number(item)))
    assert [t for t, _ in chapter_marks] == [titles[f] for f in files]
    parts = list(dict.fromkeys(e["part"] for e in toc_entries(built_book.root) if e["part"]))
    assert part_marks == parts
    starts = [p for _, p in chapter_marks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts) and toc_start < starts[0]

    texts = [squash(page.extract_text() or "") for page in reader.pages]
    # the cover: the book title, no page number
    book = squash(pdf.book_title(built_book.html))
    assert book and book in texts[0] and not re.search(r"\d$", texts[0].removesuffix("2023"))
    # the contents: every chapter title with the page its bookmark points to, in order
    contents = "".join(texts[toc_start : starts[0]])
    assert contents.startswith("차례")
    at = 0
    for title, start in chapter_marks:
        entry = f"{squash(title)}{start + 1}"
        found = contents.find(entry, at)
        assert found >= 0, f"차례에 '{title} … {start + 1}'이 없습니다 / not in the contents"
        at = found + len(entry)

    missing = [t for t in titles.values() if squash(t) not in "".join(texts[starts[0] :])]
    assert not missing, f"PDF에 없는 장 제목 / chapter titles missing from the PDF text: {missing}"
    bounds = starts + [len(texts)]
    for (title, start), _end in zip(chapter_marks, bounds[1:]):
        assert squash(title) in texts[start], f"'{title}' is not on its bookmarked page {start + 1}"
    # running heads: the book title and the chapter title on every page of a chapter in a part
    for (title, start), end, file in zip(chapter_marks, bounds[1:], files):
        if titles[file] and any(e["file"] == file and e["part"] for e in toc_entries(built_book.root)):
            for i in range(start, end):
                assert texts[i].count(squash(title)) >= 1 and book in texts[i], (i, title)
    # continuous page numbers at the foot of each page after the cover
    for i in (1, starts[0], len(texts) // 2, len(texts) - 1):
        assert texts[i].endswith(str(i + 1)), (i, texts[i][-40:])
    # the print styles leave out the navigation and the folded code of the notebook pages
    joined = "".join(texts)
    assert "코드보기" not in joined and "Showcodecell" not in joined
    for (title, start), end, file in zip(chapter_marks, bounds[1:], files):
        if file.startswith("notebooks/"):
            body = "".join(texts[start:end])
            assert "fromjahwalimport" not in body and "nb.setup()" not in body, f"code printed in '{title}'"
    # fonts are embedded as TrueType subsets: no Type 3 outlines (a synthetic bold), which made the file 20 MB
    kinds = {
        f.get_object().get("/Subtype")
        for page in reader.pages
        for f in (page["/Resources"].get("/Font") or {}).values()
    }
    assert "/Type3" not in kinds, kinds
