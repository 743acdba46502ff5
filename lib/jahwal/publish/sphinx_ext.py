"""Sphinx extension of the book: Korean search, a Hangul font fallback and print styles.

Korean search
    Sphinx has no search language for Korean and falls back to English, which
    indexes whole space-separated words with their particles ("사례관리자와의"),
    so that "자립성과금을" does not find "자립성과금의" and "상담" never finds
    "초기상담". :class:`KoreanSearch` (registered for ``language: ko``) indexes,
    for every word, its bare form without particles and endings and its nouns and
    verb or adjective stems (kiwipiepy, :func:`analyse`), plus the two-syllable
    pieces (bigrams) of its Hangul runs, marked with :data:`PIECE` so that a piece
    never passes for a word. The search page (:data:`JS_SPLITTER`, kiwipiepy cannot
    run in a browser) strips a particle or ending from each Hangul query word with
    a table (:data:`SUFFIXES`, longest first, checked against the words of the
    index) and looks the bare word up by its pieces, so it is also found inside
    compounds; pages that hold the bare word itself are ranked first. Latin words
    keep English stemming; numbers are looked up as pieces.

Hangul font fallback
    ``jahwal-book.css`` puts common Korean system fonts into the theme's font
    stacks and, last, NanumGothic Regular and Bold shipped with the site (copied
    from the ``koreanize-matplotlib`` wheel). Browsers download them only when no
    earlier font has Hangul glyphs (a bare Linux machine, a CI runner printing the
    PDF). The bold face keeps browsers from drawing a synthetic bold, which
    Chromium prints as Type 3 outlines (most of a 20 MB book PDF).

Print styles
    Navigation, sidebars, buttons and folded code are left out of print, so that
    printing a page (``jahwal pdf``) gives the text, tables and figures; long
    tables run over pages with their header repeated, tables with eight or
    more columns (marked by ``jahwal-book.js``) a smaller type, and a figure
    stays on one page with its caption.

Accessibility
    ``jahwal-book.js`` gives the bibliography entries the list-item role their
    list needs (docutils marks them with the deprecated ``doc-biblioentry``).

Tables in Markdown pages
    Every table that is not already a downloadable :class:`jahwal.display.nb.Table`
    (the hand-written tables of the Markdown chapters) is written to
    ``tables/<page>-<n>.csv`` and ``.xlsx`` and gets the same download links.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator

from docutils import nodes
from sphinx.search.en import SearchEnglish

STATIC_DIR = Path(__file__).parent / "_static"
CSS_FILE = "jahwal-book.css"
JS_FILE = "jahwal-book.js"
FONT_TARGET = "fonts/NanumGothic.ttf"
#: the web fonts shipped with the site: regular and bold (without a bold face browsers
#: draw a synthetic bold, which Chromium prints as bulky Type 3 outlines)
FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")
TABLE_FOLDER = "tables"

#: myst-nb setting -> (its default, the book's Korean label)
CODE_PROMPTS = {
    "nb_code_prompt_show": ("Show code cell {type}", "코드 보기"),
    "nb_code_prompt_hide": ("Hide code cell {type}", "코드 숨기기"),
}

HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
WORD = re.compile(r"\w+")
SEGMENT = re.compile(r"[\uac00-\ud7a3]+|[0-9]+|[^\uac00-\ud7a30-9]+")
DIGITS = re.compile(r"[0-9]+")

#: appended to the index terms that are pieces rather than words (Hangul
#: bigrams and digit runs), so that they never pass for a whole word
PIECE = "~"

# ---------------------------------------------------------------- particles and endings
#: case and other particles (조사) that follow a noun
PARTICLES = (
    "이",
    "가",
    "은",
    "는",
    "을",
    "를",
    "의",
    "에",
    "에서",
    "에게",
    "에게서",
    "한테",
    "께",
    "께서",
    "와",
    "과",
    "랑",
    "이랑",
    "도",
    "만",
    "로",
    "으로",
    "로서",
    "으로서",
    "로써",
    "으로써",
    "로부터",
    "으로부터",
    "부터",
    "까지",
    "보다",
    "처럼",
    "만큼",
    "마다",
    "조차",
    "마저",
    "이나",
    "나",
    "이며",
    "이고",
    "이란",
    "란",
    "이라는",
    "라는",
    "이라고",
    "라고",
    "이라도",
    "라도",
    "밖에",
    "뿐",
    "이다",
    "이었다",
    "였다",
    "이었던",
    "였던",
    "인",
    "이며",
    "이어서",
    "이지만",
)
#: particles that can stack on the first ones (에서는, 와의, 까지도)
STACKED = ("는", "도", "의", "만", "은")
STACK_BASES = ("에서", "에게", "에게서", "한테", "으로", "로", "에", "와", "과", "까지", "부터", "보다", "만", "마다")
#: endings of verbs and adjectives, alone (높았다 -> 높) or after 하다/되다 nouns (분석했다 -> 분석)
ENDINGS = (
    "다",
    "는다",
    "었다",
    "았다",
    "였다",
    "었던",
    "았던",
    "었고",
    "았고",
    "었으며",
    "았으며",
    "으며",
    "으면",
    "으나",
    "지만",
    "고",
    "며",
    "던",
    "게",
    "지",
    "기",
    "음",
    "아",
    "어",
    "아서",
    "어서",
    "하다",
    "한다",
    "하는",
    "한",
    "할",
    "함",
    "하고",
    "하며",
    "하여",
    "해",
    "해서",
    "했다",
    "했고",
    "했던",
    "했으며",
    "했으나",
    "하였다",
    "하였고",
    "하였던",
    "하였으며",
    "하였으나",
    "하지",
    "하기",
    "하게",
    "하면",
    "되다",
    "된다",
    "되는",
    "된",
    "될",
    "됨",
    "되고",
    "되며",
    "되어",
    "돼",
    "되었다",
    "됐다",
    "되었던",
    "되었고",
    "되었으며",
    "되지",
    "되기",
    "되게",
    "되면",
    "시킨",
    "시키는",
    "시켰다",
)
PLURAL = "들"


def _suffix_table() -> tuple[str, ...]:
    base = set(PARTICLES) | {b + s for b in STACK_BASES for s in STACKED}
    table = base | {PLURAL} | {PLURAL + p for p in base} | set(ENDINGS)
    return tuple(sorted(table, key=lambda s: (-len(s), s)))


#: every particle and ending the search page strips, longest first
SUFFIXES: tuple[str, ...] = _suffix_table()

#: kiwipiepy tags of the morphemes indexed as words of their own
CONTENT_TAGS = {"NNG", "NNP", "NR", "XR", "SL", "SH", "VV", "VA"}


def _trailing(tag: str, form: str) -> bool:
    """Morphemes stripped from the end of a word: particles, endings, copula, 하다/되다 and plural 들."""
    return tag.startswith(("J", "E")) or tag in {"VCP", "VCN", "XSV", "XSA"} or (tag == "XSN" and form == PLURAL)


_KIWI: list[Any] = []


def _kiwi() -> Any:
    """One shared kiwipiepy analyser (``None`` when kiwipiepy is not installed)."""
    if not _KIWI:
        try:
            from kiwipiepy import Kiwi
        except ImportError:  # pragma: no cover - kiwipiepy is a dependency
            _KIWI.append(None)
        else:
            _KIWI.append(Kiwi())
    return _KIWI[0]


@functools.lru_cache(maxsize=None)
def analyse(word: str) -> tuple[str, tuple[str, ...]]:
    """Bare form and content morphemes of one Hangul word (kiwipiepy).

    The bare form is the word without the particles and endings at its end; the
    content morphemes are its nouns, roots and verb or adjective stems.

    Examples
    --------
    >>> analyse("사례관리자와의")
    ('사례관리자', ('사례', '관리자'))
    >>> analyse("높았다")
    ('높', ('높',))
    >>> analyse("참여자들은")
    ('참여자', ('참여자',))
    """
    kiwi = _kiwi()
    if kiwi is None:  # pragma: no cover
        return word, ()
    tokens = kiwi.tokenize(word)
    cut = len(word)
    for tok in reversed(tokens):
        if not _trailing(tok.tag, tok.form):
            break
        cut = min(cut, tok.start)
    content = []
    for tok in tokens:
        tag = tok.tag.split("-")[0]
        if tag in CONTENT_TAGS and tok.form not in content:
            content.append(tok.form)
    return word[:cut], tuple(content)


# ---------------------------------------------------------------- splitting
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


def _pieces(run: str) -> list[str]:
    return [b + PIECE for b in bigrams(run)]


def index_terms(token: str) -> list[str]:
    """Terms indexed for one word.

    A word with Hangul gives its bare form and content morphemes (kiwipiepy,
    :func:`analyse`), the two-syllable pieces of its Hangul runs and its other
    parts; digit runs are indexed as pieces too (the search page skips bare
    numbers). Pieces carry the mark :data:`PIECE`.

    Examples
    --------
    >>> index_terms("사례관리자와의")
    ['사례관리자', '사례', '관리자', '사례~', '례관~', '관리~', '리자~', '자와~', '와의~']
    >>> index_terms("IAP를")
    ['IAP']
    >>> index_terms("2022년")
    ['2022년', '2022~']
    >>> index_terms("recipients")
    ['recipients']
    """
    digits = [d + PIECE for d in DIGITS.findall(token)]
    if not HANGUL_RUN.search(token):
        return list(dict.fromkeys([token] + digits))
    bare, content = analyse(token)
    out = [bare] if bare else []
    out += [c for c in content if not DIGITS.fullmatch(c)]
    for seg in SEGMENT.findall(token):
        if HANGUL_RUN.fullmatch(seg):
            out += _pieces(seg)
        elif not DIGITS.fullmatch(seg):
            out.append(seg)
    out += digits
    return list(dict.fromkeys(out))


def bare_word(word: str, lexicon: Collection[str] = ()) -> str:
    """A Hangul query word without its particle or ending (the twin of the search page's rule).

    The word is kept when the index knows it; otherwise the longest particle or
    ending (:data:`SUFFIXES`) whose removal leaves a word of the index is
    removed; failing that the longest one leaving at least two syllables.

    Examples
    --------
    >>> bare_word("상담에서", {"상담"})
    '상담'
    >>> bare_word("성과", {"성과", "성"})
    '성과'
    >>> bare_word("높았다", {"높"})
    '높'
    >>> bare_word("자립성과금을")
    '자립성과금'
    """
    if word in lexicon:
        return word
    for suffix in SUFFIXES:
        if len(word) > len(suffix) and word.endswith(suffix) and word[: -len(suffix)] in lexicon:
            return word[: -len(suffix)]
    for suffix in SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _strip_particle(run: str) -> str:
    """A Hangul run after digits or Latin letters without its particle or ending (any length left).

    Examples
    --------
    >>> _strip_particle("년에"), _strip_particle("를"), _strip_particle("수립을")
    ('년', '', '수립')
    """
    for suffix in SUFFIXES:
        if run.endswith(suffix):
            return run[: -len(suffix)]
    return run


def query_words(token: str, lexicon: Collection[str] = ()) -> tuple[list[str], list[str]]:
    """Terms looked up for one query word, and its whole words (for ranking).

    A Hangul word loses its particle or ending (:func:`bare_word`); a bare word
    of two or more syllables is looked up by its two-syllable pieces (so that
    it is found inside compounds), one of a single syllable as it is. In a word
    mixing scripts (IAP를, 2022년) the Latin parts are looked up as they are,
    digits and Hangul runs of two or more syllables as pieces.
    """
    segments = SEGMENT.findall(token)
    terms: list[str] = []
    words: list[str] = []
    if len(segments) == 1 and HANGUL_RUN.fullmatch(token):
        bare = bare_word(token, lexicon)
        words.append(bare)
        terms += _pieces(bare) if len(bare) >= 2 else [bare]
        return terms, words
    for i, seg in enumerate(segments):
        if HANGUL_RUN.fullmatch(seg):
            if i == len(segments) - 1:  # a particle after a number or a Latin word: 2019년에, IAP를
                seg = _strip_particle(seg)
            terms += _pieces(seg)
        elif DIGITS.fullmatch(seg):
            terms.append(seg + PIECE)
        else:
            terms.append(seg)
    return terms, words


def query_terms(token: str, lexicon: Collection[str] = ()) -> list[str]:
    """Terms looked up for one query word (the Python twin of :data:`JS_SPLITTER`).

    Examples
    --------
    >>> query_terms("상담")
    ['상담~']
    >>> query_terms("사례관리자와의", {"사례관리자"})
    ['사례~', '례관~', '관리~', '리자~']
    >>> query_terms("IAP를")
    ['IAP']
    >>> query_terms("IAP수립")
    ['IAP', '수립~']
    >>> query_terms("2022")
    ['2022~']
    >>> query_terms("2019년에") == query_terms("2019년") == query_terms("2019")
    True
    """
    return list(dict.fromkeys(query_words(token, lexicon)[0]))


def split_query(query: str, lexicon: Collection[str] = ()) -> list[str]:
    """Split a whole search query as the search page does.

    Examples
    --------
    >>> split_query("초기상담 사례관리자", {"초기상담", "사례관리자"})
    ['초기~', '기상~', '상담~', '사례~', '례관~', '관리~', '리자~']
    """
    out: list[str] = []
    for token in WORD.findall(query):
        out.extend(query_terms(token, lexicon))
    return list(dict.fromkeys(out))


# Same rules as bare_word/query_words/split_query; Sphinx embeds it in language_data.js,
# which the search page loads after searchtools.js (so ``Search`` and ``Scorer`` exist).
_JS_TEMPLATE = r"""
/* jahwal: Korean query splitter (particles and endings stripped, Hangul bigrams), twin of jahwal.publish.sphinx_ext.split_query */
const JAHWAL_SUFFIXES = __SUFFIXES__;
const JAHWAL_PIECE = "__PIECE__";
const JAHWAL_WHOLE_WORD = __BONUS__;
var jahwalWords = [];

/* is `word` a term of the loaded search index (a whole word, not a piece)? */
function jahwalKnown(word) {
  const index = typeof Search !== "undefined" ? Search._index : null;
  if (!index) return false;
  const own = (map) => !!map && Object.prototype.hasOwnProperty.call(map, word);
  return own(index.terms) || own(index.titleterms);
}

/* a Hangul word without its particle or ending: kept if known, else the longest suffix leaving a known word, else one leaving two syllables */
function jahwalBare(word, known) {
  if (known(word)) return word;
  for (const s of JAHWAL_SUFFIXES) {
    if (word.length > s.length && word.endsWith(s) && known(word.slice(0, -s.length))) return word.slice(0, -s.length);
  }
  for (const s of JAHWAL_SUFFIXES) {
    if (word.length >= s.length + 2 && word.endsWith(s)) return word.slice(0, -s.length);
  }
  return word;
}

/* a Hangul run after digits or Latin letters, without its particle or ending */
function jahwalStripParticle(run) {
  for (const s of JAHWAL_SUFFIXES) if (run.endsWith(s)) return run.slice(0, -s.length);
  return run;
}

/* [terms to look up, whole bare words for ranking] */
function jahwalSplit(query, known) {
  const HANGUL = /^[\uac00-\ud7a3]+$/;
  const DIGITS = /^[0-9]+$/;
  const SEGMENT = /[\uac00-\ud7a3]+|[0-9]+|[^\uac00-\ud7a30-9]+/g;
  const pieces = (run) => {
    const out = [];
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2) + JAHWAL_PIECE);
    return out;
  };
  const terms = [];
  const whole = [];
  const add = (list, t) => { if (t && list.indexOf(t) === -1) list.push(t); };
  const words = query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((w) => w);
  for (const word of words) {
    const segments = word.match(SEGMENT) || [];
    if (segments.length === 1 && HANGUL.test(word)) {
      const bare = jahwalBare(word, known);
      add(whole, bare);
      (bare.length >= 2 ? pieces(bare) : [bare]).forEach((t) => add(terms, t));
      continue;
    }
    segments.forEach((seg, i) => {
      if (HANGUL.test(seg)) {
        if (i === segments.length - 1) seg = jahwalStripParticle(seg);
        pieces(seg).forEach((t) => add(terms, t));
      }
      else if (DIGITS.test(seg)) add(terms, seg + JAHWAL_PIECE);
      else add(terms, seg);
    });
  }
  return [terms, whole];
}

