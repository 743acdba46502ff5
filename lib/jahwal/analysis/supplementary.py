"""보완 분석: the outcome comparisons stratified and adjusted, beyond the 2023 report (tidy frames).

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

from jahwal.analysis import stages
from jahwal.analysis.compare import compare_groups
from jahwal.inputs.contract import CODES, Extract
from jahwal.vocab import COMPARISONS

#: covariates of the adjusted model: column → Korean label
COVARIATES: dict[str, str] = {
    "sex": "성별",
    "age_band": "연령대",
    "household_type": "가구유형",
    "recipient_type": "진입 시 수급유형",
    "capability_band": "자활역량 점수",
    "physical_health": "신체건강",
    "psychological_health": "심리건강",
    "unit_type": "사업단 유형",
    "participation_band": "참여기간",
    "province": "시도",
}
MISSING = "미상"


# ---------------------------------------------------------------- bands
def band_labels(cuts: Sequence[int]) -> list[str]:
    """Korean labels of participation-length bands from month cut points.

    Bands are ``[c0, c1), [c1, c2), ..., [ck, ∞)``.

    Parameters
    ----------
    cuts : list of int
        Month cut points (the ``participation_bands`` parameter).

    Returns
    -------
    list of str
        One label per band.

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

    Parameters
    ----------
    cuts : list of int
        Month cut points.

    Returns
    -------
    list of int
        The cut points as integers.

    Raises
    ------
    ValueError
        Naming the parameter and the values.

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
        raise ValueError(
            f"participation_bands는 정수 목록이어야 합니다 / participation_bands must be integers: {cuts!r}"
        ) from None
    if not cuts:
        raise ValueError("participation_bands가 비어 있습니다 / participation_bands is empty")
    if any(c < 0 for c in cuts):
        raise ValueError(f"participation_bands에 음수가 있습니다 / negative cut points: {cuts}")
    if any(b <= a for a, b in zip(cuts, cuts[1:])):
        raise ValueError(f"participation_bands는 커지는 순서여야 합니다 / participation_bands must increase: {cuts}")
    return cuts


