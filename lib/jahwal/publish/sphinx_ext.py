"""Sphinx extension of the book: Korean search, a Hangul font fallback and print styles.

Korean search
    Sphinx has no search language for Korean and falls back to English, which
    indexes whole space-separated words with their particles ("사례관리자와의")
    and matches substrings only for query words longer than two letters, so
    "상담" never finds "초기상담". :class:`KoreanSearch` (registered for
    ``language: ko``) indexes every word and, for each run of Hangul syllables,
    its two-syllable pieces (bigrams). The search page splits a query the same
    way (:data:`JS_SPLITTER`) and Sphinx requires every piece to occur on a page,
    which approximates substring search: "상담" finds "초기상담" and
    "사례관리자" finds "사례관리자와의". Latin words keep English stemming.

Hangul font fallback
    ``jahwal-book.css`` puts common Korean system fonts into the theme's font
    stacks and, last, NanumGothic shipped with the site (copied from the
    ``koreanize-matplotlib`` wheel). Browsers download it only when no earlier
    font has Hangul glyphs (a bare Linux machine, a CI runner printing the PDF).

Print styles
    Navigation, sidebars, buttons and folded code are left out of print, so that
    printing a page (``jahwal pdf``) gives the text, tables and figures; long
    tables run over pages with their header repeated, and tables with eight or
    more columns (marked by ``jahwal-book.js``) a smaller type.

Tables in Markdown pages
    Every table that is not already a downloadable :class:`jahwal.display.nb.Table`
    (the hand-written tables of the Markdown chapters) is written to
    ``tables/<page>-<n>.csv`` and ``.xlsx`` and gets the same download links.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Iterator

from docutils import nodes
from sphinx.search.en import SearchEnglish

STATIC_DIR = Path(__file__).parent / "_static"
CSS_FILE = "jahwal-book.css"
JS_FILE = "jahwal-book.js"
FONT_TARGET = "fonts/NanumGothic.ttf"
TABLE_FOLDER = "tables"

#: myst-nb setting -> (its default, the book's Korean label)
CODE_PROMPTS = {
    "nb_code_prompt_show": ("Show code cell {type}", "코드 보기"),
    "nb_code_prompt_hide": ("Hide code cell {type}", "코드 숨기기"),
}

HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
WORD = re.compile(r"\w+")


# ---------------------------------------------------------------- splitting
def _runs(token: str) -> tuple[list[str], list[str]]:
    """Hangul runs and the other runs of one word."""
    hangul = HANGUL_RUN.findall(token)
    other = [p for p in HANGUL_RUN.split(token) if p]
    return hangul, other


def bigrams(run: str) -> list[str]:
    """Consecutive two-letter pieces of a string.

    Examples
    --------
    >>> bigrams("초기상담")
    ['초기', '기상', '상담']
    >>> bigrams("상")
    []
    """
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_terms(token: str) -> list[str]:
    """Terms indexed for one word: the word, its Hangul bigrams and its other parts.

    Examples
    --------
    >>> index_terms("사례관리자와의")
    ['사례관리자와의', '사례', '례관', '관리', '리자', '자와', '와의']
    >>> index_terms("IAP를")
    ['IAP를', 'IAP']
    >>> index_terms("2022년")
    ['2022년', '2022']
    >>> index_terms("recipients")
    ['recipients']
    """
    hangul, other = _runs(token)
    if not hangul:
        return [token]
    out = [token]
    for run in hangul:
        out.extend(bigrams(run))
    out.extend(other)
    return list(dict.fromkeys(out))


def query_terms(token: str) -> list[str]:
    """Terms looked up for one query word (the Python twin of :data:`JS_SPLITTER`).

    A word holding a run of two or more Hangul syllables becomes the bigrams of
    its runs plus its other parts; any other word is kept as it is.

    Examples
    --------
    >>> query_terms("상담")
    ['상담']
    >>> query_terms("사례관리자")
    ['사례', '례관', '관리', '리자']
    >>> query_terms("IAP를")
    ['IAP를']
    >>> query_terms("IAP수립")
    ['수립', 'IAP']
    """
    hangul, other = _runs(token)
    if not any(len(r) >= 2 for r in hangul):
        return [token]
    out: list[str] = []
    for run in hangul:
        out.extend(bigrams(run) if len(run) >= 2 else [])
    out.extend(other)
    return list(dict.fromkeys(out))


def split_query(query: str) -> list[str]:
    """Split a whole search query as the search page does.

    Examples
    --------
    >>> split_query("초기상담 사례관리자")
    ['초기', '기상', '상담', '사례', '례관', '관리', '리자']
    """
    out: list[str] = []
    for token in WORD.findall(query):
        out.extend(query_terms(token))
    return list(dict.fromkeys(out))


# Same rules as query_terms/split_query; Sphinx embeds it in language_data.js.
JS_SPLITTER = r"""
/* jahwal: Korean query splitter (Hangul bigrams), twin of jahwal.publish.sphinx_ext.split_query */
function splitQuery(query) {
  const HANGUL = /[\uac00-\ud7a3]+/g;
  const words = query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((w) => w);
  const out = [];
  const add = (t) => { if (t && out.indexOf(t) === -1) out.push(t); };
  for (const word of words) {
    const runs = word.match(HANGUL) || [];
    if (!runs.some((r) => r.length >= 2)) { add(word); continue; }
    for (const run of runs) {
      for (let i = 0; i + 1 < run.length; i++) add(run.slice(i, i + 2));
    }
    for (const part of word.split(HANGUL)) add(part);
  }
  return out;
}
"""


class KoreanSearch(SearchEnglish):
    """Search language ``ko``: words plus Hangul bigrams; English stemming for Latin words."""

    lang = "ko"
    language_name = "Korean"
    js_splitter_code = JS_SPLITTER

    def split(self, input: str) -> list[str]:  # noqa: A002 - Sphinx's signature
        out: list[str] = []
        for token in self._word_re.findall(input):
            out.extend(index_terms(token))
        return out

    def stem(self, word: str) -> str:
        if HANGUL_RUN.search(word):
            return word.lower()
        return super().stem(word)


# ---------------------------------------------------------------- static files
def _font_source() -> Path | None:
    """NanumGothic Regular from the ``koreanize-matplotlib`` wheel, if installed."""
    try:
        from jahwal.display.figures import font_files
    except Exception:  # pragma: no cover - figures needs matplotlib
        return None
    try:
        files = [p for p in font_files() if p.name == "NanumGothic.ttf"]
    except RuntimeError:
        return None
    return files[0] if files else None


def web_font(source: Path, target: Path) -> Path:
    """Copy a TrueType font for browsers, dropping the VTT source tables (``TSI*``).

    Chromium's font sanitiser rejects NanumGothic's empty ``TSI3`` table, so
    the font is rewritten without the hinting-source tables that browsers never
    use. The copy is kept when it is newer than the source.
    """
    from fontTools.ttLib import TTFont

    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    font = TTFont(str(source))
    for tag in [t for t in font.keys() if t.startswith("TSI")]:
        del font[tag]
    tmp = target.with_suffix(".part")
    font.save(str(tmp))
    tmp.replace(target)
    return target


def _config_inited(app: Any, config: Any) -> None:
    # an empty default_mode makes pydata-sphinx-theme log a console error on a first visit
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "light")
    config.html_context = context
    if not config.html_favicon:
        config.html_favicon = str(STATIC_DIR / "jahwal-favicon.svg")
    # myst-nb's labels of folded code cells, in Korean unless the book sets its own
    for name, (default, korean) in CODE_PROMPTS.items():
        if getattr(config, name, default) == default:
            config[name] = korean


def _builder_inited(app: Any) -> None:
    if app.builder.format != "html":
        return
    static = [str(p) for p in app.config.html_static_path]
    if str(STATIC_DIR) not in static:
        app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file(CSS_FILE)
    app.add_js_file(JS_FILE, defer="defer")


def _dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Drop repeated ``<script>`` entries from a page.

    With jupyter-book 1 the inline configuration script of sphinx-thebe
    (``const THEBE_JS_URL = ...``) is registered twice; the second copy throws
    "Identifier 'THEBE_JS_URL' has already been declared" on every page.
    """
    files = context.get("script_files")
    if not isinstance(files, list):
        return
    seen, unique = set(), []
    for js in files:
        attrs = getattr(js, "attributes", {}) or {}
        key = (getattr(js, "filename", js) or None, tuple(sorted((k, str(v)) for k, v in attrs.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    if len(unique) != len(files):
        files[:] = unique


def _build_finished(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    font = _font_source()
    if font is not None:
        web_font(font, Path(app.outdir) / "_static" / FONT_TARGET)


# ---------------------------------------------------------------- table downloads
def _table_rows(table: nodes.table) -> Iterator[tuple[bool, list[str]]]:
    for group in table.findall(nodes.tgroup):
        for part in group.children:
            is_head = isinstance(part, nodes.thead)
            if not isinstance(part, (nodes.thead, nodes.tbody)):
                continue
            for row in part.findall(nodes.row):
                yield is_head, [" ".join(entry.astext().split()) for entry in row.findall(nodes.entry)]


def table_frame(table: nodes.table):
    """A docutils table as a DataFrame (header rows joined into column names)."""
    import pandas as pd

    head: list[list[str]] = []
    body: list[list[str]] = []
    for is_head, cells in _table_rows(table):
        (head if is_head else body).append(cells)
    width = max([len(r) for r in head + body] or [0])
    if head:
        columns = [" ".join(h[i] for h in head if i < len(h)).strip() or f"열{i + 1}" for i in range(width)]
    else:
        columns = [f"열{i + 1}" for i in range(width)]
    body = [r + [""] * (width - len(r)) for r in body]
    df = pd.DataFrame(body, columns=columns)
    for col in df.columns:
        conv = pd.to_numeric(df[col].str.replace(",", "", regex=False), errors="coerce")
        if len(df) and conv.notna().all():
            df[col] = conv
    return df


def _table_key(docname: str, table: nodes.table, n: int) -> str:
    for ident in table.get("ids", []):
        if re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", ident):
            return ident
    slug = re.sub(r"[^A-Za-z0-9]+", "-", docname).strip("-") or "page"
    return f"{slug}-table-{n}"


def _doctree_resolved(app: Any, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html" or not app.config.jahwal_table_downloads:
        return
    import pandas as pd

    folder = Path(app.outdir) / TABLE_FOLDER
    depth = docname.count("/")
    prefix = "../" * depth + TABLE_FOLDER + "/"
    n = 0
    for table in list(doctree.findall(nodes.table)):
        n += 1
        key = _table_key(docname, table, n)
        df = table_frame(table)
        folder.mkdir(parents=True, exist_ok=True)
        df.to_csv(folder / f"{key}.csv", index=False, encoding="utf-8-sig")
        with pd.ExcelWriter(folder / f"{key}.xlsx", engine="xlsxwriter") as writer:
            df.to_excel(writer, index=False, sheet_name=key[:31])
        links = nodes.raw(
            "",
            f'<div class="jahwal-downloads">내려받기: <a href="{prefix}{key}.csv" download>CSV</a> · '
            f'<a href="{prefix}{key}.xlsx" download>XLSX</a></div>',
            format="html",
        )
        table.parent.insert(table.parent.index(table) + 1, links)


def setup(app: Any) -> dict[str, Any]:
    app.add_search_language(KoreanSearch)
    app.add_config_value("jahwal_table_downloads", True, "html")
    app.connect("config-inited", _config_inited, priority=400)
    app.connect("builder-inited", _builder_inited)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("build-finished", _build_finished)
    return {"version": "0.2", "parallel_read_safe": True, "parallel_write_safe": True}


__all__: Iterable[str] = [
    "JS_SPLITTER",
    "KoreanSearch",
    "bigrams",
    "index_terms",
    "query_terms",
    "split_query",
    "table_frame",
]
