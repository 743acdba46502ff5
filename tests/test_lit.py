"""Tests for jahwal.inputs.literature: the Chapter Ⅱ literature matrix, policy tables and PRISMA checks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pybtex.database import parse_file, parse_string

from jahwal.analysis import literature as lit_analysis
from jahwal.chapters import ch2
from jahwal.inputs import literature as lit_inputs
from jahwal.publish import bibtex
from jahwal.study import prisma
from jahwal.study.params import NotebookParameters, ParamsError, load_params

ROOT = Path(__file__).resolve().parents[1]
LIT = ROOT / "data" / "literature"


@pytest.fixture(scope="module")
def matrix() -> pd.DataFrame:
    return lit_inputs.load_matrix(LIT)


@pytest.fixture(scope="module")
def vocab() -> pd.DataFrame:
    return lit_inputs.load_vocabulary(LIT)


@pytest.fixture(scope="module")
def research(matrix) -> pd.DataFrame:
    return lit_analysis.filter_matrix(matrix, work_types=["research"])


@pytest.fixture
def folder(tmp_path) -> Path:
    """A writable copy of the literature folder."""
    dst = tmp_path / "literature"
    shutil.copytree(LIT, dst)
    return dst


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` is the line number in the file (header = 1)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row - 2, column] = value
    df.to_csv(path, index=False, lineterminator="\n")


# ------------------------------------------------------------------ the matrix
def test_matrix_counts_overseas_domestic_documents(matrix):
    counts = matrix.groupby(["region", "work_type"]).size().to_dict()
    assert counts == {("해외", "research"): 31, ("국내", "research"): 39, ("국내", "document"): 14}
    assert matrix["id"].is_unique and matrix["bibtex_key"].is_unique


def test_every_matrix_row_has_a_bib_entry_and_nothing_else(matrix):
    bib = lit_inputs.load_bibliography(LIT)
    assert set(matrix["bibtex_key"]) == set(bib["bibtex_key"])
    years = dict(zip(bib["bibtex_key"], bib["year"]))
    for key, year in zip(matrix["bibtex_key"], matrix["year"]):
        assert years[key] == ("" if pd.isna(year) else str(int(year))), key


def test_pybtex_parses_korean_authors():
    data = parse_string("@misc{x, author = {박지영 and 박수지}, year = {2021}}", "bibtex")
    names = [p.last_names for p in data.entries["x"].persons["author"]]
    assert names == [["박지영"], ["박수지"]]
    bib = parse_file(str(LIT / "references.bib"))
    assert [str(p) for p in bib.entries["leeky2008"].persons["author"]] == ["이기연", "박지영", "이은정"]
    assert [str(p) for p in bib.entries["parkjy2021"].persons["author"]] == ["박지영", "others"]
    corp = bib.entries["kdisw2023manual"].persons["author"]
    assert len(corp) == 1 and "한국자활복지개발원" in str(corp[0])


def test_bibtex_keys_are_ascii(matrix):
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in matrix["bibtex_key"])


def test_vocabulary_covers_every_code(matrix, vocab):
    dims = set(vocab.query("kind == 'dimension'")["code"])
    used = {d for t in matrix["dimensions"] for d in t}
    assert used <= dims and len(dims) == 14
    assert set(matrix["method"]) <= set(vocab.query("kind == 'method'")["code"])


def test_region_follows_country(matrix):
    assert (matrix["region"].eq("국내") == matrix["country"].eq("KR")).all()


def test_filter_by_country_code_or_label_and_years(matrix):
    by_code = lit_analysis.filter_matrix(matrix, countries=["GB"])
    by_label = lit_analysis.filter_matrix(matrix, countries=["영국"])
    assert by_code["id"].tolist() == by_label["id"].tolist()
    assert len(by_code) == 7
    recent = lit_analysis.filter_matrix(matrix, year_min=2020, year_max=2023)
    assert recent["year"].between(2020, 2023).all() and len(recent) == 16
    assert lit_analysis.filter_matrix(matrix, countries=[])["id"].tolist() == matrix["id"].tolist()
    with pytest.raises(ValueError, match="ZZ"):
        lit_analysis.filter_matrix(matrix, countries=["ZZ"])
    with pytest.raises(ValueError, match="year_min"):
        lit_analysis.filter_matrix(matrix, year_min=2020, year_max=2010)
    with pytest.raises(ValueError, match="목록"):
        lit_analysis.filter_matrix(matrix, countries="KR")


# ------------------------------------------------------------------ tables of the chapter equal the matrix
def _count(m: pd.DataFrame, dim: str, **where) -> int:
    sub = m
    for col, val in where.items():
        sub = sub[sub[col] == val]
    return int(sub["outcome_dimensions"].map(lambda s: dim in s.split(";")).sum())


def test_evidence_map_counts_equal_the_matrix(research, vocab):
    em = lit_analysis.evidence_map(research, vocab)
    assert len(em) == research["country"].nunique() * 14
    for r in em.itertuples():
        assert r.n_works == _count(research, r.dimension, country=r.group), (r.group, r.dimension)
    assert em["n_works"].sum() == sum(len(t) for t in research["dimensions"])
    assert em["group"].iloc[0] == "KR"
    assert em.query("group == 'KR' and dimension == 'process'")["n_works"].item() == 21


def test_method_period_table_sums_to_the_matrix(research, vocab):
    t = lit_analysis.works_by_method_period(research, vocab)
    assert t["n_works"].sum() == len(research) == 70
    early = t[t["period"] == "1999년 이전"].set_index("method")["n_works"].to_dict()
    assert early == {"not_reported": 3, "economic": 1}
    unknown = int(t.loc[t["period"] == lit_analysis.UNKNOWN_PERIOD, "n_works"].sum())
    assert unknown == int(research["year"].isna().sum()) == 4


def test_dimension_contrast_counts_equal_the_matrix(research, vocab):
    c = lit_analysis.dimension_contrast(research, vocab).set_index("dimension")
    coded = research[research["dimensions"].map(len) > 0]
    base_o = int((coded["region"] == "해외").sum())
    base_d = int((coded["region"] == "국내").sum())
    assert (c["base_overseas"] == base_o).all() and (c["base_domestic"] == base_d).all()
    for dim in c.index:
        assert c.at[dim, "n_overseas"] == _count(research, dim, region="해외")
        assert c.at[dim, "n_domestic"] == _count(research, dim, region="국내")
    assert c.at["process", "pct_domestic"] == pytest.approx(100 * 21 / base_d)
    assert lit_analysis.top_dimension(c.reset_index(), "국내")["dimension"] == "process"
    assert lit_analysis.top_dimension(c.reset_index(), "해외")["dimension"] == "employment"


def test_matrix_table_has_one_row_per_work(matrix):
    t = ch2.matrix_table(matrix)
    assert len(t) == 84 and t["BibTeX 키"].tolist() == matrix["bibtex_key"].tolist()
    assert t.loc[t["BibTeX 키"] == "southplains_top", "문헌"].item().endswith("(연도 미상)")


def test_citation_list_cites_every_row(matrix):
    md = ch2.citation_list_md(matrix, region="해외")
    keys = re.findall(r"\{cite:t\}`([^`]+)`", md)
    assert keys == matrix.loc[matrix["region"] == "해외", "bibtex_key"].tolist()


# ------------------------------------------------------------------ policy tables (report numbers)
def test_tab_II_7_totals_match_the_reported_coverage():
    staff = lit_inputs.load_policy(LIT, "staff")
    ind = lit_inputs.load_policy(LIT, "indicators")
    assert staff["province"].nunique() == 16 and "세종" not in set(staff["province"])
    tot = lit_analysis.staff_totals(staff, lit_analysis.indicator_value(ind, "centres_total"))
    assert tot[["centres", "persons"]].values.tolist() == [[125, 125], [164, 164], [142, 146]]
    assert tot["pct_centres"].round(1).tolist() == [50.0, 65.6, 56.8]
    table = ch2.staff_table(staff)
    assert table.iloc[-1, 1:].tolist() == [125, 125, 164, 164, 142, 146]


def test_tab_II_8_roles_per_holder():
    roles = lit_inputs.load_policy(LIT, "team_roles")
    t = ch2.team_roles_table(roles)
    assert t["담당자"].tolist() == [
        "센터장(또는 실장)",
        "자활사례관리사",
        "게이트웨이 전담관리자",
        "통장사례관리사",
        "자활사업팀",
    ]
    assert t["역할 수"].tolist() == [5, 7, 9, 9, 4]
    assert (roles["source_page"] == "5").all()


def test_fig_II_3_procedure_has_six_stages():
    proc = lit_inputs.load_policy(LIT, "procedure")
    assert proc.groupby("step").size().tolist() == [3, 5, 2, 3, 3, 1]
    t = ch2.procedure_table(proc)
    assert t["단계"].iloc[0] == "STEP 01 인테이크" and len(t) == 17


def test_tab_II_14_three_plans_five_tasks_each():
    plans = lit_inputs.load_policy(LIT, "plans")
    t = ch2.plans_table(plans)
    assert list(t.columns) == ["구분", "제1차 기본계획", "제2차 기본계획", "제3차 기본계획"]
    assert t.iloc[0, 1:].tolist() == ["2018–2020년", "2021–2023년", "2024–2026년"]
    assert len(t) == 7 and (t.iloc[2:, 1:] != "").all().all()


def test_tab_II_12_award_totals_and_II_9_II_10_series():
    awards = lit_inputs.load_policy(LIT, "awards")
    t = ch2.awards_table(awards).set_index("연도")
    assert t["합계"].tolist() == [276, 254, 286]
    assert pd.isna(t.loc["2021년", "실패사례"])
    ind = lit_inputs.load_policy(LIT, "indicators")
    assert lit_analysis.indicator_series(ind, "cm_budget")["value"].tolist() == [1740000, 1756000, 2100000, 2515000]
    assert ch2.indicator_table(ind, "case_managers", "배치").iloc[0, 1:].tolist() == [60, 77, 90, 125]


def test_policy_keys_resolve():
    keys = set(lit_inputs.load_bibliography(LIT)["bibtex_key"])
    events = lit_inputs.load_policy(LIT, "timeline")
    cited = {k for cell in events["bibtex_keys"] for k in cell.split("; ") if k}
    assert cited <= keys and "mohw2023plan" in cited


# ------------------------------------------------------------------ citations in the book
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def _cited_keys() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        out[nb.name] = {k.strip() for m in CITE.findall(text) for k in m.split(",")}
    for md in sorted((ROOT / "book").glob("*.md")):
        out[md.name] = {k.strip() for m in CITE.findall(md.read_text(encoding="utf-8")) for k in m.split(",")}
    return out


def test_every_cited_key_resolves():
    keys = set(lit_inputs.load_bibliography(LIT)["bibtex_key"])
    cited = _cited_keys()
    missing = {f: sorted(k - keys) for f, k in cited.items() if k - keys}
    assert not missing, f"references.bib에 없는 인용 키 / unresolved citation keys: {missing}"
    assert len(cited["21_evidence_map.ipynb"]) >= 5 and len(cited["22_policy_context.ipynb"]) >= 5


def test_bibliography_page_lists_all_works():
    text = (ROOT / "book" / "bibliography.md").read_text(encoding="utf-8")
    assert text.startswith("# 참고문헌") and "{bibliography}" in text and ":all:" in text


# ------------------------------------------------------------------ PRISMA
VALID = dict(
    database_results=120,
    register_results=0,
    duplicates=20,
    excluded_automatic=0,
    excluded_other=0,
    records_screened=100,
    records_excluded=70,
    reports_sought=30,
    reports_not_retrieved=2,
    reports_assessed=28,
    reports_excluded={"대상 불일치": 6, "성과 미보고": 4},
    other_results=12,
    other_sought=10,
    other_not_retrieved=1,
    other_assessed=9,
    other_excluded={"중복 보고": 3},
    reports_included=24,
    studies_included=22,
)


def test_prisma_valid_counts_pass_every_check():
    checks = prisma.check_prisma(VALID)
    assert checks["status"].eq("ok").all() and len(checks) == 7
    assert checks.set_index("check").at["reports_included", "expected"] == 24
    assert ch2.prisma_status_ko(VALID).endswith("모두 맞습니다")
    lit_analysis.validate_prisma(VALID)


def test_prisma_not_reported_is_said_not_invented():
    checks = prisma.check_prisma(None)
    assert checks["status"].eq("not_reported").all()
    assert checks["expected"].isna().all() and checks["observed"].isna().all()
    assert ch2.prisma_status_ko(None) == "보고되지 않았습니다"
    texts = [t.get_text() for t in ch2.plot_prisma(None).axes[0].texts]
    assert sum("보고되지 않음" in t for t in texts) >= 9 and not any(re.search(r"n = \d", t) for t in texts)


def test_prisma_diagram_shows_the_counts():
    texts = "\n".join(t.get_text() for t in ch2.plot_prisma(VALID).axes[0].texts)
    assert "n = 120" in texts and "대상 불일치: n = 6" in texts and "기타 방법" in texts


@pytest.mark.parametrize(
    "change, box",
    [
        ({"records_screened": 90}, "records_screened"),
        ({"reports_sought": 31}, "reports_sought"),
        ({"reports_assessed": 27}, "reports_assessed"),
        ({"other_sought": 13}, "other_sought"),
        ({"reports_included": 25}, "reports_included"),
        ({"studies_included": 30}, "studies_included"),
    ],
)
def test_prisma_counts_that_do_not_add_up(change, box):
    bad = {**VALID, **change}
    checks = prisma.check_prisma(bad).set_index("check")
    assert checks.at[box, "status"] == "fail"
    with pytest.raises(lit_inputs.LiteratureError) as err:
        lit_analysis.validate_prisma(bad, source="params/x.yml: parameters.prisma")
    msg = str(err.value)
    assert "params/x.yml" in msg and f"'{box}'" in msg and "계산값" in msg and "expected" in msg


def test_prisma_rejects_negative_or_unknown_fields():
    with pytest.raises(ValueError, match="duplicates"):
        prisma.check_prisma({**VALID, "duplicates": -1})
    with pytest.raises(ValueError, match="recrods_screened"):
        prisma.check_prisma({"recrods_screened": 1})


def test_prisma_in_the_parameter_file(tmp_path):
    assert load_params(ROOT / "params" / "report-2023.yml", root=ROOT, check_paths=False).parameters.prisma is None
    good = tmp_path / "good.yml"
    body = "study: {id: x, title: t, author: a, copyright: c}\nparameters:\n  prisma: " + json.dumps(
        VALID, ensure_ascii=False
    )
    good.write_text(body + "\n", encoding="utf-8")
    assert load_params(good, check_paths=False).parameters.prisma.reports_included == 24
    bad = tmp_path / "bad.yml"
    bad.write_text(body.replace('"records_screened": 100', '"records_screened": 90') + "\n", encoding="utf-8")
    with pytest.raises(ParamsError) as err:
        load_params(bad, check_paths=False)
    msg = str(err.value)
    assert (
        str(bad) in msg and "parameters.prisma" in msg and "records_screened" in msg and "계산값 100, 보고값 90" in msg
    )


# ------------------------------------------------------------------ bad input
def test_duplicate_id_names_file_and_rows(folder):
    path = folder / "matrix.csv"
    first = pd.read_csv(path, dtype=str).loc[1, "id"]
    _edit(path, 4, "id", first)
    with pytest.raises(lit_inputs.LiteratureError) as err:
        lit_inputs.load_matrix(folder)
    msg = str(err.value)
    assert f"{path} 3, 4행" in msg and repr(first) in msg and "중복" in msg and "duplicate" in msg


def test_unknown_vocabulary_term_names_row_and_term(folder):
    path = folder / "matrix.csv"
    _edit(path, 5, "outcome_dimensions", "process;welbeing")
    _edit(path, 7, "method", "survey")
    with pytest.raises(lit_inputs.LiteratureError) as err:
        lit_inputs.load_matrix(folder)
    msg = str(err.value)
    assert f"{path} 5행 (id O04), 열 'outcome_dimensions'" in msg and "'welbeing'" in msg
    assert f"{path} 7행 (id O06), 열 'method'" in msg and "'survey'" in msg
    assert "오류가 2개" in msg


def test_row_without_bib_entry_names_key_and_row(folder):
    _edit(folder / "matrix.csv", 10, "bibtex_key", "nosuchwork2001")
    with pytest.raises(lit_inputs.LiteratureError) as err:
        lit_inputs.load_matrix(folder)
    msg = str(err.value)
    assert "matrix.csv 10행 (id O09), 열 'bibtex_key'" in msg and "'nosuchwork2001'" in msg and "references.bib" in msg


def test_bib_entry_removed_is_caught(folder):
    bib = folder / "references.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(re.sub(r"@misc\{leung2004,.*?\n\}\n", "", text, flags=re.S), encoding="utf-8")
    with pytest.raises(lit_inputs.LiteratureError, match=r"leung2004"):
        lit_inputs.load_matrix(folder)


def test_year_and_region_mismatch(folder):
    path = folder / "matrix.csv"
    _edit(path, 2, "year", "2007")
    _edit(path, 3, "region", "국내")
    with pytest.raises(lit_inputs.LiteratureError) as err:
        lit_inputs.load_matrix(folder)
    msg = str(err.value)
    assert "2행 (id O01), 열 'year'" in msg and "3행 (id O02), 열 'region'" in msg


def test_unknown_country_and_bad_lines_via_schema(folder):
    path = folder / "matrix.csv"
    _edit(path, 6, "country", "ZZ")
    _edit(path, 8, "source_lines", "l.722")
    with pytest.raises(lit_inputs.LiteratureError) as err:
        lit_inputs.load_matrix(folder)
    msg = str(err.value)
    assert f"{path} 6행 (id O05), 열 'country'" in msg and "'ZZ'" in msg
    assert f"{path} 8행 (id O07), 열 'source_lines'" in msg


def test_missing_file_and_column(folder):
    (folder / "vocabulary.csv").unlink()
    with pytest.raises(lit_inputs.LiteratureError, match="vocabulary.csv"):
        lit_inputs.load_matrix(folder)
    df = pd.read_csv(LIT / "policy_plans.csv", dtype=str).drop(columns=["text"])
    df.to_csv(folder / "policy_plans.csv", index=False)
    with pytest.raises(lit_inputs.LiteratureError, match=r"policy_plans.csv.*text"):
        lit_inputs.load_policy(folder, "plans")


def test_policy_table_errors_name_file_and_row(folder):
    _edit(folder / "policy_awards.csv", 3, "entries", "48")
    with pytest.raises(lit_inputs.LiteratureError) as err:
        lit_inputs.load_policy(folder, "awards")
    assert "policy_awards.csv 2행" in str(err.value) and "276" in str(err.value)
    _edit(folder / "policy_team_roles.csv", 4, "bibtex_key", "nomanual2023")
    with pytest.raises(lit_inputs.LiteratureError, match=r"policy_team_roles.csv 4행.*nomanual2023"):
        lit_inputs.load_policy(folder, "team_roles")


# ------------------------------------------------------------------ command, figures, parameters
def test_lit_check_command(capsys, folder):
    assert lit_inputs.main(["check", str(LIT)]) == 0
    out = capsys.readouterr().out
    assert "문헌 84편" in out and "해외 31" in out and "국내 39" in out and "모두 통과" in out
    _edit(folder / "matrix.csv", 5, "outcome_dimensions", "welbeing")
    assert lit_inputs.main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "matrix.csv 5행" in err and "welbeing" in err


def test_figures_have_korean_labels(research, vocab):
    fig = ch2.plot_evidence_map(lit_analysis.evidence_map(research, vocab))
    assert fig.axes[0].get_xlabel() == "성과 차원" and "한국" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    fig = ch2.plot_dimension_contrast(lit_analysis.dimension_contrast(research, vocab))
    assert fig.axes[0].get_xlabel().startswith("해당 차원")
    fig = ch2.plot_method_period(lit_analysis.works_by_method_period(research, vocab))
    assert fig.axes[0].get_ylabel() == "문헌 수"
    events = lit_inputs.load_policy(LIT, "timeline")
    fig = ch2.plot_policy_timeline(
        events, lit_inputs.load_policy(LIT, "indicators"), lit_inputs.load_policy(LIT, "staff")
    )
    assert len(fig.axes[0].texts) == len(events) == 15


def test_notebook_parameters_default_to_the_2023_study():
    p = NotebookParameters()
    assert p.literature_dir == "data/literature" and p.lit_countries == [] and p.prisma is None
    assert (ROOT / p.literature_dir / "matrix.csv").exists()


def test_korean_citation_styles_join_hangul_names():
    bibtex.register_bibtex_styles()
    import pybtex.plugin

    style = pybtex.plugin.find_plugin("pybtex.style.formatting", bibtex.KO_BIBLIOGRAPHY_STYLE)()
    bib = parse_file(str(LIT / "references.bib"))
    text = {e.key: e.text.render_as("text") for e in style.format_entries(bib.entries.values())}
    assert text["baekhy2013"].startswith("백학영·김경휘. 2013")
    assert text["parkjy2021"].startswith("박지영 외. 2021")
    assert text["ross2011"].startswith("Ross, Curry, and Goodwin.")
    assert text["brown2008"].startswith("Brown et al.")
    assert "2023년 자활사업안내(Ⅰ)" in text["mohw2023guide"]
    from sphinxcontrib.bibtex.plugin import find_plugin

    assert find_plugin("sphinxcontrib.bibtex.style.referencing", bibtex.KO_REFERENCE_STYLE) is not None
