"""Count suppression: the one function (:func:`protect`) that hides small person counts in display
tables.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from jahwal.vocab import TOTAL


# ---------------------------------------------------------------- disclosure
def protect(
    df: pd.DataFrame,
    count_columns: Sequence[str],
    threshold: int,
    *,
    label_column: str | None = None,
    total_label: str = TOTAL,
    related: dict[str, Iterable[str]] | None = None,
    row_groups: Sequence[Sequence[str]] = (),
    complements: dict[str, tuple[str, str]] | None = None,
    column_totals: bool = True,
) -> pd.DataFrame:
    """Suppress small person counts with primary, complementary and secondary suppression.

    Parameters
    ----------
    df : DataFrame
        One row per cell group (province, year, category); counts as numbers.
    count_columns : list of str
        Columns holding person counts.
    threshold : int
        Counts ``1 <= n < threshold`` are suppressed (0 is shown).
    label_column, total_label : str
        The row whose ``label_column`` equals ``total_label`` is a published
        total: never suppressed and never chosen for secondary suppression.
    related : dict
        ``{count column: [columns]}``: rates or statistics computed from that
        count, suppressed with it in the same row.
    row_groups : list of list of str
        Count columns whose row sum is published (for example 수립, 미수립 and
        미입력, which add up to the intake of 표 Ⅲ-3). A row with exactly one
        suppressed cell in a group gets its next smallest cell suppressed.
    complements : dict
        ``{name: (whole, part)}``: a hidden count ``whole - part`` (for
        example persons not assessed). When it is small, ``part`` is suppressed.
    column_totals : bool
        The column sums are published (a total row, or a national figure
        elsewhere): a column with exactly one suppressed cell gets its next
        smallest cell suppressed.

    Returns
    -------
    DataFrame
        A copy; suppressed cells hold ``"x"``. Only columns with a suppressed
        cell become ``object``; the others keep their type.

    Examples
    --------
    >>> df = pd.DataFrame({"시도": ["가", "나", "다", "계"], "인원": [5, 40, 30, 75], "비율": [1.5, 2.5, 3.5, 6.5]})
    >>> protect(df, ["인원"], 10, label_column="시도", related={"인원": ["비율"]})["비율"].tolist()
    ['x', 2.5, 'x', 6.5]
    >>> iap = pd.DataFrame({"연도": ["2019"], "수립": [12405], "미수립": [3], "미입력": [27870]})
    >>> protect(iap, ["수립", "미수립", "미입력"], 10, row_groups=[["수립", "미수립", "미입력"]],
    ...         column_totals=False).iloc[0].astype(str).tolist()
    ['2019', 'x', 'x', '27870']
    """
    count_columns = list(count_columns)
    related = {k: list(v) for k, v in (related or {}).items()}
    complements = dict(complements or {})
    for c in count_columns + [c for g in row_groups for c in g] + list(related):
        if c not in df.columns:
            raise ValueError(f"열이 없습니다 / no column {c!r}")
    for name, (whole, part) in complements.items():
        if whole not in df.columns or part not in df.columns:
            raise ValueError(f"보완 집계의 열이 없습니다 / complement {name!r} needs columns {whole!r}, {part!r}")
    if threshold < 1:
        raise ValueError("threshold는 1 이상이어야 합니다 / threshold must be >= 1")
    out = df.reset_index(drop=True).copy()
    is_total = out[label_column].eq(total_label) if label_column else pd.Series(False, index=out.index)
    vals = out[count_columns].apply(pd.to_numeric, errors="coerce")
    mask = (vals >= 1) & (vals < threshold)
    mask.loc[is_total] = False
    for _name, (whole, part) in complements.items():
        hidden = pd.to_numeric(out[whole], errors="coerce") - pd.to_numeric(out[part], errors="coerce")
        small = (hidden >= 1) & (hidden < threshold) & ~is_total
        if part in mask:
            mask.loc[small, part] = True
    changed = True
    while changed:
        changed = False
        if column_totals:
            for c in count_columns:
                m = mask[c] & ~is_total
                if m.sum() == 1:
                    cand = vals.loc[~mask[c] & ~is_total, c]
                    cand = cand[cand > 0]
                    if len(cand):
                        mask.loc[cand.idxmin(), c] = True
                        changed = True
        for group in row_groups:
            group = [c for c in group if c in mask]
            for i in out.index[~is_total]:
                row = mask.loc[i, group]
                if row.sum() == 1:
                    cand = vals.loc[i, group][~row.to_numpy()]
                    cand = cand[cand > 0]
                    if len(cand):
                        mask.loc[i, cand.idxmin()] = True
                        changed = True
    for c in count_columns:
        hit = mask[c]
        if not hit.any():
            continue
        for col in [c, *related.get(c, [])]:
            out[col] = out[col].astype(object)
            out.loc[hit, col] = SUPPRESSED
    return _whole_numbers(out)


def _whole_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """In columns holding ``"x"``, show whole floats as integers (``1234.0`` → ``1234``).

    Examples
    --------
    >>> _whole_numbers(pd.DataFrame({"a": [1.0, "x", 2.5]}))["a"].tolist()
    [1, 'x', 2.5]
    """
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].map(
                lambda v: (
                    int(v) if isinstance(v, (float, np.floating)) and np.isfinite(v) and float(v).is_integer() else v
                )
            )
    return df


def suppressed_cells(df: pd.DataFrame) -> int:
    """Number of suppressed cells (``"x"``) in a display table.

    Examples
    --------
    >>> suppressed_cells(pd.DataFrame({"a": [1, "x"], "b": ["x", "x"]}))
    3
    """
    return int((df.astype(object) == SUPPRESSED).to_numpy().sum())


SUPPRESSED = "x"
