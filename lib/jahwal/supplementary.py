"""보완 분석: the outcome comparisons stratified and adjusted, beyond the 2023 report.

The report names two limits of its outcome tests: the groups were not compared
within 사업단 type, and participants were not split by how long they had taken
part. This module repeats every comparison of 표 Ⅲ-9 to Ⅲ-20

* within each 사업단 type (:func:`stratified_tests` with ``by="unit_type"``),
* within participation-length bands (``by="participation_band"``, bands from
  the ``participation_bands`` parameter), and
* adjusted for participant characteristics by least squares with
  heteroskedasticity-robust (HC3) standard errors (:func:`adjusted_effects`).

All of these are observational associations: who receives a stage of case
management is not random, so neither the raw nor the adjusted differences are
effects of case management.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from . import stages
from .chapter3 import COMPARISONS, GROUP_LABELS, OUTCOMES, _whole_numbers, protect
from .compare import compare_groups
from .contract import CODES, Extract
from .disclosure import SUPPRESSED

#: covariates of the adjusted model: column → Korean label
COVARIATES: dict[str, str] = {
    "sex": "성별",
    "age_band": "연령대",
    "household_type": "가구유형",
    "recipient_type": "진입 시 수급유형",
    "capability_band": "자활역량점수",
    "physical_health": "신체건강",
    "psychological_health": "심리건강",
    "unit_type": "사업단 유형",
    "participation_band": "참여기간",
    "province": "시도",
}
STRATA = {"unit_type": "사업단 유형", "participation_band": "참여기간"}
MISSING = "미상"


# ---------------------------------------------------------------- bands
def band_labels(cuts: Sequence[int]) -> list[str]:
    """Korean labels of participation-length bands from month cut points.

    Bands are ``[c0, c1), [c1, c2), ..., [ck, ∞)``.

    Examples
    --------
    >>> band_labels([0, 12, 36, 60])
    ['12개월 미만', '12–35개월', '36–59개월', '60개월 이상']
    >>> band_labels([6, 24])
    ['6–23개월', '24개월 이상']
    """
    cuts = check_cuts(cuts)
    labels = []
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        labels.append(f"{hi}개월 미만" if lo == 0 else f"{lo}–{hi - 1}개월")
    labels.append(f"{cuts[-1]}개월 이상")
    return labels


def check_cuts(cuts: Sequence[int]) -> list[int]:
    """Validate month cut points: at least one, whole, non-negative, strictly increasing.

    Examples
    --------
    >>> check_cuts([12, 6])
    Traceback (most recent call last):
    ...
    ValueError: participation_bands는 커지는 순서여야 합니다 / participation_bands must increase: [12, 6]
    """
    try:
        cuts = [int(c) for c in cuts]
    except (TypeError, ValueError):
        raise ValueError(f"participation_bands는 정수 목록이어야 합니다 / participation_bands must be integers: {cuts!r}") from None
    if not cuts:
        raise ValueError("participation_bands가 비어 있습니다 / participation_bands is empty")
    if any(c < 0 for c in cuts):
        raise ValueError(f"participation_bands에 음수가 있습니다 / negative cut points: {cuts}")
    if any(b <= a for a, b in zip(cuts, cuts[1:])):
        raise ValueError(f"participation_bands는 커지는 순서여야 합니다 / participation_bands must increase: {cuts}")
    return cuts


def participation_band(months: pd.Series, cuts: Sequence[int]) -> pd.Series:
    """Band label of each cumulative participation length (months); below the first cut → missing.

    Examples
    --------
    >>> participation_band(pd.Series([0, 11, 12, 59, 60, 200]), [0, 12, 36, 60]).tolist()
    ['12개월 미만', '12개월 미만', '12–35개월', '36–59개월', '60개월 이상', '60개월 이상']
    """
    cuts = check_cuts(cuts)
    labels = band_labels(cuts)
    bins = [*cuts, np.inf]
    out = pd.cut(pd.to_numeric(months, errors="coerce").astype(float), bins, right=False, labels=labels)
    return out.astype(object).where(out.notna(), None)


def analysis_data(ex: Extract, year: int, cuts: Sequence[int]) -> pd.DataFrame:
    """Person-level outcome data of ``year`` with the participation band (never published as such)."""
    data = stages.outcome_data(ex, year)
    if data.empty:
        raise ValueError(f"{year}년 성과 자료가 없습니다 / no outcome data for {year}")
    return data.assign(participation_band=participation_band(data["participation_months"], cuts))


def stratum_order(by: str, values: Iterable[str], cuts: Sequence[int] | None = None) -> list[str]:
    """Strata in a natural order (code list or band order), then any others."""
    values = [v for v in dict.fromkeys(values) if v is not None and not (isinstance(v, float) and np.isnan(v))]
    if by == "participation_band" and cuts is not None:
        ref = band_labels(cuts)
    else:
        ref = list(CODES.get(by, ()))
    return [v for v in ref if v in values] + sorted(v for v in values if v not in ref)


# ---------------------------------------------------------------- stratified comparisons
def stratified_tests(
    data: pd.DataFrame,
    by: str,
    *,
    threshold: int = 10,
    alpha: float = 0.05,
    variant: str = "auto",
    cuts: Sequence[int] | None = None,
    comparisons: Sequence[tuple[str, str, str, str | None]] = COMPARISONS,
) -> pd.DataFrame:
    """Every comparison of 표 Ⅲ-9 to Ⅲ-20 repeated within each stratum of ``by``.

    Parameters
    ----------
    data : DataFrame
        From :func:`analysis_data` (one row per person).
    by : str
        ``unit_type`` or ``participation_band`` (any column works).
    threshold : int
        A stratum where either group has fewer persons is ``suppressed``: its
        statistics are left empty.
    alpha, variant
        Passed to :func:`jahwal.compare.compare_groups`.
    cuts : list of int, optional
        Band cut points (for the order of participation bands).

    Returns
    -------
    DataFrame
        ``stratum, table_id, outcome, indicator, n1, n2, mean1, mean2, diff,
        diff_ci_low, diff_ci_high, hedges_g, g_ci_low, g_ci_high, t, df, p,
        variant, stars, suppressed``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"s": ["a"] * 40 + ["b"] * 6, "group_x": ["수행", "미수행"] * 23, "y": rng.normal(size=46)})
    >>> r = stratified_tests(d, "s", comparisons=[("표 0", "y", "x", None)], threshold=5)
    >>> r[["stratum", "n1", "suppressed"]].values.tolist()
    [['a', 20, False], ['b', 3, True]]
    """
    if by not in data.columns:
        raise ValueError(f"층화 변수가 없습니다 / no column {by!r}")
    rows = []
    strata = stratum_order(by, data[by].tolist(), cuts)
    for table_id, outcome, ind, _days in comparisons:
        col = f"group_{ind}"
        if col not in data.columns or outcome not in data.columns:
            raise ValueError(f"열이 없습니다 / missing column {col!r} or {outcome!r}")
        for s in strata:
            g = data[data[by] == s]
            n1 = int((g[col] == "수행").sum())
            n2 = int((g[col] == "미수행").sum())
            row = {"stratum": s, "table_id": table_id, "outcome": outcome, "indicator": ind, "n1": n1, "n2": n2}
            if min(n1, n2) < max(threshold, 2):
                rows.append({**row, "suppressed": True})
                continue
            r = compare_groups(g, outcome, col, variant=variant, alpha=alpha).iloc[0]
            rows.append({**row, **{k: r[k] for k in ["mean1", "mean2", "diff", "diff_ci_low", "diff_ci_high", "hedges_g",
                                                      "g_ci_low", "g_ci_high", "t", "df", "p", "variant", "stars"]},
                         "suppressed": False})
    out = pd.DataFrame(rows)
    for c in ["mean1", "mean2", "diff", "diff_ci_low", "diff_ci_high", "hedges_g", "g_ci_low", "g_ci_high", "t", "df", "p"]:
        if c not in out:
            out[c] = np.nan
    for c in ["variant", "stars"]:
        if c not in out:
            out[c] = None
    return out[["stratum", "table_id", "outcome", "indicator", "n1", "n2", "mean1", "mean2", "diff", "diff_ci_low",
                "diff_ci_high", "hedges_g", "g_ci_low", "g_ci_high", "t", "df", "p", "variant", "stars", "suppressed"]]


def stratified_table(res: pd.DataFrame, by: str, daily_rates: dict[str, float] | None = None, threshold: int = 10) -> pd.DataFrame:
    """Display table of :func:`stratified_tests` (표 Ⅲ-S4, Ⅲ-S5), Korean headers, suppressed.

    Within 사업단 type, the 자활급여 difference is also given in days at that
    type's daily rate (when ``daily_rates`` has one).
    """
    label = STRATA.get(by, by)
    out = pd.DataFrame({
        "표": res["table_id"],
        "비교": [f"{OUTCOMES[o]} · {GROUP_LABELS[i][2]}" for o, i in zip(res["outcome"], res["indicator"])],
        label: res["stratum"],
        "인원(수행)": res["n1"].astype(int),
        "인원(미수행)": res["n2"].astype(int),
        "평균 차이(원)": res["diff"].round(0),
        "95% 하한": res["diff_ci_low"].round(0),
        "95% 상한": res["diff_ci_high"].round(0),
        "Hedges' g": res["hedges_g"].round(3),
        "p": [("<.001" if p < 0.001 else f"{p:.3f}".lstrip("0")) if pd.notna(p) else "–" for p in res["p"]],
    })
    if by == "unit_type" and daily_rates:
        days = [d / daily_rates[s] if (o == "wage" and s in daily_rates and pd.notna(d)) else np.nan
                for d, s, o in zip(res["diff"], res["stratum"], res["outcome"])]
        out["차이(일)"] = np.round(days, 1)
    stats_cols = [c for c in out.columns if c not in ("표", "비교", label, "인원(수행)", "인원(미수행)")]
    counts = ["인원(수행)", "인원(미수행)"]
    # strata partition each comparison's groups, whose sizes are published (표 Ⅲ-9 to Ⅲ-20):
    # protect each comparison's block with secondary suppression down its columns
    blocks = [protect(b, counts, threshold, related={c: stats_cols for c in counts}, column_totals=True)
              for _, b in out.groupby("표", sort=False)]
    out = pd.concat(blocks, ignore_index=True) if blocks else out
    hidden = res["suppressed"].to_numpy()
    for c in stats_cols:
        if hidden.any():
            out[c] = out[c].astype(object)
            out.loc[hidden, c] = SUPPRESSED
    return _whole_numbers(out)


def forest_figure(res: pd.DataFrame, by: str):
    """그림 Ⅲ-S11, Ⅲ-S12: Hedges' g with 95% intervals per stratum, one panel per stage indicator.

    Markers distinguish 자립성과금 and 자활급여; suppressed strata are left out.
    """
    import matplotlib.pyplot as plt

    shown = res[~res["suppressed"]]
    inds = list(dict.fromkeys(res["indicator"]))
    strata = list(dict.fromkeys(res["stratum"]))
    fig, axes = plt.subplots(1, len(inds), figsize=(3.0 * len(inds) + 1.5, 0.45 * len(strata) + 2.2), sharey=True, squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    y = {s: i for i, s in enumerate(strata)}
    for ax, ind in zip(axes[0], inds):
        for k, (outcome, name) in enumerate(OUTCOMES.items()):
            g = shown[(shown["indicator"] == ind) & (shown["outcome"] == outcome)]
            ys = np.array([y[s] for s in g["stratum"]]) + (k - 0.5) * 0.3
            ax.errorbar(g["hedges_g"], ys, xerr=[g["hedges_g"] - g["g_ci_low"], g["g_ci_high"] - g["hedges_g"]],
                        fmt="o" if k == 0 else "s", color=colors[k], capsize=2, markersize=4, label=name, linewidth=1)
        ax.axvline(0, color="grey", linestyle="--", linewidth=1)
        ax.set_title(GROUP_LABELS[ind][2], fontsize=10)
        ax.set_xlabel("Hedges' g")
    axes[0][0].set_yticks(range(len(strata)))
    axes[0][0].set_yticklabels(strata)
    axes[0][0].invert_yaxis()
    axes[0][0].set_ylabel(STRATA.get(by, by))
    handles, labels = {}, {}
    for ax in axes[0]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    fig.legend(list(handles.values()), list(handles), loc="lower center", ncol=len(handles), fontsize=8)
    fig.suptitle(f"{STRATA.get(by, by)}별 집단 차이(Hedges' g와 95% 신뢰구간, 수행-미수행)", fontsize=11)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


# ---------------------------------------------------------------- adjusted estimates
def design_matrix(data: pd.DataFrame, group: str, covariates: Sequence[str]) -> pd.DataFrame:
    """Intercept, the group dummy (``수행`` = 1) and dummies of the covariates (first level dropped).

    Missing covariate values form their own level (``미상``), so no person is
    dropped for a missing characteristic.

    Examples
    --------
    >>> d = pd.DataFrame({"g": ["수행", "미수행", "수행"], "sex": ["남성", None, "여성"]})
    >>> design_matrix(d, "g", ["sex"]).columns.tolist()
    ['const', 'group', 'sex[여성]', 'sex[미상]']
    """
    X = pd.DataFrame({"const": 1.0, "group": (data[group] == "수행").astype(float)}, index=data.index)
    for c in covariates:
        if c not in data.columns:
            raise ValueError(f"공변량 열이 없습니다 / no covariate column {c!r}")
        v = data[c].astype(object).where(data[c].notna(), MISSING).astype(str)
        levels = stratum_order(c, v.tolist())
        if MISSING in levels:
            levels = [lv for lv in levels if lv != MISSING] + [MISSING]
        for lv in levels[1:]:
            X[f"{c}[{lv}]"] = (v == lv).astype(float)
    # drop constant columns (a level absent in this subset)
    keep = [c for c in X.columns if c in ("const", "group") or X[c].std() > 0]
    return X[keep]


def adjusted_effects(
    data: pd.DataFrame,
    *,
    covariates: Sequence[str] = tuple(COVARIATES),
    threshold: int = 10,
    confidence: float = 0.95,
    comparisons: Sequence[tuple[str, str, str, str | None]] = COMPARISONS,
) -> pd.DataFrame:
    """Raw and covariate-adjusted group differences of every comparison (OLS, HC3 errors).

    The adjusted difference is the coefficient of the group dummy in a linear
    regression of the outcome on the dummy and the covariates' dummies.

    Returns
    -------
    DataFrame
        ``table_id, outcome, indicator, n, n1, n2, raw_diff, raw_ci_low,
        raw_ci_high, adj_diff, adj_ci_low, adj_ci_high, adj_p, r2,
        n_parameters, suppressed``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> n = 400
    >>> u = rng.choice(["A", "B"], n)
    >>> g = np.where(rng.random(n) < np.where(u == "A", 0.8, 0.2), "수행", "미수행")
    >>> y = 10 * (u == "A") + rng.normal(size=n)  # no effect of g, only of u
    >>> d = pd.DataFrame({"group_x": g, "u": u, "y": y})
    >>> r = adjusted_effects(d, covariates=["u"], comparisons=[("표 0", "y", "x", None)]).iloc[0]
    >>> bool(r["raw_diff"] > 4), bool(abs(r["adj_diff"]) < 0.5)
    (True, True)
    """
    import statsmodels.api as sm

    rows = []
    for table_id, outcome, ind, _days in comparisons:
        col = f"group_{ind}"
        d = data[data[col].isin(["수행", "미수행"])]
        n1 = int((d[col] == "수행").sum())
        n2 = int((d[col] == "미수행").sum())
        base = {"table_id": table_id, "outcome": outcome, "indicator": ind, "n": n1 + n2, "n1": n1, "n2": n2}
        if min(n1, n2) < max(threshold, 2):
            rows.append({**base, "suppressed": True})
            continue
        y = pd.to_numeric(d[outcome], errors="coerce").astype(float)
        ok = y.notna()
        d, y = d[ok], y[ok]
        raw = sm.OLS(y, design_matrix(d, col, []), hasconst=True).fit(cov_type="HC3")
        X = design_matrix(d, col, covariates)
        adj = sm.OLS(y, X, hasconst=True).fit(cov_type="HC3")
        a = 1 - confidence
        rci = raw.conf_int(a).loc["group"]
        aci = adj.conf_int(a).loc["group"]
        rows.append({**base, "raw_diff": float(raw.params["group"]), "raw_ci_low": float(rci[0]), "raw_ci_high": float(rci[1]),
                     "adj_diff": float(adj.params["group"]), "adj_ci_low": float(aci[0]), "adj_ci_high": float(aci[1]),
                     "adj_p": float(adj.pvalues["group"]), "r2": float(adj.rsquared), "n_parameters": int(X.shape[1]),
                     "suppressed": False})
    out = pd.DataFrame(rows)
    for c in ["raw_diff", "raw_ci_low", "raw_ci_high", "adj_diff", "adj_ci_low", "adj_ci_high", "adj_p", "r2", "n_parameters"]:
        if c not in out:
            out[c] = np.nan
    return out


def adjusted_table(res: pd.DataFrame, threshold: int = 10) -> pd.DataFrame:
    """표 Ⅲ-S6: raw and adjusted differences with 95% intervals, Korean headers."""
    out = pd.DataFrame({
        "표": res["table_id"],
        "비교": [f"{OUTCOMES[o]} · {GROUP_LABELS[i][2]}" for o, i in zip(res["outcome"], res["indicator"])],
        "인원(수행)": res["n1"].astype(int),
        "인원(미수행)": res["n2"].astype(int),
        "단순 차이(원)": res["raw_diff"].round(0),
        "단순 95% 하한": res["raw_ci_low"].round(0),
        "단순 95% 상한": res["raw_ci_high"].round(0),
        "보정 차이(원)": res["adj_diff"].round(0),
        "보정 95% 하한": res["adj_ci_low"].round(0),
        "보정 95% 상한": res["adj_ci_high"].round(0),
        "보정 p": [("<.001" if p < 0.001 else f"{p:.3f}".lstrip("0")) if pd.notna(p) else "–" for p in res["adj_p"]],
        "R²": res["r2"].round(3),
    })
    counts = ["인원(수행)", "인원(미수행)"]
    stats_cols = [c for c in out.columns if c not in ("표", "비교", *counts)]
    out = protect(out, counts, threshold, related={c: stats_cols for c in counts}, column_totals=False)
    hidden = res["suppressed"].to_numpy()
    if hidden.any():
        for c in stats_cols:
            out[c] = out[c].astype(object)
            out.loc[hidden, c] = SUPPRESSED
    return _whole_numbers(out)


def adjusted_figure(res: pd.DataFrame):
    """그림 Ⅲ-S13: raw and adjusted differences (만원) with 95% intervals, one panel per outcome."""
    import matplotlib.pyplot as plt

    shown = res[~res["suppressed"]]
    fig, axes = plt.subplots(1, len(OUTCOMES), figsize=(10, 3.6), squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, (outcome, name) in zip(axes[0], OUTCOMES.items()):
        g = shown[shown["outcome"] == outcome].reset_index(drop=True)
        ys = np.arange(len(g))
        for k, (pre, lab) in enumerate((("raw", "단순 차이"), ("adj", "보정 차이"))):
            m = g[f"{pre}_diff"] / 1e4
            ax.errorbar(m, ys + (k - 0.5) * 0.3, xerr=[m - g[f"{pre}_ci_low"] / 1e4, g[f"{pre}_ci_high"] / 1e4 - m],
                        fmt="o" if k == 0 else "s", color=colors[k], capsize=2, markersize=4, label=lab, linewidth=1)
        ax.axvline(0, color="grey", linestyle="--", linewidth=1)
        ax.set_yticks(ys)
        ax.set_yticklabels([f"{GROUP_LABELS[i][2]}({t.replace('표 ', '')})" for i, t in zip(g["indicator"], g["table_id"])], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("평균 차이(만원, 수행-미수행)")
        ax.set_title(name, fontsize=10)
    axes[0][-1].legend(loc="lower right", fontsize=8)
    fig.suptitle("참여자 특성 보정 전후의 집단 차이(95% 신뢰구간)", fontsize=11)
    fig.tight_layout()
    return fig


def summary(strat_unit: pd.DataFrame, strat_band: pd.DataFrame, adjusted: pd.DataFrame) -> dict[str, object]:
    """Counts for the prose of the supplementary section.

    ``n_unit_strata``, ``n_band_strata``: strata shown; ``n_suppressed``:
    stratum comparisons hidden; ``n_sign_flips``: stratum comparisons (shown,
    with an interval excluding 0) whose sign differs from the overall raw
    difference; ``n_adjusted_sign_kept``: comparisons whose adjusted
    difference keeps the raw sign; ``max_shrink_table`` and ``max_shrink``:
    the comparison whose difference changes most with adjustment, in percent
    of the raw difference.
    """
    raw_sign = dict(zip(adjusted["table_id"], np.sign(adjusted["raw_diff"])))
    both = pd.concat([strat_unit, strat_band], ignore_index=True)
    shown = both[~both["suppressed"]]
    clear = shown[(shown["diff_ci_low"] > 0) | (shown["diff_ci_high"] < 0)]
    flips = int(sum(np.sign(d) != raw_sign.get(t, np.sign(d)) for d, t in zip(clear["diff"], clear["table_id"])))
    adj = adjusted[~adjusted["suppressed"]]
    kept = int((np.sign(adj["adj_diff"]) == np.sign(adj["raw_diff"])).sum())
    change = (100 * (adj["adj_diff"] - adj["raw_diff"]).abs() / adj["raw_diff"].abs()).replace([np.inf], np.nan)
    top = adj.loc[change.idxmax()] if change.notna().any() else None
    return {
        "n_unit_strata": int(strat_unit.loc[~strat_unit["suppressed"], "stratum"].nunique()),
        "n_band_strata": int(strat_band.loc[~strat_band["suppressed"], "stratum"].nunique()),
        "n_suppressed": int(both["suppressed"].sum()),
        "n_stratum_tests": int(len(both)),
        "n_sign_flips": flips,
        "n_adjusted": int(len(adj)),
        "n_adjusted_sign_kept": kept,
        "max_shrink_table": top["table_id"] if top is not None else "–",
        "max_shrink": float(change.max()) if top is not None else float("nan"),
    }
