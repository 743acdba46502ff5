"""Chapter Ⅱ display: literature and policy tables with Korean headers, citation lists and figures;
the overseas evaluation elements (표 Ⅱ-1–Ⅱ-6), the gap figure, the policy diagrams (그림 Ⅱ-1, Ⅱ-2,
Ⅱ-4, Ⅱ-5), the PRISMA check text and the values the Chapter Ⅱ pages cite."""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from jahwal.analysis import literature as lit_analysis
from jahwal.analysis.literature import indicator_series, staff_totals
from jahwal.display.diagrams import Diagram, bar_diagram, flow_diagram
from jahwal.inputs.literature import VOCAB_KINDS
from jahwal.study.outline import cite
from jahwal.study.prisma import PRISMA_FIELDS, _prisma_dict, check_prisma

#: Korean column headers for displayed tables (snake_case -> 한국어)
COLUMN_LABELS = {
    "id": "번호",
    "citation": "문헌",
    "country_label": "국가",
    "region": "구분",
    "programme": "프로그램·주제",
    "population": "대상",
    "method_label": "방법",
    "dimension_labels": "성과 차원",
    "finding_ko": "주요 내용",
    "code": "부호",
    "label_ko": "이름",
    "definition_ko": "정의",
    "dimension_label": "성과 차원",
    "n_overseas": "해외 문헌 수",
    "n_domestic": "국내 문헌 수",
    "pct_overseas": "해외 비율(%)",
    "pct_domestic": "국내 비율(%)",
    "pct_difference": "차이(%p, 국내−해외)",
    "description": "점검 내용",
    "expected": "계산값",
    "observed": "보고값",
    "status_label": "결과",
}


def matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix as shown in the book, with Korean headers.

    Returns
    -------
    DataFrame
        Columns 번호, 문헌 (authors and year), 국가, 프로그램·주제, 대상, 방법,
        성과 차원, 주요 내용, BibTeX 키.
    """
    year = matrix["year"].map(lambda y: "연도 미상" if pd.isna(y) else str(int(y)))
    out = pd.DataFrame(
        {
            "번호": matrix["id"],
            "문헌": matrix["authors"] + " (" + year + ")",
            "국가": matrix["country_label"],
            "프로그램·주제": matrix["programme"],
            "대상": matrix["population"],
            "방법": matrix["method_label"],
            "성과 차원": matrix["dimension_labels"].replace("", "–"),
            "주요 내용": matrix["finding_ko"],
            "BibTeX 키": matrix["bibtex_key"],
        }
    )
    return out.reset_index(drop=True)


def vocabulary_table(vocabulary: pd.DataFrame, kind: str = "dimension") -> pd.DataFrame:
    """One kind of vocabulary term with Korean headers (부호, 이름, 정의)."""
    if kind not in VOCAB_KINDS:
        raise ValueError(f"kind는 {VOCAB_KINDS} 중 하나입니다 / unknown kind: {kind!r}")
    sub = vocabulary[vocabulary["kind"] == kind]
    return sub[["code", "label_ko", "definition_ko"]].rename(columns=COLUMN_LABELS).reset_index(drop=True)


def korean_columns(df: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Select ``columns`` (default: all with a label) and rename them with :data:`COLUMN_LABELS`."""
    cols = list(columns) if columns is not None else [c for c in df.columns if c in COLUMN_LABELS]
    return df[cols].rename(columns=COLUMN_LABELS)


def citation_list_md(matrix: pd.DataFrame, region: str | None = None, role: str = "cite:t") -> str:
    """A MyST sentence citing every work of the matrix (for ``{glue:md}``).

    Examples
    --------
    >>> from jahwal.inputs.literature import load_matrix
    >>> m = load_matrix("data/literature")
    >>> citation_list_md(m[m["bibtex_key"].isin(["vann2006", "leung2004"])])
    '{cite:t}`vann2006`, {cite:t}`leung2004`'
    """
    sub = matrix if region is None else matrix[matrix["region"] == region]
    if role not in ("cite:t", "cite:p", "cite"):
        raise ValueError(f"role은 cite, cite:t, cite:p입니다 / unknown role: {role!r}")
    return ", ".join(f"{{{role}}}`{k}`" for k in sub["bibtex_key"])


