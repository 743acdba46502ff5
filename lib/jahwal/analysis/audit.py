"""Reproduction audit: check every published figure against the others.

Every figure that the 2023 report publishes is checked against another
published figure or an internal constraint:

* *recomputations* (exact): a rate from its counts, a total from its parts
  across tables, a *t* from group sizes, means and standard deviations,
  participation days from a wage divided by the daily rate, a number the prose
  repeats from a table, one printed value recorded in several cells;
* *bounds*: min ≤ median ≤ max, the mean between min and max, a national
  figure within the range of its parts, a ranking the prose states, counts
  that must be whole numbers, a standard deviation within what the mean, the
  median and the extremes allow.

Which figures relate to which, and how, is *data*: ``audit_checks.yml`` in the
reference folder lists the checks as a kind plus selectors (file, row filters,
column); its ``unconstrained`` section gives the reason for every published
cell that no check reads. This module only interprets that file, so a new
year's reference folder is audited by editing it, not this code.

Verdicts
--------
``일치``
    The printed value agrees with the recomputation (or the bound) within its
    printed precision.
``반올림 차이``
    Off by more than half a unit of the last printed digit but not more than
    ``rounding_band`` half-units.
``불일치``
    A real disagreement. ``cause`` is inferred from the evidence, one of
    :data:`CAUSES`.
``점검 불가``
    A value the check needs is missing (file, row, column or an unpublished
    cell); ``detail`` says which.

Causes are worked out from the printed values, never read from the rules
file: a negated value (``부호``), a truncated value (``절사``), two adjacent
digits transposed (``자릿수 뒤바뀜``), a pair of rows that match when swapped
(``행·라벨 뒤바뀜``), a value equal to a comparable row of another check
(``행 복사``), a value printed elsewhere in the same table (``다른 칸 값``) or in
another table (``다른 표 값``), the other *t*-test variant (``검정 방식``),
otherwise ``반올림`` for a rounding difference and ``미상`` for a mismatch.
Each flagged check also names the cell most likely at fault (the cell whose
checks fail most consistently), so that a wrong input is traced to its own
table even when the checks that fail print values of other tables.
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import yaml
from scipy import stats

__all__ = [
    "BASELINE_FILE",
    "CAUSES",
    "COLUMNS",
    "VERDICTS",
    "cell_coverage",
    "compare_baseline",
    "default_reference_dir",
    "load_baseline",
    "load_checks",
    "main",
    "mismatch_table",
    "mutation_summary",
    "mutation_test",
    "printed_decimals",
    "read_reference",
    "rounding_tolerance",
    "run_audit",
    "summarise",
    "summary_table",
    "unconstrained_table",
    "verdict_for",
]

#: Verdicts in display order.
VERDICTS = ("일치", "반올림 차이", "불일치", "점검 불가")
#: Causes a flagged check can be given (inferred from the printed values).
CAUSES = (
    "부호",
    "절사",
    "자릿수 뒤바뀜",
    "행·라벨 뒤바뀜",
    "행 복사",
    "다른 칸 값",
    "다른 표 값",
    "검정 방식",
    "반올림",
    "미상",
)
#: Columns of the frame returned by :func:`run_audit`.
COLUMNS = (
    "check_id",
    "figure_id",
    "kind",
    "strength",
    "description",
    "printed",
    "recomputed",
    "difference",
    "tolerance",
    "verdict",
    "cause",
    "detail",
    "suspect_figure",
    "suspect_cell",
)
#: Kinds that recompute a printed value exactly, and kinds that only bound it.
EXACT_KINDS = ("ratio", "equal", "difference", "ttest", "same", "weighted_mean")
BOUND_KINDS = ("stars", "order", "whole", "spread")
KINDS = EXACT_KINDS + BOUND_KINDS
AGGREGATES = ("one", "sum", "min", "max", "mean")
CHECKS_FILE = "audit_checks.yml"
BASELINE_FILE = "audit_baseline.yml"
FLAGGED = ("반올림 차이", "불일치")
_EPS = 1e-9
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NEED = {
    "ratio": ("printed", "numerator", "denominator"),
    "equal": ("printed", "value"),
    "difference": ("printed", "a", "b"),
    "ttest": ("printed", "group_a", "group_b"),
    "stars": ("printed", "group_a", "group_b"),
    "same": ("cells",),
    "order": ("items",),
    "whole": ("printed",),
    "weighted_mean": ("printed", "parts"),
    "spread": ("row",),
}


class Unavailable(Exception):
    """A value a check needs is not in the reference folder (verdict 점검 불가)."""


# ---------------------------------------------------------------- precision
def printed_decimals(text: Any) -> int:
    """Number of decimals a value was printed with.

    Thousands separators, ``%`` and surrounding spaces are ignored.

    Parameters
    ----------
    text : str or number
        The value as printed (a number is converted with ``str``).

    Returns
    -------
    int
        Digits after the decimal point (0 for an integer).

    Examples
    --------
    >>> printed_decimals("30.80")
    2
    >>> printed_decimals("1,528,910.64")
    2
    >>> printed_decimals("216")
    0
    """
    s = str(text).strip().replace(",", "").rstrip("%")
    if s == "":
        raise ValueError("빈 값의 자릿수는 알 수 없습니다 / empty value has no precision")
    _to_float(s)
    return len(s.split(".", 1)[1]) if "." in s else 0


def rounding_tolerance(text: Any, band: float = 1.0) -> float:
    """Largest difference explained by rounding a value to its printed digits.

    Parameters
    ----------
    text : str or number
        The value as printed.
    band : float, default 1.0
        Multiple of the half unit of the last printed digit.

    Returns
    -------
    float
        ``band * 0.5 * 10**-k`` where *k* is :func:`printed_decimals`.

    Examples
    --------
    >>> rounding_tolerance("30.80")
    0.005
    >>> rounding_tolerance("183.3", band=2)
    0.1
    """
    if not isinstance(band, (int, float)) or band <= 0:
        raise ValueError(f"band는 양수여야 합니다 / band must be positive, got {band!r}")
    return band * 0.5 * 10.0 ** (-printed_decimals(text))


def verdict_for(
    printed: Any, recomputed: float, *, input_tolerance: float = 0.0, band: float = 2.0
) -> tuple[str, float, float]:
    """Compare one printed value with its recomputation.

    Parameters
    ----------
    printed : str or number
        The value as printed; its decimals set the tolerance.
    recomputed : float
        The value recomputed from other printed figures.
    input_tolerance : float, default 0.0
        Extra slack from rounding of the inputs (propagated by the caller).
    band : float, default 2.0
        Half-units of the last printed digit within which a difference counts
        as ``반올림 차이`` rather than ``불일치``.

    Returns
    -------
    tuple of (str, float, float)
        Verdict (``일치``, ``반올림 차이`` or ``불일치``), difference
        ``printed - recomputed`` and the tolerance used for ``일치``.

    Examples
    --------
    >>> verdict_for("42.75", 22108 / 51709 * 100)[0]
    '일치'
    >>> verdict_for("183.3", 10756663.21 / 58660)[0]
    '반올림 차이'
    >>> verdict_for("183.4", 10711448.74 / 58660)[0]
    '불일치'
    """
    if band < 1:
        raise ValueError(f"band는 1 이상이어야 합니다 / band must be >= 1, got {band!r}")
    if input_tolerance < 0 or not math.isfinite(input_tolerance):
        raise ValueError("input_tolerance는 0 이상의 유한값이어야 합니다 / must be finite and >= 0")
    value = _to_float(printed)
    if not math.isfinite(recomputed):
        raise ValueError("재계산 값이 유한하지 않습니다 / recomputed value is not finite")
    diff = value - recomputed
    eps = _EPS * max(1.0, abs(value))
    tol = rounding_tolerance(printed) + input_tolerance + eps
    if abs(diff) <= tol:
        return "일치", diff, tol
    if abs(diff) <= rounding_tolerance(printed, band) + input_tolerance + eps:
        return "반올림 차이", diff, tol
    return "불일치", diff, tol


def _to_float(text: Any) -> float:
    s = str(text).strip().replace(",", "").rstrip("%")
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"숫자가 아닙니다 / not a number: {text!r}") from None


def _half_unit(text: str) -> float:
    """Rounding half-unit of an *input*; integers are exact counts."""
    k = printed_decimals(text)
    return 0.0 if k == 0 else 0.5 * 10.0 ** (-k)


def _is_number(text: str) -> bool:
    try:
        _to_float(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- loading
def _find_reference(start: Path) -> Path | None:
    for cand in [start, *start.parents]:
        ref = cand / "data" / "reference"
        if (ref / CHECKS_FILE).is_file():
            return ref
    return None


def default_reference_dir(params: str | Path | None = None) -> Path:
    """The project's reference folder, wherever the command is run from.

    Parameters
    ----------
    params : path, optional
        A study parameter file; its ``parameters.reference_dir`` is read
        relative to the project folder that holds the file.

    Returns
    -------
    Path
        With a parameter file, its reference folder. Otherwise the nearest
        ``data/reference`` holding ``audit_checks.yml`` above this module (the
        project the package is installed from), else above the working folder.

    Examples
    --------
    >>> (default_reference_dir() / "audit_checks.yml").is_file()
    True
    """
    if params is not None:
        path = Path(params).resolve()
        if not path.is_file():
            raise ValueError(f"매개변수 파일이 없습니다 / parameter file not found: {path}")
        try:
            spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"{path}: YAML 구문 오류 / YAML syntax error: {exc}") from None
        rel = ((spec.get("parameters") or {}) if isinstance(spec, Mapping) else {}).get("reference_dir")
        if not rel:
            raise ValueError(f"{path}: parameters.reference_dir가 없습니다 / missing parameters.reference_dir")
        for cand in [path.parent, *path.parent.parents]:
            if (cand / rel).is_dir():
                return (cand / rel).resolve()
        raise ValueError(f"{path}: 참조 폴더 {rel}를 찾지 못했습니다 / reference folder {rel} not found")
    found = _find_reference(Path(__file__).resolve().parent) or _find_reference(Path.cwd().resolve())
    if found is None:
        raise ValueError(
            "참조 폴더(data/reference)를 찾지 못했습니다 / no data/reference folder found; use --reference"
        )
    return found


def load_checks(
    source: str | Path | Mapping[str, Any] | None = None, reference_dir: str | Path | None = None
) -> dict[str, Any]:
    """Read and validate the check definitions.

    Parameters
    ----------
    source : path, mapping or None
        A YAML file, an already parsed mapping, or ``None`` for
        ``audit_checks.yml`` inside ``reference_dir``.
    reference_dir : path, optional
        Used only when ``source`` is ``None``.

    Returns
    -------
    dict
        With keys ``defaults``, ``sets``, ``checks`` (a list of mappings),
        ``consistency``, ``unconstrained`` and ``key_columns``.

    Examples
    --------
    >>> spec = load_checks({"checks": [{"id": "x", "kind": "equal", "figure_id": "표 Ⅲ-1",
    ...     "printed": {"value": "1"}, "value": {"value": "1"}}]})
    >>> len(spec["checks"]), spec["key_columns"]
    (1, ['year', 'source_line'])
    """
    if source is None:
        if reference_dir is None:
            raise ValueError("checks 또는 reference_dir가 필요합니다 / checks or reference_dir required")
        source = Path(reference_dir) / CHECKS_FILE
    if isinstance(source, Mapping):
        spec = dict(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise ValueError(f"점검 정의 파일이 없습니다 / checks file not found: {path}")
        try:
            with path.open(encoding="utf-8") as fh:
                spec = yaml.safe_load(fh) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"{path}: YAML 구문 오류 / YAML syntax error: {exc}") from None
        if not isinstance(spec, Mapping):
            raise ValueError(f"{path}: 최상위는 매핑이어야 합니다 / top level must be a mapping")
    checks = spec.get("checks")
    if not isinstance(checks, list) or not checks:
        raise ValueError("checks 목록이 비어 있습니다 / 'checks' must be a non-empty list")
    seen = set()
    for i, chk in enumerate(checks):
        if not isinstance(chk, Mapping):
            raise ValueError(f"checks[{i}]는 매핑이어야 합니다 / must be a mapping")
        cid = chk.get("id")
        if not cid or cid in seen:
            raise ValueError(f"checks[{i}]: id가 없거나 중복입니다 / missing or duplicate id {cid!r}")
        seen.add(cid)
        kind = chk.get("kind")
        if kind not in KINDS:
            raise ValueError(f"{cid}: 알 수 없는 kind {kind!r} / unknown kind; one of {KINDS}")
        missing = [k for k in ("figure_id", *_NEED[kind]) if k not in chk]
        if missing:
            raise ValueError(f"{cid}: 필요한 키가 없습니다 / missing keys {missing}")
        if "cause" in chk:
            raise ValueError(
                f"{cid}: cause는 적지 않습니다(원인은 자료에서 추정) / "
                "'cause' is not allowed: causes are inferred from the data"
            )
        if kind == "ttest" and chk.get("method", "either") not in ("either", "student", "welch"):
            raise ValueError(f"{cid}: method는 either/student/welch / bad method")
        if kind == "order" and (not isinstance(chk["items"], list) or len(chk["items"]) < 2):
            raise ValueError(f"{cid}: items는 두 개 이상의 선택자 목록 / 'items' must list two or more selectors")
    out = {
        "defaults": dict(spec.get("defaults") or {}),
        "sets": dict(spec.get("sets") or {}),
        "checks": list(checks),
        "consistency": list(spec.get("consistency") or []),
        "unconstrained": list(spec.get("unconstrained") or []),
        "key_columns": list(spec.get("key_columns") or ["year", "source_line"]),
    }
    band = out["defaults"].get("rounding_band", 2.0)
    if not isinstance(band, (int, float)) or band < 1:
        raise ValueError(f"defaults.rounding_band는 1 이상 / must be >= 1, got {band!r}")
    for i, item in enumerate(out["unconstrained"]):
        if not isinstance(item, Mapping) or not item.get("file") or not item.get("reason"):
            raise ValueError(f"unconstrained[{i}]: file과 reason이 필요합니다 / needs file and reason")
    return out


def read_reference(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Every CSV of a reference folder as strings (printed precision is kept).

    Examples
    --------
    >>> frames = read_reference(default_reference_dir())
    >>> frames["tab_III_04_iap_by_year.csv"].loc[0, "pct"]
    '30.80'
    """
    folder = Path(folder)
    return {
        p.name: pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8") for p in sorted(folder.glob("*.csv"))
    }


