"""Chapter Ⅲ-4 outcome tests: the comparisons of 표 Ⅲ-9 to Ⅲ-20 as one tidy frame."""

from __future__ import annotations

import pandas as pd

from jahwal.analysis import stages
from jahwal.analysis.compare import compare_groups
from jahwal.inputs.contract import Extract
from jahwal.vocab import COMPARISONS, STAGE_GROUPS

# ---------------------------------------------------------------- 4. outcome tests


def outcome_tests(
    ex: Extract, year: int, *, alpha: float = 0.05, variant: str = "auto", threshold: int, confidence: float = 0.95
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
            "label1": STAGE_GROUPS[ind][0],
            "label2": STAGE_GROUPS[ind][1],
        }
        if n1 < 2 or n2 < 2:
            rows.append({**base, "n1": n1, "n2": n2, "suppressed": True})
            continue
        res = compare_groups(data, outcome, col, variant=variant, alpha=alpha, confidence=confidence).iloc[0].to_dict()
        rows.append({**base, **res, "suppressed": bool(min(n1, n2) < threshold)})
    return pd.DataFrame(rows)
