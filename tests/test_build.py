"""Whole-book builds: pages and titles, no errors or parameter cells, caching, atomic failure, a second study
from a hand-made extract outside the project."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from book_fixture import built_book  # noqa: F401  (session fixture)
from handmade_extract import FOCUS_YEAR, RATES_2023, TITLE, handmade_params, write_handmade_extract
from jahwal.publish.build import BuildError, build, toc_titles
from jahwal.publish.toc import toc_entries

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def _tree(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(path)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _page(html: Path, file: str) -> Path:
    return html / f"{file}.html"


def test_every_toc_entry_has_a_page_with_its_title(built_book):
    titles = toc_titles(built_book.root)
    assert len(titles) == len(toc_entries(built_book.root)) >= 25
    for file, title in titles.items():
        page = _page(built_book.html, file)
        assert page.is_file(), file
        text = page.read_text(encoding="utf-8")
        assert f"<title>{title}" in text, (file, title)


def test_no_error_outputs_in_executed_notebooks(built_book):
    log = json.loads((built_book.root / "_build" / "build-log.json").read_text(encoding="utf-8"))
    assert log["status"] == "ok"
    cache = built_book.root / "_build" / "cache" / "notebooks"
    executed = sorted(cache.glob("*.ipynb"))
    assert len(executed) == len([e for e in toc_entries(built_book.root) if e["file"].startswith("notebooks/")])
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        errors = [
            o
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        ]
        assert not errors, path.name


def test_no_page_shows_a_parameters_cell_and_no_notebook_is_published(built_book):
    pages = list(built_book.html.rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "# Parameters" not in text, page.name  # papermill's injected cell
        assert "injected-parameters" not in text and 'tag_parameters"' not in text, page.name
    assert not list(built_book.html.rglob("*.ipynb"))
    assert not (built_book.html / "_sources").exists()
    # other code is there, behind a toggle
    stage = _page(built_book.html, "notebooks/33_stage_outcomes").read_text(encoding="utf-8")
    assert "tag_hide-input" in stage


def test_build_log_records_parameters_inputs_timings_and_cache(built_book):
    log = json.loads((built_book.root / "_build" / "build-log.json").read_text(encoding="utf-8"))
    assert log["parameters"]["focus_year"] == 2022 and log["parameters"]["suppression_threshold"] == 10
    files = log["inputs"]["files"]
    stages = next(v for k, v in files.items() if k.endswith("stages.csv"))
    assert len(stages["sha256"]) == 64 and stages["rows"] > 0
    assert all({"notebook", "seconds", "cache_hit", "status"} <= set(n) for n in log["notebooks"])
    assert log["disclosure"]["notebooks"] == len(log["notebooks"]) and log["disclosure"]["pages"] >= 5


@pytest.fixture(scope="module")
def work_copy(built_book, tmp_path_factory):
    """A copy of the built project (with its cache) that the tests below may change."""
    target = tmp_path_factory.mktemp("work") / "proj"
    shutil.copytree(built_book.root, target, symlinks=True)
    return target


def test_second_build_reexecutes_nothing(work_copy):
    params = work_copy / "params" / "test-book.yml"
    log = build(params, root=work_copy, progress=False, echo=lambda s: None)
    assert log["notebooks"] and all(n["cache_hit"] for n in log["notebooks"])
    assert log["prepare"]["regenerated"] is False


def test_failing_notebook_keeps_the_last_good_book(work_copy):
    html = work_copy / "_build" / "html"
    before = _tree(html)
    nb_path = work_copy / "notebooks" / "31_infrastructure.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('시험용 오류')"))
    nbformat.write(nb, nb_path)
    with pytest.raises(BuildError) as e:
        build(work_copy / "params" / "test-book.yml", root=work_copy, progress=False, echo=lambda s: None)
    msg = str(e.value)
    assert "notebooks/31_infrastructure.ipynb" in msg and f"셀 {len(nb.cells)}번" in msg and "시험용 오류" in msg
    assert _tree(html) == before


# ---------------------------------------------------------------- a second study from a hand-made extract
#: the 2023 study's title (a book on other data must not carry it)
REPORT_TITLE = yaml.safe_load((ROOT / "params" / "report-2023.yml").read_text(encoding="utf-8"))["study"]["title"]
#: table titles that carry the focus year (Chapter Ⅲ); on a 2023 book none may say 2022
FOCUS_TITLES = (
    "사정지 작성 여부별 자립성과금",
    "시도별 IAP 수립 현황",
    "시도별 1인당 연간 상담횟수",
    "종결 후 상담 여부별 환산 참여일수",
)


def page_text(path: Path) -> str:
    """The visible text of a page (scripts, styles and tags removed, entities decoded)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


