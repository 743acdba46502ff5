"""Disclosure gate (before rendering) and site scan (after rendering) on hand-made notebooks and sites."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from book_fixture import built_book  # noqa: F401,E402  (pytest fixture)
from jahwal.display import disclosure
from jahwal.display.nb import Table
from jahwal.publish import gate
from jahwal.publish.gate import DisclosureError, check_notebooks, find_pii, scan_html
from jahwal.study.params import load_params

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- helpers
def table_output(df: pd.DataFrame, key: str, **kwargs) -> nbformat.NotebookNode:
    """The display output a notebook gets from a glued jahwal Table."""
    bundle = Table(df, key, **kwargs)._repr_mimebundle_()
    return nbformat.v4.new_output("display_data", data=bundle)


def html_output(df: pd.DataFrame) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"text/html": df.to_html(), "text/plain": df.to_string()})


def stream(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def write_nb(folder: Path, name: str, cells: list[tuple[str, str, list]]) -> Path:
    """cells: (kind, source, outputs) with kind md or code."""
    nb = nbformat.v4.new_notebook()
    for i, (kind, source, outputs) in enumerate(cells):
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell(source)
            cell.outputs = outputs
            if kind == "code-removed":
                cell.metadata["tags"] = ["remove-cell"]
        cell["id"] = f"c{i:02d}"
        nb.cells.append(cell)
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


PROVINCES = pd.DataFrame({"시도": ["서울", "부산", "제주", "계"], "인원": [412, 57, 3, 472]})


def refused(paths, threshold: int = 10, **kwargs) -> str:
    """The gate's message for notebooks it refuses (threshold 10, the 2023 study's, unless given)."""
    with pytest.raises(DisclosureError) as exc:
        check_notebooks(paths, threshold=threshold, **kwargs)
    return str(exc.value)


# ---------------------------------------------------------------- before rendering
def test_small_count_in_table_names_notebook_cell_column_and_row(tmp_path):
    nb = write_nb(
        tmp_path,
        "notebooks/31_small.ipynb",
        [
            ("md", "# 시도별 인원", []),
            (
                "code",
                "nb.glue_table('tab-III-1', df, count_columns=['인원'])",
                [table_output(PROVINCES, "tab-III-1", count_columns=["인원"])],
            ),
        ],
    )
    msg = refused([nb], threshold=10, root=tmp_path)
    assert "notebooks/31_small.ipynb 셀 1번, id c01 / cell 1, id c01" in msg
    assert "표 tab-III-1의 '인원' 열 3행에 10명 미만" in msg
    assert "rows 3 publish counts below 10" in msg


def test_threshold_is_the_study_parameter(tmp_path):
    """The default study file sets the threshold to 10; 3 persons pass at threshold 3, not at 4."""
    params = load_params(ROOT / "params" / "report-2023.yml", ROOT)
    assert params.parameters.suppression_threshold == 10
    nb = write_nb(tmp_path, "t.ipynb", [("code", "", [table_output(PROVINCES, "tab-1", count_columns=["인원"])])])
    assert check_notebooks([nb], threshold=3)["tables"] == 1
    assert "4명 미만" in refused([nb], threshold=4)
    assert "10명 미만" in refused([nb], threshold=10)
    with pytest.raises(ValueError, match="threshold"):
        check_notebooks([nb], threshold=0)


def test_zero_and_suppressed_counts_pass(tmp_path):
    df = disclosure.protect(PROVINCES, ["인원"], 10, label_column="시도")
    assert df["인원"].tolist() == [412, "x", "x", 472]  # 제주 (3) primary, 부산 (57) secondary
    df.loc[len(df)] = [
        "세종",
        0,
    ]
    nb = write_nb(tmp_path, "ok.ipynb", [("code", "", [table_output(df, "tab-ok", count_columns=["인원"])])])
    report = check_notebooks([nb], threshold=10)
    assert report["tables"] == 1 and report["problems"] == [] and report["exempt_tables"] == []


def test_plain_dataframe_with_100_rows_is_person_level(tmp_path):
    rows = pd.DataFrame({"연령": np.arange(100) % 70 + 20, "참여개월": np.arange(100) % 36})
    nb = write_nb(
        tmp_path,
        "notebooks/33_rows.ipynb",
        [
            ("md", "# 단계", []),
            ("code", "x = 1", []),
            ("code", "df", [html_output(rows)]),
        ],
    )
    msg = refused([nb], root=tmp_path)
    assert "notebooks/33_rows.ipynb 셀 2번" in msg and "cell 2" in msg
    assert "행이 100개인 표" in msg and "person-level" in msg


def test_printed_dataframe_and_identifier_columns(tmp_path):
    people = pd.DataFrame({"person_id": [f"p{i}" for i in range(80)], "연령": range(80)})
    nb = write_nb(
        tmp_path,
        "p.ipynb",
        [
            ("code", "print(df)", [stream(people.to_string())]),
            ("code", "df.head()", [html_output(people.head(5))]),
        ],
    )
    msg = refused([nb])
    assert "p.ipynb 셀 0번" in msg and "80행짜리 표가 글자로 출력" in msg
    assert "p.ipynb 셀 1번" in msg and "identifier columns: ['person_id']" in msg


def test_phone_number_in_markdown(tmp_path):
    nb = write_nb(
        tmp_path,
        "notebooks/42_fgi.ipynb",
        [
            ("md", "# 실무자 면접", []),
            ("md", "면접 일정 문의는 담당자(010-2345-6789)에게 합니다.", []),
        ],
    )
    msg = refused([nb], root=tmp_path)
    assert "notebooks/42_fgi.ipynb 셀 1번" in msg
    assert "휴대전화 번호" in msg
    assert "010-2345-6789" not in msg, "the message must not repeat the personal data"


def test_email_in_output_and_rrn_in_code(tmp_path):
    nb = write_nb(
        tmp_path,
        "e.ipynb",
        [
            ("code", "print(contact)", [stream("담당: hong.gildong@example.org\n")]),
            ("code", "rrn = '900101-1234567'", []),
            ("code-removed", "secret = '900101-2234567'", []),  # removed from the page: the source is not published
        ],
    )
    msg = refused([nb])
    assert "e.ipynb 셀 0번" in msg and "전자우편" in msg
    assert "e.ipynb 셀 1번" in msg and "주민등록번호" in msg
    assert "셀 2번" not in msg


def test_non_statistic_table_is_exempt_and_listed(tmp_path):
    participants = pd.DataFrame({"참여자": ["A", "B", "C"], "근무 연수": [3, 7, 12], "면접 회차": [1, 1, 2]})
    nb = write_nb(
        tmp_path,
        "notebooks/41_participants.ipynb",
        [
            ("code", "", [table_output(participants, "tab-IV-1", statistic=False, count_columns=["면접 회차"])]),
        ],
    )
    report = check_notebooks([nb], threshold=10, root=tmp_path)
    assert report["exempt_tables"] == ["notebooks/41_participants.ipynb:tab-IV-1"]
    # exempt from the count rule, not from the personal-data patterns
    participants.loc[0, "참여자"] = "A (010-1111-2222)"
    nb2 = write_nb(tmp_path, "x.ipynb", [("code", "", [table_output(participants, "tab-IV-1x", statistic=False)])])
    assert "휴대전화 번호" in refused([nb2])


def test_cells_are_numbered_as_in_the_source_notebook(tmp_path):
    """papermill inserts an injected-parameters cell; messages still use the source notebook's numbers."""
    nb = write_nb(
        tmp_path,
        "n.ipynb",
        [
            ("md", "# 제목", []),
            ("code", "year = 2023", []),
            ("code", "year = 2024", [stream("문의 010-1111-2222")]),
            ("md", "연락처 02-555-1234", []),
        ],
    )
    executed = nbformat.read(nb, as_version=4)
    executed.cells[2].metadata["tags"] = ["injected-parameters"]
    nbformat.write(executed, nb)
    msg = refused([nb])
    assert "n.ipynb 주입된 매개변수 셀 / injected parameters cell" in msg
    assert "n.ipynb 셀 2번, id c03" in msg  # 4th cell of the executed notebook, 3rd of the source