function splitQuery(query) {
  const [terms, whole] = jahwalSplit(query, jahwalKnown);
  jahwalWords = whole;
  return terms;
}

/* pages holding a query word as a whole word (or its stem) come first */
if (typeof Scorer !== "undefined") {
  Scorer.score = (result) => {
    const index = typeof Search !== "undefined" ? Search._index : null;
    let score = result[4];
    if (!index) return score;
    const file = index.docnames.indexOf(result[0]);
    const has = (map, word) => {
      if (!map || !Object.prototype.hasOwnProperty.call(map, word)) return false;
      const files = map[word];
      return Array.isArray(files) ? files.indexOf(file) !== -1 : files === file;
    };
    for (const word of jahwalWords) {
      if (has(index.terms, word) || has(index.titleterms, word)) score += JAHWAL_WHOLE_WORD;
    }
    return score;
  };
}

/* summaries and highlights show the query words, not their index pieces */
if (typeof Search !== "undefined" && !Search.jahwal) {
  Search.jahwal = true;
  const parse = Search._parseQuery;
  Search._parseQuery = (query) => {
    const parsed = parse(query);
    const highlight = parsed[3];
    const [terms, whole] = jahwalSplit(query, jahwalKnown);
    highlight.clear();
    whole.forEach((w) => highlight.add(w));
    terms.filter((t) => !t.endsWith(JAHWAL_PIECE)).forEach((t) => highlight.add(t.toLowerCase()));
    if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED) {
      localStorage.setItem("sphinx_highlight_terms", [...highlight].join(" "));
    }
    return parsed;
  };
  const summary = Search.makeSearchSummary;
  Search.makeSearchSummary = (html, keywords, anchor) =>
    summary(html, [...[...keywords].map((k) => k.replace(/~$/, "")), ...jahwalWords], anchor);
}
"""

#: score added to a result for each query word the page holds whole
WHOLE_WORD_BONUS = 50

JS_SPLITTER = (
    _JS_TEMPLATE.replace("__SUFFIXES__", json.dumps(list(SUFFIXES), ensure_ascii=False))
    .replace("__PIECE__", PIECE)
    .replace("__BONUS__", str(WHOLE_WORD_BONUS))
)


class KoreanSearch(SearchEnglish):
    """Search language ``ko``: bare words, stems and Hangul bigrams; English stemming for Latin words."""

    lang = "ko"
    language_name = "Korean"
    js_splitter_code = JS_SPLITTER

    def split(self, input: str) -> list[str]:  # noqa: A002 - Sphinx's signature
        out: list[str] = []
        for token in self._word_re.findall(input):
            out.extend(index_terms(token))
        return out

    def stem(self, word: str) -> str:
        if word.endswith(PIECE) or HANGUL_RUN.search(word):
            return word.lower()
        return super().stem(word)


# ---------------------------------------------------------------- static files
def _font_sources() -> list[Path]:
    """NanumGothic Regular and Bold from the ``koreanize-matplotlib`` wheel, if installed."""
    try:
        from jahwal.display.figures import font_files
    except Exception:  # pragma: no cover - figures needs matplotlib
        return []
    try:
        files = {p.name: p for p in font_files()}
    except RuntimeError:
        return []
    return [files[name] for name in FONT_FILES if name in files]


def web_font(source: Path, target: Path) -> Path:
    """Copy a TrueType font for browsers, dropping the VTT source tables (``TSI*``).

    Chromium's font sanitiser rejects NanumGothic's empty ``TSI3`` table, so
    the font is rewritten without the hinting-source tables that browsers never
    use. The copy is kept when it is newer than the source. The font's own
    time stamp (``head.modified``) is kept, so every build writes the same bytes.
    """
    from fontTools.ttLib import TTFont

    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    font = TTFont(str(source), recalcTimestamp=False)
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
    folder = Path(app.outdir) / "_static" / Path(FONT_TARGET).parent
    for font in _font_sources():
        web_font(font, folder / font.name)


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
    from jahwal.display.nb import write_xlsx

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
        write_xlsx(df, folder / f"{key}.xlsx", key)
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
    "PIECE",
    "SUFFIXES",
    "analyse",
    "bare_word",
    "bigrams",
    "index_terms",
    "query_terms",
    "query_words",
    "split_query",
    "table_frame",
]