Cell = tuple[str, int, str]  # (file, row index, column)


class _Reference:
    """Reference cells as stripped strings by column, with a record of the cells a check reads.

    Row selections depend only on label columns, so they are cached; values are
    read from plain lists (fast enough to rerun checks once per changed cell).
    """

    def __init__(self, frames: Mapping[str, pd.DataFrame]):
        self.columns = {
            name: {col: [str(v).strip() for v in df[col]] for col in df.columns} for name, df in frames.items()
        }
        self._rows_cache: dict[tuple, list[int] | str] = {}
        self.track: list[Cell] | None = None
        self.track_bound: list[Cell] = []

    def frame(self, name: str) -> dict[str, list[str]]:
        cols = self.columns.get(name)
        if cols is None:
            raise Unavailable(f"파일 없음: {name}")
        return cols

    def set(self, name: str, idx: int, col: str, text: str) -> None:
        self.columns[name][col][idx] = text

    def select(self, name: str, where: Mapping[str, Any]) -> list[int]:
        key = (
            name,
            tuple(
                (k, tuple(str(w) for w in want) if isinstance(want, (list, tuple)) else (str(want),))
                for k, want in where.items()
            ),
        )
        hit = self._rows_cache.get(key)
        if hit is None:
            hit = self._select_rows(name, key[1])
            self._rows_cache[key] = hit
        if isinstance(hit, str):
            raise Unavailable(hit)
        return hit

    def _select_rows(self, name: str, where: tuple) -> list[int] | str:
        try:
            cols = self.frame(name)
        except Unavailable as exc:
            return str(exc)
        n = len(next(iter(cols.values()), []))
        rows = list(range(n))
        for key, wants in where:
            if key not in cols:
                return f"열 없음: {name}.{key}"
            values = cols[key]
            absent = sorted(set(wants) - set(values))
            if absent:  # every listed member must be there, or a sum would be silently short
                return f"행 없음: {name}[{key}={', '.join(absent)}]"
            rows = [i for i in rows if values[i] in wants]
        return rows

    def touch(self, name: str, index: Iterable[int], col: str, *, bound: bool = False) -> None:
        if self.track is not None:
            cells = [(name, int(i), col) for i in index]
            self.track.extend(cells)
            if bound:  # read only as a bound (the rows a minimum or maximum is not taken from)
                self.track_bound.extend(cells)


@dataclass
class _Value:
    value: float
    text: str  # printed text of the (first) cell, sets the precision
    half_unit: float  # propagated rounding half-unit of the inputs
    where: str  # human-readable location
    texts: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)


def _rows(ref: _Reference, sel: Mapping[str, Any], col: str, *, touch: bool = True) -> tuple[list[int], list[str], str]:
    """Row indices and printed texts of the cells a selector picks."""
    name = sel.get("file")
    if not name or not col:
        raise ValueError(f"선택자에 file과 column이 필요합니다 / selector needs file and column: {sel!r}")
    cols = ref.frame(name)
    where = sel.get("where") or {}
    loc = f"{name}[{', '.join(f'{k}={v}' for k, v in where.items())}].{col}"
    if col not in cols:
        raise Unavailable(f"열 없음: {name}.{col}")
    idx = ref.select(name, where)
    if not idx:
        raise Unavailable(f"행 없음: {loc}")
    if touch:
        ref.touch(name, idx, col)
    values = cols[col]
    return idx, [values[i] for i in idx], loc


