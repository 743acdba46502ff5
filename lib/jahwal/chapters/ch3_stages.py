"""Chapter Ⅲ-3 (단계별 성과): the report's stage tables and figures, ready to publish.

Each ``*_table`` function returns a display-ready DataFrame with Korean headers,
person counts already suppressed (:func:`jahwal.display.disclosure.protect`), for ``nb.glue_table``; each
``*_figure`` function returns a matplotlib figure with Korean labels for
``nb.glue_fig``. The numbers come from :mod:`jahwal.analysis.stages` and
:mod:`jahwal.analysis.compare`; years, provinces and categories come from the data, so a
longer extract extends every table and trend without code changes.

Numbering follows the report (표 Ⅲ-3, 그림 Ⅲ-11); tables and figures the
report does not have carry an ``S`` (보완): 표 Ⅲ-S1, 그림 Ⅲ-S1 (see
:data:`jahwal.chapters.ch3_outcomes.EXTRA_ITEMS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jahwal.analysis import stages
from jahwal.chapters.common import _bar_labels, _rounded, _year_str
from jahwal.display import book_cells
from jahwal.display.disclosure import SUPPRESSED, _whole_numbers, protect
from jahwal.display.figures import describe, wrap_label
from jahwal.display.ledger import apply_suppression
from jahwal.inputs.contract import CODES, Extract
from jahwal.vocab import PROVINCES, TOTAL

# ---------------------------------------------------------------- 3. stages
# ---------------------------------------------------------------- ledger of the stage counts
_STAGE_TABLES: dict[str, dict[str, object]] = {
    # table key → count columns: {header: classifying values}, related columns, kept (published-total) columns
    "tab-fig-III-11": {
        "columns": {"초기상담 참여자 수": {}, "사정단계 참여자 수": {"사정": "참여"}},
        "related": {"초기상담 참여자 수": ["사정단계 참여비율(%)"], "사정단계 참여자 수": ["사정단계 참여비율(%)"]},
        "keep": ["초기상담 참여자 수"],
    },
    "tab-III-3": {
        "columns": {"초기상담 참여자 수": {}, "사정단계 참여자 수": {"사정": "참여"}},
        "related": {"초기상담 참여자 수": ["사정단계 참여비율(%)"], "사정단계 참여자 수": ["사정단계 참여비율(%)"]},
        "rows": {"시도": "시도"},
    },
    "tab-III-4": {
        "columns": {f"{s}(명)": {"IAP": s} for s in CODES["iap_status"]} | {"계(명)": {}},
        "related": {f"{s}(명)": [f"{s}(%)"] for s in CODES["iap_status"]},
        "keep": ["계(명)"],
    },
    "tab-III-5": {
        "columns": {
            "IAP 수립": {"IAP": "수립"},
            "IAP 미수립": {"IAP": "미수립"},
            "시스템 미입력": {"IAP": "시스템 미입력"},
        },
        "related": {
            c: ["수립률(%)", "미입력률(%)", "미수립률(%)"] for c in ("IAP 수립", "IAP 미수립", "시스템 미입력")
        },
        "rows": {"시도": "시도"},
    },
    "tab-III-6": {
        "columns": {f"{s}(명)": {"ISP": s} for s in CODES["isp_status"]} | {"계(명)": {}},
        "related": {f"{s}(명)": [f"{s}(%)"] for s in CODES["isp_status"]},
        "keep": ["계(명)"],
    },
    "tab-III-7": {
        "columns": {"상담 경험자 수": {"상담": "있음"}},
        "related": {"상담 경험자 수": ["평균값", "중위값", "최소값", "최대값", "표준편차"]},
    },
    "tab-III-8": {
        "columns": {"상담 경험자 수": {"상담": "있음"}},
        "related": {"상담 경험자 수": ["평균값", "중위값", "최소값", "최대값", "표준편차"]},
        "rows": {"시도": "시도"},
    },
    "tab-fig-III-14": {
        "columns": {
            "종결자 수": {"종결": "종결"},
            "종결 후 상담 있음(명)": {"종결": "종결", "종결 후 상담": "있음"},
            "종결 후 상담 없음(명)": {"종결": "종결", "종결 후 상담": "없음"},
        },
        "related": {
            "종결 후 상담 있음(명)": ["있음 비율(%)", "없음 비율(%)"],
            "종결 후 상담 없음(명)": ["있음 비율(%)", "없음 비율(%)"],
            "종결자 수": ["있음 비율(%)", "없음 비율(%)"],
        },
    },
    "tab-III-S1": {
        "columns": {
            "초기상담": {},
            "사정": {"사정": "참여"},
            "IAP 수립": {"IAP": "수립"},
            "상담 1회 이상": {"상담": "있음"},
            "종결": {"종결": "종결"},
            "종결 후 상담": {"종결": "종결", "종결 후 상담": "있음"},
        },
        "keep": ["초기상담"],
    },
}


def ledger_spec(key: str, df: pd.DataFrame, year: int | None = None) -> dict[str, object]:
    """The ledger spec of a Chapter Ⅲ stage table (what each count cell counts), for ``nb.glue_table(ledger=...)``.

    Only the columns ``df`` has are listed; tables with one year per row read it
    from ``연도``, province tables take ``year``.
    """
    t = _STAGE_TABLES[key]
    columns = {c: v for c, v in t["columns"].items() if c in df.columns}
    used = {var for v in columns.values() for var in v} | set(t.get("rows", {}))
    spec: dict[str, object] = {
        "population": book_cells.POPULATION,
        "columns": columns,
        "related": {
            c: [d for d in deps if d in df.columns] for c, deps in t.get("related", {}).items() if c in columns
        },
        "keep": [c for c in t.get("keep", []) if c in columns],
        "domains": {v: list(book_cells.VARIABLES[v][1]) for v in used if book_cells.VARIABLES[v][1] is not None},
    }
    if "rows" in t:
        spec.update(rows=t["rows"], totals=[TOTAL], year=year)
    else:
        spec["year_column"] = "연도"
    return spec


def hide_cells(
    ex: Extract, df: pd.DataFrame, key: str, threshold: int, focus_year: int | None, year: int | None = None
) -> pd.DataFrame:
    """``df`` with the stage counts that the book's joint plan suppresses shown as ``"x"`` (and their rates)."""
    fy = int(focus_year) if focus_year is not None else int(max(ex.years))
    spec = ledger_spec(key, df, year)
    plan = book_cells.book_plan(ex, fy, threshold)
    return _whole_numbers(apply_suppression(df, spec, list(spec["columns"]), plan.suppressed, key))