def test_every_problem_is_listed(tmp_path):
    a = write_nb(tmp_path, "a.ipynb", [("code", "", [table_output(PROVINCES, "tab-a", count_columns=["인원"])])])
    b = write_nb(tmp_path, "b.ipynb", [("md", "문의 02-123-4567", [])])
    msg = refused([a, b], root=tmp_path)
    assert len([l for l in msg.splitlines() if l.startswith("  - ")]) == 2
    assert "a.ipynb 셀 0번" in msg and "b.ipynb 셀 0번" in msg


def test_markdown_page_names_the_line(tmp_path):
    page = tmp_path / "book" / "methods.md"
    page.parent.mkdir()
    page.write_text("# 방법\n\n문의: research@example.kr\n", encoding="utf-8")
    msg = refused([page], root=tmp_path)
    assert "book/methods.md 3행 / line 3" in msg


@pytest.mark.parametrize(
    "text, kind",
    [
        ("900101-1234567", "주민등록번호"),
        ("9001012234567", "주민등록번호"),
        ("850512-5123456", "주민등록번호"),  # 외국인등록번호
        ("900101-1******", "주민등록번호"),
        ("010-1234-5678", "휴대전화"),
        ("01012345678", "휴대전화"),
        ("02-123-4567", "전화번호"),
        ("(031) 123-4567", "전화번호"),
        ("kim_ys@korea.kr", "전자우편"),
    ],
)
def test_pii_patterns_match(text, kind):
    hits = find_pii(f"자료: {text} 끝")
    assert hits and hits[0][0].startswith(kind)


