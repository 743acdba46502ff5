"""Chapter Ⅲ (양적 성과): the report's tables and figures, ready to publish.

Each ``*_table`` function returns a display-ready DataFrame with Korean headers,
person counts already suppressed (:func:`protect`), for ``nb.glue_table``; each
``*_figure`` function returns a matplotlib figure with Korean labels for
``nb.glue_fig``. The numbers come from :mod:`jahwal.stages` and
:mod:`jahwal.compare`; years, provinces and categories come from the data, so a
longer extract extends every table and trend without code changes.

Numbering follows the report (표 Ⅲ-3, 그림 Ⅲ-11); tables and figures the
report does not have carry an ``S`` (보완): 표 Ⅲ-S1, 그림 Ⅲ-S1 (see
:data:`EXTRA_ITEMS`).
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from . import stages
from .compare import compare_groups, participation_days
from .contract import CODES, Extract
from .disclosure import SUPPRESSED

TOTAL = "계"

#: tables and figures the report does not have (numbered with S, in reading order)
EXTRA_ITEMS: dict[str, str] = {
    "그림 Ⅲ-S1": "연도별 사례관리 시행기관과 사례관리자 추이 (1절)",
    "그림 Ⅲ-S2": "연도별 단계별 도달 비율 (3절)",
    "표 Ⅲ-S1": "연도별 단계별 도달 인원 (3절)",
    **{f"그림 Ⅲ-S{i}": f"표 Ⅲ-{t}의 추정 그림 (4절)" for i, t in zip(range(3, 11), (9, 10, 11, 12, 13, 15, 17, 19))},
    "표 Ⅲ-S2": "결과적 성과 검정의 세부 통계량 (4절)",
    "표 Ⅲ-S3": "결과적 성과의 평균 차이와 효과크기 (4절)",
    "표 Ⅲ-S4": "사업단 유형별 비교 (5절)",
    "표 Ⅲ-S5": "참여기간별 비교 (5절)",
    "표 Ⅲ-S6": "참여자 특성 보정 추정 (5절)",
    "그림 Ⅲ-S11": "사업단 유형별 효과크기 (5절)",
    "그림 Ⅲ-S12": "참여기간별 효과크기 (5절)",
    "그림 Ⅲ-S13": "보정 전후 평균 차이 (5절)",
}

# ---------------------------------------------------------------- disclosure
def protect(
    df: pd.DataFrame,
    count_columns: Sequence[str],
    threshold: int = 10,
    *,
    label_column: str | None = None,
    total_label: str = TOTAL,
    related: dict[str, Iterable[str]] | None = None,
    row_groups: Sequence[Sequence[str]] = (),
    complements: dict[str, tuple[str, str]] | None = None,
    column_totals: bool = True,
) -> pd.DataFrame:
    """Suppress small person counts with primary, complementary and secondary suppression.

    Parameters
    ----------
    df : DataFrame
        One row per cell group (province, year, category); counts as numbers.
    count_columns : list of str
        Columns holding person counts.
    threshold : int
        Counts ``1 <= n < threshold`` are suppressed (0 is shown).
    label_column, total_label : str
        The row whose ``label_column`` equals ``total_label`` is a published
        total: never suppressed and never chosen for secondary suppression.
    related : dict
        ``{count column: [columns]}``: rates or statistics computed from that
        count, suppressed with it in the same row.
    row_groups : list of list of str
        Count columns whose row sum is published (for example 수립, 미수립 and
        미입력, which add up to the intake of 표 Ⅲ-3). A row with exactly one
        suppressed cell in a group gets its next smallest cell suppressed.
    complements : dict
        ``{name: (whole, part)}``: a hidden count ``whole - part`` (for
        example persons not assessed). When it is small, ``part`` is suppressed.
    column_totals : bool
        The column sums are published (a total row, or a national figure
        elsewhere): a column with exactly one suppressed cell gets its next
        smallest cell suppressed.

    Returns
    -------
    DataFrame
        A copy; suppressed cells hold ``"x"``. Only columns with a suppressed
        cell become ``object``; the others keep their type.

    Examples
    --------
    >>> df = pd.DataFrame({"시도": ["가", "나", "다", "계"], "인원": [5, 40, 30, 75], "비율": [1.5, 2.5, 3.5, 6.5]})
    >>> protect(df, ["인원"], 10, label_column="시도", related={"인원": ["비율"]})["비율"].tolist()
    ['x', 2.5, 'x', 6.5]
    >>> iap = pd.DataFrame({"연도": ["2019"], "수립": [12405], "미수립": [3], "미입력": [27870]})
    >>> protect(iap, ["수립", "미수립", "미입력"], 10, row_groups=[["수립", "미수립", "미입력"]],
    ...         column_totals=False).iloc[0].astype(str).tolist()
    ['2019', 'x', 'x', '27870']
    """
    count_columns = list(count_columns)
    related = {k: list(v) for k, v in (related or {}).items()}
    complements = dict(complements or {})
    for c in count_columns + [c for g in row_groups for c in g] + list(related):
        if c not in df.columns:
            raise ValueError(f"열이 없습니다 / no column {c!r}")
    for name, (whole, part) in complements.items():
        if whole not in df.columns or part not in df.columns:
            raise ValueError(f"보완 집계의 열이 없습니다 / complement {name!r} needs columns {whole!r}, {part!r}")
    if threshold < 1:
        raise ValueError("threshold는 1 이상이어야 합니다 / threshold must be >= 1")
    out = df.reset_index(drop=True).copy()
    is_total = out[label_column].eq(total_label) if label_column else pd.Series(False, index=out.index)
    vals = out[count_columns].apply(pd.to_numeric, errors="coerce")
    mask = (vals >= 1) & (vals < threshold)
    mask.loc[is_total] = False
    for name, (whole, part) in complements.items():
        hidden = pd.to_numeric(out[whole], errors="coerce") - pd.to_numeric(out[part], errors="coerce")
        small = (hidden >= 1) & (hidden < threshold) & ~is_total
        if part in mask:
            mask.loc[small, part] = True
    changed = True
    while changed:
        changed = False
        if column_totals:
            for c in count_columns:
                m = mask[c] & ~is_total
                if m.sum() == 1:
                    cand = vals.loc[~mask[c] & ~is_total, c]
                    cand = cand[cand > 0]
                    if len(cand):
                        mask.loc[cand.idxmin(), c] = True
                        changed = True
        for group in row_groups:
            group = [c for c in group if c in mask]
            for i in out.index[~is_total]:
                row = mask.loc[i, group]
                if row.sum() == 1:
                    cand = vals.loc[i, group][~row.to_numpy()]
                    cand = cand[cand > 0]
                    if len(cand):
                        mask.loc[i, cand.idxmin()] = True
                        changed = True
    for c in count_columns:
        hit = mask[c]
        if not hit.any():
            continue
        for col in [c, *related.get(c, [])]:
            out[col] = out[col].astype(object)
            out.loc[hit, col] = SUPPRESSED
    return _whole_numbers(out)


def _whole_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """In columns holding ``"x"``, show whole floats as integers (``1234.0`` → ``1234``).

    Examples
    --------
    >>> _whole_numbers(pd.DataFrame({"a": [1.0, "x", 2.5]}))["a"].tolist()
    [1, 'x', 2.5]
    """
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].map(lambda v: int(v) if isinstance(v, (float, np.floating)) and np.isfinite(v) and float(v).is_integer() else v)
    return df


def empty_figure(message: str):
    """A small figure that only says why nothing is drawn (e.g. all groups below the threshold)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 1.6))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10)
    return fig


