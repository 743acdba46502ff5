"""Chapter Ⅱ: the overseas evaluation elements (표 Ⅱ-1–Ⅱ-6), the Korean records,
the gap between them, the policy diagrams and the PRISMA check wording."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from jahwal.analysis import literature as lit_analysis
from jahwal.analysis.lit_gap import dimension_gap
from jahwal.chapters import ch2
from jahwal.display.diagrams import DIAGRAM_CSS
from jahwal.inputs import literature as lit_inputs
from jahwal.inputs.lit_elements import load_diagrams, load_domestic_records, load_overseas_elements
from jahwal.study import prisma

ROOT = Path(__file__).resolve().parents[1]
LIT = ROOT / "data" / "literature"


@pytest.fixture(scope="module")
def elements() -> pd.DataFrame:
    return load_overseas_elements(LIT)


@pytest.fixture(scope="module")
def vocab() -> pd.DataFrame:
    return lit_inputs.load_vocabulary(LIT)


@pytest.fixture
def folder(tmp_path) -> Path:
    dst = tmp_path / "literature"
    shutil.copytree(LIT, dst)
    return dst


def _edit(path: Path, row: int, column: str, value: str) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row - 2, column] = value
    df.to_csv(path, index=False, lineterminator="\n")


def test_every_chapter_ii_row_cites_a_key_that_resolves(elements):
    keys = set(lit_inputs.load_bibliography(LIT)["bibtex_key"])
    cited = [k for ks in elements["keys"] for k in ks]
    cited += load_domestic_records(LIT)["bibtex_key"].tolist()
    cited += load_diagrams(LIT)["bibtex_key"].tolist()
    assert cited and all(k in keys for k in cited)
    assert all(len(ks) >= 1 for ks in elements["keys"])


def test_items_per_table_follow_the_report(elements):
    n = elements.groupby("table_id").size()
    # 표 Ⅱ-2 (8 CCMC domains), 표 Ⅱ-4 (5 example indicators), 표 Ⅱ-6 (8 success factors)
    assert (n["표 Ⅱ-2"], n["표 Ⅱ-4"], n["표 Ⅱ-6"]) == (8, 5, 8)
    # 표 Ⅱ-1 lists five elements; its cost-benefit element names four perspectives (one row each)
    t1 = elements[elements["table_id"] == "표 Ⅱ-1"]
    assert len(t1) - (t1["group_ko"] == "비용편익 분석").sum() + 1 == 5
    assert set(elements.loc[elements["table_id"] == "표 Ⅱ-2", "bibtex_keys"]) == {"ccmc2023"}
    assert set(elements.loc[elements["table_id"] == "표 Ⅱ-6", "bibtex_keys"]) == {"ross2011"}
    assert elements.loc[elements["table_id"] == "표 Ⅱ-4", "element_en"].str.contains("30 days").sum() == 1


def test_element_table_shows_dimension_labels_and_keys(elements, vocab):
    t = ch2.element_table(elements, "표 Ⅱ-2", vocab)
    assert t["성과 차원"].tolist() == [
        "건강·신체기능",
        "비용·효율",
        "삶의 질·일상",
        "경험·만족",
        "건강·신체기능",
        "정서·심리",
        "역량·주체성",
        "역량·주체성",
    ]
    assert set(t["출처(BibTeX 키)"]) == {"ccmc2023"}
    t1 = ch2.element_table(elements, "표 Ⅱ-1", vocab)
    assert "구분" in t1.columns and t1["성과 차원"].iloc[-1] == "(방법: 혼합 방법)"
    with pytest.raises(ValueError, match="표 Ⅱ-9"):
        ch2.element_table(elements, "표 Ⅱ-9", vocab)


def test_gap_names_dimensions_measured_overseas_but_not_recorded(elements, vocab):
    gap = dimension_gap(elements, load_domestic_records(LIT), vocab)
    g = gap.set_index("dimension")
    assert g.loc["health", "n_elements"] == 3 and g.loc["health", "gap"]
    assert not g.loc["employment", "gap"] and g.loc["employment", "recorded"]
    assert g.loc["benefit_exit", "n_elements"] == 0 and not g.loc["benefit_exit", "gap"]
    values = ch2.gap_values(gap)
    assert values["n_gap"] == 7 and values["gap_names"].startswith("정서·심리")
    html = ch2.gap_diagram(gap)._repr_html_()
    assert html.count("jd-bar jd-gap") == 7 and "건강·신체기능" in html


def test_unknown_key_and_dimension_are_named(folder):
    path = folder / "overseas_elements.csv"
    _edit(path, 4, "bibtex_keys", "warren1996; nosuch2020")
    _edit(path, 11, "dimension", "wellness")
    with pytest.raises(lit_inputs.LiteratureError) as err:
        load_overseas_elements(folder)
    msg = str(err.value)
    assert f"{path} 4행, 열 'bibtex_keys', 값 'nosuch2020'" in msg and "references.bib" in msg
    assert f"{path} 11행, 열 'dimension', 값 'wellness'" in msg and "vocabulary" in msg
    assert "오류가 2개" in msg


def test_diagram_rows_are_checked(folder):
    path = folder / "policy_diagrams.csv"
    _edit(path, 7, "step", "9")
    with pytest.raises(lit_inputs.LiteratureError, match=r"7행, 열 'step', 값 '9'.*no such step"):
        load_diagrams(folder)


def test_diagrams_carry_every_box_as_text():
    nodes = load_diagrams(LIT)
    fig1 = ch2.policy_diagram(nodes, "그림 Ⅱ-1")
    html = fig1._repr_html_()
    labels = nodes.loc[nodes["figure_id"] == "그림 Ⅱ-1", "label"]
    assert all(f">{lab}<" in html for lab in labels)
    # 11 stakeholder groups with whom results are shared (CCMC 2018, report l.1288-1297)
    assert len(nodes[(nodes["figure_id"] == "그림 Ⅱ-1") & (nodes["kind"] == "item")]) == 11
    fig5 = ch2.policy_diagram(nodes, "그림 Ⅱ-5")._repr_html_()
    assert fig5.index("jd-span-label") < fig5.index(">지자체 의뢰<") < fig5.index(">종결<")
    assert ch2.diagram_sources(nodes, "그림 Ⅱ-4") == "{cite:p}`mohw2023guide`"


def test_diagram_text_is_never_smaller_than_nine_css_pixels():
    sizes = [float(v) for v in re.findall(r"font-size:([\d.]+)rem", DIAGRAM_CSS)]
    assert sizes and min(sizes) * 16 >= 9


def test_prisma_without_counts_says_checks_could_not_run():
    checks = prisma.check_prisma(None)
    text = ch2.prisma_check_sentence(checks)
    assert "할 수 없었습니다" in text and "맞았습니다" not in text
    assert set(ch2.prisma_check_table(checks)["결과"]) == {"점검할 수 없음"}
    ok = {
        "database_results": 120,
        "register_results": 0,
        "duplicates": 20,
        "excluded_automatic": 0,
        "excluded_other": 0,
        "records_screened": 100,
        "records_excluded": 70,
        "reports_sought": 30,
        "reports_not_retrieved": 2,
        "reports_assessed": 28,
        "reports_excluded": {"대상 불일치": 10},
        "reports_included": 18,
        "studies_included": 17,
    }
    assert (
        ch2.prisma_check_sentence(prisma.check_prisma(ok))
        == "점검 5개 가운데 5개를 할 수 있었고, 그중 5개가 맞았습니다."
    )


def test_diagram_rules_come_from_the_policy_indicators():
    nodes = load_diagrams(LIT)
    ind = lit_inputs.load_policy(LIT, "indicators")
    text = ch2.policy_diagram(nodes, "그림 Ⅱ-2", ind).text
    months = lit_analysis.indicator_value(ind, "gateway_months")
    assert f"{months}개월 안에" in text and "{" not in text
    with pytest.raises(ValueError, match="no indicator"):
        ch2.policy_diagram(nodes, "그림 Ⅱ-2")
