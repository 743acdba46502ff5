"""Chapter Ⅲ (jahwal.chapters, jahwal.inputs.infrastructure): published tables reproduced, suppression, the example study.

The reference comparisons run on the default synthetic extract (scale 1, 2019–2022), generated once
per session into a temporary folder; tolerances are those of :mod:`jahwal.analysis.calibration`. The last test
runs the five Chapter Ⅲ notebooks with papermill on the second study (params/example-2020-2023.yml).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from jahwal import vocab
from jahwal.analysis import infrastructure as infra_analysis
from jahwal.analysis import outcomes, stages
from jahwal.analysis.calibration import TOL
from jahwal.chapters import ch3_characteristics, ch3_infrastructure, ch3_outcomes, ch3_stages
from jahwal.chapters import common as chapter_common
from jahwal.display import disclosure
from jahwal.display.disclosure import SUPPRESSED
from jahwal.display.nb import TABLE_MIME
from jahwal.inputs import contract, synth
from jahwal.inputs import infrastructure as infra_inputs
from jahwal.publish import gate
from jahwal.study.params import load_params

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "data" / "reference"
NOTEBOOKS = [
    "31_infrastructure",
    "32_counselling_by_characteristic",
    "33_stage_outcomes",
    "34_outcome_tests",
    "35_supplementary",
]


def ref(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name)


def within(kind: str, ours: float, published: float) -> bool:
    mode, tol = TOL[kind]
    if mode == "exact":
        return ours == published
    if mode == "rel":
        return abs(ours - published) <= tol * abs(published) + 1e-9
    return abs(ours - published) <= tol + 1e-9


@pytest.fixture(scope="session")
def ex(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "report-2023"
    synth.write_extract(out, scale=1, seed=20230101, years=(2019, 2022), reference_dir=REF)
    return contract.load_extract(out, window=("2019-01", "2022-12"))


@pytest.fixture(scope="session")
def tests22(ex):
    return outcomes.outcome_tests(ex, 2022, threshold=10)


# ---------------------------------------------------------------- suppression
def test_protect_primary_secondary_and_total_row():
    df = pd.DataFrame(
        {"시도": ["가", "나", "다", "라", "계"], "인원": [5, 40, 30, 0, 75], "비율": [1.5, 2.5, 3.5, 0.0, 7.5]}
    )
    out = disclosure.protect(df, ["인원"], 10, label_column="시도", related={"인원": ["비율"]})
    # 5 is hidden; 30, the next smallest non-zero cell, too; 0 and the total stay
    assert out["인원"].tolist() == [SUPPRESSED, 40, SUPPRESSED, 0, 75]
    assert out["비율"].tolist() == [SUPPRESSED, 2.5, SUPPRESSED, 0.0, 7.5]


def test_protect_keeps_the_total_row_and_adds_a_secondary_cell():
    df = pd.DataFrame({"시도": ["가", "나", "다", "계"], "인원": [5, 40, 30, 75]})
    out = disclosure.protect(df, ["인원"], 10, label_column="시도")
    assert out["인원"].tolist() == ["x", 40, "x", 75]  # 가 (5) primary, 다 (30) secondary, 계 shown


def test_protect_without_column_totals_hides_only_small_counts():
    df = pd.DataFrame({"연도": ["2019", "2020"], "참여자": [5, 40], "건수": [3, 7]})
    out = disclosure.protect(df, ["참여자"], 10, column_totals=False)
    assert out["참여자"].tolist() == ["x", 40]
    assert out["건수"].tolist() == [3, 7] and out["건수"].dtype.kind == "i"  # not a count column: untouched


def test_protect_rows_and_complements():
    # the three IAP statuses add up to the published intake: a lone hidden cell gets a partner
    iap = pd.DataFrame({"연도": ["2019", "2020"], "수립": [12405, 21310], "미수립": [3, 6], "미입력": [27870, 25300]})
    out = disclosure.protect(
        iap, ["수립", "미수립", "미입력"], 10, row_groups=[["수립", "미수립", "미입력"]], column_totals=False
    )
    assert out["미수립"].tolist() == [SUPPRESSED, SUPPRESSED]
    assert out["수립"].tolist() == [SUPPRESSED, SUPPRESSED]
    assert out["미입력"].tolist() == [27870, 25300]
    # 40 assessed of 45: the 5 not assessed would show by subtraction
    d = pd.DataFrame(
        {"시도": ["가", "나", "계"], "초기": [45, 100, 145], "사정": [40, 50, 90], "비율": [88.9, 50.0, 62.1]}
    )
    out = disclosure.protect(
        d,
        ["초기", "사정"],
        10,
        label_column="시도",
        related={"사정": ["비율"]},
        complements={"미사정": ("초기", "사정")},
    )
    assert out["사정"].tolist() == [SUPPRESSED, SUPPRESSED, 90]
    assert out["초기"].tolist() == [45, 100, 145]
    assert out["비율"].tolist()[:2] == [SUPPRESSED, SUPPRESSED]


def test_protect_rejects_bad_arguments():
    df = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match="no column"):
        disclosure.protect(df, ["b"], 10)
    with pytest.raises(ValueError, match="threshold"):
        disclosure.protect(df, ["a"], 0)
    with pytest.raises(ValueError, match="complement"):
        disclosure.protect(df, ["a"], 10, complements={"c": ("a", "z")})


def test_labels_and_titles():
    assert chapter_common.label_key("그림 Ⅲ-S11") == "fig-III-S11"
    assert ch3_outcomes.comparison_title("표 Ⅲ-20") == "종결 후 상담 여부별 환산 참여일수"
    with pytest.raises(ValueError):
        ch3_outcomes.comparison_title("표 Ⅲ-99")
    # every report table of section 4 has a display function
    assert [t for t, *_ in vocab.COMPARISONS] == [
        "표 Ⅲ-9",
        "표 Ⅲ-10",
        "표 Ⅲ-11",
        "표 Ⅲ-12",
        "표 Ⅲ-13",
        "표 Ⅲ-15",
        "표 Ⅲ-17",
        "표 Ⅲ-19",
    ]
    assert [d for *_, d in vocab.COMPARISONS if d] == ["표 Ⅲ-14", "표 Ⅲ-16", "표 Ⅲ-18", "표 Ⅲ-20"]


def test_days_table_hand_computed():
    tests = pd.DataFrame(
        [
            {
                "table_id": "표 Ⅲ-13",
                "outcome": "wage",
                "indicator": "assessment",
                "days_table": "표 Ⅲ-14",
                "label1": "작성",
                "label2": "미작성",
                "n1": 20,
                "n2": 30,
                "mean1": 11_732_000.0,
                "mean2": 11_145_400.0,
                "diff": 586_600.0,
                "suppressed": False,
            }
        ]
    )
    t = ch3_outcomes.days_table(tests, "표 Ⅲ-14", {"시장진입형": 58660, "근로유지형": 30120})
    assert t["시장진입형 기준(일)"].tolist() == [200.0, 190.0, 10.0]
    assert t["근로유지형 기준(일)"].tolist()[2] == pytest.approx(19.5)
    assert t["인원"].tolist()[:2] == [20, 30] and np.isnan(t["인원"].iloc[2])
    hidden = ch3_outcomes.days_table(tests.assign(suppressed=True), "표 Ⅲ-14", {"시장진입형": 58660})
    assert (hidden["연평균 자활급여(원)"] == SUPPRESSED).all()
    with pytest.raises(ValueError, match="daily_rates"):
        ch3_outcomes.days_table(tests, "표 Ⅲ-14", {})


# ---------------------------------------------------------------- infrastructure (표 Ⅲ-1, Ⅲ-2)
def test_tab_III_1_from_the_infrastructure_input():
    t = ch3_infrastructure.infra_by_year(
        infra_inputs.read_infrastructure(ROOT / "data/infrastructure/infrastructure.csv")
    )
    r = ref("tab_III_01_infra_by_year.csv")
    assert t["연도"].tolist() == [str(y) for y in r["year"]]
    assert t["시행기관(개소)"].tolist() == r["centres_n"].tolist()
    assert t["사례관리자(명)"].tolist() == r["case_managers_n"].tolist()


def test_tab_III_2_from_the_infrastructure_input():
    t = infra_analysis.infra_by_province(
        infra_inputs.read_infrastructure_by_province(ROOT / "data/infrastructure/infrastructure_by_province.csv")
    )
    r = ref("tab_III_02_infra_by_province_2023.csv")
    merged = t.merge(r, on="province", suffixes=("", "_ref"))
    assert len(merged) == 18  # 17 provinces and the total
    for col in ["centres_n", "cm_team_centres_n", "case_managers_n", "gateway_staff_n"]:
        assert (merged[col] == merged[f"{col}_ref"]).all(), f"표 Ⅲ-2 {col}"
    assert np.allclose(merged["cm_team_rate"].round(1), merged["cm_team_rate_pct"]), "표 Ⅲ-2 설치 비율"


@pytest.mark.parametrize(
    "text, column, rows",
    [
        ("연도,시행기관수,사례관리자수\n2021,90,90\n2021,90,90\n", "연도", [2, 3]),
        ("연도,시행기관수,사례관리자수\n2021,90,-1\n", "사례관리자수", [2]),
        ("연도,시행기관수\n2021,90\n", "사례관리자수(case_managers_n)", []),
    ],
)
def test_infrastructure_errors_name_file_column_and_rows(tmp_path, text, column, rows):
    p = tmp_path / "infra.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(infra_inputs.InfrastructureError) as e:
        infra_inputs.read_infrastructure(p)
    problem = e.value.problems[0]
    assert problem.column == column and problem.rows == rows and str(p) in str(e.value)


def test_province_infrastructure_errors(tmp_path):
    p = tmp_path / "prov.csv"
    p.write_bytes(
        "기준연도,시도,지역자활센터수,사례관리팀수,사례관리자수,Gateway전담자수\n"
        "2023,서울,30,31,28,27\n2023,한양,5,5,5,5\n2023,서울특별시,1,1,1,1\n".encode("cp949")
    )
    with pytest.raises(infra_inputs.InfrastructureError) as e:
        infra_inputs.read_infrastructure_by_province(p)
    found = {(q.column, tuple(q.rows)) for q in e.value.problems}
    assert ("시도", (3,)) in found  # unknown province
    assert ("기준연도, 시도", (2, 4)) in found  # 서울 twice (short and full name)
    assert ("사례관리팀수", (2,)) in found  # more teams than centres


def test_infrastructure_check_command():
    assert (
        infra_inputs.main(
            [
                str(ROOT / "data/infrastructure/infrastructure.csv"),
                str(ROOT / "data/infrastructure/infrastructure_by_province.csv"),
            ]
        )
        == 0
    )


# ---------------------------------------------------------------- 그림 Ⅲ-1 to Ⅲ-14, 표 Ⅲ-3 to Ⅲ-8
def test_fig_III_1_to_10_subgroup_means(ex):
    fig = ref("fig_III_01_10_counselling_by_characteristic.csv").dropna(subset=["mean_counselling"])
    for fid, g in fig.groupby("figure_id"):
        t = ch3_characteristics.characteristic_table(ex, 2022, fid, 10).set_index(["특성", "범주"])
        for r in g.itertuples():
            cat = synth.FIGURE_VARIABLES[r.variable][1].get(r.category, r.category)
            label = {lab.replace(" ", ""): lab for lab, *_ in stages.CHARACTERISTICS}[
                r.variable
            ]  # the report runs words together
            ours = t.loc[(label, cat)]
            assert within("subgroup", ours["평균(회)"], r.mean_counselling), f"{fid} {r.variable} {r.category}"
            assert ours["95% 신뢰구간 하한"] < ours["평균(회)"] < ours["95% 신뢰구간 상한"]


def test_fig_III_11_12_and_tab_III_3(ex):
    t = ch3_stages.intake_assessment_table(ex, 10).set_index("연도")
    for r in ref("fig_III_11_12_intake_assessment_by_year.csv").dropna(subset=["assessed_n"]).itertuples():
        assert t.loc[str(r.year), "사정단계 참여자 수"] == r.assessed_n, f"그림 Ⅲ-12 {r.year}"
        assert t.loc[str(r.year), "초기상담 참여자 수"] == r.intake_n, f"그림 Ⅲ-11 {r.year}"
    assert t.loc["2022", "사정단계 참여비율(%)"] == pytest.approx(59.38, abs=0.005)
    t3 = ch3_stages.assessment_by_province_table(ex, 2022, 10).set_index("시도")
    r3 = ref("tab_III_03_assessment_by_province_2022.csv")
    for r in r3.itertuples():
        row = t3.loc[r.province_printed]
        assert (row["초기상담 참여자 수"], row["사정단계 참여자 수"]) == (r.intake_n, r.assessed_n), (
            f"표 Ⅲ-3 {r.province}"
        )
        assert row["사정단계 참여비율(%)"] == pytest.approx(r.assessed_rate_pct, abs=0.005), f"표 Ⅲ-3 {r.province}"
    assert t3.loc["계", "초기상담 참여자 수"] == r3["intake_n"].sum()
    # the standard administrative order (서울, 부산, …, 제주) with official names, total last
    order = sorted(zip(r3["province"], r3["province_printed"]), key=lambda p: contract.province_order(p[0]))
    assert list(t3.index) == [printed for _, printed in order] + ["계"]
    assert list(t3.index)[:2] == ["서울특별시", "부산광역시"]


def test_tab_III_4_and_III_6_with_small_cells_hidden(ex):
    t4 = ch3_stages.plan_status_table(ex, "iap_status", 10).set_index("연도")
    r4 = ref("tab_III_04_iap_by_year.csv")
    for r in r4.itertuples():
        cell = t4.loc[str(r.year), f"{r.status}(명)"]
        if r.n < 10:
            assert cell == SUPPRESSED, f"표 Ⅲ-4 {r.year} {r.status}: {r.n}명은 가려야 함"
        elif cell != SUPPRESSED:
            assert cell == r.n, f"표 Ⅲ-4 {r.year} {r.status}"
            assert t4.loc[str(r.year), f"{r.status}(%)"] == pytest.approx(r.pct, abs=0.011)
    # 2019 and 2020: 미수립 3 and 6 are hidden, and with them the next smallest status of the row
    assert (t4.loc[["2019", "2020"], "수립(명)"] == SUPPRESSED).all()
    assert t4.loc["2022", "계(명)"] == 51183
    t6 = ch3_stages.plan_status_table(ex, "isp_status", 10).set_index("연도")
    for r in ref("tab_III_06_isp_by_year.csv").itertuples():
        status = "수립" if r.status == "수립" else "시스템 미입력"
        cell = t6.loc[str(r.year), f"{status}(명)"]
        assert cell == (SUPPRESSED if r.year == 2019 else r.n), f"표 Ⅲ-6 {r.year} {r.status}"


def test_tab_III_5(ex):
    t5 = ch3_stages.iap_by_province_table(ex, 2022, 10).set_index("시도")
    cols = {
        "수립": ("IAP 수립", "수립률(%)"),
        "미수립": ("IAP 미수립", "미수립률(%)"),
        "시스템 미입력": ("시스템 미입력", "미입력률(%)"),
    }
    for r in ref("tab_III_05_iap_by_province_2022.csv").itertuples():
        n_col, pct_col = cols[r.status]
        assert t5.loc[r.province_printed, n_col] == r.n, f"표 Ⅲ-5 {r.province} {r.status}"
        assert t5.loc[r.province_printed, pct_col] == pytest.approx(r.pct, abs=0.051), f"표 Ⅲ-5 {r.province} {r.status}"


def test_tab_III_7_and_III_8(ex):
    t7 = ch3_stages.counselling_by_year_table(ex, 10).set_index("연도")
    for r in ref("tab_III_07_counselling_by_year.csv").itertuples():
        row = t7.loc[str(r.year)]
        assert within("mean", row["평균값"], r.mean) and within("sd", row["표준편차"], r.sd), f"표 Ⅲ-7 {r.year}"
        assert (row["중위값"], row["최소값"], row["최대값"]) == (r.median, r.min, r.max), f"표 Ⅲ-7 {r.year}"
    t8 = ch3_stages.counselling_by_province_table(ex, 2022, 10).set_index("시도")
    for r in ref("tab_III_08_counselling_by_province_2022.csv").itertuples():
        row = t8.loc[r.province_printed]
        assert within("mean", row["평균값"], r.mean) and within("sd", row["표준편차"], r.sd), f"표 Ⅲ-8 {r.province}"
        assert (row["중위값"], row["최대값"]) == (r.median, r.max), f"표 Ⅲ-8 {r.province}"
    assert t8.loc["계", "최대값"] == 139


def test_fig_III_14_post_closure_rate(ex):
    t = ch3_stages.post_closure_table(ex, 10).set_index("연도")
    for r in ref("fig_III_14_post_closure_by_year.csv").dropna(subset=["pct"]).itertuples():
        col = "있음 비율(%)" if r.status == "있음" else "없음 비율(%)"
        assert within("rate_pp", t.loc[str(r.year), col], r.pct), f"그림 Ⅲ-14 {r.year} {r.status}"


def test_stage_summary_names_published_provinces(ex):
    s = ch3_stages.stage_summary(ex, 2022, 10)
    assert (s["prov1_name"], s["prov2_name"], s["prov3_name"]) == (
        "제주특별자치도",
        "대구광역시",
        "울산광역시",
    )  # 표 Ⅲ-3 ranks
    assert s["iap_top_name"] == "울산광역시"  # 표 Ⅲ-5 (57.8%)
    assert s["counsel_top_name"] == "제주특별자치도"  # 표 Ⅲ-8 (9.81)
    assert s["intake_first"] == 40278 and s["intake_last"] == 51183


def _stage_tables(ex):
    """Every Chapter Ⅲ stage table as the stage page publishes it, with its ledger spec."""
    out = {
        "tab-fig-III-11": (ch3_stages.intake_assessment_table(ex, 10, 2022), None),
        "tab-III-3": (ch3_stages.assessment_by_province_table(ex, 2022, 10), 2022),
        "tab-III-4": (ch3_stages.plan_status_table(ex, "iap_status", 10, 2022), None),
        "tab-III-5": (ch3_stages.iap_by_province_table(ex, 2022, 10), 2022),
        "tab-III-6": (ch3_stages.plan_status_table(ex, "isp_status", 10, 2022), None),
        "tab-III-7": (ch3_stages.counselling_by_year_table(ex, 10, 2022), None),
        "tab-III-8": (ch3_stages.counselling_by_province_table(ex, 2022, 10), 2022),
        "tab-fig-III-14": (ch3_stages.post_closure_table(ex, 10, 2022), None),
        "tab-III-S1": (ch3_stages.funnel_table(ex, 10, 2022), None),
    }
    return {k: (df, ch3_stages.ledger_spec(k, df, y)) for k, (df, y) in out.items()}


def test_linked_stage_tables_are_protected_jointly(ex):
    """The issue's example after the fix: 2019 IAP 미수립 (3, 표 Ⅲ-4) cannot be worked out from any table."""
    from jahwal.display import book_cells
    from jahwal.display.attack import check
    from jahwal.display.ledger import Ledger
    from jahwal.display.nb import Count, Table

    tables = _stage_tables(ex)
    s1 = tables["tab-III-S1"][0].set_index("연도")
    t4 = tables["tab-III-4"][0].set_index("연도")
    assert t4.loc["2019", "미수립(명)"] == SUPPRESSED and t4.loc["2019", "시스템 미입력(명)"] == 27870  # 표 Ⅲ-4
    # 표 Ⅲ-S1 printed the 2019 수립 count before; now it hides it with 표 Ⅲ-4
    assert s1.loc["2019", "IAP 수립"] == SUPPRESSED and s1.loc["2020", "IAP 수립"] == SUPPRESSED
    assert s1.loc["2019", "초기상담"] == 40278  # 그림 Ⅲ-12's intake stays published
    summary = ch3_stages.stage_summary(ex, 2022, 10)
    payloads = [Table(df, key, ledger=spec).payload() for key, (df, spec) in tables.items()]
    payloads += [
        Count(f"ch33_{k}", summary[k], population=book_cells.POPULATION, by=by).payload()
        for k, by in ch3_stages.stage_count_cells(summary).items()
    ]
    led = Ledger.from_payloads(payloads)
    res = check(led, 10)
    assert res.ok, res.messages()
    assert led.conflicts == []
    iap_not = {
        iv.key.get("연도"): iv for iv in res.intervals if iv.key.get("IAP") == "미수립" and iv.key.get("시도") is None
    }
    assert iap_not["2019"].low == 0 and iap_not["2019"].high == 3 + 12405  # 미수립 + 수립 of 표 Ⅲ-4, 2019
    # the plan behind the tables: three primary cells (표 Ⅲ-4 2019/2020 미수립, 표 Ⅲ-6 2019 수립) and their complements
    plan = book_cells.book_plan(ex, 2022, 10)
    assert sorted((k.get("연도"), k.get("IAP") or k.get("ISP")) for k in plan.primary) == [
        ("2019", "미수립"),
        ("2019", "수립"),
        ("2020", "미수립"),
    ]


