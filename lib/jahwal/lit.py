"""Chapter Ⅱ: the literature matrix, its controlled vocabulary, the policy tables and PRISMA 2020.

The folder ``data/literature/`` (parameter ``literature_dir``) holds one row per
work that Chapter Ⅱ of the 2023 report cites, the BibTeX entries of those works
and the policy facts of the chapter:

========================  ===============================================================
file                      holds
========================  ===============================================================
``matrix.csv``            one row per work: id, BibTeX key, authors, year, country,
                          region (국내/해외), programme, population, method, outcome
                          dimensions (``;``-separated codes), a one-line finding, lines
``vocabulary.csv``        the controlled vocabulary: outcome dimensions, methods,
                          countries and work types (code, Korean label, definition)
``references.bib``        one BibTeX entry per matrix row (read with pybtex)
``policy_timeline.csv``   dated policy events
``policy_indicators.csv`` yearly figures: case managers, budgets, pilot sites, rules
``policy_staff_by_province.csv``  표 Ⅱ-7 (centres/persons by province, '22.12)
``policy_team_roles.csv`` 표 Ⅱ-8 (roles in the case-management team)
``policy_procedure.csv``  그림 Ⅱ-3 (tasks of the six case-management stages)
``policy_plans.csv``      표 Ⅱ-14 (goals and tasks of the three basic plans)
``policy_awards.csv``     표 Ⅱ-12 (entries to the excellent-case contest)
========================  ===============================================================

Every loader validates its file completely before returning; problems raise
:class:`LiteratureError` with one bilingual line per problem naming the file,
the row (the line number in the file, the header being line 1) and the column.
PRISMA 2020 counts come from the study parameters (``prisma``); when the study
does not report them (the 2023 default) the checks say so and the diagram
shows empty boxes instead of invented numbers.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import JahwalError

# ------------------------------------------------------------------ constants
MATRIX_FILE = "matrix.csv"
VOCABULARY_FILE = "vocabulary.csv"
BIB_FILE = "references.bib"

REGIONS = ("국내", "해외")
SECTIONS = ("Ⅱ-1", "Ⅱ-2", "Ⅱ-3")
VOCAB_KINDS = ("dimension", "method", "country", "work_type")
DOMESTIC_COUNTRY = "KR"
#: id prefix -> (region, work_type); documents (P) may come from either region
ID_PREFIXES = {"O": ("해외", "research"), "D": ("국내", "research"), "P": (None, "document")}
DEFAULT_BREAKS = (2000, 2010, 2015, 2020)
UNKNOWN_PERIOD = "연도 미상"

MATRIX_COLUMNS = (
    "id", "bibtex_key", "authors", "year", "country", "region", "work_type", "section",
    "programme", "population", "method", "outcome_dimensions", "finding_ko", "source_lines", "note",
)

_LINES_RE = r"^\d+(-\d+)?(; \d+(-\d+)?)*$"
_KEY_RE = r"^[a-z][a-z0-9_]*$"
_YEAR_RE = r"^((19|20)\d{2})?$"
_INT_RE = r"^\d+$"
_OPT_INT_RE = r"^(\d+)?$"

#: Korean column headers for displayed tables (snake_case -> 한국어)
COLUMN_LABELS = {
    "id": "번호",
    "citation": "문헌",
    "country_label": "국가",
    "region": "구분",
    "programme": "프로그램·주제",
    "population": "대상",
    "method_label": "방법",
    "dimension_labels": "성과 차원",
    "finding_ko": "주요 내용",
    "code": "부호",
    "label_ko": "이름",
    "definition_ko": "정의",
    "dimension_label": "성과 차원",
    "n_overseas": "해외 문헌 수",
    "n_domestic": "국내 문헌 수",
    "pct_overseas": "해외 비율(%)",
    "pct_domestic": "국내 비율(%)",
    "pct_difference": "차이(%p, 국내−해외)",
    "description": "점검 내용",
    "expected": "계산값",
    "observed": "보고값",
    "status_label": "결과",
}


class LiteratureError(JahwalError):
    """The literature folder (or the PRISMA counts) is malformed."""

    exit_code = 2


# ------------------------------------------------------------------ helpers
def _row_no(index: int) -> int:
    """Line number in the CSV file of the data row with position ``index``."""
    return int(index) + 2


def _raise(problems: list[str], what: str = "문헌 자료 / literature data") -> None:
    if problems:
        raise LiteratureError(
            f"{what}에 오류가 {len(problems)}개 있습니다 / {len(problems)} problem(s) found:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


def _read_csv(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """Read a UTF-8 CSV as strings; require the columns; no half-loading."""
    if not path.exists():
        raise LiteratureError(f"파일이 없습니다 / file not found: {path}")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise LiteratureError(f"{path}: CSV를 읽을 수 없습니다 / cannot read CSV: {exc}") from exc
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise LiteratureError(
            f"{path}: 필수 열이 없습니다 / missing column(s): {', '.join(missing)}"
        )
    return df.apply(lambda s: s.str.strip())


def _pandera_problems(path: Path, df: pd.DataFrame, checks: Mapping[str, Any]) -> list[str]:
    """Validate string columns with pandera; return one message per failing cell."""
    import pandera.pandas as pa

    schema = pa.DataFrameSchema(
        {col: pa.Column(str, checks=chk, nullable=False) for col, chk in checks.items()}, strict=False
    )
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        out = []
        fc = exc.failure_cases
        fc = fc[fc["index"].notna()].sort_values(["index", "column"])
        for _, r in fc.iterrows():
            idx = int(r["index"])
            rid = f" (id {df.at[idx, 'id']})" if "id" in df.columns and r["column"] != "id" else ""
            out.append(
                f"{path} {_row_no(idx)}행{rid}, 열 '{r['column']}': {r['check']} "
                f"(값 / value: {r['failure_case']!r})"
            )
        return out
    return []


def _check(pattern: str, ko: str, en: str):
    import pandera.pandas as pa

    return pa.Check.str_matches(pattern, error=f"{ko} / {en}")


def _isin(values: Iterable[str], ko: str, en: str):
    import pandera.pandas as pa

    values = sorted(set(values))
    return pa.Check.isin(values, error=f"{ko} / {en} ({', '.join(values)})")


def _nonempty(ko: str = "값이 비어 있습니다", en: str = "empty value"):
    import pandera.pandas as pa

    return pa.Check(lambda s: s.str.len() > 0, element_wise=False, error=f"{ko} / {en}")


def _duplicates(path: Path, df: pd.DataFrame, cols: Sequence[str], what: str) -> list[str]:
    dup = df[df.duplicated(list(cols), keep=False)]
    out = []
    for key, grp in dup.groupby(list(cols), sort=False):
        key = key if isinstance(key, tuple) else (key,)
        rows = ", ".join(str(_row_no(i)) for i in grp.index)
        out.append(
            f"{path} {rows}행: {what} {' / '.join(map(str, key))!r}이(가) 중복됩니다 / "
            f"duplicate {'+'.join(cols)} {key!r}"
        )
    return out


def _split(cell: str) -> list[str]:
    return [t.strip() for t in str(cell).split(";") if t.strip()]


def _folder(folder: str | Path) -> Path:
    p = Path(folder)
    if not p.is_dir():
        raise LiteratureError(f"문헌 자료 폴더가 없습니다 / literature folder not found: {p}")
    return p


# ------------------------------------------------------------------ vocabulary and BibTeX
def load_vocabulary(folder: str | Path) -> pd.DataFrame:
    """Read and validate ``vocabulary.csv``.

    Parameters
    ----------
    folder : str or Path
        The literature folder.

    Returns
    -------
    DataFrame
        Columns ``kind`` (dimension, method, country, work_type), ``code``,
        ``label_ko``, ``definition_ko``; one row per term.

    Examples
    --------
    >>> voc = load_vocabulary("data/literature")
    >>> voc.query("kind == 'dimension' and code == 'emotional'")["label_ko"].item()
    '정서·심리'
    """
    path = _folder(folder) / VOCABULARY_FILE
    df = _read_csv(path, ("kind", "code", "label_ko", "definition_ko"))
    problems = _pandera_problems(
        path,
        df,
        {
            "kind": [_isin(VOCAB_KINDS, "알 수 없는 종류", "unknown kind")],
            "code": [_check(r"^[A-Za-z][A-Za-z0-9_]*$", "부호는 영문·숫자·밑줄이어야 합니다", "code must be ASCII")],
            "label_ko": [_nonempty()],
            "definition_ko": [_nonempty()],
        },
    )
    problems += _duplicates(path, df, ("kind", "code"), "어휘")
    _raise(problems)
    return df.reset_index(drop=True)


def _terms(vocabulary: pd.DataFrame, kind: str) -> dict[str, str]:
    sub = vocabulary[vocabulary["kind"] == kind]
    return dict(zip(sub["code"], sub["label_ko"]))


def load_bibliography(folder: str | Path) -> pd.DataFrame:
    """Parse ``references.bib`` with pybtex.

    Returns
    -------
    DataFrame
        Columns ``bibtex_key``, ``entry_type``, ``authors`` (names joined by
        ``" and "``, as pybtex parsed them), ``n_authors``, ``year`` (string,
        empty when absent), ``title``.

    Examples
    --------
    >>> bib = load_bibliography("data/literature")
    >>> bib.set_index("bibtex_key").loc["baekhy2013", ["authors", "year"]].tolist()
    ['백학영 and 김경휘', '2013']
    """
    from pybtex.database import parse_file
    from pybtex.scanner import PybtexError

    path = _folder(folder) / BIB_FILE
    if not path.exists():
        raise LiteratureError(f"파일이 없습니다 / file not found: {path}")
    try:
        data = parse_file(str(path), bib_format="bibtex")
    except PybtexError as exc:
        raise LiteratureError(f"{path}: BibTeX를 읽을 수 없습니다 / cannot parse BibTeX: {exc}") from exc
    rows = []
    for key, entry in data.entries.items():
        persons = entry.persons.get("author", [])
        rows.append(
            {
                "bibtex_key": key,
                "entry_type": entry.type,
                "authors": " and ".join(str(p).strip("{}") for p in persons),
                "n_authors": len(persons),
                "year": entry.fields.get("year", ""),
                "title": entry.fields.get("title", ""),
            }
        )
    bib = pd.DataFrame(rows, columns=["bibtex_key", "entry_type", "authors", "n_authors", "year", "title"])
    bad = [k for k in bib["bibtex_key"] if not re.match(_KEY_RE, k)]
    if bad:
        _raise([f"{path}: 키는 영문 소문자·숫자·밑줄이어야 합니다 / keys must be ASCII lower case: {k!r}" for k in bad])
    return bib


# ------------------------------------------------------------------ the matrix
def load_matrix(folder: str | Path) -> pd.DataFrame:
    """Read ``matrix.csv`` and check it against the vocabulary and ``references.bib``.

    Checks: required columns; unique ids and BibTeX keys; id pattern and prefix
    (``O`` overseas research, ``D`` domestic research, ``P`` policy or
    administrative document); every key present in ``references.bib`` with the
    same year; country, method, work type and each outcome dimension known to
    ``vocabulary.csv``; region consistent with the country (국내 only for KR);
    section and line references well formed. All problems are reported at once.

    Parameters
    ----------
    folder : str or Path
        The literature folder.

    Returns
    -------
    DataFrame
        The columns of ``matrix.csv`` (``year`` as nullable integer) plus
        ``country_label``, ``method_label``, ``dimensions`` (tuple of codes) and
        ``dimension_labels`` (Korean labels joined by ``, ``).

    Raises
    ------
    LiteratureError
        Naming the file, row (line number) and column of every problem.

    Examples
    --------
    >>> m = load_matrix("data/literature")
    >>> m.groupby("region").size().to_dict()
    {'국내': 53, '해외': 31}
    >>> m.set_index("bibtex_key").loc["leung2004", "dimensions"]
    ('service_use', 'cost')
    """
    folder = _folder(folder)
    voc = load_vocabulary(folder)
    bib = load_bibliography(folder)
    path = folder / MATRIX_FILE
    df = _read_csv(path, MATRIX_COLUMNS)
    countries, methods = _terms(voc, "country"), _terms(voc, "method")
    work_types, dims = _terms(voc, "work_type"), _terms(voc, "dimension")
    problems = _pandera_problems(
        path,
        df,
        {
            "id": [_check(r"^[ODP]\d{2,3}$", "번호 형식은 O01·D01·P01입니다", "id must look like O01, D01 or P01")],
            "bibtex_key": [_check(_KEY_RE, "BibTeX 키는 영문 소문자·숫자·밑줄입니다", "BibTeX key must be ASCII lower case")],
            "authors": [_nonempty()],
            "year": [_check(_YEAR_RE, "연도는 네 자리 숫자이거나 비어 있어야 합니다", "year must be four digits or empty")],
            "country": [_isin(countries, "어휘집에 없는 국가 부호", "unknown country code")],
            "region": [_isin(REGIONS, "구분은 국내 또는 해외입니다", "region must be 국내 or 해외")],
            "work_type": [_isin(work_types, "어휘집에 없는 문헌 유형", "unknown work type")],
            "section": [_isin(SECTIONS, "절은 Ⅱ-1·Ⅱ-2·Ⅱ-3입니다", "unknown section")],
            "method": [_isin(methods, "어휘집에 없는 방법 부호", "unknown method code")],
            "finding_ko": [_nonempty()],
            "source_lines": [_check(_LINES_RE, "줄 번호 형식은 '12-15; 20'입니다", "line references must look like '12-15; 20'")],
        },
    )
    problems += _duplicates(path, df, ("id",), "번호(id)")
    problems += _duplicates(path, df, ("bibtex_key",), "BibTeX 키")
    bib_year = dict(zip(bib["bibtex_key"], bib["year"]))
    for i, r in df.iterrows():
        where = f"{path} {_row_no(i)}행 (id {r['id']})"
        for code in _split(r["outcome_dimensions"]):
            if code not in dims:
                problems.append(
                    f"{where}, 열 'outcome_dimensions': 어휘집({VOCABULARY_FILE})에 없는 성과 차원 {code!r} / "
                    f"unknown outcome dimension {code!r}"
                )
        codes = _split(r["outcome_dimensions"])
        if len(codes) != len(set(codes)):
            problems.append(f"{where}, 열 'outcome_dimensions': 같은 차원이 두 번 있습니다 / repeated dimension")
        key = r["bibtex_key"]
        if key and key not in bib_year:
            problems.append(
                f"{where}, 열 'bibtex_key': {BIB_FILE}에 {key!r} 항목이 없습니다 / "
                f"no entry {key!r} in {BIB_FILE}"
            )
        elif key and bib_year[key] != r["year"]:
            problems.append(
                f"{where}, 열 'year': {r['year'] or '(빈 값)'}이(가) {BIB_FILE}의 연도 "
                f"{bib_year[key] or '(없음)'}와 다릅니다 / year differs from {BIB_FILE}"
            )
        if r["country"] in countries and r["region"] in REGIONS:
            expected = "국내" if r["country"] == DOMESTIC_COUNTRY else "해외"
            if r["region"] != expected:
                problems.append(
                    f"{where}, 열 'region': 국가 {r['country']}이면 구분은 {expected}입니다 / "
                    f"region must be {expected} for country {r['country']}"
                )
        prefix = r["id"][:1]
        if prefix in ID_PREFIXES and r["region"] in REGIONS:
            reg, wt = ID_PREFIXES[prefix]
            ok = r["work_type"] == wt and (prefix == "P" or r["region"] == reg)
            if not ok:
                where_ko = "정책·행정 자료" if prefix == "P" else f"{reg} 선행연구"
                problems.append(
                    f"{where}, 열 'id': 번호 {prefix}는 {where_ko} 행에 씁니다 / "
                    f"id prefix {prefix} does not fit region {r['region']} and work type {r['work_type']}"
                )
    _raise(problems)
    out = df.copy()
    out["year"] = pd.to_numeric(out["year"].replace("", np.nan)).astype("Int64")
    out["country_label"] = out["country"].map(countries)
    out["method_label"] = out["method"].map(methods)
    out["dimensions"] = out["outcome_dimensions"].map(lambda c: tuple(_split(c)))
    out["dimension_labels"] = out["dimensions"].map(lambda t: ", ".join(dims[c] for c in t))
    return out.reset_index(drop=True)


def filter_matrix(
    matrix: pd.DataFrame,
    countries: Sequence[str] | None = None,
    year_min: int | None = None,
    year_max: int | None = None,
    work_types: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Keep the works of some countries, years and work types.

    Parameters
    ----------
    matrix : DataFrame
        From :func:`load_matrix`.
    countries : list of str, optional
        Country codes (``KR``, ``US``…) or Korean labels (``한국``); empty or
        ``None`` keeps every country.
    year_min, year_max : int, optional
        Inclusive bounds. When a bound is given, works without a year are dropped.
    work_types : list of str, optional
        ``research`` and/or ``document``; ``None`` keeps both.

    Returns
    -------
    DataFrame
        The selected rows, same columns.

    Examples
    --------
    >>> m = load_matrix("data/literature")
    >>> len(filter_matrix(m, countries=["영국"], work_types=["research"]))
    7
    >>> len(filter_matrix(m, year_min=2020))
    16
    """
    if year_min is not None and year_max is not None and year_min > year_max:
        raise ValueError(
            f"lit_year_min({year_min})이 lit_year_max({year_max})보다 큽니다 / year_min is after year_max"
        )
    if isinstance(countries, str):
        raise ValueError(f"lit_countries는 목록이어야 합니다 / lit_countries must be a list, got {countries!r}")
    keep = pd.Series(True, index=matrix.index)
    if countries:
        wanted = set(countries)
        known = set(matrix["country"]) | set(matrix["country_label"])
        unknown = sorted(wanted - known)
        if unknown:
            raise ValueError(
                f"매트릭스에 없는 국가입니다 / countries not in the matrix: {unknown} "
                f"(있는 값 / available: {sorted(set(matrix['country']))})"
            )
        keep &= matrix["country"].isin(wanted) | matrix["country_label"].isin(wanted)
    if year_min is not None:
        keep &= matrix["year"].ge(int(year_min)).fillna(False).astype(bool)
    if year_max is not None:
        keep &= matrix["year"].le(int(year_max)).fillna(False).astype(bool)
    if work_types is not None:
        bad = sorted(set(work_types) - {"research", "document"})
        if bad:
            raise ValueError(f"알 수 없는 문헌 유형 / unknown work types: {bad}")
        keep &= matrix["work_type"].isin(list(work_types))
    return matrix[keep].reset_index(drop=True)


