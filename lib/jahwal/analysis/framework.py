"""Chapter Ⅴ analysis: evidence counts per framework cell, the outcome grid, indicator values and
trends, extract counts and the focus-group tenure check (tidy frames, no display).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from jahwal.analysis import stages
from jahwal.analysis.compare import compare_groups
from jahwal.inputs.contract import Extract
from jahwal.inputs.framework import GROUPS, INDICATORS, STAGES, Framework, _raise


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
    >>> from jahwal.inputs.framework import example_framework
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
                    rows.append(
                        (ev.cell_id, ev.group, ev.code_id, r.segment_id, r.quote_id, r.participant_id, "parent")
                    )
            anc = parent.get(anc, "")
    out = pd.DataFrame(
        rows, columns=["cell_id", "group", "code_id", "segment_id", "quote_id", "participant_id", "match"]
    )
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
            load_problems.append(
                f"{path}: 열 'code_id' {i + 2}행의 코드 '{r['code_id']}'가 코드북에 없습니다 / unknown code"
            )
        elif group_of[r["code_id"]] != r["group"]:
            load_problems.append(
                f"{path}: 열 'group' {i + 2}행: 코드 '{r['code_id']}'는 코드북에서 "
                f"'{group_of[r['code_id']]}' 집단입니다 / the code belongs to another group"
            )
    _raise(load_problems, "성과 틀 근거 코드 / framework evidence codes")


def evidence_counts(fw: Framework, corpus: Any) -> pd.DataFrame:
    """Evidence per cell and group: linked codes, quotes, segments, participants.

    Parameters
    ----------
    fw : Framework
        The loaded framework (:func:`jahwal.inputs.framework.load_framework`).
    corpus : jahwal.qual.QualCorpus
        The coded focus-group corpus.

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
    >>> from jahwal.inputs.framework import example_framework
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
            rows.append(
                {
                    "cell_id": cell.cell_id,
                    "stage": cell.stage,
                    "domain": cell.domain,
                    "subdomain": cell.subdomain,
                    "outcome": cell.outcome,
                    "group": group,
                    "n_codes": n_codes,
                    "n_quotes": int(s["quote_id"].nunique()),
                    "n_segments": int(s["segment_id"].nunique()),
                    "n_participants": int(s.loc[s["participant_id"] != "", "participant_id"].nunique()),
                    "n_quotes_direct": int(s.loc[s["match"] == "direct", "quote_id"].nunique()),
                }
            )
    return pd.DataFrame(rows)


def grid(fw: Framework, corpus: Any) -> pd.DataFrame:
    """One row per cell with the evidence of both groups and the linked indicators.

    Parameters
    ----------
    fw : Framework
        The loaded framework.
    corpus : jahwal.qual.QualCorpus
        The coded focus-group corpus.

    Returns
    -------
    DataFrame
        ``cell_id, stage, domain, subdomain, outcome, items, placement,
        n_practitioners, n_residents, n_quotes, source, n_indicators,
        indicators`` (``n_quotes``: distinct quotes of both groups;
        ``indicators``: Korean names joined by ``·``).

    Examples
    --------
    >>> from jahwal.inputs.framework import example_framework
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
        rows.append(
            {
                "cell_id": cell.cell_id,
                "stage": cell.stage,
                "domain": cell.domain,
                "subdomain": cell.subdomain,
                "outcome": cell.outcome,
                "items": cell.items,
                "placement": cell.placement,
                "n_practitioners": n_p,
                "n_residents": n_r,
                "n_quotes": int(seg.loc[seg["cell_id"] == cell.cell_id, "quote_id"].nunique()),
                "source": source_label(n_p, n_r),
                "n_indicators": int(len(ind)),
                "indicators": "·".join(INDICATORS[k].name for k in ind),
            }
        )
    return pd.DataFrame(rows)


def grid_summary(g: pd.DataFrame) -> dict[str, Any]:
    """Counts for the prose of the framework page.

    Parameters
    ----------
    g : DataFrame
        The output of :func:`grid`.

    Returns
    -------
    dict
        ``n_cells, n_common, n_practitioners_only, n_residents_only,
        n_without_evidence, n_with_indicator, n_uncertain`` (counts of cells),
        ``uncertain_areas`` (text), ``top_outcome`` and ``top_quotes`` (the cell
        with most quotes) and ``n_stage_0`` … ``n_stage_3`` (cells per stage).

    Examples
    --------
    >>> from jahwal.inputs.framework import example_framework
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
        "uncertain_areas": "·".join(
            dict.fromkeys((r["subdomain"] or r["domain"]) for _, r in g[g["placement"] == "L"].iterrows())
        )
        or "없음",
        "top_outcome": top["outcome"] if top is not None else "–",
        "top_quotes": int(top["n_quotes"]) if top is not None else 0,
        **{f"n_stage_{i}": int(by_stage[s]) for i, s in enumerate(STAGES)},
    }


# ---------------------------------------------------------------- indicator values
VALUE_COLUMNS = ["indicator", "year", "value", "n", "n_event", "n1", "n2", "p"]


