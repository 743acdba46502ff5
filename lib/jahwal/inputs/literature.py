"""Chapter Ⅱ inputs: the literature matrix, its controlled vocabulary and the policy tables.

The analyses are in :mod:`jahwal.analysis.literature`, the PRISMA arithmetic in
:mod:`jahwal.study.prisma`, the tables and figures in :mod:`jahwal.chapters.ch2`
and the Korean citation styles in :mod:`jahwal.publish.bibtex`.

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

from jahwal.errors import JahwalError

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

MATRIX_COLUMNS = (
    "id",
    "bibtex_key",
    "authors",
    "year",
    "country",
    "region",
    "work_type",
    "section",
    "programme",
    "population",
    "method",
    "outcome_dimensions",
    "finding_ko",
    "source_lines",
    "note",
)

_LINES_RE = r"^\d+(-\d+)?(; \d+(-\d+)?)*$"
_KEY_RE = r"^[a-z][a-z0-9_]*$"
_YEAR_RE = r"^((19|20)\d{2})?$"
_INT_RE = r"^\d+$"
_OPT_INT_RE = r"^(\d+)?$"


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
        raise LiteratureError(f"{path}: 필수 열이 없습니다 / missing column(s): {', '.join(missing)}")
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
                f"{path} {_row_no(idx)}행{rid}, 열 '{r['column']}': {r['check']} (값 / value: {r['failure_case']!r})"
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
            "bibtex_key": [
                _check(_KEY_RE, "BibTeX 키는 영문 소문자·숫자·밑줄입니다", "BibTeX key must be ASCII lower case")
            ],
            "authors": [_nonempty()],
            "year": [
                _check(_YEAR_RE, "연도는 네 자리 숫자이거나 비어 있어야 합니다", "year must be four digits or empty")
            ],
            "country": [_isin(countries, "어휘집에 없는 국가 부호", "unknown country code")],
            "region": [_isin(REGIONS, "구분은 국내 또는 해외입니다", "region must be 국내 or 해외")],
            "work_type": [_isin(work_types, "어휘집에 없는 문헌 유형", "unknown work type")],
            "section": [_isin(SECTIONS, "절은 Ⅱ-1·Ⅱ-2·Ⅱ-3입니다", "unknown section")],
            "method": [_isin(methods, "어휘집에 없는 방법 부호", "unknown method code")],
            "finding_ko": [_nonempty()],
            "source_lines": [
                _check(_LINES_RE, "줄 번호 형식은 '12-15; 20'입니다", "line references must look like '12-15; 20'")
            ],
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
                f"{where}, 열 'bibtex_key': {BIB_FILE}에 {key!r} 항목이 없습니다 / no entry {key!r} in {BIB_FILE}"
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


# ------------------------------------------------------------------ policy tables
_POLICY = {
    "timeline": (
        "policy_timeline.csv",
        {
            "year": [_YEAR_RE, True],
            "order": [_INT_RE, False],
            "event_short": [None, False],
            "event_ko": [None, False],
            "bibtex_keys": [r"^([a-z][a-z0-9_]*(; [a-z][a-z0-9_]*)*)?$", True],
            "source_lines": [_LINES_RE, False],
        },
        ("year", "order"),
        ("year", "order"),
    ),
    "indicators": (
        "policy_indicators.csv",
        {
            "year": [_YEAR_RE, False],
            "indicator": [r"^[a-z][a-z0-9_]*$", False],
            "label_ko": [None, False],
            "value": [_INT_RE, False],
            "unit": [None, False],
            "bibtex_key": [r"^([a-z][a-z0-9_]*)?$", True],
            "source_page": [_OPT_INT_RE, True],
            "source_lines": [_LINES_RE, False],
        },
        ("year", "indicator"),
        ("year", "value"),
    ),
    "staff": (
        "policy_staff_by_province.csv",
        {
            "table_id": [None, False],
            "as_of": [r"^\d{4}-\d{2}$", False],
            "province": [None, False],
            "role": [None, False],
            "centres": [_INT_RE, False],
            "persons": [_INT_RE, False],
            "bibtex_key": [_KEY_RE, False],
            "source_page": [_OPT_INT_RE, True],
            "source_lines": [_LINES_RE, False],
        },
        ("province", "role"),
        ("centres", "persons"),
    ),
    "team_roles": (
        "policy_team_roles.csv",
        {
            "table_id": [None, False],
            "unit": [None, False],
            "role_holder": [None, False],
            "item": [_INT_RE, False],
            "role": [None, False],
            "bibtex_key": [_KEY_RE, False],
            "source_page": [_OPT_INT_RE, True],
            "source_lines": [_LINES_RE, False],
        },
        ("role_holder", "item"),
        ("item",),
    ),
    "procedure": (
        "policy_procedure.csv",
        {
            "figure_id": [None, False],
            "step": [_INT_RE, False],
            "stage": [None, False],
            "task_no": [_INT_RE, False],
            "task": [None, False],
            "details": [None, True],
            "bibtex_key": [_KEY_RE, False],
            "source_page": [_OPT_INT_RE, True],
            "source_lines": [_LINES_RE, False],
        },
        ("step", "task_no"),
        ("step", "task_no"),
    ),
    "plans": (
        "policy_plans.csv",
        {
            "table_id": [None, False],
            "plan": [_INT_RE, False],
            "plan_label": [None, False],
            "period_start": [_YEAR_RE, False],
            "period_end": [_YEAR_RE, False],
            "item_type": [r"^(goal|task)$", False],
            "item_no": [_INT_RE, False],
            "text": [None, False],
            "bibtex_key": [_KEY_RE, False],
            "source_page": [_OPT_INT_RE, True],
            "source_lines": [_LINES_RE, False],
        },
        ("plan", "item_type", "item_no"),
        ("plan", "period_start", "period_end", "item_no"),
    ),
    "awards": (
        "policy_awards.csv",
        {
            "table_id": [None, False],
            "year": [_YEAR_RE, False],
            "category": [None, False],
            "entries": [_OPT_INT_RE, True],
            "is_total": [r"^(True|False)$", False],
            "bibtex_key": [_KEY_RE, False],
            "source_lines": [_LINES_RE, False],
        },
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
        _raise(
            [
                f"{path}: 지표 {k!r}의 이름이나 단위가 행마다 다릅니다 / inconsistent label or unit"
                for k in lab.index[(lab > 1).any(axis=1)]
            ]
        )
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
    loaders = [
        (VOCABULARY_FILE, lambda: load_vocabulary(folder)),
        (BIB_FILE, lambda: load_bibliography(folder)),
        (MATRIX_FILE, lambda: load_matrix(folder)),
    ]
    loaders += [(_POLICY[n][0], (lambda n=n: load_policy(folder, n))) for n in POLICY_TABLES]
    from .lit_elements import (  # imported here: that module builds on this one
        DIAGRAMS_FILE,
        ELEMENTS_FILE,
        RECORDS_FILE,
        load_diagrams,
        load_domestic_records,
        load_overseas_elements,
    )

    loaders += [
        (ELEMENTS_FILE, lambda: load_overseas_elements(folder)),
        (RECORDS_FILE, lambda: load_domestic_records(folder)),
        (DIAGRAMS_FILE, lambda: load_diagrams(folder)),
    ]
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