def _rounded(df: pd.DataFrame, digits: dict[str, int]) -> pd.DataFrame:
    out = df.copy()
    for c, d in digits.items():
        if c in out:
            out[c] = pd.to_numeric(out[c], errors="coerce").round(d)
    return out


def _year_str(s: pd.Series) -> pd.Series:
    return s.map(lambda v: TOTAL if v == TOTAL else str(int(v)))


def suppressed_cells(df: pd.DataFrame) -> int:
    """Number of suppressed cells (``"x"``) in a display table.

    Examples
    --------
    >>> suppressed_cells(pd.DataFrame({"a": [1, "x"], "b": ["x", "x"]}))
    3
    """
    return int((df.astype(object) == SUPPRESSED).to_numpy().sum())


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
    "그림 Ⅲ-9": "자활역량점수별 연간 상담횟수",
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


def characteristic_summary(ex: Extract, year: int, threshold: int = 10, confidence: float = 0.95) -> pd.DataFrame:
    """Mean annual counselling by characteristic, in category order, with suppression flags.

    Returns
    -------
    DataFrame
        ``figure_id, variable, column, category, n, mean, sd, ci_low, ci_high,
        suppressed``: one row per category of the characteristics of 그림 Ⅲ-1
        to Ⅲ-10 among persons counselled at least once in ``year``. Categories
        with fewer than ``threshold`` persons (and, where one category alone
        would be hidden, the next smallest) are flagged ``suppressed``.
    """
    raw = stages.counselling_by_characteristic(ex, year, confidence=confidence)
    if raw.empty:
        raise ValueError(f"{year}년에 상담 경험자가 없습니다 / nobody was counselled in {year}")
    columns = {label: col for label, col, _ in stages.CHARACTERISTICS}
    parts = []
    for (fig, var), g in raw.groupby(["figure_id", "variable"], sort=False):
        col = columns[var]
        order = {c: i for i, c in enumerate(_CATEGORY_ORDER.get(col, ()))}
        g = g.assign(column=col, _o=g["category"].map(lambda c: order.get(c, len(order)))).sort_values(["_o", "category"])
        g = g.drop(columns="_o").reset_index(drop=True)
        shown = protect(g[["category", "n"]], ["n"], threshold)
        g["suppressed"] = shown["n"].astype(object).eq(SUPPRESSED).to_numpy()
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    fig_order = {f: i for i, f in enumerate(CHARACTERISTIC_FIGURES)}
    out = out.assign(_f=out["figure_id"].map(fig_order)).sort_values("_f", kind="stable").drop(columns="_f")
    return out[["figure_id", "variable", "column", "category", "n", "mean", "sd", "ci_low", "ci_high", "suppressed"]].reset_index(drop=True)


def characteristic_table(ex: Extract, year: int, figure_id: str, threshold: int = 10) -> pd.DataFrame:
    """The values behind one of 그림 Ⅲ-1 to Ⅲ-10, suppressed, with Korean headers.

    Returns
    -------
    DataFrame
        ``특성, 범주, 인원, 평균(회), 표준편차, 95% 신뢰구간 하한, 95% 신뢰구간 상한``.
    """
    if figure_id not in CHARACTERISTIC_FIGURES:
        raise ValueError(f"알 수 없는 그림입니다: {figure_id!r} / unknown figure (one of {list(CHARACTERISTIC_FIGURES)})")
    s = characteristic_summary(ex, year, threshold)
    s = s[s["figure_id"] == figure_id].reset_index(drop=True)
    out = _rounded(s, {"mean": 2, "sd": 2, "ci_low": 2, "ci_high": 2})
    stat_cols = ["n", "mean", "sd", "ci_low", "ci_high"]
    for c in stat_cols:
        if s["suppressed"].any():
            out[c] = out[c].astype(object)
            out.loc[s["suppressed"], c] = SUPPRESSED
    out = out[["variable", "category", *stat_cols]]
    return out.rename(columns={"variable": "특성", "category": "범주", "n": "인원", "mean": "평균(회)", "sd": "표준편차",
                               "ci_low": "95% 신뢰구간 하한", "ci_high": "95% 신뢰구간 상한"})


