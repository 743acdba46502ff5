"""The PRISMA 2020 flow arithmetic of the study file's ``prisma`` counts (checked when the study
file is read).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd

# ------------------------------------------------------------------ PRISMA 2020
PRISMA_FIELDS = (
    "database_results",
    "register_results",
    "duplicates",
    "excluded_automatic",
    "excluded_other",
    "records_screened",
    "records_excluded",
    "reports_sought",
    "reports_not_retrieved",
    "reports_assessed",
    "reports_excluded",
    "other_results",
    "other_sought",
    "other_not_retrieved",
    "other_assessed",
    "other_excluded",
    "reports_included",
    "studies_included",
)
_STATUS_KO = {"ok": "맞음", "fail": "맞지 않음", "not_reported": "보고되지 않음"}


def _prisma_dict(counts: Any) -> dict[str, Any] | None:
    if counts is None:
        return None
    if hasattr(counts, "model_dump"):
        counts = counts.model_dump()
    if not isinstance(counts, Mapping):
        raise ValueError(
            f"PRISMA 건수는 사전이어야 합니다 / PRISMA counts must be a mapping, got {type(counts).__name__}"
        )
    unknown = sorted(set(counts) - set(PRISMA_FIELDS))
    if unknown:
        raise ValueError(f"알 수 없는 PRISMA 항목 / unknown PRISMA fields: {unknown}")
    out = {f: counts.get(f) for f in PRISMA_FIELDS}
    for f, v in out.items():
        if v is None:
            continue
        vals = v.values() if isinstance(v, Mapping) else [v]
        for x in vals:
            if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < 0:
                raise ValueError(f"PRISMA 항목 {f}: 0 이상의 정수여야 합니다 / must be a non-negative integer: {x!r}")
    return out


def _sum_reasons(v: Mapping[str, int] | None) -> int | None:
    return None if v is None else int(sum(v.values()))


def check_prisma(counts: Mapping[str, Any] | Any | None) -> pd.DataFrame:
    """Check the arithmetic between the boxes of a PRISMA 2020 flow diagram.

    Parameters
    ----------
    counts : mapping, PrismaCounts or None
        Counts named as in :data:`PRISMA_FIELDS` (``reports_excluded`` and
        ``other_excluded`` map reasons to counts). ``None`` means the study did
        not report them.

    Returns
    -------
    DataFrame
        One row per check: ``check``, ``description`` (Korean), ``expected``
        (computed from the earlier boxes), ``observed`` (the reported box),
        ``status`` (``ok``, ``fail`` or ``not_reported``) and ``status_label``.
        The other-methods checks appear only when that arm has counts.

    Notes
    -----
    * records screened = database + register − duplicates − removed by
      automation − removed for other reasons
    * reports sought = records screened − records excluded
    * reports assessed = reports sought − reports not retrieved
    * (other methods) reports sought ≤ records identified; assessed = sought −
      not retrieved
    * reports included = Σ over arms (assessed − Σ excluded with reasons)
    * studies included ≤ reports included

    Examples
    --------
    >>> ok = dict(database_results=120, register_results=0, duplicates=20, excluded_automatic=0,
    ...           excluded_other=0, records_screened=100, records_excluded=70, reports_sought=30,
    ...           reports_not_retrieved=2, reports_assessed=28, reports_excluded={"대상 불일치": 10},
    ...           reports_included=18, studies_included=17)
    >>> check_prisma(ok)["status"].unique().tolist()
    ['ok']
    >>> check_prisma(None)["status"].unique().tolist()
    ['not_reported']
    """
    c = _prisma_dict(counts)
    g = (lambda f: None) if c is None else c.get
    rows: list[dict[str, Any]] = []

    def add(check: str, desc: str, expected: int | None, observed: int | None, rel: str = "==") -> None:
        if expected is None or observed is None:
            status = "not_reported"
        elif rel == "==":
            status = "ok" if expected == observed else "fail"
        else:
            status = "ok" if observed <= expected else "fail"
        rows.append({"check": check, "description": desc, "expected": expected, "observed": observed, "status": status})

    def calc(*terms: tuple[int, str | int | None]) -> int | None:
        total = 0
        for sign, f in terms:
            v = (
                f
                if isinstance(f, int)
                else (_sum_reasons(g(f)) if f in ("reports_excluded", "other_excluded") else g(f))
            )
            if v is None:
                return None
            total += sign * int(v)
        return total

    add(
        "records_screened",
        "선별한 기록 = 데이터베이스 + 등록부 − 중복 − 자동 제외 − 기타 제외",
        calc(
            (1, "database_results"),
            (1, "register_results"),
            (-1, "duplicates"),
            (-1, "excluded_automatic"),
            (-1, "excluded_other"),
        ),
        g("records_screened"),
    )
    add(
        "reports_sought",
        "원문을 찾은 보고서 = 선별한 기록 − 선별에서 제외한 기록",
        calc((1, "records_screened"), (-1, "records_excluded")),
        g("reports_sought"),
    )
    add(
        "reports_assessed",
        "적격성을 평가한 보고서 = 원문을 찾은 보고서 − 찾지 못한 보고서",
        calc((1, "reports_sought"), (-1, "reports_not_retrieved")),
        g("reports_assessed"),
    )
    other_used = c is not None and any(c.get(f) is not None for f in PRISMA_FIELDS if f.startswith("other_"))
    if other_used:
        add(
            "other_sought",
            "(기타 방법) 원문을 찾은 보고서 ≤ 찾은 기록",
            g("other_results"),
            g("other_sought"),
            rel="<=",
        )
        add(
            "other_assessed",
            "(기타 방법) 적격성 평가 = 원문을 찾은 보고서 − 찾지 못한 보고서",
            calc((1, "other_sought"), (-1, "other_not_retrieved")),
            g("other_assessed"),
        )
    included = calc((1, "reports_assessed"), (-1, "reports_excluded"))
    if other_used and included is not None:
        more = calc((1, "other_assessed"), (-1, "other_excluded"))
        included = None if more is None else included + more
    add("reports_included", "포함한 보고서 = 적격성 평가 − 사유별 제외 (방법별 합)", included, g("reports_included"))
    reports = g("reports_included") if g("reports_included") is not None else included
    add("studies_included", "포함한 연구 수 ≤ 포함한 보고서 수", reports, g("studies_included"), rel="<=")
    out = pd.DataFrame(rows, columns=["check", "description", "expected", "observed", "status"])
    out["expected"] = out["expected"].astype("Int64")
    out["observed"] = out["observed"].astype("Int64")
    out["status_label"] = out["status"].map(_STATUS_KO)
    return out


def prisma_problems(counts: Any) -> list[str]:
    """Bilingual messages for the failing PRISMA checks (empty when all add up)."""
    checks = check_prisma(counts)
    return [
        f"상자 '{r.check}': {r.description} — 계산값 {r.expected}, 보고값 {r.observed} / "
        f"box '{r.check}' does not add up (expected {r.expected}, reported {r.observed})"
        for r in checks.itertuples()
        if r.status == "fail"
    ]
