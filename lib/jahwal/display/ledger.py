"""The ledger of published person counts and the relations between them.

Every person count that the book publishes (a table cell, the data behind a
figure, a number glued into the prose, a downloadable table) is one *cell* of
the ledger. A cell is named by what it counts: the population (for example
초기상담 참여자), and the classifying variables with their values (연도, 시도,
IAP 수립 여부, a characteristic's category). The same cell published by two
tables is one ledger entry with two sources, so that a count hidden in one table
and shown in another is found.

Relations follow from the names: when a classification refines another, the
total equals the sum of its parts (the provinces add up to the national count;
수립 + 미수립 + 미입력 add up to the intake; the categories of a characteristic
add up to the year's count), whichever tables and pages the cells come from.

A table tells the ledger what its cells count with a *spec* (a plain dict, so
that it travels in the table's notebook output to the gate):

``population``
    The population counted, one string, or ``{count column: population}``.
``year`` / ``year_column``
    A fixed year for the whole table, or the column holding each row's year.
``rows``
    ``{variable: column}``: row labels that classify the row (e.g. ``{"시도":
    "시도"}``).
``named_rows``
    ``{name column: value column}``: for long tables that keep the classifying
    variable's name in a column (``{"특성": "범주"}``: a row with 특성 = 성별 and
    범주 = 남 counts 성별=남); each name is a variable of its own.
``cells_by``
    One ``{count column: {variable: value}}`` per row: classifications that
    differ from row to row and column to column (for example the stage
    indicator of each row of a table of comparisons).
``totals``
    Row labels that mean "all categories" of the row variables (``"계"``).
``columns``
    ``{count column: {variable: value}}``: what each count column classifies
    (e.g. ``{"수립(명)": {"IAP": "수립"}}``); unlisted count columns add nothing.
``domains``
    ``{variable: [values]}``: the complete list of categories of a variable (a
    relation is only written for complete lists; without it, the values the
    table shows are taken as complete).
``related``
    ``{count column: [columns]}``: rates, means or statistics computed from the
    count, hidden whenever the count is hidden.
``keep``
    Cells of total rows (``totals``) and of these count columns are totals the
    report publishes; they are never chosen for complementary suppression.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

import pandas as pd

YEAR = "연도"
SUPPRESSED = "x"
SPEC_KEYS = {
    "population",
    "year",
    "year_column",
    "rows",
    "named_rows",
    "cells_by",
    "totals",
    "columns",
    "domains",
    "related",
    "keep",
}


@dataclass(frozen=True, order=True)
class CellKey:
    """What one published count counts: a population and classifying values.

    Examples
    --------
    >>> k = CellKey.make("초기상담 참여자", {"연도": 2019, "IAP": "수립"})
    >>> k.label()
    '초기상담 참여자 (IAP=수립, 연도=2019)'
    >>> k.without("IAP").label()
    '초기상담 참여자 (연도=2019)'
    """

    population: str
    by: tuple[tuple[str, str], ...] = ()

    @classmethod
    def make(cls, population: str, by: Mapping[str, Any] | None = None) -> "CellKey":
        items = tuple(sorted((str(k), _value(v)) for k, v in (by or {}).items()))
        return cls(str(population), items)

    @property
    def variables(self) -> frozenset[str]:
        return frozenset(k for k, _ in self.by)

    def get(self, variable: str) -> str | None:
        return dict(self.by).get(variable)

    def without(self, variable: str) -> "CellKey":
        return CellKey(self.population, tuple((k, v) for k, v in self.by if k != variable))

    def with_value(self, variable: str, value: Any) -> "CellKey":
        return CellKey.make(self.population, {**dict(self.by), variable: value})

    def label(self) -> str:
        inner = ", ".join(f"{k}={v}" for k, v in self.by)
        return f"{self.population} ({inner})" if inner else self.population

    def as_dict(self) -> dict[str, Any]:
        return {"population": self.population, "by": dict(self.by)}


def _value(v: Any) -> str:
    """Classifying values as text; whole floats and numpy integers as integers (2019.0 → '2019')."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    try:
        import numpy as np

        if isinstance(v, np.integer):
            return str(int(v))
        if isinstance(v, np.floating) and float(v).is_integer():
            return str(int(v))
    except ImportError:  # pragma: no cover
        pass
    return str(v)


@dataclass
class Entry:
    """One ledger cell: its value (``None`` when no page shows it) and where it is published.

    ``shown`` lists the sources that print the value, ``hidden`` those that
    print it as suppressed; a cell hidden in one table and shown in another is
    known.
    """

    key: CellKey
    value: float | None
    shown: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    keep: bool = False
    related: list[str] = field(default_factory=list)
    implicit: bool = False  # never published, but worked out by subtraction (e.g. persons not assessed)

    @property
    def sources(self) -> list[str]:
        return sorted(set(self.shown) | set(self.hidden))


