"""Errors that the ``jahwal`` command reports to users (bilingual, non-zero exit).

Input files are checked as a whole: each problem found becomes a
:class:`Problem` (file, column, Korean and English message, the spreadsheet
rows and their values), and :class:`ProblemError` raises all of them at once.

Examples
--------
>>> p = Problem("participants.csv", "sex", "코드 목록에 없는 값입니다", "value not in the code list", [3, 7], ["M", "F"])
>>> print(p.format())
  - participants.csv, 열 'sex': 코드 목록에 없는 값입니다 / value not in the code list
      행(row): 3행='M', 7행='F'
>>> raise ProblemError([p], "자료에 문제가 있습니다", "the data has problems")
Traceback (most recent call last):
...
jahwal.errors.ProblemError: 자료에 문제가 있습니다: 문제 1건 / the data has problems: 1 problem(s)
  - participants.csv, 열 'sex': 코드 목록에 없는 값입니다 / value not in the code list
      행(row): 3행='M', 7행='F'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class JahwalError(Exception):
    """Base class: the message is shown to the user as is; ``exit_code`` is the status."""

    exit_code = 1


@dataclass
class Problem:
    """One problem found in an input file, reported once with up to a few rows.

    Parameters
    ----------
    file : str
        The file (or folder) concerned.
    column : str
        The column, or ``""`` for a problem of the whole file.
    ko, en : str
        The message in Korean and in English.
    rows : list of int
        Row numbers as a spreadsheet shows them (the header is row 1).
    values : list
        The offending value of each listed row (``None`` when not shown).
    n : int
        How many rows have the problem in all (more than ``rows`` lists).
    """

    file: str
    column: str
    ko: str
    en: str
    rows: list[int] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    n: int = 0

    def format(self) -> str:
        """The problem as two indented lines: where and what, then the rows and values."""
        where = f"{self.file}" + (f", 열 '{self.column}'" if self.column else "")
        out = f"  - {where}: {self.ko} / {self.en}"
        if self.rows:
            pairs = ", ".join(f"{r}행={v!r}" if v is not None else f"{r}행" for r, v in zip(self.rows, self.values))
            more = (
                f" 외 {self.n - len(self.rows)}건 / and {self.n - len(self.rows)} more"
                if self.n > len(self.rows)
                else ""
            )
            out += f"\n      행(row): {pairs}{more}"
        return out


class ProblemError(JahwalError):
    """All problems of an input at once, under a bilingual heading; nothing was loaded.

    Subclasses name the input (:class:`jahwal.inputs.contract.ContractError`,
    :class:`jahwal.inputs.infrastructure.InfrastructureError`) and set their
    heading and exit code.
    """

    exit_code = 2
    heading_ko = "입력 자료에 문제가 있습니다"
    heading_en = "the input has problems"

    def __init__(self, problems: list[Problem], heading_ko: str | None = None, heading_en: str | None = None) -> None:
        self.problems = list(problems)
        ko, en = heading_ko or self.heading_ko, heading_en or self.heading_en
        head = f"{ko}: 문제 {len(self.problems)}건 / {en}: {len(self.problems)} problem(s)"
        super().__init__(head + "\n" + "\n".join(p.format() for p in self.problems))
