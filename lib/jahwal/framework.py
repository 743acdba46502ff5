"""Research design (Chapter Ⅰ) and the outcome framework (Chapter Ⅴ) as data.

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
(:mod:`jahwal.stages`, :func:`jahwal.compare.compare_groups` on
:func:`jahwal.stages.outcome_data`), so their values equal that chapter's.
"""
from __future__ import annotations

import importlib
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from . import stages
from .compare import compare_groups, stars
from .contract import TABLES, Extract
from .disclosure import SUPPRESSED, suppress_counts
from .errors import JahwalError

# ---------------------------------------------------------------- vocabulary
STAGES: tuple[str, ...] = ("초기", "중간", "지속", "후속")
STAGE_TITLES = {s: f"{s}성과" for s in STAGES}
DOMAINS: tuple[str, ...] = ("자활참여", "자활역량", "개인 내적", "자활여건")
SUBDOMAINS: tuple[str, ...] = ("자기관리", "건강", "문제대처역량", "사회적 역량", "자활인식·동기", "자활계획기능", "새로운 시도역량")
#: rows of the grid, top to bottom: (domain, sub-domain)
GRID_ROWS: list[tuple[str, str]] = [("자활참여", "")] + [("자활역량", s) for s in SUBDOMAINS] + [("개인 내적", ""), ("자활여건", "")]
PLACEMENT = {"H": "본문에 명시", "M": "본문에서 추론", "L": "배치 불확실"}
GROUPS: tuple[str, ...] = ("practitioners", "residents")
GROUP_KO = {"practitioners": "실무자", "residents": "주민"}
RELATIONS = ("대리", "결과", "직접")
MAX_LISTED = 12


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


def _check_values(df: pd.DataFrame, path: Path, column: str, allowed: Iterable[str], problems: list[str], *,
                  allow_empty: bool = False) -> None:
    allowed = list(allowed)
    bad = ~df[column].isin(allowed)
    if allow_empty:
        bad &= df[column] != ""
    for value in df.loc[bad, column].unique():
        m = bad & (df[column] == value)
        problems.append(f"{path}: 열 '{column}' {_rows(m)}행의 값 '{value}'는 허용되지 않습니다 "
                        f"(허용: {', '.join(allowed)}) / value not allowed")


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
    label = {"incentive": "자립성과금", "wage": "자활급여"}[outcome]
    return IndicatorSpec(key, name, "gap", "원", "jahwal.compare.compare_groups", table,
                         f"수행 집단과 미수행 집단의 연평균 {label} 차이(stages.outcome_data의 group_{indicator})",
                         outcome=outcome, group=indicator)


#: every indicator the library can compute, in display order
INDICATORS: dict[str, IndicatorSpec] = {s.key: s for s in [
    IndicatorSpec("assessment_rate", "사정 연계율", "rate", "%", "jahwal.stages.intake_assessment_by_year", "그림 Ⅲ-12",
                  "사정단계 참여자 ÷ 그해 초기상담 참여자"),
    IndicatorSpec("iap_rate", "IAP 수립률", "rate", "%", "jahwal.stages.status_by_year", "표 Ⅲ-4",
                  "IAP 수립자 ÷ 그해 초기상담 참여자"),
    IndicatorSpec("isp_rate", "ISP 수립 입력률", "rate", "%", "jahwal.stages.status_by_year", "표 Ⅲ-6",
                  "ISP 수립 입력자 ÷ 그해 초기상담 참여자"),
    IndicatorSpec("counselling_mean", "1인당 연간 상담횟수", "mean", "회", "jahwal.stages.counselling_by_year", "표 Ⅲ-7",
                  "상담 기록이 1회 이상인 사람의 연간 상담 건수 평균"),
    IndicatorSpec("post_closure_rate", "종결 후 상담 비율", "rate", "%", "jahwal.stages.post_closure_by_year", "그림 Ⅲ-14",
                  "종결 후 상담을 받은 사람 ÷ 그해 종결자"),
    _gap("incentive_gap_assessment", "incentive", "assessment", "표 Ⅲ-9", "사정지 작성 여부별 자립성과금 차이"),
    _gap("incentive_gap_iap", "incentive", "iap", "표 Ⅲ-10", "IAP 수립 여부별 자립성과금 차이"),
    _gap("incentive_gap_counselling", "incentive", "counselling", "표 Ⅲ-11", "개별상담 경험 여부별 자립성과금 차이"),
    _gap("incentive_gap_post_closure", "incentive", "post_closure", "표 Ⅲ-12", "종결 후 상담 여부별 자립성과금 차이"),
    _gap("wage_gap_assessment", "wage", "assessment", "표 Ⅲ-13", "사정지 작성 여부별 자활급여 차이"),
    _gap("wage_gap_iap_monitoring", "wage", "iap_monitoring", "표 Ⅲ-15", "IAP 수행 여부별 자활급여 차이"),
    _gap("wage_gap_counselling", "wage", "counselling", "표 Ⅲ-17", "개별상담 경험 여부별 자활급여 차이"),
    _gap("wage_gap_post_closure", "wage", "post_closure", "표 Ⅲ-19", "종결 후 상담 여부별 자활급여 차이"),
]}


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
            problems.append(f"{pc}: 열 'subdomain' {_rows(bad_sub)}행: 자활역량 칸에는 세부 영역({', '.join(SUBDOMAINS)})이 "
                            f"있어야 합니다 / a 자활역량 cell needs one of the seven sub-domains")
        stray = ~cap & (cells["subdomain"] != "")
        if stray.any():
            problems.append(f"{pc}: 열 'subdomain' {_rows(stray)}행: 자활역량이 아닌 칸에는 세부 영역을 적지 않습니다 / "
                            f"only 자활역량 cells have a sub-domain")
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
                problems.append(f"{pe}: 열 'group' {_rows(other)}행: 코드가 코드북에서 다른 집단에 속합니다 / "
                                f"the code belongs to another group in the codebook")
    if indicators is not None:
        _check_values(indicators, pi, "indicator", INDICATORS, problems)
        _check_values(indicators, pi, "relation", RELATIONS, problems)
        _check_unique(indicators, pi, ["cell_id", "indicator"], problems)
        if cells is not None:
            _check_values(indicators, pi, "cell_id", sorted(known_cells), problems)
    _raise(problems, f"성과 틀 자료 {folder} / framework files")
    return Framework(cells.reset_index(drop=True), evidence.reset_index(drop=True), indicators.reset_index(drop=True), str(folder))


def example_framework() -> Framework:
    """A three-cell framework for examples and tests (codes of :func:`jahwal.qual.example_corpus`).

    Examples
    --------
    >>> example_framework().cells["cell_id"].tolist()
    ['X1', 'X2', 'X3']
    """
    cells = pd.DataFrame([
        ("X1", "초기", "개인 내적", "", "자기 이야기하기", "", "H", ""),
        ("X2", "중간", "자활역량", "건강", "건강문제 해결", "", "M", ""),
        ("X3", "후속", "자활참여", "", "자활재진입 감소", "", "H", ""),
    ], columns=CELL_COLUMNS)
    evidence = pd.DataFrame([("X1", "practitioners", "D.1.a", ""), ("X2", "practitioners", "D.2", "")], columns=EVIDENCE_COLUMNS)
    indicators = pd.DataFrame([("X3", "post_closure_rate", "대리", "")], columns=INDICATOR_COLUMNS)
    return Framework(cells, evidence, indicators, "example")


