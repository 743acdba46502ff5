"""A hand-made extract as an agency might deliver it, written from the data-contract appendix.

Not made by ``jahwal synth``: a small deterministic writer of its own, so that the
build is tried on data whose shape the generator never saw. The extract covers
2020–2023 and is delivered the way a 자활정보시스템 export often is:

- three tables as CSV in CP949 with Korean file names and headers and Windows
  line endings (``참여자.csv``, ``단계기록.csv``, ``상담기록.csv``);
- the outcomes as a workbook (``성과.xlsx``) with numbers and years as numbers;
- provinces in their short form, 세종 absent;
- some persons enter twice in a year (the first entry counts).

Use :func:`write_handmade_extract` (the folder is created) and
:func:`handmade_params` (a study file for it, ``prepare.synthetic: null``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from jahwal.inputs.contract import CODES, TABLES

YEARS = (2020, 2023)
FOCUS_YEAR = 2023
ABSENT_PROVINCE = "세종"
PROVINCES = [p for p in CODES["province"] if p != ABSENT_PROVINCE]
TITLE = "자활사례관리 성과 분석: 2020–2023년 추출 자료 시험판"
#: daily rates of the fixture study (its own values; the report states only 2022)
RATES_2023 = {"시장진입형": 61000, "사회서비스형": 53400, "근로유지형": 31300}


def _date(year: int, day_of_year: np.ndarray) -> pd.Series:
    start = pd.Timestamp(f"{year}-01-01")
    last = (pd.Timestamp(f"{year}-12-31") - start).days
    return pd.Series(start + pd.to_timedelta(np.minimum(day_of_year, last), unit="D"))


def handmade_frames(persons: int = 900, seed: int = 2024) -> dict[str, pd.DataFrame]:
    """The four tables with Korean headers (typed values; dates as ``YYYY-MM-DD`` text).

    Each year about two thirds of a pool of ``persons`` take part; a person keeps
    sex, birth year and province across years. One person in twenty enters twice
    in a year (a later second entry with a larger Base ID).
    """
    rng = np.random.default_rng(seed)
    pool = pd.DataFrame(
        {
            "가명ID": [f"H{i:05d}" for i in range(1, persons + 1)],
            "성별": rng.choice(CODES["sex"], persons, p=[0.45, 0.55]),
            "출생연도": rng.integers(1955, 2002, persons),
            "시도": rng.choice(PROVINCES, persons),
        }
    )
    part_rows, stage_rows, couns_rows, out_rows = [], [], [], []
    base = 0
    for year in range(YEARS[0], YEARS[1] + 1):
        here = pool[rng.random(persons) < 0.68].reset_index(drop=True)
        n = len(here)
        entry_day = rng.integers(0, 300, n)
        entry = _date(year, entry_day)
        twice = rng.random(n) < 0.05
        capability = rng.integers(20, 96, n).astype(object)
        capability[rng.random(n) < 0.1] = None
        for i, r in here.iterrows():
            rows = [entry.iloc[i]] + (
                [entry.iloc[i] + pd.Timedelta(days=40)] if twice[i] and entry_day[i] < 300 else []
            )
            for k, when in enumerate(rows):
                base += 1
                part_rows.append(
                    {
                        "기본ID": f"B{year}{base:06d}",
                        "가명ID": r["가명ID"],
                        "연도": year,
                        "참여일": when.strftime("%Y-%m-%d"),
                        "시도": r["시도"],
                        "성별": r["성별"],
                        "출생연도": int(r["출생연도"]),
                        "혼인상태": rng.choice(CODES["marital_status"]),
                        "가구유형": rng.choice(CODES["household_type"]),
                        "신용상태": rng.choice(CODES["credit_status"]),
                        "주거안정": rng.choice(CODES["housing_stability"]),
                        "신체건강": rng.choice(CODES["health"]),
                        "심리건강": rng.choice(CODES["health"]),
                        "정신질환": rng.choice(CODES["yes_no"], p=[0.2, 0.8]),
                        "심리적어려움": rng.choice(CODES["yes_no"], p=[0.35, 0.65]),
                        "진입시수급유형": rng.choice(CODES["recipient_type"]),
                        "자활역량점수": capability[i],
                        "누적참여개월": int(rng.integers(1, 120)) + k,
                    }
                )
        intake = entry + pd.to_timedelta(rng.integers(0, 15, n), unit="D")
        intake = intake.where(intake.dt.year == year, pd.Timestamp(f"{year}-12-31"))
        assessed = rng.random(n) < 0.7
        assessment = (intake + pd.to_timedelta(rng.integers(3, 40, n), unit="D")).clip(
            upper=pd.Timestamp(f"{year}-12-31")
        )
        closed = rng.random(n) < 0.3
        closure = (intake + pd.to_timedelta(rng.integers(60, 330, n), unit="D")).clip(
            upper=pd.Timestamp(f"{year}-12-31")
        )
        for i, r in here.iterrows():
            stage_rows.append(
                {
                    "가명ID": r["가명ID"],
                    "연도": year,
                    "초기상담일": intake.iloc[i].strftime("%Y-%m-%d"),
                    "사정일": assessment.iloc[i].strftime("%Y-%m-%d") if assessed[i] else None,
                    "IAP수립": rng.choice(CODES["iap_status"], p=[0.4, 0.2, 0.4]),
                    "IAP수행점검": rng.choice(CODES["iap_monitoring"], p=[0.45, 0.35, 0.2]),
                    "ISP수립": rng.choice(CODES["isp_status"], p=[0.05, 0.95]) if year > YEARS[0] else "시스템 미입력",
                    "종결일": closure.iloc[i].strftime("%Y-%m-%d") if closed[i] else None,
                    "종결후상담": rng.choice(CODES["yes_no"], p=[0.55, 0.45]) if closed[i] else None,
                }
            )
            for _ in range(int(rng.poisson(4))):
                day = intake.iloc[i] + pd.Timedelta(days=int(rng.integers(0, 200)))
                if day.year == year:
                    couns_rows.append(
                        {
                            "가명ID": r["가명ID"],
                            "상담일": day.strftime("%Y-%m-%d"),
                            "상담유형": rng.choice(CODES["counselling_kind"], p=[0.6, 0.15, 0.25]),
                        }
                    )
            if rng.random() < 0.6:
                unit = rng.choice(CODES["unit_type"], p=[0.35, 0.3, 0.2, 0.1, 0.05])
                wage = float(rng.normal(11_000_000, 2_300_000))
                out_rows.append(
                    {
                        "가명ID": r["가명ID"],
                        "연도": year,
                        "사업단유형": unit,
                        "자립성과금": round(max(0.0, rng.normal(800_000, 500_000)), -3),
                        "자활급여": round(max(1_000_000.0, wage), -2),
                    }
                )
    frames = {
        "participants": pd.DataFrame(part_rows),
        "stages": pd.DataFrame(stage_rows),
        "counselling": pd.DataFrame(couns_rows),
        "outcomes": pd.DataFrame(out_rows),
    }
    for alias, df in frames.items():
        assert list(df.columns) == [c.name for c in TABLES[alias].columns], alias
    return frames


def write_handmade_extract(folder: Path, **kwargs) -> Path:
    """Write the extract: three CP949 CSV files with CRLF line ends and ``성과.xlsx``."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = handmade_frames(**kwargs)
    for alias in ("participants", "stages", "counselling"):
        frames[alias].to_csv(folder / f"{TABLES[alias].name}.csv", index=False, encoding="cp949", lineterminator="\r\n")
    frames["outcomes"].to_excel(folder / f"{TABLES['outcomes'].name}.xlsx", index=False, engine="openpyxl")
    return folder


def handmade_params(path: Path, extract: Path, template: Path) -> Path:
    """A study file for the hand-made extract, from ``template`` (the 2023 study's file)."""
    spec = yaml.safe_load(template.read_text(encoding="utf-8"))
    spec["study"] = {
        "id": "handmade-2020-2023",
        "title": TITLE,
        "subtitle": "손으로 쓴 2020–2023년 추출 자료로 다시 만든 책",
        "author": "시험 연구진",
        "copyright": "2025",
        "description": "실제 추출 자료의 모양을 흉내 낸 시험 자료",
    }
    spec["prepare"] = {"synthetic": None}
    p = spec["parameters"]
    p.update(
        extract_dir=str(extract),
        window_start="2020-01",
        window_end="2023-12",
        focus_year=FOCUS_YEAR,
        daily_rates={FOCUS_YEAR: dict(RATES_2023)},
    )
    p.pop("extract_format", None)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
