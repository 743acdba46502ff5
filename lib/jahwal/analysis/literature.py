"""Chapter Ⅱ analysis: matrix filters, the evidence map, method-by-period counts, dimension
contrasts and policy indicator series (tidy frames).
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from jahwal.inputs.literature import DOMESTIC_COUNTRY, REGIONS, LiteratureError, _raise, _terms
from jahwal.study.prisma import check_prisma, prisma_problems

DEFAULT_BREAKS = (2000, 2010, 2015, 2020)
UNKNOWN_PERIOD = "연도 미상"


def filter_matrix(
    matrix: pd.DataFrame,
    countries: Sequence[str] | None = None,
    year_min: int | None = None,
    year_max: int | None = None,
    work_types: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Keep the works of some countries, years and work types.

    Parameters
    ----------
    matrix : DataFrame
        From :func:`load_matrix`.
    countries : list of str, optional
        Country codes (``KR``, ``US``…) or Korean labels (``한국``); empty or
        ``None`` keeps every country.
    year_min, year_max : int, optional
        Inclusive bounds. When a bound is given, works without a year are dropped.
    work_types : list of str, optional
        ``research`` and/or ``document``; ``None`` keeps both.

    Returns
    -------
    DataFrame
        The selected rows, same columns.

    Examples
    --------
    >>> from jahwal.inputs.literature import load_matrix
    >>> m = load_matrix("data/literature")
    >>> len(filter_matrix(m, countries=["영국"], work_types=["research"]))
    7
    >>> len(filter_matrix(m, year_min=2020))
    16
    """
    if year_min is not None and year_max is not None and year_min > year_max:
        raise ValueError(f"lit_year_min({year_min})이 lit_year_max({year_max})보다 큽니다 / year_min is after year_max")
    if isinstance(countries, str):
        raise ValueError(f"lit_countries는 목록이어야 합니다 / lit_countries must be a list, got {countries!r}")
    keep = pd.Series(True, index=matrix.index)
    if countries:
        wanted = set(countries)
        known = set(matrix["country"]) | set(matrix["country_label"])
        unknown = sorted(wanted - known)
        if unknown:
            raise ValueError(
                f"매트릭스에 없는 국가입니다 / countries not in the matrix: {unknown} "
                f"(있는 값 / available: {sorted(set(matrix['country']))})"
            )
        keep &= matrix["country"].isin(wanted) | matrix["country_label"].isin(wanted)
    if year_min is not None:
        keep &= matrix["year"].ge(int(year_min)).fillna(False).astype(bool)
    if year_max is not None:
        keep &= matrix["year"].le(int(year_max)).fillna(False).astype(bool)
    if work_types is not None:
        bad = sorted(set(work_types) - {"research", "document"})
        if bad:
            raise ValueError(f"알 수 없는 문헌 유형 / unknown work types: {bad}")
        keep &= matrix["work_type"].isin(list(work_types))
    return matrix[keep].reset_index(drop=True)