@dataclass(frozen=True)
class Relation:
    """``total = sum(parts)``: the parts split the total by one variable."""

    total: CellKey
    variable: str
    parts: tuple[CellKey, ...]


def check_spec(spec: Mapping[str, Any], df: pd.DataFrame, where: str) -> None:
    """Refuse a ledger spec that names unknown keys or columns (Korean and English)."""
    unknown = set(spec) - SPEC_KEYS
    if unknown:
        raise ValueError(f"{where}: 장부 설정의 알 수 없는 키 / unknown ledger spec keys {sorted(unknown)}")
    if "population" not in spec:
        raise ValueError(f"{where}: 장부 설정에 population이 없습니다 / the ledger spec needs a population")
    cols = [
        *(spec.get("rows") or {}).values(),
        *(spec.get("named_rows") or {}),
        *(spec.get("named_rows") or {}).values(),
        *([spec["year_column"]] if spec.get("year_column") else []),
        *(spec.get("columns") or {}),
        *(spec.get("related") or {}),
    ]
    cols += [c for deps in (spec.get("related") or {}).values() for c in deps]
    if isinstance(spec["population"], Mapping):
        cols += list(spec["population"])
    cells_by = spec.get("cells_by")
    if cells_by is not None and len(cells_by) != len(df):
        raise ValueError(
            f"{where}: 장부 설정 cells_by는 행마다 하나여야 합니다 / cells_by needs one entry per row: "
            f"{len(cells_by)} ≠ {len(df)}"
        )
    cols += [c for per_row in (cells_by or []) for c in per_row]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(
            f"{where}: 장부 설정의 열이 표에 없습니다 / ledger spec names columns not in the table: {missing}"
        )


def _hidden_value(v: Any) -> bool:
    """A cell that shows no number: ``"x"``, ``"–"`` or empty."""
    return _is_missing(v) or (isinstance(v, str) and v.strip() in (SUPPRESSED, "–", "-", ""))


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def frame_cells(
    df: pd.DataFrame, spec: Mapping[str, Any], count_columns: Iterable[str], source: str
) -> list[dict[str, Any]]:
    """The ledger cells of a table: one dict per count cell, in row then column order.

    Each dict has ``row`` (0-based), ``column``, ``population``, ``by``,
    ``value`` (``None`` for a suppressed ``"x"`` cell), ``keep``, ``related``
    (the other columns of the row computed from this count) and ``source``.

    Examples
    --------
    >>> df = pd.DataFrame({"연도": [2019, 2020], "수립(명)": [12405, "x"], "수립(%)": [30.8, "x"]})
    >>> spec = {"population": "초기상담 참여자", "year_column": "연도",
    ...         "columns": {"수립(명)": {"IAP": "수립"}}, "related": {"수립(명)": ["수립(%)"]}}
    >>> [(c["by"], c["value"]) for c in frame_cells(df, spec, ["수립(명)"], "tab-III-4")]
    [({'IAP': '수립', '연도': '2019'}, 12405.0), ({'IAP': '수립', '연도': '2020'}, None)]
    """
    check_spec(spec, df, source)
    rows = dict(spec.get("rows") or {})
    totals = {str(t) for t in (spec.get("totals") or [])}
    columns = {c: dict(v) for c, v in (spec.get("columns") or {}).items()}
    related = {c: list(v) for c, v in (spec.get("related") or {}).items()}
    cells_by = list(spec.get("cells_by") or [])
    keep_cols = set(spec.get("keep") or []) if not isinstance(spec.get("keep"), bool) else set()
    pop = spec["population"]
    out = []
    for i, (_, row) in enumerate(df.reset_index(drop=True).iterrows()):
        by: dict[str, Any] = {}
        if spec.get("year") is not None:
            by[YEAR] = spec["year"]
        if spec.get("year_column"):
            y = row[spec["year_column"]]
            if str(y) in totals:
                pass
            else:
                by[YEAR] = y
        is_total = False
        for var, col in rows.items():
            label = row[col]
            if str(label) in totals:
                is_total = True
                continue
            by[var] = label
        for name_col, value_col in (spec.get("named_rows") or {}).items():
            label = row[value_col]
            if str(label) in totals or str(row[name_col]) in totals:
                is_total = True
                continue
            by[str(row[name_col])] = label
        if spec.get("year_column") and str(row[spec["year_column"]]) in totals:
            is_total = True
        for c in count_columns:
            v = row[c]
            if isinstance(v, str) and v.strip() == SUPPRESSED:
                value = None
            elif _is_missing(v) or isinstance(v, str):
                continue  # "–": not a count
            else:
                value = float(v)
            population = pop.get(c) if isinstance(pop, Mapping) else pop
            if population is None:
                continue
            cell_by = {**by, **columns.get(c, {}), **((cells_by[i].get(c) or {}) if cells_by else {})}
            shown = [str(d) for d in related.get(c, []) if not _hidden_value(row[d])]
            out.append(
                {
                    "row": i,
                    "column": str(c),
                    "population": str(population),
                    "by": {k: _value(v) for k, v in sorted(cell_by.items())},
                    "value": value,
                    "keep": bool(is_total or c in keep_cols),
                    "related": [str(x) for x in related.get(c, [])],
                    "related_shown": shown,
                    "source": source,
                }
            )
    return out


