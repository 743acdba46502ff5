"""Tests of the data contract (``jahwal.inputs.contract``): loaders, rules and validation."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import tiny_frames, write_extract
from jahwal import cli, vocab
from jahwal.errors import Problem
from jahwal.inputs import contract
from jahwal.inputs.contract import TABLES, ContractError

# what the tiny extract (tests/conftest.py) gives after the first-entry rule
EXPECTED_BASE_IDS = ["B1", "B3", "B2", "B4", "B6"]  # sorted by year, person
EXPECTED_PROVINCES = ["서울", "경기", "서울", "전남", "제주"]


def problems_of(folder: Path, **kwargs) -> list[Problem]:
    with pytest.raises(ContractError) as info:
        contract.validate_extract(folder, **kwargs)
    return info.value.problems


def only(problems: list[Problem], column: str, contains: str = "") -> Problem:
    """The single problem on ``column`` (whose Korean message holds ``contains``)."""
    hits = [p for p in problems if p.column == column and contains in p.ko]
    assert len(hits) == 1, [p.format() for p in problems]
    return hits[0]


def snapshot(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


# ---------------------------------------------------------------- loaders
@pytest.mark.parametrize(
    "fmt, encoding",
    [("csv", "utf-8"), ("csv", "utf-8-sig"), ("csv", "cp949"), ("csv", "euc-kr"), ("xlsx", None), ("parquet", None)],
)
def test_each_loader_reads_the_tiny_extract(tiny_extract, fmt, encoding):
    folder = tiny_extract(fmt=fmt, encoding=encoding or "utf-8")
    raw = (folder / f"participants.{fmt}").read_bytes()
    if encoding == "utf-8-sig":
        assert raw.startswith(b"\xef\xbb\xbf")
    if encoding in ("cp949", "euc-kr"):
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    ex = contract.load_extract(folder, fmt=fmt)
    p = ex.participants
    assert p["base_id"].tolist() == EXPECTED_BASE_IDS
    assert p["province"].tolist() == EXPECTED_PROVINCES
    assert p["year"].tolist() == [2021, 2022, 2022, 2022, 2022]
    assert p.loc[p["base_id"] == "B3", "entry_date"].iloc[0] == pd.Timestamp("2022-03-02")
    assert p["capability_score"].isna().tolist() == [False, True, False, False, False]
    assert pd.api.types.is_datetime64_any_dtype(ex.counselling["date"])
    assert ex.counselling["kind"].value_counts().to_dict() == {"개별상담": 4, "전화상담": 2, "집단상담": 1}
    assert ex.outcomes["incentive"].sum() == pytest.approx(1_550_000.5)
    assert ex.outcomes["wage"].tolist() == [10_200_000, 13_500_000, 4_100_000]
    assert ex.stages["iap_status"].tolist() == ["수립", "수립", "미수립", "시스템 미입력", "미수립"]
    assert ex.stages["closure_date"].notna().sum() == 2
    assert ex.years == [2021, 2022]


def test_validate_reports_row_counts(tiny_extract):
    report = contract.validate_extract(tiny_extract())
    assert report["rows"] == {"participants": 6, "stages": 5, "counselling": 7, "outcomes": 3}
    assert Path(report["files"]["counselling"]).name == "counselling.csv"


def test_decode_bytes_detects_korean_encodings():
    text = "가명ID,시도\np1,서울특별시\n"
    for enc in ("utf-8", "utf-8-sig", "cp949", "euc-kr"):
        assert contract.decode_bytes(text.encode(enc)) == text
    # a CP949-only syllable (not in EUC-KR's KS X 1001 set)
    assert contract.decode_bytes("똠방,뷁".encode("cp949")) == "똠방,뷁"


def test_korean_file_names_and_mixed_formats(tiny_extract, tmp_path):
    folder = tiny_extract(stems="ko")
    assert (folder / "참여자.csv").exists() and (folder / "상담기록.csv").exists()
    assert contract.load_extract(folder).participants["base_id"].tolist() == EXPECTED_BASE_IDS
    # one table per file in whatever format (no --format given)
    mixed = tmp_path / "mixed"
    frames = tiny_frames()
    write_extract(mixed, {"participants": frames["participants"]}, fmt="parquet")
    write_extract(mixed, {"stages": frames["stages"]}, fmt="xlsx")
    write_extract(mixed, {k: frames[k] for k in ("counselling", "outcomes")}, fmt="csv", encoding="cp949")
    assert contract.validate_extract(mixed)["rows"]["counselling"] == 7


@pytest.mark.parametrize("headers", ["ko", "en"])
def test_korean_and_english_headers_are_both_accepted(tiny_extract, headers):
    folder = tiny_extract(headers=headers, encoding="cp949")
    first = (folder / "stages.csv").read_bytes().decode("cp949").splitlines()[0]
    assert first.startswith("가명ID,연도,초기상담일" if headers == "ko" else "person_id,year,intake_date")
    ex = contract.load_extract(folder)
    assert list(ex.stages.columns) == [c.alias for c in TABLES["stages"].columns]
    assert ex.participants["base_id"].tolist() == EXPECTED_BASE_IDS


def test_headers_mixed_case_spaces_and_languages(tiny_extract):
    def edit(frames):
        frames["counselling"].columns = [" Person_ID ", "상담일", "KIND"]
        frames["outcomes"] = frames["outcomes"].rename(columns={"자립성과금": "incentive"})

    ex = contract.load_extract(tiny_extract(edit=edit))
    assert list(ex.counselling.columns) == ["person_id", "date", "kind"]
    assert ex.outcomes["incentive"].max() == pytest.approx(1_200_000.5)


def test_parquet_with_numeric_ids_matches_csv_ids(tmp_path):
    """A Parquet writer may store numeric IDs as floats (501.0); they equal '501' in CSV."""
    frames = tiny_frames()
    ids = {"p1": "501", "p2": "502", "p3": "503", "p4": "504"}
    for df in frames.values():
        df["가명ID"] = df["가명ID"].map(ids)
    folder = tmp_path / "numeric"
    p = frames["participants"].copy()
    p["가명ID"] = p["가명ID"].astype(float)
    write_extract(folder, {"participants": p}, fmt="parquet")
    assert pd.read_parquet(folder / "participants.parquet")["가명ID"].dtype == float
    write_extract(folder, {k: frames[k] for k in ("stages", "counselling", "outcomes")}, fmt="csv")
    ex = contract.load_extract(folder)
    assert sorted(ex.participants["person_id"].unique()) == ["501", "502", "503", "504"]


def test_xlsx_of_a_real_user_excel_dates_and_float_numbers(tmp_path):
    """Dates as Excel date cells or serial day numbers, counts and years as floats (2022.0, 1.0)."""
    folder = write_extract(tmp_path / "x", tiny_frames(), fmt="xlsx")
    path = folder / "participants.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    # row 2 (B1): a date cell with a time, floats everywhere numbers live
    ws.cell(2, col["참여일"]).value = dt.datetime(2021, 2, 1, 9, 30)
    ws.cell(2, col["연도"]).value = 2021.0
    ws.cell(2, col["누적참여개월"]).value = 11.0
    ws.cell(2, col["자활역량점수"]).value = 48.0
    # row 3 (B2): a date that lost its format (serial 44571 = 2022-01-10), year typed as text
    ws.cell(3, col["참여일"]).value = 44571
    ws.cell(3, col["참여일"]).number_format = "General"
    ws.cell(3, col["연도"]).value = "2022"
    # row 4 (B3): the date as text, written as the contract asks
    ws.cell(4, col["참여일"]).value = "2022-03-02"
    wb.save(path)
    cells = [c.value for c in openpyxl.load_workbook(path).active[2]]
    assert isinstance(cells[col["연도"] - 1], (int, float))
    assert isinstance(cells[col["참여일"] - 1], dt.datetime)

    ex = contract.load_extract(folder, fmt="xlsx")
    p = ex.participants.set_index("base_id")
    assert p.loc["B1", "entry_date"] == pd.Timestamp("2021-02-01")
    assert p.loc["B2", "entry_date"] == pd.Timestamp("2022-01-10")
    assert p.loc["B3", "entry_date"] == pd.Timestamp("2022-03-02")
    assert p.loc["B1", "year"] == 2021 and p.loc["B2", "year"] == 2022
    assert p.loc["B1", "participation_months"] == 11
    assert str(p["year"].dtype) == "Int64"
    assert p.index.tolist() == EXPECTED_BASE_IDS


def test_read_table_turns_whole_floats_into_integers(tmp_path):
    df = pd.DataFrame(
        {"연도": [2022.0, None], "가명ID": [501.0, 502.5], "참여일": pd.to_datetime(["2022-03-01", None])}
    )
    df.to_parquet(tmp_path / "t.parquet")
    out = contract.read_table(tmp_path / "t.parquet")
    assert out["연도"].tolist() == ["2022", None]
    assert out["가명ID"].tolist() == ["501", "502.5"]
    assert out["참여일"].tolist() == ["2022-03-01", None]


# ---------------------------------------------------------------- province codes
def test_province_short_long_and_renamed_forms(tiny_extract):
    forms = ["강원특별자치도", "충청북도", "세종", "전북특별자치도", "부산광역시", "제주도"]

    def edit(frames):
        frames["participants"]["시도"] = forms

    ex = contract.load_extract(tiny_extract(edit=edit))
    by_id = dict(zip(ex.participants["base_id"], ex.participants["province"]))
    assert by_id == {"B1": "강원", "B2": "충북", "B3": "세종", "B4": "전북", "B6": "제주"}
    assert set(vocab.PROVINCES) == set(vocab.CODES["province"])
    assert len(vocab.PROVINCES) == 17


def test_unknown_province(tiny_extract):
    def edit(frames):
        frames["participants"].loc[[1, 4], "시도"] = ["서울시청", "Seoul"]

    folder = tiny_extract(edit=edit)
    p = only(problems_of(folder), "시도")
    assert p.rows == [3, 6] and p.values == ["서울시청", "Seoul"]
    assert "코드 목록에 없는 값" in p.ko and "unknown code" in p.en
    assert "서울" in p.ko and "정식 명칭도 허용" in p.ko


# ---------------------------------------------------------------- validation failures
def check_message(folder: Path, file: str, column: str, ko: str, en: str, rows: list[int], values: list[str], **kw):
    """Validate, then check that the problem is reported once and fully in the message."""
    with pytest.raises(ContractError) as info:
        contract.validate_extract(folder, **kw)
    err = info.value
    p = only(err.problems, column, ko)
    assert Path(p.file).name == file
    assert p.rows == rows and p.values == values
    assert en in p.en
    lines = str(err).splitlines()
    head = [i for i, ln in enumerate(lines) if f"{file}, 열 '{column}': {p.ko} / {p.en}" in ln]
    assert len(head) == 1, str(err)  # reported once, in Korean and English, with file and column
    if rows:
        detail = lines[head[0] + 1]
        assert detail.strip().startswith("행(row):")
        for r, v in zip(rows, values):
            assert (f"{r}행={v!r}" if v is not None else f"{r}행") in detail
    return err


def test_missing_column(tiny_extract):
    def edit(frames):
        frames["stages"] = frames["stages"].drop(columns=["IAP수립"])

    err = check_message(
        tiny_extract(edit=edit), "stages.csv", "IAP수립", "필수 열이 없습니다", "required column missing", [], []
    )
    assert "iap_status" in str(err)
    assert len(err.problems) == 1


def test_missing_column_does_not_hide_other_problems(tiny_extract):
    def edit(frames):
        frames["stages"] = frames["stages"].drop(columns=["ISP수립"])
        frames["stages"].loc[1, "연도"] = "2021"  # now p2/2021 twice

    probs = problems_of(tiny_extract(edit=edit))
    assert {p.column for p in probs} == {"ISP수립", "가명ID, 연도"}
    dup = only(probs, "가명ID, 연도", "키가 중복")
    assert dup.rows == [2, 3] and dup.values == ["p2/2021", "p2/2021"]


@pytest.mark.parametrize(
    "table, column, value, ko, en",
    [
        ("participants", "연도", "이천이십이", "정수가 아닌 값", "not integers"),
        ("participants", "출생연도", "1975.5", "정수가 아닌 값", "not integers"),
        ("outcomes", "자활급여", "만원", "숫자가 아닌 값", "not numbers"),
        ("counselling", "상담일", "2022-13-45", "날짜 형식이 아닙니다", "not a date"),
    ],
)
def test_wrong_types(tiny_extract, table, column, value, ko, en):
    def edit(frames):
        frames[table].loc[1, column] = value

    check_message(tiny_extract(edit=edit), f"{table}.csv", column, ko, en, [3], [value])


def test_unknown_codes(tiny_extract):
    def edit(frames):
        frames["stages"].loc[[0, 2], "IAP수립"] = ["완료", "미입력"]
        frames["counselling"].loc[6, "상담유형"] = "방문상담"
        frames["outcomes"].loc[0, "사업단유형"] = "시장형"

    folder = tiny_extract(edit=edit)
    check_message(folder, "stages.csv", "IAP수립", "코드 목록에 없는 값", "unknown code", [2, 4], ["완료", "미입력"])
    check_message(folder, "counselling.csv", "상담유형", "코드 목록에 없는 값", "unknown code", [8], ["방문상담"])
    check_message(folder, "outcomes.csv", "사업단유형", "코드 목록에 없는 값", "unknown code", [2], ["시장형"])


def test_negative_amounts(tiny_extract):
    def edit(frames):
        frames["outcomes"].loc[0, "자립성과금"] = "-350000"
        frames["outcomes"].loc[2, "자활급여"] = "-1"

    folder = tiny_extract(edit=edit)
    check_message(folder, "outcomes.csv", "자립성과금", "음수 금액", "negative amounts", [2], ["-350000"])
    check_message(folder, "outcomes.csv", "자활급여", "음수 금액", "negative amounts", [4], ["-1"])


def test_values_out_of_range(tiny_extract):
    def edit(frames):
        frames["participants"].loc[2, "자활역량점수"] = "130"

    check_message(
        tiny_extract(edit=edit), "participants.csv", "자활역량점수", "100보다 큰 값", "above 100", [4], ["130"]
    )


def test_duplicate_keys(tiny_extract):
    def edit(frames):
        frames["participants"].loc[4, "기본ID"] = "B3"
        frames["outcomes"].loc[2, ["가명ID", "연도"]] = ["p2", "2022"]

    folder = tiny_extract(edit=edit)
    check_message(folder, "participants.csv", "기본ID", "키가 중복됩니다", "duplicate keys", [4, 6], ["B3", "B3"])
    check_message(
        folder, "outcomes.csv", "가명ID, 연도", "키가 중복됩니다", "duplicate keys", [3, 4], ["p2/2022", "p2/2022"]
    )


def test_dates_outside_the_window(tiny_extract):
    def edit(frames):
        frames["stages"].loc[0, "초기상담일"] = "2018-12-31"
        frames["counselling"].loc[3, "상담일"] = "2023-01-01"

    folder = tiny_extract(edit=edit)
    check_message(
        folder,
        "stages.csv",
        "초기상담일",
        "분석 기간(2019-01~2022-12) 밖의 날짜",
        "outside the window",
        [2],
        ["2018-12-31"],
    )
    check_message(
        folder, "counselling.csv", "상담일", "밖의 날짜", "outside the window 2019-01..2022-12", [5], ["2023-01-01"]
    )


def test_counselling_of_unknown_persons(tiny_extract):
    def edit(frames):
        frames["counselling"].loc[[2, 5], "가명ID"] = ["p9", "p1 "]  # a trailing space is not a new person

    check_message(
        tiny_extract(edit=edit),
        "counselling.csv",
        "가명ID",
        "상담 기록의 가명ID가 참여자 표에 없습니다",
        "unknown persons",
        [4],
        ["p9"],
    )


def test_empty_required_values(tiny_extract):
    def edit(frames):
        frames["stages"].loc[3, "초기상담일"] = None

    check_message(tiny_extract(edit=edit), "stages.csv", "초기상담일", "빈 값이 있습니다", "empty values", [5], [None])


@pytest.mark.parametrize(
    "content", [b"", "\ufeff".encode("utf-8"), "가명ID,상담일,상담유형\n".encode("cp949"), b"\n\n"]
)
def test_empty_file(tiny_extract, content):
    folder = tiny_extract()
    (folder / "counselling.csv").write_bytes(content)
    probs = problems_of(folder)
    assert len(probs) == 1
    p = probs[0]
    assert Path(p.file).name == "counselling.csv"
    assert p.ko == "파일이 비어 있습니다" and p.en == "the file is empty"


def test_empty_xlsx_and_parquet(tiny_extract):
    folder = tiny_extract(fmt="xlsx")
    pd.DataFrame(columns=["가명ID", "연도"]).to_excel(folder / "outcomes.xlsx", index=False)
    assert [p.ko for p in problems_of(folder)] == ["파일이 비어 있습니다"]
    folder = tiny_extract(fmt="parquet")
    pd.DataFrame({"가명ID": pd.Series([], dtype=str)}).to_parquet(folder / "stages.parquet")
    assert [(Path(p.file).name, p.en) for p in problems_of(folder)] == [("stages.parquet", "the file is empty")]


def test_missing_table_file_and_folder(tiny_extract, tmp_path):
    folder = tiny_extract()
    (folder / "outcomes.csv").unlink()
    p = only(problems_of(folder), "")
    assert "'성과'(outcomes) 파일이 없습니다" in p.ko and "not found" in p.en
    assert problems_of(tmp_path / "nowhere")[0].en == "extract folder not found"
    # --format restricts the files looked at
    folder = tiny_extract()
    assert len(problems_of(folder, fmt="parquet")) == 4


def test_unreadable_file_is_reported_with_the_other_problems(tiny_extract):
    def edit(frames):
        frames["counselling"].loc[0, "상담유형"] = "방문"

    folder = tiny_extract(fmt="xlsx", edit=edit)
    (folder / "outcomes.xlsx").write_bytes(b"not a workbook")
    probs = problems_of(folder)
    assert len(probs) == 2
    assert Path(probs[0].file).name == "outcomes.xlsx" and "파일을 읽을 수 없습니다" in probs[0].ko
    assert only(probs, "상담유형").values == ["방문"]


def test_column_given_twice(tiny_extract):
    def edit(frames):
        frames["counselling"]["kind"] = frames["counselling"]["상담유형"]

    p = only(problems_of(tiny_extract(edit=edit)), "상담유형")
    assert "같은 열이 두 번" in p.ko and "상담유형, kind" in p.ko


def test_at_most_five_rows_with_a_count_of_the_rest(tiny_extract):
    def edit(frames):
        frames["counselling"]["상담일"] = "2018-06-01"

    err = check_message(
        tiny_extract(edit=edit),
        "counselling.csv",
        "상담일",
        "밖의 날짜",
        "outside the window",
        [2, 3, 4, 5, 6],
        ["2018-06-01"] * 5,
    )
    assert only(err.problems, "상담일").n == 7
    assert "외 2건 / and 2 more" in str(err)


def test_row_numbers_are_the_lines_a_user_sees(tiny_extract):
    """Blank lines in a CSV do not shift the row numbers in the messages."""
    folder = tiny_extract()
    lines = (folder / "counselling.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("개별상담", "방문상담")  # file line 4
    lines.insert(2, "")  # a blank line 3: the bad row moves to line 5
    (folder / "counselling.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = only(problems_of(folder), "상담유형")
    assert p.rows == [5] and p.values == ["방문상담"]


def test_every_problem_once_in_one_report(tiny_extract):
    def edit(frames):
        frames["participants"].loc[2, "시도"] = "서울시청"
        frames["participants"].loc[3, "연도"] = "이천"
        frames["stages"] = frames["stages"].drop(columns=["ISP수립"])
        frames["counselling"].loc[4, "가명ID"] = "zz"
        frames["counselling"].loc[0, "상담일"] = "2018-01-01"
        frames["outcomes"].loc[1, "자립성과금"] = "-5"

    with pytest.raises(ContractError) as info:
        contract.load_extract(tiny_extract(edit=edit))
    err = info.value
    assert err.exit_code == 2
    keys = [(Path(p.file).name, p.column, p.en) for p in err.problems]
    assert len(keys) == len(set(keys)) == 6
    assert "문제 6건" in str(err) and "6 problem(s)" in str(err)
    for ko in (
        "코드 목록에 없는 값",
        "정수가 아닌 값",
        "필수 열이 없습니다",
        "참여자 표에 없습니다",
        "밖의 날짜",
        "음수 금액",
    ):
        assert str(err).count(ko) == 1, ko


# ---------------------------------------------------------------- rules: first entry and window
def test_first_entry_per_person_and_year(tiny_extract):
    ex = contract.load_extract(tiny_extract())
    p1 = ex.participants[ex.participants["person_id"] == "p1"]
    assert p1["base_id"].tolist() == ["B3"]
    assert p1["entry_date"].iloc[0] == pd.Timestamp("2022-03-02")
    assert ex.dropped_duplicates == 1
    # p2 takes part in two years: one record each
    assert ex.participants.groupby("person_id").size().to_dict() == {"p1": 1, "p2": 2, "p3": 1, "p4": 1}


def test_first_entry_ties_go_to_the_smaller_base_id():
    df = pd.DataFrame(
        {
            "base_id": ["B10", "B9", "7", "12", "C1"],
            "person_id": ["p", "p", "q", "q", "r"],
            "year": [2022, 2022, 2021, 2021, 2021],
            "entry_date": pd.to_datetime(["2022-05-01", "2022-05-01", "2021-01-01", "2021-01-01", "2021-01-01"]),
        }
    )
    out = contract.first_entry_per_year(df)
    assert out["base_id"].tolist() == ["7", "C1", "B9"]
    assert list(out.columns) == ["base_id", "person_id", "year", "entry_date"]
    with pytest.raises(ValueError, match="entry_date"):
        contract.first_entry_per_year(df.drop(columns="entry_date"))


def test_later_entry_with_smaller_id_loses(tiny_extract):
    def edit(frames):
        frames["participants"].loc[4, "기본ID"] = "B0"  # p1's June entry gets the smallest ID

    ex = contract.load_extract(tiny_extract(edit=edit))
    assert ex.participants.loc[ex.participants["person_id"] == "p1", "base_id"].tolist() == ["B3"]


def test_window_from_the_parameters(tiny_extract):
    folder = tiny_extract()
    # the 2021 records fall outside a 2022-only window: reported, not silently dropped
    probs = problems_of(folder, window=("2022-01", "2022-12"))
    p = only(probs, "참여일")
    assert p.rows == [2] and p.values == ["2021-02-01"]
    assert "분석 기간(2022-01~2022-12) 밖의 날짜" in p.ko
    assert {pr.column for pr in probs} == {"참여일", "초기상담일", "사정일", "상담일"}
    # the last month counts whole: 2022-12-20 is inside a window ending 2022-12
    ex = contract.load_extract(folder, window=("2021-01", "2022-12"))
    assert ex.window == ("2021-01", "2022-12") and ex.years == [2021, 2022]
    probs = problems_of(folder, window=("2021-01", "2022-11"))
    assert only(probs, "상담일").values == ["2022-12-20", "2022-12-05"]


def test_load_keeps_only_years_of_the_window(tiny_extract):
    """Year columns outside the window (dates inside) are left out of the loaded tables."""

    def edit(frames):
        frames["outcomes"].loc[0, "연도"] = "2018"

    ex = contract.load_extract(tiny_extract(edit=edit))
    assert ex.outcomes["year"].tolist() == [2022, 2022]


@pytest.mark.parametrize(
    "window", [("2019-1", "2022-12"), ("2019-01", "2022-13"), ("2023-01", "2022-12"), ("2019-01",)]
)
def test_malformed_window(tiny_extract, window):
    with pytest.raises(ValueError, match="분석 기간"):
        contract.load_extract(tiny_extract(), window=window)


# ---------------------------------------------------------------- the command
def test_cli_validate_passes(tiny_extract, capsys):
    folder = tiny_extract(fmt="parquet")
    assert cli.main(["validate", str(folder), "--format", "parquet"]) == 0
    out = capsys.readouterr().out
    assert "검증 통과 / valid" in out and "counselling: 7행" in out


def test_cli_validate_fails_with_status_and_writes_nothing(tiny_extract, capsys, monkeypatch):
    def edit(frames):
        frames["outcomes"].loc[1, "자활급여"] = "-13500000"
        frames["counselling"].loc[5, "가명ID"] = "p404"

    folder = tiny_extract(edit=edit, encoding="cp949")
    work = folder.parent
    monkeypatch.chdir(work)
    before = snapshot(work)
    status = cli.main(["validate", str(folder)])
    captured = capsys.readouterr()
    assert status == ContractError.exit_code == 2
    assert captured.out == ""
    err = captured.err
    assert err.startswith("오류 / error: 추출 자료가 자료 명세에 맞지 않습니다: 문제 2건")
    assert "outcomes.csv, 열 '자활급여': 음수 금액이 있습니다 / negative amounts" in err
    assert "3행='-13500000'" in err
    assert "counselling.csv, 열 '가명ID'" in err and "7행='p404'" in err
    assert snapshot(work) == before


def test_cli_validate_window_and_bad_window(tiny_extract, capsys):
    folder = tiny_extract()
    assert cli.main(["validate", str(folder), "--start", "2022-01", "--end", "2022-12"]) == 2
    assert "분석 기간(2022-01~2022-12) 밖의 날짜" in capsys.readouterr().err
    assert cli.main(["validate", str(folder), "--start", "2022-12", "--end", "2019-01"]) == 2
    assert "분석 기간의 시작(2022-12)이 끝(2019-01)보다 늦습니다" in capsys.readouterr().err


def test_load_extract_writes_nothing_on_failure(tiny_extract):
    def edit(frames):
        frames["stages"].loc[0, "ISP수립"] = "?"

    folder = tiny_extract(fmt="xlsx", edit=edit)
    before = snapshot(folder.parent)
    with pytest.raises(ContractError):
        contract.load_extract(folder)
    assert snapshot(folder.parent) == before


# ---------------------------------------------------------------- documentation from the schema
def test_schema_table_covers_every_column():
    df = contract.schema_table()
    assert len(df) == sum(len(t.columns) for t in TABLES.values()) == 35
    assert list(df.columns) == ["표", "열 이름", "영문 별칭", "형식", "필수", "키", "허용 값", "설명"]
    assert df["영문 별칭"].duplicated().sum() == df["열 이름"].duplicated().sum()  # same shared columns
    row = df[(df["표"] == "성과 (outcomes)") & (df["영문 별칭"] == "incentive")].iloc[0]
    assert (row["열 이름"], row["형식"], row["허용 값"], row["필수"]) == ("자립성과금", "숫자", "0 이상", "예")
    row = df[(df["표"] == "단계기록 (stages)") & (df["영문 별칭"] == "iap_status")].iloc[0]
    assert row["허용 값"] == "IAP 수립 상태 코드 목록"
    assert df.loc[df["키"] == "예", "열 이름"].tolist() == ["기본ID", "가명ID", "연도", "가명ID", "연도"]


def test_tables_overview_and_code_lists():
    ov = contract.tables_overview()
    assert ov["표"].tolist() == ["참여자 기본정보", "사례관리 단계 기록", "상담 기록", "자활근로 성과(연간)"]
    assert ov["열 수"].tolist() == [18, 9, 3, 5]
    assert "participants.csv / 참여자.csv" in ov.loc[0, "파일 이름"]
    codes = contract.code_lists().set_index("영문 이름")
    assert len(codes) == len(vocab.CODES)
    assert codes.loc["iap_status", "허용 값"] == "수립, 미수립, 시스템 미입력"
    assert codes.loc["isp_status", "허용 값"] == "수립, 시스템 미입력"
    assert "서울(서울특별시)" in codes.loc["province", "허용 값"]
    assert re.search(r"제주\(제주특별자치도\)$", codes.loc["province", "허용 값"])


def test_schema_table_of_one_table_and_code_list_users():
    stages = contract.schema_table("stages")
    assert "표" not in stages.columns
    assert stages["열 이름"].tolist() == [c.name for c in TABLES["stages"].columns]
    with pytest.raises(ValueError, match="알 수 없는 표"):
        contract.schema_table("persons")
    used = contract.code_lists().set_index("영문 이름")["쓰는 열"]
    assert used["health"] == "참여자.신체건강, 참여자.심리건강"
    assert used["yes_no"] == "참여자.정신질환, 참여자.심리적어려움, 단계기록.종결후상담"


def test_validate_tables_accepts_frames_not_from_read_table():
    """Frames built in memory (numbers, NaN, padded text) are cleaned the same way."""
    frames = {}
    for alias, df in tiny_frames("en").items():
        frames[alias] = df
    frames["outcomes"] = frames["outcomes"].assign(
        year=[2021, 2022, 2022], wage=[10_200_000.0, float("nan"), 4_100_000]
    )
    frames["counselling"] = frames["counselling"].assign(kind=lambda d: " " + d["kind"] + " ")
    typed, problems = contract.validate_tables(frames, {a: f"{a}.mem" for a in frames}, ("2019-01", "2022-12"))
    assert [(p.file, p.column, p.ko, p.rows) for p in problems] == [
        ("outcomes.mem", "자활급여", "빈 값이 있습니다", [3])
    ]
    assert typed["counselling"]["kind"].iloc[0] == "개별상담"
    assert typed["outcomes"]["year"].tolist() == [2021, 2022, 2022]


def test_optional_column_entirely_empty(tiny_extract):
    def edit(frames):
        frames["stages"]["종결후상담"] = None
        frames["stages"]["종결일"] = ""

    ex = contract.load_extract(tiny_extract(edit=edit, fmt="xlsx"))
    assert ex.stages["post_closure_counselling"].isna().all() and ex.stages["closure_date"].isna().all()