def stage_count_cells(summary: dict[str, object]) -> dict[str, dict[str, object]]:
    """The person counts among :func:`stage_summary`'s values and what each counts (for ``nb.glue_count``)."""
    y0, y1, fy = summary["first_year"], summary["last_year"], summary["year"]
    return {
        "intake_first": {"연도": y0},
        "intake_last": {"연도": y1},
        "intake_focus": {"연도": fy},
        "assessed_first": {"연도": y0, "사정": "참여"},
        "assessed_focus": {"연도": fy, "사정": "참여"},
        "counsel_persons_focus": {"연도": fy, "상담": "있음"},
        "closed_focus": {"연도": fy, "종결": "종결"},
    }


def intake_assessment_table(ex: Extract, threshold: int = 10, focus_year: int | None = None) -> pd.DataFrame:
    """Intake, assessment and the continuation rate per year (the values of 그림 Ⅲ-11, Ⅲ-12).

    Returns
    -------
    DataFrame
        ``연도``, the intake count, the assessment count and the rate (headers of :data:`jahwal.analysis.stages.LABELS`).
    """
    d = stages.intake_assessment_by_year(ex)
    d = _rounded(d, {"assessed_rate": 2})
    d["year"] = _year_str(d["year"])
    return hide_cells(ex, stages.to_korean(d), "tab-fig-III-11", threshold, focus_year)


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


