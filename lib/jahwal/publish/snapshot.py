"""The snapshot of the published tables: every CSV download of the default book, kept as test data.

A built book offers each table as a CSV download under ``_build/html/tables/``.
The snapshot (``tests/snapshot/``) keeps a copy of every one of them for the
default study (``params/report-2023.yml``), so that any change of a published
number shows up as a failing test and a visible diff in the repository.

``jahwal snapshot`` compares a built book with the snapshot;
``jahwal snapshot --refresh`` (or ``make snapshot``) replaces the snapshot with
the tables of the built book, after a change that is meant to alter them (and
gets a line in ``book/changelog.md``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from jahwal.errors import JahwalError

#: where a built book keeps its table downloads, relative to its HTML folder
TABLES = "tables"
#: the snapshot folder, relative to the project root
SNAPSHOT_DIR = Path("tests") / "snapshot"


class SnapshotError(JahwalError):
    """The built book has no tables, or its tables differ from the snapshot."""

    exit_code = 1


def table_files(folder: str | Path) -> dict[str, Path]:
    """The CSV tables of a folder (a book's ``tables`` folder or the snapshot), by file name.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for name in ("tab-III-1.csv", "tab-III-1.xlsx", "fig-I-1.csv"):
    ...     _ = (d / name).write_text("a", encoding="utf-8")
    >>> sorted(table_files(d))
    ['fig-I-1.csv', 'tab-III-1.csv']
    """
    return {p.name: p for p in sorted(Path(folder).glob("*.csv"))}


def differences(tables: str | Path, snapshot: str | Path) -> list[str]:
    """How the tables of a built book differ from the snapshot (empty when they are identical).

    Parameters
    ----------
    tables : path
        The ``tables`` folder of a built book (``_build/html/tables``).
    snapshot : path
        The snapshot folder (``tests/snapshot``).

    Returns
    -------
    list of str
        One bilingual line per missing, new or changed table, naming the file
        and, for a changed table, the first differing line.

    Examples
    --------
    >>> import tempfile
    >>> book, snap = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> _ = (book / "tab-1.csv").write_text("연도,인원\\n2022,40\\n", encoding="utf-8")
    >>> _ = (snap / "tab-1.csv").write_text("연도,인원\\n2022,41\\n", encoding="utf-8")
    >>> _ = (snap / "tab-2.csv").write_text("a\\n", encoding="utf-8")
    >>> for line in differences(book, snap):
    ...     print(line)
    tab-1.csv: 2행이 다릅니다 / line 2 differs: '2022,41' → '2022,40'
    tab-2.csv: 책에 없는 표입니다 / missing from the book
    """
    ours, theirs = table_files(tables), table_files(snapshot)
    out = []
    for name in sorted(set(ours) | set(theirs)):
        if name not in ours:
            out.append(f"{name}: 책에 없는 표입니다 / missing from the book")
        elif name not in theirs:
            out.append(f"{name}: 스냅숏에 없는 새 표입니다 / new table, not in the snapshot")
        else:
            new, old = ours[name].read_bytes(), theirs[name].read_bytes()
            if new != old:
                out.append(f"{name}: {_first_difference(old, new)}")
    return out


def _first_difference(old: bytes, new: bytes) -> str:
    a = old.decode("utf-8-sig", errors="replace").splitlines()
    b = new.decode("utf-8-sig", errors="replace").splitlines()
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "(없음 / none)"
        y = b[i] if i < len(b) else "(없음 / none)"
        if x != y:
            return f"{i + 1}행이 다릅니다 / line {i + 1} differs: {x!r} → {y!r}"
    return "바이트가 다릅니다(줄바꿈이나 BOM) / bytes differ (line endings or BOM)"


def refresh(tables: str | Path, snapshot: str | Path) -> list[str]:
    """Replace the snapshot with the tables of a built book; return the names written.

    Raises
    ------
    SnapshotError
        When the book folder holds no table (nothing is changed then).
    """
    ours = table_files(tables)
    if not ours:
        raise SnapshotError(f"{tables}: 표가 없습니다(책을 먼저 만드세요) / no tables here (build the book first)")
    snapshot = Path(snapshot)
    snapshot.mkdir(parents=True, exist_ok=True)
    for old in table_files(snapshot).values():
        old.unlink()
    for name, path in ours.items():
        shutil.copyfile(path, snapshot / name)
    return sorted(ours)


def main(argv: list[str] | None = None) -> int:
    """``jahwal snapshot [--refresh] [--html DIR] [--snapshot DIR]``."""
    p = argparse.ArgumentParser(
        prog="jahwal snapshot", description="공표 표의 스냅숏 비교·갱신 / compare or refresh the table snapshot"
    )
    p.add_argument("--refresh", action="store_true", help="스냅숏을 책의 표로 바꿉니다 / replace the snapshot")
    p.add_argument("--html", default="_build/html", help="만든 책의 HTML 폴더 / the built book's HTML folder")
    p.add_argument("--snapshot", default=str(SNAPSHOT_DIR), help="스냅숏 폴더 / the snapshot folder")
    args = p.parse_args(argv)
    tables = Path(args.html) / TABLES
    try:
        if args.refresh:
            names = refresh(tables, args.snapshot)
            print(f"스냅숏을 갱신했습니다 / snapshot refreshed: {len(names)}개 표 / tables → {args.snapshot}")
            return 0
        if not table_files(tables):
            raise SnapshotError(f"{tables}: 표가 없습니다(책을 먼저 만드세요) / no tables here (build the book first)")
        diff = differences(tables, args.snapshot)
    except SnapshotError as exc:
        print(f"오류 / error: {exc}", file=sys.stderr)
        return exc.exit_code
    if diff:
        print("\n".join(diff), file=sys.stderr)
        print(
            f"표 {len(diff)}개가 스냅숏과 다릅니다 / {len(diff)} tables differ from the snapshot "
            "(의도한 변경이면 `jahwal snapshot --refresh`와 변경 기록 / if intended: refresh and a changelog line)",
            file=sys.stderr,
        )
        return 1
    print(f"공표 표가 스냅숏과 같습니다 / tables match the snapshot ({len(table_files(tables))})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
