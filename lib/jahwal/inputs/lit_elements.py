"""Loaders for the overseas evaluation elements, the domestic records and the
policy diagrams of Chapter Ⅱ (``data/literature/``).

=========================  ==================================================
``overseas_elements.csv``  표 Ⅱ-1–Ⅱ-6: what overseas evaluations measure, one
                           element per row, coded to the outcome vocabulary
``domestic_records.csv``   what Korean 자활 case management records today
``policy_diagrams.csv``    그림 Ⅱ-1, Ⅱ-2, Ⅱ-4, Ⅱ-5 as steps, items, spans, notes
=========================  ==================================================

Every row cites at least one key of ``references.bib``; every dimension and
method is a code of ``vocabulary.csv``. A bad cell stops the build with one
message per problem naming the file, the row (as a spreadsheet numbers it),
the column and the value.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from jahwal.inputs import literature as lit

ELEMENTS_FILE = "overseas_elements.csv"
RECORDS_FILE = "domestic_records.csv"
DIAGRAMS_FILE = "policy_diagrams.csv"
ELEMENT_COLUMNS = (
    "table_id",
    "item_no",
    "group_ko",
    "element_ko",
    "element_en",
    "dimension",
    "method",
    "bibtex_keys",
    "source_page",
    "source_lines",
    "note",
)
RECORD_COLUMNS = ("item_no", "record_ko", "dimension", "bibtex_key", "source_page", "source_lines", "note")
DIAGRAM_COLUMNS = (
    "figure_id",
    "order",
    "kind",
    "step",
    "label",
    "detail",
    "bibtex_key",
    "source_page",
    "source_lines",
    "note",
)
DIAGRAM_KINDS = ("step", "item", "span", "note")
_TABLE_RE = r"^표 Ⅱ-\d+$"
_FIGURE_RE = r"^그림 Ⅱ-\d+$"


def _where(path: Path, i: int, col: str, value: object) -> str:
    return f"{path} {lit._row_no(i)}행, 열 '{col}', 값 {value!r}"


def _check_keys(path: Path, df: pd.DataFrame, col: str, keys: set[str], problems: list[str]) -> None:
    for i, cell in df[col].items():
        cited = lit._split(cell)
        if not cited:
            problems.append(f"{_where(path, i, col, cell)}: 출처 키가 없습니다 / no BibTeX key")
        for k in cited:
            if k not in keys:
                problems.append(
                    f"{_where(path, i, col, k)}: {lit.BIB_FILE}에 없는 키입니다 / key not in {lit.BIB_FILE}"
                )


def _check_codes(path: Path, df: pd.DataFrame, col: str, allowed: dict[str, str], problems: list[str]) -> None:
    for i, v in df[col].items():
        if v and v not in allowed:
            problems.append(
                f"{_where(path, i, col, v)}: 어휘에 없는 부호입니다 / not a vocabulary code "
                f"(known: {', '.join(allowed)})"
            )


def _check_pattern(path: Path, df: pd.DataFrame, col: str, pattern: str, optional: bool, problems: list[str]) -> None:
    for i, v in df[col].items():
        if (v or not optional) and not re.match(pattern, v):
            problems.append(f"{_where(path, i, col, v)}: 형식이 맞지 않습니다 / does not match {pattern}")


def _check_unique(path: Path, df: pd.DataFrame, cols: tuple[str, ...], problems: list[str]) -> None:
    dup = df[df.duplicated(list(cols), keep="first")]
    for i, r in dup.iterrows():
        problems.append(
            f"{path} {lit._row_no(i)}행: ({', '.join(cols)}) = {tuple(r[list(cols)])}이 앞 행과 겹칩니다 / "
            "duplicate key"
        )


def load_overseas_elements(folder: str | Path) -> pd.DataFrame:
    """Read ``overseas_elements.csv`` (표 Ⅱ-1–Ⅱ-6) and check it.

    Parameters
    ----------
    folder : str or Path
        The literature folder.

    Returns
    -------
    DataFrame
        The file's columns, ``item_no`` as int and ``keys`` (list of BibTeX
        keys). ``dimension`` and ``method`` are vocabulary codes; a row has at
        least one of them.

    Raises
    ------
    jahwal.inputs.literature.LiteratureError
        Naming file, row, column and value for each problem.

    Examples
    --------
    >>> el = load_overseas_elements("data/literature")
    >>> el.groupby("table_id").size().to_dict()
    {'표 Ⅱ-1': 8, '표 Ⅱ-2': 8, '표 Ⅱ-3': 10, '표 Ⅱ-4': 5, '표 Ⅱ-5': 7, '표 Ⅱ-6': 8}
    """
    folder = lit._folder(folder)
    path = folder / ELEMENTS_FILE
    df = lit._read_csv(path, ELEMENT_COLUMNS)
    vocab = lit.load_vocabulary(folder)
    keys = set(lit.load_bibliography(folder)["bibtex_key"])
    problems: list[str] = []
    _check_pattern(path, df, "table_id", _TABLE_RE, False, problems)
    _check_pattern(path, df, "item_no", lit._INT_RE, False, problems)
    _check_pattern(path, df, "element_ko", r"^\S", False, problems)
    _check_pattern(path, df, "source_page", lit._OPT_INT_RE, True, problems)
    _check_pattern(path, df, "source_lines", lit._LINES_RE, False, problems)
    _check_codes(path, df, "dimension", lit._terms(vocab, "dimension"), problems)
    _check_codes(path, df, "method", lit._terms(vocab, "method"), problems)
    for i, r in df.iterrows():
        if not r["dimension"] and not r["method"]:
            problems.append(
                f"{path} {lit._row_no(i)}행: 'dimension'과 'method'가 모두 비었습니다 / "
                "a row needs a dimension or a method"
            )
    _check_keys(path, df, "bibtex_keys", keys, problems)
    _check_unique(path, df, ("table_id", "item_no"), problems)
    lit._raise(problems)
    out = df.copy()
    out["item_no"] = out["item_no"].astype(int)
    out["keys"] = out["bibtex_keys"].map(lit._split)
    return out.reset_index(drop=True)


def load_domestic_records(folder: str | Path) -> pd.DataFrame:
    """Read ``domestic_records.csv``: what Korean 자활 case management records.

    Parameters
    ----------
    folder : str or Path
        The literature folder.

    Returns
    -------
    DataFrame
        The file's columns with ``item_no`` as int; every ``dimension`` is a
        vocabulary code and every ``bibtex_key`` resolves.

    Examples
    --------
    >>> sorted(load_domestic_records("data/literature")["dimension"].unique())
    ['benefit_exit', 'employment', 'experience', 'process']
    """
    folder = lit._folder(folder)
    path = folder / RECORDS_FILE
    df = lit._read_csv(path, RECORD_COLUMNS)
    vocab = lit.load_vocabulary(folder)
    keys = set(lit.load_bibliography(folder)["bibtex_key"])
    problems: list[str] = []
    _check_pattern(path, df, "item_no", lit._INT_RE, False, problems)
    _check_pattern(path, df, "record_ko", r"^\S", False, problems)
    _check_pattern(path, df, "dimension", r"^\S", False, problems)
    _check_pattern(path, df, "source_page", lit._OPT_INT_RE, True, problems)
    _check_pattern(path, df, "source_lines", lit._LINES_RE, False, problems)
    _check_codes(path, df, "dimension", lit._terms(vocab, "dimension"), problems)
    _check_keys(path, df, "bibtex_key", keys, problems)
    _check_unique(path, df, ("item_no",), problems)
    lit._raise(problems)
    out = df.copy()
    out["item_no"] = out["item_no"].astype(int)
    return out.reset_index(drop=True)


def load_diagrams(folder: str | Path) -> pd.DataFrame:
    """Read ``policy_diagrams.csv``: the boxes of 그림 Ⅱ-1, Ⅱ-2, Ⅱ-4 and Ⅱ-5.

    Parameters
    ----------
    folder : str or Path
        The literature folder.

    Returns
    -------
    DataFrame
        The file's columns with ``order`` as int, sorted by figure and order.
        ``kind`` is one of :data:`DIAGRAM_KINDS`; a ``step`` or ``item`` row
        has a step number, an ``item`` belongs to a step of its figure and a
        ``span`` names steps ``a-b`` that exist.

    Examples
    --------
    >>> d = load_diagrams("data/literature")
    >>> d[d["kind"] == "step"].groupby("figure_id").size().to_dict()
    {'그림 Ⅱ-1': 6, '그림 Ⅱ-2': 5, '그림 Ⅱ-4': 3, '그림 Ⅱ-5': 5}
    """
    folder = lit._folder(folder)
    path = folder / DIAGRAMS_FILE
    df = lit._read_csv(path, DIAGRAM_COLUMNS)
    keys = set(lit.load_bibliography(folder)["bibtex_key"])
    problems: list[str] = []
    _check_pattern(path, df, "figure_id", _FIGURE_RE, False, problems)
    _check_pattern(path, df, "order", lit._INT_RE, False, problems)
    _check_pattern(path, df, "label", r"^\S", False, problems)
    _check_pattern(path, df, "source_page", lit._OPT_INT_RE, True, problems)
    _check_pattern(path, df, "source_lines", lit._LINES_RE, False, problems)
    _check_keys(path, df, "bibtex_key", keys, problems)
    _check_unique(path, df, ("figure_id", "order"), problems)
    steps = {(f, s) for f, s, k in zip(df["figure_id"], df["step"], df["kind"]) if k == "step"}
    for i, r in df.iterrows():
        if r["kind"] not in DIAGRAM_KINDS:
            problems.append(
                f"{_where(path, i, 'kind', r['kind'])}: {', '.join(DIAGRAM_KINDS)} 중 하나여야 합니다 / unknown kind"
            )
        elif r["kind"] in ("step", "item") and not re.match(lit._INT_RE, r["step"]):
            problems.append(f"{_where(path, i, 'step', r['step'])}: 단계 번호가 필요합니다 / a step number is needed")
        elif r["kind"] == "item" and (r["figure_id"], r["step"]) not in steps:
            problems.append(
                f"{_where(path, i, 'step', r['step'])}: 같은 그림에 이 단계가 없습니다 / no such step in this figure"
            )
        elif r["kind"] == "span":
            ends = r["step"].split("-")
            if len(ends) != 2 or any((r["figure_id"], e) not in steps for e in ends):
                problems.append(
                    f"{_where(path, i, 'step', r['step'])}: 'a-b' 꼴의 있는 단계여야 합니다 / "
                    "a span needs existing steps 'a-b'"
                )
    lit._raise(problems)
    out = df.copy()
    out["order"] = out["order"].astype(int)
    return out.sort_values(["figure_id", "order"], kind="stable").reset_index(drop=True)


__all__ = [
    "DIAGRAMS_FILE",
    "DIAGRAM_KINDS",
    "ELEMENTS_FILE",
    "RECORDS_FILE",
    "load_diagrams",
    "load_domestic_records",
    "load_overseas_elements",
]
