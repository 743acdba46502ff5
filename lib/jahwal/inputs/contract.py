"""The data contract of a 자활정보시스템 extract: schema, loaders and validation.

An extract is a folder with four tables, one file each, in CSV (UTF-8, UTF-8 with
BOM, or CP949/EUC-KR, detected automatically), XLSX or Parquet:

=================  ==============  =========================================
file stem          Korean name     one row per
=================  ==============  =========================================
``participants``   ``참여자``        entry record (Base ID) of a person in a year
``stages``         ``단계기록``      person and year: intake, assessment, plans, closure
``counselling``    ``상담기록``      counselling event
``outcomes``       ``성과``          person and year in a 자활근로 사업단: 자립성과금, 자활급여
=================  ==============  =========================================

Each table's format is detected from its file's extension, so one extract may
mix formats; exactly one file per table (two files for one table are refused).
Column headers may be the Korean names or the English aliases. Dates are written
strictly ``YYYY-MM-DD`` (``2023-05`` or ``2023`` are errors, not the first of a
month or year); workbooks may also hold them as date cells or as Excel serial
day numbers, and whole numbers as floats (``2022.0``). The schema in
:data:`TABLES` is the single source of the data-contract appendix of the book.

Validation reports every problem once, with the file, the column and up to
:data:`MAX_ROWS` row numbers and values, in Korean and English, and raises
:class:`ContractError`; nothing is written.

Rules of the 2023 report applied on loading: every date must fall inside the
study window (``window_start``–``window_end``), and a person counts once per
year, with the first entry (earliest entry date, then the smallest Base ID).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from jahwal.errors import JahwalError, Problem, ProblemError
from jahwal.vocab import (  # noqa: F401  (province_official, province_order re-exported)
    CODE_TITLES,
    CODES,
    OUTCOMES,
    PROVINCE_ALIASES,
    PROVINCES,
    province_official,
    province_order,
)


# ---------------------------------------------------------------- schema
@dataclass(frozen=True)
class Column:
    """One column of a contract table."""

    alias: str
    name: str
    dtype: str  # string | int | float | date | code
    description: str
    codes: str | None = None
    nullable: bool = False
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Table:
    """One table of the extract."""

    alias: str
    name: str
    title: str
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    persons_from: str | None = None  # table whose person_id this table must reference

    def column(self, alias: str) -> Column:
        for c in self.columns:
            if c.alias == alias:
                return c
        raise KeyError(alias)

    @property
    def names(self) -> dict[str, str]:
        return {c.name: c.alias for c in self.columns}


_P = "person_id"
TABLES: dict[str, Table] = {
    "participants": Table(
        alias="participants",
        name="참여자",
        title="참여자 기본정보",
        row="한 사람의 한 해 참여 기록(Base ID) 1건",
        key=("base_id",),
        dates=("entry_date",),
        columns=(
            Column("base_id", "기본ID", "string", "참여 기록 번호(Base ID). 추출 자료 안에서 유일"),
            Column(_P, "가명ID", "string", "개인 가명 식별자. 연도와 표를 가로질러 같은 사람을 잇는 열"),
            Column("year", "연도", "int", "참여 연도", min=2000, max=2100),
            Column("entry_date", "참여일", "date", "해당 연도의 자활사업 참여(의뢰) 일자"),
            Column("province", "시도", "code", "지역자활센터 소재 시도(약칭·정식 명칭 모두 허용)", codes="province"),
            Column("sex", "성별", "code", "성별", codes="sex"),
            Column("birth_year", "출생연도", "int", "출생연도", min=1900, max=2100),
            Column("marital_status", "혼인상태", "code", "혼인상태", codes="marital_status", nullable=True),
            Column("household_type", "가구유형", "code", "가구(가족관계) 유형", codes="household_type", nullable=True),
            Column("credit_status", "신용상태", "code", "신용상태", codes="credit_status", nullable=True),
            Column("housing_stability", "주거안정", "code", "주거 안정 상태", codes="housing_stability", nullable=True),
            Column("physical_health", "신체건강", "code", "신체적 건강상태", codes="health", nullable=True),
            Column("psychological_health", "심리건강", "code", "심리적 건강상태", codes="health", nullable=True),
            Column("mental_illness", "정신질환", "code", "정신건강 질환 여부", codes="yes_no", nullable=True),
            Column(
                "psychological_difficulty", "심리적어려움", "code", "심리적 어려움 여부", codes="yes_no", nullable=True
            ),
            Column("recipient_type", "진입시수급유형", "code", "자활 진입 시점의 수급 유형", codes="recipient_type"),
            Column(
                "capability_score", "자활역량점수", "int", "자활역량 평가 점수(0–100)", nullable=True, min=0, max=100
            ),
            Column(
                "participation_months",
                "누적참여개월",
                "int",
                "해당 연도 말까지 자활사업 누적 참여 개월 수",
                min=0,
                max=600,
            ),
        ),
    ),
    "stages": Table(
        alias="stages",
        name="단계기록",
        title="사례관리 단계 기록",
        row="한 사람의 한 해 사례관리 단계 기록 1건",
        key=(_P, "year"),
        dates=("intake_date", "assessment_date", "closure_date"),
        persons_from="participants",
        columns=(
            Column(_P, "가명ID", "string", "개인 가명 식별자"),
            Column("year", "연도", "int", "기록 연도", min=2000, max=2100),
            Column("intake_date", "초기상담일", "date", "접수 및 초기상담(인테이크) 일자"),
            Column("assessment_date", "사정일", "date", "자활 사정지 작성 일자(없으면 사정 미실시)", nullable=True),
            Column("iap_status", "IAP수립", "code", "개인별 자립경로(IAP) 수립 상태", codes="iap_status"),
            Column(
                "iap_monitoring", "IAP수행점검", "code", "실행·점검 단계의 IAP 수행 점검 기록", codes="iap_monitoring"
            ),
            Column("isp_status", "ISP수립", "code", "자활지원계획(ISP) 수립 상태", codes="isp_status"),
            Column("closure_date", "종결일", "date", "사례관리 종결 일자(없으면 미종결)", nullable=True),
            Column(
                "post_closure_counselling",
                "종결후상담",
                "code",
                "종결 후 사후관리 상담 여부(종결자만)",
                codes="yes_no",
                nullable=True,
            ),
        ),
    ),
    "counselling": Table(
        alias="counselling",
        name="상담기록",
        title="상담 기록",
        row="상담 1회",
        key=(),
        dates=("date",),
        persons_from="participants",
        columns=(
            Column(_P, "가명ID", "string", "개인 가명 식별자"),
            Column("date", "상담일", "date", "상담 일자"),
            Column("kind", "상담유형", "code", "상담 유형", codes="counselling_kind"),
        ),
    ),
    "outcomes": Table(
        alias="outcomes",
        name="성과",
        title="자활근로 성과(연간)",
        row="자활근로 사업단에 참여한 한 사람의 한 해 기록 1건",
        key=(_P, "year"),
        persons_from="participants",
        columns=(
            Column(_P, "가명ID", "string", "개인 가명 식별자"),
            Column("year", "연도", "int", "연도", min=2000, max=2100),
            Column("unit_type", "사업단유형", "code", "참여 사업단 유형", codes="unit_type"),
            Column("incentive", OUTCOMES["incentive"], "float", "연간 자립성과금(원)", min=0),
            Column("wage", OUTCOMES["wage"], "float", "연간 자활급여(원)", min=0),
        ),
    ),
}


# ---------------------------------------------------------------- errors
#: rows (with their values) shown per problem; the rest are counted
MAX_ROWS = 5


class ContractError(ProblemError):
    """The extract violates the data contract. Nothing was written."""

    heading_ko = "추출 자료가 자료 명세에 맞지 않습니다"
    heading_en = "the extract violates the data contract"


def _problem(file, column, ko, en, mask: pd.Series | None = None, values: pd.Series | None = None) -> Problem:
    if mask is None:
        return Problem(file, column, ko, en)
    idx = np.flatnonzero(np.asarray(mask))
    # the index holds 0-based data-line numbers (blank lines dropped, labels kept);
    # the header is line 1, so the spreadsheet/CSV row number is label + 2
    labels = mask.index if isinstance(mask, pd.Series) else pd.RangeIndex(len(idx))
    rows = [int(labels[i]) + 2 for i in idx[:MAX_ROWS]]
    vals = []
    if values is not None:
        for i in idx[:MAX_ROWS]:
            v = values.iloc[i]
            vals.append(
                None
                if (v is None or (isinstance(v, float) and np.isnan(v)))
                else (v.item() if hasattr(v, "item") else v)
            )
    else:
        vals = [None] * len(rows)
    return Problem(file, column, ko, en, rows, vals, int(len(idx)))


# ---------------------------------------------------------------- reading
FORMATS = {"csv": (".csv",), "xlsx": (".xlsx",), "parquet": (".parquet", ".pq")}
#: day 0 of Excel serial dates
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def decode_bytes(raw: bytes, file: str = "") -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else CP949/EUC-KR.

    Examples
    --------
    >>> decode_bytes("가명ID".encode("cp949"))
    '가명ID'
    >>> decode_bytes("\\ufeff가명ID".encode("utf-8"))
    '가명ID'
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp949")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise ContractError([Problem(file, "", "문자 인코딩을 알 수 없습니다", "unknown text encoding")])
    return str(best)


def format_of(path: Path) -> str | None:
    """The format of a table file from its extension (any case), or ``None``.

    Examples
    --------
    >>> format_of(Path("성과.XLSX")), format_of(Path("a.pq")), format_of(Path("a.txt"))
    ('xlsx', 'parquet', None)
    """
    suffix = path.suffix.lower()
    for fmt, exts in FORMATS.items():
        if suffix in exts:
            return fmt
    return None


def table_files(folder: Path, table: Table) -> list[Path]:
    """Every file in ``folder`` that holds ``table``, whatever its format.

    A file holds a table when its name, without the extension, is the table's
    English stem or Korean name (case and Unicode normalisation ignored, so
    that names written on macOS match) and its extension is a known format.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("성과.xlsx", "Outcomes.CSV", "outcomes.txt", "participants.csv"):
    ...     _ = (folder / name).write_bytes(b"")
    >>> [p.name for p in table_files(folder, TABLES["outcomes"])]
    ['Outcomes.CSV', '성과.xlsx']
    """
    stems = {unicodedata.normalize("NFC", s).casefold() for s in (table.alias, table.name)}
    out = []
    for p in folder.iterdir():
        if not p.is_file() or p.name.startswith((".", "~$")) or format_of(p) is None:
            continue
        if unicodedata.normalize("NFC", p.stem).casefold() in stems:
            out.append(p)
    return sorted(out, key=lambda p: unicodedata.normalize("NFC", p.name))


def find_table_file(folder: Path, table: Table, fmt: str | None = None) -> Path | None:
    """The one file of ``table`` in ``folder`` (of format ``fmt`` when given), or ``None``."""
    hits = [p for p in table_files(folder, table) if fmt is None or format_of(p) == fmt]
    return hits[0] if len(hits) == 1 else None


def _locate(folder: Path, table: Table, fmt: str | None, problems: list[Problem]) -> Path | None:
    """The file of one table, or ``None`` with the reason added to ``problems``.

    Two files for one table are refused (both named). A file that exists but is
    excluded by the format constraint ``fmt`` is reported as such, naming
    ``extract_format``: the constraint, not the file, is then what to change.
    """
    found = table_files(folder, table)
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        problems.append(
            Problem(
                str(folder),
                "",
                f"표 '{table.name}'({table.alias})의 파일이 {len(found)}개입니다({names}). 하나만 남기십시오",
                f"{len(found)} files for table '{table.alias}' ({names}); keep only one",
            )
        )
        return None
    if not found:
        return None
    path = found[0]
    if fmt is not None and format_of(path) != fmt:
        actual = format_of(path)
        problems.append(
            Problem(
                str(path),
                "",
                f"형식 제한 extract_format(명령에서는 --format)이 '{fmt}'여서 이 {actual} 파일을 읽지 않습니다. "
                f"extract_format을 지우거나(파일마다 형식을 알아냄) '{actual}'로 바꾸십시오",
                f"the format constraint extract_format (--format) is '{fmt}', which excludes this {actual} file; "
                f"remove extract_format (each file's format is detected) or set it to '{actual}'",
            )
        )
        return None
    return path


def _cell_text(v: Any) -> str | None:
    """One spreadsheet/Parquet cell as text: dates as ``YYYY-MM-DD``, 2022.0 as ``2022``."""
    if v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return None
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


#: the first day with a five-digit Excel serial number; an earlier date cell is a typed number (a year)
_FIRST_SERIAL_DAY = pd.Timestamp("1927-05-18")


def _workbook_cell_text(v: Any) -> str | None:
    """A workbook cell as text; a date cell before 1927-05-18 as the number typed into it.

    A date-formatted cell holding ``2023`` shows 1905-07-15: the number typed
    (``'2023'``) is what the user meant, and it is then reported as malformed.

    Examples
    --------
    >>> import datetime as dt
    >>> _workbook_cell_text(dt.datetime(1905, 7, 15)), _workbook_cell_text(dt.datetime(2023, 5, 1, 9, 30))
    ('2023', '2023-05-01')
    """
    if hasattr(v, "strftime") and not isinstance(v, str) and pd.Timestamp(v) < _FIRST_SERIAL_DAY:
        days = (pd.Timestamp(v) - _EXCEL_EPOCH) / pd.Timedelta(days=1)
        return _cell_text(float(days))
    return _cell_text(v)


def read_table(path: Path) -> pd.DataFrame:
    r"""Read one table file as text (types are checked by validation).

    Spreadsheet dates become ``YYYY-MM-DD`` and whole floats (``2022.0``, ``1.0``)
    become integers' text. Fully blank rows are dropped; the index keeps each
    row's 0-based data-line number, so that messages name the row a user sees
    (``index + 2``, the header being row 1).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "t.csv").write_bytes("가명ID,연도\np1,2022\n\np2,2021\n".encode("cp949"))
    >>> df = read_table(folder / "t.csv")
    >>> df.index.tolist(), df["가명ID"].tolist()
    ([0, 2], ['p1', 'p2'])
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = decode_bytes(path.read_bytes(), str(path))
        if not text.strip():
            return pd.DataFrame()
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""], skip_blank_lines=False)
        out = df.astype(object).where(df.notna(), None)
    else:
        if suffix == ".xlsx":
            df = pd.read_excel(path, dtype=object, engine="openpyxl")
        elif suffix in (".parquet", ".pq"):
            df = pd.read_parquet(path)
        else:  # pragma: no cover - guarded by find_table_file
            raise ValueError(f"지원하지 않는 형식 / unsupported format: {path}")
        out = df.astype(object).where(df.notna(), None)
        cell_text = _workbook_cell_text if suffix == ".xlsx" else _cell_text
        for c in out.columns:
            out[c] = out[c].map(cell_text).astype(object)
    out = _clean_text(out, text_only=True)
    if len(out.columns):
        out = out[~out.isna().all(axis=1)]
    out.attrs[_CLEAN] = True
    out.attrs[_FORMAT] = format_of(path)
    return out


