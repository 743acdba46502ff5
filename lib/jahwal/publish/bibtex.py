"""Sphinx extension: Korean citation and bibliography styles for sphinxcontrib-bibtex.

``extra_extensions: [jahwal.publish.bibtex]`` in ``_config.yml`` registers them.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

# ------------------------------------------------------------------ Korean citation styles
_HANGUL = re.compile(r"[가-힣]")
KO_REFERENCE_STYLE = "author_year_ko"
KO_BIBLIOGRAPHY_STYLE = "plain_ko"


def join_names_ko(names: Sequence[Any], others: bool = False, full: bool = True) -> Any:
    """Join formatted author names the Korean way when they are in Hangul.

    Hangul names are joined with ``·`` and an incomplete list ends in ``외``;
    other names keep the English separators (``and``, ``et al.``).
    ``full=False`` (in-text citations) shortens three or more names to the
    first one. ``names`` may be strings or pybtex rich text.

    Examples
    --------
    >>> join_names_ko(["백학영", "김경휘"]), join_names_ko(["박지영"], others=True)
    ('백학영·김경휘', '박지영 외')
    >>> join_names_ko(["이기연", "박지영", "이은정"], full=False)
    '이기연 외'
    >>> join_names_ko(["Ross", "Curry", "Goodwin"]), join_names_ko(["Brown"], others=True)
    ('Ross, Curry, and Goodwin', 'Brown et al.')
    """
    from pybtex.richtext import Text

    parts = [p for p in names if str(p)]
    if not parts:
        return "" if all(isinstance(p, str) for p in names) else Text()
    hangul = bool(_HANGUL.search(str(parts[0])))
    short = others or (not full and len(parts) > 2)
    as_str = all(isinstance(p, str) for p in parts)
    if short:
        out = Text(parts[0], " 외" if hangul else " et al.")
    elif len(parts) == 1:
        out = Text(parts[0])
    elif hangul:
        out = Text("·").join(parts)
    elif len(parts) == 2:
        out = Text(" and ").join(parts)
    else:
        out = Text(", and ").join([Text(", ").join(parts[:-1]), parts[-1]])
    return str(out) if as_str else out


def _ko_names_node():
    from pybtex.style.template import node

    @node
    def ko_names(children, data, role, full=True):
        """Format the persons of ``role`` with :func:`join_names_ko` (pybtex template node)."""
        from pybtex.style.template import FieldIsMissing

        try:
            persons = data["entry"].persons[role]
        except KeyError:
            raise FieldIsMissing(role, data["entry"]) from None
        style = data["style"]
        if hasattr(style, "person"):  # sphinxcontrib-bibtex referencing style
            fmt, abbr = style.person.style_plugin.format, style.person.abbreviate
        else:  # pybtex formatting style
            fmt, abbr = style.format_name, style.abbreviate_names
        real = [p for p in persons if str(p) != "others"]
        texts = [fmt(p, abbr).format_data(data) for p in real]
        return join_names_ko(texts, others=len(real) < len(persons), full=full)

    return ko_names


def bibtex_styles() -> tuple[type, type]:
    """Build the Korean reference style and bibliography style classes.

    Returns ``(reference_style, bibliography_style)``: an author–year
    referencing style for sphinxcontrib-bibtex and a pybtex formatting style
    (``plain`` with Korean name joining and titles kept as written).
    """
    from dataclasses import dataclass
    from dataclasses import field as dc_field

    from pybtex.style.formatting.plain import Style as PlainStyle
    from pybtex.style.template import field, first_of, optional, sentence, tag
    from sphinxcontrib.bibtex.style.referencing import PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    ko_names = _ko_names_node()

    @dataclass
    class KoreanPersonStyle(PersonStyle):
        def names(self, role: str, full: bool):
            return ko_names(role=role, full=full)

        def author_or_editor_or_title(self, full: bool):
            return first_of[
                optional[ko_names(role="author", full=full)],
                optional[ko_names(role="editor", full=full)],
                tag("em")[field("title")],
            ]

    @dataclass
    class KoreanAuthorYearStyle(AuthorYearReferenceStyle):
        person: PersonStyle = dc_field(default_factory=KoreanPersonStyle)

    class KoreanPlainStyle(PlainStyle):
        def format_names(self, role, as_sentence=True):
            formatted = ko_names(role=role, full=True)
            return sentence[formatted] if as_sentence else formatted

        def format_title(self, e, which_field, as_sentence=True):
            formatted = field(which_field)
            return sentence[formatted] if as_sentence else formatted

    return KoreanAuthorYearStyle, KoreanPlainStyle


def register_bibtex_styles() -> None:
    """Register ``author_year_ko`` (references) and ``plain_ko`` (bibliography)."""
    import pybtex.plugin
    from sphinxcontrib.bibtex.plugin import register_plugin

    ref, bib = bibtex_styles()
    register_plugin("sphinxcontrib.bibtex.style.referencing", KO_REFERENCE_STYLE, ref, force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", KO_BIBLIOGRAPHY_STYLE, bib, force=True)


def setup(app: Any) -> dict[str, Any]:
    """Sphinx extension: ``extra_extensions: [jahwal.publish.bibtex]`` registers the Korean citation styles.

    Then ``bibtex_reference_style: author_year_ko`` gives in-text citations
    such as ``백학영·김경휘 [2013]`` and ``박지영 외 [2021]``, and
    ``:style: plain_ko`` in the ``{bibliography}`` directive lists entries the
    same way.
    """
    register_bibtex_styles()
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