def staff_table(staff: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅱ-7 in print layout: one row per province plus a computed total row."""
    wide = staff.pivot_table(index="province", columns="role", values=["centres", "persons"], aggfunc="sum", sort=False)
    roles = list(dict.fromkeys(staff["role"]))
    provinces = list(dict.fromkeys(staff["province"]))
    out = pd.DataFrame({"시도": provinces + ["합계(계산)"]})
    for role in roles:
        for col, lab in (("centres", "개소"), ("persons", "인원")):
            vals = wide[(col, role)].reindex(provinces).astype(int).tolist()
            out[f"{role} {lab}"] = vals + [int(sum(vals))]
    return out


def indicator_table(indicators: pd.DataFrame, indicator: str, row_label: str) -> pd.DataFrame:
    """One indicator laid out like the report (years as columns, one row)."""
    s = indicator_series(indicators, indicator)
    out = pd.DataFrame({"구분": [row_label]})
    for _, r in s.iterrows():
        out[f"{int(r['year'])}년"] = [int(r["value"])]
    return out


def timeline_table(events: pd.DataFrame) -> pd.DataFrame:
    """The policy events as shown in the book: 연도, 사건, 내용, 출처(BibTeX 키), 보고서 위치.

    ``보고서 위치`` cites the report by chapter and section (:func:`jahwal.study.outline.cite`).

    Examples
    --------
    >>> from jahwal.inputs.literature import load_policy
    >>> t = timeline_table(load_policy("data/literature", "timeline"))
    >>> t.loc[0, "사건"], int(t.loc[0, "연도"])
    ('기초생활보장제도 시행', 2000)
    """
    e = events.sort_values(["year", "order"])
    return pd.DataFrame(
        {
            "연도": e["year"].astype(int),
            "사건": e["event_short"],
            "내용": e["event_ko"],
            "출처(BibTeX 키)": e["bibtex_keys"].replace("", "보고서에 출처 없음"),
            "보고서 위치": e["source_lines"].map(lambda s: cite(s, subsection=False)),
        }
    ).reset_index(drop=True)


def team_roles_table(roles: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅱ-8: one row per role holder with the roles joined by `` · ``."""
    g = roles.sort_values(["item"], kind="stable").groupby(["unit", "role_holder"], sort=False)
    out = g.agg(n=("role", "size"), roles=("role", " · ".join)).reset_index()
    order = list(dict.fromkeys(zip(roles["unit"], roles["role_holder"])))
    out["_o"] = [order.index(k) for k in zip(out["unit"], out["role_holder"])]
    out = out.sort_values("_o").drop(columns="_o")
    return out.rename(columns={"unit": "구분", "role_holder": "담당자", "n": "역할 수", "roles": "역할"}).reset_index(
        drop=True
    )


def procedure_table(procedure: pd.DataFrame) -> pd.DataFrame:
    """그림 Ⅱ-3 as a table: 단계, 과업, 세부 내용."""
    p = procedure.sort_values(["step", "task_no"])
    return pd.DataFrame(
        {
            "단계": "STEP " + p["step"].astype(int).map("{:02d}".format) + " " + p["stage"],
            "과업": p["task"],
            "세부 내용": p["details"].replace("", "–"),
        }
    ).reset_index(drop=True)


def plans_table(plans: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅱ-14 in print layout: rows 기간, 목표, 추진과제 n; one column per plan."""
    cols = {}
    for _plan, grp in plans.groupby("plan", sort=True):
        first = grp.iloc[0]
        goal = grp[grp["item_type"] == "goal"]["text"].tolist()
        tasks = grp[grp["item_type"] == "task"].sort_values("item_no")["text"].tolist()
        cols[f"{first['plan_label']} 기본계획"] = (
            [f"{int(first['period_start'])}–{int(first['period_end'])}년"] + goal + tasks
        )
    n = max(len(v) for v in cols.values())
    labels = ["기간", "목표"] + [f"추진과제 {i}" for i in range(1, n - 1)]
    out = pd.DataFrame({"구분": labels})
    for k, v in cols.items():
        out[k] = v + [""] * (n - len(v))
    return out


def awards_table(awards: pd.DataFrame) -> pd.DataFrame:
    """표 Ⅱ-12 in print layout: one row per year, categories as columns, total first."""
    order = list(dict.fromkeys(awards["category"]))
    wide = awards.pivot(index="year", columns="category", values="entries")[order]
    wide.index = [f"{int(y)}년" for y in wide.index]
    return wide.rename_axis("연도").reset_index()


def prisma_status_ko(counts: Any) -> str:
    """A short Korean phrase saying whether the counts were reported and add up."""
    checks = check_prisma(counts)
    if (checks["status"] == "not_reported").all():
        return "보고되지 않았습니다"
    if (checks["status"] == "fail").any():
        return "보고되었으나 상자 사이의 산술이 맞지 않습니다"
    if (checks["status"] == "not_reported").any():
        return "일부만 보고되었습니다"
    return "보고되었고 상자 사이의 산술이 모두 맞습니다"


# ------------------------------------------------------------------ figures
def _korean_font() -> None:
    from jahwal.display.figures import use_korean_font

    use_korean_font()


def _n(v: Any) -> str:
    if v is None:
        return "n = 보고되지 않음"
    return f"n = {int(v):,}"


def plot_prisma(counts: Any = None):
    """Draw the PRISMA 2020 flow diagram (new reviews, databases and registers arm).

    Boxes without a reported count read "보고되지 않음"; nothing is invented.
    The other-methods arm is drawn when it has counts. Returns the Figure.

    Examples
    --------
    >>> fig = plot_prisma(None)
    >>> any("보고되지 않음" in t.get_text() for t in fig.axes[0].texts)
    True
    """
    import matplotlib.pyplot as plt

    _korean_font()
    from matplotlib.patches import FancyBboxPatch

    c = _prisma_dict(counts) or {f: None for f in PRISMA_FIELDS}
    other = any(c.get(f) is not None for f in PRISMA_FIELDS if f.startswith("other_"))
    fig, ax = plt.subplots(figsize=(10 if other else 8, 8.6))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")

    def reasons(v: Mapping[str, int] | None) -> str:
        if v is None:
            return "\n사유별 건수 보고되지 않음"
        return "".join(f"\n{k}: {_n(n)}" for k, n in v.items())

    def box(x: float, y: float, w: float, h: float, text: str, head: bool = False) -> tuple[float, float, float, float]:
        patch = FancyBboxPatch(
            (x, y),
            w,
            h,
            boxstyle="round,pad=0.004,rounding_size=0.01",
            fc="#dce9f5" if head else "white",
            ec="#2b4c7e",
            lw=1.1,
        )
        ax.add_patch(patch)
        ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=8.5, wrap=True)
        return (x, y, w, h)

    def arrow(a: tuple, b: tuple, side: bool = False) -> None:
        if side:
            y = min(max(b[1] + b[3] / 2, a[1] + 0.01), a[1] + a[3] - 0.01)
            start, end = (a[0] + a[2], y), (b[0], y)
        else:
            start, end = (a[0] + a[2] / 2, a[1]), (b[0] + b[2] / 2, b[1] + b[3])
        ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="-|>", color="#2b4c7e", lw=1))

    w_main, w_side = (0.27, 0.22) if other else (0.40, 0.34)
    x_main, x_side = 0.10, (0.40 if other else 0.58)
    rows_y = [0.80, 0.62, 0.46, 0.30, 0.08]
    h = 0.13
    box(x_main, 0.945, (x_side + w_side) - x_main, 0.045, "데이터베이스와 등록부를 통한 문헌 식별", head=True)
    ident = box(
        x_main,
        rows_y[0],
        w_main,
        h,
        f"데이터베이스에서 찾은 기록\n{_n(c['database_results'])}\n등록부에서 찾은 기록\n{_n(c['register_results'])}",
    )
    removed = box(
        x_side,
        rows_y[0] - 0.01,
        w_side,
        h + 0.01,
        f"선별 전에 뺀 기록\n중복: {_n(c['duplicates'])}\n자동화 도구로 제외: {_n(c['excluded_automatic'])}\n"
        f"기타 사유로 제외: {_n(c['excluded_other'])}",
    )
    screened = box(x_main, rows_y[1], w_main, 0.08, f"선별한 기록\n{_n(c['records_screened'])}")
    excl = box(x_side, rows_y[1], w_side, 0.08, f"제외한 기록\n{_n(c['records_excluded'])}")
    sought = box(x_main, rows_y[2], w_main, 0.08, f"원문을 찾은 보고서\n{_n(c['reports_sought'])}")
    notret = box(x_side, rows_y[2], w_side, 0.08, f"원문을 구하지 못한 보고서\n{_n(c['reports_not_retrieved'])}")
    assessed = box(x_main, rows_y[3], w_main, 0.08, f"적격성을 평가한 보고서\n{_n(c['reports_assessed'])}")
    rex = c["reports_excluded"]
    n_reason = 1 if rex is None else max(1, len(rex))
    rh = 0.06 + 0.025 * n_reason
    rexcl = box(x_side, rows_y[3] + 0.08 - rh, w_side, rh, "제외한 보고서" + reasons(rex))
    incl = box(
        x_main,
        rows_y[4],
        w_main,
        0.11,
        f"검토에 포함한 연구\n{_n(c['studies_included'])}\n포함한 보고서\n{_n(c['reports_included'])}",
    )
    arrow(ident, removed, side=True)
    arrow(ident, screened)
    arrow(screened, excl, side=True)
    arrow(screened, sought)
    arrow(sought, notret, side=True)
    arrow(sought, assessed)
    arrow(assessed, rexcl, side=True)
    arrow(assessed, incl)
    if other:
        xo, wo = 0.66, 0.15
        xs, ws = 0.83, 0.16
        box(xo, 0.945, xs + ws - xo, 0.045, "기타 방법을 통한 문헌 식별", head=True)
        o_id = box(xo, rows_y[0], wo, h, f"웹사이트·기관·인용 검색\n에서 찾은 기록\n{_n(c['other_results'])}")
        o_so = box(xo, rows_y[2], wo, 0.08, f"원문을 찾은 보고서\n{_n(c['other_sought'])}")
        o_nr = box(xs, rows_y[2], ws, 0.08, f"원문을 구하지 못한\n보고서\n{_n(c['other_not_retrieved'])}")
        o_as = box(xo, rows_y[3], wo, 0.08, f"적격성을 평가한\n보고서\n{_n(c['other_assessed'])}")
        oex = c["other_excluded"]
        n_o = 1 if oex is None else max(1, len(oex))
        orh = 0.06 + 0.025 * n_o
        o_ex = box(xs, rows_y[3] + 0.08 - orh, ws, orh, "제외한 보고서" + reasons(oex))
        arrow(o_id, o_so)
        arrow(o_so, o_nr, side=True)
        arrow(o_so, o_as)
        arrow(o_as, o_ex, side=True)
        ax.annotate(
            "",
            xy=(incl[0] + incl[2], incl[1] + incl[3] / 2),
            xytext=(o_as[0] + o_as[2] / 2, o_as[1]),
            arrowprops=dict(arrowstyle="-|>", color="#2b4c7e", lw=1, connectionstyle="angle,angleA=-90,angleB=0"),
        )
    for y, label in (
        (rows_y[0] + 0.05, "식별"),
        ((rows_y[1] + rows_y[3]) / 2 + 0.04, "선별"),
        (rows_y[4] + 0.05, "포함"),
    ):
        ax.text(0.04, y, label, rotation=90, ha="center", va="center", fontsize=10, fontweight="bold", color="#2b4c7e")
    fig.tight_layout()
    return fig


def plot_evidence_map(emap: pd.DataFrame, *, xlabel: str = "성과 차원", ylabel: str = "국가"):
    """Heat map of :func:`evidence_map` output (rows: groups, columns: dimensions)."""
    import matplotlib.pyplot as plt

    _korean_font()
    import seaborn as sns

    if emap.empty:
        raise ValueError("근거 지도가 비어 있습니다(필터 결과 문헌 없음) / the evidence map is empty")
    groups = list(dict.fromkeys(emap["group_label"]))
    dims = list(dict.fromkeys(emap["dimension_label"]))
    grid = emap.pivot(index="group_label", columns="dimension_label", values="n_works").reindex(
        index=groups, columns=dims
    )
    fig, ax = plt.subplots(figsize=(max(7.5, 0.62 * len(dims) + 2), max(3.0, 0.5 * len(groups) + 1.6)))
    sns.heatmap(
        grid,
        annot=True,
        fmt="d",
        cmap="Blues",
        cbar_kws={"label": "문헌 수"},
        linewidths=0.5,
        linecolor="white",
        ax=ax,
        annot_kws={"fontsize": 9},
    )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", rotation=45)
    plt.setp(ax.get_xticklabels(), ha="right", rotation_mode="anchor")
    ax.tick_params(axis="y", rotation=0)
    fig.tight_layout()
    return fig


def plot_method_period(table: pd.DataFrame):
    """Stacked bars of :func:`works_by_method_period` output (x: period, colour: method)."""
    import matplotlib.pyplot as plt

    _korean_font()
    import seaborn as sns

    if table.empty:
        raise ValueError("표가 비어 있습니다 / the table is empty")
    periods = [p for p in table["period"].cat.categories if p in set(table["period"].astype(str))]
    wide = (
        table.pivot_table(index="period", columns="method_label", values="n_works", aggfunc="sum", observed=True)
        .reindex(periods)
        .fillna(0)
    )
    unknown = "방법 미기재"
    order = [c for c in wide.sum().sort_values(ascending=False).index if c != unknown]
    order += [unknown] if unknown in wide.columns else []
    wide = wide[order]
    fig, ax = plt.subplots(figsize=(9, 4.6))
    colors = sns.color_palette("tab20", n_colors=max(1, len(order) - (unknown in order)))
    colors = list(colors) + (["#b9b9b9"] if unknown in order else [])
    bottom = np.zeros(len(wide))
    for color, col in zip(colors, wide.columns):
        ax.bar(range(len(wide)), wide[col].to_numpy(), bottom=bottom, color=color, label=col, width=0.65)
        bottom += wide[col].to_numpy()
    ax.set_xticks(range(len(wide)), [p.replace("–", "–\n") if "–" in p else p for p in wide.index], fontsize=9)
    ax.set_ylim(0, bottom.max() * 1.1)
    ax.set_xlabel("발표 시기")
    ax.set_ylabel("문헌 수")
    ax.legend(title="방법", bbox_to_anchor=(1.02, 1), loc="upper left", fontsize=8, title_fontsize=9, frameon=False)
    fig.tight_layout()
    return fig


def plot_dimension_contrast(contrast: pd.DataFrame):
    """Horizontal bars: share of overseas and Korean works addressing each dimension."""
    import matplotlib.pyplot as plt

    _korean_font()
    import seaborn as sns

    c = contrast.sort_values("pct_overseas", ascending=True)
    long = pd.concat(
        [
            pd.DataFrame({"dimension_label": c["dimension_label"], "구분": "해외", "pct": c["pct_overseas"]}),
            pd.DataFrame({"dimension_label": c["dimension_label"], "구분": "국내", "pct": c["pct_domestic"]}),
        ]
    )
    fig, ax = plt.subplots(figsize=(7.5, 0.36 * len(c) + 1.4))
    sns.barplot(
        data=long,
        y="dimension_label",
        x="pct",
        hue="구분",
        hue_order=["해외", "국내"],
        order=list(c["dimension_label"])[::-1],
        ax=ax,
        orient="h",
    )
    ax.set_xlabel("해당 차원을 다룬 문헌의 비율(%)")
    ax.set_ylabel("성과 차원")
    ax.legend(title="", loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def plot_policy_timeline(events: pd.DataFrame, indicators: pd.DataFrame, staff: pd.DataFrame | None = None):
    """Events on a time line above the case-manager counts and the budget.

    Parameters
    ----------
    events : DataFrame
        ``load_policy(folder, "timeline")``.
    indicators : DataFrame
        ``load_policy(folder, "indicators")`` (uses ``case_managers`` and ``cm_budget``).
    staff : DataFrame, optional
        ``load_policy(folder, "staff")``: adds the Gateway and 통장 managers of '22.12.
    """
    import matplotlib.pyplot as plt

    _korean_font()

    ev = events.sort_values(["year", "order"]).reset_index(drop=True)
    years = ev["year"].astype(int)
    y0, y1 = int(years.min()) - 1, int(years.max()) + 1
    split = y0 + (y1 - y0) * 0.45
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 8.4), sharex=True, gridspec_kw={"height_ratios": [1.25, 1]})
    n = len(ev)
    for k, e in ev.iterrows():
        y = n - k
        ax1.plot(int(e["year"]), y, "o", color="#2b4c7e", ms=4.5)
        right = int(e["year"]) < split
        ax1.text(
            int(e["year"]) + (0.35 if right else -0.35),
            y,
            f"{int(e['year'])} {e['event_short']}",
            ha="left" if right else "right",
            va="center",
            fontsize=8,
        )
    ax1.set_ylim(0.3, n + 0.7)
    ax1.set_yticks([])
    ax1.grid(axis="y", visible=False)
    ax1.set_title("주요 정책 사건", fontsize=10, loc="left")
    cm = indicator_series(indicators, "case_managers")
    ax2.bar(cm["year"].astype(int), cm["value"].astype(int), color="#4c72b0", width=0.6, label="자활사례관리자(명)")
    for _, r in cm.iterrows():
        ax2.text(
            int(r["year"]), int(r["value"]) - 3, f"{int(r['value'])}", ha="center", va="top", fontsize=8, color="white"
        )
    if staff is not None:
        tot = staff_totals(staff)
        markers = iter(["D", "s", "^"])
        for _, r in tot.iloc[1:].iterrows():
            ax2.plot(2022.6, r["persons"], next(markers), ms=6, label=f"{r['role']}(명, '22.12)")
    ax2.set_ylabel("인원(명)")
    ax2.set_xlabel("연도")
    axb = ax2.twinx()
    bud = indicator_series(indicators, "cm_budget")
    axb.plot(
        bud["year"].astype(int), bud["value"].astype(float) / 1e5, "-o", color="#dd8452", label="사례관리 예산(억 원)"
    )
    axb.set_ylabel("예산(억 원)")
    axb.set_ylim(0, float(bud["value"].max()) / 1e5 * 1.35)
    axb.grid(False)
    h1, l1 = ax2.get_legend_handles_labels()
    h2, l2 = axb.get_legend_handles_labels()
    ax2.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8, frameon=False)
    ax2.set_ylim(0, max(int(cm["value"].max()), 170) * 1.25)
    ax2.set_xlim(y0, y1)
    ax2.set_title("사례관리 인력과 예산", fontsize=10, loc="left")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- overseas elements, diagrams, page values


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