_CLEAN = "jahwal_clean_text"
_FORMAT = "jahwal_format"


def _clean_text(df: pd.DataFrame, text_only: bool = False) -> pd.DataFrame:
    """Every cell as stripped text, with empty cells as ``None``.

    ``text_only`` says that the cells already hold only ``str`` or missing values
    (as :func:`read_table` makes them), which skips a slow per-cell conversion.
    """
    out = df.astype(object).copy()
    for c in out.columns:
        col = out[c]
        if not text_only:
            col = col.map(lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
        col = col.str.strip()
        out[c] = col.where(col.notna() & (col != ""), None).astype(object)
    return out


# ---------------------------------------------------------------- validation
class WindowError(JahwalError, ValueError):
    """The study window is malformed (not ``YYYY-MM``, or start after end)."""

    exit_code = 2


def check_window(window: tuple[str, str]) -> tuple[str, str]:
    """Check a study window ``(YYYY-MM, YYYY-MM)`` and return it as a tuple.

    Examples
    --------
    >>> check_window(["2019-01", "2022-12"])
    ('2019-01', '2022-12')
    >>> check_window(("2022-12", "2019-01"))
    Traceback (most recent call last):
    ...
    jahwal.inputs.contract.WindowError: 분석 기간의 시작(2022-12)이 끝(2019-01)보다 늦습니다 / the window starts (2022-12) after it ends (2019-01)
    """
    import re

    if not isinstance(window, (tuple, list)) or len(window) != 2:
        raise WindowError(f"분석 기간은 (시작, 끝) 두 값이어야 합니다 / the window must be (start, end): {window!r}")
    start, end = (str(w).strip() for w in window)
    for w in (start, end):
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", w):
            raise WindowError(f"분석 기간의 형식은 YYYY-MM입니다: {w!r} / the window must be YYYY-MM: {w!r}")
    if start > end:
        raise WindowError(
            f"분석 기간의 시작({start})이 끝({end})보다 늦습니다 / the window starts ({start}) after it ends ({end})"
        )
    return start, end


def _month_bounds(window: tuple[str, str]) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(f"{window[0]}-01")
    end = pd.Timestamp(f"{window[1]}-01") + pd.offsets.MonthEnd(0)
    return start, end


_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
#: an Excel serial day number of five digits (1927-05-18 to 2173), time of day allowed
_EXCEL_SERIAL = r"^\d{5}(\.\d+)?$"


def _parse_dates(text: pd.Series, serial: bool = False) -> pd.Series:
    """Parse date text written strictly as ``YYYY-MM-DD``.

    ``2023-05``, ``2023-`` and a bare ``2023`` are not dates (``NaT``), nor are
    ``2022.03.01``, ``20220301`` or impossible days (``2022-02-30``). With
    ``serial`` (cells of a workbook) a five-digit Excel serial day number is a
    date too (days since 1899-12-30, the time of day dropped), as in a cell
    that lost its date format; date cells of a workbook arrive as
    ``YYYY-MM-DD`` already (:func:`read_table`).

    Examples
    --------
    >>> s = pd.Series(["2022-03-01", "2022-03", "2023", "2022.03.01", "2022-02-30", "44621", "44621.75", None])
    >>> _parse_dates(s).dt.strftime("%Y-%m-%d").tolist()
    ['2022-03-01', nan, nan, nan, nan, nan, nan, nan]
    >>> _parse_dates(s, serial=True).dt.strftime("%Y-%m-%d").tolist()
    ['2022-03-01', nan, nan, nan, nan, '2022-03-01', '2022-03-01', nan]
    """
    s = text.astype(object)  # stripped text or None (see _clean_text)
    iso = s.str.match(_ISO_DATE, na=False).astype(bool)
    out = pd.to_datetime(s.where(iso, None), errors="coerce", format="%Y-%m-%d")
    if serial:
        ser = s.str.match(_EXCEL_SERIAL, na=False).astype(bool) & ~iso
        if ser.any():
            days = np.floor(pd.to_numeric(s[ser], errors="coerce").astype(float))
            out[ser] = _EXCEL_EPOCH + pd.to_timedelta(days, unit="D")
    return out


#: largest whole number a float holds exactly (larger counts cannot be integers here)
_MAX_EXACT_INT = 2**53


def _coerce_table(
    df: pd.DataFrame, table: Table, file: str, window, problems: list[Problem], serial_dates: bool = False
) -> pd.DataFrame:
    """Rename, type and check one table; append problems; return typed frame.

    ``serial_dates`` accepts Excel serial day numbers in date columns (for
    tables read from a workbook).
    """
    rename: dict[Any, str] = {}
    aliases = {c.alias.lower(): c.alias for c in table.columns}
    for col in df.columns:
        key = str(col).strip().lstrip("\ufeff").strip()
        if key in table.names:
            rename[col] = table.names[key]
        elif key.lower() in aliases:
            rename[col] = aliases[key.lower()]
    headers: dict[str, list[str]] = {}
    for col, alias in rename.items():
        headers.setdefault(alias, []).append(str(col))
    twice = [c for c in table.columns if len(headers.get(c.alias, [])) > 1]
    for c in twice:
        problems.append(
            Problem(
                file,
                c.name,
                f"같은 열이 두 번 있습니다({', '.join(headers[c.alias])})",
                f"the column appears more than once ({', '.join(headers[c.alias])})",
            )
        )
    df = df.rename(columns=rename)
    missing = [c for c in table.columns if c.alias not in df.columns]
    for c in missing:
        problems.append(
            Problem(
                file,
                c.name,
                f"필수 열이 없습니다(영문 별칭 '{c.alias}'도 허용)",
                f"required column missing (alias '{c.alias}' also accepted)",
            )
        )
    # the columns present are still checked, so that one run reports everything
    skip = {c.alias for c in missing + twice}
    out = pd.DataFrame(index=df.index)
    start, end = _month_bounds(window)
    for c in table.columns:
        if c.alias in skip:
            continue
        raw = df[c.alias]
        blank = raw.isna()  # text is stripped and "" is None (see _clean_text)
        if not c.nullable and blank.any():
            problems.append(_problem(file, c.name, "빈 값이 있습니다", "empty values in a required column", blank, raw))
        text = raw.where(~blank, None)
        if c.dtype in ("int", "float"):
            num = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
            bad = num.isna() & ~blank
            if c.dtype == "int":
                bad |= num.notna() & (num != np.floor(num))
            if bad.any():
                kind = "정수" if c.dtype == "int" else "숫자"
                problems.append(
                    _problem(
                        file,
                        c.name,
                        f"{kind}가 아닌 값이 있습니다",
                        f"values are not {'integers' if c.dtype == 'int' else 'numbers'}",
                        bad,
                        raw,
                    )
                )
            if c.min is not None:
                low = num < c.min
                if low.any():
                    msg_ko = "음수 금액이 있습니다" if c.min == 0 else f"{c.min:g}보다 작은 값이 있습니다"
                    msg_en = "negative amounts" if c.min == 0 else f"values below {c.min:g}"
                    problems.append(_problem(file, c.name, msg_ko, msg_en, low, raw))
            if c.max is not None:
                high = num > c.max
                if high.any():
                    problems.append(
                        _problem(file, c.name, f"{c.max:g}보다 큰 값이 있습니다", f"values above {c.max:g}", high, raw)
                    )
            huge = num.abs() > _MAX_EXACT_INT
            if c.dtype == "int" and c.max is None and huge.any():
                problems.append(_problem(file, c.name, "정수가 너무 큽니다", "integers too large", huge, raw))
            # a count too large for an exact integer stays a float (its row is reported above)
            exact = not bad.any() and not huge.any()
            out[c.alias] = num.astype("Int64") if c.dtype == "int" and exact else num
        elif c.dtype == "date":
            dates = _parse_dates(text, serial=serial_dates)
            bad = dates.isna() & ~blank
            if bad.any():
                also_ko = "; 엑셀 날짜 셀과 다섯 자리 날짜 일련번호도 허용" if serial_dates else ""
                also_en = "; Excel date cells and five-digit serial day numbers also accepted" if serial_dates else ""
                problems.append(
                    _problem(
                        file,
                        c.name,
                        f"날짜 형식이 아닙니다(YYYY-MM-DD, 예: 2023-05-01{also_ko})",
                        f"not a date (YYYY-MM-DD, e.g. 2023-05-01{also_en})",
                        bad,
                        raw,
                    )
                )
            outside = dates.notna() & ((dates < start) | (dates > end))
            if outside.any():
                problems.append(
                    _problem(
                        file,
                        c.name,
                        f"분석 기간({window[0]}~{window[1]}) 밖의 날짜가 있습니다",
                        f"dates outside the window {window[0]}..{window[1]}",
                        outside,
                        raw,
                    )
                )
            out[c.alias] = dates
        elif c.dtype == "code":
            val = text.replace(PROVINCE_ALIASES) if c.codes == "province" else text
            allowed = set(CODES[c.codes])
            bad = val.notna() & ~val.isin(allowed)
            if bad.any():
                listed = ", ".join(CODES[c.codes])
                extra_ko = "; 정식 명칭도 허용" if c.codes == "province" else ""
                extra_en = "; full names also accepted" if c.codes == "province" else ""
                problems.append(
                    _problem(
                        file,
                        c.name,
                        f"코드 목록에 없는 값입니다(허용: {listed}{extra_ko})",
                        f"unknown code (allowed: {listed}{extra_en})",
                        bad,
                        raw,
                    )
                )
            out[c.alias] = val
        else:
            out[c.alias] = text
    key_names = {table.column(k).name for k in table.key}
    key_ok = all(k in out.columns for k in table.key) and not any(
        p.file == file and p.column in key_names for p in problems
    )
    if table.key and key_ok:
        dup = out.duplicated(list(table.key), keep=False)
        if dup.any():
            names = ", ".join(table.column(k).name for k in table.key)
            problems.append(
                _problem(
                    file,
                    names,
                    "키가 중복됩니다",
                    f"duplicate keys ({', '.join(table.key)})",
                    dup,
                    out[list(table.key)].astype(str).agg("/".join, axis=1),
                )
            )
    return out


def validate_tables(
    frames: dict[str, pd.DataFrame],
    files: dict[str, str],
    window: tuple[str, str],
    skip: Iterable[str] = (),
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Validate already-read tables; return typed tables and the problems found.

    Parameters
    ----------
    frames : dict of DataFrame
        Raw text tables by alias (``participants``, ...), as :func:`read_table` gives.
    files : dict of str
        File name of each table, used in the messages.
    window : (str, str)
        First and last month, ``YYYY-MM``.
    skip : iterable of str
        Tables already reported (unreadable files): not reported again as missing.

    Returns
    -------
    typed : dict of DataFrame
        Tables with English column aliases and proper types.
    problems : list of Problem
        Every problem found, each once.
    """
    window = check_window(window)
    skip = set(skip)
    problems: list[Problem] = []
    typed: dict[str, pd.DataFrame] = {}
    for alias, table in TABLES.items():
        df = frames.get(alias)
        file = files.get(alias, f"{table.alias}.*")
        if alias in skip:
            continue
        if df is None:
            problems.append(
                Problem(
                    file,
                    "",
                    f"표 '{table.name}'({table.alias}) 파일이 없습니다(파일 이름: {table.alias} 또는 {table.name}, "
                    f"확장자: .csv, .xlsx, .parquet)",
                    f"table file '{table.alias}' not found (name: {table.alias} or {table.name}, "
                    f"extension: .csv, .xlsx or .parquet)",
                )
            )
            continue
        if len(df) == 0 or len(df.columns) == 0:
            problems.append(Problem(file, "", "파일이 비어 있습니다", "the file is empty"))
            continue
        if not df.attrs.get(_CLEAN):
            df = _clean_text(df)
        serial = df.attrs.get(_FORMAT) == "xlsx"
        typed[alias] = _coerce_table(df, table, file, window, problems, serial_dates=serial)
    if "participants" in typed and "person_id" in typed["participants"]:
        known = set(typed["participants"]["person_id"].dropna())
        for alias, table in TABLES.items():
            if table.persons_from and alias in typed and "person_id" in typed[alias]:
                unknown = ~typed[alias]["person_id"].isin(known) & typed[alias]["person_id"].notna()
                if unknown.any():
                    what = "상담 기록" if alias == "counselling" else f"'{table.name}' 기록"
                    problems.append(
                        _problem(
                            files.get(alias, alias),
                            table.column("person_id").name,
                            f"{what}의 가명ID가 참여자 표에 없습니다",
                            f"{table.alias} rows refer to unknown persons",
                            unknown,
                            typed[alias]["person_id"],
                        )
                    )
    return typed, problems


def read_extract(
    folder: str | Path, fmt: str | None = None, problems: list[Problem] | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Read the four tables of an extract folder as raw text.

    Each table's format is detected from its file's extension; ``fmt``, when
    given, only constrains it (a file of another format is reported, not
    skipped in silence). Two files for one table are refused.

    A file that cannot be read (or cannot be chosen) is recorded in ``problems``
    (when given; otherwise :class:`ContractError` is raised at once) and left
    out of the frames, so the other files are still checked; ``files`` then
    still names the table, so it is not reported again as missing.
    """
    folder = Path(folder)
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"알 수 없는 형식입니다: {fmt!r} / unknown format (csv, xlsx, parquet)")
    if not folder.is_dir():
        raise ContractError([Problem(str(folder), "", "추출 자료 폴더가 없습니다", "extract folder not found")])
    collect = problems is not None
    problems = [] if problems is None else problems
    frames, files = {}, {}
    for alias, table in TABLES.items():
        before = len(problems)
        path = _locate(folder, table, fmt, problems)
        if path is None:
            if len(problems) > before:
                files[alias] = problems[-1].file
            continue
        files[alias] = str(path)
        try:
            frames[alias] = read_table(path)
        except ContractError as exc:
            problems.extend(exc.problems)
        except Exception as exc:  # malformed file
            problems.append(Problem(str(path), "", f"파일을 읽을 수 없습니다: {exc}", f"cannot read the file: {exc}"))
    if problems and not collect:
        raise ContractError(problems)
    return frames, files


def _read_and_validate(folder, fmt, window) -> dict[str, pd.DataFrame]:
    window = check_window(window)
    read_problems: list[Problem] = []
    frames, files = read_extract(folder, fmt, problems=read_problems)
    unreadable = {a for a, f in files.items() if a not in frames}
    typed, problems = validate_tables(frames, files, window, skip=unreadable)
    problems = read_problems + problems
    if problems:
        raise ContractError(problems)
    return typed


def validate_extract(
    folder: str | Path, fmt: str | None = None, window: tuple[str, str] = ("2019-01", "2022-12")
) -> dict[str, Any]:
    """Validate an extract folder; raise :class:`ContractError` listing every problem.

    Returns a small report (row counts per table) when the extract is valid.
    """
    _, meta = _cached_extract(folder, fmt, window)
    files = {a: str(Path(folder) / name) for a, name in meta["files"].items()}
    return {"folder": str(folder), "rows": meta["rows"], "files": files, "cache": meta["cache"]}


@dataclass
class Extract:
    """A validated extract: typed tables with English column aliases."""

    participants: pd.DataFrame
    stages: pd.DataFrame
    counselling: pd.DataFrame
    outcomes: pd.DataFrame
    window: tuple[str, str]
    dropped_duplicates: int = 0

    @property
    def years(self) -> list[int]:
        y0, y1 = int(self.window[0][:4]), int(self.window[1][:4])
        present = sorted(int(y) for y in self.stages["year"].dropna().unique())
        return [y for y in present if y0 <= y <= y1]


def first_entry_per_year(participants: pd.DataFrame) -> pd.DataFrame:
    """One record per person and year: the first entry (earliest date, then Base ID).

    Examples
    --------
    >>> df = pd.DataFrame({"base_id": ["B2", "B1", "B3"], "person_id": ["p", "p", "q"],
    ...                    "year": [2022, 2022, 2022],
    ...                    "entry_date": pd.to_datetime(["2022-03-01", "2022-05-01", "2022-01-01"])})
    >>> first_entry_per_year(df)["base_id"].tolist()
    ['B2', 'B3']
    """
    missing = [c for c in ("base_id", "person_id", "year", "entry_date") if c not in participants.columns]
    if missing:
        raise ValueError(f"참여자 표에 열이 없습니다 / participants lacks columns: {missing}")
    # Base IDs compare as numbers where they hold digits ("B9" before "B10")
    natural = participants["base_id"].astype(str).str.replace(r"\d+", lambda m: m.group(0).zfill(20), regex=True)
    ordered = participants.assign(_base_order=natural).sort_values(
        ["person_id", "year", "entry_date", "_base_order"], kind="mergesort"
    )
    first = ordered.drop_duplicates(["person_id", "year"], keep="first").drop(columns="_base_order")
    return first.sort_values(["year", "person_id"], kind="mergesort").reset_index(drop=True)


def load_extract(
    folder: str | Path, fmt: str | None = None, window: tuple[str, str] = ("2019-01", "2022-12")
) -> Extract:
    """Load, validate and normalise an extract (the only way notebooks read data).

    Parameters
    ----------
    folder : str or Path
        Folder holding ``participants``, ``stages``, ``counselling`` and
        ``outcomes`` files (English stems or Korean names).
    fmt : {"csv", "xlsx", "parquet"}, optional
        Format constraint: every table file must be of this format. By default
        each file's format is detected from its extension.
    window : (str, str)
        First and last month of the study, ``YYYY-MM``.

    Returns
    -------
    Extract

    Raises
    ------
    ContractError
        With every problem: file, column, up to five rows and values.
    """
    window = check_window(window)
    tables, meta = _cached_extract(folder, fmt, window)
    return Extract(**tables, window=tuple(window), dropped_duplicates=meta["dropped_duplicates"])


def _normalised(folder, fmt, window) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Validate an extract and apply the loading rules (first entry per year, window)."""
    typed = _read_and_validate(folder, fmt, window)
    participants = typed["participants"]
    first = first_entry_per_year(participants)
    y0, y1 = int(window[0][:4]), int(window[1][:4])
    keep = lambda d: d[(d["year"] >= y0) & (d["year"] <= y1)].reset_index(drop=True)  # noqa: E731
    tables = {
        "participants": keep(first),
        "stages": keep(typed["stages"]),
        "counselling": typed["counselling"].reset_index(drop=True),
        "outcomes": keep(typed["outcomes"]),
    }
    meta = {
        "rows": {k: int(len(v)) for k, v in typed.items()},
        "files": {a: Path(f).name for a, f in _table_files(folder, fmt).items()},
        "dropped_duplicates": int(len(participants) - len(first)),
    }
    return tables, meta


def _table_files(folder, fmt) -> dict[str, Path]:
    found = {a: find_table_file(Path(folder), t, fmt) for a, t in TABLES.items()} if Path(folder).is_dir() else {}
    return {a: p for a, p in found.items() if p is not None}


def _cached_extract(folder, fmt, window) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Validated, normalised tables, read from the extract's columnar cache when intact.

    See :mod:`jahwal.inputs.extract_cache`: the cache sits in the extract's own folder
    and is keyed by the files' content, the window and this module's source.
    """
    from jahwal.inputs import extract_cache

    window = check_window(window)
    files = _table_files(folder, fmt)
    if (fmt is not None and fmt not in FORMATS) or len(files) < len(TABLES):
        tables, meta = _normalised(folder, fmt, window)  # reports the problem, caches nothing
        return tables, {**meta, "cache": "none"}
    return extract_cache.cached(folder, files, window, __file__, lambda: _normalised(folder, fmt, window))


# ---------------------------------------------------------------- documentation
def schema_table(table: str | None = None) -> pd.DataFrame:
    """The contract as one tidy table (generated into the book's appendix).

    Parameters
    ----------
    table : str, optional
        Alias of one table (``participants``, ``stages``, ``counselling``,
        ``outcomes``): only its columns, without the ``표`` column.

    Returns
    -------
    DataFrame
        One row per column of the contract: ``표`` (table), ``열 이름`` (Korean
        header), ``영문 별칭`` (English alias), ``형식`` (type), ``필수``
        (required), ``키`` (part of the key), ``허용 값`` (code list or range) and
        ``설명`` (description).

    Examples
    --------
    >>> schema_table("counselling")["열 이름"].tolist()
    ['가명ID', '상담일', '상담유형']
    """
    if table is not None and table not in TABLES:
        raise ValueError(f"알 수 없는 표입니다: {table!r} / unknown table (one of {', '.join(TABLES)})")
    types = {"string": "문자", "int": "정수", "float": "숫자", "date": "날짜(YYYY-MM-DD)", "code": "코드"}

    def allowed(c: Column) -> str:
        if c.codes:
            return CODE_TITLES[c.codes] + " 코드 목록"
        parts = ([f"{c.min:g} 이상"] if c.min is not None else []) + ([f"{c.max:g} 이하"] if c.max is not None else [])
        return " ".join(parts)

    rows = [
        {
            "표": f"{t.name} ({t.alias})",
            "열 이름": c.name,
            "영문 별칭": c.alias,
            "형식": types[c.dtype],
            "필수": "아니오" if c.nullable else "예",
            "키": "예" if c.alias in t.key else "",
            "허용 값": allowed(c),
            "설명": c.description,
        }
        for t in TABLES.values()
        if table is None or t.alias == table
        for c in t.columns
    ]
    out = pd.DataFrame(rows)
    return out.drop(columns="표") if table is not None else out


def tables_overview() -> pd.DataFrame:
    """One row per contract table: file names, row meaning and key.

    Returns
    -------
    DataFrame
        Columns ``표`` (title), ``파일 이름`` (accepted file names), ``한 행의 뜻``
        (what one row is), ``키`` (key columns) and ``열 수`` (number of columns).

    Examples
    --------
    >>> tables_overview()["열 수"].tolist()
    [18, 9, 3, 5]
    """
    return pd.DataFrame(
        [
            {
                "표": t.title,
                "파일 이름": f"{t.alias}.csv / {t.name}.csv (또는 .xlsx, .parquet)",
                "한 행의 뜻": t.row,
                "키": ", ".join(t.column(k).name for k in t.key) or "(없음: 사건 기록)",
                "열 수": len(t.columns),
            }
            for t in TABLES.values()
        ]
    )


def code_lists() -> pd.DataFrame:
    """Every code list with its allowed values and the columns that use it.

    Returns
    -------
    DataFrame
        Columns ``코드 목록`` (title), ``영문 이름`` (key in :data:`CODES`),
        ``허용 값`` (allowed values; provinces as ``short(full name)``) and
        ``쓰는 열`` (the columns coded with it, as ``table.column``).

    Examples
    --------
    >>> code_lists().set_index("영문 이름").loc["counselling_kind", "쓰는 열"]
    '상담기록.상담유형'
    """
    rows = []
    for key, values in CODES.items():
        shown = [f"{s}({PROVINCES[s]})" for s in values] if key == "province" else list(values)
        used = [f"{t.name}.{c.name}" for t, c in iter_columns() if c.codes == key]
        rows.append(
            {"코드 목록": CODE_TITLES[key], "영문 이름": key, "허용 값": ", ".join(shown), "쓰는 열": ", ".join(used)}
        )
    return pd.DataFrame(rows)


def iter_columns() -> Iterable[tuple[Table, Column]]:
    for t in TABLES.values():
        for c in t.columns:
            yield t, c
