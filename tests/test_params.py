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
    # the 2022 rates come from the report (data/reference/daily_rates.csv), not from the study file
    assert params.parameters.daily_rates == {}
    assert params.notebook_values()["daily_rates"] == {"시장진입형": 58660, "사회서비스형": 51350, "근로유지형": 30120}
    assert params.notebook_values()["extract_format"] is None


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


def error_lines(p: Path) -> list[str]:
    with pytest.raises(ParamsError) as e:
        load_params(p, ROOT)
    lines = str(e.value).splitlines()
    assert (
        lines[0]
        == f"매개변수 파일 {p}에 오류가 {len(lines) - 1}개 있습니다 / {len(lines) - 1} error(s) in parameter file {p}:"
    )
    return lines[1:]


@pytest.mark.parametrize(
    "key, value", [("window_end", "2023-13"), ("window_start", "2019-00"), ("window_end", "2022-1")]
)
def test_malformed_month_names_the_key_at_loading(tmp_path, key, value):
    p = _write(tmp_path, lambda d: d["parameters"].update({key: value}))
    assert error_lines(p) == [
        f"  - {p}: 키 'parameters.{key}': 연월은 YYYY-MM(월 01–12)입니다 / must be YYYY-MM with a month 01-12 (값 / value: {value!r})"
    ]


def test_reversed_window_names_window_end_once(tmp_path):
    p = _write(tmp_path, lambda d: d["parameters"].update(window_start="2022-12", window_end="2019-01"))
    assert error_lines(p) == [
        f"  - {p}: 키 'parameters.window_end': 분석 기간의 끝이 시작(window_start 2022-12)보다 이릅니다 / "
        f"the window ends before it starts (window_start 2022-12) (값 / value: '2019-01')"
    ]


def test_focus_year_outside_window(tmp_path):
    p = _write(tmp_path, lambda d: d["parameters"].update(focus_year=2025))
    lines = error_lines(p)
    assert lines == [
        f"  - {p}: 키 'parameters.focus_year': 기준연도 2025가 분석 기간(2019–2022) 밖입니다 / "
        f"focus_year 2025 is outside the window 2019-2022 (값 / value: 2025)"
    ]
    assert "extract_dir" not in lines[0]  # the parameters block is not dumped


def test_bad_window_is_not_reported_again_through_focus_year(tmp_path):
    p = _write(tmp_path, lambda d: d["parameters"].update(window_end="2023-13", focus_year=2023))
    assert [ln.split(":")[1] for ln in error_lines(p)] == [" 키 'parameters.window_end'"]


# ---------------------------------------------------------------- daily rates by year
def test_daily_rates_by_year_selected_by_focus_year(tmp_path):
    def change(d):
        d["parameters"].update(
            window_end="2023-12",
            focus_year=2023,
            daily_rates={2023: {"시장진입형": 60000, "사회서비스형": 52000.5, "근로유지형": 31000}},
        )

    params = load_params(_write(tmp_path, change), ROOT)
    assert params.notebook_values()["daily_rates"] == {
        "시장진입형": 60000,
        "사회서비스형": 52000.5,
        "근로유지형": 31000,
    }
    assert sorted(params.rates_table()) == [2022, 2023]  # the report's 2022 rates stay available

    # a year given in the file replaces the shipped one
    def override(d):
        d["parameters"]["daily_rates"] = {2022: {"시장진입형": 1}}

    assert load_params(_write(tmp_path, override), ROOT).notebook_values()["daily_rates"] == {"시장진입형": 1}


def test_focus_year_without_rates_fails_naming_key_and_year(tmp_path):
    p = _write(tmp_path, lambda d: d["parameters"].update(window_end="2023-12", focus_year=2023))
    assert error_lines(p) == [
        f"  - {p}: 키 'parameters.daily_rates': 기준연도(focus_year) 2023년의 일 급여가 없습니다(일 급여가 있는 해: 2022). "
        "매개변수 파일에 daily_rates: {2023: {시장진입형: 원, 사회서비스형: 원, 근로유지형: 원}}을 적으십시오 / "
        "no daily rates for the focus year 2023 (years with rates: 2022); add daily_rates: {2023: {...}} to the parameter file"
    ]


def test_old_flat_daily_rates_are_explained(tmp_path):
    p = _write(tmp_path, lambda d: d["parameters"].update(daily_rates={"시장진입형": 58660}))
    (line,) = error_lines(p)
    assert line.startswith(
        f"  - {p}: 키 'parameters.daily_rates': 일 급여는 연도별 표입니다"
        "(예: daily_rates: {2023: {시장진입형: 원, 사회서비스형: 원, 근로유지형: 원}}) / daily_rates is a table by year"
    )


def test_non_positive_rate(tmp_path):
    p = _write(tmp_path, lambda d: d["parameters"].update(daily_rates={2022: {"근로유지형": 0}}))
    (line,) = error_lines(p)
    assert line.startswith(
        f"  - {p}: 키 'parameters.daily_rates': 2022년 근로유지형의 일 급여 0원은 0보다 커야 합니다 / rates must be positive"
    )


def test_example_study_states_its_2023_rates():
    params = load_params(ROOT / "params" / "example-2020-2023.yml", ROOT, check_paths=False)
    assert params.parameters.focus_year == 2023 and 2023 in params.parameters.daily_rates


@pytest.mark.parametrize(
    "change, needle",
    [
        (lambda d: d["parameters"].update(window_end="2023-13"), "키 'parameters.window_end': 연월은 YYYY-MM"),
        (
            lambda d: d["parameters"].update(window_end="2023-12", focus_year=2023),
            "키 'parameters.daily_rates': 기준연도(focus_year) 2023년",
        ),
    ],
)
def test_build_and_validate_commands_exit_non_zero_on_param_errors(tmp_path, capsys, change, needle):
    p = _write(tmp_path, change)
    assert main(["build", "--params", str(p), "--root", str(ROOT), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert needle in err and str(p) in err and "Traceback" not in err


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
