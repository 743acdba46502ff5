"""Shared fixtures: tiny hand-made extracts written in any format and encoding."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

from jahwal.inputs.contract import TABLES

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


def tiny_frames(headers: str = "ko") -> dict[str, pd.DataFrame]:
    """The tiny extract as text tables, headed by Korean names (``ko``) or English aliases (``en``)."""
    out = {}
    for alias, rows in TINY_ROWS.items():
        table = TABLES[alias]
        df = pd.DataFrame(rows, columns=[c.alias for c in table.columns]).astype(object)
        df = df.where(df.notna(), None).map(lambda v: None if v is None else str(v))
        if headers == "ko":
            df = df.rename(columns={c.alias: c.name for c in table.columns})
        out[alias] = df
    return out


def _typed(df: pd.DataFrame, alias: str) -> pd.DataFrame:
    """Give text columns the types a spreadsheet or Parquet writer would store."""
    out = df.copy()
    for c in TABLES[alias].columns:
        col = c.name if c.name in out.columns else c.alias
        if col not in out.columns:
            continue
        if c.dtype in ("int", "float"):
            out[col] = pd.to_numeric(out[col]).astype(float)  # 2022.0, 1.0: as a real workbook may hold them
        elif c.dtype == "date":
            out[col] = pd.to_datetime(out[col])
    return out


def write_extract(
    folder: Path,
    frames: dict[str, pd.DataFrame],
    fmt: str = "csv",
    encoding: str = "utf-8",
    stems: str = "en",
    native: bool = True,
) -> Path:
    """Write text tables as an extract folder (one file per table)."""
    folder.mkdir(parents=True, exist_ok=True)
    for alias, df in frames.items():
        stem = alias if stems == "en" else TABLES[alias].name
        if fmt == "csv":
            df.to_csv(folder / f"{stem}.csv", index=False, encoding=encoding)
        elif fmt == "xlsx":
            (_typed(df, alias) if native else df).to_excel(folder / f"{stem}.xlsx", index=False, engine="openpyxl")
        elif fmt == "parquet":
            (_typed(df, alias) if native else df).to_parquet(folder / f"{stem}.parquet", index=False)
        else:  # pragma: no cover
            raise ValueError(fmt)
    return folder


@pytest.fixture
def tiny_extract(tmp_path: Path) -> Callable[..., Path]:
    """Factory writing the tiny extract; returns the folder.

    ``tiny_extract(fmt="csv", encoding="utf-8", headers="ko", stems="en", edit=None, name="extract")``;
    ``edit`` is a function ``edit(frames)`` changing the text tables in place before writing.
    """
    counter = iter(range(1000))

    def make(
        fmt: str = "csv",
        encoding: str = "utf-8",
        headers: str = "ko",
        stems: str = "en",
        edit: Callable[[dict[str, pd.DataFrame]], None] | None = None,
        native: bool = True,
        name: str | None = None,
    ) -> Path:
        frames = tiny_frames(headers)
        if edit is not None:
            edit(frames)
        folder = tmp_path / (name or f"extract{next(counter)}")
        return write_extract(folder, frames, fmt=fmt, encoding=encoding, stems=stems, native=native)

    return make
