"""Ledger of published counts, the attacker's calculation and joint complementary suppression."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jahwal.display.attack import check, plan, protected
from jahwal.display.ledger import CellKey, Ledger, apply_suppression, frame_cells

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "data" / "reference"
T = 10
POP = "초기상담 참여자"
STATUSES = ["수립", "미수립", "시스템 미입력"]


# ---------------------------------------------------------------- the 표 Ⅲ-4 / Ⅲ-S1 / 그림 Ⅲ-11 example
def _reference_2019() -> tuple[int, dict[str, int]]:
    iap = pd.read_csv(REF / "tab_III_04_iap_by_year.csv")
    iap = iap[(iap["figure_id"] == "표 Ⅲ-4") & (iap["year"] == 2019)]
    intake = pd.read_csv(REF / "fig_III_11_12_intake_assessment_by_year.csv")
    n = int(intake.loc[intake["year"] == 2019, "intake_n"].iloc[0])
    return n, dict(zip(iap["status"], iap["n"].astype(int)))


def _example_tables(intake: int, status: dict[str, int]):
    """The three linked tables of the 2019 example, with their ledger specs (true counts)."""
    tab4 = pd.DataFrame({"연도": [2019], **{f"{s}(명)": [status[s]] for s in STATUSES}})
    spec4 = {
        "population": POP,
        "year_column": "연도",
        "columns": {f"{s}(명)": {"IAP": s} for s in STATUSES},
        "domains": {"IAP": STATUSES},
    }
    s1 = pd.DataFrame(
        {"연도": [2019], "초기상담": [intake], "IAP 수립": [status["수립"]], "IAP 미입력": [status["시스템 미입력"]]}
    )
    spec_s1 = {
        "population": POP,
        "year_column": "연도",
        "keep": ["초기상담"],
        "columns": {"초기상담": {}, "IAP 수립": {"IAP": "수립"}, "IAP 미입력": {"IAP": "시스템 미입력"}},
    }
    f11 = pd.DataFrame({"연도": [2019], "초기상담 참여자 수": [intake]})
    spec11 = {
        "population": POP,
        "year_column": "연도",
        "keep": ["초기상담 참여자 수"],
        "columns": {"초기상담 참여자 수": {}},
    }
    return [("tab-III-4", tab4, spec4), ("tab-III-S1", s1, spec_s1), ("tab-fig-III-11", f11, spec11)]


def _published(tables, hidden) -> Ledger:
    led = Ledger()
    for key, df, spec in tables:
        cols = list(spec["columns"])
        led.add_frame(apply_suppression(df, spec, cols, hidden, key), spec, cols, key)
    return led


def test_reference_example_is_what_the_issue_says():
    intake, status = _reference_2019()
    assert intake == 40278  # 그림 Ⅲ-12, 2019
    assert intake - status["시스템 미입력"] - status["수립"] == status["미수립"] == 3  # 표 Ⅲ-4, 2019


def test_per_table_suppression_of_the_example_is_undone_by_the_linked_tables():
    intake, status = _reference_2019()
    tables = _example_tables(intake, status)
    # before: 표 Ⅲ-4 hides 미수립 and the next smallest cell of its row, the other tables print theirs
    hidden_4 = {CellKey.make(POP, {"연도": 2019, "IAP": s}) for s in ["수립", "미수립"]}
    led = Ledger()
    for key, df, spec in tables:
        cols = list(spec["columns"])
        shown = apply_suppression(df, spec, cols, hidden_4 if key == "tab-III-4" else set(), key)
        led.add_frame(shown, spec, cols, key)
    res = check(led, T)
    assert not res.ok
    worst = {f.key.get("IAP"): f for f in res.failures if f.key.get("연도") == "2019"}
    assert (worst["미수립"].low, worst["미수립"].high) == (3, 3)
    assert set(worst["미수립"].revealed_by) == {"tab-III-4", "tab-III-S1", "tab-fig-III-11"}
    assert (worst["수립"].low, worst["수립"].high) == (status["수립"], status["수립"])  # printed in 표 Ⅲ-S1
    msg = "\n".join(res.messages())
    assert "[3, 3]" in msg and "tab-III-S1" in msg and "tab-III-4" in msg and "narrowed to" in msg


def test_joint_suppression_protects_the_example_across_the_three_tables():
    intake, status = _reference_2019()
    tables = _example_tables(intake, status)
    truth = Ledger()
    for key, df, spec in tables:
        truth.add_frame(df, spec, list(spec["columns"]), key)
    p = plan(truth, T)
    assert [k.get("IAP") for k in p.primary] == ["미수립"]
    assert [k.get("IAP") for k in p.complementary] == ["수립"]  # 12,405 persons: fewer than 미입력
    assert p.totals == []
    led = _published(tables, p.suppressed)
    res = check(led, T)
    assert res.ok, res.messages()
    by = {iv.key.get("IAP"): iv for iv in res.intervals}
    assert (by["미수립"].low, by["미수립"].high) == (0, status["미수립"] + status["수립"])
    # 수립 is hidden wherever it is published: in 표 Ⅲ-4 and in 표 Ⅲ-S1
    assert {k.get("IAP"): sorted(led.entries[k].hidden) for k in p.suppressed} == {
        "미수립": ["tab-III-4"],
        "수립": ["tab-III-4", "tab-III-S1"],
    }
    assert all(led.entries[k].shown == [] for k in p.suppressed)


# ---------------------------------------------------------------- hand-made linked tables
def _cube(values: dict[tuple[str, str], int], keep_margins: bool = True) -> Ledger:
    """A two-way table with row, column and grand totals."""
    led = Ledger()
    rows = sorted({r for r, _ in values})
    cols = sorted({c for _, c in values})
    led.set_domain("r", rows)
    led.set_domain("c", cols)
    for (r, c), v in values.items():
        led.add(CellKey.make("p", {"r": r, "c": c}), v, "inner")
    for r in rows:
        led.add(
            CellKey.make("p", {"r": r}), sum(v for (a, _), v in values.items() if a == r), "margins", keep=keep_margins
        )
    for c in cols:
        led.add(
            CellKey.make("p", {"c": c}), sum(v for (_, b), v in values.items() if b == c), "margins", keep=keep_margins
        )
    led.add(CellKey.make("p"), sum(values.values()), "margins", keep=keep_margins)
    return led


def test_two_by_two_with_margins_needs_all_four_cells():
    led = _cube({("1", "a"): 3, ("1", "b"): 40, ("2", "a"): 50, ("2", "b"): 60})
    p = plan(led, T)
    assert [k.label() for k in p.primary] == ["p (c=a, r=1)"]
    assert len(p.complementary) == 3  # a single hidden cell in a 2×2 with margins is always recoverable
    iv = {k.label(): (i.low, i.high) for k, i in ((i.key, i) for i in p.intervals)}
    assert iv["p (c=a, r=1)"] == (0, 43)  # row total 43 and column total 53
    assert iv["p (c=b, r=2)"] == (57, 100)


def test_two_by_two_with_one_hidden_cell_fails():
    led = _cube({("1", "a"): 3, ("1", "b"): 40, ("2", "a"): 50, ("2", "b"): 60})
    led.entries[CellKey.make("p", {"r": "1", "c": "a"})].value = None
    led.entries[CellKey.make("p", {"r": "1", "c": "a"})].hidden.append("inner")
    res = check(led, T)
    assert [(f.low, f.high) for f in res.failures] == [(3, 3)]


def test_province_table_with_a_national_total_published_elsewhere():
    led = Ledger()
    provinces = {"서울": 100, "부산": 30, "대구": 25, "세종": 4}
    led.set_domain("시도", list(provinces))
    for name, v in provinces.items():
        led.add(CellKey.make("p", {"연도": 2022, "시도": name}), None if name == "세종" else v, "tab-III-8")
    led.add(CellKey.make("p", {"연도": 2022}), sum(provinces.values()), "tab-III-7", keep=True)
    res = check(led, T)
    assert [(f.key.get("시도"), f.low, f.high, f.revealed_by) for f in res.failures] == [
        ("세종", 4, 4, ("tab-III-7", "tab-III-8"))
    ]
    truth = Ledger()
    truth.set_domain("시도", list(provinces))
    for name, v in provinces.items():
        truth.add(CellKey.make("p", {"연도": 2022, "시도": name}), v, "tab-III-8")
    truth.add(CellKey.make("p", {"연도": 2022}), sum(provinces.values()), "tab-III-7", keep=True)
    p = plan(truth, T)
    assert [k.get("시도") for k in p.complementary] == ["대구"]  # 25 persons: the fewest
    assert {k.get("시도"): (i.low, i.high) for k, i in ((i.key, i) for i in p.intervals)} == {
        "세종": (0, 29),
        "대구": (0, 29),
    }


def test_three_way_split_with_one_small_cell_needs_the_third_part():
    truth = Ledger()
    truth.set_domain("s", ["a", "b", "c"])
    truth.add(CellKey.make("p"), 100, "t", keep=True)
    for s, v in [("a", 5), ("b", 12), ("c", 83)]:
        truth.add(CellKey.make("p", {"s": s}), v, "t")
    p = plan(truth, T)
    # hiding 5 and 12 leaves 5 + 12 = 17 known: an interval [0, 17] narrower than ±10
    assert [k.get("s") for k in p.primary] == ["a"]
    assert [k.get("s") for k in p.complementary] == ["b", "c"]
    assert all((i.low, i.high) == (0, 100) for i in p.intervals)


def test_a_cell_shown_in_one_table_and_hidden_in_another_is_revealed():
    led = Ledger()
    k = CellKey.make("p", {"연도": 2020})
    led.add(k, None, "tab-A")
    led.add(k, 7, "tab-B")
    res = check(led, T)
    assert res.failures[0].revealed_by == ("tab-B",) and res.hidden_in[k] == ["tab-A"]


def test_protection_interval_rules():
    assert not protected(1, 9, 10, width=0)  # shown to lie in 1 … 9, however wide the rule
    assert protected(0, 9, 10, width=5)
    assert not protected(0, 19, 10) and protected(0, 20, 10) and protected(5, math.inf, 10)


def test_frame_cells_reads_rows_totals_and_related_columns():
    df = pd.DataFrame({"시도": ["서울", "계"], "n": ["x", 120], "율": [12.5, 50.0]})
    spec = {
        "population": "p",
        "year": 2022,
        "rows": {"시도": "시도"},
        "totals": ["계"],
        "columns": {"n": {}},
        "related": {"n": ["율"]},
    }
    cells = frame_cells(df, spec, ["n"], "tab")
    assert [(c["by"], c["value"], c["keep"], c["related_shown"]) for c in cells] == [
        ({"시도": "서울", "연도": "2022"}, None, False, ["율"]),
        ({"연도": "2022"}, 120.0, True, ["율"]),
    ]
    with pytest.raises(ValueError, match="not in the table"):
        frame_cells(df, {**spec, "rows": {"시도": "province"}}, ["n"], "tab")


def test_named_rows_take_the_variable_from_a_column_and_link_the_categories_to_the_total():
    # a long table of categories of two characteristics: each row is one category of the variable named in 특성
    df = pd.DataFrame(
        {
            "특성": ["성별", "성별", "혼인", "혼인", "혼인"],
            "범주": ["남", "여", "미혼", "기혼", "이혼"],
            "인원": [40, 60, 55, "x", "x"],
            "평균": [1.5, 2.5, 3.0, "x", 2.0],
        }
    )
    spec = {
        "population": "p",
        "year": 2022,
        "named_rows": {"특성": "범주"},
        "columns": {"인원": {}},
        "related": {"인원": ["평균"]},
    }
    cells = frame_cells(df, spec, ["인원"], "tab")
    assert [(c["by"], c["value"]) for c in cells][2:4] == [
        ({"연도": "2022", "혼인": "미혼"}, 55.0),
        ({"연도": "2022", "혼인": "기혼"}, None),
    ]
    assert cells[4]["related_shown"] == ["평균"]  # a mean beside a hidden count is caught
    led = Ledger()
    led.add_frame(df, spec, ["인원"], "tab")
    led.add(CellKey.make("p", {"연도": 2022}), 100, "prose")
    assert led.domains == {"성별": ["남", "여"], "혼인": ["미혼", "기혼", "이혼"]}
    # the year's total and the sexes agree; the two hidden marital categories share 45 persons
    res = check(led, 10)
    assert {iv.key.get("혼인"): (iv.low, iv.high) for iv in res.intervals} == {"기혼": (0, 45), "이혼": (0, 45)}
    assert res.ok


# ---------------------------------------------------------------- property: random small linked tables
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(st.lists(st.integers(0, 40), min_size=3, max_size=3), min_size=2, max_size=5),
    small=st.integers(1, 9),
)
def test_random_linked_tables_are_protected_after_planning(cells, small):
    """Province × status counts, province totals in one table, national status totals in another."""
    cells[0][0] = small  # at least one primary cell
    provinces = [f"p{i}" for i in range(len(cells))]
    led = Ledger()
    led.set_domain("시도", provinces)
    led.set_domain("IAP", STATUSES)
    for i, row in enumerate(cells):
        for s, v in zip(STATUSES, row):
            led.add(CellKey.make(POP, {"시도": provinces[i], "IAP": s}), v, "tab-III-5")
        led.add(CellKey.make(POP, {"시도": provinces[i]}), sum(row), "tab-III-3")
    for j, s in enumerate(STATUSES):
        led.add(CellKey.make(POP, {"IAP": s}), sum(r[j] for r in cells), "tab-III-4", keep=True)
    led.add(CellKey.make(POP), sum(map(sum, cells)), "tab-fig-III-11", keep=True)
    p = plan(led, T)
    published = Ledger()
    published.domains = {k: list(v) for k, v in led.domains.items()}
    for e in led:
        for src in e.shown:
            published.add(e.key, None if e.key in p.suppressed else e.value, src, keep=e.keep)
    res = check(published, T)
    assert res.ok, res.messages()
    assert not [e for e in published if e.value is not None and 1 <= e.value < T]
    assert all(protected(i.low, i.high, T) for i in res.intervals)


def test_an_unprinted_difference_of_published_counts_is_found_and_planned_for():
    """Intake 100 and assessment 97 published: the 3 persons not assessed are disclosed."""
    led = Ledger()
    led.set_domain("사정", ["참여", "미참여"])
    led.add(CellKey.make("p", {"연도": 2022}), 100, "tab-fig-III-11", keep=True)
    led.add(CellKey.make("p", {"연도": 2022, "사정": "참여"}), 97, "tab-fig-III-11")
    res = check(led, T)
    assert [(f.key.get("사정"), f.low, f.high) for f in res.failures] == [("미참여", 3, 3)]
    assert "unpublished count" in res.messages()[0]
    led.add_implicit(CellKey.make("p", {"연도": 2022, "사정": "미참여"}), 3)
    p = plan(led, T)
    assert p.primary == [] and [k.get("사정") for k in p.complementary] == ["참여"]


# ---------------------------------------------------------------- the check over executed notebooks
def _notebook(path: Path, payloads) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from jahwal.display.nb import COUNT_MIME, TABLE_MIME

    cell = new_code_cell("pass")
    for p in payloads:
        mime = COUNT_MIME if p["key"].startswith("ch") else TABLE_MIME
        cell.outputs.append(new_output("display_data", data={"text/plain": "", mime: p}))
    nb = new_notebook(cells=[cell])
    nbformat.write(nb, path)
    return path


def test_book_check_reads_notebook_payloads_and_names_the_revealing_tables(tmp_path):
    from jahwal.display.nb import Count, Table
    from jahwal.publish.attack_check import check_book
    from jahwal.publish.gate import DisclosureError

    intake, status = _reference_2019()
    tables = _example_tables(intake, status)
    hidden_4 = {CellKey.make(POP, {"연도": 2019, "IAP": s}) for s in ["수립", "미수립"]}
    before = []
    for key, df, spec in tables:
        shown = apply_suppression(df, spec, list(spec["columns"]), hidden_4 if key == "tab-III-4" else set(), key)
        before.append(Table(shown, key, ledger=spec).payload())
    with pytest.raises(DisclosureError) as err:
        check_book([_notebook(tmp_path / "33.ipynb", before)], threshold=T)
    msg = str(err.value)
    assert "[3, 3]" in msg and "tab-III-S1" in msg and "tab-fig-III-11" in msg
    assert "IAP=미수립" in msg and "연도=2019" in msg and "숨긴 칸" in msg

    truth = Ledger()
    for key, df, spec in tables:
        truth.add_frame(df, spec, list(spec["columns"]), key)
    hide = plan(truth, T).suppressed
    after = [
        Table(apply_suppression(df, spec, list(spec["columns"]), hide, key), key, ledger=spec).payload()
        for key, df, spec in tables
    ]
    after.append(Count("ch33_intake_first", intake, population=POP, by={"연도": 2019}).payload())
    report = check_book([_notebook(tmp_path / "33b.ipynb", after)], threshold=T)
    assert report["failures"] == [] and report["suppressed"] == 2 and report["tables"] == 4

    # a glued prose number that prints a hidden count is caught too
    leak = after + [Count("ch33_iap_not", 3, population=POP, by={"연도": 2019, "IAP": "미수립"}).payload()]
    with pytest.raises(DisclosureError, match="below 10"):
        check_book([_notebook(tmp_path / "33c.ipynb", leak)], threshold=T)


def test_book_check_refuses_a_rate_shown_beside_a_hidden_count(tmp_path):
    from jahwal.display.nb import Table
    from jahwal.publish.attack_check import check_book
    from jahwal.publish.gate import DisclosureError

    df = pd.DataFrame({"연도": [2019, 2020], "n": ["x", 500], "율": [0.4, 12.0]})
    spec = {"population": POP, "year_column": "연도", "columns": {"n": {"IAP": "미수립"}}, "related": {"n": ["율"]}}
    with pytest.raises(DisclosureError, match="computed from a suppressed count"):
        check_book([_notebook(tmp_path / "r.ipynb", [Table(df, "tab-r", ledger=spec).payload()])], threshold=T)