def characteristic_figure(ex: Extract, year: int, figure_id: str, threshold: int = 10):
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
    overall = float(stages.counselling_by_year(ex).set_index("year").loc[year, "mean"])
    widths = [max(2, s["variable"].eq(v).sum()) for v in variables]
    fig, axes = plt.subplots(1, len(variables), figsize=(min(11, 2.2 + 1.0 * sum(widths)), 4.0),
                             gridspec_kw={"width_ratios": widths}, sharey=True, squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (ax, var) in enumerate(zip(axes[0], variables)):
        g = s[s["variable"] == var]
        x = np.arange(len(g))
        err = np.vstack([g["mean"] - g["ci_low"], g["ci_high"] - g["mean"]])
        ax.bar(x, g["mean"], color=colors[i % len(colors)], alpha=0.85, width=0.65)
        ax.errorbar(x, g["mean"], yerr=err, fmt="none", ecolor="black", capsize=3, linewidth=1)
        for xi, (m, top) in enumerate(zip(g["mean"], g["ci_high"])):
            ax.annotate(f"{m:.2f}", (xi, top), textcoords="offset points", xytext=(0, 2), ha="center", fontsize=8)
        ax.axhline(overall, color="grey", linestyle="--", linewidth=1)
        ax.set_xticks(x)
        labels = [str(c) for c in g["category"]]
        ax.set_xticklabels(labels, rotation=30 if max(len(t) for t in labels) > 4 else 0, ha="right" if max(len(t) for t in labels) > 4 else "center")
        ax.set_title(var)
        ax.set_xlabel("")
    axes[0][0].set_ylabel("1인당 연간 상담횟수(회)")
    fig.suptitle(f"{year}년 {CHARACTERISTIC_FIGURES[figure_id]}(막대: 평균, 선: 95% 신뢰구간, 점선: 전체 평균 {overall:.2f}회)",
                 fontsize=10)
    fig.tight_layout()
    return fig


def characteristic_extremes(ex: Extract, year: int, threshold: int = 10) -> dict[str, object]:
    """Highest and lowest published category means of the year (for the prose)."""
    s = characteristic_summary(ex, year, threshold)
    s = s[~s["suppressed"]]
    hi = s.loc[s["mean"].idxmax()]
    lo = s.loc[s["mean"].idxmin()]
    return {"high_variable": hi["variable"], "high_category": hi["category"], "high_mean": float(hi["mean"]),
            "low_variable": lo["variable"], "low_category": lo["category"], "low_mean": float(lo["mean"]),
            "n_categories": int(len(s)), "n_suppressed": int(characteristic_summary(ex, year, threshold)["suppressed"].sum()),
            "year": str(year), **_counselling_overall(ex, year)}


def _counselling_overall(ex: Extract, year: int) -> dict[str, object]:
    cy = stages.counselling_by_year(ex).set_index("year")
    if year not in cy.index:
        raise ValueError(f"{year}년 상담 자료가 없습니다 / no counselling data for {year}")
    return {"overall_mean": float(cy.loc[year, "mean"]), "counselled_n": int(cy.loc[year, "persons_n"])}


# ---------------------------------------------------------------- 3. stages
def intake_assessment_table(ex: Extract, threshold: int = 10) -> pd.DataFrame:
    """Intake, assessment and the continuation rate per year (the values of 그림 Ⅲ-11, Ⅲ-12).

    Returns
    -------
    DataFrame
        ``연도``, the intake count, the assessment count and the rate (headers of :data:`jahwal.stages.LABELS`).
    """
    d = stages.intake_assessment_by_year(ex)
    d = _rounded(d, {"assessed_rate": 2})
    d["year"] = _year_str(d["year"])
    d = protect(d, ["intake_n", "assessed_n"], threshold, related={"intake_n": ["assessed_rate"], "assessed_n": ["assessed_rate"]},
                complements={"not_assessed": ("intake_n", "assessed_n")}, column_totals=False)
    return stages.to_korean(d)


def _bar_labels(ax, xs, ys, fmt="{:,.0f}", offset=3):
    for x, y in zip(xs, ys):
        ax.annotate(fmt.format(y), (x, y), textcoords="offset points", xytext=(0, offset), ha="center", fontsize=8)


def intake_figure(ex: Extract):
    """그림 Ⅲ-11: persons with intake counselling per year (bars)."""
    import matplotlib.pyplot as plt

    d = stages.intake_assessment_by_year(ex)
    fig, ax = plt.subplots(figsize=(7, 3.8))
    x = d["year"].astype(str)
    ax.bar(x, d["intake_n"], width=0.6)
    _bar_labels(ax, x, d["intake_n"])
    ax.set_xlabel("연도")
    ax.set_ylabel("초기상담 참여자 수(명)")
    ax.set_ylim(0, d["intake_n"].max() * 1.15)
    ax.set_title("연도별 초기상담 참여자 수")
    fig.tight_layout()
    return fig


def assessment_figure(ex: Extract):
    """그림 Ⅲ-12: persons assessed per year (bars) and the share of intake (line)."""
    import matplotlib.pyplot as plt

    d = stages.intake_assessment_by_year(ex)
    fig, ax = plt.subplots(figsize=(7, 3.8))
    x = d["year"].astype(str)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    ax.bar(x, d["assessed_n"], width=0.6, color=colors[1], label="사정단계 참여자 수")
    _bar_labels(ax, x, d["assessed_n"])
    ax.set_ylim(0, d["assessed_n"].max() * 2.0)
    ax.set_xlabel("연도")
    ax.set_ylabel("사정단계 참여자 수(명)")
    ax2 = ax.twinx()
    ax2.plot(x, d["assessed_rate"], color=colors[3], marker="o", label="사정단계 참여비율(%)")
    for xi, r in zip(x, d["assessed_rate"]):
        ax2.annotate(f"{r:.2f}%", (xi, r), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8, color=colors[3])
    ax2.set_ylim(-70, 100)
    ax2.set_yticks([0, 20, 40, 60, 80, 100])
    ax2.set_ylabel("초기상담 대비 비율(%)")
    ax2.grid(False)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8)
    ax.set_title("연도별 사정단계 참여자 수와 비율")
    fig.tight_layout()
    return fig


def assessment_by_province_table(ex: Extract, year: int, threshold: int = 10) -> pd.DataFrame:
    """표 Ⅲ-3: intake, assessment and rate by province for ``year``, with the total row.

    Returns
    -------
    DataFrame
        ``시도``, then intake, assessment and rate as in :func:`intake_assessment_table`;
        provinces by official name in the report's order, ``계`` last.
    """
    d = stages.intake_assessment_by_province(ex, year).drop(columns="province")
    d = _rounded(d, {"assessed_rate": 2})
    d = protect(d, ["intake_n", "assessed_n"], threshold, label_column="province_name",
                related={"intake_n": ["assessed_rate"], "assessed_n": ["assessed_rate"]},
                complements={"not_assessed": ("intake_n", "assessed_n")})
    return stages.to_korean(d)


_STATUS_LABEL = {"수립": "수립", "미수립": "미수립", "시스템 미입력": "시스템 미입력"}


