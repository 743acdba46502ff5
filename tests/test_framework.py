"""Chapter Ⅰ design data and the Chapter Ⅴ outcome framework: files, counts, indicators, cross-references."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jahwal import qual
from jahwal.analysis import framework as fw_analysis
from jahwal.analysis import outcomes, stages
from jahwal.analysis.compare import compare_groups
from jahwal.chapters import ch1, ch5
from jahwal.inputs import framework as fw_inputs
from jahwal.inputs import synth
from jahwal.inputs.contract import load_extract
from jahwal.study.params import NotebookParameters
from jahwal.study.text import NOTEBOOK_KEYS

ROOT = Path(__file__).resolve().parents[1]
FW = ROOT / "data" / "framework"
QUAL = ROOT / "data" / "qualitative"
MY_PAGES = [
    ROOT / "notebooks" / "00_summary.ipynb",
    ROOT / "notebooks" / "11_research_design.ipynb",
    ROOT / "notebooks" / "51_outcome_framework.ipynb",
    ROOT / "notebooks" / "52_indicators.ipynb",
    ROOT / "book" / "ch5_tasks.md",
]
TITLES = {
    "00_summary.ipynb": "요약",
    "11_research_design.ipynb": "Ⅰ. 서론과 연구설계",
    "51_outcome_framework.ipynb": "1. 단계·영역별 성과 틀",
    "52_indicators.ipynb": "2. 성과 지표",
    "ch5_tasks.md": "3. 성과관리 과업과 제언",
}


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def corpus():
    return qual.load_corpus(QUAL)


@pytest.fixture(scope="session")
def fw(corpus):
    return fw_inputs.load_framework(FW, codes=corpus.codes)


@pytest.fixture(scope="session")
def small_extract(tmp_path_factory):
    folder = tmp_path_factory.mktemp("framework") / "extract"
    synth.write_extract(folder, scale=0.05, seed=1, years=(2019, 2022))
    return load_extract(folder, "csv", ("2019-01", "2022-12"))


@pytest.fixture(scope="session")
def values(small_extract):
    return fw_analysis.indicator_values(small_extract)


# ---------------------------------------------------------------- the framework files (그림 Ⅴ-1, Ⅴ-2)
def test_framework_covers_every_stage_domain_and_the_seven_subdomains_of_figure_V_1(fw):
    c = fw.cells
    assert set(c["stage"]) == set(fw_inputs.STAGES)
    assert set(c["domain"]) == set(fw_inputs.DOMAINS)
    assert set(c.loc[c["domain"] == "자활역량", "subdomain"]) == set(fw_inputs.SUBDOMAINS)
    # 그림 Ⅴ-1: the participation row has one outcome per stage
    part = c[c["domain"] == "자활참여"].set_index("stage")["outcome"]
    assert part.to_dict() == {
        "초기": "초기탈락 예방",
        "중간": "중도탈락 예방",
        "지속": "자활근로 유지",
        "후속": "자활재진입 감소",
    }
    # 그림 Ⅴ-2 holds the middle and sustained outcomes: everything except the initial and follow-up cells
    assert len(c[c["stage"].isin(["중간", "지속"])]) == len(c) - len(c[c["stage"].isin(["초기", "후속"])])
    # the follow-up outcomes named in the text (9113-9166): work search, family spill-over, conditions, re-entry
    assert set(c.loc[c["stage"] == "후속", "cell_id"]) == {"C04", "C06", "C11", "C21"}


def test_every_cell_has_evidence_and_both_groups_are_linked(fw, corpus):
    assert set(fw.evidence["cell_id"]) == set(fw.cells["cell_id"])
    assert set(fw.evidence["group"]) == set(fw_inputs.GROUPS)
    codes = corpus.codes.set_index("code_id")
    assert (codes.loc[fw.evidence["code_id"], "group"].to_numpy() == fw.evidence["group"].to_numpy()).all()
    assert set(fw.indicators["indicator"]) <= set(fw_inputs.INDICATORS)


def _independent_counts(fw: fw_inputs.Framework) -> dict[tuple[str, str], int]:
    """Quotes per cell and group recomputed from the CSV files, without jahwal.qual."""
    cb = pd.read_csv(QUAL / "codebook.csv", dtype=str, keep_default_na=False)
    sg = pd.read_csv(QUAL / "segments.csv", dtype=str, keep_default_na=False)
    parent = dict(zip(cb["code_id"], cb["parent_id"]))
    level = dict(zip(cb["code_id"], cb["level"]))

    def chain(code):  # the code and its ancestors
        out = []
        while code:
            out.append(code)
            code = parent[code]
        return out

    sg["codes"] = sg["code_ids"].map(lambda s: [c.strip() for c in s.split(";") if c.strip()])
    counts = {}
    for cell in fw.cells["cell_id"]:
        for group in fw_inputs.GROUPS:
            links = fw.evidence[(fw.evidence["cell_id"] == cell) & (fw.evidence["group"] == group)]["code_id"]
            quotes = set()
            for link in links:
                for r in sg[sg["group"] == group].itertuples(index=False):
                    if any(link in chain(c) for c in r.codes):  # at the link or below it
                        quotes.add(r.quote_id)
                        continue
                    for anc in chain(link)[1:]:
                        if level[anc] == "영역":
                            break
                        # coded at the ancestor and nowhere below it
                        if anc in r.codes and not any(anc in chain(c)[1:] for c in r.codes):
                            quotes.add(r.quote_id)
            counts[(cell, group)] = len(quotes)
    return counts


def test_grid_counts_equal_the_corpus(fw, corpus):
    counts = fw_analysis.evidence_counts(fw, corpus)
    got = {(r.cell_id, r.group): r.n_quotes for r in counts.itertuples()}
    assert got == _independent_counts(fw)
    g = fw_analysis.grid(fw, corpus)
    # C09 (중간·사회적 역량) gathers the residents' 사회적 성과 (3), 관계적 성과 (3) and 문제해결의 통로 (6) quotes (표 Ⅳ-7, Ⅳ-8)
    assert g.set_index("cell_id").at["C09", "n_residents"] == 12
    # C04 (자활재진입 감소): one practitioner quote (표 Ⅳ-3, 자활근로 재진입 방지), no resident quote
    assert g.set_index("cell_id").loc["C04", ["n_practitioners", "n_residents", "source"]].tolist() == [1, 0, "실무자"]
    assert (g["n_quotes"] == g["n_practitioners"] + g["n_residents"]).all()  # quote ids never cross groups


def _append_segment(folder: Path, row: dict[str, str]) -> None:
    sg = pd.read_csv(folder / "segments.csv", dtype=str, keep_default_na=False)
    sg = pd.concat([sg, pd.DataFrame([row])], ignore_index=True)
    sg.to_csv(folder / "segments.csv", index=False)


def test_new_coded_segments_change_the_counts(fw, corpus, tmp_path):
    before = fw_analysis.grid(fw, corpus).set_index("cell_id")
    folder = tmp_path / "qual"
    shutil.copytree(QUAL, folder)
    base = {"within": "", "report_line": "", "coder": "test", "memo": ""}
    _append_segment(
        folder,
        {
            **base,
            "segment_id": "PX1",
            "quote_id": "PX1",
            "group": "practitioners",
            "session_id": "PS1",
            "participant_id": "P01",
            "code_ids": "P3.3.2.a",
            "text": "술을 스스로 줄이게 되었어요.",
        },
    )
    # a resident quote coded finely at R8.D3.a evidences C10 only, not the other cells linked under R8.D3
    _append_segment(
        folder,
        {
            **base,
            "segment_id": "RX1",
            "quote_id": "RX1",
            "group": "residents",
            "session_id": "RS1",
            "participant_id": "R01",
            "code_ids": "R8.D3.a",
            "text": "사업단 다툼이 잦아들었어요.",
        },
    )
    after = fw_analysis.grid(fw, qual.load_corpus(folder)).set_index("cell_id")
    diff = after[["n_practitioners", "n_residents"]] - before[["n_practitioners", "n_residents"]]
    changed = diff[(diff != 0).any(axis=1)]
    assert changed.to_dict("index") == {
        "C05": {"n_practitioners": 1, "n_residents": 0},
        "C10": {"n_practitioners": 0, "n_residents": 1},
    }


def test_parent_matches_are_reported_per_link(fw, corpus):
    seg = fw_analysis.evidence_segments(fw, corpus)
    # residents' 표 Ⅳ-8 quotes are coded at the theme: R8.D6 has 4 quotes, shared by its linked codes
    d6 = seg[seg["code_id"].isin(["R8.D6.a", "R8.D6.d"])]
    assert d6.groupby("code_id")["quote_id"].nunique().to_dict() == {"R8.D6.a": 4, "R8.D6.d": 4}
    assert set(d6["match"]) == {"parent"}
    table = ch5.evidence_table(fw, corpus)
    assert len(table) == len(fw.evidence)
    assert table.loc[table["코드"] == "R8.D6.d", "인용 수"].item() == 4


def _copy_framework(tmp_path: Path) -> Path:
    folder = tmp_path / "fw"
    shutil.copytree(FW, folder)
    return folder


def test_unknown_code_names_file_column_and_row(corpus, tmp_path):
    folder = _copy_framework(tmp_path)
    ev = pd.read_csv(folder / "evidence.csv", dtype=str, keep_default_na=False)
    ev.loc[4, "code_id"] = "P9.9"
    ev.to_csv(folder / "evidence.csv", index=False)
    with pytest.raises(fw_inputs.FrameworkError) as e:
        fw_inputs.load_framework(folder, codes=corpus.codes)
    msg = str(e.value)
    assert "evidence.csv" in msg and "'code_id'" in msg and "6행" in msg and "P9.9" in msg and "unknown code" in msg


def test_bad_cells_and_indicators_are_refused_whole(corpus, tmp_path):
    folder = _copy_framework(tmp_path)
    cells = pd.read_csv(folder / "cells.csv", dtype=str, keep_default_na=False)
    cells.loc[0, "stage"] = "말기"
    cells.loc[4, "subdomain"] = "체력"
    cells.to_csv(folder / "cells.csv", index=False)
    ind = pd.read_csv(folder / "indicators.csv", dtype=str, keep_default_na=False)
    ind.loc[1, "cell_id"] = "C99"
    ind.loc[2, "indicator"] = "happiness"
    ind.to_csv(folder / "indicators.csv", index=False)
    with pytest.raises(fw_inputs.FrameworkError) as e:
        fw_inputs.load_framework(folder, codes=corpus.codes)
    msg = str(e.value)
    assert "cells.csv: 열 'stage' 2행의 값 '말기'" in msg
    assert "cells.csv: 열 'subdomain' 6행" in msg
    assert "indicators.csv: 열 'cell_id' 3행의 값 'C99'" in msg
    assert "indicators.csv: 열 'indicator' 4행의 값 'happiness'" in msg


def test_missing_file_and_code_of_another_group(corpus, tmp_path):
    folder = _copy_framework(tmp_path)
    (folder / "indicators.csv").unlink()
    with pytest.raises(fw_inputs.FrameworkError, match="indicators.csv: 파일이 없습니다 / file not found"):
        fw_inputs.load_framework(folder)
    folder2 = _copy_framework(tmp_path / "b")
    ev = pd.read_csv(folder2 / "evidence.csv", dtype=str, keep_default_na=False)
    ev.loc[0, "group"] = "residents"  # P3.1.a is a practitioners' code
    ev.to_csv(folder2 / "evidence.csv", index=False)
    with pytest.raises(fw_inputs.FrameworkError, match=r"evidence.csv: 열 'group' 2행"):
        fw_inputs.load_framework(folder2, codes=corpus.codes)
    # loaded without a codebook, the evidence is checked again when counted
    fw2 = fw_inputs.load_framework(folder2)
    with pytest.raises(fw_inputs.FrameworkError, match="2행: 코드 'P3.1.a'는 코드북에서 'practitioners' 집단"):
        fw_analysis.evidence_counts(fw2, corpus)


def test_grid_table_and_figures(fw, corpus):
    import matplotlib

    from jahwal.display.figures import set_theme

    matplotlib.use("Agg")
    set_theme()
    g = fw_analysis.grid(fw, corpus)
    t = ch5.grid_table(g)
    assert t.columns.tolist() == ["단계", "영역", "성과", "내용", "실무자 인용", "주민 인용", "근거", "지표", "배치"]
    assert t["단계"].tolist()[:2] == ["초기성과", "초기성과"] and t["단계"].iloc[-1] == "후속성과"
    s = fw_analysis.grid_summary(g)
    assert (
        s["n_cells"] == 21
        and s["n_common"] + s["n_practitioners_only"] + s["n_residents_only"] + s["n_without_evidence"] == 21
    )
    text, shades, note = ch5.grid_cells(g)
    assert text.columns.tolist() == ["영역", "하위 영역", "초기성과", "중간성과", "지속성과", "후속성과"]
    assert text.shape == shades.shape == (len(ch5.GRID_ROWS), 6)
    assert text["영역"].tolist()[:2] == ["자활참여", "자활역량"] and text["하위 영역"].iloc[0] == "–"
    filled = (text[["초기성과", "중간성과", "지속성과", "후속성과"]] != "–").to_numpy().sum()
    assert filled == s["n_cells"] == 21
    top = g.loc[g["n_quotes"].idxmax()]
    row = ch5.GRID_ROWS.index((top["domain"], top["subdomain"]))
    col = ch5.STAGE_TITLES[top["stage"]]
    assert text.at[row, col].startswith(top["outcome"]) and shades.at[row, col] == 3
    assert f"실무자 {top['n_practitioners']} · 주민 {top['n_residents']}" in text.at[row, col]
    assert "◆" in note and set(shades.to_numpy().ravel()) <= {0, 1, 2, 3}
    assert ch5.grid_cells(g, ("중간", "지속"))[0].columns.tolist() == ["영역", "하위 영역", "중간성과", "지속성과"]
    with pytest.raises(ValueError, match="단계"):
        ch5.grid_cells(g, ("말기",))


# ---------------------------------------------------------------- indicators equal Chapter Ⅲ
def test_rate_and_mean_indicators_equal_the_stage_functions(small_extract, values):
    v = values.set_index(["indicator", "year"])["value"]
    ia = stages.intake_assessment_by_year(small_extract)
    for r in ia.itertuples():
        assert v[("assessment_rate", r.year)] == r.assessed_rate
    for key, col in (("iap_rate", "iap_status"), ("isp_rate", "isp_status")):
        s = stages.status_by_year(small_extract, col)
        for year, g in s.groupby("year"):
            hit = g.loc[g["status"] == "수립", "pct"]
            assert v[(key, year)] == (hit.iloc[0] if len(hit) else 0.0)
    for r in stages.counselling_by_year(small_extract).itertuples():
        assert v[("counselling_mean", r.year)] == r.mean
    for r in stages.post_closure_by_year(small_extract).itertuples():
        assert v[("post_closure_rate", r.year)] == r.post_rate
    assert set(values["year"]) == {2019, 2020, 2021, 2022}


def test_gap_indicators_equal_compare_groups_and_chapter_III_tests(small_extract, values):
    v = values.set_index(["indicator", "year"])
    for key, spec in fw_inputs.INDICATORS.items():
        if spec.kind != "gap":
            continue
        for year in (2019, 2022):
            data = stages.outcome_data(small_extract, year)
            col = f"group_{spec.group}"
            if min((data[col] == "수행").sum(), (data[col] == "미수행").sum()) < 2:
                assert np.isnan(v.at[(key, year), "value"]), key
                continue
            r = compare_groups(data, spec.outcome, col).iloc[0]
            assert v.at[(key, year), "value"] == r["diff"], key
            assert v.at[(key, year), "p"] == r["p"], key
    tests = outcomes.outcome_tests(small_extract, 2022, threshold=10).set_index("table_id")
    for key, spec in fw_inputs.INDICATORS.items():
        if spec.kind == "gap" and not tests.at[spec.reference, "suppressed"]:
            assert v.at[(key, 2022), "value"] == tests.at[spec.reference, "diff"], spec.reference


def test_suppression_trends_and_table(fw, values):
    m = ch5.mark_suppressed(values, 10)
    gaps = m[m["indicator"].map(lambda k: fw_inputs.INDICATORS[k].kind == "gap")]
    assert (gaps["suppressed"] == (gaps[["n1", "n2"]].min(axis=1) < 10)).all()
    huge = ch5.mark_suppressed(values, 10**9)
    assert huge["suppressed"].all()
    tr = fw_analysis.indicator_trends(huge)
    assert (tr["direction"] == "–").all()
    table = ch5.indicator_table(fw, huge, tr)
    year_cols = [c for c in table.columns if c.endswith("년")]
    assert year_cols == ["2019년", "2020년", "2021년", "2022년"]
    assert (table[year_cols] == "x").all().all()
    tr = fw_analysis.indicator_trends(m)
    shown = m[(m["indicator"] == "assessment_rate") & ~m["suppressed"]].sort_values("year")
    row = tr.set_index("indicator").loc["assessment_rate"]
    assert row["change"] == pytest.approx(shown["value"].iloc[-1] - shown["value"].iloc[0])
    assert row["slope"] == pytest.approx(np.polyfit(shown["year"], shown["value"], 1)[0])
    with pytest.raises(ValueError, match="mark_suppressed"):
        fw_analysis.indicator_trends(values)


def test_unknown_indicator_is_a_value_error(small_extract):
    with pytest.raises(ValueError, match="알 수 없는 지표"):
        fw_analysis.indicator_values(small_extract, ["happiness"])


# ---------------------------------------------------------------- Chapter Ⅰ design data
def test_design_files_load_and_link_to_code_and_contract():
    d = fw_inputs.load_design(FW)
    assert len(d["process"]) == 6  # 그림 Ⅰ-1: six stages
    assert len(d["selection"]) == 5  # 그림 Ⅰ-2: five steps
    assert len(d["data_scope"]) == 4  # 표 Ⅰ-1: four groups of data
    crit = d["fgi_criteria"]
    # 표 Ⅰ-2: two selection and three exclusion criteria; 표 Ⅰ-3: three and two
    assert crit.groupby(["group", "kind"]).size().to_dict() == {
        ("practitioners", "구성"): 1,
        ("practitioners", "선정"): 2,
        ("practitioners", "제외"): 3,
        ("residents", "구성"): 1,
        ("residents", "선정"): 3,
        ("residents", "제외"): 2,
    }
    for f in d["processing_rules"]["functions"].str.split(";").explode():
        assert callable(fw_inputs.resolve_function(f))
    table = ch1.processing_rules_table(d, NotebookParameters().model_dump())
    assert "window_start = 2019-01, window_end = 2022-12" in table["매개변수"].tolist()
    assert "suppression_threshold = 10" in table["매개변수"].tolist()
    with pytest.raises(ValueError, match="매개변수 값이 없습니다"):
        ch1.processing_rules_table(d, {})


def test_design_errors_name_the_row(tmp_path):
    folder = _copy_framework(tmp_path)
    rules = pd.read_csv(folder / "design" / "processing_rules.csv", dtype=str, keep_default_na=False)
    rules.loc[1, "functions"] = "jahwal.inputs.contract.no_such_function"
    rules.loc[2, "parameters"] = "window_begin"
    rules.to_csv(folder / "design" / "processing_rules.csv", index=False)
    scope = pd.read_csv(folder / "design" / "data_scope.csv", dtype=str, keep_default_na=False)
    scope.loc[0, "extract_columns"] += ";participants.education"
    scope.to_csv(folder / "design" / "data_scope.csv", index=False)
    with pytest.raises(fw_inputs.FrameworkError) as e:
        fw_inputs.load_design(folder)
    msg = str(e.value)
    assert "processing_rules.csv: 열 'functions' 3행" in msg
    assert "processing_rules.csv: 열 'parameters' 4행의 'window_begin'" in msg
    assert "data_scope.csv: 열 'extract_columns' 2행의 'participants.education'" in msg


def test_tenure_criterion_against_tables_IV_1_and_IV_6(corpus):
    d = fw_inputs.load_design(FW)
    check = fw_analysis.fgi_tenure_check(d, corpus.participants).set_index("group")
    # 표 Ⅳ-1: practitioners 13 (11개월) and 16 (9개월); 표 Ⅳ-6: resident 8 (10개월) fall short of one year
    assert check.loc["practitioners", ["n_participants", "n_below"]].tolist() == [22, 2]
    assert check.loc["residents", ["n_participants", "n_below"]].tolist() == [25, 1]


def test_extract_counts_follow_the_loading_rules(small_extract):
    c = fw_analysis.extract_counts(small_extract).set_index("year")
    assert c["participants_n"].to_dict() == small_extract.participants.groupby("year").size().to_dict()
    ia = stages.intake_assessment_by_year(small_extract).set_index("year")
    assert c["stages_n"].to_dict() == ia["intake_n"].to_dict()
    cy = stages.counselling_by_year(small_extract).set_index("year")
    assert c.loc[cy.index, "counselled_n"].to_dict() == cy["persons_n"].to_dict()
    t = ch1.extract_counts_table(small_extract, 10**9)
    assert (t["상담 경험자"] == "x").all() and (t["상담 건수"] != "x").all()


# ---------------------------------------------------------------- pages: titles, parameters, cross-references
def _page_sources(path: Path) -> tuple[list[str], list[str]]:
    """Markdown and code sources of a page."""
    if path.suffix == ".md":
        return [path.read_text(encoding="utf-8")], []
    nb = json.loads(path.read_text(encoding="utf-8"))
    md = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    return md, code


def _defined_labels() -> set[str]:
    labels = set()
    for path in list((ROOT / "notebooks").glob("*.ipynb")) + list((ROOT / "book").glob("*.md")):
        md, _ = _page_sources(path)
        for text in md:
            labels |= set(re.findall(r"^:name:\s*(\S+)\s*$", text, re.M))
            labels |= set(re.findall(r"^\(([A-Za-z0-9_-]+)\)=\s*$", text, re.M))
    return labels


ROLE_RE = re.compile(r"\{(ref|numref|doc)\}`([^`]+)`")


def _target(text: str) -> str:
    m = re.search(r"<([^>]+)>\s*$", text)
    return (m.group(1) if m else text).strip()


def test_my_pages_have_their_titles_and_known_parameters():
    allowed = set(NotebookParameters.model_fields) | set(NOTEBOOK_KEYS)
    for path in MY_PAGES:
        md, code = _page_sources(path)
        assert md[0].splitlines()[0] == f"# {TITLES[path.name]}", path.name
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            params = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
            assert len(params) == 1 and nb["cells"][1] is params[0], path.name
            names = re.findall(r"^(\w+)\s*=", "".join(params[0]["source"]), re.M)
            assert names and set(names) <= allowed, (path.name, set(names) - allowed)
            assert "nb.setup(" in code[1], path.name


def test_every_cross_reference_of_my_pages_resolves():
    labels = _defined_labels()
    seen = 0
    for path in MY_PAGES:
        md, _ = _page_sources(path)
        for text in md:
            for role, body in ROLE_RE.findall(text):
                seen += 1
                target = _target(body)
                if role == "doc":
                    base = (path.parent / target).resolve()
                    assert base.with_suffix(".md").exists() or base.with_suffix(".ipynb").exists(), (path.name, target)
                else:
                    assert target in labels, (
                        f"{path.name}: {{{role}}}`{target}` is not defined by any :name: or (label)="
                    )
    assert seen >= 30


def test_glued_keys_of_my_notebooks_are_glued_on_the_same_page():
    for path in MY_PAGES:
        if path.suffix != ".ipynb":
            continue
        md, code = _page_sources(path)
        used = set(re.findall(r"\{glue:(?:text|figure)?\}`([^`]+)`", "\n".join(md)))
        used |= set(re.findall(r"```\{glue:figure\}\s+(\S+)", "\n".join(md)))
        src = "\n".join(code)
        prefixes = set(re.findall(r"f\"([A-Za-z0-9_]+)\{", src))
        for key in used:
            literal = f'"{key}"' in src
            assert literal or any(key.startswith(p) for p in prefixes), f"{path.name}: glue key {key} is never glued"