def assessment_figure(ex: Extract, threshold: int = 10, focus_year: int | None = None):
    """그림 Ⅲ-12: persons assessed per year (bars) and the share of intake (line).

    Years whose assessment count the book hides (:func:`intake_assessment_table`) are left out.
    """
    import matplotlib.pyplot as plt

    d = stages.intake_assessment_by_year(ex)
    shown = intake_assessment_table(ex, threshold, focus_year)
    d = d[~shown["사정단계 참여자 수"].astype(object).eq(SUPPRESSED).to_numpy()]
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
        ax2.annotate(
            f"{r:.2f}%", (xi, r), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8, color=colors[3]
        )
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


def assessment_by_province_table(ex: Extract, year: int, threshold: int) -> pd.DataFrame:
    """표 Ⅲ-3: intake, assessment and rate by province for ``year``, with the total row.

    Returns
    -------
    DataFrame
        ``시도``, then intake, assessment and rate as in :func:`intake_assessment_table`;
        provinces by official name in the report's order, ``계`` last.
    """
    d = stages.intake_assessment_by_province(ex, year).drop(columns="province")
    d = _rounded(d, {"assessed_rate": 2})
    return hide_cells(ex, stages.to_korean(d), "tab-III-3", threshold, year, year=year)


_STATUS_LABEL = {"수립": "수립", "미수립": "미수립", "시스템 미입력": "시스템 미입력"}


def plan_status_table(
    ex: Extract, column: str = "iap_status", threshold: int = 10, focus_year: int | None = None
) -> pd.DataFrame:
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
    statuses = [
        s
        for s in CODES[
            {"iap_status": "iap_status", "isp_status": "isp_status", "iap_monitoring": "iap_monitoring"}[column]
        ]
        if s in set(long["status"])
    ]
    n = long.pivot(index="year", columns="status", values="n").reindex(columns=statuses).fillna(0).astype(int)
    pct = long.pivot(index="year", columns="status", values="pct").reindex(columns=statuses).fillna(0.0).round(2)
    out = pd.DataFrame({"연도": [str(int(y)) for y in n.index]})
    for s in statuses:
        out[f"{s}(명)"] = n[s].to_numpy()
        out[f"{s}(%)"] = pct[s].to_numpy()
    out["계(명)"] = n.sum(axis=1).to_numpy()
    counts = [f"{s}(명)" for s in statuses]
    if column == "iap_monitoring":  # not a stage count of the book's ledger
        return protect(
            out,
            counts,
            threshold,
            related={f"{s}(명)": [f"{s}(%)"] for s in statuses},
            row_groups=[counts],
            column_totals=False,
        )
    return hide_cells(ex, out, "tab-III-4" if column == "iap_status" else "tab-III-6", threshold, focus_year)


def iap_by_province_table(ex: Extract, year: int, threshold: int) -> pd.DataFrame:
    """표 Ⅲ-5: IAP status counts and rates by province for ``year``, with the total row.

    Returns
    -------
    DataFrame
        ``시도, IAP 수립, IAP 미수립, 시스템 미입력, 수립률(%), 미입력률(%), 미수립률(%)``.
    """
    d = stages.iap_by_province(ex, year).drop(columns="province")
    d.columns.name = None
    d = _rounded(d, {"iap_rate": 1, "iap_missing_rate": 1, "iap_not_rate": 1})
    return hide_cells(ex, stages.to_korean(d), "tab-III-5", threshold, year, year=year)


_COUNSEL_DIGITS = {"mean": 2, "median": 2, "min": 0, "max": 0, "sd": 2}


def _count_columns(d: pd.DataFrame, columns: tuple[str, ...] = ("min", "max")) -> pd.DataFrame:
    """The fewest and most sessions are counts: whole numbers, printed without decimals.

    Examples
    --------
    >>> _count_columns(pd.DataFrame({"min": [1.0, "x"], "max": [84.0, "x"]})).values.tolist()
    [[1, 84], ['x', 'x']]
    """
    for col in columns:
        if col in d:
            d[col] = (
                d[col]
                .astype(object)
                .map(lambda v: int(v) if isinstance(v, (float, np.floating)) and np.isfinite(v) else v)
            )
    return d