# ---------------------------------------------------------------- evidence counts
def _tree(codes: pd.DataFrame) -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
    parent = dict(zip(codes["code_id"], codes["parent_id"]))
    children: dict[str, list[str]] = {}
    for cid, par in parent.items():
        if par:
            children.setdefault(par, []).append(cid)
    level = dict(zip(codes["code_id"], codes["level"]))
    return parent, children, level


def _descendants(code: str, children: dict[str, list[str]]) -> set[str]:
    out, stack = set(), [code]
    while stack:
        c = stack.pop()
        if c not in out:
            out.add(c)
            stack.extend(children.get(c, []))
    return out


def evidence_segments(fw: Framework, corpus: Any) -> pd.DataFrame:
    """Segments that evidence each cell, with how they were matched.

    Parameters
    ----------
    fw : Framework
    corpus : jahwal.qual.QualCorpus
        The coded corpus (native folder or REFI-QDA project).

    Returns
    -------
    DataFrame
        ``cell_id, group, code_id, segment_id, quote_id, participant_id,
        match`` with ``match`` ``direct`` (coded at the linked code or below
        it) or ``parent`` (coded only at a theme above the linked code). A
        segment appears once per link (``direct`` wins); the same segment may
        evidence several links and several cells.

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> evidence_segments(example_framework(), example_corpus())[["cell_id", "segment_id", "match"]].values.tolist()
    [['X1', 'S1', 'direct'], ['X1', 'S3', 'direct'], ['X1', 'S2', 'parent'], ['X2', 'S2', 'direct'], ['X2', 'S4', 'direct']]
    """
    codes = corpus.codes
    _check_codes(fw, codes)
    parent, children, level = _tree(codes)
    codings = corpus.codings.merge(
        corpus.segments[["segment_id", "quote_id", "participant_id", "group"]], on="segment_id", how="inner"
    )
    by_segment = codings.groupby("segment_id")["code_id"].apply(set).to_dict()
    rows = []
    for ev in fw.evidence.itertuples(index=False):
        below = _descendants(ev.code_id, children)
        g = codings[codings["group"] == ev.group]
        direct = g[g["code_id"].isin(below)]
        for r in direct.drop_duplicates("segment_id").itertuples(index=False):
            rows.append((ev.cell_id, ev.group, ev.code_id, r.segment_id, r.quote_id, r.participant_id, "direct"))
        anc = parent.get(ev.code_id, "")
        while anc and level.get(anc) != "영역":
            under = _descendants(anc, children) - {anc}
            at = g[g["code_id"] == anc]
            for r in at.drop_duplicates("segment_id").itertuples(index=False):
                if not (by_segment.get(r.segment_id, set()) & under):  # the coder stopped at this theme
                    rows.append((ev.cell_id, ev.group, ev.code_id, r.segment_id, r.quote_id, r.participant_id, "parent"))
            anc = parent.get(anc, "")
    out = pd.DataFrame(rows, columns=["cell_id", "group", "code_id", "segment_id", "quote_id", "participant_id", "match"])
    out["_rank"] = out["match"].map({"direct": 0, "parent": 1})
    out = out.sort_values(["_rank"], kind="stable").drop_duplicates(["cell_id", "group", "code_id", "segment_id"])
    order = {c: i for i, c in enumerate(fw.cells["cell_id"])}
    out = out.assign(_c=out["cell_id"].map(order)).sort_values(["_c", "_rank"], kind="stable")
    return out.drop(columns=["_rank", "_c"]).reset_index(drop=True)


def _check_codes(fw: Framework, codes: pd.DataFrame) -> None:
    """Re-check the evidence codes against a codebook (e.g. another year's corpus)."""
    load_problems: list[str] = []
    group_of = dict(zip(codes["code_id"], codes["group"]))
    path = Path(fw.folder) / "evidence.csv"
    for i, r in fw.evidence.iterrows():
        if r["code_id"] not in group_of:
            load_problems.append(f"{path}: 열 'code_id' {i + 2}행의 코드 '{r['code_id']}'가 코드북에 없습니다 / unknown code")
        elif group_of[r["code_id"]] != r["group"]:
            load_problems.append(f"{path}: 열 'group' {i + 2}행: 코드 '{r['code_id']}'는 코드북에서 "
                                 f"'{group_of[r['code_id']]}' 집단입니다 / the code belongs to another group")
    _raise(load_problems, "성과 틀 근거 코드 / framework evidence codes")


def evidence_counts(fw: Framework, corpus: Any) -> pd.DataFrame:
    """Evidence per cell and group: linked codes, quotes, segments, participants.

    Returns
    -------
    DataFrame
        One row per cell and group (groups of :data:`GROUPS`, zero rows
        included): ``cell_id, stage, domain, subdomain, outcome, group,
        n_codes, n_quotes, n_segments, n_participants, n_quotes_direct``.
        ``n_quotes`` counts distinct report quote blocks; ``n_quotes_direct``
        only those matched ``direct``.

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> c = evidence_counts(example_framework(), example_corpus())
    >>> c[c["group"] == "practitioners"][["cell_id", "n_quotes", "n_quotes_direct"]].values.tolist()
    [['X1', 3, 2], ['X2', 2, 2], ['X3', 0, 0]]
    """
    seg = evidence_segments(fw, corpus)
    rows = []
    for cell in fw.cells.itertuples(index=False):
        for group in GROUPS:
            s = seg[(seg["cell_id"] == cell.cell_id) & (seg["group"] == group)]
            n_codes = int(((fw.evidence["cell_id"] == cell.cell_id) & (fw.evidence["group"] == group)).sum())
            rows.append({
                "cell_id": cell.cell_id, "stage": cell.stage, "domain": cell.domain, "subdomain": cell.subdomain,
                "outcome": cell.outcome, "group": group, "n_codes": n_codes,
                "n_quotes": int(s["quote_id"].nunique()), "n_segments": int(s["segment_id"].nunique()),
                "n_participants": int(s.loc[s["participant_id"] != "", "participant_id"].nunique()),
                "n_quotes_direct": int(s.loc[s["match"] == "direct", "quote_id"].nunique()),
            })
    return pd.DataFrame(rows)


def source_label(n_practitioners: int, n_residents: int) -> str:
    """Whose experience a cell rests on (the legend of 그림 Ⅴ-1).

    Examples
    --------
    >>> source_label(2, 0), source_label(0, 3), source_label(1, 1), source_label(0, 0)
    ('실무자', '주민', '공통', '근거 없음')
    """
    if n_practitioners and n_residents:
        return "공통"
    if n_practitioners:
        return "실무자"
    if n_residents:
        return "주민"
    return "근거 없음"