def explode_dimensions(matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per (work, outcome dimension); works without a dimension are dropped.

    Parameters
    ----------
    matrix : DataFrame
        The literature matrix (:func:`jahwal.inputs.literature.load_matrix`).

    Returns
    -------
    DataFrame
        Columns ``id``, ``bibtex_key``, ``region``, ``country``, ``dimension``.

    Examples
    --------
    >>> from jahwal.inputs.literature import load_matrix
    >>> m = load_matrix("data/literature")
    >>> len(explode_dimensions(m[m["bibtex_key"] == "ponka2020"]))
    8
    """
    long = matrix[["id", "bibtex_key", "region", "country", "dimensions"]].explode("dimensions")
    long = long.dropna(subset=["dimensions"]).rename(columns={"dimensions": "dimension"})
    return long.reset_index(drop=True)


def _dimension_order(vocabulary: pd.DataFrame | None, present: Iterable[str]) -> list[tuple[str, str]]:
    if vocabulary is not None:
        return list(_terms(vocabulary, "dimension").items())
    return [(c, c) for c in sorted(set(present))]


def evidence_map(matrix: pd.DataFrame, vocabulary: pd.DataFrame | None = None, by: str = "country") -> pd.DataFrame:
    """Count works per country (or region) and outcome dimension.

    Parameters
    ----------
    matrix : DataFrame
        From :func:`load_matrix` (filter it first if needed).
    vocabulary : DataFrame, optional
        From :func:`load_vocabulary`; gives the full list of dimensions (zero
        counts included) and the Korean labels.
    by : {"country", "region"}
        The rows of the map.

    Returns
    -------
    DataFrame
        One row per (group, dimension): ``group`` (country code or region),
        ``group_label``, ``dimension``, ``dimension_label``, ``n_works``. Groups
        are ordered 한국/국내 first, then by number of coded works.

    Examples
    --------
    >>> from jahwal.inputs.literature import load_matrix, load_vocabulary
    >>> m = load_matrix("data/literature")
    >>> voc = load_vocabulary("data/literature")
    >>> em = evidence_map(m, voc, by="region")
    >>> em.query("group == '해외' and dimension == 'cost'")["n_works"].item()
    6
    """
    if by not in ("country", "region"):
        raise ValueError(f"by는 'country' 또는 'region'이어야 합니다 / by must be 'country' or 'region': {by!r}")
    long = explode_dimensions(matrix)
    if by == "country":
        labels = dict(zip(matrix["country"], matrix["country_label"]))
        home = DOMESTIC_COUNTRY
    else:
        labels = {r: r for r in REGIONS}
        home = "국내"
    groups = list(dict.fromkeys(matrix[by]))
    size = long.groupby(by)["id"].nunique()
    groups.sort(key=lambda g: (g != home, g == "XX", -int(size.get(g, 0)), str(g)))
    dims = _dimension_order(vocabulary, long["dimension"])
    counts = long.groupby([by, "dimension"])["id"].nunique()
    rows = [
        {
            "group": g,
            "group_label": labels.get(g, g),
            "dimension": code,
            "dimension_label": label,
            "n_works": int(counts.get((g, code), 0)),
        }
        for g in groups
        for code, label in dims
    ]
    return pd.DataFrame(rows, columns=["group", "group_label", "dimension", "dimension_label", "n_works"])


def period_label(year: Any, breaks: Sequence[int] = DEFAULT_BREAKS) -> str:
    """The period of a year given ascending break years.

    Parameters
    ----------
    year : int or None
        A publication year (missing gives :data:`UNKNOWN_PERIOD`).
    breaks : list of int
        Ascending break years.

    Returns
    -------
    str
        The Korean period label.

    Examples
    --------
    >>> period_label(1996), period_label(2012), period_label(2023), period_label(None)
    ('1999년 이전', '2010–2014년', '2020년 이후', '연도 미상')
    """
    if year is None or pd.isna(year):
        return UNKNOWN_PERIOD
    year = int(year)
    b = list(breaks)
    if year < b[0]:
        return f"{b[0] - 1}년 이전"
    for lo, hi in zip(b, b[1:]):
        if lo <= year < hi:
            return f"{lo}–{hi - 1}년"
    return f"{b[-1]}년 이후"


def period_labels(breaks: Sequence[int] = DEFAULT_BREAKS) -> list[str]:
    """All period labels in order, ending with :data:`UNKNOWN_PERIOD`.

    Parameters
    ----------
    breaks : list of int
        Ascending break years.

    Returns
    -------
    list of str
        Every period label, oldest first, then :data:`UNKNOWN_PERIOD`.
    """
    b = list(breaks)
    if b != sorted(set(b)) or not b:
        raise ValueError(f"breaks는 오름차순이어야 합니다 / breaks must be strictly ascending: {b}")
    return (
        [f"{b[0] - 1}년 이전"] + [f"{lo}–{hi - 1}년" for lo, hi in zip(b, b[1:])] + [f"{b[-1]}년 이후", UNKNOWN_PERIOD]
    )


def works_by_method_period(
    matrix: pd.DataFrame, vocabulary: pd.DataFrame | None = None, breaks: Sequence[int] = DEFAULT_BREAKS
) -> pd.DataFrame:
    """Count works by method and publication period.

    Parameters
    ----------
    matrix : DataFrame
        The literature matrix.
    vocabulary : DataFrame, optional
        The controlled vocabulary, for method labels.
    breaks : list of int
        Ascending break years of the periods.

    Returns
    -------
    DataFrame
        Columns ``period`` (ordered categorical), ``method``, ``method_label``,
        ``n_works``; only combinations that occur.

    Examples
    --------
    >>> from jahwal.inputs.literature import load_matrix
    >>> m = load_matrix("data/literature")
    >>> t = works_by_method_period(m)
    >>> int(t["n_works"].sum()) == len(m)
    True
    """
    order = period_labels(breaks)
    labels = (
        _terms(vocabulary, "method") if vocabulary is not None else dict(zip(matrix["method"], matrix["method_label"]))
    )
    df = pd.DataFrame(
        {"period": [period_label(y, breaks) for y in matrix["year"]], "method": matrix["method"].to_numpy()}
    )
    out = df.groupby(["period", "method"]).size().rename("n_works").reset_index()
    out["period"] = pd.Categorical(out["period"], categories=order, ordered=True)
    out["method_label"] = out["method"].map(labels)
    out = out.sort_values(["period", "n_works", "method"], ascending=[True, False, True])
    return out[["period", "method", "method_label", "n_works"]].reset_index(drop=True)


def dimension_contrast(matrix: pd.DataFrame, vocabulary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compare how often overseas and Korean works address each outcome dimension.

    The base of each percentage is the number of works of the region with at
    least one coded dimension (works the report only lists are left out).

    Parameters
    ----------
    matrix : DataFrame
        The literature matrix.
    vocabulary : DataFrame, optional
        The controlled vocabulary, for dimension labels and order.

    Returns
    -------
    DataFrame
        One row per dimension: ``dimension``, ``dimension_label``,
        ``n_overseas``, ``n_domestic``, ``base_overseas``, ``base_domestic``,
        ``pct_overseas``, ``pct_domestic``, ``pct_difference`` (domestic minus
        overseas, percentage points).

    Examples
    --------
    >>> from jahwal.inputs.literature import load_matrix, load_vocabulary
    >>> m = filter_matrix(load_matrix("data/literature"), work_types=["research"])
    >>> c = dimension_contrast(m, load_vocabulary("data/literature")).set_index("dimension")
    >>> [int(v) for v in c.loc["process", ["n_overseas", "n_domestic"]]]
    [8, 21]
    """
    long = explode_dimensions(matrix)
    base = long.groupby("region")["id"].nunique()
    b_o, b_d = int(base.get("해외", 0)), int(base.get("국내", 0))
    counts = long.groupby(["dimension", "region"])["id"].nunique()
    rows = []
    for code, label in _dimension_order(vocabulary, long["dimension"]):
        n_o, n_d = int(counts.get((code, "해외"), 0)), int(counts.get((code, "국내"), 0))
        p_o = 100 * n_o / b_o if b_o else np.nan
        p_d = 100 * n_d / b_d if b_d else np.nan
        rows.append(
            {
                "dimension": code,
                "dimension_label": label,
                "n_overseas": n_o,
                "n_domestic": n_d,
                "base_overseas": b_o,
                "base_domestic": b_d,
                "pct_overseas": p_o,
                "pct_domestic": p_d,
                "pct_difference": p_d - p_o,
            }
        )
    return pd.DataFrame(rows)


def top_dimension(contrast: pd.DataFrame, region: str) -> pd.Series:
    """The most frequent dimension of a region in :func:`dimension_contrast` output.

    Parameters
    ----------
    contrast : DataFrame
        The output of :func:`dimension_contrast`.
    region : str
        ``국내`` or ``해외``.

    Returns
    -------
    Series
        ``dimension``, ``dimension_label``, ``n`` and ``pct``.
    """
    col = {"해외": "overseas", "국내": "domestic"}.get(region)
    if col is None:
        raise ValueError(f"region은 국내 또는 해외입니다 / region must be 국내 or 해외: {region!r}")
    row = contrast.sort_values([f"n_{col}", "dimension"], ascending=[False, True]).iloc[0]
    return pd.Series(
        {
            "dimension": row["dimension"],
            "dimension_label": row["dimension_label"],
            "n": int(row[f"n_{col}"]),
            "pct": row[f"pct_{col}"],
        }
    )


def staff_totals(staff: pd.DataFrame, centres_total: int | None = None) -> pd.DataFrame:
    """Sum 표 Ⅱ-7 over provinces.

    Parameters
    ----------
    staff : DataFrame
        ``load_policy(folder, "staff")``.
    centres_total : int, optional
        Number of local self-sufficiency centres, for the share of centres.

    Returns
    -------
    DataFrame
        One row per role (table order): ``role``, ``centres``, ``persons``,
        ``pct_centres`` (NaN without ``centres_total``).

    Examples
    --------
    >>> from jahwal.inputs.literature import load_policy
    >>> s = staff_totals(load_policy("data/literature", "staff"), 250)
    >>> s[["centres", "persons"]].values.tolist()
    [[125, 125], [164, 164], [142, 146]]
    >>> s["pct_centres"].round(1).tolist()
    [50.0, 65.6, 56.8]
    """
    out = staff.groupby("role", sort=False)[["centres", "persons"]].sum().reset_index()
    out[["centres", "persons"]] = out[["centres", "persons"]].astype(int)
    out["pct_centres"] = 100 * out["centres"] / centres_total if centres_total else np.nan
    return out


def indicator_series(indicators: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The yearly values of one indicator: ``year``, ``value``, ``unit``, ``note``.

    Parameters
    ----------
    indicators : DataFrame
        The policy indicators (``load_policy(folder, "indicators")``).
    indicator : str
        The indicator key.

    Returns
    -------
    DataFrame
        ``year, value, unit, note`` in year order.

    Raises
    ------
    ValueError
        For an unknown indicator, listing the available ones.
    """
    sub = indicators[indicators["indicator"] == indicator]
    if sub.empty:
        raise ValueError(
            f"지표가 없습니다 / indicator not found: {indicator!r} (있는 지표 / available: {sorted(set(indicators['indicator']))})"
        )
    return sub[["year", "value", "unit", "note"]].sort_values("year").reset_index(drop=True)


def indicator_value(indicators: pd.DataFrame, indicator: str, year: int | None = None) -> int:
    """One value of an indicator (the latest year when ``year`` is None).

    Parameters
    ----------
    indicators : DataFrame
        The policy indicators.
    indicator : str
        The indicator key.
    year : int, optional
        The year; the latest one when omitted.

    Returns
    -------
    int
        The value.

    Examples
    --------
    >>> from jahwal.inputs.literature import load_policy
    >>> ind = load_policy("data/literature", "indicators")
    >>> indicator_value(ind, "centres_total"), indicator_value(ind, "case_managers", 2012)
    (250, 60)
    """
    s = indicator_series(indicators, indicator)
    if year is None:
        return int(s["value"].iloc[-1])
    hit = s[s["year"] == year]
    if hit.empty:
        raise ValueError(f"{indicator}: {year}년 값이 없습니다 / no value for {year}")
    return int(hit["value"].iloc[0])


def validate_prisma(counts: Any, source: str = "parameters.prisma") -> pd.DataFrame:
    """Raise :class:`LiteratureError` naming ``source`` and the box when counts do not add up.

    Returns the checks (see :func:`check_prisma`) when they do.

    Parameters
    ----------
    counts : mapping or None
        The study file's ``prisma`` counts.
    source : str
        Where the counts come from, named in the message.
    """
    try:
        problems = prisma_problems(counts)
    except ValueError as exc:
        raise LiteratureError(f"{source}: {exc}") from None
    _raise([f"{source}: {p}" for p in problems], what=f"PRISMA 건수({source}) / PRISMA counts")
    return check_prisma(counts)
