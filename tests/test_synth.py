"""The synthetic extract: determinism, contract, calibration at scale 1, extrapolated years."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jahwal.analysis import calibration, stages
from jahwal.cli import main
from jahwal.inputs import contract, synth

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "data" / "reference"


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="session")
def default_extract(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "report-2023"
    synth.write_extract(out, scale=1, seed=20230101, years=(2019, 2022), reference_dir=REF)
    return contract.load_extract(out)


@pytest.mark.slow
def test_same_seed_gives_identical_files(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    synth.write_extract(a, scale=0.05, seed=3, years=(2019, 2022), reference_dir=REF)
    synth.write_extract(b, scale=0.05, seed=3, years=(2019, 2022), reference_dir=REF)
    synth.write_extract(c, scale=0.05, seed=4, years=(2019, 2022), reference_dir=REF)
    assert _digest(a) == _digest(b)
    assert _digest(a)["counselling.csv"] != _digest(c)["counselling.csv"]


@pytest.mark.slow
def test_extract_satisfies_the_contract_and_has_korean_headers(tmp_path):
    out = tmp_path / "x"
    synth.write_extract(out, scale=0.05, seed=1, years=(2019, 2022), reference_dir=REF)
    header = (out / "participants.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("기본ID,가명ID,연도")
    report = contract.validate_extract(out)
    assert report["rows"]["participants"] > report["rows"]["outcomes"] > 0


@pytest.mark.slow
def test_calibration_passes_at_scale_1(default_extract):
    cal = calibration.calibrate(default_extract, REF, focus_year=2022)
    failed = cal[~cal["pass"]]
    assert failed.empty, failed.to_string()
    # every kind of published figure is compared
    figs = set(cal["figure_id"])
    for fig in ["그림 Ⅲ-11", "그림 Ⅲ-12", "그림 Ⅲ-14", "표 Ⅲ-3", "표 Ⅲ-4", "표 Ⅲ-5", "표 Ⅲ-6", "표 Ⅲ-7", "표 Ⅲ-8"]:
        assert fig in figs
    assert {f"표 Ⅲ-{i}" for i in range(9, 21)} <= figs
    assert {f"그림 Ⅲ-{i}" for i in range(1, 11)} <= figs


def test_exact_counts_from_reference(default_extract):
    ia = stages.intake_assessment_by_year(default_extract).set_index("year")
    ref = pd.read_csv(REF / "fig_III_11_12_intake_assessment_by_year.csv").set_index("year")
    assert ia.loc[2022, "intake_n"] == ref.loc[2022, "intake_n"] == 51183  # 그림 Ⅲ-11
    assert ia.loc[2019, "assessed_n"] == ref.loc[2019, "assessed_n"]  # 그림 Ⅲ-12
    p = stages.counselling_by_province(default_extract, 2022).set_index("province")
    ref8 = pd.read_csv(REF / "tab_III_08_counselling_by_province_2022.csv").set_index("province")
    assert p.loc["서울", "max"] == ref8.loc["서울", "max"] == 139  # 표 Ⅲ-8


def test_first_entry_rule_removes_re_entries(default_extract):
    assert default_extract.dropped_duplicates > 0
    assert not default_extract.participants.duplicated(["person_id", "year"]).any()


def test_calibration_detects_a_wrong_reference(default_extract, tmp_path):
    ref = tmp_path / "ref"
    import shutil

    shutil.copytree(REF, ref)
    t = pd.read_csv(ref / "tab_III_07_counselling_by_year.csv")
    t.loc[t["year"] == 2021, "mean"] = 6.5
    t.to_csv(ref / "tab_III_07_counselling_by_year.csv", index=False)
    cal = calibration.calibrate(default_extract, ref, focus_year=2022)
    bad = cal[~cal["pass"]]
    assert list(bad["item"]) == ["2021년 평균값"] and list(bad["figure_id"]) == ["표 Ⅲ-7"]
    with pytest.raises(calibration.CalibrationError, match="표 Ⅲ-7"):
        calibration.require_pass(cal)


@pytest.mark.slow
def test_years_outside_the_report_are_extrapolated(tmp_path):
    tabs = synth.generate(scale=0.05, seed=2, years=(2020, 2023), reference_dir=REF)
    years = sorted(tabs["stages"]["year"].unique())
    assert years == [2020, 2021, 2022, 2023]
    n = tabs["stages"].groupby("year").size()
    assert n[2023] > n[2022]  # the 2019-2022 growth carries on
    assert (tabs["outcomes"]["year"] == 2023).sum() > 0


def test_counts_distribution_hits_median_and_maximum():
    x = synth.counts_distribution(5000, 7.03, 3, 10.06, 134, np.random.default_rng(0))  # 표 Ⅲ-7, 2020
    assert np.median(x) == 3 and x.max() == 134 and x.min() == 1
    assert abs(x.mean() - 7.03) / 7.03 < 0.01 and abs(x.std(ddof=1) - 10.06) / 10.06 < 0.05


def test_bad_arguments():
    with pytest.raises(ValueError, match="scale"):
        synth.generate(scale=0, reference_dir=REF)
    with pytest.raises(ValueError, match="years"):
        synth.generate(scale=1, years=(2022, 2019), reference_dir=REF)


@pytest.mark.slow
def test_synth_command(tmp_path, capsys):
    out = tmp_path / "cmd"
    assert (
        main(
            [
                "synth",
                "--scale",
                "0.02",
                "--seed",
                "5",
                "--years",
                "2019-2022",
                "--out",
                str(out),
                "--reference",
                str(REF),
            ]
        )
        == 0
    )
    assert (out / "stages.csv").exists() and "합성 자료" in capsys.readouterr().out