def grid(fw: Framework, corpus: Any) -> pd.DataFrame:
    """One row per cell with the evidence of both groups and the linked indicators.

    Returns
    -------
    DataFrame
        ``cell_id, stage, domain, subdomain, outcome, items, placement,
        n_practitioners, n_residents, n_quotes, source, n_indicators,
        indicators`` (``n_quotes``: distinct quotes of both groups;
        ``indicators``: Korean names joined by ``·``).

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> grid(example_framework(), example_corpus())[["cell_id", "n_practitioners", "source", "n_indicators"]].values.tolist()
    [['X1', 3, '실무자', 0], ['X2', 2, '실무자', 0], ['X3', 0, '근거 없음', 1]]
    """
    counts = evidence_counts(fw, corpus)
    seg = evidence_segments(fw, corpus)
    wide = counts.pivot(index="cell_id", columns="group", values="n_quotes")
    rows = []
    for cell in fw.cells.itertuples(index=False):
        ind = fw.indicators[fw.indicators["cell_id"] == cell.cell_id]["indicator"]
        n_p = int(wide.at[cell.cell_id, "practitioners"])
        n_r = int(wide.at[cell.cell_id, "residents"])
        rows.append({
            "cell_id": cell.cell_id, "stage": cell.stage, "domain": cell.domain, "subdomain": cell.subdomain,
            "outcome": cell.outcome, "items": cell.items, "placement": cell.placement,
            "n_practitioners": n_p, "n_residents": n_r,
            "n_quotes": int(seg.loc[seg["cell_id"] == cell.cell_id, "quote_id"].nunique()),
            "source": source_label(n_p, n_r), "n_indicators": int(len(ind)),
            "indicators": "·".join(INDICATORS[k].name for k in ind),
        })
    return pd.DataFrame(rows)


def grid_summary(g: pd.DataFrame) -> dict[str, Any]:
    """Counts for the prose of the framework page.

    Examples
    --------
    >>> from jahwal.qual import example_corpus
    >>> s = grid_summary(grid(example_framework(), example_corpus()))
    >>> s["n_cells"], s["n_practitioners_only"], s["n_without_evidence"], s["n_with_indicator"]
    (3, 2, 1, 1)
    """
    top = g.loc[g["n_quotes"].idxmax()] if len(g) else None
    by_stage = g.groupby("stage")["cell_id"].size().reindex(STAGES, fill_value=0)
    return {
        "n_cells": int(len(g)),
        "n_common": int((g["source"] == "공통").sum()),
        "n_practitioners_only": int((g["source"] == "실무자").sum()),
        "n_residents_only": int((g["source"] == "주민").sum()),
        "n_without_evidence": int((g["source"] == "근거 없음").sum()),
        "n_with_indicator": int((g["n_indicators"] > 0).sum()),
        "n_uncertain": int((g["placement"] == "L").sum()),
        "uncertain_areas": "·".join(dict.fromkeys(
            (r["subdomain"] or r["domain"]) for _, r in g[g["placement"] == "L"].iterrows())) or "없음",
        "top_outcome": top["outcome"] if top is not None else "–",
        "top_quotes": int(top["n_quotes"]) if top is not None else 0,
        **{f"n_stage_{i}": int(by_stage[s]) for i, s in enumerate(STAGES)},
    }


def _cell_name(row: Any) -> str:
    return f"{row['domain']}({row['subdomain']})" if row["subdomain"] else row["domain"]


