"""Qualitative analysis for Chapter Ⅳ: coded focus-group data, REFI-QDA, summaries.

The corpus comes from a native folder of CSV files (``data/qualitative``) or
from a REFI-QDA project (``.qdpx``) exported by QualCoder, ATLAS.ti, MAXQDA or
NVivo; both give the same :class:`QualCorpus`, which every summary takes.

Examples
--------
>>> from jahwal.qual import example_corpus, code_frequencies
>>> code_frequencies(example_corpus(), level="대주제")[["name", "n_quotes"]].values.tolist()
[['마음의 변화', 3], ['관계의 변화', 2]]
"""

from __future__ import annotations

from pathlib import Path

from .analysis import (
    DOMAIN_LABELS,
    GROUP_LABELS,
    SHARED_DOMAINS,
    code_count_table,
    code_counts,
    code_frequencies,
    code_participant_matrix,
    code_tree,
    comparison_table,
    comparison_values,
    cooccurrence,
    domain_comparison,
    group_values,
    korean,
    natural_key,
    participant_profile,
    participant_summary,
    participant_table,
    profile_table,
    reporting_unit,
    representative_quotes,
    session_table,
    side_by_side,
    theme_section,
    theme_table,
)
from .model import LEVELS, QualCorpus, QualDataError, example_corpus
from .native import read_native, write_native
from .refi import read_qdc, read_qdpx, write_qdc, write_qdpx

FORMATS = ("native", "qdpx")


def load_corpus(path: str | Path, format: str = "native") -> QualCorpus:
    """Read a corpus in the given format (``native`` folder or ``qdpx`` project).

    Parameters
    ----------
    path : str or Path
    format : {"native", "qdpx", "auto"}
        ``auto`` picks ``qdpx`` for a ``.qdpx`` file and ``native`` otherwise.

    Raises
    ------
    ValueError
        For an unknown format.
    QualDataError
        For unusable input (the message names the file and element or row).
    """
    if format == "auto":
        format = "qdpx" if str(path).lower().endswith(".qdpx") else "native"
    if format == "native":
        return read_native(path)
    if format == "qdpx":
        return read_qdpx(path)
    raise ValueError(f"형식은 {FORMATS} 중 하나입니다 / format must be one of {FORMATS}: {format!r}")


def main(argv: list[str] | None = None) -> int:
    """The ``jahwal qual`` command (import, export, summary)."""
    from .cli import main as _main

    return _main(argv)


__all__ = [
    "DOMAIN_LABELS",
    "FORMATS",
    "GROUP_LABELS",
    "LEVELS",
    "QualCorpus",
    "QualDataError",
    "SHARED_DOMAINS",
    "code_count_table",
    "comparison_table",
    "comparison_values",
    "code_counts",
    "code_frequencies",
    "code_participant_matrix",
    "code_tree",
    "cooccurrence",
    "domain_comparison",
    "example_corpus",
    "group_values",
    "korean",
    "load_corpus",
    "main",
    "natural_key",
    "participant_profile",
    "participant_summary",
    "participant_table",
    "profile_table",
    "read_native",
    "read_qdc",
    "read_qdpx",
    "reporting_unit",
    "representative_quotes",
    "session_table",
    "side_by_side",
    "theme_section",
    "theme_table",
    "write_native",
    "write_qdc",
    "write_qdpx",
]