def plan_status_table(ex: Extract, column: str = "iap_status", threshold: int = 10) -> pd.DataFrame:
    """표 Ⅲ-4 (IAP, ``iap_status``) and 표 Ⅲ-6 (ISP, ``isp_status``): status counts and shares per year.

    Returns
    -------
    DataFrame
        ``연도``, then for each status ``<status>(명)`` and ``<status>(%)``
        (shares of that year's intake), and ``계(명)``.
    """
    if column not in ("iap_status", "isp_status", "iap_monitoring"):
        raise ValueError(f"계획 상태 열이 아닙니다: {column!r} / not a plan status column")
    long = stages.status_by_year(ex, column)
    statuses = [s for s in CODES[{"iap_status": "iap_status", "isp_status": "isp_status", "iap_monitoring": "iap_monitoring"}[column]]
                if s in set(long["status"])]
    n = long.pivot(index="year", columns="status", values="n").reindex(columns=statuses).fillna(0).astype(int)
    pct = long.pivot(index="year", columns="status", values="pct").reindex(columns=statuses).fillna(0.0).round(2)
    out = pd.DataFrame({"연도": [str(int(y)) for y in n.index]})
    for s in statuses:
        out[f"{s}(명)"] = n[s].to_numpy()
        out[f"{s}(%)"] = pct[s].to_numpy()
    out["계(명)"] = n.sum(axis=1).to_numpy()
    counts = [f"{s}(명)" for s in statuses]
    return protect(out, counts, threshold, related={f"{s}(명)": [f"{s}(%)"] for s in statuses},
                   row_groups=[counts], column_totals=False)


def iap_by_province_table(ex: Extract, year: int, threshold: int = 10) -> pd.DataFrame:
    """표 Ⅲ-5: IAP status counts and rates by province for ``year``, with the total row.

    Returns
    -------
    DataFrame
        ``시도, IAP 수립, IAP 미수립, 시스템 미입력, 수립률(%), 미입력률(%), 미수립률(%)``.
    """
    d = stages.iap_by_province(ex, year).drop(columns="province")
    d.columns.name = None
    d = _rounded(d, {"iap_rate": 1, "iap_missing_rate": 1, "iap_not_rate": 1})
    counts = ["iap_established", "iap_not_established", "iap_missing"]
    d = protect(d, counts, threshold, label_column="province_name",
                related={"iap_established": ["iap_rate"], "iap_not_established": ["iap_not_rate"], "iap_missing": ["iap_missing_rate"]},
                row_groups=[counts])
    return stages.to_korean(d)


_COUNSEL_DIGITS = {"mean": 2, "median": 2, "min": 2, "max": 2, "sd": 2}


def counselling_by_year_table(ex: Extract, threshold: int = 10) -> pd.DataFrame:
    """표 Ⅲ-7: annual counselling per counselled person per year.

    Returns
    -------
    DataFrame
        ``연도, 상담 경험자 수, 평균값, 중위값, 최소값, 최대값, 표준편차``.
    """
    d = _rounded(stages.counselling_by_year(ex), _COUNSEL_DIGITS)
    d["year"] = _year_str(d["year"])
    d = protect(d, ["persons_n"], threshold, related={"persons_n": list(_COUNSEL_DIGITS)}, column_totals=False)
    return stages.to_korean(d)


def counselling_by_province_table(ex: Extract, year: int, threshold: int = 10) -> pd.DataFrame:
    """표 Ⅲ-8: annual counselling per counselled person by province for ``year``, with the total row."""
    d = stages.counselling_by_province(ex, year).drop(columns="province")
    d = _rounded(d, _COUNSEL_DIGITS)
    d = protect(d, ["persons_n"], threshold, label_column="province_name", related={"persons_n": list(_COUNSEL_DIGITS)})
    return stages.to_korean(d)


def counselling_distribution_figure(ex: Extract, year: int, threshold: int = 10):
    """그림 Ⅲ-13: distribution of annual counselling per person, by year and by province in ``year``.

    Box plots without outlying points (no single person is drawn): boxes span
    the quartiles, whiskers reach 1.5 times the interquartile range, the
    diamond is the mean. Provinces with fewer than ``threshold`` counselled
    persons are left out.
    """
    import matplotlib.pyplot as plt

    df = stages.person_years(ex)
    df = df[df["counselling_n"] > 0]
    years = sorted(df["year"].unique())
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [max(2, len(years)), 8]})
    data = [df.loc[df["year"] == y, "counselling_n"].to_numpy() for y in years]
    kw = dict(showfliers=False, showmeans=True, widths=0.6, patch_artist=True,
              meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": "black", "markersize": 5},
              medianprops={"color": "black"})
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    b = a1.boxplot(data, tick_labels=[str(y) for y in years], **kw)
    for patch in b["boxes"]:
        patch.set_facecolor(colors[0])
        patch.set_alpha(0.6)
    a1.set_xlabel("연도")
    a1.set_ylabel("1인당 연간 상담횟수(회)")
    a1.set_title("연도별")
    fy = df[df["year"] == year]
    sizes = fy.groupby("province").size()
    provs = [p for p in fy.groupby("province")["counselling_n"].mean().sort_values(ascending=False).index if sizes[p] >= threshold]
    b = a2.boxplot([fy.loc[fy["province"] == p, "counselling_n"].to_numpy() for p in provs], tick_labels=provs, **kw)
    for patch in b["boxes"]:
        patch.set_facecolor(colors[2])
        patch.set_alpha(0.6)
    a2.set_xlabel("시도(평균이 큰 순)")
    a2.set_title(f"{year}년 시도별")
    a2.tick_params(axis="x", labelsize=8)
    fig.suptitle("1인당 연간 상담횟수의 분포(상자: 사분위, 마름모: 평균, 극단값 표시 안 함)", fontsize=11)
    fig.tight_layout()
    return fig


def post_closure_table(ex: Extract, threshold: int = 10) -> pd.DataFrame:
    """The values of 그림 Ⅲ-14: closed cases and post-closure counselling per year.

    Returns
    -------
    DataFrame
        ``연도, 종결자 수, 종결 후 상담 있음(명), 종결 후 상담 없음(명), 있음 비율(%), 없음 비율(%)``.
    """
    d = stages.post_closure_by_year(ex)
    out = pd.DataFrame({
        "연도": _year_str(d["year"]),
        "종결자 수": d["closed_n"].astype(int),
        "종결 후 상담 있음(명)": d["post_n"].astype(int),
        "종결 후 상담 없음(명)": (d["closed_n"] - d["post_n"]).astype(int),
        "있음 비율(%)": d["post_rate"].round(2),
        "없음 비율(%)": d["no_post_rate"].round(2),
    })
    counts = ["종결자 수", "종결 후 상담 있음(명)", "종결 후 상담 없음(명)"]
    return protect(out, counts, threshold,
                   related={"종결 후 상담 있음(명)": ["있음 비율(%)"], "종결 후 상담 없음(명)": ["없음 비율(%)"],
                            "종결자 수": ["있음 비율(%)", "없음 비율(%)"]},
                   row_groups=[["종결 후 상담 있음(명)", "종결 후 상담 없음(명)"]], column_totals=False)


