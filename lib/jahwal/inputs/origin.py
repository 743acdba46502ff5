"""Where each value of a synthetic build comes from: 공표, 보정 or 가정.

The default extract is synthetic (:mod:`jahwal.inputs.synth`). A value computed from it
is one of

* **공표** (published): the report printed this value and the generator
  reproduces it exactly (counts of 표 Ⅲ-3 to Ⅲ-6, the medians and maxima of
  표 Ⅲ-7·Ⅲ-8, the group sizes of 표 Ⅲ-9 to Ⅲ-20, and the infrastructure
  tables, which are the report's own figures);
* **보정** (calibrated): the generator was tuned to a published figure and the
  value lies within the calibration tolerance (means, standard deviations, t
  values, the 2022 post-closure rate), or the value follows from published
  counts without being printed (the 2020·2021 intake as the sum of 표 Ⅲ-4);
* **가정** (assumed): the report publishes nothing the value could be checked
  against; it comes from an assumption of the generator (category mixes,
  assessment in 2020·2021, the 2019–2021 outcome groups and post-closure
  rates, years outside 2019–2022, the joint distributions behind the
  supplementary analyses).

This module is the one place where that classification lives: :data:`TABLES`
maps each Chapter Ⅲ and Ⅴ table (by its glue key) and column to a rule, and
:data:`QUANTITIES` says which rule gives which origin in which year. A smaller
scale than 1 turns 공표 into 보정 (the counts are scaled) and statistics
that depend on the number of persons (t, p, degrees of freedom) into 가정.
A build on a real extract (``synthetic`` is ``None``) has no origins at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

PUBLISHED, CALIBRATED, ASSUMED = "공표", "보정", "가정"
ORIGINS = (PUBLISHED, CALIBRATED, ASSUMED)
#: CSS class suffix of each origin (``jahwal-origin-published`` …)
CSS = {PUBLISHED: "published", CALIBRATED: "calibrated", ASSUMED: "assumed"}
#: one-syllable mark shown beside a table value
MARK = {PUBLISHED: "공", CALIBRATED: "보", ASSUMED: "가"}
#: what each origin means, for legends and banners
MEANING = {
    PUBLISHED: "보고서에 인쇄된 값과 같음",
    CALIBRATED: "공표 수치에 맞추었거나 공표 수치에서 계산됨",
    ASSUMED: "보고서에 없어 합성 자료의 가정에서 나옴",
}
#: the years and the focus year whose figures the report published
PUBLISHED_YEARS = (2019, 2022)
REPORT_FOCUS_YEAR = 2022
REFERENCE_DIR = Path(__file__).resolve().parents[3] / "data" / "reference"

# ---------------------------------------------------------------- rules (data)
#: quantity → origin at scale 1 inside 2019–2022: one origin, or per year with "*" for the rest
QUANTITIES: dict[str, str | dict[Any, str]] = {
    "published": PUBLISHED,  # printed, reproduced exactly
    "external": PUBLISHED,  # the report's own figures, not from the extract
    "derived": CALIBRATED,  # follows from printed counts, not printed itself
    "calibrated": CALIBRATED,  # tuned to a printed figure, within tolerance
    "n_statistic": CALIBRATED,  # t, p, df: calibrated only at the published group sizes
    "assumed": ASSUMED,
    "intake_n": {2019: PUBLISHED, 2022: PUBLISHED, "*": CALIBRATED},  # 그림 Ⅲ-11; 2020·2021 = 표 Ⅲ-4 sums
    "assessed_n": {2019: PUBLISHED, 2022: PUBLISHED, "*": ASSUMED},  # 그림 Ⅲ-12
    "assessed_rate": {2022: PUBLISHED, 2019: CALIBRATED, "*": ASSUMED},
    "post_closure_rate": {2022: CALIBRATED, "*": ASSUMED},  # 그림 Ⅲ-14: 2022 only in the text
    "category_mean": CALIBRATED,  # 그림 Ⅲ-1~Ⅲ-10; unpublished categories become 가정
}
#: quantities reproduced only at the published group sizes
_N_DEPENDENT = {"n_statistic"}


@dataclass(frozen=True)
class TableRule:
    """How the cells of one published table are classified.

    ``columns`` maps a column name (or a regular expression matched in full)
    to a quantity of :data:`QUANTITIES`; ``year_column`` names the column
    holding each row's year (``None``: the table shows the focus year);
    ``total_rows`` are row labels (in the first column) whose values are sums
    or differences of the others.
    """

    figure_id: str
    columns: Mapping[str, str]
    year_column: str | None = None
    default: str = "assumed"
    total_rows: tuple[str, ...] = ("계", "전국", "합계")
    total_quantity: str = "derived"
    text_columns: tuple[str, ...] = field(default=())


_PLAN = {r"계\(명\)": "derived", r".*\((명|%)\)": "published"}
_COUNSEL = {
    "상담 경험자 수": "assumed",
    "평균값": "calibrated",
    "중위값": "published",
    "최소값": "published",
    "최대값": "published",
    "표준편차": "calibrated",
}
_OUTCOME = {
    "인원": "published",
    r"연평균.*": "calibrated",
    r"표준편차.*": "calibrated",
    "t": "n_statistic",
    "자유도": "n_statistic",
    "p": "n_statistic",
    "검정": "n_statistic",
}
_DAYS = {"인원": "published", r"연평균.*": "calibrated", r".*기준\(일\)": "calibrated"}

#: glue key of a table → its rule (Chapter Ⅲ and Ⅴ)
TABLES: dict[str, TableRule] = {
    "tab-III-1": TableRule("표 Ⅲ-1", {r".*": "external"}, text_columns=("연도", "비고")),
    "tab-III-2": TableRule("표 Ⅲ-2", {r".*": "external"}, total_quantity="external", text_columns=("시도",)),
    "tab-fig-III-11": TableRule(
        "그림 Ⅲ-11·Ⅲ-12",
        {"초기상담 참여자 수": "intake_n", "사정단계 참여자 수": "assessed_n", "사정단계 참여비율(%)": "assessed_rate"},
        year_column="연도",
    ),
    "tab-III-3": TableRule("표 Ⅲ-3", {r".*": "published"}, text_columns=("시도",)),
    "tab-III-4": TableRule("표 Ⅲ-4", _PLAN, year_column="연도"),
    "tab-III-5": TableRule("표 Ⅲ-5", {r".*": "published"}, text_columns=("시도",)),
    "tab-III-6": TableRule("표 Ⅲ-6", _PLAN, year_column="연도"),
    "tab-III-7": TableRule("표 Ⅲ-7", _COUNSEL, year_column="연도"),
    "tab-III-8": TableRule("표 Ⅲ-8", _COUNSEL, text_columns=("시도",)),
    "tab-fig-III-14": TableRule("그림 Ⅲ-14", {r".*비율\(%\)": "post_closure_rate"}, year_column="연도"),
    "tab-III-S1": TableRule(
        "표 Ⅲ-S1", {"초기상담": "intake_n", "사정": "assessed_n", "IAP 수립": "published"}, year_column="연도"
    ),
    "tab-III-S2": TableRule("표 Ⅲ-S2", {r".*": "n_statistic"}, text_columns=("표", "비교", "구분", "검정 방식")),
    "tab-III-S3": TableRule("표 Ⅲ-S3", {r".*": "n_statistic"}, text_columns=("표", "비교", "구분")),
    "tab-III-S4": TableRule("표 Ⅲ-S4", {}, text_columns=("표", "비교")),
    "tab-III-S5": TableRule("표 Ⅲ-S5", {}, text_columns=("표", "비교")),
    "tab-III-S6": TableRule("표 Ⅲ-S6", {}, text_columns=("표", "비교")),
    **{
        f"tab-fig-III-{i}": TableRule(f"그림 Ⅲ-{i}", {r"평균\(회\)": "category_mean"}, text_columns=("특성", "범주"))
        for i in range(1, 11)
    },
    **{
        f"tab-III-{i}": TableRule(
            f"표 Ⅲ-{i}",
            _OUTCOME,
            total_rows=("차이(수행−미수행)",),
            total_quantity="calibrated",
            text_columns=("구분",),
        )
        for i in (9, 10, 11, 12, 13, 15, 17, 19)
    },
    **{
        f"tab-III-{i}": TableRule(
            f"표 Ⅲ-{i}", _DAYS, total_rows=("차이(수행−미수행)",), total_quantity="calibrated", text_columns=("구분",)
        )
        for i in (14, 16, 18)
    },
    # 표 Ⅲ-20 printed the group sizes of 표 Ⅲ-18; its groups are those of 표 Ⅲ-19 (see data/reference/manifest.csv)
    "tab-III-20": TableRule(
        "표 Ⅲ-20",
        {**_DAYS, "인원": "derived"},
        total_rows=("차이(수행−미수행)",),
        total_quantity="calibrated",
        text_columns=("구분",),
    ),
}
#: indicator of Chapter Ⅴ → quantity (gaps are the outcome comparisons of 표 Ⅲ-9 to Ⅲ-20)
INDICATORS: dict[str, str] = {
    "assessment_rate": "assessed_rate",
    "iap_rate": "published",
    "isp_rate": "published",
    "counselling_mean": "calibrated",
    "post_closure_rate": "post_closure_rate",
}
GAP_QUANTITY = "calibrated"


# ---------------------------------------------------------------- classification
def _spec(synthetic: Any) -> dict[str, Any] | None:
    if synthetic is None:
        return None
    if hasattr(synthetic, "model_dump"):
        synthetic = synthetic.model_dump(mode="json")
    return dict(synthetic)


def classify(quantity: str, year: int | None, synthetic: Any) -> str | None:
    """The origin of one value of a synthetic build (``None`` in a real-extract build).

    Parameters
    ----------
    quantity : str
        A key of :data:`QUANTITIES`.
    year : int, optional
        The data year of the value (``None``: not tied to a year).
    synthetic : dict or None
        The study's ``prepare.synthetic`` block (``scale``, ``years``…).

    Examples
    --------
    >>> full = {"scale": 1, "years": [2019, 2022]}
    >>> classify("intake_n", 2019, full), classify("intake_n", 2020, full), classify("assessed_n", 2020, full)
    ('공표', '보정', '가정')
    >>> classify("published", 2023, {"scale": 1, "years": [2020, 2023]})
    '가정'
    >>> classify("published", 2022, {"scale": 0.05, "years": [2019, 2022]}), classify("n_statistic", 2022, {"scale": 0.05})
    ('보정', '가정')
    >>> classify("published", 2022, None) is None
    True
    """
    spec = _spec(synthetic)
    if spec is None:
        return None
    if quantity not in QUANTITIES:
        raise ValueError(f"알 수 없는 수량 종류입니다 / unknown quantity: {quantity!r} (one of {sorted(QUANTITIES)})")
    rule = QUANTITIES[quantity]
    if quantity == "external":
        return PUBLISHED
    if year is not None and not PUBLISHED_YEARS[0] <= int(year) <= PUBLISHED_YEARS[1]:
        return ASSUMED  # extrapolated beyond the report's years
    base = rule if isinstance(rule, str) else rule.get(None if year is None else int(year), rule["*"])
    if float(spec.get("scale", 1)) != 1:
        if quantity in _N_DEPENDENT:
            return ASSUMED
        if base == PUBLISHED:
            return CALIBRATED
    return base


def weakest(origins) -> str | None:
    """The least certain of several origins (가정 over 보정 over 공표).

    Examples
    --------
    >>> weakest(["공표", "가정", "보정"]), weakest(["공표", None]), weakest([])
    ('가정', '공표', None)
    """
    present = [o for o in origins if o]
    return max(present, key=ORIGINS.index) if present else None


def _published_categories(reference_dir: Path) -> set[tuple[str, str]]:
    ref = pd.read_csv(Path(reference_dir) / "fig_III_01_10_counselling_by_characteristic.csv")
    ref = ref[ref["status"].eq("published")]
    return {(str(a), str(b)) for a, b in zip(ref["variable"], ref["category"])}


def _match(rule: TableRule, column: str) -> str:
    for pattern, quantity in rule.columns.items():
        if column == pattern or re.fullmatch(pattern, str(column)):
            return quantity
    return rule.default


def _category_published(variable: str, category: str, published: set[tuple[str, str]]) -> bool:
    def norm(s):
        return re.sub(r"[\s·]", "", str(s))

    return any(norm(v) == norm(variable) and norm(c) == norm(category) for v, c in published)


def _blank(value: Any) -> bool:
    """A cell without a value: suppressed (``x``), not applicable (``–``) or missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return isinstance(value, str) and value.strip() in ("", "x", "–", "-")


