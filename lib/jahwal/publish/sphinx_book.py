"""Sphinx settings the book relies on, applied after jupyter-book's defaults.

jupyter-book 1.x turns on automatic figure numbering (``numfig``). The book
numbers tables and figures as the report does (표 Ⅲ-3, 그림 Ⅲ-11) in the
captions themselves, so automatic numbers are switched off here.

The theme's footer says "By <author>" and "© Copyright <year>", which the
Korean translation renders as a broken phrase ("으로 …"). The footer is
replaced by one Korean line made from the study's author and copyright year
(set by the build from the parameter file), followed by the book's note.
"""

from __future__ import annotations

import html
from typing import Any


def footer_html(author: str, copyright: str, note: str = "") -> str:  # noqa: A002 - Sphinx's name
    """The book's footer: who made it and when, then the note.

    Examples
    --------
    >>> footer_html("자활사례관리 성과 연구진", "2023", "합성 자료로 만든 재현판입니다.")
    '<p>지은이: 자활사례관리 성과 연구진 · 2023년</p><p>합성 자료로 만든 재현판입니다.</p>'
    """
    year = str(copyright).strip()
    year = f"{year}년" if year.isdigit() else year
    who = " · ".join(p for p in (f"지은이: {html.escape(author)}" if author else "", html.escape(year)) if p)
    out = f"<p>{who}</p>" if who else ""
    return out + (f"<p>{html.escape(note)}</p>" if note else "")


def _config_inited(app: Any, config: Any) -> None:
    config.numfig = False
    opts = dict(config.html_theme_options or {})
    opts["footer_content_items"] = ["extra-footer.html"]
    opts["extra_footer"] = footer_html(config.author, config.copyright, opts.get("extra_footer", ""))
    config.html_theme_options = opts


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _config_inited, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
