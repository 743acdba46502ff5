"""Chapter Ⅲ-1 analysis: infrastructure by province with the national total (tidy)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jahwal.vocab import TOTAL


def latest_province_year(df: pd.DataFrame, year: int | None = None) -> int:
    """The reference year shown in 표 Ⅲ-2: ``year`` if given, else the latest in the file.

    Parameters
    ----------
    df : DataFrame
        From :func:`jahwal.inputs.infrastructure.read_infrastructure_by_province`.
    year : int, optional
        The year asked for.

    Returns
    -------
    int
        ``year`` when the file has it, else the latest year of the file.

    Raises
    ------
    ValueError
        When ``year`` is given and the file has no rows for it.
    """
    years = sorted(int(y) for y in df["year"].unique())
    if year is None:
        return years[-1]
    if year not in years:
        raise ValueError(f"시도별 인프라 자료에 {year}년이 없습니다(있는 해: {years}) / no province rows for {year}")
    return int(year)


def infra_by_province(df: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """표 Ⅲ-2 (tidy): centres, team centres, installation rate, staff by province, with a total row.

    Parameters
    ----------
    df : DataFrame
        From :func:`jahwal.inputs.infrastructure.read_infrastructure_by_province`.
    year : int, optional
        The reference year (:func:`latest_province_year`).

    Returns
    -------
    DataFrame
        ``province, centres_n, cm_team_centres_n, cm_team_rate, case_managers_n,
        gateway_staff_n``; the rate is team centres / centres in percent; the
        last row (``계``) is the national total.

    Examples
    --------
    >>> d = pd.DataFrame({"year": 2023, "province": ["광주", "전남"], "centres_n": [9, 23],
    ...                   "cm_team_centres_n": [9, 2], "case_managers_n": [9, 3], "gateway_staff_n": [9, 3]})
    >>> infra_by_province(d)["cm_team_rate"].round(1).tolist()
    [100.0, 8.7, 34.4]
    """
    y = latest_province_year(df, year)
    d = df[df["year"] == y].drop(columns="year").reset_index(drop=True)
    cols = ["centres_n", "cm_team_centres_n", "case_managers_n", "gateway_staff_n"]
    total = pd.DataFrame([{"province": TOTAL, **{c: int(d[c].sum()) for c in cols}}])
    out = pd.concat([d, total], ignore_index=True)
    centres = out["centres_n"].astype(float)
    out.insert(
        3, "cm_team_rate", np.where(centres > 0, 100 * out["cm_team_centres_n"] / centres.where(centres > 0, 1), np.nan)
    )
    return out
