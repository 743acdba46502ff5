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
    assert info == {"pages": 6, "chapters": 3, "starts": [0, 1, 4]}
    reader = PdfReader(str(out))
    assert reader.metadata.title == "자활 연구"
    top = reader.outline
    assert [getattr(o, "title", None) for o in top if not isinstance(o, list)] == ["표지", "Ⅲ. 양적 성과"]
    children = next(o for o in top if isinstance(o, list))
    assert [c.title for c in children] == ["인프라", "상담"]
    assert [reader.get_destination_page_number(c) for c in children] == [1, 4]
    assert not list(out.parent.glob("*.part.pdf"))


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


@pytest.mark.slow
@pytest.mark.browser
def test_whole_book_pdf(built_book, tmp_path):
    """``jahwal pdf`` on the built book: one PDF whose text holds every chapter title, in TOC order."""
    require_browser()
    out = tmp_path / "pdf" / "book.pdf"
    assert pdf.main(["--html", str(built_book.html), "--out", str(out), "--root", str(built_book.root)]) == 0
    reader = PdfReader(str(out))
    titles = toc_titles(built_book.root)
    files = [e["file"] for e in toc_entries(built_book.root)]
    assert len(reader.pages) >= len(files)

    # bookmarks: one per TOC page (part captions are their parents), in TOC order
    chapter_marks = []
    outline = list(reader.outline)
    for i, item in enumerate(outline):
        if isinstance(item, list):
            chapter_marks += [(c.title, reader.get_destination_page_number(c)) for c in item]
        elif not (i + 1 < len(outline) and isinstance(outline[i + 1], list)):
            chapter_marks.append((item.title, reader.get_destination_page_number(item)))
    assert [t for t, _ in chapter_marks] == [titles[f] for f in files]
    starts = [p for _, p in chapter_marks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)

    texts = [squash(page.extract_text() or "") for page in reader.pages]
    missing = [t for t in titles.values() if squash(t) not in "".join(texts)]
    assert not missing, f"PDF에 없는 장 제목 / chapter titles missing from the PDF text: {missing}"
    for title, start in chapter_marks:
        assert squash(title) in texts[start], f"'{title}' is not on its bookmarked page {start + 1}"

    # continuous page numbers at the foot of each page
    for i in (0, len(texts) // 2, len(texts) - 1):
        assert texts[i].endswith(str(i + 1)), (i, texts[i][-40:])
    # the print styles leave out the navigation and the folded code of the notebook pages
    joined = "".join(texts)
    assert "코드보기" not in joined and "Showcodecell" not in joined
    bounds = starts + [len(texts)]
    for (title, start), end, file in zip(chapter_marks, bounds[1:], files):
        if file.startswith("notebooks/"):
            body = "".join(texts[start:end])
            assert "fromjahwalimport" not in body and "nb.setup()" not in body, f"code printed in '{title}'"