def table_marks(
    key: str, df: pd.DataFrame, synthetic: Any, focus_year: int | None = None, reference_dir: str | Path = REFERENCE_DIR
) -> pd.DataFrame | None:
    """The origin of every cell of a published table, or ``None``.

    ``None`` when the build uses a real extract or the table is not one of
    :data:`TABLES`. Text cells (labels, years) get an empty string.

    Examples
    --------
    >>> df = pd.DataFrame({"연도": [2019, 2020], "초기상담 참여자 수": [10, 11], "사정단계 참여자 수": [5, 6],
    ...                    "사정단계 참여비율(%)": [50.0, 54.5]})
    >>> table_marks("tab-fig-III-11", df, {"scale": 1, "years": [2019, 2022]}).values.tolist()
    [['', '공표', '공표', '보정'], ['', '보정', '가정', '가정']]
    """
    if _spec(synthetic) is None or key not in TABLES:
        return None
    rule = TABLES[key]
    year_default = focus_year if focus_year is not None else REPORT_FOCUS_YEAR
    published = (
        _published_categories(reference_dir) if any(q == "category_mean" for q in rule.columns.values()) else set()
    )
    first = df.columns[0] if len(df.columns) else None
    marks = pd.DataFrame("", index=df.index, columns=df.columns, dtype=object)
    for i in df.index:
        year = year_default
        if rule.year_column and rule.year_column in df.columns:
            m = re.match(r"^\s*(\d{4})", str(df.at[i, rule.year_column]))
            year = int(m.group(1)) if m else None
        is_total = first is not None and str(df.at[i, first]).strip() in rule.total_rows
        for col in df.columns:
            if col == rule.year_column or col in rule.text_columns or _blank(df.at[i, col]):
                continue
            quantity = rule.total_quantity if is_total else _match(rule, col)
            if quantity == "category_mean" and not _category_published(
                df.at[i, df.columns[0]], df.at[i, df.columns[1]], published
            ):
                quantity = "assumed"
            if quantity != "external" and (year is None or (rule.year_column is None and year != REPORT_FOCUS_YEAR)):
                marks.at[i, col] = ASSUMED  # the report published these tables for 2022 only
                continue
            marks.at[i, col] = classify(quantity, year, synthetic) or ""
    return marks