@pytest.mark.parametrize(
    "text",
    [
        "2019-2022년 1,334명",
        "2022-12-31 종결",
        "표 Ⅲ-3, 그림 Ⅲ-11",
        "p = 0.031, t(120) = 2.45",
        "일 급여 58,660원, 총 1,234,567,890원",
        "2019.01–2022.12",
        "ISBN 978-89-6827-123-4",
        "doi:10.1186/1471-2288-8-45",
        "pkg==1.0.4",
    ],
)
def test_pii_patterns_leave_statistics_alone(text):
    assert find_pii(text) == []


# ---------------------------------------------------------------- after rendering
def site(tmp_path: Path, body: str = "<p>요약</p>") -> Path:
    html = tmp_path / "html"
    (html / "notebooks").mkdir(parents=True)
    (html / "index.html").write_text(
        '<meta http-equiv="Refresh" content="0; url=notebooks/a.html" />', encoding="utf-8"
    )
    (html / "notebooks" / "a.html").write_text(
        f"<html><body><script>var x = 'dev@example.org';</script><main>{body}</main></body></html>", encoding="utf-8"
    )
    return html


def test_clean_site_passes(tmp_path):
    html = site(tmp_path, Table(PROVINCES.assign(인원=[412, 57, 30, 499]), "tab-1")._repr_html_())
    (html / "tables").mkdir()
    PROVINCES.to_csv(html / "tables" / "tab-1.csv", index=False)
    report = scan_html(html, threshold=10)
    assert report == {"pages": 2, "tables": 1, "downloads": 1, "problems": []}