def test_calibration_appendix_withholds_what_the_chapters_hide(ex):
    from jahwal.analysis import calibration
    from jahwal.display import book_cells

    r = calibration.calibration_report(ex, REF, hidden=book_cells.hidden_predicate(ex, 2022, 10))
    d = r["detail"]
    hidden = d[d["계산 값"].astype(str) == SUPPRESSED]
    assert set(hidden["항목"]) >= {"2019년 IAP 미수립", "2019년 IAP 수립", "2020년 IAP 미수립", "2019년 ISP 수립"}
    assert (hidden[["차이", "통과"]].astype(str) == SUPPRESSED).all().all()
    assert r["n_hidden"] == len(hidden) and r["n_checks"] + r["n_hidden"] == len(d)
    # no extract value of 1 … 9 persons is left in the comparisons of person counts
    count_figures = ["그림 Ⅲ-11", "그림 Ⅲ-12", "표 Ⅲ-3", "표 Ⅲ-4", "표 Ⅲ-5", "표 Ⅲ-6"]
    counts = d[d["표·그림"].isin(count_figures) & (d["계산 값"].astype(str) != SUPPRESSED)]
    assert len(counts) > 50
    assert not pd.to_numeric(counts["계산 값"]).between(1, 9).any()


# ---------------------------------------------------------------- 표 Ⅲ-9 to Ⅲ-20
def test_tab_III_9_to_20_groups_and_t(tests22):
    pub = ref("tab_III_09_20_outcome_tests.csv")
    for tid, *_ in vocab.COMPARISONS:
        t = ch3_outcomes.outcome_table(tests22, tid)
        g = pub[pub["figure_id"] == tid]
        mean_col = [c for c in t.columns if c.startswith("연평균")][0]
        for i, performed in ((0, True), (1, False)):
            r = g[g["performed"] == performed].iloc[0]
            assert t["인원"].iloc[i] == r.n, f"{tid} {r.group} n"
            assert within("group_mean", t[mean_col].iloc[i], r["mean"]), f"{tid} {r.group} 평균"
            assert within("group_sd", t["표준편차(원)"].iloc[i], r.sd), f"{tid} {r.group} 표준편차"
        row = tests22.set_index("table_id").loc[tid]
        printed = abs(g["t"].iloc[0])
        closest = min(abs(row["t_student"]), abs(row["t_welch"]), key=lambda v: abs(v - printed))
        assert abs(closest - printed) <= TOL["t"][1], f"{tid} t"
        assert t["검정"].iloc[0] in ("Welch", "Student")
        assert (row["p"] < 0.05) == bool(isinstance(g["stars"].iloc[0], str)), f"{tid} 유의성"