def indicator_origin(indicator: str, year: int | None, synthetic: Any) -> str | None:
    """The origin of one Chapter Ⅴ indicator value (gaps follow the outcome tables).

    Examples
    --------
    >>> s = {"scale": 1, "years": [2019, 2022]}
    >>> indicator_origin("iap_rate", 2020, s), indicator_origin("post_closure_rate", 2019, s), indicator_origin("wage_gap_iap", 2021, s)
    ('공표', '가정', '가정')
    """
    if indicator in INDICATORS:
        return classify(INDICATORS[indicator], year, synthetic)
    if year is not None and int(year) != REPORT_FOCUS_YEAR:
        return classify("assumed", year, synthetic)
    return classify(GAP_QUANTITY, year, synthetic)


def trend_origin(origins) -> str | None:
    """A trend or change is as certain as the least certain value it rests on."""
    return weakest(origins)


def caption_note(origins: Mapping[str, str | None]) -> str:
    """A short caption note naming the origin of a figure's values.

    Parameters
    ----------
    origins : mapping
        Label of a group of values (``"2019·2022년"``) → origin.

    Examples
    --------
    >>> caption_note({"2019·2022년 인원": "공표", "2020·2021년 인원": "보정"})
    '합성 자료: 2019·2022년 인원은 공표값, 2020·2021년 인원은 보정값'
    >>> caption_note({"전체": None})
    ''
    """
    parts = [f"{label}은 {origin}값" for label, origin in origins.items() if origin]
    return ("합성 자료: " + ", ".join(parts)) if parts else ""


