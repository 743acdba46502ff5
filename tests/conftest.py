"""Shared fixtures: tiny hand-made extracts written in any format and encoding."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

from jahwal.inputs.contract import TABLES
from jahwal.inputs.example import TINY_ROWS


def tiny_frames(headers: str = "ko") -> dict[str, pd.DataFrame]:
    """The tiny extract as text tables, headed by Korean names (``ko``) or English aliases (``en``)."""
    out = {}
    for alias, rows in TINY_ROWS.items():
        table = TABLES[alias]
        df = pd.DataFrame(rows, columns=[c.alias for c in table.columns]).astype(object)
        df = df.where(df.notna(), None).map(lambda v: None if v is None else str(v))
        if headers == "ko":
            df = df.rename(columns={c.alias: c.name for c in table.columns})
        out[alias] = df
    return out


def _typed(df: pd.DataFrame, alias: str) -> pd.DataFrame:
    """Give text columns the types a spreadsheet or Parquet writer would store."""
    out = df.copy()
    for c in TABLES[alias].columns:
        col = c.name if c.name in out.columns else c.alias
        if col not in out.columns:
            continue
        if c.dtype in ("int", "float"):
            out[col] = pd.to_numeric(out[col]).astype(float)  # 2022.0, 1.0: as a real workbook may hold them
        elif c.dtype == "date":
            out[col] = pd.to_datetime(out[col])
    return out


def write_extract(
    folder: Path,
    frames: dict[str, pd.DataFrame],
    fmt: str = "csv",
    encoding: str = "utf-8",
    stems: str = "en",
    native: bool = True,
) -> Path:
    """Write text tables as an extract folder (one file per table)."""
    folder.mkdir(parents=True, exist_ok=True)
    for alias, df in frames.items():
        stem = alias if stems == "en" else TABLES[alias].name
        if fmt == "csv":
            df.to_csv(folder / f"{stem}.csv", index=False, encoding=encoding)
        elif fmt == "xlsx":
            (_typed(df, alias) if native else df).to_excel(folder / f"{stem}.xlsx", index=False, engine="openpyxl")
        elif fmt == "parquet":
            (_typed(df, alias) if native else df).to_parquet(folder / f"{stem}.parquet", index=False)
        else:  # pragma: no cover
            raise ValueError(fmt)
    return folder


@pytest.fixture
def tiny_extract(tmp_path: Path) -> Callable[..., Path]:
    """Factory writing the tiny extract; returns the folder.

    ``tiny_extract(fmt="csv", encoding="utf-8", headers="ko", stems="en", edit=None, name="extract")``;
    ``edit`` is a function ``edit(frames)`` changing the text tables in place before writing.
    """
    counter = iter(range(1000))

    def make(
        fmt: str = "csv",
        encoding: str = "utf-8",
        headers: str = "ko",
        stems: str = "en",
        edit: Callable[[dict[str, pd.DataFrame]], None] | None = None,
        native: bool = True,
        name: str | None = None,
    ) -> Path:
        frames = tiny_frames(headers)
        if edit is not None:
            edit(frames)
        folder = tmp_path / (name or f"extract{next(counter)}")
        return write_extract(folder, frames, fmt=fmt, encoding=encoding, stems=stems, native=native)

    return make
