"""A tiny hand-made extract (four persons, five person-years in 2021–2022) for examples and tests.

Examples
--------
>>> ex = example_extract()
>>> ex.years, len(ex.participants), ex.dropped_duplicates  # person-years, one duplicate entry dropped
([2021, 2022], 5, 1)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from jahwal.inputs.contract import TABLES, Extract, load_extract

# Four persons. p1 enters twice in 2022 (B3 in March, then B5 in June): the first
# entry rule keeps B3. p2 takes part in 2021 and 2022. Provinces are written in
# short and long forms.
TINY_ROWS: dict[str, list[dict[str, object]]] = {
    "participants": [
        {
            "base_id": "B1",
            "person_id": "p2",
            "year": 2021,
            "entry_date": "2021-02-01",
            "province": "서울특별시",
            "sex": "여성",
            "birth_year": 1975,
            "marital_status": "이혼",
            "household_type": "한부모가구",
            "credit_status": "신용양호",
            "housing_stability": "안정",
            "physical_health": "보통",
            "psychological_health": "허약",
            "mental_illness": "없음",
            "psychological_difficulty": "있음",
            "recipient_type": "조건부수급자",
            "capability_score": 48,
            "participation_months": 11,
        },
        {
            "base_id": "B2",
            "person_id": "p2",
            "year": 2022,
            "entry_date": "2022-01-10",
            "province": "서울",
            "sex": "여성",
            "birth_year": 1975,
            "marital_status": "이혼",
            "household_type": "한부모가구",
            "credit_status": "신용양호",
            "housing_stability": "안정",
            "physical_health": "보통",
            "psychological_health": "보통",
            "mental_illness": "없음",
            "psychological_difficulty": "없음",
            "recipient_type": "조건부수급자",
            "capability_score": 55,
            "participation_months": 23,
        },
        {
            "base_id": "B3",
            "person_id": "p1",
            "year": 2022,
            "entry_date": "2022-03-02",
            "province": "경기",
            "sex": "남성",
            "birth_year": 1968,
            "marital_status": "미혼",
            "household_type": "1인가구",
            "credit_status": "채무불이행",
            "housing_stability": "즉시 이주 필요",
            "physical_health": "허약",
            "psychological_health": "허약",
            "mental_illness": "있음",
            "psychological_difficulty": "있음",
            "recipient_type": "일반수급자",
            "capability_score": None,
            "participation_months": 4,
        },
        {
            "base_id": "B4",
            "person_id": "p3",
            "year": 2022,
            "entry_date": "2022-04-15",
            "province": "전라남도",
            "sex": "남성",
            "birth_year": 1990,
            "marital_status": None,
            "household_type": None,
            "credit_status": None,
            "housing_stability": None,
            "physical_health": None,
            "psychological_health": None,
            "mental_illness": None,
            "psychological_difficulty": None,
            "recipient_type": "차상위자",
            "capability_score": 70,
            "participation_months": 9,
        },
        {
            "base_id": "B5",
            "person_id": "p1",
            "year": 2022,
            "entry_date": "2022-06-20",
            "province": "경기도",
            "sex": "남성",
            "birth_year": 1968,
            "marital_status": "미혼",
            "household_type": "1인가구",
            "credit_status": "채무불이행",
            "housing_stability": "즉시 이주 필요",
            "physical_health": "허약",
            "psychological_health": "허약",
            "mental_illness": "있음",
            "psychological_difficulty": "있음",
            "recipient_type": "일반수급자",
            "capability_score": 30,
            "participation_months": 6,
        },
        {
            "base_id": "B6",
            "person_id": "p4",
            "year": 2022,
            "entry_date": "2022-11-30",
            "province": "제주",
            "sex": "여성",
            "birth_year": 1985,
            "marital_status": "기혼",
            "household_type": "부부가구",
            "credit_status": "개인회생",
            "housing_stability": "1년 이내 이주 필요",
            "physical_health": "양호",
            "psychological_health": "양호",
            "mental_illness": "없음",
            "psychological_difficulty": "없음",
            "recipient_type": "자활급여특례자",
            "capability_score": 81,
            "participation_months": 1,
        },
    ],
    "stages": [
        {
            "person_id": "p2",
            "year": 2021,
            "intake_date": "2021-02-03",
            "assessment_date": "2021-02-20",
            "iap_status": "수립",
            "iap_monitoring": "수행",
            "isp_status": "수립",
            "closure_date": None,
            "post_closure_counselling": None,
        },
        {
            "person_id": "p2",
            "year": 2022,
            "intake_date": "2022-01-12",
            "assessment_date": "2022-02-01",
            "iap_status": "수립",
            "iap_monitoring": "미수행",
            "isp_status": "수립",
            "closure_date": "2022-10-31",
            "post_closure_counselling": "있음",
        },
        {
            "person_id": "p1",
            "year": 2022,
            "intake_date": "2022-03-05",
            "assessment_date": None,
            "iap_status": "미수립",
            "iap_monitoring": "시스템 미입력",
            "isp_status": "시스템 미입력",
            "closure_date": None,
            "post_closure_counselling": None,
        },
        {
            "person_id": "p3",
            "year": 2022,
            "intake_date": "2022-04-20",
            "assessment_date": "2022-05-02",
            "iap_status": "시스템 미입력",
            "iap_monitoring": "시스템 미입력",
            "isp_status": "수립",
            "closure_date": "2022-12-15",
            "post_closure_counselling": "없음",
        },
        {
            "person_id": "p4",
            "year": 2022,
            "intake_date": "2022-12-01",
            "assessment_date": None,
            "iap_status": "미수립",
            "iap_monitoring": "미수행",
            "isp_status": "시스템 미입력",
            "closure_date": None,
            "post_closure_counselling": None,
        },
    ],
    "counselling": [
        {"person_id": "p2", "date": "2021-03-04", "kind": "개별상담"},
        {"person_id": "p2", "date": "2022-02-14", "kind": "전화상담"},
        {"person_id": "p1", "date": "2022-03-10", "kind": "개별상담"},
        {"person_id": "p1", "date": "2022-04-11", "kind": "집단상담"},
        {"person_id": "p3", "date": "2022-05-09", "kind": "개별상담"},
        {"person_id": "p3", "date": "2022-12-20", "kind": "전화상담"},
        {"person_id": "p4", "date": "2022-12-05", "kind": "개별상담"},
    ],
    "outcomes": [
        {"person_id": "p2", "year": 2021, "unit_type": "사회서비스형", "incentive": 350000, "wage": 10200000},
        {"person_id": "p2", "year": 2022, "unit_type": "시장진입형", "incentive": 1200000.5, "wage": 13500000},
        {"person_id": "p3", "year": 2022, "unit_type": "근로유지형", "incentive": 0, "wage": 4100000},
    ],
}


def example_frames() -> dict[str, pd.DataFrame]:
    """The example extract as text tables with Korean headers (as a user's files hold them).

    Returns
    -------
    dict of DataFrame
        One table per contract table (``participants``, ``stages``, ``counselling``, ``outcomes``).
    """
    out = {}
    for alias, rows in TINY_ROWS.items():
        table = TABLES[alias]
        df = pd.DataFrame(rows, columns=[c.alias for c in table.columns]).astype(object)
        df = df.where(df.notna(), None).map(lambda v: None if v is None else str(v))
        out[alias] = df.rename(columns={c.alias: c.name for c in table.columns})
    return out


def example_extract(window: tuple[str, str] = ("2021-01", "2022-12")) -> Extract:
    """The example extract, written to a temporary folder and read back through the contract.

    Parameters
    ----------
    window : (str, str)
        The analysis window (``YYYY-MM``); the example holds 2021 and 2022.

    Returns
    -------
    Extract
        Validated, with the duplicate entry of one person in 2022 dropped.
    """
    with tempfile.TemporaryDirectory() as tmp:
        for alias, df in example_frames().items():
            df.to_csv(Path(tmp) / f"{alias}.csv", index=False)
        return load_extract(tmp, window=window)
