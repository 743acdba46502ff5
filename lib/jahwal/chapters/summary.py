"""The summary page (요약): the key findings, computed with the same functions as the chapters."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jahwal.analysis import stages
from jahwal.analysis.compare import stars
from jahwal.analysis.framework import grid, grid_summary, indicator_values
from jahwal.chapters.ch5 import mark_suppressed
from jahwal.display import book_cells
from jahwal.display.disclosure import SUPPRESSED
from jahwal.inputs.contract import Extract
from jahwal.inputs.framework import DOMAINS, GROUPS, STAGES, SUBDOMAINS, Framework

# ---------------------------------------------------------------- key findings (요약)
#: decimal places of the key findings when glued
FINDING_DIGITS = {
    "intake_growth": 1,
    "assessment_rate_first": 2,
    "assessment_rate_last": 2,
    "post_closure_rate_first": 2,
    "post_closure_rate_last": 2,
    "counselling_mean": 2,
    "counselling_median": 1,
    "iap_rate_last": 2,
    "incentive_gap_iap": 0,
    "wage_gap_iap_monitoring": 0,
    "wage_gap_days": 1,
}


def change_verb(change: Any, up: str, down: str, same: str = "같습니다", hidden: str = "바뀌었습니다") -> str:
    """A Korean verb for the sign of a change (``hidden`` when the change is suppressed).

    Examples
    --------
    >>> change_verb(3.2, "늘었습니다", "줄었습니다"), change_verb(-1, "늘었습니다", "줄었습니다"), change_verb("x", "늘", "줄")
    ('늘었습니다', '줄었습니다', '바뀌었습니다')
    """
    if change == SUPPRESSED or change is None or pd.isna(change):
        return hidden
    return up if change > 0 else down if change < 0 else same


def count_cells(found: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{value key: classification}`` of the person counts of :func:`key_findings` that Chapter Ⅲ also publishes.

    For ``nb.glue_count`` with the population of the stage counts; the yearly intake is a total the report
    publishes (그림 Ⅲ-11).
    """
    return {"intake_first": {"연도": found["first_year"]}, "intake_last": {"연도": found["last_year"]}}


def key_findings(
    ex: Extract,
    corpus: Any,
    fw: Framework,
    *,
    focus_year: int,
    threshold: int,
    alpha: float = 0.05,
    variant: str = "auto",
    daily_rates: dict[str, float] | None = None,
) -> dict[str, Any]:
    """The numbers of the summary page, computed with the same functions as the chapters.

    Parameters
    ----------
    ex : Extract
    corpus : jahwal.qual.QualCorpus
    fw : Framework
    focus_year : int
        Year of the outcome comparisons (as in Chapter Ⅲ).
    threshold : int
        Suppression threshold: hidden values are returned as ``"x"``.
    alpha, variant
        Passed to :func:`jahwal.analysis.compare.compare_groups`.
    daily_rates : dict, optional
        Daily 자활급여 by unit type; the first one converts the wage gap into
        participation days.

    Returns
    -------
    dict
        Numbers (or ``"x"``) and labels keyed by name; decimal places in
        :data:`FINDING_DIGITS`.
    """
    if focus_year not in ex.years:
        raise ValueError(f"focus_year {focus_year}의 자료가 없습니다 / no data for focus_year (years: {ex.years})")
    hidden = book_cells.hidden_predicate(ex, focus_year, threshold)  # what Chapter Ⅲ hides stays hidden here
    values = mark_suppressed(indicator_values(ex, alpha=alpha, variant=variant), threshold, hidden)
    v = values.set_index(["indicator", "year"])
    first, last = min(ex.years), max(ex.years)

    def shown(key: str, year: int) -> Any:
        if (key, year) not in v.index or v.at[(key, year), "suppressed"]:
            return SUPPRESSED
        return float(v.at[(key, year), "value"])

    ia = stages.intake_assessment_by_year(ex).set_index("year")
    n0, n1 = int(ia.at[first, "intake_n"]), int(ia.at[last, "intake_n"])
    small = lambda n: 1 <= n < threshold  # noqa: E731
    hide0, hide1 = small(n0) or hidden({"연도": first}), small(n1) or hidden({"연도": last})
    growth = SUPPRESSED if hide0 or hide1 or n0 == 0 else 100 * (n1 - n0) / n0
    cy = stages.counselling_by_year(ex).set_index("year")
    c_ok = (
        focus_year in cy.index
        and not small(int(cy.at[focus_year, "persons_n"]))
        and not hidden({"연도": focus_year, "상담": "있음"})
    )
    out: dict[str, Any] = {
        "first_year": str(first),
        "last_year": str(last),
        "focus_year": str(focus_year),
        "intake_first": SUPPRESSED if hide0 else n0,
        "intake_last": SUPPRESSED if hide1 else n1,
        "intake_growth": growth if growth == SUPPRESSED else abs(growth),
        "intake_verb": change_verb(growth, "늘었습니다", "줄었습니다"),
        "assessment_rate_first": shown("assessment_rate", first),
        "assessment_rate_last": shown("assessment_rate", last),
        "post_closure_rate_first": shown("post_closure_rate", first),
        "post_closure_rate_last": shown("post_closure_rate", last),
        "iap_rate_last": shown("iap_rate", last),
        "counselling_mean": float(cy.at[focus_year, "mean"]) if c_ok else SUPPRESSED,
        "counselling_median": float(cy.at[focus_year, "median"]) if c_ok else SUPPRESSED,
        "incentive_gap_iap": shown("incentive_gap_iap", focus_year),
        "wage_gap_iap_monitoring": shown("wage_gap_iap_monitoring", focus_year),
    }
    for key in ("assessment_rate", "post_closure_rate"):
        a, b = out[f"{key}_first"], out[f"{key}_last"]
        out[f"{key}_verb"] = change_verb(SUPPRESSED if SUPPRESSED in (a, b) else b - a, "올랐습니다", "내렸습니다")
    for key in ("incentive_gap_iap", "wage_gap_iap_monitoring"):
        hidden = out[key] == SUPPRESSED
        out[f"{key}_stars"] = "" if hidden else stars(float(v.at[(key, focus_year), "p"]))
    rates = dict(daily_rates or {})
    unit, rate = next(iter(rates.items())) if rates else ("", np.nan)
    out["days_unit"] = unit or "–"
    gap = out["wage_gap_iap_monitoring"]
    out["wage_gap_days"] = SUPPRESSED if gap == SUPPRESSED or not rates else gap / rate
    for g in GROUPS:
        sub = corpus.subset(g) if g in corpus.groups else None
        out[f"{g}_n"] = int(len(sub.participants)) if sub is not None else 0
        out[f"{g}_quotes"] = int(sub.segments["quote_id"].nunique()) if sub is not None else 0
    s = grid_summary(grid(fw, corpus))
    out.update(
        {
            "n_stages": len(STAGES),
            "n_domains": len(DOMAINS),
            "n_subdomains": len(SUBDOMAINS),
            "n_cells": s["n_cells"],
            "n_common": s["n_common"],
            "n_with_indicator": s["n_with_indicator"],
            "n_indicators": int(fw.indicators["indicator"].nunique()),
        }
    )
    return out
