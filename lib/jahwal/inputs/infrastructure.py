"""Case-management infrastructure: the user-updated input of 표 Ⅲ-1 and Ⅲ-2 (loaders and checks).

Two small files under ``data/infrastructure/`` (see its README) are updated by
hand each year:

``infrastructure.csv``
    One row per year: ``연도`` (year), ``시행기관수`` (centres running case
    management), ``사례관리자수`` (case managers), ``비고`` (note, optional).
``infrastructure_by_province.csv``
    One row per reference year and province: ``기준연도``, ``시도``,
    ``지역자활센터수``, ``사례관리팀수`` (centres with a case-management team),
    ``사례관리자수``, ``Gateway전담자수``.

Headers may be the Korean names or the English aliases. Problems are reported
all at once, naming the file, the column and the rows, in Korean and English
(:class:`InfrastructureError`); nothing is half-loaded. These are counts of
institutions and staff, not statistics over participants, so they are not
suppressed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from jahwal.errors import Problem, ProblemError
from jahwal.inputs.contract import read_table
from jahwal.vocab import PROVINCE_ALIASES, PROVINCES

#: English alias → Korean header, per file
YEAR_COLUMNS = {"year": "연도", "centres_n": "시행기관수", "case_managers_n": "사례관리자수", "note": "비고"}
PROVINCE_COLUMNS = {
    "year": "기준연도",
    "province": "시도",
    "centres_n": "지역자활센터수",
    "cm_team_centres_n": "사례관리팀수",
    "case_managers_n": "사례관리자수",
    "gateway_staff_n": "Gateway전담자수",
}


class InfrastructureError(ProblemError):
    """An infrastructure input file is malformed (nothing was loaded)."""

    heading_ko = "인프라 입력 자료에 문제가 있습니다"
    heading_en = "the infrastructure input has problems"


def _rows(mask: pd.Series, values: pd.Series) -> tuple[list[int], list[object], int]:
    idx = list(mask[mask].index)
    return [int(i) + 2 for i in idx[:5]], [values.loc[i] for i in idx[:5]], len(idx)


def _flag(
    problems: list[Problem], file: str, column: str, ko: str, en: str, mask: pd.Series, values: pd.Series
) -> None:
    if mask.any():
        rows, vals, n = _rows(mask, values)
        problems.append(Problem(file, column, ko, en, rows, vals, n))


def _read(
    path: str | Path, columns: dict[str, str], optional: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, str, list[Problem]]:
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise InfrastructureError([Problem(file, "", "파일이 없습니다", "file not found")])
    try:
        raw = read_table(path)
    except Exception as exc:  # unreadable file
        raise InfrastructureError(
            [Problem(file, "", f"파일을 읽을 수 없습니다: {exc}", f"cannot read the file: {exc}")]
        ) from exc
    if raw.empty:
        raise InfrastructureError([Problem(file, "", "파일이 비어 있습니다", "the file is empty")])
    raw.columns = [str(c).strip() for c in raw.columns]
    rename = {}
    for alias, ko in columns.items():
        for c in raw.columns:
            if c in (alias, ko):
                rename[c] = alias
    raw = raw.rename(columns=rename)
    problems = []
    missing = [f"{columns[a]}({a})" for a in columns if a not in raw.columns and a not in optional]
    if missing:
        problems.append(Problem(file, ", ".join(missing), "필수 열이 없습니다", "required columns are missing"))
    unknown = [c for c in raw.columns if c not in columns]
    if unknown:
        problems.append(Problem(file, ", ".join(unknown), "알 수 없는 열입니다", "unknown columns"))
    if problems:
        raise InfrastructureError(problems)
    return raw, file, problems


def _integers(
    raw: pd.DataFrame, file: str, columns: dict[str, str], names: list[str], problems: list[Problem]
) -> dict[str, pd.Series]:
    out = {}
    for alias in names:
        text = raw[alias].map(lambda v: None if v is None else str(v).strip().replace(",", ""))
        num = pd.to_numeric(text, errors="coerce")
        blank = text.isna() | (text == "")
        _flag(problems, file, columns[alias], "값이 비어 있습니다", "missing values", blank, raw[alias])
        bad = ~blank & (num.isna() | (num != np.floor(num)))
        _flag(problems, file, columns[alias], "정수가 아닌 값이 있습니다", "values are not integers", bad, raw[alias])
        neg = num < 0
        _flag(problems, file, columns[alias], "음수가 있습니다", "negative values", neg, raw[alias])
        out[alias] = num
    return out


def read_infrastructure(path: str | Path) -> pd.DataFrame:
    """Read and validate the yearly infrastructure file (표 Ⅲ-1).

    Parameters
    ----------
    path : str or Path
        CSV (UTF-8 or CP949) or XLSX with ``연도, 시행기관수, 사례관리자수[, 비고]``.

    Returns
    -------
    DataFrame
        ``year, centres_n, case_managers_n, note``, sorted by year.

    Raises
    ------
    InfrastructureError
        Missing or unknown columns, blank, non-integer or negative counts,
        implausible or duplicate years; every problem with its rows.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "infra.csv"
    >>> _ = p.write_text("연도,시행기관수,사례관리자수\\n2021,90,90\\n2020,90,다수\\n", encoding="utf-8")
    >>> try:
    ...     read_infrastructure(p)
    ... except InfrastructureError as e:
    ...     print(e.problems[0].column, e.problems[0].rows)
    사례관리자수 [3]
    """
    raw, file, problems = _read(path, YEAR_COLUMNS, optional=("note",))
    nums = _integers(raw, file, YEAR_COLUMNS, ["year", "centres_n", "case_managers_n"], problems)
    year = nums["year"]
    _flag(
        problems,
        file,
        "연도",
        "연도가 2000–2100 밖입니다",
        "year outside 2000-2100",
        (year < 2000) | (year > 2100),
        raw["year"],
    )
    _flag(
        problems,
        file,
        "연도",
        "연도가 중복됩니다",
        "duplicate years",
        year.notna() & year.duplicated(keep=False),
        raw["year"],
    )
    if problems:
        raise InfrastructureError(problems)
    note = raw["note"] if "note" in raw else pd.Series(None, index=raw.index, dtype=object)
    out = pd.DataFrame(
        {
            "year": year.astype(int),
            "centres_n": nums["centres_n"].astype(int),
            "case_managers_n": nums["case_managers_n"].astype(int),
            "note": note.map(lambda v: "" if v is None else str(v).strip()),
        }
    )
    return out.sort_values("year").reset_index(drop=True)


def read_infrastructure_by_province(path: str | Path) -> pd.DataFrame:
    """Read and validate the province infrastructure file (표 Ⅲ-2).

    Returns
    -------
    DataFrame
        ``year, province, centres_n, cm_team_centres_n, case_managers_n,
        gateway_staff_n`` with provinces in their short form, sorted by year
        and the report's province order.

    Raises
    ------
    InfrastructureError
        Unknown provinces, a province twice in a year, more team centres than
        centres, blank, non-integer or negative counts.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "prov.csv"
    >>> _ = p.write_text("기준연도,시도,지역자활센터수,사례관리팀수,사례관리자수,Gateway전담자수\\n"
    ...                  "2023,서울특별시,30,23,28,27\\n2023,부산,18,11,13,16\\n", encoding="utf-8")
    >>> read_infrastructure_by_province(p)["province"].tolist()
    ['서울', '부산']
    """
    raw, file, problems = _read(path, PROVINCE_COLUMNS)
    nums = _integers(
        raw,
        file,
        PROVINCE_COLUMNS,
        ["year", "centres_n", "cm_team_centres_n", "case_managers_n", "gateway_staff_n"],
        problems,
    )
    prov = raw["province"].map(lambda v: None if v is None else PROVINCE_ALIASES.get(str(v).strip(), str(v).strip()))
    _flag(
        problems,
        file,
        "시도",
        f"시도 이름이 아닙니다(허용: {', '.join(PROVINCES)}; 정식 명칭도 허용)",
        "unknown province (short or full names)",
        ~prov.isin(list(PROVINCES)),
        raw["province"],
    )
    _flag(
        problems,
        file,
        "기준연도",
        "기준연도가 2000–2100 밖입니다",
        "year outside 2000-2100",
        (nums["year"] < 2000) | (nums["year"] > 2100),
        raw["year"],
    )
    key = pd.DataFrame({"y": nums["year"], "p": prov})
    _flag(
        problems,
        file,
        "기준연도, 시도",
        "같은 기준연도에 시도가 두 번 나옵니다",
        "a province appears twice in a year",
        key.notna().all(axis=1) & key.duplicated(keep=False),
        raw["province"],
    )
    _flag(
        problems,
        file,
        "사례관리팀수",
        "사례관리팀 수가 지역자활센터 수보다 많습니다",
        "more team centres than centres",
        nums["cm_team_centres_n"] > nums["centres_n"],
        raw["cm_team_centres_n"],
    )
    if problems:
        raise InfrastructureError(problems)
    out = pd.DataFrame(
        {
            "year": nums["year"].astype(int),
            "province": prov,
            **{
                k: nums[k].astype(int) for k in ["centres_n", "cm_team_centres_n", "case_managers_n", "gateway_staff_n"]
            },
        }
    )
    order = {p: i for i, p in enumerate(PROVINCES)}
    return out.sort_values(["year", "province"], key=lambda s: s.map(order) if s.name == "province" else s).reset_index(
        drop=True
    )


def coverage_warnings(
    yearly: pd.DataFrame, by_province: pd.DataFrame, focus_year: int, files: tuple[str, str] = ("", "")
) -> list[str]:
    """Warnings (Korean / English) for infrastructure inputs that stop before the focus year.

    The two files are updated by hand each year; a study whose focus year is
    later than their last year still builds, but says so (in the build output
    and, through :func:`jahwal.chapters.ch3_infrastructure.coverage_note`, on
    the page).

    Parameters
    ----------
    yearly, by_province : DataFrame
        From :func:`read_infrastructure` and :func:`read_infrastructure_by_province`.
    focus_year : int
        The study's focus year.
    files : (str, str)
        The two files, named in the warnings.

    Returns
    -------
    list of str
        One warning per file that ends before ``focus_year``; empty when both reach it.

    Examples
    --------
    >>> y = pd.DataFrame({"year": [2021, 2022]})
    >>> p = pd.DataFrame({"year": [2023]})
    >>> coverage_warnings(y, p, 2022)
    []
    >>> print(coverage_warnings(y, p, 2023, ("infra.csv", "prov.csv"))[0])
    인프라 입력 자료(표 Ⅲ-1)의 연도별 값이 2022년까지여서 기준연도 2023년의 값이 없습니다: infra.csv / the yearly infrastructure data (table Ⅲ-1) end in 2022, before the focus year 2023: infra.csv
    """
    out = []
    last = int(yearly["year"].max())
    if last < focus_year:
        out.append(
            f"인프라 입력 자료(표 Ⅲ-1)의 연도별 값이 {last}년까지여서 기준연도 {focus_year}년의 값이 없습니다: {files[0]} / "
            f"the yearly infrastructure data (table Ⅲ-1) end in {last}, before the focus year {focus_year}: {files[0]}"
        )
    ref = int(by_province["year"].max())
    if ref < focus_year:
        out.append(
            f"시도별 인프라 입력 자료(표 Ⅲ-2)의 기준연도가 {ref}년이어서 기준연도 {focus_year}년의 값이 없습니다: {files[1]} / "
            f"the infrastructure data by province (table Ⅲ-2) are for {ref}, before the focus year {focus_year}: {files[1]}"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Check the two infrastructure files: ``python -m jahwal.inputs.infrastructure [yearly.csv] [province.csv]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    yearly = args[0] if args else "data/infrastructure/infrastructure.csv"
    province = args[1] if len(args) > 1 else "data/infrastructure/infrastructure_by_province.csv"
    try:
        y = read_infrastructure(yearly)
        p = read_infrastructure_by_province(province)
    except InfrastructureError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    print(
        f"연도별 {len(y)}행({y['year'].min()}–{y['year'].max()}), 시도별 {len(p)}행(기준연도 {sorted(p['year'].unique().tolist())}) 이상 없음 / OK"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
