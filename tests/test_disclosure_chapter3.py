"""Person counts of Chapter Ⅲ beyond the stage tables: characteristics (32), outcome groups (34), strata (35).

Each page's tables are built by the chapter functions with their ledger specs, read back from the table
payloads (as the build's check reads them) and checked together with the stage tables.
"""

from __future__ import annotations

import pytest

from jahwal.analysis import outcomes, stages, supplementary
from jahwal.chapters import ch3_characteristics, ch3_outcomes, ch3_supplementary
from jahwal.display import book_cells
from jahwal.display.attack import check
from jahwal.display.disclosure import SUPPRESSED
from jahwal.display.ledger import CellKey, Ledger
from jahwal.display.nb import Count, Table
from jahwal.publish.attack_check import _payload_problems
from test_chapter3 import _stage_tables, ex  # noqa: F401  (pytest fixture)

T = 10
Y = 2022
RATES = {"시장진입형": 58660, "사회서비스형": 51350, "근로유지형": 30120}
CUTS = [0, 12, 36, 60]


def _characteristic_payloads(ex):  # noqa: F811
    out = []
    for i, fid in enumerate(ch3_characteristics.CHARACTERISTIC_FIGURES):
        df = ch3_characteristics.characteristic_table(ex, Y, fid, T)
        spec = ch3_characteristics.characteristic_spec(ex, Y, fid)
        out.append(Table(df, f"tab-char-{i}", count_columns=["인원"], ledger=spec).payload())
    overview = ch3_characteristics.characteristic_extremes(ex, Y, T)
    for k, by in ch3_characteristics.extremes_count_cells(Y).items():
        out.append(Count(f"ch32_{k}", overview[k], population=book_cells.POPULATION, by=by).payload())
    return out


def _outcome_payloads(ex, strata_plan=True):  # noqa: F811
    tests = outcomes.outcome_tests(ex, Y, threshold=T)
    groups = ch3_outcomes.group_domains(stages.outcome_data(ex, Y))
    out = []
    for tid, *_ in outcomes.COMPARISONS:
        df = ch3_outcomes.outcome_table(tests, tid)
        spec = ch3_outcomes.outcome_spec(df, Y, groups)
        out.append(Table(df, "t" + tid.split("-")[-1], count_columns=["인원"], ledger=spec).payload())
    for *_, did in outcomes.COMPARISONS[4:]:
        df = ch3_outcomes.days_table(tests, did, RATES)
        spec = ch3_outcomes.outcome_spec(df, Y, groups)
        out.append(Table(df, "d" + did.split("-")[-1], count_columns=["인원"], ledger=spec).payload())
    data = supplementary.analysis_data(ex, Y, CUTS)
    for by, key in (("unit_type", "s4"), ("participation_band", "s5")):
        res = supplementary.stratified_tests(data, by, threshold=T, cuts=CUTS)
        joint = {"data": data, "year": Y, "cuts": CUTS} if strata_plan else {}
        df = ch3_supplementary.stratified_table(res, by, RATES if by == "unit_type" else None, T, **joint)
        spec = ch3_supplementary.stratified_spec(df, data, by, Y, CUTS)
        out.append(Table(df, key, count_columns=["인원(수행)", "인원(미수행)"], ledger=spec).payload())
    df = ch3_supplementary.adjusted_table(supplementary.adjusted_effects(data, threshold=T), T)
    spec = ch3_outcomes.outcome_spec(df, Y, groups)
    out.append(Table(df, "s6", count_columns=["인원(수행)", "인원(미수행)"], ledger=spec).payload())
    return out


def test_characteristic_categories_are_cells_of_the_counselled_persons(ex):  # noqa: F811
    payloads = _characteristic_payloads(ex)
    cells = [c for p in payloads for c in p["ledger"]["cells"]]
    sex = {c["by"]["성별"]: c["value"] for c in cells if "성별" in c["by"]}
    counselled = next(c["value"] for c in cells if c["source"] == "ch32_counselled_n")
    assert counselled == stages.counselling_by_year(ex).set_index("year").loc[Y, "persons_n"]
    led = Ledger.from_payloads(payloads)
    # the sexes (with the unprinted 미상) add up to the year's counselled persons of 표 Ⅲ-7
    rel = [
        r
        for r in led.relations()
        if r.variable == "성별" and r.total.label() == f"초기상담 참여자 (상담=있음, 연도={Y})"
    ]
    assert len(rel) == 1 and set(sex) <= {k.get("성별") for k in rel[0].parts}
    assert sum(v for v in sex.values() if v is not None) <= counselled
    assert list(_payload_problems(payloads, T)) == []