def legend() -> str:
    """One line explaining the marks (under marked tables).

    Examples
    --------
    >>> legend()
    '표시: 공 공표(보고서에 인쇄된 값과 같음) · 보 보정(공표 수치에 맞추었거나 공표 수치에서 계산됨) · 가 가정(보고서에 없어 합성 자료의 가정에서 나옴)'
    """
    return "표시: " + " · ".join(f"{MARK[o]} {o}({MEANING[o]})" for o in ORIGINS)


def banner_text(synthetic: Any) -> str:
    """The short banner of every quantitative page of a synthetic build ('' for a real extract).

    Examples
    --------
    >>> "2019–2022년 **합성 추출 자료**(보고서 규모의 5%)" in banner_text({"scale": 0.05, "years": [2019, 2022]})
    True
    >>> banner_text(None)
    ''
    """
    spec = _spec(synthetic)
    if spec is None:
        return ""
    years = spec.get("years") or PUBLISHED_YEARS
    scale = float(spec.get("scale", 1))
    size = "" if scale == 1 else f"(보고서 규모의 {scale * 100:g}%)"
    return (
        f"이 쪽의 수치는 실제 자료가 아닌 {years[0]}–{years[1]}년 **합성 추출 자료**{size}에서 계산했습니다. "
        f"값에 붙은 [공표]·[보정]·[가정]과 표의 공·보·가는 보고서에 인쇄된 값, 공표 수치에 맞춘 값, "
        f"합성 자료의 가정에서 나온 값을 뜻합니다."
    )