def _select(ref: _Reference, sel: Mapping[str, Any], *, as_printed: bool = False) -> _Value:
    """Resolve one selector to a number."""
    if not isinstance(sel, Mapping):
        raise ValueError(f"선택자는 매핑이어야 합니다 / selector must be a mapping: {sel!r}")
    if "value" in sel:  # a constant
        text = str(sel["value"])
        return _Value(_to_float(text), text, 0.0, f"상수 {text}", [text])
    agg = sel.get("agg", "one")
    if agg not in AGGREGATES:
        raise ValueError(f"agg는 {AGGREGATES} 중 하나 / bad agg {agg!r}")
    index, cells, loc = _rows(ref, sel, sel.get("column"), touch=agg not in ("min", "max"))
    if agg == "one" and len(cells) > 1:
        raise Unavailable(f"행이 여러 개({len(cells)}): {loc}")
    if "" in cells:
        raise Unavailable(f"값 없음(미공표): {loc}")
    try:
        values = [_to_float(c) for c in cells]
    except ValueError as exc:
        raise Unavailable(f"{loc}: {exc}") from None
    halves = [0.0 if as_printed else _half_unit(c) for c in cells]
    k = max(printed_decimals(c) for c in cells)
    texts = list(cells)
    idx = [(sel["file"], int(i), sel["column"]) for i in index]
    if agg in ("one", "sum"):
        total = float(sum(values))
        text = cells[0] if len(cells) == 1 else f"{total:.{k}f}"
        return _Value(total, text, float(sum(halves)), loc, texts, idx)
    if agg == "mean":
        mean = float(np.mean(values))
        return _Value(mean, f"{mean:.{k}f}", float(np.mean(halves)), loc, texts, idx)
    pick = int(np.argmax(values) if agg == "max" else np.argmin(values))
    ref.touch(sel["file"], [index[pick]], sel["column"])
    ref.touch(sel["file"], [i for i in index if i != index[pick]], sel["column"], bound=True)
    return _Value(values[pick], cells[pick], halves[pick], loc, [texts[pick]], [idx[pick]])


def _select_text(ref: _Reference, sel: Mapping[str, Any]) -> str:
    """Resolve a selector to the raw printed string of exactly one cell."""
    _idx, cells, loc = _rows(ref, sel, sel.get("column"))
    if len(cells) != 1:
        raise Unavailable(f"행이 여러 개: {loc}")
    return cells[0]


def _group(ref: _Reference, sel: Mapping[str, Any]) -> tuple[float, float, float]:
    cols = {"n": "n", "mean": "mean", "sd": "sd", **(sel.get("columns") or {})}
    base = {k: v for k, v in sel.items() if k != "columns"}
    return tuple(_select(ref, {**base, "column": cols[k]}).value for k in ("n", "mean", "sd"))


# ---------------------------------------------------------------- expansion
def _substitute(obj: Any, values: Mapping[str, str]) -> Any:
    if isinstance(obj, str):
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), obj)
    if isinstance(obj, Mapping):
        return {_substitute(k, values): _substitute(v, values) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_substitute(v, values) for v in obj]
    return obj


def _resolve_sets(obj: Any, sets: Mapping[str, Any], cid: str) -> Any:
    """Replace every string ``"$name"`` by the list ``sets[name]``."""
    if isinstance(obj, str) and obj.startswith("$"):
        if obj[1:] not in sets:
            raise ValueError(f"{cid}: 정의되지 않은 집합 {obj} / unknown set")
        return sets[obj[1:]]
    if isinstance(obj, Mapping):
        return {k: _resolve_sets(v, sets, cid) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_resolve_sets(v, sets, cid) for v in obj]
    return obj


