"""Chapter Ⅲ-4 outcome tests: the comparisons of 표 Ⅲ-9 to Ⅲ-20 as one tidy frame."""

from __future__ import annotations

import pandas as pd

from jahwal.analysis import stages
from jahwal.analysis.compare import compare_groups
from jahwal.inputs.contract import Extract

# ---------------------------------------------------------------- 4. outcome tests
OUTCOMES = {"incentive": "자립성과금", "wage": "자활급여"}
#: indicator key → (performed label, not performed label, short stage name)
GROUP_LABELS = {
    "assessment": ("자활사정지 작성", "자활사정지 미작성", "사정지 작성"),
    "iap": ("IAP 수립", "IAP 미수립", "IAP 수립"),
    "iap_monitoring": ("IAP 수행", "IAP 미수행", "IAP 수행"),
    "counselling": ("개별상담 경험 있음", "개별상담 경험 없음", "개별상담 경험"),
    "post_closure": ("종결 후 상담 진행", "종결 후 상담 안 함", "종결 후 상담"),
}
#: the report's comparisons: (table, outcome, indicator, days table)
COMPARISONS: list[tuple[str, str, str, str | None]] = [
    ("표 Ⅲ-9", "incentive", "assessment", None),
    ("표 Ⅲ-10", "incentive", "iap", None),
    ("표 Ⅲ-11", "incentive", "counselling", None),
    ("표 Ⅲ-12", "incentive", "post_closure", None),
    ("표 Ⅲ-13", "wage", "assessment", "표 Ⅲ-14"),
    ("표 Ⅲ-15", "wage", "iap_monitoring", "표 Ⅲ-16"),
    ("표 Ⅲ-17", "wage", "counselling", "표 Ⅲ-18"),
    ("표 Ⅲ-19", "wage", "post_closure", "표 Ⅲ-20"),
]


def outcome_tests(
    ex: Extract, year: int, *, alpha: float = 0.05, variant: str = "auto", threshold: int = 10, confidence: float = 0.95
) -> pd.DataFrame:
    """All comparisons of 표 Ⅲ-9 to Ⅲ-20 in one tidy table (one row per comparison).

    Parameters
    ----------
    ex : Extract
    year : int
        The year of the outcome data (focus year).
    alpha, variant, confidence
        Passed to :func:`jahwal.analysis.compare.compare_groups`.
    threshold : int
        A comparison with a group smaller than this is ``suppressed`` (its
        statistics are still computed here but are never displayed).

    Returns
    -------
    DataFrame
        ``table_id, outcome, indicator, days_table, label1, label2`` and the
        columns of :func:`~jahwal.analysis.compare.compare_groups`, plus ``suppressed``.
    """
    data = stages.outcome_data(ex, year)
    rows = []
    for table_id, outcome, ind, days in COMPARISONS:
        col = f"group_{ind}"
        n1 = int((data[col] == "수행").sum())
        n2 = int((data[col] == "미수행").sum())
        base = {
            "table_id": table_id,
            "outcome": outcome,
            "indicator": ind,
            "days_table": days,
            "label1": GROUP_LABELS[ind][0],
            "label2": GROUP_LABELS[ind][1],
        }
        if n1 < 2 or n2 < 2:
            rows.append({**base, "n1": n1, "n2": n2, "suppressed": True})
            continue
        res = compare_groups(data, outcome, col, variant=variant, alpha=alpha, confidence=confidence).iloc[0].to_dict()
        rows.append({**base, **res, "suppressed": bool(min(n1, n2) < threshold)})
    return pd.DataFrame(rows)
