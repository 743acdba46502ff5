"""Chapter Ⅲ-5 display: stratified and adjusted comparisons as Korean tables and forest figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jahwal.analysis.supplementary import stratum_order
from jahwal.chapters import ch3_outcomes
from jahwal.display.attack import plan
from jahwal.display.disclosure import SUPPRESSED, _whole_numbers, protect
from jahwal.display.ledger import CellKey, Ledger, apply_suppression
from jahwal.vocab import OUTCOMES, STAGE_GROUPS

STRATA = {"unit_type": "사업단 유형", "participation_band": "참여기간"}
#: the stratum of persons without a value (never printed)
NOT_RECORDED = "미상"


def stratified_table(
    res: pd.DataFrame,
    by: str,
    daily_rates: dict[str, float] | None = None,
    threshold: int = 10,
    *,
    data: pd.DataFrame | None = None,
    year: int | None = None,
    cuts: list[int] | None = None,
) -> pd.DataFrame:
    """Display table of :func:`stratified_tests` (표 Ⅲ-S4, Ⅲ-S5), Korean headers, suppressed.

    Within 사업단 type, the 자활급여 difference is also given in days at that
    type's daily rate (when ``daily_rates`` has one). With ``data`` (from
    :func:`jahwal.analysis.supplementary.analysis_data`) and ``year``, the
    counts hidden are those of :func:`strata_plan`, chosen jointly for both
    stratifications against the group sizes of 표 Ⅲ-9 to Ⅲ-20; without, each
    comparison's block is protected on its own.
    """
    label = STRATA.get(by, by)
    out = pd.DataFrame(
        {
            "표": res["table_id"],
            "비교": [f"{OUTCOMES[o]} · {STAGE_GROUPS[i][2]}" for o, i in zip(res["outcome"], res["indicator"])],
            label: res["stratum"],
            "인원(수행)": res["n1"].astype(int),
            "인원(미수행)": res["n2"].astype(int),
            "평균 차이(원)": res["diff"].round(0),
            "95% 하한": res["diff_ci_low"].round(0),
            "95% 상한": res["diff_ci_high"].round(0),
            "Hedges' g": res["hedges_g"].round(3),
            "p": [("<.001" if p < 0.001 else f"{p:.3f}".lstrip("0")) if pd.notna(p) else "–" for p in res["p"]],
        }
    )
    if by == "unit_type" and daily_rates:
        days = [
            d / daily_rates[s] if (o == "wage" and s in daily_rates and pd.notna(d)) else np.nan
            for d, s, o in zip(res["diff"], res["stratum"], res["outcome"])
        ]
        out["차이(일)"] = np.round(days, 1)
    stats_cols = [c for c in out.columns if c not in ("표", "비교", label, "인원(수행)", "인원(미수행)")]
    counts = ["인원(수행)", "인원(미수행)"]
    if data is not None and year is not None:
        hide = strata_plan(data, int(year), threshold, cuts)
        spec = stratified_spec(out, data, by, int(year), cuts)
        out = apply_suppression(out, spec, counts, hide)
        hidden = res["suppressed"].to_numpy() | out[counts].eq(SUPPRESSED).any(axis=1).to_numpy()
        for c in stats_cols:
            if hidden.any():
                out[c] = out[c].astype(object)
                out.loc[hidden, c] = SUPPRESSED
        return _whole_numbers(out)
    # strata partition each comparison's groups, whose sizes are published (표 Ⅲ-9 to Ⅲ-20):
    # protect each comparison's block with secondary suppression down its columns
    blocks = [
        protect(b, counts, threshold, related={c: stats_cols for c in counts}, column_totals=True)
        for _, b in out.groupby("표", sort=False)
    ]
    out = pd.concat(blocks, ignore_index=True) if blocks else out
    hidden = res["suppressed"].to_numpy()
    for c in stats_cols:
        if hidden.any():
            out[c] = out[c].astype(object)
            out.loc[hidden, c] = SUPPRESSED
    return _whole_numbers(out)


def forest_figure(res: pd.DataFrame, by: str):
    """그림 Ⅲ-S11, Ⅲ-S12: Hedges' g with 95% intervals per stratum, one panel per stage indicator.

    Markers distinguish 자립성과금 and 자활급여; suppressed strata are left out.
    """
    import matplotlib.pyplot as plt

    shown = res[~res["suppressed"]]
    inds = list(dict.fromkeys(res["indicator"]))
    strata = list(dict.fromkeys(res["stratum"]))
    ncols = min(2, len(inds))  # two panels a row keep the page's width and legible labels
    nrows = int(np.ceil(len(inds) / ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(6.7, (0.32 * len(strata) + 1.3) * nrows + 0.9),
        sharey=True,
        sharex=True,
        squeeze=False,
    )
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    y = {s: i for i, s in enumerate(strata)}
    for ax in list(axes.flat)[len(inds) :]:
        ax.set_visible(False)
    for ax, ind in zip(axes.flat, inds):
        for k, (outcome, name) in enumerate(OUTCOMES.items()):
            g = shown[(shown["indicator"] == ind) & (shown["outcome"] == outcome)]
            ys = np.array([y[s] for s in g["stratum"]]) + (k - 0.5) * 0.3
            gv = g["hedges_g"].to_numpy(float)
            ax.errorbar(
                gv,
                ys,
                xerr=[gv - g["g_ci_low"].to_numpy(float), g["g_ci_high"].to_numpy(float) - gv],
                fmt="o" if k == 0 else "s",
                color=colors[k],
                capsize=2,
                markersize=4,
                label=name,
                linewidth=1,
            )
        ax.axvline(0, color="grey", linestyle="--", linewidth=1)
        ax.set_title(STAGE_GROUPS[ind][2], fontsize=10)
        ax.set_xlabel("Hedges' g")
        ax.xaxis.set_tick_params(labelbottom=True)
    axes[0][0].set_yticks(range(len(strata)))
    axes[0][0].set_yticklabels(strata, fontsize=9)
    axes[0][0].invert_yaxis()
    for row in axes:
        row[0].set_ylabel(STRATA.get(by, by))
    handles, _labels = {}, {}
    for ax in axes.flat:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    fig.legend(list(handles.values()), list(handles), loc="lower center", ncol=len(handles), fontsize=9)
    fig.suptitle(f"{STRATA.get(by, by)}별 집단 차이\n(Hedges' g와 95% 신뢰구간, 수행-미수행)", fontsize=11)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def adjusted_table(res: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """표 Ⅲ-S6: raw and adjusted differences with 95% intervals, Korean headers."""
    out = pd.DataFrame(
        {
            "표": res["table_id"],
            "비교": [f"{OUTCOMES[o]} · {STAGE_GROUPS[i][2]}" for o, i in zip(res["outcome"], res["indicator"])],
            "인원(수행)": res["n1"].astype(int),
            "인원(미수행)": res["n2"].astype(int),
            "단순 차이(원)": res["raw_diff"].round(0),
            "단순 95% 하한": res["raw_ci_low"].round(0),
            "단순 95% 상한": res["raw_ci_high"].round(0),
            "보정 차이(원)": res["adj_diff"].round(0),
            "보정 95% 하한": res["adj_ci_low"].round(0),
            "보정 95% 상한": res["adj_ci_high"].round(0),
            "보정 p": [
                ("<.001" if p < 0.001 else f"{p:.3f}".lstrip("0")) if pd.notna(p) else "–" for p in res["adj_p"]
            ],
            "R²": res["r2"].round(3),
        }
    )
    counts = ["인원(수행)", "인원(미수행)"]
    stats_cols = [c for c in out.columns if c not in ("표", "비교", *counts)]
    out = protect(out, counts, threshold, related={c: stats_cols for c in counts}, column_totals=False)
    hidden = res["suppressed"].to_numpy()
    if hidden.any():
        for c in stats_cols:
            out[c] = out[c].astype(object)
            out.loc[hidden, c] = SUPPRESSED
    return _whole_numbers(out)


def adjusted_figure(res: pd.DataFrame):
    """그림 Ⅲ-S13: raw and adjusted differences (만원) with 95% intervals, one panel per outcome."""
    import matplotlib.pyplot as plt

    shown = res[~res["suppressed"]]
    fig, axes = plt.subplots(len(OUTCOMES), 1, figsize=(6.7, 3.0 * len(OUTCOMES) + 0.5), squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, (outcome, name) in zip(axes[:, 0], OUTCOMES.items()):
        g = shown[shown["outcome"] == outcome].reset_index(drop=True)
        ys = np.arange(len(g))
        for k, (pre, lab) in enumerate((("raw", "단순 차이"), ("adj", "보정 차이"))):
            m = g[f"{pre}_diff"].to_numpy(float) / 1e4
            ax.errorbar(
                m,
                ys + (k - 0.5) * 0.3,
                xerr=[m - g[f"{pre}_ci_low"].to_numpy(float) / 1e4, g[f"{pre}_ci_high"].to_numpy(float) / 1e4 - m],
                fmt="o" if k == 0 else "s",
                color=colors[k],
                capsize=2,
                markersize=4,
                label=lab,
                linewidth=1,
            )
        ax.axvline(0, color="grey", linestyle="--", linewidth=1)
        ax.set_yticks(ys)
        ax.set_yticklabels(
            [f"{STAGE_GROUPS[i][2]}({t.replace('표 ', '')})" for i, t in zip(g["indicator"], g["table_id"])], fontsize=9
        )
        ax.invert_yaxis()
        ax.set_xlabel("평균 차이(만원, 수행-미수행)")
        ax.set_title(name, fontsize=10)
    axes[0][0].legend(loc="lower right", fontsize=9)
    fig.suptitle("참여자 특성 보정 전후의 집단 차이(95% 신뢰구간)", fontsize=11)
    fig.tight_layout()
    return fig


def summary(strat_unit: pd.DataFrame, strat_band: pd.DataFrame, adjusted: pd.DataFrame) -> dict[str, object]:
    """Counts for the prose of the supplementary section.

    ``n_unit_strata``, ``n_band_strata``: strata shown; ``n_suppressed``:
    stratum comparisons hidden; ``n_sign_flips``: stratum comparisons (shown,
    with an interval excluding 0) whose sign differs from the overall raw
    difference; ``n_adjusted_sign_kept``: comparisons whose adjusted
    difference keeps the raw sign; ``max_shrink_table`` and ``max_shrink``:
    the comparison whose difference changes most with adjustment, in percent
    of the raw difference.
    """
    raw_sign = dict(zip(adjusted["table_id"], np.sign(adjusted["raw_diff"])))
    both = pd.concat([strat_unit, strat_band], ignore_index=True)
    shown = both[~both["suppressed"]]
    clear = shown[(shown["diff_ci_low"] > 0) | (shown["diff_ci_high"] < 0)]
    flips = int(sum(np.sign(d) != raw_sign.get(t, np.sign(d)) for d, t in zip(clear["diff"], clear["table_id"])))
    adj = adjusted[~adjusted["suppressed"]]
    kept = int((np.sign(adj["adj_diff"]) == np.sign(adj["raw_diff"])).sum())
    change = (100 * (adj["adj_diff"] - adj["raw_diff"]).abs() / adj["raw_diff"].abs()).replace([np.inf], np.nan)
    top = adj.loc[change.idxmax()] if change.notna().any() else None
    return {
        "n_unit_strata": int(strat_unit.loc[~strat_unit["suppressed"], "stratum"].nunique()),
        "n_band_strata": int(strat_band.loc[~strat_band["suppressed"], "stratum"].nunique()),
        "n_suppressed": int(both["suppressed"].sum()),
        "n_stratum_tests": int(len(both)),
        "n_sign_flips": flips,
        "n_adjusted": int(len(adj)),
        "n_adjusted_sign_kept": kept,
        "max_shrink_table": top["table_id"] if top is not None else "–",
        "max_shrink": float(change.max()) if top is not None else float("nan"),
    }


def stratified_spec(
    table: pd.DataFrame, data: pd.DataFrame, by: str, year: int, cuts: list[int] | None = None
) -> dict[str, object]:
    """The ledger spec of :func:`stratified_table` (표 Ⅲ-S4, Ⅲ-S5), for ``nb.glue_table(ledger=...)``.

    Each count is one group (수행 or 미수행) of the row's stage indicator within
    one stratum; the strata (with 미상 for persons without a value, never
    printed) add up to the groups of 표 Ⅲ-9 to Ⅲ-20.
    """
    label = STRATA.get(by, by)
    spec = ch3_outcomes.outcome_spec(table.drop(columns=[label]), year, ch3_outcomes.group_domains(data))
    strata = stratum_order(by, data[by].dropna().tolist(), cuts)
    strata += [NOT_RECORDED] if data[by].isna().any() else []
    spec["rows"] = {label: label}
    spec["domains"] = {**spec["domains"], label: strata}
    spec["related"] = {c: [x for x in deps if x != label] for c, deps in spec["related"].items()}
    return spec


_STRATA_PLANS: dict[tuple, tuple[pd.DataFrame, set[CellKey]]] = {}


def strata_plan(data: pd.DataFrame, year: int, threshold: int = 10, cuts: list[int] | None = None) -> set[CellKey]:
    """Group sizes of 표 Ⅲ-S4 and Ⅲ-S5 to hide, chosen jointly (cached per data, year, threshold and cuts).

    The ledger holds every indicator's groups (수행, 미수행) in the year, kept
    as published in 표 Ⅲ-9 to Ⅲ-20, and their split by 사업단 유형 and by
    참여기간; strata and groups that are never printed (미상, 해당 없음) are
    implicit cells. A group of fewer than ``threshold`` persons in a stratum is
    hidden, and then the fewest other strata that keep it (and every pair of
    hidden strata) from being worked out to within the protection interval.
    """
    key = (id(data), int(year), int(threshold), tuple(cuts or ()))
    hit = _STRATA_PLANS.get(key)
    if hit is not None and hit[0] is data:
        return hit[1]
    pop = ch3_outcomes.OUTCOME_POPULATION
    domains = ch3_outcomes.group_domains(data)
    led = Ledger()
    for var, values in domains.items():
        led.set_domain(var, values)
    for ind in STAGE_GROUPS:
        col = f"group_{ind}"
        if col not in data:
            continue
        var = ch3_outcomes.group_variable(ind)
        groups = data[col].where(data[col].isin(["수행", "미수행"]), ch3_outcomes.NOT_APPLICABLE)
        for value in domains[var]:
            n = float((groups == value).sum())
            cell = CellKey.make(pop, {"연도": year, var: value})
            if value == ch3_outcomes.NOT_APPLICABLE:
                led.add_implicit(cell, n)
            else:
                led.add(cell, n, "표 Ⅲ-9–Ⅲ-20", keep=True)
        for by, label in STRATA.items():
            if by not in data:
                continue
            strata = stratum_order(by, data[by].dropna().tolist(), cuts)
            led.set_domain(label, strata + ([NOT_RECORDED] if data[by].isna().any() else []))
            stratum = data[by].astype(object).where(data[by].notna(), NOT_RECORDED)
            for s in led.domains[label]:
                for value in domains[var]:
                    n = float(((stratum == s) & (groups == value)).sum())
                    cell = CellKey.make(pop, {"연도": year, var: value, label: s})
                    if s == NOT_RECORDED or value == ch3_outcomes.NOT_APPLICABLE:
                        led.add_implicit(cell, n)
                    else:
                        led.add(cell, n, "표 Ⅲ-S4·Ⅲ-S5")
    hide = plan(led, threshold).suppressed
    _STRATA_PLANS.clear()
    _STRATA_PLANS[key] = (data, hide)
    return hide


def with_strata_plan(
    res: pd.DataFrame, data: pd.DataFrame, by: str, year: int, threshold: int = 10, cuts: list[int] | None = None
) -> pd.DataFrame:
    """``res`` with ``suppressed`` also set where :func:`strata_plan` hides a group size of the stratum.

    So that the forest figures and the prose leave out the statistics of every
    stratum whose table row is hidden.
    """
    hide = strata_plan(data, int(year), threshold, cuts)
    label = STRATA.get(by, by)
    pop = ch3_outcomes.OUTCOME_POPULATION
    hidden = [
        any(
            CellKey.make(pop, {"연도": year, ch3_outcomes.group_variable(ind): v, label: s}) in hide
            for v in ("수행", "미수행")
        )
        for ind, s in zip(res["indicator"], res["stratum"])
    ]
    return res.assign(suppressed=res["suppressed"].to_numpy() | np.array(hidden, dtype=bool))
