"""Citing the 2023 report by its chapters and sections, not by lines of a text file.

The transcriptions in ``data/`` keep the line numbers of the report's text
extraction (``source_lines``) so that each value can be checked against the
source. Readers never see those numbers: they see the chapter, section and
subsection they fall in (and the table or figure where the data name one).
:data:`OUTLINE` is the report's outline with the first line of each part (the
report numbers the subsections of Ⅳ장 2절 1), 3), 4)…: there is no 2)).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right

#: (first line, chapter, section, subsection, title) in reading order
OUTLINE: list[tuple[int, str, str, str, str]] = [
    (1, "Ⅰ", "1", "", "연구 배경 및 필요성"),
    (268, "Ⅰ", "2", "", "연구 목적"),
    (293, "Ⅰ", "3", "", "연구 수행체계"),
    (348, "Ⅰ", "4", "", "연구 방법"),
    (650, "Ⅱ", "", "", "선행연구와 정책"),
    (667, "Ⅱ", "1", "", "자활사례관리 성과 선행연구: 해외동향"),
    (1377, "Ⅱ", "2", "", "자활사례관리 성과 선행연구: 국내동향"),
    (2423, "Ⅱ", "3", "", "자활사례관리 성과 정책"),
    (2791, "Ⅲ", "", "", "양적 성과"),
    (2798, "Ⅲ", "1", "", "자활사례관리 인프라 현황"),
    (2910, "Ⅲ", "2", "", "자활사례관리 현황"),
    (3045, "Ⅲ", "3", "", "자활사례관리 단계별 성과"),
    (3372, "Ⅲ", "4", "", "자활사례관리 결과적 성과"),
    (3684, "Ⅳ", "1", "", "실무자 FGI 분석 결과"),
    (3790, "Ⅳ", "1", "1)", "실무자들이 생각하는 사례관리의 목적과 지원의 방향성"),
    (4592, "Ⅳ", "1", "2)", "현장에서 인지한 자활사례관리 성과"),
    (5304, "Ⅳ", "1", "3)", "현장에서 인식한 자활사례관리의 성과 요인"),
    (6212, "Ⅳ", "1", "4)", "성과 요인의 확산과 사례관리 개선을 위한 제언"),
    (6946, "Ⅳ", "2", "", "주민참여자 FGI 분석 결과"),
    (7048, "Ⅳ", "2", "1)", "주민참여자의 자활사례관리 경험"),
    (7627, "Ⅳ", "2", "3)", "주민참여자가 인지한 자활사례관리 성과"),
    (7940, "Ⅳ", "2", "4)", "자활 참여주민이 인지한 자활사례관리 성과요인"),
    (8037, "Ⅳ", "2", "5)", "자활사례관리의 한계"),
    (8311, "Ⅳ", "2", "6)", "자활사례관리 발전을 위한 제언"),
    (8575, "Ⅴ", "1", "", "자활사례관리 성과 특성"),
    (9169, "Ⅴ", "2", "", "자활사례관리 성과 관리 과업"),
]
_STARTS = [row[0] for row in OUTLINE]
_RANGE_RE = re.compile(r"(\d+)(?:\s*[-–]\s*(\d+))?")


def locate(line: int) -> tuple[str, str, str, str]:
    """Chapter, section, subsection and title of one line of the report's text.

    Examples
    --------
    >>> locate(3100)
    ('Ⅲ', '3', '', '자활사례관리 단계별 성과')
    """
    i = bisect_right(_STARTS, int(line)) - 1
    _, chapter, section, sub, title = OUTLINE[max(i, 0)]
    return chapter, section, sub, title


def _label(chapter: str, section: str, sub: str, with_sub: bool) -> str:
    out = f"{chapter}장"
    if section:
        out += f" {section}절"
    if with_sub and sub:
        out += f" {sub}"
    return out


def cite(lines: str | int | None, *, subsection: bool = True, title: bool = False) -> str:
    """Where a line reference falls in the report, as readers cite it.

    Parameters
    ----------
    lines : str or int
        A line reference of the transcriptions: ``"566-584"``, ``"3161-3163; 3170"``.
    subsection : bool
        Name the numbered subsection (``1)``) where the outline has one.
    title : bool
        Add the section's title in parentheses.

    Returns
    -------
    str
        ``"Ⅲ장 3절"``, ``"Ⅳ장 1절 2)"``, several places joined by ``·``, or ''
        for an empty reference.

    Examples
    --------
    >>> cite("566-584"), cite("8871–8903", title=True), cite("4600; 5400")
    ('Ⅰ장 4절', 'Ⅴ장 1절(자활사례관리 성과 특성)', 'Ⅳ장 1절 2)·Ⅳ장 1절 3)')
    >>> cite("3000-3400", subsection=False)
    'Ⅲ장 2절·Ⅲ장 3절·Ⅲ장 4절'
    >>> cite(""), cite(None)
    ('', '')
    """
    if lines is None or (isinstance(lines, float) and math.isnan(lines)):
        return ""
    numbers: list[int] = []
    for a, b in _RANGE_RE.findall(str(lines)):
        numbers.append(int(a))
        if b:  # every part the range runs through
            numbers += [start for start in _STARTS if int(a) < start <= int(b)] + [int(b)]
    out: list[str] = []
    for n in numbers:
        chapter, section, sub, name = locate(n)
        label = _label(chapter, section, sub, subsection) + (f"({name})" if title else "")
        if label not in out:
            out.append(label)
    return "·".join(out)