#: figure key → quantities its values rest on, and whether it shows every year (else the focus year)
FIGURES: dict[str, tuple[tuple[str, ...], bool]] = {
    "fig-III-S1": (("external",), True),
    "fig-III-11": (("intake_n",), True),
    "fig-III-12": (("assessed_n", "assessed_rate"), True),
    "fig-III-13": (("assumed",), False),
    "fig-III-14": (("post_closure_rate",), True),
    "fig-III-S2": (("intake_n", "assessed_n", "published", "assumed"), True),
    **{f"fig-III-S{i}": (("n_statistic", "calibrated"), False) for i in range(3, 11)},
    **{f"fig-III-S{i}": (("assumed",), False) for i in (11, 12, 13)},
}
#: figures whose values differ in origin within one year (the note names the table with the marks)
MIXED_FIGURES: dict[str, str] = {
    **{f"fig-III-{i}": f"tab-fig-III-{i}" for i in range(1, 11)},
    "fig-V-S1": "tab-V-S4",
}


def _years_label(years: list[int]) -> str:
    return "·".join(str(y) for y in years) + "년"


def figure_note(key: str, synthetic: Any, years: list[int], focus_year: int) -> str:
    """The caption note of a figure in a synthetic build ('' otherwise or for figures not from the extract).

    Examples
    --------
    >>> figure_note("fig-III-11", {"scale": 1, "years": [2019, 2022]}, [2019, 2020, 2021, 2022], 2022)
    '합성 자료: 2019·2022년 값은 공표값, 2020·2021년 값은 보정값'
    >>> figure_note("fig-III-11", None, [2022], 2022)
    ''
    """
    if _spec(synthetic) is None:
        return ""
    if key in MIXED_FIGURES:
        return f"합성 자료: 값의 출처(공표·보정·가정)는 {{ref}}`{MIXED_FIGURES[key]}`의 표시와 같음"
    if key not in FIGURES:
        return ""
    quantities, per_year = FIGURES[key]
    if set(quantities) == {"external"}:
        return "값은 보고서의 공표 수치"
    if not per_year:
        origin = weakest(
            classify(q, focus_year, synthetic) if q == "external" or focus_year == REPORT_FOCUS_YEAR else ASSUMED
            for q in quantities
        )
        return caption_note({f"{focus_year}년 값": origin})
    groups: dict[str, list[int]] = {}
    for y in years:
        groups.setdefault(weakest(classify(q, y, synthetic) for q in quantities), []).append(y)
    if len(groups) == 1:
        return caption_note({"모든 값": next(iter(groups))})
    return caption_note({f"{_years_label(ys)} 값": o for o, ys in sorted(groups.items(), key=lambda kv: kv[1][0])})


