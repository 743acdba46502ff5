"""Study-dependent additions to executed pages before rendering.

In a build on the synthetic extract every page that reads the extract gets a
short banner under its title naming the extract as synthetic, and every
figure from the extract gets a caption note saying whether its values are
published, calibrated or assumed (:mod:`jahwal.inputs.origin`). A build on a real
extract leaves the pages as they are.
"""

from __future__ import annotations

import re
from typing import Any

import nbformat

from jahwal.inputs import origin

BANNER_CLASS = "jahwal-synthetic-banner"
_FIGURE_RE = re.compile(r"^```\{glue:figure\}\s+(\S+)\s*$")


def banner_markdown(synthetic: Any) -> str:
    """The banner as a MyST admonition ('' in a real-extract build).

    Examples
    --------
    >>> "합성 추출 자료" in banner_markdown({"scale": 1, "years": [2019, 2022]}), banner_markdown(None)
    (True, '')
    """
    text = origin.banner_text(synthetic)
    if not text:
        return ""
    return f":::{{admonition}} 합성 자료로 계산한 쪽\n:class: warning {BANNER_CLASS}\n{text}\n:::"


def add_banner(source: str, banner: str) -> str:
    """Insert ``banner`` after the first level-1 heading of a Markdown cell.

    Examples
    --------
    >>> add_banner("# 제목\\n\\n본문", "B")
    '# 제목\\n\\nB\\n\\n본문'
    """
    if not banner:
        return source
    lines = source.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            rest = "\n".join(lines[i + 1 :]).lstrip("\n")
            return "\n".join(lines[: i + 1]) + "\n\n" + banner + ("\n\n" + rest if rest else "\n")
    return banner + "\n\n" + source


def add_caption_notes(source: str, notes: dict[str, str]) -> str:
    """Append a note to the caption of each ``{glue:figure}`` whose key has one.

    Examples
    --------
    >>> src = "```{glue:figure} fig-1\\n:name: fig-1\\n\\n그림 1 제목\\n```"
    >>> add_caption_notes(src, {"fig-1": "합성 자료: 모든 값은 가정값"}).splitlines()[3]
    '그림 1 제목 (합성 자료: 모든 값은 가정값)'
    """
    lines = source.split("\n")
    i = 0
    while i < len(lines):
        m = _FIGURE_RE.match(lines[i])
        if not m:
            i += 1
            continue
        j = next((k for k in range(i + 1, len(lines)) if lines[k].startswith("```")), None)
        if j is None:
            break
        note = notes.get(m.group(1), "")
        cap = next((k for k in range(j - 1, i, -1) if lines[k].strip() and not lines[k].startswith(":")), None)
        if note and cap is not None:
            lines[cap] = f"{lines[cap].rstrip()} ({note})"
        i = j + 1
    return "\n".join(lines)


def study_page(
    nb: nbformat.NotebookNode, *, synthetic: Any, years: list[int], focus_year: int, quantitative: bool
) -> nbformat.NotebookNode:
    """Add the synthetic-data banner and the figures' caption notes to one executed page.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook (changed in place and returned).
    synthetic : dict or None
        The study's ``prepare.synthetic`` block; ``None`` leaves the page unchanged.
    years : list of int
        The study's data years.
    focus_year : int
        The study's focus year.
    quantitative : bool
        Whether the page reads the extract (it then gets the banner).
    """
    if synthetic is None:
        return nb
    banner = banner_markdown(synthetic) if quantitative else ""
    placed = False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        src = cell.source
        if banner and not placed and re.search(r"^# ", src, re.MULTILINE):
            src = add_banner(src, banner)
            placed = True
        keys = [m.group(1) for m in (_FIGURE_RE.match(line) for line in src.split("\n")) if m]
        if keys:
            src = add_caption_notes(src, {k: origin.figure_note(k, synthetic, years, focus_year) for k in keys})
        cell.source = src
    return nb
