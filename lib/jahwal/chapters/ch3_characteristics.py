"""Chapter Ⅲ-2: counselling by participant characteristic (그림 Ⅲ-1 to Ⅲ-10), tables and figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jahwal.analysis import stages
from jahwal.chapters.common import _rounded
from jahwal.display import book_cells
from jahwal.display.disclosure import SUPPRESSED
from jahwal.display.figures import empty_figure, wrap_label
from jahwal.display.ledger import CellKey
from jahwal.inputs.contract import CODES, Extract

# ---------------------------------------------------------------- 2. characteristics
#: 그림 Ⅲ-1 to Ⅲ-10: figure id → short Korean title
CHARACTERISTIC_FIGURES: dict[str, str] = {
    "그림 Ⅲ-1": "성별·연령대별 연간 상담횟수",
    "그림 Ⅲ-2": "혼인상태별 연간 상담횟수",
    "그림 Ⅲ-3": "가구유형별 연간 상담횟수",
    "그림 Ⅲ-4": "신용상태별 연간 상담횟수",
    "그림 Ⅲ-5": "주거안정 상태별 연간 상담횟수",
    "그림 Ⅲ-6": "신체·심리 건강상태별 연간 상담횟수",
    "그림 Ⅲ-7": "정신질환·심리적 어려움 여부별 연간 상담횟수",
    "그림 Ⅲ-8": "진입 시 수급유형별 연간 상담횟수",
    "그림 Ⅲ-9": "자활역량 점수별 연간 상담횟수",
    "그림 Ⅲ-10": "사업단 유형별 연간 상담횟수",
}
_CATEGORY_ORDER = {
    "sex": CODES["sex"],
    "age_band": tuple(stages.AGE_LABELS),
    "marital_status": CODES["marital_status"],
    "household_type": CODES["household_type"],
    "credit_status": CODES["credit_status"],
    "housing_stability": CODES["housing_stability"],
    "physical_health": CODES["health"],
    "psychological_health": CODES["health"],
    "mental_illness": CODES["yes_no"],
    "psychological_difficulty": CODES["yes_no"],
    "recipient_type": CODES["recipient_type"],
    "capability_band": tuple(stages.CAPABILITY_LABELS),
    "unit_type": CODES["unit_type"],
}


def characteristic_summary(ex: Extract, year: int, threshold: int, confidence: float = 0.95) -> pd.DataFrame:
    """Mean annual counselling by characteristic, in category order, with suppression flags.

    Returns
    -------
    DataFrame
        ``figure_id, variable, column, category, n, mean, sd, ci_low, ci_high,
        suppressed``: one row per category of the characteristics of 그림 Ⅲ-1
        to Ⅲ-10 among persons counselled at least once in ``year`` (the focus
        year). A category is flagged ``suppressed`` when the book's joint plan
        (:func:`jahwal.display.book_cells.book_plan`) hides its count: fewer than
        ``threshold`` persons, or hidden so that such a count cannot be worked
        out from the year's counselled persons and the other categories.
    """
    raw = stages.counselling_by_characteristic(ex, year, confidence=confidence)
    if raw.empty:
        raise ValueError(f"{year}년에 상담 경험자가 없습니다 / nobody was counselled in {year}")
    columns = {label: col for label, col, _ in stages.CHARACTERISTICS}
    hide = book_cells.book_plan(ex, year, threshold).suppressed
    parts = []
    for (_fig, var), g in raw.groupby(["figure_id", "variable"], sort=False):
        col = columns[var]
        order = {c: i for i, c in enumerate(_CATEGORY_ORDER.get(col, ()))}
        g = g.assign(column=col, _o=g["category"].map(lambda c: order.get(c, len(order)))).sort_values(
            ["_o", "category"]
        )
        g = g.drop(columns="_o").reset_index(drop=True)
        g["suppressed"] = [_cell(year, var, c) in hide for c in g["category"]]
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    fig_order = {f: i for i, f in enumerate(CHARACTERISTIC_FIGURES)}
    out = out.assign(_f=out["figure_id"].map(fig_order)).sort_values("_f", kind="stable").drop(columns="_f")
    return out[
        ["figure_id", "variable", "column", "category", "n", "mean", "sd", "ci_low", "ci_high", "suppressed"]
    ].reset_index(drop=True)


def _cell(year: int, variable: str, category: object) -> CellKey:
    return CellKey.make(book_cells.POPULATION, {"연도": year, "상담": "있음", variable: category})


def characteristic_spec(ex: Extract, year: int, figure_id: str) -> dict[str, object]:
    """The ledger spec of :func:`characteristic_table` (for ``nb.glue_table(ledger=...)``).

    Each row counts the persons counselled in ``year`` with one category of the
    characteristic named in 특성; the categories (with the unprinted 미상) add
    up to the year's counselled persons. Mean, standard deviation and interval
    are hidden with the count.
    """
    labels = [label for label, _col, fig in stages.CHARACTERISTICS if fig == figure_id]
    return {
        "population": book_cells.POPULATION,
        "year": int(year),
        "named_rows": {"특성": "범주"},
        "columns": {"인원": {"상담": "있음"}},
        "domains": {"상담": book_cells.domain(ex, "상담"), **{label: book_cells.domain(ex, label) for label in labels}},
        "related": {"인원": ["평균(회)", "표준편차", "95% 신뢰구간 하한", "95% 신뢰구간 상한"]},
    }


def characteristic_table(ex: Extract, year: int, figure_id: str, threshold: int = 10) -> pd.DataFrame:
    """The values behind one of 그림 Ⅲ-1 to Ⅲ-10, suppressed, with Korean headers.

    Returns
    -------
    DataFrame
        ``특성, 범주, 인원, 평균(회), 표준편차, 95% 신뢰구간 하한, 95% 신뢰구간 상한``.
    """
    if figure_id not in CHARACTERISTIC_FIGURES:
        raise ValueError(
            f"알 수 없는 그림입니다: {figure_id!r} / unknown figure (one of {list(CHARACTERISTIC_FIGURES)})"
        )
    s = characteristic_summary(ex, year, threshold)
    s = s[s["figure_id"] == figure_id].reset_index(drop=True)
    out = _rounded(s, {"mean": 2, "sd": 2, "ci_low": 2, "ci_high": 2})
    stat_cols = ["n", "mean", "sd", "ci_low", "ci_high"]
    for c in stat_cols:
        if s["suppressed"].any():
            out[c] = out[c].astype(object)
            out.loc[s["suppressed"], c] = SUPPRESSED
    out = out[["variable", "category", *stat_cols]]
    return out.rename(
        columns={
            "variable": "특성",
            "category": "범주",
            "n": "인원",
            "mean": "평균(회)",
            "sd": "표준편차",
            "ci_low": "95% 신뢰구간 하한",
            "ci_high": "95% 신뢰구간 상한",
        }
    )


def characteristic_figure(ex: Extract, year: int, figure_id: str, threshold: int):
    """One of 그림 Ⅲ-1 to Ⅲ-10: mean annual counselling per category with 95% intervals.

    Suppressed categories are left out; the dashed line is the mean of all
    persons counselled that year.
    """
    import matplotlib.pyplot as plt

    s = characteristic_summary(ex, year, threshold)
    s = s[(s["figure_id"] == figure_id) & ~s["suppressed"]]
    variables = list(dict.fromkeys(s["variable"]))
    if not variables:
        return empty_figure("공개 기준 이상인 범주가 없어 그리지 않았습니다")
    overall = _counselling_overall(ex, year, threshold)["overall_mean"]
    widths = [max(2, s["variable"].eq(v).sum()) for v in variables]
    fig, axes = plt.subplots(
        1,
        len(variables),
        figsize=(min(6.7, 2.2 + 0.75 * sum(widths)), 4.2),
        gridspec_kw={"width_ratios": widths},
        sharey=True,
        squeeze=False,
    )
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (ax, var) in enumerate(zip(axes[0], variables)):
        g = s[s["variable"] == var]
        x = np.arange(len(g))
        err = np.vstack([g["mean"] - g["ci_low"], g["ci_high"] - g["mean"]])
        ax.bar(x, g["mean"], color=colors[i % len(colors)], alpha=0.85, width=0.65)
        ax.errorbar(x, g["mean"], yerr=err, fmt="none", ecolor="black", capsize=3, linewidth=1)
        for xi, (m, top) in enumerate(zip(g["mean"], g["ci_high"])):
            ax.annotate(f"{m:.2f}", (xi, top), textcoords="offset points", xytext=(0, 2), ha="center", fontsize=8)
        if overall != SUPPRESSED:
            ax.axhline(overall, color="grey", linestyle="--", linewidth=1)
        ax.set_xticks(x)
        ax.set_xticklabels([wrap_label(str(c), 6) for c in g["category"]], fontsize=8.5)
        ax.set_title(var)
        ax.set_xlabel("")
    axes[0][0].set_ylabel("1인당 연간 상담횟수(회)")
    fig.suptitle(
        f"{year}년 {CHARACTERISTIC_FIGURES[figure_id]}\n(막대: 평균, 선: 95% 신뢰구간, 점선: 전체 평균 {overall if overall == SUPPRESSED else f'{overall:.2f}'}회)",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def characteristic_extremes(ex: Extract, year: int, threshold: int) -> dict[str, object]:
    """Highest and lowest published category means of the year (for the prose)."""
    s = characteristic_summary(ex, year, threshold)
    s = s[~s["suppressed"]]
    hi = s.loc[s["mean"].idxmax()]
    lo = s.loc[s["mean"].idxmin()]
    return {
        "high_variable": hi["variable"],
        "high_category": hi["category"],
        "high_mean": float(hi["mean"]),
        "low_variable": lo["variable"],
        "low_category": lo["category"],
        "low_mean": float(lo["mean"]),
        "n_categories": int(len(s)),
        "n_suppressed": int(characteristic_summary(ex, year, threshold)["suppressed"].sum()),
        "year": str(year),
        **_counselling_overall(ex, year, threshold),
    }


#: the person counts among :func:`characteristic_extremes`' values and what each counts (for ``nb.glue_count``)
def extremes_count_cells(year: int) -> dict[str, dict[str, object]]:
    """``{value key: ledger classification}`` of the person counts in the page's prose."""
    return {"counselled_n": {"연도": int(year), "상담": "있음"}}


def _counselling_overall(ex: Extract, year: int, threshold: int = 10) -> dict[str, object]:
    cy = stages.counselling_by_year(ex).set_index("year")
    if year not in cy.index:
        raise ValueError(f"{year}년 상담 자료가 없습니다 / no counselling data for {year}")
    if book_cells.hidden(ex, year, threshold, 연도=year, 상담="있음"):
        return {"overall_mean": SUPPRESSED, "counselled_n": SUPPRESSED}
    return {"overall_mean": float(cy.loc[year, "mean"]), "counselled_n": int(cy.loc[year, "persons_n"])}