# ---------------------------------------------------------------- prose and Chapter Ⅴ
def indicator_marks(df: pd.DataFrame, indicators: list[str], synthetic: Any) -> pd.DataFrame | None:
    """Origins of 표 Ⅴ-S4 (one row per indicator, one column per year, then change and trend).

    The change and the trend of a row are as certain as the least certain
    year they rest on.

    Examples
    --------
    >>> df = pd.DataFrame({"지표": ["IAP 수립률", "종결 후 상담률"], "2019년": ["30.80", "8.50"], "2022년": ["26.21", "14.20"],
    ...                    "추세": ["하락", "상승"]})
    >>> indicator_marks(df, ["iap_rate", "post_closure_rate"], {"scale": 1}).values.tolist()
    [['', '공표', '공표', '공표'], ['', '가정', '보정', '가정']]
    """
    if _spec(synthetic) is None:
        return None
    marks = pd.DataFrame("", index=df.index, columns=df.columns, dtype=object)
    years = {c: int(m.group(1)) for c in df.columns if (m := re.fullmatch(r"(\d{4})년", str(c)))}
    derived = [c for c in df.columns if str(c).startswith(("변화", "추세"))]
    for i, key in zip(df.index, indicators):
        row = []
        for col, year in years.items():
            if not _blank(df.at[i, col]):
                marks.at[i, col] = indicator_origin(key, year, synthetic) or ""
                row.append(marks.at[i, col])
        for col in derived:
            if not _blank(df.at[i, col]):
                marks.at[i, col] = trend_origin(row) or ""
    return marks


def finding_origins(
    findings: Mapping[str, Any], synthetic: Any, focus: int, *, prefix: str = ""
) -> dict[str, str | None]:
    """Origins of the summary's numbers and labels (keys of the key findings).

    Changes, verbs and significance stars take the weakest origin of the
    values they compare, so a trend resting on an assumed year is marked 가정.

    Examples
    --------
    >>> f = {"first_year": "2019", "last_year": "2022"}
    >>> o = finding_origins(f, {"scale": 1, "years": [2019, 2022]}, 2022)
    >>> o["intake_first"], o["post_closure_rate_first"], o["post_closure_rate_verb"], o["incentive_gap_iap_stars"]
    ('공표', '가정', '가정', '보정')
    >>> finding_origins(f, None, 2022, prefix="sum_")["sum_intake_first"] is None
    True
    """
    first, last = int(findings.get("first_year", focus)), int(findings.get("last_year", focus))

    def c(q, y):
        return classify(q, y, synthetic)

    out: dict[str, str | None] = {
        "intake_first": c("intake_n", first),
        "intake_last": c("intake_n", last),
        "assessment_rate_first": c("assessed_rate", first),
        "assessment_rate_last": c("assessed_rate", last),
        "post_closure_rate_first": c("post_closure_rate", first),
        "post_closure_rate_last": c("post_closure_rate", last),
        "iap_rate_last": c("published", last),
        "counselling_mean": c("calibrated", focus),
        "counselling_median": c("published", focus),
    }
    out["intake_growth"] = out["intake_verb"] = weakest([out["intake_first"], out["intake_last"]])
    for key in ("assessment_rate", "post_closure_rate"):
        out[f"{key}_verb"] = weakest([out[f"{key}_first"], out[f"{key}_last"]])
    for key in ("incentive_gap_iap", "wage_gap_iap_monitoring"):
        out[key] = indicator_origin(key, focus, synthetic)
        out[f"{key}_stars"] = c("n_statistic", focus) if focus == REPORT_FOCUS_YEAR else c("assumed", focus)
    out["wage_gap_days"] = out["wage_gap_iap_monitoring"]
    return {prefix + k: v for k, v in out.items()}