def post_closure_figure(ex: Extract, threshold: int = 10):
    """그림 Ⅲ-14: share of closed cases with and without post-closure counselling per year (stacked)."""
    import matplotlib.pyplot as plt

    d = stages.post_closure_by_year(ex)
    ok = (d["post_n"] >= threshold) | (d["post_n"] == 0)
    ok &= ((d["closed_n"] - d["post_n"]) >= threshold) | (d["closed_n"] == d["post_n"])
    d = d[ok]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    x = d["year"].astype(str)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    ax.bar(x, d["post_rate"], width=0.6, color=colors[0], label="종결 후 상담 있음")
    ax.bar(x, d["no_post_rate"], bottom=d["post_rate"], width=0.6, color=colors[7], alpha=0.6, label="종결 후 상담 없음")
    for xi, r in zip(x, d["post_rate"]):
        ax.annotate(f"{r:.2f}%", (xi, r), textcoords="offset points", xytext=(0, 3), ha="center", fontsize=8)
    ax.set_ylim(0, 100)
    ax.set_xlabel("연도")
    ax.set_ylabel("종결자 대비 비율(%)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=8)
    ax.set_title("연도별 종결 후 상담 여부")
    fig.tight_layout()
    return fig


FUNNEL_STAGES = ["초기상담", "사정", "IAP 수립", "상담 1회 이상", "종결", "종결 후 상담"]


def funnel_table(ex: Extract, threshold: int = 10) -> pd.DataFrame:
    """표 Ⅲ-S1: persons reaching each stage per year (one row per year).

    Returns
    -------
    DataFrame
        ``연도`` and one count column per stage of :data:`FUNNEL_STAGES`.
    """
    f = stages.funnel(ex)
    wide = f.pivot(index="year", columns="stage", values="n").reindex(columns=FUNNEL_STAGES).astype(int)
    out = wide.reset_index().rename(columns={"year": "연도"})
    out["연도"] = _year_str(out["연도"])
    out.columns.name = None
    return protect(out, FUNNEL_STAGES, threshold, complements={"no_post": ("종결", "종결 후 상담"),
                                                              "not_assessed": ("초기상담", "사정")}, column_totals=False)


def funnel_figure(ex: Extract, threshold: int = 10):
    """그림 Ⅲ-S2: share of the year's intake reaching each stage, per year (grouped bars)."""
    import matplotlib.pyplot as plt

    f = stages.funnel(ex)
    f = f[(f["n"] >= threshold) | (f["n"] == 0)]
    years = sorted(f["year"].unique())
    fig, ax = plt.subplots(figsize=(9, 4.2))
    width = 0.8 / max(1, len(years))
    x = np.arange(len(FUNNEL_STAGES))
    for i, y in enumerate(years):
        g = f[f["year"] == y].set_index("stage").reindex(FUNNEL_STAGES)
        ax.bar(x + (i - (len(years) - 1) / 2) * width, g["pct_of_intake"], width=width, label=f"{y}년")
    ax.set_xticks(x)
    ax.set_xticklabels(FUNNEL_STAGES)
    ax.set_ylim(0, 105)
    ax.set_ylabel("초기상담 참여자 대비(%)")
    ax.set_xlabel("사례관리 단계")
    ax.legend(ncol=min(5, len(years)), fontsize=8, loc="upper right")
    ax.set_title("단계별 도달 비율(연도별)")
    fig.tight_layout()
    return fig


def _ranked(table: pd.DataFrame, label: str, value: str, k: int = 3, ascending: bool = False) -> list[tuple[str, float]]:
    body = table[table[label] != TOTAL]
    vals = pd.to_numeric(body[value], errors="coerce")
    order = vals.dropna().sort_values(ascending=ascending, kind="stable").index[:k]
    out = [(str(body.loc[i, label]), float(vals.loc[i])) for i in order]
    return out + [("–", float("nan"))] * (k - len(out))


def _cell(table: pd.DataFrame, key_col: str, key: str, col: str) -> object:
    v = table.loc[table[key_col] == key, col]
    if v.empty:
        return float("nan")
    v = v.iloc[0]
    return v if isinstance(v, str) else float(v)


def stage_summary(ex: Extract, year: int, threshold: int = 10) -> dict[str, object]:
    """Values for the prose of the stage section (unformatted numbers, years as text).

    Province rankings use the published (suppressed) tables, so a hidden
    province is never named. Keys: ``first_year, last_year, year, n_years,
    intake_first, intake_last, intake_focus, assessed_first, assessed_focus,
    rate_first, rate_focus, rate_last, prov{1,2,3}_name, prov{1,2,3}_rate,
    iap_rate, iap_not_rate, iap_missing_rate, iap_top_name, iap_top_rate,
    isp_rate, counsel_mean_focus, counsel_max_focus, counsel_persons_focus,
    counsel_peak_year, counsel_peak_mean, counsel_top_name, counsel_top_mean,
    post_rate_first, post_rate_focus, closed_focus``.
    """
    ia = stages.intake_assessment_by_year(ex)
    if year not in set(ia["year"]):
        raise ValueError(f"{year}년 자료가 없습니다 / no data for {year}")
    first, last = ia.iloc[0], ia.iloc[-1]
    fy = ia.set_index("year").loc[year]
    out: dict[str, object] = {
        "first_year": str(int(first["year"])), "last_year": str(int(last["year"])), "year": str(year), "n_years": int(len(ia)),
        "intake_first": int(first["intake_n"]), "intake_last": int(last["intake_n"]), "intake_focus": int(fy["intake_n"]),
        "assessed_first": int(first["assessed_n"]), "assessed_focus": int(fy["assessed_n"]),
        "rate_first": float(first["assessed_rate"]), "rate_focus": float(fy["assessed_rate"]), "rate_last": float(last["assessed_rate"]),
    }
    t3 = assessment_by_province_table(ex, year, threshold)
    for i, (name, rate) in enumerate(_ranked(t3, "시도", "사정단계 참여비율(%)"), start=1):
        out[f"prov{i}_name"], out[f"prov{i}_rate"] = name, rate
    t4 = plan_status_table(ex, "iap_status", threshold)
    y = str(year)
    out["iap_rate"] = _cell(t4, "연도", y, "수립(%)")
    out["iap_not_rate"] = _cell(t4, "연도", y, "미수립(%)")
    out["iap_missing_rate"] = _cell(t4, "연도", y, "시스템 미입력(%)")
    t5 = iap_by_province_table(ex, year, threshold)
    (out["iap_top_name"], out["iap_top_rate"]), = _ranked(t5, "시도", "수립률(%)", k=1)
    t6 = plan_status_table(ex, "isp_status", threshold)
    out["isp_rate"] = _cell(t6, "연도", y, "수립(%)")
    cy = stages.counselling_by_year(ex).set_index("year")
    out["counsel_mean_focus"] = float(cy.loc[year, "mean"])
    out["counsel_max_focus"] = float(cy.loc[year, "max"])
    out["counsel_persons_focus"] = int(cy.loc[year, "persons_n"])
    out["counsel_peak_year"] = str(int(cy["mean"].idxmax()))
    out["counsel_peak_mean"] = float(cy["mean"].max())
    t8 = counselling_by_province_table(ex, year, threshold)
    (out["counsel_top_name"], out["counsel_top_mean"]), = _ranked(t8, "시도", "평균값", k=1)
    pc = stages.post_closure_by_year(ex).set_index("year")
    out["post_rate_first"] = float(pc["post_rate"].iloc[0])
    out["post_rate_focus"] = float(pc.loc[year, "post_rate"])
    out["closed_focus"] = int(pc.loc[year, "closed_n"])
    return out


#: decimal places of the values of :func:`stage_summary` in the prose (others: 0)
STAGE_DIGITS = {"rate_first": 2, "rate_focus": 2, "rate_last": 2, "prov1_rate": 2, "prov2_rate": 2, "prov3_rate": 2,
                "iap_rate": 2, "iap_not_rate": 2, "iap_missing_rate": 2, "iap_top_rate": 1, "isp_rate": 2,
                "counsel_mean_focus": 2, "counsel_peak_mean": 2, "counsel_top_mean": 2, "post_rate_first": 2, "post_rate_focus": 2}


# ---------------------------------------------------------------- 4. outcome tests
OUTCOMES = {"incentive": "자립성과금", "wage": "자활급여"}
#: indicator key → (performed label, not performed label, short stage name)
GROUP_LABELS = {
    "assessment": ("자활사정지 작성", "자활사정지 미작성", "사정지 작성"),
    "iap": ("IAP 수립", "IAP 미수립", "IAP 수립"),
    "iap_monitoring": ("IAP 수행", "IAP 미수행", "IAP 수행"),
    "counselling": ("개별상담 경험 있음", "개별상담 경험 없음", "개별상담 경험"),
    "post_closure": ("종결 후 상담 진행", "종결 후 상담 안 함", "종결 후 상담"),
}
#: the report's comparisons: (table, outcome, indicator, days table)
COMPARISONS: list[tuple[str, str, str, str | None]] = [
    ("표 Ⅲ-9", "incentive", "assessment", None),
    ("표 Ⅲ-10", "incentive", "iap", None),
    ("표 Ⅲ-11", "incentive", "counselling", None),
    ("표 Ⅲ-12", "incentive", "post_closure", None),
    ("표 Ⅲ-13", "wage", "assessment", "표 Ⅲ-14"),
    ("표 Ⅲ-15", "wage", "iap_monitoring", "표 Ⅲ-16"),
    ("표 Ⅲ-17", "wage", "counselling", "표 Ⅲ-18"),
    ("표 Ⅲ-19", "wage", "post_closure", "표 Ⅲ-20"),
]
#: estimation plot of each comparison
ESTIMATION_FIGURES = {t: f"그림 Ⅲ-S{i + 3}" for i, (t, *_rest) in enumerate(COMPARISONS)}


def comparison_title(table_id: str) -> str:
    """Short Korean title of a comparison (for captions and figure titles).

    Examples
    --------
    >>> comparison_title("표 Ⅲ-15")
    'IAP 수행 여부별 자활급여'
    """
    t = {c[0]: c for c in COMPARISONS}
    if table_id in t:
        _, outcome, ind, _days = t[table_id]
        return f"{GROUP_LABELS[ind][2]} 여부별 {OUTCOMES[outcome]}"
    days = {c[3]: c for c in COMPARISONS if c[3]}
    if table_id in days:
        return f"{GROUP_LABELS[days[table_id][2]][2]} 여부별 환산 참여일수"
    raise ValueError(f"알 수 없는 표입니다: {table_id!r} / unknown table")


def outcome_tests(ex: Extract, year: int, *, alpha: float = 0.05, variant: str = "auto",
                  threshold: int = 10, confidence: float = 0.95) -> pd.DataFrame:
    """All comparisons of 표 Ⅲ-9 to Ⅲ-20 in one tidy table (one row per comparison).

    Parameters
    ----------
    ex : Extract
    year : int
        The year of the outcome data (focus year).
    alpha, variant, confidence
        Passed to :func:`jahwal.compare.compare_groups`.
    threshold : int
        A comparison with a group smaller than this is ``suppressed`` (its
        statistics are still computed here but are never displayed).

    Returns
    -------
    DataFrame
        ``table_id, outcome, indicator, days_table, label1, label2`` and the
        columns of :func:`~jahwal.compare.compare_groups`, plus ``suppressed``.
    """
    data = stages.outcome_data(ex, year)
    rows = []
    for table_id, outcome, ind, days in COMPARISONS:
        col = f"group_{ind}"
        n1 = int((data[col] == "수행").sum())
        n2 = int((data[col] == "미수행").sum())
        base = {"table_id": table_id, "outcome": outcome, "indicator": ind, "days_table": days,
                "label1": GROUP_LABELS[ind][0], "label2": GROUP_LABELS[ind][1]}
        if n1 < 2 or n2 < 2:
            rows.append({**base, "n1": n1, "n2": n2, "suppressed": True})
            continue
        res = compare_groups(data, outcome, col, variant=variant, alpha=alpha, confidence=confidence).iloc[0].to_dict()
        rows.append({**base, **res, "suppressed": bool(min(n1, n2) < threshold)})
    return pd.DataFrame(rows)


#: how the reported t-test is chosen, for the prose (by the ``ttest_variant`` parameter)
VARIANT_LABELS = {
    "auto": "Levene 검정 결과에 따라 고르도록",
    "student": "모두 Student 방식으로",
    "welch": "모두 Welch 방식으로",
}


def outcome_values(tests: pd.DataFrame) -> tuple[dict[str, object], dict[str, int]]:
    """Per-comparison numbers for the prose, keyed ``<label>_<name>`` (e.g. ``tab-III-9_diff``), and their digits.

    Names: ``n1, n2, diff, lo, hi, g, p`` (suppressed comparisons give ``x``).
    """
    values, digits = {}, {}
    for r in tests.itertuples():
        key = label_key(r.table_id)
        hidden = bool(r.suppressed)
        for name, col, d in (("n1", "n1", 0), ("n2", "n2", 0), ("diff", "diff", 0), ("lo", "diff_ci_low", 0),
                             ("hi", "diff_ci_high", 0), ("g", "hedges_g", 3)):
            values[f"{key}_{name}"] = SUPPRESSED if hidden else float(getattr(r, col))
            digits[f"{key}_{name}"] = d
        values[f"{key}_p"] = SUPPRESSED if hidden else _p_text(float(r.p))
    return values, digits


def _p_text(p: float) -> str:
    """p as printed in tables.

    Examples
    --------
    >>> _p_text(0.0000001), _p_text(0.0456)
    ('<.001', '.046')
    """
    if p is None or np.isnan(p):
        return "–"
    return "<.001" if p < 0.001 else f"{p:.3f}".lstrip("0")


def _test_row(tests: pd.DataFrame, table_id: str) -> pd.Series:
    m = tests[tests["table_id"] == table_id]
    if m.empty:
        raise ValueError(f"검정 결과에 {table_id}가 없습니다 / no test for {table_id}")
    return m.iloc[0]


def outcome_table(tests: pd.DataFrame, table_id: str) -> pd.DataFrame:
    """표 Ⅲ-9, Ⅲ-10, Ⅲ-11, Ⅲ-12, Ⅲ-13, Ⅲ-15, Ⅲ-17, Ⅲ-19: the two groups and the reported t-test.

    Returns
    -------
    DataFrame
        Two rows (performed, not performed): ``구분, 인원, 연평균(원),
        표준편차(원)``, and on the first row ``t, 자유도, p, 검정``.
        A suppressed comparison shows ``x`` everywhere.
    """
    r = _test_row(tests, table_id)
    name = OUTCOMES[r["outcome"]]
    if r["suppressed"]:
        return pd.DataFrame({"구분": [r["label1"], r["label2"]], "인원": [SUPPRESSED] * 2, f"연평균 {name}(원)": [SUPPRESSED] * 2,
                             "표준편차(원)": [SUPPRESSED] * 2, "t": [SUPPRESSED, ""], "자유도": [SUPPRESSED, ""], "p": [SUPPRESSED, ""],
                             "검정": ["", ""]})
    return pd.DataFrame({
        "구분": [r["label1"], r["label2"]],
        "인원": [int(r["n1"]), int(r["n2"])],
        f"연평균 {name}(원)": [round(float(r["mean1"]), 2), round(float(r["mean2"]), 2)],
        "표준편차(원)": [round(float(r["sd1"]), 2), round(float(r["sd2"]), 2)],
        "t": [f"{r['t']:.3f}{r['stars']}", ""],
        "자유도": [f"{r['df']:.1f}" if r["variant"] == "welch" else f"{r['df']:.0f}", ""],
        "p": [_p_text(r["p"]), ""],
        "검정": ["Welch" if r["variant"] == "welch" else "Student", ""],
    })


def outcome_table_note(tests: pd.DataFrame, table_id: str) -> str:
    """One-line note under an outcome table: variant and reason, mean difference and Hedges' g with intervals."""
    r = _test_row(tests, table_id)
    if r["suppressed"]:
        return "한 집단의 인원이 공개 기준보다 적어 값을 가렸습니다."
    return (f"*p<.05, **p<.01, ***p<.001. {r['reason']}. 평균 차이(수행−미수행) {r['diff']:,.0f}원 "
            f"[95% 신뢰구간 {r['diff_ci_low']:,.0f}, {r['diff_ci_high']:,.0f}], Hedges' g {r['hedges_g']:.3f} "
            f"[{r['g_ci_low']:.3f}, {r['g_ci_high']:.3f}].")


def days_table(tests: pd.DataFrame, days_table_id: str, daily_rates: dict[str, float]) -> pd.DataFrame:
    """표 Ⅲ-14, Ⅲ-16, Ⅲ-18, Ⅲ-20: mean 자활급여 converted into participation days at each daily rate.

    Returns
    -------
    DataFrame
        Three rows (performed, not performed, difference): ``구분, 인원,
        연평균 자활급여(원)`` and ``<type> 기준(일)`` for each daily rate.
    """
    m = tests[tests["days_table"] == days_table_id]
    if m.empty:
        raise ValueError(f"환산 참여일수 표가 아닙니다: {days_table_id!r} / not a participation-days table")
    r = m.iloc[0]
    if not daily_rates:
        raise ValueError("일 급여(daily_rates)가 비어 있습니다 / daily_rates is empty")
    labels = [r["label1"], r["label2"], "차이(수행−미수행)"]
    if r["suppressed"]:
        out = pd.DataFrame({"구분": labels, "인원": [SUPPRESSED, SUPPRESSED, ""], "연평균 자활급여(원)": [SUPPRESSED] * 3})
        for t in daily_rates:
            out[f"{t} 기준(일)"] = SUPPRESSED
        return out
    means = [float(r["mean1"]), float(r["mean2"]), float(r["diff"])]
    out = pd.DataFrame({"구분": labels, "인원": [float(r["n1"]), float(r["n2"]), np.nan], "연평균 자활급여(원)": [round(v, 2) for v in means]})
    for _, d in participation_days(pd.Series(means), daily_rates).iterrows():
        out[f"{d['unit_type']} 기준(일)"] = np.round(d["days"], 1)
    return out


def variant_table(tests: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅲ-S2: Levene's test, Student's and Welch's t for every comparison, and the variant reported."""
    rows = []
    for r in tests.itertuples():
        if r.suppressed:
            rows.append({"표": r.table_id, "성과": OUTCOMES[r.outcome], "단계": GROUP_LABELS[r.indicator][2],
                         **{k: SUPPRESSED for k in ["Levene F", "Levene p", "Student t", "Student 자유도", "Student p",
                                                    "Welch t", "Welch 자유도", "Welch p"]}, "보고": "", "선택 이유": "공개 기준 미만"})
            continue
        rows.append({
            "표": r.table_id, "성과": OUTCOMES[r.outcome], "단계": GROUP_LABELS[r.indicator][2],
            "Levene F": round(r.levene_w, 2), "Levene p": _p_text(r.levene_p),
            "Student t": round(r.t_student, 3), "Student 자유도": f"{r.df_student:.0f}", "Student p": _p_text(r.p_student),
            "Welch t": round(r.t_welch, 3), "Welch 자유도": f"{r.df_welch:.1f}", "Welch p": _p_text(r.p_welch),
            "보고": "Welch" if r.variant == "welch" else "Student", "선택 이유": r.reason,
        })
    return pd.DataFrame(rows)


def effects_table(tests: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅲ-S3: mean difference and Hedges' g with 95% intervals for every comparison."""
    rows = []
    for r in tests.itertuples():
        base = {"표": r.table_id, "성과": OUTCOMES[r.outcome], "단계": GROUP_LABELS[r.indicator][2]}
        if r.suppressed:
            rows.append({**base, **{k: SUPPRESSED for k in ["평균 차이(원)", "차이 하한", "차이 상한", "Hedges' g", "g 하한", "g 상한"]}, "유의": ""})
            continue
        rows.append({**base, "평균 차이(원)": round(r.diff, 0), "차이 하한": round(r.diff_ci_low, 0), "차이 상한": round(r.diff_ci_high, 0),
                     "Hedges' g": round(r.hedges_g, 3), "g 하한": round(r.g_ci_low, 3), "g 상한": round(r.g_ci_high, 3),
                     "유의": r.stars or "–"})
    return pd.DataFrame(rows)


def estimation_figure(tests: pd.DataFrame, table_id: str, confidence: float = 0.95):
    """그림 Ⅲ-S3 to Ⅲ-S10: estimation plot of one comparison (Gardner–Altman style, from summaries).

    Left: each group's mean with its 95% interval. Right: the mean difference
    (performed − not performed) with its 95% interval and the approximate
    sampling distribution of the difference; the dashed line is no difference.
    Only group summaries are drawn, never persons.
    """
    import matplotlib.pyplot as plt

    r = _test_row(tests, table_id)
    if r["suppressed"]:
        return empty_figure("한 집단의 인원이 공개 기준보다 적어 그리지 않았습니다")
    unit = 10_000
    name = OUTCOMES[r["outcome"]]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(8, 3.8), gridspec_kw={"width_ratios": [1.2, 1]})
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, sfx in enumerate(("1", "2")):
        n, m, s = float(r[f"n{sfx}"]), float(r[f"mean{sfx}"]), float(r[f"sd{sfx}"])
        half = sps.t.ppf(0.5 + confidence / 2, n - 1) * s / np.sqrt(n)
        a1.errorbar([i], [m / unit], yerr=[[half / unit], [half / unit]], fmt="o", color=colors[i], capsize=6, markersize=7)
        a1.annotate(f"{m / unit:,.1f}", (i, m / unit), textcoords="offset points", xytext=(10, -3), fontsize=8)
    a1.set_xticks([0, 1])
    a1.set_xticklabels([f"{r['label1']}\n(n={int(r['n1']):,})", f"{r['label2']}\n(n={int(r['n2']):,})"], fontsize=8)
    a1.set_xlim(-0.6, 1.6)
    a1.set_ylabel(f"연평균 {name}(만원)")
    a1.set_title("집단 평균과 95% 신뢰구간", fontsize=10)
    d, lo, hi = float(r["diff"]) / unit, float(r["diff_ci_low"]) / unit, float(r["diff_ci_high"]) / unit
    se = (hi - lo) / 2 / sps.t.ppf(0.5 + confidence / 2, float(r["df"]))
    grid = np.linspace(d - 4 * se, d + 4 * se, 200)
    dens = sps.norm.pdf(grid, d, se)
    a2.fill_betweenx(grid, 0, dens / dens.max() * 0.35, color=colors[2], alpha=0.35)
    a2.errorbar([0], [d], yerr=[[d - lo], [hi - d]], fmt="o", color="black", capsize=6)
    a2.axhline(0, color="grey", linestyle="--", linewidth=1)
    a2.annotate(f"{d:,.1f}만원\n[{lo:,.1f}, {hi:,.1f}]", (0, d), textcoords="offset points", xytext=(-12, -8), ha="right", fontsize=8)
    a2.set_xlim(-1.0, 0.6)
    a2.set_xticks([0])
    a2.set_xticklabels(["평균 차이\n(수행-미수행)"], fontsize=8)
    a2.set_ylabel("평균 차이(만원)")
    a2.set_title(f"Hedges' g = {r['hedges_g']:.3f} [{r['g_ci_low']:.3f}, {r['g_ci_high']:.3f}]", fontsize=10)
    lim = max(abs(lo), abs(hi), abs(d) + 4 * se) * 1.15
    a2.set_ylim(-lim, lim)
    fig.suptitle(f"{comparison_title(table_id)}: 추정 그림({'Welch' if r['variant'] == 'welch' else 'Student'} t)", fontsize=11)
    fig.tight_layout()
    return fig


def outcome_overview(tests: pd.DataFrame, alpha: float = 0.05) -> dict[str, object]:
    """Counts for the prose: comparisons shown, significant ones, Welch reported, largest |g|."""
    shown = tests[~tests["suppressed"]]
    sig = shown[shown["p"] < alpha]
    big = shown.loc[shown["hedges_g"].abs().idxmax()] if len(shown) else None
    return {
        "n_tests": int(len(tests)), "n_shown": int(len(shown)), "n_significant": int(len(sig)),
        "n_welch": int((shown["variant"] == "welch").sum()) if len(shown) else 0,
        "significant_tables": "·".join(t.replace("표 ", "") for t in sig["table_id"]) or "–",
        "max_g_table": big["table_id"] if big is not None else "–",
        "max_g": float(abs(big["hedges_g"])) if big is not None else float("nan"),
    }
