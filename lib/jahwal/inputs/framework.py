"""Research design (Chapter Ⅰ) and the outcome framework (Chapter Ⅴ) as data: loaders and their checks.

The counts and indicator values are computed in :mod:`jahwal.analysis.framework`;
the tables and figures are made in :mod:`jahwal.chapters.ch1` and :mod:`jahwal.chapters.ch5`.

Two kinds of input live under ``data/framework/`` (the ``framework_dir``
parameter):

``cells.csv``, ``evidence.csv``, ``indicators.csv``
    The outcome framework of 그림 Ⅴ-1 and Ⅴ-2: one *cell* per outcome placed
    at a stage (초기 · 중간 · 지속 · 후속) and a domain (자활참여; 자활역량
    with seven sub-domains; 개인 내적; 자활여건); the qualitative codes of
    either focus group that evidence each cell; and the quantitative indicators
    computed from the extract, where one exists.
``design/*.csv``
    The research design of Chapter Ⅰ: research process, participant
    selection, data scope (표 Ⅰ-1), focus-group criteria (표 Ⅰ-2, Ⅰ-3), the
    qualitative procedure and the data-processing rules with the functions
    that apply them.

Everything is read through :func:`load_framework` and :func:`load_design`,
which check the files as a whole and raise :class:`FrameworkError` naming the
file, the column and the row (spreadsheet numbering, header = row 1); nothing
is half-loaded.

Counting rules
--------------
Evidence of a cell in a group is the set of coded segments whose code is a
linked code or lies below one (``direct``), plus the segments coded *only* at
a theme above a linked code, i.e. where the coders stopped at a coarser level
than the framework asks for (``parent``; the 영역 root is never used). The
2023 corpus codes the residents' quotes at the sub-theme level, so one quote
can evidence several cells; finer coding next year makes the counts sharper
without changing the framework files.

Indicators are computed with the functions behind Chapter Ⅲ
(:mod:`jahwal.analysis.stages`, :func:`jahwal.analysis.compare.compare_groups` on
:func:`jahwal.analysis.stages.outcome_data`), so their values equal that chapter's.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import pandas as pd

from jahwal.errors import JahwalError
from jahwal.inputs.contract import TABLES
from jahwal.vocab import OUTCOMES

# ---------------------------------------------------------------- vocabulary
STAGES: tuple[str, ...] = ("초기", "중간", "지속", "후속")
DOMAINS: tuple[str, ...] = ("자활참여", "자활역량", "개인 내적", "자활여건")
SUBDOMAINS: tuple[str, ...] = (
    "자기관리",
    "건강",
    "문제대처역량",
    "사회적 역량",
    "자활인식·동기",
    "자활계획기능",
    "새로운 시도역량",
)
PLACEMENT = {"H": "본문에 명시", "M": "본문에서 추론", "L": "배치 불확실"}
GROUPS: tuple[str, ...] = ("practitioners", "residents")
RELATIONS = ("대리", "결과", "직접")


class FrameworkError(JahwalError, ValueError):
    """Framework or design files that cannot be used (the message names file, column and row)."""

    exit_code = 2


def _raise(problems: list[str], what: str) -> None:
    if not problems:
        return
    shown = problems[:MAX_LISTED]
    more = len(problems) - len(shown)
    tail = f"\n  … 외 {more}건 / and {more} more" if more else ""
    raise FrameworkError(
        f"{what}: 문제 {len(problems)}건 / {len(problems)} problem(s):\n" + "\n".join("  - " + p for p in shown) + tail
    )


def _rows(mask: pd.Series) -> str:
    """Spreadsheet row numbers (header = 1) of the true entries of ``mask``."""
    idx = [int(i) + 2 for i in mask[mask].index[:5]]
    more = int(mask.sum()) - len(idx)
    return ", ".join(map(str, idx)) + (f" 외 {more}행" if more > 0 else "")


def _read_csv(path: Path, columns: Sequence[str], required: Sequence[str], problems: list[str]) -> pd.DataFrame | None:
    """Read a CSV as text; record missing files, columns and empty required cells."""
    if not path.exists():
        problems.append(f"{path}: 파일이 없습니다 / file not found")
        return None
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: 읽을 수 없습니다 / cannot be read: {exc}")
        return None
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        problems.append(f"{path}: 열이 없습니다 / missing columns: {missing}")
        return None
    df = df[list(columns)].apply(lambda s: s.str.strip())
    if df.empty:
        problems.append(f"{path}: 행이 없습니다 / no rows")
    for c in required:
        empty = df[c] == ""
        if empty.any():
            problems.append(f"{path}: 열 '{c}' {_rows(empty)}행이 비어 있습니다 / empty required value")
    return df


def _check_values(
    df: pd.DataFrame, path: Path, column: str, allowed: Iterable[str], problems: list[str], *, allow_empty: bool = False
) -> None:
    allowed = list(allowed)
    bad = ~df[column].isin(allowed)
    if allow_empty:
        bad &= df[column] != ""
    for value in df.loc[bad, column].unique():
        m = bad & (df[column] == value)
        problems.append(
            f"{path}: 열 '{column}' {_rows(m)}행의 값 '{value}'는 허용되지 않습니다 "
            f"(허용: {', '.join(allowed)}) / value not allowed"
        )


def _check_unique(df: pd.DataFrame, path: Path, columns: list[str], problems: list[str]) -> None:
    dup = df.duplicated(columns, keep=False)
    if dup.any():
        problems.append(f"{path}: {'+'.join(columns)} 값이 {_rows(dup)}행에서 겹칩니다 / duplicate key")


# ---------------------------------------------------------------- indicators
@dataclass(frozen=True)
class IndicatorSpec:
    """A quantitative indicator computed from the extract.

    ``kind`` is ``rate`` (percent of a base), ``mean`` (per person) or ``gap``
    (mean difference, performed minus not performed, in won).
    """

    key: str
    name: str
    kind: str
    unit: str
    function: str
    reference: str
    definition: str
    outcome: str = ""
    group: str = ""


def _gap(key: str, outcome: str, indicator: str, table: str, name: str) -> IndicatorSpec:
    label = OUTCOMES[outcome]
    return IndicatorSpec(
        key,
        name,
        "gap",
        "원",
        "jahwal.analysis.compare.compare_groups",
        table,
        f"수행 집단과 미수행 집단의 연평균 {label} 차이(Ⅲ장 결과적 성과 비교와 같은 집단)",
        outcome=outcome,
        group=indicator,
    )


#: every indicator the library can compute, in display order
INDICATORS: dict[str, IndicatorSpec] = {
    s.key: s
    for s in [
        IndicatorSpec(
            "assessment_rate",
            "사정 연계율",
            "rate",
            "%",
            "jahwal.analysis.stages.intake_assessment_by_year",
            "그림 Ⅲ-12",
            "사정단계 참여자 ÷ 그해 초기상담 참여자",
        ),
        IndicatorSpec(
            "iap_rate",
            "IAP 수립률",
            "rate",
            "%",
            "jahwal.analysis.stages.status_by_year",
            "표 Ⅲ-4",
            "IAP 수립자 ÷ 그해 초기상담 참여자",
        ),
        IndicatorSpec(
            "isp_rate",
            "ISP 수립 입력률",
            "rate",
            "%",
            "jahwal.analysis.stages.status_by_year",
            "표 Ⅲ-6",
            "ISP 수립 입력자 ÷ 그해 초기상담 참여자",
        ),
        IndicatorSpec(
            "counselling_mean",
            "1인당 연간 상담횟수",
            "mean",
            "회",
            "jahwal.analysis.stages.counselling_by_year",
            "표 Ⅲ-7",
            "상담 기록이 1회 이상인 사람의 연간 상담 건수 평균",
        ),
        IndicatorSpec(
            "post_closure_rate",
            "종결 후 상담 비율",
            "rate",
            "%",
            "jahwal.analysis.stages.post_closure_by_year",
            "그림 Ⅲ-14",
            "종결 후 상담을 받은 사람 ÷ 그해 종결자",
        ),
        _gap("incentive_gap_assessment", "incentive", "assessment", "표 Ⅲ-9", "사정지 작성 여부별 자립성과금 차이"),
        _gap("incentive_gap_iap", "incentive", "iap", "표 Ⅲ-10", "IAP 수립 여부별 자립성과금 차이"),
        _gap(
            "incentive_gap_counselling", "incentive", "counselling", "표 Ⅲ-11", "개별상담 경험 여부별 자립성과금 차이"
        ),
        _gap(
            "incentive_gap_post_closure", "incentive", "post_closure", "표 Ⅲ-12", "종결 후 상담 여부별 자립성과금 차이"
        ),
        _gap("wage_gap_assessment", "wage", "assessment", "표 Ⅲ-13", "사정지 작성 여부별 자활급여 차이"),
        _gap("wage_gap_iap_monitoring", "wage", "iap_monitoring", "표 Ⅲ-15", "IAP 수행 여부별 자활급여 차이"),
        _gap("wage_gap_counselling", "wage", "counselling", "표 Ⅲ-17", "개별상담 경험 여부별 자활급여 차이"),
        _gap("wage_gap_post_closure", "wage", "post_closure", "표 Ⅲ-19", "종결 후 상담 여부별 자활급여 차이"),
    ]
}


# ---------------------------------------------------------------- framework files
CELL_COLUMNS = ["cell_id", "stage", "domain", "subdomain", "outcome", "items", "placement", "source_lines"]
EVIDENCE_COLUMNS = ["cell_id", "group", "code_id", "note"]
INDICATOR_COLUMNS = ["cell_id", "indicator", "relation", "note"]


@dataclass
class Framework:
    """The outcome framework: cells, their qualitative evidence and their indicators."""

    cells: pd.DataFrame
    evidence: pd.DataFrame
    indicators: pd.DataFrame
    folder: str = ""

    def cell_label(self, cell_id: str) -> str:
        """Short label of a cell, e.g. ``초기·자활참여`` or ``지속·자활역량(자기관리)``.

        Examples
        --------
        >>> fw = example_framework()
        >>> fw.cell_label("X2")
        '중간·자활역량(건강)'
        """
        c = self.cells.set_index("cell_id").loc[cell_id]
        sub = f"({c['subdomain']})" if c["subdomain"] else ""
        return f"{c['stage']}·{c['domain']}{sub}"


def load_framework(folder: str | Path, codes: pd.DataFrame | None = None) -> Framework:
    """Read and check ``cells.csv``, ``evidence.csv`` and ``indicators.csv``.

    Parameters
    ----------
    folder : str or Path
        The framework folder (parameter ``framework_dir``).
    codes : DataFrame, optional
        The codebook of the qualitative corpus (``QualCorpus.codes``): every
        linked code must exist there, in the group the row names.

    Returns
    -------
    Framework

    Raises
    ------
    FrameworkError
        Listing every problem with file, column and row.
    """
    folder = Path(folder)
    problems: list[str] = []
    pc, pe, pi = folder / "cells.csv", folder / "evidence.csv", folder / "indicators.csv"
    cells = _read_csv(pc, CELL_COLUMNS, ["cell_id", "stage", "domain", "outcome", "placement"], problems)
    evidence = _read_csv(pe, EVIDENCE_COLUMNS, ["cell_id", "group", "code_id"], problems)
    indicators = _read_csv(pi, INDICATOR_COLUMNS, ["cell_id", "indicator", "relation"], problems)
    if cells is not None:
        _check_unique(cells, pc, ["cell_id"], problems)
        _check_values(cells, pc, "stage", STAGES, problems)
        _check_values(cells, pc, "domain", DOMAINS, problems)
        _check_values(cells, pc, "placement", PLACEMENT, problems)
        cap = cells["domain"] == "자활역량"
        bad_sub = cap & ~cells["subdomain"].isin(SUBDOMAINS)
        if bad_sub.any():
            problems.append(
                f"{pc}: 열 'subdomain' {_rows(bad_sub)}행: 자활역량 칸에는 세부 영역({', '.join(SUBDOMAINS)})이 "
                f"있어야 합니다 / a 자활역량 cell needs one of the seven sub-domains"
            )
        stray = ~cap & (cells["subdomain"] != "")
        if stray.any():
            problems.append(
                f"{pc}: 열 'subdomain' {_rows(stray)}행: 자활역량이 아닌 칸에는 세부 영역을 적지 않습니다 / "
                f"only 자활역량 cells have a sub-domain"
            )
        _check_unique(cells, pc, ["stage", "domain", "subdomain"], problems)
    known_cells = set(cells["cell_id"]) if cells is not None else set()
    if evidence is not None:
        _check_values(evidence, pe, "group", GROUPS, problems)
        _check_unique(evidence, pe, ["cell_id", "group", "code_id"], problems)
        if cells is not None:
            _check_values(evidence, pe, "cell_id", sorted(known_cells), problems)
        if codes is not None:
            group_of = dict(zip(codes["code_id"], codes["group"]))
            unknown = ~evidence["code_id"].isin(set(group_of))
            for value in evidence.loc[unknown, "code_id"].unique():
                m = unknown & (evidence["code_id"] == value)
                problems.append(f"{pe}: 열 'code_id' {_rows(m)}행의 코드 '{value}'가 코드북에 없습니다 / unknown code")
            other = ~unknown & (evidence["code_id"].map(group_of) != evidence["group"])
            if other.any():
                problems.append(
                    f"{pe}: 열 'group' {_rows(other)}행: 코드가 코드북에서 다른 집단에 속합니다 / "
                    f"the code belongs to another group in the codebook"
                )
    if indicators is not None:
        _check_values(indicators, pi, "indicator", INDICATORS, problems)
        _check_values(indicators, pi, "relation", RELATIONS, problems)
        _check_unique(indicators, pi, ["cell_id", "indicator"], problems)
        if cells is not None:
            _check_values(indicators, pi, "cell_id", sorted(known_cells), problems)
    _raise(problems, f"성과 틀 자료 {folder} / framework files")
    return Framework(
        cells.reset_index(drop=True), evidence.reset_index(drop=True), indicators.reset_index(drop=True), str(folder)
    )


def example_framework() -> Framework:
    """A three-cell framework for examples and tests (codes of :func:`jahwal.qual.example_corpus`).

    Examples
    --------
    >>> example_framework().cells["cell_id"].tolist()
    ['X1', 'X2', 'X3']
    """
    cells = pd.DataFrame(
        [
            ("X1", "초기", "개인 내적", "", "자기 이야기하기", "", "H", ""),
            ("X2", "중간", "자활역량", "건강", "건강문제 해결", "", "M", ""),
            ("X3", "후속", "자활참여", "", "자활재진입 감소", "", "H", ""),
        ],
        columns=CELL_COLUMNS,
    )
    evidence = pd.DataFrame(
        [("X1", "practitioners", "D.1.a", ""), ("X2", "practitioners", "D.2", "")], columns=EVIDENCE_COLUMNS
    )
    indicators = pd.DataFrame([("X3", "post_closure_rate", "대리", "")], columns=INDICATOR_COLUMNS)
    return Framework(cells, evidence, indicators, "example")


# ---------------------------------------------------------------- research design (Chapter Ⅰ)
DESIGN_FILES: dict[str, tuple[list[str], list[str]]] = {
    "process": (["step", "phase", "tasks", "book_part", "source_lines"], ["step", "phase", "tasks"]),
    "selection": (["step", "content", "source_lines"], ["step", "content"]),
    "data_scope": (
        ["group", "report_contents", "extract_columns", "not_in_extract", "source_lines"],
        ["group", "report_contents", "extract_columns"],
    ),
    "fgi_criteria": (
        ["group", "kind", "item", "criterion", "min_months", "source_lines"],
        ["group", "kind", "item", "criterion"],
    ),
    "qual_procedure": (["phase", "step", "content", "in_this_book", "source_lines"], ["phase", "step", "content"]),
    "processing_rules": (
        ["rule_id", "rule", "description", "functions", "parameters", "appendix", "origin", "source_lines"],
        ["rule_id", "rule", "description", "functions", "origin"],
    ),
}
CRITERION_KINDS = ("구성", "선정", "제외")


def resolve_function(dotted: str) -> Callable[..., Any]:
    """The object named by a dotted path such as ``jahwal.inputs.contract.first_entry_per_year``.

    Examples
    --------
    >>> resolve_function("jahwal.inputs.contract.first_entry_per_year").__name__
    'first_entry_per_year'
    """
    module, _, name = dotted.rpartition(".")
    if not module:
        raise ValueError(f"모듈 경로가 없습니다 / not a dotted path: {dotted!r}")
    try:
        obj = importlib.import_module(module)
    except ImportError:
        head, _, attr = module.rpartition(".")
        obj = getattr(importlib.import_module(head), attr)
    if not hasattr(obj, name):
        raise ValueError(f"'{module}'에 '{name}'이 없습니다 / {module} has no {name}")
    return getattr(obj, name)


def load_design(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read and check the Chapter Ⅰ design files under ``folder/design``.

    Checks: required values, the criterion kinds, that every extract column of
    the data scope exists in the data contract, that every processing-rule
    function can be imported and every parameter is a notebook parameter.

    Returns
    -------
    dict of DataFrame
        Keys ``process, selection, data_scope, fgi_criteria, qual_procedure,
        processing_rules``.
    """
    from jahwal.study.params import NotebookParameters

    base = Path(folder) / "design"
    problems: list[str] = []
    out: dict[str, pd.DataFrame] = {}
    for name, (columns, required) in DESIGN_FILES.items():
        df = _read_csv(base / f"{name}.csv", columns, required, problems)
        if df is not None:
            out[name] = df.reset_index(drop=True)
    if "fgi_criteria" in out:
        p = base / "fgi_criteria.csv"
        df = out["fgi_criteria"]
        _check_values(df, p, "group", GROUPS, problems)
        _check_values(df, p, "kind", CRITERION_KINDS, problems)
        bad = (df["min_months"] != "") & ~df["min_months"].str.fullmatch(r"\d+")
        if bad.any():
            problems.append(f"{p}: 열 'min_months' {_rows(bad)}행은 개월 수(정수)여야 합니다 / must be whole months")
    if "data_scope" in out:
        p = base / "data_scope.csv"
        known = {f"{t.alias}.{c.alias}" for t in TABLES.values() for c in t.columns}
        for i, cell in out["data_scope"]["extract_columns"].items():
            for col in filter(None, cell.split(";")):
                if col.strip() not in known:
                    problems.append(
                        f"{p}: 열 'extract_columns' {i + 2}행의 '{col}'은 자료 명세에 없는 열입니다 / "
                        f"not a column of the data contract"
                    )
    if "processing_rules" in out:
        p = base / "processing_rules.csv"
        params = set(NotebookParameters.model_fields)
        for i, r in out["processing_rules"].iterrows():
            for f in filter(None, r["functions"].split(";")):
                try:
                    resolve_function(f.strip())
                except (ValueError, ImportError, AttributeError) as exc:
                    problems.append(
                        f"{p}: 열 'functions' {i + 2}행의 함수 '{f}'를 찾을 수 없습니다 / cannot import: {exc}"
                    )
            for k in filter(None, r["parameters"].split(";")):
                if k.strip() not in params:
                    problems.append(
                        f"{p}: 열 'parameters' {i + 2}행의 '{k}'는 매개변수가 아닙니다 / not a notebook parameter"
                    )
    _raise(problems, f"연구설계 자료 {base} / design files")
    return out


MAX_LISTED = 12
