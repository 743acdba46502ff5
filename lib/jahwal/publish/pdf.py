"""One PDF of the whole book: headless Chromium prints each page, pypdf joins them.

``jahwal pdf --html _build/html --out _build/pdf/book.pdf`` serves the built
HTML on 127.0.0.1, prints every page of ``_toc.yml`` in reading order with the
book's print styles (no navigation, no folded code; Hangul from the site's font
stack; figures kept with their captions; tables wider than the page scaled to
fit, :data:`FIT_JS`), and writes one PDF with

* a cover and a table of contents with the page number of every chapter
  (printed after the chapters, once their page counts are known);
* a bookmark (outline) for the contents and every page, grouped under the TOC
  part captions;
* continuous page numbers at the foot of each page and a running head (book
  title, chapter title), drawn in Chromium too, as a separate overlay, because
  Chromium numbers each printed page from 1;
* compressed page contents and shared objects stored once (the file stays small
  enough for e-mail);
* the book title in the document information.

Chromium is driven with Selenium (one browser for all pages, waiting for web
fonts and images); without Selenium the ``chromium --print-to-pdf`` command is
run once per page (without the table fitting).
"""

from __future__ import annotations

import argparse
import base64
import html as html_mod
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from jahwal.errors import JahwalError

PAPER = {"paperWidth": 8.27, "paperHeight": 11.69}  # A4 in inches
#: the largest PDF the book should make (small enough to send by e-mail)
MAX_BYTES = 8_000_000
#: printable width in CSS px of an A4 page with the print margins of jahwal-book.css (13 mm each side)
PRINT_WIDTH_PX = round((210 - 2 * 13) / 25.4 * 96)
MIN_TABLE_SCALE = 0.45
FONT_DIR = "_static/fonts"
OVERLAY_CSS = (
    "@page{size:A4;margin:0}html,body{margin:0;padding:0}"
    "@font-face{font-family:JahwalHangul;src:url(NanumGothic.ttf);unicode-range:U+1100-11FF,U+3130-318F,U+A960-A97F,U+AC00-D7A3,U+D7B0-D7FF}"
    ".p{height:297mm;position:relative;overflow:hidden;break-after:page;page-break-after:always}"
    ".p:last-child{break-after:auto;page-break-after:auto}"
    ".h{position:absolute;top:6mm;left:13mm;right:13mm;display:flex;justify-content:space-between;gap:8mm;"
    "border-bottom:0.3pt solid #888;padding-bottom:1mm;font:7.5pt JahwalHangul,'DejaVu Sans',sans-serif;color:#444}"
    ".h span{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}"
    ".n{position:absolute;bottom:6mm;left:0;right:0;text-align:center;"
    "font:9pt JahwalHangul,'DejaVu Sans',Arial,sans-serif;color:#444}"
)
FRONT_CSS = (
    "@page{size:A4;margin:22mm 20mm 20mm 20mm}"
    "@font-face{font-family:JahwalHangul;src:url(NanumGothic.ttf);unicode-range:U+1100-11FF,U+3130-318F,U+A960-A97F,U+AC00-D7A3,U+D7B0-D7FF}"
    "@font-face{font-family:JahwalHangul;src:url(NanumGothicBold.ttf);font-weight:700;unicode-range:U+1100-11FF,U+3130-318F,U+A960-A97F,U+AC00-D7A3,U+D7B0-D7FF}"
    "html{font:10.5pt/1.5 JahwalHangul,'DejaVu Sans',sans-serif;color:#111}body{margin:0}"
    ".cover{height:250mm;display:flex;flex-direction:column;justify-content:center;break-after:page}"
    ".cover h1{font-size:27pt;line-height:1.3;margin:0 0 8mm;font-weight:700}"
    ".cover .sub{font-size:13pt;color:#333;margin:0 0 30mm}.cover .by{font-size:11pt;color:#333;margin:0}"
    ".cover .note{margin-top:40mm;font-size:8.5pt;color:#555}"
    ".toc h1{font-size:18pt;margin:0 0 8mm}.toc ol{list-style:none;margin:0;padding:0}"
    ".toc .part{font-weight:700;margin:5mm 0 1.5mm;break-after:avoid}"
    ".toc .ch{display:flex;align-items:baseline;gap:2mm;margin:0 0 1.2mm 5mm;break-inside:avoid}"
    ".toc .ch .t{flex:0 1 auto}.toc .ch .dots{flex:1 1 auto;border-bottom:0.6pt dotted #777;min-width:8mm}"
    ".toc .ch .pg{flex:0 0 auto;min-width:8mm;text-align:right}"
)
#: before printing: scale tables wider than the printable width down to fit (at most to MIN_TABLE_SCALE)
FIT_JS = """
const width = arguments[0], least = arguments[1];
let n = 0;
document.querySelectorAll('article table').forEach((t) => {
  t.style.zoom = '';
  const need = t.scrollWidth;
  if (need > width) {
    t.style.zoom = String(Math.max(least, (width - 2) / need));
    t.classList.add('jahwal-fitted');
    n += 1;
  }
});
return n;
"""


