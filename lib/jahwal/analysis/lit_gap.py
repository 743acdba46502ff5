"""Which outcome dimensions overseas evaluations measure and Korean 자활
case management does not yet record (the gap Chapter Ⅴ's indicators answer)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

#: The tables of Chapter Ⅱ whose rows are things an evaluation measures
#: (표 Ⅱ-6 lists success factors of a programme, not measured outcomes).
MEASURE_TABLES = ("표 Ⅱ-1", "표 Ⅱ-2", "표 Ⅱ-3", "표 Ⅱ-4", "표 Ⅱ-5")


def dimension_gap(
    elements: pd.DataFrame,
    records: pd.DataFrame,
    vocabulary: pd.DataFrame,
    tables: Sequence[str] = MEASURE_TABLES,
) -> pd.DataFrame:
    """Overseas elements per outcome dimension against the Korean records.

    Parameters
    ----------
    elements : DataFrame
        From :func:`jahwal.inputs.lit_elements.load_overseas_elements`.
    records : DataFrame
        From :func:`jahwal.inputs.lit_elements.load_domestic_records`.
    vocabulary : DataFrame
        The outcome vocabulary (rows with ``kind == "dimension"`` are used).
    tables : sequence of str
        The element tables that count as measurements.

    Returns
    -------
    DataFrame
        One row per vocabulary dimension measured overseas or recorded in Korea,
        in vocabulary order: ``dimension``, ``dimension_label``,
        ``n_elements`` (overseas elements), ``n_tables`` (tables naming it),
        ``n_records`` (Korean records), ``recorded`` and ``gap`` (measured
        overseas, not recorded in Korea).

    Examples
    --------
    >>> from jahwal.analysis import literature as lit_analysis
    >>> from jahwal.inputs import literature as lit_inputs
    >>> from jahwal.inputs.lit_elements import load_overseas_elements, load_domestic_records
    >>> g = dimension_gap(load_overseas_elements("data/literature"), load_domestic_records("data/literature"),
    ...                   lit_inputs.load_vocabulary("data/literature"))
    >>> g.loc[g["gap"], "dimension"].tolist()
    ['emotional', 'social_relations', 'health', 'service_use', 'cost', 'quality_of_life', 'capability']
    """
    dims = vocabulary[vocabulary["kind"] == "dimension"]
    el = elements[elements["table_id"].isin(list(tables)) & (elements["dimension"] != "")]
    n_el = el.groupby("dimension").size()
    n_tab = el.groupby("dimension")["table_id"].nunique()
    n_rec = records.groupby("dimension").size()
    out = pd.DataFrame({"dimension": dims["code"].tolist(), "dimension_label": dims["label_ko"].tolist()})
    out["n_elements"] = out["dimension"].map(n_el).fillna(0).astype(int)
    out["n_tables"] = out["dimension"].map(n_tab).fillna(0).astype(int)
    out["n_records"] = out["dimension"].map(n_rec).fillna(0).astype(int)
    out = out[(out["n_elements"] > 0) | (out["n_records"] > 0)]
    out["recorded"] = out["n_records"] > 0
    out["gap"] = (out["n_elements"] > 0) & ~out["recorded"]
    return out.reset_index(drop=True)


__all__ = ["MEASURE_TABLES", "dimension_gap"]