def test_tab_III_14_16_18_20_participation_days(tests22):
    pub = ref("tab_III_09_20_outcome_tests.csv")
    rates = ref("daily_rates.csv").set_index("unit_type")["daily_wage_won"].to_dict()
    for wage_table, days_table in [(t, d) for t, *_, d in vocab.COMPARISONS if d]:
        t = ch3_outcomes.days_table(tests22, days_table, rates)
        for i, performed in ((0, True), (1, False)):
            wage = pub[(pub["figure_id"] == wage_table) & (pub["performed"] == performed)]["mean"].iloc[0]
            for unit, rate in rates.items():
                assert within("days", t[f"{unit} 기준(일)"].iloc[i], round(wage / rate, 1)), f"{days_table} {unit}"
    # 표 Ⅲ-14 prints 188.5 and 215.3 days for the assessed group
    t14 = ch3_outcomes.days_table(tests22, "표 Ⅲ-14", rates)
    assert t14["시장진입형 기준(일)"].iloc[0] == pytest.approx(188.5, abs=0.1)
    assert t14["사회서비스형 기준(일)"].iloc[0] == pytest.approx(215.3, abs=0.1)


def test_tab_III_15_uses_the_iap_monitoring_groups(tests22):
    row = tests22.set_index("table_id").loc["표 Ⅲ-15"]
    assert row["indicator"] == "iap_monitoring" and (row["n1"], row["n2"]) == (8218, 1598)
    assert tests22.set_index("table_id").loc["표 Ⅲ-10", "n1"] == 9981


