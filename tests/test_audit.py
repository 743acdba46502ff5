"""Tests of the reproduction audit (``jahwal.analysis.audit``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from jahwal.analysis import audit

REF = Path(__file__).resolve().parents[1] / "data" / "reference"
TESTS = "tab_III_09_20_outcome_tests.csv"


@pytest.fixture(scope="module")
def result() -> pd.DataFrame:
    return audit.run_audit(REF)


def one(df: pd.DataFrame, check_id: str) -> pd.Series:
    rows = df[df["check_id"] == check_id]
    assert len(rows) == 1, check_id
    return rows.iloc[0]


@pytest.fixture()
def ref_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "reference"
    shutil.copytree(REF, dst)
    return dst


def edit_cell(folder: Path, name: str, where: dict, column: str, value: str) -> None:
    df = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k] == v
    assert mask.sum() >= 1
    df.loc[mask, column] = value
    df.to_csv(folder / name, index=False, encoding="utf-8")


def drop_rows(folder: Path, name: str, where: dict) -> None:
    df = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k] == v
    assert mask.sum() >= 1
    df[~mask].to_csv(folder / name, index=False, encoding="utf-8")


# ---------------------------------------------------------------- shipped reference
def test_result_layout(result):
    assert list(result.columns) == list(audit.COLUMNS)
    assert result["check_id"].is_unique
    assert set(result["verdict"]) <= set(audit.VERDICTS)
    bad = result[result["verdict"] == "불일치"]
    assert set(bad["cause"]) <= set(audit.CAUSES)
    assert (bad["cause"] != "").all()


def test_table_III_10_t_has_the_wrong_sign(result):
    row = one(result, "ttest.표Ⅲ-10")
    assert row["verdict"] == "불일치"
    assert row["cause"] == "부호"
    assert row["printed"] == pytest.approx(-7.655)
    assert row["recomputed"] == pytest.approx(7.655, abs=5e-4)


@pytest.mark.parametrize("unit", ["시장진입형", "사회서비스형"])
def test_table_III_16_comparison_row_days_are_copied(result, unit):
    row = one(result, f"days.표Ⅲ-16.미수행.{unit}")
    assert row["verdict"] == "불일치"
    assert row["cause"] == "행 복사"
    assert "표Ⅲ-14.미수행" in row["detail"]


@pytest.mark.parametrize("unit", ["시장진입형", "사회서비스형"])
def test_table_III_16_established_row_days_follow_from_wages(result, unit):
    assert one(result, f"days.표Ⅲ-16.수행.{unit}")["verdict"] == "일치"


def test_table_III_14_comparison_days_are_a_rounding_difference(result):
    for unit in ["시장진입형", "사회서비스형"]:
        assert one(result, f"days.표Ⅲ-14.미수행.{unit}")["verdict"] == "반올림 차이"


def test_table_III_20_labels_and_n_belong_to_another_table(result):
    for arm in ["수행", "미수행"]:
        row = one(result, f"days_n.표Ⅲ-20.{arm}")
        # the printed n equals the n printed in 표 Ⅲ-18 (a copied row), not 표 Ⅲ-19's n
        assert (row["verdict"], row["cause"]) == ("불일치", "행 복사")
        assert f"days_n.표Ⅲ-18.{arm}" in row["detail"]
        # ...while the printed days do follow from 표 Ⅲ-19's wages
        assert one(result, f"days.표Ⅲ-20.{arm}.시장진입형")["verdict"] == "일치"


def test_prose_claims_that_disagree_with_tables(result):
    # 제주 82.85 in the prose, 82.58 in 표 Ⅲ-3: two neighbouring digits swapped
    assert (one(result, "claim.C09")["verdict"], one(result, "claim.C09")["cause"]) == ("불일치", "자릿수 뒤바뀜")
    # 185.9 is printed in 표 Ⅲ-20 itself, as the comparison group's 시장진입형 days
    c38 = one(result, "claim_days.C38")
    assert (c38["verdict"], c38["cause"]) == ("불일치", "다른 칸 값")
    assert "tab_III_09_20_outcome_tests.csv:32:mean" in c38["detail"]
    # 약 15만원 against 13.9: no evidence for any particular cause
    assert (one(result, "claim_diff.C29")["verdict"], one(result, "claim_diff.C29")["cause"]) == ("불일치", "미상")
    assert one(result, "claim_diff.C30")["verdict"] == "일치"  # 표 Ⅲ-11: 약 15만원


def test_t_statistics_match_student_or_welch(result):
    t = result[result["kind"] == "ttest"].set_index("check_id")
    assert "Welch" in t.at["ttest.표Ⅲ-13", "detail"]
    assert t.at["ttest.표Ⅲ-11", "detail"].endswith("Student와 일치")
    assert (t.drop(index="ttest.표Ⅲ-10")["verdict"] == "일치").all()
    assert (result.loc[result["kind"] == "stars", "verdict"] == "일치").all()


def test_whole_audit_mismatch_list(result):
    flagged = result[result["verdict"] != "일치"]
    assert sorted(flagged["check_id"]) == sorted(
        [
            "ttest.표Ⅲ-10",
            "days.표Ⅲ-14.미수행.시장진입형",
            "days.표Ⅲ-14.미수행.사회서비스형",
            "days.표Ⅲ-16.미수행.시장진입형",
            "days.표Ⅲ-16.미수행.사회서비스형",
            "days_n.표Ⅲ-20.수행",
            "days_n.표Ⅲ-20.미수행",
            "n_across.표Ⅲ-10.수행",
            "n_across.표Ⅲ-10.미수행",
            "claim.C09",
            "claim_diff.C29",
            "claim_days.C38",
            "ttest.표Ⅲ-11.방식",
            "ttest.표Ⅲ-12.방식",
        ]
    )
    # every flagged check names the table it suspects
    assert (flagged["suspect_figure"] != "").sum() == len(flagged) - 2  # the two method rows read no cell


def test_truncated_days_are_a_cause_not_a_label(result):
    for unit in ["시장진입형", "사회서비스형"]:
        row = one(result, f"days.표Ⅲ-14.미수행.{unit}")
        assert row["cause"] == "절사"
        assert "다른 표는 반올림" in row["detail"]


def test_t_variant_departures_are_reported(result):
    # 표 Ⅲ-9, 10, 13, 15, 19 print Welch's t; 표 Ⅲ-11 and 12 Student's (표 Ⅲ-17 cannot tell)
    rows = result[result["kind"] == "consistency"].set_index("check_id")
    assert sorted(rows.index) == ["ttest.표Ⅲ-11.방식", "ttest.표Ⅲ-12.방식"]
    assert (rows["cause"] == "검정 방식").all()
    assert "Welch(5건)" in rows.at["ttest.표Ⅲ-11.방식", "detail"]


def test_n_of_table_III_10_differs_from_the_same_comparison_in_table_III_15(result):
    row = one(result, "n_across.표Ⅲ-10.수행")
    assert (row["printed"], row["recomputed"]) == (9981, 8218)
    for pair in ["표Ⅲ-9", "표Ⅲ-11", "표Ⅲ-12"]:
        assert one(result, f"n_across.{pair}.미수행")["verdict"] == "일치"


def test_rates_and_totals_of_tables_III_2_to_III_6_agree(result):
    ok = result[result["check_id"].str.match(r"^(t2|t3|t4|t5|t6|f11|f12|f14)")]
    assert len(ok) > 100
    assert (ok["verdict"] == "일치").all()


# ---------------------------------------------------------------- edited copies
def test_changed_rate_flips_to_mismatch(ref_copy):
    edit_cell(
        ref_copy, "tab_III_03_assessment_by_province_2022.csv", {"province": "서울"}, "assessed_rate_pct", "64.20"
    )
    row = one(audit.run_audit(ref_copy), "t3_rate.서울")
    assert row["verdict"] == "불일치"
    assert row["difference"] == pytest.approx(1.0, abs=0.01)


def test_negated_t_flips_to_sign_mismatch(ref_copy):
    edit_cell(ref_copy, TESTS, {"figure_id": "표 Ⅲ-11"}, "t", "-6.580")
    row = one(audit.run_audit(ref_copy), "ttest.표Ⅲ-11")
    assert (row["verdict"], row["cause"]) == ("불일치", "부호")


def test_fixed_copy_error_flips_back_to_match(ref_copy):
    edit_cell(
        ref_copy, TESTS, {"figure_id": "표 Ⅲ-16", "performed": "False", "unit_type": "시장진입형"}, "mean", "182.6"
    )
    assert one(audit.run_audit(ref_copy), "days.표Ⅲ-16.미수행.시장진입형")["verdict"] == "일치"


def test_removed_row_gives_cannot_check(ref_copy):
    drop_rows(ref_copy, "tab_III_03_assessment_by_province_2022.csv", {"province": "제주"})
    df = audit.run_audit(ref_copy)
    row = one(df, "t3_rate.제주")
    assert row["verdict"] == "점검 불가"
    assert "행 없음" in row["detail"]
    # a national sum that needs the removed province cannot be checked either
    assert one(df, "f11_t3_sum.intake_n")["verdict"] == "점검 불가"
    assert one(df, "t3_rate.서울")["verdict"] == "일치"


def test_removed_file_gives_cannot_check(ref_copy):
    (ref_copy / "daily_rates.csv").unlink()
    df = audit.run_audit(ref_copy)
    days = df[df["check_id"].str.startswith("days.")]
    assert len(days) == 16
    assert (days["verdict"] == "점검 불가").all()
    assert days["detail"].str.contains("파일 없음: daily_rates.csv").all()


def test_unpublished_cell_gives_cannot_check(ref_copy):
    edit_cell(ref_copy, "text_claims.csv", {"claim_id": "C38"}, "value", "")
    row = one(audit.run_audit(ref_copy), "claim_days.C38")
    assert row["verdict"] == "점검 불가"
    assert "미공표" in row["detail"]


# ---------------------------------------------------------------- tolerance logic
@pytest.mark.parametrize("text, k", [("30.80", 2), ("100.0", 1), ("216", 0), ("1,528,910.64", 2), ("63.2%", 1), (5, 0)])
def test_printed_decimals(text, k):
    assert audit.printed_decimals(text) == k


@pytest.mark.parametrize(
    "printed, recomputed, expected",
    [
        ("42.75", 42.7547, "일치"),  # |diff| 0.0047 <= 0.005
        ("42.75", 42.7449, "반올림 차이"),  # 0.0051: beyond half a unit, within one unit
        ("42.75", 42.7399, "불일치"),  # 0.0101: beyond one unit
        ("216", 216.03, "일치"),
        ("216.0", 216.03, "일치"),
        ("183.3", 183.373, "반올림 차이"),
        ("183.4", 182.602, "불일치"),
        ("-7.655", -7.6550249, "일치"),
    ],
)
def test_verdict_for_hand_made_values(printed, recomputed, expected):
    assert audit.verdict_for(printed, recomputed)[0] == expected


def test_input_tolerance_widens_the_match():
    # three shares printed with one decimal may be off by up to 0.15 in their sum
    assert audit.verdict_for("100.0", 100.14)[0] == "불일치"
    assert audit.verdict_for("100.0", 100.14, input_tolerance=0.15)[0] == "일치"


def test_verdict_returns_difference_and_tolerance():
    verdict, diff, tol = audit.verdict_for("30.80", 30.7986)
    assert verdict == "일치"
    assert diff == pytest.approx(0.0014)
    assert tol == pytest.approx(0.005, rel=1e-5)


@pytest.mark.parametrize(
    "call",
    [
        lambda: audit.printed_decimals(""),
        lambda: audit.printed_decimals("abc"),
        lambda: audit.rounding_tolerance("1.0", band=0),
        lambda: audit.verdict_for("1.0", 1.0, band=0.5),
        lambda: audit.verdict_for("1.0", float("nan")),
        lambda: audit.verdict_for("1.0", 1.0, input_tolerance=-1),
    ],
)
def test_bad_arguments_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


# ---------------------------------------------------------------- generic engine on toy data
def toy_reference(tmp_path: Path) -> Path:
    folder = tmp_path / "toy"
    folder.mkdir()
    # shares 75, 25, 50: 가 and 나 printed the other way round, 다 with the wrong sign
    pd.DataFrame(
        {
            "figure_id": ["표 X"] * 3,
            "region": ["가", "나", "다"],
            "n": ["30", "10", "20"],
            "total": ["40", "40", "40"],
            "pct": ["25.0", "75.0", "-50.0"],
            "source_line": ["1", "2", "3"],
        }
    ).to_csv(folder / "toy.csv", index=False)
    return folder


def toy_checks(**extra) -> dict:
    sel = {"file": "toy.csv", "where": {"region": "{region}"}}
    return {
        "checks": [
            {
                "id": "share",
                "kind": "ratio",
                "figure_id": "표 X",
                "description": "{region} 비율",
                "for_each": {"region": ["가", "나", "다"]},
                "printed": {**sel, "column": "pct"},
                "numerator": {**sel, "column": "n"},
                "denominator": {**sel, "column": "total"},
                "scale": 100,
                **extra,
            }
        ]
    }


def test_toy_sign_and_swapped_rows(tmp_path):
    df = audit.run_audit(toy_reference(tmp_path), toy_checks()).set_index("check_id")
    assert (df.at["share.다", "verdict"], df.at["share.다", "cause"]) == ("불일치", "부호")
    # 가 and 나 match when swapped: the pair is recognised from both sides
    for region, other in [("가", "나"), ("나", "가")]:
        assert (df.at[f"share.{region}", "verdict"], df.at[f"share.{region}", "cause"]) == ("불일치", "행·라벨 뒤바뀜")
        assert f"share.{other}" in df.at[f"share.{region}", "detail"]


def test_unknown_kind_and_missing_keys_raise(tmp_path):
    folder = toy_reference(tmp_path)
    with pytest.raises(ValueError, match="kind"):
        audit.run_audit(folder, {"checks": [{"id": "x", "kind": "median", "figure_id": "표 X"}]})
    with pytest.raises(ValueError, match="missing keys"):
        audit.run_audit(
            folder, {"checks": [{"id": "x", "kind": "ratio", "figure_id": "표 X", "printed": {"value": "1"}}]}
        )
    with pytest.raises(ValueError, match="cause"):
        audit.run_audit(folder, toy_checks(cause="모름"))


def test_missing_reference_folder_raises(tmp_path):
    with pytest.raises(ValueError, match="reference"):
        audit.run_audit(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="checks"):
        audit.run_audit(tmp_path)  # a folder without audit_checks.yml


def test_summarise_counts_every_verdict(result):
    s = audit.summarise(result)
    assert s["verdict"].tolist() == list(audit.VERDICTS)
    assert s["n_checks"].sum() == len(result)
    by = audit.summarise(result, by="figure_id")
    assert set(by.columns) == {"figure_id", "verdict", "n_checks", "share_pct"}
    assert by["n_checks"].sum() == len(result)
    with pytest.raises(ValueError):
        audit.summarise(result, by="nope")
    with pytest.raises(ValueError):
        audit.summarise(pd.DataFrame({"x": [1]}))


# ---------------------------------------------------------------- command
def test_main_exit_status(tmp_path, capsys):
    out = tmp_path / "audit.csv"
    assert audit.main(["--reference", str(REF), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "재현성 점검" in printed and "불일치" in printed
    assert len(pd.read_csv(out)) == len(audit.run_audit(REF))
    # the shipped baseline accepts every finding of the shipped reference
    assert audit.main(["--reference", str(REF), "--strict"]) == 0
    assert "새 발견 없음" in capsys.readouterr().out
    assert audit.main(["--reference", str(tmp_path / "nowhere")]) == 2


def test_rounding_differences_are_printed_on_the_command_line(capsys):
    assert audit.main(["--reference", str(REF)]) == 0
    out = capsys.readouterr().out
    assert "반올림 차이 표 Ⅲ-14 days.표Ⅲ-14.미수행.시장진입형: 인쇄 183.3, 재계산 183.373 (원인 / cause: 절사)" in out


def test_strict_fails_only_on_new_findings(ref_copy, capsys):
    edit_cell(
        ref_copy, "tab_III_03_assessment_by_province_2022.csv", {"province": "서울"}, "assessed_rate_pct", "64.20"
    )
    assert audit.main(["--reference", str(ref_copy), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "t3_rate.서울" in err and "new finding" in err
    assert "ttest.표Ⅲ-10" not in err  # accepted in the baseline
    # a baseline entry without a reason is refused
    (ref_copy / audit.BASELINE_FILE).write_text(
        "accepted:\n  - {check_id: ttest.표Ⅲ-10, verdict: 불일치}\n", encoding="utf-8"
    )
    assert audit.main(["--reference", str(ref_copy), "--strict"]) == 2
    assert "reason" in capsys.readouterr().err


def test_baseline_entries_are_the_shipped_findings_each_with_a_reason(result):
    base = audit.load_baseline(REF / audit.BASELINE_FILE)
    assert (base["reason"].str.len() > 5).all()
    new, resolved = audit.compare_baseline(result, base)
    assert new.empty and resolved.empty


def test_strict_passes_when_nothing_mismatches(tmp_path):
    folder = toy_reference(tmp_path)
    checks = tmp_path / "ok.yml"
    checks.write_text(
        "checks:\n  - {id: a, kind: ratio, figure_id: 표 X, scale: 100,\n"
        "     printed: {value: '75.0'},\n"
        "     numerator: {file: toy.csv, where: {region: 가}, column: n},\n"
        "     denominator: {file: toy.csv, where: {region: 가}, column: total}}\n",
        encoding="utf-8",
    )
    assert audit.main(["--reference", str(folder), "--checks", str(checks), "--strict"]) == 0


def test_runs_as_module():
    proc = subprocess.run(
        [sys.executable, "-m", "jahwal.analysis.audit", "--reference", str(REF)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "재현성 점검" in proc.stdout


@pytest.mark.parametrize("extra", [[], ["--params", str(REF.parents[1] / "params" / "report-2023.yml")]])
def test_runs_from_any_folder(tmp_path, extra):
    env = {**os.environ, "PYTHONPATH": str(Path(audit.__file__).resolve().parents[1])}
    proc = subprocess.run(
        [sys.executable, "-m", "jahwal.analysis.audit", "--strict", *extra],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "모두 416건" in proc.stdout and "새 발견 없음" in proc.stdout


def test_default_reference_dir_is_found_from_the_package_and_the_parameter_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert audit.default_reference_dir() == REF
    assert audit.default_reference_dir(REF.parents[1] / "params" / "report-2023.yml") == REF
    bad = tmp_path / "p.yml"
    bad.write_text("parameters: {alpha: 0.05}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="reference_dir"):
        audit.default_reference_dir(bad)


# ---------------------------------------------------------------- every published cell
@pytest.fixture(scope="module")
def coverage() -> pd.DataFrame:
    return audit.cell_coverage(REF)


def test_every_published_cell_is_checked_or_has_a_reason(coverage):
    none = coverage[coverage["strength"] == "none"]
    assert (none["reason"] != "").all()
    # only the 근로유지형 daily wage: no day count of that unit type is printed
    assert none[["file", "column", "value"]].values.tolist() == [["daily_rates.csv", "daily_wage_won", "30120"]]
    table = audit.unconstrained_table(coverage)
    assert table.iloc[0]["열"] == "일 급여(원)" and "근로유지형" in table.iloc[0]["점검하지 않는 까닭"]


@pytest.mark.parametrize(
    "file, column, n",
    [
        ("tab_III_01_infra_by_year.csv", "centres_n", 11),
        ("tab_III_08_counselling_by_province_2022.csv", "mean", 17),
        ("tab_III_08_counselling_by_province_2022.csv", "sd", 17),
        ("tab_III_07_counselling_by_year.csv", "median", 4),
        ("tab_III_07_counselling_by_year.csv", "sd", 4),
        ("fig_III_01_10_counselling_by_characteristic.csv", "mean_counselling", 32),
        ("tab_III_09_20_outcome_tests.csv", "t", 16),
    ],
)
def test_groups_of_cells_that_were_never_checked_now_are(coverage, file, column, n):
    cells = coverage[(coverage["file"] == file) & (coverage["column"] == column)]
    assert len(cells) == n
    assert (cells["strength"] != "none").all()


def test_unconstrained_cell_without_a_reason_is_visible(tmp_path):
    folder = toy_reference(tmp_path)
    pd.DataFrame({"figure_id": ["표 Y"], "x": ["7"]}).to_csv(folder / "other.csv", index=False)
    cov = audit.cell_coverage(folder, toy_checks())
    row = cov[cov["file"] == "other.csv"].iloc[0]
    assert (row["strength"], row["reason"]) == ("none", "")
    spec = {**toy_checks(), "unconstrained": [{"file": "other.csv", "column": "x", "reason": "다른 값 없음"}]}
    assert audit.cell_coverage(folder, spec).set_index("file").at["other.csv", "reason"] == "다른 값 없음"


# ---------------------------------------------------------------- new kinds of check on edited copies
def test_t_printed_on_two_rows_must_agree(ref_copy):
    edit_cell(ref_copy, TESTS, {"figure_id": "표 Ⅲ-9", "performed": "False"}, "t", "-1.941")
    df = audit.run_audit(ref_copy)
    row = one(df, "t_twice.표Ⅲ-9")
    assert (row["verdict"], row["printed"], row["recomputed"]) == ("불일치", -1.941, -1.914)
    assert row["cause"] == "자릿수 뒤바뀜"


def test_n_repeated_on_every_row_of_a_day_table(ref_copy):
    edit_cell(ref_copy, TESTS, {"figure_id": "표 Ⅲ-18", "performed": "True", "unit_type": "사회서비스형"}, "n", "11350")
    row = one(audit.run_audit(ref_copy), "days_n_twice.표Ⅲ-18.수행")
    assert (row["verdict"], row["printed"], row["recomputed"]) == ("불일치", 11350, 11305)


def test_median_above_max_and_fractional_count(ref_copy):
    edit_cell(ref_copy, "tab_III_08_counselling_by_province_2022.csv", {"province": "대전"}, "median", "33.00")
    edit_cell(ref_copy, "tab_III_07_counselling_by_year.csv", {"year": "2019"}, "max", "84.40")
    df = audit.run_audit(ref_copy)
    assert one(df, "t8_order.대전.중위수")["verdict"] == "불일치"
    assert "중위수 33 > 최대 32" in one(df, "t8_order.대전.중위수")["detail"]
    assert one(df, "t8_whole.대전.median")["verdict"] == "일치"  # 33 is a whole number
    assert one(df, "t7_whole.2019.max")["verdict"] == "불일치"
    assert one(df, "t7_whole.2019.max")["recomputed"] == 84


def test_sd_must_fit_mean_median_and_extremes(ref_copy):
    # 대전: mean 2.35 between 1 and 32 allows at most sqrt(1.35 * 29.65) = 6.33
    edit_cell(ref_copy, "tab_III_08_counselling_by_province_2022.csv", {"province": "대전"}, "sd", "6.52")
    row = one(audit.run_audit(ref_copy), "t8_spread.대전")
    assert row["verdict"] == "불일치"
    assert row["recomputed"] == pytest.approx((1.35 * 29.65) ** 0.5)


def test_national_mean_outside_the_province_range(ref_copy):
    # above 제주's 9.81, the highest province mean of 표 Ⅲ-8
    edit_cell(ref_copy, "tab_III_07_counselling_by_year.csv", {"year": "2022"}, "mean", "9.92")
    df = audit.run_audit(ref_copy)
    row = one(df, "t7_t8_range.평균")
    assert row["verdict"] == "불일치" and "전국 9.92 > 시도 최대 9.81" in row["detail"]
    assert one(df, "claim.C22")["verdict"] == "불일치"  # the prose prints 4.92 twice


def test_ranking_stated_in_the_prose(ref_copy):
    fig = "fig_III_01_10_counselling_by_characteristic.csv"
    edit_cell(ref_copy, fig, {"variable": "혼인상태", "category": "기혼"}, "mean_counselling", "5.91")
    row = one(audit.run_audit(ref_copy), "fig_rank.혼인상태")
    assert row["verdict"] == "불일치" and "기혼 5.91 > 사별 5.82" in row["detail"]


def test_weighted_mean_of_parts(tmp_path):
    folder = tmp_path / "w"
    folder.mkdir()
    pd.DataFrame(
        {
            "figure_id": ["표 W"] * 3,
            "part": ["가", "나", "계"],
            "n": ["100", "300", "400"],
            "mean": ["2.00", "4.00", "3.50"],
        }
    ).to_csv(folder / "w.csv", index=False)
    spec = {
        "checks": [
            {
                "id": "wm",
                "kind": "weighted_mean",
                "figure_id": "표 W",
                "printed": {"file": "w.csv", "where": {"part": "계"}, "column": "mean"},
                "parts": {"file": "w.csv", "where": {"part": ["가", "나"]}},
            }
        ]
    }
    assert one(audit.run_audit(folder, spec), "wm")["verdict"] == "일치"  # (200 + 1200) / 400
    edit_cell(folder, "w.csv", {"part": "나"}, "n", "100")
    row = one(audit.run_audit(folder, spec), "wm")
    assert (row["verdict"], row["recomputed"]) == ("불일치", 3.0)


# ---------------------------------------------------------------- causes from the evidence
def test_swapped_rows_are_found_by_the_pair_that_matches(ref_copy):
    name = "tab_III_03_assessment_by_province_2022.csv"
    edit_cell(ref_copy, name, {"province": "서울"}, "assessed_rate_pct", "69.25")
    edit_cell(ref_copy, name, {"province": "부산"}, "assessed_rate_pct", "63.20")
    df = audit.run_audit(ref_copy)
    assert one(df, "t3_rate.서울")["cause"] == "행·라벨 뒤바뀜"
    assert "t3_rate.부산" in one(df, "t3_rate.서울")["detail"]
    assert one(df, "t3_rate.부산")["cause"] == "행·라벨 뒤바뀜"


def test_value_from_another_table_and_unknown_cause(ref_copy):
    # 63.68 is 경북's assessment rate in 표 Ⅲ-3
    edit_cell(ref_copy, "tab_III_04_iap_by_year.csv", {"year": "2019", "status": "수립"}, "pct", "63.68")
    edit_cell(ref_copy, "tab_III_04_iap_by_year.csv", {"year": "2020", "status": "수립"}, "pct", "47.13")
    df = audit.run_audit(ref_copy)
    row = one(df, "t4_rate.2019.수립")
    assert row["cause"] == "다른 표 값" and "표 Ⅲ-3" in row["detail"]
    assert one(df, "t4_rate.2020.수립")["cause"] == "미상"


def test_wrong_input_is_traced_to_its_own_table(ref_copy):
    # a wrong daily wage breaks the day counts of four tables; the suspect is the wage itself
    edit_cell(ref_copy, "daily_rates.csv", {"unit_type": "시장진입형"}, "daily_wage_won", "56860")
    df = audit.run_audit(ref_copy)
    days = df[df["check_id"].str.match(r"days\.표Ⅲ-(18|20)\..*시장진입형$")]
    assert (days["verdict"] == "불일치").all() and len(days) == 4
    assert set(days["suspect_cell"]) == {"daily_rates.csv:2:daily_wage_won"}
    assert set(days["suspect_figure"]) == {"본문"}


# ---------------------------------------------------------------- mutation test
@pytest.fixture(scope="module")
def mutation() -> dict:
    return audit.mutation_test(REF)


def test_mutation_test_catches_at_least_90_percent_naming_the_right_table(mutation):
    assert mutation["n_exact"] > 400
    assert mutation["rate_exact"] >= 0.9
    assert mutation["seconds"] < 60
    cells = mutation["cells"].set_index(["file", "line", "column"])
    row = cells.loc[("tab_III_01_infra_by_year.csv", 3, "centres_n")]  # 2013
    assert (row["mutated"], row["caught"], row["named_right"]) == ("66", True, True)
    wage = cells.loc[("daily_rates.csv", 2, "daily_wage_won")]
    assert (wage["caught"], wage["named_right"]) == (True, True)
    # cells that only bounds constrain are reported separately and honestly
    assert 0 < mutation["rate_bound"] < mutation["rate_exact"]
    assert "재계산 점검 칸" in audit.mutation_summary(mutation)


def test_mutation_factor_must_change_values():
    with pytest.raises(ValueError, match="factor"):
        audit.mutation_test(REF, factor=1)
