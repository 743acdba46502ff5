"""Chapter Ⅰ (research design): process, selection, data-scope, extract-count and focus-group
tables.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jahwal.analysis.framework import extract_counts
from jahwal.display import book_cells
from jahwal.display.disclosure import SUPPRESSED, protect
from jahwal.inputs.contract import TABLES, Extract
from jahwal.inputs.framework import GROUPS
from jahwal.study.outline import cite
from jahwal.vocab import FOCUS_GROUPS

GROUP_KO = FOCUS_GROUPS


def extract_summary(ex: Extract, threshold: int) -> dict[str, Any]:
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
    return {
        "first_year": str(c.index.min()),
        "last_year": str(c.index.max()),
        "participants_first": SUPPRESSED if small(n0) else n0,
        "participants_last": SUPPRESSED if small(n1) else n1,
        "dropped": f"{threshold}건 미만" if small(d) else f"{d:,}건",
    }


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
    return pd.DataFrame(
        {
            "구분": d["group"],
            "보고서가 밝힌 자료": d["report_contents"],
            "이 책의 추출 자료(표.열)": cols,
            "추출 자료에 없는 것": d["not_in_extract"].replace("", "–"),
        }
    )


EXTRACT_COUNT_LABELS = {
    "year": "연도",
    "participants_n": "참여자(첫 진입 기록)",
    "stages_n": "사례관리 단계 기록",
    "counselled_n": "상담 경험자",
    "events_n": "상담 건수",
    "outcomes_n": "자활근로 성과 기록",
}
EXTRACT_PERSON_COLUMNS = ["참여자(첫 진입 기록)", "사례관리 단계 기록", "상담 경험자", "자활근로 성과 기록"]
#: what each person column of 표 Ⅰ-S1 counts (ledger populations): the stage records are the persons with
#: intake counselling of Chapter Ⅲ; the others are counted from their own files and get populations of their own
EXTRACT_POPULATIONS = {
    "참여자(첫 진입 기록)": "자활 참여자(첫 진입 기록)",
    "사례관리 단계 기록": book_cells.POPULATION,
    "상담 경험자": "상담 기록이 있는 사람",
    "자활근로 성과 기록": "자활근로 성과 기록이 있는 사람",
}
#: the ledger spec of 표 Ⅰ-S1 (for ``nb.glue_table(ledger=...)``); the yearly intake is a total the report publishes
EXTRACT_SPEC = {
    "population": EXTRACT_POPULATIONS,
    "year_column": "연도",
    "columns": {c: {} for c in EXTRACT_POPULATIONS},
    "keep": ["사례관리 단계 기록"],
}


def extract_count_cells(summary: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """``{value key: (population, classification)}`` of the person counts of :func:`extract_summary` (for ``nb.glue_count``)."""
    pop = EXTRACT_POPULATIONS["참여자(첫 진입 기록)"]
    return {
        "participants_first": (pop, {"연도": summary["first_year"]}),
        "participants_last": (pop, {"연도": summary["last_year"]}),
    }


def extract_counts_table(ex: Extract, threshold: int) -> pd.DataFrame:
    """표 Ⅰ-S1: :func:`extract_counts` with Korean headers and small person counts hidden.

    No total over years is published (a person may count in several years),
    so only primary suppression applies.
    """
    d = extract_counts(ex).rename(columns=EXTRACT_COUNT_LABELS)
    d["연도"] = d["연도"].astype(str)
    return protect(d, EXTRACT_PERSON_COLUMNS, threshold, column_totals=False)


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
    return pd.DataFrame({"구분": d["kind"].map(label), "번호": d["item"], "내용": d["criterion"]}).reset_index(
        drop=True
    )


def fgi_tenure_table(check: pd.DataFrame) -> pd.DataFrame:
    """Korean display of :func:`fgi_tenure_check`."""
    return pd.DataFrame(
        {
            "집단": check["group"].map(FOCUS_GROUPS),
            "기준(개월 이상)": check["min_months"],
            "참여자": check["n_participants"],
            "기준 충족": check["n_meeting"],
            "기준 미만": check["n_below"],
            "기간 미상": check["n_unknown"],
        }
    )


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
        ``규칙, 내용, 매개변수, 근거`` (the functions that apply a rule are
        listed in the methods appendix, not on the reader's page).
    """
    rows = []
    for r in design["processing_rules"].itertuples(index=False):
        names = [k.strip() for k in r.parameters.split(";") if k.strip()]
        missing = [k for k in names if k not in params]
        if missing:
            raise ValueError(f"규칙 {r.rule_id}의 매개변수 값이 없습니다 / no value for parameters {missing}")
        shown = ", ".join(f"{k} = {params[k]}" for k in names) or "–"
        origin = (
            f"보고서 {cite(r.source_lines, subsection=False)}" if r.origin == "보고서" and r.source_lines else r.origin
        )
        rows.append(
            {
                "규칙": f"{r.rule_id}. {r.rule}",
                "내용": r.description,
                "매개변수": shown,
                "근거": origin,
            }
        )
    return pd.DataFrame(rows)