def test_detail_and_effect_tables(tests22):
    v = ch3_outcomes.variant_table(tests22)
    e = ch3_outcomes.effects_table(tests22)
    assert len(v) == len(e) == 8
    assert set(v["보고"]) <= {"Welch", "Student"} and v["선택 이유"].str.contains("Levene").all()
    assert (e["차이 하한"] <= e["평균 차이(원)"]).all() and (e["평균 차이(원)"] <= e["차이 상한"]).all()
    values, digits = ch3_outcomes.outcome_values(tests22)
    assert values["tab-III-19_n1"] == 229 and digits["tab-III-19_g"] == 3
    o = ch3_outcomes.outcome_overview(tests22)
    assert o["n_tests"] == 8 and o["max_g_table"] == "표 Ⅲ-19"


def test_figures_render_with_korean_labels(ex, tests22):
    from jahwal.display.figures import set_theme

    set_theme()
    fig = ch3_characteristics.characteristic_figure(ex, 2022, "그림 Ⅲ-6", 10)
    assert [a.get_title() for a in fig.axes] == ["신체건강", "심리건강"]
    assert ch3_stages.assessment_figure(ex).axes[0].get_ylabel() == "사정단계 참여자 수(명)"
    est = ch3_outcomes.estimation_figure(tests22, "표 Ⅲ-19")
    assert "Hedges' g" in est.axes[1].get_title()
    hidden = ch3_outcomes.estimation_figure(tests22.assign(suppressed=True), "표 Ⅲ-19")
    assert "공개 기준" in hidden.axes[0].texts[0].get_text()


