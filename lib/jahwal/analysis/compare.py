"""Group comparisons of outcomes (자립성과금, 자활급여) between stage groups.

The statistics come from pingouin and scipy; this module chooses the variant,
assembles one tidy row per comparison (pingouin style, snake_case columns) and
converts wages into participation days.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

VARIANTS = ("auto", "student", "welch")


def stars(p: float) -> str:
    """Significance stars as printed in the report (*p<.05, **p<.01, ***p<.001).

    Parameters
    ----------
    p : float
        A p-value (``None`` or ``nan`` gives no stars).

    Returns
    -------
    str
        ``"***"``, ``"**"``, ``"*"`` or ``""``.

    Examples
    --------
    >>> stars(0.0004), stars(0.03), stars(0.2)
    ('***', '*', '')
    """
    if p is None or np.isnan(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def compare_groups(
    data: pd.DataFrame,
    dv: str,
    between: str,
    *,
    groups: tuple[str, str] = ("수행", "미수행"),
    variant: str = "auto",
    alpha: float = 0.05,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Compare ``dv`` between two groups: Levene, Student and Welch t, Hedges' g, mean difference.

    Parameters
    ----------
    data : DataFrame
        One row per person.
    dv : str
        Outcome column.
    between : str
        Grouping column; rows with other values (or missing) are left out.
    groups : (str, str)
        The first group (performed) and the second (not performed); the
        difference is first minus second.
    variant : {"auto", "student", "welch"}
        Which t-test to report. ``auto`` uses Welch when Levene's test rejects
        equal variances at ``alpha``, otherwise Student.
    alpha : float
        Level for Levene's test and for significance.
    confidence : float
        Level of the confidence intervals.

    Returns
    -------
    DataFrame
        One row: ``n1, n2, mean1, mean2, sd1, sd2, levene_w, levene_p,
        t_student, df_student, p_student, t_welch, df_welch, p_welch, variant,
        reason, t, df, p, stars, significant, diff, diff_ci_low, diff_ci_high,
        hedges_g, g_ci_low, g_ci_high``.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6, 7, 8], "g": ["a"] * 4 + ["b"] * 4})
    >>> r = compare_groups(df, "y", "g", groups=("a", "b"), variant="student")
    >>> round(float(r["t"].iloc[0]), 3), round(float(r["diff"].iloc[0]), 1)
    (-4.382, -4.0)
    """
    if not 0 < alpha < 1 or not 0 < confidence < 1:
        raise ValueError("alpha와 confidence는 0과 1 사이여야 합니다 / alpha and confidence must be between 0 and 1")
    if variant not in VARIANTS:
        raise ValueError(f"variant는 {VARIANTS} 중 하나여야 합니다 / variant must be one of {VARIANTS}")
    for col in (dv, between):
        if col not in data.columns:
            raise ValueError(f"열이 없습니다 / no column {col!r}")
    x = pd.to_numeric(data.loc[data[between] == groups[0], dv], errors="coerce").dropna().to_numpy(float)
    y = pd.to_numeric(data.loc[data[between] == groups[1], dv], errors="coerce").dropna().to_numpy(float)
    if len(x) < 2 or len(y) < 2:
        raise ValueError(
            f"두 집단 모두 2명 이상이어야 합니다 / each group needs at least 2 persons (n={len(x)}, {len(y)})"
        )
    import pingouin as pg  # imported here: only the notebooks that test groups pay for it
    from scipy import stats

    lev = stats.levene(x, y, center="mean")
    st = pg.ttest(x, y, paired=False, correction=False, confidence=confidence)
    we = pg.ttest(x, y, paired=False, correction=True, confidence=confidence)
    if variant == "auto":
        chosen = "welch" if lev.pvalue < alpha else "student"
        lev_p = "p<.001" if lev.pvalue < 0.001 else f"p={lev.pvalue:.3f}"
        reason = (
            f"Levene 검정 {lev_p}(α={alpha:g} 미만): 등분산 가정 기각 → Welch"
            if chosen == "welch"
            else f"Levene 검정 {lev_p}(α={alpha:g} 이상): 등분산 가정 → Student"
        )
    else:
        chosen = variant
        reason = f"매개변수로 지정({variant})"
    row = (we if chosen == "welch" else st).iloc[0]
    g = pg.compute_effsize(x, y, paired=False, eftype="hedges")
    # pingouin rounds intervals to 2 decimals by default: keep full precision
    g_ci = pg.compute_esci(
        stat=g, nx=len(x), ny=len(y), paired=False, eftype="cohen", confidence=confidence, decimals=12
    )
    # pingouin also rounds the CI column to 2 decimals (its display options): take the
    # interval of the reported variant from scipy instead
    ci_res = stats.ttest_ind(x, y, equal_var=chosen == "student").confidence_interval(confidence)
    ci = (ci_res.low, ci_res.high)
    p = float(row["p-val"])
    out = {
        "n1": len(x),
        "n2": len(y),
        "mean1": x.mean(),
        "mean2": y.mean(),
        "sd1": x.std(ddof=1),
        "sd2": y.std(ddof=1),
        "levene_w": float(lev.statistic),
        "levene_p": float(lev.pvalue),
        "t_student": float(st["T"].iloc[0]),
        "df_student": float(st["dof"].iloc[0]),
        "p_student": float(st["p-val"].iloc[0]),
        "t_welch": float(we["T"].iloc[0]),
        "df_welch": float(we["dof"].iloc[0]),
        "p_welch": float(we["p-val"].iloc[0]),
        "variant": chosen,
        "reason": reason,
        "t": float(row["T"]),
        "df": float(row["dof"]),
        "p": p,
        "stars": stars(p),
        "significant": bool(p < alpha),
        "diff": x.mean() - y.mean(),
        "diff_ci_low": float(ci[0]),
        "diff_ci_high": float(ci[1]),
        "hedges_g": float(g),
        "g_ci_low": float(g_ci[0]),
        "g_ci_high": float(g_ci[1]),
    }
    return pd.DataFrame([out])


