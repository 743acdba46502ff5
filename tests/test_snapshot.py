"""Every published table of the default book equals its snapshot in ``tests/snapshot``.

The shared test book (:mod:`book_fixture`) is the default study built as it is,
so its CSV downloads must equal the snapshot byte for byte. A change that is
meant to alter a published number refreshes the snapshot (``make snapshot`` or
``jahwal snapshot --refresh``) and adds a line to ``book/changelog.md``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from book_fixture import built_book  # noqa: F401  (pytest fixture)
from jahwal.publish import snapshot

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "snapshot"


def test_the_snapshot_holds_the_published_tables():
    names = snapshot.table_files(SNAPSHOT)
    assert len(names) >= 90
    assert {"tab-III-1.csv", "tab-III-9.csv", "tab-fig-III-11.csv", "tab-V-S4.csv"} <= set(names)
    # 표 Ⅲ-1 as the report publishes it: 2022 had 125 centres and 125 case managers
    rows = (SNAPSHOT / "tab-III-1.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].split(",")[:3] == ["연도", "시행기관(개소)", "사례관리자(명)"]
    assert any(r.startswith("2022,125,125") for r in rows)


@pytest.mark.slow
def test_published_tables_equal_the_snapshot(built_book):
    diff = snapshot.differences(built_book.html / snapshot.TABLES, SNAPSHOT)
    assert diff == [], (
        "공표 표가 스냅숏과 다릅니다 / published tables differ from the snapshot "
        "(의도한 변경이면 make snapshot과 변경 기록 / if intended: make snapshot and a changelog line):\n"
        + "\n".join(diff)
    )


def test_a_changed_number_is_caught_and_refresh_copies_the_book(tmp_path):
    book = tmp_path / "html" / snapshot.TABLES
    shutil.copytree(SNAPSHOT, book)
    snap = tmp_path / "snap"
    shutil.copytree(SNAPSHOT, snap)
    assert snapshot.differences(book, snap) == []
    table = book / "tab-III-1.csv"
    table.write_text(table.read_text(encoding="utf-8-sig").replace("2022,125,125", "2022,125,126"), encoding="utf-8")
    (book / "tab-new.csv").write_text("a\n", encoding="utf-8")
    diff = snapshot.differences(book, snap)
    assert len(diff) == 2
    assert diff[0].startswith("tab-III-1.csv:") and "'2022,125,125" in diff[0] and "'2022,125,126" in diff[0]
    assert diff[1].startswith("tab-new.csv:")
    assert snapshot.main(["--html", str(tmp_path / "html"), "--snapshot", str(snap)]) == 1
    assert snapshot.main(["--html", str(tmp_path / "html"), "--snapshot", str(snap), "--refresh"]) == 0
    assert snapshot.differences(book, snap) == []
    assert snapshot.main(["--html", str(tmp_path / "html"), "--snapshot", str(snap)]) == 0


def test_refresh_refuses_a_folder_without_tables(tmp_path):
    with pytest.raises(snapshot.SnapshotError, match="no tables"):
        snapshot.refresh(tmp_path, tmp_path / "snap")
    assert not (tmp_path / "snap").exists()
