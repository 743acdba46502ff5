"""What the book says about its data: origin marks, banners, study texts, the provenance appendix."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from book_fixture import built_book  # noqa: F401  (session fixture)
from jahwal.analysis import outcomes
from jahwal.chapters import appendix as record
from jahwal.chapters import ch3_outcomes, ch3_stages
from jahwal.chapters.common import label_key
from jahwal.display import nb
from jahwal.inputs import contract, origin, synth
from jahwal.publish import pages
from jahwal.publish.toc import toc_entries
from jahwal.study import text as study_text
from jahwal.study.outline import cite
from jahwal.study.params import StudyParams

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "data" / "reference"
FULL = {"scale": 1, "seed": 20230101, "years": [2019, 2022], "out": "data/synthetic/report-2023"}
RATES = {"시장진입형": 58660, "사회서비스형": 51350, "근로유지형": 30120}


def _study(synthetic=None, **parameters) -> StudyParams:
    return StudyParams.model_validate(
        {
            "study": {
                "id": "next-year",
                "title": "자활사례관리 성과 분석 2020–2023",
                "author": "연구진",
                "copyright": "2025",
            },
            "prepare": {"synthetic": synthetic},
            "parameters": parameters,
        }
    )


# ---------------------------------------------------------------- published values equal the report
@pytest.fixture(scope="module")
def full_extract(tmp_path_factory):
    out = tmp_path_factory.mktemp("origin") / "report-2023"
    synth.write_extract(out, scale=1, seed=20230101, years=(2019, 2022), reference_dir=REF)
    return contract.load_extract(out)


def _ref(name: str) -> pd.DataFrame:
    df = pd.read_csv(REF / name)
    return df[~df["is_total"].astype(bool)] if "is_total" in df.columns else df


def _num(v) -> float:
    return float(str(v).replace(",", ""))


def _province_row(ref: pd.DataFrame, label: str) -> pd.DataFrame:
    return ref[(ref["province_printed"] == label) | (ref["province"] == label)]


def _expected(key: str, row: pd.Series, col: str) -> tuple[float, int]:
    """The value data/reference prints for one cell (and its printed decimals); KeyError when none."""
    if key == "tab-fig-III-11":
        r = _ref("fig_III_11_12_intake_assessment_by_year.csv").set_index("year").loc[int(row["연도"])]
        field = {
            "초기상담 참여자 수": "intake_n",
            "사정단계 참여자 수": "assessed_n",
            "사정단계 참여비율(%)": "assessed_rate_pct",
        }[col]
        if pd.isna(r[field]):
            raise KeyError(col)
        return float(r[field]), 2
    if key == "tab-III-S1":
        if col == "IAP 수립":
            return _expected("tab-III-4", row, "수립(명)")
        return _expected("tab-fig-III-11", row, {"초기상담": "초기상담 참여자 수", "사정": "사정단계 참여자 수"}[col])
    if key == "tab-III-3":
        r = _province_row(_ref("tab_III_03_assessment_by_province_2022.csv"), row["시도"]).iloc[0]
        field = {
            "초기상담 참여자 수": "intake_n",
            "사정단계 참여자 수": "assessed_n",
            "사정단계 참여비율(%)": "assessed_rate_pct",
        }[col]
        return float(r[field]), 2
    if key in ("tab-III-4", "tab-III-6"):
        ref = _ref("tab_III_04_iap_by_year.csv" if key == "tab-III-4" else "tab_III_06_isp_by_year.csv")
        status, unit = re.fullmatch(r"(.+)\((명|%)\)", col).groups()
        if key == "tab-III-6" and status == "시스템 미입력":
            status = "미입력"
        r = ref[(ref["year"] == int(row["연도"])) & (ref["status"] == status)].iloc[0]
        return (float(r["n"]), 0) if unit == "명" else (float(r["pct"]), len(str(r["pct"]).split(".")[-1]))
    if key == "tab-III-5":
        ref = _province_row(_ref("tab_III_05_iap_by_province_2022.csv"), row["시도"])
        status = {
            "IAP 수립": "수립",
            "IAP 미수립": "미수립",
            "시스템 미입력": "시스템 미입력",
            "수립률(%)": "수립",
            "미입력률(%)": "시스템 미입력",
            "미수립률(%)": "미수립",
        }[col]
        r = ref[ref["status"] == status].iloc[0]
        return (float(r["pct"]), 1) if col.endswith("(%)") else (float(r["n"]), 0)
    if key in ("tab-III-7", "tab-III-8"):
        field = {"중위값": "median", "최소값": "min", "최대값": "max"}[col]
        if key == "tab-III-7":
            r = _ref("tab_III_07_counselling_by_year.csv").set_index("year").loc[int(row["연도"])]
        else:
            r = _province_row(_ref("tab_III_08_counselling_by_province_2022.csv"), row["시도"]).iloc[0]
        return float(r[field]), 2
    m = re.fullmatch(r"tab-III-(\d+)", key)
    if m and 9 <= int(m.group(1)) <= 20 and col == "인원":
        ref = pd.read_csv(REF / "tab_III_09_20_outcome_tests.csv")
        ref = ref[ref["figure_id"] == f"표 Ⅲ-{m.group(1)}"]
        performed = not str(row["구분"]).endswith(("미작성", "미수립", "미수행", "없음", "안 함"))
        return float(ref[ref["performed"] == performed]["n"].iloc[0]), 0
    raise KeyError((key, col))


def _full_tables(ex) -> dict[str, pd.DataFrame]:
    tables = {
        "tab-fig-III-11": ch3_stages.intake_assessment_table(ex),
        "tab-III-3": ch3_stages.assessment_by_province_table(ex, 2022, 10),
        "tab-III-4": ch3_stages.plan_status_table(ex),
        "tab-III-5": ch3_stages.iap_by_province_table(ex, 2022, 10),
        "tab-III-6": ch3_stages.plan_status_table(ex, "isp_status"),
        "tab-III-7": ch3_stages.counselling_by_year_table(ex),
        "tab-III-8": ch3_stages.counselling_by_province_table(ex, 2022, 10),
        "tab-fig-III-14": ch3_stages.post_closure_table(ex),
        "tab-III-S1": ch3_stages.funnel_table(ex),
    }
    tests = outcomes.outcome_tests(ex, 2022, threshold=10)
    for tid, _outcome, _ind, did in outcomes.COMPARISONS:
        tables[label_key(tid)] = ch3_outcomes.outcome_table(tests, tid)
        if did:
            tables[label_key(did)] = ch3_outcomes.days_table(tests, did, RATES)
    return tables


def test_every_value_marked_published_equals_the_reference(full_extract):
    checked: dict[str, int] = {}
    for key, df in _full_tables(full_extract).items():
        marks = origin.table_marks(key, df, FULL, 2022)
        assert marks is not None and marks.shape == df.shape, key
        for i in df.index:
            for col in df.columns:
                if marks.at[i, col] != origin.PUBLISHED:
                    continue
                want, digits = _expected(key, df.loc[i], col)
                got = round(_num(df.at[i, col]), digits)
                assert got == pytest.approx(want, abs=10**-digits / 2), (key, df.at[i, df.columns[0]], col, got, want)
                checked[key] = checked.get(key, 0) + 1
    # the published counts of 표 Ⅲ-3 to Ⅲ-6 and the outcome group sizes are all marked and checked
    assert checked["tab-III-3"] == 17 * 3 and checked["tab-III-5"] == 17 * 6
    assert checked["tab-III-4"] == 16 and checked["tab-III-9"] == 2  # 2019·2020 수립·미수립 are suppressed (3 persons)
    assert {"tab-fig-III-11", "tab-III-7", "tab-III-8", "tab-III-16"} <= set(checked)


def test_assumed_and_calibrated_values_are_never_marked_published():
    s = FULL
    assert origin.classify("assessed_n", 2020, s) == origin.ASSUMED  # 2020·2021 assessment: interpolated
    assert origin.classify("post_closure_rate", 2019, s) == origin.ASSUMED  # the 2019 post-closure rate
    assert origin.classify("post_closure_rate", 2022, s) == origin.CALIBRATED
    df = pd.DataFrame(
        {"특성": ["성별", "연령대"], "범주": ["여성", "20-29세"], "인원": [10, 10], "평균(회)": [5.0, 5.2]}
    )
    marks = origin.table_marks("tab-fig-III-1", df, s, 2022)
    assert marks["인원"].tolist() == ["가정", "가정"]  # category mixes are assumed
    assert marks["평균(회)"].tolist() == ["가정", "보정"]  # 여성: not printed; 20-29세: printed 5.2
    # a smaller extract and years beyond the report
    assert origin.classify("published", 2022, {"scale": 0.05, "years": [2019, 2022]}) == origin.CALIBRATED
    assert origin.classify("n_statistic", 2022, {"scale": 0.05, "years": [2019, 2022]}) == origin.ASSUMED
    assert origin.classify("published", 2023, {"scale": 1, "years": [2020, 2023]}) == origin.ASSUMED
    assert origin.table_marks("tab-III-3", df, None, 2022) is None


# ---------------------------------------------------------------- marks on the page
def test_table_marks_show_as_cell_classes_with_a_legend():
    df = pd.DataFrame(
        {
            "연도": ["2019", "2020"],
            "초기상담 참여자 수": [40278, 46616],
            "사정단계 참여자 수": [22307, 25000],
            "사정단계 참여비율(%)": [55.38, 53.63],
        }
    )
    marks = origin.table_marks("tab-fig-III-11", df, FULL, 2022)
    html = nb.Table(df, "tab-fig-III-11", origin=marks)._repr_html_()
    cells = re.findall(r'<td(?: class="([^"]*)" data-origin="([^"]*)" data-mark="([^"]*)")?>([^<]*)</td>', html)
    assert [(o, v) for _c, o, _m, v in cells if o] == [
        ("공표", "40,278"),
        ("공표", "22,307"),
        ("보정", "55.38"),
        ("보정", "46,616"),
        ("가정", "25,000"),
        ("가정", "53.63"),
    ]
    assert 'class="jahwal-origin jahwal-origin-assumed"' in html and 'data-mark="가"' in html
    assert "jahwal-origin-legend" in html and "가 가정(" in html
    plain = nb.Table(df, "tab-fig-III-11")._repr_html_()
    assert "data-origin" not in plain and "jahwal-origin-legend" not in plain
    with pytest.raises(ValueError, match="출처 표시"):
        nb.Table(df, "tab-x", origin=marks.iloc[:1])


def test_prose_numbers_carry_their_mark():
    assert nb.marked("51,183", origin.PUBLISHED) == "51,183[공표]"
    assert nb.marked("x", origin.ASSUMED) == "x" and nb.marked("8.5", None) == "8.5"


def _page(markdown: str, synthetic, quantitative=True):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell(markdown)]
    return (
        pages.study_page(
            book, synthetic=synthetic, years=[2019, 2020, 2021, 2022], focus_year=2022, quantitative=quantitative
        )
        .cells[0]
        .source
    )


def test_synthetic_pages_get_a_banner_and_figure_notes_real_pages_do_not():
    md = "# 3. 단계별 성과\n\n본문\n\n```{glue:figure} fig-III-11\n:name: fig-III-11\n\n그림 Ⅲ-11 연도별 초기상담 인원\n```"
    synthetic = _page(md, FULL)
    assert synthetic.index(pages.BANNER_CLASS) < synthetic.index("본문")
    assert "합성 추출 자료" in synthetic
    assert "그림 Ⅲ-11 연도별 초기상담 인원 (합성 자료: 2019·2022년 값은 공표값, 2020·2021년 값은 보정값)" in synthetic
    assert _page(md, None) == md
    assert pages.BANNER_CLASS not in _page(md, FULL, quantitative=False)


# ---------------------------------------------------------------- a real-extract study
def test_real_extract_texts_say_nothing_synthetic_and_name_reused_inputs():
    real = _study(None, window_start="2020-01", window_end="2023-12", focus_year=2023, qual_path="data/private/fgi")
    subs = study_text.substitutions(real)
    text = "\n".join(subs.values()) + study_text.footer(real)
    assert "합성" not in text and "심층분석연구" not in text and "2022년" not in text
    assert "2020년 1월부터 2023년 12월까지" in subs["data_notice"] and "기준연도 2023년" in subs["data_notice"]
    assert "{ref}`appendix-data`" in subs["data_notice"]
    # focus groups replaced, literature and framework not: the chapters resting on them are named
    assert "Ⅱ장" in subs["reused_inputs"] and "Ⅳ장" not in subs["reused_inputs"]
    assert list(study_text.reused_inputs(real).index) == ["literature_dir", "framework_dir"]
    assert origin.banner_text(None) == "" and pages.banner_markdown(None) == ""


def test_the_2023_study_keeps_its_synthetic_notice():
    default = _study(FULL)
    subs = study_text.substitutions(default)
    assert "합성 추출 자료" in subs["data_notice"] and subs["reused_inputs"] == ""
    assert study_text.reused_inputs(default).empty


def test_a_real_extract_build_swaps_the_calibration_appendix_for_provenance():
    synthetic = [e["file"] for e in toc_entries(ROOT)]
    real = [e["file"] for e in toc_entries(ROOT, synthetic=False)]
    assert "notebooks/92_calibration" in synthetic and "notebooks/92_provenance" not in synthetic
    assert "notebooks/92_provenance" in real and "notebooks/92_calibration" not in real
    assert real.index("notebooks/92_provenance") == synthetic.index("notebooks/92_calibration")


def test_provenance_tables_name_files_hashes_and_rows(tmp_path):
    out = tmp_path / "extract"
    synth.write_extract(out, scale=0.02, seed=5, years=(2020, 2022), reference_dir=REF)
    report = contract.validate_extract(out, window=("2020-01", "2022-12"))
    ex = contract.load_extract(out, window=("2020-01", "2022-12"))
    files = record.extract_files(report)
    assert files["파일"].tolist() == ["participants.csv", "stages.csv", "counselling.csv", "outcomes.csv"]
    import hashlib

    assert files.loc[0, "SHA-256"] == hashlib.sha256((out / "participants.csv").read_bytes()).hexdigest()
    assert str(tmp_path) not in files.to_string()  # the folder is never shown
    rows = record.rows_by_year(ex, 10)
    assert rows["연도"].tolist() == ["2020", "2021", "2022"]
    assert rows["참여자"].tolist() == [int((ex.participants["year"] == y).sum()) for y in (2020, 2021, 2022)]
    assert record.validation_summary(report, ex)["n_tables"] == 4


# ---------------------------------------------------------------- citations
def test_report_citations_name_chapter_and_section_not_lines():
    assert cite("566-584") == "Ⅰ장 4절"
    assert cite("3161-3163") == "Ⅲ장 3절"
    assert cite("7215-7221") == "Ⅳ장 2절 1)"
    assert cite("9169-9521", title=True) == "Ⅴ장 2절(자활사례관리 성과 관리 과업)"


def test_pages_of_a_real_extract_build_carry_no_synthetic_sentence_or_2023_title():
    """Every page of a real-extract build says what it says about the data through the study's substitutions."""
    import json

    real = _study(None, window_start="2020-01", window_end="2023-12", focus_year=2023)
    subs = study_text.substitutions(real)
    about_project = {"book/changelog", "book/extending"}  # history and how-to, not claims about this book's data
    files = [e["file"] for e in toc_entries(ROOT, synthetic=False)]
    assert "notebooks/92_provenance" in files and "notebooks/92_calibration" not in files
    for file in files:
        if file in about_project:
            continue
        path = ROOT / (file + ".ipynb") if (ROOT / (file + ".ipynb")).exists() else ROOT / (file + ".md")
        if path.suffix == ".ipynb":
            text = "\n".join(
                c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                if c["cell_type"] == "markdown"
            )
        else:
            text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: subs.get(m.group(1), m.group(0)), text)
        assert "합성" not in text and "심층분석연구" not in text, file


