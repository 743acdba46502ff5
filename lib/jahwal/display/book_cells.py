"""The person counts of Chapter Ⅲ as ledger cells, and the book's joint suppression plan.

All stage counts of Chapter Ⅲ (그림 Ⅲ-11, 표 Ⅲ-3 to Ⅲ-8, 그림 Ⅲ-14, 표 Ⅲ-S1 and
the numbers in the prose) count one population, the persons with intake
counselling in a year (초기상담 참여자), cross-classified by a few variables
(:data:`VARIABLES`). :func:`truth_ledger` holds the true count of every cell of
the cross-classifications that the chapter publishes (:data:`FAMILIES`), and
:func:`book_plan` chooses the primary and complementary suppression for all of
them at once, so that a count hidden in one table is hidden in every table, the
figure data and the prose, and no combination of published counts pins it down.

Tables apply the plan with :func:`jahwal.display.ledger.apply_suppression` and the spec
of :data:`SPECS` that they also hand to ``nb.glue_table(..., ledger=...)``.
"""

from __future__ import annotations

from typing import Any, Callable

import pandas as pd

from jahwal.analysis import stages
from jahwal.display.attack import Plan, check, plan
from jahwal.display.ledger import CellKey, Ledger
from jahwal.inputs.contract import CODES, Extract

POPULATION = "초기상담 참여자"
YEAR = "연도"
TOTAL = "계"
NOT_RECORDED = "미상"


def _province_names(d: pd.DataFrame) -> pd.Series:
    """Each row's official province name in its year (as the province tables print it)."""
    names = {
        (p, int(y)): stages.province_name(p, int(y))
        for p, y in zip(d["province"], d["year"])
        if isinstance(p, str) and pd.notna(y)
    }
    return pd.Series(
        [
            names.get((p, int(y))) if isinstance(p, str) and pd.notna(y) else None
            for p, y in zip(d["province"], d["year"])
        ],
        index=d.index,
    )


#: ledger variable → (values from the person-year table, complete category list or None for the data's)
VARIABLES: dict[str, tuple[Callable[[pd.DataFrame], pd.Series], tuple[str, ...] | None]] = {
    YEAR: (lambda d: d["year"].astype(int).astype(str), None),
    "시도": (lambda d: _province_names(d), None),
    "사정": (lambda d: d["assessed"].map({True: "참여", False: "미참여"}), ("참여", "미참여")),
    "IAP": (lambda d: d["iap_status"].fillna(NOT_RECORDED).astype(str), tuple(CODES["iap_status"]) + (NOT_RECORDED,)),
    "ISP": (lambda d: d["isp_status"].fillna(NOT_RECORDED).astype(str), tuple(CODES["isp_status"]) + (NOT_RECORDED,)),
    "상담": (lambda d: (d["counselling_n"] > 0).map({True: "있음", False: "없음"}), ("있음", "없음")),
    "종결": (lambda d: d["closed"].map({True: "종결", False: "미종결"}), ("종결", "미종결")),
    "종결 후 상담": (lambda d: d["post_closure"].map(lambda v: "있음" if v is True else "없음"), ("있음", "없음")),
}