def t_from_summary(n1: int, m1: float, s1: float, n2: int, m2: float, s2: float) -> dict[str, float]:
    """Student and Welch t from group summaries (scipy), as a check on printed tables.

    Parameters
    ----------
    n1, m1, s1 : int, float, float
        Size, mean and standard deviation of the first group.
    n2, m2, s2 : int, float, float
        The same for the second group.

    Returns
    -------
    dict
        ``t_student, p_student, t_welch, p_welch``.

    Examples
    --------
    >>> r = t_from_summary(9981, 676237.90, 770149.74, 1952, 537041.61, 727612.30)
    >>> round(r["t_welch"], 3)
    7.655
    """
    from scipy import stats

    st = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=True)
    we = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False)
    return {
        "t_student": float(st.statistic),
        "p_student": float(st.pvalue),
        "t_welch": float(we.statistic),
        "p_welch": float(we.pvalue),
    }


def participation_days(
    amount: float | pd.Series, rates: dict[str, float], types: Iterable[str] | None = None
) -> pd.DataFrame:
    """Convert annual 자활급여 into participation days at each daily rate.

    Parameters
    ----------
    amount : float or Series
        Annual 자활급여 in won (a mean or a difference of means).
    rates : dict
        Daily 자활급여 by 사업단 type (the ``daily_rates`` parameter).
    types : list of str, optional
        The types to convert; all of ``rates`` by default.

    Returns
    -------
    DataFrame
        ``unit_type, daily_rate, days``.

    Raises
    ------
    ValueError
        For a type without a positive daily rate.

    Examples
    --------
    >>> participation_days(11056190.48, {"시장진입형": 58660})["days"].round(1).tolist()
    [188.5]
    """
    types = list(types) if types is not None else list(rates)
    rows = []
    for t in types:
        if t not in rates:
            raise ValueError(f"일 급여가 없는 사업단 유형입니다 / no daily rate for {t!r}")
        if rates[t] <= 0:
            raise ValueError(f"일 급여는 0보다 커야 합니다 / daily rate must be positive: {t}")
        rows.append({"unit_type": t, "daily_rate": rates[t], "days": np.asarray(amount, dtype=float) / rates[t]})
    return pd.DataFrame(rows)
