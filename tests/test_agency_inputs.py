"""Extracts as an agency delivers them: formats per file, two files for one table,
strict dates and huge counts. Each bad input gives one exact Korean and English
message naming the file, column, row and value, and the command exits non-zero
without a traceback.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from conftest import tiny_frames, write_extract
from jahwal import cli
from jahwal.inputs import contract
from jahwal.inputs.contract import ContractError


def problem_text(folder: Path, **kwargs) -> tuple[ContractError, str]:
    with pytest.raises(ContractError) as info:
        contract.validate_extract(folder, **kwargs)
    return info.value, str(info.value)


def mixed_extract(folder: Path) -> Path:
    """The tiny extract with three CP949 CSV files and the outcomes as a workbook (Korean names)."""
    frames = tiny_frames()
    write_extract(
        folder,
        {k: frames[k] for k in ("participants", "stages", "counselling")},
        fmt="csv",
        encoding="cp949",
        stems="ko",
    )
    write_extract(folder, {"outcomes": frames["outcomes"]}, fmt="xlsx", stems="ko")
    return folder


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    status = cli.main(argv)
    out = capsys.readouterr()
    return status, out.out, out.err


# ---------------------------------------------------------------- 1. format per file
def test_each_table_file_in_its_own_format(tmp_path):
    folder = mixed_extract(tmp_path / "mixed")
    report = contract.validate_extract(folder)
    assert {a: Path(f).name for a, f in report["files"].items()} == {
        "participants": "참여자.csv",
        "stages": "단계기록.csv",
        "counselling": "상담기록.csv",
        "outcomes": "성과.xlsx",
    }
    assert report["rows"] == {"participants": 6, "stages": 5, "counselling": 7, "outcomes": 3}
    ex = contract.load_extract(folder)
    assert ex.outcomes["wage"].tolist() == [10_200_000, 13_500_000, 4_100_000]


def test_format_constraint_that_excludes_a_present_file_says_so(tmp_path):
    folder = mixed_extract(tmp_path / "mixed")
    err, text = problem_text(folder, fmt="csv")
    assert len(err.problems) == 1  # not also "the outcomes file is missing"
    path = folder / "성과.xlsx"
    assert text.splitlines()[1] == (
        f"  - {path}: 형식 제한 extract_format(명령에서는 --format)이 'csv'여서 이 xlsx 파일을 읽지 않습니다. "
        "extract_format을 지우거나(파일마다 형식을 알아냄) 'xlsx'로 바꾸십시오 / "
        "the format constraint extract_format (--format) is 'csv', which excludes this xlsx file; "
        "remove extract_format (each file's format is detected) or set it to 'xlsx'"
    )
    # the constraint, when it fits every file, is kept
    assert contract.validate_extract(write_extract(tmp_path / "x", tiny_frames(), fmt="xlsx"), fmt="xlsx")


def test_upper_case_extensions_are_read(tmp_path):
    folder = write_extract(tmp_path / "up", tiny_frames(), fmt="csv")
    (folder / "outcomes.csv").rename(folder / "OUTCOMES.CSV")
    assert contract.validate_extract(folder)["rows"]["outcomes"] == 3


def test_missing_table_names_the_accepted_file_names(tmp_path):
    frames = tiny_frames()
    folder = write_extract(tmp_path / "m", {k: frames[k] for k in ("participants", "stages", "counselling")})
    (folder / "outcomes.txt").write_text("not a table", encoding="utf-8")
    _, text = problem_text(folder)
    assert (
        "  - outcomes.*: 표 '성과'(outcomes) 파일이 없습니다(파일 이름: outcomes 또는 성과, 확장자: .csv, .xlsx, .parquet) / "
        "table file 'outcomes' not found (name: outcomes or 성과, extension: .csv, .xlsx or .parquet)"
        in text.splitlines()
    )


def test_cli_validate_and_format_constraint(tmp_path, capsys):
    folder = mixed_extract(tmp_path / "mixed")
    status, out, err = run_cli(["validate", str(folder)], capsys)
    assert status == 0 and "outcomes: 3행" in out
    status, out, err = run_cli(["validate", str(folder), "--format", "csv"], capsys)
    assert status == 2 and out == ""
    assert "성과.xlsx: 형식 제한 extract_format(명령에서는 --format)이 'csv'" in err and "Traceback" not in err


# ---------------------------------------------------------------- 3. two files for one table
@pytest.mark.parametrize("second", ["참여자.csv", "participants.xlsx"])
def test_two_files_for_one_table_are_refused_naming_both(tmp_path, second):
    folder = write_extract(tmp_path / "two", tiny_frames(), fmt="csv")
    if second.endswith(".csv"):
        (folder / second).write_bytes((folder / "participants.csv").read_bytes())
    else:
        write_extract(tmp_path / "x", {"participants": tiny_frames()["participants"]}, fmt="xlsx")
        (tmp_path / "x" / "participants.xlsx").rename(folder / second)
    err, text = problem_text(folder)
    assert len(err.problems) == 1
    names = ", ".join(sorted(["participants.csv", second]))
    assert text.splitlines()[1] == (
        f"  - {folder}: 표 '참여자'(participants)의 파일이 2개입니다({names}). 하나만 남기십시오 / "
        f"2 files for table 'participants' ({names}); keep only one"
    )


def test_cli_two_files(tmp_path, capsys):
    folder = write_extract(tmp_path / "two", tiny_frames(), fmt="csv")
    (folder / "성과.csv").write_bytes((folder / "outcomes.csv").read_bytes())
    status, out, err = run_cli(["validate", str(folder)], capsys)
    assert status == 2 and "Traceback" not in err
    assert "표 '성과'(outcomes)의 파일이 2개입니다(outcomes.csv, 성과.csv)" in err


# ---------------------------------------------------------------- 4. dates strictly YYYY-MM-DD
DATE_KO = "날짜 형식이 아닙니다(YYYY-MM-DD, 예: 2023-05-01)"
DATE_EN = "not a date (YYYY-MM-DD, e.g. 2023-05-01)"


def test_partial_dates_are_malformed_not_first_of_month_or_outside_the_window(tiny_extract):
    bad = {0: "2022-05", 1: "2022-", 2: "2022", 3: "2022.05.09", 4: "20221220", 5: "2022-02-30"}

    def edit(frames):
        for i, v in bad.items():
            frames["counselling"].loc[i, "상담일"] = v

    folder = tiny_extract(edit=edit)
    err, text = problem_text(folder)
    assert len(err.problems) == 1  # nothing reported as outside the window
    lines = text.splitlines()
    assert lines[1] == f"  - {folder / 'counselling.csv'}, 열 '상담일': {DATE_KO} / {DATE_EN}"
    assert lines[2] == (
        "      행(row): 2행='2022-05', 3행='2022-', 4행='2022', 5행='2022.05.09', 6행='20221220' 외 1건 / and 1 more"
    )
    assert err.problems[0].n == 6


def test_excel_serial_dates_only_in_workbooks(tmp_path):
    frames = tiny_frames()
    frames["counselling"].loc[0, "상담일"] = "44259"  # 2021-03-04
    csv = write_extract(tmp_path / "csv", frames, fmt="csv")
    err, text = problem_text(csv)
    assert f"  - {csv / 'counselling.csv'}, 열 '상담일': {DATE_KO} / {DATE_EN}" in text.splitlines()
    assert "2행='44259'" in text
    # in a workbook the same number (a cell that lost its date format) is a date; a bare year is not
    xlsx = write_extract(tmp_path / "xlsx", tiny_frames(), fmt="xlsx")
    path = xlsx / "counselling.xlsx"
    wb = openpyxl.load_workbook(path)
    wb.active.cell(2, 2).value = 44259
    wb.active.cell(3, 2).value = 44606.5  # 2022-02-14, noon
    wb.save(path)
    ex = contract.load_extract(xlsx)
    assert ex.counselling["date"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2021-03-04", "2022-02-14"]
    wb.active.cell(2, 2).value = 2022
    wb.save(path)
    err, text = problem_text(xlsx)
    assert text.splitlines()[1:] == [
        f"  - {path}, 열 '상담일': 날짜 형식이 아닙니다(YYYY-MM-DD, 예: 2023-05-01; 엑셀 날짜 셀과 다섯 자리 날짜 일련번호도 허용) / "
        "not a date (YYYY-MM-DD, e.g. 2023-05-01; Excel date cells and five-digit serial day numbers also accepted)",
        "      행(row): 2행='2022'",
    ]


def test_cli_partial_date(tiny_extract, capsys):
    def edit(frames):
        frames["stages"].loc[2, "초기상담일"] = "2022-03"

    folder = tiny_extract(edit=edit, encoding="cp949")
    status, out, err = run_cli(["validate", str(folder)], capsys)
    assert status == 2 and "Traceback" not in err
    assert f"stages.csv, 열 '초기상담일': {DATE_KO} / {DATE_EN}" in err and "4행='2022-03'" in err


# ---------------------------------------------------------------- 5. huge counts
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_huge_integer_in_a_count_column(tmp_path, fmt):
    frames = tiny_frames()
    frames["participants"].loc[3, "누적참여개월"] = "1e20"
    folder = write_extract(tmp_path / fmt, frames, fmt=fmt)
    err, text = problem_text(folder)
    shown = "'1e20'" if fmt == "csv" else "'100000000000000000000'"
    assert text.splitlines()[1:] == [
        f"  - {folder / f'participants.{fmt}'}, 열 '누적참여개월': 600보다 큰 값이 있습니다 / values above 600",
        f"      행(row): 5행={shown}",
    ]
    with pytest.raises(ContractError):
        contract.load_extract(folder)


def test_huge_integer_without_an_upper_bound():
    """A count column with no maximum still reports, and never casts, a value beyond exact integers."""
    table = contract.Table("t", "표", "표", "행", (contract.Column("n", "수", "int", "수"),))
    import pandas as pd

    problems: list[contract.Problem] = []
    out = contract._coerce_table(
        pd.DataFrame({"수": ["3", "99999999999999999999"]}), table, "t.csv", ("2019-01", "2022-12"), problems
    )
    assert [p.format() for p in problems] == [
        "  - t.csv, 열 '수': 정수가 너무 큽니다 / integers too large\n      행(row): 3행='99999999999999999999'"
    ]
    assert out["n"].iloc[0] == 3


def test_cli_huge_integer(tmp_path, capsys):
    frames = tiny_frames()
    frames["participants"].loc[0, "누적참여개월"] = "100000000000000000000"
    folder = write_extract(tmp_path / "h", frames, fmt="csv", encoding="cp949")
    status, out, err = run_cli(["validate", str(folder)], capsys)
    assert status == 2 and "Traceback" not in err and "cannot safely cast" not in err
    assert "participants.csv, 열 '누적참여개월': 600보다 큰 값이 있습니다 / values above 600" in err
    assert "2행='100000000000000000000'" in err


# ---------------------------------------------------------------- 7. blank speaker in the qualitative segments
QUAL = Path(__file__).resolve().parents[1] / "data" / "qualitative"


def blank_speaker_copy(tmp_path: Path) -> Path:
    import shutil

    from jahwal.qual import native

    folder = shutil.copytree(QUAL, tmp_path / "qual")
    path = folder / "segments.csv"
    seg = native.pd.read_csv(path, dtype=str, keep_default_na=False)
    assert seg.loc[3, "participant_id"] != ""
    seg.loc[3, "participant_id"] = ""
    seg.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return folder


def test_blank_speaker_is_an_error_with_file_and_row(tmp_path):
    from jahwal.qual import QualDataError, load_corpus

    folder = blank_speaker_copy(tmp_path)
    with pytest.raises(QualDataError) as info:
        load_corpus(folder, "native")
    assert str(info.value).splitlines()[1:] == [
        f"  - {folder / 'segments.csv'} 5행, 열 'participant_id': 화자(참여자 ID)가 비어 있습니다 / empty speaker (participant_id)"
    ]


def test_cli_qual_summary_refuses_blank_speaker(tmp_path, capsys):
    folder = blank_speaker_copy(tmp_path)
    status = cli.main(["qual", "summary", str(folder)])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    assert "segments.csv 5행, 열 'participant_id': 화자(참여자 ID)가 비어 있습니다" in err


# ---------------------------------------------------------------- 9. infrastructure data that stop before the focus year
YEARLY_WARNING = (
    "인프라 입력 자료(표 Ⅲ-1)의 연도별 값이 2022년까지여서 기준연도 2023년의 값이 없습니다: {f} / "
    "the yearly infrastructure data (table Ⅲ-1) end in 2022, before the focus year 2023: {f}"
)


def shipped_infrastructure():
    from jahwal.inputs import infrastructure

    data = Path(__file__).resolve().parents[1] / "data" / "infrastructure"
    return (
        infrastructure.read_infrastructure(data / "infrastructure.csv"),
        infrastructure.read_infrastructure_by_province(data / "infrastructure_by_province.csv"),
    )


def test_infrastructure_coverage_warnings():
    from jahwal.inputs.infrastructure import coverage_warnings

    yearly, by_province = shipped_infrastructure()
    assert int(yearly["year"].max()) == 2022 and int(by_province["year"].max()) == 2023  # 표 Ⅲ-1, Ⅲ-2 as shipped
    assert coverage_warnings(yearly, by_province, 2022) == []
    assert coverage_warnings(yearly, by_province, 2023, ("y.csv", "p.csv")) == [YEARLY_WARNING.format(f="y.csv")]
    assert coverage_warnings(yearly, by_province, 2024, ("y.csv", "p.csv"))[1] == (
        "시도별 인프라 입력 자료(표 Ⅲ-2)의 기준연도가 2023년이어서 기준연도 2024년의 값이 없습니다: p.csv / "
        "the infrastructure data by province (table Ⅲ-2) are for 2023, before the focus year 2024: p.csv"
    )


def test_infrastructure_note_on_the_page():
    from jahwal.chapters.ch3_infrastructure import coverage_note

    yearly, by_province = shipped_infrastructure()
    assert coverage_note(yearly, by_province, 2022) == (
        "인프라 입력 자료의 연도별 값은 2012–2022년입니다(기준연도 2022년). 시도별 값(표 Ⅲ-2)은 2023년 말 기준입니다."
    )
    assert coverage_note(yearly, by_province, 2023) == (
        "인프라 입력 자료의 연도별 값은 2012–2022년으로, 기준연도 2023년의 값은 아직 없습니다. "
        "표 Ⅲ-1과 그림 Ⅲ-S1의 마지막 해는 2022년입니다. 시도별 값(표 Ⅲ-2)은 2023년 말 기준입니다."
    )


def test_build_prints_the_infrastructure_warning(tmp_path, monkeypatch):
    """The warning reaches the build output (the build is stopped right after validating its inputs)."""
    import shutil

    import yaml

    from jahwal.publish import build as build_module

    root = Path(__file__).resolve().parents[1]
    project = tmp_path / "project"
    for name in ("framework", "infrastructure", "literature", "qualitative", "reference"):
        shutil.copytree(root / "data" / name, project / "data" / name)
    for name in ("book", "notebooks"):
        shutil.copytree(root / name, project / name)
    for name in ("_toc.yml", "_config.yml"):
        shutil.copy(root / name, project / name)
    write_extract(project / "data" / "private" / "tiny", tiny_frames())
    spec = yaml.safe_load((root / "params" / "report-2023.yml").read_text(encoding="utf-8"))
    spec["prepare"] = {"synthetic": None}
    spec["parameters"].update(
        extract_dir="data/private/tiny",
        window_end="2023-12",
        focus_year=2023,
        daily_rates={2023: {"시장진입형": 61000}},
    )
    params = project / "params" / "study.yml"
    params.parent.mkdir()
    params.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")

    class Stop(build_module.BuildError):
        pass

    def stop(ctx, only=None):
        raise Stop("stopped after validation")

    monkeypatch.setattr(build_module, "execute_all", stop)
    lines: list[str] = []
    with pytest.raises(Stop):
        build_module.build(params, root=project, progress=False, echo=lines.append)
    warning = "   경고 / warning: " + YEARLY_WARNING.format(f="data/infrastructure/infrastructure.csv")
    assert lines[:3] == ["1/6 자료 준비 / preparing data", "2/6 입력 자료 검증 / validating inputs", warning]