def grid_table(g: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅴ-1: the cells in grid order with Korean headers.

    Returns
    -------
    DataFrame
        ``단계, 영역, 성과, 내용, 실무자 인용, 주민 인용, 근거, 지표, 배치``.
    """
    order = {rc: i for i, rc in enumerate(GRID_ROWS)}
    out = g.assign(_s=g["stage"].map({s: i for i, s in enumerate(STAGES)}),
                   _r=[order[(d, s)] for d, s in zip(g["domain"], g["subdomain"])])
    out = out.sort_values(["_s", "_r"], kind="stable")
    return pd.DataFrame({
        "단계": out["stage"].map(STAGE_TITLES),
        "영역": [_cell_name(r) for _, r in out.iterrows()],
        "성과": out["outcome"],
        "내용": out["items"],
        "실무자 인용": out["n_practitioners"],
        "주민 인용": out["n_residents"],
        "근거": out["source"],
        "지표": out["indicators"].replace("", "–"),
        "배치": out["placement"].map(PLACEMENT),
    }).reset_index(drop=True)


def evidence_table(fw: Framework, corpus: Any) -> pd.DataFrame:
    """표 Ⅴ-S1: every link from a cell to a code, with the code's name, table and quote count.

    Returns
    -------
    DataFrame
        ``칸, 성과, 집단, 코드, 주제, 보고서 표, 인용 수, 그중 상위 주제에만 붙은 인용``.
    """
    seg = evidence_segments(fw, corpus)
    codes = corpus.codes.set_index("code_id")
    cells = fw.cells.set_index("cell_id")
    rows = []
    for ev in fw.evidence.itertuples(index=False):
        s = seg[(seg["cell_id"] == ev.cell_id) & (seg["group"] == ev.group) & (seg["code_id"] == ev.code_id)]
        rows.append({
            "칸": fw.cell_label(ev.cell_id), "성과": cells.at[ev.cell_id, "outcome"], "집단": GROUP_KO[ev.group],
            "코드": ev.code_id, "주제": codes.at[ev.code_id, "name"], "보고서 표": codes.at[ev.code_id, "table_id"],
            "인용 수": int(s["quote_id"].nunique()),
            "그중 상위 주제에만 붙은 인용": int(s.loc[s["match"] == "parent", "quote_id"].nunique()),
        })
    return pd.DataFrame(rows)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=True)) if text else ""


def grid_figure(g: pd.DataFrame, stages_shown: Sequence[str] = STAGES, *, title: str = ""):
    """그림 Ⅴ-1 (all stages) or Ⅴ-2 (``stages_shown=("중간", "지속")``): the grid with evidence counts.

    Each filled cell shows the outcome and its description, the number of
    quotes from practitioners (실) and residents (주), and ◆ when an indicator
    is linked; its shade is the number of distinct quotes of both groups.
    """
    import matplotlib.pyplot as plt
    from matplotlib import colors as mcolors
    from matplotlib.patches import Rectangle

    stages_shown = list(stages_shown)
    unknown = [s for s in stages_shown if s not in STAGES]
    if unknown or not stages_shown:
        raise ValueError(f"단계는 {STAGES} 가운데서 고릅니다 / stages must be among {STAGES}: {unknown}")
    rows = GRID_ROWS
    cmax = max(1, int(g["n_quotes"].max()) if len(g) else 1)
    cmap = plt.get_cmap("Blues")
    norm = mcolors.Normalize(vmin=0, vmax=cmax)
    cw, ch, lw = 2.7, 0.82, 1.9
    fig_w = lw + cw * len(stages_shown) + 0.9
    fig_h = 0.9 + ch * len(rows)
    fig, ax = plt.subplots(figsize=(fig_w, fig_h))
    ax.set_xlim(-lw, cw * len(stages_shown))
    ax.set_ylim(ch * len(rows), -0.55)
    ax.axis("off")
    index = {(r.stage, r.domain, r.subdomain): r for r in g.itertuples(index=False)}
    for j, s in enumerate(stages_shown):
        ax.text(cw * j + cw / 2, -0.28, STAGE_TITLES[s], ha="center", va="center", fontsize=10, fontweight="bold")
    for i, (dom, sub) in enumerate(rows):
        y = ch * i
        label = f"{dom}\n› {sub}" if sub else f"{dom} 영역"
        ax.add_patch(Rectangle((-lw, y), lw, ch, facecolor="#f2f2f2", edgecolor="white", linewidth=1.5))
        ax.text(-lw + 0.1, y + ch / 2, label, ha="left", va="center", fontsize=8.5)
        for j, s in enumerate(stages_shown):
            x = cw * j
            r = index.get((s, dom, sub))
            if r is None:
                ax.add_patch(Rectangle((x, y), cw, ch, facecolor="#fafafa", edgecolor="white", linewidth=1.5))
                continue
            face = cmap(norm(r.n_quotes)) if r.n_quotes else "#fff7e6"
            ax.add_patch(Rectangle((x, y), cw, ch, facecolor=face, edgecolor="white", linewidth=1.5))
            dark = r.n_quotes > 0.6 * cmax
            color = "white" if dark else "black"
            ax.text(x + 0.08, y + 0.07, r.outcome, ha="left", va="top", fontsize=8, color=color, fontweight="bold")
            lines = textwrap.wrap(r.items, width=24)
            body = "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")
            ax.text(x + 0.08, y + 0.27, body, ha="left", va="top", fontsize=6.2, color=color, linespacing=1.15)
            mark = " ◆" if r.n_indicators else ""
            ax.text(x + cw - 0.08, y + ch - 0.08, f"실 {r.n_practitioners} · 주 {r.n_residents}{mark}", ha="right",
                    va="bottom", fontsize=7.5, color=color)
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=norm)
    cb = fig.colorbar(sm, ax=ax, fraction=0.025, pad=0.01)
    cb.set_label("근거 인용 수(두 집단, 중복 없이)", fontsize=8)
    cb.ax.tick_params(labelsize=7)
    if title:
        ax.set_title(title, fontsize=11, pad=14)
    fig.text(0.01, 0.005, "실: 실무자 인용, 주: 주민 인용, ◆: 양적 지표가 있는 칸, 빈 칸: 해당 성과 없음",
             fontsize=7.5, ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig


# ---------------------------------------------------------------- indicator values
VALUE_COLUMNS = ["indicator", "year", "value", "n", "n_event", "n1", "n2", "p"]


def _rate_rows(key: str, df: pd.DataFrame, value: str, base: str, event: str) -> list[dict[str, Any]]:
    return [{"indicator": key, "year": int(r["year"]), "value": float(r[value]), "n": int(r[base]),
             "n_event": int(r[event]), "n1": np.nan, "n2": np.nan, "p": np.nan} for _, r in df.iterrows()]


def _status_rows(key: str, ex: Extract, column: str) -> list[dict[str, Any]]:
    s = stages.status_by_year(ex, column)
    rows = []
    for year, g in s.groupby("year"):
        hit = g[g["status"] == "수립"]
        rows.append({"indicator": key, "year": int(year),
                     "value": float(hit["pct"].iloc[0]) if len(hit) else 0.0,
                     "n": int(g["n"].sum()), "n_event": int(hit["n"].iloc[0]) if len(hit) else 0,
                     "n1": np.nan, "n2": np.nan, "p": np.nan})
    return rows


def indicator_values(ex: Extract, keys: Iterable[str] | None = None, *, alpha: float = 0.05, variant: str = "auto",
                     confidence: float = 0.95) -> pd.DataFrame:
    """Every indicator for every year of the extract (full precision, nothing suppressed yet).

    Parameters
    ----------
    ex : Extract
    keys : list of str, optional
        Indicator keys of :data:`INDICATORS`; all by default.
    alpha, variant, confidence
        Passed to :func:`jahwal.compare.compare_groups` for the gaps.

    Returns
    -------
    DataFrame
        ``indicator, year, value, n, n_event, n1, n2, p``: ``n`` is the base
        (persons), ``n_event`` the persons counted in a rate, ``n1``/``n2``
        the two groups of a gap and ``p`` its p value. A gap with a group of
        fewer than two persons has ``value`` NaN.
    """
    keys = list(INDICATORS) if keys is None else list(keys)
    unknown = [k for k in keys if k not in INDICATORS]
    if unknown:
        raise ValueError(f"알 수 없는 지표입니다: {unknown} / unknown indicators (one of {list(INDICATORS)})")
    rows: list[dict[str, Any]] = []
    gap_data: dict[int, pd.DataFrame] = {}
    for key in keys:
        spec = INDICATORS[key]
        if key == "assessment_rate":
            rows += _rate_rows(key, stages.intake_assessment_by_year(ex), "assessed_rate", "intake_n", "assessed_n")
        elif key == "iap_rate":
            rows += _status_rows(key, ex, "iap_status")
        elif key == "isp_rate":
            rows += _status_rows(key, ex, "isp_status")
        elif key == "post_closure_rate":
            rows += _rate_rows(key, stages.post_closure_by_year(ex), "post_rate", "closed_n", "post_n")
        elif key == "counselling_mean":
            for _, r in stages.counselling_by_year(ex).iterrows():
                rows.append({"indicator": key, "year": int(r["year"]), "value": float(r["mean"]), "n": int(r["persons_n"]),
                             "n_event": np.nan, "n1": np.nan, "n2": np.nan, "p": np.nan})
        else:
            for year in ex.years:
                if year not in gap_data:
                    gap_data[year] = stages.outcome_data(ex, year)
                data = gap_data[year]
                col = f"group_{spec.group}"
                n1, n2 = int((data[col] == "수행").sum()), int((data[col] == "미수행").sum())
                row = {"indicator": key, "year": int(year), "value": np.nan, "n": n1 + n2, "n_event": np.nan,
                       "n1": n1, "n2": n2, "p": np.nan}
                if n1 >= 2 and n2 >= 2:
                    res = compare_groups(data, spec.outcome, col, variant=variant, alpha=alpha, confidence=confidence).iloc[0]
                    row["value"], row["p"] = float(res["diff"]), float(res["p"])
                rows.append(row)
    out = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    order = {k: i for i, k in enumerate(keys)}
    out = out.assign(_o=out["indicator"].map(order)).sort_values(["_o", "year"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


def _small(v: Any, threshold: int) -> bool:
    return pd.notna(v) and 1 <= float(v) < threshold


def mark_suppressed(values: pd.DataFrame, threshold: int = 10) -> pd.DataFrame:
    """Flag values that would disclose small groups (column ``suppressed``).

    A rate is hidden when its base, its count or the rest of the base is
    between 1 and ``threshold - 1``; a mean when its base is; a gap when either
    group is (as in Chapter Ⅲ) or when it could not be computed.

    Examples
    --------
    >>> v = pd.DataFrame({"indicator": ["assessment_rate"] * 2, "year": [2021, 2022], "value": [50.0, 60.0],
    ...                   "n": [100, 100], "n_event": [50, 95], "n1": [np.nan] * 2, "n2": [np.nan] * 2, "p": [np.nan] * 2})
    >>> mark_suppressed(v, 10)["suppressed"].tolist()
    [False, True]
    """
    if threshold < 1:
        raise ValueError("threshold는 1 이상이어야 합니다 / threshold must be >= 1")
    flags = []
    for r in values.itertuples(index=False):
        kind = INDICATORS[r.indicator].kind
        if kind == "rate":
            rest = r.n - r.n_event if pd.notna(r.n_event) else np.nan
            hide = _small(r.n, threshold) or _small(r.n_event, threshold) or _small(rest, threshold)
        elif kind == "mean":
            hide = _small(r.n, threshold)
        else:
            hide = pd.isna(r.value) or min(r.n1, r.n2) < threshold
        flags.append(bool(hide or pd.isna(r.value)))
    return values.assign(suppressed=flags)


_TOLERANCE = {"rate": 0.005, "mean": 0.005, "gap": 0.5}


def indicator_trends(values: pd.DataFrame) -> pd.DataFrame:
    """Trend of each indicator over the years it may be shown.

    Parameters
    ----------
    values : DataFrame
        Output of :func:`mark_suppressed` (suppressed years are left out).

    Returns
    -------
    DataFrame
        ``indicator, n_years, first_year, last_year, first, last, change,
        slope, direction``: ``slope`` is the least-squares change per year,
        ``direction`` ``상승``, ``하락`` or ``변화 없음`` (by the slope; flat
        when slope × span would round to zero at the display precision: 0.01
        for rates and means, 1 won for gaps), or ``–`` with fewer than two
        years.

    Examples
    --------
    >>> v = pd.DataFrame({"indicator": ["iap_rate"] * 3, "year": [2020, 2021, 2022], "value": [10.0, 12.0, 17.0],
    ...                   "suppressed": [False, False, False]})
    >>> indicator_trends(v)[["change", "slope", "direction"]].values.tolist()
    [[7.0, 3.5, '상승']]
    """
    if "suppressed" not in values.columns:
        raise ValueError("mark_suppressed를 먼저 적용하세요 / apply mark_suppressed first (no 'suppressed' column)")
    rows = []
    for key, g in values.groupby("indicator", sort=False):
        g = g[~g["suppressed"] & g["value"].notna()].sort_values("year")
        row = {"indicator": key, "n_years": int(len(g)), "first_year": np.nan, "last_year": np.nan, "first": np.nan,
               "last": np.nan, "change": np.nan, "slope": np.nan, "direction": "–"}
        if len(g) >= 1:
            row.update(first_year=int(g["year"].iloc[0]), last_year=int(g["year"].iloc[-1]),
                       first=float(g["value"].iloc[0]), last=float(g["value"].iloc[-1]))
        if len(g) >= 2:
            x = g["year"].to_numpy(float) - g["year"].mean()
            y = g["value"].to_numpy(float)
            slope = float((x * (y - y.mean())).sum() / (x * x).sum())
            kind = INDICATORS[key].kind if key in INDICATORS else "rate"
            span = float(g["year"].iloc[-1] - g["year"].iloc[0])
            flat = abs(slope) * span < _TOLERANCE[kind]  # would not show at the display precision
            row.update(change=row["last"] - row["first"], slope=slope,
                       direction="변화 없음" if flat else ("상승" if slope > 0 else "하락"))
        rows.append(row)
    return pd.DataFrame(rows, columns=["indicator", "n_years", "first_year", "last_year", "first", "last", "change",
                                       "slope", "direction"])


def _fmt_value(spec: IndicatorSpec, value: float, p: float = np.nan, alpha_stars: bool = True) -> str:
    if pd.isna(value):
        return "–"
    if spec.kind == "gap":
        return f"{value:,.0f}" + (stars(p) if alpha_stars else "")
    return f"{value:,.2f}"


def indicator_definitions(fw: Framework) -> pd.DataFrame:
    """표 Ⅴ-2: each indicator of the framework with its cell, definition, function and Chapter Ⅲ source.

    Returns
    -------
    DataFrame
        ``지표, 성과 틀의 칸, 관계, 정의, 단위, 계산 함수, Ⅲ장``.
    """
    rows = []
    for r in fw.indicators.itertuples(index=False):
        spec = INDICATORS[r.indicator]
        rows.append({"지표": spec.name, "성과 틀의 칸": f"{fw.cell_label(r.cell_id)}: "
                     f"{fw.cells.set_index('cell_id').at[r.cell_id, 'outcome']}", "관계": r.relation,
                     "정의": spec.definition, "단위": spec.unit, "계산 함수": spec.function, "Ⅲ장": spec.reference})
    return pd.DataFrame(rows)


def indicator_table(fw: Framework, values: pd.DataFrame, trends: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅴ-3: indicator values by year with their trend, suppressed cells as ``x``.

    Returns
    -------
    DataFrame
        ``지표, 칸, 단위``, one column per year (``2019년`` …), ``변화(첫해→끝해)``
        and ``추세``. Gaps carry significance stars (*p<.05, **p<.01,
        ***p<.001).
    """
    if "suppressed" not in values.columns:
        raise ValueError("mark_suppressed를 먼저 적용하세요 / apply mark_suppressed first (no 'suppressed' column)")
    years = sorted(int(y) for y in values["year"].unique())
    tr = trends.set_index("indicator")
    rows = []
    for r in fw.indicators.itertuples(index=False):
        spec = INDICATORS[r.indicator]
        v = values[values["indicator"] == r.indicator].set_index("year")
        row = {"지표": spec.name, "칸": fw.cell_label(r.cell_id), "단위": spec.unit}
        for y in years:
            if y not in v.index:
                row[f"{y}년"] = "–"
            elif v.at[y, "suppressed"]:
                row[f"{y}년"] = SUPPRESSED
            else:
                row[f"{y}년"] = _fmt_value(spec, v.at[y, "value"], v.at[y, "p"])
        t = tr.loc[r.indicator] if r.indicator in tr.index else None
        if t is not None and t["n_years"] >= 2:
            unit = "%p" if spec.unit == "%" else spec.unit
            digits = 0 if spec.kind == "gap" else 2
            change = round(float(t["change"]), digits) + 0.0  # no "-0"
            text = f"{change:+,.{digits}f}" if change else f"{0:.{digits}f}"
            row["변화(첫해→끝해)"] = f"{text}{unit} ({int(t['first_year'])}→{int(t['last_year'])})"
            row["추세"] = t["direction"]
        else:
            row["변화(첫해→끝해)"] = "–"
            row["추세"] = "–"
        rows.append(row)
    return pd.DataFrame(rows)


def indicator_figure(fw: Framework, values: pd.DataFrame, *, ncols: int = 4):
    """그림 Ⅴ-3: each indicator over the years (suppressed years left out)."""
    import matplotlib.pyplot as plt

    if "suppressed" not in values.columns:
        raise ValueError("mark_suppressed를 먼저 적용하세요 / apply mark_suppressed first (no 'suppressed' column)")
    keys = list(dict.fromkeys(fw.indicators["indicator"]))
    n = len(keys)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.9 * ncols, 2.3 * nrows), squeeze=False)
    years = sorted(int(y) for y in values["year"].unique())
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.axis("off")
            continue
        spec = INDICATORS[keys[k]]
        v = values[(values["indicator"] == keys[k]) & ~values["suppressed"]].sort_values("year")
        scale, unit = (10_000, "만원") if spec.kind == "gap" else (1, spec.unit)
        c = colors[["rate", "mean", "gap"].index(spec.kind) % len(colors)]
        ax.plot(v["year"], v["value"] / scale, marker="o", color=c)
        if spec.kind == "gap":
            ax.axhline(0, color="grey", linewidth=0.8, linestyle="--")
        ax.set_xlim(min(years) - 0.4, max(years) + 0.4)
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years], fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.set_title(_wrap(spec.name, 16), fontsize=8.5)
        ax.set_ylabel(unit, fontsize=7.5)
        if v.empty:
            ax.text(0.5, 0.5, "공개할 값 없음", transform=ax.transAxes, ha="center", va="center", fontsize=8, color="grey")
    fig.suptitle("성과 지표의 연도별 추이(가려진 해는 뺌)", fontsize=10)
    fig.tight_layout()
    return fig