def participation_band(months: pd.Series, cuts: Sequence[int]) -> pd.Series:
    """Band label of each cumulative participation length (months); below the first cut → missing.

    Parameters
    ----------
    months : Series
        Cumulative participation in months.
    cuts : list of int
        Month cut points.

    Returns
    -------
    Series
        Band labels of :func:`band_labels` (``None`` below the first cut).

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
    """Person-level outcome data of ``year`` with the participation band (never published as such).

    Parameters
    ----------
    ex : Extract
        A validated extract.
    year : int
        The year of the outcome data (the focus year).
    cuts : list of int
        Month cut points of the participation bands.

    Returns
    -------
    DataFrame
        :func:`jahwal.analysis.stages.outcome_data` plus ``participation_band``.

    Raises
    ------
    ValueError
        When the extract has no outcome data for ``year``.

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> analysis_data(example_extract(), 2022, [0, 12])[["person_id", "participation_band"]].values.tolist()
    [['p2', '12개월 이상'], ['p3', '12개월 미만']]
    """
    data = stages.outcome_data(ex, year)
    if data.empty:
        raise ValueError(f"{year}년 성과 자료가 없습니다 / no outcome data for {year}")
    return data.assign(participation_band=participation_band(data["participation_months"], cuts))


def stratum_order(by: str, values: Iterable[str], cuts: Sequence[int] | None = None) -> list[str]:
    """Strata in a natural order (code list or band order), then any others.

    Parameters
    ----------
    by : str
        The stratifying column (a code list name or ``participation_band``).
    values : list of str
        The strata present; missing values are dropped.
    cuts : list of int, optional
        Month cut points, for ``participation_band``.

    Returns
    -------
    list of str
        The strata, known ones first in their reference order.

    Examples
    --------
    >>> stratum_order("unit_type", ["근로유지형", "기타", "시장진입형", None])
    ['시장진입형', '근로유지형', '기타']
    """
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
    threshold: int,
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
        Passed to :func:`jahwal.analysis.compare.compare_groups`.
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
            rows.append(
                {
                    **row,
                    **{
                        k: r[k]
                        for k in [
                            "mean1",
                            "mean2",
                            "diff",
                            "diff_ci_low",
                            "diff_ci_high",
                            "hedges_g",
                            "g_ci_low",
                            "g_ci_high",
                            "t",
                            "df",
                            "p",
                            "variant",
                            "stars",
                        ]
                    },
                    "suppressed": False,
                }
            )
    out = pd.DataFrame(rows)
    for c in [
        "mean1",
        "mean2",
        "diff",
        "diff_ci_low",
        "diff_ci_high",
        "hedges_g",
        "g_ci_low",
        "g_ci_high",
        "t",
        "df",
        "p",
    ]:
        if c not in out:
            out[c] = np.nan
    for c in ["variant", "stars"]:
        if c not in out:
            out[c] = None
    return out[
        [
            "stratum",
            "table_id",
            "outcome",
            "indicator",
            "n1",
            "n2",
            "mean1",
            "mean2",
            "diff",
            "diff_ci_low",
            "diff_ci_high",
            "hedges_g",
            "g_ci_low",
            "g_ci_high",
            "t",
            "df",
            "p",
            "variant",
            "stars",
            "suppressed",
        ]
    ]


# ---------------------------------------------------------------- adjusted estimates
def design_matrix(data: pd.DataFrame, group: str, covariates: Sequence[str]) -> pd.DataFrame:
    """Intercept, the group dummy (``수행`` = 1) and dummies of the covariates (first level dropped).

    Missing covariate values form their own level (``미상``), so no person is
    dropped for a missing characteristic.

    Parameters
    ----------
    data : DataFrame
        Person-level data.
    group : str
        The group column (``수행``/``미수행``).
    covariates : list of str
        Covariate columns.

    Returns
    -------
    DataFrame
        ``const``, ``group`` and one ``column[level]`` dummy per non-reference
        level that varies in ``data``.

    Raises
    ------
    ValueError
        When a covariate column is missing.

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
    threshold: int,
    confidence: float = 0.95,
    comparisons: Sequence[tuple[str, str, str, str | None]] = COMPARISONS,
) -> pd.DataFrame:
    """Raw and covariate-adjusted group differences of every comparison (OLS, HC3 errors).

    The adjusted difference is the coefficient of the group dummy in a linear
    regression of the outcome on the dummy and the covariates' dummies.

    Parameters
    ----------
    data : DataFrame
        Person-level data (:func:`analysis_data`).
    covariates : list of str
        Covariate columns (all of :data:`COVARIATES` by default).
    threshold : int
        Suppression threshold: a comparison with a group smaller than this is
        marked ``suppressed``.
    confidence : float
        Level of the confidence intervals.
    comparisons : list of tuple
        ``(table, outcome, indicator, days table)``; the report's by default.

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
    >>> r = adjusted_effects(d, covariates=["u"], comparisons=[("표 0", "y", "x", None)], threshold=10).iloc[0]
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
        rows.append(
            {
                **base,
                "raw_diff": float(raw.params["group"]),
                "raw_ci_low": float(rci[0]),
                "raw_ci_high": float(rci[1]),
                "adj_diff": float(adj.params["group"]),
                "adj_ci_low": float(aci[0]),
                "adj_ci_high": float(aci[1]),
                "adj_p": float(adj.pvalues["group"]),
                "r2": float(adj.rsquared),
                "n_parameters": int(X.shape[1]),
                "suppressed": False,
            }
        )
    out = pd.DataFrame(rows)
    for c in [
        "raw_diff",
        "raw_ci_low",
        "raw_ci_high",
        "adj_diff",
        "adj_ci_low",
        "adj_ci_high",
        "adj_p",
        "r2",
        "n_parameters",
    ]:
        if c not in out:
            out[c] = np.nan
    return out
