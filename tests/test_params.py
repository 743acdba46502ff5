"""Validation of study parameter files: errors name the file and the key, in Korean and English."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jahwal.cli import main
from jahwal.study.params import ParamsError, load_params

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "params" / "report-2023.yml"


def _write(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    change(data)
    p = tmp_path / "study.yml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_default_study_file_is_valid():
    params = load_params(DEFAULT, ROOT)
    assert params.parameters.focus_year == 2022
    assert params.parameters.years == [2019, 2020, 2021, 2022]
    assert params.parameters.daily_rates["시장진입형"] == 58660


def test_unknown_key_is_named_with_file(tmp_path):
    p = _write(tmp_path, lambda d: d["parameters"].update(focus_yaer=2022))
    with pytest.raises(ParamsError) as e:
        load_params(p, ROOT)
    msg = str(e.value)
    assert "parameters.focus_yaer" in msg and str(p) in msg
    assert "알 수 없는 키" in msg and "Extra inputs are not permitted" in msg


def test_wrong_type_is_named(tmp_path):
    p = _write(tmp_path, lambda d: d["parameters"].update(alpha="다섯"))
    with pytest.raises(ParamsError) as e:
        load_params(p, ROOT)
    assert "parameters.alpha" in str(e.value) and "숫자여야 합니다" in str(e.value)


def test_missing_file_is_named(tmp_path):
    p = _write(tmp_path, lambda d: d["parameters"].update(qual_path="data/없는폴더"))
    with pytest.raises(ParamsError) as e:
        load_params(p, ROOT)
    assert (
        "parameters.qual_path" in str(e.value) and "data/없는폴더" in str(e.value) and "file not found" in str(e.value)
    )


def test_focus_year_outside_window(tmp_path):
    p = _write(tmp_path, lambda d: d["parameters"].update(focus_year=2025))
    with pytest.raises(ParamsError, match="focus_year 2025"):
        load_params(p, ROOT)


def test_generated_extract_need_not_exist_yet(tmp_path):
    def change(d):
        d["prepare"]["synthetic"]["out"] = "data/synthetic/not-yet"
        d["parameters"]["extract_dir"] = "data/synthetic/not-yet"

    assert load_params(_write(tmp_path, change), ROOT).parameters.extract_dir == "data/synthetic/not-yet"


def test_build_command_exits_non_zero_on_bad_params(tmp_path, capsys):
    p = _write(tmp_path, lambda d: d["study"].pop("title"))
    assert main(["build", "--params", str(p), "--root", str(ROOT), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "study.title" in err and "필수 키가 없습니다" in err