def indicator_summary(fw: Framework, values: pd.DataFrame, trends: pd.DataFrame) -> dict[str, Any]:
    """Numbers for the prose of the indicator page (shown values only).

    Returns
    -------
    dict
        ``n_indicators``, ``n_cells`` (cells with an indicator), ``n_rising``,
        ``n_falling``, ``first_year``, ``last_year`` and, per rate or mean
        indicator ``k``, ``k_first``/``k_last`` (``"x"`` when hidden).
    """
    keys = list(dict.fromkeys(fw.indicators["indicator"]))
    t = trends.set_index("indicator")
    out: dict[str, Any] = {
        "n_indicators": len(keys),
        "n_cells": int(fw.indicators["cell_id"].nunique()),
        "n_rising": int(sum(t.at[k, "direction"] == "상승" for k in keys if k in t.index)),
        "n_falling": int(sum(t.at[k, "direction"] == "하락" for k in keys if k in t.index)),
        "first_year": str(int(values["year"].min())), "last_year": str(int(values["year"].max())),
    }
    for k in keys:
        v = values[values["indicator"] == k].set_index("year")
        for tag, y in (("first", values["year"].min()), ("last", values["year"].max())):
            if y in v.index and not v.at[y, "suppressed"]:
                out[f"{k}_{tag}"] = float(v.at[y, "value"])
            else:
                out[f"{k}_{tag}"] = SUPPRESSED
    return out


