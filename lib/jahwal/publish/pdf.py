"""One PDF of the whole book: headless Chromium prints each page, pypdf joins them.

``jahwal pdf --html _build/html --out _build/pdf/book.pdf`` serves the built
HTML on 127.0.0.1, prints every page of ``_toc.yml`` in reading order with the
book's print styles (no navigation, no folded code; Hangul from the site's font
stack), and writes one PDF with

* a bookmark (outline) for every page, grouped under the TOC part captions;
* continuous page numbers at the foot of each page (drawn in Chromium too, as a
  separate overlay, because Chromium numbers each printed page from 1);
* the book title in the document information.

Chromium is driven with Selenium (one browser for all pages, waiting for web
fonts and images); without Selenium the ``chromium --print-to-pdf`` command is
run once per page.
"""
from __future__ import annotations

import argparse
import base64
import html as html_mod
import io
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from jahwal.errors import JahwalError

PAPER = {"paperWidth": 8.27, "paperHeight": 11.69}  # A4 in inches
NUMBER_CSS = (
    "@page{size:A4;margin:0}html,body{margin:0;padding:0}"
    ".p{height:289mm;position:relative;break-after:page;page-break-after:always}"
    ".p:last-child{break-after:auto;page-break-after:auto}"
    ".n{position:absolute;bottom:2mm;left:0;right:0;text-align:center;"
    "font:9pt 'DejaVu Sans',Arial,sans-serif;color:#555}"
)


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


def print_pages_webdriver(urls: Sequence[str], timeout: float = 60) -> list[bytes]:
    """Print each URL to PDF bytes with one headless Chromium (Selenium + DevTools)."""
    from jahwal.publish.browser import webdriver

    out = []
    with webdriver(width=1200, height=1600, console=False) as driver:
        driver.set_script_timeout(timeout)
        for url in urls:
            driver.get(url)
            driver.execute_async_script(WAIT_JS)
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
        raise ValueError(f"engine은 auto, webdriver, cli 중 하나입니다 / engine must be auto, webdriver or cli: {engine!r}")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return print_pages_cli
    from jahwal.publish.browser import find_chromedriver

    return print_pages_webdriver if find_chromedriver() else print_pages_cli


def number_overlay(n_pages: int, start: int = 1) -> str:
    """HTML of ``n_pages`` blank A4 pages carrying only their page numbers.

    Examples
    --------
    >>> html = number_overlay(2)
    >>> html.count('class="p"'), '<div class="n">2</div>' in html
    (2, True)
    """
    body = "".join(f'<div class="p"><div class="n">{start + i}</div></div>' for i in range(n_pages))
    return f'<!doctype html><html><head><meta charset="utf-8"><style>{NUMBER_CSS}</style></head><body>{body}</body></html>'


# ---------------------------------------------------------------- merging
def merge(
    parts: Sequence[bytes],
    pages: Sequence[Page],
    out: Path,
    *,
    title: str = "",
    numbers: bytes | None = None,
) -> dict[str, Any]:
    """Join printed pages into one PDF with bookmarks and (optionally) page numbers."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
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
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".part.pdf")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    tmp.replace(out)
    return {"pages": len(writer.pages), "chapters": len(pages), "starts": starts}


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
        Stamp continuous page numbers at the foot of each page.

    Returns
    -------
    dict
        ``pages`` (PDF pages), ``chapters`` (HTML pages printed), ``seconds``,
        ``out`` and ``titles`` (the bookmark titles in order).
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
    with serve(html_dir) as base:
        urls = [base + p.path.relative_to(html_dir).as_posix() for p in pages]
        parts = printer(urls)
        numbers = None
        if page_numbers:
            from pypdf import PdfReader

            total = sum(len(PdfReader(io.BytesIO(b)).pages) for b in parts)
            with tempfile.TemporaryDirectory(prefix="jahwal-num-") as tmp:
                overlay = Path(tmp) / "numbers.html"
                overlay.write_text(number_overlay(total), encoding="utf-8")
                with serve(tmp) as nbase:
                    numbers = printer([nbase + "numbers.html"])[0]
    info = merge(parts, pages, Path(out), title=book_title(html_dir), numbers=numbers)
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
    print(f"PDF를 썼습니다 / wrote {info['out']}: {info['pages']}쪽 / pages, {info['chapters']}장 / chapters, {info['seconds']}초 / s")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
