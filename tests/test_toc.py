"""`jahwal new-chapter`: a notebook from the template, registered in _toc.yml."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from jahwal.cli import main
from jahwal.publish.toc import TocError, new_chapter, page_title, toc_entries

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "p"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "_toc.yml", root / "_toc.yml")
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    return root


def test_new_chapter_creates_parameterized_notebook_and_registers_it(project):
    path = new_chapter(project, "56_regional_trends", "6. 지역별 추이")
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert page_title(path) == "6. 지역별 추이"
    params = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1 and "focus_year" in "".join(params[0]["source"])
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    toc = yaml.safe_load((project / "_toc.yml").read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if p["caption"] == "Ⅴ. 성과 특성과 관리 과업")
    assert part["chapters"][-1] == {"file": "notebooks/56_regional_trends"}
    assert "{{" not in path.read_text(encoding="utf-8")


def test_new_chapter_into_a_named_part(project):
    new_chapter(project, "36_extra", "6. 추가 분석", part="Ⅲ. 양적 성과")
    entries = [e for e in toc_entries(project) if e["file"] == "notebooks/36_extra"]
    assert entries == [{"file": "notebooks/36_extra", "part": "Ⅲ. 양적 성과"}]


def test_new_chapter_errors(project):
    with pytest.raises(TocError, match="slug"):
        new_chapter(project, "Regional", "제목")
    with pytest.raises(TocError, match="no part"):
        new_chapter(project, "57_x", "제목", part="Ⅸ. 없는 장")
    new_chapter(project, "58_y", "제목")
    with pytest.raises(TocError, match="already exists"):
        new_chapter(project, "58_y", "제목")


def test_new_chapter_command(project, capsys):
    assert main(["new-chapter", "59_z", "--title", "7. 명령으로 만든 장", "--root", str(project)]) == 0
    assert "notebooks/59_z.ipynb" in capsys.readouterr().out
    assert main(["new-chapter", "bad slug", "--title", "x", "--root", str(project)]) == 2
