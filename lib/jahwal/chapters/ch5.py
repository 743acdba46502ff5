"""Chapter Ⅴ display: the outcome-framework grid and indicator tables and figures, with Korean
headers and suppression.
"""

from __future__ import annotations

import textwrap
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from jahwal.analysis.compare import stars
from jahwal.analysis.framework import evidence_segments
from jahwal.display.disclosure import SUPPRESSED
from jahwal.inputs.framework import INDICATORS, PLACEMENT, STAGES, SUBDOMAINS, Framework, IndicatorSpec
from jahwal.vocab import FOCUS_GROUPS

STAGE_TITLES = {s: f"{s}성과" for s in STAGES}
#: rows of the grid, top to bottom: (domain, sub-domain)
GRID_ROWS: list[tuple[str, str]] = (
    [("자활참여", "")] + [("자활역량", s) for s in SUBDOMAINS] + [("개인 내적", ""), ("자활여건", "")]
)


def _cell_name(row: Any) -> str:
    return f"{row['domain']}({row['subdomain']})" if row["subdomain"] else row["domain"]


def grid_table(g: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅴ-S1: the cells in grid order with Korean headers.

    Returns
    -------
    DataFrame
        ``단계, 영역, 성과, 내용, 실무자 인용, 주민 인용, 근거, 지표, 배치``.
    """
    order = {rc: i for i, rc in enumerate(GRID_ROWS)}
    out = g.assign(
        _s=g["stage"].map({s: i for i, s in enumerate(STAGES)}),
        _r=[order[(d, s)] for d, s in zip(g["domain"], g["subdomain"])],
    )
    out = out.sort_values(["_s", "_r"], kind="stable")
    return pd.DataFrame(
        {
            "단계": out["stage"].map(STAGE_TITLES),
            "영역": [_cell_name(r) for _, r in out.iterrows()],
            "성과": out["outcome"],
            "내용": out["items"],
            "실무자 인용": out["n_practitioners"],
            "주민 인용": out["n_residents"],
            "근거": out["source"],
            "지표": out["indicators"].replace("", "–"),
            "배치": out["placement"].map(PLACEMENT),
        }
    ).reset_index(drop=True)


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
        rows.append(
            {
                "칸": fw.cell_label(ev.cell_id),
                "성과": cells.at[ev.cell_id, "outcome"],
                "집단": FOCUS_GROUPS[ev.group],
                "코드": ev.code_id,
                "주제": codes.at[ev.code_id, "name"],
                "보고서 표": codes.at[ev.code_id, "table_id"],
                "인용 수": int(s["quote_id"].nunique()),
                "그중 상위 주제에만 붙은 인용": int(s.loc[s["match"] == "parent", "quote_id"].nunique()),
            }
        )
    return pd.DataFrame(rows)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=True)) if text else ""


def grid_cells(g: pd.DataFrame, stages_shown: Sequence[str] = STAGES) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """그림 Ⅴ-1 (all stages) or Ⅴ-2 (``stages_shown=("중간", "지속")``) as a table.

    Stages are columns and domains with their sub-domains rows. A filled cell
    gives the outcome, its description, the quotes of practitioners and
    residents and ◆ when a quantitative indicator is linked; its shade (0-3)
    grows with the distinct quotes of both groups (thirds of the largest count).

    Returns
    -------
    tuple
        ``(text, shades, note)``: the cells' text, their shades (same shape) and
        the note that explains marks and shades.

    Examples
    --------
    >>> from jahwal.analysis.framework import grid
    >>> from jahwal.inputs.framework import example_framework
    >>> from jahwal.qual import example_corpus
    >>> text, shades, note = grid_cells(grid(example_framework(), example_corpus()))
    >>> list(text.columns)
    ['영역', '하위 영역', '초기성과', '중간성과', '지속성과', '후속성과']
    >>> int(shades.to_numpy().max())
    3
    """
    stages_shown = list(stages_shown)
    unknown = [s for s in stages_shown if s not in STAGES]
    if unknown or not stages_shown:
        raise ValueError(f"단계는 {STAGES} 가운데서 고릅니다 / stages must be among {STAGES}: {unknown}")
    cmax = max(1, int(g["n_quotes"].max()) if len(g) else 1)
    cuts = [cmax / 3, 2 * cmax / 3]
    index = {(r.stage, r.domain, r.subdomain): r for r in g.itertuples(index=False)}
    text_rows, shade_rows = [], []
    for dom, sub in GRID_ROWS:
        row = {"영역": dom, "하위 영역": sub or "–"}
        shade = {"영역": 0, "하위 영역": 0}
        for s in stages_shown:
            r = index.get((s, dom, sub))
            col = STAGE_TITLES[s]
            if r is None:
                row[col], shade[col] = "–", 0
                continue
            mark = " · 지표 ◆" if r.n_indicators else ""
            row[col] = f"{r.outcome}\n{r.items}\n실무자 {r.n_practitioners} · 주민 {r.n_residents}{mark}"
            shade[col] = 0 if not r.n_quotes else 1 if r.n_quotes <= cuts[0] else 2 if r.n_quotes <= cuts[1] else 3
        text_rows.append(row)
        shade_rows.append(shade)
    low, mid = int(cuts[0]), int(cuts[1])
    note = (
        f"칸마다 성과, 그 내용, 실무자와 주민의 근거 인용 수를 적었습니다. ◆는 양적 지표가 연결된 칸, –는 해당 성과가 없는 칸입니다. "
        f"바탕색이 짙을수록 두 집단의 근거 인용(중복 없이)이 많습니다: 옅은 파랑 1~{low}건, 중간 {low + 1}~{mid}건, "
        f"짙은 파랑 {mid + 1}건 이상, 흰 칸은 근거가 없는 칸입니다."
    )
    return pd.DataFrame(text_rows), pd.DataFrame(shade_rows), note


def _small(v: Any, threshold: int) -> bool:
    return pd.notna(v) and 1 <= float(v) < threshold


#: the Chapter Ⅲ stage counts each rate or mean indicator is computed from (ledger classifying values besides 연도)
INDICATOR_CELLS: dict[str, list[dict[str, str]]] = {
    "assessment_rate": [{}, {"사정": "참여"}],
    "iap_rate": [{}, {"IAP": "수립"}],
    "isp_rate": [{}, {"ISP": "수립"}],
    "post_closure_rate": [
        {"종결": "종결"},
        {"종결": "종결", "종결 후 상담": "있음"},
        {"종결": "종결", "종결 후 상담": "없음"},
    ],
    "counselling_mean": [{"상담": "있음"}],
}


def mark_suppressed(
    values: pd.DataFrame, threshold: int = 10, hidden: Callable[[dict], bool] | None = None
) -> pd.DataFrame:
    """Flag values that would disclose small groups (column ``suppressed``).

    A rate is hidden when its base, its count or the rest of the base is
    between 1 and ``threshold - 1``; a mean when its base is; a gap when either
    group is (as in Chapter Ⅲ) or when it could not be computed. With
    ``hidden`` (``hidden(cell) -> bool``: the book's joint suppression of the
    Chapter Ⅲ stage counts, :func:`jahwal.display.book_cells.hidden_predicate`),
    a rate or mean is also hidden when a count it is computed from is hidden in
    Chapter Ⅲ (:data:`INDICATOR_CELLS`).

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
        if hidden is not None and not hide:
            hide = any(hidden({"연도": int(r.year), **cell}) for cell in INDICATOR_CELLS.get(r.indicator, []))
        flags.append(bool(hide or pd.isna(r.value)))
    return values.assign(suppressed=flags)


def _fmt_value(spec: IndicatorSpec, value: float, p: float = np.nan, alpha_stars: bool = True) -> str:
    if pd.isna(value):
        return "–"
    if spec.kind == "gap":
        return f"{value:,.0f}" + (stars(p) if alpha_stars else "")
    return f"{value:,.2f}"


def indicator_definitions(fw: Framework) -> pd.DataFrame:
    """표 Ⅴ-S3: each indicator of the framework with its cell, definition and Chapter Ⅲ source.

    Returns
    -------
    DataFrame
        ``지표, 성과 틀의 칸, 관계, 정의, 단위, Ⅲ장``.
    """
    rows = []
    for r in fw.indicators.itertuples(index=False):
        spec = INDICATORS[r.indicator]
        rows.append(
            {
                "지표": spec.name,
                "성과 틀의 칸": f"{fw.cell_label(r.cell_id)}: {fw.cells.set_index('cell_id').at[r.cell_id, 'outcome']}",
                "관계": r.relation,
                "정의": spec.definition,
                "단위": spec.unit,
                "Ⅲ장": spec.reference,
            }
        )
    return pd.DataFrame(rows)


def indicator_table(fw: Framework, values: pd.DataFrame, trends: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅴ-S4: indicator values by year with their trend, suppressed cells as ``x``.

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


def indicator_figure(fw: Framework, values: pd.DataFrame, *, ncols: int = 2):
    """그림 Ⅴ-S1: each indicator over the years (suppressed years left out)."""
    import matplotlib.pyplot as plt

    if "suppressed" not in values.columns:
        raise ValueError("mark_suppressed를 먼저 적용하세요 / apply mark_suppressed first (no 'suppressed' column)")
    keys = list(dict.fromkeys(fw.indicators["indicator"]))
    n = len(keys)
    ncols = max(1, min(ncols, 2, n))  # two panels a row keep the page's width and legible labels
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.7, 2.1 * nrows + 0.4), squeeze=False)
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
        ax.plot(v["year"], v["value"] / scale, marker="o", color=c, label=f"{spec.name}({unit})")
        if spec.kind == "gap":
            ax.axhline(0, color="grey", linewidth=0.8, linestyle="--")
        ax.set_xlim(min(years) - 0.4, max(years) + 0.4)
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years], fontsize=8.5)
        ax.tick_params(axis="y", labelsize=8.5)
        ax.set_title(_wrap(spec.name, 22), fontsize=9.5)
        ax.set_ylabel(unit, fontsize=8.5)
        if v.empty:
            ax.text(
                0.5, 0.5, "공개할 값 없음", transform=ax.transAxes, ha="center", va="center", fontsize=8, color="grey"
            )
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
        "first_year": str(int(values["year"].min())),
        "last_year": str(int(values["year"].max())),
    }
    for k in keys:
        v = values[values["indicator"] == k].set_index("year")
        for tag, y in (("first", values["year"].min()), ("last", values["year"].max())):
            if y in v.index and not v.at[y, "suppressed"]:
                out[f"{k}_{tag}"] = float(v.at[y, "value"])
            else:
                out[f"{k}_{tag}"] = SUPPRESSED
    return out