def _expand(check: Mapping[str, Any], sets: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Expand ``for_each`` into one concrete check per combination."""
    check = _resolve_sets(dict(check), sets, check["id"])
    loops = check.get("for_each")
    body = {k: v for k, v in check.items() if k != "for_each"}
    if not loops:
        return [body]
    if not isinstance(loops, Mapping):
        raise ValueError(f"{check['id']}: for_each는 매핑이어야 합니다 / for_each must be a mapping")
    axes = []
    for name, items in loops.items():
        if not isinstance(items, list) or not items:
            raise ValueError(f"{check['id']}: for_each.{name}는 비어 있지 않은 목록 / must be a list")
        axis = []
        for item in items:
            if isinstance(item, Mapping):
                vals = {str(k): str(v) for k, v in item.items() if k != "id"}
                label = str(item.get("id", "/".join(vals.values())))
            else:
                vals, label = {name: str(item)}, str(item)
            axis.append((label, vals))
        axes.append(axis)
    out = []
    for combo in itertools.product(*axes):
        values: dict[str, str] = {}
        for _, vals in combo:
            values.update(vals)
        suffix = ".".join(label.replace(" ", "") for label, _ in combo)
        concrete = _substitute(body, values)
        concrete["id"] = f"{check['id']}.{suffix}"
        concrete["_family"] = check.get("family", check["id"])
        out.append(concrete)
    return out


# ---------------------------------------------------------------- evaluation
def _row(chk: Mapping[str, Any], **kw: Any) -> dict[str, Any]:
    row = {c: np.nan for c in ("printed", "recomputed", "difference", "tolerance")}
    row.update(
        check_id=chk["id"],
        figure_id=chk["figure_id"],
        kind=chk["kind"],
        strength="exact" if chk["kind"] in EXACT_KINDS else "bound",
        description=chk.get("description", ""),
        verdict="",
        cause="",
        detail="",
        suspect_figure="",
        suspect_cell="",
        _text="",
        _slack=0.0,
        _method="",
        _printed_cells=[],
    )
    row.update(kw)
    return row


def _p_band(p: float, thresholds: Sequence[float]) -> int:
    return sum(p < t for t in thresholds)


def _ttest(ref: _Reference, chk: Mapping[str, Any]) -> dict[str, float]:
    n1, m1, s1 = _group(ref, chk["group_a"])
    n2, m2, s2 = _group(ref, chk["group_b"])
    if min(n1, n2) < 2 or min(s1, s2) < 0:
        raise Unavailable("n이 2 미만이거나 표준편차가 음수")
    res = {}
    for name, equal in (("student", True), ("welch", False)):
        r = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=equal)
        res[name], res[f"{name}_p"] = float(r.statistic), float(r.pvalue)
    return res


def _rounding_rule(text: str, rec: float) -> str:
    """``반올림`` or ``절사`` when only one of them gives the printed text."""
    k = printed_decimals(text)
    value = _to_float(text)
    unit = 10.0**-k
    rounded = math.floor(abs(rec) / unit + 0.5 + 1e-9) * unit * math.copysign(1, rec)
    truncated = math.floor(abs(rec) / unit + 1e-9) * unit * math.copysign(1, rec)
    eps = 1e-9 * max(1.0, abs(value))
    by_round, by_trunc = abs(value - rounded) <= eps, abs(value - truncated) <= eps
    if by_round and not by_trunc:
        return "반올림"
    if by_trunc and not by_round:
        return "절사"
    return ""


def _eval_stars(ref: _Reference, chk: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    text = _select_text(ref, chk["printed"])
    if text.strip("*") != "":
        raise Unavailable(f"별표가 아닌 값: {text!r}")
    thresholds = [float(t) for t in defaults.get("p_thresholds", (0.05, 0.01, 0.001))]
    tt = _ttest(ref, chk)
    method = "student"
    if chk.get("t") is not None:  # the method whose |t| is closest to the printed t
        t_printed = abs(_select(ref, chk["t"]).value)
        method = min(("student", "welch"), key=lambda m: abs(abs(tt[m]) - t_printed))
    other = "welch" if method == "student" else "student"
    want = _p_band(tt[f"{method}_p"], thresholds)
    got = len(text)
    detail = (
        f"{'Student' if method == 'student' else 'Welch'} p={tt[f'{method}_p']:.3g} → '{'*' * want}', 인쇄 '{text}'"
    )
    if got == want:
        return _row(chk, printed=got, recomputed=want, difference=0.0, tolerance=0.0, verdict="일치", detail=detail)
    cause = "검정 방식" if got == _p_band(tt[f"{other}_p"], thresholds) else ""
    return _row(
        chk,
        printed=got,
        recomputed=want,
        difference=float(got - want),
        tolerance=0.0,
        verdict="불일치",
        cause=cause,
        detail=detail,
    )


def _eval_ttest(ref: _Reference, chk: Mapping[str, Any], band: float) -> dict[str, Any]:
    p = _select(ref, chk["printed"], as_printed=True)
    tt = _ttest(ref, chk)
    method = chk.get("method", "either")
    allowed = ("student", "welch") if method == "either" else (method,)
    label = {"student": "Student", "welch": "Welch"}
    detail = f"Student t={tt['student']:.3f}, Welch t={tt['welch']:.3f}"
    verdicts = {m: verdict_for(p.text, tt[m], band=band) for m in ("student", "welch")}
    flipped = {m: verdict_for(p.text, -tt[m], band=band) for m in ("student", "welch")}
    ok = [m for m in ("student", "welch") if verdicts[m][0] == "일치"]
    used = label[ok[0]] if len(ok) == 1 else ""
    common = dict(_text=p.text, _method=used, _printed_cells=p.cells)
    for m in allowed:
        if verdicts[m][0] == "일치":
            return _row(
                chk,
                printed=p.value,
                recomputed=tt[m],
                difference=verdicts[m][1],
                tolerance=verdicts[m][2],
                verdict="일치",
                detail=f"{detail}; {label[m]}와 일치",
                **common,
            )
    for m in allowed:
        if flipped[m][0] == "일치":
            return _row(
                chk,
                printed=p.value,
                recomputed=tt[m],
                difference=verdicts[m][1],
                tolerance=verdicts[m][2],
                verdict="불일치",
                cause="부호",
                detail=f"{detail}; 절댓값은 {label[m]}와 같고 부호가 반대",
                **common,
            )
    for m in (m for m in ("student", "welch") if m not in allowed):
        if verdicts[m][0] == "일치":
            return _row(
                chk,
                printed=p.value,
                recomputed=tt[allowed[0]],
                difference=p.value - tt[allowed[0]],
                tolerance=verdicts[m][2],
                verdict="불일치",
                cause="검정 방식",
                detail=f"{detail}; 지정한 방식이 아닌 {label[m]}와 일치",
                **common,
            )
    best = min(allowed, key=lambda m: abs(verdicts[m][1]))
    v, diff, tol = verdicts[best]
    return _row(
        chk,
        printed=p.value,
        recomputed=tt[best],
        difference=diff,
        tolerance=tol,
        verdict=v,
        detail=f"{detail}; 가장 가까운 것은 {label[best]}",
        **common,
    )


def _eval_same(ref: _Reference, chk: Mapping[str, Any]) -> dict[str, Any]:
    sel = chk["cells"]
    index, cells, loc = _rows(ref, sel, sel.get("column"))
    if len(cells) < 2:
        raise Unavailable(f"칸이 둘 이상이어야 함: {loc}")
    if "" in cells:
        raise Unavailable(f"값 없음(미공표): {loc}")
    texts = list(cells)
    values = [_to_float(t) for t in texts]
    counts = Counter(values)
    top = max(counts.values())
    majority = next(v for v in values if counts[v] == top)  # first of the most frequent
    maj_text = texts[values.index(majority)]
    odd = next(
        (
            i
            for i, v in enumerate(values)
            if verdict_for(texts[i], majority, input_tolerance=_half_unit(maj_text))[0] != "일치"
        ),
        None,
    )
    detail = f"같은 인쇄값이 {len(texts)}칸: " + ", ".join(texts)
    if odd is None:
        return _row(
            chk,
            printed=values[0],
            recomputed=majority,
            difference=values[0] - majority,
            tolerance=rounding_tolerance(texts[0]),
            verdict="일치",
            detail=detail,
            _text=texts[0],
            _printed_cells=[(sel["file"], index[0], sel["column"])],
        )
    verdict, diff, tol = verdict_for(texts[odd], majority, input_tolerance=_half_unit(maj_text))
    return _row(
        chk,
        printed=values[odd],
        recomputed=majority,
        difference=diff,
        tolerance=tol,
        verdict=verdict,
        detail=detail,
        _text=texts[odd],
        _printed_cells=[(sel["file"], index[odd], sel["column"])],
    )


def _eval_order(ref: _Reference, chk: Mapping[str, Any]) -> dict[str, Any]:
    items = []
    for sel in chk["items"]:
        v = _select(ref, sel, as_printed=True)
        items.append((sel.get("label") or v.where, v, _half_unit(v.text) if "value" not in sel else 0.0))
    shown = " ≤ ".join(f"{lab} {v.value:g}" for lab, v, _h in items)
    for (la, a, ha), (lb, b, hb) in zip(items, items[1:]):
        tol = ha + hb + _EPS * max(1.0, abs(a.value), abs(b.value))
        if a.value > b.value + tol:
            return _row(
                chk,
                printed=a.value,
                recomputed=b.value,
                difference=a.value - b.value,
                tolerance=tol,
                verdict="불일치",
                detail=f"{la} {a.value:g} > {lb} {b.value:g} ({shown})",
                _text=a.text,
                _printed_cells=a.cells + b.cells,
            )
    first, last = items[0][1], items[-1][1]
    return _row(
        chk,
        printed=first.value,
        recomputed=last.value,
        difference=0.0,
        tolerance=0.0,
        verdict="일치",
        detail=shown,
        _text=first.text,
    )


def _eval_whole(ref: _Reference, chk: Mapping[str, Any]) -> dict[str, Any]:
    p = _select(ref, chk["printed"], as_printed=True)
    step = float(chk.get("step", 1))
    nearest = round(p.value / step) * step
    diff = p.value - nearest
    tol = 1e-6 * max(1.0, abs(p.value))
    verdict = "일치" if abs(diff) <= tol else "불일치"
    what = "정수" if step == 1 else f"{step:g}의 배수"
    return _row(
        chk,
        printed=p.value,
        recomputed=nearest,
        difference=diff,
        tolerance=tol,
        verdict=verdict,
        detail=f"{p.value:g}는 {what}여야 함",
        _text=p.text,
        _printed_cells=p.cells,
    )


def _eval_spread(ref: _Reference, chk: Mapping[str, Any]) -> dict[str, Any]:
    sel = chk["row"]
    cols = {"mean": "mean", "median": "median", "min": "min", "max": "max", "sd": "sd", **(sel.get("columns") or {})}
    base = {k: v for k, v in sel.items() if k != "columns"}
    v = {k: _select(ref, {**base, "column": c}, as_printed=True) for k, c in cols.items()}
    sd, mean, med, lo, hi = (v[k].value for k in ("sd", "mean", "median", "min", "max"))
    slack = sum(_half_unit(v[k].text) for k in v) + _EPS
    lower = abs(mean - med)  # |mean - median| <= sd
    upper = math.sqrt(max(mean - lo, 0.0) * max(hi - mean, 0.0))  # Bhatia–Davis
    detail = f"|평균−중위수| {lower:.2f} ≤ 표준편차 {sd:g} ≤ √((평균−최소)(최대−평균)) {upper:.2f}"
    if sd + slack < lower:
        return _row(
            chk,
            printed=sd,
            recomputed=lower,
            difference=sd - lower,
            tolerance=slack,
            verdict="불일치",
            detail=detail,
            _text=v["sd"].text,
            _printed_cells=v["sd"].cells,
        )
    if sd > upper + slack:
        return _row(
            chk,
            printed=sd,
            recomputed=upper,
            difference=sd - upper,
            tolerance=slack,
            verdict="불일치",
            detail=detail,
            _text=v["sd"].text,
            _printed_cells=v["sd"].cells,
        )
    return _row(
        chk,
        printed=sd,
        recomputed=sd,
        difference=0.0,
        tolerance=slack,
        verdict="일치",
        detail=detail,
        _text=v["sd"].text,
        _printed_cells=v["sd"].cells,
    )


def _eval_weighted_mean(ref: _Reference, chk: Mapping[str, Any], band: float) -> dict[str, Any]:
    p = _select(ref, chk["printed"], as_printed=True)
    parts = chk["parts"]
    cols = {"n": "n", "mean": "mean", **(parts.get("columns") or {})}
    _idx, ns, loc = _rows(ref, parts, cols["n"])
    _idx, means, _ = _rows(ref, parts, cols["mean"])
    if "" in ns or "" in means:
        raise Unavailable(f"값 없음(미공표): {loc}")
    n = np.array([_to_float(x) for x in ns])
    m = np.array([_to_float(x) for x in means])
    if n.sum() <= 0:
        raise Unavailable(f"인원 합이 0: {loc}")
    rec = float((n * m).sum() / n.sum())
    slack = float((n * np.array([_half_unit(x) for x in means])).sum() / n.sum())
    verdict, diff, tol = verdict_for(p.text, rec, input_tolerance=slack, band=band)
    return _row(
        chk,
        printed=p.value,
        recomputed=rec,
        difference=diff,
        tolerance=tol,
        verdict=verdict,
        detail=f"인원 가중 평균({len(n)}개 부분)",
        _text=p.text,
        _slack=slack,
        _printed_cells=p.cells,
    )


def _evaluate(ref: _Reference, chk: dict[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    band = float(defaults.get("rounding_band", 2.0))
    kind = chk["kind"]
    if kind == "stars":
        return _eval_stars(ref, chk, defaults)
    if kind == "ttest":
        return _eval_ttest(ref, chk, band)
    if kind == "same":
        return _eval_same(ref, chk)
    if kind == "order":
        return _eval_order(ref, chk)
    if kind == "whole":
        return _eval_whole(ref, chk)
    if kind == "spread":
        return _eval_spread(ref, chk)
    if kind == "weighted_mean":
        return _eval_weighted_mean(ref, chk, band)
    p = _select(ref, chk["printed"], as_printed=True)
    scale = float(chk.get("scale", 1.0))
    if kind == "ratio":
        num, den = _select(ref, chk["numerator"]), _select(ref, chk["denominator"])
        if den.value == 0:
            raise Unavailable(f"분모가 0: {den.where}")
        rec = scale * num.value / den.value
        slack = abs(scale / den.value) * num.half_unit + abs(scale * num.value / den.value**2) * den.half_unit
        detail = f"{num.value:g} / {den.value:g}" + (f" × {scale:g}" if scale != 1 else "")
    elif kind == "equal":
        val = _select(ref, chk["value"])
        rec, slack, detail = scale * val.value, abs(scale) * val.half_unit, val.where
    else:  # difference
        a, b = _select(ref, chk["a"]), _select(ref, chk["b"])
        rec = scale * (a.value - b.value)
        slack = abs(scale) * (a.half_unit + b.half_unit)
        detail = f"({a.value:g} − {b.value:g})" + (f" × {scale:g}" if scale != 1 else "")
    verdict, diff, tol = verdict_for(p.text, rec, input_tolerance=slack, band=band)
    method = _rounding_rule(p.text, rec) if len(p.cells) <= 1 else ""
    return _row(
        chk,
        printed=p.value,
        recomputed=rec,
        difference=diff,
        tolerance=tol,
        verdict=verdict,
        detail=detail,
        _text=p.text,
        _slack=slack,
        _method=method,
        _printed_cells=p.cells,
    )


# ---------------------------------------------------------------- causes
def _digit_string(text: str) -> str:
    return str(text).strip().replace(",", "").rstrip("%").lstrip("+-")


def _adjacent_swap(printed: str, rec: float) -> bool:
    """The printed digits are the recomputed ones with two neighbours swapped.

    Examples
    --------
    >>> _adjacent_swap("82.85", 82.58), _adjacent_swap("82.85", 82.59)
    (True, False)
    """
    k = printed_decimals(printed)
    a = _digit_string(printed).replace(".", "")
    for b in {f"{abs(rec):.{k}f}", f"{math.floor(abs(rec) * 10**k + 1e-9) / 10**k:.{k}f}"}:
        b = b.replace(".", "")
        if len(a) != len(b) or a == b:
            continue
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return True
    return False


def _significant(text: str) -> int:
    return len(_digit_string(text).replace(".", "").lstrip("0"))


def _cell_figure(frames: Mapping[str, pd.DataFrame], cell: Cell) -> str:
    name, idx, _col = cell
    df = frames.get(name)
    if df is not None and "figure_id" in df.columns and idx in df.index:
        return str(df.at[idx, "figure_id"])
    return name


def _cell_label(frames: Mapping[str, pd.DataFrame], cell: Cell) -> str:
    name, idx, col = cell
    return f"{name}:{idx + 2}:{col}"


def _printed_index(
    frames: Mapping[str, pd.DataFrame], key_columns: Sequence[str]
) -> dict[tuple[float, int], list[Cell]]:
    """Every printed number with three or more significant digits, by (value, decimals)."""
    index: dict[tuple[float, int], list[Cell]] = defaultdict(list)
    for name, df in frames.items():
        for col in df.columns:
            if col in key_columns or col == "figure_id":
                continue
            for idx, text in df[col].items():
                text = str(text).strip()
                if text and _is_number(text) and _significant(text) >= 3:
                    index[(_to_float(text), printed_decimals(text))].append((name, int(idx), col))
    return index


def _infer_causes(df: pd.DataFrame, frames: Mapping[str, pd.DataFrame], key_columns: Sequence[str]) -> None:
    """Name the likely cause of every flagged check from the printed values (in place)."""
    flagged = df.index[df["verdict"].isin(FLAGGED) & (df["cause"] == "")]
    if not len(flagged):
        return
    index = _printed_index(frames, key_columns)
    numeric = ("ratio", "equal", "difference", "ttest", "same", "weighted_mean")
    for i in flagged:
        row = df.loc[i]
        text, rec, slack = row["_text"], row["recomputed"], row["_slack"]
        if row["kind"] not in numeric or not text or pd.isna(rec):
            df.at[i, "cause"] = "반올림" if row["verdict"] == "반올림 차이" else "미상"
            continue

        def hit(t: str, r: float, s: float = slack) -> bool:
            return bool(t) and not pd.isna(r) and verdict_for(t, r, input_tolerance=s)[0] == "일치"

        if rec != 0 and hit(text, -rec):
            df.at[i, "cause"] = "부호"
            continue
        if _rounding_rule(text, rec) == "절사":
            df.at[i, "cause"] = "절사"
            df.at[i, "detail"] += "; 반올림하지 않고 자른 값과 같음"
            continue
        if _adjacent_swap(text, rec):
            df.at[i, "cause"] = "자릿수 뒤바뀜"
            df.at[i, "detail"] += "; 이웃한 두 숫자를 바꾸면 재계산값과 같음"
            continue
        others = df[(df.index != i) & df["recomputed"].notna() & (df["_text"] != "")]
        same_fig = others[others["figure_id"] == row["figure_id"]]
        swap = [
            j
            for j in same_fig.index
            if same_fig.at[j, "verdict"] in FLAGGED
            and hit(text, same_fig.at[j, "recomputed"])
            and hit(same_fig.at[j, "_text"], rec, same_fig.at[j, "_slack"])
        ]
        if swap:
            df.at[i, "cause"] = "행·라벨 뒤바뀜"
            df.at[i, "detail"] += f"; {df.at[swap[0], 'check_id']}와 맞바꾸면 둘 다 맞음"
            continue
        peers = others[others["_family"] == row["_family"]]
        copied = (
            []
            if _significant(text) < 3
            else [  # two digits match by chance too often
                j
                for j in peers.index
                if hit(text, peers.at[j, "recomputed"])
                or (
                    _to_float(peers.at[j, "_text"]) == _to_float(text)
                    and printed_decimals(peers.at[j, "_text"]) == printed_decimals(text)
                )
            ]
        )
        if copied:
            df.at[i, "cause"] = "행 복사"
            df.at[i, "detail"] += f"; {df.at[copied[0], 'check_id']}의 값과 같음"
            continue
        own = set(row["_cells"])
        if _significant(text) >= 3:
            where = [c for c in index.get((_to_float(text), printed_decimals(text)), []) if c not in own]
            if where:
                fig = _cell_figure(frames, where[0])
                inside = fig == row["figure_id"]
                df.at[i, "cause"] = "다른 칸 값" if inside else "다른 표 값"
                df.at[i, "detail"] += f"; {fig}의 다른 칸({_cell_label(frames, where[0])})에 인쇄된 값과 같음"
                continue
        df.at[i, "cause"] = "반올림" if row["verdict"] == "반올림 차이" else "미상"


def _consistency(df: pd.DataFrame, rules: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows for checks whose statistic is computed differently from its family's majority."""
    extra = []
    for rule in rules:
        fam, what = rule.get("family"), rule.get("what", "계산 방식")
        sub = df[(df["_family"] == fam) & (df["_method"] != "")]
        if sub.empty:
            continue
        counts = sub["_method"].value_counts()
        if len(counts) < 2 or counts.iloc[0] == counts.iloc[1]:
            continue
        major = counts.index[0]
        for i in sub.index[sub["_method"] != major]:
            method = df.at[i, "_method"]
            note = f"{what}: 같은 통계의 다른 표는 {major}({counts[major]}건), 이 점검은 {method}"
            if df.at[i, "verdict"] in FLAGGED:
                df.at[i, "detail"] += f"; {note}"
                continue
            row = df.loc[i].to_dict()
            row.update(
                check_id=f"{row['check_id']}.방식",
                kind="consistency",
                strength="bound",
                description=f"{row['figure_id']} {what}: 같은 통계의 다른 표와 같은 방식인지",
                verdict="불일치",
                cause="검정 방식" if method in ("Student", "Welch") else method,
                detail=note,
                _cells=[],
            )
            extra.append(row)
    return pd.concat([df, pd.DataFrame(extra)], ignore_index=True) if extra else df


def _localise(rows: Sequence[Mapping[str, Any]], flagged: Sequence[int], total: Mapping[Cell, int]) -> dict[int, Cell]:
    """For each flagged row, the cell it reads whose checks fail most consistently."""
    fail: Counter = Counter()
    for i in flagged:
        fail.update(set(rows[i]["_cells"]))
    out = {}
    for i in flagged:
        cells = rows[i]["_cells"]
        if not cells:
            continue
        printed = set(rows[i]["_printed_cells"])
        out[i] = max(cells, key=lambda c: (fail[c] / max(total.get(c, 1), 1), fail[c], c in printed))
    return out


# ---------------------------------------------------------------- running
def _concrete(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for check in spec["checks"]:
        for chk in _expand(check, spec["sets"]):
            chk.setdefault("_family", check.get("family", check["id"]))
            out.append(chk)
    return out


def _evaluate_tracked(ref: _Reference, chk: dict[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    ref.track, ref.track_bound = [], []
    try:
        row = _evaluate(ref, chk, defaults)
    except Unavailable as exc:
        row = _row(chk, verdict="점검 불가", detail=str(exc))
    except (ValueError, KeyError, TypeError, ZeroDivisionError) as exc:
        row = _row(chk, verdict="점검 불가", detail=f"오류: {exc}")
    row["_cells"] = list(dict.fromkeys(ref.track))
    row["_bound_cells"] = sorted(set(ref.track_bound) - (set(ref.track) - set(ref.track_bound)))
    row["_family"] = chk["_family"]
    ref.track = None
    return row


def _open(reference_dir: str | Path | None, checks: Any) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    if reference_dir is None or str(reference_dir) == "":
        raise ValueError("reference_dir가 필요합니다 / reference_dir is required")
    folder = Path(reference_dir)
    if not folder.is_dir():
        raise ValueError(f"참조 폴더가 없습니다 / reference folder not found: {folder}")
    return load_checks(checks, folder), read_reference(folder)


def _audit_frames(
    spec: Mapping[str, Any], frames: Mapping[str, pd.DataFrame]
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    ref = _Reference(frames)
    rows = [_evaluate_tracked(ref, chk, spec["defaults"]) for chk in _concrete(spec)]
    df = pd.DataFrame(rows)
    _infer_causes(df, frames, spec["key_columns"])
    df = _consistency(df, spec["consistency"])
    records = df.to_dict("records")
    total: Counter = Counter(c for r in records for c in r["_cells"])
    flagged = [i for i, r in enumerate(records) if r["verdict"] in FLAGGED]
    for i, cell in _localise(records, flagged, total).items():
        df.at[i, "suspect_figure"] = _cell_figure(frames, cell)
        df.at[i, "suspect_cell"] = _cell_label(frames, cell)
    return df, records


def _public(df: pd.DataFrame) -> pd.DataFrame:
    out = df[list(COLUMNS)].reset_index(drop=True)
    for col in ("printed", "recomputed", "difference", "tolerance"):
        out[col] = out[col].astype(float)
    return out


def run_audit(reference_dir: str | Path, checks: str | Path | Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Check every published figure against the others.

    Parameters
    ----------
    reference_dir : str or Path
        Folder with the transcribed figures (``data/reference``).
    checks : path or mapping, optional
        Check definitions; by default ``audit_checks.yml`` in ``reference_dir``.

    Returns
    -------
    pandas.DataFrame
        One row per check, in definition order (then one row per departure
        from a family's computing method), with columns

        * ``check_id`` -- check id, with the ``for_each`` labels appended.
        * ``figure_id`` -- the table or figure whose printed value is tested.
        * ``kind`` -- the kind of check (see ``audit_checks.yml``), or
          ``consistency`` for a departure from a family's method.
        * ``strength`` -- ``exact`` (a recomputation) or ``bound`` (an
          inequality, a whole-number or a ranking constraint).
        * ``description`` -- what is compared (Korean).
        * ``printed`` -- the printed value (number of stars for ``stars``).
        * ``recomputed`` -- the recomputed value or the bound.
        * ``difference`` -- ``printed - recomputed``.
        * ``tolerance`` -- largest difference accepted as ``일치``.
        * ``verdict`` -- one of :data:`VERDICTS`.
        * ``cause`` -- for a flagged check, one of :data:`CAUSES`.
        * ``detail`` -- inputs, method, evidence for the cause, or the reason
          a check could not run.
        * ``suspect_figure``, ``suspect_cell`` -- for a flagged check, the
          table and the cell (``file:line:column``) most likely at fault.

    Notes
    -----
    A printed value with *k* decimals matches when
    ``|difference| <= 0.5 * 10**-k`` plus the rounding slack of the inputs
    (inputs printed with decimals contribute half a unit of their last digit,
    propagated linearly; integer inputs are exact counts) plus a tiny epsilon.
    Up to ``defaults.rounding_band`` half-units is ``반올림 차이``.

    For *t* both Student's and Welch's statistics are computed with
    :func:`scipy.stats.ttest_ind_from_stats`; the printed *t* matches if it
    equals either (unless the check fixes ``method``).

    Examples
    --------
    >>> df = run_audit(default_reference_dir())
    >>> df.loc[df["check_id"] == "ttest.표Ⅲ-10", ["verdict", "cause"]].values.tolist()
    [['불일치', '부호']]
    >>> set(df["verdict"]) <= set(VERDICTS)
    True
    """
    spec, frames = _open(reference_dir, checks)
    df, _records = _audit_frames(spec, frames)
    return _public(df)


# ---------------------------------------------------------------- coverage
def _numeric_cells(frames: Mapping[str, pd.DataFrame], key_columns: Sequence[str]) -> list[Cell]:
    """Every published numeric cell: value columns whose non-empty cells are all numbers."""
    cells = []
    for name, df in frames.items():
        for col in df.columns:
            if col in key_columns or col == "figure_id":
                continue
            filled = df[col].astype(str).str.strip()
            filled = filled[filled != ""]
            if filled.empty or not all(_is_number(t) for t in filled):
                continue
            cells.extend((name, int(i), col) for i in filled.index)
    return cells


def _matches(df: pd.DataFrame, idx: int, col: str, item: Mapping[str, Any]) -> bool:
    cols = item.get("columns") or ([item["column"]] if item.get("column") else None)
    if cols is not None and col not in cols:
        return False
    for key, want in (item.get("where") or {}).items():
        wants = [str(w) for w in want] if isinstance(want, (list, tuple)) else [str(want)]
        if key not in df.columns or str(df.at[idx, key]) not in wants:
            return False
    return True


def _coverage(
    spec: Mapping[str, Any], frames: Mapping[str, pd.DataFrame], records: Sequence[Mapping[str, Any]]
) -> pd.DataFrame:
    exact, bound = Counter(), Counter()
    for r in records:
        weak = set(r.get("_bound_cells") or [])
        if r["strength"] == "exact":
            exact.update(set(r["_cells"]) - weak)
            bound.update(weak)
        else:
            bound.update(r["_cells"])
    labels = spec["defaults"].get("column_labels") or {}
    rows = []
    for cell in _numeric_cells(frames, spec["key_columns"]):
        name, idx, col = cell
        df = frames[name]
        strength = "exact" if exact[cell] else ("bound" if bound[cell] else "none")
        reason = ""
        if strength == "none":
            reason = next(
                (str(u["reason"]) for u in spec["unconstrained"] if u["file"] == name and _matches(df, idx, col, u)), ""
            )
        row_label = " · ".join(
            str(df.at[idx, k])
            for k in spec["defaults"].get("row_label_columns", [])
            if k in df.columns and str(df.at[idx, k]).strip()
        )
        rows.append(
            {
                "file": name,
                "line": idx + 2,
                "column": col,
                "figure_id": _cell_figure(frames, cell),
                "row_label": row_label,
                "column_label": labels.get(col, col),
                "value": str(df.at[idx, col]).strip(),
                "strength": strength,
                "n_checks": exact[cell] + bound[cell],
                "reason": reason,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "file",
            "line",
            "column",
            "figure_id",
            "row_label",
            "column_label",
            "value",
            "strength",
            "n_checks",
            "reason",
        ],
    )


def cell_coverage(reference_dir: str | Path, checks: str | Path | Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Every published numeric cell and how it is checked.

    Parameters
    ----------
    reference_dir : str or Path
        The reference folder.
    checks : path or mapping, optional
        Check definitions (default: the folder's ``audit_checks.yml``).

    Returns
    -------
    pandas.DataFrame
        One row per non-empty numeric cell (key columns such as ``year`` and
        ``source_line`` excluded) with ``file, line, column, figure_id,
        row_label, column_label, value``, ``strength`` (``exact`` when a
        recomputation reads it, ``bound`` when only bounds do, ``none``),
        ``n_checks`` and, for ``none``, the ``reason`` given in the rules
        file's ``unconstrained`` section.

    Examples
    --------
    >>> cov = cell_coverage(default_reference_dir())
    >>> cov.loc[(cov["strength"] == "none") & (cov["reason"] == "")].empty
    True
    """
    spec, frames = _open(reference_dir, checks)
    _df, records = _audit_frames(spec, frames)
    return _coverage(spec, frames, records)


def unconstrained_table(coverage: pd.DataFrame) -> pd.DataFrame:
    """The cells no check reads, with the reason, Korean headers (for display).

    Examples
    --------
    >>> t = unconstrained_table(cell_coverage(default_reference_dir()))
    >>> t.columns.tolist()
    ['표·그림', '항목', '열', '값', '점검하지 않는 까닭']
    """
    sub = coverage[coverage["strength"] == "none"]
    return pd.DataFrame(
        {
            "표·그림": sub["figure_id"],
            "항목": sub["row_label"],
            "열": sub["column_label"],
            "값": sub["value"],
            "점검하지 않는 까닭": sub["reason"],
        }
    ).reset_index(drop=True)


# ---------------------------------------------------------------- mutation test
def _mutate(text: str, factor: float) -> str:
    k = printed_decimals(text)
    value = _to_float(text) * factor
    unit = 10.0**-k
    rounded = math.floor(abs(value) / unit + 0.5) * unit * math.copysign(1, value)
    return f"{rounded:.{k}f}"


def mutation_test(
    reference_dir: str | Path, checks: str | Path | Mapping[str, Any] | None = None, factor: float = 1.1
) -> dict[str, Any]:
    """Change each numeric cell in turn and count the changes the audit catches.

    Each published numeric cell is multiplied by ``factor`` and printed with
    its own number of decimals; only the checks that read the cell are run
    again (in memory). A change is *caught* when a check that agreed before is
    now flagged (or a flagged one changes) and the flag names the cell's own
    table, either as the check's table or as the table of the cell the audit
    localises the fault to.

    Parameters
    ----------
    reference_dir : str or Path
        The reference folder.
    checks : path or mapping, optional
        Check definitions.
    factor : float, default 1.1
        The multiplier.

    Returns
    -------
    dict
        ``cells`` (DataFrame: file, line, column, figure_id, strength,
        original, mutated, caught, named_right, flagged_by), and the counts and
        rates ``n_exact``, ``caught_exact``, ``rate_exact``, ``n_bound``,
        ``caught_bound``, ``rate_bound``, ``n_unchanged`` (cells the factor
        leaves unchanged at their printed precision) and ``seconds``.

    Examples
    --------
    >>> res = mutation_test(default_reference_dir())
    >>> res["rate_exact"] >= 0.9
    True
    """
    if not isinstance(factor, (int, float)) or factor <= 0 or factor == 1:
        raise ValueError(f"factor는 1이 아닌 양수 / factor must be positive and not 1, got {factor!r}")
    t0 = time.perf_counter()
    spec, frames = _open(reference_dir, checks)
    concrete = _concrete(spec)
    base_df, base = _audit_frames(spec, frames)
    base = base[: len(concrete)]  # consistency rows come after the checks
    cov = _coverage(spec, frames, base)
    reads: dict[Cell, list[int]] = defaultdict(list)
    for i, r in enumerate(base):
        for c in r["_cells"]:
            reads[c].append(i)
    total = Counter({c: len(v) for c, v in reads.items()})
    ref = _Reference(frames)
    base_flag = {i for i, r in enumerate(base) if r["verdict"] in FLAGGED}
    out = []
    for cov_row in cov.itertuples(index=False):
        if cov_row.strength == "none":
            continue
        cell = (cov_row.file, cov_row.line - 2, cov_row.column)
        original = ref.columns[cov_row.file][cov_row.column][cell[1]]
        mutated = _mutate(original, factor)
        rec = {
            "file": cov_row.file,
            "line": cov_row.line,
            "column": cov_row.column,
            "figure_id": cov_row.figure_id,
            "strength": cov_row.strength,
            "original": original,
            "mutated": mutated,
            "caught": False,
            "named_right": False,
            "flagged_by": "",
        }
        if _to_float(mutated) == _to_float(original):
            rec["mutated"] = ""
            out.append(rec)
            continue
        ref.set(*cell, mutated)
        rows = list(base)
        new = []
        for i in reads[cell]:
            rows[i] = _evaluate_tracked(ref, concrete[i], spec["defaults"])
            b = base[i]
            if rows[i]["verdict"] in FLAGGED and (
                i not in base_flag
                or rows[i]["verdict"] != b["verdict"]
                or not np.isclose(rows[i]["difference"], b["difference"], equal_nan=True)
            ):
                new.append(i)
        ref.set(*cell, original)
        if new:
            flagged = sorted((base_flag - set(reads[cell])) | {i for i in reads[cell] if rows[i]["verdict"] in FLAGGED})
            where = _localise(rows, flagged, total)
            named = [
                i
                for i in new
                if rows[i]["figure_id"] == cov_row.figure_id
                or (i in where and _cell_figure(frames, where[i]) == cov_row.figure_id)
            ]
            rec.update(caught=True, named_right=bool(named), flagged_by=rows[(named or new)[0]]["check_id"])
        out.append(rec)
    cells = pd.DataFrame(
        out,
        columns=[
            "file",
            "line",
            "column",
            "figure_id",
            "strength",
            "original",
            "mutated",
            "caught",
            "named_right",
            "flagged_by",
        ],
    )
    changed = cells[cells["mutated"] != ""]
    res: dict[str, Any] = {"cells": cells, "factor": factor, "n_unchanged": int((cells["mutated"] == "").sum())}
    for strength in ("exact", "bound"):
        sub = changed[changed["strength"] == strength]
        hit = int((sub["caught"] & sub["named_right"]).sum())
        res[f"n_{strength}"], res[f"caught_{strength}"] = int(len(sub)), hit
        res[f"rate_{strength}"] = hit / len(sub) if len(sub) else float("nan")
    res["seconds"] = time.perf_counter() - t0
    return res


# ---------------------------------------------------------------- baseline
def load_baseline(path: str | Path) -> pd.DataFrame:
    """Accepted findings: ``check_id``, ``verdict`` and a one-line ``reason`` each.

    Examples
    --------
    >>> b = load_baseline(default_reference_dir() / BASELINE_FILE)
    >>> bool((b["reason"].str.len() > 0).all())
    True
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"기준 파일이 없습니다 / baseline file not found: {path}")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: YAML 구문 오류 / YAML syntax error: {exc}") from None
    items = spec.get("accepted") if isinstance(spec, Mapping) else None
    if not isinstance(items, list):
        raise ValueError(f"{path}: 'accepted' 목록이 필요합니다 / needs an 'accepted' list")
    rows = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise ValueError(f"{path}: accepted[{i}]는 매핑 / must be a mapping")
        missing = [k for k in ("check_id", "verdict", "reason") if not str(item.get(k) or "").strip()]
        if missing:
            raise ValueError(
                f"{path}: accepted[{i}] ({item.get('check_id')!r})에 {missing}가 없습니다 / missing {missing}"
            )
        if item["verdict"] not in FLAGGED:
            raise ValueError(f"{path}: accepted[{i}] verdict는 {FLAGGED} 중 하나 / bad verdict {item['verdict']!r}")
        if "\n" in str(item["reason"]).strip():
            raise ValueError(f"{path}: accepted[{i}] reason은 한 줄 / reason must be one line")
        rows.append(
            {"check_id": str(item["check_id"]), "verdict": item["verdict"], "reason": str(item["reason"]).strip()}
        )
    return pd.DataFrame(rows, columns=["check_id", "verdict", "reason"])


def compare_baseline(df: pd.DataFrame, baseline: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Findings not in the baseline, and baseline entries no longer found.

    Returns
    -------
    tuple of DataFrame
        ``(new, resolved)``: flagged rows of ``df`` whose (check id, verdict)
        the baseline does not accept, and baseline rows that ``df`` no longer
        flags that way.

    Examples
    --------
    >>> df = pd.DataFrame({"check_id": ["a", "b"], "verdict": ["불일치", "일치"]})
    >>> base = pd.DataFrame({"check_id": ["b"], "verdict": ["불일치"], "reason": ["x"]})
    >>> [len(x) for x in compare_baseline(df, base)]
    [1, 1]
    """
    flagged = df[df["verdict"].isin(FLAGGED)]
    accepted = set(zip(baseline["check_id"], baseline["verdict"]))
    found = set(zip(flagged["check_id"], flagged["verdict"]))
    new = flagged[[k not in accepted for k in zip(flagged["check_id"], flagged["verdict"])]]
    resolved = baseline[[k not in found for k in zip(baseline["check_id"], baseline["verdict"])]]
    return new.reset_index(drop=True), resolved.reset_index(drop=True)


# ---------------------------------------------------------------- summaries
def summarise(df: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Count checks by verdict (optionally within another column).

    Parameters
    ----------
    df : DataFrame
        The output of :func:`run_audit`.
    by : str, optional
        A column of ``df`` (e.g. ``"figure_id"``) to count within.

    Returns
    -------
    pandas.DataFrame
        Columns ``verdict``, ``n_checks`` and ``share_pct`` (percent of all
        checks), preceded by ``by`` when given. Every verdict appears, with
        zero counts, in the order of :data:`VERDICTS`.

    Examples
    --------
    >>> toy = pd.DataFrame({"verdict": ["일치", "일치", "불일치"]})
    >>> summarise(toy)["n_checks"].tolist()
    [2, 0, 1, 0]
    """
    if not isinstance(df, pd.DataFrame) or "verdict" not in df.columns:
        raise ValueError("verdict 열이 있는 DataFrame이 필요합니다 / need a DataFrame with 'verdict'")
    unknown = set(df["verdict"]) - set(VERDICTS)
    if unknown:
        raise ValueError(f"알 수 없는 판정 / unknown verdicts: {sorted(unknown)}")
    total = max(len(df), 1)
    if by is None:
        counts = df["verdict"].value_counts().reindex(VERDICTS, fill_value=0)
        return pd.DataFrame(
            {
                "verdict": list(VERDICTS),
                "n_checks": counts.astype(int).values,
                "share_pct": (counts.values / total * 100).round(1),
            }
        )
    if by not in df.columns:
        raise ValueError(f"열이 없습니다 / unknown column: {by!r}")
    keys = list(dict.fromkeys(df[by]))
    idx = pd.MultiIndex.from_product([keys, VERDICTS], names=[by, "verdict"])
    counts = df.groupby([by, "verdict"]).size().reindex(idx, fill_value=0)
    out = counts.rename("n_checks").reset_index()
    out["share_pct"] = (out["n_checks"] / total * 100).round(1)
    return out


def _fmt(value: float) -> str:
    if pd.isna(value):
        return "–"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def summary_table(df: pd.DataFrame) -> pd.DataFrame:
    """Verdict counts with Korean column headers, for display.

    Examples
    --------
    >>> summary_table(pd.DataFrame({"verdict": ["일치", "불일치"]})).columns.tolist()
    ['판정', '점검 수', '비율(%)']
    """
    s = summarise(df)
    return s.rename(columns={"verdict": "판정", "n_checks": "점검 수", "share_pct": "비율(%)"})


def mismatch_table(df: pd.DataFrame, verdicts: Iterable[str] = ("불일치", "반올림 차이")) -> pd.DataFrame:
    """Checks with the given verdicts, Korean headers and formatted numbers.

    Parameters
    ----------
    df : DataFrame
        The output of :func:`run_audit`.
    verdicts : iterable of str, default ("불일치", "반올림 차이")
        Which verdicts to list (each one of :data:`VERDICTS`).

    Returns
    -------
    pandas.DataFrame
        Columns ``표·그림``, ``내용``, ``인쇄값``, ``재계산값``,
        ``판정``, ``원인``, ``의심 표·그림``, in the order of the checks.

    Examples
    --------
    >>> df = run_audit(default_reference_dir())
    >>> mismatch_table(df, ["불일치"]).iloc[0][["표·그림", "원인"]].tolist()
    ['표 Ⅲ-10', '부호']
    """
    verdicts = list(verdicts)
    unknown = set(verdicts) - set(VERDICTS)
    if unknown:
        raise ValueError(f"알 수 없는 판정 / unknown verdicts: {sorted(unknown)}")
    missing = set(COLUMNS) - set(df.columns)
    if missing:
        raise ValueError(f"run_audit 결과가 아닙니다 / missing columns: {sorted(missing)}")
    sub = df[df["verdict"].isin(verdicts)]
    return pd.DataFrame(
        {
            "표·그림": sub["figure_id"],
            "내용": sub["description"],
            "인쇄값": sub["printed"].map(_fmt),
            "재계산값": sub["recomputed"].map(_fmt),
            "판정": sub["verdict"],
            "원인": sub["cause"].replace("", "–"),
            "의심 표·그림": sub["suspect_figure"].replace("", "–"),
        }
    ).reset_index(drop=True)


# ---------------------------------------------------------------- command
def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="jahwal audit",
        description="보고서 공표 수치를 서로에게서 다시 계산해 맞춰 봅니다 "
        "(check the report's published figures against each other).",
    )
    ap.add_argument(
        "--reference", default=None, help="참조 폴더 / reference folder (default: the project's data/reference)"
    )
    ap.add_argument(
        "--params",
        default=None,
        help="연구 매개변수 파일; 그 reference_dir를 씀 / parameter file whose reference_dir is used",
    )
    ap.add_argument("--checks", default=None, help="점검 정의 YAML / checks file (default: REFERENCE/audit_checks.yml)")
    ap.add_argument("--out", default=None, help="결과 CSV 경로 / write all checks to this CSV")
    ap.add_argument(
        "--strict",
        action="store_true",
        help="기준 파일에 없는 새 발견이 있으면 종료 코드 1 / exit 1 on findings not in the baseline",
    )
    ap.add_argument(
        "--baseline", default=None, help=f"인정된 발견 목록 / accepted findings (default: REFERENCE/{BASELINE_FILE})"
    )
    ap.add_argument(
        "--mutation",
        action="store_true",
        help="칸을 하나씩 바꿔 잡아내는 비율을 봅니다 / run the mutation test and print the rate",
    )
    return ap


def _print_findings(df: pd.DataFrame) -> None:
    for _, r in df[df["verdict"].isin(FLAGGED)].iterrows():
        where = (
            f", 의심 칸 {r['suspect_figure']}" if r["suspect_figure"] and r["suspect_figure"] != r["figure_id"] else ""
        )
        print(
            f"  {r['verdict']} {r['figure_id']} {r['check_id']}: 인쇄 {r['printed']:g}, "
            f"재계산 {r['recomputed']:g} (원인 / cause: {r['cause'] or '미상'}{where})"
        )


def mutation_summary(res: Mapping[str, Any]) -> str:
    """One line (Korean and English) with the mutation test's detection rates."""
    return (
        f"변경 검출률 / mutation detection (×{res['factor']:g}): "
        f"재계산 점검 칸 {res['caught_exact']}/{res['n_exact']} = {res['rate_exact']:.1%}, "
        f"범위 점검만 있는 칸 {res['caught_bound']}/{res['n_bound']} = {res['rate_bound']:.1%}, "
        f"값이 바뀌지 않는 칸 {res['n_unchanged']}개 제외 ({res['seconds']:.1f}초)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command ``jahwal audit``: run the audit, print every finding.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments after ``audit`` (``[--reference DIR | --params FILE]
        [--checks FILE] [--out FILE.csv] [--strict [--baseline FILE]]
        [--mutation]``); ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        0; 1 with ``--strict`` when a finding is not in the baseline; 2 when
        the reference folder, checks or baseline file cannot be used.

    Examples
    --------
    >>> main(["--reference", str(default_reference_dir())])  # doctest: +ELLIPSIS
    재현성 점검: ...
    0
    """
    args = _parser().parse_args(argv)
    try:
        folder = Path(args.reference) if args.reference else default_reference_dir(args.params)
        df = run_audit(folder, args.checks)
        baseline = None
        if args.strict:
            default = folder / BASELINE_FILE
            if args.baseline or default.is_file():
                baseline = load_baseline(Path(args.baseline) if args.baseline else default)
            else:  # no accepted findings: every finding is new
                baseline = pd.DataFrame(columns=["check_id", "verdict", "reason"])
    except ValueError as exc:
        print(f"오류 / error: {exc}", file=sys.stderr)
        return 2
    summary = summarise(df)
    counts = ", ".join(f"{v} {n}건" for v, n in zip(summary["verdict"], summary["n_checks"]))
    print(f"재현성 점검: 모두 {len(df)}건 — {counts} / audit: {len(df)} checks")
    _print_findings(df)
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        df.to_csv(out, index=False, encoding="utf-8")
        print(f"결과 저장 / written: {out}")
    if args.mutation:
        print(mutation_summary(mutation_test(folder, args.checks)))
    if baseline is not None:
        new, resolved = compare_baseline(df, baseline)
        for _, r in resolved.iterrows():
            print(f"  기준 파일의 발견이 더는 나오지 않습니다 / no longer found: {r['check_id']} ({r['verdict']})")
        if not new.empty:
            print(
                f"기준 파일에 없는 새 발견 {len(new)}건 / {len(new)} new finding(s) not in the baseline:",
                file=sys.stderr,
            )
            for _, r in new.iterrows():
                print(f"  {r['verdict']} {r['figure_id']} {r['check_id']}", file=sys.stderr)
            return 1
        print(f"새 발견 없음(인정된 발견 {len(baseline)}건) / no new findings ({len(baseline)} accepted)")
    return 0


if __name__ == "__main__":  # pragma: no cover - exercised through tests via runpy
    sys.exit(main())