# ---------------------------------------------------------------- key findings (요약)
#: decimal places of the key findings when glued
FINDING_DIGITS = {
    "intake_growth": 1, "assessment_rate_first": 2, "assessment_rate_last": 2, "post_closure_rate_first": 2,
    "post_closure_rate_last": 2, "counselling_mean": 2, "counselling_median": 1, "iap_rate_last": 2,
    "incentive_gap_iap": 0, "wage_gap_iap_monitoring": 0, "wage_gap_days": 1,
}


def change_verb(change: Any, up: str, down: str, same: str = "같습니다", hidden: str = "바뀌었습니다") -> str:
    """A Korean verb for the sign of a change (``hidden`` when the change is suppressed).

    Examples
    --------
    >>> change_verb(3.2, "늘었습니다", "줄었습니다"), change_verb(-1, "늘었습니다", "줄었습니다"), change_verb("x", "늘", "줄")
    ('늘었습니다', '줄었습니다', '바뀌었습니다')
    """
    if change == SUPPRESSED or change is None or pd.isna(change):
        return hidden
    return up if change > 0 else down if change < 0 else same


def extract_summary(ex: Extract, threshold: int = 10) -> dict[str, Any]:
    """First and last year, persons kept in them and dropped duplicate entries, for the prose.

    Returns
    -------
    dict
        ``first_year, last_year`` (text), ``participants_first, participants_last``
        (counts or ``"x"``) and ``dropped`` (``"1,898건"`` or ``"10건 미만"``).
    """
    c = extract_counts(ex).set_index("year")
    small = lambda n: 1 <= n < threshold  # noqa: E731
    n0, n1, d = int(c["participants_n"].iloc[0]), int(c["participants_n"].iloc[-1]), int(ex.dropped_duplicates)
    return {"first_year": str(c.index.min()), "last_year": str(c.index.max()),
            "participants_first": SUPPRESSED if small(n0) else n0, "participants_last": SUPPRESSED if small(n1) else n1,
            "dropped": f"{threshold}건 미만" if small(d) else f"{d:,}건"}