def spec_domains(df: pd.DataFrame, spec: Mapping[str, Any]) -> dict[str, list[str]]:
    """The category lists a table declares (or shows) for its classifying variables.

    Examples
    --------
    >>> df = pd.DataFrame({"시도": ["서울", "부산", "계"], "n": [1, 2, 3]})
    >>> spec_domains(df, {"population": "p", "rows": {"시도": "시도"}, "totals": ["계"]})
    {'시도': ['서울', '부산']}
    """
    totals = {str(t) for t in (spec.get("totals") or [])}
    out: dict[str, list[str]] = {}
    for var, col in (spec.get("rows") or {}).items():
        out[var] = [_value(v) for v in dict.fromkeys(df[col].tolist()) if str(v) not in totals and not _is_missing(v)]
    for name_col, value_col in (spec.get("named_rows") or {}).items():
        for name, value in zip(df[name_col], df[value_col]):
            if str(name) in totals or str(value) in totals or _is_missing(value):
                continue
            values = out.setdefault(str(name), [])
            if _value(value) not in values:
                values.append(_value(value))
    if spec.get("year_column"):
        out[YEAR] = [_value(v) for v in dict.fromkeys(df[spec["year_column"]].tolist()) if str(v) not in totals]
    by_col: dict[str, list[str]] = {}
    for values in (spec.get("columns") or {}).values():
        for var, v in values.items():
            by_col.setdefault(var, [])
            if _value(v) not in by_col[var]:
                by_col[var].append(_value(v))
    for per_row in spec.get("cells_by") or []:
        for values in per_row.values():
            for var, v in (values or {}).items():
                by_col.setdefault(var, [])
                if _value(v) not in by_col[var]:
                    by_col[var].append(_value(v))
    out.update(by_col)
    for var, values in (spec.get("domains") or {}).items():
        out[var] = [_value(v) for v in values]
    return out