class PdfError(JahwalError):
    """The PDF could not be made (missing pages, no browser, printing failed)."""

    exit_code = 5


@dataclass
class Page:
    """One page of the book to print."""

    file: str  # TOC entry, e.g. notebooks/31_infrastructure
    part: str  # TOC part caption ("" for the root page)
    path: Path  # the HTML file
    title: str = ""


# ---------------------------------------------------------------- pages
def book_pages(html_dir: Path, root: Path) -> list[Page]:
    """The HTML pages of the book in ``_toc.yml`` order.

    Raises
    ------
    PdfError
        A page listed in ``_toc.yml`` has no HTML file (the book is not built).
    """
    from jahwal.publish.toc import toc_entries

    html_dir = Path(html_dir)
    pages, missing = [], []
    for entry in toc_entries(root):
        file = re.sub(r"\.(ipynb|md)$", "", entry["file"])
        path = html_dir / f"{file}.html"
        if path.is_file():
            pages.append(Page(file=file, part=entry.get("part", ""), path=path))
        else:
            missing.append(f"{file}.html")
    if missing:
        raise PdfError(
            f"책의 HTML 쪽이 없습니다(먼저 jahwal build) / pages missing from {html_dir} (run jahwal build first): "
            + ", ".join(missing)
        )
    if not pages:
        raise PdfError(f"인쇄할 쪽이 없습니다 / no pages to print in {html_dir}")
    return pages


def page_title(path: Path) -> str:
    """The first ``<h1>`` of a built page (without the permalink sign).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.html"
    >>> _ = p.write_text('<h1>초기상담 <a class="headerlink">#</a></h1>', encoding="utf-8")
    >>> page_title(p)
    '초기상담'
    """
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    m = re.search(r"<h1[^>]*>(.*?)</h1>", text, flags=re.S | re.I)
    if not m:
        m = re.search(r"<title>(.*?)</title>", text, flags=re.S | re.I)
        if not m:
            return Path(path).stem
    inner = re.sub(r'<a class="headerlink".*?</a>', "", m.group(1), flags=re.S)
    inner = re.sub(r"<[^>]+>", "", inner)
    return " ".join(html_mod.unescape(inner).split()).rstrip("#").strip()


def book_title(html_dir: Path) -> str:
    """The book title from the built site (``<title>`` of the first page's navbar logo)."""
    for name in ("index.html", "book/index.html"):
        p = Path(html_dir) / name
        if p.is_file():
            text = p.read_text(encoding="utf-8", errors="replace")
            m = re.search(r'<p class="title logo__title">(.*?)</p>', text, flags=re.S)
            if m:
                return " ".join(html_mod.unescape(m.group(1)).split())
    return ""


# ---------------------------------------------------------------- printing
WAIT_JS = """
const done = arguments[arguments.length - 1];
const imgs = Array.from(document.images).map((img) => img.complete ? Promise.resolve() :
  new Promise((ok) => { img.addEventListener('load', ok); img.addEventListener('error', ok); }));
Promise.all([document.fonts.ready, ...imgs]).then(() => requestAnimationFrame(() => done(true)));
"""