@pytest.fixture(scope="module")
def handmade_book(work_copy, tmp_path_factory):
    """The work copy rebuilt for a second study from a hand-made extract kept outside the project.

    Built after the tests above (it replaces the copy's book), once for the tests below.
    """
    outside = tmp_path_factory.mktemp("agency")
    extract = write_handmade_extract(outside / "추출자료-2020-2023")
    params = handmade_params(outside / "study-2020-2023.yml", extract, ROOT / "params" / "report-2023.yml")
    # undo the failing cell of test_failing_notebook_keeps_the_last_good_book
    shutil.copy(ROOT / "notebooks" / "31_infrastructure.ipynb", work_copy / "notebooks" / "31_infrastructure.ipynb")
    lines: list[str] = []
    try:
        log = build(params, root=work_copy, progress=False, echo=lines.append)
    except Exception as exc:  # re-raised by each test below (a failure there, not a setup error)
        return {"error": exc, "echo": lines}
    pages = {
        str(p.relative_to(work_copy / "_build" / "html").with_suffix("")): page_text(p)
        for p in (work_copy / "_build" / "html").rglob("*.html")
    }
    html = work_copy / "_build" / "html"
    return {"error": None, "log": log, "echo": lines, "pages": pages, "extract": extract, "html": html}


def built(book: dict) -> dict:
    if book["error"] is not None:
        raise book["error"]
    return book


def test_second_study_builds_from_a_handmade_extract_outside_the_project(handmade_book):
    handmade_book = built(handmade_book)
    log, pages = handmade_book["log"], handmade_book["pages"]
    assert log["status"] == "ok"
    assert log["parameters"]["focus_year"] == FOCUS_YEAR == 2023
    assert log["parameters"]["daily_rates"] == RATES_2023
    assert log["parameters"]["extract_format"] is None  # CSV and XLSX side by side
    assert not handmade_book["extract"].is_relative_to(ROOT)
    cover = pages["book/index"]
    assert TITLE in cover and "2025" in cover
    tests = pages["notebooks/34_outcome_tests"]
    assert "2023년 사정지 작성 여부별 자립성과금" in tests
    assert "시장진입형 61,000원" in tests  # the study's own 2023 rates


def test_second_study_warns_and_notes_that_infrastructure_data_stop_before_the_focus_year(handmade_book):
    handmade_book = built(handmade_book)
    warned = [ln for ln in handmade_book["echo"] if "2022년" in ln and "2023년" in ln and "표 Ⅲ-1" in ln]
    assert len(warned) == 1, handmade_book["echo"]
    assert "infrastructure" in warned[0]
    page = handmade_book["pages"]["notebooks/31_infrastructure"]
    assert "인프라 입력 자료의 연도별 값은 2012–2022년으로, 기준연도 2023년의 값은 아직 없습니다" in page


def test_second_study_pages_make_no_claim_of_the_2023_study(handmade_book):
    pages = built(handmade_book)["pages"]
    about_the_tool = {"book/changelog", "book/extending"}
    synthetic = sorted(k for k, t in pages.items() if "합성" in t and k not in about_the_tool)
    assert not synthetic
    assert not sorted(k for k, t in pages.items() if REPORT_TITLE in t)
    stale = sorted(k for k, t in pages.items() for title in FOCUS_TITLES if f"2022년 {title}" in t)
    assert not stale


def test_notebooks_publish_only_glued_values(built_book):
    """Tables, figures and numbers reach the page through glue; no stray printed output."""
    cache = built_book.root / "_build" / "cache" / "notebooks"
    stray = []
    for path in sorted(cache.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            tags = cell.metadata.get("tags", [])
            if cell.cell_type != "code" or "parameters" in tags or "injected-parameters" in tags:
                continue
            for out in cell.get("outputs", []):
                if not out.get("metadata", {}).get("scrapbook"):
                    stray.append(f"{path.name} cell {i}: {out.get('output_type')}")
    assert not stray, "\n".join(stray)


def test_second_study_has_the_provenance_appendix_and_no_origin_marks(handmade_book):
    """A real-extract build: the provenance appendix replaces calibration; no marks or banners anywhere."""
    import hashlib

    from jahwal.publish import pages as page_module

    book = built(handmade_book)
    html, pages = book["html"], book["pages"]
    assert "notebooks/92_provenance" in pages and "notebooks/92_calibration" not in pages
    for page in sorted(html.rglob("*.html")):
        raw = page.read_text(encoding="utf-8")
        assert "data-origin" not in raw and page_module.BANNER_CLASS not in raw, page
    prov = pages["notebooks/92_provenance"]
    stages_file = next(f for f in book["extract"].iterdir() if f.suffix == ".csv" and "단계" in f.name)
    digest = hashlib.sha256(stages_file.read_bytes()).hexdigest()
    assert stages_file.name in prov and digest in prov
    assert str(book["extract"]) not in prov  # file names only, never the folder they were read from
