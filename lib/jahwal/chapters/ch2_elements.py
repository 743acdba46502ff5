"""Chapter Ⅱ displays: the overseas evaluation elements (표 Ⅱ-1–Ⅱ-6), the gap
figure, the policy diagrams (그림 Ⅱ-1, Ⅱ-2, Ⅱ-4, Ⅱ-5) and the PRISMA check text.

Each function turns a tidy frame into the Korean table, diagram or sentence a
notebook shows; the notebooks only place them.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from jahwal.analysis import literature as lit_analysis
from jahwal.display.diagrams import Diagram, bar_diagram, flow_diagram


def _labels(vocabulary: pd.DataFrame, kind: str) -> dict[str, str]:
    v = vocabulary[vocabulary["kind"] == kind]
    return dict(zip(v["code"], v["label_ko"]))


def element_table(elements: pd.DataFrame, table_id: str, vocabulary: pd.DataFrame) -> pd.DataFrame:
    """One of 표 Ⅱ-1–Ⅱ-6 with its outcome dimension and source.

    Parameters
    ----------
    elements : DataFrame
        From :func:`jahwal.inputs.lit_elements.load_overseas_elements`.
    table_id : str
        For example ``"표 Ⅱ-2"``.
    vocabulary : DataFrame
        The literature vocabulary (dimension and method labels).

    Returns
    -------
    DataFrame
        ``번호, 구분`` (when the table has several groups), ``평가 요소``, ``원어`` (when
        the report gives English terms), ``성과 차원, 출처(BibTeX 키), 보고서 행``.

    Examples
    --------
    >>> from jahwal.analysis import literature as lit_analysis
    >>> from jahwal.inputs import literature as lit_inputs
    >>> from jahwal.inputs.lit_elements import load_overseas_elements
    >>> t = element_table(load_overseas_elements("data/literature"), "표 Ⅱ-4", lit_inputs.load_vocabulary("data/literature"))
    >>> t.columns.tolist()
    ['번호', '평가 요소', '원어', '성과 차원', '출처(BibTeX 키)', '보고서 행']
    >>> t["성과 차원"].value_counts().to_dict()
    {'서비스 이용': 3, '고용·노동시장': 1, '건강·신체기능': 1}
    """
    rows = elements[elements["table_id"] == table_id]
    if rows.empty:
        raise ValueError(f"'{table_id}'에 해당하는 요소가 없습니다 / no elements for {table_id!r}")
    dims, methods = _labels(vocabulary, "dimension"), _labels(vocabulary, "method")
    dim = rows["dimension"].map(dims).where(rows["dimension"] != "", "(방법: " + rows["method"].map(methods) + ")")
    out = pd.DataFrame(
        {
            "번호": rows["item_no"].astype(int).to_numpy(),
            "구분": rows["group_ko"].to_numpy(),
            "평가 요소": rows["element_ko"].to_numpy(),
            "원어": rows["element_en"].to_numpy(),
            "성과 차원": dim.to_numpy(),
            "출처(BibTeX 키)": rows["bibtex_keys"].to_numpy(),
            "보고서 행": rows["source_lines"].to_numpy(),
        }
    )
    if out["구분"].nunique() <= 1:  # one heading for the whole table says nothing per row
        out = out.drop(columns="구분")
    if (out["원어"] == "").all():
        out = out.drop(columns="원어")
    return out


def element_values(elements: pd.DataFrame) -> dict[str, int]:
    """Counts for the prose: ``n_elements``, ``n_tables`` and ``n_<k>`` per
    table (``n_2`` is the number of rows of 표 Ⅱ-2).

    Examples
    --------
    >>> from jahwal.inputs.lit_elements import load_overseas_elements
    >>> v = element_values(load_overseas_elements("data/literature"))
    >>> v["n_tables"], v["n_2"], v["n_6"]
    (6, 8, 8)
    """
    out = {"n_elements": len(elements), "n_tables": int(elements["table_id"].nunique())}
    for table_id, n in elements.groupby("table_id").size().items():
        out["n_" + table_id.rsplit("-", 1)[-1]] = int(n)
    return out


def records_table(records: pd.DataFrame, vocabulary: pd.DataFrame) -> pd.DataFrame:
    """What Korean 자활 case management records, with its outcome dimension.

    Returns
    -------
    DataFrame
        ``기록 항목, 성과 차원, 출처(BibTeX 키), 보고서 행``.
    """
    dims = _labels(vocabulary, "dimension")
    return pd.DataFrame(
        {
            "기록 항목": records["record_ko"].to_numpy(),
            "성과 차원": records["dimension"].map(dims).to_numpy(),
            "출처(BibTeX 키)": records["bibtex_key"].to_numpy(),
            "보고서 행": records["source_lines"].to_numpy(),
        }
    )


def gap_table(gap: pd.DataFrame) -> pd.DataFrame:
    """The gap per dimension with its counts, for display.

    Returns
    -------
    DataFrame
        ``성과 차원, 해외 평가 요소 수, 요소가 실린 표 수, 국내 기록 항목 수, 국내에서 기록``.
    """
    return pd.DataFrame(
        {
            "성과 차원": gap["dimension_label"].to_numpy(),
            "해외 평가 요소 수": gap["n_elements"].astype(int).to_numpy(),
            "요소가 실린 표 수": gap["n_tables"].astype(int).to_numpy(),
            "국내 기록 항목 수": gap["n_records"].astype(int).to_numpy(),
            "국내에서 기록": gap["recorded"].map({True: "기록함", False: "기록하지 않음"}).to_numpy(),
        }
    )


def gap_diagram(gap: pd.DataFrame) -> Diagram:
    """Bars of overseas elements per dimension; red where Korea records nothing.

    Examples
    --------
    >>> g = pd.DataFrame({"dimension_label": ["건강", "고용"], "n_elements": [3, 1], "gap": [True, False]})
    >>> print(gap_diagram(g).text)
    건강: 3개 (!)
    고용: 1개
    """
    shown = gap[gap["n_elements"] > 0].sort_values("n_elements", ascending=False, kind="stable")
    return bar_diagram(
        shown,
        label="dimension_label",
        value="n_elements",
        flag="gap",
        unit="개",
        legend=("국내 자활사례관리도 기록함", "국내 자활사례관리가 아직 기록하지 않음"),
        key="lit-gap",
    )


def gap_values(gap: pd.DataFrame) -> dict[str, Any]:
    """Numbers and names for the prose around the gap figure.

    Returns
    -------
    dict
        ``n_measured`` (dimensions measured overseas), ``n_gap``,
        ``gap_names`` (joined with ``·``), ``n_recorded`` and
        ``recorded_names``.
    """
    measured = gap[gap["n_elements"] > 0]
    g = measured[measured["gap"]]
    rec = gap[gap["recorded"]]
    return {
        "n_measured": len(measured),
        "n_gap": len(g),
        "gap_names": ", ".join(g["dimension_label"]),
        "n_recorded": len(rec),
        "recorded_names": ", ".join(rec["dimension_label"]),
    }


def policy_diagram(nodes: pd.DataFrame, figure_id: str, indicators: pd.DataFrame | None = None) -> Diagram:
    """Draw one of the policy figures (e.g. ``"그림 Ⅱ-4"``) from its rows.

    Parameters
    ----------
    nodes : DataFrame
        From :func:`jahwal.inputs.lit_elements.load_diagrams`.
    figure_id : str
    indicators : DataFrame, optional
        The policy indicators (``jahwal.inputs.literature.load_policy(folder, "indicators")``).
        A box text may name an indicator in braces, ``{gateway_months}``: it is
        replaced by the indicator's latest value, so a rule stated as a number
        lives in one file only.

    Returns
    -------
    Diagram

    Raises
    ------
    ValueError
        When a box names an indicator that is not given.

    Examples
    --------
    >>> from jahwal.inputs.lit_elements import load_diagrams
    >>> print(policy_diagram(load_diagrams("data/literature"), "그림 Ⅱ-4").text.splitlines()[0])
    1. 시군구 초기상담 — 자활역량평가표를 참고해 상담함
    """
    rows = nodes[nodes["figure_id"] == figure_id]
    if rows.empty:
        raise ValueError(f"'{figure_id}'의 상자가 없습니다 / no boxes for {figure_id!r}")
    key = "fig-" + figure_id.replace("그림 ", "").replace("Ⅱ", "II")
    values: dict[str, Any] = {}
    if indicators is not None:
        latest = indicators.sort_values("year").groupby("indicator")["value"].last()
        values = {k: int(v) for k, v in latest.items()}
    rows = rows.copy()
    for col in ("label", "detail"):
        filled = []
        for text in rows[col]:
            for name in re.findall(r"\{(\w+)\}", text):
                if name not in values:
                    raise ValueError(
                        f"{figure_id}: 상자 글의 '{{{name}}}'에 해당하는 정책 지표가 없습니다 / "
                        f"no indicator {name!r} for a box of {figure_id}"
                    )
            filled.append(re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), text))
        rows[col] = filled
    return flow_diagram(rows, key=key)


def diagram_counts(nodes: pd.DataFrame, figure_id: str) -> dict[str, int]:
    """Steps and items of one figure, for the prose (``n_steps``, ``n_items``).

    Examples
    --------
    >>> from jahwal.inputs.lit_elements import load_diagrams
    >>> diagram_counts(load_diagrams("data/literature"), "그림 Ⅱ-1")
    {'n_steps': 6, 'n_items': 11}
    """
    rows = nodes[nodes["figure_id"] == figure_id]
    return {"n_steps": int((rows["kind"] == "step").sum()), "n_items": int((rows["kind"] == "item").sum())}


def diagram_sources(nodes: pd.DataFrame, figure_id: str) -> str:
    """The BibTeX keys a figure draws on, as a MyST citation (``{cite:p}`a,b```)."""
    keys = list(dict.fromkeys(nodes.loc[nodes["figure_id"] == figure_id, "bibtex_key"]))
    return "{cite:p}`" + ",".join(keys) + "`"


_PRISMA_STATUS = {"ok": "맞음", "fail": "맞지 않음", "not_reported": "점검할 수 없음"}


def prisma_check_table(checks: pd.DataFrame) -> pd.DataFrame:
    """The PRISMA arithmetic checks for display; an unreported box reads as not checked.

    Returns
    -------
    DataFrame
        ``점검, 계산값, 보고값, 결과``.
    """
    return pd.DataFrame(
        {
            "점검": checks["description"].to_numpy(),
            "계산값": checks["expected"].to_numpy(),
            "보고값": checks["observed"].to_numpy(),
            "결과": checks["status"].map(_PRISMA_STATUS).to_numpy(),
        }
    )


def prisma_check_sentence(checks: pd.DataFrame) -> str:
    """One Korean sentence on the checks: how many could run and how many held.

    When no counts are reported the checks could not be run; that is not a
    failure.

    Examples
    --------
    >>> c = pd.DataFrame({"status": ["not_reported"] * 5})
    >>> prisma_check_sentence(c)
    '건수가 보고되지 않아 점검 5개를 하나도 할 수 없었습니다(틀린 것이 아니라 확인할 수 없는 것입니다).'
    >>> prisma_check_sentence(pd.DataFrame({"status": ["ok", "ok", "fail", "not_reported"]}))
    '점검 4개 가운데 3개를 할 수 있었고, 그중 2개가 맞았습니다. 나머지 1개는 건수가 없어 할 수 없었습니다.'
    """
    n = len(checks)
    run = checks[checks["status"] != "not_reported"]
    ok = int((run["status"] == "ok").sum())
    if run.empty:
        return f"건수가 보고되지 않아 점검 {n}개를 하나도 할 수 없었습니다(틀린 것이 아니라 확인할 수 없는 것입니다)."
    text = f"점검 {n}개 가운데 {len(run)}개를 할 수 있었고, 그중 {ok}개가 맞았습니다."
    if len(run) < n:
        text += f" 나머지 {n - len(run)}개는 건수가 없어 할 수 없었습니다."
    return text


def evidence_values(
    matrix: pd.DataFrame, works: pd.DataFrame, vocabulary: pd.DataFrame, contrast: pd.DataFrame
) -> tuple[dict[str, Any], dict[str, int]]:
    """Every number and name the evidence-map page (21) cites.

    Parameters
    ----------
    matrix : DataFrame
        The whole literature matrix (``jahwal.inputs.literature.load_matrix``).
    works : DataFrame
        The selected research works (``jahwal.analysis.literature.filter_matrix``).
    vocabulary : DataFrame
    contrast : DataFrame
        ``jahwal.analysis.literature.dimension_contrast`` of ``works``.

    Returns
    -------
    (dict, dict)
        Values under the page's glue names (``ch2_n_works`` …) and the decimal
        places of the percentages.

    Examples
    --------
    >>> from jahwal.analysis import literature as lit_analysis
    >>> from jahwal.inputs import literature as lit_inputs
    >>> m, v = lit_inputs.load_matrix("data/literature"), lit_inputs.load_vocabulary("data/literature")
    >>> w = lit_analysis.filter_matrix(m, work_types=["research"])
    >>> vals, digits = evidence_values(m, w, v, lit_analysis.dimension_contrast(w, v))
    >>> vals["ch2_n_works"], vals["ch2_n_overseas"], vals["ch2_n_domestic"], vals["ch2_top_domestic"]
    (70, 31, 39, '사례관리 수행·과정')
    """
    top_d, top_o = lit_analysis.top_dimension(contrast, "국내"), lit_analysis.top_dimension(contrast, "해외")
    c = contrast.set_index("dimension")
    v: dict[str, Any] = {
        "ch2_n_works": len(works),
        "ch2_n_overseas": int((works["region"] == "해외").sum()),
        "ch2_n_domestic": int((works["region"] == "국내").sum()),
        "ch2_n_documents": int((matrix["work_type"] == "document").sum()),
        "ch2_n_no_method": int((works["method"] == "not_reported").sum()),
        "ch2_n_no_country": int((works["country"] == "XX").sum()),
        "ch2_n_no_dimension": int((works["dimensions"].map(len) == 0).sum()),
        "ch2_n_dimensions": int((vocabulary["kind"] == "dimension").sum()),
        "ch2_top_domestic": top_d["dimension_label"],
        "ch2_top_overseas": top_o["dimension_label"],
        "ch2_top_domestic_pct": float(top_d["pct"]),
        "ch2_top_overseas_pct": float(top_o["pct"]),
    }
    for dim in ("cost", "process"):
        for region in ("overseas", "domestic"):
            v[f"ch2_pct_{dim}_{region}"] = float(c.at[dim, f"pct_{region}"]) if dim in c.index else 0.0
    digits = {k: 1 for k in v if "_pct" in k or k.startswith("ch2_pct_")}
    return v, digits


def policy_values(
    events: pd.DataFrame,
    indicators: pd.DataFrame,
    staff: pd.DataFrame,
    roles: pd.DataFrame,
    plans: pd.DataFrame,
    awards: pd.DataFrame,
) -> tuple[dict[str, Any], dict[str, int]]:
    """Every number the policy page (22) cites, from its policy tables.

    Returns
    -------
    (dict, dict)
        Values under the page's glue names (``ch2_n_events``, ``ch2_cm_pct`` …)
        and the decimal places of the non-integer ones. Years are text (no
        thousands separator).

    Examples
    --------
    >>> from jahwal.analysis import literature as lit_analysis
    >>> from jahwal.inputs import literature as lit_inputs
    >>> load = lambda n: lit_inputs.load_policy("data/literature", n)
    >>> v, d = policy_values(load("timeline"), load("indicators"), load("staff"), load("team_roles"),
    ...                      load("plans"), load("awards"))
    >>> v["ch2_cm_first"], v["ch2_cm_last"], round(v["ch2_cm_pct"], 1), v["ch2_fail_year"], d["ch2_budget_ratio"]
    (60, 125, 50.0, '2022', 2)
    """
    cm, budget, pilot = (
        lit_analysis.indicator_series(indicators, k) for k in ("case_managers", "cm_budget", "pilot_sigungu")
    )
    total = lit_analysis.indicator_value(indicators, "centres_total")
    t = lit_analysis.staff_totals(staff, total).set_index("role")
    totals = awards[awards["is_total"]].set_index("year")["entries"]
    fail = awards.loc[(awards["category"] == "실패사례") & awards["entries"].notna(), "year"]
    v: dict[str, Any] = {
        "ch2_n_events": len(events),
        "ch2_first_year": str(events["year"].min()),
        "ch2_last_year": str(events["year"].max()),
        "ch2_pilot_year1": str(pilot["year"].iloc[0]),
        "ch2_pilot_2007": int(pilot["value"].iloc[0]),
        "ch2_pilot_year2": str(pilot["year"].iloc[1]),
        "ch2_pilot_2011": int(pilot["value"].iloc[1]),
        "ch2_cm_first": int(cm["value"].iloc[0]),
        "ch2_cm_first_year": str(cm["year"].iloc[0]),
        "ch2_cm_last": int(cm["value"].iloc[-1]),
        "ch2_cm_last_year": str(cm["year"].iloc[-1]),
        "ch2_budget_first": int(budget["value"].iloc[0]),
        "ch2_budget_last": int(budget["value"].iloc[-1]),
        "ch2_budget_ratio": float(budget["value"].iloc[-1] / budget["value"].iloc[0]),
        "ch2_cm_centres": int(t.at["자활사례관리자", "centres"]),
        "ch2_gw_centres": int(t.at["게이트웨이 전담관리자", "centres"]),
        "ch2_ac_centres": int(t.at["통장사례관리자", "centres"]),
        "ch2_ac_persons": int(t.at["통장사례관리자", "persons"]),
        "ch2_centres_total": total,
        "ch2_staff_as_of": staff["as_of"].iloc[0],
        "ch2_cm_pct": float(t.at["자활사례관리자", "pct_centres"]),
        "ch2_gw_pct": float(t.at["게이트웨이 전담관리자", "pct_centres"]),
        "ch2_ac_pct": float(t.at["통장사례관리자", "pct_centres"]),
        "ch2_n_roles": len(roles),
        "ch2_review_months": lit_analysis.indicator_value(indicators, "goal_review_months"),
        "ch2_gw_months": lit_analysis.indicator_value(indicators, "gateway_months"),
        "ch2_gw_ext": lit_analysis.indicator_value(indicators, "gateway_extension_months"),
        "ch2_gw_max": lit_analysis.indicator_value(indicators, "gateway_max_entries"),
        "ch2_max_years": lit_analysis.indicator_value(indicators, "participation_max_years"),
        "ch2_plan_years": int(plans["period_end"].iloc[0] - plans["period_start"].iloc[0] + 1),
        "ch2_fail_year": str(fail.min()),
        "ch2_awards_first": int(totals.min()),
        "ch2_awards_last": int(totals.max()),
        "ch2_eval_days": lit_analysis.indicator_value(indicators, "evaluation_min_days"),
    }
    digits = {"ch2_budget_ratio": 2, "ch2_cm_pct": 1, "ch2_gw_pct": 1, "ch2_ac_pct": 1}
    return v, digits


__all__ = [
    "diagram_counts",
    "diagram_sources",
    "element_table",
    "element_values",
    "evidence_values",
    "gap_diagram",
    "gap_table",
    "gap_values",
    "policy_diagram",
    "policy_values",
    "prisma_check_sentence",
    "prisma_check_table",
    "records_table",
]