def _print_options() -> dict[str, Any]:
    return {
        "printBackground": True,
        "preferCSSPageSize": True,
        "displayHeaderFooter": False,
        "marginTop": 0.6,
        "marginBottom": 0.7,
        "marginLeft": 0.55,
        "marginRight": 0.55,
        **PAPER,
    }


def print_pages_webdriver(urls: Sequence[str], timeout: float = 60, fit_tables: bool = True) -> list[bytes]:
    """Print each URL to PDF bytes with one headless Chromium (Selenium + DevTools).

    With ``fit_tables`` the pages are laid out as for print at the printable
    width first, and tables wider than that are scaled down (:data:`FIT_JS`).
    """
    from .browser import webdriver

    out = []
    with webdriver(width=1200, height=1600, console=False) as driver:
        driver.set_script_timeout(timeout)
        if fit_tables:
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": PRINT_WIDTH_PX, "height": 1400, "deviceScaleFactor": 1, "mobile": False},
            )
        for url in urls:
            driver.get(url)
            driver.execute_async_script(WAIT_JS)
            if fit_tables:
                driver.execute_script(FIT_JS, PRINT_WIDTH_PX, MIN_TABLE_SCALE)
            result = driver.execute_cdp_cmd("Page.printToPDF", _print_options())
            out.append(base64.b64decode(result["data"]))
    return out


def print_pages_cli(urls: Sequence[str], timeout: float = 120) -> list[bytes]:
    """Print each URL with ``chromium --print-to-pdf`` (no Selenium needed)."""
    from jahwal.publish.browser import run_headless

    out = []
    with tempfile.TemporaryDirectory(prefix="jahwal-pdf-") as tmp:
        for i, url in enumerate(urls):
            target = Path(tmp) / f"{i:03d}.pdf"
            proc = run_headless(
                [
                    f"--print-to-pdf={target}",
                    "--no-pdf-header-footer",
                    "--virtual-time-budget=15000",
                    "--run-all-compositor-stages-before-draw",
                    url,
                ],
                timeout=timeout,
            )
            if not target.is_file():
                raise PdfError(
                    f"Chromium이 {url}을 인쇄하지 못했습니다 / Chromium did not print {url} "
                    f"(exit {proc.returncode}): {proc.stderr[-800:]}"
                )
            out.append(target.read_bytes())
    return out