def counselling_by_year_table(ex: Extract, threshold: int = 10, focus_year: int | None = None) -> pd.DataFrame:
    """표 Ⅲ-7: annual counselling per counselled person per year.

    Returns
    -------
    DataFrame
        ``연도, 상담 경험자 수, 평균값, 중위값, 최소값, 최대값, 표준편차``.
    """
    d = _rounded(stages.counselling_by_year(ex), _COUNSEL_DIGITS)
    d["year"] = _year_str(d["year"])
    return hide_cells(ex, stages.to_korean(_count_columns(d)), "tab-III-7", threshold, focus_year)


def counselling_by_province_table(ex: Extract, year: int, threshold: int) -> pd.DataFrame:
    """표 Ⅲ-8: annual counselling per counselled person by province for ``year``, with the total row."""
    d = stages.counselling_by_province(ex, year).drop(columns="province")
    d = _rounded(d, _COUNSEL_DIGITS)
    return hide_cells(ex, stages.to_korean(_count_columns(d)), "tab-III-8", threshold, year, year=year)


def counselling_distribution_figure(ex: Extract, year: int, threshold: int):
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
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(6.7, 7.4))
    data = [df.loc[df["year"] == y, "counselling_n"].to_numpy() for y in years]
    kw = dict(
        showfliers=False,
        showmeans=True,
        widths=0.6,
        patch_artist=True,
        meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": "black", "markersize": 5},
        medianprops={"color": "black"},
    )
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
    provs = [p for p in PROVINCES if sizes.get(p, 0) >= threshold]  # standard administrative order
    b = a2.boxplot([fy.loc[fy["province"] == p, "counselling_n"].to_numpy() for p in provs], tick_labels=provs, **kw)
    for patch in b["boxes"]:
        patch.set_facecolor(colors[2])
        patch.set_alpha(0.6)
    a2.set_xlabel("시도")
    a2.set_ylabel("1인당 연간 상담횟수(회)")
    a2.set_title(f"{year}년 시도별")
    a2.tick_params(axis="x", labelsize=9)
    fig.suptitle("1인당 연간 상담횟수의 분포\n(상자: 사분위, 마름모: 평균, 극단값 표시 안 함)", fontsize=11)
    fig.tight_layout()
    groups = [("연도별", f"{y}년", x) for y, x in zip(years, data)]
    groups += [(f"{year}년 시도별", p, fy.loc[fy["province"] == p, "counselling_n"].to_numpy()) for p in provs]
    summary = pd.DataFrame(
        [
            {
                "구분": kind,
                "항목": label,
                "인원": int(len(x)),
                "평균(회)": round(float(np.mean(x)), 2),
                "1사분위(회)": float(np.percentile(x, 25)),
                "중위값(회)": float(np.median(x)),
                "3사분위(회)": float(np.percentile(x, 75)),
            }
            for kind, label, x in groups
        ]
    )
    return describe(
        fig,
        f"상자그림 두 개: 연도별({years[0]}–{years[-1]}년)과 {year}년 시도별 1인당 연간 상담횟수의 사분위와 평균. "
        f"{year}년 시도는 상담 경험자가 {threshold}명 이상인 {len(provs)}곳을 행정구역 순서로 보임.",
        summary,
    )


def post_closure_table(ex: Extract, threshold: int = 10, focus_year: int | None = None) -> pd.DataFrame:
    """The values of 그림 Ⅲ-14: closed cases and post-closure counselling per year.

    Returns
    -------
    DataFrame
        ``연도, 종결자 수, 종결 후 상담 있음(명), 종결 후 상담 없음(명), 있음 비율(%), 없음 비율(%)``.
    """
    d = stages.post_closure_by_year(ex)
    out = pd.DataFrame(
        {
            "연도": _year_str(d["year"]),
            "종결자 수": d["closed_n"].astype(int),
            "종결 후 상담 있음(명)": d["post_n"].astype(int),
            "종결 후 상담 없음(명)": (d["closed_n"] - d["post_n"]).astype(int),
            "있음 비율(%)": d["post_rate"].round(2),
            "없음 비율(%)": d["no_post_rate"].round(2),
        }
    )
    return hide_cells(ex, out, "tab-fig-III-14", threshold, focus_year)