# ---------------------------------------------------------------- the second study
@pytest.mark.slow
def test_example_study_runs_the_chapter_III_notebooks(tmp_path):
    import papermill as pm

    params = load_params(ROOT / "params/example-2020-2023.yml", root=ROOT, check_paths=False)
    spec = params.prepare.synthetic
    assert (params.study.id, spec.scale, spec.seed, tuple(spec.years)) == ("example-2020-2023", 0.2, 7, (2020, 2023))
    assert (params.parameters.window_start, params.parameters.window_end, params.parameters.focus_year) == (
        "2020-01",
        "2023-12",
        2023,
    )
    extract = tmp_path / "example-2020-2023"
    synth.write_extract(extract, scale=spec.scale, seed=spec.seed, years=tuple(spec.years), reference_dir=REF)
    values = params.notebook_values() | {"extract_dir": str(extract)}
    outputs = []
    for name in NOTEBOOKS:
        source = ROOT / "notebooks" / f"{name}.ipynb"
        declared = pm.inspect_notebook(str(source))
        out = tmp_path / f"{name}.ipynb"
        pm.execute_notebook(
            str(source),
            str(out),
            parameters={k: v for k, v in values.items() if k in declared},
            cwd=str(ROOT),
            kernel_name="python3",
            progress_bar=False,
        )
        outputs.append(out)
    gate.check_notebooks(outputs, threshold=params.parameters.suppression_threshold)
    tables = {}
    for out in outputs:
        nb = nbformat.read(out, as_version=4)
        glued = {
            o["metadata"]["scrapbook"]["name"]
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if "scrapbook" in o.get("metadata", {})
        }
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        used = set(re.findall(r"\{glue:text\}`([^`]+)`", text)) | set(re.findall(r"```\{glue:figure\} (\S+)", text))
        assert used <= glued, f"{out.name}: glue keys not glued: {sorted(used - glued)}"
        for c in nb.cells:
            for o in c.get("outputs", []):
                data = {k.removeprefix("application/papermill.record/"): v for k, v in o.get("data", {}).items()}
                payload = data.get(TABLE_MIME)
                if payload:
                    tables[payload["key"]] = payload
    # years come from the data: four years, 2020 to 2023, in every trend table
    assert tables["tab-III-7"]["n_rows"] == 4 and tables["tab-III-4"]["n_rows"] == 4
    assert tables["tab-III-3"]["n_rows"] == 18
    nb34 = nbformat.read(tmp_path / "34_outcome_tests.ipynb", as_version=4)
    year = [
        o
        for c in nb34.cells
        for o in c.get("outputs", [])
        if o.get("metadata", {}).get("scrapbook", {}).get("name") == "ch34_year"
    ]
    assert year[0]["data"]["application/papermill.record/text/plain"] == "'2023'"
