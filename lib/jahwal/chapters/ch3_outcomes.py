"""Chapter Ⅲ-4 display: outcome-test tables, notes, estimation figures and prose values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jahwal.analysis.compare import participation_days
from jahwal.chapters.common import label_key
from jahwal.display.disclosure import SUPPRESSED
from jahwal.display.figures import empty_figure
from jahwal.vocab import COMPARISONS, OUTCOMES, STAGE_GROUPS

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
        return f"{STAGE_GROUPS[ind][2]} 여부별 {OUTCOMES[outcome]}"
    days = {c[3]: c for c in COMPARISONS if c[3]}
    if table_id in days:
        return f"{STAGE_GROUPS[days[table_id][2]][2]} 여부별 환산 참여일수"
    raise ValueError(f"알 수 없는 표입니다: {table_id!r} / unknown table")


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
        for name, col, d in (
            ("n1", "n1", 0),
            ("n2", "n2", 0),
            ("diff", "diff", 0),
            ("lo", "diff_ci_low", 0),
            ("hi", "diff_ci_high", 0),
            ("g", "hedges_g", 3),
        ):
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
        return pd.DataFrame(
            {
                "구분": [r["label1"], r["label2"]],
                "인원": [SUPPRESSED] * 2,
                f"연평균 {name}(원)": [SUPPRESSED] * 2,
                "표준편차(원)": [SUPPRESSED] * 2,
                "t": [SUPPRESSED, ""],
                "자유도": [SUPPRESSED, ""],
                "p": [SUPPRESSED, ""],
                "검정": ["", ""],
            }
        )
    return pd.DataFrame(
        {
            "구분": [r["label1"], r["label2"]],
            "인원": [int(r["n1"]), int(r["n2"])],
            f"연평균 {name}(원)": [round(float(r["mean1"]), 2), round(float(r["mean2"]), 2)],
            "표준편차(원)": [round(float(r["sd1"]), 2), round(float(r["sd2"]), 2)],
            "t": [f"{r['t']:.3f}{r['stars']}", ""],
            "자유도": [f"{r['df']:.1f}" if r["variant"] == "welch" else f"{r['df']:.0f}", ""],
            "p": [_p_text(r["p"]), ""],
            "검정": ["Welch" if r["variant"] == "welch" else "Student", ""],
        }
    )


def outcome_table_note(tests: pd.DataFrame, table_id: str) -> str:
    """One-line note under an outcome table: variant and reason, mean difference and Hedges' g with intervals."""
    r = _test_row(tests, table_id)
    if r["suppressed"]:
        return "한 집단의 인원이 공개 기준보다 적어 값을 가렸습니다."
    return (
        f"*p<.05, **p<.01, ***p<.001. {r['reason']}. 평균 차이(수행−미수행) {r['diff']:,.0f}원 "
        f"[95% 신뢰구간 {r['diff_ci_low']:,.0f}, {r['diff_ci_high']:,.0f}], Hedges' g {r['hedges_g']:.3f} "
        f"[{r['g_ci_low']:.3f}, {r['g_ci_high']:.3f}]."
    )


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
        out = pd.DataFrame(
            {"구분": labels, "인원": [SUPPRESSED, SUPPRESSED, ""], "연평균 자활급여(원)": [SUPPRESSED] * 3}
        )
        for t in daily_rates:
            out[f"{t} 기준(일)"] = SUPPRESSED
        return out
    means = [float(r["mean1"]), float(r["mean2"]), float(r["diff"])]
    out = pd.DataFrame(
        {
            "구분": labels,
            "인원": [float(r["n1"]), float(r["n2"]), np.nan],
            "연평균 자활급여(원)": [round(v, 2) for v in means],
        }
    )
    for _, d in participation_days(pd.Series(means), daily_rates).iterrows():
        out[f"{d['unit_type']} 기준(일)"] = np.round(d["days"], 1)
    return out