def indicator_prose_origins(
    summary: Mapping[str, Any], indicators: list[str], synthetic: Any, *, prefix: str = ""
) -> dict[str, str | None]:
    """Origins of the indicator page's prose numbers (first and last values, counts of rising and falling trends).

    A count of trends is as certain as the least certain trend it counts.

    Examples
    --------
    >>> s = {"first_year": "2019", "last_year": "2022", "iap_rate_first": 30.8, "n_rising": 2}
    >>> indicator_prose_origins(s, ["iap_rate", "post_closure_rate"], {"scale": 1})
    {'iap_rate_first': '공표', 'iap_rate_last': '공표', 'post_closure_rate_first': '가정', 'post_closure_rate_last': '보정', 'n_rising': '가정', 'n_falling': '가정'}
    """
    first, last = int(summary["first_year"]), int(summary["last_year"])
    out: dict[str, str | None] = {}
    trends = []
    for key in dict.fromkeys(indicators):
        out[f"{key}_first"] = indicator_origin(key, first, synthetic)
        out[f"{key}_last"] = indicator_origin(key, last, synthetic)
        trends.append(weakest(indicator_origin(key, y, synthetic) for y in range(first, last + 1)))
    out["n_rising"] = out["n_falling"] = weakest(trends)
    return {prefix + k: v for k, v in out.items()}


#: prose values of Chapter Ⅲ 3 (stage summary) → (quantity, which year: first, last, focus or focus-table)
STAGE_PROSE: dict[str, tuple[str, str]] = {
    "intake_first": ("intake_n", "first"),
    "intake_last": ("intake_n", "last"),
    "intake_focus": ("intake_n", "focus"),
    "assessed_first": ("assessed_n", "first"),
    "assessed_focus": ("assessed_n", "focus"),
    "rate_first": ("assessed_rate", "first"),
    "rate_focus": ("assessed_rate", "focus"),
    "rate_last": ("assessed_rate", "last"),
    "prov1_rate": ("published", "table"),
    "prov2_rate": ("published", "table"),
    "prov3_rate": ("published", "table"),
    "iap_rate": ("published", "focus"),
    "iap_not_rate": ("published", "focus"),
    "iap_missing_rate": ("published", "focus"),
    "iap_top_rate": ("published", "table"),
    "isp_rate": ("published", "focus"),
    "counsel_mean_focus": ("calibrated", "focus"),
    "counsel_max_focus": ("published", "focus"),
    "counsel_persons_focus": ("assumed", "focus"),
    "counsel_peak_mean": ("calibrated", "focus"),
    "counsel_top_mean": ("calibrated", "table"),
    "post_rate_first": ("post_closure_rate", "first"),
    "post_rate_focus": ("post_closure_rate", "focus"),
    "closed_focus": ("assumed", "focus"),
}
#: prose values of each outcome comparison (``tab-III-9_diff`` …) → quantity
OUTCOME_PROSE = {
    "n1": "published",
    "n2": "published",
    "diff": "calibrated",
    "lo": "n_statistic",
    "hi": "n_statistic",
    "g": "n_statistic",
    "p": "n_statistic",
}


