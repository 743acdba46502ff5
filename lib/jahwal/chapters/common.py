"""Helpers shared by the chapter modules (rounding, year labels, bar labels, cross-reference
labels).
"""

from __future__ import annotations

import pandas as pd

from jahwal.vocab import TOTAL


def _rounded(df: pd.DataFrame, digits: dict[str, int]) -> pd.DataFrame:
    out = df.copy()
    for c, d in digits.items():
        if c in out:
            out[c] = pd.to_numeric(out[c], errors="coerce").round(d)
    return out


def _year_str(s: pd.Series) -> pd.Series:
    return s.map(lambda v: TOTAL if v == TOTAL else str(int(v)))


def label_key(figure_id: str) -> str:
    """Cross-reference label of a numbered item.

    Examples
    --------
    >>> label_key("그림 Ⅲ-11"), label_key("표 Ⅲ-3"), label_key("표 Ⅲ-S2")
    ('fig-III-11', 'tab-III-3', 'tab-III-S2')
    """
    kind, num = figure_id.split(" ")
    prefix = {"그림": "fig", "표": "tab"}[kind]
    return f"{prefix}-III-{num.split('-', 1)[1]}"


def _bar_labels(ax, xs, ys, fmt="{:,.0f}", offset=3):
    for x, y in zip(xs, ys):
        ax.annotate(fmt.format(y), (x, y), textcoords="offset points", xytext=(0, offset), ha="center", fontsize=8)
