"""Stage metrics (jahwal.analysis.stages) on the tiny hand-made extract of conftest.py, values computed by hand."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from jahwal.analysis import stages
from jahwal.inputs import contract


@pytest.fixture
def tiny(tiny_extract):
    return contract.load_extract(tiny_extract(), window=("2021-01", "2022-12"))


def test_person_years_flags_and_counts(tiny):
    py = stages.person_years(tiny).set_index(["person_id", "year"])
    # p1 entered twice in 2022: one person-year; counselling in 2022: 2 events, 1 individual
    assert len(py) == 5
    assert py.loc[("p1", 2022), "counselling_n"] == 2 and py.loc[("p1", 2022), "individual_n"] == 1
    assert py.loc[("p2", 2022), "counselling_n"] == 1 and py.loc[("p2", 2022), "individual_n"] == 0
    assert bool(py.loc[("p2", 2022), "assessed"]) and not bool(py.loc[("p1", 2022), "assessed"])
    assert bool(py.loc[("p2", 2022), "post_closure"]) is True and py.loc[("p3", 2022), "post_closure"] is False
    assert py["in_outcomes"].dtype == bool
    assert py["in_outcomes"].sum() == 3
    # 2022 − 1968 = 54 → 50-59세; score 81 → 80점 이상
    assert py.loc[("p1", 2022), "age_band"] == "50-59세"
    assert py.loc[("p4", 2022), "capability_band"] == "80점 이상"


def test_person_years_raise_no_future_warning(tiny):
    fresh = dataclasses.replace(tiny)  # a new object: person_years recomputes
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        stages.person_years(fresh)
        stages.funnel(fresh)


def test_intake_and_assessment_by_year(tiny):
    ia = stages.intake_assessment_by_year(tiny).set_index("year")
    assert ia.loc[2021].tolist() == [1, 1, 100.0]
    # 2022: p1, p2, p3, p4; assessed p2 and p3
    assert ia.loc[2022].tolist() == [4, 2, 50.0]


def test_intake_and_assessment_by_province_with_total(tiny):
    t = stages.intake_assessment_by_province(tiny, 2022)
    assert t["province"].tolist()[-1] == "계"
    assert t.set_index("province").loc["계", "intake_n"] == 4
    assert t.set_index("province").loc["서울", "province_name"] == "서울특별시"
    # provinces in the order of their official names: 경기도, 서울특별시, 전라남도, 제주특별자치도
    assert t["province"].tolist()[:-1] == ["경기", "서울", "전남", "제주"]
    with pytest.raises(ValueError, match="no data for 2019"):
        stages.intake_assessment_by_province(tiny, 2019)


def test_status_by_year_shares_of_intake(tiny):
    s = stages.status_by_year(tiny, "iap_status")
    y22 = s[s["year"] == 2022].set_index("status")
    assert y22["n"].to_dict() == {"수립": 1, "미수립": 2, "시스템 미입력": 1}
    assert y22["pct"].sum() == pytest.approx(100)
    assert y22.loc["미수립", "pct"] == 50
    with pytest.raises(ValueError):
        stages.status_by_year(tiny, "nonexistent")


def test_iap_by_province_rates(tiny):
    t = stages.iap_by_province(tiny, 2022).set_index("province")
    assert t.loc["계", ["iap_established", "iap_not_established", "iap_missing"]].tolist() == [1, 2, 1]
    assert t.loc["경기", "iap_not_rate"] == 100
    assert t.loc["계", "iap_rate"] == 25


def test_counselling_by_year_hand_computed(tiny):
    c = stages.counselling_by_year(tiny).set_index("year")
    # 2022 counts per counselled person: p2 1, p1 2, p3 2, p4 1
    row = c.loc[2022]
    assert row["persons_n"] == 4
    assert (row["mean"], row["median"], row["min"], row["max"]) == (1.5, 1.5, 1.0, 2.0)
    assert row["sd"] == pytest.approx(np.std([1, 2, 2, 1], ddof=1))


def test_counselling_by_province_has_total(tiny):
    c = stages.counselling_by_province(tiny, 2022).set_index("province")
    assert c.loc["계", "persons_n"] == 4
    assert c.loc["경기", "mean"] == 2.0


def test_counselling_by_characteristic_interval_matches_scipy(tiny):
    c = stages.counselling_by_characteristic(tiny, 2022)
    sex = c[c["variable"] == "성별"].set_index("category")
    # 남성: p1 (2), p3 (2); 여성: p2 (1), p4 (1)
    assert sex.loc["남성", "n"] == 2 and sex.loc["남성", "mean"] == 2.0 and sex.loc["여성", "mean"] == 1.0
    # 30-39세: p3 (born 1990, 2 sessions) and p4 (born 1985, 1 session)
    age = c[c["variable"] == "연령대"].set_index("category").loc["30-39세"]
    x = np.array([2.0, 1.0])
    lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert (age["n"], age["mean"]) == (2, 1.5)
    assert age["ci_low"] == pytest.approx(lo) and age["ci_high"] == pytest.approx(hi)
    assert age["ci_low"] == pytest.approx(1.5 - 12.706205 * 0.5, abs=1e-5)
    # a single person has no interval
    one = c[c["n"] == 1]
    assert len(one) and one["ci_low"].isna().all()


def test_post_closure_by_year(tiny):
    p = stages.post_closure_by_year(tiny).set_index("year")
    assert p.loc[2022, ["closed_n", "post_n"]].tolist() == [2, 1]
    assert p.loc[2022, "post_rate"] == 50 and p.loc[2022, "no_post_rate"] == 50


def test_funnel(tiny):
    f = stages.funnel(tiny)
    y22 = f[f["year"] == 2022].set_index("stage")["n"].to_dict()
    assert y22 == {"초기상담": 4, "사정": 2, "IAP 수립": 1, "상담 1회 이상": 4, "종결": 2, "종결 후 상담": 1}


def test_outcome_data_groups(tiny):
    d = stages.outcome_data(tiny, 2022).set_index("person_id")
    assert sorted(d.index) == ["p2", "p3"]
    assert d.loc["p2", "group_assessment"] == "수행"
    assert d.loc["p2", "group_iap"] == "수행" and d.loc["p3", "group_iap"] is None
    # p2's only 2022 counselling is by phone: no individual counselling
    assert d.loc["p2", "group_counselling"] == "미수행" and d.loc["p3", "group_counselling"] == "수행"
    assert d.loc["p2", "group_post_closure"] == "수행" and d.loc["p3", "group_post_closure"] == "미수행"
    assert d.loc["p2", "group_iap_monitoring"] == "미수행"


def test_describe_counts_and_labels():
    d = stages.describe_counts(pd.Series([1, 2, 3, 10]))
    assert d == {
        "persons_n": 4,
        "mean": 4.0,
        "median": 2.5,
        "min": 1.0,
        "max": 10.0,
        "sd": pytest.approx(np.std([1, 2, 3, 10], ddof=1)),
    }
    assert np.isnan(stages.describe_counts(pd.Series([5]))["sd"])
    assert list(stages.to_korean(pd.DataFrame(columns=["year", "n", "other"])).columns) == ["연도", "인원", "other"]