def _category(column: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda d: d[column].astype(object).where(d[column].notna(), NOT_RECORDED).astype(str)


#: 그림 Ⅲ-1 to Ⅲ-10 (notebook 32): counselled persons of the focus year by one characteristic each;
#: the categories (with 미상 for persons without a value, never printed) add up to the year's counselled persons
CHARACTERISTICS: dict[str, str] = {label: column for label, column, _ in stages.CHARACTERISTICS}
VARIABLES.update({label: (_category(column), None) for label, column in CHARACTERISTICS.items()})

#: the cross-classifications that Chapter Ⅲ publishes: (variables, values shown per variable, years)
#: ``"all"`` years or only the ``"focus"`` year; values ``None``: every category is shown
PUBLISHED: list[tuple[tuple[str, ...], dict[str, tuple[str, ...]], str]] = [
    ((YEAR,), {}, "all"),  # 그림 Ⅲ-11, 표 Ⅲ-S1
    ((YEAR, "사정"), {"사정": ("참여",)}, "all"),  # 그림 Ⅲ-12, 표 Ⅲ-S1
    ((YEAR, "IAP"), {"IAP": tuple(CODES["iap_status"])}, "all"),  # 표 Ⅲ-4, 표 Ⅲ-S1
    ((YEAR, "ISP"), {"ISP": tuple(CODES["isp_status"])}, "all"),  # 표 Ⅲ-6
    ((YEAR, "상담"), {"상담": ("있음",)}, "all"),  # 표 Ⅲ-7, 표 Ⅲ-S1
    ((YEAR, "종결"), {"종결": ("종결",)}, "all"),  # 그림 Ⅲ-14, 표 Ⅲ-S1
    ((YEAR, "종결", "종결 후 상담"), {"종결": ("종결",)}, "all"),  # 그림 Ⅲ-14, 표 Ⅲ-S1
    ((YEAR, "시도"), {}, "focus"),  # 표 Ⅲ-3
    ((YEAR, "시도", "사정"), {"사정": ("참여",)}, "focus"),  # 표 Ⅲ-3
    ((YEAR, "시도", "IAP"), {"IAP": tuple(CODES["iap_status"])}, "focus"),  # 표 Ⅲ-5
    ((YEAR, "시도", "상담"), {"상담": ("있음",)}, "focus"),  # 표 Ⅲ-8
    *(((YEAR, "상담", label), {"상담": ("있음",)}, "focus") for label in CHARACTERISTICS),  # 그림 Ⅲ-1 to Ⅲ-10
]
#: every cross-classification the planner knows the true counts of (published or worked out by subtraction)
FAMILIES: list[tuple[str, ...]] = list(dict.fromkeys(f for f, _, _ in PUBLISHED))
#: totals that the report publishes (그림 Ⅲ-11's intake): never chosen for complementary suppression
KEEP: list[tuple[str, ...]] = [(YEAR,)]
#: variables whose cells exist only within one value of another (after-care only for closed cases)
WITHIN = {"종결 후 상담": ("종결", "종결"), **{label: ("상담", "있음") for label in CHARACTERISTICS}}


def _counts(d: pd.DataFrame, family: tuple[str, ...]) -> pd.Series:
    for var, (parent, value) in WITHIN.items():
        if var in family:
            d = d[d[parent] == value]
    return d.groupby(list(family)).size()


def _published(family: tuple[str, ...], by: dict[str, str], focus_year: int) -> bool:
    for fam, shown, years in PUBLISHED:
        if fam != family:
            continue
        if years == "focus" and by[YEAR] != str(focus_year):
            continue
        if any(by[v] == NOT_RECORDED for v in family if v in CHARACTERISTICS):
            return False  # persons without a value of the characteristic are never printed
        if all(by[v] in vals for v, vals in shown.items()):
            return True
    return False


def truth_ledger(ex: Extract, focus_year: int) -> Ledger:
    """The true count of every cell of :data:`FAMILIES` (not for publication: for planning).

    Cells that Chapter Ⅲ publishes (:data:`PUBLISHED`) are registered as
    published, the others as implicit (never printed, but perhaps worked out
    by subtraction). Empty cells count 0.
    """
    df = stages.person_years(ex)
    cells = pd.DataFrame({var: values(df) for var, (values, _) in VARIABLES.items()})
    led = Ledger()
    for var, (_, domain) in VARIABLES.items():
        led.set_domain(var, domain if domain is not None else sorted(cells[var].dropna().unique().tolist()))
    for family in FAMILIES:
        counts = _counts(cells, family)
        index = pd.MultiIndex.from_product([led.domains[v] for v in family], names=list(family))
        if len(family) == 1:
            counts.index = pd.MultiIndex.from_arrays([counts.index], names=list(family))
        counts = counts.reindex(index, fill_value=0)
        for var, (parent, value) in WITHIN.items():
            if var in family:
                counts = counts[counts.index.get_level_values(parent) == value]
        for idx, n in counts.items():
            by = dict(zip(family, idx if isinstance(idx, tuple) else (idx,)))
            if any(v in CHARACTERISTICS for v in family) and str(by[YEAR]) != str(focus_year):
                continue  # the characteristics are published for the focus year only
            key = CellKey.make(POPULATION, by)
            if _published(family, dict(key.by), focus_year):
                led.add(key, float(n), "extract", keep=family in KEEP)
            else:
                led.add_implicit(key, float(n))
    return led


_PLANS: dict[tuple[int, int, int], tuple[Extract, Plan]] = {}


def book_plan(ex: Extract, focus_year: int, threshold: int = 10) -> Plan:
    """Primary and complementary suppression of every Chapter Ⅲ stage count, chosen jointly.

    Cached per extract, focus year and threshold (every table of a page asks for it).
    """
    key = (id(ex), int(focus_year), int(threshold))
    hit = _PLANS.get(key)
    if hit is not None and hit[0] is ex:
        return hit[1]
    p = plan(truth_ledger(ex, focus_year), threshold)
    _PLANS.clear()
    _PLANS[key] = (ex, p)
    return p


def hidden(ex: Extract, focus_year: int, threshold: int, **by: Any) -> bool:
    """Whether the stage count named by ``by`` (ledger variables) is suppressed in the book.

    For example ``hidden(ex, 2022, 10, 연도=2019, IAP="미수립")``.
    """
    return CellKey.make(POPULATION, by) in book_plan(ex, focus_year, threshold).suppressed


def domain(ex: Extract, variable: str) -> list[str]:
    """The complete category list of a ledger variable in the book (for a table's ledger spec)."""
    values, fixed = VARIABLES[variable]
    if fixed is not None:
        return list(fixed)
    df = stages.person_years(ex)
    return sorted(values(df).dropna().unique().tolist())


def published_ledger(ex: Extract, focus_year: int, threshold: int = 10) -> Ledger:
    """The stage counts as an attacker sees them after the plan (hidden cells unknown)."""
    truth = truth_ledger(ex, focus_year)
    hide = book_plan(ex, focus_year, threshold).suppressed
    led = Ledger()
    led.domains = {k: list(v) for k, v in truth.domains.items()}
    for e in truth:
        if not e.implicit:
            led.add(e.key, None if e.key in hide else e.value, "제Ⅲ장", keep=e.keep)
    return led


def disclosure_summary(ex: Extract, focus_year: int, threshold: int = 10) -> dict[str, Any]:
    """Numbers for the disclosure page: cells, primary and complementary suppression, the check.

    Keys: ``threshold``, ``width`` (protection interval width), ``cells``,
    ``relations``, ``primary``, ``complementary``, ``totals_hidden``,
    ``check_ok`` (bool), ``check_failures`` and ``narrowest`` (the smallest
    interval width of a suppressed cell, or ``None``).
    """
    p = book_plan(ex, focus_year, threshold)
    led = published_ledger(ex, focus_year, threshold)
    res = check(led, threshold)
    widths = [iv.width for iv in res.intervals]
    return {
        "threshold": int(threshold),
        "width": int(res.width),
        "cells": len(led),
        "relations": res.n_relations,
        "primary": len(p.primary),
        "complementary": len(p.complementary),
        "totals_hidden": len(p.totals),
        "check_ok": res.ok,
        "check_failures": len(res.failures),
        "narrowest": min(widths) if widths else None,
    }


def suppression_table(ex: Extract, focus_year: int, threshold: int = 10) -> pd.DataFrame:
    """The hidden stage cells of the book, without their values: kind, year and classification.

    Returns
    -------
    DataFrame
        ``숨김 구분`` (1차: fewer than ``threshold`` persons; 보완: hidden so
        that a 1차 cell cannot be worked out), ``연도``, ``분류`` (the other
        classifying variables and values), one row per cell, in that order.
    """
    p = book_plan(ex, focus_year, threshold)
    rows = []
    for kind, keys in (("1차", p.primary), ("보완", p.complementary)):
        for k in keys:
            by = dict(k.by)
            year = by.pop(YEAR, "")
            rows.append(
                {"숨김 구분": kind, "연도": year, "분류": ", ".join(f"{v} {val}" for v, val in by.items()) or "전체"}
            )
    return pd.DataFrame(rows, columns=["숨김 구분", "연도", "분류"])


def hidden_predicate(ex: Extract, focus_year: int, threshold: int = 10) -> Callable[[dict], bool]:
    """``hidden(cell)``: whether the stage count named by ``cell`` (``{"연도": 2019, "IAP": "미수립"}``) is suppressed.

    For pages outside Chapter Ⅲ that show the same counts (the calibration and audit appendices).
    """
    hide = book_plan(ex, focus_year, threshold).suppressed
    return lambda cell: CellKey.make(POPULATION, cell) in hide