def _printer(engine: str) -> Callable[[Sequence[str]], list[bytes]]:
    if engine == "webdriver":
        return print_pages_webdriver
    if engine == "cli":
        return print_pages_cli
    if engine != "auto":
        raise ValueError(
            f"engine은 auto, webdriver, cli 중 하나입니다 / engine must be auto, webdriver or cli: {engine!r}"
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        return print_pages_cli
    from jahwal.publish.browser import find_chromedriver

    return print_pages_webdriver if find_chromedriver() else print_pages_cli


def _page(content: str, css: str) -> str:
    return f'<!doctype html><html lang="ko"><head><meta charset="utf-8"><style>{css}</style></head><body>{content}</body></html>'


def page_overlay(heads: Sequence[tuple[str, str] | None], numbers: Sequence[str | None]) -> str:
    """HTML of blank A4 pages carrying only a running head and a page number each.

    Examples
    --------
    >>> html = page_overlay([None, ("책", "Ⅲ. 양적 성과")], [None, "2"])
    >>> html.count('class="p"'), '<div class="n">2</div>' in html, "<span>Ⅲ. 양적 성과</span>" in html
    (2, True, True)
    """
    esc = html_mod.escape
    body = []
    for head, number in zip(heads, numbers):
        inner = ""
        if head:
            inner += f'<div class="h"><span>{esc(head[0])}</span><span>{esc(head[1])}</span></div>'
        if number:
            inner += f'<div class="n">{esc(number)}</div>'
        body.append(f'<div class="p">{inner}</div>')
    return _page("".join(body), OVERLAY_CSS)


def number_overlay(n_pages: int, start: int = 1) -> str:
    """HTML of ``n_pages`` blank A4 pages carrying only their page numbers.

    Examples
    --------
    >>> html = number_overlay(2)
    >>> html.count('class="p"'), '<div class="n">2</div>' in html
    (2, True)
    """
    return page_overlay([None] * n_pages, [str(start + i) for i in range(n_pages)])


def cover_info(page: Path) -> tuple[str, list[str]]:
    """Title and the line under it (subtitle · authors · year) of the book's first page.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.html"
    >>> _ = p.write_text('<h1>연구<a class="headerlink">#</a></h1><p class="s">부제 · 연구진 · 2023</p>', encoding="utf-8")
    >>> cover_info(p)
    ('연구', ['부제', '연구진', '2023'])
    """
    title = page_title(page)
    text = Path(page).read_text(encoding="utf-8", errors="replace")
    m = re.search(r"</h1>\s*(?:<[^p][^>]*>\s*)*<p[^>]*>(.*?)</p>", text, flags=re.S | re.I)
    lines: list[str] = []
    if m:
        line = " ".join(html_mod.unescape(re.sub(r"<[^>]+>", "", m.group(1))).split())
        if len(line) <= 200:  # a subtitle line, not the first paragraph of the text
            lines = [x.strip() for x in line.split("·") if x.strip()]
    return title, lines


def cover_html(title: str, lines: Sequence[str]) -> str:
    """The cover page: title, subtitle and the other lines (authors, year).

    Examples
    --------
    >>> "<h1>연구</h1>" in cover_html("연구", ["부제", "연구진"])
    True
    """
    esc = html_mod.escape
    sub = f'<p class="sub">{esc(lines[0])}</p>' if lines else ""
    by = "".join(f'<p class="by">{esc(x)}</p>' for x in lines[1:])
    return _page(f'<section class="cover"><h1>{esc(title)}</h1>{sub}{by}</section>', FRONT_CSS)


CONTENTS_TITLE = "차례"


def contents_html(pages: Sequence[Page], numbers: Sequence[int]) -> str:
    """The table of contents: part captions and chapter titles with their page numbers.

    Examples
    --------
    >>> pages = [Page("a", "Ⅰ. 서론", Path("a.html"), "연구 설계"), Page("b", "Ⅰ. 서론", Path("b.html"), "자료")]
    >>> html = contents_html(pages, [3, 7])
    >>> html.count('class="part"'), '<span class="t">자료</span><span class="dots"></span><span class="pg">7</span>' in html
    (1, True)
    """
    esc = html_mod.escape
    rows, part = [], None
    for page, number in zip(pages, numbers):
        if page.part and page.part != part:
            part = page.part
            rows.append(f'<li class="part">{esc(part)}</li>')
        rows.append(
            f'<li class="ch"><span class="t">{esc(page.title or page.file)}</span><span class="dots"></span>'
            f'<span class="pg">{number}</span></li>'
        )
    return _page(f'<section class="toc"><h1>{CONTENTS_TITLE}</h1><ol>{"".join(rows)}</ol></section>', FRONT_CSS)


# ---------------------------------------------------------------- merging
def _n_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def merge(
    parts: Sequence[bytes],
    pages: Sequence[Page],
    out: Path,
    *,
    title: str = "",
    numbers: bytes | None = None,
    front: Sequence[bytes] = (),
    front_marks: Sequence[tuple[str, int]] = (),
) -> dict[str, Any]:
    """Join printed pages into one PDF with bookmarks and (optionally) page numbers.

    Parameters
    ----------
    parts : list of bytes
        One printed PDF per page of the book, in order.
    pages : list of Page
        The pages (their titles and part captions make the bookmarks).
    out : path
        The PDF to write (through a temporary file).
    title : str
        Document title.
    numbers : bytes, optional
        An overlay PDF (running heads and page numbers), one page per page of the result.
    front : list of bytes
        PDFs put before the book's pages (cover, table of contents).
    front_marks : list of (str, int)
        Bookmarks into the front pages: title and page index.

    Returns
    -------
    dict
        ``pages``, ``chapters``, ``front`` (pages before the book's pages) and
        ``starts`` (page index where each part of ``parts`` begins).
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in front:
        writer.append(PdfReader(io.BytesIO(data)))
    n_front = len(writer.pages)
    starts = []
    for data in parts:
        starts.append(len(writer.pages))
        writer.append(PdfReader(io.BytesIO(data)))
    if numbers is not None:
        overlay = PdfReader(io.BytesIO(numbers))
        if len(overlay.pages) < len(writer.pages):
            raise PdfError(
                f"쪽 번호 면이 모자랍니다 / the page-number overlay has {len(overlay.pages)} pages for {len(writer.pages)}"
            )
        for page, stamp in zip(writer.pages, overlay.pages):
            page.merge_page(stamp, over=True)
    for mark, index in front_marks:
        writer.add_outline_item(title=mark, page_number=index)
    part_items: dict[str, Any] = {}
    for page, start in zip(pages, starts):
        parent = None
        if page.part:
            if page.part not in part_items:
                part_items[page.part] = writer.add_outline_item(title=page.part, page_number=start)
            parent = part_items[page.part]
        writer.add_outline_item(title=page.title or page.file, page_number=start, parent=parent)
    writer.add_metadata({"/Title": title or "", "/Creator": "jahwal pdf (Chromium + pypdf)", "/Lang": "ko"})
    writer.page_mode = "/UseOutlines"
    from pypdf.generic import NameObject, TextStringObject

    writer._root_object[NameObject("/Lang")] = TextStringObject("ko")  # the document language, for screen readers
    # merged pages come out with uncompressed contents; store each shared font, image and profile once
    for page in writer.pages:
        page.compress_content_streams()
    if hasattr(writer, "compress_identical_objects"):
        writer.compress_identical_objects()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".part.pdf")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    tmp.replace(out)
    return {"pages": len(writer.pages), "chapters": len(pages), "front": n_front, "starts": starts}


def _copy_fonts(html_dir: Path, folder: Path) -> None:
    for font in ("NanumGothic.ttf", "NanumGothicBold.ttf"):
        src = Path(html_dir) / FONT_DIR / font
        if src.is_file():
            shutil.copy2(src, Path(folder) / font)


def _front_matter(
    printer: Callable[[Sequence[str]], list[bytes]],
    html_dir: Path,
    pages: Sequence[Page],
    counts: Sequence[int],
) -> tuple[bytes, bytes, int]:
    """Cover and table of contents (the contents printed again until its page count settles)."""
    from .browser import serve

    title, lines = cover_info(pages[0].path)
    with tempfile.TemporaryDirectory(prefix="jahwal-front-") as tmp:
        _copy_fonts(html_dir, Path(tmp))
        (Path(tmp) / "cover.html").write_text(cover_html(title, lines), encoding="utf-8")
        with serve(tmp) as base:
            cover = printer([base + "cover.html"])[0]
            n_cover, n_toc = _n_pages(cover), 1
            for _ in range(4):
                numbers, at = [], n_cover + n_toc
                for count in counts:
                    numbers.append(at + 1)
                    at += count
                (Path(tmp) / "contents.html").write_text(contents_html(pages, numbers), encoding="utf-8")
                toc = printer([base + "contents.html"])[0]
                if _n_pages(toc) == n_toc:
                    return cover, toc, n_cover
                n_toc = _n_pages(toc)
    raise PdfError("차례의 쪽 수가 정해지지 않습니다 / the table of contents does not settle")  # pragma: no cover


def make_pdf(
    html_dir: str | Path,
    out: str | Path,
    root: str | Path | None = None,
    *,
    engine: str = "auto",
    page_numbers: bool = True,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Print the built book at ``html_dir`` into one PDF at ``out``.

    Parameters
    ----------
    html_dir : path
        The built site (``_build/html``).
    out : path
        The PDF to write (its folder is created).
    root : path, optional
        Project root holding ``_toc.yml``; found from the current folder if omitted.
    engine : {"auto", "webdriver", "cli"}
        How Chromium is driven (see the module notes).
    page_numbers : bool
        Stamp continuous page numbers at the foot of each page and a running
        head (book title, chapter title) at its top.

    Returns
    -------
    dict
        ``pages`` (PDF pages), ``chapters`` (HTML pages printed), ``front``
        (cover and contents pages), ``starts``, ``seconds``, ``out`` and
        ``titles`` (the bookmark titles in order).
    """
    from jahwal.publish.browser import BrowserError, ensure, serve
    from jahwal.publish.toc import find_root

    t0 = time.perf_counter()
    html_dir = Path(html_dir)
    if not (html_dir / "index.html").is_file():
        raise PdfError(f"{html_dir}/index.html이 없습니다(먼저 jahwal build) / no built book at {html_dir}")
    root = Path(root) if root else find_root()
    pages = book_pages(html_dir, root)
    for p in pages:
        p.title = page_title(p.path)
    printer = _printer(engine)
    try:
        ensure(allow_install=False)
    except BrowserError as exc:
        raise PdfError(str(exc)) from exc
    echo(f"PDF: {len(pages)}쪽 인쇄 중 / printing {len(pages)} pages")
    title = book_title(html_dir)
    with serve(html_dir) as base:
        urls = [base + p.path.relative_to(html_dir).as_posix() for p in pages]
        parts = printer(urls)
    counts = [_n_pages(b) for b in parts]
    cover, toc, n_cover = _front_matter(printer, html_dir, pages, counts)
    n_front = n_cover + _n_pages(toc)
    numbers = None
    if page_numbers:
        heads: list[tuple[str, str] | None] = [None] * n_cover + [(title, CONTENTS_TITLE)] * (n_front - n_cover)
        for page, count in zip(pages, counts):
            heads += [(title, page.title if page.part else "")] * count
        labels = [None] * n_cover + [str(i + 1) for i in range(n_cover, len(heads))]
        with tempfile.TemporaryDirectory(prefix="jahwal-num-") as tmp:
            _copy_fonts(html_dir, Path(tmp))
            (Path(tmp) / "numbers.html").write_text(page_overlay(heads, labels), encoding="utf-8")
            with serve(tmp) as nbase:
                numbers = printer([nbase + "numbers.html"])[0]
    info = merge(
        parts,
        pages,
        Path(out),
        title=title,
        numbers=numbers,
        front=[cover, toc],
        front_marks=[(CONTENTS_TITLE, n_cover)],
    )
    info.update({"seconds": round(time.perf_counter() - t0, 2), "out": str(out), "titles": [p.title for p in pages]})
    return info


def pdf_text(path: str | Path) -> str:
    """All text of a PDF (pypdf), pages joined by newlines."""
    from pypdf import PdfReader

    return "\n".join((page.extract_text() or "") for page in PdfReader(str(path)).pages)


def main(argv: list[str] | None = None) -> int:
    """``jahwal pdf --html _build/html --out _build/pdf/book.pdf``."""
    p = argparse.ArgumentParser(prog="jahwal pdf", description="책 전체를 PDF 한 권으로 / the whole book as one PDF")
    p.add_argument("--html", default="_build/html", help="만들어진 책 폴더 / built HTML folder")
    p.add_argument("--out", default="_build/pdf/book.pdf", help="PDF 파일 / output PDF")
    p.add_argument("--root", default=None, help="_toc.yml이 있는 프로젝트 폴더 / project root")
    p.add_argument("--engine", default="auto", choices=["auto", "webdriver", "cli"])
    p.add_argument("--no-page-numbers", action="store_true", help="쪽 번호 없이 / without page numbers")
    args = p.parse_args(argv)
    try:
        info = make_pdf(args.html, args.out, args.root, engine=args.engine, page_numbers=not args.no_page_numbers)
    except JahwalError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except subprocess.TimeoutExpired as exc:  # pragma: no cover
        print(f"Chromium 시간 초과 / Chromium timed out: {exc}", file=sys.stderr)
        return PdfError.exit_code
    print(
        f"PDF를 썼습니다 / wrote {info['out']}: {info['pages']}쪽 / pages, {info['chapters']}장 / chapters, {info['seconds']}초 / s"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