def explode_dimensions(matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per (work, outcome dimension); works without a dimension are dropped.

    Returns
    -------
    DataFrame
        Columns ``id``, ``bibtex_key``, ``region``, ``country``, ``dimension``.

    Examples
    --------
    >>> m = load_matrix("data/literature")
    >>> len(explode_dimensions(m[m["bibtex_key"] == "ponka2020"]))
    8
    """
    long = matrix[["id", "bibtex_key", "region", "country", "dimensions"]].explode("dimensions")
    long = long.dropna(subset=["dimensions"]).rename(columns={"dimensions": "dimension"})
    return long.reset_index(drop=True)


def _dimension_order(vocabulary: pd.DataFrame | None, present: Iterable[str]) -> list[tuple[str, str]]:
    if vocabulary is not None:
        return list(_terms(vocabulary, "dimension").items())
    return [(c, c) for c in sorted(set(present))]


def evidence_map(
    matrix: pd.DataFrame, vocabulary: pd.DataFrame | None = None, by: str = "country"
) -> pd.DataFrame:
    """Count works per country (or region) and outcome dimension.

    Parameters
    ----------
    matrix : DataFrame
        From :func:`load_matrix` (filter it first if needed).
    vocabulary : DataFrame, optional
        From :func:`load_vocabulary`; gives the full list of dimensions (zero
        counts included) and the Korean labels.
    by : {"country", "region"}
        The rows of the map.

    Returns
    -------
    DataFrame
        One row per (group, dimension): ``group`` (country code or region),
        ``group_label``, ``dimension``, ``dimension_label``, ``n_works``. Groups
        are ordered 한국/국내 first, then by number of coded works.

    Examples
    --------
    >>> m = load_matrix("data/literature")
    >>> voc = load_vocabulary("data/literature")
    >>> em = evidence_map(m, voc, by="region")
    >>> em.query("group == '해외' and dimension == 'cost'")["n_works"].item()
    6
    """
    if by not in ("country", "region"):
        raise ValueError(f"by는 'country' 또는 'region'이어야 합니다 / by must be 'country' or 'region': {by!r}")
    long = explode_dimensions(matrix)
    if by == "country":
        labels = dict(zip(matrix["country"], matrix["country_label"]))
        home = DOMESTIC_COUNTRY
    else:
        labels = {r: r for r in REGIONS}
        home = "국내"
    groups = list(dict.fromkeys(matrix[by]))
    size = long.groupby(by)["id"].nunique()
    groups.sort(key=lambda g: (g != home, g == "XX", -int(size.get(g, 0)), str(g)))
    dims = _dimension_order(vocabulary, long["dimension"])
    counts = long.groupby([by, "dimension"])["id"].nunique()
    rows = [
        {
            "group": g,
            "group_label": labels.get(g, g),
            "dimension": code,
            "dimension_label": label,
            "n_works": int(counts.get((g, code), 0)),
        }
        for g in groups
        for code, label in dims
    ]
    return pd.DataFrame(rows, columns=["group", "group_label", "dimension", "dimension_label", "n_works"])


def period_label(year: Any, breaks: Sequence[int] = DEFAULT_BREAKS) -> str:
    """The period of a year given ascending break years.

    Examples
    --------
    >>> period_label(1996), period_label(2012), period_label(2023), period_label(None)
    ('1999년 이전', '2010–2014년', '2020년 이후', '연도 미상')
    """
    if year is None or pd.isna(year):
        return UNKNOWN_PERIOD
    year = int(year)
    b = list(breaks)
    if year < b[0]:
        return f"{b[0] - 1}년 이전"
    for lo, hi in zip(b, b[1:]):
        if lo <= year < hi:
            return f"{lo}–{hi - 1}년"
    return f"{b[-1]}년 이후"


def period_labels(breaks: Sequence[int] = DEFAULT_BREAKS) -> list[str]:
    """All period labels in order, ending with :data:`UNKNOWN_PERIOD`."""
    b = list(breaks)
    if b != sorted(set(b)) or not b:
        raise ValueError(f"breaks는 오름차순이어야 합니다 / breaks must be strictly ascending: {b}")
    return [f"{b[0] - 1}년 이전"] + [f"{lo}–{hi - 1}년" for lo, hi in zip(b, b[1:])] + [f"{b[-1]}년 이후", UNKNOWN_PERIOD]


def works_by_method_period(
    matrix: pd.DataFrame, vocabulary: pd.DataFrame | None = None, breaks: Sequence[int] = DEFAULT_BREAKS
) -> pd.DataFrame:
    """Count works by method and publication period.

    Returns
    -------
    DataFrame
        Columns ``period`` (ordered categorical), ``method``, ``method_label``,
        ``n_works``; only combinations that occur.

    Examples
    --------
    >>> m = load_matrix("data/literature")
    >>> t = works_by_method_period(m)
    >>> int(t["n_works"].sum()) == len(m)
    True
    """
    order = period_labels(breaks)
    labels = _terms(vocabulary, "method") if vocabulary is not None else dict(zip(matrix["method"], matrix["method_label"]))
    df = pd.DataFrame(
        {"period": [period_label(y, breaks) for y in matrix["year"]], "method": matrix["method"].to_numpy()}
    )
    out = df.groupby(["period", "method"]).size().rename("n_works").reset_index()
    out["period"] = pd.Categorical(out["period"], categories=order, ordered=True)
    out["method_label"] = out["method"].map(labels)
    out = out.sort_values(["period", "n_works", "method"], ascending=[True, False, True])
    return out[["period", "method", "method_label", "n_works"]].reset_index(drop=True)


def dimension_contrast(matrix: pd.DataFrame, vocabulary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compare how often overseas and Korean works address each outcome dimension.

    The base of each percentage is the number of works of the region with at
    least one coded dimension (works the report only lists are left out).

    Returns
    -------
    DataFrame
        One row per dimension: ``dimension``, ``dimension_label``,
        ``n_overseas``, ``n_domestic``, ``base_overseas``, ``base_domestic``,
        ``pct_overseas``, ``pct_domestic``, ``pct_difference`` (domestic minus
        overseas, percentage points).

    Examples
    --------
    >>> m = filter_matrix(load_matrix("data/literature"), work_types=["research"])
    >>> c = dimension_contrast(m, load_vocabulary("data/literature")).set_index("dimension")
    >>> [int(v) for v in c.loc["process", ["n_overseas", "n_domestic"]]]
    [8, 21]
    """
    long = explode_dimensions(matrix)
    base = long.groupby("region")["id"].nunique()
    b_o, b_d = int(base.get("해외", 0)), int(base.get("국내", 0))
    counts = long.groupby(["dimension", "region"])["id"].nunique()
    rows = []
    for code, label in _dimension_order(vocabulary, long["dimension"]):
        n_o, n_d = int(counts.get((code, "해외"), 0)), int(counts.get((code, "국내"), 0))
        p_o = 100 * n_o / b_o if b_o else np.nan
        p_d = 100 * n_d / b_d if b_d else np.nan
        rows.append(
            {
                "dimension": code,
                "dimension_label": label,
                "n_overseas": n_o,
                "n_domestic": n_d,
                "base_overseas": b_o,
                "base_domestic": b_d,
                "pct_overseas": p_o,
                "pct_domestic": p_d,
                "pct_difference": p_d - p_o,
            }
        )
    return pd.DataFrame(rows)


def top_dimension(contrast: pd.DataFrame, region: str) -> pd.Series:
    """The most frequent dimension of a region in :func:`dimension_contrast` output.

    Returns
    -------
    Series
        ``dimension``, ``dimension_label``, ``n`` and ``pct``.
    """
    col = {"해외": "overseas", "국내": "domestic"}.get(region)
    if col is None:
        raise ValueError(f"region은 국내 또는 해외입니다 / region must be 국내 or 해외: {region!r}")
    row = contrast.sort_values([f"n_{col}", "dimension"], ascending=[False, True]).iloc[0]
    return pd.Series(
        {"dimension": row["dimension"], "dimension_label": row["dimension_label"], "n": int(row[f"n_{col}"]), "pct": row[f"pct_{col}"]}
    )


def matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix as shown in the book, with Korean headers.

    Returns
    -------
    DataFrame
        Columns 번호, 문헌 (authors and year), 국가, 프로그램·주제, 대상, 방법,
        성과 차원, 주요 내용, BibTeX 키.
    """
    year = matrix["year"].map(lambda y: "연도 미상" if pd.isna(y) else str(int(y)))
    out = pd.DataFrame(
        {
            "번호": matrix["id"],
            "문헌": matrix["authors"] + " (" + year + ")",
            "국가": matrix["country_label"],
            "프로그램·주제": matrix["programme"],
            "대상": matrix["population"],
            "방법": matrix["method_label"],
            "성과 차원": matrix["dimension_labels"].replace("", "–"),
            "주요 내용": matrix["finding_ko"],
            "BibTeX 키": matrix["bibtex_key"],
        }
    )
    return out.reset_index(drop=True)


def vocabulary_table(vocabulary: pd.DataFrame, kind: str = "dimension") -> pd.DataFrame:
    """One kind of vocabulary term with Korean headers (부호, 이름, 정의)."""
    if kind not in VOCAB_KINDS:
        raise ValueError(f"kind는 {VOCAB_KINDS} 중 하나입니다 / unknown kind: {kind!r}")
    sub = vocabulary[vocabulary["kind"] == kind]
    return sub[["code", "label_ko", "definition_ko"]].rename(columns=COLUMN_LABELS).reset_index(drop=True)


def korean_columns(df: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Select ``columns`` (default: all with a label) and rename them with :data:`COLUMN_LABELS`."""
    cols = list(columns) if columns is not None else [c for c in df.columns if c in COLUMN_LABELS]
    return df[cols].rename(columns=COLUMN_LABELS)


def citation_list_md(matrix: pd.DataFrame, region: str | None = None, role: str = "cite:t") -> str:
    """A MyST sentence citing every work of the matrix (for ``{glue:md}``).

    Examples
    --------
    >>> m = load_matrix("data/literature")
    >>> citation_list_md(m[m["bibtex_key"].isin(["vann2006", "leung2004"])])
    '{cite:t}`vann2006`, {cite:t}`leung2004`'
    """
    sub = matrix if region is None else matrix[matrix["region"] == region]
    if role not in ("cite:t", "cite:p", "cite"):
        raise ValueError(f"role은 cite, cite:t, cite:p입니다 / unknown role: {role!r}")
    return ", ".join(f"{{{role}}}`{k}`" for k in sub["bibtex_key"])


# ------------------------------------------------------------------ policy tables
_POLICY = {
    "timeline": (
        "policy_timeline.csv",
        {"year": [_YEAR_RE, True], "order": [_INT_RE, False], "event_short": [None, False], "event_ko": [None, False],
         "bibtex_keys": [r"^([a-z][a-z0-9_]*(; [a-z][a-z0-9_]*)*)?$", True], "source_lines": [_LINES_RE, False]},
        ("year", "order"),
        ("year", "order"),
    ),
    "indicators": (
        "policy_indicators.csv",
        {"year": [_YEAR_RE, False], "indicator": [r"^[a-z][a-z0-9_]*$", False], "label_ko": [None, False],
         "value": [_INT_RE, False], "unit": [None, False], "bibtex_key": [r"^([a-z][a-z0-9_]*)?$", True],
         "source_page": [_OPT_INT_RE, True], "source_lines": [_LINES_RE, False]},
        ("year", "indicator"),
        ("year", "value"),
    ),
    "staff": (
        "policy_staff_by_province.csv",
        {"table_id": [None, False], "as_of": [r"^\d{4}-\d{2}$", False], "province": [None, False], "role": [None, False],
         "centres": [_INT_RE, False], "persons": [_INT_RE, False], "bibtex_key": [_KEY_RE, False],
         "source_page": [_OPT_INT_RE, True], "source_lines": [_LINES_RE, False]},
        ("province", "role"),
        ("centres", "persons"),
    ),
    "team_roles": (
        "policy_team_roles.csv",
        {"table_id": [None, False], "unit": [None, False], "role_holder": [None, False], "item": [_INT_RE, False],
         "role": [None, False], "bibtex_key": [_KEY_RE, False], "source_page": [_OPT_INT_RE, True],
         "source_lines": [_LINES_RE, False]},
        ("role_holder", "item"),
        ("item",),
    ),
    "procedure": (
        "policy_procedure.csv",
        {"figure_id": [None, False], "step": [_INT_RE, False], "stage": [None, False], "task_no": [_INT_RE, False],
         "task": [None, False], "details": [None, True], "bibtex_key": [_KEY_RE, False],
         "source_page": [_OPT_INT_RE, True], "source_lines": [_LINES_RE, False]},
        ("step", "task_no"),
        ("step", "task_no"),
    ),
    "plans": (
        "policy_plans.csv",
        {"table_id": [None, False], "plan": [_INT_RE, False], "plan_label": [None, False],
         "period_start": [_YEAR_RE, False], "period_end": [_YEAR_RE, False], "item_type": [r"^(goal|task)$", False],
         "item_no": [_INT_RE, False], "text": [None, False], "bibtex_key": [_KEY_RE, False],
         "source_page": [_OPT_INT_RE, True], "source_lines": [_LINES_RE, False]},
        ("plan", "item_type", "item_no"),
        ("plan", "period_start", "period_end", "item_no"),
    ),
    "awards": (
        "policy_awards.csv",
        {"table_id": [None, False], "year": [_YEAR_RE, False], "category": [None, False],
         "entries": [_OPT_INT_RE, True], "is_total": [r"^(True|False)$", False], "bibtex_key": [_KEY_RE, False],
         "source_lines": [_LINES_RE, False]},
        ("year", "category"),
        ("year", "entries"),
    ),
}
POLICY_TABLES = tuple(_POLICY)


def load_policy(folder: str | Path, name: str) -> pd.DataFrame:
    """Read and validate one policy table of Chapter Ⅱ.

    Parameters
    ----------
    folder : str or Path
        The literature folder.
    name : str
        One of ``timeline``, ``indicators``, ``staff`` (표 Ⅱ-7), ``team_roles``
        (표 Ⅱ-8), ``procedure`` (그림 Ⅱ-3), ``plans`` (표 Ⅱ-14), ``awards``
        (표 Ⅱ-12).

    Returns
    -------
    DataFrame
        The file's columns; counts and years as integers (nullable where a cell
        may be empty), ``is_total`` as bool. Every BibTeX key must exist in
        ``references.bib``; keys such as (year, indicator) must be unique; the
        award totals must equal the sum of their categories, and persons may not
        be fewer than centres.

    Examples
    --------
    >>> roles = load_policy("data/literature", "team_roles")
    >>> roles.groupby("role_holder", sort=False).size().tolist()
    [5, 7, 9, 9, 4]
    """
    if name not in _POLICY:
        raise ValueError(f"정책 표 이름은 {POLICY_TABLES} 중 하나입니다 / unknown policy table: {name!r}")
    folder = _folder(folder)
    fname, spec, unique, ints = _POLICY[name]
    path = folder / fname
    df = _read_csv(path, tuple(spec))
    checks = {}
    for col, (pattern, optional) in spec.items():
        chk = []
        if pattern is not None:
            chk.append(_check(pattern, "형식이 맞지 않습니다", f"does not match {pattern}"))
        if not optional:
            chk.append(_nonempty())
        checks[col] = chk
    problems = _pandera_problems(path, df, checks)
    problems += _duplicates(path, df, unique, "키")
    keys = set(load_bibliography(folder)["bibtex_key"])
    key_col = "bibtex_keys" if "bibtex_keys" in df.columns else "bibtex_key"
    for i, r in df.iterrows():
        for k in _split(r[key_col]):
            if re.match(_KEY_RE, k) and k not in keys:
                problems.append(
                    f"{path} {_row_no(i)}행, 열 '{key_col}': {BIB_FILE}에 {k!r} 항목이 없습니다 / no entry {k!r} in {BIB_FILE}"
                )
    _raise(problems)
    out = df.copy()
    for col in ints:
        out[col] = pd.to_numeric(out[col].replace("", np.nan)).astype("Int64")
    if name == "awards":
        out["is_total"] = out["is_total"] == "True"
        _check_award_totals(path, out)
    if name == "staff":
        bad = out[out["persons"] < out["centres"]]
        _raise([f"{path} {_row_no(i)}행: 인원이 개소 수보다 적습니다 / persons fewer than centres" for i in bad.index])
    if name == "indicators":
        lab = out.groupby("indicator")[["label_ko", "unit"]].nunique()
        _raise([f"{path}: 지표 {k!r}의 이름이나 단위가 행마다 다릅니다 / inconsistent label or unit" for k in lab.index[(lab > 1).any(axis=1)]])
    return out.reset_index(drop=True)


def _check_award_totals(path: Path, awards: pd.DataFrame) -> None:
    problems = []
    for year, grp in awards.groupby("year"):
        tot = grp[grp["is_total"]]
        parts = int(grp.loc[~grp["is_total"], "entries"].fillna(0).sum())
        if len(tot) != 1:
            problems.append(f"{path}: {year}년 합계 행이 하나여야 합니다 / one total row per year")
        elif int(tot["entries"].iloc[0]) != parts:
            problems.append(
                f"{path} {_row_no(tot.index[0])}행: {year}년 합계 {int(tot['entries'].iloc[0])}이(가) 항목의 합 {parts}과 다릅니다 / "
                f"total differs from the sum of categories"
            )
    _raise(problems)


def staff_totals(staff: pd.DataFrame, centres_total: int | None = None) -> pd.DataFrame:
    """Sum 표 Ⅱ-7 over provinces.

    Parameters
    ----------
    staff : DataFrame
        ``load_policy(folder, "staff")``.
    centres_total : int, optional
        Number of local self-sufficiency centres, for the share of centres.

    Returns
    -------
    DataFrame
        One row per role (table order): ``role``, ``centres``, ``persons``,
        ``pct_centres`` (NaN without ``centres_total``).

    Examples
    --------
    >>> s = staff_totals(load_policy("data/literature", "staff"), 250)
    >>> s[["centres", "persons"]].values.tolist()
    [[125, 125], [164, 164], [142, 146]]
    >>> s["pct_centres"].round(1).tolist()
    [50.0, 65.6, 56.8]
    """
    out = staff.groupby("role", sort=False)[["centres", "persons"]].sum().reset_index()
    out[["centres", "persons"]] = out[["centres", "persons"]].astype(int)
    out["pct_centres"] = 100 * out["centres"] / centres_total if centres_total else np.nan
    return out


def staff_table(staff: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅱ-7 in print layout: one row per province plus a computed total row."""
    wide = staff.pivot_table(index="province", columns="role", values=["centres", "persons"], aggfunc="sum", sort=False)
    roles = list(dict.fromkeys(staff["role"]))
    provinces = list(dict.fromkeys(staff["province"]))
    out = pd.DataFrame({"시도": provinces + ["합계(계산)"]})
    for role in roles:
        for col, lab in (("centres", "개소"), ("persons", "인원")):
            vals = wide[(col, role)].reindex(provinces).astype(int).tolist()
            out[f"{role} {lab}"] = vals + [int(sum(vals))]
    return out


def indicator_series(indicators: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The yearly values of one indicator: ``year``, ``value``, ``unit``, ``note``."""
    sub = indicators[indicators["indicator"] == indicator]
    if sub.empty:
        raise ValueError(f"지표가 없습니다 / indicator not found: {indicator!r} (있는 지표 / available: {sorted(set(indicators['indicator']))})")
    return sub[["year", "value", "unit", "note"]].sort_values("year").reset_index(drop=True)


def indicator_value(indicators: pd.DataFrame, indicator: str, year: int | None = None) -> int:
    """One value of an indicator (the latest year when ``year`` is None).

    Examples
    --------
    >>> ind = load_policy("data/literature", "indicators")
    >>> indicator_value(ind, "centres_total"), indicator_value(ind, "case_managers", 2012)
    (250, 60)
    """
    s = indicator_series(indicators, indicator)
    if year is None:
        return int(s["value"].iloc[-1])
    hit = s[s["year"] == year]
    if hit.empty:
        raise ValueError(f"{indicator}: {year}년 값이 없습니다 / no value for {year}")
    return int(hit["value"].iloc[0])


def indicator_table(indicators: pd.DataFrame, indicator: str, row_label: str) -> pd.DataFrame:
    """One indicator laid out like the report (years as columns, one row)."""
    s = indicator_series(indicators, indicator)
    out = pd.DataFrame({"구분": [row_label]})
    for _, r in s.iterrows():
        out[f"{int(r['year'])}년"] = [int(r["value"])]
    return out


def timeline_table(events: pd.DataFrame) -> pd.DataFrame:
    """The policy events as shown in the book: 연도, 사건, 내용, 출처(BibTeX 키), 보고서 줄.

    Examples
    --------
    >>> t = timeline_table(load_policy("data/literature", "timeline"))
    >>> t.loc[0, "사건"], int(t.loc[0, "연도"])
    ('기초생활보장제도 시행', 2000)
    """
    e = events.sort_values(["year", "order"])
    return pd.DataFrame(
        {
            "연도": e["year"].astype(int),
            "사건": e["event_short"],
            "내용": e["event_ko"],
            "출처(BibTeX 키)": e["bibtex_keys"].replace("", "보고서에 출처 없음"),
            "보고서 줄": e["source_lines"],
        }
    ).reset_index(drop=True)


def team_roles_table(roles: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅱ-8: one row per role holder with the roles joined by `` · ``."""
    g = roles.sort_values(["item"], kind="stable").groupby(["unit", "role_holder"], sort=False)
    out = g.agg(n=("role", "size"), roles=("role", " · ".join)).reset_index()
    order = list(dict.fromkeys(zip(roles["unit"], roles["role_holder"])))
    out["_o"] = [order.index(k) for k in zip(out["unit"], out["role_holder"])]
    out = out.sort_values("_o").drop(columns="_o")
    return out.rename(columns={"unit": "구분", "role_holder": "담당자", "n": "역할 수", "roles": "역할"}).reset_index(drop=True)


def procedure_table(procedure: pd.DataFrame) -> pd.DataFrame:
    """그림 Ⅱ-3 as a table: 단계, 과업, 세부 내용."""
    p = procedure.sort_values(["step", "task_no"])
    return pd.DataFrame(
        {
            "단계": "STEP " + p["step"].astype(int).map("{:02d}".format) + " " + p["stage"],
            "과업": p["task"],
            "세부 내용": p["details"].replace("", "–"),
        }
    ).reset_index(drop=True)


def plans_table(plans: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅱ-14 in print layout: rows 기간, 목표, 추진과제 n; one column per plan."""
    cols = {}
    for plan, grp in plans.groupby("plan", sort=True):
        first = grp.iloc[0]
        goal = grp[grp["item_type"] == "goal"]["text"].tolist()
        tasks = grp[grp["item_type"] == "task"].sort_values("item_no")["text"].tolist()
        cols[f"{first['plan_label']} 기본계획"] = [f"{int(first['period_start'])}–{int(first['period_end'])}년"] + goal + tasks
    n = max(len(v) for v in cols.values())
    labels = ["기간", "목표"] + [f"추진과제 {i}" for i in range(1, n - 1)]
    out = pd.DataFrame({"구분": labels})
    for k, v in cols.items():
        out[k] = v + [""] * (n - len(v))
    return out


def awards_table(awards: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅱ-12 in print layout: one row per year, categories as columns, total first."""
    order = list(dict.fromkeys(awards["category"]))
    wide = awards.pivot(index="year", columns="category", values="entries")[order]
    wide.index = [f"{int(y)}년" for y in wide.index]
    return wide.rename_axis("연도").reset_index()


# ------------------------------------------------------------------ PRISMA 2020
PRISMA_FIELDS = (
    "database_results", "register_results", "duplicates", "excluded_automatic", "excluded_other",
    "records_screened", "records_excluded", "reports_sought", "reports_not_retrieved", "reports_assessed",
    "reports_excluded", "other_results", "other_sought", "other_not_retrieved", "other_assessed",
    "other_excluded", "reports_included", "studies_included",
)
_STATUS_KO = {"ok": "맞음", "fail": "맞지 않음", "not_reported": "보고되지 않음"}


def _prisma_dict(counts: Any) -> dict[str, Any] | None:
    if counts is None:
        return None
    if hasattr(counts, "model_dump"):
        counts = counts.model_dump()
    if not isinstance(counts, Mapping):
        raise ValueError(f"PRISMA 건수는 사전이어야 합니다 / PRISMA counts must be a mapping, got {type(counts).__name__}")
    unknown = sorted(set(counts) - set(PRISMA_FIELDS))
    if unknown:
        raise ValueError(f"알 수 없는 PRISMA 항목 / unknown PRISMA fields: {unknown}")
    out = {f: counts.get(f) for f in PRISMA_FIELDS}
    for f, v in out.items():
        if v is None:
            continue
        vals = v.values() if isinstance(v, Mapping) else [v]
        for x in vals:
            if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < 0:
                raise ValueError(f"PRISMA 항목 {f}: 0 이상의 정수여야 합니다 / must be a non-negative integer: {x!r}")
    return out


def _sum_reasons(v: Mapping[str, int] | None) -> int | None:
    return None if v is None else int(sum(v.values()))


def check_prisma(counts: Mapping[str, Any] | Any | None) -> pd.DataFrame:
    """Check the arithmetic between the boxes of a PRISMA 2020 flow diagram.

    Parameters
    ----------
    counts : mapping, PrismaCounts or None
        Counts named as in :data:`PRISMA_FIELDS` (``reports_excluded`` and
        ``other_excluded`` map reasons to counts). ``None`` means the study did
        not report them.

    Returns
    -------
    DataFrame
        One row per check: ``check``, ``description`` (Korean), ``expected``
        (computed from the earlier boxes), ``observed`` (the reported box),
        ``status`` (``ok``, ``fail`` or ``not_reported``) and ``status_label``.
        The other-methods checks appear only when that arm has counts.

    Notes
    -----
    * records screened = database + register − duplicates − removed by
      automation − removed for other reasons
    * reports sought = records screened − records excluded
    * reports assessed = reports sought − reports not retrieved
    * (other methods) reports sought ≤ records identified; assessed = sought −
      not retrieved
    * reports included = Σ over arms (assessed − Σ excluded with reasons)
    * studies included ≤ reports included

    Examples
    --------
    >>> ok = dict(database_results=120, register_results=0, duplicates=20, excluded_automatic=0,
    ...           excluded_other=0, records_screened=100, records_excluded=70, reports_sought=30,
    ...           reports_not_retrieved=2, reports_assessed=28, reports_excluded={"대상 불일치": 10},
    ...           reports_included=18, studies_included=17)
    >>> check_prisma(ok)["status"].unique().tolist()
    ['ok']
    >>> check_prisma(None)["status"].unique().tolist()
    ['not_reported']
    """
    c = _prisma_dict(counts)
    g = (lambda f: None) if c is None else c.get
    rows: list[dict[str, Any]] = []

    def add(check: str, desc: str, expected: int | None, observed: int | None, rel: str = "==") -> None:
        if expected is None or observed is None:
            status = "not_reported"
        elif rel == "==":
            status = "ok" if expected == observed else "fail"
        else:
            status = "ok" if observed <= expected else "fail"
        rows.append({"check": check, "description": desc, "expected": expected, "observed": observed, "status": status})

    def calc(*terms: tuple[int, str | int | None]) -> int | None:
        total = 0
        for sign, f in terms:
            v = f if isinstance(f, int) else (_sum_reasons(g(f)) if f in ("reports_excluded", "other_excluded") else g(f))
            if v is None:
                return None
            total += sign * int(v)
        return total

    add("records_screened", "선별한 기록 = 데이터베이스 + 등록부 − 중복 − 자동 제외 − 기타 제외",
        calc((1, "database_results"), (1, "register_results"), (-1, "duplicates"), (-1, "excluded_automatic"), (-1, "excluded_other")),
        g("records_screened"))
    add("reports_sought", "원문을 찾은 보고서 = 선별한 기록 − 선별에서 제외한 기록",
        calc((1, "records_screened"), (-1, "records_excluded")), g("reports_sought"))
    add("reports_assessed", "적격성을 평가한 보고서 = 원문을 찾은 보고서 − 찾지 못한 보고서",
        calc((1, "reports_sought"), (-1, "reports_not_retrieved")), g("reports_assessed"))
    other_used = c is not None and any(c.get(f) is not None for f in PRISMA_FIELDS if f.startswith("other_"))
    if other_used:
        add("other_sought", "(기타 방법) 원문을 찾은 보고서 ≤ 찾은 기록",
            g("other_results"), g("other_sought"), rel="<=")
        add("other_assessed", "(기타 방법) 적격성 평가 = 원문을 찾은 보고서 − 찾지 못한 보고서",
            calc((1, "other_sought"), (-1, "other_not_retrieved")), g("other_assessed"))
    included = calc((1, "reports_assessed"), (-1, "reports_excluded"))
    if other_used and included is not None:
        more = calc((1, "other_assessed"), (-1, "other_excluded"))
        included = None if more is None else included + more
    add("reports_included", "포함한 보고서 = 적격성 평가 − 사유별 제외 (방법별 합)", included, g("reports_included"))
    reports = g("reports_included") if g("reports_included") is not None else included
    add("studies_included", "포함한 연구 수 ≤ 포함한 보고서 수", reports, g("studies_included"), rel="<=")
    out = pd.DataFrame(rows, columns=["check", "description", "expected", "observed", "status"])
    out["expected"] = out["expected"].astype("Int64")
    out["observed"] = out["observed"].astype("Int64")
    out["status_label"] = out["status"].map(_STATUS_KO)
    return out


def prisma_problems(counts: Any) -> list[str]:
    """Bilingual messages for the failing PRISMA checks (empty when all add up)."""
    checks = check_prisma(counts)
    return [
        f"상자 '{r.check}': {r.description} — 계산값 {r.expected}, 보고값 {r.observed} / "
        f"box '{r.check}' does not add up (expected {r.expected}, reported {r.observed})"
        for r in checks.itertuples()
        if r.status == "fail"
    ]


def validate_prisma(counts: Any, source: str = "parameters.prisma") -> pd.DataFrame:
    """Raise :class:`LiteratureError` naming ``source`` and the box when counts do not add up.

    Returns the checks (see :func:`check_prisma`) when they do.
    """
    try:
        problems = prisma_problems(counts)
    except ValueError as exc:
        raise LiteratureError(f"{source}: {exc}") from None
    _raise([f"{source}: {p}" for p in problems], what=f"PRISMA 건수({source}) / PRISMA counts")
    return check_prisma(counts)


def prisma_status_ko(counts: Any) -> str:
    """A short Korean phrase saying whether the counts were reported and add up."""
    checks = check_prisma(counts)
    if (checks["status"] == "not_reported").all():
        return "보고되지 않았습니다"
    if (checks["status"] == "fail").any():
        return "보고되었으나 상자 사이의 산술이 맞지 않습니다"
    if (checks["status"] == "not_reported").any():
        return "일부만 보고되었습니다"
    return "보고되었고 상자 사이의 산술이 모두 맞습니다"


# ------------------------------------------------------------------ figures
def _korean_font() -> None:
    from .figures import use_korean_font

    use_korean_font()


def _n(v: Any) -> str:
    if v is None:
        return "n = 보고되지 않음"
    return f"n = {int(v):,}"


def plot_prisma(counts: Any = None):
    """Draw the PRISMA 2020 flow diagram (new reviews, databases and registers arm).

    Boxes without a reported count read "보고되지 않음"; nothing is invented.
    The other-methods arm is drawn when it has counts. Returns the Figure.

    Examples
    --------
    >>> fig = plot_prisma(None)
    >>> any("보고되지 않음" in t.get_text() for t in fig.axes[0].texts)
    True
    """
    import matplotlib.pyplot as plt

    _korean_font()
    from matplotlib.patches import FancyBboxPatch

    c = _prisma_dict(counts) or {f: None for f in PRISMA_FIELDS}
    other = any(c.get(f) is not None for f in PRISMA_FIELDS if f.startswith("other_"))
    fig, ax = plt.subplots(figsize=(10 if other else 8, 8.6))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")

    def reasons(v: Mapping[str, int] | None) -> str:
        if v is None:
            return "\n사유별 건수 보고되지 않음"
        return "".join(f"\n{k}: {_n(n)}" for k, n in v.items())

    def box(x: float, y: float, w: float, h: float, text: str, head: bool = False) -> tuple[float, float, float, float]:
        patch = FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.004,rounding_size=0.01",
                               fc="#dce9f5" if head else "white", ec="#2b4c7e", lw=1.1)
        ax.add_patch(patch)
        ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=8.5, wrap=True)
        return (x, y, w, h)

    def arrow(a: tuple, b: tuple, side: bool = False) -> None:
        if side:
            y = min(max(b[1] + b[3] / 2, a[1] + 0.01), a[1] + a[3] - 0.01)
            start, end = (a[0] + a[2], y), (b[0], y)
        else:
            start, end = (a[0] + a[2] / 2, a[1]), (b[0] + b[2] / 2, b[1] + b[3])
        ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="-|>", color="#2b4c7e", lw=1))

    w_main, w_side = (0.27, 0.22) if other else (0.40, 0.34)
    x_main, x_side = 0.10, (0.40 if other else 0.58)
    rows_y = [0.80, 0.62, 0.46, 0.30, 0.08]
    h = 0.13
    box(x_main, 0.945, (x_side + w_side) - x_main, 0.045, "데이터베이스와 등록부를 통한 문헌 식별", head=True)
    ident = box(x_main, rows_y[0], w_main, h,
                f"데이터베이스에서 찾은 기록\n{_n(c['database_results'])}\n등록부에서 찾은 기록\n{_n(c['register_results'])}")
    removed = box(x_side, rows_y[0] - 0.01, w_side, h + 0.01,
                  f"선별 전에 뺀 기록\n중복: {_n(c['duplicates'])}\n자동화 도구로 제외: {_n(c['excluded_automatic'])}\n"
                  f"기타 사유로 제외: {_n(c['excluded_other'])}")
    screened = box(x_main, rows_y[1], w_main, 0.08, f"선별한 기록\n{_n(c['records_screened'])}")
    excl = box(x_side, rows_y[1], w_side, 0.08, f"제외한 기록\n{_n(c['records_excluded'])}")
    sought = box(x_main, rows_y[2], w_main, 0.08, f"원문을 찾은 보고서\n{_n(c['reports_sought'])}")
    notret = box(x_side, rows_y[2], w_side, 0.08, f"원문을 구하지 못한 보고서\n{_n(c['reports_not_retrieved'])}")
    assessed = box(x_main, rows_y[3], w_main, 0.08, f"적격성을 평가한 보고서\n{_n(c['reports_assessed'])}")
    rex = c["reports_excluded"]
    n_reason = 1 if rex is None else max(1, len(rex))
    rh = 0.06 + 0.025 * n_reason
    rexcl = box(x_side, rows_y[3] + 0.08 - rh, w_side, rh, "제외한 보고서" + reasons(rex))
    incl = box(x_main, rows_y[4], w_main, 0.11,
               f"검토에 포함한 연구\n{_n(c['studies_included'])}\n포함한 보고서\n{_n(c['reports_included'])}")
    arrow(ident, removed, side=True)
    arrow(ident, screened)
    arrow(screened, excl, side=True)
    arrow(screened, sought)
    arrow(sought, notret, side=True)
    arrow(sought, assessed)
    arrow(assessed, rexcl, side=True)
    arrow(assessed, incl)
    if other:
        xo, wo = 0.66, 0.15
        xs, ws = 0.83, 0.16
        box(xo, 0.945, xs + ws - xo, 0.045, "기타 방법을 통한 문헌 식별", head=True)
        o_id = box(xo, rows_y[0], wo, h, f"웹사이트·기관·인용 검색\n에서 찾은 기록\n{_n(c['other_results'])}")
        o_so = box(xo, rows_y[2], wo, 0.08, f"원문을 찾은 보고서\n{_n(c['other_sought'])}")
        o_nr = box(xs, rows_y[2], ws, 0.08, f"원문을 구하지 못한\n보고서\n{_n(c['other_not_retrieved'])}")
        o_as = box(xo, rows_y[3], wo, 0.08, f"적격성을 평가한\n보고서\n{_n(c['other_assessed'])}")
        oex = c["other_excluded"]
        n_o = 1 if oex is None else max(1, len(oex))
        orh = 0.06 + 0.025 * n_o
        o_ex = box(xs, rows_y[3] + 0.08 - orh, ws, orh, "제외한 보고서" + reasons(oex))
        arrow(o_id, o_so)
        arrow(o_so, o_nr, side=True)
        arrow(o_so, o_as)
        arrow(o_as, o_ex, side=True)
        ax.annotate("", xy=(incl[0] + incl[2], incl[1] + incl[3] / 2), xytext=(o_as[0] + o_as[2] / 2, o_as[1]),
                    arrowprops=dict(arrowstyle="-|>", color="#2b4c7e", lw=1, connectionstyle="angle,angleA=-90,angleB=0"))
    for y, label in ((rows_y[0] + 0.05, "식별"), ((rows_y[1] + rows_y[3]) / 2 + 0.04, "선별"), (rows_y[4] + 0.05, "포함")):
        ax.text(0.04, y, label, rotation=90, ha="center", va="center", fontsize=10, fontweight="bold", color="#2b4c7e")
    fig.tight_layout()
    return fig


def plot_evidence_map(emap: pd.DataFrame, *, xlabel: str = "성과 차원", ylabel: str = "국가"):
    """Heat map of :func:`evidence_map` output (rows: groups, columns: dimensions)."""
    import matplotlib.pyplot as plt

    _korean_font()
    import seaborn as sns

    if emap.empty:
        raise ValueError("근거 지도가 비어 있습니다(필터 결과 문헌 없음) / the evidence map is empty")
    groups = list(dict.fromkeys(emap["group_label"]))
    dims = list(dict.fromkeys(emap["dimension_label"]))
    grid = emap.pivot(index="group_label", columns="dimension_label", values="n_works").reindex(index=groups, columns=dims)
    fig, ax = plt.subplots(figsize=(max(7.5, 0.62 * len(dims) + 2), max(3.0, 0.5 * len(groups) + 1.6)))
    sns.heatmap(grid, annot=True, fmt="d", cmap="Blues", cbar_kws={"label": "문헌 수"}, linewidths=0.5,
                linecolor="white", ax=ax, annot_kws={"fontsize": 9})
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", rotation=45)
    plt.setp(ax.get_xticklabels(), ha="right", rotation_mode="anchor")
    ax.tick_params(axis="y", rotation=0)
    fig.tight_layout()
    return fig


def plot_method_period(table: pd.DataFrame):
    """Stacked bars of :func:`works_by_method_period` output (x: period, colour: method)."""
    import matplotlib.pyplot as plt

    _korean_font()
    import seaborn as sns

    if table.empty:
        raise ValueError("표가 비어 있습니다 / the table is empty")
    periods = [p for p in table["period"].cat.categories if p in set(table["period"].astype(str))]
    wide = table.pivot_table(index="period", columns="method_label", values="n_works", aggfunc="sum",
                             observed=True).reindex(periods).fillna(0)
    unknown = "방법 미기재"
    order = [c for c in wide.sum().sort_values(ascending=False).index if c != unknown]
    order += [unknown] if unknown in wide.columns else []
    wide = wide[order]
    fig, ax = plt.subplots(figsize=(9, 4.6))
    colors = sns.color_palette("tab20", n_colors=max(1, len(order) - (unknown in order)))
    colors = list(colors) + (["#b9b9b9"] if unknown in order else [])
    bottom = np.zeros(len(wide))
    for color, col in zip(colors, wide.columns):
        ax.bar(range(len(wide)), wide[col].to_numpy(), bottom=bottom, color=color, label=col, width=0.65)
        bottom += wide[col].to_numpy()
    ax.set_xticks(range(len(wide)), [p.replace("–", "–\n") if "–" in p else p for p in wide.index], fontsize=9)
    ax.set_ylim(0, bottom.max() * 1.1)
    ax.set_xlabel("발표 시기")
    ax.set_ylabel("문헌 수")
    ax.legend(title="방법", bbox_to_anchor=(1.02, 1), loc="upper left", fontsize=8, title_fontsize=9, frameon=False)
    fig.tight_layout()
    return fig


def plot_dimension_contrast(contrast: pd.DataFrame):
    """Horizontal bars: share of overseas and Korean works addressing each dimension."""
    import matplotlib.pyplot as plt

    _korean_font()
    import seaborn as sns

    c = contrast.sort_values("pct_overseas", ascending=True)
    long = pd.concat(
        [
            pd.DataFrame({"dimension_label": c["dimension_label"], "구분": "해외", "pct": c["pct_overseas"]}),
            pd.DataFrame({"dimension_label": c["dimension_label"], "구분": "국내", "pct": c["pct_domestic"]}),
        ]
    )
    fig, ax = plt.subplots(figsize=(7.5, 0.36 * len(c) + 1.4))
    sns.barplot(data=long, y="dimension_label", x="pct", hue="구분", hue_order=["해외", "국내"],
                order=list(c["dimension_label"])[::-1], ax=ax, orient="h")
    ax.set_xlabel("해당 차원을 다룬 문헌의 비율(%)")
    ax.set_ylabel("성과 차원")
    ax.legend(title="", loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def plot_policy_timeline(events: pd.DataFrame, indicators: pd.DataFrame, staff: pd.DataFrame | None = None):
    """Events on a time line above the case-manager counts and the budget.

    Parameters
    ----------
    events : DataFrame
        ``load_policy(folder, "timeline")``.
    indicators : DataFrame
        ``load_policy(folder, "indicators")`` (uses ``case_managers`` and ``cm_budget``).
    staff : DataFrame, optional
        ``load_policy(folder, "staff")``: adds the Gateway and 통장 managers of '22.12.
    """
    import matplotlib.pyplot as plt

    _korean_font()

    ev = events.sort_values(["year", "order"]).reset_index(drop=True)
    years = ev["year"].astype(int)
    y0, y1 = int(years.min()) - 1, int(years.max()) + 1
    split = y0 + (y1 - y0) * 0.45
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 8.4), sharex=True, gridspec_kw={"height_ratios": [1.25, 1]})
    n = len(ev)
    for k, e in ev.iterrows():
        y = n - k
        ax1.plot(int(e["year"]), y, "o", color="#2b4c7e", ms=4.5)
        right = int(e["year"]) < split
        ax1.text(int(e["year"]) + (0.35 if right else -0.35), y, f"{int(e['year'])} {e['event_short']}",
                 ha="left" if right else "right", va="center", fontsize=8)
    ax1.set_ylim(0.3, n + 0.7)
    ax1.set_yticks([])
    ax1.grid(axis="y", visible=False)
    ax1.set_title("주요 정책 사건", fontsize=10, loc="left")
    cm = indicator_series(indicators, "case_managers")
    ax2.bar(cm["year"].astype(int), cm["value"].astype(int), color="#4c72b0", width=0.6, label="자활사례관리자(명)")
    for _, r in cm.iterrows():
        ax2.text(int(r["year"]), int(r["value"]) - 3, f"{int(r['value'])}", ha="center", va="top", fontsize=8, color="white")
    if staff is not None:
        tot = staff_totals(staff)
        markers = iter(["D", "s", "^"])
        for _, r in tot.iloc[1:].iterrows():
            ax2.plot(2022.6, r["persons"], next(markers), ms=6, label=f"{r['role']}(명, '22.12)")
    ax2.set_ylabel("인원(명)")
    ax2.set_xlabel("연도")
    axb = ax2.twinx()
    bud = indicator_series(indicators, "cm_budget")
    axb.plot(bud["year"].astype(int), bud["value"].astype(float) / 1e5, "-o", color="#dd8452", label="사례관리 예산(억 원)")
    axb.set_ylabel("예산(억 원)")
    axb.set_ylim(0, float(bud["value"].max()) / 1e5 * 1.35)
    axb.grid(False)
    h1, l1 = ax2.get_legend_handles_labels()
    h2, l2 = axb.get_legend_handles_labels()
    ax2.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8, frameon=False)
    ax2.set_ylim(0, max(int(cm["value"].max()), 170) * 1.25)
    ax2.set_xlim(y0, y1)
    ax2.set_title("사례관리 인력과 예산", fontsize=10, loc="left")
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------ Korean citation styles
_HANGUL = re.compile(r"[가-힣]")
KO_REFERENCE_STYLE = "author_year_ko"
KO_BIBLIOGRAPHY_STYLE = "plain_ko"


def join_names_ko(names: Sequence[Any], others: bool = False, full: bool = True) -> Any:
    """Join formatted author names the Korean way when they are in Hangul.

    Hangul names are joined with ``·`` and an incomplete list ends in ``외``;
    other names keep the English separators (``and``, ``et al.``).
    ``full=False`` (in-text citations) shortens three or more names to the
    first one. ``names`` may be strings or pybtex rich text.

    Examples
    --------
    >>> join_names_ko(["백학영", "김경휘"]), join_names_ko(["박지영"], others=True)
    ('백학영·김경휘', '박지영 외')
    >>> join_names_ko(["이기연", "박지영", "이은정"], full=False)
    '이기연 외'
    >>> join_names_ko(["Ross", "Curry", "Goodwin"]), join_names_ko(["Brown"], others=True)
    ('Ross, Curry, and Goodwin', 'Brown et al.')
    """
    from pybtex.richtext import Text

    parts = [p for p in names if str(p)]
    if not parts:
        return "" if all(isinstance(p, str) for p in names) else Text()
    hangul = bool(_HANGUL.search(str(parts[0])))
    short = others or (not full and len(parts) > 2)
    as_str = all(isinstance(p, str) for p in parts)
    if short:
        out = Text(parts[0], " 외" if hangul else " et al.")
    elif len(parts) == 1:
        out = Text(parts[0])
    elif hangul:
        out = Text("·").join(parts)
    elif len(parts) == 2:
        out = Text(" and ").join(parts)
    else:
        out = Text(", and ").join([Text(", ").join(parts[:-1]), parts[-1]])
    return str(out) if as_str else out


def _ko_names_node():
    from pybtex.style.template import node

    @node
    def ko_names(children, data, role, full=True):
        """Format the persons of ``role`` with :func:`join_names_ko` (pybtex template node)."""
        from pybtex.style.template import FieldIsMissing

        try:
            persons = data["entry"].persons[role]
        except KeyError:
            raise FieldIsMissing(role, data["entry"])
        style = data["style"]
        if hasattr(style, "person"):  # sphinxcontrib-bibtex referencing style
            fmt, abbr = style.person.style_plugin.format, style.person.abbreviate
        else:  # pybtex formatting style
            fmt, abbr = style.format_name, style.abbreviate_names
        real = [p for p in persons if str(p) != "others"]
        texts = [fmt(p, abbr).format_data(data) for p in real]
        return join_names_ko(texts, others=len(real) < len(persons), full=full)

    return ko_names


def bibtex_styles() -> tuple[type, type]:
    """Build the Korean reference style and bibliography style classes.

    Returns ``(reference_style, bibliography_style)``: an author–year
    referencing style for sphinxcontrib-bibtex and a pybtex formatting style
    (``plain`` with Korean name joining and titles kept as written).
    """
    from dataclasses import dataclass, field as dc_field

    from pybtex.style.formatting.plain import Style as PlainStyle
    from pybtex.style.template import field, first_of, optional, sentence, tag
    from sphinxcontrib.bibtex.style.referencing import PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    ko_names = _ko_names_node()

    @dataclass
    class KoreanPersonStyle(PersonStyle):
        def names(self, role: str, full: bool):
            return ko_names(role=role, full=full)

        def author_or_editor_or_title(self, full: bool):
            return first_of[
                optional[ko_names(role="author", full=full)],
                optional[ko_names(role="editor", full=full)],
                tag("em")[field("title")],
            ]

    @dataclass
    class KoreanAuthorYearStyle(AuthorYearReferenceStyle):
        person: PersonStyle = dc_field(default_factory=KoreanPersonStyle)

    class KoreanPlainStyle(PlainStyle):
        def format_names(self, role, as_sentence=True):
            formatted = ko_names(role=role, full=True)
            return sentence[formatted] if as_sentence else formatted

        def format_title(self, e, which_field, as_sentence=True):
            formatted = field(which_field)
            return sentence[formatted] if as_sentence else formatted

    return KoreanAuthorYearStyle, KoreanPlainStyle


def register_bibtex_styles() -> None:
    """Register ``author_year_ko`` (references) and ``plain_ko`` (bibliography)."""
    import pybtex.plugin
    from sphinxcontrib.bibtex.plugin import register_plugin

    ref, bib = bibtex_styles()
    register_plugin("sphinxcontrib.bibtex.style.referencing", KO_REFERENCE_STYLE, ref, force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", KO_BIBLIOGRAPHY_STYLE, bib, force=True)


def setup(app: Any) -> dict[str, Any]:
    """Sphinx extension: ``extra_extensions: [jahwal.lit]`` registers the Korean citation styles.

    Then ``bibtex_reference_style: author_year_ko`` gives in-text citations
    such as ``백학영·김경휘 [2013]`` and ``박지영 외 [2021]``, and
    ``:style: plain_ko`` in the ``{bibliography}`` directive lists entries the
    same way.
    """
    register_bibtex_styles()
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}


# ------------------------------------------------------------------ folder check and command
def check_folder(folder: str | Path) -> pd.DataFrame:
    """Validate every file of the literature folder (all problems at once).

    Returns
    -------
    DataFrame
        One row per file: ``file``, ``rows``.

    Raises
    ------
    LiteratureError
        Listing the problems of every file that has some.
    """
    folder = _folder(folder)
    rows, problems = [], []
    loaders = [(VOCABULARY_FILE, lambda: load_vocabulary(folder)), (BIB_FILE, lambda: load_bibliography(folder)),
               (MATRIX_FILE, lambda: load_matrix(folder))]
    loaders += [(_POLICY[n][0], (lambda n=n: load_policy(folder, n))) for n in POLICY_TABLES]
    for name, fn in loaders:
        try:
            rows.append({"file": name, "rows": len(fn())})
        except LiteratureError as exc:
            problems.append(str(exc))
    if problems:
        raise LiteratureError("\n".join(dict.fromkeys(problems)))
    return pd.DataFrame(rows)


def summary_ko(folder: str | Path) -> str:
    """The Korean summary printed by ``jahwal lit check``."""
    table = check_folder(folder)
    m = load_matrix(folder)
    bib = load_bibliography(folder)
    res = m[m["work_type"] == "research"]
    unused = sorted(set(bib["bibtex_key"]) - set(m["bibtex_key"]))
    lines = [
        f"문헌 자료 점검 / literature check: {folder}",
        f"  문헌 {len(m)}편: 선행연구 {len(res)}편 (해외 {int((res['region'] == '해외').sum())}, "
        f"국내 {int((res['region'] == '국내').sum())}), 정책·행정 자료 {int((m['work_type'] == 'document').sum())}편",
        f"  성과 차원이 부호화된 문헌 {int((m['dimensions'].map(len) > 0).sum())}편, 참고문헌 항목 {len(bib)}개",
    ]
    lines += [f"  {r.file}: {r.rows}행" for r in table.itertuples()]
    if unused:
        lines.append(f"  주의: 매트릭스에 없는 참고문헌 항목 / bib entries not in the matrix: {', '.join(unused)}")
    lines.append("모두 통과했습니다 / all checks passed")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``jahwal lit check DIR``: validate the literature folder and print a Korean summary.

    Returns 0 when the folder is valid, 2 (with the problems on stderr) otherwise.
    """
    parser = argparse.ArgumentParser(prog="jahwal lit", description="Ⅱ장 문헌 자료 점검 / check the literature folder")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="폴더의 모든 파일을 점검합니다 / validate every file")
    p.add_argument("folder", nargs="?", default="data/literature")
    args = parser.parse_args(argv)
    try:
        print(summary_ko(args.folder))
    except LiteratureError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
