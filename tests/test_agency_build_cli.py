"""``jahwal build`` on bad inputs as delivered: exit status 2, one clear bilingual message, no traceback.

Each build stops at input validation, before any notebook runs, in a project
folder of its own (the data the study file names are read from the repository).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import tiny_frames, write_extract
from jahwal import cli
from jahwal.study.params import StudyParams
from test_agency_inputs import blank_speaker_copy, mixed_extract

ROOT = Path(__file__).resolve().parents[1]


def study_file(tmp_path: Path, extract: Path, **parameters) -> Path:
    """The 2023 study file on a given extract (no synthetic data), its other inputs from the repository."""
    spec = yaml.safe_load((ROOT / "params" / "report-2023.yml").read_text(encoding="utf-8"))
    spec["prepare"] = {"synthetic": None}
    p = spec["parameters"]
    for key in StudyParams.PATH_KEYS:
        p[key] = str(ROOT / p[key])
    p["extract_dir"] = str(extract)
    p.update(parameters)
    path = tmp_path / "study.yml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def build_fails(tmp_path: Path, params: Path, capsys) -> str:
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    for name in ("_toc.yml", "_config.yml"):
        shutil.copy(ROOT / name, project / name)
    for name in ("book", "notebooks"):
        shutil.copytree(ROOT / name, project / name, dirs_exist_ok=True)
    status = cli.main(["build", "--params", str(params), "--root", str(project), "--quiet"])
    captured = capsys.readouterr()
    assert status == 2, captured.err
    assert "Traceback" not in captured.err and captured.err.startswith("오류 / error: ")
    assert not (project / "_build" / "html").exists()
    return captured.err


def test_build_format_constraint_excluding_a_present_file(tmp_path, capsys):
    extract = mixed_extract(tmp_path / "mixed")
    err = build_fails(tmp_path, study_file(tmp_path, extract, extract_format="csv"), capsys)
    assert (
        f"{extract / '성과.xlsx'}: 형식 제한 extract_format(명령에서는 --format)이 'csv'여서 이 xlsx 파일을 읽지 않습니다"
        in err
    )
    assert "파일이 없습니다" not in err


def test_build_two_files_for_one_table(tmp_path, capsys):
    extract = write_extract(tmp_path / "two", tiny_frames())
    shutil.copy(extract / "participants.csv", extract / "참여자.csv")
    err = build_fails(tmp_path, study_file(tmp_path, extract), capsys)
    assert "표 '참여자'(participants)의 파일이 2개입니다(participants.csv, 참여자.csv). 하나만 남기십시오" in err


@pytest.mark.parametrize("value", ["2022-05", "2022-", "2022"])
def test_build_partial_date(tmp_path, capsys, value):
    frames = tiny_frames()
    frames["participants"].loc[2, "참여일"] = value
    extract = write_extract(tmp_path / "dates", frames, encoding="cp949")
    err = build_fails(tmp_path, study_file(tmp_path, extract), capsys)
    assert (
        f"participants.csv, 열 '참여일': 날짜 형식이 아닙니다(YYYY-MM-DD, 예: 2023-05-01) / "
        f"not a date (YYYY-MM-DD, e.g. 2023-05-01)\n      행(row): 4행={value!r}"
    ) in err
    assert "분석 기간" not in err


def test_build_huge_count(tmp_path, capsys):
    frames = tiny_frames()
    frames["participants"].loc[1, "누적참여개월"] = "1e20"
    extract = write_extract(tmp_path / "huge", frames, fmt="xlsx")
    err = build_fails(tmp_path, study_file(tmp_path, extract), capsys)
    assert (
        "participants.xlsx, 열 '누적참여개월': 600보다 큰 값이 있습니다 / values above 600\n"
        "      행(row): 3행='100000000000000000000'"
    ) in err


def test_build_blank_speaker(tmp_path, capsys):
    extract = write_extract(tmp_path / "ok", tiny_frames())
    qual = blank_speaker_copy(tmp_path)
    err = build_fails(tmp_path, study_file(tmp_path, extract, qual_path=str(qual)), capsys)
    assert (
        f"{qual / 'segments.csv'} 5행, 열 'participant_id': 화자(참여자 ID)가 비어 있습니다 / empty speaker (participant_id)"
        in err
    )


def test_build_focus_year_without_daily_rates(tmp_path, capsys):
    extract = write_extract(tmp_path / "ok", tiny_frames())
    params = study_file(tmp_path, extract, window_end="2023-12", focus_year=2023)
    err = build_fails(tmp_path, params, capsys)
    assert f"{params}: 키 'parameters.daily_rates': 기준연도(focus_year) 2023년의 일 급여가 없습니다" in err