class Ledger:
    """Published person counts by what they count, and the relations among them.

    Examples
    --------
    >>> led = Ledger()
    >>> led.add(CellKey.make("p", {"연도": 2019}), 40278, "fig-III-11")
    >>> for s, v in [("수립", 27870), ("미수립", None), ("미입력", 12405)]:
    ...     led.add(CellKey.make("p", {"연도": 2019, "IAP": s}), v, "tab-III-4")
    >>> led.set_domain("IAP", ["수립", "미수립", "미입력"])
    >>> [r.total.label() for r in led.relations()]
    ['p (연도=2019)']
    >>> led.suppressed()[0].label()
    'p (IAP=미수립, 연도=2019)'
    """

    def __init__(self) -> None:
        self.entries: dict[CellKey, Entry] = {}
        self.domains: dict[str, list[str]] = {}
        self.conflicts: list[str] = []

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def add(
        self, key: CellKey, value: float | None, source: str, *, keep: bool = False, related: Iterable[str] = ()
    ) -> None:
        """Register one published count (``None``: published as suppressed)."""
        e = self.entries.get(key)
        if e is None:
            e = self.entries[key] = Entry(key, None)
        e.implicit = False
        e.keep = e.keep or keep
        for r in related:
            if r not in e.related:
                e.related.append(r)
        if value is None:
            if source not in e.hidden:
                e.hidden.append(source)
            return
        value = float(value)
        if e.value is not None and abs(e.value - value) > 1e-9:
            self.conflicts.append(f"{key.label()}: {e.value:g} ≠ {value:g} ({', '.join(e.sources)})")
        if e.value is None:
            e.value = value
        if source not in e.shown:
            e.shown.append(source)

    def add_implicit(self, key: CellKey, value: float) -> None:
        """Register a true count that no page prints but that published counts may pin down.

        Used when planning: such a cell with 1 … ``threshold - 1`` persons
        must stay protected like a suppressed one (for example intake minus
        assessment, the persons not assessed).
        """
        if key in self.entries:
            return
        self.entries[key] = Entry(key, float(value), implicit=True)

    def set_domain(self, variable: str, values: Iterable[Any]) -> None:
        """Declare (or extend) the complete category list of ``variable``."""
        cur = self.domains.setdefault(variable, [])
        for v in values:
            v = _value(v)
            if v not in cur:
                cur.append(v)

    def add_cells(self, cells: Iterable[Mapping[str, Any]], domains: Mapping[str, Iterable[Any]] | None = None) -> None:
        """Register the cells of :func:`frame_cells` (or of a table payload)."""
        for c in cells:
            key = CellKey.make(c["population"], c.get("by") or {})
            value = c.get("value")
            self.add(key, value, c.get("source", ""), keep=bool(c.get("keep")), related=c.get("related") or ())
        for var, values in (domains or {}).items():
            self.set_domain(var, values)

    def add_frame(self, df: pd.DataFrame, spec: Mapping[str, Any], count_columns: Iterable[str], source: str) -> None:
        """Register every count cell of a table described by ``spec``."""
        self.add_cells(frame_cells(df, spec, count_columns, source), spec_domains(df, spec))

    def suppressed(self) -> list[CellKey]:
        """Cells that some page prints as suppressed, in a stable order (also those another page shows)."""
        return sorted(k for k, e in self.entries.items() if e.hidden and not e.implicit)

    def nodes(self) -> list[CellKey]:
        """All cells the relations speak of: registered cells and every coarser total of them."""
        seen: set[CellKey] = set()
        for key in self.entries:
            vars_ = [k for k, _ in key.by]
            for mask in range(1 << len(vars_)):
                k = key
                for j, var in enumerate(vars_):
                    if mask >> j & 1 and var in self.domains:
                        k = k.without(var)
                seen.add(k)
        return sorted(seen)

    def relations(self) -> list[Relation]:
        """``total = sum(parts)`` for every total and every variable that refines it.

        A relation is written when the ledger holds at least one part and the
        variable's category list is known; parts that no table publishes are
        unknowns of the relation.
        """
        nodes = set(self.nodes())
        by_parent: dict[tuple[CellKey, str], set[str]] = {}
        for n in nodes:
            for var, val in n.by:
                if var in self.domains:
                    by_parent.setdefault((n.without(var), var), set()).add(val)
        rels = []
        for (total, var), vals in sorted(by_parent.items()):
            if total not in nodes:
                continue
            domain = list(self.domains[var])
            domain += sorted(v for v in vals if v not in domain)
            rels.append(Relation(total, var, tuple(total.with_value(var, v) for v in domain)))
        return rels

    @classmethod
    def from_payloads(cls, payloads: Iterable[Mapping[str, Any]]) -> "Ledger":
        """The ledger of a book from the ``ledger`` blocks of its table and count payloads."""
        led = cls()
        for p in payloads:
            block = p.get("ledger")
            if not block:
                continue
            led.add_cells(block.get("cells", []), block.get("domains") or {})
        return led


def apply_suppression(
    df: pd.DataFrame,
    spec: Mapping[str, Any],
    count_columns: Iterable[str],
    suppressed: Iterable[CellKey],
    source: str = "",
) -> pd.DataFrame:
    """The table with every count whose cell is in ``suppressed`` shown as ``"x"``.

    The columns that ``spec["related"]`` computes from a hidden count (rates,
    means) are hidden in the same row. Columns with a hidden cell become
    ``object``; whole floats in them are shown as integers.

    Examples
    --------
    >>> df = pd.DataFrame({"연도": [2019, 2020], "n": [3, 50], "%": [0.1, 1.2]})
    >>> spec = {"population": "p", "year_column": "연도", "columns": {"n": {}}, "related": {"n": ["%"]}}
    >>> hide = {CellKey.make("p", {"연도": 2019})}
    >>> apply_suppression(df, spec, ["n"], hide).values.tolist()
    [[2019, 'x', 'x'], [2020, 50, 1.2]]
    """
    count_columns = list(count_columns)
    hide = set(suppressed)
    out = df.reset_index(drop=True).copy()
    marks: dict[str, list[int]] = {}
    for cell in frame_cells(out, spec, count_columns, source):
        if CellKey.make(cell["population"], cell["by"]) in hide:
            for col in [cell["column"], *cell["related"]]:
                marks.setdefault(col, []).append(cell["row"])
    for col, rows in marks.items():
        out[col] = out[col].astype(object)
        out.loc[rows, col] = SUPPRESSED
        out[col] = out[col].map(lambda v: int(v) if isinstance(v, float) and math.isfinite(v) and v.is_integer() else v)
    return out