# ---------------------------------------------------------------- whole books (slow)


def _text(page: Path) -> str:
    return re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_synthetic_book_marks_values_and_carries_banners(built_book):
    html = built_book.html
    for name in (
        "00_summary",
        "32_counselling_by_characteristic",
        "33_stage_outcomes",
        "34_outcome_tests",
        "35_supplementary",
        "52_indicators",
    ):
        page = (html / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
        assert pages.BANNER_CLASS in page, name
    stage = (html / "notebooks" / "33_stage_outcomes.html").read_text(encoding="utf-8")
    assert 'data-origin="가정"' in stage and "jahwal-origin-legend" in stage
    # at full scale the report's years are published values, at a smaller scale calibrated ones
    assert re.search(
        r"합성 자료: 2019·2022년 값은 (공표값, 2020·2021년 값은 보정값|보정값, 2020·2021년 값은 가정값)",
        _text(html / "notebooks" / "33_stage_outcomes.html"),
    )
    # the infrastructure tables are the report's own figures: marked 공표 and equal to data/reference
    infra = (html / "notebooks" / "31_infrastructure.html").read_text(encoding="utf-8")
    wrap = re.search(r'<div class="jahwal-table-wrap" data-table="tab-III-1".*?</table>', infra, re.DOTALL).group(0)
    ref = pd.read_csv(REF / "tab_III_01_infra_by_year.csv")
    published = re.findall(
        r'<tr>\s*<td>(\d{4})[^<]*</td>\s*<td class="[^"]*" data-origin="공표"[^>]*>([\d,]+)</td>', wrap
    )
    assert published
    for year, centres in published:
        assert _num(centres) == float(ref.loc[ref["year"] == int(year), "centres_n"].iloc[0]), year
