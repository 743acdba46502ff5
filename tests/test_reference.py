"""Structural integrity of the transcribed figures in ``data/reference``.

The sums asserted here are the report's own printed totals (or the national
figures printed elsewhere in Chapter III) where the report is internally
consistent; the audit module (``jahwal.analysis.audit``) handles the inconsistent ones.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

REF = Path(__file__).resolve().parents[1] / "data" / "reference"

REQUIRED = {
    "tab_III_01_infra_by_year.csv": ["year", "centres_n", "case_managers_n", "note"],
    "tab_III_02_infra_by_province_2023.csv": [
        "province",
        "centres_n",
        "cm_team_centres_n",
        "cm_team_rate_pct",
        "case_managers_n",
        "gateway_staff_n",
        "is_total",
    ],
    "fig_III_01_10_counselling_by_characteristic.csv": ["year", "variable", "category", "mean_counselling", "status"],
    "fig_III_11_12_intake_assessment_by_year.csv": ["year", "intake_n", "assessed_n", "assessed_rate_pct"],
    "tab_III_03_assessment_by_province_2022.csv": [
        "province",
        "intake_n",
        "assessed_n",
        "assessed_rate_pct",
        "is_total",
    ],
    "tab_III_04_iap_by_year.csv": ["year", "status", "n", "pct", "is_total"],
    "tab_III_05_iap_by_province_2022.csv": ["province", "status", "n", "pct", "is_total"],
    "tab_III_06_isp_by_year.csv": ["year", "status", "n", "pct", "is_total"],
    "tab_III_07_counselling_by_year.csv": ["year", "persons_n", "mean", "median", "min", "max", "sd"],
    "tab_III_08_counselling_by_province_2022.csv": [
        "province",
        "persons_n",
        "mean",
        "median",
        "min",
        "max",
        "sd",
        "is_total",
    ],
    "fig_III_14_post_closure_by_year.csv": ["year", "status", "pct", "n"],
    "tab_III_09_20_outcome_tests.csv": [
        "outcome",
        "stage",
        "group",
        "unit_type",
        "n",
        "mean",
        "sd",
        "t",
        "p_printed",
        "stars",
    ],
    "text_claims.csv": ["claim_id", "quantity", "value", "unit", "approx", "context"],
    "daily_rates.csv": ["year", "unit_type", "daily_wage_won"],
}
PROVINCES = sorted("강원 경기 경남 경북 광주 대구 대전 부산 서울 세종 울산 인천 전남 전북 제주 충남 충북".split())


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, encoding="utf-8")


@pytest.fixture(scope="module")
def manifest() -> pd.DataFrame:
    return read("manifest.csv")


def test_manifest_columns(manifest):
    assert list(manifest.columns) == ["figure_id", "file", "title", "unit", "source_lines", "status", "notes"]
    assert set(manifest["status"]) <= {"published", "partly_published", "not_published"}
    assert not manifest.duplicated(["figure_id", "file"]).any()


def test_manifest_files_exist_and_vice_versa(manifest):
    listed = set(manifest["file"].dropna())
    on_disk = {p.name for p in REF.glob("*.csv")} - {"manifest.csv"}
    assert listed == on_disk
    assert listed == set(REQUIRED)


def test_manifest_lists_every_chapter_figure(manifest):
    ids = set(manifest["figure_id"])
    assert {f"표 Ⅲ-{i}" for i in range(1, 21)} <= ids
    assert {f"그림 Ⅲ-{i}" for i in range(1, 15)} <= ids
    # a figure without a file is only allowed when nothing about it is published
    nofile = manifest[manifest["file"].isna()]
    assert (nofile["status"] == "not_published").all()


def test_manifest_source_lines_inside_chapter(manifest):
    for rng in manifest["source_lines"].astype(str):
        lo, _, hi = rng.partition("-")
        assert 2788 <= int(lo) <= int(hi or lo) <= 3700, rng


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_required_columns(name):
    df = read(name)
    missing = {"figure_id", "source_line", *REQUIRED[name]} - set(df.columns)
    assert not missing, f"{name}: missing {missing}"
    assert len(df) > 0


@pytest.mark.parametrize("name", sorted(set(REQUIRED) - {"text_claims.csv"}))
def test_figure_ids_match_manifest(name, manifest):
    df = read(name)
    listed = set(manifest.loc[manifest["file"] == name, "figure_id"])
    assert set(df["figure_id"]) <= listed


def test_text_claims_refer_to_known_figures(manifest):
    claims = read("text_claims.csv")
    assert claims["claim_id"].is_unique
    assert set(claims["figure_id"]) <= set(manifest["figure_id"])
    assert set(claims["approx"]) <= {True, False}


def test_source_lines_inside_chapter():
    for name in REQUIRED:
        for cell in read(name)["source_line"].dropna().astype(str):
            for part in cell.split(";"):
                assert 2788 <= int(float(part)) <= 3700, (name, cell)


def test_province_names_are_short_forms():
    for name in [
        "tab_III_02_infra_by_province_2023.csv",
        "tab_III_03_assessment_by_province_2022.csv",
        "tab_III_05_iap_by_province_2022.csv",
        "tab_III_08_counselling_by_province_2022.csv",
    ]:
        df = read(name)
        provinces = df.loc[~df["is_total"], "province"]
        assert set(provinces) == set(PROVINCES), name
        assert set(df.loc[df["is_total"], "province"]) <= {"계"}


def test_tab_III_01_counts():
    df = read("tab_III_01_infra_by_year.csv")
    assert df["year"].tolist() == list(range(2012, 2023))
    assert (df["centres_n"] == df["case_managers_n"]).all()
    assert df.loc[df["year"] == 2022, "centres_n"].item() == 125


def test_tab_III_02_total_row_equals_province_sums():
    df = read("tab_III_02_infra_by_province_2023.csv")
    body, total = df[~df["is_total"]], df[df["is_total"]].iloc[0]
    for col, expected in [
        ("centres_n", 250),
        ("cm_team_centres_n", 158),
        ("case_managers_n", 125),
        ("gateway_staff_n", 164),
    ]:
        assert body[col].sum() == total[col] == expected, col


def test_tab_III_02_case_managers_equal_tab_III_01_2022():
    t1 = read("tab_III_01_infra_by_year.csv")
    t2 = read("tab_III_02_infra_by_province_2023.csv")
    assert (
        t2.loc[t2["is_total"], "case_managers_n"].item() == t1.loc[t1["year"] == 2022, "case_managers_n"].item() == 125
    )


def test_tab_III_03_sums_equal_fig_III_11_12_2022():
    t3 = read("tab_III_03_assessment_by_province_2022.csv")
    fig = read("fig_III_11_12_intake_assessment_by_year.csv").set_index("year")
    assert t3["intake_n"].sum() == fig.loc[2022, "intake_n"] == 51183
    assert t3["assessed_n"].sum() == fig.loc[2022, "assessed_n"] == 30393


def test_tab_III_04_year_sums_equal_intake():
    t4 = read("tab_III_04_iap_by_year.csv")
    sums = t4.groupby("year")["n"].sum()
    assert sums.to_dict() == {2019: 40278, 2020: 46616, 2021: 51709, 2022: 51183}
    fig = read("fig_III_11_12_intake_assessment_by_year.csv").set_index("year")
    assert sums[2019] == fig.loc[2019, "intake_n"]
    assert sums[2022] == fig.loc[2022, "intake_n"]


def test_tab_III_04_pct_rows_sum_to_100():
    t4 = read("tab_III_04_iap_by_year.csv")
    assert t4.groupby("year")["pct"].sum().between(99.9, 100.1).all()


def test_tab_III_05_province_sums_equal_tab_III_04_2022():
    t5 = read("tab_III_05_iap_by_province_2022.csv")
    t4 = read("tab_III_04_iap_by_year.csv")
    by_status = t5.groupby("status")["n"].sum()
    t4_2022 = t4[t4["year"] == 2022].set_index("status")["n"]
    assert by_status.to_dict() == t4_2022.to_dict() == {"수립": 13416, "미수립": 8727, "시스템 미입력": 29040}


def test_tab_III_05_province_totals_equal_tab_III_03_intake():
    t5 = read("tab_III_05_iap_by_province_2022.csv")
    t3 = read("tab_III_03_assessment_by_province_2022.csv").set_index("province")
    pd.testing.assert_series_equal(
        t5.groupby("province")["n"].sum().sort_index(), t3["intake_n"].sort_index(), check_names=False
    )


def test_tab_III_06_year_sums_equal_tab_III_04():
    t6 = read("tab_III_06_isp_by_year.csv")
    t4 = read("tab_III_04_iap_by_year.csv")
    assert t6.groupby("year")["n"].sum().to_dict() == t4.groupby("year")["n"].sum().to_dict()


def test_tab_III_07_and_III_08_maxima():
    t7 = read("tab_III_07_counselling_by_year.csv").set_index("year")
    t8 = read("tab_III_08_counselling_by_province_2022.csv")
    assert t8["max"].max() == t7.loc[2022, "max"] == 139
    assert t8["min"].min() == t7.loc[2022, "min"] == 1


def test_fig_III_14_shares_sum_to_100():
    fig = read("fig_III_14_post_closure_by_year.csv")
    pub = fig[fig["pub_status"] == "published"]
    assert pub.groupby("year")["pct"].sum().to_dict() == {2022: pytest.approx(100.0)}
    assert fig.loc[fig["pub_status"] == "not_published", "pct"].isna().all()


def test_fig_III_01_10_published_rows_have_values():
    fig = read("fig_III_01_10_counselling_by_characteristic.csv")
    assert set(fig["figure_id"]) == {f"그림 Ⅲ-{i}" for i in range(1, 11)}
    assert fig.loc[fig["status"] == "published", "mean_counselling"].notna().all()
    assert fig.loc[fig["status"] == "not_published", "mean_counselling"].isna().all()


def test_tab_III_09_20_layout():
    df = read("tab_III_09_20_outcome_tests.csv")
    assert set(df["figure_id"]) == {f"표 Ⅲ-{i}" for i in range(9, 21)}
    counts = df.groupby("figure_id").size()
    days = df["outcome"] == "참여일수"
    assert set(df.loc[days, "figure_id"]) == {"표 Ⅲ-14", "표 Ⅲ-16", "표 Ⅲ-18", "표 Ⅲ-20"}
    assert (counts[df.loc[days, "figure_id"].unique()] == 4).all()
    assert (counts[df.loc[~days, "figure_id"].unique()] == 2).all()
    # the t of a comparison is one merged cell: same value on both rows
    assert (df[~days].groupby("figure_id")["t"].nunique() == 1).all()
    assert set(df["stars"].dropna()) <= {"*", "**", "***"}


def test_tab_III_09_20_group_sizes_add_up():
    df = read("tab_III_09_20_outcome_tests.csv")
    tests = df[df["outcome"] != "참여일수"]
    per_table = tests.groupby("figure_id")["n"].sum()
    # 사정 and 개별상담 split the same 20,286 participants
    for fid in ["표 Ⅲ-9", "표 Ⅲ-11", "표 Ⅲ-13", "표 Ⅲ-17"]:
        assert per_table[fid] == 20286, fid
    assert per_table["표 Ⅲ-12"] == per_table["표 Ⅲ-19"] == 8697


def test_daily_rates_2022():
    rates = read("daily_rates.csv").set_index("unit_type")["daily_wage_won"]
    assert rates.to_dict() == {"시장진입형": 58660, "사회서비스형": 51350, "근로유지형": 30120}