def key_findings(ex: Extract, corpus: Any, fw: Framework, *, focus_year: int, threshold: int = 10, alpha: float = 0.05,
                 variant: str = "auto", daily_rates: dict[str, float] | None = None) -> dict[str, Any]:
    """The numbers of the summary page, computed with the same functions as the chapters.

    Parameters
    ----------
    ex : Extract
    corpus : jahwal.qual.QualCorpus
    fw : Framework
    focus_year : int
        Year of the outcome comparisons (as in Chapter Ⅲ).
    threshold : int
        Suppression threshold: hidden values are returned as ``"x"``.
    alpha, variant
        Passed to :func:`jahwal.compare.compare_groups`.
    daily_rates : dict, optional
        Daily 자활급여 by unit type; the first one converts the wage gap into
        participation days.

    Returns
    -------
    dict
        Numbers (or ``"x"``) and labels keyed by name; decimal places in
        :data:`FINDING_DIGITS`.
    """
    if focus_year not in ex.years:
        raise ValueError(f"focus_year {focus_year}의 자료가 없습니다 / no data for focus_year (years: {ex.years})")
    values = mark_suppressed(indicator_values(ex, alpha=alpha, variant=variant), threshold)
    v = values.set_index(["indicator", "year"])
    first, last = min(ex.years), max(ex.years)

    def shown(key: str, year: int) -> Any:
        if (key, year) not in v.index or v.at[(key, year), "suppressed"]:
            return SUPPRESSED
        return float(v.at[(key, year), "value"])

    ia = stages.intake_assessment_by_year(ex).set_index("year")
    n0, n1 = int(ia.at[first, "intake_n"]), int(ia.at[last, "intake_n"])
    small = lambda n: 1 <= n < threshold  # noqa: E731
    growth = SUPPRESSED if small(n0) or small(n1) or n0 == 0 else 100 * (n1 - n0) / n0
    cy = stages.counselling_by_year(ex).set_index("year")
    c_ok = focus_year in cy.index and not small(int(cy.at[focus_year, "persons_n"]))
    out: dict[str, Any] = {
        "first_year": str(first), "last_year": str(last), "focus_year": str(focus_year),
        "intake_first": SUPPRESSED if small(n0) else n0, "intake_last": SUPPRESSED if small(n1) else n1,
        "intake_growth": growth if growth == SUPPRESSED else abs(growth),
        "intake_verb": change_verb(growth, "늘었습니다", "줄었습니다"),
        "assessment_rate_first": shown("assessment_rate", first), "assessment_rate_last": shown("assessment_rate", last),
        "post_closure_rate_first": shown("post_closure_rate", first), "post_closure_rate_last": shown("post_closure_rate", last),
        "iap_rate_last": shown("iap_rate", last),
        "counselling_mean": float(cy.at[focus_year, "mean"]) if c_ok else SUPPRESSED,
        "counselling_median": float(cy.at[focus_year, "median"]) if c_ok else SUPPRESSED,
        "incentive_gap_iap": shown("incentive_gap_iap", focus_year),
        "wage_gap_iap_monitoring": shown("wage_gap_iap_monitoring", focus_year),
    }
    for key in ("assessment_rate", "post_closure_rate"):
        a, b = out[f"{key}_first"], out[f"{key}_last"]
        out[f"{key}_verb"] = change_verb(SUPPRESSED if SUPPRESSED in (a, b) else b - a, "올랐습니다", "내렸습니다")
    for key in ("incentive_gap_iap", "wage_gap_iap_monitoring"):
        hidden = out[key] == SUPPRESSED
        out[f"{key}_stars"] = "" if hidden else stars(float(v.at[(key, focus_year), "p"]))
    rates = dict(daily_rates or {})
    unit, rate = next(iter(rates.items())) if rates else ("", np.nan)
    out["days_unit"] = unit or "–"
    gap = out["wage_gap_iap_monitoring"]
    out["wage_gap_days"] = SUPPRESSED if gap == SUPPRESSED or not rates else gap / rate
    for g in GROUPS:
        sub = corpus.subset(g) if g in corpus.groups else None
        out[f"{g}_n"] = int(len(sub.participants)) if sub is not None else 0
        out[f"{g}_quotes"] = int(sub.segments["quote_id"].nunique()) if sub is not None else 0
    s = grid_summary(grid(fw, corpus))
    out.update({"n_stages": len(STAGES), "n_domains": len(DOMAINS), "n_subdomains": len(SUBDOMAINS),
                "n_cells": s["n_cells"], "n_common": s["n_common"], "n_with_indicator": s["n_with_indicator"],
                "n_indicators": int(fw.indicators["indicator"].nunique())})
    return out


# ---------------------------------------------------------------- research design (Chapter Ⅰ)
DESIGN_FILES: dict[str, tuple[list[str], list[str]]] = {
    "process": (["step", "phase", "tasks", "book_part", "source_lines"], ["step", "phase", "tasks"]),
    "selection": (["step", "content", "source_lines"], ["step", "content"]),
    "data_scope": (["group", "report_contents", "extract_columns", "not_in_extract", "source_lines"],
                   ["group", "report_contents", "extract_columns"]),
    "fgi_criteria": (["group", "kind", "item", "criterion", "min_months", "source_lines"], ["group", "kind", "item", "criterion"]),
    "qual_procedure": (["phase", "step", "content", "in_this_book", "source_lines"], ["phase", "step", "content"]),
    "processing_rules": (["rule_id", "rule", "description", "functions", "parameters", "appendix", "origin", "source_lines"],
                         ["rule_id", "rule", "description", "functions", "origin"]),
}
CRITERION_KINDS = ("구성", "선정", "제외")