def _year_origin(quantity: str, which: str, synthetic: Any, first: int, last: int, focus: int) -> str | None:
    if which == "table":  # a one-year table: the report printed it for 2022 only
        return (
            classify(quantity, focus, synthetic)
            if focus == REPORT_FOCUS_YEAR
            else classify("assumed", focus, synthetic)
        )
    return classify(quantity, {"first": first, "last": last, "focus": focus}[which], synthetic)


def prose_origins(
    kind: str,
    values: Mapping[str, Any],
    synthetic: Any,
    focus: int,
    *,
    prefix: str = "",
    first: int | None = None,
    last: int | None = None,
) -> dict[str, str | None]:
    """Origins of the glued prose numbers of a Chapter Ⅲ page (keys as glued, with ``prefix``).

    Parameters
    ----------
    kind : {"stages", "outcomes", "overview", "characteristics", "supplementary"}
        Which page's values (:func:`jahwal.chapters.ch3_stages.stage_summary`,
        :func:`~jahwal.chapters.ch3_outcomes.outcome_values`, :func:`~jahwal.chapters.ch3_outcomes.outcome_overview`,
        :func:`~jahwal.chapters.ch3_characteristics.characteristic_extremes`, the supplementary
        analyses).
    values : mapping
        The values as returned by that function (keys without prefix); the
        first and last year are read from its ``first_year`` and
        ``last_year`` unless given.
    synthetic : dict or None
        The study's synthetic block (``None``: no origins).
    focus : int
        The focus year.
    prefix : str
        Prefix of the glue keys.

    Examples
    --------
    >>> s = {"scale": 1, "years": [2019, 2022]}
    >>> v = {"intake_first": 1, "post_rate_first": 0.1, "first_year": "2019", "last_year": "2022"}
    >>> o = prose_origins("stages", v, s, 2022)
    >>> o
    {'intake_first': '공표', 'post_rate_first': '가정'}
    >>> prose_origins("outcomes", {"tab-III-20_n1": 229, "tab-III-9_g": 0.1}, s, 2022, prefix="ch34_")
    {'ch34_tab-III-20_n1': '보정', 'ch34_tab-III-9_g': '보정'}
    """
    first = int(values.get("first_year", focus)) if first is None else first
    last = int(values.get("last_year", focus)) if last is None else last
    args = (synthetic, first, last, focus)
    out: dict[str, str | None] = {}
    for key, value in values.items():
        if isinstance(value, str) and not re.fullmatch(r"[\d.,]+", value):
            continue  # names and labels
        if kind == "stages" and key in STAGE_PROSE:
            out[prefix + key] = _year_origin(*STAGE_PROSE[key], *args)
        elif kind == "outcomes" and "_" in key:
            table, name = key.rsplit("_", 1)
            quantity = OUTCOME_PROSE.get(name)
            if quantity is None:
                continue
            if table == "tab-III-20" and name in ("n1", "n2"):
                quantity = "derived"
            out[prefix + key] = _year_origin(quantity, "table", *args)
        elif kind == "characteristics" and key in ("high_mean", "low_mean", "overall_mean", "counselled_n"):
            quantity = {"overall_mean": "calibrated", "counselled_n": "assumed"}.get(key, "category_mean")
            if quantity == "category_mean":
                side = key.split("_")[0]
                published = _published_categories(REFERENCE_DIR)
                ok = _category_published(
                    values.get(f"{side}_variable", ""), values.get(f"{side}_category", ""), published
                )
                quantity = "calibrated" if ok else "assumed"
            out[prefix + key] = _year_origin(quantity, "table", *args)
        elif kind == "overview" and key in ("n_significant", "n_welch", "max_g"):
            out[prefix + key] = _year_origin("n_statistic", "table", *args)
        elif kind == "supplementary" and key in ("n_sign_flips", "n_adjusted_sign_kept", "max_shrink", "n_suppressed"):
            out[prefix + key] = classify("assumed", focus, synthetic)  # joint distributions are the generator's
    return out
