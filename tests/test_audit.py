"""Tests of the reproduction audit (``jahwal.analysis.audit``)."""

from __future__ import annotations

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
    row = one(result, f"days.표Ⅲ-16.미시행.{unit}")
    assert row["verdict"] == "불일치"
    assert row["cause"] == "행 복사"
    assert "표Ⅲ-14.미시행" in row["detail"]


@pytest.mark.parametrize("unit", ["시장진입형", "사회서비스형"])
def test_table_III_16_established_row_days_follow_from_wages(result, unit):
    assert one(result, f"days.표Ⅲ-16.시행.{unit}")["verdict"] == "일치"


def test_table_III_14_comparison_days_are_a_rounding_difference(result):
    for unit in ["시장진입형", "사회서비스형"]:
        assert one(result, f"days.표Ⅲ-14.미시행.{unit}")["verdict"] == "반올림 차이"


def test_table_III_20_labels_and_n_belong_to_another_table(result):
    for arm in ["시행", "미시행"]:
        row = one(result, f"days_n.표Ⅲ-20.{arm}")
        assert (row["verdict"], row["cause"]) == ("불일치", "행·라벨 뒤바뀜")
        # ...while the printed days do follow from 표 Ⅲ-19's wages
        assert one(result, f"days.표Ⅲ-20.{arm}.시장진입형")["verdict"] == "일치"


def test_prose_claims_that_disagree_with_tables(result):
    for cid in ["claim.C09", "claim_diff.C29", "claim_days.C38"]:
        row = one(result, cid)
        assert (row["verdict"], row["cause"]) == ("불일치", "본문·표 불일치"), cid
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
            "days.표Ⅲ-14.미시행.시장진입형",
            "days.표Ⅲ-14.미시행.사회서비스형",
            "days.표Ⅲ-16.미시행.시장진입형",
            "days.표Ⅲ-16.미시행.사회서비스형",
            "days_n.표Ⅲ-20.시행",
            "days_n.표Ⅲ-20.미시행",
            "claim.C09",
            "claim_diff.C29",
            "claim_days.C38",
        ]
    )


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
    assert one(audit.run_audit(ref_copy), "days.표Ⅲ-16.미시행.시장진입형")["verdict"] == "일치"


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
    pd.DataFrame(
        {
            "figure_id": ["표 X"] * 2,
            "region": ["가", "나"],
            "n": ["30", "10"],
            "total": ["40", "40"],
            "pct": ["-75.0", "75.0"],
            "source_line": ["1", "2"],
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
                "for_each": {"region": ["가", "나"]},
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
    assert (df.at["share.가", "verdict"], df.at["share.가", "cause"]) == ("불일치", "부호")
    # 나 prints 가's share: same table, another row -> swapped rows or labels
    assert (df.at["share.나", "verdict"], df.at["share.나", "cause"]) == ("불일치", "행·라벨 뒤바뀜")


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
    assert audit.main(["--reference", str(REF), "--strict"]) == 1
    assert audit.main(["--reference", str(tmp_path / "nowhere")]) == 2


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