def resolve_function(dotted: str) -> Callable[..., Any]:
    """The object named by a dotted path such as ``jahwal.contract.first_entry_per_year``.

    Examples
    --------
    >>> resolve_function("jahwal.contract.first_entry_per_year").__name__
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
    from .params import NotebookParameters

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
                    problems.append(f"{p}: 열 'extract_columns' {i + 2}행의 '{col}'은 자료 명세에 없는 열입니다 / "
                                    f"not a column of the data contract")
    if "processing_rules" in out:
        p = base / "processing_rules.csv"
        params = set(NotebookParameters.model_fields)
        for i, r in out["processing_rules"].iterrows():
            for f in filter(None, r["functions"].split(";")):
                try:
                    resolve_function(f.strip())
                except (ValueError, ImportError, AttributeError) as exc:
                    problems.append(f"{p}: 열 'functions' {i + 2}행의 함수 '{f}'를 찾을 수 없습니다 / cannot import: {exc}")
            for k in filter(None, r["parameters"].split(";")):
                if k.strip() not in params:
                    problems.append(f"{p}: 열 'parameters' {i + 2}행의 '{k}'는 매개변수가 아닙니다 / not a notebook parameter")
    _raise(problems, f"연구설계 자료 {base} / design files")
    return out


def process_table(design: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """그림 Ⅰ-1 as a table: ``단계, 내용, 주요 과업, 이 책``."""
    d = design["process"]
    return pd.DataFrame({"단계": d["step"], "내용": d["phase"], "주요 과업": d["tasks"], "이 책": d["book_part"]})


def selection_table(design: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """그림 Ⅰ-2 as a table: ``단계, 내용``."""
    d = design["selection"]
    return pd.DataFrame({"단계": d["step"], "내용": d["content"]})


def data_scope_table(design: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """표 Ⅰ-1 with the columns of this book's extract that cover each group.

    Returns
    -------
    DataFrame
        ``구분, 보고서가 밝힌 자료, 이 책의 추출 자료(표.열), 추출 자료에 없는 것``;
        the extract columns are shown by their Korean names.
    """
    names = {f"{t.alias}.{c.alias}": f"{t.name}.{c.name}" for t in TABLES.values() for c in t.columns}
    d = design["data_scope"]
    cols = d["extract_columns"].map(lambda s: ", ".join(names[c.strip()] for c in s.split(";") if c.strip()))
    return pd.DataFrame({"구분": d["group"], "보고서가 밝힌 자료": d["report_contents"], "이 책의 추출 자료(표.열)": cols,
                         "추출 자료에 없는 것": d["not_in_extract"].replace("", "–")})


def extract_counts(ex: Extract) -> pd.DataFrame:
    """Records of the extract per year after the loading rules.

    Returns
    -------
    DataFrame
        ``year, participants_n`` (person-years kept: first entry per person and
        year), ``stages_n`` (stage records), ``counselled_n`` (persons with at
        least one counselling event), ``events_n`` (counselling events) and
        ``outcomes_n`` (persons in the outcome data).
    """
    years = ex.years
    c = ex.counselling.assign(year=ex.counselling["date"].dt.year)
    out = pd.DataFrame({"year": years})
    out["participants_n"] = out["year"].map(ex.participants.groupby("year").size()).fillna(0).astype(int)
    out["stages_n"] = out["year"].map(ex.stages.groupby("year").size()).fillna(0).astype(int)
    out["counselled_n"] = out["year"].map(c.groupby("year")["person_id"].nunique()).fillna(0).astype(int)
    out["events_n"] = out["year"].map(c.groupby("year").size()).fillna(0).astype(int)
    out["outcomes_n"] = out["year"].map(ex.outcomes.groupby("year").size()).fillna(0).astype(int)
    return out


EXTRACT_COUNT_LABELS = {"year": "연도", "participants_n": "참여자(첫 진입 기록)", "stages_n": "사례관리 단계 기록",
                        "counselled_n": "상담 경험자", "events_n": "상담 건수", "outcomes_n": "자활근로 성과 기록"}
EXTRACT_PERSON_COLUMNS = ["참여자(첫 진입 기록)", "사례관리 단계 기록", "상담 경험자", "자활근로 성과 기록"]


def extract_counts_table(ex: Extract, threshold: int = 10) -> pd.DataFrame:
    """표 Ⅰ-S1: :func:`extract_counts` with Korean headers and small person counts hidden.

    No total over years is published (a person may count in several years),
    so only primary suppression applies.
    """
    d = extract_counts(ex).rename(columns=EXTRACT_COUNT_LABELS)
    d["연도"] = d["연도"].astype(str)
    return suppress_counts(d, EXTRACT_PERSON_COLUMNS, threshold, secondary=False)


def fgi_table(design: dict[str, pd.DataFrame], group: str) -> pd.DataFrame:
    """표 Ⅰ-2 (``practitioners``) or Ⅰ-3 (``residents``): composition, selection and exclusion.

    Returns
    -------
    DataFrame
        ``구분, 번호, 내용``; the selection rows say that all must be met.
    """
    if group not in GROUPS:
        raise ValueError(f"집단은 {GROUPS} 가운데 하나입니다 / group must be one of {GROUPS}: {group!r}")
    d = design["fgi_criteria"]
    d = d[d["group"] == group]
    label = {"구성": "구성", "선정": "선정 기준(모두 충족)", "제외": "제외 기준(하나라도 해당)"}
    return pd.DataFrame({"구분": d["kind"].map(label), "번호": d["item"], "내용": d["criterion"]}).reset_index(drop=True)


def fgi_tenure_check(design: dict[str, pd.DataFrame], participants: pd.DataFrame) -> pd.DataFrame:
    """The tenure criterion of 표 Ⅰ-2 and Ⅰ-3 checked against the published participant tables.

    Parameters
    ----------
    design : dict
        From :func:`load_design`.
    participants : DataFrame
        ``QualCorpus.participants`` (columns ``group``, ``tenure_months``).

    Returns
    -------
    DataFrame
        ``group, min_months, n_participants, n_meeting, n_below, n_unknown``.

    Examples
    --------
    >>> d = {"fgi_criteria": pd.DataFrame({"group": ["residents"], "kind": ["선정"], "item": ["1"], "criterion": ["c"],
    ...                                     "min_months": ["12"], "source_lines": [""]})}
    >>> p = pd.DataFrame({"group": ["residents"] * 3, "tenure_months": [10, 12, None]})
    >>> fgi_tenure_check(d, p)[["n_meeting", "n_below", "n_unknown"]].values.tolist()
    [[1, 1, 1]]
    """
    crit = design["fgi_criteria"]
    rows = []
    for group in GROUPS:
        m = crit[(crit["group"] == group) & (crit["min_months"] != "")]
        if m.empty:
            continue
        need = int(m["min_months"].iloc[0])
        t = pd.to_numeric(participants.loc[participants["group"] == group, "tenure_months"], errors="coerce")
        rows.append({"group": group, "min_months": need, "n_participants": int(len(t)), "n_meeting": int((t >= need).sum()),
                     "n_below": int((t < need).sum()), "n_unknown": int(t.isna().sum())})
    return pd.DataFrame(rows, columns=["group", "min_months", "n_participants", "n_meeting", "n_below", "n_unknown"])


def fgi_tenure_table(check: pd.DataFrame) -> pd.DataFrame:
    """Korean display of :func:`fgi_tenure_check`."""
    return pd.DataFrame({"집단": check["group"].map(GROUP_KO), "기준(개월 이상)": check["min_months"],
                         "참여자": check["n_participants"], "기준 충족": check["n_meeting"], "기준 미만": check["n_below"],
                         "기간 미상": check["n_unknown"]})


def qual_procedure_table(design: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """그림 Ⅰ-3 as a table: ``구분, 단계, 내용, 이 책에서``."""
    d = design["qual_procedure"]
    return pd.DataFrame({"구분": d["phase"], "단계": d["step"], "내용": d["content"], "이 책에서": d["in_this_book"]})


def processing_rules_table(design: dict[str, pd.DataFrame], params: dict[str, Any]) -> pd.DataFrame:
    """표 Ⅰ-S2: the data-processing rules, their parameter values and the functions that apply them.

    Parameters
    ----------
    design : dict
        From :func:`load_design`.
    params : dict
        The notebook's parameter values (``{"window_start": "2019-01", ...}``);
        a parameter the rule names but ``params`` lacks raises ``ValueError``.

    Returns
    -------
    DataFrame
        ``규칙, 내용, 매개변수, 적용 함수, 근거``.
    """
    rows = []
    for r in design["processing_rules"].itertuples(index=False):
        names = [k.strip() for k in r.parameters.split(";") if k.strip()]
        missing = [k for k in names if k not in params]
        if missing:
            raise ValueError(f"규칙 {r.rule_id}의 매개변수 값이 없습니다 / no value for parameters {missing}")
        shown = ", ".join(f"{k} = {params[k]}" for k in names) or "–"
        origin = f"보고서 {r.source_lines.replace('-', '–')}행" if r.origin == "보고서" and r.source_lines else r.origin
        rows.append({"규칙": f"{r.rule_id}. {r.rule}", "내용": r.description, "매개변수": shown,
                     "적용 함수": ", ".join(f.strip() for f in r.functions.split(";") if f.strip()), "근거": origin})
    return pd.DataFrame(rows)


__all__ = [
    "DOMAINS", "GRID_ROWS", "GROUPS", "INDICATORS", "PLACEMENT", "STAGES", "SUBDOMAINS",
    "Framework", "FrameworkError", "IndicatorSpec",
    "FINDING_DIGITS", "change_verb", "data_scope_table", "evidence_counts", "evidence_segments", "evidence_table", "example_framework",
    "extract_counts", "extract_counts_table", "extract_summary", "fgi_table", "fgi_tenure_check", "fgi_tenure_table", "grid",
    "grid_figure", "grid_summary", "grid_table", "indicator_definitions", "indicator_figure", "indicator_summary",
    "indicator_table", "indicator_trends", "indicator_values", "key_findings", "load_design", "load_framework",
    "mark_suppressed",
    "process_table", "processing_rules_table", "qual_procedure_table", "resolve_function", "selection_table",
    "source_label",
]