def test_site_with_copied_notebook_or_sources(tmp_path):
    html = site(tmp_path)
    (html / "_sources" / "notebooks").mkdir(parents=True)
    (html / "notebooks" / "31_infrastructure.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(DisclosureError) as exc:
        scan_html(html, threshold=10)
    msg = str(exc.value)
    assert "notebooks/31_infrastructure.ipynb" in msg and "_sources" in msg


def test_site_with_pii_in_page_and_download(tmp_path):
    html = site(tmp_path, "<p>연락처 010-9876-5432</p>")
    (html / "tables").mkdir()
    pd.DataFrame({"기관": ["가"], "전화": ["051-234-5678"]}).to_excel(html / "tables" / "tab-2.xlsx", index=False)
    pd.DataFrame({"person_id": ["p1"], "인원": [12]}).to_csv(html / "tables" / "tab-3.csv", index=False)
    with pytest.raises(DisclosureError) as exc:
        scan_html(html, threshold=10)
    msg = str(exc.value)
    assert "notebooks/a.html: 휴대전화 번호" in msg
    assert "tables/tab-2.xlsx: 전화번호" in msg
    assert "tables/tab-3.csv: 개인 식별 열" in msg
    assert "9876-5432" not in msg
    assert "dev@" not in msg, "script text is not page text"


def test_site_with_person_level_table_or_leaked_payload(tmp_path):
    rows = pd.DataFrame({"연령": range(61)}).to_html()
    html = site(tmp_path, rows + '<div data-mime="application/vnd.jahwal.table+json"></div>')
    with pytest.raises(DisclosureError) as exc:
        scan_html(html, threshold=10)
    msg = str(exc.value)
    assert "행이 61개인 표" in msg and "notebook internals" in msg
    # the same rows inside a table marked statistic=False are allowed (e.g. a literature list)
    html2 = site(
        tmp_path / "b",
        Table(pd.DataFrame({"문헌": [f"문헌 {i}" for i in range(61)]}), "tab-lit", statistic=False)._repr_html_(),
    )
    assert scan_html(html2, threshold=10)["tables"] == 1


def test_html_tables_counts_data_rows_only():
    df = pd.DataFrame({"a": range(60)})
    t = gate.html_tables(df.to_html())[0]
    assert t["rows"] == 60 and t["wrapped"] is False
    wrapped = gate.html_tables(Table(df, "tab-x", statistic=False)._repr_html_())[0]
    assert wrapped["wrapped"] and wrapped["statistic"] is False and wrapped["key"] == "tab-x"


@pytest.mark.parametrize(
    "header, flagged",
    [
        ("person_id", True),
        ("참여자 ID", True),
        ("주민등록번호", True),
        ("성명", True),
        ("주민(명)", False),
        ("주민 주제", False),
        ("열 이름", False),
        ("참여자 수", False),
    ],
)
def test_identifier_headers(header, flagged):
    """주민 alone means the resident participants of Chapter IV (표 Ⅳ-S1), not 주민등록번호."""
    assert bool(gate.ID_COLUMN_RE.search(header)) is flagged


def test_download_of_non_statistic_table_may_hold_participant_codes(tmp_path):
    codes = pd.DataFrame({"참여자 ID": ["A1", "A2"], "직위": ["팀장", "실무자"]})
    html = site(tmp_path, Table(codes, "tab-IV-1", statistic=False)._repr_html_())
    (html / "tables").mkdir()
    codes.to_csv(html / "tables" / "tab-IV-1.csv", index=False)
    assert scan_html(html, threshold=10)["downloads"] == 1
    codes.to_csv(html / "tables" / "tab-IV-9.csv", index=False)  # no page marks it as non-statistic
    with pytest.raises(DisclosureError, match="tab-IV-9.csv: 개인 식별 열"):
        scan_html(html, threshold=10)


@pytest.mark.slow
def test_build_stops_at_the_gate_and_keeps_the_last_book(built_book, tmp_path):
    """End to end: personal data in a notebook stops ``jahwal build`` before rendering, naming the cell.

    Runs on a copy of the built book (cache included, so only the edited notebook runs),
    leaving the shared test book and its build log alone.
    """
    import shutil

    from book_fixture import run_build

    root = tmp_path / "copy"
    shutil.copytree(built_book.root, root, symlinks=True)
    source = root / "notebooks" / "00_summary.ipynb"
    page = root / "_build" / "html" / "notebooks" / "00_summary.html"
    before = page.stat().st_mtime_ns
    nb = nbformat.read(source, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("문의: survey.team@example.org"))
    nbformat.write(nb, source)
    proc = run_build(root, root / "params" / "test-book.yml")
    assert proc.returncode == DisclosureError.exit_code, proc.stderr[-2000:]
    assert f"notebooks/00_summary.ipynb 셀 {len(nb.cells) - 1}번" in proc.stderr and "전자우편" in proc.stderr
    assert "survey.team@example.org" not in proc.stderr
    assert page.stat().st_mtime_ns == before, "a failed build must keep the published book"
    log = json.loads((root / "_build" / "build-log.json").read_text(encoding="utf-8"))
    assert log["status"] == "failed" and "00_summary.ipynb" in log["error"]