def test_chapter3_counts_pass_the_attacker_check_together(ex):  # noqa: F811
    tables = _stage_tables(ex)
    payloads = [Table(df, key, ledger=spec).payload() for key, (df, spec) in tables.items()]
    payloads += _characteristic_payloads(ex) + _outcome_payloads(ex)
    led = Ledger.from_payloads(payloads)
    res = check(led, T)
    assert res.ok, res.messages()
    assert led.conflicts == []
    assert list(_payload_problems(payloads, T)) == []
    assert not [e.value for e in led if e.value is not None and 1 <= e.value < T]
    # the outcome groups and strata are in the ledger: 5 indicators × 2 groups, × 5 unit types and 4 bands
    assert sum(1 for e in led if e.key.population == ch3_outcomes.OUTCOME_POPULATION) >= 10 + 10 * (5 + 4) - 10


def test_strata_hidden_block_by_block_are_undone_by_the_group_totals(ex):  # noqa: F811
    """Before the joint plan: 표 Ⅲ-S4 hid two small strata of 종결 후 상담 whose sum the total of 표 Ⅲ-12 pins."""
    led = Ledger.from_payloads(_outcome_payloads(ex, strata_plan=False))
    res = check(led, T)
    assert not res.ok
    failing = {iv.key.get("사업단 유형") for iv in res.failures}
    assert failing and all(iv.key.get("종결 후 상담") == "수행" for iv in res.failures)
    assert all(iv.width < 2 * T for iv in res.failures)


def test_joint_strata_plan_hides_a_third_stratum_and_its_statistics(ex):  # noqa: F811
    data = supplementary.analysis_data(ex, Y, CUTS)
    hide = ch3_supplementary.strata_plan(data, Y, T, CUTS)
    res = supplementary.stratified_tests(data, "unit_type", threshold=T, cuts=CUTS)
    planned = ch3_supplementary.with_strata_plan(res, data, "unit_type", Y, T, CUTS)
    assert planned["suppressed"].sum() > res["suppressed"].sum()  # more strata hidden than the small ones
    df = ch3_supplementary.stratified_table(res, "unit_type", RATES, T, data=data, year=Y, cuts=CUTS)
    rows = df[df["인원(수행)"].eq(SUPPRESSED)]
    assert len(rows) == int(planned["suppressed"].sum())
    assert (rows["Hedges' g"] == SUPPRESSED).all() and (rows["p"] == SUPPRESSED).all()
    key = CellKey.make(ch3_outcomes.OUTCOME_POPULATION, {"연도": Y, "종결 후 상담": "수행"})
    assert key not in hide  # the group totals of 표 Ⅲ-9 to Ⅲ-20 stay published


def test_ledger_spec_needs_one_cells_by_entry_per_row(ex):  # noqa: F811
    tests = outcomes.outcome_tests(ex, Y, threshold=T)
    df = ch3_outcomes.outcome_table(tests, "표 Ⅲ-9")
    spec = ch3_outcomes.outcome_spec(df, Y, {"사정지 작성": ["수행", "미수행"]})
    with pytest.raises(ValueError, match="one entry per row"):
        Table(df, "t9", count_columns=["인원"], ledger={**spec, "cells_by": spec["cells_by"][:1]})
    assert [c["by"] for c in Table(df, "t9", count_columns=["인원"], ledger=spec).payload()["ledger"]["cells"]] == [
        {"사정지 작성": "수행", "연도": str(Y)},
        {"사정지 작성": "미수행", "연도": str(Y)},
    ]


def test_extract_counts_of_chapter1_link_to_the_yearly_intake(ex):  # noqa: F811
    from jahwal.chapters import ch1, summary

    tables = _stage_tables(ex)
    payloads = [Table(df, key, ledger=spec).payload() for key, (df, spec) in tables.items()]
    s1 = ch1.extract_counts_table(ex, T)
    payloads.append(Table(s1, "tab-I-S1", count_columns=ch1.EXTRACT_PERSON_COLUMNS, ledger=ch1.EXTRACT_SPEC).payload())
    extract = ch1.extract_summary(ex, T)
    for k, (population, by) in ch1.extract_count_cells(extract).items():
        payloads.append(Count(f"ch1_{k}", extract[k], population=population, by=by).payload())
    intake = stages.intake_assessment_by_year(ex).set_index("year")["intake_n"]
    found = {"first_year": "2019", "last_year": "2022", "intake_first": intake[2019], "intake_last": intake[2022]}
    for k, by in summary.count_cells(found).items():
        payloads.append(Count(f"sum_{k}", found[k], population=book_cells.POPULATION, by=by, keep=True).payload())
    led = Ledger.from_payloads(payloads)
    assert led.conflicts == []
    # 표 Ⅰ-S1's stage records, 그림 Ⅲ-11's intake and the summary's numbers are one ledger cell per year
    e = led.entries[CellKey.make(book_cells.POPULATION, {"연도": 2019})]
    assert e.value == 40278 and {"tab-I-S1", "sum_intake_first"} <= set(e.shown) and e.keep
    assert check(led, T).ok