def post_closure_figure(ex: Extract, threshold: int = 10, focus_year: int | None = None):
    """그림 Ⅲ-14: share of closed cases with and without post-closure counselling per year (stacked).

    Years whose counts the book hides (:func:`post_closure_table`) are left out.
    """
    import matplotlib.pyplot as plt

    d = stages.post_closure_by_year(ex)
    shown = post_closure_table(ex, threshold, focus_year)
    ok = ~shown[["종결자 수", "종결 후 상담 있음(명)", "종결 후 상담 없음(명)"]].astype(object).eq(SUPPRESSED).any(
        axis=1
    )
    d = d[ok.to_numpy()]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    x = d["year"].astype(str)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    ax.bar(x, d["post_rate"], width=0.6, color=colors[0], label="종결 후 상담 있음")
    ax.bar(
        x, d["no_post_rate"], bottom=d["post_rate"], width=0.6, color=colors[7], alpha=0.6, label="종결 후 상담 없음"
    )
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


def funnel_table(ex: Extract, threshold: int = 10, focus_year: int | None = None) -> pd.DataFrame:
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
    return hide_cells(ex, out, "tab-III-S1", threshold, focus_year)


def funnel_figure(ex: Extract, threshold: int = 10, focus_year: int | None = None):
    """그림 Ⅲ-S2: share of the year's intake reaching each stage, per year (grouped bars).

    A stage whose count the book hides (:func:`funnel_table`) has no bar.
    """
    import matplotlib.pyplot as plt

    f = stages.funnel(ex)
    shown = funnel_table(ex, threshold, focus_year).melt(id_vars="연도", var_name="stage", value_name="shown")
    hidden_cells = set(
        zip(
            shown.loc[shown["shown"].astype(object).eq(SUPPRESSED), "연도"].astype(int),
            shown.loc[shown["shown"].astype(object).eq(SUPPRESSED), "stage"],
        )
    )
    f = f[[(int(y), s) not in hidden_cells for y, s in zip(f["year"], f["stage"])]]
    years = sorted(f["year"].unique())
    fig, ax = plt.subplots(figsize=(6.7, 4.2))
    width = 0.8 / max(1, len(years))
    x = np.arange(len(FUNNEL_STAGES))
    for i, y in enumerate(years):
        g = f[f["year"] == y].set_index("stage").reindex(FUNNEL_STAGES)
        ax.bar(x + (i - (len(years) - 1) / 2) * width, g["pct_of_intake"], width=width, label=f"{y}년")
    ax.set_xticks(x)
    ax.set_xticklabels([wrap_label(s, 4) for s in FUNNEL_STAGES], fontsize=9)
    ax.set_ylim(0, 105)
    ax.set_ylabel("초기상담 참여자 대비(%)")
    ax.set_xlabel("사례관리 단계")
    ax.legend(ncol=min(5, len(years)), fontsize=8, loc="upper right")
    ax.set_title("단계별 도달 비율(연도별)")
    fig.tight_layout()
    return fig


def _ranked(
    table: pd.DataFrame, label: str, value: str, k: int = 3, ascending: bool = False
) -> list[tuple[str, float]]:
    body = table[table[label] != TOTAL]
    vals = pd.to_numeric(body[value], errors="coerce")
    order = vals.dropna().sort_values(ascending=ascending, kind="stable").index[:k]
    out = [(str(body.loc[i, label]), float(vals.loc[i])) for i in order]
    return out + [("–", float("nan"))] * (k - len(out))


def _cell(table: pd.DataFrame, key_col: str, key: str, col: str) -> object:
    if col not in table.columns:  # a status nobody has in this extract
        return float("nan")
    v = table.loc[table[key_col] == key, col]
    if v.empty:
        return float("nan")
    v = v.iloc[0]
    return v if isinstance(v, str) else float(v)