def variant_table(tests: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅲ-S2: Levene's test, Student's and Welch's t for every comparison, and the variant reported."""
    rows = []
    for r in tests.itertuples():
        if r.suppressed:
            rows.append(
                {
                    "표": r.table_id,
                    "성과": OUTCOMES[r.outcome],
                    "단계": STAGE_GROUPS[r.indicator][2],
                    **{
                        k: SUPPRESSED
                        for k in [
                            "Levene F",
                            "Levene p",
                            "Student t",
                            "Student 자유도",
                            "Student p",
                            "Welch t",
                            "Welch 자유도",
                            "Welch p",
                        ]
                    },
                    "보고": "",
                    "선택 이유": "공개 기준 미만",
                }
            )
            continue
        rows.append(
            {
                "표": r.table_id,
                "성과": OUTCOMES[r.outcome],
                "단계": STAGE_GROUPS[r.indicator][2],
                "Levene F": round(r.levene_w, 2),
                "Levene p": _p_text(r.levene_p),
                "Student t": round(r.t_student, 3),
                "Student 자유도": f"{r.df_student:.0f}",
                "Student p": _p_text(r.p_student),
                "Welch t": round(r.t_welch, 3),
                "Welch 자유도": f"{r.df_welch:.1f}",
                "Welch p": _p_text(r.p_welch),
                "보고": "Welch" if r.variant == "welch" else "Student",
                "선택 이유": r.reason,
            }
        )
    return pd.DataFrame(rows)


def effects_table(tests: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅲ-S3: mean difference and Hedges' g with 95% intervals for every comparison."""
    rows = []
    for r in tests.itertuples():
        base = {"표": r.table_id, "성과": OUTCOMES[r.outcome], "단계": STAGE_GROUPS[r.indicator][2]}
        if r.suppressed:
            rows.append(
                {
                    **base,
                    **{
                        k: SUPPRESSED
                        for k in ["평균 차이(원)", "차이 하한", "차이 상한", "Hedges' g", "g 하한", "g 상한"]
                    },
                    "유의": "",
                }
            )
            continue
        rows.append(
            {
                **base,
                "평균 차이(원)": round(r.diff, 0),
                "차이 하한": round(r.diff_ci_low, 0),
                "차이 상한": round(r.diff_ci_high, 0),
                "Hedges' g": round(r.hedges_g, 3),
                "g 하한": round(r.g_ci_low, 3),
                "g 상한": round(r.g_ci_high, 3),
                "유의": r.stars or "–",
            }
        )
    return pd.DataFrame(rows)


def estimation_figure(tests: pd.DataFrame, table_id: str, confidence: float = 0.95):
    """그림 Ⅲ-S3 to Ⅲ-S10: estimation plot of one comparison (Gardner–Altman style, from summaries).

    Left: each group's mean with its 95% interval. Right: the mean difference
    (performed − not performed) with its 95% interval and the approximate
    sampling distribution of the difference; the dashed line is no difference.
    Only group summaries are drawn, never persons.
    """
    import matplotlib.pyplot as plt
    from scipy import stats as sps  # only this figure needs it: other pages start faster

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
        a1.errorbar(
            [i], [m / unit], yerr=[[half / unit], [half / unit]], fmt="o", color=colors[i], capsize=6, markersize=7
        )
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
    a2.annotate(
        f"{d:,.1f}만원\n[{lo:,.1f}, {hi:,.1f}]",
        (0, d),
        textcoords="offset points",
        xytext=(-12, -8),
        ha="right",
        fontsize=8,
    )
    a2.set_xlim(-1.0, 0.6)
    a2.set_xticks([0])
    a2.set_xticklabels(["평균 차이\n(수행-미수행)"], fontsize=8)
    a2.set_ylabel("평균 차이(만원)")
    a2.set_title(f"Hedges' g = {r['hedges_g']:.3f} [{r['g_ci_low']:.3f}, {r['g_ci_high']:.3f}]", fontsize=10)
    lim = max(abs(lo), abs(hi), abs(d) + 4 * se) * 1.15
    a2.set_ylim(-lim, lim)
    fig.suptitle(
        f"{comparison_title(table_id)}: 추정 그림({'Welch' if r['variant'] == 'welch' else 'Student'} t)", fontsize=11
    )
    fig.tight_layout()
    return fig


def outcome_overview(tests: pd.DataFrame, alpha: float = 0.05) -> dict[str, object]:
    """Counts for the prose: comparisons shown, significant ones, Welch reported, largest |g|."""
    shown = tests[~tests["suppressed"]]
    sig = shown[shown["p"] < alpha]
    big = shown.loc[shown["hedges_g"].abs().idxmax()] if len(shown) else None
    return {
        "n_tests": int(len(tests)),
        "n_shown": int(len(shown)),
        "n_significant": int(len(sig)),
        "n_welch": int((shown["variant"] == "welch").sum()) if len(shown) else 0,
        "significant_tables": "·".join(t.replace("표 ", "") for t in sig["table_id"]) or "–",
        "max_g_table": big["table_id"] if big is not None else "–",
        "max_g": float(abs(big["hedges_g"])) if big is not None else float("nan"),
    }


# ---------------------------------------------------------------- ledger specs of the group sizes
#: the persons the outcome tests compare (자활근로 participants of the focus year with outcome records)
OUTCOME_POPULATION = "성과 분석 대상자"
#: the category of persons to whom a stage indicator does not apply (neither 수행 nor 미수행, never printed)
NOT_APPLICABLE = "해당 없음"
INDICATOR_OF_TABLE = {t: ind for t, _o, ind, _d in COMPARISONS} | {d: ind for _t, _o, ind, d in COMPARISONS if d}


def group_variable(indicator: str) -> str:
    """The ledger variable of a stage indicator's groups (e.g. ``"사정지 작성"``)."""
    return STAGE_GROUPS[indicator][2]


def group_domains(data: pd.DataFrame) -> dict[str, list[str]]:
    """Complete category lists of the indicators' groups in the outcome data.

    ``수행`` and ``미수행``, and :data:`NOT_APPLICABLE` when someone has
    neither (e.g. 종결 후 상담 for cases not closed), so that the groups add up
    to the persons analysed.
    """
    out = {}
    for ind in STAGE_GROUPS:
        col = f"group_{ind}"
        if col not in data:
            continue
        extra = [NOT_APPLICABLE] if (~data[col].isin(["수행", "미수행"])).any() else []
        out[group_variable(ind)] = ["수행", "미수행", *extra]
    return out


def _group_cells(indicators: list[str | None], columns: dict[str, str]) -> list[dict[str, dict[str, str]]]:
    return [{c: {group_variable(ind): value} for c, value in columns.items()} if ind else {} for ind in indicators]


def outcome_spec(table: pd.DataFrame, year: int, domains: dict[str, list[str]]) -> dict[str, object]:
    """The ledger spec of an outcome-test table (:func:`outcome_table`, :func:`days_table` or 표 Ⅲ-S6).

    Each 인원 counts the persons of one group (수행 or 미수행) of the table's
    stage indicator in ``year``; means, standard deviations and test
    statistics of the row are hidden with it. ``domains`` from
    :func:`group_domains`.
    """
    if "표" in table:  # one comparison per row, groups in two columns (표 Ⅲ-S6)
        counts = {"인원(수행)": "수행", "인원(미수행)": "미수행"}
        cells = _group_cells([INDICATOR_OF_TABLE[t] for t in table["표"]], counts)
    else:  # one group per row: 수행, 미수행 (and the difference row of the days tables)
        counts = {"인원": ""}
        ind = _indicator_of_labels(table["구분"].tolist())
        values = ["수행", "미수행"] + [None] * (len(table) - 2)
        cells = [{"인원": {group_variable(ind): v}} if v else {} for v in values]
    stats = [c for c in table.columns if c not in ("표", "비교", "구분", *counts)]
    return {
        "population": OUTCOME_POPULATION,
        "year": int(year),
        "columns": {c: {} for c in counts},
        "cells_by": cells,
        "domains": {k: list(v) for k, v in domains.items()},
        "related": {c: stats for c in counts},
    }


def _indicator_of_labels(labels: list[str]) -> str:
    for ind, (yes, no, _name) in STAGE_GROUPS.items():
        if labels[:2] == [yes, no]:
            return ind
    raise ValueError(f"비교 집단을 알 수 없습니다 / unknown comparison groups: {labels[:2]}")
