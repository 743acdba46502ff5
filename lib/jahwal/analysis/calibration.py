"""Calibration: every published figure beside the value computed from an extract.

The comparison uses the same functions as Chapter Ⅲ (:mod:`jahwal.analysis.stages`,
:mod:`jahwal.analysis.compare`), so a pass here means the chapter reproduces the report.
Tolerances follow the data-contract issue: counts exact; counselling means
within 1 %, medians and maxima exact, standard deviations within 5 %; subgroup
means within 2 %; post-closure rates within 0.2 percentage points; outcome
groups: n exact, means within 0.5 %, standard deviations within 2 %, t within
±0.3 with the same significance at α = .05.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from jahwal.analysis import stages
from jahwal.analysis.compare import compare_groups, t_from_summary
from jahwal.errors import JahwalError
from jahwal.inputs.contract import Extract
from jahwal.vocab import OUTCOMES

TOL = {
    "count": ("exact", 0.0),
    "mean": ("rel", 0.01),
    "median": ("exact", 0.0),
    "max": ("exact", 0.0),
    "sd": ("rel", 0.05),
    "subgroup": ("rel", 0.02),
    "rate_pp": ("abs", 0.2),
    "group_mean": ("rel", 0.005),
    "group_sd": ("rel", 0.02),
    "t": ("abs", 0.3),
    "days": ("rel", 0.005),
}
STAGE_KEYS = {"사정": "assessment", "IAP": "iap", "개별상담": "counselling", "종결후상담": "post_closure"}


class CalibrationError(JahwalError):
    exit_code = 4


def _row(fig, item, published, synthetic, kind, note="", cells=()):
    """One comparison; ``cells`` names the Chapter Ⅲ person counts it shows or is computed from."""
    mode, tol = TOL[kind]
    if published is None or (isinstance(published, float) and np.isnan(published)):
        return None
    diff = synthetic - published
    if mode == "exact":
        ok = abs(diff) < 1e-9
        tol_txt = "일치"
    elif mode == "rel":
        ok = abs(diff) <= tol * abs(published) + 1e-12
        tol_txt = f"±{tol * 100:g}%"
    else:
        ok = abs(diff) <= tol + 1e-12
        tol_txt = f"±{tol:g}" + ("%p" if kind == "rate_pp" else "")
    return {
        "figure_id": fig,
        "item": item,
        "published": float(published),
        "synthetic": float(synthetic),
        "difference": float(diff),
        "tolerance": tol_txt,
        "pass": bool(ok),
        "note": note,
        "cells": list(cells),
    }


def calibrate(ex: Extract, reference_dir: str | Path, focus_year: int, alpha: float = 0.05) -> pd.DataFrame:
    """Compare an extract with the published figures; one row per figure value.

    Parameters
    ----------
    ex : Extract
        A validated extract.
    reference_dir : path
        The published figures (``data/reference``).
    focus_year : int
        The year of the outcome tests (2022 in the report).
    alpha : float
        Significance level of the variance test choosing Student or Welch.

    Returns
    -------
    DataFrame
        ``figure_id, item, published, synthetic, difference, tolerance, pass, note``.
    """
    ref = Path(reference_dir)
    rows = []
    add = lambda r: rows.append(r) if r else None  # noqa: E731

    ia = stages.intake_assessment_by_year(ex).set_index("year")
    iap = pd.read_csv(ref / "tab_III_04_iap_by_year.csv")
    iap = iap[~iap["is_total"].astype(bool)]
    for y, g in iap.groupby("year"):
        if y in ia.index:
            add(
                _row(
                    "그림 Ⅲ-11",
                    f"{y}년 초기상담 인원",
                    g["n"].sum(),
                    ia.loc[y, "intake_n"],
                    "count",
                    cells=[{"연도": y}],
                )
            )
    fig12 = pd.read_csv(ref / "fig_III_11_12_intake_assessment_by_year.csv")
    for r in fig12.itertuples():
        if r.year in ia.index and not pd.isna(r.assessed_n):
            add(
                _row(
                    "그림 Ⅲ-12",
                    f"{r.year}년 사정 인원",
                    r.assessed_n,
                    ia.loc[r.year, "assessed_n"],
                    "count",
                    cells=[{"연도": r.year, "사정": "참여"}],
                )
            )
    prov = stages.intake_assessment_by_province(ex, focus_year).set_index("province")
    p3 = pd.read_csv(ref / "tab_III_03_assessment_by_province_2022.csv")
    for r in p3[~p3["is_total"].astype(bool)].itertuples():
        if r.province in prov.index:
            where = {"연도": focus_year, "시도": stages.province_name(r.province, focus_year)}
            add(
                _row(
                    "표 Ⅲ-3",
                    f"{r.province} 초기상담",
                    r.intake_n,
                    prov.loc[r.province, "intake_n"],
                    "count",
                    cells=[where],
                )
            )
            add(
                _row(
                    "표 Ⅲ-3",
                    f"{r.province} 사정",
                    r.assessed_n,
                    prov.loc[r.province, "assessed_n"],
                    "count",
                    cells=[{**where, "사정": "참여"}],
                )
            )
    st = stages.status_by_year(ex, "iap_status").set_index(["year", "status"])
    for r in iap.itertuples():
        if (r.year, r.status) in st.index:
            add(
                _row(
                    "표 Ⅲ-4",
                    f"{r.year}년 IAP {r.status}",
                    r.n,
                    st.loc[(r.year, r.status), "n"],
                    "count",
                    cells=[{"연도": r.year, "IAP": r.status}],
                )
            )
    p5 = pd.read_csv(ref / "tab_III_05_iap_by_province_2022.csv")
    ip = stages.iap_by_province(ex, focus_year).set_index("province")
    cols = {"수립": "iap_established", "미수립": "iap_not_established", "시스템 미입력": "iap_missing"}
    for r in p5[~p5["is_total"].astype(bool)].itertuples():
        if r.province in ip.index:
            add(
                _row(
                    "표 Ⅲ-5",
                    f"{r.province} IAP {r.status}",
                    r.n,
                    ip.loc[r.province, cols[r.status]],
                    "count",
                    cells=[{"연도": focus_year, "시도": stages.province_name(r.province, focus_year), "IAP": r.status}],
                )
            )
    isp = pd.read_csv(ref / "tab_III_06_isp_by_year.csv")
    ss = stages.status_by_year(ex, "isp_status").set_index(["year", "status"])
    for r in isp[~isp["is_total"].astype(bool)].itertuples():
        status = "수립" if r.status == "수립" else "시스템 미입력"
        if (r.year, status) in ss.index:
            add(
                _row(
                    "표 Ⅲ-6",
                    f"{r.year}년 ISP {r.status}",
                    r.n,
                    ss.loc[(r.year, status), "n"],
                    "count",
                    cells=[{"연도": r.year, "ISP": status}],
                )
            )

    cy = stages.counselling_by_year(ex).set_index("year")
    for r in pd.read_csv(ref / "tab_III_07_counselling_by_year.csv").itertuples():
        if r.year in cy.index:
            for k, kind in (("mean", "mean"), ("median", "median"), ("max", "max"), ("sd", "sd")):
                add(
                    _row(
                        "표 Ⅲ-7",
                        f"{r.year}년 {stages.LABELS[k]}",
                        getattr(r, k),
                        cy.loc[r.year, k],
                        kind,
                        cells=[{"연도": r.year, "상담": "있음"}],
                    )
                )
    cp = stages.counselling_by_province(ex, focus_year).set_index("province")
    p8 = pd.read_csv(ref / "tab_III_08_counselling_by_province_2022.csv")
    for r in p8[~p8["is_total"].astype(bool)].itertuples():
        if r.province in cp.index:
            for k, kind in (("mean", "mean"), ("median", "median"), ("max", "max"), ("sd", "sd")):
                add(
                    _row(
                        "표 Ⅲ-8",
                        f"{r.province} {stages.LABELS[k]}",
                        getattr(r, k),
                        cp.loc[r.province, k],
                        kind,
                        cells=[
                            {"연도": focus_year, "시도": stages.province_name(r.province, focus_year), "상담": "있음"}
                        ],
                    )
                )

    sg = stages.counselling_by_characteristic(ex, focus_year)
    fig = pd.read_csv(ref / "fig_III_01_10_counselling_by_characteristic.csv")
    from jahwal.inputs.synth import FIGURE_VARIABLES

    for r in fig[fig["mean_counselling"].notna()].itertuples():
        cat = FIGURE_VARIABLES.get(r.variable, (None, {}))[1].get(r.category, r.category)
        # the reference file keeps the report's spelling (진입시수급유형); the book writes labels as words
        m = sg[(sg["variable"].str.replace(" ", "") == r.variable.replace(" ", "")) & (sg["category"] == cat)]
        if len(m):
            add(_row(r.figure_id, f"{r.variable}: {r.category}", r.mean_counselling, m["mean"].iloc[0], "subgroup"))

    pc = stages.post_closure_by_year(ex).set_index("year")
    f14 = pd.read_csv(ref / "fig_III_14_post_closure_by_year.csv")
    for r in f14[f14["pct"].notna()].itertuples():
        if r.year in pc.index:
            val = pc.loc[r.year, "post_rate"] if r.status == "있음" else pc.loc[r.year, "no_post_rate"]
            add(
                _row(
                    "그림 Ⅲ-14",
                    f"{r.year}년 종결 후 상담 {r.status}",
                    r.pct,
                    val,
                    "rate_pp",
                    cells=[{"연도": r.year, "종결": "종결"}]
                    + [{"연도": r.year, "종결": "종결", "종결 후 상담": v} for v in ("있음", "없음")],
                )
            )

    rows.extend(_outcome_rows(ex, ref, focus_year, alpha))
    return pd.DataFrame(rows)


def _outcome_rows(ex: Extract, ref: Path, year: int, alpha: float) -> list[dict]:
    tests = pd.read_csv(ref / "tab_III_09_20_outcome_tests.csv")
    rates = pd.read_csv(ref / "daily_rates.csv")
    rates = dict(zip(rates["unit_type"], rates["daily_wage_won"]))
    data = stages.outcome_data(ex, year)
    rows = []
    wage_means = {}
    for fig, g in tests[tests["outcome"].isin(list(OUTCOMES.values()))].groupby("figure_id", sort=False):
        outcome = g["outcome"].iloc[0]
        stage = g["stage"].iloc[0]
        key = STAGE_KEYS[stage]
        if outcome == "자활급여" and key == "iap":
            key = "iap_monitoring"
        dv = next(k for k, v in OUTCOMES.items() if v == outcome)
        res = compare_groups(data, dv, f"group_{key}").iloc[0]
        yes = g[g["performed"]].iloc[0]
        no = g[~g["performed"]].iloc[0]
        for r, sfx, _lab in ((yes, "1", "수행"), (no, "2", "미수행")):
            rows.append(_row(fig, f"{r.group} n", r.n, res[f"n{sfx}"], "count"))
            rows.append(_row(fig, f"{r.group} 평균", r["mean"], res[f"mean{sfx}"], "group_mean"))
            rows.append(_row(fig, f"{r.group} 표준편차", r.sd, res[f"sd{sfx}"], "group_sd"))
        wage_means[(stage, True)] = res["mean1"]
        wage_means[(stage, False)] = res["mean2"]
        # the printed t: compare with the variant whose size matches, in the direction of the printed means
        summ = t_from_summary(yes.n, yes["mean"], yes.sd, no.n, no["mean"], no.sd)
        variant = (
            "welch" if abs(abs(summ["t_welch"]) - abs(yes.t)) <= abs(abs(summ["t_student"]) - abs(yes.t)) else "student"
        )
        direction = np.sign(yes["mean"] - no["mean"])
        printed = direction * abs(yes.t)
        note = "" if np.sign(yes.t) == direction else "보고서의 t 부호가 평균 차이와 반대여서 부호를 바로잡아 비교"
        r = _row(fig, f"t ({'Welch' if variant == 'welch' else 'Student'})", printed, res[f"t_{variant}"], "t", note)
        sig_ours = res[f"p_{variant}"] < alpha
        sig_pub = bool(isinstance(yes.stars, str) and yes.stars.strip())
        r["pass"] = bool(r["pass"] and sig_ours == sig_pub)
        r["note"] = (r["note"] + "; " if r["note"] else "") + f"유의성 {'일치' if sig_ours == sig_pub else '불일치'}"
        rows.append(r)
        if outcome == "자활급여":
            wage_means[(stage, "wage", True)] = res["mean1"]
            wage_means[(stage, "wage", False)] = res["mean2"]
    wage_tests = tests[tests["outcome"] == "자활급여"]
    for r in tests[tests["outcome"] == "참여일수"].itertuples():
        src = wage_tests[(wage_tests["stage"] == r.stage) & (wage_tests["performed"] == r.performed)]
        ours = wage_means.get((r.stage, "wage", bool(r.performed)))
        if ours is None or src.empty or r.unit_type not in rates:
            continue
        derived = float(src["mean"].iloc[0]) / rates[r.unit_type]
        note = (
            ""
            if abs(derived - r.mean) <= 0.051
            else f"인쇄값 {r.mean}이 표의 자활급여에서 나오지 않아 자활급여÷일급여({derived:.1f}일)와 비교"
        )
        rows.append(
            _row(r.figure_id, f"{r.group} {r.unit_type} 환산일수", derived, ours / rates[r.unit_type], "days", note)
        )
    return [r for r in rows if r]


def summarise(cal: pd.DataFrame) -> pd.DataFrame:
    """Pass counts per figure.

    Parameters
    ----------
    cal : DataFrame
        The output of :func:`calibrate`.

    Returns
    -------
    DataFrame
        ``figure_id, checks, passed, all_pass`` per figure, in the order of the figures.
    """
    out = cal.groupby("figure_id", sort=False).agg(checks=("pass", "size"), passed=("pass", "sum")).reset_index()
    out["all_pass"] = out["checks"] == out["passed"]
    return out


def require_pass(cal: pd.DataFrame) -> None:
    """Raise :class:`CalibrationError` listing the failed comparisons.

    Parameters
    ----------
    cal : DataFrame
        The output of :func:`calibrate`.

    Returns
    -------
    None
        Returns quietly when every comparison passes.

    Raises
    ------
    CalibrationError
        Listing the failed comparisons with published and synthetic values.
    """
    bad = cal[~cal["pass"]]
    if len(bad):
        lines = [
            f"  - {r.figure_id} {r.item}: 공표 {r.published:g}, 합성 {r.synthetic:g} (허용 {r.tolerance})"
            for r in bad.itertuples()
        ]
        raise CalibrationError(
            f"합성 자료 보정이 {len(bad)}곳에서 어긋납니다 / calibration failed in {len(bad)} place(s):\n"
            + "\n".join(lines[:30])
        )


LABELS = {
    "figure_id": "표·그림",
    "item": "항목",
    "published": "보고서 값",
    "synthetic": "계산 값",
    "difference": "차이",
    "tolerance": "허용 범위",
    "pass": "통과",
    "note": "비고",
    "checks": "비교 수",
    "passed": "통과 수",
    "all_pass": "모두 통과",
}


def _whole(value: object) -> object:
    """A whole number as ``int`` (printed without decimals), anything else unchanged.

    Examples
    --------
    >>> _whole(40278.0), _whole(0.5), _whole("x")
    (40278, 0.5, 'x')
    """
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        return int(value)
    return value


def calibration_report(
    ex: Extract,
    reference_dir: str | Path,
    focus_year: int = 2022,
    alpha: float = 0.05,
    hidden: Callable[[dict], bool] | None = None,
) -> dict:
    """Everything the calibration appendix shows, ready for display.

    Parameters
    ----------
    hidden : callable, optional
        ``hidden(cell) -> bool`` for a Chapter Ⅲ person count named by its
        classifying values (``{"연도": 2019, "IAP": "미수립"}``): whether the book
        suppresses it. A comparison that shows such a count, or a statistic
        computed from it, shows neither the extract's value, the difference nor
        the verdict (``"x"``), and is left out of the pass counts, so that the
        appendix publishes nothing of the extract that the chapters hide.

    Returns
    -------
    dict
        ``applicable`` (the extract covers the report's years), ``detail`` and
        ``summary`` (Korean headers), and the counts ``n_checks``,
        ``n_passed``, ``n_failed`` and ``n_hidden`` (comparisons withheld).
    """
    years = set(ex.years)
    if not {2019, 2022} <= years:
        empty = pd.DataFrame(columns=[LABELS[c] for c in ("figure_id", "checks", "passed", "all_pass")])
        return {
            "applicable": False,
            "detail": empty,
            "summary": empty,
            "n_checks": 0,
            "n_passed": 0,
            "n_failed": 0,
            "n_hidden": 0,
        }
    cal = calibrate(ex, reference_dir, focus_year=2022, alpha=alpha)
    mask = cal["cells"].map(lambda cells: bool(hidden) and any(hidden(c) for c in cells))
    shown = cal[~mask]
    summ = summarise(shown)
    detail = cal.assign(
        **{
            "pass": cal["pass"].map({True: "예", False: "아니오"}),
            "synthetic": cal["synthetic"].round(4),
            "difference": cal["difference"].round(4),
        }
    )
    detail = detail.drop(columns="cells")
    if mask.any():
        for col in ("synthetic", "difference", "pass"):
            detail[col] = detail[col].astype(object)
            detail.loc[mask, col] = "x"
    for col in ("published", "synthetic", "difference", "tolerance"):  # counts print without decimals
        if col in detail:
            detail[col] = detail[col].astype(object).map(_whole)
    summ = summ.assign(all_pass=summ["all_pass"].map({True: "예", False: "아니오"}))
    return {
        "applicable": True,
        "detail": detail.rename(columns=LABELS),
        "summary": summ.rename(columns=LABELS),
        "n_checks": int(len(shown)),
        "n_passed": int(shown["pass"].sum()),
        "n_failed": int((~shown["pass"]).sum()),
        "n_hidden": int(mask.sum()),
    }