def _cell_value(v: object) -> object:
    """A published cell as a prose value: ``"x"`` stays, numbers become ``int`` or ``float``."""
    if isinstance(v, str):
        return v
    f = float(v)
    return int(f) if f.is_integer() and not isinstance(v, (float, np.floating)) else f


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
        "first_year": str(int(first["year"])),
        "last_year": str(int(last["year"])),
        "year": str(year),
        "n_years": int(len(ia)),
        "intake_first": int(first["intake_n"]),
        "intake_last": int(last["intake_n"]),
        "intake_focus": int(fy["intake_n"]),
        "assessed_first": int(first["assessed_n"]),
        "assessed_focus": int(fy["assessed_n"]),
        "rate_first": float(first["assessed_rate"]),
        "rate_focus": float(fy["assessed_rate"]),
        "rate_last": float(last["assessed_rate"]),
    }
    # counts and rates the book hides are hidden here too (the published tables, not the extract)
    t11 = intake_assessment_table(ex, threshold, year).set_index("연도")
    first_y, last_y, y = out["first_year"], out["last_year"], str(year)
    out["assessed_first"] = _cell_value(t11.loc[first_y, "사정단계 참여자 수"])
    out["assessed_focus"] = _cell_value(t11.loc[y, "사정단계 참여자 수"])
    out["rate_first"] = _cell_value(t11.loc[first_y, "사정단계 참여비율(%)"])
    out["rate_focus"] = _cell_value(t11.loc[y, "사정단계 참여비율(%)"])
    out["rate_last"] = _cell_value(t11.loc[last_y, "사정단계 참여비율(%)"])
    t3 = assessment_by_province_table(ex, year, threshold)
    for i, (name, rate) in enumerate(_ranked(t3, "시도", "사정단계 참여비율(%)"), start=1):
        out[f"prov{i}_name"], out[f"prov{i}_rate"] = name, rate
    t4 = plan_status_table(ex, "iap_status", threshold, year)
    out["iap_rate"] = _cell(t4, "연도", y, "수립(%)")
    out["iap_not_rate"] = _cell(t4, "연도", y, "미수립(%)")
    out["iap_missing_rate"] = _cell(t4, "연도", y, "시스템 미입력(%)")
    t5 = iap_by_province_table(ex, year, threshold)
    ((out["iap_top_name"], out["iap_top_rate"]),) = _ranked(t5, "시도", "수립률(%)", k=1)
    t6 = plan_status_table(ex, "isp_status", threshold, year)
    out["isp_rate"] = _cell(t6, "연도", y, "수립(%)")
    t7 = counselling_by_year_table(ex, threshold, year).set_index("연도")
    out["counsel_mean_focus"] = _cell_value(t7.loc[y, "평균값"])
    out["counsel_max_focus"] = _cell_value(t7.loc[y, "최대값"])
    out["counsel_persons_focus"] = _cell_value(t7.loc[y, "상담 경험자 수"])
    means = pd.to_numeric(t7["평균값"], errors="coerce").dropna()
    out["counsel_peak_year"] = str(means.idxmax()) if len(means) else "–"
    out["counsel_peak_mean"] = float(means.max()) if len(means) else float("nan")
    t8 = counselling_by_province_table(ex, year, threshold)
    ((out["counsel_top_name"], out["counsel_top_mean"]),) = _ranked(t8, "시도", "평균값", k=1)
    pc = post_closure_table(ex, threshold, year).set_index("연도")
    out["post_rate_first"] = _cell_value(pc["있음 비율(%)"].iloc[0])
    out["post_rate_focus"] = _cell_value(pc.loc[y, "있음 비율(%)"])
    out["closed_focus"] = _cell_value(pc.loc[y, "종결자 수"])
    return out


#: decimal places of the values of :func:`stage_summary` in the prose (others: 0)
STAGE_DIGITS = {
    "rate_first": 2,
    "rate_focus": 2,
    "rate_last": 2,
    "prov1_rate": 2,
    "prov2_rate": 2,
    "prov3_rate": 2,
    "iap_rate": 2,
    "iap_not_rate": 2,
    "iap_missing_rate": 2,
    "iap_top_rate": 1,
    "isp_rate": 2,
    "counsel_mean_focus": 2,
    "counsel_peak_mean": 2,
    "counsel_top_mean": 2,
    "post_rate_first": 2,
    "post_rate_focus": 2,
}
