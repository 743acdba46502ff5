"""Stage metrics of case management: the funnel from intake to after-care.

Every function takes a validated :class:`jahwal.inputs.contract.Extract` and returns a
tidy DataFrame with English snake_case columns; :data:`LABELS` gives the Korean
headers for display (``to_korean``). Years and provinces come from the data.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from jahwal.inputs.contract import Extract
from jahwal.vocab import province_official, province_order

LABELS = {
    "year": "연도",
    "province": "시도",
    "province_name": "시도",
    "intake_n": "초기상담 참여자 수",
    "status": "구분",
    "assessed_n": "사정단계 참여자 수",
    "assessed_rate": "사정단계 참여비율(%)",
    "n": "인원",
    "pct": "비율(%)",
    "persons_n": "상담 경험자 수",
    "mean": "평균값",
    "median": "중위값",
    "min": "최소값",
    "max": "최대값",
    "sd": "표준편차",
    "variable": "특성",
    "category": "범주",
    "ci_low": "95% 신뢰구간 하한",
    "ci_high": "95% 신뢰구간 상한",
    "closed_n": "종결자 수",
    "post_n": "종결 후 상담 인원",
    "post_rate": "종결 후 상담 비율(%)",
    "no_post_rate": "종결 후 상담 없음 비율(%)",
    "stage": "단계",
    "iap_established": "IAP 수립",
    "iap_not_established": "IAP 미수립",
    "iap_missing": "시스템 미입력",
    "iap_rate": "수립률(%)",
    "iap_missing_rate": "미입력률(%)",
    "iap_not_rate": "미수립률(%)",
}

#: participant characteristics of 그림 Ⅲ-1 to Ⅲ-10: (Korean label, column, figure id)
CHARACTERISTICS: list[tuple[str, str, str]] = [
    ("성별", "sex", "그림 Ⅲ-1"),
    ("연령대", "age_band", "그림 Ⅲ-1"),
    ("혼인상태", "marital_status", "그림 Ⅲ-2"),
    ("가구유형", "household_type", "그림 Ⅲ-3"),
    ("신용상태", "credit_status", "그림 Ⅲ-4"),
    ("주거안정", "housing_stability", "그림 Ⅲ-5"),
    ("신체건강", "physical_health", "그림 Ⅲ-6"),
    ("심리건강", "psychological_health", "그림 Ⅲ-6"),
    ("정신질환", "mental_illness", "그림 Ⅲ-7"),
    ("심리적 어려움", "psychological_difficulty", "그림 Ⅲ-7"),
    ("진입 시 수급유형", "recipient_type", "그림 Ⅲ-8"),
    ("자활역량 점수", "capability_band", "그림 Ⅲ-9"),
    ("사업단 유형", "unit_type", "그림 Ⅲ-10"),
]
AGE_BINS = [0, 20, 30, 40, 50, 60, 200]
AGE_LABELS = ["20세 미만", "20-29세", "30-39세", "40-49세", "50-59세", "60세 이상"]
CAPABILITY_BINS = [-1, 44, 59, 79, 100]
CAPABILITY_LABELS = ["45점 미만", "45-59점", "60-79점", "80점 이상"]


def to_korean(df: pd.DataFrame, extra: dict[str, str] | None = None) -> pd.DataFrame:
    """Rename English columns to Korean display headers.

    Parameters
    ----------
    df : DataFrame
        A frame of this module (English column names).
    extra : dict, optional
        More ``{column: header}`` pairs, taking precedence over :data:`LABELS`.

    Returns
    -------
    DataFrame
        The same frame with Korean headers; unknown columns keep their names.

    Examples
    --------
    >>> to_korean(pd.DataFrame({"year": [2022], "intake_n": [4], "x": [1]})).columns.tolist()
    ['연도', '초기상담 참여자 수', 'x']
    """
    names = {**LABELS, **(extra or {})}
    return df.rename(columns={c: names.get(c, c) for c in df.columns})


def province_name(short: str, year: int | None = None) -> str:
    """Official province name in ``year`` from the short form (as printed in 표 Ⅲ-3).

    Parameters
    ----------
    short : str
        Short name (``제주``); an unknown name is returned unchanged.

    Returns
    -------
    str
        The official name (``제주특별자치도``).

    Examples
    --------
    >>> province_name("제주"), province_name("강원", 2022), province_name("강원", 2023)
    ('제주특별자치도', '강원도', '강원특별자치도')
    """
    return province_official(short, year)


# ---------------------------------------------------------------- person-years
def person_years(ex: Extract) -> pd.DataFrame:
    """One row per person and year with stage flags, counselling count and outcomes.

    Parameters
    ----------
    ex : Extract
        A validated extract (:func:`jahwal.inputs.contract.load_extract`).

    Returns
    -------
    DataFrame
        ``person_id, year, province`` and the characteristics, ``age_band``,
        ``capability_band``, ``assessed`` (bool), ``iap_status``, ``iap_monitoring``,
        ``isp_status``, ``closed`` (bool), ``post_closure`` (bool or NA),
        ``counselling_n`` (events in the year), ``individual_n`` (individual
        sessions), ``in_outcomes`` (bool), ``unit_type``, ``incentive``, ``wage``.
        The result is cached for the last extract.

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> ex = example_extract()
    >>> person_years(ex)[["person_id", "year", "assessed", "counselling_n"]].values.tolist()
    [['p2', 2021, True, 1], ['p2', 2022, True, 1], ['p1', 2022, False, 2], ['p3', 2022, True, 2], ['p4', 2022, False, 1]]
    """
    key = id(ex)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is ex:
        return cached[1]
    p = ex.participants.copy()
    s = ex.stages
    df = s.merge(p.drop(columns=["base_id"]), on=["person_id", "year"], how="left", suffixes=("", "_p"))
    df["assessed"] = df["assessment_date"].notna()
    df["closed"] = df["closure_date"].notna()
    df["post_closure"] = df["post_closure_counselling"].map({"있음": True, "없음": False})
    c = ex.counselling
    cy = c.assign(year=c["date"].dt.year)
    tot = cy.groupby(["person_id", "year"]).size().rename("counselling_n")
    ind = cy[cy["kind"] == "개별상담"].groupby(["person_id", "year"]).size().rename("individual_n")
    df = df.merge(tot, on=["person_id", "year"], how="left").merge(ind, on=["person_id", "year"], how="left")
    df[["counselling_n", "individual_n"]] = df[["counselling_n", "individual_n"]].fillna(0).astype(int)
    o = ex.outcomes.assign(in_outcomes=True)
    df = df.merge(o, on=["person_id", "year"], how="left")
    df["in_outcomes"] = df["in_outcomes"].eq(True)
    age = df["year"] - df["birth_year"]
    df["age_band"] = pd.cut(age, AGE_BINS, right=False, labels=AGE_LABELS).astype(object)
    df["capability_band"] = pd.cut(
        df["capability_score"].astype(float), CAPABILITY_BINS, labels=CAPABILITY_LABELS
    ).astype(object)
    _CACHE.clear()
    _CACHE[key] = (ex, df)
    return df


_CACHE: dict[int, tuple[Extract, pd.DataFrame]] = {}


# ---------------------------------------------------------------- intake and assessment
def intake_assessment_by_year(ex: Extract) -> pd.DataFrame:
    """Intake and assessment counts and the continuation rate per year (그림 Ⅲ-11, Ⅲ-12).

    Parameters
    ----------
    ex : Extract
        A validated extract.

    Returns
    -------
    DataFrame
        ``year, intake_n, assessed_n, assessed_rate`` (rate in percent).

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> ex = example_extract()
    >>> intake_assessment_by_year(ex).values.tolist()
    [[2021, 1, 1, 100.0], [2022, 4, 2, 50.0]]
    """
    df = person_years(ex)
    out = df.groupby("year").agg(intake_n=("person_id", "size"), assessed_n=("assessed", "sum")).reset_index()
    out["assessed_rate"] = 100 * out["assessed_n"] / out["intake_n"]
    return out


def intake_assessment_by_province(ex: Extract, year: int) -> pd.DataFrame:
    """Intake, assessment and rate by province for one year (표 Ⅲ-3), with a total row.

    Parameters
    ----------
    ex : Extract
        A validated extract.
    year : int
        The year shown.

    Returns
    -------
    DataFrame
        ``province, province_name, intake_n, assessed_n, assessed_rate``; provinces
        in the order of their official names, then the total row ``계``.

    Raises
    ------
    ValueError
        When the extract has no data for ``year``.

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> ex = example_extract()
    >>> intake_assessment_by_province(ex, 2022)[["province", "intake_n", "assessed_n"]].values.tolist()
    [['서울', 1, 1], ['경기', 1, 0], ['전남', 1, 1], ['제주', 1, 0], ['계', 4, 2]]
    """
    df = person_years(ex)
    df = df[df["year"] == year]
    if df.empty:
        raise ValueError(f"{year}년 자료가 없습니다 / no data for {year}")
    out = df.groupby("province").agg(intake_n=("person_id", "size"), assessed_n=("assessed", "sum")).reset_index()
    out = out.sort_values("province", key=lambda s: s.map(province_order)).reset_index(drop=True)
    total = pd.DataFrame(
        {"province": ["계"], "intake_n": [out["intake_n"].sum()], "assessed_n": [out["assessed_n"].sum()]}
    )
    out = pd.concat([out, total], ignore_index=True)
    out["assessed_rate"] = 100 * out["assessed_n"] / out["intake_n"]
    out.insert(1, "province_name", out["province"].map(lambda p: "계" if p == "계" else province_name(p, year)))
    return out


# ---------------------------------------------------------------- plans
IAP_ORDER = ["수립", "미수립", "시스템 미입력"]


def status_by_year(ex: Extract, column: str = "iap_status") -> pd.DataFrame:
    """Counts and shares of a plan status per year (표 Ⅲ-4 for IAP, Ⅲ-6 for ISP).

    Parameters
    ----------
    ex : Extract
        A validated extract.
    column : str
        ``iap_status``, ``isp_status`` or ``iap_monitoring``.

    Returns
    -------
    DataFrame
        ``year, status, n, pct``; shares are of that year's intake, statuses in
        the order 수립, 미수립, 시스템 미입력.

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> ex = example_extract()
    >>> status_by_year(ex, "iap_status").values.tolist()
    [[2021, '수립', 1, 100.0], [2022, '수립', 1, 25.0], [2022, '미수립', 2, 50.0], [2022, '시스템 미입력', 1, 25.0]]
    """
    df = person_years(ex)
    if column not in df:
        raise ValueError(f"열이 없습니다 / no column {column!r}")
    out = df.groupby(["year", column]).size().rename("n").reset_index().rename(columns={column: "status"})
    out["pct"] = 100 * out["n"] / out.groupby("year")["n"].transform("sum")
    order = {s: i for i, s in enumerate(IAP_ORDER + ["수행", "미수행"])}
    return out.sort_values(["year", "status"], key=lambda s: s.map(order) if s.name == "status" else s).reset_index(
        drop=True
    )


def iap_by_province(ex: Extract, year: int) -> pd.DataFrame:
    """IAP status counts and rates by province for one year (표 Ⅲ-5), with a total row.

    Parameters
    ----------
    ex : Extract
        A validated extract.
    year : int
        The year shown.

    Returns
    -------
    DataFrame
        ``province, province_name, iap_established, iap_not_established,
        iap_missing, iap_rate, iap_missing_rate, iap_not_rate`` (rates in percent).

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> ex = example_extract()
    >>> iap_by_province(ex, 2022)[["province", "iap_established", "iap_not_established", "iap_missing"]].values.tolist()
    [['서울', 1, 0, 0], ['경기', 0, 1, 0], ['전남', 0, 0, 1], ['제주', 0, 1, 0], ['계', 1, 2, 1]]
    """
    df = person_years(ex)
    df = df[df["year"] == year]
    tab = pd.crosstab(df["province"], df["iap_status"]).reindex(columns=IAP_ORDER, fill_value=0)
    tab = tab.rename(
        columns={"수립": "iap_established", "미수립": "iap_not_established", "시스템 미입력": "iap_missing"}
    )
    tab = tab.reset_index()
    tab = tab.sort_values("province", key=lambda s: s.map(province_order)).reset_index(drop=True)
    total = tab.drop(columns="province").sum().to_frame().T
    total.insert(0, "province", "계")
    tab = pd.concat([tab, total], ignore_index=True)
    n = tab[["iap_established", "iap_not_established", "iap_missing"]].sum(axis=1)
    tab["iap_rate"] = 100 * tab["iap_established"] / n
    tab["iap_missing_rate"] = 100 * tab["iap_missing"] / n
    tab["iap_not_rate"] = 100 * tab["iap_not_established"] / n
    tab.insert(1, "province_name", tab["province"].map(lambda p: "계" if p == "계" else province_name(p, year)))
    return tab


# ---------------------------------------------------------------- counselling
def describe_counts(x: pd.Series) -> dict[str, float]:
    """n, mean, median, min, max and sd (ddof=1) of per-person counts.

    Parameters
    ----------
    x : Series
        One count per person; missing values are dropped.

    Returns
    -------
    dict
        ``persons_n, mean, median, min, max, sd`` (``nan`` where undefined).

    Examples
    --------
    >>> describe_counts(pd.Series([1, 2, 3, 10]))["median"]
    2.5
    """
    x = pd.Series(x).dropna()
    return {
        "persons_n": int(len(x)),
        "mean": float(x.mean()) if len(x) else np.nan,
        "median": float(x.median()) if len(x) else np.nan,
        "min": float(x.min()) if len(x) else np.nan,
        "max": float(x.max()) if len(x) else np.nan,
        "sd": float(x.std(ddof=1)) if len(x) > 1 else np.nan,
    }


def counselling_by_year(ex: Extract) -> pd.DataFrame:
    """Annual counselling per counselled person, per year (표 Ⅲ-7).

    Parameters
    ----------
    ex : Extract
        A validated extract.

    Returns
    -------
    DataFrame
        ``year`` and the statistics of :func:`describe_counts` over persons with
        at least one counselling record in that year.

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> ex = example_extract()
    >>> counselling_by_year(ex)[["year", "persons_n", "mean", "max"]].to_dict("records")[1]
    {'year': 2022, 'persons_n': 4, 'mean': 1.5, 'max': 2.0}
    """
    df = person_years(ex)
    df = df[df["counselling_n"] > 0]
    rows = [{"year": y, **describe_counts(g["counselling_n"])} for y, g in df.groupby("year")]
    return pd.DataFrame(rows)


def counselling_by_province(ex: Extract, year: int) -> pd.DataFrame:
    """Annual counselling per counselled person by province for one year (표 Ⅲ-8).

    Parameters
    ----------
    ex : Extract
        A validated extract.
    year : int
        The year shown.

    Returns
    -------
    DataFrame
        ``province, province_name`` and the statistics of :func:`describe_counts`,
        with the total row ``계`` last.

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> ex = example_extract()
    >>> counselling_by_province(ex, 2022)[["province", "persons_n", "mean"]].values.tolist()
    [['서울', 1, 1.0], ['경기', 1, 2.0], ['전남', 1, 2.0], ['제주', 1, 1.0], ['계', 4, 1.5]]
    """
    df = person_years(ex)
    df = df[(df["counselling_n"] > 0) & (df["year"] == year)]
    rows = [{"province": p, **describe_counts(g["counselling_n"])} for p, g in df.groupby("province")]
    out = pd.DataFrame(rows).sort_values("province", key=lambda s: s.map(province_order)).reset_index(drop=True)
    total = pd.DataFrame([{"province": "계", **describe_counts(df["counselling_n"])}])
    out = pd.concat([out, total], ignore_index=True)
    out.insert(1, "province_name", out["province"].map(lambda p: "계" if p == "계" else province_name(p, year)))
    return out


def counselling_by_characteristic(
    ex: Extract, year: int, characteristics: Iterable[tuple[str, str, str]] = CHARACTERISTICS, confidence: float = 0.95
) -> pd.DataFrame:
    """Mean annual counselling by participant characteristic with t-based confidence intervals (그림 Ⅲ-1 to Ⅲ-10).

    Parameters
    ----------
    ex : Extract
        A validated extract.
    year : int
        The year shown.
    characteristics : list of (str, str, str)
        ``(Korean label, column, figure id)``; :data:`CHARACTERISTICS` by default.
    confidence : float
        Level of the confidence intervals.

    Returns
    -------
    DataFrame
        ``figure_id, variable, category, n, mean, sd, ci_low, ci_high`` over
        counselled persons (``sd`` and the interval are ``nan`` for one person).

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> ex = example_extract()
    >>> counselling_by_characteristic(ex, 2022)[["variable", "category", "n", "mean"]].head(2).values.tolist()
    [['성별', '남성', 2, 2.0], ['성별', '여성', 2, 1.0]]
    """
    df = person_years(ex)
    df = df[(df["year"] == year) & (df["counselling_n"] > 0)]
    rows = []
    for label, col, fig in characteristics:
        if col not in df:
            continue
        for cat, g in df.groupby(col):
            x = g["counselling_n"].astype(float)
            n = len(x)
            m = x.mean()
            sd = x.std(ddof=1) if n > 1 else np.nan
            from scipy import stats

            half = stats.t.ppf(0.5 + confidence / 2, n - 1) * sd / np.sqrt(n) if n > 1 else np.nan
            rows.append(
                {
                    "figure_id": fig,
                    "variable": label,
                    "category": cat,
                    "n": n,
                    "mean": m,
                    "sd": sd,
                    "ci_low": m - half,
                    "ci_high": m + half,
                }
            )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- closure
def post_closure_by_year(ex: Extract) -> pd.DataFrame:
    """Share of closed cases with post-closure counselling per year (그림 Ⅲ-14).

    Parameters
    ----------
    ex : Extract
        A validated extract.

    Returns
    -------
    DataFrame
        ``year, closed_n, post_n, post_rate, no_post_rate`` (rates in percent of
        the persons closed that year).

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> ex = example_extract()
    >>> post_closure_by_year(ex).values.tolist()
    [[2022, 2, 1, 50.0, 50.0]]
    """
    df = person_years(ex)
    closed = df[df["closed"]]
    out = closed.groupby("year").agg(closed_n=("person_id", "size"), post_n=("post_closure", "sum")).reset_index()
    out["post_n"] = out["post_n"].astype(int)
    out["post_rate"] = 100 * out["post_n"] / out["closed_n"]
    out["no_post_rate"] = 100 - out["post_rate"]
    return out


def funnel(ex: Extract) -> pd.DataFrame:
    """Persons reaching each stage per year: intake, assessment, IAP, counselling, closure, after-care.

    Parameters
    ----------
    ex : Extract
        A validated extract.

    Returns
    -------
    DataFrame
        ``year, stage, order, n, pct_of_intake``.

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> ex = example_extract()
    >>> funnel(ex).query("year == 2022")[["stage", "n"]].values.tolist()
    [['초기상담', 4], ['사정', 2], ['IAP 수립', 1], ['상담 1회 이상', 4], ['종결', 2], ['종결 후 상담', 1]]
    """
    df = person_years(ex)
    steps = [
        ("초기상담", lambda d: pd.Series(True, index=d.index)),
        ("사정", lambda d: d["assessed"]),
        ("IAP 수립", lambda d: d["iap_status"] == "수립"),
        ("상담 1회 이상", lambda d: d["counselling_n"] > 0),
        ("종결", lambda d: d["closed"]),
        ("종결 후 상담", lambda d: d["post_closure"].eq(True)),
    ]
    rows = []
    for y, g in df.groupby("year"):
        base = len(g)
        for i, (name, f) in enumerate(steps):
            n = int(f(g).sum())
            rows.append({"year": y, "stage": name, "order": i, "n": n, "pct_of_intake": 100 * n / base})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- outcome groups
#: stage indicators of the outcome tests: key → (label, column, performed, not performed, figure ids)
INDICATORS = {
    "assessment": ("사정지 작성", "assessed", True, False),
    "iap": ("IAP 수립", "iap_status", "수립", "미수립"),
    "iap_monitoring": ("IAP 수행", "iap_monitoring", "수행", "미수행"),
    "counselling": ("개별상담 경험", "individual_n", "있음", "없음"),
    "post_closure": ("종결 후 상담", "post_closure", True, False),
}


def outcome_data(ex: Extract, year: int) -> pd.DataFrame:
    """Person-level data for the outcome tests of one year (never published as such).

    Parameters
    ----------
    ex : Extract
        A validated extract.
    year : int
        The year of the outcome data (the focus year).

    Returns
    -------
    DataFrame
        One row per 자활근로 participant: :func:`person_years` columns and a
        ``group_<indicator>`` column per key of :data:`INDICATORS` with values
        ``수행``/``미수행`` (missing where the indicator does not apply, e.g. an
        IAP status not entered).

    Examples
    --------
    >>> from jahwal.inputs.example import example_extract
    >>> ex = example_extract()
    >>> outcome_data(ex, 2022)[["person_id", "incentive", "group_assessment", "group_iap"]].values.tolist()
    [['p2', 1200000.5, '수행', '수행'], ['p3', 0.0, '수행', None]]
    """
    df = person_years(ex)
    df = df[(df["year"] == year) & df["in_outcomes"]].copy()
    for key, (_, col, yes, no) in INDICATORS.items():
        if key == "counselling":
            v = np.where(df[col] > 0, "수행", "미수행")
        else:
            v = np.where(df[col] == yes, "수행", np.where(df[col] == no, "미수행", None))
        df[f"group_{key}"] = pd.Series(v, index=df.index).astype(object)
    return df
