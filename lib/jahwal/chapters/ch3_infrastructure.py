"""Chapter Ⅲ-1 display: 표 Ⅲ-1, 표 Ⅲ-2, 그림 Ⅲ-S1 and the prose values."""

from __future__ import annotations

import pandas as pd

from jahwal.analysis.infrastructure import infra_by_province, latest_province_year
from jahwal.vocab import TOTAL


# ---------------------------------------------------------------- tables
def infra_by_year(df: pd.DataFrame, last_year: int | None = None) -> pd.DataFrame:
    """표 Ⅲ-1 for display: centres and case managers per year.

    Parameters
    ----------
    df : DataFrame
        From :func:`read_infrastructure`.
    last_year : int, optional
        Drop later years (for a study whose window ends earlier).

    Returns
    -------
    DataFrame
        ``연도, 시행기관(개소), 사례관리자(명), 비고``.

    Examples
    --------
    >>> d = pd.DataFrame({"year": [2021, 2022], "centres_n": [90, 125], "case_managers_n": [90, 125], "note": ["", "하반기부터"]})
    >>> infra_by_year(d, 2021).values.tolist()
    [['2021', 90, 90, '']]
    """
    if last_year is not None:
        df = df[df["year"] <= last_year]
    if df.empty:
        raise ValueError("표시할 연도가 없습니다 / no years to show")
    return pd.DataFrame(
        {
            "연도": df["year"].astype(int).astype(str).to_numpy(),
            "시행기관(개소)": df["centres_n"].astype(int).to_numpy(),
            "사례관리자(명)": df["case_managers_n"].astype(int).to_numpy(),
            "비고": df["note"].to_numpy(),
        }
    )


PROVINCE_LABELS = {
    "province": "시도",
    "centres_n": "지역자활센터(개소)",
    "cm_team_centres_n": "팀 보유 센터(개소)",
    "cm_team_rate": "팀 설치 비율(%)",
    "case_managers_n": "사례관리자(명)",
    "gateway_staff_n": "Gateway 전담자(명)",
}


def infra_by_province_display(df: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """표 Ⅲ-2 with Korean headers (rates to one decimal place by the table formatter)."""
    return infra_by_province(df, year).rename(columns=PROVINCE_LABELS)


def infra_figure(df: pd.DataFrame, last_year: int | None = None):
    """그림 Ⅲ-S1: centres and case managers per year (lines with markers and an end label).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    if last_year is not None:
        df = df[df["year"] <= last_year]
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.plot(df["year"], df["centres_n"], marker="o", label="시행기관(개소)")
    ax.plot(df["year"], df["case_managers_n"], marker="s", linestyle="--", label="사례관리자(명)")
    last = df.iloc[-1]
    ax.annotate(
        f"{int(last['centres_n'])}",
        (last["year"], last["centres_n"]),
        textcoords="offset points",
        xytext=(0, 8),
        ha="center",
    )
    ax.set_xticks(df["year"].astype(int).tolist())
    ax.set_xlabel("연도")
    ax.set_ylabel("개소 / 명")
    ax.set_ylim(0, max(df["centres_n"].max(), df["case_managers_n"].max()) * 1.2)
    ax.set_title("연도별 사례관리 시행기관과 사례관리자")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def summary(yearly: pd.DataFrame, by_province: pd.DataFrame, year: int | None = None) -> dict[str, object]:
    """Values for the prose of the infrastructure section (numbers unformatted, years as text).

    Examples
    --------
    >>> y = pd.DataFrame({"year": [2012, 2022], "centres_n": [60, 125], "case_managers_n": [60, 125], "note": ["", ""]})
    >>> p = pd.DataFrame({"year": 2023, "province": ["광주", "전남"], "centres_n": [9, 23],
    ...                   "cm_team_centres_n": [9, 2], "case_managers_n": [9, 3], "gateway_staff_n": [9, 3]})
    >>> s = summary(y, p)
    >>> s["first_year"], s["last_centres"], s["full_provinces"], s["lowest_province"]
    ('2012', 125, '광주', '전남')
    """
    first, last = yearly.iloc[0], yearly.iloc[-1]
    prov = infra_by_province(by_province, year)
    body = prov[prov["province"] != TOTAL]
    total = prov[prov["province"] == TOTAL].iloc[0]
    full = body[body["cm_team_rate"] >= 100]["province"].tolist()
    low = body.loc[body["cm_team_rate"].idxmin()]
    return {
        "first_year": str(int(first["year"])),
        "first_centres": int(first["centres_n"]),
        "last_year": str(int(last["year"])),
        "last_centres": int(last["centres_n"]),
        "last_managers": int(last["case_managers_n"]),
        "growth": float(last["centres_n"] / first["centres_n"]) if first["centres_n"] else float("nan"),
        "province_year": str(latest_province_year(by_province, year)),
        "n_provinces": int(len(body)),
        "centres_total": int(total["centres_n"]),
        "teams_total": int(total["cm_team_centres_n"]),
        "team_rate": float(total["cm_team_rate"]),
        "managers_total": int(total["case_managers_n"]),
        "gateway_total": int(total["gateway_staff_n"]),
        "full_provinces": "·".join(full) if full else "없음",
        "n_full": int(len(full)),
        "lowest_province": str(low["province"]),
        "lowest_rate": float(low["cm_team_rate"]),
    }


def coverage_note(yearly: pd.DataFrame, by_province: pd.DataFrame, focus_year: int) -> str:
    """The note on the page: which years the two infrastructure inputs cover, against the focus year.

    It always names the years covered; when a file stops before the focus year,
    it says that the focus year's values are not there yet and where the table
    and figure end, so that no sentence reads as if the last year were the
    focus year.

    Examples
    --------
    >>> y = pd.DataFrame({"year": [2012, 2022]})
    >>> p = pd.DataFrame({"year": [2023]})
    >>> coverage_note(y, p, 2022)
    '인프라 입력 자료의 연도별 값은 2012–2022년입니다(기준연도 2022년). 시도별 값(표 Ⅲ-2)은 2023년 말 기준입니다.'
    >>> print(coverage_note(y, p, 2024))
    인프라 입력 자료의 연도별 값은 2012–2022년으로, 기준연도 2024년의 값은 아직 없습니다. 표 Ⅲ-1과 그림 Ⅲ-S1의 마지막 해는 2022년입니다. 시도별 값(표 Ⅲ-2)은 2023년 말 기준이며 기준연도 2024년의 값은 아직 없습니다.
    """
    first, last = int(yearly["year"].min()), int(yearly["year"].max())
    ref = int(by_province["year"].max())
    if last < focus_year:
        out = [
            f"인프라 입력 자료의 연도별 값은 {first}–{last}년으로, 기준연도 {focus_year}년의 값은 아직 없습니다. "
            f"표 Ⅲ-1과 그림 Ⅲ-S1의 마지막 해는 {last}년입니다."
        ]
    else:
        out = [f"인프라 입력 자료의 연도별 값은 {first}–{last}년입니다(기준연도 {focus_year}년)."]
    if ref < focus_year:
        out.append(f"시도별 값(표 Ⅲ-2)은 {ref}년 말 기준이며 기준연도 {focus_year}년의 값은 아직 없습니다.")
    else:
        out.append(f"시도별 값(표 Ⅲ-2)은 {ref}년 말 기준입니다.")
    return " ".join(out)