def _rate_rows(key: str, df: pd.DataFrame, value: str, base: str, event: str) -> list[dict[str, Any]]:
    return [
        {
            "indicator": key,
            "year": int(r["year"]),
            "value": float(r[value]),
            "n": int(r[base]),
            "n_event": int(r[event]),
            "n1": np.nan,
            "n2": np.nan,
            "p": np.nan,
        }
        for _, r in df.iterrows()
    ]


def _status_rows(key: str, ex: Extract, column: str) -> list[dict[str, Any]]:
    s = stages.status_by_year(ex, column)
    rows = []
    for year, g in s.groupby("year"):
        hit = g[g["status"] == "수립"]
        rows.append(
            {
                "indicator": key,
                "year": int(year),
                "value": float(hit["pct"].iloc[0]) if len(hit) else 0.0,
                "n": int(g["n"].sum()),
                "n_event": int(hit["n"].iloc[0]) if len(hit) else 0,
                "n1": np.nan,
                "n2": np.nan,
                "p": np.nan,
            }
        )
    return rows


def indicator_values(
    ex: Extract,
    keys: Iterable[str] | None = None,
    *,
    alpha: float = 0.05,
    variant: str = "auto",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Every indicator for every year of the extract (full precision, nothing suppressed yet).

    Parameters
    ----------
    ex : Extract
    keys : list of str, optional
        Indicator keys of :data:`INDICATORS`; all by default.
    alpha, variant, confidence
        Passed to :func:`jahwal.analysis.compare.compare_groups` for the gaps.

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
                rows.append(
                    {
                        "indicator": key,
                        "year": int(r["year"]),
                        "value": float(r["mean"]),
                        "n": int(r["persons_n"]),
                        "n_event": np.nan,
                        "n1": np.nan,
                        "n2": np.nan,
                        "p": np.nan,
                    }
                )
        else:
            for year in ex.years:
                if year not in gap_data:
                    gap_data[year] = stages.outcome_data(ex, year)
                data = gap_data[year]
                col = f"group_{spec.group}"
                n1, n2 = int((data[col] == "수행").sum()), int((data[col] == "미수행").sum())
                row = {
                    "indicator": key,
                    "year": int(year),
                    "value": np.nan,
                    "n": n1 + n2,
                    "n_event": np.nan,
                    "n1": n1,
                    "n2": n2,
                    "p": np.nan,
                }
                if n1 >= 2 and n2 >= 2:
                    res = compare_groups(
                        data, spec.outcome, col, variant=variant, alpha=alpha, confidence=confidence
                    ).iloc[0]
                    row["value"], row["p"] = float(res["diff"]), float(res["p"])
                rows.append(row)
    out = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    order = {k: i for i, k in enumerate(keys)}
    out = out.assign(_o=out["indicator"].map(order)).sort_values(["_o", "year"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


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
        row = {
            "indicator": key,
            "n_years": int(len(g)),
            "first_year": np.nan,
            "last_year": np.nan,
            "first": np.nan,
            "last": np.nan,
            "change": np.nan,
            "slope": np.nan,
            "direction": "–",
        }
        if len(g) >= 1:
            row.update(
                first_year=int(g["year"].iloc[0]),
                last_year=int(g["year"].iloc[-1]),
                first=float(g["value"].iloc[0]),
                last=float(g["value"].iloc[-1]),
            )
        if len(g) >= 2:
            x = g["year"].to_numpy(float) - g["year"].mean()
            y = g["value"].to_numpy(float)
            slope = float((x * (y - y.mean())).sum() / (x * x).sum())
            kind = INDICATORS[key].kind if key in INDICATORS else "rate"
            span = float(g["year"].iloc[-1] - g["year"].iloc[0])
            flat = abs(slope) * span < _TOLERANCE[kind]  # would not show at the display precision
            row.update(
                change=row["last"] - row["first"],
                slope=slope,
                direction="변화 없음" if flat else ("상승" if slope > 0 else "하락"),
            )
        rows.append(row)
    return pd.DataFrame(
        rows,
        columns=["indicator", "n_years", "first_year", "last_year", "first", "last", "change", "slope", "direction"],
    )


def extract_counts(ex: Extract) -> pd.DataFrame:
    """Records of the extract per year after the loading rules.

    Parameters
    ----------
    ex : Extract
        A validated extract.

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
        rows.append(
            {
                "group": group,
                "min_months": need,
                "n_participants": int(len(t)),
                "n_meeting": int((t >= need).sum()),
                "n_below": int((t < need).sum()),
                "n_unknown": int(t.isna().sum()),
            }
        )
    return pd.DataFrame(rows, columns=["group", "min_months", "n_participants", "n_meeting", "n_below", "n_unknown"])


def source_label(n_practitioners: int, n_residents: int) -> str:
    """Whose experience a cell rests on (the legend of 그림 Ⅴ-1).

    Parameters
    ----------
    n_practitioners, n_residents : int
        Quotes of each focus group evidencing a cell.

    Returns
    -------
    str
        ``실무자``, ``주민``, ``공통`` or ``근거 없음``.

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
